/* strata-response-view.h: one response table of a result (e.g. MRD negativity by
 * group): counts per level, the proportion of the success level with its exact CI,
 * and Fisher's exact test. */
#pragma once

#include <adwaita.h>
#include "strata-result.h"

G_BEGIN_DECLS

#define STRATA_TYPE_RESPONSE_VIEW (strata_response_view_get_type ())
G_DECLARE_FINAL_TYPE (StrataResponseView, strata_response_view, STRATA, RESPONSE_VIEW, AdwBin)

/* Shows table INDEX of RESULT->responses. Group colours follow the order of the
 * groups of COLOURS (the survival result the plot shows), matched by label;
 * BURDEN_COLUMN (NULL: none) names the burden groups (see strata-group-label.h). A
 * group without a patient in the table gets no row, but a line under it. */
GtkWidget *strata_response_view_new (StrataResult *result, guint index, StrataResult *colours,
                                     const char *burden_column);

const StrataResponseTable *strata_response_view_get_table (StrataResponseView *self);
/* The text under the table (the tests). */
const char *strata_response_view_get_footer (StrataResponseView *self);
/* The rows shown (groups with patients), and the group shown in row ROW (0-based);
 * the line naming the groups without patients, NULL when every group has some. */
guint strata_response_view_get_n_rows (StrataResponseView *self);
const char *strata_response_view_get_row_group (StrataResponseView *self, guint row);
const char *strata_response_view_get_empty_note (StrataResponseView *self);

G_END_DECLS

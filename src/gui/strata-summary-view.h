/* strata-summary-view.h: the survival summary table of a result: per group n, events,
 * median with CI, survival at the landmark times with CI and the hazard ratio, then the
 * log-rank and trend tests. */
#pragma once

#include <adwaita.h>
#include "strata-result.h"

G_BEGIN_DECLS

#define STRATA_TYPE_SUMMARY_VIEW (strata_summary_view_get_type ())
G_DECLARE_FINAL_TYPE (StrataSummaryView, strata_summary_view, STRATA, SUMMARY_VIEW, AdwBin)

GtkWidget *strata_summary_view_new (void);

/* Shows RESULT (NULL: empty); TIME_UNIT names the landmark columns ("months");
 * BURDEN_COLUMN (NULL: none), the marrow blasts, names the burden groups (see
 * strata-group-label.h). */
void strata_summary_view_set_result (StrataSummaryView *self, StrataResult *result,
                                     const char *time_unit, const char *burden_column);
StrataResult *strata_summary_view_get_result (StrataSummaryView *self);

/* The text of the cell at ROW (0 = the header) and COLUMN, for tests; NULL outside. */
const char *strata_summary_view_get_cell (StrataSummaryView *self, guint row, guint column);
/* The text under the table (the tests). */
const char *strata_summary_view_get_footer (StrataSummaryView *self);

G_END_DECLS

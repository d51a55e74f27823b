/* strata-group-label.h: the names the window gives groups. The core labels the marrow
 * burden groups by their cut, "bm_blasts_pct>=5" and "bm_blasts_pct<5" (the JSON
 * contract); the window, its tables and the figures it exports say "High burden (≥ 5 %
 * blasts)" and "Low burden (< 5 % blasts)", and join the parts of a crossed grouping with
 * a middle dot: "CNS · High burden (≥ 5 % blasts)". Every view asks here. */
#pragma once

#include <glib.h>
#include "strata-result.h"

G_BEGIN_DECLS

/* The label shown for the group LABEL (as the core wrote it) of a result grouped by BY
 * (char*: the result's groupings as written), where BURDEN_COLUMN (NULL: none) holds
 * the percentage of marrow blasts. A label without a burden part is returned as it is
 * ("All patients" for the single unlabelled group). Free with g_free(). */
char *strata_group_label_display (const GPtrArray *by, const char *burden_column, const char *label);

/* The labels shown for the groups of RESULT, in order, NULL-terminated. */
GStrv strata_group_label_display_all (const StrataResult *result, const char *burden_column);

G_END_DECLS

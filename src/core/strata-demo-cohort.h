/* strata-demo-cohort.h: where the bundled synthetic demo cohort is. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The path of data/demo-cohort.csv: $STRATA_DEMO_COHORT when set; else beside the
 * running program's installation (BINDIR/../share/strata, so an installed tree can be
 * moved); else the configured data directory; else the source tree (uninstalled
 * builds). Free with g_free(). */
char *strata_demo_cohort_path (void);

G_END_DECLS

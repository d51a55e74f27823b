/* strata-time-sort.h: sorting an endpoint's rows by time, the one sort a cohort needs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sorts N times (finite, >= 0) ascending, stably, permuting ROW and EVENT with them. */
void strata_sort_times (double *time, guint *row, guint8 *event, guint n);

G_END_DECLS

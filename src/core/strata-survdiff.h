/* strata-survdiff.h: the G-rho family of k-sample tests (log-rank, Peto–Peto) and the
 * test for trend, as R's survival::survdiff. */
#pragma once

#include <glib.h>
#include "strata-km.h"

G_BEGIN_DECLS

typedef struct {
  double rho;
  guint n_groups;
  double chisq;
  guint df;
  double p;
  guint *n;            /* per group */
  double *observed;    /* per group, weighted for rho != 0 */
  double *expected;
  double *var;         /* n_groups x n_groups, row-major */
} StrataSurvdiff;

typedef struct {
  double chisq;
  guint df;
  double p;
  double z;
  double u;
  double var;
} StrataTrendTest;

/* Tests equality of the curves of N_GROUPS groups, given each group's KM table. */
StrataSurvdiff *strata_survdiff_compute (StrataKmTable *const *groups, guint n_groups, double rho);
void strata_survdiff_free (StrataSurvdiff *test);

/* The test for trend over ordered groups with scores 1..k, from a log-rank result. */
void strata_trend_test_compute (const StrataSurvdiff *logrank, StrataTrendTest *trend);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataSurvdiff, strata_survdiff_free)

G_END_DECLS

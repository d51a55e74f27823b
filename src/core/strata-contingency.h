/* strata-contingency.h: tests and intervals for response tables (counts by group). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STRATA_CONTINGENCY_ERROR (strata_contingency_error_quark ())
GQuark strata_contingency_error_quark (void);

typedef enum {
  STRATA_CONTINGENCY_ERROR_TOO_LARGE,  /* exact computation would exceed its work budget */
} StrataContingencyError;

/* Two-sided Fisher exact test p-value for an NROW x NCOL table of counts (row-major),
 * as R's fisher.test: sums the probabilities of all tables with the same margins whose
 * probability is <= P_obs * (1 + 1e-7). Rows or columns whose total is 0 are dropped
 * first, as R does. Returns NaN (and sets ERROR) only when the table is too large to
 * enumerate exactly. */
double strata_fisher_exact_p (const guint *counts, guint nrow, guint ncol, GError **error);

/* Monte Carlo p-value of Fisher's exact test, as R's fisher.test (simulate.p.value =
 * TRUE, B = REPLICATES): REPLICATES random tables with the observed margins (Patefield's
 * algorithm, as R's r2dtable), generator GSL MT19937 seeded with SEED (the same SEED
 * gives the same *P); *P = (1 + #{tables at most as probable as the observed one, with
 * R's tolerance}) / (REPLICATES + 1). For tables strata_fisher_exact_p() refuses as too
 * large: report REPLICATES and SEED with the value. Returns FALSE (*P = NaN) when fewer
 * than 2 non-empty rows or columns remain, REPLICATES is 0 or the total exceeds 10^7. */
gboolean strata_fisher_monte_carlo_p (const guint *counts, guint nrow, guint ncol,
                                      guint replicates, guint64 seed, double *p);

typedef struct {
  double statistic;
  double df;
  double p;
} StrataChisqTest;

/* Pearson's chi-square test of independence without continuity correction, as R's
 * chisq.test(correct = FALSE). Returns FALSE when fewer than 2 non-empty rows or columns
 * remain; then the fields are NaN. */
gboolean strata_chisq_test (const guint *counts, guint nrow, guint ncol, StrataChisqTest *result);

/* Clopper-Pearson exact interval for X successes in N trials, as binom.test. */
void strata_proportion_clopper_pearson (guint x, guint n, double conf_level,
                                        double *lower, double *upper);
/* Wilson score interval without continuity correction, as prop.test(correct = FALSE). */
void strata_proportion_wilson (guint x, guint n, double conf_level,
                               double *lower, double *upper);

typedef struct {
  double estimate;  /* conditional maximum-likelihood odds ratio; 0 or +Inf at the edge */
  double lower;
  double upper;
} StrataOddsRatio;

/* Conditional MLE of the odds ratio of a 2 x 2 table (row 1 col 1 vs the rest) and its
 * exact two-sided CI, as R's fisher.test, but solved to full precision (R's uniroot stops
 * near 1e-4). COUNTS is row-major {a, b, c, d}. Returns FALSE (fields NaN) when a row or
 * column total is 0. */
gboolean strata_fisher_odds_ratio (const guint counts[4], double conf_level,
                                   StrataOddsRatio *result);

G_END_DECLS

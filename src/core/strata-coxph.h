/* strata-coxph.h: the Cox proportional hazards model with one categorical covariate
 * (the group), as R's survival::coxph (version 3.5) with ties = "efron" or "breslow".
 *
 * The model has one 0/1 indicator per non-reference group. The fit is Newton–Raphson
 * as in Therneau's coxfit6.c, replayed operation for operation so that the estimates,
 * the iteration count and every derived number agree with R's to rounding. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STRATA_COXPH_ERROR (strata_coxph_error_quark ())
GQuark strata_coxph_error_quark (void);

typedef enum {
  STRATA_COXPH_ERROR_INVALID_INPUT,  /* bad argument: unsorted or non-finite time, bad index... */
  STRATA_COXPH_ERROR_TOO_FEW_GROUPS, /* fewer than 2 groups, or fewer than 2 with patients */
  STRATA_COXPH_ERROR_NO_EVENTS,      /* every patient is censored */
} StrataCoxphError;

/* R's coxph.control() defaults. */
#define STRATA_COX_EPS_DEFAULT 1e-9
#define STRATA_COX_ITER_MAX_DEFAULT 20

typedef enum {
  STRATA_COX_EFRON,
  STRATA_COX_BRESLOW,
} StrataCoxTies;

typedef struct {
  double statistic;
  double df;
  double p;
} StrataCoxTest;

typedef struct {
  StrataCoxTies ties;
  guint n_coef;            /* n_groups - 1: one indicator per non-reference group */
  guint *coef_group;       /* n_coef: the group index each coefficient stands for, ascending */
  double *coef, *se, *z, *p, *hr, *hr_lower, *hr_upper;  /* n_coef each */
  double *var;             /* n_coef x n_coef, row-major; rows/columns of singular coefs are 0 */
  double loglik_null;      /* at beta = 0 */
  double loglik;           /* at the returned coefficients */
  StrataCoxTest lr_test;   /* 2 (loglik - loglik_null) */
  StrataCoxTest wald_test; /* b' var^-1 b over the non-singular coefficients */
  StrataCoxTest score_test;/* u' I^-1 u at beta = 0 (the log-rank test for Breslow) */
  double conf_level;
  guint iterations;        /* as R's fit$iter; iter_max + 1 when it ran out of iterations */
  guint n, nevent;
  gboolean converged;      /* FALSE: R's "Ran out of iterations and did not converge" */
  gboolean infinite_coef;  /* monotone likelihood: some coefficient diverges (R's warning) */
  gboolean *coef_infinite; /* n_coef: which ones (R's rule) */
  gboolean *coef_diverged; /* n_coef: infinite by R's rule, or still running away when the
                            * iterations ran out (|coef| > 10 with SE > |coef|): an
                            * estimate not to be shown as a hazard ratio */
  gboolean *coef_singular; /* n_coef: R reports NA (the group has no patients); coef and
                            * everything derived from it are NaN */
} StrataCoxFit;

/* Fits the Cox model for GROUP with the group REFERENCE as baseline.
 *
 * TIME[N] must be ascending (tied times in any order; the order within ties only moves
 * the last bits of the sums). Times are tied when exactly equal: R's timefix merging of
 * near-equal times is the caller's job. EVENT[N] is 0 (censored) or 1 (event). GROUP[N]
 * is in 0..N_GROUPS-1. CONF_LEVEL in (0, 1), e.g. 0.95, sets the hazard-ratio interval.
 * EPS > 0 is coxph.control(eps): iteration stops when |1 - loglik_old / loglik_new| <=
 * EPS (R's default STRATA_COX_EPS_DEFAULT); at most STRATA_COX_ITER_MAX_DEFAULT
 * iterations.
 *
 * Returns NULL and sets ERROR when N_GROUPS < 2, when fewer than two groups have
 * patients, when no patient has an event, or when an argument is invalid. Free the
 * result with strata_coxph_fit_free(). */
StrataCoxFit *strata_coxph_fit (const double *time, const guint8 *event, const guint *group,
                                gsize n, guint n_groups, guint reference, StrataCoxTies ties,
                                double conf_level, double eps, GError **error);

/* Same as strata_coxph_fit() with coxph.control(iter.max = ITER_MAX). ITER_MAX = 0
 * returns the model at beta = 0 (iterations 0), as R. */
StrataCoxFit *strata_coxph_fit_full (const double *time, const guint8 *event,
                                     const guint *group, gsize n, guint n_groups,
                                     guint reference, StrataCoxTies ties, double conf_level,
                                     double eps, guint iter_max, GError **error);

/* Same fit from counts, in O(n_times * n_groups^2) per Newton iteration instead of
 * O(n): for exclusive 0/1 group indicators the partial likelihood, its score and its
 * information depend only on how many patients of each group are at risk and die at each
 * distinct time.
 *
 * Row t (0 <= t < N_TIMES) of DEATHS and AT_RISK (each N_TIMES x N_GROUPS, row-major)
 * describes the t-th distinct time, in ascending order of time: DEATHS[t * N_GROUPS + g]
 * patients of group g have an event at that time and AT_RISK[t * N_GROUPS + g] patients
 * of group g have a time >= it (those who die or are censored at it included). So
 * DEATHS <= AT_RISK, and AT_RISK[t + 1] + DEATHS[t] <= AT_RISK[t] group by group (the
 * difference is the censored at time t). Times with no deaths may be listed or left out,
 * except that the first row gives the patient count: n = the sum of AT_RISK[0], and a
 * group is present (has patients) when its AT_RISK[0] is positive. So list the smallest
 * time of all, or make row 0 count everyone.
 *
 * The other arguments, the errors and the result are those of strata_coxph_fit(); the
 * result agrees with strata_coxph_fit() on the rows the counts came from to rounding
 * (the sums are grouped differently; the iterations and flags are the same in all the
 * test cases). Where the score is itself a near-cancellation, as when every coefficient
 * diverges (the reference group has no events), the last ~8 digits of the diverging
 * coefficients are rounding noise in R and in either layout alike. */
StrataCoxFit *strata_coxph_fit_counts (const guint *deaths, const guint *at_risk,
                                       guint n_times, guint n_groups, guint reference,
                                       StrataCoxTies ties, double conf_level, double eps,
                                       GError **error);

/* strata_coxph_fit_counts() with coxph.control(iter.max = ITER_MAX), as
 * strata_coxph_fit_full(). */
StrataCoxFit *strata_coxph_fit_counts_full (const guint *deaths, const guint *at_risk,
                                            guint n_times, guint n_groups, guint reference,
                                            StrataCoxTies ties, double conf_level,
                                            double eps, guint iter_max, GError **error);

void strata_coxph_fit_free (StrataCoxFit *fit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataCoxFit, strata_coxph_fit_free)

G_END_DECLS

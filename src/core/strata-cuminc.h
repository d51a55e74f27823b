/* strata-cuminc.h: competing risks — cumulative incidence curves with Gray's variance,
 * their values at landmark times, and Gray's K-sample test, as R's cmprsk::cuminc and
 * cmprsk::timepoints (cmprsk 2.2-11, Fortran routines cinc, tpoi and crstm/crst).
 *
 * Status codes: 0 = censored, 1 and 2 = the two causes. NaN stands for R's NA. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One cumulative-incidence curve: a group and a cause (1 or 2).
 *
 * The arrays hold one entry per distinct time of an event of that cause in the group
 * (ascending), with the value just after the jump. These are the after-jump points of
 * cuminc's step layout, i.e. R's time/est/var at 1-based indices 3, 5, ..., 2 len + 1;
 * R's full layout is (0, 0, 0), then (time[j], est[j-1], var[j-1]) and
 * (time[j], est[j], var[j]) for each j, then (last_time, est[len-1], var[len-1]).
 *
 * est:   Aalen–Johansen estimate F_k(t) = sum over t_i <= t of S(t_i-) d_k(t_i) / n(t_i).
 * var:   Gray's (1988) delta-method variance, as cinc computes it (with its tie
 *        corrections). It is not survfit's infinitesimal-jackknife variance.
 * lower, upper: pointwise CI at conf_level on the log(-log) scale, with sd = sqrt (var)
 *        and z = the (1 + conf_level)/2 normal quantile:
 *            lower = F ^ exp (-z sd / (F log F)),   upper = F ^ exp (+z sd / (F log F)).
 *        Since log F < 0, the exponent of lower is >= 1, so lower <= F <= upper, and both
 *        stay in [0, 1]. This is the interval of tidycmprsk's tidy() (Pintilie 2006,
 *        "Competing Risks: A Practical Perspective"); cmprsk itself prints no interval.
 *        NaN when F is 0 or 1 (the transform is undefined there). When var is 0 and
 *        0 < F < 1, lower = upper = F.
 * last_time: the group's largest time, any status (NaN for a group with no records).
 *
 * A group with no event of the cause (or no record at all) has len 0 and NULL arrays;
 * R returns the 2-point curve (0, 0, 0), (last_time, 0, 0) for it, or nothing for a
 * group with no records or a cause absent from the whole data set. */
typedef struct {
  guint cause;
  guint len;
  double *time;
  double *est;
  double *var;
  double *lower;
  double *upper;
  double last_time;
  guint n;
  guint n_cause1;
  guint n_cause2;
  guint n_censored;
} StrataCumincCurve;

/* Gray's test for one cause, rho = 0, no strata (the "Tests" row of cuminc). */
typedef struct {
  guint cause;
  double stat;       /* s' V^-1 s over the first df groups with records; -1 if singular */
  guint df;          /* groups with at least one record, minus 1 */
  double p;          /* accurate upper tail, pchisq (stat, df, lower.tail = FALSE) */
  double pv;         /* what cuminc reports: 1 - pchisq (stat, df), by subtraction */
  gboolean singular; /* V rank-deficient by R's qr (LINPACK dqrdc2, tol 1e-7); p = pv = 1 */
} StrataGrayTest;

void strata_cuminc_curve_free (StrataCumincCurve *curve);

/* strata_cuminc_curves:
 * time[n] (finite, >= 0, any order), status[n] in {0, 1, 2}, group[n] in 0..n_groups-1,
 * 0 < conf_level < 1.
 * Returns (transfer full) 2 n_groups curves, in the order group 0 cause 1, group 0
 * cause 2, group 1 cause 1, ... (index 2 g + cause - 1), freed with the array; or NULL
 * if an input is out of range. The result does not depend on the row order. */
GPtrArray *strata_cuminc_curves (const double *time, const guint8 *status, const guint *group,
                                 gsize n, guint n_groups, double conf_level);

/* strata_cuminc_landmarks:
 * Right-continuous values of CURVE at times[n_times] (any order), as cmprsk::timepoints:
 * an event exactly at a landmark is included; 0 before the first event; NaN past
 * last_time (not carried forward), at a negative or NaN landmark, and for a group with
 * no records. Writes est[n_times] and var[n_times]; either may be NULL. */
void strata_cuminc_landmarks (const StrataCumincCurve *curve, const double *times, guint n_times,
                              double *est, double *var);

/* strata_gray_test:
 * Gray's test that cause CAUSE's cumulative incidence is equal in all groups with
 * records (same inputs as strata_cuminc_curves). Returns FALSE, leaving RESULT
 * untouched, if an input is out of range, if fewer than 2 groups have records, or if
 * no record has that cause (cuminc reports no test then). */
gboolean strata_gray_test (const double *time, const guint8 *status, const guint *group, gsize n,
                           guint n_groups, guint cause, StrataGrayTest *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataCumincCurve, strata_cuminc_curve_free)

G_END_DECLS

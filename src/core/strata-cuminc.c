/* strata-cuminc.c: cumulative incidence under competing risks and Gray's K-sample test.
 *
 * Follows R's cmprsk 2.2-11 step for step, including the order of floating-point
 * operations, so that results agree with cmprsk::cuminc to the last bits:
 *   - curves and their variance: Fortran subroutine cinc (cincsub.f), after
 *     Gray (1988), Ann. Statist. 16:1141-1154, section 2;
 *   - landmark values: subroutine tpoi (tpoi.f), as used by cmprsk::timepoints;
 *   - the test: subroutines crstm/crst (crstm.f), Gray (1988) section 3, then cuminc's
 *     qr()-based quadratic form (LINPACK dqrdc2 with tol = 1e-7 decides singularity).
 * Counts are converted to double where crst multiplies integers (n_j^2, d n_j); R's build
 * gives the same values (checked with 70000 patients at risk, where a 32-bit n_j^2 would
 * overflow). */
#include "strata-cuminc.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

/* The tolerance R's qr() passes to dqrdc2 (qr.default: tol = 1e-07). */
#define STRATA_QR_TOL 1e-7

typedef struct {
  double time;
  guint group;
  guint status;
} CumincRecord;

#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
#define RADIX_PASSES 6   /* 6 x 11 bits cover the 64 bits of a double */

static inline guint64
record_key (const CumincRecord *rec)
{
  guint64 key;

  memcpy (&key, &rec->time, sizeof key);
  return key;
}

/* records_radix_sort:
 * Sorts rec[n] by ascending time, stably, with a least-significant-digit radix sort
 * (O(n), 11-bit digits). Precondition: every time is finite and >= +0.0 (not -0.0), so
 * times order as their IEEE-754 bit patterns. tmp[n] is scratch; the result may end up
 * in either buffer, and *rec and *tmp are swapped accordingly. */
static void
records_radix_sort (CumincRecord **rec, CumincRecord **tmp, gsize n)
{
  g_autofree gsize *count = g_new0 (gsize, (gsize) RADIX_PASSES * RADIX_SIZE);

  for (gsize i = 0; i < n; i++)
    {
      guint64 key = record_key (&(*rec)[i]);
      for (guint p = 0; p < RADIX_PASSES; p++)
        count[p * RADIX_SIZE + ((key >> (p * RADIX_BITS)) & (RADIX_SIZE - 1))]++;
    }
  for (guint p = 0; p < RADIX_PASSES; p++)
    {
      gsize *c = count + p * RADIX_SIZE;
      gsize sum = 0;
      const CumincRecord *src = *rec;
      CumincRecord *dst = *tmp;

      /* A digit shared by every record leaves the order as it is. */
      if (c[(record_key (&src[0]) >> (p * RADIX_BITS)) & (RADIX_SIZE - 1)] == n)
        continue;
      for (guint b = 0; b < RADIX_SIZE; b++)
        {
          gsize k = c[b];
          c[b] = sum;
          sum += k;
        }
      for (gsize i = 0; i < n; i++)
        dst[c[(record_key (&src[i]) >> (p * RADIX_BITS)) & (RADIX_SIZE - 1)]++] = src[i];
      *tmp = *rec;
      *rec = dst;
    }
}

/* records_sorted_by_time:
 * Inputs as strata_cuminc_curves. Output: *out (transfer full, NULL when n is 0) holds the
 * n records in ascending time (radix sort, O(n)). The order inside ties does not matter:
 * every routine below aggregates over tied times.
 * Returns FALSE if a time is negative or not finite, a status is above 2 or a group is
 * out of range. */
static gboolean
records_sorted_by_time (const double *time, const guint8 *status, const guint *group,
                        gsize n, guint n_groups, CumincRecord **out)
{
  g_autofree CumincRecord *rec = NULL;
  g_autofree CumincRecord *tmp = NULL;

  *out = NULL;
  if (n == 0)
    return TRUE;
  if (time == NULL || status == NULL || group == NULL)
    return FALSE;
  rec = g_new (CumincRecord, n);
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (time[i]) || time[i] < 0.0 || status[i] > 2 || group[i] >= n_groups)
        return FALSE;
      rec[i].time = time[i] + 0.0;   /* -0.0 becomes +0.0 */
      rec[i].group = group[i];
      rec[i].status = status[i];
    }
  tmp = g_new (CumincRecord, n);
  records_radix_sort (&rec, &tmp, n);
  *out = g_steal_pointer (&rec);
  return TRUE;
}

void
strata_cuminc_curve_free (StrataCumincCurve *curve)
{
  if (curve == NULL)
    return;
  g_free (curve->time);
  g_free (curve->est);
  g_free (curve->var);
  g_free (curve->lower);
  g_free (curve->upper);
  g_free (curve);
}

/* ------------------------------------------------------------------------------------ */
/* Curves                                                                               */

/* cinc's running state for one cause: the estimate just after the last time processed
 * and Gray's three variance sums. */
typedef struct {
  double f;
  double v1, v2, v3;
} CincSums;

/* cinc_sums_add_time:
 * One distinct time t with events, for the cause whose state is SUMS (a port of the body
 * of cmprsk's cinc loop; Gray 1988 eq. 2.3 with the delta method).
 * Inputs: s_before = S(t-) and s_after = S(t) (all-cause KM of the group), at_risk =
 *   n(t) = #{time >= t} (a double, as in cinc), d_cause and d_other = events of this
 *   cause and of the other cause at t (d_cause + d_other > 0).
 * Output: the estimate is updated; when d_cause > 0 returns TRUE and sets *var to the
 *   variance reported at t. Tie correction: tau(d) = 1 - (d-1)/(n-1) for d > 1. */
static gboolean
cinc_sums_add_time (CincSums *sums, double s_before, double s_after, double at_risk,
                    guint d_cause, guint d_other, double *var)
{
  double rs2 = at_risk * at_risk;

  if (d_cause > 0)
    sums->f = sums->f + s_before * d_cause / at_risk;

  if (d_other > 0 && s_after > 0.0)
    {
      double tau = d_other > 1 ? 1.0 - (d_other - 1.0) / (at_risk - 1.0) : 1.0;
      double c = s_before * s_before * tau * d_other / rs2;
      double b = 1.0 / s_after;
      double a = sums->f / s_after;

      sums->v1 = sums->v1 + a * a * c;
      sums->v2 = sums->v2 + b * a * c;
      sums->v3 = sums->v3 + b * b * c;
    }

  if (d_cause == 0)
    return FALSE;

  double tau = d_cause > 1 ? 1.0 - (d_cause - 1.0) / (at_risk - 1.0) : 1.0;
  double c = s_before * s_before * tau * d_cause / rs2;
  double b = s_after > 0.0 ? 1.0 / s_after : 0.0;
  double u = 1.0 + b * sums->f;
  double f = sums->f;

  sums->v1 = sums->v1 + u * u * c;
  sums->v2 = sums->v2 + b * u * c;
  sums->v3 = sums->v3 + b * b * c;
  *var = sums->v1 + f * f * sums->v3 - 2.0 * f * sums->v2;
  return TRUE;
}

static StrataCumincCurve *
curve_new (guint cause, guint capacity)
{
  StrataCumincCurve *curve = g_new0 (StrataCumincCurve, 1);

  curve->cause = cause;
  curve->last_time = NAN;
  if (capacity > 0)
    {
      curve->time = g_new (double, capacity);
      curve->est = g_new (double, capacity);
      curve->var = g_new (double, capacity);
    }
  return curve;
}

/* curve_set_ci:
 * Fills lower/upper from est/var (see the header): the log(-log) interval
 * F ^ exp (-/+ z sqrt (var) / (F log F)); NaN where F is 0 or 1. z > 0. */
static void
curve_set_ci (StrataCumincCurve *curve, double z)
{
  if (curve->len == 0)
    return;
  curve->lower = g_new (double, curve->len);
  curve->upper = g_new (double, curve->len);
  for (guint j = 0; j < curve->len; j++)
    {
      double f = curve->est[j];

      if (!(f > 0.0 && f < 1.0))
        {
          curve->lower[j] = curve->upper[j] = NAN;
          continue;
        }
      double w = z * sqrt (curve->var[j]) / (f * log (f));
      curve->lower[j] = pow (f, exp (-w));
      curve->upper[j] = pow (f, exp (w));
    }
}

/* group_curves_estimate:
 * Inputs: rec[n], one group's records in ascending time (n >= 1).
 * Outputs: CURVE1 and CURVE2 (cause 1 and 2; arrays sized for the group's count of that
 *   cause) receive the after-jump points, the counts and last_time.
 * Both causes run through cinc's recursion in one pass: they share the all-cause KM
 * S(t-) -> S(t) = S(t-) (n - d1 - d2) / n, and at each distinct time the events of the
 * two causes are simultaneous (censorings at t stay at risk at t). */
static void
group_curves_estimate (const CumincRecord *rec, gsize n, StrataCumincCurve *curve1,
                       StrataCumincCurve *curve2)
{
  CincSums sums1 = { 0 }, sums2 = { 0 };
  double s_before = 1.0;
  gsize lo = 0;

  while (lo < n)
    {
      double t = rec[lo].time;
      guint d[3] = { 0, 0, 0 };
      gsize hi = lo;
      double var;

      for (; hi < n && rec[hi].time == t; hi++)
        d[rec[hi].status]++;

      curve1->n_censored += d[0];
      curve1->n_cause1 += d[1];
      curve1->n_cause2 += d[2];
      if (d[1] + d[2] > 0)
        {
          double at_risk = (double) (n - lo);
          double s_after = s_before * (at_risk - (d[1] + d[2])) / at_risk;

          if (cinc_sums_add_time (&sums1, s_before, s_after, at_risk, d[1], d[2], &var))
            {
              curve1->time[curve1->len] = t;
              curve1->est[curve1->len] = sums1.f;
              curve1->var[curve1->len] = var;
              curve1->len++;
            }
          if (cinc_sums_add_time (&sums2, s_before, s_after, at_risk, d[2], d[1], &var))
            {
              curve2->time[curve2->len] = t;
              curve2->est[curve2->len] = sums2.f;
              curve2->var[curve2->len] = var;
              curve2->len++;
            }
          s_before = s_after;
        }
      lo = hi;
    }

  curve1->n = (guint) n;
  curve1->last_time = rec[n - 1].time;
  curve2->n = curve1->n;
  curve2->n_cause1 = curve1->n_cause1;
  curve2->n_cause2 = curve1->n_cause2;
  curve2->n_censored = curve1->n_censored;
  curve2->last_time = curve1->last_time;
}

GPtrArray *
strata_cuminc_curves (const double *time, const guint8 *status, const guint *group,
                      gsize n, guint n_groups, double conf_level)
{
  g_autofree CumincRecord *rec = NULL;
  g_autofree CumincRecord *by_group = NULL;
  g_autofree gsize *start = NULL;
  g_autofree guint *n_cause = NULL;
  GPtrArray *curves;
  double z;

  if (!(conf_level > 0.0 && conf_level < 1.0) || n > G_MAXUINT)
    return NULL;
  if (!records_sorted_by_time (time, status, group, n, n_groups, &rec))
    return NULL;
  z = -gsl_cdf_ugaussian_Pinv ((1.0 - conf_level) / 2.0);

  /* Stable partition by group, so each group stays in ascending time. */
  start = g_new0 (gsize, (gsize) n_groups + 1);
  n_cause = g_new0 (guint, 3 * (gsize) n_groups);
  for (gsize i = 0; i < n; i++)
    {
      start[rec[i].group + 1]++;
      n_cause[3 * (gsize) rec[i].group + rec[i].status]++;
    }
  for (guint g = 0; g < n_groups; g++)
    start[g + 1] += start[g];
  if (n > 0)
    {
      g_autofree gsize *next = g_memdup2 (start, sizeof (gsize) * n_groups);

      by_group = g_new (CumincRecord, n);
      for (gsize i = 0; i < n; i++)
        by_group[next[rec[i].group]++] = rec[i];
    }

  curves = g_ptr_array_new_full (2 * n_groups, (GDestroyNotify) strata_cuminc_curve_free);
  for (guint g = 0; g < n_groups; g++)
    {
      StrataCumincCurve *curve1 = curve_new (1, n_cause[3 * (gsize) g + 1]);
      StrataCumincCurve *curve2 = curve_new (2, n_cause[3 * (gsize) g + 2]);
      gsize n_g = start[g + 1] - start[g];

      if (n_g > 0)
        group_curves_estimate (by_group + start[g], n_g, curve1, curve2);
      curve_set_ci (curve1, z);
      curve_set_ci (curve2, z);
      g_ptr_array_add (curves, curve1);
      g_ptr_array_add (curves, curve2);
    }
  return curves;
}

/* ------------------------------------------------------------------------------------ */
/* Landmarks                                                                            */

/* strata_cuminc_landmarks:
 * The value at L is that of the last after-jump point with time <= L (0 before the
 * first), for 0 <= L <= last_time; NaN otherwise. This is what cmprsk's tpoi finds in
 * cuminc's 2m+2-point layout: with L == last_time it takes the final point, with
 * L > last_time it gives NA, and otherwise the point after the last time <= L, which
 * repeats the value after the jump at that time. Binary search: O(log len) per time. */
void
strata_cuminc_landmarks (const StrataCumincCurve *curve, const double *times, guint n_times,
                         double *est, double *var)
{
  for (guint i = 0; i < n_times; i++)
    {
      double l = times[i];
      double e = NAN, v = NAN;

      if (!isnan (curve->last_time) && l >= 0.0 && l <= curve->last_time)
        {
          guint lo = 0, hi = curve->len;   /* count of points with time <= l */

          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;
              if (curve->time[mid] <= l)
                lo = mid + 1;
              else
                hi = mid;
            }
          e = lo == 0 ? 0.0 : curve->est[lo - 1];
          v = lo == 0 ? 0.0 : curve->var[lo - 1];
        }
      if (est != NULL)
        est[i] = e;
      if (var != NULL)
        var[i] = v;
    }
}

/* ------------------------------------------------------------------------------------ */
/* Gray's test                                                                          */

/* Work space of crst for ng groups; matrices are row-major ng x ng, the score
 * variance is packed lower-triangular over the first ng - 1 groups. */
typedef struct {
  guint ng;
  guint *at_risk;     /* rs: #{time >= t} per group */
  guint *d;           /* 3 x ng: censored, cause, other cause at t */
  double *f1m, *f1;   /* group cuminc of the cause, left / right continuous */
  double *skmm, *skm; /* group all-cause KM, left / right continuous */
  double *a, *c;      /* ng x ng */
  double *v2;         /* (ng - 1) x ng */
  double *v3;         /* ng */
} CrstWork;

static void
crst_work_init (CrstWork *w, guint ng)
{
  w->ng = ng;
  w->at_risk = g_new0 (guint, ng);
  w->d = g_new0 (guint, 3 * (gsize) ng);
  w->f1m = g_new0 (double, ng);
  w->f1 = g_new0 (double, ng);
  w->skmm = g_new (double, ng);
  w->skm = g_new (double, ng);
  w->a = g_new0 (double, (gsize) ng * ng);
  w->c = g_new0 (double, (gsize) ng * ng);
  w->v2 = g_new0 (double, (gsize) (ng - 1) * ng);
  w->v3 = g_new0 (double, ng);
  for (guint i = 0; i < ng; i++)
    w->skmm[i] = w->skm[i] = 1.0;
}

static void
crst_work_clear (CrstWork *w)
{
  g_free (w->at_risk);
  g_free (w->d);
  g_free (w->f1m);
  g_free (w->f1);
  g_free (w->skmm);
  g_free (w->skm);
  g_free (w->a);
  g_free (w->c);
  g_free (w->v2);
  g_free (w->v3);
}

/* gray_score_variance:
 * Port of cmprsk's crst (one stratum), Gray (1988) section 3.
 * Inputs: rec[n] in ascending time with groups recoded 0..ng-1 (ng >= 2, every group
 *   non-empty) and status recoded 1 = the cause of interest, 2 = the other cause,
 *   0 = censored; rho = the weight exponent, w(t) = (1 - F(t-))^rho with F the pooled
 *   cuminc estimate.
 * Outputs: score[ng-1], s_j = sum_t w [d_j - d R_j / R] with
 *   R_j = n_j (1 - F_j(t-)) / S_j(t-); vmat[(ng-1)^2], the score variance (row-major,
 *   symmetric), with crst's tie corrections 1 - (d-1)/(sum_r n_r/S_r(t-) - 1) for the
 *   cause and 1 - (d_j-1)/(n_j-1) for the other cause. O(n + T ng^3), T = event times. */
static void
gray_score_variance (const CumincRecord *rec, gsize n, guint ng, double rho, double *score,
                     double *vmat)
{
  const guint ng1 = ng - 1;
  g_autofree double *v = g_new0 (double, (gsize) ng1 * (ng1 + 1) / 2);
  CrstWork w;
  double fm = 0.0, f = 0.0;
  gsize lo = 0;

  crst_work_init (&w, ng);
  for (guint i = 0; i < ng1; i++)
    score[i] = 0.0;
  for (gsize i = 0; i < n; i++)
    w.at_risk[rec[i].group]++;

  while (lo < n)
    {
      double t = rec[lo].time;
      guint nd1 = 0, nd2 = 0;
      gsize hi = lo;

      for (guint i = 0; i < 3 * ng; i++)
        w.d[i] = 0;
      for (; hi < n && rec[hi].time == t; hi++)
        w.d[3 * rec[hi].group + rec[hi].status]++;
      for (guint i = 0; i < ng; i++)
        {
          nd1 += w.d[3 * i + 1];
          nd2 += w.d[3 * i + 2];
        }

      if (nd1 > 0 || nd2 > 0)
        {
          double tr = 0.0, tq = 0.0, fb;

          for (guint i = 0; i < ng; i++)
            {
              double rs = w.at_risk[i];

              if (w.at_risk[i] == 0)
                continue;
              guint td = w.d[3 * i + 1] + w.d[3 * i + 2];
              w.skm[i] = w.skmm[i] * (double) (w.at_risk[i] - td) / rs;
              w.f1[i] = w.f1m[i] + (w.skmm[i] * w.d[3 * i + 1]) / rs;
              tr = tr + rs / w.skmm[i];
              tq = tq + rs * (1.0 - w.f1m[i]) / w.skmm[i];
            }
          f = fm + nd1 / tr;
          fb = pow (1.0 - fm, rho);

          /* a: the derivative matrix at t; c accumulates its integral against dF. */
          for (guint i = 0; i < ng; i++)
            {
              for (guint j = i; j < ng; j++)
                w.a[i * ng + j] = 0.0;
              if (w.at_risk[i] == 0)
                continue;
              double t1 = w.at_risk[i] / w.skmm[i];
              w.a[i * ng + i] = fb * t1 * (1.0 - t1 / tr);
              w.c[i * ng + i] = w.c[i * ng + i] + w.a[i * ng + i] * nd1 / (tr * (1.0 - fm));
              for (guint j = i + 1; j < ng; j++)
                {
                  if (w.at_risk[j] == 0)
                    continue;
                  w.a[i * ng + j] = -(fb * t1 * w.at_risk[j] / (w.skmm[j] * tr));
                  w.c[i * ng + j] = w.c[i * ng + j] + w.a[i * ng + j] * nd1 / (tr * (1.0 - fm));
                }
            }
          for (guint i = 1; i < ng; i++)
            for (guint j = 0; j < i; j++)
              {
                w.a[i * ng + j] = w.a[j * ng + i];
                w.c[i * ng + j] = w.c[j * ng + i];
              }

          for (guint i = 0; i < ng1; i++)
            {
              if (w.at_risk[i] == 0)
                continue;
              double expected = (double) nd1 * w.at_risk[i] * (1.0 - w.f1m[i])
                                / (w.skmm[i] * tq);
              score[i] = score[i] + fb * (w.d[3 * i + 1] - expected);
            }

          if (nd1 > 0)
            for (guint k = 0; k < ng; k++)
              {
                if (w.at_risk[k] == 0)
                  continue;
                double t4 = w.skm[k] > 0.0 ? 1.0 - (1.0 - f) / w.skm[k] : 1.0;
                double t5 = nd1 > 1 ? 1.0 - (nd1 - 1.0) / (tr * w.skmm[k] - 1.0) : 1.0;
                double t3 = t5 * w.skmm[k] * nd1 / (tr * w.at_risk[k]);

                w.v3[k] = w.v3[k] + t4 * t4 * t3;
                for (guint i = 0; i < ng1; i++)
                  {
                    double t1 = w.a[i * ng + k] - t4 * w.c[i * ng + k];
                    w.v2[i * ng + k] = w.v2[i * ng + k] + t1 * t4 * t3;
                    for (guint j = 0; j <= i; j++)
                      {
                        double t2 = w.a[j * ng + k] - t4 * w.c[j * ng + k];
                        gsize l = (gsize) i * (i + 1) / 2 + j;
                        v[l] = v[l] + t1 * t2 * t3;
                      }
                  }
              }

          if (nd2 > 0)
            for (guint k = 0; k < ng; k++)
              {
                guint d2 = w.d[3 * k + 2];
                if (w.skm[k] <= 0.0 || d2 == 0)
                  continue;
                double rs = w.at_risk[k];
                double t4 = (1.0 - f) / w.skm[k];
                double t5 = d2 > 1 ? 1.0 - (d2 - 1.0) / (rs - 1.0) : 1.0;
                double t3 = t5 * ((w.skmm[k] * w.skmm[k]) * d2) / (rs * rs);

                w.v3[k] = w.v3[k] + t4 * t4 * t3;
                for (guint i = 0; i < ng1; i++)
                  {
                    double t1 = t4 * w.c[i * ng + k];
                    w.v2[i * ng + k] = w.v2[i * ng + k] - t1 * t4 * t3;
                    for (guint j = 0; j <= i; j++)
                      {
                        double t2 = t4 * w.c[j * ng + k];
                        gsize l = (gsize) i * (i + 1) / 2 + j;
                        v[l] = v[l] + t1 * t2 * t3;
                      }
                  }
              }
        }

      for (gsize i = lo; i < hi; i++)
        w.at_risk[rec[i].group]--;
      fm = f;
      for (guint i = 0; i < ng; i++)
        {
          w.f1m[i] = w.f1[i];
          w.skmm[i] = w.skm[i];
        }
      lo = hi;
    }

  for (guint i = 0; i < ng1; i++)
    for (guint j = 0; j <= i; j++)
      {
        gsize l = (gsize) i * (i + 1) / 2 + j;
        for (guint k = 0; k < ng; k++)
          {
            v[l] = v[l] + w.c[i * ng + k] * w.c[j * ng + k] * w.v3[k];
            v[l] = v[l] + w.c[i * ng + k] * w.v2[j * ng + k];
            v[l] = v[l] + w.c[j * ng + k] * w.v2[i * ng + k];
          }
        vmat[i * ng1 + j] = vmat[j * ng1 + i] = v[l];
      }
  crst_work_clear (&w);
}

static double
column_norm (const double *x, guint len)
{
  double scale = 0.0, ssq = 1.0;

  /* Scaled sum of squares, as the reference BLAS dnrm2. */
  for (guint i = 0; i < len; i++)
    if (x[i] != 0.0)
      {
        double ax = fabs (x[i]);
        if (scale < ax)
          {
            ssq = 1.0 + ssq * (scale / ax) * (scale / ax);
            scale = ax;
          }
        else
          ssq += (ax / scale) * (ax / scale);
      }
  return scale * sqrt (ssq);
}

static double
column_dot (const double *x, const double *y, guint len)
{
  double s = 0.0;

  for (guint i = 0; i < len; i++)
    s += x[i] * y[i];
  return s;
}

/* qr_decompose_limited_pivoting:
 * Householder QR with R's limited column pivoting (LINPACK dqrdc2, as in R's qr()):
 * a column whose remaining norm falls below tol times its original norm is moved to the
 * end and not counted in the rank.
 * Inputs: x, p x p, column-major (column j at x + j p), overwritten by the factorization
 *   (R in the upper triangle, Householder vectors below, their leading parts in qraux);
 *   qraux[p], work[2 p] scratch.
 * Returns the rank. With full rank no column moves. */
static guint
qr_decompose_limited_pivoting (double *x, guint p, double tol, double *qraux, double *work)
{
  double *norm_now = work, *norm_orig = work + p;
  guint k = p + 1;

  for (guint j = 0; j < p; j++)
    {
      qraux[j] = norm_now[j] = norm_orig[j] = column_norm (x + (gsize) j * p, p);
      if (norm_orig[j] == 0.0)
        norm_orig[j] = 1.0;
    }

  for (guint l = 0; l < p; l++)
    {
      /* 1-based l + 1 < k: cycle negligible columns to the end. */
      while (l + 1 < k && qraux[l] < norm_orig[l] * tol)
        {
          for (guint i = 0; i < p; i++)
            {
              double t = x[(gsize) l * p + i];
              for (guint j = l + 1; j < p; j++)
                x[(gsize) (j - 1) * p + i] = x[(gsize) j * p + i];
              x[(gsize) (p - 1) * p + i] = t;
            }
          double t = qraux[l], tt = norm_now[l], ttt = norm_orig[l];
          for (guint j = l + 1; j < p; j++)
            {
              qraux[j - 1] = qraux[j];
              norm_now[j - 1] = norm_now[j];
              norm_orig[j - 1] = norm_orig[j];
            }
          qraux[p - 1] = t;
          norm_now[p - 1] = tt;
          norm_orig[p - 1] = ttt;
          k--;
        }
      if (l + 1 == p)
        break;

      double *xl = x + (gsize) l * p + l;   /* column l from row l */
      double nrmxl = column_norm (xl, p - l);
      if (nrmxl == 0.0)
        continue;
      if (xl[0] != 0.0)
        nrmxl = copysign (nrmxl, xl[0]);
      for (guint i = 0; i < p - l; i++)
        xl[i] *= 1.0 / nrmxl;
      xl[0] = 1.0 + xl[0];

      for (guint j = l + 1; j < p; j++)
        {
          double *xj = x + (gsize) j * p + l;
          double t = -column_dot (xl, xj, p - l) / xl[0];
          for (guint i = 0; i < p - l; i++)
            xj[i] += t * xl[i];
          if (qraux[j] == 0.0)
            continue;
          double tt = 1.0 - (fabs (xj[0]) / qraux[j]) * (fabs (xj[0]) / qraux[j]);
          tt = MAX (tt, 0.0);
          if (fabs (tt) >= 1e-6)
            qraux[j] = qraux[j] * sqrt (tt);
          else
            {
              qraux[j] = column_norm (xj + 1, p - l - 1);
              norm_now[j] = qraux[j];
            }
        }
      qraux[l] = xl[0];
      xl[0] = -nrmxl;
    }
  return MIN (k - 1, p);
}

/* qr_solve_full_rank:
 * Solves A b = y given dqrdc2's factorization of a full-rank p x p A (LINPACK dqrsl:
 * Q'y by the stored reflections, then back substitution with R). y is overwritten by b. */
static void
qr_solve_full_rank (const double *x, guint p, const double *qraux, double *y)
{
  for (guint j = 0; j + 1 < p; j++)
    {
      if (qraux[j] == 0.0)
        continue;
      const double *xj = x + (gsize) j * p + j;
      double diag = qraux[j];   /* leading element of the reflection */
      double t = -(diag * y[j] + column_dot (xj + 1, y + j + 1, p - j - 1)) / diag;
      y[j] += t * diag;
      for (guint i = 1; i < p - j; i++)
        y[j + i] += t * xj[i];
    }
  for (guint jj = p; jj-- > 0;)
    {
      y[jj] /= x[(gsize) jj * p + jj];
      double t = -y[jj];
      for (guint i = 0; i < jj; i++)
        y[i] += t * x[(gsize) jj * p + i];
    }
}

/* gray_quadratic_form:
 * cuminc's statistic from crstm's output: with a <- qr(V), if rank(a) == ng - 1 the
 * statistic is s' qr.coef(a, I) s, otherwise -1 (singular).
 * Inputs: score[p], vmat[p x p] symmetric (destroyed). Returns the statistic. */
static double
gray_quadratic_form (const double *score, double *vmat, guint p, gboolean *singular)
{
  g_autofree double *qraux = g_new (double, p);
  g_autofree double *work = g_new (double, 2 * (gsize) p);
  g_autofree double *inverse = g_new0 (double, (gsize) p * p);
  double stat = 0.0;

  /* vmat is symmetric, so its row-major and column-major layouts coincide. */
  *singular = qr_decompose_limited_pivoting (vmat, p, STRATA_QR_TOL, qraux, work) < p;
  if (*singular)
    return -1.0;

  for (guint j = 0; j < p; j++)
    {
      double *col = inverse + (gsize) j * p;
      col[j] = 1.0;
      qr_solve_full_rank (vmat, p, qraux, col);
    }
  /* (s' V^-1) s, as R's s %*% coef %*% s. */
  for (guint j = 0; j < p; j++)
    stat += column_dot (score, inverse + (gsize) j * p, p) * score[j];
  return stat;
}

gboolean
strata_gray_test (const double *time, const guint8 *status, const guint *group, gsize n,
                  guint n_groups, guint cause, StrataGrayTest *result)
{
  g_autofree CumincRecord *rec = NULL;
  g_autofree guint *code = NULL;
  g_autofree double *score = NULL;
  g_autofree double *vmat = NULL;
  guint ng = 0;
  gsize n_cause = 0;
  gboolean singular;
  double stat;

  if (cause != 1 && cause != 2)
    return FALSE;
  if (!records_sorted_by_time (time, status, group, n, n_groups, &rec) || n < 2)
    return FALSE;

  /* Groups with records, recoded 0..ng-1 in level order (cuminc drops empty levels);
   * status recoded 1 = this cause, 2 = the other one. */
  code = g_new0 (guint, n_groups);
  for (gsize i = 0; i < n; i++)
    code[rec[i].group] = 1;
  for (guint g = 0; g < n_groups; g++)
    code[g] = code[g] ? ng++ : G_MAXUINT;
  for (gsize i = 0; i < n; i++)
    {
      rec[i].group = code[rec[i].group];
      if (rec[i].status != 0)
        {
          rec[i].status = rec[i].status == cause ? 1 : 2;
          n_cause += rec[i].status == 1;
        }
    }
  if (ng < 2 || n_cause == 0)
    return FALSE;

  score = g_new (double, ng - 1);
  vmat = g_new (double, (gsize) (ng - 1) * (ng - 1));
  gray_score_variance (rec, n, ng, 0.0, score, vmat);
  stat = gray_quadratic_form (score, vmat, ng - 1, &singular);

  result->cause = cause;
  result->stat = stat;
  result->df = ng - 1;
  result->singular = singular;
  if (singular)
    result->p = result->pv = 1.0;
  else
    {
      result->p = gsl_cdf_chisq_Q (stat, result->df);
      result->pv = 1.0 - gsl_cdf_chisq_P (stat, result->df);
    }
  return TRUE;
}

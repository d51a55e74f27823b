/* strata-km.c: the Kaplan–Meier estimator with Greenwood variance, R's confidence
 * interval transforms, the median rule, landmark estimates and the restricted mean.
 * Every rule follows R's survival package (survfit, summary.survfit, survmean);
 * tests/data/README.md lists the edge cases. */
#include "strata-km.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

/* R's all.equal tolerance, sqrt (.Machine$double.eps), used by the median rule. */
#define STRATA_MEDIAN_TOLERANCE 1.4901161193847656e-08

const char *
strata_conf_type_to_string (StrataConfType type)
{
  switch (type)
    {
    case STRATA_CONF_LOG:
      return "log";
    case STRATA_CONF_PLAIN:
      return "plain";
    case STRATA_CONF_LOG_LOG:
    default:
      return "log-log";
    }
}

gboolean
strata_conf_type_from_string (const char *text, StrataConfType *type)
{
  if (g_strcmp0 (text, "log-log") == 0 || g_strcmp0 (text, "loglog") == 0)
    *type = STRATA_CONF_LOG_LOG;
  else if (g_strcmp0 (text, "log") == 0)
    *type = STRATA_CONF_LOG;
  else if (g_strcmp0 (text, "plain") == 0)
    *type = STRATA_CONF_PLAIN;
  else
    return FALSE;
  return TRUE;
}

static StrataKmTable *
km_table_alloc (guint len)
{
  StrataKmTable *table = g_new0 (StrataKmTable, 1);

  table->len = len;
  table->time = g_new (double, len);
  table->n_risk = g_new (guint, len);
  table->n_event = g_new (guint, len);
  table->n_censor = g_new (guint, len);
  table->surv = g_new (double, len);
  table->var_log = g_new (double, len);
  table->std_err = g_new (double, len);
  table->lower = g_new (double, len);
  table->upper = g_new (double, len);
  return table;
}

void
strata_km_table_free (StrataKmTable *table)
{
  if (table == NULL)
    return;
  g_free (table->time);
  g_free (table->n_risk);
  g_free (table->n_event);
  g_free (table->n_censor);
  g_free (table->surv);
  g_free (table->var_log);
  g_free (table->std_err);
  g_free (table->lower);
  g_free (table->upper);
  g_free (table);
}

/* strata_km_table_estimate:
 * Inputs: TIME[N] sorted ascending (order within ties free), EVENT[N] 1 = event,
 *   0 = censored. Output: one row per distinct time with the numbers at risk (censored
 *   subjects at a time count as at risk there: censoring follows the deaths), events,
 *   censorings, S(t) = prod (1 - d/n) and the Greenwood sum var_log = sum d/(n(n-d)),
 *   which is Inf once n == d (R: survfit.c). CIs are left NaN: see set_ci.
 * Source: Kaplan & Meier (1958); Greenwood (1926); Therneau, survival::survfitKM. */
StrataKmTable *
strata_km_table_estimate (const double *time, const guint8 *event, gsize n)
{
  guint distinct = 0;
  for (gsize i = 0; i < n; i++)
    if (i == 0 || time[i] != time[i - 1])
      distinct++;

  StrataKmTable *table = km_table_alloc (distinct);
  table->n = (guint) n;

  double surv = 1.0, greenwood = 0.0;
  guint at_risk = (guint) n, row = 0, events = 0;
  gsize i = 0;
  while (i < n)
    {
      double t = time[i];
      guint deaths = 0, censored = 0;
      for (; i < n && time[i] == t; i++)
        {
          if (event[i])
            deaths++;
          else
            censored++;
        }
      if (deaths > 0)
        {
          surv *= (double) (at_risk - deaths) / (double) at_risk;
          greenwood += deaths == at_risk
                       ? INFINITY
                       : (double) deaths / ((double) at_risk * (double) (at_risk - deaths));
        }
      table->time[row] = t;
      table->n_risk[row] = at_risk;
      table->n_event[row] = deaths;
      table->n_censor[row] = censored;
      table->surv[row] = surv;
      table->var_log[row] = greenwood;
      table->std_err[row] = surv * sqrt (greenwood);
      table->lower[row] = NAN;
      table->upper[row] = NAN;
      events += deaths;
      at_risk -= deaths + censored;
      row++;
    }
  table->events = events;
  return table;
}

/* The two-sided normal quantile of a confidence level: qnorm (1 - (1 - level) / 2). */
double
strata_km_z_value (double conf_level)
{
  return gsl_cdf_ugaussian_Pinv (1.0 - (1.0 - conf_level) / 2.0);
}

/* km_interval:
 * Inputs: S = surv, SE = SE of log S (sqrt of the Greenwood sum), Z, the transform.
 * Outputs: LOWER, UPPER; NaN where R gives NA.
 * Source: survival::survfit_confint (logse = TRUE): plain = S +- z se S clipped to
 *   [0, 1]; log = exp (log S +- z se), upper capped at 1, NA at S = 0; log-log =
 *   exp (-exp (log (-log S) -+ z se / log S)), NA at S = 0 or 1. NA propagates, as
 *   pmax/pmin do in R (C's fmax would drop it). */
static void
km_interval (double s, double se, double z, StrataConfType type, double *lower, double *upper)
{
  switch (type)
    {
    case STRATA_CONF_PLAIN:
      {
        double half = se * s * z;
        double lo = s - half, hi = s + half;
        *lower = isnan (lo) ? NAN : (lo < 0.0 ? 0.0 : lo);
        *upper = isnan (hi) ? NAN : (hi > 1.0 ? 1.0 : hi);
        return;
      }
    case STRATA_CONF_LOG:
      {
        if (s == 0.0 || isnan (s))
          {
            *lower = *upper = NAN;
            return;
          }
        double hi = exp (log (s) + z * se);
        *lower = exp (log (s) - z * se);
        *upper = isnan (hi) ? NAN : (hi > 1.0 ? 1.0 : hi);
        return;
      }
    case STRATA_CONF_LOG_LOG:
    default:
      {
        if (s == 0.0 || s == 1.0 || isnan (s))
          {
            *lower = *upper = NAN;
            return;
          }
        double half = z * se / log (s);
        double centre = log (-log (s));
        *lower = exp (-exp (centre - half));
        *upper = exp (-exp (centre + half));
        return;
      }
    }
}

void
strata_km_table_set_ci (StrataKmTable *table, StrataConfType type, double conf_level)
{
  double z = strata_km_z_value (conf_level);

  for (guint i = 0; i < table->len; i++)
    km_interval (table->surv[i], sqrt (table->var_log[i]), z, type,
                 &table->lower[i], &table->upper[i]);
}

/* median_of_curve:
 * Inputs: a step curve Y over TIME (LEN points), NaN points skipped.
 * Output: the first time with Y <= 0.5 (tolerance sqrt(eps)); when that Y equals 0.5
 *   within tolerance and the curve later drops below it, the midpoint between that
 *   time and the first time of the lower value. NaN when the curve never reaches 0.5.
 * Source: survival:::survmean, its inner function minmin. */
static double
median_of_curve (const double *y, const double *time, guint len)
{
  gssize first = -1;

  for (guint i = 0; i < len; i++)
    if (!isnan (y[i]) && y[i] < 0.5 + STRATA_MEDIAN_TOLERANCE)
      {
        first = i;
        break;
      }
  if (first < 0)
    return NAN;
  if (fabs (y[first] - 0.5) < STRATA_MEDIAN_TOLERANCE)
    for (guint i = (guint) first + 1; i < len; i++)
      if (!isnan (y[i]) && y[i] < y[first])
        return (time[first] + time[i]) / 2.0;
  return time[first];
}

void
strata_km_median (const StrataKmTable *table, double *median, double *lower, double *upper)
{
  *median = median_of_curve (table->surv, table->time, table->len);
  *lower = median_of_curve (table->lower, table->time, table->len);
  *upper = median_of_curve (table->upper, table->time, table->len);
}

/* strata_km_restricted_mean:
 * Inputs: a KM table and the upper limit TAU >= its last time (R's rmean = "common":
 *   the largest time of the whole dataset). Outputs: the area under S from 0 to TAU
 *   (S held flat after the last time) and its SE,
 *   var = sum_m (area beyond t_m)^2 * d_m / (n_m (n_m - d_m)), a term being 0 when
 *   n_m == d_m. Source: survival:::survmean (the rectangles / hh computation). */
void
strata_km_restricted_mean (const StrataKmTable *table, double upper_limit,
                           double *rmean, double *rmean_se)
{
  guint len = table->len;
  /* Rectangle m (0-based) spans [t_{m-1}, t_m) at height S(t_{m-1}); the last one
   * ends at tau. */
  g_autofree double *rect = g_new (double, len + 1);
  double previous_time = 0.0, previous_surv = 1.0, area = 0.0;

  for (guint m = 0; m < len; m++)
    {
      rect[m] = (table->time[m] - previous_time) * previous_surv;
      previous_time = table->time[m];
      previous_surv = table->surv[m];
    }
  rect[len] = (upper_limit - previous_time) * previous_surv;
  for (guint m = 0; m <= len; m++)
    area += rect[m];

  double variance = 0.0, beyond = 0.0;
  for (gssize m = (gssize) len - 1; m >= 0; m--)
    {
      beyond += rect[m + 1];
      guint n = table->n_risk[m], d = table->n_event[m];
      double hh = n == d ? 0.0 : (double) d / ((double) n * (double) (n - d));
      variance += beyond * beyond * hh;
    }
  *rmean = area;
  *rmean_se = sqrt (variance);
}

gssize
strata_km_table_find (const StrataKmTable *table, double t)
{
  gssize lo = 0, hi = (gssize) table->len;   /* first index with time > t */

  while (lo < hi)
    {
      gssize mid = lo + (hi - lo) / 2;
      if (table->time[mid] <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo - 1;
}

void
strata_km_landmarks_free (StrataKmLandmarks *landmarks)
{
  if (landmarks == NULL)
    return;
  g_free (landmarks->time);
  g_free (landmarks->n_risk);
  g_free (landmarks->n_event);
  g_free (landmarks->n_censor);
  g_free (landmarks->surv);
  g_free (landmarks->std_err);
  g_free (landmarks->lower);
  g_free (landmarks->upper);
  g_free (landmarks);
}

/* strata_km_landmarks:
 * Inputs: a KM table, TIMES[N_TIMES] ascending, the CI transform and level.
 * Outputs: per time, S, its SE and CI from the last row at or before it (carried
 *   forward past the last row); before the first row S = 1, SE = 0, CI = [1, 1]
 *   (R's synthetic time-0 row); n_risk = #{time >= t}; n_event and n_censor count
 *   what falls in (previous time, t], the first interval starting at 0.
 * Source: survival::summary.survfit (times =, extend = TRUE). */
StrataKmLandmarks *
strata_km_landmarks (const StrataKmTable *table, const double *times, guint n_times,
                     StrataConfType type, double conf_level)
{
  StrataKmLandmarks *lm = g_new0 (StrataKmLandmarks, 1);
  double z = strata_km_z_value (conf_level);
  guint row = 0;   /* first table row not yet counted into an interval */

  lm->len = n_times;
  lm->time = g_memdup2 (times, sizeof (double) * n_times);
  lm->n_risk = g_new (guint, n_times);
  lm->n_event = g_new (guint, n_times);
  lm->n_censor = g_new (guint, n_times);
  lm->surv = g_new (double, n_times);
  lm->std_err = g_new (double, n_times);
  lm->lower = g_new (double, n_times);
  lm->upper = g_new (double, n_times);

  for (guint k = 0; k < n_times; k++)
    {
      double t = times[k];
      guint events = 0, censored = 0;

      for (; row < table->len && table->time[row] <= t; row++)
        {
          events += table->n_event[row];
          censored += table->n_censor[row];
        }
      lm->n_event[k] = events;
      lm->n_censor[k] = censored;
      gssize at = (gssize) row - 1;
      if (at >= 0 && table->time[at] == t)
        lm->n_risk[k] = table->n_risk[at];
      else
        lm->n_risk[k] = row < table->len ? table->n_risk[row] : 0;

      if (at < 0)
        {
          lm->n_risk[k] = table->n;
          lm->surv[k] = 1.0;
          lm->std_err[k] = 0.0;
          lm->lower[k] = 1.0;
          lm->upper[k] = 1.0;
          continue;
        }
      lm->surv[k] = table->surv[at];
      lm->std_err[k] = table->std_err[at];
      km_interval (table->surv[at], sqrt (table->var_log[at]), z, type,
                   &lm->lower[k], &lm->upper[k]);
    }
  return lm;
}

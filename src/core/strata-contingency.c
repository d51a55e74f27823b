/* strata-contingency.c: Pearson's chi-square test and binomial proportion intervals
 * for response tables, matching R (stats::chisq.test, binom.test, prop.test).
 *
 * Fisher's exact test and the 2 x 2 odds ratio live in strata-fisher.c.
 */
#include "strata-contingency.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>

G_DEFINE_QUARK (strata-contingency-error-quark, strata_contingency_error)

/* Pearson's chi-square test of independence, as R's chisq.test(x, correct = FALSE).
 *
 * Inputs:  COUNTS, NROW x NCOL cell counts in row-major order.
 * Outputs: RESULT->statistic = sum (O - E)^2 / E with E_ij = (R_i * C_j) / N,
 *          RESULT->df = (NROW - 1)(NCOL - 1), RESULT->p = upper tail of chi-square(df).
 * Empty rows and columns are kept, as R keeps them: their expected counts are 0, so the
 * statistic and p are NaN (R's 0/0) while df still counts them. A caller that wants the
 * test of the non-empty rows and columns drops the empty ones first.
 * Returns FALSE, with every field NaN, when fewer than 2 non-empty rows or columns
 * exist (no test; R would return NaN or refuse).
 * Source: R 4.2 stats::chisq.test (E <- outer(sr, sc) / n; sum((x - E)^2 / E);
 * PARAMETER <- (nr - 1) * (nc - 1); pchisq(STATISTIC, PARAMETER, lower.tail = FALSE)). */
gboolean
strata_chisq_test (const guint     *counts,
                   guint            nrow,
                   guint            ncol,
                   StrataChisqTest *result)
{
  g_autofree double *row_tot = NULL;
  g_autofree double *col_tot = NULL;
  double n = 0.0, stat = 0.0;
  guint r = 0, c = 0;

  g_return_val_if_fail (result != NULL, FALSE);
  result->statistic = result->df = result->p = NAN;
  g_return_val_if_fail (counts != NULL || nrow == 0 || ncol == 0, FALSE);

  row_tot = g_new0 (double, MAX (nrow, 1));
  col_tot = g_new0 (double, MAX (ncol, 1));
  for (guint i = 0; i < nrow; i++)
    for (guint j = 0; j < ncol; j++)
      {
        row_tot[i] += counts[(gsize) i * ncol + j];
        col_tot[j] += counts[(gsize) i * ncol + j];
      }
  for (guint i = 0; i < nrow; i++)
    {
      n += row_tot[i];
      r += row_tot[i] > 0;
    }
  for (guint j = 0; j < ncol; j++)
    c += col_tot[j] > 0;
  if (r < 2 || c < 2)
    return FALSE;

  result->df = (double) (nrow - 1) * (double) (ncol - 1);
  if (r < nrow || c < ncol)
    return TRUE;

  /* Summed column by column, as R's sum() walks a matrix. */
  for (guint j = 0; j < ncol; j++)
    for (guint i = 0; i < nrow; i++)
      {
        double e = row_tot[i] * col_tot[j] / n;
        double d = counts[(gsize) i * ncol + j] - e;

        stat += d * d / e;
      }

  result->statistic = stat;
  result->p = gsl_cdf_chisq_Q (stat, result->df);
  return TRUE;
}

/* Quantile of the beta(A, B) distribution to full double precision.
 *
 * Inputs:  TARGET in (0, 1), shape parameters A, B > 0; UPPER_TAIL selects the
 *          equation 1 - I_u(A, B) = TARGET instead of I_u(A, B) = TARGET.
 * Output:  u in (0, 1). NaN if the arguments are out of range.
 * GSL's gsl_cdf_beta_Pinv/Qinv give the start; it is accurate to about 1e-10 only,
 * so safeguarded Newton steps on the regularized incomplete beta function follow
 * (gsl_cdf_beta_P/Q, density from gsl_sf_lnbeta), keeping a bracket [lo, hi] and
 * bisecting whenever a Newton step leaves it. Stops when the step is below 2 ulp. */
static double
beta_quantile (double target, double a, double b, gboolean upper_tail)
{
  double lo = 0.0, hi = 1.0, u;
  double lnbeta;

  if (!(target > 0.0 && target < 1.0 && a > 0.0 && b > 0.0))
    return NAN;

  lnbeta = gsl_sf_lnbeta (a, b);
  u = upper_tail ? gsl_cdf_beta_Qinv (target, a, b) : gsl_cdf_beta_Pinv (target, a, b);
  if (!(u > 0.0 && u < 1.0))
    u = 0.5;

  for (int iter = 0; iter < 200; iter++)
    {
      double f, dens, next;

      /* g(u) = I_u(a, b) - target is increasing in u; for the upper tail use
       * target - Q(u), increasing as well. */
      f = upper_tail ? target - gsl_cdf_beta_Q (u, a, b) : gsl_cdf_beta_P (u, a, b) - target;
      if (f == 0.0)
        break;
      if (f < 0.0)
        lo = u;
      else
        hi = u;

      dens = exp ((a - 1.0) * log (u) + (b - 1.0) * log1p (-u) - lnbeta);
      next = (dens > 0.0 && isfinite (dens)) ? u - f / dens : NAN;
      if (!(next > lo && next < hi))
        next = 0.5 * (lo + hi);
      if (fabs (next - u) <= 2.0 * GSL_DBL_EPSILON * u || next == u)
        {
          u = next;
          break;
        }
      u = next;
      if (hi - lo <= 2.0 * GSL_DBL_EPSILON * lo)
        break;
    }
  return u;
}

/* Clopper-Pearson ("exact") interval for a binomial proportion, as binom.test.
 *
 * Inputs:  X successes out of N trials (X <= N), CONF_LEVEL in (0, 1).
 * Outputs: *LOWER = qbeta(alpha, x, n - x + 1), 0 when x = 0;
 *          *UPPER = qbeta(1 - alpha, x + 1, n - x), 1 when x = n;
 *          with alpha = (1 - conf_level) / 2. Both NaN when N = 0 (binom.test
 *          refuses) or CONF_LEVEL is out of range.
 * Source: R 4.2 stats::binom.test (p.L, p.U); beta quantiles refined as in
 * beta_quantile(). The upper target 1 - alpha is formed as R forms it. */
void
strata_proportion_clopper_pearson (guint   x,
                                   guint   n,
                                   double  conf_level,
                                   double *lower,
                                   double *upper)
{
  double alpha, lo, up;

  g_return_if_fail (lower != NULL && upper != NULL);
  *lower = *upper = NAN;
  g_return_if_fail (x <= n);
  if (n == 0 || !(conf_level > 0.0 && conf_level < 1.0))
    return;

  alpha = (1.0 - conf_level) / 2.0;
  lo = (x == 0) ? 0.0 : beta_quantile (alpha, x, (double) (n - x) + 1.0, FALSE);
  /* R solves I_u = 1 - alpha; 1 - (1 - alpha) is exact (Sterbenz), so this is the same
   * equation written on the upper tail, where it is well conditioned. */
  up = (x == n) ? 1.0 : beta_quantile (1.0 - (1.0 - alpha), (double) x + 1.0, n - x, TRUE);
  *lower = lo;
  *upper = up;
}

/* Wilson score interval without continuity correction, as prop.test(x, n, correct = FALSE).
 *
 * Inputs:  X successes out of N trials (X <= N), CONF_LEVEL in (0, 1).
 * Outputs: with p = x / n, z = qnorm((1 + conf_level) / 2), z22n = z^2 / (2n):
 *          *LOWER = (p + z22n - z sqrt(p(1 - p)/n + z22n/(2n))) / (1 + 2 z22n), or 0 when p = 0;
 *          *UPPER = (p + z22n + z sqrt(p(1 - p)/n + z22n/(2n))) / (1 + 2 z22n), or 1 when p = 1;
 *          then clipped to [0, 1]. Both NaN when N = 0 or CONF_LEVEL is out of range.
 * Source: R 4.2 stats::prop.test, one-sample branch with YATES = 0. */
void
strata_proportion_wilson (guint   x,
                          guint   n,
                          double  conf_level,
                          double *lower,
                          double *upper)
{
  double p, z, z22n, half, nn;

  g_return_if_fail (lower != NULL && upper != NULL);
  *lower = *upper = NAN;
  g_return_if_fail (x <= n);
  if (n == 0 || !(conf_level > 0.0 && conf_level < 1.0))
    return;

  nn = n;
  p = x / nn;
  z = gsl_cdf_ugaussian_Pinv ((1.0 + conf_level) / 2.0);
  z22n = z * z / (2.0 * nn);
  half = z * sqrt (p * (1.0 - p) / nn + z22n / (2.0 * nn));
  *upper = (p >= 1.0) ? 1.0 : (p + z22n + half) / (1.0 + 2.0 * z22n);
  *lower = (p <= 0.0) ? 0.0 : (p + z22n - half) / (1.0 + 2.0 * z22n);
  *lower = MAX (*lower, 0.0);
  *upper = MIN (*upper, 1.0);
}

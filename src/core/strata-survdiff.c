/* strata-survdiff.c: log-rank (rho = 0) and Peto–Peto / Harrington–Fleming G-rho
 * (rho = 1) tests over k groups, with the test for trend. Follows survival::survdiff
 * (survdiff2.c for the sums, survdiff.R for the chi-square and its degrees of freedom). */
#include "strata-survdiff.h"
#include "strata-risk-set.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>

void
strata_survdiff_free (StrataSurvdiff *test)
{
  if (test == NULL)
    return;
  g_free (test->n);
  g_free (test->observed);
  g_free (test->expected);
  g_free (test->var);
  g_free (test);
}

/* quadratic_form_chisq:
 * Inputs: O - E and V over k groups. Output: (O-E)' V^-1 (O-E) over the groups with
 *   E > 0, the first of them left out (V is singular otherwise), and the df (number of
 *   such groups - 1). Source: survdiff.R. 0 with df 0 when fewer than 2 such groups. */
static double
quadratic_form_chisq (const StrataSurvdiff *test, guint *df)
{
  guint k = test->n_groups;
  g_autofree guint *keep = g_new (guint, k);
  guint m = 0;

  for (guint g = 0; g < k; g++)
    if (test->expected[g] > 0)
      keep[m++] = g;
  *df = m > 0 ? m - 1 : 0;
  if (m < 2)
    return 0.0;

  guint dim = m - 1;
  gsl_matrix *v = gsl_matrix_alloc (dim, dim);
  gsl_vector *u = gsl_vector_alloc (dim);
  gsl_vector *x = gsl_vector_alloc (dim);
  gsl_permutation *perm = gsl_permutation_alloc (dim);
  int signum;
  double chisq = NAN;

  for (guint a = 0; a < dim; a++)
    {
      guint ga = keep[a + 1];
      gsl_vector_set (u, a, test->observed[ga] - test->expected[ga]);
      for (guint b = 0; b < dim; b++)
        gsl_matrix_set (v, a, b, test->var[ga * k + keep[b + 1]]);
    }
  if (gsl_linalg_LU_decomp (v, perm, &signum) == 0 &&
      gsl_linalg_LU_solve (v, perm, u, x) == 0)
    {
      chisq = 0.0;
      for (guint a = 0; a < dim; a++)
        chisq += gsl_vector_get (x, a) * gsl_vector_get (u, a);
    }
  gsl_permutation_free (perm);
  gsl_vector_free (x);
  gsl_vector_free (u);
  gsl_matrix_free (v);
  return chisq;
}

/* strata_survdiff_compute:
 * Inputs: N_GROUPS >= 1 KM tables of disjoint groups; RHO >= 0.
 * Outputs: per group the (weighted) observed and expected events and the variance
 *   matrix; chi-square, df and upper-tail p. The weight at a death time t is
 *   S(t-)^rho with S the pooled KM, left-continuous; E_j += w d n_j / n;
 *   V_jk += w^2 d (n - d) / (n (n - 1)) n_j (delta_jk - n_k / n), skipped when n = 1.
 *   Sums run from the last time to the first, as survdiff2.c does.
 * Source: Harrington & Fleming (1982); survival::survdiff (survdiff2.c). */
StrataSurvdiff *
strata_survdiff_compute (StrataKmTable *const *groups, guint n_groups, double rho)
{
  guint k = n_groups;
  StrataSurvdiff *test = g_new0 (StrataSurvdiff, 1);

  test->rho = rho;
  test->n_groups = k;
  test->n = g_new (guint, k);
  test->observed = g_new0 (double, k);
  test->expected = g_new0 (double, k);
  test->var = g_new0 (double, (gsize) k * k);
  for (guint g = 0; g < k; g++)
    test->n[g] = groups[g]->n;

  g_autoptr (StrataRiskSet) pooled = strata_risk_set_new (groups, k);

  g_autofree double *weight = g_new (double, pooled->n_times);
  double km = 1.0;
  for (guint i = 0; i < pooled->n_times; i++)
    {
      guint deaths = 0, at_risk = 0;
      for (guint g = 0; g < k; g++)
        {
          deaths += pooled->deaths[(gsize) i * k + g];
          at_risk += pooled->at_risk[(gsize) i * k + g];
        }
      weight[i] = rho == 0.0 ? 1.0 : pow (km, rho);
      km = km * (double) (at_risk - deaths) / (double) at_risk;
    }

  for (gssize i = (gssize) pooled->n_times - 1; i >= 0; i--)
    {
      const guint *d = pooled->deaths + (gsize) i * k;
      const guint *r = pooled->at_risk + (gsize) i * k;
      double wt = weight[i];
      double deaths = 0, nrisk = 0;

      for (guint g = 0; g < k; g++)
        {
          deaths += d[g];
          nrisk += r[g];
          test->observed[g] += d[g] * wt;
        }
      if (deaths == 0)
        continue;
      for (guint g = 0; g < k; g++)
        test->expected[g] += wt * deaths * r[g] / nrisk;
      if (nrisk == 1)
        continue;
      double wt2 = wt * wt;
      for (guint j = 0; j < k; j++)
        {
          double tmp = wt2 * deaths * r[j] * (nrisk - deaths) / (nrisk * (nrisk - 1));
          test->var[j * k + j] += tmp;
          for (guint g = 0; g < k; g++)
            test->var[j * k + g] -= tmp * r[g] / nrisk;
        }
    }

  test->chisq = quadratic_form_chisq (test, &test->df);
  test->p = test->df > 0 && !isnan (test->chisq) ? gsl_cdf_chisq_Q (test->chisq, test->df) : NAN;
  return test;
}

/* strata_trend_test_compute:
 * Inputs: a log-rank result over k ordered groups. Outputs: U = sum w_j (O_j - E_j)
 *   with scores w_j = j (1-based), var = w' V w, z = U / sqrt (var), chi-square = z^2
 *   on 1 df. Source: the test for trend as in survminer / Collett (2015), 2.7.1. */
void
strata_trend_test_compute (const StrataSurvdiff *logrank, StrataTrendTest *trend)
{
  guint k = logrank->n_groups;
  double u = 0.0, var = 0.0;

  for (guint j = 0; j < k; j++)
    {
      u += (j + 1.0) * (logrank->observed[j] - logrank->expected[j]);
      for (guint g = 0; g < k; g++)
        var += (j + 1.0) * (g + 1.0) * logrank->var[j * k + g];
    }
  trend->u = u;
  trend->var = var;
  trend->z = u / sqrt (var);
  trend->chisq = u * u / var;
  trend->df = 1;
  trend->p = gsl_cdf_chisq_Q (trend->chisq, 1.0);
}

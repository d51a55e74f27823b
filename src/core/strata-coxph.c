/* strata-coxph.c: Cox proportional hazards for one categorical covariate, as R's
 * survival::coxph (3.5) with ties = "efron" or "breslow".
 *
 * The Newton–Raphson loop, the log-likelihood and its derivatives, the Cholesky
 * routines and the post-processing replay Therneau's coxfit6.c, cholesky2.c, chsolve2.c,
 * chinv2.c, coxph_wtest.c and the R functions coxph.fit(), coxph() and summary.coxph()
 * operation for operation, so that the floating-point results agree with R's to the
 * last bits and the iteration stops at the same step.
 *
 * What R does with our design matrix (0/1 indicators of the non-reference groups):
 * coxph()'s default nocenter = c(-1, 0, 1) marks every column whose values are all in
 * {-1, 0, 1}, and coxfit6.c neither centres nor scales those columns (doscale = 0). So the
 * indicators enter uncentred and unscaled here too; centring them would move the
 * results by a few ulps and could move R's stopping point.
 *
 * Indicators are mutually exclusive, so for a patient of group g the linear predictor
 * is exactly beta[g] (0 for the reference), the weighted sums of x equal the sums of x x'
 * on the diagonal and the off-diagonal sums of x x' are exactly 0. The accumulation
 * below uses this to do O(1) work per patient and O(k^2) per distinct event time, while
 * adding the same numbers in the same order as coxfit6.c does with its O(k^2) per patient.
 *
 * The same quantities depend on the patients only through the numbers at risk and dying
 * in each group at each distinct time, so strata_coxph_fit_counts() evaluates them from
 * those counts in O(times x k^2) per iteration, Efron's d steps at a time being summed in
 * O(1) through digamma/trigamma/log-gamma differences. That path groups the sums
 * differently, so it agrees with R (and with the row path) to rounding, not bitwise.
 * Both layouts share one Newton driver, cox_fit_run(), through a CoxEvalFunc.
 */
#include "strata-coxph.h"
#include "strata-i18n.h"

#include <float.h>
#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

G_DEFINE_QUARK (strata-coxph-error-quark, strata_coxph_error)

/* coxph.control(toler.chol = .Machine$double.eps^0.75) */
#define STRATA_COX_TOLER_CHOL_POWER 0.75
/* coxph.fit: with no convergence, a linear predictor above 500 means infinite coefficients */
#define STRATA_COX_MAX_LINEAR_PREDICTOR 500.0
/* coxfit6.c's flag when the iteration limit is reached */
#define COX_FLAG_NOT_CONVERGED 1000

/* ---- Cholesky routines (survival's cholesky2.c, chsolve2.c, chinv2.c) --------------- */

/* Factors the symmetric K x K matrix M (row-major; only the upper triangle and the
 * diagonal are read) as F D F' with F unit lower triangular: D goes on the diagonal, F
 * below it; the upper triangle is left as it was. A pivot below TOLER times the largest
 * diagonal, or NaN/Inf, marks its column redundant: the diagonal entry is set to 0.
 * Returns the rank, negated when the matrix is not non-negative definite, and 0 when no
 * diagonal is positive (then M is left unfactored).
 * Source: Therneau, survival/src/cholesky2.c. */
static int
cholesky2 (double *m, guint k, double toler)
{
  double eps = 0.0;
  int nonneg = 1;
  int rank = 0;

  for (guint i = 0; i < k; i++)
    {
      if (m[i * k + i] > eps)
        eps = m[i * k + i];
      for (guint j = i + 1; j < k; j++)
        m[j * k + i] = m[i * k + j];
    }
  if (eps == 0.0)
    return 0;
  eps *= toler;

  for (guint i = 0; i < k; i++)
    {
      double pivot = m[i * k + i];

      if (isnan (pivot) || isinf (pivot) || pivot < eps)
        {
          m[i * k + i] = 0.0;
          if (pivot < -8 * eps)
            nonneg = -1;
        }
      else
        {
          rank++;
          for (guint j = i + 1; j < k; j++)
            {
              double temp = m[j * k + i] / pivot;

              m[j * k + i] = temp;
              m[j * k + j] -= temp * temp * pivot;
              for (guint l = j + 1; l < k; l++)
                m[l * k + j] -= temp * m[l * k + i];
            }
        }
    }
  return rank * nonneg;
}

/* Solves A b = Y in place, given in M the factorization of A by cholesky2(). Redundant
 * columns (zero diagonal) get b = 0.
 * Source: Therneau, survival/src/chsolve2.c. */
static void
chsolve2 (const double *m, guint k, double *y)
{
  for (guint i = 0; i < k; i++)
    {
      double temp = y[i];

      for (guint j = 0; j < i; j++)
        temp -= y[j] * m[i * k + j];
      y[i] = temp;
    }
  for (guint i = k; i-- > 0;)
    {
      if (m[i * k + i] == 0.0)
        y[i] = 0.0;
      else
        {
          double temp = y[i] / m[i * k + i];

          for (guint j = i + 1; j < k; j++)
            temp -= y[j] * m[j * k + i];
          y[i] = temp;
        }
    }
}

/* Inverts A from its factorization by cholesky2() in M: on return the upper triangle
 * and diagonal hold A^-1 (rows and columns of redundant columns are 0), the strict lower
 * triangle holds F^-1.
 * Source: Therneau, survival/src/chinv2.c. */
static void
chinv2 (double *m, guint k)
{
  for (guint i = 0; i < k; i++)
    {
      if (m[i * k + i] > 0.0)
        {
          m[i * k + i] = 1.0 / m[i * k + i];
          for (guint j = i + 1; j < k; j++)
            {
              m[j * k + i] = -m[j * k + i];
              for (guint l = 0; l < i; l++)
                m[j * k + l] += m[j * k + i] * m[i * k + l];
            }
        }
    }

  for (guint i = 0; i < k; i++)
    {
      if (m[i * k + i] == 0.0)
        {
          for (guint j = 0; j < i; j++)
            m[j * k + i] = 0.0;
          for (guint j = i; j < k; j++)
            m[i * k + j] = 0.0;
        }
      else
        {
          for (guint j = i + 1; j < k; j++)
            {
              double temp = m[j * k + i] * m[j * k + j];

              m[i * k + j] = temp;
              for (guint l = i; l < j; l++)
                m[i * k + l] += temp * m[j * k + l];
            }
        }
    }
}

/* ---- the partial likelihood --------------------------------------------------------- */

/* The work space of one evaluation of the partial likelihood, shared by both data
 * layouts (rows and counts). */
typedef struct {
  double *u;              /* k: score vector */
  double *imat;           /* k x k, row-major: information matrix, upper triangle + diagonal */
  double *a;              /* k: risk-weighted sums of x over the risk set */
  double *a2;             /* k: the same over the events at the current time */
  double *risk;           /* k: exp(beta) */
} CoxWork;

/* One evaluation: at coefficients BETA[k], returns the log partial likelihood and fills
 * W->u and W->imat (upper triangle and diagonal; the strict lower triangle zeroed). DATA
 * is the layout's own description of the patients. The Newton driver cox_fit_run() only
 * sees the model through this. */
typedef double (*CoxEvalFunc) (gconstpointer data, const double *beta, CoxWork *w);

/* ---- ... from patient rows ---- */

typedef struct {
  const double *time;     /* n, ascending */
  const guint8 *event;    /* n, 0/1 */
  const guint *group;     /* n */
  const int *column;      /* n_groups: coefficient index of each group, -1 for the reference */
  gsize n;
  guint k;                /* number of coefficients */
  StrataCoxTies ties;
} CoxRows;

/* A CoxEvalFunc: USER_DATA is a CoxRows. Computes, at coefficients BETA[k], the log
 * partial likelihood (returned), its score vector W->u and information matrix W->imat
 * (upper triangle and diagonal; the strict lower triangle is zeroed).
 *
 * One backward pass over the patients (time ascending) keeps the sums over the
 * risk set; at each distinct time the events are added either all at once (Breslow) or
 * in ndead steps of 1/ndead of their risk (Efron 1977), censored patients at that time
 * staying in the risk set. Cost O(n + e k^2) for e events.
 *
 * This is coxfit6_iter() of Therneau's survival/src/coxfit6.c (no strata, unit weights,
 * zero offset) specialised to exclusive 0/1 covariates: every sum receives the same terms
 * in the same order, so the results are bitwise those of R for |beta| < 709 (where
 * exp() is finite). Its cmat (sums of x x') equals diag(a), and cmat2 equals diag(a2). */
static double
cox_rows_eval (gconstpointer user_data, const double *beta, CoxWork *w)
{
  const CoxRows *data = user_data;
  const guint k = data->k;
  double loglik = 0.0;
  double denom = 0.0;
  gsize person = data->n;

  memset (w->u, 0, k * sizeof (double));
  memset (w->a, 0, k * sizeof (double));
  memset (w->a2, 0, k * sizeof (double));
  memset (w->imat, 0, (gsize) k * k * sizeof (double));
  for (guint i = 0; i < k; i++)
    w->risk[i] = exp (beta[i]);

  while (person > 0)
    {
      const double dtime = data->time[person - 1];
      guint ndead = 0;
      double deadwt = 0.0;   /* sum of the case weights (all 1) of the events */
      double denom2 = 0.0;   /* sum of the risks of the events */

      /* the patients tied at dtime, last to first as coxfit6.c walks them */
      while (person > 0 && data->time[person - 1] == dtime)
        {
          const gsize p = --person;
          const int c = data->column[data->group[p]];
          const double risk = c >= 0 ? w->risk[c] : 1.0;   /* exp (0) */

          if (data->event[p] == 0)
            {
              denom += risk;
              if (c >= 0)
                w->a[c] += risk;
            }
          else
            {
              ndead++;
              deadwt += 1.0;
              denom2 += risk;
              if (c >= 0)
                {
                  loglik += beta[c];
                  w->u[c] += 1.0;
                  w->a2[c] += risk;
                }
            }
        }

      if (ndead == 0)
        continue;

      if (data->ties == STRATA_COX_BRESLOW || ndead == 1)
        {
          denom += denom2;
          loglik -= deadwt * log (denom);
          for (guint i = 0; i < k; i++)
            {
              double temp2;

              w->a[i] += w->a2[i];
              temp2 = w->a[i] / denom;   /* mean of x_i over the risk set */
              w->u[i] -= deadwt * temp2;
              for (guint j = 0; j <= i; j++)
                {
                  const double cmat = i == j ? w->a[i] : 0.0;
                  w->imat[j * k + i] += deadwt * (cmat - temp2 * w->a[j]) / denom;
                }
            }
        }
      else
        {
          const double wtave = deadwt / ndead;

          for (guint step = 0; step < ndead; step++)
            {
              denom += denom2 / ndead;
              loglik -= wtave * log (denom);
              for (guint i = 0; i < k; i++)
                {
                  double temp2;

                  w->a[i] += w->a2[i] / ndead;
                  temp2 = w->a[i] / denom;
                  w->u[i] -= wtave * temp2;
                  for (guint j = 0; j <= i; j++)
                    {
                      const double cmat = i == j ? w->a[i] : 0.0;
                      w->imat[j * k + i] += wtave * (cmat - temp2 * w->a[j]) / denom;
                    }
                }
            }
        }
      memset (w->a2, 0, k * sizeof (double));
    }
  return loglik;
}

/* ---- ... from counts per distinct time and group ---- */

typedef struct {
  const guint *deaths;    /* n_times x n_groups, row-major: events per time and group */
  const guint *at_risk;   /* n_times x n_groups: patients with time >= the row's time */
  const int *column;      /* n_groups: coefficient index of each group, -1 for the reference */
  guint n_times;
  guint n_groups;
  guint k;                /* number of coefficients */
  StrataCoxTies ties;
} CoxCounts;

/* Below this argument the sums of efron_index_sums() are added term by term; from it on
 * the asymptotic series below are accurate to a few units in the last place. */
#define COX_ASYMPTOTIC_FROM 16.0

/* The tail of the asymptotic series of digamma at z, given T = 1/z^2 > 0 (small):
 * sum_{j=1..7} B_2j / (2j) T^j, so that digamma(z) ~ log z - 1/(2z) - digamma_tail(T).
 * For z >= 16 the dropped terms are below 1e-19 relative.
 * Source: Abramowitz & Stegun 6.3.18 (Bernoulli numbers B_2 .. B_14). */
static double
digamma_tail (double t)
{
  return t * (1.0 / 12 + t * (-1.0 / 120 + t * (1.0 / 252 + t * (-1.0 / 240
         + t * (1.0 / 132 + t * (-691.0 / 32760 + t * (1.0 / 12)))))));
}

/* The tail of the asymptotic series of trigamma at z, given T = 1/z^2 > 0, before the
 * division by z: sum_{j=1..7} B_2j T^j, so that trigamma(z) ~ 1/z + 1/(2 z^2) +
 * trigamma_tail(T) / z. For z >= 16 the dropped terms are below 1e-19 relative.
 * Source: Abramowitz & Stegun 6.4.12. */
static double
trigamma_tail (double t)
{
  return t * (1.0 / 6 + t * (-1.0 / 30 + t * (1.0 / 42 + t * (-1.0 / 30
         + t * (5.0 / 66 + t * (-691.0 / 2730 + t * (7.0 / 6)))))));
}

/* The tail of Stirling's series for log-gamma at z, given T = 1/z^2 > 0, before the
 * division by z: sum_{j=1..7} B_2j / (2j (2j-1)) T^(j-1), so that log gamma(z) ~
 * (z - 1/2) log z - z + log(2 pi) / 2 + lgamma_tail(T) / z. For z >= 16 the dropped
 * terms are below 1e-19 relative. Source: Abramowitz & Stegun 6.1.40. */
static double
lgamma_tail (double t)
{
  return 1.0 / 12 + t * (-1.0 / 360 + t * (1.0 / 1260 + t * (-1.0 / 1680
         + t * (1.0 / 1188 + t * (-691.0 / 360360 + t * (1.0 / 156))))));
}

/* For z >= COX_ASYMPTOTIC_FROM and a whole number m >= 1, the sums over j = 0..m-1 of
 * 1/(z+j) (*SUM1 = digamma(z+m) - digamma(z)), 1/(z+j)^2 (*SUM2 = trigamma(z) -
 * trigamma(z+m)) and log(z+j) (*SUM_LOG = lgamma(z+m) - lgamma(z)), in O(1).
 * The differences are taken in forms without cancellation in their leading terms
 * (log1p (m/z), m / (z (z+m)), ...), so the relative error stays near DBL_EPSILON
 * also when m is much smaller than z.
 * Source: the asymptotic series of Abramowitz & Stegun 6.3.18, 6.4.12, 6.1.40. */
static void
asymptotic_sums (double z, double m, double *sum1, double *sum2, double *sum_log)
{
  const double w = z + m;
  const double tz = 1.0 / (z * z), tw = 1.0 / (w * w);
  const double inv_diff = m / (z * w);                 /* 1/z - 1/w */
  const double log_ratio = log1p (m / z);              /* log (w / z) */

  *sum1 = log_ratio + 0.5 * inv_diff + (digamma_tail (tz) - digamma_tail (tw));
  *sum2 = inv_diff + 0.5 * inv_diff * (1.0 / z + 1.0 / w)
          + (trigamma_tail (tz) / z - trigamma_tail (tw) / w);
  *sum_log = m * log (w) + (z - 0.5) * log_ratio - m
             + (lgamma_tail (tw) / w - lgamma_tail (tz) / z);
}

/* For x >= 0 (finite) and D >= 1, the sums over r = 1..D of 1/(x+r) (*P1), 1/(x+r)^2
 * (*P2) and log(x+r) (*LOGS): term by term while x + r < COX_ASYMPTOTIC_FROM (at most
 * 15 terms), the rest by asymptotic_sums(). O(1) whatever D. */
static void
efron_index_sums (double x, guint d, double *p1, double *p2, double *logs)
{
  double s1 = 0.0, s2 = 0.0, sl = 0.0;
  guint r = 1;

  for (; r <= d && x + r < COX_ASYMPTOTIC_FROM; r++)
    {
      const double z = x + r;

      s1 += 1.0 / z;
      s2 += 1.0 / (z * z);
      sl += log (z);
    }
  if (r <= d)
    {
      double t1, t2, tl;

      asymptotic_sums (x + r, (double) (d - r + 1), &t1, &t2, &tl);
      s1 += t1;
      s2 += t2;
      sl += tl;
    }
  *p1 = s1;
  *p2 = s2;
  *logs = sl;
}

/* The sums over Efron's D steps at one time. Step r = 1..D has the denominator
 * z_r = base + s_r E0 with s_r = r / D (BASE: the risk of those at risk who do not die
 * then, E0: of those who do); divided by the step E0 / D it is y_r = x + r with
 * x = BASE D / E0. */
typedef struct {
  double scale;   /* D / E0: multiplies a risk to put it on the y scale */
  double log_sum; /* sum_r log z_r */
  double w1, ws;  /* sum_r 1 / y_r, sum_r s_r / y_r */
  double v0, v1, v2; /* sum_r s_r^j / y_r^2, j = 0, 1, 2 */
} EfronSums;

/* Fills S for one time with D >= 2 deaths, BASE >= 0 and E0 > 0 as in EfronSums, in O(1)
 * (NaN or Inf inputs give NaN or Inf sums, which the driver treats as a failed step).
 * With P1 = sum 1/y, P2 = sum 1/y^2 and s_r = (y_r - x) / D:
 *   sum s/y = (D - x P1) / D,  sum s/y^2 = (P1 - x P2) / D,
 *   sum s^2/y^2 = (D - 2 x P1 + x (x P2)) / D^2.
 * Those differences cancel when x >> D, but the absolute error stays within a few
 * DBL_EPSILON times D, i.e. of the error coxfit6.c makes adding its D terms.
 * Source: derived from the Efron branch of coxfit6.c (Therneau, survival). */
static void
efron_sums (double base, double e0, guint d, EfronSums *s)
{
  const double dd = d;
  const double step = e0 / dd;
  const double x = base / step;
  double p1, p2, logs;

  efron_index_sums (x, d, &p1, &p2, &logs);
  s->scale = dd / e0;
  s->log_sum = dd * log (step) + logs;
  s->w1 = p1;
  s->ws = (dd - x * p1) / dd;
  s->v0 = p2;
  s->v1 = (p1 - x * p2) / dd;
  s->v2 = (dd - 2.0 * x * p1 + x * (x * p2)) / (dd * dd);
}

/* A CoxEvalFunc: USER_DATA is a CoxCounts. The same log partial likelihood, score and
 * information as cox_rows_eval(), from the counts at risk R_g and dying D_g of each
 * group at each time. With risks e_g = exp(beta_g) (1 for the reference), a time with d
 * deaths adds to the log-likelihood sum_g D_g beta_g - sum_r log z_r, to u_i
 * D_i - sum_r p_ir and to I_ij sum_r (p_ir [i = j] - p_ir p_jr), where the risk set's
 * share of group i is p_ir = (A_i + s_r D_i e_i) / z_r, A_i = (R_i - D_i) e_i, and
 * z_r = sum_g A_g + s_r sum_g D_g e_g; for Breslow, or a single death, s_r = 1 and
 * r = 1..d all alike (coxfit6.c's own branch, replayed). The Efron sums over r come from
 * efron_sums(). Cost O(n_times (n_groups + k^2)) whatever the number of patients.
 * Preconditions: the counts passed check_counts().
 * Source: coxfit6_iter() of Therneau's survival/src/coxfit6.c, summed by group. */
static double
cox_counts_eval (gconstpointer user_data, const double *beta, CoxWork *w)
{
  const CoxCounts *data = user_data;
  const guint k = data->k;
  double loglik = 0.0;

  memset (w->u, 0, k * sizeof (double));
  memset (w->imat, 0, (gsize) k * k * sizeof (double));
  for (guint i = 0; i < k; i++)
    w->risk[i] = exp (beta[i]);

  /* last time first, as coxfit6.c: the sums then take their terms in R's order (the
   * late times, where one group is often alone at risk, contribute exact zeros to u) */
  for (guint t = data->n_times; t-- > 0;)
    {
      const guint *dead = data->deaths + (gsize) t * data->n_groups;
      const guint *at_risk = data->at_risk + (gsize) t * data->n_groups;
      guint ndead = 0;
      double base = 0.0;     /* risk of those at risk who survive this time */
      double dead_risk = 0.0;/* risk of those who die at it */

      for (guint g = 0; g < data->n_groups; g++)
        ndead += dead[g];
      if (ndead == 0)
        continue;

      for (guint g = 0; g < data->n_groups; g++)
        {
          const int c = data->column[g];
          double risk, survivors, dying;

          if (at_risk[g] == 0)
            {
              if (c >= 0)
                w->a[c] = w->a2[c] = 0.0;
              continue;
            }
          risk = c >= 0 ? w->risk[c] : 1.0;
          survivors = (double) (at_risk[g] - dead[g]) * risk;
          dying = (double) dead[g] * risk;
          base += survivors;
          dead_risk += dying;
          if (c >= 0)
            {
              w->a[c] = survivors;
              w->a2[c] = dying;
              if (dead[g] > 0)
                {
                  loglik += dead[g] * beta[c];
                  w->u[c] += dead[g];
                }
            }
        }

      /* dead_risk == 0 (underflow): Efron's steps all add nothing, as Breslow's */
      if (data->ties == STRATA_COX_BRESLOW || ndead == 1 || dead_risk == 0.0)
        {
          const double deadwt = ndead;
          const double denom = base + dead_risk;

          loglik -= deadwt * log (denom);
          for (guint i = 0; i < k; i++)
            w->a[i] += w->a2[i];
          for (guint i = 0; i < k; i++)
            {
              const double temp2 = w->a[i] / denom;

              w->u[i] -= deadwt * temp2;
              for (guint j = 0; j <= i; j++)
                {
                  const double cmat = i == j ? w->a[i] : 0.0;
                  w->imat[j * k + i] += deadwt * (cmat - temp2 * w->a[j]) / denom;
                }
            }
        }
      else
        {
          EfronSums s;

          efron_sums (base, dead_risk, ndead, &s);
          loglik -= s.log_sum;
          for (guint i = 0; i < k; i++)
            {
              const double ai = w->a[i] * s.scale, ei = w->a2[i] * s.scale;
              const double share = ai * s.w1 + ei * s.ws;   /* sum_r p_ir */

              w->u[i] -= share;
              for (guint j = 0; j <= i; j++)
                {
                  const double aj = w->a[j] * s.scale, ej = w->a2[j] * s.scale;
                  const double cross = ai * (aj * s.v0 + ej * s.v1)
                                       + ei * (aj * s.v1 + ej * s.v2);

                  w->imat[j * k + i] += (i == j ? share : 0.0) - cross;
                }
            }
        }
    }
  return loglik;
}

/* ---- the fit ------------------------------------------------------------------------ */

/* Upper-tail chi-square probability, NaN for a NaN statistic or no degrees of freedom. */
static double
chisq_p (double statistic, double df)
{
  if (isnan (statistic) || df <= 0.0)
    return NAN;
  if (isinf (statistic))
    return statistic > 0 ? 0.0 : 1.0;
  return gsl_cdf_chisq_Q (statistic, df);
}

/* Checks the arguments both layouts share; sets ERROR and returns FALSE when one is bad. */
static gboolean
check_options (guint n_groups, guint reference, StrataCoxTies ties, double conf_level,
               double eps, GError **error)
{
  if (n_groups < 2)
    {
      g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_TOO_FEW_GROUPS,
                   _("A Cox model needs at least two groups"));
      return FALSE;
    }
  if (reference >= n_groups)
    {
      g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT,
                   _("The reference group %u does not exist (%u groups)"), reference, n_groups);
      return FALSE;
    }
  if (ties != STRATA_COX_EFRON && ties != STRATA_COX_BRESLOW)
    {
      g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT,
                   _("Unknown method for ties"));
      return FALSE;
    }
  if (!(conf_level > 0.0 && conf_level < 1.0) || !(eps > 0.0 && isfinite (eps)))
    {
      g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT,
                   _("The confidence level must be in (0, 1) and the tolerance positive"));
      return FALSE;
    }
  return TRUE;
}

/* The checks common to both layouts once the data are read: at least two groups with
 * patients (N_PRESENT) and at least one event. */
static gboolean
check_groups_and_events (guint n_present, guint64 events, GError **error)
{
  if (n_present < 2)
    {
      g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_TOO_FEW_GROUPS,
                   _("A Cox model needs patients in at least two groups"));
      return FALSE;
    }
  if (events == 0)
    {
      g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_NO_EVENTS,
                   _("No patient has an event: the Cox model cannot be fitted"));
      return FALSE;
    }
  return TRUE;
}

/* Checks the rows of strata_coxph_fit_full(); on success fills PRESENT[n_groups] (the
 * groups with patients) and *N_EVENTS. */
static gboolean
check_input (const double *time, const guint8 *event, const guint *group, gsize n,
             guint n_groups, guint reference, StrataCoxTies ties, double conf_level,
             double eps, gboolean *present, guint *n_events, GError **error)
{
  guint n_present = 0;
  guint events = 0;

  if (!check_options (n_groups, reference, ties, conf_level, eps, error))
    return FALSE;
  if (n > G_MAXUINT)
    {
      g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT,
                   _("Too many patients"));
      return FALSE;
    }
  if (n > 0 && (time == NULL || event == NULL || group == NULL))
    {
      g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT,
                   _("Missing data arrays"));
      return FALSE;
    }

  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (time[i]) || (i > 0 && time[i] < time[i - 1]))
        {
          g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT,
                       _("Times must be finite and sorted in ascending order (row %zu)"),
                       i + 1);
          return FALSE;
        }
      if (event[i] > 1 || group[i] >= n_groups)
        {
          g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT,
                       _("Event must be 0 or 1 and group below %u (row %zu)"),
                       n_groups, i + 1);
          return FALSE;
        }
      events += event[i];
      if (!present[group[i]])
        {
          present[group[i]] = TRUE;
          n_present++;
        }
    }
  if (!check_groups_and_events (n_present, events, error))
    return FALSE;
  *n_events = events;
  return TRUE;
}

/* Checks the counts of strata_coxph_fit_counts_full() (see strata-coxph.h: deaths within
 * the number at risk, the number at risk falling by at least the deaths from one time
 * to the next, at most G_MAXUINT patients); on success fills PRESENT[n_groups] (AT_RISK
 * of the first time positive), *N (the sum of the first row of AT_RISK) and *N_EVENTS. */
static gboolean
check_counts (const guint *deaths, const guint *at_risk, guint n_times, guint n_groups,
              guint reference, StrataCoxTies ties, double conf_level, double eps,
              gboolean *present, guint *n, guint *n_events, GError **error)
{
  guint n_present = 0;
  guint64 patients = 0;
  guint64 events = 0;

  if (!check_options (n_groups, reference, ties, conf_level, eps, error))
    return FALSE;
  if (n_times > 0 && (deaths == NULL || at_risk == NULL))
    {
      g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT,
                   _("Missing count arrays"));
      return FALSE;
    }

  for (guint t = 0; t < n_times; t++)
    for (guint g = 0; g < n_groups; g++)
      {
        const gsize cell = (gsize) t * n_groups + g;

        if (deaths[cell] > at_risk[cell]
            || (t + 1 < n_times
                && (guint64) at_risk[cell + n_groups] + deaths[cell] > at_risk[cell]))
          {
            g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT,
                         _("Inconsistent counts at time %u, group %u: more deaths than "
                           "patients at risk, or more patients at risk afterwards"),
                         t + 1, g);
            return FALSE;
          }
        events += deaths[cell];
      }
  for (guint g = 0; g < n_groups && n_times > 0; g++)
    {
      patients += at_risk[g];
      if (at_risk[g] > 0)
        {
          present[g] = TRUE;
          n_present++;
        }
    }
  if (patients > G_MAXUINT)
    {
      g_set_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT,
                   _("Too many patients"));
      return FALSE;
    }
  if (!check_groups_and_events (n_present, events, error))
    return FALSE;
  *n = (guint) patients;
  *n_events = (guint) events;
  return TRUE;
}

static StrataCoxFit *
cox_fit_new (guint k)
{
  StrataCoxFit *fit = g_new0 (StrataCoxFit, 1);

  fit->n_coef = k;
  fit->coef_group = g_new0 (guint, k);
  fit->coef = g_new0 (double, k);
  fit->se = g_new0 (double, k);
  fit->z = g_new0 (double, k);
  fit->p = g_new0 (double, k);
  fit->hr = g_new0 (double, k);
  fit->hr_lower = g_new0 (double, k);
  fit->hr_upper = g_new0 (double, k);
  fit->var = g_new0 (double, (gsize) k * k);
  fit->coef_infinite = g_new0 (gboolean, k);
  fit->coef_diverged = g_new0 (gboolean, k);
  fit->coef_singular = g_new0 (gboolean, k);
  return fit;
}

void
strata_coxph_fit_free (StrataCoxFit *fit)
{
  if (fit == NULL)
    return;
  g_free (fit->coef_group);
  g_free (fit->coef);
  g_free (fit->se);
  g_free (fit->z);
  g_free (fit->p);
  g_free (fit->hr);
  g_free (fit->hr_lower);
  g_free (fit->hr_upper);
  g_free (fit->var);
  g_free (fit->coef_infinite);
  g_free (fit->coef_diverged);
  g_free (fit->coef_singular);
  g_free (fit);
}

/* R's infinite-coefficient check (coxph.fit), given the final score U[k], the inverse
 * information VAR (k x k, symmetric) and the coefficients BETA. After convergence
 * coefficient j is flagged when its score is not finite or |(u' V)_j| > eps and
 * > sqrt(eps) |beta_j| (toler.inf = sqrt(eps)): the Newton step still wanted to move it
 * although the log-likelihood no longer changed. After running out of iterations, all
 * are flagged when some linear predictor exceeds 500, and those whose (u' V)_j is not
 * finite. R only checks when iter.max > 1. */
static void
cox_check_infinite (StrataCoxFit *fit, const double *u, const double *beta,
                    const gboolean *group_present, double eps, gboolean converged)
{
  const guint k = fit->n_coef;
  gboolean huge_lp = FALSE;

  for (guint j = 0; j < k; j++)
    if (group_present[fit->coef_group[j]] && beta[j] > STRATA_COX_MAX_LINEAR_PREDICTOR)
      huge_lp = TRUE;

  for (guint j = 0; j < k; j++)
    {
      double infs = 0.0;
      gboolean flag;

      for (guint i = 0; i < k; i++)
        infs += u[i] * fit->var[i * k + j];
      infs = fabs (infs);
      if (converged)
        flag = !isfinite (u[j]) || (infs > eps && infs > sqrt (eps) * fabs (beta[j]));
      else
        flag = huge_lp || !isfinite (infs);
      fit->coef_infinite[j] = flag;
      fit->infinite_coef |= flag;
    }
}

/* Wald test b' V^-1 b over the non-singular coefficients, as coxph.wtest(): b^2 / v for
 * one coefficient, else cholesky2() of V and chsolve2(). Source: survival's
 * coxph_wtest.c. */
static double
cox_wald_statistic (const StrataCoxFit *fit, guint n_used)
{
  const guint k = fit->n_coef;
  g_autofree double *v = g_new (double, (gsize) n_used * n_used);
  g_autofree double *b = g_new (double, n_used);
  g_autofree double *solve = g_new (double, n_used);
  double sum = 0.0;
  guint r = 0;

  if (n_used == 0)
    return NAN;
  for (guint i = 0; i < k; i++)
    {
      guint c = 0;

      if (fit->coef_singular[i])
        continue;
      b[r] = fit->coef[i];
      for (guint j = 0; j < k; j++)
        if (!fit->coef_singular[j])
          v[r * n_used + c++] = fit->var[i * k + j];
      r++;
    }
  for (guint i = 0; i < n_used * n_used; i++)
    if (!isfinite (v[i]))
      return NAN;   /* R stops: "infinite argument in coxph.wtest" */
  if (n_used == 1)
    return b[0] * b[0] / v[0];

  cholesky2 (v, n_used, pow (DBL_EPSILON, STRATA_COX_TOLER_CHOL_POWER));
  memcpy (solve, b, n_used * sizeof (double));
  chsolve2 (v, n_used, solve);
  for (guint j = 0; j < n_used; j++)
    sum += b[j] * solve[j];
  return sum;
}

/* What the Newton driver needs to know of a data layout. */
typedef struct {
  CoxEvalFunc eval;               /* the partial likelihood and its derivatives */
  gconstpointer data;             /* passed to EVAL */
  guint n_groups, reference;
  const gboolean *group_present;  /* n_groups: groups with patients */
  guint n, nevent;                /* patients, events */
} CoxProblem;

/* The column of each group's indicator (-1 for REFERENCE), N_GROUPS of them; g_free(). */
static int *
cox_columns (guint n_groups, guint reference)
{
  int *column = g_new (int, n_groups);

  for (guint g = 0, c = 0; g < n_groups; g++)
    column[g] = g == reference ? -1 : (int) c++;
  return column;
}

/* Fits the model described by PROBLEM (already checked); see strata-coxph.h for the
 * contract. Both layouts go through here, so they differ only in PROBLEM->eval.
 *
 * Newton–Raphson from beta = 0 exactly as coxfit6.c: each step solves I d = u by
 * cholesky2/chsolve2; when the log-likelihood falls (or anything is not finite) the step
 * is pulled back towards the last good beta, by 1/2, then 2/3, ... ("step halving");
 * iteration stops when |1 - loglik_best / loglik_new| <= eps, and the variance is the
 * inverse information (chinv2) at the final beta. When the limit is reached, R
 * recomputes the log-likelihood at the last good beta and calls chinv2() on the
 * unfactored information matrix, which leaves only the inverted diagonal; that is
 * replayed too, so var matches R (its off-diagonal terms are then 0).
 * The score test uses u and I at beta = 0; the Wald test coxph.wtest(); the per-coefficient
 * p-value is 2 Phi(-|z|) and the interval exp(b -+ qnorm((1 + level) / 2) se) as
 * summary.coxph.
 * Sources: Therneau, survival/src/coxfit6.c and R/coxph.fit.R; Efron (1977), JASA 72:557. */
static StrataCoxFit *
cox_fit_run (const CoxProblem *problem, StrataCoxTies ties, double conf_level, double eps,
             guint iter_max)
{
  const double toler_chol = pow (DBL_EPSILON, STRATA_COX_TOLER_CHOL_POWER);
  const gboolean *group_present = problem->group_present;
  g_autofree double *beta = NULL, *newbeta = NULL, *step = NULL, *work_mem = NULL;
  StrataCoxFit *fit;
  CoxWork w;
  guint k = problem->n_groups - 1;
  guint n_used = 0;
  double loglik0, loglik1, newlk, halving, sctest, zq;
  int flag;
  gboolean converged = FALSE;

  fit = cox_fit_new (k);
  fit->ties = ties;
  fit->conf_level = conf_level;
  fit->n = problem->n;
  fit->nevent = problem->nevent;
  for (guint g = 0, c = 0; g < problem->n_groups; g++)
    if (g != problem->reference)
      fit->coef_group[c++] = g;

  work_mem = g_new0 (double, (gsize) k * k + 4 * (gsize) k);
  w.imat = work_mem;
  w.u = w.imat + (gsize) k * k;
  w.a = w.u + k;
  w.a2 = w.a + k;
  w.risk = w.a2 + k;
  beta = g_new0 (double, k);
  newbeta = g_new0 (double, k);
  step = g_new0 (double, k);

  /* the initial step, at beta = 0: loglik_null and the score test */
  loglik0 = problem->eval (problem->data, beta, &w);
  loglik1 = loglik0;
  memcpy (step, w.u, k * sizeof (double));
  flag = cholesky2 (w.imat, k, toler_chol);
  chsolve2 (w.imat, k, step);
  sctest = 0.0;
  for (guint i = 0; i < k; i++)
    sctest += w.u[i] * step[i];
  fit->iterations = 0;

  if (iter_max == 0 || !isfinite (loglik0))
    {
      chinv2 (w.imat, k);
      converged = TRUE;   /* R does not complain about a fit it was told not to iterate */
    }
  else
    {
      guint iter;

      for (guint i = 0; i < k; i++)
        newbeta[i] = beta[i] + step[i];
      halving = 0.0;
      for (iter = 1; iter <= iter_max; iter++)
        {
          gboolean notfinite = FALSE;

          newlk = problem->eval (problem->data, newbeta, &w);
          flag = cholesky2 (w.imat, k, toler_chol);
          for (guint i = 0; i < k; i++)
            {
              if (!isfinite (w.u[i]))
                notfinite = TRUE;
              for (guint j = 0; j < k; j++)
                if (!isfinite (w.imat[i * k + j]))
                  notfinite = TRUE;
            }
          if (!isfinite (newlk))
            notfinite = TRUE;

          if (!notfinite && fabs (1 - (loglik1 / newlk)) <= eps)
            {
              loglik1 = newlk;
              chinv2 (w.imat, k);
              memcpy (beta, newbeta, k * sizeof (double));
              if (halving != 0.0)
                flag = -2;
              converged = TRUE;
              break;
            }

          if (notfinite || newlk < loglik1)
            {
              halving++;   /* not converging: pull back harder each time */
              for (guint i = 0; i < k; i++)
                newbeta[i] = (newbeta[i] + halving * beta[i]) / (halving + 1.0);
            }
          else
            {
              halving = 0.0;
              loglik1 = newlk;
              chsolve2 (w.imat, k, w.u);
              for (guint i = 0; i < k; i++)
                {
                  beta[i] = newbeta[i];
                  newbeta[i] = newbeta[i] + w.u[i];
                }
            }
        }
      fit->iterations = iter;

      if (!converged)
        {
          /* as coxfit6.c: recompute at the last good beta, then chinv2() without
           * cholesky2() (see the comment above the function) */
          if (iter_max > 1)
            loglik1 = problem->eval (problem->data, beta, &w);
          chinv2 (w.imat, k);
          flag = COX_FLAG_NOT_CONVERGED;
        }
    }

  /* the variance: upper triangle of the inverse, mirrored */
  for (guint i = 0; i < k; i++)
    for (guint j = 0; j < k; j++)
      fit->var[i * k + j] = j >= i ? w.imat[i * k + j] : w.imat[j * k + i];

  fit->converged = converged;
  fit->loglik_null = loglik0;
  fit->loglik = loglik1;

  if (iter_max > 1)
    cox_check_infinite (fit, w.u, beta, group_present, eps, flag != COX_FLAG_NOT_CONVERGED);

  /* coxph.fit: with a rank-deficient last factorization, zero variances are NA coefs */
  zq = gsl_cdf_ugaussian_Pinv ((1.0 + conf_level) / 2.0);
  for (guint i = 0; i < k; i++)
    {
      const double v = fit->var[i * k + i];

      fit->coef_singular[i] = iter_max > 0 && flag < (int) k && v == 0.0;
      if (fit->coef_singular[i])
        {
          fit->coef[i] = fit->se[i] = fit->z[i] = fit->p[i] = NAN;
          fit->hr[i] = fit->hr_lower[i] = fit->hr_upper[i] = NAN;
          continue;
        }
      n_used++;
      fit->coef[i] = beta[i];
      fit->se[i] = sqrt (v);
      fit->z[i] = beta[i] / fit->se[i];
      fit->p[i] = isnan (fit->z[i]) ? NAN : 2.0 * gsl_cdf_ugaussian_Q (fabs (fit->z[i]));
      fit->hr[i] = exp (beta[i]);
      fit->hr_lower[i] = exp (beta[i] - zq * fit->se[i]);
      fit->hr_upper[i] = exp (beta[i] + zq * fit->se[i]);
      fit->coef_diverged[i] = fit->coef_infinite[i] ||
                              (!converged && fabs (beta[i]) > 10 && fit->se[i] > fabs (beta[i]));
    }

  fit->lr_test.statistic = -2.0 * (loglik0 - loglik1);
  fit->score_test.statistic = sctest;
  fit->wald_test.statistic = cox_wald_statistic (fit, n_used);
  fit->lr_test.df = fit->score_test.df = fit->wald_test.df = n_used;
  fit->lr_test.p = chisq_p (fit->lr_test.statistic, n_used);
  fit->score_test.p = chisq_p (fit->score_test.statistic, n_used);
  fit->wald_test.p = chisq_p (fit->wald_test.statistic, n_used);
  return fit;
}

/* Row layout: checks the rows and runs cox_fit_run() with cox_rows_eval(). */
StrataCoxFit *
strata_coxph_fit_full (const double *time, const guint8 *event, const guint *group, gsize n,
                       guint n_groups, guint reference, StrataCoxTies ties, double conf_level,
                       double eps, guint iter_max, GError **error)
{
  g_autofree gboolean *present = NULL;
  g_autofree int *column = NULL;
  guint n_events = 0;
  CoxRows rows;
  CoxProblem problem;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  present = g_new0 (gboolean, MAX (n_groups, 1));
  if (!check_input (time, event, group, n, n_groups, reference, ties, conf_level, eps,
                    present, &n_events, error))
    return NULL;

  column = cox_columns (n_groups, reference);
  rows = (CoxRows) { time, event, group, column, n, n_groups - 1, ties };
  problem = (CoxProblem) { cox_rows_eval, &rows, n_groups, reference, present, (guint) n,
                           n_events };
  return cox_fit_run (&problem, ties, conf_level, eps, iter_max);
}

StrataCoxFit *
strata_coxph_fit (const double *time, const guint8 *event, const guint *group, gsize n,
                  guint n_groups, guint reference, StrataCoxTies ties, double conf_level,
                  double eps, GError **error)
{
  return strata_coxph_fit_full (time, event, group, n, n_groups, reference, ties, conf_level,
                                eps, STRATA_COX_ITER_MAX_DEFAULT, error);
}

/* Count layout: checks the counts and runs cox_fit_run() with cox_counts_eval(). */
StrataCoxFit *
strata_coxph_fit_counts_full (const guint *deaths, const guint *at_risk, guint n_times,
                              guint n_groups, guint reference, StrataCoxTies ties,
                              double conf_level, double eps, guint iter_max, GError **error)
{
  g_autofree gboolean *present = NULL;
  g_autofree int *column = NULL;
  guint n = 0, n_events = 0;
  CoxCounts counts;
  CoxProblem problem;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  present = g_new0 (gboolean, MAX (n_groups, 1));
  if (!check_counts (deaths, at_risk, n_times, n_groups, reference, ties, conf_level, eps,
                     present, &n, &n_events, error))
    return NULL;

  column = cox_columns (n_groups, reference);
  counts = (CoxCounts) { deaths, at_risk, column, n_times, n_groups, n_groups - 1, ties };
  problem = (CoxProblem) { cox_counts_eval, &counts, n_groups, reference, present, n,
                           n_events };
  return cox_fit_run (&problem, ties, conf_level, eps, iter_max);
}

StrataCoxFit *
strata_coxph_fit_counts (const guint *deaths, const guint *at_risk, guint n_times,
                         guint n_groups, guint reference, StrataCoxTies ties,
                         double conf_level, double eps, GError **error)
{
  return strata_coxph_fit_counts_full (deaths, at_risk, n_times, n_groups, reference, ties,
                                       conf_level, eps, STRATA_COX_ITER_MAX_DEFAULT, error);
}

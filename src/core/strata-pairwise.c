/* strata-pairwise.c: pairwise k-sample tests and R's p.adjust. */
#include "strata-pairwise.h"
#include "strata-survdiff.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
  double p;
  gsize index;
} RankedP;

static int
compare_ranked (const void *a, const void *b)
{
  const RankedP *x = a, *y = b;
  if (x->p != y->p)
    return x->p < y->p ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

/* strata_p_adjust:
 * Inputs: N p-values, NaN for missing ones (kept NaN and not counted in m).
 * Output: the adjusted values, each capped at 1. With the m available values sorted
 *   ascending p_(1) <= ... <= p_(m):
 *   Bonferroni m p; Holm max_{j<=i} (m - j + 1) p_(j);
 *   Benjamini–Hochberg min_{j>=i} m / j p_(j).
 * Source: R's stats::p.adjust (Holm 1979; Benjamini & Hochberg 1995). */
void
strata_p_adjust (const double *p, gsize n, StrataPAdjust method, double *adjusted)
{
  g_autofree RankedP *ranked = g_new (RankedP, MAX (n, 1));
  gsize m = 0;

  for (gsize i = 0; i < n; i++)
    {
      adjusted[i] = NAN;
      if (!isnan (p[i]))
        {
          ranked[m].p = p[i];
          ranked[m].index = i;
          m++;
        }
    }
  qsort (ranked, m, sizeof (RankedP), compare_ranked);

  switch (method)
    {
    case STRATA_P_ADJUST_BONFERRONI:
      for (gsize i = 0; i < m; i++)
        adjusted[ranked[i].index] = MIN (1.0, (double) m * ranked[i].p);
      break;
    case STRATA_P_ADJUST_HOLM:
      {
        double running = 0.0;
        for (gsize i = 0; i < m; i++)
          {
            running = MAX (running, (double) (m - i) * ranked[i].p);
            adjusted[ranked[i].index] = MIN (1.0, running);
          }
        break;
      }
    case STRATA_P_ADJUST_BH:
    default:
      {
        double running = INFINITY;
        for (gsize i = m; i-- > 0;)
          {
            running = MIN (running, (double) m / (double) (i + 1) * ranked[i].p);
            adjusted[ranked[i].index] = MIN (1.0, running);
          }
        break;
      }
    }
}

void
strata_pairwise_free (StrataPairwise *pairwise)
{
  if (pairwise == NULL)
    return;
  g_free (pairwise->pairs);
  g_free (pairwise);
}

/* strata_pairwise_compute:
 * Inputs: K >= 2 KM tables in group order, RHO (0 log-rank, 1 Peto–Peto).
 * Output: for each pair i < j, survdiff on those two groups' rows alone (chi-square on
 *   its df, upper-tail p), and the p-values adjusted over all pairs by Holm, BH and
 *   Bonferroni. Source: survminer::pairwise_survdiff. */
StrataPairwise *
strata_pairwise_compute (StrataKmTable *const *groups, guint k, double rho)
{
  StrataPairwise *pairwise = g_new0 (StrataPairwise, 1);
  guint n_pairs = k * (k - 1) / 2, next = 0;

  pairwise->rho = rho;
  pairwise->n_pairs = n_pairs;
  pairwise->pairs = g_new0 (StrataPair, MAX (n_pairs, 1));
  for (guint i = 0; i < k; i++)
    for (guint j = i + 1; j < k; j++)
      {
        StrataKmTable *two[2] = { groups[i], groups[j] };
        g_autoptr (StrataSurvdiff) test = strata_survdiff_compute (two, 2, rho);
        StrataPair *pair = &pairwise->pairs[next++];
        pair->group1 = i;
        pair->group2 = j;
        pair->chisq = test->chisq;
        pair->df = test->df;
        pair->p = test->p;
        pair->n1 = groups[i]->n;
        pair->n2 = groups[j]->n;
        for (guint s = 0; s < 2; s++)
          {
            pair->observed[s] = test->observed[s];
            pair->expected[s] = test->expected[s];
          }
      }

  g_autofree double *p = g_new (double, MAX (n_pairs, 1));
  g_autofree double *adjusted = g_new (double, MAX (n_pairs, 1));
  for (guint i = 0; i < n_pairs; i++)
    p[i] = pairwise->pairs[i].p;
  strata_p_adjust (p, n_pairs, STRATA_P_ADJUST_HOLM, adjusted);
  for (guint i = 0; i < n_pairs; i++)
    pairwise->pairs[i].p_holm = adjusted[i];
  strata_p_adjust (p, n_pairs, STRATA_P_ADJUST_BH, adjusted);
  for (guint i = 0; i < n_pairs; i++)
    pairwise->pairs[i].p_bh = adjusted[i];
  strata_p_adjust (p, n_pairs, STRATA_P_ADJUST_BONFERRONI, adjusted);
  for (guint i = 0; i < n_pairs; i++)
    pairwise->pairs[i].p_bonferroni = adjusted[i];
  return pairwise;
}

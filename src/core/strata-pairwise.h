/* strata-pairwise.h: log-rank or Peto–Peto tests between every pair of groups, with
 * p-values adjusted for multiplicity, as survminer::pairwise_survdiff. */
#pragma once

#include <glib.h>
#include "strata-km.h"

G_BEGIN_DECLS

typedef enum {
  STRATA_P_ADJUST_HOLM,
  STRATA_P_ADJUST_BH,
  STRATA_P_ADJUST_BONFERRONI,
} StrataPAdjust;

typedef struct {
  guint group1, group2;      /* indices in group order, group1 < group2 */
  double chisq;
  guint df;
  double p, p_holm, p_bh, p_bonferroni;
  guint n1, n2;
  double observed[2], expected[2];
} StrataPair;

typedef struct {
  double rho;
  guint n_pairs;
  StrataPair *pairs;         /* (0,1), (0,2), ..., (1,2), ... */
} StrataPairwise;

/* Adjusts N p-values (NaN = not available, left out of the count) as R's p.adjust. */
void strata_p_adjust (const double *p, gsize n, StrataPAdjust method, double *adjusted);

/* The G-rho test on the rows of each pair of the K groups only. */
StrataPairwise *strata_pairwise_compute (StrataKmTable *const *groups, guint k, double rho);
void strata_pairwise_free (StrataPairwise *pairwise);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataPairwise, strata_pairwise_free)

G_END_DECLS

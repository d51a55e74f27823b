/* strata-risk-set.h: the groups' KM tables merged on their pooled distinct times: per
 * time, each group's deaths and number at risk. What the k-sample tests and the Cox
 * model of a grouping need, at O(times x groups) instead of O(patients). */
#pragma once

#include <glib.h>
#include "strata-km.h"

G_BEGIN_DECLS

typedef struct {
  guint n_times;
  guint n_groups;
  double *time;      /* n_times, ascending */
  guint *deaths;     /* n_times x n_groups, row-major */
  guint *at_risk;    /* n_times x n_groups: #{time >= t} in each group */
} StrataRiskSet;

StrataRiskSet *strata_risk_set_new (StrataKmTable *const *groups, guint n_groups);
void strata_risk_set_free (StrataRiskSet *risk);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataRiskSet, strata_risk_set_free)

G_END_DECLS

/* strata-risk-set.c: see strata-risk-set.h. */
#include "strata-risk-set.h"

#include <math.h>

/* strata_risk_set_new:
 * Inputs: K KM tables (time ascending) of disjoint groups.
 * Output: the union of their times; for each, every group's deaths at that time and
 *   its number at risk #{time >= t} (the n_risk of the group's first row at or after t,
 *   0 past its last row). A k-way merge: O(times x K). */
StrataRiskSet *
strata_risk_set_new (StrataKmTable *const *groups, guint k)
{
  StrataRiskSet *risk = g_new0 (StrataRiskSet, 1);
  g_autofree guint *next = g_new0 (guint, k);
  guint capacity = 0;

  for (guint g = 0; g < k; g++)
    capacity += groups[g]->len;
  risk->n_groups = k;
  risk->time = g_new (double, MAX (capacity, 1));
  risk->deaths = g_new0 (guint, (gsize) MAX (capacity, 1) * k);
  risk->at_risk = g_new0 (guint, (gsize) MAX (capacity, 1) * k);

  guint row = 0;
  for (;;)
    {
      double t = INFINITY;
      for (guint g = 0; g < k; g++)
        if (next[g] < groups[g]->len && groups[g]->time[next[g]] < t)
          t = groups[g]->time[next[g]];
      if (isinf (t))
        break;
      risk->time[row] = t;
      for (guint g = 0; g < k; g++)
        {
          const StrataKmTable *km = groups[g];
          gsize cell = (gsize) row * k + g;
          if (next[g] >= km->len)
            continue;
          risk->at_risk[cell] = km->n_risk[next[g]];
          if (km->time[next[g]] == t)
            {
              risk->deaths[cell] = km->n_event[next[g]];
              next[g]++;
            }
        }
      row++;
    }
  risk->n_times = row;
  return risk;
}

void
strata_risk_set_free (StrataRiskSet *risk)
{
  if (risk == NULL)
    return;
  g_free (risk->time);
  g_free (risk->deaths);
  g_free (risk->at_risk);
  g_free (risk);
}

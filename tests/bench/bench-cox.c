/* bench-cox: the Cox model of a 4-group comparison on a loaded cohort, as in R's
 * coxph(Surv(os_months, os_status) ~ group). Groups: disease site BM/EMD crossed with
 * marrow burden (bm_blasts_pct >= 5). Prints the median time of the whole analysis
 * (KM, tests, both Cox fits) and of the Efron fit alone, in ms.
 * Usage: bench-cox FILE.csv */
#include <gsl/gsl_errno.h>
#include <stdio.h>

#include "strata-analysis.h"
#include "strata-risk-set.h"

enum { ROUNDS = 7 };

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  double whole[ROUNDS], efron[ROUNDS];

  gsl_set_error_handler_off ();
  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-cox FILE.csv\n");
      return 2;
    }
  g_autoptr (StrataTable) table = strata_table_load_file (argv[1], &error);
  if (table == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  spec->time_column = g_strdup ("os_months");
  spec->event_column = g_strdup ("os_status");
  strata_spec_add_where (spec, "disease_site=BM,EMD", NULL);
  strata_spec_add_by (spec, "disease_site", NULL);
  strata_spec_add_by (spec, "bm_blasts_pct>=5", NULL);
  g_autoptr (StrataResult) warm = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert (warm != NULL && warm->groups->len == 4);

  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 a = g_get_monotonic_time ();
      g_autoptr (StrataResult) result = strata_analysis_run (cohort, spec, NULL, NULL);
      gint64 b = g_get_monotonic_time ();
      StrataKmTable *tables[4];
      for (guint g = 0; g < 4; g++)
        tables[g] = ((StrataGroupResult *) g_ptr_array_index (result->groups, g))->km;
      gint64 c = g_get_monotonic_time ();
      g_autoptr (StrataRiskSet) risk = strata_risk_set_new (tables, 4);
      g_autoptr (StrataCoxFit) fit = strata_coxph_fit_counts (risk->deaths, risk->at_risk,
                                                              risk->n_times, 4, 0, STRATA_COX_EFRON,
                                                              0.95, STRATA_COX_EPS_DEFAULT, NULL);
      gint64 d = g_get_monotonic_time ();
      g_assert (fit != NULL);
      whole[r] = (b - a) / 1000.0;
      efron[r] = (d - c) / 1000.0;
    }
  qsort (whole, ROUNDS, sizeof (double), compare_doubles);
  qsort (efron, ROUNDS, sizeof (double), compare_doubles);
  printf ("%.3f %.3f\n", whole[ROUNDS / 2], efron[ROUNDS / 2]);
  return 0;
}

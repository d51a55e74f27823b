/* test-demo-cohort.c: the bundled synthetic demo cohort reproduces the 19 published
 * figures of the seed study (spec/demo-cohort.md), computed by the core as a user
 * would ask for them. Percentages must round to the published value at one decimal,
 * p-values at three. */
#include <gsl/gsl_errno.h>
#include <math.h>

#include "strata-analysis.h"

static StrataCohort *
demo_cohort (void)
{
  const char *path = g_getenv ("STRATA_DEMO_COHORT");
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (path);
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  g_assert_no_error (error);
  return strata_cohort_new (table);
}

static StrataResult *
run (StrataCohort *cohort, const char *by, const char *where, const char *response,
     const char *landmarks)
{
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  g_autoptr (GError) error = NULL;

  if (by != NULL)
    g_assert_true (strata_spec_add_by (spec, by, &error));
  if (where != NULL)
    g_assert_true (strata_spec_add_where (spec, where, &error));
  if (response != NULL)
    g_assert_true (strata_spec_add_response (spec, response, &error));
  if (landmarks != NULL)
    g_assert_true (strata_spec_set_landmarks (spec, landmarks, &error));
  StrataResult *result = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static const StrataGroupResult *
group (const StrataResult *result, const char *label)
{
  for (guint g = 0; g < result->groups->len; g++)
    {
      const StrataGroupResult *candidate = g_ptr_array_index (result->groups, g);
      if (g_strcmp0 (candidate->label, label) == 0)
        return candidate;
    }
  g_error ("no group %s", label);
  return NULL;
}

static void
assert_rounds_to (double value, double published, int decimals, const char *what)
{
  double scale = pow (10, decimals);
  double rounded = round (value * scale) / scale;
  if (fabs (rounded - published) > 0.5 / scale / 10)
    g_error ("%s: %.6f rounds to %.*f, published %.*f", what, value, decimals, rounded,
             decimals, published);
}

static void
assert_survival_at_24 (const StrataResult *result, const char *label, double percent)
{
  const StrataGroupResult *g = group (result, label);
  g_assert_cmpuint (g->landmarks->len, ==, 1);
  assert_rounds_to (100 * g->landmarks->surv[0], percent, 1, label);
}

static void
test_cohort_sizes (void)
{
  g_autoptr (StrataCohort) cohort = demo_cohort ();
  g_autoptr (StrataResult) result = run (cohort, "disease_site", NULL, NULL, NULL);

  g_assert_cmpuint (result->rows_used, ==, 308);
  g_assert_cmpuint (result->excluded->len, ==, 0);
  g_assert_cmpuint (group (result, "BM")->n, ==, 251);
  g_assert_cmpuint (group (result, "EMD")->n, ==, 21);
  g_assert_cmpuint (group (result, "CNS")->n, ==, 36);
}

static void
test_mrd (void)
{
  g_autoptr (StrataCohort) cohort = demo_cohort ();
  g_autoptr (StrataResult) result = run (cohort, "disease_site", "bm_blasts_pct>0",
                                         "mrd_day28:negative", NULL);
  const StrataResponseTable *table = g_ptr_array_index (result->responses, 0);
  static const struct { const char *group; guint x, n; double percent; } expected[] = {
    { "EMD", 12, 16, 75.0 }, { "CNS", 21, 25, 84.0 }, { "BM", 156, 167, 93.4 },
  };
  guint total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    for (guint r = 0; r < table->rows->len; r++)
      {
        const StrataResponseRow *row = g_ptr_array_index (table->rows, r);
        if (g_strcmp0 (row->group, expected[i].group) != 0)
          continue;
        g_assert_cmpuint (row->x, ==, expected[i].x);
        g_assert_cmpuint (row->n, ==, expected[i].n);
        assert_rounds_to (100 * row->p_hat, expected[i].percent, 1, row->group);
        total += row->n;
      }
  g_assert_cmpuint (total, ==, 208);
  assert_rounds_to (table->fisher_p, 0.019, 3, "MRD Fisher p");
}

static void
test_emd_response (void)
{
  g_autoptr (StrataCohort) cohort = demo_cohort ();
  g_autoptr (StrataResult) cr = run (cohort, NULL, "disease_site=EMD", "emd_response:CR", NULL);
  g_autoptr (StrataResult) pd = run (cohort, NULL, "disease_site=EMD", "emd_response:PD", NULL);
  const StrataResponseRow *cr_row = g_ptr_array_index (((StrataResponseTable *) g_ptr_array_index (cr->responses, 0))->rows, 0);
  const StrataResponseRow *pd_row = g_ptr_array_index (((StrataResponseTable *) g_ptr_array_index (pd->responses, 0))->rows, 0);

  g_assert_cmpuint (cr_row->n, ==, 17);
  g_assert_cmpuint (cr_row->x, ==, 14);
  assert_rounds_to (100 * cr_row->p_hat, 82.4, 1, "EMD CR");
  g_assert_cmpuint (pd_row->x, ==, 3);
  assert_rounds_to (100 * pd_row->p_hat, 17.6, 1, "EMD PD");
}

static void
test_os_by_site (void)
{
  g_autoptr (StrataCohort) cohort = demo_cohort ();
  g_autoptr (StrataResult) result = run (cohort, "disease_site", NULL, NULL, "24");

  assert_survival_at_24 (result, "EMD", 66.7);
  assert_survival_at_24 (result, "CNS", 57.0);
  assert_survival_at_24 (result, "BM", 71.5);
  assert_rounds_to (result->logrank->p, 0.032, 3, "OS log-rank p by site");
}

static void
test_os_by_burden (gconstpointer data)
{
  const char *site = data;
  g_autofree char *where = g_strdup_printf ("disease_site=%s", site);
  g_autoptr (StrataCohort) cohort = demo_cohort ();
  g_autoptr (StrataResult) result = run (cohort, "bm_blasts_pct>=5", where, NULL, "24");
  gboolean emd = g_str_equal (site, "EMD");

  assert_survival_at_24 (result, "bm_blasts_pct<5", emd ? 100.0 : 92.3);
  assert_survival_at_24 (result, "bm_blasts_pct>=5", emd ? 41.7 : 33.3);
  assert_rounds_to (result->logrank->p, emd ? 0.005 : 0.001, 3, "OS log-rank p by burden");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  g_test_add_func ("/demo-cohort/sizes", test_cohort_sizes);
  g_test_add_func ("/demo-cohort/mrd-day28", test_mrd);
  g_test_add_func ("/demo-cohort/emd-response", test_emd_response);
  g_test_add_func ("/demo-cohort/os-by-site", test_os_by_site);
  g_test_add_data_func ("/demo-cohort/os-by-burden/EMD", "EMD", test_os_by_burden);
  g_test_add_data_func ("/demo-cohort/os-by-burden/CNS", "CNS", test_os_by_burden);
  return g_test_run ();
}

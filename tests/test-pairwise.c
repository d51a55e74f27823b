/* test-pairwise.c: pairwise log-rank and Peto–Peto tests with Holm, BH and Bonferroni
 * adjustment against R (tests/data/pairwise.json: survdiff on each pair + p.adjust),
 * through the core API and through strata-report --json; and p.adjust's rules. */
#include <gsl/gsl_errno.h>
#include <json-glib/json-glib.h>

#include "reference-compare.h"
#include "strata-analysis.h"

static JsonObject *
find_dataset (JsonObject *root, const char *name)
{
  JsonArray *datasets = json_object_get_array_member (root, "datasets");
  for (guint i = 0; i < json_array_get_length (datasets); i++)
    {
      JsonObject *d = json_array_get_object_element (datasets, i);
      if (g_strcmp0 (json_object_get_string_member (d, "dataset"), name) == 0)
        return d;
    }
  g_error ("dataset %s not in pairwise.json", name);
  return NULL;
}

static void
compare_pair (const StrataPair *pair, JsonObject *ref, const char *where)
{
  assert_reference (pair->chisq, json_object_get_member (ref, "chisq"), "%s chisq", where);
  assert_reference (pair->p, json_object_get_member (ref, "p"), "%s p", where);
  assert_reference (pair->p_holm, json_object_get_member (ref, "p_holm"), "%s p_holm", where);
  assert_reference (pair->p_bh, json_object_get_member (ref, "p_BH"), "%s p_BH", where);
  assert_reference (pair->p_bonferroni, json_object_get_member (ref, "p_bonferroni"), "%s p_bonferroni", where);
  assert_reference (pair->df, json_object_get_member (ref, "df"), "%s df", where);
  assert_reference (pair->n1, json_object_get_member (ref, "n1"), "%s n1", where);
  assert_reference (pair->n2, json_object_get_member (ref, "n2"), "%s n2", where);
  JsonArray *observed = json_object_get_array_member (ref, "observed");
  JsonArray *expected = json_object_get_array_member (ref, "expected");
  for (guint s = 0; s < 2; s++)
    {
      assert_reference (pair->observed[s], json_array_get_element (observed, s), "%s observed", where);
      assert_reference (pair->expected[s], json_array_get_element (expected, s), "%s expected", where);
    }
}

static void
test_core (gconstpointer data)
{
  const char *name = data;
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *dataset = find_dataset (json_node_get_object (reference_load ("pairwise.json", &parser)), name);
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "data", json_object_get_string_member (dataset, "csv"), NULL);
  g_autofree char *levels = reference_join (json_object_get_array_member (dataset, "group_levels"), FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (csv, &error);
  g_assert_no_error (error);
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  spec->order = g_strsplit (levels, ",", -1);
  g_assert_true (strata_spec_add_by (spec, "group", &error));
  g_autoptr (StrataResult) result = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert_no_error (error);

  JsonArray *tests = json_object_get_array_member (dataset, "tests");
  for (guint t = 0; t < json_array_get_length (tests); t++)
    {
      JsonObject *test = json_array_get_object_element (tests, t);
      double rho = json_object_get_double_member (test, "rho");
      const StrataPairwise *ours = rho == 0 ? result->pairwise_logrank : result->pairwise_peto_peto;
      JsonArray *pairs = json_object_get_array_member (test, "pairs");
      g_assert_cmpuint (ours->n_pairs, ==, json_array_get_length (pairs));
      for (guint i = 0; i < ours->n_pairs; i++)
        {
          JsonObject *ref = json_array_get_object_element (pairs, i);
          const StrataPair *pair = &ours->pairs[i];
          const StrataGroupResult *g1 = g_ptr_array_index (result->groups, pair->group1);
          const StrataGroupResult *g2 = g_ptr_array_index (result->groups, pair->group2);
          g_autofree char *where = g_strdup_printf ("%s rho=%g %s-%s", name, rho, g1->label, g2->label);
          g_assert_cmpstr (g1->label, ==, json_object_get_string_member (ref, "group1"));
          g_assert_cmpstr (g2->label, ==, json_object_get_string_member (ref, "group2"));
          compare_pair (pair, ref, where);
        }
    }
}

static void
test_cli (gconstpointer data)
{
  const char *name = data;
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *dataset = find_dataset (json_node_get_object (reference_load ("pairwise.json", &parser)), name);
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "data", json_object_get_string_member (dataset, "csv"), NULL);
  g_autofree char *levels = reference_join (json_object_get_array_member (dataset, "group_levels"), FALSE);
  g_autofree char *order = g_strconcat ("--order=", levels, NULL);
  const char *argv[] = { g_getenv ("STRATA_REPORT"), "--json=-", "--by=group", order, csv, NULL };
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  g_autoptr (JsonParser) ours_parser = json_parser_new ();
  json_parser_load_from_data (ours_parser, out, -1, &error);
  g_assert_no_error (error);
  JsonObject *pairwise = json_object_get_object_member (
    json_node_get_object (json_parser_get_root (ours_parser)), "pairwise");

  JsonArray *tests = json_object_get_array_member (dataset, "tests");
  for (guint t = 0; t < json_array_get_length (tests); t++)
    {
      JsonObject *test = json_array_get_object_element (tests, t);
      JsonArray *ref_pairs = json_object_get_array_member (test, "pairs");
      JsonArray *our_pairs = json_object_get_array_member (
        json_object_get_object_member (pairwise, json_object_get_string_member (test, "test")), "pairs");
      g_assert_cmpuint (json_array_get_length (our_pairs), ==, json_array_get_length (ref_pairs));
      for (guint i = 0; i < json_array_get_length (ref_pairs); i++)
        {
          JsonObject *ref = json_array_get_object_element (ref_pairs, i);
          JsonObject *our = json_array_get_object_element (our_pairs, i);
          static const char *const fields[] = { "chisq", "p", "p_holm", "p_BH", "p_bonferroni" };
          g_assert_cmpstr (json_object_get_string_member (our, "group1"), ==,
                           json_object_get_string_member (ref, "group1"));
          g_assert_cmpstr (json_object_get_string_member (our, "group2"), ==,
                           json_object_get_string_member (ref, "group2"));
          for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
            assert_reference (json_object_get_double_member (our, fields[f]),
                              json_object_get_member (ref, fields[f]), "cli %s %s", name, fields[f]);
        }
    }
}

/* R: p.adjust(c(0.01, 0.04, 0.03, NA, 0.2), method) */
static void
test_p_adjust (void)
{
  const double p[] = { 0.01, 0.04, 0.03, NAN, 0.2 };
  const double holm[] = { 0.04, 0.09, 0.09, NAN, 0.2 };
  const double bh[] = { 0.04, 0.05333333333333334, 0.05333333333333334, NAN, 0.2 };
  const double bonferroni[] = { 0.04, 0.16, 0.12, NAN, 0.8 };
  double out[5];

  strata_p_adjust (p, 5, STRATA_P_ADJUST_HOLM, out);
  for (guint i = 0; i < 5; i++)
    g_assert_true (isnan (holm[i]) ? isnan (out[i]) : fabs (out[i] - holm[i]) < 1e-15);
  strata_p_adjust (p, 5, STRATA_P_ADJUST_BH, out);
  for (guint i = 0; i < 5; i++)
    g_assert_true (isnan (bh[i]) ? isnan (out[i]) : fabs (out[i] - bh[i]) < 1e-15);
  strata_p_adjust (p, 5, STRATA_P_ADJUST_BONFERRONI, out);
  for (guint i = 0; i < 5; i++)
    g_assert_true (isnan (bonferroni[i]) ? isnan (out[i]) : fabs (out[i] - bonferroni[i]) < 1e-15);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  g_test_add_func ("/pairwise/p-adjust", test_p_adjust);
  g_test_add_data_func ("/pairwise/core/ties", "ties", test_core);
  g_test_add_data_func ("/pairwise/core/lung", "lung", test_core);
  g_test_add_data_func ("/pairwise/cli/ties", "ties", test_cli);
  g_test_add_data_func ("/pairwise/cli/lung", "lung", test_cli);
  return g_test_run ();
}

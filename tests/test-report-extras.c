/* test-report-extras.c: the JSON report's Cox models and competing-risks section,
 * produced by strata-report as a user runs it, against R (tests/data/{aml,lung,ties}.json
 * coxph; tests/data/competing/{cart,small}.json from cmprsk::cuminc). */
#include <json-glib/json-glib.h>

#include "reference-compare.h"

static JsonObject *
run_report (JsonParser *parser, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("STRATA_REPORT"));
  g_ptr_array_add (argv, "--json=-");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                NULL, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
compare_number_arrays (JsonArray *ours, JsonArray *ref, const char *where)
{
  g_assert_cmpuint (json_array_get_length (ours), ==, json_array_get_length (ref));
  for (guint i = 0; i < json_array_get_length (ref); i++)
    {
      JsonNode *node = json_array_get_element (ours, i);
      double value = JSON_NODE_HOLDS_NULL (node) ? NAN : json_node_get_double (node);
      assert_reference (value, json_array_get_element (ref, i), "%s[%u]", where, i);
    }
}

static void
compare_test (JsonObject *ours, JsonObject *ref, const char *name, const char *where)
{
  JsonObject *a = json_object_get_object_member (ours, name);
  JsonObject *b = json_object_get_object_member (ref, name);
  static const char *const fields[] = { "statistic", "df", "p" };

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    assert_reference (json_object_get_double_member (a, fields[f]),
                      json_object_get_member (b, fields[f]), "%s %s.%s", where, name, fields[f]);
}

static void
test_coxph (gconstpointer data)
{
  const char *dataset = data;
  g_autoptr (JsonParser) ref_parser = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *json_name = g_strconcat (dataset, ".json", NULL);
  JsonObject *ref = json_node_get_object (reference_load (json_name, &ref_parser));
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "data", json_object_get_string_member (ref, "csv"), NULL);
  g_autofree char *levels = reference_join (json_object_get_array_member (ref, "group_levels"), FALSE);
  g_autofree char *order = g_strconcat ("--order=", levels, NULL);
  JsonObject *ours = run_report (parser, (const char *const[]) { "--by=group", order, csv, NULL });
  static const char *const ties[] = { "efron", "breslow" };
  static const char *const arrays[] = { "coef", "se", "z", "p", "hr", "hr_lower", "hr_upper" };

  for (guint t = 0; t < G_N_ELEMENTS (ties); t++)
    {
      JsonObject *a = json_object_get_object_member (json_object_get_object_member (ours, "coxph"), ties[t]);
      JsonObject *b = json_object_get_object_member (json_object_get_object_member (ref, "coxph"), ties[t]);
      g_autofree char *where = g_strdup_printf ("%s %s", dataset, ties[t]);
      g_autofree char *our_levels = reference_join (json_object_get_array_member (a, "levels"), FALSE);
      g_autofree char *ref_levels = reference_join (json_object_get_array_member (b, "levels"), FALSE);

      g_assert_cmpstr (our_levels, ==, ref_levels);
      for (guint f = 0; f < G_N_ELEMENTS (arrays); f++)
        compare_number_arrays (json_object_get_array_member (a, arrays[f]),
                               json_object_get_array_member (b, arrays[f]), arrays[f]);
      JsonArray *var_a = json_object_get_array_member (a, "var");
      JsonArray *var_b = json_object_get_array_member (b, "var");
      for (guint i = 0; i < json_array_get_length (var_b); i++)
        compare_number_arrays (json_array_get_array_element (var_a, i),
                               json_array_get_array_element (var_b, i), "var");
      assert_reference (json_object_get_double_member (a, "loglik"),
                        json_object_get_member (b, "loglik"), "%s loglik", where);
      assert_reference (json_object_get_double_member (a, "loglik_null"),
                        json_object_get_member (b, "loglik_null"), "%s loglik_null", where);
      compare_test (a, b, "lr_test", where);
      compare_test (a, b, "wald_test", where);
      compare_test (a, b, "score_test", where);
      g_assert_cmpint (json_object_get_int_member (a, "iterations"), ==,
                       json_object_get_int_member (b, "iterations"));
      g_assert_cmpint (json_object_get_boolean_member (a, "infinite_coef_warning"), ==,
                       json_object_get_boolean_member (b, "infinite_coef_warning"));
    }
}

/* The after-jump values of a cuminc curve: R's 1-based odd indices 3, 5, ..., 2m + 1. */
static void
compare_curve (JsonObject *ours, JsonObject *ref, const char *where)
{
  JsonArray *ref_time = json_object_get_array_member (ref, "time");
  JsonArray *ref_est = json_object_get_array_member (ref, "est");
  JsonArray *ref_var = json_object_get_array_member (ref, "var");
  JsonArray *time = json_object_get_array_member (ours, "time");
  JsonArray *est = json_object_get_array_member (ours, "est");
  JsonArray *var = json_object_get_array_member (ours, "var");
  guint m = json_object_get_int_member (ref, "n_event_times");

  g_assert_cmpuint (json_array_get_length (time), ==, m);
  for (guint j = 0; j < m; j++)
    {
      guint r = 2 * j + 2;   /* 0-based index of the after-jump point */
      assert_reference (json_array_get_double_element (time, j), json_array_get_element (ref_time, r), "%s time[%u]", where, j);
      assert_reference (json_array_get_double_element (est, j), json_array_get_element (ref_est, r), "%s est[%u]", where, j);
      assert_reference (json_array_get_double_element (var, j), json_array_get_element (ref_var, r), "%s var[%u]", where, j);
    }
}

static JsonObject *
find_curve (JsonArray *groups, const char *label, guint cause)
{
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *g = json_array_get_object_element (groups, i);
      if (g_strcmp0 (json_object_get_string_member (g, "label"), label) == 0 &&
          json_object_get_int_member (g, "cause") == cause)
        return g;
    }
  g_error ("no curve %s cause %u", label, cause);
  return NULL;
}

static void
test_cuminc (gconstpointer data)
{
  const char *dataset = data;
  g_autoptr (JsonParser) ref_parser = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *json_name = g_strdup_printf ("competing/%s.json", dataset);
  JsonObject *ref = json_node_get_object (reference_load (json_name, &ref_parser));
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "data", "competing", json_object_get_string_member (ref, "csv"), NULL);
  g_autofree char *levels = reference_join (json_object_get_array_member (ref, "group_levels"), FALSE);
  g_autofree char *times = reference_join (json_object_get_array_member (ref, "landmark_times"), TRUE);
  g_autofree char *order = g_strconcat ("--order=", levels, NULL);
  g_autofree char *landmarks = g_strconcat ("--landmarks=", times, NULL);
  JsonObject *ours = run_report (parser, (const char *const[]) {
    "--time=time", "--status=status", "--by=group", order, landmarks, csv, NULL });
  JsonObject *cuminc = json_object_get_object_member (ours, "cuminc");
  JsonObject *ref_cuminc = json_object_get_object_member (ref, "cuminc");
  JsonArray *ref_groups = json_object_get_array_member (ref_cuminc, "groups");
  JsonArray *ref_points = json_object_get_array_member (json_object_get_object_member (ref_cuminc, "timepoints"), "groups");

  for (guint g = 0; g < json_array_get_length (ref_groups); g++)
    for (guint cause = 1; cause <= 2; cause++)
      {
        JsonObject *rg = json_array_get_object_element (ref_groups, g);
        const char *label = json_object_get_string_member (rg, "label");
        g_autofree char *member = g_strdup_printf ("cause%u", cause);
        g_autofree char *where = g_strdup_printf ("%s %s cause %u", dataset, label, cause);
        JsonObject *curve = find_curve (json_object_get_array_member (cuminc, "groups"), label, cause);
        compare_curve (curve, json_object_get_object_member (rg, member), where);
        JsonObject *points = json_object_get_object_member (json_array_get_object_element (ref_points, g), member);
        JsonObject *our_points = json_object_get_object_member (curve, "landmarks");
        compare_number_arrays (json_object_get_array_member (our_points, "est"),
                               json_object_get_array_member (points, "est"), where);
        compare_number_arrays (json_object_get_array_member (our_points, "var"),
                               json_object_get_array_member (points, "var"), where);
      }

  JsonObject *gray_ref = json_object_get_object_member (ref_cuminc, "gray_test");
  JsonArray *gray = json_object_get_array_member (cuminc, "gray");
  g_assert_cmpuint (json_array_get_length (gray), ==, 2);
  for (guint cause = 1; cause <= 2; cause++)
    {
      g_autofree char *member = g_strdup_printf ("cause%u", cause);
      JsonObject *a = json_array_get_object_element (gray, cause - 1);
      JsonObject *b = json_object_get_object_member (gray_ref, member);
      assert_reference (json_object_get_double_member (a, "stat"), json_object_get_member (b, "stat"), "gray stat");
      assert_reference (json_object_get_double_member (a, "p"), json_object_get_member (b, "pv_upper_tail"), "gray p");
      assert_reference (json_object_get_double_member (a, "df"), json_object_get_member (b, "df"), "gray df");
    }
}

/* A group without events makes the Cox coefficient infinite: flagged, with a warning,
 * and the score test kept. */
static void
test_coxph_infinite (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "data", "cox-no-events.csv", NULL);
  JsonObject *ours = run_report (parser, (const char *const[]) { "--by=group", csv, NULL });
  JsonObject *efron = json_object_get_object_member (json_object_get_object_member (ours, "coxph"), "efron");

  g_assert_true (json_object_get_boolean_member (efron, "infinite_coef_warning"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (efron, "warnings")), >, 0);
  g_assert_true (json_array_get_boolean_element (json_object_get_array_member (efron, "coef_infinite"), 0));
  JsonObject *score = json_object_get_object_member (efron, "score_test");
  g_assert_cmpfloat (json_object_get_double_member (score, "statistic"), >, 0);
  g_assert_cmpint (json_object_get_int_member (efron, "iterations"), <=, 21);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/report/coxph/aml", "aml", test_coxph);
  g_test_add_data_func ("/report/coxph/lung", "lung", test_coxph);
  g_test_add_data_func ("/report/coxph/ties", "ties", test_coxph);
  g_test_add_func ("/report/coxph/infinite", test_coxph_infinite);
  g_test_add_data_func ("/report/cuminc/cart", "cart", test_cuminc);
  g_test_add_data_func ("/report/cuminc/small", "small", test_cuminc);
  return g_test_run ();
}

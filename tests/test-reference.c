/* test-reference.c: every value of R's reference outputs (tests/data/{aml,lung,ties}.json,
 * made with survival 3.5.3) against Strata, through the core API and through
 * `strata-report --json`, for the three CI transforms. */
#include <gsl/gsl_errno.h>
#include <json-glib/json-glib.h>

#include "reference-compare.h"
#include "strata-analysis.h"

typedef struct {
  const char *dataset;
  const char *conf_type;
} Case;

static const char *const datasets[] = { "aml", "lung", "ties" };
static const char *const conf_types[] = { "log", "log-log", "plain" };

/* ---- core API ----------------------------------------------------------------------- */

static void
compare_doubles (const double *ours, guint len, JsonArray *ref, const char *what)
{
  g_assert_cmpuint (len, ==, json_array_get_length (ref));
  for (guint i = 0; i < len; i++)
    assert_reference (ours[i], json_array_get_element (ref, i), "%s[%u]", what, i);
}

static void
compare_counts (const guint *ours, guint len, JsonArray *ref, const char *what)
{
  g_assert_cmpuint (len, ==, json_array_get_length (ref));
  for (guint i = 0; i < len; i++)
    assert_reference (ours[i], json_array_get_element (ref, i), "%s[%u]", what, i);
}

static void
compare_curve (JsonObject *ref, guint len, const double *time, const guint *n_risk,
               const guint *n_event, const guint *n_censor, const double *surv,
               const double *std_err, const double *lower, const double *upper,
               const char *where)
{
  g_autofree char *w_time = g_strdup_printf ("%s.time", where);
  g_autofree char *w_risk = g_strdup_printf ("%s.n_risk", where);
  g_autofree char *w_event = g_strdup_printf ("%s.n_event", where);
  g_autofree char *w_censor = g_strdup_printf ("%s.n_censor", where);
  g_autofree char *w_surv = g_strdup_printf ("%s.surv", where);
  g_autofree char *w_se = g_strdup_printf ("%s.std_err", where);
  g_autofree char *w_lower = g_strdup_printf ("%s.lower", where);
  g_autofree char *w_upper = g_strdup_printf ("%s.upper", where);

  compare_doubles (time, len, json_object_get_array_member (ref, "time"), w_time);
  compare_counts (n_risk, len, json_object_get_array_member (ref, "n_risk"), w_risk);
  compare_counts (n_event, len, json_object_get_array_member (ref, "n_event"), w_event);
  compare_counts (n_censor, len, json_object_get_array_member (ref, "n_censor"), w_censor);
  compare_doubles (surv, len, json_object_get_array_member (ref, "surv"), w_surv);
  compare_doubles (std_err, len, json_object_get_array_member (ref, "std_err"), w_se);
  compare_doubles (lower, len, json_object_get_array_member (ref, "lower"), w_lower);
  compare_doubles (upper, len, json_object_get_array_member (ref, "upper"), w_upper);
}

static void
compare_survdiff_core (const StrataSurvdiff *ours, JsonObject *ref, const char *name)
{
  guint k = ours->n_groups;

  assert_reference (ours->chisq, json_object_get_member (ref, "chisq"), "%s.chisq", name);
  assert_reference (ours->df, json_object_get_member (ref, "df"), "%s.df", name);
  assert_reference (ours->p, json_object_get_member (ref, "p"), "%s.p", name);
  compare_counts (ours->n, k, json_object_get_array_member (ref, "n"), name);
  compare_doubles (ours->observed, k, json_object_get_array_member (ref, "observed"), name);
  compare_doubles (ours->expected, k, json_object_get_array_member (ref, "expected"), name);
  JsonArray *var = json_object_get_array_member (ref, "var");
  for (guint j = 0; j < k; j++)
    compare_doubles (ours->var + j * k, k, json_array_get_array_element (var, j), name);
}

static void
test_core (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (JsonParser) parser = NULL;
  g_autofree char *json_name = g_strconcat (c->dataset, ".json", NULL);
  JsonObject *ref = json_node_get_object (reference_load (json_name, &parser));
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "data", json_object_get_string_member (ref, "csv"), NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  g_autofree char *landmarks = reference_join (json_object_get_array_member (ref, "landmark_times"), TRUE);
  g_autofree char *order = reference_join (json_object_get_array_member (ref, "group_levels"), FALSE);

  g_autoptr (StrataTable) table = strata_table_load_file (csv, &error);
  g_assert_no_error (error);
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  spec->time_column = g_strdup ("time");
  spec->event_column = g_strdup ("event");
  spec->order = g_strsplit (order, ",", -1);
  g_assert_true (strata_spec_add_by (spec, "group", &error));
  g_assert_true (strata_spec_set_conf_type (spec, c->conf_type, &error));
  g_assert_true (strata_spec_set_landmarks (spec, landmarks, &error));
  g_autoptr (StrataResult) result = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert_no_error (error);

  JsonObject *fit = json_object_get_object_member (json_object_get_object_member (ref, "survfit"), c->conf_type);
  JsonArray *groups = json_object_get_array_member (fit, "groups");
  g_assert_cmpuint (result->groups->len, ==, json_array_get_length (groups));
  g_assert_cmpuint (result->rows_used, ==, json_object_get_int_member (ref, "n"));
  for (guint g = 0; g < result->groups->len; g++)
    {
      const StrataGroupResult *ours = g_ptr_array_index (result->groups, g);
      JsonObject *rg = json_array_get_object_element (groups, g);
      g_autofree char *where = g_strdup_printf ("%s/%s/%s", c->dataset, c->conf_type, ours->label);
      g_autofree char *where_km = g_strdup_printf ("%s.km", where);
      g_autofree char *where_lm = g_strdup_printf ("%s.landmarks", where);

      g_assert_cmpstr (ours->label, ==, json_object_get_string_member (rg, "label"));
      assert_reference (ours->n, json_object_get_member (rg, "n"), "%s.n", where);
      assert_reference (ours->events, json_object_get_member (rg, "events"), "%s.events", where);
      assert_reference (ours->median, json_object_get_member (rg, "median"), "%s.median", where);
      assert_reference (ours->median_lower, json_object_get_member (rg, "median_lower"), "%s.median_lower", where);
      assert_reference (ours->median_upper, json_object_get_member (rg, "median_upper"), "%s.median_upper", where);
      assert_reference (ours->rmean, json_object_get_member (rg, "rmean"), "%s.rmean", where);
      assert_reference (ours->rmean_se, json_object_get_member (rg, "rmean_se"), "%s.rmean_se", where);
      assert_reference (ours->rmean_upper_limit, json_object_get_member (rg, "rmean_upper_limit"),
                        "%s.rmean_upper_limit", where);
      const StrataKmTable *km = ours->km;
      compare_curve (json_object_get_object_member (rg, "km"), km->len, km->time, km->n_risk,
                     km->n_event, km->n_censor, km->surv, km->std_err, km->lower, km->upper, where_km);
      const StrataKmLandmarks *lm = ours->landmarks;
      compare_curve (json_object_get_object_member (rg, "landmarks"), lm->len, lm->time, lm->n_risk,
                     lm->n_event, lm->n_censor, lm->surv, lm->std_err, lm->lower, lm->upper, where_lm);
    }

  JsonObject *survdiff = json_object_get_object_member (ref, "survdiff");
  compare_survdiff_core (result->logrank, json_object_get_object_member (survdiff, "logrank"), "logrank");
  compare_survdiff_core (result->peto_peto, json_object_get_object_member (survdiff, "peto_peto"), "peto_peto");

  JsonNode *trend = json_object_get_member (ref, "trend");
  g_assert_cmpint (result->has_trend, ==, !JSON_NODE_HOLDS_NULL (trend));
  if (result->has_trend)
    {
      JsonObject *t = json_node_get_object (trend);
      assert_reference (result->trend.chisq, json_object_get_member (t, "chisq"), "trend.chisq");
      assert_reference (result->trend.z, json_object_get_member (t, "z"), "trend.z");
      assert_reference (result->trend.p, json_object_get_member (t, "p"), "trend.p");
      assert_reference (result->trend.df, json_object_get_member (t, "df"), "trend.df");
    }
}

/* ---- strata-report --json ------------------------------------------------------------- */

static void
compare_json_values (JsonNode *ours, JsonNode *ref, const char *where)
{
  if (JSON_NODE_HOLDS_ARRAY (ref))
    {
      JsonArray *a = json_node_get_array (ours), *b = json_node_get_array (ref);
      g_assert_nonnull (a);
      g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (b));
      for (guint i = 0; i < json_array_get_length (b); i++)
        {
          g_autofree char *w = g_strdup_printf ("%s[%u]", where, i);
          compare_json_values (json_array_get_element (a, i), json_array_get_element (b, i), w);
        }
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (ref))
    {
      JsonObject *a = json_node_get_object (ours), *b = json_node_get_object (ref);
      g_autoptr (GList) members = json_object_get_members (b);
      for (GList *m = members; m != NULL; m = m->next)
        {
          g_autofree char *w = g_strdup_printf ("%s.%s", where, (const char *) m->data);
          g_assert_true (json_object_has_member (a, m->data));
          compare_json_values (json_object_get_member (a, m->data), json_object_get_member (b, m->data), w);
        }
      return;
    }
  if (json_node_get_value_type (ref) == G_TYPE_STRING && !JSON_NODE_HOLDS_NULL (ours) &&
      json_node_get_value_type (ours) == G_TYPE_STRING)
    {
      g_assert_cmpstr (json_node_get_string (ours), ==, json_node_get_string (ref));
      return;
    }
  double value = JSON_NODE_HOLDS_NULL (ours) ? NAN : json_node_get_double (ours);
  assert_reference (value, ref, "%s", where);
}

static JsonObject *
find_group (JsonArray *groups, const char *label)
{
  for (guint i = 0; i < json_array_get_length (groups); i++)
    {
      JsonObject *g = json_array_get_object_element (groups, i);
      if (g_strcmp0 (json_object_get_string_member (g, "label"), label) == 0)
        return g;
    }
  g_error ("group %s missing from the report", label);
  return NULL;
}

static void
test_cli (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (JsonParser) parser = NULL;
  g_autofree char *json_name = g_strconcat (c->dataset, ".json", NULL);
  JsonObject *ref = json_node_get_object (reference_load (json_name, &parser));
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "data", json_object_get_string_member (ref, "csv"), NULL);
  g_autofree char *landmark_list = reference_join (json_object_get_array_member (ref, "landmark_times"), TRUE);
  g_autofree char *level_list = reference_join (json_object_get_array_member (ref, "group_levels"), FALSE);
  g_autofree char *landmarks = g_strconcat ("--landmarks=", landmark_list, NULL);
  g_autofree char *order = g_strconcat ("--order=", level_list, NULL);
  g_autofree char *conf = g_strconcat ("--conf-type=", c->conf_type, NULL);
  const char *report = g_getenv ("STRATA_REPORT");
  const char *argv[] = { report, "--json=-", "--time=time", "--event=event", "--by=group",
                         order, conf, landmarks, csv, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_assert_nonnull (report);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));

  g_autoptr (JsonParser) ours_parser = json_parser_new ();
  json_parser_load_from_data (ours_parser, out, -1, &error);
  g_assert_no_error (error);
  JsonObject *ours = json_node_get_object (json_parser_get_root (ours_parser));

  compare_json_values (json_object_get_member (ours, "group_levels"),
                       json_object_get_member (ref, "group_levels"), "group_levels");
  JsonObject *fit = json_object_get_object_member (json_object_get_object_member (ref, "survfit"), c->conf_type);
  JsonArray *ref_groups = json_object_get_array_member (fit, "groups");
  JsonArray *our_groups = json_object_get_array_member (ours, "groups");
  g_assert_cmpuint (json_array_get_length (our_groups), ==, json_array_get_length (ref_groups));
  for (guint g = 0; g < json_array_get_length (ref_groups); g++)
    {
      JsonObject *rg = json_array_get_object_element (ref_groups, g);
      const char *label = json_object_get_string_member (rg, "label");
      JsonNode *ours_node = json_node_init_object (json_node_alloc (), find_group (our_groups, label));
      g_autofree char *where = g_strdup_printf ("cli %s/%s/%s", c->dataset, c->conf_type, label);
      compare_json_values (ours_node, json_array_get_element (ref_groups, g), where);
      json_node_unref (ours_node);
    }
  JsonObject *our_survdiff = json_object_get_object_member (ours, "survdiff");
  JsonObject *ref_survdiff = json_object_get_object_member (ref, "survdiff");
  compare_json_values (json_object_get_member (our_survdiff, "logrank"),
                       json_object_get_member (ref_survdiff, "logrank"), "cli logrank");
  compare_json_values (json_object_get_member (our_survdiff, "peto_peto"),
                       json_object_get_member (ref_survdiff, "peto_peto"), "cli peto_peto");
  JsonNode *ref_trend = json_object_get_member (ref, "trend");
  JsonNode *our_trend = json_object_get_member (ours, "trend");
  g_assert_cmpint (JSON_NODE_HOLDS_NULL (our_trend), ==, JSON_NODE_HOLDS_NULL (ref_trend));
  if (!JSON_NODE_HOLDS_NULL (ref_trend))
    compare_json_values (our_trend, ref_trend, "cli trend");
}

int
main (int argc, char **argv)
{
  static Case cases[G_N_ELEMENTS (datasets) * G_N_ELEMENTS (conf_types)];
  guint n = 0;

  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  for (guint d = 0; d < G_N_ELEMENTS (datasets); d++)
    for (guint t = 0; t < G_N_ELEMENTS (conf_types); t++)
      {
        Case *c = &cases[n++];
        c->dataset = datasets[d];
        c->conf_type = conf_types[t];
        g_autofree char *core = g_strdup_printf ("/reference/core/%s/%s", c->dataset, c->conf_type);
        g_autofree char *cli = g_strdup_printf ("/reference/cli/%s/%s", c->dataset, c->conf_type);
        g_test_add_data_func (core, c, test_core);
        g_test_add_data_func (cli, c, test_cli);
      }
  return g_test_run ();
}

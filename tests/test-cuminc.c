/* test-cuminc.c: cumulative incidence and Gray's test against R's cmprsk::cuminc
 * (tests/data/competing/<name>.{csv,json}, see README-competing-pairwise.md section A),
 * plus degenerate cases. */
#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <json-glib/json-glib.h>

#include "strata-cuminc.h"

/* 1e-9 relative, 1e-12 absolute near zero; NaN where R has NA (JSON null). */
#define REL_TOL 1e-9
#define ABS_TOL 1e-12

/* ------------------------------------------------------------------------------------ */
/* Reference data                                                                       */

typedef struct {
  GArray *time;     /* double */
  GArray *status;   /* guint8 */
  GArray *group;    /* guint, index into the JSON's group_levels */
  guint n_groups;
  JsonParser *parser;
  JsonObject *root;
} Dataset;

static void
dataset_free (Dataset *ds)
{
  g_array_unref (ds->time);
  g_array_unref (ds->status);
  g_array_unref (ds->group);
  g_clear_object (&ds->parser);
  g_free (ds);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Dataset, dataset_free)

/* Reads competing/<name>.json, then competing/<name>.csv (id,time,status,group) with the
 * groups mapped to the JSON's group_levels. */
static Dataset *
dataset_load (const char *name)
{
  g_autofree char *json_name = g_strconcat (name, ".json", NULL);
  g_autofree char *csv_name = g_strconcat (name, ".csv", NULL);
  g_autofree char *json_path = g_test_build_filename (G_TEST_DIST, "data", "competing", json_name, NULL);
  g_autofree char *csv_path = g_test_build_filename (G_TEST_DIST, "data", "competing", csv_name, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  Dataset *ds = g_new0 (Dataset, 1);
  JsonArray *levels;

  ds->parser = json_parser_new ();
  if (!json_parser_load_from_file (ds->parser, json_path, &error))
    g_error ("cannot read %s: %s", json_path, error->message);
  ds->root = json_node_get_object (json_parser_get_root (ds->parser));
  levels = json_object_get_array_member (ds->root, "group_levels");
  ds->n_groups = json_array_get_length (levels);

  ds->time = g_array_new (FALSE, FALSE, sizeof (double));
  ds->status = g_array_new (FALSE, FALSE, sizeof (guint8));
  ds->group = g_array_new (FALSE, FALSE, sizeof (guint));
  if (!g_file_get_contents (csv_path, &text, NULL, &error))
    g_error ("cannot read %s: %s", csv_path, error->message);
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (g_strchomp (lines[0]), ==, "id,time,status,group");
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto (GStrv) field = NULL;
      char *end;
      double t;
      guint64 s;
      guint g;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      field = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (field), ==, 4);
      t = g_ascii_strtod (field[1], &end);
      g_assert_true (*end == '\0');
      g_assert_true (g_ascii_string_to_unsigned (field[2], 10, 0, 2, &s, NULL));
      for (g = 0; g < ds->n_groups; g++)
        if (g_strcmp0 (json_array_get_string_element (levels, g), field[3]) == 0)
          break;
      g_assert_cmpuint (g, <, ds->n_groups);
      g_array_append_val (ds->time, t);
      guint8 s8 = (guint8) s;
      g_array_append_val (ds->status, s8);
      g_array_append_val (ds->group, g);
    }
  g_assert_cmpuint (ds->time->len, ==, json_object_get_int_member (ds->root, "n"));
  return ds;
}

static double
element_double (JsonArray *array, guint i)
{
  JsonNode *node = json_array_get_element (array, i);

  return JSON_NODE_HOLDS_NULL (node) ? NAN : json_node_get_double (node);
}

/* Largest relative difference seen per kind, reported with g_test_message. */
static double max_rel_est, max_rel_var, max_rel_stat, max_rel_p, max_rel_pv;

static void
assert_close (double ours, double ref, double *max_rel, const char *what, const char *where, guint i)
{
  if (isnan (ref) || isnan (ours))
    {
      if (!(isnan (ref) && isnan (ours)))
        g_error ("%s %s[%u]: got %.17g, R gives %.17g", where, what, i, ours, ref);
      return;
    }
  double diff = fabs (ours - ref);
  double scale = MAX (fabs (ours), fabs (ref));
  if (diff > ABS_TOL && diff > REL_TOL * scale)
    g_error ("%s %s[%u]: got %.17g, R gives %.17g", where, what, i, ours, ref);
  if (scale > 0.0 && max_rel != NULL)
    *max_rel = MAX (*max_rel, diff / scale);
}

/* ------------------------------------------------------------------------------------ */
/* Comparisons with R                                                                   */

/* One curve against R's 2m+2-point layout: after-jump points at 0-based 2j+2, the value
 * before each jump at 2j+1, and the final point at last_time. */
static void
check_curve (const StrataCumincCurve *curve, JsonObject *ref_group, JsonObject *ref, const char *label)
{
  JsonArray *time = json_object_get_array_member (ref, "time");
  JsonArray *est = json_object_get_array_member (ref, "est");
  JsonArray *var = json_object_get_array_member (ref, "var");
  guint m = json_object_get_int_member (ref, "n_event_times");
  guint n_points = json_array_get_length (time);

  g_assert_cmpuint (n_points, ==, 2 * m + 2);
  g_assert_cmpuint (curve->len, ==, m);
  g_assert_cmpuint (curve->n, ==, json_object_get_int_member (ref_group, "n"));
  g_assert_cmpuint (curve->n_cause1, ==, json_object_get_int_member (ref_group, "n_cause1"));
  g_assert_cmpuint (curve->n_cause2, ==, json_object_get_int_member (ref_group, "n_cause2"));
  g_assert_cmpuint (curve->n_censored, ==, json_object_get_int_member (ref_group, "n_censored"));
  g_assert_cmpfloat (curve->last_time, ==, json_object_get_double_member (ref_group, "last_time"));
  g_assert_cmpfloat (curve->last_time, ==, element_double (time, n_points - 1));

  for (guint j = 0; j < m; j++)
    {
      g_assert_cmpfloat (curve->time[j], ==, element_double (time, 2 * j + 2));
      g_assert_cmpfloat (curve->time[j], ==, element_double (time, 2 * j + 1));
      assert_close (curve->est[j], element_double (est, 2 * j + 2), &max_rel_est, "est", label, j);
      assert_close (curve->var[j], element_double (var, 2 * j + 2), &max_rel_var, "var", label, j);
      /* The point before the jump repeats the previous after-jump value. */
      assert_close (j > 0 ? curve->est[j - 1] : 0.0, element_double (est, 2 * j + 1), NULL,
                    "est before jump", label, j);
      assert_close (j > 0 ? curve->var[j - 1] : 0.0, element_double (var, 2 * j + 1), NULL,
                    "var before jump", label, j);
      /* The CI brackets the estimate, or is NaN at 0 and 1. */
      if (curve->est[j] > 0.0 && curve->est[j] < 1.0)
        {
          g_assert_true (curve->lower[j] >= 0.0 && curve->lower[j] <= curve->est[j]);
          g_assert_true (curve->upper[j] <= 1.0 && curve->upper[j] >= curve->est[j]);
        }
      else
        g_assert_true (isnan (curve->lower[j]) && isnan (curve->upper[j]));
    }
  assert_close (m > 0 ? curve->est[m - 1] : 0.0, element_double (est, n_points - 1), NULL,
                "final est", label, n_points - 1);
  assert_close (m > 0 ? curve->var[m - 1] : 0.0, element_double (var, n_points - 1), NULL,
                "final var", label, n_points - 1);
}

static void
check_gray (const Dataset *ds, JsonObject *ref, guint cause)
{
  StrataGrayTest test;

  g_assert_true (strata_gray_test (&g_array_index (ds->time, double, 0),
                                   &g_array_index (ds->status, guint8, 0),
                                   &g_array_index (ds->group, guint, 0), ds->time->len,
                                   ds->n_groups, cause, &test));
  g_assert_cmpuint (test.cause, ==, cause);
  g_assert_cmpuint (test.df, ==, json_object_get_int_member (ref, "df"));
  g_assert_cmpint (test.singular, ==, json_object_get_boolean_member (ref, "singular"));
  assert_close (test.stat, json_object_get_double_member (ref, "stat"), &max_rel_stat, "stat", "gray", cause);
  assert_close (test.p, json_object_get_double_member (ref, "pv_upper_tail"), &max_rel_p, "p", "gray", cause);
  assert_close (test.pv, json_object_get_double_member (ref, "pv"), &max_rel_pv, "pv", "gray", cause);
}

static void
test_reference (gconstpointer data)
{
  const char *name = data;
  g_autoptr (Dataset) ds = dataset_load (name);
  JsonObject *cuminc = json_object_get_object_member (ds->root, "cuminc");
  JsonArray *groups = json_object_get_array_member (cuminc, "groups");
  JsonObject *timepoints = json_object_get_object_member (cuminc, "timepoints");
  JsonArray *tp_times = json_object_get_array_member (timepoints, "times");
  JsonArray *tp_groups = json_object_get_array_member (timepoints, "groups");
  JsonObject *gray = json_object_get_object_member (cuminc, "gray_test");
  guint n_times = json_array_get_length (tp_times);
  g_autofree double *times = g_new (double, n_times);
  g_autofree double *est = g_new (double, n_times);
  g_autofree double *var = g_new (double, n_times);
  g_autoptr (GPtrArray) curves = NULL;

  max_rel_est = max_rel_var = max_rel_stat = max_rel_p = max_rel_pv = 0.0;
  curves = strata_cuminc_curves (&g_array_index (ds->time, double, 0),
                                 &g_array_index (ds->status, guint8, 0),
                                 &g_array_index (ds->group, guint, 0), ds->time->len,
                                 ds->n_groups, 0.95);
  g_assert_nonnull (curves);
  g_assert_cmpuint (curves->len, ==, 2 * ds->n_groups);
  g_assert_cmpuint (json_array_get_length (groups), ==, ds->n_groups);
  for (guint i = 0; i < n_times; i++)
    times[i] = element_double (tp_times, i);

  for (guint g = 0; g < ds->n_groups; g++)
    {
      JsonObject *ref_group = json_array_get_object_element (groups, g);
      JsonObject *tp_group = json_array_get_object_element (tp_groups, g);

      g_assert_cmpstr (json_object_get_string_member (tp_group, "label"), ==,
                       json_object_get_string_member (ref_group, "label"));
      for (guint cause = 1; cause <= 2; cause++)
        {
          const StrataCumincCurve *curve = g_ptr_array_index (curves, 2 * g + cause - 1);
          const char *member = cause == 1 ? "cause1" : "cause2";
          JsonObject *ref = json_object_get_object_member (ref_group, member);
          JsonObject *tp = json_object_get_object_member (tp_group, member);
          JsonArray *tp_est = json_object_get_array_member (tp, "est");
          JsonArray *tp_var = json_object_get_array_member (tp, "var");
          g_autofree char *label = g_strdup_printf ("%s %s", name,
                                                    json_object_get_string_member (ref, "r_name"));

          g_assert_cmpuint (curve->cause, ==, cause);
          check_curve (curve, ref_group, ref, label);

          strata_cuminc_landmarks (curve, times, n_times, est, var);
          for (guint i = 0; i < n_times; i++)
            {
              assert_close (est[i], element_double (tp_est, i), &max_rel_est, "landmark est", label, i);
              assert_close (var[i], element_double (tp_var, i), &max_rel_var, "landmark var", label, i);
            }
        }
    }

  check_gray (ds, json_object_get_object_member (gray, "cause1"), 1);
  check_gray (ds, json_object_get_object_member (gray, "cause2"), 2);
  g_test_message ("%s: max relative difference est %.3g, var %.3g, stat %.3g, p %.3g, pv %.3g",
                  name, max_rel_est, max_rel_var, max_rel_stat, max_rel_p, max_rel_pv);
}

/* The row order, and so the order inside ties, does not change any bit. */
static void
test_row_order (void)
{
  g_autoptr (Dataset) ds = dataset_load ("cart");
  guint n = ds->time->len;
  g_autofree double *rt = g_new (double, n);
  g_autofree guint8 *rs = g_new (guint8, n);
  g_autofree guint *rg = g_new (guint, n);
  g_autoptr (GPtrArray) a = NULL, b = NULL;

  for (guint i = 0; i < n; i++)
    {
      rt[i] = g_array_index (ds->time, double, n - 1 - i);
      rs[i] = g_array_index (ds->status, guint8, n - 1 - i);
      rg[i] = g_array_index (ds->group, guint, n - 1 - i);
    }
  a = strata_cuminc_curves (&g_array_index (ds->time, double, 0), &g_array_index (ds->status, guint8, 0),
                            &g_array_index (ds->group, guint, 0), n, ds->n_groups, 0.95);
  b = strata_cuminc_curves (rt, rs, rg, n, ds->n_groups, 0.95);
  for (guint c = 0; c < a->len; c++)
    {
      const StrataCumincCurve *ca = g_ptr_array_index (a, c), *cb = g_ptr_array_index (b, c);
      g_assert_cmpuint (ca->len, ==, cb->len);
      g_assert_cmpmem (ca->est, ca->len * sizeof (double), cb->est, cb->len * sizeof (double));
      g_assert_cmpmem (ca->var, ca->len * sizeof (double), cb->var, cb->len * sizeof (double));
    }
  for (guint cause = 1; cause <= 2; cause++)
    {
      StrataGrayTest ta, tb;
      g_assert_true (strata_gray_test (&g_array_index (ds->time, double, 0),
                                       &g_array_index (ds->status, guint8, 0),
                                       &g_array_index (ds->group, guint, 0), n, ds->n_groups, cause, &ta));
      g_assert_true (strata_gray_test (rt, rs, rg, n, ds->n_groups, cause, &tb));
      g_assert_cmpfloat (ta.stat, ==, tb.stat);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Fixed cases (R values printed with %.17g from cmprsk 2.2-11)                          */

/* small, group A, cause 1 at t = 4: F = 11/35, var = 0.04244897959183673. Interval as
 * tidycmprsk: F^exp(qnorm(a/2) se / (F log F)), F^exp(-qnorm(a/2) se / (F log F)). */
static void
test_ci (void)
{
  const double time[] = { 4, 1, 4, 2.5, 4, 6, 7.5 };
  const guint8 status[] = { 0, 1, 2, 0, 1, 1, 0 };
  const guint group[] = { 0, 0, 0, 0, 0, 0, 0 };
  g_autoptr (GPtrArray) c95 = strata_cuminc_curves (time, status, group, 7, 1, 0.95);
  g_autoptr (GPtrArray) c90 = strata_cuminc_curves (time, status, group, 7, 1, 0.90);
  const StrataCumincCurve *a95 = g_ptr_array_index (c95, 0), *a90 = g_ptr_array_index (c90, 0);

  g_assert_cmpuint (a95->len, ==, 3);
  assert_close (a95->est[1], 0.3142857142857143, NULL, "est", "ci", 1);
  assert_close (a95->lower[1], 0.029825152356480495, NULL, "lower 95", "ci", 1);
  assert_close (a95->upper[1], 0.68289176786428329, NULL, "upper 95", "ci", 1);
  assert_close (a90->lower[1], 0.052955988642058457, NULL, "lower 90", "ci", 1);
  assert_close (a90->upper[1], 0.63384946394361541, NULL, "upper 90", "ci", 1);

  g_assert_null (strata_cuminc_curves (time, status, group, 7, 1, 1.0));
  g_assert_null (strata_cuminc_curves (time, status, group, 7, 1, 0.0));
}

/* Four groups, many ties, both causes tied within and across groups:
 * set.seed(5); t <- round(rexp(60, .2)*2)/2 + .5; s <- sample(0:2, ...); g <- sample(a..d). */
static void
test_four_groups (void)
{
  const double time[] = { 10.5, 2.5, 1, 2.5, 1, 3.5, 1, 5, 10.5, 6.5, 2.5, 1, 8, 4.5, 0.5, 4.5, 18, 7, 7,
                          3.5, 9.5, 2.5, 11.5, 3.5, 2, 6.5, 1, 3.5, 6.5, 4, 4, 10.5, 8, 1.5, 9.5, 4, 1,
                          3.5, 2.5, 8.5, 4, 20, 0.5, 5, 3.5, 11, 13, 4, 3.5, 5.5, 1.5, 2.5, 5.5, 10, 7,
                          5.5, 3.5, 9, 6.5, 1 };
  const guint8 status[] = { 0, 0, 1, 1, 2, 2, 1, 1, 2, 0, 1, 2, 1, 2, 1, 2, 1, 1, 0, 0, 0, 1, 1, 2, 0, 1,
                            1, 1, 1, 1, 0, 1, 1, 1, 2, 1, 2, 2, 1, 2, 0, 2, 0, 2, 2, 2, 2, 2, 2, 0, 1, 2,
                            2, 2, 1, 1, 0, 2, 1, 1 };
  const guint group[] = { 2, 1, 1, 2, 2, 0, 1, 3, 1, 3, 3, 1, 2, 0, 0, 3, 1, 2, 2, 2, 2, 0, 2, 2, 2, 2, 2,
                          0, 2, 0, 3, 2, 2, 1, 1, 2, 0, 3, 0, 3, 3, 3, 0, 3, 2, 0, 1, 1, 0, 0, 2, 0, 3, 3,
                          1, 2, 0, 2, 0, 0 };
  const double a1_est[] = { 0.0625, 0.1294642857142857, 0.2633928571428571, 0.33035714285714279,
                            0.41071428571428564, 0.53125 };
  const double a1_var[] = { 0.00390625, 0.0078523596938775489, 0.0138032308093692,
                            0.015777166394493405, 0.018550597855145845, 0.028369281543109692 };
  const double stat[] = { 5.0654082736672024, 3.1597902631213097 };
  const double pv[] = { 0.16706980762142787, 0.36763872938547182 };
  const double upper[] = { 0.1670698076214279, 0.36763872938547182 };
  g_autoptr (GPtrArray) curves = strata_cuminc_curves (time, status, group, 60, 4, 0.95);
  const StrataCumincCurve *a1 = g_ptr_array_index (curves, 0);

  g_assert_cmpuint (a1->len, ==, G_N_ELEMENTS (a1_est));
  for (guint j = 0; j < a1->len; j++)
    {
      assert_close (a1->est[j], a1_est[j], NULL, "est", "a 1", j);
      assert_close (a1->var[j], a1_var[j], NULL, "var", "a 1", j);
    }
  for (guint cause = 1; cause <= 2; cause++)
    {
      StrataGrayTest test;
      g_assert_true (strata_gray_test (time, status, group, 60, 4, cause, &test));
      g_assert_cmpuint (test.df, ==, 3);
      g_assert_false (test.singular);
      assert_close (test.stat, stat[cause - 1], NULL, "stat", "four groups", cause);
      assert_close (test.pv, pv[cause - 1], NULL, "pv", "four groups", cause);
      assert_close (test.p, upper[cause - 1], NULL, "p", "four groups", cause);
    }

  /* An empty level changes nothing but the indexing: the test drops it (df stays 3). */
  {
    g_autofree guint *shifted = g_new (guint, 60);
    StrataGrayTest test;

    for (guint i = 0; i < 60; i++)
      shifted[i] = group[i] < 2 ? group[i] : group[i] + 1;
    g_assert_true (strata_gray_test (time, status, shifted, 60, 5, 1, &test));
    g_assert_cmpuint (test.df, ==, 3);
    assert_close (test.stat, stat[0], NULL, "stat", "empty level", 1);

    g_autoptr (GPtrArray) c = strata_cuminc_curves (time, status, shifted, 60, 5, 0.95);
    const StrataCumincCurve *empty = g_ptr_array_index (c, 4);
    double t = 1.0, e, v;
    g_assert_cmpuint (empty->n, ==, 0);
    g_assert_cmpuint (empty->len, ==, 0);
    g_assert_true (isnan (empty->last_time));
    strata_cuminc_landmarks (empty, &t, 1, &e, &v);
    g_assert_true (isnan (e) && isnan (v));
  }
}

/* cuminc(c(1,2,3,4,5), c(0,0,1,1,2), c("A","A","B","B","B")): group A has left the risk
 * set before any event, V = 0, and R reports stat -1, pv 1 for both causes. */
static void
test_singular (void)
{
  const double time[] = { 1, 2, 3, 4, 5 };
  const guint8 status[] = { 0, 0, 1, 1, 2 };
  const guint group[] = { 0, 0, 1, 1, 1 };

  for (guint cause = 1; cause <= 2; cause++)
    {
      StrataGrayTest test;
      g_assert_true (strata_gray_test (time, status, group, 5, 2, cause, &test));
      g_assert_true (test.singular);
      g_assert_cmpfloat (test.stat, ==, -1.0);
      g_assert_cmpfloat (test.p, ==, 1.0);
      g_assert_cmpfloat (test.pv, ==, 1.0);
      g_assert_cmpuint (test.df, ==, 1);
    }
}

static void
test_one_group (void)
{
  const double time[] = { 1, 2, 3 };
  const guint8 status[] = { 1, 2, 0 };
  const guint group[] = { 1, 1, 1 };   /* level 0 is empty */
  StrataGrayTest test = { .stat = 42 };

  g_assert_false (strata_gray_test (time, status, group, 3, 2, 1, &test));
  g_assert_cmpfloat (test.stat, ==, 42);
  g_assert_false (strata_gray_test (time, status, group, 3, 2, 3, &test));   /* no cause 3 */
}

/* small's group B with its death at 1.5 censored instead: no cause-2 event, so the
 * cause-2 curve is empty and its landmarks are 0 up to last_time, NA after. */
static void
test_no_cause_events (void)
{
  const double time[] = { 1.5, 3, 4, 5, 8 };
  const guint8 status[] = { 0, 1, 1, 0, 1 };
  const guint group[] = { 0, 0, 0, 0, 0 };
  const double at[] = { 0, 1, 8, 8.5, 3 };
  double est[5], var[5];
  g_autoptr (GPtrArray) curves = strata_cuminc_curves (time, status, group, 5, 1, 0.95);
  const StrataCumincCurve *c1 = g_ptr_array_index (curves, 0), *c2 = g_ptr_array_index (curves, 1);

  g_assert_cmpuint (c2->len, ==, 0);
  g_assert_cmpuint (c2->n, ==, 5);
  g_assert_cmpuint (c2->n_cause2, ==, 0);
  g_assert_cmpfloat (c2->last_time, ==, 8);
  strata_cuminc_landmarks (c2, at, 5, est, var);
  for (guint i = 0; i < 5; i++)
    if (at[i] <= 8)
      g_assert_true (est[i] == 0.0 && var[i] == 0.0);
    else
      g_assert_true (isnan (est[i]) && isnan (var[i]));

  /* Cause 1: the last time (8) is a relapse that empties the risk set, so F reaches 1;
   * a landmark at last_time includes that jump, one at an event time (3) includes it too. */
  g_assert_cmpuint (c1->len, ==, 3);
  strata_cuminc_landmarks (c1, at, 5, est, var);
  g_assert_cmpfloat (est[0], ==, 0.0);
  g_assert_cmpfloat (est[2], ==, c1->est[2]);
  g_assert_true (isnan (est[3]));
  g_assert_cmpfloat (est[4], ==, c1->est[0]);
}

/* One patient, one relapse: F = 1 and Gray's var = 1 (R: cuminc(5, 1) gives
 * est 0 0 1 1, var 0 0 1 1); the CI is undefined at F = 1. */
static void
test_single_patient (void)
{
  const double time[] = { 5 };
  const guint8 status[] = { 1 };
  const guint group[] = { 0 };
  g_autoptr (GPtrArray) curves = strata_cuminc_curves (time, status, group, 1, 1, 0.95);
  const StrataCumincCurve *c1 = g_ptr_array_index (curves, 0), *c2 = g_ptr_array_index (curves, 1);
  StrataGrayTest test;

  g_assert_cmpuint (c1->len, ==, 1);
  g_assert_cmpfloat (c1->time[0], ==, 5);
  g_assert_cmpfloat (c1->est[0], ==, 1);
  g_assert_cmpfloat (c1->var[0], ==, 1);
  g_assert_true (isnan (c1->lower[0]) && isnan (c1->upper[0]));
  g_assert_cmpuint (c2->len, ==, 0);
  g_assert_cmpuint (c1->n, ==, 1);
  g_assert_false (strata_gray_test (time, status, group, 1, 1, 1, &test));
}

static void
test_all_censored (void)
{
  const double time[] = { 1, 2, 3, 4 };
  const guint8 status[] = { 0, 0, 0, 0 };
  const guint group[] = { 0, 1, 0, 1 };
  g_autoptr (GPtrArray) curves = strata_cuminc_curves (time, status, group, 4, 2, 0.95);
  StrataGrayTest test;

  g_assert_cmpuint (curves->len, ==, 4);
  for (guint c = 0; c < 4; c++)
    {
      const StrataCumincCurve *curve = g_ptr_array_index (curves, c);
      double l = 2.5, e, v;

      g_assert_cmpuint (curve->len, ==, 0);
      g_assert_cmpuint (curve->n_censored, ==, 2);
      strata_cuminc_landmarks (curve, &l, 1, &e, &v);
      g_assert_true (e == 0.0 && v == 0.0);
    }
  g_assert_false (strata_gray_test (time, status, group, 4, 2, 1, &test));
  g_assert_false (strata_gray_test (time, status, group, 4, 2, 2, &test));
}

static void
test_invalid (void)
{
  const double time[] = { 1, -2 };
  const double nan_time[] = { 1, NAN };
  const double ok_time[] = { 1, 2 };
  const guint8 status[] = { 0, 1 };
  const guint8 bad_status[] = { 0, 3 };
  const guint group[] = { 0, 1 };
  StrataGrayTest test;
  g_autoptr (GPtrArray) empty = NULL;

  g_assert_null (strata_cuminc_curves (time, status, group, 2, 2, 0.95));
  g_assert_null (strata_cuminc_curves (nan_time, status, group, 2, 2, 0.95));
  g_assert_null (strata_cuminc_curves (ok_time, bad_status, group, 2, 2, 0.95));
  g_assert_null (strata_cuminc_curves (ok_time, status, group, 2, 1, 0.95));
  g_assert_false (strata_gray_test (time, status, group, 2, 2, 1, &test));
  empty = strata_cuminc_curves (NULL, NULL, NULL, 0, 2, 0.95);
  g_assert_cmpuint (empty->len, ==, 4);

  /* -0.0 is a valid time and sorts with +0.0, before every positive time. */
  {
    const double zero_time[] = { 2, -0.0 };
    const guint8 both[] = { 1, 1 };
    const guint one[] = { 0, 0 };
    g_autoptr (GPtrArray) c = strata_cuminc_curves (zero_time, both, one, 2, 1, 0.95);
    const StrataCumincCurve *c1 = g_ptr_array_index (c, 0);

    g_assert_cmpuint (c1->len, ==, 2);
    g_assert_cmpfloat (c1->time[0], ==, 0.0);
    g_assert_cmpfloat (c1->est[0], ==, 0.5);
    g_assert_cmpfloat (c1->est[1], ==, 1.0);
  }
}

/* 1e5 rows, 4 groups, ~1000 distinct times: curves + both tests. Asserts < 100 ms only
 * in perf mode (-m perf); otherwise reports the time. */
static void
test_speed (void)
{
  const gsize n = 100000;
  g_autofree double *time = g_new (double, n);
  g_autofree guint8 *status = g_new (guint8, n);
  g_autofree guint *group = g_new (guint, n);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autoptr (GPtrArray) curves = NULL;
  StrataGrayTest t1, t2;
  gint64 start;
  double ms;

  for (gsize i = 0; i < n; i++)
    {
      time[i] = floor (-log (g_rand_double (rand)) * 200.0) / 10.0 + 0.1;
      status[i] = (guint8) g_rand_int_range (rand, 0, 3);
      group[i] = g_rand_int_range (rand, 0, 4);
    }
  start = g_get_monotonic_time ();
  curves = strata_cuminc_curves (time, status, group, n, 4, 0.95);
  g_assert_true (strata_gray_test (time, status, group, n, 4, 1, &t1));
  g_assert_true (strata_gray_test (time, status, group, n, 4, 2, &t2));
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("1e5 rows, 4 groups: curves + 2 Gray tests in %.1f ms", ms);
  g_assert_nonnull (curves);
  if (g_test_perf ())
    g_assert_cmpfloat (ms, <, 100.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();

  g_test_add_data_func ("/cuminc/reference/small", "small", test_reference);
  g_test_add_data_func ("/cuminc/reference/cart", "cart", test_reference);
  g_test_add_func ("/cuminc/row-order", test_row_order);
  g_test_add_func ("/cuminc/ci", test_ci);
  g_test_add_func ("/cuminc/four-groups", test_four_groups);
  g_test_add_func ("/cuminc/singular", test_singular);
  g_test_add_func ("/cuminc/one-group", test_one_group);
  g_test_add_func ("/cuminc/no-cause-events", test_no_cause_events);
  g_test_add_func ("/cuminc/single-patient", test_single_patient);
  g_test_add_func ("/cuminc/all-censored", test_all_censored);
  g_test_add_func ("/cuminc/invalid", test_invalid);
  g_test_add_func ("/cuminc/speed", test_speed);
  return g_test_run ();
}

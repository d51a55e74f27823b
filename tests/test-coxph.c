/* test-coxph.c: the Cox model against R's survival 3.5.3.
 *
 * Every coxph field of tests/data/{aml,lung,ties}.json (efron and breslow) at R's
 * default eps and, for coef_tight/loglik_tight, at eps = 1e-11; then degenerate inputs,
 * with R's values quoted next to the R call that gave them. Run with
 * G_TEST_SRCDIR pointing at tests/. `-m perf` adds a timing run on 1e6 patients. */
#include <gsl/gsl_errno.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "reference-compare.h"
#include "strata-coxph.h"

/* ---- the reference data ------------------------------------------------------------- */

typedef struct {
  gsize n;
  double *time;      /* ascending */
  guint8 *event;
  guint *group;      /* index into the reference's group_levels */
  guint n_groups;
} Cohort;

static void
cohort_free (Cohort *cohort)
{
  g_free (cohort->time);
  g_free (cohort->event);
  g_free (cohort->group);
  g_free (cohort);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Cohort, cohort_free)

typedef struct {
  double time;
  guint8 event;
  guint group;
} Row;

static int
row_compare_time (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Row *ra = a, *rb = b;

  (void) user_data;
  return (ra->time > rb->time) - (ra->time < rb->time);
}

/* Reads tests/data/NAME.csv (header id,time,event,group; plain fields, no quoting) and
 * maps each group label to its index in LEVELS. Rows are sorted by time with a stable
 * sort, so tied rows keep the file order, as R's order(). */
static Cohort *
cohort_load (const char *name, JsonArray *levels)
{
  g_autofree char *file = g_strdup_printf ("%s.csv", name);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", file, NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  Cohort *cohort = g_new0 (Cohort, 1);

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("cannot read %s: %s", path, error->message);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (g_strchomp (lines[0]), ==, "id,time,event,group");

  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = g_strsplit (g_strchomp (lines[i]), ",", -1);
      Row row = { 0 };
      char *end = NULL;
      gboolean found = FALSE;

      if (lines[i][0] == '\0')
        continue;
      g_assert_cmpuint (g_strv_length (fields), ==, 4);
      row.time = g_ascii_strtod (fields[1], &end);
      g_assert_true (*end == '\0' && isfinite (row.time));
      g_assert_true (g_str_equal (fields[2], "0") || g_str_equal (fields[2], "1"));
      row.event = fields[2][0] == '1';
      for (guint g = 0; g < json_array_get_length (levels); g++)
        if (g_str_equal (fields[3], json_array_get_string_element (levels, g)))
          {
            row.group = g;
            found = TRUE;
          }
      g_assert_true (found);
      g_array_append_val (rows, row);
    }

  g_qsort_with_data (rows->data, (gint) rows->len, sizeof (Row), row_compare_time, NULL);
  cohort->n = rows->len;
  cohort->n_groups = json_array_get_length (levels);
  cohort->time = g_new (double, rows->len);
  cohort->event = g_new (guint8, rows->len);
  cohort->group = g_new (guint, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      cohort->time[i] = row->time;
      cohort->event[i] = row->event;
      cohort->group[i] = row->group;
    }
  return cohort;
}

/* ---- comparing with R --------------------------------------------------------------- */

/* Largest relative difference seen, reported by the tests (g_test_message). */
static double max_rel_diff;

static void
track (double ours, JsonNode *ref)
{
  double expected;
  double scale;

  if (!JSON_NODE_HOLDS_VALUE (ref) || json_node_get_value_type (ref) == G_TYPE_STRING)
    return;
  expected = json_node_get_double (ref);
  scale = MAX (fabs (ours), fabs (expected));
  if (scale > 0.0)
    max_rel_diff = MAX (max_rel_diff, fabs (ours - expected) / scale);
}

#define check(ours, ref, ...)                     \
  G_STMT_START {                                  \
    track ((ours), (ref));                        \
    assert_reference ((ours), (ref), __VA_ARGS__); \
  } G_STMT_END

static void
check_array (const double *ours, guint len, JsonObject *ref, const char *member,
             const char *where)
{
  JsonArray *array = json_object_get_array_member (ref, member);

  g_assert_cmpuint (json_array_get_length (array), ==, len);
  for (guint i = 0; i < len; i++)
    check (ours[i], json_array_get_element (array, i), "%s.%s[%u]", where, member, i);
}

static void
check_test (const StrataCoxTest *ours, JsonObject *ref, const char *member,
            const char *where)
{
  JsonObject *test = json_object_get_object_member (ref, member);

  check (ours->statistic, json_object_get_member (test, "statistic"), "%s.%s.statistic",
         where, member);
  check (ours->df, json_object_get_member (test, "df"), "%s.%s.df", where, member);
  check (ours->p, json_object_get_member (test, "p"), "%s.%s.p", where, member);
}

static void
test_reference (gconstpointer user_data)
{
  const char *dataset = user_data;
  g_autofree char *json_name = g_strdup_printf ("%s.json", dataset);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = json_node_get_object (reference_load (json_name, &parser));
  JsonObject *coxph = json_object_get_object_member (root, "coxph");
  JsonArray *levels = json_object_get_array_member (root, "group_levels");
  g_autoptr (Cohort) cohort = cohort_load (dataset, levels);
  const struct { const char *name; StrataCoxTies ties; } methods[] = {
    { "efron", STRATA_COX_EFRON }, { "breslow", STRATA_COX_BRESLOW },
  };

  g_assert_cmpstr (json_object_get_string_member (root, "reference_level"), ==,
                   json_array_get_string_element (levels, 0));
  max_rel_diff = 0.0;

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      JsonObject *ref = json_object_get_object_member (coxph, methods[m].name);
      g_autofree char *where = g_strdup_printf ("%s.%s", dataset, methods[m].name);
      g_autoptr (GError) error = NULL;
      g_autoptr (StrataCoxFit) fit = NULL;
      g_autoptr (StrataCoxFit) tight = NULL;
      JsonArray *var_rows = json_object_get_array_member (ref, "var");
      guint k;

      fit = strata_coxph_fit (cohort->time, cohort->event, cohort->group, cohort->n,
                              cohort->n_groups, 0, methods[m].ties, 0.95,
                              STRATA_COX_EPS_DEFAULT, &error);
      g_assert_no_error (error);
      k = fit->n_coef;
      g_assert_cmpuint (k, ==, cohort->n_groups - 1);
      for (guint i = 0; i < k; i++)
        g_assert_cmpuint (fit->coef_group[i], ==, i + 1);

      check_array (fit->coef, k, ref, "coef", where);
      check_array (fit->se, k, ref, "se", where);
      check_array (fit->z, k, ref, "z", where);
      check_array (fit->p, k, ref, "p", where);
      check_array (fit->hr, k, ref, "hr", where);
      check_array (fit->hr_lower, k, ref, "hr_lower", where);
      check_array (fit->hr_upper, k, ref, "hr_upper", where);
      g_assert_cmpuint (json_array_get_length (var_rows), ==, k);
      for (guint i = 0; i < k; i++)
        {
          g_autofree char *row_where = g_strdup_printf ("%s.var[%u]", where, i);
          JsonArray *row = json_array_get_array_element (var_rows, i);

          g_assert_cmpuint (json_array_get_length (row), ==, k);
          for (guint j = 0; j < k; j++)
            check (fit->var[i * k + j], json_array_get_element (row, j), "%s[%u]",
                   row_where, j);
        }
      check (fit->loglik_null, json_object_get_member (ref, "loglik_null"), "%s.loglik_null",
             where);
      check (fit->loglik, json_object_get_member (ref, "loglik"), "%s.loglik", where);
      check_test (&fit->lr_test, ref, "lr_test", where);
      check_test (&fit->wald_test, ref, "wald_test", where);
      check_test (&fit->score_test, ref, "score_test", where);
      g_assert_cmpint (fit->iterations, ==, json_object_get_int_member (ref, "iterations"));
      g_assert_cmpint (fit->n, ==, json_object_get_int_member (ref, "n"));
      g_assert_cmpint (fit->nevent, ==, json_object_get_int_member (ref, "nevent"));
      g_assert_true (fit->converged);
      g_assert_cmpint (fit->infinite_coef, ==,
                       json_object_get_boolean_member (ref, "infinite_coef_warning"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ref, "warnings")),
                        ==, 0);
      for (guint i = 0; i < k; i++)
        g_assert_false (fit->coef_infinite[i] || fit->coef_singular[i]);

      /* the same model run to eps = 1e-11 */
      tight = strata_coxph_fit (cohort->time, cohort->event, cohort->group, cohort->n,
                                cohort->n_groups, 0, methods[m].ties, 0.95, 1e-11, &error);
      g_assert_no_error (error);
      check_array (tight->coef, k, ref, "coef_tight", where);
      check (tight->loglik, json_object_get_member (ref, "loglik_tight"), "%s.loglik_tight",
             where);
      g_assert_false (tight->infinite_coef);
    }
  g_test_message ("%s: largest relative difference from R %.3g", dataset, max_rel_diff);
}

/* ---- behaviour ---------------------------------------------------------------------- */

/* aml with Nonmaintained as the reference: the coefficient changes sign.
 * R: coxph(Surv(time, event) ~ factor(group, c("Nonmaintained", "Maintained"))) */
static void
test_reference_choice (void)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = json_node_get_object (reference_load ("aml.json", &parser));
  g_autoptr (Cohort) cohort = cohort_load ("aml", json_object_get_array_member (root,
                                                                               "group_levels"));
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataCoxFit) fit = strata_coxph_fit (cohort->time, cohort->event,
                                                   cohort->group, cohort->n, 2, 1,
                                                   STRATA_COX_EFRON, 0.95,
                                                   STRATA_COX_EPS_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (fit->coef_group[0], ==, 0);
  g_assert_cmpfloat_with_epsilon (fit->coef[0], -0.91553257501471752, 1e-12);
  g_assert_cmpfloat_with_epsilon (fit->var[0], 0.26207670209588652, 1e-12);
  g_assert_cmpfloat_with_epsilon (fit->loglik, -41.032615596458385, 1e-10);
  g_assert_cmpuint (fit->iterations, ==, 3);
}

/* Tied rows may come in any order: the result moves by rounding only. */
static void
test_tie_order (void)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = json_node_get_object (reference_load ("ties.json", &parser));
  g_autoptr (Cohort) cohort = cohort_load ("ties", json_object_get_array_member (root,
                                                                                "group_levels"));
  g_autoptr (StrataCoxFit) fit = NULL;
  g_autoptr (StrataCoxFit) reversed = NULL;
  gsize start = 0;

  fit = strata_coxph_fit (cohort->time, cohort->event, cohort->group, cohort->n,
                          cohort->n_groups, 0, STRATA_COX_EFRON, 0.95, 1e-9, NULL);
  /* reverse every run of tied times */
  for (gsize i = 1; i <= cohort->n; i++)
    if (i == cohort->n || cohort->time[i] != cohort->time[start])
      {
        for (gsize lo = start, hi = i - 1; lo < hi; lo++, hi--)
          {
            guint8 e = cohort->event[lo];
            guint g = cohort->group[lo];

            cohort->event[lo] = cohort->event[hi];
            cohort->group[lo] = cohort->group[hi];
            cohort->event[hi] = e;
            cohort->group[hi] = g;
          }
        start = i;
      }
  reversed = strata_coxph_fit (cohort->time, cohort->event, cohort->group, cohort->n,
                               cohort->n_groups, 0, STRATA_COX_EFRON, 0.95, 1e-9, NULL);
  g_assert_cmpuint (fit->iterations, ==, reversed->iterations);
  for (guint i = 0; i < fit->n_coef; i++)
    g_assert_cmpfloat_with_epsilon (fit->coef[i], reversed->coef[i], 1e-12);
  g_assert_cmpfloat_with_epsilon (fit->loglik, reversed->loglik, 1e-10);
  g_assert_cmpfloat_with_epsilon (fit->score_test.statistic, reversed->score_test.statistic,
                                  1e-12);
}

/* ties.csv with every event of group C turned into a censoring: monotone likelihood.
 * R: d$event[d$group == "C"] <- 0; coxph(Surv(time, event) ~ group, d)
 *    Warning: Loglik converged before variable 2; coefficient may be infinite.
 *    fit$iter 19, coef 0.73837905792187242 -19.228103480163199,
 *    loglik -355.31297376524071 -329.11842923863850, score 38.539789885637596,
 *    wald.test 10.17428 */
static void
test_group_without_events (void)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = json_node_get_object (reference_load ("ties.json", &parser));
  g_autoptr (Cohort) cohort = cohort_load ("ties", json_object_get_array_member (root,
                                                                                "group_levels"));
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataCoxFit) fit = NULL;

  for (gsize i = 0; i < cohort->n; i++)
    if (cohort->group[i] == 2)
      cohort->event[i] = 0;
  fit = strata_coxph_fit (cohort->time, cohort->event, cohort->group, cohort->n,
                          cohort->n_groups, 0, STRATA_COX_EFRON, 0.95, STRATA_COX_EPS_DEFAULT,
                          &error);
  g_assert_no_error (error);
  g_assert_true (fit->converged);
  g_assert_true (fit->infinite_coef);
  g_assert_false (fit->coef_infinite[0]);
  g_assert_true (fit->coef_infinite[1]);
  g_assert_cmpuint (fit->iterations, ==, 19);
  g_assert_cmpfloat_with_epsilon (fit->coef[0], 0.73837905792187242, 1e-12);
  g_assert_cmpfloat_with_epsilon (fit->coef[1], -19.228103480163199, 1e-11);
  g_assert_cmpfloat_with_epsilon (fit->loglik_null, -355.31297376524071, 1e-10);
  g_assert_cmpfloat_with_epsilon (fit->loglik, -329.11842923863850, 1e-10);
  g_assert_cmpfloat_with_epsilon (fit->score_test.statistic, 38.539789885637596, 1e-11);
  g_assert_cmpfloat_with_epsilon (fit->wald_test.statistic, 10.17428, 1e-5);
  g_assert_cmpfloat (fit->score_test.p, >, 0.0);
}

/* The reference group has no events: every coefficient diverges to +Inf.
 * R: d$event[d$group == "A"] <- 0; coxph(Surv(time, event) ~ group, d, ties = "breslow")
 *    Warning: Loglik converged before variable 1,2; coefficient may be infinite.
 *    fit$iter 19, coef 20.019542249015114 20.434030602810470,
 *    loglik -445.70361627323138 -385.04147242395811, score 86.714914696470444 */
static void
test_reference_without_events (void)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = json_node_get_object (reference_load ("ties.json", &parser));
  g_autoptr (Cohort) cohort = cohort_load ("ties", json_object_get_array_member (root,
                                                                                "group_levels"));
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataCoxFit) fit = NULL;

  for (gsize i = 0; i < cohort->n; i++)
    if (cohort->group[i] == 0)
      cohort->event[i] = 0;
  fit = strata_coxph_fit (cohort->time, cohort->event, cohort->group, cohort->n,
                          cohort->n_groups, 0, STRATA_COX_BRESLOW, 0.95,
                          STRATA_COX_EPS_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (fit->infinite_coef);
  g_assert_true (fit->coef_infinite[0] && fit->coef_infinite[1]);
  g_assert_cmpuint (fit->iterations, ==, 19);
  g_assert_cmpfloat_with_epsilon (fit->coef[0], 20.019542249015114, 1e-11);
  g_assert_cmpfloat_with_epsilon (fit->coef[1], 20.434030602810470, 1e-11);
  g_assert_cmpfloat_with_epsilon (fit->loglik_null, -445.70361627323138, 1e-10);
  g_assert_cmpfloat_with_epsilon (fit->loglik, -385.04147242395811, 1e-10);
  g_assert_cmpfloat_with_epsilon (fit->score_test.statistic, 86.714914696470444, 1e-11);
}

/* Group B's events all come after group A's last time: coef -> -Inf.
 * R: coxph(Surv(c(1,2,3,4,5,6), c(1,1,0,1,1,1)) ~ rep(c("A","B"), each = 3))
 *    Warning: Loglik converged before variable 1; coefficient may be infinite.
 *    fit$iter 20, coef -21.449916893107282, var 827257162.13342941,
 *    loglik -5.1929568508902104 -3.5835189396649234, score 2.4693877551020407 */
static void
test_separated_groups (void)
{
  const double time[] = { 1, 2, 3, 4, 5, 6 };
  const guint8 event[] = { 1, 1, 0, 1, 1, 1 };
  const guint group[] = { 0, 0, 0, 1, 1, 1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataCoxFit) fit = strata_coxph_fit (time, event, group, 6, 2, 0,
                                                   STRATA_COX_EFRON, 0.95,
                                                   STRATA_COX_EPS_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_true (fit->infinite_coef);
  g_assert_true (fit->coef_infinite[0]);
  g_assert_cmpuint (fit->iterations, ==, 20);
  g_assert_cmpfloat_with_epsilon (fit->coef[0], -21.449916893107282, 1e-11);
  g_assert_cmpfloat_with_epsilon (fit->var[0] / 827257162.13342941, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (fit->loglik_null, -5.1929568508902104, 1e-12);
  g_assert_cmpfloat_with_epsilon (fit->loglik, -3.5835189396649234, 1e-12);
  g_assert_cmpfloat_with_epsilon (fit->score_test.statistic, 2.4693877551020407, 1e-12);
}

/* Running out of iterations: R recomputes at the last good beta and returns only the
 * inverted diagonal of the information as var.
 * R: coxph(Surv(time, event) ~ group, ties, control = coxph.control(iter.max = 2))
 *    fit$iter 3, coef 0.76395688048714694 1.18930415477594686,
 *    var diag 0.033929239329220005 0.03360558910240409, off-diagonal 0,
 *    loglik -589.79784162832107 -575.42716728661810 */
static void
test_iteration_limit (void)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = json_node_get_object (reference_load ("ties.json", &parser));
  g_autoptr (Cohort) cohort = cohort_load ("ties", json_object_get_array_member (root,
                                                                                "group_levels"));
  g_autoptr (StrataCoxFit) fit = strata_coxph_fit_full (cohort->time, cohort->event,
                                                        cohort->group, cohort->n,
                                                        cohort->n_groups, 0,
                                                        STRATA_COX_EFRON, 0.95,
                                                        STRATA_COX_EPS_DEFAULT, 2, NULL);

  g_assert_false (fit->converged);
  g_assert_false (fit->infinite_coef);
  g_assert_cmpuint (fit->iterations, ==, 3);
  g_assert_cmpfloat_with_epsilon (fit->coef[0], 0.76395688048714694, 1e-12);
  g_assert_cmpfloat_with_epsilon (fit->coef[1], 1.18930415477594686, 1e-12);
  g_assert_cmpfloat_with_epsilon (fit->var[0], 0.033929239329220005, 1e-14);
  g_assert_cmpfloat_with_epsilon (fit->var[3], 0.03360558910240409, 1e-14);
  g_assert_cmpfloat (fit->var[1], ==, 0.0);
  g_assert_cmpfloat (fit->var[2], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (fit->loglik, -575.42716728661810, 1e-10);
}

/* A group level with no patients: R keeps the column and reports NA.
 * R: coxph(Surv(time, event) ~ factor(group, c("Maintained", "Nonmaintained", "Zzz")))
 *    coef 0.91553257501471763 NA, var [0.26207670209588652 0; 0 0], wald.test 3.198299922159451 */
static void
test_empty_group (void)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = json_node_get_object (reference_load ("aml.json", &parser));
  g_autoptr (Cohort) cohort = cohort_load ("aml", json_object_get_array_member (root,
                                                                               "group_levels"));
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataCoxFit) fit = strata_coxph_fit (cohort->time, cohort->event,
                                                   cohort->group, cohort->n, 3, 0,
                                                   STRATA_COX_EFRON, 0.95,
                                                   STRATA_COX_EPS_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (fit->n_coef, ==, 2);
  g_assert_false (fit->coef_singular[0]);
  g_assert_true (fit->coef_singular[1]);
  g_assert_true (isnan (fit->coef[1]) && isnan (fit->hr[1]) && isnan (fit->p[1]));
  g_assert_false (fit->infinite_coef);
  g_assert_cmpfloat_with_epsilon (fit->coef[0], 0.91553257501471763, 1e-13);
  g_assert_cmpfloat_with_epsilon (fit->var[0], 0.26207670209588652, 1e-13);
  g_assert_cmpfloat (fit->var[1], ==, 0.0);
  g_assert_cmpfloat (fit->var[3], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (fit->wald_test.statistic, 3.198299922159451, 1e-12);
  g_assert_cmpfloat (fit->wald_test.df, ==, 1.0);
  g_assert_cmpfloat_with_epsilon (fit->score_test.statistic, 3.4167343955173028, 1e-12);
  g_assert_cmpuint (fit->iterations, ==, 3);
}

static void
test_degenerate (void)
{
  const double time[] = { 1, 2, 3, 4 };
  const guint8 event[] = { 1, 0, 1, 1 };
  const guint8 censored[] = { 0, 0, 0, 0 };
  const guint one_group[] = { 0, 0, 0, 0 };
  const guint two_groups[] = { 0, 1, 0, 1 };
  const double unsorted[] = { 2, 1, 3, 4 };
  g_autoptr (GError) error = NULL;
  StrataCoxFit *fit;

  /* one group */
  fit = strata_coxph_fit (time, event, one_group, 4, 1, 0, STRATA_COX_EFRON, 0.95, 1e-9,
                          &error);
  g_assert_null (fit);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_TOO_FEW_GROUPS);
  g_clear_error (&error);

  /* two declared groups, patients in one only */
  fit = strata_coxph_fit (time, event, one_group, 4, 2, 0, STRATA_COX_EFRON, 0.95, 1e-9,
                          &error);
  g_assert_null (fit);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_TOO_FEW_GROUPS);
  g_clear_error (&error);

  /* a single patient */
  fit = strata_coxph_fit (time, event, one_group, 1, 2, 0, STRATA_COX_BRESLOW, 0.95, 1e-9,
                          &error);
  g_assert_null (fit);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_TOO_FEW_GROUPS);
  g_clear_error (&error);

  /* all censored */
  fit = strata_coxph_fit (time, censored, two_groups, 4, 2, 0, STRATA_COX_EFRON, 0.95, 1e-9,
                          &error);
  g_assert_null (fit);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_NO_EVENTS);
  g_clear_error (&error);

  /* no patients at all */
  fit = strata_coxph_fit (NULL, NULL, NULL, 0, 2, 0, STRATA_COX_EFRON, 0.95, 1e-9, &error);
  g_assert_null (fit);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_TOO_FEW_GROUPS);
  g_clear_error (&error);

  /* invalid arguments */
  fit = strata_coxph_fit (unsorted, event, two_groups, 4, 2, 0, STRATA_COX_EFRON, 0.95, 1e-9,
                          &error);
  g_assert_null (fit);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  fit = strata_coxph_fit (time, event, two_groups, 4, 2, 2, STRATA_COX_EFRON, 0.95, 1e-9,
                          &error);
  g_assert_null (fit);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  fit = strata_coxph_fit (time, event, two_groups, 4, 2, 0, STRATA_COX_EFRON, 1.0, 1e-9,
                          &error);
  g_assert_null (fit);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* two patients, one per group, one event each: separated, so infinite, but finite work */
  fit = strata_coxph_fit (time, event + 2, two_groups, 2, 2, 0, STRATA_COX_EFRON, 0.95, 1e-9,
                          &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fit->iterations, <=, STRATA_COX_ITER_MAX_DEFAULT + 1);
  g_assert_true (isfinite (fit->score_test.statistic));
  strata_coxph_fit_free (fit);
}

/* ---- speed -------------------------------------------------------------------------- */

/* 1e6 patients in 4 groups with exponential times (hazard ratios 1, 1.25, 1.5, 2),
 * times rounded to 0.01 so there are many ties, about 30% censored. */
static void
test_speed (void)
{
  const gsize n = 1000000;
  const double rates[] = { 1.0, 1.25, 1.5, 2.0 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240601);
  g_autofree Row *rows = g_new (Row, n);
  g_autofree double *time = g_new (double, n);
  g_autofree guint8 *event = g_new (guint8, n);
  g_autofree guint *group = g_new (guint, n);
  g_autoptr (StrataCoxFit) fit = NULL;
  g_autoptr (GTimer) timer = NULL;
  double seconds;

  for (gsize i = 0; i < n; i++)
    {
      guint g = g_rand_int_range (rand, 0, 4);
      double t = -log (1.0 - g_rand_double (rand)) / rates[g];
      double c = -log (1.0 - g_rand_double (rand)) / 0.6;

      rows[i].group = g;
      rows[i].event = t <= c;
      rows[i].time = round (MIN (t, c) * 100.0) / 100.0 + 0.01;
    }
  g_qsort_with_data (rows, (gint) n, sizeof (Row), row_compare_time, NULL);
  for (gsize i = 0; i < n; i++)
    {
      time[i] = rows[i].time;
      event[i] = rows[i].event;
      group[i] = rows[i].group;
    }

  timer = g_timer_new ();
  fit = strata_coxph_fit (time, event, group, n, 4, 0, STRATA_COX_EFRON, 0.95,
                          STRATA_COX_EPS_DEFAULT, NULL);
  seconds = g_timer_elapsed (timer, NULL);
  g_assert_true (fit->converged);
  g_assert_cmpfloat_with_epsilon (fit->hr[2], 2.0, 0.05);
  g_test_minimized_result (seconds, "coxph efron, n = 1e6, 4 groups, %u iterations: %.3f s",
                           fit->iterations, seconds);
}

int
main (int argc, char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/coxph/reference/aml", "aml", test_reference);
  g_test_add_data_func ("/coxph/reference/lung", "lung", test_reference);
  g_test_add_data_func ("/coxph/reference/ties", "ties", test_reference);
  g_test_add_func ("/coxph/reference-choice", test_reference_choice);
  g_test_add_func ("/coxph/tie-order", test_tie_order);
  g_test_add_func ("/coxph/infinite/group-without-events", test_group_without_events);
  g_test_add_func ("/coxph/infinite/reference-without-events", test_reference_without_events);
  g_test_add_func ("/coxph/infinite/separated-groups", test_separated_groups);
  g_test_add_func ("/coxph/iteration-limit", test_iteration_limit);
  g_test_add_func ("/coxph/empty-group", test_empty_group);
  g_test_add_func ("/coxph/degenerate", test_degenerate);
  if (g_test_perf ())
    g_test_add_func ("/coxph/speed", test_speed);

  return g_test_run ();
}

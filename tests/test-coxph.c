/* test-coxph.c: the Cox model against R's survival 3.5.3.
 *
 * Every coxph field of tests/data/{aml,lung,ties}.json (efron and breslow) at R's
 * default eps and, for coef_tight/loglik_tight, at eps = 1e-11; then degenerate inputs,
 * with R's values quoted next to the R call that gave them. Every case runs through both
 * layouts: strata_coxph_fit() on the rows and strata_coxph_fit_counts() on the counts
 * built from them, each compared with R and the two with each other. Run with
 * G_TEST_SRCDIR pointing at tests/. `-m perf` adds timing runs on 1e6 patients. */
#include <gsl/gsl_errno.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

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

/* ---- the two layouts ---------------------------------------------------------------- */

/* Counts per distinct time and group, as strata_coxph_fit_counts() takes them. */
typedef struct {
  guint n_times;
  guint n_groups;
  guint *deaths;     /* n_times x n_groups */
  guint *at_risk;    /* n_times x n_groups */
} Counts;

static void
counts_free (Counts *counts)
{
  g_free (counts->deaths);
  g_free (counts->at_risk);
  g_free (counts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Counts, counts_free)

/* The counts of the rows (TIME ascending): one row per distinct time, deaths of each group
 * at it and the number with time >= it. With ONLY_DEATH_TIMES, times without deaths are
 * left out except the first (which gives the patient count). */
static Counts *
counts_from_rows (const double *time, const guint8 *event, const guint *group, gsize n,
                  guint n_groups, gboolean only_death_times)
{
  Counts *counts = g_new0 (Counts, 1);
  g_autofree guint *seen = g_new0 (guint, n_groups);   /* patients with time >= current */
  guint t;

  counts->n_groups = n_groups;
  for (gsize i = 0; i < n; i++)
    if (i == 0 || time[i] != time[i - 1])
      counts->n_times++;
  counts->deaths = g_new0 (guint, (gsize) MAX (counts->n_times, 1) * n_groups);
  counts->at_risk = g_new0 (guint, (gsize) MAX (counts->n_times, 1) * n_groups);

  /* last time first, so that the number at risk is a running count */
  t = counts->n_times;
  for (gsize i = n; i-- > 0;)
    {
      if (i == n - 1 || time[i] != time[i + 1])
        t--;
      seen[group[i]]++;
      counts->deaths[(gsize) t * n_groups + group[i]] += event[i];
      if (i == 0 || time[i] != time[i - 1])
        memcpy (counts->at_risk + (gsize) t * n_groups, seen, n_groups * sizeof (guint));
    }
  g_assert_cmpuint (t, ==, 0);

  if (only_death_times)
    {
      guint kept = 0;

      for (guint r = 0; r < counts->n_times; r++)
        {
          guint d = 0;

          for (guint g = 0; g < n_groups; g++)
            d += counts->deaths[(gsize) r * n_groups + g];
          if (r > 0 && d == 0)
            continue;
          memmove (counts->deaths + (gsize) kept * n_groups,
                   counts->deaths + (gsize) r * n_groups, n_groups * sizeof (guint));
          memmove (counts->at_risk + (gsize) kept * n_groups,
                   counts->at_risk + (gsize) r * n_groups, n_groups * sizeof (guint));
          kept++;
        }
      counts->n_times = kept;
    }
  return counts;
}

typedef enum {
  PATH_ROWS,
  PATH_COUNTS,
} FitPath;

static const char *const path_names[] = { "rows", "counts" };

/* Fits the rows through PATH: strata_coxph_fit[_full]() on the rows themselves or
 * strata_coxph_fit_counts[_full]() on their counts; the plain entry points when
 * ITER_MAX is R's default. */
static StrataCoxFit *
fit_path (FitPath path, const double *time, const guint8 *event, const guint *group, gsize n,
          guint n_groups, guint reference, StrataCoxTies ties, double conf_level, double eps,
          guint iter_max, GError **error)
{
  g_autoptr (Counts) counts = NULL;

  if (path == PATH_ROWS)
    return iter_max == STRATA_COX_ITER_MAX_DEFAULT
             ? strata_coxph_fit (time, event, group, n, n_groups, reference, ties,
                                 conf_level, eps, error)
             : strata_coxph_fit_full (time, event, group, n, n_groups, reference, ties,
                                      conf_level, eps, iter_max, error);
  counts = counts_from_rows (time, event, group, n, n_groups, FALSE);
  return iter_max == STRATA_COX_ITER_MAX_DEFAULT
           ? strata_coxph_fit_counts (counts->deaths, counts->at_risk, counts->n_times,
                                      n_groups, reference, ties, conf_level, eps, error)
           : strata_coxph_fit_counts_full (counts->deaths, counts->at_risk, counts->n_times,
                                           n_groups, reference, ties, conf_level, eps,
                                           iter_max, error);
}

/* Agreement between the two layouts: A and B within TOL relative to SCALE (NaN: to
 * max(|a|, |b|)); NaN matches NaN, an infinity itself. */
static gboolean
agrees (double a, double b, double tol, double scale)
{
  if (isnan (a) || isnan (b))
    return isnan (a) && isnan (b);
  if (isinf (a) || isinf (b))
    return a == b;
  if (isnan (scale))
    scale = MAX (fabs (a), fabs (b));
  return fabs (a - b) <= tol * scale;
}

#define assert_agrees(a, b, tol, scale, ...)                                          G_STMT_START {                                                                        if (!agrees ((a), (b), (tol), (scale)))                                               {                                                                                     g_autofree char *what_ = g_strdup_printf (__VA_ARGS__);                             g_error ("%s: rows %.17g, counts %.17g (tolerance %g)", what_, (double) (a),                  (double) (b), (double) (tol));                                            }                                                                               } G_STMT_END

/* Asserts that two fits of the same data agree: the same counts and flags, and every
 * number within TOL relative. Two numbers get a scale other than their own size:
 * covariances that of se_i se_j, the likelihood-ratio statistic (a difference of
 * log-likelihoods) that of the log-likelihood. A p-value's relative error is about half
 * its statistic's absolute error (z^2 times z's relative error for a coefficient), so
 * p-values get TOL max(1, the statistic's scale). */
static void
assert_fits_agree (const StrataCoxFit *a, const StrataCoxFit *b, double tol, const char *where)
{
  const guint k = a->n_coef;
  const StrataCoxTest *ta[] = { &a->lr_test, &a->wald_test, &a->score_test };
  const StrataCoxTest *tb[] = { &b->lr_test, &b->wald_test, &b->score_test };
  const char *test_names[] = { "lr", "wald", "score" };
  const double loglik_scale = MAX (fabs (a->loglik), fabs (a->loglik_null));

  g_assert_cmpuint (b->n_coef, ==, k);
  g_assert_cmpint (a->ties, ==, b->ties);
  g_assert_cmpuint (a->iterations, ==, b->iterations);
  g_assert_cmpuint (a->n, ==, b->n);
  g_assert_cmpuint (a->nevent, ==, b->nevent);
  g_assert_cmpint (a->converged, ==, b->converged);
  g_assert_cmpint (a->infinite_coef, ==, b->infinite_coef);
  g_assert_cmpfloat (a->conf_level, ==, b->conf_level);
  for (guint i = 0; i < k; i++)
    {
      const double zz = isnan (a->z[i]) ? 1.0 : MAX (1.0, a->z[i] * a->z[i]);

      g_assert_cmpuint (a->coef_group[i], ==, b->coef_group[i]);
      g_assert_cmpint (a->coef_infinite[i], ==, b->coef_infinite[i]);
      g_assert_cmpint (a->coef_singular[i], ==, b->coef_singular[i]);
      assert_agrees (a->coef[i], b->coef[i], tol, NAN, "%s coef[%u]", where, i);
      assert_agrees (a->se[i], b->se[i], tol, NAN, "%s se[%u]", where, i);
      assert_agrees (a->z[i], b->z[i], tol, NAN, "%s z[%u]", where, i);
      assert_agrees (a->p[i], b->p[i], tol * zz, NAN, "%s p[%u]", where, i);
      assert_agrees (a->hr[i], b->hr[i], tol, NAN, "%s hr[%u]", where, i);
      assert_agrees (a->hr_lower[i], b->hr_lower[i], tol, NAN, "%s hr_lower[%u]", where, i);
      assert_agrees (a->hr_upper[i], b->hr_upper[i], tol, NAN, "%s hr_upper[%u]", where, i);
      for (guint j = 0; j < k; j++)
        assert_agrees (a->var[i * k + j], b->var[i * k + j], tol,
                       i == j ? NAN : sqrt (fabs (a->var[i * k + i] * a->var[j * k + j])),
                       "%s var[%u][%u]", where, i, j);
    }
  assert_agrees (a->loglik_null, b->loglik_null, tol, NAN, "%s loglik_null", where);
  assert_agrees (a->loglik, b->loglik, tol, NAN, "%s loglik", where);
  for (guint t = 0; t < G_N_ELEMENTS (ta); t++)
    {
      const double stat = ta[t]->statistic;
      const double stat_scale = t == 0 ? loglik_scale : fabs (stat);

      g_assert_cmpfloat (ta[t]->df, ==, tb[t]->df);
      assert_agrees (stat, tb[t]->statistic, tol, t == 0 ? loglik_scale : NAN,
                     "%s %s statistic", where, test_names[t]);
      assert_agrees (ta[t]->p, tb[t]->p,
                     tol * (isnan (stat_scale) ? 1.0 : MAX (1.0, stat_scale)), NAN,
                     "%s %s p", where, test_names[t]);
    }
}

/* The bar between the layouts in well-conditioned fits. */
#define PATHS_REL_TOL 1e-12

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

/* Checks FIT (of the dataset's rows through some layout) against R's REF. */
static void
check_fit_with_r (const StrataCoxFit *fit, const StrataCoxFit *tight, JsonObject *ref,
                  guint n_groups, const char *where)
{
  JsonArray *var_rows = json_object_get_array_member (ref, "var");
  const guint k = fit->n_coef;

  g_assert_cmpuint (k, ==, n_groups - 1);
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
  check_array (tight->coef, k, ref, "coef_tight", where);
  check (tight->loglik, json_object_get_member (ref, "loglik_tight"), "%s.loglik_tight",
         where);
  g_assert_false (tight->infinite_coef);
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
  g_autoptr (Counts) sparse = counts_from_rows (cohort->time, cohort->event, cohort->group,
                                                cohort->n, cohort->n_groups, TRUE);
  const struct { const char *name; StrataCoxTies ties; } methods[] = {
    { "efron", STRATA_COX_EFRON }, { "breslow", STRATA_COX_BRESLOW },
  };
  double path_max_rel_diff[2] = { 0.0, 0.0 };

  g_assert_cmpstr (json_object_get_string_member (root, "reference_level"), ==,
                   json_array_get_string_element (levels, 0));

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      JsonObject *ref = json_object_get_object_member (coxph, methods[m].name);
      StrataCoxFit *fits[2], *tights[2];
      g_autoptr (StrataCoxFit) sparse_fit = NULL;
      g_autofree char *where = NULL;

      for (FitPath path = PATH_ROWS; path <= PATH_COUNTS; path++)
        {
          g_autoptr (GError) error = NULL;

          g_free (where);
          where = g_strdup_printf ("%s.%s.%s", dataset, methods[m].name, path_names[path]);
          fits[path] = fit_path (path, cohort->time, cohort->event, cohort->group, cohort->n,
                                 cohort->n_groups, 0, methods[m].ties, 0.95,
                                 STRATA_COX_EPS_DEFAULT, STRATA_COX_ITER_MAX_DEFAULT, &error);
          g_assert_no_error (error);
          tights[path] = fit_path (path, cohort->time, cohort->event, cohort->group,
                                   cohort->n, cohort->n_groups, 0, methods[m].ties, 0.95,
                                   1e-11, STRATA_COX_ITER_MAX_DEFAULT, &error);
          g_assert_no_error (error);
          max_rel_diff = 0.0;
          check_fit_with_r (fits[path], tights[path], ref, cohort->n_groups, where);
          path_max_rel_diff[path] = MAX (path_max_rel_diff[path], max_rel_diff);
        }

      g_free (where);
      where = g_strdup_printf ("%s.%s", dataset, methods[m].name);
      assert_fits_agree (fits[PATH_ROWS], fits[PATH_COUNTS], PATHS_REL_TOL, where);
      assert_fits_agree (tights[PATH_ROWS], tights[PATH_COUNTS], PATHS_REL_TOL, where);

      /* times without deaths add nothing: leaving them out changes no bit */
      sparse_fit = strata_coxph_fit_counts (sparse->deaths, sparse->at_risk, sparse->n_times,
                                            cohort->n_groups, 0, methods[m].ties, 0.95,
                                            STRATA_COX_EPS_DEFAULT, NULL);
      g_assert_nonnull (sparse_fit);
      assert_fits_agree (fits[PATH_COUNTS], sparse_fit, 0.0, where);

      for (FitPath path = PATH_ROWS; path <= PATH_COUNTS; path++)
        {
          strata_coxph_fit_free (fits[path]);
          strata_coxph_fit_free (tights[path]);
        }
    }
  g_test_message ("%s: largest relative difference from R: rows %.3g, counts %.3g", dataset,
                  path_max_rel_diff[PATH_ROWS], path_max_rel_diff[PATH_COUNTS]);
}

/* ---- behaviour ---------------------------------------------------------------------- */

/* Loads tests/data/NAME.csv with the group levels of NAME.json. */
static Cohort *
cohort_load_named (const char *name)
{
  g_autofree char *json_name = g_strdup_printf ("%s.json", name);
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = json_node_get_object (reference_load (json_name, &parser));

  return cohort_load (name, json_object_get_array_member (root, "group_levels"));
}

/* aml with Nonmaintained as the reference: the coefficient changes sign.
 * R: coxph(Surv(time, event) ~ factor(group, c("Nonmaintained", "Maintained"))) */
static void
test_reference_choice (void)
{
  g_autoptr (Cohort) cohort = cohort_load_named ("aml");
  StrataCoxFit *fits[2];

  for (FitPath path = PATH_ROWS; path <= PATH_COUNTS; path++)
    {
      g_autoptr (GError) error = NULL;
      StrataCoxFit *fit = fits[path] = fit_path (path, cohort->time, cohort->event,
                                                 cohort->group, cohort->n, 2, 1,
                                                 STRATA_COX_EFRON, 0.95,
                                                 STRATA_COX_EPS_DEFAULT,
                                                 STRATA_COX_ITER_MAX_DEFAULT, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (fit->coef_group[0], ==, 0);
      g_assert_cmpfloat_with_epsilon (fit->coef[0], -0.91553257501471752, 1e-12);
      g_assert_cmpfloat_with_epsilon (fit->var[0], 0.26207670209588652, 1e-12);
      g_assert_cmpfloat_with_epsilon (fit->loglik, -41.032615596458385, 1e-10);
      g_assert_cmpuint (fit->iterations, ==, 3);
    }
  assert_fits_agree (fits[PATH_ROWS], fits[PATH_COUNTS], PATHS_REL_TOL, "reference-choice");
  strata_coxph_fit_free (fits[PATH_ROWS]);
  strata_coxph_fit_free (fits[PATH_COUNTS]);
}

/* Tied rows may come in any order: the result moves by rounding only (and not at all
 * through the counts, which do not see the order). */
static void
test_tie_order (void)
{
  g_autoptr (Cohort) cohort = cohort_load_named ("ties");
  g_autoptr (StrataCoxFit) fit = NULL;
  g_autoptr (StrataCoxFit) reversed = NULL;
  g_autoptr (StrataCoxFit) counts_fit = NULL;
  g_autoptr (StrataCoxFit) counts_reversed = NULL;
  gsize start = 0;

  fit = strata_coxph_fit (cohort->time, cohort->event, cohort->group, cohort->n,
                          cohort->n_groups, 0, STRATA_COX_EFRON, 0.95, 1e-9, NULL);
  counts_fit = fit_path (PATH_COUNTS, cohort->time, cohort->event, cohort->group, cohort->n,
                         cohort->n_groups, 0, STRATA_COX_EFRON, 0.95, 1e-9,
                         STRATA_COX_ITER_MAX_DEFAULT, NULL);
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

  counts_reversed = fit_path (PATH_COUNTS, cohort->time, cohort->event, cohort->group,
                              cohort->n, cohort->n_groups, 0, STRATA_COX_EFRON, 0.95, 1e-9,
                              STRATA_COX_ITER_MAX_DEFAULT, NULL);
  assert_fits_agree (counts_fit, counts_reversed, 0.0, "tie-order counts");
  assert_fits_agree (fit, counts_fit, PATHS_REL_TOL, "tie-order");
  assert_fits_agree (reversed, counts_fit, PATHS_REL_TOL, "tie-order reversed");
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
  g_autoptr (Cohort) cohort = cohort_load_named ("ties");
  StrataCoxFit *fits[2];

  for (gsize i = 0; i < cohort->n; i++)
    if (cohort->group[i] == 2)
      cohort->event[i] = 0;
  for (FitPath path = PATH_ROWS; path <= PATH_COUNTS; path++)
    {
      g_autoptr (GError) error = NULL;
      StrataCoxFit *fit = fits[path] = fit_path (path, cohort->time, cohort->event,
                                                 cohort->group, cohort->n,
                                                 cohort->n_groups, 0, STRATA_COX_EFRON,
                                                 0.95, STRATA_COX_EPS_DEFAULT,
                                                 STRATA_COX_ITER_MAX_DEFAULT, &error);

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
  assert_fits_agree (fits[PATH_ROWS], fits[PATH_COUNTS], PATHS_REL_TOL,
                     "group-without-events");
  strata_coxph_fit_free (fits[PATH_ROWS]);
  strata_coxph_fit_free (fits[PATH_COUNTS]);
}

/* The reference group has no events: every coefficient diverges to +Inf.
 * R: d$event[d$group == "A"] <- 0; coxph(Surv(time, event) ~ group, d, ties = "breslow")
 *    Warning: Loglik converged before variable 1,2; coefficient may be infinite.
 *    fit$iter 19, coef 20.019542249015114 20.434030602810470,
 *    loglik -445.70361627323138 -385.04147242395811, score 86.714914696470444
 *
 * Here the score is a difference of nearly equal sums (every group but the reference
 * has nearly all the risk), so which rounding errors a computation makes decides the
 * last ~8 digits of the coefficients and the last ~6 of the variance. The same Newton
 * steps in 60-digit arithmetic (mpmath) end at coef 20.019542258224517
 * 20.434030612019872 and var[0][0] 6823360.763: R (and the row layout, which replays
 * R's operations) is 9e-9 and 0.88 from those, the counts 4.5e-8 and 0.28. So the
 * counts are held to R at 1e-7 on the coefficients and 1e-6 on the variance only; the
 * log-likelihoods, the score test, the iterations and the flags are as tight as
 * elsewhere. */
static void
test_reference_without_events (void)
{
  g_autoptr (Cohort) cohort = cohort_load_named ("ties");
  StrataCoxFit *fits[2];

  for (gsize i = 0; i < cohort->n; i++)
    if (cohort->group[i] == 0)
      cohort->event[i] = 0;
  for (FitPath path = PATH_ROWS; path <= PATH_COUNTS; path++)
    {
      const double coef_tol = path == PATH_ROWS ? 1e-11 : 1e-7;
      g_autoptr (GError) error = NULL;
      StrataCoxFit *fit = fits[path] = fit_path (path, cohort->time, cohort->event,
                                                 cohort->group, cohort->n,
                                                 cohort->n_groups, 0, STRATA_COX_BRESLOW,
                                                 0.95, STRATA_COX_EPS_DEFAULT,
                                                 STRATA_COX_ITER_MAX_DEFAULT, &error);

      g_assert_no_error (error);
      g_assert_true (fit->infinite_coef);
      g_assert_true (fit->coef_infinite[0] && fit->coef_infinite[1]);
      g_assert_cmpuint (fit->iterations, ==, 19);
      g_assert_cmpfloat_with_epsilon (fit->coef[0], 20.019542249015114, coef_tol);
      g_assert_cmpfloat_with_epsilon (fit->coef[1], 20.434030602810470, coef_tol);
      g_assert_cmpfloat_with_epsilon (fit->loglik_null, -445.70361627323138, 1e-10);
      g_assert_cmpfloat_with_epsilon (fit->loglik, -385.04147242395811, 1e-10);
      g_assert_cmpfloat_with_epsilon (fit->score_test.statistic, 86.714914696470444, 1e-11);
    }
  /* between the layouts: as above */
  assert_agrees (fits[PATH_ROWS]->loglik, fits[PATH_COUNTS]->loglik, PATHS_REL_TOL, NAN,
                 "reference-without-events loglik");
  assert_agrees (fits[PATH_ROWS]->score_test.statistic,
                 fits[PATH_COUNTS]->score_test.statistic, PATHS_REL_TOL, NAN,
                 "reference-without-events score");
  for (guint i = 0; i < 2; i++)
    {
      assert_agrees (fits[PATH_ROWS]->coef[i], fits[PATH_COUNTS]->coef[i], 1e-8, NAN,
                     "reference-without-events coef[%u]", i);
      assert_agrees (fits[PATH_ROWS]->var[i * 3], fits[PATH_COUNTS]->var[i * 3], 1e-6, NAN,
                     "reference-without-events var[%u][%u]", i, i);
    }
  strata_coxph_fit_free (fits[PATH_ROWS]);
  strata_coxph_fit_free (fits[PATH_COUNTS]);
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
  StrataCoxFit *fits[2];

  for (FitPath path = PATH_ROWS; path <= PATH_COUNTS; path++)
    {
      g_autoptr (GError) error = NULL;
      StrataCoxFit *fit = fits[path] = fit_path (path, time, event, group, 6, 2, 0,
                                                 STRATA_COX_EFRON, 0.95,
                                                 STRATA_COX_EPS_DEFAULT,
                                                 STRATA_COX_ITER_MAX_DEFAULT, &error);

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
  assert_fits_agree (fits[PATH_ROWS], fits[PATH_COUNTS], PATHS_REL_TOL, "separated-groups");
  strata_coxph_fit_free (fits[PATH_ROWS]);
  strata_coxph_fit_free (fits[PATH_COUNTS]);
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
  g_autoptr (Cohort) cohort = cohort_load_named ("ties");
  StrataCoxFit *fits[2];

  for (FitPath path = PATH_ROWS; path <= PATH_COUNTS; path++)
    {
      StrataCoxFit *fit = fits[path] = fit_path (path, cohort->time, cohort->event,
                                                 cohort->group, cohort->n,
                                                 cohort->n_groups, 0, STRATA_COX_EFRON,
                                                 0.95, STRATA_COX_EPS_DEFAULT, 2, NULL);

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
  assert_fits_agree (fits[PATH_ROWS], fits[PATH_COUNTS], PATHS_REL_TOL, "iteration-limit");
  strata_coxph_fit_free (fits[PATH_ROWS]);
  strata_coxph_fit_free (fits[PATH_COUNTS]);
}

/* A group level with no patients: R keeps the column and reports NA.
 * R: coxph(Surv(time, event) ~ factor(group, c("Maintained", "Nonmaintained", "Zzz")))
 *    coef 0.91553257501471763 NA, var [0.26207670209588652 0; 0 0], wald.test 3.198299922159451 */
static void
test_empty_group (void)
{
  g_autoptr (Cohort) cohort = cohort_load_named ("aml");
  StrataCoxFit *fits[2];

  for (FitPath path = PATH_ROWS; path <= PATH_COUNTS; path++)
    {
      g_autoptr (GError) error = NULL;
      StrataCoxFit *fit = fits[path] = fit_path (path, cohort->time, cohort->event,
                                                 cohort->group, cohort->n, 3, 0,
                                                 STRATA_COX_EFRON, 0.95,
                                                 STRATA_COX_EPS_DEFAULT,
                                                 STRATA_COX_ITER_MAX_DEFAULT, &error);

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
  assert_fits_agree (fits[PATH_ROWS], fits[PATH_COUNTS], PATHS_REL_TOL, "empty-group");
  strata_coxph_fit_free (fits[PATH_ROWS]);
  strata_coxph_fit_free (fits[PATH_COUNTS]);
}

/* Fits through PATH and asserts it fails with CODE. */
static void
assert_fit_fails (FitPath path, const double *time, const guint8 *event, const guint *group,
                  gsize n, guint n_groups, guint reference, double conf_level, int code)
{
  g_autoptr (GError) error = NULL;
  StrataCoxFit *fit = fit_path (path, time, event, group, n, n_groups, reference,
                                STRATA_COX_EFRON, conf_level, 1e-9,
                                STRATA_COX_ITER_MAX_DEFAULT, &error);

  g_assert_null (fit);
  g_assert_error (error, STRATA_COXPH_ERROR, code);
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
  StrataCoxFit *fits[2];

  for (FitPath path = PATH_ROWS; path <= PATH_COUNTS; path++)
    {
      /* one group */
      assert_fit_fails (path, time, event, one_group, 4, 1, 0, 0.95,
                        STRATA_COXPH_ERROR_TOO_FEW_GROUPS);
      /* two declared groups, patients in one only */
      assert_fit_fails (path, time, event, one_group, 4, 2, 0, 0.95,
                        STRATA_COXPH_ERROR_TOO_FEW_GROUPS);
      /* a single patient */
      assert_fit_fails (path, time, event, one_group, 1, 2, 0, 0.95,
                        STRATA_COXPH_ERROR_TOO_FEW_GROUPS);
      /* all censored */
      assert_fit_fails (path, time, censored, two_groups, 4, 2, 0, 0.95,
                        STRATA_COXPH_ERROR_NO_EVENTS);
      /* no patients at all */
      assert_fit_fails (path, NULL, NULL, NULL, 0, 2, 0, 0.95,
                        STRATA_COXPH_ERROR_TOO_FEW_GROUPS);
      /* invalid arguments */
      assert_fit_fails (path, time, event, two_groups, 4, 2, 2, 0.95,
                        STRATA_COXPH_ERROR_INVALID_INPUT);
      assert_fit_fails (path, time, event, two_groups, 4, 2, 0, 1.0,
                        STRATA_COXPH_ERROR_INVALID_INPUT);

      /* two patients, one per group, one event each: separated, so infinite, but finite
       * work */
      fits[path] = fit_path (path, time, event + 2, two_groups, 2, 2, 0, STRATA_COX_EFRON,
                             0.95, 1e-9, STRATA_COX_ITER_MAX_DEFAULT, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (fits[path]->iterations, <=, STRATA_COX_ITER_MAX_DEFAULT + 1);
      g_assert_true (isfinite (fits[path]->score_test.statistic));
    }
  /* R runs out of iterations here with beta near -21; both layouts stop at the same
   * step, the log-likelihood being an exact 0 up to rounding */
  g_assert_cmpuint (fits[PATH_ROWS]->iterations, ==, fits[PATH_COUNTS]->iterations);
  g_assert_cmpint (fits[PATH_ROWS]->converged, ==, fits[PATH_COUNTS]->converged);
  assert_agrees (fits[PATH_ROWS]->coef[0], fits[PATH_COUNTS]->coef[0], PATHS_REL_TOL, NAN,
                 "two patients coef");
  strata_coxph_fit_free (fits[PATH_ROWS]);
  strata_coxph_fit_free (fits[PATH_COUNTS]);

  /* rows only: unsorted times */
  assert_fit_fails (PATH_ROWS, unsorted, event, two_groups, 4, 2, 0, 0.95,
                    STRATA_COXPH_ERROR_INVALID_INPUT);
}

/* Counts that cannot come from patients. */
static void
test_counts_invalid (void)
{
  /* 2 times x 2 groups */
  const guint deaths[] = { 1, 0, 1, 1 };
  const guint at_risk[] = { 3, 2, 2, 2 };
  const guint too_many_deaths[] = { 1, 0, 3, 1 };
  const guint growing[] = { 3, 2, 3, 2 };     /* more at risk at the second time */
  const guint no_room[] = { 3, 2, 3, 1 };     /* 3 at risk after 1 death of 3 */
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataCoxFit) fit = NULL;
  StrataCoxFit *bad;

  fit = strata_coxph_fit_counts (deaths, at_risk, 2, 2, 0, STRATA_COX_EFRON, 0.95, 1e-9,
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fit->n, ==, 5);
  g_assert_cmpuint (fit->nevent, ==, 3);

  bad = strata_coxph_fit_counts (too_many_deaths, at_risk, 2, 2, 0, STRATA_COX_EFRON, 0.95,
                                 1e-9, &error);
  g_assert_null (bad);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  bad = strata_coxph_fit_counts (deaths, growing, 2, 2, 0, STRATA_COX_EFRON, 0.95, 1e-9,
                                 &error);
  g_assert_null (bad);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  bad = strata_coxph_fit_counts (deaths, no_room, 2, 2, 0, STRATA_COX_EFRON, 0.95, 1e-9,
                                 &error);
  g_assert_null (bad);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  bad = strata_coxph_fit_counts (NULL, at_risk, 2, 2, 0, STRATA_COX_EFRON, 0.95, 1e-9,
                                 &error);
  g_assert_null (bad);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  bad = strata_coxph_fit_counts (deaths, at_risk, 2, 2, 0, (StrataCoxTies) 7, 0.95, 1e-9,
                                 &error);
  g_assert_null (bad);
  g_assert_error (error, STRATA_COXPH_ERROR, STRATA_COXPH_ERROR_INVALID_INPUT);
}

/* Simulated patients: exponential times with hazard ratios 1, 1.25, 1.5, 2 (group 0 at
 * 0.02 per unit), exponential censoring at 0.01, all censored at 60, times rounded up to
 * 0.1: about 600 distinct times, 65% events, so tens to thousands of deaths per time. */
static void
simulate_cohort (gsize n, guint32 seed, double **time, guint8 **event, guint **group)
{
  const double rates[] = { 0.02, 0.025, 0.03, 0.04 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree Row *rows = g_new (Row, n);

  for (gsize i = 0; i < n; i++)
    {
      guint g = g_rand_int_range (rand, 0, 4);
      double t = -log (1.0 - g_rand_double (rand)) / rates[g];
      double c = -log (1.0 - g_rand_double (rand)) / 0.01;

      rows[i].group = g;
      rows[i].event = t <= c && t <= 60.0;
      rows[i].time = MAX (0.1, ceil (MIN (MIN (t, c), 60.0) * 10.0) / 10.0);
    }
  g_qsort_with_data (rows, (gint) n, sizeof (Row), row_compare_time, NULL);
  *time = g_new (double, n);
  *event = g_new (guint8, n);
  *group = g_new (guint, n);
  for (gsize i = 0; i < n; i++)
    {
      (*time)[i] = rows[i].time;
      (*event)[i] = rows[i].event;
      (*group)[i] = rows[i].group;
    }
}

/* The log partial likelihood (returned) and the inverse information VAR (k x k) at BETA
 * for COUNTS with reference group 0, summing Efron's steps one by one in long double:
 * an independent, more precise evaluation of what cox_counts_eval() sums in closed form.
 * Straight from the definition: step r = 1..d at a time with d deaths has the
 * denominator z = sum_g (R_g - D_g + s D_g) e_g with s = r / d (s = 1 and d steps alike
 * for Breslow or one death). */
static long double
long_double_efron (const Counts *counts, const double *beta, StrataCoxTies ties, double *var)
{
  const guint ng = counts->n_groups, k = ng - 1;
  g_autofree long double *e = g_new (long double, ng);
  g_autofree long double *a = g_new (long double, ng);
  g_autofree long double *info = g_new0 (long double, (gsize) k * 2 * k);
  long double loglik = 0.0L;

  e[0] = 1.0L;
  for (guint g = 1; g < ng; g++)
    e[g] = expl (beta[g - 1]);
  for (guint t = 0; t < counts->n_times; t++)
    {
      const guint *dead = counts->deaths + (gsize) t * ng;
      const guint *at_risk = counts->at_risk + (gsize) t * ng;
      guint d = 0;
      guint steps;

      for (guint g = 0; g < ng; g++)
        d += dead[g];
      if (d == 0)
        continue;
      for (guint g = 1; g < ng; g++)
        loglik += dead[g] * (long double) beta[g - 1];
      steps = ties == STRATA_COX_BRESLOW || d == 1 ? 1 : d;
      for (guint r = 1; r <= steps; r++)
        {
          const long double s = steps == 1 ? 1.0L : (long double) r / d;
          const long double weight = (long double) d / steps;
          long double z = 0.0L;

          for (guint g = 0; g < ng; g++)
            {
              a[g] = ((long double) at_risk[g] - dead[g] + s * dead[g]) * e[g];
              z += a[g];
            }
          loglik -= weight * logl (z);
          for (guint i = 0; i < k; i++)
            for (guint j = 0; j < k; j++)
              info[i * 2 * k + j] += weight * ((i == j ? a[i + 1] / z : 0.0L)
                                               - a[i + 1] * a[j + 1] / (z * z));
        }
    }

  /* Gauss-Jordan on [I | 1] (I is positive definite here) */
  for (guint i = 0; i < k; i++)
    info[i * 2 * k + k + i] = 1.0L;
  for (guint c = 0; c < k; c++)
    {
      const long double pivot = info[c * 2 * k + c];

      for (guint j = 0; j < 2 * k; j++)
        info[c * 2 * k + j] /= pivot;
      for (guint i = 0; i < k; i++)
        if (i != c)
          {
            const long double f = info[i * 2 * k + c];

            for (guint j = 0; j < 2 * k; j++)
              info[i * 2 * k + j] -= f * info[c * 2 * k + j];
          }
    }
  for (guint i = 0; i < k; i++)
    for (guint j = 0; j < k; j++)
      var[i * k + j] = (double) info[i * 2 * k + k + j];
  return loglik;
}

/* Many deaths per time take the counts' Efron sums through their asymptotic series.
 * 10000 patients (about 11 deaths per time): the layouts agree to PATHS_REL_TOL, both
 * ties methods, every reference group. 200000 patients (about 200 per time, up to ~600):
 * at the counts fit's coefficients, its log-likelihood and variance equal a step-by-step
 * long double evaluation to 1e-13. The row layout is only held to 1e-10 there: its
 * running sums over the patients (R's own arithmetic) carry relative errors growing with
 * n, about 1e-13 in the log-likelihood here and 5e-12 at 1e6 patients. */
static void
test_counts_many_ties (void)
{
  for (guint size = 0; size < 2; size++)
    {
      const gsize n = size == 0 ? 10000 : 200000;
      const guint n_references = size == 0 ? 4 : 1;
      g_autofree double *time = NULL;
      g_autofree guint8 *event = NULL;
      g_autofree guint *group = NULL;
      g_autoptr (Counts) counts = NULL;

      simulate_cohort (n, 20240602, &time, &event, &group);
      counts = counts_from_rows (time, event, group, n, 4, FALSE);
      for (guint ties = STRATA_COX_EFRON; ties <= STRATA_COX_BRESLOW; ties++)
        for (guint reference = 0; reference < n_references; reference++)
          {
            g_autofree char *where = g_strdup_printf ("many-ties n %" G_GSIZE_FORMAT
                                                      " ties %u reference %u", n, ties,
                                                      reference);
            g_autoptr (StrataCoxFit) rows_fit = NULL;
            g_autoptr (StrataCoxFit) counts_fit = NULL;
            double var[9];
            long double loglik;

            rows_fit = strata_coxph_fit (time, event, group, n, 4, reference, ties, 0.95,
                                         STRATA_COX_EPS_DEFAULT, NULL);
            counts_fit = strata_coxph_fit_counts (counts->deaths, counts->at_risk,
                                                  counts->n_times, 4, reference, ties, 0.95,
                                                  STRATA_COX_EPS_DEFAULT, NULL);
            g_assert_true (rows_fit->converged);
            g_assert_false (rows_fit->infinite_coef);
            assert_fits_agree (rows_fit, counts_fit, size == 0 ? PATHS_REL_TOL : 1e-10,
                               where);
            if (reference != 0)
              continue;

            loglik = long_double_efron (counts, counts_fit->coef, ties, var);
            assert_agrees (counts_fit->loglik, (double) loglik, 1e-13, NAN,
                           "%s loglik vs long double", where);
            for (guint i = 0; i < 9; i++)
              assert_agrees (counts_fit->var[i], var[i], 1e-13,
                             sqrt (var[(i / 3) * 4] * var[(i % 3) * 4]),
                             "%s var[%u] vs long double", where, i);
          }
    }
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

/* The GUI's case: 1e6 patients in 4 groups with times to 0.1 up to 60 (about 600
 * distinct times; simulate_cohort()). Times, best of several runs each,
 * strata_coxph_fit() on the rows, building the counts from the sorted rows (one pass),
 * and strata_coxph_fit_counts(); and checks that the two fits agree. */
static void
test_speed_counts (void)
{
  const gsize n = 1000000;
  g_autofree double *time = NULL;
  g_autofree guint8 *event = NULL;
  g_autofree guint *group = NULL;
  g_autoptr (GTimer) timer = g_timer_new ();

  simulate_cohort (n, 20240601, &time, &event, &group);
  for (guint ties = STRATA_COX_EFRON; ties <= STRATA_COX_BRESLOW; ties++)
    {
      g_autoptr (StrataCoxFit) rows_fit = NULL;
      g_autoptr (StrataCoxFit) counts_fit = NULL;
      g_autoptr (Counts) counts = NULL;
      double rows_s = G_MAXDOUBLE, build_s = G_MAXDOUBLE, counts_s = G_MAXDOUBLE;
      double worst = 0.0;

      for (guint rep = 0; rep < 3; rep++)
        {
          g_clear_pointer (&rows_fit, strata_coxph_fit_free);
          g_timer_start (timer);
          rows_fit = strata_coxph_fit (time, event, group, n, 4, 0, ties, 0.95,
                                       STRATA_COX_EPS_DEFAULT, NULL);
          rows_s = MIN (rows_s, g_timer_elapsed (timer, NULL));

          g_clear_pointer (&counts, counts_free);
          g_timer_start (timer);
          counts = counts_from_rows (time, event, group, n, 4, FALSE);
          build_s = MIN (build_s, g_timer_elapsed (timer, NULL));
        }
      for (guint rep = 0; rep < 20; rep++)
        {
          g_clear_pointer (&counts_fit, strata_coxph_fit_free);
          g_timer_start (timer);
          counts_fit = strata_coxph_fit_counts (counts->deaths, counts->at_risk,
                                                counts->n_times, 4, 0, ties, 0.95,
                                                STRATA_COX_EPS_DEFAULT, NULL);
          counts_s = MIN (counts_s, g_timer_elapsed (timer, NULL));
        }

      /* at 1e6 rows the row layout's running sums carry relative errors near 1e-12 (a
       * long double evaluation puts the counts' log-likelihood, score and information
       * within 1e-15 of exact, the rows' within ~5e-12), so agreement here is 1e-10 */
      g_assert_true (rows_fit->converged && counts_fit->converged);
      g_assert_cmpuint (rows_fit->iterations, ==, counts_fit->iterations);
      for (guint i = 0; i < 3; i++)
        worst = MAX (worst, fabs (rows_fit->coef[i] - counts_fit->coef[i])
                              / fabs (rows_fit->coef[i]));
      assert_fits_agree (rows_fit, counts_fit, 1e-10, "speed-counts");
      g_test_minimized_result (counts_s,
                               "coxph %s, n = 1e6, 4 groups, %u times, %u iterations: rows "
                               "%.1f ms, building counts %.1f ms, counts %.3f ms; coef "
                               "agreement %.2g",
                               ties == STRATA_COX_EFRON ? "efron" : "breslow",
                               counts->n_times, counts_fit->iterations, rows_s * 1e3,
                               build_s * 1e3, counts_s * 1e3, worst);
    }
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
  g_test_add_func ("/coxph/counts/invalid", test_counts_invalid);
  g_test_add_func ("/coxph/counts/many-ties", test_counts_many_ties);
  if (g_test_perf ())
    {
      g_test_add_func ("/coxph/speed", test_speed);
      g_test_add_func ("/coxph/speed-counts", test_speed_counts);
    }

  return g_test_run ();
}

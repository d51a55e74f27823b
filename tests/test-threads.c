/* test-threads.c: analyses run concurrently on one cohort, as the GUI's workers do
 * (strata_analysis_run is documented thread-safe for concurrent calls on one cohort).
 * Each thread's JSON report must equal the one computed alone. Meant to be run under
 * ThreadSanitizer too (tests/run-sanitizers.sh), which reports any data race in the
 * cohort's caches. */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "strata-analysis.h"
#include "strata-report-json.h"

#define N_THREADS 4
#define N_ROUNDS 3

/* Options of strata-report, one analysis per entry: every cache of the cohort
 * (endpoints, factors, numeric views, sorted codes) is reached by several. */
static const char *const specs[][4] = {
  { "by=sex", NULL },
  { "by=disease_site", "where=age_years>=10", NULL },
  { "by=mrd_day28", "by=sex", "landmarks=12,24", NULL },
  { "by=bm_blasts_pct>=5", "response=mrd_day28:negative", NULL },
  { "time=efs_months", "event=efs_status", "by=prior_hsct", NULL },
  { "where=sex=F", "by=disease_site", "conf-type=log", NULL },
};

static StrataSpec *
spec_new (guint index)
{
  StrataSpec *spec = strata_spec_new ();
  g_autoptr (GError) error = NULL;

  for (guint i = 0; specs[index][i] != NULL; i++)
    {
      const char *option = specs[index][i];
      const char *value = strchr (option, '=') + 1;
      gboolean ok = TRUE;

      if (g_str_has_prefix (option, "by="))
        ok = strata_spec_add_by (spec, value, &error);
      else if (g_str_has_prefix (option, "where="))
        ok = strata_spec_add_where (spec, value, &error);
      else if (g_str_has_prefix (option, "response="))
        ok = strata_spec_add_response (spec, value, &error);
      else if (g_str_has_prefix (option, "landmarks="))
        ok = strata_spec_set_landmarks (spec, value, &error);
      else if (g_str_has_prefix (option, "conf-type="))
        ok = strata_spec_set_conf_type (spec, value, &error);
      else if (g_str_has_prefix (option, "time="))
        spec->time_column = g_strdup (value);
      else if (g_str_has_prefix (option, "event="))
        spec->event_column = g_strdup (value);
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  return spec;
}

static char *
run_json (StrataCohort *cohort, guint index)
{
  g_autoptr (StrataSpec) spec = spec_new (index);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataResult) result = strata_analysis_run (cohort, spec, NULL, &error);

  g_assert_no_error (error);
  return strata_report_json_to_string (result, "test-threads");
}

typedef struct {
  StrataCohort *cohort;
  guint first;
  char **expected;
} Worker;

static gpointer
worker_run (gpointer data)
{
  Worker *worker = data;

  for (guint round = 0; round < N_ROUNDS; round++)
    for (guint k = 0; k < G_N_ELEMENTS (specs); k++)
      {
        guint index = (worker->first + k) % G_N_ELEMENTS (specs);
        g_autofree char *json = run_json (worker->cohort, index);
        g_assert_cmpstr (json, ==, worker->expected[index]);
      }
  return NULL;
}

static StrataTable *
load_demo (void)
{
  const char *path = g_getenv ("STRATA_DEMO_COHORT");
  g_autoptr (GError) error = NULL;
  StrataTable *table;

  g_assert_nonnull (path);
  table = strata_table_load_file (path, &error);
  g_assert_no_error (error);
  return table;
}

/* N_THREADS workers start together on a fresh cohort (empty caches), each running the
 * specifications in a different order; the results equal the serial ones. */
static void
test_concurrent_analyses (void)
{
  g_autoptr (StrataTable) table = load_demo ();
  char *expected[G_N_ELEMENTS (specs)];
  GThread *threads[N_THREADS];
  Worker workers[N_THREADS];

  {
    g_autoptr (StrataCohort) serial = strata_cohort_new (table);
    for (guint k = 0; k < G_N_ELEMENTS (specs); k++)
      expected[k] = run_json (serial, k);
  }

  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t] = (Worker) { cohort, t, expected };
      threads[t] = g_thread_new ("analysis", worker_run, &workers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
  for (guint k = 0; k < G_N_ELEMENTS (specs); k++)
    g_free (expected[k]);
}

static gpointer
import_run (gpointer path)
{
  g_autoptr (GError) error = NULL;
  StrataTable *table = strata_table_load_file (path, &error);

  g_assert_no_error (error);
  return table;
}

/* Two files of 4 MB or more are each read by two threads: two such imports at once. */
static void
test_concurrent_imports (void)
{
  g_autofree char *path = NULL;
  g_autoptr (GString) csv = g_string_new ("time,event,group\n");
  int fd = g_file_open_tmp ("strata-threads-XXXXXX.csv", &path, NULL);
  GThread *threads[2];

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  for (guint i = 0; csv->len < 5 * 1024 * 1024; i++)
    g_string_append_printf (csv, "%u.%u,%u,%c\n", i % 977, i % 10, i % 3 == 0, 'A' + i % 5);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  for (guint t = 0; t < 2; t++)
    threads[t] = g_thread_new ("import", import_run, path);
  for (guint t = 0; t < 2; t++)
    {
      g_autoptr (StrataTable) table = g_thread_join (threads[t]);
      g_assert_nonnull (table);
      g_assert_cmpuint (strata_table_get_n_columns (table), ==, 3);
    }
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/threads/concurrent-analyses", test_concurrent_analyses);
  g_test_add_func ("/threads/concurrent-imports", test_concurrent_imports);
  return g_test_run ();
}

/* test-hostile.c: hostile and odd inputs (tests/hostile), each with its exact outcome
 * through the library (strata_table_load_file + strata_analysis_run, grouped by
 * "group") and through strata-report (exit status and the whole standard error), run
 * under `timeout` so that a hang fails instead of blocking. Never a crash, never a hang,
 * never a silent drop: a row left out is always named with its reason.
 *
 * The small fixtures are committed (written by tests/hostile/make-fixtures.py); the big
 * and special ones are made here in a temporary folder: a 100 MB single line, 1e5
 * columns, a FIFO, a directory, an unreadable file, a file growing while it is read,
 * /dev/zero, a missing path. */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "strata-analysis.h"

#define REPORT_TIMEOUT "30"   /* seconds; a hang is a failure, not a stuck suite */
#define LOADS -1

typedef struct {
  const char *file;
  int load_error;          /* StrataImportError, or LOADS */
  guint rows;              /* stored rows (when it loads) */
  guint rejected;          /* rows refused at import */
  const char *encoding;    /* when it loads */
  guint warnings;          /* import warnings */
  int analysis_error;      /* StrataAnalysisError/StrataCohortError code, or -1: runs */
  guint used;              /* patients analysed (when it runs) */
  guint excluded;          /* rows left out by the analysis (listed, with reasons) */
  int exit_status;         /* strata-report --by=group FILE */
  const char *stderr_text; /* all of strata-report's standard error ("" = none) */
} Hostile;

#include "hostile/expected.h"

/* Runs strata-report ARGS in DIR under `timeout`; returns the exit status, or fails the
 * test on a crash (signal) or a hang (killed by timeout). */
static int
run_report (const char *dir, const char *const *args, char **out, char **err)
{
  const char *report = g_getenv ("STRATA_REPORT");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_assert_nonnull (report);
  g_ptr_array_add (argv, (char *) "timeout");
  g_ptr_array_add (argv, (char *) "-s");
  g_ptr_array_add (argv, (char *) "KILL");
  g_ptr_array_add (argv, (char *) REPORT_TIMEOUT);
  g_ptr_array_add (argv, (char *) report);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               out, err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), !=, 124);   /* timeout: a hang */
  g_assert_cmpint (WEXITSTATUS (wait_status), !=, 137);   /* killed by timeout */
  g_assert_cmpint (WEXITSTATUS (wait_status), <, 128);    /* a signal, e.g. SIGSEGV */
  return WEXITSTATUS (wait_status);
}

/* The library's outcome for PATH; prints it as a table entry when STRATA_HOSTILE_PRINT
 * is set (to write hostile/expected.h after a deliberate change of behaviour). */
static void
library_outcome (const char *path, Hostile *got)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);

  got->load_error = LOADS;
  got->analysis_error = -1;
  if (table == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == STRATA_IMPORT_ERROR);
      got->load_error = error->code;
      return;
    }
  got->rows = strata_table_get_n_rows (table);
  got->rejected = strata_table_get_rejected (table)->len;
  got->encoding = strata_table_get_encoding (table);
  got->warnings = strata_table_get_warnings (table)->len;

  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  if (strata_table_find_column (table, "group") != NULL)
    g_assert_true (strata_spec_add_by (spec, "group", NULL));
  g_autoptr (StrataResult) result = strata_analysis_run (cohort, spec, NULL, &error);
  if (result == NULL)
    {
      g_assert_nonnull (error);
      got->analysis_error = error->code;
      return;
    }
  got->used = result->rows_used;
  got->excluded = result->excluded->len;
  /* Never a silent drop: every record of the file is analysed, or listed (refused at
   * import or excluded by the analysis) with a reason. */
  g_assert_cmpuint (got->used + got->excluded, ==, got->rows + got->rejected);
  for (guint i = 0; i < result->excluded->len; i++)
    {
      const StrataIssue *issue = g_ptr_array_index (result->excluded, i);
      g_assert_true (issue->reason != NULL && issue->reason[0] != '\0');
    }
}

static char *
c_string (const char *text)
{
  g_autofree char *escaped = g_strescape (text, "\xe2\x80\x9c\x9d");

  return g_strdup_printf ("\"%s\"", escaped);
}

static void
check_fixture (gconstpointer data)
{
  const Hostile *want = data;
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "hostile", NULL);
  g_autofree char *path = g_build_filename (dir, want->file, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "--by=group", want->file, NULL };
  Hostile got = { 0 };
  int status;

  library_outcome (path, &got);
  status = run_report (dir, args, &out, &err);
  if (g_getenv ("STRATA_HOSTILE_PRINT") != NULL)
    {
      g_autofree char *enc = got.encoding ? c_string (got.encoding) : g_strdup ("NULL");
      g_autofree char *text = c_string (err);
      printf ("  { \"%s\", %d, %u, %u, %s, %u, %d, %u, %u, %d,\n    %s },\n", want->file,
               got.load_error, got.rows, got.rejected, enc, got.warnings, got.analysis_error,
               got.used, got.excluded, status, text);
      return;
    }
  g_assert_cmpint (got.load_error, ==, want->load_error);
  if (want->load_error == LOADS)
    {
      g_assert_cmpuint (got.rows, ==, want->rows);
      g_assert_cmpuint (got.rejected, ==, want->rejected);
      g_assert_cmpstr (got.encoding, ==, want->encoding);
      g_assert_cmpuint (got.warnings, ==, want->warnings);
      g_assert_cmpint (got.analysis_error, ==, want->analysis_error);
      if (want->analysis_error == -1)
        {
          g_assert_cmpuint (got.used, ==, want->used);
          g_assert_cmpuint (got.excluded, ==, want->excluded);
        }
    }
  g_assert_cmpint (status, ==, want->exit_status);
  g_assert_cmpstr (err, ==, want->stderr_text);
  if (status == 0)
    g_assert_true (strstr (out, "group") != NULL || strstr (out, "All") != NULL);
}

/* Every file of tests/hostile has an entry (a fixture added without one fails). */
static void
test_complete (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "hostile", NULL);
  g_autoptr (GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (folder);
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      gboolean listed = FALSE;
      if (!g_str_has_suffix (name, ".csv"))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
        listed |= strcmp (hostile[i].file, name) == 0;
      if (!listed)
        g_test_message ("%s has no entry in hostile/expected.h", name);
      g_assert_true (listed);
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (hostile));
  g_assert_cmpuint (n, >=, 50);
}

/* ---- generated at test time ----------------------------------------------------------- */

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Expects strata_table_load_file to fail with CODE and MESSAGE (exact; NULL = any) and
 * strata-report to exit 1 with "strata-report: MESSAGE". */
static void
expect_load_error (const char *path, int code, const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { path, NULL };

  g_assert_null (table);
  g_assert_error (error, STRATA_IMPORT_ERROR, code);
  g_test_message ("%s: %s", path, error->message);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
  g_assert_cmpint (run_report (tmp_dir, args, &out, &err), ==, 1);
  g_autofree char *line = g_strdup_printf ("strata-report: %s\n", error->message);
  g_assert_cmpstr (err, ==, line);
}

/* A 100 MB file that is one line (a header with no rows, no line break). */
static void
test_huge_single_line (void)
{
  g_autofree char *path = tmp_path ("one-line.csv");
  FILE *f = fopen (path, "wb");
  char block[4096];

  g_assert_nonnull (f);
  memset (block, 'x', sizeof block);
  for (guint i = 0; i < 100 * 256; i++)
    g_assert_cmpuint (fwrite (block, 1, sizeof block, f), ==, sizeof block);
  g_assert_cmpint (fclose (f), ==, 0);
  g_autofree char *message = g_strdup_printf ("%s has a header line but no data rows", path);
  expect_load_error (path, STRATA_IMPORT_ERROR_EMPTY, message);
  g_unlink (path);
}

/* 1e5 columns and a few rows: loads (the time and event found by name), analyses. */
static void
test_many_columns (void)
{
  g_autofree char *path = tmp_path ("wide.csv");
  g_autoptr (GString) csv = g_string_new ("time,event");
  g_autoptr (GError) error = NULL;

  for (guint c = 2; c < 100000; c++)
    g_string_append_printf (csv, ",c%u", c);
  g_string_append_c (csv, '\n');
  for (guint r = 0; r < 5; r++)
    {
      g_string_append_printf (csv, "%u,%u", 3 + r, r % 2);
      for (guint c = 2; c < 100000; c++)
        g_string_append (csv, ",1");
      g_string_append_c (csv, '\n');
    }
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strata_table_get_n_columns (table), ==, 100000);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 5);

  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "--by=c99999", path, NULL };
  g_assert_cmpint (run_report (tmp_dir, args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_unlink (path);
}

/* Loads PATH in a child that SIGALRM kills after SECONDS: a hang fails the test
 * instead of blocking the suite. The import must refuse PATH with an IO error. */
static void
expect_refused_in_time (const char *path, guint seconds)
{
  int wait_status;
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      GError *error = NULL;
      StrataTable *table;

      alarm (seconds);
      table = strata_table_load_file (path, &error);
      _exit (table == NULL && error != NULL && error->domain == STRATA_IMPORT_ERROR ? 0 : 3);
    }
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  if (WIFSIGNALED (wait_status))
    g_test_message ("%s: killed by signal %d (a hang or crash)", path, WTERMSIG (wait_status));
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
}

/* A FIFO with no writer must not block the import: refused, with a plain message. */
static void
test_fifo (void)
{
  g_autofree char *path = tmp_path ("pipe.csv");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { path, NULL };

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  expect_refused_in_time (path, 10);
  g_assert_cmpint (run_report (tmp_dir, args, &out, &err), ==, 1);
  g_test_message ("FIFO: %s", err);
  g_assert_true (g_str_has_prefix (err, "strata-report: "));
  g_assert_true (strstr (err, path) != NULL);
  g_unlink (path);
}

static void
test_directory (void)
{
  g_autofree char *path = tmp_path ("folder.csv");
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  g_assert_null (table);
  g_assert_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO);
  expect_load_error (path, STRATA_IMPORT_ERROR_IO, error->message);
  g_rmdir (path);
}

static void
test_no_permission (void)
{
  g_autofree char *path = tmp_path ("secret.csv");

  if (geteuid () == 0)
    {
      /* root reads anything (CAP_DAC_OVERRIDE): checked in a namespace-free way by
       * dropping nothing; the message path is covered by the missing file instead. */
      g_test_skip ("running as root: file permissions do not apply");
      return;
    }
  g_assert_true (g_file_set_contents (path, "time,event\n1,1\n", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  expect_load_error (path, STRATA_IMPORT_ERROR_IO, NULL);
  g_unlink (path);
}

static void
test_missing_file (void)
{
  g_autofree char *path = tmp_path ("absent.csv");

  expect_load_error (path, STRATA_IMPORT_ERROR_IO, NULL);
}

/* /dev/zero never ends: refused (not a regular file, or binary), never read forever. */
static void
test_dev_zero (void)
{
  expect_refused_in_time ("/dev/zero", 20);
}

/* A file appended to while it is read (a log still being written): the import sees
 * a consistent prefix or the whole file, never crashes; rows cut in the middle are
 * rejected with a reason, not silently dropped. */
static void
test_changing_while_read (void)
{
  g_autofree char *path = tmp_path ("growing.csv");
  g_autoptr (GString) csv = g_string_new ("time,event,group\n");
  GPid pid;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; csv->len < 8 * 1024 * 1024; i++)
    g_string_append_printf (csv, "%u,%u,%c\n", i % 500, i % 2, 'A' + i % 3);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      /* The writer: appends rows, and truncates and rewrites, for two seconds. */
      gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
      while (g_get_monotonic_time () < end)
        {
          int fd = open (path, O_WRONLY | O_APPEND);
          if (fd >= 0)
            {
              if (write (fd, "7,1,A\n8,0,B\n9,1", 15) < 0)
                _exit (1);
              close (fd);
            }
          if (g_get_monotonic_time () % 3 == 0 && truncate (path, csv->len / 2) != 0)
            _exit (1);
        }
      _exit (0);
    }
  for (guint k = 0; k < 5; k++)
    {
      g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
      if (table == NULL)
        {
          /* A plain message is fine (e.g. a quoted field cut off); a crash is not. */
          g_test_message ("while changing: %s", error->message);
          g_clear_error (&error);
          continue;
        }
      g_assert_cmpuint (strata_table_get_n_columns (table), ==, 3);
      g_assert_cmpuint (strata_table_get_n_rows (table), >, 0);
    }
  int wait_status;
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_unlink (path);
}

/* Regression (found by fuzz-cli-options): the "its values are" list of an unknown
 * --where or --response value joined a level array that is not NULL-terminated
 * (g_strjoinv on GPtrArray pdata): a read past its end, a crash under ASan. */
static void
test_unknown_value_message (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "hostile", "one-group-only.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  g_autoptr (StrataCohort) cohort = NULL;
  g_autoptr (StrataSpec) where = strata_spec_new ();
  g_autoptr (StrataSpec) response = strata_spec_new ();

  g_assert_no_error (error);
  cohort = strata_cohort_new (table);
  g_assert_true (strata_spec_add_where (where, "group=Z", NULL));
  g_assert_null (strata_analysis_run (cohort, where, NULL, &error));
  g_assert_error (error, STRATA_ANALYSIS_ERROR, STRATA_ANALYSIS_ERROR_UNKNOWN_VALUE);
  g_assert_true (g_str_has_suffix (error->message, "has no value “Z”; its values are: A"));
  g_clear_error (&error);
  g_assert_true (strata_spec_add_response (response, "group:Z", NULL));
  g_assert_null (strata_analysis_run (cohort, response, NULL, &error));
  g_assert_error (error, STRATA_ANALYSIS_ERROR, STRATA_ANALYSIS_ERROR_UNKNOWN_VALUE);
  g_assert_true (g_str_has_suffix (error->message, "its values are: A"));
}

int
main (int argc, char **argv)
{
  int status;

  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("strata-hostile-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *name = g_strdup_printf ("/hostile/file/%s", hostile[i].file);
      g_test_add_data_func (name, &hostile[i], check_fixture);
    }
  g_test_add_func ("/hostile/complete", test_complete);
  g_test_add_func ("/hostile/unknown-value-message", test_unknown_value_message);
  g_test_add_func ("/hostile/huge-single-line", test_huge_single_line);
  g_test_add_func ("/hostile/many-columns", test_many_columns);
  g_test_add_func ("/hostile/fifo", test_fifo);
  g_test_add_func ("/hostile/directory", test_directory);
  g_test_add_func ("/hostile/no-permission", test_no_permission);
  g_test_add_func ("/hostile/missing-file", test_missing_file);
  g_test_add_func ("/hostile/dev-zero", test_dev_zero);
  g_test_add_func ("/hostile/changing-while-read", test_changing_while_read);
  status = g_test_run ();
  {
    g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;
    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = tmp_path (name);
        if (g_remove (path) != 0)
          g_rmdir (path);
      }
    g_rmdir (tmp_dir);
    g_free (tmp_dir);
  }
  return status;
}

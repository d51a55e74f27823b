/* test-hostile.c: hostile and odd inputs (tests/hostile), each with its exact outcome
 * through the library (strata_table_load_file + strata_analysis_run, grouped by
 * "group") and through strata-report (exit status and the whole standard error), run
 * under `timeout` so that a hang fails instead of blocking. Never a crash, never a hang,
 * never a silent drop: a row left out is always named with its reason.
 *
 * The small fixtures are committed (written by tests/hostile/make-fixtures.py; the .dta
 * and .xpt files are inputs fuzz-stat-file found, kept as regression tests); the big and
 * special ones are made here in a temporary folder: a 100 MB single line, 1e5 columns, a
 * FIFO, a directory, an unreadable file (checked as the user "nobody" when the suite
 * runs as root: robustness/unprivileged.h), a file growing while it is read, /dev/zero,
 * a missing path, a file larger than the memory available (sparse) and one larger than
 * an address-space limit. Also: repeated patient IDs (an import warning) and a time
 * column of dates (a message saying how to derive a time). */
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

#include <sys/resource.h>
#include <json-glib/json-glib.h>

#include "strata-analysis.h"
#include "strata-analysis-file.h"
#include "strata-memory-check.h"
#include "robustness/unprivileged.h"

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
      /* The table covers the CSV fixtures and the workbooks (other formats have tests
       * of their own in this file). */
      if (!g_str_has_suffix (name, ".csv") && !g_str_has_suffix (name, ".xlsx"))
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
  g_autofree char *message = NULL;

  /* In a child that is not root (root reads anything): robustness/unprivileged.h. The
   * child has a temporary folder of its own (main), handed to "nobody". */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  strata_test_give_to_nobody (tmp_dir);
  strata_test_drop_root ();
  g_assert_true (g_file_set_contents (path, "time,event\n1,1\n", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  message = g_strdup_printf ("%s: cannot open the file: %s", path, g_strerror (EACCES));
  expect_load_error (path, STRATA_IMPORT_ERROR_IO, message);
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

/* ---- repeated patient IDs, times written as dates, files larger than memory --------- */

#define DUPLICATE_ADVICE "; each row is counted as a separate patient; remove or merge " \
                         "duplicate rows if they are the same patient"

/* The import warnings of PATH joined by "|" ("" when none). */
static char *
load_warnings (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  g_autoptr (GString) joined = g_string_new (NULL);
  GPtrArray *warnings;

  g_assert_no_error (error);
  warnings = strata_table_get_warnings (table);
  for (guint i = 0; i < warnings->len; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? "|" : "", (char *) g_ptr_array_index (warnings, i));
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static char *
write_tmp (const char *name, const char *text)
{
  char *path = tmp_path (name);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* The fixture: the warning in the library, in the text report ("Note: ...") and in the
 * JSON report (input.warnings), and the analysis still counts every row. */
static void
test_duplicate_ids (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "hostile", NULL);
  g_autofree char *path = g_build_filename (dir, "duplicate-ids.csv", NULL);
  const char *want = "column \"id\" has repeated patient IDs: \"1\" on lines 2 and 3, \"2\" on "
                     "lines 4 and 5" DUPLICATE_ADVICE;
  g_autofree char *warnings = load_warnings (path);
  g_autofree char *note = g_strdup_printf ("Note: %s\n", want);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_err = NULL;
  const char *text_args[] = { "--by=group", "duplicate-ids.csv", NULL };
  const char *json_args[] = { "--by=group", "--json=-", "duplicate-ids.csv", NULL };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (warnings, ==, want);
  g_assert_cmpint (run_report (dir, text_args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, note));
  g_assert_cmpint (run_report (dir, json_args, &json, &json_err), ==, 0);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  JsonObject *input = json_object_get_object_member (
      json_node_get_object (json_parser_get_root (parser)), "input");
  JsonArray *list = json_object_get_array_member (input, "warnings");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (list, 0), ==, want);
  g_assert_cmpint (json_object_get_int_member (input, "rows_used"), ==, 5);
}

/* Many repeats of a text ID (lines listed up to five, values up to three), missing IDs
 * that are not repeats, numbers compared by value, the first ID column in file order,
 * and files with no repeat or no ID column: no warning. */
static void
test_duplicate_ids_variants (void)
{
  g_autoptr (GString) csv = g_string_new ("Patient_ID,time,event\n");
  const char *ids[] = { "P1", "P1", "P2", "P1", "NA", "P1", "P3", "P1", "P2", "P1", "NA",
                        "P4", "P1", "P3", "P5", "P4", "P6", "P6", "P7", "P8" };
  g_autofree char *path = NULL;
  g_autofree char *got = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_string_append_printf (csv, "%s,%u,%u\n", ids[i], i + 1, i % 2);
  path = write_tmp ("many-repeats.csv", csv->str);
  got = load_warnings (path);
  g_assert_cmpstr (got, ==, "column \"Patient_ID\" has repeated patient IDs: \"P1\" on lines "
                            "2, 3, 5, 7, 9 and 2 more, \"P2\" on lines 4 and 10, \"P3\" on "
                            "lines 8 and 15, and 2 more repeated IDs" DUPLICATE_ADVICE);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&got, g_free);

  path = write_tmp ("numbers.csv", "time,SUBJID,event,mrn\n1,7,1,5\n2,7.0,0,6\n3,8,1,5\n"
                                   "4,-0,1,7\n5,0,0,8\n6,NA,1,9\n7,,0,10\n");
  got = load_warnings (path);
  g_assert_cmpstr (got, ==, "column \"SUBJID\" has repeated patient IDs: \"7\" on lines 2 "
                            "and 3, \"0\" on lines 5 and 6" DUPLICATE_ADVICE);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&got, g_free);

  path = write_tmp ("unique.csv", "id,time,event,group\n1,1,1,A\n2,2,0,A\n3,3,1,A\n");
  got = load_warnings (path);
  g_assert_cmpstr (got, ==, "");
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&got, g_free);

  path = write_tmp ("no-id.csv", "code,time,event\n1,1,1\n1,2,0\n1,3,1\n");
  got = load_warnings (path);
  g_assert_cmpstr (got, ==, "");
}

/* A time column of dates, named (--time) or found by its name ("time"): the message
 * says so and how to derive a time, instead of "no patient is left". */
static void
test_times_as_dates (void)
{
  g_autofree char *path = write_tmp ("os-date.csv",
                                     "id,os_date,os_months,event\n1,15/03/2024,3,1\n"
                                     "2,03/04/2021,5,0\n3,2022-01-02,8,1\n4,NA,9,0\n");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *want = g_strdup_printf (
      "strata-report: %s: the time column “os_date” holds dates (such as 15/03/2024), not "
      "times; derive the time from a start and an end date column with --time-from=START "
      "--time-to=END --time-unit=months\n", path);
  const char *args[] = { "--time=os_date", "--event=event", path, NULL };
  const char *numeric_args[] = { "--time=os_months", "--event=event", path, NULL };

  g_assert_cmpint (run_report (tmp_dir, args, &out, &err), ==, 1);
  g_assert_cmpstr (err, ==, want);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* The same file with its numeric time: analysed. */
  g_assert_cmpint (run_report (tmp_dir, numeric_args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

/* Makes PATH a sparse file of SIZE bytes that starts as a CSV ("time,event\n1,1\n") and
 * is NUL bytes after that (holes: no disk space used). */
static void
make_sparse_csv (const char *path, goffset size)
{
  g_assert_true (g_file_set_contents (path, "time,event\n1,1\n", -1, NULL));
  g_assert_cmpint (truncate (path, size), ==, 0);
}

/* The message of strata_memory_check_import() for PATH of SIZE bytes, the available
 * memory (which changes from moment to moment) as a pattern. */
static char *
memory_message_pattern (const char *prefix, const char *path, goffset size)
{
  char sample[64 * 1024] = "time,event\n1,1\n";
  g_autofree char *size_text = g_format_size (size);
  g_autofree char *needed = g_format_size (strata_memory_estimate_import (size, sample,
                                                                          sizeof sample));
  g_autofree char *text = g_strdup_printf (
      "%s%s is %s; reading it needs about %s of memory, more than the ", prefix, path,
      size_text, needed);
  g_autofree char *quoted = g_regex_escape_string (text, -1);

  /* g_format_size() puts a no-break space between the number and the unit. */
  return g_strconcat ("^", quoted, "[0-9.]+\u00a0[kMGT]?B available; close other programs to "
                      "free memory, or open a smaller file \\(only the rows and columns you "
                      "need\\)\n?$", NULL);
}

/* The estimate: the file, 8 bytes a cell and 32 a row (scaled from the sample), a column
 * 8 KiB and 16 bytes a row up to 2 MiB (fields of the first line), 64 MiB for the second
 * import thread from 4 MB. */
static void
test_memory_estimate (void)
{
  const guint64 mib = 1024 * 1024;

  /* 2 commas and 3 line breaks in 12 bytes: 5 cells, 3 rows, 2 columns; x 1000. */
  g_assert_cmpuint (strata_memory_estimate_import (12000, "a,b\n1,2\n3\n4", 12), ==,
                    12000 + 1000 * (8 * 5 + 32 * 3) + 2 * (8192 + 16 * 3000));
  /* no line break: one row, one column */
  g_assert_cmpuint (strata_memory_estimate_import (100, "xxxx", 4), ==,
                    100 + 25 * (8 + 32) + 8192 + 16 * 25);
  g_assert_cmpuint (strata_memory_estimate_import (100, "", 0), ==, 100);
  /* tabs, 3 columns, 4 MB: two threads; the columns' rounding to 2 MiB pages */
  g_assert_cmpuint (strata_memory_estimate_import (4000000, "a\tb\tc\n", 6), ==,
                    4000000 + 4000000 * (8 * 3 + 32) / 6 + 3 * (8192 + 2 * mib) + 64 * mib);
  /* 1e5 columns and a few rows (1.3 MB): no more than a few hundred MB, not 2 MiB a
   * column (which refused such a file for "23 GB"). */
  g_autoptr (GString) wide = g_string_new ("c0");
  for (guint c = 1; c < 100000; c++)
    g_string_append_printf (wide, ",c%u", c);
  g_assert_cmpuint (strata_memory_estimate_import (wide->len * 6, wide->str, MIN (wide->len, 65536)),
                    <, 1024 * mib);
}

/* A file larger than the memory available (a sparse file twice MemAvailable): refused
 * at once with a plain message, neither read nor killed. */
static void
test_larger_than_memory (void)
{
  g_autofree char *path = tmp_path ("huge.csv");
  g_autoptr (GError) error = NULL;
  guint64 available = strata_memory_available ();
  goffset size;

  g_assert_cmpuint (available, <, G_MAXUINT64);   /* /proc/meminfo is there */
  size = (goffset) MIN (available * 2, (guint64) G_MAXINT64 / 2);
  make_sparse_csv (path, size);
  gint64 start = g_get_monotonic_time ();
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  g_assert_null (table);
  g_assert_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO);
  g_test_message ("%s", error->message);
  g_autofree char *pattern = memory_message_pattern ("", path, size);
  g_assert_true (g_regex_match_simple (pattern, error->message, 0, 0));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_unlink (path);
}

static void
limit_address_space_cb (gpointer data)
{
  struct rlimit limit = { GPOINTER_TO_SIZE (data), GPOINTER_TO_SIZE (data) };

  if (setrlimit (RLIMIT_AS, &limit) != 0)
    _exit (126);
}

/* strata-report under a 256 MiB address-space limit (as `ulimit -v`): a 600 MB file, and
 * a 30 MB file of short cells that needs about 300 MiB (before the check this one
 * aborted in g_malloc, "failed to allocate"). Exit status 1 with the message. */
static void
test_memory_limit (void)
{
  g_autofree char *big = tmp_path ("big.csv");
  g_autofree char *short_cells = tmp_path ("short-cells.csv");
  g_autoptr (GString) csv = g_string_new ("t,e,g\n");
  const char *report = g_getenv ("STRATA_REPORT");
  const char *files[] = { big, short_cells };
  const goffset sizes[] = { 600 * 1000 * 1000, 30000006 };

  make_sparse_csv (big, sizes[0]);
  for (guint i = 0; i < 5000000; i++)
    g_string_append_printf (csv, "%u,%u,%c\n", i % 10, i % 2, "AB"[i % 2]);
  g_assert_cmpuint (csv->len, ==, sizes[1]);
  g_assert_true (g_file_set_contents (short_cells, csv->str, csv->len, NULL));
  for (guint k = 0; k < G_N_ELEMENTS (files); k++)
    {
      const char *argv[] = { report, "--time=t", "--event=e", files[k], NULL };
      g_autofree char *err = NULL;
      g_autofree char *pattern = NULL;
      int wait_status;

      g_assert_true (g_spawn_sync (tmp_dir, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                                   limit_address_space_cb, GSIZE_TO_POINTER (256u << 20),
                                   NULL, &err, &wait_status, NULL));
      g_test_message ("%s", err);
      g_assert_true (WIFEXITED (wait_status));
      g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
      if (k == 0)
        pattern = memory_message_pattern ("strata-report: ", files[k], sizes[k]);
      else
        pattern = g_strdup_printf ("^strata-report: %s is 30.0\u00a0MB; reading it needs about "
                                   "383.4\u00a0MB of memory, more than the "
                                   "[0-9.]+\u00a0MB available; close other programs to free "
                                   "memory, or open a smaller file \\(only the rows and "
                                   "columns you need\\)\n$", files[k]);
      g_assert_true (g_regex_match_simple (pattern, err, 0, 0));
      g_unlink (files[k]);
    }
}

/* Regression (found by fuzz-stat-file): a Stata 118 file (UTF-8 by its format) whose
 * value labels hold invalid UTF-8 gave levels that were not UTF-8 (ReadStat passes the
 * bytes through). Now every name, description and level is valid UTF-8, the bad bytes
 * replaced by U+FFFD, and the file still loads (150 rows, 5 columns). */
static void
test_stata_invalid_utf8 (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "hostile", "stata-invalid-utf8.dta",
                                                 NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  guint replaced = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (strata_table_get_format (table), ==, "Stata data file");
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 150);
  g_assert_cmpuint (strata_table_get_n_columns (table), ==, 5);
  for (guint c = 0; c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);
      const char *description = strata_table_get_column_description (table, c);

      g_assert_true (g_utf8_validate (column->name, -1, NULL));
      g_assert_true (description == NULL || g_utf8_validate (description, -1, NULL));
      for (guint l = 0; column->levels != NULL && l < column->levels->len; l++)
        {
          const char *level = g_ptr_array_index (column->levels, l);
          g_assert_true (g_utf8_validate (level, -1, NULL));
          replaced += strstr (level, "\xef\xbf\xbd") != NULL;
        }
    }
  g_assert_cmpuint (replaced, ==, 3);
}

/* Regression (found by fuzz-stat-file, UndefinedBehaviorSanitizer): a SAS transport
 * file whose date column holds 1.1e55 days overflowed the calendar arithmetic of the
 * ISO formatting. A date beyond 0001-01-01 .. 9999-12-31 is now kept as its number. */
static void
test_sas_huge_date (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "hostile",
                                                 "sas-transport-huge-date.xpt", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  const StrataColumn *start;
  gboolean found = FALSE;

  g_assert_no_error (error);
  g_assert_cmpstr (strata_table_get_format (table), ==, "SAS transport file");
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 23);
  start = strata_table_find_column (table, "start");
  g_assert_nonnull (start);
  g_assert_nonnull (start->levels);
  g_assert_cmpstr (g_ptr_array_index (start->levels, 0), ==, "2023-12-08");
  for (guint l = 0; l < start->levels->len; l++)
    found |= g_strcmp0 (g_ptr_array_index (start->levels, l), "1.1147038767857908e+55") == 0;
  g_assert_true (found);
}

/* Regression (found by fuzz-analysis-file): json-glib's message about a bad string
 * quotes the token cut in the middle of a UTF-8 character ("…a \xe2"), and the error
 * of strata_analysis_file_load_data() was not valid UTF-8. The cut character is now
 * U+FFFD. */
static void
test_analysis_file_cut_utf8 (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "hostile",
                                                 "analysis-file-cut-utf8.strata", NULL);
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataAnalysisFile) file = NULL;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  file = strata_analysis_file_load_data ("fuzz.strata", data, (gssize) length, &error);
  g_assert_null (file);
  g_assert_error (error, STRATA_ANALYSIS_FILE_ERROR, STRATA_ANALYSIS_FILE_ERROR_INVALID);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (error->message, ==,
                   "“fuzz.strata”: not a Strata analysis file (not valid JSON at line 7, "
                   "column 55: invalid string constant \"0123456789abcdef0123456789a \xef\xbf\xbd\", "
                   "expected valid string constant)");
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
  g_test_add_func ("/hostile/duplicate-ids", test_duplicate_ids);
  g_test_add_func ("/hostile/duplicate-ids-variants", test_duplicate_ids_variants);
  g_test_add_func ("/hostile/times-as-dates", test_times_as_dates);
  g_test_add_func ("/hostile/memory-estimate", test_memory_estimate);
  g_test_add_func ("/hostile/larger-than-memory", test_larger_than_memory);
  /* Under AddressSanitizer a process needs far more address space than the 256 MiB limit
   * this test sets, so the sanitizer build leaves it to the ordinary build. */
#if !defined(__SANITIZE_ADDRESS__)
  g_test_add_func ("/hostile/memory-limit", test_memory_limit);
#endif
  g_test_add_func ("/hostile/stata-invalid-utf8", test_stata_invalid_utf8);
  g_test_add_func ("/hostile/sas-huge-date", test_sas_huge_date);
  g_test_add_func ("/hostile/analysis-file-cut-utf8", test_analysis_file_cut_utf8);
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

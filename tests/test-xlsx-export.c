/* test-xlsx-export.c: the Excel workbook, read back by an independent reader
 * (tests/check-xlsx.py, openpyxl) and compared number by number with the JSON report of
 * the same result; then the file handling: an existing file replaced, failures that
 * leave the old file and no temporary behind, a decimal-comma locale.
 *
 * G_TEST_SRCDIR is the tests folder (check-xlsx.py, data/); STRATA_DEMO_COHORT may name
 * the demo cohort (default: ../data/demo-cohort.csv from there). */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "strata-analysis.h"
#include "strata-report-json.h"
#include "strata-xlsx-export.h"

#define PYTHON "/usr/bin/python3"
#define VERSION "9.8.7"

/* A 48 x 32 PNG at 300 dpi (a staircase), as a figure stand-in. */
static const guint8 figure_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
  0x52, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x20, 0x08, 0x02, 0x00, 0x00, 0x00, 0xdb,
  0xb6, 0x6c, 0x4b, 0x00, 0x00, 0x00, 0x09, 0x70, 0x48, 0x59, 0x73, 0x00, 0x00, 0x2e, 0x23,
  0x00, 0x00, 0x2e, 0x23, 0x01, 0x78, 0xa5, 0x3f, 0x76, 0x00, 0x00, 0x00, 0x67, 0x49, 0x44,
  0x41, 0x54, 0x78, 0xda, 0xed, 0x97, 0xb1, 0x09, 0xc0, 0x30, 0x0c, 0x04, 0xa5, 0x90, 0xf5,
  0xbc, 0x4c, 0x32, 0x47, 0x96, 0x49, 0x06, 0x7c, 0x17, 0x86, 0xb4, 0xb1, 0x0d, 0x02, 0x05,
  0xdf, 0x35, 0xaa, 0x04, 0x57, 0x88, 0x03, 0xb9, 0x24, 0xcb, 0xc4, 0x66, 0xc9, 0x40, 0xe8,
  0x8b, 0xbd, 0x0d, 0x3f, 0x9f, 0xfe, 0x1d, 0x5d, 0x25, 0xd0, 0x48, 0x83, 0xd8, 0x71, 0x2b,
  0x12, 0x6e, 0x08, 0x21, 0x84, 0x10, 0x4a, 0x52, 0xea, 0x21, 0xfa, 0xb3, 0x3e, 0xd3, 0xf4,
  0xb8, 0xe6, 0xce, 0x35, 0x9d, 0x1b, 0x42, 0x08, 0x21, 0x84, 0xfe, 0x58, 0xea, 0x88, 0xa6,
  0xbf, 0x65, 0x77, 0x1e, 0x45, 0x84, 0x10, 0x5a, 0x4d, 0xa8, 0x02, 0x91, 0xdd, 0x2a, 0x78,
  0x11, 0xa8, 0xd0, 0xff, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
  0x82,
};

/* What to analyse and how to export it. */
typedef struct {
  const char *csv;         /* under tests/data, or NULL for the demo cohort */
  const char *time, *event;
  const char *by, *where, *landmarks;
  const char *responses[3];  /* NULL-terminated */
  gboolean with_table, with_figure;
  StrataPAdjust p_adjust;
  const char *adjust_name; /* for check-xlsx.py */
  /* A second response analysis, as the window's: the same request plus EXTRA_WHERE,
   * with EXTRA_RESPONSE as its only response, under EXTRA_TITLE. */
  const char *extra_where, *extra_response, *extra_title;
} Case;

static char *
cohort_path (const Case *c)
{
  const char *demo = g_getenv ("STRATA_DEMO_COHORT");

  if (c->csv != NULL)
    return g_test_build_filename (G_TEST_DIST, "data", c->csv, NULL);
  if (demo != NULL)
    return g_strdup (demo);
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo-cohort.csv", NULL);
}

/* C's spec; with EXTRA, that of its second response analysis (see Case). */
static StrataSpec *
case_spec (const Case *c, gboolean extra)
{
  StrataSpec *spec = strata_spec_new ();
  g_autoptr (GError) error = NULL;

  spec->time_column = g_strdup (c->time);
  spec->event_column = g_strdup (c->event);
  if (c->by != NULL)
    g_assert_true (strata_spec_add_by (spec, c->by, &error));
  if (c->where != NULL)
    g_assert_true (strata_spec_add_where (spec, c->where, &error));
  for (guint i = 0; !extra && c->responses[i] != NULL; i++)
    g_assert_true (strata_spec_add_response (spec, c->responses[i], &error));
  if (extra)
    {
      g_assert_true (strata_spec_add_where (spec, c->extra_where, &error));
      g_assert_true (strata_spec_add_response (spec, c->extra_response, &error));
    }
  if (c->landmarks != NULL)
    g_assert_true (strata_spec_set_landmarks (spec, c->landmarks, &error));
  return spec;
}

/* SPEC run on TABLE. */
static StrataResult *
analyse_spec (const StrataSpec *spec, StrataTable *table)
{
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (GError) error = NULL;
  StrataResult *result = strata_analysis_run (cohort, spec, NULL, &error);

  g_assert_no_error (error);
  return result;
}

/* C's analysis; with EXTRA, its second response analysis (see Case). */
static StrataResult *
analyse_full (const Case *c, StrataTable *table, gboolean extra)
{
  g_autoptr (StrataSpec) spec = case_spec (c, extra);

  return analyse_spec (spec, table);
}

static StrataResult *
analyse (const Case *c, StrataTable *table)
{
  return analyse_full (c, table, FALSE);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The names in DIR, sorted, joined by spaces: what a test expects to find there. */
static char *
dir_listing (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Removes DIR and what the tests left in it (files and empty folders). */
static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_remove (path) != 0)
        g_test_message ("could not remove %s: %s", path, g_strerror (errno));
    }
  g_rmdir (dir);
}

/* The command line of check-xlsx.py for C's workbook XLSX and its report JSON (and
 * EXTRA_JSON, the report of its second response analysis, or NULL). */
static GPtrArray *
checker_argv (const Case *c, const char *xlsx, const char *json, const char *extra_json,
              const char *source)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (PYTHON));
  g_ptr_array_add (argv, g_test_build_filename (G_TEST_DIST, "check-xlsx.py", NULL));
  g_ptr_array_add (argv, g_strdup (xlsx));
  g_ptr_array_add (argv, g_strdup (json));
  g_ptr_array_add (argv, g_strdup_printf ("--source=%s", source));
  g_ptr_array_add (argv, g_strdup_printf ("--adjust=%s", c->adjust_name ? c->adjust_name : "holm"));
  g_ptr_array_add (argv, g_strdup ("--version=" VERSION));
  if (c->with_figure)
    g_ptr_array_add (argv, g_strdup ("--figure"));
  if (c->with_table)
    g_ptr_array_add (argv, g_strdup ("--table"));
  if (extra_json != NULL)
    {
      if (c->extra_title != NULL)
        g_ptr_array_add (argv, g_strdup_printf ("--extra-title=%s", c->extra_title));
      g_ptr_array_add (argv, g_strdup_printf ("--extra-report=%s", extra_json));
    }
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs check-xlsx.py; fails the test with its message on a difference. */
static void
run_checker (const Case *c, const char *xlsx, const char *json, const char *extra_json,
             const char *source)
{
  g_autoptr (GPtrArray) argv = checker_argv (c, xlsx, json, extra_json, source);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  /* python3 and openpyxl are in debian-packages.txt: without them the check fails
   * (check-xlsx.py exits 77 without openpyxl, which is a failure here). */
  g_assert_true (g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE));
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("check-xlsx.py found a difference:\n%s%s", out, err);
}

static void
write_json (const StrataResult *result, const char *path)
{
  g_autofree char *json = strata_report_json_to_string (result, "strata-report " VERSION);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
}

/* Exports C's analysis, with its JSON report, and has check-xlsx.py compare them. */
static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *csv = cohort_path (c);
  g_autofree char *dir = g_dir_make_tmp ("strata-xlsx-XXXXXX", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "analysis.xlsx", NULL);
  g_autofree char *json = g_build_filename (dir, "analysis.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (csv, &error);
  g_assert_no_error (error);
  g_autoptr (StrataSpec) spec = case_spec (c, FALSE);
  g_autoptr (StrataResult) result = analyse_spec (spec, table);
  g_autoptr (StrataResult) extra = c->extra_where != NULL ? analyse_full (c, table, TRUE) : NULL;
  g_autofree char *extra_json = extra != NULL ? g_build_filename (dir, "extra.json", NULL) : NULL;
  g_autoptr (GBytes) png = g_bytes_new_static (figure_png, sizeof figure_png);
  StrataXlsxResponseSection section = { .title = c->extra_title, .result = extra };
  StrataXlsxOptions options = {
    .source_path = csv, .version = VERSION, .p_adjust = c->p_adjust,
    .table = c->with_table ? table : NULL, .spec = spec, .figure_png = c->with_figure ? png : NULL,
    .extra_responses = extra != NULL ? &section : NULL, .n_extra_responses = extra != NULL,
  };

  g_assert_true (strata_xlsx_export (result, &options, xlsx, &error));
  g_assert_no_error (error);
  write_json (result, json);
  if (extra != NULL)
    write_json (extra, extra_json);
  g_autofree char *listing = dir_listing (dir);
  g_assert_cmpstr (listing, ==, extra != NULL ? "analysis.json analysis.xlsx extra.json"
                                              : "analysis.json analysis.xlsx");
  run_checker (c, xlsx, json, extra_json, csv);
  remove_dir (dir);
}

static const Case demo_case = {
  .by = "disease_site", .where = "bm_blasts_pct>0", .responses = { "mrd_day28:negative" },
  .landmarks = "12,24", .with_table = TRUE, .with_figure = TRUE,
};
static const Case lung_case = {
  .csv = "lung.csv", .time = "time", .event = "event", .by = "group",
  .landmarks = "166.8,255.5,396.5", .p_adjust = STRATA_P_ADJUST_BH, .adjust_name = "BH",
};
static const Case bad_rows_case = {
  .csv = "cli-bad-rows.csv", .by = "site", .with_table = TRUE,
};
static const Case single_group_case = {
  .where = "disease_site=EMD", .responses = { "emd_response:CR", "mrd_day28:negative" },
  .landmarks = "24",
};

/* As the window shows the demo cohort: the sites toggled, EMD responses of the main
 * analysis, and MRD negativity among the patients with detectable marrow disease. */
static const Case window_case = {
  .by = "disease_site", .where = "disease_site=BM,CNS", .responses = { "emd_response:CR" },
  .landmarks = "12,24", .with_table = TRUE,
  .extra_where = "bm_blasts_pct>0", .extra_response = "mrd_day28:negative",
  .extra_title = "MRD negativity among patients with detectable marrow disease",
};
/* Only the second analysis has a response table, and no title of its own. */
static const Case extra_only_case = {
  .by = "disease_site", .extra_where = "bm_blasts_pct>=5",
  .extra_response = "mrd_day28:negative",
};

/* A small result shared by the file-handling tests: lung by group. */
static StrataResult *
lung_result (void)
{
  g_autofree char *csv = cohort_path (&lung_case);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (csv, &error);

  g_assert_no_error (error);
  return analyse (&lung_case, table);
}

static void
test_replace_existing (void)
{
  g_autoptr (StrataResult) result = lung_result ();
  g_autofree char *dir = g_dir_make_tmp ("strata-xlsx-XXXXXX", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "out.xlsx", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  GStatBuf st;
  mode_t mask = umask (022);

  umask (mask);
  g_file_set_contents (xlsx, "an older workbook", -1, &error);
  g_assert_no_error (error);
  g_assert_true (strata_xlsx_export (result, NULL, xlsx, &error));
  g_assert_no_error (error);
  g_file_get_contents (xlsx, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 1000);
  g_assert_cmpmem (contents, 2, "PK", 2);
  g_assert_cmpint (g_stat (xlsx, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~mask);
  g_autofree char *listing = dir_listing (dir);
  g_assert_cmpstr (listing, ==, "out.xlsx");
  remove_dir (dir);
}

/* A failure before the rename (here: a figure that is not a PNG) keeps the old file. */
static void
test_failure_keeps_old_file (void)
{
  g_autoptr (StrataResult) result = lung_result ();
  g_autofree char *dir = g_dir_make_tmp ("strata-xlsx-XXXXXX", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "out.xlsx", NULL);
  g_autoptr (GBytes) not_png = g_bytes_new_static ("GIF89a, not a PNG at all, honestly", 35);
  StrataXlsxOptions options = { .figure_png = not_png };
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;

  g_file_set_contents (xlsx, "an older workbook", -1, &error);
  g_assert_no_error (error);
  g_assert_false (strata_xlsx_export (result, &options, xlsx, &error));
  g_assert_error (error, STRATA_XLSX_ERROR, STRATA_XLSX_ERROR_FIGURE);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Could not save “"));
  g_clear_error (&error);
  g_file_get_contents (xlsx, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "an older workbook");
  g_autofree char *listing = dir_listing (dir);
  g_assert_cmpstr (listing, ==, "out.xlsx");
  remove_dir (dir);
}

/* Exports the demo case's result with TABLE and SPEC: Patients cannot say which rows
 * the analysis used, so the export fails with ERROR_FAILED and writes nothing. */
static void
assert_patients_mismatch (StrataTable *table, const StrataSpec *spec)
{
  g_autofree char *csv = cohort_path (&demo_case);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) demo = strata_table_load_file (csv, &error);
  g_assert_no_error (error);
  g_autoptr (StrataResult) result = analyse (&demo_case, demo);
  g_autofree char *dir = g_dir_make_tmp ("strata-xlsx-XXXXXX", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "out.xlsx", NULL);
  StrataXlsxOptions options = { .table = table != NULL ? table : demo, .spec = spec };

  g_assert_false (strata_xlsx_export (result, &options, xlsx, &error));
  g_assert_error (error, STRATA_XLSX_ERROR, STRATA_XLSX_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "the patient table does not match the analysis"));
  g_autofree char *listing = dir_listing (dir);
  g_assert_cmpstr (listing, ==, "");
  remove_dir (dir);
}

/* Patients takes each row's inclusion from the spec it is given: one with other filters
 * than the result's, or one the table cannot resolve, is refused. */
static void
test_patients_mismatch (void)
{
  g_autofree char *lung_csv = cohort_path (&lung_case);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) lung = strata_table_load_file (lung_csv, &error);
  g_assert_no_error (error);
  g_autoptr (StrataSpec) other_filters = case_spec (&window_case, FALSE);
  g_autoptr (StrataSpec) demo_spec = case_spec (&demo_case, FALSE);

  assert_patients_mismatch (NULL, other_filters);
  assert_patients_mismatch (lung, demo_spec);
}

/* The child of test_interrupted_write(): exports under a file size limit. */
static void
export_with_size_limit (const char *path)
{
  g_autoptr (StrataResult) result = lung_result ();
  struct rlimit limit = { .rlim_cur = 8192, .rlim_max = 8192 };
  g_autoptr (GError) error = NULL;

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  g_assert_false (strata_xlsx_export (result, NULL, path, &error));
  g_assert_true (error != NULL && error->domain == G_FILE_ERROR);
  g_printerr ("\nmessage: %s\n", error->message);
}

/* The disk fills up while the workbook is written (a file size limit stands in for it):
 * the export fails, the old file stays as it was and no temporary file is left. */
static void
test_interrupted_write (void)
{
  g_autofree char *dir = NULL, *xlsx = NULL, *contents = NULL, *listing = NULL;
  g_autoptr (GError) error = NULL;

  if (g_test_subprocess ())
    {
      export_with_size_limit (g_getenv ("STRATA_TEST_XLSX"));
      return;
    }
  dir = g_dir_make_tmp ("strata-xlsx-XXXXXX", NULL);
  xlsx = g_build_filename (dir, "out.xlsx", NULL);
  g_file_set_contents (xlsx, "an older workbook", -1, &error);
  g_assert_no_error (error);
  g_setenv ("STRATA_TEST_XLSX", xlsx, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*message: Could not save *: File too large*");
  g_file_get_contents (xlsx, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "an older workbook");
  listing = dir_listing (dir);
  g_assert_cmpstr (listing, ==, "out.xlsx");
  remove_dir (dir);
}

/* Asserts that exporting to PATH fails with the file error CODE, in a message that
 * names PATH, leaving DIR holding LISTING. */
static void
assert_write_fails (const StrataResult *result, const char *path, int code,
                    const char *dir, const char *listing)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *start = g_strdup_printf ("Could not save “%s”: ", path);

  g_assert_false (strata_xlsx_export (result, NULL, path, &error));
  g_assert_error (error, G_FILE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, start));
  g_autofree char *found = dir_listing (dir);
  g_assert_cmpstr (found, ==, listing);
}

static void
test_unwritable (void)
{
  g_autoptr (StrataResult) result = lung_result ();
  g_autofree char *dir = g_dir_make_tmp ("strata-xlsx-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "out.xlsx", NULL);
  g_autofree char *folder = g_build_filename (dir, "out.xlsx", NULL);
  g_autofree char *locked = g_build_filename (dir, "locked", NULL);
  g_autofree char *in_locked = g_build_filename (locked, "out.xlsx", NULL);

  assert_write_fails (result, missing, G_FILE_ERROR_NOENT, dir, "");
  /* a folder where the file should go: the rename fails, the temporary goes */
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  assert_write_fails (result, folder, G_FILE_ERROR_ISDIR, dir, "out.xlsx");
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  if (geteuid () != 0)
    {
      g_assert_cmpint (g_mkdir (locked, 0555), ==, 0);
      assert_write_fails (result, in_locked, G_FILE_ERROR_ACCES, locked, "");
      g_chmod (locked, 0755);
    }
  else
    g_test_message ("running as root: the read-only folder case is left out");
  remove_dir (dir);
}

/* libxlsxwriter prints numbers with snprintf: under a decimal-comma locale the workbook
 * must still hold the same numbers. */
static void
test_decimal_comma_locale (void)
{
  static const char *const locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8" };
  g_autofree char *previous = g_strdup (setlocale (LC_ALL, NULL));
  const char *found = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (locales) && found == NULL; i++)
    found = setlocale (LC_ALL, locales[i]);
  /* debian-packages.txt installs locales-all, which has both. */
  if (found == NULL)
    g_error ("no decimal-comma locale (de_DE or fr_FR) is installed: install locales-all");
  test_case (&lung_case);
  setlocale (LC_ALL, previous);
}

static void
test_methods_text (void)
{
  g_autoptr (StrataResult) result = lung_result ();
  StrataXlsxOptions options = { .version = VERSION, .p_adjust = STRATA_P_ADJUST_BH,
                                .time_unit = "days" };
  g_autofree char *text = strata_xlsx_methods_text (result, &options);
  const char *const phrases[] = {
    "Kaplan–Meier method", "Greenwood's variance", "95% pointwise confidence intervals on the "
    "log-log scale", "survival at 166.8, 255.5 and 396.5 days", "log-rank test",
    "Efron's method for ties", "male as the reference group", "Strata " VERSION,
    "R survival 3.5.3",
  };

  g_test_message ("%s", text);
  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    if (strstr (text, phrases[i]) == NULL)
      g_error ("the methods paragraph does not say “%s”: %s", phrases[i], text);
  /* two groups: no trend test, no pairwise adjustment */
  g_assert_null (strstr (text, "trend"));
  g_assert_null (strstr (text, "Benjamini"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  g_test_add_data_func ("/xlsx/demo-cohort", &demo_case, test_case);
  g_test_add_data_func ("/xlsx/lung", &lung_case, test_case);
  g_test_add_data_func ("/xlsx/bad-rows", &bad_rows_case, test_case);
  g_test_add_data_func ("/xlsx/single-group", &single_group_case, test_case);
  g_test_add_data_func ("/xlsx/extra-responses", &window_case, test_case);
  g_test_add_data_func ("/xlsx/extra-responses-only", &extra_only_case, test_case);
  g_test_add_func ("/xlsx/methods-text", test_methods_text);
  g_test_add_func ("/xlsx/patients-mismatch", test_patients_mismatch);
  g_test_add_func ("/xlsx/replace-existing", test_replace_existing);
  g_test_add_func ("/xlsx/failure-keeps-old-file", test_failure_keeps_old_file);
  g_test_add_func ("/xlsx/unwritable", test_unwritable);
  g_test_add_func ("/xlsx/interrupted-write", test_interrupted_write);
  g_test_add_func ("/xlsx/decimal-comma-locale", test_decimal_comma_locale);
  return g_test_run ();
}

/* test-cli.c: strata-report as a user runs it: exit status, messages naming file,
 * line and column, excluded rows with reasons, the demo cohort by default. */
#include <glib/gstdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "cli-test-util.h"

static char *
data_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static JsonObject *
parse (JsonParser *parser, const char *text)
{
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_demo_by_default (void)
{
  g_auto (Run) run = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();

  run_report (&run, (const char *const[]) { "--json=-", "--by=disease_site", NULL });
  g_assert_cmpint (run.exit_status, ==, 0);
  JsonObject *root = parse (parser, run.out);
  JsonObject *input = json_object_get_object_member (root, "input");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (input, "file"), "demo-cohort.csv"));
  g_assert_cmpint (json_object_get_int_member (input, "rows"), ==, 308);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "endpoint"), "time"),
                   ==, "os_months");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "groups")), ==, 3);
}

static void
test_text_report (void)
{
  g_auto (Run) run = { 0 };

  run_report (&run, (const char *const[]) { "--by=disease_site", "--landmarks=24", NULL });
  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Log-rank test"));
  g_assert_nonnull (strstr (run.out, "Survival at landmark times"));
  g_assert_nonnull (strstr (run.out, "EMD"));
}

static void
test_usage_errors (void)
{
  static const char *const cases[][3] = {
    { "--conf-type=logit", NULL },
    { "--conf-level=95", NULL },
    { "--landmarks=12,,24", NULL },
    { "--where=disease_site", NULL },
    { "--by=bm_blasts_pct>=high", NULL },
    { "--no-such-option", NULL },
    { "a.csv", "b.csv", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (Run) run = { 0 };
      run_report (&run, cases[i]);
      g_assert_cmpint (run.exit_status, ==, 2);
      g_assert_nonnull (strstr (run.err, "strata-report: "));
    }
}

static void
test_unknown_column (void)
{
  g_auto (Run) run = { 0 };

  run_report (&run, (const char *const[]) { "--by=no_such_column", NULL });
  g_assert_cmpint (run.exit_status, ==, 1);
  g_assert_nonnull (strstr (run.err, "demo-cohort.csv: no column named “no_such_column”"));
  g_assert_nonnull (strstr (run.err, "disease_site"));
}

static void
test_unknown_value (void)
{
  g_auto (Run) run = { 0 };

  run_report (&run, (const char *const[]) { "--where=disease_site=Liver", NULL });
  g_assert_cmpint (run.exit_status, ==, 1);
  g_assert_nonnull (strstr (run.err, "column “disease_site” has no value “Liver”; its values are: BM"));
}

static void
test_missing_file (void)
{
  g_auto (Run) run = { 0 };

  run_report (&run, (const char *const[]) { "/nonexistent/cohort.csv", NULL });
  g_assert_cmpint (run.exit_status, ==, 1);
  g_assert_nonnull (strstr (run.err, "/nonexistent/cohort.csv"));
}

/* Every bad row is listed with its line, column and reason; none silently dropped. */
static void
test_excluded_rows (void)
{
  g_auto (Run) run = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *file = data_file ("cli-bad-rows.csv");
  static const struct { guint line; const char *column; const char *reason; } expected[] = {
    { 3, "os_months", "time -3 is negative; times count from the start (>= 0)" },
    { 4, "os_months", "time is missing" },
    { 5, "os_months", "time “abc” is not a number" },
    { 6, "os_status", "event value “2” is neither an event nor a censoring" },
    { 9, "os_status", "event status is missing" },
    { 10, "site", "grouping value is missing" },
  };

  run_report (&run, (const char *const[]) { "--json=-", "--by=site", file, NULL });
  g_assert_cmpint (run.exit_status, ==, 0);
  JsonObject *input = json_object_get_object_member (parse (parser, run.out), "input");
  JsonArray *excluded = json_object_get_array_member (input, "excluded");
  g_assert_cmpint (json_object_get_int_member (input, "rows"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (input, "rows_used"), ==, 4);
  g_assert_cmpuint (json_array_get_length (excluded), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *issue = json_array_get_object_element (excluded, i);
      g_assert_cmpint (json_object_get_int_member (issue, "line"), ==, expected[i].line);
      g_assert_cmpstr (json_object_get_string_member (issue, "column"), ==, expected[i].column);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (issue, "reason"), expected[i].reason));
    }
  /* and each one is also reported on standard error, naming file, line and column */
  g_assert_nonnull (strstr (run.err, "cli-bad-rows.csv: line 3, column “os_months”: time -3 is negative"));
}

static void
test_event_values (void)
{
  g_auto (Run) run = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *file = data_file ("lung.csv");

  /* lung.csv codes event 0/1; saying 0 is the event swaps the counts */
  run_report (&run, (const char *const[]) { "--json=-", "--event-values=0", file, NULL });
  g_assert_cmpint (run.exit_status, ==, 0);
  JsonObject *root = parse (parser, run.out);
  JsonObject *all = json_array_get_object_element (json_object_get_array_member (root, "groups"), 0);
  g_assert_cmpstr (json_object_get_string_member (all, "label"), ==, "All");
  g_assert_cmpint (json_object_get_int_member (all, "n"), ==, 228);
  g_assert_cmpint (json_object_get_int_member (all, "events"), ==, 228 - 165);
}

static void
test_json_file_written (void)
{
  g_auto (Run) run = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("strata-cli-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "report.json", NULL);
  g_autofree char *option = g_strconcat ("--json=", path, NULL);
  g_autofree char *contents = NULL;

  run_report (&run, (const char *const[]) { option, NULL });
  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "{"));
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* --figure and --xlsx write their files next to the JSON, atomically; an unknown
 * figure extension is a usage error. */
static void
test_exports (void)
{
  g_auto (Run) run = { 0 };
  g_auto (Run) bad = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("strata-cli-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "km.pdf", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "report.xlsx", NULL);
  g_autofree char *figure = g_strconcat ("--figure=", pdf, NULL);
  g_autofree char *workbook = g_strconcat ("--xlsx=", xlsx, NULL);
  g_autofree char *contents = NULL;
  gsize length;

  run_report (&run, (const char *const[]) { "--by=disease_site", figure, workbook, NULL });
  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (xlsx, &contents, &length, NULL));
  g_assert_true (length > 4 && memcmp (contents, "PK\x03\x04", 4) == 0);   /* a zip container */

  run_report (&bad, (const char *const[]) { "--figure=km.bmp", NULL });
  g_assert_cmpint (bad.exit_status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "--figure"));

  g_assert_cmpint (g_remove (pdf), ==, 0);
  g_assert_cmpint (g_remove (xlsx), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A 10 x 2 response table of 5000 patients is beyond exact enumeration in a second:
 * the p-value is simulated as R's simulate.p.value does, and the report says so. */
static void
test_fisher_monte_carlo (void)
{
  g_auto (Run) run = { 0 };
  g_auto (Run) again = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonParser) parser_again = json_parser_new ();
  g_autofree char *file = data_file ("fisher-large.csv");
  const char *const args[] = { "--json=-", "--by=group", "--response=response:yes", file, NULL };

  run_report (&run, args);
  g_assert_cmpint (run.exit_status, ==, 0);
  JsonObject *table = json_array_get_object_element (
    json_object_get_array_member (parse (parser, run.out), "responses"), 0);
  JsonObject *fisher = json_object_get_object_member (table, "fisher");
  g_assert_cmpstr (json_object_get_string_member (fisher, "method"), ==, "monte-carlo");
  g_assert_cmpint (json_object_get_int_member (fisher, "replicates"), ==, 100000);
  double p = json_object_get_double_member (fisher, "p");
  g_assert_cmpfloat (p, >, 0.0);
  g_assert_cmpfloat (p, <, 1.0);

  run_report (&again, args);   /* the fixed seed makes the report reproducible */
  JsonObject *table_again = json_array_get_object_element (
    json_object_get_array_member (parse (parser_again, again.out), "responses"), 0);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (table_again, "fisher"), "p"), ==, p);
}

/* --time-from/--time-to derive the time from dates: a leap day and a month end count
 * right; an end before its start and a missing date are listed, not dropped. */
static void
test_time_from_dates (void)
{
  g_auto (Run) run = { 0 };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *file = data_file ("dates.csv");

  run_report (&run, (const char *const[]) { "--json=-", "--time-from=start", "--time-to=end",
                                            "--time-unit=days", "--event=event", file, NULL });
  g_assert_cmpint (run.exit_status, ==, 0);
  JsonObject *root = parse (parser, run.out);
  JsonArray *excluded = json_object_get_array_member (json_object_get_object_member (root, "input"), "excluded");
  g_assert_cmpuint (json_array_get_length (excluded), ==, 2);
  JsonObject *backwards = json_array_get_object_element (excluded, 0);
  g_assert_cmpint (json_object_get_int_member (backwards, "line"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (backwards, "column"), ==, "end");
  JsonObject *missing = json_array_get_object_element (excluded, 1);
  g_assert_cmpint (json_object_get_int_member (missing, "line"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (missing, "reason"), ==, "the start or the end date is missing");
  JsonObject *km = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (root, "groups"), 0), "km");
  JsonArray *time = json_object_get_array_member (km, "time");
  g_assert_cmpuint (json_array_get_length (time), ==, 3);
  g_assert_cmpfloat (json_array_get_double_element (time, 0), ==, 1);    /* 2023-02-28 → 03-01 */
  g_assert_cmpfloat (json_array_get_double_element (time, 1), ==, 29);   /* 2024-01-31 → 02-29 */
  g_assert_cmpfloat (json_array_get_double_element (time, 2), ==, 366);  /* 2024-03-01 → 2025-03-02 */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/demo-by-default", test_demo_by_default);
  g_test_add_func ("/cli/text-report", test_text_report);
  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/unknown-column", test_unknown_column);
  g_test_add_func ("/cli/unknown-value", test_unknown_value);
  g_test_add_func ("/cli/missing-file", test_missing_file);
  g_test_add_func ("/cli/excluded-rows", test_excluded_rows);
  g_test_add_func ("/cli/event-values", test_event_values);
  g_test_add_func ("/cli/json-file", test_json_file_written);
  g_test_add_func ("/cli/exports", test_exports);
  g_test_add_func ("/cli/fisher-monte-carlo", test_fisher_monte_carlo);
  g_test_add_func ("/cli/time-from-dates", test_time_from_dates);
  return g_test_run ();
}

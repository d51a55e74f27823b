/* test-formats.c: .xlsx, .ods, .sav, .zsav, .dta and .xpt files written by independent
 * writers (openpyxl, Gnumeric, R haven; tests/data/formats/make-fixtures.*) give exactly the
 * analysis of the same data in CSV; dates and times derived from them; damaged files. */
#include "strata-analysis.h"
#include "strata-date.h"
#include "strata-report-json.h"
#include "strata-table.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "formats", name, NULL);
}

static StrataTable *
load (const char *name, const char *sheet)
{
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  StrataTable *table = strata_table_load_file_sheet (path, sheet, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

/* The JSON report of --by=BY on NAME, without input.file and input.encoding. */
static char *
report (const char *name, const char *by)
{
  g_autoptr(StrataTable) table = load (name, NULL);
  g_autoptr(StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr(StrataSpec) spec = strata_spec_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(StrataResult) result = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *input;

  g_assert_true (strata_spec_add_by (spec, by, &error));
  spec->time_column = g_strdup ("time");
  spec->event_column = g_strdup ("event");
  result = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert_no_error (error);
  json = strata_report_json_to_string (result, "test-formats");
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  input = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                         "input");
  json_object_remove_member (input, "file");
  json_object_remove_member (input, "encoding");
  return json_to_string (json_parser_get_root (parser), TRUE);
}

static void
test_same_report (gconstpointer data)
{
  const char *name = data;
  g_autofree char *csv = report ("aml-dates.csv", "group");
  g_autofree char *other = report (name, "group");

  g_assert_cmpstr (other, ==, csv);
  /* the labelled arm: value labels become the category names (no labels in .xpt) */
  if (!g_str_has_suffix (name, ".xpt"))
    {
      g_autofree char *csv_arm = report ("aml-dates.csv", "arm");
      g_autofree char *other_arm = report (name, "arm");

      g_assert_cmpstr (other_arm, ==, csv_arm);
    }
}

/* The start and end columns read as the same ISO dates as the CSV's. */
static void
test_same_dates (gconstpointer data)
{
  const char *name = data;
  g_autoptr(StrataTable) csv = load ("aml-dates.csv", NULL);
  g_autoptr(StrataTable) other = load (name, NULL);
  const char *columns[] = { "start", "end" };

  for (guint k = 0; k < G_N_ELEMENTS (columns); k++)
    {
      const StrataColumn *a = strata_table_find_column (csv, columns[k]);
      const StrataColumn *b = strata_table_find_column (other, columns[k]);

      g_assert_nonnull (b);
      g_assert_cmpint (b->type, ==, a->type);
      for (guint i = 0; i < strata_table_get_n_rows (csv); i++)
        g_assert_cmpstr (g_ptr_array_index (b->levels, b->codes[i]), ==,
                         g_ptr_array_index (a->levels, a->codes[i]));
    }
  /* sheet row numbers / record numbers */
  g_assert_cmpuint (strata_table_get_lines (other)[0], ==,
                    g_str_has_suffix (name, ".xlsx") || g_str_has_suffix (name, ".ods")
                    ? 2 : 1);
}

static void
test_descriptions (void)
{
  g_autoptr(StrataTable) sav = load ("aml.sav", NULL);
  g_autoptr(StrataTable) dta = load ("aml.dta", NULL);
  g_autoptr(StrataTable) csv = load ("aml-dates.csv", NULL);

  g_assert_cmpstr (strata_table_get_format (sav), ==, "SPSS data file");
  g_assert_cmpstr (strata_table_get_format (dta), ==, "Stata data file");
  g_assert_cmpstr (strata_table_get_format (csv), ==, "CSV");
  g_assert_cmpstr (strata_table_get_column_description (sav, 4), ==, "Treatment arm");
  g_assert_cmpstr (strata_table_get_column_description (dta, 1), ==,
                   "Weeks to relapse or censoring");
  g_assert_null (strata_table_get_column_description (sav, 0));
  g_assert_null (strata_table_get_column_description (csv, 0));
}

static void
test_xlsx_sheets (void)
{
  g_autoptr(StrataTable) merged = load ("aml-merged.xlsx", NULL);
  g_autoptr(StrataTable) by_name = load ("aml.xlsx", "AML");
  g_autofree char *path = fixture ("aml.xlsx");
  g_autoptr(GError) error = NULL;
  g_autoptr(StrataTable) none = NULL;

  /* "group" merged over D1:E1 names both columns; empty trailing cells are dropped */
  g_assert_cmpuint (strata_table_get_n_columns (merged), ==, 7);
  g_assert_cmpstr (strata_table_get_column (merged, 3)->name, ==, "group");
  g_assert_cmpstr (strata_table_get_column (merged, 4)->name, ==, "group_2");
  g_assert_cmpuint (strata_table_get_n_rows (merged), ==, 23);
  g_assert_cmpuint (strata_table_get_n_rows (by_name), ==, 23);
  g_assert_cmpstr (strata_table_get_format (by_name), ==, "Excel workbook");

  none = strata_table_load_file_sheet (path, "Missing", &error);
  g_assert_null (none);
  g_assert_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_NO_SHEET);
  g_assert_nonnull (strstr (error->message, "\"AML\""));
  g_clear_error (&error);
  none = strata_table_load_file_sheet (path, "Notes", &error);
  g_assert_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY);
}

/* Writes DATA to a new file in a temporary folder; returns its path. */
static char *
write_temp (const char *dir, const char *name, const char *data, gsize length)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, data, (gssize) length, &error));
  return path;
}

static void
expect_error (const char *path, int code, const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StrataTable) table = strata_table_load_file (path, &error);

  g_assert_null (table);
  g_assert_error (error, STRATA_IMPORT_ERROR, code);
  if (strstr (error->message, words) == NULL)
    g_error ("\"%s\" not in \"%s\"", words, error->message);
}

static void
test_damaged (void)
{
  g_autofree char *dir = g_dir_make_tmp ("strata-formats-XXXXXX", NULL);
  g_autofree char *xlsx_path = fixture ("aml.xlsx");
  g_autofree char *sav_path = fixture ("aml.sav");
  g_autofree char *xlsx = NULL, *sav = NULL;
  gsize xlsx_length = 0, sav_length = 0;
  g_autofree char *truncated = NULL, *garbage = NULL, *encrypted = NULL, *xls = NULL,
                  *short_sav = NULL, *zip = NULL;
  char cfb[2048] = { 0 };
  const guchar magic[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
  const char *stream = "EncryptedPackage";

  g_assert_true (g_file_get_contents (xlsx_path, &xlsx, &xlsx_length, NULL));
  g_assert_true (g_file_get_contents (sav_path, &sav, &sav_length, NULL));

  truncated = write_temp (dir, "truncated.xlsx", xlsx, xlsx_length / 2);
  expect_error (truncated, STRATA_IMPORT_ERROR_CORRUPT, "damaged or incomplete");

  /* a whole zip whose sheet data is overwritten: after the name in its local header */
  {
    const char *name = "xl/worksheets/sheet2.xml";
    gsize at = 0;

    while (at + strlen (name) < xlsx_length && memcmp (xlsx + at, name, strlen (name)) != 0)
      at++;
    g_assert_cmpuint (at + strlen (name) + 300, <, xlsx_length);
    memset (xlsx + at + strlen (name) + 20, 'x', 200);
  }
  garbage = write_temp (dir, "garbage.xlsx", xlsx, xlsx_length);
  expect_error (garbage, STRATA_IMPORT_ERROR_CORRUPT, "damaged");

  memcpy (cfb, magic, sizeof magic);
  for (guint i = 0; stream[i] != '\0'; i++)
    cfb[1024 + 2 * i] = stream[i];
  encrypted = write_temp (dir, "locked.xlsx", cfb, sizeof cfb);
  expect_error (encrypted, STRATA_IMPORT_ERROR_ENCRYPTED, "password-protected");
  memset (cfb + 1024, 0, 64);
  xls = write_temp (dir, "old.xls", cfb, sizeof cfb);
  expect_error (xls, STRATA_IMPORT_ERROR_UNSUPPORTED, ".xls");

  short_sav = write_temp (dir, "short.sav", sav, sav_length / 3);
  expect_error (short_sav, STRATA_IMPORT_ERROR_CORRUPT, "SPSS data file");

  zip = fixture ("not-a-workbook.zip");
  expect_error (zip, STRATA_IMPORT_ERROR_UNSUPPORTED, "zip archive");

  for (const char *const *p = (const char *const[]) { truncated, garbage, encrypted, xls,
                                                       short_sav, NULL }; *p; p++)
    g_remove (*p);
  g_rmdir (dir);
}

/* ---------------------------------------------------------------- dates */

static double
ymd (int y, int m, int d)
{
  double days = NAN;

  g_assert_true (strata_date_from_ymd (y, m, d, &days));
  return days;
}

static void
test_date_calendar (void)
{
  double days;
  char buffer[32];
  int y, m, d;

  g_assert_cmpfloat (ymd (1970, 1, 1), ==, 0);
  g_assert_cmpfloat (ymd (2024, 3, 1) - ymd (2024, 2, 28), ==, 2);   /* leap year */
  g_assert_cmpfloat (ymd (2023, 3, 1) - ymd (2023, 2, 28), ==, 1);
  g_assert_cmpfloat (ymd (2000, 3, 1) - ymd (2000, 2, 28), ==, 2);   /* 400-year rule */
  g_assert_cmpfloat (ymd (1900, 3, 1) - ymd (1900, 2, 28), ==, 1);   /* 100-year rule */
  g_assert_false (strata_date_from_ymd (2023, 2, 29, &days));
  g_assert_false (strata_date_from_ymd (2024, 4, 31, &days));
  strata_date_to_ymd (ymd (2024, 2, 29), &y, &m, &d);
  g_assert_cmpint (y * 10000 + m * 100 + d, ==, 20240229);
  g_assert_cmpstr (strata_date_format_iso (ymd (2024, 12, 31) + 0.5, buffer), ==,
                   "2024-12-31T12:00:00");

  g_assert_true (strata_date_parse ("2024-03-15", STRATA_DATE_ORDER_AUTO, &days));
  g_assert_cmpfloat (days, ==, ymd (2024, 3, 15));
  g_assert_true (strata_date_parse ("15/03/2024", STRATA_DATE_ORDER_AUTO, &days));
  g_assert_cmpfloat (days, ==, ymd (2024, 3, 15));
  g_assert_true (strata_date_parse ("03/15/2024", STRATA_DATE_ORDER_AUTO, &days));
  g_assert_cmpfloat (days, ==, ymd (2024, 3, 15));
  g_assert_false (strata_date_parse ("03/04/2024", STRATA_DATE_ORDER_AUTO, &days));
  g_assert_true (strata_date_parse ("03/04/2024", STRATA_DATE_ORDER_DAY_FIRST, &days));
  g_assert_cmpfloat (days, ==, ymd (2024, 4, 3));
  g_assert_true (strata_date_parse ("29.02.2024", STRATA_DATE_ORDER_AUTO, &days));
  g_assert_false (strata_date_parse ("29.02.2023", STRATA_DATE_ORDER_AUTO, &days));
  g_assert_false (strata_date_parse ("2024-3", STRATA_DATE_ORDER_AUTO, &days));
  g_assert_false (strata_date_parse ("1/2/24", STRATA_DATE_ORDER_DAY_FIRST, &days));
}

static void
test_excel_serials (void)
{
  double days;

  /* 1900 system: 1 = 1900-01-01, 59 = 1900-02-28, 60 = Excel's 1900-02-29, 61 = 1900-03-01 */
  g_assert_true (strata_date_from_excel_serial (1, FALSE, &days));
  g_assert_cmpfloat (days, ==, ymd (1900, 1, 1));
  g_assert_true (strata_date_from_excel_serial (59, FALSE, &days));
  g_assert_cmpfloat (days, ==, ymd (1900, 2, 28));
  g_assert_false (strata_date_from_excel_serial (60, FALSE, &days));
  g_assert_true (strata_date_from_excel_serial (61, FALSE, &days));
  g_assert_cmpfloat (days, ==, ymd (1900, 3, 1));
  g_assert_true (strata_date_from_excel_serial (45351, FALSE, &days));
  g_assert_cmpfloat (days, ==, ymd (2024, 2, 29));
  g_assert_false (strata_date_from_excel_serial (0, FALSE, &days));
  /* 1904 system: 0 = 1904-01-01 */
  g_assert_true (strata_date_from_excel_serial (0, TRUE, &days));
  g_assert_cmpfloat (days, ==, ymd (1904, 1, 1));
  g_assert_true (strata_date_from_excel_serial (45351 - 1462, TRUE, &days));
  g_assert_cmpfloat (days, ==, ymd (2024, 2, 29));
}

static StrataTable *
table_from (const char *csv)
{
  g_autoptr(GError) error = NULL;
  StrataTable *table = strata_table_load_data ("dates.csv", csv, strlen (csv), &error);

  g_assert_no_error (error);
  return table;
}

static void
test_derive_time (void)
{
  g_autoptr(StrataTable) table = table_from (
    "start,end\n"
    "2024-01-31,2024-02-29\n"     /* month end to leap day: 29 days */
    "2023-02-28,2023-03-01\n"     /* 1 day */
    "2024-02-28,2024-03-01\n"     /* 2 days */
    "2023-01-01,2024-01-01\n"     /* 365 days */
    "2024-03-15,2024-03-01\n"     /* end before start: excluded */
    "2024-01-01,\n");             /* no end: missing, no issue */
  g_autoptr(GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_issue_free);
  g_autoptr(GError) error = NULL;
  g_autofree double *days = strata_date_derive_time (table, "start", "end",
                                                      STRATA_TIME_UNIT_DAYS, NULL, issues,
                                                      &error);
  g_autofree double *months = NULL, *years = NULL, *weeks = NULL, *event = NULL;
  const StrataIssue *issue;

  g_assert_no_error (error);
  g_assert_cmpfloat (days[0], ==, 29);
  g_assert_cmpfloat (days[1], ==, 1);
  g_assert_cmpfloat (days[2], ==, 2);
  g_assert_cmpfloat (days[3], ==, 365);
  g_assert_true (isnan (days[4]));
  g_assert_true (isnan (days[5]));
  g_assert_cmpuint (issues->len, ==, 1);
  issue = g_ptr_array_index (issues, 0);
  g_assert_cmpuint (issue->line, ==, 6);
  g_assert_cmpstr (issue->column, ==, "end");
  g_assert_nonnull (strstr (issue->reason, "before it starts"));

  months = strata_date_derive_time (table, "start", "end", STRATA_TIME_UNIT_MONTHS, NULL,
                                    NULL, &error);
  g_assert_cmpfloat_with_epsilon (months[3], 365 / 30.4375, 1e-12);
  years = strata_date_derive_time (table, "start", "end", STRATA_TIME_UNIT_YEARS, NULL,
                                   NULL, &error);
  g_assert_cmpfloat_with_epsilon (years[3], 365 / 365.25, 1e-12);
  weeks = strata_date_derive_time (table, "start", "end", STRATA_TIME_UNIT_WEEKS, NULL,
                                   NULL, &error);
  g_assert_cmpfloat_with_epsilon (weeks[0], 29 / 7.0, 1e-12);
  event = strata_date_derive_event (table, "end", NULL, &error);
  g_assert_cmpfloat (event[0], ==, 1);
  g_assert_cmpfloat (event[5], ==, 0);
}

static void
test_date_order (void)
{
  g_autoptr(StrataTable) day_first = table_from ("a,b\n01/02/2024,28/02/2024\n");
  g_autoptr(StrataTable) month_first = table_from ("a,b\n01/02/2024,02/28/2024\n");
  g_autoptr(StrataTable) ambiguous = table_from ("a,b\n01/02/2024,03/02/2024\n");
  g_autoptr(StrataTable) mixed = table_from ("a\n13/02/2024\n02/13/2024\n");
  g_autoptr(StrataTable) serials = table_from ("a,b\n45351,45352\n");
  g_autoptr(GError) error = NULL;
  g_autofree double *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL;
  StrataDateOptions options = { STRATA_DATE_ORDER_DAY_FIRST, FALSE };

  /* decided per column: "b" decides, "a" alone would not */
  b = strata_date_column_read (day_first, "b", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (b[0], ==, ymd (2024, 2, 28));
  c = strata_date_column_read (month_first, "b", NULL, NULL, &error);
  g_assert_cmpfloat (c[0], ==, ymd (2024, 2, 28));

  a = strata_date_derive_time (ambiguous, "a", "b", STRATA_TIME_UNIT_DAYS, NULL, NULL,
                               &error);
  g_assert_null (a);
  g_assert_error (error, STRATA_DATE_ERROR, STRATA_DATE_ERROR_AMBIGUOUS);
  g_assert_nonnull (strstr (error->message, "\"a\""));
  g_clear_error (&error);
  a = strata_date_derive_time (ambiguous, "a", "b", STRATA_TIME_UNIT_DAYS, &options, NULL,
                               &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (a[0], ==, 2);  /* day first: 1 to 3 February */

  d = strata_date_column_read (mixed, "a", NULL, NULL, &error);
  g_assert_null (d);
  g_assert_error (error, STRATA_DATE_ERROR, STRATA_DATE_ERROR_MIXED);
  g_clear_error (&error);

  e = strata_date_derive_time (serials, "a", "b", STRATA_TIME_UNIT_DAYS, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (e[0], ==, 1);
}

int
main (int argc, char **argv)
{
  const char *formats[] = { "aml.xlsx", "aml-1904.xlsx", "aml.ods", "aml.sav", "aml.zsav",
                            "aml.dta",
                            "aml.xpt" };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *report_path = g_strdup_printf ("/formats/same-report/%s", formats[i]);
      g_autofree char *dates_path = g_strdup_printf ("/formats/same-dates/%s", formats[i]);

      g_test_add_data_func (report_path, formats[i], test_same_report);
      g_test_add_data_func (dates_path, formats[i], test_same_dates);
    }
  g_test_add_func ("/formats/descriptions", test_descriptions);
  g_test_add_func ("/formats/xlsx-sheets", test_xlsx_sheets);
  g_test_add_func ("/formats/damaged", test_damaged);
  g_test_add_func ("/dates/calendar", test_date_calendar);
  g_test_add_func ("/dates/excel-serials", test_excel_serials);
  g_test_add_func ("/dates/derive-time", test_derive_time);
  g_test_add_func ("/dates/order", test_date_order);
  return g_test_run ();
}

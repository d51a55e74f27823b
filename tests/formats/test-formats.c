/* test-formats.c: .xlsx, .ods, .sav, .zsav, .dta, .xpt and .sas7bdat files written by
 * independent writers (openpyxl, Gnumeric, R haven; tests/data/formats/make-fixtures.*)
 * give exactly the analysis of the same data in CSV; dates and times derived from them;
 * title rows above the header; sheet lists; damaged files. */
#include "strata-analysis.h"
#include "strata-date.h"
#include "strata-report-json.h"
#include "strata-table.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <xlsxwriter.h>
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

static StrataTable *
load_header (const char *name, const char *sheet, guint header_row)
{
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  StrataTable *table = strata_table_load_file_options (path, sheet, header_row, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

/* The JSON report of --by=BY on NAME read with its header on HEADER_ROW, without
 * input.file and input.encoding. */
static char *
report_header (const char *name, guint header_row, const char *by)
{
  g_autoptr(StrataTable) table = load_header (name, NULL, header_row);
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

static char *
report (const char *name, const char *by)
{
  return report_header (name, 0, by);
}

static void
test_same_report (gconstpointer data)
{
  const char *name = data;
  g_autofree char *csv = report ("aml-dates.csv", "group");
  g_autofree char *other = report (name, "group");

  g_assert_cmpstr (other, ==, csv);
  /* the labelled arm: value labels become the category names (no labels in .xpt or
   * .sas7bdat) */
  if (!g_str_has_suffix (name, ".xpt") && !g_str_has_suffix (name, ".sas7bdat"))
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

/* The sheet names, in workbook order, joined by commas; or the error's code and message. */
static char *
sheets_of (const char *name)
{
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sheets = strata_table_list_sheets (path, &error);
  g_autoptr(GString) joined = g_string_new (NULL);

  if (sheets == NULL)
    {
      g_assert_nonnull (error);
      return g_strdup_printf ("error %d: %s", error->code, error->message);
    }
  g_assert_no_error (error);
  for (guint i = 0; i < sheets->len; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? "," : "",
                            (const char *) g_ptr_array_index (sheets, i));
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static void
test_list_sheets (void)
{
  const struct { const char *file, *sheets; } cases[] = {
    { "aml.xlsx", "Notes,AML" },
    { "aml.ods", "Notes,AML" },
    { "aml-title.xlsx", "Cohort,Codes" },
    { "aml-title.ods", "Cohort,Codes" },
    { "aml-dates.csv", "" },
    { "aml.sav", "" },
    { "not-a-workbook.zip", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sheets = sheets_of (cases[i].file);

      g_assert_cmpstr (sheets, ==, cases[i].sheets);
    }
  {
    g_autofree char *missing = sheets_of ("no-such-file.xlsx");
    g_autofree char *expected = g_strdup_printf ("error %d: ", STRATA_IMPORT_ERROR_IO);

    g_assert_true (g_str_has_prefix (missing, expected));
  }
}

/* Title rows above the header: with --header-row they are ignored, and the report is
 * the CSV's; without, the title is the header. */
static void
test_header_row (gconstpointer data)
{
  const char *name = data;
  gboolean workbook = !g_str_has_suffix (name, ".csv");
  g_autofree char *csv = report ("aml-dates.csv", "group");
  g_autofree char *titled = report_header (name, 4, "group");
  g_autoptr(StrataTable) table = load_header (name, NULL, 4);
  g_autoptr(StrataTable) by_name = NULL;
  g_autoptr(StrataTable) plain = load_header (name, NULL, 0);
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(StrataTable) none = NULL;

  g_assert_cmpstr (titled, ==, csv);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 23);
  g_assert_cmpuint (strata_table_get_n_columns (table), ==, 7);
  g_assert_cmpstr (strata_table_get_column (table, 0)->name, ==, "id");
  g_assert_cmpuint (strata_table_get_lines (table)[0], ==, 5);
  g_assert_cmpstr (strata_table_get_column (plain, 0)->name, ==,
                   "AML maintenance trial, weeks to relapse");
  if (workbook)
    {
      /* a sheet after one passed over by name (the .ods reader once skipped it) */
      by_name = load_header (name, "Codes", 0);
      g_assert_cmpuint (strata_table_get_n_rows (by_name), ==, 2);
      g_assert_cmpstr (strata_table_get_column (by_name, 1)->name, ==, "meaning");
      g_clear_pointer (&by_name, strata_table_unref);
      by_name = load_header (name, "Cohort", 4);
      g_assert_cmpuint (strata_table_get_n_rows (by_name), ==, 23);
      g_clear_pointer (&by_name, strata_table_unref);
      /* the first data row as the header: "1", "9"... name the columns */
      by_name = load_header (name, "Cohort", 5);
      g_assert_cmpuint (strata_table_get_n_rows (by_name), ==, 22);
      g_assert_cmpstr (strata_table_get_column (by_name, 1)->name, ==, "9");
    }

  /* past the data, and an empty row */
  none = strata_table_load_file_options (path, NULL, 40, &error);
  g_assert_null (none);
  g_assert_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY);
  if (workbook)
    {
      g_assert_nonnull (strstr (error->message, "sheet \"Cohort\" has no row 40"));
      g_assert_nonnull (strstr (error->message, "last row with a value is row 27"));
    }
  else
    g_assert_nonnull (strstr (error->message, "has no line 40"));
  g_clear_error (&error);
  none = strata_table_load_file_options (path, NULL, 3, &error);
  g_assert_null (none);
  g_assert_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, workbook ? "row 3 of sheet \"Cohort\" is empty"
                                                     : "line 3 is blank"));
}

/* strata-report --header-row=N reads the sheet (or CSV) from row N. */
static void
test_cli_header_row (void)
{
  g_autofree char *path = fixture ("aml-title.xlsx");
  const char *report_path = g_getenv ("STRATA_REPORT");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *with[] = { report_path, "--header-row=4", "--time=time", "--event=event",
                         "--by=group", "--json=-", path, NULL };
  const char *without[] = { report_path, "--time=time", "--event=event", "--json=-", path,
                            NULL };
  const char *negative[] = { report_path, "--header-row=-1", path, NULL };

  g_assert_nonnull (report_path);
  g_assert_true (g_spawn_sync (NULL, (char **) with, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "\"rows\": 23"));
  g_assert_nonnull (strstr (out, "\"Nonmaintained\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* without it, the title row is the header: there is no column "time" */
  g_assert_true (g_spawn_sync (NULL, (char **) without, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, "time"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_true (g_spawn_sync (NULL, (char **) negative, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "--header-row"));
}

/* The text of row ROW of level column NAME (NULL: missing). */
static const char *
level_at (const StrataTable *table, const char *name, guint row)
{
  const StrataColumn *column = strata_table_find_column (table, name);

  g_assert_nonnull (column);
  g_assert_cmpint (column->type, !=, STRATA_COLUMN_NUMERIC);
  return column->codes[row] == STRATA_MISSING_CODE ? NULL
                                                   : g_ptr_array_index (column->levels,
                                                                        column->codes[row]);
}

static double
number_at (const StrataTable *table, const char *name, guint row)
{
  const StrataColumn *column = strata_table_find_column (table, name);

  g_assert_nonnull (column);
  g_assert_cmpint (column->type, ==, STRATA_COLUMN_NUMERIC);
  return column->values[row];
}

/* Hand-written workbooks (make-edge-cases.py) with what the other writers never
 * produce: each cell as the .xlsx reader read it before it was moved to SAX. */
static void
test_edge_cases_xlsx (void)
{
  g_autoptr(StrataTable) t = load_header ("edge-cases.xlsx", NULL, 4);
  const char *names[] = { "id", "group", "group_2", "note", "when", "flag", "d<ur", "err",
                          "iso", "hex", "column_11" };

  g_assert_cmpuint (strata_table_get_n_rows (t), ==, 4);
  g_assert_cmpuint (strata_table_get_n_columns (t), ==, G_N_ELEMENTS (names));
  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    g_assert_cmpstr (strata_table_get_column (t, c)->name, ==, names[c]);
  g_assert_cmpuint (strata_table_get_lines (t)[2], ==, 9);
  g_assert_cmpfloat (number_at (t, "id", 1), ==, 2.5);        /* " 2.5 " */
  g_assert_cmpstr (level_at (t, "group", 0), ==, "A & B");    /* shared string */
  g_assert_null (level_at (t, "group", 1));                   /* "  NA  " */
  g_assert_cmpstr (level_at (t, "group", 2), ==, "x");        /* inline, trimmed */
  g_assert_cmpstr (level_at (t, "note", 1), ==, "text <x>");  /* t="str" */
  g_assert_cmpstr (level_at (t, "when", 0), ==, "2024-02-29");
  g_assert_cmpstr (level_at (t, "when", 1), ==, "60");        /* Excel's 1900-02-29 */
  g_assert_cmpstr (level_at (t, "when", 2), ==, "2024-03-01T18:00:00");
  g_assert_cmpstr (level_at (t, "flag", 0), ==, "TRUE");
  g_assert_cmpstr (level_at (t, "flag", 1), ==, "FALSE");
  g_assert_cmpfloat (number_at (t, "d<ur", 0), ==, 0.5);      /* a time stays a number */
  g_assert_true (isnan (number_at (t, "d<ur", 1)));           /* <v/> */
  g_assert_true (isnan (number_at (t, "err", 0)));
  g_assert_cmpstr (level_at (t, "iso", 0), ==, "2024-02-29T08:30:00");
  g_assert_cmpstr (level_at (t, "iso", 1), ==, "bad");
  g_assert_cmpstr (level_at (t, "hex", 0), ==, "16");
  g_assert_cmpstr (level_at (t, "hex", 1), ==, "1e400");
  g_assert_cmpstr (level_at (t, "column_11", 3), ==, "A & B");
}

static void
test_edge_cases_ods (void)
{
  g_autoptr(StrataTable) t = load_header ("edge-cases.ods", NULL, 4);
  GPtrArray *warnings = strata_table_get_warnings (t);
  gboolean repeat_warning = FALSE;

  g_assert_cmpuint (strata_table_get_n_rows (t), ==, 4 + 1000);  /* repeats capped */
  g_assert_cmpuint (strata_table_get_lines (t)[3], ==, 9);
  g_assert_cmpfloat (number_at (t, "id", 2), ==, 1.5);
  g_assert_cmpstr (level_at (t, "group", 0), ==, "a   b\tc\nsecond & line");
  g_assert_cmpstr (level_at (t, "group_2", 2), ==, "a   b\tc\nsecond & line");
  g_assert_null (level_at (t, "group_2", 3));
  g_assert_cmpstr (level_at (t, "note", 0), ==, "padded x");  /* not the comment */
  g_assert_cmpstr (level_at (t, "note", 3), ==, "cd<ata");
  g_assert_cmpstr (level_at (t, "when", 0), ==, "2024-02-29T08:30:00");
  g_assert_cmpstr (level_at (t, "when", 3), ==, "not a date");
  g_assert_cmpstr (level_at (t, "flag", 3), ==, "FALSE");
  g_assert_cmpfloat (number_at (t, "dur", 0), ==, 12.5);
  g_assert_cmpfloat (number_at (t, "dur", 3), ==, -1);
  g_assert_cmpfloat (number_at (t, "pct", 0), ==, 0.25);
  g_assert_true (isnan (number_at (t, "pct", 3)));            /* currency "oops" */
  g_assert_true (isnan (number_at (t, "f", 0)));
  for (guint i = 0; i < warnings->len; i++)
    repeat_warning |= strstr (g_ptr_array_index (warnings, i),
                              "row 10 is repeated 5000 times") != NULL;
  g_assert_true (repeat_warning);
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

/* A CSV header line below title lines of another delimiter, or inside a quoted field. */
static void
test_csv_header_line (void)
{
  g_autofree char *dir = g_dir_make_tmp ("strata-formats-XXXXXX", NULL);
  const char *titled_text = "Cohort; exported 2024\n\nid,arm\n1,A\n2,B\n";
  const char *quoted_text = "\"two\nlines\"\nid,arm\n1,A\n";
  g_autofree char *titled = write_temp (dir, "titled.csv", titled_text, strlen (titled_text));
  g_autofree char *quoted = write_temp (dir, "quoted.csv", quoted_text, strlen (quoted_text));
  g_autoptr(StrataTable) table = NULL;
  g_autoptr(GError) error = NULL;

  table = strata_table_load_file_options (titled, NULL, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpint (strata_table_get_delimiter (table), ==, ',');
  g_assert_cmpuint (strata_table_get_n_columns (table), ==, 2);
  g_assert_cmpstr (strata_table_get_column (table, 1)->name, ==, "arm");
  g_assert_cmpuint (strata_table_get_lines (table)[0], ==, 4);

  g_assert_null (strata_table_load_file_options (quoted, NULL, 2, &error));
  g_assert_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "line 2 cannot be the header"));
  g_assert_nonnull (strstr (error->message, "starts on line 1"));
  g_clear_error (&error);
  g_clear_pointer (&table, strata_table_unref);
  table = strata_table_load_file_options (quoted, NULL, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 1);

  g_remove (titled);
  g_remove (quoted);
  g_rmdir (dir);
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

/* Every cell of A equals the same cell of B: column names, types, numbers, levels. */
static void
assert_same_table (const StrataTable *a, const StrataTable *b)
{
  g_assert_cmpuint (strata_table_get_n_rows (a), ==, strata_table_get_n_rows (b));
  g_assert_cmpuint (strata_table_get_n_columns (a), ==, strata_table_get_n_columns (b));
  for (guint c = 0; c < strata_table_get_n_columns (a); c++)
    {
      const StrataColumn *x = strata_table_get_column (a, c);
      const StrataColumn *y = strata_table_get_column (b, c);

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmpint (x->type, ==, y->type);
      for (guint i = 0; i < strata_table_get_n_rows (a); i++)
        if (x->type == STRATA_COLUMN_NUMERIC)
          {
            if (!isnan (x->values[i]) || !isnan (y->values[i]))
              g_assert_cmpfloat (x->values[i], ==, y->values[i]);
          }
        else
          {
            g_assert_cmpuint (x->codes[i] == STRATA_MISSING_CODE, ==,
                              y->codes[i] == STRATA_MISSING_CODE);
            if (x->codes[i] != STRATA_MISSING_CODE)
              g_assert_cmpstr (g_ptr_array_index (x->levels, x->codes[i]), ==,
                               g_ptr_array_index (y->levels, y->codes[i]));
          }
    }
}

/* A sheet large enough (> 4 MB of XML) to be inflated, parsed and built by three
 * threads, written by libxlsxwriter (shared strings, dates, booleans, formulas with
 * their values, empty cells), reads as the same data in CSV. */
static void
test_large_sheet (void)
{
  g_autofree char *dir = g_dir_make_tmp ("strata-formats-XXXXXX", NULL);
  g_autofree char *xlsx_path = g_build_filename (dir, "large.xlsx", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "large.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("id,months,arm,event,start,done,double,note\n");
  lxw_workbook *workbook = workbook_new (xlsx_path);
  lxw_worksheet *sheet = workbook_add_worksheet (workbook, "Cohort");
  lxw_format *date = workbook_add_format (workbook);
  const char *header[] = { "id", "months", "arm", "event", "start", "done", "double", "note" };
  const char *arms[] = { "CNS", "Marrow", "Non-CNS EMD" };
  const char *notes[] = { "", "  padded  ", "NA", "12", "a & b < c" };
  const guint n = 40000;
  g_autoptr(StrataTable) from_xlsx = NULL, from_csv = NULL;
  g_autoptr(GError) error = NULL;
  double base = 0;

  g_assert_true (strata_date_from_ymd (2015, 1, 1, &base));
  format_set_num_format (date, "yyyy-mm-dd");
  for (guint c = 0; c < G_N_ELEMENTS (header); c++)
    worksheet_write_string (sheet, 0, (lxw_col_t) c, header[c], NULL);
  for (guint i = 0; i < n; i++)
    {
      lxw_row_t row = (lxw_row_t) i + 1;
      g_autofree char *id = g_strdup_printf ("P%07u", i + 1);
      g_autofree char *formula = g_strdup_printf ("=B%u*2", i + 2);
      double months = (i * 7919 % 1200) / 10.0;
      double serial = 42005 + i % 3000;  /* 2015-01-01 on */
      char iso[32], number[G_ASCII_DTOSTR_BUF_SIZE], twice[G_ASCII_DTOSTR_BUF_SIZE];
      int y, m, d;

      strata_date_to_ymd (base + i % 3000, &y, &m, &d);
      g_snprintf (iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
      worksheet_write_string (sheet, row, 0, id, NULL);
      worksheet_write_number (sheet, row, 1, months, NULL);
      worksheet_write_string (sheet, row, 2, arms[i % 3], NULL);
      worksheet_write_number (sheet, row, 3, i % 2, NULL);
      worksheet_write_number (sheet, row, 4, serial, date);
      worksheet_write_boolean (sheet, row, 5, i % 7 == 0, NULL);
      worksheet_write_formula_num (sheet, row, 6, formula, NULL, months * 2);
      if (notes[i % 5][0] != '\0')
        worksheet_write_string (sheet, row, 7, notes[i % 5], NULL);
      g_string_append_printf (csv, "%s,%s,%s,%u,%s,%s,%s,%s\n", id,
                              g_ascii_dtostr (number, sizeof number, months), arms[i % 3],
                              i % 2, iso, i % 7 == 0 ? "TRUE" : "FALSE",
                              g_ascii_dtostr (twice, sizeof twice, months * 2), notes[i % 5]);
    }
  g_assert_cmpint (workbook_close (workbook), ==, LXW_NO_ERROR);
  g_assert_true (g_file_set_contents (csv_path, csv->str, (gssize) csv->len, NULL));

  from_xlsx = strata_table_load_file (xlsx_path, &error);
  g_assert_no_error (error);
  from_csv = strata_table_load_file (csv_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strata_table_get_n_rows (from_xlsx), ==, n);
  assert_same_table (from_xlsx, from_csv);
  g_assert_cmpstr (g_ptr_array_index (strata_table_find_column (from_xlsx, "start")->levels, 0),
                   ==, "2015-01-01");
  g_assert_cmpuint (strata_table_get_lines (from_xlsx)[n - 1], ==, n + 1);

  g_remove (xlsx_path);
  g_remove (csv_path);
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
                            "aml.dta", "aml.xpt", "aml.sas7bdat" };

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
  g_test_add_func ("/formats/list-sheets", test_list_sheets);
  g_test_add_data_func ("/formats/header-row/xlsx", "aml-title.xlsx", test_header_row);
  g_test_add_data_func ("/formats/header-row/ods", "aml-title.ods", test_header_row);
  g_test_add_data_func ("/formats/header-row/csv", "aml-title.csv", test_header_row);
  g_test_add_func ("/formats/csv-header-line", test_csv_header_line);
  g_test_add_func ("/formats/cli-header-row", test_cli_header_row);
  g_test_add_func ("/formats/large-sheet", test_large_sheet);
  g_test_add_func ("/formats/edge-cases/xlsx", test_edge_cases_xlsx);
  g_test_add_func ("/formats/edge-cases/ods", test_edge_cases_ods);
  g_test_add_func ("/formats/damaged", test_damaged);
  g_test_add_func ("/dates/calendar", test_date_calendar);
  g_test_add_func ("/dates/excel-serials", test_excel_serials);
  g_test_add_func ("/dates/derive-time", test_derive_time);
  g_test_add_func ("/dates/order", test_date_order);
  return g_test_run ();
}

/* test-import.c: the CSV/TSV importer (strata-table, strata-csv-reader, strata-number).
 *
 * Files of the malformed corpus are found through G_TEST_SRCDIR, or the compile-time
 * STRATA_TEST_SRCDIR when that is not set, or next to the test binary.
 */
#include "strata-csv-reader.h"
#include "strata-number.h"
#include "strata-table.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------- helpers */

static StrataTable *
load_string (const char *text, GError **error)
{
  return strata_table_load_data ("test.csv", text, strlen (text), error);
}

static StrataTable *
load_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  StrataTable *table = load_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

static void
assert_load_error (const char *text, gsize length, StrataImportError code,
                   const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StrataTable) table = strata_table_load_data ("test.csv", text, length, &error);

  g_assert_null (table);
  g_assert_error (error, STRATA_IMPORT_ERROR, (gint) code);
  g_assert_cmpstr (error->message, ==, message);
}

static const StrataColumn *
column (const StrataTable *table, const char *name)
{
  const StrataColumn *c = strata_table_find_column (table, name);

  if (c == NULL)
    g_error ("no column \"%s\"", name);
  return c;
}

/* The text of a level column's cell, NULL when missing. */
static const char *
cell_text (const StrataColumn *c, guint row)
{
  g_assert_true (c->type != STRATA_COLUMN_NUMERIC);
  if (c->codes[row] == STRATA_MISSING_CODE)
    return NULL;
  g_assert_cmpuint (c->codes[row], <, c->levels->len);
  return g_ptr_array_index (c->levels, c->codes[row]);
}

static gboolean
has_warning (const StrataTable *table, const char *text)
{
  GPtrArray *warnings = strata_table_get_warnings (table);

  for (guint i = 0; i < warnings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (warnings, i), text) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_warning (const StrataTable *table, const char *text)
{
  if (!has_warning (table, text))
    {
      GPtrArray *warnings = strata_table_get_warnings (table);

      for (guint i = 0; i < warnings->len; i++)
        g_test_message ("warning: %s", (char *) g_ptr_array_index (warnings, i));
      g_error ("missing warning: %s", text);
    }
}

/* What any table must satisfy, whatever the input. */
static void
check_invariants (const StrataTable *table)
{
  guint n_rows = strata_table_get_n_rows (table);
  guint n_columns = strata_table_get_n_columns (table);
  const guint *lines = strata_table_get_lines (table);
  GPtrArray *rejected = strata_table_get_rejected (table);

  g_assert_cmpuint (n_rows, >, 0);
  g_assert_cmpuint (n_columns, >, 0);
  g_assert_nonnull (lines);
  for (guint i = 0; i < n_rows; i++)
    {
      g_assert_cmpuint (lines[i], >=, 2);
      if (i > 0)
        g_assert_cmpuint (lines[i], >, lines[i - 1]);
    }
  for (guint i = 1; i < rejected->len; i++)
    {
      const StrataIssue *a = g_ptr_array_index (rejected, i - 1);
      const StrataIssue *b = g_ptr_array_index (rejected, i);

      g_assert_cmpuint (a->line, <, b->line);
    }
  g_assert_true (g_utf8_validate (strata_table_get_encoding (table), -1, NULL));

  for (guint c = 0; c < n_columns; c++)
    {
      const StrataColumn *col = strata_table_get_column (table, c);

      g_assert_nonnull (col->name);
      g_assert_true (g_utf8_validate (col->name, -1, NULL));
      g_assert_true (strata_table_find_column (table, col->name) == col);
      if (col->type == STRATA_COLUMN_NUMERIC)
        {
          g_assert_nonnull (col->values);
          g_assert_null (col->codes);
          g_assert_null (col->levels);
          for (guint i = 0; i < n_rows; i++)
            g_assert_true (isnan (col->values[i]) || isfinite (col->values[i]));
        }
      else
        {
          g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
          g_autofree gboolean *used = g_new0 (gboolean, col->levels->len + 1);

          g_assert_null (col->values);
          g_assert_nonnull (col->codes);
          g_assert_nonnull (col->levels);
          for (guint j = 0; j < col->levels->len; j++)
            {
              const char *level = g_ptr_array_index (col->levels, j);

              g_assert_true (g_utf8_validate (level, -1, NULL));
              g_assert_false (g_hash_table_contains (seen, level));
              g_hash_table_add (seen, (gpointer) level);
            }
          /* codes in range, and levels in order of first appearance */
          {
            guint next = 0;

            for (guint i = 0; i < n_rows; i++)
              {
                guint32 code = col->codes[i];

                if (code == STRATA_MISSING_CODE)
                  continue;
                g_assert_cmpuint (code, <, col->levels->len);
                if (!used[code])
                  {
                    g_assert_cmpuint (code, ==, next);
                    used[code] = TRUE;
                    next++;
                  }
              }
            g_assert_cmpuint (next, ==, col->levels->len);
          }
        }
    }
}

/* ---------------------------------------------------------------- basics */

static void
test_basic (void)
{
  g_autoptr(StrataTable) table = load_ok ("id,time,event,group\n"
                                          "1,306,1,male\n"
                                          "2,455.5,0,female\n"
                                          "3,1010,1,male\n");
  const StrataColumn *time = column (table, "time");
  const StrataColumn *group = column (table, "group");
  const guint *lines = strata_table_get_lines (table);

  check_invariants (table);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 3);
  g_assert_cmpuint (strata_table_get_n_columns (table), ==, 4);
  g_assert_cmpint (strata_table_get_delimiter (table), ==, ',');
  g_assert_cmpstr (strata_table_get_encoding (table), ==, "UTF-8");
  g_assert_cmpstr (strata_table_get_display_name (table), ==, "test.csv");
  g_assert_false (strata_table_get_decimal_comma (table));
  g_assert_cmpuint (strata_table_get_warnings (table)->len, ==, 0);
  g_assert_cmpuint (strata_table_get_rejected (table)->len, ==, 0);

  g_assert_cmpint (time->type, ==, STRATA_COLUMN_NUMERIC);
  g_assert_cmpfloat (time->values[0], ==, 306);
  g_assert_cmpfloat (time->values[1], ==, 455.5);
  g_assert_cmpfloat (time->values[2], ==, 1010);
  g_assert_cmpint (group->type, ==, STRATA_COLUMN_CATEGORICAL);
  g_assert_cmpuint (group->levels->len, ==, 2);
  g_assert_cmpstr (cell_text (group, 0), ==, "male");
  g_assert_cmpstr (cell_text (group, 1), ==, "female");
  g_assert_cmpuint (group->codes[2], ==, 0);
  g_assert_cmpuint (lines[0], ==, 2);
  g_assert_cmpuint (lines[2], ==, 4);
  g_assert_null (strata_table_find_column (table, "Group"));
  g_assert_true (strata_table_get_column (table, 3) == group);
}

static void
test_ref_counting (void)
{
  StrataTable *table = load_ok ("a,b\n1,2\n");
  StrataTable *again = strata_table_ref (table);

  g_assert_true (again == table);
  strata_table_unref (again);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 1);
  strata_table_unref (table);
}

static void
test_issue_new_free (void)
{
  StrataIssue *issue = strata_issue_new (7, "age", "is not a number");

  g_assert_cmpuint (issue->line, ==, 7);
  g_assert_cmpstr (issue->column, ==, "age");
  g_assert_cmpstr (issue->reason, ==, "is not a number");
  strata_issue_free (issue);
  strata_issue_free (NULL);

  issue = strata_issue_new (3, NULL, "x");
  g_assert_null (issue->column);
  strata_issue_free (issue);
}

/* ---------------------------------------------------------------- quoting and lines */

static void
test_quoting (void)
{
  g_autoptr(StrataTable) table = load_ok ("id,note,site\n"
                                          "1,\"Smith, J\",BM\n"
                                          "2,\"said \"\"no\"\"\",CNS\n"
                                          "3,\"two\nlines\",EMD\n"
                                          "4,\"three\r\nlines\rhere\",BM\n"
                                          "5, \"  padded \" ,CNS\n"
                                          "6,5\" tall,EMD\n"
                                          "7,\"\",BM\n"
                                          "8,\"a,\"\"b\"\"\nc\",CNS\n");
  const StrataColumn *note = column (table, "note");
  const guint *lines = strata_table_get_lines (table);

  check_invariants (table);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 8);
  g_assert_cmpstr (cell_text (note, 0), ==, "Smith, J");
  g_assert_cmpstr (cell_text (note, 1), ==, "said \"no\"");
  g_assert_cmpstr (cell_text (note, 2), ==, "two\nlines");
  g_assert_cmpstr (cell_text (note, 3), ==, "three\r\nlines\rhere");
  g_assert_cmpstr (cell_text (note, 4), ==, "  padded ");
  g_assert_cmpstr (cell_text (note, 5), ==, "5\" tall");
  g_assert_null (cell_text (note, 6));
  g_assert_cmpstr (cell_text (note, 7), ==, "a,\"b\"\nc");
  g_assert_cmpstr (cell_text (column (table, "site"), 7), ==, "CNS");

  /* physical lines: record 3 spans lines 4-5, record 4 spans 6-8 (CRLF and lone CR) */
  g_assert_cmpuint (lines[0], ==, 2);
  g_assert_cmpuint (lines[1], ==, 3);
  g_assert_cmpuint (lines[2], ==, 4);
  g_assert_cmpuint (lines[3], ==, 6);
  g_assert_cmpuint (lines[4], ==, 9);
  g_assert_cmpuint (lines[5], ==, 10);
  g_assert_cmpuint (lines[6], ==, 11);
  g_assert_cmpuint (lines[7], ==, 12);
}

static void
test_line_endings (void)
{
  const char *inputs[] = {
    "a,b\r\n1,x\r\n2,y\r\n",
    "a,b\r\n1,x\r\n2,y",
    "a,b\n1,x\n2,y",
    "a,b\r1,x\r2,y\r",
    "a,b\n1,x\r\n2,y\r",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(StrataTable) table = load_ok (inputs[i]);
      const guint *lines = strata_table_get_lines (table);
      const StrataColumn *b = column (table, "b");

      check_invariants (table);
      g_assert_cmpuint (strata_table_get_n_rows (table), ==, 2);
      g_assert_cmpstr (cell_text (b, 0), ==, "x");
      g_assert_cmpstr (cell_text (b, 1), ==, "y");
      g_assert_cmpfloat (column (table, "a")->values[1], ==, 2);
      g_assert_cmpuint (lines[0], ==, 2);
      g_assert_cmpuint (lines[1], ==, 3);
    }
}

static void
test_unterminated_quote (void)
{
  const char *text = "id,site,time\n1,BM,10\n2,\"CNS,20\n3,EMD,30\n";

  assert_load_error (text, strlen (text), STRATA_IMPORT_ERROR_SYNTAX,
                     "test.csv: line 3, column 2: quoted field is never closed");

  /* the line is where the quote opened, after earlier multi-line fields */
  text = "a,b\n\"x\ny\",1\n2,\"open\n\n";
  assert_load_error (text, strlen (text), STRATA_IMPORT_ERROR_SYNTAX,
                     "test.csv: line 4, column 2: quoted field is never closed");

  text = "\"a,b\n1,2\n";
  assert_load_error (text, strlen (text), STRATA_IMPORT_ERROR_SYNTAX,
                     "test.csv: line 1, column 1: quoted field is never closed");
}

static void
test_text_after_quote (void)
{
  g_autoptr(StrataTable) table = load_ok ("id,name\n1,\"Smith\" Jr\n2,\"Doe\"x\n3,Roe\n");
  const StrataColumn *name = column (table, "name");

  g_assert_cmpstr (cell_text (name, 0), ==, "Smith Jr");
  g_assert_cmpstr (cell_text (name, 1), ==, "Doex");
  g_assert_cmpstr (cell_text (name, 2), ==, "Roe");
  assert_warning (table, "2 values have text after their closing quote, which was kept "
                  "(the first on line 2)");
}

/* ---------------------------------------------------------------- encodings */

static void
test_bom (void)
{
  g_autoptr(StrataTable) table = load_ok ("\xEF\xBB\xBFid,name\n1,Zoë\n");

  g_assert_cmpstr (strata_table_get_encoding (table), ==, "UTF-8 with BOM");
  g_assert_nonnull (strata_table_find_column (table, "id"));
  g_assert_cmpstr (strata_table_get_column (table, 0)->name, ==, "id");
  g_assert_cmpstr (cell_text (column (table, "name"), 0), ==, "Zoë");
  g_assert_cmpuint (strata_table_get_warnings (table)->len, ==, 0);
}

static void
test_windows_1252 (void)
{
  /* "Müller", "François", "€" and typographic quotes in Windows-1252 bytes */
  g_autoptr(StrataTable) table = load_ok ("id,name,note\n"
                                          "1,M\xFCller,\x80" "5\n"
                                          "2,Fran\xE7ois,\x93quoted\x94\n");
  const StrataColumn *name = column (table, "name");
  const StrataColumn *note = column (table, "note");

  check_invariants (table);
  g_assert_cmpstr (strata_table_get_encoding (table), ==, "Windows-1252 (converted to UTF-8)");
  assert_warning (table, "the file is not UTF-8; it was read as Windows-1252 and "
                  "converted to UTF-8");
  g_assert_cmpstr (cell_text (name, 0), ==, "Müller");
  g_assert_cmpstr (cell_text (name, 1), ==, "François");
  g_assert_cmpstr (cell_text (note, 0), ==, "€5");
  g_assert_cmpstr (cell_text (note, 1), ==, "\u201Cquoted\u201D");
}

/* Every defined Windows-1252 byte converts as iconv converts it. */
static void
test_windows_1252_table (void)
{
  g_autoptr(GString) text = g_string_new ("name\n");
  g_autoptr(GString) expected = g_string_new ("");
  g_autoptr(StrataTable) table = NULL;
  g_autoptr(GError) error = NULL;

  for (guint b = 0x80; b <= 0xFF; b++)
    {
      char byte = (char) b;
      g_autofree char *utf8 = NULL;

      if (b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D)
        continue;
      utf8 = g_convert (&byte, 1, "UTF-8", "WINDOWS-1252", NULL, NULL, &error);
      g_assert_no_error (error);
      g_string_append_printf (text, "x%c\n", byte);
      g_string_append_printf (expected, "x%s|", utf8);
    }
  table = strata_table_load_data ("cp.csv", text->str, text->len, &error);
  g_assert_no_error (error);
  {
    const StrataColumn *name = column (table, "name");
    g_autoptr(GString) got = g_string_new ("");

    for (guint i = 0; i < strata_table_get_n_rows (table); i++)
      g_string_append_printf (got, "%s|", cell_text (name, i));
    g_assert_cmpstr (got->str, ==, expected->str);
  }
}

static void
test_encoding_errors (void)
{
  const char undefined[] = "id,name\n1,x\x81y\n";
  const char bad_after_bom[] = "\xEF\xBB\xBFid,name\n1,M\xFCller\n";

  assert_load_error (undefined, sizeof undefined - 1, STRATA_IMPORT_ERROR_ENCODING,
                     "test.csv is neither UTF-8 nor Windows-1252 text (byte 12 is 0x81); "
                     "save it as CSV UTF-8");
  assert_load_error (bad_after_bom, sizeof bad_after_bom - 1, STRATA_IMPORT_ERROR_ENCODING,
                     "test.csv starts with a UTF-8 byte order mark but byte 15 is not valid "
                     "UTF-8; save it again as CSV UTF-8");
}

static void
test_utf16 (void)
{
  const char *utf8 = "id\tname\r\n1\tMüller\r\n2\t日本\r\n";
  g_autoptr(GError) error = NULL;
  gsize n = 0;
  g_autofree char *le = g_convert (utf8, -1, "UTF-16LE", "UTF-8", NULL, &n, &error);
  g_autofree char *with_bom = g_malloc (n + 2);
  g_autoptr(StrataTable) table = NULL;

  g_assert_no_error (error);
  with_bom[0] = (char) 0xFF;
  with_bom[1] = (char) 0xFE;
  memcpy (with_bom + 2, le, n);
  table = strata_table_load_data ("u16.txt", with_bom, n + 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (strata_table_get_encoding (table), ==, "UTF-16LE (converted to UTF-8)");
  g_assert_cmpint (strata_table_get_delimiter (table), ==, '\t');
  g_assert_cmpstr (cell_text (column (table, "name"), 0), ==, "Müller");
  g_assert_cmpstr (cell_text (column (table, "name"), 1), ==, "日本");

  /* without a byte order mark: NUL bytes, but a helpful message */
  assert_load_error (le, n, STRATA_IMPORT_ERROR_ENCODING,
                     "test.csv looks like UTF-16 text without a byte order mark; "
                     "save it as CSV UTF-8");
}

/* The importer calls a file UTF-8 exactly when GLib does. */
static void
test_utf8_validation (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  static const guchar pieces[][4] = {
    { 'a' }, { ',' }, { '\n' }, { 0xC3, 0xA9 }, { 0xE2, 0x82, 0xAC }, { 0xF0, 0x9F, 0x98, 0x80 },
    { 0xC3 }, { 0xA9 }, { 0xE0, 0x80, 0x80 }, { 0xED, 0xA0, 0x80 }, { 0xF4, 0x90, 0x80, 0x80 },
    { 0xC0, 0xAF }, { 0xF8 }, { 0xFF }, { 0xEF, 0xBF, 0xBF }, { 0xF4, 0x8F, 0xBF, 0xBF },
  };
  static const guint lengths[] = { 1, 1, 1, 2, 3, 4, 1, 1, 3, 3, 4, 2, 1, 1, 3, 4 };

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(GString) text = g_string_new ("x,y\n");
      g_autoptr(StrataTable) table = NULL;
      g_autoptr(GError) error = NULL;
      guint n = g_rand_int_range (rand, 1, 40);

      for (guint k = 0; k < n; k++)
        {
          /* mostly valid pieces, sometimes a broken one */
          guint p = g_rand_int_range (rand, 0, 100) < 90 ? g_rand_int_range (rand, 0, 6)
                                                          : g_rand_int_range (rand, 0, 16);

          g_string_append_len (text, (const char *) pieces[p], lengths[p]);
        }
      g_string_append (text, ",z\n");
      table = strata_table_load_data ("r.csv", text->str, text->len, &error);
      if (table == NULL)
        {
          /* a broken piece may be one of the five undefined Windows-1252 bytes; the
           * ',' and '\n' pieces may give ragged rows only */
          g_assert_nonnull (error);
          if (error->code == STRATA_IMPORT_ERROR_ENCODING)
            g_assert_false (g_utf8_validate (text->str, text->len, NULL));
          else
            g_assert_cmpint (error->code, ==, STRATA_IMPORT_ERROR_EMPTY);
          continue;
        }
      g_assert_cmpint (g_str_equal (strata_table_get_encoding (table), "UTF-8"), ==,
                       g_utf8_validate (text->str, text->len, NULL));
      check_invariants (table);
    }
}

/* ---------------------------------------------------------------- delimiters, numbers */

static void
test_semicolon_decimal_comma (void)
{
  g_autoptr(StrataTable) table = load_ok ("id;dose;change;site\n"
                                          "1;1,5;-0,25;Knochenmark, rechts\n"
                                          "2;2;0,125;ZNS\n"
                                          "3;3.5;-1e2;ZNS\n");
  const StrataColumn *dose = column (table, "dose");
  const StrataColumn *change = column (table, "change");
  double v = 0;

  check_invariants (table);
  g_assert_cmpint (strata_table_get_delimiter (table), ==, ';');
  g_assert_true (strata_table_get_decimal_comma (table));
  g_assert_cmpint (dose->type, ==, STRATA_COLUMN_NUMERIC);
  g_assert_cmpfloat (dose->values[0], ==, 1.5);
  g_assert_cmpfloat (dose->values[1], ==, 2);
  g_assert_cmpfloat (dose->values[2], ==, 3.5);
  g_assert_cmpfloat (change->values[0], ==, -0.25);
  g_assert_cmpfloat (change->values[1], ==, 0.125);
  g_assert_cmpfloat (change->values[2], ==, -100);
  g_assert_cmpstr (cell_text (column (table, "site"), 0), ==, "Knochenmark, rechts");

  g_assert_true (strata_table_parse_number (table, " 2,75 ", &v));
  g_assert_cmpfloat (v, ==, 2.75);
  g_assert_true (strata_table_parse_number (table, "2.5", &v));
  g_assert_cmpfloat (v, ==, 2.5);
  g_assert_false (strata_table_parse_number (table, "1,2,3", &v));
}

static void
test_semicolon_without_decimal_comma (void)
{
  g_autoptr(StrataTable) table = load_ok ("a;b\n1.5;2\n3;4\n");

  g_assert_cmpint (strata_table_get_delimiter (table), ==, ';');
  g_assert_false (strata_table_get_decimal_comma (table));
  g_assert_cmpfloat (column (table, "a")->values[0], ==, 1.5);
}

static void
test_comma_never_decimal (void)
{
  g_autoptr(StrataTable) table = load_ok ("id,dose\n1,\"1,5\"\n2,\"2,5\"\n");
  const StrataColumn *dose = column (table, "dose");
  double v = 0;

  g_assert_false (strata_table_get_decimal_comma (table));
  g_assert_cmpint (dose->type, !=, STRATA_COLUMN_NUMERIC);
  g_assert_cmpstr (cell_text (dose, 0), ==, "1,5");
  g_assert_false (strata_table_parse_number (table, "1,5", &v));
  g_assert_true (strata_table_parse_number (table, "1.5", &v));
  g_assert_false (strata_table_parse_number (NULL, "1,5", &v));
}

static void
test_tab (void)
{
  g_autoptr(StrataTable) table = load_ok ("id\tnote\ttime\n"
                                          "1\tSmith, J; Doe\t10.5\n"
                                          "2\t  spaced  \t20\n");
  const StrataColumn *note = column (table, "note");

  g_assert_cmpint (strata_table_get_delimiter (table), ==, '\t');
  g_assert_cmpstr (cell_text (note, 0), ==, "Smith, J; Doe");
  g_assert_cmpstr (cell_text (note, 1), ==, "spaced");
  g_assert_cmpfloat (column (table, "time")->values[0], ==, 10.5);
}

static void
test_sniffing (void)
{
  struct {
    const char *text;
    char delimiter;
    guint n_columns;
  } cases[] = {
    { "a,b,c\n1,2,3\n", ',', 3 },
    { "a;b;c\n1,5;2;3\n", ';', 3 },
    { "a\tb\n1,2\t3\n", '\t', 2 },
    /* delimiters inside quotes do not count */
    { "\"a;b;c\",d\n\"1;2;3\",4\n", ',', 2 },
    { "\"x,y\";z\n\"1,2\";3\n", ';', 2 },
    /* the header decides between consistent candidates: most fields */
    { "a,b;c;d\n1,2;3;4\n", ';', 3 },
    /* one column */
    { "name\nSmith\nDoe\n", ',', 1 },
    { "value\n1,5\n2\n", ';', 1 },
    { "name\nSmith, J\nDoe\n", ';', 1 },
    /* the consistent one wins over the one with more header fields */
    { "a;b,c,d\n1;2\n3;4\n", ';', 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(StrataTable) table = load_string (cases[i].text, &error);

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_no_error (error);
      g_assert_cmpint (strata_table_get_delimiter (table), ==, cases[i].delimiter);
      g_assert_cmpuint (strata_table_get_n_columns (table), ==, cases[i].n_columns);
    }
}

static void
test_one_column (void)
{
  g_autoptr(StrataTable) table = load_ok ("value\n1,5\n2\n\n3\n");
  const StrataColumn *value = column (table, "value");

  /* no line has a semicolon: it is the delimiter, and the comma a decimal comma */
  g_assert_cmpuint (strata_table_get_n_columns (table), ==, 1);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 3);
  g_assert_cmpint (strata_table_get_delimiter (table), ==, ';');
  g_assert_true (strata_table_get_decimal_comma (table));
  g_assert_cmpint (value->type, ==, STRATA_COLUMN_NUMERIC);
  g_assert_cmpfloat (value->values[0], ==, 1.5);
  assert_warning (table, "line 4 is blank and was skipped");

  {
    g_autoptr(StrataTable) names = load_ok ("name\nSmith, J\nDoe; A\nRoe\n");

    /* comma and semicolon each split a line, the tab none */
    g_assert_cmpint (strata_table_get_delimiter (names), ==, '\t');
    g_assert_cmpuint (strata_table_get_n_rows (names), ==, 3);
    g_assert_cmpstr (cell_text (column (names, "name"), 0), ==, "Smith, J");
    g_assert_cmpstr (cell_text (column (names, "name"), 1), ==, "Doe; A");
  }
  {
    g_autoptr(StrataTable) plain = load_ok ("x\n1\n2\n");

    g_assert_cmpint (strata_table_get_delimiter (plain), ==, ',');
  }
}

static void
test_missing_tokens (void)
{
  g_autoptr(StrataTable) table = load_ok ("n,label\n"
                                          "1,a\n"
                                          ",\n"
                                          "NA,NA\n"
                                          "na,na\n"
                                          "N/A,N/A\n"
                                          "n/a,n/a\n"
                                          "NaN,NaN\n"
                                          ".,.\n"
                                          "-,-\n"
                                          "  NA  ,  - \n"
                                          "\"NA\",\"\"\n"
                                          "2,b\n");
  const StrataColumn *n = column (table, "n");
  const StrataColumn *label = column (table, "label");
  guint rows = strata_table_get_n_rows (table);

  check_invariants (table);
  g_assert_cmpuint (rows, ==, 12);
  g_assert_cmpint (n->type, ==, STRATA_COLUMN_NUMERIC);
  g_assert_cmpfloat (n->values[0], ==, 1);
  g_assert_cmpfloat (n->values[rows - 1], ==, 2);
  for (guint i = 1; i < rows - 1; i++)
    {
      g_assert_true (isnan (n->values[i]));
      g_assert_cmpuint (label->codes[i], ==, STRATA_MISSING_CODE);
    }
  g_assert_cmpuint (label->levels->len, ==, 2);

  /* other spellings are values */
  {
    g_autoptr(StrataTable) other = load_ok ("x\n1\nnan\nNULL\n");
    const StrataColumn *x = column (other, "x");

    g_assert_cmpint (x->type, !=, STRATA_COLUMN_NUMERIC);
    g_assert_cmpstr (cell_text (x, 1), ==, "nan");
    g_assert_cmpstr (cell_text (x, 2), ==, "NULL");
  }
}

static void
test_numbers_strict (void)
{
  const char *not_numbers[] = {
    "Inf", "-Inf", "inf", "Infinity", "1e309", "-1e400", "0x10", "1e", "e5", "1.2.3",
    "1,5", "+", "--1", "1 000", "12%", "1d5", "١٢", "1e+", ".e1",
  };
  const struct {
    const char *text;
    double value;
  } numbers[] = {
    { "0", 0 }, { "-0", -0.0 }, { "+3", 3 }, { "23.4", 23.4 }, { ".5", 0.5 }, { "5.", 5 },
    { "-0.25", -0.25 }, { "1e5", 1e5 }, { "2.5E-3", 2.5e-3 }, { "007", 7 },
    { "1e-400", 0 }, { "4.9e-324", 4.9e-324 }, { "1.7976931348623157e308", 1.7976931348623157e308 },
    { "123456789012345678901234567890", 123456789012345678901234567890.0 },
    { "0.1000000000000000055511151231257827", 0.1 },
    { "9007199254740993", 9007199254740993.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (not_numbers); i++)
    {
      g_autofree char *text = g_strdup_printf ("x,y\n1,a\n\"%s\",b\n", not_numbers[i]);
      g_autoptr(StrataTable) table = load_ok (text);
      const StrataColumn *x = column (table, "x");
      double v = 42;

      g_test_message ("not a number: %s", not_numbers[i]);
      g_assert_cmpint (x->type, !=, STRATA_COLUMN_NUMERIC);
      g_assert_cmpstr (cell_text (x, 1), ==, not_numbers[i]);
      g_assert_false (strata_table_parse_number (table, not_numbers[i], &v));
      g_assert_cmpfloat (v, ==, 42);
    }
  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *text = g_strdup_printf ("x\n%s\n", numbers[i].text);
      g_autoptr(StrataTable) table = load_ok (text);
      const StrataColumn *x = column (table, "x");

      g_test_message ("number: %s", numbers[i].text);
      g_assert_cmpint (x->type, ==, STRATA_COLUMN_NUMERIC);
      g_assert_cmpfloat (x->values[0], ==, numbers[i].value);
      g_assert_cmpint (signbit (x->values[0]), ==, signbit (numbers[i].value));
    }
}

/* The fast paths give the correctly rounded double, as g_ascii_strtod() does. */
static void
test_numbers_exact (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < 200000; i++)
    {
      char text[64];
      char padded[72];
      guint n_int = g_rand_int_range (rand, 0, 12);
      guint n_frac = g_rand_int_range (rand, 0, 12);
      gsize len = 0;
      double expected, fast = 0, padded_value = 0;

      if (g_rand_boolean (rand))
        text[len++] = '-';
      for (guint k = 0; k < n_int; k++)
        text[len++] = (char) ('0' + g_rand_int_range (rand, 0, 10));
      if (n_frac > 0 || n_int == 0)
        {
          text[len++] = '.';
          for (guint k = 0; k < MAX (n_frac, n_int == 0 ? 1 : 0); k++)
            text[len++] = (char) ('0' + g_rand_int_range (rand, 0, 10));
        }
      if (g_rand_int_range (rand, 0, 4) == 0)
        len += (gsize) g_snprintf (text + len, sizeof text - len, "e%d",
                                   g_rand_int_range (rand, -30, 30));
      text[len] = '\0';
      expected = g_ascii_strtod (text, NULL);

      g_assert_true (strata_number_parse (text, len, FALSE, &fast));
      memset (padded, 'x', sizeof padded);
      memcpy (padded, text, len);
      g_assert_true (strata_number_parse_padded (padded, len, FALSE, &padded_value));
      if (memcmp (&fast, &expected, sizeof (double)) != 0
          || memcmp (&padded_value, &expected, sizeof (double)) != 0)
        g_error ("%s: %.17g and %.17g, expected %.17g", text, fast, padded_value, expected);
    }
}

/* The short-number parser agrees with the general one on arbitrary short strings. */
static void
test_numbers_padded (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  static const char alphabet[] = "0123456789.,-+eE x\"";

  for (guint i = 0; i < 300000; i++)
    {
      char text[16];
      gsize len = g_rand_int_range (rand, 0, 10);

      for (guint k = 0; k < sizeof text; k++)
        text[k] = alphabet[g_rand_int_range (rand, 0, (k < len && g_rand_boolean (rand))
                                                       ? 11 : (gint32) sizeof alphabet - 1)];
      for (int comma = 0; comma < 2; comma++)
        {
          double a = 1, b = 2;
          gboolean ra = strata_number_parse (text, len, comma, &a);
          gboolean rb = strata_number_parse_padded (text, len, comma, &b);

          g_assert_cmpint (ra, ==, rb);
          if (ra)
            g_assert_true (memcmp (&a, &b, sizeof (double)) == 0);
        }
    }
}

/* ---------------------------------------------------------------- types */

static char *
column_of (const char *name, guint n, const char *(*value) (guint i, gpointer data),
           gpointer data)
{
  GString *text = g_string_new (name);

  g_string_append_c (text, '\n');
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s\n", value (i, data));
  return g_string_free (text, FALSE);
}

static const char *
cycle_value (guint i, gpointer data)
{
  static char buffer[32];

  g_snprintf (buffer, sizeof buffer, "L%u", i % GPOINTER_TO_UINT (data));
  return buffer;
}

static StrataColumnType
type_of_cycle (guint n_rows, guint n_levels)
{
  g_autofree char *text = column_of ("x", n_rows, cycle_value, GUINT_TO_POINTER (n_levels));
  g_autoptr(StrataTable) table = load_ok (text);
  const StrataColumn *x = column (table, "x");

  check_invariants (table);
  g_assert_cmpuint (x->levels->len, ==, MIN (n_rows, n_levels));
  return x->type;
}

static void
test_type_inference (void)
{
  /* <= 12 levels: categorical however few rows */
  g_assert_cmpint (type_of_cycle (12, 12), ==, STRATA_COLUMN_CATEGORICAL);
  /* 13 levels need 26 non-missing cells */
  g_assert_cmpint (type_of_cycle (25, 13), ==, STRATA_COLUMN_TEXT);
  g_assert_cmpint (type_of_cycle (26, 13), ==, STRATA_COLUMN_CATEGORICAL);
  /* 50 levels at most */
  g_assert_cmpint (type_of_cycle (100, 50), ==, STRATA_COLUMN_CATEGORICAL);
  g_assert_cmpint (type_of_cycle (1000, 51), ==, STRATA_COLUMN_TEXT);

  /* levels in order of first appearance, text kept as written */
  {
    g_autoptr(StrataTable) table = load_ok ("r,v\nPR,1.50\nCR,x\nPR,1.50\nNR,\nCR,2\n");
    const StrataColumn *r = column (table, "r");
    const StrataColumn *v = column (table, "v");

    check_invariants (table);
    g_assert_cmpstr (g_ptr_array_index (r->levels, 0), ==, "PR");
    g_assert_cmpstr (g_ptr_array_index (r->levels, 1), ==, "CR");
    g_assert_cmpstr (g_ptr_array_index (r->levels, 2), ==, "NR");
    g_assert_cmpuint (r->codes[2], ==, 0);
    g_assert_cmpint (v->type, ==, STRATA_COLUMN_CATEGORICAL);
    g_assert_cmpstr (cell_text (v, 0), ==, "1.50");
    g_assert_cmpstr (cell_text (v, 1), ==, "x");
    g_assert_cmpstr (cell_text (v, 4), ==, "2");
    g_assert_null (cell_text (v, 3));
  }

  /* an all-missing column is numeric, with a warning */
  {
    g_autoptr(StrataTable) table = load_ok ("a,b\n1,\n2,NA\n");

    g_assert_cmpint (column (table, "b")->type, ==, STRATA_COLUMN_NUMERIC);
    assert_warning (table, "column \"b\" has no values");
  }
}

/* A column that looks numeric for many rows and then is not: the early rows are
 * re-read, and their levels come first. */
static void
test_late_switch (void)
{
  g_autoptr(GString) text = g_string_new ("id,dose,flag\n");
  g_autoptr(StrataTable) table = NULL;
  const StrataColumn *dose;

  for (guint i = 0; i < 500; i++)
    {
      if (i == 20)
        g_string_append (text, "\n");   /* a blank line must not shift the rows */
      if (i == 30)
        g_string_append (text, "x,y\n");  /* nor a rejected one */
      g_string_append_printf (text, "%u,%s,%u\n", i,
                              i == 400 ? "unknown" : i % 7 == 0 ? "NA" : i % 3 == 0 ? "1.0" : "2",
                              i % 2);
    }
  table = load_ok (text->str);
  check_invariants (table);
  dose = column (table, "dose");
  g_assert_cmpint (dose->type, ==, STRATA_COLUMN_CATEGORICAL);
  g_assert_cmpuint (dose->levels->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (dose->levels, 0), ==, "2");   /* row 1 */
  g_assert_cmpstr (g_ptr_array_index (dose->levels, 1), ==, "1.0"); /* row 3 */
  g_assert_cmpstr (g_ptr_array_index (dose->levels, 2), ==, "unknown");
  for (guint i = 0; i < 500; i++)
    {
      const char *expected = i == 400 ? "unknown" : i % 7 == 0 ? NULL : i % 3 == 0 ? "1.0" : "2";

      g_assert_cmpstr (cell_text (dose, i), ==, expected);
    }
  g_assert_cmpint (column (table, "flag")->type, ==, STRATA_COLUMN_NUMERIC);
  g_assert_cmpuint (strata_table_get_rejected (table)->len, ==, 1);
}

/* ---------------------------------------------------------------- headers, rows */

static void
test_headers (void)
{
  g_autoptr(StrataTable) table = load_ok (" id ,age,,age,\"age\",column_6,\n"
                                          "1,2,3,4,5,6,7\n");
  const char *names[] = { "id", "age", "column_3", "age_2", "age_3", "column_6", "column_7" };

  check_invariants (table);
  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    g_assert_cmpstr (strata_table_get_column (table, c)->name, ==, names[c]);
  assert_warning (table, "column 3 has no name; it was named \"column_3\"");
  assert_warning (table, "columns 2 and 4 are both named \"age\"; column 4 was renamed \"age_2\"");
  assert_warning (table, "columns 2 and 5 are both named \"age\"; column 5 was renamed \"age_3\"");
  assert_warning (table, "column 7 has no name; it was named \"column_7\"");

  /* a generated name never takes a name the file gives another column */
  {
    g_autoptr(StrataTable) t = load_ok ("a,a,a_2,,column_4\n1,2,3,4,5\n");
    const char *expected[] = { "a", "a_3", "a_2", "column_4_2", "column_4" };

    for (guint c = 0; c < G_N_ELEMENTS (expected); c++)
      g_assert_cmpstr (strata_table_get_column (t, c)->name, ==, expected[c]);
    check_invariants (t);
  }
}

static void
test_many_renamed_headers (void)
{
  g_autoptr(GString) text = g_string_new ("");
  g_autoptr(StrataTable) table = NULL;

  for (guint c = 0; c < 100; c++)
    g_string_append (text, c ? ",x" : "x");
  g_string_append (text, "\n");
  for (guint c = 0; c < 100; c++)
    g_string_append (text, c ? ",1" : "1");
  g_string_append (text, "\n");
  table = load_ok (text->str);
  check_invariants (table);
  g_assert_cmpstr (strata_table_get_column (table, 99)->name, ==, "x_100");
  g_assert_cmpuint (strata_table_get_warnings (table)->len, ==, 21);
  assert_warning (table, "79 more column names were changed");
}

static void
test_ragged_rows (void)
{
  g_autoptr(StrataTable) table = load_ok ("id,site,time\n"
                                          "1,BM,10\n"
                                          "2,CNS,20,x\n"
                                          "3,EMD,30\n"
                                          "4,BM\n"
                                          "5,\"CNS,\nx\",50,6\n"
                                          "6,BM,60,\n"
                                          "7,BM,70,,  ,\n");
  GPtrArray *rejected = strata_table_get_rejected (table);
  const guint *lines = strata_table_get_lines (table);
  const StrataIssue *issue;

  check_invariants (table);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 4);
  g_assert_cmpuint (rejected->len, ==, 3);

  issue = g_ptr_array_index (rejected, 0);
  g_assert_cmpuint (issue->line, ==, 3);
  g_assert_null (issue->column);
  g_assert_cmpstr (issue->reason, ==,
                   "has 4 fields but the header has 3; check for an unquoted delimiter");
  issue = g_ptr_array_index (rejected, 1);
  g_assert_cmpuint (issue->line, ==, 5);
  g_assert_cmpstr (issue->reason, ==,
                   "has 2 fields but the header has 3; check for a missing delimiter or a "
                   "line break in an unquoted value");
  issue = g_ptr_array_index (rejected, 2);
  g_assert_cmpuint (issue->line, ==, 6);

  /* trailing delimiters are accepted; lines follow the multi-line record */
  g_assert_cmpuint (lines[0], ==, 2);
  g_assert_cmpuint (lines[1], ==, 4);
  g_assert_cmpuint (lines[2], ==, 8);
  g_assert_cmpuint (lines[3], ==, 9);
  g_assert_cmpfloat (column (table, "time")->values[3], ==, 70);
  assert_warning (table, "3 lines were left out because their number of fields differs "
                  "from the header's (the first is line 3)");
}

static void
test_blank_lines (void)
{
  g_autoptr(StrataTable) table = load_ok ("\n\nid,time\n1,10\n\n2,20\n \n\t\n3,30\n\n\n  \n");
  const guint *lines = strata_table_get_lines (table);

  check_invariants (table);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 3);
  g_assert_cmpuint (lines[0], ==, 4);
  g_assert_cmpuint (lines[1], ==, 6);
  g_assert_cmpuint (lines[2], ==, 9);
  assert_warning (table, "3 blank lines were skipped (the first is line 5)");
  g_assert_cmpuint (strata_table_get_warnings (table)->len, ==, 1);

  {
    g_autoptr(StrataTable) one = load_ok ("id,time\n1,10\n\n2,20\n\n");

    assert_warning (one, "line 3 is blank and was skipped");
    g_assert_cmpuint (strata_table_get_warnings (one)->len, ==, 1);
  }
  {
    g_autoptr(StrataTable) trailing = load_ok ("id,time\n1,10\n2,20\n\n\n");

    g_assert_cmpuint (strata_table_get_warnings (trailing)->len, ==, 0);
  }
}

/* ---------------------------------------------------------------- errors */

static void
test_empty (void)
{
  assert_load_error ("", 0, STRATA_IMPORT_ERROR_EMPTY, "test.csv is empty");
  assert_load_error ("\xEF\xBB\xBF", 3, STRATA_IMPORT_ERROR_EMPTY,
                     "test.csv has no data: it holds only blank lines or spaces");
  assert_load_error (" \r\n\t\n", 5, STRATA_IMPORT_ERROR_EMPTY,
                     "test.csv has no data: it holds only blank lines or spaces");
  assert_load_error ("id,time\n", 8, STRATA_IMPORT_ERROR_EMPTY,
                     "test.csv has a header line but no data rows");
  assert_load_error ("id,time", 7, STRATA_IMPORT_ERROR_EMPTY,
                     "test.csv has a header line but no data rows");
  assert_load_error ("id,time\n\n \n", 11, STRATA_IMPORT_ERROR_EMPTY,
                     "test.csv has a header line but no data rows");
  assert_load_error ("id,site,time\n1,2\n3,4,5,6\n", 25, STRATA_IMPORT_ERROR_EMPTY,
                     "test.csv has no usable rows: every line after the header has a "
                     "different number of fields than the header's 3 (line 2 has 2 fields "
                     "but the header has 3; check for a missing delimiter or a line break "
                     "in an unquoted value)");
}

static void
test_binary (void)
{
  const char nul[] = "id,time\n1,\0002\n";
  const char png[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR";
  g_autofree char *controls = g_strnfill (100, '\x01');

  assert_load_error (nul, sizeof nul - 1, STRATA_IMPORT_ERROR_BINARY,
                     "test.csv does not look like a text table (binary data at byte 11); "
                     "export it as CSV");
  assert_load_error (png, sizeof png - 1, STRATA_IMPORT_ERROR_BINARY,
                     "test.csv does not look like a text table (binary data at byte 9); "
                     "export it as CSV");
  assert_load_error (controls, 100, STRATA_IMPORT_ERROR_BINARY,
                     "test.csv does not look like a text table (binary data at byte 1); "
                     "export it as CSV");

  /* one stray control character is text */
  {
    g_autoptr(GString) text = g_string_new ("id,note\n");
    g_autoptr(StrataTable) table = NULL;

    for (guint i = 0; i < 10; i++)
      g_string_append_printf (text, "%u,note %u\n", i, i);
    g_string_append (text, "10,bell\x07\n");
    table = load_ok (text->str);
    g_assert_cmpstr (cell_text (column (table, "note"), 10), ==, "bell\x07");
  }
}

static void
test_load_file_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StrataTable) table = strata_table_load_file ("/nonexistent/cohort.csv", &error);

  g_assert_null (table);
  g_assert_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO);
  g_assert_cmpstr (error->message, ==,
                   "/nonexistent/cohort.csv: cannot open the file: No such file or directory");
  g_clear_error (&error);

  table = strata_table_load_file ("/", &error);
  g_assert_null (table);
  g_assert_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "/ is a folder, not a file");
}

/* load_file() reads the file read-only and leaves it unchanged. */
static void
test_load_file_unchanged (void)
{
  const char *text = "id,time\n1,10\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("strata-import-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cohort.csv", NULL);
  g_autoptr(StrataTable) table = NULL;
  g_autofree char *after = NULL;
  GStatBuf before_stat, after_stat;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  g_assert_cmpint (g_stat (path, &before_stat), ==, 0);

  table = strata_table_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (strata_table_get_display_name (table), ==, path);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 1);

  g_assert_true (g_file_get_contents (path, &after, NULL, &error));
  g_assert_cmpstr (after, ==, text);
  g_assert_cmpint (g_stat (path, &after_stat), ==, 0);
  g_assert_cmpint (before_stat.st_mtime, ==, after_stat.st_mtime);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ---------------------------------------------------------------- the malformed corpus */

typedef struct {
  const char *file;
  int code;               /* -1: loads */
  const char *message;    /* after "PATH", for errors */
} CorpusCase;

static const CorpusCase corpus[] = {
  { "empty.csv", STRATA_IMPORT_ERROR_EMPTY, " is empty" },
  { "whitespace-only.csv", STRATA_IMPORT_ERROR_EMPTY,
    " has no data: it holds only blank lines or spaces" },
  { "header-only.csv", STRATA_IMPORT_ERROR_EMPTY, " has a header line but no data rows" },
  { "header-then-blank-lines.csv", STRATA_IMPORT_ERROR_EMPTY,
    " has a header line but no data rows" },
  { "all-ragged.csv", STRATA_IMPORT_ERROR_EMPTY,
    " has no usable rows: every line after the header has a different number of fields "
    "than the header's 3 (line 2 has 2 fields but the header has 3; check for a missing "
    "delimiter or a line break in an unquoted value)" },
  { "binary.csv", STRATA_IMPORT_ERROR_BINARY,
    " does not look like a text table (binary data at byte 21); export it as CSV" },
  { "control-bytes.csv", STRATA_IMPORT_ERROR_BINARY,
    " does not look like a text table (binary data at byte 9); export it as CSV" },
  { "unterminated-quote.csv", STRATA_IMPORT_ERROR_SYNTAX,
    ": line 3, column 2: quoted field is never closed" },
  { "unterminated-quote-header.csv", STRATA_IMPORT_ERROR_SYNTAX,
    ": line 1, column 2: quoted field is never closed" },
  { "bom-bad-utf8.csv", STRATA_IMPORT_ERROR_ENCODING,
    " starts with a UTF-8 byte order mark but byte 15 is not valid UTF-8; "
    "save it again as CSV UTF-8" },
  { "undefined-cp1252.csv", STRATA_IMPORT_ERROR_ENCODING,
    " is neither UTF-8 nor Windows-1252 text (byte 21 is 0x81); save it as CSV UTF-8" },
  { "utf16-without-bom.csv", STRATA_IMPORT_ERROR_ENCODING,
    " looks like UTF-16 text without a byte order mark; save it as CSV UTF-8" },
  { "ragged.csv", -1, NULL },
  { "cp1252.csv", -1, NULL },
  { "utf16le.csv", -1, NULL },
  { "duplicate-headers.csv", -1, NULL },
  { "blank-middle.csv", -1, NULL },
  { "text-after-quote.csv", -1, NULL },
  { "trailing-delimiter.csv", -1, NULL },
};

static char *
corpus_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "malformed", name, NULL);
}

/* What each loadable corpus file must give. */
static void
check_corpus_table (const char *name, StrataTable *table)
{
  check_invariants (table);
  if (g_str_equal (name, "ragged.csv"))
    {
      GPtrArray *rejected = strata_table_get_rejected (table);
      const StrataIssue *first = g_ptr_array_index (rejected, 0);
      const StrataIssue *second = g_ptr_array_index (rejected, 1);

      g_assert_cmpuint (strata_table_get_n_rows (table), ==, 3);
      g_assert_cmpuint (rejected->len, ==, 2);
      g_assert_cmpuint (first->line, ==, 3);
      g_assert_cmpstr (first->reason, ==,
                       "has 4 fields but the header has 3; check for an unquoted delimiter");
      g_assert_cmpuint (second->line, ==, 5);
      g_assert_cmpstr (second->reason, ==,
                       "has 2 fields but the header has 3; check for a missing delimiter or "
                       "a line break in an unquoted value");
      assert_warning (table, "2 lines were left out because their number of fields differs "
                      "from the header's (the first is line 3)");
    }
  else if (g_str_equal (name, "cp1252.csv"))
    {
      g_assert_cmpstr (strata_table_get_encoding (table), ==,
                       "Windows-1252 (converted to UTF-8)");
      assert_warning (table, "the file is not UTF-8; it was read as Windows-1252 and "
                      "converted to UTF-8");
      g_assert_cmpstr (cell_text (column (table, "name"), 0), ==, "Müller");
      g_assert_cmpstr (cell_text (column (table, "name"), 1), ==, "François");
      g_assert_cmpstr (cell_text (column (table, "name"), 2), ==, "€uro");
    }
  else if (g_str_equal (name, "utf16le.csv"))
    {
      g_assert_cmpstr (strata_table_get_encoding (table), ==, "UTF-16LE (converted to UTF-8)");
      assert_warning (table, "the file is UTF-16LE text; it was converted to UTF-8");
      g_assert_cmpstr (cell_text (column (table, "name"), 0), ==, "Müller");
    }
  else if (g_str_equal (name, "duplicate-headers.csv"))
    {
      assert_warning (table, "columns 2 and 3 are both named \"age\"; column 3 was renamed "
                      "\"age_2\"");
      assert_warning (table, "column 4 has no name; it was named \"column_4\"");
      assert_warning (table, "columns 2 and 5 are both named \"age\"; column 5 was renamed "
                      "\"age_3\"");
      g_assert_nonnull (strata_table_find_column (table, "age_3"));
    }
  else if (g_str_equal (name, "blank-middle.csv"))
    {
      g_assert_cmpuint (strata_table_get_n_rows (table), ==, 3);
      assert_warning (table, "line 4 is blank and was skipped");
      g_assert_cmpuint (strata_table_get_lines (table)[2], ==, 5);
    }
  else if (g_str_equal (name, "text-after-quote.csv"))
    {
      g_assert_cmpstr (cell_text (column (table, "name"), 0), ==, "Smith Jr");
      assert_warning (table, "line 2: text after a closing quote was kept as part of the "
                      "value");
    }
  else if (g_str_equal (name, "trailing-delimiter.csv"))
    {
      g_assert_cmpuint (strata_table_get_n_rows (table), ==, 3);
      g_assert_cmpuint (strata_table_get_n_columns (table), ==, 2);
      g_assert_cmpuint (strata_table_get_rejected (table)->len, ==, 0);
    }
  else
    g_assert_not_reached ();
}

static void
test_corpus (gconstpointer data)
{
  const CorpusCase *c = data;
  g_autofree char *path = corpus_path (c->file);
  g_autoptr(GError) error = NULL;
  g_autoptr(StrataTable) table = strata_table_load_file (path, &error);

  if (c->code < 0)
    {
      g_assert_no_error (error);
      check_corpus_table (c->file, table);
    }
  else
    {
      g_autofree char *expected = g_strconcat (path, c->message, NULL);

      g_assert_null (table);
      g_assert_error (error, STRATA_IMPORT_ERROR, c->code);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

/* Every file in the corpus directory has a case. */
static void
test_corpus_complete (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "malformed", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
  const char *name;
  guint n = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      gboolean found = FALSE;

      if (!g_str_has_suffix (name, ".csv"))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
        found |= g_str_equal (corpus[i].file, name);
      if (!found)
        g_error ("malformed/%s has no expected outcome in test-import.c", name);
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (corpus));
}

/* ---------------------------------------------------------------- robustness */

static void
load_anything (const char *data, gsize length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StrataTable) table = strata_table_load_data ("fuzz.csv", data, length, &error);

  g_assert_true ((table == NULL) != (error == NULL));
  if (table != NULL)
    check_invariants (table);
  else
    {
      g_assert_true (error->domain == STRATA_IMPORT_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_true (g_str_has_prefix (error->message, "fuzz.csv"));
    }
}

static void
test_fuzz_random_bytes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  guchar buffer[512];

  for (guint round = 0; round < 3000; round++)
    {
      gsize length = g_rand_int_range (rand, 0, sizeof buffer);

      for (gsize i = 0; i < length; i++)
        buffer[i] = (guchar) g_rand_int_range (rand, 0, 256);
      load_anything ((const char *) buffer, length);
    }
}

/* Random text made of the characters that matter to a CSV reader. */
static void
test_fuzz_csv_alphabet (void)
{
  static const char *pieces[] = {
    ",", ";", "\t", "\"", "\"\"", "\n", "\r", "\r\n", " ", "a", "1", "2.5", "-", "NA", ".",
    "1,5", "\xC3\xA9", "\xE9", "x y", "1e5", "\xEF\xBB\xBF", "",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (2);

  for (guint round = 0; round < 20000; round++)
    {
      g_autoptr(GString) text = g_string_new ("");
      guint n = g_rand_int_range (rand, 0, 80);

      for (guint i = 0; i < n; i++)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      load_anything (text->str, text->len);
    }
}

/* Valid files with a few bytes changed. */
static void
test_fuzz_mutations (void)
{
  static const char *seed =
    "id,site,time,event,note\n"
    "1,BM,10.5,1,\"Smith, J\"\n"
    "2,CNS,20,0,\"said \"\"no\"\"\"\n"
    "3,EMD,NA,1,\"multi\nline\"\n"
    "4,BM,40,,plain\n";
  static const char replacements[] = ",;\t\"\n\r 0a.\x80\xC3";
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  gsize length = strlen (seed);

  for (guint round = 0; round < 20000; round++)
    {
      g_autofree char *text = g_memdup2 (seed, length + 1);
      guint n = g_rand_int_range (rand, 1, 4);

      for (guint i = 0; i < n; i++)
        text[g_rand_int_range (rand, 0, (gint32) length)] =
          replacements[g_rand_int_range (rand, 0, sizeof replacements - 1)];
      load_anything (text, g_rand_int_range (rand, 0, (gint32) length + 1));
    }
}

static void
test_many_columns (void)
{
  guint n = 100000;
  g_autoptr(GString) text = g_string_sized_new (n * 16);
  g_autoptr(StrataTable) table = NULL;

  for (guint c = 0; c < n; c++)
    g_string_append_printf (text, c ? ",c%u" : "c%u", c);
  g_string_append_c (text, '\n');
  for (guint r = 0; r < 3; r++)
    {
      for (guint c = 0; c < n; c++)
        g_string_append_printf (text, c ? ",%u" : "%u", (c + r) % 10);
      g_string_append_c (text, '\n');
    }
  table = load_ok (text->str);
  g_assert_cmpuint (strata_table_get_n_columns (table), ==, n);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 3);
  g_assert_cmpfloat (column (table, "c99999")->values[2], ==, (99999 + 2) % 10);
  check_invariants (table);

  /* a record with far more fields than the header is counted, not stored */
  g_string_assign (text, "a,b\n1,2\n");
  for (guint c = 0; c < 2 * n; c++)
    g_string_append (text, "x,");
  g_string_append (text, "\n3,4\n");
  {
    g_autoptr(StrataTable) t = load_ok (text->str);
    const StrataIssue *issue = g_ptr_array_index (strata_table_get_rejected (t), 0);

    g_assert_cmpuint (strata_table_get_n_rows (t), ==, 2);
    g_assert_cmpstr (issue->reason, ==,
                     "has 200001 fields but the header has 2; check for an unquoted delimiter");
  }
}

static void
test_huge_field (void)
{
  gsize n = 8 * 1024 * 1024;
  g_autoptr(GString) text = g_string_sized_new (n + 64);
  g_autoptr(StrataTable) table = NULL;
  const StrataColumn *note;

  g_string_append (text, "id,note\n1,\"");
  for (gsize i = 0; i < n / 8; i++)
    g_string_append (text, "ab,\"\"c\n ");
  g_string_append (text, "\"\n2,x\n");
  table = load_ok (text->str);
  note = column (table, "note");
  g_assert_cmpuint (strlen (cell_text (note, 0)), ==, n / 8 * 7);
  g_assert_cmpuint (strata_table_get_lines (table)[1], ==, 3 + n / 8);

  /* one long line without quotes, and a number of 100000 digits */
  g_string_assign (text, "x\n");
  for (gsize i = 0; i < 100000; i++)
    g_string_append_c (text, '1');
  g_string_append (text, "\n2\n");
  {
    g_autoptr(StrataTable) t = load_ok (text->str);

    g_assert_cmpint (column (t, "x")->type, !=, STRATA_COLUMN_NUMERIC);  /* 1e100000 */
  }
}

/* Random tables written as RFC 4180 read back cell for cell. */
static void
test_round_trip (void)
{
  static const char *alphabet[] = { "a", "b", " ", ",", ";", "\t", "\"", "\n", "\r\n", "é", "x" };
  static const char *delimiters[] = { ",", ";", "\t" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);

  for (guint round = 0; round < 400; round++)
    {
      guint n_rows = g_rand_int_range (rand, 1, 12);
      guint n_columns = g_rand_int_range (rand, 1, 6);
      const char *delimiter = delimiters[g_rand_int_range (rand, 0, 3)];
      const char *eol = g_rand_boolean (rand) ? "\n" : "\r\n";
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GString) text = g_string_new ("");
      g_autoptr(StrataTable) table = NULL;
      g_autoptr(GError) error = NULL;

      for (guint c = 0; c < n_columns; c++)
        g_string_append_printf (text, "%scol%u", c ? delimiter : "", c);
      g_string_append (text, eol);
      for (guint r = 0; r < n_rows; r++)
        {
          for (guint c = 0; c < n_columns; c++)
            {
              /* "v" first: never a number nor a missing token */
              GString *cell = g_string_new ("v");
              guint len = g_rand_int_range (rand, 0, 6);

              for (guint k = 0; k < len; k++)
                g_string_append (cell, alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))]);
              if (g_rand_boolean (rand))
                g_string_append_c (cell, 'z');
              if (c > 0)
                g_string_append (text, delimiter);
              if (strpbrk (cell->str, ",;\t\"\r\n ") != NULL)
                {
                  g_autofree char *escaped = NULL;
                  g_auto(GStrv) parts = g_strsplit (cell->str, "\"", -1);

                  escaped = g_strjoinv ("\"\"", parts);
                  g_string_append_printf (text, "\"%s\"", escaped);
                }
              else
                g_string_append (text, cell->str);
              g_ptr_array_add (cells, g_string_free (cell, FALSE));
            }
          if (r + 1 < n_rows || g_rand_boolean (rand))
            g_string_append (text, eol);
        }

      table = strata_table_load_data ("rt.csv", text->str, text->len, &error);
      g_assert_no_error (error);
      check_invariants (table);
      g_assert_cmpuint (strata_table_get_n_rows (table), ==, n_rows);
      g_assert_cmpuint (strata_table_get_n_columns (table), ==, n_columns);
      for (guint r = 0; r < n_rows; r++)
        for (guint c = 0; c < n_columns; c++)
          g_assert_cmpstr (cell_text (strata_table_get_column (table, c), r), ==,
                           g_ptr_array_index (cells, r * n_columns + c));
    }
}

/* A file large enough for two import threads gives what the generator wrote: the
 * result must not depend on how the columns were shared out. */
static void
test_large_file (void)
{
  guint n_rows = 160000;
  g_autoptr(GString) text = g_string_sized_new (n_rows * 48);
  g_autoptr(StrataTable) table = NULL;
  const StrataColumn *id, *age, *site, *late, *note;

  g_string_append (text, "id,age,site,late,note,flag\n");
  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (text, "P%07u,%u.%u,%s,%s,\"n,%u\",%u\n", i, 20 + i % 50, i % 10,
                            i % 3 == 0 ? "BM" : i % 3 == 1 ? "CNS" : "EMD",
                            i == 100000 ? "late" : i % 5 == 0 ? "NA" : "7",
                            i % 100, i % 2);
  g_assert_cmpuint (text->len, >=, 4 * 1024 * 1024);
  table = load_ok (text->str);
  check_invariants (table);
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, n_rows);

  id = column (table, "id");
  age = column (table, "age");
  site = column (table, "site");
  late = column (table, "late");
  note = column (table, "note");
  g_assert_cmpint (id->type, ==, STRATA_COLUMN_TEXT);
  g_assert_cmpint (age->type, ==, STRATA_COLUMN_NUMERIC);
  g_assert_cmpint (site->type, ==, STRATA_COLUMN_CATEGORICAL);
  g_assert_cmpint (late->type, ==, STRATA_COLUMN_CATEGORICAL);
  g_assert_cmpint (note->type, ==, STRATA_COLUMN_TEXT);
  g_assert_cmpuint (late->levels->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (late->levels, 0), ==, "7");
  for (guint i = 0; i < n_rows; i++)
    {
      char expected[32];

      g_snprintf (expected, sizeof expected, "P%07u", i);
      g_assert_cmpstr (cell_text (id, i), ==, expected);
      g_snprintf (expected, sizeof expected, "%u.%u", 20 + i % 50, i % 10);
      g_assert_cmpfloat (age->values[i], ==, g_ascii_strtod (expected, NULL));
      g_assert_cmpstr (cell_text (late, i), ==, i == 100000 ? "late" : i % 5 == 0 ? NULL : "7");
      g_assert_cmpuint (strata_table_get_lines (table)[i], ==, i + 2);
    }
}

int
main (int argc, char **argv)
{
#ifdef STRATA_TEST_SRCDIR
  if (g_getenv ("G_TEST_SRCDIR") == NULL)
    g_setenv ("G_TEST_SRCDIR", STRATA_TEST_SRCDIR, TRUE);
#endif
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/basic", test_basic);
  g_test_add_func ("/import/ref-counting", test_ref_counting);
  g_test_add_func ("/import/issue", test_issue_new_free);
  g_test_add_func ("/import/quoting", test_quoting);
  g_test_add_func ("/import/line-endings", test_line_endings);
  g_test_add_func ("/import/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/import/text-after-quote", test_text_after_quote);
  g_test_add_func ("/import/encoding/bom", test_bom);
  g_test_add_func ("/import/encoding/windows-1252", test_windows_1252);
  g_test_add_func ("/import/encoding/windows-1252-table", test_windows_1252_table);
  g_test_add_func ("/import/encoding/errors", test_encoding_errors);
  g_test_add_func ("/import/encoding/utf16", test_utf16);
  g_test_add_func ("/import/encoding/utf8-validation", test_utf8_validation);
  g_test_add_func ("/import/delimiter/semicolon-decimal-comma", test_semicolon_decimal_comma);
  g_test_add_func ("/import/delimiter/semicolon-decimal-point", test_semicolon_without_decimal_comma);
  g_test_add_func ("/import/delimiter/comma-never-decimal", test_comma_never_decimal);
  g_test_add_func ("/import/delimiter/tab", test_tab);
  g_test_add_func ("/import/delimiter/sniffing", test_sniffing);
  g_test_add_func ("/import/delimiter/one-column", test_one_column);
  g_test_add_func ("/import/missing", test_missing_tokens);
  g_test_add_func ("/import/numbers/strict", test_numbers_strict);
  g_test_add_func ("/import/numbers/exact", test_numbers_exact);
  g_test_add_func ("/import/numbers/padded", test_numbers_padded);
  g_test_add_func ("/import/types", test_type_inference);
  g_test_add_func ("/import/types/late-switch", test_late_switch);
  g_test_add_func ("/import/headers", test_headers);
  g_test_add_func ("/import/headers/many-renamed", test_many_renamed_headers);
  g_test_add_func ("/import/rows/ragged", test_ragged_rows);
  g_test_add_func ("/import/rows/blank-lines", test_blank_lines);
  g_test_add_func ("/import/errors/empty", test_empty);
  g_test_add_func ("/import/errors/binary", test_binary);
  g_test_add_func ("/import/errors/load-file", test_load_file_errors);
  g_test_add_func ("/import/load-file-unchanged", test_load_file_unchanged);
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      g_autofree char *name = g_strdup_printf ("/import/malformed/%s", corpus[i].file);

      g_test_add_data_func (name, &corpus[i], test_corpus);
    }
  g_test_add_func ("/import/malformed/complete", test_corpus_complete);
  g_test_add_func ("/import/robustness/random-bytes", test_fuzz_random_bytes);
  g_test_add_func ("/import/robustness/csv-alphabet", test_fuzz_csv_alphabet);
  g_test_add_func ("/import/robustness/mutations", test_fuzz_mutations);
  g_test_add_func ("/import/robustness/many-columns", test_many_columns);
  g_test_add_func ("/import/robustness/huge-field", test_huge_field);
  g_test_add_func ("/import/round-trip", test_round_trip);
  g_test_add_func ("/import/large-file", test_large_file);

  return g_test_run ();
}

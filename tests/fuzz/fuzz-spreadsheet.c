/* fuzz-spreadsheet.c: libFuzzer harness of the workbook importer (.xlsx and .ods,
 * strata-spreadsheet.c and strata-zip.c) through strata_table_load_file_options().
 *
 * Each input is a whole file, written to an in-memory file (memfd) and opened by its
 * /proc/self/fd path, so the format is found from the content as for a user's file:
 * seed the corpus with the .xlsx and .ods files of tests/data/formats. The header row
 * is the input's size modulo 3 (0 = the first row with a value, then rows 1 and 2).
 * The sheet list is read too, and each of the first three sheets is loaded by name. A
 * table that loads is walked completely. A GLib critical or warning is a bug and
 * aborts. Built and run by run-fuzz.sh (harness "spreadsheet"). */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "strata-table.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static int memfd = -1;
static char path[64];

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  memfd = memfd_create ("fuzz-spreadsheet", MFD_CLOEXEC);
  g_assert (memfd >= 0);
  g_snprintf (path, sizeof path, "/proc/self/fd/%d", memfd);
  return 0;
}

/* Touches every stored cell so that ASan sees any read out of bounds. */
static guint64
walk_table (const StrataTable *table)
{
  guint n_rows = strata_table_get_n_rows (table);
  guint n_columns = strata_table_get_n_columns (table);
  const guint *lines = strata_table_get_lines (table);
  GPtrArray *warnings = strata_table_get_warnings (table);
  guint64 sum = 0;

  g_assert (n_rows > 0 && n_columns > 0);
  for (guint c = 0; c < n_columns; c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);

      g_assert (g_utf8_validate (column->name, -1, NULL));
      g_assert (strata_table_find_column (table, column->name) != NULL);
      for (guint r = 0; r < n_rows; r++)
        {
          if (column->type == STRATA_COLUMN_NUMERIC)
            sum += isnan (column->values[r]) ? 1 : 0;
          else if (column->codes[r] != STRATA_MISSING_CODE)
            {
              g_assert (column->codes[r] < column->levels->len);
              sum += column->codes[r];
            }
        }
      for (guint l = 0; column->levels != NULL && l < column->levels->len; l++)
        g_assert (g_utf8_validate (g_ptr_array_index (column->levels, l), -1, NULL));
    }
  for (guint r = 0; r < n_rows; r++)
    {
      g_assert (r == 0 || lines[r] > lines[r - 1]);
      sum += lines[r];
    }
  for (guint i = 0; i < warnings->len; i++)
    g_assert (g_utf8_validate (g_ptr_array_index (warnings, i), -1, NULL));
  return sum;
}

/* Loads SHEET (NULL: the first with data); a table is walked, an error checked. */
static void
load (const char *sheet, guint header_row)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file_options (path, sheet, header_row,
                                                                  &error);

  if (table == NULL)
    {
      g_assert (error != NULL && error->domain == STRATA_IMPORT_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert (error == NULL);
  (void) walk_table (table);
  /* rows above the header are ignored (SPSS, SAS and Stata files have no header row) */
  if (header_row > 0 && (g_str_equal (strata_table_get_format (table), "Excel workbook")
                         || g_str_equal (strata_table_get_format (table),
                                         "OpenDocument spreadsheet")
                         || g_str_equal (strata_table_get_format (table), "CSV")))
    g_assert (strata_table_get_lines (table)[0] > header_row);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sheets = NULL;
  guint header_row = (guint) (size % 3);

  g_assert (ftruncate (memfd, 0) == 0);
  g_assert (pwrite (memfd, data, size, 0) == (ssize_t) size);

  load (NULL, header_row);
  sheets = strata_table_list_sheets (path, &error);
  if (sheets == NULL)
    {
      g_assert (error != NULL && error->domain == STRATA_IMPORT_ERROR);
      return 0;
    }
  g_assert (error == NULL);
  for (guint i = 0; i < sheets->len && i < 3; i++)
    {
      g_assert (g_utf8_validate (g_ptr_array_index (sheets, i), -1, NULL));
      load (g_ptr_array_index (sheets, i), header_row);
    }
  return 0;
}

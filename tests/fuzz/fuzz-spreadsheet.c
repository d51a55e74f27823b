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
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz-input.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static FuzzInput input;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  fuzz_input_open (&input, "fuzz-spreadsheet");
  return 0;
}

/* Loads SHEET (NULL: the first with data); a table is walked, an error checked. */
static void
load (const char *sheet, guint header_row)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file_options (input.path, sheet, header_row,
                                                                  &error);

  if (table == NULL)
    {
      g_assert (error != NULL && error->domain == STRATA_IMPORT_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert (error == NULL);
  (void) fuzz_walk_table (table, FUZZ_WALK_NONEMPTY | FUZZ_WALK_LINES_INCREASING);
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

  fuzz_input_write (&input, data, size);

  load (NULL, header_row);
  sheets = strata_table_list_sheets (input.path, &error);
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

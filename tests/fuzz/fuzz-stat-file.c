/* fuzz-stat-file.c: libFuzzer harness of the SPSS, Stata and SAS import (ReadStat,
 * src/core/strata-stat-file.c) through the public entry point, strata_table_load_file_sheet.
 *
 * Each input is a whole file, written to one in-memory file (memfd: no disk in the loop)
 * and loaded by its name, /proc/self/fd/N. The format is sniffed from the content, as
 * for a file the user opens: "$FL2", "<stata_dta>", the SAS7BDAT magic number, a SAS
 * transport header; anything else takes the other paths.
 * The corpus (run-fuzz.sh) is the .sav, .zsav, .dta, .xpt and .sas7bdat fixtures. A
 * table that loads is walked completely (every cell, level, description and warning).
 * A GLib critical or warning is a bug and aborts. Built and run by run-fuzz.sh. */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>

#include "strata-table.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *path;
static int fd = -1;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  gsl_set_error_handler_off ();
  fd = memfd_create ("fuzz-stat-file", MFD_CLOEXEC);
  g_assert (fd >= 0);
  path = g_strdup_printf ("/proc/self/fd/%d", fd);
  return 0;
}

static guint64
walk_table (const StrataTable *table)
{
  guint n_rows = strata_table_get_n_rows (table);
  guint n_columns = strata_table_get_n_columns (table);
  const guint *lines = strata_table_get_lines (table);
  GPtrArray *warnings = strata_table_get_warnings (table);
  guint64 sum = 0;

  g_assert (g_utf8_validate (strata_table_get_format (table), -1, NULL));
  for (guint c = 0; c < n_columns; c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);
      const char *description = strata_table_get_column_description (table, c);

      g_assert (g_utf8_validate (column->name, -1, NULL));
      g_assert (strata_table_find_column (table, column->name) != NULL);
      g_assert (description == NULL || g_utf8_validate (description, -1, NULL));
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
    sum += lines[r];
  for (guint i = 0; i < warnings->len; i++)
    g_assert (g_utf8_validate (g_ptr_array_index (warnings, i), -1, NULL));
  return sum;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = NULL;
  size_t done = 0;

  g_assert (ftruncate (fd, 0) == 0);
  while (done < size)
    {
      ssize_t n = pwrite (fd, data + done, size - done, (off_t) done);
      g_assert (n > 0);
      done += (size_t) n;
    }
  table = strata_table_load_file_sheet (path, NULL, &error);
  if (table == NULL)
    {
      g_assert (error != NULL && error->domain == STRATA_IMPORT_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (error == NULL);
  (void) walk_table (table);
  return 0;
}

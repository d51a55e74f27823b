/* fuzz-input.h: what the libFuzzer harnesses of cohort files share: handing the input
 * to an importer as a file (fuzz-spreadsheet.c, fuzz-stat-file.c), and walking a table
 * that loaded (those two and fuzz-csv.c). Header-only (static inline): run-fuzz.sh
 * builds each harness from its one .c file with clang.
 *
 * The input goes to an in-memory file (memfd: no disk in the loop, nothing left behind)
 * opened by its name /proc/self/fd/N, so the importer finds the format from the content
 * as it does for a user's file. Needs _GNU_SOURCE (memfd_create), defined before any
 * system header. */
#pragma once

#include <glib.h>
#include <math.h>
#include <sys/mman.h>
#include <unistd.h>

#include "strata-table.h"

/* The in-memory file every input is written to. */
typedef struct {
  int fd;
  char path[64];   /* "/proc/self/fd/N" */
} FuzzInput;

/* Creates INPUT's memfd, named NAME (shown in /proc/self/fd); from LLVMFuzzerInitialize. */
static inline void
fuzz_input_open (FuzzInput *input, const char *name)
{
  input->fd = memfd_create (name, MFD_CLOEXEC);
  g_assert (input->fd >= 0);
  g_snprintf (input->path, sizeof input->path, "/proc/self/fd/%d", input->fd);
}

/* Makes DATA (SIZE bytes) the whole content of INPUT's file: truncated, then written
 * from offset 0 until every byte is in (pwrite may write less than asked). */
static inline void
fuzz_input_write (FuzzInput *input, const uint8_t *data, size_t size)
{
  size_t done = 0;

  g_assert (ftruncate (input->fd, 0) == 0);
  while (done < size)
    {
      ssize_t n = pwrite (input->fd, data + done, size - done, (off_t) done);
      g_assert (n > 0);
      done += (size_t) n;
    }
}

/* What fuzz_walk_table() checks beyond what holds for every table. */
typedef enum {
  FUZZ_WALK_NONEMPTY = 1 << 0,          /* at least one row and one column */
  FUZZ_WALK_ENCODING = 1 << 1,          /* an encoding, valid UTF-8 (text files) */
  FUZZ_WALK_LINES_INCREASING = 1 << 2,  /* each row's source line after the last */
} FuzzWalkFlags;

/* Touches every stored cell of TABLE so that ASan sees any read out of bounds, and
 * checks what a loaded table promises: its format, column names, descriptions, levels,
 * rejected rows' reasons and warnings are valid UTF-8; each column is found by its
 * name; each category code is one of the column's levels; plus the checks of FLAGS.
 * Returns a sum of what it read, so that the reads cannot be optimized away. */
static inline guint64
fuzz_walk_table (const StrataTable *table, FuzzWalkFlags flags)
{
  guint n_rows = strata_table_get_n_rows (table);
  guint n_columns = strata_table_get_n_columns (table);
  const guint *lines = strata_table_get_lines (table);
  GPtrArray *rejected = strata_table_get_rejected (table);
  GPtrArray *warnings = strata_table_get_warnings (table);
  guint64 sum = 0;

  if (flags & FUZZ_WALK_NONEMPTY)
    g_assert (n_rows > 0 && n_columns > 0);
  if (flags & FUZZ_WALK_ENCODING)
    g_assert (g_utf8_validate (strata_table_get_encoding (table), -1, NULL));
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
    {
      if (flags & FUZZ_WALK_LINES_INCREASING)
        g_assert (r == 0 || lines[r] > lines[r - 1]);
      sum += lines[r];
    }
  for (guint i = 0; rejected != NULL && i < rejected->len; i++)
    {
      const StrataIssue *issue = g_ptr_array_index (rejected, i);
      g_assert (g_utf8_validate (issue->reason, -1, NULL));
    }
  for (guint i = 0; i < warnings->len; i++)
    g_assert (g_utf8_validate (g_ptr_array_index (warnings, i), -1, NULL));
  return sum;
}

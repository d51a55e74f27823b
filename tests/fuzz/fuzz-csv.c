/* fuzz-csv.c: libFuzzer harness of the cohort file importer (strata_table_load_data).
 *
 * Each input is a whole file. A table that loads is walked completely (every column,
 * level, rejected row and warning). Compiled with -DFUZZ_ANALYSIS (the harness
 * fuzz-analysis), it is then analysed with the default specification (time and event
 * auto-detected), as the GUI does after an import: slower, so a separate harness.
 * A GLib critical or warning is a bug and aborts. Built and run by run-fuzz.sh. */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "strata-analysis.h"
#include "strata-table.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  gsl_set_error_handler_off ();
  return 0;
}

/* Touches every stored cell so that ASan sees any read out of bounds. */
static guint64
walk_table (const StrataTable *table)
{
  guint n_rows = strata_table_get_n_rows (table);
  guint n_columns = strata_table_get_n_columns (table);
  const guint *lines = strata_table_get_lines (table);
  GPtrArray *rejected = strata_table_get_rejected (table);
  GPtrArray *warnings = strata_table_get_warnings (table);
  guint64 sum = 0;

  g_assert (n_rows > 0 && n_columns > 0);
  g_assert (g_utf8_validate (strata_table_get_encoding (table), -1, NULL));
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
    sum += lines[r];
  for (guint i = 0; i < rejected->len; i++)
    {
      const StrataIssue *issue = g_ptr_array_index (rejected, i);
      g_assert (g_utf8_validate (issue->reason, -1, NULL));
    }
  for (guint i = 0; i < warnings->len; i++)
    g_assert (g_utf8_validate (g_ptr_array_index (warnings, i), -1, NULL));
  return sum;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_data ("fuzz.csv", (const char *) data,
                                                          size, &error);

  if (table == NULL)
    {
      g_assert (error != NULL && error->domain == STRATA_IMPORT_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (error == NULL);
  (void) walk_table (table);

#ifdef FUZZ_ANALYSIS
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  g_autoptr (StrataResult) result = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert ((result == NULL) == (error != NULL));
#endif
  return 0;
}

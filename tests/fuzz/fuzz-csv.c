/* fuzz-csv.c: libFuzzer harness of the cohort file importer (strata_table_load_data).
 *
 * Each input is a whole file. A table that loads is walked completely (every column,
 * level, rejected row and warning). Compiled with -DFUZZ_ANALYSIS (the harness
 * fuzz-analysis), it is then analysed with the default specification (time and event
 * auto-detected), as the GUI does after an import: slower, so a separate harness.
 * A GLib critical or warning is a bug and aborts. Built and run by run-fuzz.sh. */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "strata-analysis.h"
#include "fuzz-input.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  gsl_set_error_handler_off ();
  return 0;
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
  (void) fuzz_walk_table (table, FUZZ_WALK_NONEMPTY | FUZZ_WALK_ENCODING);

#ifdef FUZZ_ANALYSIS
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  g_autoptr (StrataResult) result = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert ((result == NULL) == (error != NULL));
#endif
  return 0;
}

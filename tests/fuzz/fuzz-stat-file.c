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
#include <stdint.h>
#include <gsl/gsl_errno.h>

#include "fuzz-input.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static FuzzInput input;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  gsl_set_error_handler_off ();
  fuzz_input_open (&input, "fuzz-stat-file");
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = NULL;

  fuzz_input_write (&input, data, size);
  table = strata_table_load_file_sheet (input.path, NULL, &error);
  if (table == NULL)
    {
      g_assert (error != NULL && error->domain == STRATA_IMPORT_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (error == NULL);
  (void) fuzz_walk_table (table, 0);
  return 0;
}

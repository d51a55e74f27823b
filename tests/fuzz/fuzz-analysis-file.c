/* fuzz-analysis-file.c: libFuzzer harness of the .strata analysis file parser
 * (strata_analysis_file_load_data, src/core/strata-analysis-file.c).
 *
 * Each input is a whole file. One that loads is written back (strata_analysis_file_to_data),
 * and that text must load again and write back to the same text: saving what was opened
 * loses nothing and adds nothing. The corpus (run-fuzz.sh) is the .strata files of
 * tests/ and tests/fuzz/corpus-analysis-file. A GLib critical or warning is a bug and
 * aborts. Built and run by run-fuzz.sh. */
#include <stdint.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "strata-analysis-file.h"

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
  g_autoptr (StrataAnalysisFile) file = NULL;
  g_autoptr (StrataAnalysisFile) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  file = strata_analysis_file_load_data ("fuzz.strata", (const char *) data, (gssize) size,
                                         &error);
  if (file == NULL)
    {
      g_assert (error != NULL && error->domain == STRATA_ANALYSIS_FILE_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert (error == NULL);
  g_assert (file->view != NULL);
  text = strata_analysis_file_to_data (file);
  g_assert (g_utf8_validate (text, -1, NULL));
  again = strata_analysis_file_load_data ("fuzz.strata", text, -1, &error);
  if (again == NULL)
    g_error ("what was written does not load: %s\n%s", error->message, text);
  text_again = strata_analysis_file_to_data (again);
  if (strcmp (text, text_again) != 0)
    g_error ("written twice, not the same:\n%s\n---\n%s", text, text_again);
  return 0;
}

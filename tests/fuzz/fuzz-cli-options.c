/* fuzz-cli-options.c: libFuzzer harness of the analysis specification parsers behind
 * strata-report's options (strata_spec_add_by/where/response, set_landmarks,
 * set_conf_level/conf_type, split_list) and of the analysis they drive, on a small
 * fixed cohort.
 *
 * The input is lines "K VALUE", K choosing the option: b --by, w --where, r --response,
 * l --landmarks, c --conf-level, t --conf-type, o --order, e --event-values,
 * f --reference, s --status, T --time, E --event. When every option parses, the
 * analysis runs. A GLib critical or warning is a bug and aborts. */
#include <stdint.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "strata-analysis.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Every column kind: numeric times, 0/1 and 0/1/2 codes, categories, a cut-able number,
 * a response with missing values, free text. */
static const char cohort_csv[] =
  "id,time,event,status,arm,age,sex,response,note\n"
  "P1,5,1,1,A,34,F,CR,x\n"
  "P2,8,0,0,A,61,M,PR,\n"
  "P3,8,1,2,B,45,F,NA,y\n"
  "P4,12,1,1,B,70,M,SD,z\n"
  "P5,3.5,0,0,C,29,F,CR,\"a,b\"\n"
  "P6,20,1,1,A,55,M,PD,w\n"
  "P7,0,1,2,C,48,F,PR,v\n"
  "P8,15,0,0,B,66,NA,CR,u\n"
  "P9,7,1,1,C,52,M,SD,t\n"
  "P10,30,0,0,A,40,F,PD,s\n";

static StrataCohort *cohort;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = NULL;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  gsl_set_error_handler_off ();
  table = strata_table_load_data ("cohort.csv", cohort_csv, sizeof cohort_csv - 1, &error);
  g_assert_no_error (error);
  cohort = strata_cohort_new (table);
  return 0;
}

static void
replace (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* Applies one option line; FALSE when its value does not parse. */
static gboolean
apply_option (StrataSpec *spec, char key, const char *value, GError **error)
{
  switch (key)
    {
    case 'b': return strata_spec_add_by (spec, value, error);
    case 'w': return strata_spec_add_where (spec, value, error);
    case 'r': return strata_spec_add_response (spec, value, error);
    case 'l': return strata_spec_set_landmarks (spec, value, error);
    case 'c': return strata_spec_set_conf_level (spec, value, error);
    case 't': return strata_spec_set_conf_type (spec, value, error);
    case 'o':
      g_strfreev (spec->order);
      return (spec->order = strata_spec_split_list (value, "--order", error)) != NULL;
    case 'e':
      g_strfreev (spec->event_values);
      return (spec->event_values = strata_spec_split_list (value, "--event-values", error)) != NULL;
    case 'f': replace (&spec->reference, value); return TRUE;
    case 's': replace (&spec->status_column, value); return TRUE;
    case 'T': replace (&spec->time_column, value); return TRUE;
    case 'E': replace (&spec->event_column, value); return TRUE;
    default: return TRUE;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);  /* stops at a NUL, as argv */
  g_auto (GStrv) lines = g_strsplit (text, "\n", 16);
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  g_autoptr (GError) error = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      if (!apply_option (spec, lines[i][0], lines[i] + 1 + (lines[i][1] == ' '), &error))
        {
          g_assert (error != NULL && error->domain == STRATA_SPEC_ERROR);
          g_assert (g_utf8_validate (error->message, -1, NULL) || !g_utf8_validate (text, -1, NULL));
          return 0;
        }
      g_assert (error == NULL);
    }

  g_autoptr (StrataSpec) copy = strata_spec_copy (spec);
  g_autoptr (StrataResult) result = strata_analysis_run (cohort, copy, NULL, &error);
  g_assert ((result == NULL) == (error != NULL));
  return 0;
}

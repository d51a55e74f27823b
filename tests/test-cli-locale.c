/* test-cli-locale.c: strata-report stays English in a German session. The core's
 * messages (import errors, excluded rows, the event rule) are translated for the GUI;
 * the CLI's output is a contract and must not follow the user's language. Run with
 * LANGUAGE=de and STRATA_LOCALEDIR=<build>/po/locale (the catalogues compiled into the
 * build tree, which strata-report binds as the GUI does): the first test proves that the
 * German catalogue is within reach in this environment, so English output from the CLI
 * is its own doing (LC_MESSAGES "C"), not a catalogue that could not be found. */
#include "config.h"

#include <glib.h>
#include <libintl.h>
#include <locale.h>
#include <string.h>

#include "cli-test-util.h"

/* Runs strata-report with ARGS in a German session: LANGUAGE=de and, when the system
 * has it, LC_ALL=de_DE.UTF-8 (else C.UTF-8, with which LANGUAGE still applies). */
static void
run_report_german (Run *run, const char *const *args)
{
  g_auto (GStrv) envp = g_get_environ ();
  const char *german = setlocale (LC_ALL, "de_DE.UTF-8") != NULL ? "de_DE.UTF-8" : "C.UTF-8";

  setlocale (LC_ALL, "");
  envp = g_environ_setenv (envp, "LANGUAGE", "de", TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", german, TRUE);
  run_report_env (run, envp, args);
}

static char *
test_file (const char *dir, const char *name)
{
  return g_test_build_filename (G_TEST_DIST, dir, name, NULL);
}

/* The messages checked below have German translations that this process, which binds
 * the domain as strata-report does but keeps the user's LC_MESSAGES, does find. */
static void
test_catalogue_in_reach (void)
{
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "de");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "%s is empty"), ==, "%s ist leer");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "time is missing"), ==, "die Zeit fehlt");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "event status is missing"), ==,
                   "der Ereignisstatus fehlt");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "event: %s; censored: %s"), ==,
                   "Ereignis: %s; zensiert: %s");
}

/* An import error on standard error. */
static void
test_error_english (void)
{
  g_auto (Run) run = { 0 };
  g_autofree char *file = test_file ("malformed", "empty.csv");

  run_report_german (&run, (const char *const[]) { file, NULL });
  g_assert_cmpint (run.exit_status, ==, 1);
  g_test_message ("stderr: %s", run.err);
  g_assert_nonnull (strstr (run.err, "empty.csv is empty"));
  g_assert_null (strstr (run.err, "ist leer"));
}

/* Excluded rows with their reasons, in the JSON report and on standard error, and the
 * event rule in the text report. */
static void
test_excluded_rows_english (void)
{
  g_auto (Run) json = { 0 };
  g_auto (Run) text = { 0 };
  g_autofree char *file = test_file ("data", "cli-bad-rows.csv");

  run_report_german (&json, (const char *const[]) { "--json=-", "--by=site", file, NULL });
  g_assert_cmpint (json.exit_status, ==, 0);
  g_assert_nonnull (strstr (json.out, "\"reason\": \"time is missing\""));
  g_assert_nonnull (strstr (json.out, "event status is missing"));
  g_assert_nonnull (strstr (json.err, "line 6, column “os_status”: event value “2” is neither an "
                                      "event nor a censoring (event: 1, yes"));
  g_assert_null (strstr (json.out, "fehlt"));
  g_assert_null (strstr (json.err, "Ereignis"));

  run_report_german (&text, (const char *const[]) { "--by=site", file, NULL });
  g_assert_cmpint (text.exit_status, ==, 0);
  g_assert_nonnull (strstr (text.out, "(event: 1, yes, true"));
  g_assert_nonnull (strstr (text.out, "Kaplan–Meier estimates"));
  g_assert_null (strstr (text.out, "Ereignis"));
}

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("STRATA_LOCALEDIR");

  setlocale (LC_ALL, "");
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-locale/catalogue-in-reach", test_catalogue_in_reach);
  g_test_add_func ("/cli-locale/error", test_error_english);
  g_test_add_func ("/cli-locale/excluded-rows", test_excluded_rows_english);
  return g_test_run ();
}

/* cli-test-util.h: running strata-report from a test, shared by test-cli.c,
 * test-cli-locale.c and (through gui-test-util.h) the GUI tests, which compare the
 * window's numbers with the CLI's JSON. Header-only (static inline): each test is one
 * executable built from one .c file, and tests/screenshots/take-screenshots.sh builds
 * with plain cc. Needs GLib only; the executable is $STRATA_REPORT (tests/meson.build). */
#pragma once

#include <glib.h>
#include <sys/wait.h>

/* One run of strata-report: its exit status and everything it wrote. */
typedef struct {
  int exit_status;
  char *out;
  char *err;
} Run;

static inline void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs $STRATA_REPORT with ARGS (NULL-terminated) in the environment ENVP (NULL: this
 * process's) and fills RUN. Asserts that $STRATA_REPORT is set, that it could be
 * started and that it exited (rather than died of a signal); the exit status itself is
 * the caller's to check. */
static inline void
run_report_env (Run *run, char **envp, const char *const *args)
{
  const char *report = g_getenv ("STRATA_REPORT");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_assert_nonnull (report);
  g_ptr_array_add (argv, (gpointer) report);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &run->out,
                &run->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->exit_status = WEXITSTATUS (wait_status);
}

/* run_report_env() in this process's environment. */
static inline void
run_report (Run *run, const char *const *args)
{
  run_report_env (run, NULL, args);
}

/* The standard output of strata-report --json=- ARGS, which must succeed (exit status
 * 0; its standard error is shown in the test log when it does not). */
static inline char *
run_report_json (const char *const *args)
{
  g_autoptr (GPtrArray) with_json = g_ptr_array_new ();
  g_auto (Run) run = { 0 };

  g_ptr_array_add (with_json, (gpointer) "--json=-");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (with_json, (gpointer) args[i]);
  g_ptr_array_add (with_json, NULL);
  run_report (&run, (const char *const *) with_json->pdata);
  if (run.exit_status != 0)
    g_test_message ("strata-report exited with %d:\n%s", run.exit_status, run.err);
  g_assert_cmpint (run.exit_status, ==, 0);
  return g_steal_pointer (&run.out);
}

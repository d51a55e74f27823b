/* valgrind-gui-smoke.c: the GUI smoke run that valgrind-gui.sh checks with memcheck.
 *
 * Opens a window on the demo cohort, waits for the first result, switches the CNS
 * stratum off and on again through the panel's action, waits for each recompute,
 * closes the window and releases the application: the import worker, the analysis
 * worker, the Kaplan–Meier view, the summary and the response tables all run once and
 * are torn down, with nothing exported. Exits 0 when every step happened, 1 otherwise
 * (memcheck's own verdict is valgrind-gui.sh's). Needs a display (Xvfb). */
#include <gsl/gsl_errno.h>
#include <gtk/gtk.h>

#include "strata-application.h"
#include "strata-window.h"

#define WAIT_SECONDS 300   /* memcheck runs the program some 30 times slower */

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until WINDOW has no import or analysis running, then drains the
 * idles queued by the result (redraws). FALSE on time-out. */
static gboolean
wait_until_idle (StrataWindow *window)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, set_flag_cb, &timed_out);

  while (strata_window_get_busy (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  for (guint i = 0; i < 200 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  return !timed_out;
}

/* Runs the main loop until the object at *WEAK is finalized; FALSE on time-out. */
static gboolean
wait_finalized (gpointer *weak)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, set_flag_cb, &timed_out);

  while (*weak != NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *weak != NULL ? FALSE : TRUE;
}

static gboolean
toggle_site (StrataWindow *window, gboolean active)
{
  GtkWidget *panel = GTK_WIDGET (strata_window_get_panel (window));

  /* "panel.toggle-site" flips the stratum; ACTIVE is what it should become. */
  if (!gtk_widget_activate_action (panel, "panel.toggle-site", "s", "CNS"))
    return FALSE;
  if (!wait_until_idle (window))
    return FALSE;
  return strata_window_get_result (window) != NULL &&
         strata_window_get_result (window)->groups->len == (active ? 3u : 2u);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  StrataApplication *application;
  StrataWindow *window;
  gpointer weak;

  gsl_set_error_handler_off ();
  if (!gtk_init_check ())
    {
      g_printerr ("valgrind-gui-smoke: no display (run under xvfb-run)\n");
      return 1;
    }
  application = strata_application_new (G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (application), NULL, &error))
    {
      g_printerr ("valgrind-gui-smoke: %s\n", error->message);
      return 1;
    }

  window = strata_window_new (GTK_APPLICATION (application));
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  strata_window_open_demo (window);
  if (!wait_until_idle (window) || strata_window_get_result (window) == NULL ||
      strata_window_get_result (window)->groups->len != 3)
    {
      g_printerr ("valgrind-gui-smoke: the demo cohort did not open\n");
      return 1;
    }
  if (!toggle_site (window, FALSE) || !toggle_site (window, TRUE))
    {
      g_printerr ("valgrind-gui-smoke: toggling the CNS stratum failed\n");
      return 1;
    }

  gtk_window_destroy (GTK_WINDOW (window));
  if (!wait_finalized (&weak))
    {
      g_printerr ("valgrind-gui-smoke: the window was not finalized\n");
      return 1;
    }
  g_object_unref (application);
  g_print ("valgrind-gui-smoke: demo opened, CNS toggled off and on, window closed\n");
  return 0;
}

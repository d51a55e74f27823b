/* test-translation.c: the Strata window comes up translated. Run under Xvfb with
 * LANGUAGE=de, LC_ALL=C.UTF-8 and STRATA_LOCALEDIR=<build>/po/locale (the catalogues
 * compiled into the build tree), it opens the window as main.c does and looks for German
 * text among the labels: the empty window's status page, then the strata panel, the
 * summary table and the menu of the demo cohort's window. */
#include "config.h"

#include <glib/gi18n.h>
#include <gsl/gsl_errno.h>
#include <locale.h>
#include <string.h>

#include "strata-application.h"
#include "strata-result-text.h"
#include "strata-window.h"

#define WAIT_SECONDS 60

static StrataApplication *application;

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until_idle (StrataWindow *window)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, set_flag_cb, &timed_out);

  while (strata_window_get_busy (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  for (guint i = 0; i < 200 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Every label's text under WIDGET, one a line. */
static void
collect_labels (GtkWidget *widget, GString *text)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, text);
}

static gboolean
has_label (GtkWidget *widget, const char *wanted)
{
  g_autoptr (GString) text = g_string_new ("\n");
  g_autofree char *line = g_strdup_printf ("\n%s\n", wanted);

  collect_labels (widget, text);
  if (strstr (text->str, line) == NULL)
    {
      g_test_message ("no label “%s” among:%s", wanted, text->str);
      return FALSE;
    }
  return TRUE;
}

static void
test_catalogue (void)
{
  /* The catalogue itself: a C string, a plural form and a context. */
  g_assert_cmpstr (_("No Cohort Open"), ==, "Keine Kohorte geöffnet");
  g_assert_cmpstr (ngettext ("%u row excluded…", "%u rows excluded…", 3), ==, "%u Zeilen ausgeschlossen …");
  g_assert_cmpstr (C_("number of patients", "n"), ==, "n");
  g_assert_cmpstr (strata_result_text_group_label (NULL), ==, "Alle Patienten");
}

static void
test_empty_window (void)
{
  StrataWindow *window = g_object_ref (strata_window_new (GTK_APPLICATION (application)));

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  wait_until_idle (window);
  /* The status page (C) and its button (.ui). */
  g_assert_true (has_label (GTK_WIDGET (window), "Keine Kohorte geöffnet"));
  g_assert_true (has_label (GTK_WIDGET (window), "Ihre Kohorte öffnen …"));
  g_assert_false (has_label (GTK_WIDGET (window), "No Cohort Open"));
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until_idle (window);
  g_assert_finalize_object (window);
}

static void
test_demo_window (void)
{
  StrataWindow *window = g_object_ref (strata_window_new (GTK_APPLICATION (application)));
  GtkWidget *widget = GTK_WIDGET (window);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  strata_window_open_demo (window);
  wait_until_idle (window);
  /* The strata panel (.ui), the endpoint names (C, N_) and the summary table (C). */
  g_assert_true (has_label (widget, "Endpunkt"));
  g_assert_true (has_label (widget, "Konfidenzintervalle"));
  g_assert_true (has_label (widget, "Gesamtüberleben"));
  g_assert_true (has_label (widget, "Überleben nach Gruppe"));
  g_assert_true (has_label (widget, "Gruppe"));
  g_assert_true (has_label (widget, "Ereignisse"));
  g_assert_true (has_label (widget, "Hazard Ratio (95-%-KI)"));
  g_assert_false (has_label (widget, "Survival by group"));
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until_idle (window);
  g_assert_finalize_object (window);
}

/* Without a display none of the window can be checked: that is a failure of the test
 * set-up (meson runs this test under xvfb-run), not something to pass over. */
static void
test_no_display (void)
{
  g_test_fail_printf ("no display: run this test under xvfb-run (package xvfb)");
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  const char *localedir = g_getenv ("STRATA_LOCALEDIR");
  int status;

  /* As main.c: the user's locale with LC_NUMERIC kept at "C", the build tree's catalogues. */
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  g_test_add_func ("/translation/catalogue", test_catalogue);
  if (!gtk_init_check ())
    {
      g_test_add_func ("/translation/no-display", test_no_display);
      return g_test_run ();
    }
  setlocale (LC_NUMERIC, "C");
  application = strata_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/translation/empty-window", test_empty_window);
  g_test_add_func ("/translation/demo-window", test_demo_window);
  status = g_test_run ();
  g_object_unref (application);
  return status;
}

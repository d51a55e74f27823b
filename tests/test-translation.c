/* test-translation.c: the Strata window comes up translated. Run under Xvfb with
 * LANGUAGE=de, LC_ALL=C.UTF-8 and STRATA_LOCALEDIR=<build>/po/locale (the catalogues
 * compiled into the build tree), it opens the window as main.c does and looks for German
 * text among the labels: the empty window's status page, then the strata panel, the
 * summary table and the menu of the demo cohort's window. The Kaplan–Meier figure (the
 * shared renderer, as the view and the exports draw it) sets its own words in German,
 * and the import assistant's report shows the core's import messages in German. */
#include "config.h"

#include <cairo-script.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <locale.h>
#include <string.h>

#include "strata-application.h"
#include "strata-column-roles.h"
#include "strata-export-settings.h"
#include "strata-import-assistant.h"
#include "strata-km-plot.h"
#include "strata-km-view.h"
#include "strata-result-text.h"
#include "strata-window.h"

#include "gui-test-util.h"

static StrataApplication *application;

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
  gui_test_wait_until_idle (window);
  /* The status page (C) and its button (.ui). */
  g_assert_true (has_label (GTK_WIDGET (window), "Keine Kohorte geöffnet"));
  g_assert_true (has_label (GTK_WIDGET (window), "Ihre Kohorte öffnen …"));
  g_assert_false (has_label (GTK_WIDGET (window), "No Cohort Open"));
  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_wait_until_idle (window);
  g_assert_finalize_object (window);
}

static void
test_demo_window (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  GtkWidget *widget = GTK_WIDGET (window);

  /* The strata panel (.ui), the endpoint names (C, N_) and the summary table (C). */
  g_assert_true (has_label (widget, "Endpunkt"));
  g_assert_true (has_label (widget, "Konfidenzintervalle"));
  g_assert_true (has_label (widget, "Gesamtüberleben"));
  g_assert_true (has_label (widget, "Überleben nach Gruppe"));
  g_assert_true (has_label (widget, "Gruppe"));
  g_assert_true (has_label (widget, "Ereignisse"));
  g_assert_true (has_label (widget, "Hazard Ratio\n(95-%-KI)"));
  /* The time unit of os_months, in the table's headings and the plot's x axis. */
  g_assert_true (has_label (widget, "Median, Monate\n(95-%-KI)"));
  g_assert_cmpstr (strata_km_view_get_style (strata_window_get_km_view (window))->x_label, ==,
                   "Zeit, Monate");
  g_assert_false (has_label (widget, "Survival by group"));
  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_wait_until_idle (window);
  g_assert_finalize_object (window);
}

static cairo_status_t
append_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_string_append_len (closure, (const char *) data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* The figure of RESULT in STYLE as cairo's script surface records it: each run of
 * glyphs comes with its text as a PostScript string, e.g. "(Anzahl unter Risiko) [...]
 * show-text-glyphs" (bytes outside ASCII as octal escapes). The confidence bands, which
 * hold no text, are left out: the script surface refuses their paths (status
 * INVALID_PATH_DATA) where the image, PDF and SVG targets draw them. */
static char *
figure_script (const StrataResult *result, const StrataPlotStyle *figure_style)
{
  g_autoptr (StrataPlotStyle) style = strata_plot_style_copy (figure_style);
  GString *script = g_string_new (NULL);
  cairo_device_t *device = cairo_script_create_for_stream (append_cb, script);
  cairo_surface_t *surface = cairo_script_surface_create (device, CAIRO_CONTENT_COLOR_ALPHA,
                                                          style->width, style->height);
  cairo_t *cr = cairo_create (surface);

  style->show_ci = FALSE;

  strata_km_plot_draw (cr, result, style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  cairo_device_finish (device);
  cairo_device_destroy (device);
  return g_string_free (script, FALSE);
}

static gboolean
script_has_text (const char *script, const char *text)
{
  g_autofree char *run = g_strdup_printf ("(%s)", text);

  if (strstr (script, run) == NULL)
    {
      g_test_message ("no text run “%s” in the figure", run);
      return FALSE;
    }
  return TRUE;
}

/* The figure of the demo cohort's window, with the view's style and with the style of a
 * figure export: the risk table's heading, the KMunicate rows, the legend's counts and
 * the default axis label are German, and no English word of the renderer is left. */
static void
test_figure (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataExportSettings settings;

  GtkWidget *view = gui_test_find_by_type (GTK_WIDGET (window), STRATA_TYPE_KM_VIEW);
  g_assert_nonnull (view);
  StrataResult *result = strata_km_view_get_result (STRATA_KM_VIEW (view));
  g_assert_nonnull (result);
  g_autoptr (StrataPlotStyle) style = strata_plot_style_copy (strata_km_view_get_style (STRATA_KM_VIEW (view)));
  style->show_risk_table = TRUE;
  style->kmunicate = FALSE;
  g_autofree char *table = figure_script (result, style);
  g_assert_true (script_has_text (table, "Anzahl unter Risiko"));
  g_assert_null (strstr (table, "Number at risk"));
  /* The legend's counts, "(n = …, … Ereignisse)" ("\\)": the script escapes parentheses). */
  g_assert_nonnull (strstr (table, " Ereignisse\\)"));
  g_assert_null (strstr (table, " events\\)"));

  style->kmunicate = TRUE;
  g_autofree char *kmunicate = figure_script (result, style);
  g_assert_true (script_has_text (kmunicate, "Unter Risiko"));
  g_assert_true (script_has_text (kmunicate, "Ereignisse"));
  g_assert_true (script_has_text (kmunicate, "Zensiert"));
  g_assert_null (strstr (kmunicate, "(Censored)"));

  /* An exported figure starts from the renderer's default style ("Zeit" on the x axis
   * until the window sets its own label). */
  strata_export_settings_init (&settings);
  g_autoptr (StrataPlotStyle) export_style = strata_export_settings_make_style (&settings, result, NULL);
  export_style->show_risk_table = TRUE;
  g_autofree char *exported = figure_script (result, export_style);
  g_assert_true (script_has_text (exported, "Anzahl unter Risiko"));
  g_assert_true (script_has_text (exported, "Zeit"));
  g_assert_null (strstr (exported, "(Time)"));

  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_wait_until_idle (window);
  g_assert_finalize_object (window);
}

/* The import assistant's report (the text of its report page) on the file at PATH. */
static char *
import_report (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  StrataImportAssistant *assistant = g_object_ref (gui_test_new_assistant (file, 0, 0));
  char *report = strata_import_assistant_dup_report (assistant);

  g_test_message ("%s", report);
  gtk_window_destroy (GTK_WINDOW (assistant));
  gui_test_drain ();
  g_assert_finalize_object (assistant);
  return report;
}

/* A malformed CSV in the import assistant: rows the reader could not use (too many or too
 * few fields) and a row the cohort leaves out (no time); then tests/data/cli-bad-rows.csv,
 * with an event value that is neither an event nor a censoring. The report lists the
 * core's messages in German, with the GUI's advice in place of the CLI's --event-values
 * hint. */
static void
test_import_report (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("strata-translation-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "ragged.csv", NULL);
  g_assert_true (g_file_set_contents (path,
                                      "id,os_months,os_status\n"
                                      "1,5.5,1\n"
                                      "2,6,0,x\n"
                                      "3,,1\n"
                                      "4,8\n"
                                      "5,12,0\n", -1, &error));
  g_assert_no_error (error);

  /* The table's note and reasons (strata-table.c), the cohort's reason (strata-cohort.c). */
  g_autofree char *report = import_report (path);
  g_assert_nonnull (strstr (report, "2 Zeilen wurden ausgelassen, weil ihre Feldanzahl von der der "
                                    "Kopfzeile abweicht (die erste ist Zeile 3)"));
  g_assert_nonnull (strstr (report, "hat 4 Felder, die Kopfzeile aber 3; prüfen Sie auf ein "
                                    "Trennzeichen ohne Anführungszeichen"));
  g_assert_nonnull (strstr (report, "hat 2 Felder, die Kopfzeile aber 3"));
  g_assert_nonnull (strstr (report, "die Zeit fehlt"));
  g_assert_null (strstr (report, "fields but the header"));
  g_assert_null (strstr (report, "time is missing"));

  g_autofree char *bad_rows = g_test_build_filename (G_TEST_DIST, "data", "cli-bad-rows.csv", NULL);
  g_autofree char *reasons = import_report (bad_rows);
  g_assert_nonnull (strstr (reasons, "der Ereigniswert „2“ ist weder ein Ereignis noch eine "
                                     "Zensierung (Ereignis: 1"));
  g_assert_nonnull (strstr (reasons, "im Import-Assistenten"));
  g_assert_nonnull (strstr (reasons, "die Zeit -3 ist negativ"));
  g_assert_null (strstr (reasons, "--event-values"));
  g_assert_null (strstr (reasons, "is neither"));

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char *argv[])
{
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
  application = gui_test_application_new ("/translation/no-display");
  if (application == NULL)
    return g_test_run ();
  setlocale (LC_NUMERIC, "C");   /* gtk_init() set the user's locale again */

  g_test_add_func ("/translation/empty-window", test_empty_window);
  g_test_add_func ("/translation/demo-window", test_demo_window);
  g_test_add_func ("/translation/figure", test_figure);
  g_test_add_func ("/translation/import-report", test_import_report);
  status = g_test_run ();
  g_object_unref (application);
  return status;
}

/* take-screenshots.c: the screenshots of data/screenshots/ (issues 4 and 5), made by
 * driving the real Strata window the way tests/test-window.c does: the demo cohort,
 * the strata panel's actions (panel.toggle-site, panel.compare-by), a user's CSV in the
 * import assistant, and the dark style. Each state is drawn by GTK itself
 * (gtk_widget_paintable_new → GtkSnapshot → gsk_renderer_render_texture) and saved
 * with gdk_texture_save_to_png(), so no screen grabber is needed; it runs under Xvfb.
 *
 *   take-screenshots OUTPUT_DIR [SHOT...]
 *
 * SHOT is one of os-by-site, mrd-by-site, emd-by-burden, cns-by-burden,
 * import-assistant, import-assistant-report, dark (default: all). Before each file is
 * written the program checks that the numbers the screenshot is meant to show are
 * those on screen (the summary and response tables' footers), and fails otherwise.
 * take-screenshots.sh builds and runs it. */
#include "config.h"

#include <glib/gi18n.h>
#include <gsl/gsl_errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "strata-application.h"
#include "strata-import-assistant.h"
#include "strata-response-view.h"
#include "strata-summary-view.h"
#include "strata-window.h"

#include "gui-test-util.h"

static StrataApplication *application;
static const char *output_dir;
static int window_width = 1280, window_height = 800;

/* ---- main-loop helpers (the shared ones are in tests/gui-test-util.h) ------------------ */

/* Lets animations (revealers, stack crossfades, toasts sliding in) finish. */
static void
settle (GtkWidget *widget, guint milliseconds)
{
  gui_test_run_for (milliseconds);
  gui_test_wait_for_frames (widget, 3);
}

/* ---- saving ---------------------------------------------------------------------------- */

/* Draws the toplevel WIDGET as it is now and writes it to OUTPUT_DIR/NAME.png. */
static void
save_widget (GtkWidget *widget, const char *name)
{
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (output_dir, file, NULL);
  g_autoptr (GdkTexture) texture = gui_test_save_png (widget, path);

  g_print ("%s: %d × %d\n", path, gdk_texture_get_width (texture), gdk_texture_get_height (texture));
}

/* ---- checks ---------------------------------------------------------------------------- */

static void
expect_text (const char *shot, const char *where, const char *text, const char *wanted)
{
  if (text == NULL || strstr (text, wanted) == NULL)
    g_error ("%s: %s is “%s”, without “%s”", shot, where, text ? text : "(none)", wanted);
}

/* The cells of the summary table's row LABEL joined by " | ". */
static char *
summary_row_text (StrataWindow *window, const char *label)
{
  StrataSummaryView *view = strata_window_get_summary_view (window);
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint row = 1; strata_summary_view_get_cell (view, row, 0) != NULL; row++)
    if (g_strcmp0 (strata_summary_view_get_cell (view, row, 0), label) == 0)
      {
        for (guint column = 0; strata_summary_view_get_cell (view, row, column) != NULL; column++)
          g_string_append_printf (text, "%s%s", column ? " | " : "",
                                  strata_summary_view_get_cell (view, row, column));
        return g_string_free (g_steal_pointer (&text), FALSE);
      }
  return NULL;
}

static void
expect_row (const char *shot, StrataWindow *window, const char *label, const char *wanted)
{
  g_autofree char *text = summary_row_text (window, label);
  g_autofree char *where = g_strdup_printf ("the summary row %s", label);

  expect_text (shot, where, text, wanted);
  g_print ("  %s\n", text);
}

static void
expect_footer (const char *shot, StrataWindow *window, const char *wanted)
{
  const char *footer = strata_summary_view_get_footer (strata_window_get_summary_view (window));

  expect_text (shot, "the summary footer", footer, wanted);
  g_print ("  %s\n", footer);
}

static StrataResponseView *
find_response_view (StrataWindow *window, const char *column)
{
  /* The list is the window's widgets, not references: free the list only. */
  g_autoptr (GList) views = strata_window_get_response_views (window);

  for (GList *l = views; l != NULL; l = l->next)
    if (g_strcmp0 (strata_response_view_get_table (l->data)->column, column) == 0)
      return l->data;
  return NULL;
}

/* ---- the window in a state ------------------------------------------------------------- */

/* Makes the toplevel WINDOW's own widget WIDTH × HEIGHT: the default size of a toplevel
 * with client-side decorations includes their margins (5 pixels a side under Xvfb). */
static void
fit_size (GtkWindow *window, int width, int height)
{
  int default_width, default_height;

  gui_test_wait_for_frames (GTK_WIDGET (window), 3);
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      int dw = width - gtk_widget_get_width (GTK_WIDGET (window));
      int dh = height - gtk_widget_get_height (GTK_WIDGET (window));
      if (dw == 0 && dh == 0)
        return;
      gtk_window_get_default_size (window, &default_width, &default_height);
      gtk_window_set_default_size (window, default_width + dw, default_height + dh);
      settle (GTK_WIDGET (window), 300);
    }
  g_error ("the window is %d × %d, not %d × %d", gtk_widget_get_width (GTK_WIDGET (window)),
           gtk_widget_get_height (GTK_WIDGET (window)), width, height);
}

static StrataWindow *
open_demo_window_sized (int width, int height)
{
  StrataWindow *window = strata_window_new (GTK_APPLICATION (application));

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  fit_size (GTK_WINDOW (window), width, height);
  strata_window_open_demo (window);
  gui_test_wait_until_idle (window);
  settle (GTK_WIDGET (window), 600);
  return window;
}

static StrataWindow *
open_demo_window (void)
{
  return open_demo_window_sized (window_width, window_height);
}

static void
close_window (StrataWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  gui_test_drain ();
}

static void
activate (StrataWindow *window, const char *action, const char *value)
{
  GtkWidget *panel = GTK_WIDGET (strata_window_get_panel (window));

  if (!gtk_widget_activate_action (panel, action, "s", value))
    g_error ("%s('%s') was not activated", action, value);
  gui_test_wait_until_idle (window);
}

/* Scrolls the results under the plot so that WIDGET is at their top. */
static void
scroll_results_to (StrataWindow *window, GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_point_t point;

  /* A GtkViewport wraps a child that is not scrollable itself. */
  if (GTK_IS_VIEWPORT (child))
    child = gtk_viewport_get_child (GTK_VIEWPORT (child));
  if (!gtk_widget_compute_point (widget, child, &GRAPHENE_POINT_INIT (0, 0), &point))
    g_error ("cannot place the widget in the scrolled results");
  gtk_adjustment_set_value (adjustment, point.y - 6);
  gui_test_wait_for_frames (GTK_WIDGET (window), 3);
}

static void
shot_os_by_site (const char *name)
{
  StrataWindow *window = open_demo_window ();

  /* The seed: 24-month OS EMD 66.7 %, CNS 57.0 %, BM 71.5 %; log-rank p = 0.032. */
  expect_row (name, window, "BM", "71.5");
  expect_row (name, window, "EMD", "66.7");
  expect_row (name, window, "CNS", "57.0");
  expect_footer (name, window, "p = 0.032");
  save_widget (GTK_WIDGET (window), name);
  close_window (window);
}

static void
shot_mrd_by_site (const char *name)
{
  /* 200 pixels taller: the plot, the MRD table and, in the panel, the switch that makes
   * it ("Detectable marrow disease only") in one view. */
  StrataWindow *window = open_demo_window_sized (window_width, window_height + 200);
  StrataResponseView *mrd = find_response_view (window, "mrd_day28");

  if (mrd == NULL)
    g_error ("%s: no MRD table", name);
  /* MRD negativity among patients with detectable marrow disease: BM 93.4 %, EMD 75.0 %,
   * CNS 84.0 %, Fisher p = 0.019. */
  const char *footer = strata_response_view_get_footer (mrd);
  expect_text (name, "the MRD footer", footer, "p = 0.019");
  g_print ("  %s\n", footer);
  scroll_results_to (window, GTK_WIDGET (mrd));
  save_widget (GTK_WIDGET (window), name);
  close_window (window);
}

/* OS by marrow burden within the cohort of SITE (the other two sites unticked). */
static void
shot_by_burden (const char *name, const char *site, const char *high, const char *low,
                const char *p)
{
  StrataWindow *window = open_demo_window ();
  const char *sites[] = { "BM", "EMD", "CNS" };

  for (guint i = 0; i < G_N_ELEMENTS (sites); i++)
    if (g_strcmp0 (sites[i], site) != 0)
      activate (window, "panel.toggle-site", sites[i]);
  activate (window, "panel.compare-by", STRATA_COMPARE_BY_BURDEN);
  settle (GTK_WIDGET (window), 600);

  /* The window's labels of the core's groups bm_blasts_pct<5 and bm_blasts_pct>=5. */
  expect_row (name, window, "Low burden (< 5 % blasts)", low);
  expect_row (name, window, "High burden (≥ 5 % blasts)", high);
  expect_footer (name, window, p);
  save_widget (GTK_WIDGET (window), name);
  close_window (window);
}

static StrataImportAssistant *
open_in_assistant (StrataWindow *window, const char *csv)
{
  g_autoptr (GFile) file = g_file_new_for_path (csv);

  strata_window_open_file (window, file);
  gui_test_wait_until_idle (window);
  StrataImportAssistant *assistant = strata_window_get_import_assistant (window);
  if (assistant == NULL)
    g_error ("no import assistant for %s", csv);
  /* Its default size (ui/strata-import-assistant.ui), without the decorations' margins. */
  int width, height;
  gtk_window_get_default_size (GTK_WINDOW (assistant), &width, &height);
  fit_size (GTK_WINDOW (assistant), width, height);
  settle (GTK_WIDGET (assistant), 600);
  return assistant;
}

static void
shot_import_assistant (const char *name, const char *csv, const char *scroll_to_group)
{
  StrataWindow *window = open_demo_window ();
  StrataImportAssistant *assistant = open_in_assistant (window, csv);
  GtkWidget *widget = GTK_WIDGET (assistant);
  g_autofree char *report = strata_import_assistant_dup_report (assistant);

  g_print ("  import report:\n%s\n", report);
  if (scroll_to_group != NULL)
    {
      GtkWidget *group = gui_test_find_group (widget, scroll_to_group);
      if (group == NULL)
        g_error ("%s: no group “%s” in the assistant", name, scroll_to_group);
      GtkWidget *scroller = gtk_widget_get_ancestor (group, GTK_TYPE_SCROLLED_WINDOW);
      GtkWidget *child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
      graphene_point_t point;
      if (!gtk_widget_compute_point (group, child, &GRAPHENE_POINT_INIT (0, 0), &point))
        g_error ("cannot place “%s”", scroll_to_group);
      gtk_adjustment_set_value (adjustment, point.y - 12);
      gui_test_wait_for_frames (widget, 3);
    }
  save_widget (widget, name);
  gtk_widget_activate_action (widget, "assistant.cancel", NULL);
  gui_test_drain ();
  close_window (window);
}

static void
shot_dark (const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  StrataWindow *window = open_demo_window ();
  if (!adw_style_manager_get_dark (style))
    g_error ("%s: the dark style is not on", name);
  expect_footer (name, window, "p = 0.032");
  save_widget (GTK_WIDGET (window), name);
  close_window (window);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
}

/* The high-contrast style, as GNOME's accessibility setting turns it on (libadwaita reads
 * org.gnome.desktop.a11y.interface high-contrast when there is no portal). */
static void
shot_high_contrast (const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr (GSettings) a11y = g_settings_new ("org.gnome.desktop.a11y.interface");

  g_settings_set_boolean (a11y, "high-contrast", TRUE);
  gui_test_drain ();
  if (!adw_style_manager_get_high_contrast (style))
    g_error ("%s: the high-contrast style is not on", name);
  StrataWindow *window = open_demo_window ();
  expect_footer (name, window, "p = 0.032");
  save_widget (GTK_WIDGET (window), name);
  close_window (window);
  g_settings_set_boolean (a11y, "high-contrast", FALSE);
  gui_test_drain ();
}

/* Large text, as GNOME's accessibility setting makes it: text scaled by 1.5 (GTK's
 * gtk-xft-dpi, which the text-scaling-factor setting feeds). */
static void
shot_large_text (const char *name)
{
  GtkSettings *settings = gtk_settings_get_default ();
  int dpi;

  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  g_object_set (settings, "gtk-xft-dpi", 96 * 1024 * 3 / 2, NULL);
  StrataWindow *window = open_demo_window ();
  expect_footer (name, window, "p = 0.032");
  save_widget (GTK_WIDGET (window), name);
  close_window (window);
  g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
}

/* The Patients tab, CNS only by marrow burden: which records the toggles include. */
static void
shot_patients (const char *name)
{
  StrataWindow *window = open_demo_window_sized (window_width, window_height + 100);

  activate (window, "panel.toggle-site", "BM");
  activate (window, "panel.toggle-site", "EMD");
  activate (window, "panel.compare-by", STRATA_COMPARE_BY_BURDEN);
  if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.show-tables", "s", "patients"))
    g_error ("%s: win.show-tables was not activated", name);
  gui_test_wait_until_idle (window);
  settle (GTK_WIDGET (window), 600);
  if (g_strcmp0 (strata_window_get_tables_page (window), "patients") != 0)
    g_error ("%s: the Patients tab is not shown", name);
  save_widget (GTK_WIDGET (window), name);
  close_window (window);
}

static void
shot_main (void)
{
  const char *locale = setlocale (LC_MESSAGES, NULL);
  g_autofree char *name = NULL;

  if (locale == NULL || g_str_has_prefix (locale, "C") || g_str_has_prefix (locale, "en"))
    name = g_strdup ("main");
  else
    name = g_strdup_printf ("main-%.2s", locale);
  StrataWindow *window = open_demo_window ();
  save_widget (GTK_WIDGET (window), name);
  close_window (window);
}

/* ---- main ------------------------------------------------------------------------------ */

static gboolean
wanted (char **shots, const char *name)
{
  return shots == NULL || shots[0] == NULL || g_strv_contains ((const char *const *) shots, name);
}

int
main (int argc, char *argv[])
{
  const char *source_dir = g_getenv ("STRATA_SOURCE_DIR");

  if (argc < 2)
    {
      g_printerr ("usage: %s OUTPUT_DIR [SHOT...]\n", argv[0]);
      return 2;
    }
  output_dir = argv[1];
  char **shots = argv + 2;
  if (source_dir == NULL)
    source_dir = ".";
  if (g_getenv ("SHOT_WIDTH"))
    window_width = atoi (g_getenv ("SHOT_WIDTH"));
  if (g_getenv ("SHOT_HEIGHT"))
    window_height = atoi (g_getenv ("SHOT_HEIGHT"));

  gsl_set_error_handler_off ();
  /* The build's catalogues, as main.c binds them (SHOT_LOCALE in the script). */
  if (g_getenv ("STRATA_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("STRATA_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  application = gui_test_application_new (NULL);
  if (application == NULL)
    {
      g_printerr ("no display: run under xvfb-run\n");
      return 1;
    }
  g_mkdir_with_parents (output_dir, 0755);
  /* The screenshots are in the light style unless one asks for the dark. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  if (wanted (shots, "os-by-site"))
    shot_os_by_site ("os-by-site");
  if (wanted (shots, "mrd-by-site"))
    shot_mrd_by_site ("mrd-by-site");
  /* The seed: EMD 100 % vs 41.7 %, p = 0.005; CNS 92.3 % vs 33.3 %, p = 0.001
   * (0.00088, which journal style writes p < 0.001). */
  if (wanted (shots, "emd-by-burden"))
    shot_by_burden ("emd-by-burden", "EMD", "41.7", "100", "p = 0.005");
  if (wanted (shots, "cns-by-burden"))
    shot_by_burden ("cns-by-burden", "CNS", "33.3", "92.3", "p < 0.001");
  if (wanted (shots, "import-assistant") || wanted (shots, "import-assistant-report"))
    {
      g_autofree char *csv = g_build_filename (source_dir, "tests", "data", "cli-bad-rows.csv", NULL);
      if (wanted (shots, "import-assistant"))
        shot_import_assistant ("import-assistant", csv, NULL);
      if (wanted (shots, "import-assistant-report"))
        shot_import_assistant ("import-assistant-report", csv, "Import Report");
    }
  if (wanted (shots, "dark"))
    shot_dark ("dark");
  if (wanted (shots, "patients"))
    shot_patients ("patients");
  /* The AppStream screenshot: first launch, in the locale's language (main.png in
   * English, main-LL.png in the language LL of SHOT_LOCALE). */
  if (shots != NULL && shots[0] != NULL && g_strv_contains ((const char *const *) shots, "main"))
    shot_main ();
  if (wanted (shots, "high-contrast"))
    shot_high_contrast ("high-contrast");
  if (wanted (shots, "large-text"))
    shot_large_text ("large-text");

  g_object_unref (application);
  return 0;
}

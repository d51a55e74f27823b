/* test-export-settings.c: what the exports remember in GSettings (the figure choices
 * of the Export Figure dialog, the last folder of the file dialogs), and the window's
 * workbook holding every response table the window shows. Headless under Xvfb, with
 * GSETTINGS_BACKEND=memory and the schema of the build tree. */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "strata-application.h"
#include "strata-export-dialog.h"
#include "strata-last-folder.h"
#include "strata-export-settings.h"
#include "strata-km-view.h"
#include "strata-report-json.h"
#include "strata-strata-panel.h"
#include "strata-window.h"

#include "gui-test-util.h"

#define PYTHON "/usr/bin/python3"
#define DETECTABLE_TITLE "MRD negativity among patients with detectable marrow disease"

static StrataApplication *application;
static StrataResult *lung_result;

/* ---- helpers ------------------------------------------------------------------------- */

/* tests/data/lung.csv by group. */
static StrataResult *
lung (void)
{
  if (lung_result == NULL)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "lung.csv", NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
      g_assert_no_error (error);
      g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
      g_autoptr (StrataSpec) spec = strata_spec_new ();
      spec->time_column = g_strdup ("time");
      spec->event_column = g_strdup ("event");
      g_assert_true (strata_spec_add_by (spec, "group", &error));
      lung_result = strata_analysis_run (cohort, spec, NULL, &error);
      g_assert_no_error (error);
    }
  return lung_result;
}

static GtkWindow *
new_parent (void)
{
  GtkWindow *parent = GTK_WINDOW (gtk_application_window_new (GTK_APPLICATION (application)));

  gtk_window_present (parent);
  return parent;
}

/* Whether WINDOW is still one of GTK's toplevels. */
static gboolean
is_toplevel (gpointer window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (toplevels, i);
      if (item == window)
        return TRUE;
    }
  return FALSE;
}

/* Closes DIALOG as Escape or the close button would: it is gone. */
static void
close_dialog (StrataExportDialog *dialog)
{
  gtk_window_close (GTK_WINDOW (dialog));
  gui_test_drain ();
  g_assert_false (is_toplevel (dialog));
}

/* The string setting KEY of SETTINGS is WANTED (the copy freed). */
static void
assert_setting (GSettings *settings, const char *key, const char *wanted)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, wanted);
}

/* ---- the figure choices -------------------------------------------------------------- */

/* A dialog opened with no settings shows the remembered ones; changed and closed, it
 * leaves its choices for the next one. */
static void
test_dialog_remembers (void)
{
  GSettings *gsettings = strata_application_get_settings (application);
  GtkWindow *parent = new_parent ();
  StrataExportDialog *dialog;
  const StrataExportSettings *shown;

  g_settings_reset (gsettings, "palette");
  g_settings_reset (gsettings, "figure-format");
  g_settings_reset (gsettings, "figure-size");
  g_settings_reset (gsettings, "figure-dpi");
  dialog = strata_export_dialog_new (parent, lung (), NULL, NULL, "lung");
  gtk_window_present (GTK_WINDOW (dialog));
  shown = strata_export_dialog_get_settings (dialog);
  g_assert_cmpint (shown->palette, ==, STRATA_PALETTE_OKABE_ITO);
  g_assert_cmpint (shown->format, ==, STRATA_FIGURE_PDF);

  strata_export_dialog_set_palette (dialog, STRATA_PALETTE_GREYSCALE);
  strata_export_dialog_set_format (dialog, STRATA_FIGURE_TIFF);
  strata_export_dialog_set_dpi (dialog, 300);
  strata_export_dialog_set_custom_size (dialog, 12.0, 9.0);
  close_dialog (dialog);

  assert_setting (gsettings, "palette", "greyscale");
  g_assert_cmpint (g_settings_get_enum (gsettings, "figure-format"), ==, STRATA_FIGURE_TIFF);
  g_assert_cmpint (g_settings_get_enum (gsettings, "figure-size"), ==, STRATA_FIGURE_SIZE_CUSTOM);
  g_assert_cmpint (g_settings_get_int (gsettings, "figure-dpi"), ==, 300);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (gsettings, "figure-width-cm"), 12.0, 1e-9);

  dialog = strata_export_dialog_new (parent, lung (), NULL, NULL, "lung");
  gtk_window_present (GTK_WINDOW (dialog));
  shown = strata_export_dialog_get_settings (dialog);
  g_assert_cmpint (shown->palette, ==, STRATA_PALETTE_GREYSCALE);
  g_assert_cmpint (shown->format, ==, STRATA_FIGURE_TIFF);
  g_assert_cmpint (shown->size, ==, STRATA_FIGURE_SIZE_CUSTOM);
  g_assert_cmpfloat (shown->dpi, ==, 300);
  g_assert_cmpfloat_with_epsilon (shown->width_cm, 12.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (shown->height_cm, 9.0, 1e-9);
  /* what the preview draws follows */
  g_assert_cmpint (strata_export_dialog_get_style (dialog)->palette, ==, STRATA_PALETTE_GREYSCALE);
  g_assert_cmpfloat_with_epsilon (strata_export_dialog_get_style (dialog)->width, 12.0 / 2.54 * 72, 1e-6);
  close_dialog (dialog);
  gtk_window_destroy (parent);
}

/* Settings handed in (a .strata file's export block) win over the remembered ones. */
static void
test_dialog_given_settings (void)
{
  GSettings *gsettings = strata_application_get_settings (application);
  GtkWindow *parent = new_parent ();
  StrataExportSettings given;
  StrataExportDialog *dialog;

  g_settings_set_string (gsettings, "palette", "greyscale");
  strata_export_settings_init (&given);
  given.format = STRATA_FIGURE_SVG;
  dialog = strata_export_dialog_new (parent, lung (), &given, NULL, "lung");
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpint (strata_export_dialog_get_settings (dialog)->palette, ==, STRATA_PALETTE_OKABE_ITO);
  g_assert_cmpint (strata_export_dialog_get_settings (dialog)->format, ==, STRATA_FIGURE_SVG);
  close_dialog (dialog);
  /* and become the remembered ones once the dialog closes */
  assert_setting (gsettings, "palette", "okabe-ito");
  assert_setting (gsettings, "figure-format", "svg");
  gtk_window_destroy (parent);
}

/* Exporting writes the choices too (the dialog closes itself after the file). */
static void
test_dialog_export_remembers (void)
{
  GSettings *gsettings = strata_application_get_settings (application);
  GtkWindow *parent = new_parent ();
  g_autofree char *dir = g_dir_make_tmp ("strata-settings-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "lung.png", NULL);
  StrataExportDialog *dialog = strata_export_dialog_new (parent, lung (), NULL, NULL, "lung");
  gboolean exported = FALSE;
  gboolean timed_out = FALSE;
  guint id;

  g_settings_set_int (gsettings, "figure-dpi", 600);
  g_settings_set_string (gsettings, "figure-size", "single");
  strata_export_dialog_set_format (dialog, STRATA_FIGURE_PNG);
  strata_export_dialog_set_dpi (dialog, 1200);
  strata_export_dialog_set_size (dialog, STRATA_FIGURE_SIZE_DOUBLE);
  g_signal_connect_swapped (dialog, "exported", G_CALLBACK (gui_test_set_flag_cb), &exported);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.save-to", "s", path));
  id = g_timeout_add_seconds (GUI_TEST_WAIT_SECONDS, gui_test_set_flag_cb, &timed_out);
  /* Written, then the dialog closes itself. */
  while ((!exported || is_toplevel (dialog)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_settings_get_int (gsettings, "figure-dpi"), ==, 1200);
  assert_setting (gsettings, "figure-size", "double");
  assert_setting (gsettings, "figure-format", "png");
  gui_test_remove_dir (dir);
  gtk_window_destroy (parent);
}

/* Out-of-range choices are clamped to the keys' ranges rather than refused. */
static void
test_settings_clamped (void)
{
  g_autoptr (GSettings) gsettings = strata_application_create_settings ();
  StrataExportSettings settings, back;

  strata_export_settings_init (&settings);
  settings.dpi = 5000;
  settings.width_cm = 0.2;
  settings.font = 3;
  settings.font_size = 11.5;
  strata_export_settings_save (&settings, gsettings);
  strata_export_settings_init (&back);
  strata_export_settings_load (&back, gsettings);
  g_assert_cmpfloat (back.dpi, ==, 2400);
  g_assert_cmpfloat (back.width_cm, ==, 1);
  g_assert_cmpuint (back.font, ==, 3);
  assert_setting (gsettings, "figure-font", "noto-sans");
  g_assert_cmpfloat (back.font_size, ==, 11.5);
}

/* ---- the last folder ----------------------------------------------------------------- */

/* CHOOSER's current folder as a path, once it has loaded it (asynchronously), or NULL
 * after a few seconds without one. */
static char *
current_folder (GtkWidget *chooser)
{
  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr (GFile) folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
      if (folder != NULL)
        return g_file_get_path (folder);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return NULL;
}

static void
test_last_folder (void)
{
  GSettings *gsettings = strata_application_get_settings (application);
  g_autofree char *dir = g_dir_make_tmp ("strata-folder-XXXXXX", NULL);
  g_autofree char *inside = g_build_filename (dir, "cohort.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (inside);
  GtkWidget *chooser;

  g_settings_set_string (gsettings, "last-folder", "");
  strata_last_folder_remember (gsettings, file);
  assert_setting (gsettings, "last-folder", dir);

  /* the widget that GtkFileChooserNative shows when there is no portal */
  chooser = g_object_ref_sink (gtk_file_chooser_widget_new (GTK_FILE_CHOOSER_ACTION_OPEN));
  strata_last_folder_apply (gsettings, GTK_FILE_CHOOSER (chooser));
  g_autofree char *shown = current_folder (chooser);
  g_assert_cmpstr (shown, ==, dir);
  g_object_unref (chooser);

  /* a folder that has gone is not imposed */
  g_rmdir (dir);
  chooser = g_object_ref_sink (gtk_file_chooser_widget_new (GTK_FILE_CHOOSER_ACTION_OPEN));
  strata_last_folder_apply (gsettings, GTK_FILE_CHOOSER (chooser));
  g_autofree char *other_path = current_folder (chooser);
  g_assert_cmpstr (other_path, !=, dir);
  g_object_unref (chooser);
}

/* ---- the window's workbook ----------------------------------------------------------- */

static void
write_report (const StrataResult *result, const char *path)
{
  g_autofree char *json = strata_report_json_to_string (result, "strata-report");
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
}

/* The demo cohort as the window first shows it: the MRD table is that of the analysis
 * restricted to detectable marrow disease. The workbook holds it, under its title, and
 * check-xlsx.py compares every number with the JSON of both results. */
static void
test_window_workbook (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autofree char *dir = g_dir_make_tmp ("strata-workbook-XXXXXX", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "demo.xlsx", NULL);
  g_autofree char *main_json = g_build_filename (dir, "main.json", NULL);
  g_autofree char *extra_json = g_build_filename (dir, "extra.json", NULL);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "check-xlsx.py", NULL);
  g_autofree char *extra_arg = g_strdup_printf ("--extra-report=%s", extra_json);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *results;
  int status = 0;

  results = strata_window_get_results (window);
  g_assert_nonnull (results);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_nonnull (g_ptr_array_index (results, 1));
  g_assert_cmpuint (((StrataResult *) g_ptr_array_index (results, 1))->responses->len, ==, 1);
  write_report (g_ptr_array_index (results, 0), main_json);
  write_report (g_ptr_array_index (results, 1), extra_json);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-workbook-to", "s", xlsx));
  gui_test_wait_until_idle (window);
  g_assert_true (g_file_test (xlsx, G_FILE_TEST_IS_REGULAR));

  /* python3 and openpyxl are in debian-packages.txt: without them the check fails. */
  g_assert_true (g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE));
    {
      const char *argv[] = { PYTHON, script, xlsx, main_json, "--figure", "--table", extra_arg,
                             "--extra-title=" DETECTABLE_TITLE, NULL };
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                    &status, &error);
      g_assert_no_error (error);
      g_test_message ("%s%s", out, err);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("check-xlsx.py found a difference:\n%s%s", out, err);
    }
  gui_test_remove_dir (dir);
  gui_test_close_window (window);
}

/* A figure exported from the window carries the window's readable group labels
 * ("High burden (≥ 5 % blasts)"), not the core's "bm_blasts_pct>=5". */
static void
test_window_figure_labels (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);

  g_assert_true (strata_strata_panel_set_compare_by (strata_window_get_panel (window),
                                                     STRATA_COMPARE_BY_BURDEN));
  gui_test_wait_until_idle (window);
  StrataResult *result = strata_window_get_result (window);
  const StrataPlotStyle *view_style = strata_km_view_get_style (strata_window_get_km_view (window));
  g_autoptr (StrataPlotStyle) style = strata_export_settings_make_style (
    strata_window_get_export_settings (window), result, view_style);

  g_assert_nonnull (style->group_labels);
  g_assert_cmpuint (g_strv_length (style->group_labels), ==, result->groups->len);
  for (guint i = 0; i < result->groups->len; i++)
    {
      const char *core_label = ((StrataGroupResult *) g_ptr_array_index (result->groups, i))->label;
      g_assert_true (g_str_has_prefix (core_label, "bm_blasts_pct"));
      g_assert_nonnull (strstr (style->group_labels[i], "burden"));
    }
  gui_test_close_window (window);
}

/* An exported figure draws what the view draws (every such field of the view's style)
 * with the export's size, font, palette and a light, painted background. */
static void
test_style_from_view (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataResult *result = strata_window_get_result (window);
  g_autoptr (StrataPlotStyle) view = strata_plot_style_new ();
  StrataExportSettings settings;
  const char *const labels[] = { "first", "second", "third", NULL };

  strata_export_settings_init (&settings);
  settings.size = STRATA_FIGURE_SIZE_CUSTOM;
  settings.width_cm = 12.0;
  settings.height_cm = 9.0;
  settings.font_size = 11.0;
  settings.palette = STRATA_PALETTE_GREYSCALE;
  view->dark = TRUE;
  view->high_contrast = TRUE;
  view->paint_background = FALSE;
  view->opaque_bands = TRUE;
  view->palette = STRATA_PALETTE_OKABE_ITO;
  view->font_size = 15.0;
  view->show_ci = FALSE;
  view->show_censor_marks = FALSE;
  view->show_risk_table = FALSE;
  view->kmunicate = TRUE;
  view->show_median_lines = TRUE;
  view->show_pvalue = FALSE;
  view->y_percent = FALSE;
  view->x_max = 36.0;
  view->x_step = 6.0;
  strata_plot_style_set_x_label (view, "Months since infusion");
  strata_plot_style_set_y_label (view, "Overall survival");
  strata_plot_style_set_title (view, "By site");
  strata_plot_style_set_group_labels (view, labels);

  g_autoptr (StrataPlotStyle) style = strata_export_settings_make_style (&settings, result, view);
  /* The view's. */
  g_assert_false (style->show_ci);
  g_assert_false (style->show_censor_marks);
  g_assert_false (style->show_risk_table);
  g_assert_true (style->kmunicate);
  g_assert_true (style->show_median_lines);
  g_assert_false (style->show_pvalue);
  g_assert_false (style->y_percent);
  g_assert_cmpfloat (style->x_max, ==, 36.0);
  g_assert_cmpfloat (style->x_step, ==, 6.0);
  g_assert_cmpstr (style->x_label, ==, "Months since infusion");
  g_assert_cmpstr (style->y_label, ==, "Overall survival");
  g_assert_cmpstr (style->title, ==, "By site");
  g_assert_cmpstrv (style->group_labels, labels);
  /* The export's. */
  g_assert_false (style->dark);
  g_assert_false (style->high_contrast);
  g_assert_true (style->paint_background);
  g_assert_false (style->opaque_bands);
  g_assert_cmpint (style->palette, ==, STRATA_PALETTE_GREYSCALE);
  g_assert_cmpfloat (style->font_size, ==, 11.0);
  g_assert_cmpstr (style->font_family, ==, strata_export_font_family (settings.font));
  g_assert_cmpfloat (fabs (style->width - 12.0 / 2.54 * 72.0), <, 1e-9);
  g_assert_cmpfloat (fabs (style->height - 9.0 / 2.54 * 72.0), <, 1e-9);
  gui_test_close_window (window);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  application = gui_test_application_new ("/export-settings/no-display");
  if (application == NULL)
    return g_test_run ();

  g_test_add_func ("/export-settings/dialog-remembers", test_dialog_remembers);
  g_test_add_func ("/export-settings/dialog-given-settings", test_dialog_given_settings);
  g_test_add_func ("/export-settings/dialog-export-remembers", test_dialog_export_remembers);
  g_test_add_func ("/export-settings/clamped", test_settings_clamped);
  g_test_add_func ("/export-settings/last-folder", test_last_folder);
  g_test_add_func ("/export-settings/window-workbook", test_window_workbook);
  g_test_add_func ("/export-settings/window-figure-labels", test_window_figure_labels);
  g_test_add_func ("/export-settings/style-from-view", test_style_from_view);
  status = g_test_run ();
  g_clear_pointer (&lung_result, strata_result_unref);
  g_object_unref (application);
  return status;
}

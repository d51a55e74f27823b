/* test-window.c: the Strata window under Xvfb. It opens the demo cohort, drives the
 * strata panel through its actions, waits for the worker, and checks that the numbers
 * shown equal strata-report's for the same choices; it renders the window and the
 * Kaplan–Meier view to pixels, walks the keyboard focus, imports a malformed file and
 * cancels an import, and ends with leak checks. */
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strata-analysis-file.h"
#include "strata-application.h"
#include "strata-export-dialog.h"
#include "strata-group-label.h"
#include "strata-import-assistant.h"
#include "strata-response-view.h"
#include "strata-result-text.h"
#include "strata-window.h"

#include "gui-test-util.h"

static StrataApplication *application;

/* ---- helpers ------------------------------------------------------------------------- */

static const StrataGroupResult *
find_group (const StrataResult *result, const char *label)
{
  for (guint g = 0; g < result->groups->len; g++)
    {
      const StrataGroupResult *group = g_ptr_array_index (result->groups, g);
      if (g_strcmp0 (group->label, label) == 0)
        return group;
    }
  return NULL;
}

/* strata-report --json=- ARGS... on the demo cohort, parsed. */
static JsonNode *
demo_report (const char *first_arg, ...)
{
  const char *demo = g_getenv ("STRATA_DEMO_COHORT");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  va_list args;

  g_assert_nonnull (demo);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, (char *) demo);
  g_ptr_array_add (argv, NULL);

  out = run_report_json ((const char *const *) argv->pdata);
  JsonNode *root = json_from_string (out, &error);
  g_assert_no_error (error);
  return root;
}

static double
member_double (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  return JSON_NODE_HOLDS_NULL (node) ? NAN : json_node_get_double (node);
}

static double
array_double (JsonArray *array, guint index)
{
  JsonNode *node = json_array_get_element (array, index);
  return JSON_NODE_HOLDS_NULL (node) ? NAN : json_node_get_double (node);
}

/* The summary view's row of the group LABEL, or 0. */
static guint
summary_row (StrataSummaryView *view, const char *label)
{
  for (guint row = 1; strata_summary_view_get_cell (view, row, 0) != NULL; row++)
    if (g_strcmp0 (strata_summary_view_get_cell (view, row, 0), label) == 0)
      return row;
  return 0;
}

/* Every group of the report REPORT has the same n, events, landmark survival and CI
 * in the window's result and in the cells of the summary view. */
static void
assert_window_matches_report (StrataWindow *window, JsonNode *report)
{
  JsonObject *root = json_node_get_object (report);
  JsonArray *groups = json_object_get_array_member (root, "groups");
  StrataResult *result = strata_window_get_result (window);
  StrataSummaryView *summary = strata_window_get_summary_view (window);

  g_assert_nonnull (result);
  g_assert_cmpuint (result->groups->len, ==, json_array_get_length (groups));
  for (guint g = 0; g < json_array_get_length (groups); g++)
    {
      JsonObject *group = json_array_get_object_element (groups, g);
      const char *label = json_object_get_string_member (group, "label");
      const StrataGroupResult *shown = find_group (result, label);
      JsonObject *landmarks = json_object_get_object_member (group, "landmarks");
      /* The summary names burden groups in words ("High burden…"), the core by the cut. */
      g_autofree char *shown_label = strata_group_label_display (
        result->by, strata_strata_panel_get_roles (strata_window_get_panel (window))->blasts_column, label);
      guint row = summary_row (summary, shown_label);
      char number[32];

      g_assert_nonnull (shown);
      g_assert_cmpuint (row, >, 0);
      g_assert_cmpuint (shown->n, ==, json_object_get_int_member (group, "n"));
      g_assert_cmpuint (shown->events, ==, json_object_get_int_member (group, "events"));
      g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, json_object_get_int_member (group, "n"));
      g_assert_cmpstr (strata_summary_view_get_cell (summary, row, 1), ==, number);

      JsonArray *surv = json_object_get_array_member (landmarks, "surv");
      JsonArray *lower = json_object_get_array_member (landmarks, "lower");
      JsonArray *upper = json_object_get_array_member (landmarks, "upper");
      for (guint k = 0; k < json_array_get_length (surv); k++)
        {
          g_autofree char *expected = strata_result_text_percent_ci (array_double (surv, k),
                                                                     array_double (lower, k),
                                                                     array_double (upper, k));
          g_assert_cmpfloat_with_epsilon (shown->landmarks->surv[k], array_double (surv, k), 1e-12);
          g_assert_cmpstr (strata_summary_view_get_cell (summary, row, 4 + k), ==, expected);
        }
    }

  JsonObject *survdiff = json_object_get_object_member (root, "survdiff");
  if (survdiff != NULL && json_object_has_member (survdiff, "logrank") &&
      !json_object_get_null_member (survdiff, "logrank"))
    {
      double p = member_double (json_object_get_object_member (survdiff, "logrank"), "p");
      g_autofree char *text = strata_result_text_p (p);
      g_assert_nonnull (result->logrank);
      g_assert_cmpfloat_with_epsilon (result->logrank->p, p, 1e-12);
      g_assert_nonnull (strstr (strata_summary_view_get_footer (summary), text));
    }
}

/* The texture of WIDGET as drawn now, downloaded to 32-bit pixels. */
static guchar *
render_widget (GtkWidget *widget, int *width, int *height, gsize *stride)
{
  g_autoptr (GdkTexture) texture = gui_test_render_texture (widget);

  *width = gdk_texture_get_width (texture);
  *height = gdk_texture_get_height (texture);
  *stride = (gsize) *width * 4;
  guchar *pixels = g_malloc ((gsize) *height * *stride);
  gdk_texture_download (texture, pixels, *stride);
  return pixels;
}

/* Pixels within TOLERANCE of the colour RGB (0xRRGGBB); the download is BGRA. */
static guint
count_colour (const guchar *pixels, int width, int height, gsize stride, guint32 rgb, int tolerance)
{
  guint count = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + y * stride + x * 4;
        if (abs (p[2] - (int) ((rgb >> 16) & 0xff)) <= tolerance &&
            abs (p[1] - (int) ((rgb >> 8) & 0xff)) <= tolerance &&
            abs (p[0] - (int) (rgb & 0xff)) <= tolerance)
          count++;
      }
  return count;
}

/* Light tinted pixels (not grey, every channel light): the translucent CI bands. */
static guint
count_tints (const guchar *pixels, int width, int height, gsize stride)
{
  guint count = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + y * stride + x * 4;
        int lo = MIN (p[0], MIN (p[1], p[2])), hi = MAX (p[0], MAX (p[1], p[2]));
        if (lo > 150 && hi - lo >= 12)
          count++;
      }
  return count;
}

static guint
count_distinct_rows (const guchar *pixels, int width, int height, gsize stride)
{
  guint rows = 0;

  for (int y = 0; y < height; y++)
    for (int x = 1; x < width; x++)
      if (memcmp (pixels + y * stride + x * 4, pixels + y * stride, 4) != 0)
        {
          rows++;
          break;
        }
  return rows;
}

/* ---- tests --------------------------------------------------------------------------- */

static void
test_demo_first_result (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataKmView *view = strata_window_get_km_view (window);
  StrataResult *result = strata_window_get_result (window);

  g_assert_true (strata_window_get_is_demo (window));
  g_assert_cmpstr (strata_window_get_page (window), ==, "results");
  g_assert_nonnull (result);
  g_assert_true (strata_km_view_get_result (view) == result);
  /* Compare by disease site is the default: the three cohorts of the seed study. */
  g_assert_cmpuint (result->groups->len, ==, 3);
  g_assert_cmpuint (find_group (result, "BM")->n, ==, 251);
  g_assert_cmpuint (find_group (result, "EMD")->n, ==, 21);
  g_assert_cmpuint (find_group (result, "CNS")->n, ==, 36);

  g_autoptr (JsonNode) report = demo_report ("--by=disease_site", "--landmarks=12,24", NULL);
  assert_window_matches_report (window, report);
  /* The seed: 24-month OS EMD 66.7 %, CNS 57.0 %, BM 71.5 %; log-rank p = 0.032. */
  g_assert_nonnull (strstr (strata_summary_view_get_footer (strata_window_get_summary_view (window)),
                            "p = 0.032"));

  gui_test_close_window (window);
}

static void
test_toggle_site (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataStrataPanel *panel = strata_window_get_panel (window);
  StrataKmView *view = strata_window_get_km_view (window);
  g_autoptr (StrataResult) before = strata_result_ref (strata_window_get_result (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.toggle-site", "s", "CNS"));
  g_assert_true (strata_window_get_busy (window));
  gui_test_wait_until_idle (window);

  StrataResult *after = strata_km_view_get_result (view);
  g_assert_true (after != before);
  g_assert_cmpuint (before->groups->len, ==, 3);
  g_assert_cmpuint (after->groups->len, ==, 2);
  g_assert_null (find_group (after, "CNS"));
  g_assert_cmpuint (after->rows_used, ==, 251 + 21);
  g_assert_cmpuint (after->where->len, ==, 1);

  g_autoptr (JsonNode) report = demo_report ("--by=disease_site", "--where=disease_site=BM,EMD",
                                            "--landmarks=12,24", NULL);
  assert_window_matches_report (window, report);

  /* The same state through the widget API, and back to all sites. */
  g_assert_true (strata_strata_panel_set_site_active (panel, "CNS", TRUE));
  gui_test_wait_until_idle (window);
  g_assert_cmpuint (strata_window_get_result (window)->groups->len, ==, 3);
  g_assert_cmpuint (strata_window_get_result (window)->where->len, ==, 0);

  gui_test_close_window (window);
}

/* Several changes in a row without waiting: only the newest request is shown. */
static void
test_newest_wins (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataStrataPanel *panel = strata_window_get_panel (window);

  strata_strata_panel_set_site_active (panel, "BM", FALSE);
  strata_strata_panel_set_site_active (panel, "CNS", FALSE);
  strata_strata_panel_set_compare_by (panel, STRATA_COMPARE_BY_BURDEN);
  strata_strata_panel_set_site_active (panel, "BM", TRUE);
  strata_strata_panel_set_site_active (panel, "BM", FALSE);
  gui_test_wait_until_idle (window);

  /* The seed: 24-month OS in the EMD cohort by marrow burden, 100 % vs 41.7 %, p = 0.005. */
  g_autoptr (JsonNode) report = demo_report ("--where=disease_site=EMD", "--by=bm_blasts_pct>=5",
                                            "--landmarks=12,24", NULL);
  assert_window_matches_report (window, report);
  StrataResult *result = strata_window_get_result (window);
  g_assert_cmpuint (result->groups->len, ==, 2);
  g_assert_cmpfloat_with_epsilon (find_group (result, "bm_blasts_pct<5")->landmarks->surv[1], 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (find_group (result, "bm_blasts_pct>=5")->landmarks->surv[1],
                                  0.41666666666666669, 1e-3);
  g_assert_nonnull (strstr (strata_summary_view_get_footer (strata_window_get_summary_view (window)),
                            "p = 0.005"));

  /* And the CNS cohort: 92.3 % vs 33.3 %, p = 0.001 (0.00088: "p < 0.001" in journal style). */
  strata_strata_panel_set_site_active (panel, "EMD", FALSE);
  strata_strata_panel_set_site_active (panel, "CNS", TRUE);
  gui_test_wait_until_idle (window);
  g_autoptr (JsonNode) cns = demo_report ("--where=disease_site=CNS", "--by=bm_blasts_pct>=5",
                                         "--landmarks=12,24", NULL);
  assert_window_matches_report (window, cns);
  g_assert_nonnull (strstr (strata_summary_view_get_footer (strata_window_get_summary_view (window)),
                            "p < 0.001"));

  gui_test_close_window (window);
}

/* The MRD table: patients with detectable marrow disease, by site; Fisher p = 0.019. */
static void
test_mrd_table (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autolist (GtkWidget) views = strata_window_get_response_views (window);
  StrataResponseView *mrd = NULL;

  for (GList *l = views; l != NULL; l = l->next)
    if (g_strcmp0 (strata_response_view_get_table (l->data)->column, "mrd_day28") == 0)
      mrd = l->data;
  g_assert_nonnull (mrd);

  g_autoptr (JsonNode) report = demo_report ("--by=disease_site", "--where=bm_blasts_pct>0",
                                            "--response=mrd_day28:negative", NULL);
  JsonObject *expected = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (report), "responses"), 0);
  JsonArray *rows = json_object_get_array_member (expected, "rows");
  const StrataResponseTable *table = strata_response_view_get_table (mrd);

  g_assert_cmpstr (table->success, ==, "negative");
  g_assert_cmpuint (table->rows->len, ==, json_array_get_length (rows));
  for (guint r = 0; r < table->rows->len; r++)
    {
      const StrataResponseRow *row = g_ptr_array_index (table->rows, r);
      JsonObject *json_row = json_array_get_object_element (rows, r);
      g_assert_cmpstr (row->group, ==, json_object_get_string_member (json_row, "group"));
      g_assert_cmpuint (row->x, ==, json_object_get_int_member (json_row, "x"));
      g_assert_cmpuint (row->n, ==, json_object_get_int_member (json_row, "n"));
    }
  double p = member_double (json_object_get_object_member (expected, "fisher"), "p");
  g_assert_cmpfloat_with_epsilon (table->fisher_p, p, 1e-12);
  g_assert_nonnull (strstr (strata_response_view_get_footer (mrd), "p = 0.019"));

  g_clear_list (&views, NULL);
  gui_test_close_window (window);
}

static void
test_no_patients (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataStrataPanel *panel = strata_window_get_panel (window);

  gtk_widget_activate_action (GTK_WIDGET (panel), "panel.toggle-burden", "s", "high");
  gtk_widget_activate_action (GTK_WIDGET (panel), "panel.toggle-burden", "s", "low");
  gui_test_wait_until_idle (window);
  g_assert_cmpstr (strata_window_get_page (window), ==, "status");
  g_assert_null (strata_window_get_result (window));
  g_assert_null (strata_km_view_get_result (strata_window_get_km_view (window)));

  gtk_widget_activate_action (GTK_WIDGET (panel), "panel.toggle-burden", "s", "low");
  gui_test_wait_until_idle (window);
  g_assert_cmpstr (strata_window_get_page (window), ==, "results");
  g_assert_cmpstr (g_ptr_array_index (strata_window_get_result (window)->where, 0), ==,
                   "bm_blasts_pct<5");

  gui_test_close_window (window);
}

/* The window and the KM view drawn to pixels: not empty, the curves in their colours,
 * the bands lighter, the risk table under the plot. */
static void
test_render (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataKmView *view = strata_window_get_km_view (window);
  StrataKmPlotLayout layout;
  int width, height;
  gsize stride;

  g_autofree guchar *window_pixels = render_widget (GTK_WIDGET (window), &width, &height, &stride);
  g_assert_cmpuint (count_distinct_rows (window_pixels, width, height, stride), >, (guint) height / 4);

  g_autofree guchar *pixels = render_widget (GTK_WIDGET (view), &width, &height, &stride);
  g_assert_true (strata_km_view_get_layout (view, &layout));
  g_assert_cmpfloat (layout.table_height, >, 0);
  g_assert_cmpfloat (layout.plot_height, >, 0);
  /* Okabe–Ito blue, vermillion and bluish green (light style) for BM, EMD, CNS. */
  g_assert_cmpuint (count_colour (pixels, width, height, stride, 0x0072B2, 24), >, 100);
  g_assert_cmpuint (count_colour (pixels, width, height, stride, 0xD55E00, 24), >, 50);
  g_assert_cmpuint (count_colour (pixels, width, height, stride, 0x009E73, 24), >, 50);

  /* Without bands the translucent band pixels (light blue) go away. */
  guint band_pixels = count_tints (pixels, width, height, stride);
  g_assert_cmpuint (band_pixels, >, (guint) (width * height) / 50);
  strata_km_view_set_show_ci (view, FALSE);
  gui_test_wait_for_frames (GTK_WIDGET (view), 2);
  g_autofree guchar *no_bands = render_widget (GTK_WIDGET (view), &width, &height, &stride);
  g_assert_cmpuint (count_tints (no_bands, width, height, stride), <, band_pixels / 4);
  strata_km_view_set_show_ci (view, TRUE);

  /* Without the risk table the plot grows into its place. */
  strata_km_view_set_show_risk_table (view, FALSE);
  gui_test_wait_for_frames (GTK_WIDGET (view), 2);
  StrataKmPlotLayout no_table;
  g_assert_true (strata_km_view_get_layout (view, &no_table));
  g_assert_cmpfloat (no_table.table_height, ==, 0);
  g_assert_cmpfloat (no_table.plot_height, >, layout.plot_height);
  strata_km_view_set_show_risk_table (view, TRUE);

  gui_test_close_window (window);
}

static void
test_hover (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataKmView *view = strata_window_get_km_view (window);

  g_assert_null (strata_km_view_dup_hover_text (view));
  strata_km_view_set_hover_time (view, 24.0);
  gui_test_wait_for_frames (GTK_WIDGET (view), 2);
  g_autofree char *text = strata_km_view_dup_hover_text (view);
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "24.0 months"));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  /* BM at 24 months, as the summary's landmark (S = 0.715), with patients at risk. */
  g_assert_true (g_str_has_prefix (lines[1], "BM: S(t) 0.715 ("));
  g_assert_nonnull (strstr (lines[1], "at risk "));

  strata_km_view_set_hover_time (view, NAN);
  g_assert_null (strata_km_view_dup_hover_text (view));
  gui_test_close_window (window);
}

/* Tab from the header bar reaches the panel's controls and the plot. */
static void
test_keyboard_focus (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autoptr (GHashTable) reached = g_hash_table_new (NULL, NULL);
  gboolean reached_view = FALSE, reached_check = FALSE, reached_switch = FALSE, reached_combo = FALSE;

  for (guint i = 0; i < 200; i++)
    {
      GtkWidget *focus;
      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        break;
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus == NULL || g_hash_table_contains (reached, focus))
        continue;
      g_hash_table_add (reached, focus);
      reached_view |= focus == GTK_WIDGET (strata_window_get_km_view (window));
      reached_check |= GTK_IS_CHECK_BUTTON (focus);
      reached_switch |= GTK_IS_SWITCH (focus);
      reached_combo |= ADW_IS_COMBO_ROW (focus) ||
                       gtk_widget_get_ancestor (focus, ADW_TYPE_COMBO_ROW) != NULL;
    }
  g_assert_true (reached_view);
  g_assert_true (reached_check);
  g_assert_true (reached_switch);
  g_assert_true (reached_combo);
  gui_test_close_window (window);
}

/* A malformed file: the window says why, with the line, and keeps the cohort it had. */
static void
test_import_error (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "malformed", "unterminated-quote.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);

  strata_window_open_file (window, file);
  gui_test_wait_until_idle (window);
  GtkWindow *dialog = gui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  const char *body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (body, "unterminated-quote.csv"));
  g_assert_nonnull (strstr (body, "line"));
  gtk_window_destroy (dialog);
  g_assert_true (strata_window_get_is_demo (window));
  g_assert_cmpstr (strata_window_get_page (window), ==, "results");

  /* Rows left out are listed with line and reason. */
  g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "data", "cli-bad-rows.csv", NULL);
  g_autoptr (GFile) bad_file = g_file_new_for_path (bad);
  gui_test_open_and_confirm (window, bad_file);
  g_assert_false (strata_window_get_is_demo (window));
  StrataResult *result = strata_window_get_result (window);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->excluded->len, >, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-excluded", NULL));
  dialog = gui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "left out"));
  gtk_window_destroy (dialog);

  gui_test_close_window (window);
}

/* Cancel stops an import at once and keeps the cohort on screen. */
static void
test_cancel_import (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autofree char *dir = g_dir_make_tmp ("strata-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "large.csv", NULL);
  g_autoptr (GString) csv = g_string_new ("os_months,os_status,disease_site\n");
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 400000; i++)
    g_string_append_printf (csv, "%u.%u,%u,%s\n", i % 60, i % 10, i % 3 == 0,
                            i % 2 ? "BM" : "EMD");
  g_assert_true (g_file_set_contents (path, csv->str, (gssize) csv->len, &error));
  g_assert_no_error (error);

  g_autoptr (GFile) file = g_file_new_for_path (path);
  strata_window_open_file (window, file);
  g_assert_true (strata_window_get_busy (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-import", NULL));
  gui_test_wait_until_idle (window);
  g_assert_true (strata_window_get_is_demo (window));
  g_assert_cmpuint (strata_window_get_result (window)->groups->len, ==, 3);

  /* The same file, not cancelled, opens. */
  gui_test_open_and_confirm (window, file);
  g_assert_false (strata_window_get_is_demo (window));
  g_assert_cmpuint (strata_window_get_result (window)->rows_used, ==, 400000);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  gui_test_close_window (window);
}

/* A file dropped on the window is imported like an opened one. */
static void
test_drop_file (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "cli-bad-rows.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  GtkDropTarget *target = NULL;
  gboolean accepted = FALSE;
  GValue value = G_VALUE_INIT;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);
  gui_test_confirm_assistant (window);
  g_assert_false (strata_window_get_is_demo (window));
  g_assert_cmpstr (strata_window_get_result (window)->file, ==, "cli-bad-rows.csv");

  g_clear_object (&controllers);
  gui_test_close_window (window);
}


/* ---- import assistant, exports, analysis files ----------------------------------------- */

/* The demo cohort with other column names and site values: nothing can be recognised
 * by name, so the assistant must be told. */
static char *
write_renamed_demo (const char *dir)
{
  const char *demo = g_getenv ("STRATA_DEMO_COHORT");
  g_autofree char *text = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (dir, "renamed.csv", NULL);

  g_assert_true (g_file_get_contents (demo, &text, NULL, &error));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto (GStrv) fields = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, 14);
      if (i == 0)
        {
          g_assert_cmpstr (fields[3], ==, "disease_site");
          g_assert_cmpstr (fields[7], ==, "os_months");
          g_assert_cmpstr (fields[8], ==, "os_status");
          g_free (fields[3]), fields[3] = g_strdup ("localisation");
          g_free (fields[4]), fields[4] = g_strdup ("marrow_pct");
          g_free (fields[7]), fields[7] = g_strdup ("followup");
          g_free (fields[8]), fields[8] = g_strdup ("vital");
          for (guint f = 9; f < 13; f++)
            {
              char *renamed = g_strdup_printf ("other_%u", f);
              g_free (fields[f]);
              fields[f] = renamed;
            }
        }
      else
        {
          const char *site = g_str_equal (fields[3], "BM") ? "marrow"
                             : g_str_equal (fields[3], "EMD") ? "extramedullary" : "CNS3";
          g_free (fields[3]);
          fields[3] = g_strdup (site);
          const char *vital = g_str_equal (fields[8], "1") ? "dead" : "alive";
          g_free (fields[8]);
          fields[8] = g_strdup (vital);
        }
      g_autofree char *line = g_strjoinv (",", fields);
      g_string_append_printf (out, "%s\n", line);
    }
  g_assert_true (g_file_set_contents (path, out->str, (gssize) out->len, &error));
  g_assert_no_error (error);
  return path;
}

/* The assistant: preview, import report with every row left out, guessed roles, and
 * the mapping applied: the window analyses with the columns the user chose. */
static void
test_import_assistant (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autofree char *dir = g_dir_make_tmp ("strata-assistant-XXXXXX", NULL);
  g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "data", "cli-bad-rows.csv", NULL);
  g_autoptr (GFile) bad_file = g_file_new_for_path (bad);
  StrataImportAssistant *assistant;

  /* A file with bad rows: the report names each, with its line and reason. */
  strata_window_open_file (window, bad_file);
  gui_test_wait_until_idle (window);
  assistant = strata_window_get_import_assistant (window);
  g_assert_nonnull (assistant);
  g_assert_cmpuint (strata_import_assistant_get_preview_rows (assistant), ==, 8);
  g_assert_cmpstr (strata_import_assistant_get_preview_cell (assistant, 0, 3), ==, "A");
  g_assert_cmpstr (strata_import_assistant_get_preview_cell (assistant, 1, 1), ==, "-3");
  g_assert_cmpstr (strata_import_assistant_get_preview_cell (assistant, 2, 1), ==, "");
  g_autofree char *report = strata_import_assistant_dup_report (assistant);
  g_test_message ("%s", report);
  g_assert_nonnull (strstr (report, "Encoding: UTF-8"));
  g_assert_nonnull (strstr (report, "Delimiter: Comma"));
  g_assert_nonnull (strstr (report, "Left out: line 3, os_months"));   /* -3 */
  g_assert_nonnull (strstr (report, "Left out: line 4, os_months"));   /* missing */
  g_assert_nonnull (strstr (report, "Left out: line 5, os_months"));   /* abc */
  /* Cancel keeps the demo cohort. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.cancel", NULL));
  g_assert_null (strata_window_get_import_assistant (window));
  gui_test_wait_until_idle (window);
  g_assert_true (strata_window_get_is_demo (window));

  /* Names that say nothing: no endpoint guessed, Analyse disabled until it is set. */
  g_autofree char *renamed = write_renamed_demo (dir);
  g_autoptr (GFile) renamed_file = g_file_new_for_path (renamed);
  strata_window_open_file (window, renamed_file);
  gui_test_wait_until_idle (window);
  assistant = strata_window_get_import_assistant (window);
  g_assert_nonnull (assistant);
  g_assert_nonnull (strata_import_assistant_get_problem (assistant));
  g_assert_null (strata_import_assistant_get_roles (assistant));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.apply", NULL));
  g_assert_true (strata_window_get_import_assistant (window) == assistant);   /* still open */
  /* The MRD column is guessed by its name, as a response with "negative". */
  g_assert_cmpint (strata_import_assistant_get_role (assistant, "mrd_day28"), ==, STRATA_IMPORT_ROLE_RESPONSE);
  g_assert_cmpint (strata_import_assistant_get_role (assistant, "localisation"), ==, STRATA_IMPORT_ROLE_NONE);

  g_assert_true (strata_import_assistant_set_time_column (assistant, "followup"));
  g_assert_true (strata_import_assistant_set_event_column (assistant, "vital"));
  g_assert_true (strata_import_assistant_set_role (assistant, "localisation", STRATA_IMPORT_ROLE_SITE));
  g_assert_true (strata_import_assistant_set_role (assistant, "marrow_pct", STRATA_IMPORT_ROLE_BLASTS));
  g_assert_true (strata_import_assistant_set_role (assistant, "sex", STRATA_IMPORT_ROLE_STRATUM));
  /* A blasts column must hold numbers; a second site column replaces the first. */
  g_assert_false (strata_import_assistant_set_role (assistant, "sex", STRATA_IMPORT_ROLE_BLASTS));
  g_assert_true (strata_import_assistant_set_role (assistant, "prior_hsct", STRATA_IMPORT_ROLE_SITE));
  g_assert_cmpint (strata_import_assistant_get_role (assistant, "localisation"), ==, STRATA_IMPORT_ROLE_NONE);
  g_assert_true (strata_import_assistant_set_role (assistant, "localisation", STRATA_IMPORT_ROLE_SITE));
  g_assert_cmpint (strata_import_assistant_get_role (assistant, "prior_hsct"), ==, STRATA_IMPORT_ROLE_NONE);
  /* The site values were guessed from the levels' names. */
  g_assert_null (strata_import_assistant_get_problem (assistant));
  const StrataColumnRoles *roles = strata_import_assistant_get_roles (assistant);
  g_assert_nonnull (roles);
  g_assert_cmpstr (roles->site_values[STRATA_SITE_BM][0], ==, "marrow");
  g_assert_cmpstr (roles->site_values[STRATA_SITE_EMD][0], ==, "extramedullary");
  g_assert_cmpstr (roles->site_values[STRATA_SITE_CNS][0], ==, "CNS3");
  /* "dead" is the default rule's event value: the default rule stays. */
  g_assert_null (roles->event_values);
  /* A site value that is not in the column is refused. */
  strata_import_assistant_set_site_values (assistant, STRATA_SITE_EMD, "extramedullary, EMD");
  g_assert_nonnull (strata_import_assistant_get_problem (assistant));
  g_assert_nonnull (strstr (strata_import_assistant_get_problem (assistant), "EMD"));
  strata_import_assistant_set_site_values (assistant, STRATA_SITE_EMD, "extramedullary");
  strata_import_assistant_set_burden_threshold (assistant, 5.0);
  g_assert_null (strata_import_assistant_get_problem (assistant));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.apply", NULL));
  g_assert_null (strata_window_get_import_assistant (window));
  gui_test_wait_until_idle (window);

  /* The numbers are the demo's: the same patients under other names. */
  StrataStrataPanel *panel = strata_window_get_panel (window);
  StrataResult *result = strata_window_get_result (window);
  g_assert_false (strata_window_get_is_demo (window));
  g_assert_nonnull (result);
  g_assert_cmpstr (result->time_column, ==, "followup");
  g_assert_cmpstr (result->event_column, ==, "vital");
  g_assert_cmpuint (result->groups->len, ==, 3);
  g_assert_cmpuint (find_group (result, "marrow")->n, ==, 251);
  g_assert_cmpuint (find_group (result, "extramedullary")->n, ==, 21);
  g_assert_cmpuint (find_group (result, "CNS3")->n, ==, 36);
  g_autoptr (JsonNode) all = demo_report ("--by=disease_site", "--landmarks=12,24", NULL);
  JsonArray *groups = json_object_get_array_member (json_node_get_object (all), "groups");
  for (guint g = 0; g < json_array_get_length (groups); g++)
    {
      JsonObject *group = json_array_get_object_element (groups, g);
      const char *label = json_object_get_string_member (group, "label");
      const char *renamed_label = g_str_equal (label, "BM") ? "marrow"
                                  : g_str_equal (label, "EMD") ? "extramedullary" : "CNS3";
      const StrataGroupResult *shown = find_group (result, renamed_label);
      g_assert_cmpuint (shown->events, ==, json_object_get_int_member (group, "events"));
      JsonArray *surv = json_object_get_array_member (json_object_get_object_member (group, "landmarks"), "surv");
      g_assert_cmpfloat_with_epsilon (shown->landmarks->surv[1], array_double (surv, 1), 1e-12);
    }

  /* The site toggles are the classes: unticking CNS filters on its value. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.toggle-site", "s", "CNS"));
  gui_test_wait_until_idle (window);
  result = strata_window_get_result (window);
  g_assert_cmpuint (result->where->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (result->where, 0), ==, "localisation=marrow,extramedullary");
  g_assert_cmpuint (result->rows_used, ==, 251 + 21);
  /* The stratum chosen in the assistant has its level toggles. */
  g_assert_true (strata_strata_panel_get_level_active (panel, "sex", "F"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.toggle-level", "(ss)", "sex", "M"));
  gui_test_wait_until_idle (window);
  result = strata_window_get_result (window);
  g_assert_cmpuint (result->where->len, ==, 2);
  g_autoptr (JsonNode) women = demo_report ("--by=disease_site", "--where=disease_site=BM,EMD",
                                           "--where=sex=F", NULL);
  g_assert_cmpuint (result->rows_used, ==,
                    json_object_get_int_member (json_object_get_object_member (json_node_get_object (women), "input"),
                                                "rows_used"));
  /* And the burden cut on the renamed column. */
  g_assert_true (strata_strata_panel_set_compare_by (panel, STRATA_COMPARE_BY_BURDEN));
  gui_test_wait_until_idle (window);
  g_assert_nonnull (find_group (strata_window_get_result (window), "marrow_pct>=5"));

  gui_test_remove_dir (dir);
  gui_test_close_window (window);
}

/* "Add Stratum": any categorical column's levels become toggles feeding --where. */
static void
test_add_stratum (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataStrataPanel *panel = strata_window_get_panel (window);

  /* Identifiers and the site column cannot be strata. */
  g_assert_false (strata_strata_panel_add_stratum (panel, "patient_id"));
  g_assert_false (strata_strata_panel_add_stratum (panel, "disease_site"));
  g_assert_false (strata_strata_panel_add_stratum (panel, "no_such_column"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.add-stratum", "s", "prior_hsct"));
  g_assert_false (strata_strata_panel_add_stratum (panel, "prior_hsct"));
  g_assert_true (strata_strata_panel_get_level_active (panel, "prior_hsct", "yes"));
  gui_test_wait_until_idle (window);
  /* All levels ticked: no filter. */
  g_assert_cmpuint (strata_window_get_result (window)->where->len, ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.toggle-level", "(ss)",
                                             "prior_hsct", "no"));
  gui_test_wait_until_idle (window);
  g_autoptr (JsonNode) report = demo_report ("--by=disease_site", "--where=prior_hsct=yes",
                                            "--landmarks=12,24", NULL);
  assert_window_matches_report (window, report);
  g_assert_cmpstr (g_ptr_array_index (strata_window_get_result (window)->where, 0), ==, "prior_hsct=yes");

  /* No level ticked: nobody to analyse, said in words. */
  g_assert_true (strata_strata_panel_set_level_active (panel, "prior_hsct", "yes", FALSE));
  gui_test_wait_until_idle (window);
  g_assert_cmpstr (strata_window_get_page (window), ==, "status");

  /* Removing the stratum removes its filter. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.remove-stratum", "s", "prior_hsct"));
  gui_test_wait_until_idle (window);
  g_assert_cmpstr (strata_window_get_page (window), ==, "results");
  g_assert_cmpuint (strata_window_get_result (window)->where->len, ==, 0);
  g_assert_false (strata_strata_panel_get_level_active (panel, "prior_hsct", "yes"));
  /* It is offered in "compare by" too. */
  g_assert_true (strata_strata_panel_set_compare_by (panel, "column:sex"));
  gui_test_close_window (window);
}

static StrataExportDialog *
open_export_dialog (StrataWindow *window)
{
  StrataExportDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-figure", NULL));
  dialog = STRATA_EXPORT_DIALOG (gui_test_find_toplevel (STRATA_TYPE_EXPORT_DIALOG));
  g_assert_nonnull (dialog);
  return g_object_ref (dialog);
}

static gboolean
export_busy (gpointer dialog)
{
  return strata_export_dialog_get_busy (STRATA_EXPORT_DIALOG (dialog));
}

static void
wait_for_export (StrataExportDialog *dialog)
{
  gui_test_wait_while (export_busy, dialog, "the export dialog");
}

static guint32
read_be32 (const guchar *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* The export dialog writes every format through its action, at the size chosen. */
static void
test_export_figure (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autofree char *dir = g_dir_make_tmp ("strata-export-XXXXXX", NULL);
  static const struct {
    StrataFigureFormat format;
    const char *name;
    const char *magic;
    gsize magic_length;
  } formats[] = {
    { STRATA_FIGURE_PNG, "figure.png", "\x89PNG\r\n\x1a\n", 8 },
    { STRATA_FIGURE_TIFF, "figure.tif", "II*\0", 4 },
    { STRATA_FIGURE_PDF, "figure.pdf", "%PDF-", 5 },
    { STRATA_FIGURE_SVG, "figure.svg", "<?xml", 5 },
    { STRATA_FIGURE_EPS, "figure.eps", "%!PS-Adobe-3.0 EPSF", 19 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      StrataExportDialog *dialog = open_export_dialog (window);
      g_autofree char *path = g_build_filename (dir, formats[i].name, NULL);
      g_autofree char *data = NULL;
      gsize length = 0;

      strata_export_dialog_set_format (dialog, formats[i].format);
      strata_export_dialog_set_size (dialog, STRATA_FIGURE_SIZE_SINGLE);
      strata_export_dialog_set_dpi (dialog, 600);
      g_assert_cmpint (strata_export_dialog_get_settings (dialog)->format, ==, formats[i].format);
      g_assert_true (strata_export_dialog_get_caption (dialog) != NULL &&
                     g_str_has_prefix (strata_export_dialog_get_caption (dialog), "8.0 × "));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.save-to", "s", path));
      wait_for_export (dialog);
      /* Written, then the dialog closed and the window said so. */
      g_assert_true (g_file_get_contents (path, &data, &length, NULL));
      g_assert_cmpuint (length, >, 1000);
      g_assert_cmpmem (data, formats[i].magic_length, formats[i].magic, formats[i].magic_length);
      g_assert_null (gui_test_find_toplevel (STRATA_TYPE_EXPORT_DIALOG));
      g_assert_true (g_str_has_prefix (strata_window_get_last_message (window), "Figure saved as "));
      if (formats[i].format == STRATA_FIGURE_PNG)
        {
          /* 8.0 cm at 600 dpi: 1890 pixels wide. */
          g_assert_cmpuint (read_be32 ((const guchar *) data + 16), ==,
                            strata_figure_pixels (strata_figure_points_from_cm (8.0), 600));
        }
      gui_test_assert_finalized (dialog);
    }
  /* The window keeps the last choices for the next export. */
  g_assert_cmpint (strata_window_get_export_settings (window)->format, ==, STRATA_FIGURE_EPS);

  /* A custom size, greyscale, at 300 dpi. */
  StrataExportDialog *dialog = open_export_dialog (window);
  g_autofree char *custom = g_build_filename (dir, "custom.png", NULL);
  strata_export_dialog_set_format (dialog, STRATA_FIGURE_PNG);
  strata_export_dialog_set_custom_size (dialog, 12.0, 9.0);
  strata_export_dialog_set_dpi (dialog, 300);
  strata_export_dialog_set_palette (dialog, STRATA_PALETTE_GREYSCALE);
  g_assert_cmpfloat_with_epsilon (strata_export_dialog_get_style (dialog)->width,
                                  strata_figure_points_from_cm (12.0), 1e-9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.save-to", "s", custom));
  wait_for_export (dialog);
  g_autofree char *png = NULL;
  gsize png_length;
  g_assert_true (g_file_get_contents (custom, &png, &png_length, NULL));
  g_assert_cmpuint (read_be32 ((const guchar *) png + 16), ==, strata_figure_pixels (strata_figure_points_from_cm (12.0), 300));
  g_assert_cmpuint (read_be32 ((const guchar *) png + 20), ==, strata_figure_pixels (strata_figure_points_from_cm (9.0), 300));
  gui_test_assert_finalized (dialog);

  /* A failure is said in plain words, over the dialog, which stays open. */
  dialog = open_export_dialog (window);
  g_autofree char *nowhere = g_build_filename (dir, "no-such-folder", "figure.pdf", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.save-to", "s", nowhere));
  wait_for_export (dialog);
  GtkWindow *message = gui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (message);
  g_assert_true (gtk_window_get_transient_for (message) == GTK_WINDOW (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)), "Could not save"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)), "figure.pdf"));
  gtk_window_destroy (message);
  g_assert_true (gui_test_find_toplevel (STRATA_TYPE_EXPORT_DIALOG) == GTK_WINDOW (dialog));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "export.cancel", NULL));
  g_assert_null (gui_test_find_toplevel (STRATA_TYPE_EXPORT_DIALOG));
  gui_test_assert_finalized (dialog);

  gui_test_remove_dir (dir);
  gui_test_close_window (window);
}

static void
texture_read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GdkTexture **texture = user_data;

  *texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, NULL);
}

/* "Copy Figure" puts the PNG on the clipboard as an image. */
static void
test_copy_figure (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window));
  GdkTexture *texture = NULL;

  /* The window starts from the remembered figure settings (GSettings), which earlier
   * exports of this run have changed: ask for a single column. */
  strata_window_get_export_settings (window)->size = STRATA_FIGURE_SIZE_SINGLE;
  strata_window_get_export_settings (window)->dpi = 600;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-figure", NULL));
  g_assert_true (strata_window_get_busy (window));
  gui_test_wait_until_idle (window);
  g_assert_cmpstr (strata_window_get_last_message (window), ==, "Figure copied");
  g_assert_true (gdk_content_formats_contain_gtype (gdk_clipboard_get_formats (clipboard), GDK_TYPE_TEXTURE));
  gdk_clipboard_read_texture_async (clipboard, NULL, texture_read_cb, &texture);
  while (texture == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* Single column at 300 dpi (the clipboard's limit), opaque. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==,
                   strata_figure_pixels (strata_figure_points_from_cm (8.0), 300));
  g_object_unref (texture);
  gdk_clipboard_set_content (clipboard, NULL);
  gui_test_close_window (window);
}

/* "Export Workbook" writes the xlsx in a worker; a failure is said in plain words. */
static void
test_export_workbook (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autofree char *dir = g_dir_make_tmp ("strata-workbook-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cohort.xlsx", NULL);
  g_autofree char *data = NULL;
  gsize length = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-workbook-to", "s", path));
  g_assert_true (strata_window_get_busy (window));
  gui_test_wait_until_idle (window);
  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  g_assert_cmpuint (length, >, 10000);
  g_assert_cmpmem (data, 2, "PK", 2);
  g_assert_cmpstr (strata_window_get_last_message (window), ==, "Workbook saved as cohort.xlsx");

  g_autofree char *nowhere = g_build_filename (dir, "missing", "cohort.xlsx", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-workbook-to", "s", nowhere));
  gui_test_wait_until_idle (window);
  GtkWindow *message = gui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)), "Could not save"));
  gtk_window_destroy (message);

  gui_test_remove_dir (dir);
  gui_test_close_window (window);
}

/* Save Analysis, then Open: the toggles, grouping, strata, options come back; a changed
 * cohort file is reported; a malformed analysis file is refused in plain words. */
static void
test_analysis_round_trip (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataStrataPanel *panel = strata_window_get_panel (window);
  g_autofree char *dir = g_dir_make_tmp ("strata-analysis-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "emd.strata", NULL);
  g_autoptr (GError) error = NULL;

  /* The seed's OS by burden within the EMD cohort, women only, plain CI. */
  strata_strata_panel_set_site_active (panel, "BM", FALSE);
  strata_strata_panel_set_site_active (panel, "CNS", FALSE);
  strata_strata_panel_set_compare_by (panel, STRATA_COMPARE_BY_BURDEN);
  g_assert_true (strata_strata_panel_add_stratum (panel, "sex"));
  g_assert_true (strata_strata_panel_set_level_active (panel, "sex", "M", FALSE));
  strata_window_get_export_settings (window)->format = STRATA_FIGURE_TIFF;
  strata_window_get_export_settings (window)->palette = STRATA_PALETTE_GREYSCALE;
  gui_test_wait_until_idle (window);
  StrataResult *saved = strata_result_ref (strata_window_get_result (window));
  g_assert_cmpuint (saved->where->len, ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-analysis-to", "s", path));
  g_assert_cmpstr (strata_window_get_last_message (window), ==, "Analysis saved as emd.strata");
  g_autoptr (StrataAnalysisFile) file = strata_analysis_file_load (path, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (file->source_status, ==, STRATA_SOURCE_UNCHANGED);
  g_assert_cmpstr (file->source_sha256, ==, strata_window_get_source_sha256 (window));
  g_assert_cmpuint (file->spec->where->len, ==, 2);
  g_assert_cmpstr (((StrataGrouping *) g_ptr_array_index (file->spec->by, 0))->text, ==, "bm_blasts_pct>=5");
  gui_test_close_window (window);

  /* A new window opens it: the same view, without the import assistant. */
  window = gui_test_open_demo_window (application);
  panel = strata_window_get_panel (window);
  g_autoptr (GFile) analysis = g_file_new_for_path (path);
  strata_window_open_file (window, analysis);
  gui_test_wait_until_idle (window);
  g_assert_null (strata_window_get_import_assistant (window));
  g_assert_cmpstr (strata_window_get_last_message (window), ==, "Analysis emd.strata restored");
  g_assert_false (strata_strata_panel_get_site_active (panel, "BM"));
  g_assert_true (strata_strata_panel_get_site_active (panel, "EMD"));
  g_assert_false (strata_strata_panel_get_site_active (panel, "CNS"));
  g_assert_cmpstr (strata_strata_panel_get_compare_by (panel), ==, STRATA_COMPARE_BY_BURDEN);
  g_assert_true (strata_strata_panel_get_level_active (panel, "sex", "F"));
  g_assert_false (strata_strata_panel_get_level_active (panel, "sex", "M"));
  g_assert_cmpint (strata_window_get_export_settings (window)->format, ==, STRATA_FIGURE_TIFF);
  g_assert_cmpint (strata_window_get_export_settings (window)->palette, ==, STRATA_PALETTE_GREYSCALE);
  StrataResult *restored = strata_window_get_result (window);
  g_assert_cmpuint (restored->groups->len, ==, saved->groups->len);
  for (guint g = 0; g < saved->groups->len; g++)
    {
      const StrataGroupResult *a = g_ptr_array_index (saved->groups, g);
      const StrataGroupResult *b = g_ptr_array_index (restored->groups, g);
      g_assert_cmpstr (a->label, ==, b->label);
      g_assert_cmpuint (a->n, ==, b->n);
      g_assert_cmpfloat (a->landmarks->surv[1], ==, b->landmarks->surv[1]);
    }
  g_assert_cmpfloat (restored->logrank->p, ==, saved->logrank->p);
  strata_result_unref (saved);

  /* A copy of the cohort, analysed and saved, then changed: said when opened. */
  g_autofree char *copy = g_build_filename (dir, "copy.csv", NULL);
  g_autofree char *copy_analysis = g_build_filename (dir, "copy.strata", NULL);
  g_autofree char *demo_text = NULL;
  g_assert_true (g_file_get_contents (g_getenv ("STRATA_DEMO_COHORT"), &demo_text, NULL, NULL));
  g_assert_true (g_file_set_contents (copy, demo_text, -1, NULL));
  g_autoptr (GFile) copy_file = g_file_new_for_path (copy);
  gui_test_open_and_confirm (window, copy_file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-analysis-to", "s", copy_analysis));
  g_autofree char *changed = g_strconcat (demo_text, "DEMO-999,10,F,BM,0,negative,,12.0,1,12.0,1,12.0,1,no\n", NULL);
  g_assert_true (g_file_set_contents (copy, changed, -1, NULL));
  g_autoptr (GFile) copy_analysis_file = g_file_new_for_path (copy_analysis);
  strata_window_open_file (window, copy_analysis_file);
  gui_test_wait_until_idle (window);
  g_assert_null (strata_window_get_import_assistant (window));
  GtkWindow *message = gui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)), "copy.csv"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)), "changed since"));
  gtk_window_destroy (message);
  /* The new row is in: 309 patients. */
  g_assert_cmpuint (strata_window_get_result (window)->rows, ==, 309);

  /* Malformed, and a cohort that is gone: plain words, the view unchanged. */
  g_autofree char *broken = g_build_filename (dir, "broken.strata", NULL);
  g_assert_true (g_file_set_contents (broken, "{\"format\": \"strata-analysis\", \"version\": 1}", -1, NULL));
  g_autoptr (GFile) broken_file = g_file_new_for_path (broken);
  strata_window_open_file (window, broken_file);
  gui_test_wait_until_idle (window);
  message = gui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)), "“source” is missing"));
  gtk_window_destroy (message);
  g_assert_cmpint (g_remove (copy), ==, 0);
  strata_window_open_file (window, copy_analysis_file);
  gui_test_wait_until_idle (window);
  message = gui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)), "was not found"));
  gtk_window_destroy (message);
  g_assert_cmpstr (strata_window_get_page (window), ==, "results");

  gui_test_remove_dir (dir);
  gui_test_close_window (window);
}

/* The last result outlives the window only through the test's own reference. */
static void
test_no_leaks (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataResult *result = strata_result_ref (strata_window_get_result (window));

  gui_test_close_window (window);
  g_assert_true (g_atomic_ref_count_compare (&result->ref_count, 1));
  strata_result_unref (result);
}

/* Every format the core reads opens in the window: the loader reads workbooks and
 * SPSS/Stata/SAS files from their path (it once read every file as CSV), the assistant
 * is confirmed, and the analysis is the CSV's: 23 patients, the same survival. */
static void
test_open_formats (void)
{
  static const char *const names[] = { "aml.xlsx", "aml.ods", "aml.sav", "aml.zsav", "aml.dta",
                                       "aml.xpt", "aml.sas7bdat" };
  g_autofree char *csv_path = g_test_build_filename (G_TEST_DIST, "data", "formats", "aml-dates.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) csv_table = strata_table_load_file (csv_path, &error);
  g_assert_no_error (error);
  g_autoptr (StrataCohort) csv_cohort = strata_cohort_new (csv_table);
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  g_autoptr (StrataResult) expected = strata_analysis_run (csv_cohort, spec, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "formats", names[i], NULL);
      g_autoptr (GFile) file = g_file_new_for_path (path);
      StrataWindow *window = gui_test_open_demo_window (application);

      g_test_message ("%s", names[i]);
      gui_test_open_and_confirm (window, file);
      StrataResult *result = strata_window_get_result (window);
      g_assert_nonnull (result);
      g_assert_false (strata_window_get_is_demo (window));
      g_assert_cmpuint (result->rows_used, ==, expected->rows_used);
      g_assert_cmpuint (result->rows_used, ==, 23);
      const StrataKmTable *km = ((StrataGroupResult *) g_ptr_array_index (result->groups, 0))->km;
      const StrataKmTable *want = ((StrataGroupResult *) g_ptr_array_index (expected->groups, 0))->km;
      g_assert_cmpuint (km->len, ==, want->len);
      for (guint t = 0; t < km->len; t++)
        g_assert_cmpfloat (km->surv[t], ==, want->surv[t]);
      gui_test_close_window (window);
    }
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  application = gui_test_application_new ("/window/no-display");
  if (application == NULL)
    return g_test_run ();

  g_test_add_func ("/window/demo-first-result", test_demo_first_result);
  g_test_add_func ("/window/toggle-site", test_toggle_site);
  g_test_add_func ("/window/newest-wins", test_newest_wins);
  g_test_add_func ("/window/mrd-table", test_mrd_table);
  g_test_add_func ("/window/no-patients", test_no_patients);
  g_test_add_func ("/window/render", test_render);
  g_test_add_func ("/window/hover", test_hover);
  g_test_add_func ("/window/keyboard-focus", test_keyboard_focus);
  g_test_add_func ("/window/import-error", test_import_error);
  g_test_add_func ("/window/cancel-import", test_cancel_import);
  g_test_add_func ("/window/drop-file", test_drop_file);
  g_test_add_func ("/window/import-assistant", test_import_assistant);
  g_test_add_func ("/window/add-stratum", test_add_stratum);
  g_test_add_func ("/window/export-figure", test_export_figure);
  g_test_add_func ("/window/copy-figure", test_copy_figure);
  g_test_add_func ("/window/export-workbook", test_export_workbook);
  g_test_add_func ("/window/analysis-round-trip", test_analysis_round_trip);
  g_test_add_func ("/window/open-formats", test_open_formats);
  g_test_add_func ("/window/no-leaks", test_no_leaks);
  status = g_test_run ();

  /* Every window is gone (each test asserts its finalization). A registered
   * GtkApplication keeps a reference of its own after start-up, so the application
   * itself is only released here, not checked. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, 0);
  g_object_unref (application);
  return status;
}

/* test-patient-view.c: the window's patient table, group names, response tables and
 * plot switches under Xvfb. The patient table on the demo cohort counts the rows the
 * core includes as the analysis does, follows a toggle, sorts by a column, and on a
 * malformed file lists the rows import left out with their reasons in the window's
 * words; marrow-burden groups get readable names in every view while the core's labels
 * stay as the JSON contract has them; a response table shows no 0/0 rows; the
 * KMunicate switch of the strata panel drives the plot. */
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "strata-application.h"
#include "strata-exclusions-dialog.h"
#include "strata-group-label.h"
#include "strata-import-assistant.h"
#include "strata-response-view.h"
#include "strata-result-text.h"
#include "strata-window.h"

#include "gui-test-util.h"

static StrataApplication *application;

/* ---- helpers (the shared ones are in gui-test-util.h) -------------------------------- */

static StrataPatientView *
show_patients (StrataWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-tables", "s", "patients"));
  g_assert_cmpstr (strata_window_get_tables_page (window), ==, "patients");
  gui_test_wait_for_frames (GTK_WIDGET (window), 2);
  return strata_window_get_patient_view (window);
}

/* The position of the first row whose column ID reads TEXT, or -1. */
static int
find_row (StrataPatientView *view, const char *id, const char *text)
{
  for (guint i = 0; i < strata_patient_view_get_n_rows (view); i++)
    {
      g_autofree char *cell = strata_patient_view_dup_cell (view, i, id);
      if (g_strcmp0 (cell, text) == 0)
        return (int) i;
    }
  return -1;
}

static void
sort_by (StrataPatientView *view, const char *id, GtkSortType direction)
{
  GtkColumnViewColumn *column = strata_patient_view_get_column (view, id);

  g_assert_nonnull (column);
  gtk_column_view_sort_by_column (strata_patient_view_get_column_view (view), column, direction);
}

static const char *
burden_column (StrataWindow *window)
{
  return strata_strata_panel_get_roles (strata_window_get_panel (window))->blasts_column;
}

/* ---- tests --------------------------------------------------------------------------- */

/* The demo cohort: every row, the included ones those the core counts, before and after
 * a toggle; sorting by the time and status columns. */
static void
test_patients_demo (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataPatientView *view = show_patients (window);
  StrataResult *result = strata_window_get_result (window);

  g_assert_cmpuint (strata_patient_view_get_n_rows (view), ==, 308);
  g_assert_cmpuint (strata_patient_view_get_n_rows (view), ==, result->rows);
  g_assert_cmpuint (strata_patient_view_get_n_included (view), ==, result->rows_used);
  g_assert_cmpuint (strata_patient_view_get_n_excluded (view), ==, 0);
  /* The list model makes row objects on demand: two asks, two objects. */
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (strata_patient_view_get_column_view (view)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 308);
  g_autoptr (GObject) first = g_list_model_get_item (model, 0);
  g_autoptr (GObject) again = g_list_model_get_item (model, 0);
  g_assert_true (first != again);
  g_autofree char *line = strata_patient_view_dup_cell (view, 0, "line");
  g_assert_cmpstr (line, ==, "2");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (strata_window_get_panel (window)),
                                             "panel.toggle-site", "s", "CNS"));
  gui_test_wait_until_idle (window);
  result = strata_window_get_result (window);
  g_assert_cmpuint (result->rows_used, ==, 251 + 21);
  g_assert_cmpuint (strata_patient_view_get_n_included (view), ==, result->rows_used);
  g_assert_cmpuint (strata_patient_view_get_n_not_selected (view), ==, 36);
  g_assert_cmpuint (strata_patient_view_get_n_included (view) + strata_patient_view_get_n_not_selected (view) +
                    strata_patient_view_get_n_excluded (view), ==, 308);
  int cns = find_row (view, "disease_site", "CNS");
  g_assert_cmpint (cns, >=, 0);
  g_autofree char *status = strata_patient_view_dup_cell (view, (guint) cns, "status");
  g_autofree char *reason = strata_patient_view_dup_cell (view, (guint) cns, "reason");
  g_autofree char *group = strata_patient_view_dup_cell (view, (guint) cns, "group");
  g_assert_cmpstr (status, ==, "Not in the current selection");
  g_assert_nonnull (strstr (reason, "disease_site="));
  g_assert_cmpstr (group, ==, "");
  int bm = find_row (view, "disease_site", "BM");
  g_autofree char *bm_group = strata_patient_view_dup_cell (view, (guint) bm, "group");
  g_assert_cmpstr (bm_group, ==, "BM");

  /* Sorted by time, longest first, then shortest first. */
  sort_by (view, "time", GTK_SORT_DESCENDING);
  double previous = INFINITY;
  for (guint i = 0; i < 308; i++)
    {
      g_autofree char *cell = strata_patient_view_dup_cell (view, i, "time");
      double t = g_ascii_strtod (cell, NULL);
      g_assert_cmpfloat (t, <=, previous);
      previous = t;
    }
  g_autofree char *longest = strata_patient_view_dup_cell (view, 0, "time");
  sort_by (view, "time", GTK_SORT_ASCENDING);
  g_autofree char *shortest = strata_patient_view_dup_cell (view, 0, "time");
  g_autofree char *last = strata_patient_view_dup_cell (view, 307, "time");
  g_assert_cmpstr (last, ==, longest);
  g_assert_cmpfloat (g_ascii_strtod (shortest, NULL), <, g_ascii_strtod (longest, NULL));

  /* By status: the included rows first, in line order. */
  sort_by (view, "status", GTK_SORT_ASCENDING);
  g_autofree char *top = strata_patient_view_dup_cell (view, 0, "status");
  g_autofree char *bottom = strata_patient_view_dup_cell (view, 307, "status");
  g_autofree char *at_272 = strata_patient_view_dup_cell (view, 272, "status");
  g_assert_cmpstr (top, ==, "Included");
  g_assert_cmpstr (bottom, ==, "Not in the current selection");
  g_assert_cmpstr (at_272, ==, "Not in the current selection");
  g_autofree char *line_a = strata_patient_view_dup_cell (view, 0, "line");
  g_autofree char *line_b = strata_patient_view_dup_cell (view, 1, "line");
  g_assert_cmpint (atoi (line_a), <, atoi (line_b));

  /* The sort stays through the next change. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (strata_window_get_panel (window)),
                                             "panel.toggle-site", "s", "CNS"));
  gui_test_wait_until_idle (window);
  g_assert_cmpuint (strata_patient_view_get_n_included (view), ==, 308);
  g_autofree char *all_in = strata_patient_view_dup_cell (view, 307, "status");
  g_assert_cmpstr (all_in, ==, "Included");

  gui_test_close_window (window);
}

/* A file with bad rows: each appears with its line and reason; the reason about the
 * event values points to the import assistant, not to strata-report's option. */
static void
test_patients_malformed (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "data", "cli-bad-rows.csv", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *dir = g_dir_make_tmp ("strata-patients-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad-rows.csv", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (source, &contents, NULL, &error));
  g_assert_no_error (error);
  /* Line 12: a record with a field too many, which import rejects. */
  g_autofree char *bad = g_strconcat (contents, "11,6,1,A,surplus\n", NULL);
  g_assert_true (g_file_set_contents (path, bad, -1, &error));
  g_assert_no_error (error);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  gui_test_open_and_confirm (window, file);

  StrataPatientView *view = show_patients (window);
  StrataResult *result = strata_window_get_result (window);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->rows, ==, 11);
  g_assert_cmpuint (strata_patient_view_get_n_rows (view), ==, 11);
  g_assert_cmpuint (strata_patient_view_get_n_included (view), ==, result->rows_used);
  g_assert_cmpuint (strata_patient_view_get_n_excluded (view), >=, 6);

  static const struct { const char *line, *reason; } expected[] = {
    { "3", "negative" },
    { "4", "time is missing" },
    { "5", "not a number" },
    { "6", "import assistant" },
    { "9", "event status is missing" },
    { "12", "" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      int row = find_row (view, "line", expected[i].line);
      g_assert_cmpint (row, >=, 0);
      g_autofree char *status = strata_patient_view_dup_cell (view, (guint) row, "status");
      g_autofree char *reason = strata_patient_view_dup_cell (view, (guint) row, "reason");
      g_assert_cmpstr (status, ==, "Excluded at import");
      g_assert_cmpuint (strlen (reason), >, 0);
      g_assert_nonnull (strstr (reason, expected[i].reason));
      g_assert_null (strstr (reason, "--event-values"));
    }
  /* The rejected record sits in line order among the table's rows. */
  g_autofree char *last_line = strata_patient_view_dup_cell (view, 10, "line");
  g_assert_cmpstr (last_line, ==, "12");

  /* The core's own reason (the CLI's words) is unchanged; the window rewords it. */
  gboolean found = FALSE;
  for (guint i = 0; i < result->excluded->len; i++)
    {
      const StrataIssue *issue = g_ptr_array_index (result->excluded, i);
      if (issue->line != 6)
        continue;
      found = TRUE;
      g_assert_true (g_str_has_suffix (issue->reason, "; name the event values with --event-values"));
      g_autofree char *shown = strata_result_text_reason (issue->reason);
      g_assert_null (strstr (shown, "--event-values"));
      g_assert_true (g_str_has_prefix (shown, "event value “2” is neither an event nor a censoring ("));
      g_assert_nonnull (strstr (shown, "import assistant"));
    }
  g_assert_true (found);
  g_autofree char *listed = strata_exclusions_dialog_format (result);
  g_assert_null (strstr (listed, "--event-values"));
  g_assert_nonnull (strstr (listed, "import assistant"));

  gui_test_close_window (window);
  g_remove (path);
  g_rmdir (dir);
}

/* The 1/2 coding error of the core, in the window's words. */
static void
test_event_coding_error (void)
{
  g_autoptr (GError) error = g_error_new_literal (STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_EVENT_CODING,
                                                  "x.csv: column “e” is coded 1/2; say it with --event-values");
  g_autofree char *text = strata_result_text_error (error);

  g_assert_null (strstr (text, "--"));
  g_assert_nonnull (strstr (text, "import assistant"));
}

/* A time column of dates: the core's error (which names strata-report's --time-from)
 * in the window's words, pointing at the import assistant's "Time from dates". */
static void
test_dates_as_times_error (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "hostile", "times-as-dates.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  g_assert_no_error (error);
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);

  g_assert_null (strata_cohort_get_endpoint (cohort, "time", "event", NULL, &error));
  g_assert_error (error, STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_NOT_NUMERIC);
  g_assert_nonnull (strstr (error->message, "--time-from=START"));
  g_autofree char *text = strata_result_text_error (error);
  g_assert_nonnull (strstr (text, "the time column “time” holds dates (such as 2021-03-04), not times. "));
  g_assert_nonnull (strstr (text, "“Time from dates”"));
  g_assert_null (strstr (text, "--"));
}

/* Burden groups: readable in the window, the core's labels unchanged. */
static void
test_burden_labels (void)
{
  g_autoptr (GPtrArray) by = g_ptr_array_new ();
  g_autofree char *high = NULL, *low = NULL, *crossed = NULL, *site = NULL, *other = NULL;

  g_ptr_array_add (by, "bm_blasts_pct>=5");
  high = strata_group_label_display (by, "bm_blasts_pct", "bm_blasts_pct>=5");
  low = strata_group_label_display (by, "bm_blasts_pct", "bm_blasts_pct<5");
  g_assert_cmpstr (high, ==, "High burden (≥ 5 % blasts)");
  g_assert_cmpstr (low, ==, "Low burden (< 5 % blasts)");
  other = strata_group_label_display (by, "another_column", "bm_blasts_pct>=5");
  g_assert_cmpstr (other, ==, "bm_blasts_pct>=5");
  g_ptr_array_set_size (by, 0);
  g_ptr_array_add (by, "disease_site");
  g_ptr_array_add (by, "bm_blasts_pct>=5");
  crossed = strata_group_label_display (by, "bm_blasts_pct", "CNS, bm_blasts_pct>=5");
  g_assert_cmpstr (crossed, ==, "CNS · High burden (≥ 5 % blasts)");
  site = strata_group_label_display (by, "bm_blasts_pct", "CNS");
  g_assert_cmpstr (site, ==, "CNS");

  /* OS by burden within the CNS cohort. */
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataStrataPanel *panel = strata_window_get_panel (window);
  strata_strata_panel_set_site_active (panel, "BM", FALSE);
  strata_strata_panel_set_site_active (panel, "EMD", FALSE);
  g_assert_true (strata_strata_panel_set_compare_by (panel, STRATA_COMPARE_BY_BURDEN));
  gui_test_wait_until_idle (window);
  gui_test_wait_for_frames (GTK_WIDGET (window), 2);

  StrataResult *result = strata_window_get_result (window);
  g_assert_cmpuint (result->groups->len, ==, 2);
  g_assert_cmpstr (((StrataGroupResult *) g_ptr_array_index (result->groups, 0))->label, ==, "bm_blasts_pct<5");
  g_assert_cmpstr (((StrataGroupResult *) g_ptr_array_index (result->groups, 1))->label, ==, "bm_blasts_pct>=5");
  g_assert_cmpstr (burden_column (window), ==, "bm_blasts_pct");

  /* The summary table. */
  StrataSummaryView *summary = strata_window_get_summary_view (window);
  g_assert_cmpstr (strata_summary_view_get_cell (summary, 1, 0), ==, "Low burden (< 5 % blasts)");
  g_assert_cmpstr (strata_summary_view_get_cell (summary, 2, 0), ==, "High burden (≥ 5 % blasts)");

  /* The plot's legend and risk table (the style the renderer and the exports use). */
  StrataKmView *km = strata_window_get_km_view (window);
  const StrataPlotStyle *style = strata_km_view_get_style (km);
  g_assert_nonnull (style->group_labels);
  g_assert_cmpstr (style->group_labels[0], ==, "Low burden (< 5 % blasts)");
  g_assert_cmpstr (style->group_labels[1], ==, "High burden (≥ 5 % blasts)");
  g_autoptr (StrataPlotStyle) copy = strata_plot_style_copy (style);
  g_assert_cmpstr (copy->group_labels[1], ==, "High burden (≥ 5 % blasts)");

  /* The hover card. */
  strata_km_view_set_hover_time (km, 12.0);
  g_autofree char *hover = strata_km_view_dup_hover_text (km);
  g_assert_nonnull (strstr (hover, "\nLow burden (< 5 % blasts): S(t) "));
  g_assert_nonnull (strstr (hover, "\nHigh burden (≥ 5 % blasts): S(t) "));
  strata_km_view_set_hover_time (km, NAN);

  /* The response tables. */
  g_autolist (GtkWidget) views = strata_window_get_response_views (window);
  g_assert_nonnull (views);
  for (GList *l = views; l != NULL; l = l->next)
    for (guint r = 0; r < strata_response_view_get_n_rows (l->data); r++)
      g_assert_true (g_str_has_suffix (strata_response_view_get_row_group (l->data, r), "% blasts)"));
  g_clear_list (&views, NULL);

  /* The patient table. */
  StrataPatientView *patients = show_patients (window);
  int row = find_row (patients, "status", "Included");
  g_assert_cmpint (row, >=, 0);
  g_autofree char *group = strata_patient_view_dup_cell (patients, (guint) row, "group");
  g_assert_true (g_str_has_suffix (group, "burden (≥ 5 % blasts)") || g_str_has_suffix (group, "burden (< 5 % blasts)"));

  /* Site × burden: the parts joined. */
  g_assert_true (strata_strata_panel_set_compare_by (panel, STRATA_COMPARE_BY_SITE_BURDEN));
  gui_test_wait_until_idle (window);
  summary = strata_window_get_summary_view (window);
  g_assert_nonnull (strstr (strata_summary_view_get_cell (summary, 1, 0), "CNS · "));

  gui_test_close_window (window);
}

/* The EMD response table lists only the groups with patients in it. */
static void
test_response_without_empty_groups (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autolist (GtkWidget) views = strata_window_get_response_views (window);
  StrataResponseView *emd = NULL;

  for (GList *l = views; l != NULL; l = l->next)
    if (g_strcmp0 (strata_response_view_get_table (l->data)->column, "emd_response") == 0)
      emd = l->data;
  g_assert_nonnull (emd);

  const StrataResponseTable *table = strata_response_view_get_table (emd);
  guint with_patients = 0;
  for (guint r = 0; r < table->rows->len; r++)
    with_patients += ((const StrataResponseRow *) g_ptr_array_index (table->rows, r))->n > 0;
  /* The core reports every group (BM and CNS with n = 0); the view only those with patients. */
  g_assert_cmpuint (table->rows->len, ==, 3);
  g_assert_cmpuint (with_patients, ==, 1);
  g_assert_cmpuint (strata_response_view_get_n_rows (emd), ==, 1);
  g_assert_cmpstr (strata_response_view_get_row_group (emd, 0), ==, "EMD");
  const char *note = strata_response_view_get_empty_note (emd);
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "BM"));
  g_assert_nonnull (strstr (note, "CNS"));
  g_assert_null (strstr (strata_response_view_get_footer (emd), "Fisher"));

  g_clear_list (&views, NULL);
  gui_test_close_window (window);
}

/* The KMunicate switch of the strata panel drives the plot. */
static void
test_kmunicate_switch (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataStrataPanel *panel = strata_window_get_panel (window);
  StrataKmView *km = strata_window_get_km_view (window);
  StrataKmPlotLayout before, after;
  gboolean kmunicate = TRUE;

  g_object_get (km, "kmunicate", &kmunicate, NULL);
  g_assert_false (kmunicate);
  g_assert_false (strata_strata_panel_get_kmunicate (panel));
  g_assert_true (strata_km_view_get_layout (km, &before));

  g_object_set (panel, "kmunicate", TRUE, NULL);
  g_object_get (km, "kmunicate", &kmunicate, NULL);
  g_assert_true (kmunicate);
  gui_test_wait_for_frames (GTK_WIDGET (km), 2);
  g_assert_true (strata_km_view_get_layout (km, &after));
  /* Three rows per group (at risk, events, censored) instead of one. */
  g_assert_cmpfloat (after.table_height, >, before.table_height);

  g_object_set (panel, "kmunicate", FALSE, NULL);
  g_object_get (km, "kmunicate", &kmunicate, NULL);
  g_assert_false (kmunicate);
  gui_test_close_window (window);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  application = gui_test_application_new ("/patients/no-display");
  if (application == NULL)
    return g_test_run ();

  g_test_add_func ("/patients/demo", test_patients_demo);
  g_test_add_func ("/patients/malformed", test_patients_malformed);
  g_test_add_func ("/patients/event-coding-error", test_event_coding_error);
  g_test_add_func ("/patients/dates-as-times-error", test_dates_as_times_error);
  g_test_add_func ("/labels/burden", test_burden_labels);
  g_test_add_func ("/responses/no-empty-groups", test_response_without_empty_groups);
  g_test_add_func ("/panel/kmunicate", test_kmunicate_switch);
  status = g_test_run ();

  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, 0);
  g_object_unref (application);
  return status;
}

/* test-import-assistant.c: the import assistant's time from dates and sheet picker,
 * headless. The time it derives from a start date, an event date and a last contact is
 * strata-report's (--time-from/--time-to/--last-contact); dates that read day first or
 * month first are asked, not guessed; another sheet and header row of a workbook are
 * read in a worker (newest choice wins, Stop Reading) and flow into the roles. STRATA_SCREENSHOT_DIR, when set, gets PNGs of both. */
#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "strata-analysis.h"
#include "strata-import-assistant.h"

#include "gui-test-util.h"

static char *
data_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static StrataImportAssistant *
open_assistant (const char *path, GFile **file_out)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  StrataImportAssistant *assistant = gui_test_new_assistant (file, 900, 1000);

  if (file_out != NULL)
    *file_out = g_steal_pointer (&file);
  return assistant;
}

/* Saves a PNG of WIDGET as NAME in $STRATA_SCREENSHOT_DIR (nothing when unset). */
static void
screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("STRATA_SCREENSHOT_DIR");

  if (dir == NULL)
    return;
  for (guint i = 0; i < 20; i++)
    {
      gui_test_drain ();
      g_usleep (20000);
    }
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GdkTexture) texture = gui_test_save_png (widget, path);
}

/* The date mode: guessed from the names, the derived time of each preview row equals
 * strata-report's, the excluded rows are listed, and the roles give the same spec. */
static void
test_dates (void)
{
  g_autofree char *csv = data_file ("dates-follow-up.csv");
  StrataImportAssistant *assistant = open_assistant (csv, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_true (strata_import_assistant_has_date_mode (assistant));
  /* No time column: the names give infusion_date, death_date and last_contact. */
  const StrataColumnRoles *roles = strata_import_assistant_get_roles (assistant);
  g_assert_nonnull (roles);
  g_assert_cmpstr (roles->time_from, ==, "infusion_date");
  g_assert_cmpstr (roles->time_to, ==, "death_date");
  g_assert_cmpstr (roles->last_contact, ==, "last_contact");
  g_assert_cmpstr (roles->time_unit, ==, "months");
  g_assert_null (roles->time_column);

  g_assert_true (strata_import_assistant_set_time_from_dates (assistant, "infusion_date", "death_date",
                                                              "last_contact", "days"));
  roles = strata_import_assistant_get_roles (assistant);
  g_assert_nonnull (roles);

  /* The preview's derived columns against strata-report's times, row by row. */
  JsonObject *root = gui_test_report_json (parser, (const char *const[]) {
    "--time-from=infusion_date", "--time-to=death_date", "--last-contact=last_contact",
    "--time-unit=days", csv, NULL });
  StrataTable *table = strata_import_assistant_get_table (assistant);
  guint n_columns = strata_table_get_n_columns (table);
  guint n_rows = strata_import_assistant_get_preview_rows (assistant);
  JsonObject *km = json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (root, "groups"), 0), "km");
  JsonArray *times = json_object_get_array_member (km, "time");
  g_assert_cmpuint (n_rows, ==, 8);
  static const char *const expected_time[] = { "29.00", "366.00", "", "", "", "366.00", "365.00", "366.00" };
  static const char *const expected_event[] = { "Yes", "No", "", "", "", "Yes", "No", "Yes" };
  for (guint r = 0; r < n_rows; r++)
    {
      const char *time = strata_import_assistant_get_preview_cell (assistant, r, n_columns);
      const char *event = strata_import_assistant_get_preview_cell (assistant, r, n_columns + 1);
      g_assert_cmpstr (time, ==, expected_time[r]);
      g_assert_cmpstr (event, ==, expected_event[r]);
      if (*time != '\0')
        {
          /* Each derived time is one of strata-report's event or censoring times. */
          gboolean found = FALSE;
          for (guint i = 0; i < json_array_get_length (times); i++)
            found |= fabs (json_array_get_double_element (times, i) - g_ascii_strtod (time, NULL)) < 0.005;
          g_assert_true (found);
        }
    }
  g_assert_null (strata_import_assistant_get_preview_cell (assistant, 0, n_columns + 2));

  /* The import report lists each row left out, as strata-report does. */
  g_autofree char *text = strata_import_assistant_dup_report (assistant);
  JsonArray *excluded = json_object_get_array_member (json_object_get_object_member (root, "input"), "excluded");
  g_assert_cmpuint (json_array_get_length (excluded), ==, 4);
  for (guint i = 0; i < json_array_get_length (excluded); i++)
    {
      JsonObject *issue = json_array_get_object_element (excluded, i);
      g_autofree char *line = g_strdup_printf ("Left out: line %" G_GINT64_FORMAT ", %s: %s",
                                               json_object_get_int_member (issue, "line"),
                                               json_object_get_string_member (issue, "column"),
                                               json_object_get_string_member (issue, "reason"));
      g_assert_nonnull (strstr (text, line));
    }

  /* The roles give the spec strata-report ran. */
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  strata_column_roles_apply_dates (roles, spec);
  g_assert_cmpstr (spec->time_from, ==, "infusion_date");
  g_assert_cmpstr (spec->last_contact, ==, "last_contact");
  g_autoptr (StrataResult) result = strata_analysis_run (strata_import_assistant_get_cohort (assistant),
                                                         spec, NULL, NULL);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->rows_used, ==, json_object_get_int_member (json_object_get_object_member (root, "input"), "rows_used"));

  /* The roles survive their JSON (the .strata file's import.roles). */
  g_autoptr (JsonObject) object = strata_column_roles_to_json (roles);
  g_autoptr (StrataColumnRoles) back = strata_column_roles_from_json (object);
  g_assert_cmpstr (back->time_to, ==, "death_date");
  g_assert_cmpstr (back->time_unit, ==, "days");

  strata_import_assistant_set_time_from_dates (assistant, "infusion_date", "death_date",
                                               "last_contact", "months");
  screenshot (GTK_WIDGET (assistant), "h3-import-dates.png");
  gtk_window_destroy (GTK_WINDOW (assistant));
  gui_test_drain ();
}

/* 03/04/2024 reads either way: the assistant asks, and Analyse waits for the answer. */
static void
test_ambiguous_dates (void)
{
  g_autofree char *csv = data_file ("dates-ambiguous.csv");
  StrataImportAssistant *assistant = open_assistant (csv, NULL);

  g_assert_true (strata_import_assistant_set_time_from_dates (assistant, "start", "relapse",
                                                              "last_seen", "days"));
  g_assert_true (strata_import_assistant_asks_date_order (assistant, "start"));
  g_assert_null (strata_import_assistant_get_roles (assistant));
  g_assert_nonnull (strstr (strata_import_assistant_get_problem (assistant), "day first or month first"));

  g_assert_true (strata_import_assistant_set_date_order (assistant, "start", STRATA_DATE_ORDER_DAY_FIRST));
  for (const char *const *c = (const char *const[]) { "relapse", "last_seen", NULL }; *c; c++)
    if (strata_import_assistant_asks_date_order (assistant, *c))
      strata_import_assistant_set_date_order (assistant, *c, STRATA_DATE_ORDER_DAY_FIRST);
  const StrataColumnRoles *roles = strata_import_assistant_get_roles (assistant);
  g_assert_nonnull (roles);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (roles->date_orders, "start")), ==,
                   STRATA_DATE_ORDER_DAY_FIRST);
  StrataTable *table = strata_import_assistant_get_table (assistant);
  /* 03/04/2024 → 05/04/2024, day first: 2 days. */
  g_assert_cmpstr (strata_import_assistant_get_preview_cell (assistant, 0, strata_table_get_n_columns (table)),
                   ==, "2.00");
  /* Each column keeps its own answer: start month first (4 March), relapse day first
   * (5 April). */
  strata_import_assistant_set_date_order (assistant, "start", STRATA_DATE_ORDER_MONTH_FIRST);
  g_assert_nonnull (strata_import_assistant_get_roles (assistant));
  g_assert_cmpstr (strata_import_assistant_get_preview_cell (assistant, 0, strata_table_get_n_columns (table)),
                   ==, "32.00");
  gtk_window_destroy (GTK_WINDOW (assistant));
  gui_test_drain ();
}

static gboolean
assistant_busy (gpointer assistant)
{
  return strata_import_assistant_get_busy (STRATA_IMPORT_ASSISTANT (assistant));
}

/* Runs the main loop until ASSISTANT has read the sheet and header row asked for. */
static void
wait_for_read (StrataImportAssistant *assistant)
{
  gui_test_wait_while (assistant_busy, assistant, "the import assistant");
}

static gboolean
can_analyse (StrataImportAssistant *assistant)
{
  return gtk_widget_get_sensitive (gui_test_find_by_id (GTK_WIDGET (assistant), "apply_button"));
}

/* A workbook: the sheet picker lists its sheets; another sheet with its header on row 3
 * replaces the table, read in a worker (the assistant answers meanwhile, Analyse waits),
 * and the roles carry the sheet and the header row. */
static void
test_sheet_picker (void)
{
  g_autofree char *xlsx = data_file ("dates-two-sheets.xlsx");
  g_autoptr (GFile) file = NULL;
  StrataImportAssistant *assistant = open_assistant (xlsx, &file);
  g_autoptr (JsonParser) parser = json_parser_new ();
  StrataTable *first = strata_import_assistant_get_table (assistant);

  g_assert_false (strata_import_assistant_get_busy (assistant));
  g_assert_false (strata_import_assistant_set_sheet (assistant, "No such sheet"));
  g_assert_true (strata_import_assistant_set_sheet (assistant, "Follow-up"));
  g_assert_true (strata_import_assistant_get_busy (assistant));
  g_assert_true (strata_import_assistant_get_table (assistant) == first);
  g_assert_false (can_analyse (assistant));
  g_assert_false (gtk_widget_get_sensitive (gui_test_find_group (GTK_WIDGET (assistant), "Preview")));
  strata_import_assistant_set_header_row (assistant, 3);
  wait_for_read (assistant);
  g_assert_true (can_analyse (assistant));
  g_assert_true (gtk_widget_get_sensitive (gui_test_find_group (GTK_WIDGET (assistant), "Preview")));
  StrataTable *table = strata_import_assistant_get_table (assistant);
  g_assert_nonnull (strata_table_find_column (table, "infusion_date"));
  g_assert_cmpuint (strata_table_get_n_rows (table), ==, 15);

  const StrataColumnRoles *roles = strata_import_assistant_get_roles (assistant);
  g_assert_nonnull (roles);
  g_assert_cmpstr (roles->sheet, ==, "Follow-up");
  g_assert_cmpuint (roles->header_row, ==, 3);
  g_assert_cmpstr (roles->time_from, ==, "infusion_date");

  /* The same numbers as strata-report --sheet --header-row. */
  JsonObject *root = gui_test_report_json (parser, (const char *const[]) {
    "--sheet=Follow-up", "--header-row=3", "--time-from=infusion_date", "--time-to=death_date",
    "--last-contact=last_contact", "--time-unit=months", xlsx, NULL });
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  strata_column_roles_apply_dates (roles, spec);
  g_autoptr (StrataResult) result = strata_analysis_run (strata_import_assistant_get_cohort (assistant),
                                                         spec, NULL, NULL);
  g_assert_nonnull (result);
  const StrataKmTable *km = ((StrataGroupResult *) g_ptr_array_index (result->groups, 0))->km;
  JsonArray *surv = json_object_get_array_member (json_object_get_object_member (
    json_array_get_object_element (json_object_get_array_member (root, "groups"), 0), "km"), "surv");
  g_assert_cmpuint (km->len, ==, json_array_get_length (surv));
  for (guint i = 0; i < km->len; i++)
    g_assert_cmpfloat (fabs (km->surv[i] - json_array_get_double_element (surv, i)), <, 1e-12);

  /* A header row past the data is said, and nothing can be analysed. */
  strata_import_assistant_set_header_row (assistant, 500);
  wait_for_read (assistant);
  g_assert_null (strata_import_assistant_get_roles (assistant));
  g_assert_false (can_analyse (assistant));
  strata_import_assistant_set_header_row (assistant, 3);
  wait_for_read (assistant);
  g_assert_nonnull (strata_import_assistant_get_roles (assistant));
  g_assert_true (can_analyse (assistant));

  screenshot (GTK_WIDGET (assistant), "h3-import-sheet.png");
  gtk_window_destroy (GTK_WINDOW (assistant));
  gui_test_drain ();
}

/* The newest choice wins: a read overtaken by another choice is dropped, whichever ends
 * first. */
static void
test_sheet_newest_wins (void)
{
  g_autofree char *xlsx = data_file ("dates-two-sheets.xlsx");
  StrataImportAssistant *assistant = open_assistant (xlsx, NULL);
  guint first_rows = strata_table_get_n_rows (strata_import_assistant_get_table (assistant));

  g_assert_cmpuint (first_rows, !=, 15);
  g_assert_true (strata_import_assistant_set_sheet (assistant, "Follow-up"));
  strata_import_assistant_set_header_row (assistant, 3);
  wait_for_read (assistant);
  g_assert_cmpuint (strata_table_get_n_rows (strata_import_assistant_get_table (assistant)), ==, 15);

  /* Back to the first sheet (header found by itself), then, before that read ends, to
   * Follow-up with no header row: that is what stays. */
  strata_import_assistant_set_header_row (assistant, 0);
  g_assert_true (strata_import_assistant_set_sheet (assistant, NULL));
  g_assert_true (strata_import_assistant_set_sheet (assistant, "Follow-up"));
  wait_for_read (assistant);
  gui_test_run_for (300);
  StrataTable *table = strata_import_assistant_get_table (assistant);
  g_assert_nonnull (strata_table_find_column (table, "CAR T follow-up, exported for the review"));
  g_assert_null (strata_table_find_column (table, "infusion_date"));
  gtk_window_destroy (GTK_WINDOW (assistant));
  gui_test_drain ();
}

/* Stop Reading drops the read and puts back the sheet of the table shown; closing the
 * assistant during a read cancels it without a warning. */
static void
test_sheet_stop (void)
{
  g_autofree char *xlsx = data_file ("dates-two-sheets.xlsx");
  StrataImportAssistant *assistant = open_assistant (xlsx, NULL);
  StrataTable *first = strata_import_assistant_get_table (assistant);
  GtkWidget *stop = gui_test_find_by_id (GTK_WIDGET (assistant), "stop_button");
  GtkWidget *sheet_row = gui_test_find_by_id (GTK_WIDGET (assistant), "sheet_row");

  g_assert_false (gtk_widget_is_visible (stop));
  g_assert_true (strata_import_assistant_set_sheet (assistant, "Follow-up"));
  g_assert_true (gtk_widget_is_visible (stop));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (sheet_row)), !=, 0);
  g_signal_emit_by_name (stop, "clicked");  /* before the worker's result is dispatched */
  g_assert_false (strata_import_assistant_get_busy (assistant));
  g_assert_false (gtk_widget_is_visible (stop));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (sheet_row)), ==, 0);
  gui_test_run_for (500);
  g_assert_true (strata_import_assistant_get_table (assistant) == first);
  g_assert_true (gtk_widget_get_sensitive (gui_test_find_group (GTK_WIDGET (assistant), "Preview")));

  /* After a read that failed, Stop Reading brings back the table shown and its mapping. */
  g_assert_true (strata_import_assistant_set_sheet (assistant, "Follow-up"));
  strata_import_assistant_set_header_row (assistant, 3);
  wait_for_read (assistant);
  g_assert_true (can_analyse (assistant));
  strata_import_assistant_set_header_row (assistant, 500);
  wait_for_read (assistant);
  g_assert_false (can_analyse (assistant));
  g_assert_true (strata_import_assistant_set_sheet (assistant, NULL));
  g_signal_emit_by_name (stop, "clicked");
  g_assert_true (can_analyse (assistant));
  g_assert_cmpstr (strata_import_assistant_get_roles (assistant)->sheet, ==, "Follow-up");
  g_assert_cmpuint (strata_import_assistant_get_roles (assistant)->header_row, ==, 3);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (sheet_row)), !=, 0);

  g_assert_true (strata_import_assistant_set_sheet (assistant, NULL));
  g_assert_true (strata_import_assistant_get_busy (assistant));
  gtk_window_destroy (GTK_WINDOW (assistant));
  gui_test_run_for (500);
}

/* A list box in ROOT's tree that is shown without a row shown in it, or NULL. */
static GtkWidget *
empty_list_box (GtkWidget *root)
{
  if (GTK_IS_LIST_BOX (root) && gtk_widget_get_visible (root))
    {
      gboolean any = FALSE;
      for (GtkWidget *row = gtk_widget_get_first_child (root); row != NULL; row = gtk_widget_get_next_sibling (row))
        any = any || gtk_widget_get_visible (row);
      if (!any)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      {
        GtkWidget *found = empty_list_box (child);
        if (found != NULL)
          return found;
      }
  return NULL;
}

/* The list of rows left out shows its rows (up to its maximum height, then it scrolls),
 * not one row, although the assistant's page hands every child its minimum height; and
 * the hidden placeholder leaves no empty list behind. */
static void
test_left_out_list_height (void)
{
  g_autofree char *csv = data_file ("cli-bad-rows.csv");
  StrataImportAssistant *assistant = open_assistant (csv, NULL);
  GtkWidget *group = gui_test_find_group (GTK_WIDGET (assistant), "Rows Left Out of the Analysis");
  GtkWidget *list = gui_test_find_by_type (group, GTK_TYPE_LIST_VIEW);
  GtkWidget *scrolled = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);

  gui_test_run_for (300);
  double content = gtk_adjustment_get_upper (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)));
  /* Five rows, about 50 px each: more than the 220 px the list may take. */
  g_assert_cmpfloat (content, >, 220.0);
  g_assert_cmpint (gtk_widget_get_height (scrolled), ==, 220);
  /* The hidden "No row is left out" leaves no empty boxed list drawn as a line. */
  g_assert_null (empty_list_box (group));
  gtk_window_destroy (GTK_WINDOW (assistant));
  gui_test_drain ();
}

/* The excluded rows are reported in the window's words: the core's hint about
 * strata-report's --event-values becomes a hint about the import assistant. */
static void
test_report_words (void)
{
  g_autofree char *csv = data_file ("cli-bad-rows.csv");
  StrataImportAssistant *assistant = open_assistant (csv, NULL);
  g_autofree char *text = strata_import_assistant_dup_report (assistant);

  g_assert_nonnull (strstr (text, "line 6, os_status: event value “2” is neither"));
  g_assert_nonnull (strstr (text, "import assistant"));
  g_assert_null (strstr (text, "--event-values"));
  gtk_window_destroy (GTK_WINDOW (assistant));
  gui_test_drain ();
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/import-assistant/dates", test_dates);
  g_test_add_func ("/import-assistant/ambiguous-dates", test_ambiguous_dates);
  g_test_add_func ("/import-assistant/sheet-picker", test_sheet_picker);
  g_test_add_func ("/import-assistant/sheet-newest-wins", test_sheet_newest_wins);
  g_test_add_func ("/import-assistant/sheet-stop", test_sheet_stop);
  g_test_add_func ("/import-assistant/left-out-list-height", test_left_out_list_height);
  g_test_add_func ("/import-assistant/report-words", test_report_words);
  return g_test_run ();
}

/* test-accessibility.c: every control of Strata's windows has a name a screen reader
 * can speak, and the keyboard reaches what the mouse does. Under Xvfb it opens the
 * window on the demo cohort, the import assistant on a CSV and on a workbook, the
 * figure export dialog, the preferences, the excluded-patients dialog and the keyboard
 * shortcuts window, walks each widget tree, and computes the accessible name of every
 * control as the accessibility layer would: its label property, else the names of the
 * widgets it is labelled by, else (buttons) the text of its label child. A control
 * without a name fails the test, named by type, builder id and ancestors.
 *
 * The properties are read back through GTK's test AT context, so this test runs with
 * GTK_A11Y=test (set in main() before GTK starts): with GTK_A11Y=none, as the other GUI
 * tests run, widgets have no AT context and keep no accessible properties at all. */
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strata-application.h"
#include "strata-exclusions-dialog.h"
#include "strata-export-dialog.h"
#include "strata-import-assistant.h"
#include "strata-preferences-window.h"
#include "strata-window.h"

#include "gui-test-util.h"

static StrataApplication *application;

/* ---- the widget tree ------------------------------------------------------------------ */

static void
collect (GtkWidget *widget, GPtrArray *all)
{
  g_ptr_array_add (all, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, all);
}

/* "GtkSpinButton #width_spin in AdwActionRow #width_row < GtkListBox < ...": how a
 * failure names a widget. */
static char *
describe (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);
  guint depth = 0;

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w), depth++)
    {
      const char *id = GTK_IS_BUILDABLE (w) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (w)) : NULL;
      if (depth > 0)
        g_string_append (text, depth == 1 ? " in " : " < ");
      g_string_append (text, G_OBJECT_TYPE_NAME (w));
      if (id != NULL)
        g_string_append_printf (text, " #%s", id);
    }
  return g_string_free (text, FALSE);
}

/* Every widget from WIDGET to the root is visible: the widget is shown, or would be on
 * the stack page or in the dialog section it belongs to. Widgets in closed popovers are
 * not: GTK builds menus from their models when they open. */
static gboolean
visible_chain (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_visible (w))
      return FALSE;
  return TRUE;
}

static gboolean
can_focus_chain (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_can_focus (w))
      return FALSE;
  return TRUE;
}

/* ---- accessible names ------------------------------------------------------------------ */

/* The string value of PROPERTY, or NULL when it is not set. GTK's test API has no
 * getter: gtk_test_accessible_check_property() returns the actual value as text when it
 * differs from the one asked for, and NULL when equal: asked for "", it returns NULL
 * for an empty value and the value otherwise. */
static char *
dup_property (GtkWidget *widget, GtkAccessibleProperty property)
{
  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return NULL;
  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, "");
}

/* The widgets of ALL that RELATION of WIDGET refers to. The test API prints a reference
 * list as "GtkLabel<0x55d0c0a0b0c0> ...": each address is looked up among the widgets
 * walked (never dereferenced otherwise); an address not among them yields nothing. */
static GPtrArray *
relation_targets (GtkWidget *widget, GtkAccessibleRelation relation, GHashTable *all)
{
  GPtrArray *targets = g_ptr_array_new ();
  g_autofree char *text = NULL;

  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), relation))
    return targets;
  /* Asked for an empty list, it answers with the actual one. */
  text = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget), relation, NULL);
  for (const char *p = text ? strchr (text, '<') : NULL; p != NULL; p = strchr (p + 1, '<'))
    {
      gpointer address = GSIZE_TO_POINTER ((gsize) g_ascii_strtoull (p + 1, NULL, 16));
      if (g_hash_table_contains (all, address))
        g_ptr_array_add (targets, address);
    }
  return targets;
}

static gboolean
has_text (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (; *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return TRUE;
  return FALSE;
}

static void append_name (GtkWidget *widget, GHashTable *all, guint depth, GString *name);

/* The text of the visible labels inside WIDGET, in order: the name a button takes from
 * its content. */
static void
append_content (GtkWidget *widget, GHashTable *all, GString *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_LABEL (child) && has_text (gtk_label_get_text (GTK_LABEL (child))))
        g_string_append_printf (name, "%s%s", name->len ? " " : "", gtk_label_get_text (GTK_LABEL (child)));
      else if (!GTK_IS_POPOVER (child))
        append_content (child, all, name);
    }
}

static gboolean
names_from_content (GtkWidget *widget)
{
  switch (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO:
    case GTK_ACCESSIBLE_ROLE_TAB:
    case GTK_ACCESSIBLE_ROLE_LABEL:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Appends the accessible name of WIDGET: its label property; else the names of the
 * widgets that label it; else, for buttons and the like, the text of its labels. */
static void
append_name (GtkWidget *widget, GHashTable *all, guint depth, GString *name)
{
  g_autofree char *label = dup_property (widget, GTK_ACCESSIBLE_PROPERTY_LABEL);
  gsize start = name->len;

  if (has_text (label))
    {
      g_string_append_printf (name, "%s%s", name->len ? " " : "", label);
      return;
    }
  if (depth < 4)
    {
      g_autoptr (GPtrArray) by = relation_targets (widget, GTK_ACCESSIBLE_RELATION_LABELLED_BY, all);
      for (guint i = 0; i < by->len; i++)
        append_name (g_ptr_array_index (by, i), all, depth + 1, name);
    }
  if (name->len == start && names_from_content (widget))
    append_content (widget, all, name);
}

static char *
accessible_name (GtkWidget *widget, GHashTable *all)
{
  GString *name = g_string_new (NULL);

  append_name (widget, all, 0, name);
  return g_string_free (name, FALSE);
}

/* The widgets a screen reader lands on: the controls named in the task, and any other
 * focusable widget with an interactive role. Parts of composite controls that have no
 * role of their own (the text of a spin button, its step buttons) are not. */
static gboolean
is_control (GtkWidget *widget)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  if (role == GTK_ACCESSIBLE_ROLE_NONE || role == GTK_ACCESSIBLE_ROLE_PRESENTATION)
    return FALSE;
  if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget) ||
      GTK_IS_SPIN_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_TEXT (widget) ||
      GTK_IS_DROP_DOWN (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_SCALE (widget) ||
      GTK_IS_COLUMN_VIEW (widget) || STRATA_IS_KM_VIEW (widget) ||
      ADW_IS_COMBO_ROW (widget) || ADW_IS_ENTRY_ROW (widget) || ADW_IS_SPLIT_BUTTON (widget))
    return TRUE;
  if (ADW_IS_ACTION_ROW (widget))
    return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget));
  if (!gtk_widget_get_focusable (widget) || !can_focus_chain (widget))
    return FALSE;
  switch (role)
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TAB:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_IMG:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Walks ROOT and fails for each visible control without an accessible name. Returns the
 * number of controls checked. */
static guint
audit_names (GtkWidget *root, const char *what)
{
  g_autoptr (GPtrArray) widgets = g_ptr_array_new ();
  g_autoptr (GHashTable) all = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) types = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) tally = g_string_new (NULL);
  guint checked = 0, missing = 0;

  collect (root, widgets);
  for (guint i = 0; i < widgets->len; i++)
    g_hash_table_add (all, g_ptr_array_index (widgets, i));
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (widgets, i);
      g_autofree char *name = NULL;
      const char *type = G_OBJECT_TYPE_NAME (widget);

      if (!visible_chain (widget) || !is_control (widget))
        continue;
      checked++;
      g_hash_table_insert (types, (char *) type,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (types, type)) + 1));
      name = accessible_name (widget, all);
      if (g_test_verbose ())
        {
          g_autofree char *where = describe (widget);
          g_test_message ("%s: “%s”: %s", what, name, where);
        }
      if (!has_text (name))
        {
          g_autofree char *where = describe (widget);
          g_test_message ("%s: no accessible name: %s", what, where);
          missing++;
        }
    }
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, types);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (tally, " %s %u", (const char *) key, GPOINTER_TO_UINT (value));
  g_test_message ("%s: %u controls checked:%s", what, checked, tally->str);
  if (missing > 0)
    g_test_fail_printf ("%s: %u of %u controls have no accessible name (listed above)",
                        what, missing, checked);
  return checked;
}

/* ---- the tests ---------------------------------------------------------------------------- */

/* The audit itself finds a missing name: an icon-only button, then the same button
 * named through its accessible label, and a spin button labelled by a visible label. */
static void
test_audit_detects (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *icon = gtk_button_new_from_icon_name ("document-open-symbolic");
  GtkWidget *label = gtk_label_new ("Width");
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 10, 1);
  g_autoptr (GHashTable) all = g_hash_table_new (NULL, NULL);
  g_autoptr (GPtrArray) widgets = g_ptr_array_new ();
  g_autofree char *unnamed_icon = NULL, *unnamed_spin = NULL, *named_icon = NULL, *named_spin = NULL;

  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), spin);
  collect (window, widgets);
  for (guint i = 0; i < widgets->len; i++)
    g_hash_table_add (all, g_ptr_array_index (widgets, i));
  g_assert_true (is_control (icon));
  g_assert_true (is_control (spin));

  unnamed_icon = accessible_name (icon, all);
  unnamed_spin = accessible_name (spin, all);
  g_assert_false (has_text (unnamed_icon));
  g_assert_false (has_text (unnamed_spin));

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "Open", -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  named_icon = accessible_name (icon, all);
  named_spin = accessible_name (spin, all);
  g_assert_cmpstr (named_icon, ==, "Open");
  g_assert_cmpstr (named_spin, ==, "Width");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The main window on the demo cohort, with each page of the results shown in turn. */
static void
test_window_names (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  GtkWindow *overlay;

  audit_names (GTK_WIDGET (window), "window (tables)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-tables", "s", "patients"));
  gui_test_drain ();
  g_assert_cmpuint (audit_names (GTK_WIDGET (window), "window (patients)"), >, 20);

  /* The keyboard shortcuts window is there; its only controls are GTK's own (the
   * search toggle in GtkShortcutsWindow's header bar has no name in GTK 4.8), so it is
   * not audited. */
  overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_nonnull (overlay);
  gui_test_close_window (window);
}

/* The Kaplan–Meier view is an image with a name and a description of what it shows:
 * each group with its size, events and median, and the log-rank test. */
static void
test_km_view_description (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataKmView *view = strata_window_get_km_view (window);
  g_autofree char *label = dup_property (GTK_WIDGET (view), GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_autofree char *description = dup_property (GTK_WIDGET (view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  StrataResult *result = strata_window_get_result (window);

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_ROLE_IMG));
  g_assert_true (has_text (label));
  g_test_message ("%s: %s", label, description);
  g_assert_nonnull (description);
  g_assert_cmpuint (result->groups->len, >=, 2);
  for (guint g = 0; g < result->groups->len; g++)
    {
      const StrataGroupResult *group = g_ptr_array_index (result->groups, g);
      g_autofree char *n = g_strdup_printf ("n\u00a0=\u00a0%u", group->n);
      g_assert_nonnull (strstr (description, n));
    }
  g_assert_nonnull (strstr (description, "median"));
  g_assert_nonnull (strstr (description, "log-rank"));

  /* It follows the result: one group when the comparison is off. */
  g_autofree char *before = g_strdup (description);
  g_assert_true (strata_strata_panel_set_compare_by (strata_window_get_panel (window), STRATA_COMPARE_BY_NONE));
  gui_test_wait_until_idle (window);
  g_autofree char *after = dup_property (GTK_WIDGET (view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  g_test_message ("%s", after);
  g_assert_cmpstr (after, !=, before);
  g_assert_null (strstr (after, "log-rank"));
  gui_test_close_window (window);
}

static StrataImportAssistant *
open_assistant (StrataWindow *window, const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  StrataImportAssistant *assistant;

  strata_window_open_file (window, file);
  gui_test_wait_until_idle (window);
  assistant = strata_window_get_import_assistant (window);
  g_assert_nonnull (assistant);
  gui_test_drain ();
  return assistant;
}

/* The import assistant on a CSV with dates (the date rows) and on a workbook with two
 * sheets (the sheet picker). */
static void
test_import_assistant_names (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataImportAssistant *assistant = open_assistant (window, "dates-follow-up.csv");
  GtkWidget *dates_switch;

  g_assert_true (strata_import_assistant_has_date_mode (assistant));
  dates_switch = gui_test_find_by_id (GTK_WIDGET (assistant), "dates_switch");
  g_assert_nonnull (dates_switch);
  /* Time from a column, then from dates: the date rows show. */
  gtk_switch_set_active (GTK_SWITCH (dates_switch), FALSE);
  gui_test_drain ();
  g_assert_cmpuint (audit_names (GTK_WIDGET (assistant), "import assistant (CSV, time column)"), >, 10);
  gtk_switch_set_active (GTK_SWITCH (dates_switch), TRUE);
  gui_test_drain ();
  g_assert_true (visible_chain (gui_test_find_by_id (GTK_WIDGET (assistant), "start_row")));
  g_assert_cmpuint (audit_names (GTK_WIDGET (assistant), "import assistant (CSV, dates)"), >, 10);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.cancel", NULL));
  gui_test_drain ();

  assistant = open_assistant (window, "dates-two-sheets.xlsx");
  g_assert_true (visible_chain (gui_test_find_by_id (GTK_WIDGET (assistant), "sheet_row")));
  audit_names (GTK_WIDGET (assistant), "import assistant (workbook)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.cancel", NULL));
  gui_test_drain ();
  gui_test_close_window (window);
}

/* The figure export dialog, the preferences and the excluded-patients dialog. */
static void
test_dialog_names (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autoptr (GSettings) settings = g_settings_new ("io.github.stratareview.Strata");
  GtkWindow *dialog;
  GtkWidget *preferences, *exclusions;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-figure", NULL));
  dialog = gui_test_find_toplevel (STRATA_TYPE_EXPORT_DIALOG);
  g_assert_nonnull (dialog);
  gui_test_drain ();
  g_assert_cmpuint (audit_names (GTK_WIDGET (dialog), "export dialog"), >, 5);
  gtk_window_destroy (dialog);

  preferences = strata_preferences_window_new (GTK_WINDOW (window), settings);
  gtk_window_present (GTK_WINDOW (preferences));
  gui_test_drain ();
  g_assert_cmpuint (audit_names (preferences, "preferences"), >=, 3);
  gtk_window_destroy (GTK_WINDOW (preferences));

  exclusions = strata_exclusions_dialog_new (GTK_WINDOW (window), strata_window_get_result (window));
  gtk_window_present (GTK_WINDOW (exclusions));
  gui_test_drain ();
  g_assert_cmpuint (audit_names (exclusions, "excluded patients"), >=, 1);
  gtk_window_destroy (GTK_WINDOW (exclusions));
  gui_test_drain ();
  gui_test_close_window (window);
}

/* Tabs through ROOT from its start, adding each widget that takes the focus to REACHED. */
static void
tab_through (GtkWidget *root, GHashTable *reached)
{
  for (guint i = 0; i < 400; i++)
    {
      GtkWidget *focus;
      if (!gtk_widget_child_focus (root, GTK_DIR_TAB_FORWARD))
        {
          /* Past the last widget: once round again from the top. */
          gtk_root_set_focus (GTK_ROOT (root), NULL);
          if (!gtk_widget_child_focus (root, GTK_DIR_TAB_FORWARD))
            break;
        }
      focus = gtk_root_get_focus (GTK_ROOT (root));
      if (focus != NULL && g_hash_table_contains (reached, focus))
        break;
      if (focus != NULL)
        g_hash_table_add (reached, focus);
    }
}

/* Whether the keyboard reached WIDGET or a widget inside it. */
static gboolean
reached_in (GHashTable *reached, GtkWidget *widget)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, reached);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (key == widget || gtk_widget_is_ancestor (key, widget))
      return TRUE;
  return FALSE;
}

/* The keyboard reaches the view switcher of the results, the KMunicate switch, the plot;
 * a key press on the Patients tab shows the patients, whose table and sort menu the
 * keyboard reaches in turn; the sort menu sorts the table. */
static void
test_window_keyboard (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  g_autoptr (GHashTable) reached = g_hash_table_new (NULL, NULL);
  GtkWidget *root = GTK_WIDGET (window);
  GtkWidget *switcher = gui_test_find_by_id (root, "results_switcher");
  GtkWidget *kmunicate = gui_test_find_by_id (root, "kmunicate_switch");
  GtkWidget *patients_tab = NULL;
  StrataPatientView *patients = strata_window_get_patient_view (window);

  g_assert_nonnull (switcher);
  g_assert_nonnull (kmunicate);
  tab_through (root, reached);
  g_assert_true (reached_in (reached, GTK_WIDGET (strata_window_get_km_view (window))));
  g_assert_true (reached_in (reached, kmunicate));
  g_assert_true (reached_in (reached, switcher));

  /* Arrow keys move between the switcher's buttons; each can be activated. */
  for (GtkWidget *b = gtk_widget_get_first_child (switcher); b != NULL; b = gtk_widget_get_next_sibling (b))
    {
      g_autoptr (GHashTable) all = g_hash_table_new (NULL, NULL);
      g_autoptr (GPtrArray) widgets = g_ptr_array_new ();
      g_autofree char *name = NULL;
      collect (root, widgets);
      for (guint i = 0; i < widgets->len; i++)
        g_hash_table_add (all, g_ptr_array_index (widgets, i));
      name = accessible_name (b, all);
      if (name != NULL && strstr (name, "Patients") != NULL)
        patients_tab = b;
    }
  g_assert_nonnull (patients_tab);
  g_assert_true (gtk_widget_grab_focus (patients_tab));
  g_assert_true (gtk_widget_activate (patients_tab));
  gui_test_run_for (500);
  g_assert_cmpstr (strata_window_get_tables_page (window), ==, "patients");

  g_hash_table_remove_all (reached);
  tab_through (root, reached);
  g_assert_true (reached_in (reached, GTK_WIDGET (strata_patient_view_get_column_view (patients))));
  GtkWidget *sort_button = gui_test_find_by_id (GTK_WIDGET (patients), "sort_button");
  g_assert_nonnull (sort_button);
  g_assert_true (reached_in (reached, sort_button));

  /* GTK 4.8's column headers take no focus: the sort menu's actions sort instead. */
  GtkWidget *title = gui_test_find_by_type (GTK_WIDGET (strata_patient_view_get_column_view (patients)),
                                           g_type_from_name ("GtkColumnViewTitle"));
  g_assert_nonnull (title);
  g_test_message ("column header focusable: %d", gtk_widget_get_focusable (title) && can_focus_chain (title));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (patients), "patients.sort-by", "s", "group"));
  gui_test_drain ();
  g_autofree char *first_group = strata_patient_view_dup_cell (patients, 0, "group");
  g_autofree char *last_group = strata_patient_view_dup_cell (patients, strata_patient_view_get_n_rows (patients) - 1, "group");
  g_test_message ("by group: first %s, last %s", first_group, last_group);
  g_assert_cmpstr (first_group, !=, last_group);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (patients), "patients.sort-descending", NULL));
  gui_test_drain ();
  g_autofree char *first_descending = strata_patient_view_dup_cell (patients, 0, "group");
  g_assert_cmpstr (first_descending, ==, last_group);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (patients), "patients.sort-by", "s", "line"));
  gui_test_drain ();
  g_autofree char *first_line = strata_patient_view_dup_cell (patients, 0, "line");
  g_test_message ("by line, descending: first line %s", first_line);
  g_assert_cmpint (atoi (first_line), >, 300);   /* the demo cohort's last lines first */
  gui_test_close_window (window);
}

/* The import assistant: Tab reaches the sheet picker of a workbook and, with time from
 * dates, the date rows of a CSV. */
static void
test_assistant_keyboard (void)
{
  StrataWindow *window = gui_test_open_demo_window (application);
  StrataImportAssistant *assistant = open_assistant (window, "dates-two-sheets.xlsx");
  g_autoptr (GHashTable) reached = g_hash_table_new (NULL, NULL);
  GtkWidget *root = GTK_WIDGET (assistant);
  const char *const date_rows[] = { "dates_switch", "start_row", "end_row", "last_row", "unit_row" };

  tab_through (root, reached);
  g_assert_true (reached_in (reached, gui_test_find_by_id (root, "sheet_row")) ||
                 g_hash_table_contains (reached, gui_test_find_by_id (root, "sheet_row")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.cancel", NULL));
  gui_test_drain ();

  /* A CSV with dates, time from dates on. */
  assistant = open_assistant (window, "dates-follow-up.csv");
  root = GTK_WIDGET (assistant);
  gtk_switch_set_active (GTK_SWITCH (gui_test_find_by_id (root, "dates_switch")), TRUE);
  gui_test_drain ();
  g_hash_table_remove_all (reached);
  tab_through (root, reached);
  for (guint i = 0; i < G_N_ELEMENTS (date_rows); i++)
    {
      GtkWidget *row = gui_test_find_by_id (root, date_rows[i]);
      g_assert_nonnull (row);
      if (!reached_in (reached, row))
        g_test_fail_printf ("Tab does not reach %s (%s)", date_rows[i],
                            visible_chain (row) ? "shown" : "hidden");
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (assistant), "assistant.cancel", NULL));
  gui_test_drain ();
  gui_test_close_window (window);
}

int
main (int argc, char *argv[])
{
  int status;

  /* GTK's test AT context keeps the accessible properties where the test can read them,
   * and talks to no accessibility bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  application = gui_test_application_new ("/accessibility/no-display");
  if (application == NULL)
    return g_test_run ();

  g_test_add_func ("/accessibility/audit-detects", test_audit_detects);
  g_test_add_func ("/accessibility/window-names", test_window_names);
  g_test_add_func ("/accessibility/km-view-description", test_km_view_description);
  g_test_add_func ("/accessibility/import-assistant-names", test_import_assistant_names);
  g_test_add_func ("/accessibility/dialog-names", test_dialog_names);
  g_test_add_func ("/accessibility/window-keyboard", test_window_keyboard);
  g_test_add_func ("/accessibility/assistant-keyboard", test_assistant_keyboard);
  status = g_test_run ();

  g_object_unref (application);
  return status;
}

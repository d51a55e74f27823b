/* strata-window.c: the main window. It owns the cohort and the last results, starts
 * imports and analyses in workers, and hands results to the views. */
#include "config.h"
#include "strata-window.h"

#include <glib/gi18n.h>
#include <math.h>

#include "strata-analysis-file.h"
#include "strata-analysis-task.h"
#include "strata-application.h"
#include "strata-cohort-loader.h"
#include "strata-core-types.h"
#include "strata-exclusions-dialog.h"
#include "strata-export-dialog.h"
#include "strata-figure-export.h"
#include "strata-group-label.h"
#include "strata-gui-resources.h"
#include "strata-import-assistant.h"
#include "strata-last-folder.h"
#include "strata-patient-view.h"
#include "strata-response-view.h"
#include "strata-result-text.h"
#include "strata-xlsx-export.h"

/* The workbook's embedded figure and the clipboard's: screen-friendly resolutions. */
#define WORKBOOK_FIGURE_DPI 150.0
#define CLIPBOARD_MAX_DPI 300.0

#define PULSE_INTERVAL_MS 100

struct _StrataWindow
{
  AdwApplicationWindow parent_instance;

  /* template */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkRevealer *demo_revealer;
  GtkRevealer *import_revealer;
  GtkLabel *import_label;
  GtkProgressBar *import_progress;
  GtkPaned *paned;
  StrataStrataPanel *panel;
  GtkStack *main_stack;
  GtkSpinner *loading_spinner;
  AdwStatusPage *status_page;
  GtkPaned *results_paned;
  StrataKmView *km_view;
  GtkLabel *cohort_label;
  GtkButton *excluded_button;
  StrataSummaryView *summary_view;
  GtkBox *responses_box;
  AdwViewStack *results_stack;
  StrataPatientView *patient_view;
  GtkMenuButton *export_button;

  GSettings *settings;
  StrataCohortLoader *loader;
  GCancellable *import_cancellable;
  GCancellable *analysis_cancellable;
  GtkFileChooserNative *chooser;
  guint pulse_id;

  StrataCohort *cohort;
  GFile *file;              /* the cohort's file */
  char *source_sha256;      /* of the bytes imported from it */
  GFile *importing;         /* the file being imported */
  gboolean importing_demo;
  gboolean is_demo;
  gboolean announce_exclusions;
  gboolean analysis_running;
  GPtrArray *results;       /* StrataResult* or NULL; [0] survival */
  GPtrArray *requested;     /* StrataSpec*: the newest request, whose results come next */
  GPtrArray *shown_specs;   /* StrataSpec*: the request whose results are on screen */

  StrataImportAssistant *assistant;       /* open while a new file waits for its roles */
  StrataAnalysisFile *pending_analysis;   /* a .strata file whose cohort is importing */
  char *pending_analysis_name;
  GtkFileChooserNative *save_chooser;
  StrataExportSettings export_settings;
  guint exports_running;
  char *last_message;       /* the last toast or error shown, for tests */
  gboolean disposed;        /* workers finishing after the window closed show nothing */
};

G_DEFINE_FINAL_TYPE (StrataWindow, strata_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void recompute (StrataWindow *self);

/* ---- state ----------------------------------------------------------------------------- */

static gboolean
compute_busy (StrataWindow *self)
{
  return self->import_cancellable != NULL || self->analysis_running || self->exports_running > 0;
}

/* Call around every change of the import or analysis state. */
static void
notify_busy_if_changed (StrataWindow *self, gboolean was_busy)
{
  if (was_busy != compute_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_status (StrataWindow *self, const char *icon, const char *title, const char *description)
{
  adw_status_page_set_icon_name (self->status_page, icon);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_stack_set_visible_child_name (self->main_stack, "status");
}

static void
remember_message (StrataWindow *self, const char *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
}

static void
show_error_dialog (StrataWindow *self, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  remember_message (self, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
toast (StrataWindow *self, const char *title, const char *button, const char *action)
{
  /* Toast titles are Pango markup in libadwaita 1.2: file names may hold "&" or "<". */
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  AdwToast *t = adw_toast_new (escaped);

  remember_message (self, title);

  if (button != NULL)
    {
      adw_toast_set_button_label (t, button);
      adw_toast_set_action_name (t, action);
    }
  adw_toast_set_timeout (t, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

/* ---- import ---------------------------------------------------------------------------- */

static gboolean
pulse_cb (gpointer user_data)
{
  StrataWindow *self = user_data;

  if (strata_cohort_loader_get_fraction (self->loader) < 0)
    gtk_progress_bar_pulse (self->import_progress);
  return G_SOURCE_CONTINUE;
}

static void
fraction_changed_cb (StrataWindow *self)
{
  double fraction = strata_cohort_loader_get_fraction (self->loader);

  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->import_progress, fraction);
}

static void
stop_import_ui (StrataWindow *self)
{
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
  gtk_spinner_stop (self->loading_spinner);
}

static char *
file_display_name (GFile *file)
{
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                                                  G_FILE_QUERY_INFO_NONE, NULL, NULL);

  if (info != NULL)
    return g_strdup (g_file_info_get_display_name (info));
  return g_file_get_parse_name (file);
}

static void update_actions (StrataWindow *self);

/* Shows COHORT, imported from FILE (whose bytes have SHA256), with ROLES (NULL: as the
 * column names suggest). */
static void
set_cohort (StrataWindow *self, StrataCohort *cohort, GFile *file, const char *sha256,
            gboolean is_demo, const StrataColumnRoles *roles)
{
  g_autofree char *name = file_display_name (file);

  g_clear_pointer (&self->cohort, strata_cohort_unref);
  self->cohort = strata_cohort_ref (cohort);
  g_set_object (&self->file, file);
  g_free (self->source_sha256);
  self->source_sha256 = g_strdup (sha256);
  self->is_demo = is_demo;
  self->announce_exclusions = TRUE;
  adw_window_title_set_subtitle (self->window_title, is_demo ? _("Synthetic demo cohort") : name);
  gtk_revealer_set_reveal_child (self->demo_revealer, is_demo);
  if (!is_demo)
    {
      g_autofree char *uri = g_file_get_uri (file);
      gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
    }
  /* Emits ::changed, which recomputes. */
  if (roles != NULL)
    strata_strata_panel_set_cohort_with_roles (self->panel, cohort, roles);
  else
    strata_strata_panel_set_cohort (self->panel, cohort);
  update_actions (self);
}

static void
show_no_cohort (StrataWindow *self)
{
  show_status (self, "document-open-symbolic", _("No Cohort Open"),
               _("Open a cohort file (CSV or TSV, one row per patient) or a saved analysis, "
                 "or drop one here."));
}

/* ---- the import assistant ---------------------------------------------------------- */

static void
assistant_finished_cb (StrataImportAssistant *assistant, gboolean applied, StrataWindow *self)
{
  if (assistant != self->assistant)
    return;
  if (applied)
    {
      GFile *file = g_object_get_data (G_OBJECT (assistant), "strata-file");
      const char *sha256 = g_object_get_data (G_OBJECT (assistant), "strata-sha256");
      set_cohort (self, strata_import_assistant_get_cohort (assistant), file, sha256, FALSE,
                  strata_import_assistant_get_roles (assistant));
    }
  else
    toast (self, _("Import cancelled"), NULL, NULL);
  self->assistant = NULL;
  if (self->cohort == NULL)
    show_no_cohort (self);
}

static void
show_assistant (StrataWindow *self, StrataCohort *cohort, GFile *file, const char *sha256)
{
  g_autofree char *name = file_display_name (file);
  g_autoptr (StrataColumnRoles) roles = strata_column_roles_guess (strata_cohort_get_table (cohort));

  if (self->assistant != NULL)
    {
      StrataImportAssistant *old = g_steal_pointer (&self->assistant);
      gtk_window_destroy (GTK_WINDOW (old));
    }
  self->assistant = strata_import_assistant_new (GTK_WINDOW (self), cohort, name, roles);
  strata_import_assistant_set_file (self->assistant, file);  /* sheet picker (workbooks) */
  g_object_set_data_full (G_OBJECT (self->assistant), "strata-file", g_object_ref (file), g_object_unref);
  g_object_set_data_full (G_OBJECT (self->assistant), "strata-sha256", g_strdup (sha256), g_free);
  g_signal_connect_object (self->assistant, "finished", G_CALLBACK (assistant_finished_cb), self, 0);
  gtk_window_present (GTK_WINDOW (self->assistant));
}

/* ---- analysis files ------------------------------------------------------------------ */

static JsonObject *
member_object (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
member_bool (JsonObject *object, const char *name, gboolean *value)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *value = json_node_get_boolean (node);
  return TRUE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* The texts of a spec's filters or groupings, sorted, for comparing two specs. */
static char *
spec_signature (const StrataSpec *spec)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < spec->where->len; i++)
    g_ptr_array_add (parts, g_strdup (((StrataFilter *) g_ptr_array_index (spec->where, i))->text));
  g_ptr_array_sort (parts, compare_strings);
  for (guint i = 0; i < parts->len; i++)
    g_string_append_printf (text, "where %s\n", (const char *) g_ptr_array_index (parts, i));
  for (guint i = 0; i < spec->by->len; i++)
    g_string_append_printf (text, "by %s\n", ((StrataGrouping *) g_ptr_array_index (spec->by, i))->text);
  g_string_append_printf (text, "time %s event %s status %s conf %d %.6g\n", spec->time_column,
                          spec->event_column ? spec->event_column : "",
                          spec->status_column ? spec->status_column : "", spec->conf_type,
                          spec->conf_level);
  for (guint i = 0; i < spec->landmarks->len; i++)
    g_string_append_printf (text, "landmark %.17g\n", g_array_index (spec->landmarks, double, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The roles of an analysis file: its import.roles, else the names' guess with the
 * endpoint of its spec. */
static StrataColumnRoles *
analysis_roles (StrataAnalysisFile *analysis, StrataTable *table)
{
  StrataColumnRoles *roles = NULL;

  if (analysis->import_roles != NULL)
    {
      roles = strata_column_roles_from_json (analysis->import_roles);
      if (!strata_column_roles_validate (roles, table, NULL))
        g_clear_pointer (&roles, strata_column_roles_free);
    }
  if (roles == NULL)
    {
      roles = strata_column_roles_guess (table);
      if (analysis->spec->time_column != NULL)
        {
          g_free (roles->time_column);
          g_free (roles->event_column);
          g_free (roles->status_column);
          g_strfreev (roles->event_values);
          roles->time_column = g_strdup (analysis->spec->time_column);
          roles->event_column = g_strdup (analysis->spec->event_column);
          roles->status_column = g_strdup (analysis->spec->status_column);
          roles->event_values = g_strdupv (analysis->spec->event_values);
        }
    }
  return roles;
}

/* The plot options of VIEW ("plot") into the settings that drive the view. */
static void
restore_plot_options (StrataWindow *self, JsonObject *plot)
{
  static const struct { const char *member, *key; } keys[] = {
    { "kmunicate", "kmunicate" },
    { "show_median_lines", "show-median-lines" },
    { "y_percent", "y-percent" },
  };
  gboolean value;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (member_bool (plot, keys[i].member, &value) && self->settings != NULL)
      g_settings_set_boolean (self->settings, keys[i].key, value);
}

/* COHORT (from FILE, bytes SHA256) was imported for the pending analysis file: shows it
 * with the file's roles and view, and says whether the source changed. */
static void
apply_analysis (StrataWindow *self, StrataCohort *cohort, GFile *file, const char *sha256)
{
  g_autoptr (StrataAnalysisFile) analysis = g_steal_pointer (&self->pending_analysis);
  g_autofree char *analysis_name = g_steal_pointer (&self->pending_analysis_name);
  StrataTable *table = strata_cohort_get_table (cohort);
  g_autoptr (StrataColumnRoles) roles = analysis_roles (analysis, table);
  JsonObject *panel_state = member_object (analysis->view, "panel");
  gboolean restored = TRUE;
  g_autoptr (GString) message = g_string_new (NULL);

  set_cohort (self, cohort, file, sha256, FALSE, roles);
  if (panel_state != NULL)
    restored = strata_strata_panel_restore_state (self->panel, panel_state);
  else
    {
      /* A file written by strata-report: the endpoint, CI and landmarks. */
      g_autoptr (JsonObject) state = json_object_new ();
      g_autoptr (GString) landmarks = g_string_new (NULL);
      for (guint i = 0; i < analysis->spec->landmarks->len; i++)
        g_string_append_printf (landmarks, "%s%g", i ? ", " : "",
                                g_array_index (analysis->spec->landmarks, double, i));
      if (analysis->spec->time_column != NULL)
        json_object_set_string_member (state, "endpoint", analysis->spec->time_column);
      json_object_set_string_member (state, "ci_type", strata_conf_type_to_string (analysis->spec->conf_type));
      json_object_set_double_member (state, "ci_level", analysis->spec->conf_level);
      json_object_set_string_member (state, "landmarks", landmarks->str);
      json_object_set_string_member (state, "compare_by", STRATA_COMPARE_BY_NONE);
      if (analysis->spec->by->len == 1 && !((StrataGrouping *) g_ptr_array_index (analysis->spec->by, 0))->cut)
        {
          g_autofree char *id = g_strconcat ("column:", ((StrataGrouping *) g_ptr_array_index (analysis->spec->by, 0))->column, NULL);
          json_object_set_string_member (state, "compare_by",
                                         g_strcmp0 (((StrataGrouping *) g_ptr_array_index (analysis->spec->by, 0))->column,
                                                    roles->site_column) == 0 ? STRATA_COMPARE_BY_SITE : id);
        }
      strata_strata_panel_restore_state (self->panel, state);
    }
  restore_plot_options (self, member_object (analysis->view, "plot"));
  strata_export_settings_from_json (&self->export_settings, member_object (analysis->view, "export"));

  /* The view restored must ask for what the file asks for. */
  g_autoptr (GPtrArray) specs = strata_strata_panel_build_specs (self->panel, NULL);
  if (specs != NULL)
    {
      g_autofree char *shown = spec_signature (g_ptr_array_index (specs, 0));
      g_autofree char *saved = spec_signature (analysis->spec);
      restored &= g_strcmp0 (shown, saved) == 0;
    }

  switch (strata_analysis_file_compare_checksum (analysis, sha256))
    {
    case STRATA_SOURCE_CHANGED:
      g_string_append (message, analysis->source_message);
      break;
    case STRATA_SOURCE_NOT_CHECKED:
      g_string_append (message, analysis->source_message);
      break;
    case STRATA_SOURCE_UNCHANGED:
    case STRATA_SOURCE_MISSING:
    case STRATA_SOURCE_UNREADABLE:
    default:
      break;
    }
  if (!restored)
    g_string_append_printf (message, "%s%s", message->len ? " " : "",
                            _("Some choices of the analysis file are not offered for this cohort: "
                              "check the strata panel."));
  if (message->len > 0)
    {
      g_autofree char *heading = g_strdup_printf (_("Analysis “%s” Opened with Differences"), analysis_name);
      toast (self, analysis->source_status == STRATA_SOURCE_CHANGED
                   ? _("The cohort file changed since the analysis was saved")
                   : _("The analysis was not restored exactly"), NULL, NULL);
      show_error_dialog (self, heading, message->str);
    }
  else if (analysis->recorded_path != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Analysis restored; the cohort was found beside %s"),
                                                analysis_name);
      toast (self, title, NULL, NULL);
    }
  else
    {
      g_autofree char *title = g_strdup_printf (_("Analysis %s restored"), analysis_name);
      toast (self, title, NULL, NULL);
    }
}

/* ---- import ---------------------------------------------------------------------------- */

static void
load_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (StrataWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr (StrataCohort) cohort = strata_cohort_loader_load_finish (STRATA_COHORT_LOADER (source),
                                                                      result, &sha256, &error);
  g_autoptr (GFile) file = NULL;
  gboolean was_busy = compute_busy (self);

  /* A newer import replaced this one: it has its own callback. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (self->import_cancellable) == FALSE)
    return;

  file = g_steal_pointer (&self->importing);
  g_clear_object (&self->import_cancellable);
  stop_import_ui (self);

  if (cohort != NULL && self->pending_analysis != NULL)
    apply_analysis (self, cohort, file, sha256);
  else if (cohort != NULL && self->importing_demo)
    set_cohort (self, cohort, file, sha256, TRUE, NULL);
  else if (cohort != NULL)
    show_assistant (self, cohort, file, sha256);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, _("Import cancelled"), NULL, NULL);
  else
    {
      g_autofree char *name = file_display_name (file);
      g_autofree char *heading = g_strdup_printf (_("Cannot Open “%s”"), name);
      toast (self, heading, NULL, NULL);
      show_error_dialog (self, heading, error->message);
    }
  if (cohort == NULL)
    {
      g_clear_pointer (&self->pending_analysis, strata_analysis_file_free);
      g_clear_pointer (&self->pending_analysis_name, g_free);
    }
  if (self->cohort == NULL && self->assistant == NULL)
    show_no_cohort (self);
  notify_busy_if_changed (self, was_busy);
}

static void
start_import (StrataWindow *self, GFile *file, gboolean is_demo)
{
  gboolean was_busy = compute_busy (self);
  g_autofree char *name = file_display_name (file);
  g_autofree char *label = g_strdup_printf (_("Importing %s…"), name);

  if (self->import_cancellable != NULL)
    {
      /* Forget the running import before cancelling it: its callback then returns. */
      g_autoptr (GCancellable) old = g_steal_pointer (&self->import_cancellable);
      g_cancellable_cancel (old);
    }
  g_set_object (&self->importing, file);
  self->importing_demo = is_demo;
  self->import_cancellable = g_cancellable_new ();

  gtk_label_set_text (self->import_label, label);
  gtk_progress_bar_set_fraction (self->import_progress, 0);
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);
  if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self);
  if (self->cohort == NULL)
    {
      gtk_spinner_start (self->loading_spinner);
      gtk_stack_set_visible_child_name (self->main_stack, "loading");
    }
  strata_cohort_loader_load_async (self->loader, file, self->import_cancellable, load_cb,
                                   g_object_ref (self));
  notify_busy_if_changed (self, was_busy);
}

static gboolean
is_analysis_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = name ? g_ascii_strdown (name, -1) : NULL;

  return lower != NULL && g_str_has_suffix (lower, "." STRATA_ANALYSIS_FILE_EXTENSION);
}

/* Reads the analysis file FILE and imports the cohort it names; the rest follows in
 * apply_analysis(). */
static void
open_analysis (StrataWindow *self, GFile *file)
{
  g_autofree char *name = file_display_name (file);
  g_autofree char *heading = g_strdup_printf (_("Cannot Open “%s”"), name);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataAnalysisFile) analysis = NULL;

  if (path == NULL)
    {
      show_error_dialog (self, heading, _("Strata opens analysis files stored on this computer only."));
      return;
    }
  analysis = strata_analysis_file_load (path, FALSE, NULL, &error);
  if (analysis == NULL)
    {
      show_error_dialog (self, heading, error->message);
      return;
    }
  if (!strata_analysis_file_locate_source (analysis, path))
    {
      g_autofree char *body = g_strdup_printf (_("%s Put the cohort file back where it was, or "
                                                 "beside the analysis file, and open it again."),
                                               analysis->source_message);
      show_error_dialog (self, heading, body);
      return;
    }
  g_autoptr (GFile) source = g_file_new_for_path (analysis->source_path);
  g_autofree char *uri = g_file_get_uri (file);
  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
  strata_cohort_loader_set_next_sheet (self->loader, analysis->sheet, analysis->header_row);
  start_import (self, source, FALSE);
  /* After start_import, which forgets any pending analysis of an older import. */
  g_clear_pointer (&self->pending_analysis, strata_analysis_file_free);
  self->pending_analysis = g_steal_pointer (&analysis);
  g_free (self->pending_analysis_name);
  self->pending_analysis_name = g_steal_pointer (&name);
}

/* ---- analysis -------------------------------------------------------------------------- */

static char *
cohort_summary (const StrataResult *result)
{
  g_autoptr (GString) text = g_string_new (NULL);

  g_string_append_printf (text, _("%u patients in the analysis of %u rows in %s"), result->rows_used,
                          result->rows, result->file);
  g_string_append_printf (text, _(" · time %s, event %s"), result->time_column,
                          result->event_column ? result->event_column : "");
  for (guint i = 0; i < result->where->len; i++)
    g_string_append_printf (text, "%s%s", i == 0 ? _(" · where ") : _(" and "),
                            (const char *) g_ptr_array_index (result->where, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
clear_response_views (StrataWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->responses_box))) != NULL)
    gtk_box_remove (self->responses_box, child);
}

static void
show_results (StrataWindow *self, GPtrArray *results)
{
  StrataResult *survival = g_ptr_array_index (results, 0);
  /* Shown in the user's language (the workbook keeps the English unit). */
  const char *unit = strata_time_unit_label (strata_strata_panel_get_time_unit (self->panel));
  const StrataColumnRoles *roles = strata_strata_panel_get_roles (self->panel);
  const char *burden = roles != NULL ? roles->blasts_column : NULL;
  g_autofree char *x_label = unit ? g_strdup_printf (_("Time, %s"), unit) : g_strdup (_("Time"));
  g_autofree char *summary = cohort_summary (survival);
  g_auto (GStrv) group_labels = strata_group_label_display_all (survival, burden);

  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = g_ptr_array_ref (results);

  strata_km_view_set_labels (self->km_view, x_label,
                             strata_strata_panel_get_endpoint_label (self->panel), unit);
  strata_km_view_set_group_labels (self->km_view, (const char *const *) group_labels);
  strata_km_view_set_result (self->km_view, survival);
  strata_summary_view_set_result (self->summary_view, survival, unit, burden);
  g_clear_pointer (&self->shown_specs, g_ptr_array_unref);
  if (self->requested != NULL)
    self->shown_specs = g_ptr_array_ref (self->requested);
  if (self->requested != NULL)
    strata_patient_view_set_analysis (self->patient_view, self->cohort,
                                      g_ptr_array_index (self->requested, 0), survival, roles);
  gtk_label_set_text (self->cohort_label, summary);

  guint n_excluded = survival->excluded->len;
  if (n_excluded > 0)
    {
      g_autofree char *label = g_strdup_printf (ngettext ("%u row excluded…", "%u rows excluded…",
                                                          n_excluded), n_excluded);
      gtk_button_set_label (self->excluded_button, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->excluded_button), n_excluded > 0);

  /* The MRD table of the restricted analysis first, then the other response tables. */
  clear_response_views (self);
  for (guint r = results->len; r-- > 0;)
    {
      StrataResult *result = g_ptr_array_index (results, r);
      for (guint i = 0; result != NULL && i < result->responses->len; i++)
        gtk_box_append (self->responses_box, strata_response_view_new (result, i, survival, burden));
    }

  gtk_stack_set_visible_child_name (self->main_stack, "results");
  update_actions (self);
  if (self->announce_exclusions)
    {
      self->announce_exclusions = FALSE;
      if (n_excluded > 0)
        {
          g_autofree char *title = g_strdup_printf (ngettext ("%u row of %s left out",
                                                              "%u rows of %s left out", n_excluded),
                                                    n_excluded, survival->file);
          toast (self, title, _("_Details"), "win.show-excluded");
        }
    }
}

static void
analysis_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (StrataWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) results = strata_analysis_task_run_finish (result, &error);
  gboolean was_busy;

  /* Superseded by a newer request, which has its own callback. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  was_busy = compute_busy (self);
  self->analysis_running = FALSE;
  g_clear_object (&self->analysis_cancellable);
  if (results != NULL)
    show_results (self, results);
  else
    {
      g_clear_pointer (&self->results, g_ptr_array_unref);
      strata_km_view_set_result (self->km_view, NULL);
      update_actions (self);
      g_autofree char *message = strata_result_text_error (error);
      show_status (self, "dialog-warning-symbolic", _("Nothing to Analyse"), message);
    }
  notify_busy_if_changed (self, was_busy);
}

static void
recompute (StrataWindow *self)
{
  gboolean was_busy = compute_busy (self);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) specs = NULL;

  if (self->analysis_cancellable != NULL)
    {
      g_cancellable_cancel (self->analysis_cancellable);
      g_clear_object (&self->analysis_cancellable);
    }
  self->analysis_running = FALSE;
  if (self->cohort == NULL)
    {
      notify_busy_if_changed (self, was_busy);
      return;
    }

  specs = strata_strata_panel_build_specs (self->panel, &error);
  if (specs == NULL)
    {
      g_clear_pointer (&self->results, g_ptr_array_unref);
      strata_km_view_set_result (self->km_view, NULL);
      update_actions (self);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        show_status (self, "dialog-warning-symbolic", _("No Endpoint Found"), error->message);
      else
        show_status (self, "edit-select-all-symbolic", _("No Patients Selected"), error->message);
      notify_busy_if_changed (self, was_busy);
      return;
    }
  g_clear_pointer (&self->requested, g_ptr_array_unref);
  self->requested = g_ptr_array_ref (specs);
  self->analysis_cancellable = g_cancellable_new ();
  self->analysis_running = TRUE;
  strata_analysis_task_run_async (self->cohort, specs, self->analysis_cancellable, analysis_cb,
                                  g_object_ref (self));
  notify_busy_if_changed (self, was_busy);
}

/* ---- actions --------------------------------------------------------------------------- */

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, StrataWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      strata_last_folder_remember (self->settings, file);
      if (file != NULL)
        strata_window_open_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
open_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataWindow *self = STRATA_WINDOW (widget);
  GtkFileFilter *supported = gtk_file_filter_new ();
  GtkFileFilter *tables = gtk_file_filter_new ();
  GtkFileFilter *analyses = gtk_file_filter_new ();
  GtkFileFilter *all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }
  self->chooser = gtk_file_chooser_native_new (_("Open Cohort or Analysis"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (supported, _("Cohort tables and analyses"));
  gtk_file_filter_set_name (tables, _("Cohort tables (CSV, TSV)"));
  gtk_file_filter_set_name (analyses, _("Strata analyses (.strata)"));
  for (guint i = 0; i < 2; i++)
    {
      GtkFileFilter *filter = i == 0 ? supported : tables;
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_mime_type (filter, "text/tab-separated-values");
      gtk_file_filter_add_suffix (filter, "csv");
      gtk_file_filter_add_suffix (filter, "tsv");
      gtk_file_filter_add_suffix (filter, "txt");
    }
  gtk_file_filter_add_suffix (supported, STRATA_ANALYSIS_FILE_EXTENSION);
  gtk_file_filter_add_suffix (analyses, STRATA_ANALYSIS_FILE_EXTENSION);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), supported);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), tables);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), analyses);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  g_object_unref (supported);
  g_object_unref (tables);
  g_object_unref (analyses);
  g_object_unref (all);
  strata_last_folder_apply (self->settings, GTK_FILE_CHOOSER (self->chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- export ------------------------------------------------------------------------ */

static void
update_actions (StrataWindow *self)
{
  gboolean has_result = strata_window_get_result (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-figure", has_result);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-figure", has_result);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-workbook", has_result);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-workbook-to", has_result);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-analysis", has_result);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-analysis-to", has_result);
}

/* The cohort file's name without its extension, for default file names. */
static char *
base_name (StrataWindow *self)
{
  g_autofree char *name = self->file ? g_file_get_basename (self->file) : g_strdup ("cohort");
  char *dot = strrchr (name, '.');

  if (dot != NULL && dot != name)
    *dot = '\0';
  return g_steal_pointer (&name);
}

static void
export_started (StrataWindow *self)
{
  gboolean was_busy = compute_busy (self);

  self->exports_running++;
  notify_busy_if_changed (self, was_busy);
}

static void
export_finished (StrataWindow *self)
{
  gboolean was_busy = compute_busy (self);

  self->exports_running--;
  notify_busy_if_changed (self, was_busy);
}

static void
figure_exported_cb (StrataExportDialog *dialog, const char *path, StrataWindow *self)
{
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *title = g_strdup_printf (_("Figure saved as %s"), name);

  toast (self, title, NULL, NULL);
}

static void
export_settings_changed_cb (StrataExportDialog *dialog, StrataWindow *self)
{
  self->export_settings = *strata_export_dialog_get_settings (dialog);
}

static void
export_figure_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataWindow *self = STRATA_WINDOW (widget);
  StrataResult *result = strata_window_get_result (self);
  g_autofree char *base = base_name (self);
  g_autofree char *name = g_strdup_printf (_("%s-kaplan-meier"), base);
  StrataExportDialog *dialog;

  if (result == NULL)
    return;
  dialog = strata_export_dialog_new (GTK_WINDOW (self), result, &self->export_settings,
                                     strata_km_view_get_style (self->km_view), name);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (figure_exported_cb), self, 0);
  g_signal_connect_object (dialog, "settings-changed", G_CALLBACK (export_settings_changed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* -- copy figure -- */

typedef struct {
  StrataResult *result;
  StrataPlotStyle *style;
  double dpi;
  /* the workbook */
  StrataTable *table;
  StrataSpec *spec;             /* RESULT's, for Patients; NULL while a new one runs */
  char *source_path;
  char *time_unit;
  char *path;
  GPtrArray *extra_results;     /* StrataResult*: the further response analyses shown */
} ExportJob;

/* The heading of the restricted MRD analysis in the workbook, which is in English
 * throughout (a fixed format for journals, as its other labels). */
#define WORKBOOK_DETECTABLE_TITLE "MRD negativity among patients with detectable marrow disease"

static void
export_job_free (ExportJob *job)
{
  g_clear_pointer (&job->extra_results, g_ptr_array_unref);
  g_clear_pointer (&job->result, strata_result_unref);
  g_clear_pointer (&job->style, strata_plot_style_free);
  g_clear_pointer (&job->table, strata_table_unref);
  g_clear_pointer (&job->spec, strata_spec_free);
  g_free (job->source_path);
  g_free (job->time_unit);
  g_free (job->path);
  g_free (job);
}

static ExportJob *
export_job_new (StrataWindow *self, gboolean double_width)
{
  ExportJob *job = g_new0 (ExportJob, 1);
  StrataExportSettings settings = self->export_settings;

  if (double_width)
    settings.size = STRATA_FIGURE_SIZE_DOUBLE;
  job->result = strata_result_ref (strata_window_get_result (self));
  job->style = strata_export_settings_make_style (&settings, job->result,
                                                  strata_km_view_get_style (self->km_view));
  job->dpi = self->export_settings.dpi;
  return job;
}

static void
render_png_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  GBytes *png = strata_figure_render_png (job->result, job->style, job->dpi, &error);

  if (png != NULL)
    g_task_return_pointer (task, png, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

static void
copy_figure_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  StrataWindow *self = STRATA_WINDOW (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) png = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (GdkTexture) texture = NULL;

  export_finished (self);
  if (self->disposed)
    return;
  if (png != NULL)
    texture = gdk_texture_new_from_bytes (png, &error);
  if (texture == NULL)
    {
      show_error_dialog (self, _("Could Not Copy the Figure"), error->message);
      return;
    }
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (self)), texture);
  toast (self, _("Figure copied"), NULL, NULL);
}

static void
copy_figure_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataWindow *self = STRATA_WINDOW (widget);
  ExportJob *job;
  GTask *task;

  if (strata_window_get_result (self) == NULL)
    return;
  job = export_job_new (self, FALSE);
  /* Enough for a slide or a document; a 1200 dpi bitmap would fill the clipboard. */
  job->dpi = MIN (job->dpi, CLIPBOARD_MAX_DPI);
  export_started (self);
  task = g_task_new (self, NULL, copy_figure_cb, NULL);
  g_task_set_name (task, "strata-copy-figure");
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, render_png_in_thread);
  g_object_unref (task);
}

/* -- workbook -- */

static void
workbook_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  StrataXlsxOptions options = { 0 };
  g_autoptr (GBytes) png = strata_figure_render_png (job->result, job->style, WORKBOOK_FIGURE_DPI, &error);

  if (png == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  options.source_path = job->source_path;
  options.figure_png = png;
  options.version = PACKAGE_VERSION;
  options.table = job->table;
  options.spec = job->spec;
  options.time_unit = job->time_unit;
  /* The response tables the window shows besides the main result's: the MRD table of
   * the analysis restricted to detectable marrow disease (strata_strata_panel_build_specs). */
  g_autofree StrataXlsxResponseSection *sections = g_new0 (StrataXlsxResponseSection,
                                                           job->extra_results->len + 1);
  for (guint i = 0; i < job->extra_results->len; i++)
    {
      sections[i].title = WORKBOOK_DETECTABLE_TITLE;
      sections[i].result = g_ptr_array_index (job->extra_results, i);
    }
  options.extra_responses = sections;
  options.n_extra_responses = job->extra_results->len;
  if (strata_xlsx_export (job->result, &options, job->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
workbook_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  StrataWindow *self = STRATA_WINDOW (source);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  export_finished (self);
  if (self->disposed)
    return;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_error_dialog (self, _("Could Not Export the Workbook"), error->message);
      return;
    }
  g_autofree char *name = g_filename_display_basename (job->path);
  g_autofree char *title = g_strdup_printf (_("Workbook saved as %s"), name);
  toast (self, title, NULL, NULL);
}

static void
export_workbook_to (StrataWindow *self, const char *path)
{
  ExportJob *job;
  GTask *task;

  if (strata_window_get_result (self) == NULL || self->cohort == NULL)
    return;
  job = export_job_new (self, TRUE);
  job->table = strata_table_ref (strata_cohort_get_table (self->cohort));
  /* The spec of the result shown (a newer request may be running). */
  if (self->shown_specs != NULL)
    job->spec = strata_spec_copy (g_ptr_array_index (self->shown_specs, 0));
  job->source_path = self->file ? g_file_get_path (self->file) : NULL;
  job->time_unit = g_strdup (strata_strata_panel_get_time_unit (self->panel));
  job->path = g_strdup (path);
  job->extra_results = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_result_unref);
  for (guint r = 1; r < self->results->len; r++)
    {
      StrataResult *extra = g_ptr_array_index (self->results, r);
      if (extra != NULL && extra->responses->len > 0)
        g_ptr_array_add (job->extra_results, strata_result_ref (extra));
    }
  export_started (self);
  task = g_task_new (self, NULL, workbook_done_cb, NULL);
  g_task_set_name (task, "strata-export-workbook");
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, workbook_in_thread);
  g_object_unref (task);
}

/* -- analysis file -- */

static JsonObject *
plot_options (StrataWindow *self)
{
  JsonObject *plot = json_object_new ();
  const StrataPlotStyle *style = strata_km_view_get_style (self->km_view);

  json_object_set_boolean_member (plot, "show_ci", style->show_ci);
  json_object_set_boolean_member (plot, "show_risk_table", style->show_risk_table);
  json_object_set_boolean_member (plot, "kmunicate", style->kmunicate);
  json_object_set_boolean_member (plot, "show_median_lines", style->show_median_lines);
  json_object_set_boolean_member (plot, "y_percent", style->y_percent);
  return plot;
}

static gboolean
save_analysis_to (StrataWindow *self, const char *path, GError **error)
{
  g_autoptr (GPtrArray) specs = NULL;
  g_autofree char *source = NULL;
  g_autoptr (StrataAnalysisFile) analysis = NULL;
  g_autoptr (JsonObject) view = json_object_new ();
  g_autoptr (JsonObject) roles = NULL;
  g_autoptr (GFileInfo) info = NULL;

  if (self->cohort == NULL || self->file == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Open a cohort first: there is no analysis to save."));
      return FALSE;
    }
  source = g_file_get_path (self->file);
  if (source == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The cohort is not a file on this computer: its analysis cannot be saved."));
      return FALSE;
    }
  specs = strata_strata_panel_build_specs (self->panel, error);
  if (specs == NULL)
    return FALSE;

  analysis = strata_analysis_file_new (source, g_ptr_array_index (specs, 0));
  analysis->source_sha256 = g_strdup (self->source_sha256);
  info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL && self->source_sha256 != NULL)
    analysis->source_size = g_file_info_get_size (info);
  analysis->created_by = g_strdup_printf ("Strata %s", PACKAGE_VERSION);
  roles = strata_column_roles_to_json (strata_strata_panel_get_roles (self->panel));
  strata_analysis_file_set_import_roles (analysis, roles);
  analysis->sheet = g_strdup (strata_strata_panel_get_roles (self->panel)->sheet);
  analysis->header_row = strata_strata_panel_get_roles (self->panel)->header_row;
  json_object_set_object_member (view, "panel", strata_strata_panel_save_state (self->panel));
  json_object_set_object_member (view, "plot", plot_options (self));
  json_object_set_object_member (view, "export", strata_export_settings_to_json (&self->export_settings));
  strata_analysis_file_set_view (analysis, view);
  return strata_analysis_file_save (analysis, path, NULL, error);
}

static void
save_analysis_report (StrataWindow *self, const char *path)
{
  g_autoptr (GError) error = NULL;

  if (!save_analysis_to (self, path, &error))
    {
      show_error_dialog (self, _("Could Not Save the Analysis"), error->message);
      return;
    }
  g_autofree char *name = g_filename_display_basename (path);
  g_autofree char *title = g_strdup_printf (_("Analysis saved as %s"), name);
  g_autofree char *uri = g_filename_to_uri (path, NULL, NULL);
  if (uri != NULL)
    gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
  toast (self, title, NULL, NULL);
}

/* -- the save dialog -- */

typedef void (*SaveFunc) (StrataWindow *self, const char *path);

static void
save_chooser_response_cb (GtkNativeDialog *chooser, int response, StrataWindow *self)
{
  SaveFunc func = g_object_get_data (G_OBJECT (chooser), "strata-save-func");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      strata_last_folder_remember (self->settings, file);
      if (path != NULL)
        func (self, path);
      else if (file != NULL)
        show_error_dialog (self, _("Could Not Save"), _("Strata can only save to a folder of this computer."));
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->save_chooser);
}

/* A native save dialog proposing NAME; FUNC gets the path chosen. GTK's own dialog
 * and the desktop portal's both ask before replacing an existing file (GTK 4 has no
 * switch for it: save mode always confirms). */
static void
run_save_chooser (StrataWindow *self, const char *title, const char *name, const char *filter_name,
                  const char *mime_type, const char *suffix, SaveFunc func)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->save_chooser != NULL)
    return;
  self->save_chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                                    _("_Save"), _("_Cancel"));
  gtk_file_filter_set_name (filter, filter_name);
  if (mime_type != NULL)
    gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_filter_add_suffix (filter, suffix);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->save_chooser), filter);
  strata_last_folder_apply (self->settings, GTK_FILE_CHOOSER (self->save_chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_chooser), name);
  g_object_set_data (G_OBJECT (self->save_chooser), "strata-save-func", func);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->save_chooser), TRUE);
  g_signal_connect (self->save_chooser, "response", G_CALLBACK (save_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_chooser));
}

static void
export_workbook_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataWindow *self = STRATA_WINDOW (widget);
  g_autofree char *base = base_name (self);
  g_autofree char *name = g_strdup_printf ("%s.xlsx", base);

  run_save_chooser (self, _("Export Workbook"), name, _("Excel workbooks (.xlsx)"),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
                    export_workbook_to);
}

static void
export_workbook_to_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  export_workbook_to (STRATA_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
save_analysis_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataWindow *self = STRATA_WINDOW (widget);
  g_autofree char *base = base_name (self);
  g_autofree char *name = g_strdup_printf ("%s." STRATA_ANALYSIS_FILE_EXTENSION, base);

  run_save_chooser (self, _("Save Analysis"), name, _("Strata analyses (.strata)"), NULL,
                    STRATA_ANALYSIS_FILE_EXTENSION, save_analysis_report);
}

static void
save_analysis_to_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  save_analysis_report (STRATA_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
open_demo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  strata_window_open_demo (STRATA_WINDOW (widget));
}

static void
cancel_import_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataWindow *self = STRATA_WINDOW (widget);

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
}

static void
show_excluded_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataWindow *self = STRATA_WINDOW (widget);
  StrataResult *result = strata_window_get_result (self);

  if (result != NULL)
    gtk_window_present (GTK_WINDOW (strata_exclusions_dialog_new (GTK_WINDOW (self), result)));
}

/* Shows the tables named by PARAMETER under the plot: "tables" (survival summary and
 * responses) or "patients". */
static void
show_tables_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataWindow *self = STRATA_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->results_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->results_stack, name);
}

/* ---- drag and drop ------------------------------------------------------------------ */

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, StrataWindow *self)
{
  GFile *file = g_value_get_object (value);

  if (file == NULL)
    return FALSE;
  strata_window_open_file (self, file);
  return TRUE;
}

/* ---- GObject --------------------------------------------------------------------------- */

static gboolean
strata_window_close_request (GtkWindow *window)
{
  StrataWindow *self = STRATA_WINDOW (window);
  int width, height;

  if (self->settings == NULL)
    return GTK_WINDOW_CLASS (strata_window_parent_class)->close_request (window);
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (strata_window_parent_class)->close_request (window);
}

static void
strata_window_dispose (GObject *object)
{
  StrataWindow *self = STRATA_WINDOW (object);

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  if (self->analysis_cancellable != NULL)
    g_cancellable_cancel (self->analysis_cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  self->disposed = TRUE;
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->save_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_chooser));
  g_clear_object (&self->save_chooser);
  if (self->assistant != NULL)
    {
      StrataImportAssistant *assistant = g_steal_pointer (&self->assistant);
      gtk_window_destroy (GTK_WINDOW (assistant));
    }
  g_clear_object (&self->import_cancellable);
  g_clear_object (&self->analysis_cancellable);
  g_clear_object (&self->loader);
  g_clear_object (&self->settings);
  g_clear_object (&self->importing);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRATA_TYPE_WINDOW);

  G_OBJECT_CLASS (strata_window_parent_class)->dispose (object);
}

static void
strata_window_finalize (GObject *object)
{
  StrataWindow *self = STRATA_WINDOW (object);

  g_clear_pointer (&self->cohort, strata_cohort_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->shown_specs, g_ptr_array_unref);
  g_clear_pointer (&self->requested, g_ptr_array_unref);
  g_clear_object (&self->file);
  g_free (self->source_sha256);
  g_clear_pointer (&self->pending_analysis, strata_analysis_file_free);
  g_free (self->pending_analysis_name);
  g_free (self->last_message);

  G_OBJECT_CLASS (strata_window_parent_class)->finalize (object);
}

static void
strata_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  StrataWindow *self = STRATA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, strata_window_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
strata_window_class_init (StrataWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = strata_window_dispose;
  object_class->finalize = strata_window_finalize;
  object_class->get_property = strata_window_get_property;
  window_class->close_request = strata_window_close_request;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STRATA_TYPE_STRATA_PANEL);
  g_type_ensure (STRATA_TYPE_KM_VIEW);
  g_type_ensure (STRATA_TYPE_SUMMARY_VIEW);
  g_type_ensure (STRATA_TYPE_PATIENT_VIEW);

  strata_gui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stratareview/Strata/strata-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, demo_revealer);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, import_label);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, import_progress);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, panel);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, results_paned);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, km_view);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, cohort_label);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, excluded_button);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, summary_view);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, responses_box);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, results_stack);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, patient_view);
  gtk_widget_class_bind_template_child (widget_class, StrataWindow, export_button);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "win.show-excluded", NULL, show_excluded_action);
  gtk_widget_class_install_action (widget_class, "win.show-tables", "s", show_tables_action);
  gtk_widget_class_install_action (widget_class, "win.export-figure", NULL, export_figure_action);
  gtk_widget_class_install_action (widget_class, "win.copy-figure", NULL, copy_figure_action);
  gtk_widget_class_install_action (widget_class, "win.export-workbook", NULL, export_workbook_action);
  gtk_widget_class_install_action (widget_class, "win.export-workbook-to", "s",
                                   export_workbook_to_action);
  gtk_widget_class_install_action (widget_class, "win.save-analysis", NULL, save_analysis_action);
  gtk_widget_class_install_action (widget_class, "win.save-analysis-to", "s", save_analysis_to_action);
}

static void
strata_window_init (StrataWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

  gtk_widget_init_template (GTK_WIDGET (self));

  strata_export_settings_init (&self->export_settings);
  self->loader = strata_cohort_loader_new ();
  g_signal_connect_object (self->loader, "notify::fraction", G_CALLBACK (fraction_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->panel, "changed", G_CALLBACK (recompute), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->panel, "show-ci", self->km_view, "show-ci", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->panel, "show-risk-table", self->km_view, "show-risk-table",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->panel, "kmunicate", self->km_view, "kmunicate", G_BINDING_SYNC_CREATE);

  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  show_no_cohort (self);
  update_actions (self);
}

/* Settings come from the application when it is Strata's, else from a GSettings of
 * the window's own. ("application" is not a construct property: this runs once the
 * window has it.) */
static void
bind_settings (StrataWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  self->settings = application && STRATA_IS_APPLICATION (application)
                   ? g_object_ref (strata_application_get_settings (STRATA_APPLICATION (application)))
                   : strata_application_create_settings ();

  gtk_window_set_default_size (GTK_WINDOW (self), g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_settings_bind (self->settings, "sidebar-width", self->paned, "position", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "kmunicate", self->km_view, "kmunicate", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "show-median-lines", self->km_view, "show-median-lines",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "y-percent", self->km_view, "y-percent", G_SETTINGS_BIND_GET);
  strata_strata_panel_bind_settings (self->panel, self->settings);
  /* The figure choices of the last export (size, dpi, font, palette...). */
  strata_export_settings_load (&self->export_settings, self->settings);
}

StrataWindow *
strata_window_new (GtkApplication *application)
{
  StrataWindow *self = g_object_new (STRATA_TYPE_WINDOW, "application", application, NULL);

  bind_settings (self);
  return self;
}

/* ---- public API -------------------------------------------------------------------------- */

static void
forget_pending_analysis (StrataWindow *self)
{
  g_clear_pointer (&self->pending_analysis, strata_analysis_file_free);
  g_clear_pointer (&self->pending_analysis_name, g_free);
}

void
strata_window_open_file (StrataWindow *self, GFile *file)
{
  g_return_if_fail (STRATA_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  forget_pending_analysis (self);
  if (is_analysis_file (file))
    open_analysis (self, file);
  else
    start_import (self, file, FALSE);
}

void
strata_window_open_demo (StrataWindow *self)
{
  g_return_if_fail (STRATA_IS_WINDOW (self));

  g_autoptr (GFile) demo = strata_application_get_demo_cohort ();
  forget_pending_analysis (self);
  start_import (self, demo, TRUE);
}

gboolean
strata_window_get_busy (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), FALSE);

  return compute_busy (self);
}

gboolean
strata_window_get_is_demo (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), FALSE);

  return self->is_demo;
}

StrataResult *
strata_window_get_result (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return self->results != NULL ? g_ptr_array_index (self->results, 0) : NULL;
}

GPtrArray *
strata_window_get_results (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return self->results;
}

StrataStrataPanel *
strata_window_get_panel (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return self->panel;
}

StrataKmView *
strata_window_get_km_view (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return self->km_view;
}

StrataPatientView *
strata_window_get_patient_view (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return self->patient_view;
}

const char *
strata_window_get_tables_page (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->results_stack);
}

StrataSummaryView *
strata_window_get_summary_view (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return self->summary_view;
}

GList *
strata_window_get_response_views (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  GList *views = NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->responses_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    views = g_list_prepend (views, child);
  return g_list_reverse (views);
}

const char *
strata_window_get_page (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

StrataImportAssistant *
strata_window_get_import_assistant (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return self->assistant;
}

GFile *
strata_window_get_file (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return self->file;
}

const char *
strata_window_get_source_sha256 (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return self->source_sha256;
}

StrataExportSettings *
strata_window_get_export_settings (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return &self->export_settings;
}

const char *
strata_window_get_last_message (StrataWindow *self)
{
  g_return_val_if_fail (STRATA_IS_WINDOW (self), NULL);

  return self->last_message;
}

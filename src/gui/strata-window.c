/* strata-window.c: the main window. It owns the cohort and the last results, starts
 * imports and analyses in workers, and hands results to the views. */
#include "strata-window.h"

#include <math.h>

#include "strata-analysis-task.h"
#include "strata-application.h"
#include "strata-cohort-loader.h"
#include "strata-core-types.h"
#include "strata-exclusions-dialog.h"
#include "strata-gui-resources.h"
#include "strata-response-view.h"

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

  GSettings *settings;
  StrataCohortLoader *loader;
  GCancellable *import_cancellable;
  GCancellable *analysis_cancellable;
  GtkFileChooserNative *chooser;
  guint pulse_id;

  StrataCohort *cohort;
  GFile *importing;         /* the file being imported */
  gboolean importing_demo;
  gboolean is_demo;
  gboolean announce_exclusions;
  gboolean analysis_running;
  GPtrArray *results;       /* StrataResult* or NULL; [0] survival */
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
  return self->import_cancellable != NULL || self->analysis_running;
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
show_error_dialog (StrataWindow *self, const char *heading, const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", "_Close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
toast (StrataWindow *self, const char *title, const char *button, const char *action)
{
  AdwToast *t = adw_toast_new (title);

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

static void
set_cohort (StrataWindow *self, StrataCohort *cohort, GFile *file, gboolean is_demo)
{
  g_autofree char *name = file_display_name (file);

  g_clear_pointer (&self->cohort, strata_cohort_unref);
  self->cohort = strata_cohort_ref (cohort);
  self->is_demo = is_demo;
  self->announce_exclusions = TRUE;
  adw_window_title_set_subtitle (self->window_title, is_demo ? "Synthetic demo cohort" : name);
  gtk_revealer_set_reveal_child (self->demo_revealer, is_demo);
  if (!is_demo)
    {
      g_autofree char *uri = g_file_get_uri (file);
      gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
    }
  /* Emits ::changed, which recomputes. */
  strata_strata_panel_set_cohort (self->panel, cohort);
}

static void
load_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (StrataWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataCohort) cohort = strata_cohort_loader_load_finish (STRATA_COHORT_LOADER (source),
                                                                      result, &error);
  g_autoptr (GFile) file = NULL;
  gboolean was_busy = compute_busy (self);

  /* A newer import replaced this one: it has its own callback. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_cancellable_is_cancelled (self->import_cancellable) == FALSE)
    return;

  file = g_steal_pointer (&self->importing);
  g_clear_object (&self->import_cancellable);
  stop_import_ui (self);

  if (cohort != NULL)
    set_cohort (self, cohort, file, self->importing_demo);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, "Import cancelled", NULL, NULL);
  else
    {
      g_autofree char *name = file_display_name (file);
      g_autofree char *heading = g_strdup_printf ("Cannot Open “%s”", name);
      toast (self, heading, NULL, NULL);
      show_error_dialog (self, heading, error->message);
    }
  if (self->cohort == NULL)
    show_status (self, "document-open-symbolic", "No Cohort Open",
                 "Open a cohort file (CSV or TSV, one row per patient), or drop one here.");
  notify_busy_if_changed (self, was_busy);
}

static void
start_import (StrataWindow *self, GFile *file, gboolean is_demo)
{
  gboolean was_busy = compute_busy (self);
  g_autofree char *name = file_display_name (file);
  g_autofree char *label = g_strdup_printf ("Importing %s…", name);

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

/* ---- analysis -------------------------------------------------------------------------- */

static char *
cohort_summary (const StrataResult *result)
{
  g_autoptr (GString) text = g_string_new (NULL);

  g_string_append_printf (text, "%u patients in the analysis of %u rows in %s", result->rows_used,
                          result->rows, result->file);
  g_string_append_printf (text, " · time %s, event %s", result->time_column,
                          result->event_column ? result->event_column : "");
  for (guint i = 0; i < result->where->len; i++)
    g_string_append_printf (text, "%s%s", i == 0 ? " · where " : " and ",
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
  const char *unit = strata_strata_panel_get_time_unit (self->panel);
  g_autofree char *x_label = unit ? g_strdup_printf ("Time, %s", unit) : g_strdup ("Time");
  g_autofree char *summary = cohort_summary (survival);

  g_clear_pointer (&self->results, g_ptr_array_unref);
  self->results = g_ptr_array_ref (results);

  strata_km_view_set_labels (self->km_view, x_label,
                             strata_strata_panel_get_endpoint_label (self->panel), unit);
  strata_km_view_set_result (self->km_view, survival);
  strata_summary_view_set_result (self->summary_view, survival, unit);
  gtk_label_set_text (self->cohort_label, summary);

  guint n_excluded = survival->excluded->len;
  if (n_excluded > 0)
    {
      g_autofree char *label = g_strdup_printf ("%u row%s excluded…", n_excluded,
                                                n_excluded == 1 ? "" : "s");
      gtk_button_set_label (self->excluded_button, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->excluded_button), n_excluded > 0);

  /* The MRD table of the restricted analysis first, then the other response tables. */
  clear_response_views (self);
  for (guint r = results->len; r-- > 0;)
    {
      StrataResult *result = g_ptr_array_index (results, r);
      for (guint i = 0; result != NULL && i < result->responses->len; i++)
        gtk_box_append (self->responses_box, strata_response_view_new (result, i, survival));
    }

  gtk_stack_set_visible_child_name (self->main_stack, "results");
  if (self->announce_exclusions)
    {
      self->announce_exclusions = FALSE;
      if (n_excluded > 0)
        {
          g_autofree char *title = g_strdup_printf ("%u row%s of %s left out", n_excluded,
                                                    n_excluded == 1 ? "" : "s", survival->file);
          toast (self, title, "_Details", "win.show-excluded");
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
      show_status (self, "dialog-warning-symbolic", "Nothing to Analyse", error->message);
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
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        show_status (self, "dialog-warning-symbolic", "No Endpoint Found", error->message);
      else
        show_status (self, "edit-select-all-symbolic", "No Patients Selected", error->message);
      notify_busy_if_changed (self, was_busy);
      return;
    }
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
      if (file != NULL)
        strata_window_open_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
open_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataWindow *self = STRATA_WINDOW (widget);
  GtkFileFilter *tables = gtk_file_filter_new ();
  GtkFileFilter *all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }
  self->chooser = gtk_file_chooser_native_new ("Open Cohort", GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");
  gtk_file_filter_set_name (tables, "Cohort tables (CSV, TSV)");
  gtk_file_filter_add_mime_type (tables, "text/csv");
  gtk_file_filter_add_mime_type (tables, "text/tab-separated-values");
  gtk_file_filter_add_suffix (tables, "csv");
  gtk_file_filter_add_suffix (tables, "tsv");
  gtk_file_filter_add_suffix (tables, "txt");
  gtk_file_filter_set_name (all, "All files");
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), tables);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  g_object_unref (tables);
  g_object_unref (all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
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
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
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

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "win.show-excluded", NULL, show_excluded_action);
}

static void
strata_window_init (StrataWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->loader = strata_cohort_loader_new ();
  g_signal_connect_object (self->loader, "notify::fraction", G_CALLBACK (fraction_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->panel, "changed", G_CALLBACK (recompute), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->panel, "show-ci", self->km_view, "show-ci", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->panel, "show-risk-table", self->km_view, "show-risk-table",
                          G_BINDING_SYNC_CREATE);

  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  show_status (self, "document-open-symbolic", "No Cohort Open",
               "Open a cohort file (CSV or TSV, one row per patient), or drop one here.");
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
}

StrataWindow *
strata_window_new (GtkApplication *application)
{
  StrataWindow *self = g_object_new (STRATA_TYPE_WINDOW, "application", application, NULL);

  bind_settings (self);
  return self;
}

/* ---- public API -------------------------------------------------------------------------- */

void
strata_window_open_file (StrataWindow *self, GFile *file)
{
  g_return_if_fail (STRATA_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  start_import (self, file, FALSE);
}

void
strata_window_open_demo (StrataWindow *self)
{
  g_return_if_fail (STRATA_IS_WINDOW (self));

  g_autoptr (GFile) demo = strata_application_get_demo_cohort ();
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

/* strata-export-dialog.c: the figure export dialog: choices, live preview, save
 * dialog and the export in a worker. */
#include "strata-export-dialog.h"

#include <glib/gi18n.h>
#include <math.h>

#include "strata-application.h"
#include "strata-gui-resources.h"
#include "strata-km-plot.h"
#include "strata-last-folder.h"

/* The formats in the order the Format row lists them. */
static const StrataFigureFormat format_order[] = {
  STRATA_FIGURE_PNG, STRATA_FIGURE_TIFF, STRATA_FIGURE_PDF, STRATA_FIGURE_SVG, STRATA_FIGURE_EPS,
};
static const double dpi_choices[] = { 300, 600, 1200 };

/* Room around the page in the preview, in pixels. */
#define PREVIEW_MARGIN 24

struct _StrataExportDialog
{
  AdwWindow parent_instance;

  /* template */
  GtkButton *export_button;
  GtkSpinner *spinner;
  GtkDrawingArea *preview;
  GtkLabel *caption;
  AdwPreferencesPage *settings_page;
  AdwComboRow *format_row;
  AdwComboRow *dpi_row;
  AdwComboRow *size_row;
  GtkStringList *size_model;
  AdwActionRow *width_row;
  GtkSpinButton *width_spin;
  AdwActionRow *height_row;
  GtkSpinButton *height_spin;
  AdwComboRow *font_row;
  GtkStringList *font_model;
  GtkSpinButton *font_size_spin;
  AdwComboRow *palette_row;

  GSettings *gsettings;            /* where the choices are remembered */
  StrataResult *result;
  StrataPlotStyle *view_style;
  StrataPlotStyle *style;         /* the figure as exported */
  StrataExportSettings settings;
  char *suggested_name;
  char *caption_text;
  GtkFileChooserNative *chooser;
  cairo_surface_t *cache;         /* the preview page, drawn at cache_width x cache_height */
  int cache_width, cache_height;
  guint updating;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (StrataExportDialog, strata_export_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SETTINGS_CHANGED,
  EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the style and the preview --------------------------------------------------------- */

static void
invalidate_preview (StrataExportDialog *self)
{
  g_clear_pointer (&self->cache, cairo_surface_destroy);
  gtk_widget_queue_draw (GTK_WIDGET (self->preview));
}

static void
update_caption (StrataExportDialog *self)
{
  double width_cm = self->style->width / 72.0 * 2.54;
  double height_cm = self->style->height / 72.0 * 2.54;
  static const char *const names[STRATA_FIGURE_N_FORMATS] = {
    [STRATA_FIGURE_PNG] = "PNG", [STRATA_FIGURE_PDF] = "PDF", [STRATA_FIGURE_SVG] = "SVG",
    [STRATA_FIGURE_EPS] = "EPS", [STRATA_FIGURE_TIFF] = "TIFF",
  };
  const char *format = names[self->settings.format];

  g_free (self->caption_text);
  if (strata_figure_format_is_raster (self->settings.format))
    self->caption_text =
      g_strdup_printf (_("%.1f × %.1f cm · %s · %d × %d pixels at %g dpi"), width_cm, height_cm, format,
                       strata_figure_pixels (self->style->width, self->settings.dpi),
                       strata_figure_pixels (self->style->height, self->settings.dpi),
                       self->settings.dpi);
  else
    self->caption_text = g_strdup_printf (_("%.1f × %.1f cm · %s · vector graphics, fonts embedded"),
                                          width_cm, height_cm, format);
  gtk_label_set_text (self->caption, self->caption_text);
}

/* Rebuilds the style from the settings, shows the sizes it came to, redraws. */
static void
update_style (StrataExportDialog *self)
{
  gboolean custom = self->settings.size == STRATA_FIGURE_SIZE_CUSTOM;
  gboolean raster = strata_figure_format_is_raster (self->settings.format);

  g_clear_pointer (&self->style, strata_plot_style_free);
  self->style = strata_export_settings_make_style (&self->settings, self->result, self->view_style);

  self->updating++;
  gtk_widget_set_visible (GTK_WIDGET (self->width_row), custom);
  gtk_widget_set_sensitive (GTK_WIDGET (self->height_spin), custom);
  adw_action_row_set_subtitle (self->height_row,
                               custom ? NULL : _("Set by the layout for this width"));
  if (!custom)
    {
      gtk_spin_button_set_value (self->width_spin, round (self->style->width / 72.0 * 2.54 * 10.0) / 10.0);
      gtk_spin_button_set_value (self->height_spin, round (self->style->height / 72.0 * 2.54 * 10.0) / 10.0);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->dpi_row), raster);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->dpi_row),
                               raster ? NULL : _("PNG and TIFF only"));
  self->updating--;

  update_caption (self);
  invalidate_preview (self);
}

static void
settings_changed (StrataExportDialog *self)
{
  update_style (self);
  g_signal_emit (self, signals[SETTINGS_CHANGED], 0);
}

static void
draw_preview (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  StrataExportDialog *self = user_data;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (area));
  double available_w = width - 2 * PREVIEW_MARGIN, available_h = height - 2 * PREVIEW_MARGIN;
  double zoom, page_w, page_h, x, y;

  if (self->style == NULL || self->result == NULL || available_w < 16 || available_h < 16)
    return;
  zoom = MIN (available_w / self->style->width, available_h / self->style->height);
  page_w = floor (self->style->width * zoom);
  page_h = floor (self->style->height * zoom);
  x = floor ((width - page_w) / 2);
  y = floor ((height - page_h) / 2);

  /* The figure through the shared renderer into an image at the device's pixels, kept
   * until the settings or the size change. */
  if (self->cache == NULL || self->cache_width != (int) page_w || self->cache_height != (int) page_h)
    {
      g_clear_pointer (&self->cache, cairo_surface_destroy);
      self->cache = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) page_w * scale,
                                                (int) page_h * scale);
      cairo_surface_set_device_scale (self->cache, scale, scale);
      cairo_t *page = cairo_create (self->cache);
      cairo_set_source_rgb (page, 1, 1, 1);
      cairo_paint (page);
      cairo_scale (page, zoom, zoom);
      strata_km_plot_draw (page, self->result, self->style);
      cairo_destroy (page);
      self->cache_width = (int) page_w;
      self->cache_height = (int) page_h;
    }

  /* A soft shadow, then the page. */
  for (int i = 3; i >= 1; i--)
    {
      cairo_set_source_rgba (cr, 0, 0, 0, 0.05);
      cairo_rectangle (cr, x - i + 1, y - i + 2, page_w + 2 * i - 2, page_h + 2 * i - 2);
      cairo_fill (cr);
    }
  cairo_set_source_surface (cr, self->cache, x, y);
  cairo_paint (cr);
}

/* ---- exporting ------------------------------------------------------------------------ */

typedef struct {
  StrataResult *result;
  StrataPlotStyle *style;
  char *path;
  StrataFigureFormat format;
  double dpi;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  strata_result_unref (job->result);
  strata_plot_style_free (job->style);
  g_free (job->path);
  g_free (job);
}

static void
export_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (strata_figure_export (job->result, job->style, job->path, job->format, job->dpi, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
set_busy (StrataExportDialog *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->settings_page), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.choose", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.save-to", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.cancel", !busy);
  gtk_button_set_label (self->export_button, busy ? _("Exporting…") : _("_Export…"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_failure (StrataExportDialog *self, const char *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Could Not Export the Figure"),
                                              message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  StrataExportDialog *self = STRATA_EXPORT_DIALOG (source);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_failure (self, error->message);
      return;
    }
  strata_export_settings_save (&self->settings, self->gsettings);
  g_signal_emit (self, signals[EXPORTED], 0, job->path);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_to (StrataExportDialog *self, const char *path)
{
  ExportJob *job;
  GTask *task;
  StrataFigureFormat format = self->settings.format;

  if (self->busy)
    return;
  /* A name ending in another figure extension asks for that format. */
  strata_figure_format_from_path (path, &format);
  job = g_new0 (ExportJob, 1);
  job->result = strata_result_ref (self->result);
  job->style = strata_plot_style_copy (self->style);
  job->path = g_strdup (path);
  job->format = format;
  job->dpi = self->settings.dpi;

  set_busy (self, TRUE);
  /* The dialog cannot close while the task runs; the callback closes it. */
  task = g_task_new (self, NULL, export_done_cb, NULL);
  g_task_set_source_tag (task, save_to);
  g_task_set_name (task, "strata-export-figure");
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_in_thread);
  g_object_unref (task);
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, StrataExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      strata_last_folder_remember (self->gsettings, file);
      if (path != NULL)
        save_to (self, path);
      else if (file != NULL)
        show_failure (self, _("Strata can only save to a folder of this computer."));
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
choose_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataExportDialog *self = STRATA_EXPORT_DIALOG (widget);
  const char *extension = strata_figure_format_extension (self->settings.format);
  g_autofree char *name = g_strdup_printf ("%s.%s", self->suggested_name, extension);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *pattern = g_strdup_printf ("*.%s", extension);

  if (self->chooser != NULL)
    return;
  /* In save mode GTK's chooser and the portal's both ask before replacing a file. */
  self->chooser = gtk_file_chooser_native_new (_("Export Figure"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  gtk_file_filter_set_name (filter, adw_combo_row_get_selected (self->format_row) < G_N_ELEMENTS (format_order)
                                    ? gtk_string_object_get_string (GTK_STRING_OBJECT (adw_combo_row_get_selected_item (self->format_row)))
                                    : extension);
  gtk_file_filter_add_mime_type (filter, strata_figure_format_mime_type (self->settings.format));
  gtk_file_filter_add_pattern (filter, pattern);
  if (self->settings.format == STRATA_FIGURE_TIFF)
    gtk_file_filter_add_pattern (filter, "*.tiff");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  strata_last_folder_apply (self->gsettings, GTK_FILE_CHOOSER (self->chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
save_to_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  save_to (STRATA_EXPORT_DIALOG (widget), g_variant_get_string (parameter, NULL));
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* ---- choices --------------------------------------------------------------------------- */

static void
format_changed_cb (StrataExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->format_row);

  if (self->updating > 0 || selected >= G_N_ELEMENTS (format_order))
    return;
  self->settings.format = format_order[selected];
  settings_changed (self);
}

static void
dpi_changed_cb (StrataExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->dpi_row);

  if (self->updating > 0 || selected >= G_N_ELEMENTS (dpi_choices))
    return;
  self->settings.dpi = dpi_choices[selected];
  settings_changed (self);
}

static void
size_changed_cb (StrataExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->size_row);

  if (self->updating > 0 || selected >= STRATA_FIGURE_N_SIZES)
    return;
  /* Custom starts from the size shown. */
  if (selected == STRATA_FIGURE_SIZE_CUSTOM && self->settings.size != STRATA_FIGURE_SIZE_CUSTOM)
    {
      self->settings.width_cm = gtk_spin_button_get_value (self->width_spin);
      self->settings.height_cm = gtk_spin_button_get_value (self->height_spin);
    }
  self->settings.size = selected;
  settings_changed (self);
}

static void
custom_size_changed_cb (StrataExportDialog *self)
{
  if (self->updating > 0 || self->settings.size != STRATA_FIGURE_SIZE_CUSTOM)
    return;
  self->settings.width_cm = gtk_spin_button_get_value (self->width_spin);
  self->settings.height_cm = gtk_spin_button_get_value (self->height_spin);
  settings_changed (self);
}

static void
font_changed_cb (StrataExportDialog *self)
{
  if (self->updating > 0)
    return;
  self->settings.font = MIN (adw_combo_row_get_selected (self->font_row), STRATA_EXPORT_N_FONTS - 1);
  self->settings.font_size = gtk_spin_button_get_value (self->font_size_spin);
  settings_changed (self);
}

static void
palette_changed_cb (StrataExportDialog *self)
{
  if (self->updating > 0)
    return;
  self->settings.palette = adw_combo_row_get_selected (self->palette_row) == 1
                           ? STRATA_PALETTE_GREYSCALE : STRATA_PALETTE_OKABE_ITO;
  settings_changed (self);
}

/* Shows SETTINGS in the rows. */
static void
show_settings (StrataExportDialog *self)
{
  self->updating++;
  for (guint i = 0; i < G_N_ELEMENTS (format_order); i++)
    if (format_order[i] == self->settings.format)
      adw_combo_row_set_selected (self->format_row, i);
  for (guint i = 0; i < G_N_ELEMENTS (dpi_choices); i++)
    if (dpi_choices[i] == self->settings.dpi)
      adw_combo_row_set_selected (self->dpi_row, i);
  adw_combo_row_set_selected (self->size_row, self->settings.size);
  gtk_spin_button_set_value (self->width_spin, self->settings.width_cm);
  gtk_spin_button_set_value (self->height_spin, self->settings.height_cm);
  adw_combo_row_set_selected (self->font_row, self->settings.font);
  gtk_spin_button_set_value (self->font_size_spin, self->settings.font_size);
  adw_combo_row_set_selected (self->palette_row,
                              self->settings.palette == STRATA_PALETTE_GREYSCALE ? 1 : 0);
  self->updating--;
  update_style (self);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static gboolean
strata_export_dialog_close_request (GtkWindow *window)
{
  StrataExportDialog *self = STRATA_EXPORT_DIALOG (window);

  /* Not while a file is written: the export ends first (it cannot be stopped half way;
   * the file would be left as it was, but the user asked for it). */
  if (self->busy)
    return TRUE;
  /* Closed without exporting, the choices are still what the user last asked for. */
  strata_export_settings_save (&self->settings, self->gsettings);
  return GTK_WINDOW_CLASS (strata_export_dialog_parent_class)->close_request (window);
}

static void
strata_export_dialog_dispose (GObject *object)
{
  StrataExportDialog *self = STRATA_EXPORT_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRATA_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (strata_export_dialog_parent_class)->dispose (object);
}

static void
strata_export_dialog_finalize (GObject *object)
{
  StrataExportDialog *self = STRATA_EXPORT_DIALOG (object);

  g_clear_object (&self->gsettings);
  g_clear_pointer (&self->result, strata_result_unref);
  g_clear_pointer (&self->view_style, strata_plot_style_free);
  g_clear_pointer (&self->style, strata_plot_style_free);
  g_clear_pointer (&self->cache, cairo_surface_destroy);
  g_free (self->suggested_name);
  g_free (self->caption_text);
  G_OBJECT_CLASS (strata_export_dialog_parent_class)->finalize (object);
}

static void
strata_export_dialog_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  StrataExportDialog *self = STRATA_EXPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
strata_export_dialog_class_init (StrataExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = strata_export_dialog_dispose;
  object_class->finalize = strata_export_dialog_finalize;
  object_class->get_property = strata_export_dialog_get_property;
  window_class->close_request = strata_export_dialog_close_request;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SETTINGS_CHANGED] = g_signal_new ("settings-changed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
  signals[EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  strata_gui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stratareview/Strata/strata-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, preview);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, caption);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, settings_page);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, dpi_row);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, size_row);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, size_model);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, width_row);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, width_spin);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, height_row);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, height_spin);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, font_row);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, font_model);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, font_size_spin);
  gtk_widget_class_bind_template_child (widget_class, StrataExportDialog, palette_row);

  gtk_widget_class_install_action (widget_class, "export.choose", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "export.save-to", "s", save_to_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "export.cancel", NULL);
}

static void
strata_export_dialog_init (StrataExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  strata_export_settings_init (&self->settings);
  for (guint s = 0; s < STRATA_FIGURE_N_SIZES; s++)
    gtk_string_list_append (self->size_model, strata_figure_size_label (s));
  for (guint f = 0; f < STRATA_EXPORT_N_FONTS; f++)
    gtk_string_list_append (self->font_model, strata_export_font_label (f));
  gtk_drawing_area_set_draw_func (self->preview, draw_preview, self, NULL);

  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (format_changed_cb), self);
  g_signal_connect_swapped (self->dpi_row, "notify::selected", G_CALLBACK (dpi_changed_cb), self);
  g_signal_connect_swapped (self->size_row, "notify::selected", G_CALLBACK (size_changed_cb), self);
  g_signal_connect_swapped (self->width_spin, "value-changed", G_CALLBACK (custom_size_changed_cb), self);
  g_signal_connect_swapped (self->height_spin, "value-changed", G_CALLBACK (custom_size_changed_cb), self);
  g_signal_connect_swapped (self->font_row, "notify::selected", G_CALLBACK (font_changed_cb), self);
  g_signal_connect_swapped (self->font_size_spin, "value-changed", G_CALLBACK (font_changed_cb), self);
  g_signal_connect_swapped (self->palette_row, "notify::selected", G_CALLBACK (palette_changed_cb), self);
}

StrataExportDialog *
strata_export_dialog_new (GtkWindow *parent, StrataResult *result, const StrataExportSettings *settings,
                          const StrataPlotStyle *view_style, const char *suggested_name)
{
  g_return_val_if_fail (result != NULL, NULL);

  StrataExportDialog *self = g_object_new (STRATA_TYPE_EXPORT_DIALOG,
                                           "transient-for", parent,
                                           "modal", TRUE,
                                           "destroy-with-parent", TRUE,
                                           NULL);
  GtkApplication *application = parent != NULL ? gtk_window_get_application (parent) : NULL;

  self->gsettings = application != NULL && STRATA_IS_APPLICATION (application)
                    ? g_object_ref (strata_application_get_settings (STRATA_APPLICATION (application)))
                    : strata_application_create_settings ();
  self->result = strata_result_ref (result);
  self->view_style = view_style ? strata_plot_style_copy (view_style) : NULL;
  self->suggested_name = g_strdup (suggested_name && *suggested_name ? suggested_name : _("kaplan-meier"));
  if (settings != NULL)
    self->settings = *settings;
  else
    strata_export_settings_load (&self->settings, self->gsettings);
  show_settings (self);
  return self;
}

const StrataExportSettings *
strata_export_dialog_get_settings (StrataExportDialog *self)
{
  g_return_val_if_fail (STRATA_IS_EXPORT_DIALOG (self), NULL);

  return &self->settings;
}

void
strata_export_dialog_set_format (StrataExportDialog *self, StrataFigureFormat format)
{
  g_return_if_fail (STRATA_IS_EXPORT_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (format_order); i++)
    if (format_order[i] == format)
      adw_combo_row_set_selected (self->format_row, i);
}

void
strata_export_dialog_set_size (StrataExportDialog *self, StrataFigureSize size)
{
  g_return_if_fail (STRATA_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->size_row, size);
}

void
strata_export_dialog_set_custom_size (StrataExportDialog *self, double width_cm, double height_cm)
{
  g_return_if_fail (STRATA_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->size_row, STRATA_FIGURE_SIZE_CUSTOM);
  gtk_spin_button_set_value (self->width_spin, width_cm);
  gtk_spin_button_set_value (self->height_spin, height_cm);
}

void
strata_export_dialog_set_dpi (StrataExportDialog *self, double dpi)
{
  g_return_if_fail (STRATA_IS_EXPORT_DIALOG (self));

  for (guint i = 0; i < G_N_ELEMENTS (dpi_choices); i++)
    if (dpi_choices[i] == dpi)
      adw_combo_row_set_selected (self->dpi_row, i);
}

void
strata_export_dialog_set_palette (StrataExportDialog *self, StrataPalette palette)
{
  g_return_if_fail (STRATA_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->palette_row, palette == STRATA_PALETTE_GREYSCALE ? 1 : 0);
}

const StrataPlotStyle *
strata_export_dialog_get_style (StrataExportDialog *self)
{
  g_return_val_if_fail (STRATA_IS_EXPORT_DIALOG (self), NULL);

  return self->style;
}

const char *
strata_export_dialog_get_caption (StrataExportDialog *self)
{
  g_return_val_if_fail (STRATA_IS_EXPORT_DIALOG (self), NULL);

  return self->caption_text;
}

gboolean
strata_export_dialog_get_busy (StrataExportDialog *self)
{
  g_return_val_if_fail (STRATA_IS_EXPORT_DIALOG (self), FALSE);

  return self->busy;
}

/* strata-km-view.c: the Kaplan–Meier plot widget. The figure itself comes from
 * src/render; this file only sizes the style to the widget, follows the light, dark and
 * high-contrast styles and the text size, draws the hover crosshair and its card on
 * top, and describes the curves to screen readers. */
#include "strata-km-view.h"

#include <glib/gi18n.h>

#include <adwaita.h>
#include <math.h>

#include "strata-core-types.h"
#include "strata-result-text.h"
#include "strata-km-curve.h"

/* The base font size of the figure on screen, in pixels at the standard text size
 * (96 dpi); "Large Text" and other text scaling enlarge it in proportion. */
#define SCREEN_FONT_SIZE 12.5
#define STANDARD_DPI 96.0
#define CARD_PADDING 8.0
#define CARD_COLUMN_GAP 12.0
#define CARD_ROW_GAP 2.0
#define CARD_OFFSET 16.0
#define SWATCH_WIDTH 14.0

struct _StrataKmView
{
  GtkWidget parent_instance;

  StrataResult *result;
  StrataPlotStyle *style;
  char *time_unit;
  StrataKmPlotLayout layout;
  gboolean layout_valid;
  GskRenderNode *figure;   /* the figure at figure_width x figure_height; NULL = redraw */
  int figure_width, figure_height, figure_scale;
  gboolean figure_dark;
  gboolean figure_high_contrast;
  double figure_font_size;
  double hover_time;     /* NaN: no crosshair */
  double pointer_y;      /* NaN: not placed by the pointer */
};

G_DEFINE_FINAL_TYPE (StrataKmView, strata_km_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RESULT,
  PROP_SHOW_CI,
  PROP_SHOW_RISK_TABLE,
  PROP_KMUNICATE,
  PROP_SHOW_MEDIAN_LINES,
  PROP_Y_PERCENT,
  PROP_HOVER_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One line of the hover card. */
typedef struct {
  guint group;
  char *label;
  char *surv;
  char *ci;
  char *at_risk;
  double y;              /* NaN: the curve has ended before the time */
} HoverRow;

static void
hover_row_free (HoverRow *row)
{
  g_free (row->label);
  g_free (row->surv);
  g_free (row->ci);
  g_free (row->at_risk);
  g_free (row);
}

/* ---- style ------------------------------------------------------------------------ */

/* The text scale the user chose ("Large Text" is 1.25; the screenshot tool uses 1.5):
 * GtkSettings:gtk-xft-dpi over the standard 96 dpi, in 1/1024 dpi. */
static double
text_scale (StrataKmView *self)
{
  int dpi = 0;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-xft-dpi", &dpi, NULL);
  return dpi > 0 ? dpi / 1024.0 / STANDARD_DPI : 1.0;
}

static gboolean
high_contrast (void)
{
  return adw_style_manager_get_high_contrast (adw_style_manager_get_default ());
}

/* ---- hover content ----------------------------------------------------------------- */

static char *
format_surv (const StrataKmView *self, double value)
{
  if (isnan (value))
    return g_strdup ("NA");
  if (self->style->y_percent)
    return strata_result_text_localize (g_strdup_printf ("%.1f %%", 100.0 * value));
  return strata_result_text_localize (g_strdup_printf ("%.3f", value));
}

static char *
format_time (const StrataKmView *self, double time)
{
  guint decimals = self->layout.tick_step >= 1.0 ? 1 : self->layout.tick_step >= 0.1 ? 2 : 3;

  if (self->time_unit != NULL)
    return strata_result_text_localize (g_strdup_printf ("%.*f %s", decimals, time, self->time_unit));
  return strata_result_text_localize (g_strdup_printf ("t = %.*f", decimals, time));
}

/* The name shown for group G: the style's, else the result's label. */
static const char *
group_name (StrataKmView *self, guint g)
{
  const StrataGroupResult *group = g_ptr_array_index (self->result->groups, g);

  if (self->style->group_labels != NULL && g < g_strv_length (self->style->group_labels))
    return self->style->group_labels[g];
  return group->label && *group->label ? group->label : _("All patients");
}

static GPtrArray *
hover_rows (StrataKmView *self, double time)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) hover_row_free);

  for (guint g = 0; g < self->result->groups->len; g++)
    {
      const StrataGroupResult *group = g_ptr_array_index (self->result->groups, g);
      HoverRow *row = g_new0 (HoverRow, 1);
      guint at_risk = 0;

      row->group = g;
      row->label = g_strdup (group_name (self, g));
      strata_km_curve_counts (group->km, &time, 1, &at_risk, NULL, NULL);
      row->at_risk = g_strdup_printf ("%u", at_risk);
      if (group->km->len == 0 || time > strata_km_curve_last_time (group->km))
        {
          row->surv = g_strdup ("—");
          row->ci = g_strdup ("");
          row->y = NAN;
        }
      else
        {
          double s = strata_km_curve_value_at (group->km, STRATA_KM_CURVE_SURV, time);
          double lower = strata_km_curve_value_at (group->km, STRATA_KM_CURVE_LOWER, time);
          double upper = strata_km_curve_value_at (group->km, STRATA_KM_CURVE_UPPER, time);
          g_autofree char *lo = format_surv (self, lower);
          g_autofree char *hi = format_surv (self, upper);
          row->surv = format_surv (self, s);
          row->ci = g_strdup_printf ("%s–%s", lo, hi);
          row->y = strata_km_plot_layout_y_at (&self->layout, s);
        }
      g_ptr_array_add (rows, row);
    }
  return rows;
}

/* ---- drawing ------------------------------------------------------------------------- */

static void
set_source (cairo_t *cr, StrataPlotColor color, double alpha)
{
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * alpha);
}

static PangoLayout *
cell_layout (StrataKmView *self, const char *text, gboolean bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autofree char *markup = g_strdup_printf ("<span font_features='tnum=1'%s>%s</span>",
                                             bold ? " weight='bold'" : "", escaped);

  pango_layout_set_markup (layout, markup, -1);
  /* A little smaller than the UI text, so the card hides less of the plot. */
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  g_autoptr (PangoFontDescription) font =
    pango_font_description_copy (pango_context_get_font_description (context));
  int size = pango_font_description_get_size (font);
  if (size > 0 && pango_font_description_get_size_is_absolute (font))
    pango_font_description_set_absolute_size (font, size * 0.9);
  else if (size > 0)
    pango_font_description_set_size (font, (int) (size * 0.9));
  pango_layout_set_font_description (layout, font);
  return layout;
}

static void
rounded_rectangle (cairo_t *cr, double x, double y, double width, double height, double radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

#define N_CARD_COLUMNS 4

static void
draw_card (StrataKmView *self, cairo_t *cr, GPtrArray *rows, double x, double width)
{
  g_autofree char *ci_header = strata_result_text_localize (g_strdup_printf (_("%g %% CI"), self->result->conf_level * 100.0));
  g_autofree char *time_text = format_time (self, self->hover_time);
  const char *headers[N_CARD_COLUMNS] = { time_text, _("S(t)"), ci_header, _("At risk") };
  guint n_lines = rows->len + 1;
  g_autofree PangoLayout **cells = g_new0 (PangoLayout *, (gsize) n_lines * N_CARD_COLUMNS);
  double column_width[N_CARD_COLUMNS] = { 0 }, line_height = 0;

  for (guint line = 0; line < n_lines; line++)
    for (guint c = 0; c < N_CARD_COLUMNS; c++)
      {
        const HoverRow *row = line > 0 ? g_ptr_array_index (rows, line - 1) : NULL;
        const char *text = row == NULL ? headers[c]
                           : c == 0 ? row->label : c == 1 ? row->surv : c == 2 ? row->ci : row->at_risk;
        int w, h;
        PangoLayout *layout = cell_layout (self, text, line == 0);
        pango_layout_get_pixel_size (layout, &w, &h);
        column_width[c] = MAX (column_width[c], w + (c == 0 && line > 0 ? SWATCH_WIDTH + 6 : 0));
        line_height = MAX (line_height, h);
        cells[line * N_CARD_COLUMNS + c] = layout;
      }

  double card_width = 2 * CARD_PADDING + (N_CARD_COLUMNS - 1) * CARD_COLUMN_GAP;
  for (guint c = 0; c < N_CARD_COLUMNS; c++)
    card_width += column_width[c];
  double card_height = 2 * CARD_PADDING + n_lines * line_height + (n_lines - 1) * CARD_ROW_GAP;
  const StrataKmPlotLayout *l = &self->layout;

  /* Right of the crosshair when it fits, else left; beside the pointer vertically. */
  double card_x = x + CARD_OFFSET;
  if (card_x + card_width > width - 4)
    card_x = x - CARD_OFFSET - card_width;
  card_x = MAX (card_x, 4);
  double card_y = isnan (self->pointer_y) ? l->plot_y + 8 : self->pointer_y - card_height / 2;
  card_y = CLAMP (card_y, l->plot_y, MAX (l->plot_y, l->plot_y + l->plot_height - card_height));

  rounded_rectangle (cr, card_x, card_y, card_width, card_height, 6);
  set_source (cr, strata_plot_style_background (self->style), self->style->high_contrast ? 1.0 : 0.94);
  cairo_fill_preserve (cr);
  set_source (cr, strata_plot_style_secondary (self->style), self->style->high_contrast ? 1.0 : 0.45);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  double y = card_y + CARD_PADDING;
  for (guint line = 0; line < n_lines; line++, y += line_height + CARD_ROW_GAP)
    {
      double cx = card_x + CARD_PADDING;
      for (guint c = 0; c < N_CARD_COLUMNS; c++)
        {
          PangoLayout *layout = cells[line * N_CARD_COLUMNS + c];
          int w, h;
          double tx = cx;

          pango_layout_get_pixel_size (layout, &w, &h);
          if (c == 0 && line > 0)
            {
              const HoverRow *row = g_ptr_array_index (rows, line - 1);
              set_source (cr, strata_plot_style_group_color (self->style, row->group), 1.0);
              cairo_set_line_width (cr, 3);
              cairo_move_to (cr, cx, y + line_height / 2);
              cairo_rel_line_to (cr, SWATCH_WIDTH, 0);
              cairo_stroke (cr);
              tx += SWATCH_WIDTH + 6;
            }
          else if (c > 0)
            tx = cx + column_width[c] - w;     /* numbers right-aligned */
          /* Column titles dimmer than the values. */
          set_source (cr, line == 0 && c > 0 ? strata_plot_style_secondary (self->style)
                                             : strata_plot_style_foreground (self->style), 1.0);
          cairo_move_to (cr, tx, y + (line_height - h) / 2);
          pango_cairo_show_layout (cr, layout);
          cx += column_width[c] + CARD_COLUMN_GAP;
        }
    }
  for (guint i = 0; i < n_lines * N_CARD_COLUMNS; i++)
    g_object_unref (cells[i]);
}

static void
draw_hover (StrataKmView *self, cairo_t *cr, double width)
{
  const StrataKmPlotLayout *l = &self->layout;
  double x = strata_km_plot_layout_x_at (l, self->hover_time);
  g_autoptr (GPtrArray) rows = hover_rows (self, self->hover_time);

  cairo_save (cr);
  cairo_set_line_width (cr, 1);
  set_source (cr, strata_plot_style_foreground (self->style), 0.5);
  cairo_move_to (cr, round (x) + 0.5, l->plot_y);
  cairo_line_to (cr, round (x) + 0.5, l->plot_y + l->plot_height);
  cairo_stroke (cr);

  for (guint i = 0; i < rows->len; i++)
    {
      const HoverRow *row = g_ptr_array_index (rows, i);
      if (isnan (row->y))
        continue;
      cairo_arc (cr, x, row->y, 4.0, 0, 2 * G_PI);
      set_source (cr, strata_plot_style_group_color (self->style, row->group), 1.0);
      cairo_fill_preserve (cr);
      set_source (cr, strata_plot_style_background (self->style), 1.0);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
    }
  draw_card (self, cr, rows, x, width);
  cairo_restore (cr);
}

/* Drops the cached figure: the next frame draws it again. */
static void
invalidate_figure (StrataKmView *self)
{
  g_clear_pointer (&self->figure, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Draws the figure through the shared renderer into a texture at the device scale,
 * kept until the result, the style or the size changes: moving the crosshair redraws
 * only itself. An image surface (rather than gtk_snapshot_append_cairo's recording
 * surface) lets the renderer reduce each curve to the device pixels it covers. */
static void
update_figure (StrataKmView *self, int width, int height)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  gboolean contrast = high_contrast ();
  double font_size = SCREEN_FONT_SIZE * text_scale (self);
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (self->figure != NULL && self->figure_width == width && self->figure_height == height &&
      self->figure_dark == dark && self->figure_scale == scale &&
      self->figure_high_contrast == contrast && self->figure_font_size == font_size)
    return;

  g_clear_pointer (&self->figure, gsk_render_node_unref);
  self->style->width = width;
  self->style->height = height;
  self->style->dark = dark;
  self->style->high_contrast = contrast;
  self->style->font_size = font_size;

  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale,
                                                         height * scale);
  cairo_surface_set_device_scale (surface, scale, scale);
  cairo_t *cr = cairo_create (surface);
  strata_km_plot_draw (cr, self->result, self->style);
  strata_km_plot_layout (cr, self->result, self->style, &self->layout);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* GDK_MEMORY_DEFAULT is cairo's ARGB32 layout; the bytes keep the surface alive. */
  int stride = cairo_image_surface_get_stride (surface);
  g_autoptr (GBytes) bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                                         (gsize) stride * height * scale,
                                                         (GDestroyNotify) cairo_surface_destroy,
                                                         surface);
  g_autoptr (GdkTexture) texture = gdk_memory_texture_new (width * scale, height * scale,
                                                           GDK_MEMORY_DEFAULT, bytes, stride);
  self->figure = gsk_texture_node_new (texture, &GRAPHENE_RECT_INIT (0, 0, width, height));
  self->figure_width = width;
  self->figure_height = height;
  self->figure_dark = dark;
  self->figure_high_contrast = contrast;
  self->figure_font_size = font_size;
  self->figure_scale = scale;
  self->layout_valid = self->layout.plot_width > 0 && self->layout.t_max > 0;
}

static void
strata_km_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  StrataKmView *self = STRATA_KM_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (self->result == NULL || self->result->groups->len == 0 || width <= 0 || height <= 0)
    return;

  update_figure (self, width, height);
  if (self->figure != NULL)
    gtk_snapshot_append_node (snapshot, self->figure);
  if (self->layout_valid && !isnan (self->hover_time))
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      draw_hover (self, cr, width);
      cairo_destroy (cr);
    }
}

static void
strata_km_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                        int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  /* Larger text needs a larger figure for the same plot area. */
  double scale = MAX (text_scale (STRATA_KM_VIEW (widget)), 1.0);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (320 * scale);
      *natural = (int) ceil (560 * scale);
    }
  else
    {
      *minimum = (int) ceil (240 * scale);
      *natural = (int) ceil (420 * scale);
    }
}

/* ---- input ----------------------------------------------------------------------------- */

static void
set_hover (StrataKmView *self, double time, double pointer_y)
{
  self->pointer_y = pointer_y;
  strata_km_view_set_hover_time (self, time);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (GtkEventControllerMotion *controller, double x, double y, StrataKmView *self)
{
  const StrataKmPlotLayout *l = &self->layout;

  if (!self->layout_valid || x < l->plot_x || x > l->plot_x + l->plot_width ||
      y < l->plot_y || y > l->plot_y + l->plot_height)
    {
      set_hover (self, NAN, NAN);
      return;
    }
  set_hover (self, CLAMP (strata_km_plot_layout_time_at (l, x), 0.0, l->t_max), y);
}

static void
leave_cb (GtkEventControllerMotion *controller, StrataKmView *self)
{
  set_hover (self, NAN, NAN);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, StrataKmView *self)
{
  const StrataKmPlotLayout *l = &self->layout;
  double step, time = self->hover_time;

  if (!self->layout_valid)
    return FALSE;
  step = (state & GDK_SHIFT_MASK) ? l->tick_step : l->t_max / 100.0;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      time = isnan (time) ? l->t_max / 2 : time - step;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      time = isnan (time) ? l->t_max / 2 : time + step;
      break;
    case GDK_KEY_Home:
      time = 0.0;
      break;
    case GDK_KEY_End:
      time = l->t_max;
      break;
    case GDK_KEY_Escape:
      if (isnan (time))
        return FALSE;
      set_hover (self, NAN, NAN);
      return TRUE;
    default:
      return FALSE;
    }
  set_hover (self, CLAMP (time, 0.0, l->t_max), NAN);
  return TRUE;
}

static void
style_changed_cb (StrataKmView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The text size changed: the figure's text, and so its layout, change with it. */
static void
text_scale_changed_cb (StrataKmView *self)
{
  self->layout_valid = FALSE;
  invalidate_figure (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* ---- GObject --------------------------------------------------------------------------- */

static void
strata_km_view_finalize (GObject *object)
{
  StrataKmView *self = STRATA_KM_VIEW (object);

  g_clear_pointer (&self->result, strata_result_unref);
  g_clear_pointer (&self->style, strata_plot_style_free);
  g_clear_pointer (&self->figure, gsk_render_node_unref);
  g_free (self->time_unit);

  G_OBJECT_CLASS (strata_km_view_parent_class)->finalize (object);
}

static void
strata_km_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  StrataKmView *self = STRATA_KM_VIEW (object);

  switch (prop_id)
    {
    case PROP_RESULT:
      g_value_set_boxed (value, self->result);
      break;
    case PROP_SHOW_CI:
      g_value_set_boolean (value, self->style->show_ci);
      break;
    case PROP_SHOW_RISK_TABLE:
      g_value_set_boolean (value, self->style->show_risk_table);
      break;
    case PROP_KMUNICATE:
      g_value_set_boolean (value, self->style->kmunicate);
      break;
    case PROP_SHOW_MEDIAN_LINES:
      g_value_set_boolean (value, self->style->show_median_lines);
      break;
    case PROP_Y_PERCENT:
      g_value_set_boolean (value, self->style->y_percent);
      break;
    case PROP_HOVER_TIME:
      g_value_set_double (value, self->hover_time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Sets the style flag at FIELD and notifies PROP when it changes. */
static void
set_flag (StrataKmView *self, gboolean *field, gboolean value, guint prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  invalidate_figure (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
strata_km_view_set_property (GObject *object, guint prop_id, const GValue *value,
                             GParamSpec *pspec)
{
  StrataKmView *self = STRATA_KM_VIEW (object);

  switch (prop_id)
    {
    case PROP_RESULT:
      strata_km_view_set_result (self, g_value_get_boxed (value));
      break;
    case PROP_SHOW_CI:
      set_flag (self, &self->style->show_ci, g_value_get_boolean (value), prop_id);
      break;
    case PROP_SHOW_RISK_TABLE:
      set_flag (self, &self->style->show_risk_table, g_value_get_boolean (value), prop_id);
      break;
    case PROP_KMUNICATE:
      set_flag (self, &self->style->kmunicate, g_value_get_boolean (value), prop_id);
      break;
    case PROP_SHOW_MEDIAN_LINES:
      set_flag (self, &self->style->show_median_lines, g_value_get_boolean (value), prop_id);
      break;
    case PROP_Y_PERCENT:
      set_flag (self, &self->style->y_percent, g_value_get_boolean (value), prop_id);
      break;
    case PROP_HOVER_TIME:
      strata_km_view_set_hover_time (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
strata_km_view_class_init (StrataKmViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = strata_km_view_finalize;
  object_class->get_property = strata_km_view_get_property;
  object_class->set_property = strata_km_view_set_property;

  widget_class->snapshot = strata_km_view_snapshot;
  widget_class->measure = strata_km_view_measure;

  properties[PROP_RESULT] =
    g_param_spec_boxed ("result", NULL, NULL, STRATA_TYPE_RESULT,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_CI] =
    g_param_spec_boolean ("show-ci", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_RISK_TABLE] =
    g_param_spec_boolean ("show-risk-table", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KMUNICATE] =
    g_param_spec_boolean ("kmunicate", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_MEDIAN_LINES] =
    g_param_spec_boolean ("show-median-lines", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_Y_PERCENT] =
    g_param_spec_boolean ("y-percent", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOVER_TIME] =
    g_param_spec_double ("hover-time", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "strata-km-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
strata_km_view_init (StrataKmView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->style = strata_plot_style_new ();
  self->style->font_size = SCREEN_FONT_SIZE * text_scale (self);
  self->style->paint_background = FALSE;
  self->style->show_pvalue = TRUE;
  self->hover_time = NAN;
  self->pointer_y = NAN;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Kaplan–Meier plot"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Left and right arrow keys move a crosshair along the time axis"),
                                  -1);

  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::high-contrast",
                           G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_widget_get_settings (GTK_WIDGET (self)), "notify::gtk-xft-dpi",
                           G_CALLBACK (text_scale_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (style_changed_cb), NULL);
}

/* ---- public API -------------------------------------------------------------------------- */

GtkWidget *
strata_km_view_new (void)
{
  return g_object_new (STRATA_TYPE_KM_VIEW, NULL);
}

static void
update_description (StrataKmView *self)
{
  g_autoptr (GString) text = g_string_new (NULL);

  if (self->result != NULL)
    {
      for (guint g = 0; g < self->result->groups->len; g++)
        {
          const StrataGroupResult *group = g_ptr_array_index (self->result->groups, g);
          if (g > 0)
            g_string_append (text, "; ");
          /* Translators: a curve of the plot for screen readers: the group's name, its
           * number of patients and of events. The spaces around "=" are no-break spaces
           * (U+00A0). */
          g_string_append_printf (text, ngettext ("%s: n = %u, %u event",
                                                  "%s: n = %u, %u events", group->events),
                                  group_name (self, g), group->n, group->events);
          if (isnan (group->median))
            g_string_append (text, _(", median not reached"));
          else
            {
              g_autofree char *median = strata_result_text_time (group->median);
              if (self->time_unit != NULL)
                /* Translators: the median survival time and its unit ("months"). */
                g_string_append_printf (text, _(", median %s %s"), median, self->time_unit);
              else
                g_string_append_printf (text, _(", median %s"), median);
            }
        }
      if (self->result->logrank != NULL)
        {
          g_autofree char *p = strata_km_plot_format_p (self->result->logrank->p);
          if (p != NULL)
            g_string_append_printf (text, _("; log-rank %s"), p);
        }
      g_string_append (text, _(". Left and right arrow keys move a crosshair along the time axis."));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text->str, -1);
}

void
strata_km_view_set_group_labels (StrataKmView *self, const char *const *labels)
{
  g_return_if_fail (STRATA_IS_KM_VIEW (self));

  strata_plot_style_set_group_labels (self->style, labels);
  update_description (self);
  invalidate_figure (self);
}

void
strata_km_view_set_result (StrataKmView *self, StrataResult *result)
{
  g_return_if_fail (STRATA_IS_KM_VIEW (self));

  if (self->result == result)
    return;
  g_clear_pointer (&self->result, strata_result_unref);
  self->result = result ? strata_result_ref (result) : NULL;
  self->layout_valid = FALSE;
  update_description (self);
  invalidate_figure (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

StrataResult *
strata_km_view_get_result (StrataKmView *self)
{
  g_return_val_if_fail (STRATA_IS_KM_VIEW (self), NULL);

  return self->result;
}

void
strata_km_view_set_show_ci (StrataKmView *self, gboolean show_ci)
{
  g_return_if_fail (STRATA_IS_KM_VIEW (self));

  set_flag (self, &self->style->show_ci, show_ci, PROP_SHOW_CI);
}

gboolean
strata_km_view_get_show_ci (StrataKmView *self)
{
  g_return_val_if_fail (STRATA_IS_KM_VIEW (self), FALSE);

  return self->style->show_ci;
}

void
strata_km_view_set_show_risk_table (StrataKmView *self, gboolean show_risk_table)
{
  g_return_if_fail (STRATA_IS_KM_VIEW (self));

  set_flag (self, &self->style->show_risk_table, show_risk_table, PROP_SHOW_RISK_TABLE);
}

gboolean
strata_km_view_get_show_risk_table (StrataKmView *self)
{
  g_return_val_if_fail (STRATA_IS_KM_VIEW (self), FALSE);

  return self->style->show_risk_table;
}

void
strata_km_view_set_kmunicate (StrataKmView *self, gboolean kmunicate)
{
  g_return_if_fail (STRATA_IS_KM_VIEW (self));

  set_flag (self, &self->style->kmunicate, kmunicate, PROP_KMUNICATE);
}

void
strata_km_view_set_show_median_lines (StrataKmView *self, gboolean show_median_lines)
{
  g_return_if_fail (STRATA_IS_KM_VIEW (self));

  set_flag (self, &self->style->show_median_lines, show_median_lines, PROP_SHOW_MEDIAN_LINES);
}

void
strata_km_view_set_y_percent (StrataKmView *self, gboolean y_percent)
{
  g_return_if_fail (STRATA_IS_KM_VIEW (self));

  set_flag (self, &self->style->y_percent, y_percent, PROP_Y_PERCENT);
}

void
strata_km_view_set_labels (StrataKmView *self, const char *x_label, const char *y_label,
                           const char *time_unit)
{
  g_return_if_fail (STRATA_IS_KM_VIEW (self));

  strata_plot_style_set_x_label (self->style, x_label);
  strata_plot_style_set_y_label (self->style, y_label);
  g_free (self->time_unit);
  self->time_unit = g_strdup (time_unit);
  update_description (self);
  invalidate_figure (self);
}

const StrataPlotStyle *
strata_km_view_get_style (StrataKmView *self)
{
  g_return_val_if_fail (STRATA_IS_KM_VIEW (self), NULL);

  return self->style;
}

gboolean
strata_km_view_get_layout (StrataKmView *self, StrataKmPlotLayout *layout)
{
  g_return_val_if_fail (STRATA_IS_KM_VIEW (self), FALSE);

  if (!self->layout_valid)
    return FALSE;
  *layout = self->layout;
  return TRUE;
}

void
strata_km_view_set_hover_time (StrataKmView *self, double time)
{
  g_return_if_fail (STRATA_IS_KM_VIEW (self));

  if (self->hover_time == time || (isnan (self->hover_time) && isnan (time)))
    return;
  self->hover_time = time;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVER_TIME]);
}

double
strata_km_view_get_hover_time (StrataKmView *self)
{
  g_return_val_if_fail (STRATA_IS_KM_VIEW (self), NAN);

  return self->hover_time;
}

char *
strata_km_view_dup_hover_text (StrataKmView *self)
{
  g_return_val_if_fail (STRATA_IS_KM_VIEW (self), NULL);

  if (self->result == NULL || isnan (self->hover_time) || !self->layout_valid)
    return NULL;

  g_autoptr (GPtrArray) rows = hover_rows (self, self->hover_time);
  g_autofree char *time = format_time (self, self->hover_time);
  GString *text = g_string_new (time);
  for (guint i = 0; i < rows->len; i++)
    {
      const HoverRow *row = g_ptr_array_index (rows, i);
      g_string_append_printf (text, _("\n%s: S(t) %s (%s), at risk %s"), row->label, row->surv,
                              row->ci, row->at_risk);
    }
  return g_string_free (text, FALSE);
}

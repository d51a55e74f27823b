/* strata-plot-text.c: one PangoLayout reused for every string of a figure. */
#include "strata-plot-text.h"

#include <pango/pangocairo.h>

struct _StrataPlotText {
  cairo_t *cr;
  PangoLayout *layout;
  PangoFontDescription *font;
  double base_size;
};

/* Unhinted outlines and metrics: the same layout at any scale and on any surface. */
static void
set_unhinted (PangoLayout *layout)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), options);
  pango_layout_context_changed (layout);
  cairo_font_options_destroy (options);
}

StrataPlotText *
strata_plot_text_new (cairo_t *cr, const char *family, double base_size)
{
  StrataPlotText *text = g_new0 (StrataPlotText, 1);

  text->cr = cr;
  text->base_size = base_size;
  text->layout = pango_cairo_create_layout (cr);
  set_unhinted (text->layout);
  text->font = pango_font_description_new ();
  pango_font_description_set_family (text->font, family != NULL ? family : "Sans");
  strata_plot_text_set_font (text, 1.0, FALSE);
  return text;
}

void
strata_plot_text_free (StrataPlotText *text)
{
  if (text == NULL)
    return;
  g_object_unref (text->layout);
  pango_font_description_free (text->font);
  g_free (text);
}

void
strata_plot_text_set_font (StrataPlotText *text, double scale, gboolean bold)
{
  pango_font_description_set_absolute_size (text->font,
                                            text->base_size * scale * PANGO_SCALE);
  pango_font_description_set_weight (text->font,
                                     bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (text->layout, text->font);
}

static void
prepare (StrataPlotText *text, const char *markup, double wrap_width)
{
  pango_layout_set_markup (text->layout, markup, -1);
  pango_layout_set_width (text->layout, wrap_width > 0 ? (int) (wrap_width * PANGO_SCALE) : -1);
  pango_layout_set_wrap (text->layout, PANGO_WRAP_WORD_CHAR);
}

double
strata_plot_text_line_height (StrataPlotText *text)
{
  double height;

  strata_plot_text_measure (text, "0", 0, NULL, &height);
  return height;
}

void
strata_plot_text_measure (StrataPlotText *text, const char *markup, double wrap_width,
                          double *width, double *height)
{
  PangoRectangle logical;

  prepare (text, markup, wrap_width);
  pango_layout_get_extents (text->layout, NULL, &logical);
  if (width != NULL)
    *width = (double) logical.width / PANGO_SCALE;
  if (height != NULL)
    *height = (double) logical.height / PANGO_SCALE;
}

void
strata_plot_text_draw (StrataPlotText *text, const char *markup, double x, double y,
                       double align_x, double align_y, double wrap_width)
{
  PangoRectangle logical;

  prepare (text, markup, wrap_width);
  pango_layout_get_extents (text->layout, NULL, &logical);
  cairo_move_to (text->cr,
                 x - align_x * logical.width / PANGO_SCALE - (double) logical.x / PANGO_SCALE,
                 y - align_y * logical.height / PANGO_SCALE - (double) logical.y / PANGO_SCALE);
  pango_cairo_update_layout (text->cr, text->layout);
  pango_cairo_show_layout (text->cr, text->layout);
}

void
strata_plot_text_draw_vertical (StrataPlotText *text, const char *markup, double x, double y)
{
  cairo_save (text->cr);
  cairo_translate (text->cr, x, y);
  cairo_rotate (text->cr, -G_PI / 2);
  strata_plot_text_draw (text, markup, 0, 0, 0.5, 0.5, 0);
  cairo_restore (text->cr);
  pango_cairo_update_layout (text->cr, text->layout);
}

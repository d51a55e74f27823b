/* strata-plot-text.h: measured and aligned text for figures, set with Pango on any
 * cairo_t. Metrics are unhinted so a figure lays out the same on screen, in PNG, PDF
 * and SVG. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct _StrataPlotText StrataPlotText;

/* A text setter drawing on CR with FAMILY at BASE_SIZE points. Free with
 * strata_plot_text_free(); CR must outlive it. */
StrataPlotText *strata_plot_text_new (cairo_t *cr, const char *family, double base_size);
void strata_plot_text_free (StrataPlotText *text);

/* Selects the font for the following calls: SCALE times the base size, bold or not. */
void strata_plot_text_set_font (StrataPlotText *text, double scale, gboolean bold);
/* The height of one line in the current font. */
double strata_plot_text_line_height (StrataPlotText *text);

/* The logical size of MARKUP (Pango markup; escape data with g_markup_printf_escaped)
 * in the current font, wrapped at WRAP_WIDTH when that is > 0. */
void strata_plot_text_measure (StrataPlotText *text, const char *markup, double wrap_width,
                               double *width, double *height);
/* Draws MARKUP with the point (X, Y) at fraction ALIGN_X of its width and ALIGN_Y of its
 * height (0, 0 = top left; 0.5, 0.5 = centre), wrapped at WRAP_WIDTH when > 0, in the
 * current source of the cairo_t. */
void strata_plot_text_draw (StrataPlotText *text, const char *markup, double x, double y,
                            double align_x, double align_y, double wrap_width);
/* Draws MARKUP turned a quarter anticlockwise (reading upwards), centred on (X, Y). */
void strata_plot_text_draw_vertical (StrataPlotText *text, const char *markup, double x,
                                     double y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataPlotText, strata_plot_text_free)

G_END_DECLS

/* strata-km-plot.h: the Kaplan–Meier figure (panel, legend, log-rank p, numbers at risk)
 * drawn from a StrataResult onto any cairo_t: the on-screen view and every exported
 * PNG, PDF and SVG call the same code. */
#pragma once

#include <cairo.h>
#include "strata-plot-style.h"
#include "strata-result.h"

G_BEGIN_DECLS

#define STRATA_KM_PLOT_MAX_TICKS 16

/* Where things are, in the user units of the cairo_t (points of the style's size).
 * Time 0 is at plot_x, t_max at plot_x + plot_width; survival 1 at plot_y, 0 at
 * plot_y + plot_height. Rectangles of absent parts have zero height. */
typedef struct {
  double plot_x, plot_y, plot_width, plot_height;
  double t_max;                 /* time at the right end of the axis */
  double tick_step;             /* time between x ticks (1, 2, 2.5 or 5 x 10^k) */
  guint n_ticks;                /* ticks at 0, tick_step, ... <= t_max */
  double tick_x[STRATA_KM_PLOT_MAX_TICKS];   /* x of each tick; the risk table's columns */
  double legend_x, legend_y, legend_width, legend_height;
  double table_x, table_y, table_width, table_height;
} StrataKmPlotLayout;

/* Draws the KM panel (axes, curves, CI bands, censor ticks, legend with n and events,
 * journal-style log-rank p "p = 0.032" / "p < 0.001", optional median lines) and, when
 * enabled, the numbers-at-risk table under it with columns aligned to the x ticks,
 * within the rectangle (0, 0, style->width, style->height) of CR. CR's state is kept. */
void strata_km_plot_draw (cairo_t *cr, const StrataResult *result, const StrataPlotStyle *style);

/* Fills LAYOUT with the geometry strata_km_plot_draw() uses for the same arguments
 * (text is measured on CR), for hit testing and hover in the GTK view. */
void strata_km_plot_layout (cairo_t *cr, const StrataResult *result,
                            const StrataPlotStyle *style, StrataKmPlotLayout *layout);

/* Conversions between user coordinates and data values of LAYOUT. */
double strata_km_plot_layout_time_at (const StrataKmPlotLayout *layout, double x);
double strata_km_plot_layout_x_at (const StrataKmPlotLayout *layout, double time);
double strata_km_plot_layout_surv_at (const StrataKmPlotLayout *layout, double y);
double strata_km_plot_layout_y_at (const StrataKmPlotLayout *layout, double surv);

/* A p-value as journals print it: "p = 0.032", "p < 0.001", "p > 0.999"; NULL for NaN.
 * Free with g_free(). */
char *strata_km_plot_format_p (double p);

/* A round tick step (1, 2, 2.5 or 5 x 10^k) that covers T_MAX in at most MAX_TICKS
 * intervals of at least MIN_SPACING / WIDTH of the axis each; the largest step
 * (fewest ticks) when none fits. */
double strata_km_plot_nice_step (double t_max, double width, double min_spacing,
                                 guint max_ticks);

G_END_DECLS

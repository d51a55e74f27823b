/* strata-km-view.h: the Kaplan–Meier plot on screen. It draws a StrataResult through
 * the shared Cairo renderer (strata_km_plot_draw, the code every figure export uses)
 * and adds a hover crosshair with time, S(t), its CI and the number at risk of each
 * curve. */
#pragma once

#include <gtk/gtk.h>
#include "strata-km-plot.h"
#include "strata-result.h"

G_BEGIN_DECLS

#define STRATA_TYPE_KM_VIEW (strata_km_view_get_type ())
G_DECLARE_FINAL_TYPE (StrataKmView, strata_km_view, STRATA, KM_VIEW, GtkWidget)

GtkWidget *strata_km_view_new (void);

/* The result drawn (NULL: nothing). The view keeps a reference. */
void strata_km_view_set_result (StrataKmView *self, StrataResult *result);
StrataResult *strata_km_view_get_result (StrataKmView *self);

void strata_km_view_set_show_ci (StrataKmView *self, gboolean show_ci);
gboolean strata_km_view_get_show_ci (StrataKmView *self);
void strata_km_view_set_show_risk_table (StrataKmView *self, gboolean show_risk_table);
gboolean strata_km_view_get_show_risk_table (StrataKmView *self);
void strata_km_view_set_kmunicate (StrataKmView *self, gboolean kmunicate);
void strata_km_view_set_show_median_lines (StrataKmView *self, gboolean show_median_lines);
void strata_km_view_set_y_percent (StrataKmView *self, gboolean y_percent);

/* The names shown for the groups of the result, in order (legend, risk table, hover
 * card; NULL: the result's labels), e.g. from strata_group_label_display_all(). Set
 * them with each result. Copied. */
void strata_km_view_set_group_labels (StrataKmView *self, const char *const *labels);

/* The axis titles, e.g. "Months since infusion" and "Overall survival", and the time
 * unit the hover card names ("months"); NULL for none. */
void strata_km_view_set_labels (StrataKmView *self, const char *x_label, const char *y_label,
                                const char *time_unit);

/* The style the view draws with (its size is the widget's at the last snapshot). */
const StrataPlotStyle *strata_km_view_get_style (StrataKmView *self);
/* The geometry of the last drawing; FALSE before the first one. */
gboolean strata_km_view_get_layout (StrataKmView *self, StrataKmPlotLayout *layout);

/* Shows the crosshair at time TIME (NaN hides it), as hovering or the arrow keys do. */
void strata_km_view_set_hover_time (StrataKmView *self, double time);
double strata_km_view_get_hover_time (StrataKmView *self);
/* The hover card as plain text, one line per curve; NULL when hidden. */
char *strata_km_view_dup_hover_text (StrataKmView *self);

G_END_DECLS

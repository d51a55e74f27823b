/* strata-km-curve.h: the geometry of one Kaplan–Meier curve in figure coordinates:
 * the step line (exact, or reduced to a grid of columns when the curve has more
 * distinct times than the grid has columns), the confidence band, the censor marks and
 * the counts printed under the x ticks. */
#pragma once

#include <glib.h>
#include "strata-km.h"

G_BEGIN_DECLS

typedef struct {
  double x, y;
} StrataPlotPoint;

/* Where the curve goes: the data rectangle in user units and the time at its right
 * edge (time 0 is at X, survival 1 at Y). */
typedef struct {
  double x, y, width, height;
  double t_max;
} StrataKmFrame;

double strata_km_frame_x (const StrataKmFrame *frame, double time);
double strata_km_frame_y (const StrataKmFrame *frame, double surv);

typedef enum {
  STRATA_KM_CURVE_SURV,
  STRATA_KM_CURVE_LOWER,   /* NaN limits (R's NA at S = 0 or 1) follow the curve */
  STRATA_KM_CURVE_UPPER,
  STRATA_KM_CURVE_N_VALUES,
} StrataKmCurveValue;

/* Appends to POINTS (StrataPlotPoint) the vertices of the step function WHICH of KM
 * from (time 0, 1) to its last time or FRAME's t_max, whichever comes first. When KM
 * has more rows than FRAME's width holds columns of COLUMN_WIDTH user units, the steps
 * are moved to the column edges so that each column gets at most two vertices. */
void strata_km_curve_points (const StrataKmTable *km, StrataKmCurveValue which,
                             const StrataKmFrame *frame, double column_width,
                             GArray *points);
/* The same for several series in one sweep: SERIES[WHICH] receives the points of WHICH,
 * or is NULL when that series is not wanted. */
void strata_km_curve_all_points (const StrataKmTable *km, const StrataKmFrame *frame,
                                 double column_width,
                                 GArray *series[STRATA_KM_CURVE_N_VALUES]);

/* Appends to MARKS (StrataPlotPoint) the points of the censorings up to t_max: all of
 * them, or, when KM has more rows than FRAME's width holds columns of COLUMN_WIDTH, the
 * first of each column. */
void strata_km_curve_censor_marks (const StrataKmTable *km, const StrataKmFrame *frame,
                                   double column_width, GArray *marks);

/* The value of the series WHICH at time T (1 before the first time), and the last
 * time of KM. */
double strata_km_curve_value_at (const StrataKmTable *km, StrataKmCurveValue which, double t);
double strata_km_curve_last_time (const StrataKmTable *km);

/* Counts at each of N_TIMES ascending TIMES: patients at risk (time >= T), and, when
 * EVENTS and CENSORED are not NULL, the cumulative events and censorings up to T. */
void strata_km_curve_counts (const StrataKmTable *km, const double *times, guint n_times,
                             guint *at_risk, guint *events, guint *censored);

G_END_DECLS

/* strata-km-curve.c: step lines, bands, censor marks and tick counts of a Kaplan–Meier
 * table, in the figure's user units. Rows are one per distinct time, ascending
 * (strata-km.h); S(t) is right-continuous and 1 before the first row. */
#include "strata-km-curve.h"

#include <math.h>

double
strata_km_frame_x (const StrataKmFrame *frame, double time)
{
  return frame->x + time / frame->t_max * frame->width;
}

double
strata_km_frame_y (const StrataKmFrame *frame, double surv)
{
  return frame->y + (1.0 - surv) * frame->height;
}

double
strata_km_curve_last_time (const StrataKmTable *km)
{
  return km->len > 0 ? km->time[km->len - 1] : 0.0;
}

/* Row I of the series WHICH; a missing confidence limit collapses onto the curve. */
static double
row_value (const StrataKmTable *km, StrataKmCurveValue which, gsize i)
{
  if (which == STRATA_KM_CURVE_LOWER && isfinite (km->lower[i]))
    return km->lower[i];
  if (which == STRATA_KM_CURVE_UPPER && isfinite (km->upper[i]))
    return km->upper[i];
  return km->surv[i];
}

double
strata_km_curve_value_at (const StrataKmTable *km, StrataKmCurveValue which, double t)
{
  gssize i = strata_km_table_find (km, t);

  return i < 0 ? 1.0 : row_value (km, which, i);
}

static void
append (GArray *points, const StrataKmFrame *frame, double time, double value)
{
  StrataPlotPoint p = { strata_km_frame_x (frame, time), strata_km_frame_y (frame, value) };

  g_array_append_val (points, p);
}

/* The step lines being built: up to one point array per series (NULL = not wanted)
 * and the level each has reached. */
typedef struct {
  const StrataKmTable *km;
  const StrataKmFrame *frame;
  GArray **series;
  double level[STRATA_KM_CURVE_N_VALUES];
} Steps;

/* ROW's values (1 before the first row): where one differs from its series' level, the
 * end of the flat run at TIME and the foot of the drop. */
static void
steps_at (Steps *steps, double time, gssize row)
{
  for (guint w = 0; w < STRATA_KM_CURVE_N_VALUES; w++)
    {
      if (steps->series[w] == NULL)
        continue;
      double value = row < 0 ? 1.0 : row_value (steps->km, w, row);
      if (value == steps->level[w])
        continue;
      append (steps->series[w], steps->frame, time, steps->level[w]);
      append (steps->series[w], steps->frame, time, value);
      steps->level[w] = value;
    }
}

static void
steps_begin (Steps *steps)
{
  for (guint w = 0; w < STRATA_KM_CURVE_N_VALUES; w++)
    {
      steps->level[w] = 1.0;
      if (steps->series[w] != NULL)
        append (steps->series[w], steps->frame, 0.0, 1.0);
    }
}

static void
steps_end (Steps *steps, double end)
{
  for (guint w = 0; w < STRATA_KM_CURVE_N_VALUES; w++)
    if (steps->series[w] != NULL)
      append (steps->series[w], steps->frame, end, steps->level[w]);
}

/* Every step where it is: two vertices per change of value. */
static void
exact_points (Steps *steps, double end)
{
  for (guint i = 0; i < steps->km->len && steps->km->time[i] <= end; i++)
    steps_at (steps, steps->km->time[i], i);
}

/* The last row with time <= T, or -1, given that row FROM (or -1) has time <= T:
 * galloping forward from FROM, then bisecting, so that a sweep over increasing times
 * costs about log (rows skipped) per call. */
static gssize
find_from (const StrataKmTable *km, gssize from, double t)
{
  gssize lo = from, step = 1, hi = from + 1;

  while (hi < (gssize) km->len && km->time[hi] <= t)
    {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
  hi = MIN (hi, (gssize) km->len);
  while (hi - lo > 1)   /* time[lo] <= t (or lo = -1), time[hi] > t (or hi = len) */
    {
      gssize mid = lo + (hi - lo) / 2;
      if (km->time[mid] <= t)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* The steps within a column move to its right edge: the series are sampled at the
 * edges, so the cost grows with the columns, not with the rows. */
static void
grid_points (Steps *steps, double end, guint n_columns)
{
  gssize row = -1;

  for (guint c = 1; c <= n_columns; c++)
    {
      double edge = steps->frame->t_max * c / n_columns;
      if (edge >= end)
        break;
      row = find_from (steps->km, row, edge);
      steps_at (steps, edge, row);
    }
  steps_at (steps, end, find_from (steps->km, row, end));
}

static guint
column_count (const StrataKmFrame *frame, double column_width)
{
  double columns = column_width > 0 ? ceil (frame->width / column_width) : G_MAXUINT;

  return (guint) CLAMP (columns, 1.0, (double) G_MAXUINT);
}

void
strata_km_curve_all_points (const StrataKmTable *km, const StrataKmFrame *frame,
                            double column_width, GArray *series[STRATA_KM_CURVE_N_VALUES])
{
  double end = MIN (strata_km_curve_last_time (km), frame->t_max);
  guint n_columns = column_count (frame, column_width);
  Steps steps = { .km = km, .frame = frame, .series = series };

  steps_begin (&steps);
  if (km->len <= n_columns)
    exact_points (&steps, end);
  else
    grid_points (&steps, end, n_columns);
  steps_end (&steps, end);
}

void
strata_km_curve_points (const StrataKmTable *km, StrataKmCurveValue which,
                        const StrataKmFrame *frame, double column_width, GArray *points)
{
  GArray *series[STRATA_KM_CURVE_N_VALUES] = { NULL };

  series[which] = points;
  strata_km_curve_all_points (km, frame, column_width, series);
}

/* Every censoring where it is. */
static void
all_censor_marks (const StrataKmTable *km, const StrataKmFrame *frame, GArray *marks)
{
  for (guint i = 0; i < km->len && km->time[i] <= frame->t_max; i++)
    if (km->n_censor[i] > 0)
      append (marks, frame, km->time[i], km->surv[i]);
}

/* The first censoring of each column: the rows of a column are found by a forward
 * search, and the scan of a column stops at its first censoring. */
static void
column_censor_marks (const StrataKmTable *km, const StrataKmFrame *frame, guint n_columns,
                     GArray *marks)
{
  gssize last = -1;

  for (guint c = 1; c <= n_columns; c++)
    {
      gssize first = last + 1;
      last = find_from (km, last, frame->t_max * c / n_columns);
      for (gssize i = first; i <= last; i++)
        if (km->n_censor[i] > 0)
          {
            append (marks, frame, km->time[i], km->surv[i]);
            break;
          }
    }
}

void
strata_km_curve_censor_marks (const StrataKmTable *km, const StrataKmFrame *frame,
                              double column_width, GArray *marks)
{
  guint n_columns = column_count (frame, column_width);

  if (km->len <= n_columns)
    all_censor_marks (km, frame, marks);
  else
    column_censor_marks (km, frame, n_columns, marks);
}

/* Patients with time >= T: the risk set of the first row at or after T. */
static guint
at_risk_at (const StrataKmTable *km, double t)
{
  gssize i = strata_km_table_find (km, t);

  if (i >= 0 && km->time[i] == t)
    return km->n_risk[i];
  return (gsize) (i + 1) < km->len ? km->n_risk[i + 1] : 0;
}

/* One pass over the rows for the cumulative counts (TIMES ascending). */
static void
cumulative_counts (const StrataKmTable *km, const double *times, guint n_times,
                   guint *events, guint *censored)
{
  guint i = 0, ev = 0, cens = 0;

  for (guint k = 0; k < n_times; k++)
    {
      for (; i < km->len && km->time[i] <= times[k]; i++)
        {
          ev += km->n_event[i];
          cens += km->n_censor[i];
        }
      events[k] = ev;
      censored[k] = cens;
    }
}

void
strata_km_curve_counts (const StrataKmTable *km, const double *times, guint n_times,
                        guint *at_risk, guint *events, guint *censored)
{
  for (guint k = 0; k < n_times; k++)
    at_risk[k] = at_risk_at (km, times[k]);
  if (events != NULL && censored != NULL)
    cumulative_counts (km, times, n_times, events, censored);
}

/* strata-km.h: the Kaplan–Meier estimator, its confidence intervals and summaries. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  STRATA_CONF_LOG_LOG,  /* default, as R's survfit(conf.type = "log-log") */
  STRATA_CONF_LOG,
  STRATA_CONF_PLAIN,
} StrataConfType;

const char *strata_conf_type_to_string (StrataConfType type);
gboolean strata_conf_type_from_string (const char *text, StrataConfType *type);

/* One row per distinct time of a group (events or censorings), as
 * summary(survfit, censored = TRUE). std_err is the SE of S(t), not of log S(t).
 * NaN stands for R's NA. */
typedef struct {
  guint len;
  guint n;              /* patients in the group */
  guint events;         /* total events */
  double *time;
  guint *n_risk;
  guint *n_event;
  guint *n_censor;
  double *surv;
  double *var_log;      /* Greenwood: sum of d / (n (n - d)); Inf once n == d */
  double *std_err;      /* surv * sqrt (var_log) */
  double *lower;
  double *upper;
} StrataKmTable;

/* Estimates of a curve at fixed times, as summary(survfit, times =, extend = TRUE). */
typedef struct {
  guint len;
  double *time;
  guint *n_risk;
  guint *n_event;
  guint *n_censor;
  double *surv;
  double *std_err;
  double *lower;
  double *upper;
} StrataKmLandmarks;

StrataKmTable *strata_km_table_estimate (const double *time, const guint8 *event, gsize n);
void strata_km_table_free (StrataKmTable *table);

double strata_km_z_value (double conf_level);

void strata_km_table_set_ci (StrataKmTable *table, StrataConfType type, double conf_level);

void strata_km_median (const StrataKmTable *table, double *median, double *lower, double *upper);

void strata_km_restricted_mean (const StrataKmTable *table, double upper_limit,
                                double *rmean, double *rmean_se);

StrataKmLandmarks *strata_km_landmarks (const StrataKmTable *table, const double *times,
                                        guint n_times, StrataConfType type, double conf_level);
void strata_km_landmarks_free (StrataKmLandmarks *landmarks);

/* The index of the last row with time <= t, or -1 when t is before the first row. */
gssize strata_km_table_find (const StrataKmTable *table, double t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataKmTable, strata_km_table_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataKmLandmarks, strata_km_landmarks_free)

G_END_DECLS

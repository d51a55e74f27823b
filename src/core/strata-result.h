/* strata-result.h: the immutable outcome of one analysis, shared by every front end
 * (GTK views, figure renderer, JSON writer, xlsx exporter, text report). */
#pragma once

#include <glib.h>
#include "strata-km.h"
#include "strata-survdiff.h"
#include "strata-contingency.h"
#include "strata-pairwise.h"
#include "strata-coxph.h"
#include "strata-cuminc.h"

G_BEGIN_DECLS

typedef struct {
  char *label;
  guint n;
  guint events;
  StrataKmTable *km;
  StrataKmLandmarks *landmarks;
  double median, median_lower, median_upper;    /* NaN = not reached */
  double rmean, rmean_se, rmean_upper_limit;
} StrataGroupResult;

/* The proportion of the success level in one group, with its intervals. */
typedef struct {
  char *group;
  guint *counts;      /* one per level */
  guint x, n;
  double p_hat;       /* NaN when n = 0 */
  double cp_lower, cp_upper, wilson_lower, wilson_upper;
} StrataResponseRow;

typedef struct {
  char *column;
  char *success;
  GPtrArray *levels;  /* char* */
  GPtrArray *rows;    /* StrataResponseRow*, in group order */
  double fisher_p;    /* NaN when not computable */
  guint fisher_replicates;  /* 0: exact; else a Monte Carlo p-value from this many tables */
  guint64 fisher_seed;      /* the Monte Carlo generator's seed */
  StrataChisqTest chisq;
  gboolean has_chisq;
} StrataResponseTable;

typedef struct {
  gatomicrefcount ref_count;

  /* input */
  char *file;
  char *encoding;
  guint rows;              /* data records in the file (stored + rejected at import) */
  guint rows_used;         /* patients in the survival analysis */
  GPtrArray *excluded;     /* StrataIssue*, in line order */
  GPtrArray *warnings;     /* char* */

  /* what was asked */
  char *time_column;
  char *event_column;
  char *event_rule;
  GPtrArray *by;           /* char*, as written */
  GPtrArray *where;        /* char*, as written */
  StrataConfType conf_type;
  double conf_level;
  GArray *landmark_times;  /* double */

  /* results */
  GPtrArray *groups;       /* StrataGroupResult*, in group order */
  char *reference_level;
  StrataSurvdiff *logrank; /* NULL with fewer than 2 groups */
  StrataSurvdiff *peto_peto;
  StrataPairwise *pairwise_logrank;   /* NULL with fewer than 2 groups */
  StrataPairwise *pairwise_peto_peto;
  StrataCoxFit *cox_efron;   /* NULL with fewer than 2 groups or no events */
  StrataCoxFit *cox_breslow;
  char *status_column;       /* competing risks, NULL when not asked */
  GPtrArray *cuminc;         /* StrataCumincCurve*: group g cause c at 2 g + c - 1 */
  GPtrArray *cuminc_landmarks_est;  /* double* per curve, landmark_times->len each */
  GPtrArray *cuminc_landmarks_var;
  StrataGrayTest gray[2];    /* causes 1 and 2 */
  gboolean has_gray[2];
  gboolean has_trend;      /* more than 2 groups */
  StrataTrendTest trend;
  GPtrArray *responses;    /* StrataResponseTable* */
} StrataResult;

StrataResult *strata_result_new (void);
StrataResult *strata_result_ref (StrataResult *result);
void strata_result_unref (StrataResult *result);

StrataGroupResult *strata_group_result_new (const char *label);
void strata_group_result_free (StrataGroupResult *group);
StrataResponseTable *strata_response_table_new (const char *column);
void strata_response_table_free (StrataResponseTable *table);
StrataResponseRow *strata_response_row_new (const char *group, guint n_levels);
void strata_response_row_free (StrataResponseRow *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataResult, strata_result_unref)

G_END_DECLS

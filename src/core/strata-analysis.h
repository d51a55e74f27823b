/* strata-analysis.h: the one entry point every front end calls. */
#pragma once

#include <gio/gio.h>
#include "strata-cohort.h"
#include "strata-result.h"
#include "strata-spec.h"

G_BEGIN_DECLS

#define STRATA_ANALYSIS_ERROR (strata_analysis_error_quark ())
GQuark strata_analysis_error_quark (void);

typedef enum {
  STRATA_ANALYSIS_ERROR_UNKNOWN_VALUE,   /* a --where value or --reference not in the data */
  STRATA_ANALYSIS_ERROR_NO_ROWS,         /* nothing left to analyse */
  STRATA_ANALYSIS_ERROR_TOO_MANY_GROUPS,
} StrataAnalysisError;

/* Runs SPEC on COHORT: filters, groups, Kaplan–Meier per group, the k-sample tests
 * and the response tables. Thread-safe for concurrent calls on one cohort. Returns a
 * new immutable result, or NULL with ERROR set (an unknown column or value, no rows). */
StrataResult *strata_analysis_run (StrataCohort *cohort, const StrataSpec *spec,
                                   GCancellable *cancellable, GError **error);

/* What strata_analysis_run() does with one table row. */
typedef enum {
  STRATA_ROW_INCLUDED,   /* in a group of the survival analysis */
  STRATA_ROW_FILTERED,   /* left out by a filter (a --where, a toggle of the window) */
  STRATA_ROW_NO_GROUP,   /* passes the filters, but a grouping value is missing */
  STRATA_ROW_UNUSABLE,   /* the endpoint cannot use it (time or event missing or invalid):
                          * its reason is among the result's excluded rows */
} StrataRowStatus;

/* The fate of every table row of a cohort under a spec, row by row. */
typedef struct {
  guint n_rows;            /* the table's rows (records rejected at import have none) */
  guint8 *status;          /* StrataRowStatus per row */
  guint8 *filter;          /* FILTERED rows: index in spec->where of the first filter the
                            * row fails (at most 255); 0 otherwise */
  guint32 *group;          /* INCLUDED rows: index in group_labels; else G_MAXUINT32 */
  GPtrArray *group_labels; /* char*: every combination of the grouping's levels, labelled
                            * as the result labels its groups */
  guint n_included;        /* rows INCLUDED: the result's rows_used */
} StrataRowInclusion;

/* The row-by-row counterpart of strata_analysis_run() on the same COHORT and SPEC: one
 * pass over the table with the same filters, groupings and endpoint, so the rows it
 * marks INCLUDED are the patients the result counts. NULL with ERROR as the run would
 * fail to resolve a column or value. Free with strata_row_inclusion_free(). */
StrataRowInclusion *strata_analysis_row_inclusion (StrataCohort *cohort, const StrataSpec *spec,
                                                   GError **error);
void strata_row_inclusion_free (StrataRowInclusion *inclusion);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataRowInclusion, strata_row_inclusion_free)

G_END_DECLS

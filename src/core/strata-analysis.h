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

G_END_DECLS

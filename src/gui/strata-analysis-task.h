/* strata-analysis-task.h: strata_analysis_run() in a worker thread, so the window never
 * waits for the core. A caller that cancels the previous request before starting the
 * next one gets "the newest request wins": a cancelled task always finishes with
 * G_IO_ERROR_CANCELLED, even when its worker had completed. */
#pragma once

#include <gio/gio.h>
#include "strata-analysis.h"

G_BEGIN_DECLS

/* Runs each StrataSpec of SPECS on COHORT, in order, in a worker thread. Takes a
 * reference on SPECS and on COHORT; do not change SPECS afterwards. The first spec
 * must succeed; a later one that fails leaves NULL in its place of the results. */
void strata_analysis_task_run_async (StrataCohort *cohort, GPtrArray *specs,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);

/* The results, StrataResult* (or NULL) in the order of the specs, with
 * strata_result_unref as free function; NULL with ERROR set when the first spec failed
 * or the task was cancelled. */
GPtrArray *strata_analysis_task_run_finish (GAsyncResult *result, GError **error);

G_END_DECLS

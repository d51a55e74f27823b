/* strata-analysis-task.c: the analysis driver on a GTask worker thread. */
#include "strata-analysis-task.h"

typedef struct {
  StrataCohort *cohort;
  GPtrArray *specs;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_clear_pointer (&data->cohort, strata_cohort_unref);
  g_clear_pointer (&data->specs, g_ptr_array_unref);
  g_free (data);
}

static void
result_unref0 (gpointer result)
{
  if (result != NULL)
    strata_result_unref (result);
}

static void
run_in_thread (GTask *task, gpointer source_object, gpointer task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func (result_unref0);

  for (guint i = 0; i < data->specs->len; i++)
    {
      g_autoptr (GError) error = NULL;
      StrataResult *result = strata_analysis_run (data->cohort, g_ptr_array_index (data->specs, i),
                                                  cancellable, &error);
      if (result == NULL && (i == 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (results, result);
    }
  g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
}

void
strata_analysis_task_run_async (StrataCohort *cohort, GPtrArray *specs, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (cohort != NULL);
  g_return_if_fail (specs != NULL && specs->len > 0);

  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *data = g_new0 (TaskData, 1);

  data->cohort = strata_cohort_ref (cohort);
  data->specs = g_ptr_array_ref (specs);
  g_task_set_source_tag (task, strata_analysis_task_run_async);
  g_task_set_name (task, "strata-analysis");
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, run_in_thread);
}

GPtrArray *
strata_analysis_task_run_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == strata_analysis_task_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

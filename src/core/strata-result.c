/* strata-result.c: construction and release of analysis results. */
#include "strata-result.h"
#include "strata-table.h"

StrataResult *
strata_result_new (void)
{
  StrataResult *result = g_new0 (StrataResult, 1);

  g_atomic_ref_count_init (&result->ref_count);
  result->excluded = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_issue_free);
  result->warnings = g_ptr_array_new_with_free_func (g_free);
  result->by = g_ptr_array_new_with_free_func (g_free);
  result->where = g_ptr_array_new_with_free_func (g_free);
  result->landmark_times = g_array_new (FALSE, FALSE, sizeof (double));
  result->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_group_result_free);
  result->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_response_table_free);
  return result;
}

StrataResult *
strata_result_ref (StrataResult *result)
{
  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
strata_result_unref (StrataResult *result)
{
  if (result == NULL || !g_atomic_ref_count_dec (&result->ref_count))
    return;
  g_free (result->file);
  g_free (result->encoding);
  g_ptr_array_unref (result->excluded);
  g_ptr_array_unref (result->warnings);
  g_free (result->time_column);
  g_free (result->event_column);
  g_free (result->event_rule);
  g_ptr_array_unref (result->by);
  g_ptr_array_unref (result->where);
  g_array_unref (result->landmark_times);
  g_ptr_array_unref (result->groups);
  g_free (result->reference_level);
  strata_survdiff_free (result->logrank);
  strata_survdiff_free (result->peto_peto);
  strata_coxph_fit_free (result->cox_efron);
  strata_coxph_fit_free (result->cox_breslow);
  g_free (result->status_column);
  g_clear_pointer (&result->cuminc, g_ptr_array_unref);
  g_clear_pointer (&result->cuminc_landmarks_est, g_ptr_array_unref);
  g_clear_pointer (&result->cuminc_landmarks_var, g_ptr_array_unref);
  strata_pairwise_free (result->pairwise_logrank);
  strata_pairwise_free (result->pairwise_peto_peto);
  g_ptr_array_unref (result->responses);
  g_free (result);
}

StrataGroupResult *
strata_group_result_new (const char *label)
{
  StrataGroupResult *group = g_new0 (StrataGroupResult, 1);

  group->label = g_strdup (label);
  return group;
}

void
strata_group_result_free (StrataGroupResult *group)
{
  g_free (group->label);
  strata_km_table_free (group->km);
  strata_km_landmarks_free (group->landmarks);
  g_free (group);
}

StrataResponseTable *
strata_response_table_new (const char *column)
{
  StrataResponseTable *table = g_new0 (StrataResponseTable, 1);

  table->column = g_strdup (column);
  table->levels = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_response_row_free);
  return table;
}

void
strata_response_table_free (StrataResponseTable *table)
{
  g_free (table->column);
  g_free (table->success);
  g_ptr_array_unref (table->levels);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

StrataResponseRow *
strata_response_row_new (const char *group, guint n_levels)
{
  StrataResponseRow *row = g_new0 (StrataResponseRow, 1);

  row->group = g_strdup (group);
  row->counts = g_new0 (guint, n_levels);
  return row;
}

void
strata_response_row_free (StrataResponseRow *row)
{
  g_free (row->group);
  g_free (row->counts);
  g_free (row);
}

/* strata-report-json.c: writes a StrataResult as the JSON report of
 * spec/report-json.md; field names follow the R reference files. */
#include "strata-report-json.h"
#include "strata-json-writer.h"
#include "strata-table.h"

static void
write_input (StrataJsonWriter *w, const StrataResult *result)
{
  strata_json_key (w, "input");
  strata_json_begin_object (w);
  strata_json_key (w, "file");
  strata_json_string (w, result->file);
  strata_json_key (w, "encoding");
  strata_json_string (w, result->encoding);
  strata_json_key (w, "rows");
  strata_json_uint (w, result->rows);
  strata_json_key (w, "rows_used");
  strata_json_uint (w, result->rows_used);
  strata_json_key (w, "excluded");
  strata_json_begin_array (w);
  for (guint i = 0; i < result->excluded->len; i++)
    {
      const StrataIssue *issue = g_ptr_array_index (result->excluded, i);
      strata_json_begin_object (w);
      strata_json_key (w, "line");
      strata_json_uint (w, issue->line);
      strata_json_key (w, "column");
      strata_json_string (w, issue->column);
      strata_json_key (w, "reason");
      strata_json_string (w, issue->reason);
      strata_json_end_object (w);
    }
  strata_json_end_array (w);
  strata_json_key (w, "warnings");
  strata_json_string_array (w, result->warnings);
  strata_json_end_object (w);
}

static void
write_curve_columns (StrataJsonWriter *w, guint len, const double *time, const guint *n_risk,
                     const guint *n_event, const guint *n_censor, const double *surv,
                     const double *std_err, const double *lower, const double *upper)
{
  strata_json_begin_object (w);
  strata_json_key (w, "time");
  strata_json_double_array (w, time, len);
  strata_json_key (w, "n_risk");
  strata_json_uint_array (w, n_risk, len);
  strata_json_key (w, "n_event");
  strata_json_uint_array (w, n_event, len);
  strata_json_key (w, "n_censor");
  strata_json_uint_array (w, n_censor, len);
  strata_json_key (w, "surv");
  strata_json_double_array (w, surv, len);
  strata_json_key (w, "std_err");
  strata_json_double_array (w, std_err, len);
  strata_json_key (w, "lower");
  strata_json_double_array (w, lower, len);
  strata_json_key (w, "upper");
  strata_json_double_array (w, upper, len);
  strata_json_end_object (w);
}

static void
write_group (StrataJsonWriter *w, const StrataGroupResult *group)
{
  const StrataKmTable *km = group->km;
  const StrataKmLandmarks *lm = group->landmarks;

  strata_json_begin_object (w);
  strata_json_key (w, "label");
  strata_json_string (w, group->label);
  strata_json_key (w, "n");
  strata_json_uint (w, group->n);
  strata_json_key (w, "events");
  strata_json_uint (w, group->events);
  strata_json_key (w, "median");
  strata_json_double (w, group->median);
  strata_json_key (w, "median_lower");
  strata_json_double (w, group->median_lower);
  strata_json_key (w, "median_upper");
  strata_json_double (w, group->median_upper);
  strata_json_key (w, "rmean");
  strata_json_double (w, group->rmean);
  strata_json_key (w, "rmean_se");
  strata_json_double (w, group->rmean_se);
  strata_json_key (w, "rmean_upper_limit");
  strata_json_double (w, group->rmean_upper_limit);
  strata_json_key (w, "km");
  write_curve_columns (w, km->len, km->time, km->n_risk, km->n_event, km->n_censor, km->surv,
                       km->std_err, km->lower, km->upper);
  strata_json_key (w, "landmarks");
  write_curve_columns (w, lm->len, lm->time, lm->n_risk, lm->n_event, lm->n_censor, lm->surv,
                       lm->std_err, lm->lower, lm->upper);
  strata_json_end_object (w);
}

static void
write_survdiff (StrataJsonWriter *w, const StrataSurvdiff *test)
{
  guint k = test->n_groups;

  strata_json_begin_object (w);
  strata_json_key (w, "rho");
  strata_json_double (w, test->rho);
  strata_json_key (w, "chisq");
  strata_json_double (w, test->chisq);
  strata_json_key (w, "df");
  strata_json_uint (w, test->df);
  strata_json_key (w, "p");
  strata_json_double (w, test->p);
  strata_json_key (w, "n");
  strata_json_uint_array (w, test->n, k);
  strata_json_key (w, "observed");
  strata_json_double_array (w, test->observed, k);
  strata_json_key (w, "expected");
  strata_json_double_array (w, test->expected, k);
  strata_json_key (w, "var");
  strata_json_begin_array (w);
  for (guint j = 0; j < k; j++)
    strata_json_double_array (w, test->var + (gsize) j * k, k);
  strata_json_end_array (w);
  strata_json_end_object (w);
}

static void
write_pairwise (StrataJsonWriter *w, const StrataPairwise *pairwise, const StrataResult *result)
{
  strata_json_begin_object (w);
  strata_json_key (w, "rho");
  strata_json_double (w, pairwise->rho);
  strata_json_key (w, "pairs");
  strata_json_begin_array (w);
  for (guint i = 0; i < pairwise->n_pairs; i++)
    {
      const StrataPair *pair = &pairwise->pairs[i];
      const StrataGroupResult *g1 = g_ptr_array_index (result->groups, pair->group1);
      const StrataGroupResult *g2 = g_ptr_array_index (result->groups, pair->group2);
      strata_json_begin_object (w);
      strata_json_key (w, "group1");
      strata_json_string (w, g1->label);
      strata_json_key (w, "group2");
      strata_json_string (w, g2->label);
      strata_json_key (w, "chisq");
      strata_json_double (w, pair->chisq);
      strata_json_key (w, "df");
      strata_json_uint (w, pair->df);
      strata_json_key (w, "p");
      strata_json_double (w, pair->p);
      strata_json_key (w, "p_holm");
      strata_json_double (w, pair->p_holm);
      strata_json_key (w, "p_BH");
      strata_json_double (w, pair->p_bh);
      strata_json_key (w, "p_bonferroni");
      strata_json_double (w, pair->p_bonferroni);
      strata_json_key (w, "n1");
      strata_json_uint (w, pair->n1);
      strata_json_key (w, "n2");
      strata_json_uint (w, pair->n2);
      strata_json_key (w, "observed");
      strata_json_double_array (w, pair->observed, 2);
      strata_json_key (w, "expected");
      strata_json_double_array (w, pair->expected, 2);
      strata_json_end_object (w);
    }
  strata_json_end_array (w);
  strata_json_end_object (w);
}

static void
write_tests (StrataJsonWriter *w, const StrataResult *result)
{
  strata_json_key (w, "survdiff");
  if (result->logrank == NULL)
    strata_json_null (w);
  else
    {
      strata_json_begin_object (w);
      strata_json_key (w, "logrank");
      write_survdiff (w, result->logrank);
      strata_json_key (w, "peto_peto");
      write_survdiff (w, result->peto_peto);
      strata_json_end_object (w);
    }

  strata_json_key (w, "pairwise");
  if (result->pairwise_logrank == NULL)
    strata_json_null (w);
  else
    {
      strata_json_begin_object (w);
      strata_json_key (w, "logrank");
      write_pairwise (w, result->pairwise_logrank, result);
      strata_json_key (w, "peto_peto");
      write_pairwise (w, result->pairwise_peto_peto, result);
      strata_json_end_object (w);
    }

  strata_json_key (w, "trend");
  if (!result->has_trend)
    {
      strata_json_null (w);
      return;
    }
  strata_json_begin_object (w);
  strata_json_key (w, "chisq");
  strata_json_double (w, result->trend.chisq);
  strata_json_key (w, "df");
  strata_json_uint (w, result->trend.df);
  strata_json_key (w, "p");
  strata_json_double (w, result->trend.p);
  strata_json_key (w, "z");
  strata_json_double (w, result->trend.z);
  strata_json_key (w, "U");
  strata_json_double (w, result->trend.u);
  strata_json_key (w, "var");
  strata_json_double (w, result->trend.var);
  strata_json_key (w, "scores");
  strata_json_begin_array (w);
  for (guint g = 0; g < result->groups->len; g++)
    strata_json_uint (w, g + 1);
  strata_json_end_array (w);
  strata_json_end_object (w);
}

static void
write_cox_test (StrataJsonWriter *w, const char *key, const StrataCoxTest *test)
{
  strata_json_key (w, key);
  strata_json_begin_object (w);
  strata_json_key (w, "statistic");
  strata_json_double (w, test->statistic);
  strata_json_key (w, "df");
  strata_json_double (w, test->df);
  strata_json_key (w, "p");
  strata_json_double (w, test->p);
  strata_json_end_object (w);
}

static void
write_cox_fit (StrataJsonWriter *w, const StrataCoxFit *fit, const StrataResult *result)
{
  guint k = fit->n_coef;
  g_autoptr (GPtrArray) levels = g_ptr_array_new ();
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < k; i++)
    {
      const StrataGroupResult *group = g_ptr_array_index (result->groups, fit->coef_group[i]);
      g_ptr_array_add (levels, group->label);
      if (fit->coef_diverged[i])
        g_ptr_array_add (warnings,
                         g_strdup_printf ("the hazard ratio of %s is infinite (monotone likelihood: "
                                          "no events in one of the groups compared, or all after "
                                          "the other's last time); only the score test is valid",
                                          group->label));
    }
  if (!fit->converged)
    g_ptr_array_add (warnings, g_strdup ("ran out of iterations and did not converge"));

  strata_json_begin_object (w);
  strata_json_key (w, "ties");
  strata_json_string (w, fit->ties == STRATA_COX_EFRON ? "efron" : "breslow");
  strata_json_key (w, "levels");
  strata_json_string_array (w, levels);
  strata_json_key (w, "reference_level");
  strata_json_string (w, result->reference_level);
  strata_json_key (w, "coef");
  strata_json_double_array (w, fit->coef, k);
  strata_json_key (w, "se");
  strata_json_double_array (w, fit->se, k);
  strata_json_key (w, "z");
  strata_json_double_array (w, fit->z, k);
  strata_json_key (w, "p");
  strata_json_double_array (w, fit->p, k);
  strata_json_key (w, "hr");
  strata_json_double_array (w, fit->hr, k);
  strata_json_key (w, "hr_lower");
  strata_json_double_array (w, fit->hr_lower, k);
  strata_json_key (w, "hr_upper");
  strata_json_double_array (w, fit->hr_upper, k);
  strata_json_key (w, "var");
  strata_json_begin_array (w);
  for (guint i = 0; i < k; i++)
    strata_json_double_array (w, fit->var + (gsize) i * k, k);
  strata_json_end_array (w);
  strata_json_key (w, "loglik_null");
  strata_json_double (w, fit->loglik_null);
  strata_json_key (w, "loglik");
  strata_json_double (w, fit->loglik);
  write_cox_test (w, "lr_test", &fit->lr_test);
  write_cox_test (w, "wald_test", &fit->wald_test);
  write_cox_test (w, "score_test", &fit->score_test);
  strata_json_key (w, "iterations");
  strata_json_uint (w, fit->iterations);
  strata_json_key (w, "converged");
  strata_json_bool (w, fit->converged);
  strata_json_key (w, "n");
  strata_json_uint (w, fit->n);
  strata_json_key (w, "nevent");
  strata_json_uint (w, fit->nevent);
  strata_json_key (w, "infinite_coef_warning");
  strata_json_bool (w, fit->infinite_coef);
  strata_json_key (w, "coef_infinite");
  strata_json_begin_array (w);
  for (guint i = 0; i < k; i++)
    strata_json_bool (w, fit->coef_diverged[i]);
  strata_json_end_array (w);
  strata_json_key (w, "warnings");
  strata_json_string_array (w, warnings);
  strata_json_end_object (w);
}

static void
write_coxph (StrataJsonWriter *w, const StrataResult *result)
{
  strata_json_key (w, "coxph");
  if (result->cox_efron == NULL)
    {
      strata_json_null (w);
      return;
    }
  strata_json_begin_object (w);
  strata_json_key (w, "efron");
  write_cox_fit (w, result->cox_efron, result);
  strata_json_key (w, "breslow");
  write_cox_fit (w, result->cox_breslow, result);
  strata_json_end_object (w);
}

static void
write_cuminc (StrataJsonWriter *w, const StrataResult *result)
{
  guint n_times = result->landmark_times->len;

  strata_json_key (w, "cuminc");
  if (result->cuminc == NULL)
    {
      strata_json_null (w);
      return;
    }
  strata_json_begin_object (w);
  strata_json_key (w, "status");
  strata_json_string (w, result->status_column);
  strata_json_key (w, "groups");
  strata_json_begin_array (w);
  for (guint i = 0; i < result->cuminc->len; i++)
    {
      const StrataCumincCurve *curve = g_ptr_array_index (result->cuminc, i);
      const StrataGroupResult *group = g_ptr_array_index (result->groups, i / 2);
      strata_json_begin_object (w);
      strata_json_key (w, "label");
      strata_json_string (w, group->label);
      strata_json_key (w, "cause");
      strata_json_uint (w, curve->cause);
      strata_json_key (w, "n");
      strata_json_uint (w, curve->n);
      strata_json_key (w, "n_cause1");
      strata_json_uint (w, curve->n_cause1);
      strata_json_key (w, "n_cause2");
      strata_json_uint (w, curve->n_cause2);
      strata_json_key (w, "n_censored");
      strata_json_uint (w, curve->n_censored);
      strata_json_key (w, "last_time");
      strata_json_double (w, curve->last_time);
      strata_json_key (w, "time");
      strata_json_double_array (w, curve->time, curve->len);
      strata_json_key (w, "est");
      strata_json_double_array (w, curve->est, curve->len);
      strata_json_key (w, "var");
      strata_json_double_array (w, curve->var, curve->len);
      strata_json_key (w, "lower");
      strata_json_double_array (w, curve->lower, curve->len);
      strata_json_key (w, "upper");
      strata_json_double_array (w, curve->upper, curve->len);
      strata_json_key (w, "landmarks");
      strata_json_begin_object (w);
      strata_json_key (w, "time");
      strata_json_double_array (w, (const double *) result->landmark_times->data, n_times);
      strata_json_key (w, "est");
      strata_json_double_array (w, g_ptr_array_index (result->cuminc_landmarks_est, i), n_times);
      strata_json_key (w, "var");
      strata_json_double_array (w, g_ptr_array_index (result->cuminc_landmarks_var, i), n_times);
      strata_json_end_object (w);
      strata_json_end_object (w);
    }
  strata_json_end_array (w);
  strata_json_key (w, "gray");
  strata_json_begin_array (w);
  for (guint cause = 0; cause < 2; cause++)
    {
      const StrataGrayTest *test = &result->gray[cause];
      if (!result->has_gray[cause])
        continue;
      strata_json_begin_object (w);
      strata_json_key (w, "cause");
      strata_json_uint (w, test->cause);
      strata_json_key (w, "stat");
      strata_json_double (w, test->stat);
      strata_json_key (w, "df");
      strata_json_uint (w, test->df);
      strata_json_key (w, "p");
      strata_json_double (w, test->p);
      strata_json_key (w, "pv");
      strata_json_double (w, test->pv);
      strata_json_key (w, "singular");
      strata_json_bool (w, test->singular);
      strata_json_end_object (w);
    }
  strata_json_end_array (w);
  strata_json_end_object (w);
}

static void
write_response (StrataJsonWriter *w, const StrataResponseTable *table)
{
  strata_json_begin_object (w);
  strata_json_key (w, "column");
  strata_json_string (w, table->column);
  strata_json_key (w, "success");
  strata_json_string (w, table->success);
  strata_json_key (w, "levels");
  strata_json_string_array (w, table->levels);
  strata_json_key (w, "rows");
  strata_json_begin_array (w);
  for (guint i = 0; i < table->rows->len; i++)
    {
      const StrataResponseRow *row = g_ptr_array_index (table->rows, i);
      strata_json_begin_object (w);
      strata_json_key (w, "group");
      strata_json_string (w, row->group);
      strata_json_key (w, "counts");
      strata_json_uint_array (w, row->counts, table->levels->len);
      strata_json_key (w, "x");
      strata_json_uint (w, row->x);
      strata_json_key (w, "n");
      strata_json_uint (w, row->n);
      strata_json_key (w, "p_hat");
      strata_json_double (w, row->p_hat);
      strata_json_key (w, "cp_lower");
      strata_json_double (w, row->cp_lower);
      strata_json_key (w, "cp_upper");
      strata_json_double (w, row->cp_upper);
      strata_json_key (w, "wilson_lower");
      strata_json_double (w, row->wilson_lower);
      strata_json_key (w, "wilson_upper");
      strata_json_double (w, row->wilson_upper);
      strata_json_end_object (w);
    }
  strata_json_end_array (w);
  strata_json_key (w, "fisher");
  strata_json_begin_object (w);
  strata_json_key (w, "p");
  strata_json_double (w, table->fisher_p);
  strata_json_key (w, "method");
  strata_json_string (w, table->fisher_replicates ? "monte-carlo" : "exact");
  if (table->fisher_replicates)
    {
      strata_json_key (w, "replicates");
      strata_json_uint (w, table->fisher_replicates);
      strata_json_key (w, "seed");
      strata_json_uint (w, table->fisher_seed);
    }
  strata_json_end_object (w);
  strata_json_key (w, "chisq");
  if (!table->has_chisq)
    strata_json_null (w);
  else
    {
      strata_json_begin_object (w);
      strata_json_key (w, "statistic");
      strata_json_double (w, table->chisq.statistic);
      strata_json_key (w, "df");
      strata_json_double (w, table->chisq.df);
      strata_json_key (w, "p");
      strata_json_double (w, table->chisq.p);
      strata_json_end_object (w);
    }
  strata_json_end_object (w);
}

char *
strata_report_json_to_string (const StrataResult *result, const char *generator)
{
  GString *out = g_string_sized_new (4096);
  StrataJsonWriter writer, *w = &writer;
  g_autoptr (GPtrArray) levels = g_ptr_array_new ();

  for (guint g = 0; g < result->groups->len; g++)
    g_ptr_array_add (levels, ((StrataGroupResult *) g_ptr_array_index (result->groups, g))->label);

  strata_json_writer_init (w, out, TRUE);
  strata_json_begin_object (w);
  strata_json_key (w, "generator");
  strata_json_string (w, generator);
  write_input (w, result);
  strata_json_key (w, "endpoint");
  strata_json_begin_object (w);
  strata_json_key (w, "time");
  strata_json_string (w, result->time_column);
  strata_json_key (w, "event");
  strata_json_string (w, result->event_column);
  strata_json_key (w, "event_rule");
  strata_json_string (w, result->event_rule);
  strata_json_end_object (w);
  strata_json_key (w, "by");
  strata_json_string_array (w, result->by);
  strata_json_key (w, "where");
  strata_json_string_array (w, result->where);
  strata_json_key (w, "conf_type");
  strata_json_string (w, strata_conf_type_to_string (result->conf_type));
  strata_json_key (w, "conf_level");
  strata_json_double (w, result->conf_level);
  strata_json_key (w, "landmark_times");
  strata_json_double_array (w, (const double *) result->landmark_times->data,
                            result->landmark_times->len);
  strata_json_key (w, "group_levels");
  strata_json_string_array (w, levels);
  strata_json_key (w, "reference_level");
  strata_json_string (w, result->reference_level);
  strata_json_key (w, "groups");
  strata_json_begin_array (w);
  for (guint g = 0; g < result->groups->len; g++)
    write_group (w, g_ptr_array_index (result->groups, g));
  strata_json_end_array (w);
  write_tests (w, result);
  write_coxph (w, result);
  write_cuminc (w, result);
  strata_json_key (w, "responses");
  strata_json_begin_array (w);
  for (guint i = 0; i < result->responses->len; i++)
    write_response (w, g_ptr_array_index (result->responses, i));
  strata_json_end_array (w);
  strata_json_end_object (w);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

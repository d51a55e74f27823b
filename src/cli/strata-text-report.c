/* strata-text-report.c: a plain-text report in the spirit of R's print(survfit) and
 * print(survdiff), for reading in a terminal. */
#include "strata-text-report.h"
#include "strata-table.h"

#include <math.h>

char *
strata_format_p_value (double p)
{
  if (isnan (p))
    return g_strdup ("p = NA");
  if (p < 0.001)
    return g_strdup ("p < 0.001");
  return g_strdup_printf ("p = %.3f", p);
}

static char *
format_number (double value, int decimals)
{
  if (isnan (value))
    return g_strdup ("NA");
  return g_strdup_printf ("%.*f", decimals, value);
}

static guint
label_width (const StrataResult *result, guint minimum)
{
  guint width = minimum;
  for (guint g = 0; g < result->groups->len; g++)
    {
      const StrataGroupResult *group = g_ptr_array_index (result->groups, g);
      width = MAX (width, g_utf8_strlen (group->label, -1));
    }
  return width;
}

static void
append_padded (GString *out, const char *text, guint width)
{
  guint len = g_utf8_strlen (text, -1);
  g_string_append (out, text);
  for (guint i = len; i < width; i++)
    g_string_append_c (out, ' ');
}

static void
append_header (GString *out, const StrataResult *result)
{
  g_string_append_printf (out, "Strata report: %s\n", result->file);
  g_string_append_printf (out, "  %u rows, %u used in the survival analysis, %u excluded; %s\n",
                          result->rows, result->rows_used, result->excluded->len, result->encoding);
  g_string_append_printf (out, "  Endpoint: time %s, event %s (%s)\n",
                          result->time_column, result->event_column, result->event_rule);
  if (result->by->len > 0)
    {
      g_string_append (out, "  Groups: ");
      for (guint i = 0; i < result->by->len; i++)
        g_string_append_printf (out, "%s%s", i ? " × " : "",
                                (const char *) g_ptr_array_index (result->by, i));
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < result->where->len; i++)
    g_string_append_printf (out, "  Filter: %s\n", (const char *) g_ptr_array_index (result->where, i));
  g_string_append_printf (out, "  Confidence intervals: %g %% (%s)\n\n",
                          result->conf_level * 100, strata_conf_type_to_string (result->conf_type));
}

static void
append_summary (GString *out, const StrataResult *result)
{
  guint w = label_width (result, 5);
  double limit = result->groups->len > 0
                 ? ((StrataGroupResult *) g_ptr_array_index (result->groups, 0))->rmean_upper_limit : NAN;

  append_padded (out, "group", w);
  g_string_append_printf (out, "  %7s %7s %8s %8s %8s %10s %8s\n", "n", "events", "median",
                          "lower", "upper", "rmean", "se");
  for (guint g = 0; g < result->groups->len; g++)
    {
      const StrataGroupResult *group = g_ptr_array_index (result->groups, g);
      g_autofree char *median = format_number (group->median, 2);
      g_autofree char *lower = format_number (group->median_lower, 2);
      g_autofree char *upper = format_number (group->median_upper, 2);
      append_padded (out, group->label, w);
      g_string_append_printf (out, "  %7u %7u %8s %8s %8s %10.2f %8.2f\n", group->n,
                              group->events, median, lower, upper, group->rmean, group->rmean_se);
    }
  g_string_append_printf (out, "(median with its CI; restricted mean up to %g, the last time "
                          "observed)\n\n", limit);
}

static void
append_landmarks (GString *out, const StrataResult *result)
{
  guint w = label_width (result, 5);

  if (result->landmark_times->len == 0)
    return;
  g_string_append (out, "Survival at landmark times\n");
  append_padded (out, "group", w);
  g_string_append_printf (out, "  %8s %7s %7s %10s %14s\n", "time", "n.risk", "events",
                          "survival", "CI");
  for (guint g = 0; g < result->groups->len; g++)
    {
      const StrataGroupResult *group = g_ptr_array_index (result->groups, g);
      const StrataKmLandmarks *lm = group->landmarks;
      for (guint k = 0; k < lm->len; k++)
        {
          g_autofree char *ci = isnan (lm->lower[k])
                                ? g_strdup ("NA")
                                : g_strdup_printf ("%.1f–%.1f %%", 100 * lm->lower[k],
                                                   100 * lm->upper[k]);
          append_padded (out, k == 0 ? group->label : "", w);
          g_string_append_printf (out, "  %8g %7u %7u %8.1f %% %14s\n", lm->time[k], lm->n_risk[k],
                                  lm->n_event[k], 100 * lm->surv[k], ci);
        }
    }
  g_string_append_c (out, '\n');
}

static void
append_survdiff (GString *out, const char *name, const StrataSurvdiff *test)
{
  g_autofree char *p = strata_format_p_value (test->p);
  g_string_append_printf (out, "%s: chi-square = %.2f on %u df, %s\n", name, test->chisq,
                          test->df, p);
}

static void
append_tests (GString *out, const StrataResult *result)
{
  if (result->logrank == NULL)
    {
      g_string_append (out, "One group: no test of equality.\n\n");
      return;
    }
  guint w = label_width (result, 5);
  append_padded (out, "group", w);
  g_string_append_printf (out, "  %10s %10s\n", "observed", "expected");
  for (guint g = 0; g < result->groups->len; g++)
    {
      const StrataGroupResult *group = g_ptr_array_index (result->groups, g);
      append_padded (out, group->label, w);
      g_string_append_printf (out, "  %10.0f %10.2f\n", result->logrank->observed[g],
                              result->logrank->expected[g]);
    }
  append_survdiff (out, "Log-rank test", result->logrank);
  append_survdiff (out, "Peto–Peto test", result->peto_peto);
  if (result->has_trend)
    {
      g_autofree char *p = strata_format_p_value (result->trend.p);
      g_string_append_printf (out, "Test for trend (scores 1..%u in group order): chi-square = "
                              "%.2f on 1 df, %s\n", result->groups->len, result->trend.chisq, p);
    }
  g_string_append_c (out, '\n');
}

static void
append_cox (GString *out, const StrataResult *result)
{
  const StrataCoxFit *fit = result->cox_efron;
  guint w = label_width (result, 5);

  if (fit == NULL)
    return;
  g_string_append_printf (out, "Cox model (Efron ties), reference %s\n", result->reference_level);
  append_padded (out, "group", w);
  g_string_append_printf (out, "  %9s %21s %10s\n", "HR", "CI", "p");
  for (guint i = 0; i < fit->n_coef; i++)
    {
      const StrataGroupResult *group = g_ptr_array_index (result->groups, fit->coef_group[i]);
      g_autofree char *p = strata_format_p_value (fit->p[i]);
      append_padded (out, group->label, w);
      if (fit->coef_diverged[i])
        g_string_append (out, "   infinite (no events in a group compared: only the score test is valid)\n");
      else
        g_string_append_printf (out, "  %9.2f %9.2f–%-11.2f %10s\n", fit->hr[i], fit->hr_lower[i],
                                fit->hr_upper[i], p);
    }
  g_autofree char *lr = strata_format_p_value (fit->lr_test.p);
  g_autofree char *wald = strata_format_p_value (fit->wald_test.p);
  g_autofree char *score = strata_format_p_value (fit->score_test.p);
  g_string_append_printf (out, "Likelihood ratio %.2f on %g df, %s; Wald %.2f, %s; score %.2f, %s\n\n",
                          fit->lr_test.statistic, fit->lr_test.df, lr, fit->wald_test.statistic,
                          wald, fit->score_test.statistic, score);
}

static void
append_cuminc (GString *out, const StrataResult *result)
{
  guint w = label_width (result, 5);

  if (result->cuminc == NULL)
    return;
  g_string_append_printf (out, "Cumulative incidence (%s: 1 = event of interest, 2 = competing)\n",
                          result->status_column);
  for (guint i = 0; i < result->cuminc->len && result->landmark_times->len > 0; i++)
    {
      const StrataCumincCurve *curve = g_ptr_array_index (result->cuminc, i);
      const StrataGroupResult *group = g_ptr_array_index (result->groups, i / 2);
      const double *est = g_ptr_array_index (result->cuminc_landmarks_est, i);
      append_padded (out, group->label, w);
      g_string_append_printf (out, "  cause %u:", curve->cause);
      for (guint k = 0; k < result->landmark_times->len; k++)
        {
          double t = g_array_index (result->landmark_times, double, k);
          if (isnan (est[k]))
            g_string_append_printf (out, "  at %g: NA", t);
          else
            g_string_append_printf (out, "  at %g: %.1f %%", t, 100 * est[k]);
        }
      g_string_append_c (out, '\n');
    }
  for (guint c = 0; c < 2; c++)
    if (result->has_gray[c])
      {
        g_autofree char *p = strata_format_p_value (result->gray[c].p);
        g_string_append_printf (out, "Gray's test, cause %u: %.2f on %u df, %s\n", c + 1,
                                result->gray[c].stat, result->gray[c].df, p);
      }
  g_string_append_c (out, '\n');
}

static void
append_responses (GString *out, const StrataResult *result)
{
  guint w = label_width (result, 5);

  for (guint i = 0; i < result->responses->len; i++)
    {
      const StrataResponseTable *table = g_ptr_array_index (result->responses, i);
      g_string_append_printf (out, "Response %s: proportion “%s”\n", table->column,
                              table->success ? table->success : "");
      append_padded (out, "group", w);
      g_string_append_printf (out, "  %11s %8s %17s %17s\n", "x / n", "%", "Clopper–Pearson",
                              "Wilson");
      for (guint r = 0; r < table->rows->len; r++)
        {
          const StrataResponseRow *row = g_ptr_array_index (table->rows, r);
          g_autofree char *xn = g_strdup_printf ("%u / %u", row->x, row->n);
          append_padded (out, row->group, w);
          if (row->n == 0)
            {
              g_string_append_printf (out, "  %11s %7s\n", xn, "NA");
              continue;
            }
          g_string_append_printf (out, "  %11s %6.1f %% %10.1f–%4.1f %% %10.1f–%4.1f %%\n", xn,
                                  100 * row->p_hat, 100 * row->cp_lower, 100 * row->cp_upper,
                                  100 * row->wilson_lower, 100 * row->wilson_upper);
        }
      g_autofree char *fisher = strata_format_p_value (table->fisher_p);
      if (table->fisher_replicates)
        g_string_append_printf (out, "Fisher's exact test (Monte Carlo, %u tables, seed %"
                                G_GUINT64_FORMAT "): %s", table->fisher_replicates,
                                table->fisher_seed, fisher);
      else
        g_string_append_printf (out, "Fisher's exact test: %s", fisher);
      if (table->has_chisq)
        {
          g_autofree char *p = strata_format_p_value (table->chisq.p);
          g_string_append_printf (out, "; Pearson's chi-square = %.2f on %g df, %s",
                                  table->chisq.statistic, table->chisq.df, p);
        }
      g_string_append (out, "\n\n");
    }
}

static void
append_excluded (GString *out, const StrataResult *result)
{
  for (guint i = 0; i < result->warnings->len; i++)
    g_string_append_printf (out, "Note: %s\n", (const char *) g_ptr_array_index (result->warnings, i));
  if (result->excluded->len == 0)
    return;
  g_string_append_printf (out, "Rows excluded (%u):\n", result->excluded->len);
  for (guint i = 0; i < result->excluded->len; i++)
    {
      const StrataIssue *issue = g_ptr_array_index (result->excluded, i);
      if (issue->column != NULL)
        g_string_append_printf (out, "  line %u, column %s: %s\n", issue->line, issue->column,
                                issue->reason);
      else
        g_string_append_printf (out, "  line %u: %s\n", issue->line, issue->reason);
    }
}

char *
strata_text_report (const StrataResult *result)
{
  GString *out = g_string_new (NULL);

  append_header (out, result);
  g_string_append (out, "Kaplan–Meier estimates\n");
  append_summary (out, result);
  append_landmarks (out, result);
  append_tests (out, result);
  append_cox (out, result);
  append_cuminc (out, result);
  append_responses (out, result);
  append_excluded (out, result);
  return g_string_free (out, FALSE);
}

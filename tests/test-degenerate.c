/* test-degenerate.c: the analyses on degenerate cohorts give clear, correct output,
 * never a crash: one group, a group emptied by a filter, a group with no events, all
 * censored, a single patient. */
#include <gsl/gsl_errno.h>
#include <math.h>

#include "strata-analysis.h"

static StrataResult *
run (const char *file, const char *by, const char *where, const char *status)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "degenerate", file, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  g_assert_no_error (error);
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataSpec) spec = strata_spec_new ();

  spec->status_column = g_strdup (status);
  if (status != NULL)
    spec->event_column = g_strdup ("event");
  if (by != NULL)
    g_assert_true (strata_spec_add_by (spec, by, &error));
  if (where != NULL)
    g_assert_true (strata_spec_add_where (spec, where, &error));
  g_assert_true (strata_spec_set_landmarks (spec, "6,100", &error));
  StrataResult *result = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static void
test_one_group (void)
{
  g_autoptr (StrataResult) result = run ("no-events-group.csv", NULL, NULL, NULL);

  g_assert_cmpuint (result->groups->len, ==, 1);
  g_assert_null (result->logrank);
  g_assert_null (result->pairwise_logrank);
  g_assert_null (result->cox_efron);
  g_assert_false (result->has_trend);
}

static void
test_filtered_out_group (void)
{
  g_autoptr (StrataResult) result = run ("no-events-group.csv", "group", "group=A", NULL);

  g_assert_cmpuint (result->groups->len, ==, 1);
  g_assert_cmpstr (((StrataGroupResult *) g_ptr_array_index (result->groups, 0))->label, ==, "A");
  g_assert_null (result->logrank);
}

/* B has no events: its curve stays at 1, its median is not reached, the log-rank test
 * is fine, and the Cox coefficient is flagged infinite while the score test stands. */
static void
test_group_without_events (void)
{
  g_autoptr (StrataResult) result = run ("no-events-group.csv", "group", NULL, "status");
  const StrataGroupResult *b = g_ptr_array_index (result->groups, 1);

  g_assert_cmpstr (b->label, ==, "B");
  g_assert_cmpuint (b->events, ==, 0);
  for (guint i = 0; i < b->km->len; i++)
    g_assert_cmpfloat (b->km->surv[i], ==, 1.0);
  g_assert_true (isnan (b->median));
  g_assert_nonnull (result->logrank);
  g_assert_cmpuint (result->logrank->df, ==, 1);
  g_assert_false (isnan (result->logrank->p));
  /* R runs out of iterations here (coef -21.04, no infinite-coefficient warning);
   * Strata still marks the estimate as diverged rather than show it as an HR */
  g_assert_false (result->cox_efron->converged);
  g_assert_true (result->cox_efron->coef_diverged[0]);
  g_assert_false (isnan (result->cox_efron->score_test.p));
  /* competing risks: B has no event of either cause */
  const StrataCumincCurve *b_cause1 = g_ptr_array_index (result->cuminc, 2);
  g_assert_cmpuint (b_cause1->len, ==, 0);
  const double *b_landmarks = g_ptr_array_index (result->cuminc_landmarks_est, 2);
  g_assert_cmpfloat (b_landmarks[0], ==, 0.0);
  g_assert_true (isnan (b_landmarks[1]));   /* past B's last time: NA, as timepoints */
}

static void
test_all_censored (void)
{
  g_autoptr (StrataResult) result = run ("all-censored.csv", "group", NULL, NULL);

  g_assert_cmpuint (result->groups->len, ==, 2);
  g_assert_null (result->cox_efron);
  gboolean noted = FALSE;
  for (guint i = 0; i < result->warnings->len; i++)
    noted |= g_str_has_prefix (g_ptr_array_index (result->warnings, i), "no Cox model");
  g_assert_true (noted);
  g_assert_cmpuint (result->logrank->df, ==, 0);
  g_assert_true (isnan (result->logrank->p));
}

static void
test_single_patient (void)
{
  g_autoptr (StrataResult) result = run ("single-patient.csv", "group", NULL, "status");
  const StrataGroupResult *a = g_ptr_array_index (result->groups, 0);

  g_assert_cmpuint (a->km->len, ==, 1);
  g_assert_cmpfloat (a->km->surv[0], ==, 0.0);
  g_assert_true (isnan (a->km->std_err[0]));   /* R: 0 * Inf = NaN */
  g_assert_true (isnan (a->km->lower[0]));
  g_assert_cmpfloat (a->median, ==, 4.5);
  g_assert_null (result->logrank);
  const StrataCumincCurve *cause1 = g_ptr_array_index (result->cuminc, 0);
  g_assert_cmpuint (cause1->len, ==, 1);
  g_assert_cmpfloat (cause1->est[0], ==, 1.0);
  g_assert_cmpfloat (cause1->var[0], ==, 1.0);   /* Gray's variance, as cuminc */
  g_assert_false (result->has_gray[0]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  g_test_add_func ("/degenerate/one-group", test_one_group);
  g_test_add_func ("/degenerate/filtered-out-group", test_filtered_out_group);
  g_test_add_func ("/degenerate/group-without-events", test_group_without_events);
  g_test_add_func ("/degenerate/all-censored", test_all_censored);
  g_test_add_func ("/degenerate/single-patient", test_single_patient);
  return g_test_run ();
}

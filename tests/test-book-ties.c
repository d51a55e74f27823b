/* test-book-ties.c: the tied-data example of Therneau & Grambsch (2000), appendix E.1
 * (survival's tests/book1.R: time 9 3 1 1 6 6 8, status 1 NA 1 0 1 1 0, x 0 2 1 1 1 0 0),
 * with x as the grouping. Ties of a death and a censoring at t = 1 and two deaths at
 * t = 6; the NA status row is excluded and listed. Expected values from R 4.2.2,
 * survival 3.5.3, at 17 digits. */
#include <gsl/gsl_errno.h>
#include <math.h>

#include "strata-analysis.h"

static void
assert_close (double ours, double r, const char *what)
{
  if (isnan (r) ? !isnan (ours) : fabs (ours - r) > 1e-9 * MAX (fabs (r), 1e-3))
    g_error ("%s: got %.17g, R gives %.17g", what, ours, r);
}

static StrataResult *
run_book (StrataConfType conf_type)
{
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "data", "book-ties.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (csv, &error);
  g_assert_no_error (error);
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  spec->conf_type = conf_type;
  StrataResult *result = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static void
test_km (void)
{
  g_autoptr (StrataResult) result = run_book (STRATA_CONF_LOG);
  const StrataKmTable *km = ((StrataGroupResult *) g_ptr_array_index (result->groups, 0))->km;
  const double time[] = { 1, 6, 8, 9 };
  const double surv[] = { 0.83333333333333337, 0.41666666666666669, 0.41666666666666669, 0 };
  const double std_err[] = { 0.15214515486254615, 0.22178776975932379, 0.22178776975932379, NAN };
  const double lower[] = { 0.58265479547713961, 0.14679191553447152, 0.14679191553447152, NAN };
  const double upper[] = { 1, 1, 1, NAN };
  const guint n_risk[] = { 6, 4, 2, 1 }, n_event[] = { 1, 2, 0, 1 }, n_censor[] = { 1, 0, 1, 0 };

  g_assert_cmpuint (result->rows_used, ==, 6);
  g_assert_cmpuint (result->excluded->len, ==, 1);
  const StrataIssue *issue = g_ptr_array_index (result->excluded, 0);
  g_assert_cmpuint (issue->line, ==, 3);
  g_assert_cmpstr (issue->column, ==, "event");
  g_assert_cmpuint (km->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      assert_close (km->time[i], time[i], "time");
      g_assert_cmpuint (km->n_risk[i], ==, n_risk[i]);
      g_assert_cmpuint (km->n_event[i], ==, n_event[i]);
      g_assert_cmpuint (km->n_censor[i], ==, n_censor[i]);
      assert_close (km->surv[i], surv[i], "surv");
      assert_close (km->std_err[i], std_err[i], "std_err");
      assert_close (km->lower[i], lower[i], "lower");
      assert_close (km->upper[i], upper[i], "upper");
    }
}

static StrataResult *
run_book_by_x (void)
{
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "data", "book-ties.csv", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (csv, &error);
  g_assert_no_error (error);
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  g_assert_true (strata_spec_add_by (spec, "group", &error));
  StrataResult *result = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static void
test_logrank (void)
{
  g_autoptr (StrataResult) result = run_book_by_x ();

  g_assert_cmpuint (result->groups->len, ==, 2);
  assert_close (result->logrank->chisq, 2, "chisq");
  assert_close (result->logrank->expected[0], 3, "expected x0");
  assert_close (result->logrank->expected[1], 1, "expected x1");
  assert_close (result->logrank->observed[0], 2, "observed x0");
  assert_close (result->logrank->observed[1], 2, "observed x1");
}

static void
test_cox_ties (void)
{
  g_autoptr (StrataResult) result = run_book_by_x ();
  const StrataCoxFit *efron = result->cox_efron, *breslow = result->cox_breslow;

  assert_close (efron->coef[0], 1.6768574855882048, "efron coef");
  assert_close (efron->loglik_null, -4.2766661190160553, "efron loglik null");
  assert_close (efron->loglik, -3.3589748402633477, "efron loglik");
  assert_close (efron->score_test.statistic, 2.0361445783132539, "efron score");
  assert_close (breslow->coef[0], 1.475284914828868, "breslow coef");
  assert_close (breslow->loglik_null, -4.5643481914678361, "breslow loglik null");
  assert_close (breslow->loglik, -3.8247495050028655, "breslow loglik");
  assert_close (breslow->score_test.statistic, 1.6000000000000001, "breslow score");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();
  g_test_add_func ("/book-ties/kaplan-meier", test_km);
  g_test_add_func ("/book-ties/logrank", test_logrank);
  g_test_add_func ("/book-ties/cox", test_cox_ties);
  return g_test_run ();
}

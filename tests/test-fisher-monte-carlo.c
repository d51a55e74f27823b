/* test-fisher-monte-carlo.c: the Monte Carlo fallback of Fisher's exact test
 * (strata_fisher_monte_carlo_p), against the exact p-value and R. */
#include <math.h>
#include <gsl/gsl_errno.h>

#include "strata-contingency.h"

/* |p_mc - p| within Z binomial standard errors of B replicates (plus the 1/(B+1) shift
 * of the estimator's "1 +"). */
static void
assert_within_noise (double p_mc, double p, guint b, double z)
{
  double se = sqrt (p * (1.0 - p) / b) + 1.0 / (b + 1.0);

  g_test_message ("Monte Carlo p = %.5f, reference %.5f, B = %u, se %.5f", p_mc, p, b, se);
  g_assert_cmpfloat (fabs (p_mc - p), <=, z * se);
}

/* Tables the exact test enumerates: the simulated p-value is within the binomial noise
 * of the exact one (R: 0.160140492046191 and 0.0253261744646881). */
static void
test_matches_exact (void)
{
  static const struct {
    guint counts[12];
    guint nrow, ncol;
    double p_r;
  } cases[] = {
    { { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8 }, 3, 4, 0.160140492046191 },
    { { 8, 2, 1, 5, 3, 7, 2, 2, 9 }, 3, 3, 0.0253261744646881 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (GError) error = NULL;
      double exact = strata_fisher_exact_p (cases[c].counts, cases[c].nrow, cases[c].ncol, &error);
      double p2000, p20000;

      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (exact, cases[c].p_r, 1e-9);
      g_assert_true (strata_fisher_monte_carlo_p (cases[c].counts, cases[c].nrow, cases[c].ncol,
                                                  2000, 20240601, &p2000));
      assert_within_noise (p2000, exact, 2000, 4.5);
      g_assert_true (strata_fisher_monte_carlo_p (cases[c].counts, cases[c].nrow, cases[c].ncol,
                                                  20000, 7, &p20000));
      assert_within_noise (p20000, exact, 20000, 4.5);
    }
}

/* A 2 x 2 table, where every table with these margins is enumerable: the same. */
static void
test_two_by_two (void)
{
  const guint counts[] = { 12, 5, 4, 14 };
  g_autoptr (GError) error = NULL;
  double exact = strata_fisher_exact_p (counts, 2, 2, &error);
  double p;

  g_assert_no_error (error);
  g_assert_true (strata_fisher_monte_carlo_p (counts, 2, 2, 20000, 1, &p));
  assert_within_noise (p, exact, 20000, 4.5);
}

/* The same seed gives the same p; the value is always a multiple of 1 / (B + 1). */
static void
test_deterministic (void)
{
  const guint counts[] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8 };
  double a, b, c;

  g_assert_true (strata_fisher_monte_carlo_p (counts, 3, 4, 2000, 42, &a));
  g_assert_true (strata_fisher_monte_carlo_p (counts, 3, 4, 2000, 42, &b));
  g_assert_true (strata_fisher_monte_carlo_p (counts, 3, 4, 2000, 43, &c));
  g_assert_cmpfloat (a, ==, b);
  g_assert_cmpfloat (a, !=, c);   /* a different stream (true for these two seeds) */
  g_assert_cmpfloat (fabs (a * 2001 - round (a * 2001)), <, 1e-9);
  g_assert_cmpfloat (a, >=, 1.0 / 2001);
  g_assert_cmpfloat (a, <=, 1.0);
}

/* The fallback's case: a table the exact test refuses (10 x 2, n = 5000). R:
 * fisher.test (simulate.p.value = TRUE, B = 2e5) gives 0.2124; B = 2000 here, in well
 * under a second. */
static void
test_too_large_for_exact (void)
{
  const guint counts[] = { 250, 250, 260, 240, 270, 230, 240, 260, 255, 245,
                           245, 255, 265, 235, 250, 250, 235, 265, 230, 270 };
  g_autoptr (GError) error = NULL;
  gint64 start;
  double p, seconds;

  g_assert_true (isnan (strata_fisher_exact_p (counts, 10, 2, &error)));
  g_assert_error (error, STRATA_CONTINGENCY_ERROR, STRATA_CONTINGENCY_ERROR_TOO_LARGE);
  start = g_get_monotonic_time ();
  g_assert_true (strata_fisher_monte_carlo_p (counts, 10, 2, 2000, 2024, &p));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("10 x 2, n = 5000: p = %.4f in %.3f s", p, seconds);
  assert_within_noise (p, 0.2124, 2000, 4.5);
  g_assert_cmpfloat (seconds, <, 5.0);
}

/* Empty rows and columns are dropped; fewer than 2 of either is refused, as R does;
 * so are 0 replicates. */
static void
test_degenerate (void)
{
  const guint with_empty[] = { 8, 0, 2, 0, 0, 0, 1, 0, 5 };
  const guint compact[] = { 8, 2, 1, 5 };
  const guint one_row[] = { 3, 4, 5, 0, 0, 0 };
  double a, b, p;

  g_assert_true (strata_fisher_monte_carlo_p (with_empty, 3, 3, 500, 5, &a));
  g_assert_true (strata_fisher_monte_carlo_p (compact, 2, 2, 500, 5, &b));
  g_assert_cmpfloat (a, ==, b);
  g_assert_false (strata_fisher_monte_carlo_p (one_row, 2, 3, 500, 5, &p));
  g_assert_true (isnan (p));
  g_assert_false (strata_fisher_monte_carlo_p (compact, 2, 2, 0, 5, &p));
  g_assert_true (isnan (p));
}

int
main (int argc, char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fisher-monte-carlo/matches-exact", test_matches_exact);
  g_test_add_func ("/fisher-monte-carlo/two-by-two", test_two_by_two);
  g_test_add_func ("/fisher-monte-carlo/deterministic", test_deterministic);
  g_test_add_func ("/fisher-monte-carlo/too-large-for-exact", test_too_large_for_exact);
  g_test_add_func ("/fisher-monte-carlo/degenerate", test_degenerate);
  return g_test_run ();
}

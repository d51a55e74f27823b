/* bench-cuminc: cumulative incidence of both causes with Gray's variance, landmarks
 * and Gray's test for each cause, on a synthetic 1e5-row cohort of 3 groups (times to
 * one decimal, 0 censored / 1 relapse / 2 death). Prints the median time in ms.
 * Usage: bench-cuminc [ROWS] */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "strata-cuminc.h"

enum { ROUNDS = 7 };

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 100000;
  g_autoptr (GRand) rand = g_rand_new_with_seed (2026);
  g_autofree double *time = g_new (double, n);
  g_autofree guint8 *status = g_new (guint8, n);
  g_autofree guint *group = g_new (guint, n);
  const double landmarks[] = { 12, 24, 36 };
  double elapsed[ROUNDS];

  gsl_set_error_handler_off ();
  for (guint i = 0; i < n; i++)
    {
      group[i] = g_rand_int_range (rand, 0, 3);
      time[i] = g_rand_int_range (rand, 1, 600) / 10.0;
      status[i] = (guint8) g_rand_int_range (rand, 0, 3);
    }
  for (guint r = 0; r < ROUNDS; r++)
    {
      gint64 a = g_get_monotonic_time ();
      g_autoptr (GPtrArray) curves = strata_cuminc_curves (time, status, group, n, 3, 0.95);
      double est[3];
      for (guint c = 0; c < curves->len; c++)
        strata_cuminc_landmarks (g_ptr_array_index (curves, c), landmarks, 3, est, NULL);
      StrataGrayTest test1, test2;
      g_assert (strata_gray_test (time, status, group, n, 3, 1, &test1));
      g_assert (strata_gray_test (time, status, group, n, 3, 2, &test2));
      elapsed[r] = (g_get_monotonic_time () - a) / 1000.0;
    }
  qsort (elapsed, ROUNDS, sizeof (double), compare_doubles);
  printf ("Cumulative incidence + Gray's test, %u rows, 3 groups, both causes: %.1f ms (median of %d)\n",
          n, elapsed[ROUNDS / 2], ROUNDS);
  return 0;
}

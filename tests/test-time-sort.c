/* test-time-sort.c: the endpoint sort, on both of its paths (few distinct times:
 * ranks and a counting sort; many: a radix sort), is a stable ascending sort. */
#include "strata-time-sort.h"

static void
check_sort (guint n, guint distinct_values, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree double *time = g_new (double, n);
  g_autofree guint *row = g_new (guint, n);
  g_autofree guint8 *event = g_new (guint8, n);

  for (guint i = 0; i < n; i++)
    {
      time[i] = distinct_values ? g_rand_int_range (rand, 0, distinct_values) / 10.0
                                : g_rand_double_range (rand, 0, 1e4);
      if (i % 97 == 0)
        time[i] = (i % 2) ? 0.0 : -0.0;
      row[i] = i;
      event[i] = (guint8) (g_rand_int (rand) & 1);
    }
  g_autofree double *original = g_memdup2 (time, sizeof (double) * n);
  g_autofree guint8 *original_event = g_memdup2 (event, n);

  strata_sort_times (time, row, event, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (time[i] == original[row[i]]);
      g_assert_cmpuint (event[i], ==, original_event[row[i]]);
      if (i > 0)
        {
          g_assert_cmpfloat (time[i - 1], <=, time[i]);
          if (time[i - 1] == time[i])
            g_assert_cmpuint (row[i - 1], <, row[i]);   /* stable */
        }
    }
}

static void
test_few_distinct (void)
{
  check_sort (200000, 600, 1);
  check_sort (1000, 1, 2);
}

static void
test_many_distinct (void)
{
  check_sort (200000, 0, 3);          /* continuous times: > 65536 distinct */
  check_sort (150000, 70000, 4);      /* just past the distinct-value limit */
}

static void
test_tiny (void)
{
  double time[] = { 3.0 };
  guint row[] = { 0 };
  guint8 event[] = { 1 };

  strata_sort_times (time, row, event, 1);
  strata_sort_times (time, row, event, 0);
  g_assert_cmpfloat (time[0], ==, 3.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/time-sort/few-distinct", test_few_distinct);
  g_test_add_func ("/time-sort/many-distinct", test_many_distinct);
  g_test_add_func ("/time-sort/tiny", test_tiny);
  return g_test_run ();
}

/* bench-import.c: import speed of strata_table_load_file() on a generated cohort.
 *
 * Usage: bench-import [ROWS [PATH]]   (default 1000000 rows, /tmp/strata-bench-import.csv)
 *
 * Writes a CSV of ROWS patients and 14 columns (unique ids like P0000123, numbers like
 * 23.4, 0/1 flags, short categorical labels, a few NA), then imports it several times
 * and prints the best and median throughput in MB/s (1 MB = 1e6 bytes), by wall-clock
 * and by CPU time summed over threads (import uses two threads on big files when it
 * can), for the whole of strata_table_load_file() (read + decode + parse) and
 * for strata_table_load_data() on bytes already in memory.
 */
#include "strata-table.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RUNS 9

/* CPU time of this process: on a busy machine it shows the cost of the import itself,
 * while wall time also counts the time other processes held the CPU. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *header =
  "id,age,sex,site,blasts_pct,prior_hsct,cns_status,mrd_negative,crs_grade,"
  "os_months,os_event,efs_months,efs_event,best_response\n";

static void
write_cohort (const char *path, guint n_rows)
{
  static const char *sites[] = { "BM", "EMD", "CNS" };
  static const char *responses[] = { "CR", "CRi", "PR", "NR" };
  g_autoptr(GString) out = g_string_sized_new ((gsize) n_rows * 64);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240607);
  g_autoptr(GError) error = NULL;

  g_string_append (out, header);
  for (guint i = 0; i < n_rows; i++)
    {
      gboolean na = g_rand_int_range (rand, 0, 50) == 0;

      g_string_append_printf (out, "P%07u,%.1f,%c,%s,", i + 1,
                              g_rand_double_range (rand, 1, 30),
                              g_rand_boolean (rand) ? 'M' : 'F',
                              sites[g_rand_int_range (rand, 0, 3)]);
      if (na)
        g_string_append (out, "NA,");
      else
        g_string_append_printf (out, "%.1f,", g_rand_double_range (rand, 0, 100));
      g_string_append_printf (out, "%d,%d,%d,%d,%.1f,%d,%.1f,%d,%s\n",
                              g_rand_boolean (rand), g_rand_boolean (rand),
                              g_rand_boolean (rand), g_rand_int_range (rand, 0, 5),
                              g_rand_double_range (rand, 0, 60), g_rand_boolean (rand),
                              g_rand_double_range (rand, 0, 60), g_rand_boolean (rand),
                              responses[g_rand_int_range (rand, 0, 4)]);
    }
  if (!g_file_set_contents (path, out->str, (gssize) out->len, &error))
    {
      fprintf (stderr, "bench-import: %s\n", error->message);
      exit (1);
    }
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *what, double *seconds, gsize bytes)
{
  qsort (seconds, RUNS, sizeof *seconds, compare_doubles);
  printf ("%-32s best %7.1f ms %7.1f MB/s   median %7.1f ms %7.1f MB/s\n", what,
          seconds[0] * 1e3, bytes / seconds[0] / 1e6,
          seconds[RUNS / 2] * 1e3, bytes / seconds[RUNS / 2] / 1e6);
}

int
main (int argc, char **argv)
{
  guint n_rows = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  const char *path = argc > 2 ? argv[2] : "/tmp/strata-bench-import.csv";
  g_autofree char *contents = NULL;
  gsize length = 0;
  double file_seconds[RUNS], data_seconds[RUNS];
  double file_cpu[RUNS], data_cpu[RUNS];
  g_autoptr(GError) error = NULL;

  write_cohort (path, n_rows);
  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      fprintf (stderr, "bench-import: %s\n", error->message);
      return 1;
    }
  printf ("%s: %u rows, 14 columns, %.1f MB\n", path, n_rows, length / 1e6);

  for (int run = 0; run < RUNS; run++)
    {
      double cpu = cpu_seconds ();
      gint64 start = g_get_monotonic_time ();
      g_autoptr(StrataTable) table = strata_table_load_file (path, &error);

      file_seconds[run] = (g_get_monotonic_time () - start) / 1e6;
      file_cpu[run] = cpu_seconds () - cpu;
      if (table == NULL)
        {
          fprintf (stderr, "bench-import: %s\n", error->message);
          return 1;
        }
      if (run == 0)
        {
          for (guint c = 0; c < strata_table_get_n_columns (table); c++)
            {
              const StrataColumn *column = strata_table_get_column (table, c);
              static const char *types[] = { "numeric", "categorical", "text" };

              printf ("  %-14s %-11s", column->name, types[column->type]);
              if (column->levels != NULL)
                printf (" %u levels", column->levels->len);
              printf ("\n");
            }
        }
    }

  for (int run = 0; run < RUNS; run++)
    {
      double cpu = cpu_seconds ();
      gint64 start = g_get_monotonic_time ();
      g_autoptr(StrataTable) table = strata_table_load_data (path, contents, length, &error);

      data_seconds[run] = (g_get_monotonic_time () - start) / 1e6;
      data_cpu[run] = cpu_seconds () - cpu;
      if (table == NULL)
        {
          fprintf (stderr, "bench-import: %s\n", error->message);
          return 1;
        }
    }

  report ("load_file, wall clock:", file_seconds, length);
  report ("load_file, CPU (all threads):", file_cpu, length);
  report ("load_data, wall clock:", data_seconds, length);
  report ("load_data, CPU (all threads):", data_cpu, length);
  return 0;
}

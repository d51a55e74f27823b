/* bench-toggle: the toggle path of the GUI on a loaded cohort. Loads FILE (e.g. the
 * 1e6-row benchmark cohort), then changes the --where filter as a user ticking strata
 * would and times each new result (filter -> grouped KM, tests, landmarks). Prints
 * the import speed too, and the Patients tab's per-row inclusion for each toggle.
 * Usage: bench-toggle FILE.csv */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "strata-analysis.h"

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  static const char *const toggles[] = {
    "disease_site=BM,EMD,CNS", "disease_site=BM,EMD", "disease_site=EMD,CNS",
    "disease_site=BM", "bm_blasts_pct>=5", "bm_blasts_pct<5",
  };
  enum { ROUNDS = 10 };
  g_autoptr (GError) error = NULL;
  double times_ms[G_N_ELEMENTS (toggles) * ROUNDS];
  double inclusion_ms[G_N_ELEMENTS (toggles) * ROUNDS];
  guint n = 0, n_inclusion = 0;

  gsl_set_error_handler_off ();
  if (argc != 2)
    {
      fprintf (stderr, "usage: bench-toggle FILE.csv\n");
      return 2;
    }
  GStatBuf st;
  g_stat (argv[1], &st);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (StrataTable) table = strata_table_load_file (argv[1], &error);
  if (table == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  gint64 t1 = g_get_monotonic_time ();
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);

  /* The first run builds the sorted endpoint index: part of opening the file. */
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  spec->time_column = g_strdup ("os_months");
  spec->event_column = g_strdup ("os_status");
  strata_spec_add_by (spec, "disease_site", NULL);
  strata_spec_set_landmarks (spec, "12,24,36", NULL);
  gint64 t2 = g_get_monotonic_time ();
  g_autoptr (StrataResult) first = strata_analysis_run (cohort, spec, NULL, &error);
  gint64 t3 = g_get_monotonic_time ();
  if (first == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  for (guint round = 0; round < ROUNDS; round++)
    for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
      {
        g_autoptr (StrataSpec) toggled = strata_spec_copy (spec);
        strata_spec_add_where (toggled, toggles[i], NULL);
        gint64 a = g_get_monotonic_time ();
        g_autoptr (StrataResult) result = strata_analysis_run (cohort, toggled, NULL, &error);
        gint64 b = g_get_monotonic_time ();
        g_assert (result != NULL);
        times_ms[n++] = (b - a) / 1000.0;
        /* The Patients tab: which rows the toggles include, and why not. */
        a = g_get_monotonic_time ();
        g_autoptr (StrataRowInclusion) inclusion = strata_analysis_row_inclusion (cohort, toggled, &error);
        b = g_get_monotonic_time ();
        g_assert (inclusion != NULL);
        inclusion_ms[n_inclusion++] = (b - a) / 1000.0;
      }
  qsort (times_ms, n, sizeof (double), compare_doubles);
  qsort (inclusion_ms, n_inclusion, sizeof (double), compare_doubles);

  printf ("rows: %u, file: %.1f MB\n", strata_table_get_n_rows (table), st.st_size / 1e6);
  printf ("import: %.1f ms (%.0f MB/s)\n", (t1 - t0) / 1000.0,
          st.st_size / 1e6 / ((t1 - t0) / 1e6));
  printf ("first analysis (builds the sorted index): %.1f ms\n", (t3 - t2) / 1000.0);
  printf ("toggle -> new result over %u toggles: median %.2f ms, 90th percentile %.2f ms, max %.2f ms\n",
          n, times_ms[n / 2], times_ms[(n * 9) / 10], times_ms[n - 1]);
  printf ("toggle -> per-row inclusion (Patients tab): median %.2f ms, 90th percentile %.2f ms\n",
          inclusion_ms[n_inclusion / 2], inclusion_ms[(n_inclusion * 9) / 10]);
  return 0;
}

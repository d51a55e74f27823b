/* bench-load-file.c: loads one file with strata_table_load_file_sheet() and prints its
 * size and the load time; bench-xlsx.py runs it under /usr/bin/time for the peak RSS.
 *
 * Usage: bench-load-file PATH [SHEET]
 */
#include "strata-table.h"

#include <stdio.h>

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(StrataTable) table = NULL;
  gint64 start;

  if (argc < 2)
    {
      fprintf (stderr, "usage: bench-load-file PATH [SHEET]\n");
      return 2;
    }
  start = g_get_monotonic_time ();
  table = strata_table_load_file_sheet (argv[1], argc > 2 ? argv[2] : NULL, &error);
  if (table == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("%u rows, %u columns, %s, load %.2f s\n", strata_table_get_n_rows (table),
          strata_table_get_n_columns (table), strata_table_get_format (table),
          (g_get_monotonic_time () - start) / 1e6);
  return 0;
}

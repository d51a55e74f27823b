/* strata-memory-check.c: refuse a file too large for the memory there is. */
#include "strata-memory-check.h"
#include "strata-i18n.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <sys/resource.h>

#include "strata-table.h"

/* The value in kB of the line "KEY:  N kB" of the /proc file PATH, in bytes; FALSE when
 * absent. */
static gboolean
read_proc_kb (const char *path, const char *key, guint64 *bytes)
{
  g_autofree char *contents = NULL;
  g_autofree char *prefix = g_strconcat (key, ":", NULL);
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  for (line = contents; line != NULL && *line != '\0'; line = strchr (line, '\n'))
    {
      if (*line == '\n')
        line++;
      if (g_str_has_prefix (line, prefix))
        {
          guint64 kb = g_ascii_strtoull (line + strlen (prefix), NULL, 10);
          *bytes = kb * 1024;
          return TRUE;
        }
    }
  return FALSE;
}

/* The room left under the soft limit RESOURCE, given the process's USAGE_KEY line of
 * /proc/self/status. */
static guint64
room_under_limit (int resource, const char *usage_key)
{
  struct rlimit limit;
  guint64 used = 0;

  if (getrlimit (resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return G_MAXUINT64;
  read_proc_kb ("/proc/self/status", usage_key, &used);
  return (guint64) limit.rlim_cur > used ? (guint64) limit.rlim_cur - used : 0;
}

guint64
strata_memory_available (void)
{
  guint64 available = G_MAXUINT64;
  guint64 system;

  if (read_proc_kb ("/proc/meminfo", "MemAvailable", &system))
    available = system;
  available = MIN (available, room_under_limit (RLIMIT_AS, "VmSize"));
  available = MIN (available, room_under_limit (RLIMIT_DATA, "VmData"));
  return available;
}

#define MIB (1024.0 * 1024.0)
#define TWO_THREADS_FROM (4.0 * 1000 * 1000)

guint64
strata_memory_estimate_import (guint64 size, const char *sample, gsize sample_length)
{
  guint64 commas = 0, semicolons = 0, tabs = 0, breaks = 0;
  guint64 first_line[3] = { 0, 0, 0 };   /* commas, semicolons, tabs of the header */
  guint64 cells, rows, columns;
  double scale, estimate;

  if (sample_length == 0)
    return size;
  for (gsize i = 0; i < sample_length; i++)
    {
      switch (sample[i])
        {
        case ',': commas++; break;
        case ';': semicolons++; break;
        case '\t': tabs++; break;
        case '\n': breaks++; break;
        default: break;
        }
      if (breaks == 0)
        {
          first_line[0] = commas;
          first_line[1] = semicolons;
          first_line[2] = tabs;
        }
    }
  rows = MAX (breaks, 1);
  cells = MAX (MAX (commas, semicolons), tabs) + rows;
  columns = MAX (MAX (first_line[0], first_line[1]), first_line[2]) + 1;
  scale = (double) size / (double) sample_length;
  estimate = (double) size + scale * (8.0 * (double) cells + 32.0 * (double) rows)
             + (8.0 * 1024 + MIN (2.0 * MIB, 16.0 * scale * (double) rows)) * (double) columns
             + ((double) size >= TWO_THREADS_FROM ? 64.0 * MIB : 0.0);
  return estimate >= 1.8e19 ? G_MAXUINT64 : (guint64) estimate;
}

gboolean
strata_memory_check_import (const char *path, int fd, guint64 size, GError **error)
{
  char sample[64 * 1024];
  gssize got;
  guint64 available, needed;

  do
    got = pread (fd, sample, sizeof sample, 0);
  while (got < 0 && errno == EINTR);
  needed = strata_memory_estimate_import (size, sample, got > 0 ? (gsize) got : 0);
  available = strata_memory_available ();
  if (needed <= available)
    return TRUE;

  g_autofree char *size_text = g_format_size (size);
  g_autofree char *needed_text = g_format_size (needed);
  g_autofree char *available_text = g_format_size (available);
  g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO,
               _("%s is %s; reading it needs about %s of memory, more than the %s available; "
                 "close other programs to free memory, or open a smaller file (only the rows "
                 "and columns you need)"), path, size_text, needed_text, available_text);
  return FALSE;
}

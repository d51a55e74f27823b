/* strata-memory-check.h: refuse, up front and in plain words, a file too large for the
 * memory there is, instead of being killed by the kernel half way through reading it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The memory this process can still take, in bytes: the smallest of the system's
 * MemAvailable (/proc/meminfo), the room left under RLIMIT_AS (its soft limit less the
 * process's VmSize) and under RLIMIT_DATA (less VmData). G_MAXUINT64 when none is known
 * (no /proc, no limits). */
guint64 strata_memory_available (void);

/* The memory that importing and analysing a text table of SIZE bytes takes, estimated
 * from SAMPLE (its first SAMPLE_LENGTH bytes): the whole file is held while it is parsed
 * (SIZE); each cell takes up to 8 bytes (a double; a level code takes 4) and each row 32
 * (its line number, and the analysis's time, event and sorted order); each column its
 * first arrays (8 KiB) and, once it holds 128 Ki rows or more, up to 2 MiB of rounding
 * (its arrays are then whole 2 MiB pages) -- never more than 16 bytes a row, so that a
 * file of many columns and few rows (1e5 columns, 5 rows: 36 MB measured) is not
 * refused for pages it never takes; and a file of 4 MB or more,
 * read by two threads, 64 MiB for the second thread's malloc arena (address space, which
 * RLIMIT_AS counts). Cells, rows and columns (fields of the first line) are counted in
 * the sample (delimiters of the likeliest kind, and line breaks) and scaled to SIZE; a
 * sample with no line break counts as one row. The address space strata-report needed
 * (the least RLIMIT_AS that works, less its 73 MiB at start) is below it for files of
 * 30 to 140 MB: 311 MB for 3 one-character columns (estimate 383 MB), 227 MB for 4
 * short numbers (estimate 300 MB), 360 MB for 52 columns of decimals (estimate 406 MB). */
guint64 strata_memory_estimate_import (guint64 size, const char *sample, gsize sample_length);

/* FALSE, with STRATA_IMPORT_ERROR_IO, when importing the text table PATH (open as FD,
 * SIZE bytes) needs more memory than strata_memory_available(), by
 * strata_memory_estimate_import() on its first 64 KiB (read with pread: FD's offset
 * does not move):
 *   "PATH is 2.1 GB; reading it needs about 2.2 GB of memory, more than the 1.1 GB
 *    available; close other programs to free memory, or open a smaller file (only the
 *    rows and columns you need)"
 * Sizes are in g_format_size() units (powers of 1000). */
gboolean strata_memory_check_import (const char *path, int fd, guint64 size, GError **error);

G_END_DECLS

/* strata-cohort-loader.h: imports a cohort file in a worker thread, with progress and
 * cancellation, so that a large file never freezes the window. */
#pragma once

#include <gio/gio.h>
#include "strata-cohort.h"

G_BEGIN_DECLS

#define STRATA_TYPE_COHORT_LOADER (strata_cohort_loader_get_type ())
G_DECLARE_FINAL_TYPE (StrataCohortLoader, strata_cohort_loader, STRATA, COHORT_LOADER, GObject)

StrataCohortLoader *strata_cohort_loader_new (void);

/* Reads FILE (never writing to it), parses it with strata_table_load_data() and
 * prepares the cohort (its default endpoint) in a worker. While it runs,
 * StrataCohortLoader:fraction moves from 0 to 1 as the bytes are read, then is -1
 * while the table is parsed (a pulsing bar). Cancelling CANCELLABLE finishes the
 * operation at once with G_IO_ERROR_CANCELLED; the worker stops at its next check.
 * The finish function also gives (SHA256 may be NULL) the SHA-256 of the bytes read,
 * 64 lowercase hex digits, for reproducible analysis files. */
void strata_cohort_loader_load_async (StrataCohortLoader *self, GFile *file,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
/* The sheet and header row that the next strata_cohort_loader_load_async() reads (once):
 * those recorded in an analysis file. */
void strata_cohort_loader_set_next_sheet (StrataCohortLoader *self, const char *sheet,
                                          guint header_row);
/* The same for SHEET of a workbook (NULL: the first with data) with the header on
 * HEADER_ROW (0: the first row with a value), as strata_table_load_file_options(). A
 * workbook, SPSS, SAS or Stata file is read from its path (FILE must have one); a
 * delimited text file from the bytes read. */
void strata_cohort_loader_load_sheet_async (StrataCohortLoader *self, GFile *file,
                                            const char *sheet, guint header_row,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
StrataCohort *strata_cohort_loader_load_finish (StrataCohortLoader *self, GAsyncResult *result,
                                                char **sha256, GError **error);

/* The progress of the running load: 0..1 while reading, -1 while parsing. */
double strata_cohort_loader_get_fraction (StrataCohortLoader *self);

G_END_DECLS

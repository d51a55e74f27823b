/* strata-xlsx-export.h: the Excel workbook of one analysis, written with libxlsxwriter.
 *
 * Five sheets: Summary (source and checksum, endpoint, toggles, grouping, CI; per group
 * n, events, median, landmark survival and RMST with their CIs; the k-sample, trend and
 * pairwise tests; Cox hazard ratios; the figure), Kaplan–Meier (every group's full table
 * and a native chart of the curves), Responses (the result's response tables, then those
 * of further response analyses on other populations, each with its title, population,
 * counts, %, CIs and tests), Patients and Methods.
 *
 * Every sheet is set up for printing: A4 paper (the ISO size of most journals' and
 * hospitals' printers; Excel lets the reader switch to Letter), landscape where the
 * sheet is wide (Summary, Kaplan–Meier, Responses, Patients), fitted to one page wide
 * (Patients: as many pages wide as keep it at half size or more), its header row
 * repeated on each page, margins of 0.6 in left and right and 0.75 in top and bottom,
 * the sheet and file names in the header and "Page x of y" in the footer.
 *
 * Numbers are stored, not text: formats change only how they are shown. libxlsxwriter
 * writes 16 significant digits (Excel shows 15), so a cell reads back within 1e-15
 * relative of the double the core computed, most of them exactly. (libxlsxwriter 1.1.4
 * offers no runtime way to write 17: its cells are printed with a fixed "%.16G" unless
 * the library itself is built with USE_DTOA_LIBRARY, which Debian's is not.) NaN is
 * written as the text "NA" ("NR" for a median not reached), infinities as "Inf". */
#pragma once

#include <glib.h>
#include "strata-pairwise.h"
#include "strata-result.h"
#include "strata-spec.h"
#include "strata-table.h"

G_BEGIN_DECLS

#define STRATA_XLSX_ERROR (strata_xlsx_error_quark ())
GQuark strata_xlsx_error_quark (void);

/* What can go wrong with the content; the file system's errors (no such folder, no
 * permission, disk full) come in the G_FILE_ERROR domain, from strata-atomic-file.h. */
typedef enum {
  STRATA_XLSX_ERROR_FIGURE,    /* the figure bytes are not a PNG image */
  STRATA_XLSX_ERROR_TOO_LARGE, /* more rows than an Excel sheet holds */
  STRATA_XLSX_ERROR_FAILED,    /* the table does not match the result, or libxlsxwriter
                                * failed (the message says why) */
} StrataXlsxError;

/* A response analysis of another population, shown after the result's own tables: the
 * window's "MRD negativity among patients with detectable marrow disease". */
typedef struct {
  const char *title;            /* the heading of its tables, e.g. "MRD negativity among
                                 * patients with detectable marrow disease"; NULL: the
                                 * response column and level, as for the result's own */
  const StrataResult *result;   /* its analysis: every response table it holds is written,
                                 * under the population its filters (result->where) and
                                 * rows_used give */
} StrataXlsxResponseSection;

/* What the workbook needs besides the result. All members are optional: a zeroed
 * struct (or options = NULL) gives the defaults. Nothing is taken over or kept. */
typedef struct {
  const char *source_path;  /* the analysed file, hashed for Summary (SHA-256);
                             * NULL: result->file */
  GBytes *figure_png;       /* the Kaplan–Meier figure as PNG, embedded on Summary;
                             * NULL: no figure */
  const char *version;      /* Strata's version for Summary and Methods;
                             * NULL: PACKAGE_VERSION */
  StrataTable *table;       /* the imported table RESULT came from, and */
  const StrataSpec *spec;   /* the spec it was computed with: with both, Patients lists
                             * every row with its inclusion, as strata_analysis_row_inclusion()
                             * decides it (the export fails when they do not give RESULT's
                             * filters and rows_used); without either, the excluded rows only */
  StrataPAdjust p_adjust;   /* the adjusted p of the pairwise table (default Holm) */
  const char *validated_against; /* Methods: NULL: "R survival 3.5.3" */
  const char *time_unit;    /* Methods, e.g. "months"; NULL: guessed from the time
                             * column's name ("os_months"), else none */
  const StrataXlsxResponseSection *extra_responses; /* N_EXTRA_RESPONSES further response
                             * analyses for Responses and Methods; NULL when none */
  guint n_extra_responses;
} StrataXlsxOptions;

/* Writes the workbook of RESULT to PATH, replacing PATH atomically with
 * strata_atomic_file_replace(): a failure leaves an existing PATH untouched and no
 * temporary file behind. OPTIONS may be NULL. Returns FALSE with ERROR set, in plain
 * words that start "Could not save “PATH”: ", on failure. Safe to call from a worker
 * thread (it switches only the calling thread to the C locale, as libxlsxwriter prints
 * numbers with snprintf). Never prints itself; libxlsxwriter writes a line to stderr
 * when its final write fails. */
gboolean strata_xlsx_export (const StrataResult *result, const StrataXlsxOptions *options,
                             const char *path, GError **error);

/* The Methods paragraph of RESULT under OPTIONS (may be NULL): estimator, variance,
 * CI transform and level, the tests and models shown, software and version. Free with
 * g_free(). */
char *strata_xlsx_methods_text (const StrataResult *result, const StrataXlsxOptions *options);

G_END_DECLS

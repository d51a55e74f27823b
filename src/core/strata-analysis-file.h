/* strata-analysis-file.h: reproducible analysis files (".strata").
 *
 * A small JSON document that names the analysed file (its path and SHA-256), the import
 * mapping (time and event columns, the values that mean event, the competing-risks
 * status column), every field of the StrataSpec (groupings, filters, order, reference,
 * CI type and level, landmark times, response tables) and the view options of the
 * front end that saved it (a free-form JSON object: the GUI keeps its toggles, bands,
 * risk table, palette... there; strata-report ignores it). Loading it back gives the
 * same StrataSpec, so that `strata-report --analysis=FILE.strata` and the GUI compute
 * the same numbers. The file is written atomically (strata_atomic_file_replace()).
 *
 * The format (version 1), every member but "format" and "version" optional:
 *   {
 *     "format": "strata-analysis", "version": 1, "created_by": "Strata 0.1.0",
 *     "source": { "path": "/abs/cohort.csv", "sha256": "<64 hex digits>", "size": 1234,
 *                 "sheet": "Cohort", "header_row": 2 },
 *     "import": { "time_column": "os_months", "event_column": "os_status",
 *                 "event_values": ["1"] | null, "status_column": null,
 *                 "time_from": "infusion_date", "time_to": "death_date",
 *                 "last_contact": "last_contact", "time_unit": "months",
 *                 "date_orders": { "infusion_date": "day-first" },
 *                 "roles": { ...free-form, the GUI's import assistant... } },
 *     "analysis": {
 *       "by": [ { "text": "bm_blasts_pct>=5", "column": "bm_blasts_pct", "cut": true,
 *                 "threshold": 5, "threshold_text": "5" } ],
 *       "where": [ { "text": "disease_site=BM,EMD", "column": "disease_site",
 *                    "values": ["BM", "EMD"] },
 *                  { "text": "bm_blasts_pct>=5", "column": "bm_blasts_pct",
 *                    "op": ">=", "threshold": 5 } ],
 *       "order": ["BM", "EMD"] | null, "reference": "BM" | null,
 *       "conf_type": "log-log", "conf_level": 0.95, "landmarks": [12, 24],
 *       "responses": [ { "column": "mrd_day28", "success": "negative" } ] },
 *     "view": { ...free-form... }
 *   }
 * Filters and groupings are stored with their parts, so that values holding commas
 * survive; numbers are written with 17 significant digits (exact round trip).
 *
 * No GTK: used by the GUI and by strata-report. Thread-safe (no global state). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "strata-spec.h"

G_BEGIN_DECLS

#define STRATA_ANALYSIS_FILE_EXTENSION "strata"
#define STRATA_ANALYSIS_FILE_MIME_TYPE "application/x-strata-analysis"
#define STRATA_ANALYSIS_FILE_VERSION 1

#define STRATA_ANALYSIS_FILE_ERROR (strata_analysis_file_error_quark ())
GQuark strata_analysis_file_error_quark (void);

typedef enum {
  STRATA_ANALYSIS_FILE_ERROR_INVALID,   /* not JSON, not a .strata file, or a member of the
                                         * wrong type or value (the message names it) */
  STRATA_ANALYSIS_FILE_ERROR_VERSION,   /* written by a newer Strata (format version > 1) */
} StrataAnalysisFileError;

/* How the analysed file compares with what the .strata file recorded. Not an error:
 * the analysis can still be run, but its numbers may differ from those saved. */
typedef enum {
  STRATA_SOURCE_NOT_CHECKED,  /* strata_analysis_file_load() was asked not to check, or
                               * no checksum was recorded */
  STRATA_SOURCE_UNCHANGED,    /* the SHA-256 matches */
  STRATA_SOURCE_CHANGED,      /* the file is there but its SHA-256 differs */
  STRATA_SOURCE_MISSING,      /* no file at the recorded path (nor beside the .strata) */
  STRATA_SOURCE_UNREADABLE,   /* the file exists but could not be read */
} StrataSourceStatus;

typedef struct {
  /* the analysed file */
  char *source_path;     /* absolute; after loading, where the file was found (see below) */
  char *source_sha256;   /* 64 lowercase hex digits; NULL = computed by _save() */
  gint64 source_size;    /* bytes; -1 = unknown (computed by _save() with the checksum) */
  char *sheet;           /* the sheet of a workbook; NULL = the first with data */
  guint header_row;      /* the header's row, from 1; 0 = the first row with a value */

  /* the import mapping and the analysis: time_column, event_column, event_values and
   * status_column are the import mapping, the other fields the analysis */
  StrataSpec *spec;

  JsonObject *import_roles;   /* free-form column roles of the import (may be NULL) */
  JsonObject *view;           /* free-form view options (may be NULL when saving; never
                               * NULL after loading: an empty object when absent) */
  char *created_by;           /* "Strata 0.1.0"; NULL = unknown */

  /* set by strata_analysis_file_load() */
  StrataSourceStatus source_status;
  char *source_message;       /* plain words for the status, NULL when UNCHANGED or
                               * NOT_CHECKED: e.g. "“cohort.csv” has changed since the
                               * analysis was saved (its SHA-256 differs): the numbers
                               * may differ from those saved." */
  char *recorded_path;        /* the path as recorded, when the file was found elsewhere
                               * (beside the .strata file); else NULL */
} StrataAnalysisFile;

/* A new analysis file record for SOURCE_PATH (made absolute) and a copy of SPEC (NULL:
 * a default spec). Checksum, size and view are unset. */
StrataAnalysisFile *strata_analysis_file_new (const char *source_path, const StrataSpec *spec);
void strata_analysis_file_free (StrataAnalysisFile *file);

/* Sets FILE's view options (or import roles) to a reference on OBJECT (NULL: none). */
void strata_analysis_file_set_view (StrataAnalysisFile *file, JsonObject *object);
void strata_analysis_file_set_import_roles (StrataAnalysisFile *file, JsonObject *object);

/* The SHA-256 of the file at PATH, read in blocks (any size), as 64 lowercase hex
 * digits; SIZE (may be NULL) gets its length in bytes. NULL with ERROR set (G_IO_ERROR,
 * the message names PATH) when it cannot be read or CANCELLABLE is cancelled. */
char *strata_file_sha256 (const char *path, gint64 *size, GCancellable *cancellable,
                          GError **error);

/* FILE as JSON text (UTF-8, pretty-printed, ending with a newline). Free with g_free(). */
char *strata_analysis_file_to_data (const StrataAnalysisFile *file);

/* Writes FILE to PATH (replacing it atomically). When FILE->source_sha256 is NULL the
 * source file is hashed first (it must be readable). FALSE with ERROR set, in plain
 * words naming PATH (or the source file), on failure; PATH is then left as it was. */
gboolean strata_analysis_file_save (const StrataAnalysisFile *file, const char *path,
                                    GCancellable *cancellable, GError **error);

/* Parses the JSON text DATA (LENGTH bytes, -1 = NUL-terminated) of an analysis file;
 * DISPLAY_NAME names it in messages. The source is not checked (NOT_CHECKED); a
 * relative source path stays relative. NULL with ERROR set (STRATA_ANALYSIS_FILE_ERROR)
 * when the text is not a valid analysis file: the message names the file and the
 * problem, e.g. "“a.strata”: “analysis.conf_level” must be a number between 0 and 1". */
StrataAnalysisFile *strata_analysis_file_load_data (const char *display_name, const char *data,
                                                    gssize length, GError **error);

/* Reads the analysis file PATH. With CHECK_SOURCE, looks for the source file (at its
 * recorded path, else under the same name in the folder of PATH, for a pair of files
 * moved together) and compares its SHA-256 with the recorded one, setting
 * source_status, source_message and, when found elsewhere, source_path and
 * recorded_path. A changed or missing source is not an error. NULL with ERROR set
 * (G_FILE_ERROR when PATH cannot be read, STRATA_ANALYSIS_FILE_ERROR when malformed,
 * G_IO_ERROR_CANCELLED) otherwise. Reads the whole source file when checking: call it
 * from a worker thread in a GUI. Without CHECK_SOURCE only a relative source path is
 * resolved (against PATH's folder); source_status stays NOT_CHECKED. */
StrataAnalysisFile *strata_analysis_file_load (const char *path, gboolean check_source,
                                               GCancellable *cancellable, GError **error);

/* Compares FILE's recorded checksum with the file at FILE->source_path now, setting
 * source_status and source_message as strata_analysis_file_load() does (without the
 * look beside the .strata file). Returns the new status. */
StrataSourceStatus strata_analysis_file_check_source (StrataAnalysisFile *file,
                                                      GCancellable *cancellable);

/* The two halves of the check, for a front end that reads the source anyway (the GUI
 * hashes the bytes it imports):
 * _locate_source() resolves a relative source path against ANALYSIS_PATH's folder and,
 * when nothing is at the recorded path, looks beside ANALYSIS_PATH (setting
 * source_path and recorded_path); FALSE, with source_status MISSING and its message,
 * when the file is nowhere. ANALYSIS_PATH may be NULL (no look beside).
 * _compare_checksum() sets source_status and source_message from SHA256, the SHA-256
 * (hex) of the source as read now (NULL: NOT_CHECKED), and returns the status. */
gboolean strata_analysis_file_locate_source (StrataAnalysisFile *file, const char *analysis_path);
StrataSourceStatus strata_analysis_file_compare_checksum (StrataAnalysisFile *file,
                                                          const char *sha256);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataAnalysisFile, strata_analysis_file_free)

G_END_DECLS

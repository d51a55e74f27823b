/* strata-table.h: the columnar store a cohort file is imported into.
 *
 * One StrataTable holds one imported file: numeric columns as double arrays
 * (NaN = missing), categorical and text columns as 32-bit codes into a level
 * table (STRATA_MISSING_CODE = missing). There are no per-cell heap strings.
 * A table is immutable after import and reference counted.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define STRATA_MISSING_CODE G_MAXUINT32

#define STRATA_IMPORT_ERROR (strata_import_error_quark ())
GQuark strata_import_error_quark (void);

typedef enum {
  STRATA_IMPORT_ERROR_IO,        /* cannot open or read the file (message names it) */
  STRATA_IMPORT_ERROR_EMPTY,     /* no bytes, or no header line, or a header but no rows */
  STRATA_IMPORT_ERROR_BINARY,    /* NUL bytes or other signs of a non-text file */
  STRATA_IMPORT_ERROR_ENCODING,  /* neither valid UTF-8 nor convertible Windows-1252 */
  STRATA_IMPORT_ERROR_SYNTAX,    /* e.g. a quoted field never closed; names line and column */
} StrataImportError;

typedef enum {
  STRATA_COLUMN_NUMERIC,      /* every non-missing cell parsed as a number */
  STRATA_COLUMN_CATEGORICAL,  /* few distinct levels (a grouping or response) */
  STRATA_COLUMN_TEXT,         /* many distinct values (identifiers, free text) */
} StrataColumnType;

typedef struct {
  char *name;              /* header name, UTF-8 */
  StrataColumnType type;
  double *values;          /* NUMERIC only: n_rows values, NaN = missing; else NULL */
  guint32 *codes;          /* CATEGORICAL/TEXT only: n_rows codes into levels; else NULL */
  GPtrArray *levels;       /* CATEGORICAL/TEXT only: char*, in order of first appearance */
} StrataColumn;

/* A row that import or analysis leaves out, with where and why. */
typedef struct {
  guint line;              /* 1-based physical line where the record starts */
  char *column;            /* column name at fault, or NULL when the whole row is at fault */
  char *reason;            /* plain-words reason, UTF-8 */
} StrataIssue;

StrataIssue *strata_issue_new (guint line, const char *column, const char *reason);
void strata_issue_free (StrataIssue *issue);

typedef struct _StrataTable StrataTable;

/* Reads PATH read-only (never modifies it). Recognises UTF-8 (with or without BOM)
 * and Windows-1252, sniffs the delimiter (comma, semicolon, tab), accepts RFC 4180
 * quoting, CRLF or LF, the decimal comma in semicolon files; "", NA, N/A, ".", "-"
 * are missing. Returns NULL and sets ERROR when the file cannot be read as a table. */
StrataTable *strata_table_load_file (const char *path, GError **error);

/* Same as strata_table_load_file() on bytes in memory; DISPLAY_NAME is used in messages. */
StrataTable *strata_table_load_data (const char *display_name, const char *data, gsize length,
                                     GError **error);

StrataTable *strata_table_ref (StrataTable *table);
void strata_table_unref (StrataTable *table);

guint strata_table_get_n_rows (const StrataTable *table);
guint strata_table_get_n_columns (const StrataTable *table);
const StrataColumn *strata_table_get_column (const StrataTable *table, guint index);
/* Exact, case-sensitive match on the header name; NULL when absent. */
const StrataColumn *strata_table_find_column (const StrataTable *table, const char *name);
/* n_rows source line numbers (1-based line where each record starts). */
const guint *strata_table_get_lines (const StrataTable *table);

const char *strata_table_get_display_name (const StrataTable *table);
/* "UTF-8", "UTF-8 with BOM" or "Windows-1252 (converted to UTF-8)" */
const char *strata_table_get_encoding (const StrataTable *table);
char strata_table_get_delimiter (const StrataTable *table);
gboolean strata_table_get_decimal_comma (const StrataTable *table);
/* Records import could not take (ragged rows...), StrataIssue*, in line order. */
GPtrArray *strata_table_get_rejected (const StrataTable *table);
/* Plain-words notes about the import (renamed headers, encoding converted...), char*. */
GPtrArray *strata_table_get_warnings (const StrataTable *table);

/* Parses TEXT as a number with the table's decimal convention; FALSE if it is not one. */
gboolean strata_table_parse_number (const StrataTable *table, const char *text, double *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataTable, strata_table_unref)

G_END_DECLS

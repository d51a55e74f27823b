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
  STRATA_IMPORT_ERROR_ENCRYPTED, /* a password-protected workbook or data file */
  STRATA_IMPORT_ERROR_CORRUPT,   /* a workbook or data file that is damaged or truncated */
  STRATA_IMPORT_ERROR_NO_SHEET,  /* the sheet asked for is not in the workbook */
  STRATA_IMPORT_ERROR_UNSUPPORTED, /* a known format Strata cannot read (.xls, .ods in a .zip...) */
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
 * are missing. Returns NULL and sets ERROR when the file cannot be read as a table.
 *
 * The rules in detail:
 * - Encoding: UTF-8, with or without a byte order mark; UTF-16 with a byte order mark
 *   (converted, see strata_table_get_encoding()); otherwise Windows-1252, converted to
 *   UTF-8 with a warning. A UTF-8 BOM followed by invalid UTF-8, or a byte Windows-1252
 *   leaves undefined (0x81 0x8D 0x8F 0x90 0x9D), is STRATA_IMPORT_ERROR_ENCODING.
 * - Binary: a NUL byte anywhere, or more than 5 % control bytes in the first 64 KiB,
 *   is STRATA_IMPORT_ERROR_BINARY: "FILE does not look like a text table (binary data
 *   at byte N); export it as CSV", N counting from 1.
 * - Records: end at LF, CRLF or a lone CR; the last line needs none. A field whose first
 *   non-space character is '"' is quoted: "" is one quote, and delimiters and line
 *   breaks inside are kept; a '"' inside an unquoted field is an ordinary character.
 *   Spaces (and tabs) around unquoted fields and around quotes are dropped. A quote
 *   never closed is STRATA_IMPORT_ERROR_SYNTAX: "FILE: line L, column C: quoted field
 *   is never closed", L the line where the quote opened, C its field number (from 1).
 * - Delimiter: comma, semicolon or tab, whichever splits the header into more than one
 *   field and the next 20 lines into as many (delimiters inside quotes do not count);
 *   if several do, the one giving the header the most fields. With none, the file is
 *   one column, and its delimiter the one that splits the fewest lines (comma first,
 *   then semicolon: in a one-column file "1,5" is 1.5 when no line has a semicolon).
 * - Header: the first non-blank line. Names are trimmed; an empty name becomes
 *   "column_N" (N its position from 1) and a repeated one "NAME_2", "NAME_3"... with a
 *   warning each.
 * - Rows: a record with more or fewer fields than the header is not stored but listed
 *   in strata_table_get_rejected(), unless its extra fields are all empty (a trailing
 *   delimiter). Blank lines are skipped; those before the last record are noted in a
 *   warning. No rows at all is STRATA_IMPORT_ERROR_EMPTY.
 * - Missing: after trimming, "", "NA", "na", "N/A", "n/a", "NaN", "." and "-", quoted
 *   or not. Other spellings ("nan", "NULL", "missing") are values.
 * - Numbers: see strata_table_parse_number(). In semicolon files "1,5" is 1.5 (and
 *   "1.5" stays 1.5); in comma and tab files a comma is never a decimal separator.
 * - Types: NUMERIC when every non-missing cell is a number (a column with no values at
 *   all is NUMERIC, all NaN, with a warning); else CATEGORICAL when it has at most 50
 *   distinct values and either at most 12 or each used twice on average (2 x levels
 *   <= non-missing cells); else TEXT. Levels keep their text exactly as in the file
 *   ("1.50" stays "1.50") in order of first appearance.
 * Files of 4 MB or more are read by two threads when two processors are available. */
StrataTable *strata_table_load_file (const char *path, GError **error);

/* Same as strata_table_load_file() for a workbook (.xlsx, .ods), reading the sheet named
 * SHEET (exact match; NULL: the first sheet with data). Other formats ignore SHEET.
 *
 * The format comes from the content, never the extension: a zip holding xl/workbook.xml
 * is an Excel workbook, one whose "mimetype" is
 * application/vnd.oasis.opendocument.spreadsheet an OpenDocument spreadsheet; "$FL2" or
 * "$FL3" starts an SPSS .sav/.zsav, "<stata_dta>" or the bytes 114, 115 (old binary
 * .dta) a Stata file, the SAS7BDAT magic number a SAS data set and "HEADER RECORD*******
 * LIBRARY HEADER RECORD" a SAS transport (.xpt) file; an OLE2 compound file
 * (D0 CF 11 E0) is a password-protected workbook or an old .xls and gets a plain
 * STRATA_IMPORT_ERROR_ENCRYPTED or _UNSUPPORTED message; anything else is read as CSV.
 * See strata-spreadsheet.h and strata-stat-file.h for how cells become columns. */
StrataTable *strata_table_load_file_sheet (const char *path, const char *sheet,
                                           GError **error);

/* strata_table_load_file_sheet() with the header on HEADER_ROW (1-based sheet row;
 * 0 = the first row with a value, as before). Rows above the header are ignored.
 * For CSV/TSV, HEADER_ROW is the 1-based line of the header (0 = the first non-blank
 * line); the delimiter is sniffed from that line on, and the line must start a record
 * (not lie inside a multi-line quoted field) and not be blank. SPSS, SAS and Stata files
 * ignore HEADER_ROW. A header row past the last row (line) with a value, or an empty
 * one, is STRATA_IMPORT_ERROR_EMPTY with a message naming the sheet and the row.
 * With SHEET NULL and HEADER_ROW not 0, the sheet is the first with a value in any
 * cell. */
StrataTable *strata_table_load_file_options (const char *path, const char *sheet,
                                             guint header_row, GError **error);

/* The sheet names of a workbook (.xlsx, .ods) in workbook order, as char* (free with
 * g_ptr_array_unref); for other formats an empty array. NULL with ERROR when the file
 * cannot be read (missing, damaged zip, password-protected or old .xls workbook). */
GPtrArray *strata_table_list_sheets (const char *path, GError **error);

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
/* "UTF-8", "UTF-8 with BOM" or "Windows-1252 (converted to UTF-8)"; also
 * "UTF-16LE (converted to UTF-8)" or "UTF-16BE (converted to UTF-8)" for a file that
 * starts with a UTF-16 byte order mark. */
const char *strata_table_get_encoding (const StrataTable *table);
char strata_table_get_delimiter (const StrataTable *table);
gboolean strata_table_get_decimal_comma (const StrataTable *table);
/* Records import could not take (ragged rows...), StrataIssue*, in line order.
 * Owned by the table. */
GPtrArray *strata_table_get_rejected (const StrataTable *table);
/* Plain-words notes about the import (renamed headers, encoding converted...), char*.
 * Owned by the table. The level strings of the columns are owned by the table too. */
GPtrArray *strata_table_get_warnings (const StrataTable *table);
/* The column's description (an SPSS, SAS or Stata variable label), or NULL. */
const char *strata_table_get_column_description (const StrataTable *table, guint index);
/* What the file was read as: "CSV", "Excel workbook", "OpenDocument spreadsheet",
 * "SPSS data file", "SAS data set", "SAS transport file" or "Stata data file". */
const char *strata_table_get_format (const StrataTable *table);

/* Parses TEXT as a number with the table's decimal convention; FALSE if it is not one.
 * A number is an optional sign, digits with at most one decimal separator, and an
 * optional exponent (1e5, 2.5E-3); spaces around it are ignored. The separator is '.',
 * and in a semicolon-delimited table ',' as well (TABLE may be NULL: '.' only). "Inf",
 * "NaN", hexadecimal, thousands separators and numbers too large for a double (1e309)
 * are not numbers. The value is the correctly rounded double. */
gboolean strata_table_parse_number (const StrataTable *table, const char *text, double *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataTable, strata_table_unref)

G_END_DECLS

/* strata-spreadsheet.h: workbook importers (.xlsx, .ods) into a StrataTable.
 * Internal to src/core: strata_table_load_file_sheet() picks the importer.
 *
 * How a sheet becomes a table (both formats):
 * - Sheet: SHEET by exact name, else the first sheet that has a value in any cell
 *   (hidden sheets included) and, when HEADER_ROW is 0, a data row. A missing name is STRATA_IMPORT_ERROR_NO_SHEET, listing
 *   the sheets.
 * - Header: the first row with a value, or row HEADER_ROW (1-based) when it is not 0;
 *   rows above it are then ignored. A HEADER_ROW with no value in it, or past the
 *   sheet's last row with a value, is STRATA_IMPORT_ERROR_EMPTY naming the sheet and
 *   the row. A header cell merged over several columns
 *   names each of them ("Arm", "Arm_2"..., with the CSV warning). Columns span from
 *   the first to the last column with a value in the header or any row below; columns
 *   with neither a header nor a value are dropped, others without a header are
 *   column_N as in CSV.
 * - Rows: each non-empty row after the header; line numbers are the sheet's row
 *   numbers (1-based). Empty rows are skipped, with a warning when data follows them.
 *   Repeated rows in .ods (number-rows-repeated) are expanded, except empty ones.
 * - Cells: numbers stay numbers; text, shared and inline strings are text and go
 *   through the CSV rules (trimmed, "NA"... missing, "12" a number); booleans are the
 *   levels "TRUE"/"FALSE"; error cells (#N/A, #DIV/0!) are missing, with a warning;
 *   formulas give their cached value (none saved: missing, with a warning).
 * - Dates: a number whose cell format is a date (.xlsx: built-in formats 14-22, 27-36,
 *   45-47, 50-58, or a custom format with d or y outside quotes and brackets; .ods:
 *   value-type date) becomes ISO text, "2024-03-15" or "2024-03-15T08:30:00", from the
 *   workbook's 1900 or 1904 date system; so a date column is a level column of ISO
 *   dates that strata-date.h reads. A time without a date (.xlsx: a time-only format;
 *   .ods: value-type time) stays a number (fraction of a day / ISO duration in hours).
 */
#pragma once

#include "strata-table.h"

G_BEGIN_DECLS

StrataTable *strata_xlsx_import (const char *path, const char *display_name,
                                 const char *sheet, guint header_row, GError **error);
StrataTable *strata_ods_import (const char *path, const char *display_name,
                                const char *sheet, guint header_row, GError **error);

/* The sheet names in workbook order (char*); NULL with ERROR. */
GPtrArray *strata_xlsx_list_sheets (const char *path, const char *display_name,
                                    GError **error);
GPtrArray *strata_ods_list_sheets (const char *path, const char *display_name,
                                   GError **error);

G_END_DECLS

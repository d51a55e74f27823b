/* strata-table-builder.h: fills a StrataTable cell by cell, for the importers of
 * formats that are not text tables (workbooks, SPSS/SAS/Stata files). Internal to
 * src/core.
 *
 * Rows are added in order: strata_table_builder_begin_row(), then any of its cells in
 * any column order, then strata_table_builder_end_row(). A cell never added is missing.
 * Columns are created on demand (a new column is missing in the earlier rows).
 *
 * Types are inferred as in CSV import (see strata_table_load_file()): a column stays
 * NUMERIC while every cell is a number (added as one, or as text that
 * strata_number_parse() reads with '.' as the separator) or missing; at its first other
 * cell it becomes a level column, and its earlier numbers become level text in their
 * shortest round-trip form (1.5, 12, 1e-07). Text cells are trimmed, and the CSV
 * spellings of missing ("", NA, N/A, ".", "-"...) are missing. Level columns are
 * CATEGORICAL or TEXT by the CSV rule.
 */
#pragma once

#include "strata-table.h"

G_BEGIN_DECLS

typedef struct _StrataTableBuilder StrataTableBuilder;

/* FORMAT is a static string, see strata_table_get_format(). */
StrataTableBuilder *strata_table_builder_new (const char *display_name, const char *format);
void strata_table_builder_free (StrataTableBuilder *builder);

guint strata_table_builder_get_n_columns (const StrataTableBuilder *builder);
guint strata_table_builder_get_n_rows (const StrataTableBuilder *builder);

/* The header name of COLUMN (from 0; creates the column): trimmed, copied. */
void strata_table_builder_set_name (StrataTableBuilder *builder, guint column,
                                    const char *name);
/* The header name of COLUMN, or NULL when none was set or the column does not exist. */
const char *strata_table_builder_get_name (const StrataTableBuilder *builder, guint column);
void strata_table_builder_set_description (StrataTableBuilder *builder, guint column,
                                           const char *description);

/* Starts a row whose source line (sheet row, record number) is LINE. FALSE with ERROR
 * set when the table cannot take more rows. */
gboolean strata_table_builder_begin_row (StrataTableBuilder *builder, guint line,
                                         GError **error);
/* A cell of the current row given as text (LENGTH -1: NUL-terminated). */
void strata_table_builder_add_text (StrataTableBuilder *builder, guint column,
                                    const char *text, gssize length);
/* A cell that is a level whatever it looks like (a value label, a date as text). */
void strata_table_builder_add_level (StrataTableBuilder *builder, guint column,
                                     const char *text, gssize length);
/* A numeric cell; NaN is missing. */
void strata_table_builder_add_number (StrataTableBuilder *builder, guint column,
                                      double value);
void strata_table_builder_end_row (StrataTableBuilder *builder);

/* A row left out, kept in strata_table_get_rejected(). */
void strata_table_builder_reject (StrataTableBuilder *builder, guint line,
                                  const char *column, const char *reason);
void strata_table_builder_add_warning (StrataTableBuilder *builder, const char *format, ...)
  G_GNUC_PRINTF (2, 3);

/* The table; the builder is left empty (free it). Columns with no name and no value are
 * dropped when DROP_EMPTY_UNNAMED (empty spreadsheet columns); other unnamed columns
 * are named column_N as in CSV. No rows is STRATA_IMPORT_ERROR_EMPTY. */
StrataTable *strata_table_builder_finish (StrataTableBuilder *builder,
                                          gboolean drop_empty_unnamed, GError **error);

/* The shortest text that reads back as VALUE ("12", "1.5", "1e-07"); BUFFER of 32. */
const char *strata_table_format_number (double value, char buffer[32]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataTableBuilder, strata_table_builder_free)

G_END_DECLS

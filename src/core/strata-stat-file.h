/* strata-stat-file.h: SPSS, SAS and Stata data files into a StrataTable, through
 * ReadStat. Internal to src/core: strata_table_load_file_sheet() picks the format.
 *
 * - Columns are the variables in file order, named by their variable names; a
 *   variable label becomes the column description (strata_table_get_column_description).
 * - A numeric variable with value labels becomes a level column of its labels
 *   (1 -> "CNS"); a value without a label keeps its number as text ("7").
 * - Missing: system missing, Stata/SAS special missing (.a-.z, ._) and SPSS user-defined
 *   missing values are missing.
 * - Dates: variables whose display format is a date (SPSS DATE, ADATE, EDATE, SDATE,
 *   JDATE... seconds since 1582-10-14; SAS DATE, MMDDYY, DDMMYY, YYMMDD, E8601DA...
 *   days since 1960-01-01, DATETIME seconds; Stata %td days, %tc/%tC milliseconds
 *   since 1960-01-01) become ISO text, as workbook dates (see strata-date.h).
 * - String variables go through the CSV cell rules (trimmed, "NA" missing, "12" a
 *   number). Line numbers are record numbers (1-based).
 */
#pragma once

#include "strata-table.h"

G_BEGIN_DECLS

typedef enum {
  STRATA_STAT_FORMAT_SPSS,      /* .sav, .zsav */
  STRATA_STAT_FORMAT_STATA,     /* .dta */
  STRATA_STAT_FORMAT_SAS7BDAT,  /* .sas7bdat */
  STRATA_STAT_FORMAT_XPORT,     /* .xpt (SAS transport v5/v8) */
} StrataStatFormat;

StrataTable *strata_stat_file_import (const char *path, const char *display_name,
                                      StrataStatFormat format, GError **error);

G_END_DECLS

/* strata-date.h: calendar dates in table cells, and times to event derived from a start
 * and an end date column.
 *
 * A date is a day number: days since 1970-01-01 in the proleptic Gregorian calendar,
 * as a double whose fraction is the time of day. Importers write date cells as ISO
 * text ("2024-03-15", or "2024-03-15T08:30:00" when there is a time of day), so a
 * date column is a level column of ISO dates whatever the file format was.
 */
#pragma once

#include "strata-table.h"

G_BEGIN_DECLS

#define STRATA_DATE_ERROR (strata_date_error_quark ())
GQuark strata_date_error_quark (void);

typedef enum {
  STRATA_DATE_ERROR_NO_COLUMN,   /* no column of that name */
  STRATA_DATE_ERROR_AMBIGUOUS,   /* d/m/y or m/d/y cannot be told apart: ask the user */
  STRATA_DATE_ERROR_MIXED,       /* the column has both 25/03/2024 and 03/25/2024 */
  STRATA_DATE_ERROR_NOT_DATES,   /* a value is not a date; names it and its line */
} StrataDateError;

typedef enum {
  STRATA_DATE_ORDER_AUTO,        /* from the values; AMBIGUOUS when they allow both */
  STRATA_DATE_ORDER_DAY_FIRST,   /* 15/03/2024 */
  STRATA_DATE_ORDER_MONTH_FIRST, /* 03/15/2024 */
} StrataDateOrder;

typedef enum {
  STRATA_TIME_UNIT_DAYS,
  STRATA_TIME_UNIT_WEEKS,        /* days / 7 */
  STRATA_TIME_UNIT_MONTHS,       /* days / 30.4375 (365.25 / 12) */
  STRATA_TIME_UNIT_YEARS,        /* days / 365.25 */
} StrataTimeUnit;

/* "auto", "day-first" or "month-first" (from_string also takes "dmy" and "mdy"). */
gboolean strata_date_order_from_string (const char *text, StrataDateOrder *order);
const char *strata_date_order_to_string (StrataDateOrder order);

/* The day number of Y-M-D; FALSE when there is no such day (2023-02-29). */
gboolean strata_date_from_ymd (int year, int month, int day, double *days);
/* The calendar date of the day number floor (DAYS). */
void strata_date_to_ymd (double days, int *year, int *month, int *day);

/* An Excel serial date: in the 1900 system (DATE1904 FALSE) serial 1 is 1900-01-01 and
 * Excel counts a 1900-02-29 that never was (serial 60: FALSE); serials 1 to 59 are
 * therefore one day later than the count from 1899-12-30 that holds from 61 on. In the
 * 1904 system serial 0 is 1904-01-01. Serials below 0 (1900: below 1) are FALSE. */
gboolean strata_date_from_excel_serial (double serial, gboolean date1904, double *days);

/* "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS" when DAYS has a time of day (to the second). */
const char *strata_date_format_iso (double days, char buffer[32]);

/* Parses TEXT: ISO "2024-03-15" (optionally followed by "T" or " " and HH:MM[:SS]),
 * "15/03/2024" or "03/15/2024" by ORDER (also with '-' or '.' separators; a '.' is
 * always day first), two-digit years not accepted. AUTO reads a slash date only when
 * it is unambiguous (a field above 12). FALSE when TEXT is not a date. */
gboolean strata_date_parse (const char *text, StrataDateOrder order, double *days);

/* STRATA_TIME_UNIT_* from "days", "weeks", "months" or "years"; FALSE otherwise. */
gboolean strata_time_unit_from_string (const char *text, StrataTimeUnit *unit);
const char *strata_time_unit_to_string (StrataTimeUnit unit);

/* How a column's dates are read, decided from all its values: NUMERIC columns are Excel
 * serials (1900 system unless DATE1904); level columns are ISO or day-month-year text.
 * With ORDER AUTO, a day-month order is DAY_FIRST if some first field is above 12,
 * MONTH_FIRST if some second field is, STRATA_DATE_ERROR_MIXED if both, and
 * STRATA_DATE_ERROR_AMBIGUOUS (naming the column and an example value) if neither, so
 * that the caller can ask and pass the order. */
typedef struct {
  StrataDateOrder order;
  gboolean date1904;
  /* Column name → StrataDateOrder (GINT_TO_POINTER): the order the user chose for that
   * column, replacing ORDER for it (the answer to STRATA_DATE_ERROR_AMBIGUOUS). May be
   * NULL. */
  GHashTable *column_orders;
} StrataDateOptions;

/* Reads column NAME of TABLE as n_rows day numbers (NaN where missing). Values that are
 * not dates are STRATA_DATE_ERROR_NOT_DATES, naming the column, the value and its line.
 * *ORDER_USED (may be NULL) gets the order decided. */
double *strata_date_column_read (const StrataTable *table, const char *name,
                                 const StrataDateOptions *options,
                                 StrataDateOrder *order_used, GError **error);

/* Derives a time to event from START and END date columns:
 *   time = (end - start) in days, / 7 (weeks), / 30.4375 (months), / 365.25 (years).
 * Inputs: TABLE, the two column names, the UNIT, OPTIONS (NULL: AUTO, 1900 system).
 * Output: n_rows values (g_free), NaN where either date is missing or the end is
 * before the start; each row with an end before its start is added to ISSUES (may be
 * NULL; StrataIssue*: its line, column END, a reason giving both dates). A missing date
 * gets no issue: it is a missing time, left to the analysis. Returns NULL with ERROR
 * when a column is absent, not dates, or ambiguous (see strata_date_column_read()). */
double *strata_date_derive_time (const StrataTable *table, const char *start,
                                 const char *end, StrataTimeUnit unit,
                                 const StrataDateOptions *options, GPtrArray *issues,
                                 GError **error);

/* Derives a time to event and an event flag from dates (a follow-up):
 *   end   = END when the row has it, else LAST_CONTACT;
 *   time  = (end - start) in days, / 7 (weeks), / 30.4375 (months), / 365.25 (years);
 *   event = 1 when END is present, 0 (censored at last contact) when it is not.
 * Inputs: TABLE, the START and END (event date) columns, LAST_CONTACT (a column of
 *   last-contact dates, or NULL: then a row without END has no end), UNIT, OPTIONS
 *   (NULL: AUTO, 1900 system).
 * Outputs: *TIME and *EVENT, n_rows values each (g_free); TIME is NaN for each row left
 *   out, and each such row is added to ISSUES (may be NULL; StrataIssue*) with its line,
 *   the column at fault and the reason: the start date missing, no end date (with
 *   LAST_CONTACT NULL: "the start or the end date is missing"), or an end before the
 *   start (giving both dates).
 * FALSE with ERROR when a column is absent, not dates, or ambiguous (see
 * strata_date_column_read()). */
gboolean strata_date_derive_follow_up (const StrataTable *table, const char *start,
                                       const char *end, const char *last_contact,
                                       StrataTimeUnit unit, const StrataDateOptions *options,
                                       double **time, double **event, GPtrArray *issues,
                                       GError **error);

/* An event flag from an event date column: 1 where EVENT_DATE is present, 0 where it is
 * missing (n_rows values, g_free). NULL with ERROR as strata_date_column_read(). */
double *strata_date_derive_event (const StrataTable *table, const char *event_date,
                                  const StrataDateOptions *options, GError **error);

G_END_DECLS

/* strata-cohort.h: a StrataTable seen through column roles. The cohort prepares, once
 * per endpoint, the rows sorted by time so that an analysis (a toggle of the strata)
 * costs one linear pass, and caches categorical and numeric views of columns. */
#pragma once

#include <glib.h>
#include "strata-table.h"

G_BEGIN_DECLS

#define STRATA_COHORT_ERROR (strata_cohort_error_quark ())
GQuark strata_cohort_error_quark (void);

typedef enum {
  STRATA_COHORT_ERROR_UNKNOWN_COLUMN,
  STRATA_COHORT_ERROR_NOT_NUMERIC,
  STRATA_COHORT_ERROR_NO_ENDPOINT,
  STRATA_COHORT_ERROR_EVENT_CODING,
} StrataCohortError;

/* The advice that ends, after "; ", the reason of a row whose event value is neither an
 * event nor a censoring: strata-report's option. A front end without a command line
 * replaces it with its own words (the rest of the reason is front-end neutral). */
#define STRATA_COHORT_EVENT_VALUES_HINT "name the event values with --event-values"
/* The end of the error for a time column of dates: strata-report's way out. Front ends
 * that offer another (the window's "Time from dates") put theirs in its place. */
#define STRATA_COHORT_TIME_FROM_DATES_HINT \
  "derive the time from a start and an end date column with --time-from=START " \
  "--time-to=END --time-unit=months"

/* A time-to-event endpoint: the usable rows sorted by time. */
typedef struct {
  char *time_column;
  char *event_column;
  char *event_rule;      /* plain words: which values mean event, which censored */
  guint n;               /* usable rows */
  guint *row;            /* n table row indices, sorted by time */
  double *time;          /* n times, ascending */
  guint8 *event;         /* n flags, 1 = event */
  GPtrArray *excluded;   /* StrataIssue*: rows left out, in line order */
} StrataEndpoint;

/* A categorical view of any column: codes per table row and level labels. */
typedef struct {
  char *column;
  GPtrArray *labels;     /* char*, natural order (first appearance; numbers ascending) */
  const guint32 *codes;  /* per table row; STRATA_MISSING_CODE = missing */
  guint32 *owned_codes;
} StrataFactor;

typedef struct _StrataCohort StrataCohort;

StrataCohort *strata_cohort_new (StrataTable *table);
StrataCohort *strata_cohort_ref (StrataCohort *cohort);
void strata_cohort_unref (StrataCohort *cohort);
StrataTable *strata_cohort_get_table (StrataCohort *cohort);

/* The endpoint of TIME_COLUMN and EVENT_COLUMN (NULL: auto-detect by name), with
 * EVENT_VALUES (NULL: 1, yes, true, dead, died, death, event, any case). Cached. */
const StrataEndpoint *strata_cohort_get_endpoint (StrataCohort *cohort,
                                                  const char *time_column,
                                                  const char *event_column,
                                                  const char *const *event_values,
                                                  GError **error);
/* The endpoint whose time is derived from the START and END date columns in UNIT
 * (days, weeks, months = days / 30.4375, years = days / 365.25; NULL: months). With
 * LAST_CONTACT (a column of last-contact dates, or NULL), a row without an END date ends
 * at its last contact. The event comes from EVENT_COLUMN and EVENT_VALUES as above;
 * with LAST_CONTACT and no EVENT_COLUMN, a row with an END date is an event and one
 * without is censored. DATE_ORDERS (column → StrataDateOrder, may be NULL) says how to
 * read columns whose dates read either way. Rows with a missing date or whose end
 * precedes the start are excluded with their line and reason (strata-date.h). NULL with
 * ERROR for unknown columns, values that are not dates, or an ambiguous day/month
 * order. Cached. */
const StrataEndpoint *strata_cohort_get_derived_endpoint (StrataCohort *cohort,
                                                          const char *start, const char *end,
                                                          const char *last_contact,
                                                          const char *unit,
                                                          GHashTable *date_orders,
                                                          const char *event_column,
                                                          const char *const *event_values,
                                                          GError **error);
/* The categorical view of COLUMN; numeric columns get one level per distinct value. */
const StrataFactor *strata_cohort_get_factor (StrataCohort *cohort, const char *column,
                                              GError **error);
/* The numeric view of COLUMN (NaN where missing or not a number). */
const double *strata_cohort_get_numeric (StrataCohort *cohort, const char *column,
                                         GError **error);

/* A column's CODES (or VALUES), per table row, rearranged into ENDPOINT's time order
 * and cached: an analysis then reads every column sequentially. */
const guint32 *strata_cohort_sorted_codes (StrataCohort *cohort, const StrataEndpoint *endpoint,
                                           const char *column, const guint32 *codes);
const double *strata_cohort_sorted_values (StrataCohort *cohort, const StrataEndpoint *endpoint,
                                           const char *column, const double *values);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataCohort, strata_cohort_unref)

G_END_DECLS

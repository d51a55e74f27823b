/* strata-spec.h: what to analyse. A StrataSpec is what a front end builds (from the
 * command line, or from the GUI's toggles) and hands to strata_analysis_run(). */
#pragma once

#include <glib.h>
#include "strata-km.h"
#include "strata-date.h"

G_BEGIN_DECLS

#define STRATA_SPEC_ERROR (strata_spec_error_quark ())
GQuark strata_spec_error_quark (void);

typedef enum {
  STRATA_SPEC_ERROR_INVALID,   /* an option value that cannot be parsed */
} StrataSpecError;

typedef enum {
  STRATA_COMPARE_GT,
  STRATA_COMPARE_GE,
  STRATA_COMPARE_LT,
  STRATA_COMPARE_LE,
} StrataCompare;

/* --where: COLUMN=V1[,V2...] (a category set) or COLUMN OP X (a numeric comparison). */
typedef struct {
  char *text;          /* as written, for reports */
  char *column;
  gboolean numeric;
  GStrv values;        /* category set, when !numeric */
  StrataCompare op;    /* when numeric */
  double threshold;
} StrataFilter;

/* --by: a categorical COLUMN, or a cut COLUMN>=X (two groups). */
typedef struct {
  char *text;
  char *column;
  gboolean cut;
  double threshold;
  char *threshold_text;  /* X as given, used in the group labels */
} StrataGrouping;

/* --response: COLUMN[:LEVEL]. */
typedef struct {
  char *column;
  char *success;       /* NULL = the first level */
} StrataResponseSpec;

typedef struct {
  char *time_column;     /* NULL = auto-detect */
  char *event_column;    /* NULL = auto-detect */
  GStrv event_values;    /* NULL = the default set */
  char *time_from;       /* with time_to: time derived from a start and an end date column */
  char *time_to;
  char *time_unit;       /* days, weeks, months (default) or years */
  char *last_contact;    /* with time_from/time_to: a column of last-contact dates, the end
                          * of a row with no time_to (event) date, which is then censored;
                          * without event_column the event is "time_to has a date" */
  GHashTable *date_orders; /* column → StrataDateOrder (GINT_TO_POINTER), for date columns
                            * whose values read day first or month first (03/04/2024) */
  char *status_column;   /* competing risks: 0 censored, 1 event of interest, 2 competing;
                          * NULL = none. Without event_column, KM uses "any event". */
  GPtrArray *by;         /* StrataGrouping* */
  GPtrArray *where;      /* StrataFilter* */
  GStrv order;           /* NULL = natural order */
  char *reference;       /* NULL = the first group */
  StrataConfType conf_type;
  double conf_level;
  GArray *landmarks;     /* double, ascending, unique */
  GPtrArray *responses;  /* StrataResponseSpec* */
} StrataSpec;

StrataSpec *strata_spec_new (void);
StrataSpec *strata_spec_copy (const StrataSpec *spec);
void strata_spec_free (StrataSpec *spec);

gboolean strata_spec_add_by (StrataSpec *spec, const char *text, GError **error);
gboolean strata_spec_add_where (StrataSpec *spec, const char *text, GError **error);
gboolean strata_spec_add_response (StrataSpec *spec, const char *text, GError **error);
gboolean strata_spec_set_landmarks (StrataSpec *spec, const char *text, GError **error);
gboolean strata_spec_set_conf_level (StrataSpec *spec, const char *text, GError **error);
gboolean strata_spec_set_conf_type (StrataSpec *spec, const char *text, GError **error);
/* --date-order: COLUMN:day-first or COLUMN:month-first (also dmy, mdy), how to read the
 * dates of COLUMN when they read either way. */
gboolean strata_spec_add_date_order (StrataSpec *spec, const char *text, GError **error);
void strata_spec_set_date_order (StrataSpec *spec, const char *column, StrataDateOrder order);
/* Splits a comma-separated list, trimming blanks; empty items are an error. */
GStrv strata_spec_split_list (const char *text, const char *what, GError **error);

gboolean strata_compare_holds (StrataCompare op, double value, double threshold);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataSpec, strata_spec_free)

G_END_DECLS

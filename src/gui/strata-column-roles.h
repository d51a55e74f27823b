/* strata-column-roles.h: what each column of an imported table is for: the endpoint
 * (time, event and which values mean an event), the disease site (and which of its
 * values mean BM, EMD, CNS), the marrow blasts and the burden threshold, the response
 * columns and the other strata. Guessed from names and values, edited in the import
 * assistant, applied by the strata panel, and saved in .strata files (import.roles). */
#pragma once

#include <json-glib/json-glib.h>
#include "strata-table.h"
#include "strata-spec.h"

G_BEGIN_DECLS

/* The three disease-site classes the panel knows. */
typedef enum {
  STRATA_SITE_BM,
  STRATA_SITE_EMD,
  STRATA_SITE_CNS,
} StrataSiteClass;

#define STRATA_SITE_N_CLASSES 3

/* A time-to-event endpoint found among the columns. */
typedef struct {
  char *label;          /* "Overall survival" */
  char *time_column;
  char *event_column;   /* NULL when status_column is set */
  char *status_column;  /* competing-risks status (0/1/2): Kaplan–Meier of any event */
  char *unit;           /* "months", or NULL */
} StrataEndpointChoice;

/* A response table: COLUMN, counting SUCCESS (a level of it). */
typedef struct {
  char *column;
  char *success;
} StrataResponseRole;

typedef struct {
  /* the main endpoint; NULL time_column = none */
  char *time_column;
  char *event_column;
  char *status_column;     /* a 0/1/2 status column instead of event_column */
  GStrv event_values;      /* NULL = the core's default rule (1, yes, dead...) */

  /* The time from dates, instead of time_column: START to EVENT date, or to LAST_CONTACT
   * (censored) when there is no event date; the event is "an event date is there" unless
   * event_column is set. NULL time_from = not from dates. */
  char *time_from;
  char *time_to;
  char *last_contact;      /* NULL = none */
  char *time_unit;         /* days, weeks, months or years */
  GHashTable *date_orders; /* column → StrataDateOrder, for dates that read either way */

  /* Where the table was read: the sheet of a workbook (NULL = the first with data) and
   * the header row (0 = the first row with a value). */
  char *sheet;
  guint header_row;

  char *site_column;       /* NULL = none */
  GStrv site_values[STRATA_SITE_N_CLASSES];  /* levels meaning BM, EMD, CNS (NULL = none) */

  char *blasts_column;     /* NULL = none */
  double burden_threshold; /* percent blasts; NaN = keep the panel's (the setting) */

  GPtrArray *responses;    /* StrataResponseRole*; one named "mrd" is the MRD table */
  GPtrArray *strata;       /* char*: other columns shown as level toggles */
} StrataColumnRoles;

StrataColumnRoles *strata_column_roles_new (void);
StrataColumnRoles *strata_column_roles_copy (const StrataColumnRoles *roles);
void strata_column_roles_free (StrataColumnRoles *roles);

/* The roles read from TABLE's column names and values, as the panel has always
 * recognised them: os_months + os_status, a column named site or *_site, a numeric
 * column named *blast*, categorical columns named *mrd* (success "negative") and
 * *response* (success "CR"). No other strata. */
StrataColumnRoles *strata_column_roles_guess (StrataTable *table);

/* The time/event pairs the column names suggest (PREFIX_months ... with PREFIX_status
 * or PREFIX_event; time/futime with status/event), StrataEndpointChoice*. */
GPtrArray *strata_column_roles_find_endpoints (StrataTable *table);
void strata_endpoint_choice_free (StrataEndpointChoice *choice);
/* "Overall survival" for prefix "os"; COMPETING appends "-free survival". */
char *strata_endpoint_label (const char *prefix, gboolean competing);
/* "months" for os_months... NULL when the name does not say. */
/* The time unit UNIT ("days", "weeks", "months", "years") in the user's language, for
 * display; any other UNIT as it is (NULL stays NULL). */
const char *strata_time_unit_label (const char *unit);
const char *strata_time_unit_from_name (const char *column);

/* The class that the site level LEVEL means by its name ("BM", "marrow", "EMD",
 * "extramedullary", "CNS"...), or -1. */
int strata_site_class_guess (const char *level);
const char *strata_site_class_name (StrataSiteClass site_class);
/* Plain words for a class: "Isolated bone marrow"... */
const char *strata_site_class_description (StrataSiteClass site_class);
/* The class LEVEL of the site column belongs to under ROLES, or -1. */
int strata_column_roles_site_class_of (const StrataColumnRoles *roles, const char *level);

/* The values of the event column (its levels, or its distinct numbers) that the core's
 * default rule counts as an event, comma-separated ("1", "dead"); "" when none. */
char *strata_column_roles_default_event_text (StrataTable *table, const char *event_column);

/* TRUE when COLUMN of TABLE holds dates: ISO or day-month-year text in every
 * non-missing cell (either order), at least one. */
gboolean strata_column_is_dates (StrataTable *table, const StrataColumn *column);
/* Fills ROLES' time_from, time_to and last_contact from the names of TABLE's date columns
 * (infusion, CAR T or start date; death, relapse or event date; last contact, follow-up
 * or last seen), time_unit "months"; FALSE, leaving ROLES as they were, when no start
 * and end dates are found. */
gboolean strata_column_roles_guess_dates (StrataColumnRoles *roles, StrataTable *table);
/* Copies the time from dates of ROLES into SPEC (time_from...; nothing without it). */
void strata_column_roles_apply_dates (const StrataColumnRoles *roles, StrataSpec *spec);

/* Checks ROLES against TABLE: every named column exists and suits its role (time and
 * blasts numeric...). FALSE with ERROR set in plain words. */
gboolean strata_column_roles_validate (const StrataColumnRoles *roles, StrataTable *table,
                                       GError **error);

/* To and from the JSON object kept in .strata files (import.roles). */
JsonObject *strata_column_roles_to_json (const StrataColumnRoles *roles);
StrataColumnRoles *strata_column_roles_from_json (JsonObject *object);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataColumnRoles, strata_column_roles_free)

G_END_DECLS

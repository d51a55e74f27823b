/* strata-cohort.c: column roles over an imported table, the sorted endpoint index and
 * cached categorical / numeric views. */
#include "strata-cohort.h"
#include "strata-i18n.h"
#include "strata-time-sort.h"
#include "strata-date.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

G_DEFINE_QUARK (strata-cohort-error-quark, strata_cohort_error)

struct _StrataCohort {
  gatomicrefcount ref_count;
  StrataTable *table;
  /* Guards the caches: analyses may run in workers. A pthread mutex rather than a
   * GMutex, whose futex implementation ThreadSanitizer cannot see. */
  pthread_mutex_t lock;
  GHashTable *endpoints;     /* key string -> StrataEndpoint* */
  GHashTable *factors;       /* column -> StrataFactor* */
  GHashTable *numerics;      /* column -> double* */
  GHashTable *sorted;        /* endpoint + column -> codes or values in time order */
};

static const char *const default_event_words[] = {
  "1", "yes", "true", "dead", "died", "death", "event", NULL
};
static const char *const censor_words[] = {
  "0", "no", "false", "alive", "censored", "censor", NULL
};

static void
endpoint_free (gpointer data)
{
  StrataEndpoint *endpoint = data;

  g_free (endpoint->time_column);
  g_free (endpoint->event_column);
  g_free (endpoint->event_rule);
  g_free (endpoint->row);
  g_free (endpoint->time);
  g_free (endpoint->event);
  g_ptr_array_unref (endpoint->excluded);
  g_free (endpoint);
}

static void
factor_free (gpointer data)
{
  StrataFactor *factor = data;

  g_free (factor->column);
  g_ptr_array_unref (factor->labels);
  g_free (factor->owned_codes);
  g_free (factor);
}

StrataCohort *
strata_cohort_new (StrataTable *table)
{
  StrataCohort *cohort = g_new0 (StrataCohort, 1);

  g_atomic_ref_count_init (&cohort->ref_count);
  cohort->table = strata_table_ref (table);
  pthread_mutex_init (&cohort->lock, NULL);
  cohort->endpoints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, endpoint_free);
  cohort->factors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, factor_free);
  cohort->numerics = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  cohort->sorted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return cohort;
}

StrataCohort *
strata_cohort_ref (StrataCohort *cohort)
{
  g_atomic_ref_count_inc (&cohort->ref_count);
  return cohort;
}

void
strata_cohort_unref (StrataCohort *cohort)
{
  if (cohort == NULL || !g_atomic_ref_count_dec (&cohort->ref_count))
    return;
  g_hash_table_unref (cohort->endpoints);
  g_hash_table_unref (cohort->factors);
  g_hash_table_unref (cohort->numerics);
  g_hash_table_unref (cohort->sorted);
  pthread_mutex_destroy (&cohort->lock);
  strata_table_unref (cohort->table);
  g_free (cohort);
}

StrataTable *
strata_cohort_get_table (StrataCohort *cohort)
{
  return cohort->table;
}

static const StrataColumn *
require_column (StrataCohort *cohort, const char *name, GError **error)
{
  const StrataColumn *column = strata_table_find_column (cohort->table, name);

  if (column == NULL)
    {
      GString *names = g_string_new (NULL);
      for (guint i = 0; i < strata_table_get_n_columns (cohort->table); i++)
        g_string_append_printf (names, "%s%s", i ? ", " : "",
                                strata_table_get_column (cohort->table, i)->name);
      g_set_error (error, STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_UNKNOWN_COLUMN,
                   _("%s: no column named “%s”; the columns are: %s"),
                   strata_table_get_display_name (cohort->table), name, names->str);
      g_string_free (names, TRUE);
    }
  return column;
}

/* merge_close_times:
 * Inputs: N times ascending. Output: each time replaced by the first of its cluster,
 *   where consecutive distinct values whose gap is <= sqrt(eps) absolutely or relative
 *   to the mean absolute distinct time are one cluster.
 * Source: survival::aeqSurv (timefix = TRUE), used by survfit and coxph. */
static void
merge_close_times (double *time, guint n)
{
  const double tolerance = 1.4901161193847656e-08;
  double sum = 0.0;
  guint distinct = 0;

  for (guint i = 0; i < n; i++)
    if (i == 0 || time[i] != time[i - 1])
      {
        sum += fabs (time[i]);
        distinct++;
      }
  if (distinct < 2)
    return;
  double mean = sum / distinct;
  double cut = time[0], previous = time[0];
  for (guint i = 1; i < n; i++)
    {
      double value = time[i];
      if (value != previous)
        {
          double gap = value - previous;
          if (!(gap <= tolerance || gap / mean <= tolerance))
            cut = value;
          previous = value;
        }
      time[i] = cut;
    }
}

/* ---- event coding ---------------------------------------------------------------- */

typedef enum { EVENT_UNKNOWN, EVENT_YES, EVENT_NO } EventClass;

static gboolean
word_in (const char *text, const char *const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    if (g_ascii_strcasecmp (text, words[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
number_in (StrataTable *table, double value, const char *const *words)
{
  for (guint i = 0; words[i] != NULL; i++)
    {
      double w;
      if (strata_table_parse_number (table, words[i], &w) && w == value)
        return TRUE;
    }
  return FALSE;
}

/* Classifies each distinct value of the event column. A value is an event when it is
 * one of the event values; censored when it is one of the censoring words (0, no,
 * false, alive, censored) or, with explicit event values on a two-valued column, the
 * other value. */
static EventClass
classify_event (StrataTable *table, const char *label, gboolean numeric, double value,
                const char *const *event_values, gboolean explicit_values,
                const char *other_value)
{
  if (numeric ? number_in (table, value, event_values) : word_in (label, event_values))
    return EVENT_YES;
  if (numeric ? number_in (table, value, censor_words) : word_in (label, censor_words))
    return EVENT_NO;
  if (explicit_values && other_value != NULL && g_strcmp0 (label, other_value) == 0)
    return EVENT_NO;
  return EVENT_UNKNOWN;
}

/* ---- auto-detection ----------------------------------------------------------------- */

static gboolean
ends_with_unit (const char *name)
{
  static const char *const suffixes[] = { "_months", "_days", "_years", "_weeks", "_time", NULL };
  for (guint i = 0; suffixes[i] != NULL; i++)
    if (g_str_has_suffix (name, suffixes[i]))
      return TRUE;
  return FALSE;
}

static char *
detect_time_column (StrataTable *table)
{
  static const char *const preferred[] = {
    "os_months", "time", "futime", "os_time", "os_days", "os_years", "survival_time",
    "months", "days", NULL
  };
  for (guint i = 0; preferred[i] != NULL; i++)
    for (guint c = 0; c < strata_table_get_n_columns (table); c++)
      if (g_ascii_strcasecmp (strata_table_get_column (table, c)->name, preferred[i]) == 0)
        return g_strdup (strata_table_get_column (table, c)->name);
  for (guint c = 0; c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);
      if (column->type == STRATA_COLUMN_NUMERIC && ends_with_unit (column->name))
        return g_strdup (column->name);
    }
  return NULL;
}

static char *
detect_event_column (StrataTable *table, const char *time_column)
{
  const char *underscore = strrchr (time_column, '_');
  g_autoptr (GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);

  if (underscore != NULL)
    {
      g_autofree char *prefix = g_strndup (time_column, underscore - time_column);
      g_ptr_array_add (candidates, g_strconcat (prefix, "_status", NULL));
      g_ptr_array_add (candidates, g_strconcat (prefix, "_event", NULL));
    }
  static const char *const generic[] = {
    "event", "status", "os_status", "os_event", "dead", "death", "died", NULL
  };
  for (guint i = 0; generic[i] != NULL; i++)
    g_ptr_array_add (candidates, g_strdup (generic[i]));

  for (guint i = 0; i < candidates->len; i++)
    for (guint c = 0; c < strata_table_get_n_columns (table); c++)
      if (g_ascii_strcasecmp (strata_table_get_column (table, c)->name,
                              g_ptr_array_index (candidates, i)) == 0)
        return g_strdup (strata_table_get_column (table, c)->name);
  return NULL;
}

/* ---- endpoint ------------------------------------------------------------------------ */

static void
add_issue (GPtrArray *issues, StrataTable *table, guint row, const char *column,
           char *reason /* owned */)
{
  g_ptr_array_add (issues, strata_issue_new (strata_table_get_lines (table)[row], column, reason));
  g_free (reason);
}

static char *
describe_rule (const char *const *event_values, const char *other_value)
{
  g_autofree char *events = g_strjoinv (", ", (char **) event_values);
  g_autofree char *censored = g_strjoinv (", ", (char **) censor_words);

  if (other_value != NULL)
    /* Translators: how the event column is read: the values meaning an event, then those
     * meaning a censoring. */
    return g_strdup_printf (_("event: %s; censored: %s, %s"), events, other_value, censored);
  return g_strdup_printf (_("event: %s; censored: %s"), events, censored);
}

static gboolean
time_of_row (StrataTable *table, const StrataColumn *column, const double *level_value,
             guint row, double *t, char **reason)
{
  if (column->type == STRATA_COLUMN_NUMERIC)
    {
      *t = column->values[row];
      if (isnan (*t))
        {
          *reason = g_strdup (_("time is missing"));
          return FALSE;
        }
    }
  else
    {
      guint32 code = column->codes[row];
      if (code == STRATA_MISSING_CODE)
        {
          *reason = g_strdup (_("time is missing"));
          return FALSE;
        }
      *t = level_value[code];
      if (isnan (*t))
        {
          *reason = g_strdup_printf (_("time “%s” is not a number"),
                                     (const char *) g_ptr_array_index (column->levels, code));
          return FALSE;
        }
    }
  if (!isfinite (*t))
    {
      *reason = g_strdup_printf (_("time %g is not finite"), *t);
      return FALSE;
    }
  if (*t < 0)
    {
      *reason = g_strdup_printf (_("time %.15g is negative; times count from the start (>= 0)"), *t);
      return FALSE;
    }
  return TRUE;
}

static double *
level_numbers (StrataTable *table, const StrataColumn *column)
{
  double *values = g_new (double, column->levels->len);

  for (guint i = 0; i < column->levels->len; i++)
    if (!strata_table_parse_number (table, g_ptr_array_index (column->levels, i), &values[i]))
      values[i] = NAN;
  return values;
}

/* The single value other than the event values, when the column has exactly two
 * distinct non-missing values and one of them is an event value; NULL otherwise. */
static const char *
other_binary_value (StrataTable *table, const StrataColumn *column,
                    const char *const *event_values, char *buffer, gsize size)
{
  if (column->type == STRATA_COLUMN_NUMERIC)
    {
      double distinct[2];
      guint n_distinct = 0;
      guint n_rows = strata_table_get_n_rows (table);
      for (guint r = 0; r < n_rows; r++)
        {
          double v = column->values[r];
          if (isnan (v) || (n_distinct > 0 && v == distinct[0]) ||
              (n_distinct > 1 && v == distinct[1]))
            continue;
          if (n_distinct == 2)
            return NULL;
          distinct[n_distinct++] = v;
        }
      if (n_distinct != 2)
        return NULL;
      gboolean a = number_in (table, distinct[0], event_values);
      gboolean b = number_in (table, distinct[1], event_values);
      if (a == b)
        return NULL;
      g_snprintf (buffer, size, "%.15g", a ? distinct[1] : distinct[0]);
      return buffer;
    }
  if (column->levels->len != 2)
    return NULL;
  gboolean a = word_in (g_ptr_array_index (column->levels, 0), event_values);
  gboolean b = word_in (g_ptr_array_index (column->levels, 1), event_values);
  if (a == b)
    return NULL;
  return g_ptr_array_index (column->levels, a ? 1 : 0);
}

/* A numeric event column holding only 1 and 2 (R's Surv convention, 2 = event) is
 * ambiguous under the default values, where 1 means event: refuse to guess. */
static gboolean
check_one_two_coding (StrataTable *table, const StrataColumn *column, GError **error)
{
  gboolean has_two = FALSE;
  guint n_rows = strata_table_get_n_rows (table);

  if (column->type != STRATA_COLUMN_NUMERIC)
    return TRUE;
  for (guint r = 0; r < n_rows; r++)
    {
      double v = column->values[r];
      if (isnan (v))
        continue;
      if (v != 1.0 && v != 2.0)
        return TRUE;
      has_two |= v == 2.0;
    }
  if (!has_two)
    return TRUE;
  g_set_error (error, STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_EVENT_CODING,
               _("%s: column “%s” is coded 1/2, so which value means an event is ambiguous; "
                 "say it with --event-values (R's Surv convention: --event-values=2)"),
               strata_table_get_display_name (table), column->name);
  return FALSE;
}

static char *
endpoint_key (const char *time_column, const char *event_column, const char *const *values)
{
  g_autofree char *joined = values ? g_strjoinv ("\x1f", (char **) values) : g_strdup ("");
  return g_strdup_printf ("%s\x1e%s\x1e%s", time_column, event_column, joined);
}

/* build_endpoint:
 * Inputs: the table, the two columns, the event values (explicit or default).
 * Output: the usable rows sorted by time (close times merged as aeqSurv does) and
 *   every row left out, with its line, column and reason. */
static StrataEndpoint *
build_endpoint (StrataCohort *cohort, const StrataColumn *time_col,
                const StrataColumn *event_col, const char *const *event_values,
                gboolean explicit_values)
{
  StrataTable *table = cohort->table;
  guint n_rows = strata_table_get_n_rows (table);
  StrataEndpoint *endpoint = g_new0 (StrataEndpoint, 1);
  char other_buffer[64];
  const char *other = explicit_values
                      ? other_binary_value (table, event_col, event_values, other_buffer,
                                            sizeof other_buffer)
                      : NULL;
  g_autofree double *time_levels = time_col->type == STRATA_COLUMN_NUMERIC
                                   ? NULL : level_numbers (table, time_col);
  g_autofree EventClass *event_levels = NULL;

  if (event_col->type != STRATA_COLUMN_NUMERIC)
    {
      event_levels = g_new (EventClass, event_col->levels->len);
      for (guint i = 0; i < event_col->levels->len; i++)
        event_levels[i] = classify_event (table, g_ptr_array_index (event_col->levels, i), FALSE,
                                          NAN, event_values, explicit_values, other);
    }

  endpoint->time_column = g_strdup (time_col->name);
  endpoint->event_column = g_strdup (event_col->name);
  endpoint->event_rule = describe_rule (event_values, other);
  endpoint->excluded = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_issue_free);
  endpoint->row = g_new (guint, n_rows);
  endpoint->time = g_new (double, n_rows);
  endpoint->event = g_new (guint8, n_rows);

  /* Numeric event columns hold 0 and 1 nearly always: classify those two once. */
  EventClass class_of_zero = classify_event (table, "0", TRUE, 0.0, event_values,
                                             explicit_values, other);
  EventClass class_of_one = classify_event (table, "1", TRUE, 1.0, event_values,
                                            explicit_values, other);
  guint n = 0;
  for (guint r = 0; r < n_rows; r++)
    {
      char *reason = NULL;
      double t;
      EventClass class;
      const char *label;
      char number[64];

      if (!time_of_row (table, time_col, time_levels, r, &t, &reason))
        {
          add_issue (endpoint->excluded, table, r, time_col->name, reason);
          continue;
        }
      if (event_col->type == STRATA_COLUMN_NUMERIC)
        {
          double v = event_col->values[r];
          if (isnan (v))
            {
              add_issue (endpoint->excluded, table, r, event_col->name,
                         g_strdup (_("event status is missing")));
              continue;
            }
          if (v == 0.0 || v == 1.0)
            class = v == 0.0 ? class_of_zero : class_of_one;
          else
            {
              g_snprintf (number, sizeof number, "%.15g", v);
              class = classify_event (table, number, TRUE, v, event_values, explicit_values, other);
            }
          if (class == EVENT_UNKNOWN)
            g_snprintf (number, sizeof number, "%.15g", v);
          label = number;
        }
      else
        {
          guint32 code = event_col->codes[r];
          if (code == STRATA_MISSING_CODE)
            {
              add_issue (endpoint->excluded, table, r, event_col->name,
                         g_strdup (_("event status is missing")));
              continue;
            }
          class = event_levels[code];
          label = g_ptr_array_index (event_col->levels, code);
        }
      if (class == EVENT_UNKNOWN)
        {
          /* The hint about strata-report's option stays English: the GUI recognises it
           * (strata_result_text_reason) and puts its own advice in its place. */
          g_autofree char *neither =
            g_strdup_printf (_("event value “%s” is neither an event nor a censoring (%s)"),
                             label, endpoint->event_rule);
          add_issue (endpoint->excluded, table, r, event_col->name,
                     g_strconcat (neither, "; " STRATA_COHORT_EVENT_VALUES_HINT, NULL));
          continue;
        }
      endpoint->row[n] = r;
      endpoint->time[n] = t;
      endpoint->event[n] = class == EVENT_YES;
      n++;
    }
  endpoint->n = n;
  strata_sort_times (endpoint->time, endpoint->row, endpoint->event, n);
  merge_close_times (endpoint->time, n);
  return endpoint;
}

/* One value of a time column that is a calendar date (ISO, or day-month-year or
 * month-day-year text), when every value of the column is; NULL otherwise (and for a
 * numeric column: Excel serial dates cannot be told from times). */
static const char *
date_in_time_column (const StrataColumn *column)
{
  double days;

  if (column->type == STRATA_COLUMN_NUMERIC || column->levels->len == 0)
    return NULL;
  for (guint i = 0; i < column->levels->len; i++)
    {
      const char *text = g_ptr_array_index (column->levels, i);
      if (!strata_date_parse (text, STRATA_DATE_ORDER_DAY_FIRST, &days) &&
          !strata_date_parse (text, STRATA_DATE_ORDER_MONTH_FIRST, &days))
        return NULL;
    }
  return g_ptr_array_index (column->levels, 0);
}

const StrataEndpoint *
strata_cohort_get_endpoint (StrataCohort *cohort, const char *time_column,
                            const char *event_column, const char *const *event_values,
                            GError **error)
{
  StrataTable *table = cohort->table;
  g_autofree char *time_name = time_column ? g_strdup (time_column) : detect_time_column (table);
  g_autofree char *event_name = NULL;
  const StrataColumn *time_col, *event_col;

  if (time_name == NULL)
    {
      g_set_error (error, STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_NO_ENDPOINT,
                   _("%s: no time-to-event column recognised (such as os_months or time); "
                     "name it with --time=COLUMN"), strata_table_get_display_name (table));
      return NULL;
    }
  event_name = event_column ? g_strdup (event_column) : detect_event_column (table, time_name);
  if (event_name == NULL)
    {
      g_set_error (error, STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_NO_ENDPOINT,
                   _("%s: no event column recognised for time column “%s” (such as os_status "
                     "or event); name it with --event=COLUMN"),
                   strata_table_get_display_name (table), time_name);
      return NULL;
    }
  if ((time_col = require_column (cohort, time_name, error)) == NULL ||
      (event_col = require_column (cohort, event_name, error)) == NULL)
    return NULL;
  const char *date = date_in_time_column (time_col);
  if (date != NULL)
    {
      g_autofree char *message = g_strdup_printf (
        _("%s: the time column “%s” holds dates (such as %s), not times"),
        strata_table_get_display_name (table), time_name, date);
      g_set_error (error, STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_NOT_NUMERIC,
                   "%s; " STRATA_COHORT_TIME_FROM_DATES_HINT, message);
      return NULL;
    }
  if (event_values == NULL && !check_one_two_coding (table, event_col, error))
    return NULL;

  g_autofree char *key = endpoint_key (time_name, event_name, event_values);
  pthread_mutex_lock (&cohort->lock);
  StrataEndpoint *endpoint = g_hash_table_lookup (cohort->endpoints, key);
  if (endpoint == NULL)
    {
      endpoint = build_endpoint (cohort, time_col, event_col,
                                 event_values ? event_values : default_event_words,
                                 event_values != NULL);
      g_hash_table_insert (cohort->endpoints, g_steal_pointer (&key), endpoint);
    }
  pthread_mutex_unlock (&cohort->lock);
  return endpoint;
}

static int
compare_issue_lines (gconstpointer a, gconstpointer b)
{
  const StrataIssue *x = *(StrataIssue *const *) a, *y = *(StrataIssue *const *) b;
  return (x->line > y->line) - (x->line < y->line);
}

/* Replaces the endpoint's "time is missing" entries for the rows the date derivation
 * already explained (a missing date, an end before the start) by the derivation's own
 * reasons. */
static void
merge_derivation_issues (StrataEndpoint *endpoint, GPtrArray *derivation)
{
  g_autoptr (GHashTable) explained = g_hash_table_new (g_direct_hash, g_direct_equal);

  for (guint i = 0; i < derivation->len; i++)
    g_hash_table_add (explained,
                      GUINT_TO_POINTER (((StrataIssue *) g_ptr_array_index (derivation, i))->line));
  for (guint i = endpoint->excluded->len; i-- > 0;)
    {
      StrataIssue *issue = g_ptr_array_index (endpoint->excluded, i);
      if (g_strcmp0 (issue->column, endpoint->time_column) == 0 &&
          g_hash_table_contains (explained, GUINT_TO_POINTER (issue->line)))
        g_ptr_array_remove_index (endpoint->excluded, i);
    }
  for (guint i = 0; i < derivation->len; i++)
    {
      const StrataIssue *issue = g_ptr_array_index (derivation, i);
      g_ptr_array_add (endpoint->excluded, strata_issue_new (issue->line, issue->column, issue->reason));
    }
  g_ptr_array_sort (endpoint->excluded, compare_issue_lines);
}

/* The cache key of a derived endpoint: every input that changes it. */
static char *
derived_key (const char *name, const char *last_contact, GHashTable *date_orders,
             const char *event_name, const char *const *event_values)
{
  g_autofree char *base = endpoint_key (name, event_name ? event_name : "", event_values);
  g_autoptr (GString) key = g_string_new (base);
  GList *columns = date_orders ? g_hash_table_get_keys (date_orders) : NULL;

  g_string_append_printf (key, "\x1e%s", last_contact ? last_contact : "");
  columns = g_list_sort (columns, (GCompareFunc) g_strcmp0);
  for (GList *l = columns; l != NULL; l = l->next)
    g_string_append_printf (key, "\x1d%s=%d", (const char *) l->data,
                            GPOINTER_TO_INT (g_hash_table_lookup (date_orders, l->data)));
  g_list_free (columns);
  return g_string_free (g_steal_pointer (&key), FALSE);
}

const StrataEndpoint *
strata_cohort_get_derived_endpoint (StrataCohort *cohort, const char *start, const char *end,
                                    const char *last_contact, const char *unit_name,
                                    GHashTable *date_orders, const char *event_column,
                                    const char *const *event_values, GError **error)
{
  StrataTable *table = cohort->table;
  StrataTimeUnit unit;
  g_autofree char *unit_text = g_strdup (unit_name ? unit_name : "months");
  /* With a last-contact column and no event column, the event is "END has a date". */
  gboolean event_from_dates = last_contact != NULL && event_column == NULL;
  const StrataColumn *event_col = NULL;

  if (!strata_time_unit_from_string (unit_text, &unit))
    {
      g_set_error (error, STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_NO_ENDPOINT,
                   _("time unit “%s”: use days, weeks, months or years"), unit_text);
      return NULL;
    }
  g_autofree char *name = g_strdup_printf ("%s to %s, %s", start, end, unit_text);
  g_autofree char *event_name = event_from_dates ? NULL
                                : event_column ? g_strdup (event_column)
                                : detect_event_column (table, name);
  if (!event_from_dates)
    {
      if (event_name == NULL)
        {
          g_set_error (error, STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_NO_ENDPOINT,
                       _("%s: no event column recognised; name it with --event=COLUMN, or give "
                         "the last-contact dates (--last-contact=COLUMN) so that an event date "
                         "means an event"), strata_table_get_display_name (table));
          return NULL;
        }
      if ((event_col = require_column (cohort, event_name, error)) == NULL)
        return NULL;
      if (event_values == NULL && !check_one_two_coding (table, event_col, error))
        return NULL;
    }

  g_autofree char *key = derived_key (name, last_contact, date_orders, event_name,
                                      event_from_dates ? NULL : event_values);
  pthread_mutex_lock (&cohort->lock);
  StrataEndpoint *endpoint = g_hash_table_lookup (cohort->endpoints, key);
  pthread_mutex_unlock (&cohort->lock);
  if (endpoint != NULL)
    return endpoint;

  g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_issue_free);
  g_autofree double *derived = NULL;
  g_autofree double *flags = NULL;
  StrataDateOptions options = { STRATA_DATE_ORDER_AUTO, FALSE, date_orders };
  if (!strata_date_derive_follow_up (table, start, end, last_contact, unit, &options, &derived,
                                     &flags, issues, error))
    return NULL;
  StrataColumn virtual_time = { .name = name, .type = STRATA_COLUMN_NUMERIC, .values = derived };
  StrataColumn virtual_event = { .name = (char *) end, .type = STRATA_COLUMN_NUMERIC,
                                 .values = flags };
  if (event_from_dates)
    {
      endpoint = build_endpoint (cohort, &virtual_time, &virtual_event, default_event_words, FALSE);
      g_free (endpoint->event_rule);
      endpoint->event_rule = g_strdup_printf (_("event: a date in “%s”; censored: no date there, "
                                                "at the last contact (“%s”)"), end, last_contact);
    }
  else
    endpoint = build_endpoint (cohort, &virtual_time, event_col,
                               event_values ? event_values : default_event_words,
                               event_values != NULL);
  merge_derivation_issues (endpoint, issues);

  pthread_mutex_lock (&cohort->lock);
  StrataEndpoint *raced = g_hash_table_lookup (cohort->endpoints, key);
  if (raced != NULL)
    {
      endpoint_free (endpoint);
      endpoint = raced;
    }
  else
    g_hash_table_insert (cohort->endpoints, g_steal_pointer (&key), endpoint);
  pthread_mutex_unlock (&cohort->lock);
  return endpoint;
}

/* ---- factors and numeric views ----------------------------------------------------------- */

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* A numeric column as a factor: one level per distinct value, ascending, labelled
 * with the shortest form that reads back as the same number (%.15g). */
static StrataFactor *
numeric_factor (StrataTable *table, const StrataColumn *column)
{
  guint n_rows = strata_table_get_n_rows (table);
  StrataFactor *factor = g_new0 (StrataFactor, 1);
  g_autofree double *sorted = g_new (double, n_rows);
  guint n = 0, n_levels = 0;

  for (guint r = 0; r < n_rows; r++)
    if (!isnan (column->values[r]))
      sorted[n++] = column->values[r];
  qsort (sorted, n, sizeof (double), compare_doubles);
  for (guint i = 0; i < n; i++)
    if (i == 0 || sorted[i] != sorted[n_levels - 1])
      sorted[n_levels++] = sorted[i];

  factor->column = g_strdup (column->name);
  factor->labels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_levels; i++)
    g_ptr_array_add (factor->labels, g_strdup_printf ("%.15g", sorted[i]));
  factor->owned_codes = g_new (guint32, n_rows);
  for (guint r = 0; r < n_rows; r++)
    {
      double v = column->values[r];
      if (isnan (v))
        {
          factor->owned_codes[r] = STRATA_MISSING_CODE;
          continue;
        }
      double *found = bsearch (&v, sorted, n_levels, sizeof (double), compare_doubles);
      factor->owned_codes[r] = (guint32) (found - sorted);
    }
  factor->codes = factor->owned_codes;
  return factor;
}

/* Vocabularies whose levels have a natural order (a column role's order): disease
 * site at infusion and the response categories. A categorical column whose levels all
 * belong to one of them is ordered by it instead of by first appearance. */
static const char *const *const natural_orders[] = {
  (const char *const[]) { "BM", "EMD", "CNS", NULL },
  (const char *const[]) { "CR", "CRi", "PR", "SD", "PD", NULL },
  NULL
};

static gint
vocabulary_rank (const char *const *vocabulary, const char *level)
{
  for (gint i = 0; vocabulary[i] != NULL; i++)
    if (g_strcmp0 (vocabulary[i], level) == 0)
      return i;
  return -1;
}

/* A categorical column as a factor, in natural order when one applies. */
static StrataFactor *
categorical_factor (StrataTable *table, const StrataColumn *column)
{
  StrataFactor *factor = g_new0 (StrataFactor, 1);
  guint n_levels = column->levels->len;

  factor->column = g_strdup (column->name);
  for (guint v = 0; natural_orders[v] != NULL && n_levels > 1; v++)
    {
      gboolean all = TRUE;
      for (guint l = 0; l < n_levels && all; l++)
        all = vocabulary_rank (natural_orders[v], g_ptr_array_index (column->levels, l)) >= 0;
      if (!all)
        continue;
      /* new code of each old level: its rank among the levels present */
      g_autofree guint32 *recode = g_new (guint32, n_levels);
      factor->labels = g_ptr_array_new_with_free_func (g_free);
      for (guint r = 0; natural_orders[v][r] != NULL; r++)
        for (guint l = 0; l < n_levels; l++)
          if (g_strcmp0 (natural_orders[v][r], g_ptr_array_index (column->levels, l)) == 0)
            {
              recode[l] = factor->labels->len;
              g_ptr_array_add (factor->labels, g_strdup (natural_orders[v][r]));
            }
      guint n_rows = strata_table_get_n_rows (table);
      factor->owned_codes = g_new (guint32, n_rows);
      for (guint r = 0; r < n_rows; r++)
        factor->owned_codes[r] = column->codes[r] == STRATA_MISSING_CODE
                                 ? STRATA_MISSING_CODE : recode[column->codes[r]];
      factor->codes = factor->owned_codes;
      return factor;
    }
  factor->labels = g_ptr_array_ref (column->levels);
  factor->codes = column->codes;
  return factor;
}

const StrataFactor *
strata_cohort_get_factor (StrataCohort *cohort, const char *name, GError **error)
{
  const StrataColumn *column = require_column (cohort, name, error);
  StrataFactor *factor;

  if (column == NULL)
    return NULL;
  pthread_mutex_lock (&cohort->lock);
  factor = g_hash_table_lookup (cohort->factors, name);
  if (factor == NULL)
    {
      if (column->type == STRATA_COLUMN_NUMERIC)
        factor = numeric_factor (cohort->table, column);
      else
        factor = categorical_factor (cohort->table, column);
      g_hash_table_insert (cohort->factors, g_strdup (name), factor);
    }
  pthread_mutex_unlock (&cohort->lock);
  return factor;
}

const double *
strata_cohort_get_numeric (StrataCohort *cohort, const char *name, GError **error)
{
  const StrataColumn *column = require_column (cohort, name, error);
  double *values;

  if (column == NULL)
    return NULL;
  if (column->type == STRATA_COLUMN_NUMERIC)
    return column->values;

  pthread_mutex_lock (&cohort->lock);
  values = g_hash_table_lookup (cohort->numerics, name);
  if (values == NULL)
    {
      g_autofree double *per_level = level_numbers (cohort->table, column);
      gboolean any = FALSE;
      for (guint i = 0; i < column->levels->len; i++)
        any |= !isnan (per_level[i]);
      if (any)
        {
          guint n_rows = strata_table_get_n_rows (cohort->table);
          values = g_new (double, n_rows);
          for (guint r = 0; r < n_rows; r++)
            values[r] = column->codes[r] == STRATA_MISSING_CODE ? NAN : per_level[column->codes[r]];
          g_hash_table_insert (cohort->numerics, g_strdup (name), values);
        }
    }
  pthread_mutex_unlock (&cohort->lock);
  if (values == NULL)
    g_set_error (error, STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_NOT_NUMERIC,
                 _("%s: column “%s” holds no numbers, so it cannot be compared with a number "
                   "or cut; use COLUMN=VALUE for categories"),
                 strata_table_get_display_name (cohort->table), name);
  return values;
}

/* Gathers ELEMENT_SIZE-byte items of DATA (per table row) in ENDPOINT's time order,
 * once per endpoint, column and kind; later calls return the cached copy. */
static gconstpointer
sorted_copy (StrataCohort *cohort, const StrataEndpoint *endpoint, const char *column,
             char kind, gconstpointer data, gsize element_size)
{
  g_autofree char *key = g_strdup_printf ("%p\x1e%c\x1e%s", (const void *) endpoint, kind, column);
  gpointer copy;

  pthread_mutex_lock (&cohort->lock);
  copy = g_hash_table_lookup (cohort->sorted, key);
  if (copy == NULL)
    {
      copy = g_malloc (element_size * MAX (endpoint->n, 1));
      if (element_size == sizeof (double))
        for (guint i = 0; i < endpoint->n; i++)
          ((double *) copy)[i] = ((const double *) data)[endpoint->row[i]];
      else
        for (guint i = 0; i < endpoint->n; i++)
          ((guint32 *) copy)[i] = ((const guint32 *) data)[endpoint->row[i]];
      g_hash_table_insert (cohort->sorted, g_steal_pointer (&key), copy);
    }
  pthread_mutex_unlock (&cohort->lock);
  return copy;
}

const guint32 *
strata_cohort_sorted_codes (StrataCohort *cohort, const StrataEndpoint *endpoint,
                            const char *column, const guint32 *codes)
{
  return sorted_copy (cohort, endpoint, column, 'c', codes, sizeof (guint32));
}

const double *
strata_cohort_sorted_values (StrataCohort *cohort, const StrataEndpoint *endpoint,
                             const char *column, const double *values)
{
  return sorted_copy (cohort, endpoint, column, 'v', values, sizeof (double));
}

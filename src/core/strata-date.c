/* strata-date.c: calendar dates in table cells and times derived from them.
 *
 * Day numbers use Howard Hinnant's days_from_civil / civil_from_days algorithms
 * ("chrono-Compatible Low-Level Date Algorithms"), exact over the proleptic Gregorian
 * calendar.
 */
#include "strata-date.h"
#include "strata-i18n.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (strata-date-error-quark, strata_date_error)

static gint64
days_from_civil (gint64 y, int m, int d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static gboolean
is_leap (int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

gboolean
strata_date_from_ymd (int year, int month, int day, double *days)
{
  static const int month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month < 1 || month > 12 || day < 1 || year < 1 || year > 9999)
    return FALSE;
  if (day > month_days[month - 1] + (month == 2 && is_leap (year)))
    return FALSE;
  *days = (double) days_from_civil (year, month, day);
  return TRUE;
}

void
strata_date_to_ymd (double days, int *year, int *month, int *day)
{
  gint64 z = (gint64) floor (days) + 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int d = (int) (doy - (153 * mp + 2) / 5 + 1);
  int m = (int) (mp < 10 ? mp + 3 : mp - 9);

  *year = (int) (yoe + era * 400 + (m <= 2));
  *month = m;
  *day = d;
}

/* 1899-12-30 and 1904-01-01 as day numbers. */
#define EXCEL_1900_BASE (-25569.0)
#define EXCEL_1904_BASE (-24107.0)

gboolean
strata_date_from_excel_serial (double serial, gboolean date1904, double *days)
{
  if (!isfinite (serial) || serial > 2958465.99999)  /* 9999-12-31 */
    return FALSE;
  if (date1904)
    {
      if (serial < 0)
        return FALSE;
      *days = EXCEL_1904_BASE + serial;
      return TRUE;
    }
  if (serial < 1 || (serial >= 60 && serial < 61))
    return FALSE;
  /* Lotus 1-2-3's 1900-02-29: serials before it are one day later than counted */
  *days = EXCEL_1900_BASE + serial + (serial < 60 ? 1 : 0);
  return TRUE;
}

const char *
strata_date_format_iso (double days, char buffer[32])
{
  double day = floor (days);
  gint64 seconds = (gint64) llround ((days - day) * 86400.0);
  int y, m, d;

  if (seconds == 86400)
    day += 1, seconds = 0;
  strata_date_to_ymd (day, &y, &m, &d);
  if (seconds == 0)
    g_snprintf (buffer, 32, "%04d-%02d-%02d", y, m, d);
  else
    g_snprintf (buffer, 32, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d,
                (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60));
  return buffer;
}

/* Reads 1 to MAX_DIGITS digits at *P. */
static gboolean
read_digits (const char **p, int max_digits, int *value, int *n_digits)
{
  int v = 0, n = 0;

  while (n < max_digits && g_ascii_isdigit ((*p)[n]))
    v = v * 10 + ((*p)[n] - '0'), n++;
  if (n == 0 || g_ascii_isdigit ((*p)[n]))
    return FALSE;
  *p += n;
  *value = v;
  if (n_digits != NULL)
    *n_digits = n;
  return TRUE;
}

/* An optional time of day after a date: [T ]HH:MM[:SS[.fff]], as a fraction of a day. */
static gboolean
parse_time_of_day (const char *p, double *fraction)
{
  int h, m, s = 0;

  *fraction = 0;
  while (*p == ' ')
    p++;
  if (*p == '\0')
    return TRUE;
  if (*p == 'T')
    p++;
  while (*p == ' ')
    p++;
  if (!read_digits (&p, 2, &h, NULL) || *p++ != ':' || !read_digits (&p, 2, &m, NULL))
    return FALSE;
  if (*p == ':')
    {
      p++;
      if (!read_digits (&p, 2, &s, NULL))
        return FALSE;
      if (*p == '.')
        for (p++; g_ascii_isdigit (*p); p++)
          ;
    }
  if (*p == 'Z')
    p++;
  while (*p == ' ')
    p++;
  if (*p != '\0' || h > 23 || m > 59 || s > 60)
    return FALSE;
  *fraction = (h * 3600 + m * 60 + s) / 86400.0;
  return TRUE;
}

/* Splits TEXT as A sep B sep C with one separator of "-/."; FALSE otherwise. */
static gboolean
split_date (const char *text, int *a, int *na, int *b, int *c, int *nc, char *sep,
            const char **rest)
{
  const char *p = text;

  while (*p == ' ')
    p++;
  if (!read_digits (&p, 4, a, na))
    return FALSE;
  *sep = *p;
  if (*sep != '-' && *sep != '/' && *sep != '.')
    return FALSE;
  p++;
  if (!read_digits (&p, 2, b, NULL) || *p++ != *sep || !read_digits (&p, 4, c, nc))
    return FALSE;
  *rest = p;
  return TRUE;
}

gboolean
strata_date_parse (const char *text, StrataDateOrder order, double *days)
{
  int a, na, b, c, nc;
  char sep;
  const char *rest;
  double day, fraction;
  int y, m, d;

  if (!split_date (text, &a, &na, &b, &c, &nc, &sep, &rest))
    return FALSE;
  if (na == 4 && sep == '-')
    y = a, m = b, d = c;
  else if (nc != 4 || na > 2)
    return FALSE;
  else if (sep == '.' || order == STRATA_DATE_ORDER_DAY_FIRST
           || (order == STRATA_DATE_ORDER_AUTO && a > 12))
    y = c, m = b, d = a;
  else if (order == STRATA_DATE_ORDER_MONTH_FIRST
           || (order == STRATA_DATE_ORDER_AUTO && b > 12))
    y = c, m = a, d = b;
  else
    return FALSE;
  if (!strata_date_from_ymd (y, m, d, &day) || !parse_time_of_day (rest, &fraction))
    return FALSE;
  *days = day + fraction;
  return TRUE;
}

static const char *const order_names[] = { "auto", "day-first", "month-first" };

gboolean
strata_date_order_from_string (const char *text, StrataDateOrder *order)
{
  for (guint i = 0; i < G_N_ELEMENTS (order_names); i++)
    if (g_strcmp0 (text, order_names[i]) == 0)
      {
        *order = (StrataDateOrder) i;
        return TRUE;
      }
  if (g_strcmp0 (text, "dmy") == 0 || g_strcmp0 (text, "mdy") == 0)
    {
      *order = text[0] == 'd' ? STRATA_DATE_ORDER_DAY_FIRST : STRATA_DATE_ORDER_MONTH_FIRST;
      return TRUE;
    }
  return FALSE;
}

const char *
strata_date_order_to_string (StrataDateOrder order)
{
  g_return_val_if_fail ((guint) order < G_N_ELEMENTS (order_names), NULL);
  return order_names[order];
}

static const char *const unit_names[] = { "days", "weeks", "months", "years" };

gboolean
strata_time_unit_from_string (const char *text, StrataTimeUnit *unit)
{
  for (guint i = 0; i < G_N_ELEMENTS (unit_names); i++)
    if (g_strcmp0 (text, unit_names[i]) == 0)
      {
        *unit = (StrataTimeUnit) i;
        return TRUE;
      }
  return FALSE;
}

const char *
strata_time_unit_to_string (StrataTimeUnit unit)
{
  g_return_val_if_fail ((guint) unit < G_N_ELEMENTS (unit_names), NULL);
  return unit_names[unit];
}

/* Decides the day-month order of a level column from its levels. */
static gboolean
decide_order (const StrataColumn *column, StrataDateOrder *order, GError **error)
{
  const char *day_first = NULL, *month_first = NULL, *either = NULL;

  for (guint i = 0; i < column->levels->len; i++)
    {
      const char *level = g_ptr_array_index (column->levels, i);
      int a, na, b, c, nc;
      char sep;
      const char *rest;

      if (!split_date (level, &a, &na, &b, &c, &nc, &sep, &rest) || sep == '.'
          || (na == 4 && sep == '-'))
        continue;
      if (a > 12 && day_first == NULL)
        day_first = level;
      else if (b > 12 && month_first == NULL)
        month_first = level;
      else if (a <= 12 && b <= 12 && a != b && either == NULL)
        either = level;
    }
  if (day_first != NULL && month_first != NULL)
    {
      g_set_error (error, STRATA_DATE_ERROR, STRATA_DATE_ERROR_MIXED,
                   _("column \"%s\" mixes day-first and month-first dates (\"%s\" and \"%s\")"),
                   column->name, day_first, month_first);
      return FALSE;
    }
  if (day_first != NULL)
    *order = STRATA_DATE_ORDER_DAY_FIRST;
  else if (month_first != NULL)
    *order = STRATA_DATE_ORDER_MONTH_FIRST;
  else if (either != NULL)
    {
      g_set_error (error, STRATA_DATE_ERROR, STRATA_DATE_ERROR_AMBIGUOUS,
                   _("the dates in column \"%s\" can be read day first or month first "
                     "(\"%s\"); say which"), column->name, either);
      return FALSE;
    }
  else
    *order = STRATA_DATE_ORDER_DAY_FIRST;  /* every date reads the same either way */
  return TRUE;
}

double *
strata_date_column_read (const StrataTable *table, const char *name,
                         const StrataDateOptions *options, StrataDateOrder *order_used,
                         GError **error)
{
  const StrataDateOptions defaults = { STRATA_DATE_ORDER_AUTO, FALSE };
  const StrataColumn *column;
  guint n_rows;
  g_autofree double *days = NULL;
  g_autofree double *level_days = NULL;
  StrataDateOrder order;

  g_return_val_if_fail (table != NULL && name != NULL, NULL);

  if (options == NULL)
    options = &defaults;
  order = options->order;
  if (options->column_orders != NULL && g_hash_table_contains (options->column_orders, name))
    order = GPOINTER_TO_INT (g_hash_table_lookup (options->column_orders, name));
  column = strata_table_find_column (table, name);
  if (column == NULL)
    {
      g_set_error (error, STRATA_DATE_ERROR, STRATA_DATE_ERROR_NO_COLUMN,
                   _("%s has no column \"%s\""), strata_table_get_display_name (table), name);
      return NULL;
    }
  n_rows = strata_table_get_n_rows (table);
  days = g_new (double, MAX (n_rows, 1));

  if (column->type == STRATA_COLUMN_NUMERIC)
    {
      for (guint i = 0; i < n_rows; i++)
        {
          if (isnan (column->values[i]))
            days[i] = NAN;
          else if (!strata_date_from_excel_serial (column->values[i], options->date1904,
                                                   &days[i]))
            {
              g_set_error (error, STRATA_DATE_ERROR, STRATA_DATE_ERROR_NOT_DATES,
                           _("line %u, column \"%s\": %g is not a date (as an Excel serial "
                             "number)"), strata_table_get_lines (table)[i], name,
                           column->values[i]);
              return NULL;
            }
        }
      if (order_used != NULL)
        *order_used = order;
      return g_steal_pointer (&days);
    }

  if (order == STRATA_DATE_ORDER_AUTO && !decide_order (column, &order, error))
    return NULL;
  level_days = g_new (double, MAX (column->levels->len, 1));
  for (guint j = 0; j < column->levels->len; j++)
    if (!strata_date_parse (g_ptr_array_index (column->levels, j), order, &level_days[j]))
      level_days[j] = NAN;
  for (guint i = 0; i < n_rows; i++)
    {
      guint32 code = column->codes[i];

      if (code == STRATA_MISSING_CODE)
        days[i] = NAN;
      else if (isnan (days[i] = level_days[code]))
        {
          g_set_error (error, STRATA_DATE_ERROR, STRATA_DATE_ERROR_NOT_DATES,
                       _("line %u, column \"%s\": \"%s\" is not a date"),
                       strata_table_get_lines (table)[i], name,
                       (const char *) g_ptr_array_index (column->levels, code));
          return NULL;
        }
    }
  if (order_used != NULL)
    *order_used = order;
  return g_steal_pointer (&days);
}

static double
unit_days (StrataTimeUnit unit)
{
  switch (unit)
    {
    case STRATA_TIME_UNIT_WEEKS:
      return 7;
    case STRATA_TIME_UNIT_MONTHS:
      return 365.25 / 12;  /* 30.4375 */
    case STRATA_TIME_UNIT_YEARS:
      return 365.25;
    case STRATA_TIME_UNIT_DAYS:
    default:
      return 1;
    }
}

double *
strata_date_derive_time (const StrataTable *table, const char *start, const char *end,
                         StrataTimeUnit unit, const StrataDateOptions *options,
                         GPtrArray *issues, GError **error)
{
  g_autofree double *from = NULL;
  g_autofree double *to = NULL;
  double divisor = unit_days (unit);
  guint n_rows;
  const guint *lines;

  g_return_val_if_fail (table != NULL && start != NULL && end != NULL, NULL);

  from = strata_date_column_read (table, start, options, NULL, error);
  if (from == NULL)
    return NULL;
  to = strata_date_column_read (table, end, options, NULL, error);
  if (to == NULL)
    return NULL;

  n_rows = strata_table_get_n_rows (table);
  lines = strata_table_get_lines (table);
  for (guint i = 0; i < n_rows; i++)
    {
      if (isnan (from[i]) || isnan (to[i]))
        to[i] = NAN;
      else if (to[i] < from[i])
        {
          if (issues != NULL)
            {
              char a[32], b[32];
              g_autofree char *reason =
                /* Translators: why a row is left out; the dates are ISO 8601, each with
                 * the name of its column. */
                g_strdup_printf (_("ends (%s, \"%s\") before it starts (%s, \"%s\")"),
                                 strata_date_format_iso (to[i], b), end,
                                 strata_date_format_iso (from[i], a), start);

              g_ptr_array_add (issues, strata_issue_new (lines[i], end, reason));
            }
          to[i] = NAN;
        }
      else
        to[i] = (to[i] - from[i]) / divisor;
    }
  return g_steal_pointer (&to);
}

gboolean
strata_date_derive_follow_up (const StrataTable *table, const char *start, const char *end,
                              const char *last_contact, StrataTimeUnit unit,
                              const StrataDateOptions *options, double **time, double **event,
                              GPtrArray *issues, GError **error)
{
  g_autofree double *from = NULL;
  g_autofree double *to = NULL;
  g_autofree double *last = NULL;
  g_autofree double *flag = NULL;
  double divisor = unit_days (unit);
  guint n_rows;
  const guint *lines;

  g_return_val_if_fail (table != NULL && start != NULL && end != NULL, FALSE);
  g_return_val_if_fail (time != NULL && event != NULL, FALSE);

  if ((from = strata_date_column_read (table, start, options, NULL, error)) == NULL ||
      (to = strata_date_column_read (table, end, options, NULL, error)) == NULL ||
      (last_contact != NULL &&
       (last = strata_date_column_read (table, last_contact, options, NULL, error)) == NULL))
    return FALSE;

  n_rows = strata_table_get_n_rows (table);
  lines = strata_table_get_lines (table);
  flag = g_new (double, MAX (n_rows, 1));
  for (guint i = 0; i < n_rows; i++)
    {
      gboolean has_event = !isnan (to[i]);
      double end_day = has_event ? to[i] : last != NULL ? last[i] : NAN;
      const char *end_column = has_event || last == NULL ? end : last_contact;
      g_autofree char *reason = NULL;
      const char *at_fault = end_column;

      flag[i] = has_event ? 1 : 0;
      if (last == NULL && (isnan (from[i]) || isnan (end_day)))
        reason = g_strdup (_("the start or the end date is missing"));
      else if (isnan (from[i]))
        {
          reason = g_strdup (_("the start date is missing"));
          at_fault = start;
        }
      else if (isnan (end_day))
        reason = g_strdup_printf (_("neither an event date (\"%s\") nor a last-contact date "
                                    "(\"%s\")"), end, last_contact);
      else if (end_day < from[i])
        {
          char a[32], b[32];
          reason = g_strdup_printf (_("ends (%s, \"%s\") before it starts (%s, \"%s\")"),
                                    strata_date_format_iso (end_day, b), end_column,
                                    strata_date_format_iso (from[i], a), start);
        }
      if (reason != NULL)
        {
          if (issues != NULL)
            g_ptr_array_add (issues, strata_issue_new (lines[i], at_fault, reason));
          to[i] = NAN;
        }
      else
        to[i] = (end_day - from[i]) / divisor;
    }
  *time = g_steal_pointer (&to);
  *event = g_steal_pointer (&flag);
  return TRUE;
}

double *
strata_date_derive_event (const StrataTable *table, const char *event_date,
                          const StrataDateOptions *options, GError **error)
{
  double *days = strata_date_column_read (table, event_date, options, NULL, error);
  guint n_rows;

  if (days == NULL)
    return NULL;
  n_rows = strata_table_get_n_rows (table);
  for (guint i = 0; i < n_rows; i++)
    days[i] = isnan (days[i]) ? 0 : 1;
  return days;
}

/* strata-spec.c: building and parsing an analysis specification. */
#include "strata-spec.h"
#include "strata-i18n.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (strata-spec-error-quark, strata_spec_error)

static void
filter_free (gpointer data)
{
  StrataFilter *filter = data;

  g_free (filter->text);
  g_free (filter->column);
  g_strfreev (filter->values);
  g_free (filter);
}

static void
grouping_free (gpointer data)
{
  StrataGrouping *grouping = data;

  g_free (grouping->text);
  g_free (grouping->column);
  g_free (grouping->threshold_text);
  g_free (grouping);
}

static void
response_spec_free (gpointer data)
{
  StrataResponseSpec *response = data;

  g_free (response->column);
  g_free (response->success);
  g_free (response);
}

StrataSpec *
strata_spec_new (void)
{
  StrataSpec *spec = g_new0 (StrataSpec, 1);

  spec->by = g_ptr_array_new_with_free_func (grouping_free);
  spec->where = g_ptr_array_new_with_free_func (filter_free);
  spec->responses = g_ptr_array_new_with_free_func (response_spec_free);
  spec->landmarks = g_array_new (FALSE, FALSE, sizeof (double));
  spec->conf_type = STRATA_CONF_LOG_LOG;
  spec->conf_level = 0.95;
  spec->date_orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return spec;
}

void
strata_spec_free (StrataSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->time_column);
  g_free (spec->event_column);
  g_free (spec->status_column);
  g_free (spec->time_from);
  g_free (spec->time_to);
  g_free (spec->time_unit);
  g_free (spec->last_contact);
  g_hash_table_unref (spec->date_orders);
  g_strfreev (spec->event_values);
  g_ptr_array_unref (spec->by);
  g_ptr_array_unref (spec->where);
  g_strfreev (spec->order);
  g_free (spec->reference);
  g_array_unref (spec->landmarks);
  g_ptr_array_unref (spec->responses);
  g_free (spec);
}

void
strata_spec_set_date_order (StrataSpec *spec, const char *column, StrataDateOrder order)
{
  if (order == STRATA_DATE_ORDER_AUTO)
    g_hash_table_remove (spec->date_orders, column);
  else
    g_hash_table_insert (spec->date_orders, g_strdup (column), GINT_TO_POINTER (order));
}

gboolean
strata_spec_add_date_order (StrataSpec *spec, const char *text, GError **error)
{
  const char *colon = strrchr (text, ':');
  StrataDateOrder order;

  if (colon == NULL || colon == text ||
      !strata_date_order_from_string (colon + 1, &order) || order == STRATA_DATE_ORDER_AUTO)
    {
      g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID,
                   _("--date-order “%s”: give COLUMN:day-first or COLUMN:month-first"), text);
      return FALSE;
    }
  g_autofree char *column = g_strndup (text, colon - text);
  strata_spec_set_date_order (spec, column, order);
  return TRUE;
}

StrataSpec *
strata_spec_copy (const StrataSpec *spec)
{
  StrataSpec *copy = strata_spec_new ();

  copy->time_column = g_strdup (spec->time_column);
  copy->event_column = g_strdup (spec->event_column);
  copy->event_values = g_strdupv (spec->event_values);
  copy->status_column = g_strdup (spec->status_column);
  copy->time_from = g_strdup (spec->time_from);
  copy->time_to = g_strdup (spec->time_to);
  copy->time_unit = g_strdup (spec->time_unit);
  copy->last_contact = g_strdup (spec->last_contact);
  GHashTableIter iter;
  gpointer column, order;
  g_hash_table_iter_init (&iter, spec->date_orders);
  while (g_hash_table_iter_next (&iter, &column, &order))
    g_hash_table_insert (copy->date_orders, g_strdup (column), order);
  copy->order = g_strdupv (spec->order);
  copy->reference = g_strdup (spec->reference);
  copy->conf_type = spec->conf_type;
  copy->conf_level = spec->conf_level;
  g_array_append_vals (copy->landmarks, spec->landmarks->data, spec->landmarks->len);
  for (guint i = 0; i < spec->by->len; i++)
    {
      const StrataGrouping *g = g_ptr_array_index (spec->by, i);
      StrataGrouping *c = g_memdup2 (g, sizeof *g);
      c->text = g_strdup (g->text);
      c->column = g_strdup (g->column);
      c->threshold_text = g_strdup (g->threshold_text);
      g_ptr_array_add (copy->by, c);
    }
  for (guint i = 0; i < spec->where->len; i++)
    {
      const StrataFilter *f = g_ptr_array_index (spec->where, i);
      StrataFilter *c = g_memdup2 (f, sizeof *f);
      c->text = g_strdup (f->text);
      c->column = g_strdup (f->column);
      c->values = g_strdupv (f->values);
      g_ptr_array_add (copy->where, c);
    }
  for (guint i = 0; i < spec->responses->len; i++)
    {
      const StrataResponseSpec *r = g_ptr_array_index (spec->responses, i);
      StrataResponseSpec *c = g_new0 (StrataResponseSpec, 1);
      c->column = g_strdup (r->column);
      c->success = g_strdup (r->success);
      g_ptr_array_add (copy->responses, c);
    }
  return copy;
}

static gboolean
parse_double (const char *text, double *value)
{
  char *end = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (*trimmed == '\0')
    return FALSE;
  *value = g_ascii_strtod (trimmed, &end);
  return end != NULL && *end == '\0' && isfinite (*value);
}

GStrv
strata_spec_split_list (const char *text, const char *what, GError **error)
{
  g_auto (GStrv) items = g_strsplit (text, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_strstrip (items[i]);
      if (items[i][0] == '\0')
        {
          g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID,
                       /* Translators: the first %s is an option, e.g. "--landmarks" */
                       _("%s “%s” has an empty item; separate values with single commas"),
                       what, text);
          return NULL;
        }
    }
  if (items[0] == NULL)
    {
      g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID, _("%s is empty"), what);
      return NULL;
    }
  return g_steal_pointer (&items);
}

gboolean
strata_spec_add_by (StrataSpec *spec, const char *text, GError **error)
{
  const char *ge = strstr (text, ">=");
  StrataGrouping *grouping = g_new0 (StrataGrouping, 1);

  grouping->text = g_strdup (text);
  if (ge != NULL)
    {
      grouping->cut = TRUE;
      grouping->column = g_strstrip (g_strndup (text, ge - text));
      grouping->threshold_text = g_strstrip (g_strdup (ge + 2));
      if (!parse_double (grouping->threshold_text, &grouping->threshold) ||
          grouping->column[0] == '\0')
        {
          g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID,
                       _("--by=%s: a cut is written COLUMN>=X with X a number, e.g. bm_blasts_pct>=5"),
                       text);
          grouping_free (grouping);
          return FALSE;
        }
    }
  else
    {
      grouping->column = g_strstrip (g_strdup (text));
      if (grouping->column[0] == '\0' || strpbrk (grouping->column, "<>=") != NULL)
        {
          g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID,
                       _("--by=%s: give a column name, or a cut written COLUMN>=X"), text);
          grouping_free (grouping);
          return FALSE;
        }
    }
  g_ptr_array_add (spec->by, grouping);
  return TRUE;
}

gboolean
strata_spec_add_where (StrataSpec *spec, const char *text, GError **error)
{
  const char *op = strpbrk (text, "<>=");
  g_autofree char *column = NULL;
  StrataFilter *filter;

  if (op == NULL || op == text)
    goto invalid;
  column = g_strstrip (g_strndup (text, op - text));
  if (column[0] == '\0')
    goto invalid;

  filter = g_new0 (StrataFilter, 1);
  filter->text = g_strdup (text);
  filter->column = g_steal_pointer (&column);
  if (op[0] == '=')
    {
      filter->values = strata_spec_split_list (op + 1, "--where value list", NULL);
      if (filter->values == NULL)
        {
          filter_free (filter);
          goto invalid;
        }
    }
  else
    {
      gboolean or_equal = op[1] == '=';
      filter->numeric = TRUE;
      if (op[0] == '>')
        filter->op = or_equal ? STRATA_COMPARE_GE : STRATA_COMPARE_GT;
      else
        filter->op = or_equal ? STRATA_COMPARE_LE : STRATA_COMPARE_LT;
      if (!parse_double (op + (or_equal ? 2 : 1), &filter->threshold))
        {
          filter_free (filter);
          goto invalid;
        }
    }
  g_ptr_array_add (spec->where, filter);
  return TRUE;

invalid:
  g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID,
               _("--where=%s: write COLUMN=V1,V2 (categories) or COLUMN>X, >=, <, <= (a number), "
                 "e.g. --where=disease_site=EMD,CNS or --where='bm_blasts_pct>=5'"), text);
  return FALSE;
}

gboolean
strata_spec_add_response (StrataSpec *spec, const char *text, GError **error)
{
  const char *colon = strchr (text, ':');
  StrataResponseSpec *response = g_new0 (StrataResponseSpec, 1);

  response->column = g_strstrip (colon ? g_strndup (text, colon - text) : g_strdup (text));
  if (colon != NULL)
    response->success = g_strstrip (g_strdup (colon + 1));
  if (response->column[0] == '\0' || (response->success != NULL && response->success[0] == '\0'))
    {
      g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID,
                   _("--response=%s: write COLUMN or COLUMN:LEVEL, e.g. mrd_day28:negative"), text);
      response_spec_free (response);
      return FALSE;
    }
  g_ptr_array_add (spec->responses, response);
  return TRUE;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

gboolean
strata_spec_set_landmarks (StrataSpec *spec, const char *text, GError **error)
{
  g_auto (GStrv) items = strata_spec_split_list (text, "--landmarks", error);
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  if (items == NULL)
    return FALSE;
  for (guint i = 0; items[i] != NULL; i++)
    {
      double t;
      if (!parse_double (items[i], &t) || t < 0)
        {
          g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID,
                       _("--landmarks: “%s” is not a time >= 0; write e.g. --landmarks=12,24"),
                       items[i]);
          return FALSE;
        }
      g_array_append_val (times, t);
    }
  g_array_sort (times, compare_doubles);
  g_array_set_size (spec->landmarks, 0);
  for (guint i = 0; i < times->len; i++)
    {
      double t = g_array_index (times, double, i);
      if (i == 0 || t != g_array_index (times, double, i - 1))
        g_array_append_val (spec->landmarks, t);
    }
  return TRUE;
}

gboolean
strata_spec_set_conf_level (StrataSpec *spec, const char *text, GError **error)
{
  double level;

  if (!parse_double (text, &level) || level <= 0 || level >= 1)
    {
      g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID,
                   _("--conf-level=%s: give a level between 0 and 1, e.g. 0.95"), text);
      return FALSE;
    }
  spec->conf_level = level;
  return TRUE;
}

gboolean
strata_spec_set_conf_type (StrataSpec *spec, const char *text, GError **error)
{
  if (!strata_conf_type_from_string (text, &spec->conf_type))
    {
      g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID,
                   _("--conf-type=%s: use log, log-log or plain"), text);
      return FALSE;
    }
  return TRUE;
}

gboolean
strata_compare_holds (StrataCompare op, double value, double threshold)
{
  switch (op)
    {
    case STRATA_COMPARE_GT:
      return value > threshold;
    case STRATA_COMPARE_GE:
      return value >= threshold;
    case STRATA_COMPARE_LT:
      return value < threshold;
    case STRATA_COMPARE_LE:
      return value <= threshold;
    default:
      return FALSE;
    }
}

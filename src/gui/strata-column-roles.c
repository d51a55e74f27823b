/* strata-column-roles.c: guessing, checking and saving the roles of a table's columns. */
#include "strata-column-roles.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

/* The core's default event values (strata-cohort.c): any case. */
static const char *const default_event_words[] = {
  "1", "yes", "true", "dead", "died", "death", "event", NULL
};

static const char *const time_suffixes[] = { "_months", "_days", "_years", "_weeks", "_time", NULL };
static const char *const time_units[] = { "months", "days", "years", "weeks", NULL, NULL };

/* ---- records ------------------------------------------------------------------------- */

static void
response_role_free (StrataResponseRole *role)
{
  g_free (role->column);
  g_free (role->success);
  g_free (role);
}

StrataColumnRoles *
strata_column_roles_new (void)
{
  StrataColumnRoles *roles = g_new0 (StrataColumnRoles, 1);

  roles->burden_threshold = NAN;
  roles->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) response_role_free);
  roles->strata = g_ptr_array_new_with_free_func (g_free);
  roles->date_orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return roles;
}

static void
copy_orders (GHashTable *to, GHashTable *from)
{
  GHashTableIter iter;
  gpointer column, order;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &column, &order))
    g_hash_table_insert (to, g_strdup (column), order);
}

StrataColumnRoles *
strata_column_roles_copy (const StrataColumnRoles *roles)
{
  StrataColumnRoles *copy = strata_column_roles_new ();

  copy->time_column = g_strdup (roles->time_column);
  copy->event_column = g_strdup (roles->event_column);
  copy->status_column = g_strdup (roles->status_column);
  copy->event_values = g_strdupv (roles->event_values);
  copy->time_from = g_strdup (roles->time_from);
  copy->time_to = g_strdup (roles->time_to);
  copy->last_contact = g_strdup (roles->last_contact);
  copy->time_unit = g_strdup (roles->time_unit);
  copy_orders (copy->date_orders, roles->date_orders);
  copy->sheet = g_strdup (roles->sheet);
  copy->header_row = roles->header_row;
  copy->site_column = g_strdup (roles->site_column);
  for (guint c = 0; c < STRATA_SITE_N_CLASSES; c++)
    copy->site_values[c] = g_strdupv (roles->site_values[c]);
  copy->blasts_column = g_strdup (roles->blasts_column);
  copy->burden_threshold = roles->burden_threshold;
  for (guint i = 0; i < roles->responses->len; i++)
    {
      const StrataResponseRole *r = g_ptr_array_index (roles->responses, i);
      StrataResponseRole *c = g_new0 (StrataResponseRole, 1);
      c->column = g_strdup (r->column);
      c->success = g_strdup (r->success);
      g_ptr_array_add (copy->responses, c);
    }
  for (guint i = 0; i < roles->strata->len; i++)
    g_ptr_array_add (copy->strata, g_strdup (g_ptr_array_index (roles->strata, i)));
  return copy;
}

void
strata_column_roles_free (StrataColumnRoles *roles)
{
  if (roles == NULL)
    return;
  g_free (roles->time_column);
  g_free (roles->event_column);
  g_free (roles->status_column);
  g_strfreev (roles->event_values);
  g_free (roles->time_from);
  g_free (roles->time_to);
  g_free (roles->last_contact);
  g_free (roles->time_unit);
  g_hash_table_unref (roles->date_orders);
  g_free (roles->sheet);
  g_free (roles->site_column);
  for (guint c = 0; c < STRATA_SITE_N_CLASSES; c++)
    g_strfreev (roles->site_values[c]);
  g_free (roles->blasts_column);
  g_ptr_array_unref (roles->responses);
  g_ptr_array_unref (roles->strata);
  g_free (roles);
}

void
strata_endpoint_choice_free (StrataEndpointChoice *choice)
{
  if (choice == NULL)
    return;
  g_free (choice->label);
  g_free (choice->time_column);
  g_free (choice->event_column);
  g_free (choice->status_column);
  g_free (choice->unit);
  g_free (choice);
}

/* ---- names ----------------------------------------------------------------------------- */

static gboolean
name_contains (const char *name, const char *word)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  return strstr (lower, word) != NULL;
}

static const StrataColumn *
find_column_ci (StrataTable *table, const char *name)
{
  for (guint c = 0; c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);
      if (g_ascii_strcasecmp (column->name, name) == 0)
        return column;
    }
  return NULL;
}

static const char *
find_level_ci (const StrataColumn *column, const char *level)
{
  for (guint l = 0; l < column->levels->len; l++)
    if (g_ascii_strcasecmp (g_ptr_array_index (column->levels, l), level) == 0)
      return g_ptr_array_index (column->levels, l);
  return NULL;
}

/* Whether a numeric status column holds 2 (a competing event) besides 0 and 1. */
static gboolean
is_competing_status (StrataTable *table, const StrataColumn *column)
{
  gboolean has_two = FALSE;

  if (column->type != STRATA_COLUMN_NUMERIC)
    return FALSE;
  for (guint r = 0; r < strata_table_get_n_rows (table); r++)
    {
      double v = column->values[r];
      if (isnan (v))
        continue;
      if (v != 0.0 && v != 1.0 && v != 2.0)
        return FALSE;
      has_two |= v == 2.0;
    }
  return has_two;
}

char *
strata_endpoint_label (const char *prefix, gboolean competing)
{
  static const struct { const char *prefix, *label; } known[] = {
    { "os", N_("Overall survival") },
    { "efs", N_("Event-free survival") },
    { "pfs", N_("Progression-free survival") },
    { "dfs", N_("Disease-free survival") },
    { "rfs", N_("Relapse-free survival") },
    { "lfs", N_("Leukaemia-free survival") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_ascii_strcasecmp (prefix, known[i].prefix) == 0)
      return g_strdup (_(known[i].label));
  if (*prefix == '\0')
    return g_strdup (_("Survival"));

  g_autofree char *words = g_strdelimit (g_strdup (prefix), "_", ' ');
  words[0] = g_ascii_toupper (words[0]);
  /* A status coded 0/1/2 counts any event: free of the event and of the competing one. */
  return competing ? g_strdup_printf (_("%s-free survival"), words) : g_steal_pointer (&words);
}

const char *
strata_time_unit_label (const char *unit)
{
  static const struct { const char *unit, *label; } labels[] = {
    { "days", NC_("time unit", "days") }, { "weeks", NC_("time unit", "weeks") },
    { "months", NC_("time unit", "months") }, { "years", NC_("time unit", "years") },
  };

  for (guint i = 0; unit != NULL && i < G_N_ELEMENTS (labels); i++)
    if (strcmp (unit, labels[i].unit) == 0)
      return g_dpgettext2 (NULL, "time unit", labels[i].label);
  return unit;
}

const char *
strata_time_unit_from_name (const char *column)
{
  /* More spellings than the endpoint pairing accepts: this only names the axis. */
  static const struct { const char *suffix, *unit; } units[] = {
    { "_months", "months" }, { "_month", "months" }, { "_mo", "months" }, { "_mos", "months" },
    { "_days", "days" }, { "_day", "days" },
    { "_years", "years" }, { "_year", "years" }, { "_yrs", "years" }, { "_yr", "years" },
    { "_weeks", "weeks" }, { "_week", "weeks" }, { "_wks", "weeks" }, { "_wk", "weeks" },
  };
  g_autofree char *lower = column ? g_ascii_strdown (column, -1) : NULL;

  for (guint i = 0; lower != NULL && i < G_N_ELEMENTS (units); i++)
    if (g_str_has_suffix (lower, units[i].suffix))
      return units[i].unit;
  return NULL;
}

GPtrArray *
strata_column_roles_find_endpoints (StrataTable *table)
{
  GPtrArray *endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_endpoint_choice_free);

  for (guint c = 0; table != NULL && c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *time = strata_table_get_column (table, c);
      g_autofree char *prefix = NULL;
      const char *unit = NULL;

      /* Any type: the core reports the cells that are not times, row by row. */
      for (guint s = 0; time_suffixes[s] != NULL && prefix == NULL; s++)
        if (g_str_has_suffix (time->name, time_suffixes[s]) &&
            strlen (time->name) > strlen (time_suffixes[s]))
          {
            prefix = g_strndup (time->name, strlen (time->name) - strlen (time_suffixes[s]));
            unit = time_units[s];
          }
      if (prefix == NULL && (g_ascii_strcasecmp (time->name, "time") == 0 ||
                             g_ascii_strcasecmp (time->name, "futime") == 0))
        prefix = g_strdup ("");
      if (prefix == NULL)
        continue;

      const StrataColumn *event = NULL;
      static const char *const event_suffixes[] = { "status", "event", NULL };
      for (guint s = 0; event_suffixes[s] != NULL && event == NULL; s++)
        {
          g_autofree char *name = *prefix ? g_strconcat (prefix, "_", event_suffixes[s], NULL)
                                          : g_strdup (event_suffixes[s]);
          event = find_column_ci (table, name);
        }
      if (event == NULL)
        continue;

      StrataEndpointChoice *endpoint = g_new0 (StrataEndpointChoice, 1);
      gboolean competing = is_competing_status (table, event);
      endpoint->label = strata_endpoint_label (prefix, competing);
      endpoint->time_column = g_strdup (time->name);
      if (competing)
        endpoint->status_column = g_strdup (event->name);
      else
        endpoint->event_column = g_strdup (event->name);
      endpoint->unit = g_strdup (unit);
      g_ptr_array_add (endpoints, endpoint);
    }
  return endpoints;
}

/* ---- disease site ---------------------------------------------------------------------- */

int
strata_site_class_guess (const char *level)
{
  static const char *const bm[] = { "bm", "marrow", "bone marrow", "isolated bm", "bm only",
                                    "medullary", "isolated marrow", NULL };
  static const char *const emd[] = { "emd", "extramedullary", "extra-medullary", "ems",
                                     "extramedullary disease", NULL };
  static const char *const cns[] = { "cns", "cns3", "cns 3", "central nervous system", NULL };
  const char *const *lists[] = { bm, emd, cns };
  g_autofree char *lower = g_ascii_strdown (level, -1);

  g_strstrip (lower);
  for (guint c = 0; c < STRATA_SITE_N_CLASSES; c++)
    for (guint i = 0; lists[c][i] != NULL; i++)
      if (strcmp (lower, lists[c][i]) == 0)
        return (int) c;
  return -1;
}

const char *
strata_site_class_name (StrataSiteClass site_class)
{
  static const char *const names[] = { "BM", "EMD", "CNS" };
  return names[MIN ((guint) site_class, STRATA_SITE_N_CLASSES - 1)];
}

const char *
strata_site_class_description (StrataSiteClass site_class)
{
  switch (site_class)
    {
    case STRATA_SITE_BM:
      return _("Isolated bone marrow");
    case STRATA_SITE_EMD:
      return _("Extramedullary, not CNS");
    case STRATA_SITE_CNS:
    default:
      return _("Active CNS disease");
    }
}

int
strata_column_roles_site_class_of (const StrataColumnRoles *roles, const char *level)
{
  for (guint c = 0; c < STRATA_SITE_N_CLASSES; c++)
    if (roles->site_values[c] != NULL && g_strv_contains ((const char *const *) roles->site_values[c], level))
      return (int) c;
  return -1;
}

/* ---- guessing ------------------------------------------------------------------------- */

StrataColumnRoles *
strata_column_roles_guess (StrataTable *table)
{
  StrataColumnRoles *roles = strata_column_roles_new ();
  g_autoptr (GPtrArray) endpoints = strata_column_roles_find_endpoints (table);
  const StrataEndpointChoice *main_endpoint = NULL;
  gboolean have_mrd = FALSE;

  if (table == NULL)
    return roles;

  for (guint i = 0; i < endpoints->len; i++)
    {
      const StrataEndpointChoice *e = g_ptr_array_index (endpoints, i);
      if (main_endpoint == NULL || g_ascii_strcasecmp (e->time_column, "os_months") == 0)
        main_endpoint = e;
    }
  if (main_endpoint != NULL)
    {
      roles->time_column = g_strdup (main_endpoint->time_column);
      roles->event_column = g_strdup (main_endpoint->event_column);
      roles->status_column = g_strdup (main_endpoint->status_column);
    }

  for (guint c = 0; c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);

      if (roles->site_column == NULL && column->type == STRATA_COLUMN_CATEGORICAL &&
          (g_ascii_strcasecmp (column->name, "site") == 0 || g_str_has_suffix (column->name, "_site")))
        {
          GStrvBuilder *builders[STRATA_SITE_N_CLASSES];
          roles->site_column = g_strdup (column->name);
          for (guint k = 0; k < STRATA_SITE_N_CLASSES; k++)
            builders[k] = g_strv_builder_new ();
          for (guint l = 0; l < column->levels->len; l++)
            {
              int k = strata_site_class_guess (g_ptr_array_index (column->levels, l));
              if (k >= 0)
                g_strv_builder_add (builders[k], g_ptr_array_index (column->levels, l));
            }
          for (guint k = 0; k < STRATA_SITE_N_CLASSES; k++)
            {
              roles->site_values[k] = g_strv_builder_end (builders[k]);
              g_strv_builder_unref (builders[k]);
              if (roles->site_values[k][0] == NULL)
                g_clear_pointer (&roles->site_values[k], g_strfreev);
            }
        }
      else if (roles->blasts_column == NULL && column->type == STRATA_COLUMN_NUMERIC &&
               name_contains (column->name, "blast"))
        roles->blasts_column = g_strdup (column->name);
      else if (column->type == STRATA_COLUMN_CATEGORICAL && column->levels->len >= 2)
        {
          const char *success = NULL;
          if (!have_mrd && name_contains (column->name, "mrd"))
            {
              have_mrd = TRUE;
              success = find_level_ci (column, "negative");
            }
          else if (name_contains (column->name, "response"))
            success = find_level_ci (column, "CR");
          else
            continue;
          StrataResponseRole *role = g_new0 (StrataResponseRole, 1);
          role->column = g_strdup (column->name);
          role->success = g_strdup (success ? success : g_ptr_array_index (column->levels, 0));
          g_ptr_array_add (roles->responses, role);
        }
    }
  return roles;
}

char *
strata_column_roles_default_event_text (StrataTable *table, const char *event_column)
{
  const StrataColumn *column = event_column ? strata_table_find_column (table, event_column) : NULL;
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  if (column == NULL)
    return g_strdup ("");
  if (column->type == STRATA_COLUMN_NUMERIC)
    {
      for (guint r = 0; r < strata_table_get_n_rows (table); r++)
        if (column->values[r] == 1.0)
          {
            g_ptr_array_add (found, g_strdup ("1"));
            break;
          }
    }
  else
    for (guint l = 0; l < column->levels->len; l++)
      {
        const char *level = g_ptr_array_index (column->levels, l);
        double value;
        gboolean event = FALSE;
        for (guint w = 0; default_event_words[w] != NULL && !event; w++)
          event = g_ascii_strcasecmp (level, default_event_words[w]) == 0;
        if (!event && strata_table_parse_number (table, level, &value) && value == 1.0)
          event = TRUE;
        if (event)
          g_ptr_array_add (found, g_strdup (level));
      }
  g_ptr_array_add (found, NULL);
  return g_strjoinv (", ", (char **) found->pdata);
}

/* ---- checking ------------------------------------------------------------------------- */

static gboolean
check_column (StrataTable *table, const char *name, const char *role, gboolean numeric,
              GError **error)
{
  const StrataColumn *column;

  if (name == NULL)
    return TRUE;
  column = strata_table_find_column (table, name);
  if (column == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The %s column “%s” is not in this file."), role, name);
      return FALSE;
    }
  if (numeric && column->type != STRATA_COLUMN_NUMERIC)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The %s column “%s” does not hold numbers."), role, name);
      return FALSE;
    }
  return TRUE;
}

gboolean
strata_column_roles_validate (const StrataColumnRoles *roles, StrataTable *table, GError **error)
{
  StrataTimeUnit unit;

  if (roles->time_from != NULL &&
      (roles->time_to == NULL || g_strcmp0 (roles->time_from, roles->time_to) == 0 ||
       g_strcmp0 (roles->time_from, roles->last_contact) == 0 ||
       g_strcmp0 (roles->time_to, roles->last_contact) == 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Choose different columns for the start date, the event date and the last "
                     "contact."));
      return FALSE;
    }
  if (roles->time_from != NULL && roles->time_unit != NULL &&
      !strata_time_unit_from_string (roles->time_unit, &unit))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The time unit must be days, weeks, months or years."));
      return FALSE;
    }
  if (!check_column (table, roles->time_from, _("start date"), FALSE, error) ||
      !check_column (table, roles->time_to, _("event date"), FALSE, error) ||
      !check_column (table, roles->last_contact, _("last contact"), FALSE, error))
    return FALSE;
  if (roles->time_column != NULL && roles->event_column == NULL && roles->status_column == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Choose the event column that goes with the time column “%s”."),
                   roles->time_column);
      return FALSE;
    }
  if (roles->time_column != NULL &&
      (g_strcmp0 (roles->time_column, roles->event_column) == 0 ||
       g_strcmp0 (roles->time_column, roles->status_column) == 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The time and the event must be two different columns."));
      return FALSE;
    }
  /* The time column may hold text cells: the core lists them as excluded rows. */
  if (!check_column (table, roles->time_column, _("time"), FALSE, error) ||
      !check_column (table, roles->event_column, _("event"), FALSE, error) ||
      !check_column (table, roles->status_column, _("status"), TRUE, error) ||
      !check_column (table, roles->site_column, _("disease site"), FALSE, error) ||
      !check_column (table, roles->blasts_column, _("marrow blasts"), TRUE, error))
    return FALSE;
  if (roles->event_values != NULL && roles->event_values[0] == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Give at least one value that means an event."));
      return FALSE;
    }
  for (guint i = 0; i < roles->responses->len; i++)
    {
      const StrataResponseRole *r = g_ptr_array_index (roles->responses, i);
      if (!check_column (table, r->column, _("response"), FALSE, error))
        return FALSE;
    }
  for (guint i = 0; i < roles->strata->len; i++)
    if (!check_column (table, g_ptr_array_index (roles->strata, i), _("stratum"), FALSE, error))
      return FALSE;
  return TRUE;
}

/* ---- JSON ------------------------------------------------------------------------------ */

static void
set_string (JsonObject *object, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static JsonArray *
strv_to_array (char **values)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  return array;
}

static GStrv
array_to_strv (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

static char *
dup_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

JsonObject *
strata_column_roles_to_json (const StrataColumnRoles *roles)
{
  JsonObject *object = json_object_new ();
  JsonObject *site_values = json_object_new ();
  JsonArray *responses = json_array_new ();
  JsonArray *strata = json_array_new ();

  set_string (object, "time_column", roles->time_column);
  set_string (object, "event_column", roles->event_column);
  set_string (object, "status_column", roles->status_column);
  if (roles->event_values != NULL)
    json_object_set_array_member (object, "event_values", strv_to_array (roles->event_values));
  else
    json_object_set_null_member (object, "event_values");
  if (roles->time_from != NULL)
    {
      JsonObject *orders = json_object_new ();
      GHashTableIter iter;
      gpointer column, order;

      set_string (object, "time_from", roles->time_from);
      set_string (object, "time_to", roles->time_to);
      set_string (object, "last_contact", roles->last_contact);
      set_string (object, "time_unit", roles->time_unit);
      g_hash_table_iter_init (&iter, roles->date_orders);
      while (g_hash_table_iter_next (&iter, &column, &order))
        json_object_set_string_member (orders, column,
                                       strata_date_order_to_string (GPOINTER_TO_INT (order)));
      json_object_set_object_member (object, "date_orders", orders);
    }
  if (roles->sheet != NULL)
    set_string (object, "sheet", roles->sheet);
  if (roles->header_row > 0)
    json_object_set_int_member (object, "header_row", roles->header_row);
  set_string (object, "site_column", roles->site_column);
  for (guint c = 0; c < STRATA_SITE_N_CLASSES; c++)
    json_object_set_array_member (site_values, strata_site_class_name (c),
                                  strv_to_array (roles->site_values[c]));
  json_object_set_object_member (object, "site_values", site_values);
  set_string (object, "blasts_column", roles->blasts_column);
  if (isfinite (roles->burden_threshold))
    json_object_set_double_member (object, "burden_threshold", roles->burden_threshold);
  else
    json_object_set_null_member (object, "burden_threshold");
  for (guint i = 0; i < roles->responses->len; i++)
    {
      const StrataResponseRole *r = g_ptr_array_index (roles->responses, i);
      JsonObject *response = json_object_new ();
      set_string (response, "column", r->column);
      set_string (response, "success", r->success);
      json_array_add_object_element (responses, response);
    }
  json_object_set_array_member (object, "responses", responses);
  for (guint i = 0; i < roles->strata->len; i++)
    json_array_add_string_element (strata, g_ptr_array_index (roles->strata, i));
  json_object_set_array_member (object, "strata", strata);
  return object;
}

StrataColumnRoles *
strata_column_roles_from_json (JsonObject *object)
{
  StrataColumnRoles *roles = strata_column_roles_new ();
  JsonNode *node;

  roles->time_column = dup_string (object, "time_column");
  roles->event_column = dup_string (object, "event_column");
  roles->status_column = dup_string (object, "status_column");
  roles->event_values = array_to_strv (object, "event_values");
  roles->time_from = dup_string (object, "time_from");
  roles->time_to = dup_string (object, "time_to");
  roles->last_contact = dup_string (object, "last_contact");
  roles->time_unit = dup_string (object, "time_unit");
  node = json_object_get_member (object, "date_orders");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autoptr (GList) columns = json_object_get_members (json_node_get_object (node));
      for (GList *l = columns; l != NULL; l = l->next)
        {
          g_autofree char *text = dup_string (json_node_get_object (node), l->data);
          StrataDateOrder order;
          if (text != NULL && strata_date_order_from_string (text, &order) &&
              order != STRATA_DATE_ORDER_AUTO)
            g_hash_table_insert (roles->date_orders, g_strdup (l->data), GINT_TO_POINTER (order));
        }
    }
  roles->sheet = dup_string (object, "sheet");
  node = json_object_get_member (object, "header_row");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
      json_node_get_int (node) > 0 && json_node_get_int (node) <= G_MAXINT32)
    roles->header_row = (guint) json_node_get_int (node);
  roles->site_column = dup_string (object, "site_column");
  node = json_object_get_member (object, "site_values");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    for (guint c = 0; c < STRATA_SITE_N_CLASSES; c++)
      {
        roles->site_values[c] = array_to_strv (json_node_get_object (node), strata_site_class_name (c));
        if (roles->site_values[c] != NULL && roles->site_values[c][0] == NULL)
          g_clear_pointer (&roles->site_values[c], g_strfreev);
      }
  roles->blasts_column = dup_string (object, "blasts_column");
  node = json_object_get_member (object, "burden_threshold");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      (json_node_get_value_type (node) == G_TYPE_DOUBLE || json_node_get_value_type (node) == G_TYPE_INT64))
    roles->burden_threshold = json_node_get_double (node);
  node = json_object_get_member (object, "responses");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          StrataResponseRole *r = g_new0 (StrataResponseRole, 1);
          r->column = dup_string (json_node_get_object (element), "column");
          r->success = dup_string (json_node_get_object (element), "success");
          if (r->column == NULL)
            response_role_free (r);
          else
            g_ptr_array_add (roles->responses, r);
        }
    }
  g_auto (GStrv) strata = array_to_strv (object, "strata");
  for (guint i = 0; strata != NULL && strata[i] != NULL; i++)
    g_ptr_array_add (roles->strata, g_strdup (strata[i]));
  return roles;
}

/* ---- time from dates ------------------------------------------------------------------ */

gboolean
strata_column_is_dates (StrataTable *table, const StrataColumn *column)
{
  guint n_dates = 0;

  if (column == NULL || column->type == STRATA_COLUMN_NUMERIC)
    return FALSE;
  for (guint l = 0; l < column->levels->len; l++)
    {
      const char *level = g_ptr_array_index (column->levels, l);
      double days;
      if (!strata_date_parse (level, STRATA_DATE_ORDER_DAY_FIRST, &days) &&
          !strata_date_parse (level, STRATA_DATE_ORDER_MONTH_FIRST, &days))
        return FALSE;
      n_dates++;
    }
  return n_dates > 0;
}

/* The first date column of TABLE whose lowercased name holds one of WORDS, other than
 * the columns in TAKEN; NULL when none. */
static const char *
find_date_column (StrataTable *table, const char *const *words, const char *const *taken)
{
  for (guint w = 0; words[w] != NULL; w++)
    for (guint c = 0; c < strata_table_get_n_columns (table); c++)
      {
        const StrataColumn *column = strata_table_get_column (table, c);
        g_autofree char *name = g_ascii_strdown (column->name, -1);
        gboolean used = FALSE;

        for (guint t = 0; taken[t] != NULL; t++)
          used |= g_strcmp0 (taken[t], column->name) == 0;
        if (!used && strstr (name, words[w]) != NULL && strata_column_is_dates (table, column))
          return column->name;
      }
  return NULL;
}

gboolean
strata_column_roles_guess_dates (StrataColumnRoles *roles, StrataTable *table)
{
  static const char *const start_words[] = { "infusion", "cart", "car_t", "car-t", "car t",
                                             "transplant", "treatment", "start", "diagnosis",
                                             "enrol", NULL };
  static const char *const end_words[] = { "death", "died", "relapse", "progression", "event",
                                           "end", NULL };
  static const char *const last_words[] = { "last_contact", "last contact", "lastcontact",
                                            "follow", "last_seen", "last seen", "last_visit",
                                            "last visit", "censor", "last", NULL };
  const char *none[] = { NULL };
  const char *start = find_date_column (table, start_words, none);
  const char *taken_start[] = { start, NULL };
  const char *last = start ? find_date_column (table, last_words, taken_start) : NULL;
  const char *taken_both[] = { start, last, NULL };
  const char *end = start ? find_date_column (table, end_words, taken_both) : NULL;

  if (start == NULL || end == NULL)
    return FALSE;
  g_free (roles->time_from);
  g_free (roles->time_to);
  g_free (roles->last_contact);
  g_free (roles->time_unit);
  roles->time_from = g_strdup (start);
  roles->time_to = g_strdup (end);
  roles->last_contact = g_strdup (last);
  roles->time_unit = g_strdup ("months");
  return TRUE;
}

void
strata_column_roles_apply_dates (const StrataColumnRoles *roles, StrataSpec *spec)
{
  GHashTableIter iter;
  gpointer column, order;

  if (roles->time_from == NULL)
    return;
  g_clear_pointer (&spec->time_column, g_free);
  g_free (spec->time_from);
  g_free (spec->time_to);
  g_free (spec->last_contact);
  g_free (spec->time_unit);
  spec->time_from = g_strdup (roles->time_from);
  spec->time_to = g_strdup (roles->time_to);
  spec->last_contact = g_strdup (roles->last_contact);
  spec->time_unit = g_strdup (roles->time_unit);
  g_hash_table_iter_init (&iter, roles->date_orders);
  while (g_hash_table_iter_next (&iter, &column, &order))
    strata_spec_set_date_order (spec, column, GPOINTER_TO_INT (order));
}

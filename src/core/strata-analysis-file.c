/* strata-analysis-file.c: reading and writing reproducible analysis files (.strata). */
#include "config.h"
#include "strata-analysis-file.h"
#include "strata-i18n.h"
#include "strata-json-writer.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "strata-atomic-file.h"

#define FORMAT_NAME "strata-analysis"
#define READ_BLOCK (256 * 1024)
/* A .strata file is a few kilobytes; refuse to parse anything absurdly large. */
#define MAX_ANALYSIS_FILE_SIZE (16 * 1024 * 1024)

G_DEFINE_QUARK (strata-analysis-file-error-quark, strata_analysis_file_error)

/* ---- the record ------------------------------------------------------------------------ */

/* PATH made absolute (against the current folder) and without "." or "..". */
static char *
absolute_path (const char *path)
{
  return path ? g_canonicalize_filename (path, NULL) : NULL;
}

StrataAnalysisFile *
strata_analysis_file_new (const char *source_path, const StrataSpec *spec)
{
  StrataAnalysisFile *file = g_new0 (StrataAnalysisFile, 1);

  file->source_path = absolute_path (source_path);
  file->source_size = -1;
  file->spec = spec ? strata_spec_copy (spec) : strata_spec_new ();
  file->source_status = STRATA_SOURCE_NOT_CHECKED;
  return file;
}

void
strata_analysis_file_free (StrataAnalysisFile *file)
{
  if (file == NULL)
    return;
  g_free (file->source_path);
  g_free (file->source_sha256);
  g_free (file->sheet);
  strata_spec_free (file->spec);
  g_clear_pointer (&file->import_roles, json_object_unref);
  g_clear_pointer (&file->view, json_object_unref);
  g_free (file->created_by);
  g_free (file->source_message);
  g_free (file->recorded_path);
  g_free (file);
}

void
strata_analysis_file_set_view (StrataAnalysisFile *file, JsonObject *object)
{
  g_return_if_fail (file != NULL);

  if (object != NULL)
    json_object_ref (object);
  g_clear_pointer (&file->view, json_object_unref);
  file->view = object;
}

void
strata_analysis_file_set_import_roles (StrataAnalysisFile *file, JsonObject *object)
{
  g_return_if_fail (file != NULL);

  if (object != NULL)
    json_object_ref (object);
  g_clear_pointer (&file->import_roles, json_object_unref);
  file->import_roles = object;
}

/* ---- checksum -------------------------------------------------------------------------- */

char *
strata_file_sha256 (const char *path, gint64 *size, GCancellable *cancellable, GError **error)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GFileInputStream) stream = NULL;
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = NULL;
  g_autoptr (GError) local = NULL;
  gint64 total = 0;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, cancellable, &local);
  if (stream == NULL)
    {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, G_IO_ERROR, local->code, _("Could not read “%s”: %s"), path,
                     local->message);
      return NULL;
    }
  buffer = g_malloc (READ_BLOCK);
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, READ_BLOCK, cancellable,
                                      &local);
      if (n < 0)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local));
          else
            g_set_error (error, G_IO_ERROR, local->code, _("Could not read “%s”: %s"), path,
                         local->message);
          return NULL;
        }
      if (n == 0)
        break;
      g_checksum_update (sum, buffer, n);
      total += n;
    }
  if (size != NULL)
    *size = total;
  return g_strdup (g_checksum_get_string (sum));
}

static gboolean
is_sha256 (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

/* ---- writing ------------------------------------------------------------------------ */

/* The shortest of %.15g, %.16g, %.17g that reads back as VALUE: 0.95, not
 * 0.94999999999999996. Integers print without a decimal point. */
static void
append_number (GString *out, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  for (int digits = 15; digits <= 17; digits++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

typedef struct {
  GString *out;
  guint depth;
  gboolean first;   /* no member or element yet in the current container */
} Writer;

static void
newline (Writer *w)
{
  g_string_append_c (w->out, '\n');
  for (guint i = 0; i < w->depth; i++)
    g_string_append (w->out, "  ");
}

static void
begin (Writer *w, char bracket)
{
  g_string_append_c (w->out, bracket);
  w->depth++;
  w->first = TRUE;
}

static void
end (Writer *w, char bracket)
{
  w->depth--;
  if (!w->first)
    newline (w);
  g_string_append_c (w->out, bracket);
  w->first = FALSE;
}

static void
element (Writer *w)
{
  if (!w->first)
    g_string_append_c (w->out, ',');
  newline (w);
  w->first = FALSE;
}

static void
key (Writer *w, const char *name)
{
  element (w);
  strata_json_append_string (w->out, name);
  g_string_append (w->out, ": ");
}

static void write_node (Writer *w, JsonNode *node);

static void
write_object (Writer *w, JsonObject *object)
{
  g_autoptr (GList) members = json_object_get_members (object);

  begin (w, '{');
  for (GList *l = members; l != NULL; l = l->next)
    {
      key (w, l->data);
      write_node (w, json_object_get_member (object, l->data));
    }
  end (w, '}');
}

static void
write_node (Writer *w, JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      write_object (w, json_node_get_object (node));
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        begin (w, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            element (w);
            write_node (w, json_array_get_element (array, i));
          }
        end (w, ']');
      }
      break;
    case JSON_NODE_NULL:
      g_string_append (w->out, "null");
      break;
    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);
        if (type == G_TYPE_STRING)
          strata_json_append_string (w->out, json_node_get_string (node));
        else if (type == G_TYPE_BOOLEAN)
          g_string_append (w->out, json_node_get_boolean (node) ? "true" : "false");
        else if (type == G_TYPE_INT64)
          g_string_append_printf (w->out, "%" G_GINT64_FORMAT, json_node_get_int (node));
        else
          append_number (w->out, json_node_get_double (node));
      }
      break;
    }
}

static void
write_string_array (Writer *w, const char *const *values)
{
  if (values == NULL)
    {
      g_string_append (w->out, "null");
      return;
    }
  begin (w, '[');
  for (guint i = 0; values[i] != NULL; i++)
    {
      element (w);
      strata_json_append_string (w->out, values[i]);
    }
  end (w, ']');
}

static const char *
compare_to_string (StrataCompare op)
{
  switch (op)
    {
    case STRATA_COMPARE_GT:
      return ">";
    case STRATA_COMPARE_GE:
      return ">=";
    case STRATA_COMPARE_LT:
      return "<";
    case STRATA_COMPARE_LE:
    default:
      return "<=";
    }
}

static void
write_spec (Writer *w, const StrataSpec *spec)
{
  key (w, "by");
  begin (w, '[');
  for (guint i = 0; i < spec->by->len; i++)
    {
      const StrataGrouping *g = g_ptr_array_index (spec->by, i);
      element (w);
      begin (w, '{');
      key (w, "text");
      strata_json_append_string (w->out, g->text);
      key (w, "column");
      strata_json_append_string (w->out, g->column);
      key (w, "cut");
      g_string_append (w->out, g->cut ? "true" : "false");
      if (g->cut)
        {
          key (w, "threshold");
          append_number (w->out, g->threshold);
          key (w, "threshold_text");
          strata_json_append_string (w->out, g->threshold_text);
        }
      end (w, '}');
    }
  end (w, ']');

  key (w, "where");
  begin (w, '[');
  for (guint i = 0; i < spec->where->len; i++)
    {
      const StrataFilter *f = g_ptr_array_index (spec->where, i);
      element (w);
      begin (w, '{');
      key (w, "text");
      strata_json_append_string (w->out, f->text);
      key (w, "column");
      strata_json_append_string (w->out, f->column);
      if (f->numeric)
        {
          key (w, "op");
          strata_json_append_string (w->out, compare_to_string (f->op));
          key (w, "threshold");
          append_number (w->out, f->threshold);
        }
      else
        {
          key (w, "values");
          write_string_array (w, (const char *const *) f->values);
        }
      end (w, '}');
    }
  end (w, ']');

  key (w, "order");
  write_string_array (w, (const char *const *) spec->order);
  key (w, "reference");
  strata_json_append_string (w->out, spec->reference);
  key (w, "conf_type");
  strata_json_append_string (w->out, strata_conf_type_to_string (spec->conf_type));
  key (w, "conf_level");
  append_number (w->out, spec->conf_level);

  key (w, "landmarks");
  begin (w, '[');
  for (guint i = 0; i < spec->landmarks->len; i++)
    {
      element (w);
      append_number (w->out, g_array_index (spec->landmarks, double, i));
    }
  end (w, ']');

  key (w, "responses");
  begin (w, '[');
  for (guint i = 0; i < spec->responses->len; i++)
    {
      const StrataResponseSpec *r = g_ptr_array_index (spec->responses, i);
      element (w);
      begin (w, '{');
      key (w, "column");
      strata_json_append_string (w->out, r->column);
      key (w, "success");
      strata_json_append_string (w->out, r->success);
      end (w, '}');
    }
  end (w, ']');
}

/* The time derived from dates (import.time_from...), only when there is one, so that
 * files without it read as before. Date orders are written sorted by column. */
static void
write_derived_time (Writer *w, const StrataSpec *spec)
{
  static const char *const names[] = { "time_from", "time_to", "last_contact", "time_unit" };
  const char *values[] = { spec->time_from, spec->time_to, spec->last_contact, spec->time_unit };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (values[i] != NULL)
      {
        key (w, names[i]);
        strata_json_append_string (w->out, values[i]);
      }
  if (g_hash_table_size (spec->date_orders) == 0)
    return;
  g_autoptr (GList) columns = g_list_sort (g_hash_table_get_keys (spec->date_orders),
                                           (GCompareFunc) g_strcmp0);
  key (w, "date_orders");
  begin (w, '{');
  for (GList *l = columns; l != NULL; l = l->next)
    {
      key (w, l->data);
      strata_json_append_string (
        w->out, strata_date_order_to_string (GPOINTER_TO_INT (g_hash_table_lookup (spec->date_orders,
                                                                                   l->data))));
    }
  end (w, '}');
}

char *
strata_analysis_file_to_data (const StrataAnalysisFile *file)
{
  g_return_val_if_fail (file != NULL, NULL);

  GString *out = g_string_new (NULL);
  Writer w = { out, 0, TRUE };
  const StrataSpec *spec = file->spec;
  g_autofree char *created_by = file->created_by ? g_strdup (file->created_by)
                                                 : g_strdup_printf ("Strata %s", PACKAGE_VERSION);

  begin (&w, '{');
  key (&w, "format");
  strata_json_append_string (out, FORMAT_NAME);
  key (&w, "version");
  g_string_append_printf (out, "%d", STRATA_ANALYSIS_FILE_VERSION);
  key (&w, "created_by");
  strata_json_append_string (out, created_by);

  key (&w, "source");
  begin (&w, '{');
  key (&w, "path");
  strata_json_append_string (out, file->source_path);
  key (&w, "sha256");
  strata_json_append_string (out, file->source_sha256);
  if (file->source_size >= 0)
    {
      key (&w, "size");
      g_string_append_printf (out, "%" G_GINT64_FORMAT, file->source_size);
    }
  if (file->sheet != NULL)
    {
      key (&w, "sheet");
      strata_json_append_string (out, file->sheet);
    }
  if (file->header_row > 0)
    {
      key (&w, "header_row");
      g_string_append_printf (out, "%u", file->header_row);
    }
  end (&w, '}');

  key (&w, "import");
  begin (&w, '{');
  key (&w, "time_column");
  strata_json_append_string (out, spec->time_column);
  key (&w, "event_column");
  strata_json_append_string (out, spec->event_column);
  key (&w, "event_values");
  write_string_array (&w, (const char *const *) spec->event_values);
  key (&w, "status_column");
  strata_json_append_string (out, spec->status_column);
  write_derived_time (&w, spec);
  if (file->import_roles != NULL)
    {
      key (&w, "roles");
      write_object (&w, file->import_roles);
    }
  end (&w, '}');

  key (&w, "analysis");
  begin (&w, '{');
  write_spec (&w, spec);
  end (&w, '}');

  key (&w, "view");
  if (file->view != NULL)
    write_object (&w, file->view);
  else
    g_string_append (out, "{}");
  end (&w, '}');
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

static gboolean
write_text_cb (const char *temp_path, gpointer data, GError **error)
{
  const char *text = data;
  FILE *stream = fopen (temp_path, "wb");
  gsize length = strlen (text);

  if (stream == NULL)
    {
      int errsv = errno;
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errsv), g_strerror (errsv));
      return FALSE;
    }
  if (fwrite (text, 1, length, stream) != length || fflush (stream) != 0)
    {
      int errsv = errno;
      fclose (stream);
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errsv), g_strerror (errsv));
      return FALSE;
    }
  if (fclose (stream) != 0)
    {
      int errsv = errno;
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errsv), g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

gboolean
strata_analysis_file_save (const StrataAnalysisFile *file, const char *path,
                           GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (file->spec != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  g_autofree char *text = NULL;

  if (file->source_path == NULL)
    {
      g_set_error (error, STRATA_ANALYSIS_FILE_ERROR, STRATA_ANALYSIS_FILE_ERROR_INVALID,
                   _("Could not save “%s”: the analysis names no source file"), path);
      return FALSE;
    }
  if (file->source_sha256 == NULL)
    {
      /* A copy with the checksum of the source as it is now. */
      StrataAnalysisFile copy = *file;
      g_autofree char *sha256 = strata_file_sha256 (file->source_path, &copy.source_size,
                                                    cancellable, error);
      if (sha256 == NULL)
        return FALSE;
      copy.source_sha256 = sha256;
      text = strata_analysis_file_to_data (&copy);
    }
  else
    text = strata_analysis_file_to_data (file);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return strata_atomic_file_replace (path, write_text_cb, text, error);
}

/* ---- reading ------------------------------------------------------------------------- */

typedef struct {
  const char *name;   /* the file, for messages */
  GError **error;
} Reader;

static gboolean G_GNUC_PRINTF (2, 3)
invalid (Reader *r, const char *format, ...)
{
  va_list args;
  g_autofree char *what = NULL;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (r->error, STRATA_ANALYSIS_FILE_ERROR, STRATA_ANALYSIS_FILE_ERROR_INVALID,
               _("“%s”: %s"), r->name, what);
  return FALSE;
}

/* The member NAME of OBJECT when present and not null; else NULL. */
static JsonNode *
member (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_DOUBLE || type == G_TYPE_INT64;
}

/* "PREFIX.NAME", or NAME at the top level, for messages. */
static char *
qualified (const char *prefix, const char *name)
{
  return prefix && *prefix ? g_strdup_printf ("%s.%s", prefix, name) : g_strdup (name);
}

/* An optional string member: TRUE with *VALUE a copy or NULL; FALSE (error) when it
 * is there but not a string, or empty and REQUIRE_TEXT. */
static gboolean
get_string (Reader *r, JsonObject *object, const char *prefix, const char *name,
            gboolean require_text, char **value)
{
  JsonNode *node = member (object, name);
  g_autofree char *what = qualified (prefix, name);

  *value = NULL;
  if (node == NULL)
    return TRUE;
  if (!is_string (node))
    return invalid (r, _("“%s” must be text"), what);
  if (require_text && *json_node_get_string (node) == '\0')
    return invalid (r, _("“%s” must not be empty"), what);
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_string_array (Reader *r, JsonObject *object, const char *prefix, const char *name,
                  GStrv *value)
{
  JsonNode *node = member (object, name);
  g_autofree char *what = qualified (prefix, name);
  JsonArray *array;
  g_autoptr (GStrvBuilder) builder = NULL;

  *value = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (r, _("“%s” must be a list of text values"), what);
  array = json_node_get_array (node);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      if (!is_string (element))
        return invalid (r, _("“%s” must be a list of text values (item %u is not text)"), what,
                        i + 1);
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  *value = g_strv_builder_end (builder);
  return TRUE;
}

/* The array member NAME (absent or null: NULL, an empty list); FALSE when not an array. */
static gboolean
get_array (Reader *r, JsonObject *object, const char *prefix, const char *name, JsonArray **value)
{
  JsonNode *node = member (object, name);
  g_autofree char *what = qualified (prefix, name);

  *value = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (r, _("“%s” must be a list ([ … ])"), what);
  *value = json_node_get_array (node);
  return TRUE;
}

static gboolean
get_object (Reader *r, JsonObject *object, const char *prefix, const char *name, JsonObject **value)
{
  JsonNode *node = member (object, name);
  g_autofree char *what = qualified (prefix, name);

  *value = NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (r, _("“%s” must be an object ({ … })"), what);
  *value = json_node_get_object (node);
  return TRUE;
}

static gboolean
compare_from_string (const char *text, StrataCompare *op)
{
  if (g_strcmp0 (text, ">") == 0)
    *op = STRATA_COMPARE_GT;
  else if (g_strcmp0 (text, ">=") == 0)
    *op = STRATA_COMPARE_GE;
  else if (g_strcmp0 (text, "<") == 0)
    *op = STRATA_COMPARE_LT;
  else if (g_strcmp0 (text, "<=") == 0)
    *op = STRATA_COMPARE_LE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
read_by (Reader *r, JsonArray *array, StrataSpec *spec)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *prefix = g_strdup_printf ("analysis.by[%u]", i);
      g_autofree char *text = NULL, *column = NULL, *threshold_text = NULL;
      JsonObject *object;
      JsonNode *cut, *threshold;
      StrataGrouping *grouping;

      /* A plain string is read as strata-report's --by. */
      if (is_string (node))
        {
          g_autoptr (GError) local = NULL;
          if (!strata_spec_add_by (spec, json_node_get_string (node), &local))
            return invalid (r, _("“%s”: %s"), prefix, local->message);
          continue;
        }
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (r, _("“%s” must be an object ({ … }) or text"), prefix);
      object = json_node_get_object (node);
      if (!get_string (r, object, prefix, "column", TRUE, &column) ||
          !get_string (r, object, prefix, "text", FALSE, &text) ||
          !get_string (r, object, prefix, "threshold_text", FALSE, &threshold_text))
        return FALSE;
      if (column == NULL)
        return invalid (r, _("“%s.column” is missing"), prefix);
      cut = member (object, "cut");
      if (cut != NULL && !(JSON_NODE_HOLDS_VALUE (cut) &&
                           json_node_get_value_type (cut) == G_TYPE_BOOLEAN))
        return invalid (r, _("“%s.cut” must be true or false"), prefix);
      grouping = g_new0 (StrataGrouping, 1);
      grouping->column = g_steal_pointer (&column);
      grouping->cut = cut != NULL && json_node_get_boolean (cut);
      if (grouping->cut)
        {
          threshold = member (object, "threshold");
          if (threshold == NULL || !is_number (threshold))
            {
              g_free (grouping->column);
              g_free (grouping);
              return invalid (r, _("“%s.threshold” must be a number"), prefix);
            }
          grouping->threshold = json_node_get_double (threshold);
          if (threshold_text == NULL)
            {
              char buffer[G_ASCII_DTOSTR_BUF_SIZE];
              threshold_text = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g",
                                                          grouping->threshold));
            }
          grouping->threshold_text = g_steal_pointer (&threshold_text);
        }
      grouping->text = text ? g_steal_pointer (&text)
                            : grouping->cut ? g_strdup_printf ("%s>=%s", grouping->column,
                                                               grouping->threshold_text)
                                            : g_strdup (grouping->column);
      g_ptr_array_add (spec->by, grouping);
    }
  return TRUE;
}

static gboolean
read_where (Reader *r, JsonArray *array, StrataSpec *spec)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *prefix = g_strdup_printf ("analysis.where[%u]", i);
      g_autofree char *text = NULL, *column = NULL, *op_text = NULL;
      g_auto (GStrv) values = NULL;
      JsonObject *object;
      StrataFilter *filter;

      if (is_string (node))
        {
          g_autoptr (GError) local = NULL;
          if (!strata_spec_add_where (spec, json_node_get_string (node), &local))
            return invalid (r, _("“%s”: %s"), prefix, local->message);
          continue;
        }
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (r, _("“%s” must be an object ({ … }) or text"), prefix);
      object = json_node_get_object (node);
      if (!get_string (r, object, prefix, "column", TRUE, &column) ||
          !get_string (r, object, prefix, "text", FALSE, &text) ||
          !get_string (r, object, prefix, "op", FALSE, &op_text) ||
          !get_string_array (r, object, prefix, "values", &values))
        return FALSE;
      if (column == NULL)
        return invalid (r, _("“%s.column” is missing"), prefix);

      filter = g_new0 (StrataFilter, 1);
      if (op_text != NULL)
        {
          JsonNode *threshold = member (object, "threshold");
          if (!compare_from_string (op_text, &filter->op))
            {
              g_free (filter);
              return invalid (r, _("“%s.op” must be one of >, >=, < and <=, not “%s”"), prefix,
                              op_text);
            }
          if (threshold == NULL || !is_number (threshold))
            {
              g_free (filter);
              return invalid (r, _("“%s.threshold” must be a number"), prefix);
            }
          filter->numeric = TRUE;
          filter->threshold = json_node_get_double (threshold);
        }
      else if (values != NULL && values[0] != NULL)
        filter->values = g_steal_pointer (&values);
      else
        {
          g_free (filter);
          return invalid (r, _("“%s” needs “values” (a list of categories) or “op” and "
                               "“threshold” (a comparison)"), prefix);
        }
      filter->column = g_steal_pointer (&column);
      if (text != NULL)
        filter->text = g_steal_pointer (&text);
      else if (filter->numeric)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];
          filter->text = g_strdup_printf ("%s%s%s", filter->column, op_text,
                                          g_ascii_formatd (buffer, sizeof buffer, "%g",
                                                           filter->threshold));
        }
      else
        {
          g_autofree char *joined = g_strjoinv (",", filter->values);
          filter->text = g_strdup_printf ("%s=%s", filter->column, joined);
        }
      g_ptr_array_add (spec->where, filter);
    }
  return TRUE;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* import.time_from, time_to, last_contact, time_unit and date_orders: the time derived
 * from dates. */
static gboolean
read_derived_time (Reader *r, JsonObject *import, StrataSpec *spec)
{
  JsonObject *orders = NULL;
  StrataTimeUnit unit;

  if (!get_string (r, import, "import", "time_from", TRUE, &spec->time_from) ||
      !get_string (r, import, "import", "time_to", TRUE, &spec->time_to) ||
      !get_string (r, import, "import", "last_contact", TRUE, &spec->last_contact) ||
      !get_string (r, import, "import", "time_unit", TRUE, &spec->time_unit) ||
      !get_object (r, import, "import", "date_orders", &orders))
    return FALSE;
  if ((spec->time_from == NULL) != (spec->time_to == NULL) ||
      ((spec->last_contact != NULL || spec->time_unit != NULL) && spec->time_from == NULL))
    return invalid (r, _("“import.time_from” and “import.time_to” go together (the start and "
                         "end date columns), and come with “import.last_contact” and "
                         "“import.time_unit”"));
  if (spec->time_unit != NULL && !strata_time_unit_from_string (spec->time_unit, &unit))
    return invalid (r, _("“import.time_unit” must be days, weeks, months or years"));
  if (orders == NULL)
    return TRUE;
  g_autoptr (GList) columns = json_object_get_members (orders);
  for (GList *l = columns; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (orders, l->data);
      StrataDateOrder order;

      if (!is_string (node) || !strata_date_order_from_string (json_node_get_string (node), &order) ||
          order == STRATA_DATE_ORDER_AUTO)
        return invalid (r, _("“import.date_orders.%s” must be day-first or month-first"),
                        (const char *) l->data);
      strata_spec_set_date_order (spec, l->data, order);
    }
  return TRUE;
}

static gboolean
read_analysis (Reader *r, JsonObject *analysis, StrataSpec *spec)
{
  JsonArray *by, *where, *landmarks, *responses;
  JsonNode *node;
  g_autofree char *conf_type = NULL;

  if (!get_array (r, analysis, "analysis", "by", &by) || !read_by (r, by, spec) ||
      !get_array (r, analysis, "analysis", "where", &where) || !read_where (r, where, spec) ||
      !get_string_array (r, analysis, "analysis", "order", &spec->order) ||
      !get_string (r, analysis, "analysis", "reference", TRUE, &spec->reference) ||
      !get_string (r, analysis, "analysis", "conf_type", FALSE, &conf_type))
    return FALSE;
  if (spec->order != NULL && spec->order[0] == NULL)
    g_clear_pointer (&spec->order, g_strfreev);
  if (conf_type != NULL && !strata_conf_type_from_string (conf_type, &spec->conf_type))
    return invalid (r, _("“analysis.conf_type” must be “log-log”, “log” or “plain”, not “%s”"),
                    conf_type);

  node = member (analysis, "conf_level");
  if (node != NULL)
    {
      double level = is_number (node) ? json_node_get_double (node) : NAN;
      if (!(level > 0 && level < 1))
        return invalid (r, _("“analysis.conf_level” must be a number between 0 and 1"));
      spec->conf_level = level;
    }

  if (!get_array (r, analysis, "analysis", "landmarks", &landmarks))
    return FALSE;
  g_array_set_size (spec->landmarks, 0);
  for (guint i = 0; landmarks != NULL && i < json_array_get_length (landmarks); i++)
    {
      JsonNode *element = json_array_get_element (landmarks, i);
      double t = is_number (element) ? json_node_get_double (element) : NAN;
      if (!(t >= 0) || !isfinite (t))
        return invalid (r, _("“analysis.landmarks” must be a list of times ≥ 0 (item %u is not)"),
                        i + 1);
      g_array_append_val (spec->landmarks, t);
    }
  g_array_sort (spec->landmarks, compare_doubles);
  for (guint i = 1; i < spec->landmarks->len;)
    if (g_array_index (spec->landmarks, double, i) == g_array_index (spec->landmarks, double, i - 1))
      g_array_remove_index (spec->landmarks, i);
    else
      i++;

  if (!get_array (r, analysis, "analysis", "responses", &responses))
    return FALSE;
  for (guint i = 0; responses != NULL && i < json_array_get_length (responses); i++)
    {
      JsonNode *element = json_array_get_element (responses, i);
      g_autofree char *prefix = g_strdup_printf ("analysis.responses[%u]", i);
      g_autofree char *column = NULL, *success = NULL;
      StrataResponseSpec *response;

      if (is_string (element))
        {
          g_autoptr (GError) local = NULL;
          if (!strata_spec_add_response (spec, json_node_get_string (element), &local))
            return invalid (r, _("“%s”: %s"), prefix, local->message);
          continue;
        }
      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (r, _("“%s” must be an object ({ … }) or text"), prefix);
      if (!get_string (r, json_node_get_object (element), prefix, "column", TRUE, &column) ||
          !get_string (r, json_node_get_object (element), prefix, "success", TRUE, &success))
        return FALSE;
      if (column == NULL)
        return invalid (r, _("“%s.column” is missing"), prefix);
      response = g_new0 (StrataResponseSpec, 1);
      response->column = g_steal_pointer (&column);
      response->success = g_steal_pointer (&success);
      g_ptr_array_add (spec->responses, response);
    }
  return TRUE;
}

/* json-glib's "<data>:1:3: Parse error: unexpected character `,'" as ", line 1,
 * column 3: unexpected character `,'". */
static char *
json_error_position (const char *message)
{
  guint line = 0, column = 0;
  const char *rest = message;

  if (g_str_has_prefix (message, "<data>:") &&
      sscanf (message, "<data>:%u:%u:", &line, &column) == 2)
    {
      const char *parse = strstr (message, "Parse error: ");
      rest = parse ? parse + strlen ("Parse error: ") : strrchr (message, ':') + 1;
      while (*rest == ' ')
        rest++;
      return g_strdup_printf (_(" at line %u, column %u: %s"), line, column, rest);
    }
  return g_strdup_printf (": %s", message);
}

StrataAnalysisFile *
strata_analysis_file_load_data (const char *display_name, const char *data, gssize length,
                                GError **error)
{
  g_return_val_if_fail (data != NULL, NULL);

  Reader reader = { display_name ? display_name : "analysis", error };
  Reader *r = &reader;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  g_autoptr (StrataAnalysisFile) file = NULL;
  JsonObject *root, *source, *import, *analysis, *view, *roles;
  JsonNode *node;
  g_autofree char *format = NULL;

  if (length < 0)
    length = (gssize) strlen (data);
  if (length == 0)
    {
      invalid (r, _("the file is empty; a Strata analysis file is a JSON object"));
      return NULL;
    }
  if (!g_utf8_validate (data, length, NULL))
    {
      invalid (r, _("not a Strata analysis file (not UTF-8 text)"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      /* json-glib quotes the offending token cut at a byte count, maybe inside a UTF-8
       * character (found by fuzz-analysis-file): the message is made valid first. */
      g_autofree char *message = g_utf8_make_valid (local->message, -1);
      g_autofree char *where = json_error_position (message);
      invalid (r, _("not a Strata analysis file (not valid JSON%s)"), where);
      return NULL;
    }
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (r, _("not a Strata analysis file (a JSON object { … } was expected)"));
      return NULL;
    }
  root = json_node_get_object (node);

  node = member (root, "format");
  if (node == NULL || !is_string (node) || g_strcmp0 (json_node_get_string (node), FORMAT_NAME) != 0)
    {
      invalid (r, _("not a Strata analysis file (“format” is not “%s”)"), FORMAT_NAME);
      return NULL;
    }
  node = member (root, "version");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 1)
    {
      invalid (r, _("“version” must be a whole number from 1"));
      return NULL;
    }
  if (json_node_get_int (node) > STRATA_ANALYSIS_FILE_VERSION)
    {
      g_set_error (error, STRATA_ANALYSIS_FILE_ERROR, STRATA_ANALYSIS_FILE_ERROR_VERSION,
                   _("“%s” was saved by a newer version of Strata (analysis file version "
                     "%lld; this version reads version %d): update Strata to open it"),
                   r->name, (long long) json_node_get_int (node), STRATA_ANALYSIS_FILE_VERSION);
      return NULL;
    }

  file = strata_analysis_file_new (NULL, NULL);
  if (!get_string (r, root, "", "created_by", FALSE, &file->created_by))
    return NULL;

  if (!get_object (r, root, "", "source", &source))
    return NULL;
  if (source == NULL)
    {
      invalid (r, _("“source” is missing: the file does not say which cohort it analyses"));
      return NULL;
    }
  if (!get_string (r, source, "source", "path", TRUE, &file->source_path) ||
      !get_string (r, source, "source", "sha256", FALSE, &file->source_sha256))
    return NULL;
  if (file->source_path == NULL)
    {
      invalid (r, _("“source.path” is missing: the file does not say which cohort it analyses"));
      return NULL;
    }
  if (file->source_sha256 != NULL)
    {
      if (!is_sha256 (file->source_sha256))
        {
          invalid (r, _("“source.sha256” must be 64 hexadecimal digits"));
          return NULL;
        }
      char *lower = g_ascii_strdown (file->source_sha256, -1);
      g_free (file->source_sha256);
      file->source_sha256 = lower;
    }
  if (!get_string (r, source, "source", "sheet", TRUE, &file->sheet))
    return NULL;
  node = member (source, "header_row");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXINT32)
        {
          invalid (r, _("“source.header_row” must be a whole number (0: the first row with a value)"));
          return NULL;
        }
      file->header_row = (guint) json_node_get_int (node);
    }
  node = member (source, "size");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 0)
        {
          invalid (r, _("“source.size” must be a whole number of bytes"));
          return NULL;
        }
      file->source_size = json_node_get_int (node);
    }

  if (!get_object (r, root, "", "import", &import))
    return NULL;
  if (import != NULL)
    {
      if (!get_string (r, import, "import", "time_column", TRUE, &file->spec->time_column) ||
          !get_string (r, import, "import", "event_column", TRUE, &file->spec->event_column) ||
          !get_string_array (r, import, "import", "event_values", &file->spec->event_values) ||
          !get_string (r, import, "import", "status_column", TRUE, &file->spec->status_column) ||
          !read_derived_time (r, import, file->spec) ||
          !get_object (r, import, "import", "roles", &roles))
        return NULL;
      if (file->spec->event_values != NULL && file->spec->event_values[0] == NULL)
        {
          invalid (r, _("“import.event_values” is an empty list: give the values that mean "
                        "an event, or null for the default set"));
          return NULL;
        }
      if (roles != NULL)
        file->import_roles = json_object_ref (roles);
    }

  if (!get_object (r, root, "", "analysis", &analysis))
    return NULL;
  if (analysis != NULL && !read_analysis (r, analysis, file->spec))
    return NULL;

  if (!get_object (r, root, "", "view", &view))
    return NULL;
  file->view = view ? json_object_ref (view) : json_object_new ();
  return g_steal_pointer (&file);
}

/* ---- checking the source ----------------------------------------------------------- */

static void
set_status (StrataAnalysisFile *file, StrataSourceStatus status, char *message)
{
  file->source_status = status;
  g_free (file->source_message);
  file->source_message = message;
}

StrataSourceStatus
strata_analysis_file_compare_checksum (StrataAnalysisFile *file, const char *sha256)
{
  g_return_val_if_fail (file != NULL, STRATA_SOURCE_NOT_CHECKED);

  g_autofree char *name = file->source_path ? g_path_get_basename (file->source_path) : g_strdup ("");

  if (file->source_sha256 == NULL || sha256 == NULL)
    set_status (file, STRATA_SOURCE_NOT_CHECKED,
                g_strdup_printf (_("The analysis file records no checksum of “%s”: whether "
                                   "it changed cannot be told."), name));
  else if (g_ascii_strcasecmp (sha256, file->source_sha256) != 0)
    set_status (file, STRATA_SOURCE_CHANGED,
                g_strdup_printf (_("“%s” has changed since the analysis was saved (its SHA-256 "
                                   "differs): the numbers may differ from those saved."), name));
  else
    set_status (file, STRATA_SOURCE_UNCHANGED, NULL);
  return file->source_status;
}

StrataSourceStatus
strata_analysis_file_check_source (StrataAnalysisFile *file, GCancellable *cancellable)
{
  g_return_val_if_fail (file != NULL, STRATA_SOURCE_NOT_CHECKED);

  g_autoptr (GError) error = NULL;
  g_autofree char *sha256 = NULL;

  if (file->source_path == NULL || !g_file_test (file->source_path, G_FILE_TEST_EXISTS))
    {
      set_status (file, STRATA_SOURCE_MISSING,
                  g_strdup_printf (_("The analysed file “%s” was not found."),
                                   file->source_path ? file->source_path : ""));
      return file->source_status;
    }
  if (file->source_sha256 == NULL)
    return strata_analysis_file_compare_checksum (file, NULL);
  sha256 = strata_file_sha256 (file->source_path, NULL, cancellable, &error);
  if (sha256 == NULL)
    {
      set_status (file, STRATA_SOURCE_UNREADABLE, g_strdup (error->message));
      return file->source_status;
    }
  return strata_analysis_file_compare_checksum (file, sha256);
}

gboolean
strata_analysis_file_locate_source (StrataAnalysisFile *file, const char *analysis_path)
{
  g_return_val_if_fail (file != NULL, FALSE);

  if (file->source_path != NULL && analysis_path != NULL && !g_path_is_absolute (file->source_path))
    {
      g_autofree char *folder = g_path_get_dirname (analysis_path);
      char *resolved = g_canonicalize_filename (file->source_path, folder);
      g_free (file->source_path);
      file->source_path = resolved;
    }
  if (file->source_path != NULL && g_file_test (file->source_path, G_FILE_TEST_EXISTS))
    return TRUE;

  /* Moved together: the source under its name beside the analysis file. */
  if (file->source_path != NULL && analysis_path != NULL)
    {
      g_autofree char *folder = g_path_get_dirname (analysis_path);
      g_autofree char *source_base = g_path_get_basename (file->source_path);
      g_autofree char *beside = g_build_filename (folder, source_base, NULL);
      g_autofree char *canonical = g_canonicalize_filename (beside, NULL);
      if (g_file_test (canonical, G_FILE_TEST_IS_REGULAR))
        {
          g_free (file->recorded_path);
          file->recorded_path = g_steal_pointer (&file->source_path);
          file->source_path = g_steal_pointer (&canonical);
          return TRUE;
        }
    }
  set_status (file, STRATA_SOURCE_MISSING,
              g_strdup_printf (_("The analysed file “%s” was not found."),
                               file->source_path ? file->source_path : ""));
  return FALSE;
}

/* The bytes of PATH, NUL-terminated; NULL with ERROR (G_FILE_ERROR, the message the
 * bare reason: "No such file or directory") when it cannot be read. */
static char *
read_small_file (const char *path, gsize *length, GError **error)
{
  FILE *stream = g_fopen (path, "rb");
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  guint8 buffer[16384];
  size_t n;

  if (stream == NULL)
    {
      int errsv = errno;
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errsv), g_strerror (errsv));
      return NULL;
    }
  while ((n = fread (buffer, 1, sizeof buffer, stream)) > 0)
    {
      g_byte_array_append (bytes, buffer, (guint) n);
      if (bytes->len > MAX_ANALYSIS_FILE_SIZE)
        {
          fclose (stream);
          g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                               _("it is far too large for a Strata analysis file"));
          return NULL;
        }
    }
  if (ferror (stream))
    {
      int errsv = errno;
      fclose (stream);
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errsv), g_strerror (errsv));
      return NULL;
    }
  fclose (stream);
  *length = bytes->len;
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&bytes), FALSE);
}

StrataAnalysisFile *
strata_analysis_file_load (const char *path, gboolean check_source, GCancellable *cancellable,
                           GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  g_autofree char *data = NULL;
  g_autofree char *name = g_filename_display_name (path);
  g_autoptr (GError) local = NULL;
  g_autoptr (StrataAnalysisFile) file = NULL;
  gsize length = 0;

  data = read_small_file (path, &length, &local);
  if (data == NULL)
    {
      g_set_error (error, G_FILE_ERROR, local->code, _("Could not open “%s”: %s"), name,
                   local->message);
      return NULL;
    }
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *base_display = g_filename_display_name (base);
  file = strata_analysis_file_load_data (base_display, data, (gssize) length, error);
  if (file == NULL)
    return NULL;

  if (!check_source)
    {
      /* A relative source path is relative to the analysis file's folder. */
      if (!g_path_is_absolute (file->source_path))
        {
          g_autofree char *folder = g_path_get_dirname (path);
          char *resolved = g_canonicalize_filename (file->source_path, folder);
          g_free (file->source_path);
          file->source_path = resolved;
        }
      return g_steal_pointer (&file);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!strata_analysis_file_locate_source (file, path))
    return g_steal_pointer (&file);
  strata_analysis_file_check_source (file, cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_steal_pointer (&file);
}

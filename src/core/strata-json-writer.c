/* strata-json-writer.c: see strata-json-writer.h. */
#include "strata-json-writer.h"

#include <math.h>

void
strata_json_writer_init (StrataJsonWriter *writer, GString *out, gboolean pretty)
{
  writer->out = out;
  writer->depth = 0;
  writer->need_comma = FALSE;
  writer->pretty = pretty;
}

static void
newline (StrataJsonWriter *writer)
{
  if (!writer->pretty)
    return;
  g_string_append_c (writer->out, '\n');
  for (guint i = 0; i < writer->depth; i++)
    g_string_append (writer->out, "  ");
}

/* Before a value: a comma after the previous element of an array. Keys handle their
 * own commas, so a value right after a key gets none. */
static void
before_value (StrataJsonWriter *writer)
{
  if (writer->need_comma)
    g_string_append_c (writer->out, ',');
  writer->need_comma = TRUE;
}

void
strata_json_begin_object (StrataJsonWriter *writer)
{
  before_value (writer);
  g_string_append_c (writer->out, '{');
  writer->depth++;
  writer->need_comma = FALSE;
}

void
strata_json_end_object (StrataJsonWriter *writer)
{
  writer->depth--;
  newline (writer);
  g_string_append_c (writer->out, '}');
  writer->need_comma = TRUE;
}

void
strata_json_begin_array (StrataJsonWriter *writer)
{
  before_value (writer);
  g_string_append_c (writer->out, '[');
  writer->depth++;
  writer->need_comma = FALSE;
}

void
strata_json_end_array (StrataJsonWriter *writer)
{
  writer->depth--;
  g_string_append_c (writer->out, ']');
  writer->need_comma = TRUE;
}

void
strata_json_append_string (GString *out, const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

void
strata_json_key (StrataJsonWriter *writer, const char *key)
{
  if (writer->need_comma)
    g_string_append_c (writer->out, ',');
  newline (writer);
  strata_json_append_string (writer->out, key);
  g_string_append (writer->out, writer->pretty ? ": " : ":");
  writer->need_comma = FALSE;
}

void
strata_json_string (StrataJsonWriter *writer, const char *value)
{
  before_value (writer);
  if (value == NULL)
    g_string_append (writer->out, "null");
  else
    strata_json_append_string (writer->out, value);
}

static void
append_double (GString *out, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    g_string_append (out, "null");
  else if (isinf (value))
    g_string_append (out, value > 0 ? "\"Inf\"" : "\"-Inf\"");
  else if (value == (double) (gint64) value && fabs (value) < 1e15)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
  else
    g_string_append (out, g_ascii_formatd (buffer, sizeof buffer, "%.17g", value));
}

void
strata_json_double (StrataJsonWriter *writer, double value)
{
  before_value (writer);
  append_double (writer->out, value);
}

void
strata_json_uint (StrataJsonWriter *writer, guint64 value)
{
  before_value (writer);
  g_string_append_printf (writer->out, "%" G_GUINT64_FORMAT, value);
}

void
strata_json_bool (StrataJsonWriter *writer, gboolean value)
{
  before_value (writer);
  g_string_append (writer->out, value ? "true" : "false");
}

void
strata_json_null (StrataJsonWriter *writer)
{
  before_value (writer);
  g_string_append (writer->out, "null");
}

void
strata_json_double_array (StrataJsonWriter *writer, const double *values, gsize n)
{
  before_value (writer);
  g_string_append_c (writer->out, '[');
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (writer->out, writer->pretty ? ", " : ",");
      append_double (writer->out, values[i]);
    }
  g_string_append_c (writer->out, ']');
}

void
strata_json_uint_array (StrataJsonWriter *writer, const guint *values, gsize n)
{
  before_value (writer);
  g_string_append_c (writer->out, '[');
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (writer->out, i ? (writer->pretty ? ", %u" : ",%u") : "%u", values[i]);
  g_string_append_c (writer->out, ']');
}

void
strata_json_string_array (StrataJsonWriter *writer, GPtrArray *values)
{
  before_value (writer);
  g_string_append_c (writer->out, '[');
  for (guint i = 0; i < values->len; i++)
    {
      if (i > 0)
        g_string_append (writer->out, writer->pretty ? ", " : ",");
      strata_json_append_string (writer->out, g_ptr_array_index (values, i));
    }
  g_string_append_c (writer->out, ']');
}

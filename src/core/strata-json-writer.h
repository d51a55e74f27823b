/* strata-json-writer.h: a small streaming JSON writer into a GString. Numbers are
 * written with 17 significant digits so that they read back as the same double;
 * NaN becomes null and infinities the strings "Inf" / "-Inf". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GString *out;
  guint depth;
  gboolean need_comma;
  gboolean pretty;
} StrataJsonWriter;

/* Appends TEXT to OUT as a JSON string, escaped; NULL appends null. */
void strata_json_append_string (GString *out, const char *text);

void strata_json_writer_init (StrataJsonWriter *writer, GString *out, gboolean pretty);
void strata_json_begin_object (StrataJsonWriter *writer);
void strata_json_end_object (StrataJsonWriter *writer);
void strata_json_begin_array (StrataJsonWriter *writer);
void strata_json_end_array (StrataJsonWriter *writer);
void strata_json_key (StrataJsonWriter *writer, const char *key);
void strata_json_string (StrataJsonWriter *writer, const char *value);   /* NULL = null */
void strata_json_double (StrataJsonWriter *writer, double value);
void strata_json_uint (StrataJsonWriter *writer, guint64 value);
void strata_json_bool (StrataJsonWriter *writer, gboolean value);
void strata_json_null (StrataJsonWriter *writer);

/* Arrays written on one line. */
void strata_json_double_array (StrataJsonWriter *writer, const double *values, gsize n);
void strata_json_uint_array (StrataJsonWriter *writer, const guint *values, gsize n);
void strata_json_string_array (StrataJsonWriter *writer, GPtrArray *values);

G_END_DECLS

/* reference-compare.h: comparing numbers with R's reference values in tests.
 * The bar is 1e-9 relative (absolute 1e-12 near zero); R's NA (null) must be NaN. */
#pragma once

#include <json-glib/json-glib.h>
#include <math.h>

#define STRATA_REL_TOL 1e-9
#define STRATA_ABS_TOL 1e-12

/* TRUE when OURS matches the reference node (a number, null for NaN, "Inf"/"-Inf"). */
static inline gboolean
reference_matches (double ours, JsonNode *ref)
{
  if (JSON_NODE_HOLDS_NULL (ref))
    return isnan (ours);
  if (json_node_get_value_type (ref) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (ref);
      if (g_strcmp0 (s, "Inf") == 0)
        return isinf (ours) && ours > 0;
      if (g_strcmp0 (s, "-Inf") == 0)
        return isinf (ours) && ours < 0;
      return FALSE;
    }
  double expected = json_node_get_double (ref);
  if (isnan (ours))
    return FALSE;
  double diff = fabs (ours - expected);
  return diff <= STRATA_ABS_TOL || diff <= STRATA_REL_TOL * MAX (fabs (ours), fabs (expected));
}

#define assert_reference(ours, ref, ...)                                              \
  G_STMT_START {                                                                     \
    double ours_ = (ours);                                                           \
    JsonNode *ref_ = (ref);                                                          \
    if (!reference_matches (ours_, ref_))                                            \
      {                                                                              \
        g_autofree char *where_ = g_strdup_printf (__VA_ARGS__);                     \
        g_autofree char *want_ = json_to_string (ref_, FALSE);                       \
        g_error ("%s: got %.17g, R gives %s", where_, ours_, want_);                 \
      }                                                                              \
  } G_STMT_END

static inline JsonNode *
reference_load (const char *name, JsonParser **parser_out)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr (GError) error = NULL;
  JsonParser *parser = json_parser_new ();

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("cannot read %s: %s", path, error->message);
  *parser_out = parser;
  return json_parser_get_root (parser);
}

/* The elements of ARRAY joined with commas, as a command-line option value: strings as
 * they are, or (NUMBERS) doubles written with %.17g so that they read back exactly. */
static inline char *
reference_join (JsonArray *array, gboolean numbers)
{
  GString *text = g_string_new (NULL);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (text, "%s%s", i ? "," : "",
                            numbers ? g_ascii_formatd (buffer, sizeof buffer, "%.17g",
                                                       json_array_get_double_element (array, i))
                                    : json_array_get_string_element (array, i));
  return g_string_free (text, FALSE);
}

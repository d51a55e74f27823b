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

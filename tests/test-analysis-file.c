/* test-analysis-file.c: reproducible analysis files (.strata): every StrataSpec field and
 * the view options survive a save and a load; the source file's SHA-256 tells a changed
 * or missing file apart; malformed files are refused with messages that name the file
 * and the problem; writes are atomic; a loaded analysis gives the same numbers. */
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "strata-analysis.h"
#include "strata-analysis-file.h"

typedef struct {
  char *dir;
  char *source;   /* a small cohort file in DIR */
  char *path;     /* DIR/analysis.strata */
} Fixture;

static const char cohort_csv[] =
  "id,os_months,os_status,site,blasts,mrd\n"
  "1,5,1,BM,10,negative\n"
  "2,8,0,\"EMD, CNS\",0,positive\n"
  "3,12,1,BM,3,negative\n"
  "4,20,0,\"EMD, CNS\",50,negative\n"
  "5,3,1,BM,7,positive\n"
  "6,30,0,BM,0,negative\n";

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("strata-analysis-file-XXXXXX", &error);
  g_assert_no_error (error);
  f->source = g_build_filename (f->dir, "cohort.csv", NULL);
  f->path = g_build_filename (f->dir, "analysis.strata", NULL);
  g_assert_true (g_file_set_contents (f->source, cohort_csv, -1, &error));
  g_assert_no_error (error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->source);
  g_free (f->path);
}

/* Every field of the spec set, with awkward values. */
static StrataSpec *
full_spec (void)
{
  StrataSpec *spec = strata_spec_new ();
  g_autoptr (GError) error = NULL;
  StrataFilter *comma;

  spec->time_column = g_strdup ("os_months");
  spec->event_column = g_strdup ("os_status");
  spec->event_values = g_strsplit ("1|dead|Died “today”", "|", -1);
  spec->status_column = g_strdup ("relapse_status");
  g_assert_true (strata_spec_add_by (spec, "site", &error));
  g_assert_true (strata_spec_add_by (spec, "blasts>=5.25", &error));
  g_assert_true (strata_spec_add_where (spec, "site=BM,EMD", &error));
  g_assert_true (strata_spec_add_where (spec, "blasts>0", &error));
  g_assert_true (strata_spec_add_where (spec, "blasts>=0.1", &error));
  g_assert_true (strata_spec_add_where (spec, "blasts<99", &error));
  g_assert_true (strata_spec_add_where (spec, "blasts<=1e-3", &error));
  g_assert_no_error (error);
  /* A level with a comma: not writable as --where text, kept by its parts. */
  comma = g_new0 (StrataFilter, 1);
  comma->text = g_strdup ("site=BM|EMD, CNS");
  comma->column = g_strdup ("site");
  comma->values = g_strsplit ("BM|EMD, CNS", "|", -1);
  g_ptr_array_add (spec->where, comma);
  spec->order = g_strsplit ("EMD, CNS|BM", "|", -1);
  spec->reference = g_strdup ("EMD, CNS");
  spec->conf_type = STRATA_CONF_PLAIN;
  spec->conf_level = 0.9;
  g_assert_true (strata_spec_set_landmarks (spec, "6, 12.5, 0.1, 24", &error));
  g_assert_true (strata_spec_add_response (spec, "mrd:negative", &error));
  g_assert_true (strata_spec_add_response (spec, "site", &error));
  g_assert_no_error (error);
  return spec;
}

static void
assert_strv_equal (char **a, char **b)
{
  if (a == NULL || b == NULL)
    {
      g_assert_true (a == b);
      return;
    }
  g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
  for (guint i = 0; a[i] != NULL; i++)
    g_assert_cmpstr (a[i], ==, b[i]);
}

static void
assert_specs_equal (const StrataSpec *a, const StrataSpec *b)
{
  g_assert_cmpstr (a->time_column, ==, b->time_column);
  g_assert_cmpstr (a->event_column, ==, b->event_column);
  assert_strv_equal (a->event_values, b->event_values);
  g_assert_cmpstr (a->status_column, ==, b->status_column);
  g_assert_cmpstr (a->time_from, ==, b->time_from);
  g_assert_cmpstr (a->time_to, ==, b->time_to);
  g_assert_cmpstr (a->last_contact, ==, b->last_contact);
  g_assert_cmpstr (a->time_unit, ==, b->time_unit);
  g_assert_cmpuint (g_hash_table_size (a->date_orders), ==, g_hash_table_size (b->date_orders));
  GHashTableIter iter;
  gpointer column, order;
  g_hash_table_iter_init (&iter, a->date_orders);
  while (g_hash_table_iter_next (&iter, &column, &order))
    {
      g_assert_true (g_hash_table_contains (b->date_orders, column));
      g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (b->date_orders, column)), ==,
                       GPOINTER_TO_INT (order));
    }

  g_assert_cmpuint (a->by->len, ==, b->by->len);
  for (guint i = 0; i < a->by->len; i++)
    {
      const StrataGrouping *x = g_ptr_array_index (a->by, i), *y = g_ptr_array_index (b->by, i);
      g_assert_cmpstr (x->text, ==, y->text);
      g_assert_cmpstr (x->column, ==, y->column);
      g_assert_cmpint (x->cut, ==, y->cut);
      g_assert_true (x->threshold == y->threshold);
      g_assert_cmpstr (x->threshold_text, ==, y->threshold_text);
    }
  g_assert_cmpuint (a->where->len, ==, b->where->len);
  for (guint i = 0; i < a->where->len; i++)
    {
      const StrataFilter *x = g_ptr_array_index (a->where, i), *y = g_ptr_array_index (b->where, i);
      g_assert_cmpstr (x->text, ==, y->text);
      g_assert_cmpstr (x->column, ==, y->column);
      g_assert_cmpint (x->numeric, ==, y->numeric);
      assert_strv_equal (x->values, y->values);
      if (x->numeric)
        {
          g_assert_cmpint (x->op, ==, y->op);
          g_assert_true (x->threshold == y->threshold);
        }
    }
  assert_strv_equal (a->order, b->order);
  g_assert_cmpstr (a->reference, ==, b->reference);
  g_assert_cmpint (a->conf_type, ==, b->conf_type);
  g_assert_true (a->conf_level == b->conf_level);
  g_assert_cmpuint (a->landmarks->len, ==, b->landmarks->len);
  for (guint i = 0; i < a->landmarks->len; i++)
    g_assert_true (g_array_index (a->landmarks, double, i) == g_array_index (b->landmarks, double, i));
  g_assert_cmpuint (a->responses->len, ==, b->responses->len);
  for (guint i = 0; i < a->responses->len; i++)
    {
      const StrataResponseSpec *x = g_ptr_array_index (a->responses, i);
      const StrataResponseSpec *y = g_ptr_array_index (b->responses, i);
      g_assert_cmpstr (x->column, ==, y->column);
      g_assert_cmpstr (x->success, ==, y->success);
    }
}

static JsonObject *
view_options (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser,
    "{ \"show_ci\": true, \"risk_table\": false, \"palette\": \"greyscale\","
    "  \"font_size\": 8.5, \"ratio\": 0.1, \"big\": 12345678901, \"note\": \"a \\\"quoted\\\" \\n line\\u0001 é\","
    "  \"sites\": { \"BM\": true, \"CNS\": false }, \"list\": [1, 2.5, null, \"x\", [], {}] }",
    -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_nodes_equal (JsonNode *a, JsonNode *b)
{
  g_assert_true (json_node_equal (a, b));
}

static char *
sha256_of (const char *path)
{
  g_autofree char *data = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
}

/* ---- tests --------------------------------------------------------------------------- */

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (StrataSpec) spec = full_spec ();
  g_autoptr (StrataAnalysisFile) file = strata_analysis_file_new (f->source, spec);
  g_autoptr (JsonObject) view = view_options ();
  g_autoptr (JsonObject) roles = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *expected_sha = sha256_of (f->source);

  json_object_set_string_member (roles, "site_column", "site");
  json_object_set_double_member (roles, "burden_threshold", 5.0);
  strata_analysis_file_set_view (file, view);
  strata_analysis_file_set_import_roles (file, roles);
  g_assert_true (strata_analysis_file_save (file, f->path, NULL, &error));
  g_assert_no_error (error);

  g_autoptr (StrataAnalysisFile) loaded = strata_analysis_file_load (f->path, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (loaded->source_path, ==, f->source);
  g_assert_cmpstr (loaded->source_sha256, ==, expected_sha);
  g_assert_cmpint (loaded->source_size, ==, (gint64) strlen (cohort_csv));
  g_assert_cmpint (loaded->source_status, ==, STRATA_SOURCE_UNCHANGED);
  g_assert_null (loaded->source_message);
  g_assert_null (loaded->recorded_path);
  g_assert_true (g_str_has_prefix (loaded->created_by, "Strata "));
  assert_specs_equal (spec, loaded->spec);

  g_autoptr (JsonNode) view_a = json_node_init_object (json_node_alloc (), view);
  g_autoptr (JsonNode) view_b = json_node_init_object (json_node_alloc (), loaded->view);
  assert_nodes_equal (view_a, view_b);
  g_autoptr (JsonNode) roles_a = json_node_init_object (json_node_alloc (), roles);
  g_autoptr (JsonNode) roles_b = json_node_init_object (json_node_alloc (), loaded->import_roles);
  assert_nodes_equal (roles_a, roles_b);

  /* Numbers are written as short as they round-trip: 0.9, not 0.90000000000000002. */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (f->path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"conf_level\": 0.9,"));
  g_assert_nonnull (strstr (text, "\"format\": \"strata-analysis\""));
  g_assert_true (g_str_has_suffix (text, "}\n"));

  /* Saving again what was loaded gives the same text, byte for byte. */
  g_autofree char *again = strata_analysis_file_to_data (loaded);
  g_assert_cmpstr (again, ==, text);
}

/* A default spec (nothing set) round-trips as well: nulls and empty lists. */
static void
test_round_trip_defaults (Fixture *f, gconstpointer data)
{
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  g_autoptr (StrataAnalysisFile) file = strata_analysis_file_new (f->source, spec);
  g_autoptr (GError) error = NULL;

  g_assert_true (strata_analysis_file_save (file, f->path, NULL, &error));
  g_assert_no_error (error);
  g_autoptr (StrataAnalysisFile) loaded = strata_analysis_file_load (f->path, FALSE, NULL, &error);
  g_assert_no_error (error);
  assert_specs_equal (spec, loaded->spec);
  g_assert_cmpint (loaded->source_status, ==, STRATA_SOURCE_NOT_CHECKED);
  g_assert_nonnull (loaded->view);
  g_assert_cmpuint (json_object_get_size (loaded->view), ==, 0);
  g_assert_null (loaded->import_roles);
}

static void
test_source_changed (Fixture *f, gconstpointer data)
{
  g_autoptr (StrataSpec) spec = full_spec ();
  g_autoptr (StrataAnalysisFile) file = strata_analysis_file_new (f->source, spec);
  g_autoptr (GError) error = NULL;

  g_assert_true (strata_analysis_file_save (file, f->path, NULL, &error));
  g_assert_no_error (error);

  /* One byte changed, same length. */
  g_autofree char *changed = g_strdup (cohort_csv);
  *strstr (changed, "5,1,BM") = '6';
  g_assert_true (g_file_set_contents (f->source, changed, -1, &error));
  g_autoptr (StrataAnalysisFile) loaded = strata_analysis_file_load (f->path, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpint (loaded->source_status, ==, STRATA_SOURCE_CHANGED);
  g_assert_nonnull (strstr (loaded->source_message, "cohort.csv"));
  g_assert_nonnull (strstr (loaded->source_message, "changed"));
  /* The spec is still there: the analysis can be run on the new file. */
  assert_specs_equal (spec, loaded->spec);

  /* Back as it was: unchanged again. */
  g_assert_true (g_file_set_contents (f->source, cohort_csv, -1, &error));
  g_assert_cmpint (strata_analysis_file_check_source (loaded, NULL), ==, STRATA_SOURCE_UNCHANGED);
  g_assert_null (loaded->source_message);

  /* Gone: missing, not an error. */
  g_assert_cmpint (g_remove (f->source), ==, 0);
  g_autoptr (StrataAnalysisFile) missing = strata_analysis_file_load (f->path, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (missing->source_status, ==, STRATA_SOURCE_MISSING);
  g_assert_nonnull (strstr (missing->source_message, "not found"));
  g_assert_true (g_file_set_contents (f->source, cohort_csv, -1, &error));
}

/* The .strata and its cohort moved together to another folder: found beside it. */
static void
test_moved_together (Fixture *f, gconstpointer data)
{
  g_autoptr (StrataAnalysisFile) file = strata_analysis_file_new (f->source, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *moved = g_build_filename (f->dir, "moved", NULL);
  g_autofree char *moved_source = g_build_filename (moved, "cohort.csv", NULL);
  g_autofree char *moved_path = g_build_filename (moved, "analysis.strata", NULL);

  g_assert_true (strata_analysis_file_save (file, f->path, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (moved, 0700), ==, 0);
  g_assert_cmpint (g_rename (f->source, moved_source), ==, 0);
  g_assert_cmpint (g_rename (f->path, moved_path), ==, 0);

  g_autoptr (StrataAnalysisFile) loaded = strata_analysis_file_load (moved_path, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->source_status, ==, STRATA_SOURCE_UNCHANGED);
  g_assert_cmpstr (loaded->source_path, ==, moved_source);
  g_assert_cmpstr (loaded->recorded_path, ==, f->source);

  /* The same in two steps, as the GUI does: locate, then compare a checksum. */
  g_autoptr (StrataAnalysisFile) unchecked = strata_analysis_file_load (moved_path, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (unchecked->source_status, ==, STRATA_SOURCE_NOT_CHECKED);
  g_assert_cmpstr (unchecked->source_path, ==, f->source);
  g_assert_true (strata_analysis_file_locate_source (unchecked, moved_path));
  g_assert_cmpstr (unchecked->source_path, ==, moved_source);
  g_autofree char *sha = sha256_of (moved_source);
  g_assert_cmpint (strata_analysis_file_compare_checksum (unchecked, sha), ==, STRATA_SOURCE_UNCHANGED);
  g_assert_cmpint (strata_analysis_file_compare_checksum (unchecked, "00"), ==, STRATA_SOURCE_CHANGED);
  g_assert_cmpint (strata_analysis_file_compare_checksum (unchecked, NULL), ==, STRATA_SOURCE_NOT_CHECKED);
  g_assert_cmpint (g_rename (moved_source, f->source), ==, 0);
  g_assert_false (strata_analysis_file_locate_source (unchecked, moved_path) &&
                  g_file_test (unchecked->source_path, G_FILE_TEST_EXISTS) == FALSE);
}

/* A relative source path is read against the analysis file's folder. */
static void
test_relative_source (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sha = sha256_of (f->source);
  g_autofree char *text = g_strdup_printf ("{\"format\": \"strata-analysis\", \"version\": 1,"
                                           " \"source\": {\"path\": \"cohort.csv\", \"sha256\": \"%s\"}}",
                                           sha);

  g_assert_true (g_file_set_contents (f->path, text, -1, &error));
  g_autoptr (StrataAnalysisFile) loaded = strata_analysis_file_load (f->path, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->source_path, ==, f->source);
  g_assert_cmpint (loaded->source_status, ==, STRATA_SOURCE_UNCHANGED);
  /* Defaults for everything not written. */
  g_assert_cmpfloat (loaded->spec->conf_level, ==, 0.95);
  g_assert_cmpint (loaded->spec->conf_type, ==, STRATA_CONF_LOG_LOG);
  g_assert_null (loaded->spec->time_column);
}

/* The checksum reads the file in blocks: a file of several blocks and odd length. */
static void
test_checksum_large (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "large.csv", NULL);
  gsize length = 3 * 1024 * 1024 + 17;
  g_autofree char *bytes = g_malloc (length);
  g_autoptr (GError) error = NULL;
  gint64 size = 0;

  for (gsize i = 0; i < length; i++)
    bytes[i] = (char) ('a' + (i * 7919) % 26);
  g_assert_true (g_file_set_contents (path, bytes, (gssize) length, &error));
  g_autofree char *expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *) bytes, length);
  g_autofree char *sha = strata_file_sha256 (path, &size, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha, ==, expected);
  g_assert_cmpint (size, ==, (gint64) length);

  /* The SHA-256 of nothing. */
  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_autofree char *empty = strata_file_sha256 (path, NULL, NULL, &error);
  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  /* Not there: an error naming the file. */
  g_assert_cmpint (g_remove (path), ==, 0);
  g_autofree char *none = strata_file_sha256 (path, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "large.csv"));
}

typedef struct {
  const char *json;
  GQuark domain;   /* 0: STRATA_ANALYSIS_FILE_ERROR */
  int code;
  const char *words[3];   /* in the message, besides the file's name */
} Malformed;

static const Malformed malformed[] = {
  { "", 0, STRATA_ANALYSIS_FILE_ERROR_INVALID, { "empty" } },
  { "not json at all", 0, STRATA_ANALYSIS_FILE_ERROR_INVALID, { "not a Strata analysis file", "JSON" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1,", 0, STRATA_ANALYSIS_FILE_ERROR_INVALID, { "not valid JSON" } },
  { "[1, 2]", 0, STRATA_ANALYSIS_FILE_ERROR_INVALID, { "JSON object" } },
  { "{\"format\": \"csv\", \"version\": 1}", 0, STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“format”" } },
  { "{\"format\": \"strata-analysis\"}", 0, STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“version”" } },
  { "{\"format\": \"strata-analysis\", \"version\": 2, \"source\": {\"path\": \"x\"}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_VERSION, { "newer version", "version 2" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1}", 0, STRATA_ANALYSIS_FILE_ERROR_INVALID,
    { "“source”", "missing" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“source.path”", "missing" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": 3}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“source.path”", "text" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\", \"sha256\": \"abc\"}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“source.sha256”", "64 hexadecimal" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"}, \"import\": []}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“import”", "object" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"import\": {\"event_values\": [1]}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“import.event_values”", "item 1" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"analysis\": {\"conf_level\": 1.5}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“analysis.conf_level”", "between 0 and 1" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"analysis\": {\"conf_type\": \"logit\"}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“analysis.conf_type”", "logit" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"analysis\": {\"landmarks\": [12, \"24\"]}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“analysis.landmarks”", "item 2" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"analysis\": {\"landmarks\": [-1]}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“analysis.landmarks”", "≥ 0" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"analysis\": {\"where\": [{\"column\": \"site\"}]}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“analysis.where[0]”", "values" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"analysis\": {\"where\": [{\"column\": \"b\", \"op\": \"!=\", \"threshold\": 1}]}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“analysis.where[0].op”", "!=" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"analysis\": {\"where\": [\"site\"]}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“analysis.where[0]”", "COLUMN=V1" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"analysis\": {\"by\": [{\"column\": \"b\", \"cut\": true}]}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“analysis.by[0].threshold”", "number" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"analysis\": {\"by\": [7]}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“analysis.by[0]”" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"analysis\": {\"responses\": [{\"success\": \"CR\"}]}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“analysis.responses[0].column”", "missing" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"}, \"view\": 3}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“view”", "object" } },
  { "\xff\xfe{", 0, STRATA_ANALYSIS_FILE_ERROR_INVALID, { "UTF-8" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\", \"header_row\": -2}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“source.header_row”", "whole number" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\", \"sheet\": 2}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“source.sheet”", "text" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"import\": {\"time_from\": \"a\"}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“import.time_from”", "“import.time_to”" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"import\": {\"time_from\": \"a\", \"time_to\": \"b\", \"time_unit\": \"fortnights\"}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“import.time_unit”", "months" } },
  { "{\"format\": \"strata-analysis\", \"version\": 1, \"source\": {\"path\": \"x\"},"
    " \"import\": {\"time_from\": \"a\", \"time_to\": \"b\", \"date_orders\": {\"a\": \"ymd\"}}}", 0,
    STRATA_ANALYSIS_FILE_ERROR_INVALID, { "“import.date_orders.a”", "day-first" } },
};

static void
test_malformed (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      const Malformed *m = &malformed[i];
      g_autoptr (GError) error = NULL;

      g_autofree char *shown = g_strescape (m->json, NULL);
      g_test_message ("case %u: %s", i, shown);
      g_assert_true (g_file_set_contents (f->path, m->json, -1, NULL));
      g_autoptr (StrataAnalysisFile) file = strata_analysis_file_load (f->path, TRUE, NULL, &error);
      g_assert_null (file);
      g_assert_error (error, m->domain ? m->domain : STRATA_ANALYSIS_FILE_ERROR, m->code);
      g_test_message ("  -> %s", error->message);
      g_assert_nonnull (strstr (error->message, "analysis.strata"));
      for (guint w = 0; w < G_N_ELEMENTS (m->words) && m->words[w] != NULL; w++)
        g_assert_nonnull (strstr (error->message, m->words[w]));
      /* One line, plain words: no raw code or file path of ours. */
      g_assert_null (strchr (error->message, '\n'));
    }

  /* Not there, and a folder: the file system's words. */
  g_autoptr (GError) error = NULL;
  g_autofree char *absent = g_build_filename (f->dir, "absent.strata", NULL);
  g_assert_null (strata_analysis_file_load (absent, TRUE, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "absent.strata"));
  g_clear_error (&error);
  g_assert_null (strata_analysis_file_load (f->dir, TRUE, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Could not open"));
}

/* Saving replaces atomically: a failure leaves the old file; no temporary file stays. */
static void
test_atomic (Fixture *f, gconstpointer data)
{
  g_autoptr (StrataAnalysisFile) file = strata_analysis_file_new (f->source, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *nowhere = g_build_filename (f->dir, "no-such-folder", "a.strata", NULL);

  g_assert_true (g_file_set_contents (f->path, "old", -1, NULL));
  g_assert_true (strata_analysis_file_save (file, f->path, NULL, &error));
  g_assert_no_error (error);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (f->path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "{"));

  g_assert_false (strata_analysis_file_save (file, nowhere, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "a.strata"));
  g_clear_error (&error);

  /* The source cannot be hashed: nothing is written, the old file stays. */
  g_autofree char *gone = g_build_filename (f->dir, "gone.csv", NULL);
  g_autoptr (StrataAnalysisFile) orphan = strata_analysis_file_new (gone, NULL);
  g_assert_false (strata_analysis_file_save (orphan, f->path, NULL, &error));
  g_assert_nonnull (strstr (error->message, "gone.csv"));
  g_autofree char *after = NULL;
  g_assert_true (g_file_get_contents (f->path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, text);

  /* Only the cohort and the analysis file in the folder. */
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  guint n = 0;
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    {
      g_assert_false (name[0] == '.');
      n++;
    }
  g_assert_cmpuint (n, ==, 2);
}

/* The loaded spec gives the same numbers as the one saved. */
static void
test_same_numbers (Fixture *f, gconstpointer data)
{
  const char *demo = g_getenv ("STRATA_DEMO_COHORT");
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataSpec) spec = strata_spec_new ();

  g_assert_nonnull (demo);
  g_autoptr (StrataTable) table = strata_table_load_file (demo, &error);
  g_assert_no_error (error);
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_assert_true (strata_spec_add_by (spec, "bm_blasts_pct>=5", &error));
  g_assert_true (strata_spec_add_where (spec, "disease_site=EMD", &error));
  g_assert_true (strata_spec_set_landmarks (spec, "12,24", &error));
  g_assert_true (strata_spec_add_response (spec, "mrd_day28:negative", &error));
  spec->time_column = g_strdup ("os_months");
  spec->event_column = g_strdup ("os_status");

  g_autoptr (StrataAnalysisFile) file = strata_analysis_file_new (demo, spec);
  g_assert_true (strata_analysis_file_save (file, f->path, NULL, &error));
  g_assert_no_error (error);
  g_autoptr (StrataAnalysisFile) loaded = strata_analysis_file_load (f->path, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->source_status, ==, STRATA_SOURCE_UNCHANGED);

  g_autoptr (StrataResult) a = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (StrataResult) b = strata_analysis_run (cohort, loaded->spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->groups->len, ==, b->groups->len);
  for (guint g = 0; g < a->groups->len; g++)
    {
      const StrataGroupResult *x = g_ptr_array_index (a->groups, g);
      const StrataGroupResult *y = g_ptr_array_index (b->groups, g);
      g_assert_cmpstr (x->label, ==, y->label);
      g_assert_cmpuint (x->n, ==, y->n);
      g_assert_cmpuint (x->events, ==, y->events);
      for (guint k = 0; k < a->landmark_times->len; k++)
        g_assert_true (x->landmarks->surv[k] == y->landmarks->surv[k]);
    }
  g_assert_true (a->logrank->p == b->logrank->p);
  g_assert_cmpuint (a->responses->len, ==, 1);
  g_assert_true (((StrataResponseTable *) g_ptr_array_index (a->responses, 0))->fisher_p ==
                 ((StrataResponseTable *) g_ptr_array_index (b->responses, 0))->fisher_p);
}

static char *
run_report (const char *const *args, int *exit_status, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("STRATA_REPORT"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, err,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  *exit_status = WEXITSTATUS (status);
  return out;
}

/* strata-report --analysis=FILE.strata reproduces the saved analysis exactly: the same
 * JSON report as the options written out; a changed source is said, a missing one
 * refused; other analysis options alongside are a usage error. */
static void
test_report_reproduces (Fixture *f, gconstpointer data)
{
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *option = g_strconcat ("--analysis=", f->path, NULL);
  g_autofree char *err = NULL, *err2 = NULL, *err3 = NULL, *err4 = NULL;
  int status;

  g_assert_true (strata_spec_add_by (spec, "site", &error));
  g_assert_true (strata_spec_add_where (spec, "blasts>0", &error));
  g_assert_true (strata_spec_add_response (spec, "mrd:negative", &error));
  g_assert_true (strata_spec_set_landmarks (spec, "6,12", &error));
  g_assert_true (strata_spec_set_conf_type (spec, "plain", &error));
  g_autoptr (StrataAnalysisFile) file = strata_analysis_file_new (f->source, spec);
  g_assert_true (strata_analysis_file_save (file, f->path, NULL, &error));
  g_assert_no_error (error);

  g_autofree char *saved = run_report ((const char *const[]) { "--json=-", option, NULL }, &status, &err);
  g_assert_cmpint (status, ==, 0);
  g_autofree char *direct = run_report ((const char *const[]) {
    "--json=-", "--by=site", "--where=blasts>0", "--response=mrd:negative", "--landmarks=6,12",
    "--conf-type=plain", f->source, NULL }, &status, &err2);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (saved, ==, direct);

  g_assert_true (g_file_set_contents (f->source, cohort_csv, strlen (cohort_csv) - 22, NULL));
  g_autofree char *changed = run_report ((const char *const[]) { "--json=-", option, NULL }, &status, &err3);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (err3, "warning"));

  g_autofree char *usage = run_report ((const char *const[]) { option, "--by=site", NULL }, &status, &err4);
  g_assert_cmpint (status, ==, 2);
}

/* A time derived from dates, with the sheet and header row of a workbook, survives a
 * save and a load, and strata-report --analysis reproduces the analysis from it: the
 * same numbers as the options given directly. */
static void
test_dates_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *workbook = g_test_build_filename (G_TEST_DIST, "data", "dates-two-sheets.xlsx", NULL);
  g_autofree char *option = g_strconcat ("--analysis=", f->path, NULL);
  g_autofree char *err = NULL, *err2 = NULL;
  int status;

  spec->time_from = g_strdup ("infusion_date");
  spec->time_to = g_strdup ("death_date");
  spec->last_contact = g_strdup ("last_contact");
  spec->time_unit = g_strdup ("weeks");
  g_assert_true (strata_spec_add_by (spec, "site", &error));
  g_autoptr (StrataAnalysisFile) file = strata_analysis_file_new (workbook, spec);
  file->sheet = g_strdup ("Follow-up");
  file->header_row = 3;
  g_assert_true (strata_analysis_file_save (file, f->path, NULL, &error));
  g_assert_no_error (error);

  g_autoptr (StrataAnalysisFile) loaded = strata_analysis_file_load (f->path, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->sheet, ==, "Follow-up");
  g_assert_cmpuint (loaded->header_row, ==, 3);
  assert_specs_equal (spec, loaded->spec);

  g_autofree char *saved = run_report ((const char *const[]) { "--json=-", option, NULL }, &status, &err);
  g_assert_cmpint (status, ==, 0);
  g_autofree char *direct = run_report ((const char *const[]) {
    "--json=-", "--sheet=Follow-up", "--header-row=3", "--time-from=infusion_date",
    "--time-to=death_date", "--last-contact=last_contact", "--time-unit=weeks", "--by=site",
    workbook, NULL }, &status, &err2);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (saved, ==, direct);
  g_assert_nonnull (strstr (saved, "\"time\": \"infusion_date to death_date, weeks\""));
  g_assert_nonnull (strstr (saved, "\"rows_used\": 11"));

  /* Date orders, for columns whose dates read either way. */
  strata_spec_set_date_order (spec, "infusion_date", STRATA_DATE_ORDER_MONTH_FIRST);
  strata_spec_set_date_order (spec, "death_date", STRATA_DATE_ORDER_DAY_FIRST);
  g_autoptr (StrataAnalysisFile) ordered = strata_analysis_file_new (workbook, spec);
  g_assert_true (strata_analysis_file_save (ordered, f->path, NULL, &error));
  g_autoptr (StrataAnalysisFile) reloaded = strata_analysis_file_load (f->path, FALSE, NULL, &error);
  g_assert_no_error (error);
  assert_specs_equal (spec, reloaded->spec);
  g_assert_null (reloaded->sheet);
  g_assert_cmpuint (reloaded->header_row, ==, 0);
  g_autofree char *text = strata_analysis_file_to_data (reloaded);
  g_assert_nonnull (strstr (text, "\"death_date\": \"day-first\""));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gsl_set_error_handler_off ();

#define ADD(name, func) \
  g_test_add ("/analysis-file/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("round-trip-defaults", test_round_trip_defaults);
  ADD ("source-changed", test_source_changed);
  ADD ("moved-together", test_moved_together);
  ADD ("relative-source", test_relative_source);
  ADD ("checksum-large", test_checksum_large);
  ADD ("malformed", test_malformed);
  ADD ("atomic", test_atomic);
  ADD ("same-numbers", test_same_numbers);
  ADD ("report-reproduces", test_report_reproduces);
  ADD ("dates-round-trip", test_dates_round_trip);
#undef ADD
  return g_test_run ();
}

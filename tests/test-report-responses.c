/* test-report-responses.c: every response table of R's tests/data/responses.json
 * (fisher.test, chisq.test, binom.test, prop.test) through strata-report --response,
 * as a user would get it from a cohort file: one row per patient, the row of the
 * table as the group and the column as the response. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "reference-compare.h"

/* Writes a cohort with one patient per count: group gN, response rN (every patient
 * with a follow-up time, as the endpoint needs one). */
static char *
write_cohort (JsonArray *table, const char *dir, guint index)
{
  g_autofree char *name = g_strdup_printf ("table-%u.csv", index);
  char *path = g_build_filename (dir, name, NULL);
  GString *csv = g_string_new ("id,time,event,group,response\n");
  guint id = 0;

  for (guint r = 0; r < json_array_get_length (table); r++)
    {
      JsonArray *row = json_array_get_array_element (table, r);
      for (guint c = 0; c < json_array_get_length (row); c++)
        for (gint64 k = 0; k < json_array_get_int_element (row, c); k++)
          {
            id++;
            g_string_append_printf (csv, "%u,%u,%u,g%u,r%u\n", id, 1 + id % 7, id % 2, r + 1, c + 1);
          }
    }
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  g_string_free (csv, TRUE);
  return path;
}

static JsonObject *
run_report (JsonParser *parser, const char *csv, guint nrow)
{
  GString *order = g_string_new ("--order=");
  for (guint r = 0; r < nrow; r++)
    g_string_append_printf (order, "%sg%u", r ? "," : "", r + 1);
  const char *argv[] = { g_getenv ("STRATA_REPORT"), "--json=-", "--by=group",
                         order->str, "--response=response:r1", csv, NULL };
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_string_free (order, TRUE);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_tables (void)
{
  g_autoptr (JsonParser) ref_parser = NULL;
  JsonObject *root = json_node_get_object (reference_load ("responses.json", &ref_parser));
  JsonArray *tables = json_object_get_array_member (root, "tables");
  g_autofree char *dir = g_dir_make_tmp ("strata-responses-XXXXXX", NULL);

  for (guint t = 0; t < json_array_get_length (tables); t++)
    {
      JsonObject *ref = json_array_get_object_element (tables, t);
      guint nrow = json_object_get_int_member (ref, "nrow");
      g_autofree char *csv = write_cohort (json_object_get_array_member (ref, "table"), dir, t);
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *report = run_report (parser, csv, nrow);
      JsonObject *ours = json_array_get_object_element (json_object_get_array_member (report, "responses"), 0);
      const char *id = json_object_get_string_member (ref, "id");
      JsonObject *ref_chisq = json_object_get_object_member (ref, "chisq");
      JsonObject *our_chisq = json_object_get_object_member (ours, "chisq");
      static const char *const row_fields[] = { "x", "n", "p_hat", "cp_lower", "cp_upper",
                                                "wilson_lower", "wilson_upper" };

      assert_reference (json_object_get_double_member (json_object_get_object_member (ours, "fisher"), "p"),
                        json_object_get_member (json_object_get_object_member (ref, "fisher"), "p"),
                        "%s fisher p", id);
      assert_reference (json_object_get_double_member (our_chisq, "statistic"),
                        json_object_get_member (ref_chisq, "statistic"), "%s chisq", id);
      assert_reference (json_object_get_double_member (our_chisq, "df"),
                        json_object_get_member (ref_chisq, "df"), "%s df", id);
      assert_reference (json_object_get_double_member (our_chisq, "p"),
                        json_object_get_member (ref_chisq, "p"), "%s chisq p", id);
      JsonArray *ref_rows = json_object_get_array_member (ref, "rows");
      JsonArray *our_rows = json_object_get_array_member (ours, "rows");
      g_assert_cmpuint (json_array_get_length (our_rows), ==, json_array_get_length (ref_rows));
      for (guint r = 0; r < json_array_get_length (ref_rows); r++)
        for (guint f = 0; f < G_N_ELEMENTS (row_fields); f++)
          assert_reference (json_object_get_double_member (json_array_get_object_element (our_rows, r), row_fields[f]),
                            json_object_get_member (json_array_get_object_element (ref_rows, r), row_fields[f]),
                            "%s row %u %s", id, r, row_fields[f]);
      g_assert_cmpint (g_remove (csv), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/report/responses", test_tables);
  return g_test_run ();
}

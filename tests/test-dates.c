/* test-dates.c: times to event derived from dates (a start date, an event date and a
 * last-contact date) against R: day counts at month ends and leap days from as.Date,
 * months = days / 30.4375, and the Kaplan–Meier estimate of the derived times from
 * survival::survfit (tests/data/dates-follow-up.R wrote dates-follow-up.json). Both the
 * core and strata-report are checked; the event column still decides when it is named,
 * and a day/month order that the values cannot decide is asked, not guessed. */
#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "strata-analysis.h"
#include "strata-cohort.h"
#include "strata-date.h"
#include "strata-spec.h"

#define TOLERANCE 1e-9

static char *
data_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static JsonObject *
load_reference (JsonParser *parser)
{
  g_autofree char *path = data_file ("dates-follow-up.json");
  g_autoptr (GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static StrataTable *
load_fixture (void)
{
  g_autofree char *path = data_file ("dates-follow-up.csv");
  g_autoptr (GError) error = NULL;
  StrataTable *table = strata_table_load_file (path, &error);

  g_assert_no_error (error);
  return table;
}

/* |a - b| within 1e-9 relative (absolute near zero); a JSON null is NaN. */
static void
assert_close (double a, JsonNode *expected)
{
  if (JSON_NODE_HOLDS_NULL (expected))
    {
      g_assert_true (isnan (a));
      return;
    }
  double b = json_node_get_double (expected);
  g_assert_cmpfloat (fabs (a - b), <=, TOLERANCE * MAX (1.0, fabs (b)));
}

static void
assert_array_close (JsonArray *expected, guint len, const double *values)
{
  g_assert_cmpuint (json_array_get_length (expected), ==, len);
  for (guint i = 0; i < len; i++)
    assert_close (values[i], json_array_get_element (expected, i));
}

static void
assert_counts (JsonArray *expected, guint len, const guint *values)
{
  g_assert_cmpuint (json_array_get_length (expected), ==, len);
  for (guint i = 0; i < len; i++)
    g_assert_cmpint (json_array_get_int_element (expected, i), ==, values[i]);
}

/* The times and events of every row against R's as.Date differences. */
static void
test_follow_up_times (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *reference = load_reference (parser);
  g_autoptr (StrataTable) table = load_fixture ();
  g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_issue_free);
  g_autoptr (GError) error = NULL;
  const StrataColumn *id = strata_table_find_column (table, "id");
  JsonArray *ids = json_object_get_array_member (reference, "id");

  for (StrataTimeUnit unit = STRATA_TIME_UNIT_DAYS; unit <= STRATA_TIME_UNIT_MONTHS; unit += 2)
    {
      g_autofree double *time = NULL;
      g_autofree double *event = NULL;
      JsonArray *expected = json_object_get_array_member (reference, unit == STRATA_TIME_UNIT_DAYS
                                                                     ? "days" : "months");
      JsonArray *events = json_object_get_array_member (reference, "event");
      guint k = 0;

      g_ptr_array_set_size (issues, 0);
      g_assert_true (strata_date_derive_follow_up (table, "infusion_date", "death_date",
                                                   "last_contact", unit, NULL, &time, &event,
                                                   issues, &error));
      g_assert_no_error (error);
      for (guint r = 0; r < strata_table_get_n_rows (table); r++)
        {
          if (isnan (time[r]))
            continue;
          g_assert_cmpuint (k, <, json_array_get_length (ids));
          g_assert_cmpfloat (id->values[r], ==, g_ascii_strtod (json_array_get_string_element (ids, k), NULL));
          assert_close (time[r], json_array_get_element (expected, k));
          g_assert_cmpfloat (event[r], ==, json_array_get_int_element (events, k));
          k++;
        }
      g_assert_cmpuint (k, ==, json_array_get_length (ids));
      g_assert_cmpuint (issues->len, ==, 4);
    }
  /* Exactly, at the boundaries the issue names: a leap day and a year across one. */
  g_autofree double *days = NULL;
  g_autofree double *event = NULL;
  g_assert_true (strata_date_derive_follow_up (table, "infusion_date", "death_date",
                                               "last_contact", STRATA_TIME_UNIT_DAYS, NULL,
                                               &days, &event, NULL, &error));
  g_assert_cmpfloat (days[0], ==, 29);    /* 2024-01-31 → 2024-02-29, event */
  g_assert_cmpfloat (event[0], ==, 1);
  g_assert_cmpfloat (days[1], ==, 366);   /* 2023-02-28 → 2024-02-29, last contact */
  g_assert_cmpfloat (event[1], ==, 0);
  g_assert_cmpfloat (days[6], ==, 365);   /* 2024-02-29 → 2025-02-28 */
  g_assert_cmpfloat (days[10], ==, 60);   /* 2024-01-31 → 2024-03-31 */
  g_assert_cmpfloat (days[11], ==, 0);    /* an event on the day of infusion */
}

/* Each row left out has its line, the column at fault and why. */
static void
test_follow_up_issues (void)
{
  g_autoptr (StrataTable) table = load_fixture ();
  g_autoptr (GPtrArray) issues = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_issue_free);
  g_autoptr (GError) error = NULL;
  g_autofree double *time = NULL;
  g_autofree double *event = NULL;
  static const struct { guint line; const char *column; const char *reason; } expected[] = {
    { 4, "last_contact", "ends (2024-02-01, \"last_contact\") before it starts (2024-03-01, \"infusion_date\")" },
    { 5, "last_contact", "neither an event date (\"death_date\") nor a last-contact date (\"last_contact\")" },
    { 6, "infusion_date", "the start date is missing" },
    { 14, "death_date", "ends (2024-05-01, \"death_date\") before it starts (2024-05-10, \"infusion_date\")" },
  };

  g_assert_true (strata_date_derive_follow_up (table, "infusion_date", "death_date",
                                               "last_contact", STRATA_TIME_UNIT_WEEKS, NULL,
                                               &time, &event, issues, &error));
  g_assert_cmpuint (issues->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < issues->len; i++)
    {
      const StrataIssue *issue = g_ptr_array_index (issues, i);
      g_assert_cmpuint (issue->line, ==, expected[i].line);
      g_assert_cmpstr (issue->column, ==, expected[i].column);
      g_assert_cmpstr (issue->reason, ==, expected[i].reason);
    }
  g_assert_cmpfloat (fabs (time[0] - 29.0 / 7), <, 1e-15);

  /* Without a last-contact column, a row without an event date has no end. */
  g_clear_pointer (&time, g_free);
  g_clear_pointer (&event, g_free);
  g_ptr_array_set_size (issues, 0);
  g_assert_true (strata_date_derive_follow_up (table, "infusion_date", "death_date", NULL,
                                               STRATA_TIME_UNIT_DAYS, NULL, &time, &event,
                                               issues, &error));
  g_assert_true (isnan (time[1]));
  g_assert_cmpuint (issues->len, ==, 9);  /* 7 without an event date, 1 start missing, 1 ending before it starts */
}

static void
check_km_against_r (StrataResult *result, JsonArray *groups)
{
  g_assert_cmpuint (result->groups->len, ==, json_array_get_length (groups));
  for (guint g = 0; g < result->groups->len; g++)
    {
      const StrataGroupResult *group = g_ptr_array_index (result->groups, g);
      JsonObject *expected = json_array_get_object_element (groups, g);
      const StrataKmTable *km = group->km;

      g_assert_cmpstr (group->label, ==, json_object_get_string_member (expected, "label"));
      assert_array_close (json_object_get_array_member (expected, "time"), km->len, km->time);
      assert_counts (json_object_get_array_member (expected, "n_risk"), km->len, km->n_risk);
      assert_counts (json_object_get_array_member (expected, "n_event"), km->len, km->n_event);
      assert_counts (json_object_get_array_member (expected, "n_censor"), km->len, km->n_censor);
      assert_array_close (json_object_get_array_member (expected, "surv"), km->len, km->surv);
      assert_array_close (json_object_get_array_member (expected, "std_err"), km->len, km->std_err);
      assert_array_close (json_object_get_array_member (expected, "lower"), km->len, km->lower);
      assert_array_close (json_object_get_array_member (expected, "upper"), km->len, km->upper);
    }
}

static StrataSpec *
follow_up_spec (const char *unit)
{
  StrataSpec *spec = strata_spec_new ();
  g_autoptr (GError) error = NULL;

  spec->time_from = g_strdup ("infusion_date");
  spec->time_to = g_strdup ("death_date");
  spec->last_contact = g_strdup ("last_contact");
  spec->time_unit = g_strdup (unit);
  g_assert_true (strata_spec_add_by (spec, "site", &error));
  return spec;
}

/* The analysis of the derived endpoint is R's survfit of the same times, by site. */
static void
test_follow_up_km (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *reference = load_reference (parser);
  g_autoptr (StrataTable) table = load_fixture ();
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (GError) error = NULL;

  for (guint u = 0; u < 2; u++)
    {
      g_autoptr (StrataSpec) spec = follow_up_spec (u == 0 ? "months" : "days");
      g_autoptr (StrataResult) result = strata_analysis_run (cohort, spec, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (result->rows_used, ==, 11);
      g_assert_cmpuint (result->excluded->len, ==, 4);
      g_assert_cmpstr (result->event_column, ==, "death_date");
      check_km_against_r (result, json_object_get_array_member (reference, u == 0 ? "months_by_site"
                                                                                  : "days_by_site"));
    }

  /* --event decides when given: line 11 (id 10) has no death date but status 1. */
  g_autoptr (StrataSpec) spec = follow_up_spec ("days");
  spec->event_column = g_strdup ("status");
  g_autoptr (StrataResult) result = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->event_column, ==, "status");
  const StrataGroupResult *b = g_ptr_array_index (result->groups, 1);
  g_assert_cmpstr (b->label, ==, "B");
  g_assert_cmpfloat (b->km->time[1], ==, 30);
  g_assert_cmpuint (b->km->n_event[1], ==, 1);   /* from status, censored by the dates */
  g_assert_cmpuint (b->events, ==, 4);
}

/* 03/04/2024 reads either way: the core asks (an error), and reads it as told. */
static void
test_ambiguous_order (void)
{
  static const char csv[] = "id,start,end,last\n1,03/04/2024,05/04/2024,\n2,01/02/2024,,01/03/2024\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_data ("ambiguous.csv", csv, strlen (csv), &error);
  g_assert_no_error (error);
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataSpec) spec = strata_spec_new ();

  spec->time_from = g_strdup ("start");
  spec->time_to = g_strdup ("end");
  spec->last_contact = g_strdup ("last");
  spec->time_unit = g_strdup ("days");
  g_assert_null (strata_analysis_run (cohort, spec, NULL, &error));
  g_assert_error (error, STRATA_DATE_ERROR, STRATA_DATE_ERROR_AMBIGUOUS);
  g_clear_error (&error);

  g_assert_true (strata_spec_add_date_order (spec, "start:day-first", &error));
  g_assert_true (strata_spec_add_date_order (spec, "end:dmy", &error));
  g_assert_true (strata_spec_add_date_order (spec, "last:day-first", &error));
  g_assert_false (strata_spec_add_date_order (spec, "start:ymd", &error));
  g_assert_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID);
  g_clear_error (&error);
  g_autoptr (StrataResult) day_first = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert_no_error (error);
  const StrataKmTable *km = ((StrataGroupResult *) g_ptr_array_index (day_first->groups, 0))->km;
  g_assert_cmpuint (km->len, ==, 2);
  g_assert_cmpfloat (km->time[0], ==, 2);    /* 3 April → 5 April */
  g_assert_cmpfloat (km->time[1], ==, 29);   /* 1 February → 1 March 2024 (leap year) */

  g_autoptr (StrataSpec) copy = strata_spec_copy (spec);
  strata_spec_set_date_order (copy, "start", STRATA_DATE_ORDER_MONTH_FIRST);
  strata_spec_set_date_order (copy, "end", STRATA_DATE_ORDER_MONTH_FIRST);
  strata_spec_set_date_order (copy, "last", STRATA_DATE_ORDER_MONTH_FIRST);
  g_autoptr (StrataResult) month_first = strata_analysis_run (cohort, copy, NULL, &error);
  g_assert_no_error (error);
  km = ((StrataGroupResult *) g_ptr_array_index (month_first->groups, 0))->km;
  g_assert_cmpfloat (km->time[0], ==, 1);    /* 2 January → 3 January */
  g_assert_cmpfloat (km->time[1], ==, 61);   /* 4 March → 4 May */
}

/* strata-report --last-contact gives R's numbers too, and lists the rows left out. */
static void
test_cli (void)
{
  g_autoptr (JsonParser) reference_parser = json_parser_new ();
  JsonObject *reference = load_reference (reference_parser);
  g_autofree char *csv = data_file ("dates-follow-up.csv");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status;
  const char *argv[] = { g_getenv ("STRATA_REPORT"), "--json=-", "--time-from=infusion_date",
                         "--time-to=death_date", "--last-contact=last_contact",
                         "--time-unit=months", "--by=site", csv, NULL };

  g_assert_nonnull (argv[0]);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "line 14, column “death_date”: ends (2024-05-01"));

  g_autoptr (JsonParser) parser = json_parser_new ();
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  JsonObject *root = json_node_get_object (json_parser_get_root (parser));
  JsonArray *excluded = json_object_get_array_member (json_object_get_object_member (root, "input"), "excluded");
  g_assert_cmpuint (json_array_get_length (excluded), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (excluded, 2), "line"), ==, 6);
  JsonArray *groups = json_object_get_array_member (root, "groups");
  JsonArray *expected = json_object_get_array_member (reference, "months_by_site");
  g_assert_cmpuint (json_array_get_length (groups), ==, json_array_get_length (expected));
  for (guint g = 0; g < json_array_get_length (groups); g++)
    {
      JsonObject *km = json_object_get_object_member (json_array_get_object_element (groups, g), "km");
      JsonObject *r = json_array_get_object_element (expected, g);
      static const char *const fields[] = { "time", "n_risk", "n_event", "n_censor", "surv",
                                            "std_err", "lower", "upper" };
      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          JsonArray *got = json_object_get_array_member (km, fields[f]);
          JsonArray *want = json_object_get_array_member (r, fields[f]);
          g_assert_cmpuint (json_array_get_length (got), ==, json_array_get_length (want));
          for (guint i = 0; i < json_array_get_length (got); i++)
            {
              JsonNode *node = json_array_get_element (got, i);
              assert_close (JSON_NODE_HOLDS_NULL (node) ? NAN : json_node_get_double (node),
                            json_array_get_element (want, i));
            }
        }
    }

  /* --last-contact alone is a usage error. */
  const char *lonely[] = { g_getenv ("STRATA_REPORT"), "--last-contact=last_contact", csv, NULL };
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_spawn_sync (NULL, (char **) lonely, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  g_assert_nonnull (strstr (err, "--last-contact"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dates/follow-up-times", test_follow_up_times);
  g_test_add_func ("/dates/follow-up-issues", test_follow_up_issues);
  g_test_add_func ("/dates/follow-up-km", test_follow_up_km);
  g_test_add_func ("/dates/ambiguous-order", test_ambiguous_order);
  g_test_add_func ("/dates/cli", test_cli);
  return g_test_run ();
}

/* strata-stat-file.c: SPSS, SAS and Stata files through ReadStat.
 *
 * ReadStat calls back per variable, per value and per value label. Stata keeps its
 * value labels after the data, so the values are collected per variable first and the
 * table is built at the end, when every label is known.
 */
#include "strata-stat-file.h"
#include "strata-i18n.h"

#include "strata-date.h"
#include "strata-table-builder.h"

#include <math.h>
#include <readstat.h>
#include <string.h>

typedef enum {
  DATE_NONE,
  DATE_DAYS_1960,      /* SAS dates, Stata %td */
  DATE_SECONDS_1960,   /* SAS datetimes */
  DATE_MS_1960,        /* Stata %tc, %tC */
  DATE_SECONDS_1582,   /* SPSS dates and datetimes */
} DateKind;

typedef struct {
  char *name;
  char *label;
  char *label_set;     /* name of its value labels, or NULL */
  gboolean is_string;
  DateKind date;
  GArray *values;      /* double (NaN missing) */
  GPtrArray *strings;  /* char* in the string chunk, NULL missing */
} StatVariable;

typedef struct {
  StrataStatFormat format;
  GPtrArray *variables;    /* StatVariable* */
  GHashTable *label_sets;  /* name -> GHashTable (value text -> label) */
  GStringChunk *chunk;
  guint n_rows;
  char *error_message;
} StatImport;

static void
stat_variable_free (gpointer data)
{
  StatVariable *v = data;

  g_free (v->name);
  g_free (v->label);
  g_free (v->label_set);
  g_clear_pointer (&v->values, g_array_unref);
  g_clear_pointer (&v->strings, g_ptr_array_unref);
  g_free (v);
}

static gboolean
has_prefix_upper (const char *format, const char *const *prefixes)
{
  for (guint i = 0; prefixes[i] != NULL; i++)
    if (g_ascii_strncasecmp (format, prefixes[i], strlen (prefixes[i])) == 0)
      return TRUE;
  return FALSE;
}

static DateKind
date_kind (StrataStatFormat file_format, const char *format)
{
  static const char *const spss_dates[] = {
    "DATE", "ADATE", "EDATE", "SDATE", "JDATE", "QYR", "MOYR", "WKYR", "YMDHMS", NULL,
  };
  static const char *const sas_datetimes[] = {
    "DATETIME", "E8601DT", "IS8601DT", "B8601DT", "NLDATM", "MDYAMPM", NULL,
  };
  static const char *const sas_dates[] = {
    "DATE", "MMDDYY", "DDMMYY", "YYMMDD", "E8601DA", "IS8601DA", "B8601DA", "WEEKDATE",
    "WORDDATE", "MONYY", "NLDATE", "EURDFDD", "JULIAN", "MINGUO", "YYMON", NULL,
  };

  if (format == NULL || format[0] == '\0')
    return DATE_NONE;
  switch (file_format)
    {
    case STRATA_STAT_FORMAT_SPSS:
      return has_prefix_upper (format, spss_dates) ? DATE_SECONDS_1582 : DATE_NONE;
    case STRATA_STAT_FORMAT_STATA:
      if (g_str_has_prefix (format, "%td") || g_str_has_prefix (format, "%d"))
        return DATE_DAYS_1960;
      if (g_str_has_prefix (format, "%tc") || g_str_has_prefix (format, "%tC"))
        return DATE_MS_1960;
      return DATE_NONE;
    case STRATA_STAT_FORMAT_SAS7BDAT:
    case STRATA_STAT_FORMAT_XPORT:
    default:
      if (has_prefix_upper (format, sas_datetimes))
        return DATE_SECONDS_1960;
      return has_prefix_upper (format, sas_dates) ? DATE_DAYS_1960 : DATE_NONE;
    }
}

/* 1960-01-01 and 1582-10-14 as day numbers. */
#define DAY_1960 (-3653.0)
#define DAY_1582 (-141428.0)

static double
to_day_number (DateKind kind, double value)
{
  switch (kind)
    {
    case DATE_DAYS_1960:
      return DAY_1960 + value;
    case DATE_SECONDS_1960:
      return DAY_1960 + value / 86400.0;
    case DATE_MS_1960:
      return DAY_1960 + value / 86400000.0;
    case DATE_SECONDS_1582:
      return DAY_1582 + value / 86400.0;
    case DATE_NONE:
    default:
      return value;
    }
}

static int
metadata_cb (readstat_metadata_t *metadata, void *ctx)
{
  (void) metadata;
  (void) ctx;
  return READSTAT_HANDLER_OK;
}

/* TEXT (may be NULL) as valid UTF-8, newly allocated: ReadStat passes the bytes of a
 * file that says it is UTF-8 (Stata 118 and later, for one) through unchecked, so
 * invalid sequences are replaced by U+FFFD here. Found by fuzz-stat-file. */
static char *
dup_valid_utf8 (const char *text)
{
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  return g_utf8_make_valid (text, -1);
}

static int
variable_cb (int index, readstat_variable_t *variable, const char *val_labels, void *ctx)
{
  StatImport *im = ctx;
  StatVariable *v = g_new0 (StatVariable, 1);

  (void) index;
  v->name = dup_valid_utf8 (readstat_variable_get_name (variable));
  v->label = dup_valid_utf8 (readstat_variable_get_label (variable));
  v->label_set = g_strdup (val_labels);
  v->is_string = readstat_variable_get_type_class (variable) == READSTAT_TYPE_CLASS_STRING;
  if (!v->is_string)
    {
      v->date = date_kind (im->format, readstat_variable_get_format (variable));
      v->values = g_array_new (FALSE, FALSE, sizeof (double));
    }
  else
    v->strings = g_ptr_array_new ();
  g_ptr_array_add (im->variables, v);
  return READSTAT_HANDLER_OK;
}

static int
value_cb (int obs_index, readstat_variable_t *variable, readstat_value_t value, void *ctx)
{
  StatImport *im = ctx;
  int index = readstat_variable_get_index (variable);
  StatVariable *v;
  gboolean missing;

  if (index < 0 || (guint) index >= im->variables->len || obs_index < 0)
    return READSTAT_HANDLER_OK;
  v = g_ptr_array_index (im->variables, index);
  missing = readstat_value_is_missing (value, variable) != 0;
  im->n_rows = MAX (im->n_rows, (guint) obs_index + 1);
  if (v->is_string)
    {
      const char *s = missing ? NULL : readstat_string_value (value);
      g_autofree char *valid = NULL;

      if (s != NULL && !g_utf8_validate (s, -1, NULL))
        s = valid = g_utf8_make_valid (s, -1);
      g_ptr_array_set_size (v->strings, obs_index);
      g_ptr_array_add (v->strings, s != NULL ? g_string_chunk_insert (im->chunk, s) : NULL);
    }
  else
    {
      double x = missing ? NAN : readstat_double_value (value);

      g_array_set_size (v->values, obs_index);
      g_array_append_val (v->values, x);
    }
  return READSTAT_HANDLER_OK;
}

static void
value_key (readstat_value_t value, char buffer[32], const char **key)
{
  if (readstat_value_type_class (value) == READSTAT_TYPE_CLASS_STRING)
    *key = readstat_string_value (value);
  else
    *key = strata_table_format_number (readstat_double_value (value), buffer);
}

static int
value_label_cb (const char *val_labels, readstat_value_t value, const char *label, void *ctx)
{
  StatImport *im = ctx;
  GHashTable *set;
  char buffer[32];
  const char *key = NULL;

  if (val_labels == NULL || label == NULL || readstat_value_is_tagged_missing (value)
      || readstat_value_is_system_missing (value))
    return READSTAT_HANDLER_OK;
  set = g_hash_table_lookup (im->label_sets, val_labels);
  if (set == NULL)
    {
      set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_insert (im->label_sets, g_strdup (val_labels), set);
    }
  value_key (value, buffer, &key);
  if (key != NULL)
    g_hash_table_insert (set, dup_valid_utf8 (key), dup_valid_utf8 (label));
  return READSTAT_HANDLER_OK;
}

static void
error_cb (const char *message, void *ctx)
{
  StatImport *im = ctx;

  if (im->error_message == NULL)
    im->error_message = g_strstrip (dup_valid_utf8 (message));
}

static const char *
format_name (StrataStatFormat format)
{
  switch (format)
    {
    case STRATA_STAT_FORMAT_SPSS:
      /* Translators: the kind of a file, shown as its format in the import assistant. */
      return _("SPSS data file");
    case STRATA_STAT_FORMAT_STATA:
      return _("Stata data file");
    case STRATA_STAT_FORMAT_SAS7BDAT:
      return _("SAS data set");
    case STRATA_STAT_FORMAT_XPORT:
    default:
      return _("SAS transport file");
    }
}

static StrataTable *
build_table (StatImport *im, const char *display_name, GError **error)
{
  g_autoptr(StrataTableBuilder) builder =
    strata_table_builder_new (display_name, format_name (im->format));
  g_autofree GHashTable **sets = g_new0 (GHashTable *, im->variables->len + 1);
  double first_day = 0, last_day = 0;

  strata_date_from_ymd (1, 1, 1, &first_day);
  strata_date_from_ymd (9999, 12, 31, &last_day);

  for (guint c = 0; c < im->variables->len; c++)
    {
      StatVariable *v = g_ptr_array_index (im->variables, c);

      strata_table_builder_set_name (builder, c, v->name);
      strata_table_builder_set_description (builder, c, v->label);
      if (v->label_set != NULL)
        sets[c] = g_hash_table_lookup (im->label_sets, v->label_set);
    }

  for (guint row = 0; row < im->n_rows; row++)
    {
      if (!strata_table_builder_begin_row (builder, row + 1, error))
        return NULL;
      for (guint c = 0; c < im->variables->len; c++)
        {
          StatVariable *v = g_ptr_array_index (im->variables, c);
          char buffer[32];
          double x;

          if (v->is_string)
            {
              const char *s = row < v->strings->len ? g_ptr_array_index (v->strings, row)
                                                    : NULL;
              const char *label = s != NULL && sets[c] != NULL
                                  ? g_hash_table_lookup (sets[c], s) : NULL;

              if (label != NULL)
                strata_table_builder_add_level (builder, c, label, -1);
              else if (s != NULL)
                strata_table_builder_add_text (builder, c, s, -1);
              continue;
            }
          x = row < v->values->len ? g_array_index (v->values, double, row) : NAN;
          if (isnan (x))
            continue;
          if (sets[c] != NULL)
            {
              const char *label = g_hash_table_lookup (sets[c],
                                                       strata_table_format_number (x, buffer));

              strata_table_builder_add_level (builder, c, label != NULL ? label : buffer, -1);
            }
          else if (v->date != DATE_NONE)
            {
              double day = to_day_number (v->date, x);

              /* A date from 0001-01-01 to 9999-12-31; beyond, the number as it is (found
               * by fuzz-stat-file: 1e55 days overflowed the calendar arithmetic). */
              strata_table_builder_add_level (builder, c,
                                              day >= first_day && day < last_day + 1
                                              ? strata_date_format_iso (day, buffer)
                                              : strata_table_format_number (x, buffer), -1);
            }
          else
            strata_table_builder_add_number (builder, c, x);
        }
      strata_table_builder_end_row (builder);
    }
  return strata_table_builder_finish (builder, FALSE, error);
}

StrataTable *
strata_stat_file_import (const char *path, const char *display_name,
                         StrataStatFormat format, GError **error)
{
  StatImport im = { 0 };
  readstat_parser_t *parser = readstat_parser_init ();
  readstat_error_t status;
  StrataTable *table = NULL;

  im.format = format;
  im.variables = g_ptr_array_new_with_free_func (stat_variable_free);
  im.label_sets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_unref);
  im.chunk = g_string_chunk_new (64 * 1024);

  readstat_set_metadata_handler (parser, metadata_cb);
  readstat_set_variable_handler (parser, variable_cb);
  readstat_set_value_handler (parser, value_cb);
  readstat_set_value_label_handler (parser, value_label_cb);
  readstat_set_error_handler (parser, error_cb);

  switch (format)
    {
    case STRATA_STAT_FORMAT_SPSS:
      status = readstat_parse_sav (parser, path, &im);
      break;
    case STRATA_STAT_FORMAT_STATA:
      status = readstat_parse_dta (parser, path, &im);
      break;
    case STRATA_STAT_FORMAT_SAS7BDAT:
      status = readstat_parse_sas7bdat (parser, path, &im);
      break;
    case STRATA_STAT_FORMAT_XPORT:
    default:
      status = readstat_parse_xport (parser, path, &im);
      break;
    }
  readstat_parser_free (parser);

  if (status == READSTAT_ERROR_OPEN)
    g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO,
                 _("%s: cannot open the file"), display_name);
  else if (status != READSTAT_OK)
    g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                 /* Translators: the second %s is the kind of file, e.g. "SPSS data file";
                  * the third, the reading library's own (English) reason. */
                 _("%s looks like a %s but is damaged or incomplete (%s)"), display_name,
                 format_name (format),
                 im.error_message != NULL ? im.error_message : readstat_error_message (status));
  else if (im.variables->len == 0 || im.n_rows == 0)
    g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                 im.variables->len == 0 ? _("%s has no variables") : _("%s has no cases"),
                 display_name);
  else
    table = build_table (&im, display_name, error);

  g_ptr_array_unref (im.variables);
  g_hash_table_unref (im.label_sets);
  g_string_chunk_free (im.chunk);
  g_free (im.error_message);
  return table;
}

/* strata-table-builder.c: a StrataTable filled cell by cell (workbooks, statistics
 * files), with the column type inference and level store of the CSV importer.
 *
 * Each column holds a double array while it is numeric and a code array with a level
 * set after its first cell that is not a number; at that switch its earlier numbers are
 * turned into level text once. Cells a row does not give are filled as missing lazily,
 * when a later cell of the column arrives or at the end, so a row costs only its cells.
 */
#include "strata-table-builder.h"
#include "strata-i18n.h"

#include "strata-number.h"
#include "strata-table-private.h"

#include <math.h>
#include <string.h>

#define MAX_ROWS (G_MAXUINT32 - 2)
#define FIRST_CAPACITY 1024

typedef struct {
  char *name;
  char *description;
  double *values;        /* while numeric */
  guint32 *codes;        /* once a cell was not a number */
  StrataLevelSet levels;
  guint filled;          /* rows stored so far (the rest are missing until set) */
} BuilderColumn;

struct _StrataTableBuilder {
  StrataTable *table;
  GArray *columns;       /* BuilderColumn */
  guint n_rows;          /* rows begun */
  guint capacity;        /* rows allocated in every column */
  guint *lines;
  gboolean in_row;
};

StrataTableBuilder *
strata_table_builder_new (const char *display_name, const char *format)
{
  StrataTableBuilder *builder = g_new0 (StrataTableBuilder, 1);

  builder->table = strata_table_alloc (display_name);
  builder->table->format = format;
  builder->columns = g_array_new (FALSE, TRUE, sizeof (BuilderColumn));
  builder->capacity = FIRST_CAPACITY;
  builder->lines = strata_large_alloc (builder->capacity, sizeof (guint));
  return builder;
}

static void
builder_column_clear (BuilderColumn *column)
{
  g_clear_pointer (&column->name, g_free);
  g_clear_pointer (&column->description, g_free);
  g_clear_pointer (&column->values, g_free);
  g_clear_pointer (&column->codes, g_free);
  strata_level_set_clear (&column->levels);
}

void
strata_table_builder_free (StrataTableBuilder *builder)
{
  if (builder == NULL)
    return;
  for (guint c = 0; c < builder->columns->len; c++)
    builder_column_clear (&g_array_index (builder->columns, BuilderColumn, c));
  g_array_unref (builder->columns);
  g_clear_pointer (&builder->table, strata_table_unref);
  g_free (builder->lines);
  g_free (builder);
}

guint
strata_table_builder_get_n_columns (const StrataTableBuilder *builder)
{
  return builder->columns->len;
}

guint
strata_table_builder_get_n_rows (const StrataTableBuilder *builder)
{
  return builder->n_rows;
}

static BuilderColumn *
get_column (StrataTableBuilder *builder, guint c)
{
  while (builder->columns->len <= c)
    {
      BuilderColumn column = { 0 };

      column.values = strata_large_alloc (builder->capacity, sizeof (double));
      g_array_append_val (builder->columns, column);
    }
  return &g_array_index (builder->columns, BuilderColumn, c);
}

void
strata_table_builder_set_name (StrataTableBuilder *builder, guint column, const char *name)
{
  BuilderColumn *b = get_column (builder, column);

  g_free (b->name);
  b->name = g_strstrip (g_strdup (name != NULL ? name : ""));
}

const char *
strata_table_builder_get_name (const StrataTableBuilder *builder, guint column)
{
  if (column >= builder->columns->len)
    return NULL;
  return g_array_index (builder->columns, BuilderColumn, column).name;
}

void
strata_table_builder_set_description (StrataTableBuilder *builder, guint column,
                                      const char *description)
{
  BuilderColumn *b = get_column (builder, column);

  g_free (b->description);
  b->description = description != NULL && description[0] != '\0' ? g_strdup (description)
                                                                   : NULL;
}

gboolean
strata_table_builder_begin_row (StrataTableBuilder *builder, guint line, GError **error)
{
  g_return_val_if_fail (!builder->in_row, FALSE);

  if (builder->n_rows == builder->capacity)
    {
      guint capacity;

      if (builder->capacity >= MAX_ROWS)
        {
          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO,
                       _("%s is too large: it has more than %u rows"),
                       builder->table->display_name, (guint) MAX_ROWS);
          return FALSE;
        }
      capacity = builder->capacity > MAX_ROWS / 2 ? MAX_ROWS : builder->capacity * 2;
      for (guint c = 0; c < builder->columns->len; c++)
        {
          BuilderColumn *b = &g_array_index (builder->columns, BuilderColumn, c);

          if (b->values != NULL)
            b->values = strata_large_realloc (b->values, capacity, sizeof (double));
          else
            b->codes = strata_large_realloc (b->codes, capacity, sizeof (guint32));
        }
      builder->lines = strata_large_realloc (builder->lines, capacity, sizeof (guint));
      builder->capacity = capacity;
    }
  builder->lines[builder->n_rows++] = line;
  builder->in_row = TRUE;
  return TRUE;
}

void
strata_table_builder_end_row (StrataTableBuilder *builder)
{
  builder->in_row = FALSE;
}

/* Stores missing in the rows before ROW not stored yet. */
static void
fill_missing (BuilderColumn *b, guint row)
{
  if (b->values != NULL)
    for (guint i = b->filled; i < row; i++)
      b->values[i] = NAN;
  else
    for (guint i = b->filled; i < row; i++)
      b->codes[i] = STRATA_MISSING_CODE;
  b->filled = MAX (b->filled, row);
}

const char *
strata_table_format_number (double value, char buffer[32])
{
  if (value == 0)
    value = 0;  /* no "-0" */
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_snprintf (buffer, 32, "%.0f", value);
      return buffer;
    }
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, 32, format, value);
      if (precision == 17 || g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  return buffer;
}

/* Turns a numeric column into a level column at ROW: its numbers become levels. */
static void
switch_to_levels (StrataTableBuilder *builder, BuilderColumn *b)
{
  StrataTextArena *arena = builder->table->level_text;

  b->codes = strata_large_alloc (builder->capacity, sizeof (guint32));
  strata_level_set_init (&b->levels);
  for (guint i = 0; i < b->filled; i++)
    {
      char buffer[32];
      const char *text;

      if (isnan (b->values[i]))
        {
          b->codes[i] = STRATA_MISSING_CODE;
          continue;
        }
      text = strata_table_format_number (b->values[i], buffer);
      b->codes[i] = strata_level_set_intern (&b->levels, arena, text, strlen (text), NULL);
    }
  g_clear_pointer (&b->values, g_free);
}

/* The column of the current row's cell, or NULL when that cell was given already. */
static BuilderColumn *
cell_column (StrataTableBuilder *builder, guint column)
{
  BuilderColumn *b;
  guint row;

  g_return_val_if_fail (builder->in_row, NULL);
  row = builder->n_rows - 1;
  b = get_column (builder, column);
  if (b->filled > row)
    return NULL;
  fill_missing (b, row);
  return b;
}

static void
store_level (StrataTableBuilder *builder, BuilderColumn *b, const char *text, gsize length)
{
  if (b->values != NULL)
    switch_to_levels (builder, b);
  b->codes[b->filled++] = strata_level_set_intern (&b->levels, builder->table->level_text,
                                                   text, length, NULL);
}

static void
trim (const char **text, gsize *length)
{
  while (*length > 0 && g_ascii_isspace ((*text)[0]))
    (*text)++, (*length)--;
  while (*length > 0 && g_ascii_isspace ((*text)[*length - 1]))
    (*length)--;
}

static void
store_missing (BuilderColumn *b)
{
  if (b->values != NULL)
    b->values[b->filled++] = NAN;
  else
    b->codes[b->filled++] = STRATA_MISSING_CODE;
}

void
strata_table_builder_add_text (StrataTableBuilder *builder, guint column,
                               const char *text, gssize length)
{
  BuilderColumn *b = cell_column (builder, column);
  gsize n = length < 0 ? strlen (text) : (gsize) length;
  double value;

  if (b == NULL)
    return;
  trim (&text, &n);
  if (strata_cell_is_missing (text, n))
    store_missing (b);
  else if (b->values != NULL && strata_number_parse (text, n, FALSE, &value))
    b->values[b->filled++] = value;
  else
    store_level (builder, b, text, n);
}

void
strata_table_builder_add_level (StrataTableBuilder *builder, guint column,
                                const char *text, gssize length)
{
  BuilderColumn *b = cell_column (builder, column);
  gsize n = length < 0 ? strlen (text) : (gsize) length;

  if (b == NULL)
    return;
  trim (&text, &n);
  if (n == 0)
    store_missing (b);
  else
    store_level (builder, b, text, n);
}

void
strata_table_builder_add_number (StrataTableBuilder *builder, guint column, double value)
{
  BuilderColumn *b = cell_column (builder, column);
  char buffer[32];
  const char *text;

  if (b == NULL)
    return;
  if (isnan (value))
    store_missing (b);
  else if (b->values != NULL)
    b->values[b->filled++] = value;
  else
    {
      text = strata_table_format_number (value, buffer);
      store_level (builder, b, text, strlen (text));
    }
}

void
strata_table_builder_reject (StrataTableBuilder *builder, guint line, const char *column,
                             const char *reason)
{
  g_ptr_array_add (builder->table->rejected, strata_issue_new (line, column, reason));
}

void
strata_table_builder_add_warning (StrataTableBuilder *builder, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (builder->table->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

static guint
count_missing (const BuilderColumn *b, guint n_rows)
{
  guint n = 0;

  if (b->values != NULL)
    {
      for (guint i = 0; i < n_rows; i++)
        n += isnan (b->values[i]) != 0;
    }
  else
    {
      for (guint i = 0; i < n_rows; i++)
        n += b->codes[i] == STRATA_MISSING_CODE;
    }
  return n;
}

StrataTable *
strata_table_builder_finish (StrataTableBuilder *builder, gboolean drop_empty_unnamed,
                             GError **error)
{
  g_autoptr(StrataTable) table = g_steal_pointer (&builder->table);
  g_autofree guint *keep = NULL;
  g_autofree guint *missing = NULL;
  g_auto(GStrv) raw = NULL;
  guint n_rows = builder->n_rows;
  guint n_keep = 0;
  guint n_empty = 0;
  const char *first_empty = NULL;
  gboolean any_description = FALSE;

  g_return_val_if_fail (!builder->in_row, NULL);

  keep = g_new (guint, builder->columns->len + 1);
  missing = g_new (guint, builder->columns->len + 1);
  for (guint c = 0; c < builder->columns->len; c++)
    {
      BuilderColumn *b = &g_array_index (builder->columns, BuilderColumn, c);
      guint n_missing;

      fill_missing (b, n_rows);
      n_missing = count_missing (b, n_rows);
      if (drop_empty_unnamed && n_missing == n_rows && (b->name == NULL || b->name[0] == '\0'))
        continue;
      missing[n_keep] = n_missing;
      keep[n_keep++] = c;
    }

  if (n_keep == 0 || n_rows == 0)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   n_keep == 0 ? _("%s has no data") : _("%s has a header row but no data rows"),
                   table->display_name);
      return NULL;
    }

  table->n_columns = n_keep;
  table->n_rows = n_rows;
  table->columns = g_new0 (StrataColumn, n_keep);
  table->descriptions = g_new0 (char *, n_keep);
  raw = g_new0 (char *, n_keep + 1);
  for (guint k = 0; k < n_keep; k++)
    {
      BuilderColumn *b = &g_array_index (builder->columns, BuilderColumn, keep[k]);
      StrataColumn *column = &table->columns[k];

      raw[k] = b->name != NULL ? g_steal_pointer (&b->name) : g_strdup ("");
      table->descriptions[k] = g_steal_pointer (&b->description);
      any_description |= table->descriptions[k] != NULL;
      if (b->values != NULL)
        {
          column->type = STRATA_COLUMN_NUMERIC;
          column->values = g_renew (double, g_steal_pointer (&b->values), n_rows);
        }
      else
        {
          column->codes = g_renew (guint32, g_steal_pointer (&b->codes), n_rows);
          column->levels = g_steal_pointer (&b->levels.levels);
          column->type = strata_level_column_type (column->levels->len, n_rows - missing[k]);
          strata_level_set_clear (&b->levels);
        }
    }
  if (!any_description)
    g_clear_pointer (&table->descriptions, g_free);
  strata_table_name_columns (table, raw);
  for (guint k = 0; k < n_keep; k++)
    if (missing[k] == n_rows && n_empty++ == 0)
      first_empty = table->columns[k].name;
  if (n_empty == 1)
    strata_table_add_warning (table, _("column \"%s\" has no values"), first_empty);
  else if (n_empty > 1)
    strata_table_add_warning (table,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u column has no values (the first is \"%s\")",
                                           "%u columns have no values (the first is \"%s\")",
                                           n_empty),
                              n_empty, first_empty);

  table->lines = g_renew (guint, g_steal_pointer (&builder->lines), n_rows);
  return g_steal_pointer (&table);
}

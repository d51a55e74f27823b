/* strata-id-check.c: a warning when a patient identifier appears on more than one row. */
#include "strata-id-check.h"
#include "strata-i18n.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strata-table-builder.h"
#include "strata-table-private.h"

/* Repeated values named in the warning, and lines named per value. */
#define MAX_VALUES 3
#define MAX_LINES 5

static const char *const id_names[] = {
  "id", "patient_id", "patientid", "patient", "patient_no", "patient_number", "subject",
  "subject_id", "subjectid", "subjid", "usubjid", "record_id", "participant_id", "case_id",
  "mrn", "pid",
};

typedef struct {
  guint64 key;   /* the level code, or the bits of the number */
  guint row;
} KeyedRow;

typedef struct {
  guint first;   /* index into the sorted KeyedRow array */
  guint count;   /* rows with this key, >= 2 */
} Repeat;

int
strata_id_check_find_column (const StrataTable *table)
{
  g_return_val_if_fail (table != NULL, -1);

  for (guint c = 0; c < table->n_columns; c++)
    for (guint k = 0; k < G_N_ELEMENTS (id_names); k++)
      if (g_ascii_strcasecmp (table->columns[c].name, id_names[k]) == 0)
        return (int) c;
  return -1;
}

/* The key of ROW in COLUMN; FALSE when the cell is missing. -0 is 0. */
static gboolean
row_key (const StrataColumn *column, guint row, guint64 *key)
{
  if (column->type == STRATA_COLUMN_NUMERIC)
    {
      double x = column->values[row];

      if (isnan (x))
        return FALSE;
      if (x == 0.0)
        x = 0.0;
      memcpy (key, &x, sizeof x);
      return TRUE;
    }
  if (column->codes[row] == STRATA_MISSING_CODE)
    return FALSE;
  *key = column->codes[row];
  return TRUE;
}

/* Whether any value of COLUMN repeats, in linear time: a level column has a repeat when
 * it has more cells than levels; a numeric one is checked with an open-addressing set
 * of the values' bits (slot 0 = free; the value whose bits are 0, +0.0, is kept aside). */
static gboolean
has_repeats (const StrataColumn *column, guint n_rows)
{
  g_autofree guint64 *slots = NULL;
  gsize mask = 1;
  gboolean seen_zero = FALSE;

  if (column->type != STRATA_COLUMN_NUMERIC)
    {
      guint present = 0;

      for (guint r = 0; r < n_rows; r++)
        present += column->codes[r] != STRATA_MISSING_CODE;
      return present > column->levels->len;
    }

  while (mask < 2 * (gsize) n_rows)
    mask <<= 1;
  slots = g_try_new0 (guint64, mask);
  if (slots == NULL)
    return FALSE;   /* a warning is not worth failing the import for */
  mask--;
  for (guint r = 0; r < n_rows; r++)
    {
      guint64 key;
      gsize i;

      if (!row_key (column, r, &key))
        continue;
      if (key == 0)
        {
          if (seen_zero)
            return TRUE;
          seen_zero = TRUE;
          continue;
        }
      for (i = (gsize) ((key ^ (key >> 29)) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) >> 20) & mask;
           slots[i] != 0; i = (i + 1) & mask)
        if (slots[i] == key)
          return TRUE;
      slots[i] = key;
    }
  return FALSE;
}

static int
compare_keyed_rows (gconstpointer a, gconstpointer b)
{
  const KeyedRow *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

/* Repeats in file order (of their first row). */
static int
compare_repeats (gconstpointer a, gconstpointer b, gpointer data)
{
  const KeyedRow *rows = data;
  guint x = rows[((const Repeat *) a)->first].row;
  guint y = rows[((const Repeat *) b)->first].row;

  return x < y ? -1 : x > y;
}

/* "lines 2 and 3", "lines 2, 3 and 9", "lines 2, 3, 4, 5, 6 and 4 more". */
static void
append_lines (GString *out, const guint *lines, const KeyedRow *rows, const Repeat *repeat)
{
  guint shown = MIN (repeat->count, MAX_LINES);

  /* Translators: the pieces of "lines 2, 3 and 9" or "lines 2, 3, 4, 5, 6 and 4 more"
   * in a note about repeated patient IDs; keep the spaces. */
  g_string_append (out, _("lines "));
  for (guint i = 0; i < shown; i++)
    {
      if (i > 0)
        g_string_append (out, i + 1 == shown && shown == repeat->count ? _(" and ") : ", ");
      g_string_append_printf (out, "%u", lines[rows[repeat->first + i].row]);
    }
  if (repeat->count > shown)
    g_string_append_printf (out, _(" and %u more"), repeat->count - shown);
}

StrataTable *
strata_id_check_table (StrataTable *table)
{
  const StrataColumn *column;
  g_autofree KeyedRow *rows = NULL;
  g_autoptr (GArray) repeats = NULL;
  g_autoptr (GString) message = NULL;
  guint n = 0;
  int c;

  if (table == NULL)
    return NULL;
  c = strata_id_check_find_column (table);
  if (c < 0)
    return table;
  column = &table->columns[c];
  if (!has_repeats (column, table->n_rows))
    return table;

  /* Rare: sort (value, row) pairs and take the runs. */
  rows = g_try_new (KeyedRow, MAX (table->n_rows, 1));
  if (rows == NULL)
    return table;
  for (guint r = 0; r < table->n_rows; r++)
    if (row_key (column, r, &rows[n].key))
      rows[n++].row = r;
  qsort (rows, n, sizeof *rows, compare_keyed_rows);
  repeats = g_array_new (FALSE, FALSE, sizeof (Repeat));
  for (guint i = 0; i < n; )
    {
      Repeat repeat = { i, 1 };

      while (i + repeat.count < n && rows[i + repeat.count].key == rows[i].key)
        repeat.count++;
      if (repeat.count > 1)
        g_array_append_val (repeats, repeat);
      i += repeat.count;
    }
  g_array_sort_with_data (repeats, compare_repeats, rows);

  message = g_string_new (NULL);
  /* Translators: the start of a note such as: column "id" has repeated patient IDs: "17" on
   * lines 4 and 9, "23" on lines 12 and 40; each row is counted as a separate patient; … */
  g_string_append_printf (message, _("column \"%s\" has repeated patient IDs: "), column->name);
  for (guint k = 0; k < MIN (repeats->len, MAX_VALUES); k++)
    {
      const Repeat *repeat = &g_array_index (repeats, Repeat, k);
      guint row = rows[repeat->first].row;
      char buffer[32];
      const char *text = column->type == STRATA_COLUMN_NUMERIC
                         ? strata_table_format_number (column->values[row], buffer)
                         : g_ptr_array_index (column->levels, column->codes[row]);

      if (k > 0)
        g_string_append (message, ", ");
      /* Translators: an ID followed by the lines it is on ("lines 4 and 9"). */
      g_string_append_printf (message, _("\"%s\" on "), text);
      append_lines (message, table->lines, rows, repeat);
    }
  if (repeats->len > MAX_VALUES)
    g_string_append_printf (message,
                            g_dngettext (GETTEXT_PACKAGE, ", and %u more repeated ID",
                                         ", and %u more repeated IDs", repeats->len - MAX_VALUES),
                            repeats->len - MAX_VALUES);
  g_string_append (message, _("; each row is counted as a separate patient; remove or merge "
                              "duplicate rows if they are the same patient"));
  strata_table_add_warning (table, "%s", message->str);
  return table;
}

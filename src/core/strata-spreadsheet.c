/* strata-spreadsheet.c: .xlsx and .ods sheets into a StrataTable.
 *
 * Both formats are zip packages of XML parts (strata-zip.c). Small parts (the workbook,
 * its relationships, the styles) are read first; the sheet is then streamed with
 * xmlTextReader, cell by cell, into a SheetSink that finds the header row and hands
 * the data rows to a StrataTableBuilder. Shared strings are kept in one buffer with an
 * offset per string.
 */
#include "strata-spreadsheet.h"

#include "strata-date.h"
#include "strata-table-builder.h"
#include "strata-zip.h"

#include <math.h>
#include <string.h>

#define SMALL_PART_MAX (64 * 1024 * 1024)
#define MAX_COLUMNS 16384
/* Trailing repeated rows beyond this many are not expanded (.ods fills sheets with them). */
#define MAX_ROW_REPEAT 1000

/* ---------------------------------------------------------------- the sheet sink */

typedef enum {
  CELL_TEXT,      /* text read by the CSV rules */
  CELL_LEVEL,     /* text that stays a level (booleans, dates) */
  CELL_NUMBER,
  CELL_ERROR,     /* #DIV/0!...: missing */
  CELL_NO_VALUE,  /* a formula without a saved value: missing */
} CellKind;

typedef struct {
  guint r1, c1, r2, c2;  /* 1-based rows, 0-based columns */
} Merge;

typedef struct {
  StrataTableBuilder *builder;
  const char *display_name;
  guint header_row;      /* 0 until found */
  guint data_row;        /* sheet row of the builder's current row, 0 if none */
  guint last_row;        /* last row with a value */
  guint blank_rows;
  guint first_blank;
  guint error_cells;
  guint first_error_row;
  guint no_value_cells;
  guint first_no_value_row;
  guint wide_cells;
  GArray *merges;        /* Merge */
  gboolean failed;
  GError *error;
} SheetSink;

static void
sheet_sink_init (SheetSink *sink, const char *display_name, const char *format)
{
  memset (sink, 0, sizeof *sink);
  sink->display_name = display_name;
  sink->builder = strata_table_builder_new (display_name, format);
  sink->merges = g_array_new (FALSE, FALSE, sizeof (Merge));
}

static void
sheet_sink_clear (SheetSink *sink)
{
  g_clear_pointer (&sink->builder, strata_table_builder_free);
  g_clear_pointer (&sink->merges, g_array_unref);
  g_clear_error (&sink->error);
}

static void
sheet_sink_end_row (SheetSink *sink)
{
  if (sink->data_row != 0)
    strata_table_builder_end_row (sink->builder);
  sink->data_row = 0;
}

/* A cell at ROW (1-based, rows in order), COLUMN (0-based). TEXT is NUL-terminated. */
static void
sheet_sink_cell (SheetSink *sink, guint row, guint column, CellKind kind,
                 const char *text, double number)
{
  char buffer[32];

  if (sink->failed)
    return;
  if (column >= MAX_COLUMNS)
    {
      sink->wide_cells++;
      return;
    }
  if (kind == CELL_TEXT || kind == CELL_LEVEL)
    {
      const char *p = text;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        return;  /* an empty cell */
    }

  if (sink->header_row == 0 || row == sink->header_row)
    {
      sink->header_row = row;
      sink->last_row = row;
      if (kind == CELL_NUMBER)
        text = strata_table_format_number (number, buffer);
      else if (kind == CELL_ERROR || kind == CELL_NO_VALUE)
        text = "";
      strata_table_builder_set_name (sink->builder, column, text);
      return;
    }

  if (row != sink->data_row)
    {
      sheet_sink_end_row (sink);
      if (row > sink->last_row + 1)
        {
          if (sink->blank_rows == 0)
            sink->first_blank = sink->last_row + 1;
          sink->blank_rows += row - sink->last_row - 1;
        }
      if (!strata_table_builder_begin_row (sink->builder, row, &sink->error))
        {
          sink->failed = TRUE;
          return;
        }
      sink->data_row = row;
      sink->last_row = row;
    }

  switch (kind)
    {
    case CELL_TEXT:
      strata_table_builder_add_text (sink->builder, column, text, -1);
      break;
    case CELL_LEVEL:
      strata_table_builder_add_level (sink->builder, column, text, -1);
      break;
    case CELL_NUMBER:
      strata_table_builder_add_number (sink->builder, column, number);
      break;
    case CELL_ERROR:
      if (sink->error_cells++ == 0)
        sink->first_error_row = row;
      strata_table_builder_add_number (sink->builder, column, NAN);
      break;
    case CELL_NO_VALUE:
      if (sink->no_value_cells++ == 0)
        sink->first_no_value_row = row;
      strata_table_builder_add_number (sink->builder, column, NAN);
      break;
    }
}

static void
sheet_sink_merge (SheetSink *sink, guint r1, guint c1, guint r2, guint c2)
{
  Merge m = { MIN (r1, r2), MIN (c1, c2), MAX (r1, r2), MAX (c1, c2) };

  g_array_append_val (sink->merges, m);
}

static StrataTable *
sheet_sink_finish (SheetSink *sink, const char *sheet_name, GError **error)
{
  StrataTableBuilder *b = sink->builder;

  sheet_sink_end_row (sink);
  if (sink->failed)
    {
      g_propagate_error (error, g_steal_pointer (&sink->error));
      return NULL;
    }

  /* a header cell merged across columns names them all */
  for (guint i = 0; i < sink->merges->len; i++)
    {
      const Merge *m = &g_array_index (sink->merges, Merge, i);
      const char *name;

      if (m->r1 != sink->header_row || m->c2 >= MAX_COLUMNS)
        continue;
      name = strata_table_builder_get_name (b, m->c1);
      if (name == NULL || name[0] == '\0')
        continue;
      for (guint c = m->c1 + 1; c <= m->c2; c++)
        {
          const char *other = strata_table_builder_get_name (b, c);

          if (other == NULL || other[0] == '\0')
            {
              g_autofree char *copy = g_strdup (name);

              strata_table_builder_set_name (b, c, copy);
            }
        }
    }

  if (sink->header_row == 0)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   "%s: sheet \"%s\" is empty", sink->display_name, sheet_name);
      return NULL;
    }
  if (strata_table_builder_get_n_rows (b) == 0)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   "%s: sheet \"%s\" has a header row (row %u) but no data rows",
                   sink->display_name, sheet_name, sink->header_row);
      return NULL;
    }

  if (sink->blank_rows == 1)
    strata_table_builder_add_warning (b, "row %u is empty and was skipped", sink->first_blank);
  else if (sink->blank_rows > 1)
    strata_table_builder_add_warning (b, "%u empty rows were skipped (the first is row %u)",
                                      sink->blank_rows, sink->first_blank);
  if (sink->error_cells > 0)
    strata_table_builder_add_warning (b, "%u cell%s hold a spreadsheet error (#N/A, "
                                      "#DIV/0!...) and %s read as missing (the first "
                                      "in row %u)", sink->error_cells,
                                      sink->error_cells == 1 ? "" : "s",
                                      sink->error_cells == 1 ? "is" : "are",
                                      sink->first_error_row);
  if (sink->no_value_cells > 0)
    strata_table_builder_add_warning (b, "%u formula cell%s no saved value and %s read as "
                                      "missing (the first in row %u); open and save the "
                                      "workbook in a spreadsheet program to compute them",
                                      sink->no_value_cells,
                                      sink->no_value_cells == 1 ? " has" : "s have",
                                      sink->no_value_cells == 1 ? "is" : "are",
                                      sink->first_no_value_row);
  if (sink->wide_cells > 0)
    strata_table_builder_add_warning (b, "%u cells beyond column %u were left out",
                                      sink->wide_cells, (guint) MAX_COLUMNS);
  return strata_table_builder_finish (b, TRUE, error);
}

/* ---------------------------------------------------------------- XML helpers */

/* The value of attribute LOCAL_NAME of the current element (libxml2's), or NULL. */
static const char *
attribute (xmlTextReaderPtr reader, const xmlChar *local_name)
{
  const char *value = NULL;

  if (xmlTextReaderMoveToFirstAttribute (reader) != 1)
    return NULL;
  do
    if (xmlTextReaderConstLocalName (reader) == local_name)
      {
        value = (const char *) xmlTextReaderConstValue (reader);
        break;
      }
  while (xmlTextReaderMoveToNextAttribute (reader) == 1);
  xmlTextReaderMoveToElement (reader);
  return value;
}

/* Appends the text inside the current element (which is not empty) up to its end. */
static int
read_text (xmlTextReaderPtr reader, GString *text, const xmlChar *skip_element)
{
  int depth = xmlTextReaderDepth (reader);
  int r;

  while ((r = xmlTextReaderRead (reader)) == 1)
    {
      int type = xmlTextReaderNodeType (reader);

      if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth (reader) == depth)
        break;
      if (type == XML_READER_TYPE_ELEMENT && skip_element != NULL
          && xmlTextReaderConstLocalName (reader) == skip_element
          && !xmlTextReaderIsEmptyElement (reader))
        {
          if (xmlTextReaderNext (reader) != 1)
            return -1;
          if (xmlTextReaderNodeType (reader) == XML_READER_TYPE_END_ELEMENT
              && xmlTextReaderDepth (reader) == depth)
            break;
          /* Next() moved to the following node: handle it in this iteration */
          type = xmlTextReaderNodeType (reader);
        }
      if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE
          || type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_CDATA)
        g_string_append (text, (const char *) xmlTextReaderConstValue (reader));
    }
  return r;
}

/* "AB12" -> column 27 (0-based), row 12; FALSE when not a cell reference. */
static gboolean
parse_cell_ref (const char *ref, guint *column, guint *row)
{
  guint c = 0, r = 0;
  const char *p = ref;

  for (; g_ascii_isalpha (*p); p++)
    {
      c = c * 26 + (guint) (g_ascii_toupper (*p) - 'A' + 1);
      if (c > MAX_COLUMNS * 2)
        return FALSE;
    }
  if (p == ref)
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      if (r > G_MAXUINT32 / 10 - 10)
        return FALSE;
      r = r * 10 + (guint) (*p - '0');
    }
  if (*p != '\0' && *p != ':')
    return FALSE;
  *column = c - 1;
  *row = r;
  return TRUE;
}

static gboolean
parse_double (const char *text, double *value)
{
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  return end != text && end != NULL && *end == '\0' && isfinite (*value);
}

/* ---------------------------------------------------------------- xlsx: workbook */

typedef struct {
  char *name;
  char *part;            /* "xl/worksheets/sheet1.xml" */
} XlsxSheet;

static void
xlsx_sheet_clear (gpointer data)
{
  XlsxSheet *s = data;

  g_free (s->name);
  g_free (s->part);
}

typedef struct {
  const char *path;
  const char *display_name;
  gboolean date1904;
  GArray *sheets;        /* XlsxSheet */
  GString *strings;      /* shared strings, each NUL-terminated */
  GArray *string_offsets;  /* gsize */
  GArray *date_styles;   /* gboolean per cellXfs index: a date format */
} Xlsx;

static void
xlsx_clear (Xlsx *x)
{
  g_clear_pointer (&x->sheets, g_array_unref);
  if (x->strings != NULL)
    g_string_free (x->strings, TRUE);
  g_clear_pointer (&x->string_offsets, g_array_unref);
  g_clear_pointer (&x->date_styles, g_array_unref);
}

/* Reads a whole small part as a DOM-less stream, calling nothing: returns the reader's
 * part for the caller to walk. */
static StrataZipPart *
xlsx_open_part (Xlsx *x, const char *name, GError **error)
{
  return strata_zip_part_open (x->path, x->display_name, name, error);
}

/* The target of each relationship of xl/workbook.xml, by id. */
static GHashTable *
xlsx_read_relationships (Xlsx *x, GError **error)
{
  g_autoptr(StrataZipPart) part = xlsx_open_part (x, "xl/_rels/workbook.xml.rels", error);
  g_autoptr(GHashTable) targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         g_free);
  xmlTextReaderPtr reader;
  const xmlChar *relationship, *id, *target;

  if (part == NULL)
    return NULL;
  reader = strata_zip_part_get_reader (part);
  relationship = xmlTextReaderConstString (reader, BAD_CAST "Relationship");
  id = xmlTextReaderConstString (reader, BAD_CAST "Id");
  target = xmlTextReaderConstString (reader, BAD_CAST "Target");
  while (xmlTextReaderRead (reader) == 1)
    if (xmlTextReaderNodeType (reader) == XML_READER_TYPE_ELEMENT
        && xmlTextReaderConstLocalName (reader) == relationship)
      {
        const char *i = attribute (reader, id);
        const char *t = attribute (reader, target);

        if (i != NULL && t != NULL)
          g_hash_table_insert (targets, g_strdup (i),
                               t[0] == '/' ? g_strdup (t + 1) : g_strconcat ("xl/", t, NULL));
      }
  if (!strata_zip_part_check (part, error))
    return NULL;
  return g_steal_pointer (&targets);
}

static gboolean
xlsx_read_workbook (Xlsx *x, GError **error)
{
  g_autoptr(GHashTable) targets = xlsx_read_relationships (x, error);
  g_autoptr(StrataZipPart) part = NULL;
  xmlTextReaderPtr reader;
  const xmlChar *sheet, *name, *id, *workbook_pr, *date1904;

  if (targets == NULL)
    return FALSE;
  part = xlsx_open_part (x, "xl/workbook.xml", error);
  if (part == NULL)
    return FALSE;
  reader = strata_zip_part_get_reader (part);
  sheet = xmlTextReaderConstString (reader, BAD_CAST "sheet");
  name = xmlTextReaderConstString (reader, BAD_CAST "name");
  id = xmlTextReaderConstString (reader, BAD_CAST "id");
  workbook_pr = xmlTextReaderConstString (reader, BAD_CAST "workbookPr");
  date1904 = xmlTextReaderConstString (reader, BAD_CAST "date1904");
  while (xmlTextReaderRead (reader) == 1)
    {
      const xmlChar *local;

      if (xmlTextReaderNodeType (reader) != XML_READER_TYPE_ELEMENT)
        continue;
      local = xmlTextReaderConstLocalName (reader);
      if (local == workbook_pr)
        {
          const char *v = attribute (reader, date1904);

          x->date1904 = v != NULL && (strcmp (v, "1") == 0 || strcmp (v, "true") == 0);
        }
      else if (local == sheet)
        {
          const char *n = attribute (reader, name);
          const char *i = attribute (reader, id);
          const char *target = i != NULL ? g_hash_table_lookup (targets, i) : NULL;
          XlsxSheet s;

          if (n == NULL || target == NULL)
            continue;
          s.name = g_strdup (n);
          s.part = g_strdup (target);
          g_array_append_val (x->sheets, s);
        }
    }
  return strata_zip_part_check (part, error);
}

/* TRUE for a number format that shows a date: built-in ids, or a custom code with d or
 * y outside quoted text, [brackets] and \-escapes. */
static gboolean
is_date_format (guint id, const char *code)
{
  if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
    return TRUE;
  if (code == NULL)
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          for (p++; *p != '\0' && *p != '"'; p++)
            ;
          if (*p == '\0')
            break;
        }
      else if (*p == '[')
        {
          for (p++; *p != '\0' && *p != ']'; p++)
            ;
          if (*p == '\0')
            break;
        }
      else if (*p == '\\' || *p == '_' || *p == '*')
        {
          if (*++p == '\0')
            break;
        }
      else if (*p == 'd' || *p == 'D' || *p == 'y' || *p == 'Y')
        return TRUE;
    }
  return FALSE;
}

static gboolean
xlsx_read_styles (Xlsx *x, GPtrArray *names, GError **error)
{
  g_autoptr(StrataZipPart) part = NULL;
  g_autoptr(GHashTable) codes = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  xmlTextReaderPtr reader;
  const xmlChar *num_fmt, *num_fmt_id, *format_code, *cell_xfs, *xf;
  gboolean in_cell_xfs = FALSE;

  if (!g_ptr_array_find_with_equal_func (names, "xl/styles.xml", g_str_equal, NULL))
    return TRUE;
  part = xlsx_open_part (x, "xl/styles.xml", error);
  if (part == NULL)
    return FALSE;
  reader = strata_zip_part_get_reader (part);
  num_fmt = xmlTextReaderConstString (reader, BAD_CAST "numFmt");
  num_fmt_id = xmlTextReaderConstString (reader, BAD_CAST "numFmtId");
  format_code = xmlTextReaderConstString (reader, BAD_CAST "formatCode");
  cell_xfs = xmlTextReaderConstString (reader, BAD_CAST "cellXfs");
  xf = xmlTextReaderConstString (reader, BAD_CAST "xf");
  while (xmlTextReaderRead (reader) == 1)
    {
      int type = xmlTextReaderNodeType (reader);
      const xmlChar *local = xmlTextReaderConstLocalName (reader);

      if (type == XML_READER_TYPE_END_ELEMENT && local == cell_xfs)
        in_cell_xfs = FALSE;
      if (type != XML_READER_TYPE_ELEMENT)
        continue;
      if (local == num_fmt)
        {
          const char *i = attribute (reader, num_fmt_id);
          const char *c = attribute (reader, format_code);

          if (i != NULL && c != NULL)
            g_hash_table_insert (codes, GUINT_TO_POINTER ((guint) atoi (i)), g_strdup (c));
        }
      else if (local == cell_xfs)
        in_cell_xfs = !xmlTextReaderIsEmptyElement (reader);
      else if (local == xf && in_cell_xfs)
        {
          const char *i = attribute (reader, num_fmt_id);
          guint id = i != NULL ? (guint) atoi (i) : 0;
          gboolean date = is_date_format (id, g_hash_table_lookup (codes,
                                                                   GUINT_TO_POINTER (id)));

          g_array_append_val (x->date_styles, date);
        }
    }
  return strata_zip_part_check (part, error);
}

static gboolean
xlsx_read_shared_strings (Xlsx *x, GPtrArray *names, GError **error)
{
  g_autoptr(StrataZipPart) part = NULL;
  xmlTextReaderPtr reader;
  const xmlChar *si, *r_ph;
  int r;

  if (!g_ptr_array_find_with_equal_func (names, "xl/sharedStrings.xml", g_str_equal, NULL))
    return TRUE;
  part = xlsx_open_part (x, "xl/sharedStrings.xml", error);
  if (part == NULL)
    return FALSE;
  reader = strata_zip_part_get_reader (part);
  si = xmlTextReaderConstString (reader, BAD_CAST "si");
  r_ph = xmlTextReaderConstString (reader, BAD_CAST "rPh");
  while ((r = xmlTextReaderRead (reader)) == 1)
    if (xmlTextReaderNodeType (reader) == XML_READER_TYPE_ELEMENT
        && xmlTextReaderConstLocalName (reader) == si)
      {
        gsize offset = x->strings->len;

        g_array_append_val (x->string_offsets, offset);
        if (!xmlTextReaderIsEmptyElement (reader))
          read_text (reader, x->strings, r_ph);  /* phonetic runs are not the text */
        g_string_append_c (x->strings, '\0');
      }
  return strata_zip_part_check (part, error);
}

/* ---------------------------------------------------------------- xlsx: sheet */

static gboolean
xlsx_read_sheet (Xlsx *x, const XlsxSheet *sheet, SheetSink *sink, GError **error)
{
  g_autoptr(StrataZipPart) part = xlsx_open_part (x, sheet->part, error);
  g_autoptr(GString) value = g_string_new (NULL);
  g_autoptr(GString) inline_text = g_string_new (NULL);
  xmlTextReaderPtr reader;
  const xmlChar *row_name, *c_name, *v_name, *f_name, *is_name, *r_attr, *t_attr, *s_attr,
                *merge_cell, *ref_attr;
  guint row = 0, column = 0;

  if (part == NULL)
    return FALSE;
  reader = strata_zip_part_get_reader (part);
  row_name = xmlTextReaderConstString (reader, BAD_CAST "row");
  c_name = xmlTextReaderConstString (reader, BAD_CAST "c");
  v_name = xmlTextReaderConstString (reader, BAD_CAST "v");
  f_name = xmlTextReaderConstString (reader, BAD_CAST "f");
  is_name = xmlTextReaderConstString (reader, BAD_CAST "is");
  r_attr = xmlTextReaderConstString (reader, BAD_CAST "r");
  t_attr = xmlTextReaderConstString (reader, BAD_CAST "t");
  s_attr = xmlTextReaderConstString (reader, BAD_CAST "s");
  merge_cell = xmlTextReaderConstString (reader, BAD_CAST "mergeCell");
  ref_attr = xmlTextReaderConstString (reader, BAD_CAST "ref");

  while (xmlTextReaderRead (reader) == 1 && !sink->failed)
    {
      const xmlChar *local;

      if (xmlTextReaderNodeType (reader) != XML_READER_TYPE_ELEMENT)
        continue;
      local = xmlTextReaderConstLocalName (reader);
      if (local == row_name)
        {
          const char *r = attribute (reader, r_attr);

          row = r != NULL ? (guint) g_ascii_strtoull (r, NULL, 10) : row + 1;
          column = 0;
        }
      else if (local == c_name)
        {
          char type[16] = "n";
          guint style = 0;
          gboolean has_value = FALSE, has_formula = FALSE, has_inline = FALSE;
          guint cell_row = row, cell_column = column;
          int depth = xmlTextReaderDepth (reader);

          if (xmlTextReaderMoveToFirstAttribute (reader) == 1)
            {
              do
                {
                  const xmlChar *a = xmlTextReaderConstLocalName (reader);
                  const char *v = (const char *) xmlTextReaderConstValue (reader);

                  if (a == r_attr)
                    {
                      guint rr;

                      if (parse_cell_ref (v, &cell_column, &rr) && rr != 0)
                        cell_row = rr;
                    }
                  else if (a == t_attr)
                    g_strlcpy (type, v, sizeof type);
                  else if (a == s_attr)
                    style = (guint) g_ascii_strtoull (v, NULL, 10);
                }
              while (xmlTextReaderMoveToNextAttribute (reader) == 1);
              xmlTextReaderMoveToElement (reader);
            }
          column = cell_column + 1;
          if (cell_row == 0)
            cell_row = row;
          if (xmlTextReaderIsEmptyElement (reader))
            continue;

          g_string_truncate (value, 0);
          g_string_truncate (inline_text, 0);
          while (xmlTextReaderRead (reader) == 1)
            {
              int type_node = xmlTextReaderNodeType (reader);
              const xmlChar *l;

              if (type_node == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth (reader) == depth)
                break;
              if (type_node != XML_READER_TYPE_ELEMENT)
                continue;
              l = xmlTextReaderConstLocalName (reader);
              if (l == v_name)
                {
                  has_value = TRUE;
                  if (!xmlTextReaderIsEmptyElement (reader))
                    read_text (reader, value, NULL);
                }
              else if (l == f_name)
                has_formula = TRUE;
              else if (l == is_name)
                {
                  has_inline = TRUE;
                  if (!xmlTextReaderIsEmptyElement (reader))
                    read_text (reader, inline_text, xmlTextReaderConstString (reader,
                                                                             BAD_CAST "rPh"));
                }
            }

          if (strcmp (type, "inlineStr") == 0 || (has_inline && !has_value))
            sheet_sink_cell (sink, cell_row, cell_column, CELL_TEXT, inline_text->str, 0);
          else if (!has_value)
            {
              if (has_formula)
                sheet_sink_cell (sink, cell_row, cell_column, CELL_NO_VALUE, NULL, 0);
            }
          else if (strcmp (type, "s") == 0)
            {
              guint64 index = g_ascii_strtoull (value->str, NULL, 10);

              if (index < x->string_offsets->len)
                sheet_sink_cell (sink, cell_row, cell_column, CELL_TEXT,
                                 x->strings->str + g_array_index (x->string_offsets, gsize,
                                                                  index), 0);
              else
                {
                  g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                               "%s is damaged: a cell in row %u of sheet \"%s\" refers to "
                               "a shared string that does not exist", x->display_name,
                               cell_row, sheet->name);
                  return FALSE;
                }
            }
          else if (strcmp (type, "str") == 0)
            sheet_sink_cell (sink, cell_row, cell_column, CELL_TEXT, value->str, 0);
          else if (strcmp (type, "b") == 0)
            sheet_sink_cell (sink, cell_row, cell_column, CELL_LEVEL,
                             strcmp (value->str, "1") == 0 ? "TRUE" : "FALSE", 0);
          else if (strcmp (type, "e") == 0)
            sheet_sink_cell (sink, cell_row, cell_column, CELL_ERROR, NULL, 0);
          else if (strcmp (type, "d") == 0)
            {
              /* an ISO 8601 date-time: keep the date, and the time when there is one */
              double days;
              char buffer[32];
              g_autofree char *text = g_strndup (value->str, 19);

              if (strata_date_parse (text, STRATA_DATE_ORDER_AUTO, &days))
                sheet_sink_cell (sink, cell_row, cell_column, CELL_LEVEL,
                                 strata_date_format_iso (days, buffer), 0);
              else
                sheet_sink_cell (sink, cell_row, cell_column, CELL_TEXT, value->str, 0);
            }
          else
            {
              double number, days;
              char buffer[32];

              if (!parse_double (value->str, &number))
                sheet_sink_cell (sink, cell_row, cell_column, CELL_TEXT, value->str, 0);
              else if (style < x->date_styles->len
                       && g_array_index (x->date_styles, gboolean, style)
                       && strata_date_from_excel_serial (number, x->date1904, &days))
                sheet_sink_cell (sink, cell_row, cell_column, CELL_LEVEL,
                                 strata_date_format_iso (days, buffer), 0);
              else
                sheet_sink_cell (sink, cell_row, cell_column, CELL_NUMBER, NULL, number);
            }
        }
      else if (local == merge_cell)
        {
          const char *ref = attribute (reader, ref_attr);
          const char *colon = ref != NULL ? strchr (ref, ':') : NULL;
          guint c1, r1, c2, r2;

          if (colon != NULL && parse_cell_ref (ref, &c1, &r1) && parse_cell_ref (colon + 1, &c2, &r2))
            sheet_sink_merge (sink, r1, c1, r2, c2);
        }
    }
  return strata_zip_part_check (part, error);
}

static char *
sheet_list (GArray *sheets, gsize name_offset)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < sheets->len; i++)
    {
      const char *name = G_STRUCT_MEMBER (const char *,
                                          &((char *) sheets->data)[i * g_array_get_element_size (sheets)],
                                          name_offset);

      g_string_append_printf (list, "%s\"%s\"", i > 0 ? ", " : "", name);
    }
  return g_string_free (g_steal_pointer (&list), FALSE);
}

StrataTable *
strata_xlsx_import (const char *path, const char *display_name, const char *sheet_name,
                    GError **error)
{
  Xlsx x = { 0 };
  g_autoptr(GPtrArray) names = NULL;
  StrataTable *table = NULL;
  GError *first_empty = NULL;

  x.path = path;
  x.display_name = display_name;
  x.sheets = g_array_new (FALSE, FALSE, sizeof (XlsxSheet));
  g_array_set_clear_func (x.sheets, xlsx_sheet_clear);
  x.strings = g_string_new (NULL);
  x.string_offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  x.date_styles = g_array_new (FALSE, FALSE, sizeof (gboolean));

  names = strata_zip_list (path, display_name, error);
  if (names == NULL || !xlsx_read_workbook (&x, error) || !xlsx_read_styles (&x, names, error)
      || !xlsx_read_shared_strings (&x, names, error))
    goto out;

  for (guint i = 0; i < x.sheets->len; i++)
    {
      const XlsxSheet *s = &g_array_index (x.sheets, XlsxSheet, i);
      SheetSink sink;
      GError *local_error = NULL;

      if (sheet_name != NULL && strcmp (sheet_name, s->name) != 0)
        continue;
      sheet_sink_init (&sink, display_name, "Excel workbook");
      if (xlsx_read_sheet (&x, s, &sink, &local_error))
        table = sheet_sink_finish (&sink, s->name, &local_error);
      sheet_sink_clear (&sink);
      if (table != NULL)
        break;
      /* the first sheet with data: an empty sheet is passed over */
      if (sheet_name == NULL && g_error_matches (local_error, STRATA_IMPORT_ERROR,
                                                 STRATA_IMPORT_ERROR_EMPTY))
        {
          if (first_empty == NULL)
            first_empty = local_error;
          else
            g_error_free (local_error);
          continue;
        }
      g_propagate_error (error, local_error);
      goto out;
    }

  if (table == NULL)
    {
      if (sheet_name != NULL)
        {
          g_autofree char *list = sheet_list (x.sheets, G_STRUCT_OFFSET (XlsxSheet, name));

          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_NO_SHEET,
                       "%s has no sheet named \"%s\" (its sheets: %s)", display_name,
                       sheet_name, list);
        }
      else if (first_empty != NULL && x.sheets->len == 1)
        g_propagate_error (error, g_steal_pointer (&first_empty));
      else
        g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                     "%s has no sheet with data", display_name);
    }

out:
  g_clear_error (&first_empty);
  xlsx_clear (&x);
  return table;
}

/* ---------------------------------------------------------------- ods */

typedef struct {
  guint column;
  CellKind kind;
  char *text;
  double number;
} OdsCell;

static void
ods_cell_clear (gpointer data)
{
  g_free (((OdsCell *) data)->text);
}

typedef struct {
  xmlTextReaderPtr reader;
  const xmlChar *table, *row, *cell, *covered, *name, *rows_repeated, *columns_repeated,
                *columns_spanned, *value_type, *value, *date_value, *time_value,
                *boolean_value, *formula, *p, *s, *c, *tab, *line_break, *annotation;
} OdsNames;

/* The text of a cell: its paragraphs joined by line breaks; <text:s text:c="N"/> is N
 * spaces, <text:tab/> a tab; annotations (comments) are not the text. */
static void
ods_cell_text (OdsNames *n, GString *text)
{
  xmlTextReaderPtr reader = n->reader;
  int depth = xmlTextReaderDepth (reader);
  gboolean first_paragraph = TRUE;

  while (xmlTextReaderRead (reader) == 1)
    {
      int type = xmlTextReaderNodeType (reader);
      const xmlChar *local = xmlTextReaderConstLocalName (reader);

      if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth (reader) == depth)
        return;
      if (type == XML_READER_TYPE_ELEMENT)
        {
          if (local == n->annotation && !xmlTextReaderIsEmptyElement (reader))
            {
              int d = xmlTextReaderDepth (reader);

              while (xmlTextReaderRead (reader) == 1
                     && !(xmlTextReaderNodeType (reader) == XML_READER_TYPE_END_ELEMENT
                          && xmlTextReaderDepth (reader) == d))
                ;
            }
          else if (local == n->p)
            {
              if (!first_paragraph)
                g_string_append_c (text, '\n');
              first_paragraph = FALSE;
            }
          else if (local == n->s)
            {
              const char *count = attribute (reader, n->c);
              guint k = count != NULL ? (guint) g_ascii_strtoull (count, NULL, 10) : 1;

              for (guint i = 0; i < MIN (k, 1000u); i++)
                g_string_append_c (text, ' ');
            }
          else if (local == n->tab)
            g_string_append_c (text, '\t');
          else if (local == n->line_break)
            g_string_append_c (text, '\n');
        }
      else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE
               || type == XML_READER_TYPE_CDATA)
        g_string_append (text, (const char *) xmlTextReaderConstValue (reader));
    }
}

/* An ISO 8601 duration PTnHnMnS as hours. */
static gboolean
parse_duration_hours (const char *text, double *hours)
{
  double total = 0;
  const char *p = text;

  if (*p == '-')
    p++;
  if (*p++ != 'P')
    return FALSE;
  if (*p == 'T')
    p++;
  while (*p != '\0')
    {
      char *end = NULL;
      double v = g_ascii_strtod (p, &end);

      if (end == p)
        return FALSE;
      switch (*end)
        {
        case 'D': total += v * 24; break;
        case 'H': total += v; break;
        case 'M': total += v / 60; break;
        case 'S': total += v / 3600; break;
        default: return FALSE;
        }
      p = end + 1;
      if (*p == 'T')
        p++;
    }
  *hours = text[0] == '-' ? -total : total;
  return TRUE;
}

/* Reads one table:table-cell (or covered cell) into CELL; FALSE when it is empty.
 * *REPEAT gets number-columns-repeated and *SPAN number-columns-spanned. */
static gboolean
ods_read_cell (OdsNames *n, OdsCell *cell, guint *repeat, guint *span, GString *text)
{
  xmlTextReaderPtr reader = n->reader;
  char type[16] = "";
  g_autofree char *value = NULL, *date_value = NULL, *time_value = NULL,
                  *boolean_value = NULL;
  gboolean formula = FALSE;

  *repeat = 1;
  *span = 1;
  if (xmlTextReaderMoveToFirstAttribute (reader) == 1)
    {
      do
        {
          const xmlChar *a = xmlTextReaderConstLocalName (reader);
          const char *v = (const char *) xmlTextReaderConstValue (reader);

          if (a == n->columns_repeated)
            *repeat = (guint) CLAMP (g_ascii_strtoull (v, NULL, 10), 1, MAX_COLUMNS);
          else if (a == n->columns_spanned)
            *span = (guint) CLAMP (g_ascii_strtoull (v, NULL, 10), 1, MAX_COLUMNS);
          else if (a == n->value_type)
            g_strlcpy (type, v, sizeof type);
          else if (a == n->value)
            value = g_strdup (v);
          else if (a == n->date_value)
            date_value = g_strdup (v);
          else if (a == n->time_value)
            time_value = g_strdup (v);
          else if (a == n->boolean_value)
            boolean_value = g_strdup (v);
          else if (a == n->formula)
            formula = TRUE;
        }
      while (xmlTextReaderMoveToNextAttribute (reader) == 1);
      xmlTextReaderMoveToElement (reader);
    }
  g_string_truncate (text, 0);
  if (!xmlTextReaderIsEmptyElement (reader))
    ods_cell_text (n, text);

  cell->text = NULL;
  cell->number = 0;
  if (strcmp (type, "float") == 0 || strcmp (type, "percentage") == 0
      || strcmp (type, "currency") == 0)
    {
      if (!parse_double (value, &cell->number))
        return FALSE;
      cell->kind = CELL_NUMBER;
    }
  else if (strcmp (type, "date") == 0)
    {
      double days;
      char buffer[32];

      if (date_value == NULL)
        return FALSE;
      if (strlen (date_value) > 19)
        date_value[19] = '\0';
      if (strata_date_parse (date_value, STRATA_DATE_ORDER_AUTO, &days))
        {
          cell->kind = CELL_LEVEL;
          cell->text = g_strdup (strata_date_format_iso (days, buffer));
        }
      else
        {
          cell->kind = CELL_TEXT;
          cell->text = g_strdup (date_value);
        }
    }
  else if (strcmp (type, "time") == 0)
    {
      if (time_value == NULL || !parse_duration_hours (time_value, &cell->number))
        return FALSE;
      cell->kind = CELL_NUMBER;
    }
  else if (strcmp (type, "boolean") == 0)
    {
      cell->kind = CELL_LEVEL;
      cell->text = g_strdup (g_strcmp0 (boolean_value, "true") == 0 ? "TRUE" : "FALSE");
    }
  else if (type[0] != '\0')  /* string */
    {
      cell->kind = CELL_TEXT;
      cell->text = g_strdup (text->str);
    }
  else if (formula)
    cell->kind = text->len > 0 && text->str[0] == '#' ? CELL_ERROR : CELL_NO_VALUE;
  else
    return FALSE;
  return TRUE;
}

/* Streams the rows of the current table:table into SINK. */
static void
ods_read_table (OdsNames *n, SheetSink *sink)
{
  xmlTextReaderPtr reader = n->reader;
  int depth = xmlTextReaderDepth (reader);
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (OdsCell));
  g_autoptr(GString) text = g_string_new (NULL);
  guint row = 0;

  g_array_set_clear_func (cells, ods_cell_clear);
  if (xmlTextReaderIsEmptyElement (reader))
    return;
  while (xmlTextReaderRead (reader) == 1 && !sink->failed)
    {
      int type = xmlTextReaderNodeType (reader);
      const char *repeated;
      guint64 rows;
      guint column = 0;
      int row_depth;

      if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth (reader) == depth)
        break;
      if (type != XML_READER_TYPE_ELEMENT || xmlTextReaderConstLocalName (reader) != n->row)
        continue;

      repeated = attribute (reader, n->rows_repeated);
      rows = repeated != NULL ? MAX (g_ascii_strtoull (repeated, NULL, 10), 1) : 1;
      g_array_set_size (cells, 0);
      row_depth = xmlTextReaderDepth (reader);
      if (!xmlTextReaderIsEmptyElement (reader))
        while (xmlTextReaderRead (reader) == 1)
          {
            const xmlChar *local;
            OdsCell cell;
            guint repeat, span;

            type = xmlTextReaderNodeType (reader);
            if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth (reader) == row_depth)
              break;
            if (type != XML_READER_TYPE_ELEMENT)
              continue;
            local = xmlTextReaderConstLocalName (reader);
            if (local != n->cell && local != n->covered)
              continue;
            if (ods_read_cell (n, &cell, &repeat, &span, text))
              {
                if (span > 1 && row + 1 <= sink->header_row + 1)
                  sheet_sink_merge (sink, row + 1, column, row + 1, column + span - 1);
                for (guint k = 0; k < repeat && column + k < MAX_COLUMNS; k++)
                  {
                    OdsCell copy = cell;

                    copy.column = column + k;
                    copy.text = g_strdup (cell.text);
                    g_array_append_val (cells, copy);
                  }
                g_free (cell.text);
              }
            column += repeat;
          }

      if (cells->len == 0)
        {
          row = (guint) MIN ((guint64) row + rows, (guint64) G_MAXUINT32 - 1);
          continue;
        }
      if (rows > MAX_ROW_REPEAT && sink->header_row != 0)
        strata_table_builder_add_warning (sink->builder,
                                          "row %u is repeated %" G_GUINT64_FORMAT " times; "
                                          "only the first %u were read",
                                          row + 1, rows, (guint) MAX_ROW_REPEAT);
      for (guint64 r = 0; r < MIN (rows, (guint64) MAX_ROW_REPEAT); r++)
        {
          row++;
          for (guint i = 0; i < cells->len; i++)
            {
              const OdsCell *cell = &g_array_index (cells, OdsCell, i);

              sheet_sink_cell (sink, row, cell->column, cell->kind, cell->text, cell->number);
            }
        }
      row += (guint) (rows - MIN (rows, (guint64) MAX_ROW_REPEAT));
    }
}

StrataTable *
strata_ods_import (const char *path, const char *display_name, const char *sheet_name,
                   GError **error)
{
  g_autoptr(StrataZipPart) part = strata_zip_part_open (path, display_name, "content.xml",
                                                        error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GError *first_empty = NULL;
  StrataTable *table = NULL;
  OdsNames n;

  if (part == NULL)
    return NULL;
  n.reader = strata_zip_part_get_reader (part);
#define NAME(field, text) n.field = xmlTextReaderConstString (n.reader, BAD_CAST text)
  NAME (table, "table");
  NAME (row, "table-row");
  NAME (cell, "table-cell");
  NAME (covered, "covered-table-cell");
  NAME (name, "name");
  NAME (rows_repeated, "number-rows-repeated");
  NAME (columns_repeated, "number-columns-repeated");
  NAME (columns_spanned, "number-columns-spanned");
  NAME (value_type, "value-type");
  NAME (value, "value");
  NAME (date_value, "date-value");
  NAME (time_value, "time-value");
  NAME (boolean_value, "boolean-value");
  NAME (formula, "formula");
  NAME (p, "p");
  NAME (s, "s");
  NAME (c, "c");
  NAME (tab, "tab");
  NAME (line_break, "line-break");
  NAME (annotation, "annotation");
#undef NAME

  while (table == NULL && xmlTextReaderRead (n.reader) == 1)
    {
      g_autofree char *name = NULL;
      GError *local_error = NULL;
      SheetSink sink;

      if (xmlTextReaderNodeType (n.reader) != XML_READER_TYPE_ELEMENT
          || xmlTextReaderConstLocalName (n.reader) != n.table)
        continue;
      name = g_strdup (attribute (n.reader, n.name));
      if (name == NULL)
        name = g_strdup_printf ("Sheet%u", names->len + 1);
      g_ptr_array_add (names, g_strdup (name));
      if (sheet_name != NULL && strcmp (sheet_name, name) != 0)
        {
          xmlTextReaderNext (n.reader);
          continue;
        }
      sheet_sink_init (&sink, display_name, "OpenDocument spreadsheet");
      ods_read_table (&n, &sink);
      if (!strata_zip_part_check (part, &local_error))
        {
          sheet_sink_clear (&sink);
          g_propagate_error (error, local_error);
          g_clear_error (&first_empty);
          return NULL;
        }
      table = sheet_sink_finish (&sink, name, &local_error);
      sheet_sink_clear (&sink);
      if (table != NULL)
        break;
      if (sheet_name == NULL && g_error_matches (local_error, STRATA_IMPORT_ERROR,
                                                 STRATA_IMPORT_ERROR_EMPTY))
        {
          if (first_empty == NULL)
            first_empty = local_error;
          else
            g_error_free (local_error);
          continue;
        }
      g_propagate_error (error, local_error);
      g_clear_error (&first_empty);
      return NULL;
    }

  if (table == NULL)
    {
      if (!strata_zip_part_check (part, error))
        ;
      else if (sheet_name != NULL)
        {
          g_autoptr(GString) list = g_string_new (NULL);

          for (guint i = 0; i < names->len; i++)
            g_string_append_printf (list, "%s\"%s\"", i > 0 ? ", " : "",
                                    (const char *) g_ptr_array_index (names, i));
          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_NO_SHEET,
                       "%s has no sheet named \"%s\" (its sheets: %s)", display_name,
                       sheet_name, list->str);
        }
      else if (first_empty != NULL && names->len == 1)
        g_propagate_error (error, g_steal_pointer (&first_empty));
      else
        g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                     "%s has no sheet with data", display_name);
    }
  g_clear_error (&first_empty);
  return table;
}

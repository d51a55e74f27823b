/* strata-spreadsheet.c: .xlsx and .ods sheets into a StrataTable.
 *
 * Both formats are zip packages of XML parts (strata-zip.c). Small .xlsx parts (the
 * workbook, its relationships, the styles) are read first with xmlTextReader; the
 * shared strings and the sheet, which can be large, are streamed through libxml2's SAX2
 * push parser (no node per element), cell by cell, into a SheetSink that finds the
 * header row and hands the data rows to a StrataTableBuilder. Shared strings are kept
 * in one buffer with an offset per string. The .ods content.xml is streamed through
 * the SAX2 parser the same way (its sheet list through xmlTextReader).
 */
#include "strata-spreadsheet.h"
#include "strata-i18n.h"

#include "strata-date.h"
#include "strata-number.h"
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
  guint header_row;      /* 0 until found; the row asked for when wanted_header */
  gboolean wanted_header;  /* the header row was given: rows above it are ignored */
  guint header_cells;    /* cells with a value in the header row */
  gboolean any_value;    /* a cell with a value anywhere, above the header too */
  guint max_row;         /* last row with a value, above the header too */
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

/* HEADER_ROW: the 1-based header row, 0 for the first row with a value. */
static void
sheet_sink_init (SheetSink *sink, const char *display_name, const char *format,
                 guint header_row)
{
  memset (sink, 0, sizeof *sink);
  sink->display_name = display_name;
  sink->header_row = header_row;
  sink->wanted_header = header_row != 0;
  sink->last_row = header_row;
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
  sink->any_value = TRUE;
  sink->max_row = MAX (sink->max_row, row);
  if (row < sink->header_row)
    return;  /* above the header row asked for */
  /* Spreadsheet programs write rows in order; a row that goes back (a cell reference
   * naming an earlier row, rows swapped) would split or merge patients' records. */
  if (sink->header_row != 0 && row < sink->last_row)
    {
      g_set_error (&sink->error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   _("%s: the sheet's rows are out of order (row %u comes after row %u), so "
                     "the file is damaged; open it in Excel or LibreOffice and save it again"),
                   sink->display_name, row, sink->last_row);
      sink->failed = TRUE;
      return;
    }

  if (sink->header_row == 0 || row == sink->header_row)
    {
      sink->header_row = row;
      sink->last_row = row;
      sink->header_cells++;
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

  if (!sink->any_value)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   _("%s: sheet \"%s\" is empty"), sink->display_name, sheet_name);
      return NULL;
    }
  if (sink->header_cells == 0 && sink->max_row < sink->header_row)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   _("%s: sheet \"%s\" has no row %u to be the header: its last row with "
                     "a value is row %u"), sink->display_name, sheet_name, sink->header_row,
                   sink->max_row);
      return NULL;
    }
  if (sink->header_cells == 0)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   _("%s: row %u of sheet \"%s\" is empty and cannot be the header row"),
                   sink->display_name, sink->header_row, sheet_name);
      return NULL;
    }
  if (strata_table_builder_get_n_rows (b) == 0)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   _("%s: sheet \"%s\" has a header row (row %u) but no data rows"),
                   sink->display_name, sheet_name, sink->header_row);
      return NULL;
    }

  if (sink->blank_rows == 1)
    strata_table_builder_add_warning (b, _("row %u is empty and was skipped"), sink->first_blank);
  else if (sink->blank_rows > 1)
    strata_table_builder_add_warning (b, g_dngettext (GETTEXT_PACKAGE,
                                                      "%u empty row was skipped (the first is row %u)",
                                                      "%u empty rows were skipped (the first is row %u)",
                                                      sink->blank_rows),
                                      sink->blank_rows, sink->first_blank);
  if (sink->error_cells > 0)
    strata_table_builder_add_warning (b, g_dngettext (GETTEXT_PACKAGE,
                                                      "%u cell hold a spreadsheet error (#N/A, "
                                                      "#DIV/0!...) and is read as missing (the "
                                                      "first in row %u)",
                                                      "%u cells hold a spreadsheet error (#N/A, "
                                                      "#DIV/0!...) and are read as missing (the "
                                                      "first in row %u)",
                                                      sink->error_cells),
                                      sink->error_cells, sink->first_error_row);
  if (sink->no_value_cells > 0)
    strata_table_builder_add_warning (b, g_dngettext (GETTEXT_PACKAGE,
                                                      "%u formula cell has no saved value and is "
                                                      "read as missing (the first in row %u); open "
                                                      "and save the workbook in a spreadsheet "
                                                      "program to compute them",
                                                      "%u formula cells have no saved value and are "
                                                      "read as missing (the first in row %u); open "
                                                      "and save the workbook in a spreadsheet "
                                                      "program to compute them",
                                                      sink->no_value_cells),
                                      sink->no_value_cells, sink->first_no_value_row);
  if (sink->wide_cells > 0)
    strata_table_builder_add_warning (b, g_dngettext (GETTEXT_PACKAGE,
                                                      "%u cell beyond column %u was left out",
                                                      "%u cells beyond column %u were left out",
                                                      sink->wide_cells),
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

/* "AB12" -> column 27 (0-based), row 12; FALSE when not a cell reference. The reference
 * is the LENGTH bytes at REF, or the part of them before a ':'. */
static gboolean
parse_cell_ref_n (const char *ref, gsize length, guint *column, guint *row)
{
  guint c = 0, r = 0;
  const char *p = ref, *end = ref + length;

  for (; p < end && g_ascii_isalpha (*p); p++)
    {
      c = c * 26 + (guint) (g_ascii_toupper (*p) - 'A' + 1);
      if (c > MAX_COLUMNS * 2)
        return FALSE;
    }
  if (p == ref)
    return FALSE;
  for (; p < end && g_ascii_isdigit (*p); p++)
    {
      if (r > G_MAXUINT32 / 10 - 10)
        return FALSE;
      r = r * 10 + (guint) (*p - '0');
    }
  if (p < end && *p != ':')
    return FALSE;
  *column = c - 1;
  *row = r;
  return TRUE;
}

static gboolean
parse_cell_ref (const char *ref, guint *column, guint *row)
{
  return parse_cell_ref_n (ref, strlen (ref), column, row);
}

/* The LENGTH bytes at TEXT read as g_ascii_strtoull() reads them, as a guint (wrapping),
 * without a copy for plain short numbers. */
static guint
parse_uint (const char *text, gsize length)
{
  char buffer[32];
  guint value = 0;
  gsize i;

  for (i = 0; i < length && i < 9 && g_ascii_isdigit (text[i]); i++)
    value = value * 10 + (guint) (text[i] - '0');
  if (i == length && length > 0)
    return value;
  length = MIN (length, sizeof buffer - 1);
  memcpy (buffer, text, length);
  buffer[length] = '\0';
  return (guint) g_ascii_strtoull (buffer, NULL, 10);
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
xlsx_init (Xlsx *x, const char *path, const char *display_name)
{
  memset (x, 0, sizeof *x);
  x->path = path;
  x->display_name = display_name;
  x->sheets = g_array_new (FALSE, FALSE, sizeof (XlsxSheet));
  g_array_set_clear_func (x->sheets, xlsx_sheet_clear);
  x->strings = g_string_new (NULL);
  x->string_offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  x->date_styles = g_array_new (FALSE, FALSE, sizeof (gboolean));
}

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

/* ---------------------------------------------------------------- xlsx: strings */

/* The text of a string item (<si> in the shared strings, <is> in a cell) is that of its
 * <t> elements (runs), outside phonetic runs (<rPh>). Depths count from the part's root
 * element (1); 0 = not inside. */
typedef struct {
  const xmlChar *t_name, *rph_name;
  guint t_depth;
  guint rph_depth;
} StringItem;

/* An element starting at DEPTH inside the item. */
static void
string_item_start (StringItem *item, const xmlChar *local, guint depth)
{
  if (item->t_depth != 0 || item->rph_depth != 0)
    return;
  if (local == item->rph_name)
    item->rph_depth = depth;
  else if (local == item->t_name)
    item->t_depth = depth;
}

static void
string_item_end (StringItem *item, guint depth)
{
  if (depth == item->t_depth)
    item->t_depth = 0;
  else if (depth == item->rph_depth)
    item->rph_depth = 0;
}

typedef struct {
  Xlsx *x;
  const xmlChar *si_name;
  StringItem item;
  guint depth;
  guint si_depth;
} SharedStringsParse;

static void
shared_strings_start_cb (void *data, const xmlChar *local, const xmlChar *prefix,
                         const xmlChar *uri, int n_namespaces, const xmlChar **namespaces,
                         int n_attributes, int n_defaulted, const xmlChar **attributes)
{
  SharedStringsParse *p = data;

  p->depth++;
  if (p->si_depth != 0)
    string_item_start (&p->item, local, p->depth);
  else if (local == p->si_name)
    {
      gsize offset = p->x->strings->len;

      g_array_append_val (p->x->string_offsets, offset);
      p->si_depth = p->depth;
    }
}

static void
shared_strings_end_cb (void *data, const xmlChar *local, const xmlChar *prefix,
                       const xmlChar *uri)
{
  SharedStringsParse *p = data;

  if (p->depth == p->si_depth)
    {
      g_string_append_c (p->x->strings, '\0');
      p->si_depth = 0;
    }
  else
    string_item_end (&p->item, p->depth);
  p->depth--;
}

static void
shared_strings_text_cb (void *data, const xmlChar *text, int length)
{
  SharedStringsParse *p = data;

  if (p->item.t_depth != 0)
    g_string_append_len (p->x->strings, (const char *) text, length);
}

static gboolean
xlsx_read_shared_strings (Xlsx *x, GPtrArray *names, GError **error)
{
  xmlSAXHandler handler = { 0 };
  SharedStringsParse p = { 0 };
  g_autoptr(StrataZipSax) sax = NULL;

  if (!g_ptr_array_find_with_equal_func (names, "xl/sharedStrings.xml", g_str_equal, NULL))
    return TRUE;
  handler.initialized = XML_SAX2_MAGIC;
  handler.startElementNs = shared_strings_start_cb;
  handler.endElementNs = shared_strings_end_cb;
  handler.characters = shared_strings_text_cb;
  handler.ignorableWhitespace = shared_strings_text_cb;
  handler.cdataBlock = shared_strings_text_cb;
  sax = strata_zip_sax_open (x->path, x->display_name, "xl/sharedStrings.xml", &handler, &p,
                             error);
  if (sax == NULL)
    return FALSE;
  p.x = x;
  p.si_name = strata_zip_sax_intern (sax, "si");
  p.item.t_name = strata_zip_sax_intern (sax, "t");
  p.item.rph_name = strata_zip_sax_intern (sax, "rPh");
  return strata_zip_sax_parse (sax, error);
}

/* ---------------------------------------------------------------- xlsx: cell pipe */

/* Cells on their way from the sheet's parser to the sink, in batches. With a large
 * sheet and two processors a second thread drains them into the sink (the table
 * builder) while the parser inflates and parses on; else each batch is drained when
 * full. A few batches go round between the threads, so memory stays bounded whatever
 * the sheet's size. The sink belongs to the draining side until cell_pipe_finish(),
 * except its merges, which only the parser adds (and only sheet_sink_finish() reads). */
#define PIPE_BATCH_CELLS 16384
#define PIPE_BATCH_TEXT (1024 * 1024)
#define PIPE_BATCHES 4
#define PIPE_THREAD_MIN_BYTES (4 * 1024 * 1024)

typedef struct {
  guint row, column;
  CellKind kind;
  double number;
  const char *text;      /* text that outlives the batch (a shared string), or NULL */
  gsize offset;          /* else: of the text in the batch's buffer */
} PipeCell;

typedef struct {
  GArray *cells;         /* PipeCell */
  GString *text;         /* the cells' copied texts, each NUL-terminated */
  gboolean last;
} CellBatch;

typedef struct {
  SheetSink *sink;
  CellBatch batches[PIPE_BATCHES];
  CellBatch *current;    /* being filled by the parser */
  GAsyncQueue *full;     /* CellBatch*, to the draining thread */
  GAsyncQueue *empty;    /* CellBatch*, back to the parser */
  GThread *thread;       /* NULL: batches are drained by the parser's thread */
  gint failed;           /* atomic: the sink failed, parsing can stop */
} CellPipe;

static void
cell_batch_drain (CellPipe *pipe, CellBatch *batch)
{
  SheetSink *sink = pipe->sink;

  for (guint i = 0; i < batch->cells->len; i++)
    {
      const PipeCell *c = &g_array_index (batch->cells, PipeCell, i);
      const char *text = NULL;

      if (c->kind == CELL_TEXT || c->kind == CELL_LEVEL)
        text = c->text != NULL ? c->text : batch->text->str + c->offset;
      sheet_sink_cell (sink, c->row, c->column, c->kind, text, c->number);
    }
  if (sink->failed)
    g_atomic_int_set (&pipe->failed, 1);
  g_array_set_size (batch->cells, 0);
  g_string_truncate (batch->text, 0);
}

static gpointer
cell_pipe_run (gpointer data)
{
  CellPipe *pipe = data;
  gboolean last;

  do
    {
      CellBatch *batch = g_async_queue_pop (pipe->full);

      last = batch->last;
      cell_batch_drain (pipe, batch);
      g_async_queue_push (pipe->empty, batch);
    }
  while (!last);
  return NULL;
}

static void
cell_pipe_init (CellPipe *pipe, SheetSink *sink, gboolean threaded)
{
  memset (pipe, 0, sizeof *pipe);
  pipe->sink = sink;
  for (guint i = 0; i < PIPE_BATCHES; i++)
    {
      pipe->batches[i].cells = g_array_sized_new (FALSE, FALSE, sizeof (PipeCell),
                                                  PIPE_BATCH_CELLS);
      pipe->batches[i].text = g_string_sized_new (4096);
    }
  pipe->current = &pipe->batches[0];
  if (!threaded)
    return;
  pipe->full = g_async_queue_new ();
  pipe->empty = g_async_queue_new ();
  for (guint i = 1; i < PIPE_BATCHES; i++)
    g_async_queue_push (pipe->empty, &pipe->batches[i]);
  pipe->thread = g_thread_try_new ("strata-sheet", cell_pipe_run, pipe, NULL);
  if (pipe->thread == NULL)
    {
      g_clear_pointer (&pipe->full, g_async_queue_unref);
      g_clear_pointer (&pipe->empty, g_async_queue_unref);
    }
}

/* Hands the current batch over (the last one when LAST); FALSE when the sink failed. */
static gboolean
cell_pipe_flush (CellPipe *pipe, gboolean last)
{
  pipe->current->last = last;
  if (pipe->thread == NULL)
    cell_batch_drain (pipe, pipe->current);
  else
    {
      g_async_queue_push (pipe->full, pipe->current);
      pipe->current = last ? NULL : g_async_queue_pop (pipe->empty);
    }
  return !g_atomic_int_get (&pipe->failed);
}

/* A cell; TEXT (LENGTH bytes, -1: NUL-terminated) is copied unless STABLE. FALSE when
 * the sink failed. */
static inline gboolean
cell_pipe_add (CellPipe *pipe, guint row, guint column, CellKind kind, const char *text,
               gssize length, gboolean stable, double number)
{
  CellBatch *batch = pipe->current;
  PipeCell c = { row, column, kind, number, NULL, 0 };

  if (text != NULL && stable)
    c.text = text;
  else if (text != NULL)
    {
      c.offset = batch->text->len;
      g_string_append_len (batch->text, text, length < 0 ? (gssize) strlen (text) : length);
      g_string_append_c (batch->text, '\0');
    }
  g_array_append_val (batch->cells, c);
  if (batch->cells->len >= PIPE_BATCH_CELLS || batch->text->len >= PIPE_BATCH_TEXT)
    return cell_pipe_flush (pipe, FALSE);
  return TRUE;
}

/* Drains the cells left, ends the thread and frees the batches. */
static void
cell_pipe_finish (CellPipe *pipe)
{
  cell_pipe_flush (pipe, TRUE);
  if (pipe->thread != NULL)
    {
      g_thread_join (pipe->thread);
      g_clear_pointer (&pipe->full, g_async_queue_unref);
      g_clear_pointer (&pipe->empty, g_async_queue_unref);
    }
  for (guint i = 0; i < PIPE_BATCHES; i++)
    {
      g_array_unref (pipe->batches[i].cells);
      g_string_free (pipe->batches[i].text, TRUE);
    }
}

/* ---------------------------------------------------------------- xlsx: sheet */

/* strata_date_format_iso() of recent day numbers, by day (dates repeat in a column). */
#define DATE_CACHE_SIZE 4096

typedef struct {
  double days;
  char text[32];
} DateText;

/* A sheet part streamed through SAX callbacks: rows, cells (<c>) with their value
 * (<v>), formula (<f>) or inline string (<is>), and merged cells. Depths count from the
 * root element (1); 0 = not inside. */
typedef struct {
  Xlsx *x;
  const XlsxSheet *sheet;
  SheetSink *sink;         /* only its merges: cells go through the pipe */
  CellPipe pipe;
  StrataZipSax *sax;
  GError *error;           /* a cell refers to a missing shared string */
  const xmlChar *row_name, *c_name, *v_name, *f_name, *is_name, *merge_cell, *r_attr,
                *t_attr, *s_attr, *ref_attr;
  guint depth;
  guint row, column;       /* the current row, the column after the last cell */

  /* the cell being read */
  guint cell_depth;
  guint cell_row, cell_column, style;
  char type[16];
  gboolean has_value, has_formula, has_inline;
  guint v_depth;           /* inside <v>: its text is the value */
  guint is_depth;          /* inside <is>: the text of its runs is the string */
  StringItem item;
  GString *value, *inline_text;

  DateText *dates;         /* DATE_CACHE_SIZE, allocated at the first date */
} SheetParse;

static const char *
sheet_parse_date_text (SheetParse *p, double days)
{
  gint64 day = (gint64) floor (days);
  DateText *entry;

  if (p->dates == NULL)
    {
      p->dates = g_new (DateText, DATE_CACHE_SIZE);
      for (guint i = 0; i < DATE_CACHE_SIZE; i++)
        p->dates[i].days = NAN;
    }
  entry = &p->dates[(guint64) day % DATE_CACHE_SIZE];
  if (entry->days != days)
    {
      entry->days = days;
      strata_date_format_iso (days, entry->text);
    }
  return entry->text;
}

/* The value text as a number: strata_number_parse(), else g_ascii_strtod() (which also
 * reads surrounding spaces, hexadecimal...), finite only. */
static gboolean
sheet_parse_number (GString *text, double *value)
{
  if (text->allocated_len >= text->len + 8
      ? strata_number_parse_padded (text->str, text->len, FALSE, value)
      : strata_number_parse (text->str, text->len, FALSE, value))
    return TRUE;
  return parse_double (text->str, value);
}

static void
sheet_parse_begin_cell (SheetParse *p, int n_attributes, const xmlChar **attributes)
{
  p->cell_depth = p->depth;
  p->cell_row = p->row;
  p->cell_column = p->column;
  p->style = 0;
  strcpy (p->type, "n");
  p->has_value = p->has_formula = p->has_inline = FALSE;
  g_string_truncate (p->value, 0);
  g_string_truncate (p->inline_text, 0);

  for (int i = 0; i < n_attributes; i++)
    {
      const xmlChar *a = attributes[5 * i];
      const char *v = (const char *) attributes[5 * i + 3];
      gsize length = (gsize) (attributes[5 * i + 4] - attributes[5 * i + 3]);

      if (a == p->r_attr)
        {
          guint rr;

          if (parse_cell_ref_n (v, length, &p->cell_column, &rr) && rr != 0)
            p->cell_row = rr;
        }
      else if (a == p->t_attr)
        {
          length = MIN (length, sizeof p->type - 1);
          memcpy (p->type, v, length);
          p->type[length] = '\0';
        }
      else if (a == p->s_attr)
        p->style = parse_uint (v, length);
    }
  p->column = p->cell_column + 1;
  if (p->cell_row == 0)
    p->cell_row = p->row;
}

/* The cell just read, to the pipe. */
static void
sheet_parse_end_cell (SheetParse *p)
{
  CellPipe *pipe = &p->pipe;
  guint row = p->cell_row, column = p->cell_column;
  const char *type = p->type;
  GString *value = p->value;
  gboolean ok = TRUE;

  if (strcmp (type, "inlineStr") == 0 || (p->has_inline && !p->has_value))
    ok = cell_pipe_add (pipe, row, column, CELL_TEXT, p->inline_text->str,
                        (gssize) p->inline_text->len, FALSE, 0);
  else if (!p->has_value)
    {
      if (p->has_formula)
        ok = cell_pipe_add (pipe, row, column, CELL_NO_VALUE, NULL, 0, FALSE, 0);
    }
  else if (strcmp (type, "s") == 0)
    {
      guint64 index = g_ascii_strtoull (value->str, NULL, 10);

      if (index < p->x->string_offsets->len)
        ok = cell_pipe_add (pipe, row, column, CELL_TEXT,
                            p->x->strings->str + g_array_index (p->x->string_offsets, gsize,
                                                                index), -1, TRUE, 0);
      else if (p->error == NULL)
        {
          g_set_error (&p->error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                       _("%s is damaged: a cell in row %u of sheet \"%s\" refers to "
                         "a shared string that does not exist"), p->x->display_name,
                       row, p->sheet->name);
          strata_zip_sax_stop (p->sax);
        }
    }
  else if (strcmp (type, "str") == 0)
    ok = cell_pipe_add (pipe, row, column, CELL_TEXT, value->str, (gssize) value->len, FALSE, 0);
  else if (strcmp (type, "b") == 0)
    ok = cell_pipe_add (pipe, row, column, CELL_LEVEL,
                        strcmp (value->str, "1") == 0 ? "TRUE" : "FALSE", -1, TRUE, 0);
  else if (strcmp (type, "e") == 0)
    ok = cell_pipe_add (pipe, row, column, CELL_ERROR, NULL, 0, FALSE, 0);
  else if (strcmp (type, "d") == 0)
    {
      /* an ISO 8601 date-time: keep the date, and the time when there is one */
      double days;
      char buffer[32];
      g_autofree char *text = g_strndup (value->str, 19);

      if (strata_date_parse (text, STRATA_DATE_ORDER_AUTO, &days))
        ok = cell_pipe_add (pipe, row, column, CELL_LEVEL,
                            strata_date_format_iso (days, buffer), -1, FALSE, 0);
      else
        ok = cell_pipe_add (pipe, row, column, CELL_TEXT, value->str, (gssize) value->len,
                            FALSE, 0);
    }
  else
    {
      double number, days;

      if (!sheet_parse_number (value, &number))
        ok = cell_pipe_add (pipe, row, column, CELL_TEXT, value->str, (gssize) value->len,
                            FALSE, 0);
      else if (p->style < p->x->date_styles->len
               && g_array_index (p->x->date_styles, gboolean, p->style)
               && strata_date_from_excel_serial (number, p->x->date1904, &days))
        ok = cell_pipe_add (pipe, row, column, CELL_LEVEL, sheet_parse_date_text (p, days), -1,
                            FALSE, 0);
      else
        ok = cell_pipe_add (pipe, row, column, CELL_NUMBER, NULL, 0, FALSE, number);
    }
  if (!ok)
    strata_zip_sax_stop (p->sax);
}

static const char *
find_attribute (const xmlChar *name, int n_attributes, const xmlChar **attributes,
                gsize *length)
{
  for (int i = 0; i < n_attributes; i++)
    if (attributes[5 * i] == name)
      {
        *length = (gsize) (attributes[5 * i + 4] - attributes[5 * i + 3]);
        return (const char *) attributes[5 * i + 3];
      }
  return NULL;
}

static void
sheet_start_cb (void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                int n_namespaces, const xmlChar **namespaces, int n_attributes,
                int n_defaulted, const xmlChar **attributes)
{
  SheetParse *p = data;

  p->depth++;
  if (p->cell_depth == 0)
    {
      const char *v;
      gsize length = 0;

      if (local == p->c_name)
        sheet_parse_begin_cell (p, n_attributes, attributes);
      else if (local == p->row_name)
        {
          v = find_attribute (p->r_attr, n_attributes, attributes, &length);
          p->row = v != NULL ? parse_uint (v, length) : p->row + 1;
          p->column = 0;
        }
      else if (local == p->merge_cell
               && (v = find_attribute (p->ref_attr, n_attributes, attributes, &length)) != NULL)
        {
          g_autofree char *ref = g_strndup (v, length);
          const char *colon = strchr (ref, ':');
          guint c1, r1, c2, r2;

          if (colon != NULL && parse_cell_ref (ref, &c1, &r1)
              && parse_cell_ref (colon + 1, &c2, &r2))
            sheet_sink_merge (p->sink, r1, c1, r2, c2);
        }
    }
  else if (p->v_depth != 0)
    ;  /* the value is all the text inside <v> */
  else if (p->is_depth != 0)
    string_item_start (&p->item, local, p->depth);
  else if (local == p->v_name)
    {
      p->has_value = TRUE;
      p->v_depth = p->depth;
    }
  else if (local == p->f_name)
    p->has_formula = TRUE;
  else if (local == p->is_name)
    {
      p->has_inline = TRUE;
      p->is_depth = p->depth;
    }
}

static void
sheet_end_cb (void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
  SheetParse *p = data;

  if (p->depth == p->cell_depth)
    {
      p->cell_depth = 0;
      sheet_parse_end_cell (p);
    }
  else if (p->depth == p->v_depth)
    p->v_depth = 0;
  else if (p->depth == p->is_depth)
    p->is_depth = 0;
  else if (p->is_depth != 0)
    string_item_end (&p->item, p->depth);
  p->depth--;
}

static void
sheet_text_cb (void *data, const xmlChar *text, int length)
{
  SheetParse *p = data;

  if (p->v_depth != 0)
    g_string_append_len (p->value, (const char *) text, length);
  else if (p->item.t_depth != 0)
    g_string_append_len (p->inline_text, (const char *) text, length);
}

static gboolean
xlsx_read_sheet (Xlsx *x, const XlsxSheet *sheet, SheetSink *sink, GError **error)
{
  xmlSAXHandler handler = { 0 };
  SheetParse p = { 0 };
  gboolean ok;

  handler.initialized = XML_SAX2_MAGIC;
  handler.startElementNs = sheet_start_cb;
  handler.endElementNs = sheet_end_cb;
  handler.characters = sheet_text_cb;
  handler.ignorableWhitespace = sheet_text_cb;
  handler.cdataBlock = sheet_text_cb;
  p.sax = strata_zip_sax_open (x->path, x->display_name, sheet->part, &handler, &p, error);
  if (p.sax == NULL)
    return FALSE;
  p.x = x;
  p.sheet = sheet;
  p.sink = sink;
  cell_pipe_init (&p.pipe, sink, g_get_num_processors () >= 2
                                 && strata_zip_sax_get_size (p.sax) >= PIPE_THREAD_MIN_BYTES);
  p.value = g_string_sized_new (64);
  p.inline_text = g_string_sized_new (64);
#define NAME(field, text) p.field = strata_zip_sax_intern (p.sax, text)
  NAME (row_name, "row");
  NAME (c_name, "c");
  NAME (v_name, "v");
  NAME (f_name, "f");
  NAME (is_name, "is");
  NAME (merge_cell, "mergeCell");
  NAME (r_attr, "r");
  NAME (t_attr, "t");
  NAME (s_attr, "s");
  NAME (ref_attr, "ref");
  NAME (item.t_name, "t");
  NAME (item.rph_name, "rPh");
#undef NAME

  ok = strata_zip_sax_parse (p.sax, error);
  cell_pipe_finish (&p.pipe);
  if (ok && p.error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&p.error));
      ok = FALSE;
    }
  g_clear_error (&p.error);
  g_string_free (p.value, TRUE);
  g_string_free (p.inline_text, TRUE);
  g_free (p.dates);
  strata_zip_sax_free (p.sax);
  return ok;
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

GPtrArray *
strata_xlsx_list_sheets (const char *path, const char *display_name, GError **error)
{
  Xlsx x;
  GPtrArray *names = NULL;

  xlsx_init (&x, path, display_name);
  if (xlsx_read_workbook (&x, error))
    {
      names = g_ptr_array_new_full (x.sheets->len, g_free);
      for (guint i = 0; i < x.sheets->len; i++)
        g_ptr_array_add (names, g_strdup (g_array_index (x.sheets, XlsxSheet, i).name));
    }
  xlsx_clear (&x);
  return names;
}

StrataTable *
strata_xlsx_import (const char *path, const char *display_name, const char *sheet_name,
                    guint header_row, GError **error)
{
  Xlsx x;
  g_autoptr(GPtrArray) names = NULL;
  StrataTable *table = NULL;
  GError *first_empty = NULL;

  xlsx_init (&x, path, display_name);
  names = strata_zip_list (path, display_name, error);
  if (names == NULL || !xlsx_read_workbook (&x, error) || !xlsx_read_styles (&x, names, error)
      || !xlsx_read_shared_strings (&x, names, error))
    goto out;

  for (guint i = 0; i < x.sheets->len; i++)
    {
      const XlsxSheet *s = &g_array_index (x.sheets, XlsxSheet, i);
      SheetSink sink;
      GError *local_error = NULL;
      gboolean passable;

      if (sheet_name != NULL && strcmp (sheet_name, s->name) != 0)
        continue;
      /* Translators: the kind of a file, shown as its format in the import assistant. */
      sheet_sink_init (&sink, display_name, _("Excel workbook"), header_row);
      if (xlsx_read_sheet (&x, s, &sink, &local_error))
        table = sheet_sink_finish (&sink, s->name, &local_error);
      passable = !sink.any_value || !sink.wanted_header;
      sheet_sink_clear (&sink);
      if (table != NULL)
        break;
      /* the first sheet with data: an empty sheet is passed over */
      if (sheet_name == NULL && passable && g_error_matches (local_error, STRATA_IMPORT_ERROR,
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
                       _("%s has no sheet named \"%s\" (its sheets: %s)"), display_name,
                       sheet_name, list);
        }
      else if (first_empty != NULL && x.sheets->len == 1)
        g_propagate_error (error, g_steal_pointer (&first_empty));
      else
        g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                     _("%s has no sheet with data"), display_name);
    }

out:
  g_clear_error (&first_empty);
  xlsx_clear (&x);
  return table;
}

/* ---------------------------------------------------------------- ods */

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

/* A cell of the current row, repeated REPEAT times from COLUMN. */
typedef struct {
  guint column;
  guint repeat;
  CellKind kind;
  gsize offset;          /* of its text in the row's text buffer, G_MAXSIZE: none */
  double number;
} OdsCell;

/* An attribute value kept for the cell being read. */
typedef struct {
  gboolean set;
  GString *text;
} OdsValue;

/* content.xml streamed through SAX callbacks: each table:table is a sheet; its rows
 * (table:table-row, number-rows-repeated) hold cells (table:table-cell or
 * table:covered-table-cell, number-columns-repeated, -spanned) whose value is in their
 * attributes (office:value-type, office:value...) or their text (text:p paragraphs).
 * Depths count from the root element (1); 0 = not inside. */
typedef struct {
  const char *display_name;
  const char *sheet_name;    /* the sheet asked for, or NULL */
  guint header_row;
  StrataZipSax *sax;
  const xmlChar *table_name, *row_name, *cell_name, *covered_name, *name_attr,
                *rows_repeated, *columns_repeated, *columns_spanned, *value_type,
                *value_attr, *date_value, *time_value, *boolean_value, *formula, *p_name,
                *s_name, *c_attr, *tab_name, *line_break, *annotation;
  guint depth;
  GPtrArray *names;          /* every sheet name met, char* */

  /* the outcome */
  StrataTable *table;
  GError *error;             /* the error to report */
  GError *first_empty;       /* an empty sheet's error, while looking for one with data */

  /* the sheet being read (table_depth != 0); others are passed over (reading FALSE) */
  guint table_depth;
  gboolean reading;
  SheetSink sink;
  char *name;
  guint row;                 /* sheet rows before the current one */

  /* the row being read */
  guint row_depth;
  guint64 rows;              /* number-rows-repeated */
  guint column;
  GArray *cells;             /* OdsCell */
  GString *cell_texts;       /* their texts, each NUL-terminated */

  /* the cell being read */
  guint cell_depth;
  guint repeat, span;
  char type[16];
  OdsValue value, date, time, boolean;
  gboolean has_formula;
  GString *text;
  gboolean first_paragraph;
  guint p_depth;             /* inside a text:p: its text is the cell's */
  guint annotation_depth;    /* inside an office:annotation (a comment): not the text */
} OdsParse;

static const char *
ods_value (const OdsValue *v)
{
  return v->set ? v->text->str : NULL;
}

/* The value of the cell just read; FALSE when it is empty. */
static gboolean
ods_cell_value (OdsParse *p, CellKind *kind, const char **text, double *number,
                char buffer[32])
{
  const char *type = p->type;

  *text = NULL;
  *number = 0;
  if (strcmp (type, "float") == 0 || strcmp (type, "percentage") == 0
      || strcmp (type, "currency") == 0)
    {
      if (!parse_double (ods_value (&p->value), number))
        return FALSE;
      *kind = CELL_NUMBER;
    }
  else if (strcmp (type, "date") == 0)
    {
      double days;

      if (!p->date.set)
        return FALSE;
      /* the date and time, without fractions of a second or a time zone */
      g_string_truncate (p->date.text, MIN (p->date.text->len, 19));
      if (strata_date_parse (p->date.text->str, STRATA_DATE_ORDER_AUTO, &days))
        {
          *kind = CELL_LEVEL;
          *text = strata_date_format_iso (days, buffer);
        }
      else
        {
          *kind = CELL_TEXT;
          *text = p->date.text->str;
        }
    }
  else if (strcmp (type, "time") == 0)
    {
      if (!p->time.set || !parse_duration_hours (p->time.text->str, number))
        return FALSE;
      *kind = CELL_NUMBER;
    }
  else if (strcmp (type, "boolean") == 0)
    {
      *kind = CELL_LEVEL;
      *text = g_strcmp0 (ods_value (&p->boolean), "true") == 0 ? "TRUE" : "FALSE";
    }
  else if (type[0] != '\0')  /* string */
    {
      *kind = CELL_TEXT;
      *text = p->text->str;
    }
  else if (p->has_formula)
    *kind = p->text->len > 0 && p->text->str[0] == '#' ? CELL_ERROR : CELL_NO_VALUE;
  else
    return FALSE;
  return TRUE;
}

static void
ods_set_value (OdsValue *v, const xmlChar *value, const xmlChar *end)
{
  v->set = TRUE;
  g_string_truncate (v->text, 0);
  g_string_append_len (v->text, (const char *) value, end - value);
}

static void
ods_begin_cell (OdsParse *p, int n_attributes, const xmlChar **attributes)
{
  p->cell_depth = p->depth;
  p->repeat = p->span = 1;
  p->type[0] = '\0';
  p->value.set = p->date.set = p->time.set = p->boolean.set = FALSE;
  p->has_formula = FALSE;
  g_string_truncate (p->text, 0);
  p->first_paragraph = TRUE;
  for (int i = 0; i < n_attributes; i++)
    {
      const xmlChar *a = attributes[5 * i];
      const xmlChar *v = attributes[5 * i + 3], *end = attributes[5 * i + 4];

      if (a == p->columns_repeated)
        p->repeat = (guint) CLAMP (parse_uint ((const char *) v, (gsize) (end - v)), 1,
                                   MAX_COLUMNS);
      else if (a == p->columns_spanned)
        p->span = (guint) CLAMP (parse_uint ((const char *) v, (gsize) (end - v)), 1,
                                 MAX_COLUMNS);
      else if (a == p->value_type)
        {
          gsize n = MIN ((gsize) (end - v), sizeof p->type - 1);

          memcpy (p->type, v, n);
          p->type[n] = '\0';
        }
      else if (a == p->value_attr)
        ods_set_value (&p->value, v, end);
      else if (a == p->date_value)
        ods_set_value (&p->date, v, end);
      else if (a == p->time_value)
        ods_set_value (&p->time, v, end);
      else if (a == p->boolean_value)
        ods_set_value (&p->boolean, v, end);
      else if (a == p->formula)
        p->has_formula = TRUE;
    }
}

static void
ods_end_cell (OdsParse *p)
{
  CellKind kind;
  const char *text;
  double number;
  char buffer[32];

  if (ods_cell_value (p, &kind, &text, &number, buffer))
    {
      OdsCell cell = { p->column, p->repeat, kind, G_MAXSIZE, number };

      if (p->span > 1 && p->row + 1 <= p->sink.header_row + 1)
        sheet_sink_merge (&p->sink, p->row + 1, p->column, p->row + 1,
                          p->column + p->span - 1);
      if (text != NULL)
        {
          cell.offset = p->cell_texts->len;
          g_string_append_len (p->cell_texts, text, (gssize) strlen (text) + 1);
        }
      g_array_append_val (p->cells, cell);
    }
  p->column = (guint) MIN ((guint64) p->column + p->repeat, (guint64) G_MAXUINT32);
}

/* The row just read, to the sink: repeated up to MAX_ROW_REPEAT times. */
static void
ods_end_row (OdsParse *p)
{
  SheetSink *sink = &p->sink;
  guint64 rows = p->rows;

  if (p->cells->len == 0)
    {
      p->row = (guint) MIN ((guint64) p->row + rows, (guint64) G_MAXUINT32 - 1);
      return;
    }
  if (rows > MAX_ROW_REPEAT && sink->header_row != 0)
    strata_table_builder_add_warning (sink->builder,
                                      _("row %u is repeated %llu times; "
                                        "only the first %u were read"),
                                      p->row + 1, (unsigned long long) rows,
                                      (guint) MAX_ROW_REPEAT);
  for (guint64 r = 0; r < MIN (rows, (guint64) MAX_ROW_REPEAT); r++)
    {
      p->row++;
      for (guint i = 0; i < p->cells->len; i++)
        {
          const OdsCell *cell = &g_array_index (p->cells, OdsCell, i);
          const char *text = cell->offset != G_MAXSIZE ? p->cell_texts->str + cell->offset
                                                       : NULL;

          for (guint k = 0; k < cell->repeat && cell->column + k < MAX_COLUMNS; k++)
            sheet_sink_cell (sink, p->row, cell->column + k, cell->kind, text, cell->number);
        }
    }
  p->row += (guint) (rows - MIN (rows, (guint64) MAX_ROW_REPEAT));
  if (sink->failed)
    strata_zip_sax_stop (p->sax);
}

/* The sheet just read: its table, or the error to report, or on to the next sheet. */
static void
ods_end_table (OdsParse *p)
{
  GError *local_error = NULL;
  gboolean passable = !p->sink.any_value || !p->sink.wanted_header;

  p->table = sheet_sink_finish (&p->sink, p->name, &local_error);
  sheet_sink_clear (&p->sink);
  if (p->table != NULL)
    strata_zip_sax_stop (p->sax);
  else if (p->sheet_name == NULL && passable
           && g_error_matches (local_error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY))
    {
      /* the first sheet with data: an empty sheet is passed over */
      if (p->first_empty == NULL)
        p->first_empty = local_error;
      else
        g_error_free (local_error);
    }
  else
    {
      p->error = local_error;
      strata_zip_sax_stop (p->sax);
    }
}

static void
ods_start_cb (void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
              int n_namespaces, const xmlChar **namespaces, int n_attributes,
              int n_defaulted, const xmlChar **attributes)
{
  OdsParse *p = data;

  p->depth++;
  if (p->table_depth == 0)
    {
      gsize length = 0;
      const char *name;

      if (local != p->table_name)
        return;
      p->table_depth = p->depth;
      name = find_attribute (p->name_attr, n_attributes, attributes, &length);
      g_free (p->name);
      p->name = name != NULL ? g_strndup (name, length)
                             : g_strdup_printf ("Sheet%u", p->names->len + 1);
      g_ptr_array_add (p->names, g_strdup (p->name));
      p->reading = p->sheet_name == NULL || strcmp (p->sheet_name, p->name) == 0;
      if (p->reading)
        {
          sheet_sink_init (&p->sink, p->display_name, _("OpenDocument spreadsheet"),
                           p->header_row);
          p->row = 0;
          p->row_depth = p->cell_depth = 0;
        }
    }
  else if (!p->reading)
    ;
  else if (p->cell_depth != 0)
    {
      /* the cell's text */
      if (p->annotation_depth != 0)
        ;
      else if (local == p->annotation)
        p->annotation_depth = p->depth;
      else if (local == p->p_name)
        {
          if (!p->first_paragraph)
            g_string_append_c (p->text, '\n');
          p->first_paragraph = FALSE;
          if (p->p_depth == 0)
            p->p_depth = p->depth;
        }
      else if (local == p->s_name)
        {
          gsize length = 0;
          const char *count = find_attribute (p->c_attr, n_attributes, attributes, &length);
          guint k = count != NULL ? parse_uint (count, length) : 1;

          for (guint i = 0; i < MIN (k, 1000u); i++)
            g_string_append_c (p->text, ' ');
        }
      else if (local == p->tab_name)
        g_string_append_c (p->text, '\t');
      else if (local == p->line_break)
        g_string_append_c (p->text, '\n');
    }
  else if (p->row_depth != 0)
    {
      if (local == p->cell_name || local == p->covered_name)
        ods_begin_cell (p, n_attributes, attributes);
    }
  else if (local == p->row_name)
    {
      gsize length = 0;
      const char *repeated = find_attribute (p->rows_repeated, n_attributes, attributes,
                                             &length);

      p->row_depth = p->depth;
      p->rows = 1;
      if (repeated != NULL)
        {
          g_autofree char *copy = g_strndup (repeated, length);

          p->rows = MAX (g_ascii_strtoull (copy, NULL, 10), 1);
        }
      p->column = 0;
      g_array_set_size (p->cells, 0);
      g_string_truncate (p->cell_texts, 0);
    }
}

static void
ods_end_cb (void *data, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
  OdsParse *p = data;

  if (p->depth == p->table_depth)
    {
      p->table_depth = 0;
      if (p->reading)
        ods_end_table (p);
      p->reading = FALSE;
    }
  else if (!p->reading)
    ;
  else if (p->depth == p->annotation_depth)
    p->annotation_depth = 0;
  else if (p->depth == p->p_depth)
    p->p_depth = 0;
  else if (p->depth == p->cell_depth)
    {
      p->cell_depth = 0;
      ods_end_cell (p);
    }
  else if (p->depth == p->row_depth)
    {
      p->row_depth = 0;
      ods_end_row (p);
    }
  p->depth--;
}

static void
ods_text_cb (void *data, const xmlChar *text, int length)
{
  OdsParse *p = data;

  if (p->p_depth != 0 && p->annotation_depth == 0)
    g_string_append_len (p->text, (const char *) text, length);
}

GPtrArray *
strata_ods_list_sheets (const char *path, const char *display_name, GError **error)
{
  g_autoptr(StrataZipPart) part = strata_zip_part_open (path, display_name, "content.xml",
                                                        error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  xmlTextReaderPtr reader;
  const xmlChar *table, *name;
  int r;

  if (part == NULL)
    return NULL;
  reader = strata_zip_part_get_reader (part);
  table = xmlTextReaderConstString (reader, BAD_CAST "table");
  name = xmlTextReaderConstString (reader, BAD_CAST "name");
  r = xmlTextReaderRead (reader);
  while (r == 1)
    {
      const char *n;

      if (xmlTextReaderNodeType (reader) != XML_READER_TYPE_ELEMENT
          || xmlTextReaderConstLocalName (reader) != table)
        {
          r = xmlTextReaderRead (reader);
          continue;
        }
      n = attribute (reader, name);
      g_ptr_array_add (names, n != NULL ? g_strdup (n)
                                        : g_strdup_printf ("Sheet%u", names->len + 1));
      r = xmlTextReaderNext (reader);  /* over the sheet's cells */
    }
  if (!strata_zip_part_check (part, error))
    return NULL;
  return g_steal_pointer (&names);
}

StrataTable *
strata_ods_import (const char *path, const char *display_name, const char *sheet_name,
                   guint header_row, GError **error)
{
  xmlSAXHandler handler = { 0 };
  OdsParse p = { 0 };
  StrataTable *table = NULL;
  gboolean parsed;

  handler.initialized = XML_SAX2_MAGIC;
  handler.startElementNs = ods_start_cb;
  handler.endElementNs = ods_end_cb;
  handler.characters = ods_text_cb;
  handler.ignorableWhitespace = ods_text_cb;
  handler.cdataBlock = ods_text_cb;
  p.sax = strata_zip_sax_open (path, display_name, "content.xml", &handler, &p, error);
  if (p.sax == NULL)
    return NULL;
  p.display_name = display_name;
  p.sheet_name = sheet_name;
  p.header_row = header_row;
  p.names = g_ptr_array_new_with_free_func (g_free);
  p.cells = g_array_new (FALSE, FALSE, sizeof (OdsCell));
  p.cell_texts = g_string_new (NULL);
  p.text = g_string_new (NULL);
  p.value.text = g_string_new (NULL);
  p.date.text = g_string_new (NULL);
  p.time.text = g_string_new (NULL);
  p.boolean.text = g_string_new (NULL);
#define NAME(field, text) p.field = strata_zip_sax_intern (p.sax, text)
  NAME (table_name, "table");
  NAME (row_name, "table-row");
  NAME (cell_name, "table-cell");
  NAME (covered_name, "covered-table-cell");
  NAME (name_attr, "name");
  NAME (rows_repeated, "number-rows-repeated");
  NAME (columns_repeated, "number-columns-repeated");
  NAME (columns_spanned, "number-columns-spanned");
  NAME (value_type, "value-type");
  NAME (value_attr, "value");
  NAME (date_value, "date-value");
  NAME (time_value, "time-value");
  NAME (boolean_value, "boolean-value");
  NAME (formula, "formula");
  NAME (p_name, "p");
  NAME (s_name, "s");
  NAME (c_attr, "c");
  NAME (tab_name, "tab");
  NAME (line_break, "line-break");
  NAME (annotation, "annotation");
#undef NAME

  parsed = strata_zip_sax_parse (p.sax, error);
  if (p.reading)
    {
      /* a sheet cut short: by bad XML, or by the sink (too many rows) */
      if (parsed && p.sink.failed && p.error == NULL)
        p.table = sheet_sink_finish (&p.sink, p.name, &p.error);  /* NULL, with its error */
      sheet_sink_clear (&p.sink);
    }
  if (!parsed)
    g_clear_pointer (&p.table, strata_table_unref);
  else if (p.table != NULL)
    table = g_steal_pointer (&p.table);
  else if (p.error != NULL)
    g_propagate_error (error, g_steal_pointer (&p.error));
  else if (sheet_name != NULL)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < p.names->len; i++)
        g_string_append_printf (list, "%s\"%s\"", i > 0 ? ", " : "",
                                (const char *) g_ptr_array_index (p.names, i));
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_NO_SHEET,
                   _("%s has no sheet named \"%s\" (its sheets: %s)"), display_name,
                   sheet_name, list->str);
    }
  else if (p.first_empty != NULL && p.names->len == 1)
    g_propagate_error (error, g_steal_pointer (&p.first_empty));
  else
    g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                 _("%s has no sheet with data"), display_name);

  g_clear_error (&p.error);
  g_clear_error (&p.first_empty);
  g_free (p.name);
  g_ptr_array_unref (p.names);
  g_array_unref (p.cells);
  g_string_free (p.cell_texts, TRUE);
  g_string_free (p.text, TRUE);
  g_string_free (p.value.text, TRUE);
  g_string_free (p.date.text, TRUE);
  g_string_free (p.time.text, TRUE);
  g_string_free (p.boolean.text, TRUE);
  strata_zip_sax_free (p.sax);
  return table;
}

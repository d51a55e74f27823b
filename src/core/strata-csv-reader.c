/* strata-csv-reader.c: splits delimited text (RFC 4180) into records and fields. */
#include "strata-csv-reader.h"

#include <string.h>

/* While a record is being read, a field unescaped into the scratch space holds its
 * scratch offset in text (the scratch may move as it grows); the pointers are set when
 * the record is complete. */
#define FIELD_IN_SCRATCH 2u

#define SNIFF_RECORDS 20
#define SNIFF_BYTES (1u << 20)

void
strata_csv_reader_init (StrataCsvReader *reader, const char *data, gsize length,
                        char delimiter)
{
  memset (reader, 0, sizeof *reader);
  reader->data = data;
  reader->length = data != NULL ? length : 0;
  reader->line = 1;
  reader->delimiter = delimiter;
  reader->max_fields = STRATA_CSV_MAX_FIELDS;
  reader->stops[(guchar) delimiter] = 1;
  reader->stops['\n'] = 1;
  reader->stops['\r'] = 1;
}

void
strata_csv_reader_clear (StrataCsvReader *reader)
{
  g_clear_pointer (&reader->own_fields, g_free);
  g_clear_pointer (&reader->scratch, g_free);
  reader->fields = NULL;
  reader->fields_capacity = reader->own_capacity = 0;
  reader->scratch_capacity = 0;
  reader->n_fields = reader->n_stored = 0;
}

void
strata_csv_reader_set_max_fields (StrataCsvReader *reader, gsize max_fields)
{
  reader->max_fields = CLAMP (max_fields, 1, STRATA_CSV_MAX_FIELDS);
  if (reader->external_fields)
    reader->max_fields = MIN (reader->max_fields, reader->fields_capacity);
}

void
strata_csv_reader_set_field_array (StrataCsvReader *reader, StrataCsvField *fields,
                                   gsize capacity)
{
  if (fields != NULL)
    {
      reader->fields = fields;
      reader->fields_capacity = reader->max_fields = MAX (capacity, 1);
      reader->external_fields = TRUE;
    }
  else
    {
      reader->fields = reader->own_fields;
      reader->fields_capacity = reader->own_capacity;
      reader->max_fields = STRATA_CSV_MAX_FIELDS;
      reader->external_fields = FALSE;
    }
  reader->n_fields = reader->n_stored = 0;
}

void
strata_csv_reader_seek (StrataCsvReader *reader, gsize offset, guint line)
{
  reader->position = MIN (offset, reader->length);
  reader->line = line;
}

gsize
strata_csv_reader_get_position (const StrataCsvReader *reader)
{
  return reader->position;
}

guint
strata_csv_reader_get_line (const StrataCsvReader *reader)
{
  return reader->line;
}

gboolean
strata_csv_reader_record_is_blank (const StrataCsvReader *reader)
{
  return reader->n_fields == 1 && reader->last_nonempty == 0 && !reader->fields[0].quoted;
}

static void
scratch_append (StrataCsvReader *reader, const guchar *text, gsize length)
{
  if (reader->scratch_capacity - reader->scratch_length < length)
    {
      gsize needed = reader->scratch_length + length;
      gsize capacity = MAX (reader->scratch_capacity, 256);

      while (capacity < needed)
        capacity = capacity > G_MAXSIZE / 2 ? needed : capacity * 2;
      reader->scratch = g_realloc (reader->scratch, capacity);
      reader->scratch_capacity = capacity;
    }
  if (length > 0)
    memcpy (reader->scratch + reader->scratch_length, text, length);
  reader->scratch_length += length;
}

static inline void
store_field (StrataCsvReader *reader, gsize index, const char *text, gsize length,
             guint quoted)
{
  if (index >= reader->max_fields)
    return;
  if (index >= reader->fields_capacity)
    {
      /* only the reader's own array grows: a caller's has max_fields fields */
      gsize capacity = MAX (reader->own_capacity * 2, 16);

      capacity = MIN (capacity, reader->max_fields);
      reader->own_fields = g_renew (StrataCsvField, reader->own_fields, capacity);
      reader->own_capacity = capacity;
      reader->fields = reader->own_fields;
      reader->fields_capacity = capacity;
    }
  reader->fields[index].text = text;
  reader->fields[index].length = length;
  reader->fields[index].quoted = quoted;
}

/* Counts the line breaks in [P, END): LF, CRLF and lone CR each count once. A CR that
 * ends the range is followed by a quote or the end of data, so it is a lone CR. */
static guint
count_line_breaks (const guchar *p, const guchar *end)
{
  guint n = 0;

  for (; p < end; p++)
    if (*p == '\n' || (*p == '\r' && (p + 1 == end || p[1] != '\n')))
      n++;
  return n;
}

static inline gboolean
is_space (guchar c, guchar delimiter)
{
  return (c == ' ' || c == '\t') && c != delimiter;
}

/* Reads the quoted field whose opening quote is at *PP; on return *PP is just past the
 * closing quote (and any text after it, up to a delimiter or line break). */
static StrataCsvStatus
read_quoted_field (StrataCsvReader *reader, const guchar **pp, gsize index)
{
  const guchar *p = *pp + 1;
  const guchar *end = (const guchar *) reader->data + reader->length;
  const guchar delimiter = (guchar) reader->delimiter;
  const guchar *segment = p;
  const guchar *close;
  gsize scratch_start = 0;
  gsize length;
  gboolean in_scratch = FALSE;
  guint open_line = reader->line;

  for (;;)
    {
      const guchar *q = memchr (p, '"', (gsize) (end - p));

      reader->line += count_line_breaks (p, q != NULL ? q : end);
      if (q == NULL)
        {
          reader->error_line = open_line;
          reader->error_column = index < G_MAXUINT ? (guint) index + 1 : G_MAXUINT;
          reader->position = reader->length;
          return STRATA_CSV_UNCLOSED_QUOTE;
        }
      if (q + 1 < end && q[1] == '"')
        {
          if (!in_scratch)
            {
              in_scratch = TRUE;
              scratch_start = reader->scratch_length;
            }
          scratch_append (reader, segment, (gsize) (q + 1 - segment));
          p = segment = q + 2;
          continue;
        }
      close = q;
      break;
    }

  if (in_scratch)
    scratch_append (reader, segment, (gsize) (close - segment));
  p = close + 1;

  while (p < end && is_space (*p, delimiter))
    p++;
  if (p < end && !reader->stops[*p])
    {
      const guchar *after = close + 1;
      const guchar *stop;

      while (p < end && !reader->stops[*p])
        p++;
      stop = p;
      while (stop > after && is_space (stop[-1], delimiter))
        stop--;
      if (!in_scratch)
        {
          in_scratch = TRUE;
          scratch_start = reader->scratch_length;
          scratch_append (reader, segment, (gsize) (close - segment));
        }
      scratch_append (reader, after, (gsize) (stop - after));
      if (reader->text_after_quote++ == 0)
        reader->text_after_quote_line = reader->line;
    }

  if (in_scratch)
    length = reader->scratch_length - scratch_start;
  else
    length = (gsize) (close - segment);
  if (in_scratch)
    store_field (reader, index, GSIZE_TO_POINTER (scratch_start), length, FIELD_IN_SCRATCH);
  else
    store_field (reader, index, (const char *) segment, length, TRUE);
  if (length > 0)
    reader->last_nonempty = index + 1;

  *pp = p;
  return STRATA_CSV_RECORD;
}

StrataCsvStatus
strata_csv_reader_next (StrataCsvReader *reader)
{
  const guchar *data = (const guchar *) reader->data;
  const guchar *end = data + reader->length;
  const guchar *p = data + reader->position;
  const guchar delimiter = (guchar) reader->delimiter;
  const guint8 *stops = reader->stops;
  gboolean used_scratch = FALSE;
  gsize n = 0;

  reader->n_fields = reader->n_stored = 0;
  reader->last_nonempty = 0;
  if (p >= end)
    return STRATA_CSV_END;

  reader->record_offset = reader->position;
  reader->record_line = reader->line;
  reader->scratch_length = 0;

  for (;;)
    {
      while (p < end && is_space (*p, delimiter))
        p++;

      if (p < end && *p == '"')
        {
          if (read_quoted_field (reader, &p, n) == STRATA_CSV_UNCLOSED_QUOTE)
            return STRATA_CSV_UNCLOSED_QUOTE;
          used_scratch |= n < reader->max_fields
                          && reader->fields[n].quoted == FIELD_IN_SCRATCH;
        }
      else
        {
          const guchar *start = p;
          const guchar *stop;

          while (p < end && !stops[*p])
            p++;
          stop = p;
          while (stop > start && is_space (stop[-1], delimiter))
            stop--;
          store_field (reader, n, (const char *) start, (gsize) (stop - start), FALSE);
          if (stop > start)
            reader->last_nonempty = n + 1;
        }
      n++;

      if (p >= end)
        {
          reader->position = reader->length;
          break;
        }
      if (*p == delimiter)
        {
          p++;
          continue;
        }
      /* a line break */
      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p += 2;
      else
        p++;
      reader->line++;
      reader->position = (gsize) (p - data);
      break;
    }

  reader->n_fields = n;
  reader->n_stored = MIN (n, reader->max_fields);
  if (used_scratch)
    {
      for (gsize i = 0; i < reader->n_stored; i++)
        if (reader->fields[i].quoted == FIELD_IN_SCRATCH)
          {
            reader->fields[i].text = reader->scratch + GPOINTER_TO_SIZE (reader->fields[i].text);
            reader->fields[i].quoted = TRUE;
          }
    }
  return STRATA_CSV_RECORD;
}

typedef struct {
  gsize header_fields;
  guint sampled;
  guint matching;
} SniffResult;

static SniffResult
sniff_one (const char *data, gsize length, char delimiter)
{
  StrataCsvReader reader;
  SniffResult result = { 0, 0, 0 };
  gsize header_end;

  strata_csv_reader_init (&reader, data, length, delimiter);
  strata_csv_reader_set_max_fields (&reader, 1);

  do
    {
      if (strata_csv_reader_next (&reader) != STRATA_CSV_RECORD)
        goto out;
    }
  while (strata_csv_reader_record_is_blank (&reader));
  result.header_fields = reader.n_fields;
  header_end = strata_csv_reader_get_position (&reader);

  while (result.sampled < SNIFF_RECORDS
         && strata_csv_reader_get_position (&reader) - header_end < SNIFF_BYTES
         && strata_csv_reader_next (&reader) == STRATA_CSV_RECORD)
    {
      if (strata_csv_reader_record_is_blank (&reader))
        continue;
      result.sampled++;
      if (reader.n_fields == result.header_fields
          || (reader.n_fields > result.header_fields
              && reader.last_nonempty <= result.header_fields))
        result.matching++;
    }

out:
  strata_csv_reader_clear (&reader);
  return result;
}

char
strata_csv_sniff_delimiter (const char *data, gsize length)
{
  /* in this order for ties; for a one-column file the semicolon comes before the tab so
   * that a lone "1,5" reads as a number with a decimal comma */
  static const char candidates[] = { ',', ';', '\t' };
  SniffResult results[G_N_ELEMENTS (candidates)];
  char best = 0;
  double best_consistency = -1;
  gsize best_header_fields = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      SniffResult r = results[i] = sniff_one (data, length, candidates[i]);
      double consistency = r.sampled > 0 ? (double) r.matching / r.sampled : 1.0;

      if (r.header_fields < 2)
        continue;
      if (consistency > best_consistency
          || (consistency == best_consistency && r.header_fields > best_header_fields))
        {
          best = candidates[i];
          best_consistency = consistency;
          best_header_fields = r.header_fields;
        }
    }
  if (best != 0)
    return best;

  /* one column: the candidate that splits the fewest lines */
  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      double consistency = results[i].sampled > 0
                           ? (double) results[i].matching / results[i].sampled : 1.0;

      if (consistency > best_consistency)
        {
          best = candidates[i];
          best_consistency = consistency;
        }
    }
  return best != 0 ? best : ',';
}

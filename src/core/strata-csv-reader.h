/* strata-csv-reader.h: splits delimited text (RFC 4180) into records and fields.
 *
 * The reader walks a buffer of UTF-8 text once, record by record, without copying
 * fields: a field points into the buffer, except a quoted field with doubled quotes
 * (or text after its closing quote), which is unescaped into the reader's scratch space.
 *
 * Rules: a record ends at LF, CRLF or a lone CR outside quotes; the last line needs no
 * line break. A field whose first non-space character is '"' is quoted: it runs to the
 * next lone '"', "" stands for one quote, and delimiters and line breaks inside are
 * kept. Spaces (and tabs, unless tab is the delimiter) around an unquoted field and
 * around the quotes of a quoted field are dropped. A '"' inside an unquoted field is an
 * ordinary character. Text between a closing quote and the next delimiter is kept,
 * appended to the field, and counted in text_after_quote.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The reader stores at most this many fields of one record (it counts them all). */
#define STRATA_CSV_MAX_FIELDS (1u << 20)

typedef struct {
  const char *text;        /* not NUL-terminated; valid until the next record is read */
  gsize length;
  guint quoted;            /* TRUE when the field was quoted in the file */
} StrataCsvField;

typedef enum {
  STRATA_CSV_RECORD,          /* a record was read: see fields, n_fields, record_line */
  STRATA_CSV_END,             /* no more records */
  STRATA_CSV_UNCLOSED_QUOTE,  /* a quoted field runs to the end: see error_line/column */
} StrataCsvStatus;

typedef struct {
  /* the last record read */
  StrataCsvField *fields;  /* the first n_stored fields */
  gsize n_fields;          /* fields in the record, stored or not */
  gsize n_stored;          /* MIN (n_fields, max_fields) */
  gsize last_nonempty;     /* 1-based index of the last non-empty field, 0 if none */
  gsize record_offset;     /* byte offset where the record starts */
  guint record_line;       /* 1-based physical line where the record starts */

  /* after STRATA_CSV_UNCLOSED_QUOTE: where the quote opened (column = field number) */
  guint error_line;
  guint error_column;

  /* fields with text after their closing quote, and the line of the first one */
  guint text_after_quote;
  guint text_after_quote_line;

  /*< private >*/
  const char *data;
  gsize length;
  gsize position;
  guint line;
  char delimiter;
  gsize max_fields;
  gsize fields_capacity;     /* of the array in use */
  StrataCsvField *own_fields;
  gsize own_capacity;
  gboolean external_fields;
  char *scratch;
  gsize scratch_length;
  gsize scratch_capacity;
  guint8 stops[256];
} StrataCsvReader;

/* Prepares READER to read the LENGTH bytes at DATA, delimited by DELIMITER. DATA must
 * outlive the reader. Free with strata_csv_reader_clear(). */
void strata_csv_reader_init (StrataCsvReader *reader, const char *data, gsize length,
                             char delimiter);
void strata_csv_reader_clear (StrataCsvReader *reader);

/* Limits how many fields of a record are stored (1 to STRATA_CSV_MAX_FIELDS). */
void strata_csv_reader_set_max_fields (StrataCsvReader *reader, gsize max_fields);

/* Makes the next records store their fields in the caller's array FIELDS of CAPACITY
 * (>= 1) fields instead of the reader's own (fields beyond CAPACITY are counted, not
 * stored); NULL returns to the reader's own array and STRATA_CSV_MAX_FIELDS. Lets a
 * caller collect records side by side without copying them. */
void strata_csv_reader_set_field_array (StrataCsvReader *reader, StrataCsvField *fields,
                                        gsize capacity);

/* Continues reading at byte OFFSET, which is the start of physical line LINE. */
void strata_csv_reader_seek (StrataCsvReader *reader, gsize offset, guint line);

/* Byte offset of the next record. */
gsize strata_csv_reader_get_position (const StrataCsvReader *reader);
/* Physical line of the next record. */
guint strata_csv_reader_get_line (const StrataCsvReader *reader);

StrataCsvStatus strata_csv_reader_next (StrataCsvReader *reader);

/* TRUE when the last record is an empty or all-space line. */
gboolean strata_csv_reader_record_is_blank (const StrataCsvReader *reader);

/* Picks the delimiter of the table in DATA among ',', ';' and '\t': the one that splits
 * the first non-blank line (the header) into more than one field and the next 20 lines
 * into as many (a line with extra empty fields at its end counts as matching).
 * Delimiters inside quotes do not count. Among candidates, the most consistent wins; on
 * a tie, the one giving the header more fields; then the order ',', ';', '\t'. When
 * none splits the header (a one-column table), the one that splits the fewest lines,
 * in the order ',', ';', '\t'. */
char strata_csv_sniff_delimiter (const char *data, gsize length);

G_END_DECLS

/* strata-zip.c: zip-packaged document parts through libarchive and xmlTextReader.
 *
 * The zip is opened with libarchive's seekable zip reader, which starts from the central
 * directory at the end of the file: a truncated file fails at once instead of reading
 * short. Each part is found by walking the entries (cheap: their data is skipped by
 * seeking) and streamed to the XML reader through an I/O callback.
 */
#include "strata-zip.h"
#include "strata-i18n.h"

#include "strata-table.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

#define READ_BLOCK (64 * 1024)

struct _StrataZipPart {
  struct archive *archive;
  xmlTextReaderPtr reader;
  char *display_name;
  char *name;
  char *archive_error;   /* libarchive's message when reading the data failed */
  char *xml_error;       /* libxml2's first error */
};

/* libarchive's message about A, as valid UTF-8 (it may quote entry names). Free it. */
static char *
archive_message (struct archive *a)
{
  const char *message = archive_error_string (a);

  return g_utf8_make_valid (message != NULL ? message : "unknown error", -1);
}

static struct archive *
open_archive (const char *path, const char *display_name, GError **error)
{
  struct archive *a = archive_read_new ();

  archive_read_support_format_zip_seekable (a);
  if (archive_read_open_filename (a, path, READ_BLOCK) != ARCHIVE_OK)
    {
      g_autofree char *message = archive_message (a);

      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   _("%s is damaged or incomplete: it cannot be opened as a zip package (%s)"),
                   display_name, message);
      archive_read_free (a);
      return NULL;
    }
  return a;
}

static gboolean
next_entry (struct archive *a, const char *display_name, struct archive_entry **entry,
            gboolean *done, GError **error)
{
  int r = archive_read_next_header (a, entry);
  g_autofree char *message = NULL;

  *done = r == ARCHIVE_EOF;
  if (r == ARCHIVE_OK || r == ARCHIVE_WARN || r == ARCHIVE_EOF)
    return TRUE;
  message = archive_message (a);
  g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
               _("%s is damaged or incomplete (%s)"), display_name, message);
  return FALSE;
}

GPtrArray *
strata_zip_list (const char *path, const char *display_name, GError **error)
{
  struct archive *a = open_archive (path, display_name, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  struct archive_entry *entry;
  gboolean done = FALSE;

  if (a == NULL)
    return NULL;
  while (next_entry (a, display_name, &entry, &done, error))
    {
      if (done)
        {
          archive_read_free (a);
          return g_steal_pointer (&names);
        }
      g_ptr_array_add (names, g_strdup (archive_entry_pathname (entry)));
    }
  archive_read_free (a);
  return NULL;
}

/* Moves A to entry NAME; *SIZE (when not NULL) gets its uncompressed size, -1 if the zip
 * does not say. */
static gboolean
seek_entry (struct archive *a, const char *display_name, const char *name, gint64 *size,
            GError **error)
{
  struct archive_entry *entry;
  gboolean done = FALSE;

  while (next_entry (a, display_name, &entry, &done, error))
    {
      if (done)
        {
          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                       _("%s is damaged or incomplete: its part \"%s\" is missing"),
                       display_name, name);
          return FALSE;
        }
      if (g_strcmp0 (archive_entry_pathname (entry), name) != 0)
        continue;
      if (archive_entry_is_encrypted (entry))
        {
          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_ENCRYPTED,
                       _("%s is password-protected; save a copy without a password and "
                         "open that"), display_name);
          return FALSE;
        }
      if (size != NULL)
        *size = archive_entry_size_is_set (entry) ? archive_entry_size (entry) : -1;
      return TRUE;
    }
  return FALSE;
}

GBytes *
strata_zip_read (const char *path, const char *display_name, const char *name,
                 gsize max_bytes, GError **error)
{
  struct archive *a = open_archive (path, display_name, error);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  guint8 buffer[4096];
  la_ssize_t n = 0;

  if (a == NULL)
    return NULL;
  if (!seek_entry (a, display_name, name, NULL, error))
    {
      archive_read_free (a);
      return NULL;
    }
  while (bytes->len < max_bytes
         && (n = archive_read_data (a, buffer, MIN (sizeof buffer, max_bytes - bytes->len))) > 0)
    g_byte_array_append (bytes, buffer, (guint) n);
  if (n < 0)
    {
      g_autofree char *message = archive_message (a);

      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   _("%s is damaged or incomplete (%s)"), display_name, message);
      archive_read_free (a);
      return NULL;
    }
  archive_read_free (a);
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static int
part_read_cb (void *context, char *buffer, int length)
{
  StrataZipPart *part = context;
  la_ssize_t n = archive_read_data (part->archive, buffer, (size_t) length);

  if (n < 0)
    {
      if (part->archive_error == NULL)
        part->archive_error = archive_message (part->archive);
      return -1;
    }
  return (int) n;
}

static int
part_close_cb (void *context)
{
  (void) context;
  return 0;
}

static void
part_error_cb (void *arg, const char *msg, xmlParserSeverities severity,
               xmlTextReaderLocatorPtr locator)
{
  StrataZipPart *part = arg;

  (void) locator;
  if ((severity == XML_PARSER_SEVERITY_ERROR || severity == XML_PARSER_SEVERITY_VALIDITY_ERROR)
      && part->xml_error == NULL)
    part->xml_error = g_strstrip (g_utf8_make_valid (msg, -1));
}

StrataZipPart *
strata_zip_part_open (const char *path, const char *display_name, const char *name,
                      GError **error)
{
  g_autoptr(StrataZipPart) part = g_new0 (StrataZipPart, 1);

  part->display_name = g_strdup (display_name);
  part->name = g_strdup (name);
  part->archive = open_archive (path, display_name, error);
  if (part->archive == NULL || !seek_entry (part->archive, display_name, name, NULL, error))
    return NULL;
  part->reader = xmlReaderForIO (part_read_cb, part_close_cb, part, name, NULL,
                                 XML_PARSE_NONET | XML_PARSE_HUGE
                                 | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS);
  if (part->reader == NULL)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   _("%s is damaged: its part \"%s\" cannot be read"), display_name, name);
      return NULL;
    }
  xmlTextReaderSetErrorHandler (part->reader, part_error_cb, part);
  return g_steal_pointer (&part);
}

xmlTextReaderPtr
strata_zip_part_get_reader (StrataZipPart *part)
{
  return part->reader;
}

gboolean
strata_zip_part_check (StrataZipPart *part, GError **error)
{
  if (part->archive_error != NULL)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   _("%s is damaged or incomplete: its part \"%s\" cannot be read (%s)"),
                   part->display_name, part->name, part->archive_error);
      return FALSE;
    }
  if (part->xml_error != NULL)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   _("%s is damaged: its part \"%s\" is not well-formed XML (%s)"),
                   part->display_name, part->name, part->xml_error);
      return FALSE;
    }
  return TRUE;
}

void
strata_zip_part_close (StrataZipPart *part)
{
  if (part == NULL)
    return;
  if (part->reader != NULL)
    xmlFreeTextReader (part->reader);
  if (part->archive != NULL)
    archive_read_free (part->archive);
  g_free (part->archive_error);
  g_free (part->xml_error);
  g_free (part->display_name);
  g_free (part->name);
  g_free (part);
}

/* ---------------------------------------------------------------- SAX2 push parsing */

/* A large part is inflated by a second thread, into a few buffers that go round between
 * it and the parser: inflating overlaps parsing, and memory stays bounded. */
#define INFLATE_BUFFER_SIZE (256 * 1024)
#define INFLATE_BUFFERS 4
#define INFLATE_THREAD_MIN_BYTES (4 * 1024 * 1024)

typedef enum {
  BLOCK_DATA,
  BLOCK_END,             /* the part's end, or the thread stopped early */
  BLOCK_ERROR,           /* the zip data is bad: see archive_error */
} BlockStatus;

typedef struct {
  BlockStatus status;
  gsize size;
  char *data;            /* INFLATE_BUFFER_SIZE bytes */
} InflateBuffer;

struct _StrataZipSax {
  struct archive *archive;
  xmlParserCtxtPtr parser;
  char *display_name;
  char *name;
  char *archive_error;   /* libarchive's message when reading the data failed */
  char *xml_error;       /* libxml2's first error (the last of the block it came in) */
  gint64 size;           /* uncompressed, -1 if unknown */
  gboolean stopped;

  GThread *inflater;     /* NULL when the parser's thread inflates */
  GAsyncQueue *full;     /* InflateBuffer*, to the parser */
  GAsyncQueue *empty;    /* InflateBuffer*, back to the inflater */
  InflateBuffer buffers[INFLATE_BUFFERS];
  gint cancel;           /* atomic: the inflater stops at its next buffer */
};

/* Errors reach this with the caller's user data: they are read from the parser
 * context after each block instead (this only keeps libxml2 from printing them). */
static void
sax_error_cb (void *user_data, xmlErrorPtr error)
{
  (void) user_data;
  (void) error;
}

static void
sax_note_error (StrataZipSax *sax)
{
  xmlErrorPtr e;

  if (sax->xml_error != NULL || (sax->parser->wellFormed && sax->parser->nsWellFormed))
    return;
  e = xmlCtxtGetLastError (sax->parser);
  /* libxml2 quotes the document, which may not be UTF-8 */
  sax->xml_error = g_strstrip (g_utf8_make_valid (e != NULL && e->message != NULL
                                                  ? e->message : "syntax error", -1));
}

StrataZipSax *
strata_zip_sax_open (const char *path, const char *display_name, const char *name,
                     const xmlSAXHandler *handler, gpointer user_data, GError **error)
{
  g_autoptr(StrataZipSax) sax = g_new0 (StrataZipSax, 1);
  xmlSAXHandler h = *handler;

  g_return_val_if_fail (handler->initialized == XML_SAX2_MAGIC, NULL);

  sax->display_name = g_strdup (display_name);
  sax->name = g_strdup (name);
  sax->archive = open_archive (path, display_name, error);
  if (sax->archive == NULL
      || !seek_entry (sax->archive, display_name, name, &sax->size, error))
    return NULL;
  h.warning = NULL;
  h.error = NULL;
  h.fatalError = NULL;
  h.serror = sax_error_cb;
  sax->parser = xmlCreatePushParserCtxt (&h, user_data, NULL, 0, name);
  if (sax->parser == NULL)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   _("%s is damaged: its part \"%s\" cannot be read"), display_name, name);
      return NULL;
    }
  xmlCtxtUseOptions (sax->parser, XML_PARSE_NONET | XML_PARSE_HUGE);
  return g_steal_pointer (&sax);
}

gint64
strata_zip_sax_get_size (StrataZipSax *sax)
{
  return sax->size;
}

const xmlChar *
strata_zip_sax_intern (StrataZipSax *sax, const char *name)
{
  return xmlDictLookup (sax->parser->dict, BAD_CAST name, -1);
}

/* The inflating thread: blocks of the part into the empty buffers, then a last buffer
 * that says how the part ended (BLOCK_END, or BLOCK_ERROR with archive_error set). It
 * stops early, at its next empty buffer, once CANCEL is set. */
static gpointer
inflate_run (gpointer data)
{
  StrataZipSax *sax = data;

  for (;;)
    {
      const void *block;
      size_t size;
      la_int64_t offset;
      int r = archive_read_data_block (sax->archive, &block, &size, &offset);
      InflateBuffer *b;

      if (r == ARCHIVE_EOF || r < ARCHIVE_WARN)
        {
          if (r != ARCHIVE_EOF)
            sax->archive_error = archive_message (sax->archive);
          b = g_async_queue_pop (sax->empty);
          b->status = r == ARCHIVE_EOF ? BLOCK_END : BLOCK_ERROR;
          b->size = 0;
          g_async_queue_push (sax->full, b);
          return NULL;
        }
      for (size_t done = 0; done < size; )
        {
          b = g_async_queue_pop (sax->empty);
          if (g_atomic_int_get (&sax->cancel))
            {
              b->status = BLOCK_END;
              b->size = 0;
              g_async_queue_push (sax->full, b);
              return NULL;
            }
          b->status = BLOCK_DATA;
          b->size = MIN (size - done, (size_t) INFLATE_BUFFER_SIZE);
          memcpy (b->data, (const char *) block + done, b->size);
          done += b->size;
          g_async_queue_push (sax->full, b);
        }
    }
}

static gboolean
inflate_start (StrataZipSax *sax)
{
  sax->full = g_async_queue_new ();
  sax->empty = g_async_queue_new ();
  for (guint i = 0; i < INFLATE_BUFFERS; i++)
    {
      sax->buffers[i].data = g_malloc (INFLATE_BUFFER_SIZE);
      g_async_queue_push (sax->empty, &sax->buffers[i]);
    }
  sax->inflater = g_thread_try_new ("strata-inflate", inflate_run, sax, NULL);
  return sax->inflater != NULL;
}

/* Ends the inflating thread: lets it stop early, takes its buffers until the last. */
static void
inflate_stop (StrataZipSax *sax, gboolean ended)
{
  if (sax->inflater == NULL)
    return;
  g_atomic_int_set (&sax->cancel, 1);
  while (!ended)
    {
      InflateBuffer *b = g_async_queue_pop (sax->full);

      ended = b->status != BLOCK_DATA;
      g_async_queue_push (sax->empty, b);
    }
  g_thread_join (sax->inflater);
  sax->inflater = NULL;
}

/* Feeds SIZE bytes at DATA to the parser; FALSE once it stopped or met a fatal error. */
static gboolean
feed (StrataZipSax *sax, const char *data, size_t size)
{
  /* libxml2 takes an int length: feed big blocks in pieces */
  for (size_t done = 0; done < size && !sax->stopped; )
    {
      int piece = (int) MIN (size - done, (size_t) (1 << 30));

      xmlParseChunk (sax->parser, data + done, piece, 0);
      done += (size_t) piece;
      sax_note_error (sax);
      if (!sax->parser->wellFormed)
        return FALSE;  /* a fatal error: libxml2 stops there */
    }
  return !sax->stopped;
}

gboolean
strata_zip_sax_parse (StrataZipSax *sax, GError **error)
{
  gboolean threaded = sax->size >= INFLATE_THREAD_MIN_BYTES && g_get_num_processors () >= 2
                      && inflate_start (sax);
  gboolean ended = FALSE;   /* the whole part was read */
  gboolean going = TRUE;

  while (going)
    {
      if (threaded)
        {
          InflateBuffer *b = g_async_queue_pop (sax->full);

          ended = b->status != BLOCK_DATA;
          if (!ended)
            going = feed (sax, b->data, b->size);
          g_async_queue_push (sax->empty, b);
          if (ended)
            break;
        }
      else
        {
          const void *block;
          size_t size;
          la_int64_t offset;
          int r = archive_read_data_block (sax->archive, &block, &size, &offset);

          if (r == ARCHIVE_EOF || r < ARCHIVE_WARN)
            {
              if (r != ARCHIVE_EOF)
                sax->archive_error = archive_message (sax->archive);
              ended = TRUE;
              break;
            }
          going = feed (sax, block, size);
        }
    }
  inflate_stop (sax, ended || !threaded);

  /* once the caller stopped, what the inflater met after that does not matter */
  if (sax->archive_error != NULL && !sax->stopped)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   _("%s is damaged or incomplete: its part \"%s\" cannot be read (%s)"),
                   sax->display_name, sax->name, sax->archive_error);
      return FALSE;
    }
  if (ended && going)
    {
      xmlParseChunk (sax->parser, NULL, 0, 1);
      sax_note_error (sax);
    }
  if (sax->xml_error != NULL)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   _("%s is damaged: its part \"%s\" is not well-formed XML (%s)"),
                   sax->display_name, sax->name, sax->xml_error);
      return FALSE;
    }
  return TRUE;
}

void
strata_zip_sax_stop (StrataZipSax *sax)
{
  sax->stopped = TRUE;
  xmlStopParser (sax->parser);
}

void
strata_zip_sax_free (StrataZipSax *sax)
{
  if (sax == NULL)
    return;
  if (sax->parser != NULL)
    xmlFreeParserCtxt (sax->parser);
  inflate_stop (sax, FALSE);
  g_clear_pointer (&sax->full, g_async_queue_unref);
  g_clear_pointer (&sax->empty, g_async_queue_unref);
  for (guint i = 0; i < INFLATE_BUFFERS; i++)
    g_free (sax->buffers[i].data);
  if (sax->archive != NULL)
    archive_read_free (sax->archive);
  g_free (sax->archive_error);
  g_free (sax->xml_error);
  g_free (sax->display_name);
  g_free (sax->name);
  g_free (sax);
}

/* strata-zip.c: zip-packaged document parts through libarchive and xmlTextReader.
 *
 * The zip is opened with libarchive's seekable zip reader, which starts from the central
 * directory at the end of the file: a truncated file fails at once instead of reading
 * short. Each part is found by walking the entries (cheap: their data is skipped by
 * seeking) and streamed to the XML reader through an I/O callback.
 */
#include "strata-zip.h"

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

static struct archive *
open_archive (const char *path, const char *display_name, GError **error)
{
  struct archive *a = archive_read_new ();

  archive_read_support_format_zip_seekable (a);
  if (archive_read_open_filename (a, path, READ_BLOCK) != ARCHIVE_OK)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   "%s is damaged or incomplete: it cannot be opened as a zip package (%s)",
                   display_name, archive_error_string (a));
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

  *done = r == ARCHIVE_EOF;
  if (r == ARCHIVE_OK || r == ARCHIVE_WARN || r == ARCHIVE_EOF)
    return TRUE;
  g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
               "%s is damaged or incomplete (%s)", display_name, archive_error_string (a));
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

/* Moves A to entry NAME. */
static gboolean
seek_entry (struct archive *a, const char *display_name, const char *name, GError **error)
{
  struct archive_entry *entry;
  gboolean done = FALSE;

  while (next_entry (a, display_name, &entry, &done, error))
    {
      if (done)
        {
          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                       "%s is damaged or incomplete: its part \"%s\" is missing",
                       display_name, name);
          return FALSE;
        }
      if (g_strcmp0 (archive_entry_pathname (entry), name) != 0)
        continue;
      if (archive_entry_is_encrypted (entry))
        {
          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_ENCRYPTED,
                       "%s is password-protected; save a copy without a password and "
                       "open that", display_name);
          return FALSE;
        }
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
  if (!seek_entry (a, display_name, name, error))
    {
      archive_read_free (a);
      return NULL;
    }
  while (bytes->len < max_bytes
         && (n = archive_read_data (a, buffer, MIN (sizeof buffer, max_bytes - bytes->len))) > 0)
    g_byte_array_append (bytes, buffer, (guint) n);
  if (n < 0)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   "%s is damaged or incomplete (%s)", display_name,
                   archive_error_string (a));
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
        part->archive_error = g_strdup (archive_error_string (part->archive));
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
    part->xml_error = g_strstrip (g_strdup (msg));
}

StrataZipPart *
strata_zip_part_open (const char *path, const char *display_name, const char *name,
                      GError **error)
{
  g_autoptr(StrataZipPart) part = g_new0 (StrataZipPart, 1);

  part->display_name = g_strdup (display_name);
  part->name = g_strdup (name);
  part->archive = open_archive (path, display_name, error);
  if (part->archive == NULL || !seek_entry (part->archive, display_name, name, error))
    return NULL;
  part->reader = xmlReaderForIO (part_read_cb, part_close_cb, part, name, NULL,
                                 XML_PARSE_NONET | XML_PARSE_HUGE
                                 | XML_PARSE_COMPACT | XML_PARSE_NOBLANKS);
  if (part->reader == NULL)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   "%s is damaged: its part \"%s\" cannot be read", display_name, name);
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
                   "%s is damaged or incomplete: its part \"%s\" cannot be read (%s)",
                   part->display_name, part->name, part->archive_error);
      return FALSE;
    }
  if (part->xml_error != NULL)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_CORRUPT,
                   "%s is damaged: its part \"%s\" is not well-formed XML (%s)",
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

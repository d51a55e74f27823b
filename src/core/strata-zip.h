/* strata-zip.h: the parts of a zip-packaged document (.xlsx, .ods), read with
 * libarchive and streamed into libxml2's xmlTextReader or its SAX2 push parser (never
 * the whole part in memory). Internal to src/core. Errors are
 * STRATA_IMPORT_ERROR_CORRUPT (damaged or truncated zip), _ENCRYPTED (an encrypted
 * part) or _IO, naming DISPLAY_NAME.
 */
#pragma once

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>

G_BEGIN_DECLS

typedef struct _StrataZipPart StrataZipPart;

/* The names of the zip's entries, in their order (char*); NULL with ERROR. */
GPtrArray *strata_zip_list (const char *path, const char *display_name, GError **error);
/* The bytes of entry NAME, up to MAX_BYTES; NULL with ERROR (absent: _CORRUPT). */
GBytes *strata_zip_read (const char *path, const char *display_name, const char *name,
                         gsize max_bytes, GError **error);

/* Opens entry NAME as a streaming XML reader; NULL with ERROR. */
StrataZipPart *strata_zip_part_open (const char *path, const char *display_name,
                                     const char *name, GError **error);
xmlTextReaderPtr strata_zip_part_get_reader (StrataZipPart *part);
/* After xmlTextReaderRead() returned -1 or at the end: FALSE with ERROR when the zip
 * data or the XML was bad. */
gboolean strata_zip_part_check (StrataZipPart *part, GError **error);
void strata_zip_part_close (StrataZipPart *part);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataZipPart, strata_zip_part_close)

/* A part streamed through libxml2's SAX2 push parser (xmlCreatePushParserCtxt and
 * xmlParseChunk), fed with libarchive's blocks of inflated data as they come: a few
 * blocks of the part are in memory (at most 1 MiB), and no tree is built. A part of
 * 4 MB or more is inflated by a second thread while the first parses (with two
 * processors); the callbacks always run on the caller's thread. For large parts. */
typedef struct _StrataZipSax StrataZipSax;

/* Opens entry NAME for the SAX2 callbacks of HANDLER (initialized XML_SAX2_MAGIC; its
 * error callbacks are replaced: errors are collected, never printed), called with
 * USER_DATA. NULL with ERROR. */
StrataZipSax *strata_zip_sax_open (const char *path, const char *display_name,
                                   const char *name, const xmlSAXHandler *handler,
                                   gpointer user_data, GError **error);
/* The part's uncompressed size as the zip states it (not checked), or -1. */
gint64 strata_zip_sax_get_size (StrataZipSax *sax);
/* NAME in the parser's dictionary: the localname a callback gets for NAME is this
 * pointer, so names compare as pointers. */
const xmlChar *strata_zip_sax_intern (StrataZipSax *sax, const char *name);
/* Parses the part to its end, or until strata_zip_sax_stop(). FALSE with ERROR
 * (STRATA_IMPORT_ERROR_CORRUPT) when the zip data or the XML is bad. */
gboolean strata_zip_sax_parse (StrataZipSax *sax, GError **error);
/* From a callback: no more callbacks; strata_zip_sax_parse() returns. */
void strata_zip_sax_stop (StrataZipSax *sax);
void strata_zip_sax_free (StrataZipSax *sax);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataZipSax, strata_zip_sax_free)

G_END_DECLS

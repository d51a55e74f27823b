/* strata-zip.h: the parts of a zip-packaged document (.xlsx, .ods), read with
 * libarchive and streamed into libxml2's xmlTextReader (never the whole part in
 * memory). Internal to src/core. Errors are STRATA_IMPORT_ERROR_CORRUPT (damaged or
 * truncated zip), _ENCRYPTED (an encrypted part) or _IO, naming DISPLAY_NAME.
 */
#pragma once

#include <glib.h>
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

G_END_DECLS

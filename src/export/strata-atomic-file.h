/* strata-atomic-file.h: write a file so that readers see either the old file or the
 * complete new one, never a part: the content goes to a temporary file in the same
 * folder, which is flushed to disk (fsync) and renamed over the destination. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes the whole new content to TEMP_PATH, an empty file that already exists (open it
 * for writing with truncation, e.g. fopen (TEMP_PATH, "wb"); do not delete or rename
 * it), then closes it. Returns FALSE with ERROR set on failure; the message should name
 * the problem in plain words ("No space left on device") but not TEMP_PATH, which the
 * user never sees: strata_atomic_file_replace() adds the destination's name. */
typedef gboolean (*StrataAtomicWriteFunc) (const char *temp_path, gpointer data, GError **error);

/* Replaces (or creates) the file PATH with what WRITE writes, atomically:
 *   1. creates a hidden temporary file ".NAME.XXXXXX" next to PATH (same file system),
 *      with the permissions of the existing PATH, or 0666 minus the umask for a new file;
 *   2. calls WRITE (temp_path, DATA, error);
 *   3. flushes the temporary file to disk, renames it to PATH and flushes the folder.
 * On any failure the temporary file is removed and PATH is left as it was (absent, or
 * with its old content). Returns TRUE on success; FALSE with ERROR set to a message that
 * names PATH, e.g. "Could not save “/data/km.png”: Permission denied". Errors of the
 * file system are in the G_FILE_ERROR domain; those of WRITE keep their domain and code.
 * A symbolic link at PATH is replaced by a regular file, not followed. Never prints. */
gboolean strata_atomic_file_replace (const char *path, StrataAtomicWriteFunc write,
                                     gpointer data, GError **error);

G_END_DECLS

/* strata-atomic-file.c: temporary file in the destination's folder, fsync, rename.
 *
 * Where the file system allows it (Linux O_TMPFILE), the temporary file has no name
 * while it is written: a writer killed then (even by SIGKILL) leaves nothing behind.
 * Once written and flushed it is linked under ".NAME.XXXXXX" and renamed over the
 * destination at once. Elsewhere a named ".NAME.XXXXXX" file is written instead. */
#define _GNU_SOURCE   /* O_TMPFILE, linkat */
#include "strata-atomic-file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longest destination name kept in the temporary name: ".NAME.XXXXXX" must stay within
 * NAME_MAX (255 bytes on Linux file systems). */
#define MAX_BASE_IN_TEMP 200

static void
set_errno_error (GError **error, int errsv, const char *path)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
               "Could not save “%s”: %s", name, g_strerror (errsv));
}

/* The template ".NAME.XXXXXX" in PATH's folder. */
static char *
temp_template (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = NULL;

  if (strlen (base) > MAX_BASE_IN_TEMP)
    name = g_strdup (".strata.XXXXXX");
  else
    name = g_strdup_printf (".%s.XXXXXX", base);
  return g_build_filename (dir, name, NULL);
}

/* Gives the temporary file FD the permission bits of the regular file at PATH, if any;
 * otherwise the file keeps 0666 minus the umask, set when it was created. */
static void
copy_mode (int fd, const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode))
    (void) fchmod (fd, st.st_mode & 07777);
}

/* Creates the empty temporary file next to PATH; returns its path, or NULL with ERROR
 * set (the folder does not exist or is not writable). */
static char *
create_temp (const char *path, GError **error)
{
  g_autofree char *temp_path = temp_template (path);
  int fd = g_mkstemp_full (temp_path, O_RDWR | O_CLOEXEC, 0666);

  if (fd < 0)
    {
      set_errno_error (error, errno, path);
      return NULL;
    }
  copy_mode (fd, path);
  close (fd);
  return g_steal_pointer (&temp_path);
}

/* Flushes the file or folder at PATH to disk; returns 0 or an errno value. */
static int
sync_path (const char *path, int flags)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | flags, 0);
  int errsv = 0;

  if (fd < 0)
    return errno;
  if (fsync (fd) != 0)
    errsv = errno;
  close (fd);
  return errsv;
}

/* Runs WRITE on TEMP_PATH; its error is prefixed with the destination PATH. */
static gboolean
run_writer (const char *path, const char *temp_path, StrataAtomicWriteFunc write,
            gpointer data, GError **error)
{
  GError *local = NULL;
  g_autofree char *name = NULL;

  if (write (temp_path, data, &local))
    {
      g_clear_error (&local);
      return TRUE;
    }
  name = g_filename_display_name (path);
  if (local == NULL)
    local = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_FAILED,
                                 "The file could not be written");
  g_propagate_prefixed_error (error, local, "Could not save “%s”: ", name);
  return FALSE;
}

/* Makes the written TEMP_PATH durable and moves it to PATH. */
static gboolean
commit_temp (const char *path, const char *temp_path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int errsv = sync_path (temp_path, 0);

  if (errsv == 0 && g_rename (temp_path, path) != 0)
    errsv = errno;
  if (errsv != 0)
    {
      set_errno_error (error, errsv, path);
      return FALSE;
    }
  /* The rename is done: a folder that cannot be flushed is not a failure to report. */
  (void) sync_path (dir, O_DIRECTORY);
  return TRUE;
}

#ifdef O_TMPFILE
/* Links the anonymous file FD under a fresh ".NAME.XXXXXX" beside PATH; returns that
 * name, or NULL with errno set. */
static char *
link_anonymous (int fd, const char *path)
{
  g_autofree char *proc = g_strdup_printf ("/proc/self/fd/%d", fd);

  for (guint attempt = 0; attempt < 100; attempt++)
    {
      char *name = temp_template (path);
      char *x = name + strlen (name) - 6;
      for (guint i = 0; i < 6; i++)
        x[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[g_random_int_range (0, 36)];
      if (linkat (AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
        return name;
      g_free (name);
      if (errno != EEXIST)
        return NULL;
    }
  return NULL;
}

/* The O_TMPFILE path: TRUE when it ran (its outcome in *OK); FALSE when the folder's
 * file system has no anonymous files, so the caller uses a named temporary file. */
static gboolean
replace_through_anonymous (const char *path, StrataAtomicWriteFunc write, gpointer data,
                           gboolean *ok, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);   /* umask applies */

  if (fd < 0)
    return FALSE;
  copy_mode (fd, path);
  g_autofree char *proc = g_strdup_printf ("/proc/self/fd/%d", fd);
  *ok = run_writer (path, proc, write, data, error);
  if (*ok && fsync (fd) != 0)
    {
      set_errno_error (error, errno, path);
      *ok = FALSE;
    }
  if (*ok)
    {
      g_autofree char *named = link_anonymous (fd, path);
      if (named == NULL)
        {
          set_errno_error (error, errno, path);
          *ok = FALSE;
        }
      else if (!(*ok = commit_temp (path, named, error)))
        (void) g_unlink (named);
    }
  close (fd);
  return TRUE;
}
#endif

gboolean
strata_atomic_file_replace (const char *path, StrataAtomicWriteFunc write, gpointer data,
                            GError **error)
{
  g_autofree char *temp_path = NULL;

  g_return_val_if_fail (path != NULL && *path != '\0', FALSE);
  g_return_val_if_fail (write != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

#ifdef O_TMPFILE
  gboolean ok;
  if (replace_through_anonymous (path, write, data, &ok, error))
    return ok;
#endif
  temp_path = create_temp (path, error);
  if (temp_path == NULL)
    return FALSE;
  if (run_writer (path, temp_path, write, data, error) && commit_temp (path, temp_path, error))
    return TRUE;
  (void) g_unlink (temp_path);
  return FALSE;
}

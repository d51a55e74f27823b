/* test-crash-safe.c: exports survive a writer killed with SIGKILL at any moment, a full
 * disk (RLIMIT_FSIZE, as `ulimit -f`) and a read-only folder.
 *
 * For each kind of export of strata-report (figure PNG/PDF/SVG/EPS/TIFF via --figure,
 * workbook via --xlsx, JSON via --json) a previous file is put in place, strata-report
 * runs on a large cohort and is killed at several delays; the destination must then be
 * either the previous file, byte for byte, or a complete new one (its format's opening
 * bytes, and for JSON a document that parses). SIGKILL cannot be caught, so the
 * temporary file of a write in progress (".NAME.XXXXXX" for the figure and workbook,
 * src/export/strata-atomic-file.c; "NAME.XXXXXX" for the JSON, g_file_set_contents) can
 * be left behind: such leftovers are counted and reported, never taken for the file. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "robustness/unprivileged.h"

typedef struct {
  const char *name;      /* destination file name */
  const char *option;    /* strata-report option */
  const char *magic;     /* opening bytes of a complete file */
  gsize magic_len;
} ExportKind;

static const ExportKind kinds[] = {
  { "km.png", "--figure", "\x89PNG\r\n\x1a\n", 8 },
  { "km.pdf", "--figure", "%PDF-", 5 },
  { "km.svg", "--figure", "<?xml", 5 },
  { "km.eps", "--figure", "%!PS", 4 },
  { "km.tif", "--figure", "II*\0", 4 },
  { "report.xlsx", "--xlsx", "PK\x03\x04", 4 },
  { "report.json", "--json", "{", 1 },
};

static const char previous[] = "previous content, must survive\n";
static char *tmp_dir;
static char *cohort;

/* A cohort large enough that an export takes a while: 40 000 patients, 4 groups. */
static void
make_cohort (void)
{
  g_autoptr (GString) csv = g_string_new ("id,time,event,group\n");

  cohort = g_build_filename (tmp_dir, "cohort.csv", NULL);
  for (guint i = 0; i < 40000; i++)
    g_string_append_printf (csv, "%u,%u.%u,%u,%c\n", i, (i * 7919) % 3000, i % 10,
                            (i * 31) % 3 != 0, 'A' + i % 4);
  g_assert_true (g_file_set_contents (cohort, csv->str, csv->len, NULL));
}

static char *
dest_path (const ExportKind *kind)
{
  return g_build_filename (tmp_dir, kind->name, NULL);
}

static void
put_previous (const char *path)
{
  g_assert_true (g_file_set_contents (path, previous, -1, NULL));
}

/* The destination is the previous file or a complete new one. */
static gboolean
check_destination (const ExportKind *kind, const char *path)
{
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  if (len == strlen (previous) && memcmp (data, previous, len) == 0)
    return FALSE;
  g_assert_cmpuint (len, >=, kind->magic_len);
  g_assert_cmpmem (data, kind->magic_len, kind->magic, kind->magic_len);
  if (g_str_has_suffix (kind->name, ".json"))
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
    }
  return TRUE;
}

/* Removes and counts the temporary files left in the folder by a killed writer. */
static guint
remove_leftovers (const ExportKind *kind)
{
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  g_autofree char *hidden = g_strdup_printf (".%s.", kind->name);
  g_autofree char *plain = g_strdup_printf ("%s.", kind->name);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, hidden) || g_str_has_prefix (name, plain))
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
        g_unlink (path);
        n++;
      }
  return n;
}

static GPid
spawn_report (const ExportKind *kind, const char *path, GSpawnChildSetupFunc setup)
{
  const char *argv[] = { g_getenv ("STRATA_REPORT"), "--by=group", kind->option, path,
                         cohort, NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;

  g_assert_nonnull (argv[0]);
  g_assert_true (g_spawn_async (tmp_dir, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL |
                                G_SPAWN_STDERR_TO_DEV_NULL, setup, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static void
kill_at_delays (gconstpointer data)
{
  const ExportKind *kind = data;
  g_autofree char *path = dest_path (kind);
  /* microseconds: from start-up to well into the export */
  static const guint delays[] = { 1000, 20000, 60000, 120000, 200000, 350000, 600000, 1000000 };
  guint replaced = 0, leftovers = 0;

  for (guint d = 0; d < G_N_ELEMENTS (delays); d++)
    {
      int wait_status;
      GPid pid;

      put_previous (path);
      pid = spawn_report (kind, path, NULL);
      g_usleep (delays[d]);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
      replaced += check_destination (kind, path);
      leftovers += remove_leftovers (kind);
    }
  g_test_message ("%s: killed %u times: previous file intact %u times, new complete file "
                  "%u times; temporary files left by SIGKILL: %u", kind->name,
                  (guint) G_N_ELEMENTS (delays), (guint) G_N_ELEMENTS (delays) - replaced,
                  replaced, leftovers);
  g_unlink (path);
}

/* In the child: files may not grow beyond 16 KiB (`ulimit -f 32`); SIGXFSZ ignored so
 * that write() fails with EFBIG instead of killing the process, as on a full disk. */
static void
limit_file_size (gpointer data)
{
  struct rlimit limit = { 16 * 1024, 16 * 1024 };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

static void
disk_full (gconstpointer data)
{
  const ExportKind *kind = data;
  g_autofree char *path = dest_path (kind);
  const char *argv[] = { g_getenv ("STRATA_REPORT"), "--by=group", kind->option, path,
                         cohort, NULL };
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int wait_status;

  put_previous (path);
  g_assert_true (g_spawn_sync (tmp_dir, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               limit_file_size, NULL, NULL, &err, &wait_status, &error));
  g_assert_no_error (error);
  g_test_message ("%s, file size limit: %s", kind->name, err);
  g_assert_true (WIFEXITED (wait_status));
  if (WEXITSTATUS (wait_status) == 0)
    {
      /* Small enough to fit (the SVG or EPS of a simple figure may be): complete. */
      g_assert_true (check_destination (kind, path));
    }
  else
    {
      g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
      /* libxlsxwriter prints its own "[ERROR] ..." lines first (it cannot be silenced);
       * strata-report's message follows. */
      /* JSON (g_file_set_contents in strata-report) says "cannot write FILE: Failed to
       * write file “FILE.XXXXXX”: write() failed: File too large". */
      g_assert_true (strstr (err, "strata-report: Could not save") != NULL ||
                     strstr (err, "strata-report: cannot write") != NULL);
      g_assert_true (strstr (err, kind->name) != NULL);
      /* Mostly "File too large" (EFBIG); the EPS writer only says "The figure could not
       * be made (error while writing to output stream)": plain, if less precise. */
      g_assert_false (check_destination (kind, path));
    }
  g_assert_cmpuint (remove_leftovers (kind), ==, 0);
  g_unlink (path);
}

static void
read_only_folder (gconstpointer data)
{
  const ExportKind *kind = data;
  g_autofree char *folder = g_build_filename (tmp_dir, "read-only", NULL);
  g_autofree char *path = g_build_filename (folder, kind->name, NULL);
  const char *argv[] = { g_getenv ("STRATA_REPORT"), "--by=group", kind->option, path,
                         cohort, NULL };
  g_autofree char *err = NULL;
  int wait_status;

  g_mkdir (folder, 0700);
  put_previous (path);
  g_assert_cmpint (g_chmod (folder, 0555), ==, 0);
  /* strata-report runs as "nobody" when the test is root (root writes into read-only
   * folders): the cohort and its folder are readable by all (main). */
  g_assert_true (g_spawn_sync (tmp_dir, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               strata_test_drop_root_child_setup, NULL, NULL, &err,
                               &wait_status, NULL));
  g_test_message ("%s, read-only folder: %s", kind->name, err);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 1);
  g_assert_true (strstr (err, g_strerror (EACCES)) != NULL);
  g_assert_false (check_destination (kind, path));
  g_chmod (folder, 0700);
  g_unlink (path);
  g_rmdir (folder);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("strata-crash-safe-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  make_cohort ();
  /* Readable by an unprivileged strata-report (read_only_folder). */
  g_assert_cmpint (g_chmod (tmp_dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (cohort, 0644), ==, 0);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autofree char *kill_name = g_strdup_printf ("/crash-safe/sigkill/%s", kinds[k].name);
      g_autofree char *full_name = g_strdup_printf ("/crash-safe/disk-full/%s", kinds[k].name);
      g_autofree char *ro_name = g_strdup_printf ("/crash-safe/read-only/%s", kinds[k].name);
      g_test_add_data_func (kill_name, &kinds[k], kill_at_delays);
      g_test_add_data_func (full_name, &kinds[k], disk_full);
      g_test_add_data_func (ro_name, &kinds[k], read_only_folder);
    }
  status = g_test_run ();
  g_unlink (cohort);
  g_free (cohort);
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}

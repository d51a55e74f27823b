/* unprivileged.h: permission checks that also run as root (CI runs the suite as root).
 *
 * Root bypasses permission bits (CAP_DAC_OVERRIDE), so a read-only folder or an
 * unreadable file only means something to an ordinary user. A test that needs one runs
 * its check in a process that first becomes the user "nobody" (uid and gid 65534, no
 * supplementary groups) when it is root, and does nothing when it is not: as an ordinary
 * user the same check runs as that user. Dropping is for good (setuid), so it is done in
 * a child: a g_test_trap_subprocess() child, or a spawned program's child_setup.
 *
 * Whatever the child must read has to be readable by "nobody", and the folders it works
 * in reachable: strata_test_give_to_nobody() hands a folder made by root to that user. */
#pragma once

#include <grp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <glib.h>

#define STRATA_TEST_NOBODY 65534

/* When root, makes PATH (a folder or file made by the test) belong to "nobody", so that
 * the unprivileged child can write, chmod and remove it. Does nothing otherwise. */
static inline void
strata_test_give_to_nobody (const char *path)
{
  if (geteuid () != 0)
    return;
  g_assert_cmpint (chown (path, STRATA_TEST_NOBODY, STRATA_TEST_NOBODY), ==, 0);
}

/* When root, becomes "nobody" for the rest of the process; aborts if that fails or if
 * root could be regained. Does nothing for an ordinary user. */
static inline void
strata_test_drop_root (void)
{
  if (geteuid () != 0)
    return;
  g_assert_cmpint (setgroups (0, NULL), ==, 0);
  g_assert_cmpint (setgid (STRATA_TEST_NOBODY), ==, 0);
  g_assert_cmpint (setuid (STRATA_TEST_NOBODY), ==, 0);
  g_assert_cmpint (geteuid (), ==, STRATA_TEST_NOBODY);
  g_assert_cmpint (getegid (), ==, STRATA_TEST_NOBODY);
  g_assert_cmpint (setuid (0), !=, 0);
  /* Changing the user clears "dumpable", and LeakSanitizer (the ASan suite) then cannot
   * trace the process at exit and fails it: set it again. */
  g_assert_cmpint (prctl (PR_SET_DUMPABLE, 1), ==, 0);
}

/* The same, as a GSpawnChildSetupFunc: the spawned program runs as "nobody" (when the
 * test is root). Runs between fork and exec: no assertions, _exit on failure. */
static inline void
strata_test_drop_root_child_setup (G_GNUC_UNUSED gpointer data)
{
  if (geteuid () != 0)
    return;
  if (setgroups (0, NULL) != 0 || setgid (STRATA_TEST_NOBODY) != 0 ||
      setuid (STRATA_TEST_NOBODY) != 0 || prctl (PR_SET_DUMPABLE, 1) != 0)
    _exit (126);
}

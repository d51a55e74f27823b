/* strata-demo-cohort.c: see strata-demo-cohort.h. */
#include "config.h"
#include "strata-demo-cohort.h"

#define DEMO_FILE "demo-cohort.csv"

/* BINDIR/../share/strata/demo-cohort.csv for the running executable, or NULL. */
static char *
beside_executable (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = NULL;
  g_autofree char *prefix = NULL;

  if (exe == NULL)
    return NULL;
  bindir = g_path_get_dirname (exe);
  prefix = g_path_get_dirname (bindir);
  return g_build_filename (prefix, "share", "strata", DEMO_FILE, NULL);
}

char *
strata_demo_cohort_path (void)
{
  const char *override = g_getenv ("STRATA_DEMO_COHORT");
  char *candidate;

  if (override != NULL && *override != '\0')
    return g_strdup (override);
  candidate = beside_executable ();
  if (candidate != NULL && g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
    return candidate;
  g_free (candidate);
  candidate = g_build_filename (STRATA_DATADIR, DEMO_FILE, NULL);
  if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
    return candidate;
  g_free (candidate);
  return g_build_filename (STRATA_SOURCE_DATADIR, DEMO_FILE, NULL);
}

/* main.c: the `strata` executable. Everything else is in the strata-gui library. */
#include "config.h"

#include <gsl/gsl_errno.h>
#include <locale.h>

#include "strata-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (StrataApplication) application = NULL;

  setlocale (LC_ALL, "");
  /* GSL's default handler aborts; the core reports errors to its caller instead. */
  gsl_set_error_handler_off ();

  g_set_application_name ("Strata");
  application = strata_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (application), argc, argv);
}

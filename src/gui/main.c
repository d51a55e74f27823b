/* main.c: the `strata` executable. Everything else is in the strata-gui library. */
#include "config.h"

#include <glib/gi18n.h>
#include <gsl/gsl_errno.h>
#include <locale.h>

#include "strata-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (StrataApplication) application = NULL;
  const char *localedir;

  /* The user's locale for messages, dates and collation, but LC_NUMERIC stays "C": the
   * core, the plot renderer and the exports print numbers with printf, and their output
   * has a fixed format (a point as the decimal separator). The GUI shows numbers with the
   * user's separator explicitly (strata_result_text_localize). */
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  /* GTK would otherwise call setlocale (LC_ALL, "") again in gtk_init. */
  gtk_disable_setlocale ();
  /* Uninstalled runs and tests point STRATA_LOCALEDIR at <build>/po/locale. */
  localedir = g_getenv ("STRATA_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* GSL's default handler aborts; the core reports errors to its caller instead. */
  gsl_set_error_handler_off ();

  g_set_application_name (_("Strata"));
  application = strata_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (application), argc, argv);
}

/* strata-application.h: the Strata application (io.github.stratareview.Strata). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STRATA_APPLICATION_ID "io.github.stratareview.Strata"

#define STRATA_TYPE_APPLICATION (strata_application_get_type ())
G_DECLARE_FINAL_TYPE (StrataApplication, strata_application, STRATA, APPLICATION, AdwApplication)

/* FLAGS are added to G_APPLICATION_HANDLES_OPEN (tests pass G_APPLICATION_NON_UNIQUE). */
StrataApplication *strata_application_new (GApplicationFlags flags);

/* The application's settings (see strata_application_create_settings()). */
GSettings *strata_application_get_settings (StrataApplication *self);

/* A new GSettings of the schema io.github.stratareview.Strata: the installed schema,
 * or, for a build run uninstalled, the one compiled into the build tree. */
GSettings *strata_application_create_settings (void);

/* The bundled demo cohort: $STRATA_DEMO_COHORT, the installed copy, or the one in the
 * source tree for an uninstalled build. */
GFile *strata_application_get_demo_cohort (void);

G_END_DECLS

/* strata-preferences-window.h: the Preferences window (plot options kept in GSettings). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STRATA_TYPE_PREFERENCES_WINDOW (strata_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (StrataPreferencesWindow, strata_preferences_window, STRATA,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

/* A window, transient for PARENT, whose switches are bound to SETTINGS. */
GtkWidget *strata_preferences_window_new (GtkWindow *parent, GSettings *settings);

G_END_DECLS

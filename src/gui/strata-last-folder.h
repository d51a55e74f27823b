/* strata-last-folder.h: the folder the file dialogs start in, remembered in GSettings
 * (last-folder) across the Open, Export Figure, Export Workbook and Save Analysis
 * dialogs and across sessions. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Starts CHOOSER in the last folder when GSETTINGS (may be NULL) names one that still
 * exists; else leaves CHOOSER's own choice. */
void strata_last_folder_apply (GSettings *gsettings, GtkFileChooser *chooser);

/* Remembers the folder of FILE (a file the user chose) in GSETTINGS (may be NULL);
 * files that are not on this computer (no path) are not remembered. */
void strata_last_folder_remember (GSettings *gsettings, GFile *file);

G_END_DECLS

/* strata-last-folder.c: the last folder of the file dialogs, in GSettings. */
#include "strata-last-folder.h"

#define KEY "last-folder"

void
strata_last_folder_apply (GSettings *gsettings, GtkFileChooser *chooser)
{
  g_autofree char *path = NULL;
  g_autoptr (GFile) folder = NULL;

  g_return_if_fail (GTK_IS_FILE_CHOOSER (chooser));

  if (gsettings == NULL)
    return;
  path = g_settings_get_string (gsettings, KEY);
  if (path == NULL || *path == '\0' || !g_file_test (path, G_FILE_TEST_IS_DIR))
    return;
  folder = g_file_new_for_path (path);
  /* A folder the chooser cannot show is no reason to stop: it keeps its own choice. */
  gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

void
strata_last_folder_remember (GSettings *gsettings, GFile *file)
{
  g_autoptr (GFile) parent = NULL;
  g_autofree char *path = NULL;

  if (gsettings == NULL || file == NULL)
    return;
  parent = g_file_get_parent (file);
  path = parent != NULL ? g_file_get_path (parent) : NULL;
  if (path != NULL)
    g_settings_set_string (gsettings, KEY, path);
}

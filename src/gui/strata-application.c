/* strata-application.c: application start-up, actions, accelerators, About. */
#include "config.h"

#include <glib/gi18n.h>
#include "strata-demo-cohort.h"
#include "strata-application.h"

#include "strata-gui-config.h"
#include "strata-gui-resources.h"
#include "strata-preferences-window.h"
#include "strata-window.h"

struct _StrataApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (StrataApplication, strata_application, ADW_TYPE_APPLICATION)

GSettings *
strata_application_create_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = source
                                       ? g_settings_schema_source_lookup (source, STRATA_APPLICATION_ID, TRUE)
                                       : NULL;

  if (schema == NULL)
    {
      g_autoptr (GSettingsSchemaSource) build_source =
        g_settings_schema_source_new_from_directory (STRATA_GSCHEMA_BUILD_DIR, source, FALSE, NULL);
      if (build_source != NULL)
        schema = g_settings_schema_source_lookup (build_source, STRATA_APPLICATION_ID, FALSE);
    }
  if (schema == NULL)
    g_error ("The GSettings schema %s is not installed; install Strata or set "
             "GSETTINGS_SCHEMA_DIR to the build directory's src/gui", STRATA_APPLICATION_ID);
  return g_settings_new_full (schema, NULL, NULL);
}

GFile *
strata_application_get_demo_cohort (void)
{
  g_autofree char *path = strata_demo_cohort_path ();

  return g_file_new_for_path (path);
}

static void
strata_application_dispose (GObject *object)
{
  StrataApplication *self = STRATA_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (strata_application_parent_class)->dispose (object);
}

static StrataWindow *
new_window (StrataApplication *self)
{
  StrataWindow *window = strata_window_new (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
strata_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }
  strata_window_open_demo (new_window (STRATA_APPLICATION (application)));
}

static void
strata_application_open (GApplication *application, GFile **files, int n_files, const char *hint)
{
  for (int i = 0; i < n_files; i++)
    strata_window_open_file (new_window (STRATA_APPLICATION (application)), files[i]);
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GApplication *application = user_data;
  g_autoptr (GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (application)));

  /* Close the windows so that each saves its size; then quit. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (application);
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplication *application = user_data;
  GtkWindow *parent = gtk_application_get_active_window (application);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (parent ? gtk_widget_get_display (GTK_WIDGET (parent))
                                                               : gdk_display_get_default ());
  const char *developers[] = { _("The Strata developers"), NULL };
  GtkWidget *about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                                   "transient-for", parent,
                                   "modal", TRUE,
                                   "application-name", _("Strata"),
                                   /* Not a "missing image" square while uninstalled. */
                                   "application-icon", gtk_icon_theme_has_icon (theme, STRATA_APPLICATION_ID)
                                                       ? STRATA_APPLICATION_ID : "",
                                   "version", PACKAGE_VERSION,
                                   "developer-name", _("The Strata developers"),
                                   "developers", developers,
                                   "comments", _("Kaplan–Meier survival and response outcomes of a "
                                               "patient cohort, by strata, with numbers that "
                                               "agree with R's survival package.\n\n"
                                               "Strata never connects to the network; your "
                                               "cohort files stay on this computer and are "
                                               "never modified."),
                                   "copyright", _("© The Strata developers"),
                                   "translator-credits", _("translator-credits"),
                                   "license-type", GTK_LICENSE_GPL_3_0,
                                   NULL);

  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  StrataApplication *self = user_data;
  GtkWidget *preferences =
    strata_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                   strata_application_get_settings (self));

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
strata_application_startup (GApplication *application)
{
  static const GActionEntry entries[] = {
    { .name = "quit", .activate = quit_action },
    { .name = "about", .activate = about_action },
    { .name = "preferences", .activate = preferences_action },
  };
  static const char *const quit_accels[] = { "<Primary>q", NULL };
  static const char *const open_accels[] = { "<Primary>o", NULL };
  static const char *const close_accels[] = { "<Primary>w", NULL };
  static const char *const preferences_accels[] = { "<Primary>comma", NULL };
  static const char *const help_accels[] = { "<Primary>question", NULL };
  static const char *const export_figure_accels[] = { "<Primary>e", NULL };
  static const char *const copy_figure_accels[] = { "<Primary><Shift>c", NULL };
  static const char *const export_workbook_accels[] = { "<Primary><Shift>e", NULL };
  static const char *const save_analysis_accels[] = { "<Primary>s", NULL };

  G_APPLICATION_CLASS (strata_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), entries, G_N_ELEMENTS (entries),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close",
                                         close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay",
                                         help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.export-figure",
                                         export_figure_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.copy-figure",
                                         copy_figure_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.export-workbook",
                                         export_workbook_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.save-analysis",
                                         save_analysis_accels);
}

static void
strata_application_class_init (StrataApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = strata_application_dispose;
  application_class->startup = strata_application_startup;
  application_class->activate = strata_application_activate;
  application_class->open = strata_application_open;
}

static void
strata_application_init (StrataApplication *self)
{
  /* Before start-up, which looks for gtk/help-overlay.ui and style.css. */
  strata_gui_ensure_resources ();
}

StrataApplication *
strata_application_new (GApplicationFlags flags)
{
  return g_object_new (STRATA_TYPE_APPLICATION,
                       "application-id", STRATA_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | flags,
                       "resource-base-path", "/io/github/stratareview/Strata",
                       NULL);
}

GSettings *
strata_application_get_settings (StrataApplication *self)
{
  g_return_val_if_fail (STRATA_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = strata_application_create_settings ();
  return self->settings;
}

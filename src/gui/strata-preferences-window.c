/* strata-preferences-window.c: the Preferences window. */
#include "strata-preferences-window.h"

#include "strata-gui-resources.h"

struct _StrataPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GtkSwitch *median_switch;
  GtkSwitch *percent_switch;
  GtkSwitch *kmunicate_switch;
};

G_DEFINE_FINAL_TYPE (StrataPreferencesWindow, strata_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
strata_preferences_window_class_init (StrataPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  strata_gui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stratareview/Strata/strata-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StrataPreferencesWindow, median_switch);
  gtk_widget_class_bind_template_child (widget_class, StrataPreferencesWindow, percent_switch);
  gtk_widget_class_bind_template_child (widget_class, StrataPreferencesWindow, kmunicate_switch);
}

static void
strata_preferences_window_init (StrataPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
strata_preferences_window_new (GtkWindow *parent, GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  StrataPreferencesWindow *self = g_object_new (STRATA_TYPE_PREFERENCES_WINDOW,
                                                "transient-for", parent,
                                                "modal", TRUE,
                                                NULL);
  g_settings_bind (settings, "show-median-lines", self->median_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "y-percent", self->percent_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "kmunicate", self->kmunicate_switch, "active", G_SETTINGS_BIND_DEFAULT);
  return GTK_WIDGET (self);
}

/* strata-issue-list.c: a GtkListView of wrapped markup lines in a scrolling card. */
#include "strata-issue-list.h"

#include <math.h>

static void
setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_markup (GTK_LABEL (gtk_list_item_get_child (item)),
                        gtk_string_object_get_string (string));
}

/* Sets SCROLLED's minimum height to its content's, up to its maximum. */
static gboolean
fit_content_cb (gpointer user_data)
{
  GtkScrolledWindow *scrolled = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  int content = (int) ceil (gtk_adjustment_get_upper (adjustment));

  g_object_set_data (G_OBJECT (scrolled), "strata-fit-pending", NULL);
  gtk_scrolled_window_set_min_content_height (scrolled,
                                              MIN (content, gtk_scrolled_window_get_max_content_height (scrolled)));
  return G_SOURCE_REMOVE;
}

/* The content height changes while the list is allocated, where a new size request would
 * wait for some later frame: it is made from an idle callback. */
static void
content_height_changed_cb (GtkAdjustment *adjustment, GParamSpec *pspec, GtkScrolledWindow *scrolled)
{
  if (g_object_get_data (G_OBJECT (scrolled), "strata-fit-pending") != NULL)
    return;
  g_object_set_data (G_OBJECT (scrolled), "strata-fit-pending", GINT_TO_POINTER (1));
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fit_content_cb, g_object_ref (scrolled), g_object_unref);
}

GtkWidget *
strata_issue_list_new (GListModel *model, const char *accessible_label, int max_height)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *view, *scrolled;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  view = gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (model))), factory);
  gtk_list_view_set_show_separators (GTK_LIST_VIEW (view), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label, -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), max_height);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  /* Inside a scrolling page (the import assistant's) every child gets its minimum
   * height, which for a scrolled window is one row: the list asks for its content's
   * height (the adjustment's upper bound, known once its rows are made) up to
   * MAX_HEIGHT as its minimum. */
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                           "notify::upper", G_CALLBACK (content_height_changed_cb), scrolled, 0);
  gtk_widget_add_css_class (scrolled, "card");
  /* The list's background inside the card's rounded corners. */
  gtk_widget_set_overflow (scrolled, GTK_OVERFLOW_HIDDEN);
  return scrolled;
}

/* strata-table-card.c: a result table in a card of its own that scrolls sideways. */
#include "strata-table-card.h"

GtkWidget *
strata_table_card_new (GtkWidget *grid)
{
  g_return_val_if_fail (GTK_IS_WIDGET (grid), NULL);

  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_widget_add_css_class (grid, "strata-table");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), grid);
  gtk_widget_add_css_class (scrolled, "card");
  /* The scrolled table inside the card's rounded corners. */
  gtk_widget_set_overflow (scrolled, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_halign (scrolled, GTK_ALIGN_START);
  return scrolled;
}

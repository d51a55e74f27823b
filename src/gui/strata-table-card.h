/* strata-table-card.h: the card around a result table (survival summary, responses). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GRID (a table of labels) in a card as wide as the table, which scrolls sideways when
 * the table is wider than the space given: the text around it (captions, footnotes)
 * then wraps to the window instead of running off with the table. */
GtkWidget *strata_table_card_new (GtkWidget *grid);

G_END_DECLS

/* strata-issue-list.h: the card that lists rows left out (or not read), one wrapped
 * markup line each (strata_result_text_issue_markup()), shared by the import assistant
 * and the exclusions dialog. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A card listing the Pango markup strings of MODEL (GtkStringObject items; a reference
 * is taken), named ACCESSIBLE_LABEL for screen readers, as tall as its rows up to
 * MAX_HEIGHT pixels, then scrolling. */
GtkWidget *strata_issue_list_new (GListModel *model, const char *accessible_label,
                                  int max_height);

G_END_DECLS

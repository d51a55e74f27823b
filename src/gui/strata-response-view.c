/* strata-response-view.c: a response table as a GtkGrid. */
#include "strata-response-view.h"

#include <glib/gi18n.h>

#include <string.h>

#include "strata-group-label.h"
#include "strata-result-text.h"
#include "strata-table-card.h"

struct _StrataResponseView
{
  AdwBin parent_instance;

  StrataResult *result;
  StrataResult *colours;
  guint index;
  char *burden_column;
  GtkWidget *footer;
  GtkWidget *empty_note;     /* NULL when every group has patients */
  GPtrArray *row_groups;     /* char*: the group shown in each row */
};

G_DEFINE_FINAL_TYPE (StrataResponseView, strata_response_view, ADW_TYPE_BIN)

static void
strata_response_view_finalize (GObject *object)
{
  StrataResponseView *self = STRATA_RESPONSE_VIEW (object);

  g_clear_pointer (&self->result, strata_result_unref);
  g_clear_pointer (&self->colours, strata_result_unref);
  g_free (self->burden_column);
  g_clear_pointer (&self->row_groups, g_ptr_array_unref);

  G_OBJECT_CLASS (strata_response_view_parent_class)->finalize (object);
}

static void
strata_response_view_class_init (StrataResponseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = strata_response_view_finalize;
  gtk_widget_class_set_css_name (widget_class, "strata-response-view");
}

static void
strata_response_view_init (StrataResponseView *self)
{
  self->row_groups = g_ptr_array_new_with_free_func (g_free);
}

static GtkWidget *
cell (const char *text, gboolean numeric, gboolean header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_focusable (label, FALSE);
  if (header)
    {
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
    }
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static guint
colour_index (StrataResponseView *self, const char *group, guint fallback)
{
  for (guint g = 0; self->colours != NULL && g < self->colours->groups->len; g++)
    if (g_strcmp0 (((StrataGroupResult *) g_ptr_array_index (self->colours->groups, g))->label, group) == 0)
      return g;
  return fallback;
}

static char *
title_text (const StrataResponseTable *table)
{
  g_autofree char *lower = g_ascii_strdown (table->column, -1);

  if (strstr (lower, "mrd") != NULL)
    return g_strdup_printf (_("MRD %s by group"), table->success ? table->success : "");
  if (strstr (lower, "emd") != NULL)
    return g_strdup_printf (_("Extramedullary response: %s by group"), table->success ? table->success : "");
  return g_strdup_printf (_("%s: %s by group"), table->column, table->success ? table->success : "");
}

static char *
caption_text (const StrataResult *result, const StrataResponseTable *table)
{
  g_autoptr (GString) text = g_string_new (NULL);

  g_string_append_printf (text, _("Patients with a value of %s"), table->column);
  for (guint i = 0; i < result->where->len; i++)
    g_string_append_printf (text, i == 0 ? _(", where %s") : _(" and %s"),
                            (const char *) g_ptr_array_index (result->where, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
build (StrataResponseView *self)
{
  const StrataResponseTable *table = g_ptr_array_index (self->result->responses, self->index);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *grid = gtk_grid_new ();
  g_autofree char *title = title_text (table);
  g_autofree char *caption = caption_text (self->result, table);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *caption_label = gtk_label_new (caption);

  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_widget_add_css_class (title_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (caption_label), 0);
  gtk_label_set_wrap (GTK_LABEL (caption_label), TRUE);
  gtk_widget_add_css_class (caption_label, "dim-label");
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);

  guint column = 0, n_levels = table->levels->len;
  g_autofree char *share = NULL;
  {
    g_autofree char *level = strata_result_text_localize (g_strdup_printf ("%g", self->result->conf_level * 100.0));
    /* Translators: a response (e.g. "CR") and the confidence level, e.g. "CR (95 % CI)". */
    share = g_strdup_printf (_("%s (%s %% CI)"), table->success ? table->success : "", level);
  }
  gtk_grid_attach (GTK_GRID (grid), cell (_("Group"), FALSE, TRUE), (int) column++, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), cell (C_("number of patients", "n"), TRUE, TRUE), (int) column++, 0, 1, 1);
  for (guint l = 0; l < n_levels; l++)
    gtk_grid_attach (GTK_GRID (grid), cell (g_ptr_array_index (table->levels, l), TRUE, TRUE),
                     (int) column++, 0, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), cell (share, TRUE, TRUE), (int) column++, 0, 1, 1);

  g_autoptr (GPtrArray) empty = g_ptr_array_new_with_free_func (g_free);
  guint shown = 0;
  g_ptr_array_set_size (self->row_groups, 0);
  self->empty_note = NULL;
  for (guint r = 0; r < table->rows->len; r++)
    {
      const StrataResponseRow *row = g_ptr_array_index (table->rows, r);
      g_autofree char *name = strata_group_label_display (self->result->by, self->burden_column, row->group);
      GtkWidget *group, *swatch;
      g_autofree char *markup = NULL;
      char number[32];

      /* A group with no patient in this table has nothing to show (0/0, no interval). */
      if (row->n == 0)
        {
          g_ptr_array_add (empty, g_steal_pointer (&name));
          continue;
        }
      group = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      swatch = gtk_label_new (NULL);
      markup = strata_result_text_swatch (colour_index (self, row->group, r), dark);
      g_ptr_array_add (self->row_groups, g_strdup (name));

      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      gtk_accessible_update_property (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Line colour in the plot"), -1);
      gtk_box_append (GTK_BOX (group), swatch);
      gtk_box_append (GTK_BOX (group), cell (name, FALSE, FALSE));
      column = 0;
      shown++;
      gtk_grid_attach (GTK_GRID (grid), group, (int) column++, (int) shown, 1, 1);
      g_snprintf (number, sizeof number, "%u", row->n);
      gtk_grid_attach (GTK_GRID (grid), cell (number, TRUE, FALSE), (int) column++, (int) shown, 1, 1);
      for (guint l = 0; l < n_levels; l++)
        {
          g_snprintf (number, sizeof number, "%u", row->counts[l]);
          gtk_grid_attach (GTK_GRID (grid), cell (number, TRUE, FALSE), (int) column++, (int) shown, 1, 1);
        }
      g_autofree char *p = strata_result_text_percent_ci (row->p_hat, row->cp_lower, row->cp_upper);
      gtk_grid_attach (GTK_GRID (grid), cell (p, TRUE, FALSE), (int) column++, (int) shown, 1, 1);
    }
  if (empty->len > 0)
    {
      g_autoptr (GString) groups = g_string_new (NULL);
      for (guint i = 0; i < empty->len; i++)
        /* Translators: separates the names of groups in a list. */
        g_string_append_printf (groups, "%s%s", i > 0 ? _(", ") : "", (const char *) g_ptr_array_index (empty, i));
      g_autofree char *note = g_strdup_printf (ngettext ("No patient of this group has a value of %2$s: %1$s",
                                                         "No patient of these groups has a value of %2$s: %1$s",
                                                         empty->len),
                                               groups->str, table->column);
      self->empty_note = gtk_label_new (note);
      gtk_label_set_xalign (GTK_LABEL (self->empty_note), 0);
      gtk_label_set_wrap (GTK_LABEL (self->empty_note), TRUE);
      gtk_widget_add_css_class (self->empty_note, "dim-label");
    }

  /* A test needs two groups with evaluable patients. */
  guint evaluable_groups = 0;
  for (guint r = 0; r < table->rows->len; r++)
    evaluable_groups += ((const StrataResponseRow *) g_ptr_array_index (table->rows, r))->n > 0;
  g_autofree char *fisher = strata_result_text_p (table->fisher_p);
  g_autofree char *footer = evaluable_groups > 1
                            ? g_strdup_printf (_("Fisher's exact test %s · exact (Clopper–Pearson) CI"), fisher)
                            : g_strdup (_("Exact (Clopper–Pearson) CI"));
  self->footer = gtk_label_new (footer);
  gtk_label_set_xalign (GTK_LABEL (self->footer), 0);
  gtk_label_set_selectable (GTK_LABEL (self->footer), TRUE);
  gtk_widget_add_css_class (self->footer, "dim-label");

  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), caption_label);
  gtk_box_append (GTK_BOX (box), strata_table_card_new (grid));
  if (self->empty_note != NULL)
    gtk_box_append (GTK_BOX (box), self->empty_note);
  gtk_box_append (GTK_BOX (box), self->footer);
  adw_bin_set_child (ADW_BIN (self), box);
}

GtkWidget *
strata_response_view_new (StrataResult *result, guint index, StrataResult *colours,
                          const char *burden_column)
{
  g_return_val_if_fail (result != NULL && index < result->responses->len, NULL);

  StrataResponseView *self = g_object_new (STRATA_TYPE_RESPONSE_VIEW, NULL);
  self->result = strata_result_ref (result);
  self->colours = colours ? strata_result_ref (colours) : NULL;
  self->index = index;
  self->burden_column = g_strdup (burden_column);
  build (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (build), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (self);
}

const StrataResponseTable *
strata_response_view_get_table (StrataResponseView *self)
{
  g_return_val_if_fail (STRATA_IS_RESPONSE_VIEW (self), NULL);

  return g_ptr_array_index (self->result->responses, self->index);
}

const char *
strata_response_view_get_footer (StrataResponseView *self)
{
  g_return_val_if_fail (STRATA_IS_RESPONSE_VIEW (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->footer));
}

guint
strata_response_view_get_n_rows (StrataResponseView *self)
{
  g_return_val_if_fail (STRATA_IS_RESPONSE_VIEW (self), 0);

  return self->row_groups->len;
}

const char *
strata_response_view_get_row_group (StrataResponseView *self, guint row)
{
  g_return_val_if_fail (STRATA_IS_RESPONSE_VIEW (self), NULL);

  return row < self->row_groups->len ? g_ptr_array_index (self->row_groups, row) : NULL;
}

const char *
strata_response_view_get_empty_note (StrataResponseView *self)
{
  g_return_val_if_fail (STRATA_IS_RESPONSE_VIEW (self), NULL);

  return self->empty_note != NULL ? gtk_label_get_text (GTK_LABEL (self->empty_note)) : NULL;
}

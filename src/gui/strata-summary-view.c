/* strata-summary-view.c: the survival summary table, a GtkGrid rebuilt per result. */
#include "strata-summary-view.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "strata-group-label.h"
#include "strata-result-text.h"
#include "strata-table-card.h"

struct _StrataSummaryView
{
  AdwBin parent_instance;

  GtkWidget *title;
  GtkWidget *grid;
  GtkWidget *footer;
  StrataResult *result;
  char *time_unit;
  char *burden_column;
};

G_DEFINE_FINAL_TYPE (StrataSummaryView, strata_summary_view, ADW_TYPE_BIN)

static void
strata_summary_view_finalize (GObject *object)
{
  StrataSummaryView *self = STRATA_SUMMARY_VIEW (object);

  g_clear_pointer (&self->result, strata_result_unref);
  g_free (self->time_unit);
  g_free (self->burden_column);

  G_OBJECT_CLASS (strata_summary_view_parent_class)->finalize (object);
}

static void
strata_summary_view_class_init (StrataSummaryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = strata_summary_view_finalize;
  gtk_widget_class_set_css_name (widget_class, "strata-summary-view");
}

static void rebuild (StrataSummaryView *self);

static void
strata_summary_view_init (StrataSummaryView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  self->title = gtk_label_new (_("Survival by group"));
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_widget_add_css_class (self->title, "heading");
  self->grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 6);
  self->footer = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->footer), 0);
  gtk_label_set_wrap (GTK_LABEL (self->footer), TRUE);
  gtk_label_set_selectable (GTK_LABEL (self->footer), TRUE);
  gtk_widget_add_css_class (self->footer, "dim-label");
  gtk_box_append (GTK_BOX (box), self->title);
  gtk_box_append (GTK_BOX (box), strata_table_card_new (self->grid));
  gtk_box_append (GTK_BOX (box), self->footer);
  adw_bin_set_child (ADW_BIN (self), box);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);
}

/* Puts the closing parenthesised part of HEADER, such as the interval of "Median, months
 * (95 % CI)", on a second line (in place): a header then needs no more width than the
 * numbers under it. */
static void
break_before_interval (char *header)
{
  char *open = strrchr (header, '(');

  if (open != NULL && open > header && open[-1] == ' ' && strchr (open, ')') != NULL)
    open[-1] = '\n';
}

static void
add_cell (StrataSummaryView *self, guint column, guint row, const char *text, gboolean numeric)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_focusable (label, FALSE);
  if (row == 0)
    {
      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_justify (GTK_LABEL (label), numeric ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
      gtk_widget_set_valign (label, GTK_ALIGN_END);
    }
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (GTK_GRID (self->grid), label, (int) column, (int) row, 1, 1);
}

static void
add_group_cell (StrataSummaryView *self, guint row, guint index, const char *label)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *swatch = gtk_label_new (NULL);
  g_autofree char *shown = strata_group_label_display (self->result->by, self->burden_column, label);
  GtkWidget *text = gtk_label_new (shown);
  g_autofree char *markup = strata_result_text_swatch (index,
                                                       adw_style_manager_get_dark (adw_style_manager_get_default ()));

  gtk_label_set_markup (GTK_LABEL (swatch), markup);
  gtk_accessible_update_property (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Line colour in the plot"), -1);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_set_focusable (text, FALSE);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), text);
  gtk_grid_attach (GTK_GRID (self->grid), box, 0, (int) row, 1, 1);
}

/* The hazard ratio of group G against the reference, from the Efron Cox model. */
static char *
hazard_ratio_text (const StrataResult *result, guint g)
{
  const StrataCoxFit *cox = result->cox_efron;
  const StrataGroupResult *group = g_ptr_array_index (result->groups, g);

  if (g_strcmp0 (group->label, result->reference_level) == 0)
    return g_strdup (_("1 (reference)"));
  for (guint i = 0; cox != NULL && i < cox->n_coef; i++)
    if (cox->coef_group[i] == g)
      {
        /* Monotone likelihood: the estimate diverges (R warns); no number to show. */
        if (cox->coef_infinite != NULL && cox->coef_infinite[i])
          return g_strdup (_("not estimable"));
        return strata_result_text_ratio_ci (cox->hr[i], cox->hr_lower[i], cox->hr_upper[i]);
      }
  return g_strdup ("NA");
}

static char *
footer_text (const StrataResult *result)
{
  g_autoptr (GString) text = g_string_new (NULL);

  if (result->logrank != NULL)
    {
      g_autofree char *p = strata_result_text_p (result->logrank->p);
      {
        g_autofree char *chisq = strata_result_text_localize (g_strdup_printf ("%.2f", result->logrank->chisq));
        g_string_append_printf (text, ngettext ("Log-rank %s (χ² = %s, %u df)", "Log-rank %s (χ² = %s, %u df)",
                                                result->logrank->df),
                                p, chisq, result->logrank->df);
      }
    }
  if (result->has_trend)
    {
      g_autofree char *p = strata_result_text_p (result->trend.p);
      if (text->len)
        g_string_append_printf (text, _(" · trend over the group order %s"), p);
      else
        g_string_append_printf (text, _("Test for trend over the group order %s"), p);
    }
  /* Tests on the first line, methods on the second. */
  {
    g_autofree char *ci = strata_result_text_localize (g_strdup_printf (_("%g %% CI, %s"), result->conf_level * 100.0,
                                                                        strata_conf_type_to_string (result->conf_type)));
    g_string_append_printf (text, "%s%s", text->len ? "\n" : "", ci);
  }
  if (result->cox_efron != NULL)
    g_string_append (text, _(" · HR from a Cox model, Efron ties"));
  g_string_append (text, _(" · NR = not reached"));
  for (guint i = 0; i < result->warnings->len; i++)
    g_string_append_printf (text, "\n%s", (const char *) g_ptr_array_index (result->warnings, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
rebuild (StrataSummaryView *self)
{
  GtkWidget *child;
  const StrataResult *result = self->result;

  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  gtk_widget_set_visible (GTK_WIDGET (self), result != NULL);
  if (result == NULL)
    return;

  guint column = 0;
  gboolean hr = result->cox_efron != NULL;
  add_cell (self, column++, 0, _("Group"), FALSE);
  add_cell (self, column++, 0, C_("number of patients", "n"), TRUE);
  add_cell (self, column++, 0, _("Events"), TRUE);
  g_autofree char *median_header = strata_result_text_localize (self->time_unit
                                                    ? g_strdup_printf (_("Median, %s (%g %% CI)"), self->time_unit,
                                                                       result->conf_level * 100.0)
                                                    : g_strdup_printf (_("Median (%g %% CI)"),
                                                                       result->conf_level * 100.0));
  break_before_interval (median_header);
  add_cell (self, column++, 0, median_header, TRUE);
  for (guint k = 0; k < result->landmark_times->len; k++)
    {
      double t = g_array_index (result->landmark_times, double, k);
      g_autofree char *header = strata_result_text_localize (self->time_unit
                                                 ? g_strdup_printf (_("At %g %s"), t, self->time_unit)
                                                 : g_strdup_printf (_("At %g"), t));
      add_cell (self, column++, 0, header, TRUE);
    }
  if (hr)
    {
      g_autofree char *hr_header = strata_result_text_localize (g_strdup_printf (_("Hazard ratio (%g %% CI)"), result->conf_level * 100.0));
      break_before_interval (hr_header);
      add_cell (self, column++, 0, hr_header, TRUE);
    }

  for (guint g = 0; g < result->groups->len; g++)
    {
      const StrataGroupResult *group = g_ptr_array_index (result->groups, g);
      guint row = g + 1;
      char number[32];

      column = 0;
      add_group_cell (self, row, g, group->label);
      column++;
      g_snprintf (number, sizeof number, "%u", group->n);
      add_cell (self, column++, row, number, TRUE);
      g_snprintf (number, sizeof number, "%u", group->events);
      add_cell (self, column++, row, number, TRUE);
      g_autofree char *median = strata_result_text_median (group->median, group->median_lower,
                                                           group->median_upper);
      add_cell (self, column++, row, median, TRUE);
      for (guint k = 0; k < result->landmark_times->len; k++)
        {
          const StrataKmLandmarks *lm = group->landmarks;
          g_autofree char *text = lm != NULL && k < lm->len
                                  ? strata_result_text_percent_ci (lm->surv[k], lm->lower[k], lm->upper[k])
                                  : g_strdup ("NA");
          add_cell (self, column++, row, text, TRUE);
        }
      if (hr)
        {
          g_autofree char *text = hazard_ratio_text (result, g);
          add_cell (self, column++, row, text, TRUE);
        }
    }

  g_autofree char *footer = footer_text (result);
  gtk_label_set_text (GTK_LABEL (self->footer), footer);
}

GtkWidget *
strata_summary_view_new (void)
{
  return g_object_new (STRATA_TYPE_SUMMARY_VIEW, NULL);
}

void
strata_summary_view_set_result (StrataSummaryView *self, StrataResult *result,
                                const char *time_unit, const char *burden_column)
{
  g_return_if_fail (STRATA_IS_SUMMARY_VIEW (self));

  if (result != self->result)
    {
      g_clear_pointer (&self->result, strata_result_unref);
      self->result = result ? strata_result_ref (result) : NULL;
    }
  g_free (self->time_unit);
  self->time_unit = g_strdup (time_unit);
  g_free (self->burden_column);
  self->burden_column = g_strdup (burden_column);
  rebuild (self);
}

StrataResult *
strata_summary_view_get_result (StrataSummaryView *self)
{
  g_return_val_if_fail (STRATA_IS_SUMMARY_VIEW (self), NULL);

  return self->result;
}

const char *
strata_summary_view_get_cell (StrataSummaryView *self, guint row, guint column)
{
  g_return_val_if_fail (STRATA_IS_SUMMARY_VIEW (self), NULL);

  GtkWidget *cell = gtk_grid_get_child_at (GTK_GRID (self->grid), (int) column, (int) row);
  if (cell == NULL)
    return NULL;
  if (GTK_IS_BOX (cell))
    cell = gtk_widget_get_last_child (cell);
  return GTK_IS_LABEL (cell) ? gtk_label_get_text (GTK_LABEL (cell)) : NULL;
}

const char *
strata_summary_view_get_footer (StrataSummaryView *self)
{
  g_return_val_if_fail (STRATA_IS_SUMMARY_VIEW (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->footer));
}

/* strata-group-label.c: readable group names for the window (see the header). */
#include "strata-group-label.h"

#include <glib/gi18n.h>
#include <string.h>

#include "strata-result-text.h"
#include "strata-spec.h"

/* The core joins the levels of a crossed grouping with this (combo_label()). */
#define CORE_PART_SEPARATOR ", "

/* The readable name of PART when it is a level of a burden cut in BY, else NULL. */
static char *
burden_part (const GPtrArray *by, const char *burden_column, const char *part)
{
  for (guint d = 0; d < by->len; d++)
    {
      g_autoptr (StrataSpec) spec = strata_spec_new ();
      const StrataGrouping *grouping;

      if (!strata_spec_add_by (spec, g_ptr_array_index (by, d), NULL))
        continue;
      grouping = g_ptr_array_index (spec->by, 0);
      if (!grouping->cut || g_strcmp0 (grouping->column, burden_column) != 0)
        continue;

      g_autofree char *high = g_strdup_printf ("%s>=%s", grouping->column, grouping->threshold_text);
      g_autofree char *low = g_strdup_printf ("%s<%s", grouping->column, grouping->threshold_text);
      gboolean is_high = strcmp (part, high) == 0;
      if (!is_high && strcmp (part, low) != 0)
        continue;
      g_autofree char *threshold = strata_result_text_localize (g_strdup (grouping->threshold_text));
      /* Translators: a marrow burden group; %s is the threshold, e.g. "5" (percent of
       * blasts in the marrow). */
      return g_strdup_printf (is_high ? _("High burden (≥ %s %% blasts)")
                                      : _("Low burden (< %s %% blasts)"), threshold);
    }
  return NULL;
}

char *
strata_group_label_display (const GPtrArray *by, const char *burden_column, const char *label)
{
  g_autoptr (GString) shown = NULL;
  g_auto (GStrv) parts = NULL;
  gboolean renamed = FALSE;

  if (label == NULL || *label == '\0' || by == NULL || burden_column == NULL)
    return g_strdup (strata_result_text_group_label (label));

  /* One part per grouping; a level holding the separator itself is left alone. */
  parts = by->len > 1 ? g_strsplit (label, CORE_PART_SEPARATOR, -1) : g_strdupv ((char *[]) { (char *) label, NULL });
  if (g_strv_length (parts) != MAX (by->len, 1))
    return g_strdup (label);
  shown = g_string_new (NULL);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *burden = burden_part (by, burden_column, parts[i]);
      renamed |= burden != NULL;
      /* Translators: joins the parts of a crossed group, e.g. "CNS · High burden". */
      g_string_append_printf (shown, "%s%s", i > 0 ? _(" · ") : "", burden ? burden : parts[i]);
    }
  return renamed ? g_string_free (g_steal_pointer (&shown), FALSE) : g_strdup (label);
}

GStrv
strata_group_label_display_all (const StrataResult *result, const char *burden_column)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (result != NULL, NULL);

  for (guint g = 0; g < result->groups->len; g++)
    {
      const StrataGroupResult *group = g_ptr_array_index (result->groups, g);
      g_autofree char *shown = strata_group_label_display (result->by, burden_column, group->label);
      g_strv_builder_add (builder, shown);
    }
  return g_strv_builder_end (builder);
}

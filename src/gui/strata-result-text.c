/* strata-result-text.c: numbers of a result as the GTK views write them. */
#include "strata-result-text.h"

#include <math.h>
#include "strata-km-plot.h"
#include "strata-plot-style.h"

char *
strata_result_text_time (double time)
{
  if (isnan (time))
    return g_strdup ("NR");
  return g_strdup_printf ("%.1f", time);
}

char *
strata_result_text_median (double median, double lower, double upper)
{
  g_autofree char *m = strata_result_text_time (median);
  g_autofree char *lo = strata_result_text_time (lower);
  g_autofree char *hi = strata_result_text_time (upper);

  return g_strdup_printf ("%s (%s–%s)", m, lo, hi);
}

static char *
percent (double value)
{
  if (isnan (value))
    return g_strdup ("NA");
  return g_strdup_printf ("%.1f", 100.0 * value);
}

char *
strata_result_text_percent_ci (double value, double lower, double upper)
{
  g_autofree char *v = percent (value);
  g_autofree char *lo = percent (lower);
  g_autofree char *hi = percent (upper);

  if (isnan (value))
    return g_strdup ("NA");
  return g_strdup_printf ("%s %% (%s–%s)", v, lo, hi);
}

static char *
ratio (double value)
{
  if (isnan (value))
    return g_strdup ("NA");
  if (isinf (value))
    return g_strdup ("∞");
  return g_strdup_printf ("%.2f", value);
}

char *
strata_result_text_ratio_ci (double value, double lower, double upper)
{
  g_autofree char *v = ratio (value);
  g_autofree char *lo = ratio (lower);
  g_autofree char *hi = ratio (upper);

  if (isnan (value))
    return g_strdup ("NA");
  return g_strdup_printf ("%s (%s–%s)", v, lo, hi);
}

char *
strata_result_text_p (double p)
{
  char *text = strata_km_plot_format_p (p);
  return text != NULL ? text : g_strdup ("p = NA");
}

char *
strata_result_text_swatch (guint index, gboolean dark)
{
  g_autoptr (StrataPlotStyle) style = strata_plot_style_new ();
  StrataPlotColor color;

  style->dark = dark;
  color = strata_plot_style_group_color (style, index);
  return g_strdup_printf ("<span foreground='#%02x%02x%02x' weight='heavy'>━━</span>",
                          (int) lround (color.red * 255), (int) lround (color.green * 255),
                          (int) lround (color.blue * 255));
}

const char *
strata_result_text_group_label (const char *label)
{
  return label != NULL && *label != '\0' ? label : "All patients";
}

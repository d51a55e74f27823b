/* strata-plot-style.c: figure style defaults, the Okabe–Ito and greyscale palettes,
 * and the light and dark colour schemes. */
#include "config.h"

#include "strata-plot-style.h"

#include <glib/gi18n-lib.h>

#define N_PALETTE 6

/* Okabe, M. & Ito, K. (2008) Color Universal Design, https://jfly.uni-koeln.de/color/.
 * Light: blue, vermillion, bluish green, reddish purple, orange, sky blue. Dark swaps in
 * the lighter members of the set (sky blue, orange, yellow) for contrast on grey 12 %. */
static const guint32 okabe_ito_light[N_PALETTE] = {
  0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9,
};
static const guint32 okabe_ito_dark[N_PALETTE] = {
  0x56B4E9, 0xE69F00, 0x009E73, 0xCC79A7, 0xF0E442, 0xD55E00,
};

/* Greyscale: a strong and a mid grey, combined with dash patterns. */
static const gboolean grey_mid[N_PALETTE] = { FALSE, FALSE, TRUE, FALSE, TRUE, FALSE };
static const guint grey_dash[N_PALETTE] = { 0, 1, 0, 2, 1, 3 };

/* Dash patterns in points: solid, dashed, dotted, dash-dot. */
static const double dash_patterns[4][4] = {
  { 0, 0, 0, 0 }, { 5.0, 2.5, 0, 0 }, { 1.2, 1.8, 0, 0 }, { 5.0, 2.0, 1.2, 2.0 },
};
static const guint dash_lengths[4] = { 0, 2, 2, 4 };

G_DEFINE_BOXED_TYPE (StrataPlotStyle, strata_plot_style,
                     strata_plot_style_copy, strata_plot_style_free)

StrataPlotStyle *
strata_plot_style_new (void)
{
  StrataPlotStyle *style = g_new0 (StrataPlotStyle, 1);

  style->width = 504.0;
  style->height = 432.0;
  style->font_family = g_strdup ("Helvetica, Arial, Liberation Sans, DejaVu Sans, Sans");
  style->font_size = 9.0;
  style->palette = STRATA_PALETTE_OKABE_ITO;
  style->paint_background = TRUE;
  style->show_ci = TRUE;
  style->show_censor_marks = TRUE;
  style->show_risk_table = TRUE;
  style->show_pvalue = TRUE;
  style->y_percent = TRUE;
  /* The default axis labels, in the language the front end chose (strata-km-plot.c). */
  /* Translators: the default label of the Kaplan–Meier figure's time axis. */
  style->x_label = g_strdup (_("Time"));
  /* Translators: the default label of the Kaplan–Meier figure's y axis. */
  style->y_label = g_strdup (_("Survival probability"));
  return style;
}

StrataPlotStyle *
strata_plot_style_copy (const StrataPlotStyle *style)
{
  StrataPlotStyle *copy = g_memdup2 (style, sizeof *style);

  copy->font_family = g_strdup (style->font_family);
  copy->x_label = g_strdup (style->x_label);
  copy->y_label = g_strdup (style->y_label);
  copy->title = g_strdup (style->title);
  copy->group_labels = g_strdupv (style->group_labels);
  return copy;
}

void
strata_plot_style_free (StrataPlotStyle *style)
{
  if (style == NULL)
    return;
  g_free (style->font_family);
  g_free (style->x_label);
  g_free (style->y_label);
  g_free (style->title);
  g_strfreev (style->group_labels);
  g_free (style);
}

void
strata_plot_style_set_font_family (StrataPlotStyle *style, const char *family)
{
  g_free (style->font_family);
  style->font_family = g_strdup (family);
}

void
strata_plot_style_set_x_label (StrataPlotStyle *style, const char *text)
{
  g_free (style->x_label);
  style->x_label = g_strdup (text);
}

void
strata_plot_style_set_y_label (StrataPlotStyle *style, const char *text)
{
  g_free (style->y_label);
  style->y_label = g_strdup (text);
}

void
strata_plot_style_set_title (StrataPlotStyle *style, const char *text)
{
  g_free (style->title);
  style->title = g_strdup (text);
}

void
strata_plot_style_set_group_labels (StrataPlotStyle *style, const char *const *labels)
{
  g_strfreev (style->group_labels);
  style->group_labels = g_strdupv ((char **) labels);
}

static StrataPlotColor
grey (double level, double alpha)
{
  return (StrataPlotColor) { level, level, level, alpha };
}

static StrataPlotColor
from_rgb (guint32 rgb)
{
  return (StrataPlotColor) { ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                             (rgb & 0xff) / 255.0, 1.0 };
}

/* Dark: libadwaita's view background (#1e1e1e) under near-white text. */
StrataPlotColor
strata_plot_style_background (const StrataPlotStyle *style)
{
  return style->dark ? grey (30 / 255.0, 1.0) : grey (1.0, 1.0);
}

StrataPlotColor
strata_plot_style_foreground (const StrataPlotStyle *style)
{
  if (style->high_contrast)
    return style->dark ? grey (1.0, 1.0) : grey (0.0, 1.0);
  return style->dark ? grey (0.93, 1.0) : grey (0.08, 1.0);
}

StrataPlotColor
strata_plot_style_secondary (const StrataPlotStyle *style)
{
  if (style->high_contrast)
    return strata_plot_style_foreground (style);
  return style->dark ? grey (0.70, 1.0) : grey (0.36, 1.0);
}

StrataPlotColor
strata_plot_style_group_color (const StrataPlotStyle *style, guint index)
{
  guint slot = index % N_PALETTE;

  if (style->palette == STRATA_PALETTE_GREYSCALE)
    {
      if (style->dark)
        return grey (grey_mid[slot] ? 0.62 : 0.95, 1.0);
      return grey (grey_mid[slot] ? 0.55 : 0.0, 1.0);
    }
  return from_rgb (style->dark ? okabe_ito_dark[slot] : okabe_ito_light[slot]);
}

guint
strata_plot_style_group_dash (const StrataPlotStyle *style, guint index, double *dashes)
{
  guint pattern;

  if (style->palette == STRATA_PALETTE_GREYSCALE)
    pattern = (grey_dash[index % N_PALETTE] + index / N_PALETTE) % 4;
  else
    pattern = (index / N_PALETTE) % 4;
  for (guint i = 0; i < dash_lengths[pattern]; i++)
    dashes[i] = dash_patterns[pattern][i];
  return dash_lengths[pattern];
}

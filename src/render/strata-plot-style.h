/* strata-plot-style.h: how a figure looks (size, fonts, palette, light or dark, which
 * layers are drawn, axis labels), shared by the on-screen view and every export. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  STRATA_PALETTE_OKABE_ITO,   /* colour-blind safe hues (Okabe & Ito 2008) */
  STRATA_PALETTE_GREYSCALE,   /* grey levels told apart by dash patterns */
} StrataPalette;

typedef struct {
  double red, green, blue, alpha;
} StrataPlotColor;

typedef struct {
  double width, height;        /* figure size in points (user units of the cairo_t) */
  char *font_family;           /* a Pango family list, e.g. "Helvetica, Arial, Sans" */
  double font_size;            /* base size in points; other text is scaled from it */
  StrataPalette palette;
  gboolean dark;               /* light text and lines on a dark background */
  gboolean high_contrast;      /* the desktop's high-contrast style: all text, axes and
                                * secondary marks in full black (white when dark), bands
                                * 1.6 times as opaque */
  gboolean paint_background;   /* FALSE leaves the surface transparent */
  gboolean show_ci;            /* translucent confidence bands */
  gboolean opaque_bands;       /* bands in the opaque colour they show over the background
                                * (for targets without alpha, such as PostScript: no
                                * bitmap fallback), widest first: where bands overlap,
                                * the narrower covers the wider instead of blending */
  gboolean show_censor_marks;  /* small vertical ticks at censoring times */
  gboolean show_risk_table;    /* numbers at risk under the x ticks */
  gboolean kmunicate;          /* at risk, events and censored (Morris et al. 2019) */
  gboolean show_median_lines;  /* dashed drop lines at the median survival */
  gboolean show_pvalue;        /* log-rank p inside the panel (2 or more groups) */
  gboolean y_percent;          /* y axis 0–100 % rather than 0–1 */
  double x_max;                /* right end of the time axis; 0 = automatic */
  double x_step;               /* tick step on the time axis; 0 = automatic */
  char *x_label;               /* e.g. "Months since infusion" */
  char *y_label;               /* e.g. "Overall survival" */
  char *title;                 /* NULL or "" = none */
  GStrv group_labels;          /* NULL, or the label shown for each group of the result in
                                * order (legend, risk table) instead of the result's own */
} StrataPlotStyle;

GType strata_plot_style_get_type (void) G_GNUC_CONST;
#define STRATA_TYPE_PLOT_STYLE (strata_plot_style_get_type ())

/* A new style with journal defaults: 504 x 432 pt (a double column), 9 pt sans,
 * Okabe–Ito, light, confidence bands, censor marks and the risk table on.
 * Free with strata_plot_style_free(). */
StrataPlotStyle *strata_plot_style_new (void);
/* A deep copy of STYLE. */
StrataPlotStyle *strata_plot_style_copy (const StrataPlotStyle *style);
void strata_plot_style_free (StrataPlotStyle *style);

/* Setters for the owned strings; each copies TEXT (NULL allowed). */
void strata_plot_style_set_font_family (StrataPlotStyle *style, const char *family);
void strata_plot_style_set_x_label (StrataPlotStyle *style, const char *text);
void strata_plot_style_set_y_label (StrataPlotStyle *style, const char *text);
void strata_plot_style_set_title (StrataPlotStyle *style, const char *text);
/* Copies LABELS (NULL-terminated; NULL: the result's labels). */
void strata_plot_style_set_group_labels (StrataPlotStyle *style, const char *const *labels);

/* The background, the text and axis colour, and a dimmer colour for secondary text (the
 * text colour itself with high_contrast). */
StrataPlotColor strata_plot_style_background (const StrataPlotStyle *style);
StrataPlotColor strata_plot_style_foreground (const StrataPlotStyle *style);
StrataPlotColor strata_plot_style_secondary (const StrataPlotStyle *style);

/* The line colour of group INDEX (0-based); colours repeat after six groups. */
StrataPlotColor strata_plot_style_group_color (const StrataPlotStyle *style, guint index);
/* The dash pattern of group INDEX in points: returns the number of entries written to
 * DASHES (0 = solid); DASHES must hold 4 values. Okabe–Ito is solid for the first six
 * groups and dashed after; greyscale varies the pattern from the second group on. */
guint strata_plot_style_group_dash (const StrataPlotStyle *style, guint index, double *dashes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StrataPlotStyle, strata_plot_style_free)

G_END_DECLS

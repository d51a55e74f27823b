/* strata-km-plot.c: the Kaplan–Meier figure. The layout is computed first (text is
 * measured with Pango on the target cairo_t), top down: title, legend, panel; bottom
 * up: risk table, x-axis label, tick labels. The panel takes what is left. Drawing then
 * follows the layout, back to front: background, median lines, bands, curves, censor
 * marks, axes, p-value, legend, table. */
#include "config.h"

#include "strata-km-plot.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "strata-km-curve.h"
#include "strata-plot-text.h"

/* Text sizes, relative to the style's base size. */
#define SCALE_TICK 0.9
#define SCALE_TABLE 0.9
#define SCALE_TITLE 1.2

/* Lengths in ems of the base size. */
#define EM_MARGIN 0.8
#define EM_GAP 0.6
#define EM_TICK 0.45
#define EM_AXIS_OFFSET 0.45
#define EM_LEGEND_SWATCH 2.2
#define EM_TABLE_SWATCH 1.8
#define EM_COLUMN_GAP 1.6

/* Tables whose group labels would take more than this share of the width show only
 * the groups' line swatches, which the legend names. */
#define SIDE_LABEL_SHARE 0.3

typedef struct {
  char *label;          /* markup, escaped */
  char *legend;         /* markup: label and counts */
  double legend_height;
  guint at_risk[STRATA_KM_PLOT_MAX_TICKS];
  guint events[STRATA_KM_PLOT_MAX_TICKS];
  guint censored[STRATA_KM_PLOT_MAX_TICKS];
} GroupText;

typedef struct {
  StrataKmPlotLayout pub;
  const StrataResult *result;
  const StrataPlotStyle *style;
  cairo_t *cr;
  StrataPlotText *text;
  GroupText *groups;
  guint n_groups;
  double em, margin, gap, tick_len, axis_offset;
  double title_height, xtick_height, xlabel_height, ylabel_width, ytick_width;
  double num_width, side_width, row_height;
  gboolean swatch_only;   /* table rows marked by a swatch without the label */
  guint decimals;
  double times[STRATA_KM_PLOT_MAX_TICKS];
  guint legend_columns;
  double legend_column_width;
} Frame;

/* The figure's own words are translated in the application's domain (GETTEXT_PACKAGE):
 * the front end decides the language. The GUI binds the domain and follows the user's
 * LC_MESSAGES; strata-report pins LC_MESSAGES to "C", so its figures stay English. */

/* Translators: the row headings of the KMunicate risk table under the Kaplan–Meier
 * figure (Morris et al. 2019): patients at risk, events so far and censored so far. */
static const char *const kmunicate_rows[] = { N_("At risk"), N_("Events"), N_("Censored") };

/* ---- small helpers ---------------------------------------------------------------- */

static const StrataGroupResult *
group_at (const Frame *frame, guint g)
{
  return g_ptr_array_index (frame->result->groups, g);
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

static void
set_color (cairo_t *cr, StrataPlotColor color, double alpha)
{
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * alpha);
}

static char *
color_hex (StrataPlotColor color)
{
  return g_strdup_printf ("#%02x%02x%02x", (int) lround (color.red * 255),
                          (int) lround (color.green * 255), (int) lround (color.blue * 255));
}

static double
curve_width (const Frame *frame)
{
  return frame->em * 0.17;
}

static double
axis_width (const Frame *frame)
{
  return frame->em * 0.085;
}

static StrataKmFrame
data_frame (const Frame *frame)
{
  return (StrataKmFrame) { frame->pub.plot_x, frame->pub.plot_y, frame->pub.plot_width,
                           frame->pub.plot_height, frame->pub.t_max };
}

static gboolean
is_vector_target (cairo_t *cr)
{
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_PS:
    case CAIRO_SURFACE_TYPE_SVG:
    case CAIRO_SURFACE_TYPE_SCRIPT:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Column width of the curve grid: a quarter point in files that have no pixels (PDF,
 * PS, SVG); one device pixel otherwise (images; recording surfaces such as GTK's cairo
 * nodes, at their own scale). */
static double
grid_column_width (cairo_t *cr)
{
  double dx = 1.0, dy = 0.0;

  if (is_vector_target (cr))
    return 0.25;
  cairo_device_to_user_distance (cr, &dx, &dy);
  return MAX (hypot (dx, dy), 1e-3);
}

char *
strata_km_plot_format_p (double p)
{
  if (isnan (p))
    return NULL;
  if (p < 0.001)
    return g_strdup ("p < 0.001");
  if (p > 0.999)
    return g_strdup ("p > 0.999");
  return g_strdup_printf ("p = %.3f", p);
}

double
strata_km_plot_nice_step (double t_max, double width, double min_spacing, guint max_ticks)
{
  static const double mantissa[] = { 1.0, 2.0, 2.5, 5.0 };
  double base = pow (10.0, floor (log10 (t_max / MAX (max_ticks, 1)))) / 10.0;
  double step = base;

  for (guint decade = 0; decade < 6; decade++, base *= 10.0)
    for (guint m = 0; m < G_N_ELEMENTS (mantissa); m++)
      {
        step = mantissa[m] * base;
        double intervals = ceil (t_max / step - 1e-9);
        if (intervals <= max_ticks && width / intervals >= min_spacing)
          return step;
        if (intervals <= 1)
          return step;
      }
  return step;
}

double
strata_km_plot_layout_time_at (const StrataKmPlotLayout *layout, double x)
{
  return (x - layout->plot_x) / layout->plot_width * layout->t_max;
}

double
strata_km_plot_layout_x_at (const StrataKmPlotLayout *layout, double time)
{
  return layout->plot_x + time / layout->t_max * layout->plot_width;
}

double
strata_km_plot_layout_surv_at (const StrataKmPlotLayout *layout, double y)
{
  return 1.0 - (y - layout->plot_y) / layout->plot_height;
}

double
strata_km_plot_layout_y_at (const StrataKmPlotLayout *layout, double surv)
{
  return layout->plot_y + (1.0 - surv) * layout->plot_height;
}

/* ---- layout: text of the groups --------------------------------------------------- */

/* The style's label for group G when it has one, else the result's. */
static char *
group_label_markup (const StrataPlotStyle *style, const StrataGroupResult *group, guint g)
{
  if (style->group_labels != NULL && g < g_strv_length (style->group_labels) &&
      has_text (style->group_labels[g]))
    return g_markup_escape_text (style->group_labels[g], -1);
  /* Translators: the legend label of the single curve when the cohort is not grouped. */
  return g_markup_escape_text (has_text (group->label) ? group->label : _("All patients"), -1);
}

static char *
legend_markup (const StrataGroupResult *group, const char *label, const char *dim)
{
  /* Translators: the counts after a group's name in the figure's legend: the number of
   * patients, then of events (deaths, relapses). */
  g_autofree char *counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "(n = %u, %u event)",
                                                          "(n = %u, %u events)", group->events),
                                             group->n, group->events);
  g_autofree char *escaped = g_markup_escape_text (counts, -1);

  return g_strdup_printf ("%s  <span foreground=\"%s\">%s</span>", label, dim, escaped);
}

static void
frame_init_groups (Frame *frame)
{
  g_autofree char *dim = color_hex (strata_plot_style_secondary (frame->style));

  frame->n_groups = frame->result->groups->len;
  frame->groups = g_new0 (GroupText, MAX (frame->n_groups, 1));
  for (guint g = 0; g < frame->n_groups; g++)
    {
      frame->groups[g].label = group_label_markup (frame->style, group_at (frame, g), g);
      frame->groups[g].legend = legend_markup (group_at (frame, g), frame->groups[g].label, dim);
    }
}

static void
frame_clear (Frame *frame)
{
  for (guint g = 0; g < frame->n_groups; g++)
    {
      g_free (frame->groups[g].label);
      g_free (frame->groups[g].legend);
    }
  g_free (frame->groups);
  strata_plot_text_free (frame->text);
}

static double
text_width (Frame *frame, const char *markup, double scale, gboolean bold)
{
  double width;

  strata_plot_text_set_font (frame->text, scale, bold);
  strata_plot_text_measure (frame->text, markup, 0, &width, NULL);
  return width;
}

static double
line_height (Frame *frame, double scale)
{
  strata_plot_text_set_font (frame->text, scale, FALSE);
  return strata_plot_text_line_height (frame->text);
}

/* ---- layout: horizontal ------------------------------------------------------------ */

/* The widest number the table can print: the largest group size. */
static double
table_number_width (Frame *frame)
{
  guint largest = 0;

  for (guint g = 0; g < frame->n_groups; g++)
    largest = MAX (largest, group_at (frame, g)->n);
  g_autofree char *digits = g_strdup_printf ("%u", largest);
  return text_width (frame, digits, SCALE_TABLE, FALSE);
}

/* The labels left of the table rows: group names (with a swatch), or the KMunicate
 * row names. */
static double
table_side_width (Frame *frame)
{
  double widest = 0.0;

  if (frame->style->kmunicate)
    {
      for (guint r = 0; r < G_N_ELEMENTS (kmunicate_rows); r++)
        widest = MAX (widest, text_width (frame, _(kmunicate_rows[r]), SCALE_TABLE, FALSE));
      return widest;
    }
  for (guint g = 0; g < frame->n_groups; g++)
    widest = MAX (widest, text_width (frame, frame->groups[g].label, SCALE_TABLE, FALSE));
  return widest + (EM_TABLE_SWATCH + 0.4) * frame->em;
}

static double
left_of_axis (Frame *frame)
{
  const char *top = frame->style->y_percent ? "100%" : "1.0";

  frame->ytick_width = text_width (frame, top, SCALE_TICK, FALSE);
  frame->ylabel_width = has_text (frame->style->y_label) ? line_height (frame, 1.0) + frame->gap : 0;
  return frame->margin + frame->ylabel_width + frame->ytick_width + 0.4 * frame->em
         + frame->tick_len + frame->axis_offset;
}

static double
left_of_table (Frame *frame)
{
  if (!frame->style->show_risk_table || frame->n_groups == 0)
    return 0.0;
  frame->num_width = table_number_width (frame);
  frame->side_width = table_side_width (frame);
  double side = frame->margin + frame->side_width + frame->gap + frame->num_width / 2;
  frame->swatch_only = !frame->style->kmunicate && side > SIDE_LABEL_SHARE * frame->style->width;
  if (frame->swatch_only)
    return frame->margin + EM_TABLE_SWATCH * frame->em + frame->gap + frame->num_width / 2;
  return side;
}

static void
frame_columns (Frame *frame)
{
  frame->pub.plot_x = MAX (left_of_axis (frame), left_of_table (frame));
}

/* ---- layout: ticks --------------------------------------------------------------- */

static double
data_t_max (const Frame *frame)
{
  double t_max = 0.0;

  if (frame->style->x_max > 0)
    return frame->style->x_max;
  for (guint g = 0; g < frame->n_groups; g++)
    t_max = MAX (t_max, strata_km_curve_last_time (group_at (frame, g)->km));
  return t_max > 0 ? t_max : 1.0;
}

static guint
step_decimals (double step)
{
  guint decimals = 0;

  while (decimals < 6 && fabs (step * pow (10, decimals) - round (step * pow (10, decimals))) > 1e-6)
    decimals++;
  return decimals;
}

static char *
tick_label (const Frame *frame, guint k)
{
  return g_strdup_printf ("%.*f", (int) frame->decimals, frame->times[k]);
}

/* A wide label for spacing: as many digits as t_max, and a decimal when it is small. */
static double
sample_label_width (Frame *frame, double t_max)
{
  g_autofree char *sample = g_strdup_printf (t_max < 10 ? "%.1f" : "%.0f", t_max * 1.25);

  return text_width (frame, sample, SCALE_TICK, FALSE);
}

static void
frame_set_ticks (Frame *frame, double t_data, double step)
{
  double t_max = frame->style->x_max > 0 ? t_data : step * ceil (t_data / step - 1e-9);
  guint n = (guint) floor (t_max / step + 1e-9) + 1;

  frame->pub.t_max = t_max;
  frame->pub.tick_step = step;
  frame->pub.n_ticks = MIN (n, STRATA_KM_PLOT_MAX_TICKS);
  frame->decimals = step_decimals (step);
  for (guint k = 0; k < frame->pub.n_ticks; k++)
    frame->times[k] = k * step;
}

static void
frame_place_ticks (Frame *frame)
{
  for (guint k = 0; k < frame->pub.n_ticks; k++)
    frame->pub.tick_x[k] = strata_km_plot_layout_x_at (&frame->pub, frame->times[k]);
}

static double
right_padding (Frame *frame, double label_width)
{
  return frame->margin + MAX (frame->num_width, label_width) / 2;
}

static void
frame_ticks (Frame *frame)
{
  double t_data = data_t_max (frame);
  double label_width = sample_label_width (frame, t_data);
  double width = frame->style->width - frame->pub.plot_x - right_padding (frame, label_width);
  double spacing = MAX (label_width, frame->num_width) + EM_COLUMN_GAP * frame->em;
  double step = frame->style->x_step > 0
                  ? frame->style->x_step
                  : strata_km_plot_nice_step (t_data, width, spacing, 10);

  if (t_data / step > STRATA_KM_PLOT_MAX_TICKS - 1)
    step = strata_km_plot_nice_step (t_data, width, 0, STRATA_KM_PLOT_MAX_TICKS - 1);
  frame_set_ticks (frame, t_data, step);
  g_autofree char *last = tick_label (frame, frame->pub.n_ticks - 1);
  label_width = text_width (frame, last, SCALE_TICK, FALSE);
  frame->pub.plot_width = MAX (frame->style->width - frame->pub.plot_x
                                 - right_padding (frame, label_width), 1.0);
}

/* ---- layout: vertical ------------------------------------------------------------- */

static double
swatch_width (const Frame *frame)
{
  return (EM_LEGEND_SWATCH + 0.5) * frame->em;
}

static double
legend_entry_width (Frame *frame, guint g)
{
  return swatch_width (frame) + text_width (frame, frame->groups[g].legend, 1.0, FALSE);
}

/* Entries flow left to right in as many equal columns as fit; an entry wider than the
 * whole legend wraps. */
static void
frame_legend_columns (Frame *frame)
{
  double available = frame->style->width - frame->margin - frame->pub.plot_x;
  double gap = EM_COLUMN_GAP * frame->em, widest = 0.0;

  for (guint g = 0; g < frame->n_groups; g++)
    widest = MAX (widest, legend_entry_width (frame, g));
  frame->legend_column_width = MIN (widest, available);
  guint columns = (guint) floor ((available + gap) / (frame->legend_column_width + gap));
  frame->legend_columns = CLAMP (columns, 1, MAX (frame->n_groups, 1));
}

static double
legend_row_gap (const Frame *frame)
{
  return 0.3 * frame->em;
}

static void
frame_legend (Frame *frame)
{
  double wrap, height = 0.0, row = 0.0;

  frame_legend_columns (frame);
  wrap = frame->legend_column_width - swatch_width (frame);
  strata_plot_text_set_font (frame->text, 1.0, FALSE);
  for (guint g = 0; g < frame->n_groups; g++)
    {
      GroupText *text = &frame->groups[g];
      strata_plot_text_measure (frame->text, text->legend, wrap, NULL, &text->legend_height);
      row = MAX (row, text->legend_height);
      if ((g + 1) % frame->legend_columns == 0 || g + 1 == frame->n_groups)
        {
          height += row + (height > 0 ? legend_row_gap (frame) : 0.0);
          row = 0.0;
        }
    }
  frame->pub.legend_x = frame->pub.plot_x;
  frame->pub.legend_width = frame->style->width - frame->margin - frame->pub.plot_x;
  frame->pub.legend_height = height;
}

static guint
table_rows (const Frame *frame)
{
  if (!frame->style->show_risk_table || frame->n_groups == 0)
    return 0;
  if (frame->style->kmunicate)
    return frame->n_groups * (1 + G_N_ELEMENTS (kmunicate_rows));
  return 1 + frame->n_groups;
}

/* Space between the blocks of rows of consecutive groups, when a group has more than
 * one row. */
static double
block_gap (const Frame *frame)
{
  return frame->style->kmunicate ? 0.35 * frame->row_height : 0.0;
}

static void
frame_table (Frame *frame)
{
  guint rows = table_rows (frame);

  frame->row_height = line_height (frame, SCALE_TABLE) * 1.2;
  frame->pub.table_x = frame->margin;
  frame->pub.table_width = frame->style->width - 2 * frame->margin;
  frame->pub.table_height = rows * frame->row_height;
  if (rows > 0)
    frame->pub.table_height += (frame->n_groups - 1) * block_gap (frame);
  frame->pub.table_y = frame->style->height - frame->margin - frame->pub.table_height;
}

/* The title spans the width and wraps. */
static char *
title_markup (const Frame *frame)
{
  return has_text (frame->style->title) ? g_markup_escape_text (frame->style->title, -1) : NULL;
}

static double
title_wrap_width (const Frame *frame)
{
  return frame->style->width - 2 * frame->margin;
}

static void
frame_title (Frame *frame)
{
  g_autofree char *markup = title_markup (frame);

  frame->title_height = 0;
  if (markup == NULL)
    return;
  strata_plot_text_set_font (frame->text, SCALE_TITLE, TRUE);
  strata_plot_text_measure (frame->text, markup, title_wrap_width (frame), NULL,
                            &frame->title_height);
}

/* From the bottom: table, x-axis label, tick labels, ticks; from the top: title, legend. */
static void
frame_rows (Frame *frame)
{
  double top = frame->margin, bottom;

  frame_title (frame);
  if (frame->title_height > 0)
    top += frame->title_height + frame->gap;
  frame_legend (frame);
  frame->pub.legend_y = top;
  top += frame->pub.legend_height + (frame->pub.legend_height > 0 ? 1.5 * frame->gap : 0);

  frame_table (frame);
  bottom = frame->pub.table_y - (frame->pub.table_height > 0 ? 1.5 * frame->gap : 0);
  frame->xlabel_height = has_text (frame->style->x_label) ? line_height (frame, 1.0) : 0;
  bottom -= frame->xlabel_height + (frame->xlabel_height > 0 ? 0.4 * frame->gap : 0);
  frame->xtick_height = line_height (frame, SCALE_TICK);
  bottom -= frame->xtick_height + 0.3 * frame->em + frame->tick_len + frame->axis_offset;

  frame->pub.plot_y = top;
  frame->pub.plot_height = MAX (bottom - top, 1.0);
}

static void
frame_counts (Frame *frame)
{
  for (guint g = 0; g < frame->n_groups; g++)
    {
      GroupText *text = &frame->groups[g];
      gboolean cumulative = frame->style->kmunicate && frame->style->show_risk_table;
      strata_km_curve_counts (group_at (frame, g)->km, frame->times, frame->pub.n_ticks,
                              text->at_risk, cumulative ? text->events : NULL,
                              cumulative ? text->censored : NULL);
    }
}

static void
frame_compute (Frame *frame, cairo_t *cr, const StrataResult *result,
               const StrataPlotStyle *style)
{
  *frame = (Frame) { .result = result, .style = style, .cr = cr };
  frame->em = style->font_size;
  frame->margin = EM_MARGIN * frame->em;
  frame->gap = EM_GAP * frame->em;
  frame->tick_len = EM_TICK * frame->em;
  frame->axis_offset = EM_AXIS_OFFSET * frame->em;
  frame->text = strata_plot_text_new (cr, style->font_family, style->font_size);
  frame_init_groups (frame);
  frame_columns (frame);
  frame_ticks (frame);
  frame_rows (frame);
  frame_place_ticks (frame);
}

void
strata_km_plot_layout (cairo_t *cr, const StrataResult *result, const StrataPlotStyle *style,
                       StrataKmPlotLayout *layout)
{
  Frame frame;

  frame_compute (&frame, cr, result, style);
  *layout = frame.pub;
  frame_clear (&frame);
}

/* ---- drawing: data ------------------------------------------------------------------ */

static void
path_points (cairo_t *cr, const GArray *points)
{
  for (guint i = 0; i < points->len; i++)
    {
      const StrataPlotPoint *p = &g_array_index (points, StrataPlotPoint, i);
      cairo_line_to (cr, p->x, p->y);
    }
}

static void
path_reversed (cairo_t *cr, const GArray *points)
{
  for (guint i = points->len; i > 0; i--)
    {
      const StrataPlotPoint *p = &g_array_index (points, StrataPlotPoint, i - 1);
      cairo_line_to (cr, p->x, p->y);
    }
}

/* The opacity of the confidence bands; 1.6 times it in the high-contrast style (twice
 * made the overlaps of three bands opaque). */
static double
band_alpha (const Frame *frame)
{
  double alpha;

  if (frame->style->palette == STRATA_PALETTE_GREYSCALE)
    alpha = frame->style->dark ? 0.16 : 0.10;
  else
    alpha = frame->style->dark ? 0.14 : 0.15;
  return frame->style->high_contrast ? 1.6 * alpha : alpha;
}

/* The band colour of group G as the source: translucent, or with opaque_bands the colour
 * it shows over the style's background, composited per channel in the renderer's
 * (device, sRGB) space as cairo's OVER does: a·c + (1 − a)·background. */
static void
set_band_color (Frame *frame, guint g)
{
  StrataPlotColor color = strata_plot_style_group_color (frame->style, g);
  StrataPlotColor back = strata_plot_style_background (frame->style);
  double a = color.alpha * band_alpha (frame);

  if (!frame->style->opaque_bands)
    {
      set_color (frame->cr, color, band_alpha (frame));
      return;
    }
  cairo_set_source_rgb (frame->cr, a * color.red + (1 - a) * back.red,
                        a * color.green + (1 - a) * back.green,
                        a * color.blue + (1 - a) * back.blue);
}

/* A band reduced to the pixel grid has only pixel-wide steps: it is filled without
 * antialiasing, which halves the cost and cannot be seen. */
static void
draw_band (Frame *frame, guint g, const GArray *lower, const GArray *upper, gboolean on_grid)
{
  cairo_new_path (frame->cr);
  path_points (frame->cr, upper);
  path_reversed (frame->cr, lower);
  cairo_close_path (frame->cr);
  set_band_color (frame, g);
  cairo_set_antialias (frame->cr, on_grid ? CAIRO_ANTIALIAS_NONE : CAIRO_ANTIALIAS_DEFAULT);
  cairo_fill (frame->cr);
  cairo_set_antialias (frame->cr, CAIRO_ANTIALIAS_DEFAULT);
}

static void
set_group_line (Frame *frame, guint g, double width)
{
  double dashes[4];
  guint n = strata_plot_style_group_dash (frame->style, g, dashes);

  for (guint i = 0; i < n; i++)
    dashes[i] *= frame->em / 9.0;
  cairo_set_dash (frame->cr, dashes, (int) n, 0);
  cairo_set_line_width (frame->cr, width);
  set_color (frame->cr, strata_plot_style_group_color (frame->style, g), 1.0);
}

static void
draw_curve (Frame *frame, guint g, const GArray *points)
{
  cairo_new_path (frame->cr);
  path_points (frame->cr, points);
  set_group_line (frame, g, curve_width (frame));
  cairo_set_line_join (frame->cr, CAIRO_LINE_JOIN_MITER);
  cairo_stroke (frame->cr);
}

static void
draw_censor_marks (Frame *frame, guint g, double column)
{
  const StrataKmTable *km = group_at (frame, g)->km;
  StrataKmFrame data = data_frame (frame);
  g_autoptr (GArray) marks = g_array_new (FALSE, FALSE, sizeof (StrataPlotPoint));
  double half = 0.32 * frame->em;

  /* More censorings than pixel columns would draw a solid bar: one mark per half em. */
  if (km->len > frame->pub.plot_width / column)
    column = MAX (column, 0.5 * frame->em);
  strata_km_curve_censor_marks (km, &data, column, marks);
  cairo_new_path (frame->cr);
  for (guint i = 0; i < marks->len; i++)
    {
      const StrataPlotPoint *p = &g_array_index (marks, StrataPlotPoint, i);
      cairo_move_to (frame->cr, p->x, p->y - half);
      cairo_line_to (frame->cr, p->x, p->y + half);
    }
  set_group_line (frame, g, curve_width (frame) * 0.8);
  cairo_set_dash (frame->cr, NULL, 0, 0);
  cairo_stroke (frame->cr);
}

/* The step lines of every group (curve, and band edges when shown), in one sweep of
 * each group's rows; SERIES holds STRATA_KM_CURVE_N_VALUES arrays per group. */
static void
build_series (Frame *frame, double column, GArray **series)
{
  StrataKmFrame data = data_frame (frame);

  for (guint g = 0; g < frame->n_groups; g++)
    {
      GArray **own = series + g * STRATA_KM_CURVE_N_VALUES;
      for (guint w = 0; w < STRATA_KM_CURVE_N_VALUES; w++)
        if (w == STRATA_KM_CURVE_SURV || frame->style->show_ci)
          own[w] = g_array_new (FALSE, FALSE, sizeof (StrataPlotPoint));
      strata_km_curve_all_points (group_at (frame, g)->km, &data, column, own);
    }
}

/* The area of the band between UPPER and LOWER (device units): the shoelace formula
 * over the closed outline, upper forwards then lower backwards. */
static double
band_area (const GArray *upper, const GArray *lower)
{
  double twice = 0;
  guint n = upper->len + lower->len;

  for (guint i = 0; i < n; i++)
    {
      guint j = (i + 1) % n;
      const StrataPlotPoint *p = i < upper->len ? &g_array_index (upper, StrataPlotPoint, i)
                                 : &g_array_index (lower, StrataPlotPoint, n - 1 - i);
      const StrataPlotPoint *q = j < upper->len ? &g_array_index (upper, StrataPlotPoint, j)
                                 : &g_array_index (lower, StrataPlotPoint, n - 1 - j);
      twice += p->x * q->y - q->x * p->y;
    }
  return fabs (twice) / 2;
}

/* The order the bands are filled in: the groups' order, or with opaque bands the widest
 * first, so that where bands overlap the narrower one stays visible on top. */
static void
band_order (const Frame *frame, GArray **series, guint *order)
{
  g_autofree double *area = g_new0 (double, MAX (frame->n_groups, 1));

  for (guint g = 0; g < frame->n_groups; g++)
    {
      order[g] = g;
      if (frame->style->opaque_bands)
        area[g] = band_area (series[g * STRATA_KM_CURVE_N_VALUES + STRATA_KM_CURVE_UPPER],
                             series[g * STRATA_KM_CURVE_N_VALUES + STRATA_KM_CURVE_LOWER]);
    }
  for (guint i = 1; i < frame->n_groups; i++)   /* insertion sort, stable */
    for (guint j = i; j > 0 && area[order[j - 1]] < area[order[j]]; j--)
      {
        guint t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
}

/* Bands under all curves; the first group's curve on top. */
static void
draw_data (Frame *frame)
{
  double column = grid_column_width (frame->cr);
  guint n_series = frame->n_groups * STRATA_KM_CURVE_N_VALUES;
  g_autofree GArray **series = g_new0 (GArray *, MAX (n_series, 1));
  g_autofree guint *order = g_new0 (guint, MAX (frame->n_groups, 1));

  build_series (frame, column, series);
  cairo_save (frame->cr);
  cairo_set_line_cap (frame->cr, CAIRO_LINE_CAP_BUTT);
  if (frame->style->show_ci)
    band_order (frame, series, order);
  for (guint i = 0; i < frame->n_groups && frame->style->show_ci; i++)
    {
      guint g = order[i];
      draw_band (frame, g, series[g * STRATA_KM_CURVE_N_VALUES + STRATA_KM_CURVE_LOWER],
                 series[g * STRATA_KM_CURVE_N_VALUES + STRATA_KM_CURVE_UPPER],
                 !is_vector_target (frame->cr)
                   && group_at (frame, g)->km->len > frame->pub.plot_width / column);
    }
  for (guint g = frame->n_groups; g > 0; g--)
    draw_curve (frame, g - 1, series[(g - 1) * STRATA_KM_CURVE_N_VALUES + STRATA_KM_CURVE_SURV]);
  for (guint g = frame->n_groups; g > 0 && frame->style->show_censor_marks; g--)
    draw_censor_marks (frame, g - 1, column);
  cairo_restore (frame->cr);
  for (guint i = 0; i < n_series; i++)
    if (series[i] != NULL)
      g_array_unref (series[i]);
}

/* The largest median within the axis, or NaN when no group reaches one. */
static double
largest_median (const Frame *frame)
{
  double largest = NAN;

  for (guint g = 0; g < frame->n_groups; g++)
    {
      double median = group_at (frame, g)->median;
      if (isfinite (median) && median <= frame->pub.t_max && !(median <= largest))
        largest = median;
    }
  return largest;
}

/* Drop lines as survminer's surv.median.line = "hv": across at 50 % to the largest
 * median, and down from 50 % at each group's median. */
static void
draw_median_lines (Frame *frame)
{
  double largest = largest_median (frame), dashes[] = { 0.35 * frame->em, 0.3 * frame->em };
  const StrataKmPlotLayout *l = &frame->pub;

  if (!frame->style->show_median_lines || isnan (largest))
    return;
  cairo_move_to (frame->cr, l->plot_x, strata_km_plot_layout_y_at (l, 0.5));
  cairo_line_to (frame->cr, strata_km_plot_layout_x_at (l, largest),
                 strata_km_plot_layout_y_at (l, 0.5));
  for (guint g = 0; g < frame->n_groups; g++)
    {
      double median = group_at (frame, g)->median;
      if (!isfinite (median) || median > l->t_max)
        continue;
      cairo_move_to (frame->cr, strata_km_plot_layout_x_at (l, median), strata_km_plot_layout_y_at (l, 0.5));
      cairo_line_to (frame->cr, strata_km_plot_layout_x_at (l, median), strata_km_plot_layout_y_at (l, 0.0));
    }
  cairo_save (frame->cr);
  cairo_set_dash (frame->cr, dashes, 2, 0);
  cairo_set_line_width (frame->cr, axis_width (frame));
  set_color (frame->cr, strata_plot_style_secondary (frame->style), 1.0);
  cairo_stroke (frame->cr);
  cairo_restore (frame->cr);
}

/* ---- drawing: axes ------------------------------------------------------------------ */

static void
draw_axis_lines (Frame *frame)
{
  const StrataKmPlotLayout *l = &frame->pub;
  double ax = l->plot_x - frame->axis_offset;
  double ay = l->plot_y + l->plot_height + frame->axis_offset;

  cairo_move_to (frame->cr, ax, l->plot_y);
  cairo_line_to (frame->cr, ax, l->plot_y + l->plot_height);
  for (guint k = 0; k <= 5; k++)
    {
      cairo_move_to (frame->cr, ax, strata_km_plot_layout_y_at (l, k / 5.0));
      cairo_rel_line_to (frame->cr, -frame->tick_len, 0);
    }
  cairo_move_to (frame->cr, l->plot_x, ay);
  cairo_line_to (frame->cr, l->plot_x + l->plot_width, ay);
  for (guint k = 0; k < l->n_ticks; k++)
    {
      cairo_move_to (frame->cr, l->tick_x[k], ay);
      cairo_rel_line_to (frame->cr, 0, frame->tick_len);
    }
  cairo_set_line_width (frame->cr, axis_width (frame));
  cairo_set_line_cap (frame->cr, CAIRO_LINE_CAP_SQUARE);
  set_color (frame->cr, strata_plot_style_foreground (frame->style), 1.0);
  cairo_stroke (frame->cr);
}

static void
draw_tick_labels (Frame *frame)
{
  const StrataKmPlotLayout *l = &frame->pub;
  double right = l->plot_x - frame->axis_offset - frame->tick_len - 0.4 * frame->em;
  double top = l->plot_y + l->plot_height + frame->axis_offset + frame->tick_len + 0.3 * frame->em;

  strata_plot_text_set_font (frame->text, SCALE_TICK, FALSE);
  for (guint k = 0; k <= 5; k++)
    {
      g_autofree char *label = frame->style->y_percent ? g_strdup_printf ("%u%%", k * 20)
                                                       : g_strdup_printf ("%.1f", k / 5.0);
      strata_plot_text_draw (frame->text, label, right, strata_km_plot_layout_y_at (l, k / 5.0),
                             1.0, 0.5, 0);
    }
  for (guint k = 0; k < l->n_ticks; k++)
    {
      g_autofree char *label = tick_label (frame, k);
      strata_plot_text_draw (frame->text, label, l->tick_x[k], top, 0.5, 0.0, 0);
    }
}

static void
draw_axis_titles (Frame *frame)
{
  const StrataKmPlotLayout *l = &frame->pub;
  double tick_bottom = l->plot_y + l->plot_height + frame->axis_offset + frame->tick_len
                       + 0.3 * frame->em + frame->xtick_height + 0.4 * frame->gap;

  strata_plot_text_set_font (frame->text, 1.0, FALSE);
  if (has_text (frame->style->x_label))
    {
      g_autofree char *markup = g_markup_escape_text (frame->style->x_label, -1);
      strata_plot_text_draw (frame->text, markup, l->plot_x + l->plot_width / 2, tick_bottom,
                             0.5, 0.0, 0);
    }
  if (has_text (frame->style->y_label))
    {
      g_autofree char *markup = g_markup_escape_text (frame->style->y_label, -1);
      double height = line_height (frame, 1.0);
      double right = l->plot_x - frame->axis_offset - frame->tick_len - 0.4 * frame->em
                     - frame->ytick_width - frame->gap;
      strata_plot_text_set_font (frame->text, 1.0, FALSE);
      strata_plot_text_draw_vertical (frame->text, markup, right - height / 2,
                                      l->plot_y + l->plot_height / 2);
    }
}

static void
draw_title (Frame *frame)
{
  g_autofree char *markup = title_markup (frame);

  if (markup == NULL)
    return;
  strata_plot_text_set_font (frame->text, SCALE_TITLE, TRUE);
  strata_plot_text_draw (frame->text, markup, frame->margin, frame->margin, 0.0, 0.0,
                         title_wrap_width (frame));
}

static void
draw_axes (Frame *frame)
{
  cairo_save (frame->cr);
  draw_axis_lines (frame);
  set_color (frame->cr, strata_plot_style_foreground (frame->style), 1.0);
  draw_tick_labels (frame);
  draw_axis_titles (frame);
  draw_title (frame);
  cairo_restore (frame->cr);
}

/* ---- drawing: p-value --------------------------------------------------------------- */

/* Whether the curve of group G (with its band when shown) passes through the times
 * T0..T1 between survival S_LOW and S_HIGH. Curves fall, so their span over the
 * interval is set by its ends. */
static gboolean
group_crosses (const Frame *frame, guint g, double t0, double t1, double s_low, double s_high)
{
  const StrataGroupResult *group = group_at (frame, g);
  gboolean ci = frame->style->show_ci;
  double end = MIN (t1, strata_km_curve_last_time (group->km));

  if (frame->style->show_median_lines && group->median >= t0 && group->median <= t1
      && s_low <= 0.5)
    return TRUE;
  if (end < t0)
    return FALSE;
  double high = strata_km_curve_value_at (group->km, ci ? STRATA_KM_CURVE_UPPER : STRATA_KM_CURVE_SURV, t0);
  double low = strata_km_curve_value_at (group->km, ci ? STRATA_KM_CURVE_LOWER : STRATA_KM_CURVE_SURV, end);
  return low <= s_high && high >= s_low;
}

static gboolean
box_is_free (const Frame *frame, double x0, double y0, double x1, double y1)
{
  const StrataKmPlotLayout *l = &frame->pub;
  double t0 = strata_km_plot_layout_time_at (l, x0), t1 = strata_km_plot_layout_time_at (l, x1);
  double s_high = strata_km_plot_layout_surv_at (l, y0), s_low = strata_km_plot_layout_surv_at (l, y1);
  double largest = largest_median (frame);

  if (frame->style->show_median_lines && t0 <= largest && s_low <= 0.5 && s_high >= 0.5)
    return FALSE;
  for (guint g = 0; g < frame->n_groups; g++)
    if (group_crosses (frame, g, t0, t1, s_low, s_high))
      return FALSE;
  return TRUE;
}

static char *
pvalue_markup (const Frame *frame)
{
  const StrataSurvdiff *logrank = frame->result->logrank;

  if (!frame->style->show_pvalue || logrank == NULL || frame->n_groups < 2)
    return NULL;
  g_autofree char *p = strata_km_plot_format_p (logrank->p);
  if (p == NULL)
    return NULL;
  /* "p < 0.001" -> "Log-rank <i>p</i> &lt; 0.001" */
  g_autofree char *rest = g_markup_escape_text (p + 1, -1);
  /* Translators: the log-rank test's p-value in the figure, in Pango markup (keep <i>p</i>);
   * %s is the rest, e.g. " &lt; 0.001" or " = 0.034". */
  return g_strdup_printf (_("Log-rank <i>p</i>%s"), rest);
}

/* Bottom left, where falling curves leave room, unless a curve or band passes there;
 * then bottom right, then top right. */
static void
draw_pvalue (Frame *frame)
{
  g_autofree char *markup = pvalue_markup (frame);
  const StrataKmPlotLayout *l = &frame->pub;
  double w, h, inset = 0.7 * frame->em, pad = 0.4 * frame->em;

  if (markup == NULL)
    return;
  strata_plot_text_set_font (frame->text, 1.0, FALSE);
  strata_plot_text_measure (frame->text, markup, 0, &w, &h);
  double left = l->plot_x + inset, right = l->plot_x + l->plot_width - inset - w;
  double bottom = l->plot_y + l->plot_height - inset - h, top = l->plot_y + inset;
  double xs[] = { left, right, right }, ys[] = { bottom, bottom, top };
  guint pick = 0;
  for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
    if (box_is_free (frame, xs[i] - pad, ys[i] - pad, xs[i] + w + pad, ys[i] + h + pad))
      {
        pick = i;
        break;
      }
  set_color (frame->cr, strata_plot_style_foreground (frame->style), 1.0);
  strata_plot_text_draw (frame->text, markup, xs[pick], ys[pick], 0.0, 0.0, 0);
}

/* ---- drawing: legend ---------------------------------------------------------------- */

static void
draw_swatch (Frame *frame, guint g, double x, double y, double width, gboolean band)
{
  if (band && frame->style->show_ci)
    {
      cairo_rectangle (frame->cr, x, y - 0.4 * frame->em, width, 0.8 * frame->em);
      set_band_color (frame, g);
      cairo_fill (frame->cr);
    }
  cairo_move_to (frame->cr, x, y);
  cairo_rel_line_to (frame->cr, width, 0);
  set_group_line (frame, g, curve_width (frame));
  cairo_stroke (frame->cr);
  cairo_set_dash (frame->cr, NULL, 0, 0);
}

static void
draw_legend_entry (Frame *frame, guint g, double x, double y)
{
  double first_line = line_height (frame, 1.0);

  draw_swatch (frame, g, x, y + first_line / 2, EM_LEGEND_SWATCH * frame->em, TRUE);
  set_color (frame->cr, strata_plot_style_foreground (frame->style), 1.0);
  strata_plot_text_set_font (frame->text, 1.0, FALSE);
  strata_plot_text_draw (frame->text, frame->groups[g].legend, x + swatch_width (frame), y,
                         0.0, 0.0, frame->legend_column_width - swatch_width (frame));
}

static void
draw_legend (Frame *frame)
{
  double y = frame->pub.legend_y, row = 0.0, gap = EM_COLUMN_GAP * frame->em;

  cairo_save (frame->cr);
  cairo_set_line_cap (frame->cr, CAIRO_LINE_CAP_BUTT);
  for (guint g = 0; g < frame->n_groups; g++)
    {
      guint column = g % frame->legend_columns;
      draw_legend_entry (frame, g, frame->pub.legend_x + column * (frame->legend_column_width + gap), y);
      row = MAX (row, frame->groups[g].legend_height);
      if (column + 1 == frame->legend_columns)
        {
          y += row + legend_row_gap (frame);
          row = 0.0;
        }
    }
  cairo_restore (frame->cr);
}

/* ---- drawing: numbers at risk ------------------------------------------------------- */

/* A row label at the left edge: optionally a group swatch, then MARKUP if not NULL. */
static void
draw_row_label (Frame *frame, double y, const char *markup, gint group, gboolean bold)
{
  double x = frame->margin, mid = y + frame->row_height / 2;

  if (group >= 0)
    {
      draw_swatch (frame, (guint) group, x, mid, EM_TABLE_SWATCH * frame->em, FALSE);
      x += (EM_TABLE_SWATCH + 0.4) * frame->em;
    }
  if (markup == NULL)
    return;
  set_color (frame->cr, strata_plot_style_foreground (frame->style), 1.0);
  strata_plot_text_set_font (frame->text, SCALE_TABLE, bold);
  strata_plot_text_draw (frame->text, markup, x, mid, 0.0, 0.5, 0);
}

static void
draw_row_numbers (Frame *frame, double y, const guint *values)
{
  set_color (frame->cr, strata_plot_style_foreground (frame->style), 1.0);
  strata_plot_text_set_font (frame->text, SCALE_TABLE, FALSE);
  for (guint k = 0; k < frame->pub.n_ticks; k++)
    {
      char digits[16];
      g_snprintf (digits, sizeof digits, "%u", values[k]);
      strata_plot_text_draw (frame->text, digits, frame->pub.tick_x[k],
                             y + frame->row_height / 2, 0.5, 0.5, 0);
    }
}

/* KMunicate (Morris et al., BMJ Open 2019): per group, at risk, cumulative events and
 * cumulative censorings. */
static double
draw_kmunicate_group (Frame *frame, guint g, double y)
{
  const GroupText *text = &frame->groups[g];
  const guint *rows[] = { text->at_risk, text->events, text->censored };

  draw_row_label (frame, y, text->label, (gint) g, TRUE);
  y += frame->row_height;
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++, y += frame->row_height)
    {
      draw_row_label (frame, y, _(kmunicate_rows[r]), -1, FALSE);
      draw_row_numbers (frame, y, rows[r]);
    }
  return y;
}

static double
draw_at_risk_group (Frame *frame, guint g, double y)
{
  draw_row_label (frame, y, frame->swatch_only ? NULL : frame->groups[g].label, (gint) g, FALSE);
  draw_row_numbers (frame, y, frame->groups[g].at_risk);
  return y + frame->row_height;
}

static void
draw_table (Frame *frame)
{
  double y = frame->pub.table_y;

  if (frame->pub.table_height <= 0)
    return;
  cairo_save (frame->cr);
  cairo_set_line_cap (frame->cr, CAIRO_LINE_CAP_BUTT);
  if (!frame->style->kmunicate)
    {
      /* Translators: the heading of the risk table under the Kaplan–Meier figure. */
      draw_row_label (frame, y, _("Number at risk"), -1, TRUE);
      y += frame->row_height;
    }
  for (guint g = 0; g < frame->n_groups; g++)
    y = block_gap (frame)
        + (frame->style->kmunicate ? draw_kmunicate_group (frame, g, y)
                                   : draw_at_risk_group (frame, g, y));
  cairo_restore (frame->cr);
}

/* ---- drawing: the figure ------------------------------------------------------------ */

static void
draw_background (Frame *frame)
{
  if (!frame->style->paint_background)
    return;
  set_color (frame->cr, strata_plot_style_background (frame->style), 1.0);
  cairo_rectangle (frame->cr, 0, 0, frame->style->width, frame->style->height);
  cairo_fill (frame->cr);
}

void
strata_km_plot_draw (cairo_t *cr, const StrataResult *result, const StrataPlotStyle *style)
{
  Frame frame;

  cairo_save (cr);
  cairo_new_path (cr);
  frame_compute (&frame, cr, result, style);
  frame_counts (&frame);
  draw_background (&frame);
  draw_median_lines (&frame);
  draw_data (&frame);
  draw_axes (&frame);
  draw_pvalue (&frame);
  draw_legend (&frame);
  draw_table (&frame);
  frame_clear (&frame);
  cairo_restore (cr);
}

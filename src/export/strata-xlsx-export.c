/* strata-xlsx-export.c: the Excel workbook of a StrataResult (see the header).
 *
 * Cells go through small helpers that keep the first libxlsxwriter error, so each sheet
 * writer reads as its layout. Everything that can fail for a reason the user can act on
 * (the folder, the figure, the table, the sheet size) is checked before the workbook is
 * built; libxlsxwriter prints to stderr only on failures those checks leave out (an I/O
 * error at the final write). */
#include "config.h"
#include "strata-xlsx-export.h"
#include "strata-analysis.h"
#include "strata-atomic-file.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <xlsxwriter.h>

G_DEFINE_QUARK (strata-xlsx-error-quark, strata_xlsx_error)

#define SHEET_SUMMARY "Summary"
#define SHEET_KM "Kaplan–Meier"
#define SHEET_RESPONSES "Responses"
#define SHEET_PATIENTS "Patients"
#define SHEET_METHODS "Methods"

/* p-values as journals print them, and as the figure does (strata_km_plot_format_p):
 * three decimals, "<0.001" below 0.001 and ">0.999" above 0.999. */
#define FORMAT_P "[<0.001]\"<0.001\";[>0.999]\">0.999\";0.000"
#define MAX_CELL_BYTES 32767    /* libxlsxwriter's limit on a string cell */
#define MAX_CHART_GROUPS 100    /* Excel allows 255 series; two per group */
#define DEFAULT_VALIDATION "R survival 3.5.3"

/* Printing: A4, margins in inches, and the characters of column width a landscape A4
 * page holds at 100 % (10.5 in at 96 px per inch, 7 px per character of Calibri 11). */
#define PAPER_A4 9
#define MARGIN_SIDE 0.6
#define MARGIN_TOP_BOTTOM 0.75
#define LANDSCAPE_PAGE_CHARS 143.0
#define PRINT_HEADER "&L&A&R&F"           /* sheet name left, file name right */
#define PRINT_FOOTER "&CPage &P of &N"

/* Kaplan–Meier sheet: the table in A:I, the chart from K2, its data from W. */
#define KM_COLUMNS 9
#define KM_CHART_COL 10
#define KM_STEP_COL 22
#define KM_CENSOR_COL 26
#define KM_CHART_LAST_ROW 24    /* the chart, 1.5 x 288 px high from row 2, ends above */

/* Okabe–Ito, in the order of the figure's palette (src/render/strata-plot-style.c). */
static const lxw_color_t group_colors[] = {
  0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9,
};

typedef struct {
  lxw_format *title, *heading, *label, *header, *wrap, *note, *na;
  lxw_format *p, *percent, *fraction, *dec1, *dec2;
} Formats;

typedef struct {
  const StrataResult *result;
  const StrataXlsxOptions *options;
  const char *version;
  char *checksum;               /* SHA-256 of the source, hex, or why there is none */
  StrataRowInclusion *inclusion; /* each row of options->table under options->spec, or
                                 * NULL: Patients lists the excluded rows only */
  lxw_workbook *book;
  Formats f;
  lxw_error status;             /* the first libxlsxwriter error */
  int close_errno;              /* errno after workbook_close(), for its I/O errors */
} Export;

/* ---- cells ------------------------------------------------------------------------- */

static void
keep_status (Export *x, lxw_error status)
{
  if (x->status == LXW_NO_ERROR)
    x->status = status;
}

/* Writes TEXT (nothing when NULL), cut at a character boundary to what a cell holds. */
static void
put_text (Export *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *text,
          lxw_format *format)
{
  if (text == NULL)
    return;
  if (strlen (text) <= MAX_CELL_BYTES)
    {
      keep_status (x, worksheet_write_string (ws, row, col, text, format));
      return;
    }
  const char *end = text + MAX_CELL_BYTES;
  while (end > text && (*end & 0xc0) == 0x80)
    end--;
  g_autofree char *cut = g_strndup (text, end - text);
  keep_status (x, worksheet_write_string (ws, row, col, cut, format));
}

/* Writes VALUE at full precision; NaN as the text MISSING, infinities as "Inf" and
 * "-Inf" (Excel has neither). */
static void
put_value (Export *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double value,
           lxw_format *format, const char *missing)
{
  if (isnan (value))
    put_text (x, ws, row, col, missing, x->f.na);
  else if (isinf (value))
    put_text (x, ws, row, col, value > 0 ? "Inf" : "-Inf", x->f.na);
  else
    keep_status (x, worksheet_write_number (ws, row, col, value, format));
}

static void
put_number (Export *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double value,
            lxw_format *format)
{
  put_value (x, ws, row, col, value, format, "NA");
}

static void
put_count (Export *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, guint value)
{
  keep_status (x, worksheet_write_number (ws, row, col, value, NULL));
}

/* Writes N header cells from COL on. */
static void
put_headers (Export *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
             const char *const *labels, guint n)
{
  for (guint i = 0; i < n; i++)
    put_text (x, ws, row, col + i, labels[i], x->f.header);
}

static void
set_width (Export *x, lxw_worksheet *ws, lxw_col_t first, lxw_col_t last, double width)
{
  keep_status (x, worksheet_set_column (ws, first, last, width, NULL));
}

/* ---- words ------------------------------------------------------------------------- */

/* "95%" for a confidence level of 0.95. */
static char *
level_text (double conf_level)
{
  return g_strdup_printf ("%.10g%%", 100 * conf_level);
}

/* ITEMS joined as "a", "a and b", "a, b and c"; NULL when there are none. */
static char *
join_and (GPtrArray *items)
{
  if (items->len == 0)
    return NULL;
  GString *out = g_string_new (g_ptr_array_index (items, 0));
  for (guint i = 1; i < items->len; i++)
    {
      g_string_append (out, i + 1 == items->len ? " and " : ", ");
      g_string_append (out, g_ptr_array_index (items, i));
    }
  return g_string_free (out, FALSE);
}

/* ITEMS joined with SEPARATOR, or NONE when there are none. */
static char *
join_or (GPtrArray *items, const char *separator, const char *none)
{
  if (items == NULL || items->len == 0)
    return g_strdup (none);
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < items->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? separator : "",
                            (const char *) g_ptr_array_index (items, i));
  return g_string_free (out, FALSE);
}

static const char *
p_adjust_name (StrataPAdjust method)
{
  switch (method)
    {
    case STRATA_P_ADJUST_BH:
      return "Benjamini–Hochberg";
    case STRATA_P_ADJUST_BONFERRONI:
      return "Bonferroni";
    case STRATA_P_ADJUST_HOLM:
    default:
      return "Holm";
    }
}

static double
pair_adjusted_p (const StrataPair *pair, StrataPAdjust method)
{
  switch (method)
    {
    case STRATA_P_ADJUST_BH:
      return pair->p_bh;
    case STRATA_P_ADJUST_BONFERRONI:
      return pair->p_bonferroni;
    case STRATA_P_ADJUST_HOLM:
    default:
      return pair->p_holm;
    }
}

static const StrataGroupResult *
group_at (const StrataResult *result, guint index)
{
  return g_ptr_array_index (result->groups, index);
}

/* ---- printing ---------------------------------------------------------------------- */

/* How a sheet prints: A4, LANDSCAPE or portrait, PAGES_WIDE pages wide and as long as it
 * takes, row REPEAT_ROW (or none when negative) at the top of each page, the sheet and
 * file names in the header and "Page x of y" in the footer. */
static void
setup_printing (Export *x, lxw_worksheet *ws, gboolean landscape, guint16 pages_wide,
                int repeat_row)
{
  if (landscape)
    worksheet_set_landscape (ws);
  else
    worksheet_set_portrait (ws);
  worksheet_set_paper (ws, PAPER_A4);
  worksheet_set_margins (ws, MARGIN_SIDE, MARGIN_SIDE, MARGIN_TOP_BOTTOM, MARGIN_TOP_BOTTOM);
  worksheet_fit_to_pages (ws, pages_wide, 0);
  keep_status (x, worksheet_set_header (ws, PRINT_HEADER));
  keep_status (x, worksheet_set_footer (ws, PRINT_FOOTER));
  if (repeat_row >= 0)
    keep_status (x, worksheet_repeat_rows (ws, (lxw_row_t) repeat_row, (lxw_row_t) repeat_row));
}

/* ---- Summary ----------------------------------------------------------------------- */

static lxw_row_t
write_fact (Export *x, lxw_worksheet *ws, lxw_row_t row, const char *label, const char *value)
{
  put_text (x, ws, row, 0, label, x->f.label);
  put_text (x, ws, row, 1, value, NULL);
  return row + 1;
}

static lxw_row_t
write_count_fact (Export *x, lxw_worksheet *ws, lxw_row_t row, const char *label, guint value)
{
  put_text (x, ws, row, 0, label, x->f.label);
  put_count (x, ws, row, 1, value);
  return row + 1;
}

/* The file, its checksum and what was read from it. */
static lxw_row_t
write_source_facts (Export *x, lxw_worksheet *ws, lxw_row_t row)
{
  const StrataResult *r = x->result;
  g_autofree char *name = g_path_get_basename (r->file != NULL && *r->file ? r->file : "?");

  row = write_fact (x, ws, row, "Source file", name);
  row = write_fact (x, ws, row, "SHA-256", x->checksum);
  row = write_fact (x, ws, row, "Encoding", r->encoding);
  row = write_count_fact (x, ws, row, "Rows in the file", r->rows);
  row = write_count_fact (x, ws, row, "Patients analysed", r->rows_used);
  return write_count_fact (x, ws, row, "Rows excluded (see Patients)", r->excluded->len);
}

/* The endpoint, the toggles, the grouping and the intervals. */
static lxw_row_t
write_request_facts (Export *x, lxw_worksheet *ws, lxw_row_t row)
{
  const StrataResult *r = x->result;
  g_autofree char *by = join_or (r->by, " × ", "none (all patients in one group)");
  g_autofree char *where = join_or (r->where, "; ", "none (all rows)");

  row = write_fact (x, ws, row, "Time", r->time_column);
  row = write_fact (x, ws, row, "Event", r->event_column);
  row = write_fact (x, ws, row, "Event coding", r->event_rule);
  row = write_fact (x, ws, row, "Filters (strata toggles)", where);
  row = write_fact (x, ws, row, "Grouping", by);
  row = write_fact (x, ws, row, "Reference group", r->reference_level);
  row = write_fact (x, ws, row, "Confidence intervals", strata_conf_type_to_string (r->conf_type));
  put_text (x, ws, row, 0, "Confidence level", x->f.label);
  put_number (x, ws, row++, 1, r->conf_level, x->f.percent);
  put_text (x, ws, row, 0, "Landmark times", x->f.label);
  for (guint i = 0; i < r->landmark_times->len; i++)
    put_number (x, ws, row, 1 + i, g_array_index (r->landmark_times, double, i), NULL);
  return row + 1;
}

static lxw_row_t
write_software_facts (Export *x, lxw_worksheet *ws, lxw_row_t row)
{
  g_autofree char *software = g_strdup_printf ("Strata %s", x->version);
  GPtrArray *warnings = x->result->warnings;

  row = write_fact (x, ws, row, "Software", software);
  for (guint i = 0; i < warnings->len; i++)
    row = write_fact (x, ws, row, i == 0 ? "Notes" : NULL, g_ptr_array_index (warnings, i));
  return row;
}

static GPtrArray *
group_headers (const StrataResult *r)
{
  GPtrArray *h = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *level = level_text (r->conf_level);

  g_ptr_array_add (h, g_strdup ("Group"));
  g_ptr_array_add (h, g_strdup ("Patients"));
  g_ptr_array_add (h, g_strdup ("Events"));
  g_ptr_array_add (h, g_strdup ("Median"));
  g_ptr_array_add (h, g_strdup_printf ("Median, %s CI lower", level));
  g_ptr_array_add (h, g_strdup_printf ("Median, %s CI upper", level));
  for (guint i = 0; i < r->landmark_times->len; i++)
    {
      double t = g_array_index (r->landmark_times, double, i);
      g_ptr_array_add (h, g_strdup_printf ("Survival at %.10g", t));
      g_ptr_array_add (h, g_strdup_printf ("At %.10g, %s CI lower", t, level));
      g_ptr_array_add (h, g_strdup_printf ("At %.10g, %s CI upper", t, level));
    }
  g_ptr_array_add (h, g_strdup ("RMST"));
  g_ptr_array_add (h, g_strdup ("RMST SE"));
  g_ptr_array_add (h, g_strdup ("RMST up to"));
  return h;
}

/* One group: n, events, median (NR when not reached), landmarks, RMST. */
static void
write_group_row (Export *x, lxw_worksheet *ws, lxw_row_t row, const StrataGroupResult *g)
{
  const StrataKmLandmarks *lm = g->landmarks;
  lxw_col_t col = 6;

  put_text (x, ws, row, 0, g->label, NULL);
  put_count (x, ws, row, 1, g->n);
  put_count (x, ws, row, 2, g->events);
  put_value (x, ws, row, 3, g->median, x->f.dec1, "NR");
  put_value (x, ws, row, 4, g->median_lower, x->f.dec1, "NR");
  put_value (x, ws, row, 5, g->median_upper, x->f.dec1, "NR");
  for (guint i = 0; i < x->result->landmark_times->len; i++, col += 3)
    {
      if (lm == NULL || i >= lm->len)
        continue;
      put_number (x, ws, row, col, lm->surv[i], x->f.percent);
      put_number (x, ws, row, col + 1, lm->lower[i], x->f.percent);
      put_number (x, ws, row, col + 2, lm->upper[i], x->f.percent);
    }
  put_number (x, ws, row, col, g->rmean, x->f.dec1);
  put_number (x, ws, row, col + 1, g->rmean_se, x->f.dec2);
  put_number (x, ws, row, col + 2, g->rmean_upper_limit, NULL);
}

static lxw_row_t
write_group_table (Export *x, lxw_worksheet *ws, lxw_row_t row)
{
  const StrataResult *r = x->result;
  g_autoptr (GPtrArray) headers = group_headers (r);

  put_text (x, ws, row++, 0, "Survival by group", x->f.heading);
  put_headers (x, ws, row++, 0, (const char *const *) headers->pdata, headers->len);
  for (guint g = 0; g < r->groups->len; g++)
    write_group_row (x, ws, row++, group_at (r, g));
  return row + 1;
}

static void
write_test_row (Export *x, lxw_worksheet *ws, lxw_row_t row, const char *name, double statistic,
                double df, double p)
{
  put_text (x, ws, row, 0, name, NULL);
  put_number (x, ws, row, 1, statistic, x->f.dec2);
  put_number (x, ws, row, 2, df, NULL);
  put_number (x, ws, row, 3, p, x->f.p);
}

static const char *const test_headers[] = { "Test", "Chi-square", "df", "p" };

/* Log-rank, Peto–Peto and, with more than two groups, the test for trend. */
static lxw_row_t
write_tests (Export *x, lxw_worksheet *ws, lxw_row_t row)
{
  const StrataResult *r = x->result;

  if (r->logrank == NULL)
    return row;
  put_text (x, ws, row++, 0, "Tests of equality of the curves", x->f.heading);
  put_headers (x, ws, row++, 0, test_headers, G_N_ELEMENTS (test_headers));
  write_test_row (x, ws, row++, "Log-rank", r->logrank->chisq, r->logrank->df, r->logrank->p);
  write_test_row (x, ws, row++, "Peto–Peto (Harrington–Fleming ρ = 1)", r->peto_peto->chisq,
                  r->peto_peto->df, r->peto_peto->p);
  if (r->has_trend)
    write_test_row (x, ws, row++, "Log-rank test for trend (scores 1, 2, … in group order)",
                    r->trend.chisq, r->trend.df, r->trend.p);
  return row + 1;
}

static lxw_row_t
write_pairwise (Export *x, lxw_worksheet *ws, lxw_row_t row)
{
  const StrataPairwise *pw = x->result->pairwise_logrank;
  StrataPAdjust method = x->options->p_adjust;
  g_autofree char *adjusted = g_strdup_printf ("p, %s-adjusted", p_adjust_name (method));
  const char *const headers[] = { "Group 1", "Group 2", "Chi-square", "p", adjusted };

  if (pw == NULL)
    return row;
  put_text (x, ws, row++, 0, "Pairwise log-rank tests", x->f.heading);
  put_headers (x, ws, row++, 0, headers, G_N_ELEMENTS (headers));
  for (guint i = 0; i < pw->n_pairs; i++, row++)
    {
      const StrataPair *pair = &pw->pairs[i];
      put_text (x, ws, row, 0, group_at (x->result, pair->group1)->label, NULL);
      put_text (x, ws, row, 1, group_at (x->result, pair->group2)->label, NULL);
      put_number (x, ws, row, 2, pair->chisq, x->f.dec2);
      put_number (x, ws, row, 3, pair->p, x->f.p);
      put_number (x, ws, row, 4, pair_adjusted_p (pair, method), x->f.p);
    }
  return row + 1;
}

static lxw_row_t
write_cox_coefficients (Export *x, lxw_worksheet *ws, lxw_row_t row, const StrataCoxFit *fit)
{
  g_autofree char *level = level_text (fit->conf_level);
  g_autofree char *lower = g_strdup_printf ("%s CI lower", level);
  g_autofree char *upper = g_strdup_printf ("%s CI upper", level);
  const char *const headers[] = { "Group", "Hazard ratio", lower, upper, "p", "Note" };

  put_headers (x, ws, row++, 0, headers, G_N_ELEMENTS (headers));
  put_text (x, ws, row, 0, x->result->reference_level, NULL);
  put_text (x, ws, row++, 1, "1 (reference)", x->f.na);
  for (guint i = 0; i < fit->n_coef; i++, row++)
    {
      put_text (x, ws, row, 0, group_at (x->result, fit->coef_group[i])->label, NULL);
      put_number (x, ws, row, 1, fit->hr[i], x->f.dec2);
      put_number (x, ws, row, 2, fit->hr_lower[i], x->f.dec2);
      put_number (x, ws, row, 3, fit->hr_upper[i], x->f.dec2);
      put_number (x, ws, row, 4, fit->p[i], x->f.p);
      if (fit->coef_infinite[i])
        put_text (x, ws, row, 5, "infinite (monotone likelihood): only the score test is valid",
                  x->f.note);
    }
  return row;
}

static lxw_row_t
write_cox (Export *x, lxw_worksheet *ws, lxw_row_t row)
{
  const StrataCoxFit *fit = x->result->cox_efron;
  const char *const headers[] = { "Model test", "Statistic", "df", "p" };

  if (fit == NULL)
    return row;
  put_text (x, ws, row++, 0, "Hazard ratios (Cox proportional hazards, Efron ties)",
            x->f.heading);
  row = write_cox_coefficients (x, ws, row, fit);
  if (!fit->converged)
    put_text (x, ws, row++, 0, "The model ran out of iterations and did not converge.",
              x->f.note);
  put_headers (x, ws, ++row, 0, headers, G_N_ELEMENTS (headers));
  row++;
  write_test_row (x, ws, row++, "Likelihood ratio", fit->lr_test.statistic, fit->lr_test.df,
                  fit->lr_test.p);
  write_test_row (x, ws, row++, "Wald", fit->wald_test.statistic, fit->wald_test.df,
                  fit->wald_test.p);
  write_test_row (x, ws, row++, "Score (log-rank)", fit->score_test.statistic,
                  fit->score_test.df, fit->score_test.p);
  return row + 1;
}

static void
insert_figure (Export *x, lxw_worksheet *ws, lxw_row_t row)
{
  GBytes *png = x->options->figure_png;
  lxw_image_options image = { .description = "Kaplan–Meier curves by group" };
  gsize size;
  const unsigned char *data;

  if (png == NULL)
    return;
  data = g_bytes_get_data (png, &size);
  put_text (x, ws, row, 0, "Figure", x->f.heading);
  keep_status (x, worksheet_insert_image_buffer_opt (ws, row + 1, 0, data, size, &image));
}

static void
write_summary (Export *x, lxw_worksheet *ws)
{
  g_autofree char *name = g_path_get_basename (x->result->file != NULL ? x->result->file : "");
  g_autofree char *title = g_strdup_printf ("Survival analysis of %s", name);
  lxw_row_t row = 2;

  put_text (x, ws, 0, 0, title, x->f.title);
  row = write_source_facts (x, ws, row);
  row = write_request_facts (x, ws, row);
  row = write_software_facts (x, ws, row) + 1;
  row = write_group_table (x, ws, row);
  row = write_tests (x, ws, row);
  row = write_pairwise (x, ws, row);
  row = write_cox (x, ws, row);
  insert_figure (x, ws, row);
  set_width (x, ws, 0, 0, 30);
  set_width (x, ws, 1, 40, 13);
  worksheet_freeze_panes (ws, 1, 0);
  setup_printing (x, ws, TRUE, 1, 0);
}

/* ---- Kaplan–Meier ------------------------------------------------------------------ */

static void
write_km_headers (Export *x, lxw_worksheet *ws)
{
  g_autofree char *level = level_text (x->result->conf_level);
  g_autofree char *time = g_strdup_printf ("Time (%s)", x->result->time_column);
  g_autofree char *lower = g_strdup_printf ("%s CI lower", level);
  g_autofree char *upper = g_strdup_printf ("%s CI upper", level);
  const char *const km[KM_COLUMNS] = { "Group", time, "At risk", "Events", "Censored",
                                       "Survival", "SE", lower, upper };
  const char *const steps[] = { "Chart: group", "Time", "Survival" };
  const char *const censored[] = { "Censored: group", "Time", "Survival" };

  put_headers (x, ws, 0, 0, km, KM_COLUMNS);
  put_headers (x, ws, 0, KM_STEP_COL, steps, G_N_ELEMENTS (steps));
  put_headers (x, ws, 0, KM_CENSOR_COL, censored, G_N_ELEMENTS (censored));
}

/* The group's full table from ROW on; returns the next free row. */
static lxw_row_t
write_km_rows (Export *x, lxw_worksheet *ws, lxw_row_t row, const StrataGroupResult *g)
{
  const StrataKmTable *km = g->km;

  for (guint i = 0; i < km->len; i++, row++)
    {
      put_text (x, ws, row, 0, g->label, NULL);
      put_number (x, ws, row, 1, km->time[i], NULL);
      put_count (x, ws, row, 2, km->n_risk[i]);
      put_count (x, ws, row, 3, km->n_event[i]);
      put_count (x, ws, row, 4, km->n_censor[i]);
      put_number (x, ws, row, 5, km->surv[i], x->f.fraction);
      put_number (x, ws, row, 6, km->std_err[i], x->f.fraction);
      put_number (x, ws, row, 7, km->lower[i], x->f.fraction);
      put_number (x, ws, row, 8, km->upper[i], x->f.fraction);
    }
  return row;
}

static void
put_point (Export *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *label,
           double time, double surv)
{
  put_text (x, ws, row, col, label, NULL);
  put_number (x, ws, row, col + 1, time, NULL);
  put_number (x, ws, row, col + 2, surv, x->f.fraction);
}

/* The curve of G as a staircase: (0, 1), then at each event time the point before and
 * after the drop, and the last time. Writes from ROW on; returns the next free row. */
static lxw_row_t
write_steps (Export *x, lxw_worksheet *ws, lxw_row_t row, const StrataGroupResult *g)
{
  const StrataKmTable *km = g->km;
  double level = 1;

  put_point (x, ws, row++, KM_STEP_COL, g->label, 0, 1);
  for (guint i = 0; i < km->len; i++)
    {
      if (km->n_event[i] == 0)
        continue;
      put_point (x, ws, row++, KM_STEP_COL, g->label, km->time[i], level);
      put_point (x, ws, row++, KM_STEP_COL, g->label, km->time[i], km->surv[i]);
      level = km->surv[i];
    }
  if (km->len > 0 && km->n_event[km->len - 1] == 0)
    put_point (x, ws, row++, KM_STEP_COL, g->label, km->time[km->len - 1], level);
  return row;
}

/* The censoring marks of G: one point per time with censored patients. */
static lxw_row_t
write_censor_marks (Export *x, lxw_worksheet *ws, lxw_row_t row, const StrataGroupResult *g)
{
  const StrataKmTable *km = g->km;

  for (guint i = 0; i < km->len; i++)
    if (km->n_censor[i] > 0)
      put_point (x, ws, row++, KM_CENSOR_COL, g->label, km->time[i], km->surv[i]);
  return row;
}

/* Rows [first, last] of one chart series on the Kaplan–Meier sheet; empty when
 * last < first. */
typedef struct {
  lxw_row_t first, last;
} SeriesRows;

static void
add_curve_series (lxw_chart *chart, const SeriesRows *rows, lxw_col_t col, const char *name,
                  lxw_color_t color, gboolean marks)
{
  lxw_chart_series *series = chart_add_series (chart, NULL, NULL);
  lxw_chart_line line = { .color = color, .width = 1.5, .none = marks };
  lxw_chart_line mark_line = { .color = color, .width = 1 };

  chart_series_set_categories (series, SHEET_KM, rows->first, col + 1, rows->last, col + 1);
  chart_series_set_values (series, SHEET_KM, rows->first, col + 2, rows->last, col + 2);
  chart_series_set_name (series, name);
  chart_series_set_line (series, &line);
  chart_series_set_marker_type (series, marks ? LXW_CHART_MARKER_PLUS : LXW_CHART_MARKER_NONE);
  if (marks)
    chart_series_set_marker_line (series, &mark_line);
}

static void
style_km_chart (lxw_chart *chart, const char *time_column)
{
  g_autofree char *x_name = g_strdup_printf ("Time (%s)", time_column);

  chart_title_set_name (chart, "Kaplan–Meier estimates");
  chart_axis_set_name (chart->x_axis, x_name);
  chart_axis_set_min (chart->x_axis, 0);
  chart_axis_set_name (chart->y_axis, "Survival");
  chart_axis_set_min (chart->y_axis, 0);
  chart_axis_set_max (chart->y_axis, 1);
  chart_axis_set_num_format (chart->y_axis, "0%");
  chart_axis_major_gridlines_set_visible (chart->y_axis, LXW_FALSE);
  chart_legend_set_position (chart, LXW_CHART_LEGEND_BOTTOM);
}

/* A scatter chart with straight lines: one staircase per group, censoring marks as "+"
 * (left out of the legend). */
static void
insert_km_chart (Export *x, lxw_worksheet *ws, const SeriesRows *steps, const SeriesRows *marks)
{
  const StrataResult *r = x->result;
  lxw_chart *chart = workbook_add_chart (x->book, LXW_CHART_SCATTER_STRAIGHT);
  g_autofree int16_t *hidden = g_new (int16_t, r->groups->len + 1);
  lxw_chart_options placement = { .x_scale = 1.5, .y_scale = 1.5,
                                  .description = "Kaplan–Meier curves by group" };
  guint n_series = r->groups->len, n_hidden = 0;

  for (guint g = 0; g < r->groups->len; g++)
    add_curve_series (chart, &steps[g], KM_STEP_COL, group_at (r, g)->label,
                      group_colors[g % G_N_ELEMENTS (group_colors)], FALSE);
  for (guint g = 0; g < r->groups->len; g++)
    if (marks[g].last >= marks[g].first)
      {
        add_curve_series (chart, &marks[g], KM_CENSOR_COL, group_at (r, g)->label,
                          group_colors[g % G_N_ELEMENTS (group_colors)], TRUE);
        hidden[n_hidden++] = (int16_t) n_series++;
      }
  hidden[n_hidden] = -1;
  if (n_hidden > 0)
    keep_status (x, chart_legend_delete_series (chart, hidden));
  style_km_chart (chart, r->time_column);
  keep_status (x, worksheet_insert_chart_opt (ws, 1, KM_CHART_COL, chart, &placement));
}

/* The chart's data: every group's staircase and censoring marks. */
static void
write_chart_data (Export *x, lxw_worksheet *ws, SeriesRows *steps, SeriesRows *marks)
{
  lxw_row_t step_row = 1, mark_row = 1;

  for (guint g = 0; g < x->result->groups->len; g++)
    {
      const StrataGroupResult *group = group_at (x->result, g);
      steps[g].first = step_row;
      step_row = write_steps (x, ws, step_row, group);
      steps[g].last = step_row - 1;
      marks[g].first = mark_row;
      mark_row = write_censor_marks (x, ws, mark_row, group);
      marks[g].last = mark_row - 1;
    }
}

static void
write_km_sheet (Export *x, lxw_worksheet *ws)
{
  const StrataResult *r = x->result;
  guint n_groups = r->groups->len;
  g_autofree SeriesRows *steps = g_new0 (SeriesRows, n_groups + 1);
  g_autofree SeriesRows *marks = g_new0 (SeriesRows, n_groups + 1);
  lxw_row_t row = 1;

  write_km_headers (x, ws);
  for (guint g = 0; g < n_groups; g++)
    row = write_km_rows (x, ws, row, group_at (r, g));
  write_chart_data (x, ws, steps, marks);
  if (n_groups <= MAX_CHART_GROUPS)
    insert_km_chart (x, ws, steps, marks);
  keep_status (x, worksheet_autofilter (ws, 0, 0, MAX (row - 1, 1), KM_COLUMNS - 1));
  set_width (x, ws, 0, 0, 16);
  set_width (x, ws, 1, KM_COLUMNS - 1, 11);
  set_width (x, ws, KM_STEP_COL, KM_STEP_COL, 16);
  set_width (x, ws, KM_CENSOR_COL, KM_CENSOR_COL, 16);
  worksheet_freeze_panes (ws, 1, 0);
  /* The table and the chart, not the chart's data. */
  setup_printing (x, ws, TRUE, 1, 0);
  keep_status (x, worksheet_print_area (ws, 0, 0, MAX (row - 1, KM_CHART_LAST_ROW), KM_STEP_COL - 1));
}

/* ---- Responses --------------------------------------------------------------------- */

static GPtrArray *
response_headers (const StrataResponseTable *table, double conf_level)
{
  GPtrArray *h = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *level = level_text (conf_level);

  g_ptr_array_add (h, g_strdup ("Group"));
  for (guint l = 0; l < table->levels->len; l++)
    g_ptr_array_add (h, g_strdup (g_ptr_array_index (table->levels, l)));
  g_ptr_array_add (h, g_strdup ("Evaluable"));
  g_ptr_array_add (h, g_strdup_printf ("%s (n)", table->success));
  g_ptr_array_add (h, g_strdup_printf ("%s (%%)", table->success));
  g_ptr_array_add (h, g_strdup_printf ("Clopper–Pearson %s CI lower", level));
  g_ptr_array_add (h, g_strdup_printf ("Clopper–Pearson %s CI upper", level));
  g_ptr_array_add (h, g_strdup_printf ("Wilson %s CI lower", level));
  g_ptr_array_add (h, g_strdup_printf ("Wilson %s CI upper", level));
  return h;
}

static void
write_response_row (Export *x, lxw_worksheet *ws, lxw_row_t row, const StrataResponseTable *t,
                    const StrataResponseRow *r)
{
  lxw_col_t col = 1 + t->levels->len;

  put_text (x, ws, row, 0, r->group, NULL);
  for (guint l = 0; l < t->levels->len; l++)
    put_count (x, ws, row, 1 + l, r->counts[l]);
  put_count (x, ws, row, col, r->n);
  put_count (x, ws, row, col + 1, r->x);
  put_number (x, ws, row, col + 2, r->p_hat, x->f.percent);
  put_number (x, ws, row, col + 3, r->cp_lower, x->f.percent);
  put_number (x, ws, row, col + 4, r->cp_upper, x->f.percent);
  put_number (x, ws, row, col + 5, r->wilson_lower, x->f.percent);
  put_number (x, ws, row, col + 6, r->wilson_upper, x->f.percent);
}

static lxw_row_t
write_response_tests (Export *x, lxw_worksheet *ws, lxw_row_t row, const StrataResponseTable *t)
{
  put_headers (x, ws, row++, 0, test_headers, G_N_ELEMENTS (test_headers));
  put_text (x, ws, row, 0, "Fisher's exact", NULL);
  put_number (x, ws, row++, 3, t->fisher_p, x->f.p);
  if (t->has_chisq)
    write_test_row (x, ws, row++, "Pearson's chi-square", t->chisq.statistic, t->chisq.df,
                    t->chisq.p);
  else
    put_text (x, ws, row++, 0, "Pearson's chi-square: not computable", x->f.note);
  return row;
}

/* Who a response table counts: "patients with F1 and F2 (N analysed)", or all patients. */
static char *
population_text (const StrataResult *r)
{
  g_autofree char *where = join_or (r->where, " and ", NULL);

  if (where == NULL)
    return g_strdup_printf ("all patients (%u analysed)", r->rows_used);
  return g_strdup_printf ("patients with %s (%u analysed)", where, r->rows_used);
}

/* One response table of RESULT from ROW on, under TITLE (NULL: "column: level"):
 * heading, population, headers, a row per group, the tests. *HEADER_ROW is set to the
 * row of its column headers. */
static lxw_row_t
write_response_block (Export *x, lxw_worksheet *ws, lxw_row_t row, const StrataResult *result,
                      const StrataResponseTable *t, const char *title, lxw_row_t *header_row)
{
  g_autoptr (GPtrArray) headers = response_headers (t, result->conf_level);
  g_autofree char *own_title = g_strdup_printf ("%s: %s", t->column, t->success);
  g_autofree char *population = population_text (result);

  put_text (x, ws, row++, 0, title != NULL ? title : own_title, x->f.heading);
  put_text (x, ws, row, 0, "Population", x->f.label);
  put_text (x, ws, row++, 1, population, NULL);
  *header_row = row;
  put_headers (x, ws, row++, 0, (const char *const *) headers->pdata, headers->len);
  for (guint i = 0; i < t->rows->len; i++)
    write_response_row (x, ws, row++, t, g_ptr_array_index (t->rows, i));
  return write_response_tests (x, ws, row + 1, t) + 2;
}

/* The number of response tables on the sheet: the result's and the extra sections'. */
static guint
count_response_tables (const Export *x)
{
  guint n = x->result->responses->len;

  for (guint s = 0; s < x->options->n_extra_responses; s++)
    n += x->options->extra_responses[s].result->responses->len;
  return n;
}

/* One block per response table: the result's, then each extra section's. With a single
 * table its header row is frozen and repeated on printed pages; with several, the group
 * column is frozen and nothing repeats (each block has its own headers). */
static void
write_responses_sheet (Export *x, lxw_worksheet *ws)
{
  GPtrArray *tables = x->result->responses;
  guint n_tables = count_response_tables (x);
  lxw_row_t row = 0, header_row = 0;

  if (n_tables == 0)
    put_text (x, ws, 0, 0, "No response table was requested.", x->f.note);
  for (guint i = 0; i < tables->len; i++)
    row = write_response_block (x, ws, row, x->result, g_ptr_array_index (tables, i), NULL,
                                &header_row);
  for (guint s = 0; s < x->options->n_extra_responses; s++)
    {
      const StrataXlsxResponseSection *section = &x->options->extra_responses[s];
      for (guint i = 0; i < section->result->responses->len; i++)
        row = write_response_block (x, ws, row, section->result,
                                    g_ptr_array_index (section->result->responses, i),
                                    section->title, &header_row);
    }
  if (n_tables == 1)
    worksheet_freeze_panes (ws, header_row + 1, 0);
  else if (n_tables > 1)
    worksheet_freeze_panes (ws, 0, 1);
  set_width (x, ws, 0, 0, 22);
  set_width (x, ws, 1, 30, 13);
  setup_printing (x, ws, TRUE, 1, n_tables == 1 ? (int) header_row : -1);
}

/* ---- Patients ---------------------------------------------------------------------- */

/* Runs the analysis's row pass (strata_analysis_row_inclusion) over options->table with
 * options->spec, so that Patients says of each row what the analysis did with it. FALSE
 * with ERROR when the table and spec do not give the result's patients. */
static gboolean
prepare_inclusion (Export *x, GError **error)
{
  const StrataResult *r = x->result;
  const StrataSpec *spec = x->options->spec;
  g_autoptr (StrataCohort) cohort = strata_cohort_new (x->options->table);
  g_autoptr (GError) local_error = NULL;
  gboolean same_filters = spec->where->len == r->where->len;

  for (guint f = 0; same_filters && f < r->where->len; f++)
    same_filters = g_strcmp0 (((const StrataFilter *) g_ptr_array_index (spec->where, f))->text,
                              g_ptr_array_index (r->where, f)) == 0;
  if (!same_filters)
    {
      g_set_error_literal (error, STRATA_XLSX_ERROR, STRATA_XLSX_ERROR_FAILED,
                           "the patient table does not match the analysis (other filters)");
      return FALSE;
    }
  x->inclusion = strata_analysis_row_inclusion (cohort, spec, &local_error);
  if (x->inclusion == NULL)
    {
      g_set_error (error, STRATA_XLSX_ERROR, STRATA_XLSX_ERROR_FAILED,
                   "the patient table does not match the analysis (%s)", local_error->message);
      return FALSE;
    }
  if (x->inclusion->n_included != r->rows_used)
    {
      g_set_error (error, STRATA_XLSX_ERROR, STRATA_XLSX_ERROR_FAILED,
                   "the patient table does not match the analysis (%u patients included, "
                   "%u analysed)", x->inclusion->n_included, r->rows_used);
      return FALSE;
    }
  return TRUE;
}

static void
write_issue_cells (Export *x, lxw_worksheet *ws, lxw_row_t row, guint line,
                   const StrataIssue *issue)
{
  put_count (x, ws, row, 0, line);
  put_text (x, ws, row, 1, "no", NULL);
  put_text (x, ws, row, 2, issue->column, NULL);
  put_text (x, ws, row, 3, issue->reason, NULL);
}

/* Table row TABLE_ROW: line, inclusion as the analysis decided it, why it was left out
 * (the first filter it fails, or ISSUE: its endpoint or grouping value), and its cells
 * as imported (missing: empty). */
static void
write_patient_row (Export *x, lxw_worksheet *ws, lxw_row_t row, guint table_row,
                   const StrataIssue *issue, lxw_col_t n_cols)
{
  const StrataTable *table = x->options->table;
  guint line = strata_table_get_lines (table)[table_row];
  StrataRowStatus status = x->inclusion->status[table_row];

  if (status == STRATA_ROW_FILTERED)
    {
      const StrataFilter *filter = g_ptr_array_index (x->options->spec->where,
                                                      x->inclusion->filter[table_row]);
      g_autofree char *why = g_strdup_printf ("left out by the filter %s", filter->text);
      put_count (x, ws, row, 0, line);
      put_text (x, ws, row, 1, "no", NULL);
      put_text (x, ws, row, 3, why, NULL);
    }
  else if (status != STRATA_ROW_INCLUDED && issue != NULL)
    write_issue_cells (x, ws, row, line, issue);
  else
    {
      put_count (x, ws, row, 0, line);
      put_text (x, ws, row, 1, status == STRATA_ROW_INCLUDED ? "yes" : "no", NULL);
    }
  for (lxw_col_t c = 0; c < n_cols; c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);
      if (column->type == STRATA_COLUMN_NUMERIC)
        put_value (x, ws, row, 4 + c, column->values[table_row], NULL, NULL);
      else if (column->codes[table_row] != STRATA_MISSING_CODE)
        put_text (x, ws, row, 4 + c, g_ptr_array_index (column->levels, column->codes[table_row]),
                  NULL);
    }
}

/* The index of the first issue from I on that is not on LINE. */
static guint
skip_line (GPtrArray *issues, guint i, guint line)
{
  while (i < issues->len && ((const StrataIssue *) g_ptr_array_index (issues, i))->line == line)
    i++;
  return i;
}

/* Every line of the file in order: the table's rows merged with the issues (sorted by
 * line; those of records import rejected have no row in the table). Stops at Excel's
 * last row with a note. Returns the next free sheet row. */
static lxw_row_t
write_all_patients (Export *x, lxw_worksheet *ws, lxw_col_t n_cols)
{
  const guint *lines = strata_table_get_lines (x->options->table);
  guint n_rows = strata_table_get_n_rows (x->options->table), r = 0, i = 0;
  GPtrArray *issues = x->result->excluded;
  lxw_row_t row = 1;

  while ((r < n_rows || i < issues->len) && row < LXW_ROW_MAX - 1)
    {
      const StrataIssue *issue = i < issues->len ? g_ptr_array_index (issues, i) : NULL;
      if (issue != NULL && (r == n_rows || issue->line < lines[r]))
        {
          write_issue_cells (x, ws, row++, issue->line, issue);
          i = skip_line (issues, i, issue->line);
          continue;
        }
      write_patient_row (x, ws, row++, r, issue != NULL && issue->line == lines[r] ? issue : NULL,
                         n_cols);
      i = skip_line (issues, i, lines[r++]);
    }
  if (r < n_rows || i < issues->len)
    put_text (x, ws, row++, 0, "The remaining rows do not fit in an Excel sheet.", x->f.note);
  return row;
}

static lxw_row_t
write_excluded_patients (Export *x, lxw_worksheet *ws)
{
  GPtrArray *issues = x->result->excluded;
  lxw_row_t row = 1;

  for (guint i = 0; i < issues->len && row < LXW_ROW_MAX; i++, row++)
    {
      const StrataIssue *issue = g_ptr_array_index (issues, i);
      write_issue_cells (x, ws, row, issue->line, issue);
    }
  if (issues->len == 0)
    put_text (x, ws, row++, 0, "No row was excluded.", x->f.note);
  return row;
}

/* With the table: every row with its inclusion and cells; without: the excluded rows. */
static void
write_patients_sheet (Export *x, lxw_worksheet *ws)
{
  const char *const headers[] = { "Line", "Included", "Column at fault", "Reason" };
  const StrataTable *table = x->inclusion != NULL ? x->options->table : NULL;
  lxw_col_t n_cols = 0;
  lxw_row_t rows;

  put_headers (x, ws, 0, 0, headers, G_N_ELEMENTS (headers));
  if (table != NULL)
    n_cols = MIN (strata_table_get_n_columns (table), LXW_COL_MAX - G_N_ELEMENTS (headers));
  for (lxw_col_t c = 0; c < n_cols; c++)
    put_text (x, ws, 0, 4 + c, strata_table_get_column (table, c)->name, x->f.header);
  rows = table != NULL ? write_all_patients (x, ws, n_cols) : write_excluded_patients (x, ws);
  keep_status (x, worksheet_autofilter (ws, 0, 0, MAX (rows - 1, 1), 3 + n_cols));
  set_width (x, ws, 0, 1, 9);
  set_width (x, ws, 2, 2, 16);
  set_width (x, ws, 3, 3, 44);
  if (n_cols > 0)
    set_width (x, ws, 4, 3 + n_cols, 13);
  worksheet_freeze_panes (ws, 1, 0);
  /* One page wide while that keeps it at half size or more, else as many as it takes. */
  double chars = 2 * 9 + 16 + 44 + 13.0 * n_cols;
  setup_printing (x, ws, TRUE, (guint16) MIN (ceil (chars / (2 * LANDSCAPE_PAGE_CHARS)), 100), 0);
}

/* ---- Methods ----------------------------------------------------------------------- */

/* The time unit for prose: the option, else a word in the time column's name. */
static const char *
time_unit (const StrataResult *r, const StrataXlsxOptions *options)
{
  static const char *const units[][2] = {
    { "month", "months" }, { "week", "weeks" }, { "day", "days" }, { "year", "years" },
  };
  g_autofree char *name = g_ascii_strdown (r->time_column != NULL ? r->time_column : "", -1);

  if (options->time_unit != NULL)
    return options->time_unit;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strstr (name, units[i][0]) != NULL)
      return units[i][1];
  return NULL;
}

/* "12 and 24 months", or NULL without landmark times. */
static char *
landmark_words (const StrataResult *r, const char *unit)
{
  g_autoptr (GPtrArray) times = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < r->landmark_times->len; i++)
    g_ptr_array_add (times, g_strdup_printf ("%.10g", g_array_index (r->landmark_times, double, i)));
  g_autofree char *list = join_and (times);
  if (list == NULL)
    return NULL;
  return g_strdup_printf ("%s%s%s", list, unit != NULL ? " " : "", unit != NULL ? unit : "");
}

static void
methods_estimation (GString *out, const StrataResult *r, const char *unit)
{
  static const char *const transforms[] = {
    [STRATA_CONF_LOG_LOG] = "on the log-log scale", [STRATA_CONF_LOG] = "on the log scale",
    [STRATA_CONF_PLAIN] = "without transformation (plain)",
  };
  g_autofree char *level = level_text (r->conf_level);
  g_autofree char *landmarks = landmark_words (r, unit);
  double horizon = r->groups->len > 0 ? group_at (r, 0)->rmean_upper_limit : NAN;

  g_string_append_printf (out, "Survival was estimated with the Kaplan–Meier method (time: %s; "
                          "event: %s), with Greenwood's variance and %s pointwise confidence "
                          "intervals %s. Medians are reported with %s confidence intervals "
                          "read from the confidence limits of the curve",
                          r->time_column, r->event_column, level, transforms[r->conf_type],
                          level);
  if (landmarks != NULL)
    g_string_append_printf (out, ", survival at %s with its pointwise interval", landmarks);
  g_string_append_printf (out, ", and the restricted mean survival time up to the longest "
                          "follow-up in the cohort (%.10g%s%s). ", horizon,
                          unit != NULL ? " " : "", unit != NULL ? unit : "");
}

static void
methods_comparison (GString *out, const StrataResult *r, StrataPAdjust p_adjust)
{
  g_autofree char *by = join_or (r->by, " × ", "");

  if (r->logrank == NULL)
    return;
  g_string_append_printf (out, "Groups (%s) were compared with the log-rank test and the "
                          "Peto–Peto test (Harrington–Fleming ρ = 1)", by);
  if (r->has_trend)
    g_string_append (out, ", with a log-rank test for trend across the ordered groups");
  if (r->groups->len > 2)
    g_string_append_printf (out, "; pairwise log-rank p-values were adjusted with the "
                            "%s method", p_adjust_name (p_adjust));
  g_string_append (out, ". ");
}

/* The filters of SECTION that RESULT does not have, joined with "and"; NULL if none. */
static char *
added_filters (const StrataResult *result, const StrataResult *section)
{
  g_autoptr (GPtrArray) added = g_ptr_array_new ();

  for (guint i = 0; i < section->where->len; i++)
    {
      const char *filter = g_ptr_array_index (section->where, i);
      gboolean shared = FALSE;
      for (guint j = 0; j < result->where->len && !shared; j++)
        shared = g_strcmp0 (filter, g_ptr_array_index (result->where, j)) == 0;
      if (!shared)
        g_ptr_array_add (added, (gpointer) filter);
    }
  return join_and (added);
}

/* The response analyses of other populations: what each table is and whom it counts. */
static void
methods_extra_responses (GString *out, const StrataResult *r, const StrataXlsxOptions *o)
{
  for (guint s = 0; s < o->n_extra_responses; s++)
    {
      const StrataXlsxResponseSection *section = &o->extra_responses[s];
      const StrataResult *extra = section->result;
      g_autofree char *added = added_filters (r, extra);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

      if (extra->responses->len == 0)
        continue;
      for (guint i = 0; i < extra->responses->len; i++)
        {
          const StrataResponseTable *t = g_ptr_array_index (extra->responses, i);
          g_ptr_array_add (names, g_strdup_printf ("%s = %s", t->column, t->success));
        }
      g_autofree char *tables = join_and (names);
      g_string_append_printf (out, "%s%s%s (%s) was analysed separately in the %u patients%s%s, "
                              "with the same methods. ",
                              section->title != NULL ? "“" : "",
                              section->title != NULL ? section->title : "Response",
                              section->title != NULL ? "”" : "", tables, extra->rows_used,
                              added != NULL ? " with " : "", added != NULL ? added : "");
    }
}

static void
methods_models (GString *out, const StrataResult *r, const StrataXlsxOptions *o)
{
  g_autofree char *level = level_text (r->conf_level);
  gboolean responses = r->responses->len > 0;

  for (guint s = 0; s < o->n_extra_responses; s++)
    responses = responses || o->extra_responses[s].result->responses->len > 0;
  if (r->cox_efron != NULL)
    g_string_append_printf (out, "Hazard ratios with %s confidence intervals came from Cox "
                            "proportional hazards models with Efron's method for ties, with "
                            "%s as the reference group. ", level, r->reference_level);
  if (responses)
    g_string_append_printf (out, "Response proportions are given with Clopper–Pearson exact "
                            "(and Wilson score) %s confidence intervals%s. ", level,
                            r->groups->len > 1 ? " and were compared between groups with "
                                                 "Fisher's exact test" : "");
  methods_extra_responses (out, r, o);
}

static void
methods_scope (GString *out, const StrataResult *r, const char *version,
               const char *validated_against)
{
  g_autofree char *where = join_or (r->where, " and ", NULL);

  if (where != NULL)
    g_string_append_printf (out, "The analysis was restricted to patients with %s (%u patients). ",
                            where, r->rows_used);
  g_string_append_printf (out, "Analyses were done in Strata %s, whose results match %s.",
                          version, validated_against);
}

char *
strata_xlsx_methods_text (const StrataResult *result, const StrataXlsxOptions *options)
{
  static const StrataXlsxOptions defaults = { 0 };
  const StrataXlsxOptions *o = options != NULL ? options : &defaults;
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (result != NULL, NULL);
  methods_estimation (out, result, time_unit (result, o));
  methods_comparison (out, result, o->p_adjust);
  methods_models (out, result, o);
  methods_scope (out, result, o->version != NULL ? o->version : PACKAGE_VERSION,
                 o->validated_against != NULL ? o->validated_against : DEFAULT_VALIDATION);
  return g_string_free (out, FALSE);
}

static void
write_methods_sheet (Export *x, lxw_worksheet *ws)
{
  g_autofree char *text = strata_xlsx_methods_text (x->result, x->options);

  put_text (x, ws, 0, 0, "Methods", x->f.title);
  put_text (x, ws, 2, 0, text, x->f.wrap);
  keep_status (x, worksheet_set_row (ws, 2, 15 * (1 + strlen (text) / 110), NULL));
  set_width (x, ws, 0, 0, 110);
  worksheet_freeze_panes (ws, 1, 0);
  setup_printing (x, ws, FALSE, 1, -1);
}

/* ---- before writing ---------------------------------------------------------------- */

/* The SHA-256 of PATH in hex, or a sentence saying why there is none. */
static char *
file_checksum (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, &error);
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (65536);
  gssize n = 0;

  while (in != NULL && (n = g_input_stream_read (G_INPUT_STREAM (in), buffer, 65536, NULL,
                                                 &error)) > 0)
    g_checksum_update (sum, buffer, n);
  if (error != NULL)
    return g_strdup_printf ("not available: %s", error->message);
  return g_strdup (g_checksum_get_string (sum));
}

/* TRUE when PNG starts as a PNG file does: the signature, then the IHDR chunk with a
 * width and a height (what libxlsxwriter reads; it would print its own complaint). */
static gboolean
check_figure (GBytes *png, GError **error)
{
  static const guchar signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint32 size_be[2] = { 0, 0 };
  gsize size;
  const guchar *data;

  if (png == NULL)
    return TRUE;
  data = g_bytes_get_data (png, &size);
  if (size >= 33)
    memcpy (size_be, data + 16, sizeof size_be);
  if (size >= 33 && memcmp (data, signature, sizeof signature) == 0 &&
      memcmp (data + 12, "IHDR", 4) == 0 && size_be[0] != 0 && size_be[1] != 0)
    return TRUE;
  g_set_error_literal (error, STRATA_XLSX_ERROR, STRATA_XLSX_ERROR_FIGURE,
                       "the figure to embed is not a PNG image");
  return FALSE;
}

/* The Kaplan–Meier sheet holds every row of every group, and the chart twice as many. */
static gboolean
check_sheet_size (const StrataResult *r, GError **error)
{
  guint64 rows = 1;

  for (guint g = 0; g < r->groups->len; g++)
    rows += 2 * (guint64) group_at (r, g)->km->len + 2;
  if (rows <= LXW_ROW_MAX)
    return TRUE;
  g_set_error (error, STRATA_XLSX_ERROR, STRATA_XLSX_ERROR_TOO_LARGE,
               "the Kaplan–Meier tables need %" G_GUINT64_FORMAT " rows, more than an Excel "
               "sheet holds (%d)", rows, LXW_ROW_MAX);
  return FALSE;
}

static void
export_clear (Export *x)
{
  g_free (x->checksum);
  g_clear_pointer (&x->inclusion, strata_row_inclusion_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Export, export_clear)

/* Everything that can fail before a byte is written. */
static gboolean
export_prepare (Export *x, GError **error)
{
  const StrataResult *r = x->result;
  const char *source = x->options->source_path != NULL ? x->options->source_path : r->file;

  x->version = x->options->version != NULL ? x->options->version : PACKAGE_VERSION;
  if (!check_figure (x->options->figure_png, error) || !check_sheet_size (r, error))
    return FALSE;
  for (guint s = 0; s < x->options->n_extra_responses; s++)
    if (x->options->extra_responses == NULL || x->options->extra_responses[s].result == NULL)
      {
        g_set_error_literal (error, STRATA_XLSX_ERROR, STRATA_XLSX_ERROR_FAILED,
                             "a response section has no result");
        return FALSE;
      }
  if (x->options->table != NULL && x->options->spec != NULL && !prepare_inclusion (x, error))
    return FALSE;
  x->checksum = file_checksum (source != NULL ? source : "");
  return TRUE;
}

/* ---- writing ----------------------------------------------------------------------- */

static void
formats_init (Formats *f, lxw_workbook *book)
{
  lxw_format **numeric[] = { &f->p, &f->percent, &f->fraction, &f->dec1, &f->dec2 };
  const char *const codes[] = { FORMAT_P, "0.0%", "0.0000", "0.0", "0.00" };

  f->title = workbook_add_format (book);
  format_set_bold (f->title);
  format_set_font_size (f->title, 14);
  f->heading = workbook_add_format (book);
  format_set_bold (f->heading);
  format_set_font_size (f->heading, 12);
  f->label = workbook_add_format (book);
  format_set_bold (f->label);
  f->header = workbook_add_format (book);
  format_set_bold (f->header);
  format_set_text_wrap (f->header);
  format_set_align (f->header, LXW_ALIGN_VERTICAL_BOTTOM);
  format_set_bottom (f->header, LXW_BORDER_THIN);
  f->wrap = workbook_add_format (book);
  format_set_text_wrap (f->wrap);
  format_set_align (f->wrap, LXW_ALIGN_VERTICAL_TOP);
  f->note = workbook_add_format (book);
  format_set_italic (f->note);
  f->na = workbook_add_format (book);
  format_set_align (f->na, LXW_ALIGN_RIGHT);
  for (guint i = 0; i < G_N_ELEMENTS (numeric); i++)
    {
      *numeric[i] = workbook_add_format (book);
      format_set_num_format (*numeric[i], codes[i]);
    }
}

static void
set_properties (Export *x)
{
  g_autofree char *name = g_path_get_basename (x->result->file != NULL ? x->result->file : "");
  g_autofree char *title = g_strdup_printf ("Survival analysis of %s", name);
  g_autofree char *comments = g_strdup_printf ("Written by Strata %s", x->version);
  lxw_doc_properties properties = { .title = title, .comments = comments };

  keep_status (x, workbook_set_properties (x->book, &properties));
}

/* Builds the workbook into FILE_PATH. libxlsxwriter formats numbers with snprintf, so
 * the thread runs in the C locale meanwhile: a decimal comma would corrupt the XML. */
static lxw_error
export_write (Export *x, const char *file_path)
{
  locale_t c_locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
  locale_t previous = c_locale != (locale_t) 0 ? uselocale (c_locale) : (locale_t) 0;
  lxw_error closed;

  x->book = workbook_new (file_path);
  if (x->book == NULL)
    closed = LXW_ERROR_MEMORY_MALLOC_FAILED;
  else
    {
      formats_init (&x->f, x->book);
      set_properties (x);
      write_summary (x, workbook_add_worksheet (x->book, SHEET_SUMMARY));
      write_km_sheet (x, workbook_add_worksheet (x->book, SHEET_KM));
      write_responses_sheet (x, workbook_add_worksheet (x->book, SHEET_RESPONSES));
      write_patients_sheet (x, workbook_add_worksheet (x->book, SHEET_PATIENTS));
      write_methods_sheet (x, workbook_add_worksheet (x->book, SHEET_METHODS));
      errno = 0;
      closed = workbook_close (x->book);
      x->close_errno = errno;
    }
  if (c_locale != (locale_t) 0)
    {
      uselocale (previous);
      freelocale (c_locale);
    }
  return x->status != LXW_NO_ERROR ? x->status : closed;
}

/* ---- the file -------------------------------------------------------------------- */

/* StrataAtomicWriteFunc: builds the workbook into the temporary file TEMP_PATH. A
 * failure to write the file (disk full...) is reported as the system's error, in the
 * G_FILE_ERROR domain as strata-atomic-file.h does; others in libxlsxwriter's words. */
static gboolean
write_workbook_cb (const char *temp_path, gpointer data, GError **error)
{
  Export *x = data;
  lxw_error status = export_write (x, temp_path);
  gboolean io_error = status >= LXW_ERROR_CREATING_XLSX_FILE && status <= LXW_ERROR_ZIP_CLOSE;

  if (status == LXW_NO_ERROR)
    return TRUE;
  if (io_error && x->close_errno != 0)
    g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (x->close_errno),
                         g_strerror (x->close_errno));
  else
    g_set_error (error, STRATA_XLSX_ERROR, STRATA_XLSX_ERROR_FAILED,
                 "the workbook could not be written (%s)", lxw_strerror (status));
  return FALSE;
}

gboolean
strata_xlsx_export (const StrataResult *result, const StrataXlsxOptions *options,
                    const char *path, GError **error)
{
  static const StrataXlsxOptions defaults = { 0 };
  g_auto (Export) x = { .result = result, .options = options ? options : &defaults };

  g_return_val_if_fail (result != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!export_prepare (&x, error))
    {
      g_autofree char *shown = g_filename_display_name (path);
      g_prefix_error (error, "Could not save “%s”: ", shown);
      return FALSE;
    }
  return strata_atomic_file_replace (path, write_workbook_cb, &x, error);
}

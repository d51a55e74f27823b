/* strata-analysis.c: the analysis driver. A run costs a few linear passes over the
 * cohort: one over the table (filters and group of each row), one over the rows
 * pre-sorted by time (bucketing by group), then per-group estimates. */
#include "strata-analysis.h"
#include "strata-i18n.h"
#include "strata-risk-set.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (strata-analysis-error-quark, strata_analysis_error)

#define ROW_FILTERED G_MAXUINT32       /* left out by a --where filter */
#define ROW_NO_GROUP (G_MAXUINT32 - 1) /* kept, but a grouping value is missing */
#define MAX_GROUPS 10000
#define FISHER_MC_REPLICATES 100000   /* Monte Carlo Fisher: SE of p below 0.0016 */
#define FISHER_MC_SEED G_GUINT64_CONSTANT (20261130)

/* A column as an analysis reads it: factor codes or numbers, indexed either by table
 * row or by position in the endpoint's time order. */
typedef struct {
  const guint32 *codes;
  const double *values;
} ColumnData;

/* One --where filter resolved against the data. */
typedef struct {
  const StrataFilter *filter;
  ColumnData data;
  guint8 *allowed;              /* categorical: per level */
} FilterView;

/* One --by grouping resolved against the data: a code per row and the level labels. */
typedef struct {
  const StrataGrouping *grouping;
  const StrataFactor *factor;   /* categorical grouping; NULL for a cut */
  ColumnData data;
  guint n_levels;
} Dimension;

static char *
level_label (const Dimension *dim, guint level)
{
  if (dim->factor != NULL)
    return g_strdup (g_ptr_array_index (dim->factor->labels, level));
  return g_strdup_printf ("%s%s%s", dim->grouping->column, level == 0 ? "<" : ">=",
                          dim->grouping->threshold_text);
}

static guint32
dimension_code (const Dimension *dim, guint i)
{
  if (dim->factor != NULL)
    return dim->data.codes[i];
  double v = dim->data.values[i];
  if (isnan (v))
    return STRATA_MISSING_CODE;
  return v >= dim->grouping->threshold ? 1 : 0;
}

static gboolean
filter_holds (const FilterView *view, guint i)
{
  if (view->filter->numeric)
    {
      double v = view->data.values[i];
      return !isnan (v) && strata_compare_holds (view->filter->op, v, view->filter->threshold);
    }
  guint32 code = view->data.codes[i];
  return code != STRATA_MISSING_CODE && view->allowed[code];
}

static void
filter_views_free (FilterView *views, guint n)
{
  for (guint f = 0; f < n; f++)
    g_free (views[f].allowed);
  g_free (views);
}

/* LABELS (char*) joined by ", ". The array is not NULL-terminated (it may be a
 * table's level array), so g_strjoinv() cannot be used on its pdata. */
static char *
join_labels (const GPtrArray *labels)
{
  GString *text = g_string_new (NULL);

  for (guint l = 0; l < labels->len; l++)
    {
      if (l > 0)
        g_string_append (text, ", ");
      g_string_append (text, g_ptr_array_index (labels, l));
    }
  return g_string_free (text, FALSE);
}

/* Resolves every --where filter (table order); NULL with ERROR for an unknown column
 * or value. */
static FilterView *
resolve_filters (StrataCohort *cohort, const StrataSpec *spec, GError **error)
{
  guint n = spec->where->len;
  FilterView *views = g_new0 (FilterView, n + 1);

  for (guint f = 0; f < n; f++)
    {
      const StrataFilter *filter = g_ptr_array_index (spec->where, f);
      views[f].filter = filter;
      if (filter->numeric)
        {
          views[f].data.values = strata_cohort_get_numeric (cohort, filter->column, error);
          if (views[f].data.values == NULL)
            goto fail;
          continue;
        }
      const StrataFactor *factor = strata_cohort_get_factor (cohort, filter->column, error);
      if (factor == NULL)
        goto fail;
      views[f].data.codes = factor->codes;
      views[f].allowed = g_new0 (guint8, MAX (factor->labels->len, 1));
      for (guint v = 0; filter->values[v] != NULL; v++)
        {
          gboolean found = FALSE;
          for (guint l = 0; l < factor->labels->len; l++)
            if (g_strcmp0 (g_ptr_array_index (factor->labels, l), filter->values[v]) == 0)
              views[f].allowed[l] = found = TRUE;
          if (!found)
            {
              g_autofree char *known = join_labels (factor->labels);
              g_set_error (error, STRATA_ANALYSIS_ERROR, STRATA_ANALYSIS_ERROR_UNKNOWN_VALUE,
                           _("%s: column “%s” has no value “%s”; its values are: %s"),
                           strata_table_get_display_name (strata_cohort_get_table (cohort)),
                           filter->column, filter->values[v], known);
              goto fail;
            }
        }
    }
  return views;

fail:
  filter_views_free (views, n);
  return NULL;
}

static gboolean
resolve_dimensions (StrataCohort *cohort, const StrataSpec *spec, Dimension *dims,
                    guint *n_combos, GError **error)
{
  *n_combos = 1;
  for (guint d = 0; d < spec->by->len; d++)
    {
      dims[d].grouping = g_ptr_array_index (spec->by, d);
      if (dims[d].grouping->cut)
        {
          dims[d].data.values = strata_cohort_get_numeric (cohort, dims[d].grouping->column, error);
          if (dims[d].data.values == NULL)
            return FALSE;
          dims[d].n_levels = 2;
        }
      else
        {
          dims[d].factor = strata_cohort_get_factor (cohort, dims[d].grouping->column, error);
          if (dims[d].factor == NULL)
            return FALSE;
          if (dims[d].factor->labels->len == 0)
            {
              /* No level to label a group with (every cell missing). */
              g_set_error (error, STRATA_ANALYSIS_ERROR, STRATA_ANALYSIS_ERROR_NO_ROWS,
                           _("%s: --by=%s: column “%s” has no values (every cell is missing)"),
                           strata_table_get_display_name (strata_cohort_get_table (cohort)),
                           dims[d].grouping->text, dims[d].grouping->column);
              return FALSE;
            }
          dims[d].data.codes = dims[d].factor->codes;
          dims[d].n_levels = MAX (dims[d].factor->labels->len, 1);
        }
      *n_combos *= dims[d].n_levels;
      if (*n_combos > MAX_GROUPS)
        {
          g_set_error (error, STRATA_ANALYSIS_ERROR, STRATA_ANALYSIS_ERROR_TOO_MANY_GROUPS,
                       _("--by: the grouping makes more than %d groups; group by columns with "
                         "fewer values"), MAX_GROUPS);
          return FALSE;
        }
    }
  return TRUE;
}

/* The same column data rearranged in the endpoint's time order (cached by the cohort). */
static ColumnData
sorted_data (StrataCohort *cohort, const StrataEndpoint *endpoint, const char *column,
             ColumnData data)
{
  ColumnData sorted = { 0 };

  if (data.codes != NULL)
    sorted.codes = strata_cohort_sorted_codes (cohort, endpoint, column, data.codes);
  if (data.values != NULL)
    sorted.values = strata_cohort_sorted_values (cohort, endpoint, column, data.values);
  return sorted;
}

/* The combined group code of N rows (mixed radix over the dimensions), or
 * ROW_FILTERED / ROW_NO_GROUP. */
static guint32 *
assign_rows (const FilterView *filters, guint n_filters, const Dimension *dims, guint n_dims,
             guint n)
{
  guint32 *combo = g_new (guint32, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      guint32 code = 0;
      for (guint f = 0; f < n_filters && code != ROW_FILTERED; f++)
        if (!filter_holds (&filters[f], i))
          code = ROW_FILTERED;
      for (guint d = 0; d < n_dims && code < ROW_NO_GROUP; d++)
        {
          guint32 level = dimension_code (&dims[d], i);
          code = level == STRATA_MISSING_CODE ? ROW_NO_GROUP : code * dims[d].n_levels + level;
        }
      combo[i] = code;
    }
  return combo;
}

/* The combos of the endpoint's rows, in time order: filters and groupings read from
 * the cohort's time-ordered copies of their columns, so the pass is sequential. */
static guint32 *
assign_sorted_rows (StrataCohort *cohort, const StrataEndpoint *endpoint,
                    const FilterView *filters, guint n_filters, const Dimension *dims,
                    guint n_dims)
{
  g_autofree FilterView *sorted_filters = g_memdup2 (filters, sizeof (FilterView) * (n_filters + 1));
  g_autofree Dimension *sorted_dims = g_memdup2 (dims, sizeof (Dimension) * (n_dims + 1));

  for (guint f = 0; f < n_filters; f++)
    sorted_filters[f].data = sorted_data (cohort, endpoint, filters[f].filter->column, filters[f].data);
  for (guint d = 0; d < n_dims; d++)
    sorted_dims[d].data = sorted_data (cohort, endpoint, dims[d].grouping->column, dims[d].data);
  return assign_rows (sorted_filters, n_filters, sorted_dims, n_dims, endpoint->n);
}

/* The name of the first grouping column whose value is missing in ROW. */
static const char *
missing_dimension (const Dimension *dims, guint n_dims, guint row)
{
  for (guint d = 0; d < n_dims; d++)
    if (dimension_code (&dims[d], row) == STRATA_MISSING_CODE)
      return dims[d].grouping->column;
  return NULL;
}

static char *
combo_label (const Dimension *dims, guint n_dims, guint combo)
{
  if (n_dims == 0)
    return g_strdup ("All");
  g_autofree guint *levels = g_new (guint, n_dims);
  for (gint d = (gint) n_dims - 1; d >= 0; d--)
    {
      levels[d] = combo % dims[d].n_levels;
      combo /= dims[d].n_levels;
    }
  GString *label = g_string_new (NULL);
  for (guint d = 0; d < n_dims; d++)
    {
      g_autofree char *part = level_label (&dims[d], levels[d]);
      g_string_append_printf (label, "%s%s", d ? ", " : "", part);
    }
  return g_string_free (label, FALSE);
}

/* Orders the non-empty combos: those named in --order first, in that order, then the
 * rest in natural order. Returns the combos in group order. */
static GArray *
order_groups (const StrataSpec *spec, const guint *combo_rows, guint n_combos,
              const Dimension *dims, guint n_dims, GPtrArray *labels_out, GPtrArray *warnings)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint8 *placed = g_new0 (guint8, n_combos);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  for (guint c = 0; c < n_combos; c++)
    g_ptr_array_add (labels, combo_label (dims, n_dims, c));
  for (guint i = 0; spec->order != NULL && spec->order[i] != NULL; i++)
    {
      gboolean found = FALSE;
      for (guint c = 0; c < n_combos; c++)
        if (!placed[c] && combo_rows[c] > 0 &&
            g_strcmp0 (g_ptr_array_index (labels, c), spec->order[i]) == 0)
          {
            g_array_append_val (order, c);
            placed[c] = found = TRUE;
          }
      if (!found)
        g_ptr_array_add (warnings,
                         g_strdup_printf (_("--order names “%s”, which is not a group with "
                                            "patients here; it was ignored"), spec->order[i]));
    }
  for (guint c = 0; c < n_combos; c++)
    if (!placed[c] && combo_rows[c] > 0)
      g_array_append_val (order, c);
  for (guint i = 0; i < order->len; i++)
    g_ptr_array_add (labels_out, g_strdup (g_ptr_array_index (labels, g_array_index (order, guint, i))));
  return order;
}

/* estimate_group:
 * Inputs: a group's times and events in time order, the spec, the RMST limit.
 * Output: its KM table with CIs, median with CI, restricted mean and landmarks. */
static void
estimate_group (StrataGroupResult *group, const double *time, const guint8 *event, guint n,
                const StrataSpec *spec, double rmean_limit)
{
  group->km = strata_km_table_estimate (time, event, n);
  strata_km_table_set_ci (group->km, spec->conf_type, spec->conf_level);
  group->n = group->km->n;
  group->events = group->km->events;
  strata_km_median (group->km, &group->median, &group->median_lower, &group->median_upper);
  group->rmean_upper_limit = rmean_limit;
  strata_km_restricted_mean (group->km, rmean_limit, &group->rmean, &group->rmean_se);
  group->landmarks = strata_km_landmarks (group->km, (const double *) spec->landmarks->data,
                                          spec->landmarks->len, spec->conf_type, spec->conf_level);
}

static int
compare_issues (gconstpointer a, gconstpointer b)
{
  const StrataIssue *x = *(StrataIssue *const *) a, *y = *(StrataIssue *const *) b;
  return (x->line > y->line) - (x->line < y->line);
}

static void
copy_issues (GPtrArray *to, GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    {
      const StrataIssue *issue = g_ptr_array_index (from, i);
      g_ptr_array_add (to, strata_issue_new (issue->line, issue->column, issue->reason));
    }
}

static void
fill_response_row (StrataResponseRow *row, guint success_index, guint n_levels,
                   double conf_level)
{
  row->x = row->counts[success_index];
  row->n = 0;
  for (guint l = 0; l < n_levels; l++)
    row->n += row->counts[l];
  row->p_hat = row->n > 0 ? (double) row->x / row->n : NAN;
  if (row->n > 0)
    {
      strata_proportion_clopper_pearson (row->x, row->n, conf_level, &row->cp_lower, &row->cp_upper);
      strata_proportion_wilson (row->x, row->n, conf_level, &row->wilson_lower, &row->wilson_upper);
    }
  else
    row->cp_lower = row->cp_upper = row->wilson_lower = row->wilson_upper = NAN;
}

/* build_response_table:
 * Counts the levels of a response column by group over the rows that pass the filters
 * and have a group (rows with a missing response are not counted), keeps the levels
 * seen (and the success level), and adds per-group proportions with Clopper–Pearson
 * and Wilson intervals, Fisher's exact test and Pearson's chi-square. */
static StrataResponseTable *
build_response_table (StrataCohort *cohort, const StrataResponseSpec *spec_response,
                      const guint32 *combo, guint n_rows, const GArray *order,
                      const guint32 *group_of_combo, GPtrArray *group_labels,
                      double conf_level, GError **error)
{
  const StrataFactor *factor = strata_cohort_get_factor (cohort, spec_response->column, error);
  if (factor == NULL)
    return NULL;
  guint n_levels_all = factor->labels->len, n_groups = order->len;
  guint success_all = 0;

  if (spec_response->success != NULL)
    {
      gboolean found = FALSE;
      for (guint l = 0; l < n_levels_all && !found; l++)
        if (g_strcmp0 (g_ptr_array_index (factor->labels, l), spec_response->success) == 0)
          {
            success_all = l;
            found = TRUE;
          }
      if (!found)
        {
          g_autofree char *known = join_labels (factor->labels);
          g_set_error (error, STRATA_ANALYSIS_ERROR, STRATA_ANALYSIS_ERROR_UNKNOWN_VALUE,
                       _("%s: --response=%s:%s: column “%s” has no value “%s”; its values are: %s"),
                       strata_table_get_display_name (strata_cohort_get_table (cohort)),
                       spec_response->column, spec_response->success, spec_response->column,
                       spec_response->success, known);
          return NULL;
        }
    }

  g_autofree guint *counts = g_new0 (guint, (gsize) n_groups * MAX (n_levels_all, 1));
  for (guint r = 0; r < n_rows; r++)
    {
      if (combo[r] >= ROW_NO_GROUP || factor->codes[r] == STRATA_MISSING_CODE)
        continue;
      guint32 g = group_of_combo[combo[r]];
      if (g != G_MAXUINT32)
        counts[(gsize) g * n_levels_all + factor->codes[r]]++;
    }

  /* Keep the levels that occur, and the success level. */
  g_autofree guint *kept = g_new (guint, MAX (n_levels_all, 1));
  guint n_kept = 0, success = 0;
  for (guint l = 0; l < n_levels_all; l++)
    {
      guint total = 0;
      for (guint g = 0; g < n_groups; g++)
        total += counts[(gsize) g * n_levels_all + l];
      if (total > 0 || l == success_all)
        {
          if (l == success_all)
            success = n_kept;
          kept[n_kept++] = l;
        }
    }

  StrataResponseTable *table = strata_response_table_new (spec_response->column);
  table->success = n_levels_all > 0 ? g_strdup (g_ptr_array_index (factor->labels, success_all)) : NULL;
  for (guint k = 0; k < n_kept; k++)
    g_ptr_array_add (table->levels, g_strdup (g_ptr_array_index (factor->labels, kept[k])));

  g_autofree guint *matrix = g_new0 (guint, (gsize) n_groups * MAX (n_kept, 1));
  for (guint g = 0; g < n_groups; g++)
    {
      StrataResponseRow *row = strata_response_row_new (g_ptr_array_index (group_labels, g), n_kept);
      for (guint k = 0; k < n_kept; k++)
        row->counts[k] = matrix[(gsize) g * n_kept + k] = counts[(gsize) g * n_levels_all + kept[k]];
      fill_response_row (row, success, n_kept, conf_level);
      g_ptr_array_add (table->rows, row);
    }
  /* The tests compare the groups with evaluable patients (a group with none would
   * make Pearson's statistic NaN). */
  guint n_rows_kept = 0;
  for (guint g = 0; g < n_groups; g++)
    {
      const StrataResponseRow *row = g_ptr_array_index (table->rows, g);
      if (row->n == 0)
        continue;
      memmove (matrix + (gsize) n_rows_kept * n_kept, matrix + (gsize) g * n_kept,
               sizeof (guint) * n_kept);
      n_rows_kept++;
    }
  table->fisher_p = n_kept > 0 && n_rows_kept > 0
                    ? strata_fisher_exact_p (matrix, n_rows_kept, n_kept, NULL) : NAN;
  if (isnan (table->fisher_p) && n_kept > 0 && n_rows_kept > 0)
    {
      /* Too large to enumerate within its budget: simulate, as R's fisher.test
       * (simulate.p.value = TRUE), and say so with the replicates and seed. */
      table->fisher_replicates = FISHER_MC_REPLICATES;
      table->fisher_seed = FISHER_MC_SEED;
      strata_fisher_monte_carlo_p (matrix, n_rows_kept, n_kept, FISHER_MC_REPLICATES,
                                   FISHER_MC_SEED, &table->fisher_p);
    }
  table->has_chisq = n_kept > 0 && n_rows_kept > 0 &&
                     strata_chisq_test (matrix, n_rows_kept, n_kept, &table->chisq);
  return table;
}

/* The analysed rows pooled in time order with their group index: what the Cox model
 * and the competing-risks analysis take. STATUS is filled when STATUS_VALUES is given. */
typedef struct {
  guint n;
  double *time;
  guint8 *event;
  guint *group;
  guint8 *status;
} PooledRows;

static void
pooled_rows_clear (PooledRows *rows)
{
  g_free (rows->time);
  g_free (rows->event);
  g_free (rows->group);
  g_free (rows->status);
}

static void
pool_rows (const StrataEndpoint *endpoint, const guint32 *combo_sorted,
           const guint32 *group_of_combo, const double *status_values, guint used,
           PooledRows *rows)
{
  rows->time = g_new (double, MAX (used, 1));
  rows->event = g_new (guint8, MAX (used, 1));
  rows->group = g_new (guint, MAX (used, 1));
  rows->status = status_values ? g_new (guint8, MAX (used, 1)) : NULL;
  rows->n = 0;
  for (guint i = 0; i < endpoint->n; i++)
    {
      if (combo_sorted[i] >= ROW_NO_GROUP)
        continue;
      rows->time[rows->n] = endpoint->time[i];
      rows->event[rows->n] = endpoint->event[i];
      rows->group[rows->n] = group_of_combo[combo_sorted[i]];
      if (status_values != NULL)
        rows->status[rows->n] = (guint8) status_values[endpoint->row[i]];
      rows->n++;
    }
}

static guint
reference_index (const StrataResult *result)
{
  for (guint g = 0; g < result->groups->len; g++)
    if (g_strcmp0 (((StrataGroupResult *) g_ptr_array_index (result->groups, g))->label,
                   result->reference_level) == 0)
      return g;
  return 0;
}

/* Fits the Cox model of the grouping (Efron and Breslow ties) from the groups' risk
 * sets: with group indicators as the only covariates, the per-time deaths and numbers
 * at risk of each group are all the partial likelihood needs. A model that cannot be
 * fitted (no events) is left out with a note. */
static void
fit_cox_models (StrataResult *result, StrataKmTable *const *tables, const StrataSpec *spec)
{
  g_autoptr (GError) error = NULL;
  guint n_groups = result->groups->len, reference = reference_index (result);
  g_autoptr (StrataRiskSet) risk = strata_risk_set_new (tables, n_groups);

  result->cox_efron = strata_coxph_fit_counts (risk->deaths, risk->at_risk, risk->n_times,
                                               n_groups, reference, STRATA_COX_EFRON,
                                               spec->conf_level, STRATA_COX_EPS_DEFAULT, &error);
  if (result->cox_efron == NULL)
    {
      g_ptr_array_add (result->warnings, g_strdup_printf (_("no Cox model: %s"), error->message));
      return;
    }
  result->cox_breslow = strata_coxph_fit_counts (risk->deaths, risk->at_risk, risk->n_times,
                                                 n_groups, reference, STRATA_COX_BRESLOW,
                                                 spec->conf_level, STRATA_COX_EPS_DEFAULT, NULL);
}

/* The competing-risks view of the status column: its numbers, checked to be codes
 * 0, 1 or 2 on every analysed row. */
static const double *
status_values (StrataCohort *cohort, const StrataSpec *spec, const StrataEndpoint *endpoint,
               const guint32 *combo_sorted, GError **error)
{
  const double *values = strata_cohort_get_numeric (cohort, spec->status_column, error);
  StrataTable *table = strata_cohort_get_table (cohort);

  if (values == NULL)
    return NULL;
  for (guint i = 0; i < endpoint->n; i++)
    {
      guint row = endpoint->row[i];
      double v = values[row];
      if (combo_sorted[i] < ROW_NO_GROUP && !(v == 0 || v == 1 || v == 2))
        {
          g_set_error (error, STRATA_ANALYSIS_ERROR, STRATA_ANALYSIS_ERROR_UNKNOWN_VALUE,
                       _("%s: line %u, column “%s”: competing-risks status must be 0 (censored), "
                         "1 (event of interest) or 2 (competing event)"),
                       strata_table_get_display_name (table),
                       strata_table_get_lines (table)[row], spec->status_column);
          return NULL;
        }
    }
  return values;
}

/* Cumulative incidence of both causes per group with landmarks, and Gray's test. */
static void
estimate_cuminc (StrataResult *result, const PooledRows *rows, const StrataSpec *spec)
{
  guint n_groups = result->groups->len, n_times = spec->landmarks->len;

  result->cuminc = strata_cuminc_curves (rows->time, rows->status, rows->group, rows->n,
                                         n_groups, spec->conf_level);
  result->cuminc_landmarks_est = g_ptr_array_new_with_free_func (g_free);
  result->cuminc_landmarks_var = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; result->cuminc != NULL && i < result->cuminc->len; i++)
    {
      double *est = g_new (double, MAX (n_times, 1));
      double *var = g_new (double, MAX (n_times, 1));
      strata_cuminc_landmarks (g_ptr_array_index (result->cuminc, i),
                               (const double *) spec->landmarks->data, n_times, est, var);
      g_ptr_array_add (result->cuminc_landmarks_est, est);
      g_ptr_array_add (result->cuminc_landmarks_var, var);
    }
  for (guint cause = 1; cause <= 2; cause++)
    result->has_gray[cause - 1] = strata_gray_test (rows->time, rows->status, rows->group,
                                                    rows->n, n_groups, cause,
                                                    &result->gray[cause - 1]);
}

static void
describe_request (StrataResult *result, const StrataSpec *spec, const StrataEndpoint *endpoint)
{
  result->time_column = g_strdup (endpoint->time_column);
  result->event_column = g_strdup (endpoint->event_column);
  result->event_rule = g_strdup (endpoint->event_rule);
  for (guint i = 0; i < spec->by->len; i++)
    g_ptr_array_add (result->by, g_strdup (((StrataGrouping *) g_ptr_array_index (spec->by, i))->text));
  for (guint i = 0; i < spec->where->len; i++)
    g_ptr_array_add (result->where, g_strdup (((StrataFilter *) g_ptr_array_index (spec->where, i))->text));
  result->conf_type = spec->conf_type;
  result->conf_level = spec->conf_level;
  g_array_append_vals (result->landmark_times, spec->landmarks->data, spec->landmarks->len);
}

/* Groups in order with their rows bucketed: each group's times and events, contiguous
 * and in time order, from one sequential pass over the endpoint. */
typedef struct {
  GPtrArray *labels;        /* char*, group order */
  GArray *order;            /* combo of each group */
  guint32 *group_of_combo;  /* group index, or G_MAXUINT32 */
  guint *offset;            /* n_groups + 1 */
  double *time;
  guint8 *event;
  double last_time;         /* the largest time analysed: the RMST limit */
} Buckets;

static void
buckets_clear (Buckets *b)
{
  g_clear_pointer (&b->labels, g_ptr_array_unref);
  g_clear_pointer (&b->order, g_array_unref);
  g_free (b->group_of_combo);
  g_free (b->offset);
  g_free (b->time);
  g_free (b->event);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Buckets, buckets_clear)

/* Counts the patients of each combo, lists the rows left without a group, orders the
 * groups and fills the buckets. FALSE when no patient is left. */
static gboolean
bucket_rows (const StrataEndpoint *endpoint, const guint32 *combo, guint n_combos,
             const StrataSpec *spec, const Dimension *dims, StrataTable *table,
             StrataResult *result, Buckets *b)
{
  g_autofree guint *combo_rows = g_new0 (guint, n_combos);

  for (guint i = 0; i < endpoint->n; i++)
    {
      guint32 c = combo[i];
      if (c < ROW_NO_GROUP)
        combo_rows[c]++;
      else if (c == ROW_NO_GROUP)
        g_ptr_array_add (result->excluded,
                         strata_issue_new (strata_table_get_lines (table)[endpoint->row[i]],
                                           missing_dimension (dims, spec->by->len, endpoint->row[i]),
                                           _("grouping value is missing, so the row is in no group")));
    }

  b->labels = g_ptr_array_new_with_free_func (g_free);
  b->order = order_groups (spec, combo_rows, n_combos, dims, spec->by->len, b->labels,
                           result->warnings);
  if (b->order->len == 0)
    return FALSE;

  guint n_groups = b->order->len;
  b->group_of_combo = g_new (guint32, n_combos);
  memset (b->group_of_combo, 0xff, sizeof (guint32) * n_combos);
  b->offset = g_new0 (guint, n_groups + 1);
  for (guint g = 0; g < n_groups; g++)
    {
      guint c = g_array_index (b->order, guint, g);
      b->group_of_combo[c] = g;
      b->offset[g + 1] = b->offset[g] + combo_rows[c];
    }
  guint used = b->offset[n_groups];
  b->time = g_new (double, MAX (used, 1));
  b->event = g_new (guint8, MAX (used, 1));
  g_autofree guint *fill = g_memdup2 (b->offset, sizeof (guint) * (n_groups + 1));
  for (guint i = 0; i < endpoint->n; i++)
    {
      guint32 c = combo[i];
      if (c >= ROW_NO_GROUP)
        continue;
      guint slot = fill[b->group_of_combo[c]]++;
      b->time[slot] = endpoint->time[i];
      b->event[slot] = endpoint->event[i];
      b->last_time = endpoint->time[i];
    }
  result->rows_used = used;
  return TRUE;
}

static gboolean
check_reference (const StrataSpec *spec, GPtrArray *labels, GError **error)
{
  if (spec->reference == NULL)
    return TRUE;
  for (guint g = 0; g < labels->len; g++)
    if (g_strcmp0 (g_ptr_array_index (labels, g), spec->reference) == 0)
      return TRUE;
  g_set_error (error, STRATA_ANALYSIS_ERROR, STRATA_ANALYSIS_ERROR_UNKNOWN_VALUE,
               _("--reference=%s is not one of the groups"), spec->reference);
  return FALSE;
}

/* The k-sample tests over the groups' KM tables. */
static void
compare_groups (StrataResult *result, StrataKmTable *const *tables, guint n_groups)
{
  if (n_groups < 2)
    return;
  result->logrank = strata_survdiff_compute (tables, n_groups, 0.0);
  result->peto_peto = strata_survdiff_compute (tables, n_groups, 1.0);
  result->pairwise_logrank = strata_pairwise_compute (tables, n_groups, 0.0);
  result->pairwise_peto_peto = strata_pairwise_compute (tables, n_groups, 1.0);
  if (n_groups > 2)
    {
      result->has_trend = TRUE;
      strata_trend_test_compute (result->logrank, &result->trend);
    }
}

/* Competing risks, on the analysed rows pooled in time order. */
static gboolean
add_competing_risks (StrataCohort *cohort, const StrataSpec *spec,
                     const StrataEndpoint *endpoint, const guint32 *combo, const Buckets *b,
                     StrataResult *result, GError **error)
{
  const double *status;

  if (spec->status_column == NULL)
    return TRUE;
  if ((status = status_values (cohort, spec, endpoint, combo, error)) == NULL)
    return FALSE;
  PooledRows pooled = { 0 };
  pool_rows (endpoint, combo, b->group_of_combo, status, result->rows_used, &pooled);
  result->status_column = g_strdup (spec->status_column);
  estimate_cuminc (result, &pooled, spec);
  pooled_rows_clear (&pooled);
  return TRUE;
}

/* Response tables count every row that passes the filters and has a group, whether
 * or not its survival data are usable: a combo per table row. */
static gboolean
add_responses (StrataCohort *cohort, const StrataSpec *spec, const FilterView *filters,
               const Dimension *dims, const Buckets *b, StrataResult *result, GError **error)
{
  guint n_rows = strata_table_get_n_rows (strata_cohort_get_table (cohort));

  if (spec->responses->len == 0)
    return TRUE;
  g_autofree guint32 *combo = assign_rows (filters, spec->where->len, dims, spec->by->len, n_rows);
  for (guint i = 0; i < spec->responses->len; i++)
    {
      StrataResponseTable *response =
        build_response_table (cohort, g_ptr_array_index (spec->responses, i), combo, n_rows,
                              b->order, b->group_of_combo, b->labels, spec->conf_level, error);
      if (response == NULL)
        return FALSE;
      g_ptr_array_add (result->responses, response);
    }
  return TRUE;
}

static const StrataEndpoint *
resolve_endpoint (StrataCohort *cohort, const StrataSpec *spec, GError **error)
{
  /* With a competing-risks status and no event column, Kaplan–Meier counts any event. */
  static const char *const any_cause[] = { "1", "2", NULL };
  gboolean status_as_event = spec->status_column != NULL && spec->event_column == NULL;

  if (spec->time_from != NULL || spec->time_to != NULL || spec->last_contact != NULL)
    {
      if (spec->time_from == NULL || spec->time_to == NULL)
        {
          g_set_error (error, STRATA_ANALYSIS_ERROR, STRATA_ANALYSIS_ERROR_NO_ROWS,
                       _("a time from dates needs both the start (--time-from) and the end "
                         "(--time-to) date columns"));
          return NULL;
        }
      return strata_cohort_get_derived_endpoint (
        cohort, spec->time_from, spec->time_to, spec->last_contact, spec->time_unit,
        spec->date_orders, status_as_event ? spec->status_column : spec->event_column,
        status_as_event ? any_cause : (const char *const *) spec->event_values, error);
    }

  return strata_cohort_get_endpoint (cohort, spec->time_column,
                                     status_as_event ? spec->status_column : spec->event_column,
                                     status_as_event ? any_cause
                                                     : (const char *const *) spec->event_values,
                                     error);
}

static StrataResult *
new_result (StrataTable *table, const StrataSpec *spec, const StrataEndpoint *endpoint)
{
  StrataResult *result = strata_result_new ();
  GPtrArray *warnings = strata_table_get_warnings (table);

  result->file = g_strdup (strata_table_get_display_name (table));
  result->encoding = g_strdup (strata_table_get_encoding (table));
  result->rows = strata_table_get_n_rows (table) + strata_table_get_rejected (table)->len;
  describe_request (result, spec, endpoint);
  copy_issues (result->excluded, strata_table_get_rejected (table));
  copy_issues (result->excluded, endpoint->excluded);
  for (guint i = 0; i < warnings->len; i++)
    g_ptr_array_add (result->warnings, g_strdup (g_ptr_array_index (warnings, i)));
  return result;
}

StrataResult *
strata_analysis_run (StrataCohort *cohort, const StrataSpec *spec, GCancellable *cancellable,
                     GError **error)
{
  StrataTable *table = strata_cohort_get_table (cohort);
  g_autofree Dimension *dims = g_new0 (Dimension, spec->by->len + 1);
  guint n_combos, n_filters = spec->where->len;
  g_auto (Buckets) b = { 0 };

  const StrataEndpoint *endpoint = resolve_endpoint (cohort, spec, error);
  if (endpoint == NULL || !resolve_dimensions (cohort, spec, dims, &n_combos, error))
    return NULL;
  FilterView *filters = resolve_filters (cohort, spec, error);
  if (filters == NULL)
    return NULL;
  g_autofree guint32 *combo = assign_sorted_rows (cohort, endpoint, filters, n_filters, dims,
                                                  spec->by->len);
  g_autoptr (StrataResult) result = new_result (table, spec, endpoint);

  if (!bucket_rows (endpoint, combo, n_combos, spec, dims, table, result, &b))
    {
      g_set_error (error, STRATA_ANALYSIS_ERROR, STRATA_ANALYSIS_ERROR_NO_ROWS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s: no patient is left to analyse (%u usable row, none passing "
                                "the filters and grouping)",
                                "%s: no patient is left to analyse (%u usable rows, none passing "
                                "the filters and grouping)", endpoint->n),
                   result->file, endpoint->n);
      filter_views_free (filters, n_filters);
      return NULL;
    }
  if (!check_reference (spec, b.labels, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      filter_views_free (filters, n_filters);
      return NULL;
    }
  result->reference_level = g_strdup (spec->reference ? spec->reference
                                                      : g_ptr_array_index (b.labels, 0));

  guint n_groups = b.order->len;
  g_autofree StrataKmTable **tables = g_new (StrataKmTable *, n_groups);
  for (guint g = 0; g < n_groups; g++)
    {
      StrataGroupResult *group = strata_group_result_new (g_ptr_array_index (b.labels, g));
      estimate_group (group, b.time + b.offset[g], b.event + b.offset[g],
                      b.offset[g + 1] - b.offset[g], spec, b.last_time);
      tables[g] = group->km;
      g_ptr_array_add (result->groups, group);
    }
  compare_groups (result, tables, n_groups);
  if (n_groups >= 2)
    fit_cox_models (result, tables, spec);

  gboolean ok = add_competing_risks (cohort, spec, endpoint, combo, &b, result, error) &&
                add_responses (cohort, spec, filters, dims, &b, result, error);
  filter_views_free (filters, n_filters);
  if (!ok)
    return NULL;
  g_ptr_array_sort (result->excluded, compare_issues);
  return g_steal_pointer (&result);
}

/* strata_analysis_row_inclusion:
 * Inputs: the cohort and the spec of a run.
 * Output: per table row, whether the run analyses it, and else why: not usable for the
 *   endpoint, failing a filter (which one), or without a group; the group of each row
 *   analysed, as the index of its level combination.
 * Same rules and order as strata_analysis_run(): the endpoint's usable rows first, then
 *   the filters, then the groupings (assign_rows), but in table order. */
StrataRowInclusion *
strata_analysis_row_inclusion (StrataCohort *cohort, const StrataSpec *spec, GError **error)
{
  StrataTable *table = strata_cohort_get_table (cohort);
  guint n_rows = strata_table_get_n_rows (table), n_filters = spec->where->len, n_dims = spec->by->len;
  guint n_combos;
  g_autofree Dimension *dims = g_new0 (Dimension, n_dims + 1);
  const StrataEndpoint *endpoint = resolve_endpoint (cohort, spec, error);
  FilterView *filters;
  StrataRowInclusion *inclusion;

  if (endpoint == NULL || !resolve_dimensions (cohort, spec, dims, &n_combos, error))
    return NULL;
  filters = resolve_filters (cohort, spec, error);
  if (filters == NULL)
    return NULL;

  inclusion = g_new0 (StrataRowInclusion, 1);
  inclusion->n_rows = n_rows;
  inclusion->status = g_new (guint8, MAX (n_rows, 1));
  memset (inclusion->status, STRATA_ROW_UNUSABLE, n_rows);
  inclusion->filter = g_new0 (guint8, MAX (n_rows, 1));
  inclusion->group = g_new (guint32, MAX (n_rows, 1));
  memset (inclusion->group, 0xff, sizeof (guint32) * n_rows);
  inclusion->group_labels = g_ptr_array_new_full (n_combos, g_free);
  for (guint c = 0; c < n_combos; c++)
    g_ptr_array_add (inclusion->group_labels, combo_label (dims, n_dims, c));

  for (guint i = 0; i < endpoint->n; i++)
    {
      guint row = endpoint->row[i], f = 0;
      guint32 code = 0;

      while (f < n_filters && filter_holds (&filters[f], row))
        f++;
      if (f < n_filters)
        {
          inclusion->status[row] = STRATA_ROW_FILTERED;
          inclusion->filter[row] = (guint8) MIN (f, G_MAXUINT8);
          continue;
        }
      for (guint d = 0; d < n_dims && code != ROW_NO_GROUP; d++)
        {
          guint32 level = dimension_code (&dims[d], row);
          code = level == STRATA_MISSING_CODE ? ROW_NO_GROUP : code * dims[d].n_levels + level;
        }
      if (code == ROW_NO_GROUP)
        {
          inclusion->status[row] = STRATA_ROW_NO_GROUP;
          continue;
        }
      inclusion->status[row] = STRATA_ROW_INCLUDED;
      inclusion->group[row] = code;
      inclusion->n_included++;
    }
  filter_views_free (filters, n_filters);
  return inclusion;
}

void
strata_row_inclusion_free (StrataRowInclusion *inclusion)
{
  if (inclusion == NULL)
    return;
  g_free (inclusion->status);
  g_free (inclusion->filter);
  g_free (inclusion->group);
  g_clear_pointer (&inclusion->group_labels, g_ptr_array_unref);
  g_free (inclusion);
}

/* strata-patient-view.c: the patient table (see the header).
 *
 * The GtkColumnView shows a list model of this file that holds no row objects: it
 * answers get_item() with a small object made on demand (the column view asks only
 * for the rows on screen). The order is a permutation of the records kept here;
 * clicking a header sorts it here too, because GtkSortListModel would make an object
 * for every row. GTK 4.8 does not say which column the column view sorts by
 * (gtk_column_view_sorter_get_primary_sort_column() is 4.10), so each column has a
 * probe sorter of this file: comparing two items with the column view's sorter calls
 * the primary column's sorter first, which records itself, and the sign of the answer
 * gives the direction. Which rows are included comes from the core
 * (strata_analysis_row_inclusion()), the same pass as the analysis. */
#include "strata-patient-view.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "strata-group-label.h"
#include "strata-gui-resources.h"
#include "strata-result-text.h"

/* What a column shows. */
typedef enum {
  COLUMN_LINE,
  COLUMN_STATUS,
  COLUMN_REASON,
  COLUMN_GROUP,
  COLUMN_CELL,     /* a column of the file, as imported */
} ColumnKind;

/* The status of a record, in sort order. */
typedef enum {
  STATUS_INCLUDED,
  STATUS_NOT_SELECTED,
  STATUS_EXCLUDED,
} RecordStatus;

typedef struct {
  StrataPatientView *view;   /* NULL once the view is disposed */
  ColumnKind kind;
  char *id;
  char *column_name;         /* COLUMN_CELL */
} ColumnInfo;

static void
column_info_free (ColumnInfo *info)
{
  g_free (info->id);
  g_free (info->column_name);
  g_free (info);
}

/* ---- a record on screen ---------------------------------------------------------- */

#define STRATA_TYPE_PATIENT_RECORD (strata_patient_record_get_type ())
G_DECLARE_FINAL_TYPE (StrataPatientRecord, strata_patient_record, STRATA, PATIENT_RECORD, GObject)

struct _StrataPatientRecord
{
  GObject parent_instance;

  guint record;   /* < n_table_rows: a table row; else a record rejected at import */
};

G_DEFINE_FINAL_TYPE (StrataPatientRecord, strata_patient_record, G_TYPE_OBJECT)

static void
strata_patient_record_class_init (StrataPatientRecordClass *klass)
{
}

static void
strata_patient_record_init (StrataPatientRecord *self)
{
}

static StrataPatientRecord *
strata_patient_record_new (guint record)
{
  StrataPatientRecord *self = g_object_new (STRATA_TYPE_PATIENT_RECORD, NULL);

  self->record = record;
  return self;
}

/* ---- the probe sorter of a column ---------------------------------------------- */

#define STRATA_TYPE_PATIENT_SORTER (strata_patient_sorter_get_type ())
G_DECLARE_FINAL_TYPE (StrataPatientSorter, strata_patient_sorter, STRATA, PATIENT_SORTER, GtkSorter)

struct _StrataPatientSorter
{
  GtkSorter parent_instance;

  ColumnInfo *info;   /* owned */
};

G_DEFINE_FINAL_TYPE (StrataPatientSorter, strata_patient_sorter, GTK_TYPE_SORTER)

/* ---- the list model -------------------------------------------------------------- */

#define STRATA_TYPE_PATIENT_LIST (strata_patient_list_get_type ())
G_DECLARE_FINAL_TYPE (StrataPatientList, strata_patient_list, STRATA, PATIENT_LIST, GObject)

struct _StrataPatientList
{
  GObject parent_instance;

  guint n_items;
  guint32 *order;   /* n_items records, in the order shown; owned */
};

static void strata_patient_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (StrataPatientList, strata_patient_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, strata_patient_list_model_init))

static void
strata_patient_list_finalize (GObject *object)
{
  g_free (STRATA_PATIENT_LIST (object)->order);

  G_OBJECT_CLASS (strata_patient_list_parent_class)->finalize (object);
}

static void
strata_patient_list_class_init (StrataPatientListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = strata_patient_list_finalize;
}

static void
strata_patient_list_init (StrataPatientList *self)
{
}

static GType
strata_patient_list_get_item_type (GListModel *model)
{
  return STRATA_TYPE_PATIENT_RECORD;
}

static guint
strata_patient_list_get_n_items (GListModel *model)
{
  return STRATA_PATIENT_LIST (model)->n_items;
}

static gpointer
strata_patient_list_get_item (GListModel *model, guint position)
{
  StrataPatientList *self = STRATA_PATIENT_LIST (model);

  if (position >= self->n_items)
    return NULL;
  return strata_patient_record_new (self->order[position]);
}

static void
strata_patient_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = strata_patient_list_get_item_type;
  iface->get_n_items = strata_patient_list_get_n_items;
  iface->get_item = strata_patient_list_get_item;
}

/* Shows ORDER (N records, taken) in place of the list's. */
static void
strata_patient_list_replace (StrataPatientList *self, guint32 *order, guint n)
{
  guint removed = self->n_items;

  g_free (self->order);
  self->order = order;
  self->n_items = n;
  if (removed > 0 || n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, n);
}

/* ---- the view ------------------------------------------------------------------- */

struct _StrataPatientView
{
  AdwBin parent_instance;

  /* template */
  GtkLabel *summary_label;
  GtkColumnView *column_view;
  GtkMenuButton *sort_button;

  /* the sort menu: the keyboard's way to what a click on a column header does */
  GMenu *sort_menu;
  GSimpleAction *sort_by_action;          /* owned by the view's "patients" group */
  GSimpleAction *sort_descending_action;

  StrataPatientList *list;
  GPtrArray *columns;            /* ColumnInfo*, borrowed from the columns' sorters */

  /* what to show */
  StrataCohort *cohort;
  StrataSpec *spec;
  StrataResult *result;
  StrataColumnRoles *roles;
  gboolean stale;                /* the rows below are not yet those of the above */

  /* worked out from it */
  StrataTable *table;            /* of the rows below */
  StrataRowInclusion *inclusion;
  GStrv group_names;             /* shown for each level combination of the inclusion */
  guint n_table_rows;
  guint n_records;               /* table rows + records rejected at import */
  guint32 *line_order;           /* n_records, by line */
  guint n_included, n_not_selected, n_excluded;

  /* sorting */
  ColumnInfo *sort_column;       /* NULL: by line */
  gboolean sort_descending;
  gboolean probing;
  ColumnInfo *probed;
};

G_DEFINE_FINAL_TYPE (StrataPatientView, strata_patient_view, ADW_TYPE_BIN)

static GtkOrdering
strata_patient_sorter_compare (GtkSorter *sorter, gpointer item1, gpointer item2)
{
  ColumnInfo *info = STRATA_PATIENT_SORTER (sorter)->info;

  /* Only the view's probe asks: the first column asked is the primary one. */
  if (info->view != NULL && info->view->probing)
    {
      if (info->view->probed == NULL)
        info->view->probed = info;
      return GTK_ORDERING_SMALLER;
    }
  return GTK_ORDERING_EQUAL;
}

static GtkSorterOrder
strata_patient_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
strata_patient_sorter_finalize (GObject *object)
{
  g_clear_pointer (&STRATA_PATIENT_SORTER (object)->info, column_info_free);

  G_OBJECT_CLASS (strata_patient_sorter_parent_class)->finalize (object);
}

static void
strata_patient_sorter_class_init (StrataPatientSorterClass *klass)
{
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = strata_patient_sorter_finalize;
  sorter_class->compare = strata_patient_sorter_compare;
  sorter_class->get_order = strata_patient_sorter_get_order;
}

static void
strata_patient_sorter_init (StrataPatientSorter *self)
{
}

/* ---- what a record shows ---------------------------------------------------------- */

static const StrataIssue *
rejected_issue (StrataPatientView *self, guint record)
{
  return g_ptr_array_index (strata_table_get_rejected (self->table), record - self->n_table_rows);
}

static guint
record_line (StrataPatientView *self, guint record)
{
  if (record < self->n_table_rows)
    return strata_table_get_lines (self->table)[record];
  return rejected_issue (self, record)->line;
}

static RecordStatus
record_status (StrataPatientView *self, guint record)
{
  if (record >= self->n_table_rows)
    return STATUS_EXCLUDED;
  switch ((StrataRowStatus) self->inclusion->status[record])
    {
    case STRATA_ROW_INCLUDED:
      return STATUS_INCLUDED;
    case STRATA_ROW_FILTERED:
    case STRATA_ROW_NO_GROUP:
      return STATUS_NOT_SELECTED;
    case STRATA_ROW_UNUSABLE:
    default:
      return STATUS_EXCLUDED;
    }
}

static const char *
status_text (RecordStatus status)
{
  switch (status)
    {
    case STATUS_INCLUDED:
      return _("Included");
    case STATUS_NOT_SELECTED:
      return _("Not in the current selection");
    case STATUS_EXCLUDED:
    default:
      return _("Excluded at import");
    }
}

/* The first issue of the result on LINE (the list is in line order), or NULL. */
static const StrataIssue *
result_issue (StrataPatientView *self, guint line)
{
  GPtrArray *issues = self->result->excluded;
  guint lo = 0, hi = issues->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (((const StrataIssue *) g_ptr_array_index (issues, mid))->line < line)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < issues->len && ((const StrataIssue *) g_ptr_array_index (issues, lo))->line == line)
    return g_ptr_array_index (issues, lo);
  return NULL;
}

static char *
issue_text (const StrataIssue *issue)
{
  g_autofree char *reason = strata_result_text_reason (issue->reason);

  if (issue->column == NULL)
    return g_steal_pointer (&reason);
  /* Translators: a column of the file and why a row was left out because of it. */
  return g_strdup_printf (_("%s: %s"), issue->column, reason);
}

/* Why RECORD is not included; NULL when it is. */
static char *
record_reason (StrataPatientView *self, guint record)
{
  const StrataIssue *issue;

  if (record >= self->n_table_rows)
    return issue_text (rejected_issue (self, record));
  switch ((StrataRowStatus) self->inclusion->status[record])
    {
    case STRATA_ROW_FILTERED:
      {
        guint f = self->inclusion->filter[record];
        const StrataFilter *filter = f < self->spec->where->len ? g_ptr_array_index (self->spec->where, f) : NULL;
        /* Translators: %s is a filter of the strata panel, e.g. "disease_site=BM,EMD". */
        return filter != NULL ? g_strdup_printf (_("Left out by %s"), filter->text) : NULL;
      }
    case STRATA_ROW_NO_GROUP:
    case STRATA_ROW_UNUSABLE:
      issue = result_issue (self, record_line (self, record));
      return issue != NULL ? issue_text (issue) : NULL;
    case STRATA_ROW_INCLUDED:
    default:
      return NULL;
    }
}

static char *
number_text (double value)
{
  if (isnan (value))
    return g_strdup ("");
  return strata_result_text_localize (g_strdup_printf ("%g", value));
}

static const StrataColumn *
info_column (StrataPatientView *self, const ColumnInfo *info)
{
  return strata_table_find_column (self->table, info->column_name);
}

static char *
cell_text (StrataPatientView *self, const ColumnInfo *info, guint record)
{
  switch (info->kind)
    {
    case COLUMN_LINE:
      return g_strdup_printf ("%u", record_line (self, record));
    case COLUMN_STATUS:
      return g_strdup (status_text (record_status (self, record)));
    case COLUMN_REASON:
      {
        char *reason = record_reason (self, record);
        return reason != NULL ? reason : g_strdup ("");
      }
    case COLUMN_GROUP:
      if (record < self->n_table_rows && self->inclusion->group[record] != G_MAXUINT32)
        return g_strdup (self->group_names[self->inclusion->group[record]]);
      return g_strdup ("");
    case COLUMN_CELL:
    default:
      {
        const StrataColumn *column = info_column (self, info);
        if (column == NULL || record >= self->n_table_rows)
          return g_strdup ("");
        if (column->type == STRATA_COLUMN_NUMERIC)
          return number_text (column->values[record]);
        if (column->codes[record] == STRATA_MISSING_CODE)
          return g_strdup ("");
        return g_strdup (g_ptr_array_index (column->levels, column->codes[record]));
      }
    }
}

static gboolean
info_is_numeric (StrataPatientView *self, const ColumnInfo *info)
{
  const StrataColumn *column;

  if (info->kind == COLUMN_LINE)
    return TRUE;
  if (info->kind != COLUMN_CELL || self->table == NULL)
    return FALSE;
  column = info_column (self, info);
  return column != NULL && column->type == STRATA_COLUMN_NUMERIC;
}

/* ---- sorting -------------------------------------------------------------------- */

typedef struct {
  const double *keys;   /* per record; NaN sorts last either way */
  int sign;
} SortContext;

static gint
compare_records (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const SortContext *context = user_data;
  double x = context->keys[*(const guint32 *) a], y = context->keys[*(const guint32 *) b];

  if (isnan (x) || isnan (y))
    return isnan (x) - isnan (y);
  return context->sign * ((x > y) - (x < y));
}

static int
compare_texts (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (*(const char *const *) a, *(const char *const *) b);
}

/* Ranks of the distinct TEXTS (NULL entries allowed) in collation order, in a table
 * from text to rank. */
static GHashTable *
text_ranks (char **texts, guint n)
{
  GHashTable *ranks = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) distinct = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    if (texts[i] != NULL && !g_hash_table_contains (ranks, texts[i]))
      {
        g_hash_table_insert (ranks, texts[i], NULL);
        g_ptr_array_add (distinct, texts[i]);
      }
  g_ptr_array_sort (distinct, compare_texts);
  for (guint i = 0; i < distinct->len; i++)
    g_hash_table_insert (ranks, g_ptr_array_index (distinct, i), GUINT_TO_POINTER (i));
  return ranks;
}

/* The sort key of every record for column INFO: a number, or the rank of a text. */
static double *
sort_keys (StrataPatientView *self, const ColumnInfo *info)
{
  double *keys = g_new (double, MAX (self->n_records, 1));

  for (guint r = 0; r < self->n_records; r++)
    keys[r] = NAN;
  switch (info->kind)
    {
    case COLUMN_LINE:
      for (guint r = 0; r < self->n_records; r++)
        keys[r] = record_line (self, r);
      break;
    case COLUMN_STATUS:
      for (guint r = 0; r < self->n_records; r++)
        keys[r] = record_status (self, r);
      break;
    case COLUMN_REASON:
      {
        g_autofree char **reasons = g_new0 (char *, MAX (self->n_records, 1));
        for (guint r = 0; r < self->n_records; r++)
          if (record_status (self, r) != STATUS_INCLUDED)
            reasons[r] = record_reason (self, r);
        g_autoptr (GHashTable) ranks = text_ranks (reasons, self->n_records);
        for (guint r = 0; r < self->n_records; r++)
          if (reasons[r] != NULL)
            keys[r] = GPOINTER_TO_UINT (g_hash_table_lookup (ranks, reasons[r]));
        g_clear_pointer (&ranks, g_hash_table_unref);
        for (guint r = 0; r < self->n_records; r++)
          g_free (reasons[r]);
      }
      break;
    case COLUMN_GROUP:
      {
        guint n_groups = self->inclusion->group_labels->len;
        g_autoptr (GHashTable) ranks = text_ranks (self->group_names, n_groups);
        for (guint r = 0; r < self->n_table_rows; r++)
          if (self->inclusion->group[r] != G_MAXUINT32)
            keys[r] = GPOINTER_TO_UINT (g_hash_table_lookup (ranks, self->group_names[self->inclusion->group[r]]));
      }
      break;
    case COLUMN_CELL:
    default:
      {
        const StrataColumn *column = info_column (self, info);
        if (column == NULL)
          break;
        if (column->type == STRATA_COLUMN_NUMERIC)
          {
            memcpy (keys, column->values, sizeof (double) * self->n_table_rows);
            break;
          }
        g_autoptr (GHashTable) ranks = text_ranks ((char **) column->levels->pdata, column->levels->len);
        g_autofree double *level_rank = g_new (double, MAX (column->levels->len, 1));
        for (guint l = 0; l < column->levels->len; l++)
          level_rank[l] = GPOINTER_TO_UINT (g_hash_table_lookup (ranks, g_ptr_array_index (column->levels, l)));
        for (guint r = 0; r < self->n_table_rows; r++)
          if (column->codes[r] != STRATA_MISSING_CODE)
            keys[r] = level_rank[column->codes[r]];
      }
      break;
    }
  return keys;
}

/* Puts the records in the order of the sort column (ties and no column: by line) and
 * hands it to the list. */
static void
apply_order (StrataPatientView *self)
{
  guint32 *order = g_memdup2 (self->line_order, sizeof (guint32) * MAX (self->n_records, 1));

  if (self->sort_column != NULL && self->n_records > 1)
    {
      g_autofree double *keys = sort_keys (self, self->sort_column);
      SortContext context = { keys, self->sort_descending ? -1 : 1 };
      /* g_qsort_with_data() is a stable merge sort: equal keys stay in line order. */
      g_qsort_with_data (order, (gint) self->n_records, sizeof (guint32), compare_records, &context);
    }
  strata_patient_list_replace (self->list, order, self->n_records);
}

/* The sort menu shows the sort of the column view (by line when no column sorts). */
static void
sync_sort_actions (StrataPatientView *self)
{
  if (self->sort_by_action == NULL)
    return;
  g_simple_action_set_state (self->sort_by_action,
                             g_variant_new_string (self->sort_column ? self->sort_column->id : "line"));
  g_simple_action_set_state (self->sort_descending_action,
                             g_variant_new_boolean (self->sort_column != NULL && self->sort_descending));
}

/* Sorts by the column ID as a click on its header does. */
static void
sort_by (StrataPatientView *self, const char *id, gboolean descending)
{
  GtkColumnViewColumn *column = strata_patient_view_get_column (self, id);

  if (column != NULL)
    gtk_column_view_sort_by_column (self->column_view, column,
                                    descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

static void
sort_by_change_state_cb (GSimpleAction *action, GVariant *value, StrataPatientView *self)
{
  sort_by (self, g_variant_get_string (value, NULL), self->sort_column != NULL && self->sort_descending);
}

static void
sort_descending_change_state_cb (GSimpleAction *action, GVariant *value, StrataPatientView *self)
{
  sort_by (self, self->sort_column ? self->sort_column->id : "line", g_variant_get_boolean (value));
}

/* The sort menu: one radio item per column, then the direction. Column names from the
 * file keep their underscores (a menu label would take "_" for a mnemonic). */
static void
update_sort_menu (StrataPatientView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  g_autoptr (GMenu) by_column = g_menu_new ();
  g_autoptr (GMenu) direction = g_menu_new ();

  g_menu_remove_all (self->sort_menu);
  for (guint i = 0; i < self->columns->len && i < g_list_model_get_n_items (columns); i++)
    {
      const ColumnInfo *info = g_ptr_array_index (self->columns, i);
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      g_auto (GStrv) parts = g_strsplit (gtk_column_view_column_get_title (column), "_", -1);
      g_autofree char *label = g_strjoinv ("__", parts);
      g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "patients.sort-by", g_variant_new_string (info->id));
      g_menu_append_item (by_column, item);
    }
  g_menu_append (direction, _("_Descending"), "patients.sort-descending");
  /* Translators: the heading of the sort menu of the patient table. */
  g_menu_append_section (self->sort_menu, _("Sort By"), G_MENU_MODEL (by_column));
  g_menu_append_section (self->sort_menu, NULL, G_MENU_MODEL (direction));
}

static void
sorter_changed_cb (GtkSorter *sorter, GtkSorterChange change, StrataPatientView *self)
{
  g_autoptr (StrataPatientRecord) a = strata_patient_record_new (0);
  g_autoptr (StrataPatientRecord) b = strata_patient_record_new (0);
  GtkOrdering ordering;

  self->probing = TRUE;
  self->probed = NULL;
  ordering = gtk_sorter_compare (sorter, a, b);
  self->probing = FALSE;
  self->sort_column = self->probed;
  self->sort_descending = ordering == GTK_ORDERING_LARGER;
  self->probed = NULL;
  sync_sort_actions (self);
  if (!self->stale && self->table != NULL && self->list != NULL)
    apply_order (self);
}

/* ---- columns ---------------------------------------------------------------------- */

static void
setup_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  ColumnInfo *info = user_data;
  StrataPatientView *self = info->view;
  StrataPatientRecord *record = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;
  gboolean numeric;

  if (self == NULL || self->table == NULL || record == NULL || record->record >= self->n_records)
    {
      gtk_label_set_text (GTK_LABEL (label), "");
      return;
    }
  text = cell_text (self, info, record->record);
  numeric = info_is_numeric (self, info);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0 : 0.0);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  else
    gtk_widget_remove_css_class (label, "numeric");
  if (info->kind == COLUMN_REASON)
    gtk_widget_set_tooltip_text (label, *text ? text : NULL);
  if (info->kind == COLUMN_STATUS)
    {
      RecordStatus status = record_status (self, record->record);
      gtk_widget_remove_css_class (label, "dim-label");
      gtk_widget_remove_css_class (label, "warning");
      if (status == STATUS_NOT_SELECTED)
        gtk_widget_add_css_class (label, "dim-label");
      else if (status == STATUS_EXCLUDED)
        gtk_widget_add_css_class (label, "warning");
    }
}

static void
add_column (StrataPatientView *self, ColumnKind kind, const char *id, const char *title,
            const char *column_name, gboolean expand)
{
  ColumnInfo *info = g_new0 (ColumnInfo, 1);
  StrataPatientSorter *sorter = g_object_new (STRATA_TYPE_PATIENT_SORTER, NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  info->view = self;
  info->kind = kind;
  info->id = g_strdup (id);
  info->column_name = g_strdup (column_name);
  sorter->info = info;
  /* The factory's handlers use INFO, which the sorter owns: the factory keeps it. */
  g_object_set_data_full (G_OBJECT (factory), "strata-sorter", g_object_ref (sorter), g_object_unref);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), info);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), info);

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  /* Wide enough for the texts of the first rows; numbers narrower. */
  gtk_column_view_column_set_fixed_width (column, kind == COLUMN_LINE ? 64
                                                  : kind == COLUMN_STATUS ? 210
                                                  : kind == COLUMN_REASON ? 260
                                                  : kind == COLUMN_GROUP ? 210 : 120);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);
  g_object_unref (sorter);
  g_ptr_array_add (self->columns, info);
}

static void
remove_columns (StrataPatientView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  for (guint i = 0; i < self->columns->len; i++)
    ((ColumnInfo *) g_ptr_array_index (self->columns, i))->view = NULL;
  g_ptr_array_set_size (self->columns, 0);
  self->sort_column = NULL;
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->column_view, column);
    }
}

/* The mapped columns of the file, in the order shown after the fixed ones. */
static GPtrArray *
mapped_columns (StrataPatientView *self)
{
  GPtrArray *names = g_ptr_array_new ();
  const StrataColumnRoles *roles = self->roles;
  const char *candidates[4] = { self->result->time_column, self->result->event_column,
                                roles ? roles->site_column : NULL, roles ? roles->blasts_column : NULL };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    g_ptr_array_add (names, (char *) candidates[i]);
  for (guint i = 0; roles != NULL && roles->responses != NULL && i < roles->responses->len; i++)
    g_ptr_array_add (names, ((StrataResponseRole *) g_ptr_array_index (roles->responses, i))->column);
  for (guint i = 0; roles != NULL && roles->strata != NULL && i < roles->strata->len; i++)
    g_ptr_array_add (names, g_ptr_array_index (roles->strata, i));
  return names;
}

/* The columns the records need: the fixed ones, then the mapped columns of the file
 * (the first two: the endpoint's time and event). */
typedef struct {
  ColumnKind kind;
  const char *id, *title, *column_name;
} ColumnPlan;

static GArray *
plan_columns (StrataPatientView *self)
{
  g_autoptr (GPtrArray) names = mapped_columns (self);
  g_autoptr (GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *plan = g_array_new (FALSE, FALSE, sizeof (ColumnPlan));
  const ColumnPlan fixed[] = {
    { COLUMN_LINE, "line", C_("line of the file", "Line"), NULL },
    { COLUMN_STATUS, "status", _("Status"), NULL },
    { COLUMN_REASON, "reason", _("Reason"), NULL },
    { COLUMN_GROUP, "group", _("Group"), NULL },
  };

  g_array_append_vals (plan, fixed, G_N_ELEMENTS (fixed));
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      ColumnPlan cell = { COLUMN_CELL, i == 0 ? "time" : i == 1 ? "event" : name, name, name };
      if (name == NULL || g_hash_table_contains (shown, name) ||
          strata_table_find_column (self->table, name) == NULL)
        continue;
      g_hash_table_add (shown, (char *) name);
      g_array_append_val (plan, cell);
    }
  return plan;
}

static gboolean
plan_matches (StrataPatientView *self, GArray *plan)
{
  if (plan->len != self->columns->len)
    return FALSE;
  for (guint i = 0; i < plan->len; i++)
    {
      const ColumnPlan *want = &g_array_index (plan, ColumnPlan, i);
      const ColumnInfo *have = g_ptr_array_index (self->columns, i);
      if (want->kind != have->kind || g_strcmp0 (want->id, have->id) != 0 ||
          g_strcmp0 (want->column_name, have->column_name) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Makes the columns anew when the mapped columns changed, keeping the sort column if
 * it is still there. */
static void
update_columns (StrataPatientView *self)
{
  g_autoptr (GArray) plan = plan_columns (self);
  g_autofree char *sort_id = NULL;
  gboolean descending = self->sort_descending;

  if (plan_matches (self, plan))
    return;
  sort_id = self->sort_column ? g_strdup (self->sort_column->id) : NULL;
  remove_columns (self);
  for (guint i = 0; i < plan->len; i++)
    {
      const ColumnPlan *want = &g_array_index (plan, ColumnPlan, i);
      add_column (self, want->kind, want->id, want->title, want->column_name,
                  want->kind == COLUMN_REASON);
    }
  update_sort_menu (self);
  if (sort_id != NULL)
    {
      GtkColumnViewColumn *column = strata_patient_view_get_column (self, sort_id);
      if (column != NULL)
        gtk_column_view_sort_by_column (self->column_view, column,
                                        descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
    }
}

/* ---- working out the rows --------------------------------------------------------- */

static void
update_summary (StrataPatientView *self)
{
  g_autofree char *text = NULL;

  if (self->table == NULL)
    {
      gtk_label_set_text (self->summary_label, "");
      return;
    }
  /* Translators: counts of the rows of the patient table. */
  text = g_strdup_printf (_("%u records · included: %u · not in the current selection: %u · "
                            "excluded at import: %u"),
                          self->n_records, self->n_included, self->n_not_selected, self->n_excluded);
  gtk_label_set_text (self->summary_label, text);
}

static void
clear_rows (StrataPatientView *self)
{
  g_clear_pointer (&self->inclusion, strata_row_inclusion_free);
  g_clear_pointer (&self->group_names, g_strfreev);
  g_clear_pointer (&self->table, strata_table_unref);
  g_clear_pointer (&self->line_order, g_free);
  self->n_table_rows = self->n_records = 0;
  self->n_included = self->n_not_selected = self->n_excluded = 0;
}

/* The records by line: the table's rows merged with the records rejected at import. */
static guint32 *
order_by_line (StrataTable *table, guint n_table_rows, GPtrArray *rejected)
{
  const guint *lines = strata_table_get_lines (table);
  guint32 *order = g_new (guint32, MAX (n_table_rows + rejected->len, 1));
  guint r = 0, i = 0, k = 0;

  while (r < n_table_rows || i < rejected->len)
    {
      const StrataIssue *issue = i < rejected->len ? g_ptr_array_index (rejected, i) : NULL;
      if (issue != NULL && (r == n_table_rows || issue->line < lines[r]))
        order[k++] = n_table_rows + i++;
      else
        order[k++] = r++;
    }
  return order;
}

static void
update_rows (StrataPatientView *self)
{
  g_autoptr (GError) error = NULL;
  StrataTable *table;
  GPtrArray *rejected;
  gboolean new_table;

  self->stale = FALSE;
  if (self->cohort == NULL)
    {
      clear_rows (self);
      remove_columns (self);
      strata_patient_list_replace (self->list, NULL, 0);
      update_summary (self);
      return;
    }

  table = strata_cohort_get_table (self->cohort);
  new_table = table != self->table;
  g_clear_pointer (&self->inclusion, strata_row_inclusion_free);
  g_clear_pointer (&self->group_names, g_strfreev);
  self->inclusion = strata_analysis_row_inclusion (self->cohort, self->spec, &error);
  if (self->inclusion == NULL)
    {
      /* The analysis itself ran with this spec: this does not happen. */
      g_warning ("The patient table cannot follow the analysis: %s", error->message);
      clear_rows (self);
      strata_patient_list_replace (self->list, NULL, 0);
      update_summary (self);
      return;
    }
  if (new_table)
    {
      g_clear_pointer (&self->table, strata_table_unref);
      g_clear_pointer (&self->line_order, g_free);
      self->table = strata_table_ref (table);
      rejected = strata_table_get_rejected (table);
      self->n_table_rows = strata_table_get_n_rows (table);
      self->n_records = self->n_table_rows + rejected->len;
      self->line_order = order_by_line (table, self->n_table_rows, rejected);
    }
  rejected = strata_table_get_rejected (table);

  {
    g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
    const char *burden = self->roles ? self->roles->blasts_column : NULL;
    for (guint c = 0; c < self->inclusion->group_labels->len; c++)
      {
        g_autofree char *name = strata_group_label_display (self->result->by, burden,
                                                            g_ptr_array_index (self->inclusion->group_labels, c));
        g_strv_builder_add (names, name);
      }
    self->group_names = g_strv_builder_end (names);
  }

  self->n_included = self->inclusion->n_included;
  self->n_excluded = rejected->len;
  self->n_not_selected = 0;
  for (guint r = 0; r < self->n_table_rows; r++)
    {
      guint8 status = self->inclusion->status[r];
      self->n_not_selected += status == STRATA_ROW_FILTERED || status == STRATA_ROW_NO_GROUP;
      self->n_excluded += status == STRATA_ROW_UNUSABLE;
    }

  update_columns (self);
  apply_order (self);
  update_summary (self);
}

static void
ensure_current (StrataPatientView *self)
{
  if (self->stale)
    update_rows (self);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
strata_patient_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (strata_patient_view_parent_class)->map (widget);
  ensure_current (STRATA_PATIENT_VIEW (widget));
}

static void
strata_patient_view_dispose (GObject *object)
{
  StrataPatientView *self = STRATA_PATIENT_VIEW (object);

  /* Disposing the column view removes its columns, which changes its sorter. */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  for (guint i = 0; self->columns != NULL && i < self->columns->len; i++)
    ((ColumnInfo *) g_ptr_array_index (self->columns, i))->view = NULL;
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  if (self->sort_by_action != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sort_by_action, self);
      g_signal_handlers_disconnect_by_data (self->sort_descending_action, self);
      self->sort_by_action = NULL;
      self->sort_descending_action = NULL;
      gtk_widget_insert_action_group (GTK_WIDGET (self), "patients", NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), STRATA_TYPE_PATIENT_VIEW);
  g_clear_object (&self->sort_menu);
  g_clear_object (&self->list);

  G_OBJECT_CLASS (strata_patient_view_parent_class)->dispose (object);
}

static void
strata_patient_view_finalize (GObject *object)
{
  StrataPatientView *self = STRATA_PATIENT_VIEW (object);

  clear_rows (self);
  g_clear_pointer (&self->cohort, strata_cohort_unref);
  g_clear_pointer (&self->spec, strata_spec_free);
  g_clear_pointer (&self->result, strata_result_unref);
  g_clear_pointer (&self->roles, strata_column_roles_free);

  G_OBJECT_CLASS (strata_patient_view_parent_class)->finalize (object);
}

static void
strata_patient_view_class_init (StrataPatientViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = strata_patient_view_dispose;
  object_class->finalize = strata_patient_view_finalize;
  widget_class->map = strata_patient_view_map;

  strata_gui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stratareview/Strata/strata-patient-view.ui");
  gtk_widget_class_bind_template_child (widget_class, StrataPatientView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, StrataPatientView, column_view);
  gtk_widget_class_bind_template_child (widget_class, StrataPatientView, sort_button);
}

static void
strata_patient_view_init (StrataPatientView *self)
{
  g_autoptr (GtkSelectionModel) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->columns = g_ptr_array_new ();
  self->list = g_object_new (STRATA_TYPE_PATIENT_LIST, NULL);
  /* GtkSingleSelection asks for the selected item only, never for them all. */
  selection = GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->list))));
  gtk_single_selection_set_autoselect (GTK_SINGLE_SELECTION (selection), FALSE);
  gtk_single_selection_set_can_unselect (GTK_SINGLE_SELECTION (selection), TRUE);
  gtk_column_view_set_model (self->column_view, selection);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sorter_changed_cb), self, 0);

  {
    g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
    self->sort_by_action = g_simple_action_new_stateful ("sort-by", G_VARIANT_TYPE_STRING,
                                                         g_variant_new_string ("line"));
    self->sort_descending_action = g_simple_action_new_stateful ("sort-descending", NULL,
                                                                 g_variant_new_boolean (FALSE));
    g_signal_connect (self->sort_by_action, "change-state", G_CALLBACK (sort_by_change_state_cb), self);
    g_signal_connect (self->sort_descending_action, "change-state",
                      G_CALLBACK (sort_descending_change_state_cb), self);
    g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (self->sort_by_action));
    g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (self->sort_descending_action));
    g_object_unref (self->sort_by_action);            /* the group keeps them */
    g_object_unref (self->sort_descending_action);
    gtk_widget_insert_action_group (GTK_WIDGET (self), "patients", G_ACTION_GROUP (group));
  }
  self->sort_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->sort_button, G_MENU_MODEL (self->sort_menu));
}

/* ---- public API ----------------------------------------------------------------------- */

GtkWidget *
strata_patient_view_new (void)
{
  return g_object_new (STRATA_TYPE_PATIENT_VIEW, NULL);
}

void
strata_patient_view_set_analysis (StrataPatientView *self, StrataCohort *cohort,
                                  const StrataSpec *spec, StrataResult *result,
                                  const StrataColumnRoles *roles)
{
  g_return_if_fail (STRATA_IS_PATIENT_VIEW (self));
  g_return_if_fail (cohort == NULL || (spec != NULL && result != NULL));

  g_clear_pointer (&self->cohort, strata_cohort_unref);
  g_clear_pointer (&self->spec, strata_spec_free);
  g_clear_pointer (&self->result, strata_result_unref);
  g_clear_pointer (&self->roles, strata_column_roles_free);
  if (cohort != NULL)
    {
      self->cohort = strata_cohort_ref (cohort);
      self->spec = strata_spec_copy (spec);
      self->result = strata_result_ref (result);
      self->roles = roles ? strata_column_roles_copy (roles) : NULL;
    }
  self->stale = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_rows (self);
}

guint
strata_patient_view_get_n_rows (StrataPatientView *self)
{
  g_return_val_if_fail (STRATA_IS_PATIENT_VIEW (self), 0);

  ensure_current (self);
  return self->n_records;
}

guint
strata_patient_view_get_n_included (StrataPatientView *self)
{
  g_return_val_if_fail (STRATA_IS_PATIENT_VIEW (self), 0);

  ensure_current (self);
  return self->n_included;
}

guint
strata_patient_view_get_n_not_selected (StrataPatientView *self)
{
  g_return_val_if_fail (STRATA_IS_PATIENT_VIEW (self), 0);

  ensure_current (self);
  return self->n_not_selected;
}

guint
strata_patient_view_get_n_excluded (StrataPatientView *self)
{
  g_return_val_if_fail (STRATA_IS_PATIENT_VIEW (self), 0);

  ensure_current (self);
  return self->n_excluded;
}

GtkColumnView *
strata_patient_view_get_column_view (StrataPatientView *self)
{
  g_return_val_if_fail (STRATA_IS_PATIENT_VIEW (self), NULL);

  return self->column_view;
}

GtkColumnViewColumn *
strata_patient_view_get_column (StrataPatientView *self, const char *id)
{
  GListModel *columns;

  g_return_val_if_fail (STRATA_IS_PATIENT_VIEW (self), NULL);

  ensure_current (self);
  columns = gtk_column_view_get_columns (self->column_view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkSorter *sorter = gtk_column_view_column_get_sorter (column);
      if (STRATA_IS_PATIENT_SORTER (sorter) && g_strcmp0 (STRATA_PATIENT_SORTER (sorter)->info->id, id) == 0)
        return column;   /* the column view keeps a reference */
    }
  return NULL;
}

char *
strata_patient_view_dup_cell (StrataPatientView *self, guint position, const char *id)
{
  g_return_val_if_fail (STRATA_IS_PATIENT_VIEW (self), NULL);

  ensure_current (self);
  if (position >= self->list->n_items)
    return NULL;
  for (guint i = 0; i < self->columns->len; i++)
    {
      const ColumnInfo *info = g_ptr_array_index (self->columns, i);
      if (g_strcmp0 (info->id, id) == 0)
        return cell_text (self, info, self->list->order[position]);
    }
  return NULL;
}

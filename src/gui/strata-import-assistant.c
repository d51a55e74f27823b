/* strata-import-assistant.c: preview, column roles and import report of a new file. */
#include "strata-import-assistant.h"
#include "strata-result-text.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "strata-cohort-loader.h"
#include "strata-gui-resources.h"
#include "strata-issue-list.h"

#define PREVIEW_ROWS 8
/* Level lists in subtitles are cut after this many. */
#define MAX_LEVELS_SHOWN 8
/* A change of the header row waits this long for the next (arrow clicks, typing) before
 * the file is read again. */
#define HEADER_ROW_SETTLE_MS 300

/* The role choice of one column. */
typedef struct {
  char *column;
  char *description;      /* "2 levels: F, M", the subtitle */
  AdwComboRow *row;
  GArray *roles;          /* StrataImportRole, the choices the row's model lists */
} RoleRow;

/* The question "day first or month first?" for a date column that reads either way. */
typedef struct {
  char *column;
  AdwComboRow *row;   /* Choose…, Day first, Month first */
} OrderRow;

/* The success level of one response column. */
typedef struct {
  char *column;
  AdwComboRow *row;
} ResponseRow;

struct _StrataImportAssistant
{
  AdwWindow parent_instance;

  /* template */
  AdwWindowTitle *window_title;
  GtkButton *apply_button;
  AdwPreferencesGroup *source_group;
  AdwComboRow *sheet_row;
  GtkStringList *sheet_model;
  GtkSpinButton *header_spin;
  GtkWidget *reload_box;
  GtkButton *stop_button;
  AdwPreferencesGroup *endpoint_group;
  AdwActionRow *dates_row;
  GtkSwitch *dates_switch;
  AdwComboRow *start_row;
  GtkStringList *start_model;
  AdwComboRow *end_row;
  GtkStringList *end_model;
  AdwComboRow *last_row;
  GtkStringList *last_model;
  AdwComboRow *unit_row;
  AdwPreferencesGroup *preview_group;
  GtkGrid *preview_grid;
  AdwComboRow *time_row;
  GtkStringList *time_model;
  AdwComboRow *event_row;
  GtkStringList *event_model;
  AdwEntryRow *event_values_row;
  AdwActionRow *event_rule_row;
  AdwPreferencesGroup *roles_group;
  AdwPreferencesGroup *site_group;
  AdwEntryRow *bm_row;
  AdwEntryRow *emd_row;
  AdwEntryRow *cns_row;
  AdwActionRow *site_levels_row;
  AdwPreferencesGroup *burden_group;
  GtkSpinButton *threshold_spin;
  AdwPreferencesGroup *responses_group;
  AdwActionRow *encoding_row;
  AdwActionRow *delimiter_row;
  AdwActionRow *rows_row;
  AdwPreferencesGroup *report_group;
  AdwPreferencesGroup *rejected_group;
  AdwPreferencesGroup *excluded_group;

  StrataCohort *cohort;
  StrataTable *table;
  char *display_name;
  StrataColumnRoles *initial;     /* as given */
  StrataColumnRoles *roles;       /* as now chosen; NULL when incomplete */
  char *problem;
  GPtrArray *columns;             /* char*: the columns in time_model/event_model order */
  GPtrArray *role_rows;           /* RoleRow* */
  GPtrArray *response_rows;       /* ResponseRow* */
  GHashTable *chosen;             /* column -> StrataImportRole, the user's choices */
  GHashTable *success;            /* response column -> chosen level */
  GPtrArray *preview;             /* char* cells, PREVIEW_ROWS x columns */
  guint preview_rows;
  char *default_event_text;       /* the default rule's event values, as shown */
  GtkWidget *excluded_list;
  GtkStringList *excluded_model;
  GtkWidget *excluded_empty;
  GFile *file;                    /* the file, to read another sheet or header row */
  StrataCohortLoader *loader;     /* reads another sheet or header row in a worker */
  GCancellable *reload_cancellable; /* of the read running; NULL when none */
  guint settle_id;                /* a header-row change waiting to be read */
  GPtrArray *sheets;              /* char*: the workbook's sheets, in sheet_model order */
  GPtrArray *date_columns;        /* char*: the date columns, in start/end model order */
  GPtrArray *order_rows;          /* OrderRow*: columns whose dates read either way */
  GPtrArray *built;               /* GtkWidget* added to groups for the current table */
  GPtrArray *derived;             /* char*: preview cells of the derived time and event */
  guint n_derived_columns;        /* 0, 1 (time) or 2 (time and event) */
  const StrataEndpoint *endpoint; /* of the mapping as now chosen (owned by the cohort) */
  char *sheet;                    /* the sheet shown; NULL = the first with data */
  guint header_row;               /* its header row as asked for; 0 = the first with a value */
  char *reading_sheet;            /* the sheet and header row being read */
  guint reading_header_row;
  guint updating;
  gboolean finished;
};

G_DEFINE_FINAL_TYPE (StrataImportAssistant, strata_import_assistant, ADW_TYPE_WINDOW)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const role_names[] = {
  N_("Not used"), N_("Disease site"), N_("Marrow blasts"), N_("Response"), N_("Stratum"),
};

static void update (StrataImportAssistant *self);
static void update_cb (StrataImportAssistant *self);
static void set_problem (StrataImportAssistant *self, const char *problem);

/* ---- helpers ----------------------------------------------------------------------------- */

static void
role_row_free (RoleRow *row)
{
  g_free (row->column);
  g_free (row->description);
  g_array_unref (row->roles);
  g_free (row);
}

static void
order_row_free (OrderRow *row)
{
  g_free (row->column);
  g_free (row);
}

static void
response_row_free (ResponseRow *row)
{
  g_free (row->column);
  g_free (row);
}

static const StrataColumn *
column_named (StrataImportAssistant *self, const char *name)
{
  return name ? strata_table_find_column (self->table, name) : NULL;
}

/* The text of cell (ROW, COLUMN) as the file had it (numbers re-printed). */
static char *
cell_text (StrataTable *table, const StrataColumn *column, guint row)
{
  if (column->type == STRATA_COLUMN_NUMERIC)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      if (isnan (column->values[row]))
        return NULL;
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.10g", column->values[row]));
    }
  if (column->codes[row] == STRATA_MISSING_CODE)
    return NULL;
  return g_strdup (g_ptr_array_index (column->levels, column->codes[row]));
}

/* "3 levels: BM, CNS, EMD" or "numbers, 0–67.3" for a subtitle. */
static char *
describe_column (StrataTable *table, const StrataColumn *column)
{
  if (column->type == STRATA_COLUMN_NUMERIC)
    {
      double lo = INFINITY, hi = -INFINITY;
      guint missing = 0;
      for (guint r = 0; r < strata_table_get_n_rows (table); r++)
        {
          double v = column->values[r];
          if (isnan (v))
            missing++;
          else
            {
              lo = MIN (lo, v);
              hi = MAX (hi, v);
            }
        }
      if (!isfinite (lo))
        return g_strdup (_("Numbers; all missing"));
      if (missing > 0)
        return g_strdup_printf (ngettext ("Numbers from %g to %g; %u missing",
                                          "Numbers from %g to %g; %u missing", missing),
                                lo, hi, missing);
      return g_strdup_printf (_("Numbers from %g to %g"), lo, hi);
    }
  g_autoptr (GString) text = g_string_new (NULL);
  guint n = column->levels->len;
  if (column->type == STRATA_COLUMN_TEXT)
    g_string_printf (text, ngettext ("Text, %u distinct value", "Text, %u distinct values", n), n);
  else
    {
      g_string_printf (text, ngettext ("%u level: ", "%u levels: ", n), n);
      for (guint l = 0; l < MIN (n, MAX_LEVELS_SHOWN); l++)
        g_string_append_printf (text, "%s%s", l ? ", " : "",
                                (const char *) g_ptr_array_index (column->levels, l));
      if (n > MAX_LEVELS_SHOWN)
        g_string_append (text, ", …");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
strv_text (char **values)
{
  return values ? g_strjoinv (", ", values) : g_strdup ("");
}

/* Splits "a, b" into trimmed, non-empty items (NULL for none). */
static GStrv
split_values (const char *text)
{
  g_auto (GStrv) items = g_strsplit (text ? text : "", ",", -1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_strstrip (items[i]);
      if (*items[i] != '\0')
        {
          g_strv_builder_add (builder, items[i]);
          n++;
        }
    }
  if (n == 0)
    return NULL;
  return g_strv_builder_end (builder);
}

static gboolean
is_competing_status (StrataTable *table, const StrataColumn *column)
{
  gboolean has_two = FALSE;

  if (column == NULL || column->type != STRATA_COLUMN_NUMERIC)
    return FALSE;
  for (guint r = 0; r < strata_table_get_n_rows (table); r++)
    {
      double v = column->values[r];
      if (isnan (v))
        continue;
      if (v != 0.0 && v != 1.0 && v != 2.0)
        return FALSE;
      has_two |= v == 2.0;
    }
  return has_two;
}

static const char *
selected_column (StrataImportAssistant *self, AdwComboRow *row)
{
  guint selected = adw_combo_row_get_selected (row);

  /* Item 0 is "None". */
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > self->columns->len)
    return NULL;
  return g_ptr_array_index (self->columns, selected - 1);
}

static gboolean
select_column (StrataImportAssistant *self, AdwComboRow *row, const char *column)
{
  guint index;

  if (column == NULL)
    {
      adw_combo_row_set_selected (row, 0);
      return TRUE;
    }
  if (!g_ptr_array_find_with_equal_func (self->columns, column, g_str_equal, &index))
    return FALSE;
  adw_combo_row_set_selected (row, index + 1);
  return TRUE;
}

static char *
issue_text (const StrataIssue *issue)
{
  g_autofree char *reason = strata_result_text_reason (issue->reason);

  if (issue->column != NULL)
    return g_strdup_printf (_("line %u, %s: %s"), issue->line, issue->column, reason);
  return g_strdup_printf (_("line %u: %s"), issue->line, reason);
}

/* A row saying that a list is empty, in a boxed list of its own: added to a preferences
 * group as a row, hiding it would leave the group's (then empty) list drawn as a line,
 * since libadwaita 1.2 shows that list by the rows it holds, hidden or not. */
static GtkWidget *
placeholder_new (const char *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *list = gtk_list_box_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("object-select-symbolic"));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return list;
}

/* ---- preview --------------------------------------------------------------------------- */

/* A preview cell as wide as its text, up to 18 characters (then ellipsized): the grid
 * then scrolls sideways rather than squeezing every cell to "…". */
static void
set_cell_width (GtkLabel *label, const char *text)
{
  glong length = g_utf8_strlen (text, -1);

  gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (label, (int) MIN (MAX (length, 1), 18));
  gtk_label_set_max_width_chars (label, 18);
  if (length > 18)
    gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
}

static void
build_preview (StrataImportAssistant *self)
{
  guint n_columns = strata_table_get_n_columns (self->table);
  guint n_rows = strata_table_get_n_rows (self->table);

  self->preview_rows = MIN (n_rows, PREVIEW_ROWS);
  for (guint c = 0; c < n_columns; c++)
    {
      const StrataColumn *column = strata_table_get_column (self->table, c);
      GtkWidget *header = gtk_label_new (column->name);

      gtk_label_set_xalign (GTK_LABEL (header), column->type == STRATA_COLUMN_NUMERIC ? 1 : 0);
      set_cell_width (GTK_LABEL (header), column->name);
      gtk_widget_add_css_class (header, "heading");
      if (strata_table_get_column_description (self->table, c) != NULL)
        gtk_widget_set_tooltip_text (header, strata_table_get_column_description (self->table, c));
      gtk_grid_attach (self->preview_grid, header, (int) c, 0, 1, 1);
      for (guint r = 0; r < self->preview_rows; r++)
        {
          char *text = cell_text (self->table, column, r);
          GtkWidget *label = gtk_label_new (text ? text : "—");

          gtk_label_set_xalign (GTK_LABEL (label), column->type == STRATA_COLUMN_NUMERIC ? 1 : 0);
          set_cell_width (GTK_LABEL (label), text ? text : "—");
          gtk_label_set_selectable (GTK_LABEL (label), FALSE);
          if (text == NULL)
            gtk_widget_add_css_class (label, "dim-label");
          if (column->type == STRATA_COLUMN_NUMERIC)
            gtk_widget_add_css_class (label, "numeric");
          gtk_grid_attach (self->preview_grid, label, (int) c, (int) r + 1, 1, 1);
          g_ptr_array_add (self->preview, text ? text : g_strdup (""));
        }
    }
  g_autofree char *description =
    g_strdup_printf (ngettext ("The first %u row of %s", "The first %u rows of %s", self->preview_rows),
                     self->preview_rows, self->display_name);
  adw_preferences_group_set_description (self->preview_group, description);
}

/* ---- report ---------------------------------------------------------------------------- */

static const char *
delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    case ';':
      return _("Semicolon");
    case '\t':
      return _("Tab");
    case ',':
    default:
      return _("Comma");
    }
}

/* Adds WIDGET to GROUP for the current table: a reload removes it. */
static void
add_built (StrataImportAssistant *self, AdwPreferencesGroup *group, GtkWidget *widget)
{
  g_object_set_data (G_OBJECT (widget), "strata-group", group);
  adw_preferences_group_add (group, widget);
  g_ptr_array_add (self->built, widget);
}

static void
build_report (StrataImportAssistant *self)
{
  GPtrArray *rejected = strata_table_get_rejected (self->table);
  GPtrArray *warnings = strata_table_get_warnings (self->table);
  guint n_rows = strata_table_get_n_rows (self->table);
  g_autofree char *delimiter = NULL;
  g_autofree char *rows = NULL;

  adw_action_row_set_subtitle (self->encoding_row, strata_table_get_encoding (self->table));
  delimiter = strata_table_get_decimal_comma (self->table)
              ? g_strdup_printf (_("%s, with decimal commas"), delimiter_name (strata_table_get_delimiter (self->table)))
              : g_strdup (delimiter_name (strata_table_get_delimiter (self->table)));
  adw_action_row_set_subtitle (self->delimiter_row, delimiter);
  rows = g_strdup_printf (_("%u rows read, %u not read; %u columns"), n_rows, rejected->len,
                          strata_table_get_n_columns (self->table));
  adw_action_row_set_subtitle (self->rows_row, rows);

  for (guint i = 0; i < warnings->len; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Note"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), g_ptr_array_index (warnings, i));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("dialog-information-symbolic"));
      add_built (self, self->report_group, row);
    }

  if (rejected->len == 0)
    {
      adw_preferences_group_set_description (self->rejected_group, NULL);
      add_built (self, self->rejected_group, placeholder_new (_("Every row was read")));
    }
  else
    {
      g_autoptr (GtkStringList) model = gtk_string_list_new (NULL);
      g_autofree char *description =
        g_strdup_printf (ngettext ("%u row could not be read and is not in the table",
                                   "%u rows could not be read and are not in the table",
                                   rejected->len), rejected->len);
      for (guint i = 0; i < rejected->len; i++)
        {
          g_autofree char *markup = strata_result_text_issue_markup (g_ptr_array_index (rejected, i));
          gtk_string_list_append (model, markup);
        }
      adw_preferences_group_set_description (self->rejected_group, description);
      add_built (self, self->rejected_group, strata_issue_list_new (G_LIST_MODEL (model), _("Rows not read"), 220));
    }

  g_clear_object (&self->excluded_model);
  self->excluded_model = gtk_string_list_new (NULL);
  self->excluded_list = strata_issue_list_new (G_LIST_MODEL (self->excluded_model),
                                               _("Rows left out of the analysis"), 220);
  self->excluded_empty = placeholder_new (_("No row is left out"));
  add_built (self, self->excluded_group, self->excluded_empty);
  add_built (self, self->excluded_group, self->excluded_list);
}

/* ---- roles ----------------------------------------------------------------------------- */

static RoleRow *
find_role_row (StrataImportAssistant *self, const char *column)
{
  for (guint i = 0; i < self->role_rows->len; i++)
    {
      RoleRow *row = g_ptr_array_index (self->role_rows, i);
      if (g_strcmp0 (row->column, column) == 0)
        return row;
    }
  return NULL;
}

static StrataImportRole
row_role (RoleRow *row)
{
  guint selected = adw_combo_row_get_selected (row->row);

  if (selected >= row->roles->len)
    return STRATA_IMPORT_ROLE_NONE;
  return g_array_index (row->roles, StrataImportRole, selected);
}

static gboolean
set_row_role (RoleRow *row, StrataImportRole role)
{
  for (guint i = 0; i < row->roles->len; i++)
    if (g_array_index (row->roles, StrataImportRole, i) == role)
      {
        adw_combo_row_set_selected (row->row, i);
        return TRUE;
      }
  return FALSE;
}

static void
role_changed_cb (AdwComboRow *combo, GParamSpec *pspec, StrataImportAssistant *self)
{
  RoleRow *row = g_object_get_data (G_OBJECT (combo), "strata-role-row");
  StrataImportRole role = row_role (row);

  if (self->updating > 0)
    return;
  g_hash_table_insert (self->chosen, g_strdup (row->column), GINT_TO_POINTER (role));
  /* One site column and one blasts column. */
  if (role == STRATA_IMPORT_ROLE_SITE || role == STRATA_IMPORT_ROLE_BLASTS)
    {
      self->updating++;
      for (guint i = 0; i < self->role_rows->len; i++)
        {
          RoleRow *other = g_ptr_array_index (self->role_rows, i);
          if (other != row && row_role (other) == role)
            {
              set_row_role (other, STRATA_IMPORT_ROLE_NONE);
              g_hash_table_insert (self->chosen, g_strdup (other->column),
                                   GINT_TO_POINTER (STRATA_IMPORT_ROLE_NONE));
            }
        }
      self->updating--;
    }
  update (self);
}

static void
build_role_rows (StrataImportAssistant *self)
{
  for (guint c = 0; c < strata_table_get_n_columns (self->table); c++)
    {
      const StrataColumn *column = strata_table_get_column (self->table, c);
      RoleRow *row = g_new0 (RoleRow, 1);
      GtkStringList *model = gtk_string_list_new (NULL);
      g_autofree char *values = describe_column (self->table, column);
      const char *label = strata_table_get_column_description (self->table, c);
      /* A variable label (SPSS, SAS, Stata) says what the column is: show it first. */
      g_autofree char *subtitle = label != NULL && *label != '\0'
                                  ? g_strdup_printf ("%s · %s", label, values)
                                  : g_strdup (values);
      gboolean categorical = column->type == STRATA_COLUMN_CATEGORICAL;
      StrataImportRole role;

      row->column = g_strdup (column->name);
      row->description = g_strdup (subtitle);
      row->roles = g_array_new (FALSE, FALSE, sizeof (StrataImportRole));
      role = STRATA_IMPORT_ROLE_NONE;
      g_array_append_val (row->roles, role);
      if (categorical)
        {
          role = STRATA_IMPORT_ROLE_SITE;
          g_array_append_val (row->roles, role);
        }
      if (column->type == STRATA_COLUMN_NUMERIC)
        {
          role = STRATA_IMPORT_ROLE_BLASTS;
          g_array_append_val (row->roles, role);
        }
      if (categorical && column->levels->len >= 2)
        {
          role = STRATA_IMPORT_ROLE_RESPONSE;
          g_array_append_val (row->roles, role);
          role = STRATA_IMPORT_ROLE_STRATUM;
          g_array_append_val (row->roles, role);
        }
      for (guint i = 0; i < row->roles->len; i++)
        gtk_string_list_append (model, _(role_names[g_array_index (row->roles, StrataImportRole, i)]));

      row->row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), column->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), subtitle);
      adw_combo_row_set_model (row->row, G_LIST_MODEL (model));
      g_object_unref (model);
      g_object_set_data (G_OBJECT (row->row), "strata-role-row", row);
      gtk_widget_set_sensitive (GTK_WIDGET (row->row), row->roles->len > 1);
      g_signal_connect (row->row, "notify::selected", G_CALLBACK (role_changed_cb), self);
      adw_preferences_group_add (self->roles_group, GTK_WIDGET (row->row));
      g_ptr_array_add (self->role_rows, row);
    }
}

/* ---- site values and responses ------------------------------------------------------- */

static AdwEntryRow *
site_entry (StrataImportAssistant *self, StrataSiteClass site_class)
{
  switch (site_class)
    {
    case STRATA_SITE_BM:
      return self->bm_row;
    case STRATA_SITE_EMD:
      return self->emd_row;
    case STRATA_SITE_CNS:
    default:
      return self->cns_row;
    }
}

/* Fills the BM, EMD, CNS entries with the levels of COLUMN their names suggest. */
static void
guess_site_values (StrataImportAssistant *self, const StrataColumn *column)
{
  for (guint k = 0; k < STRATA_SITE_N_CLASSES; k++)
    {
      g_autoptr (GPtrArray) values = g_ptr_array_new ();
      for (guint l = 0; l < column->levels->len; l++)
        if (strata_site_class_guess (g_ptr_array_index (column->levels, l)) == (int) k)
          g_ptr_array_add (values, g_ptr_array_index (column->levels, l));
      g_ptr_array_add (values, NULL);
      g_autofree char *text = g_strjoinv (", ", (char **) values->pdata);
      gtk_editable_set_text (GTK_EDITABLE (site_entry (self, k)), text);
    }
}

static const char *
response_success_guess (const StrataColumn *column)
{
  static const char *const preferred[] = { "negative", "CR", "yes", "responder", NULL };

  for (guint p = 0; preferred[p] != NULL; p++)
    for (guint l = 0; l < column->levels->len; l++)
      if (g_ascii_strcasecmp (g_ptr_array_index (column->levels, l), preferred[p]) == 0)
        return g_ptr_array_index (column->levels, l);
  return g_ptr_array_index (column->levels, 0);
}

static void
success_changed_cb (AdwComboRow *combo, GParamSpec *pspec, StrataImportAssistant *self)
{
  ResponseRow *row = g_object_get_data (G_OBJECT (combo), "strata-response-row");
  const StrataColumn *column = column_named (self, row->column);
  guint selected = adw_combo_row_get_selected (combo);

  if (self->updating > 0 || column == NULL || selected >= column->levels->len)
    return;
  g_hash_table_insert (self->success, g_strdup (row->column),
                       g_strdup (g_ptr_array_index (column->levels, selected)));
  update (self);
}

/* One row per response column, choosing the level that counts as a response. */
static void
build_response_rows (StrataImportAssistant *self, GPtrArray *columns)
{
  gboolean same = columns->len == self->response_rows->len;

  for (guint i = 0; same && i < columns->len; i++)
    same = g_strcmp0 (g_ptr_array_index (columns, i),
                      ((ResponseRow *) g_ptr_array_index (self->response_rows, i))->column) == 0;
  if (same)
    return;

  for (guint i = 0; i < self->response_rows->len; i++)
    adw_preferences_group_remove (self->responses_group,
                                  GTK_WIDGET (((ResponseRow *) g_ptr_array_index (self->response_rows, i))->row));
  g_ptr_array_set_size (self->response_rows, 0);
  for (guint i = 0; i < columns->len; i++)
    {
      const StrataColumn *column = column_named (self, g_ptr_array_index (columns, i));
      ResponseRow *row = g_new0 (ResponseRow, 1);
      GtkStringList *model = gtk_string_list_new (NULL);
      const char *success = g_hash_table_lookup (self->success, column->name);
      guint selected = 0;

      if (success == NULL)
        {
          success = response_success_guess (column);
          g_hash_table_insert (self->success, g_strdup (column->name), g_strdup (success));
        }
      for (guint l = 0; l < column->levels->len; l++)
        {
          gtk_string_list_append (model, g_ptr_array_index (column->levels, l));
          if (g_strcmp0 (g_ptr_array_index (column->levels, l), success) == 0)
            selected = l;
        }
      row->column = g_strdup (column->name);
      row->row = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), column->name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), _("The level counted as a response"));
      adw_combo_row_set_model (row->row, G_LIST_MODEL (model));
      g_object_unref (model);
      adw_combo_row_set_selected (row->row, selected);
      g_object_set_data (G_OBJECT (row->row), "strata-response-row", row);
      g_signal_connect (row->row, "notify::selected", G_CALLBACK (success_changed_cb), self);
      adw_preferences_group_add (self->responses_group, GTK_WIDGET (row->row));
      g_ptr_array_add (self->response_rows, row);
    }
}

/* ---- time from dates ---------------------------------------------------------------- */

static const char *const unit_ids[] = { "days", "weeks", "months", "years" };

/* The date column chosen in ROW (WITH_NONE: item 0 is "None"). */
static const char *
selected_date (StrataImportAssistant *self, AdwComboRow *row, gboolean with_none)
{
  guint selected = adw_combo_row_get_selected (row);

  if (with_none)
    {
      if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > self->date_columns->len)
        return NULL;
      return g_ptr_array_index (self->date_columns, selected - 1);
    }
  if (selected >= self->date_columns->len)
    return NULL;
  return g_ptr_array_index (self->date_columns, selected);
}

static gboolean
select_date (StrataImportAssistant *self, AdwComboRow *row, gboolean with_none, const char *column)
{
  guint index;

  if (column == NULL && with_none)
    {
      adw_combo_row_set_selected (row, 0);
      return TRUE;
    }
  if (column == NULL ||
      !g_ptr_array_find_with_equal_func (self->date_columns, column, g_str_equal, &index))
    return FALSE;
  adw_combo_row_set_selected (row, with_none ? index + 1 : index);
  return TRUE;
}

/* A value of COLUMN that reads as two different dates, day first or month first, when
 * the column's values do not decide (the core then asks); NULL otherwise. */
static const char *
ambiguous_example (StrataTable *table, const StrataColumn *column)
{
  g_autoptr (GError) error = NULL;
  g_autofree double *days = strata_date_column_read (table, column->name, NULL, NULL, &error);

  if (days != NULL || !g_error_matches (error, STRATA_DATE_ERROR, STRATA_DATE_ERROR_AMBIGUOUS))
    return NULL;
  for (guint l = 0; l < column->levels->len; l++)
    {
      const char *level = g_ptr_array_index (column->levels, l);
      double a, b;
      if (strata_date_parse (level, STRATA_DATE_ORDER_DAY_FIRST, &a) &&
          strata_date_parse (level, STRATA_DATE_ORDER_MONTH_FIRST, &b) && a != b)
        return level;
    }
  return NULL;
}

static OrderRow *
find_order_row (StrataImportAssistant *self, const char *column)
{
  for (guint i = 0; i < self->order_rows->len; i++)
    {
      OrderRow *row = g_ptr_array_index (self->order_rows, i);
      if (g_strcmp0 (row->column, column) == 0)
        return row;
    }
  return NULL;
}

/* The date columns in the start, event and last-contact lists, and a question for each
 * column whose dates read either way. */
static void
build_date_rows (StrataImportAssistant *self)
{
  gtk_string_list_append (self->last_model, _("None"));
  for (guint c = 0; c < strata_table_get_n_columns (self->table); c++)
    {
      const StrataColumn *column = strata_table_get_column (self->table, c);
      const char *example;

      if (!strata_column_is_dates (self->table, column))
        continue;
      g_ptr_array_add (self->date_columns, g_strdup (column->name));
      gtk_string_list_append (self->start_model, column->name);
      gtk_string_list_append (self->end_model, column->name);
      gtk_string_list_append (self->last_model, column->name);
      if ((example = ambiguous_example (self->table, column)) != NULL)
        {
          OrderRow *row = g_new0 (OrderRow, 1);
          g_autoptr (GtkStringList) model = gtk_string_list_new (NULL);
          g_autofree char *title = g_strdup_printf (_("Dates in %s"), column->name);
          g_autofree char *subtitle =
            g_strdup_printf (_("“%s” reads day first or month first: say which"), example);

          gtk_string_list_append (model, _("Choose…"));
          gtk_string_list_append (model, _("Day first (31/12/2024)"));
          gtk_string_list_append (model, _("Month first (12/31/2024)"));
          row->column = g_strdup (column->name);
          row->row = ADW_COMBO_ROW (adw_combo_row_new ());
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), title);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->row), FALSE);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), subtitle);
          adw_combo_row_set_model (row->row, G_LIST_MODEL (model));
          gtk_widget_set_visible (GTK_WIDGET (row->row), FALSE);
          g_signal_connect_swapped (row->row, "notify::selected", G_CALLBACK (update_cb), self);
          add_built (self, self->endpoint_group, GTK_WIDGET (row->row));
          g_ptr_array_add (self->order_rows, row);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->dates_row), self->date_columns->len >= 2);
}

static gboolean
dates_mode (StrataImportAssistant *self)
{
  return self->date_columns->len >= 2 && gtk_switch_get_active (self->dates_switch);
}

/* The preview's last columns: the derived time (and the event, when the dates give it)
 * of each preview row, from ENDPOINT (NULL: none shown). */
static void
update_derived_preview (StrataImportAssistant *self, const StrataEndpoint *endpoint,
                        const char *unit, gboolean event_from_dates)
{
  guint n_rows = strata_table_get_n_rows (self->table);

  /* The derived columns come first, where they are seen without scrolling. */
  for (guint c = 0; c < self->n_derived_columns; c++)
    gtk_grid_remove_column (self->preview_grid, 0);
  g_ptr_array_set_size (self->derived, 0);
  self->n_derived_columns = 0;
  if (endpoint == NULL)
    return;

  g_autofree double *time = g_new (double, MAX (n_rows, 1));
  g_autofree int *event = g_new (int, MAX (n_rows, 1));
  for (guint r = 0; r < n_rows; r++)
    {
      time[r] = NAN;
      event[r] = -1;
    }
  for (guint i = 0; i < endpoint->n; i++)
    {
      time[endpoint->row[i]] = endpoint->time[i];
      event[endpoint->row[i]] = endpoint->event[i];
    }
  self->n_derived_columns = event_from_dates ? 2 : 1;
  for (guint c = 0; c < self->n_derived_columns; c++)
    gtk_grid_insert_column (self->preview_grid, 0);
  for (guint c = 0; c < self->n_derived_columns; c++)
    {
      g_autofree char *title = c == 0 ? g_strdup_printf (_("Time, %s"), unit) : g_strdup (_("Event"));
      GtkWidget *header = gtk_label_new (title);

      gtk_label_set_xalign (GTK_LABEL (header), c == 0 ? 1 : 0);
      set_cell_width (GTK_LABEL (header), title);
      gtk_widget_add_css_class (header, "heading");
      gtk_widget_add_css_class (header, "accent");
      gtk_widget_set_tooltip_text (header, c == 0 ? _("Derived from the dates") : _("Yes when there is an event date"));
      gtk_grid_attach (self->preview_grid, header, (int) c, 0, 1, 1);
      for (guint r = 0; r < self->preview_rows; r++)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];
          const char *text = isnan (time[r]) ? NULL
                             : c == 0 ? g_ascii_formatd (buffer, sizeof buffer, "%.2f", time[r])
                             : event[r] ? _("Yes") : _("No");
          GtkWidget *label = gtk_label_new (text ? text : "—");

          gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 1 : 0);
          set_cell_width (GTK_LABEL (label), text ? text : "—");
          if (text == NULL)
            {
              gtk_widget_add_css_class (label, "dim-label");
              gtk_widget_set_tooltip_text (label, _("Left out: see the import report"));
            }
          if (c == 0)
            gtk_widget_add_css_class (label, "numeric");
          gtk_grid_attach (self->preview_grid, label, (int) c, (int) r + 1, 1, 1);
          g_ptr_array_add (self->derived, g_strdup (text ? text : ""));
        }
    }
}

/* The endpoint of the time from dates as now chosen, into ROLES; NULL (with the problem
 * set) while it is not complete. EVENT is the event column chosen, or NULL. */
static const StrataEndpoint *
dates_endpoint (StrataImportAssistant *self, StrataColumnRoles *roles, const char *event)
{
  const char *start = selected_date (self, self->start_row, FALSE);
  const char *end = selected_date (self, self->end_row, FALSE);
  const char *last = selected_date (self, self->last_row, TRUE);
  guint unit = adw_combo_row_get_selected (self->unit_row);
  const StrataEndpoint *endpoint = NULL;
  g_autoptr (GError) error = NULL;

  roles->time_from = g_strdup (start);
  roles->time_to = g_strdup (end);
  roles->last_contact = g_strdup (last);
  roles->time_unit = g_strdup (unit_ids[MIN (unit, G_N_ELEMENTS (unit_ids) - 1)]);
  roles->event_column = g_strdup (event);
  for (guint i = 0; i < self->order_rows->len; i++)
    {
      OrderRow *row = g_ptr_array_index (self->order_rows, i);
      gboolean used = g_strcmp0 (row->column, start) == 0 || g_strcmp0 (row->column, end) == 0 ||
                      g_strcmp0 (row->column, last) == 0;
      guint answer = adw_combo_row_get_selected (row->row);

      gtk_widget_set_visible (GTK_WIDGET (row->row), used);
      if (!used)
        continue;
      if (answer == 1 || answer == 2)
        g_hash_table_insert (roles->date_orders, g_strdup (row->column),
                             GINT_TO_POINTER (answer == 1 ? STRATA_DATE_ORDER_DAY_FIRST
                                                          : STRATA_DATE_ORDER_MONTH_FIRST));
      else
        {
          g_autofree char *problem =
            g_strdup_printf (_("Say whether the dates in %s are written day first or month first."),
                             row->column);
          set_problem (self, problem);
        }
    }
  if (start == NULL || end == NULL)
    set_problem (self, _("Choose the start date and the event date columns."));
  else if (g_strcmp0 (start, end) == 0 || g_strcmp0 (start, last) == 0 || g_strcmp0 (end, last) == 0)
    set_problem (self, _("The start date, the event date and the last contact must be different columns."));
  else if (event == NULL && last == NULL)
    set_problem (self, _("Choose the last-contact column (then an event date means an event), or an "
                         "event column."));
  if (self->problem != NULL)
    return NULL;

  if (event != NULL)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->event_values_row));
      g_auto (GStrv) values = split_values (text);
      g_autofree char *normal = values ? g_strjoinv (", ", values) : g_strdup ("");
      if (g_strcmp0 (normal, self->default_event_text) != 0)
        {
          if (values == NULL)
            {
              set_problem (self, _("Give at least one value that means an event."));
              return NULL;
            }
          roles->event_values = g_steal_pointer (&values);
        }
    }
  endpoint = strata_cohort_get_derived_endpoint (self->cohort, start, end, last, roles->time_unit,
                                                 roles->date_orders, event,
                                                 (const char *const *) roles->event_values, &error);
  if (endpoint == NULL)
    set_problem (self, error->message);
  return endpoint;
}

/* ---- the mapping ------------------------------------------------------------------------- */

static void
set_problem (StrataImportAssistant *self, const char *problem)
{
  if (self->problem == NULL && problem != NULL)
    self->problem = g_strdup (problem);
}

static void
mark_entry (AdwEntryRow *entry, gboolean error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
}

/* Reads the site entries into ROLES; FALSE (with the problem set) for a value that is
 * not a level of the column, or one given for two sites. */
static void
read_site_values (StrataImportAssistant *self, const StrataColumn *column, StrataColumnRoles *roles)
{
  for (guint k = 0; k < STRATA_SITE_N_CLASSES; k++)
    {
      AdwEntryRow *entry = site_entry (self, k);
      g_auto (GStrv) values = split_values (gtk_editable_get_text (GTK_EDITABLE (entry)));
      gboolean bad = FALSE;

      for (guint i = 0; values != NULL && values[i] != NULL; i++)
        {
          gboolean found = FALSE;
          for (guint l = 0; l < column->levels->len && !found; l++)
            found = g_strcmp0 (g_ptr_array_index (column->levels, l), values[i]) == 0;
          if (!found)
            {
              g_autofree char *problem = g_strdup_printf (_("“%s” is not a value of %s."), values[i],
                                                          column->name);
              set_problem (self, problem);
              bad = TRUE;
            }
          else if (strata_column_roles_site_class_of (roles, values[i]) >= 0)
            {
              g_autofree char *problem = g_strdup_printf (_("“%s” is given for two sites."), values[i]);
              set_problem (self, problem);
              bad = TRUE;
            }
          else
            {
              char *one[] = { values[i], NULL };
              char **joined = roles->site_values[k];
              if (joined == NULL)
                roles->site_values[k] = g_strdupv (one);
              else
                {
                  guint n = g_strv_length (joined);
                  roles->site_values[k] = g_renew (char *, joined, n + 2);
                  roles->site_values[k][n] = g_strdup (values[i]);
                  roles->site_values[k][n + 1] = NULL;
                }
            }
        }
      mark_entry (entry, bad);
    }
}

static void
update_site_levels (StrataImportAssistant *self, const StrataColumn *column)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree guint *counts = g_new0 (guint, MAX (column->levels->len, 1));

  for (guint r = 0; r < strata_table_get_n_rows (self->table); r++)
    if (column->codes[r] != STRATA_MISSING_CODE)
      counts[column->codes[r]]++;
  for (guint l = 0; l < column->levels->len; l++)
    g_string_append_printf (text, "%s%s (%u)", l ? ", " : "",
                            (const char *) g_ptr_array_index (column->levels, l), counts[l]);
  adw_action_row_set_subtitle (self->site_levels_row, text->str);
  g_autofree char *description =
    g_strdup_printf (_("Which values of %s mean each site; separate them with commas. A value "
                       "left out gets a toggle of its own."), column->name);
  adw_preferences_group_set_description (self->site_group, description);
}

static void
update_exclusions (StrataImportAssistant *self, const StrataEndpoint *endpoint)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->excluded_model));
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  guint n = endpoint ? endpoint->excluded->len : 0;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, strata_result_text_issue_markup (g_ptr_array_index (endpoint->excluded, i)));
  g_ptr_array_add (items, NULL);
  gtk_string_list_splice (self->excluded_model, 0, n_old, (const char *const *) items->pdata);
  gtk_widget_set_visible (self->excluded_list, n > 0);
  gtk_widget_set_visible (self->excluded_empty, endpoint != NULL && n == 0);
  if (endpoint == NULL)
    adw_preferences_group_set_description (self->excluded_group,
                                           _("Choose the time and the event to see which rows the analysis leaves out."));
  else if (n == 0)
    adw_preferences_group_set_description (self->excluded_group, NULL);
  else
    {
      g_autofree char *description =
        g_strdup_printf (ngettext ("%u row has no usable time or event and is left out of the "
                                   "survival analysis; the file is not changed",
                                   "%u rows have no usable time or event and are left out of the "
                                   "survival analysis; the file is not changed", n), n);
      adw_preferences_group_set_description (self->excluded_group, description);
    }
}

/* Whether Analyse can be pressed: a complete mapping and no read running. */
static void
update_apply (StrataImportAssistant *self)
{
  gboolean ready = self->roles != NULL && !strata_import_assistant_get_busy (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.apply", ready);
}

static void
update (StrataImportAssistant *self)
{
  const char *time = selected_column (self, self->time_row);
  const char *event = selected_column (self, self->event_row);
  g_autoptr (StrataColumnRoles) roles = strata_column_roles_new ();
  g_autoptr (GPtrArray) responses = g_ptr_array_new ();
  const StrataColumn *site = NULL;
  const StrataEndpoint *endpoint = NULL;
  g_autoptr (GError) error = NULL;

  gboolean dates = dates_mode (self);
  const char *start = NULL, *end = NULL, *last = NULL;

  self->updating++;
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->roles, strata_column_roles_free);
  self->endpoint = NULL;
  roles->sheet = g_strdup (self->sheet);
  roles->header_row = self->header_row;

  /* The endpoint: a time column, or a time from dates. */
  gtk_widget_set_visible (GTK_WIDGET (self->time_row), !dates);
  gtk_widget_set_visible (GTK_WIDGET (self->start_row), dates);
  gtk_widget_set_visible (GTK_WIDGET (self->end_row), dates);
  gtk_widget_set_visible (GTK_WIDGET (self->last_row), dates);
  gtk_widget_set_visible (GTK_WIDGET (self->unit_row), dates);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->event_row),
                                 dates ? _("_Event (optional)") : _("_Event"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->event_row),
                               dates ? _("None: a patient with an event date had the event") : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->event_values_row), !dates || event != NULL);
  for (guint i = 0; !dates && i < self->order_rows->len; i++)
    gtk_widget_set_visible (GTK_WIDGET (((OrderRow *) g_ptr_array_index (self->order_rows, i))->row), FALSE);
  if (dates)
    {
      time = NULL;
      endpoint = dates_endpoint (self, roles, event);
      start = roles->time_from;
      end = roles->time_to;
      last = roles->last_contact;
    }
  else if ((roles->time_column = g_strdup (time)) == NULL || event == NULL)
    set_problem (self, _("Choose the time and the event columns."));
  else if (g_strcmp0 (time, event) == 0)
    set_problem (self, _("The time and the event must be two different columns."));
  else
    {
      const StrataColumn *event_column = column_named (self, event);
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->event_values_row));
      g_auto (GStrv) values = split_values (text);
      g_autofree char *normal = values ? g_strjoinv (", ", values) : g_strdup ("");
      gboolean default_rule = g_strcmp0 (normal, self->default_event_text) == 0;
      static const char *const any_event[] = { "1", "2", NULL };

      if (!default_rule)
        roles->event_values = g_steal_pointer (&values);
      if (is_competing_status (self->table, event_column) && default_rule)
        {
          roles->status_column = g_strdup (event);
          endpoint = strata_cohort_get_endpoint (self->cohort, time, event, any_event, &error);
        }
      else
        {
          roles->event_column = g_strdup (event);
          if (!default_rule && roles->event_values == NULL)
            set_problem (self, _("Give at least one value that means an event."));
          else
            endpoint = strata_cohort_get_endpoint (self->cohort, time, event,
                                                   (const char *const *) roles->event_values, &error);
        }
      if (endpoint == NULL && error != NULL)
        set_problem (self, error->message);
    }
  self->endpoint = endpoint;
  update_derived_preview (self, dates ? endpoint : NULL, roles->time_unit, dates && event == NULL);
  if (endpoint != NULL)
    {
      g_autofree char *subtitle =
        roles->status_column
        ? g_strdup_printf (_("0 = censored, 1 = event, 2 = competing event: Kaplan–Meier of any "
                             "event · %u of %u rows usable"),
                           endpoint->n, strata_table_get_n_rows (self->table))
        : g_strdup_printf (_("%s · %u of %u rows usable"), endpoint->event_rule, endpoint->n,
                           strata_table_get_n_rows (self->table));
      adw_action_row_set_subtitle (self->event_rule_row, subtitle);
      gtk_widget_remove_css_class (GTK_WIDGET (self->event_rule_row), "error");
    }
  else
    {
      adw_action_row_set_subtitle (self->event_rule_row, self->problem ? self->problem : "");
      gtk_widget_add_css_class (GTK_WIDGET (self->event_rule_row), "error");
    }
  mark_entry (self->event_values_row, endpoint == NULL && error != NULL);
  update_exclusions (self, endpoint);

  /* The other columns. */
  for (guint i = 0; i < self->role_rows->len; i++)
    {
      RoleRow *row = g_ptr_array_index (self->role_rows, i);
      gboolean endpoint_column = g_strcmp0 (row->column, time) == 0 || g_strcmp0 (row->column, event) == 0 ||
                                 g_strcmp0 (row->column, start) == 0 || g_strcmp0 (row->column, end) == 0 ||
                                 g_strcmp0 (row->column, last) == 0;
      gpointer chosen;
      StrataImportRole role = STRATA_IMPORT_ROLE_NONE;

      if (g_hash_table_lookup_extended (self->chosen, row->column, NULL, &chosen))
        role = GPOINTER_TO_INT (chosen);
      if (endpoint_column)
        role = STRATA_IMPORT_ROLE_NONE;
      set_row_role (row, role);
      gtk_widget_set_sensitive (GTK_WIDGET (row->row), !endpoint_column && row->roles->len > 1);
      if (g_strcmp0 (row->column, time) == 0)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), _("The time of the endpoint"));
      else if (g_strcmp0 (row->column, event) == 0)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), _("The event of the endpoint"));
      else if (g_strcmp0 (row->column, start) == 0)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), _("The start date of the endpoint"));
      else if (g_strcmp0 (row->column, end) == 0)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), _("The event date of the endpoint"));
      else if (g_strcmp0 (row->column, last) == 0)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), _("The last contact of the endpoint"));
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), row->description);

      switch (row_role (row))
        {
        case STRATA_IMPORT_ROLE_SITE:
          site = column_named (self, row->column);
          roles->site_column = g_strdup (row->column);
          break;
        case STRATA_IMPORT_ROLE_BLASTS:
          roles->blasts_column = g_strdup (row->column);
          break;
        case STRATA_IMPORT_ROLE_RESPONSE:
          g_ptr_array_add (responses, row->column);
          break;
        case STRATA_IMPORT_ROLE_STRATUM:
          g_ptr_array_add (roles->strata, g_strdup (row->column));
          break;
        case STRATA_IMPORT_ROLE_NONE:
        default:
          break;
        }
    }

  /* Disease site. */
  gtk_widget_set_visible (GTK_WIDGET (self->site_group), site != NULL);
  if (site != NULL)
    {
      const char *shown = g_object_get_data (G_OBJECT (self->site_group), "strata-column");
      if (g_strcmp0 (shown, site->name) != 0)
        {
          g_object_set_data_full (G_OBJECT (self->site_group), "strata-column",
                                  g_strdup (site->name), g_free);
          if (shown != NULL || self->initial->site_column == NULL ||
              g_strcmp0 (self->initial->site_column, site->name) != 0)
            guess_site_values (self, site);
          update_site_levels (self, site);
        }
      read_site_values (self, site, roles);
    }

  /* Marrow burden. */
  gtk_widget_set_visible (GTK_WIDGET (self->burden_group), roles->blasts_column != NULL);
  roles->burden_threshold = roles->blasts_column
                            ? round (gtk_spin_button_get_value (self->threshold_spin) * 10.0) / 10.0
                            : NAN;

  /* Responses. */
  build_response_rows (self, responses);
  gtk_widget_set_visible (GTK_WIDGET (self->responses_group), responses->len > 0);
  for (guint i = 0; i < responses->len; i++)
    {
      StrataResponseRole *r = g_new0 (StrataResponseRole, 1);
      r->column = g_strdup (g_ptr_array_index (responses, i));
      r->success = g_strdup (g_hash_table_lookup (self->success, r->column));
      g_ptr_array_add (roles->responses, r);
    }

  if (self->problem == NULL)
    {
      g_autoptr (GError) invalid = NULL;
      if (strata_column_roles_validate (roles, self->table, &invalid))
        self->roles = g_steal_pointer (&roles);
      else
        set_problem (self, invalid->message);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->apply_button), self->problem);
  update_apply (self);
  self->updating--;
}

static void
update_cb (StrataImportAssistant *self)
{
  if (self->updating == 0)
    update (self);
}

static void
event_column_changed_cb (StrataImportAssistant *self)
{
  const char *event = selected_column (self, self->event_row);

  if (self->updating > 0)
    return;
  g_free (self->default_event_text);
  self->default_event_text = strata_column_roles_default_event_text (self->table, event);
  self->updating++;
  gtk_editable_set_text (GTK_EDITABLE (self->event_values_row), self->default_event_text);
  self->updating--;
  update (self);
}

/* ---- actions and GObject -------------------------------------------------------------- */

static void
finish (StrataImportAssistant *self, gboolean applied)
{
  if (self->finished)
    return;
  self->finished = TRUE;
  g_object_ref (self);
  g_signal_emit (self, signals[FINISHED], 0, applied);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

static void
apply_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataImportAssistant *self = STRATA_IMPORT_ASSISTANT (widget);

  if (self->roles != NULL)
    finish (self, TRUE);
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  finish (STRATA_IMPORT_ASSISTANT (widget), FALSE);
}

static gboolean
strata_import_assistant_close_request (GtkWindow *window)
{
  StrataImportAssistant *self = STRATA_IMPORT_ASSISTANT (window);

  if (!self->finished)
    {
      self->finished = TRUE;
      g_signal_emit (self, signals[FINISHED], 0, FALSE);
    }
  return GTK_WINDOW_CLASS (strata_import_assistant_parent_class)->close_request (window);
}

/* Drops the read running (its result is ignored) and a header-row change waiting to be
 * read. */
static void
cancel_reload (StrataImportAssistant *self)
{
  g_clear_handle_id (&self->settle_id, g_source_remove);
  if (self->reload_cancellable != NULL)
    g_cancellable_cancel (self->reload_cancellable);
  g_clear_object (&self->reload_cancellable);
}

static void
strata_import_assistant_dispose (GObject *object)
{
  StrataImportAssistant *self = STRATA_IMPORT_ASSISTANT (object);

  cancel_reload (self);
  g_clear_object (&self->loader);
  g_clear_object (&self->file);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRATA_TYPE_IMPORT_ASSISTANT);
  G_OBJECT_CLASS (strata_import_assistant_parent_class)->dispose (object);
}

static void
strata_import_assistant_finalize (GObject *object)
{
  StrataImportAssistant *self = STRATA_IMPORT_ASSISTANT (object);

  g_clear_pointer (&self->cohort, strata_cohort_unref);
  g_free (self->display_name);
  g_clear_pointer (&self->initial, strata_column_roles_free);
  g_clear_pointer (&self->roles, strata_column_roles_free);
  g_free (self->problem);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->role_rows, g_ptr_array_unref);
  g_clear_pointer (&self->response_rows, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, g_hash_table_unref);
  g_clear_pointer (&self->success, g_hash_table_unref);
  g_clear_pointer (&self->preview, g_ptr_array_unref);
  g_clear_pointer (&self->sheets, g_ptr_array_unref);
  g_clear_pointer (&self->date_columns, g_ptr_array_unref);
  g_clear_pointer (&self->order_rows, g_ptr_array_unref);
  g_clear_pointer (&self->built, g_ptr_array_unref);
  g_clear_pointer (&self->derived, g_ptr_array_unref);
  g_free (self->sheet);
  g_free (self->reading_sheet);
  g_free (self->default_event_text);
  g_clear_object (&self->excluded_model);

  G_OBJECT_CLASS (strata_import_assistant_parent_class)->finalize (object);
}

static void
strata_import_assistant_class_init (StrataImportAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = strata_import_assistant_dispose;
  object_class->finalize = strata_import_assistant_finalize;
  window_class->close_request = strata_import_assistant_close_request;

  /**
   * StrataImportAssistant::finished:
   * @applied: TRUE when the user pressed Analyse
   *
   * Emitted once, before the assistant closes.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  strata_gui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stratareview/Strata/strata-import-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, window_title);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, apply_button);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, source_group);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, sheet_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, sheet_model);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, header_spin);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, reload_box);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, stop_button);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, endpoint_group);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, dates_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, dates_switch);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, start_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, start_model);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, end_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, end_model);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, last_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, last_model);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, unit_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, preview_group);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, time_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, time_model);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, event_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, event_model);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, event_values_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, event_rule_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, roles_group);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, site_group);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, bm_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, emd_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, cns_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, site_levels_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, burden_group);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, responses_group);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, rows_row);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, report_group);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, rejected_group);
  gtk_widget_class_bind_template_child (widget_class, StrataImportAssistant, excluded_group);

  gtk_widget_class_install_action (widget_class, "assistant.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "assistant.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "assistant.cancel", NULL);
}

static void
strata_import_assistant_init (StrataImportAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->columns = g_ptr_array_new_with_free_func (g_free);
  self->role_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) role_row_free);
  self->response_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) response_row_free);
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->success = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->preview = g_ptr_array_new_with_free_func (g_free);
  self->sheets = g_ptr_array_new_with_free_func (g_free);
  self->date_columns = g_ptr_array_new_with_free_func (g_free);
  self->order_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) order_row_free);
  self->built = g_ptr_array_new ();
  self->derived = g_ptr_array_new_with_free_func (g_free);
  self->loader = strata_cohort_loader_new ();
  gtk_editable_set_text (GTK_EDITABLE (self->event_values_row), "");
  adw_entry_row_set_show_apply_button (self->event_values_row, TRUE);
}

/* Forgets everything built for the current table: preview, role rows, report rows,
 * column lists and the user's choices that named its columns. */
static void
clear_table (StrataImportAssistant *self)
{
  GtkWidget *child;
  GtkStringList *models[] = { self->time_model, self->event_model, self->start_model,
                              self->end_model, self->last_model };

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_grid))) != NULL)
    gtk_grid_remove (self->preview_grid, child);
  for (guint i = 0; i < self->role_rows->len; i++)
    adw_preferences_group_remove (self->roles_group,
                                  GTK_WIDGET (((RoleRow *) g_ptr_array_index (self->role_rows, i))->row));
  for (guint i = 0; i < self->response_rows->len; i++)
    adw_preferences_group_remove (self->responses_group,
                                  GTK_WIDGET (((ResponseRow *) g_ptr_array_index (self->response_rows, i))->row));
  for (guint i = 0; i < self->built->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->built, i);
      adw_preferences_group_remove (g_object_get_data (G_OBJECT (widget), "strata-group"), widget);
    }
  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    gtk_string_list_splice (models[m], 0, g_list_model_get_n_items (G_LIST_MODEL (models[m])), NULL);
  g_ptr_array_set_size (self->role_rows, 0);
  g_ptr_array_set_size (self->response_rows, 0);
  g_ptr_array_set_size (self->built, 0);
  g_ptr_array_set_size (self->columns, 0);
  g_ptr_array_set_size (self->date_columns, 0);
  g_ptr_array_set_size (self->order_rows, 0);
  g_ptr_array_set_size (self->preview, 0);
  g_ptr_array_set_size (self->derived, 0);
  self->n_derived_columns = 0;
  self->endpoint = NULL;
  g_hash_table_remove_all (self->chosen);
  g_hash_table_remove_all (self->success);
  g_object_set_data (G_OBJECT (self->site_group), "strata-column", NULL);
}

/* Shows COHORT's table, starting from ROLES. */
static void
set_table (StrataImportAssistant *self, StrataCohort *cohort, const StrataColumnRoles *roles)
{
  self->updating++;
  clear_table (self);
  g_clear_pointer (&self->cohort, strata_cohort_unref);
  self->cohort = strata_cohort_ref (cohort);
  self->table = strata_cohort_get_table (cohort);
  g_clear_pointer (&self->initial, strata_column_roles_free);
  self->initial = strata_column_roles_copy (roles);

  gtk_string_list_append (self->time_model, _("None"));
  gtk_string_list_append (self->event_model, _("None"));
  for (guint c = 0; c < strata_table_get_n_columns (self->table); c++)
    {
      const char *name = strata_table_get_column (self->table, c)->name;
      g_ptr_array_add (self->columns, g_strdup (name));
      gtk_string_list_append (self->time_model, name);
      gtk_string_list_append (self->event_model, name);
    }
  build_preview (self);
  build_report (self);
  build_role_rows (self);
  build_date_rows (self);

  select_column (self, self->time_row, roles->time_column);
  select_column (self, self->event_row, roles->event_column ? roles->event_column : roles->status_column);
  g_free (self->default_event_text);
  self->default_event_text = strata_column_roles_default_event_text (self->table, selected_column (self, self->event_row));
  if (roles->event_values != NULL)
    {
      g_autofree char *text = strv_text (roles->event_values);
      gtk_editable_set_text (GTK_EDITABLE (self->event_values_row), text);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->event_values_row), self->default_event_text);

  /* The time from dates: as the roles say, else as the names suggest, on when there is
   * no time column. */
  {
    g_autoptr (StrataColumnRoles) guess = strata_column_roles_copy (roles);
    gboolean have = roles->time_from != NULL || strata_column_roles_guess_dates (guess, self->table);
    const StrataColumnRoles *dates = roles->time_from != NULL ? roles : guess;

    if (have)
      {
        guint unit = 2;
        select_date (self, self->start_row, FALSE, dates->time_from);
        select_date (self, self->end_row, FALSE, dates->time_to);
        select_date (self, self->last_row, TRUE, dates->last_contact);
        for (guint u = 0; u < G_N_ELEMENTS (unit_ids); u++)
          if (g_strcmp0 (dates->time_unit, unit_ids[u]) == 0)
            unit = u;
        adw_combo_row_set_selected (self->unit_row, unit);
      }
    else
      adw_combo_row_set_selected (self->unit_row, 2);
    for (guint i = 0; i < self->order_rows->len; i++)
      {
        OrderRow *row = g_ptr_array_index (self->order_rows, i);
        gpointer order;
        if (g_hash_table_lookup_extended (roles->date_orders, row->column, NULL, &order))
          adw_combo_row_set_selected (row->row, GPOINTER_TO_INT (order) == STRATA_DATE_ORDER_DAY_FIRST ? 1 : 2);
      }
    gtk_switch_set_active (self->dates_switch,
                           self->date_columns->len >= 2 &&
                           (roles->time_from != NULL || (have && roles->time_column == NULL)));
  }

  if (roles->site_column != NULL)
    {
      g_hash_table_insert (self->chosen, g_strdup (roles->site_column), GINT_TO_POINTER (STRATA_IMPORT_ROLE_SITE));
      for (guint k = 0; k < STRATA_SITE_N_CLASSES; k++)
        {
          g_autofree char *text = strv_text (roles->site_values[k]);
          gtk_editable_set_text (GTK_EDITABLE (site_entry (self, k)), text);
        }
    }
  if (roles->blasts_column != NULL)
    g_hash_table_insert (self->chosen, g_strdup (roles->blasts_column), GINT_TO_POINTER (STRATA_IMPORT_ROLE_BLASTS));
  if (isfinite (roles->burden_threshold))
    gtk_spin_button_set_value (self->threshold_spin, roles->burden_threshold);
  for (guint i = 0; i < roles->responses->len; i++)
    {
      const StrataResponseRole *r = g_ptr_array_index (roles->responses, i);
      g_hash_table_insert (self->chosen, g_strdup (r->column), GINT_TO_POINTER (STRATA_IMPORT_ROLE_RESPONSE));
      if (r->success != NULL)
        g_hash_table_insert (self->success, g_strdup (r->column), g_strdup (r->success));
    }
  for (guint i = 0; i < roles->strata->len; i++)
    g_hash_table_insert (self->chosen, g_strdup (g_ptr_array_index (roles->strata, i)),
                         GINT_TO_POINTER (STRATA_IMPORT_ROLE_STRATUM));
  self->updating--;
  update (self);
}

/* The groups that show the current table: insensitive while another is read. */
static void
set_table_groups_sensitive (StrataImportAssistant *self, gboolean sensitive)
{
  AdwPreferencesGroup *groups[] = { self->preview_group, self->endpoint_group, self->roles_group,
                                    self->site_group, self->burden_group, self->responses_group,
                                    self->report_group, self->rejected_group, self->excluded_group };

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    gtk_widget_set_sensitive (GTK_WIDGET (groups[i]), sensitive);
}

/* Shows (or hides) that another sheet or header row is being read. */
static void
show_reading (StrataImportAssistant *self, gboolean reading)
{
  gtk_widget_set_visible (self->reload_box, reading);
  set_table_groups_sensitive (self, !reading);
  if (reading)
    {
      g_autofree char *text = self->reading_sheet != NULL
                              ? g_strdup_printf (_("Reading the sheet “%s”…"), self->reading_sheet)
                              : g_strdup (_("Reading the first sheet with data…"));
      adw_preferences_group_set_description (self->source_group, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->source_group), "error");
    }
  update_apply (self);
}

/* The end of a read started by start_reload(): a cancelled read (a newer one, Stop, or
 * the assistant closed) is dropped without touching the widgets. A sheet that cannot be
 * read is said in the sheet group and leaves nothing to analyse until another is
 * chosen. Holds a reference on the assistant. */
static void
reload_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (StrataImportAssistant) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataCohort) cohort = strata_cohort_loader_load_finish (STRATA_COHORT_LOADER (source),
                                                                      result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->reload_cancellable);
  if (cohort == NULL)
    {
      /* The table shown is not the one chosen: its groups stay insensitive, and there is
       * nothing to analyse. */
      gtk_widget_set_visible (self->reload_box, FALSE);
      adw_preferences_group_set_description (self->source_group, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->source_group), "error");
      g_clear_pointer (&self->roles, strata_column_roles_free);
      update_apply (self);
      return;
    }
  show_reading (self, FALSE);
  adw_preferences_group_set_description (self->source_group, NULL);
  g_free (self->sheet);
  self->sheet = g_steal_pointer (&self->reading_sheet);
  self->header_row = self->reading_header_row;
  g_autoptr (StrataColumnRoles) roles = strata_column_roles_guess (strata_cohort_get_table (cohort));
  set_table (self, cohort, roles);
}

/* Reads the file again, in the loader's worker, with the sheet and header row now
 * chosen; the columns' roles are guessed afresh. The newest request wins: a read still
 * running is cancelled and its result dropped. The current table stays (insensitive)
 * until the new one is read. */
static void
start_reload (StrataImportAssistant *self)
{
  guint selected = adw_combo_row_get_selected (self->sheet_row);
  const char *sheet = selected > 0 && selected <= self->sheets->len
                      ? g_ptr_array_index (self->sheets, selected - 1) : NULL;

  if (self->updating > 0 || self->file == NULL)
    return;
  cancel_reload (self);
  self->reload_cancellable = g_cancellable_new ();
  g_free (self->reading_sheet);
  self->reading_sheet = g_strdup (sheet);
  self->reading_header_row = (guint) gtk_spin_button_get_value_as_int (self->header_spin);
  show_reading (self, TRUE);
  strata_cohort_loader_load_sheet_async (self->loader, self->file, self->reading_sheet,
                                         self->reading_header_row,
                                         self->reload_cancellable, reload_done_cb,
                                         g_object_ref (self));
}

static gboolean
settle_cb (gpointer user_data)
{
  StrataImportAssistant *self = user_data;

  self->settle_id = 0;
  start_reload (self);
  return G_SOURCE_REMOVE;
}

/* The header row changed: read once it has settled. */
static void
header_row_changed_cb (StrataImportAssistant *self)
{
  if (self->updating > 0 || self->file == NULL)
    return;
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (HEADER_ROW_SETTLE_MS, settle_cb, self);
  update_apply (self);
}

/* Stop Reading: the read is dropped and the sheet and header row of the table shown come
 * back, with its mapping. */
static void
stop_clicked_cb (StrataImportAssistant *self)
{
  cancel_reload (self);
  self->updating++;
  strata_import_assistant_set_sheet (self, self->sheet);
  gtk_spin_button_set_value (self->header_spin, self->header_row);
  self->updating--;
  show_reading (self, FALSE);
  adw_preferences_group_set_description (self->source_group, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->source_group), "error");
  /* The mapping of the table shown (a failed read before may have cleared it). */
  update (self);
}

StrataImportAssistant *
strata_import_assistant_new (GtkWindow *parent, StrataCohort *cohort, const char *display_name,
                             const StrataColumnRoles *roles)
{
  g_return_val_if_fail (cohort != NULL, NULL);
  g_return_val_if_fail (roles != NULL, NULL);

  StrataImportAssistant *self = g_object_new (STRATA_TYPE_IMPORT_ASSISTANT,
                                              "transient-for", parent,
                                              "modal", TRUE,
                                              NULL);

  self->display_name = g_strdup (display_name ? display_name
                                              : strata_table_get_display_name (strata_cohort_get_table (cohort)));
  adw_window_title_set_subtitle (self->window_title, self->display_name);
  self->sheet = g_strdup (roles->sheet);
  self->header_row = roles->header_row;

  g_signal_connect_swapped (self->time_row, "notify::selected", G_CALLBACK (update_cb), self);
  g_signal_connect_swapped (self->event_row, "notify::selected", G_CALLBACK (event_column_changed_cb), self);
  g_signal_connect_swapped (self->event_values_row, "apply", G_CALLBACK (update_cb), self);
  g_signal_connect_swapped (self->bm_row, "changed", G_CALLBACK (update_cb), self);
  g_signal_connect_swapped (self->emd_row, "changed", G_CALLBACK (update_cb), self);
  g_signal_connect_swapped (self->cns_row, "changed", G_CALLBACK (update_cb), self);
  g_signal_connect_swapped (self->threshold_spin, "value-changed", G_CALLBACK (update_cb), self);
  g_signal_connect_swapped (self->dates_switch, "notify::active", G_CALLBACK (update_cb), self);
  g_signal_connect_swapped (self->start_row, "notify::selected", G_CALLBACK (update_cb), self);
  g_signal_connect_swapped (self->end_row, "notify::selected", G_CALLBACK (update_cb), self);
  g_signal_connect_swapped (self->last_row, "notify::selected", G_CALLBACK (update_cb), self);
  g_signal_connect_swapped (self->unit_row, "notify::selected", G_CALLBACK (update_cb), self);
  g_signal_connect_swapped (self->sheet_row, "notify::selected", G_CALLBACK (start_reload), self);
  g_signal_connect_swapped (self->header_spin, "value-changed", G_CALLBACK (header_row_changed_cb), self);
  g_signal_connect_swapped (self->stop_button, "clicked", G_CALLBACK (stop_clicked_cb), self);
  set_table (self, cohort, roles);
  return self;
}

/* ---- public API -------------------------------------------------------------------------- */

StrataCohort *
strata_import_assistant_get_cohort (StrataImportAssistant *self)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), NULL);

  return self->cohort;
}

const StrataColumnRoles *
strata_import_assistant_get_roles (StrataImportAssistant *self)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), NULL);

  return self->roles;
}

const char *
strata_import_assistant_get_problem (StrataImportAssistant *self)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), NULL);

  return self->problem;
}

gboolean
strata_import_assistant_set_time_column (StrataImportAssistant *self, const char *column)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), FALSE);

  return select_column (self, self->time_row, column);
}

gboolean
strata_import_assistant_set_event_column (StrataImportAssistant *self, const char *column)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), FALSE);

  return select_column (self, self->event_row, column);
}

void
strata_import_assistant_set_event_values (StrataImportAssistant *self, const char *text)
{
  g_return_if_fail (STRATA_IS_IMPORT_ASSISTANT (self));

  gtk_editable_set_text (GTK_EDITABLE (self->event_values_row), text ? text : "");
  update (self);
}

gboolean
strata_import_assistant_set_role (StrataImportAssistant *self, const char *column,
                                  StrataImportRole role)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), FALSE);

  RoleRow *row = find_role_row (self, column);
  if (row == NULL)
    return FALSE;
  for (guint i = 0; i < row->roles->len; i++)
    if (g_array_index (row->roles, StrataImportRole, i) == role)
      {
        /* Through the row, as a click: role_changed_cb keeps one site and one blasts. */
        if (adw_combo_row_get_selected (row->row) == i)
          g_hash_table_insert (self->chosen, g_strdup (column), GINT_TO_POINTER (role));
        adw_combo_row_set_selected (row->row, i);
        return TRUE;
      }
  return FALSE;
}

StrataImportRole
strata_import_assistant_get_role (StrataImportAssistant *self, const char *column)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), STRATA_IMPORT_ROLE_NONE);

  RoleRow *row = find_role_row (self, column);
  return row ? row_role (row) : STRATA_IMPORT_ROLE_NONE;
}

void
strata_import_assistant_set_site_values (StrataImportAssistant *self, StrataSiteClass site_class,
                                         const char *text)
{
  g_return_if_fail (STRATA_IS_IMPORT_ASSISTANT (self));

  gtk_editable_set_text (GTK_EDITABLE (site_entry (self, site_class)), text ? text : "");
}

void
strata_import_assistant_set_burden_threshold (StrataImportAssistant *self, double percent)
{
  g_return_if_fail (STRATA_IS_IMPORT_ASSISTANT (self));

  gtk_spin_button_set_value (self->threshold_spin, percent);
}

char *
strata_import_assistant_dup_report (StrataImportAssistant *self)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), NULL);

  GString *text = g_string_new (NULL);
  GPtrArray *rejected = strata_table_get_rejected (self->table);
  GPtrArray *warnings = strata_table_get_warnings (self->table);

  g_string_append_printf (text, _("Encoding: %s\n"), strata_table_get_encoding (self->table));
  g_string_append_printf (text, _("Delimiter: %s\n"), delimiter_name (strata_table_get_delimiter (self->table)));
  g_string_append_printf (text, _("Rows: %u read, %u not read\n"), strata_table_get_n_rows (self->table),
                          rejected->len);
  for (guint i = 0; i < warnings->len; i++)
    g_string_append_printf (text, _("Note: %s\n"), (const char *) g_ptr_array_index (warnings, i));
  for (guint i = 0; i < rejected->len; i++)
    {
      g_autofree char *issue = issue_text (g_ptr_array_index (rejected, i));
      g_string_append_printf (text, _("Not read: %s\n"), issue);
    }
  for (guint i = 0; self->roles != NULL && self->endpoint != NULL && i < self->endpoint->excluded->len; i++)
    {
      g_autofree char *issue = issue_text (g_ptr_array_index (self->endpoint->excluded, i));
      g_string_append_printf (text, _("Left out: %s\n"), issue);
    }
  return g_string_free (text, FALSE);
}

guint
strata_import_assistant_get_preview_rows (StrataImportAssistant *self)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), 0);

  return self->preview_rows;
}

const char *
strata_import_assistant_get_preview_cell (StrataImportAssistant *self, guint row, guint column)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), NULL);

  guint n_columns = strata_table_get_n_columns (self->table);

  if (row >= self->preview_rows || column >= n_columns + self->n_derived_columns)
    return NULL;
  if (column >= n_columns)
    return g_ptr_array_index (self->derived, (column - n_columns) * self->preview_rows + row);
  return g_ptr_array_index (self->preview, column * self->preview_rows + row);
}

void
strata_import_assistant_set_file (StrataImportAssistant *self, GFile *file)
{
  g_return_if_fail (STRATA_IS_IMPORT_ASSISTANT (self));
  g_return_if_fail (G_IS_FILE (file));

  g_autoptr (GPtrArray) sheets = NULL;
  g_autofree char *path = g_file_get_path (file);
  guint selected = 0;

  g_set_object (&self->file, file);
  if (path != NULL)
    sheets = strata_table_list_sheets (path, NULL);
  self->updating++;
  g_ptr_array_set_size (self->sheets, 0);
  gtk_string_list_splice (self->sheet_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->sheet_model)), NULL);
  gtk_string_list_append (self->sheet_model, _("The first with data"));
  for (guint i = 0; sheets != NULL && i < sheets->len; i++)
    {
      g_ptr_array_add (self->sheets, g_strdup (g_ptr_array_index (sheets, i)));
      gtk_string_list_append (self->sheet_model, g_ptr_array_index (sheets, i));
      if (g_strcmp0 (self->sheet, g_ptr_array_index (sheets, i)) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_selected (self->sheet_row, selected);
  gtk_spin_button_set_value (self->header_spin, self->header_row);
  gtk_widget_set_visible (GTK_WIDGET (self->source_group), self->sheets->len > 0);
  self->updating--;
}

gboolean
strata_import_assistant_set_sheet (StrataImportAssistant *self, const char *sheet)
{
  guint index;

  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), FALSE);

  if (sheet == NULL)
    {
      adw_combo_row_set_selected (self->sheet_row, 0);
      return TRUE;
    }
  if (!g_ptr_array_find_with_equal_func (self->sheets, sheet, g_str_equal, &index))
    return FALSE;
  adw_combo_row_set_selected (self->sheet_row, index + 1);
  return TRUE;
}

void
strata_import_assistant_set_header_row (StrataImportAssistant *self, guint header_row)
{
  g_return_if_fail (STRATA_IS_IMPORT_ASSISTANT (self));

  gtk_spin_button_set_value (self->header_spin, header_row);
}

gboolean
strata_import_assistant_get_busy (StrataImportAssistant *self)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), FALSE);

  return self->reload_cancellable != NULL || self->settle_id != 0;
}

StrataTable *
strata_import_assistant_get_table (StrataImportAssistant *self)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), NULL);

  return self->table;
}

gboolean
strata_import_assistant_has_date_mode (StrataImportAssistant *self)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->dates_row));
}

gboolean
strata_import_assistant_set_time_from_dates (StrataImportAssistant *self, const char *start,
                                             const char *end, const char *last_contact,
                                             const char *unit)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), FALSE);

  guint u = G_N_ELEMENTS (unit_ids);
  for (guint i = 0; i < G_N_ELEMENTS (unit_ids); i++)
    if (g_strcmp0 (unit, unit_ids[i]) == 0)
      u = i;
  if (start == NULL)
    {
      gtk_switch_set_active (self->dates_switch, FALSE);
      return TRUE;
    }
  if (self->date_columns->len < 2 || u == G_N_ELEMENTS (unit_ids))
    return FALSE;
  self->updating++;
  gboolean ok = select_date (self, self->start_row, FALSE, start) &&
                select_date (self, self->end_row, FALSE, end) &&
                select_date (self, self->last_row, TRUE, last_contact);
  adw_combo_row_set_selected (self->unit_row, u);
  gtk_switch_set_active (self->dates_switch, TRUE);
  self->updating--;
  update (self);
  return ok;
}

gboolean
strata_import_assistant_asks_date_order (StrataImportAssistant *self, const char *column)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), FALSE);

  OrderRow *row = find_order_row (self, column);
  return row != NULL && gtk_widget_get_visible (GTK_WIDGET (row->row));
}

gboolean
strata_import_assistant_set_date_order (StrataImportAssistant *self, const char *column,
                                        StrataDateOrder order)
{
  g_return_val_if_fail (STRATA_IS_IMPORT_ASSISTANT (self), FALSE);

  OrderRow *row = find_order_row (self, column);
  if (row == NULL)
    return FALSE;
  adw_combo_row_set_selected (row->row, order == STRATA_DATE_ORDER_DAY_FIRST ? 1
                                        : order == STRATA_DATE_ORDER_MONTH_FIRST ? 2 : 0);
  return TRUE;
}

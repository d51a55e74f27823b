/* strata-strata-panel.c: the sidebar of strata toggles. The panel holds no statistics:
 * it takes the roles of the columns (guessed by name and type, or set in the import
 * assistant), shows one control per choice, and writes the choices as StrataSpec
 * filters and groupings, the same words strata-report takes on its command line. */
#include "strata-strata-panel.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "strata-gui-resources.h"

/* Columns with more levels than this cannot be added as a stratum (an identifier). */
#define MAX_STRATUM_LEVELS 30

/* A time-to-event endpoint offered in "Endpoint". */
typedef struct {
  char *label;          /* "Overall survival" */
  char *time_column;
  char *event_column;   /* NULL when status_column is set */
  char *status_column;  /* competing-risks status (0/1/2): Kaplan–Meier of any event */
  GStrv event_values;   /* NULL = the core's default rule */
  char *unit;           /* "months", or NULL */
  gboolean from_dates;  /* the time from the roles' dates (time_column is then a label) */
} Endpoint;

/* One entry of "compare by". */
typedef struct {
  char *id;             /* STRATA_COMPARE_BY_* or "column:NAME" */
  char *column;         /* for "column:NAME" */
} CompareChoice;

/* A tick box of the disease site: a class (BM, EMD, CNS) with the levels that mean it,
 * or a level of the column that belongs to no class. */
typedef struct {
  char *level;          /* what the row shows and the toggle action names */
  GStrv values;         /* the levels of the site column it stands for */
  AdwActionRow *row;
  GtkCheckButton *check;
} SiteToggle;

/* A tick box of one level of an added stratum. */
typedef struct {
  char *level;
  GtkCheckButton *check;
} LevelToggle;

/* A column the user added under "Other Strata": an expander row of level toggles. */
typedef struct {
  char *column;
  AdwExpanderRow *row;
  GPtrArray *levels;    /* LevelToggle* */
} Stratum;

struct _StrataStrataPanel
{
  AdwBin parent_instance;

  AdwPreferencesPage *page;
  AdwPreferencesGroup *endpoint_group;
  AdwComboRow *endpoint_row;
  GtkStringList *endpoint_model;
  AdwComboRow *compare_row;
  GtkStringList *compare_model;
  AdwPreferencesGroup *site_group;
  AdwPreferencesGroup *burden_group;
  AdwActionRow *high_row;
  AdwActionRow *low_row;
  AdwActionRow *threshold_row;
  GtkCheckButton *high_check;
  GtkCheckButton *low_check;
  GtkSpinButton *threshold_spin;
  AdwPreferencesGroup *strata_group;
  GtkMenuButton *add_stratum_button;
  AdwPreferencesGroup *response_group;
  AdwActionRow *detectable_row;
  GtkSwitch *detectable_switch;
  AdwPreferencesGroup *ci_group;
  AdwComboRow *ci_type_row;
  AdwActionRow *ci_level_row;
  GtkSpinButton *ci_level_spin;
  AdwActionRow *bands_row;
  GtkSwitch *bands_switch;
  AdwPreferencesGroup *display_group;
  AdwActionRow *risk_table_row;
  GtkSwitch *risk_table_switch;
  AdwActionRow *kmunicate_row;
  GtkSwitch *kmunicate_switch;
  AdwEntryRow *landmarks_row;

  StrataCohort *cohort;
  StrataColumnRoles *roles;
  GPtrArray *endpoints;        /* Endpoint* */
  GPtrArray *compare_choices;  /* CompareChoice* */
  GPtrArray *site_toggles;     /* SiteToggle* */
  GPtrArray *strata;           /* Stratum* */
  GMenu *add_stratum_menu;
  char *site_column;
  char *burden_column;
  char *mrd_column;
  char *mrd_success;
  GPtrArray *responses;        /* char*: "COLUMN:LEVEL" for the other response columns */
  char *landmarks;             /* the last valid landmark text */
  char *compare_by;            /* the user's last "compare by" choice, NULL = default */
  GSettings *settings;
  guint rebuilding;
};

G_DEFINE_FINAL_TYPE (StrataStrataPanel, strata_strata_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SHOW_CI,
  PROP_SHOW_RISK_TABLE,
  PROP_KMUNICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- small records ------------------------------------------------------------------- */

static void
endpoint_free (Endpoint *endpoint)
{
  g_free (endpoint->label);
  g_free (endpoint->time_column);
  g_free (endpoint->event_column);
  g_free (endpoint->status_column);
  g_strfreev (endpoint->event_values);
  g_free (endpoint->unit);
  g_free (endpoint);
}

static void
compare_choice_free (CompareChoice *choice)
{
  g_free (choice->id);
  g_free (choice->column);
  g_free (choice);
}

static void
site_toggle_free (SiteToggle *toggle)
{
  g_free (toggle->level);
  g_strfreev (toggle->values);
  g_free (toggle);
}

static void
level_toggle_free (LevelToggle *toggle)
{
  g_free (toggle->level);
  g_free (toggle);
}

static void
stratum_free (Stratum *stratum)
{
  g_free (stratum->column);
  g_ptr_array_unref (stratum->levels);
  g_free (stratum);
}

/* ---- column roles --------------------------------------------------------------------- */

static gboolean
is_endpoint_column (StrataStrataPanel *self, const char *name)
{
  for (guint i = 0; i < self->endpoints->len; i++)
    {
      const Endpoint *e = g_ptr_array_index (self->endpoints, i);
      if (g_strcmp0 (e->time_column, name) == 0 || g_strcmp0 (e->event_column, name) == 0 ||
          g_strcmp0 (e->status_column, name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* ---- change notification ------------------------------------------------------------ */

static void
emit_changed (StrataStrataPanel *self)
{
  if (self->rebuilding == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
label_widget (GtkWidget *widget, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
update_burden_titles (StrataStrataPanel *self)
{
  double threshold = gtk_spin_button_get_value (self->threshold_spin);
  g_autofree char *high = g_strdup_printf (_("High, ≥ %g %% blasts"), threshold);
  g_autofree char *low = g_strdup_printf (_("Low, < %g %% blasts"), threshold);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->high_row), high);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->low_row), low);
  label_widget (GTK_WIDGET (self->high_check), high);
  label_widget (GTK_WIDGET (self->low_check), low);
}

static void
threshold_changed_cb (StrataStrataPanel *self)
{
  update_burden_titles (self);
  emit_changed (self);
}

static const Endpoint *
selected_endpoint (StrataStrataPanel *self)
{
  guint selected = adw_combo_row_get_selected (self->endpoint_row);

  if (selected >= self->endpoints->len)
    return NULL;
  return g_ptr_array_index (self->endpoints, selected);
}

static void
update_landmark_title (StrataStrataPanel *self)
{
  const char *unit = strata_time_unit_label (strata_strata_panel_get_time_unit (self));
  g_autofree char *title = unit ? g_strdup_printf (_("Landmark times, %s"), unit)
                                : g_strdup (_("Landmark times"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->landmarks_row), title);
}

static void
endpoint_changed_cb (StrataStrataPanel *self)
{
  const Endpoint *endpoint = selected_endpoint (self);
  g_autofree char *columns = NULL;

  if (endpoint != NULL)
    columns = g_strdup_printf ("%s, %s", endpoint->time_column,
                               endpoint->event_column ? endpoint->event_column
                                                      : endpoint->status_column);
  /* The columns in a tooltip: as a subtitle they squeeze the endpoint's name. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->endpoint_row), columns);
  update_landmark_title (self);
  emit_changed (self);
}

static void
compare_changed_cb (StrataStrataPanel *self)
{
  if (self->rebuilding == 0)
    {
      g_free (self->compare_by);
      self->compare_by = g_strdup (strata_strata_panel_get_compare_by (self));
    }
  emit_changed (self);
}

static void
landmarks_apply_cb (StrataStrataPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->landmarks_row));
  g_autoptr (StrataSpec) probe = strata_spec_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (*trimmed != '\0' && !strata_spec_set_landmarks (probe, trimmed, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->landmarks_row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->landmarks_row),
                                   _("Write times separated by commas, e.g. 12, 24"));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->landmarks_row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->landmarks_row), NULL);
  if (g_strcmp0 (self->landmarks, trimmed) == 0)
    return;
  g_free (self->landmarks);
  self->landmarks = g_strdup (trimmed);
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "landmarks", trimmed);
  emit_changed (self);
}

static void
landmarks_text_changed_cb (StrataStrataPanel *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->landmarks_row), "error");
}

/* ---- other strata ------------------------------------------------------------------ */

static Stratum *
find_stratum (StrataStrataPanel *self, const char *column)
{
  for (guint i = 0; i < self->strata->len; i++)
    {
      Stratum *stratum = g_ptr_array_index (self->strata, i);
      if (g_strcmp0 (stratum->column, column) == 0)
        return stratum;
    }
  return NULL;
}

/* The levels of COLUMN as a stratum offers them (NULL when it cannot be one): a
 * categorical column's levels, or the distinct values of a numeric column. */
static const StrataFactor *
stratum_factor (StrataStrataPanel *self, const char *column_name)
{
  StrataTable *table = self->cohort ? strata_cohort_get_table (self->cohort) : NULL;
  const StrataColumn *column = table ? strata_table_find_column (table, column_name) : NULL;
  const StrataFactor *factor;

  if (column == NULL || column->type == STRATA_COLUMN_TEXT)
    return NULL;
  if (column->type == STRATA_COLUMN_CATEGORICAL && column->levels->len > MAX_STRATUM_LEVELS)
    return NULL;
  factor = strata_cohort_get_factor (self->cohort, column_name, NULL);
  if (factor == NULL || factor->labels->len < 2 || factor->labels->len > MAX_STRATUM_LEVELS)
    return NULL;
  return factor;
}

static gboolean
can_add_stratum (StrataStrataPanel *self, const char *column)
{
  return find_stratum (self, column) == NULL && g_strcmp0 (column, self->site_column) != 0 &&
         g_strcmp0 (column, self->burden_column) != 0 && !is_endpoint_column (self, column) &&
         stratum_factor (self, column) != NULL;
}

static void
update_stratum_subtitle (Stratum *stratum)
{
  guint on = 0;
  g_autofree char *subtitle = NULL;

  for (guint i = 0; i < stratum->levels->len; i++)
    on += gtk_check_button_get_active (((LevelToggle *) g_ptr_array_index (stratum->levels, i))->check);
  if (on == stratum->levels->len)
    subtitle = g_strdup_printf (ngettext ("All %u level included", "All %u levels included",
                                          stratum->levels->len), stratum->levels->len);
  else
    subtitle = g_strdup_printf (ngettext ("%u of %u level included", "%u of %u levels included",
                                          stratum->levels->len), on, stratum->levels->len);
  adw_expander_row_set_subtitle (stratum->row, subtitle);
}

static void
level_toggled_cb (StrataStrataPanel *self)
{
  for (guint i = 0; i < self->strata->len; i++)
    update_stratum_subtitle (g_ptr_array_index (self->strata, i));
  emit_changed (self);
}

/* Rebuilds the "Add Stratum" menu: the columns that can still be added. */
static void
update_add_stratum_menu (StrataStrataPanel *self)
{
  StrataTable *table = self->cohort ? strata_cohort_get_table (self->cohort) : NULL;
  guint n = 0;

  g_menu_remove_all (self->add_stratum_menu);
  for (guint c = 0; table != NULL && c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);
      if (!can_add_stratum (self, column->name))
        continue;
      g_autoptr (GMenuItem) item = g_menu_item_new (column->name, NULL);
      g_menu_item_set_action_and_target_value (item, "panel.add-stratum",
                                               g_variant_new_string (column->name));
      g_menu_append_item (self->add_stratum_menu, item);
      n++;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_stratum_button), n > 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->add_stratum_button),
                               n > 0 ? _("Add a column whose levels include or exclude patients")
                                     : _("No other column has levels to choose from"));
  /* What the group is for, while it is empty. */
  adw_preferences_group_set_description (self->strata_group,
                                         self->strata->len == 0
                                         ? _("Filter patients by another column")
                                         : NULL);
}

static gboolean
add_stratum (StrataStrataPanel *self, const char *column)
{
  const StrataFactor *factor;
  Stratum *stratum;
  GtkWidget *remove;

  if (!can_add_stratum (self, column))
    return FALSE;
  factor = stratum_factor (self, column);

  StrataTable *table = strata_cohort_get_table (self->cohort);
  g_autofree guint *counts = g_new0 (guint, factor->labels->len);
  for (guint r = 0; r < strata_table_get_n_rows (table); r++)
    if (factor->codes[r] != STRATA_MISSING_CODE)
      counts[factor->codes[r]]++;

  stratum = g_new0 (Stratum, 1);
  stratum->column = g_strdup (column);
  stratum->levels = g_ptr_array_new_with_free_func ((GDestroyNotify) level_toggle_free);
  stratum->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (stratum->row), column);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (stratum->row), FALSE);
  adw_expander_row_set_expanded (stratum->row, TRUE);

  remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "panel.remove-stratum");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove), g_variant_new_string (column));
  {
    g_autofree char *tooltip = g_strdup_printf (_("Remove %s"), column);
    gtk_widget_set_tooltip_text (remove, tooltip);
    label_widget (remove, tooltip);
  }
  adw_expander_row_add_action (stratum->row, remove);

  for (guint l = 0; l < factor->labels->len; l++)
    {
      LevelToggle *toggle = g_new0 (LevelToggle, 1);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      const char *level = g_ptr_array_index (factor->labels, l);
      /* Translators: the number of patients of a level. The spaces around "=" are
       * no-break spaces (U+00A0): "n =" never wraps apart from its number. */
      g_autofree char *subtitle = g_strdup_printf (_("n\u00a0=\u00a0%u"), counts[l]);
      g_autofree char *accessible = g_strdup_printf ("%s %s: %s", column, level, subtitle);

      toggle->level = g_strdup (level);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), level);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (row, subtitle);
      toggle->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
      gtk_check_button_set_active (toggle->check, TRUE);
      gtk_widget_set_valign (GTK_WIDGET (toggle->check), GTK_ALIGN_CENTER);
      label_widget (GTK_WIDGET (toggle->check), accessible);
      adw_action_row_add_prefix (row, GTK_WIDGET (toggle->check));
      adw_action_row_set_activatable_widget (row, GTK_WIDGET (toggle->check));
      g_signal_connect_swapped (toggle->check, "notify::active", G_CALLBACK (level_toggled_cb), self);
      adw_expander_row_add_row (stratum->row, GTK_WIDGET (row));
      g_ptr_array_add (stratum->levels, toggle);
    }
  update_stratum_subtitle (stratum);
  adw_preferences_group_add (self->strata_group, GTK_WIDGET (stratum->row));
  g_ptr_array_add (self->strata, stratum);
  update_add_stratum_menu (self);
  return TRUE;
}

static void
clear_strata (StrataStrataPanel *self)
{
  for (guint i = 0; i < self->strata->len; i++)
    {
      Stratum *stratum = g_ptr_array_index (self->strata, i);
      adw_preferences_group_remove (self->strata_group, GTK_WIDGET (stratum->row));
    }
  g_ptr_array_set_size (self->strata, 0);
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
strata_strata_panel_dispose (GObject *object)
{
  StrataStrataPanel *self = STRATA_STRATA_PANEL (object);

  g_clear_object (&self->settings);
  /* AdwBin keeps its own pointer to the child: let it unparent the page first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), STRATA_TYPE_STRATA_PANEL);

  G_OBJECT_CLASS (strata_strata_panel_parent_class)->dispose (object);
}

static void
strata_strata_panel_finalize (GObject *object)
{
  StrataStrataPanel *self = STRATA_STRATA_PANEL (object);

  g_clear_pointer (&self->cohort, strata_cohort_unref);
  g_clear_pointer (&self->roles, strata_column_roles_free);
  g_clear_pointer (&self->endpoints, g_ptr_array_unref);
  g_clear_pointer (&self->compare_choices, g_ptr_array_unref);
  g_clear_pointer (&self->site_toggles, g_ptr_array_unref);
  g_clear_pointer (&self->strata, g_ptr_array_unref);
  g_clear_pointer (&self->responses, g_ptr_array_unref);
  g_clear_object (&self->add_stratum_menu);
  g_free (self->site_column);
  g_free (self->burden_column);
  g_free (self->mrd_column);
  g_free (self->mrd_success);
  g_free (self->landmarks);
  g_free (self->compare_by);

  G_OBJECT_CLASS (strata_strata_panel_parent_class)->finalize (object);
}

static void
strata_strata_panel_get_property (GObject *object, guint prop_id, GValue *value,
                                  GParamSpec *pspec)
{
  StrataStrataPanel *self = STRATA_STRATA_PANEL (object);

  switch (prop_id)
    {
    case PROP_SHOW_CI:
      g_value_set_boolean (value, strata_strata_panel_get_show_ci (self));
      break;
    case PROP_SHOW_RISK_TABLE:
      g_value_set_boolean (value, strata_strata_panel_get_show_risk_table (self));
      break;
    case PROP_KMUNICATE:
      g_value_set_boolean (value, strata_strata_panel_get_kmunicate (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
strata_strata_panel_set_property (GObject *object, guint prop_id, const GValue *value,
                                  GParamSpec *pspec)
{
  StrataStrataPanel *self = STRATA_STRATA_PANEL (object);

  switch (prop_id)
    {
    case PROP_SHOW_CI:
      gtk_switch_set_active (self->bands_switch, g_value_get_boolean (value));
      break;
    case PROP_SHOW_RISK_TABLE:
      gtk_switch_set_active (self->risk_table_switch, g_value_get_boolean (value));
      break;
    case PROP_KMUNICATE:
      gtk_switch_set_active (self->kmunicate_switch, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
toggle_site_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataStrataPanel *self = STRATA_STRATA_PANEL (widget);
  const char *level = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < self->site_toggles->len; i++)
    {
      SiteToggle *toggle = g_ptr_array_index (self->site_toggles, i);
      if (g_strcmp0 (toggle->level, level) == 0)
        gtk_check_button_set_active (toggle->check, !gtk_check_button_get_active (toggle->check));
    }
}

static void
toggle_burden_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataStrataPanel *self = STRATA_STRATA_PANEL (widget);
  gboolean high = g_strcmp0 (g_variant_get_string (parameter, NULL), "high") == 0;
  GtkCheckButton *check = high ? self->high_check : self->low_check;

  gtk_check_button_set_active (check, !gtk_check_button_get_active (check));
}

static void
compare_by_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  strata_strata_panel_set_compare_by (STRATA_STRATA_PANEL (widget),
                                      g_variant_get_string (parameter, NULL));
}

static void
add_stratum_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  strata_strata_panel_add_stratum (STRATA_STRATA_PANEL (widget), g_variant_get_string (parameter, NULL));
}

static void
remove_stratum_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  strata_strata_panel_remove_stratum (STRATA_STRATA_PANEL (widget),
                                      g_variant_get_string (parameter, NULL));
}

static void
toggle_level_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  StrataStrataPanel *self = STRATA_STRATA_PANEL (widget);
  const char *column, *level;

  g_variant_get (parameter, "(&s&s)", &column, &level);
  Stratum *stratum = find_stratum (self, column);
  for (guint i = 0; stratum != NULL && i < stratum->levels->len; i++)
    {
      LevelToggle *toggle = g_ptr_array_index (stratum->levels, i);
      if (g_strcmp0 (toggle->level, level) == 0)
        gtk_check_button_set_active (toggle->check, !gtk_check_button_get_active (toggle->check));
    }
}

static void
strata_strata_panel_class_init (StrataStrataPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = strata_strata_panel_dispose;
  object_class->finalize = strata_strata_panel_finalize;
  object_class->get_property = strata_strata_panel_get_property;
  object_class->set_property = strata_strata_panel_set_property;

  properties[PROP_SHOW_CI] =
    g_param_spec_boolean ("show-ci", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_RISK_TABLE] =
    g_param_spec_boolean ("show-risk-table", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KMUNICATE] =
    g_param_spec_boolean ("kmunicate", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StrataStrataPanel::changed:
   *
   * The choices changed so that the analysis must be run again.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  strata_gui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/stratareview/Strata/strata-strata-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, page);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, endpoint_group);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, endpoint_model);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, compare_row);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, compare_model);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, site_group);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, burden_group);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, high_row);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, low_row);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, threshold_row);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, high_check);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, low_check);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, threshold_spin);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, strata_group);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, add_stratum_button);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, response_group);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, detectable_row);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, detectable_switch);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, ci_group);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, ci_type_row);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, ci_level_row);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, ci_level_spin);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, bands_row);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, bands_switch);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, display_group);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, risk_table_row);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, risk_table_switch);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, kmunicate_row);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, kmunicate_switch);
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, landmarks_row);

  gtk_widget_class_install_action (widget_class, "panel.toggle-site", "s", toggle_site_action);
  gtk_widget_class_install_action (widget_class, "panel.toggle-burden", "s", toggle_burden_action);
  gtk_widget_class_install_action (widget_class, "panel.compare-by", "s", compare_by_action);
  gtk_widget_class_install_action (widget_class, "panel.add-stratum", "s", add_stratum_action);
  gtk_widget_class_install_action (widget_class, "panel.remove-stratum", "s", remove_stratum_action);
  gtk_widget_class_install_action (widget_class, "panel.toggle-level", "(ss)", toggle_level_action);
}

static void
show_ci_changed_cb (StrataStrataPanel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_CI]);
}

static void
show_risk_table_changed_cb (StrataStrataPanel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_RISK_TABLE]);
}

static void
kmunicate_changed_cb (StrataStrataPanel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KMUNICATE]);
}

static void
strata_strata_panel_init (StrataStrataPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) endpoint_free);
  self->compare_choices = g_ptr_array_new_with_free_func ((GDestroyNotify) compare_choice_free);
  self->site_toggles = g_ptr_array_new_with_free_func ((GDestroyNotify) site_toggle_free);
  self->strata = g_ptr_array_new_with_free_func ((GDestroyNotify) stratum_free);
  self->responses = g_ptr_array_new_with_free_func (g_free);
  self->landmarks = g_strdup ("12, 24");
  self->add_stratum_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->add_stratum_button, G_MENU_MODEL (self->add_stratum_menu));
  gtk_editable_set_text (GTK_EDITABLE (self->landmarks_row), self->landmarks);


  label_widget (GTK_WIDGET (self->bands_switch), _("Confidence bands"));
  label_widget (GTK_WIDGET (self->risk_table_switch), _("Numbers at risk"));
  label_widget (GTK_WIDGET (self->kmunicate_switch), _("KMunicate table"));
  label_widget (GTK_WIDGET (self->detectable_switch),
                _("MRD table: patients with detectable marrow disease only"));
  update_burden_titles (self);

  g_signal_connect_swapped (self->endpoint_row, "notify::selected",
                            G_CALLBACK (endpoint_changed_cb), self);
  g_signal_connect_swapped (self->compare_row, "notify::selected", G_CALLBACK (compare_changed_cb), self);
  g_signal_connect_swapped (self->high_check, "notify::active", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->low_check, "notify::active", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->threshold_spin, "value-changed",
                            G_CALLBACK (threshold_changed_cb), self);
  g_signal_connect_swapped (self->detectable_switch, "notify::active", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->ci_type_row, "notify::selected", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->ci_level_spin, "value-changed", G_CALLBACK (emit_changed), self);
  g_signal_connect_swapped (self->bands_switch, "notify::active", G_CALLBACK (show_ci_changed_cb), self);
  g_signal_connect_swapped (self->risk_table_switch, "notify::active",
                            G_CALLBACK (show_risk_table_changed_cb), self);
  g_signal_connect_swapped (self->kmunicate_switch, "notify::active",
                            G_CALLBACK (kmunicate_changed_cb), self);
  /* KMunicate is a form of the risk table: nothing to switch without one. */
  g_object_bind_property (self->risk_table_switch, "active", self->kmunicate_row, "sensitive",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->landmarks_row, "apply", G_CALLBACK (landmarks_apply_cb), self);
  g_signal_connect_swapped (self->landmarks_row, "changed",
                            G_CALLBACK (landmarks_text_changed_cb), self);

  strata_strata_panel_set_cohort (self, NULL);
}

/* ---- building the panel for a cohort -------------------------------------------------- */

static void
clear_site_toggles (StrataStrataPanel *self)
{
  for (guint i = 0; i < self->site_toggles->len; i++)
    {
      SiteToggle *toggle = g_ptr_array_index (self->site_toggles, i);
      adw_preferences_group_remove (self->site_group, GTK_WIDGET (toggle->row));
    }
  g_ptr_array_set_size (self->site_toggles, 0);
}

static void
add_site_toggle (StrataStrataPanel *self, const char *level, GStrv values, const char *description,
                 guint count)
{
  SiteToggle *toggle = g_new0 (SiteToggle, 1);
  /* Translators: the spaces around "=" are no-break spaces (U+00A0): "n =" never wraps
   * apart from its number. */
  g_autofree char *subtitle = description
                              ? g_strdup_printf (_("%s · n\u00a0=\u00a0%u"), description, count)
                              : g_strdup_printf (_("n\u00a0=\u00a0%u"), count);
  g_autofree char *accessible = g_strdup_printf ("%s: %s", level, subtitle);

  toggle->level = g_strdup (level);
  toggle->values = values;
  toggle->row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (toggle->row), level);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (toggle->row), FALSE);
  adw_action_row_set_subtitle (toggle->row, subtitle);
  toggle->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_check_button_set_active (toggle->check, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (toggle->check), GTK_ALIGN_CENTER);
  label_widget (GTK_WIDGET (toggle->check), accessible);
  adw_action_row_add_prefix (toggle->row, GTK_WIDGET (toggle->check));
  adw_action_row_set_activatable_widget (toggle->row, GTK_WIDGET (toggle->check));
  g_signal_connect_swapped (toggle->check, "notify::active", G_CALLBACK (emit_changed), self);
  adw_preferences_group_add (self->site_group, GTK_WIDGET (toggle->row));
  g_ptr_array_add (self->site_toggles, toggle);
}

/* One toggle per site class that has levels, in the clinical order BM, EMD, CNS (as the
 * plot and tables list them), then one per level of no class, in file order. */
static void
build_site_toggles (StrataStrataPanel *self, StrataTable *table)
{
  const StrataColumn *column = NULL;

  clear_site_toggles (self);
  g_clear_pointer (&self->site_column, g_free);
  if (table != NULL && self->roles->site_column != NULL)
    column = strata_table_find_column (table, self->roles->site_column);
  if (column != NULL && column->type == STRATA_COLUMN_NUMERIC)
    column = NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->site_group), column != NULL);
  if (column == NULL)
    return;

  self->site_column = g_strdup (column->name);
  g_autofree guint *counts = g_new0 (guint, MAX (column->levels->len, 1));
  for (guint r = 0; r < strata_table_get_n_rows (table); r++)
    if (column->codes[r] != STRATA_MISSING_CODE)
      counts[column->codes[r]]++;
  for (int k = 0; k < STRATA_SITE_N_CLASSES; k++)
    {
      /* The class's rows: every level that means it. */
      guint count = 0;
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
      gboolean any = FALSE;
      for (guint m = 0; m < column->levels->len; m++)
        if (strata_column_roles_site_class_of (self->roles, g_ptr_array_index (column->levels, m)) == k)
          {
            g_strv_builder_add (builder, g_ptr_array_index (column->levels, m));
            count += counts[m];
            any = TRUE;
          }
      if (any)
        add_site_toggle (self, strata_site_class_name (k), g_strv_builder_end (builder),
                         strata_site_class_description (k), count);
    }
  for (guint l = 0; l < column->levels->len; l++)
    {
      const char *level = g_ptr_array_index (column->levels, l);
      if (strata_column_roles_site_class_of (self->roles, level) >= 0)
        continue;
      char *values[] = { (char *) level, NULL };
      int guessed = strata_site_class_guess (level);
      add_site_toggle (self, level, g_strdupv (values),
                       guessed >= 0 ? strata_site_class_description (guessed) : NULL, counts[l]);
    }
  g_autofree char *description = g_strdup_printf (_("Patients included, by %s"), column->name);
  adw_preferences_group_set_description (self->site_group, description);
}

static void
find_burden_column (StrataStrataPanel *self, StrataTable *table)
{
  const StrataColumn *column = NULL;

  g_clear_pointer (&self->burden_column, g_free);
  if (table != NULL && self->roles->blasts_column != NULL)
    column = strata_table_find_column (table, self->roles->blasts_column);
  if (column != NULL && column->type == STRATA_COLUMN_NUMERIC)
    self->burden_column = g_strdup (column->name);
  if (isfinite (self->roles->burden_threshold))
    gtk_spin_button_set_value (self->threshold_spin, self->roles->burden_threshold);
  gtk_widget_set_visible (GTK_WIDGET (self->burden_group), self->burden_column != NULL);
  if (self->burden_column != NULL)
    {
      g_autofree char *description = g_strdup_printf (_("Patients included, by %s"),
                                                      self->burden_column);
      adw_preferences_group_set_description (self->burden_group, description);
    }
}

static gboolean
name_contains_mrd (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  return strstr (lower, "mrd") != NULL;
}

static void
find_response_columns (StrataStrataPanel *self, StrataTable *table)
{
  g_clear_pointer (&self->mrd_column, g_free);
  g_clear_pointer (&self->mrd_success, g_free);
  g_ptr_array_set_size (self->responses, 0);
  for (guint i = 0; table != NULL && i < self->roles->responses->len; i++)
    {
      const StrataResponseRole *role = g_ptr_array_index (self->roles->responses, i);
      const StrataColumn *column = strata_table_find_column (table, role->column);
      if (column == NULL)
        continue;
      if (self->mrd_column == NULL && name_contains_mrd (role->column))
        {
          self->mrd_column = g_strdup (role->column);
          self->mrd_success = g_strdup (role->success);
        }
      else
        g_ptr_array_add (self->responses, role->success
                                          ? g_strdup_printf ("%s:%s", role->column, role->success)
                                          : g_strdup (role->column));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->response_group),
                          self->mrd_column != NULL && self->burden_column != NULL);
  if (self->mrd_column != NULL && self->burden_column != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf (_("%s table: %s > 0"), self->mrd_column,
                                                   self->burden_column);
      adw_action_row_set_subtitle (self->detectable_row, subtitle);
    }
}

static void
add_compare_choice (StrataStrataPanel *self, const char *id, const char *column, const char *label)
{
  CompareChoice *choice = g_new0 (CompareChoice, 1);

  choice->id = g_strdup (id);
  choice->column = g_strdup (column);
  g_ptr_array_add (self->compare_choices, choice);
  gtk_string_list_append (self->compare_model, label);
}

static gboolean
has_compare_choice (StrataStrataPanel *self, const char *id)
{
  for (guint i = 0; i < self->compare_choices->len; i++)
    if (g_strcmp0 (((CompareChoice *) g_ptr_array_index (self->compare_choices, i))->id, id) == 0)
      return TRUE;
  return FALSE;
}

static void
add_column_choice (StrataStrataPanel *self, const char *column)
{
  g_autofree char *id = g_strconcat ("column:", column, NULL);

  if (!has_compare_choice (self, id))
    add_compare_choice (self, id, column, column);
}

static void
build_compare_choices (StrataStrataPanel *self, StrataTable *table)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->compare_model));

  g_ptr_array_set_size (self->compare_choices, 0);
  gtk_string_list_splice (self->compare_model, 0, n_old, NULL);
  if (self->site_column != NULL)
    add_compare_choice (self, STRATA_COMPARE_BY_SITE, NULL, _("Disease site"));
  if (self->burden_column != NULL)
    add_compare_choice (self, STRATA_COMPARE_BY_BURDEN, NULL, _("Marrow burden"));
  if (self->site_column != NULL && self->burden_column != NULL)
    add_compare_choice (self, STRATA_COMPARE_BY_SITE_BURDEN, NULL, _("Site × burden"));
  add_compare_choice (self, STRATA_COMPARE_BY_NONE, NULL, _("None (all patients)"));
  for (guint c = 0; table != NULL && c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);
      if (column->type != STRATA_COLUMN_CATEGORICAL || column->levels->len < 2 ||
          column->levels->len > 12 || g_strcmp0 (column->name, self->site_column) == 0 ||
          is_endpoint_column (self, column->name))
        continue;
      add_column_choice (self, column->name);
    }
  /* The strata named at import, whatever their type. */
  for (guint i = 0; i < self->roles->strata->len; i++)
    {
      const char *column = g_ptr_array_index (self->roles->strata, i);
      if (table != NULL && strata_table_find_column (table, column) != NULL &&
          g_strcmp0 (column, self->site_column) != 0)
        add_column_choice (self, column);
    }

  /* Keep the user's choice when the new cohort offers it; else the first. */
  adw_combo_row_set_selected (self->compare_row, 0);
  if (self->compare_by != NULL)
    strata_strata_panel_set_compare_by (self, self->compare_by);
}

static Endpoint *
endpoint_new (const char *label, const char *time_column, const char *event_column,
              const char *status_column, const char *unit)
{
  Endpoint *endpoint = g_new0 (Endpoint, 1);

  endpoint->label = g_strdup (label);
  endpoint->time_column = g_strdup (time_column);
  endpoint->event_column = g_strdup (event_column);
  endpoint->status_column = g_strdup (status_column);
  endpoint->unit = g_strdup (unit);
  return endpoint;
}

/* The endpoints the names suggest, with the one of the roles (as mapped at import)
 * first when the names did not suggest it, and selected. */
static void
build_endpoints (StrataStrataPanel *self, StrataTable *table)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->endpoint_model));
  guint preferred = 0;
  g_autoptr (GPtrArray) found = strata_column_roles_find_endpoints (table);
  const StrataColumnRoles *roles = self->roles;
  gboolean have_main = FALSE;

  g_ptr_array_set_size (self->endpoints, 0);
  gtk_string_list_splice (self->endpoint_model, 0, n_old, NULL);
  for (guint i = 0; i < found->len; i++)
    {
      const StrataEndpointChoice *e = g_ptr_array_index (found, i);
      Endpoint *endpoint = endpoint_new (e->label, e->time_column, e->event_column,
                                         e->status_column, e->unit);
      if (roles->time_column != NULL && g_strcmp0 (e->time_column, roles->time_column) == 0 &&
          g_strcmp0 (e->event_column, roles->event_column) == 0 &&
          g_strcmp0 (e->status_column, roles->status_column) == 0)
        {
          endpoint->event_values = g_strdupv (roles->event_values);
          preferred = self->endpoints->len;
          have_main = TRUE;
        }
      g_ptr_array_add (self->endpoints, endpoint);
    }
  if (table != NULL && roles->time_column != NULL && !have_main &&
      strata_table_find_column (table, roles->time_column) != NULL)
    {
      /* Named plainly: the columns are in the row's tooltip. */
      Endpoint *endpoint = endpoint_new (_("Survival"), roles->time_column, roles->event_column,
                                         roles->status_column,
                                         strata_time_unit_from_name (roles->time_column));
      endpoint->event_values = g_strdupv (roles->event_values);
      g_ptr_array_insert (self->endpoints, 0, endpoint);
      preferred = 0;
    }
  if (table != NULL && roles->time_from != NULL)
    {
      /* The time from dates, as mapped in the import assistant. */
      g_autofree char *name = g_strdup_printf ("%s → %s", roles->time_from, roles->time_to);
      Endpoint *endpoint = endpoint_new (_("Survival"), name, roles->event_column, NULL,
                                         roles->time_unit);
      endpoint->event_values = g_strdupv (roles->event_values);
      endpoint->from_dates = TRUE;
      g_ptr_array_insert (self->endpoints, 0, endpoint);
      preferred = 0;
    }
  for (guint i = 0; i < self->endpoints->len; i++)
    {
      const Endpoint *endpoint = g_ptr_array_index (self->endpoints, i);
      gtk_string_list_append (self->endpoint_model, endpoint->label);
    }
  adw_combo_row_set_selected (self->endpoint_row, preferred);
  endpoint_changed_cb (self);
}

/* ---- public API -------------------------------------------------------------------------- */

StrataStrataPanel *
strata_strata_panel_new (void)
{
  return g_object_new (STRATA_TYPE_STRATA_PANEL, NULL);
}

void
strata_strata_panel_set_cohort (StrataStrataPanel *self, StrataCohort *cohort)
{
  g_return_if_fail (STRATA_IS_STRATA_PANEL (self));

  g_autoptr (StrataColumnRoles) roles =
    strata_column_roles_guess (cohort ? strata_cohort_get_table (cohort) : NULL);
  strata_strata_panel_set_cohort_with_roles (self, cohort, roles);
}

void
strata_strata_panel_set_cohort_with_roles (StrataStrataPanel *self, StrataCohort *cohort,
                                           const StrataColumnRoles *roles)
{
  g_return_if_fail (STRATA_IS_STRATA_PANEL (self));
  g_return_if_fail (roles != NULL);

  StrataTable *table = cohort ? strata_cohort_get_table (cohort) : NULL;

  self->rebuilding++;
  if (cohort != self->cohort)
    {
      g_clear_pointer (&self->cohort, strata_cohort_unref);
      self->cohort = cohort ? strata_cohort_ref (cohort) : NULL;
    }
  if (roles != self->roles)
    {
      StrataColumnRoles *copy = strata_column_roles_copy (roles);
      g_clear_pointer (&self->roles, strata_column_roles_free);
      self->roles = copy;
    }
  build_endpoints (self, table);
  build_site_toggles (self, table);
  find_burden_column (self, table);
  find_response_columns (self, table);
  clear_strata (self);
  for (guint i = 0; table != NULL && i < self->roles->strata->len; i++)
    add_stratum (self, g_ptr_array_index (self->roles->strata, i));
  update_add_stratum_menu (self);
  build_compare_choices (self, table);
  gtk_check_button_set_active (self->high_check, TRUE);
  gtk_check_button_set_active (self->low_check, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), table != NULL);
  self->rebuilding--;
  emit_changed (self);
}

const StrataColumnRoles *
strata_strata_panel_get_roles (StrataStrataPanel *self)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), NULL);

  return self->roles;
}

static void
ci_type_to_settings_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  StrataStrataPanel *self = user_data;
  static const char *const names[] = { "log-log", "log", "plain" };
  guint selected = adw_combo_row_get_selected (self->ci_type_row);

  if (selected < G_N_ELEMENTS (names))
    g_settings_set_string (self->settings, "ci-type", names[selected]);
}

static guint
ci_type_index (const char *name)
{
  if (g_strcmp0 (name, "log") == 0)
    return 1;
  if (g_strcmp0 (name, "plain") == 0)
    return 2;
  return 0;
}

static gboolean
percent_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  g_value_set_double (value, g_variant_get_double (variant) * 100.0);
  return TRUE;
}

static GVariant *
percent_set_mapping (const GValue *value, const GVariantType *expected_type, gpointer user_data)
{
  /* The spin button shows one decimal of a percent: 99.9 % is 0.999, exactly. */
  return g_variant_new_double (CLAMP (round (g_value_get_double (value) * 10.0) / 1000.0, 0.5, 0.999));
}

void
strata_strata_panel_bind_settings (StrataStrataPanel *self, GSettings *settings)
{
  g_return_if_fail (STRATA_IS_STRATA_PANEL (self));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (self->settings == NULL);

  self->settings = g_object_ref (settings);
  self->rebuilding++;
  g_autofree char *ci_type = g_settings_get_string (settings, "ci-type");
  adw_combo_row_set_selected (self->ci_type_row, ci_type_index (ci_type));
  g_signal_connect_object (self->ci_type_row, "notify::selected",
                           G_CALLBACK (ci_type_to_settings_cb), self, 0);
  g_settings_bind_with_mapping (settings, "ci-level", self->ci_level_spin, "value",
                                G_SETTINGS_BIND_DEFAULT, percent_get_mapping,
                                percent_set_mapping, NULL, NULL);
  g_settings_bind (settings, "burden-threshold", self->threshold_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "show-ci-bands", self->bands_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "show-risk-table", self->risk_table_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "kmunicate", self->kmunicate_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_autofree char *landmarks = g_settings_get_string (settings, "landmarks");
  gtk_editable_set_text (GTK_EDITABLE (self->landmarks_row), landmarks);
  landmarks_apply_cb (self);
  self->rebuilding--;
  emit_changed (self);
}

static char *
threshold_text (StrataStrataPanel *self)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  /* The spin button shows one decimal: use the value it shows. */
  double value = round (gtk_spin_button_get_value (self->threshold_spin) * 10.0) / 10.0;
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", value));
}

/* COLUMN=V1,V2 as a filter built from its parts, so that levels with commas survive. */
static void
add_category_filter (StrataSpec *spec, const char *column, GPtrArray *values)
{
  StrataFilter *filter = g_new0 (StrataFilter, 1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < values->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (values, i));
  filter->column = g_strdup (column);
  filter->values = g_strv_builder_end (builder);
  g_autofree char *joined = g_strjoinv (",", filter->values);
  filter->text = g_strdup_printf ("%s=%s", column, joined);
  g_ptr_array_add (spec->where, filter);
}

static gboolean
add_filters (StrataStrataPanel *self, StrataSpec *spec, GError **error)
{
  if (self->site_column != NULL)
    {
      g_autoptr (GPtrArray) on = g_ptr_array_new ();
      guint n_on = 0;
      for (guint i = 0; i < self->site_toggles->len; i++)
        {
          SiteToggle *toggle = g_ptr_array_index (self->site_toggles, i);
          if (gtk_check_button_get_active (toggle->check))
            {
              n_on++;
              for (guint v = 0; toggle->values[v] != NULL; v++)
                g_ptr_array_add (on, toggle->values[v]);
            }
        }
      if (n_on == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Tick at least one disease site to include patients."));
          return FALSE;
        }
      if (n_on < self->site_toggles->len)
        add_category_filter (spec, self->site_column, on);
    }
  if (self->burden_column != NULL)
    {
      gboolean high = gtk_check_button_get_active (self->high_check);
      gboolean low = gtk_check_button_get_active (self->low_check);
      g_autofree char *threshold = threshold_text (self);

      if (!high && !low)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Tick high or low marrow burden, or both, to include patients."));
          return FALSE;
        }
      if (high != low)
        {
          g_autofree char *where = g_strdup_printf ("%s%s%s", self->burden_column,
                                                    high ? ">=" : "<", threshold);
          if (!strata_spec_add_where (spec, where, error))
            return FALSE;
        }
    }
  for (guint s = 0; s < self->strata->len; s++)
    {
      Stratum *stratum = g_ptr_array_index (self->strata, s);
      g_autoptr (GPtrArray) on = g_ptr_array_new ();
      for (guint i = 0; i < stratum->levels->len; i++)
        {
          LevelToggle *toggle = g_ptr_array_index (stratum->levels, i);
          if (gtk_check_button_get_active (toggle->check))
            g_ptr_array_add (on, toggle->level);
        }
      if (on->len == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Tick at least one level of %s to include patients."), stratum->column);
          return FALSE;
        }
      if (on->len < stratum->levels->len)
        add_category_filter (spec, stratum->column, on);
    }
  return TRUE;
}

static gboolean
add_grouping (StrataStrataPanel *self, StrataSpec *spec, GError **error)
{
  const char *id = strata_strata_panel_get_compare_by (self);
  g_autofree char *threshold = threshold_text (self);
  g_autofree char *cut = self->burden_column
                         ? g_strdup_printf ("%s>=%s", self->burden_column, threshold) : NULL;

  if (id == NULL || g_strcmp0 (id, STRATA_COMPARE_BY_NONE) == 0)
    return TRUE;
  if (g_strcmp0 (id, STRATA_COMPARE_BY_SITE) == 0)
    return strata_spec_add_by (spec, self->site_column, error);
  if (g_strcmp0 (id, STRATA_COMPARE_BY_BURDEN) == 0)
    return strata_spec_add_by (spec, cut, error);
  if (g_strcmp0 (id, STRATA_COMPARE_BY_SITE_BURDEN) == 0)
    return strata_spec_add_by (spec, self->site_column, error) && strata_spec_add_by (spec, cut, error);
  return strata_spec_add_by (spec, id + strlen ("column:"), error);
}

static StrataSpec *
build_base_spec (StrataStrataPanel *self, GError **error)
{
  g_autoptr (StrataSpec) spec = strata_spec_new ();
  const Endpoint *endpoint = selected_endpoint (self);
  static const StrataConfType types[] = { STRATA_CONF_LOG_LOG, STRATA_CONF_LOG, STRATA_CONF_PLAIN };
  guint type = adw_combo_row_get_selected (self->ci_type_row);

  if (endpoint == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No time-to-event endpoint was recognised in this file: it needs a time "
                     "column such as os_months and an event column such as os_status. "
                     "Open the file again to choose them."));
      return NULL;
    }
  spec->time_column = g_strdup (endpoint->time_column);
  spec->event_column = g_strdup (endpoint->event_column);
  spec->status_column = g_strdup (endpoint->status_column);
  spec->event_values = g_strdupv (endpoint->event_values);
  if (endpoint->from_dates)
    strata_column_roles_apply_dates (self->roles, spec);
  spec->conf_type = types[MIN (type, G_N_ELEMENTS (types) - 1)];
  spec->conf_level = round (gtk_spin_button_get_value (self->ci_level_spin) * 10.0) / 1000.0;
  if (self->landmarks != NULL && *self->landmarks != '\0' &&
      !strata_spec_set_landmarks (spec, self->landmarks, error))
    return NULL;
  if (!add_filters (self, spec, error) || !add_grouping (self, spec, error))
    return NULL;
  return g_steal_pointer (&spec);
}

GPtrArray *
strata_strata_panel_build_specs (StrataStrataPanel *self, GError **error)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), NULL);

  g_autoptr (GPtrArray) specs = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_spec_free);
  StrataSpec *survival = build_base_spec (self, error);
  gboolean restrict_mrd = self->mrd_column != NULL && self->burden_column != NULL &&
                          gtk_switch_get_active (self->detectable_switch);

  if (survival == NULL)
    return NULL;
  g_ptr_array_add (specs, survival);
  if (self->mrd_column != NULL && !restrict_mrd)
    {
      g_autofree char *response = g_strdup_printf ("%s:%s", self->mrd_column, self->mrd_success);
      if (!strata_spec_add_response (survival, response, error))
        return NULL;
    }
  for (guint i = 0; i < self->responses->len; i++)
    if (!strata_spec_add_response (survival, g_ptr_array_index (self->responses, i), error))
      return NULL;

  if (restrict_mrd)
    {
      StrataSpec *mrd = strata_spec_copy (survival);
      g_autofree char *where = g_strdup_printf ("%s>0", self->burden_column);
      g_autofree char *response = g_strdup_printf ("%s:%s", self->mrd_column, self->mrd_success);

      g_ptr_array_add (specs, mrd);
      g_ptr_array_set_size (mrd->responses, 0);
      if (!strata_spec_add_where (mrd, where, error) ||
          !strata_spec_add_response (mrd, response, error))
        return NULL;
    }
  return g_steal_pointer (&specs);
}

gboolean
strata_strata_panel_set_site_active (StrataStrataPanel *self, const char *level, gboolean active)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);

  for (guint i = 0; i < self->site_toggles->len; i++)
    {
      SiteToggle *toggle = g_ptr_array_index (self->site_toggles, i);
      if (g_strcmp0 (toggle->level, level) == 0)
        {
          gtk_check_button_set_active (toggle->check, active);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
strata_strata_panel_get_site_active (StrataStrataPanel *self, const char *level)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);

  for (guint i = 0; i < self->site_toggles->len; i++)
    {
      SiteToggle *toggle = g_ptr_array_index (self->site_toggles, i);
      if (g_strcmp0 (toggle->level, level) == 0)
        return gtk_check_button_get_active (toggle->check);
    }
  return FALSE;
}

void
strata_strata_panel_set_burden_active (StrataStrataPanel *self, gboolean high, gboolean active)
{
  g_return_if_fail (STRATA_IS_STRATA_PANEL (self));

  gtk_check_button_set_active (high ? self->high_check : self->low_check, active);
}

gboolean
strata_strata_panel_set_compare_by (StrataStrataPanel *self, const char *id)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);

  for (guint i = 0; i < self->compare_choices->len; i++)
    {
      const CompareChoice *choice = g_ptr_array_index (self->compare_choices, i);
      if (g_strcmp0 (choice->id, id) == 0)
        {
          adw_combo_row_set_selected (self->compare_row, i);
          if (self->rebuilding == 0 && id != self->compare_by)
            {
              g_free (self->compare_by);
              self->compare_by = g_strdup (id);
            }
          return TRUE;
        }
    }
  return FALSE;
}

const char *
strata_strata_panel_get_compare_by (StrataStrataPanel *self)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), NULL);

  guint selected = adw_combo_row_get_selected (self->compare_row);
  if (selected >= self->compare_choices->len)
    return NULL;
  return ((const CompareChoice *) g_ptr_array_index (self->compare_choices, selected))->id;
}

gboolean
strata_strata_panel_set_endpoint (StrataStrataPanel *self, const char *time_column)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);

  for (guint i = 0; i < self->endpoints->len; i++)
    {
      const Endpoint *endpoint = g_ptr_array_index (self->endpoints, i);
      if (g_strcmp0 (endpoint->time_column, time_column) == 0)
        {
          adw_combo_row_set_selected (self->endpoint_row, i);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
strata_strata_panel_get_show_ci (StrataStrataPanel *self)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);

  return gtk_switch_get_active (self->bands_switch);
}

gboolean
strata_strata_panel_get_show_risk_table (StrataStrataPanel *self)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);

  return gtk_switch_get_active (self->risk_table_switch);
}

gboolean
strata_strata_panel_get_kmunicate (StrataStrataPanel *self)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);

  return gtk_switch_get_active (self->kmunicate_switch);
}

const char *
strata_strata_panel_get_endpoint_label (StrataStrataPanel *self)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), NULL);

  const Endpoint *endpoint = selected_endpoint (self);
  return endpoint ? endpoint->label : NULL;
}

const char *
strata_strata_panel_get_time_unit (StrataStrataPanel *self)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), NULL);

  const Endpoint *endpoint = selected_endpoint (self);
  return endpoint ? endpoint->unit : NULL;
}

gboolean
strata_strata_panel_add_stratum (StrataStrataPanel *self, const char *column)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);
  g_return_val_if_fail (column != NULL, FALSE);

  if (!add_stratum (self, column))
    return FALSE;
  if (!g_ptr_array_find_with_equal_func (self->roles->strata, column, g_str_equal, NULL))
    g_ptr_array_add (self->roles->strata, g_strdup (column));
  /* Offer it in "compare by" too (appended: the selection stays). All its levels are
   * ticked: the patients do not change, so there is nothing to recompute. */
  self->rebuilding++;
  add_column_choice (self, column);
  self->rebuilding--;
  return TRUE;
}

gboolean
strata_strata_panel_remove_stratum (StrataStrataPanel *self, const char *column)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);

  Stratum *stratum = find_stratum (self, column);
  gboolean all_on = TRUE;
  guint index;

  if (stratum == NULL)
    return FALSE;
  for (guint i = 0; i < stratum->levels->len; i++)
    all_on &= gtk_check_button_get_active (((LevelToggle *) g_ptr_array_index (stratum->levels, i))->check);
  adw_preferences_group_remove (self->strata_group, GTK_WIDGET (stratum->row));
  g_ptr_array_remove (self->strata, stratum);
  if (g_ptr_array_find_with_equal_func (self->roles->strata, column, g_str_equal, &index))
    g_ptr_array_remove_index (self->roles->strata, index);
  update_add_stratum_menu (self);
  if (!all_on)
    emit_changed (self);
  return TRUE;
}

gboolean
strata_strata_panel_set_level_active (StrataStrataPanel *self, const char *column,
                                      const char *level, gboolean active)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);

  Stratum *stratum = find_stratum (self, column);
  for (guint i = 0; stratum != NULL && i < stratum->levels->len; i++)
    {
      LevelToggle *toggle = g_ptr_array_index (stratum->levels, i);
      if (g_strcmp0 (toggle->level, level) == 0)
        {
          gtk_check_button_set_active (toggle->check, active);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
strata_strata_panel_get_level_active (StrataStrataPanel *self, const char *column, const char *level)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);

  Stratum *stratum = find_stratum (self, column);
  for (guint i = 0; stratum != NULL && i < stratum->levels->len; i++)
    {
      LevelToggle *toggle = g_ptr_array_index (stratum->levels, i);
      if (g_strcmp0 (toggle->level, level) == 0)
        return gtk_check_button_get_active (toggle->check);
    }
  return FALSE;
}

/* ---- state --------------------------------------------------------------------------- */

JsonObject *
strata_strata_panel_save_state (StrataStrataPanel *self)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), NULL);

  JsonObject *state = json_object_new ();
  const Endpoint *endpoint = selected_endpoint (self);
  static const char *const ci_names[] = { "log-log", "log", "plain" };
  guint ci_type = MIN (adw_combo_row_get_selected (self->ci_type_row), G_N_ELEMENTS (ci_names) - 1);
  JsonArray *sites_off = json_array_new ();
  JsonArray *strata = json_array_new ();
  JsonObject *burden = json_object_new ();

  if (endpoint != NULL)
    json_object_set_string_member (state, "endpoint", endpoint->time_column);
  if (strata_strata_panel_get_compare_by (self) != NULL)
    json_object_set_string_member (state, "compare_by", strata_strata_panel_get_compare_by (self));
  for (guint i = 0; i < self->site_toggles->len; i++)
    {
      SiteToggle *toggle = g_ptr_array_index (self->site_toggles, i);
      if (!gtk_check_button_get_active (toggle->check))
        json_array_add_string_element (sites_off, toggle->level);
    }
  json_object_set_array_member (state, "sites_off", sites_off);
  json_object_set_boolean_member (burden, "high", gtk_check_button_get_active (self->high_check));
  json_object_set_boolean_member (burden, "low", gtk_check_button_get_active (self->low_check));
  json_object_set_double_member (burden, "threshold",
                                 round (gtk_spin_button_get_value (self->threshold_spin) * 10.0) / 10.0);
  json_object_set_object_member (state, "burden", burden);
  json_object_set_boolean_member (state, "detectable_only", gtk_switch_get_active (self->detectable_switch));
  for (guint s = 0; s < self->strata->len; s++)
    {
      Stratum *stratum = g_ptr_array_index (self->strata, s);
      JsonObject *object = json_object_new ();
      JsonArray *off = json_array_new ();
      for (guint i = 0; i < stratum->levels->len; i++)
        {
          LevelToggle *toggle = g_ptr_array_index (stratum->levels, i);
          if (!gtk_check_button_get_active (toggle->check))
            json_array_add_string_element (off, toggle->level);
        }
      json_object_set_string_member (object, "column", stratum->column);
      json_object_set_array_member (object, "levels_off", off);
      json_array_add_object_element (strata, object);
    }
  json_object_set_array_member (state, "strata", strata);
  json_object_set_string_member (state, "ci_type", ci_names[ci_type]);
  json_object_set_double_member (state, "ci_level",
                                 round (gtk_spin_button_get_value (self->ci_level_spin) * 10.0) / 1000.0);
  json_object_set_boolean_member (state, "show_ci", gtk_switch_get_active (self->bands_switch));
  json_object_set_boolean_member (state, "show_risk_table",
                                  gtk_switch_get_active (self->risk_table_switch));
  json_object_set_string_member (state, "landmarks", self->landmarks ? self->landmarks : "");
  return state;
}

static gboolean
json_bool (JsonObject *object, const char *name, gboolean fallback)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static double
json_number (JsonObject *object, const char *name, double fallback)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  type = json_node_get_value_type (node);
  return type == G_TYPE_DOUBLE || type == G_TYPE_INT64 ? json_node_get_double (node) : fallback;
}

static const char *
json_string (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
json_array_has_string (JsonObject *object, const char *name, const char *value)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING &&
          g_strcmp0 (json_node_get_string (element), value) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
strata_strata_panel_restore_state (StrataStrataPanel *self, JsonObject *state)
{
  g_return_val_if_fail (STRATA_IS_STRATA_PANEL (self), FALSE);

  gboolean complete = TRUE;
  const char *text;
  JsonObject *burden = NULL;
  JsonNode *node;

  if (state == NULL)
    return FALSE;
  self->rebuilding++;

  text = json_string (state, "endpoint");
  if (text != NULL)
    complete &= strata_strata_panel_set_endpoint (self, text);

  /* Strata before "compare by", which may name one of them. */
  node = json_object_get_member (state, "strata");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
          const char *column = json_string (object, "column");
          Stratum *stratum;
          if (column == NULL)
            continue;
          if (find_stratum (self, column) == NULL)
            complete &= strata_strata_panel_add_stratum (self, column);
          stratum = find_stratum (self, column);
          for (guint l = 0; stratum != NULL && l < stratum->levels->len; l++)
            {
              LevelToggle *toggle = g_ptr_array_index (stratum->levels, l);
              gtk_check_button_set_active (toggle->check,
                                           !json_array_has_string (object, "levels_off", toggle->level));
            }
          if (stratum != NULL)
            update_stratum_subtitle (stratum);
        }
    }

  text = json_string (state, "compare_by");
  if (text != NULL)
    {
      if (strata_strata_panel_set_compare_by (self, text))
        {
          g_free (self->compare_by);
          self->compare_by = g_strdup (text);
        }
      else
        complete = FALSE;
    }

  for (guint i = 0; i < self->site_toggles->len; i++)
    {
      SiteToggle *toggle = g_ptr_array_index (self->site_toggles, i);
      gtk_check_button_set_active (toggle->check,
                                   !json_array_has_string (state, "sites_off", toggle->level));
    }

  node = json_object_get_member (state, "burden");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    burden = json_node_get_object (node);
  gtk_check_button_set_active (self->high_check, json_bool (burden, "high", TRUE));
  gtk_check_button_set_active (self->low_check, json_bool (burden, "low", TRUE));
  double threshold = json_number (burden, "threshold", NAN);
  if (isfinite (threshold))
    gtk_spin_button_set_value (self->threshold_spin, threshold);
  gtk_switch_set_active (self->detectable_switch, json_bool (state, "detectable_only", TRUE));

  text = json_string (state, "ci_type");
  if (text != NULL)
    adw_combo_row_set_selected (self->ci_type_row, ci_type_index (text));
  double level = json_number (state, "ci_level", NAN);
  if (level > 0 && level < 1)
    gtk_spin_button_set_value (self->ci_level_spin, level * 100.0);
  gtk_switch_set_active (self->bands_switch, json_bool (state, "show_ci",
                                                        gtk_switch_get_active (self->bands_switch)));
  gtk_switch_set_active (self->risk_table_switch,
                         json_bool (state, "show_risk_table",
                                    gtk_switch_get_active (self->risk_table_switch)));
  text = json_string (state, "landmarks");
  if (text != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->landmarks_row), text);
      landmarks_apply_cb (self);
    }

  self->rebuilding--;
  emit_changed (self);
  return complete;
}

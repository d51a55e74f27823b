/* strata-strata-panel.c: the sidebar of strata toggles. The panel holds no statistics:
 * it recognises column roles by name and type, shows one control per choice, and
 * writes the choices as StrataSpec filters and groupings, the same words
 * strata-report takes on its command line. */
#include "strata-strata-panel.h"

#include <math.h>
#include <string.h>

#include "strata-gui-resources.h"

/* A time-to-event endpoint found among the columns. */
typedef struct {
  char *label;          /* "Overall survival" */
  char *time_column;
  char *event_column;   /* NULL when status_column is set */
  char *status_column;  /* competing-risks status (0/1/2): Kaplan–Meier of any event */
  char *unit;           /* "months", or NULL */
} Endpoint;

/* One entry of "compare by". */
typedef struct {
  char *id;             /* STRATA_COMPARE_BY_* or "column:NAME" */
  char *column;         /* for "column:NAME" */
} CompareChoice;

/* A tick box of one level of the disease-site column. */
typedef struct {
  char *level;
  AdwActionRow *row;
  GtkCheckButton *check;
} SiteToggle;

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
  AdwEntryRow *landmarks_row;

  StrataCohort *cohort;
  GPtrArray *endpoints;        /* Endpoint* */
  GPtrArray *compare_choices;  /* CompareChoice* */
  GPtrArray *site_toggles;     /* SiteToggle* */
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
  g_free (toggle);
}

/* ---- column roles --------------------------------------------------------------------- */

static const char *const time_suffixes[] = { "_months", "_days", "_years", "_weeks", "_time", NULL };
static const char *const time_units[] = { "months", "days", "years", "weeks", NULL, NULL };

static gboolean
name_contains (const char *name, const char *word)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  return strstr (lower, word) != NULL;
}

static const StrataColumn *
find_column_ci (StrataTable *table, const char *name)
{
  for (guint c = 0; c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);
      if (g_ascii_strcasecmp (column->name, name) == 0)
        return column;
    }
  return NULL;
}

/* Whether a numeric status column holds 2 (a competing event) besides 0 and 1. */
static gboolean
is_competing_status (StrataTable *table, const StrataColumn *column)
{
  gboolean has_two = FALSE;

  if (column->type != STRATA_COLUMN_NUMERIC)
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

static char *
endpoint_label (const char *prefix, gboolean competing)
{
  static const struct { const char *prefix, *label; } known[] = {
    { "os", "Overall survival" },
    { "efs", "Event-free survival" },
    { "pfs", "Progression-free survival" },
    { "dfs", "Disease-free survival" },
    { "rfs", "Relapse-free survival" },
    { "lfs", "Leukaemia-free survival" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_ascii_strcasecmp (prefix, known[i].prefix) == 0)
      return g_strdup (known[i].label);
  if (*prefix == '\0')
    return g_strdup ("Survival");

  g_autofree char *words = g_strdelimit (g_strdup (prefix), "_", ' ');
  words[0] = g_ascii_toupper (words[0]);
  /* A status coded 0/1/2 counts any event: free of the event and of the competing one. */
  return competing ? g_strdup_printf ("%s-free survival", words) : g_steal_pointer (&words);
}

/* Pairs PREFIX_months (days, years, weeks, time) with PREFIX_status or PREFIX_event;
 * also "time" with "status" or "event". */
static void
find_endpoints (StrataTable *table, GPtrArray *endpoints)
{
  for (guint c = 0; c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *time = strata_table_get_column (table, c);
      g_autofree char *prefix = NULL;
      const char *unit = NULL;

      /* Any type: the core reports the cells that are not times, row by row. */
      for (guint s = 0; time_suffixes[s] != NULL && prefix == NULL; s++)
        if (g_str_has_suffix (time->name, time_suffixes[s]) &&
            strlen (time->name) > strlen (time_suffixes[s]))
          {
            prefix = g_strndup (time->name, strlen (time->name) - strlen (time_suffixes[s]));
            unit = time_units[s];
          }
      if (prefix == NULL && (g_ascii_strcasecmp (time->name, "time") == 0 ||
                             g_ascii_strcasecmp (time->name, "futime") == 0))
        prefix = g_strdup ("");
      if (prefix == NULL)
        continue;

      const StrataColumn *event = NULL;
      static const char *const event_suffixes[] = { "status", "event", NULL };
      for (guint s = 0; event_suffixes[s] != NULL && event == NULL; s++)
        {
          g_autofree char *name = *prefix ? g_strconcat (prefix, "_", event_suffixes[s], NULL)
                                          : g_strdup (event_suffixes[s]);
          event = find_column_ci (table, name);
        }
      if (event == NULL)
        continue;

      Endpoint *endpoint = g_new0 (Endpoint, 1);
      gboolean competing = is_competing_status (table, event);
      endpoint->label = endpoint_label (prefix, competing);
      endpoint->time_column = g_strdup (time->name);
      if (competing)
        endpoint->status_column = g_strdup (event->name);
      else
        endpoint->event_column = g_strdup (event->name);
      endpoint->unit = g_strdup (unit);
      g_ptr_array_add (endpoints, endpoint);
    }
}

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

static const char *
find_level_ci (const StrataColumn *column, const char *level)
{
  for (guint l = 0; l < column->levels->len; l++)
    if (g_ascii_strcasecmp (g_ptr_array_index (column->levels, l), level) == 0)
      return g_ptr_array_index (column->levels, l);
  return NULL;
}

static const char *
site_description (const char *level)
{
  if (g_ascii_strcasecmp (level, "BM") == 0)
    return "Isolated bone marrow";
  if (g_ascii_strcasecmp (level, "EMD") == 0)
    return "Extramedullary, not CNS";
  if (g_ascii_strcasecmp (level, "CNS") == 0)
    return "Active CNS disease";
  return NULL;
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
  g_autofree char *high = g_strdup_printf ("High, ≥ %g %% blasts", threshold);
  g_autofree char *low = g_strdup_printf ("Low, < %g %% blasts", threshold);

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
  const char *unit = strata_strata_panel_get_time_unit (self);
  g_autofree char *title = unit ? g_strdup_printf ("Landmark times, %s", unit)
                                : g_strdup ("Landmark times");

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
                                   "Write times separated by commas, e.g. 12, 24");
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
  g_clear_pointer (&self->endpoints, g_ptr_array_unref);
  g_clear_pointer (&self->compare_choices, g_ptr_array_unref);
  g_clear_pointer (&self->site_toggles, g_ptr_array_unref);
  g_clear_pointer (&self->responses, g_ptr_array_unref);
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
  gtk_widget_class_bind_template_child (widget_class, StrataStrataPanel, landmarks_row);

  gtk_widget_class_install_action (widget_class, "panel.toggle-site", "s", toggle_site_action);
  gtk_widget_class_install_action (widget_class, "panel.toggle-burden", "s", toggle_burden_action);
  gtk_widget_class_install_action (widget_class, "panel.compare-by", "s", compare_by_action);
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
strata_strata_panel_init (StrataStrataPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->endpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) endpoint_free);
  self->compare_choices = g_ptr_array_new_with_free_func ((GDestroyNotify) compare_choice_free);
  self->site_toggles = g_ptr_array_new_with_free_func ((GDestroyNotify) site_toggle_free);
  self->responses = g_ptr_array_new_with_free_func (g_free);
  self->landmarks = g_strdup ("12, 24");
  gtk_editable_set_text (GTK_EDITABLE (self->landmarks_row), self->landmarks);

  label_widget (GTK_WIDGET (self->bands_switch), "Confidence bands");
  label_widget (GTK_WIDGET (self->risk_table_switch), "Numbers at risk");
  label_widget (GTK_WIDGET (self->detectable_switch),
                "MRD table: patients with detectable marrow disease only");
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
add_site_toggle (StrataStrataPanel *self, const char *level, guint count)
{
  SiteToggle *toggle = g_new0 (SiteToggle, 1);
  const char *description = site_description (level);
  g_autofree char *subtitle = description
                              ? g_strdup_printf ("%s · n = %u", description, count)
                              : g_strdup_printf ("n = %u", count);
  g_autofree char *accessible = g_strdup_printf ("%s: %s", level, subtitle);

  toggle->level = g_strdup (level);
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

static void
build_site_toggles (StrataStrataPanel *self, StrataTable *table)
{
  const StrataColumn *column = NULL;

  clear_site_toggles (self);
  g_clear_pointer (&self->site_column, g_free);
  for (guint c = 0; table != NULL && c < strata_table_get_n_columns (table) && column == NULL; c++)
    {
      const StrataColumn *candidate = strata_table_get_column (table, c);
      if (candidate->type == STRATA_COLUMN_CATEGORICAL &&
          (g_ascii_strcasecmp (candidate->name, "site") == 0 ||
           g_str_has_suffix (candidate->name, "_site")))
        column = candidate;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->site_group), column != NULL);
  if (column == NULL)
    return;

  self->site_column = g_strdup (column->name);
  g_autofree guint *counts = g_new0 (guint, MAX (column->levels->len, 1));
  for (guint r = 0; r < strata_table_get_n_rows (table); r++)
    if (column->codes[r] != STRATA_MISSING_CODE)
      counts[column->codes[r]]++;
  for (guint l = 0; l < column->levels->len; l++)
    add_site_toggle (self, g_ptr_array_index (column->levels, l), counts[l]);
  adw_preferences_group_set_description (self->site_group, NULL);
  g_autofree char *description = g_strdup_printf ("Patients included, by %s", column->name);
  adw_preferences_group_set_description (self->site_group, description);
}

static void
find_burden_column (StrataStrataPanel *self, StrataTable *table)
{
  g_clear_pointer (&self->burden_column, g_free);
  for (guint c = 0; table != NULL && c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);
      if (column->type == STRATA_COLUMN_NUMERIC && name_contains (column->name, "blast"))
        {
          self->burden_column = g_strdup (column->name);
          break;
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->burden_group), self->burden_column != NULL);
  if (self->burden_column != NULL)
    {
      g_autofree char *description = g_strdup_printf ("Patients included, by %s",
                                                      self->burden_column);
      adw_preferences_group_set_description (self->burden_group, description);
    }
}

static void
find_response_columns (StrataStrataPanel *self, StrataTable *table)
{
  g_clear_pointer (&self->mrd_column, g_free);
  g_clear_pointer (&self->mrd_success, g_free);
  g_ptr_array_set_size (self->responses, 0);
  for (guint c = 0; table != NULL && c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);
      if (column->type != STRATA_COLUMN_CATEGORICAL || column->levels->len < 2)
        continue;
      if (self->mrd_column == NULL && name_contains (column->name, "mrd"))
        {
          const char *negative = find_level_ci (column, "negative");
          self->mrd_column = g_strdup (column->name);
          self->mrd_success = g_strdup (negative ? negative : g_ptr_array_index (column->levels, 0));
        }
      else if (name_contains (column->name, "response"))
        {
          const char *cr = find_level_ci (column, "CR");
          g_ptr_array_add (self->responses,
                           g_strdup_printf ("%s:%s", column->name,
                                            cr ? cr : (const char *) g_ptr_array_index (column->levels, 0)));
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->response_group),
                          self->mrd_column != NULL && self->burden_column != NULL);
  if (self->mrd_column != NULL && self->burden_column != NULL)
    {
      g_autofree char *subtitle = g_strdup_printf ("%s table: %s > 0", self->mrd_column,
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

static void
build_compare_choices (StrataStrataPanel *self, StrataTable *table)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->compare_model));

  g_ptr_array_set_size (self->compare_choices, 0);
  gtk_string_list_splice (self->compare_model, 0, n_old, NULL);
  if (self->site_column != NULL)
    add_compare_choice (self, STRATA_COMPARE_BY_SITE, NULL, "Disease site");
  if (self->burden_column != NULL)
    add_compare_choice (self, STRATA_COMPARE_BY_BURDEN, NULL, "Marrow burden");
  if (self->site_column != NULL && self->burden_column != NULL)
    add_compare_choice (self, STRATA_COMPARE_BY_SITE_BURDEN, NULL, "Site × burden");
  add_compare_choice (self, STRATA_COMPARE_BY_NONE, NULL, "None (all patients)");
  for (guint c = 0; table != NULL && c < strata_table_get_n_columns (table); c++)
    {
      const StrataColumn *column = strata_table_get_column (table, c);
      if (column->type != STRATA_COLUMN_CATEGORICAL || column->levels->len < 2 ||
          column->levels->len > 12 || g_strcmp0 (column->name, self->site_column) == 0 ||
          is_endpoint_column (self, column->name))
        continue;
      g_autofree char *id = g_strconcat ("column:", column->name, NULL);
      add_compare_choice (self, id, column->name, column->name);
    }

  /* Keep the user's choice when the new cohort offers it; else the first. */
  adw_combo_row_set_selected (self->compare_row, 0);
  if (self->compare_by != NULL)
    strata_strata_panel_set_compare_by (self, self->compare_by);
}

static void
build_endpoints (StrataStrataPanel *self, StrataTable *table)
{
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->endpoint_model));
  guint preferred = 0;

  g_ptr_array_set_size (self->endpoints, 0);
  gtk_string_list_splice (self->endpoint_model, 0, n_old, NULL);
  if (table != NULL)
    find_endpoints (table, self->endpoints);
  for (guint i = 0; i < self->endpoints->len; i++)
    {
      const Endpoint *endpoint = g_ptr_array_index (self->endpoints, i);
      gtk_string_list_append (self->endpoint_model, endpoint->label);
      if (g_ascii_strcasecmp (endpoint->time_column, "os_months") == 0)
        preferred = i;
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

  StrataTable *table = cohort ? strata_cohort_get_table (cohort) : NULL;

  self->rebuilding++;
  if (cohort != self->cohort)
    {
      g_clear_pointer (&self->cohort, strata_cohort_unref);
      self->cohort = cohort ? strata_cohort_ref (cohort) : NULL;
    }
  build_endpoints (self, table);
  build_site_toggles (self, table);
  find_burden_column (self, table);
  find_response_columns (self, table);
  build_compare_choices (self, table);
  gtk_check_button_set_active (self->high_check, TRUE);
  gtk_check_button_set_active (self->low_check, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), table != NULL);
  self->rebuilding--;
  emit_changed (self);
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

static gboolean
add_filters (StrataStrataPanel *self, StrataSpec *spec, GError **error)
{
  if (self->site_column != NULL)
    {
      g_autoptr (GPtrArray) on = g_ptr_array_new ();
      for (guint i = 0; i < self->site_toggles->len; i++)
        {
          SiteToggle *toggle = g_ptr_array_index (self->site_toggles, i);
          if (gtk_check_button_get_active (toggle->check))
            g_ptr_array_add (on, toggle->level);
        }
      if (on->len == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Tick at least one disease site to include patients.");
          return FALSE;
        }
      if (on->len < self->site_toggles->len)
        {
          g_ptr_array_add (on, NULL);
          g_autofree char *values = g_strjoinv (",", (char **) on->pdata);
          g_autofree char *where = g_strdup_printf ("%s=%s", self->site_column, values);
          if (!strata_spec_add_where (spec, where, error))
            return FALSE;
        }
    }
  if (self->burden_column != NULL)
    {
      gboolean high = gtk_check_button_get_active (self->high_check);
      gboolean low = gtk_check_button_get_active (self->low_check);
      g_autofree char *threshold = threshold_text (self);

      if (!high && !low)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Tick high or low marrow burden, or both, to include patients.");
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
                   "No time-to-event endpoint was recognised in this file: it needs a time "
                   "column such as os_months and an event column such as os_status.");
      return NULL;
    }
  spec->time_column = g_strdup (endpoint->time_column);
  spec->event_column = g_strdup (endpoint->event_column);
  spec->status_column = g_strdup (endpoint->status_column);
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

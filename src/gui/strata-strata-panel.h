/* strata-strata-panel.h: the sidebar of strata toggles. It reads the roles of a
 * cohort's columns (endpoints, disease site, marrow blasts, responses, other
 * categories) and turns the user's choices into StrataSpecs: the toggles become
 * filters (strata-report's --where), "compare by" becomes the grouping (--by). */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include "strata-cohort.h"
#include "strata-column-roles.h"
#include "strata-spec.h"

G_BEGIN_DECLS

#define STRATA_TYPE_STRATA_PANEL (strata_strata_panel_get_type ())
G_DECLARE_FINAL_TYPE (StrataStrataPanel, strata_strata_panel, STRATA, STRATA_PANEL, AdwBin)

/* The groupings "compare by" offers; a categorical column is "column:NAME". */
#define STRATA_COMPARE_BY_SITE "site"
#define STRATA_COMPARE_BY_BURDEN "burden"
#define STRATA_COMPARE_BY_SITE_BURDEN "site-burden"
#define STRATA_COMPARE_BY_NONE "none"

StrataStrataPanel *strata_strata_panel_new (void);

/* Rebuilds the panel for COHORT (NULL: empty): endpoints, site levels, burden and
 * compare-by choices, with the column roles guessed from the names (see
 * strata_column_roles_guess()). Emits ::changed once. */
void strata_strata_panel_set_cohort (StrataStrataPanel *self, StrataCohort *cohort);
/* The same with ROLES as mapped in the import assistant (copied): the main endpoint
 * (with its event values) first, the site toggles by class (BM, EMD, CNS: each
 * stands for the levels ROLES maps to it), the blasts column and threshold, the
 * response tables, and a group of level toggles per stratum. */
void strata_strata_panel_set_cohort_with_roles (StrataStrataPanel *self, StrataCohort *cohort,
                                                const StrataColumnRoles *roles);
/* The roles in use, with the strata added since ("Add Stratum"). */
const StrataColumnRoles *strata_strata_panel_get_roles (StrataStrataPanel *self);

/* Binds the persistent choices (CI type and level, burden threshold, bands, risk
 * table, KMunicate, landmark times) to SETTINGS. */
void strata_strata_panel_bind_settings (StrataStrataPanel *self, GSettings *settings);

/* The analyses the current choices ask for, StrataSpec* (free func set): index 0 the
 * survival analysis (with the response tables of the same patients); index 1, when
 * present, the MRD table restricted to patients with detectable marrow disease.
 * NULL with ERROR set when the choices leave no patient (every site unticked...). */
GPtrArray *strata_strata_panel_build_specs (StrataStrataPanel *self, GError **error);

/* Ticks or unticks the disease-site level LEVEL; FALSE when there is no such level. */
gboolean strata_strata_panel_set_site_active (StrataStrataPanel *self, const char *level,
                                              gboolean active);
gboolean strata_strata_panel_get_site_active (StrataStrataPanel *self, const char *level);
/* Ticks or unticks the high (HIGH = TRUE) or low marrow burden. */
void strata_strata_panel_set_burden_active (StrataStrataPanel *self, gboolean high,
                                            gboolean active);
/* Selects a "compare by" choice (see STRATA_COMPARE_BY_*); FALSE when not offered. */
gboolean strata_strata_panel_set_compare_by (StrataStrataPanel *self, const char *id);
const char *strata_strata_panel_get_compare_by (StrataStrataPanel *self);
/* Selects the endpoint whose time column is TIME_COLUMN; FALSE when not offered. */
gboolean strata_strata_panel_set_endpoint (StrataStrataPanel *self, const char *time_column);

gboolean strata_strata_panel_get_show_ci (StrataStrataPanel *self);
gboolean strata_strata_panel_get_show_risk_table (StrataStrataPanel *self);
/* The KMunicate switch ("kmunicate" property, setting "kmunicate"): at risk, events and
 * censored under the plot instead of the numbers at risk alone. */
gboolean strata_strata_panel_get_kmunicate (StrataStrataPanel *self);
/* The name of the selected endpoint ("Overall survival") and its time unit ("months",
 * or NULL when the column name does not say). */
const char *strata_strata_panel_get_endpoint_label (StrataStrataPanel *self);
const char *strata_strata_panel_get_time_unit (StrataStrataPanel *self);

/* "Other Strata": adds COLUMN's levels as tick boxes (all ticked), feeding a
 * COLUMN=LEVELS filter when some are unticked (actions panel.add-stratum "s",
 * panel.remove-stratum "s", panel.toggle-level "(ss)"). FALSE when COLUMN cannot be
 * added (absent, already there, an identifier with too many levels, a role's column). */
gboolean strata_strata_panel_add_stratum (StrataStrataPanel *self, const char *column);
gboolean strata_strata_panel_remove_stratum (StrataStrataPanel *self, const char *column);
gboolean strata_strata_panel_set_level_active (StrataStrataPanel *self, const char *column,
                                               const char *level, gboolean active);
gboolean strata_strata_panel_get_level_active (StrataStrataPanel *self, const char *column,
                                               const char *level);

/* Every choice of the panel as a JSON object (endpoint, compare by, unticked sites and
 * levels, burden, strata, CI type and level, bands, risk table, landmarks), for .strata
 * files; and back. Restoring emits ::changed once; it returns FALSE when a choice named
 * in STATE is not offered for this cohort (the rest is restored). */
JsonObject *strata_strata_panel_save_state (StrataStrataPanel *self);
gboolean strata_strata_panel_restore_state (StrataStrataPanel *self, JsonObject *state);

G_END_DECLS

/* strata-patient-view.h: the patient table. Every record of the cohort file, one row
 * each, with its line, whether the current choices of the strata panel include it (and
 * if not, which filter leaves it out, or why import excluded it), its group and the
 * mapped columns. Sortable by any column; rows are made only when they scroll into
 * view, so a cohort of a million patients costs one byte-sized pass per change. */
#pragma once

#include <adwaita.h>
#include "strata-analysis.h"
#include "strata-column-roles.h"

G_BEGIN_DECLS

#define STRATA_TYPE_PATIENT_VIEW (strata_patient_view_get_type ())
G_DECLARE_FINAL_TYPE (StrataPatientView, strata_patient_view, STRATA, PATIENT_VIEW, AdwBin)

GtkWidget *strata_patient_view_new (void);

/* Shows the records of COHORT as SPEC treats them, SPEC being the request whose
 * survival analysis is RESULT; ROLES names the mapped columns (BURDEN: the blasts
 * column, for group names). Copies SPEC and ROLES. NULL COHORT empties the table. The
 * rows are worked out when the view is shown (or asked below), not before. */
void strata_patient_view_set_analysis (StrataPatientView *self, StrataCohort *cohort,
                                       const StrataSpec *spec, StrataResult *result,
                                       const StrataColumnRoles *roles);

/* The records shown (table rows and records rejected at import), and how many of them
 * are included, not in the current selection (a filter or a missing group value
 * leaves them out) and excluded at import (unreadable, or no usable time or event). */
guint strata_patient_view_get_n_rows (StrataPatientView *self);
guint strata_patient_view_get_n_included (StrataPatientView *self);
guint strata_patient_view_get_n_not_selected (StrataPatientView *self);
guint strata_patient_view_get_n_excluded (StrataPatientView *self);

/* The column view and its column ID: "line", "status", "reason", "group", "time",
 * "event", or the name of another mapped column of the file; NULL when absent. */
GtkColumnView *strata_patient_view_get_column_view (StrataPatientView *self);
GtkColumnViewColumn *strata_patient_view_get_column (StrataPatientView *self, const char *id);
/* The text shown in column ID at POSITION of the current order; NULL outside. */
char *strata_patient_view_dup_cell (StrataPatientView *self, guint position, const char *id);

G_END_DECLS

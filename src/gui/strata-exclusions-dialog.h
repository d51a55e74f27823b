/* strata-exclusions-dialog.h: the rows of a cohort file left out of the analysis, each
 * with its line number, column and reason. Nothing is dropped without the user being
 * able to see it here. */
#pragma once

#include <adwaita.h>
#include "strata-result.h"

G_BEGIN_DECLS

#define STRATA_TYPE_EXCLUSIONS_DIALOG (strata_exclusions_dialog_get_type ())
G_DECLARE_FINAL_TYPE (StrataExclusionsDialog, strata_exclusions_dialog, STRATA,
                      EXCLUSIONS_DIALOG, AdwMessageDialog)

/* A dialog, transient for PARENT, listing RESULT->excluded. */
GtkWidget *strata_exclusions_dialog_new (GtkWindow *parent, StrataResult *result);

/* The list as plain text, one row per line ("line 12, os_months: reason"). */
char *strata_exclusions_dialog_format (const StrataResult *result);

G_END_DECLS

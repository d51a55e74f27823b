/* strata-window.h: the main window: strata panel on the left, the Kaplan–Meier view
 * and the result tables on the right. Every change of the panel builds StrataSpecs and
 * recomputes through the core in a worker; the newest request wins. */
#pragma once

#include <adwaita.h>
#include "strata-export-settings.h"
#include "strata-import-assistant.h"
#include "strata-km-view.h"
#include "strata-patient-view.h"
#include "strata-strata-panel.h"
#include "strata-summary-view.h"

G_BEGIN_DECLS

#define STRATA_TYPE_WINDOW (strata_window_get_type ())
G_DECLARE_FINAL_TYPE (StrataWindow, strata_window, STRATA, WINDOW, AdwApplicationWindow)

StrataWindow *strata_window_new (GtkApplication *application);

/* Imports FILE in a worker (progress bar, Cancel), then shows the import assistant
 * (preview, column roles, import report); its Analyse shows the cohort. A file ending
 * in .strata is a saved analysis: its cohort is imported without the assistant and its
 * view restored, with a word when the cohort file changed since it was saved. */
void strata_window_open_file (StrataWindow *self, GFile *file);
/* Opens the bundled synthetic demo cohort, labelled as such. */
void strata_window_open_demo (StrataWindow *self);

/* TRUE while an import or an analysis runs. StrataWindow:busy notifies changes. */
gboolean strata_window_get_busy (StrataWindow *self);
/* TRUE when the cohort shown is the bundled demo cohort. */
gboolean strata_window_get_is_demo (StrataWindow *self);
/* The survival result shown (NULL before the first one, or when nothing is left). */
StrataResult *strata_window_get_result (StrataWindow *self);
/* All results of the last analysis: [0] survival, [1] MRD among detectable disease. */
GPtrArray *strata_window_get_results (StrataWindow *self);

StrataStrataPanel *strata_window_get_panel (StrataWindow *self);
StrataKmView *strata_window_get_km_view (StrataWindow *self);
StrataSummaryView *strata_window_get_summary_view (StrataWindow *self);
/* The patient table, and the tables shown under the plot: "tables" (survival summary
 * and responses) or "patients" (action win.show-tables "s"). */
StrataPatientView *strata_window_get_patient_view (StrataWindow *self);
const char *strata_window_get_tables_page (StrataWindow *self);
/* The response tables shown (StrataResponseView widgets), in order. */
GList *strata_window_get_response_views (StrataWindow *self);
/* The name of the visible page: "loading", "status" or "results". */
const char *strata_window_get_page (StrataWindow *self);

/* The import assistant waiting for the user (NULL when none is open). */
StrataImportAssistant *strata_window_get_import_assistant (StrataWindow *self);
/* The file of the cohort shown and the SHA-256 of the bytes imported from it. */
GFile *strata_window_get_file (StrataWindow *self);
const char *strata_window_get_source_sha256 (StrataWindow *self);
/* The figure choices of the export dialog, "Copy Figure" and the workbook. */
StrataExportSettings *strata_window_get_export_settings (StrataWindow *self);
/* The text of the last toast or error dialog shown (NULL: none yet). */
const char *strata_window_get_last_message (StrataWindow *self);

/* Actions (besides win.open, win.open-demo, win.cancel-import, win.show-excluded):
 * win.export-figure (the export dialog), win.copy-figure (PNG to the clipboard),
 * win.export-workbook and win.save-analysis (a save dialog first), and, skipping the
 * save dialog, win.export-workbook-to "s" and win.save-analysis-to "s" (a path). The
 * exports run in workers and count as busy. */

G_END_DECLS

/* strata-export-dialog.h: "Export Figure": a live preview of the Kaplan–Meier figure
 * drawn by the shared renderer at the chosen physical size, the format (PNG, TIFF,
 * PDF, SVG, EPS), a journal column width or a custom size, the resolution (raster
 * only), the font and the palette; then a native save dialog (which asks before
 * replacing a file) and the export in a worker thread. */
#pragma once

#include <adwaita.h>
#include "strata-export-settings.h"

G_BEGIN_DECLS

#define STRATA_TYPE_EXPORT_DIALOG (strata_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (StrataExportDialog, strata_export_dialog, STRATA, EXPORT_DIALOG, AdwWindow)

/* A modal dialog over PARENT for RESULT's figure, starting from SETTINGS (copied; NULL:
 * the choices remembered in GSettings), drawing what VIEW_STYLE draws (copied; may be
 * NULL). The choices are written back to GSettings (the application's, or a new one for
 * the schema) when a figure is exported and when the dialog is closed; the save dialog
 * starts in, and remembers, the GSettings last-folder. SUGGESTED_NAME is the file name
 * the save dialog proposes, without extension ("cohort-km").
 * Signals: ::settings-changed when the user changes a choice (get them with
 * strata_export_dialog_get_settings()); ::exported (const char *path) after a file was
 * written, just before the dialog closes. A failure is shown over the dialog in plain
 * words (AdwMessageDialog) and the dialog stays open.
 * Actions: export.choose (the save dialog), export.save-to "s" (a path: writes there
 * without asking, as after the save dialog; the format follows the path's extension
 * when it names one), export.cancel. */
StrataExportDialog *strata_export_dialog_new (GtkWindow *parent, StrataResult *result,
                                              const StrataExportSettings *settings,
                                              const StrataPlotStyle *view_style,
                                              const char *suggested_name);

const StrataExportSettings *strata_export_dialog_get_settings (StrataExportDialog *self);
void strata_export_dialog_set_format (StrataExportDialog *self, StrataFigureFormat format);
void strata_export_dialog_set_size (StrataExportDialog *self, StrataFigureSize size);
void strata_export_dialog_set_custom_size (StrataExportDialog *self, double width_cm,
                                           double height_cm);
void strata_export_dialog_set_dpi (StrataExportDialog *self, double dpi);
void strata_export_dialog_set_palette (StrataExportDialog *self, StrataPalette palette);

/* The style the preview draws and the export writes (its width and height in points
 * are the physical size). */
const StrataPlotStyle *strata_export_dialog_get_style (StrataExportDialog *self);
/* The caption under the preview: "8.0 × 6.6 cm · 1890 × 1559 pixels at 600 dpi". */
const char *strata_export_dialog_get_caption (StrataExportDialog *self);
/* TRUE while an export runs. StrataExportDialog:busy notifies changes. */
gboolean strata_export_dialog_get_busy (StrataExportDialog *self);

G_END_DECLS

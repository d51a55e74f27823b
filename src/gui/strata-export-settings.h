/* strata-export-settings.h: how the user last asked for a figure (format, size preset
 * or custom size, resolution, font, palette), shared by the export dialog, "Copy
 * Figure", the workbook's embedded figure and .strata files (view.export). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include "strata-figure-export.h"
#include "strata-plot-style.h"
#include "strata-result.h"

G_BEGIN_DECLS

typedef enum {
  STRATA_FIGURE_SIZE_SINGLE,        /* 8.0 cm wide, height from the layout */
  STRATA_FIGURE_SIZE_ONE_AND_HALF,  /* 11.5 cm */
  STRATA_FIGURE_SIZE_DOUBLE,        /* 17.0 cm */
  STRATA_FIGURE_SIZE_CUSTOM,        /* width_cm x height_cm */
} StrataFigureSize;

#define STRATA_FIGURE_N_SIZES (STRATA_FIGURE_SIZE_CUSTOM + 1)

/* The fonts offered (a Pango family list each, the first a journal standard). */
#define STRATA_EXPORT_N_FONTS 4

typedef struct {
  StrataFigureFormat format;
  StrataFigureSize size;
  double width_cm, height_cm;   /* the custom size */
  double dpi;                   /* PNG and TIFF: 300, 600 or 1200 */
  guint font;                   /* index into the fonts offered */
  double font_size;             /* points */
  StrataPalette palette;
} StrataExportSettings;

/* Defaults: PDF, single column, 600 dpi, Helvetica/Arial 9 pt, colour. */
void strata_export_settings_init (StrataExportSettings *settings);

/* The label of a size preset ("Single column, 8.0 cm"), of a font choice and its Pango
 * family list. */
const char *strata_figure_size_label (StrataFigureSize size);
const char *strata_export_font_label (guint font);
const char *strata_export_font_family (guint font);

/* A style for RESULT's figure with SETTINGS, taking what is drawn (bands, risk table,
 * KMunicate, median lines, percent axis, axis labels) from VIEW_STYLE (the on-screen
 * view's, may be NULL); light, on white. Its size is the preset's width with the
 * height from the layout, or the custom size. Free with strata_plot_style_free(). */
StrataPlotStyle *strata_export_settings_make_style (const StrataExportSettings *settings,
                                                    const StrataResult *result,
                                                    const StrataPlotStyle *view_style);

/* The choices the user made last, in GSettings (figure-format, figure-size,
 * figure-width-cm, figure-height-cm, figure-dpi, figure-font, figure-font-size,
 * palette): load reads them over SETTINGS, save writes SETTINGS (clamped to the keys'
 * ranges). GSETTINGS has the io.github.stratareview.Strata schema. */
void strata_export_settings_load (StrataExportSettings *settings, GSettings *gsettings);
void strata_export_settings_save (const StrataExportSettings *settings, GSettings *gsettings);

JsonObject *strata_export_settings_to_json (const StrataExportSettings *settings);
/* Reads what OBJECT holds over SETTINGS (unknown or invalid members are skipped). */
void strata_export_settings_from_json (StrataExportSettings *settings, JsonObject *object);

G_END_DECLS

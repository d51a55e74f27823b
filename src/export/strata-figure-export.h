/* strata-figure-export.h: the Kaplan–Meier figure as a file for a manuscript, drawn by
 * the shared renderer (strata_km_plot_draw) at an exact physical size: PDF, SVG and EPS
 * as vector graphics with the fonts embedded (PDF, EPS) or outlined (SVG); PNG and TIFF
 * as opaque RGB images (no alpha; TIFF with LZW) with the resolution recorded in the
 * file. Every file is written atomically (see strata-atomic-file.h). */
#pragma once

#include <glib.h>
#include "strata-plot-style.h"
#include "strata-result.h"

G_BEGIN_DECLS

#define STRATA_FIGURE_EXPORT_ERROR (strata_figure_export_error_quark ())
GQuark strata_figure_export_error_quark (void);

typedef enum {
  STRATA_FIGURE_EXPORT_ERROR_UNSUPPORTED_FORMAT,  /* an extension or format Strata cannot write */
  STRATA_FIGURE_EXPORT_ERROR_INVALID_SIZE,        /* size or resolution out of range */
  STRATA_FIGURE_EXPORT_ERROR_RENDER,              /* cairo, libpng or libtiff failed */
} StrataFigureExportError;

typedef enum {
  STRATA_FIGURE_PNG,
  STRATA_FIGURE_PDF,
  STRATA_FIGURE_SVG,
  STRATA_FIGURE_EPS,
  STRATA_FIGURE_TIFF,
} StrataFigureFormat;

#define STRATA_FIGURE_N_FORMATS (STRATA_FIGURE_TIFF + 1)

/* Journal column widths (Blood, Cell Press, Elsevier, Nature differ by a few mm). */
typedef enum {
  STRATA_JOURNAL_SINGLE,         /* one column: 8.0 cm */
  STRATA_JOURNAL_ONE_AND_HALF,   /* 1.5 columns: 11.5 cm */
  STRATA_JOURNAL_DOUBLE,         /* full page width: 17.0 cm */
} StrataJournalWidth;

/* Resolutions journals ask for: line art 1200 dpi, combination 600, halftone 300. */
#define STRATA_FIGURE_DPI_MIN 72.0
#define STRATA_FIGURE_DPI_MAX 2400.0
/* Widest or tallest raster image, in pixels (cairo's limit is 32767). */
#define STRATA_FIGURE_MAX_PIXELS 30000
/* Largest figure side in centimetres (a poster panel). */
#define STRATA_FIGURE_MAX_CM 100.0

/* ---- formats ---------------------------------------------------------------------- */

/* Sets FORMAT from the extension of PATH, in any case: .png, .pdf, .svg, .eps, .tif or
 * .tiff. Returns FALSE (FORMAT untouched) for any other extension or none. */
gboolean strata_figure_format_from_path (const char *path, StrataFigureFormat *format);

/* The usual extension without the dot ("png", "tif", ...), for file-chooser filters and
 * default names. Static string. */
const char *strata_figure_format_extension (StrataFigureFormat format);

/* The MIME type ("image/png", "application/pdf", "image/svg+xml",
 * "application/postscript", "image/tiff"). Static string. */
const char *strata_figure_format_mime_type (StrataFigureFormat format);

/* TRUE for the pixel formats (PNG, TIFF), for which the resolution matters. */
gboolean strata_figure_format_is_raster (StrataFigureFormat format);

/* ---- sizes ------------------------------------------------------------------------ */

/* CM centimetres in points (1 pt = 1/72 inch): cm / 2.54 * 72. */
double strata_figure_points_from_cm (double cm);

/* The width of WIDTH in centimetres. */
double strata_journal_width_cm (StrataJournalWidth width);

/* The pixels that LENGTH_PT points take at DPI dots per inch, rounded to the nearest. */
int strata_figure_pixels (double length_pt, double dpi);

/* Sets STYLE's size to WIDTH_CM x HEIGHT_CM. */
void strata_figure_set_size_cm (StrataPlotStyle *style, double width_cm, double height_cm);

/* Sets STYLE's width to WIDTH_CM and its height so that the data panel of RESULT's
 * figure is 0.7 times as high as it is wide, whatever the title, legend and risk table
 * (measured with the renderer's layout) take above and below it. The font size is not
 * changed: the style's default of 9 pt (8.1 pt ticks and table) suits every width. */
void strata_figure_set_width_cm (StrataPlotStyle *style, const StrataResult *result,
                                 double width_cm);

/* strata_figure_set_width_cm() with a journal column width. */
void strata_figure_set_journal_width (StrataPlotStyle *style, const StrataResult *result,
                                      StrataJournalWidth width);

/* ---- export ----------------------------------------------------------------------- */

/* Draws RESULT's figure with STYLE (its width and height, in points, are the physical
 * size) into the file PATH as FORMAT, replacing any file there atomically.
 * DPI is the resolution of PNG and TIFF (pixels = points / 72 * DPI; written in the
 * PNG pHYs chunk and the TIFF XResolution/YResolution tags) and, for EPS, that of the
 * images cairo substitutes for the translucent confidence bands (PostScript has no
 * transparency); PDF and SVG ignore it. PNG and TIFF are 8-bit RGB on an opaque
 * background (white when STYLE paints none); EPS also gets a white page so that its
 * %%BoundingBox is the figure's size.
 * Returns FALSE with ERROR set, in plain words naming PATH, when the format, size or
 * resolution is not supported (nothing is written) or the file cannot be written (PATH
 * keeps its old content, and no temporary file is left). Never prints. May run in a
 * worker thread (GTask): it shares nothing but RESULT and STYLE, which it only reads. */
gboolean strata_figure_export (const StrataResult *result, const StrataPlotStyle *style,
                               const char *path, StrataFigureFormat format, double dpi,
                               GError **error);

/* strata_figure_export() in the format of PATH's extension; FALSE with
 * STRATA_FIGURE_EXPORT_ERROR_UNSUPPORTED_FORMAT for an extension not listed at
 * strata_figure_format_from_path(). */
gboolean strata_figure_export_by_extension (const StrataResult *result,
                                            const StrataPlotStyle *style, const char *path,
                                            double dpi, GError **error);

/* RESULT's figure as the bytes of a PNG file, exactly as strata_figure_export() would
 * write it at DPI (RGB, pHYs), for the workbook's embedded image
 * (StrataXlsxOptions.figure_png) and "Copy figure" (gdk_texture_new_from_bytes).
 * Returns NULL with ERROR set (STRATA_FIGURE_EXPORT_ERROR_INVALID_SIZE, or _RENDER)
 * when the size or resolution is out of range. Free with g_bytes_unref(). */
GBytes *strata_figure_render_png (const StrataResult *result, const StrataPlotStyle *style,
                                  double dpi, GError **error);

G_END_DECLS

/* strata-figure-export.c: figure files. Vector formats are cairo's PDF, SVG and PS
 * surfaces at the style's size in points. Raster formats are drawn in horizontal strips
 * on an RGB24 image surface (so a 17 cm figure at 1200 dpi needs 16 MB, not 200) and
 * handed row by row, as 8-bit RGB, to libpng or libtiff, which record the resolution.
 * Every file goes through strata_atomic_file_replace(). */
#include "config.h"

#include "strata-figure-export.h"

#include <cairo-pdf.h>
#include <cairo-ps.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>

#include "strata-atomic-file.h"
#include "strata-km-plot.h"

#define SOFTWARE "Strata " PACKAGE_VERSION
#define CM_PER_INCH 2.54
#define POINTS_PER_INCH 72.0
#define METRES_PER_INCH 0.0254

/* The data panel's height over its width in strata_figure_set_width_cm(). */
#define PANEL_ASPECT 0.7
/* A figure height at which any legend and risk table leave room for the panel. */
#define PROBE_HEIGHT 10000.0
/* Pixels of one strip of a raster image, at most (4 bytes each). */
#define STRIP_PIXELS (4 * 1024 * 1024)
/* Uncompressed bytes of one TIFF strip: larger strips compress better with LZW than
 * libtiff's default of 8 kB, and readers still load them piecewise. */
#define TIFF_STRIP_BYTES (256 * 1024)
/* EPS fallback images when the caller's resolution is unusable. */
#define EPS_DEFAULT_DPI 600.0

G_DEFINE_QUARK (strata-figure-export-error-quark, strata_figure_export_error)

/* What a writer draws: the arguments of strata_figure_export(). */
typedef struct {
  const StrataResult *result;
  const StrataPlotStyle *style;
  StrataFigureFormat format;
  double dpi;
} Job;

typedef struct {
  const char *extension;
  const char *mime_type;
  gboolean raster;
  StrataAtomicWriteFunc write;
} FormatInfo;

static gboolean write_png (const char *temp_path, gpointer data, GError **error);
static gboolean write_tiff (const char *temp_path, gpointer data, GError **error);
static gboolean write_vector (const char *temp_path, gpointer data, GError **error);

static const FormatInfo formats[STRATA_FIGURE_N_FORMATS] = {
  [STRATA_FIGURE_PNG] = { "png", "image/png", TRUE, write_png },
  [STRATA_FIGURE_PDF] = { "pdf", "application/pdf", FALSE, write_vector },
  [STRATA_FIGURE_SVG] = { "svg", "image/svg+xml", FALSE, write_vector },
  [STRATA_FIGURE_EPS] = { "eps", "application/postscript", FALSE, write_vector },
  [STRATA_FIGURE_TIFF] = { "tif", "image/tiff", TRUE, write_tiff },
};

static const double journal_widths_cm[] = {
  [STRATA_JOURNAL_SINGLE] = 8.0,
  [STRATA_JOURNAL_ONE_AND_HALF] = 11.5,
  [STRATA_JOURNAL_DOUBLE] = 17.0,
};

/* ---- formats ---------------------------------------------------------------------- */

static gboolean
format_is_valid (StrataFigureFormat format)
{
  return (guint) format < STRATA_FIGURE_N_FORMATS;
}

/* The extension of PATH's last component without the dot, or NULL. */
static const char *
path_extension (const char *path)
{
  const char *slash = strrchr (path, G_DIR_SEPARATOR);
  const char *base = slash != NULL ? slash + 1 : path;
  const char *dot = strrchr (base, '.');

  return dot != NULL && dot != base ? dot + 1 : NULL;
}

gboolean
strata_figure_format_from_path (const char *path, StrataFigureFormat *format)
{
  const char *extension;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  extension = path_extension (path);
  if (extension == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (extension, "tiff") == 0)
    extension = "tif";
  for (guint i = 0; i < STRATA_FIGURE_N_FORMATS; i++)
    if (g_ascii_strcasecmp (extension, formats[i].extension) == 0)
      {
        *format = (StrataFigureFormat) i;
        return TRUE;
      }
  return FALSE;
}

const char *
strata_figure_format_extension (StrataFigureFormat format)
{
  g_return_val_if_fail (format_is_valid (format), NULL);
  return formats[format].extension;
}

const char *
strata_figure_format_mime_type (StrataFigureFormat format)
{
  g_return_val_if_fail (format_is_valid (format), NULL);
  return formats[format].mime_type;
}

gboolean
strata_figure_format_is_raster (StrataFigureFormat format)
{
  g_return_val_if_fail (format_is_valid (format), FALSE);
  return formats[format].raster;
}

/* ---- sizes ------------------------------------------------------------------------ */

double
strata_figure_points_from_cm (double cm)
{
  return cm / CM_PER_INCH * POINTS_PER_INCH;
}

double
strata_journal_width_cm (StrataJournalWidth width)
{
  g_return_val_if_fail ((guint) width < G_N_ELEMENTS (journal_widths_cm), 8.0);
  return journal_widths_cm[width];
}

int
strata_figure_pixels (double length_pt, double dpi)
{
  return (int) lround (length_pt / POINTS_PER_INCH * dpi);
}

void
strata_figure_set_size_cm (StrataPlotStyle *style, double width_cm, double height_cm)
{
  style->width = strata_figure_points_from_cm (width_cm);
  style->height = strata_figure_points_from_cm (height_cm);
}

/* The layout of RESULT's figure with STYLE, measured on a scratch surface. */
static void
measure_layout (const StrataResult *result, const StrataPlotStyle *style,
                StrataKmPlotLayout *layout)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 1);
  cairo_t *cr = cairo_create (surface);

  strata_km_plot_layout (cr, result, style, layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* The title, legend, axes and table take the same height at any figure height; the
 * panel takes the rest. */
void
strata_figure_set_width_cm (StrataPlotStyle *style, const StrataResult *result,
                            double width_cm)
{
  StrataKmPlotLayout layout;

  g_return_if_fail (style != NULL && result != NULL);

  style->width = strata_figure_points_from_cm (width_cm);
  style->height = PROBE_HEIGHT;
  measure_layout (result, style, &layout);
  style->height = PROBE_HEIGHT - layout.plot_height + PANEL_ASPECT * layout.plot_width;
}

void
strata_figure_set_journal_width (StrataPlotStyle *style, const StrataResult *result,
                                 StrataJournalWidth width)
{
  strata_figure_set_width_cm (style, result, strata_journal_width_cm (width));
}

/* ---- output file ------------------------------------------------------------------ */

/* Where encoded bytes go: a stdio file that remembers the errno of its first failed
 * write, or (strata_figure_render_png) a byte array in memory. */
typedef struct {
  FILE *fp;
  GByteArray *bytes;
  int errsv;
} Output;

static void
set_errno_error (GError **error, int errsv)
{
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errsv), g_strerror (errsv));
}

static gboolean
output_open (Output *out, const char *path, GError **error)
{
  *out = (Output) { .fp = fopen (path, "wb") };
  if (out->fp == NULL)
    {
      set_errno_error (error, errno);
      return FALSE;
    }
  return TRUE;
}

static gboolean
output_write (Output *out, const void *data, size_t length)
{
  if (out->errsv != 0)
    return FALSE;
  if (out->bytes != NULL)
    {
      g_byte_array_append (out->bytes, data, length);
      return TRUE;
    }
  if (fwrite (data, 1, length, out->fp) == length)
    return TRUE;
  out->errsv = errno != 0 ? errno : EIO;
  return FALSE;
}

/* Closes OUT; FALSE with ERROR set if a write or the final flush failed. A byte array
 * stays with the caller. */
static gboolean
output_close (Output *out, GError **error)
{
  int errsv = out->errsv;

  if (out->fp == NULL)
    return TRUE;
  if (fclose (out->fp) != 0 && errsv == 0)
    errsv = errno;
  out->fp = NULL;
  if (errsv == 0)
    return TRUE;
  set_errno_error (error, errsv);
  return FALSE;
}

/* Closes OUT after a failure of the encoder, whose message is MESSAGE: the error is
 * the file system's when a write failed, else the encoder's. Always FALSE. */
static gboolean
output_fail (Output *out, const char *what, const char *message, GError **error)
{
  if (!output_close (out, error))
    return FALSE;
  g_set_error (error, STRATA_FIGURE_EXPORT_ERROR, STRATA_FIGURE_EXPORT_ERROR_RENDER,
               "The %s could not be made (%s)", what, message);
  return FALSE;
}

/* ---- vector formats --------------------------------------------------------------- */

static cairo_status_t
stream_write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  return output_write (closure, data, length) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static double
eps_fallback_dpi (double dpi)
{
  if (isfinite (dpi) && dpi >= STRATA_FIGURE_DPI_MIN && dpi <= STRATA_FIGURE_DPI_MAX)
    return dpi;
  return EPS_DEFAULT_DPI;
}

/* PDF 1.4: transparency, no object streams (newer cairo packs the page dictionaries
 * into compressed streams from 1.5 on), readable by every prepress tool. */
static void
configure_pdf (cairo_surface_t *surface, const StrataPlotStyle *style)
{
  cairo_pdf_surface_restrict_to_version (surface, CAIRO_PDF_VERSION_1_4);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, SOFTWARE);
  if (style->title != NULL && *style->title != '\0')
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, style->title);
}

/* A cairo surface for JOB's vector format writing to OUT, at the style's size. */
static cairo_surface_t *
vector_surface_new (const Job *job, Output *out)
{
  double width = job->style->width, height = job->style->height;
  cairo_surface_t *surface;

  switch (job->format)
    {
    case STRATA_FIGURE_PDF:
      surface = cairo_pdf_surface_create_for_stream (stream_write_cb, out, width, height);
      configure_pdf (surface, job->style);
      return surface;
    case STRATA_FIGURE_SVG:
      surface = cairo_svg_surface_create_for_stream (stream_write_cb, out, width, height);
      cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PT);
      return surface;
    case STRATA_FIGURE_EPS:
      surface = cairo_ps_surface_create_for_stream (stream_write_cb, out, width, height);
      cairo_ps_surface_set_eps (surface, TRUE);
      cairo_surface_set_fallback_resolution (surface, eps_fallback_dpi (job->dpi),
                                             eps_fallback_dpi (job->dpi));
      return surface;
    case STRATA_FIGURE_PNG:
    case STRATA_FIGURE_TIFF:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Paints the page white (EPS, so that the bounding box is the page) and draws; EPS with
 * opaque bands, so that the whole figure stays vector. */
static cairo_status_t
draw_vector (const Job *job, cairo_surface_t *surface)
{
  cairo_t *cr = cairo_create (surface);
  g_autoptr (StrataPlotStyle) opaque = NULL;
  cairo_status_t status;

  if (job->format == STRATA_FIGURE_EPS)
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      /* PostScript has no alpha: cairo would turn translucent bands into bitmaps. */
      opaque = strata_plot_style_copy (job->style);
      opaque->opaque_bands = TRUE;
    }
  strata_km_plot_draw (cr, job->result, opaque != NULL ? opaque : job->style);
  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  return status;
}

static gboolean
write_vector (const char *temp_path, gpointer data, GError **error)
{
  const Job *job = data;
  Output out;
  cairo_surface_t *surface;
  cairo_status_t status;

  if (!output_open (&out, temp_path, error))
    return FALSE;
  surface = vector_surface_new (job, &out);
  status = draw_vector (job, surface);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status == CAIRO_STATUS_SUCCESS || out.errsv != 0)
    return output_close (&out, error);
  return output_fail (&out, "figure", cairo_status_to_string (status), error);
}

/* ---- raster rendering ------------------------------------------------------------- */

/* Receives the next row of WIDTH x 3 bytes (R, G, B), top to bottom. */
typedef gboolean (*RowSinkFunc) (gpointer sink, guint8 *rgb, GError **error);

/* Draws rows Y0 .. Y0 + height - 1 of JOB's image into STRIP: white, then the figure. */
static cairo_status_t
draw_strip (const Job *job, cairo_surface_t *strip, int y0)
{
  cairo_t *cr = cairo_create (strip);
  double scale = job->dpi / POINTS_PER_INCH;
  cairo_status_t status;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, 0, -y0);
  cairo_scale (cr, scale, scale);
  strata_km_plot_draw (cr, job->result, job->style);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_flush (strip);
  return status;
}

/* An RGB24 pixel row (0x00RRGGBB in native byte order) as R, G, B bytes. */
static void
row_to_rgb (const guint8 *row, int width, guint8 *rgb)
{
  const guint32 *pixels = (const guint32 *) row;

  for (int x = 0; x < width; x++, rgb += 3)
    {
      rgb[0] = (pixels[x] >> 16) & 0xff;
      rgb[1] = (pixels[x] >> 8) & 0xff;
      rgb[2] = pixels[x] & 0xff;
    }
}

/* Hands the rows of STRIP (ROWS of them) to SINK. */
static gboolean
emit_strip (cairo_surface_t *strip, int rows, guint8 *rgb, RowSinkFunc sink,
            gpointer sink_data, GError **error)
{
  const guint8 *data = cairo_image_surface_get_data (strip);
  int stride = cairo_image_surface_get_stride (strip);
  int width = cairo_image_surface_get_width (strip);

  for (int y = 0; y < rows; y++)
    {
      row_to_rgb (data + (gsize) y * stride, width, rgb);
      if (!sink (sink_data, rgb, error))
        return FALSE;
    }
  return TRUE;
}

/* Draws JOB's WIDTH x HEIGHT pixel image strip by strip and hands every row to SINK. */
static gboolean
render_rows (const Job *job, int width, int height, RowSinkFunc sink, gpointer sink_data,
             GError **error)
{
  int strip_rows = CLAMP (STRIP_PIXELS / width, 1, height);
  cairo_surface_t *strip = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, strip_rows);
  g_autofree guint8 *rgb = g_malloc ((gsize) width * 3);
  gboolean ok = TRUE;

  for (int y0 = 0; ok && y0 < height; y0 += strip_rows)
    {
      cairo_status_t status = draw_strip (job, strip, y0);
      if (status != CAIRO_STATUS_SUCCESS)
        {
          g_set_error (error, STRATA_FIGURE_EXPORT_ERROR, STRATA_FIGURE_EXPORT_ERROR_RENDER,
                       "The figure could not be drawn (%s)", cairo_status_to_string (status));
          ok = FALSE;
        }
      else
        ok = emit_strip (strip, MIN (strip_rows, height - y0), rgb, sink, sink_data, error);
    }
  cairo_surface_destroy (strip);
  return ok;
}

/* ---- PNG -------------------------------------------------------------------------- */

typedef struct {
  png_structp png;
  png_infop info;
  Output out;
  char message[256];
} PngWriter;

static void
png_error_cb (png_structp png, png_const_charp message)
{
  PngWriter *writer = png_get_error_ptr (png);

  g_strlcpy (writer->message, message, sizeof writer->message);
  png_longjmp (png, 1);
}

static void
png_warning_cb (G_GNUC_UNUSED png_structp png, G_GNUC_UNUSED png_const_charp message)
{
}

static void
png_write_cb (png_structp png, png_bytep data, size_t length)
{
  PngWriter *writer = png_get_io_ptr (png);

  if (!output_write (&writer->out, data, length))
    png_error (png, "write failed");
}

static void
png_flush_cb (G_GNUC_UNUSED png_structp png)
{
}

/* The header: 8-bit RGB without alpha, sRGB, pHYs in pixels per metre, Software. */
static gboolean
png_begin (PngWriter *writer, int width, int height, double dpi)
{
  png_uint_32 per_metre = (png_uint_32) lround (dpi / METRES_PER_INCH);
  png_text text = { .compression = PNG_TEXT_COMPRESSION_NONE,
                    .key = (char *) "Software", .text = (char *) SOFTWARE };

  if (setjmp (png_jmpbuf (writer->png)))
    return FALSE;
  png_set_write_fn (writer->png, writer, png_write_cb, png_flush_cb);
  png_set_IHDR (writer->png, writer->info, width, height, 8, PNG_COLOR_TYPE_RGB,
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_set_pHYs (writer->png, writer->info, per_metre, per_metre, PNG_RESOLUTION_METER);
  png_set_sRGB_gAMA_and_cHRM (writer->png, writer->info, PNG_sRGB_INTENT_PERCEPTUAL);
  png_set_text (writer->png, writer->info, &text, 1);
  png_write_info (writer->png, writer->info);
  return TRUE;
}

static gboolean
png_row_cb (gpointer sink, guint8 *rgb, GError **error)
{
  PngWriter *writer = sink;

  if (setjmp (png_jmpbuf (writer->png)))
    return output_fail (&writer->out, "PNG image", writer->message, error);
  png_write_row (writer->png, rgb);
  return TRUE;
}

static gboolean
png_end (PngWriter *writer)
{
  if (setjmp (png_jmpbuf (writer->png)))
    return FALSE;
  png_write_end (writer->png, writer->info);
  return TRUE;
}

static gboolean
png_encode (PngWriter *writer, const Job *job, GError **error)
{
  int width = strata_figure_pixels (job->style->width, job->dpi);
  int height = strata_figure_pixels (job->style->height, job->dpi);

  writer->png = png_create_write_struct (PNG_LIBPNG_VER_STRING, writer, png_error_cb,
                                         png_warning_cb);
  writer->info = writer->png != NULL ? png_create_info_struct (writer->png) : NULL;
  if (writer->info == NULL)
    return output_fail (&writer->out, "PNG image", "out of memory", error);
  if (!png_begin (writer, width, height, job->dpi))
    return output_fail (&writer->out, "PNG image", writer->message, error);
  if (!render_rows (job, width, height, png_row_cb, writer, error))
    return FALSE;
  if (!png_end (writer))
    return output_fail (&writer->out, "PNG image", writer->message, error);
  return output_close (&writer->out, error);
}

static gboolean
write_png (const char *temp_path, gpointer data, GError **error)
{
  PngWriter writer = { 0 };
  gboolean ok;

  if (!output_open (&writer.out, temp_path, error))
    return FALSE;
  ok = png_encode (&writer, data, error);
  if (writer.out.fp != NULL)
    fclose (writer.out.fp);
  png_destroy_write_struct (&writer.png, &writer.info);
  return ok;
}

/* ---- TIFF ------------------------------------------------------------------------- */

/* libtiff writes through the procedures below, on a file descriptor of ours, so that a
 * failed write is known with its errno and libtiff's messages go to WRITER, not stderr. */
typedef struct {
  TIFF *tif;
  int fd;
  guint32 row;
  int errsv;           /* errno of the first failed write */
  char message[256];   /* libtiff's first error message */
} TiffWriter;

static int
tiff_error_cb (G_GNUC_UNUSED TIFF *tif, void *user_data, G_GNUC_UNUSED const char *module,
               const char *format, va_list args)
{
  TiffWriter *writer = user_data;

  if (writer->message[0] == '\0')
    g_vsnprintf (writer->message, sizeof writer->message, format, args);
  return 1;   /* handled: libtiff's default handler, which prints, is not called */
}

static int
tiff_warning_cb (G_GNUC_UNUSED TIFF *tif, G_GNUC_UNUSED void *user_data,
                 G_GNUC_UNUSED const char *module, G_GNUC_UNUSED const char *format,
                 G_GNUC_UNUSED va_list args)
{
  return 1;
}

static tmsize_t
tiff_read_proc (thandle_t handle, void *buffer, tmsize_t size)
{
  TiffWriter *writer = handle;

  return read (writer->fd, buffer, (size_t) size);
}

static tmsize_t
tiff_write_proc (thandle_t handle, void *buffer, tmsize_t size)
{
  TiffWriter *writer = handle;
  const char *bytes = buffer;

  for (tmsize_t done = 0; done < size;)
    {
      ssize_t n = write (writer->fd, bytes + done, (size_t) (size - done));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (writer->errsv == 0)
            writer->errsv = n < 0 ? errno : ENOSPC;
          return -1;
        }
      done += n;
    }
  return size;
}

static toff_t
tiff_seek_proc (thandle_t handle, toff_t offset, int whence)
{
  TiffWriter *writer = handle;

  return (toff_t) lseek (writer->fd, (off_t) offset, whence);
}

/* The descriptor is closed by write_tiff(), which checks the result. */
static int
tiff_close_proc (G_GNUC_UNUSED thandle_t handle)
{
  return 0;
}

static toff_t
tiff_size_proc (thandle_t handle)
{
  TiffWriter *writer = handle;
  struct stat st;

  return fstat (writer->fd, &st) == 0 ? (toff_t) st.st_size : 0;
}

static int
tiff_map_proc (G_GNUC_UNUSED thandle_t handle, G_GNUC_UNUSED void **base,
               G_GNUC_UNUSED toff_t *size)
{
  return 0;
}

static void
tiff_unmap_proc (G_GNUC_UNUSED thandle_t handle, G_GNUC_UNUSED void *base,
                 G_GNUC_UNUSED toff_t size)
{
}

/* The error of WRITER's first failure: the system's (disk full) or libtiff's. */
static gboolean
tiff_fail (TiffWriter *writer, GError **error)
{
  if (writer->errsv != 0)
    set_errno_error (error, writer->errsv);
  else
    g_set_error (error, STRATA_FIGURE_EXPORT_ERROR, STRATA_FIGURE_EXPORT_ERROR_RENDER,
                 "The TIFF image could not be made (%s)",
                 writer->message[0] != '\0' ? writer->message : "unknown error");
  return FALSE;
}

static TIFF *
tiff_open (TiffWriter *writer)
{
  TIFFOpenOptions *options = TIFFOpenOptionsAlloc ();
  TIFF *tif;

  TIFFOpenOptionsSetErrorHandlerExtR (options, tiff_error_cb, writer);
  TIFFOpenOptionsSetWarningHandlerExtR (options, tiff_warning_cb, writer);
  tif = TIFFClientOpenExt ("figure", "wm", writer, tiff_read_proc, tiff_write_proc,
                           tiff_seek_proc, tiff_close_proc, tiff_size_proc, tiff_map_proc,
                           tiff_unmap_proc, options);
  TIFFOpenOptionsFree (options);
  return tif;
}

/* Baseline RGB, 8 bits, no alpha, LZW, resolution in dots per inch. */
static gboolean
tiff_set_fields (TIFF *tif, int width, int height, double dpi)
{
  guint32 rows_per_strip = MAX (1, TIFF_STRIP_BYTES / (3 * width));

  return TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, (guint32) width)
         && TIFFSetField (tif, TIFFTAG_IMAGELENGTH, (guint32) height)
         && TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, 8)
         && TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, 3)
         && TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB)
         && TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG)
         && TIFFSetField (tif, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT)
         && TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW)
         && TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, rows_per_strip)
         && TIFFSetField (tif, TIFFTAG_XRESOLUTION, dpi)
         && TIFFSetField (tif, TIFFTAG_YRESOLUTION, dpi)
         && TIFFSetField (tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH)
         && TIFFSetField (tif, TIFFTAG_SOFTWARE, SOFTWARE);
}

static gboolean
tiff_row_cb (gpointer sink, guint8 *rgb, GError **error)
{
  TiffWriter *writer = sink;

  if (TIFFWriteScanline (writer->tif, rgb, writer->row++, 0) < 0)
    return tiff_fail (writer, error);
  return TRUE;
}

static gboolean
tiff_encode (TiffWriter *writer, const Job *job, GError **error)
{
  int width = strata_figure_pixels (job->style->width, job->dpi);
  int height = strata_figure_pixels (job->style->height, job->dpi);

  writer->tif = tiff_open (writer);
  if (writer->tif == NULL)
    return tiff_fail (writer, error);
  if (!tiff_set_fields (writer->tif, width, height, job->dpi))
    return tiff_fail (writer, error);
  if (!render_rows (job, width, height, tiff_row_cb, writer, error))
    return FALSE;
  if (!TIFFFlush (writer->tif))
    return tiff_fail (writer, error);
  return TRUE;
}

static gboolean
write_tiff (const char *temp_path, gpointer data, GError **error)
{
  TiffWriter writer = { .fd = g_open (temp_path, O_RDWR | O_TRUNC | O_CLOEXEC, 0) };
  gboolean ok;

  if (writer.fd < 0)
    {
      set_errno_error (error, errno);
      return FALSE;
    }
  ok = tiff_encode (&writer, data, error);
  g_clear_pointer (&writer.tif, TIFFClose);
  if (close (writer.fd) != 0 && ok)
    {
      set_errno_error (error, errno);
      ok = FALSE;
    }
  return ok;
}

/* ---- export ----------------------------------------------------------------------- */

static void
set_unsupported_error (GError **error, const char *path)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, STRATA_FIGURE_EXPORT_ERROR, STRATA_FIGURE_EXPORT_ERROR_UNSUPPORTED_FORMAT,
               "Could not save “%s”: Strata saves figures as PNG, TIFF, PDF, SVG or EPS; "
               "end the name with .png, .tif, .pdf, .svg or .eps", name);
}

static gboolean
size_is_valid (double points)
{
  return isfinite (points) && points > 0
         && points <= strata_figure_points_from_cm (STRATA_FIGURE_MAX_CM);
}

/* What is wrong with JOB's physical size or, for PNG and TIFF, its resolution and pixel
 * count, in words; NULL when nothing is. */
static char *
size_problem (const Job *job)
{
  gboolean raster = formats[job->format].raster;

  if (!size_is_valid (job->style->width) || !size_is_valid (job->style->height))
    return g_strdup_printf ("The size must be between 0 and %.0f cm on each side",
                            STRATA_FIGURE_MAX_CM);
  if (raster && !(job->dpi >= STRATA_FIGURE_DPI_MIN && job->dpi <= STRATA_FIGURE_DPI_MAX))
    return g_strdup_printf ("The resolution must be between %.0f and %.0f dpi",
                            STRATA_FIGURE_DPI_MIN, STRATA_FIGURE_DPI_MAX);
  if (raster && MAX (strata_figure_pixels (job->style->width, job->dpi),
                     strata_figure_pixels (job->style->height, job->dpi))
                > STRATA_FIGURE_MAX_PIXELS)
    return g_strdup_printf ("At %.0f dpi the image would be more than %d pixels on a side; "
                            "choose a lower resolution or a smaller size",
                            job->dpi, STRATA_FIGURE_MAX_PIXELS);
  return NULL;
}

/* Checks JOB's size for the file PATH; FALSE with ERROR naming PATH. */
static gboolean
check_size (const Job *job, const char *path, GError **error)
{
  g_autofree char *problem = size_problem (job);
  g_autofree char *name = NULL;

  if (problem == NULL)
    return TRUE;
  name = g_filename_display_name (path);
  g_set_error (error, STRATA_FIGURE_EXPORT_ERROR, STRATA_FIGURE_EXPORT_ERROR_INVALID_SIZE,
               "Could not save “%s”: %s", name, problem);
  return FALSE;
}

gboolean
strata_figure_export (const StrataResult *result, const StrataPlotStyle *style,
                      const char *path, StrataFigureFormat format, double dpi, GError **error)
{
  Job job = { result, style, format, dpi };

  g_return_val_if_fail (result != NULL && style != NULL, FALSE);
  g_return_val_if_fail (path != NULL && *path != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!format_is_valid (format))
    {
      set_unsupported_error (error, path);
      return FALSE;
    }
  if (!check_size (&job, path, error))
    return FALSE;
  return strata_atomic_file_replace (path, formats[format].write, &job, error);
}

gboolean
strata_figure_export_by_extension (const StrataResult *result, const StrataPlotStyle *style,
                                   const char *path, double dpi, GError **error)
{
  StrataFigureFormat format;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!strata_figure_format_from_path (path, &format))
    {
      set_unsupported_error (error, path);
      return FALSE;
    }
  return strata_figure_export (result, style, path, format, dpi, error);
}

GBytes *
strata_figure_render_png (const StrataResult *result, const StrataPlotStyle *style,
                          double dpi, GError **error)
{
  Job job = { result, style, STRATA_FIGURE_PNG, dpi };
  PngWriter writer = { .out = { .bytes = g_byte_array_new () } };
  g_autofree char *problem = NULL;
  gboolean ok;

  g_return_val_if_fail (result != NULL && style != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  problem = size_problem (&job);
  if (problem != NULL)
    {
      g_byte_array_unref (writer.out.bytes);
      g_set_error_literal (error, STRATA_FIGURE_EXPORT_ERROR,
                           STRATA_FIGURE_EXPORT_ERROR_INVALID_SIZE, problem);
      return NULL;
    }
  ok = png_encode (&writer, &job, error);
  png_destroy_write_struct (&writer.png, &writer.info);
  if (!ok)
    {
      g_byte_array_unref (writer.out.bytes);
      return NULL;
    }
  return g_byte_array_free_to_bytes (writer.out.bytes);
}

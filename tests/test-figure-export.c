/* test-figure-export.c: figure files (src/export/strata-figure-export.c) and the atomic
 * file writer (src/export/strata-atomic-file.c). Each format is exported into a fresh
 * temporary folder and read back: the PDF MediaBox, the SVG width, height and viewBox,
 * the EPS bounding box, the PNG chunks (IHDR, pHYs) and pixels, the TIFF tags and rows
 * through libtiff; the PNG made in memory is the file's bytes. Where pdfinfo, pdffonts,
 * xmllint, rsvg-convert or gs are installed they are run as independent readers
 * (skipped with a message otherwise). Failures (an unsupported extension, a missing or
 * read-only folder, a write that fails part way) must leave no new file, no temporary
 * file, and the old content of a file being replaced.
 * With STRATA_FIGURE_OUTPUT_DIR set, /figure-export/demo-cohort leaves its figures there
 * for people to look at. */
#include <cairo.h>
#include <cairo-ps.h>
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>

#include "strata-analysis.h"
#include "strata-atomic-file.h"
#include "strata-figure-export.h"
#include "strata-km-plot.h"
#include "robustness/unprivileged.h"

/* Okabe–Ito blue, the first group's colour on a light background. */
#define FIRST_GROUP_RGB 0x0072B2
#define WHITE 0xffffff

typedef struct {
  char *dir;
} Fixture;

static StrataResult *lung_result;

/* ---- helpers ---------------------------------------------------------------------- */

static StrataResult *
run_path (const char *path, const char *by)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataTable) table = strata_table_load_file (path, &error);
  g_assert_no_error (error);
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataSpec) spec = strata_spec_new ();

  g_assert_true (strata_spec_add_by (spec, by, &error));
  StrataResult *result = strata_analysis_run (cohort, spec, NULL, &error);
  g_assert_no_error (error);
  return result;
}

/* tests/data/lung.csv by group (two groups), computed once. */
static const StrataResult *
lung (void)
{
  if (lung_result == NULL)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "lung.csv", NULL);
      lung_result = run_path (path, "group");
    }
  return lung_result;
}

static char *
demo_cohort_path (void)
{
  const char *path = g_getenv ("STRATA_DEMO_COHORT");

  if (path != NULL)
    return g_strdup (path);
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo-cohort.csv", NULL);
}

/* A single-column (8 cm) style for RESULT. */
static StrataPlotStyle *
single_column_style (const StrataResult *result)
{
  StrataPlotStyle *style = strata_plot_style_new ();

  strata_plot_style_set_x_label (style, "Months");
  strata_plot_style_set_y_label (style, "Overall survival");
  strata_figure_set_journal_width (style, result, STRATA_JOURNAL_SINGLE);
  return style;
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  g_chmod (path, 0700);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

static void
fixture_set_up (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("strata-figure-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* The names in DIR, sorted and joined by spaces ("" when empty). */
static char *
dir_listing (const char *path)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_dir_close (dir);
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* The file PATH as a string: NUL bytes of binary streams (PDF) become spaces. */
static char *read_text (const char *path);

/* DIR holds exactly the files named in EXPECTED (sorted, space-separated). */
static void
assert_listing (const char *dir, const char *expected)
{
  g_autofree char *listing = dir_listing (dir);

  g_assert_cmpstr (listing, ==, expected);
}

static void
assert_content (const char *path, const char *expected)
{
  g_autofree char *text = read_text (path);

  g_assert_cmpstr (text, ==, expected);
}

static char *
read_text (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < length; i++)
    if (contents[i] == '\0')
      contents[i] = ' ';
  return contents;
}

/* Writes TEXT to PATH in place (PATH may be the atomic writer's anonymous
 * /proc/self/fd/N, beside which g_file_set_contents cannot make its own temp file). */
static void
write_text (const char *path, const char *text)
{
  FILE *file = fopen (path, "wb");

  g_assert_nonnull (file);
  g_assert_cmpuint (fwrite (text, 1, strlen (text), file), ==, strlen (text));
  g_assert_cmpint (fclose (file), ==, 0);
}

/* Exports lung() with STYLE as FORMAT into FIXTURE's folder; returns the path. */
static char *
export_lung (Fixture *fixture, const StrataPlotStyle *style, StrataFigureFormat format,
             double dpi)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("figure.%s", strata_figure_format_extension (format));
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_true (strata_figure_export (lung (), style, path, format, dpi, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}

/* Runs ARGV; NULL (and a test message) when the program is not installed. */
static char *
run_tool (const char *const *argv, int *status)
{
  g_autofree char *program = g_find_program_in_path (argv[0]);
  g_autoptr (GError) error = NULL;
  char *out = NULL;

  if (program == NULL)
    {
      g_test_message ("%s is not installed: independent check skipped", argv[0]);
      return NULL;
    }
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, status, &error);
  g_assert_no_error (error);
  return out;
}

/* The first capture of PATTERN in TEXT as a number; fails the test when absent. */
static double
regex_number (const char *pattern, const char *text)
{
  g_autoptr (GRegex) regex = g_regex_new (pattern, G_REGEX_MULTILINE | G_REGEX_RAW, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  g_autofree char *number = NULL;

  g_assert_nonnull (regex);
  if (!g_regex_match (regex, text, 0, &match))
    g_error ("no match for %s", pattern);
  number = g_match_info_fetch (match, 1);
  return g_ascii_strtod (number, NULL);
}

/* ---- PNG reading (chunks by hand, pixels by cairo) -------------------------------- */

typedef struct {
  guint32 width, height;
  guint8 bit_depth, color_type;
  gboolean has_phys;
  guint32 phys_x, phys_y;
  guint8 phys_unit;
} PngInfo;

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Walks the chunks of the PNG file PATH up to IEND. */
static PngInfo
png_info (const char *path)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *data = NULL;
  gsize length = 0, at = 8;
  PngInfo info = { 0 };

  g_file_get_contents (path, (char **) &data, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (data, 8, signature, 8);
  while (at + 12 <= length)
    {
      guint32 size = be32 (data + at);
      const guint8 *type = data + at + 4, *body = data + at + 8;
      g_assert_cmpuint (at + 12 + size, <=, length);
      if (memcmp (type, "IHDR", 4) == 0)
        {
          info.width = be32 (body);
          info.height = be32 (body + 4);
          info.bit_depth = body[8];
          info.color_type = body[9];
        }
      else if (memcmp (type, "pHYs", 4) == 0)
        {
          info.has_phys = TRUE;
          info.phys_x = be32 (body);
          info.phys_y = be32 (body + 4);
          info.phys_unit = body[8];
        }
      else if (memcmp (type, "IEND", 4) == 0)
        return info;
      at += 12 + size;
    }
  g_error ("%s: no IEND chunk", path);
}

static guint32
pixel_at (cairo_surface_t *surface, int x, int y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + (gsize) y * stride + 4 * x) & 0xffffff;
}

static guint
count_pixels (cairo_surface_t *surface, guint32 rgb)
{
  guint count = 0;

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      count += pixel_at (surface, x, y) == rgb;
  return count;
}

static cairo_surface_t *
load_png (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create_from_png (path);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_format (surface), ==, CAIRO_FORMAT_RGB24);
  return surface;
}

/* ---- formats and sizes ------------------------------------------------------------ */

static void
test_format_from_path (void)
{
  const struct { const char *path; gboolean known; StrataFigureFormat format; } cases[] = {
    { "km.png", TRUE, STRATA_FIGURE_PNG }, { "/a/b/KM.PDF", TRUE, STRATA_FIGURE_PDF },
    { "x.Svg", TRUE, STRATA_FIGURE_SVG }, { "x.eps", TRUE, STRATA_FIGURE_EPS },
    { "x.tif", TRUE, STRATA_FIGURE_TIFF }, { "x.TIFF", TRUE, STRATA_FIGURE_TIFF },
    { "x.tar.png", TRUE, STRATA_FIGURE_PNG }, { "x.bmp", FALSE, 0 }, { "x.jpg", FALSE, 0 },
    { "png", FALSE, 0 }, { ".png", FALSE, 0 }, { "dir.png/figure", FALSE, 0 },
    { "figure.", FALSE, 0 }, { "", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      StrataFigureFormat format = STRATA_FIGURE_N_FORMATS;
      g_test_message ("%s", cases[i].path);
      g_assert_cmpint (strata_figure_format_from_path (cases[i].path, &format), ==, cases[i].known);
      if (cases[i].known)
        g_assert_cmpint (format, ==, cases[i].format);
      else
        g_assert_cmpint (format, ==, STRATA_FIGURE_N_FORMATS);
    }
  g_assert_cmpstr (strata_figure_format_extension (STRATA_FIGURE_TIFF), ==, "tif");
  g_assert_cmpstr (strata_figure_format_mime_type (STRATA_FIGURE_SVG), ==, "image/svg+xml");
  g_assert_true (strata_figure_format_is_raster (STRATA_FIGURE_PNG));
  g_assert_false (strata_figure_format_is_raster (STRATA_FIGURE_EPS));
}

static void
test_sizes (void)
{
  g_autoptr (StrataPlotStyle) style = strata_plot_style_new ();
  StrataKmPlotLayout layout;

  g_assert_cmpfloat_with_epsilon (strata_figure_points_from_cm (2.54), 72.0, 1e-12);
  g_assert_cmpfloat (strata_journal_width_cm (STRATA_JOURNAL_SINGLE), ==, 8.0);
  g_assert_cmpfloat (strata_journal_width_cm (STRATA_JOURNAL_ONE_AND_HALF), ==, 11.5);
  g_assert_cmpfloat (strata_journal_width_cm (STRATA_JOURNAL_DOUBLE), ==, 17.0);
  g_assert_cmpint (strata_figure_pixels (strata_figure_points_from_cm (8.0), 300), ==, 945);
  g_assert_cmpint (strata_figure_pixels (strata_figure_points_from_cm (17.0), 1200), ==, 8031);

  strata_figure_set_size_cm (style, 8.0, 6.0);
  g_assert_cmpfloat_with_epsilon (style->width, 8.0 / 2.54 * 72, 1e-9);
  g_assert_cmpfloat_with_epsilon (style->height, 6.0 / 2.54 * 72, 1e-9);

  for (StrataJournalWidth w = STRATA_JOURNAL_SINGLE; w <= STRATA_JOURNAL_DOUBLE; w++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1, 1);
      cairo_t *cr = cairo_create (surface);

      strata_figure_set_journal_width (style, lung (), w);
      g_assert_cmpfloat_with_epsilon (style->width,
                                      strata_journal_width_cm (w) / 2.54 * 72, 1e-9);
      strata_km_plot_layout (cr, lung (), style, &layout);
      g_assert_cmpfloat_with_epsilon (layout.plot_height / layout.plot_width, 0.7, 1e-6);
      g_assert_cmpfloat (layout.table_height, >, 0);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

/* ---- vector formats --------------------------------------------------------------- */

static void
check_pdfinfo (const char *path, double width, double height)
{
  const char *info_argv[] = { "pdfinfo", path, NULL };
  const char *fonts_argv[] = { "pdffonts", path, NULL };
  int status = 0;
  g_autofree char *info = run_tool (info_argv, &status);
  g_autofree char *fonts = NULL;

  if (info == NULL)
    return;
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpfloat_with_epsilon (regex_number ("^Page size: +([0-9.]+) x", info), width, 0.01);
  g_assert_cmpfloat_with_epsilon (regex_number ("^Page size: +[0-9.]+ x ([0-9.]+)", info),
                                  height, 0.01);
  fonts = run_tool (fonts_argv, &status);
  if (fonts == NULL)
    return;
  /* name, type (may contain spaces), encoding, emb, sub, uni, object, ID */
  g_auto (GStrv) lines = g_strsplit (fonts, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >, 3);
  for (guint i = 2; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto (GStrv) fields = g_regex_split_simple ("\\s+", g_strstrip (lines[i]), 0, 0);
      guint n = g_strv_length (fields);
      g_test_message ("font: %s", lines[i]);
      g_assert_cmpuint (n, >=, 8);
      g_assert_cmpstr (fields[n - 5], ==, "yes");
    }
}

static void
test_pdf (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = export_lung (fixture, style, STRATA_FIGURE_PDF, 300);
  g_autofree char *text = read_text (path);

  g_assert_true (g_str_has_prefix (text, "%PDF-1.4"));
  g_assert_cmpfloat_with_epsilon (regex_number ("/MediaBox \\[ *0 0 ([0-9.]+)", text),
                                  style->width, 1e-3);
  g_assert_cmpfloat_with_epsilon (regex_number ("/MediaBox \\[ *0 0 [0-9.]+ ([0-9.]+)", text),
                                  style->height, 1e-3);
  g_assert_cmpfloat_with_epsilon (style->width, 8.0 / 2.54 * 72, 1e-9);
  g_assert_nonnull (strstr (text, "/FontFile"));   /* fonts embedded */
  g_assert_nonnull (strstr (text, "Strata"));      /* Creator */
  check_pdfinfo (path, style->width, style->height);
}

static void
test_svg (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = export_lung (fixture, style, STRATA_FIGURE_SVG, 300);
  g_autofree char *text = read_text (path);
  g_autofree char *png_path = g_build_filename (fixture->dir, "rsvg.png", NULL);
  const char *xmllint_argv[] = { "xmllint", "--noout", path, NULL };
  const char *rsvg_argv[] = { "rsvg-convert", "--format=png", "-o", png_path, path, NULL };
  g_autofree char *out = NULL;
  int status = 0;

  g_assert_cmpfloat_with_epsilon (regex_number ("<svg[^>]* width=\"([0-9.]+)pt\"", text),
                                  style->width, 1e-3);
  g_assert_cmpfloat_with_epsilon (regex_number ("<svg[^>]* height=\"([0-9.]+)pt\"", text),
                                  style->height, 1e-3);
  g_assert_cmpfloat_with_epsilon (regex_number ("<svg[^>]* viewBox=\"0 0 ([0-9.]+)", text),
                                  style->width, 1e-3);
  g_assert_null (strstr (text, "<text"));   /* glyphs are outlined */

  out = run_tool (xmllint_argv, &status);
  if (out != NULL)
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_clear_pointer (&out, g_free);
  /* rsvg-convert renders at 96 px per inch: the units must be honoured. */
  out = run_tool (rsvg_argv, &status);
  if (out != NULL)
    {
      PngInfo info;
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      info = png_info (png_path);
      g_assert_cmpint (abs ((int) info.width - strata_figure_pixels (style->width, 96)), <=, 1);
      g_assert_cmpint (abs ((int) info.height - strata_figure_pixels (style->height, 96)), <=, 1);
    }
}

static void
test_eps (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = export_lung (fixture, style, STRATA_FIGURE_EPS, 600);
  g_autofree char *text = read_text (path);
  const char *gs_argv[] = { "gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dEPSCrop",
                            "-sDEVICE=nullpage", path, NULL };
  g_autofree char *out = NULL;
  int status = 0;

  g_assert_true (g_str_has_prefix (text, "%!PS-Adobe-3.0 EPSF-3.0\n"));
  /* DSC bounding boxes are whole points, rounded outwards. */
  g_assert_cmpfloat (regex_number ("^%%BoundingBox: 0 0 ([0-9]+) ", text), ==,
                     ceil (style->width));
  g_assert_cmpfloat (regex_number ("^%%BoundingBox: 0 0 [0-9]+ ([0-9]+)$", text), ==,
                     ceil (style->height));
  out = run_tool (gs_argv, &status);
  if (out != NULL)
    {
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_null (strstr (out, "Error"));
    }
}

/* ---- raster formats --------------------------------------------------------------- */

static void
test_png (Fixture *fixture, gconstpointer data)
{
  double dpi = GPOINTER_TO_INT (data);
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = export_lung (fixture, style, STRATA_FIGURE_PNG, dpi);
  PngInfo info = png_info (path);
  guint32 per_metre = (guint32) lround (dpi / 0.0254);
  cairo_surface_t *image;

  g_assert_cmpuint (info.width, ==, lround (8.0 / 2.54 * dpi));
  g_assert_cmpuint (info.height, ==, lround (style->height / 72 * dpi));
  g_assert_cmpuint (info.bit_depth, ==, 8);
  g_assert_cmpuint (info.color_type, ==, 2);   /* RGB, no alpha */
  g_assert_true (info.has_phys);
  g_assert_cmpuint (info.phys_unit, ==, 1);    /* metre */
  g_assert_cmpuint (info.phys_x, ==, per_metre);
  g_assert_cmpuint (info.phys_y, ==, per_metre);
  g_assert_cmpfloat_with_epsilon (info.phys_x * 0.0254, dpi, 0.01);

  image = load_png (path);
  g_assert_cmpuint (pixel_at (image, 0, 0), ==, WHITE);
  g_assert_cmpuint (pixel_at (image, info.width - 1, info.height - 1), ==, WHITE);
  g_assert_cmpuint (count_pixels (image, FIRST_GROUP_RGB), >, 50 * dpi / 300);
  cairo_surface_destroy (image);
  assert_listing (fixture->dir, "figure.png");
}

/* The PNG in memory (for the workbook and the clipboard) is the file's bytes. */
static void
test_png_bytes (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = export_lung (fixture, style, STRATA_FIGURE_PNG, 600);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = strata_figure_render_png (lung (), style, 600, &error);
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, &error);
  g_autoptr (GBytes) written = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  written = g_mapped_file_get_bytes (file);
  g_assert_true (g_bytes_equal (bytes, written));

  g_assert_null (strata_figure_render_png (lung (), style, 5000, &error));
  g_assert_error (error, STRATA_FIGURE_EXPORT_ERROR, STRATA_FIGURE_EXPORT_ERROR_INVALID_SIZE);
}

/* The strip-by-strip PNG (8 cm at 1200 dpi: several strips) has the pixels of one
 * drawing on a surface of the whole size. */
static void
test_png_strips (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = export_lung (fixture, style, STRATA_FIGURE_PNG, 1200);
  cairo_surface_t *image = load_png (path);
  int width = cairo_image_surface_get_width (image);
  int height = cairo_image_surface_get_height (image);
  cairo_surface_t *whole = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (whole);
  guint differ = 0;

  g_assert_cmpint ((gint64) width * height, >, 2 * 4 * 1024 * 1024);   /* 3 strips or more */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, 1200 / 72.0, 1200 / 72.0);
  strata_km_plot_draw (cr, lung (), style);
  cairo_destroy (cr);
  cairo_surface_flush (whole);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      differ += pixel_at (image, x, y) != pixel_at (whole, x, y);
  g_assert_cmpuint (differ, ==, 0);
  cairo_surface_destroy (whole);
  cairo_surface_destroy (image);
}

static void
test_greyscale (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = NULL;
  cairo_surface_t *image;
  guint coloured = 0, dark = 0;

  style->palette = STRATA_PALETTE_GREYSCALE;
  path = export_lung (fixture, style, STRATA_FIGURE_PNG, 300);
  image = load_png (path);
  for (int y = 0; y < cairo_image_surface_get_height (image); y++)
    for (int x = 0; x < cairo_image_surface_get_width (image); x++)
      {
        guint32 p = pixel_at (image, x, y);
        guint r = p >> 16, g = (p >> 8) & 0xff, b = p & 0xff;
        coloured += r != g || g != b;
        dark += r < 64;
      }
  g_assert_cmpuint (coloured, ==, 0);
  g_assert_cmpuint (dark, >, 1000);
  cairo_surface_destroy (image);
}

static void
test_tiff (Fixture *fixture, gconstpointer data)
{
  double dpi = GPOINTER_TO_INT (data);
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = export_lung (fixture, style, STRATA_FIGURE_TIFF, dpi);
  TIFF *tif = TIFFOpen (path, "r");
  guint32 width = 0, height = 0;
  guint16 compression = 0, samples = 0, bits = 0, photometric = 0, unit = 0, extra = 0;
  guint16 *extra_types = NULL;
  float xres = 0, yres = 0;
  g_autofree guint8 *row = NULL;
  guint coloured = 0;

  g_assert_nonnull (tif);
  g_assert_true (TIFFGetField (tif, TIFFTAG_IMAGEWIDTH, &width));
  g_assert_true (TIFFGetField (tif, TIFFTAG_IMAGELENGTH, &height));
  g_assert_true (TIFFGetField (tif, TIFFTAG_COMPRESSION, &compression));
  g_assert_true (TIFFGetField (tif, TIFFTAG_SAMPLESPERPIXEL, &samples));
  g_assert_true (TIFFGetField (tif, TIFFTAG_BITSPERSAMPLE, &bits));
  g_assert_true (TIFFGetField (tif, TIFFTAG_PHOTOMETRIC, &photometric));
  g_assert_true (TIFFGetField (tif, TIFFTAG_XRESOLUTION, &xres));
  g_assert_true (TIFFGetField (tif, TIFFTAG_YRESOLUTION, &yres));
  g_assert_true (TIFFGetField (tif, TIFFTAG_RESOLUTIONUNIT, &unit));
  TIFFGetFieldDefaulted (tif, TIFFTAG_EXTRASAMPLES, &extra, &extra_types);

  g_assert_cmpuint (width, ==, lround (8.0 / 2.54 * dpi));
  g_assert_cmpuint (height, ==, lround (style->height / 72 * dpi));
  g_assert_cmpuint (compression, ==, COMPRESSION_LZW);
  g_assert_cmpuint (samples, ==, 3);
  g_assert_cmpuint (extra, ==, 0);   /* no alpha */
  g_assert_cmpuint (bits, ==, 8);
  g_assert_cmpuint (photometric, ==, PHOTOMETRIC_RGB);
  g_assert_cmpuint (unit, ==, RESUNIT_INCH);
  g_assert_cmpfloat_with_epsilon (xres, dpi, 1e-3);
  g_assert_cmpfloat_with_epsilon (yres, dpi, 1e-3);

  /* Every row decodes; white at the corners, the first group's blue somewhere. */
  row = g_malloc (TIFFScanlineSize (tif));
  for (guint32 y = 0; y < height; y++)
    {
      g_assert_cmpint (TIFFReadScanline (tif, row, y, 0), ==, 1);
      if (y == 0 || y == height - 1)
        for (guint i = 0; i < 3; i++)
          {
            g_assert_cmpuint (row[i], ==, 0xff);
            g_assert_cmpuint (row[3 * (width - 1) + i], ==, 0xff);
          }
      for (guint32 x = 0; x < width; x++)
        coloured += row[3 * x] == 0x00 && row[3 * x + 1] == 0x72 && row[3 * x + 2] == 0xb2;
    }
  g_assert_cmpuint (coloured, >, 50 * dpi / 300);
  TIFFClose (tif);
  assert_listing (fixture->dir, "figure.tif");
}

/* ---- failures --------------------------------------------------------------------- */

/* ERROR's message starts with "Could not save “PATH”: ". */
static void
assert_names_file (const GError *error, const char *path)
{
  g_autofree char *prefix = g_strdup_printf ("Could not save “%s”: ", path);

  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_cmpuint (strlen (error->message), >, strlen (prefix) + 5);
}

static void
test_unsupported_extension (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = g_build_filename (fixture->dir, "figure.bmp", NULL);
  g_autofree char *old = g_build_filename (fixture->dir, "old.jpg", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (strata_figure_export_by_extension (lung (), style, path, 300, &error));
  g_assert_error (error, STRATA_FIGURE_EXPORT_ERROR,
                  STRATA_FIGURE_EXPORT_ERROR_UNSUPPORTED_FORMAT);
  assert_names_file (error, path);
  g_assert_nonnull (strstr (error->message, ".png"));
  assert_listing (fixture->dir, "");

  /* An existing file of another type is left alone. */
  g_clear_error (&error);
  write_text (old, "old content");
  g_assert_false (strata_figure_export_by_extension (lung (), style, old, 300, &error));
  g_assert_error (error, STRATA_FIGURE_EXPORT_ERROR,
                  STRATA_FIGURE_EXPORT_ERROR_UNSUPPORTED_FORMAT);
  assert_content (old, "old content");
  assert_listing (fixture->dir, "old.jpg");

  g_clear_error (&error);
  g_assert_false (strata_figure_export (lung (), style, path, (StrataFigureFormat) 42, 300,
                                        &error));
  g_assert_error (error, STRATA_FIGURE_EXPORT_ERROR,
                  STRATA_FIGURE_EXPORT_ERROR_UNSUPPORTED_FORMAT);
}

static void
test_invalid_size (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = g_build_filename (fixture->dir, "figure.png", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (strata_figure_export (lung (), style, path, STRATA_FIGURE_PNG, 0, &error));
  g_assert_error (error, STRATA_FIGURE_EXPORT_ERROR, STRATA_FIGURE_EXPORT_ERROR_INVALID_SIZE);
  assert_names_file (error, path);
  g_clear_error (&error);

  strata_figure_set_size_cm (style, 80.0, 60.0);   /* 37795 pixels wide at 1200 dpi */
  g_assert_false (strata_figure_export (lung (), style, path, STRATA_FIGURE_PNG, 1200, &error));
  g_assert_error (error, STRATA_FIGURE_EXPORT_ERROR, STRATA_FIGURE_EXPORT_ERROR_INVALID_SIZE);
  assert_names_file (error, path);
  g_clear_error (&error);

  style->width = 0;
  g_assert_false (strata_figure_export (lung (), style, path, STRATA_FIGURE_PDF, 300, &error));
  g_assert_error (error, STRATA_FIGURE_EXPORT_ERROR, STRATA_FIGURE_EXPORT_ERROR_INVALID_SIZE);
  assert_listing (fixture->dir, "");
}

static void
test_missing_folder (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = g_build_filename (fixture->dir, "no-such-folder", "figure.pdf", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (strata_figure_export_by_extension (lung (), style, path, 300, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  assert_names_file (error, path);
  assert_listing (fixture->dir, "");
}

static void
test_read_only_folder (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = g_build_filename (fixture->dir, "figure.tif", NULL);
  g_autoptr (GError) error = NULL;

  /* In a child that is not root (root writes into read-only folders): see
   * robustness/unprivileged.h. The child has a fixture folder of its own. */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  lung ();
  strata_test_give_to_nobody (fixture->dir);
  strata_test_drop_root ();
  write_text (path, "old figure");
  g_assert_cmpint (g_chmod (fixture->dir, 0555), ==, 0);
  g_assert_false (strata_figure_export_by_extension (lung (), style, path, 300, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
  assert_names_file (error, path);
  assert_content (path, "old figure");
  assert_listing (fixture->dir, "figure.tif");
}

/* A destination that is a folder: the rename fails; the folder and its content stay. */
static void
test_destination_is_folder (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = g_build_filename (fixture->dir, "figure.svg", NULL);
  g_autofree char *inner = g_build_filename (path, "keep.txt", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  write_text (inner, "kept");
  g_assert_false (strata_figure_export_by_extension (lung (), style, path, 300, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  assert_names_file (error, path);
  assert_content (inner, "kept");
  assert_listing (fixture->dir, "figure.svg");
}

static void
test_replace (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = g_build_filename (fixture->dir, "figure.png", NULL);
  g_autoptr (GError) error = NULL;
  GStatBuf st;

  write_text (path, "old figure");
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  g_assert_true (strata_figure_export_by_extension (lung (), style, path, 300, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (png_info (path).width, ==, 945);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0640);
  assert_listing (fixture->dir, "figure.png");
}

/* The size of lung()'s figure in FORMAT, written without limits. */
static goffset
full_size (Fixture *fixture, const StrataPlotStyle *style, StrataFigureFormat format)
{
  g_autofree char *path = export_lung (fixture, style, format, 300);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (g_unlink (path), ==, 0);
  return st.st_size;
}

static void
set_file_size_limit (rlim_t bytes)
{
  struct rlimit limit = { bytes, RLIM_INFINITY };

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
}

/* A write that fails part way (the file-size limit stands in for a full disk) leaves
 * the old file and no temporary file, in every format. Run in a subprocess, which the
 * limit does not outlive. The limit is half the file; for EPS it is 512 bytes short of
 * the file, because cairo 1.16 first writes the page to its own tmpfile() and frees
 * memory twice when that write fails (a crash a full /tmp would cause too). */
static void
test_interrupted_write (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  signal (SIGXFSZ, SIG_IGN);
  for (StrataFigureFormat f = 0; f < STRATA_FIGURE_N_FORMATS; f++)
    {
      g_autofree char *name = g_strdup_printf ("figure.%s", strata_figure_format_extension (f));
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      goffset size = full_size (fixture, style, f);
      g_autoptr (GError) error = NULL;

      write_text (path, "old figure");
      set_file_size_limit (f == STRATA_FIGURE_EPS ? size - 512 : size / 2);
      g_assert_false (strata_figure_export (lung (), style, path, f, 300, &error));
      set_file_size_limit (RLIM_INFINITY);
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);   /* EFBIG */
      assert_names_file (error, path);
      g_assert_nonnull (strstr (error->message, g_strerror (EFBIG)));
      assert_content (path, "old figure");
      assert_listing (fixture->dir, name);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
}

/* ---- the demo cohort, as the "done when" asks ----------------------------- */

static void
keep_copy (const char *path)
{
  const char *dir = g_getenv ("STRATA_FIGURE_OUTPUT_DIR");
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *target = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize length = 0;

  if (dir == NULL)
    return;
  target = g_build_filename (dir, base, NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (target, contents, length, &error);
  g_assert_no_error (error);
  g_test_message ("kept %s", target);
}

/* Overall survival by disease site, one column wide: PNG at 300 dpi, TIFF at 600 dpi,
 * PDF. */
static void
test_demo_cohort (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autofree char *csv = demo_cohort_path ();
  g_autoptr (StrataResult) result = run_path (csv, "disease_site");
  g_autoptr (StrataPlotStyle) style = single_column_style (result);
  const struct { const char *name; double dpi; } files[] = {
    { "os-by-site-8cm-300dpi.png", 300 }, { "os-by-site-8cm-600dpi.tif", 600 },
    { "os-by-site-8cm.pdf", 0 },
  };

  g_assert_cmpuint (result->groups->len, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, files[i].name, NULL);
      g_autoptr (GError) error = NULL;
      g_assert_true (strata_figure_export_by_extension (result, style, path, files[i].dpi,
                                                        &error));
      g_assert_no_error (error);
      keep_copy (path);
    }
  {
    g_autofree char *png = g_build_filename (fixture->dir, files[0].name, NULL);
    cairo_surface_t *image = load_png (png);
    g_assert_cmpint (cairo_image_surface_get_width (image), ==, 945);
    g_assert_cmpuint (count_pixels (image, FIRST_GROUP_RGB), >, 200);
    g_assert_cmpuint (count_pixels (image, 0xD55E00), >, 200);   /* vermillion */
    g_assert_cmpuint (count_pixels (image, 0x009E73), >, 200);   /* bluish green */
    cairo_surface_destroy (image);
  }
}

/* ---- the atomic writer ------------------------------------------------------------ */

static gboolean
write_half_then_fail (const char *temp_path, G_GNUC_UNUSED gpointer data, GError **error)
{
  g_autofree char *base = g_path_get_basename (temp_path);

  g_assert_true (g_file_test (temp_path, G_FILE_TEST_IS_REGULAR));
  /* an anonymous file (O_TMPFILE) or, where there is none, ".figure.txt.XXXXXX" */
  g_assert_true (g_str_has_prefix (temp_path, "/proc/self/fd/") ||
                 g_str_has_prefix (base, ".figure.txt."));
  write_text (temp_path, "half of the new");
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "No space left on device");
  return FALSE;
}

static gboolean
write_new (const char *temp_path, gpointer data, G_GNUC_UNUSED GError **error)
{
  write_text (temp_path, data);
  return TRUE;
}

static void
test_atomic_writer_fails (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "figure.txt", NULL);
  g_autoptr (GError) error = NULL;

  write_text (path, "old");
  g_assert_false (strata_atomic_file_replace (path, write_half_then_fail, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  assert_names_file (error, path);
  assert_content (path, "old");
  assert_listing (fixture->dir, "figure.txt");
}

/* While the new content is written, the folder shows only the old file: the temporary
 * file has no name, so a writer killed at that moment leaves nothing behind. */
static gboolean
write_while_listing (const char *temp_path, gpointer dir, G_GNUC_UNUSED GError **error)
{
  g_assert_true (g_str_has_prefix (temp_path, "/proc/self/fd/"));
  write_text (temp_path, "new");
  assert_listing (dir, "figure.txt");
  return TRUE;
}

static void
test_atomic_anonymous_while_writing (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "figure.txt", NULL);
  g_autoptr (GError) error = NULL;

  write_text (path, "old");
  g_assert_true (strata_atomic_file_replace (path, write_while_listing, fixture->dir, &error));
  g_assert_no_error (error);
  assert_content (path, "new");
  assert_listing (fixture->dir, "figure.txt");
}

static void
test_atomic_new_file (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "figure.txt", NULL);
  g_autoptr (GError) error = NULL;
  mode_t old_mask = umask (022);
  GStatBuf st;

  g_assert_true (strata_atomic_file_replace (path, write_new, (gpointer) "new", &error));
  umask (old_mask);
  g_assert_no_error (error);
  assert_content (path, "new");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0644);
  assert_listing (fixture->dir, "figure.txt");
}

/* ---- EPS without bitmaps ----------------------------------------------------------- */

/* Whether TEXT (PostScript) paints a bitmap: an image dictionary, a fallback image, or
 * the image operators (or cairo's procedures around them) used after the prolog, which
 * cairo always writes with its definitions of cairo_image and cairo_imagemask. */
static gboolean
has_image_operator (const char *text)
{
  g_autoptr (GRegex) regex = g_regex_new ("(^|[^A-Za-z/_])(image|colorimage|imagemask|cairo_image|"
                                          "cairo_imagemask)([^A-Za-z_]|$)|/ImageType|Fallback Image",
                                          G_REGEX_MULTILINE | G_REGEX_RAW, 0, NULL);
  const char *end_prolog = strstr (text, "%%EndProlog");

  g_assert_nonnull (end_prolog);
  return g_regex_match (regex, end_prolog, 0, NULL);
}

/* The pixels of SURFACE within TOLERANCE of RGB in every channel. */
static guint
count_pixels_near (cairo_surface_t *surface, guint32 rgb, guint tolerance)
{
  guint count = 0;

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      {
        guint32 p = pixel_at (surface, x, y);
        gboolean near = TRUE;
        for (int shift = 0; shift < 24; shift += 8)
          near = near && (guint) ABS ((int) ((p >> shift) & 0xff) - (int) ((rgb >> shift) & 0xff))
                         <= tolerance;
        count += near;
      }
  return count;
}

/* The figure with confidence bands (lung: two overlapping bands) as EPS holds no bitmap,
 * and Ghostscript renders it with the bands in their composited colour: the first
 * group's blue at 15 % over white, (217, 234, 243). */
static void
test_eps_vector_bands (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *path = NULL, *text = NULL, *png = NULL, *out = NULL, *device = NULL;
  int status = 0;

  g_assert_true (style->show_ci);
  path = export_lung (fixture, style, STRATA_FIGURE_EPS, 600);
  text = read_text (path);
  g_assert_false (has_image_operator (text));
  g_assert_null (strstr (text, "%%BeginData"));

  png = g_build_filename (fixture->dir, "eps.png", NULL);
  device = g_strdup_printf ("-sOutputFile=%s", png);
  const char *gs_argv[] = { "gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dEPSCrop",
                            "-r300", "-sDEVICE=png16m", device, path, NULL };
  out = run_tool (gs_argv, &status);
  if (out == NULL)
    return;
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  cairo_surface_t *page = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (page), ==, CAIRO_STATUS_SUCCESS);
  /* png16m is RGB; cairo reads it as RGB24 */
  g_assert_cmpuint (count_pixels_near (page, 0xd9eaf3, 2), >, 500);
  g_assert_cmpuint (count_pixels_near (page, FIRST_GROUP_RGB, 2), >, 100);
  cairo_surface_destroy (page);
}

/* The detector itself: a PostScript file that does paint a bitmap is caught (cairo's
 * PS surface turns a translucent fill over other paint into one). */
static void
test_eps_image_detector (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "translucent.eps", NULL);
  cairo_surface_t *surface = cairo_ps_surface_create (path, 100, 100);
  cairo_t *cr = cairo_create (surface);
  g_autofree char *text = NULL;

  cairo_ps_surface_set_eps (surface, TRUE);
  cairo_set_source_rgb (cr, 0.8, 0.4, 0);
  cairo_rectangle (cr, 30, 30, 50, 50);
  cairo_fill (cr);
  /* over other paint: cairo cannot blend it with white itself */
  cairo_set_source_rgba (cr, 0, 0.45, 0.7, 0.15);
  cairo_rectangle (cr, 10, 10, 50, 50);
  cairo_fill (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  text = read_text (path);
  g_assert_true (has_image_operator (text));
}

/* The PDF and SVG keep translucent bands (their formats have alpha). */
static void
test_vector_bands_translucent (Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  g_autofree char *pdf = export_lung (fixture, style, STRATA_FIGURE_PDF, 600);
  g_autofree char *svg = export_lung (fixture, style, STRATA_FIGURE_SVG, 600);
  g_autofree char *pdf_text = read_text (pdf);
  g_autofree char *svg_text = read_text (svg);

  g_assert_false (style->opaque_bands);
  g_assert_nonnull (strstr (pdf_text, "/ca 0.15"));
  g_assert_true (strstr (svg_text, "fill-opacity=\"0.15\"") != NULL ||
                 strstr (svg_text, "fill-opacity:0.15") != NULL ||
                 strstr (svg_text, "opacity=\"0.15\"") != NULL);
}

/* Opaque bands look as translucent ones over the light background: drawn on white, the
 * two renderings differ by at most one step per channel (rounding), anywhere. */
static void
test_opaque_bands_match (G_GNUC_UNUSED Fixture *fixture, G_GNUC_UNUSED gconstpointer data)
{
  g_autoptr (StrataPlotStyle) style = single_column_style (lung ());
  cairo_surface_t *images[2];
  int width = (int) ceil (style->width * 2), height = (int) ceil (style->height * 2);
  guint differ = 0, worst = 0;

  for (guint i = 0; i < 2; i++)
    {
      images[i] = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
      cairo_t *cr = cairo_create (images[i]);
      style->opaque_bands = i == 1;
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_scale (cr, 2, 2);
      strata_km_plot_draw (cr, lung (), style);
      cairo_destroy (cr);
      cairo_surface_flush (images[i]);
    }
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 a = pixel_at (images[0], x, y), b = pixel_at (images[1], x, y);
        for (int shift = 0; shift < 24; shift += 8)
          {
            guint d = (guint) ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff));
            worst = MAX (worst, d);
          }
        differ += a != b;
      }
  g_test_message ("%u pixels differ, by at most %u", differ, worst);
  /* where two bands overlap, the later covers the earlier instead of blending */
  g_assert_cmpuint (worst, <=, 40);
  g_assert_cmpuint (differ, <, (guint) (width * height) / 20);
  cairo_surface_destroy (images[0]);
  cairo_surface_destroy (images[1]);
}

/* ---- main ------------------------------------------------------------------------- */

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_DATA(name, data, func) \
  g_test_add (name, Fixture, GINT_TO_POINTER (data), fixture_set_up, func, fixture_tear_down)

int
main (int argc, char **argv)
{
  int status;

  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/figure-export/format-from-path", test_format_from_path);
  g_test_add_func ("/figure-export/sizes", test_sizes);
  ADD ("/figure-export/pdf", test_pdf);
  ADD ("/figure-export/svg", test_svg);
  ADD ("/figure-export/eps", test_eps);
  ADD_DATA ("/figure-export/png/300", 300, test_png);
  ADD_DATA ("/figure-export/png/600", 600, test_png);
  ADD_DATA ("/figure-export/png/1200", 1200, test_png);
  ADD ("/figure-export/png/bytes", test_png_bytes);
  ADD ("/figure-export/png/strips", test_png_strips);
  ADD ("/figure-export/png/greyscale", test_greyscale);
  ADD_DATA ("/figure-export/tiff/300", 300, test_tiff);
  ADD_DATA ("/figure-export/tiff/600", 600, test_tiff);
  ADD_DATA ("/figure-export/tiff/1200", 1200, test_tiff);
  ADD ("/figure-export/unsupported-extension", test_unsupported_extension);
  ADD ("/figure-export/invalid-size", test_invalid_size);
  ADD ("/figure-export/missing-folder", test_missing_folder);
  ADD ("/figure-export/read-only-folder", test_read_only_folder);
  ADD ("/figure-export/destination-is-folder", test_destination_is_folder);
  ADD ("/figure-export/replace", test_replace);
  ADD ("/figure-export/interrupted-write", test_interrupted_write);
  ADD ("/figure-export/demo-cohort", test_demo_cohort);
  ADD ("/figure-export/eps/vector-bands", test_eps_vector_bands);
  ADD ("/figure-export/eps/image-detector", test_eps_image_detector);
  ADD ("/figure-export/vector-bands-translucent", test_vector_bands_translucent);
  ADD ("/figure-export/opaque-bands-match", test_opaque_bands_match);
  ADD ("/atomic-file/writer-fails", test_atomic_writer_fails);
  ADD ("/atomic-file/new-file", test_atomic_new_file);
  ADD ("/atomic-file/anonymous-while-writing", test_atomic_anonymous_while_writing);

  status = g_test_run ();
  g_clear_pointer (&lung_result, strata_result_unref);
  return status;
}

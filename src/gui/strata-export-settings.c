/* strata-export-settings.c: figure export choices, their style and their JSON. */
#include "strata-export-settings.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

static const struct {
  const char *label;
  const char *family;
} fonts[STRATA_EXPORT_N_FONTS] = {
  { N_("Helvetica or Arial"), "Helvetica, Arial, Liberation Sans, DejaVu Sans, Sans" },
  { N_("Times New Roman"), "Times New Roman, Times, Liberation Serif, DejaVu Serif, Serif" },
  { N_("DejaVu Sans"), "DejaVu Sans, Sans" },
  { N_("Noto Sans"), "Noto Sans, DejaVu Sans, Sans" },
};

static const char *const format_names[STRATA_FIGURE_N_FORMATS] = {
  [STRATA_FIGURE_PNG] = "png",
  [STRATA_FIGURE_PDF] = "pdf",
  [STRATA_FIGURE_SVG] = "svg",
  [STRATA_FIGURE_EPS] = "eps",
  [STRATA_FIGURE_TIFF] = "tiff",
};

static const char *const size_names[STRATA_FIGURE_N_SIZES] = {
  "single", "one-and-half", "double", "custom",
};

void
strata_export_settings_init (StrataExportSettings *settings)
{
  settings->format = STRATA_FIGURE_PDF;
  settings->size = STRATA_FIGURE_SIZE_SINGLE;
  settings->width_cm = 8.0;
  settings->height_cm = 6.5;
  settings->dpi = 600;
  settings->font = 0;
  settings->font_size = 9.0;
  settings->palette = STRATA_PALETTE_OKABE_ITO;
}

const char *
strata_figure_size_label (StrataFigureSize size)
{
  switch (size)
    {
    case STRATA_FIGURE_SIZE_SINGLE:
      return _("Single column, 8.0 cm");
    case STRATA_FIGURE_SIZE_ONE_AND_HALF:
      return _("1.5 columns, 11.5 cm");
    case STRATA_FIGURE_SIZE_DOUBLE:
      return _("Double column, 17.0 cm");
    case STRATA_FIGURE_SIZE_CUSTOM:
    default:
      return _("Custom");
    }
}

const char *
strata_export_font_label (guint font)
{
  return _(fonts[MIN (font, STRATA_EXPORT_N_FONTS - 1)].label);
}

const char *
strata_export_font_family (guint font)
{
  return fonts[MIN (font, STRATA_EXPORT_N_FONTS - 1)].family;
}

StrataPlotStyle *
strata_export_settings_make_style (const StrataExportSettings *settings, const StrataResult *result,
                                   const StrataPlotStyle *view_style)
{
  /* What is drawn and how it is labelled is the view's (every field, so that a new one
   * follows by itself); the export decides the rest below. */
  StrataPlotStyle *style = view_style != NULL ? strata_plot_style_copy (view_style)
                                              : strata_plot_style_new ();

  style->dark = FALSE;
  style->high_contrast = FALSE;
  style->paint_background = TRUE;
  style->opaque_bands = FALSE;
  style->palette = settings->palette;
  style->font_size = settings->font_size;
  strata_plot_style_set_font_family (style, strata_export_font_family (settings->font));
  switch (settings->size)
    {
    case STRATA_FIGURE_SIZE_SINGLE:
      strata_figure_set_journal_width (style, result, STRATA_JOURNAL_SINGLE);
      break;
    case STRATA_FIGURE_SIZE_ONE_AND_HALF:
      strata_figure_set_journal_width (style, result, STRATA_JOURNAL_ONE_AND_HALF);
      break;
    case STRATA_FIGURE_SIZE_DOUBLE:
      strata_figure_set_journal_width (style, result, STRATA_JOURNAL_DOUBLE);
      break;
    case STRATA_FIGURE_SIZE_CUSTOM:
    default:
      strata_figure_set_size_cm (style, settings->width_cm, settings->height_cm);
      break;
    }
  return style;
}

void
strata_export_settings_load (StrataExportSettings *settings, GSettings *gsettings)
{
  g_return_if_fail (settings != NULL && G_IS_SETTINGS (gsettings));

  /* The enums' values in the schema are those of the C enums and of fonts[]. */
  settings->format = MIN ((guint) g_settings_get_enum (gsettings, "figure-format"),
                          STRATA_FIGURE_N_FORMATS - 1);
  settings->size = MIN ((guint) g_settings_get_enum (gsettings, "figure-size"),
                        STRATA_FIGURE_N_SIZES - 1);
  settings->width_cm = g_settings_get_double (gsettings, "figure-width-cm");
  settings->height_cm = g_settings_get_double (gsettings, "figure-height-cm");
  settings->dpi = g_settings_get_int (gsettings, "figure-dpi");
  settings->font = MIN ((guint) g_settings_get_enum (gsettings, "figure-font"),
                        STRATA_EXPORT_N_FONTS - 1);
  settings->font_size = g_settings_get_double (gsettings, "figure-font-size");
  settings->palette = g_settings_get_enum (gsettings, "palette") == STRATA_PALETTE_GREYSCALE
                      ? STRATA_PALETTE_GREYSCALE : STRATA_PALETTE_OKABE_ITO;
}

void
strata_export_settings_save (const StrataExportSettings *settings, GSettings *gsettings)
{
  g_return_if_fail (settings != NULL && G_IS_SETTINGS (gsettings));

  g_settings_set_enum (gsettings, "figure-format", settings->format);
  g_settings_set_enum (gsettings, "figure-size", settings->size);
  g_settings_set_double (gsettings, "figure-width-cm", CLAMP (settings->width_cm, 1, STRATA_FIGURE_MAX_CM));
  g_settings_set_double (gsettings, "figure-height-cm", CLAMP (settings->height_cm, 1, STRATA_FIGURE_MAX_CM));
  g_settings_set_int (gsettings, "figure-dpi",
                      (int) CLAMP (round (settings->dpi), STRATA_FIGURE_DPI_MIN, STRATA_FIGURE_DPI_MAX));
  g_settings_set_enum (gsettings, "figure-font", MIN (settings->font, STRATA_EXPORT_N_FONTS - 1));
  g_settings_set_double (gsettings, "figure-font-size", CLAMP (settings->font_size, 4, 24));
  g_settings_set_enum (gsettings, "palette", settings->palette);
}

JsonObject *
strata_export_settings_to_json (const StrataExportSettings *settings)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "format", format_names[settings->format]);
  json_object_set_string_member (object, "size", size_names[settings->size]);
  json_object_set_double_member (object, "width_cm", settings->width_cm);
  json_object_set_double_member (object, "height_cm", settings->height_cm);
  json_object_set_double_member (object, "dpi", settings->dpi);
  json_object_set_string_member (object, "font_family", strata_export_font_family (settings->font));
  json_object_set_double_member (object, "font_size", settings->font_size);
  json_object_set_string_member (object, "palette",
                                 settings->palette == STRATA_PALETTE_GREYSCALE ? "greyscale" : "colour");
  return object;
}

static double
member_number (JsonObject *object, const char *name, double fallback)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  type = json_node_get_value_type (node);
  return type == G_TYPE_DOUBLE || type == G_TYPE_INT64 ? json_node_get_double (node) : fallback;
}

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
strata_export_settings_from_json (StrataExportSettings *settings, JsonObject *object)
{
  const char *text;
  double value;

  if (object == NULL)
    return;
  text = member_string (object, "format");
  for (guint f = 0; text != NULL && f < STRATA_FIGURE_N_FORMATS; f++)
    if (g_strcmp0 (text, format_names[f]) == 0)
      settings->format = f;
  text = member_string (object, "size");
  for (guint s = 0; text != NULL && s < STRATA_FIGURE_N_SIZES; s++)
    if (g_strcmp0 (text, size_names[s]) == 0)
      settings->size = s;
  value = member_number (object, "width_cm", NAN);
  if (value >= 1 && value <= STRATA_FIGURE_MAX_CM)
    settings->width_cm = value;
  value = member_number (object, "height_cm", NAN);
  if (value >= 1 && value <= STRATA_FIGURE_MAX_CM)
    settings->height_cm = value;
  value = member_number (object, "dpi", NAN);
  if (value >= STRATA_FIGURE_DPI_MIN && value <= STRATA_FIGURE_DPI_MAX)
    settings->dpi = value;
  text = member_string (object, "font_family");
  for (guint f = 0; text != NULL && f < STRATA_EXPORT_N_FONTS; f++)
    if (g_strcmp0 (text, fonts[f].family) == 0)
      settings->font = f;
  value = member_number (object, "font_size", NAN);
  if (value >= 4 && value <= 24)
    settings->font_size = value;
  text = member_string (object, "palette");
  if (text != NULL)
    settings->palette = g_strcmp0 (text, "greyscale") == 0 ? STRATA_PALETTE_GREYSCALE
                                                           : STRATA_PALETTE_OKABE_ITO;
}

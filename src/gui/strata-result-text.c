/* strata-result-text.c: numbers of a result as the GTK views write them. */
#include "strata-result-text.h"

#include <glib/gi18n.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include "strata-cohort.h"
#include "strata-km-plot.h"
#include "strata-plot-style.h"

/* The decimal separator of the user's LC_NUMERIC locale. The process keeps LC_NUMERIC at
 * "C" (main.c): the core, the plot renderer and the exports write numbers in a fixed
 * format, and nothing reads numbers with the locale's conventions. The GUI's tables,
 * captions and hover card show numbers with the user's separator through this function. */
static const char *
decimal_separator (void)
{
  static gsize initialized = 0;
  static char *separator = NULL;

  if (g_once_init_enter (&initialized))
    {
      char *value = NULL;
      locale_t user = newlocale (LC_NUMERIC_MASK, "", (locale_t) 0);

      if (user != (locale_t) 0)
        {
          const char *radix = nl_langinfo_l (RADIXCHAR, user);
          if (radix != NULL && *radix != '\0' && g_utf8_validate (radix, -1, NULL))
            value = g_strdup (radix);
          freelocale (user);
        }
      separator = value != NULL ? value : g_strdup (".");
      g_once_init_leave (&initialized, 1);
    }
  return separator;
}

char *
strata_result_text_localize (char *text)
{
  const char *separator = decimal_separator ();
  GString *out;

  if (text == NULL || strcmp (separator, ".") == 0 || strchr (text, '.') == NULL)
    return text;
  out = g_string_sized_new (strlen (text) + 8);
  for (const char *c = text; *c != '\0'; c++)
    {
      /* Only a point between two digits is a decimal point. */
      if (*c == '.' && c > text && g_ascii_isdigit (c[-1]) && g_ascii_isdigit (c[1]))
        g_string_append (out, separator);
      else
        g_string_append_c (out, *c);
    }
  g_free (text);
  return g_string_free (out, FALSE);
}

char *
strata_result_text_time (double time)
{
  if (isnan (time))
    /* Translators: "not reached", a median survival time the curve never reaches. */
    return g_strdup (C_("median", "NR"));
  return strata_result_text_localize (g_strdup_printf ("%.1f", time));
}

char *
strata_result_text_median (double median, double lower, double upper)
{
  g_autofree char *m = strata_result_text_time (median);
  g_autofree char *lo = strata_result_text_time (lower);
  g_autofree char *hi = strata_result_text_time (upper);

  return g_strdup_printf ("%s (%s–%s)", m, lo, hi);
}

static char *
percent (double value)
{
  if (isnan (value))
    return g_strdup ("NA");
  return strata_result_text_localize (g_strdup_printf ("%.1f", 100.0 * value));
}

char *
strata_result_text_percent_ci (double value, double lower, double upper)
{
  g_autofree char *v = percent (value);
  g_autofree char *lo = percent (lower);
  g_autofree char *hi = percent (upper);

  if (isnan (value))
    return g_strdup ("NA");
  return g_strdup_printf ("%s %% (%s–%s)", v, lo, hi);
}

static char *
ratio (double value)
{
  if (isnan (value))
    return g_strdup ("NA");
  if (isinf (value))
    return g_strdup ("∞");
  return strata_result_text_localize (g_strdup_printf ("%.2f", value));
}

char *
strata_result_text_ratio_ci (double value, double lower, double upper)
{
  g_autofree char *v = ratio (value);
  g_autofree char *lo = ratio (lower);
  g_autofree char *hi = ratio (upper);

  if (isnan (value))
    return g_strdup ("NA");
  return g_strdup_printf ("%s (%s–%s)", v, lo, hi);
}

char *
strata_result_text_p (double p)
{
  char *text = strata_km_plot_format_p (p);
  return text != NULL ? strata_result_text_localize (text) : g_strdup ("p = NA");
}

char *
strata_result_text_swatch (guint index, gboolean dark)
{
  g_autoptr (StrataPlotStyle) style = strata_plot_style_new ();
  StrataPlotColor color;

  style->dark = dark;
  color = strata_plot_style_group_color (style, index);
  return g_strdup_printf ("<span foreground='#%02x%02x%02x' weight='heavy'>━━</span>",
                          (int) lround (color.red * 255), (int) lround (color.green * 255),
                          (int) lround (color.blue * 255));
}

const char *
strata_result_text_group_label (const char *label)
{
  return label != NULL && *label != '\0' ? label : _("All patients");
}

char *
strata_result_text_reason (const char *reason)
{
  static const char hint[] = "; " STRATA_COHORT_EVENT_VALUES_HINT;

  if (reason == NULL)
    return NULL;
  if (!g_str_has_suffix (reason, hint))
    return g_strdup (reason);
  g_autofree char *neutral = g_strndup (reason, strlen (reason) - strlen (hint));
  /* Translators: %s is the reason a row was left out, e.g. "event value “2” is neither
   * an event nor a censoring (event: 1, yes...; censored: 0, no...)". */
  return g_strdup_printf (_("%s; open the file again and choose which values mean an event "
                            "in the import assistant"), neutral);
}

char *
strata_result_text_issue_markup (const StrataIssue *issue)
{
  g_autofree char *reason = strata_result_text_reason (issue->reason);

  if (issue->column != NULL)
    return g_markup_printf_escaped (_("<b>Line %u</b> · %s\n%s"), issue->line, issue->column,
                                    reason);
  return g_markup_printf_escaped (_("<b>Line %u</b>\n%s"), issue->line, reason);
}

char *
strata_result_text_error (const GError *error)
{
  if (g_error_matches (error, STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_EVENT_CODING))
    return g_strdup (_("The event column is coded 1 and 2, so which value means an event is "
                       "ambiguous (R codes 2 as the event). Open the file again and choose the "
                       "event values in the import assistant."));
  if (g_error_matches (error, STRATA_COHORT_ERROR, STRATA_COHORT_ERROR_NOT_NUMERIC) &&
      g_str_has_suffix (error->message, "; " STRATA_COHORT_TIME_FROM_DATES_HINT))
    {
      g_autofree char *what = g_strndup (error->message, strlen (error->message) -
                                         strlen ("; " STRATA_COHORT_TIME_FROM_DATES_HINT));
      /* Translators: %s says which time column holds dates, e.g. "cohort.csv: the time
       * column “os_date” holds dates (such as 2024-03-15), not times". */
      return g_strdup_printf (_("%s. Open the file again and turn on “Time from dates” in the "
                                "import assistant."), what);
    }
  return strata_result_text_reason (error->message);
}

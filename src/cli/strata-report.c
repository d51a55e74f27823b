/* strata-report: the analyses of the shared core on a cohort file, without a display.
 * The command line and the JSON report are a contract: spec/report-json.md.
 * Exit status: 0 success, 2 usage error, 1 input that cannot be analysed. */
#include "config.h"

#include <errno.h>
#include <libintl.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "strata-analysis.h"
#include "strata-analysis-file.h"
#include "strata-demo-cohort.h"
#include "strata-atomic-file.h"
#include "strata-figure-export.h"
#include "strata-xlsx-export.h"
#include "strata-plot-style.h"
#include "strata-report-json.h"
#include "strata-text-report.h"

#define EXIT_USAGE 2
#define EXIT_INPUT 1

typedef struct {
  char *time;
  char *event;
  char *event_values;
  char *time_from;
  char *time_to;
  char *time_unit;
  char *last_contact;  /* --last-contact */
  char **date_orders;  /* --date-order */
  char *sheet;
  int header_row;      /* --header-row: 1-based, 0 = the first row with a value */
  char *analysis;
  char *status;
  char **by;
  char **where;
  char *order;
  char *reference;
  char *conf_type;
  char *conf_level;
  char *landmarks;
  char **responses;
  char *json;
  char *figure;
  char *xlsx;
  char **files;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->time);
  g_free (o->event);
  g_free (o->event_values);
  g_free (o->time_from);
  g_free (o->time_to);
  g_free (o->time_unit);
  g_free (o->last_contact);
  g_strfreev (o->date_orders);
  g_free (o->sheet);
  g_free (o->analysis);
  g_free (o->status);
  g_strfreev (o->by);
  g_strfreev (o->where);
  g_free (o->order);
  g_free (o->reference);
  g_free (o->conf_type);
  g_free (o->conf_level);
  g_free (o->landmarks);
  g_strfreev (o->responses);
  g_free (o->json);
  g_free (o->figure);
  g_free (o->xlsx);
  g_strfreev (o->files);
}

static int
usage_error (const char *message)
{
  g_printerr ("strata-report: %s\nTry “strata-report --help” for the options.\n", message);
  return EXIT_USAGE;
}

static gboolean
build_spec (const Options *o, StrataSpec *spec, GError **error)
{
  spec->time_column = g_strdup (o->time);
  spec->event_column = g_strdup (o->event);
  spec->status_column = g_strdup (o->status);
  spec->time_from = g_strdup (o->time_from);
  spec->time_to = g_strdup (o->time_to);
  spec->time_unit = g_strdup (o->time_unit);
  spec->last_contact = g_strdup (o->last_contact);
  for (guint i = 0; o->date_orders != NULL && o->date_orders[i] != NULL; i++)
    if (!strata_spec_add_date_order (spec, o->date_orders[i], error))
      return FALSE;
  if ((o->time_from == NULL) != (o->time_to == NULL) ||
      ((o->time_unit || o->last_contact) && !o->time_from))
    {
      g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID,
                   "--time-from and --time-to go together (start and end date columns), "
                   "with --time-unit=days|weeks|months|years and --last-contact=COLUMN");
      return FALSE;
    }
  if (o->time_from != NULL && o->time != NULL)
    {
      g_set_error (error, STRATA_SPEC_ERROR, STRATA_SPEC_ERROR_INVALID,
                   "give either --time or --time-from/--time-to, not both");
      return FALSE;
    }
  spec->reference = g_strdup (o->reference);
  if (o->event_values != NULL &&
      (spec->event_values = strata_spec_split_list (o->event_values, "--event-values", error)) == NULL)
    return FALSE;
  if (o->order != NULL && (spec->order = strata_spec_split_list (o->order, "--order", error)) == NULL)
    return FALSE;
  for (guint i = 0; o->by != NULL && o->by[i] != NULL; i++)
    if (!strata_spec_add_by (spec, o->by[i], error))
      return FALSE;
  for (guint i = 0; o->where != NULL && o->where[i] != NULL; i++)
    if (!strata_spec_add_where (spec, o->where[i], error))
      return FALSE;
  for (guint i = 0; o->responses != NULL && o->responses[i] != NULL; i++)
    if (!strata_spec_add_response (spec, o->responses[i], error))
      return FALSE;
  if (o->conf_type != NULL && !strata_spec_set_conf_type (spec, o->conf_type, error))
    return FALSE;
  if (o->conf_level != NULL && !strata_spec_set_conf_level (spec, o->conf_level, error))
    return FALSE;
  if (o->landmarks != NULL && !strata_spec_set_landmarks (spec, o->landmarks, error))
    return FALSE;
  return TRUE;
}

/* Writes TEXT to TEMP_PATH in place (the atomic writer's temporary file may be an
 * anonymous /proc/self/fd/N, which g_file_set_contents cannot write beside). */
static gboolean
write_text_cb (const char *temp_path, gpointer text, GError **error)
{
  FILE *file = fopen (temp_path, "wb");
  gsize length = strlen (text);
  gboolean ok;

  if (file == NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errno), g_strerror (errno));
      return FALSE;
    }
  ok = fwrite (text, 1, length, file) == length;
  int errsv = errno;
  ok = (fclose (file) == 0) && ok;
  if (!ok)
    g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errsv), g_strerror (errsv));
  return ok;
}

static gboolean
write_output (const char *destination, const char *text, GError **error)
{
  if (g_strcmp0 (destination, "-") == 0)
    {
      fputs (text, stdout);
      return fflush (stdout) == 0;
    }
  /* Atomic, as every file Strata writes: a killed writer leaves the old file. */
  return strata_atomic_file_replace (destination, write_text_cb, (gpointer) text, error);
}

static void
print_warnings (const StrataResult *result)
{
  for (guint i = 0; i < result->excluded->len; i++)
    {
      const StrataIssue *issue = g_ptr_array_index (result->excluded, i);
      if (issue->column != NULL)
        g_printerr ("strata-report: %s: line %u, column “%s”: %s (row excluded)\n",
                    result->file, issue->line, issue->column, issue->reason);
      else
        g_printerr ("strata-report: %s: line %u: %s (row excluded)\n", result->file,
                    issue->line, issue->reason);
    }
}

/* The x-axis title: "Time, months" when the time column names its unit (os_months,
 * time_days...), else "Time". */
static char *
time_axis_label (const StrataResult *result)
{
  static const char *const units[] = { "days", "weeks", "months", "years", NULL };

  for (guint i = 0; units[i] != NULL; i++)
    if (g_str_has_suffix (result->time_column, units[i]))
      return g_strdup_printf ("Time, %s", units[i]);
  return g_strdup ("Time");
}

static StrataPlotStyle *
figure_style (const StrataResult *result, StrataJournalWidth width)
{
  StrataPlotStyle *style = strata_plot_style_new ();
  g_autofree char *x_label = time_axis_label (result);

  strata_plot_style_set_x_label (style, x_label);
  strata_figure_set_journal_width (style, result, width);
  return style;
}

/* Writes the KM figure at single-column journal width (8 cm); raster at 600 dpi. */
static gboolean
write_figure (const StrataResult *result, const char *path, GError **error)
{
  g_autoptr (StrataPlotStyle) style = figure_style (result, STRATA_JOURNAL_SINGLE);

  return strata_figure_export_by_extension (result, style, path, 600, error);
}

/* Writes the workbook: every sheet, the rows of the file with their inclusion, and
 * the figure as it would be exported. */
static gboolean
write_workbook (const StrataResult *result, StrataTable *table, const StrataSpec *spec,
                const char *source, const char *path, GError **error)
{
  g_autoptr (StrataPlotStyle) style = figure_style (result, STRATA_JOURNAL_DOUBLE);
  StrataXlsxOptions options = { 0 };

  g_autoptr (GBytes) png = strata_figure_render_png (result, style, 150, error);
  if (png == NULL)
    return FALSE;
  options.source_path = source;
  options.figure_png = png;
  options.version = PACKAGE_VERSION;
  options.table = table;
  options.spec = spec;
  return strata_xlsx_export (result, &options, path, error);
}

/* TRUE when any option describing the analysis (not only where to write it) is given. */
static gboolean
has_analysis_options (const Options *o)
{
  return o->time || o->event || o->event_values || o->time_from || o->time_to || o->time_unit ||
         o->last_contact || o->date_orders ||
         o->status || o->by || o->where || o->order || o->reference || o->conf_type ||
         o->conf_level || o->landmarks || o->responses;
}

/* The spec and cohort path of a saved analysis file: the recorded source unless
 * COHORT_FILE is given; a changed source is said on standard error. *SHEET and
 * *HEADER_ROW get the recorded sheet and header row. */
static gboolean
load_analysis_file (const Options *o, StrataSpec **spec, char **path, char **sheet,
                    guint *header_row, GError **error)
{
  g_autoptr (StrataAnalysisFile) file = strata_analysis_file_load (o->analysis, o->files == NULL,
                                                                   NULL, error);
  if (file == NULL)
    return FALSE;
  if (o->files == NULL && (file->source_status == STRATA_SOURCE_MISSING ||
                           file->source_status == STRATA_SOURCE_UNREADABLE))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: %s", o->analysis,
                   file->source_message);
      return FALSE;
    }
  if (file->source_status == STRATA_SOURCE_CHANGED)
    g_printerr ("strata-report: warning: %s\n", file->source_message);
  *spec = strata_spec_copy (file->spec);
  *path = g_strdup (o->files != NULL ? o->files[0] : file->source_path);
  *sheet = g_strdup (file->sheet);
  *header_row = file->header_row;
  return TRUE;
}

/* Runs the analysis the options describe; returns the exit status. */
static int
run (const Options *o)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (StrataSpec) spec = NULL;
  g_autofree char *path = NULL;
  g_autofree char *recorded_sheet = NULL;   /* --analysis: the sheet and header row saved */
  guint recorded_header_row = 0;

  if (o->files != NULL && g_strv_length (o->files) > 1)
    return usage_error ("give one cohort file");
  if (o->analysis != NULL && has_analysis_options (o))
    return usage_error ("--analysis holds every analysis option; add only --json, --xlsx or --figure");
  if (o->analysis != NULL)
    {
      if (!load_analysis_file (o, &spec, &path, &recorded_sheet, &recorded_header_row, &error))
        {
          g_printerr ("strata-report: %s\n", error->message);
          return EXIT_INPUT;
        }
    }
  else
    {
      spec = strata_spec_new ();
      if (!build_spec (o, spec, &error))
        return usage_error (error->message);
      path = o->files != NULL && o->files[0] != NULL ? g_strdup (o->files[0])
                                                     : strata_demo_cohort_path ();
    }
  StrataFigureFormat format;
  if (o->figure != NULL && !strata_figure_format_from_path (o->figure, &format))
    return usage_error ("--figure: give a file ending in .png, .pdf, .svg, .eps or .tif");

  if (o->header_row < 0)
    return usage_error ("--header-row: give a row number from 1 (0: the first row with a value)");
  g_autoptr (StrataTable) table = strata_table_load_file_options (
    path, o->sheet ? o->sheet : recorded_sheet,
    o->header_row > 0 ? (guint) o->header_row : recorded_header_row, &error);
  if (table == NULL)
    {
      g_printerr ("strata-report: %s\n", error->message);
      return EXIT_INPUT;
    }
  g_autoptr (StrataCohort) cohort = strata_cohort_new (table);
  g_autoptr (StrataResult) result = strata_analysis_run (cohort, spec, NULL, &error);
  if (result == NULL)
    {
      g_printerr ("strata-report: %s\n", error->message);
      return EXIT_INPUT;
    }
  print_warnings (result);

  g_autofree char *text = o->json != NULL
                          ? strata_report_json_to_string (result, "strata-report " PACKAGE_VERSION)
                          : strata_text_report (result);
  if (!write_output (o->json != NULL ? o->json : "-", text, &error))
    {
      g_printerr ("strata-report: cannot write %s: %s\n", o->json ? o->json : "the report",
                  error ? error->message : g_strerror (errno));
      return EXIT_INPUT;
    }
  if (o->xlsx != NULL && !write_workbook (result, table, spec, path, o->xlsx, &error))
    {
      g_printerr ("strata-report: %s\n", error->message);
      return EXIT_INPUT;
    }
  if (o->figure != NULL && !write_figure (result, o->figure, &error))
    {
      g_printerr ("strata-report: %s\n", error->message);
      return EXIT_INPUT;
    }
  return EXIT_SUCCESS;
}

/* The report is a contract (spec/report-json.md) that scripts and checks read: its
 * messages, those of the core and the figure's words stay English whatever the user's
 * language. The core and the renderer look their words up in the "strata" domain, bound
 * here as in the GUI (STRATA_LOCALEDIR for uninstalled runs), so the catalogues are
 * within reach wherever Strata is installed: what keeps the output English is
 * LC_MESSAGES "C", with which gettext ignores LANGUAGE and returns each message as
 * written (test-cli checks it with LANGUAGE=de). Call after setlocale (LC_ALL, ""). */
static void
keep_messages_english (void)
{
  const char *localedir = g_getenv ("STRATA_LOCALEDIR");

  setlocale (LC_MESSAGES, "C");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
}

int
main (int argc, char **argv)
{
  Options o = { 0 };
  g_autoptr (GError) error = NULL;
  const GOptionEntry entries[] = {
    { "time", 0, 0, G_OPTION_ARG_STRING, &o.time, "Time-to-event column (default: auto-detect)", "COLUMN" },
    { "event", 0, 0, G_OPTION_ARG_STRING, &o.event, "Event indicator column (default: auto-detect)", "COLUMN" },
    { "event-values", 0, 0, G_OPTION_ARG_STRING, &o.event_values,
      "Values of the event column that mean “event” (default: 1, yes, true, dead, died, death, event)", "V[,V...]" },
    { "time-from", 0, 0, G_OPTION_ARG_STRING, &o.time_from,
      "Derive the time from this start date column (with --time-to)", "START_COL" },
    { "time-to", 0, 0, G_OPTION_ARG_STRING, &o.time_to,
      "… to this end date column (event date, or last contact)", "END_COL" },
    { "time-unit", 0, 0, G_OPTION_ARG_STRING, &o.time_unit,
      "days | weeks | months (days / 30.4375, default) | years (days / 365.25)", "UNIT" },
    { "last-contact", 0, 0, G_OPTION_ARG_STRING, &o.last_contact,
      "With --time-from/--time-to: the last-contact date column, the end of a row with no "
      "--time-to date (censored); without --event, a --time-to date means an event", "COLUMN" },
    { "date-order", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.date_orders,
      "How to read a date column whose dates read either way (03/04/2024): "
      "COLUMN:day-first or COLUMN:month-first; repeatable", "COLUMN:ORDER" },
    { "analysis", 0, 0, G_OPTION_ARG_FILENAME, &o.analysis,
      "Reproduce a saved analysis (.strata from the Strata window): its cohort file and every "
      "option; COHORT_FILE, when given, replaces the recorded file", "FILE.strata" },
    { "sheet", 0, 0, G_OPTION_ARG_STRING, &o.sheet,
      "The sheet of an .xlsx or .ods workbook (default: the first with data)", "NAME" },
    { "header-row", 0, 0, G_OPTION_ARG_INT, &o.header_row,
      "The row of the column names, from 1 (a sheet row, or a line of a CSV file); rows "
      "above it are ignored (default: the first row with a value)", "N" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &o.status,
      "Competing risks: a column coded 0 censored, 1 event of interest, 2 competing event", "COLUMN" },
    { "by", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.by,
      "Compare groups: a categorical COLUMN or a cut COLUMN>=X; repeat to cross", "GROUP" },
    { "where", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.where,
      "Keep matching rows: COLUMN=V1[,V2...] or COLUMN OP X (OP: > >= < <=); repeatable", "FILTER" },
    { "order", 0, 0, G_OPTION_ARG_STRING, &o.order, "Order of the groups", "L1,L2,..." },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &o.reference, "Reference group (default: the first)", "LABEL" },
    { "conf-type", 0, 0, G_OPTION_ARG_STRING, &o.conf_type, "log | log-log | plain (default: log-log)", "TYPE" },
    { "conf-level", 0, 0, G_OPTION_ARG_STRING, &o.conf_level, "Confidence level (default: 0.95)", "P" },
    { "landmarks", 0, 0, G_OPTION_ARG_STRING, &o.landmarks, "Times for survival estimates, e.g. 12,24", "T[,T...]" },
    { "response", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.responses,
      "A response table of COLUMN by group; LEVEL is the success level; repeatable", "COLUMN[:LEVEL]" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &o.json, "Write the JSON report (“-” = standard output)", "FILE" },
    { "xlsx", 0, 0, G_OPTION_ARG_FILENAME, &o.xlsx,
      "Write the Excel workbook (summary, Kaplan–Meier tables and chart, responses, patients, methods)",
      "FILE" },
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &o.figure,
      "Write the Kaplan–Meier figure; the format follows the extension (png, pdf, svg, eps, tif), "
      "single journal column (8 cm), 600 dpi for raster", "FILE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.files, NULL, "[COHORT_FILE]" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— survival and response report of a cohort");
  int status;

  /* Large arrays come and go during one analysis: keep them on the heap for reuse
   * instead of mapping (and page-faulting) fresh memory each time. */
  mallopt (M_MMAP_THRESHOLD, 512 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 512 * 1024 * 1024);
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  keep_messages_english ();
  gsl_set_error_handler_off ();
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Without COHORT_FILE, the bundled synthetic demo cohort is analysed.\n"
    "Exit status: 0 success, 1 input that cannot be analysed, 2 usage error.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    status = usage_error (error->message);
  else
    status = run (&o);
  options_clear (&o);
  return status;
}

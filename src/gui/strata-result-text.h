/* strata-result-text.h: how the GTK views write the numbers of a StrataResult: the
 * same rounding as the figures and the journal style of p-values. */
#pragma once

#include <glib.h>
#include "strata-result.h"
#include "strata-table.h"

G_BEGIN_DECLS

/* TEXT (freed) with each decimal point between two digits replaced by the separator of the
 * user's LC_NUMERIC locale, for display only. */
char *strata_result_text_localize (char *text);
/* "22.1" or "NR" (not reached: NaN). */
char *strata_result_text_time (double time);
/* "22.1 (15.0–NR)": a median with its confidence interval. */
char *strata_result_text_median (double median, double lower, double upper);
/* "71.5 % (65.2–76.9)": a proportion with its interval; "NA" parts for NaN. */
char *strata_result_text_percent_ci (double value, double lower, double upper);
/* "1.52 (0.91–2.53)": a ratio with its interval. */
char *strata_result_text_ratio_ci (double value, double lower, double upper);
/* "p = 0.032", "p < 0.001" (journal style); "p = NA" for NaN. */
char *strata_result_text_p (double p);
/* Pango markup of a short line in the plot colour of group INDEX (light or DARK). */
char *strata_result_text_swatch (guint index, gboolean dark);
/* The label of a group as shown ("All patients" for the single unlabelled group). */
const char *strata_result_text_group_label (const char *label);
/* The reason a row was left out, in the window's words: the core's reason with the
 * advice meant for strata-report (an option to pass) replaced by where to do it here. */
char *strata_result_text_reason (const char *reason);
/* An excluded row (line, column, reason in the window's words) as Pango markup, for the
 * lists of the import assistant and of the exclusions dialog. */
char *strata_result_text_issue_markup (const StrataIssue *issue);
/* The same for an error of the core (GError message). */
char *strata_result_text_error (const GError *error);

G_END_DECLS

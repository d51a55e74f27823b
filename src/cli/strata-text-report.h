/* strata-text-report.h: the readable report strata-report prints without --json. */
#pragma once

#include <glib.h>
#include "strata-result.h"

G_BEGIN_DECLS

/* A p-value as journals print it: "p = 0.032", "p < 0.001". */
char *strata_format_p_value (double p);

char *strata_text_report (const StrataResult *result);

G_END_DECLS

/* strata-report-json.h: the JSON report of spec/report-json.md. */
#pragma once

#include <glib.h>
#include "strata-result.h"

G_BEGIN_DECLS

/* Returns the JSON report of RESULT; GENERATOR is e.g. "strata-report 0.1.0". */
char *strata_report_json_to_string (const StrataResult *result, const char *generator);

G_END_DECLS

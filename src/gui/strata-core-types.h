/* strata-core-types.h: GTypes for the core's reference-counted structures, so that
 * GObject properties, signals and GTask can carry them. */
#pragma once

#include <glib-object.h>
#include "strata-cohort.h"
#include "strata-result.h"
#include "strata-spec.h"

G_BEGIN_DECLS

#define STRATA_TYPE_RESULT (strata_result_get_type ())
GType strata_result_get_type (void) G_GNUC_CONST;

#define STRATA_TYPE_COHORT (strata_cohort_get_type ())
GType strata_cohort_get_type (void) G_GNUC_CONST;

#define STRATA_TYPE_SPEC (strata_spec_get_type ())
GType strata_spec_get_type (void) G_GNUC_CONST;

G_END_DECLS

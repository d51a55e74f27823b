/* strata-core-types.c: boxed GTypes for StrataResult, StrataCohort and StrataSpec. */
#include "strata-core-types.h"

G_DEFINE_BOXED_TYPE (StrataResult, strata_result, strata_result_ref, strata_result_unref)
G_DEFINE_BOXED_TYPE (StrataCohort, strata_cohort, strata_cohort_ref, strata_cohort_unref)
G_DEFINE_BOXED_TYPE (StrataSpec, strata_spec, strata_spec_copy, strata_spec_free)

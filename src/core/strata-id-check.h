/* strata-id-check.h: a warning when a patient identifier appears on more than one row.
 *
 * A cohort file has one row per patient. A repeated identifier usually means a patient
 * entered twice, or a file with one row per visit: either way every row still counts as
 * a patient, so the import says so instead of staying silent. There is no ID column role:
 * the column is found by its name.
 */
#pragma once

#include "strata-table.h"

G_BEGIN_DECLS

/* The index of TABLE's patient-ID column: the first column, in file order, whose name
 * is (ignoring case) id, patient_id, patientid, patient, patient_no, patient_number,
 * subject, subject_id, subjectid, subjid, usubjid, record_id, participant_id, case_id,
 * mrn or pid. -1 when there is none. */
int strata_id_check_find_column (const StrataTable *table);

/* Adds one import warning to TABLE (strata_table_get_warnings) when values of its
 * patient-ID column repeat (missing cells are not IDs; numbers compare by value, so
 * "7" and "7.0" are the same patient): the column, the first three repeated values with
 * the lines of their rows (at most five each, then "and N more"), how many other values
 * repeat, and what to do. For example:
 *
 *   column "id" has repeated patient IDs: "1" on lines 2 and 3, "2" on lines 4 and 5;
 *   each row is counted as a separate patient; remove or merge duplicate rows if they
 *   are the same patient
 *
 * Returns TABLE, so that a loader can end with `return strata_id_check_table (t);`;
 * NULL (a failed load) is returned as is. Linear time when no value repeats. */
StrataTable *strata_id_check_table (StrataTable *table);

G_END_DECLS

/* strata-import-assistant.h: the window that comes up when the user opens a cohort
 * file: the first rows, the role of each column (guessed, editable) and the import
 * report (encoding, delimiter, every rejected or excluded row with its line and
 * reason). "Analyse" hands the roles to the strata panel; nothing is dropped without
 * the user seeing it. */
#pragma once

#include <adwaita.h>
#include "strata-cohort.h"
#include "strata-column-roles.h"
#include "strata-date.h"

G_BEGIN_DECLS

#define STRATA_TYPE_IMPORT_ASSISTANT (strata_import_assistant_get_type ())
G_DECLARE_FINAL_TYPE (StrataImportAssistant, strata_import_assistant, STRATA, IMPORT_ASSISTANT,
                      AdwWindow)

/* The role of a column other than the endpoint's, as the assistant offers it. */
typedef enum {
  STRATA_IMPORT_ROLE_NONE,
  STRATA_IMPORT_ROLE_SITE,
  STRATA_IMPORT_ROLE_BLASTS,
  STRATA_IMPORT_ROLE_RESPONSE,
  STRATA_IMPORT_ROLE_STRATUM,
} StrataImportRole;

/* A modal assistant over PARENT for COHORT (imported from a file named DISPLAY_NAME),
 * starting from ROLES (copied; e.g. strata_column_roles_guess()).
 * It emits ::finished (gboolean applied) once, when the user presses Analyse (TRUE,
 * strata_import_assistant_get_roles() then holds the mapping) or closes it (FALSE),
 * and then closes. Actions: assistant.apply, assistant.cancel. */
StrataImportAssistant *strata_import_assistant_new (GtkWindow *parent, StrataCohort *cohort,
                                                    const char *display_name,
                                                    const StrataColumnRoles *roles);

StrataCohort *strata_import_assistant_get_cohort (StrataImportAssistant *self);

/* The mapping as now chosen (NULL when it is not complete: no time or event column,
 * or a site value that is not in the column); owned by the assistant. */
const StrataColumnRoles *strata_import_assistant_get_roles (StrataImportAssistant *self);
/* Why the mapping is not complete, in plain words; NULL when it is. */
const char *strata_import_assistant_get_problem (StrataImportAssistant *self);

/* What the user can change, for tests and keyboard-free use. Each returns FALSE when
 * the column (or value) is not offered. */
gboolean strata_import_assistant_set_time_column (StrataImportAssistant *self, const char *column);
gboolean strata_import_assistant_set_event_column (StrataImportAssistant *self, const char *column);
void strata_import_assistant_set_event_values (StrataImportAssistant *self, const char *text);
gboolean strata_import_assistant_set_role (StrataImportAssistant *self, const char *column,
                                           StrataImportRole role);
StrataImportRole strata_import_assistant_get_role (StrataImportAssistant *self, const char *column);
void strata_import_assistant_set_site_values (StrataImportAssistant *self,
                                              StrataSiteClass site_class, const char *text);
void strata_import_assistant_set_burden_threshold (StrataImportAssistant *self, double percent);

/* The file shown, so that another sheet or header row can be read: for a workbook
 * (.xlsx, .ods) the assistant offers a sheet picker and a header-row spin button, and
 * reading another replaces the cohort (strata_import_assistant_get_cohort()) once the
 * read, in a worker, has ended (strata_import_assistant_get_busy()). The roles then carry
 * the sheet and header row. */
void strata_import_assistant_set_file (StrataImportAssistant *self, GFile *file);
/* NULL: the first sheet with data. FALSE when the workbook has no such sheet. */
gboolean strata_import_assistant_set_sheet (StrataImportAssistant *self, const char *sheet);
void strata_import_assistant_set_header_row (StrataImportAssistant *self, guint header_row);
StrataTable *strata_import_assistant_get_table (StrataImportAssistant *self);
/* TRUE while another sheet or header row is being read (in a worker, or waiting for the
 * header row to settle): the table, cohort and roles are still the previous ones, and
 * Analyse is disabled until the read ends. */
gboolean strata_import_assistant_get_busy (StrataImportAssistant *self);

/* The time from dates: offered when the table has two date columns or more. START NULL
 * turns it off; FALSE when a column is not a date column or UNIT not days, weeks, months
 * or years. The preview then shows the derived time (and event) of its rows as extra
 * columns after the table's (strata_import_assistant_get_preview_cell()). */
gboolean strata_import_assistant_has_date_mode (StrataImportAssistant *self);
gboolean strata_import_assistant_set_time_from_dates (StrataImportAssistant *self,
                                                      const char *start, const char *end,
                                                      const char *last_contact,
                                                      const char *unit);
/* Whether the assistant asks how COLUMN's dates are written (they read either way and
 * the column is in use), and the answer. */
gboolean strata_import_assistant_asks_date_order (StrataImportAssistant *self, const char *column);
gboolean strata_import_assistant_set_date_order (StrataImportAssistant *self, const char *column,
                                                 StrataDateOrder order);

/* The import report as plain text, one item a line (encoding, delimiter, rows, each
 * warning, each rejected row and each row the endpoint leaves out with line and
 * reason). */
char *strata_import_assistant_dup_report (StrataImportAssistant *self);
/* Rows in the preview (header excluded) and the text of a preview cell; columns past the
 * table's are the derived time and event of the time from dates. */
guint strata_import_assistant_get_preview_rows (StrataImportAssistant *self);
const char *strata_import_assistant_get_preview_cell (StrataImportAssistant *self, guint row,
                                                      guint column);

G_END_DECLS

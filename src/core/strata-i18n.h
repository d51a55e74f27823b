/* strata-i18n.h: translation of the core's messages (private to src/core; include it
 * from .c files only, never from a public header).
 *
 * _() and N_() look a message up in the application's domain (GETTEXT_PACKAGE), not in
 * the process's default one, and plural messages use g_dngettext (GETTEXT_PACKAGE, ...).
 * Which language comes out is the front end's decision, made once in its main(): the GUI
 * binds the domain and follows the user's LC_MESSAGES, so import errors, exclusion
 * reasons and warnings appear in the user's language; strata-report pins LC_MESSAGES to
 * "C", so its output (a contract, spec/report-json.md) stays English. The core never
 * calls setlocale() or bindtextdomain(). */
#pragma once

#include "config.h"

#include <glib/gi18n-lib.h>

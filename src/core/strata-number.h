/* strata-number.h: exact, locale-independent parsing of decimal numbers in table cells. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses the LENGTH bytes at TEXT (not NUL-terminated) as a plain decimal number:
 * an optional sign, digits with at most one decimal separator (at least one digit in
 * all), and an optional exponent (e or E, optional sign, digits). The separator is '.';
 * when DECIMAL_COMMA is TRUE a ',' is accepted in its place. No surrounding spaces, no
 * thousands separators, no hexadecimal, no "Inf" or "NaN". A number whose magnitude
 * overflows a double is rejected; one that underflows becomes the nearest double
 * (0 or a subnormal). The result is correctly rounded.
 * On success stores the value in VALUE and returns TRUE; else returns FALSE and leaves
 * VALUE untouched. */
gboolean strata_number_parse (const char *text, gsize length, gboolean decimal_comma,
                              double *value);

/* The same as strata_number_parse(), faster on short plain numbers (up to 8 characters:
 * digits and at most one separator), for TEXT inside a buffer that has at least 8
 * readable bytes from TEXT on (they may run past LENGTH, and are not changed). */
gboolean strata_number_parse_padded (const char *text, gsize length, gboolean decimal_comma,
                                     double *value);

G_END_DECLS

/* strata-number.c: exact, locale-independent parsing of decimal numbers in table cells.
 *
 * Fast path (Clinger, "How to read floating point numbers accurately", PLDI 1990): when
 * the digits (at most 19), read as an integer, do not exceed 2^53, the mantissa is an
 * exact double, and 10^k is an exact double for |k| <= 22, so one IEEE multiplication or
 * division gives the correctly rounded result. Everything else (more digits, larger
 * exponents) goes to g_ascii_strtod(), which is correctly rounded too, on a
 * NUL-terminated copy. The syntax is checked here in both cases, so g_ascii_strtod()
 * never sees "inf", "nan" or hexadecimal.
 */
#include "strata-number.h"

#include <math.h>
#include <string.h>

static const double exact_powers_of_ten[] = {
  1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#define MAX_FAST_DIGITS 19                        /* 10^19 < 2^64: no wrap */
#define MAX_EXACT_MANTISSA (G_GUINT64_CONSTANT (1) << 53)  /* exact as a double */
#define MAX_FAST_EXPONENT 22
#define EXPONENT_CAP 100000  /* beyond any double; larger exponents go the slow way */

static inline gboolean
is_digit (guchar c)
{
  return (guint) (c - '0') < 10;
}

static gboolean
parse_slow (const char *text, gsize length, double *value)
{
  char stack_copy[64];
  g_autofree char *heap_copy = NULL;
  char *copy = stack_copy;
  char *end = NULL;
  double v;

  if (length >= sizeof stack_copy)
    copy = heap_copy = g_malloc (length + 1);
  memcpy (copy, text, length);
  copy[length] = '\0';
  for (gsize i = 0; i < length; i++)
    if (copy[i] == ',')
      copy[i] = '.';

  v = g_ascii_strtod (copy, &end);
  if (end != copy + length || !isfinite (v))
    return FALSE;
  *value = v;
  return TRUE;
}

gboolean
strata_number_parse (const char *text, gsize length, gboolean decimal_comma, double *value)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + length;
  const guchar *digits;
  gboolean negative = FALSE;
  gboolean exponent_capped = FALSE;
  guint64 mantissa = 0;    /* wraps past 19 digits; those numbers go the slow way */
  gsize n_digits;
  gsize n_fraction = 0;
  gint64 exponent = 0;
  double v;

  /* a lone digit: 0/1 flags and small codes are the most common cells */
  if (length == 1)
    {
      if (!is_digit (p[0]))
        return FALSE;
      *value = p[0] - '0';
      return TRUE;
    }

  if (p < end && (*p == '-' || *p == '+'))
    negative = *p++ == '-';

  digits = p;
  while (p < end && is_digit (*p))
    mantissa = mantissa * 10 + (guint) (*p++ - '0');
  n_digits = (gsize) (p - digits);

  if (p < end && (*p == '.' || (decimal_comma && *p == ',')))
    {
      const guchar *fraction = ++p;

      while (p < end && is_digit (*p))
        mantissa = mantissa * 10 + (guint) (*p++ - '0');
      n_fraction = (gsize) (p - fraction);
      n_digits += n_fraction;
    }

  if (n_digits == 0)
    return FALSE;

  if (p < end)
    {
      gboolean exponent_negative = FALSE;
      gint64 e = 0;

      if (*p != 'e' && *p != 'E')
        return FALSE;
      p++;
      if (p < end && (*p == '-' || *p == '+'))
        exponent_negative = *p++ == '-';
      if (p >= end || !is_digit (*p))
        return FALSE;
      for (; p < end && is_digit (*p); p++)
        {
          if (e < EXPONENT_CAP)
            e = e * 10 + (*p - '0');
          else
            exponent_capped = TRUE;
        }
      if (p != end)
        return FALSE;
      exponent = exponent_negative ? -e : e;
    }

  if (n_digits > MAX_FAST_DIGITS || exponent_capped)
    return parse_slow (text, length, value);
  exponent -= (gint64) n_fraction;
  if (mantissa > MAX_EXACT_MANTISSA
      || exponent < -MAX_FAST_EXPONENT || exponent > MAX_FAST_EXPONENT)
    return parse_slow (text, length, value);

  v = (double) mantissa;
  if (exponent < 0)
    v /= exact_powers_of_ten[-exponent];
  else
    v *= exact_powers_of_ten[exponent];
  *value = negative ? -v : v;
  return TRUE;
}

/* Eight decimal digits, one per byte with the most significant in the lowest byte, to
 * their value (Lemire, "Fast numerical parsing", simdjson's parse_eight_digits_unrolled). */
static inline guint64
eight_digits (guint64 v)
{
  v = ((v & G_GUINT64_CONSTANT (0x0F0F0F0F0F0F0F0F)) * 2561) >> 8;
  v = ((v & G_GUINT64_CONSTANT (0x00FF00FF00FF00FF)) * 6553601) >> 16;
  return ((v & G_GUINT64_CONSTANT (0x0000FFFF0000FFFF))
          * G_GUINT64_CONSTANT (42949672960001)) >> 32;
}

gboolean
strata_number_parse_padded (const char *text, gsize length, gboolean decimal_comma,
                            double *value)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  guint64 w, flags, below;
  guint shift, dot, dot_byte;

  if (length == 0 || length > 8)
    return strata_number_parse (text, length, decimal_comma, value);

  /* The text goes to the top LENGTH bytes (its last character in the highest one) and
   * zero bytes fill the bottom: they read as leading zeros. */
  memcpy (&w, text, 8);
  shift = 8 * (8 - (guint) length);
  w = (w << shift) ^ ((ones * '0') << shift);

  /* bytes that are not 0..9 (a carry may flag a digit after a high byte too: then the
   * full parser decides) */
  flags = ((w + ones * 0x76) | w) & (ones * 0x80);
  if (flags == 0)
    {
      *value = (double) eight_digits (w);
      return TRUE;
    }
  if ((flags & (flags - 1)) != 0 || length < 2)
    return strata_number_parse (text, length, decimal_comma, value);

  dot = (guint) __builtin_ctzll (flags) / 8;
  dot_byte = (guint) (w >> (8 * dot)) & 0xFF;
  if (dot_byte != ('.' ^ '0') && !(decimal_comma && dot_byte == (',' ^ '0')))
    return strata_number_parse (text, length, decimal_comma, value);

  /* drop the separator: the bytes below it move up one */
  below = w & ((G_GUINT64_CONSTANT (1) << (8 * dot)) - 1);
  w = dot == 7 ? 0 : w & ~((G_GUINT64_CONSTANT (1) << (8 * (dot + 1))) - 1);
  w |= below << 8;
  *value = (double) eight_digits (w) / exact_powers_of_ten[7 - dot];
  return TRUE;
#else
  return strata_number_parse (text, length, decimal_comma, value);
#endif
}

/* strata-table.c: the columnar store a cohort file is imported into, and its importer.
 *
 * Import makes one pass over the decoded text:
 *   bytes -> decode (BOM, binary check, UTF-8 or Windows-1252) -> sniff the delimiter
 *   -> header -> records (strata-csv-reader.c) -> one builder per column.
 * Records go to the builders in batches of rows, with the fields pointing into the text
 * (no copies). A builder starts numeric and parses each cell into its double array. At
 * the first cell that is neither missing nor a number it turns into a level column:
 * cells from then on are interned (open-addressing hash set, codes in order of first
 * appearance), and the cells before it are re-read once at the end, in one pass shared
 * by all such columns and only over the rows before the latest switch. Level text lives
 * in a text arena owned by the table, so there is no allocation per cell.
 * A large file is read by two threads, each reading every record but filling only the
 * builders of its share of the columns: no merge, and the same result as one thread.
 */
#include "strata-table.h"
#include "strata-table-private.h"
#include "strata-i18n.h"

#include "strata-csv-reader.h"
#include "strata-id-check.h"
#include "strata-memory-check.h"
#include "strata-number.h"
#include "strata-spreadsheet.h"
#include "strata-stat-file.h"
#include "strata-zip.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define ENCODING_UTF8 "UTF-8"
/* Translated where they are set (the import assistant shows them) */
#define ENCODING_UTF8_BOM N_("UTF-8 with BOM")
#define ENCODING_WINDOWS_1252 N_("Windows-1252 (converted to UTF-8)")
#define ENCODING_UTF16LE N_("UTF-16LE (converted to UTF-8)")
#define ENCODING_UTF16BE N_("UTF-16BE (converted to UTF-8)")

/* The binary check looks at this many leading bytes for control characters, and calls
 * the data binary when more than 1 in CONTROL_SHARE_LIMIT of them are. */
#define CONTROL_SAMPLE_BYTES (64 * 1024)
#define CONTROL_SHARE_LIMIT 20

/* A categorical column has at most this many levels, and either few levels or each
 * level used twice on average. */
#define CATEGORICAL_MAX_LEVELS 50
#define CATEGORICAL_FEW_LEVELS 12

#define MAX_ROWS (G_MAXUINT32 - 2)

/* Rows are handed to the column builders in batches of up to MAX_BATCH_ROWS rows and
 * about BATCH_CELLS cells. */
#define MAX_BATCH_ROWS 64
#define BATCH_CELLS 4096

/* Data of this size or more is read by two threads when there are two processors. */
#define PARALLEL_MIN_BYTES (4 * 1024 * 1024)

/* Header warnings beyond this many are summed up in one. */
#define MAX_HEADER_WARNINGS 20

G_DEFINE_QUARK (strata-import-error-quark, strata_import_error)

/* ---------------------------------------------------------------- issues */

StrataIssue *
strata_issue_new (guint line, const char *column, const char *reason)
{
  StrataIssue *issue = g_new0 (StrataIssue, 1);

  issue->line = line;
  issue->column = g_strdup (column);
  issue->reason = g_strdup (reason);
  return issue;
}

void
strata_issue_free (StrataIssue *issue)
{
  if (issue == NULL)
    return;
  g_free (issue->column);
  g_free (issue->reason);
  g_free (issue);
}

/* ---------------------------------------------------------------- text arena */

#define ARENA_FIRST_BLOCK (64 * 1024)
#define ARENA_MAX_BLOCK (4 * 1024 * 1024)


StrataTextArena *
strata_text_arena_new (void)
{
  StrataTextArena *arena = g_new0 (StrataTextArena, 1);

  arena->blocks = g_ptr_array_new_with_free_func (g_free);
  arena->block_size = ARENA_FIRST_BLOCK;
  return arena;
}

void
strata_text_arena_free (StrataTextArena *arena)
{
  g_ptr_array_unref (arena->blocks);
  g_free (arena);
}

/* A copy of the LENGTH bytes at TEXT, NUL-terminated, that lives as long as ARENA. */
const char *
strata_text_arena_add (StrataTextArena *arena, const char *text, gsize length)
{
  char *copy;

  if (G_UNLIKELY (arena->left <= length))
    {
      gsize size = MAX (arena->block_size, length + 1);

      arena->next = strata_large_alloc (size, 1);
      arena->left = size;
      g_ptr_array_add (arena->blocks, arena->next);
      arena->block_size = MIN (arena->block_size * 4, ARENA_MAX_BLOCK);
    }
  copy = arena->next;
  memcpy (copy, text, length);
  copy[length] = '\0';
  arena->next += length + 1;
  arena->left -= length + 1;
  return copy;
}

/* ---------------------------------------------------------------- life cycle */

StrataTable *
strata_table_alloc (const char *display_name)
{
  StrataTable *table = g_new0 (StrataTable, 1);

  g_atomic_ref_count_init (&table->ref_count);
  table->display_name = g_strdup (display_name != NULL ? display_name : "");
  table->encoding = ENCODING_UTF8;
  table->delimiter = ',';
  table->rejected = g_ptr_array_new_with_free_func ((GDestroyNotify) strata_issue_free);
  table->warnings = g_ptr_array_new_with_free_func (g_free);
  table->level_text = strata_text_arena_new ();
  table->format = "CSV";
  return table;
}

static void
strata_table_free (StrataTable *table)
{
  for (guint i = 0; i < table->n_columns; i++)
    {
      StrataColumn *column = &table->columns[i];

      g_free (column->name);
      g_free (column->values);
      g_free (column->codes);
      g_clear_pointer (&column->levels, g_ptr_array_unref);
    }
  g_free (table->columns);
  g_free (table->lines);
  g_clear_pointer (&table->column_index, g_hash_table_unref);
  g_ptr_array_unref (table->rejected);
  g_ptr_array_unref (table->warnings);
  strata_text_arena_free (table->level_text);
  g_clear_pointer (&table->extra_level_text, strata_text_arena_free);
  if (table->descriptions != NULL)
    for (guint i = 0; i < table->n_columns; i++)
      g_free (table->descriptions[i]);
  g_free (table->descriptions);
  g_free (table->display_name);
  g_free (table);
}

StrataTable *
strata_table_ref (StrataTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);

  g_atomic_ref_count_inc (&table->ref_count);
  return table;
}

void
strata_table_unref (StrataTable *table)
{
  g_return_if_fail (table != NULL);

  if (g_atomic_ref_count_dec (&table->ref_count))
    strata_table_free (table);
}

/* ---------------------------------------------------------------- accessors */

guint
strata_table_get_n_rows (const StrataTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->n_rows;
}

guint
strata_table_get_n_columns (const StrataTable *table)
{
  g_return_val_if_fail (table != NULL, 0);
  return table->n_columns;
}

const StrataColumn *
strata_table_get_column (const StrataTable *table, guint index)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (index < table->n_columns, NULL);
  return &table->columns[index];
}

const StrataColumn *
strata_table_find_column (const StrataTable *table, const char *name)
{
  guint index;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  index = GPOINTER_TO_UINT (g_hash_table_lookup (table->column_index, name));
  return index > 0 ? &table->columns[index - 1] : NULL;
}

const guint *
strata_table_get_lines (const StrataTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  return table->lines;
}

const char *
strata_table_get_display_name (const StrataTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  return table->display_name;
}

const char *
strata_table_get_encoding (const StrataTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  return table->encoding;
}

char
strata_table_get_delimiter (const StrataTable *table)
{
  g_return_val_if_fail (table != NULL, ',');
  return table->delimiter;
}

gboolean
strata_table_get_decimal_comma (const StrataTable *table)
{
  g_return_val_if_fail (table != NULL, FALSE);
  return table->decimal_comma;
}

GPtrArray *
strata_table_get_rejected (const StrataTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  return table->rejected;
}

const char *
strata_table_get_column_description (const StrataTable *table, guint index)
{
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (index < table->n_columns, NULL);
  return table->descriptions != NULL ? table->descriptions[index] : NULL;
}

const char *
strata_table_get_format (const StrataTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  return table->format;
}

GPtrArray *
strata_table_get_warnings (const StrataTable *table)
{
  g_return_val_if_fail (table != NULL, NULL);
  return table->warnings;
}

void
strata_table_add_warning (StrataTable *table, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (table->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

/* ---------------------------------------------------------------- memory */

#define HUGE_PAGE_SIZE ((gsize) 2 * 1024 * 1024)
#define LARGE_BLOCK_SIZE (HUGE_PAGE_SIZE / 2)

/* A big import writes hundreds of MB of fresh memory, and with 4 KiB pages the page
 * faults cost more than the parsing. Arrays of LARGE_BLOCK_SIZE or more are therefore
 * whole 2 MiB pages, aligned, and ask for transparent huge pages (harmless where THP is
 * off). They are ordinary heap blocks: g_free() and g_realloc() work on them. */
static void
advise_huge_pages (gpointer memory, gsize size)
{
#ifdef MADV_HUGEPAGE
  guintptr start = ((guintptr) memory + HUGE_PAGE_SIZE - 1) & ~(guintptr) (HUGE_PAGE_SIZE - 1);
  guintptr end = ((guintptr) memory + size) & ~(guintptr) (HUGE_PAGE_SIZE - 1);

  if (memory != NULL && end > start)
    madvise ((void *) start, end - start, MADV_HUGEPAGE);
#endif
}

/* Returns NULL only when the memory is not there. */
gpointer
strata_large_try_alloc (gsize n, gsize element_size)
{
  gsize size;
  void *memory = NULL;

  if (element_size != 0 && n > G_MAXSIZE / element_size - HUGE_PAGE_SIZE)
    return NULL;
  size = n * element_size;
  if (size < LARGE_BLOCK_SIZE)
    return g_try_malloc (MAX (size, 1));

  size = (size + HUGE_PAGE_SIZE - 1) & ~(HUGE_PAGE_SIZE - 1);
  if (posix_memalign (&memory, HUGE_PAGE_SIZE, size) != 0)
    return NULL;
  advise_huge_pages (memory, size);
  return memory;
}

gpointer
strata_large_alloc (gsize n, gsize element_size)
{
  gpointer memory = strata_large_try_alloc (n, element_size);

  if (memory == NULL)
    g_error ("strata-table: failed to allocate %" G_GSIZE_FORMAT " x %" G_GSIZE_FORMAT
             " bytes", n, element_size);
  return memory;
}

gpointer
strata_large_realloc (gpointer memory, gsize n, gsize element_size)
{
  memory = g_realloc_n (memory, n, element_size);
  advise_huge_pages (memory, n * element_size);
  return memory;
}

/* ---------------------------------------------------------------- cells */

/* ---------------------------------------------------------------- level sets */


static inline guint32
hash_bytes (const char *text, gsize length)
{
  const guchar *p = (const guchar *) text;
  guint64 h = 0x9E3779B97F4A7C15ull ^ length;
  guint64 w = 0;

  for (; length >= 8; p += 8, length -= 8)
    {
      memcpy (&w, p, 8);
      h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 29;
    }
  w = 0;
  for (gsize i = 0; i < length; i++)
    w |= (guint64) p[i] << (8 * i);
  h = (h ^ w) * 0x94D049BB133111EBull;
  h ^= h >> 32;
  return (guint32) h;
}

/* Zeroed slot tables; large ones straight from the kernel, already zero, in huge pages. */
static guint64 *
slots_new (gsize n)
{
  gsize size = n * sizeof (guint64);
  void *memory;

  if (size < LARGE_BLOCK_SIZE)
    return g_new0 (guint64, n);
  memory = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED)
    g_error ("strata-table: failed to map %" G_GSIZE_FORMAT " bytes", size);
  advise_huge_pages (memory, size);
  return memory;
}

static void
slots_free (guint64 *slots, gsize n)
{
  if (slots == NULL)
    return;
  if (n * sizeof (guint64) < LARGE_BLOCK_SIZE)
    g_free (slots);
  else
    munmap (slots, n * sizeof (guint64));
}

void
strata_level_set_init (StrataLevelSet *set)
{
  set->mask = 15;
  set->slots = slots_new (set->mask + 1);
  set->levels = g_ptr_array_new ();
}

void
strata_level_set_clear (StrataLevelSet *set)
{
  slots_free (set->slots, set->slots != NULL ? set->mask + 1 : 0);
  set->slots = NULL;
  g_clear_pointer (&set->levels, g_ptr_array_unref);
  set->mask = 0;
}

static void
strata_level_set_grow (StrataLevelSet *set)
{
  gsize size = (set->mask + 1) * 2;
  guint64 *slots = slots_new (size);

  for (gsize i = 0; i <= set->mask; i++)
    {
      guint64 slot = set->slots[i];
      gsize j;

      if (slot == 0)
        continue;
      for (j = (slot >> 32) & (size - 1); slots[j] != 0; j = (j + 1) & (size - 1))
        ;
      slots[j] = slot;
    }
  slots_free (set->slots, set->mask + 1);
  set->slots = slots;
  set->mask = size - 1;
}

/* TRUE when the NUL-terminated LEVEL is the LENGTH bytes at TEXT (which hold no NUL, so
 * a shorter LEVEL differs at its terminator and is never read past). */
static inline gboolean
level_equals (const char *level, const char *text, gsize length)
{
  for (gsize i = 0; i < length; i++)
    if (level[i] != text[i])
      return FALSE;
  return level[length] == '\0';
}

static inline void
strata_level_set_prefetch (const StrataLevelSet *set, guint32 hash)
{
#if defined(__GNUC__)
  __builtin_prefetch (&set->slots[hash & set->mask]);
#endif
}

/* Returns the code of TEXT (whose hash_bytes() is HASH), adding it as a new level if
 * needed. A new level's text is EXISTING when given (already in an arena of the table),
 * else a copy of TEXT in ARENA. */
guint32
strata_level_set_intern_hashed (StrataLevelSet *set, StrataTextArena *arena, const char *text, gsize length,
                         guint32 hash, const char *existing)
{
  gsize i = hash & set->mask;
  guint32 code;

  for (;; i = (i + 1) & set->mask)
    {
      guint64 slot = set->slots[i];

      if (slot == 0)
        break;
      if ((guint32) (slot >> 32) != hash)
        continue;
      code = (guint32) slot - 1;
      if (level_equals (g_ptr_array_index (set->levels, code), text, length))
        return code;
    }

  code = set->levels->len;
  if (existing == NULL)
    existing = strata_text_arena_add (arena, text, length);
  g_ptr_array_add (set->levels, (gpointer) existing);
  set->slots[i] = ((guint64) hash << 32) | ((guint64) code + 1);
  if ((gsize) set->levels->len * 2 > set->mask + 1)
    strata_level_set_grow (set);
  return code;
}

guint32
strata_level_set_intern (StrataLevelSet *set, StrataTextArena *arena, const char *text, gsize length,
                  const char *existing)
{
  return strata_level_set_intern_hashed (set, arena, text, length, hash_bytes (text, length),
                                  existing);
}

/* ---------------------------------------------------------------- decoding */

/* Windows-1252 bytes 0x80..0x9F; 0 marks the five bytes it leaves undefined. The other
 * high bytes are the Latin-1 code points. */
static const guint16 windows_1252_high[32] = {
  0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
  0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static inline guint32
windows_1252_to_unicode (guchar c)
{
  return c >= 0x80 && c < 0xA0 ? windows_1252_high[c - 0x80] : c;
}

/* Offset of the first byte that is not part of valid UTF-8, or LENGTH; and in *NUL the
 * offset of the first NUL byte before it, or LENGTH. One pass for both checks: on big
 * files each pass over the bytes costs as much as a good part of the parsing. */
static gsize
find_invalid_utf8 (const guchar *s, gsize length, gsize *nul)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  gsize i = 0;

  *nul = length;
  while (i < length)
    {
      guchar c = s[i];
      gsize need;
      guchar lo = 0x80, hi = 0xBF;

      if (i + 8 <= length)
        {
          guint64 w;

          memcpy (&w, s + i, 8);
          /* no byte >= 0x80 and no zero byte */
          if (((w | ((w - ones) & ~w)) & highs) == 0)
            {
              i += 8;
              continue;
            }
        }
      if (c < 0x80)
        {
          if (c == 0 && *nul == length)
            *nul = i;
          i++;
          continue;
        }
      if (c >= 0xC2 && c <= 0xDF)
        need = 1;
      else if (c == 0xE0)
        need = 2, lo = 0xA0;
      else if (c == 0xED)
        need = 2, hi = 0x9F;
      else if (c >= 0xE1 && c <= 0xEF)
        need = 2;
      else if (c == 0xF0)
        need = 3, lo = 0x90;
      else if (c == 0xF4)
        need = 3, hi = 0x8F;
      else if (c >= 0xF1 && c <= 0xF3)
        need = 3;
      else
        return i;

      if (length - i - 1 < need)
        return i;
      if (s[i + 1] < lo || s[i + 1] > hi)
        return i;
      for (gsize k = 2; k <= need; k++)
        if ((s[i + k] & 0xC0) != 0x80)
          return i;
      i += need + 1;
    }
  return length;
}

static inline gboolean
is_control_byte (guchar c)
{
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

/* NUL bytes anywhere, or many control bytes near the start, mean a binary file. Sets
 * *OFFSET to the offset of the first such byte in S. NUL is the offset of the first NUL
 * byte, or LENGTH if there is none (G_MAXSIZE: not known yet). */
static gboolean
looks_binary (const guchar *s, gsize length, gsize nul, gsize *offset)
{
  gsize sample = MIN (length, CONTROL_SAMPLE_BYTES);
  gsize n_control = 0;
  gsize first_control = 0;

  if (nul == G_MAXSIZE)
    {
      const guchar *p = memchr (s, '\0', length);

      nul = p != NULL ? (gsize) (p - s) : length;
    }
  if (nul < length)
    {
      *offset = nul;
      return TRUE;
    }
  for (gsize i = 0; i < sample; i++)
    if (is_control_byte (s[i]) && n_control++ == 0)
      first_control = i;
  if (n_control > 0 && n_control * CONTROL_SHARE_LIMIT > sample)
    {
      *offset = first_control;
      return TRUE;
    }
  return FALSE;
}

/* UTF-16 text of mostly ASCII characters has a NUL in every other byte. */
static gboolean
looks_like_utf16 (const guchar *s, gsize length)
{
  gsize sample = MIN (length, 4096) & ~(gsize) 1;
  gsize nul[2] = { 0, 0 };

  for (gsize i = 0; i < sample; i++)
    if (s[i] == 0)
      nul[i & 1]++;
  return sample >= 4 && ((nul[1] * 2 >= sample / 2 && nul[0] == 0)
                         || (nul[0] * 2 >= sample / 2 && nul[1] == 0));
}

static gboolean
decode_windows_1252 (StrataTable *table, const guchar *s, gsize length, gsize base,
                     char **out, gsize *out_length, GError **error)
{
  gsize size = 0;
  char *buffer;
  char *w;

  for (gsize i = 0; i < length; i++)
    {
      guint32 u = windows_1252_to_unicode (s[i]);

      if (u == 0 && s[i] != 0)
        {
          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_ENCODING,
                       _("%s is neither UTF-8 nor Windows-1252 text (byte %zu is 0x%02X); "
                         "save it as CSV UTF-8"),
                       table->display_name, base + i + 1, s[i]);
          return FALSE;
        }
      size += u < 0x80 ? 1 : u < 0x800 ? 2 : 3;
    }

  w = buffer = g_malloc (size + 1);
  for (gsize i = 0; i < length; i++)
    w += g_unichar_to_utf8 (windows_1252_to_unicode (s[i]), w);
  *w = '\0';
  *out = buffer;
  *out_length = size;
  return TRUE;
}

/* Turns the file's bytes into UTF-8 text: *TEXT points into DATA or to *OWNED. */
static gboolean
decode_text (StrataTable *table, const char *data, gsize length,
             char **owned, const char **text, gsize *text_length, GError **error)
{
  const guchar *s = (const guchar *) data;
  gsize skip = 0;
  gsize offset;
  gsize invalid;
  gsize nul;

  if (length == 0)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   _("%s is empty"), table->display_name);
      return FALSE;
    }

  if (length >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
    {
      gboolean little = s[0] == 0xFF;
      gsize written = 0;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *utf8 = g_convert (data + 2, (gssize) (length - 2), "UTF-8",
                                         little ? "UTF-16LE" : "UTF-16BE",
                                         NULL, &written, &local_error);

      if (utf8 == NULL)
        {
          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_ENCODING,
                       _("%s starts like UTF-16 text but is not valid UTF-16 (%s); "
                         "save it as CSV UTF-8"),
                       table->display_name, local_error->message);
          return FALSE;
        }
      if (looks_binary ((const guchar *) utf8, written, G_MAXSIZE, &offset))
        {
          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_BINARY,
                       _("%s does not look like a text table (binary data at character "
                         "%zu); export it as CSV"),
                       table->display_name,
                       (gsize) g_utf8_pointer_to_offset (utf8, utf8 + offset) + 1);
          return FALSE;
        }
      table->encoding = little ? _(ENCODING_UTF16LE) : _(ENCODING_UTF16BE);
      strata_table_add_warning (table, _("the file is %s text; it was converted to UTF-8"),
                   little ? "UTF-16LE" : "UTF-16BE");
      *text_length = written;
      *text = *owned = g_steal_pointer (&utf8);
      return TRUE;
    }

  if (length >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
    skip = 3;

  /* the NUL bytes after the first invalid byte are found by looks_binary() */
  invalid = find_invalid_utf8 (s + skip, length - skip, &nul);
  if (looks_binary (s + skip, length - skip, invalid < length - skip ? G_MAXSIZE : nul,
                    &offset))
    {
      if (looks_like_utf16 (s, length))
        {
          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_ENCODING,
                       _("%s looks like UTF-16 text without a byte order mark; "
                         "save it as CSV UTF-8"), table->display_name);
          return FALSE;
        }
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_BINARY,
                   _("%s does not look like a text table (binary data at byte %zu); "
                     "export it as CSV"),
                   table->display_name, skip + offset + 1);
      return FALSE;
    }

  if (invalid == length - skip)
    {
      table->encoding = skip > 0 ? _(ENCODING_UTF8_BOM) : ENCODING_UTF8;
      *text = data + skip;
      *text_length = length - skip;
      return TRUE;
    }
  if (skip > 0)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_ENCODING,
                   _("%s starts with a UTF-8 byte order mark but byte %zu is not valid "
                     "UTF-8; save it again as CSV UTF-8"),
                   table->display_name, skip + invalid + 1);
      return FALSE;
    }
  if (!decode_windows_1252 (table, s, length, 0, owned, text_length, error))
    return FALSE;
  *text = *owned;
  table->encoding = _(ENCODING_WINDOWS_1252);
  strata_table_add_warning (table, _("the file is not UTF-8; it was read as Windows-1252 and "
                                     "converted to UTF-8"));
  return TRUE;
}

/* ---------------------------------------------------------------- header */

static void
header_warning (StrataTable *table, guint *n_warnings, char *message)
{
  if (*n_warnings < MAX_HEADER_WARNINGS)
    g_ptr_array_add (table->warnings, message);
  else
    g_free (message);
  (*n_warnings)++;
}

/* Names the columns from the header record: trimmed; an empty name becomes column_N
 * and a repeated one NAME_2, NAME_3... (never a name another column has). */
void
strata_table_name_columns (StrataTable *table, char **raw)
{
  g_autoptr(GHashTable) original = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_warnings = 0;

  table->column_index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint c = 0; c < table->n_columns; c++)
    {
      const char *name = raw[c];

      if (name[0] != '\0' && !g_hash_table_contains (original, name))
        g_hash_table_insert (original, (gpointer) name, GUINT_TO_POINTER (c + 1));
    }

  for (guint c = 0; c < table->n_columns; c++)
    {
      const char *name = raw[c];
      g_autofree char *base = NULL;
      guint first;

      if (name[0] == '\0')
        {
          base = g_strdup_printf ("column_%u", c + 1);
          header_warning (table, &n_warnings,
                          g_strdup_printf (_("column %u has no name; it was named \"%s\""),
                                           c + 1, base));
        }
      else
        base = g_strdup (name);

      first = GPOINTER_TO_UINT (g_hash_table_lookup (table->column_index, base));
      if (first == 0 && name[0] == '\0')
        first = GPOINTER_TO_UINT (g_hash_table_lookup (original, base));

      if (first == 0)
        {
          table->columns[c].name = g_steal_pointer (&base);
        }
      else
        {
          char *unique = NULL;

          for (guint k = 2; ; k++)
            {
              g_free (unique);
              unique = g_strdup_printf ("%s_%u", base, k);
              if (!g_hash_table_contains (table->column_index, unique)
                  && !g_hash_table_contains (original, unique))
                break;
            }
          header_warning (table, &n_warnings,
                          g_strdup_printf (_("columns %u and %u are both named \"%s\"; "
                                             "column %u was renamed \"%s\""),
                                           first, c + 1, base, c + 1, unique));
          table->columns[c].name = unique;
        }
      g_hash_table_insert (table->column_index, table->columns[c].name,
                           GUINT_TO_POINTER (c + 1));
    }

  if (n_warnings > MAX_HEADER_WARNINGS)
    strata_table_add_warning (table,
                              g_dngettext (GETTEXT_PACKAGE, "%u more column name was changed",
                                           "%u more column names were changed",
                                           n_warnings - MAX_HEADER_WARNINGS),
                 n_warnings - MAX_HEADER_WARNINGS);
}

/* ---------------------------------------------------------------- column builders */

typedef struct {
  double *values;        /* while every cell so far is a number or missing */
  guint32 *codes;        /* once a cell was neither */
  guint switch_row;      /* first row stored as a code; G_MAXUINT while numeric */
  guint n_missing;
  gboolean decimal_comma_seen;
  StrataLevelSet levels;
  StrataLevelSet early;        /* levels of the rows before switch_row (final pass) */
} ColumnBuilder;

/* What the passes over the records share. While workers run, each touches only the
 * builders of its own columns. */
typedef struct {
  StrataTable *table;
  const char *text;
  gsize length;
  char delimiter;
  gboolean comma_decimals;
  guint n_columns;
  ColumnBuilder *builders;
  gsize data_offset;     /* where the first record after the header starts */
  guint data_line;
  guint initial_rows;    /* rows to allocate up front */
} Import;

/* One pass over the records that fills the builders of some columns. The primary worker
 * also keeps the line numbers, the rejected records and the blank lines. */
typedef struct {
  Import *im;
  gboolean primary;
  guint *columns;
  guint n_columns;
  StrataTextArena *arena;      /* where new levels of these columns go */
  guint capacity;        /* rows allocated in the builders (and lines) */
  guint n_rows;
  guint *lines;          /* primary only */
  guint blank_lines;
  guint first_blank_line;
  guint text_after_quote;
  guint text_after_quote_line;
  StrataCsvField *batch;  /* batch_size rows of im->n_columns fields */
  guint batch_size;
  guint batch_count;
  guint batch_lines[MAX_BATCH_ROWS];
  GError *error;
} Worker;

static void
import_clear (Import *im)
{
  for (guint c = 0; im->builders != NULL && c < im->n_columns; c++)
    {
      ColumnBuilder *b = &im->builders[c];

      g_free (b->values);
      g_free (b->codes);
      strata_level_set_clear (&b->levels);
      strata_level_set_clear (&b->early);
    }
  g_clear_pointer (&im->builders, g_free);
}

static void
worker_clear (Worker *w)
{
  g_clear_pointer (&w->columns, g_free);
  g_clear_pointer (&w->lines, g_free);
  g_clear_pointer (&w->batch, g_free);
  g_clear_error (&w->error);
}

static void
builder_switch_to_levels (Worker *w, ColumnBuilder *b, guint row)
{
  g_clear_pointer (&b->values, g_free);
  b->codes = strata_large_alloc (w->capacity, sizeof (guint32));
  b->switch_row = row;
  strata_level_set_init (&b->levels);
}

#define NOT_HASHED G_MAXUINT64

/* Adds the cells of COUNT rows from ROW on: cell k is FIELDS[k * STRIDE]. Level lookups
 * are done in two sweeps, hashing and prefetching all slots first, so that the cache
 * misses of a large level set (one per unique identifier) overlap. */
static void
builder_add_cells (Worker *w, ColumnBuilder *b, guint row, const StrataCsvField *fields,
                   gsize stride, guint count)
{
  const Import *im = w->im;
  guint64 hashes[MAX_BATCH_ROWS];
  guint n_missing = 0;  /* counted here, not in *b: the other worker's builders are near */
  guint k = 0;

  if (b->values != NULL)
    {
      double *values = b->values + row;

      for (; k < count; k++)
        {
          const StrataCsvField *f = &fields[k * stride];

          if (strata_cell_is_missing (f->text, f->length))
            {
              values[k] = NAN;
              n_missing++;
            }
          /* a field in the text has 8 readable bytes unless it ends the text */
          else if (G_LIKELY ((guintptr) f->text - (guintptr) im->text + 8 <= im->length)
                   ? strata_number_parse_padded (f->text, f->length, im->comma_decimals,
                                                 &values[k])
                   : strata_number_parse (f->text, f->length, im->comma_decimals,
                                          &values[k]))
            {
              if (im->comma_decimals && !b->decimal_comma_seen
                  && memchr (f->text, ',', f->length) != NULL)
                b->decimal_comma_seen = TRUE;
            }
          else
            {
              builder_switch_to_levels (w, b, row + k);
              break;
            }
        }
      if (k == count)
        {
          b->n_missing += n_missing;
          return;
        }
    }

  for (guint j = k; j < count; j++)
    {
      const StrataCsvField *f = &fields[j * stride];

      if (strata_cell_is_missing (f->text, f->length))
        hashes[j] = NOT_HASHED;
      else
        {
          hashes[j] = hash_bytes (f->text, f->length);
          strata_level_set_prefetch (&b->levels, (guint32) hashes[j]);
        }
    }
  for (guint j = k; j < count; j++)
    {
      const StrataCsvField *f = &fields[j * stride];

      if (hashes[j] == NOT_HASHED)
        {
          b->codes[row + j] = STRATA_MISSING_CODE;
          n_missing++;
        }
      else
        b->codes[row + j] = strata_level_set_intern_hashed (&b->levels, w->arena,
                                                     f->text, f->length,
                                                     (guint32) hashes[j], NULL);
    }
  b->n_missing += n_missing;
}

static gboolean
worker_grow (Worker *w)
{
  guint capacity;

  if (w->capacity >= MAX_ROWS)
    {
      g_set_error (&w->error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO,
                   _("%s is too large: it has more than %u rows"),
                   w->im->table->display_name, (guint) MAX_ROWS);
      return FALSE;
    }
  capacity = w->capacity > MAX_ROWS / 2 ? MAX_ROWS : w->capacity * 2;
  for (guint k = 0; k < w->n_columns; k++)
    {
      ColumnBuilder *b = &w->im->builders[w->columns[k]];

      if (b->values != NULL)
        b->values = strata_large_realloc (b->values, capacity, sizeof (double));
      else
        b->codes = strata_large_realloc (b->codes, capacity, sizeof (guint32));
    }
  if (w->primary)
    w->lines = strata_large_realloc (w->lines, capacity, sizeof (guint));
  w->capacity = capacity;
  return TRUE;
}

static gboolean
worker_flush (Worker *w)
{
  guint count = w->batch_count;

  if (count == 0)
    return TRUE;
  while (w->n_rows + (guint64) count > w->capacity)
    if (!worker_grow (w))
      return FALSE;

  if (w->primary)
    memcpy (w->lines + w->n_rows, w->batch_lines, count * sizeof (guint));
  for (guint k = 0; k < w->n_columns; k++)
    {
      guint c = w->columns[k];

      builder_add_cells (w, &w->im->builders[c], w->n_rows, w->batch + c,
                         w->im->n_columns, count);
    }
  w->n_rows += count;
  w->batch_count = 0;
  return TRUE;
}

/* ---------------------------------------------------------------- records */

typedef enum {
  RECORD_ROW,
  RECORD_BLANK,
  RECORD_RAGGED,
} RecordKind;

/* A record is a row when it has the header's number of fields, or more of them with
 * all the extra ones empty (a trailing delimiter). */
static inline RecordKind
classify_record (const StrataCsvReader *reader, guint n_columns)
{
  if (reader->n_fields == 1 && strata_csv_reader_record_is_blank (reader))
    return RECORD_BLANK;
  if (reader->n_fields == n_columns
      || (reader->n_fields > n_columns && reader->last_nonempty <= n_columns))
    return RECORD_ROW;
  return RECORD_RAGGED;
}

static void
reject_record (StrataTable *table, const StrataCsvReader *reader)
{
  g_autofree char *reason = NULL;

  if (reader->n_fields > table->n_columns)
    reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "has %zu field but the header has %u; "
                                           "check for an unquoted delimiter",
                                           "has %zu fields but the header has %u; "
                                           "check for an unquoted delimiter",
                                           reader->n_fields),
                              reader->n_fields, table->n_columns);
  else
    reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "has %zu field but the header has %u; "
                                           "check for a missing delimiter or a line break in "
                                           "an unquoted value",
                                           "has %zu fields but the header has %u; "
                                           "check for a missing delimiter or a line break in "
                                           "an unquoted value",
                                           reader->n_fields),
                              reader->n_fields, table->n_columns);
  g_ptr_array_add (table->rejected, strata_issue_new (reader->record_line, NULL, reason));
}

static void
set_unclosed_quote_error (StrataTable *table, const StrataCsvReader *reader, GError **error)
{
  g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_SYNTAX,
               _("%s: line %u, column %u: quoted field is never closed"),
               table->display_name, reader->error_line, reader->error_column);
}

/* ---------------------------------------------------------------- passes */

/* Reads every record after the header and hands the rows to the builders of the
 * worker's columns, in batches. Thread function: returns NULL, sets w->error. */
static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  Import *im = w->im;
  StrataCsvReader reader;
  guint pending_blanks = 0;
  guint pending_first = 0;

  w->batch_size = CLAMP (BATCH_CELLS / im->n_columns, 1, MAX_BATCH_ROWS);
  w->batch = g_new (StrataCsvField, (gsize) w->batch_size * im->n_columns);

  strata_csv_reader_init (&reader, im->text, im->length, im->delimiter);
  strata_csv_reader_seek (&reader, im->data_offset, im->data_line);
  strata_csv_reader_set_field_array (&reader, w->batch, im->n_columns);

  for (;;)
    {
      StrataCsvStatus status = strata_csv_reader_next (&reader);
      gboolean in_scratch;
      RecordKind kind;

      if (status == STRATA_CSV_END)
        break;
      if (status == STRATA_CSV_UNCLOSED_QUOTE)
        {
          set_unclosed_quote_error (im->table, &reader, &w->error);
          goto out;
        }

      kind = classify_record (&reader, im->n_columns);
      if (kind == RECORD_BLANK)
        {
          if (pending_blanks++ == 0)
            pending_first = reader.record_line;
          continue;
        }

      /* blank lines followed by a record are in the middle of the file */
      if (pending_blanks > 0)
        {
          if (w->blank_lines == 0)
            w->first_blank_line = pending_first;
          w->blank_lines += pending_blanks;
          pending_blanks = 0;
        }

      if (kind == RECORD_RAGGED)
        {
          if (w->primary)
            reject_record (im->table, &reader);
          continue;
        }

      /* the reader stored the fields in the batch's next slot; but fields unescaped
       * into the reader's scratch space only last until the next record, so such a
       * record goes in a batch of its own */
      in_scratch = reader.scratch_length > 0;
      if (in_scratch && w->batch_count > 0)
        {
          guint slot = w->batch_count;

          if (!worker_flush (w))
            goto out;
          memcpy (w->batch, w->batch + (gsize) slot * im->n_columns,
                  im->n_columns * sizeof (StrataCsvField));
        }
      w->batch_lines[w->batch_count++] = reader.record_line;
      if ((in_scratch || w->batch_count == w->batch_size) && !worker_flush (w))
        goto out;
      strata_csv_reader_set_field_array (&reader,
                                         w->batch + (gsize) w->batch_count * im->n_columns,
                                         im->n_columns);
    }
  worker_flush (w);

out:
  w->text_after_quote = reader.text_after_quote;
  w->text_after_quote_line = reader.text_after_quote_line;
  strata_csv_reader_clear (&reader);
  return NULL;
}

/* Rows to allocate up front: from the length of the first records, but never more than
 * the data could hold (every row takes at least n_columns bytes, or 2 for one column). */
static guint
estimate_rows (const Import *im)
{
  StrataCsvReader reader;
  gsize data_bytes = im->length - im->data_offset;
  gsize bound = data_bytes / MAX (im->n_columns, 2) + 2;
  gsize sampled_bytes;
  guint n = 0;
  gsize estimate;

  strata_csv_reader_init (&reader, im->text, im->length, im->delimiter);
  strata_csv_reader_set_max_fields (&reader, 1);
  strata_csv_reader_seek (&reader, im->data_offset, im->data_line);
  while (n < 100 && strata_csv_reader_next (&reader) == STRATA_CSV_RECORD)
    n++;
  sampled_bytes = strata_csv_reader_get_position (&reader) - im->data_offset;
  strata_csv_reader_clear (&reader);

  if (n == 0 || sampled_bytes == 0)
    estimate = 16;
  else
    estimate = (gsize) ((double) data_bytes / ((double) sampled_bytes / n) * 1.05) + 16;
  estimate = MIN (estimate, bound);
  estimate = MIN (estimate, (gsize) MAX_ROWS);
  return (guint) MAX (estimate, 1);
}

/* Relative cost of a column, guessed from the first rows: numbers are cheap, labels
 * cost a lookup, and values that change on every row (identifiers) a cache miss each. */
static void
estimate_column_costs (const Import *im, guint *costs)
{
  StrataCsvReader reader;
  g_autofree StrataCsvField *previous = g_new0 (StrataCsvField, im->n_columns);
  g_autofree guint *changes = g_new0 (guint, im->n_columns);
  g_autofree gboolean *numeric = g_new (gboolean, im->n_columns);
  guint n_rows = 0;

  for (guint c = 0; c < im->n_columns; c++)
    numeric[c] = TRUE;

  strata_csv_reader_init (&reader, im->text, im->length, im->delimiter);
  strata_csv_reader_set_max_fields (&reader, im->n_columns);
  strata_csv_reader_seek (&reader, im->data_offset, im->data_line);
  while (n_rows < 32 && strata_csv_reader_next (&reader) == STRATA_CSV_RECORD)
    {
      if (classify_record (&reader, im->n_columns) != RECORD_ROW)
        continue;
      for (guint c = 0; c < im->n_columns; c++)
        {
          const StrataCsvField *f = &reader.fields[c];
          double v;

          if (numeric[c] && !strata_cell_is_missing (f->text, f->length)
              && !strata_number_parse (f->text, f->length, im->comma_decimals, &v))
            numeric[c] = FALSE;
          /* the field texts of earlier records stay valid unless unescaped */
          if (n_rows > 0 && (f->length != previous[c].length
                             || memcmp (f->text, previous[c].text, f->length) != 0))
            changes[c]++;
          previous[c] = *f;
          if (f->quoted)
            previous[c].length = G_MAXSIZE;  /* do not compare with scratch text */
        }
      n_rows++;
    }
  strata_csv_reader_clear (&reader);

  for (guint c = 0; c < im->n_columns; c++)
    costs[c] = numeric[c] ? 2 : n_rows > 4 && changes[c] + 1 == n_rows ? 8 : 3;
}

/* Columns go to workers greedily, costliest first, each to the least loaded worker. */
static void
assign_columns (const Import *im, Worker *workers, guint n_workers)
{
  g_autofree guint *costs = g_new (guint, im->n_columns);
  g_autofree guint *order = g_new (guint, im->n_columns);
  guint64 load[2] = { 0, 0 };

  for (guint k = 0; k < n_workers; k++)
    {
      workers[k].columns = g_new (guint, im->n_columns);
      workers[k].n_columns = 0;
    }
  if (n_workers == 1)
    {
      for (guint c = 0; c < im->n_columns; c++)
        workers[0].columns[workers[0].n_columns++] = c;
      return;
    }

  estimate_column_costs (im, costs);
  for (guint c = 0; c < im->n_columns; c++)
    order[c] = c;
  /* costs take few values: a counting order, costliest first, keeps it linear */
  {
    guint n = 0;

    for (guint cost = 8; cost > 0; cost--)
      for (guint c = 0; c < im->n_columns; c++)
        if (costs[c] == cost)
          order[n++] = c;
  }
  for (guint i = 0; i < im->n_columns; i++)
    {
      guint c = order[i];
      guint k = load[1] < load[0] ? 1 : 0;

      workers[k].columns[workers[k].n_columns++] = c;
      load[k] += costs[c];
    }
}

static int
compare_switch_row_descending (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const ColumnBuilder *builders = user_data;
  guint ra = builders[*(const guint *) a].switch_row;
  guint rb = builders[*(const guint *) b].switch_row;

  return ra < rb ? 1 : ra > rb ? -1 : 0;
}

/* Gives codes to the rows a level column holds before its first non-number, in one
 * shared pass over those rows, and puts their levels first. */
static void
fill_early_rows (Import *im, guint n_rows)
{
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (guint));
  StrataTextArena *arena = im->table->level_text;
  StrataCsvReader reader;
  guint n_active;
  guint row = 0;

  for (guint c = 0; c < im->n_columns; c++)
    {
      ColumnBuilder *b = &im->builders[c];

      if (b->values == NULL && b->switch_row > 0)
        {
          g_array_append_val (pending, c);
          strata_level_set_init (&b->early);
        }
    }
  if (pending->len == 0)
    return;
  g_array_sort_with_data (pending, compare_switch_row_descending, im->builders);
  n_active = pending->len;

  strata_csv_reader_init (&reader, im->text, im->length, im->delimiter);
  strata_csv_reader_set_max_fields (&reader, im->n_columns);
  strata_csv_reader_seek (&reader, im->data_offset, im->data_line);

  while (n_active > 0 && strata_csv_reader_next (&reader) == STRATA_CSV_RECORD)
    {
      if (classify_record (&reader, im->n_columns) != RECORD_ROW)
        continue;
      while (n_active > 0
             && im->builders[g_array_index (pending, guint, n_active - 1)].switch_row <= row)
        n_active--;
      for (guint k = 0; k < n_active; k++)
        {
          guint c = g_array_index (pending, guint, k);
          ColumnBuilder *b = &im->builders[c];
          const StrataCsvField *f = &reader.fields[c];

          if (strata_cell_is_missing (f->text, f->length))
            b->codes[row] = STRATA_MISSING_CODE;
          else
            b->codes[row] = strata_level_set_intern (&b->early, arena, f->text, f->length, NULL);
        }
      row++;
    }
  strata_csv_reader_clear (&reader);

  for (guint k = 0; k < pending->len; k++)
    {
      ColumnBuilder *b = &im->builders[g_array_index (pending, guint, k)];
      g_autofree guint32 *map = g_new (guint32, MAX (b->levels.levels->len, 1));

      for (guint j = 0; j < b->levels.levels->len; j++)
        {
          const char *level = g_ptr_array_index (b->levels.levels, j);

          map[j] = strata_level_set_intern (&b->early, arena, level, strlen (level), level);
        }
      for (guint i = b->switch_row; i < n_rows; i++)
        if (b->codes[i] != STRATA_MISSING_CODE)
          b->codes[i] = map[b->codes[i]];
      strata_level_set_clear (&b->levels);
      b->levels = b->early;
      memset (&b->early, 0, sizeof b->early);
    }
}

StrataColumnType
strata_level_column_type (guint n_levels, guint n_present)
{
  if (n_levels <= CATEGORICAL_MAX_LEVELS
      && (n_levels <= CATEGORICAL_FEW_LEVELS || 2 * (guint64) n_levels <= n_present))
    return STRATA_COLUMN_CATEGORICAL;
  return STRATA_COLUMN_TEXT;
}

/* Moves the builders' arrays into the table's columns. */
static void
finish_columns (Import *im, Worker *primary)
{
  StrataTable *table = im->table;
  guint n_rows = primary->n_rows;
  guint n_empty = 0;
  const char *first_empty = NULL;

  for (guint c = 0; c < im->n_columns; c++)
    {
      ColumnBuilder *b = &im->builders[c];
      StrataColumn *column = &table->columns[c];

      if (b->values != NULL)
        {
          column->type = STRATA_COLUMN_NUMERIC;
          column->values = g_renew (double, g_steal_pointer (&b->values), n_rows);
          if (b->decimal_comma_seen)
            table->decimal_comma = TRUE;
        }
      else
        {
          column->codes = g_renew (guint32, g_steal_pointer (&b->codes), n_rows);
          column->levels = g_steal_pointer (&b->levels.levels);
          column->type = strata_level_column_type (column->levels->len, n_rows - b->n_missing);
          strata_level_set_clear (&b->levels);
        }
      if (b->n_missing == n_rows && n_empty++ == 0)
        first_empty = column->name;
    }
  table->lines = g_renew (guint, g_steal_pointer (&primary->lines), n_rows);
  table->n_rows = n_rows;

  if (n_empty == 1)
    strata_table_add_warning (table, _("column \"%s\" has no values"), first_empty);
  else if (n_empty > 1)
    strata_table_add_warning (table,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u column has no values (the first is \"%s\")",
                                           "%u columns have no values (the first is \"%s\")",
                                           n_empty),
                              n_empty, first_empty);
}

static void
note_skipped_lines (StrataTable *table, const Worker *primary)
{
  GPtrArray *rejected = table->rejected;

  if (primary->blank_lines == 1)
    strata_table_add_warning (table, _("line %u is blank and was skipped"), primary->first_blank_line);
  else if (primary->blank_lines > 1)
    strata_table_add_warning (table,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u blank line was skipped (the first is line %u)",
                                           "%u blank lines were skipped (the first is line %u)",
                                           primary->blank_lines),
                              primary->blank_lines, primary->first_blank_line);

  if (rejected->len == 1)
    {
      const StrataIssue *issue = g_ptr_array_index (rejected, 0);

      /* Translators: %s is a reason such as "has 4 fields but the header has 3; …" */
      strata_table_add_warning (table, _("line %u was left out: it %s"), issue->line, issue->reason);
    }
  else if (rejected->len > 1)
    {
      const StrataIssue *issue = g_ptr_array_index (rejected, 0);

      strata_table_add_warning (table,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%u line was left out because its number of fields "
                                             "differs from the header's (the first is line %u)",
                                             "%u lines were left out because their number of "
                                             "fields differs from the header's (the first is line %u)",
                                             rejected->len),
                                rejected->len, issue->line);
    }

  if (primary->text_after_quote == 1)
    strata_table_add_warning (table, _("line %u: text after a closing quote was kept as part of the value"),
                 primary->text_after_quote_line);
  else if (primary->text_after_quote > 1)
    strata_table_add_warning (table,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u value has text after its closing quote, which was "
                                           "kept (the first on line %u)",
                                           "%u values have text after their closing quote, which "
                                           "was kept (the first on line %u)",
                                           primary->text_after_quote),
                              primary->text_after_quote, primary->text_after_quote_line);
}

static gboolean
only_blank_space (const char *text, gsize length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

/* Reads the records with one worker, or two on separate cores, each filling the
 * builders of its share of the columns (both read all records: reading is the cheap
 * part). The results do not depend on the number of workers. */
static gboolean
read_rows (Import *im, Worker *workers, guint *n_workers_out, GError **error)
{
  gsize data_bytes = im->length - im->data_offset;
  guint n_workers = 1;
  GThread *thread = NULL;

  if (data_bytes >= PARALLEL_MIN_BYTES && im->n_columns >= 2
      && g_get_num_processors () >= 2)
    n_workers = 2;

  for (guint k = 0; k < n_workers; k++)
    {
      workers[k].im = im;
      workers[k].primary = k == 0;
      workers[k].capacity = im->initial_rows;
      workers[k].arena = k == 0 ? im->table->level_text : strata_text_arena_new ();
    }
  *n_workers_out = n_workers;
  workers[0].lines = strata_large_alloc (im->initial_rows, sizeof (guint));
  assign_columns (im, workers, n_workers);

  if (n_workers == 2)
    {
      /* the table keeps the second worker's levels */
      im->table->extra_level_text = workers[1].arena;
      thread = g_thread_try_new ("strata-import", worker_run, &workers[1], NULL);
    }
  worker_run (&workers[0]);
  if (thread != NULL)
    g_thread_join (thread);
  else if (n_workers == 2)
    worker_run (&workers[1]);

  for (guint k = 0; k < n_workers; k++)
    if (workers[k].error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&workers[k].error));
        return FALSE;
      }
  g_assert (n_workers == 1 || workers[0].n_rows == workers[1].n_rows);
  return TRUE;
}

/* Moves READER (just initialised) to the header record: the first non-blank record, or
 * the one starting on HEADER_LINE (1-based) when it is not 0, whose delimiter is then
 * sniffed again from there (title lines above a header need not share it). FALSE with
 * ERROR when there is no such record. */
static gboolean
find_header (StrataTable *table, StrataCsvReader *reader, const char *text, gsize length,
             guint header_line, GError **error)
{
  StrataCsvStatus status;
  guint previous_line = 0;
  char delimiter;

  do
    {
      previous_line = reader->record_line;
      status = strata_csv_reader_next (reader);
    }
  while (status == STRATA_CSV_RECORD
         && (header_line == 0 ? strata_csv_reader_record_is_blank (reader)
                              : reader->record_line < header_line));

  if (status == STRATA_CSV_UNCLOSED_QUOTE)
    {
      set_unclosed_quote_error (table, reader, error);
      return FALSE;
    }
  if (status != STRATA_CSV_RECORD && header_line != 0)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   _("%s has no line %u to be the header: it ends at line %u"),
                   table->display_name, header_line,
                   MAX (strata_csv_reader_get_line (reader), 2) - 1);
      return FALSE;
    }
  if (status != STRATA_CSV_RECORD)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   _("%s has no header line"), table->display_name);
      return FALSE;
    }
  if (header_line == 0)
    return TRUE;
  if (reader->record_line != header_line)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_SYNTAX,
                   _("%s: line %u cannot be the header: it is inside a quoted field that "
                     "starts on line %u"), table->display_name, header_line, previous_line);
      return FALSE;
    }
  if (strata_csv_reader_record_is_blank (reader))
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   _("%s: line %u is blank and cannot be the header"), table->display_name,
                   header_line);
      return FALSE;
    }
  delimiter = strata_csv_sniff_delimiter (text + reader->record_offset,
                                          length - reader->record_offset);
  if (delimiter != table->delimiter)
    {
      gsize offset = reader->record_offset;

      table->delimiter = delimiter;
      strata_csv_reader_clear (reader);
      strata_csv_reader_init (reader, text, length, delimiter);
      strata_csv_reader_seek (reader, offset, header_line);
      /* quotes open fields at other places with the other delimiter */
      if (strata_csv_reader_next (reader) == STRATA_CSV_UNCLOSED_QUOTE)
        {
          set_unclosed_quote_error (table, reader, error);
          return FALSE;
        }
    }
  return TRUE;
}

/* HEADER_LINE: 1-based line of the header, 0 for the first non-blank line. */
static gboolean
parse_table (StrataTable *table, const char *text, gsize length, guint header_line,
             GError **error)
{
  Import im = { 0 };
  Worker workers[2] = { { 0 }, { 0 } };
  guint n_workers = 0;
  StrataCsvReader reader;
  gboolean ok = FALSE;

  if (only_blank_space (text, length))
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                   _("%s has no data: it holds only blank lines or spaces"),
                   table->display_name);
      return FALSE;
    }

  table->delimiter = strata_csv_sniff_delimiter (text, length);
  strata_csv_reader_init (&reader, text, length, table->delimiter);
  if (!find_header (table, &reader, text, length, header_line, error))
    goto out;
  im.table = table;
  im.text = text;
  im.length = length;
  im.delimiter = table->delimiter;
  im.comma_decimals = table->delimiter == ';';

  if (reader.n_fields > STRATA_CSV_MAX_FIELDS)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_SYNTAX,
                   _("%s: the header has more than %u columns"),
                   table->display_name, (guint) STRATA_CSV_MAX_FIELDS);
      goto out;
    }

  im.n_columns = (guint) reader.n_fields;
  table->columns = g_new0 (StrataColumn, im.n_columns);
  table->n_columns = im.n_columns;
  {
    g_auto(GStrv) raw = g_new0 (char *, im.n_columns + 1);

    for (guint c = 0; c < im.n_columns; c++)
      raw[c] = g_strstrip (g_strndup (reader.fields[c].text, reader.fields[c].length));
    strata_table_name_columns (table, raw);
  }

  im.data_offset = strata_csv_reader_get_position (&reader);
  im.data_line = strata_csv_reader_get_line (&reader);
  im.initial_rows = estimate_rows (&im);
  im.builders = g_new0 (ColumnBuilder, im.n_columns);
  for (guint c = 0; c < im.n_columns; c++)
    {
      im.builders[c].values = strata_large_alloc (im.initial_rows, sizeof (double));
      im.builders[c].switch_row = G_MAXUINT;
    }

  if (!read_rows (&im, workers, &n_workers, error))
    goto out;

  if (workers[0].n_rows == 0)
    {
      if (table->rejected->len > 0)
        {
          const StrataIssue *issue = g_ptr_array_index (table->rejected, 0);

          g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                       /* Translators: the last %s is a reason such as "has 4 fields but the header has 3; …" */
                       _("%s has no usable rows: every line after the header has a different "
                         "number of fields than the header's %u (line %u %s)"),
                       table->display_name, im.n_columns, issue->line, issue->reason);
        }
      else
        g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_EMPTY,
                     _("%s has a header line but no data rows"), table->display_name);
      goto out;
    }

  fill_early_rows (&im, workers[0].n_rows);
  finish_columns (&im, &workers[0]);
  note_skipped_lines (table, &workers[0]);
  ok = TRUE;

out:
  strata_csv_reader_clear (&reader);
  for (guint k = 0; k < G_N_ELEMENTS (workers); k++)
    worker_clear (&workers[k]);
  import_clear (&im);
  return ok;
}

/* ---------------------------------------------------------------- public entry points */

/* strata_table_load_data() with the header on line HEADER_LINE (0: the first non-blank). */
static StrataTable *
load_data_header (const char *display_name, const char *data, gsize length,
                  guint header_line, GError **error)
{
  g_autoptr(StrataTable) table = NULL;
  g_autofree char *owned = NULL;
  const char *text = NULL;
  gsize text_length = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  table = strata_table_alloc (display_name);
  if (!decode_text (table, data, length, &owned, &text, &text_length, error))
    return NULL;
  if (!parse_table (table, text, text_length, header_line, error))
    return NULL;
  return strata_id_check_table (g_steal_pointer (&table));
}

StrataTable *
strata_table_load_data (const char *display_name, const char *data, gsize length,
                        GError **error)
{
  return load_data_header (display_name, data, length, 0, error);
}

static void
set_io_error (const char *path, const char *doing, int saved_errno, GError **error)
{
  g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO,
               strcmp (doing, "open") == 0 ? _("%s: cannot open the file: %s")
                                           : _("%s: cannot read the file: %s"),
               path, g_strerror (saved_errno));
}

/* Reads the whole of PATH into memory (not mapped: a file truncated while mapped would
 * crash the reader with SIGBUS). */
static gboolean
read_whole_file (const char *path, char **contents, gsize *length, GError **error)
{
  g_autofree char *buffer = NULL;
  gsize capacity;
  gsize used = 0;
  struct stat st;
  int fd;

  /* O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever; reads
   * then see its end at once (an empty file). Reads block again after the fcntl. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    {
      set_io_error (path, "open", errno, error);
      return FALSE;
    }
  if (fstat (fd, &st) != 0 || fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK) != 0)
    {
      set_io_error (path, "read", errno, error);
      g_close (fd, NULL);
      return FALSE;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO,
                   _("%s is a folder, not a file"), path);
      g_close (fd, NULL);
      return FALSE;
    }
  if (S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode) || S_ISSOCK (st.st_mode))
    {
      /* /dev/zero and the like never end. */
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO,
                   _("%s is a device, not a file"), path);
      g_close (fd, NULL);
      return FALSE;
    }
  /* Refused up front when it cannot fit, rather than killed for lack of memory. */
  if (S_ISREG (st.st_mode) && !strata_memory_check_import (path, fd, (guint64) st.st_size, error))
    {
      g_close (fd, NULL);
      return FALSE;
    }

  capacity = S_ISREG (st.st_mode) && st.st_size > 0
             && (guint64) st.st_size < (guint64) G_MAXSIZE - 1
             ? (gsize) st.st_size + 1 : 64 * 1024;
  buffer = strata_large_try_alloc (capacity, 1);
  if (buffer == NULL)
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO,
                   _("%s is too large to read into memory"), path);
      g_close (fd, NULL);
      return FALSE;
    }

  for (;;)
    {
      gssize n;

      if (used == capacity)
        {
          char *larger = capacity < G_MAXSIZE / 2 ? g_try_realloc (buffer, capacity * 2) : NULL;

          if (larger == NULL)
            {
              g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO,
                           _("%s is too large to read into memory"), path);
              g_close (fd, NULL);
              return FALSE;
            }
          buffer = larger;
          capacity *= 2;
        }
      n = read (fd, buffer + used, capacity - used);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_io_error (path, "read", errno, error);
          g_close (fd, NULL);
          return FALSE;
        }
      if (n == 0)
        break;
      used += (gsize) n;
    }
  g_close (fd, NULL);

  *contents = g_steal_pointer (&buffer);
  *length = used;
  return TRUE;
}

/* ---------------------------------------------------------------- formats */

#define HEAD_BYTES 512

typedef enum {
  FORMAT_TEXT,
  FORMAT_ZIP,
  FORMAT_OLE2,
  FORMAT_STAT,
} FileFormat;

/* What the first bytes of a file say it is. */
static FileFormat
sniff_format (const guchar *head, gsize n, StrataStatFormat *stat_format)
{
  static const guchar ole2[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
  static const guchar sas7bdat[32] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xC2, 0xEA, 0x81, 0x60, 0xB3, 0x14, 0x11, 0xCF, 0xBD, 0x92, 0x08, 0x00,
    0x09, 0xC7, 0x31, 0x8C, 0x18, 0x1F, 0x10, 0x11,
  };
  static const char xpt[] = "HEADER RECORD*******LIBRARY HEADER RECORD";
  static const char xpt_v8[] = "HEADER RECORD*******LIBV8   HEADER RECORD";

  if (n >= 4 && head[0] == 'P' && head[1] == 'K'
      && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
    return FORMAT_ZIP;
  if (n >= 8 && memcmp (head, ole2, 8) == 0)
    return FORMAT_OLE2;
  if (n >= 4 && (memcmp (head, "$FL2", 4) == 0 || memcmp (head, "$FL3", 4) == 0))
    {
      *stat_format = STRATA_STAT_FORMAT_SPSS;
      return FORMAT_STAT;
    }
  if (n >= 11 && memcmp (head, "<stata_dta>", 11) == 0)
    {
      *stat_format = STRATA_STAT_FORMAT_STATA;
      return FORMAT_STAT;
    }
  /* binary .dta 104-115: release byte, byte order 1 or 2, file type 1 */
  if (n >= 4 && head[0] >= 104 && head[0] <= 115 && (head[1] == 1 || head[1] == 2)
      && head[2] == 1 && head[3] == 0)
    {
      *stat_format = STRATA_STAT_FORMAT_STATA;
      return FORMAT_STAT;
    }
  if (n >= 32 && memcmp (head, sas7bdat, 32) == 0)
    {
      *stat_format = STRATA_STAT_FORMAT_SAS7BDAT;
      return FORMAT_STAT;
    }
  if (n >= sizeof xpt - 1 && (memcmp (head, xpt, sizeof xpt - 1) == 0
                              || memcmp (head, xpt_v8, sizeof xpt_v8 - 1) == 0))
    {
      *stat_format = STRATA_STAT_FORMAT_XPORT;
      return FORMAT_STAT;
    }
  return FORMAT_TEXT;
}

static gboolean
read_head (const char *path, guchar *head, gsize *n, GError **error)
{
  struct stat st = { 0 };
  gssize got;
  /* O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever. */
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);

  if (fd < 0)
    {
      set_io_error (path, "open", errno, error);
      return FALSE;
    }
  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO,
                   _("%s is a folder, not a file"), path);
      g_close (fd, NULL);
      return FALSE;
    }
  if (S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode) || S_ISSOCK (st.st_mode))
    {
      /* /dev/zero and the like never end. */
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_IO,
                   _("%s is a device, not a file"), path);
      g_close (fd, NULL);
      return FALSE;
    }
  if (S_ISFIFO (st.st_mode))
    {
      /* A pipe (e.g. a shell's <(...)): its bytes can be read only once, by the text
       * reader; no sniffing. */
      *n = 0;
      g_close (fd, NULL);
      return TRUE;
    }
  do
    got = read (fd, head, HEAD_BYTES);
  while (got < 0 && errno == EINTR);
  if (got < 0)
    {
      set_io_error (path, "read", errno, error);
      g_close (fd, NULL);
      return FALSE;
    }
  g_close (fd, NULL);
  *n = (gsize) got;
  return TRUE;
}

static gboolean
contains_utf16 (const char *data, gsize length, const char *ascii)
{
  gsize n = strlen (ascii);
  g_autofree char *pattern = g_new0 (char, 2 * n);

  for (gsize i = 0; i < n; i++)
    pattern[2 * i] = ascii[i];
  for (gsize i = 0; i + 2 * n <= length; i++)
    if (data[i] == pattern[0] && memcmp (data + i, pattern, 2 * n) == 0)
      return TRUE;
  return FALSE;
}

/* An OLE2 compound file: an encrypted OOXML workbook holds an "EncryptedPackage"
 * stream; otherwise it is an old binary Office file (.xls). */
static void
set_ole2_error (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (read_whole_file (path, &contents, &length, NULL)
      && (contains_utf16 (contents, length, "EncryptedPackage")
          || contains_utf16 (contents, length, "EncryptionInfo")))
    g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_ENCRYPTED,
                 _("%s is password-protected; open it in your spreadsheet program, save a "
                   "copy without a password and open that"), path);
  else
    g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_UNSUPPORTED,
                 _("%s is an old Excel 97-2003 workbook (.xls) or another Office file; "
                   "save it as .xlsx or CSV and open that"), path);
}

static StrataTable *
load_zip (const char *path, const char *sheet, guint header_row, GError **error)
{
  g_autoptr(GPtrArray) names = strata_zip_list (path, path, error);
  g_autoptr(GBytes) mimetype = NULL;

  if (names == NULL)
    return NULL;
  if (g_ptr_array_find_with_equal_func (names, "xl/workbook.xml", g_str_equal, NULL))
    return strata_xlsx_import (path, path, sheet, header_row, error);
  if (g_ptr_array_find_with_equal_func (names, "mimetype", g_str_equal, NULL))
    {
      mimetype = strata_zip_read (path, path, "mimetype", 256, error);
      if (mimetype == NULL)
        return NULL;
      if (g_bytes_get_size (mimetype) >= 46
          && memcmp (g_bytes_get_data (mimetype, NULL),
                     "application/vnd.oasis.opendocument.spreadsheet", 46) == 0)
        return strata_ods_import (path, path, sheet, header_row, error);
    }
  if (g_ptr_array_find_with_equal_func (names, "EncryptedPackage", g_str_equal, NULL))
    {
      g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_ENCRYPTED,
                   _("%s is password-protected; save a copy without a password and open that"),
                   path);
      return NULL;
    }
  g_set_error (error, STRATA_IMPORT_ERROR, STRATA_IMPORT_ERROR_UNSUPPORTED,
               _("%s is a zip archive but not an Excel (.xlsx) or OpenDocument (.ods) "
                 "spreadsheet; extract the table from it or export it as CSV"), path);
  return NULL;
}

StrataTable *
strata_table_load_file_options (const char *path, const char *sheet, guint header_row,
                                GError **error)
{
  g_autofree char *contents = NULL;
  guchar head[HEAD_BYTES];
  gsize n_head = 0;
  gsize length = 0;
  StrataStatFormat stat_format = STRATA_STAT_FORMAT_SPSS;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_head (path, head, &n_head, error))
    return NULL;
  switch (sniff_format (head, n_head, &stat_format))
    {
    case FORMAT_ZIP:
      return strata_id_check_table (load_zip (path, sheet, header_row, error));
    case FORMAT_OLE2:
      set_ole2_error (path, error);
      return NULL;
    case FORMAT_STAT:
      return strata_id_check_table (strata_stat_file_import (path, path, stat_format, error));
    case FORMAT_TEXT:
    default:
      break;
    }

  if (!read_whole_file (path, &contents, &length, error))
    return NULL;
  return load_data_header (path, contents, length, header_row, error);
}

StrataTable *
strata_table_load_file_sheet (const char *path, const char *sheet, GError **error)
{
  return strata_table_load_file_options (path, sheet, 0, error);
}

GPtrArray *
strata_table_list_sheets (const char *path, GError **error)
{
  guchar head[HEAD_BYTES];
  gsize n_head = 0;
  StrataStatFormat stat_format = STRATA_STAT_FORMAT_SPSS;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GBytes) mimetype = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!read_head (path, head, &n_head, error))
    return NULL;
  switch (sniff_format (head, n_head, &stat_format))
    {
    case FORMAT_ZIP:
      break;
    case FORMAT_OLE2:
      set_ole2_error (path, error);
      return NULL;
    case FORMAT_STAT:
    case FORMAT_TEXT:
    default:
      return g_ptr_array_new_with_free_func (g_free);
    }
  names = strata_zip_list (path, path, error);
  if (names == NULL)
    return NULL;
  if (g_ptr_array_find_with_equal_func (names, "xl/workbook.xml", g_str_equal, NULL))
    return strata_xlsx_list_sheets (path, path, error);
  if (g_ptr_array_find_with_equal_func (names, "mimetype", g_str_equal, NULL))
    {
      mimetype = strata_zip_read (path, path, "mimetype", 256, error);
      if (mimetype == NULL)
        return NULL;
      if (g_bytes_get_size (mimetype) >= 46
          && memcmp (g_bytes_get_data (mimetype, NULL),
                     "application/vnd.oasis.opendocument.spreadsheet", 46) == 0)
        return strata_ods_list_sheets (path, path, error);
    }
  return g_ptr_array_new_with_free_func (g_free);
}

StrataTable *
strata_table_load_file (const char *path, GError **error)
{
  return strata_table_load_file_sheet (path, NULL, error);
}

gboolean
strata_table_parse_number (const StrataTable *table, const char *text, double *value)
{
  gsize length;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  while (*text == ' ' || *text == '\t')
    text++;
  length = strlen (text);
  while (length > 0 && (text[length - 1] == ' ' || text[length - 1] == '\t'))
    length--;
  return strata_number_parse (text, length,
                              table != NULL && table->delimiter == ';', value);
}

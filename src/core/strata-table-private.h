/* strata-table-private.h: what the importers of strata-table.c and
 * strata-table-builder.c share. Not for use outside src/core.
 *
 * The table's level strings live in text arenas it owns; the distinct values of a level
 * column are interned in a StrataLevelSet (codes in order of first appearance).
 */
#pragma once

#include "strata-table.h"

G_BEGIN_DECLS

/* NUL-terminated strings appended to big blocks, freed all at once. */
typedef struct _StrataTextArena {
  GPtrArray *blocks;
  char *next;
  gsize left;
  gsize block_size;
} StrataTextArena;

struct _StrataTable {
  gatomicrefcount ref_count;
  char *display_name;
  const char *encoding;
  const char *format;        /* "CSV", "Excel workbook (.xlsx)"...: static string */
  char delimiter;
  gboolean decimal_comma;
  guint n_rows;
  guint n_columns;
  StrataColumn *columns;
  char **descriptions;       /* n_columns variable labels (NULL entries allowed), or NULL */
  guint *lines;
  GHashTable *column_index;  /* name -> index + 1 */
  GPtrArray *rejected;       /* StrataIssue* */
  GPtrArray *warnings;       /* char* */
  StrataTextArena *level_text;        /* the text of the levels... */
  StrataTextArena *extra_level_text;  /* ...and of those a second import thread found */
};

/* The distinct values of a column, in order of first appearance, with an open-addressing
 * hash index: a slot holds (hash << 32) | (code + 1), 0 when free. */
typedef struct {
  guint64 *slots;
  gsize mask;
  GPtrArray *levels;  /* char* in one of the table's text arenas */
} StrataLevelSet;

/* An empty table (no columns) named DISPLAY_NAME, encoding UTF-8, delimiter ','. */
StrataTable *strata_table_alloc (const char *display_name);
void strata_table_add_warning (StrataTable *table, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* Names the table's n_columns columns from RAW (n_columns trimmed names, "" for none,
 * not taken): an empty name becomes column_N and a repeated one NAME_2, NAME_3... with a
 * warning each; builds the name index. */
void strata_table_name_columns (StrataTable *table, char **raw);

StrataTextArena *strata_text_arena_new (void);
void strata_text_arena_free (StrataTextArena *arena);
const char *strata_text_arena_add (StrataTextArena *arena, const char *text, gsize length);

void strata_level_set_init (StrataLevelSet *set);
void strata_level_set_clear (StrataLevelSet *set);
/* The code of the LENGTH bytes at TEXT, added as a new level when new: EXISTING if not
 * NULL (text already in an arena of the table), else a copy in ARENA. */
guint32 strata_level_set_intern (StrataLevelSet *set, StrataTextArena *arena,
                                 const char *text, gsize length, const char *existing);
guint32 strata_level_set_intern_hashed (StrataLevelSet *set, StrataTextArena *arena,
                                        const char *text, gsize length, guint32 hash,
                                        const char *existing);

/* CATEGORICAL or TEXT for a level column with N_LEVELS levels and N_PRESENT cells. */
StrataColumnType strata_level_column_type (guint n_levels, guint n_present);

/* Arrays that may be large: huge-page aligned; g_free() and g_realloc() work on them.
 * strata_large_alloc() aborts when the memory is not there, _try_ returns NULL. */
gpointer strata_large_try_alloc (gsize n, gsize element_size);
gpointer strata_large_alloc (gsize n, gsize element_size);
gpointer strata_large_realloc (gpointer memory, gsize n, gsize element_size);

/* "", NA, na, N/A, n/a, NaN, "." and "-" are missing (after the reader has trimmed the
 * spaces around unquoted fields). */
static inline gboolean
strata_cell_is_missing (const char *s, gsize length)
{
  switch (length)
    {
    case 0:
      return TRUE;
    case 1:
      return s[0] == '.' || s[0] == '-';
    case 2:
      return (s[0] == 'N' && s[1] == 'A') || (s[0] == 'n' && s[1] == 'a');
    case 3:
      return (s[1] == '/' && ((s[0] == 'N' && s[2] == 'A') || (s[0] == 'n' && s[2] == 'a')))
             || (s[0] == 'N' && s[1] == 'a' && s[2] == 'N');
    default:
      return FALSE;
    }
}


G_END_DECLS

/* strata-time-sort.c: a linear-time sort of survival times.
 *
 * Clinical times usually take few distinct values (days, or months to one decimal),
 * so the sort first tries to rank the distinct values through a small hash table and
 * then places the rows by a counting sort on the ranks: two cache-resident hash passes
 * and one scatter. With many distinct values it falls back to an LSD radix sort on the
 * bit patterns (non-negative IEEE doubles order as their bits). Both are stable. */
#include "strata-time-sort.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DISTINCT 65536u
#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)

static guint64
time_key (double t)
{
  guint64 bits;

  if (t == 0.0)
    t = 0.0;   /* -0 sorts with +0 */
  memcpy (&bits, &t, sizeof bits);
  return bits;
}

static guint
hash_key (guint64 key)
{
  key ^= key >> 33;
  key *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  key ^= key >> 33;
  return (guint) key;
}

typedef struct {
  guint mask;        /* slots - 1: a power of two, >= 4 x capacity (load <= 1/4) */
  guint capacity;    /* the most distinct values taken */
  guint64 *keys;
  guint32 *ranks;    /* slot -> distinct index, then rank; G_MAXUINT32 = empty */
  guint64 *distinct;
  guint n_distinct;
} DistinctSet;

/* The slot of KEY, inserting it when absent. FALSE when the set is full. */
static gboolean
distinct_insert (DistinctSet *set, guint64 key, guint *slot_out)
{
  guint slot = hash_key (key) & set->mask;

  while (set->ranks[slot] != G_MAXUINT32 && set->keys[slot] != key)
    slot = (slot + 1) & set->mask;
  if (set->ranks[slot] == G_MAXUINT32)
    {
      if (set->n_distinct == set->capacity)
        return FALSE;
      set->keys[slot] = key;
      set->ranks[slot] = set->n_distinct;
      set->distinct[set->n_distinct++] = key;
    }
  *slot_out = slot;
  return TRUE;
}

static int
compare_keys (const void *a, const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return (x > y) - (x < y);
}

/* rank_times:
 * Output: RANK[i] = the rank of time[i] among the distinct times, and the number of
 *   distinct times; FALSE when there are more than MAX_DISTINCT. */
static gboolean
rank_times (const double *time, guint n, guint32 *rank, guint *n_distinct)
{
  DistinctSet set = { 0 };
  gboolean ok = TRUE;

  guint slots = 64;

  set.capacity = MIN (n, MAX_DISTINCT);
  while (slots < 4 * set.capacity)
    slots *= 2;
  set.mask = slots - 1;
  set.keys = g_new (guint64, slots);
  set.ranks = g_new (guint32, slots);
  set.distinct = g_new (guint64, MAX (set.capacity, 1));
  memset (set.ranks, 0xff, sizeof (guint32) * slots);
  for (guint i = 0; i < n && ok; i++)
    ok = distinct_insert (&set, time_key (time[i]), &rank[i]);   /* rank[] holds slots */
  if (ok)
    {
      qsort (set.distinct, set.n_distinct, sizeof (guint64), compare_keys);
      for (guint r = 0; r < set.n_distinct; r++)
        {
          guint slot;
          distinct_insert (&set, set.distinct[r], &slot);
          set.ranks[slot] = r;
        }
      for (guint i = 0; i < n; i++)
        rank[i] = set.ranks[rank[i]];
      *n_distinct = set.n_distinct;
    }
  g_free (set.keys);
  g_free (set.ranks);
  g_free (set.distinct);
  return ok;
}

/* The permutation IDX that sorts the times, by an LSD radix sort on 11-bit digits;
 * passes whose digit is the same for every key are skipped. */
static void
radix_sort (const double *time, guint n, guint *idx)
{
  g_autofree guint64 *key = g_new (guint64, n);
  g_autofree guint64 *key_tmp = g_new (guint64, n);
  g_autofree guint *idx_tmp = g_new (guint, n);
  g_autofree guint *count = g_new (guint, RADIX_SIZE);
  guint *idx_cur = idx, *idx_alt = idx_tmp;

  for (guint i = 0; i < n; i++)
    {
      key[i] = time_key (time[i]);
      idx[i] = i;
    }
  for (guint shift = 0; shift < 64; shift += RADIX_BITS)
    {
      memset (count, 0, sizeof (guint) * RADIX_SIZE);
      for (guint i = 0; i < n; i++)
        count[(key[i] >> shift) & (RADIX_SIZE - 1)]++;
      if (count[(key[0] >> shift) & (RADIX_SIZE - 1)] == n)
        continue;
      guint sum = 0;
      for (guint b = 0; b < RADIX_SIZE; b++)
        {
          guint c = count[b];
          count[b] = sum;
          sum += c;
        }
      for (guint i = 0; i < n; i++)
        {
          guint dst = count[(key[i] >> shift) & (RADIX_SIZE - 1)]++;
          key_tmp[dst] = key[i];
          idx_alt[dst] = idx_cur[i];
        }
      guint64 *k = key; key = key_tmp; key_tmp = k;
      guint *x = idx_cur; idx_cur = idx_alt; idx_alt = x;
    }
  if (idx_cur != idx)
    memcpy (idx, idx_cur, sizeof (guint) * n);
}

/* Places the rows at their ranks' positions directly: a stable counting sort with
 * one scatter per array and no permutation gather. */
static void
scatter_by_rank (const guint32 *rank, guint n, guint n_distinct, const double *time,
                 const guint *row, const guint8 *event, double *time_out, guint *row_out,
                 guint8 *event_out)
{
  g_autofree guint *start = g_new0 (guint, n_distinct + 1);

  for (guint i = 0; i < n; i++)
    start[rank[i] + 1]++;
  for (guint r = 0; r < n_distinct; r++)
    start[r + 1] += start[r];
  for (guint i = 0; i < n; i++)
    {
      guint dst = start[rank[i]]++;
      time_out[dst] = time[i];
      row_out[dst] = row[i];
      event_out[dst] = event[i];
    }
}

void
strata_sort_times (double *time, guint *row, guint8 *event, guint n)
{
  if (n < 2)
    return;

  g_autofree guint32 *rank = g_new (guint32, n);
  g_autofree double *time_sorted = g_new (double, n);
  g_autofree guint *row_sorted = g_new (guint, n);
  g_autofree guint8 *event_sorted = g_new (guint8, n);
  guint n_distinct;

  if (rank_times (time, n, rank, &n_distinct))
    scatter_by_rank (rank, n, n_distinct, time, row, event, time_sorted, row_sorted, event_sorted);
  else
    {
      guint *idx = rank;   /* reuse: same size */
      radix_sort (time, n, idx);
      for (guint i = 0; i < n; i++)
        {
          time_sorted[i] = time[idx[i]];
          row_sorted[i] = row[idx[i]];
          event_sorted[i] = event[idx[i]];
        }
    }
  memcpy (time, time_sorted, sizeof (double) * n);
  memcpy (row, row_sorted, sizeof (guint) * n);
  memcpy (event, event_sorted, n);
}

/* strata-fisher.c: Fisher's exact test for r x c tables and the conditional odds
 * ratio of a 2 x 2 table, matching R's fisher.test.
 *
 * The p-value. With both margins fixed, a table T has probability
 *     P(T) = prod_i R_i! prod_j C_j! / (N! prod_ij n_ij!)
 * and the two-sided p-value is the sum of P(T) over the tables with P(T) <= P_obs * e^tol.
 * R uses two tolerances: for a 2 x 2 input it compares normalized dhyper() values with
 * relErr = 1 + 1e-7 (tol = log1p(1e-7)); for any other shape it calls FEXACT, whose
 * observed path length carries tol = 3.45254e-7 in log space (fexact.c, f2xact). Both are
 * used here, chosen by the shape of the table as given (before empty rows or columns are
 * dropped), as R chooses. Tables whose probability equals P_obs up to rounding (e.g.
 * permutations of a symmetric table) are thus counted, as R counts them.
 *
 * Network algorithm: Mehta & Patel (1983), JASA 78:427-434, as implemented in ACM TOMS
 * algorithm 643 (Mehta & Patel 1986; Clarkson, Fan & Joe 1993), which is R's
 * src/library/stats/src/fexact.c. The table is oriented so that its longer side (k "rows")
 * is filled one row per stage and the shorter one (m "columns") forms the node: a node at
 * depth d is the multiset of column totals still to be filled by rows d..k-1 (sorted, so
 * equivalent nodes merge). Filling row d with x = (x_1..x_m) from a node with column
 * totals v (sum V) has the multivariate hypergeometric probability
 * prod_j C(v_j, x_j) / C(V, r_d), and the product over the stages is P(T). Each node keeps
 * the log-probabilities of the paths that reach it (the "pasts"); the conditional
 * probabilities of the remaining stages sum to 1. For a child with bounds
 * lower <= log P(rest) <= upper, a past p is
 *   - counted in full, with no further work, when p + upper <= thr;
 *   - dropped when p + lower > thr;
 *   - carried to the child otherwise.
 * Differences from FEXACT, all exact rearrangements of the same sum:
 *   - the pasts of a node are sorted (they arrive as sorted runs: natural merge sort), so
 *     the three groups above are found by binary search and the counted mass is a
 *     suffix sum;
 *   - a row is enumerated one column at a time as a chain of univariate hypergeometric
 *     choices (x_1 | v, then x_2 | x_1, ...). When even the most probable past plus the
 *     log-probability of the row prefix is <= thr, the whole subtree counts and only the
 *     prefix probability is added; the rest of that tail of x_j is summed outward until
 *     the remaining terms (bounded by a geometric series, the pmf being log-concave) fall
 *     below 1e-17 of the tail;
 *   - the children of a depth k-2 node are complete tables and are not stored; with
 *     m = 2 the depth k-2 nodes are not stored either: each lists its completions (one
 *     hypergeometric count) once, sorted, with cumulative probabilities, and every past
 *     reaching it is counted with the probability that its completion stays <= thr;
 *   - "upper" is a Lagrangian (dual) bound on the most probable completion,
 *     min sum_ij lf(x_ij) >= sum_i a_i r_i + sum_j b_j v_j + sum_ij min_x (lf(x) - (a_i + b_j) x)
 *     at a_i = log r_i, b_j = log(v_j / V); "lower" is max(sum lf(r_i), sum lf(v_j)) - lf(V)
 *     (every multinomial coefficient is >= 1);
 *   - pasts are merged only when they agree to 1e-9 in log space, and the merged mass is
 *     kept exactly. FEXACT merges within 3.45e-7 and keeps one representative value; for
 *     large tables (4 x 3, n = 2000) R's value is off by a few 1e-9 for that reason.
 * Log-factorials: FEXACT builds its table by the recurrence fact[i] = fact[i-1] + log(i)
 * (i odd), fact[2i] = fact[2i-1] + log 2 + fact[i] - fact[i-1], which drifts by up to about
 * 2e-9 at n = 5000; the same table is built here so that log-probabilities round as R's
 * do. A 2 x 2 input takes R's other route (dhyper, accurate at any n); see fisher_2x2_p().
 * The p-value is a sum of positive terms (Neumaier-compensated), clamped to [0, 1] as R
 * does. Terms below about 1e-308 underflow, as they do in R.
 * Work is bounded: past 4e7 node operations (about a second) or 4e6 stored pasts at one
 * depth (64 MB), the function gives up with an error so the caller can fall back.
 */
#include "strata-contingency.h"
#include "strata-i18n.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>

#define FISHER_TOL_2X2       1e-7          /* R: relErr <- 1 + 10^(-7), on probabilities */
#define FISHER_TOL_RXC       3.45254e-7    /* fexact.c: tol, added to the log-probability */
#define FISHER_MERGE_TOL     1e-9          /* pasts this close (log scale) are merged */
#define FISHER_WORK_BUDGET   40000000u     /* node operations before giving up */
#define FISHER_PATH_BUDGET   4000000u      /* stored pasts (16 bytes each) at one depth */
#define FISHER_MAX_TOTAL     10000000u     /* largest grand total (size of the lf table) */
#define FISHER_TAIL_EPS      1e-17         /* a counted tail is summed to this relative error */

typedef struct {
  double p;  /* log-probability of the path so far */
  double w;  /* the entry stands for mass w * exp (p) (w > 1 after merging) */
} FisherPath;

/* The completions of a node with two rows left and m = 2 columns: one free count y. */
typedef struct {
  guint   n;
  double *l;    /* log-probabilities of the completions, ascending */
  double *cum;  /* cum[i] = sum_{q < i} exp (l[q]) */
} FisherFinal;

typedef struct {
  double       upper;  /* >= log-probability of the most probable completion */
  double       lower;  /* <= log-probability of the least probable completion */
  FisherPath  *paths;  /* pasts that reached the node, NULL if none */
  guint        n_paths;
  guint        cap_paths;
  FisherFinal *final;  /* only on a level of final nodes */
} FisherNode;

/* The nodes of one depth, hashed by their sorted key of m column totals. */
typedef struct {
  guint   m;
  gboolean final;   /* nodes are depth k - 2 nodes of an m = 2 table (FisherFinal) */
  GArray *nodes;    /* FisherNode */
  GArray *keys;     /* guint, m per node */
  gint   *slots;    /* open addressing: node index or -1 */
  guint   n_slots;  /* a power of 2 */
  gsize   n_paths;  /* paths stored at this depth */
} FisherLevel;

typedef struct {
  const double *lf;     /* log-factorials 0..N */
  guint         k;      /* stages (rows of the oriented table) */
  guint         m;      /* columns of the oriented table */
  const guint  *rows;   /* stage totals, in processing order */
  double        thr;    /* log P_obs + tol */

  double        sum;    /* the p-value so far, with its Neumaier compensation */
  double        comp;
  guint64       work;
  gboolean      over_budget;

  /* The node being expanded. */
  guint         depth;
  const guint  *key;
  guint        *x;       /* row being enumerated, m */
  guint        *child;   /* scratch key, m */
  FisherPath   *paths;   /* its pasts, sorted by decreasing p */
  guint         n_paths;
  double       *mass;    /* mass[i] = w_i exp (p_i) */
  double       *suffix;  /* suffix[i] = sum_{q >= i} mass[q]; suffix[n] = 0 */
  double        pmax;
  FisherLevel  *next;    /* NULL when the children are complete tables */
} FisherCtx;

/* ---- levels ------------------------------------------------------------------------ */

static FisherLevel *
fisher_level_new (guint m, gboolean final)
{
  FisherLevel *level = g_new0 (FisherLevel, 1);

  level->m = m;
  level->final = final;
  level->nodes = g_array_new (FALSE, FALSE, sizeof (FisherNode));
  level->keys = g_array_new (FALSE, FALSE, sizeof (guint));
  level->n_slots = 64;
  level->slots = g_new (gint, level->n_slots);
  memset (level->slots, 0xff, level->n_slots * sizeof (gint));
  return level;
}

static void
fisher_final_free (FisherFinal *final)
{
  g_free (final->l);
  g_free (final->cum);
  g_free (final);
}

static void
fisher_level_free (FisherLevel *level)
{
  if (level == NULL)
    return;
  for (guint i = 0; i < level->nodes->len; i++)
    {
      FisherNode *node = &g_array_index (level->nodes, FisherNode, i);
      g_clear_pointer (&node->paths, g_free);
      g_clear_pointer (&node->final, fisher_final_free);
    }
  g_array_unref (level->nodes);
  g_array_unref (level->keys);
  g_free (level->slots);
  g_free (level);
}

static inline guint
fisher_key_hash (const guint *key, guint m)
{
  guint64 h = 0x9e3779b97f4a7c15u;

  for (guint j = 0; j < m; j++)
    {
      h ^= key[j];
      h *= 0xff51afd7ed558ccdu;
      h ^= h >> 32;
    }
  return (guint) h;
}

static inline gboolean
fisher_key_equal (const guint *a, const guint *b, guint m)
{
  for (guint j = 0; j < m; j++)
    if (a[j] != b[j])
      return FALSE;
  return TRUE;
}

static void
fisher_level_grow (FisherLevel *level)
{
  guint n_slots = level->n_slots * 2;

  g_free (level->slots);
  level->slots = g_new (gint, n_slots);
  memset (level->slots, 0xff, n_slots * sizeof (gint));
  level->n_slots = n_slots;
  for (guint i = 0; i < level->nodes->len; i++)
    {
      const guint *key = &g_array_index (level->keys, guint, (gsize) i * level->m);
      guint s = fisher_key_hash (key, level->m) & (n_slots - 1);

      while (level->slots[s] >= 0)
        s = (s + 1) & (n_slots - 1);
      level->slots[s] = (gint) i;
    }
}

/* Returns the index of the node with KEY, or -1; *SLOT receives where it would go. */
static gint
fisher_level_find (const FisherLevel *level, const guint *key, guint *slot)
{
  const guint *keys = (const guint *) (const void *) level->keys->data;
  guint s = fisher_key_hash (key, level->m) & (level->n_slots - 1);

  for (;;)
    {
      gint idx = level->slots[s];

      if (idx < 0)
        {
          *slot = s;
          return -1;
        }
      if (fisher_key_equal (keys + (gsize) idx * level->m, key, level->m))
        return idx;
      s = (s + 1) & (level->n_slots - 1);
    }
}

/* Adds a node with KEY at SLOT (from a failed fisher_level_find); returns its index. */
static gint
fisher_level_add (FisherLevel *level, const guint *key, guint slot, const FisherNode *node)
{
  gint idx = (gint) level->nodes->len;

  g_array_append_vals (level->nodes, node, 1);
  g_array_append_vals (level->keys, key, level->m);
  level->slots[slot] = idx;
  if (2 * level->nodes->len > level->n_slots)
    fisher_level_grow (level);
  return idx;
}

/* ---- bounds and final nodes -------------------------------------------------------- */

/* log [C(v, x) C(w, s - x) / C(v + w, s)] = CST - lf(x) - lf(v - x) - lf(s - x) - lf(w - s + x),
 * with CST = lf(v) + lf(w) + lf(s) + lf(v + w - s) - lf(v + w). */
static inline double
fisher_lhyper (const double *lf, double cst, guint x, guint v, guint w, guint s)
{
  return cst - lf[x] - lf[v - x] - lf[s - x] - lf[w - s + x];
}

/* min over integers 0 <= x <= cap of lf(x) - theta x. The increments
 * log(x + 1) - theta increase, so the minimum is next to x = e^theta - 1. */
static double
fisher_inner_min (const double *lf, guint cap, double theta)
{
  double e = exp (theta), best = G_MAXDOUBLE;
  guint x0;

  if (e >= cap)
    x0 = cap;
  else
    x0 = (guint) e;
  for (guint x = (x0 > 0 ? x0 - 1 : 0); x <= x0 + 1 && x <= cap; x++)
    best = MIN (best, lf[x] - theta * x);
  return best;
}

/* Bounds on log P(rest | margins) for the rows ROWS[0..NR-1] and column totals KEY.
 * Inputs:  NR >= 2 row totals (all > 0), M column totals, LF table.
 * Outputs: *UPPER >= max and *LOWER <= min over all completions, with a slack that covers
 *          rounding. Source: weak Lagrangian duality (see the opening comment). */
static void
fisher_bounds (const double *lf, const guint *rows, guint nr, const guint *key, guint m,
               double *upper, double *lower)
{
  double sum_lr = 0.0, sum_lc = 0.0, dual = 0.0, lv, logv, cst, slack;
  guint v = 0;

  for (guint j = 0; j < m; j++)
    {
      v += key[j];
      sum_lc += lf[key[j]];
    }
  for (guint i = 0; i < nr; i++)
    sum_lr += lf[rows[i]];
  lv = lf[v];
  logv = log ((double) v);
  cst = sum_lr + sum_lc - lv;
  slack = 1e-10 * (sum_lr + sum_lc + lv) + 1e-9;

  for (guint i = 0; i < nr; i++)
    {
      double a = log ((double) rows[i]);

      dual += a * rows[i];
      for (guint j = 0; j < m; j++)
        {
          double b;

          if (key[j] == 0)
            continue;
          b = log ((double) key[j]) - logv;
          if (i == 0)
            dual += b * key[j];
          dual += fisher_inner_min (lf, MIN (rows[i], key[j]), a + b);
        }
    }

  *upper = MIN (cst - dual + slack, 0.0);
  *lower = MAX (sum_lr, sum_lc) - lv - slack;
}

/* The completions of a node with column totals KEY = {a, b} and the two rows R1 (filled
 * next) and R2 left: y = cell (R1, a) is hypergeometric, log-probability
 * fisher_lhyper (y; a, b, R1). Lists them by increasing log-probability, with cumulative
 * probabilities, and sets the node's exact bounds. */
static FisherFinal *
fisher_final_new (const double *lf, const guint key[2], guint r1, double *upper, double *lower)
{
  FisherFinal *final = g_new0 (FisherFinal, 1);
  guint a = key[0], b = key[1];
  guint lo = r1 > b ? r1 - b : 0, hi = MIN (r1, a), mode, n, i = 0;
  double cst = lf[a] + lf[b] + lf[r1] + lf[a + b - r1] - lf[a + b];
  guint up, down;

  mode = (guint) (((double) r1 + 1.0) * ((double) a + 1.0) / ((double) (a + b) + 2.0));
  mode = CLAMP (mode, lo, hi);
  n = hi - lo + 1;
  final->n = n;
  final->l = g_new (double, n);
  final->cum = g_new (double, n + 1);

  /* Two increasing runs, lo..mode and hi..mode+1, merged. */
  up = lo;
  down = hi;
  while (i < n)
    {
      gboolean take_up;

      if (up > mode)
        take_up = FALSE;
      else if (down <= mode)
        take_up = TRUE;
      else
        take_up = fisher_lhyper (lf, cst, up, a, b, r1) <= fisher_lhyper (lf, cst, down, a, b, r1);
      final->l[i++] = fisher_lhyper (lf, cst, take_up ? up : down, a, b, r1);
      if (take_up)
        up++;
      else
        down--;
    }
  final->cum[0] = 0.0;
  for (i = 0; i < n; i++)
    final->cum[i + 1] = final->cum[i] + exp (final->l[i]);
  *upper = final->l[n - 1];
  *lower = final->l[0];
  return final;
}

/* Probability that the completion has log-probability <= U. */
static inline double
fisher_final_cdf (const FisherFinal *final, double u)
{
  guint lo = 0, hi = final->n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (final->l[mid] <= u)
        lo = mid + 1;
      else
        hi = mid;
    }
  return final->cum[lo];
}

/* ---- expansion of one node --------------------------------------------------------- */

static inline void
fisher_add (FisherCtx *ctx, double term)
{
  double t = ctx->sum + term;

  if (fabs (ctx->sum) >= fabs (term))
    ctx->comp += (ctx->sum - t) + term;
  else
    ctx->comp += (term - t) + ctx->sum;
  ctx->sum = t;
}

/* First index i of the (descending) past list with paths[i].p <= v. */
static inline guint
fisher_first_at_most (const FisherCtx *ctx, double v)
{
  guint lo = 0, hi = ctx->n_paths;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (ctx->paths[mid].p <= v)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

static void
fisher_node_push (FisherNode *node, const FisherPath *src, guint n, double lh)
{
  if (node->n_paths + n > node->cap_paths)
    {
      node->cap_paths = MAX (node->n_paths + n, 2 * node->cap_paths);
      node->cap_paths = MAX (node->cap_paths, 16);
      node->paths = g_renew (FisherPath, node->paths, node->cap_paths);
    }
  for (guint i = 0; i < n; i++)
    {
      node->paths[node->n_paths + i].p = src[i].p + lh;
      node->paths[node->n_paths + i].w = src[i].w;
    }
  node->n_paths += n;
}

/* A complete row ctx->x with log-probability LH leads to a child node. */
static void
fisher_leaf (FisherCtx *ctx, double lh)
{
  guint m = ctx->m, *c = ctx->child;
  FisherLevel *next = ctx->next;
  FisherNode *node;
  guint ia, ib, slot;
  gint idx;

  ctx->work++;
  if (next == NULL)
    {
      /* The child is the complete table: count the pasts with p + lh <= thr. */
      ia = fisher_first_at_most (ctx, ctx->thr - lh);
      if (ia < ctx->n_paths)
        fisher_add (ctx, exp (lh) * ctx->suffix[ia]);
      return;
    }

  for (guint j = 0; j < m; j++)
    {
      guint val = ctx->key[j] - ctx->x[j], i = j;

      while (i > 0 && c[i - 1] > val)
        {
          c[i] = c[i - 1];
          i--;
        }
      c[i] = val;
    }

  idx = fisher_level_find (next, c, &slot);
  if (idx < 0)
    {
      FisherNode fresh = { 0 };
      const guint *rows = ctx->rows + ctx->depth + 1;

      if (next->final)
        fresh.final = fisher_final_new (ctx->lf, c, rows[0], &fresh.upper, &fresh.lower);
      else
        fisher_bounds (ctx->lf, rows, ctx->k - ctx->depth - 1, c, m, &fresh.upper, &fresh.lower);
      idx = fisher_level_add (next, c, slot, &fresh);
      ctx->work += next->final ? fresh.final->n : m * (ctx->k - ctx->depth - 1);
    }
  node = &g_array_index (next->nodes, FisherNode, idx);

  ia = fisher_first_at_most (ctx, ctx->thr - lh - node->upper);
  ib = fisher_first_at_most (ctx, ctx->thr - lh - node->lower);
  if (next->final)
    {
      /* Each undecided past counts with the probability that the completion stays
       * at or below thr. */
      double acc = ctx->suffix[ia];

      for (guint i = ib; i < ia; i++)
        acc += ctx->mass[i] * fisher_final_cdf (node->final, ctx->thr - lh - ctx->paths[i].p);
      if (acc > 0.0)
        fisher_add (ctx, exp (lh) * acc);
      ctx->work += ia - ib;
    }
  else
    {
      if (ia < ctx->n_paths)
        fisher_add (ctx, exp (lh) * ctx->suffix[ia]);
      if (ib < ia)
        {
          fisher_node_push (node, ctx->paths + ib, ia - ib, lh);
          next->n_paths += ia - ib;
          ctx->work += ia - ib;
          if (next->n_paths > FISHER_PATH_BUDGET)
            ctx->over_budget = TRUE;
        }
    }
  if (ctx->work > FISHER_WORK_BUDGET)
    ctx->over_budget = TRUE;
}

/* Adds the mass of a counted tail: every past, times exp(LP) times the hypergeometric
 * terms from X outward (STEP = +1 or -1) to the end of [LO, HI]. Terms after the first
 * come from the ratio C(v, y+1) C(w, s-y-1) / (C(v, y) C(w, s-y)). */
static void
fisher_add_tail (FisherCtx *ctx, double lp, double cst, guint x, int step,
                 guint lo, guint hi, guint v, guint w, guint s)
{
  double t = exp (lp + fisher_lhyper (ctx->lf, cst, x, v, w, s)), acc = 0.0;

  for (;;)
    {
      double rho;

      acc += t;
      ctx->work++;
      if ((step > 0 && x == hi) || (step < 0 && x == lo))
        break;
      if (step > 0)
        {
          rho = ((double) (v - x) * (double) (s - x))
                / ((double) (x + 1) * (double) (w - s + x + 1));
          x++;
        }
      else
        {
          rho = ((double) x * (double) (w - s + x))
                / ((double) (v - x + 1) * (double) (s - x + 1));
          x--;
        }
      /* Log-concave: later ratios are smaller, so the rest is <= t rho / (1 - rho). */
      if (rho < 1.0 && t * rho / (1.0 - rho) <= FISHER_TAIL_EPS * acc)
        break;
      t *= rho;
    }
  fisher_add (ctx, ctx->suffix[0] * acc);
}

/* Enumerates x_j (and recursively x_{j+1}..) of the row being filled.
 * S is what is left of the row total, VJ_SUM = sum of key[j..m-1], LP the log-probability
 * of the row prefix x_0..x_{j-1}. Precondition: LP + pmax > thr. */
static void
fisher_enumerate (FisherCtx *ctx, guint j, guint s, guint vj_sum, double lp)
{
  const double *lf = ctx->lf;
  guint v, w, lo, hi, mode;
  double cst;

  if (ctx->over_budget)
    return;
  if (j + 1 == ctx->m)
    {
      ctx->x[j] = s;
      fisher_leaf (ctx, lp);
      return;
    }

  v = ctx->key[j];
  w = vj_sum - v;
  lo = s > w ? s - w : 0;
  hi = MIN (s, v);
  mode = (guint) (((double) s + 1.0) * ((double) v + 1.0) / ((double) vj_sum + 2.0));
  mode = CLAMP (mode, lo, hi);
  cst = lf[v] + lf[w] + lf[s] + lf[vj_sum - s] - lf[vj_sum];

  /* Upward from the mode, then downward: the pmf decreases away from the mode. */
  for (guint x = mode;; x++)
    {
      double l = lp + fisher_lhyper (lf, cst, x, v, w, s);

      if (l + ctx->pmax <= ctx->thr)
        {
          fisher_add_tail (ctx, lp, cst, x, +1, lo, hi, v, w, s);
          break;
        }
      ctx->x[j] = x;
      fisher_enumerate (ctx, j + 1, s - x, w, l);
      if (x == hi || ctx->over_budget)
        break;
    }
  for (guint x = mode; x > lo && !ctx->over_budget;)
    {
      double l;

      x--;
      l = lp + fisher_lhyper (lf, cst, x, v, w, s);
      if (l + ctx->pmax <= ctx->thr)
        {
          fisher_add_tail (ctx, lp, cst, x, -1, lo, hi, v, w, s);
          break;
        }
      ctx->x[j] = x;
      fisher_enumerate (ctx, j + 1, s - x, w, l);
    }
}

/* Sorts pasts by decreasing p. They arrive as sorted runs (one per parent edge), so this
 * is a natural merge sort, O(n log(runs)) (Knuth, TAOCP vol. 3, 5.2.4). Returns the sorted
 * array, which is A or TMP (both hold N entries); each pass is added to *WORK. */
static FisherPath *
fisher_sort_paths (FisherPath *a, FisherPath *tmp, guint n, guint64 *work)
{
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (guint));
  guint *st, n_runs;

  for (guint i = 0; i < n;)
    {
      g_array_append_val (starts, i);
      for (i++; i < n && a[i].p <= a[i - 1].p; i++)
        ;
    }
  g_array_append_val (starts, n);

  while (starts->len > 2)
    {
      FisherPath *swap;
      guint kept = 0;

      st = (guint *) (void *) starts->data;
      n_runs = starts->len - 1;
      for (guint r = 0; r < n_runs; r += 2)
        {
          guint i = st[r], mid = st[r + 1], j = mid, o = st[r];
          guint hi = (r + 1 < n_runs) ? st[r + 2] : mid;  /* a last odd run is copied */

          while (i < mid && j < hi)
            tmp[o++] = (a[i].p >= a[j].p) ? a[i++] : a[j++];
          while (i < mid)
            tmp[o++] = a[i++];
          while (j < hi)
            tmp[o++] = a[j++];
          st[kept++] = st[r];
        }
      st[kept++] = n;
      g_array_set_size (starts, kept);
      swap = a;
      a = tmp;
      tmp = swap;
      *work += n;
    }
  return a;
}

/* Expands one node: sorts and merges its pasts, then enumerates its children. */
static void
fisher_expand (FisherCtx *ctx, const guint *key, FisherPath *p, guint n_in)
{
  guint n = 0, vsum = 0;
  g_autofree FisherPath *tmp = g_new (FisherPath, n_in);
  g_autofree double *mass = NULL;
  g_autofree double *suffix = NULL;

  p = fisher_sort_paths (p, tmp, n_in, &ctx->work);
  for (guint i = 0; i < n_in; i++)
    {
      if (n > 0 && p[n - 1].p - p[i].p <= FISHER_MERGE_TOL)
        p[n - 1].w += p[i].w * exp (p[i].p - p[n - 1].p);
      else
        p[n++] = p[i];
    }
  mass = g_new (double, n);
  suffix = g_new (double, n + 1);
  suffix[n] = 0.0;
  for (guint i = n; i-- > 0;)
    {
      mass[i] = p[i].w * exp (p[i].p);
      suffix[i] = suffix[i + 1] + mass[i];
    }
  ctx->work += n_in;
  if (ctx->work > FISHER_WORK_BUDGET)
    {
      ctx->over_budget = TRUE;
      return;
    }

  for (guint j = 0; j < ctx->m; j++)
    vsum += key[j];
  ctx->key = key;
  ctx->paths = p;
  ctx->n_paths = n;
  ctx->mass = mass;
  ctx->suffix = suffix;
  ctx->pmax = p[0].p;
  fisher_enumerate (ctx, 0, ctx->rows[ctx->depth], vsum, 0.0);
  ctx->mass = NULL;
  ctx->suffix = NULL;
}

/* ---- 2 x 2 tables ------------------------------------------------------------------- */

/* Two-sided p-value of a 2 x 2 table with no empty row or column, as fisher.test.
 *
 * Inputs:  COUNTS = {a, b, c, d} row-major, every margin > 0.
 * Output:  p = sum_{x: d_x <= d_a (1 + 1e-7)} d_x / sum_x d_x, where d_x is the hypergeometric
 *          probability of cell (1,1) = x, lo <= x <= hi, up to a common factor.
 * R takes d from dhyper(log = TRUE), which is accurate to rounding at any n, and
 * normalizes by sum(d). Here d is 1 at the mode and follows from the exact ratio
 * d_{x+1} / d_x = (m - x)(k - x) / ((x + 1)(n - k + x + 1)), m = a + c, n = b + d,
 * k = a + b, so no log-factorial of a large total enters (those lose about 1e-9
 * relative at n = 4e5). Two passes: the first finds d_a, the second sums. */
static double
fisher_2x2_p (const guint counts[4])
{
  double m = (double) counts[0] + counts[2], n = (double) counts[1] + counts[3];
  double k = (double) counts[0] + counts[1];
  guint lo = counts[0] > counts[3] ? counts[0] - counts[3] : 0;  /* max(0, k - n) */
  guint hi = MIN (counts[0] + counts[1], counts[0] + counts[2]);
  guint a = counts[0], mode;
  double d, d_obs, total = 0.0, total_c = 0.0, sel = 0.0, sel_c = 0.0;

  mode = (guint) floor ((k + 1.0) * (m + 1.0) / (m + n + 2.0));
  mode = CLAMP (mode, lo, hi);

#define FISHER_UP(x)   (((m - (x)) * (k - (x))) / (((x) + 1.0) * (n - k + (x) + 1.0)))
#define FISHER_KAHAN(s, c, v) G_STMT_START {                                          \
    double v_ = (v), t_ = (s) + v_;                                                    \
    (c) += (fabs (s) >= fabs (v_)) ? ((s) - t_) + v_ : (v_ - t_) + (s);                \
    (s) = t_;                                                                          \
  } G_STMT_END

  d_obs = 1.0;
  if (a > mode)
    for (guint x = mode; x < a; x++)
      d_obs *= FISHER_UP ((double) x);
  else
    for (guint x = mode; x > a; x--)
      d_obs /= FISHER_UP ((double) x - 1.0);
  d_obs *= 1.0 + FISHER_TOL_2X2;

  d = 1.0;
  for (guint x = mode;; x++)
    {
      FISHER_KAHAN (total, total_c, d);
      if (d <= d_obs)
        FISHER_KAHAN (sel, sel_c, d);
      if (x == hi)
        break;
      d *= FISHER_UP ((double) x);
    }
  d = 1.0;
  for (guint x = mode; x > lo;)
    {
      d /= FISHER_UP ((double) x - 1.0);
      x--;
      FISHER_KAHAN (total, total_c, d);
      if (d <= d_obs)
        FISHER_KAHAN (sel, sel_c, d);
    }
#undef FISHER_UP
#undef FISHER_KAHAN

  return CLAMP ((sel + sel_c) / (total + total_c), 0.0, 1.0);
}

/* ---- log-factorial tables ---------------------------------------------------------- */

/* lf[i] = log(i!) for i <= n, by the recurrence of R's fexact.c (f2xact), reproducing
 * its rounding. */
static double *
fisher_lf_table (guint n)
{
  double *lf = g_new (double, (gsize) n + 2);

  lf[0] = 0.0;
  lf[1] = 0.0;
  if (n >= 2)
    lf[2] = log (2.0);
  for (guint i = 3; i <= n; i += 2)
    {
      lf[i] = lf[i - 1] + log ((double) i);
      if (i + 1 <= n)
        lf[i + 1] = lf[i] + lf[2] + lf[(i + 1) / 2] - lf[(i + 1) / 2 - 1];
    }
  return lf;
}

static int
fisher_guint_cmp (gconstpointer a, gconstpointer b)
{
  guint ua = *(const guint *) a, ub = *(const guint *) b;

  return (ua > ub) - (ua < ub);
}

/* Two-sided Fisher exact p-value, as R's fisher.test (see the opening comment).
 *
 * Inputs:  COUNTS, NROW x NCOL cell counts in row-major order.
 * Output:  the p-value in [0, 1]. 1 when fewer than 2 non-empty rows or columns remain
 *          (only one table has those margins; R gives 1 for such a 2 x 2 and refuses
 *          a matrix with fewer than 2 rows or columns). NaN, with ERROR set
 *          (STRATA_CONTINGENCY_ERROR_TOO_LARGE), when the total exceeds 10^7 or the work
 *          exceeds its budget (4e7 node operations or 4e6 stored pasts at one depth).
 * Preconditions: none beyond the array holding NROW * NCOL counts. */
double
strata_fisher_exact_p (const guint *counts, guint nrow, guint ncol, GError **error)
{
  g_autofree guint *row_tot = NULL;
  g_autofree guint *col_tot = NULL;
  g_autofree guint *rows = NULL;
  g_autofree guint *cols = NULL;
  g_autofree guint *x = NULL;
  g_autofree guint *child = NULL;
  g_autofree double *lf = NULL;
  FisherLevel *level;
  FisherCtx ctx = { 0 };
  guint64 total = 0;
  guint nr = 0, nc = 0, k, m;
  double lpobs;

  g_return_val_if_fail (counts != NULL || nrow == 0 || ncol == 0, NAN);
  g_return_val_if_fail (error == NULL || *error == NULL, NAN);

  row_tot = g_new0 (guint, MAX (nrow, 1));
  col_tot = g_new0 (guint, MAX (ncol, 1));
  for (guint i = 0; i < nrow; i++)
    for (guint j = 0; j < ncol; j++)
      {
        guint c = counts[(gsize) i * ncol + j];

        total += c;
        if (total > FISHER_MAX_TOTAL)
          {
            g_set_error (error, STRATA_CONTINGENCY_ERROR, STRATA_CONTINGENCY_ERROR_TOO_LARGE,
                         _("Fisher's exact test: the table total exceeds %u"), FISHER_MAX_TOTAL);
            return NAN;
          }
        row_tot[i] += c;
        col_tot[j] += c;
      }

  /* Drop empty rows and columns; orient so that the k stages are the longer side. */
  rows = g_new (guint, MAX (nrow, 1));
  cols = g_new (guint, MAX (ncol, 1));
  for (guint i = 0; i < nrow; i++)
    if (row_tot[i] > 0)
      rows[nr++] = row_tot[i];
  for (guint j = 0; j < ncol; j++)
    if (col_tot[j] > 0)
      cols[nc++] = col_tot[j];
  if (nr < 2 || nc < 2)
    return 1.0;
  if (nrow == 2 && ncol == 2)
    return fisher_2x2_p (counts);
  if (nr < nc)
    {
      guint *tmp = rows;
      rows = cols;
      cols = tmp;
      k = nc;
      m = nr;
    }
  else
    {
      k = nr;
      m = nc;
    }
  /* Stages in increasing total, node keys ascending. */
  qsort (rows, k, sizeof (guint), fisher_guint_cmp);
  qsort (cols, m, sizeof (guint), fisher_guint_cmp);

  lf = fisher_lf_table ((guint) total);
  lpobs = -lf[total];
  for (guint i = 0; i < nrow; i++)
    lpobs += lf[row_tot[i]];
  for (guint j = 0; j < ncol; j++)
    lpobs += lf[col_tot[j]];
  for (gsize c = 0; c < (gsize) nrow * ncol; c++)
    lpobs -= lf[counts[c]];

  x = g_new0 (guint, m);
  child = g_new0 (guint, m);
  ctx.lf = lf;
  ctx.k = k;
  ctx.m = m;
  ctx.rows = rows;
  ctx.thr = lpobs + FISHER_TOL_RXC;
  ctx.x = x;
  ctx.child = child;

  level = fisher_level_new (m, FALSE);
  {
    FisherNode root = { 0 };
    guint slot;

    root.paths = g_new (FisherPath, 1);
    root.paths[0].p = 0.0;
    root.paths[0].w = 1.0;
    root.n_paths = root.cap_paths = 1;
    fisher_level_find (level, cols, &slot);
    fisher_level_add (level, cols, slot, &root);
  }

  /* Depth d expands into depth d + 1. The children of depth k - 2 are complete tables;
   * with m = 2 the depth k - 2 nodes are final nodes, expanded in place by their parents. */
  for (guint d = 0; d + 1 < k && !ctx.over_budget; d++)
    {
      FisherLevel *next = NULL;

      if (d + 2 < k)
        next = fisher_level_new (m, m == 2 && d + 3 == k);
      ctx.depth = d;
      ctx.next = next;
      for (guint i = 0; i < level->nodes->len && !ctx.over_budget; i++)
        {
          FisherNode *node = &g_array_index (level->nodes, FisherNode, i);

          if (node->n_paths == 0)
            continue;
          fisher_expand (&ctx, &g_array_index (level->keys, guint, (gsize) i * m),
                         node->paths, node->n_paths);
          g_clear_pointer (&node->paths, g_free);
          node->n_paths = node->cap_paths = 0;
        }
      fisher_level_free (level);
      level = next;
      if (level != NULL && level->final)
        break;
    }
  fisher_level_free (level);

  if (ctx.over_budget)
    {
      g_set_error (error, STRATA_CONTINGENCY_ERROR, STRATA_CONTINGENCY_ERROR_TOO_LARGE,
                   _("Fisher's exact test: the %u x %u table is too large to enumerate exactly"),
                   nrow, ncol);
      return NAN;
    }
  return CLAMP (ctx.sum + ctx.comp, 0.0, 1.0);
}

/* ---- 2 x 2 conditional odds ratio -------------------------------------------------- */

/* The noncentral hypergeometric distribution of cell (1,1) given the margins, as in
 * fisher.test: support lo..hi, log weights logdc[s] = lchoose(m, s) + lchoose(n, k - s). */
typedef struct {
  guint   lo, hi;
  double *logdc;  /* indexed s - lo */
  double *d;      /* scratch: normalized probabilities at the current theta */
} FisherNoncentral;

/* Normalized probabilities at odds ratio exp(THETA), into nc->d. */
static void
fisher_nc_density (FisherNoncentral *nc, double theta)
{
  double mx = -G_MAXDOUBLE, sum = 0.0;
  guint n = nc->hi - nc->lo + 1;

  for (guint i = 0; i < n; i++)
    {
      nc->d[i] = nc->logdc[i] + theta * (double) (nc->lo + i);
      mx = MAX (mx, nc->d[i]);
    }
  for (guint i = 0; i < n; i++)
    {
      nc->d[i] = exp (nc->d[i] - mx);
      sum += nc->d[i];
    }
  for (guint i = 0; i < n; i++)
    nc->d[i] /= sum;
}

typedef enum {
  FISHER_NC_MEAN,   /* E(X) - target */
  FISHER_NC_UPPER,  /* P(X >= x) - target */
  FISHER_NC_LOWER,  /* target - P(X <= x) */
} FisherNcEquation;

/* Value and derivative in theta of the equation; all three increase with theta. */
static double
fisher_nc_eval (FisherNoncentral *nc, FisherNcEquation eq, guint x, double target,
                double theta, double *deriv)
{
  double mean = 0.0, var = 0.0, tail = 0.0, tail_x = 0.0;
  guint n = nc->hi - nc->lo + 1;

  fisher_nc_density (nc, theta);
  for (guint i = 0; i < n; i++)
    mean += nc->d[i] * (double) (nc->lo + i);
  for (guint i = 0; i < n; i++)
    {
      double s = (double) (nc->lo + i);
      gboolean in = (eq == FISHER_NC_LOWER) ? nc->lo + i <= x : nc->lo + i >= x;

      var += nc->d[i] * (s - mean) * (s - mean);
      if (in)
        {
          tail += nc->d[i];
          tail_x += nc->d[i] * (s - mean);
        }
    }
  switch (eq)
    {
    case FISHER_NC_MEAN:
      *deriv = var;
      return mean - target;
    case FISHER_NC_UPPER:
      *deriv = tail_x;               /* d/dtheta P(X >= x) = Cov(1{X >= x}, X) */
      return tail - target;
    case FISHER_NC_LOWER:
    default:
      *deriv = -tail_x;
      return target - tail;
    }
}

/* Root in theta = log(odds ratio) of an increasing equation: bracket by doubling, then
 * Newton steps kept inside the bracket (bisection otherwise), to full precision. */
static double
fisher_nc_solve (FisherNoncentral *nc, FisherNcEquation eq, guint x, double target)
{
  double lo = -1.0, hi = 1.0, deriv, theta, f;

  while (fisher_nc_eval (nc, eq, x, target, lo, &deriv) > 0.0 && lo > -1e4)
    lo *= 2.0;
  while (fisher_nc_eval (nc, eq, x, target, hi, &deriv) < 0.0 && hi < 1e4)
    hi *= 2.0;

  theta = 0.0;
  for (int iter = 0; iter < 400; iter++)
    {
      double next;

      f = fisher_nc_eval (nc, eq, x, target, theta, &deriv);
      if (f == 0.0)
        break;
      if (f < 0.0)
        lo = theta;
      else
        hi = theta;
      next = (deriv > 0.0) ? theta - f / deriv : NAN;
      if (!(next > lo && next < hi))
        next = 0.5 * (lo + hi);
      if (fabs (next - theta) <= 4.0 * GSL_DBL_EPSILON * MAX (1.0, fabs (theta)))
        {
          theta = next;
          break;
        }
      theta = next;
      if (hi - lo <= 4.0 * GSL_DBL_EPSILON * MAX (1.0, fabs (theta)))
        break;
    }
  return theta;
}

/* Conditional MLE and exact CI of the odds ratio of a 2 x 2 table, as R's fisher.test.
 *
 * Inputs:  COUNTS = {a, b, c, d} row-major; CONF_LEVEL in (0, 1).
 * Outputs: RESULT->estimate solves E_psi(X) = a (0 when a = lo, +Inf when a = hi);
 *          RESULT->lower solves P_psi(X >= a) = alpha (0 when a = lo),
 *          RESULT->upper solves P_psi(X <= a) = alpha (+Inf when a = hi),
 *          alpha = (1 - conf_level) / 2, X noncentral hypergeometric on lo..hi with
 *          m = a + c, n = b + d, k = a + b (R's dnhyper). Solved in log(psi) by Newton with
 *          a bracket, to about 1e-15 (R's uniroot stops near 1e-4; compare with the
 *          "_precise" reference values).
 * Returns FALSE (all NaN) when a margin is 0 or CONF_LEVEL is out of range.
 * Source: R 4.2 stats::fisher.test (mle, ncp.L, ncp.U). */
gboolean
strata_fisher_odds_ratio (const guint      counts[4],
                          double           conf_level,
                          StrataOddsRatio *result)
{
  FisherNoncentral nc;
  guint m, n, k, x;
  double alpha;

  g_return_val_if_fail (counts != NULL && result != NULL, FALSE);
  result->estimate = result->lower = result->upper = NAN;
  if (!(conf_level > 0.0 && conf_level < 1.0))
    return FALSE;

  x = counts[0];
  m = counts[0] + counts[2];
  n = counts[1] + counts[3];
  k = counts[0] + counts[1];
  nc.lo = k > n ? k - n : 0;
  nc.hi = MIN (k, m);
  if (nc.lo == nc.hi)
    return FALSE;

  nc.logdc = g_new (double, nc.hi - nc.lo + 1);
  nc.d = g_new (double, nc.hi - nc.lo + 1);
  for (guint s = nc.lo; s <= nc.hi; s++)
    nc.logdc[s - nc.lo] = gsl_sf_lnchoose (m, s) + gsl_sf_lnchoose (n, k - s);

  alpha = (1.0 - conf_level) / 2.0;
  if (x == nc.lo)
    result->estimate = 0.0;
  else if (x == nc.hi)
    result->estimate = INFINITY;
  else
    result->estimate = exp (fisher_nc_solve (&nc, FISHER_NC_MEAN, x, x));
  result->lower = (x == nc.lo) ? 0.0 : exp (fisher_nc_solve (&nc, FISHER_NC_UPPER, x, alpha));
  result->upper = (x == nc.hi) ? INFINITY : exp (fisher_nc_solve (&nc, FISHER_NC_LOWER, x, alpha));

  g_free (nc.logdc);
  g_free (nc.d);
  return TRUE;
}

/* ---- Monte Carlo p-value (R's fisher.test (simulate.p.value = TRUE)) ---- */

/* One draw of the count X of a cell whose row still has IA to place, whose column still
 * has ID, out of IE still to place in the columns from this one on (rows from this one
 * on): X is hypergeometric, P(X = x) = C(ID, x) C(IE - ID, IA - x) / C(IE, IA). Drawn by
 * inversion from the mode outwards (alternately up and down), as Patefield's algorithm
 * (AS 159; R's rcont2) does: about sqrt(IE) steps. LF[i] = log(i!). */
static guint
fisher_sim_cell (const double *lf, guint ia, guint id, guint ie, gsl_rng *rng)
{
  guint lo = ia + id > ie ? ia + id - ie : 0;
  guint hi = MIN (ia, id);
  guint rest = ie - id;   /* the other columns' room */
  guint mode, up, down;
  double p_mode, p_up, p_down, sum, u;

  if (lo == hi)
    return lo;
  mode = (guint) (((guint64) ia + 1) * ((guint64) id + 1) / ((guint64) ie + 2));
  mode = CLAMP (mode, lo, hi);
  p_mode = exp (lf[id] - lf[mode] - lf[id - mode] + lf[rest] - lf[ia - mode]
                - lf[rest - (ia - mode)] - (lf[ie] - lf[ia] - lf[ie - ia]));
  u = gsl_rng_uniform (rng);
  for (;;)
    {
      up = down = mode;
      p_up = p_down = sum = p_mode;
      if (u < sum)
        return mode;
      while (up < hi || down > lo)
        {
          if (up < hi)
            {
              p_up *= (double) (id - up) * (ia - up) / ((up + 1.0) * (rest - ia + up + 1.0));
              up++;
              sum += p_up;
              if (u < sum)
                return up;
            }
          if (down > lo)
            {
              p_down *= (double) down * (rest - ia + down) / ((id - down + 1.0) * (ia - down + 1.0));
              down--;
              sum += p_down;
              if (u < sum)
                return down;
            }
        }
      /* The probabilities summed to slightly less than U by rounding: draw again
       * within their actual sum, as rcont2 does. */
      u = sum * gsl_rng_uniform (rng);
    }
}

/* A random table with row totals ROWS[NR] and column totals COLS[NC] (sum N), uniform
 * over the tables with these margins weighted by their hypergeometric probability:
 * filled row by row, each cell drawn given the cells before it (Patefield 1981,
 * Applied Statistics 30:91-97). Returns -sum log(x_ij!), the statistic of R's
 * fisher_sim. COL_LEFT: NC integers of work space. */
static double
fisher_sim_table (const double *lf, const guint *rows, guint nr, const guint *cols, guint nc,
                  guint n, guint *col_left, gsl_rng *rng)
{
  double stat = 0.0;
  guint remaining = n;   /* still to place in rows i.. */

  memcpy (col_left, cols, nc * sizeof (guint));
  for (guint i = 0; i + 1 < nr; i++)
    {
      guint ia = rows[i];
      guint ie = remaining;   /* room in columns j.. of rows i.. */

      remaining -= rows[i];
      for (guint j = 0; j + 1 < nc; j++)
        {
          guint id = col_left[j];
          guint x = ia == 0 ? 0 : fisher_sim_cell (lf, ia, id, ie, rng);

          ie -= id;
          ia -= x;
          col_left[j] -= x;
          stat -= lf[x];
        }
      col_left[nc - 1] -= ia;
      stat -= lf[ia];
    }
  for (guint j = 0; j < nc; j++)
    stat -= lf[col_left[j]];
  return stat;
}

/* Monte Carlo p-value of Fisher's exact test, as R's
 * fisher.test (x, simulate.p.value = TRUE, B = REPLICATES).
 *
 * Inputs:  COUNTS, NROW x NCOL cell counts in row-major order; REPLICATES, the number B
 *          of random tables; SEED, the seed of the generator (GSL's MT19937), so that
 *          a report can state B and the seed and be reproduced exactly.
 * Output:  *P = (1 + #{b : S_b <= S_obs / (1 + 64 eps)}) / (B + 1), where S = -sum
 *          log(x_ij!) and S_b are the statistics of B tables with the observed margins
 *          drawn by Patefield's algorithm (R's r2dtable / rcont2). The tolerance is R's
 *          ("almost.1"): tables as probable as the observed one up to rounding count.
 *          Rows or columns whose total is 0 are dropped first, as R does.
 * Returns: FALSE (with *P = NaN) when fewer than 2 non-empty rows or columns remain (R
 *          refuses such a table), when REPLICATES is 0, or when the total exceeds 10^7.
 * Cost:    about B x cells x sqrt(N) steps; B = 2000 on a 5 x 5 table of 1000 takes a
 *          few milliseconds. The random stream is not R's: p-values agree with R's in
 *          distribution, not digit for digit. Thread-safe. */
gboolean
strata_fisher_monte_carlo_p (const guint *counts, guint nrow, guint ncol, guint replicates,
                             guint64 seed, double *p)
{
  g_autofree guint *row_tot = NULL;
  g_autofree guint *col_tot = NULL;
  g_autofree guint *rows = NULL;
  g_autofree guint *cols = NULL;
  g_autofree guint *col_left = NULL;
  g_autofree double *lf = NULL;
  guint64 total = 0;
  guint nr = 0, nc = 0, n_le = 0;
  double stat_obs = 0.0, threshold;
  gsl_rng *rng;

  g_return_val_if_fail (counts != NULL || nrow == 0 || ncol == 0, FALSE);
  g_return_val_if_fail (p != NULL, FALSE);

  *p = NAN;
  row_tot = g_new0 (guint, MAX (nrow, 1));
  col_tot = g_new0 (guint, MAX (ncol, 1));
  for (guint i = 0; i < nrow; i++)
    for (guint j = 0; j < ncol; j++)
      {
        guint c = counts[(gsize) i * ncol + j];
        row_tot[i] += c;
        col_tot[j] += c;
        total += c;
      }
  if (replicates == 0 || total > FISHER_MAX_TOTAL)
    return FALSE;
  rows = g_new (guint, MAX (nrow, 1));
  cols = g_new (guint, MAX (ncol, 1));
  for (guint i = 0; i < nrow; i++)
    if (row_tot[i] > 0)
      rows[nr++] = row_tot[i];
  for (guint j = 0; j < ncol; j++)
    if (col_tot[j] > 0)
      cols[nc++] = col_tot[j];
  if (nr < 2 || nc < 2)
    return FALSE;

  /* R's fisher_sim: fact[i] = fact[i - 1] + log(i). */
  lf = g_new (double, total + 1);
  lf[0] = 0.0;
  for (guint i = 1; i <= total; i++)
    lf[i] = lf[i - 1] + log ((double) i);
  for (guint i = 0; i < nrow; i++)
    for (guint j = 0; j < ncol; j++)
      stat_obs -= lf[counts[(gsize) i * ncol + j]];
  threshold = stat_obs / (1.0 + 64.0 * GSL_DBL_EPSILON);

  col_left = g_new (guint, nc);
  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, (unsigned long) seed);
  for (guint b = 0; b < replicates; b++)
    if (fisher_sim_table (lf, rows, nr, cols, nc, (guint) total, col_left, rng) <= threshold)
      n_le++;
  gsl_rng_free (rng);

  *p = (1.0 + n_le) / (replicates + 1.0);
  return TRUE;
}

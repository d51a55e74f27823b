/* test-contingency.c: response-table statistics against R.
 *
 * tests/data/responses.json holds R's values for the public tables; every number in it
 * that Strata computes is compared at 1e-9 relative (1e-12 absolute near 0). The cases
 * written out below were computed with R 4.2.2 (Debian 12), printed with sprintf("%.17g"):
 * fisher.test(m)$p.value, chisq.test(m, correct = FALSE), binom.test(x, n)$conf.int,
 * prop.test(x, n, correct = FALSE)$conf.int, and fisher.test's odds ratio with its
 * uniroot calls at tol = 1e-15.
 */
#include "strata-contingency.h"

#include <gsl/gsl_errno.h>
#include <math.h>

#include "reference-compare.h"

static guint n_checked;

#define check_reference(ours, ref, ...)                                               \
  G_STMT_START {                                                                     \
    assert_reference ((ours), (ref), __VA_ARGS__);                                   \
    n_checked++;                                                                     \
  } G_STMT_END

static void
assert_close (double ours, double expected, double rel, const char *what)
{
  double diff = fabs (ours - expected);

  if (isnan (expected) && isnan (ours))
    {
      n_checked++;
      return;
    }
  if (!(diff <= STRATA_ABS_TOL || diff <= rel * MAX (fabs (ours), fabs (expected))))
    g_error ("%s: got %.17g, R gives %.17g", what, ours, expected);
  n_checked++;
}

/* ---- responses.json ---------------------------------------------------------------- */

static void
check_proportions (JsonObject *obj, double conf_level, const char *where)
{
  guint x = (guint) json_object_get_int_member (obj, "x");
  guint n = (guint) json_object_get_int_member (obj, "n");
  double lo, up;

  check_reference ((double) x / n, json_object_get_member (obj, "p_hat"), "%s p_hat", where);
  strata_proportion_clopper_pearson (x, n, conf_level, &lo, &up);
  check_reference (lo, json_object_get_member (obj, "cp_lower"), "%s cp_lower", where);
  check_reference (up, json_object_get_member (obj, "cp_upper"), "%s cp_upper", where);
  strata_proportion_wilson (x, n, conf_level, &lo, &up);
  check_reference (lo, json_object_get_member (obj, "wilson_lower"), "%s wilson_lower", where);
  check_reference (up, json_object_get_member (obj, "wilson_upper"), "%s wilson_upper", where);
}

static void
test_reference_responses (void)
{
  g_autoptr (JsonParser) parser = NULL;
  JsonObject *root = json_node_get_object (reference_load ("responses.json", &parser));
  double conf_level = json_object_get_double_member (root, "conf_level");
  JsonArray *tables = json_object_get_array_member (root, "tables");
  guint before = n_checked;

  g_assert_cmpuint (json_array_get_length (tables), >, 0);
  for (guint t = 0; t < json_array_get_length (tables); t++)
    {
      JsonObject *table = json_array_get_object_element (tables, t);
      const char *id = json_object_get_string_member (table, "id");
      guint nrow = (guint) json_object_get_int_member (table, "nrow");
      guint ncol = (guint) json_object_get_int_member (table, "ncol");
      JsonArray *rows = json_object_get_array_member (table, "table");
      JsonObject *fisher = json_object_get_object_member (table, "fisher");
      JsonObject *chisq = json_object_get_object_member (table, "chisq");
      JsonArray *props = json_object_get_array_member (table, "rows");
      g_autofree guint *counts = g_new (guint, nrow * ncol);
      g_autoptr (GError) error = NULL;
      StrataChisqTest chi;
      double p;

      g_assert_cmpuint (json_array_get_length (rows), ==, nrow);
      for (guint i = 0; i < nrow; i++)
        {
          JsonArray *row = json_array_get_array_element (rows, i);

          g_assert_cmpuint (json_array_get_length (row), ==, ncol);
          for (guint j = 0; j < ncol; j++)
            counts[i * ncol + j] = (guint) json_array_get_int_element (row, j);
        }

      p = strata_fisher_exact_p (counts, nrow, ncol, &error);
      g_assert_no_error (error);
      check_reference (p, json_object_get_member (fisher, "p"), "%s fisher p", id);

      if (nrow == 2 && ncol == 2 && json_object_has_member (fisher, "odds_ratio_precise"))
        {
          StrataOddsRatio or;

          g_assert_true (strata_fisher_odds_ratio (counts, conf_level, &or));
          check_reference (or.estimate, json_object_get_member (fisher, "odds_ratio_precise"),
                           "%s odds ratio", id);
          check_reference (or.lower, json_object_get_member (fisher, "or_lower_precise"),
                           "%s odds ratio lower", id);
          check_reference (or.upper, json_object_get_member (fisher, "or_upper_precise"),
                           "%s odds ratio upper", id);
        }

      g_assert_true (strata_chisq_test (counts, nrow, ncol, &chi));
      check_reference (chi.statistic, json_object_get_member (chisq, "statistic"), "%s chisq", id);
      check_reference (chi.df, json_object_get_member (chisq, "df"), "%s chisq df", id);
      check_reference (chi.p, json_object_get_member (chisq, "p"), "%s chisq p", id);

      g_assert_cmpuint (json_array_get_length (props), ==, nrow);
      for (guint i = 0; i < nrow; i++)
        {
          g_autofree char *where = g_strdup_printf ("%s row %u", id, i + 1);
          JsonObject *obj = json_array_get_object_element (props, i);

          g_assert_cmpuint ((guint) json_object_get_int_member (obj, "x"), ==, counts[i * ncol]);
          check_proportions (obj, conf_level, where);
        }

      if (json_object_has_member (table, "cells") && !json_object_get_null_member (table, "cells"))
        {
          JsonArray *cells = json_object_get_array_member (table, "cells");

          for (guint i = 0; i < json_array_get_length (cells); i++)
            {
              JsonArray *cell_row = json_array_get_array_element (cells, i);

              for (guint j = 0; j < json_array_get_length (cell_row); j++)
                {
                  g_autofree char *where = g_strdup_printf ("%s cell %u,%u", id, i + 1, j + 1);

                  check_proportions (json_array_get_object_element (cell_row, j), conf_level, where);
                }
            }
        }
    }
  g_test_message ("responses.json: %u values match R", n_checked - before);
}

/* ---- Fisher, beyond the reference file ----------------------------------------------- */

typedef struct {
  guint nrow, ncol;
  guint counts[40];
  double p;  /* R's fisher.test(matrix(counts, nrow, byrow = TRUE))$p.value */
} FisherCase;

static const FisherCase fisher_cases[] = {
  { 3, 3, { 3, 1, 4, 1, 5, 9, 2, 6, 5 }, 0.2823602287683537 },
  { 4, 2, { 120, 130, 80, 170, 140, 110, 100, 150 }, 3.7499163437443017e-07 },
  { 2, 5, { 3, 8, 2, 6, 4, 5, 1, 7, 3, 2 }, 0.044451743054411914 },
  /* an empty row; an empty column */
  { 3, 2, { 7, 3, 0, 0, 2, 9 }, 0.029973122852379592 },
  { 3, 3, { 4, 0, 6, 2, 0, 1, 5, 0, 3 }, 0.60490592998332449 },
  /* one non-empty row left; ties of symmetric tables */
  { 2, 2, { 0, 0, 3, 4 }, 1 },
  { 2, 3, { 1, 0, 0, 0, 1, 1 }, 1 },
  { 3, 2, { 3, 2, 2, 3, 3, 2 }, 1 },
  { 2, 2, { 5, 5, 5, 5 }, 1 },
  { 4, 4, { 2, 3, 3, 2, 0, 0, 2, 1, 1, 3, 4, 1, 3, 1, 1, 3 }, 0.66475794594166215 },
  { 5, 3, { 4, 2, 3, 1, 5, 2, 3, 3, 4, 2, 1, 6, 5, 2, 1 }, 0.24562920433227459 },
  /* every term underflows in R as well */
  { 2, 2, { 1000, 0, 0, 1000 }, 0 },
  /* n = 400000 and n = 100000: beyond what log-factorials of the total resolve */
  { 2, 2, { 168866, 31134, 166394, 33606 }, 2.7096921283345827e-26 },
  { 2, 2, { 2441, 47559, 4873, 45127 }, 5.562901364857506e-195 },
};

static void
test_fisher_cases (void)
{
  guint before = n_checked;

  for (gsize c = 0; c < G_N_ELEMENTS (fisher_cases); c++)
    {
      const FisherCase *fc = &fisher_cases[c];
      g_autoptr (GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("fisher case %" G_GSIZE_FORMAT " (%u x %u)",
                                               c, fc->nrow, fc->ncol);
      double p = strata_fisher_exact_p (fc->counts, fc->nrow, fc->ncol, &error);

      g_assert_no_error (error);
      assert_close (p, fc->p, STRATA_REL_TOL, what);
    }
  g_test_message ("%u p-values match R", n_checked - before);
}

/* Degenerate shapes R refuses (fewer than 2 rows or columns): one table, p = 1. */
static void
test_fisher_degenerate (void)
{
  const guint row[] = { 3, 0, 7, 2 };
  const guint zeros[] = { 0, 0, 0, 0 };
  g_autoptr (GError) error = NULL;

  g_assert_cmpfloat (strata_fisher_exact_p (row, 1, 4, &error), ==, 1.0);
  g_assert_cmpfloat (strata_fisher_exact_p (row, 4, 1, &error), ==, 1.0);
  g_assert_cmpfloat (strata_fisher_exact_p (zeros, 2, 2, &error), ==, 1.0);
  g_assert_cmpfloat (strata_fisher_exact_p (NULL, 0, 3, &error), ==, 1.0);
  g_assert_no_error (error);
}

typedef struct {
  guint nrow, ncol;
  guint counts[12];
  double p;
  double rel;  /* tolerance against R */
} FisherLargeCase;

/* A few thousand patients. R needs workspace = 2e8 for the last three (the first two run
 * at R's default). For the 4 x 3 table R's FEXACT itself is off by about 4e-9: it merges
 * path lengths within 3.45e-7 and keeps one of them; the value here is exact (the same
 * code agrees with exhaustive enumeration to 1e-15 on small tables and with R to 1e-11 on
 * 257 random tables R computes at its default workspace), hence the looser bar. */
static const FisherLargeCase fisher_large[] = {
  { 3, 2, { 1000, 20, 980, 45, 990, 30 }, 0.0063187966154931406, 1e-9 },
  { 5, 2, { 900, 100, 880, 120, 920, 80, 910, 90, 895, 105 }, 0.035851487507869935, 1e-9 },
  { 5, 2, { 400, 600, 500, 500, 600, 400, 450, 550, 550, 450 }, 7.6432800696054089e-21, 1e-9 },
  { 5, 2, { 100, 900, 120, 880, 150, 850, 90, 910, 200, 800 }, 1.3670513322356014e-13, 1e-9 },
  { 4, 3, { 200, 150, 150, 210, 140, 150, 190, 160, 150, 220, 130, 150 }, 0.43616880296906169, 1e-8 },
};

static void
test_fisher_large (void)
{
  guint before = n_checked;

  for (gsize c = 0; c < G_N_ELEMENTS (fisher_large); c++)
    {
      const FisherLargeCase *fc = &fisher_large[c];
      g_autoptr (GError) error = NULL;
      g_autofree char *what = NULL;
      guint total = 0;
      gint64 start = g_get_monotonic_time ();
      double p, seconds;

      p = strata_fisher_exact_p (fc->counts, fc->nrow, fc->ncol, &error);
      seconds = (double) (g_get_monotonic_time () - start) / 1e6;
      for (guint i = 0; i < fc->nrow * fc->ncol; i++)
        total += fc->counts[i];
      what = g_strdup_printf ("%u x %u, n = %u", fc->nrow, fc->ncol, total);
      g_test_message ("Fisher %s: p = %.6g in %.3f s", what, p, seconds);
      g_assert_no_error (error);
      assert_close (p, fc->p, fc->rel, what);
    }
  g_test_message ("%u p-values match R", n_checked - before);
}

/* Beyond the work budget: NaN and an error, promptly, so the caller can fall back. */
static void
test_fisher_too_large (void)
{
  const guint counts[] = { 250, 250, 260, 240, 270, 230, 240, 260, 255, 245,
                           245, 255, 265, 235, 250, 250, 235, 265, 230, 270 };
  g_autoptr (GError) error = NULL;
  double p = strata_fisher_exact_p (counts, 10, 2, &error);

  g_assert_true (isnan (p));
  g_assert_error (error, STRATA_CONTINGENCY_ERROR, STRATA_CONTINGENCY_ERROR_TOO_LARGE);
}

/* ---- odds ratio ---------------------------------------------------------------------- */

static void
test_odds_ratio (void)
{
  static const struct {
    guint counts[4];
    double estimate, lower, upper;
  } cases[] = {
    { { 12, 9, 6, 10 }, 2.1736806445885826, 0.49012480955991827, 10.413661978209307 },
    { { 0, 10, 11, 8 }, 0, 0, 0.4671828846873185 },
    { { 60, 66, 58, 55 }, 0.86260499479718733, 0.50237817915578065, 1.4789963786224052 },
    { { 3, 1, 1, 3 }, 6.4083196581996713, 0.21173559544657847, 626.24353058881354 },
    { { 10, 0, 3, 7 }, INFINITY, 2.5755447648914669, INFINITY },
    { { 250, 240, 200, 310 }, 1.6138024431054725, 1.2463453014502355, 2.0917742564868962 },
    { { 1, 20, 15, 2 }, 0.009005976090540933, 0.00015147407404467354, 0.098882765105900008 },
  };
  const guint empty[4] = { 0, 0, 4, 5 };
  StrataOddsRatio or;
  guint before = n_checked;

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_assert_true (strata_fisher_odds_ratio (cases[c].counts, 0.95, &or));
      if (isinf (cases[c].estimate))
        g_assert_true (isinf (or.estimate) && or.estimate > 0);
      else
        assert_close (or.estimate, cases[c].estimate, STRATA_REL_TOL, "odds ratio");
      assert_close (or.lower, cases[c].lower, STRATA_REL_TOL, "odds ratio lower");
      if (isinf (cases[c].upper))
        g_assert_true (isinf (or.upper) && or.upper > 0);
      else
        assert_close (or.upper, cases[c].upper, STRATA_REL_TOL, "odds ratio upper");
    }
  g_assert_false (strata_fisher_odds_ratio (empty, 0.95, &or));
  g_assert_true (isnan (or.estimate) && isnan (or.lower) && isnan (or.upper));
  g_test_message ("%u odds-ratio values match R", n_checked - before);
}

/* ---- chi-square ---------------------------------------------------------------------- */

static void
test_chisq_cases (void)
{
  static const struct {
    guint nrow, ncol;
    guint counts[12];
    double statistic, df, p;
  } cases[] = {
    { 3, 2, { 1000, 20, 980, 45, 990, 30 }, 10.17447961623501, 2, 0.006175040683198919 },
    { 2, 2, { 1000, 0, 0, 1000 }, 2000, 1, 0 },
    { 2, 2, { 100, 3, 2, 120 }, 205.30913277179133, 1, 1.4498866240118136e-46 },
    { 4, 3, { 200, 150, 150, 250, 100, 150, 150, 200, 150, 220, 130, 150 },
      62.405382674516403, 6, 1.4588689010388543e-11 },
    { 3, 3, { 3, 1, 4, 1, 5, 9, 2, 6, 5 }, 5.3250000000000011, 4, 0.25554569864697468 },
    { 2, 5, { 3, 8, 2, 6, 4, 5, 1, 7, 3, 2 }, 9.9267646269457863, 4, 0.041679557795611277 },
    /* an empty row: expected counts of 0, so R gives NaN (df still counts the row) */
    { 3, 2, { 7, 3, 0, 0, 2, 9 }, NAN, 2, NAN },
    { 2, 2, { 7, 3, 2, 9 }, 5.7431818181818191, 1, 0.016552780261048519 },
  };
  const guint one_row[] = { 0, 0, 3, 4 };
  const guint one_col[] = { 5, 0, 3, 0, 2, 0 };
  StrataChisqTest chi;
  guint before = n_checked;

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_assert_true (strata_chisq_test (cases[c].counts, cases[c].nrow, cases[c].ncol, &chi));
      assert_close (chi.statistic, cases[c].statistic, STRATA_REL_TOL, "chisq statistic");
      assert_close (chi.df, cases[c].df, STRATA_REL_TOL, "chisq df");
      assert_close (chi.p, cases[c].p, STRATA_REL_TOL, "chisq p");
    }
  g_assert_false (strata_chisq_test (one_row, 2, 2, &chi));
  g_assert_true (isnan (chi.statistic) && isnan (chi.df) && isnan (chi.p));
  g_assert_false (strata_chisq_test (one_col, 3, 2, &chi));
  g_assert_true (isnan (chi.statistic) && isnan (chi.df) && isnan (chi.p));
  g_test_message ("%u chi-square values match R", n_checked - before);
}

/* ---- proportions --------------------------------------------------------------------- */

static void
test_proportion_cases (void)
{
  static const struct {
    guint x, n;
    double conf_level, cp_lower, cp_upper, wilson_lower, wilson_upper;
  } cases[] = {
    { 0, 1, 0.95, 0, 0.97499999999999998, 0, 0.79345068562276255 },
    { 1, 1, 0.95, 0.025000000000000022, 1, 0.2065493143772375, 1 },
    { 1, 2, 0.95, 0.012579117093425058, 0.98742088290657493, 0.094531205734230739, 0.90546879426576921 },
    { 0, 10, 0.95, 0, 0.30849710781876083, 0, 0.27753279986288915 },
    { 10, 10, 0.95, 0.69150289218123917, 1, 0.72246720013711085, 1 },
    { 37, 5000, 0.95, 0.0052154798527177708, 0.010185633825584128, 0.0053735977568712158, 0.010182742199399065 },
    { 4999, 5000, 0.95, 0.99888618061966605, 0.99999493645122295, 0.99886791091916038, 0.99996469421656087 },
    { 0, 5000, 0.95, 0, 0.0007375038011081049, 0, 0.00076770194505712411 },
    { 2500, 5000, 0.95, 0.48604437400092576, 0.51395562599907429, 0.48614628258320963, 0.51385371741679042 },
    { 1, 100000, 0.95, 2.5317804779333154e-07, 5.5715160347742724e-05, 1.7652477303783205e-06, 5.6647096590409643e-05 },
    { 3, 7, 0.95, 0.09898827844250789, 0.81594843235991699, 0.1582198552514697, 0.74954163547234265 },
    { 99999, 100000, 0.95, 0.99994428483965225, 0.99999974682195225, 0.99994335290340985, 0.99999823475226979 },
    { 0, 1, 0.9, 0, 0.94999999999999996, 0, 0.73013405121594566 },
    { 1, 1, 0.9, 0.049999999999999989, 1, 0.26986594878405434, 1 },
    { 1, 2, 0.9, 0.025320565519103604, 0.97467943448089633, 0.12086631942227373, 0.87913368057772623 },
    { 0, 10, 0.9, 0, 0.2588655508930523, 0, 0.21294197008340682 },
    { 10, 10, 0.9, 0.74113444910694759, 1, 0.78705802991659313, 1 },
    { 37, 5000, 0.9, 0.0055235736311215304, 0.0097237198112063439, 0.0056555862937368376, 0.0096772256792689564 },
    { 4999, 5000, 0.9, 0.99905158222999557, 0.9999897413937423, 0.99910401998464649, 0.99995538029121966 },
    { 0, 5000, 0.9, 0, 0.00059896700231491318, 0, 0.00054081605055399291 },
    { 2500, 5000, 0.9, 0.48827132595905631, 0.51172867404094369, 0.48837227396958033, 0.51162772603041962 },
    { 1, 100000, 0.9, 5.129328123254252e-07, 4.743775717386051e-05, 2.2309253687879899e-06, 4.4823236101380587e-05 },
    { 3, 7, 0.9, 0.1287563928042427, 0.77467841596755216, 0.18644319036395615, 0.71052290898640702 },
    { 99999, 100000, 0.9, 0.99995256224282614, 0.99999948706718766, 0.99995517676389867, 0.99999776907463112 },
  };
  double lo, up;
  guint before = n_checked;

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *what = g_strdup_printf ("x = %u, n = %u, conf %g",
                                               cases[c].x, cases[c].n, cases[c].conf_level);

      strata_proportion_clopper_pearson (cases[c].x, cases[c].n, cases[c].conf_level, &lo, &up);
      assert_close (lo, cases[c].cp_lower, STRATA_REL_TOL, what);
      assert_close (up, cases[c].cp_upper, STRATA_REL_TOL, what);
      strata_proportion_wilson (cases[c].x, cases[c].n, cases[c].conf_level, &lo, &up);
      assert_close (lo, cases[c].wilson_lower, STRATA_REL_TOL, what);
      assert_close (up, cases[c].wilson_upper, STRATA_REL_TOL, what);
    }
  g_test_message ("%u interval limits match R", n_checked - before);

  /* No trials: binom.test and prop.test refuse; NaN here. */
  strata_proportion_clopper_pearson (0, 0, 0.95, &lo, &up);
  g_assert_true (isnan (lo) && isnan (up));
  strata_proportion_wilson (0, 0, 0.95, &lo, &up);
  g_assert_true (isnan (lo) && isnan (up));
}

int
main (int argc, char **argv)
{
  gsl_set_error_handler_off ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/contingency/reference/responses", test_reference_responses);
  g_test_add_func ("/contingency/fisher/cases", test_fisher_cases);
  g_test_add_func ("/contingency/fisher/degenerate", test_fisher_degenerate);
  g_test_add_func ("/contingency/fisher/large", test_fisher_large);
  g_test_add_func ("/contingency/fisher/too-large", test_fisher_too_large);
  g_test_add_func ("/contingency/fisher/odds-ratio", test_odds_ratio);
  g_test_add_func ("/contingency/chisq/cases", test_chisq_cases);
  g_test_add_func ("/contingency/proportion/cases", test_proportion_cases);

  return g_test_run ();
}

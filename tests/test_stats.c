// SPDX-License-Identifier: GPL-2.0
/*
 * The statistics (report/stats.c): the estimate, the comparison and
 * Benjamini-Hochberg against figures computed elsewhere (scipy's, given
 * below), ministat's arithmetic on the same data, and chbench stats and
 * chbench compare, which hand them to the scripts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "report/json.h"
#include "report/stats.h"
#include "lib/util.h"
#include "tests/spawn.h"

#define FIX		"tests/fixtures/"

/*
 * Issue 17's case: hugetlb-2m/zap, pointer's instances against
 * fake-head's. Welch's test over the raw values gave p 0.12 and no
 * verdict; on the log values it is a difference.
 */
static const double fake_head[] = { 1.03, 1.10, 1.19 };
static const double pointer[] = { 5.58, 5.75, 14.2 };

#define near(x, want, tol)						\
	do {								\
		double _x = (x), _w = (want);				\
		if (!(fabs(_x - _w) <= (tol) * fabs(_w)))		\
			fail_msg("%s is %.9g, expected %.9g", #x, _x, _w); \
	} while (0)

static void the_estimate_is_the_geometric_mean_with_its_t_interval(
	void **state)
{
	double with_nan[] = { 5.58, NAN, 5.75, 14.2 };
	struct ch_est e, f;

	(void)state;
	ch_est(pointer, 3, &e);
	/* scipy: exp(mean(log x)), exp(mean -+ t.ppf(.975, 2) * sem) */
	assert_int_equal(e.n, 3);
	near(e.value, 7.69479043, 1e-8);
	near(e.lo, 2.05834502, 1e-8);
	near(e.hi, 28.7657313, 1e-8);
	/* symmetric on the log scale */
	near(e.lo * e.hi, e.value * e.value, 1e-12);
	/* a missing instance is left out, not counted */
	ch_est(with_nan, 4, &f);
	assert_int_equal(f.n, 3);
	near(f.value, e.value, 1e-15);
}

static void the_zap_case_of_issue_17_is_a_difference(void **state)
{
	struct ch_cmp c, *fam[1] = { &c };
	char buf[128];

	(void)state;
	ch_cmp(fake_head, 3, pointer, 3, CH_WELCH, &c);
	assert_true(c.tested);
	/* scipy.stats.ttest_ind(log b, log a, equal_var=False) */
	near(c.p, 0.0223629078, 1e-6);
	near(c.df, 2.07416558, 1e-6);
	near(c.change, 5.96526812, 1e-8);
	near(c.lo, 0.925, 1e-2);
	assert_string_equal(ch_fmt_change(&c, buf, sizeof(buf)),
			    "+596.5% [+92.5, +2420.8]");
	/* a family of one: BH changes nothing */
	assert_int_equal(ch_bh(fam, 1), 1);
	assert_true(c.claimed);
	assert_string_equal(ch_verdict(&c, buf, sizeof(buf)),
			    "Difference at 95.0% confidence");
}

static void benjamini_hochberg_adjusts_over_the_family(void **state)
{
	static const double p[] = { 0.011, 0.021, 0.031, 0.5, 0.041 };
	struct ch_cmp c[6], *fam[6];
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		c[i] = (struct ch_cmp){ .tested = true, .p = p[i],
					.claimed = p[i] < CH_ALPHA };
		fam[i] = &c[i];
	}
	/* not tested: no member of the family */
	c[5] = (struct ch_cmp){ .tested = false, .p = NAN };
	fam[5] = &c[5];
	assert_int_equal(ch_bh(fam, 6), 5);
	/* p * m / rank (.055, .0525, .0517, .0513, .5), made monotone */
	near(c[0].p_bh, 0.05125, 1e-12);
	near(c[1].p_bh, 0.05125, 1e-12);
	near(c[2].p_bh, 0.05125, 1e-12);
	near(c[3].p_bh, 0.5, 1e-12);
	near(c[4].p_bh, 0.05125, 1e-12);
	/* four p below alpha, but in a family of five none is claimed */
	for (i = 0; i < 6; i++)
		assert_false(c[i].claimed);
	c[0].p = 0.001;
	ch_bh(fam, 6);
	/* .005, then .05125 as before: the smallest alone */
	assert_true(c[0].claimed);
	assert_false(c[1].claimed);
}

static void what_cannot_be_tested_says_so(void **state)
{
	static const double one[] = { 2.0 }, zero[] = { 0.0, 0.1, 0.2 };
	struct ch_cmp c;
	struct ch_est e;
	char buf[128];

	(void)state;
	ch_cmp(one, 1, pointer, 3, CH_WELCH, &c);
	assert_false(c.tested);
	assert_string_equal(ch_verdict(&c, buf, sizeof(buf)),
			    "not tested: 1 vs 3 instances; a test needs 2 each");
	/* the change is still shown, without an interval */
	assert_string_equal(ch_fmt_change(&c, buf, sizeof(buf)), "+284.7%");
	ch_cmp(zero, 3, pointer, 3, CH_WELCH, &c);
	assert_false(c.tested);
	assert_string_equal(ch_verdict(&c, buf, sizeof(buf)),
			    "not tested: a value of 0, so no ratio");
	assert_string_equal(ch_fmt_change(&c, buf, sizeof(buf)), "n/a");
	/* a counter that never fired: its geometric mean is 0 */
	ch_est(zero, 3, &e);
	assert_true(e.value == 0);
	assert_true(isnan(e.lo));
}

static void no_spread_at_all_is_decided_by_the_values(void **state)
{
	static const double a[] = { 14, 14 }, b[] = { 9, 9 };
	struct ch_cmp c;

	(void)state;
	ch_cmp(a, 2, b, 2, CH_WELCH, &c);
	assert_true(c.tested && c.claimed);
	near(c.change, 9.0 / 14 - 1, 1e-12);
	ch_cmp(a, 2, a, 2, CH_WELCH, &c);
	assert_true(c.tested && !c.claimed);
	assert_true(c.p == 1);
}

/* Write @n values, their logs where @logs, one a line, to a file. */
static void write_values(const char *path, const double *x, int n, bool logs)
{
	FILE *f = fopen(path, "w");
	int i;

	assert_non_null(f);
	for (i = 0; i < n; i++)
		fprintf(f, "%.17g\n", logs ? log(x[i]) : x[i]);
	assert_int_equal(fclose(f), 0);
}

/* ministat's verdict and difference (d +/- h); false when it has none. */
static bool ministat(const double *a, int na, const double *b, int nb,
		     double *d, double *h)
{
	char fa[] = "/tmp/chbench-ministat-a-XXXXXX";
	char fb[] = "/tmp/chbench-ministat-b-XXXXXX";
	const char *argv[] = { "ministat", "-A", fa, fb, NULL };
	struct ch_run r;
	const char *p;
	bool diff;

	assert_true(close(mkstemp(fa)) == 0 && close(mkstemp(fb)) == 0);
	write_values(fa, a, na, true);
	write_values(fb, b, nb, true);
	r = ch_spawnv(argv);
	unlink(fa);
	unlink(fb);
	if (r.status == 127 || strstr(r.err, "cannot run"))
		fail_msg("ministat does not run: install it (apt-get install ministat; scripts/deps does)");
	p = strstr(r.out, "Difference at 95.0% confidence\n");
	diff = p;
	if (!p && !strstr(r.out, "No difference proven at 95.0% confidence"))
		fail_msg("ministat said neither:\n%s%s", r.out, r.err);
	if (p && sscanf(p + 31, " %lf +/- %lf", d, h) != 2)
		fail_msg("ministat's difference unreadable:\n%s", r.out);
	ch_run_free(&r);
	return diff;
}

/*
 * ministat compares raw values with Student's t and a pooled variance;
 * chbench compares log values with Welch's. Like with like: ministat is
 * given the log values, and chbench's pooled mode (there for this check
 * alone) must find its difference d +/- h, as chbench's change is
 * exp(d) - 1 and its interval exp(d -+ h) - 1. With equal sizes Welch's
 * standard error is the pooled one, so there chbench's own interval is
 * ministat's with Welch's df for the pooled: h scaled by the ratio of
 * their critical t values.
 */
static void ministat_agrees_on_the_same_data(void **state)
{
	static const double a1[] = { 10.1, 9.8, 10.4, 10.0, 9.9 };
	static const double b1[] = { 10.6, 10.4, 10.9, 10.5, 10.7 };
	static const double a2[] = { 118.1, 121.5, 115.2 };
	static const double b2[] = { 99.0, 104.3, 101.1, 97.6, 102.2 };
	static const double a3[] = { 24.4, 26.9, 25.1, 25.5 };
	static const double b3[] = { 24.6, 24.4, 26.0, 25.2 };
	static const struct { const double *a, *b; int na, nb; } sets[] = {
		{ fake_head, pointer, 3, 3 },
		{ a1, b1, 5, 5 },
		{ a2, b2, 3, 5 },
		{ a3, b3, 4, 4 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sets); i++) {
		struct ch_cmp p, w;
		double d = 0, h = 0, dc, hc;
		bool diff;

		diff = ministat(sets[i].a, sets[i].na, sets[i].b, sets[i].nb,
				&d, &h);
		ch_cmp(sets[i].a, sets[i].na, sets[i].b, sets[i].nb,
		       CH_POOLED, &p);
		/* ministat's words for one comparison alone */
		if (diff != p.claimed)
			fail_msg("set %zu: ministat says %s, chbench %s", i,
				 diff ? "a difference" : "none", p.claimed ?
				 "a difference" : "none");
		if (!diff)
			continue;
		dc = log1p(p.change);
		hc = log1p(p.hi) - dc;
		/* ministat prints 6 digits; its t table has 4 */
		near(dc, d, 1e-5);
		near(log1p(p.lo), d - h, 1e-3);
		near(hc, h, 1e-3);
		if (sets[i].na != sets[i].nb)
			continue;
		ch_cmp(sets[i].a, sets[i].na, sets[i].b, sets[i].nb,
		       CH_WELCH, &w);
		near(log1p(w.change), d, 1e-5);
		near((log1p(w.hi) - log1p(w.change)) /
		     gsl_cdf_tdist_Qinv(CH_ALPHA / 2, w.df),
		     h / gsl_cdf_tdist_Qinv(CH_ALPHA / 2, p.df), 1e-3);
	}
}

/* The same numbers through chbench stats, as perf-compare gets them. */
static void chbench_stats_gives_the_same_on_stdin(void **state)
{
	const char *argv[] = { NULL, "stats", NULL };
	struct ch_run r = ch_spawnv_in(argv,
		"{\"values\": {\"fake-head\": [1.03, 1.10, 1.19], \"pointer\": [5.58, 5.75, 14.2]}, \"compare\": [[\"fake-head\", \"pointer\"]]}");

	(void)state;
	assert_int_equal(r.status, 0);
	ch_expect_each_in("chbench stats", r.out,
			  "\"family\": {\"size\": 1, \"claimed\": 1, \"untested\": 0}",
			  "\"pointer\": {\"n\": 3, \"estimate\": 7.69479043, \"lo\": 2.05834502, \"hi\": 28.7657313",
			  "\"verdict\": \"Difference at 95.0% confidence\", \"text\": \"+596.5% [+92.5, +2420.8]\"");
	ch_run_free(&r);
}

/* And through chbench compare, from a results directory holding them. */
static void chbench_compare_calls_the_zap_case_a_difference(void **state)
{
	struct ch_run r = ch_spawn("compare", FIX "zap-667", NULL);

	(void)state;
	assert_int_equal(r.status, 0);
	ch_expect_each_in("chbench compare", r.out,
			  "\"family\": {\"size\": 1, \"claimed\": 1",
			  "\"b\": [0, \"walk/pointer/as-compiled/none/hugetlb-2m/zap/mem:64M\"], \"metric\": \"ns/op\", \"within\": true, \"n\": [3, 3]",
			  "\"text\": \"+596.5% [+92.5, +2420.8]\"");
	ch_run_free(&r);
}

static void bad_input_is_one_line_and_exit_2(void **state)
{
	static const struct { const char *in, *says; } bad[] = {
		{ "", "stdin holds no JSON document" },
		{ "[1, 2]", "give {\"values\": {NAME: [numbers]}" },
		{ "{\"values\": {\"a\": [1, \"x\"]}}", "\"values\" a item 1 is no number" },
		{ "{\"values\": {\"a\": [1]}, \"compare\": [[\"a\", \"b\"]]}",
		  "\"compare\" item 0: give [A, B], two names of \"values\"" },
	};
	const char *argv[] = { NULL, "stats", NULL };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ch_run r = ch_spawnv_in(argv, bad[i].in);

		ch_expect_usage_error(&r, bad[i].in, bad[i].says);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_estimate_is_the_geometric_mean_with_its_t_interval),
		cmocka_unit_test(the_zap_case_of_issue_17_is_a_difference),
		cmocka_unit_test(benjamini_hochberg_adjusts_over_the_family),
		cmocka_unit_test(what_cannot_be_tested_says_so),
		cmocka_unit_test(no_spread_at_all_is_decided_by_the_values),
		cmocka_unit_test(ministat_agrees_on_the_same_data),
		cmocka_unit_test(chbench_stats_gives_the_same_on_stdin),
		cmocka_unit_test(chbench_compare_calls_the_zap_case_a_difference),
		cmocka_unit_test(bad_input_is_one_line_and_exit_2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

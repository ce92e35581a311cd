// SPDX-License-Identifier: GPL-2.0
/*
 * chbench compare, from the outside: every results directory chbench
 * ever wrote loads; one run's figures are one number wherever they are
 * shown (the table, metadata.json, chbench compare, the report); bad
 * input is one line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/json.h"
#include "lib/util.h"
#include "tests/spawn.h"
#include "tests/tmpdir.h"

#define FIX		"tests/fixtures/"

static char tmpdir[] = "/tmp/chbench-test-compare-XXXXXX";

CH_TMPDIR_FIXTURES(tmpdir, setup, teardown)

/* chbench compare's JSON of the NULL-terminated arguments, parsed. */
static json_t *compare_json(const char *arg, ...)
{
	struct ch_run r;
	json_error_t e;
	va_list ap;
	json_t *j;

	va_start(ap, arg);
	r = ch_spawn_va(NULL, "compare", NULL, arg, ap);
	va_end(ap);
	if (r.status)
		fail_msg("chbench compare exited %d: %s", r.status, r.err);
	j = json_loads(r.out, 0, &e);
	if (!j)
		fail_msg("chbench compare printed no JSON (%s)", e.text);
	ch_run_free(&r);
	return j;
}

static json_t *path_get(json_t *j, const char *a, const char *b)
{
	return json_object_get(json_object_get(j, a), b);
}

/* The old results (before instances, metadata.json's cases, a kernel). */
static void every_old_results_directory_loads(void **state)
{
	static const char *const dirs[] = {
		"bench-gcc", "bench-clang", "instances", "sweep-mem",
		"sweep-tail", "kernel-hvo-off", "kernel-hvo-on", "zap-667",
	};
	char path[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		json_t *j;

		snprintf(path, sizeof(path), FIX "%s", dirs[i]);
		j = compare_json(path, NULL);
		if (!json_object_size(json_object_get(json_array_get(
				json_object_get(j, "dirs"), 0), "cases")))
			fail_msg("%s: no case", path);
		json_decref(j);
	}
}

/*
 * Results from before instances: every repetition on one instance, so
 * one value per case, and no test: said, not guessed.
 */
static void one_instance_is_one_value_and_no_test(void **state)
{
	json_t *j = compare_json(FIX "sweep-tail", NULL), *c;

	(void)state;
	c = json_array_get(json_object_get(j, "comparisons"), 0);
	assert_int_equal(json_integer_value(path_get(j, "family", "size")),
			 0);
	assert_true(json_integer_value(path_get(j, "family", "untested")) >
		    0);
	assert_string_equal(json_string_value(json_object_get(c, "verdict")),
			    "not tested: 1 vs 1 instances; a test needs 2 each");
	json_decref(j);
}

/* Several directories: the same case across them, and each one's own. */
static void two_directories_compare_across_and_within(void **state)
{
	json_t *j = compare_json(FIX "bench-gcc", FIX "bench-clang", NULL);
	json_t *c;
	size_t i;
	int across = 0, within = 0;

	(void)state;
	json_array_foreach(json_object_get(j, "comparisons"), i, c) {
		if (json_is_true(json_object_get(c, "within")))
			within++;
		else
			across++;
	}
	/* as the report showed them: 27 tests of which 8 in the summaries */
	assert_int_equal(json_integer_value(path_get(j, "family", "size")),
			 27);
	assert_int_equal(within, 12);
	assert_int_equal(across, 15);
	json_decref(j);
}

/* The number a table row shows, after its label padded to 32 columns. */
static double table_value(const char *table, const char *label)
{
	char pat[64];
	const char *p;
	double v;

	snprintf(pat, sizeof(pat), "\n  %-32s ", label);
	p = strstr(table, pat);
	if (!p || sscanf(p + strlen(pat), "%lf", &v) != 1)
		fail_msg("table.txt has no row %s:\n%s", label, table);
	return v;
}

#define CASE	"walk/pointer/as-compiled/none/order0/random/mem:64M"
#define ARM_A	"walk/pointer/as-compiled/none/order0/random/mem:4G/arm:a"
#define ARM_B	"walk/pointer/as-compiled/none/order0/random/mem:4G/arm:b"

/* A case's estimate, as "%.3f", from compare's JSON for dir 0. */
static void estimate_of(json_t *j, const char *name, char *buf, size_t len)
{
	json_t *m = path_get(json_object_get(json_array_get(
			json_object_get(j, "dirs"), 0), "cases"), name,
			"metrics");

	snprintf(buf, len, "%.3f", json_number_value(path_get(m, "ns/op",
							       "estimate")));
}

/*
 * Issue 17: the table showed the median, the report and the noise floor
 * the mean. Now one case is one number: the table's, metadata.json's,
 * chbench compare's and the report's, the A/A control's arms and their
 * change with its interval too.
 */
static void one_case_is_one_number_everywhere(void **state)
{
	struct ch_run b, r;
	char *dir = ch_spawn_results(&b, "bench", "--quick", "--quiet",
		"--out", tmpdir,
		"--benchmark_filter=(/arm:|^" CASE ")", NULL);
	char *table = ch_read_in(dir, "table.txt"), *meta, *rep, *f, *ft;
	char want[512], est[64], a[64], bb[64], out[256];
	json_t *j = compare_json(dir, NULL), *ctl, *m;
	size_t i;

	(void)state;
	estimate_of(j, CASE, est, sizeof(est));
	snprintf(want, sizeof(want), "%.3f", table_value(table,
							 "pointer @ none"));
	assert_string_equal(est, want);
	/* metadata.json's spread: the same estimate, to 6 digits */
	meta = ch_read_in(dir, "metadata.json");
	m = json_loads(meta, 0, NULL);
	assert_non_null(m);
	json_array_foreach(json_object_get(m, "spread"), i, ctl)
		if (!strcmp(json_string_value(json_object_get(ctl, "name")),
			    CASE))
			snprintf(want, sizeof(want), "%.3f", json_number_value(
				path_get(ctl, "estimate", "ns_per_op")));
	assert_string_equal(est, want);
	/* the noise floor: the arms' estimates and the change, as text */
	estimate_of(j, ARM_A, a, sizeof(a));
	estimate_of(j, ARM_B, bb, sizeof(bb));
	ctl = json_object_get(json_array_get(json_object_get(j, "dirs"), 0),
			      "control");
	ft = ch_flat(table);
	snprintf(want, sizeof(want), "arm a %s, arm b %s ns/op, %s: %s", a,
		 bb, json_string_value(json_object_get(ctl, "text")),
		 json_string_value(json_object_get(ctl, "verdict")));
	ch_expect_in("table.txt", ft, want);
	snprintf(out, sizeof(out), "%s/report", tmpdir);
	r = ch_spawn_prog("scripts/report", "--no-plots", "--no-measure",
			  "--out", out, dir, NULL);
	ch_expect_status(&r, "report", 0);
	rep = ch_read_in(out, "report.txt");
	f = ch_flat(rep);
	snprintf(want, sizeof(want), "built twice: %s and %s ns/op, %s: %s", a,
		 bb, json_string_value(json_object_get(ctl, "text")),
		 json_string_value(json_object_get(ctl, "verdict")));
	ch_expect_in("report.txt", f, want);
	json_decref(j);
	json_decref(m);
	ch_run_free(&b);
	ch_run_free(&r);
	free(table);
	free(meta);
	free(rep);
	free(f);
	free(ft);
	free(dir);
}

static void bad_input_is_one_line_and_exit_2(void **state)
{
	static const char *const bad[][5] = {
		{ "compare", NULL, NULL, NULL,
		  "give one results directory or more" },
		{ "compare", "/nonexistent", NULL, NULL,
		  "/nonexistent/bench.json: no readable JSON" },
		{ "compare", "--baseline", "nope", FIX "bench-gcc",
		  "--baseline nope: no such case" },
		{ "compare", "--baseline", "@none", FIX "bench-gcc",
		  "give VARIANT or VARIANT@LAYOUT" },
		{ "compare", "--bogus", FIX "bench-gcc", NULL,
		  "unknown option '--bogus'; valid: --baseline" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *argv[] = { NULL, bad[i][0], bad[i][1], bad[i][2],
				       bad[i][3], NULL };
		struct ch_run r = ch_spawnv(argv);

		ch_expect_usage_error(&r, bad[i][1] ?: bad[i][0], bad[i][4]);
	}
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_old_results_directory_loads),
		cmocka_unit_test(one_instance_is_one_value_and_no_test),
		cmocka_unit_test(two_directories_compare_across_and_within),
		T(one_case_is_one_number_everywhere),
		cmocka_unit_test(bad_input_is_one_line_and_exit_2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

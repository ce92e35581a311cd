// SPDX-License-Identifier: GPL-2.0
/*
 * A results directory's cases as data: ch_scenario_parse() against
 * ch_scenario_name() for every case the suite, the sweeps, the A/A
 * control and the kernel side build, what it refuses, the one floor
 * pairing, and 'chbench cases DIR' on the fixtures (written before
 * metadata.json held cases) and on a fresh run (where it reads them from
 * metadata.json, and must agree with the names parsed).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <sys/stat.h>

#include "commands/cmds.h"
#include "report/json.h"
#include "kernel/kcase.h"
#include "commands/opts.h"
#include "vmemmap/scenario.h"
#include "lib/util.h"
#include "tests/spawn.h"
#include "tests/tmpdir.h"

static char tmpdir[] = "/tmp/chbench-test-cases-XXXXXX";

CH_TMPDIR_FIXTURES(tmpdir, setup, teardown)

/* name -> parse -> the same fields, and the same name again */
static void expect_round_trip(const struct ch_scenario *sc)
{
	struct ch_scenario p;
	char name[256], again[256], err[512];
	/* a name has a key only where the variant tests one */
	int key = sc->variant->flags & CH_VF_KEY ? sc->key : CH_KEY_AUTO;

	ch_scenario_name(sc, name, sizeof(name));
	if (ch_scenario_parse(name, &p, ch_kvariant_find, err, sizeof(err)))
		fail_msg("%s does not parse: %s", name, err);
	if (p.variant != sc->variant || p.shape != sc->shape ||
	    p.layout != sc->layout || strcmp(p.mix.name, sc->mix.name) ||
	    strcmp(p.mix.spec, sc->mix.spec) || p.mem != sc->mem ||
	    p.walk.kind != sc->walk.kind || p.walk.pick != sc->walk.pick ||
	    (p.walk.tail_fraction < 0) != (sc->walk.tail_fraction < 0) ||
	    p.key != key || p.arm != sc->arm)
		fail_msg("%s parses to other fields: %s/%d/%d/%s/%d/%d/%g/%d/%d",
			 name, p.variant->name, p.shape, p.layout, p.mix.name,
			 p.walk.kind, p.walk.pick, p.walk.tail_fraction, p.key,
			 p.arm);
	ch_scenario_name(&p, again, sizeof(again));
	assert_string_equal(again, name);
}

static void every_suite_case_parses_back_to_its_fields(void **state)
{
	struct ch_scenario *cases;
	struct ch_opts o = { .mem = 4ULL << 30, .seed = 1 };
	int i, n;

	(void)state;
	n = ch_bench_suite(&o, &cases);
	assert_true(n > 100);
	for (i = 0; i < n; i++)
		expect_round_trip(&cases[i]);
	free(cases);
}

/* What the sweeps, the A/A control, aa and kernel bench add. */
static void sweep_control_and_kernel_cases_parse_back(void **state)
{
	static const char *const mixes[] = { "order0", "kmixed", "0:50,h9:50" };
	static const double tails[] = { 0, 0.25, 1.0 / 3, 1 };
	const struct ch_variant *vs[] = {
		ch_variant_find("fake-head"), ch_variant_find("floor"),
		&ch_kvariant_kernel, &ch_kvariant_page_ref,
	};
	struct ch_scenario sc = { 0 };
	char err[256];
	size_t m, t, v;
	int p, arm;

	(void)state;
	for (m = 0; m < ARRAY_SIZE(mixes); m++)
	for (v = 0; v < ARRAY_SIZE(vs); v++)
	for (arm = 0; arm <= 2; arm++) {
		assert_int_equal(ch_mix_parse(mixes[m], &sc.mix, err,
					      sizeof(err)), 0);
		sc.variant = vs[v];
		sc.layout = CH_LAYOUT_HVO_FAKE_HEAD;
		sc.key = arm == 1 ? 0 : 1;
		sc.shape = CH_SHAPE_BRANCH;
		sc.mem = 63076ULL << 10;
		sc.arm = arm;
		sc.walk.kind = CH_WALK_ZAP;
		sc.walk.pick = CH_PICK_ANY;
		for (t = 0; t < ARRAY_SIZE(tails); t++) {
			sc.walk.tail_fraction = tails[t];
			expect_round_trip(&sc);
		}
		sc.walk.tail_fraction = -1;
		for (p = 0; p < CH_NR_PICKS; p++) {
			sc.walk.pick = p;
			expect_round_trip(&sc);
		}
	}
}

static void a_name_holds_its_tail_fraction_to_two_decimals(void **state)
{
	struct ch_scenario p;
	char err[256];

	(void)state;
	assert_int_equal(ch_scenario_parse("walk/pointer/branch/none/mixed/random/tail:0.33/mem:64M",
					   &p, ch_variant_find, err,
					   sizeof(err)), 0);
	assert_true(p.walk.tail_fraction == 0.33);
	assert_int_equal(p.mem, 64ULL << 20);
	assert_int_equal(p.key, CH_KEY_AUTO);
	assert_int_equal(p.arm, 0);
}

static void bad_names_are_refused_naming_the_part(void **state)
{
	static const struct {
		const char *name, *says;
	} bad[] = {
		{ "bench/pointer", "not walk/VARIANT/SHAPE" },
		{ "walk/nope/branch/none/mixed/random/mem:64M",
		  "unknown variant 'nope'; valid: pointer," },
		{ "walk/pointer/wiggly/none/mixed/random/mem:64M",
		  "unknown shape 'wiggly'" },
		{ "walk/pointer/branch/flat/mixed/random/mem:64M",
		  "unknown layout 'flat'" },
		{ "walk/pointer/branch/none/mixed/jump/mem:64M",
		  "unknown walk 'jump'" },
		{ "walk/pointer/branch/none/soup/random/mem:64M", "soup" },
		{ "walk/pointer/branch/none/mixed/random", "not walk/" },
		{ "walk/pointer/branch/none/mixed/random/mem:16Q", "16Q" },
		{ "walk/pointer/branch/none/mixed/random/tail:2/mem:64M",
		  "tail" },
		{ "walk/pointer/branch/none/mixed/random/pick:nose/mem:64M",
		  "unknown pick 'nose'" },
		{ "walk/pointer/branch/none/mixed/random/mem:64M/key:on",
		  "only a variant with a static key has one" },
		{ "walk/fake-head/branch/none/mixed/random/mem:64M/key:up",
		  "key:up" },
		{ "walk/pointer/branch/none/mixed/random/mem:64M/arm:c",
		  "an A/A arm is a or b" },
		{ "walk/pointer/branch/none/mixed/random/mem:64M/arm:a/x",
		  "not walk/" },
		{ "walk/kernel/as-compiled/none/mixed/random/mem:64M",
		  "unknown variant 'kernel'" },
		/* parsed, but named otherwise by chbench: another case */
		{ "walk/pointer/branch/none/mixed/random/mem:65536K",
		  "not as chbench writes it: 'walk/pointer/branch/none/mixed/random/mem:64M'" },
		{ "walk/pointer/branch/none/mixed/random/tail: .5/mem:64M",
		  "not as chbench writes it: 'walk/pointer/branch/none/mixed/random/tail:0.50/mem:64M'" },
	};
	struct ch_scenario p;
	char err[512], which[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (ch_scenario_parse(bad[i].name, &p, ch_variant_find, err,
				      sizeof(err)) != -EINVAL)
			fail_msg("%s parsed", bad[i].name);
		ch_expect_in(bad[i].name, err, bad[i].says);
		/* one line, naming the case */
		snprintf(which, sizeof(which), "case '%s': ", bad[i].name);
		assert_memory_equal(err, which, strlen(which));
		assert_null(strchr(err, '\n'));
	}
}

static void a_case_nets_against_the_floor_of_its_own_block(void **state)
{
	struct ch_scenario c, f;
	char err[256];

	(void)state;
	assert_int_equal(ch_scenario_parse("walk/fake-head/branch/hvo-fake-head/mixed/zap/mem:64M/key:on",
					   &c, ch_variant_find, err,
					   sizeof(err)), 0);
	assert_int_equal(ch_scenario_parse("walk/floor/branch/hvo-fake-head/mixed/zap/mem:64M",
					   &f, ch_variant_find, err,
					   sizeof(err)), 0);
	assert_true(ch_scenario_nets_against(&c, &f));
	/* not a floor: nothing to net against */
	assert_false(ch_scenario_nets_against(&f, &c));
	f.layout = CH_LAYOUT_NONE;
	assert_false(ch_scenario_nets_against(&c, &f));
	f.layout = c.layout;
	f.mem *= 2;
	assert_false(ch_scenario_nets_against(&c, &f));
	f.mem = c.mem;
	f.shape = CH_SHAPE_AS_COMPILED;
	assert_false(ch_scenario_nets_against(&c, &f));
	f.shape = c.shape;
	f.walk.tail_fraction = 0.5;
	assert_false(ch_scenario_nets_against(&c, &f));
	f.walk.tail_fraction = -1;
	c.arm = 1;
	assert_false(ch_scenario_nets_against(&c, &f));
	c.arm = 0;
	assert_true(ch_scenario_nets_against(&c, &f));
}

/* 'chbench cases DIR', parsed; fails the test unless it exits 0. */
static json_t *cases_of(const char *dir)
{
	struct ch_run r = ch_spawn("cases", dir, NULL);
	json_error_t e;
	json_t *j;

	if (r.status)
		fail_msg("chbench cases %s exited %d: %s", dir, r.status,
			 r.err);
	assert_string_equal(r.err, "");
	j = json_loads(r.out, 0, &e);
	if (!j)
		fail_msg("chbench cases %s: not JSON (%s):\n%s", dir, e.text,
			 r.out);
	ch_run_free(&r);
	return j;
}

static const char *field(json_t *cases, const char *name, const char *key)
{
	json_t *c = json_object_get(cases, name);

	if (!c)
		fail_msg("no case %s", name);
	return json_string_value(json_object_get(c, key));
}

/* The case @name in @cases nets against @floor (NULL: against none). */
static void expect_floor(json_t *cases, const char *name, const char *floor)
{
	const char *got = field(cases, name, "floor");

	if (floor)
		assert_string_equal(got, floor);
	else
		assert_null(got);
}

static void cases_of_old_results_are_their_names_parsed(void **state)
{
	static const char *const fixtures[] = {
		"bench-gcc", "bench-clang", "instances", "kernel-hvo-off",
		"kernel-hvo-on", "sweep-mem", "sweep-tail",
	};
	json_t *j, *cases, *runs, *b, *v;
	const char *k;
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(fixtures); i++) {
		char dir[128];
		json_t *bench;

		snprintf(dir, sizeof(dir), "tests/fixtures/%s", fixtures[i]);
		j = cases_of(dir);
		assert_string_equal(json_string_value(json_object_get(j,
						"source")), "names");
		cases = json_object_get(j, "cases");
		runs = json_object_get(j, "runs");
		/* every run of a case in bench.json is mapped to one */
		snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir),
			 "/bench.json");
		bench = json_load_file(dir, 0, NULL);
		assert_non_null(bench);
		json_array_foreach(json_object_get(bench, "benchmarks"), n, b) {
			json_t *rn = json_object_get(b, "run_name");
			const char *run = json_string_value(rn ? rn :
					json_object_get(b, "name"));

			if (!json_object_get(runs, run))
				fail_msg("%s: run %s is not mapped", dir, run);
		}
		json_object_foreach(runs, k, v)
			if (!json_object_get(cases, json_string_value(v)))
				fail_msg("%s: %s maps to no case", dir, k);
		json_decref(bench);
		json_decref(j);
	}

	j = cases_of("tests/fixtures/bench-gcc");
	cases = json_object_get(j, "cases");
	expect_floor(cases, "walk/fake-head/as-compiled/hvo-fake-head/mixed/random/mem:64M/key:on",
		     "walk/floor/as-compiled/hvo-fake-head/mixed/random/mem:64M");
	assert_string_equal(field(cases, "walk/fake-head/as-compiled/hvo-fake-head/mixed/random/mem:64M/key:on",
				  "memmap_text"), "1 MiB");
	expect_floor(cases, "walk/pointer/branch/none/mixed/zap/mem:64M",
		     "walk/floor/branch/none/mixed/zap/mem:64M");
	expect_floor(cases, "walk/floor/branch/none/mixed/zap/mem:64M", NULL);
	json_decref(j);

	/* the kernel's own variants are cases too, and the arms are marked */
	j = cases_of("tests/fixtures/kernel-hvo-on");
	cases = json_object_get(j, "cases");
	expect_floor(cases, "walk/kernel/as-compiled/hvo-fake-head/hugetlb-2m/random/mem:64M",
		     "walk/floor/as-compiled/hvo-fake-head/hugetlb-2m/random/mem:64M");
	json_decref(j);
	j = cases_of("tests/fixtures/instances");
	cases = json_object_get(j, "cases");
	assert_string_equal(field(cases, "walk/pointer/as-compiled/none/order0/random/mem:4G/arm:b",
				  "arm"), "b");
	expect_floor(cases, "walk/pointer/as-compiled/none/order0/random/mem:4G/arm:b",
		     NULL);
	assert_string_equal(json_string_value(json_object_get(
		json_object_get(j, "runs"),
		"walk/pointer/as-compiled/none/order0/random/mem:4G/arm:a/iterations:1000/real_time")),
		"walk/pointer/as-compiled/none/order0/random/mem:4G/arm:a");
	json_decref(j);

	j = cases_of("tests/fixtures/sweep-tail");
	json_object_foreach(json_object_get(j, "cases"), k, v)
		if (strstr(k, "/tail:0.50/"))
			assert_true(json_real_value(json_object_get(v,
					"tail_fraction")) == 0.5);
	json_decref(j);
}

static void cases_refuses_what_is_not_a_results_directory(void **state)
{
	struct ch_run r = ch_spawn("cases", NULL);
	char dir[128];
	FILE *f;

	(void)state;
	ch_expect_usage_error(&r, "cases", "give one results directory");
	r = ch_spawn("cases", "/nonexistent", NULL);
	ch_expect_usage_error(&r, "cases /nonexistent",
			      "/nonexistent/bench.json: no readable JSON");
	snprintf(dir, sizeof(dir), "%s/odd", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	f = fopen(strcat(dir, "/bench.json"), "w");
	assert_non_null(f);
	fputs("{\"benchmarks\": [{\"name\": \"walk/pointer/x/real_time\"}]}",
	      f);
	fclose(f);
	*strrchr(dir, '/') = '\0';
	r = ch_spawn("cases", dir, NULL);
	ch_expect_usage_error(&r, "cases odd", "case 'walk/pointer/x'");
}

/* Write @text (of @len bytes: it may hold a NUL) as @dir/@file. */
static void put(const char *dir, const char *file, const char *text,
		size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

#define CH_ONE_RUN "{\"benchmarks\": [{\"name\": " \
	"\"walk/pointer/branch/none/thp/random/mem:2M/real_time\"}]}"

/* Files a crash or a hand can leave: each a clear line, never a crash. */
static void cases_refuses_empty_truncated_and_overlong_input(void **state)
{
	static const char nul[] = "{\"benchmarks\": []}\0{}";
	char dir[128], name[400];
	struct ch_run r;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/crashed", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	put(dir, "bench.json", "", 0);
	r = ch_spawn("cases", dir, NULL);
	ch_expect_usage_error(&r, "an empty bench.json",
			      "bench.json: no readable JSON (empty)");
	put(dir, "bench.json", nul, sizeof(nul) - 1);
	r = ch_spawn("cases", dir, NULL);
	ch_expect_usage_error(&r, "a bench.json with a NUL",
			      "(a NUL byte at offset 18)");
	/* an empty metadata.json: said, and the names are parsed */
	put(dir, "bench.json", CH_ONE_RUN, strlen(CH_ONE_RUN));
	put(dir, "metadata.json", "", 0);
	r = ch_spawn("cases", dir, NULL);
	assert_int_equal(r.status, 0);
	ch_expect_in("cases", r.out, "\"source\": \"names\"");
	ch_expect_in("cases' stderr", r.err,
		     "metadata.json: no readable JSON (empty); the cases are parsed from bench.json's names");
	ch_run_free(&r);
	snprintf(name, sizeof(name), "%s/metadata.json", dir);
	assert_int_equal(unlink(name), 0);
	snprintf(name, sizeof(name), "{\"benchmarks\": [{\"name\": "
		 "\"walk/pointer/branch/none/thp/random/mem:%0260d2M\"}]}", 0);
	put(dir, "bench.json", name, strlen(name));
	r = ch_spawn("cases", dir, NULL);
	ch_expect_usage_error(&r, "a 300-byte run name",
			      "chbench writes none over 255");
	r = ch_spawn("cases", "", NULL);
	ch_expect_usage_error(&r, "cases ''", "give one results directory");
}

/*
 * Google Benchmark writes NaN (the cv of a counter that is 0 in every
 * repetition, as "instance" on instance 0 is) and JSON has no word for
 * it: read as null, and never inside a string. "null" is longer than
 * "nan": a document of many takes more room than it had.
 */
static void cases_reads_the_nan_google_benchmark_writes(void **state)
{
	char dir[128];
	json_t *j, *c;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/nan", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	f = fopen(strcat(dir, "/bench.json"), "w");
	assert_non_null(f);
	fputs("{\"context\": {\"x\": \"NaN -inf \\\" nan\"},\n"
	      " \"benchmarks\": [\n"
	      "  {\"name\": \"walk/pointer/branch/none/thp/random/mem:2M/real_time\", \"instance\": 0, \"ns/op\": 1e-5},\n"
	      "  {\"name\": \"walk/pointer/branch/none/thp/random/mem:2M/real_time_cv\", \"run_name\": \"walk/pointer/branch/none/thp/random/mem:2M/real_time\", \"run_type\": \"aggregate\", \"instance\": NaN, \"x\": -Infinity, \"y\": [inf, -nan, null, true],\n"
	      "   \"z\": [NaN, NaN, NaN, NaN, NaN, NaN, nan]}]}\n",
	      f);
	fclose(f);
	*strrchr(dir, '/') = '\0';
	j = cases_of(dir);
	c = json_object_get(json_object_get(j, "cases"),
			    "walk/pointer/branch/none/thp/random/mem:2M");
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "mem_text")),
			    "2M");
	assert_string_equal(json_string_value(json_object_get(c,
					"memmap_text")), "32 KiB");
	json_decref(j);
}

/* Copy @from/bench.json alone into @to: results as if from before. */
static void bench_json_alone(const char *from, const char *to)
{
	char *s = ch_read_in(from, "bench.json"), path[4200];
	FILE *f;

	assert_int_equal(mkdir(to, 0755), 0);
	snprintf(path, sizeof(path), "%s/bench.json", to);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
	free(s);
}

/*
 * A fresh run: metadata.json holds the cases, A/A arms included, and
 * what 'chbench cases' makes of the names alone is the same.
 */
static void cases_of_a_run_are_metadata_s_and_agree_with_its_names(
	void **state)
{
	struct ch_run r = ch_spawn("bench", "--quick", "--instances", "1",
				   "--quiet", "--out", tmpdir,
				   "--benchmark_filter=/as-compiled/.*/order0/random/|arm:",
				   NULL);
	json_t *meta, *fresh, *old, *c, *fp;
	char *dir, again[256];

	(void)state;
	if (r.status)
		fail_msg("bench exited %d: %s", r.status, r.err);
	dir = ch_results_dir(&r);
	ch_run_free(&r);
	snprintf(again, sizeof(again), "%s/names", tmpdir);
	bench_json_alone(dir, again);

	fresh = cases_of(dir);
	old = cases_of(again);
	assert_string_equal(json_string_value(json_object_get(fresh,
					"source")), "metadata.json");
	if (!json_equal(json_object_get(fresh, "cases"),
			json_object_get(old, "cases")) ||
	    !json_equal(json_object_get(fresh, "runs"),
			json_object_get(old, "runs")))
		fail_msg("metadata.json's cases and the parsed names differ");

	snprintf(again, sizeof(again), "%s/metadata.json", dir);
	meta = json_load_file(again, 0, NULL);
	assert_non_null(meta);
	c = json_object_get(meta, "cases");
	assert_true(json_object_size(c) > 4);
	/* the control's arms are among them, with no floor */
	c = json_object_get(c, json_string_value(json_object_get(
		json_object_get(meta, "control"), "a")));
	assert_non_null(c);
	assert_string_equal(json_string_value(json_object_get(c, "arm")),
			    "a");
	assert_true(json_is_null(json_object_get(c, "floor")));
	/* an HVO layout ran: its footprint, as footprint --json has it */
	fp = json_object_get(meta, "footprint");
	assert_true(json_is_true(json_object_get(fp, "agree")));
	assert_int_equal(json_integer_value(json_object_get(fp,
						"struct_page")), 64);
	assert_int_equal(json_array_size(json_object_get(fp, "sizes")), 2);
	json_decref(meta);
	json_decref(old);
	json_decref(fresh);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_suite_case_parses_back_to_its_fields),
		cmocka_unit_test(sweep_control_and_kernel_cases_parse_back),
		cmocka_unit_test(a_name_holds_its_tail_fraction_to_two_decimals),
		cmocka_unit_test(bad_names_are_refused_naming_the_part),
		cmocka_unit_test(a_case_nets_against_the_floor_of_its_own_block),
		cmocka_unit_test(cases_of_old_results_are_their_names_parsed),
		cmocka_unit_test(cases_refuses_what_is_not_a_results_directory),
		cmocka_unit_test(cases_reads_the_nan_google_benchmark_writes),
		cmocka_unit_test(cases_refuses_empty_truncated_and_overlong_input),
		cmocka_unit_test(cases_of_a_run_are_metadata_s_and_agree_with_its_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The counter path end to end on a machine without a PMU: chbench run,
 * bench, sweep tail and scripts/report under tests/fakepmu.so, which
 * makes perf_event_open() and read() give known counts, multiplexing,
 * counters that never ran, failures at open and reads that fail.
 *
 * Counts (see tests/fakepmu.c): the n'th counter opened reads
 * n * 1,000,000 over 2,000,000 ns enabled; "mux" ran a quarter of that
 * (so it scales to 4x), "idle" never ran.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <libgen.h>
#include <math.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/spawn.h"
#include "tests/tmpdir.h"

/* the default events, in chbench's order (it opens them in this order) */
#define MIXED	"ok,mux,idle,ok,enospc,eopnotsupp,ok"
#define OPS	"1000"
/* one case: its small memmap's walk is 1 << 15 ops with --quick */
#define ONE_CASE "--benchmark_filter=^walk/pointer/as-compiled/none/hugetlb-2m/random/mem:64M/"
#define QUICK_SMALL_OPS	32768.0

static char tmpdir[] = "/tmp/chbench-test-fakepmu-XXXXXX";
static char preload[4200];

static int setup(void **state)
{
	char exe[4096];
	ssize_t n;

	(void)state;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -1;
	exe[n] = '\0';
	snprintf(preload, sizeof(preload), "%s/fakepmu.so", dirname(exe));
#ifdef CH_SANITIZE
	/* the sanitizer runtime is not first in the list: tell it that is ok */
	setenv("ASAN_OPTIONS",
	       "detect_leaks=1:exitcode=23:verify_asan_link_order=0", 1);
#endif
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return ch_rm_tree(tmpdir);
}

/* Spawn chbench with the fake PMU set to @mode. */
static struct ch_run fake_run(const char *mode, const char **argv)
{
	struct ch_run r;

	setenv("LD_PRELOAD", preload, 1);
	setenv("FAKE_PMU", mode, 1);
	r = ch_spawnv(argv);
	unsetenv("LD_PRELOAD");
	unsetenv("FAKE_PMU");
	unsetenv("FAKE_PMU_READS");
	unsetenv("FAKE_PMU_PARANOID");
	return r;
}

/*
 * chbench run --variant pointer --mem 64M --ops OPS, then the
 * NULL-terminated arguments, with the fake PMU set to @mode; it must
 * exit 0.
 */
static struct ch_run fake_pointer_run(const char *mode, const char *arg, ...)
{
	const char *argv[CH_SPAWN_MAX_ARGS + 1] = {
		NULL, "run", "--variant", "pointer", "--mem", "64M", "--ops",
		OPS,
	};
	size_t n = 8;
	struct ch_run r;
	va_list ap;

	va_start(ap, arg);
	for (; arg && n < CH_SPAWN_MAX_ARGS; arg = va_arg(ap, const char *))
		argv[n++] = arg;
	va_end(ap);
	r = fake_run(mode, argv);
	ch_expect_status(&r, "run", 0);
	return r;
}

static void run_scales_multiplexed_counts_and_shows_what_never_ran_as_na(
	void **state)
{
	struct ch_run r = fake_pointer_run(MIXED, NULL);

	(void)state;
	/*
	 * 1e6 over 1000 ops; the mux one 2e6 * 4; ENOSPC and the rest n/a;
	 * then the first failure, in one line, with the count of the others
	 */
	ch_expect_each_in("run", r.out,
			  "cycles/op                1000.0000 (running 100%)",
			  "instructions/op          8000.0000 (running 25%)",
			  "branches/op              n/a",
			  "branch-misses/op         4000.0000 (running 100%)",
			  "L1-dcache-load-misses/op n/a",
			  "LLC-load-misses/op       n/a",
			  "dTLB-load-misses/op      7000.0000 (running 100%)",
			  "counters: perf_event_open(L1-dcache-load-misses) failed with ENOSPC (no hardware counter left for this event)",
			  "2 of 7 events shown as n/a");
	ch_expect_not_in("run", r.out, " 0.0000");
	ch_run_free(&r);
}

static void run_json_has_null_never_0_for_a_counter_that_never_ran(
	void **state)
{
	struct ch_run r = fake_pointer_run("ok,idle", "--events",
					   "cycles,branches", "--json", NULL);

	(void)state;
	/* 1000 exactly: jansson prints a whole real as 1000.0 */
	ch_expect_each_in("run --json", r.out,
			  "\"counters\": {\"cycles\": 1000.0, \"branches\": null}",
			  "branches was never scheduled on a counter (running time 0");
	ch_run_free(&r);
}

static void eacces_under_paranoid_3_is_one_line_naming_the_sysctl(
	void **state)
{
	struct ch_run r;

	(void)state;
	setenv("FAKE_PMU_PARANOID", "3", 1);
	r = fake_pointer_run("eacces", NULL);
	ch_expect_each_in("run", r.out, "cycles/op                n/a",
			  "counters: kernel.perf_event_paranoid=3 forbids perf events for this user; run: sudo sysctl kernel.perf_event_paranoid=2; figures shown as n/a");
	ch_expect_not_in("run", r.out, "running");
	ch_run_free(&r);
}

static void eopnotsupp_at_open_names_user_only_counting(void **state)
{
	struct ch_run r = fake_pointer_run("eopnotsupp,ok", "--events",
					   "cycles,instructions", NULL);

	(void)state;
	ch_expect_each_in("run", r.out, "cycles/op                n/a",
			  "instructions/op          2000.0000",
			  "counters: perf_event_open(cycles) failed with EOPNOTSUPP (the PMU cannot count this event user-only); 1 of 2 events shown as n/a");
	ch_run_free(&r);
}

static void a_failing_read_is_na_with_one_line_saying_why(void **state)
{
	struct ch_run r = fake_pointer_run("ok,readfail", "--events",
					   "cycles,instructions", NULL);

	(void)state;
	ch_expect_each_in("run", r.out, "cycles/op                1000.0000",
			  "instructions/op          n/a",
			  "counters: reading the instructions counter failed: Input/output error; shown as n/a");
	ch_run_free(&r);
}

/*
 * Every repetition in bench.json: counter/op * iterations * ops is the
 * fake's count @want for that counter, exactly (to rounding), or, for
 * @want < 0, the counter is not there at all; with @or_absent either.
 * Returns how many repetitions had the counter; *nr_reps, all of them.
 */
static int check_reps(const char *json, const char *counter, double want,
		      bool or_absent, int *nr_reps)
{
	const char *p = json;
	int n = 0, present = 0;

	while ((p = strstr(p, "\"run_type\": \"iteration\""))) {
		const char *end = strstr(p + 1, "\"run_type\"");
		const char *it = strstr(p, "\"iterations\": ");
		char key[96];
		const char *c;
		double v, iters;

		snprintf(key, sizeof(key), "\"%s/op\": ", counter);
		c = strstr(p, key);
		if (c && end && c > end)
			c = NULL;
		assert_non_null(it);
		iters = strtod(it + 14, NULL);
		n++;
		p += 10;
		if (!c) {
			if (want >= 0 && !or_absent)
				fail_msg("%s/op missing in a repetition",
					 counter);
			continue;
		}
		if (want < 0)
			fail_msg("%s is in bench.json: %.60s", counter, c);
		present++;
		v = strtod(c + strlen(key), NULL);
		if (fabs(v * iters * QUICK_SMALL_OPS - want) > want * 1e-9)
			fail_msg("%s: %g/op * %g iterations * %g ops = %.3f, want %.0f",
				 counter, v, iters, QUICK_SMALL_OPS,
				 v * iters * QUICK_SMALL_OPS, want);
	}
	if (nr_reps)
		*nr_reps = n;
	return present;
}

static void bench_quick_records_exact_scaled_counts_and_leaves_idle_out(
	void **state)
{
	const char *argv[] = { NULL, "bench", "--quick", "--out", tmpdir,
			       ONE_CASE, NULL };
	struct ch_run r = fake_run(MIXED, argv);
	char *dir, *json, *table;
	int reps;

	(void)state;
	ch_expect_status(&r, "bench", 0);
	dir = ch_results_dir(&r);
	json = ch_read_in(dir, "bench.json");
	table = ch_read_in(dir, "table.txt");
	assert_int_equal(check_reps(json, "cycles", 1e6, false, &reps), 3);
	assert_int_equal(reps, 3);
	check_reps(json, "instructions", 8e6, false, NULL);
	check_reps(json, "branch-misses", 4e6, false, NULL);
	check_reps(json, "dTLB-load-misses", 7e6, false, NULL);
	/* never ran, or never opened: absent, not 0 */
	check_reps(json, "branches", -1, false, NULL);
	check_reps(json, "L1-dcache-load-misses", -1, false, NULL);
	/* counted columns stay; those n/a in every case are left out */
	ch_expect_each_in("table", table, "-floor    cycles     insns",
			  "dTLB-miss  (per op)", "(n/a, left out: branches",
			  " L1d-miss");
	ch_expect_not_in("table", table, "  branches ");
	ch_expect_in("stderr", r.err, "failed with ENOSPC");
	free(json);
	free(table);
	free(dir);
	ch_run_free(&r);
}

static void a_read_failing_mid_run_leaves_the_counter_out_never_0(
	void **state)
{
	const char *argv[] = { NULL, "bench", "--quick", "--out", tmpdir,
			       ONE_CASE, "--events", "cycles,instructions",
			       NULL };
	struct ch_run r;
	char *dir, *json;
	int reps, present;

	(void)state;
	/* the first 2 reads (Google Benchmark's first runs) work */
	setenv("FAKE_PMU_READS", "2", 1);
	r = fake_run("ok,readfail", argv);
	ch_expect_status(&r, "bench", 0);
	dir = ch_results_dir(&r);
	json = ch_read_in(dir, "bench.json");
	assert_int_equal(check_reps(json, "cycles", 1e6, false, &reps), 3);
	/*
	 * How many of Google Benchmark's runs precede the repetitions
	 * depends on its calibration, so the 2 good reads may reach a
	 * repetition: exact there, absent after, never 0.
	 */
	present = check_reps(json, "instructions", 2e6, true, NULL);
	if (present >= reps)
		fail_msg("instructions/op in all %d repetitions after its reads failed",
			 reps);
	/* (an aggregate's stddev of equal counts may be 0: that is right) */
	free(json);
	free(dir);
	ch_run_free(&r);
}

static void tail_sweep_and_report_show_counter_rows_and_the_miss_plot(
	void **state)
{
	const char *argv[] = { NULL, "sweep", "tail", "--quick", "--out",
			       tmpdir, "--tail-fraction", "0,0.5,1",
			       "--shape", "branch",
			       "--benchmark_filter=/(pointer|floor)/",
			       "--benchmark_repetitions=2", NULL };
	struct ch_run r = fake_run("ok,mux,ok,ok,ok,ok,ok", argv), rep;
	char path[4400], *dir, *report;
	const char *rargv[] = { "scripts/report", NULL, NULL };
	struct dirent *de;
	bool plot = false;
	DIR *d;

	(void)state;
	ch_expect_status(&r, "sweep", 0);
	dir = ch_results_dir(&r);
	rargv[1] = dir;
	rep = ch_spawnv(rargv);
	ch_expect_status(&rep, "report", 0);
	report = ch_read_in(dir, "report.txt");
	/* a row per counter, under its report label */
	ch_expect_each_in("report.txt", report, "\ncycles ", "\ninsns ",
			  "\nbr-miss ", "PMU           yes: cycles");
	snprintf(path, sizeof(path), "%s/plots", dir);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d))) {
		char *t;

		if (strncmp(de->d_name, "tail-", 5) ||
		    !strstr(de->d_name, ".txt"))
			continue;
		snprintf(path, sizeof(path), "%s/plots/%s", dir, de->d_name);
		t = ch_read_path(path);
		plot |= strstr(t, "branch-misses/op against tail fraction") &&
			!strstr(t, "no PMU");
		free(t);
	}
	closedir(d);
	if (!plot)
		fail_msg("no branch-misses/op tail plot in %s/plots", dir);
	free(report);
	free(dir);
	ch_run_free(&rep);
	ch_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_scales_multiplexed_counts_and_shows_what_never_ran_as_na),
		cmocka_unit_test(run_json_has_null_never_0_for_a_counter_that_never_ran),
		cmocka_unit_test(eacces_under_paranoid_3_is_one_line_naming_the_sysctl),
		cmocka_unit_test(eopnotsupp_at_open_names_user_only_counting),
		cmocka_unit_test(a_failing_read_is_na_with_one_line_saying_why),
		cmocka_unit_test(bench_quick_records_exact_scaled_counts_and_leaves_idle_out),
		cmocka_unit_test(a_read_failing_mid_run_leaves_the_counter_out_never_0),
		cmocka_unit_test(tail_sweep_and_report_show_counter_rows_and_the_miss_plot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

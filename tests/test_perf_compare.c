// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of scripts/perf-compare ($PERF_COMPARE), run as a user runs it,
 * against $CHBENCH (build/chbench when unset): once with the real perf on
 * this machine, once with tests/perf_fake ($PERF_FAKE) standing in for a
 * perf with a PMU, and with a missing perf and a faked
 * kernel.perf_event_paranoid (CHBENCH_SYSROOT).
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
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/json.h"
#include "lib/util.h"
#include "tests/spawn.h"
#include "tests/sysroot.h"
#include "variants/variants.h"

static const char *script(void)
{
	const char *p = getenv("PERF_COMPARE");

	return p && *p ? p : "scripts/perf-compare";
}

static const char *perf_fake(void)
{
	const char *p = getenv("PERF_FAKE");

	return p && *p ? p : "tests/perf_fake";
}

/* perf-compare with the NULL-terminated arguments */
#define compare(...)	ch_spawn_prog(script(), __VA_ARGS__)

static void compare_ok(const struct ch_run *r)
{
	if (r->status)
		fail_msg("perf-compare exited %d:\n%s%s", r->status, r->out,
			 r->err);
}

/*
 * The cells of row @row_label ("  gmean", "  chg", "  95% CI") in the block of
 * event @label ("cycles/op"), copied into @buf.
 */
static char *cells(const char *out, const char *label, const char *row_label,
		   char *buf, size_t len)
{
	char pat[128];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), "\n%s\n", label);
	p = strstr(out, pat);
	if (!p)
		fail_msg("no \"%s\" block in:\n%s", label, out);
	/* the block's rows are indented; the next block's label is not */
	for (p += strlen(pat); *p == ' '; p += strcspn(p, "\n") + 1) {
		if (strncmp(p, row_label, strlen(row_label)))
			continue;
		p += strlen(row_label);
		n = strcspn(p, "\n");
		snprintf(buf, len, "%.*s", (int)n, p);
		return buf;
	}
	fail_msg("\"%s\" block lacks a \"%s\" row:\n%s", label, row_label,
		 out);
	return NULL;
}

/* Wrapped lines must not hide what is looked for. */
static void expect_text(const char *out, const char *needle)
{
	char *f = ch_flat(out);

	ch_expect_in("perf-compare's output", f, needle);
	free(f);
}

static void expect_cells(const char *out, const char *label,
			 const char *row_label, const char *want)
{
	char buf[256];
	char got[256];
	char *t, *save;
	size_t off = 0;

	/* compare with runs of spaces squeezed */
	cells(out, label, row_label, buf, sizeof(buf));
	got[0] = '\0';
	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		off += snprintf(got + off, sizeof(got) - off, "%s%s",
				off ? " " : "", t);
	if (strcmp(got, want))
		fail_msg("%s, %s: want \"%s\", got \"%s\" in:\n%s", label,
			 row_label, want, got, out);
}

static bool perf_usable(void)
{
	const char *argv[] = {
		"/bin/sh", "-c", "\"${PERF:-perf}\" --version", NULL,
	};
	struct ch_run r = ch_spawnv(argv);

	ch_run_free(&r);
	return r.status == 0;
}

/* Blank out every "<not supported>" and "<not counted>" in @s. */
static void blank_missing(char *s)
{
	static const char *const missing[] = {
		"<not supported>", "<not counted>",
	};
	size_t i;
	char *p;

	for (i = 0; i < 2; i++)
		while ((p = strstr(s, missing[i])))
			memset(p, ' ', strlen(missing[i]));
}

/* Every number left in the row is positive; returns how many. */
static int expect_positive(const char *out, const char *label, char *buf)
{
	char *t, *save;
	int n = 0;

	for (t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save),
	     n++)
		if (!(strtod(t, NULL) > 0))
			fail_msg("%s: \"%s\" is not a positive number (a missing count must read <not supported> or <not counted>):\n%s",
				 label, t, out);
	return n;
}

/*
 * The variants perf-compare runs by default on @l, space-separated into
 * @buf as its header names them: every real one correct there, in the
 * registry's order. Returns how many.
 */
static int default_variants(enum ch_layout l, char *buf, size_t len)
{
	size_t off = 0;
	int i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = &ch_variants[i];

		if ((v->flags & CH_VF_PSEUDO) || !ch_variant_correct_on(v, l))
			continue;
		off += snprintf(buf + off, len - off, "%s%s", n ? " " : "",
				v->name);
		assert_true(off < len);
		n++;
	}
	return n;
}

static void on_this_machine_task_clock_has_values_and_missing_events_say_so(void **state)
{
	struct ch_run r;
	char buf[256], names[224];
	const char *hw[] = {
		"cycles/op", "instructions/op", "branches/op",
		"branch-misses/op", "L1-dcache-load-misses/op",
		"LLC-load-misses/op", "dTLB-load-misses/op",
	};
	size_t i;
	int nr;

	(void)state;
	if (!perf_usable()) {
		print_message("perf does not run here (install linux-perf)\n");
		skip();
	}
	r = compare("-r", "2", "--", "--layout", "none", "--mix", "mixed",
		    "--walk", "random", "--mem", "64M", "--ops", "100000",
		    NULL);
	if (r.status == 2 && strstr(r.err, "perf_event_paranoid")) {
		print_message("%s", r.err);
		ch_run_free(&r);
		skip();
	}
	compare_ok(&r);
	expect_text(r.out, "2 runs per variant");
	expect_text(r.out, "100000 ops per run");
	nr = default_variants(CH_LAYOUT_NONE, names, sizeof(names));
	snprintf(buf, sizeof(buf), "%s, then reversed", names);
	expect_text(r.out, buf);
	/* task-clock is perf's own: a positive mean for every variant */
	cells(r.out, "task-clock, ns/op", "  gmean", buf, sizeof(buf));
	assert_int_equal(expect_positive(r.out, "task-clock", buf), nr);
	/* hardware events: counted, or said to be missing, never 0 */
	for (i = 0; i < ARRAY_SIZE(hw); i++) {
		cells(r.out, hw[i], "  gmean", buf, sizeof(buf));
		blank_missing(buf);
		expect_positive(r.out, hw[i], buf);
	}
	/* the statistics are chbench's, named */
	expect_text(r.out, "Welch's t on the log values over the runs");
	ch_run_free(&r);
}

/* Does perf itself count cycles here? */
static bool pmu_present(void)
{
	const char *argv[] = {
		"/bin/sh", "-c",
		"\"${PERF:-perf}\" stat -x, -e cycles -- true 2>&1 >/dev/null", NULL,
	};
	struct ch_run r = ch_spawnv(argv);
	bool present = !strstr(r.out, "<not supported>");

	ch_run_free(&r);
	return present;
}

static void without_a_pmu_hardware_events_read_not_supported(void **state)
{
	struct ch_run r;

	(void)state;
	if (!perf_usable())
		skip();
	if (pmu_present()) {
		print_message("this machine has a PMU: perf counts cycles\n");
		skip();
	}
	r = compare("-r", "1", "-e", "task-clock,cycles", "--variants",
		    "pointer,mask-branchless", "--", "--mem", "16M", "--ops",
		    "10000", NULL);
	compare_ok(&r);
	expect_cells(r.out, "cycles/op", "  gmean",
		     "<not supported> <not supported>");
	ch_run_free(&r);
}

/*
 * task-clock in msec from "perf stat -x," on @argv (perf's CSV goes to
 * stderr); with @ctl and @ack, the fifos become descriptors 3 and 4, as
 * "exec 3<>ctl 4<>ack" does in a shell.
 */
static double perf_task_clock(const char **argv, const char *ctl,
			      const char *ack)
{
	FILE *err = tmpfile(), *out = tmpfile();
	const char *p;
	char *text;
	double v;
	int st;
	pid_t pid;

	assert_non_null(err);
	assert_non_null(out);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		/* out and err may sit on 3 and 4 themselves: move them first */
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		if (ctl && (dup2(open(ctl, O_RDWR), 3) != 3 ||
			    dup2(open(ack, O_RDWR), 4) != 4))
			_exit(126);
		execvp(argv[0], (char **)argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	fclose(out);
	text = ch_slurp(err);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fail_msg("%s %s ... failed (status %d):\n%s", argv[0], argv[1],
			 st, text);
	p = strstr(text, ",msec,task-clock");
	if (!p)
		fail_msg("no task-clock in perf's output:\n%s", text);
	while (p > text && p[-1] != '\n')
		p--;
	v = strtod(p, NULL);
	free(text);
	return v;
}

static void perf_control_counts_the_measured_loop_and_nothing_before_it(void **state)
{
	char dir[] = "/tmp/perf-control-test.XXXXXX", ctl[64], ack[64];
	const char *perf = getenv("PERF") && *getenv("PERF") ? getenv("PERF") :
							       "perf";
	const char *whole[] = {
		perf, "stat", "-x,", "-e", "task-clock", "--", ch_chbench(),
		"run", "--variant", "floor", "--mem", "1G", "--ops", "1",
		"--events", "task-clock", NULL,
	};
	const char *loop[] = {
		perf, "stat", "-x,", "--control", "fd:3,4", "-D", "-1", "-e",
		"task-clock", "--", ch_chbench(), "run", "--variant", "floor",
		"--mem", "1G", "--ops", "1", "--events", "task-clock",
		"--control", "fd:3,4", NULL,
	};
	double w, l;

	(void)state;
	if (!perf_usable())
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(ctl, sizeof(ctl), "%s/ctl", dir);
	snprintf(ack, sizeof(ack), "%s/ack", dir);
	assert_int_equal(mkfifo(ctl, 0600), 0);
	assert_int_equal(mkfifo(ack, 0600), 0);
	w = perf_task_clock(whole, NULL, NULL);
	l = perf_task_clock(loop, ctl, ack);
	unlink(ctl);
	unlink(ack);
	rmdir(dir);
	/* building a 1G memmap takes milliseconds; one op and two acks not */
	if (!(l < w / 10))
		fail_msg("task-clock with --control fd:3,4 -D -1 around one op: %.3f ms; the whole run: %.3f ms; want under a tenth",
			 l, w);
}

static void progress_goes_to_stderr_and_quiet_turns_it_off(void **state)
{
	struct ch_run r, q;

	(void)state;
	setenv("PERF", perf_fake(), 1);
	r = compare("-r", "2", "--variants", "pointer,floor", "--",
		    "--mem", "16M", "--ops", "1000", NULL);
	q = compare("--quiet", "-r", "2", "--variants", "pointer,floor", "--",
		    "--mem", "16M", "--ops", "1000", NULL);
	unsetenv("PERF");
	compare_ok(&r);
	compare_ok(&q);
	/* not a terminal: a plain line at the end (and every 5 s) */
	expect_text(r.err, "perf-compare: 4 of 4 runs done, ");
	if (strstr(r.out, "runs done") || strstr(q.err, "runs done"))
		fail_msg("progress on stdout, or despite --quiet:\n%s%s",
			 r.out, q.err);
	/* the results are the same text either way */
	expect_text(q.out, "task-clock, ns/op");
	ch_run_free(&r);
	ch_run_free(&q);
}

static void with_a_pmu_every_form_perf_prints_is_read(void **state)
{
	struct ch_run r;

	(void)state;
	setenv("PERF", perf_fake(), 1);
	r = compare("-r", "3", "-e",
		    "task-clock,cycles,instructions,branches,branch-misses,L1-dcache-load-misses,cpu/event=0x3c,umask=0x0/",
		    "--variants", "pointer,fake-head,mask-branchy,mask-branchless",
		    "--", "--mem", "16M", "--ops", "1000", NULL);
	unsetenv("PERF");
	compare_ok(&r);
	/* 1 ms over 1000 ops, from the run time, not perf's 2 decimals */
	expect_cells(r.out, "task-clock, ns/op", "  gmean",
		     "1000 1100 1000 500.0");
	/* a hybrid CPU's two halves are summed */
	expect_cells(r.out, "cycles/op", "  gmean", "1000 1100 1000 500.0");
	/* instructions:u is instructions */
	expect_cells(r.out, "instructions/op", "  gmean",
		     "1000 1100 1000 500.0");
	/*
	 * the changes, claimed where they are; every run alike, so the
	 * intervals are the values themselves
	 */
	expect_cells(r.out, "cycles/op", "  chg", "+10.0%* +0.0% -50.0%*");
	expect_cells(r.out, "cycles/op", "  95% CI",
		     "1000..1000 [+10.0, +10.0] [+0.0, +0.0] [-50.0, -50.0]");
	expect_cells(r.out, "branches/op", "  gmean",
		     "<not counted> <not counted> <not counted> <not counted>");
	expect_cells(r.out, "branch-misses/op", "  gmean",
		     "<not supported> <not supported> <not supported> <not supported>");
	/* a multiplexed count is perf's scaled one, and said to be so */
	expect_cells(r.out, "L1-dcache-load-misses/op", "  gmean",
		     "1000 1100 1000 500.0");
	expect_text(r.out,
		    "multiplexed, scaled by perf (least share of the time counted): L1-dcache-load-misses 50%");
	/* an event name with a comma in it */
	expect_cells(r.out, "cpu/event=0x3c,umask=0x0/ per op", "  gmean",
		     "1000 1100 1000 500.0");
	ch_run_free(&r);
}

static void the_baseline_comes_first_and_the_rule_is_named(void **state)
{
	struct ch_run r;

	(void)state;
	setenv("PERF", perf_fake(), 1);
	r = compare("-r", "2", "-e", "cycles", "--baseline",
		    "mask-branchless", "--variants", "pointer,mask-branchless",
		    "--", "--mem", "16M", "--ops", "1000", NULL);
	unsetenv("PERF");
	compare_ok(&r);
	expect_cells(r.out, "cycles/op", "  gmean", "500.0 1000");
	expect_cells(r.out, "cycles/op", "  chg", "+100%*");
	expect_text(r.out, "*: a difference claimed (\"Difference at 95.0% confidence\")");
	expect_text(r.out, "after Benjamini-Hochberg over the 1 change above (chbench stats)");
	expect_text(r.out, "baseline mask-branchless.");
	ch_run_free(&r);
}

/* Field @key of @j, a number; fails the test where it is none. */
static double num_of(json_t *j, const char *key)
{
	json_t *v = json_object_get(j, key);

	if (!json_is_number(v))
		fail_msg("chbench stats gave no number \"%s\"", key);
	return json_number_value(v);
}

/*
 * Runs that differ (perf_fake's PERF_FAKE_SPREAD: each variant's k-th run
 * times 1.0, 1.2, 0.9, 1.1): what perf-compare prints is what chbench
 * stats says of the same values, one implementation of the statistics.
 */
static void its_figures_are_chbench_stats_of_the_same_runs(void **state)
{
	char dir[] = "/tmp/chbench-spread-XXXXXX", want[128], path[256];
	const char *argv[] = { NULL, "stats", NULL };
	json_t *doc, *cmp, *base;
	struct ch_run r, s;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("PERF", perf_fake(), 1);
	setenv("PERF_FAKE_SPREAD", dir, 1);
	r = compare("-r", "4", "-e", "cycles", "--variants",
		    "pointer,mask-branchless", "--", "--mem", "16M", "--ops",
		    "1000", NULL);
	unsetenv("PERF");
	unsetenv("PERF_FAKE_SPREAD");
	compare_ok(&r);
	s = ch_spawnv_in(argv, "{\"values\": {\"p\": [1000, 1200, 900, 1100], \"m\": [500, 600, 450, 550]}, \"compare\": [[\"p\", \"m\"]]}");
	assert_int_equal(s.status, 0);
	doc = json_loads(s.out, 0, NULL);
	assert_non_null(doc);
	base = json_object_get(json_object_get(doc, "values"), "p");
	cmp = json_array_get(json_object_get(doc, "comparisons"), 0);
	snprintf(want, sizeof(want), "%.0f %.1f",
		 num_of(base, "estimate"), num_of(json_object_get(
			json_object_get(doc, "values"), "m"), "estimate"));
	expect_cells(r.out, "cycles/op", "  gmean", want);
	/* perf-compare's 4 significant digits: 857.3, 1271 */
	snprintf(want, sizeof(want), "%.1f..%.0f [%+.1f, %+.1f]",
		 num_of(base, "lo"), num_of(base, "hi"),
		 100 * num_of(cmp, "lo"), 100 * num_of(cmp, "hi"));
	expect_cells(r.out, "cycles/op", "  95% CI", want);
	/* the same ratio in every run: claimed, with a real interval */
	expect_cells(r.out, "cycles/op", "  chg", "-50.0%*");
	assert_true(num_of(cmp, "hi") - num_of(cmp, "lo") > 0.001);
	json_decref(doc);
	ch_run_free(&r);
	ch_run_free(&s);
	snprintf(path, sizeof(path), "%s/pointer", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/mask-branchless", dir);
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

static void variants_wrong_on_the_layout_are_skipped_and_said_so(void **state)
{
	char names[256], want[256], *t, *save;
	struct ch_run r;
	size_t off = 0;

	(void)state;
	setenv("PERF", perf_fake(), 1);
	r = compare("-r", "2", "-e", "cycles", "--", "--layout",
		    "hvo-shared-tail", "--mem", "16M", "--ops", "1000", NULL);
	unsetenv("PERF");
	compare_ok(&r);
	expect_text(r.out,
		    "skipped pointer: pointer is not correct on hvo-shared-tail");
	expect_text(r.out,
		    "skipped fake-head: fake-head is not correct on hvo-shared-tail");
	/* the rest, each at perf_fake's factor (mask-branchless 0.5, else 1) */
	default_variants(CH_LAYOUT_HVO_SHARED_TAIL, names, sizeof(names));
	for (t = strtok_r(names, " ", &save); t; t = strtok_r(NULL, " ", &save))
		off += snprintf(want + off, sizeof(want) - off, "%s%s",
				off ? " " : "",
				strcmp(t, "mask-branchless") ? "1000" : "500.0");
	expect_cells(r.out, "cycles/op", "  gmean", want);
	ch_run_free(&r);
}

static void a_missing_perf_exits_2_with_one_line_naming_the_package(void **state)
{
	struct ch_run r;

	(void)state;
	setenv("PERF", "/nonexistent/perf", 1);
	r = compare("--", "--mem", "16M", NULL);
	unsetenv("PERF");
	ch_expect_usage_error(&r, "PERF=/nonexistent/perf", "linux-perf");
}

/*
 * perf-compare with the NULL-terminated arguments and the fake perf, on a
 * sysroot with the @paranoid setting and an unprivileged process.
 */
static struct ch_run compare_paranoid(const char *paranoid, const char *arg,
				      ...)
{
	char *root = ch_sysroot_new("/tmp/perf-compare-test.XXXXXX");
	struct ch_run r;
	va_list ap;

	ch_sysroot_write(root, "proc/sys/kernel/perf_event_paranoid",
			 paranoid);
	ch_sysroot_write(root, "proc/self/status",
			 "Name:\tperf-compare\nCapEff:\t0000000000000000\n");
	setenv("CHBENCH_SYSROOT", root, 1);
	setenv("PERF", perf_fake(), 1);
	va_start(ap, arg);
	r = ch_spawn_va(script(), NULL, NULL, arg, ap);
	va_end(ap);
	unsetenv("PERF");
	unsetenv("CHBENCH_SYSROOT");
	ch_sysroot_drop(root);
	return r;
}

static void a_paranoid_setting_of_3_exits_2_with_one_line_naming_the_sysctl(void **state)
{
	struct ch_run r = compare_paranoid("3\n", "--", "--mem", "16M", NULL);

	(void)state;
	ch_expect_usage_error(&r, "perf_event_paranoid 3",
			      "kernel.perf_event_paranoid");
}

static void a_paranoid_setting_of_2_counts_user_space_and_says_so(void **state)
{
	struct ch_run r = compare_paranoid("2\n", "-r", "1", "-e", "cycles",
					   "--variants", "pointer", "--",
					   "--mem", "16M", "--ops", "1000",
					   NULL);

	(void)state;
	compare_ok(&r);
	expect_text(r.out, "user space only (kernel.perf_event_paranoid=2)");
	ch_run_free(&r);
}

static void options_perf_compare_sets_itself_are_refused(void **state)
{
	struct ch_run r;

	(void)state;
	setenv("PERF", perf_fake(), 1);
	r = compare("--", "--variant", "pointer", NULL);
	ch_expect_usage_error(&r, "-- --variant", "--variants");
	r = compare("--", "--json", NULL);
	ch_expect_usage_error(&r, "-- --json", "set by perf-compare itself");
	r = compare("-r", "0", NULL);
	ch_expect_usage_error(&r, "-r 0", "at least 1");
	r = compare("--variants", "pointer,nope", "--", "--mem", "16M", NULL);
	unsetenv("PERF");
	ch_expect_usage_error(&r, "--variants pointer,nope",
			      "unknown variant 'nope'");
}

/* chbench run's options before the --: the line as it should have been */
static void run_options_before_the_dashes_are_shown_after_them(void **state)
{
	struct ch_run r = compare("-r", "3", "--layout", "none", NULL);

	(void)state;
	ch_expect_usage_error(&r, "-r 3 --layout none",
			      "unrecognized arguments: --layout none; chbench run's options go after --, as in: scripts/perf-compare -r 3 -- --layout none\n");
	r = compare("--mem", "3", "-r", "3", "--", "--walk", "zap", NULL);
	ch_expect_usage_error(&r, "--mem 3 -r 3 -- --walk zap",
			      "as in: scripts/perf-compare -r 3 -- --mem 3 --walk zap\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(on_this_machine_task_clock_has_values_and_missing_events_say_so),
		cmocka_unit_test(without_a_pmu_hardware_events_read_not_supported),
		cmocka_unit_test(perf_control_counts_the_measured_loop_and_nothing_before_it),
		cmocka_unit_test(with_a_pmu_every_form_perf_prints_is_read),
		cmocka_unit_test(the_baseline_comes_first_and_the_rule_is_named),
		cmocka_unit_test(its_figures_are_chbench_stats_of_the_same_runs),
		cmocka_unit_test(variants_wrong_on_the_layout_are_skipped_and_said_so),
		cmocka_unit_test(a_missing_perf_exits_2_with_one_line_naming_the_package),
		cmocka_unit_test(a_paranoid_setting_of_3_exits_2_with_one_line_naming_the_sysctl),
		cmocka_unit_test(a_paranoid_setting_of_2_counts_user_space_and_says_so),
		cmocka_unit_test(options_perf_compare_sets_itself_are_refused),
		cmocka_unit_test(run_options_before_the_dashes_are_shown_after_them),
		cmocka_unit_test(progress_goes_to_stderr_and_quiet_turns_it_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

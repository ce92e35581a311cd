// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for the Google Benchmark shim (bench/gbench.cc).
 *
 * Google Benchmark keeps its flags, registered benchmarks and context in
 * globals, so every scenario runs in a child of its own: the child sets up,
 * runs and writes what it saw into shared memory; the parent checks it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/gbench.h"
#include "lib/util.h"

#define OPS		1000	/* volatile increments per batch */
#define WIDGETS_PER_OP	3.0	/* what the fake counter counts */
#define PREPARE_ERROR	"no memory for the walk - try a smaller mem:"
#define MAX_RESULTS	16
#define MAX_ARGS	8

/* One result as the callback saw it. */
struct rec {
	char name[160];
	char aggregate[16];
	bool case_ok;		/* r->c is the case registered as name */
	bool error;
	char error_msg[160];
	double ns_per_op;
	int nr_counters;
	char counter_name[4][32];
	double counter_value[4];
	int64_t iterations;
	int repetition_index;
};

/* What one child saw, in memory shared with the parent. */
struct outcome {
	bool finished;		/* the child reached its own _exit(0) */
	int init_ret;
	int run_ret;
	int preflight_ret;
	char preflight_err[512];
	int argc_left;
	char argv_left[MAX_ARGS][64];
	int nr_results;
	struct rec res[MAX_RESULTS];
	/* the fake case's own log */
	int prepares, starts, stops;
	bool order_ok;
	char output[16384];	/* the child's stdout and stderr */
	char json[16384];	/* the --benchmark_out file, if any */
};

struct scenario {
	bool fail_prepare;
	bool sleep;		/* each batch sleeps 1 ms */
	bool console;		/* no callback: GB's own console output */
	bool two_cases;		/* also register fake/other */
	bool init_only;
	bool json;		/* add --benchmark_out=<tmpfile> */
	bool preflight;		/* ch_gb_preflight() only, no run */
	const char *tee;	/* run_tee() with this JSON path */
	const char *args[MAX_ARGS];
};

/* One round in one session, as bench runs an instance's cases. */
static int run_tee(ch_gb_result_fn display_fn, void *arg,
		   const char *json_path)
{
	int n, e;

	if (ch_gb_begin(display_fn, arg, json_path))
		return -1;
	n = ch_gb_round();
	e = ch_gb_end();
	return n < 0 || e < 0 ? -1 : n;
}

/* As run_tee() with no JSON copy, after the check bench's preflight makes. */
static int run_plain(ch_gb_result_fn display_fn, void *arg)
{
	char err[512];

	/* Google Benchmark would print "invalid file name" and exit(1). */
	if (ch_gb_check_out(err, sizeof(err))) {
		fprintf(stderr, "chbench: %s\n", err);
		return -1;
	}
	return run_tee(display_fn, arg, NULL);
}

/* The fake case: checks it is driven in the order the API promises. */
struct fake {
	struct outcome *o;
	const struct scenario *s;
	enum { IDLE, PREPARED, TIMING } state;
	uint64_t batches;
};

static int fake_prepare(void *arg, char *err, size_t len)
{
	struct fake *f = arg;

	if (f->state != IDLE)
		f->o->order_ok = false;
	f->o->prepares++;
	if (f->s->fail_prepare) {
		snprintf(err, len, "%s", PREPARE_ERROR);
		return -1;
	}
	f->state = PREPARED;
	return 0;
}

static void fake_counters_start(void *arg)
{
	struct fake *f = arg;

	if (f->state != PREPARED)
		f->o->order_ok = false;
	f->o->starts++;
	f->state = TIMING;
	f->batches = 0;
}

static uint64_t fake_batch(void *arg)
{
	static const struct timespec ms = { 0, 1000000 };
	struct fake *f = arg;
	volatile uint64_t v = 0;

	if (f->state != TIMING)
		f->o->order_ok = false;
	if (f->s->sleep)
		nanosleep(&ms, NULL);
	else
		for (int i = 0; i < OPS; i++)
			v++;
	f->batches++;
	return v;
}

/* Totals over the loop: WIDGETS_PER_OP for every op that ran. */
static int fake_counters_stop(void *arg, struct ch_gb_counter *out, int max)
{
	struct fake *f = arg;

	if (f->state != TIMING)
		f->o->order_ok = false;
	f->o->stops++;
	f->state = IDLE;
	if (max < 2)
		return 0;
	out[0].name = "widgets";
	out[0].value = WIDGETS_PER_OP * (double)f->batches * OPS;
	/* written but not returned: the PMU could not count it */
	out[1].name = "absent";
	out[1].value = 0;
	return 1;
}

static void record(const struct ch_gb_result *r, void *arg)
{
	struct outcome *o = arg;
	struct rec *rec;

	if (o->nr_results >= MAX_RESULTS)
		return;
	rec = &o->res[o->nr_results++];
	snprintf(rec->name, sizeof(rec->name), "%s", r->name);
	snprintf(rec->aggregate, sizeof(rec->aggregate), "%s", r->aggregate);
	rec->case_ok = r->c && !strncmp(r->name, r->c->name,
					strlen(r->c->name));
	rec->error = r->error;
	snprintf(rec->error_msg, sizeof(rec->error_msg), "%s", r->error_msg);
	rec->ns_per_op = r->ns_per_op;
	rec->nr_counters = r->nr_counters;
	for (int i = 0; i < r->nr_counters && i < 4; i++) {
		snprintf(rec->counter_name[i], sizeof(rec->counter_name[i]),
			 "%s", r->counters[i].name);
		rec->counter_value[i] = r->counters[i].value;
	}
	rec->iterations = r->iterations;
	rec->repetition_index = r->repetition_index;
}

static void child(struct outcome *o, const struct scenario *s,
		  const char *json_path)
{
	char min_time[] = "--benchmark_min_time=0.01";
	char out_flag[128], name[] = "test_gbench";
	char *argv[MAX_ARGS + 4] = { name, min_time };
	struct fake f = { .o = o, .s = s, .state = IDLE };
	struct fake g = { .o = o, .s = s, .state = IDLE };
	struct ch_gb_case c = {
		.name = "fake/case",
		.arg = &f,
		.ops_per_batch = OPS,
		.prepare = fake_prepare,
		.batch = fake_batch,
		.counters_start = fake_counters_start,
		.counters_stop = fake_counters_stop,
	};
	struct ch_gb_case other = c;
	int argc = 2;

	other.name = "fake/other";
	other.arg = &g;
	if (s->json) {
		snprintf(out_flag, sizeof(out_flag), "--benchmark_out=%s",
			 json_path);
		argv[argc++] = out_flag;
	}
	for (int i = 0; i < MAX_ARGS && s->args[i]; i++)
		argv[argc++] = (char *)s->args[i];
	argv[argc] = NULL;

	o->init_ret = ch_gb_init(&argc, argv);
	o->argc_left = argc;
	for (int i = 0; i < argc && i < MAX_ARGS; i++)
		snprintf(o->argv_left[i], sizeof(o->argv_left[i]), "%s",
			 argv[i]);
	if (o->init_ret || s->init_only)
		goto out;

	ch_gb_add_context("chbench_test_key", "forty-two");
	ch_gb_register(&c);
	if (s->two_cases)
		ch_gb_register(&other);
	if (s->preflight)
		o->preflight_ret = ch_gb_preflight(o->preflight_err,
						   sizeof(o->preflight_err));
	else if (s->tee)
		o->run_ret = run_tee(record, o, s->tee);
	else
		o->run_ret = run_plain(s->console ? NULL : record, o);
	ch_gb_shutdown();
out:
	fflush(stdout);
	fflush(stderr);
	o->finished = true;
	_exit(0);
}

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* Run one scenario in a child; the caller munmap()s the outcome. */
static struct outcome *run(const struct scenario *s)
{
	char out_path[] = "/tmp/test_gbench.out.XXXXXX";
	char json_path[] = "/tmp/test_gbench.json.XXXXXX";
	struct outcome *o;
	int out_fd, json_fd, status;
	pid_t pid;

	o = mmap(NULL, sizeof(*o), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(o != MAP_FAILED);
	o->run_ret = -100;
	o->order_ok = true;
	out_fd = mkstemp(out_path);
	assert_true(out_fd >= 0);
	json_fd = mkstemp(json_path);
	assert_true(json_fd >= 0);
	close(json_fd);

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(out_fd, STDOUT_FILENO);
		dup2(out_fd, STDERR_FILENO);
		child(o, s, json_path);
	}
	close(out_fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	slurp(out_path, o->output, sizeof(o->output));
	slurp(json_path, o->json, sizeof(o->json));
	unlink(out_path);
	unlink(json_path);
	return o;
}

static void done(struct outcome *o)
{
	munmap(o, sizeof(*o));
}

static const double *counter(const struct rec *r, const char *name)
{
	for (int i = 0; i < r->nr_counters && i < 4; i++)
		if (!strcmp(r->counter_name[i], name))
			return &r->counter_value[i];
	return NULL;
}

static void prepare_comes_first_and_counter_hooks_wrap_the_loop(
	void **state)
{
	struct scenario s = { 0 };
	struct outcome *o = run(&s);

	(void)state;
	assert_true(o->finished);
	assert_int_equal(o->init_ret, 0);
	assert_int_equal(o->run_ret, 1);
	assert_true(o->order_ok);
	/* Google Benchmark runs the case several times to calibrate */
	assert_true(o->prepares >= 1);
	assert_int_equal(o->starts, o->prepares);
	assert_int_equal(o->stops, o->prepares);
	assert_int_equal(o->nr_results, 1);
	assert_string_equal(o->res[0].name, "fake/case");
	assert_string_equal(o->res[0].aggregate, "");
	assert_true(o->res[0].case_ok);
	assert_false(o->res[0].error);
	assert_true(o->res[0].iterations >= 1);
	assert_int_equal(o->res[0].repetition_index, 0);
	done(o);
}

static void a_trivial_batch_reports_a_positive_ns_per_op(void **state)
{
	struct scenario s = { 0 };
	struct outcome *o = run(&s);

	(void)state;
	assert_int_equal(o->nr_results, 1);
	assert_true(o->res[0].ns_per_op > 0);
	done(o);
}

static void ns_per_op_is_wall_clock_time_divided_by_ops(void **state)
{
	struct scenario s = { .sleep = true };
	struct outcome *o = run(&s);

	(void)state;
	/* 1 ms of sleep (no CPU time) per batch of 1000 ops: >= 1000 ns/op */
	assert_int_equal(o->nr_results, 1);
	assert_true(o->res[0].ns_per_op >= 1000.0);
	assert_true(o->res[0].ns_per_op < 100000.0);
	done(o);
}

static void a_counter_total_is_reported_per_op_exactly(void **state)
{
	struct scenario s = { 0 };
	struct outcome *o = run(&s);
	const double *w;

	(void)state;
	assert_int_equal(o->nr_results, 1);
	w = counter(&o->res[0], "widgets");
	assert_non_null(w);
	/* exact only if the total came from exactly `iterations` batches */
	assert_true(*w == WIDGETS_PER_OP);
	done(o);
}

static void an_absent_counter_is_in_neither_callback_nor_json(
	void **state)
{
	struct scenario s = { .json = true };
	struct outcome *o = run(&s);

	(void)state;
	assert_int_equal(o->nr_results, 1);
	assert_int_equal(o->res[0].nr_counters, 1);
	assert_null(counter(&o->res[0], "absent"));
	assert_non_null(strstr(o->json, "\"widgets/op\""));
	assert_null(strstr(o->json, "absent"));
	done(o);
}

static void a_failing_prepare_reports_an_error_with_its_message(
	void **state)
{
	struct scenario s = { .fail_prepare = true };
	struct outcome *o = run(&s);

	(void)state;
	assert_int_equal(o->run_ret, 1);
	assert_int_equal(o->prepares, 1);
	assert_int_equal(o->starts, 0);
	assert_int_equal(o->nr_results, 1);
	assert_true(o->res[0].error);
	assert_string_equal(o->res[0].error_msg, PREPARE_ERROR);
	assert_int_equal(o->res[0].nr_counters, 0);
	done(o);
}

static void three_repetitions_yield_mean_median_stddev_and_cv(void **state)
{
	static const char *const aggs[] = { "mean", "median", "stddev", "cv" };
	struct scenario s = { .args = { "--benchmark_repetitions=3" } };
	struct outcome *o = run(&s);
	char name[64];

	(void)state;
	assert_int_equal(o->nr_results, 3 + 4);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(o->res[i].aggregate, "");
		assert_int_equal(o->res[i].repetition_index, i);
	}
	for (int i = 0; i < 4; i++) {
		const struct rec *r = &o->res[3 + i];

		snprintf(name, sizeof(name), "fake/case_%s", aggs[i]);
		assert_string_equal(r->name, name);
		assert_string_equal(r->aggregate, aggs[i]);
		assert_true(r->case_ok);
		assert_int_equal(r->repetition_index, -1);
		assert_non_null(counter(r, "widgets"));
	}
	assert_true(*counter(&o->res[3], "widgets") == WIDGETS_PER_OP);
	assert_true(*counter(&o->res[5], "widgets") == 0);
	assert_true(o->res[3].ns_per_op > 0);
	done(o);
}

static void benchmark_out_writes_json_with_ns_per_op_and_context(
	void **state)
{
	struct scenario s = {
		.json = true,
		.args = { "--benchmark_format=json",
			  "--benchmark_out_format=json" },
	};
	struct outcome *o = run(&s);

	(void)state;
	assert_int_equal(o->run_ret, 1);
	assert_non_null(strstr(o->json, "\"context\""));
	assert_non_null(strstr(o->json,
			       "\"chbench_test_key\": \"forty-two\""));
	assert_non_null(strstr(o->json, "\"name\": \"fake/case/real_time\""));
	assert_non_null(strstr(o->json, "\"ns/op\": "));
	assert_non_null(strstr(o->json, "\"items_per_second\": "));
	assert_non_null(strstr(o->json, "\"time_unit\": \"ns\""));
	done(o);
}

static void an_unknown_benchmark_flag_returns_2(void **state)
{
	struct scenario s = { .args = { "--benchmark_bogus=1" } };
	struct outcome *o = run(&s);

	(void)state;
	assert_true(o->finished);
	assert_int_equal(o->init_ret, -EINVAL);
	assert_int_equal(o->run_ret, -100);
	assert_non_null(strstr(o->output, "--benchmark_bogus=1"));
	done(o);
}

static void a_bad_format_value_returns_2_instead_of_exiting(void **state)
{
	struct scenario s = { .args = { "--benchmark_format=xml" } };
	struct outcome *o = run(&s);

	(void)state;
	assert_true(o->finished);
	assert_int_equal(o->init_ret, -EINVAL);
	assert_non_null(strstr(o->output, "--benchmark_format=xml"));
	done(o);
}

static void other_arguments_and_help_stay_in_argv_in_order(void **state)
{
	struct scenario s = {
		.init_only = true,
		.args = { "-w", "walk", "--benchmark_repetitions=2", "--help",
			  "mem:4G" },
	};
	struct outcome *o = run(&s);

	(void)state;
	assert_true(o->finished);
	assert_int_equal(o->init_ret, 0);
	assert_int_equal(o->argc_left, 5);
	assert_string_equal(o->argv_left[0], "test_gbench");
	assert_string_equal(o->argv_left[1], "-w");
	assert_string_equal(o->argv_left[2], "walk");
	assert_string_equal(o->argv_left[3], "--help");
	assert_string_equal(o->argv_left[4], "mem:4G");
	done(o);
}

static void the_filter_flag_selects_the_cases_that_run(void **state)
{
	struct scenario s = {
		.two_cases = true,
		.args = { "--benchmark_filter=other" },
	};
	struct outcome *o = run(&s);

	(void)state;
	assert_int_equal(o->run_ret, 1);
	assert_int_equal(o->nr_results, 1);
	assert_string_equal(o->res[0].name, "fake/other");
	assert_true(o->res[0].case_ok);
	done(o);
}

static void without_a_callback_the_console_shows_each_case(void **state)
{
	struct scenario s = { .console = true };
	struct outcome *o = run(&s);

	(void)state;
	assert_int_equal(o->run_ret, 1);
	assert_int_equal(o->nr_results, 0);
	assert_non_null(strstr(o->output, "fake/case/real_time"));
	assert_non_null(strstr(o->output, "ns/op="));
	assert_non_null(strstr(o->output, "chbench_test_key: forty-two"));
	done(o);
}

static void an_unwritable_out_file_fails_the_run_not_the_process(
	void **state)
{
	struct scenario s = {
		.args = { "--benchmark_out=/nonexistent/dir/out.json" },
	};
	struct outcome *o = run(&s);

	(void)state;
	assert_true(o->finished);
	assert_int_equal(o->run_ret, -1);
	assert_int_equal(o->prepares, 0);
	assert_non_null(strstr(o->output, "/nonexistent/dir/out.json"));
	done(o);
}

static void a_full_disk_fails_the_json_with_enospc_after_every_result(
	void **state)
{
	struct scenario s = { .tee = "/dev/full" };
	struct outcome *o = run(&s);

	(void)state;
	assert_true(o->finished);
	assert_int_equal(o->run_ret, -1);
	/* every result reached the callback: the table can still be shown */
	assert_int_equal(o->nr_results, 1);
	assert_non_null(strstr(o->output,
			       "writing /dev/full failed: No space left on device (ENOSPC: the disk is full)"));
	done(o);
}

static void preflight_counts_the_selected_cases_and_runs_none(void **state)
{
	struct scenario s = { .preflight = true, .two_cases = true,
			      .args = { "--benchmark_filter=other" } };
	struct outcome *o = run(&s);

	(void)state;
	assert_int_equal(o->preflight_ret, 1);
	assert_int_equal(o->prepares, 0);
	assert_string_equal(o->output, "");
	done(o);
}

static void preflight_says_when_the_filter_selects_nothing(void **state)
{
	struct scenario s = { .preflight = true, .two_cases = true,
			      .args = { "--benchmark_filter=nomatch" } };
	struct scenario t = { .preflight = true,
			      .args = { "--benchmark_filter=(" } };
	struct outcome *o = run(&s), *p = run(&t);

	(void)state;
	assert_int_equal(o->preflight_ret, 0);
	assert_string_equal(o->preflight_err,
			    "--benchmark_filter=nomatch matches none of the 2 cases; --benchmark_list_tests lists them");
	assert_int_equal(p->preflight_ret, 0);
	assert_non_null(strstr(p->preflight_err,
			       "--benchmark_filter=( is not a valid regular expression"));
	/* Google Benchmark's own lines never reach the user */
	assert_string_equal(o->output, "");
	assert_string_equal(p->output, "");
	done(o);
	done(p);
}

static void preflight_lists_the_cases_for_list_tests(void **state)
{
	struct scenario s = { .preflight = true, .two_cases = true,
			      .args = { "--benchmark_list_tests" } };
	struct outcome *o = run(&s);

	(void)state;
	assert_int_equal(o->preflight_ret, 2);
	assert_int_equal(o->prepares, 0);
	assert_non_null(strstr(o->output, "fake/case/real_time\n"));
	assert_non_null(strstr(o->output, "fake/other/real_time\n"));
	done(o);
}

static void repetitions_and_min_time_out_of_range_return_2(void **state)
{
	static const char *const bad[] = {
		"--benchmark_repetitions=0", "--benchmark_repetitions=-3",
		"--benchmark_min_time=-1", "--benchmark_min_time=nan",
		"--benchmark_list_tests=maybe",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct scenario s = { .args = { bad[i] } };
		struct outcome *o = run(&s);

		assert_true(o->finished);
		assert_int_equal(o->init_ret, -EINVAL);
		assert_non_null(strstr(o->output, bad[i]));
		/* one line, and no exception text */
		assert_non_null(strchr(o->output, '\n'));
		assert_string_equal(strchr(o->output, '\n'), "\n");
		done(o);
	}
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(prepare_comes_first_and_counter_hooks_wrap_the_loop),
	cmocka_unit_test(a_trivial_batch_reports_a_positive_ns_per_op),
	cmocka_unit_test(ns_per_op_is_wall_clock_time_divided_by_ops),
	cmocka_unit_test(a_counter_total_is_reported_per_op_exactly),
	cmocka_unit_test(an_absent_counter_is_in_neither_callback_nor_json),
	cmocka_unit_test(a_failing_prepare_reports_an_error_with_its_message),
	cmocka_unit_test(three_repetitions_yield_mean_median_stddev_and_cv),
	cmocka_unit_test(benchmark_out_writes_json_with_ns_per_op_and_context),
	cmocka_unit_test(an_unknown_benchmark_flag_returns_2),
	cmocka_unit_test(a_bad_format_value_returns_2_instead_of_exiting),
	cmocka_unit_test(other_arguments_and_help_stay_in_argv_in_order),
	cmocka_unit_test(the_filter_flag_selects_the_cases_that_run),
	cmocka_unit_test(without_a_callback_the_console_shows_each_case),
	cmocka_unit_test(an_unwritable_out_file_fails_the_run_not_the_process),
	cmocka_unit_test(a_full_disk_fails_the_json_with_enospc_after_every_result),
	cmocka_unit_test(preflight_counts_the_selected_cases_and_runs_none),
	cmocka_unit_test(preflight_says_when_the_filter_selects_nothing),
	cmocka_unit_test(preflight_lists_the_cases_for_list_tests),
	cmocka_unit_test(repetitions_and_min_time_out_of_range_return_2),
};

int main(void)
{
	return cmocka_run_group_tests_name("gbench", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * chbench run and chbench bench, from the outside: what they print, what
 * they write, what they refuse.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/pmu.h"
#include "lib/util.h"
#include "vmemmap/suite.h"
#include "vmemmap/walk.h"
#include "tests/spawn.h"
#include "tests/tmpdir.h"

/* two cases, one scenario: enough to see every file and column */
#define FILTER	"--benchmark_filter=^walk/(pointer|floor)/as-compiled/none/order0/random/mem:64M"

static char tmpdir[] = "/tmp/chbench-test-bench-XXXXXX";

static bool hw_counters(void)
{
	char why[256];

	return ch_pmu_hw_available(why, sizeof(why));
}

CH_TMPDIR_FIXTURES(tmpdir, setup, teardown)

static void run_json_has_every_parameter_and_null_for_absent_counters(void **state)
{
	struct ch_run r = ch_spawn("run", "--variant", "mask-branchless",
				   "--layout", "hvo-shared-tail", "--mix",
				   "hugetlb-2m", "--mem", "64M", "--walk",
				   "chase", "--ops", "4096", "--json", NULL);
	static const char *const keys[] = {
		"\"variant\": \"mask-branchless\"", "\"shape\": \"as-compiled\"",
		"\"layout\": \"hvo-shared-tail\"", "\"mix\": \"hugetlb-2m\"",
		"\"mem\": \"64M\"", "\"walk\": \"chase\"", "\"pick\": \"any\"",
		"\"tail_fraction\": null", "\"seed\": 1", "\"ops\": 4096",
		"\"ns_per_op\": ", "\"counters\": {",
		"\"walk_function\": \"ch_walk_chase_mask_branchless_as_compiled\"",
	};

	(void)state;
	assert_int_equal(r.status, 0);
	assert_int_equal(ch_count_lines(r.out), 1);
	ch_expect_list("run --json", r.out, true, keys, ARRAY_SIZE(keys));
	if (hw_counters())
		ch_expect_not_in("run --json", r.out, "\"cycles\": null");
	else
		ch_expect_in("run --json", r.out, "\"cycles\": null");
	ch_expect_not_in("run --json", r.out, "\"cycles\": 0");
	ch_run_free(&r);
}

static void run_prints_ops_and_na_for_absent_counters(void **state)
{
	struct ch_run r = ch_spawn("run", "--variant", "pointer", "--mem",
				   "64M", "--ops", "1000", NULL);

	(void)state;
	assert_int_equal(r.status, 0);
	ch_expect_in("run", r.out, "ops                      1000\n");
	ch_expect_in("run", r.out, "ns/op");
	if (!hw_counters()) {
		ch_expect_in("run", r.out, "cycles/op                n/a");
		ch_expect_in("run", r.out, "counters: ");
	}
	ch_run_free(&r);
}

static void run_refuses_a_variant_where_it_is_wrong(void **state)
{
	struct ch_run r = ch_spawn("run", "--variant", "pointer", "--layout",
				   "hvo-fake-head", NULL);

	(void)state;
	assert_int_equal(r.status, 2);
	assert_int_equal(ch_count_lines(r.err), 1);
	ch_expect_in("stderr", r.err, "valid layouts for pointer: none, hvo-2page");
	assert_string_equal(r.out, "");
	ch_run_free(&r);

	r = ch_spawn("run", "--variant", "fake-head", "--layout",
		     "hvo-fake-head", "--key", "off", NULL);
	assert_int_equal(r.status, 2);
	ch_expect_in("stderr", r.err, "only with the static key on");
	ch_run_free(&r);
}

static void run_rejects_bad_input_with_one_line(void **state)
{
	static const char *const bad[][4] = {
		{ "--variant", "nope", "valid: pointer, fake-head" },
		{ "--walk", "sideways", "valid: random, zap, chase" },
		{ "--shape", "round", "valid: as-compiled, branch" },
		{ "--pick", "any-old", "valid: any, head, tail" },
		{ "--tail-fraction", "1.5", "from 0 to 1" },
		{ "--ops", "0", "from 1 to" },
		{ "--cpu", "999", "no such online CPU" },
		{ "--events", "no_such_event", "unknown event 'no_such_event'" },
		{ "--control", "fd:999", "not open" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *v = strcmp(bad[i][0], "--variant") ? "pointer" :
								  bad[i][1];
		const char *o = strcmp(bad[i][0], "--variant") ? bad[i][0] :
								  "--walk";
		const char *ov = strcmp(bad[i][0], "--variant") ? bad[i][1] :
								   "random";
		struct ch_run r = ch_spawn("run", "--variant", v, o, ov,
					   "--mem", "64M", NULL);

		if (r.status != 2 || ch_count_lines(r.err) != 1 ||
		    !strstr(r.err, bad[i][2]))
			fail_msg("run %s %s: status %d, stderr:\n%s(want 2 and one line with \"%s\")",
				 bad[i][0], bad[i][1], r.status, r.err,
				 bad[i][2]);
		ch_run_free(&r);
	}
}

static void bench_writes_a_complete_results_directory(void **state)
{
	struct ch_run r;
	char *dir = ch_spawn_results(&r, "bench", "--quick", "--out", tmpdir,
				     FILTER, "--benchmark_repetitions=2",
				     NULL);
	char *json = ch_read_in(dir, "bench.json");
	char *meta = ch_read_in(dir, "metadata.json");
	char *table = ch_read_in(dir, "table.txt");

	(void)state;
	ch_expect_each_in("bench.json", json,
			  "walk/pointer/as-compiled/none/order0/random/mem:64M",
			  "\"ns/op\": ", "\"aggregate_name\": \"median\"");
	ch_expect_each_in("metadata.json", meta, "\"kind\": \"bench\"",
			  "\"seed\": 1,", "\"cpu_model\": ", "\"git_rev\": ",
			  "\"cflags\": ", "\"command\": \"",
			  "\"symbol\": \"ch_walk_index_mask_branchless_branch\"",
			  "\"valid\": true");
	ch_expect_in("table.txt", table, "pointer @ none");
	ch_expect_in("stdout", r.out, "floor @ none");
	if (!hw_counters()) {
		/* absent counters: never in the JSON, n/a in the table */
		ch_expect_not_in("bench.json", json, "cycles/op");
		ch_expect_in("metadata.json", meta,
			     "{\"name\": \"cycles\", \"present\": false}");
		/* columns n/a in every case are left out, with one line */
		ch_expect_in("table.txt", table,
			     "(n/a, left out: cycles insns branches");
		ch_expect_not_in("table.txt", table, "-floor    cycles");
		ch_expect_not_in("stdout", r.out, "-floor    cycles");
		ch_expect_in("stderr", r.err, "figures shown as n/a");
	}
	/* the system header, as a mail carries it */
	assert_true(!strncmp(table, "CPU       ", 10));
	ch_expect_each_in("table.txt", table, "Google Benchmark ", "libpfm ",
			  "\nSetup     cpu", "\nKernel    ", "\nCompiler  ");
	ch_expect_not_in("table.txt", table, " 0.0000");
	free(json);
	free(meta);
	free(table);
	free(dir);
	ch_run_free(&r);
}

static void a_second_bench_never_overwrites_the_first(void **state)
{
	struct ch_run a, b;
	char *da, *db, *before, *after;

	(void)state;
	da = ch_spawn_results(&a, "bench", "--quick", "--out", tmpdir, FILTER,
			      "--benchmark_repetitions=1", NULL);
	before = ch_read_in(da, "bench.json");
	db = ch_spawn_results(&b, "bench", "--quick", "--out", tmpdir, FILTER,
			      "--benchmark_repetitions=1", NULL);
	assert_string_not_equal(da, db);
	after = ch_read_in(da, "bench.json");
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(da);
	free(db);
	ch_run_free(&a);
	ch_run_free(&b);
}

static void benchmark_out_and_format_pass_through(void **state)
{
	char out[512], *dir, *mine, *theirs;
	struct ch_run r;

	(void)state;
	snprintf(out, sizeof(out), "--benchmark_out=%s/user.csv", tmpdir);
	dir = ch_spawn_results(&r, "bench", "--quick", "--out", tmpdir, FILTER,
			       "--benchmark_repetitions=1", out,
			       "--benchmark_out_format=csv",
			       "--benchmark_format=json", NULL);
	/* the user's formats: JSON on stdout, CSV in their file */
	ch_expect_in("stdout", r.out, "\"benchmarks\": [");
	ch_expect_not_in("stdout", r.out, "variant @ layout");
	theirs = ch_read_path(out + strlen("--benchmark_out="));
	ch_expect_in("user.csv", theirs, "name,iterations,real_time");
	/* and the results directory is complete anyway */
	mine = ch_read_in(dir, "bench.json");
	ch_expect_each_in("bench.json", mine, "\"context\": {",
			  "walk/floor/as-compiled/none/order0/random/mem:64M");
	free(mine);
	free(theirs);
	free(dir);
	ch_run_free(&r);
}

static void bench_rejects_bad_flags_and_leaves_nothing_behind(void **state)
{
	static const char *const bad[][3] = {
		{ "--benchmark_bogus=1", NULL, "benchmark_bogus" },
		{ "--mix", "order0", "not apply" },
		{ "stray", NULL, "unexpected argument 'stray'" },
		{ "--cpu", "999", "no such online CPU" },
	};
	size_t i, before = 0, after = 0;
	struct dirent *de;
	DIR *d;

	(void)state;
	for (d = opendir(tmpdir); d && (de = readdir(d));)
		before++;
	closedir(d);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ch_run r = ch_spawn("bench", "--out", tmpdir, bad[i][0],
					   bad[i][1], NULL);

		if (r.status != 2 || !strstr(r.err, bad[i][2]))
			fail_msg("bench %s: status %d, stderr:\n%s", bad[i][0],
				 r.status, r.err);
		ch_run_free(&r);
	}
	for (d = opendir(tmpdir); d && (de = readdir(d));)
		after++;
	closedir(d);
	assert_int_equal(after, before);
}

/* Entries in @dir other than . and .. (names starting with @prefix) */
static int count_entries(const char *dir, const char *prefix)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		     !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

/*
 * chbench @argv, stdout on @out_fd (-1: /dev/null), stderr into *@err (a
 * tmpfile), the signals in @def at their default whatever this process
 * was given (a shell's background job ignores SIGINT): its pid.
 */
static pid_t spawn_bench(char **argv, int out_fd, FILE **err,
			 const sigset_t *def)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	pid_t pid;

	*err = tmpfile();
	assert_non_null(*err);
	posix_spawn_file_actions_init(&fa);
	if (out_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	else
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
						 O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fileno(*err), 2);
	posix_spawnattr_init(&at);
	posix_spawnattr_setsigdefault(&at, def);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF);
	assert_int_equal(posix_spawn(&pid, argv[0], &fa, &at, argv, environ),
			 0);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* Until a partial directory is in @out: the run is under way. */
static void wait_for_partial(const char *out)
{
	int tries;

	for (tries = 0; tries < 3000; tries++) {
		if (!access(out, F_OK) && count_entries(out, ".partial-"))
			return;
		usleep(10000);
	}
	fail_msg("no partial directory in %s within 30 s", out);
}

/*
 * The last line of @err is the run's one word on how it stopped, with
 * @why, naming the partial directory in @out it removed.
 */
static void expect_stopped_line(const char *err, const char *out,
				const char *why)
{
	char want[4400];
	const char *last;

	snprintf(want, sizeof(want),
		 "chbench bench: %s; nothing was published: the partial results directory %s/.partial-",
		 why, out);
	last = strstr(err, want);
	/* one line, the last */
	if (!last || strchr(last, '\n') != last + strlen(last) - 1 ||
	    strcmp(last + strlen(last) - 13, " was removed\n"))
		fail_msg("no last line \"%s... was removed\" in:\n%s", want,
			 err);
}

static void a_signal_during_bench_removes_the_partial_directory(
	void **state)
{
	static const int sigs[] = { SIGINT, SIGTERM };
	static const char *const why[] = {
		"interrupted (SIGINT)", "terminated (SIGTERM)",
	};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		char out[4200], *err;
		char *argv[] = { (char *)ch_chbench(), "bench", "--out", out,
				 "--benchmark_filter=mixed/zap", NULL };
		sigset_t def;
		FILE *ef;
		pid_t pid;
		int st;

		snprintf(out, sizeof(out), "%s/sig%zu", tmpdir, i);
		sigemptyset(&def);
		sigaddset(&def, sigs[i]);
		pid = spawn_bench(argv, -1, &ef, &def);
		wait_for_partial(out);
		usleep(200000);
		kill(pid, sigs[i]);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		/* it dies of the signal (a shell's 130 for SIGINT)... */
		assert_true(WIFSIGNALED(st));
		assert_int_equal(WTERMSIG(st), sigs[i]);
		/* ... leaves nothing, and says so */
		assert_int_equal(count_entries(out, ""), 0);
		err = ch_slurp(ef);
		expect_stopped_line(err, out, why[i]);
		free(err);
	}
}

/*
 * bench | head: the reader goes before the table is written. Dying of
 * SIGPIPE, or told EPIPE where SIGPIPE is ignored, the run leaves no
 * partial directory and says why.
 */
static void bench_into_a_closed_pipe_leaves_nothing(void **state)
{
	char out[4200], *err;
	char *argv[] = { (char *)ch_chbench(), "bench", "--quick", "--out",
			 out, FILTER, NULL };
	int fd[2], st, ign;
	sigset_t def;
	FILE *ef;
	pid_t pid;

	(void)state;
	snprintf(out, sizeof(out), "%s/pipe", tmpdir);
	for (ign = 0; ign < 2; ign++) {
		assert_int_equal(pipe(fd), 0);
		close(fd[0]);
		sigemptyset(&def);
		if (!ign)
			sigaddset(&def, SIGPIPE);
		/* ignored here, ignored in the child (as some parents do) */
		signal(SIGPIPE, ign ? SIG_IGN : SIG_DFL);
		pid = spawn_bench(argv, fd[1], &ef, &def);
		signal(SIGPIPE, SIG_DFL);
		close(fd[1]);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		err = ch_slurp(ef);
		if (ign) {
			assert_true(WIFEXITED(st));
			assert_int_equal(WEXITSTATUS(st), 1);
		} else {
			assert_true(WIFSIGNALED(st));
			assert_int_equal(WTERMSIG(st), SIGPIPE);
		}
		/* no partial directory left, and the one line says why */
		assert_int_equal(count_entries(out, ""), 0);
		expect_stopped_line(err, out, ign ?
				    "its output was closed (EPIPE)" :
				    "its output was closed (SIGPIPE)");
		free(err);
	}
}

/* Under nohup SIGHUP is ignored: it stays so, and the run completes. */
static void a_signal_ignored_on_entry_stays_ignored(void **state)
{
	char out[4200], *err;
	char *argv[] = { (char *)ch_chbench(), "bench", "--quick", "--out",
			 out, "--benchmark_filter=mixed/zap", NULL };
	sigset_t def;
	FILE *ef;
	pid_t pid;
	int st;

	(void)state;
	snprintf(out, sizeof(out), "%s/nohup", tmpdir);
	sigemptyset(&def);
	signal(SIGHUP, SIG_IGN);
	pid = spawn_bench(argv, -1, &ef, &def);
	signal(SIGHUP, SIG_DFL);
	wait_for_partial(out);
	kill(pid, SIGHUP);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	err = ch_slurp(ef);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fail_msg("bench under nohup: status %#x:\n%s", st, err);
	ch_expect_not_in("stderr", err, "nothing was published");
	assert_int_equal(count_entries(out, ".partial-"), 0);
	assert_int_equal(count_entries(out, ""), 1);
	free(err);
}

static void a_partial_left_by_sigkill_is_named_with_its_removal(
	void **state)
{
	char stale[4200], want[9000];
	pid_t dead = fork();
	struct ch_run r;

	(void)state;
	assert_true(dead >= 0);
	if (!dead)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	snprintf(stale, sizeof(stale), "%s/.partial-2026-01-01-host-%ld",
		 tmpdir, (long)dead);
	assert_int_equal(mkdir(stale, 0777), 0);
	r = ch_spawn("bench", "--quick", "--out", tmpdir, FILTER,
		     "--benchmark_repetitions=1", NULL);
	ch_expect_status(&r, "bench", 0);
	snprintf(want, sizeof(want),
		 "chbench: note: %s is left from a run that was killed (pid %ld is gone); remove it with: rm -r '%s'\n",
		 stale, (long)dead, stale);
	ch_expect_in("stderr", r.err, want);
	assert_int_equal(rmdir(stale), 0);
	ch_run_free(&r);
}

static void list_tests_lists_and_writes_nothing(void **state)
{
	char out[4200];
	struct ch_run r;

	(void)state;
	snprintf(out, sizeof(out), "%s/list", tmpdir);
	r = ch_spawn("bench", "--out", out, "--benchmark_list_tests",
		     FILTER, NULL);
	assert_int_equal(r.status, 0);
	ch_expect_in("stdout", r.out,
		     "walk/pointer/as-compiled/none/order0/random/mem:64M");
	ch_expect_not_in("stdout", r.out, "results: ");
	assert_int_equal(access(out, F_OK), -1);
	ch_run_free(&r);
}

static void without_objdump_bench_warns_that_code_shapes_are_missing(
	void **state)
{
	struct ch_run r;

	(void)state;
	setenv("CHBENCH_OBJDUMP", "/nonexistent/objdump", 1);
	r = ch_spawn("bench", "--quick", "--out", tmpdir, FILTER,
		     "--benchmark_repetitions=1", NULL);
	unsetenv("CHBENCH_OBJDUMP");
	ch_expect_status(&r, "bench", 0);
	ch_expect_each_in("stderr", r.err, "chbench: warning: ",
			  "metadata.json records no instruction counts (disasm.valid false)");
	ch_run_free(&r);
}

/*
 * sh -c @body in a mount namespace of our own (unshare -rm), with a tmpfs
 * of @size mounted on @dir, made first; the test is skipped where there
 * is no namespace to make or no tmpfs to mount in it.
 */
static struct ch_run on_tmpfs(const char *dir, const char *size,
			      const char *body)
{
	char *script;
	const char *argv[] = { "unshare", "-rm", "sh", "-c", NULL, NULL };
	struct ch_run r;

	assert_int_equal(mkdir(dir, 0777), 0);
	assert_true(asprintf(&script,
			     "mount -t tmpfs -o size=%s none '%s' || exit 77; %s",
			     size, dir, body) > 0);
	argv[4] = script;
	r = ch_spawnv(argv);
	free(script);
	if (r.status == 77 || (r.status == 1 && strstr(r.err, "unshare"))) {
		print_message("# skip: no user namespace to mount a tmpfs in: %s",
			      r.err);
		ch_run_free(&r);
		skip();
	}
	return r;
}

/*
 * A 64 KiB tmpfs, in a mount namespace of our own (unshare -rm): the run
 * is refused before any work, saying ENOSPC, and writes nothing.
 */
static void a_results_disk_too_small_is_refused_before_the_run(void **state)
{
	char script[9000], out[4200];
	struct ch_run r;

	(void)state;
	snprintf(out, sizeof(out), "%s/tiny", tmpdir);
	snprintf(script, sizeof(script), "exec '%s' bench --quick --out '%s'",
		 ch_chbench(), out);
	r = on_tmpfs(out, "64k", script);
	ch_expect_in("stderr", r.err, "(ENOSPC ahead)");
	ch_expect_usage_error(&r, "bench on a 64 KiB disk",
			      "but this run writes about");
	assert_int_equal(count_entries(out, ""), 0);
}

/*
 * The disk fills while bench runs (a 1 MiB tmpfs, filled once the run has
 * passed its space check): the run still prints its table, says ENOSPC,
 * exits 1 and leaves no partial directory.
 */
static void a_disk_that_fills_during_the_run_still_shows_the_table(
	void **state)
{
	char script[32768], out[4200];
	struct ch_run r;

	(void)state;
	snprintf(out, sizeof(out), "%s/fills", tmpdir);
	snprintf(script, sizeof(script),
		 "'%s' bench --quick --out '%s' '%s' & pid=$!; "
		 "while ! ls -d '%s'/.partial-* >/dev/null 2>&1; do sleep 0.01; done; "
		 "dd if=/dev/zero of='%s/fill' bs=4k 2>/dev/null; "
		 "wait $pid; rc=$?; rm '%s/fill'; "
		 "echo partials: $(ls -A '%s' | grep -c '^[.]partial-'); exit $rc",
		 ch_chbench(), out, FILTER, out, out, out, out);
	r = on_tmpfs(out, "1m", script);
	assert_int_equal(r.status, 1);
	ch_expect_in("stdout", r.out, "pointer @ none");
	ch_expect_in("stderr", r.err,
		     "No space left on device (ENOSPC: the disk is full)");
	ch_expect_in("stderr", r.err, "bench: nothing written under");
	ch_expect_not_in("stdout", r.out, "results: ");
	ch_expect_in("stdout", r.out, "partials: 0\n");
	ch_run_free(&r);
}

static void bench_runs_each_case_on_instances_and_keeps_both_levels(
	void **state)
{
	struct ch_run r;
	char *dir = ch_spawn_results(&r, "bench", "--quick", "--quiet",
				     "--out", tmpdir, FILTER, "--instances",
				     "3", "--reps-per-instance", "2", NULL);
	char *json = ch_read_in(dir, "bench.json");
	char *meta = ch_read_in(dir, "metadata.json");
	char *table = ch_read_in(dir, "table.txt");

	(void)state;
	/* each repetition with its instance, each instance's aggregates */
	ch_expect_each_in("bench.json", json, "\"instance\": 2.0",
			  "\"repetitions\": 2,", "\"aggregate_name\": \"cv\"");
	ch_expect_not_in("bench.json", json, "\"instance\": 3.0");
	ch_expect_each_in("metadata.json", meta, "\"instances\": 3,",
			  "\"reps_per_instance\": 2,", "\"reseed\": false,",
			  "{\"name\": \"walk/pointer/as-compiled/none/order0/random/mem:64M\", \"instance_ns_per_op\": [",
			  "\"between_cv\": ",
			  /* filtered out: no control, and metadata says so */
			  "\"control\": null,");
	ch_expect_not_in("metadata.json", meta, "\"within_cv\": null");
	ch_expect_in("table.txt", table, "ns/op  inst%   rep%   -floor");
	ch_expect_not_in("table.txt", table, "Noise floor");
	free(json);
	free(meta);
	free(table);
	free(dir);
	ch_run_free(&r);
}

static void every_bench_runs_the_aa_control_and_prints_the_noise_floor(
	void **state)
{
	struct ch_run r;
	char *dir = ch_spawn_results(&r, "bench", "--quick", "--quiet",
				     "--out", tmpdir,
				     "--benchmark_filter=/arm:", NULL);
	char *meta = ch_read_in(dir, "metadata.json");
	char *table = ch_read_in(dir, "table.txt");

	(void)state;
	ch_expect_in("metadata.json", meta,
		     "\"control\": {\"a\": \"walk/pointer/as-compiled/none/order0/random/mem:4G/arm:a\", \"b\": \"walk/pointer/as-compiled/none/order0/random/mem:4G/arm:b\"}");
	ch_expect_each_in("table.txt", table, "pointer @ none arm:a",
			  "pointer @ none arm:b",
			  "Noise floor of this run: the A/A control",
			  "geometric means over instances: arm a ",
			  " confidence\n  (Welch's t on the log values, 3 vs 3 instances, p ");
	ch_expect_in("stdout", r.out, "Noise floor of this run");
	free(meta);
	free(table);
	free(dir);
	ch_run_free(&r);
}

static void progress_goes_to_stderr_and_quiet_turns_it_off(void **state)
{
	struct ch_run r = ch_spawn("bench", "--quick", "--out", tmpdir,
				   FILTER, NULL);
	struct ch_run q;

	(void)state;
	assert_int_equal(r.status, 0);
	/* not a terminal: a plain line at the end (and every 5 s) */
	ch_expect_in("stderr", r.err, "chbench bench: 6 of 6 done, ");
	ch_expect_not_in("stdout", r.out, "chbench bench:");
	ch_expect_not_in("stderr", r.err, "\r");
	q = ch_spawn("bench", "--quick", "--quiet", "--out", tmpdir, FILTER,
		     NULL);
	assert_int_equal(q.status, 0);
	ch_expect_not_in("stderr", q.err, "chbench bench:");
	/* the same table either way */
	ch_expect_in("stdout", q.out, "floor @ none");
	ch_run_free(&r);
	ch_run_free(&q);
}

/* The work is what the filter selects, not the suite: 1 case x 2 */
static void progress_counts_only_the_cases_the_filter_selects(void **state)
{
	struct ch_run r = ch_spawn("bench", "--quick", "--instances", "2",
				   "--out", tmpdir,
				   "--benchmark_filter=^walk/pointer/as-compiled/none/order0/random/mem:64M/",
				   NULL);

	(void)state;
	ch_expect_status(&r, "bench --benchmark_filter", 0);
	ch_expect_in("stderr", r.err, "chbench bench: 2 of 2 done, ");
	ch_run_free(&r);
}

static void run_times_every_pass_of_every_instance(void **state)
{
	struct ch_run r = ch_spawn("run", "--variant", "pointer", "--mem",
				   "64M", "--ops", "1000", "--instances", "3",
				   "--reps-per-instance", "2", "--json", NULL);
	const char *p;
	int n = 0;

	(void)state;
	assert_int_equal(r.status, 0);
	ch_expect_in("run --json", r.out, "\"ops\": 6000, \"ops_per_pass\": 1000");
	ch_expect_in("run --json", r.out,
		     "\"instances\": 3, \"reps_per_instance\": 2, \"reseed\": false");
	ch_expect_in("run --json", r.out, "\"between_cv\": ");
	p = strstr(r.out, "\"instance_ns_per_op\": [[");
	assert_non_null(p);
	/* three instances of two passes: [[a, b], [c, d], [e, f]] */
	for (; *p != ']' || p[1] != ']'; p++)
		n += *p == ',';
	assert_int_equal(n, 5);
	ch_run_free(&r);
}

static void reseed_gives_each_instance_a_seed_of_its_own(void **state)
{
	struct ch_run b;
	char *dir = ch_spawn_results(&b, "bench", "--quick", "--quiet",
				     "--out", tmpdir, FILTER, "--instances",
				     "2", "--reseed", "--seed", "7", NULL);
	char *meta = ch_read_in(dir, "metadata.json");
	struct ch_run r = ch_spawn("run", "--variant", "pointer", "--mem",
				   "64M", "--ops", "1000", "--instances", "2",
				   "--reseed", "--seed", "7", "--json", NULL);

	(void)state;
	ch_expect_each_in("metadata.json", meta, "\"instances\": 2,",
			  "\"reseed\": true,",
			  /* the seed recorded is the one given: k had 7 + k */
			  "\"seed\": 7,");
	assert_int_equal(r.status, 0);
	ch_expect_each_in("run --json", r.out, "\"seed\": 7,",
			  "\"reseed\": true");
	free(meta);
	free(dir);
	ch_run_free(&b);
	ch_run_free(&r);
}

static void aa_prints_the_false_claim_rate(void **state)
{
	struct ch_run r = ch_spawn("aa", "--quick", "--quiet", "--pairs", "2",
				   "--out", tmpdir, NULL);

	(void)state;
	ch_expect_status(&r, "aa", 0);
	ch_expect_each_in("stdout", r.out,
			  "A/A pairs: arm b against arm a, 3 instances x 1 repetition each",
			  "walk/pointer/as-compiled/none/order0/random/mem:64M ",
			  "false-claim rate: ", "% (",
			  " of 2 A/A pairs claimed different, as a report claims: Welch's t on the log values over instances, then Benjamini-Hochberg over the 2;",
			  "per comparison, before Benjamini-Hochberg: ",
			  " of 2 A/A pairs whose 95.0% interval excludes zero");
	ch_run_free(&r);
}

static void instance_options_reject_bad_values_with_one_line(void **state)
{
	static const char *const bad[][4] = {
		{ "bench", "--instances", "0", "from 1 to 64" },
		{ "bench", "--instances", "65", "from 1 to 64" },
		{ "bench", "--reps-per-instance", "x", "from 1 to 1000" },
		{ "run", "--instances", "-1", "from 1 to 64" },
		{ "aa", "--pairs", "0", "from 1 to 10000" },
		{ "sim", "--instances", "2", "'--instances' does not apply" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ch_run r = ch_spawn(bad[i][0], "--variant", "pointer",
					   bad[i][1], bad[i][2], NULL);

		if (!strcmp(bad[i][0], "bench") || !strcmp(bad[i][0], "aa")) {
			ch_run_free(&r);
			r = ch_spawn(bad[i][0], "--out", tmpdir, bad[i][1],
				     bad[i][2], NULL);
		}
		if (r.status != 2 || ch_count_lines(r.err) != 1 ||
		    !strstr(r.err, bad[i][3]))
			fail_msg("%s %s %s: status %d, stderr:\n%s(want 2 and one line with \"%s\")",
				 bad[i][0], bad[i][1], bad[i][2], r.status,
				 r.err, bad[i][3]);
		ch_run_free(&r);
	}
}

/*
 * The suite's size from the registry: every mix, memmap, walk and shape
 * of vmemmap/suite.h for each suite pair, and the A/A control's two
 * arms. Any variant added to variants-def.h moves it; the list, aa and
 * the filter's message must move with it.
 */
static void suite_counts_follow_the_registry(void **state)
{
	struct ch_suite_pair pairs[CH_MAX_SUITE_PAIRS];
	int suite = CH_SUITE_NR_MIXES * CH_SUITE_NR_MEMS * CH_NR_WALKS *
		    CH_NR_SHAPES * ch_suite_pairs(pairs);
	struct ch_run r = ch_spawn("bench", "--benchmark_list_tests", NULL);
	char want[128], pairs_arg[32];
	const char *p;
	int arms = 0;

	(void)state;
	assert_int_equal(r.status, 0);
	for (p = r.out; (p = strstr(p, "/arm:")); p++)
		arms++;
	assert_int_equal(arms, 2);
	assert_int_equal(ch_count_lines(r.out), suite + arms);
	ch_run_free(&r);

	r = ch_spawn("bench", "--out", tmpdir, "--benchmark_filter=nomatch",
		     NULL);
	snprintf(want, sizeof(want), "matches none of the %d cases",
		 suite + arms);
	ch_expect_usage_error(&r, "bench --benchmark_filter=nomatch", want);

	/* aa pairs the suite's cases: one more than it has is refused */
	snprintf(pairs_arg, sizeof(pairs_arg), "%d", suite + 1);
	r = ch_spawn("aa", "--out", tmpdir, "--pairs", pairs_arg, NULL);
	snprintf(want, sizeof(want), "the default suite has %d cases", suite);
	ch_expect_usage_error(&r, "aa --pairs SUITE+1", want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(run_json_has_every_parameter_and_null_for_absent_counters),
		cmocka_unit_test(suite_counts_follow_the_registry),
		cmocka_unit_test(run_prints_ops_and_na_for_absent_counters),
		cmocka_unit_test(run_refuses_a_variant_where_it_is_wrong),
		cmocka_unit_test(run_rejects_bad_input_with_one_line),
		cmocka_unit_test(bench_writes_a_complete_results_directory),
		cmocka_unit_test(a_second_bench_never_overwrites_the_first),
		cmocka_unit_test(benchmark_out_and_format_pass_through),
		cmocka_unit_test(bench_rejects_bad_flags_and_leaves_nothing_behind),
		cmocka_unit_test(a_signal_during_bench_removes_the_partial_directory),
		cmocka_unit_test(bench_into_a_closed_pipe_leaves_nothing),
		cmocka_unit_test(a_signal_ignored_on_entry_stays_ignored),
		cmocka_unit_test(a_partial_left_by_sigkill_is_named_with_its_removal),
		cmocka_unit_test(list_tests_lists_and_writes_nothing),
		cmocka_unit_test(without_objdump_bench_warns_that_code_shapes_are_missing),
		cmocka_unit_test(a_results_disk_too_small_is_refused_before_the_run),
		cmocka_unit_test(a_disk_that_fills_during_the_run_still_shows_the_table),
		cmocka_unit_test(bench_runs_each_case_on_instances_and_keeps_both_levels),
		cmocka_unit_test(every_bench_runs_the_aa_control_and_prints_the_noise_floor),
		cmocka_unit_test(progress_goes_to_stderr_and_quiet_turns_it_off),
		cmocka_unit_test(progress_counts_only_the_cases_the_filter_selects),
		cmocka_unit_test(run_times_every_pass_of_every_instance),
		cmocka_unit_test(reseed_gives_each_instance_a_seed_of_its_own),
		cmocka_unit_test(aa_prints_the_false_claim_rate),
		cmocka_unit_test(instance_options_reject_bad_values_with_one_line),
	};

	return cmocka_run_group_tests_name("bench", tests, setup, teardown);
}

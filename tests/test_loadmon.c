// SPDX-License-Identifier: GPL-2.0
/*
 * The load check of bench/loadmon.c: its verdict on rounds made up
 * here, its reading of a fake /proc, and a bench run from the outside
 * with a busy loop on its CPU (flagged), on a faked quiet machine (not
 * flagged: this VM is shared, so a quiet real one cannot be counted on)
 * and on a faked machine whose hypervisor steals (flagged).
 */
#ifndef _GNU_SOURCE		/* the Makefile defines it too */
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/loadmon.h"
#include "tests/spawn.h"
#include "tests/sysroot.h"
#include "tests/tmpdir.h"

/*
 * One case, its rounds long enough (0.3 s at least) that /proc/stat's
 * ticks are a small part of them: about 3 s for three instances.
 */
#define FILTER	"--benchmark_filter=^walk/pointer/as-compiled/none/order0/random/mem:64M/"
#define MIN_TIME "--benchmark_min_time=0.3"

static char tmpdir[] = "/tmp/chbench-test-loadmon-XXXXXX";

static int setup(void **state)
{
	char lock[sizeof(tmpdir) + 16];

	(void)state;
	if (ch_tmpdir_make(tmpdir))
		return -1;
	/* our bench runs lock among themselves, not the machine */
	snprintf(lock, sizeof(lock), "%s/lock", tmpdir);
	return setenv("CHBENCH_LOCK", lock, 1);
}

static int teardown(void **state)
{
	(void)state;
	unsetenv("CHBENCH_LOCK");
	return ch_rm_tree(tmpdir);
}

/* A fake root in tmpdir, which teardown removes even after a failure. */
static char *new_root(void)
{
	char tmpl[sizeof(tmpdir) + 16];

	snprintf(tmpl, sizeof(tmpl), "%s/rootXXXXXX", tmpdir);
	return ch_sysroot_new(tmpl);
}

/* A pinned round of @wall s: our @own s, @busy and @steal ticks at 100 Hz */
static struct ch_load_round pinned_round(double wall, double own,
					 long long busy, long long steal)
{
	struct ch_load_round r = {
		.before = { .wall = 10, .own = 1, .busy = 1000, .steal = 50,
			    .ncpus = 1, .loadavg = 0.5, .running = 1 },
	};

	r.after = r.before;
	r.after.wall += wall;
	r.after.own += own;
	r.after.busy += busy;
	r.after.steal += steal;
	return r;
}

static void a_cpu_busy_only_with_us_is_not_flagged(void **state)
{
	struct ch_load_round r = pinned_round(2.0, 1.95, 195, 0);

	(void)state;
	ch_load_judge(&r, 1, 100);
	assert_false(r.flagged);
	assert_true(r.foreign >= 0 && r.foreign < 0.01);
	assert_string_equal(r.why, "");
}

static void other_tasks_on_the_cpu_flag_the_round(void **state)
{
	/* busy all 2 s, ours 1 s: (2 - 1 - 0.02) / 2 = 49% */
	struct ch_load_round r = pinned_round(2.0, 1.0, 200, 0);

	(void)state;
	ch_load_judge(&r, 1, 100);
	assert_true(r.flagged);
	assert_true(r.foreign > 0.48 && r.foreign < 0.50);
	ch_expect_in("why", r.why, "other tasks kept CPU 1 busy 49% of the "
		     "round (limit 10%)");
}

static void the_limit_is_ten_percent_beyond_two_ticks(void **state)
{
	/* 4 s: foreign (0.42 - 0.02) / 4 = 10.0%, not over; then 10.5% */
	struct ch_load_round r = pinned_round(4.0, 3.58, 400, 0);
	struct ch_load_round s = pinned_round(4.0, 3.56, 400, 0);

	(void)state;
	ch_load_judge(&r, 1, 100);
	ch_load_judge(&s, 1, 100);
	assert_false(r.flagged);
	assert_true(s.flagged);
}

static void a_short_round_is_granted_the_ticks_rounding(void **state)
{
	/* 0.1 s, 11 ticks busy, 0.09 s ours: one tick more is rounding */
	struct ch_load_round r = pinned_round(0.1, 0.09, 11, 0);

	(void)state;
	ch_load_judge(&r, 1, 100);
	assert_false(r.flagged);
	assert_true(r.foreign == 0);
}

static void steal_flags_the_round(void **state)
{
	/* 20 ticks stolen of 2 s: (0.2 - 0.02) / 2 = 9% */
	struct ch_load_round r = pinned_round(2.0, 1.8, 180, 20);

	(void)state;
	ch_load_judge(&r, 0, 100);
	assert_true(r.flagged);
	assert_true(r.steal > 0.08 && r.steal < 0.10);
	ch_expect_in("why", r.why,
		     "the hypervisor stole 9% of CPU 0's time (limit 5%)");
	ch_expect_not_in("why", r.why, "other tasks");
}

static void without_a_pin_all_cpus_count(void **state)
{
	/* 2 CPUs, 2 s: 300 ticks busy, ours 1 s: (3 - 1 - 0.04) / 4 = 49% */
	struct ch_load_round r = pinned_round(2.0, 1.0, 300, 0);

	(void)state;
	r.before.ncpus = r.after.ncpus = 2;
	ch_load_judge(&r, -1, 100);
	assert_true(r.flagged);
	ch_expect_in("why", r.why, "other tasks kept the 2 CPUs busy 49%");
}

static void an_unreadable_proc_stat_is_unknown_not_quiet(void **state)
{
	struct ch_loadmon lm;
	json_t *j;
	char *s;

	(void)state;
	ch_loadmon_init(&lm, 1);
	lm.round[0] = pinned_round(1.0, 1.0, 100, 0);
	lm.round[0].before.busy = lm.round[0].after.busy = -1;
	ch_load_judge(&lm.round[0], 1, 100);
	lm.nr = 1;
	assert_false(lm.round[0].flagged);
	j = ch_loadmon_json(&lm);
	s = json_dumps(j, JSON_COMPACT);
	ch_expect_in("load", s, "\"foreign\":null");
	ch_expect_in("load", s, "\"note\":\"/proc/stat could not be read");
	free(s);
	json_decref(j);
}

#define PROC_STAT(busy1, steal1)					\
	"cpu  1000 10 500 9000 40 5 6 " #steal1 " 0 0\n"		\
	"cpu0 400 5 200 4000 20 2 3 0 0 0\n"				\
	"cpu1 " #busy1 " 5 300 5000 20 3 3 " #steal1 " 0 0\n"		\
	"intr 12345"

/* A /proc/stat with an intr line longer than any line buffer. */
static void write_proc_stat(const char *root, const char *head)
{
	char *text = malloc(8192);
	size_t n;

	assert_non_null(text);
	n = snprintf(text, 8192, "%s", head);
	while (n < 4000)
		n += snprintf(text + n, 8192 - n, " 0 1 cpu9 2");
	snprintf(text + n, 8192 - n,
		 "\nctxt 99\nprocs_running 3\nprocs_blocked 0\n");
	ch_sysroot_write(root, "proc/stat", text);
	free(text);
}

static void proc_stat_and_loadavg_are_read_through_the_sysroot(void **state)
{
	char *root = new_root();
	struct ch_load_sample s;

	(void)state;
	write_proc_stat(root, PROC_STAT(600, 7));
	ch_sysroot_write(root, "proc/loadavg", "1.25 0.80 0.40 2/99 1234\n");
	setenv("CHBENCH_SYSROOT", root, 1);
	ch_load_sample(&s, 1);
	/* cpu1: user 600 nice 5 system 300 irq 3 softirq 3 */
	assert_int_equal(s.busy, 911);
	assert_int_equal(s.steal, 7);
	assert_int_equal(s.ncpus, 1);
	assert_int_equal(s.running, 3);
	assert_true(s.loadavg == 1.25);
	ch_load_sample(&s, -1);
	assert_int_equal(s.busy, 1000 + 10 + 500 + 5 + 6);
	assert_int_equal(s.ncpus, 2);
	/* a CPU without a line: unknown, never 0 */
	ch_load_sample(&s, 5);
	assert_true(s.busy < 0);
	unsetenv("CHBENCH_SYSROOT");
	assert_int_equal(ch_sysroot_drop(root), 0);
}

/* A fake /proc/stat with @cpu's line: @busy and @steal ticks. */
static void fake_stat(const char *root, const char *name, int cpu,
		      long long busy, long long steal)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "cpu  %lld 0 0 9000 0 0 0 %lld 0 0\n"
		 "cpu%d %lld 0 0 9000 0 0 0 %lld 0 0\n"
		 "procs_running 2\n", busy, steal, cpu, busy, steal);
	ch_sysroot_write(root, name, text);
}

/* The last CPU this process may run on, as bench's default. */
static int last_cpu(void)
{
	cpu_set_t set;
	int i;

	assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
	for (i = CPU_SETSIZE - 1; i > 0; i--)
		if (CPU_ISSET(i, &set))
			return i;
	return 0;
}

/* A child spinning on @cpu until killed (or a minute has passed). */
static pid_t busy_loop(int cpu)
{
	pid_t pid = fork();
	cpu_set_t set;

	assert_true(pid >= 0);
	if (pid)
		return pid;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		_exit(1);
	alarm(60);
	for (;;)
		__asm__ volatile("" ::: "memory");
}

/* metadata.json's "load" of the run @r published. */
static json_t *run_load(const struct ch_run *r)
{
	char *dir = ch_results_dir(r), path[4200];
	json_error_t e;
	json_t *meta, *load;

	snprintf(path, sizeof(path), "%s/metadata.json", dir);
	free(dir);
	meta = json_load_file(path, 0, &e);
	if (!meta)
		fail_msg("%s: %s", path, e.text);
	load = json_incref(json_object_get(meta, "load"));
	json_decref(meta);
	if (!json_is_object(load))
		fail_msg("%s has no load object", path);
	return load;
}

/*
 * The report.txt that scripts/report writes for the run @r published
 * (with CHBENCH, as make report runs it); free it.
 */
static char *run_report(const struct ch_run *r)
{
	char *dir = ch_results_dir(r), *text;
	struct ch_run rep;

	setenv("CHBENCH", ch_chbench(), 1);
	/* its one case is its baseline */
	rep = ch_spawn_prog("scripts/report", "--no-plots", "--no-measure",
			    "--baseline", "pointer@none", dir, NULL);
	if (rep.status)
		fail_msg("scripts/report %s exited %d: %s", dir, rep.status,
			 rep.err);
	text = ch_read_in(dir, "report.txt");
	ch_run_free(&rep);
	free(dir);
	return text;
}

/* bench --quick, one case, on @cpu */
static struct ch_run bench_on(int cpu)
{
	char c[16];

	snprintf(c, sizeof(c), "%d", cpu);
	return ch_spawn("bench", "--quick", "--quiet", "--cpu", c, "--out",
			tmpdir, FILTER, MIN_TIME, NULL);
}

/* @s line by line, as TAP comments under @title */
static void print_hashed(const char *title, const char *s)
{
	size_t n;

	printf("# %s\n", title);
	for (; *s; s += n + (s[n] == '\n')) {
		n = strcspn(s, "\n");
		printf("#   %.*s\n", (int)n, s);
	}
}

/* The Load line of a report's header, up to the next field (static). */
static const char *header_load(const char *report)
{
	static char buf[1024];
	const char *p = strstr(report, "\nLoad "), *end;

	if (!p)
		return "(none)";
	for (end = p + 1; (end = strchr(end, '\n')) && end[1] == ' '; end++)
		;
	snprintf(buf, sizeof(buf), "%.*s", (int)(end ? end - p - 1 :
						  (long)strlen(p + 1)), p + 1);
	return buf;
}

/* What the contamination test saw: its stderr and its verdict. */
static void show(const struct ch_run *r, json_t *load)
{
	char *s = json_dumps(load, JSON_INDENT(1) | CH_JSON_FLAGS);

	print_hashed("a busy loop on the pinned CPU: stderr", r->err);
	print_hashed("a busy loop on the pinned CPU: metadata.json's load", s);
	free(s);
}

static void a_busy_loop_on_the_pinned_cpu_is_flagged(void **state)
{
	int cpu = last_cpu();
	pid_t busy = busy_loop(cpu);
	struct ch_run r = bench_on(cpu);
	json_t *load, *rounds;
	char want[160], *text;
	size_t i;

	(void)state;
	kill(busy, SIGKILL);
	waitpid(busy, NULL, 0);
	ch_expect_status(&r, "bench beside a busy loop", 0);
	load = run_load(&r);
	show(&r, load);
	snprintf(want, sizeof(want), "other tasks kept CPU %d busy", cpu);
	ch_expect_in("stderr", r.err, "ran under foreign load: ");
	ch_expect_in("stderr", r.err, want);
	ch_expect_in("stderr", r.err, "its timings are suspect");
	assert_true(json_is_true(json_object_get(load, "flagged")));
	assert_int_equal(json_integer_value(json_object_get(load, "cpu")),
			 cpu);
	rounds = json_object_get(load, "instances");
	assert_int_equal(json_array_size(rounds), 3);
	/* the loop takes half the CPU: every round, far over the limit */
	for (i = 0; i < json_array_size(rounds); i++) {
		json_t *k = json_array_get(rounds, i);

		assert_true(json_is_true(json_object_get(k, "flagged")));
		assert_true(json_real_value(json_object_get(k, "foreign")) >
			    0.25);
	}
	assert_int_equal(json_array_size(json_object_get(load,
					 "flagged_instances")), 3);
	/* the report's header flags it */
	text = run_report(&r);
	print_hashed("a busy loop on the pinned CPU: report.txt's Load line",
		     header_load(text));
	snprintf(want, sizeof(want), "\nLoad          FLAGGED: 3 of 3 instances ran under foreign load: other tasks\n              kept CPU %d busy up to ", cpu);
	ch_expect_in("report.txt", text, want);
	free(text);
	json_decref(load);
	ch_run_free(&r);
}

static void a_quiet_machine_is_not_flagged(void **state)
{
	char *root = new_root();
	struct ch_run r;
	json_t *load, *k;
	char *text;
	size_t i;

	(void)state;
	/* a faked one: this VM's own CPUs are shared with other jobs */
	fake_stat(root, "proc/stat", last_cpu(), 600, 7);
	ch_sysroot_write(root, "proc/loadavg", "0.05 0.10 0.10 1/99 1234\n");
	setenv("CHBENCH_SYSROOT", root, 1);
	r = bench_on(last_cpu());
	unsetenv("CHBENCH_SYSROOT");
	ch_expect_status(&r, "bench on a quiet machine", 0);
	load = run_load(&r);
	ch_expect_not_in("stderr", r.err, "foreign load");
	assert_true(json_is_false(json_object_get(load, "flagged")));
	assert_int_equal(json_array_size(json_object_get(load, "instances")),
			 3);
	json_array_foreach(json_object_get(load, "instances"), i, k) {
		assert_true(json_is_false(json_object_get(k, "flagged")));
		assert_true(json_real_value(json_object_get(k, "foreign")) ==
			    0);
		assert_true(json_is_null(json_object_get(k, "why")));
		assert_true(json_real_value(json_array_get(
				json_object_get(k, "loadavg"), 0)) == 0.05);
	}
	text = run_report(&r);
	ch_expect_in("report.txt", text, "\nLoad          quiet: other tasks kept CPU ");
	ch_expect_not_in("report.txt", text, "FLAGGED");
	free(text);
	json_decref(load);
	ch_run_free(&r);
	assert_int_equal(ch_sysroot_drop(root), 0);
}

/* A fake /proc/stat whose pinned CPU's steal grows 30 ticks a second. */
struct stealer {
	const char *root;
	int cpu;
	atomic_bool stop;
};

static void *steal_ticks(void *arg)
{
	struct stealer *s = arg;
	char dst[4200], tmp[4200];
	long long steal = 0;

	snprintf(dst, sizeof(dst), "%s/proc/stat", s->root);
	snprintf(tmp, sizeof(tmp), "%s/proc/stat.new", s->root);
	while (!atomic_load(&s->stop)) {
		usleep(100000);
		steal += 3;
		/* whole files only: chbench reads it meanwhile */
		fake_stat(s->root, "proc/stat.new", s->cpu, 0, steal);
		rename(tmp, dst);
	}
	return NULL;
}

static void steal_on_a_faked_vm_is_flagged(void **state)
{
	char *root = new_root();
	struct stealer st = { .root = root, .cpu = last_cpu() };
	struct ch_run r;
	pthread_t t;
	json_t *load;

	(void)state;
	ch_sysroot_write(root, "proc/loadavg", "0.05 0.10 0.10 1/99 1234\n");
	fake_stat(root, "proc/stat", st.cpu, 0, 0);
	assert_int_equal(pthread_create(&t, NULL, steal_ticks, &st), 0);
	setenv("CHBENCH_SYSROOT", root, 1);
	r = bench_on(st.cpu);
	unsetenv("CHBENCH_SYSROOT");
	atomic_store(&st.stop, true);
	pthread_join(t, NULL);
	ch_expect_status(&r, "bench on a stealing VM", 0);
	load = run_load(&r);
	ch_expect_in("stderr", r.err,
		     "ran under foreign load: the hypervisor stole");
	assert_true(json_is_true(json_object_get(load, "flagged")));
	json_decref(load);
	ch_run_free(&r);
	assert_int_equal(ch_sysroot_drop(root), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_cpu_busy_only_with_us_is_not_flagged),
		cmocka_unit_test(other_tasks_on_the_cpu_flag_the_round),
		cmocka_unit_test(the_limit_is_ten_percent_beyond_two_ticks),
		cmocka_unit_test(a_short_round_is_granted_the_ticks_rounding),
		cmocka_unit_test(steal_flags_the_round),
		cmocka_unit_test(without_a_pin_all_cpus_count),
		cmocka_unit_test(an_unreadable_proc_stat_is_unknown_not_quiet),
		cmocka_unit_test(proc_stat_and_loadavg_are_read_through_the_sysroot),
		cmocka_unit_test(a_busy_loop_on_the_pinned_cpu_is_flagged),
		cmocka_unit_test(a_quiet_machine_is_not_flagged),
		cmocka_unit_test(steal_on_a_faked_vm_is_flagged),
	};

	return cmocka_run_group_tests_name("loadmon", tests, setup, teardown);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for bench/pmu.c against the real kernel: no mocks, so what they
 * show depends on the machine. Without a PMU (most VMs) hardware events
 * must come out absent and NaN; with one, ch_pmu_hw_available() says so
 * and the same tests demand real counts instead. Software events (perf's
 * own accounting) work everywhere and carry the counting checks.
 */
#ifndef _GNU_SOURCE		/* the Makefile defines it too */
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "bench/pmu.h"
#include "lib/sysfs.h"
#include "lib/util.h"
#include "tests/tmpdir.h"

static const char *const default_names[] = {
	"cycles", "instructions", "branches", "branch-misses",
	"L1-dcache-load-misses", "LLC-load-misses", "dTLB-load-misses",
};

static const char *const default_specs[] = {
	"perf::PERF_COUNT_HW_CPU_CYCLES",
	"perf::PERF_COUNT_HW_INSTRUCTIONS",
	"perf::PERF_COUNT_HW_BRANCH_INSTRUCTIONS",
	"perf::PERF_COUNT_HW_BRANCH_MISSES",
	"perf::PERF_COUNT_HW_CACHE_L1D:READ:MISS",
	"perf::PERF_COUNT_HW_CACHE_LL:READ:MISS",
	"perf::PERF_COUNT_HW_CACHE_DTLB:READ:MISS",
};

#define NR_DEFAULT	((int)ARRAY_SIZE(default_names))

/* Events that were opened (not absent). */
static int nr_present(const struct ch_pmu *pmu)
{
	int i, n = 0;

	for (i = 0; i < pmu->nr; i++)
		n += !pmu->ev[i].absent;
	return n;
}

/* Index of the event with display name @name, or -1. */
static int find_event(const struct ch_pmu *pmu, const char *name)
{
	int i;

	for (i = 0; i < pmu->nr; i++)
		if (!strcmp(pmu->ev[i].name, name))
			return i;
	return -1;
}

/* User-mode work the compiler cannot drop: @n dependent adds. */
static uint64_t work(uint64_t n)
{
	volatile uint64_t acc = 0;
	uint64_t i;

	for (i = 0; i < n; i++)
		acc += i ^ (acc >> 3);
	return acc;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void open_ok(struct ch_pmu *pmu, const char *events)
{
	char err[256] = "unset";
	int ret = ch_pmu_open(pmu, events, err, sizeof(err));

	if (ret)
		print_message("ch_pmu_open(\"%s\"): %s\n", events, err);
	assert_int_equal(ret, 0);
	assert_string_equal(err, "");
}

static void assert_one_line(const char *s)
{
	assert_null(strchr(s, '\n'));
}

static void default_events_keep_perf_names_and_pfm_strings(void **state)
{
	const char *lists[] = { NULL, "default", " default " };
	struct ch_pmu pmu;
	size_t l;
	int i;

	(void)state;
	for (l = 0; l < ARRAY_SIZE(lists); l++) {
		open_ok(&pmu, lists[l]);
		assert_int_equal(pmu.nr, NR_DEFAULT);
		for (i = 0; i < NR_DEFAULT; i++) {
			assert_string_equal(pmu.ev[i].name, default_names[i]);
			assert_string_equal(pmu.ev[i].spec, default_specs[i]);
		}
		ch_pmu_close(&pmu);
	}
}

static void default_events_follow_hw_probe_and_absent_read_nan(void **state)
{
	char probe_why[256] = "unset";
	bool hw = ch_pmu_hw_available(probe_why, sizeof(probe_why));
	struct ch_pmu pmu;
	int i, ins;

	(void)state;
	print_message("hw probe: %s%s\n", hw ? "PMU present" : "no PMU: ",
		      probe_why);
	assert_one_line(probe_why);

	open_ok(&pmu, NULL);
	ch_pmu_start(&pmu);
	work(2000000);
	ch_pmu_stop(&pmu);
	print_message("why: '%s'\n", pmu.why);
	assert_one_line(pmu.why);

	for (i = 0; i < pmu.nr; i++) {
		struct ch_pmu_event *ev = &pmu.ev[i];

		if (ev->absent) {
			/* the whole point: an absent counter is not a zero */
			assert_int_equal(ev->fd, -1);
			assert_true(isnan(ev->value));
			assert_true(isnan(ev->running_frac));
			assert_int_not_equal(ev->err, 0);
		} else {
			assert_true(ev->fd >= 0);
			assert_true(isfinite(ev->value) || ev->running == 0);
		}
	}
	if (nr_present(&pmu) < pmu.nr)
		assert_true(strlen(pmu.why) > 0);

	ins = find_event(&pmu, "instructions");
	assert_true(ins >= 0);
	if (hw) {
		assert_string_equal(probe_why, "");
		assert_false(pmu.ev[ins].absent);
		assert_true(isfinite(pmu.ev[ins].value));
		/* two million loop iterations are well over a million */
		assert_true(pmu.ev[ins].value > 1e6);
	} else {
		assert_true(strlen(probe_why) > 0);
		assert_int_equal(nr_present(&pmu), 0);
		for (i = 0; i < pmu.nr; i++)
			assert_true(pmu.ev[i].absent);
		assert_non_null(strstr(pmu.why, "n/a"));
		/* names the first failure, or the sysctl that forbids all */
		assert_true(strstr(pmu.why, "cycles") ||
			    strstr(pmu.why, "perf_event_paranoid"));
	}
	ch_pmu_close(&pmu);
}

static void task_clock_counts_work_with_full_running_frac(void **state)
{
	struct ch_pmu pmu;
	double t0, wall;

	(void)state;
	open_ok(&pmu, "perf::TASK-CLOCK");
	assert_int_equal(pmu.nr, 1);
	assert_int_equal(nr_present(&pmu), 1);
	assert_false(pmu.ev[0].absent);
	assert_true(pmu.ev[0].fd >= 0);
	assert_string_equal(pmu.ev[0].name, "perf::TASK-CLOCK");

	t0 = now_ns();
	ch_pmu_start(&pmu);
	work(5000000);
	ch_pmu_stop(&pmu);
	wall = now_ns() - t0;

	print_message("task-clock %.0f ns over %.0f ns wall, frac %.3f\n",
		      pmu.ev[0].value, wall, pmu.ev[0].running_frac);
	assert_true(isfinite(pmu.ev[0].value));
	assert_true(pmu.ev[0].value > 0);
	/* one thread cannot run longer than the wall clock around it */
	assert_true(pmu.ev[0].value <= wall);
	/* software events are never multiplexed */
	assert_true(pmu.ev[0].running_frac == 1.0);
	assert_string_equal(pmu.why, "");
	ch_pmu_close(&pmu);
	assert_int_equal(pmu.ev[0].fd, -1);
}

static void page_faults_count_every_freshly_touched_page(void **state)
{
	const size_t npages = 256;
	long psz = sysconf(_SC_PAGESIZE);
	struct ch_pmu pmu;
	volatile char *buf;
	size_t i;

	(void)state;
	buf = mmap(NULL, npages * psz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED);
	/* one huge page would mean one fault for the lot */
	madvise((void *)buf, npages * psz, MADV_NOHUGEPAGE);

	open_ok(&pmu, "page-faults");
	assert_string_equal(pmu.ev[0].spec, "perf::PERF_COUNT_SW_PAGE_FAULTS");
	ch_pmu_start(&pmu);
	for (i = 0; i < npages; i++)
		buf[i * psz] = 1;
	ch_pmu_stop(&pmu);

	print_message("page-faults %.0f for %zu pages\n", pmu.ev[0].value,
		      npages);
	assert_true(pmu.ev[0].value >= npages);
	assert_true(pmu.ev[0].value < 2 * npages);
	assert_true(pmu.ev[0].running_frac == 1.0);
	ch_pmu_close(&pmu);
	munmap((void *)buf, npages * psz);
}

static void start_resets_the_count_of_the_previous_run(void **state)
{
	struct ch_pmu pmu;
	double busy, idle;

	(void)state;
	open_ok(&pmu, "task-clock");
	ch_pmu_start(&pmu);
	work(5000000);
	ch_pmu_stop(&pmu);
	busy = pmu.ev[0].value;

	ch_pmu_start(&pmu);
	ch_pmu_stop(&pmu);
	idle = pmu.ev[0].value;

	print_message("busy %.0f ns, empty window %.0f ns\n", busy, idle);
	assert_true(busy > 0);
	assert_true(idle >= 0);
	assert_true(idle < busy / 10);
	ch_pmu_close(&pmu);
}

static void an_absent_event_reads_nan_beside_a_present_one(void **state)
{
	bool hw = ch_pmu_hw_available(NULL, 0);
	struct ch_pmu pmu;

	(void)state;
	open_ok(&pmu, "cycles,perf::TASK-CLOCK");
	assert_int_equal(pmu.nr, 2);
	ch_pmu_start(&pmu);
	work(1000000);
	ch_pmu_stop(&pmu);

	assert_false(pmu.ev[1].absent);
	assert_true(pmu.ev[1].value > 0);
	if (hw) {
		assert_int_equal(nr_present(&pmu), 2);
		assert_true(pmu.ev[0].value > 0);
	} else {
		assert_int_equal(nr_present(&pmu), 1);
		assert_true(pmu.ev[0].absent);
		assert_true(isnan(pmu.ev[0].value));
		print_message("why: '%s'\n", pmu.why);
		assert_non_null(strstr(pmu.why, "cycles"));
		assert_non_null(strstr(pmu.why, "1 of 2"));
		assert_one_line(pmu.why);
	}
	ch_pmu_close(&pmu);
}

static void an_unknown_event_is_rejected_by_name(void **state)
{
	struct ch_pmu pmu;
	char err[256] = "";

	(void)state;
	assert_int_equal(ch_pmu_open(&pmu, "cycles,no_such_event_xyz", err,
				     sizeof(err)), -EINVAL);
	print_message("err: %s\n", err);
	assert_non_null(strstr(err, "'no_such_event_xyz'"));
	assert_non_null(strstr(err, "event not found"));
	assert_non_null(strstr(err, "showevtinfo"));
	assert_one_line(err);
	/* nothing was opened, so nothing to close, but closing is safe */
	assert_int_equal(pmu.nr, 0);
	ch_pmu_close(&pmu);
}

static void more_than_sixteen_events_are_rejected(void **state)
{
	char list[CH_PMU_MAX_EVENTS * 20 + 32] = "";
	struct ch_pmu pmu;
	char err[256] = "";
	int i;

	(void)state;
	for (i = 0; i < CH_PMU_MAX_EVENTS; i++)
		strcat(list, i ? ",task-clock" : "task-clock");
	open_ok(&pmu, list);
	assert_int_equal(pmu.nr, CH_PMU_MAX_EVENTS);
	ch_pmu_close(&pmu);

	strcat(list, ",page-faults");
	assert_int_equal(ch_pmu_open(&pmu, list, err, sizeof(err)), -EINVAL);
	print_message("err: %s\n", err);
	assert_non_null(strstr(err, "17"));
	assert_non_null(strstr(err, "16"));
	assert_int_equal(pmu.nr, 0);

	/* "default" expands to seven, so three of them are too many */
	assert_int_equal(ch_pmu_open(&pmu, "default,default,default", err,
				     sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "21"));
}

static void an_empty_event_list_or_name_is_rejected(void **state)
{
	const char *bad[] = { "", "  ", ",", "cycles,,instructions",
			      "cycles,", " ,cycles" };
	struct ch_pmu pmu;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		assert_int_equal(ch_pmu_open(&pmu, bad[i], err, sizeof(err)),
				 -EINVAL);
		assert_true(strlen(err) > 0);
		assert_non_null(strstr(err, "empty"));
		assert_int_equal(pmu.nr, 0);
	}
}

static void a_kernel_only_event_is_rejected_as_we_count_user(void **state)
{
	struct ch_pmu pmu;
	char err[256] = "";

	(void)state;
	assert_int_equal(ch_pmu_open(&pmu, "perf::TASK-CLOCK:u=0:k=1", err,
				     sizeof(err)), -EINVAL);
	print_message("err: %s\n", err);
	assert_non_null(strstr(err, "perf::TASK-CLOCK:u=0:k=1"));
	assert_non_null(strstr(err, "user mode"));
}

static void default_may_be_combined_with_other_events(void **state)
{
	struct ch_pmu pmu;

	(void)state;
	open_ok(&pmu, "default, perf::PAGE-FAULTS");
	assert_int_equal(pmu.nr, NR_DEFAULT + 1);
	assert_string_equal(pmu.ev[0].name, "cycles");
	assert_string_equal(pmu.ev[NR_DEFAULT].name, "perf::PAGE-FAULTS");
	assert_false(pmu.ev[NR_DEFAULT].absent);
	ch_pmu_close(&pmu);
}

static void a_permission_failure_names_paranoid_and_the_fix(void **state)
{
	char buf[256];

	(void)state;
	ch_pmu_open_failure_reason(buf, sizeof(buf), "cycles", EACCES, 3);
	print_message("%s\n", buf);
	assert_string_equal(buf,
		"kernel.perf_event_paranoid=3 forbids perf events for this user; run: sudo sysctl kernel.perf_event_paranoid=2");

	/* at 2 or below the sysctl is not the culprit; don't suggest it */
	ch_pmu_open_failure_reason(buf, sizeof(buf), "cycles", EPERM, 2);
	assert_non_null(strstr(buf, "EPERM"));
	assert_non_null(strstr(buf, "perf_event_paranoid=2"));
	assert_null(strstr(buf, "sudo"));

	ch_pmu_open_failure_reason(buf, sizeof(buf), "cycles", EACCES,
				   CH_PARANOID_UNKNOWN);
	assert_non_null(strstr(buf, "sudo sysctl"));

	ch_pmu_open_failure_reason(buf, sizeof(buf), "cycles", ENOENT, 2);
	assert_string_equal(buf,
		"perf_event_open(cycles) failed with ENOENT (no PMU, as in most VMs)");
}

/* One reader of perf_event_paranoid, and it honours CHBENCH_SYSROOT. */
static void paranoid_is_read_below_the_sysroot(void **state)
{
	char root[] = "/tmp/chbench-sysroot.XXXXXX", path[128];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(path, sizeof(path), "%s/proc", root);
	assert_int_equal(mkdir(path, 0700), 0);
	strcat(path, "/sys");
	assert_int_equal(mkdir(path, 0700), 0);
	strcat(path, "/kernel");
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s" CH_PARANOID_FILE, root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("3\n", f);
	fclose(f);
	setenv("CHBENCH_SYSROOT", root, 1);
	assert_int_equal(ch_sys_paranoid(), 3);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("two\n", f);
	fclose(f);
	assert_int_equal(ch_sys_paranoid(), CH_PARANOID_UNKNOWN);
	unlink(path);
	assert_int_equal(ch_sys_paranoid(), CH_PARANOID_UNKNOWN);
	unsetenv("CHBENCH_SYSROOT");
	ch_rm_tree(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_events_keep_perf_names_and_pfm_strings),
		cmocka_unit_test(default_events_follow_hw_probe_and_absent_read_nan),
		cmocka_unit_test(task_clock_counts_work_with_full_running_frac),
		cmocka_unit_test(page_faults_count_every_freshly_touched_page),
		cmocka_unit_test(start_resets_the_count_of_the_previous_run),
		cmocka_unit_test(an_absent_event_reads_nan_beside_a_present_one),
		cmocka_unit_test(an_unknown_event_is_rejected_by_name),
		cmocka_unit_test(more_than_sixteen_events_are_rejected),
		cmocka_unit_test(an_empty_event_list_or_name_is_rejected),
		cmocka_unit_test(a_kernel_only_event_is_rejected_as_we_count_user),
		cmocka_unit_test(default_may_be_combined_with_other_events),
		cmocka_unit_test(a_permission_failure_names_paranoid_and_the_fix),
		cmocka_unit_test(paranoid_is_read_below_the_sysroot),
	};

	return cmocka_run_group_tests_name("pmu", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * chbench kernel on the host, where chbench.ko is not loaded: every
 * missing piece and bad input is one line and exit 2, checked before the
 * module is needed. What needs the module runs in the guest (make
 * kernel-verify, tests/kernel/).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "commands/cmds.h"
#include "kernel/kfolios.h"
#include "vmemmap/pagemap.h"
#include "vmemmap/suite.h"
#include "lib/util.h"
#include "tests/spawn.h"

/* A host with chbench.ko loaded has it tested by kernel-verify instead. */
static void need_no_module(void)
{
	if (!access(CHB_DEVICE, F_OK))
		skip();
}

static void without_the_module_verify_names_insmod(void **state)
{
	struct ch_run r;

	(void)state;
	need_no_module();
	r = ch_spawn("kernel", "verify", NULL);
	ch_expect_usage_error(&r, "kernel verify",
			      "module is not loaded; run (as root): make kmod && insmod kmod/chbench.ko");
}

static void without_the_module_run_names_insmod(void **state)
{
	struct ch_run r;

	(void)state;
	need_no_module();
	r = ch_spawn("kernel", "run", "--variant", "kernel", NULL);
	ch_expect_usage_error(&r, "kernel run", "insmod kmod/chbench.ko");
}

static void run_needs_a_variant_and_lists_the_kernel_names(void **state)
{
	struct ch_run r = ch_spawn("kernel", "run", NULL);

	(void)state;
	ch_expect_usage_error(&r, "kernel run",
			      "--variant is required; valid: kernel, page-ref, pointer");
}

static void an_unknown_variant_is_named_before_the_module_is(void **state)
{
	struct ch_run r = ch_spawn("kernel", "run", "--variant", "nope",
				   NULL);

	(void)state;
	ch_expect_usage_error(&r, "kernel run --variant nope",
			      "unknown variant 'nope'; valid: kernel, page-ref");
}

static void a_mix_the_kernel_cannot_give_is_refused(void **state)
{
	struct ch_run r = ch_spawn("kernel", "verify", "--mix", "mixed",
				   NULL);

	(void)state;
	ch_expect_usage_error(&r, "kernel verify --mix mixed",
			      "order 2 folios cannot be asked of the kernel");
}

static void a_zero_chunk_is_refused(void **state)
{
	struct ch_run r = ch_spawn("kernel", "run", "--variant", "kernel",
				   "--chunk", "0", NULL);

	(void)state;
	ch_expect_usage_error(&r, "kernel run --chunk 0", "--chunk '0'");
}

static void hvo_takes_on_or_off(void **state)
{
	struct ch_run r = ch_spawn("kernel", "verify", "--hvo", "maybe", NULL);

	(void)state;
	ch_expect_usage_error(&r, "kernel verify --hvo maybe",
			      "--hvo 'maybe': valid: on, off");
}

static void layout_does_not_apply_to_the_kernel(void **state)
{
	struct ch_run r = ch_spawn("kernel", "run", "--variant", "kernel",
				   "--layout", "none", NULL);

	(void)state;
	ch_expect_usage_error(&r, "kernel run --layout",
			      "option '--layout' does not apply");
}

static void kernel_without_subcommand_lists_them(void **state)
{
	struct ch_run r = ch_spawn("kernel", NULL);

	(void)state;
	ch_expect_usage_error(&r, "kernel",
			      "kernel: missing subcommand; valid: verify, run, bench");
	r = ch_spawn("kernel", "frob", NULL);
	ch_expect_usage_error(&r, "kernel frob",
			      "unknown subcommand 'frob'; valid: verify, run, bench");
}

static void bench_checks_hugetlb_pages_before_anything(void **state)
{
	struct ch_run r = ch_spawn("kernel", "bench", "--mem", "64M", NULL);

	(void)state;
	ch_expect_usage_error(&r, "kernel bench --mem 64M",
			      "must exceed the cache-sized 64M");
}

/* the module before the HugeTLB pages: without it they are no use */
static void bench_checks_the_module_before_hugetlb_pages(void **state)
{
	struct ch_run r;

	(void)state;
	need_no_module();
	r = ch_spawn("kernel", "bench", "--quick", NULL);
	ch_expect_usage_error(&r, "kernel bench --quick",
			      "module is not loaded; run (as root): make kmod && insmod kmod/chbench.ko");
}

/* --quick given is never advised; without it, --quick and --mem are */
static void hugetlb_advice_names_no_option_already_given(void **state)
{
	char err[512];

	(void)state;
	assert_int_equal(ch_kbench_hugetlb_advice(41, 0, true, err,
						  sizeof(err)), 2);
	assert_string_equal(err, "kernel bench pins 41 HugeTLB 2 MiB pages at once, 0 are free; reserve them: sysctl vm.nr_hugepages=41");
	assert_int_equal(ch_kbench_hugetlb_advice(706, -1, false, err,
						  sizeof(err)), 2);
	assert_string_equal(err, "kernel bench pins 706 HugeTLB 2 MiB pages at once, 0 are free; reserve them: sysctl vm.nr_hugepages=706 (or use --quick, or a smaller --mem)");
	assert_int_equal(ch_kbench_hugetlb_advice(41, 41, true, err,
						  sizeof(err)), 0);
}

/* make kmod without headers: our line names the package, make exits 2 */
static void kmod_without_headers_names_the_package(void **state)
{
	const char *argv[] = { "make", "--no-print-directory", "-s", "kmod",
			       "KDIR=/nonexistent", NULL };
	struct ch_run r = ch_spawnv(argv);

	(void)state;
	if (r.status != 2)
		fail_msg("make kmod KDIR=/nonexistent: exit %d, want 2",
			 r.status);
	ch_expect_in("make kmod", r.err,
		     "chbench: no kernel headers at /nonexistent; install them: apt-get install linux-headers-");
	ch_run_free(&r);
}

static void kmix_accepts_what_user_space_can_ask_for(void **state)
{
	static const char *const ok[] = {
		"order0", "thp", "hugetlb-2m", "hugetlb-1g", "kmixed",
		"0:40,9:30,h9:30",
	};
	static const char *const bad[] = { "mixed", "0:50,4:50", "h4:100" };
	struct ch_mix mix;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		assert_int_equal(ch_mix_parse(ok[i], &mix, err, sizeof(err)), 0);
		if (ch_kmix_check(&mix, err, sizeof(err)))
			fail_msg("%s refused: %s", ok[i], err);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(ch_mix_parse(bad[i], &mix, err, sizeof(err)), 0);
		assert_int_equal(ch_kmix_check(&mix, err, sizeof(err)),
				 -EINVAL);
		ch_expect_in(bad[i], err, "valid: 0 (order-0), 9 (THP)");
	}
}

/*
 * kernel bench runs bench's suite: its mixes are bench's wherever user
 * space can pin them, and every one of them can be pinned.
 */
static void kernel_suite_mixes_are_the_emulations_where_pinnable(void **state)
{
	struct ch_mix emu, k;
	char err[512];
	int i;

	(void)state;
	for (i = 0; i < CH_SUITE_NR_MIXES; i++) {
		assert_int_equal(ch_mix_parse(ch_suite_mixes[i], &emu, err,
					      sizeof(err)), 0);
		assert_int_equal(ch_mix_parse(ch_suite_kernel_mixes[i], &k,
					      err, sizeof(err)), 0);
		if (ch_kmix_check(&k, err, sizeof(err)))
			fail_msg("kernel suite mix %s refused: %s",
				 ch_suite_kernel_mixes[i], err);
		if (!ch_kmix_check(&emu, err, sizeof(err)) &&
		    strcmp(ch_suite_mixes[i], ch_suite_kernel_mixes[i]))
			fail_msg("kernel bench runs %s where bench runs %s, which it could pin",
				 ch_suite_kernel_mixes[i], ch_suite_mixes[i]);
	}
}

/* As root the PFNs are real: the truth kernel verify leans on. */
static void pagemap_gives_distinct_pfns_for_touched_pages(void **state)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t pfn[5];
	char err[256];
	int i;

	(void)state;
	if (geteuid())
		skip();
	assert_true(p != MAP_FAILED);
	for (i = 0; i < 4; i++)
		p[i * pg] = 1;
	munmap(p + 3 * pg, pg);
	assert_int_equal(ch_pagemap_pfns(p, 4, pfn, err, sizeof(err)), 0);
	for (i = 0; i < 3; i++)
		assert_true(pfn[i] != 0);
	assert_true(pfn[0] != pfn[1] && pfn[1] != pfn[2] && pfn[0] != pfn[2]);
	assert_int_equal(pfn[3], 0);	/* unmapped: not present */
	munmap(p, 3 * pg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(without_the_module_verify_names_insmod),
		cmocka_unit_test(without_the_module_run_names_insmod),
		cmocka_unit_test(bench_checks_the_module_before_hugetlb_pages),
		cmocka_unit_test(hugetlb_advice_names_no_option_already_given),
		cmocka_unit_test(run_needs_a_variant_and_lists_the_kernel_names),
		cmocka_unit_test(an_unknown_variant_is_named_before_the_module_is),
		cmocka_unit_test(a_mix_the_kernel_cannot_give_is_refused),
		cmocka_unit_test(a_zero_chunk_is_refused),
		cmocka_unit_test(hvo_takes_on_or_off),
		cmocka_unit_test(layout_does_not_apply_to_the_kernel),
		cmocka_unit_test(kernel_without_subcommand_lists_them),
		cmocka_unit_test(bench_checks_hugetlb_pages_before_anything),
		cmocka_unit_test(kmod_without_headers_names_the_package),
		cmocka_unit_test(kmix_accepts_what_user_space_can_ask_for),
		cmocka_unit_test(kernel_suite_mixes_are_the_emulations_where_pinnable),
		cmocka_unit_test(pagemap_gives_distinct_pfns_for_touched_pages),
	};

	return cmocka_run_group_tests_name("kernel", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * chbench kernel paths on the host kernel, for real where it runs as
 * root (no chbench.ko needed: pin-longterm is then left out): the
 * results directory, its units and metadata, the checks (a fake that
 * breaks one must be caught), bad input, and the case names' round trip
 * through ch_scenario_parse() and chbench cases.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "kernel/kcase.h"
#include "kernel/kpaths.h"
#include "vmemmap/scenario.h"
#include "tests/spawn.h"
#include "tests/tmpdir.h"

static char dir[] = "/tmp/chbench-kpaths-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return ch_tmpdir_make(dir);
}

static int teardown(void **state)
{
	(void)state;
	return ch_rm_tree(dir);
}

static void names_round_trip(void **state)
{
	struct ch_scenario sc = { 0 }, p;
	char name[256], again[256], err[512];
	int path, f, arm;

	(void)state;
	sc.variant = &ch_kvariant_kernel;
	sc.mem = 16ULL << 20;
	for (path = 1; path < CH_NR_KPATHS; path++)
	for (f = 0; f < CH_NR_KFOLIOS; f++)
	for (arm = 0; arm < 3; arm++) {
		sc.path = path;
		sc.folio = f;
		sc.arm = arm;
		sc.hvo = arm == 1;
		ch_scenario_name(&sc, name, sizeof(name));
		assert_int_equal(strncmp(name, "path/", 5), 0);
		assert_int_equal(ch_scenario_parse(name, &p, ch_kvariant_find,
						   err, sizeof(err)), 0);
		assert_int_equal(p.path, path);
		assert_int_equal(p.folio, f);
		assert_int_equal(p.arm, arm);
		ch_scenario_name(&p, again, sizeof(again));
		assert_string_equal(name, again);
	}
	assert_string_equal(ch_scenario_name(&(struct ch_scenario){
		.variant = &ch_kvariant_kernel, .path = CH_KPATH_FORK,
		.folio = CH_KFOLIO_HUGETLB_2M, .hvo = true,
		.mem = 64ULL << 20 }, name, sizeof(name)),
		"path/fork/hugetlb-2m/mem:64M/hvo:on");
}

static void bad_names_are_named(void **state)
{
	struct ch_scenario p;
	char err[512];

	(void)state;
	assert_int_equal(ch_scenario_parse("path/zap/order0/mem:16M", &p,
					   ch_kvariant_find, err,
					   sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown kernel path 'zap'; valid: zap-dontneed"));
	assert_int_equal(ch_scenario_parse("path/fork/thp/mem:16M", &p,
					   ch_kvariant_find, err,
					   sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "valid: order0, thp-pmd, thp-pte"));
	/* HugeTLB only says its HVO */
	assert_int_equal(ch_scenario_parse("path/fork/order0/mem:16M/hvo:on",
					   &p, ch_kvariant_find, err,
					   sizeof(err)), -EINVAL);
}

static void bad_mem_is_one_line(void **state)
{
	struct ch_run r = ch_spawn("kernel", "paths", "--mem", "3M", NULL);

	(void)state;
	ch_expect_usage_error(&r, "kernel paths",
			      "must be a multiple of 2M from 2M to 1G");
}

/* Root, kpageflags, THP and two free HugeTLB 2 MiB pages, or skip. */
static void need_the_machine(void)
{
	FILE *f = fopen("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
			"r");
	long fr = 0;

	if (f) {
		if (fscanf(f, "%ld", &fr) != 1)
			fr = 0;
		fclose(f);
	}
	if (geteuid() || access("/proc/kpageflags", R_OK) || fr < 1) {
		print_message("skipped: needs root and sysctl vm.nr_hugepages=1 or more\n");
		skip();
	}
}

static struct ch_run run_paths(const char *out)
{
	return ch_spawn("kernel", "paths", "--quick", "--mem", "2M",
			"--instances", "2", "--out", out, "--quiet", NULL);
}

static void quick_run_writes_per_page_results(void **state)
{
	struct ch_run r, c;
	char *res, *meta, *table;

	(void)state;
	need_the_machine();
#ifdef CH_SANITIZE
	/*
	 * ASan's shadow and quarantine change the RSS and the free 2 MiB
	 * blocks that the paths' checks read (a zap's RSS, a THP mapped by
	 * PMD): the sanitizers check this code through the other tests.
	 */
	print_message("skipped under the sanitizers: they change the RSS and THPs the checks read\n");
	skip();
#endif
	r = run_paths(dir);
	if (r.status)
		fail_msg("exit %d; stderr:\n%.2000s", r.status, r.err);
	res = ch_results_dir(&r);
	assert_non_null(strstr(res, "-paths"));
	meta = ch_read_in(res, "metadata.json");
	assert_non_null(strstr(meta, "\"kind\": \"kernel-paths\""));
	assert_non_null(strstr(meta, "\"pages_per_op\": 512"));
	assert_non_null(strstr(meta, "\"thp_mapped_by\": \"pte\""));
	assert_non_null(strstr(meta, "\"encoding\""));
	assert_non_null(strstr(meta, "\"hvo_sysctl\""));
	table = ch_read_in(res, "table.txt");
	assert_non_null(strstr(table, "kernel paths on thp-pte / mem:2M, per page"));
	assert_non_null(strstr(table, "ns/page"));
	assert_non_null(strstr(table, "zap-dontneed arm:b"));
	c = ch_spawn("cases", res, NULL);
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "\"path/zap-munmap/thp-pte/mem:2M\""));
	assert_non_null(strstr(c.out, "\"path/kpageflags/hugetlb-2m/mem:2M/hvo:"));
	assert_non_null(strstr(c.out, "\"folio\": \"thp-pmd\""));
	ch_run_free(&c);
	free(res);
	free(meta);
	free(table);
	ch_run_free(&r);
}

/* A zap that does nothing, a THP left PMD-mapped: each caught. */
static void a_broken_path_is_caught(void **state)
{
	static const struct { const char *fake, *says; } t[] = {
		{ "nozap", "pages still present, RSS fell by" },
		{ "nosplit", "thp-pte: smaps counts 2048 of 2048 kB still PMD-mapped" },
	};
	size_t i;

	(void)state;
	need_the_machine();
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ch_run r;

		setenv("CHBENCH_KPATHS_FAKE", t[i].fake, 1);
		r = run_paths(dir);
		unsetenv("CHBENCH_KPATHS_FAKE");
		if (r.status == 0 || !strstr(r.err, t[i].says))
			fail_msg("%s: exit %d, stderr:\n%s", t[i].fake,
				 r.status, r.err);
		ch_run_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(bad_names_are_named),
		cmocka_unit_test(bad_mem_is_one_line),
		cmocka_unit_test(quick_run_writes_per_page_results),
		cmocka_unit_test(a_broken_path_is_caught),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

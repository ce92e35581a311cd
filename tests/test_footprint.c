// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the memory price of each layout (harness/footprint.[ch]) and
 * of 'chbench footprint': the arithmetic against the figures the list
 * quoted, the emulation's resident bytes against the arithmetic, and
 * the command's text, JSON and exit status.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inspect/footprint.h"
#include "lib/util.h"
#include "tests/spawn.h"
#include "tests/sysroot.h"

#define KiB	((uint64_t)1 << 10)
#define MiB	((uint64_t)1 << 20)
#define GiB	((uint64_t)1 << 30)
#define TiB	((uint64_t)1 << 40)

static const char *const names[CH_NR_LAYOUTS] = {
	"none", "hvo-2page", "hvo-fake-head", "hvo-shared-tail",
};

static void expect_arith(unsigned int order, const uint64_t want[])
{
	int l;

	for (l = 0; l < CH_NR_LAYOUTS; l++) {
		uint64_t got = ch_fp_arith(l, order, TiB);

		if (got != want[l])
			fail_msg("%s, order-%u HugeTLB: %" PRIu64 " B per TiB, want %" PRIu64,
				 names[l], order, got, want[l]);
	}
}

/* 2^28 struct pages of 64 B; 8 vmemmap pages per folio, 2 or 1 kept. */
static void arithmetic_per_tib_of_2m_hugetlb_keeps_8_2_1_and_1_pages(void **state)
{
	const uint64_t want[CH_NR_LAYOUTS] = {
		16 * GiB, 4 * GiB, 2 * GiB, 2 * GiB + 4 * KiB,
	};

	(void)state;
	expect_arith(9, want);
}

/* 1024 folios of 4096 vmemmap pages each. */
static void arithmetic_per_tib_of_1g_hugetlb_keeps_4096_2_1_and_1_pages(void **state)
{
	const uint64_t want[CH_NR_LAYOUTS] = {
		16 * GiB, 8 * MiB, 4 * MiB, 4 * MiB + 4 * KiB,
	};

	(void)state;
	expect_arith(18, want);
}

/* "2 GB more per 1 TB of 2 MB HugeTLB": the 12.5% of the review. */
static void two_pages_instead_of_one_cost_an_eighth_of_the_vmemmap(void **state)
{
	uint64_t none = ch_fp_arith(CH_LAYOUT_NONE, 9, TiB);
	uint64_t two = ch_fp_arith(CH_LAYOUT_HVO_2PAGE, 9, TiB);
	uint64_t one = ch_fp_arith(CH_LAYOUT_HVO_FAKE_HEAD, 9, TiB);

	(void)state;
	assert_int_equal(two - one, 2 * GiB);
	assert_int_equal((two - one) * 8, none);
}

static void a_partial_folio_stays_real_memmap(void **state)
{
	/* one 2 MiB folio and three order-0 pages: 1 page + 192 B, rounded */
	uint64_t ram = 2 * MiB + 3 * 4 * KiB;

	(void)state;
	assert_int_equal(ch_fp_arith(CH_LAYOUT_HVO_FAKE_HEAD, 9, ram),
			 4 * KiB + 4 * KiB);
	assert_int_equal(ch_fp_arith(CH_LAYOUT_NONE, 9, ram),
			 8 * 4 * KiB + 4 * KiB);
	/* no whole folio: nothing optimized, no shared tail page */
	assert_int_equal(ch_fp_arith(CH_LAYOUT_HVO_SHARED_TAIL, 9, MiB),
			 4 * 4 * KiB);
}

/* The emulation's memfd blocks, byte for byte, at small sizes. */
static void resident_bytes_equal_the_arithmetic_for_every_layout(void **state)
{
	static const struct { unsigned int order; uint64_t mem; } at[] = {
		{ 9, 64 * MiB }, { 18, 2 * GiB },
	};
	char err[512];
	size_t i;
	int l;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(at); i++) {
		for (l = 0; l < CH_NR_LAYOUTS; l++) {
			uint64_t res = 0, shared = 0;
			uint64_t want = ch_fp_arith(l, at[i].order, at[i].mem);

			if (ch_fp_measure(l, at[i].order, at[i].mem, &res,
					  &shared, err, sizeof(err)))
				fail_msg("%s at %" PRIu64 " MiB: %s", names[l],
					 at[i].mem / MiB, err);
			if (res != want)
				fail_msg("%s, order %u at %" PRIu64 " MiB: %" PRIu64 " B resident, want %" PRIu64,
					 names[l], at[i].order,
					 at[i].mem / MiB, res, want);
			assert_int_equal(shared,
					 l == CH_LAYOUT_HVO_SHARED_TAIL);
		}
	}
}

static void scaled_measurement_is_off_only_by_the_shared_tail_page(void **state)
{
	struct ch_fp_table t;
	char err[512];
	int l;

	(void)state;
	if (ch_fp_table(&t, &ch_fp_sizes[0], 256 * MiB, false, err,
			sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(t.scale, 4096);
	assert_true(t.agree);
	for (l = 0; l < CH_NR_LAYOUTS; l++) {
		const struct ch_fp_row *r = &t.row[l];
		int64_t want = l == CH_LAYOUT_HVO_SHARED_TAIL ?
			       (int64_t)(4095 * 4 * KiB) : 0;

		if (r->diff != want || !r->agree)
			fail_msg("%s: measured - arithmetic = %" PRId64 " B (agree %d), want %" PRId64,
				 names[l], r->diff, r->agree, want);
		assert_int_equal(r->tolerance, (uint64_t)want);
	}
}

static void a_size_that_does_not_divide_a_tib_is_refused(void **state)
{
	struct ch_fp_table t;
	char err[512] = "";

	(void)state;
	assert_int_equal(ch_fp_table(&t, &ch_fp_sizes[1], 3 * GiB, false,
				     err, sizeof(err)), -EINVAL);
	ch_expect_in("error", err, "power of two");
	assert_int_equal(ch_fp_table(&t, &ch_fp_sizes[1], 512 * MiB, false,
				     err, sizeof(err)), -EINVAL);
	ch_expect_in("error", err, "from 1G");
}

static void sizes_print_exactly(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(ch_fp_fmt(2 * GiB + 4 * KiB, buf, sizeof(buf)),
			    "2 GiB + 4 KiB");
	assert_string_equal(ch_fp_fmt(16 * GiB, buf, sizeof(buf)), "16 GiB");
	assert_string_equal(ch_fp_fmt(0, buf, sizeof(buf)), "0");
	assert_string_equal(ch_fp_fmt(-(int64_t)(508 * KiB), buf,
				      sizeof(buf)), "-508 KiB");
	assert_string_equal(ch_fp_fmt(TiB + 1, buf, sizeof(buf)),
			    "1 TiB + 1 B");
}

static void footprint_prints_both_sizes_and_agrees(void **state)
{
	struct ch_run r = ch_spawn("footprint", "--mem", "1G", NULL);

	(void)state;
	ch_expect_status(&r, "footprint --mem 1G", 0);
	ch_expect_each_in("footprint", r.out, "2 MiB HugeTLB: 524288 folios",
			  "1 GiB HugeTLB: 1024 folios",
			  "measured at --mem 1G, x1024",
			  "hvo-2page        4 GiB           4 GiB",
			  "hvo-2page        8 MiB           8 MiB",
			  "keeps 2 GiB\n  more per TiB: 12.50%",
			  "arithmetic and measurement agree");
	ch_run_free(&r);
}

static void footprint_json_is_one_object_with_every_figure(void **state)
{
	struct ch_run r = ch_spawn("footprint", "--mem", "1G", "--json",
				   NULL);
	char want[256];

	(void)state;
	ch_expect_status(&r, "footprint --json", 0);
	if (r.out[0] != '{' || strcmp(r.out + strlen(r.out) - 2, "}\n"))
		fail_msg("not one JSON object:\n%s", r.out);
	ch_expect_each_in("json", r.out, "\"ram\": 1099511627776",
			  "\"agree\": true, \"sizes\"");
	snprintf(want, sizeof(want),
		 "\"layout\": \"hvo-fake-head\", \"arithmetic\": %" PRIu64 ", \"measured\": %" PRIu64 ", \"difference\": 0",
		 2 * GiB, 2 * GiB);
	ch_expect_in("json", r.out, want);
	snprintf(want, sizeof(want),
		 "\"layout\": \"hvo-shared-tail\", \"arithmetic\": %" PRIu64 ", \"measured\": %" PRIu64,
		 4 * MiB + 4 * KiB, 4 * MiB + 1024 * 4 * KiB);
	ch_expect_in("json", r.out, want);
	ch_expect_not_in("json", r.out, "false");
	ch_run_free(&r);
}

/*
 * chbench footprint with the NULL-terminated arguments, under a fake
 * /proc with a low vm.max_map_count, as test_memmap.c makes.
 */
static struct ch_run footprint_under(long max_map_count, const char *arg,
				     ...)
{
	char *root = ch_sysroot_new("/tmp/chbench-fp-XXXXXX"), text[32];
	struct ch_run r;
	va_list ap;

	snprintf(text, sizeof(text), "%ld\n", max_map_count);
	ch_sysroot_write(root, "proc/sys/vm/max_map_count", text);
	setenv("CHBENCH_SYSROOT", root, 1);
	va_start(ap, arg);
	r = ch_spawn_va(NULL, "footprint", NULL, arg, ap);
	va_end(ap);
	unsetenv("CHBENCH_SYSROOT");
	assert_int_equal(ch_sysroot_drop(root), 0);
	return r;
}

/* 8G of 2 MiB HugeTLB needs ~28700 mappings; 6000 fits 1G. */
static void footprint_halves_the_default_size_until_it_fits(void **state)
{
	struct ch_run r = footprint_under(6000, NULL);

	(void)state;
	ch_expect_status(&r, "footprint under max_map_count 6000", 0);
	ch_expect_each_in("stderr", r.err, "vm.max_map_count is 6000",
			  "measuring 2 MiB HugeTLB at --mem 4G instead");
	ch_expect_each_in("footprint", r.out, "measured at --mem 1G, x1024",
			  "arithmetic and measurement agree");
	ch_run_free(&r);
}

static void footprint_takes_an_explicit_mem_as_given(void **state)
{
	struct ch_run r = footprint_under(6000, "--mem", "8G", NULL);

	(void)state;
	ch_expect_status(&r, "footprint --mem 8G", 2);
	assert_int_equal(ch_count_lines(r.err), 1);
	/* the slack is named, and the advice is a size footprint takes */
	ch_expect_each_in("stderr", r.err, "vm.max_map_count", "kept spare",
			  "or use --mem 1G or less");
	ch_run_free(&r);
}

static void a_limit_no_size_fits_names_no_size(void **state)
{
	struct ch_run r = footprint_under(600, "--mem", "1G", NULL);

	(void)state;
	ch_expect_status(&r, "footprint --mem 1G", 2);
	assert_int_equal(ch_count_lines(r.err), 1);
	ch_expect_in("stderr", r.err, "raise it (sysctl -w vm.max_map_count=");
	ch_expect_none_in("stderr", r.err, "--mem none", "or use --mem");
	ch_run_free(&r);
}

static void footprint_refuses_other_options(void **state)
{
	struct ch_run r = ch_spawn("footprint", "--variant", "pointer", NULL);

	(void)state;
	assert_int_equal(r.status, 2);
	ch_expect_in("stderr", r.err, "valid: --mem, --json");
	ch_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arithmetic_per_tib_of_2m_hugetlb_keeps_8_2_1_and_1_pages),
		cmocka_unit_test(arithmetic_per_tib_of_1g_hugetlb_keeps_4096_2_1_and_1_pages),
		cmocka_unit_test(two_pages_instead_of_one_cost_an_eighth_of_the_vmemmap),
		cmocka_unit_test(a_partial_folio_stays_real_memmap),
		cmocka_unit_test(resident_bytes_equal_the_arithmetic_for_every_layout),
		cmocka_unit_test(scaled_measurement_is_off_only_by_the_shared_tail_page),
		cmocka_unit_test(a_size_that_does_not_divide_a_tib_is_refused),
		cmocka_unit_test(sizes_print_exactly),
		cmocka_unit_test(footprint_prints_both_sizes_and_agrees),
		cmocka_unit_test(footprint_json_is_one_object_with_every_figure),
		cmocka_unit_test(footprint_halves_the_default_size_until_it_fits),
		cmocka_unit_test(footprint_takes_an_explicit_mem_as_given),
		cmocka_unit_test(footprint_refuses_other_options),
		cmocka_unit_test(a_limit_no_size_fits_names_no_size),
	};

	return cmocka_run_group_tests_name("footprint", tests, NULL, NULL);
}

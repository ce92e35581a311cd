// SPDX-License-Identifier: GPL-2.0
/*
 * kernel verify's check of the mask era's shared tail pages, on records
 * made here as chbench.ko would give them (kmod/inspect.c), so each rule
 * is seen to fail without a kernel: a private tail page, a writable one,
 * tails on the folio's own page 0, and two pages for one zone and order.
 */
#include <setjmp.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/ktails.h"
#include "tests/spawn.h"
#include "page/page.h"

#define VMEMMAP		0xffffea0000000000ULL	/* x86-64's, nokaslr */
#define PFN0		0x40000ULL		/* the first record's pfn */
#define ZONE_DMA32	1
#define ZONE_NORMAL	2

/* /proc/zoneinfo as a 3 GiB guest shows it, cut to what is parsed */
static const char zoneinfo[] =
	"Node 0, zone      DMA\n  per-node stats\n      nr_inactive_anon 0\n"
	"  pages free     3840\n        spanned  4095\n  start_pfn:           1\n"
	"Node 0, zone    DMA32\n  pages free     700000\n"
	"Node 0, zone   Normal\n  pages free     100000\n"
	"Node 0, zone  Movable\n  pages free     0\n"
	"Node 0, zone   Device\n  pages free     0\n"
	"Node 1, zone      DMA\n  pages free     0\n";

struct fixture {
	struct chb_page_rec *recs;
	struct ch_folio f[8];
	uint32_t nr, nr_pages;
	struct ch_kzones z;
	struct ch_ktails t;
	char err[512];
};

/* A physical address no other page of the fixture uses. */
static uint64_t fresh_phys(void)
{
	static uint64_t next = 0x100000000ULL;

	next += CH_PAGE_SIZE;
	return next;
}

/*
 * Append a HugeTLB folio of @order in zone @zone whose vmemmap page 0 is
 * private and writable and whose pages 1..N-1 map @tail read-only, as
 * HVO on the mask era leaves it (@tail 0: not optimized, all private).
 */
static void add_folio(struct fixture *fx, unsigned int order, uint32_t zone,
		      uint64_t tail)
{
	uint64_t n = 1ULL << order, i, first = fx->nr_pages;
	uint64_t priv = fresh_phys(), own = priv;

	fx->recs = realloc(fx->recs, (first + n) * sizeof(*fx->recs));
	assert_non_null(fx->recs);
	memset(fx->recs + first, 0, n * sizeof(*fx->recs));
	for (i = 0; i < n; i++) {
		struct chb_page_rec *r = &fx->recs[first + i];
		uint64_t off = i * sizeof(struct page);

		r->pfn = PFN0 + first + i;
		r->page = VMEMMAP + r->pfn * sizeof(struct page);
		if (off && !(off % CH_PAGE_SIZE))
			own = tail ? tail : fresh_phys();
		r->vmemmap_phys = own + off % CH_PAGE_SIZE;
		r->vmemmap_level = 1;
		r->vmemmap_writable = off < CH_PAGE_SIZE || !tail;
		r->zone = zone;
		r->info = i ? ch_compound_info_mask(order) : 0;
	}
	fx->f[fx->nr++] = (struct ch_folio){
		.pfn = first, .order = order, .kind = CH_FOLIO_HUGETLB,
	};
	fx->nr_pages += n;
}

/* The struct pages of vmemmap page @j of folio @f. */
static struct chb_page_rec *vpage(struct fixture *fx, uint32_t f, uint64_t j)
{
	return &fx->recs[fx->f[f].pfn + j * CH_PAGES_PER_VMEMMAP];
}

static void set_phys(struct fixture *fx, uint32_t f, uint64_t j,
		     uint64_t phys)
{
	uint64_t i;

	for (i = 0; i < CH_PAGES_PER_VMEMMAP; i++)
		vpage(fx, f, j)[i].vmemmap_phys =
			phys + i * sizeof(struct page);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	FILE *f = fmemopen((void *)zoneinfo, sizeof(zoneinfo) - 1, "r");

	assert_non_null(fx);
	assert_non_null(f);
	ch_kzones_parse(&fx->z, f);
	fclose(f);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	free(fx->recs);
	free(fx);
	return 0;
}

static int check(struct fixture *fx)
{
	return ch_ktails_check(fx->recs, fx->f, fx->nr, &fx->z, &fx->t,
			       fx->err, sizeof(fx->err));
}

static void expect_fail(struct fixture *fx, const char *want)
{
	int rc = check(fx);

	if (rc != -EIO)
		fail_msg("check: %d, want -EIO (%s)", rc, want);
	ch_expect_in("ch_ktails_check", fx->err, want);
	assert_null(strchr(fx->err, '\n'));
}

static void zoneinfo_names_the_zones_of_the_first_node(void **state)
{
	struct fixture *fx = *state;
	char buf[32];

	assert_int_equal(fx->z.nr, 5);
	assert_string_equal(fx->z.name[ZONE_DMA32], "DMA32");
	assert_string_equal(fx->z.name[ZONE_NORMAL], "Normal");
	assert_string_equal(ch_kzone_label(&fx->z, 0, 2, buf, sizeof(buf)),
			    "Normal");
	assert_string_equal(ch_kzone_label(&fx->z, 1, 2, buf, sizeof(buf)),
			    "Normal@node1");
	assert_string_equal(ch_kzone_label(&fx->z, 0, 7, buf, sizeof(buf)),
			    "zone7");
}

/* Two zones of 2 MiB folios and one 1 GiB folio: three pages, all good. */
static void one_page_per_zone_and_order_passes(void **state)
{
	struct fixture *fx = *state;
	uint64_t dma32 = fresh_phys(), normal = fresh_phys();
	char line[256];

	add_folio(fx, 9, ZONE_DMA32, dma32);
	add_folio(fx, 9, ZONE_NORMAL, normal);
	add_folio(fx, 9, ZONE_DMA32, dma32);
	add_folio(fx, 9, ZONE_NORMAL, normal);
	add_folio(fx, 18, ZONE_NORMAL, fresh_phys());
	add_folio(fx, 9, ZONE_NORMAL, 0);	/* not optimized: no rule */
	if (check(fx))
		fail_msg("check failed: %s", fx->err);
	assert_int_equal(fx->t.optimized, 5);
	assert_int_equal(fx->t.plain, 1);
	assert_int_equal(fx->t.pages, 3);
	ch_ktails_summary(&fx->t, &fx->z, line, sizeof(line));
	assert_string_equal(line, "3 (2 MiB: DMA32, Normal; 1 GiB: Normal)");
}

static void no_optimized_folio_is_zero_pages(void **state)
{
	struct fixture *fx = *state;
	char line[256];

	add_folio(fx, 9, ZONE_NORMAL, 0);
	assert_int_equal(check(fx), 0);
	ch_ktails_summary(&fx->t, &fx->z, line, sizeof(line));
	assert_string_equal(line, "0 (no HugeTLB folio here is optimized)");
}

static void a_private_tail_page_fails(void **state)
{
	struct fixture *fx = *state;
	uint64_t normal = fresh_phys();

	add_folio(fx, 9, ZONE_NORMAL, normal);
	add_folio(fx, 9, ZONE_NORMAL, normal);
	set_phys(fx, 1, 3, fresh_phys());
	expect_fail(fx, "folio at pfn 0x40200 (Normal): its vmemmap pages 1..7 map 2 physical pages, not one: page 3 (phys 0x");
	ch_expect_in("ch_ktails_check", fx->err, ") is private, not the tail page 0x");
}

static void a_writable_tail_page_fails(void **state)
{
	struct fixture *fx = *state;
	uint64_t i;

	add_folio(fx, 9, ZONE_DMA32, fresh_phys());
	for (i = 0; i < CH_PAGES_PER_VMEMMAP; i++)
		vpage(fx, 0, 5)[i].vmemmap_writable = 1;
	expect_fail(fx, "HugeTLB 2 MiB folio at pfn 0x40000 (DMA32): its vmemmap page 5 (phys 0x");
	ch_expect_in("ch_ktails_check", fx->err, ") is writable; a shared tail page must be read-only");
}

static void two_pages_in_one_zone_and_order_fail(void **state)
{
	struct fixture *fx = *state;

	add_folio(fx, 9, ZONE_NORMAL, fresh_phys());
	add_folio(fx, 9, ZONE_DMA32, fresh_phys());
	add_folio(fx, 9, ZONE_NORMAL, fresh_phys());
	expect_fail(fx, "two HugeTLB 2 MiB folios of zone Normal map different tail pages: pfn 0x40000 maps 0x");
	ch_expect_in("ch_ktails_check", fx->err, ", pfn 0x40400 maps 0x");
}

/* The same page in two orders or zones breaks no rule. */
static void one_page_for_two_orders_is_counted_once(void **state)
{
	struct fixture *fx = *state;
	uint64_t p = fresh_phys();

	add_folio(fx, 9, ZONE_NORMAL, p);
	add_folio(fx, 10, ZONE_NORMAL, p);
	assert_int_equal(check(fx), 0);
	assert_int_equal(fx->t.nr, 2);
	assert_int_equal(fx->t.pages, 1);
}

static void tails_on_the_folios_own_page_0_fail(void **state)
{
	struct fixture *fx = *state;
	uint64_t j;

	add_folio(fx, 9, ZONE_NORMAL, fresh_phys());
	for (j = 1; j < 8; j++)
		set_phys(fx, 0, j, vpage(fx, 0, 0)->vmemmap_phys);
	expect_fail(fx, "its vmemmap pages 1..7 map its own page 0 (phys 0x");
}

static void an_unmapped_struct_page_fails(void **state)
{
	struct fixture *fx = *state;

	add_folio(fx, 9, ZONE_NORMAL, fresh_phys());
	fx->recs[100].vmemmap_level = 0;
	expect_fail(fx, "the struct page of pfn 0x40064 has no vmemmap mapping to read");
}

/* Records that are not one run of struct pages never index past it. */
static void struct_pages_out_of_line_fail(void **state)
{
	struct fixture *fx = *state;

	add_folio(fx, 9, ZONE_NORMAL, fresh_phys());
	fx->recs[511].page = VMEMMAP + (1ULL << 40);
	expect_fail(fx, "the struct pages of pfn 0x40000..+512 are not one run in the vmemmap");
	fx->recs[511].page = VMEMMAP;
	expect_fail(fx, "are not one run in the vmemmap");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(zoneinfo_names_the_zones_of_the_first_node),
		T(one_page_per_zone_and_order_passes),
		T(no_optimized_folio_is_zero_pages),
		T(a_private_tail_page_fails),
		T(a_writable_tail_page_fails),
		T(two_pages_in_one_zone_and_order_fail),
		T(one_page_for_two_orders_is_counted_once),
		T(tails_on_the_folios_own_page_0_fail),
		T(an_unmapped_struct_page_fails),
		T(struct_pages_out_of_line_fail),
	};
#undef T

	return cmocka_run_group_tests_name("ktails", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for page/page.h: the layout of struct page, the mask
 * encoding and ch_prep_compound().
 *
 * Expected values are written out as the kernel has them (mm_types.h,
 * page-flags.h), not derived from the macros under test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "page/page.h"

/* C11's aligned_alloc() wants a size that is a multiple of the alignment */
#define ch_aligned_alloc(align, size) \
	aligned_alloc((align), ((size) + (align) - 1) / (align) * (align))

/* Where the kernel's vmemmap starts on x86-64 (4-level paging). */
#define VMEMMAP_START	0xffffea0000000000UL

static void struct_page_is_64_bytes(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct page), 64);
}

static void fields_sit_at_the_kernel_offsets(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct page, flags), 0);
	assert_int_equal(offsetof(struct page, compound_info), 8);
	assert_int_equal(offsetof(struct page, lru.next), 8);
	assert_int_equal(offsetof(struct page, _mapcount), 48);
	assert_int_equal(offsetof(struct page, page_type), 48);
	assert_int_equal(offsetof(struct page, _refcount), 52);
	assert_int_equal(offsetof(struct page, memcg_data), 56);
	assert_int_equal(sizeof(((struct page *)0)->compound_info), 8);
}

static void pg_head_is_bit_6(void **state)
{
	(void)state;
	assert_int_equal(PG_head, 6);
}

static void order_9_tail_stores_ffffffffffff8001(void **state)
{
	(void)state;
	assert_int_equal(ch_compound_info_mask(9), 0xFFFFFFFFFFFF8001UL);
}

static void order_18_tail_stores_ffffffffff000001(void **state)
{
	(void)state;
	assert_int_equal(ch_compound_info_mask(18), 0xFFFFFFFFFF000001UL);
}

static void mask_of_order_1_clears_the_low_7_bits(void **state)
{
	(void)state;
	assert_int_equal(ch_compound_info_mask(1), 0xFFFFFFFFFFFFFF81UL);
}

/*
 * For each order, heads at a few aligned vmemmap addresses: every tail's
 * address masked gives its head, and the first page after the folio does
 * not (it is the next folio's head).
 */
static void mask_of_any_tail_of_an_aligned_folio_is_the_head(void **state)
{
	static const unsigned long nth[] = { 0, 1, 2, 7, 1000 };
	unsigned int order;
	size_t k;

	(void)state;
	for (order = 1; order <= CH_MAX_ORDER; order++) {
		unsigned long span = 64UL << order;
		unsigned long mask = ch_compound_info_mask(order);

		for (k = 0; k < ARRAY_SIZE(nth); k++) {
			unsigned long head = VMEMMAP_START + nth[k] * span;
			unsigned long i;

			for (i = 1; i < (1UL << order); i++) {
				unsigned long tail = head + i * 64;

				if ((tail & mask) != head)
					fail_msg("order %u, head %#lx, tail %lu (%#lx): mask %#lx gives %#lx",
						 order, head, i, tail, mask,
						 tail & mask);
			}
			assert_int_equal((head + span) & mask, head + span);
		}
	}
}

static void mask_is_the_same_for_every_folio_of_one_order(void **state)
{
	struct page *a = ch_aligned_alloc(64UL << 9, 2 * (64UL << 9));
	unsigned int order;

	(void)state;
	assert_non_null(a);
	for (order = 1; order <= 9; order++)
		assert_int_equal(ch_compound_info(a, order, CH_ENC_MASK),
				 ch_compound_info(a + 512, order,
						  CH_ENC_MASK));
	free(a);
}

static void pointer_encoding_stores_head_or_1(void **state)
{
	struct page *p = ch_aligned_alloc(4096, 16 * sizeof(*p));
	unsigned long i;

	(void)state;
	assert_non_null(p);
	ch_prep_compound(p, p, 4, CH_ENC_POINTER);
	for (i = 1; i < 16; i++)
		assert_int_equal(p[i].compound_info, (unsigned long)p | 1UL);
	free(p);
}

/* The stored pointer is where the head is seen, not where it is written. */
static void pointer_encoding_stores_the_seen_head_not_the_written_one(void **state)
{
	struct page *p = ch_aligned_alloc(4096, 8 * sizeof(*p));
	const struct page *seen = (const struct page *)(VMEMMAP_START + 4096);
	unsigned long i;

	(void)state;
	assert_non_null(p);
	ch_prep_compound(p, seen, 3, CH_ENC_POINTER);
	for (i = 1; i < 8; i++)
		assert_int_equal(p[i].compound_info,
				 (unsigned long)seen | 1UL);
	free(p);
}

static void mask_encoding_stores_the_mask_in_every_tail(void **state)
{
	struct page *p = ch_aligned_alloc(64UL << 9, 512 * sizeof(*p));
	unsigned long i;

	(void)state;
	assert_non_null(p);
	ch_prep_compound(p, p, 9, CH_ENC_MASK);
	for (i = 1; i < 512; i++)
		if (p[i].compound_info != 0xFFFFFFFFFFFF8001UL)
			fail_msg("tail %lu stores %#lx, want 0xffffffffffff8001",
				 i, p[i].compound_info);
	free(p);
}

static void prep_compound_sets_pg_head_on_the_head_only(void **state)
{
	static const enum ch_encoding encs[] = { CH_ENC_POINTER, CH_ENC_MASK };
	struct page *p = ch_aligned_alloc(64UL << 9, 512 * sizeof(*p));
	unsigned long i;
	size_t e;

	(void)state;
	assert_non_null(p);
	for (e = 0; e < 2; e++) {
		memset(p, 0xff, 512 * sizeof(*p));
		ch_prep_compound(p, p, 9, encs[e]);
		assert_int_equal(p[0].flags, 1UL << 6);
		assert_int_equal(p[0].compound_info & 1, 0);
		for (i = 1; i < 512; i++) {
			if (p[i].flags & (1UL << 6))
				fail_msg("%s: tail %lu has PG_head (flags %#lx)",
					 ch_encoding_name(encs[e]), i,
					 p[i].flags);
			if (!(p[i].compound_info & 1))
				fail_msg("%s: tail %lu has bit 0 clear (%#lx)",
					 ch_encoding_name(encs[e]), i,
					 p[i].compound_info);
		}
	}
	free(p);
}

static void prep_compound_of_order_0_is_not_head_and_not_tail(void **state)
{
	static const enum ch_encoding encs[] = { CH_ENC_POINTER, CH_ENC_MASK };
	struct page *p = ch_aligned_alloc(4096, 2 * sizeof(*p));
	size_t e;

	(void)state;
	assert_non_null(p);
	for (e = 0; e < 2; e++) {
		memset(p, 0xff, 2 * sizeof(*p));
		ch_prep_compound(p, p, 0, encs[e]);
		assert_int_equal(p[0].flags & (1UL << 6), 0);
		assert_int_equal(p[0].compound_info & 1, 0);
		/* one struct page only: the next one is not touched */
		assert_int_equal(p[1].flags, ~0UL);
	}
	free(p);
}

static void prep_page_gives_refcount_1_and_mapcount_minus_1(void **state)
{
	struct page p;

	(void)state;
	memset(&p, 0xff, sizeof(p));
	ch_prep_page(&p, false);
	assert_int_equal(p._refcount, 1);
	assert_int_equal(p._mapcount, -1);
	assert_int_equal(p.memcg_data, 0);
	assert_false(ch_page_head(&p));
	ch_prep_page(&p, true);
	assert_true(ch_page_head(&p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(struct_page_is_64_bytes),
		cmocka_unit_test(fields_sit_at_the_kernel_offsets),
		cmocka_unit_test(pg_head_is_bit_6),
		cmocka_unit_test(order_9_tail_stores_ffffffffffff8001),
		cmocka_unit_test(order_18_tail_stores_ffffffffff000001),
		cmocka_unit_test(mask_of_order_1_clears_the_low_7_bits),
		cmocka_unit_test(mask_of_any_tail_of_an_aligned_folio_is_the_head),
		cmocka_unit_test(mask_is_the_same_for_every_folio_of_one_order),
		cmocka_unit_test(pointer_encoding_stores_head_or_1),
		cmocka_unit_test(pointer_encoding_stores_the_seen_head_not_the_written_one),
		cmocka_unit_test(mask_encoding_stores_the_mask_in_every_tail),
		cmocka_unit_test(prep_compound_sets_pg_head_on_the_head_only),
		cmocka_unit_test(prep_compound_of_order_0_is_not_head_and_not_tail),
		cmocka_unit_test(prep_page_gives_refcount_1_and_mapcount_minus_1),
	};

	return cmocka_run_group_tests_name("page", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for variants/: the registry, and each variant's compound_head()
 * on small hand-built memmaps (no mmap, no harness), including a fake-head
 * layout made by copying vmemmap page 0 of a folio over its pages 1..7.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "harness/util.h"
#include "variants/layout.h"
#include "variants/page.h"
#include "variants/variants.h"

/* C11's aligned_alloc() wants a size that is a multiple of the alignment */
#define ch_aligned_alloc(align, size) \
	aligned_alloc((align), ((size) + (align) - 1) / (align) * (align))

/* 3 x 512 struct pages: small folios, an order-9 folio, small folios */
#define NR_PAGES	1536
#define SPAN_9		(64UL << 9)

struct folio {
	uint32_t pfn;
	unsigned int order;
};

static struct folio folios[NR_PAGES];
static int nr_folios;
static uint32_t truth[NR_PAGES];	/* pfn of each page's head */

static void add_folio(uint32_t pfn, unsigned int order)
{
	uint32_t i;

	folios[nr_folios].pfn = pfn;
	folios[nr_folios++].order = order;
	for (i = 0; i < (1U << order); i++)
		truth[pfn + i] = pfn;
}

/*
 * In each run of 8 pfns of the small regions: an order-2 folio, then four
 * order-0 pages. Every 4 KiB-aligned struct page there (pfn % 64 == 0) is
 * an order-2 head, which the fake-head key-on path must not misread.
 */
static void plan_folios(void)
{
	uint32_t pfn;

	nr_folios = 0;
	for (pfn = 0; pfn < NR_PAGES;) {
		if (pfn == 512) {
			add_folio(pfn, 9);
			pfn += 512;
		} else if (pfn % 8 == 0) {
			add_folio(pfn, 2);
			pfn += 4;
		} else {
			add_folio(pfn, 0);
			pfn++;
		}
	}
}

static struct page *build(enum ch_encoding enc)
{
	struct page *p = ch_aligned_alloc(2 * SPAN_9, NR_PAGES * sizeof(*p));
	int i;

	if (!p)
		return NULL;
	/* garbage first: every struct page must be written */
	memset(p, 0xa5, NR_PAGES * sizeof(*p));
	plan_folios();
	for (i = 0; i < nr_folios; i++)
		ch_prep_compound(p + folios[i].pfn, p + folios[i].pfn,
				 folios[i].order, enc);
	return p;
}

static int key_off(void **state)
{
	(void)state;
	ch_hvo_key_set(false);
	return 0;
}

static void find_returns_each_variant_by_its_exact_name(void **state)
{
	static const char *const names[] = {
		"pointer", "fake-head", "mask-branchy", "mask-branchless",
		"floor",
	};
	const struct ch_variant *seen[5];
	size_t i, j;

	(void)state;
	assert_int_equal(CH_NR_VARIANTS, 5);
	for (i = 0; i < 5; i++) {
		const struct ch_variant *v = ch_variant_find(names[i]);

		assert_non_null(v);
		assert_string_equal(v->name, names[i]);
		assert_non_null(v->compound_head);
		for (j = 0; j < i; j++)
			assert_ptr_not_equal(v, seen[j]);
		seen[i] = v;
	}
}

static void find_returns_null_for_unknown_or_empty_names(void **state)
{
	static const char *const bad[] = {
		"", "nope", "Pointer", "pointe", "pointer ", "fake_head",
		"mask", "branchless", "floor2",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (ch_variant_find(bad[i]))
			fail_msg("ch_variant_find(\"%s\") = %s, want NULL",
				 bad[i], ch_variant_find(bad[i])->name);
}

static void check_variant(const char *name, bool key)
{
	const struct ch_variant *v = ch_variant_find(name);
	bool identity;
	struct page *p;
	uint32_t pfn;

	assert_non_null(v);
	identity = v->flags & CH_VF_PSEUDO;
	p = build(v->encoding);
	assert_non_null(p);
	ch_hvo_key_set(key);
	for (pfn = 0; pfn < NR_PAGES; pfn++) {
		const struct page *got = v->compound_head(p + pfn);
		uint32_t want = identity ? pfn : truth[pfn];

		if (got != p + want)
			fail_msg("%s (key %s): pfn %u: got %+ld, want pfn %u",
				 name, key ? "on" : "off", pfn,
				 (long)(got - p), want);
	}
	ch_hvo_key_set(false);
	free(p);
}

static void pointer_finds_every_head(void **state)
{
	(void)state;
	check_variant("pointer", false);
}

static void fake_head_finds_every_head_with_the_key_off(void **state)
{
	(void)state;
	check_variant("fake-head", false);
}

static void fake_head_finds_every_head_with_the_key_on(void **state)
{
	(void)state;
	check_variant("fake-head", true);
}

static void mask_branchy_finds_every_head(void **state)
{
	(void)state;
	check_variant("mask-branchy", false);
}

static void mask_branchless_finds_every_head(void **state)
{
	(void)state;
	check_variant("mask-branchless", false);
}

static void floor_returns_the_page_itself(void **state)
{
	(void)state;
	check_variant("floor", false);
}

/*
 * hvo-fake-head without mmap: an order-9 folio whose vmemmap pages 1..7
 * are copies of page 0, so struct pages 64, 128, ..., 448 are fake heads.
 */
static struct page *build_fake_head(void)
{
	struct page *p = ch_aligned_alloc(SPAN_9, 512 * sizeof(*p));
	int j;

	if (!p)
		return NULL;
	ch_prep_compound(p, p, 9, CH_ENC_POINTER);
	for (j = 1; j < 8; j++)
		memcpy(p + 64 * j, p, CH_PAGE_SIZE);
	return p;
}

static void pointer_returns_the_fake_heads_themselves(void **state)
{
	const struct ch_variant *ptr = ch_variant_find("pointer");
	struct page *p = build_fake_head();
	int j;

	(void)state;
	assert_non_null(p);
	for (j = 1; j < 8; j++) {
		assert_true(ch_page_head(p + 64 * j));
		assert_ptr_equal(ptr->compound_head(p + 64 * j), p + 64 * j);
		assert_ptr_equal(ptr->compound_head(p + 64 * j + 1), p);
	}
	free(p);
}

static void fake_head_with_the_key_off_is_pointer_on_fake_heads(void **state)
{
	const struct ch_variant *ptr = ch_variant_find("pointer");
	const struct ch_variant *fh = ch_variant_find("fake-head");
	struct page *p = build_fake_head();
	int i;

	(void)state;
	assert_non_null(p);
	ch_hvo_key_set(false);
	for (i = 0; i < 512; i++) {
		const struct page *a = ptr->compound_head(p + i);
		const struct page *b = fh->compound_head(p + i);

		if (a != b)
			fail_msg("page %d: fake-head (key off) gives %+ld, pointer %+ld",
				 i, (long)(b - p), (long)(a - p));
	}
	free(p);
}

static void fake_head_with_the_key_on_sees_through_fake_heads(void **state)
{
	const struct ch_variant *fh = ch_variant_find("fake-head");
	struct page *p = build_fake_head();
	int i;

	(void)state;
	assert_non_null(p);
	ch_hvo_key_set(true);
	assert_true(ch_hvo_key());
	for (i = 0; i < 512; i++) {
		const struct page *got = fh->compound_head(p + i);

		if (got != p)
			fail_msg("page %d (%s): fake-head (key on) gives %+ld, want 0",
				 i, i % 64 ? "tail" : "fake head",
				 (long)(got - p));
	}
	ch_hvo_key_set(false);
	free(p);
}

/* The key on must not turn real order-0 pages or tails into anything. */
static void fake_head_with_the_key_on_leaves_aligned_small_pages(void **state)
{
	const struct ch_variant *fh = ch_variant_find("fake-head");
	struct page *p = ch_aligned_alloc(CH_PAGE_SIZE, 128 * sizeof(*p));
	int i;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < 128; i++)
		ch_prep_compound(p + i, p + i, 0, CH_ENC_POINTER);
	ch_hvo_key_set(true);
	assert_ptr_equal(fh->compound_head(p), p);
	assert_ptr_equal(fh->compound_head(p + 64), p + 64);
	ch_hvo_key_set(false);
	free(p);
}

/*
 * In a non-tail page the word at offset 8 is lru.next: wherever the list
 * leads, bit 0 is clear and the page is its own head. Heads and order-0
 * pages here are linked on one list, or hold other even values.
 */
static void non_tails_resolve_to_themselves_wherever_lru_points(void **state)
{
	static const unsigned long odd_next[] = {
		0, 0xfffffffffffffff0UL, 0x0000000100000000UL, 0x8UL,
	};
	static struct ch_list_head list = { &list, &list };
	size_t k;
	int i, f;

	(void)state;
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = &ch_variants[i];
		struct page *p = build(v->encoding);

		assert_non_null(p);
		for (k = 0; k <= 4; k++) {
			for (f = 0; f < nr_folios; f++) {
				struct page *h = p + folios[f].pfn;

				if (k < 4)
					h->compound_info = odd_next[k];
				else
					h->lru.next = f + 1 < nr_folios ?
						&p[folios[f + 1].pfn].lru :
						&list;
			}
			ch_hvo_key_set(k & 1);
			for (f = 0; f < nr_folios; f++) {
				const struct page *h = p + folios[f].pfn;
				const struct page *got = v->compound_head(h);

				if (got != h)
					fail_msg("%s (key %s): pfn %u with lru.next %#lx: got %+ld",
						 v->name, k & 1 ? "on" : "off",
						 folios[f].pfn,
						 h->compound_info,
						 (long)(got - p));
			}
			ch_hvo_key_set(false);
		}
		free(p);
	}
}

/*
 * Only a 4 KiB-aligned struct page can be a fake head: a head anywhere
 * else is taken as it is, even if the page after it says otherwise.
 */
static void fake_head_with_the_key_on_checks_only_aligned_heads(void **state)
{
	const struct ch_variant *fh = ch_variant_find("fake-head");
	struct page *p = ch_aligned_alloc(CH_PAGE_SIZE, 128 * sizeof(*p));
	struct page *elsewhere = p + 100;

	(void)state;
	assert_non_null(p);
	ch_prep_page(p + 1, true);
	ch_prep_tail(p + 2, (unsigned long)elsewhere | 1);
	ch_prep_page(p + 64, true);
	ch_prep_tail(p + 65, (unsigned long)elsewhere | 1);
	ch_hvo_key_set(true);
	assert_ptr_equal(fh->compound_head(p + 1), p + 1);
	assert_ptr_equal(fh->compound_head(p + 64), elsewhere);
	ch_hvo_key_set(false);
	assert_ptr_equal(fh->compound_head(p + 64), p + 64);
	free(p);
}

static void correct_on_matches_the_domain(void **state)
{
	static const struct {
		const char *name;
		bool ok[CH_NR_LAYOUTS];
	} want[] = {
		/*                  none  2page fake  shared */
		{ "pointer",	     { 1,    1,    0,    0 } },
		{ "fake-head",	     { 1,    1,    1,    0 } },
		{ "mask-branchy",    { 1,    1,    0,    1 } },
		{ "mask-branchless", { 1,    1,    0,    1 } },
		{ "floor",	     { 1,    1,    1,    1 } },
	};
	size_t i;
	int l;

	(void)state;
	assert_int_equal(CH_NR_LAYOUTS, 4);
	assert_int_equal(ch_layout_find("none"), CH_LAYOUT_NONE);
	assert_int_equal(ch_layout_find("hvo-2page"), CH_LAYOUT_HVO_2PAGE);
	assert_int_equal(ch_layout_find("hvo-fake-head"),
			 CH_LAYOUT_HVO_FAKE_HEAD);
	assert_int_equal(ch_layout_find("hvo-shared-tail"),
			 CH_LAYOUT_HVO_SHARED_TAIL);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct ch_variant *v = ch_variant_find(want[i].name);

		assert_non_null(v);
		for (l = 0; l < CH_NR_LAYOUTS; l++)
			if (ch_variant_correct_on(v, l) != want[i].ok[l])
				fail_msg("%s on %s: correct_on says %d, want %d",
					 want[i].name, ch_layouts[l].name,
					 ch_variant_correct_on(v, l),
					 want[i].ok[l]);
	}
}

static void only_fake_head_depends_on_the_key(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < CH_NR_VARIANTS; i++)
		assert_int_equal(!!(ch_variants[i].flags & CH_VF_KEY),
				 !strcmp(ch_variants[i].name, "fake-head"));
}

static void pointer_and_fake_head_use_pointers_and_masks_use_masks(void **state)
{
	(void)state;
	assert_int_equal(ch_variant_find("pointer")->encoding,
			 CH_ENC_POINTER);
	assert_int_equal(ch_variant_find("fake-head")->encoding,
			 CH_ENC_POINTER);
	assert_int_equal(ch_variant_find("mask-branchy")->encoding,
			 CH_ENC_MASK);
	assert_int_equal(ch_variant_find("mask-branchless")->encoding,
			 CH_ENC_MASK);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, key_off, key_off)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(find_returns_each_variant_by_its_exact_name),
		T(find_returns_null_for_unknown_or_empty_names),
		T(pointer_finds_every_head),
		T(fake_head_finds_every_head_with_the_key_off),
		T(fake_head_finds_every_head_with_the_key_on),
		T(mask_branchy_finds_every_head),
		T(mask_branchless_finds_every_head),
		T(floor_returns_the_page_itself),
		T(pointer_returns_the_fake_heads_themselves),
		T(fake_head_with_the_key_off_is_pointer_on_fake_heads),
		T(fake_head_with_the_key_on_sees_through_fake_heads),
		T(fake_head_with_the_key_on_leaves_aligned_small_pages),
		T(non_tails_resolve_to_themselves_wherever_lru_points),
		T(fake_head_with_the_key_on_checks_only_aligned_heads),
		T(correct_on_matches_the_domain),
		T(only_fake_head_depends_on_the_key),
		T(pointer_and_fake_head_use_pointers_and_masks_use_masks),
	};

	return cmocka_run_group_tests_name("variants", tests, NULL, NULL);
}

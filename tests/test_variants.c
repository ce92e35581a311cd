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

#include "vmemmap/suite.h"
#include "lib/util.h"
#include "page/layout.h"
#include "page/page.h"
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
	int i, j;

	(void)state;
	assert_true(CH_NR_VARIANTS >= 2);
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = &ch_variants[i];

		assert_non_null(v->name);
		if (!v->name[0] || strpbrk(v->name, " /:,@\t"))
			fail_msg("variant %d: name '%s' is empty or holds a separator (space / : , @)",
				 i, v->name);
		assert_ptr_equal(ch_variant_find(v->name), v);
		assert_non_null(v->compound_head);
		assert_true(v->desc && v->desc[0]);
		assert_true(v->origin && v->origin[0]);
		for (j = 0; j < i; j++)
			assert_string_not_equal(v->name, ch_variants[j].name);
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

/* every variant, and a key variant with its key both off and on */
static void every_variant_finds_every_head(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		check_variant(ch_variants[i].name, false);
		if (ch_variants[i].flags & CH_VF_KEY)
			check_variant(ch_variants[i].name, true);
	}
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

/*
 * The domain's rule, for every variant: the plain memmap and hvo-2page
 * keep every struct page real, so all are correct there; fake heads need
 * a pointer variant that sees through them (the key); shared tails need
 * the mask; the floor is correct anywhere, its truth being the page.
 */
static void correct_on_follows_the_encoding_and_the_key(void **state)
{
	int i, l;

	(void)state;
	assert_int_equal(CH_NR_LAYOUTS, 4);
	assert_int_equal(ch_layout_find("none"), CH_LAYOUT_NONE);
	assert_int_equal(ch_layout_find("hvo-2page"), CH_LAYOUT_HVO_2PAGE);
	assert_int_equal(ch_layout_find("hvo-fake-head"),
			 CH_LAYOUT_HVO_FAKE_HEAD);
	assert_int_equal(ch_layout_find("hvo-shared-tail"),
			 CH_LAYOUT_HVO_SHARED_TAIL);
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = &ch_variants[i];
		bool pseudo = v->flags & CH_VF_PSEUDO;
		bool ok[CH_NR_LAYOUTS] = {
			[CH_LAYOUT_NONE] = true,
			[CH_LAYOUT_HVO_2PAGE] = true,
			[CH_LAYOUT_HVO_FAKE_HEAD] = pseudo ||
				(v->encoding == CH_ENC_POINTER &&
				 (v->flags & CH_VF_KEY)),
			[CH_LAYOUT_HVO_SHARED_TAIL] = pseudo ||
				v->encoding == CH_ENC_MASK,
		};

		for (l = 0; l < CH_NR_LAYOUTS; l++)
			if (ch_variant_correct_on(v, l) != ok[l])
				fail_msg("%s on %s: correct_on says %d, the rule %d",
					 v->name, ch_layouts[l].name,
					 ch_variant_correct_on(v, l), ok[l]);
	}
}

/* The key matters to pointer variants alone, and the floor has none. */
static void only_pointer_variants_depend_on_the_key(void **state)
{
	int i, keyed = 0;

	(void)state;
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		if (!(ch_variants[i].flags & CH_VF_KEY))
			continue;
		keyed++;
		assert_int_equal(ch_variants[i].encoding, CH_ENC_POINTER);
		assert_false(ch_variants[i].flags & CH_VF_PSEUDO);
	}
	assert_true(keyed >= 1);
	assert_true(ch_variant_find("fake-head")->flags & CH_VF_KEY);
}

/* Each real variant is timed where it is correct, with a key it has. */
static void each_suite_layout_is_one_the_variant_is_correct_on(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = &ch_variants[i];

		if (!ch_variant_correct_on(v, v->suite_layout))
			fail_msg("%s: suite layout %s is not one it is correct on",
				 v->name, ch_layouts[v->suite_layout].name);
		if (v->suite_key == CH_KEY_ON && !(v->flags & CH_VF_KEY))
			fail_msg("%s: suite key on, but it has no key",
				 v->name);
	}
}

static bool has_pair(const struct ch_suite_pair *p, int n,
		     const struct ch_variant *v, enum ch_layout layout,
		     bool natural)
{
	int i;

	for (i = 0; i < n; i++)
		if (p[i].variant == v && p[i].layout == layout &&
		    p[i].natural == natural)
			return true;
	return false;
}

/*
 * The suite from the registry: each real variant natural on its suite
 * layout and (once) on the plain memmap; the floor on each layout used.
 */
static void the_suite_holds_every_variant_where_the_registry_says(void **state)
{
	struct ch_suite_pair p[CH_MAX_SUITE_PAIRS];
	int n = ch_suite_pairs(p), i, j, real = 0;
	unsigned int used = CH_LAYOUT_BIT(CH_LAYOUT_NONE);

	(void)state;
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = &ch_variants[i];

		if (v->flags & CH_VF_PSEUDO)
			continue;
		real++;
		used |= CH_LAYOUT_BIT(v->suite_layout);
		assert_true(has_pair(p, n, v, v->suite_layout, true));
		if (v->suite_layout != CH_LAYOUT_NONE)
			assert_true(has_pair(p, n, v, CH_LAYOUT_NONE, false));
	}
	for (i = 0; i < CH_NR_VARIANTS; i++)
		for (j = 0; j < CH_NR_LAYOUTS; j++)
			if (ch_variants[i].flags & CH_VF_PSEUDO)
				assert_int_equal(has_pair(p, n,
					&ch_variants[i], j, true),
					!!(used & CH_LAYOUT_BIT(j)));
	for (i = 0; i < n; i++)
		assert_true(ch_variant_correct_on(p[i].variant, p[i].layout));
	/* the A/A control is a real variant on the plain memmap */
	assert_false(ch_suite_control_variant()->flags & CH_VF_PSEUDO);
	assert_int_equal(ch_suite_control_variant()->suite_layout,
			 CH_LAYOUT_NONE);
	assert_true(real >= 1);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, key_off, key_off)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(find_returns_each_variant_by_its_exact_name),
		T(find_returns_null_for_unknown_or_empty_names),
		T(every_variant_finds_every_head),
		T(pointer_returns_the_fake_heads_themselves),
		T(fake_head_with_the_key_off_is_pointer_on_fake_heads),
		T(fake_head_with_the_key_on_sees_through_fake_heads),
		T(fake_head_with_the_key_on_leaves_aligned_small_pages),
		T(non_tails_resolve_to_themselves_wherever_lru_points),
		T(fake_head_with_the_key_on_checks_only_aligned_heads),
		T(correct_on_follows_the_encoding_and_the_key),
		T(only_pointer_variants_depend_on_the_key),
		T(each_suite_layout_is_one_the_variant_is_correct_on),
		T(the_suite_holds_every_variant_where_the_registry_says),
	};

	return cmocka_run_group_tests_name("variants", tests, NULL, NULL);
}

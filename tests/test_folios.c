// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for vmemmap/folios.c (the ground truth), vmemmap/mix.c (--mix)
 * and ch_parse_size() (--mem).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "vmemmap/folios.h"
#include "vmemmap/mix.h"
#include "lib/units.h"
#include "lib/util.h"

#define GiB	(1ULL << 30)
#define MiB	(1ULL << 20)

static void build(struct ch_folios *fs, const char *mix, uint64_t mem,
		  uint64_t seed)
{
	struct ch_mix m;
	char err[512] = "";
	int ret;

	ret = ch_mix_parse(mix, &m, err, sizeof(err));
	if (ret)
		fail_msg("--mix %s: %d (%s)", mix, ret, err);
	ret = ch_folios_build(fs, &m, mem, seed, err, sizeof(err));
	if (ret)
		fail_msg("--mix %s --mem %llu: %d (%s)", mix,
			 (unsigned long long)mem, ret, err);
}

/* Sorted, contiguous, covering [0, nr_pages): each pfn in one folio. */
static void check_cover(const struct ch_folios *fs, uint64_t mem)
{
	uint64_t next = 0;
	uint32_t i;

	assert_int_equal(fs->nr_pages, mem / 4096);
	assert_true(fs->nr > 0);
	for (i = 0; i < fs->nr; i++) {
		if (fs->f[i].pfn != next)
			fail_msg("%s: folio %u starts at pfn %#x, want %#llx (the end of the one before)",
				 fs->mix.name, i, fs->f[i].pfn,
				 (unsigned long long)next);
		next += 1ULL << fs->f[i].order;
	}
	assert_int_equal(next, fs->nr_pages);
}

static const struct {
	const char *mix;
	uint64_t mem;
} layouts[] = {
	{ "mixed", 4 * GiB },
	{ "mixed", 256 * MiB + 7 * 4096 },	/* an odd tail */
	{ "thp", 1 * GiB },
	{ "hugetlb-2m", 256 * MiB },
	{ "hugetlb-1g", 3 * GiB },
	{ "order0", 64 * MiB },
	{ "0:10,1:10,3:10,5:10,6:10,7:10,h8:10,10:10,h11:10,h18:10",
	  2 * GiB + 4096 * 3 },
};

#define NR_LAYOUTS	ARRAY_SIZE(layouts)

static void every_pfn_belongs_to_exactly_one_folio(void **state)
{
	struct ch_folios fs;
	size_t i;

	(void)state;
	for (i = 0; i < NR_LAYOUTS; i++) {
		build(&fs, layouts[i].mix, layouts[i].mem, 1);
		check_cover(&fs, layouts[i].mem);
		ch_folios_free(&fs);
	}
}

static void every_folio_is_naturally_aligned(void **state)
{
	struct ch_folios fs;
	size_t i;
	uint32_t k;

	(void)state;
	for (i = 0; i < NR_LAYOUTS; i++) {
		build(&fs, layouts[i].mix, layouts[i].mem, 7);
		for (k = 0; k < fs.nr; k++) {
			const struct ch_folio *f = &fs.f[k];

			if (f->pfn % (1U << f->order))
				fail_msg("%s: order-%u folio at pfn %#x is not aligned",
					 fs.mix.name, f->order, f->pfn);
		}
		ch_folios_free(&fs);
	}
}

/* Field by field: the padding of struct ch_folio is not initialised. */
static bool same_folios(const struct ch_folios *a, const struct ch_folios *b,
			uint32_t *where)
{
	uint32_t i;

	for (i = 0; i < a->nr && i < b->nr; i++) {
		if (a->f[i].pfn != b->f[i].pfn ||
		    a->f[i].order != b->f[i].order ||
		    a->f[i].kind != b->f[i].kind)
			break;
	}
	*where = i;
	return a->nr == b->nr && i == a->nr;
}

static void same_seed_gives_the_same_placement(void **state)
{
	struct ch_folios a, b;
	uint32_t i;

	(void)state;
	build(&a, "mixed", 1 * GiB, 42);
	build(&b, "mixed", 1 * GiB, 42);
	assert_int_equal(a.nr, b.nr);
	if (!same_folios(&a, &b, &i))
		fail_msg("seed 42 twice: folio %u is order %u at %#x, then order %u at %#x",
			 i, a.f[i].order, a.f[i].pfn, b.f[i].order,
			 b.f[i].pfn);
	assert_memory_equal(a.class_pages, b.class_pages,
			    sizeof(a.class_pages));
	ch_folios_free(&a);
	ch_folios_free(&b);
}

static void another_seed_gives_another_placement(void **state)
{
	struct ch_folios a, b;
	uint32_t i;

	(void)state;
	build(&a, "mixed", 1 * GiB, 42);
	build(&b, "mixed", 1 * GiB, 43);
	/* the same counts of each order, elsewhere */
	assert_memory_equal(a.class_pages, b.class_pages,
			    sizeof(a.class_pages));
	if (same_folios(&a, &b, &i))
		fail_msg("seeds 42 and 43 gave the same placement");
	ch_folios_free(&a);
	ch_folios_free(&b);
}

static uint8_t kind_of(const struct ch_mix_class *c)
{
	if (!c->order)
		return CH_FOLIO_SMALL;
	return c->hugetlb ? CH_FOLIO_HUGETLB : CH_FOLIO_COMPOUND;
}

/* Counted from the folios themselves, not from class_pages. */
static void shares_of_mixed_on_4g_are_within_1_point(void **state)
{
	uint64_t pages[CH_MIX_MAX_CLASSES] = { 0 };
	struct ch_folios fs;
	uint32_t k;
	int i;

	(void)state;
	build(&fs, "mixed", 4 * GiB, 1);
	assert_int_equal(fs.mix.nr, 5);
	for (k = 0; k < fs.nr; k++) {
		const struct ch_folio *f = &fs.f[k];

		for (i = 0; i < fs.mix.nr; i++)
			if (fs.mix.cls[i].order == f->order &&
			    kind_of(&fs.mix.cls[i]) == f->kind)
				break;
		if (i == fs.mix.nr)
			fail_msg("order-%u folio of kind %u at pfn %#x is in no class of %s",
				 f->order, f->kind, f->pfn, fs.mix.spec);
		pages[i] += 1ULL << f->order;
	}
	for (i = 0; i < fs.mix.nr; i++) {
		const struct ch_mix_class *c = &fs.mix.cls[i];
		double got = 100.0 * (double)pages[i] / fs.nr_pages;

		if (got < c->percent - 1.0 || got > c->percent + 1.0)
			fail_msg("class %s%u: %.2f%% of the pages, want %u%% +- 1",
				 c->hugetlb ? "h" : "", c->order, got,
				 c->percent);
		assert_int_equal(fs.class_pages[i], pages[i]);
	}
	ch_folios_free(&fs);
}

static void order_18_on_512m_fails_naming_the_order_and_minimum(void **state)
{
	struct ch_folios fs;
	struct ch_mix m;
	char err[512] = "";

	(void)state;
	assert_int_equal(ch_mix_parse("0:50,h18:50", &m, err, sizeof(err)),
			 0);
	assert_int_equal(ch_folios_build(&fs, &m, 512 * MiB, 1, err,
					 sizeof(err)), -EINVAL);
	if (!strstr(err, "order-18") || !strstr(err, "1G") ||
	    strchr(err, '\n'))
		fail_msg("want one line naming order-18 and 1G, got: %s", err);
	ch_folios_free(&fs);
}

static void hugetlb_folios_are_the_only_hugetlb_kind(void **state)
{
	static const struct {
		const char *mix;
		uint64_t mem;
	} t[] = {
		{ "mixed", 1 * GiB },
		{ "thp", 256 * MiB },
		{ "hugetlb-2m", 256 * MiB },
		{ "9:30,h9:30,h4:20,4:20", 256 * MiB },
	};
	struct ch_folios fs;
	size_t i;
	uint32_t k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		uint64_t hpages = 0, want = 0;
		int c;

		build(&fs, t[i].mix, t[i].mem, 3);
		for (c = 0; c < fs.mix.nr; c++)
			if (fs.mix.cls[c].hugetlb)
				want += fs.class_pages[c];
		for (k = 0; k < fs.nr; k++) {
			const struct ch_folio *f = &fs.f[k];

			if (f->kind == CH_FOLIO_HUGETLB)
				hpages += 1ULL << f->order;
			if (!f->order && f->kind != CH_FOLIO_SMALL)
				fail_msg("%s: order-0 page %#x has kind %u",
					 t[i].mix, f->pfn, f->kind);
			if (f->order && f->kind == CH_FOLIO_SMALL)
				fail_msg("%s: order-%u folio %#x is SMALL",
					 t[i].mix, f->order, f->pfn);
		}
		if (hpages != want)
			fail_msg("%s: %llu pages in HUGETLB folios, want %llu",
				 t[i].mix, (unsigned long long)hpages,
				 (unsigned long long)want);
		if (!strcmp(t[i].mix, "thp"))
			assert_int_equal(hpages, 0);
		if (!strcmp(t[i].mix, "hugetlb-2m"))
			assert_int_equal(hpages, fs.nr_pages);
		ch_folios_free(&fs);
	}
}

static void every_preset_parses(void **state)
{
	static const char *const presets[] = {
		"order0", "thp", "hugetlb-2m", "hugetlb-1g", "mixed", "kmixed",
	};
	struct ch_mix m;
	char err[512];
	size_t i;
	int c;

	(void)state;
	assert_int_equal(ch_nr_mix_presets, 6);
	for (i = 0; i < 6; i++) {
		unsigned int sum = 0;

		err[0] = '\0';
		if (ch_mix_parse(presets[i], &m, err, sizeof(err)))
			fail_msg("preset %s: %s", presets[i], err);
		assert_string_equal(m.name, presets[i]);
		assert_true(m.nr > 0);
		for (c = 0; c < m.nr; c++)
			sum += m.cls[c].percent;
		assert_int_equal(sum, 100);
	}
	assert_int_equal(ch_mix_parse("mixed", &m, err, sizeof(err)), 0);
	assert_string_equal(m.spec, "0:40,2:5,4:10,9:25,h9:20");
	assert_int_equal(ch_mix_parse("hugetlb-1g", &m, err, sizeof(err)), 0);
	assert_int_equal(m.nr, 1);
	assert_int_equal(m.cls[0].order, 18);
	assert_true(m.cls[0].hugetlb);
	assert_true(ch_mix_has_hugetlb(&m));
	assert_int_equal(ch_mix_max_order(&m), 18);
}

static void a_spec_parses_to_its_classes(void **state)
{
	struct ch_mix m;
	char err[512] = "";

	(void)state;
	if (ch_mix_parse("0:50,9:30,h9:20", &m, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(m.nr, 3);
	assert_int_equal(m.cls[1].order, 9);
	assert_false(m.cls[1].hugetlb);
	assert_int_equal(m.cls[1].percent, 30);
	assert_true(m.cls[2].hugetlb);
	assert_int_equal(m.cls[2].percent, 20);
	assert_string_equal(m.spec, "0:50,9:30,h9:20");
}

static void bad_mixes_are_rejected_with_the_valid_forms(void **state)
{
	static const char *const bad[] = {
		"0:50", "9:100,9:0", "h0:100", "x:1", "9:", "", "nope",
		"19:100", "0:101", "0:50,", ":50", "9:100x", "0:-1,9:101",
		"0:100,9:", "0:100,h9",
	};
	struct ch_mix m;
	char err[512];
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		strcpy(err, "");
		ret = ch_mix_parse(bad[i], &m, err, sizeof(err));
		if (ret != -EINVAL)
			fail_msg("--mix '%s': returned %d, want -EINVAL",
				 bad[i], ret);
		if (!strstr(err, "valid:") || strchr(err, '\n'))
			fail_msg("--mix '%s': want one line with \"valid:\", got \"%s\"",
				 bad[i], err);
	}
}

static void sizes_with_units_parse(void **state)
{
	static const struct {
		const char *s;
		uint64_t v;
	} ok[] = {
		{ "4K", 4096 },
		{ "16G", 16ULL << 30 },
		{ "1T", 1ULL << 40 },
		{ "64MiB", 64ULL << 20 },
		{ "2GB", 2ULL << 30 },
		{ "512m", 512ULL << 20 },
		{ "4096", 4096 },
	};
	char err[256];
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		err[0] = '\0';
		v = 0;
		if (ch_parse_size("--mem", ok[i].s, &v, err, sizeof(err)))
			fail_msg("--mem %s rejected: %s", ok[i].s, err);
		if (v != ok[i].v)
			fail_msg("--mem %s: got %llu, want %llu", ok[i].s,
				 (unsigned long long)v,
				 (unsigned long long)ok[i].v);
	}
}

static void bad_sizes_are_rejected_with_one_line(void **state)
{
	static const char *const bad[] = {
		"16Q", "-1", "", "G", "1.5G", "16 G", "16GiBs", "0x10",
		"99999999999999999999", "17179869184G",
	};
	char err[256];
	uint64_t v = 12345;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		if (ch_parse_size("--mem", bad[i], &v, err, sizeof(err)) !=
		    -EINVAL)
			fail_msg("--mem '%s' accepted as %llu", bad[i],
				 (unsigned long long)v);
		if (!strstr(err, "--mem") || !strstr(err, "16G") ||
		    strchr(err, '\n'))
			fail_msg("--mem '%s': want one line giving the form, got \"%s\"",
				 bad[i], err);
	}
	assert_int_equal(v, 12345);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pfn_belongs_to_exactly_one_folio),
		cmocka_unit_test(every_folio_is_naturally_aligned),
		cmocka_unit_test(same_seed_gives_the_same_placement),
		cmocka_unit_test(another_seed_gives_another_placement),
		cmocka_unit_test(shares_of_mixed_on_4g_are_within_1_point),
		cmocka_unit_test(order_18_on_512m_fails_naming_the_order_and_minimum),
		cmocka_unit_test(hugetlb_folios_are_the_only_hugetlb_kind),
		cmocka_unit_test(every_preset_parses),
		cmocka_unit_test(a_spec_parses_to_its_classes),
		cmocka_unit_test(bad_mixes_are_rejected_with_the_valid_forms),
		cmocka_unit_test(sizes_with_units_parse),
		cmocka_unit_test(bad_sizes_are_rejected_with_one_line),
	};

	return cmocka_run_group_tests_name("folios", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Walks and the measured loops: the walks draw the pages they promise,
 * and every inlined walk function computes the true heads, checked by
 * summing the ground truth the same way.
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
#include "vmemmap/memmap.h"
#include "lib/util.h"
#include "vmemmap/walk.h"
#include "vmemmap/walkfn.h"
#include "variants/variants.h"

#define OPS	(1U << 16)

struct fixture {
	struct ch_folios fs;
	uint32_t *head_of;	/* pfn -> head pfn */
};

static int setup_mix(void **state, const char *mix_name, uint64_t mem)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct ch_mix mix;
	char err[512];
	uint32_t i, j;

	assert_non_null(f);
	assert_int_equal(ch_mix_parse(mix_name, &mix, err, sizeof(err)), 0);
	assert_int_equal(ch_folios_build(&f->fs, &mix, mem, 7, err,
					 sizeof(err)), 0);
	f->head_of = malloc(f->fs.nr_pages * sizeof(uint32_t));
	assert_non_null(f->head_of);
	for (i = 0; i < f->fs.nr; i++)
		for (j = 0; j < 1U << f->fs.f[i].order; j++)
			f->head_of[f->fs.f[i].pfn + j] = f->fs.f[i].pfn;
	*state = f;
	return 0;
}

static int setup_mixed(void **state)
{
	return setup_mix(state, "mixed", 256ULL << 20);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ch_folios_free(&f->fs);
	free(f->head_of);
	free(f);
	return 0;
}

static uint32_t *build(struct fixture *f, int kind, int pick, double tf)
{
	struct ch_walk_spec ws = {
		.kind = kind, .pick = pick, .tail_fraction = tf, .ops = OPS,
		.seed = 3,
	};
	uint32_t *idx = NULL;
	char err[512];
	int ret = ch_walk_build(&f->fs, &ws, &idx, err, sizeof(err));

	if (ret)
		fail_msg("walk build failed: %s", err);
	return idx;
}

static bool is_tail(const struct fixture *f, uint32_t pfn)
{
	return f->head_of[pfn] != pfn;
}

static const struct ch_folio *folio_at(const struct fixture *f, uint32_t pfn)
{
	return ch_folio_of(&f->fs, pfn);
}

static void every_pick_draws_only_its_kind_of_page(void **state)
{
	struct fixture *f = *state;
	int pick, i;

	for (pick = CH_PICK_HEAD; pick < CH_NR_PICKS; pick++) {
		uint32_t *idx = build(f, CH_WALK_RANDOM, pick, -1);

		for (i = 0; i < (int)OPS; i++) {
			uint32_t pfn = idx[i];
			const struct ch_folio *fo = folio_at(f, pfn);
			bool ok;

			assert_true(pfn < f->fs.nr_pages);
			switch (pick) {
			case CH_PICK_HEAD:
				ok = fo->order && fo->pfn == pfn;
				break;
			case CH_PICK_TAIL:
				ok = is_tail(f, pfn);
				break;
			case CH_PICK_SMALL:
				ok = !fo->order;
				break;
			default:
				ok = fo->order && fo->pfn == pfn &&
				     !(pfn % CH_PAGES_PER_VMEMMAP);
			}
			if (!ok)
				fail_msg("--pick %s drew pfn %#x (order %u, head %#x)",
					 ch_pick_names[pick], pfn, fo->order,
					 fo->pfn);
		}
		free(idx);
	}
}

static void tail_fraction_sets_the_share_of_tails(void **state)
{
	static const double fr[] = { 0.0, 0.1, 0.5, 0.9, 1.0 };
	struct fixture *f = *state;
	size_t k;
	int i;

	for (k = 0; k < ARRAY_SIZE(fr); k++) {
		uint32_t *idx = build(f, CH_WALK_RANDOM, CH_PICK_ANY, fr[k]);
		int tails = 0;
		double got;

		for (i = 0; i < (int)OPS; i++)
			tails += is_tail(f, idx[i]);
		got = (double)tails / OPS;
		/* 65536 draws: 4 sigma is under 0.008 */
		if (got < fr[k] - 0.01 || got > fr[k] + 0.01)
			fail_msg("--tail-fraction %.2f gave %.4f tails",
				 fr[k], got);
		free(idx);
	}
}

static void random_walk_covers_the_whole_memmap(void **state)
{
	struct fixture *f = *state;
	uint32_t *idx = build(f, CH_WALK_RANDOM, CH_PICK_ANY, -1);
	uint32_t lo = UINT32_MAX, hi = 0;
	int i, low_half = 0;

	for (i = 0; i < (int)OPS; i++) {
		lo = idx[i] < lo ? idx[i] : lo;
		hi = idx[i] > hi ? idx[i] : hi;
		low_half += idx[i] < f->fs.nr_pages / 2;
	}
	assert_true(lo < f->fs.nr_pages / 100);
	assert_true(hi > f->fs.nr_pages - f->fs.nr_pages / 100);
	assert_in_range(low_half, OPS / 2 - OPS / 50, OPS / 2 + OPS / 50);
	free(idx);
}

static void zap_walk_visits_whole_folios_in_order(void **state)
{
	struct fixture *f = *state;
	uint32_t *idx = build(f, CH_WALK_ZAP, CH_PICK_ANY, -1);
	uint32_t i = 0;

	/* every run starts at a head and steps by one to the folio's end */
	while (i < OPS) {
		const struct ch_folio *fo = folio_at(f, idx[i]);
		uint32_t j, nr = 1U << fo->order;

		if (idx[i] != fo->pfn)
			fail_msg("zap run at op %u starts at pfn %#x, not its head %#x",
				 i, idx[i], fo->pfn);
		for (j = 0; j < nr && i + j < OPS; j++)
			assert_int_equal(idx[i + j], fo->pfn + j);
		i += nr;
	}
	free(idx);
}

static void the_same_seed_gives_the_same_walk(void **state)
{
	struct fixture *f = *state;
	uint32_t *a = build(f, CH_WALK_CHASE, CH_PICK_ANY, 0.5);
	uint32_t *b = build(f, CH_WALK_CHASE, CH_PICK_ANY, 0.5);

	assert_memory_equal(a, b, OPS * sizeof(uint32_t));
	free(a);
	free(b);
}

static void zap_with_a_tail_fraction_is_refused(void **state)
{
	struct fixture *f = *state;
	struct ch_walk_spec ws = {
		.kind = CH_WALK_ZAP, .tail_fraction = 0.5, .ops = 16,
	};
	uint32_t *idx = NULL;
	char err[512] = "";

	assert_int_equal(ch_walk_build(&f->fs, &ws, &idx, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "--tail-fraction"));
	assert_null(idx);
}

static void a_pick_the_mix_cannot_serve_is_refused(void **state)
{
	struct ch_folios fs;
	struct ch_mix mix;
	struct ch_walk_spec ws = {
		.kind = CH_WALK_RANDOM, .pick = CH_PICK_TAIL,
		.tail_fraction = -1, .ops = 16,
	};
	uint32_t *idx = NULL;
	char err[512];

	(void)state;
	assert_int_equal(ch_mix_parse("order0", &mix, err, sizeof(err)), 0);
	assert_int_equal(ch_folios_build(&fs, &mix, 64ULL << 20, 1, err,
					 sizeof(err)), 0);
	assert_int_equal(ch_walk_build(&fs, &ws, &idx, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "no tail pages"));
	ch_folios_free(&fs);
}

/*
 * The measured code itself: each inlined walk function, on every layout
 * its variant is correct on, returns the sum of the true heads (the floor:
 * of the pages). This is verify for the code that is timed.
 */
static void every_walk_function_sums_the_true_heads(void **state)
{
	struct fixture *f = *state;
	uint32_t *walks[2] = {
		build(f, CH_WALK_RANDOM, CH_PICK_ANY, -1),
		build(f, CH_WALK_CHASE, CH_PICK_ANY, 0.5),
	};
	int l, e, i, w;

	for (l = 0; l < CH_NR_LAYOUTS; l++) {
		for (e = 0; e < CH_NR_ENCODINGS; e++) {
			struct ch_memmap mm;
			char err[512];

			if (ch_memmap_create(&mm, &f->fs, l, e, err,
					     sizeof(err)))
				fail_msg("memmap: %s", err);
			ch_hvo_key_set(mm.nr_hvo > 0);
			for (i = 0; i < ch_nr_walk_funcs; i++) {
				const struct ch_walk_func *wf =
					&ch_walk_funcs[i];
				const struct ch_variant *v =
					&ch_variants[wf->variant];
				bool pseudo = v->flags & CH_VF_PSEUDO;
				uint64_t want = 0, got;
				uint32_t k;

				if (!pseudo && (v->encoding != (unsigned)e ||
						!ch_variant_correct_on(v, l)))
					continue;
				w = wf->loop == CH_LOOP_CHASE;
				for (k = 0; k < OPS; k++) {
					uint32_t pfn = walks[w][k];

					want += (uintptr_t)(mm.base +
						(pseudo ? pfn : f->head_of[pfn]));
				}
				got = wf->fn(mm.base, walks[w], OPS);
				if (got != want)
					fail_msg("%s on %s: sum %#llx, want %#llx",
						 wf->sym, ch_layouts[l].name,
						 (unsigned long long)got,
						 (unsigned long long)want);
			}
			ch_hvo_key_set(false);
			ch_memmap_destroy(&mm);
		}
	}
	free(walks[0]);
	free(walks[1]);
}

static void pointer_walk_on_fake_heads_does_not_sum_the_true_heads(void **state)
{
	struct fixture *f = *state;
	uint32_t *idx = build(f, CH_WALK_RANDOM, CH_PICK_ALIGNED_HEAD, -1);
	const struct ch_walk_func *wf = ch_walk_func_find(CH_V_pointer,
							  CH_SHAPE_BRANCH,
							  CH_LOOP_INDEX);
	struct ch_memmap mm;
	uint64_t want = 0;
	char err[512];
	uint32_t k;

	/* aligned heads are real heads: pointer gets them right... */
	assert_int_equal(ch_memmap_create(&mm, &f->fs, CH_LAYOUT_HVO_FAKE_HEAD,
					  CH_ENC_POINTER, err, sizeof(err)), 0);
	for (k = 0; k < OPS; k++)
		want += (uintptr_t)(mm.base + f->head_of[idx[k]]);
	assert_int_equal(wf->fn(mm.base, idx, OPS), want);
	free(idx);

	/* ...but the aligned tails of optimized folios are fake heads */
	idx = build(f, CH_WALK_RANDOM, CH_PICK_TAIL, -1);
	want = 0;
	for (k = 0; k < OPS; k++)
		want += (uintptr_t)(mm.base + f->head_of[idx[k]]);
	assert_true(wf->fn(mm.base, idx, OPS) != want);
	ch_memmap_destroy(&mm);
	free(idx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_pick_draws_only_its_kind_of_page),
		cmocka_unit_test(tail_fraction_sets_the_share_of_tails),
		cmocka_unit_test(random_walk_covers_the_whole_memmap),
		cmocka_unit_test(zap_walk_visits_whole_folios_in_order),
		cmocka_unit_test(the_same_seed_gives_the_same_walk),
		cmocka_unit_test(zap_with_a_tail_fraction_is_refused),
		cmocka_unit_test(a_pick_the_mix_cannot_serve_is_refused),
		cmocka_unit_test(every_walk_function_sums_the_true_heads),
		cmocka_unit_test(pointer_walk_on_fake_heads_does_not_sum_the_true_heads),
	};

	return cmocka_run_group_tests_name("walk", tests, setup_mixed,
					   teardown);
}

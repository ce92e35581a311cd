/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walks: the sequence of struct pages a measurement looks up, generated
 * from the ground truth before the clock starts, and seeded.
 *
 *   random: uniformly random struct pages over the whole memmap;
 *   zap:    random folios, then every page of each in order, as
 *           zap_pte_range() meets them;
 *   chase:  as random, but each lookup's address depends on the previous
 *           lookup's result, so the figure is a latency.
 *
 * A pick restricts the kind of page (head, tail, small, aligned-head);
 * a tail fraction F mixes tails (probability F) and non-tails in random
 * order, which sets how predictable the PageTail() branch is.
 */
#ifndef CH_WALK_H
#define CH_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "vmemmap/folios.h"

enum ch_walk_kind {
	CH_WALK_RANDOM,
	CH_WALK_ZAP,
	CH_WALK_CHASE,
	CH_NR_WALKS,
};

enum ch_pick {
	CH_PICK_ANY,
	CH_PICK_HEAD,		/* heads of compound folios */
	CH_PICK_TAIL,
	CH_PICK_SMALL,		/* order-0, not compound */
	CH_PICK_ALIGNED_HEAD,	/* 4 KiB-aligned heads: fake-head slow path */
	CH_NR_PICKS,
};

#define CH_MAX_OPS	(1U << 28)
#define CH_DEFAULT_OPS	(1U << 20)

extern const char *const ch_walk_names[CH_NR_WALKS];
extern const char *const ch_pick_names[CH_NR_PICKS];

int ch_walk_find(const char *name);
const char *ch_walk_list(void);
int ch_pick_find(const char *name);
const char *ch_pick_list(void);

struct ch_walk_spec {
	int kind;
	int pick;
	double tail_fraction;	/* < 0: use pick */
	uint64_t ops;
	uint64_t seed;
};

/*
 * The walk the suites and the plain case names mean: @ops ops of @kind
 * over pages of any kind (no --pick, no --tail-fraction), from @seed.
 */
static inline struct ch_walk_spec ch_walk_spec_any(int kind, uint64_t ops,
						   uint64_t seed)
{
	return (struct ch_walk_spec) {
		.kind = kind, .pick = CH_PICK_ANY, .tail_fraction = -1,
		.ops = ops, .seed = seed,
	};
}

/*
 * Fill *idx with spec->ops page indices (pfns). Returns 0, or -EINVAL
 * (e.g. the mix has no page of the picked kind) or -ENOMEM with a
 * one-line message.
 */
int ch_walk_build(const struct ch_folios *fs, const struct ch_walk_spec *ws,
		  uint32_t **idx, char *err, size_t len);

/*
 * What ch_walk_build() would refuse, known from the mix alone (no folio
 * table): 0, or -EINVAL with the same one-line message.
 */
int ch_walk_check(const struct ch_walk_spec *ws, const struct ch_mix *mix,
		  char *err, size_t len);

/* "random", "zap/pick:tail", "random/tail:0.50": for case names */
const char *ch_walk_label(const struct ch_walk_spec *ws, char *buf,
			  size_t len);

#endif /* CH_WALK_H */

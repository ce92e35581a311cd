/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which variant runs on which layout in a suite, from the registry
 * alone: each variant on its suite layout with its suite key (natural),
 * each on the plain memmap too, and every pseudo-variant (the floor) on
 * each layout the others use (natural: the sweeps keep those).
 */
#ifndef CH_SUITE_H
#define CH_SUITE_H

#include <stdbool.h>
#include <stdint.h>

#include "variants/variants.h"

/*
 * The suite's grid, one definition for bench and kernel bench, whose
 * case names must match: four folio mixes, a cache-resident memmap and
 * a DRAM-sized one, every walk. The kernel pins only what user space can
 * ask for (orders 0, 9, h9, h18): its fourth mix is kmixed, not mixed.
 */
#define CH_SUITE_NR_MIXES	4
#define CH_SUITE_NR_MEMS	2	/* cache-resident, DRAM-sized */
#define CH_SUITE_MEM_SMALL	(64ULL << 20)
/*
 * The DRAM-sized walk touches every struct page once (in --quick too:
 * fewer ops would make it LLC-sized), up to this many.
 */
#define CH_SUITE_MAX_OPS	(1ULL << 22)

extern const char *const ch_suite_mixes[CH_SUITE_NR_MIXES];
extern const char *const ch_suite_kernel_mixes[CH_SUITE_NR_MIXES];

/*
 * A walk's op count: the cache-resident memmap's is fixed (fewer with
 * --quick); the DRAM-sized one's is one op per page of its @pages.
 */
uint64_t ch_suite_ops(bool quick, bool large, uint64_t pages);

struct ch_suite_pair {
	const struct ch_variant *variant;
	enum ch_layout layout;
	enum ch_key key;
	bool natural;
};

/* at most: two per real variant, one per layout for a pseudo one */
#define CH_MAX_SUITE_PAIRS	(CH_NR_VARIANTS * (2 + CH_NR_LAYOUTS))

/* The pairs in suite order into @out; returns how many. */
int ch_suite_pairs(struct ch_suite_pair out[CH_MAX_SUITE_PAIRS]);

/*
 * The A/A control's variant: the first real one whose suite layout is
 * the plain memmap (the cheapest case, and as noisy as any).
 */
const struct ch_variant *ch_suite_control_variant(void);

/*
 * The report's default baseline, "VARIANT@LAYOUT": the kernel before the
 * series, i.e. the first variant with the static key (CH_VF_KEY) on its
 * suite layout; the first variant's where none has one.
 */
const char *ch_suite_baseline(void);

#endif /* CH_SUITE_H */

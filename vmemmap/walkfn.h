/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measured loops. One template, instantiated once per variant, code
 * shape and loop kind, with the variant inlined as the kernel inlines it.
 * Inside a loop there is no call, no function pointer and no load but the
 * index and what the variant itself loads; every result is consumed.
 *
 *   index: base + idx[i], results summed (random and zap walks): the
 *          lookups are independent, so this is a throughput;
 *   chase: the next address depends on the previous head, so this is a
 *          latency.
 *
 * Each function is noinline with a stable symbol, ch_walk_<loop>_<variant>
 * _<shape>, so callgrind can count it alone and objdump can show it.
 */
#ifndef CH_WALKFN_H
#define CH_WALKFN_H

#include <stddef.h>
#include <stdint.h>

#include "page/page.h"
#include "page/shape.h"
#include "variants/variants.h"

enum ch_loop {
	CH_LOOP_INDEX,
	CH_LOOP_CHASE,
	CH_NR_LOOPS,
};

typedef uint64_t (*ch_walk_fn)(const struct page *base, const uint32_t *idx,
			       size_t n);

struct ch_walk_func {
	const char *sym;
	int variant;		/* enum ch_variant_id */
	int shape;
	int loop;
	ch_walk_fn fn;
};

extern const struct ch_walk_func ch_walk_funcs[];
extern const int ch_nr_walk_funcs;

extern const char *const ch_loop_names[CH_NR_LOOPS];
/* "index, chase" */
const char *ch_loop_list(void);

const struct ch_walk_func *ch_walk_func_find(int variant, int shape,
					     int loop);
/* the loop a walk kind runs in */
int ch_walk_loop(int walk_kind);

#endif /* CH_WALKFN_H */

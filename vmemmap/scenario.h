/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scenario is one measurable thing: a variant in a code shape, on a
 * layout, over a folio mix of some size, along a walk. Preparing one
 * builds (or finds in a cache) its ground truth, memmap and walk, so that
 * variants compared in one run walk the very same struct pages.
 */
#ifndef CH_SCENARIO_H
#define CH_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmemmap/memmap.h"
#include "vmemmap/mix.h"
#include "vmemmap/walk.h"
#include "vmemmap/walkfn.h"
#include "variants/variants.h"

/* the most memmap instances one case may have (--instances) */
#define CH_MAX_INSTANCES	64

struct ch_scenario {
	const struct ch_variant *variant;
	int shape;
	int layout;
	int key;			/* CH_KEY_AUTO, 0, 1 */
	struct ch_mix mix;
	uint64_t mem;
	uint64_t seed;
	struct ch_walk_spec walk;
	/*
	 * Which memmap instance: each builds its memmap afresh, new
	 * memfd pages and new mappings at an address of the same 1 GiB
	 * alignment, before the previous instance's are freed (so they cannot
	 * simply be handed back).  What differs between two instances is
	 * what differs between two processes.  Variants of one instance
	 * share it, as they share one memmap today.
	 */
	int instance;
	/* 0; or 1, 2: an A/A control's arms, each built on its own */
	int arm;
	/*
	 * A kernel path (chbench kernel paths), not a walk: enum ch_kpath
	 * (CH_KPATH_NONE: a walk), on folios of enum ch_kfolio, under HVO
	 * or not (HugeTLB only). Such a case is named
	 * "path/<path>/<folio>/mem:<size>[/hvo:on|off][/arm:a|b]", and
	 * only mem and arm above mean anything for it.
	 */
	int path;
	int folio;
	bool hvo;
};

struct ch_prepared {
	const struct ch_memmap *mm;
	const uint32_t *idx;
	size_t n;
	const struct ch_walk_func *wf;
	bool key;
};

/*
 * Everything ch_scenario_prepare() would refuse that is known without
 * building anything (layout, sizes, walk against mix, memory): callers
 * check every case with it before any work. 0, or -EINVAL (or -ENOMEM: no
 * room for the memmap) with a message.
 */
int ch_scenario_validate(const struct ch_scenario *sc, char *err, size_t len);
/*
 * Build or find everything; set the static key. 0, or a negative errno
 * with a message.
 */
int ch_scenario_prepare(const struct ch_scenario *sc, struct ch_prepared *p,
			char *err, size_t len);
/*
 * "walk/<variant>/<shape>/<layout>/<mix>/<walk>/mem:<size>" (a kernel
 * path's: see struct ch_scenario's path), then
 * "/key:on|off" where set and "/arm:a|b" for an A/A arm; the instance is
 * not in the name (Google Benchmark's JSON gives it as a field).
 */
const char *ch_scenario_name(const struct ch_scenario *sc, char *buf,
			     size_t len);
/*
 * The inverse of ch_scenario_name(), for results written before
 * metadata.json held their cases: every field the name gives (variant,
 * shape, layout, mix, walk, pick or tail fraction to two decimals, mem,
 * key, arm); the rest zero. @find looks a variant up (the registry's
 * ch_variant_find(), or the kernel side's, which knows two more). 0, or
 * -EINVAL with a one-line message naming the part that is wrong.
 */
int ch_scenario_parse(const char *name, struct ch_scenario *sc,
		      const struct ch_variant *(*find)(const char *name),
		      char *err, size_t len);
/*
 * Does @floor net out @sc: a pseudo-variant (the floor) on @sc's layout,
 * in @sc's block of the table (A/A or not, mix, walk, mem, shape)? What
 * the table's -floor column and metadata.json's "floor" pair by.
 */
bool ch_scenario_nets_against(const struct ch_scenario *sc,
			      const struct ch_scenario *floor);
/* Run the measured loop once over the whole walk. */
static inline uint64_t ch_prepared_run(const struct ch_prepared *p)
{
	return p->wf->fn(p->mm->base, p->idx, p->n);
}
/* Release every cached memmap, walk and folio table. */
void ch_scenario_cache_drop(void);


#endif /* CH_SCENARIO_H */

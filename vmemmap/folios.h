/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ground truth: which folio every pfn of the simulated RAM belongs
 * to. Folios are placed as the buddy allocator would leave them, naturally
 * aligned, at seeded random positions, so the true head of every struct
 * page is known before any variant runs.
 */
#ifndef CH_FOLIOS_H
#define CH_FOLIOS_H

#include <stdbool.h>
#include <stdint.h>

#include "vmemmap/mix.h"

enum ch_folio_kind {
	CH_FOLIO_SMALL,		/* order 0: not compound */
	CH_FOLIO_COMPOUND,	/* THP, mTHP */
	CH_FOLIO_HUGETLB,
};

struct ch_folio {
	uint32_t pfn;
	uint8_t order;
	uint8_t kind;
};

struct ch_folios {
	struct ch_mix mix;
	uint64_t seed;
	uint64_t mem;			/* bytes of simulated RAM */
	uint32_t nr_pages;
	unsigned int max_order;
	struct ch_folio *f;		/* sorted by pfn, covering every pfn */
	uint32_t nr;
	/* pages that each mix class actually got, and order-0 filler */
	uint64_t class_pages[CH_MIX_MAX_CLASSES];
	uint64_t filler_pages;
};

#define CH_MAX_MEM	((uint64_t)UINT32_MAX << 12)

/* 0, or -EINVAL or -ENOMEM with a one-line message (size too small...). */
/* Would ch_folios_build() take this size and mix? 0, or -EINVAL + message. */
int ch_folios_check(const struct ch_mix *mix, uint64_t mem, char *err,
		    size_t len);
int ch_folios_build(struct ch_folios *fs, const struct ch_mix *mix,
		    uint64_t mem, uint64_t seed, char *err, size_t len);
void ch_folios_free(struct ch_folios *fs);

/* The folio holding @pfn (< fs->nr_pages). */
const struct ch_folio *ch_folio_of(const struct ch_folios *fs, uint32_t pfn);

#endif /* CH_FOLIOS_H */

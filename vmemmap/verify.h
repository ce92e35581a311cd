/* SPDX-License-Identifier: GPL-2.0 */
/* Check a variant against the ground truth on every struct page. */
#ifndef CH_VERIFY_H
#define CH_VERIFY_H

#include <stdint.h>

#include "vmemmap/memmap.h"
#include "variants/variants.h"

#define CH_VERIFY_EXAMPLES	3

struct ch_mismatch {
	uint32_t pfn;
	uint32_t want;		/* pfn of the true head */
	const struct page *got;
};

struct ch_verify_result {
	uint64_t checked;
	uint64_t mismatches;
	uint64_t fake_heads;	/* mismatches that returned a fake head */
	int nr_examples;
	struct ch_mismatch ex[CH_VERIFY_EXAMPLES];
};

void ch_verify(const struct ch_memmap *mm, const struct ch_variant *v,
	       struct ch_verify_result *res);
/*
 * One line: "pfn 0x241: got pfn 0x240 (a fake head), want pfn 0x200"; what
 * came back is also "the page itself", "another folio's head", "not a
 * head", or an address that is not a struct page at all.
 */
void ch_mismatch_describe(const struct ch_memmap *mm,
			  const struct ch_mismatch *m, char *buf, size_t len);

#endif /* CH_VERIFY_H */

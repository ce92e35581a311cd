/* SPDX-License-Identifier: GPL-2.0 */
/* Check a variant against the ground truth on every struct page. */
#ifndef CH_VERIFY_H
#define CH_VERIFY_H

#include <stdint.h>

#include "harness/memmap.h"
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
/* "pfn 0x40 (tail of order-9 hugetlb folio 0x0): got 0x40 (a fake head), want 0x0" */
void ch_mismatch_describe(const struct ch_memmap *mm,
			  const struct ch_mismatch *m, char *buf, size_t len);

#endif /* CH_VERIFY_H */

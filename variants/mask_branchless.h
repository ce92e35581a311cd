/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "mm: Remove the branch from compound_head()" (Kiryl Shutsemau, 2026):
 * the mask encoding with no data-dependent branch, so the zap path, which
 * calls it for every leaf page-table entry, cannot mispredict here. There
 * is no test to keep, so both code shapes are the same code.
 */
#ifndef CH_VARIANT_MASK_BRANCHLESS_H
#define CH_VARIANT_MASK_BRANCHLESS_H

#include "page/page.h"
#include "page/shape.h"

static __always_inline const struct page *
ch_mask_branchless_compound_head(const struct page *page, enum ch_shape shape)
{
	unsigned long info = CH_READ_ONCE(ch_info_word(page));
	unsigned long mask;

	(void)shape;
	/* Non-tail: -1UL, Tail: 0 */
	mask = (info & 1) - 1;
	/* Non-tail: -1UL, Tail: info */
	mask |= info;
	return (const struct page *)((unsigned long)page & mask);
}

#endif /* CH_VARIANT_MASK_BRANCHLESS_H */

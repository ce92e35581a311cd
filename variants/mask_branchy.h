/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "mm: Rework compound_head() for power-of-2 sizeof(struct page)" (Kiryl
 * Shutsemau, 2026), with compound_info_has_mask() true and fake heads
 * gone: a tail stores GENMASK(63, order + 6) | 1, and page & info is the
 * head. The bit-0 test is still a branch.
 */
#ifndef CH_VARIANT_MASK_BRANCHY_H
#define CH_VARIANT_MASK_BRANCHY_H

#include "page/page.h"
#include "page/shape.h"

static __always_inline const struct page *
ch_mask_branchy_compound_head(const struct page *page, enum ch_shape shape)
{
	unsigned long info = CH_READ_ONCE(ch_info_word(page));

	/* Bit 0 encodes PageTail() */
	if (!(info & 1)) {
		ch_keep_branch(shape);
		return page;
	}
	/* No need to clear bit 0 of the mask: page always has it clear. */
	return (const struct page *)((unsigned long)page & info);
}

#endif /* CH_VARIANT_MASK_BRANCHY_H */

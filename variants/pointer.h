/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The classic encoding: a tail stores a pointer to its head with bit 0
 * set. It is _compound_head() as it was before HVO's fake heads (v5.x,
 * include/linux/page-flags.h), and what the 2026 series keeps when
 * compound_info_has_mask() is false ("mm: Rework compound_head() for
 * power-of-2 sizeof(struct page)"). One load, one branch.
 */
#ifndef CH_VARIANT_POINTER_H
#define CH_VARIANT_POINTER_H

#include "page/page.h"
#include "page/shape.h"

static __always_inline const struct page *
ch_pointer_compound_head(const struct page *page, enum ch_shape shape)
{
	unsigned long head = CH_READ_ONCE(ch_info_word(page));

	/* Bit 0 encodes PageTail() */
	if (ch_unlikely(head & 1)) {
		ch_keep_branch(shape);
		return (const struct page *)(head - 1);
	}
	return page;
}

#endif /* CH_VARIANT_POINTER_H */

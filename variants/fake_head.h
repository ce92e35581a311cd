/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HVO era (2022 to the 2026 series): the pointer encoding, plus
 * page_fixed_fake_head() on the non-tail path, from Muchun Song's "mm:
 * hugetlb: free the 2nd vmemmap page associated with each HugeTLB page"
 * (v5.18), as it stood until "mm: Drop fake head checks" (2026). It has
 * been force-inlined since August 2024, after LKP found the out-of-line
 * copy cost stress-ng.clone 2.9%.
 *
 * With hvo-fake-head, vmemmap pages 1..N-1 of an optimized folio alias
 * page 0, so every 4 KiB-aligned struct page in them is a copy of the
 * head: PG_head set, bit 0 of the next word clear. page[1] is a copy of
 * the first tail, whose pointer leads to the real head.
 */
#ifndef CH_VARIANT_FAKE_HEAD_H
#define CH_VARIANT_FAKE_HEAD_H

#include "page/page.h"
#include "page/shape.h"
#include "page/static_key.h"

/* Switched on as soon as one HugeTLB folio is optimized. */
CH_DECLARE_STATIC_KEY_FALSE(hugetlb_optimize_vmemmap_key);

static __always_inline const struct page *
ch_page_fixed_fake_head(const struct page *page)
{
	if (!ch_static_branch_unlikely(&hugetlb_optimize_vmemmap_key))
		return page;

	/*
	 * Only a struct page aligned to PAGE_SIZE can be a fake head; the
	 * alignment test comes first so page[1], a possibly cold cache
	 * line, is read only for those.
	 */
	if (!((unsigned long)page & (CH_PAGE_SIZE - 1)) &&
	    (CH_READ_ONCE(ch_flags_word(page)) & (1UL << PG_head))) {
		/*
		 * page[1] is valid: a head is followed by at least one
		 * tail.
		 */
		unsigned long head = CH_READ_ONCE(ch_info_word(&page[1]));

		if (ch_likely(head & 1))
			return (const struct page *)(head - 1);
	}
	return page;
}

static __always_inline const struct page *
ch_fake_head_compound_head(const struct page *page, enum ch_shape shape)
{
	unsigned long head = CH_READ_ONCE(ch_info_word(page));

	if (ch_unlikely(head & 1)) {
		ch_keep_branch(shape);
		return (const struct page *)(head - 1);
	}
	return ch_page_fixed_fake_head(page);
}

#endif /* CH_VARIANT_FAKE_HEAD_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct page as x86-64 lays it out in a typical config: 64 bytes, and the
 * helpers that prepare a compound folio in either encoding of the word at
 * offset 8 (->compound_head before the 2026 series, ->compound_info after).
 */
#ifndef CH_PAGE_H
#define CH_PAGE_H

/* How a tail page finds its head. */
enum ch_encoding {
	CH_ENC_POINTER,		/* tail: head | 1 */
	CH_ENC_MASK,		/* tail: GENMASK(63, order + 6) | 1 */
	CH_NR_ENCODINGS,
};

static inline const char *ch_encoding_name(enum ch_encoding enc)
{
	return enc == CH_ENC_MASK ? "mask" : "pointer";
}

#ifdef __KERNEL__
/* kmod/: the variants run on the running kernel's own struct page */
#include "page/kpage.h"
#else

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

#define CH_PAGE_SHIFT		12
#define CH_PAGE_SIZE		(1UL << CH_PAGE_SHIFT)
#define CH_STRUCT_PAGE_SHIFT	6		/* log2(sizeof(struct page)) */
#define CH_PAGES_PER_VMEMMAP	(CH_PAGE_SIZE >> CH_STRUCT_PAGE_SHIFT)
#define CH_MAX_ORDER		18		/* 1 GiB folios with 4 KiB pages */

/* PG_head is bit 6 in kernels since 2023 (bit 16 in older ones). */
#define PG_head			6

#define CH_GENMASK(h, l) \
	((~0UL << (l)) & (~0UL >> (63 - (h))))

/* READ_ONCE() of one machine word: one volatile 8-byte load. */
#define CH_READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))

struct ch_list_head {
	struct ch_list_head *next, *prev;
};

struct page {
	unsigned long flags;				/* 0 */
	union {						/* 8: 5 words */
		struct {				/* non-tail pages */
			/* bit 0 of lru.next is clear: not a tail */
			struct ch_list_head lru;
			void *mapping;
			unsigned long index;
			unsigned long private;
		};
		struct {				/* tail pages */
			/* Bit 0 encodes PageTail() */
			unsigned long compound_info;
		};
	};
	union {						/* 48 */
		int _mapcount;
		unsigned int page_type;
	};
	int _refcount;					/* 52 */
	unsigned long memcg_data;			/* 56 */
};

_Static_assert(sizeof(struct page) == 1UL << CH_STRUCT_PAGE_SHIFT,
	       "struct page must be 64 bytes: the mask encoding needs 2^n");
_Static_assert(offsetof(struct page, compound_info) == 8,
	       "compound_info must sit at offset 8");
_Static_assert(offsetof(struct page, lru) == 8,
	       "lru.next shares the word with compound_info");
_Static_assert(offsetof(struct page, _refcount) == 52, "_refcount at 52");

/* The word at offset 8, as every variant reads it. */
#define ch_info_word(page)	((page)->compound_info)
/* The flags word at offset 0 (a struct holding it in newer kernels). */
#define ch_flags_word(page)	((page)->flags)

/*
 * The mask encoding of set_compound_head() in mask mode: every tail of an
 * order-@order folio stores the same value, whichever folio it is in, so
 * page & mask is the head as long as the head's struct page is aligned to
 * its folio's memmap span.
 */
static __always_inline unsigned long ch_compound_info_mask(unsigned int order)
{
	return CH_GENMASK(63, order + CH_STRUCT_PAGE_SHIFT) | 1UL;
}

static inline unsigned long ch_compound_info(const struct page *head,
					     unsigned int order,
					     enum ch_encoding enc)
{
	if (enc == CH_ENC_MASK)
		return ch_compound_info_mask(order);
	return (unsigned long)head | 1UL;
}

/* A page that is not a tail: order-0, or the head of a folio. */
static inline void ch_prep_page(struct page *page, bool head)
{
	page->flags = head ? 1UL << PG_head : 0;
	/* an empty list_head points at itself: bit 0 stays clear */
	page->lru.next = &page->lru;
	page->lru.prev = &page->lru;
	page->mapping = NULL;
	page->index = 0;
	page->private = 0;
	page->_mapcount = -1;
	page->_refcount = 1;
	page->memcg_data = 0;
}

static inline void ch_prep_tail(struct page *tail, unsigned long info)
{
	tail->flags = 0;
	tail->compound_info = info;
	tail->lru.prev = NULL;
	tail->mapping = NULL;
	tail->index = 0;
	tail->private = 0;
	tail->_mapcount = -1;
	tail->_refcount = 0;
	tail->memcg_data = 0;
}

/*
 * Prepare the folio of order @order whose head is @head, with its tails
 * in encoding @enc. @head is where the head's struct page will be seen by
 * compound_head() (the vmemmap address), which may differ from @write
 * when the memmap is written through another mapping.
 */
static inline void ch_prep_compound(struct page *write,
				    const struct page *head,
				    unsigned int order, enum ch_encoding enc)
{
	unsigned long info = ch_compound_info(head, order, enc);
	unsigned long i, nr = 1UL << order;

	if (!order) {
		ch_prep_page(write, false);
		return;
	}
	ch_prep_page(write, true);
	for (i = 1; i < nr; i++)
		ch_prep_tail(write + i, info);
}

static inline bool ch_page_head(const struct page *page)
{
	return ch_flags_word(page) & (1UL << PG_head);
}

#endif /* !__KERNEL__ */
#endif /* CH_PAGE_H */

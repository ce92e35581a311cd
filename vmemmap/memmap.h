/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated vmemmap. A memfd backs it; HVO aliasing is real: the same
 * file page is mapped read-only at every virtual address that aliases it
 * (MAP_SHARED | MAP_FIXED), so cache footprint, TLB reach and the bytes
 * saved are those of the kernel's layout, not an imitation.
 */
#ifndef CH_MEMMAP_H
#define CH_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmemmap/folios.h"
#include "page/layout.h"
#include "page/page.h"
#include "variants/variants.h"

#define CH_VMEMMAP_VA_ALIGN	(1UL << 30)

struct ch_footprint {
	uint64_t virt;		/* bytes of vmemmap address space */
	uint64_t resident;	/* bytes of memory behind it (memfd blocks) */
	uint64_t saved;		/* against the none layout */
};

struct ch_memmap {
	const struct ch_folios *fs;
	enum ch_layout layout;
	enum ch_encoding enc;
	struct page *base;	/* aligned as the kernel aligns the memmap */
	size_t bytes;		/* nr_pages * sizeof(struct page) */
	size_t map_len;		/* bytes rounded up to a page */
	size_t align;		/* what the kernel requires of the memmap */
	size_t va_align;	/* what we give it: at least 1 GiB, like PUD */
	void *resv;
	size_t resv_len;
	int fd;
	uint64_t nr_hvo;	/* HVO-optimized folios */
	uint64_t nr_alias;	/* aliased vmemmap pages: one mapping each */
	uint64_t nr_shared;	/* shared tail pages */
	struct ch_footprint fp;
};

/*
 * 0, or a negative errno (-ENOMEM: a limit was hit) with a one-line
 * message that names the limit.
 */
int ch_memmap_create(struct ch_memmap *mm, const struct ch_folios *fs,
		     enum ch_layout layout, enum ch_encoding enc,
		     char *err, size_t len);
void ch_memmap_destroy(struct ch_memmap *mm);
/*
 * Before any work: would @layout optimize every HugeTLB order in @mix,
 * and does the plain memmap for @mem fit in MemAvailable? 0, or -EINVAL
 * (the order) or -ENOMEM (the memory) with a one-line message.
 */
int ch_memmap_check(const struct ch_mix *mix, uint64_t mem,
		    enum ch_layout layout, char *err, size_t len);
/* The first half alone: 0, or -EINVAL naming the order never optimized */
int ch_memmap_check_orders(const struct ch_mix *mix, enum ch_layout layout,
			   char *err, size_t len);

/*
 * The least --mem a limit message may advise (0: one folio); a command
 * with a floor of its own (footprint: 1G) sets it.
 */
extern uint64_t ch_memmap_advice_min;

/* The memmap alignment for folios up to @max_order. */
size_t ch_memmap_align(unsigned int max_order);

static inline struct page *ch_memmap_page(const struct ch_memmap *mm,
					  uint32_t pfn)
{
	return mm->base + pfn;
}

/*
 * hugetlb_optimize_vmemmap_key as a case has it: @key as given, or for
 * CH_KEY_AUTO as the kernel sets it, on once one HugeTLB folio of @mm
 * is optimized.
 */
bool ch_memmap_key(const struct ch_memmap *mm, enum ch_key key);

#endif /* CH_MEMMAP_H */

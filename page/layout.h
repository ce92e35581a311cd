/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vmemmap layouts a variant may walk: the plain memmap, and the three
 * HugeTLB Vmemmap Optimization (HVO) schemes the kernel has used.
 */
#ifndef CH_LAYOUT_H
#define CH_LAYOUT_H

#ifndef __KERNEL__
#include <stdbool.h>
#endif

enum ch_layout {
	CH_LAYOUT_NONE,
	CH_LAYOUT_HVO_2PAGE,
	CH_LAYOUT_HVO_FAKE_HEAD,
	CH_LAYOUT_HVO_SHARED_TAIL,
	CH_NR_LAYOUTS,
};

#define CH_LAYOUT_BIT(l)	(1U << (l))
#define CH_ALL_LAYOUTS		(CH_LAYOUT_BIT(CH_NR_LAYOUTS) - 1)

struct ch_layout_info {
	const char *name;
	const char *desc;
	/* vmemmap pages of an optimized folio kept private to it */
	unsigned int private_pages;
	/* true: the aliased pages show one page shared by all folios */
	bool shared;
};

extern const struct ch_layout_info ch_layouts[CH_NR_LAYOUTS];

/* Returns -1 for an unknown name. */
int ch_layout_find(const char *name);
/* "none, hvo-2page, ..." for error messages */
const char *ch_layout_list(void);

#endif /* CH_LAYOUT_H */

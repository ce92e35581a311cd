/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "kernel": the running kernel's own compound_head(), from its headers,
 * whichever era they are from: the pointer encoding with
 * page_fixed_fake_head() (6.1), or the mask encoding (the 2026 series).
 * It is already __always_inline there; the code shape is the kernel's.
 */
#ifndef CHB_KERNEL_VARIANT_H
#define CHB_KERNEL_VARIANT_H

#include <linux/page-flags.h>

#include "page/shape.h"

static __always_inline const struct page *
ch_kernel_compound_head(const struct page *page, enum ch_shape shape)
{
	(void)shape;
	return compound_head(page);
}

#endif /* CHB_KERNEL_VARIANT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Not a compound_head(): the harness's own cost. It does the one load
 * every variant does and returns the page, so variant minus floor is
 * what the variant's logic adds. In the chase walk its result does not
 * wait for the load, so there the floor excludes the load latency too.
 */
#ifndef CH_VARIANT_FLOOR_H
#define CH_VARIANT_FLOOR_H

#include "page/page.h"
#include "page/shape.h"

static __always_inline const struct page *
ch_floor_compound_head(const struct page *page, enum ch_shape shape)
{
	(void)shape;
	(void)CH_READ_ONCE(ch_info_word(page));
	return page;
}

#endif /* CH_VARIANT_FLOOR_H */

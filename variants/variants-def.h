/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The variants: the one list. An entry is the header that holds the
 * variant's inline function, then one line in perf-bench style:
 *
 *   CH_VARIANT(ident, name, encoding, correct layouts, flags,
 *		suite layout, suite key, desc, origin)
 *
 * ident names the inline function ch_<ident>_compound_head() in
 * variants/<ident>.h. The suite layout and key are where and how the
 * kernel runs the variant: bench times it there (and on the plain
 * memmap), the sweeps only there. Including this file with CH_VARIANT
 * defined expands it once per variant; the registry, the walk loops,
 * the suite and chbench.ko all do. variants/variants.h includes it
 * first, at file scope, so each header's include guard is set before
 * any expansion inside a table.
 */
#define CH_L(l)		CH_LAYOUT_BIT(CH_LAYOUT_##l)

#include "variants/pointer.h"
CH_VARIANT(pointer, "pointer", CH_ENC_POINTER,
	   CH_L(NONE) | CH_L(HVO_2PAGE), 0,
	   CH_LAYOUT_NONE, CH_KEY_AUTO,
	   "head pointer in tails, one load, one branch",
	   "pre-HVO _compound_head(); the series' non-power-of-2 path")

/* the kernel switches the key on once a HugeTLB folio is optimized */
#include "variants/fake_head.h"
CH_VARIANT(fake_head, "fake-head", CH_ENC_POINTER,
	   CH_L(NONE) | CH_L(HVO_2PAGE) | CH_L(HVO_FAKE_HEAD), CH_VF_KEY,
	   CH_LAYOUT_HVO_FAKE_HEAD, CH_KEY_ON,
	   "pointer plus page_fixed_fake_head() behind a static key",
	   "v5.18 \"free the 2nd vmemmap page\" to 2026 \"Drop fake head checks\"")

#include "variants/mask_branchy.h"
CH_VARIANT(mask_branchy, "mask-branchy", CH_ENC_MASK,
	   CH_L(NONE) | CH_L(HVO_2PAGE) | CH_L(HVO_SHARED_TAIL), 0,
	   CH_LAYOUT_HVO_SHARED_TAIL, CH_KEY_AUTO,
	   "mask in tails, page & info, bit-0 branch",
	   "2026 \"Rework compound_head() for power-of-2 sizeof(struct page)\"")

#include "variants/mask_branchless.h"
CH_VARIANT(mask_branchless, "mask-branchless", CH_ENC_MASK,
	   CH_L(NONE) | CH_L(HVO_2PAGE) | CH_L(HVO_SHARED_TAIL), 0,
	   CH_LAYOUT_HVO_SHARED_TAIL, CH_KEY_AUTO,
	   "mask in tails, no data-dependent branch",
	   "2026 \"Remove the branch from compound_head()\"")

/* the suite runs it on every layout some variant's suite layout is */
#include "variants/floor.h"
CH_VARIANT(floor, "floor", CH_ENC_POINTER,
	   CH_ALL_LAYOUTS, CH_VF_PSEUDO,
	   CH_LAYOUT_NONE, CH_KEY_AUTO,
	   "pseudo-variant: the load alone, returns the page (harness cost)",
	   "none: nets out the walk loop, index load and info load")

#undef CH_L

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The variants, one line each, in perf-bench style:
 *
 *   CH_VARIANT(ident, name, encoding, correct layouts, flags, desc, origin)
 *
 * ident names the inline function ch_<ident>_compound_head() in
 * variants/<ident>.h. Including this file with CH_VARIANT defined expands
 * it once per variant; the registry and the walk loops both do.
 */
#define CH_L(l)		CH_LAYOUT_BIT(CH_LAYOUT_##l)

CH_VARIANT(pointer, "pointer", CH_ENC_POINTER,
	   CH_L(NONE) | CH_L(HVO_2PAGE), 0,
	   "head pointer in tails, one load, one branch",
	   "pre-HVO _compound_head(); the series' non-power-of-2 path")
CH_VARIANT(fake_head, "fake-head", CH_ENC_POINTER,
	   CH_L(NONE) | CH_L(HVO_2PAGE) | CH_L(HVO_FAKE_HEAD), CH_VF_KEY,
	   "pointer plus page_fixed_fake_head() behind a static key",
	   "v5.18 \"free the 2nd vmemmap page\" to 2026 \"Drop fake head checks\"")
CH_VARIANT(mask_branchy, "mask-branchy", CH_ENC_MASK,
	   CH_L(NONE) | CH_L(HVO_2PAGE) | CH_L(HVO_SHARED_TAIL), 0,
	   "mask in tails, page & info, bit-0 branch",
	   "2026 \"Rework compound_head() for power-of-2 sizeof(struct page)\"")
CH_VARIANT(mask_branchless, "mask-branchless", CH_ENC_MASK,
	   CH_L(NONE) | CH_L(HVO_2PAGE) | CH_L(HVO_SHARED_TAIL), 0,
	   "mask in tails, no data-dependent branch",
	   "2026 \"Remove the branch from compound_head()\"")
CH_VARIANT(floor, "floor", CH_ENC_POINTER,
	   CH_ALL_LAYOUTS, CH_VF_PSEUDO,
	   "pseudo-variant: the load alone, returns the page (harness cost)",
	   "none: nets out the walk loop, index load and info load")

#undef CH_L

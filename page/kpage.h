/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For kmod/ only: what the variants need from struct page, taken from
 * the running kernel's headers instead of chbench's own model, so the
 * very same inline functions run on the kernel's real vmemmap.
 *
 * kmod/Kbuild probes the headers and defines:
 *   CH_KERNEL_HAS_COMPOUND_INFO  the word at offset 8 is ->compound_info
 *                                (the 2026 series renamed it);
 *                                else it is ->compound_head (6.1).
 *   CH_KERNEL_HAS_MEMDESC_FLAGS  ->flags is memdesc_flags_t, a struct
 *                                holding the word as .f (since 6.18);
 *                                else it is the unsigned long itself.
 */
#ifndef CH_KPAGE_H
#define CH_KPAGE_H

#include <linux/compiler.h>
#include <linux/mm_types.h>
#include <linux/page-flags.h>

#define CH_PAGE_SIZE		PAGE_SIZE
#define CH_READ_ONCE(x)		READ_ONCE(x)

#ifdef CH_KERNEL_HAS_COMPOUND_INFO
#define ch_info_word(page)	((page)->compound_info)
#else
#define ch_info_word(page)	((page)->compound_head)
#endif

#ifdef CH_KERNEL_HAS_MEMDESC_FLAGS
#define ch_flags_word(page)	((page)->flags.f)
#else
#define ch_flags_word(page)	((page)->flags)
#endif

#endif /* CH_KPAGE_H */

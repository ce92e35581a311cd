/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/self/pagemap and /proc/kpageflags: which physical page backs a
 * virtual page, and what the kernel says that page is. PFNs read as 0
 * without CAP_SYS_ADMIN; the callers here run as root.
 */
#ifndef CH_PAGEMAP_H
#define CH_PAGEMAP_H

#include <stddef.h>
#include <stdint.h>

/* include/uapi/linux/kernel-page-flags.h */
#define CH_KPF_COMPOUND_HEAD	15
#define CH_KPF_COMPOUND_TAIL	16
#define CH_KPF_HUGE		17
#define CH_KPF_THP		22

/*
 * pfn[i] for the @nr pages from @addr (0 where none is present).
 * 0, or a negative errno with a one-line message.
 */
int ch_pagemap_pfns(const void *addr, size_t nr, uint64_t *pfn, char *err,
		    size_t len);
/* /proc/kpageflags for @pfn; 0, or a negative errno with a message. */
int ch_kpageflags(uint64_t pfn, uint64_t *flags, char *err, size_t len);

#endif /* CH_PAGEMAP_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real folios, for chbench kernel: a mix is asked of the running kernel
 * in this process's own address space (order-0 pages, THP, HugeTLB 2 MiB
 * and 1 GiB), then pinned by chbench.ko. The result is a struct
 * ch_folios over the session's page array, so the emulation's walk
 * generator draws the kernel's walks too: a "pfn" there is an index into
 * the pinned pages, and chbench.ko turns it into the real pfn.
 *
 * Regions are pinned largest folios first, so every folio's first index
 * is aligned to its size, as a real pfn is.
 */
#ifndef CH_KFOLIOS_H
#define CH_KFOLIOS_H

#include <stddef.h>
#include <stdint.h>

#include "vmemmap/folios.h"
#include "kernel/kmod.h"

#define CH_KMAX_REGIONS		CH_MIX_MAX_CLASSES

struct ch_kregion {
	void *addr;
	size_t len;
	unsigned int order;
	int kind;			/* enum ch_folio_kind */
	uint64_t first;			/* index of its first page */
};

struct ch_kmem {
	struct ch_folios fs;
	struct ch_kregion r[CH_KMAX_REGIONS];
	int nr;
};

/* Which mix classes the kernel can be asked for; 0, or -EINVAL + message. */
int ch_kmix_check(const struct ch_mix *mix, char *err, size_t len);
/*
 * Allocate, touch and pin @mem bytes of @mix; check that the kernel gave
 * what was asked (a THP really is one PMD-mapped folio). 0, or a negative
 * errno (-ENOMEM: too few HugeTLB pages free, -EOPNOTSUPP: no such pages
 * or no THP, ...) with a one-line message naming the fix (sysctl
 * vm.nr_hugepages=N, ...).
 */
int ch_kmem_alloc(struct ch_kmem *km, struct ch_kmod *k,
		  const struct ch_mix *mix, uint64_t mem, uint64_t seed,
		  char *err, size_t len);
void ch_kmem_free(struct ch_kmem *km, struct ch_kmod *k);

/* The index of the true head of page @i. */
uint64_t ch_kmem_head(const struct ch_kmem *km, uint64_t i);

/* @len bytes aligned to @align, anonymous, MAP_PRIVATE | @extra, @prot */
void *ch_map_aligned(size_t len, size_t align, int extra, int prot);

#endif /* CH_KFOLIOS_H */

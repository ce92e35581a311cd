/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's shared tail pages (HVO since the series, 7.3 here): with
 * the mask encoding, an optimized HugeTLB folio keeps vmemmap page 0 and
 * maps pages 1..N-1 read-only to one page of identical tails, and every
 * folio of one zone and order maps the same page (zone->vmemmap_tails[]).
 * Checked on the records chbench.ko gives (kmod/inspect.c) and nothing
 * else, so the unit tests feed it records of their own.
 */
#ifndef CH_KTAILS_H
#define CH_KTAILS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmemmap/folios.h"
#include "kmod/chbench_ioctl.h"

#define CH_KMAX_ZONES		8
#define CH_KTAILS_MAX		64

/* Zone names by page_zonenum(): the order /proc/zoneinfo lists them in. */
struct ch_kzones {
	unsigned int nr;
	char name[CH_KMAX_ZONES][16];
};

/* One zone and order, and the tail page its optimized folios map. */
struct ch_ktail {
	uint32_t nid, zone;
	unsigned int order;
	uint64_t phys;			/* physical address of the page */
	uint64_t first_pfn;		/* the first folio seen to map it */
	uint64_t folios;
};

struct ch_ktails {
	unsigned int nr;		/* zone and order pairs, in t[] */
	unsigned int pages;		/* distinct physical pages in t[] */
	uint64_t optimized, plain;	/* HugeTLB folios optimized or not */
	struct ch_ktail t[CH_KTAILS_MAX];	/* by order, node, zone */
};

/* The zone names of the first node in @f, text as /proc/zoneinfo's. */
void ch_kzones_parse(struct ch_kzones *z, FILE *f);
/* The same from /proc/zoneinfo; none (nr 0) where it cannot be read. */
void ch_kzones_read(struct ch_kzones *z);
/* "Normal", "Normal@node1"; "zone3" where the name is not known. */
const char *ch_kzone_label(const struct ch_kzones *z, uint32_t nid,
			   uint32_t zone, char *buf, size_t len);

/*
 * Check every optimized HugeTLB folio of @f[0..@nr) (a folio's pfn is
 * its head's index in @recs): vmemmap pages 1..N-1 on one read-only page
 * that is not its page 0, and one such page per zone and order. 0 with
 * @t filled, or -EIO with the first violation, one line, in @err (-ENOMEM,
 * -ENOSPC: more zone and order pairs than @t holds).
 */
int ch_ktails_check(const struct chb_page_rec *recs, const struct ch_folio *f,
		    uint32_t nr, const struct ch_kzones *z,
		    struct ch_ktails *t, char *err, size_t len);

/* "2 (2 MiB: DMA32, Normal; 1 GiB: Normal)": the pages, then the pairs. */
void ch_ktails_summary(const struct ch_ktails *t, const struct ch_kzones *z,
		       char *buf, size_t len);

#endif /* CH_KTAILS_H */

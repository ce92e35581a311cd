/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chbench kernel verify: every pinned page read raw through chbench.ko,
 * held against the truth (the folio each page was allocated in), against
 * every variant's answer, and against the emulation's layout of the same
 * name.
 */
#ifndef CH_KVERIFY_H
#define CH_KVERIFY_H

#include <stdio.h>

#include "kernel/kfolios.h"
#include "kernel/kmod.h"

/* What one folio of a kind looks like when its struct pages are read raw. */
struct ch_kpicture {
	unsigned int folios;		/* of this kind */
	unsigned int same;		/* how many look like the first */
	unsigned int heads;		/* struct pages with PG_head set */
	unsigned int vmemmap_pages;	/* vmemmap pages its memmap spans */
	unsigned int phys_pages;	/* distinct physical pages behind */
	unsigned int level;		/* kernel: 1 4 KiB PTE, 2 PMD, 0 n/a */
	char offsets[96];		/* where the PG_head ones are */
};

/* Per folio kind: order-0, THP, HugeTLB 2 MiB, HugeTLB 1 GiB. */
enum ch_kkind { CH_KK_SMALL, CH_KK_THP, CH_KK_H2M, CH_KK_H1G, CH_NR_KK };

struct ch_kstate {
	int encoding;			/* CH_ENC_*, or -1: tails disagree */
	uint64_t tails, tails_pointer, tails_mask;
	uint64_t fake_heads;		/* tails that read as heads: aliases */
	int layout;			/* the emulation's name for it */
	unsigned int hvo_folios, hvo_optimized;
	long hvo_sysctl;		/* vm.hugetlb_optimize_vmemmap, -1 */
	struct ch_kpicture pic[CH_NR_KK];
};

/*
 * --hvo on|off: is this kernel's HVO what the user asked for? Before any
 * work (@st NULL: the sysctl) and once the folios are pinned (@st: were
 * they optimized). 0, or -EINVAL (-EOPNOTSUPP: no HVO in this kernel)
 * with a one-line message naming the fix.
 */
int ch_khvo_check(int want, const struct ch_kstate *st, char *err,
		  size_t len);

/*
 * Read the kernel's state for the pages of @km. 0, or -errno (-EIO: the
 * folios are not what was asked for) with a message.
 * recs (km->fs.nr_pages of them) is filled and kept by the caller.
 */
int ch_kstate_read(struct ch_kmod *k, const struct ch_kmem *km,
		   struct chb_page_rec *recs, struct ch_kstate *st,
		   char *err, size_t len);

/*
 * The whole verify: prints the report; 0 all good, 1 a mismatch, a
 * negative errno after a message on bad input or --hvo (@hvo: -1, 0, 1)
 * not met.
 */
int ch_kverify(struct ch_kmod *k, const struct ch_kmem *km, int hvo,
	       FILE *out);

#endif /* CH_KVERIFY_H */

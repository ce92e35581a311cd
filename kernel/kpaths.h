/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel paths that resolve a folio page by page (chbench kernel
 * paths): real operations on memory this process populated, each timed
 * alone over one region of one folio kind, reported per page.
 *
 * One region is one timed operation's memory: mapped and populated
 * (and, for a PTE-mapped THP, split to PTEs) before the clock, handed
 * to the operation, then released after it, so that every operation
 * runs on fresh memory. What the kernel made of the memory is checked
 * against what the case claims (ch_kpath_check()); what the operation
 * did, after it (ch_kpath_after()).
 */
#ifndef CH_KPATHS_H
#define CH_KPATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/kmod.h"

enum ch_kpath {
	CH_KPATH_NONE,			/* a scenario that is a walk */
	CH_KPATH_ZAP_DONTNEED,
	CH_KPATH_ZAP_MUNMAP,
	CH_KPATH_FORK,
	CH_KPATH_GUP_VMREADV,
	CH_KPATH_PIN,			/* chbench.ko: FOLL_PIN|FOLL_LONGTERM */
	CH_KPATH_KPAGEFLAGS,
	CH_KPATH_MLOCK,
	CH_KPATH_MREMAP,
	CH_KPATH_MOVE_PAGES,
	CH_NR_KPATHS,
};

enum ch_kfolio {
	CH_KFOLIO_ORDER0,
	CH_KFOLIO_THP_PMD,
	CH_KFOLIO_THP_PTE,
	CH_KFOLIO_HUGETLB_2M,
	CH_KFOLIO_HUGETLB_1G,
	CH_NR_KFOLIOS,
};

/* "zap-dontneed", ...; [CH_KPATH_NONE] is NULL */
extern const char *const ch_kpath_names[CH_NR_KPATHS];
/* "order0", "thp-pmd", "thp-pte", "hugetlb-2m", "hugetlb-1g" */
extern const char *const ch_kfolio_names[CH_NR_KFOLIOS];
/* by name: the index, or -1 */
int ch_kpath_find(const char *name);
int ch_kfolio_find(const char *name);
/* "zap-dontneed, zap-munmap, ...": for a message */
const char *ch_kpath_list(void);
const char *ch_kfolio_list(void);

static inline bool ch_kfolio_hugetlb(int f)
{
	return f == CH_KFOLIO_HUGETLB_2M || f == CH_KFOLIO_HUGETLB_1G;
}

/* The folio's size in bytes: 4 KiB, 2 MiB or 1 GiB. */
size_t ch_kfolio_size(int f);
/* Does @path run on folio kind @f (mlock and mremap: not HugeTLB)? */
bool ch_kpath_on(int path, int f);

/* One region: one timed operation's memory, and what it needs. */
struct ch_kregion_op {
	int path, folio;
	size_t len;			/* bytes; a multiple of the folio */
	char *addr;			/* NULL: not mapped */
	char *dst;			/* mremap's destination, reserved */
	char *buf;			/* process_vm_readv's, 2 MiB */
	uint64_t *pfn;			/* kpageflags: the pages' pfns */
	uint64_t *flags;		/* ... and room for their flags */
	void **pages;			/* move_pages: every 4 KiB page */
	int *nodes, *status;
	long rss_before;		/* kB: RssAnon or HugetlbPages */
	pid_t child;			/* fork's, to reap */
	long long done;			/* bytes or pages the op reported */
	int op_errno;			/* the op failed: its errno */
	struct ch_kmod *k;		/* the module, for CH_KPATH_PIN */
	bool fake_nozap;		/* tests: the zap does nothing */
	bool fake_nosplit;		/* tests: thp-pte is not split */
};

/*
 * Map and populate @r's region (and split, reserve, ask its pfns, as
 * the path needs). 0, or a negative errno with one line naming the fix.
 */
int ch_kregion_setup(struct ch_kregion_op *r, char *err, size_t len);
/* The timed operation, nothing else; 0 or -1 (errno). */
int ch_kregion_op(struct ch_kregion_op *r);
/*
 * After the operation: did it do what it claims (the RSS fell, every
 * page was read or pinned, ...)? 0, or -EIO (the op's own errno where it
 * failed) with one line. Then the region
 * is released, whatever the answer.
 */
int ch_kregion_after(struct ch_kregion_op *r, char *err, size_t len);
void ch_kregion_release(struct ch_kregion_op *r);

/*
 * What the kernel made of a populated region, against its folio kind:
 * kpageflags' COMPOUND_HEAD, COMPOUND_TAIL, THP and HUGE on every page,
 * and for a THP whether smaps counts it PMD-mapped (AnonHugePages).
 * 0, or -EIO (another errno where it cannot tell) with one line.
 */
int ch_kregion_check(const struct ch_kregion_op *r, char *err, size_t len);

/* RssAnon, or for HugeTLB HugetlbPages, of this process in kB; -1. */
long ch_kpath_rss_kb(bool hugetlb);
/* smaps' AnonHugePages of the mapping at @addr, in kB; -1: none. */
long ch_kpath_anon_huge_kb(const void *addr);

#endif /* CH_KPATHS_H */

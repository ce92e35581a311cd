/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The interface of /dev/chbench, shared by kmod/ and kernel/kmod.c.
 *
 * One open file is one session: the pages it pinned and the walk it set
 * belong to it, and close() releases them, however the process ends.
 * Every call is CAP_SYS_ADMIN only: the records hand raw struct page
 * words, which hold kernel addresses, to user space.
 *
 *   CHB_IOC_INFO     what this kernel and module are (encoding, PG_head,
 *                    the static key, limits)
 *   CHB_IOC_FUNC     one entry of the module's table of timed loops
 *   CHB_IOC_PIN      pin a range of the caller's memory; its pages are
 *                    appended to the session's page array
 *   CHB_IOC_UNPIN    unpin everything and forget the walk
 *   CHB_IOC_INSPECT  raw words, vmemmap backing, zone and every
 *                    variant's answer for a run of the session's pages
 *   CHB_IOC_WALK     set the walk: indices into the page array
 *   CHB_IOC_RUN      time one loop over the whole walk
 */
#ifndef CHBENCH_IOCTL_H
#define CHBENCH_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define CHB_DEVICE		"/dev/chbench"
#define CHB_ABI			2	/* 2: chb_page_rec has nid and zone */

#define CHB_NAME_LEN		32
#define CHB_SYM_LEN		64
#define CHB_MAX_VARIANTS	8

enum chb_encoding {
	CHB_ENC_POINTER,	/* tails store head | 1 */
	CHB_ENC_MASK,		/* tails store GENMASK(63, order + 6) | 1 */
};

enum chb_loop {
	CHB_LOOP_INDEX,		/* independent lookups: a throughput */
	CHB_LOOP_CHASE,		/* each address waits for the last head */
	CHB_NR_LOOPS,
};

struct chb_info {
	__u32 abi;			/* CHB_ABI */
	__u32 page_size;
	__u32 struct_page_size;
	__u32 pg_head;			/* PG_head's bit number */
	__u32 encoding;			/* enum chb_encoding of this kernel */
	__s32 hvo_key;			/* hugetlb_optimize_vmemmap_key's
					 * count; -1: this kernel has none */
	__u32 nr_funcs;			/* entries for CHB_IOC_FUNC */
	__u32 nr_variants;		/* head_pfn[] entries in a record */
	__u32 max_ranges;		/* CHB_IOC_PIN calls per session */
	__u32 max_chunk;		/* most ops with interrupts off */
	__u64 max_pages;		/* pinned pages per session */
	__u64 max_ops;			/* walk length */
	__u64 pinned;			/* pages pinned now, all sessions */
	__u64 session_pages;		/* pages pinned by this session */
	char release[72];		/* utsname()->release; 72, not 65:
					 * the same size on i386 and x86-64 */
	char variants[CHB_MAX_VARIANTS][CHB_NAME_LEN];
};

struct chb_func {
	__u32 index;			/* in: < nr_funcs */
	__u32 variant;			/* out: index into info.variants */
	__u32 loop;			/* enum chb_loop */
	__u32 shape;			/* 0 as-compiled, 1 branch */
	__u32 ref;			/* 1: page_ref_add_unless(), not a
					 * compound_head() */
	__u32 usable;			/* 0: wrong for this kernel's
					 * encoding; CHB_IOC_RUN refuses it */
	char name[CHB_NAME_LEN];	/* variant name: "kernel", "pointer" */
	char symbol[CHB_SYM_LEN];	/* the loop's symbol in chbench.ko */
};

struct chb_pin {
	__u64 addr;			/* in: page aligned */
	__u64 len;			/* in: page aligned, > 0 */
	__u64 first;			/* out: index of its first page */
};

struct chb_page_rec {
	__u64 pfn;			/* page_to_pfn() */
	__u64 page;			/* the struct page's address */
	__u64 flags;			/* raw words at offsets 0 and 8 */
	__u64 info;
	__u64 vmemmap_phys;		/* physical address behind it */
	__u32 vmemmap_level;		/* 1: 4 KiB PTE, 2: 2 MiB, 3: 1 GiB */
	__u32 vmemmap_writable;
	__s32 refcount;
	__u16 nid;			/* page_to_nid() */
	__u16 zone;			/* page_zonenum(): with nid, the
					 * struct zone; HVO keeps one
					 * shared tail page per zone and
					 * order (7.3+) */
	__u64 head_pfn[CHB_MAX_VARIANTS];	/* each variant's answer */
};

struct chb_inspect {
	__u64 first;			/* in: page array index */
	__u64 nr;			/* in: records to fill, > 0 */
	__u64 recs;			/* in: user pointer to nr records */
	__u32 rec_size;			/* in: sizeof(struct chb_page_rec) */
	__u32 pad;
};

struct chb_walk {
	__u64 idx;			/* in: user pointer to nr __u32 */
	__u64 nr;			/* in: 1 .. max_ops */
	__u32 loop;			/* in: enum chb_loop */
	__u32 ref_safe;			/* out: page_ref_add_unless() may run */
	__u64 bad;			/* out: the first bad position, on
					 * EINVAL; CHB_BAD_NONE if not one */
};

#define CHB_BAD_NONE		(~0ULL)

struct chb_run {
	__u32 func;			/* in: CHB_IOC_FUNC index */
	__u32 chunk;			/* in: ops per chunk, 0: default */
	__u64 ns;			/* out: sum of the chunks' times */
	__u64 ops;
	__u64 chunks;
	__u64 min_chunk_ns;		/* fastest chunk */
	__u64 max_chunk_ns;		/* longest time with interrupts off */
	__u64 checksum;			/* every result, consumed */
};

#define CHB_IOC_MAGIC		0xcb
#define CHB_IOC_INFO		_IOR(CHB_IOC_MAGIC, 1, struct chb_info)
#define CHB_IOC_FUNC		_IOWR(CHB_IOC_MAGIC, 2, struct chb_func)
#define CHB_IOC_PIN		_IOWR(CHB_IOC_MAGIC, 3, struct chb_pin)
#define CHB_IOC_UNPIN		_IO(CHB_IOC_MAGIC, 4)
#define CHB_IOC_INSPECT		_IOW(CHB_IOC_MAGIC, 5, struct chb_inspect)
#define CHB_IOC_WALK		_IOWR(CHB_IOC_MAGIC, 6, struct chb_walk)
#define CHB_IOC_RUN		_IOWR(CHB_IOC_MAGIC, 7, struct chb_run)

#endif /* CHBENCH_IOCTL_H */

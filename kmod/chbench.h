/* SPDX-License-Identifier: GPL-2.0 */
/* What the parts of chbench.ko share. */
#ifndef CHB_KMOD_H
#define CHB_KMOD_H

#include <linux/atomic.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "kmod/chbench_ioctl.h"

#define CHB_MAX_RANGES		64
#define CHB_MAX_PAGES		(1UL << 22)	/* 16 GiB of 4 KiB pages */
#define CHB_MAX_OPS		(1UL << 24)
/*
 * Interrupts stay off for one chunk: 1024 ops is ~10 us from cache and
 * ~0.3 ms at DRAM latency; 4096 at most, ~1 ms on bare metal.
 */
#define CHB_DEFAULT_CHUNK	1024
#define CHB_MAX_CHUNK		4096

/* One open file of /dev/chbench. */
struct chb_session {
	struct mutex lock;
	struct mm_struct *mm;		/* charged for the pins (mmgrab) */
	struct page **pages;		/* as pinned, range after range */
	unsigned long nr_pages;
	unsigned int nr_ranges;
	u32 *walk;			/* pfns (chase: ch_chase_index()) */
	unsigned long walk_nr;
	u32 walk_loop;
	bool ref_safe;
};

/* Pages pinned by every session: must be 0 when the module goes. */
extern atomic64_t chb_pinned;

int chb_pin(struct chb_session *s, struct chb_pin *pin);
void chb_unpin_all(struct chb_session *s);

int chb_inspect(struct chb_session *s, const struct chb_inspect *in);
/* Refuse to load if the tails' words disagree with chb_encoding(). */
int chb_check_encoding(void);
/*
 * vmemmap.c: the entry mapping @page's vmemmap into @r (its level, RW bit
 * and, if @phys, physical address); false if it is not mapped. And: is a
 * write to this struct page's refcount safe, its vmemmap RW?
 */
struct chb_page_rec;
bool chb_vmemmap_lookup(const struct page *page, struct chb_page_rec *r,
			bool phys);
bool chb_vmemmap_writable(const struct page *page);

/* Each variant's answer for @page, as a pfn, in info.variants order. */
void chb_heads(const struct page *page, u64 *head_pfn);
u32 chb_encoding(void);
int chb_hvo_key(void);
u32 chb_nr_funcs(void);
int chb_func(struct chb_func *f);
void chb_variant_names(struct chb_info *info);
int chb_set_walk(struct chb_session *s, struct chb_walk *w);
int chb_run(struct chb_session *s, struct chb_run *r);

#endif /* CHB_KMOD_H */

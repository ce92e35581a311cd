// SPDX-License-Identifier: GPL-2.0
/*
 * Pinning the caller's memory. Each CHB_IOC_PIN appends the pages of one
 * range to the session's page array; the walk's indices point into it.
 * Pins are FOLL_PIN (unpin_user_pages() undoes them) and live exactly as
 * long as the session: UNPIN, close() or the process's exit end them.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kmod/chbench.h"

atomic64_t chb_pinned = ATOMIC64_INIT(0);

#define CHB_PIN_BATCH	(1U << 16)

static int chb_grow(struct chb_session *s, unsigned long nr)
{
	struct page **pages;

	pages = kvmalloc_array(s->nr_pages + nr, sizeof(*pages),
			       GFP_KERNEL | __GFP_NOWARN);
	if (!pages)
		return -ENOMEM;
	if (s->nr_pages)
		memcpy(pages, s->pages, s->nr_pages * sizeof(*pages));
	kvfree(s->pages);
	s->pages = pages;
	return 0;
}

int chb_pin(struct chb_session *s, struct chb_pin *pin)
{
	unsigned long addr = pin->addr, len = pin->len, nr, done = 0;
	struct page **pages;
	int ret;

	if (!len || !PAGE_ALIGNED(addr) || !PAGE_ALIGNED(len))
		return -EINVAL;
	if (addr + len < addr || !access_ok((void __user *)addr, len))
		return -EFAULT;
	nr = len >> PAGE_SHIFT;
	if (s->nr_ranges >= CHB_MAX_RANGES ||
	    nr > CHB_MAX_PAGES - s->nr_pages)
		return -E2BIG;
	ret = chb_grow(s, nr);
	if (ret)
		return ret;

	pages = s->pages + s->nr_pages;
	while (done < nr) {
		int want = min_t(unsigned long, nr - done, CHB_PIN_BATCH);

		/* FOLL_WRITE: the caller's own pages, never the zero page */
		ret = pin_user_pages_fast(addr + (done << PAGE_SHIFT), want,
					  FOLL_WRITE, pages + done);
		if (ret > 0)
			done += ret;
		if (ret != want) {
			unpin_user_pages(pages, done);
			return ret < 0 ? ret : -EFAULT;
		}
		cond_resched();
	}
	pin->first = s->nr_pages;
	s->nr_pages += nr;
	s->nr_ranges++;
	atomic64_add(nr, &chb_pinned);
	return 0;
}

void chb_unpin_all(struct chb_session *s)
{
	if (s->nr_pages) {
		unpin_user_pages(s->pages, s->nr_pages);
		atomic64_sub(s->nr_pages, &chb_pinned);
	}
	kvfree(s->pages);
	kvfree(s->walk);
	s->pages = NULL;
	s->walk = NULL;
	s->nr_pages = 0;
	s->nr_ranges = 0;
	s->walk_nr = 0;
	s->ref_safe = false;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Pinning the caller's memory. Each CHB_IOC_PIN appends the pages of one
 * range to the session's page array; the walk's indices point into it.
 * Pins are FOLL_PIN | FOLL_LONGTERM (they last as long as the session:
 * UNPIN, close() or the process's exit end them), so the kernel first
 * moves the pages out of ZONE_MOVABLE and CMA, and they are charged to
 * the process's locked memory like any long-term pin. All sessions
 * together pin at most half of RAM.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kmod/chbench.h"

atomic64_t chb_pinned = ATOMIC64_INIT(0);

#define CHB_PIN_BATCH	(1U << 16)

static int chb_grow(struct chb_session *s, unsigned long nr)
{
	struct page **pages;

	pages = kvmalloc_array(s->nr_pages + nr, sizeof(*pages),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!pages)
		return -ENOMEM;
	if (s->nr_pages)
		memcpy(pages, s->pages, s->nr_pages * sizeof(*pages));
	kvfree(s->pages);
	s->pages = pages;
	return 0;
}

/* At close() after the process's exit, its mm may be gone: skip it. */
static void chb_uncharge(struct chb_session *s, unsigned long nr)
{
	if (s->mm && mmget_not_zero(s->mm)) {
		account_locked_vm(s->mm, nr, false);
		mmput(s->mm);
	}
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
	    nr > CHB_MAX_PAGES - s->nr_pages ||
	    atomic64_read(&chb_pinned) + nr > totalram_pages() / 2)
		return -E2BIG;
	/* one session, one address space: the one it pins and charges */
	if (s->mm && s->mm != current->mm)
		return -EINVAL;
	ret = chb_grow(s, nr);
	if (ret)
		return ret;
	ret = account_locked_vm(current->mm, nr, true);
	if (ret)
		return ret;
	if (!s->mm) {
		mmgrab(current->mm);
		s->mm = current->mm;
	}

	pages = s->pages + s->nr_pages;
	while (done < nr) {
		int want = min_t(unsigned long, nr - done, CHB_PIN_BATCH);

		/* FOLL_WRITE: the caller's own pages, never the zero page */
		ret = pin_user_pages_fast(addr + (done << PAGE_SHIFT), want,
					  FOLL_WRITE | FOLL_LONGTERM,
					  pages + done);
		if (ret > 0)
			done += ret;
		if (ret != want) {
			unpin_user_pages(pages, done);
			chb_uncharge(s, nr);
			return ret < 0 ? ret : -EFAULT;
		}
		if (fatal_signal_pending(current)) {
			unpin_user_pages(pages, done);
			chb_uncharge(s, nr);
			return -EINTR;
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
		chb_uncharge(s, s->nr_pages);
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

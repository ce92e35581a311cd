// SPDX-License-Identifier: GPL-2.0
/*
 * What a struct page looks like, read raw: its two first words, where its
 * vmemmap page lives in physical memory and how it is mapped (vmemmap.c),
 * and what every variant answers for it. User space holds that against the truth
 * it knows (which folio each page belongs to) and against the emulation.
 */
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/page_ref.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include "kmod/chbench.h"
#include "page/page.h"

static_assert(sizeof(struct chb_page_rec) == 120,
	      "struct chb_page_rec: one size for every ABI (compat_ptr_ioctl)");

int chb_check_encoding(void)
{
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	unsigned long info, mask = ~0UL << (1 + ilog2(sizeof(struct page)));
	u32 seen;
	int ret = 0;

	if (!head)
		return -ENOMEM;
	info = READ_ONCE(ch_info_word(head + 1));
	if (info == (unsigned long)head + 1)
		seen = CHB_ENC_POINTER;
	else if (info == (mask | 1))
		seen = CHB_ENC_MASK;
	else
		seen = ~0U;
	if (seen != chb_encoding()) {
		pr_err("chbench: a tail page holds %#lx, not the %s encoding this module was built for; rebuild it against this kernel's headers\n",
		       info, chb_encoding() == CHB_ENC_MASK ? "mask" : "pointer");
		ret = -ENOEXEC;
	}
	__free_pages(head, 1);
	return ret;
}

int chb_inspect(struct chb_session *s, const struct chb_inspect *in)
{
	struct chb_page_rec __user *out = u64_to_user_ptr(in->recs);
	unsigned long i;

	if (in->rec_size != sizeof(struct chb_page_rec))
		return -EINVAL;
	if (!in->nr || in->first >= s->nr_pages ||
	    in->nr > s->nr_pages - in->first)
		return -EINVAL;
	for (i = 0; i < in->nr; i++) {
		const struct page *page = s->pages[in->first + i];
		struct chb_page_rec r = {};

		r.pfn = page_to_pfn(page);
		r.page = (unsigned long)page;
		r.flags = READ_ONCE(ch_flags_word(page));
		r.info = READ_ONCE(ch_info_word(page));
		r.refcount = page_ref_count(page);
		r.nid = page_to_nid(page);
		r.zone = page_zonenum(page);
		chb_vmemmap_lookup(page, &r, true);
		chb_heads(page, r.head_pfn);
		if (copy_to_user(out + i, &r, sizeof(r)))
			return -EFAULT;
		if (!(i & 4095)) {
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	return 0;
}

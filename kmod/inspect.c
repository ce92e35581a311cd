// SPDX-License-Identifier: GPL-2.0
/*
 * What a struct page looks like, read raw: its two first words, where its
 * vmemmap page lives in physical memory and how it is mapped, and what
 * every variant answers for it. User space holds that against the truth
 * it knows (which folio each page belongs to) and against the emulation.
 */
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/page_ref.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <asm/pgtable_types.h>

#include "kmod/chbench.h"
#include "variants/page.h"

#ifndef CONFIG_X86_64
#error "chbench.ko reads the vmemmap's page tables the x86-64 way"
#endif

static_assert(sizeof(struct chb_page_rec) == 120,
	      "struct chb_page_rec: one size for every ABI (compat_ptr_ioctl)");

/*
 * One snapshot of the entry that maps @page's vmemmap: its level, whether
 * it is writable (_PAGE_RW is the same bit in a PTE and a large PMD or
 * PUD) and, if @phys, the physical address behind @page.
 */
static bool chb_vmemmap_lookup(const struct page *page,
			       struct chb_page_rec *r, bool phys)
{
	unsigned long va = (unsigned long)page, pfn;
	unsigned int level;
	pte_t *ptep = lookup_address(va, &level);
	pte_t e;

	if (!ptep)
		return false;
	e = READ_ONCE(*ptep);
	if (!pte_present(e))
		return false;
	r->vmemmap_level = level;
	r->vmemmap_writable = pte_write(e);
	if (!phys)
		return true;
	switch (level) {
	case PG_LEVEL_4K:
		pfn = pte_pfn(e);
		break;
	case PG_LEVEL_2M:
		pfn = pmd_pfn(__pmd(pte_val(e))) +
		      ((va & ~PMD_MASK) >> PAGE_SHIFT);
		break;
	case PG_LEVEL_1G:
		pfn = pud_pfn(__pud(pte_val(e))) +
		      ((va & ~PUD_MASK) >> PAGE_SHIFT);
		break;
	default:
		return false;
	}
	r->vmemmap_phys = PFN_PHYS(pfn) | (va & ~PAGE_MASK);
	return true;
}

bool chb_vmemmap_writable(const struct page *page)
{
	struct chb_page_rec r = {};

	return chb_vmemmap_lookup(page, &r, false) && r.vmemmap_writable;
}

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

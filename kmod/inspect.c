// SPDX-License-Identifier: GPL-2.0
/*
 * What a struct page looks like, read raw: its two first words, where its
 * vmemmap page lives in physical memory and how it is mapped, and what
 * every variant answers for it. User space holds that against the truth
 * it knows (which folio each page belongs to) and against the emulation.
 */
#include <linux/mm.h>
#include <linux/page_ref.h>
#include <linux/uaccess.h>
#include <asm/pgtable_types.h>

#include "kmod/chbench.h"
#include "variants/page.h"

#ifndef CONFIG_X86_64
#error "chbench.ko reads the vmemmap's page tables the x86-64 way"
#endif

static void chb_vmemmap_lookup(const struct page *page,
			       struct chb_page_rec *r)
{
	unsigned int level;
	pte_t *pte = lookup_address((unsigned long)page, &level);

	if (!pte || !pte_present(*pte))
		return;
	r->vmemmap_level = level;
	/* _PAGE_RW is the same bit in a PTE and in a large PMD or PUD */
	r->vmemmap_writable = pte_write(*pte);
	r->vmemmap_phys = slow_virt_to_phys((void *)page);
}

bool chb_vmemmap_writable(const struct page *page)
{
	struct chb_page_rec r = {};

	chb_vmemmap_lookup(page, &r);
	return r.vmemmap_level && r.vmemmap_writable;
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
		r.flags = READ_ONCE(page->flags);
		r.info = READ_ONCE(ch_info_word(page));
		r.refcount = page_ref_count(page);
		chb_vmemmap_lookup(page, &r);
		chb_heads(page, r.head_pfn);
		if (copy_to_user(out + i, &r, sizeof(r)))
			return -EFAULT;
		if (!(i & 4095))
			cond_resched();
	}
	return 0;
}

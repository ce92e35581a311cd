// SPDX-License-Identifier: GPL-2.0
/*
 * How the vmemmap is mapped: the page-table entry behind a struct page,
 * read the x86-64 way. Whether a page's vmemmap is writable tells a
 * walk's reference-count writes from a fake head's read-only alias.
 */
#include <linux/mm.h>
#include <asm/pgtable_types.h>

#include "kmod/chbench.h"

#ifndef CONFIG_X86_64
#error "chbench.ko reads the vmemmap's page tables the x86-64 way"
#endif

/*
 * One snapshot of the entry that maps @page's vmemmap: its level, whether
 * it is writable (_PAGE_RW is the same bit in a PTE and a large PMD or
 * PUD) and, if @phys, the physical address behind @page.
 */
bool chb_vmemmap_lookup(const struct page *page,
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

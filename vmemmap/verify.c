// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "vmemmap/verify.h"

/* Is @pfn the head (or the only page) of its folio in the ground truth? */
static bool is_head_pfn(const struct ch_folios *fs, uint32_t pfn)
{
	return ch_folio_of(fs, pfn)->pfn == pfn;
}

/*
 * A fake head: a 4 KiB-aligned struct page that shows PG_head (an alias
 * of a head) although the truth says it is a tail. Another folio's real
 * head is not one.
 */
static bool is_fake_head(const struct ch_memmap *mm, const struct page *got,
			 uint32_t want)
{
	uintptr_t off = (uintptr_t)got - (uintptr_t)mm->base;
	uint32_t pfn = (uint32_t)(off / sizeof(struct page));

	return got >= mm->base && off < mm->bytes &&
	       !(off % sizeof(struct page)) && pfn != want &&
	       !(pfn % CH_PAGES_PER_VMEMMAP) && ch_page_head(got) &&
	       !is_head_pfn(mm->fs, pfn);
}

void ch_verify(const struct ch_memmap *mm, const struct ch_variant *v,
	       struct ch_verify_result *res)
{
	const struct ch_folios *fs = mm->fs;
	bool identity = v->flags & CH_VF_PSEUDO;
	uint32_t i;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < fs->nr; i++) {
		const struct ch_folio *f = &fs->f[i];
		uint64_t j, nr = 1ULL << f->order;

		for (j = 0; j < nr; j++) {
			uint32_t pfn = f->pfn + (uint32_t)j;
			const struct page *page = mm->base + pfn;
			const struct page *got = v->compound_head(page);
			uint32_t want = identity ? pfn : f->pfn;

			res->checked++;
			if (got == mm->base + want)
				continue;
			res->mismatches++;
			res->fake_heads += is_fake_head(mm, got, want);
			if (res->nr_examples < CH_VERIFY_EXAMPLES) {
				struct ch_mismatch *m =
					&res->ex[res->nr_examples++];

				m->pfn = pfn;
				m->want = want;
				m->got = got;
			}
		}
	}
}

void ch_mismatch_describe(const struct ch_memmap *mm,
			  const struct ch_mismatch *m, char *buf, size_t len)
{
	uintptr_t got = (uintptr_t)m->got;
	uintptr_t lo = (uintptr_t)mm->base;
	uintptr_t hi = lo + mm->bytes;
	char what[64];

	if (got < lo || got >= hi || (got - lo) % sizeof(struct page))
		snprintf(what, sizeof(what), "%#lx, not a struct page",
			 (unsigned long)got);
	else if ((uint32_t)((got - lo) / sizeof(struct page)) == m->pfn)
		snprintf(what, sizeof(what), "the page itself%s",
			 is_fake_head(mm, m->got, m->want) ?
			 " (a fake head)" : "");
	else
		snprintf(what, sizeof(what), "pfn %#lx%s",
			 (unsigned long)((got - lo) / sizeof(struct page)),
			 is_fake_head(mm, m->got, m->want) ?
			 " (a fake head)" :
			 is_head_pfn(mm->fs, (got - lo) / sizeof(struct page)) ?
			 " (another folio's head)" : " (not a head)");
	snprintf(buf, len, "pfn %#x: got %s, want pfn %#x", m->pfn, what,
		 m->want);
}

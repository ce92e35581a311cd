// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/ktails.h"
#include "kernel/kverify.h"
#include "vmemmap/memmap.h"
#include "vmemmap/pagemap.h"
#include "lib/units.h"
#include "variants/variants.h"
#include "lib/scnprintf.h"
#include "lib/err.h"

static const char *const ch_kkind_names[CH_NR_KK] = {
	[CH_KK_SMALL] = "order-0",
	[CH_KK_THP] = "THP 2 MiB",
	[CH_KK_H2M] = "HugeTLB 2 MiB",
	[CH_KK_H1G] = "HugeTLB 1 GiB",
};

static enum ch_kkind kind_of(const struct ch_folio *f)
{
	if (f->kind == CH_FOLIO_HUGETLB)
		return f->order >= 18 ? CH_KK_H1G : CH_KK_H2M;
	return f->order ? CH_KK_THP : CH_KK_SMALL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static unsigned int distinct(uint64_t *v, size_t n)
{
	unsigned int d = 0;
	size_t i;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < n; i++)
		d += !i || v[i] != v[i - 1];
	return d;
}

/*
 * The picture of one folio of @nr struct pages of @size bytes: head[i]
 * says PG_head is set in struct page i; phys[] holds the physical page
 * behind each of its struct pages (destroyed: sorted). The PG_head
 * offsets print as "0,64,...,448 (every 64)" when evenly spaced, else
 * as the first few.
 */
static void picture(struct ch_kpicture *p, const bool *head, uint64_t *phys,
		    size_t nr, size_t size)
{
	uint32_t first[8], step = 0, prev = 0;
	bool even = true;
	size_t i, o = 0;

	p->heads = 0;
	for (i = 0; i < nr; i++) {
		if (!head[i])
			continue;
		if (p->heads < 8)
			first[p->heads] = i;
		if (p->heads == 1)
			step = i - prev;
		else if (p->heads > 1 && i - prev != step)
			even = false;
		prev = i;
		p->heads++;
	}
	if (!p->heads) {
		snprintf(p->offsets, sizeof(p->offsets), "-");
	} else if (even && p->heads > 3) {
		snprintf(p->offsets, sizeof(p->offsets),
			 "%u,%u,...,%u (every %u)", first[0], first[1], prev,
			 step);
	} else {
		for (i = 0; i < p->heads && i < 8; i++)
			o += scnprintf(p->offsets + o, sizeof(p->offsets) - o,
				       "%s%u", i ? "," : "", first[i]);
		if (p->heads > 8)
			snprintf(p->offsets + o, sizeof(p->offsets) - o,
				 ",...");
	}
	p->vmemmap_pages = (nr * size + CH_PAGE_SIZE - 1) / CH_PAGE_SIZE;
	p->phys_pages = distinct(phys, nr);
}

static bool picture_same(const struct ch_kpicture *a,
			 const struct ch_kpicture *b)
{
	return a->heads == b->heads && a->phys_pages == b->phys_pages &&
	       a->vmemmap_pages == b->vmemmap_pages &&
	       !strcmp(a->offsets, b->offsets);
}

static void kernel_picture(const struct chb_page_rec *recs, uint64_t first,
			   size_t nr, const struct chb_info *info,
			   struct ch_kpicture *p, bool *head, uint64_t *phys)
{
	size_t i;

	p->level = recs[first].vmemmap_level;
	for (i = 0; i < nr; i++) {
		const struct chb_page_rec *r = &recs[first + i];

		head[i] = r->flags & (1ULL << info->pg_head);
		phys[i] = r->vmemmap_phys / CH_PAGE_SIZE;
		if (r->vmemmap_level != p->level)
			p->level = 0;
	}
	picture(p, head, phys, nr, info->struct_page_size);
}

/* vm.hugetlb_optimize_vmemmap, or -1 where it cannot be read. */
static long read_hvo_sysctl(void)
{
	FILE *sf = fopen("/proc/sys/vm/hugetlb_optimize_vmemmap", "r");
	long v = -1;

	if (sf) {
		if (fscanf(sf, "%ld", &v) != 1)
			v = -1;
		fclose(sf);
	}
	return v;
}

/*
 * One folio's struct pages as the kernel has them, counted into @st (its
 * tails' words, fake heads, HVO) and its picture into st->pic[]; @head
 * and @phys are scratch for its 1 << fo->order pages. Returns how many of
 * its pages are not where the folio says.
 */
static uint64_t tally_folio(const struct ch_kmod *k,
			    const struct chb_page_rec *recs,
			    const struct ch_folio *fo, struct ch_kstate *st,
			    bool *head, uint64_t *phys)
{
	uint64_t h = fo->pfn, n = 1ULL << fo->order, i, bad = 0;
	struct ch_kpicture p = { 0 }, *kp;

	/* the truth: one naturally aligned run of pfns */
	if (recs[h].pfn % n)
		bad++;
	for (i = 1; i < n; i++) {
		const struct chb_page_rec *r = &recs[h + i];

		if (r->pfn != recs[h].pfn + i)
			bad++;
		/* an aliased copy of the head: counted, not decoded */
		if (!(r->info & 1) &&
		    (r->flags & (1ULL << k->info.pg_head))) {
			st->fake_heads++;
			continue;
		}
		st->tails++;
		if (r->info == recs[h].page + 1)
			st->tails_pointer++;
		else if (k->info.struct_page_size == sizeof(struct page) &&
			 r->info == ch_compound_info_mask(fo->order))
			st->tails_mask++;
	}
	kernel_picture(recs, h, n, &k->info, &p, head, phys);
	kp = &st->pic[kind_of(fo)];
	if (!kp->folios++) {
		*kp = p;
		kp->folios = 1;
	}
	kp->same += picture_same(kp, &p);
	if (fo->kind == CH_FOLIO_HUGETLB) {
		st->hvo_folios++;
		st->hvo_optimized += p.phys_pages < p.vmemmap_pages;
	}
	return bad;
}

/* The encoding the tails' words show, and the layout it all adds up to. */
static void kstate_classify(struct ch_kstate *st, const struct ch_kmod *k)
{
	if (st->tails && st->tails_pointer == st->tails)
		st->encoding = CH_ENC_POINTER;
	else if (st->tails && st->tails_mask == st->tails)
		st->encoding = CH_ENC_MASK;
	else
		st->encoding = st->tails ? -1 : (int)k->info.encoding;

	if (!st->hvo_optimized)
		st->layout = CH_LAYOUT_NONE;
	else if (st->encoding == CH_ENC_MASK)
		st->layout = CH_LAYOUT_HVO_SHARED_TAIL;
	else if (st->pic[CH_KK_H2M].heads > 1 || st->pic[CH_KK_H1G].heads > 1)
		st->layout = CH_LAYOUT_HVO_FAKE_HEAD;
	else
		st->layout = CH_LAYOUT_HVO_2PAGE;
}

#define CH_HVO_SYSCTL	"/proc/sys/vm/hugetlb_optimize_vmemmap"
#define CH_HVO_REDO	"reserve the HugeTLB pages again (sysctl vm.nr_hugepages=0; sysctl vm.nr_hugepages=N): HVO applies to folios allocated after it changes"

int ch_khvo_check(int want, const struct ch_kstate *st, char *err,
		  size_t len)
{
	FILE *f;
	int cur = -1;

	if (want < 0)
		return 0;
	if (st) {
		if (!st->hvo_folios) {
			snprintf(err, len, "--hvo %s: the mix has no HugeTLB folio to tell; use a --mix with h9 or h18",
				 want ? "on" : "off");
			return -EINVAL;
		}
		if (want && st->hvo_optimized < st->hvo_folios) {
			snprintf(err, len, "--hvo on: %u of %u HugeTLB folios are not optimized; " CH_HVO_REDO,
				 st->hvo_folios - st->hvo_optimized,
				 st->hvo_folios);
			return -EINVAL;
		}
		if (!want && st->hvo_optimized) {
			snprintf(err, len, "--hvo off: %u of %u HugeTLB folios are optimized; sysctl vm.hugetlb_optimize_vmemmap=0, then " CH_HVO_REDO,
				 st->hvo_optimized, st->hvo_folios);
			return -EINVAL;
		}
		return 0;
	}
	f = fopen(CH_HVO_SYSCTL, "r");
	if (f) {
		if (fscanf(f, "%d", &cur) != 1)
			cur = -1;
		fclose(f);
	}
	if (want && cur < 0) {
		snprintf(err, len, "--hvo on: this kernel has no HVO (%s is missing: CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP is off); boot a kernel that has it",
			 CH_HVO_SYSCTL);
		return -EOPNOTSUPP;
	}
	if (want && !cur) {
		snprintf(err, len, "--hvo on: HVO is off; sysctl vm.hugetlb_optimize_vmemmap=1, then " CH_HVO_REDO);
		return -EINVAL;
	}
	return 0;
}

int ch_kstate_read(struct ch_kmod *k, const struct ch_kmem *km,
		   struct chb_page_rec *recs, struct ch_kstate *st,
		   char *err, size_t len)
{
	const struct ch_folios *fs = &km->fs;
	size_t maxn = 1UL << fs->max_order;
	bool *head = malloc(maxn * sizeof(*head));
	uint64_t *phys = malloc(maxn * sizeof(*phys));
	uint64_t f, bad = 0;
	int ret = -ENOMEM;

	memset(st, 0, sizeof(*st));
	st->hvo_sysctl = read_hvo_sysctl();
	if (head && phys)
		ret = ch_kmod_inspect(k, 0, fs->nr_pages, recs, err, len);
	else
		snprintf(err, len, "out of memory");
	if (ret) {
		free(head);
		free(phys);
		return ret;
	}
	for (f = 0; f < fs->nr; f++)
		bad += tally_folio(k, recs, &fs->f[f], st, head, phys);
	free(head);
	free(phys);
	if (bad) {
		snprintf(err, len, "%" PRIu64 " pinned pages are not where their folio says (pfns not one aligned run): the kernel did not give the folios asked for",
			 bad);
		return -EIO;
	}
	kstate_classify(st, k);
	return 0;
}

/* The same picture, taken of the emulation's memmap of the same layout. */
static int emul_pictures(const struct ch_kmem *km, const struct ch_kstate *st,
			 struct ch_kpicture *pic, char *err, size_t len)
{
	struct ch_folios efs;
	struct ch_memmap mm;
	size_t maxn = 1UL << km->fs.max_order;
	bool *head = malloc(maxn * sizeof(*head));
	uint64_t *phys = malloc(maxn * sizeof(*phys));
	uint64_t *vpfn = malloc((maxn / CH_PAGES_PER_VMEMMAP + 1) *
				sizeof(*vpfn));
	uint32_t f;
	int ret;

	memset(pic, 0, CH_NR_KK * sizeof(*pic));
	if (!head || !phys || !vpfn) {
		snprintf(err, len, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	ret = ch_folios_build(&efs, &km->fs.mix, km->fs.mem, km->fs.seed, err,
			      len);
	if (ret)
		goto out;
	ret = ch_memmap_create(&mm, &efs, st->layout, st->encoding, err, len);
	if (ret) {
		ch_folios_free(&efs);
		goto out;
	}
	for (f = 0; f < efs.nr; f++) {
		const struct ch_folio *fo = &efs.f[f];
		struct ch_kpicture *p = &pic[kind_of(fo)];
		size_t n = 1UL << fo->order, i, nv;
		const struct page *pg = ch_memmap_page(&mm, fo->pfn);

		if (p->folios++)
			continue;
		nv = (n * sizeof(struct page) + CH_PAGE_SIZE - 1) /
		     CH_PAGE_SIZE;
		ret = ch_pagemap_pfns((const void *)((uintptr_t)pg &
						     ~(CH_PAGE_SIZE - 1)),
				      nv, vpfn, err, len);
		if (ret)
			break;
		for (i = 0; i < n; i++) {
			head[i] = ch_page_head(pg + i);
			phys[i] = vpfn[i * sizeof(struct page) /
				       CH_PAGE_SIZE];
		}
		picture(p, head, phys, n, sizeof(struct page));
	}
	ch_memmap_destroy(&mm);
	ch_folios_free(&efs);
out:
	free(head);
	free(phys);
	free(vpfn);
	return ret;
}

static const char *level_name(unsigned int level)
{
	switch (level) {
	case 1: return "4 KiB PTEs";
	case 2: return "a 2 MiB PMD";
	case 3: return "a 1 GiB PUD";
	default: return "mixed";
	}
}

static void print_pictures(FILE *out, const struct ch_kstate *st,
			   const struct ch_kpicture *emu, bool have_emu)
{
	int kk;

	fprintf(out, "\none folio, read raw         %-28s emulation (%s)\n",
		"kernel", ch_layouts[st->layout].name);
	for (kk = 0; kk < CH_NR_KK; kk++) {
		const struct ch_kpicture *p = &st->pic[kk], *e = &emu[kk];
		char a[64], b[64];

		if (!p->folios)
			continue;
		fprintf(out, "%s (%u folios, %u alike):\n", ch_kkind_names[kk],
			p->folios, p->same);
		snprintf(a, sizeof(a), "%u", p->heads);
		snprintf(b, sizeof(b), "%u", e->heads);
		fprintf(out, "  PG_head struct pages     %-28s %s\n", a,
			have_emu ? b : "n/a");
		fprintf(out, "  at struct page offsets   %-28s %s\n", p->offsets,
			have_emu ? e->offsets : "n/a");
		snprintf(a, sizeof(a), "%u of %u, %s", p->phys_pages,
			 p->vmemmap_pages, level_name(p->level));
		snprintf(b, sizeof(b), "%u of %u", e->phys_pages,
			 e->vmemmap_pages);
		fprintf(out, "  physical vmemmap pages   %-28s %s\n", a,
			have_emu ? b : "n/a");
	}
}

struct vcheck {
	uint64_t checked, mismatches, first_bad;
	bool expected;		/* correct here, says the registry */
	bool run;
};

/* What the kernel's memmap shows: its encoding, HVO and layout. */
static void print_kstate(FILE *out, const struct ch_kmod *k,
			 const struct ch_folios *fs, const struct ch_kstate *st)
{
	char sz[32];

	fprintf(out, "kernel verify: %s, --mix %s (%s) --mem %s: %u pages pinned\n",
		k->info.release, fs->mix.name, fs->mix.spec,
		ch_fmt_size(fs->mem, sz, sizeof(sz)), fs->nr_pages);
	fprintf(out, "encoding: %s (raw words of %" PRIu64 " tails: %" PRIu64 " head|1, %" PRIu64 " mask; %" PRIu64 " fake heads); chbench.ko built for %s; PG_head is bit %u; struct page %u bytes\n",
		st->encoding < 0 ? "UNKNOWN" : ch_encoding_name(st->encoding),
		st->tails, st->tails_pointer, st->tails_mask, st->fake_heads,
		ch_encoding_name(k->info.encoding), k->info.pg_head,
		k->info.struct_page_size);
	fprintf(out, "HVO: vm.hugetlb_optimize_vmemmap=%s; %u of %u HugeTLB folios optimized; hugetlb_optimize_vmemmap_key ",
		st->hvo_sysctl < 0 ? "n/a" : st->hvo_sysctl ? "1" : "0",
		st->hvo_optimized, st->hvo_folios);
	if (k->info.hvo_key < 0)
		fprintf(out, "absent from this kernel\n");
	else
		fprintf(out, "count %d (%s)\n", k->info.hvo_key,
			k->info.hvo_key ? "on" : "off");
	fprintf(out, "layout: %s, the emulation's name for this picture\n",
		ch_layouts[st->layout].name);
}

/*
 * The kernel's pictures beside the emulation's, when it can be built (an
 * unknown encoding fails the check outright). Returns false on a FAIL.
 */
static bool compare_emulation(FILE *out, const struct ch_kmem *km,
			      const struct ch_kstate *st)
{
	struct ch_kpicture emu[CH_NR_KK];
	bool have_emu = false, agree = true, ok = true;
	char err[512];
	int kk;

	if (st->encoding < 0) {
		fprintf(out, "FAIL: tails hold neither head|1 nor the mask\n");
		ok = false;
	} else if (emul_pictures(km, st, emu, err, sizeof(err))) {
		fprintf(out, "emulation: not built: %s\n", err);
	} else {
		have_emu = true;
	}
	print_pictures(out, st, emu, have_emu);
	for (kk = 0; have_emu && kk < CH_NR_KK; kk++) {
		if (!st->pic[kk].folios)
			continue;
		if (st->pic[kk].same != st->pic[kk].folios ||
		    !picture_same(&st->pic[kk], &emu[kk]))
			agree = false;
	}
	if (have_emu)
		fprintf(out, "%s\n", agree ?
			"emulation agrees: every folio kind looks the same in the kernel and in the emulation" :
			"FAIL: the kernel and the emulation differ (above)");
	return ok && (!have_emu || agree);
}

/*
 * The mask era's shared tail pages, one per zone and order: one line, or
 * one FAIL line for a private or writable tail page or for two pages in
 * one zone and order. The pointer era has none. Returns false on a FAIL.
 */
static bool check_shared_tails(FILE *out, const struct ch_kmem *km,
			       const struct chb_page_rec *recs,
			       const struct ch_kstate *st)
{
	struct ch_ktails *t;
	struct ch_kzones z;
	char line[512];
	bool ok = true;

	if (st->encoding == CH_ENC_POINTER) {
		fprintf(out, "shared tail pages: n/a (pointer encoding: each tail names its own head, so no page of tails is shared)\n");
		return true;
	}
	if (st->encoding != CH_ENC_MASK)
		return true;	/* neither: compare_emulation() said FAIL */
	t = malloc(sizeof(*t));
	ch_kzones_read(&z);
	if (!t) {
		snprintf(line, sizeof(line), "out of memory");
		ok = false;
	} else if (ch_ktails_check(recs, km->fs.f, km->fs.nr, &z, t, line,
				   sizeof(line))) {
		ok = false;
	}
	if (ok) {
		ch_ktails_summary(t, &z, line, sizeof(line));
		fprintf(out, "shared tail pages: %s\n", line);
	} else {
		fprintf(out, "FAIL: shared tail pages: %s\n", line);
	}
	free(t);
	return ok;
}

/*
 * What each of chbench.ko's variants found for every pinned page, against
 * the truth, in vc[]; pseudo-variants are not checked (vc[v].run false).
 */
static void check_variants(const struct ch_kmod *k, const struct ch_kmem *km,
			   const struct chb_page_rec *recs,
			   const struct ch_kstate *st, struct vcheck *vc)
{
	unsigned int v;
	uint64_t i;

	for (v = 0; v < k->info.nr_variants; v++) {
		const struct ch_variant *cv = ch_variant_find(k->info.variants[v]);

		if (cv && (cv->flags & CH_VF_PSEUDO))
			continue;
		vc[v].run = true;
		vc[v].expected = !cv || (st->encoding == (int)cv->encoding &&
					 ch_variant_correct_on(cv, st->layout));
	}
	for (i = 0; i < km->fs.nr_pages; i++) {
		uint64_t truth = recs[ch_kmem_head(km, i)].pfn;

		for (v = 0; v < k->info.nr_variants; v++) {
			if (!vc[v].run)
				continue;
			vc[v].checked++;
			if (recs[i].head_pfn[v] != truth &&
			    !vc[v].mismatches++)
				vc[v].first_bad = i;
		}
	}
}

/*
 * One line per variant checked: correct, or not correct where the registry
 * says so, or a FAIL at its first wrong page. Returns false on a FAIL.
 */
static bool print_verdicts(FILE *out, const struct ch_kmod *k,
			   const struct ch_kmem *km,
			   const struct chb_page_rec *recs,
			   const struct ch_kstate *st, const struct vcheck *vc)
{
	bool ok = true;
	unsigned int v;

	fprintf(out, "\n%-16s %9s %10s  verdict\n", "variant", "checked",
		"mismatches");
	for (v = 0; v < k->info.nr_variants; v++) {
		const struct vcheck *c = &vc[v];
		const char *name = k->info.variants[v];

		if (!c->run)
			continue;
		fprintf(out, "%-16s %9" PRIu64 " %10" PRIu64 "  ", name,
			c->checked, c->mismatches);
		if (c->expected && !c->mismatches) {
			fprintf(out, "correct\n");
			continue;
		}
		if (!c->expected) {
			fprintf(out, "not correct on %s %s tails, as the registry says%s\n",
				ch_layouts[st->layout].name,
				st->encoding < 0 ? "?" :
				ch_encoding_name(st->encoding),
				c->mismatches ? "" : " (no page here shows it)");
			continue;
		}
		ok = false;
		fprintf(out, "FAIL: page %" PRIu64 " (pfn %#" PRIx64 "): got pfn %#" PRIx64 ", want %#" PRIx64 "\n",
			c->first_bad, (uint64_t)recs[c->first_bad].pfn,
			(uint64_t)recs[c->first_bad].head_pfn[v],
			(uint64_t)recs[ch_kmem_head(km, c->first_bad)].pfn);
	}
	return ok;
}

int ch_kverify(struct ch_kmod *k, const struct ch_kmem *km, int hvo,
	       FILE *out)
{
	const struct ch_folios *fs = &km->fs;
	struct chb_page_rec *recs = calloc(fs->nr_pages, sizeof(*recs));
	struct vcheck vc[CHB_MAX_VARIANTS] = { 0 };
	struct ch_kstate st;
	char err[512];
	bool ok;
	int ret;

	if (!recs)
		return ch_err(-ENOMEM, "out of memory");
	ret = ch_kstate_read(k, km, recs, &st, err, sizeof(err));
	if (!ret)
		ret = ch_khvo_check(hvo, &st, err, sizeof(err));
	if (ret) {
		free(recs);
		return ch_err(ret, "kernel verify: %s", err);
	}
	print_kstate(out, k, fs, &st);
	ok = compare_emulation(out, km, &st);
	ok = check_shared_tails(out, km, recs, &st) && ok;
	check_variants(k, km, recs, &st, vc);
	ok = print_verdicts(out, k, km, recs, &st, vc) && ok;
	fprintf(out, "%s\n", ok ? "kernel verify: ok" :
		"kernel verify: FAILED");
	free(recs);
	return ok ? 0 : 1;
}

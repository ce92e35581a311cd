// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kernel/kfolios.h"
#include "vmemmap/pagemap.h"
#include "lib/sysfs.h"
#include "lib/units.h"
#include "page/page.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif

#define CH_THP_ORDER	9
#define CH_PUD_ORDER	18

static const char *class_name(const struct ch_mix_class *c)
{
	if (c->hugetlb)
		return c->order == CH_PUD_ORDER ? "HugeTLB 1 GiB" :
						  "HugeTLB 2 MiB";
	return c->order ? "THP" : "order-0";
}

int ch_kmix_check(const struct ch_mix *mix, char *err, size_t len)
{
	int i;

	for (i = 0; i < mix->nr; i++) {
		const struct ch_mix_class *c = &mix->cls[i];
		bool ok = c->hugetlb ? (c->order == CH_THP_ORDER ||
					c->order == CH_PUD_ORDER) :
				       (c->order == 0 ||
					c->order == CH_THP_ORDER);

		if (!ok) {
			snprintf(err, len, "--mix '%s': %sorder %u folios cannot be asked of the kernel from user space; valid: 0 (order-0), 9 (THP), h9 (HugeTLB 2 MiB), h18 (HugeTLB 1 GiB)",
				 mix->name, c->hugetlb ? "HugeTLB " : "",
				 c->order);
			return -EINVAL;
		}
	}
	return 0;
}

/* MAP_HUGETLB reserves at mmap() time: say how many are missing first. */
static int hugetlb_check(unsigned int order, size_t need, char *err,
			 size_t len)
{
	char path[128];
	long nr, fr;
	const char *kb = order == CH_PUD_ORDER ? "1048576" : "2048";

	snprintf(path, sizeof(path),
		 "/sys/kernel/mm/hugepages/hugepages-%skB/free_hugepages", kb);
	fr = ch_sys_read_long(path, NULL);
	snprintf(path, sizeof(path),
		 "/sys/kernel/mm/hugepages/hugepages-%skB/nr_hugepages", kb);
	nr = ch_sys_read_long(path, NULL);
	if (fr < 0) {
		snprintf(err, len, "this kernel has no %s HugeTLB pages (%s missing); use a --mix without h%u",
			 order == CH_PUD_ORDER ? "1 GiB" : "2 MiB", path,
			 order);
		return -EOPNOTSUPP;
	}
	if ((size_t)fr >= need)
		return 0;
	if (order == CH_PUD_ORDER)
		snprintf(err, len, "--mix h18 needs %zu free 1 GiB HugeTLB pages, %ld of %ld are free; reserve them: echo %ld > %s (or boot with hugepagesz=1G hugepages=%ld)",
			 need, fr, nr, nr + (long)need - fr, path,
			 nr + (long)need - fr);
	else
		snprintf(err, len, "--mix h9 needs %zu free 2 MiB HugeTLB pages, %ld of %ld are free; reserve them: sysctl vm.nr_hugepages=%ld",
			 need, fr, nr, nr + (long)need - fr);
	return -ENOMEM;
}

/* @len bytes aligned to @align, of anonymous memory (@extra flags). */
void *ch_map_aligned(size_t len, size_t align, int extra, int prot)
{
	size_t total = len + align;
	char *p, *a;

	p = mmap(NULL, total, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1,
		 0);
	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (a > p)
		munmap(p, a - p);
	if (a + len < p + total)
		munmap(a + len, p + total - (a + len));
	return a;
}

/* Every 4 KiB page written once: no zero page, every PMD faulted in. */
static void touch(void *addr, size_t len)
{
	volatile char *p = addr;
	size_t off;

	for (off = 0; off < len; off += CH_PAGE_SIZE)
		p[off] = 1;
}

/* Did the kernel really give THPs: one PMD-mapped folio per 2 MiB? */
static int thp_check(const struct ch_kregion *r, char *err, size_t len)
{
	size_t nr = r->len / CH_PAGE_SIZE, per = 1UL << r->order, i, bad = 0;
	uint64_t *pfn = malloc(nr * sizeof(*pfn)), fl;
	int ret = 0;

	if (!pfn) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	ret = ch_pagemap_pfns(r->addr, nr, pfn, err, len);
	for (i = 0; !ret && i < nr; i += per) {
		size_t j;

		ret = ch_kpageflags(pfn[i], &fl, err, len);
		if (ret)
			break;
		if (!pfn[i] || pfn[i] % per || !(fl & (1ULL << CH_KPF_THP))) {
			bad++;
			continue;
		}
		for (j = 1; j < per; j++)
			if (pfn[i + j] != pfn[i] + j)
				break;
		bad += j < per;
	}
	free(pfn);
	if (!ret && bad) {
		snprintf(err, len, "THP: the kernel gave small pages for %zu of %zu 2 MiB regions; set /sys/kernel/mm/transparent_hugepage/enabled to madvise or always (and defrag to madvise), or use a --mix without order 9",
			 bad, nr / per);
		ret = -EOPNOTSUPP;
	}
	return ret;
}

static int region_map(struct ch_kregion *r, char *err, size_t len)
{
	size_t folio = CH_PAGE_SIZE << r->order;
	int flags = 0, ret;

	if (r->kind == CH_FOLIO_HUGETLB) {
		ret = hugetlb_check(r->order, r->len / folio, err, len);
		if (ret)
			return ret;
		flags = MAP_HUGETLB | (int)((r->order + 12) << MAP_HUGE_SHIFT);
		r->addr = mmap(NULL, r->len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
		if (r->addr == MAP_FAILED) {
			ret = -errno;
			r->addr = NULL;
			snprintf(err, len, "mmap(MAP_HUGETLB) of %zu bytes: %s; reserve more HugeTLB pages (sysctl vm.nr_hugepages)",
				 r->len, strerror(-ret));
			return ret;
		}
	} else {
		r->addr = ch_map_aligned(r->len, folio, 0,
					 PROT_READ | PROT_WRITE);
		if (!r->addr) {
			ret = -errno;
			snprintf(err, len, "mmap of %zu bytes: %s", r->len,
				 strerror(-ret));
			return ret;
		}
		if (madvise(r->addr, r->len, r->order ? MADV_HUGEPAGE :
			    MADV_NOHUGEPAGE)) {
			ret = -errno;
			snprintf(err, len, "madvise(%s): %s%s",
				 r->order ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE",
				 strerror(-ret),
				 r->order ? "; this kernel has no THP: use a --mix without order 9" : "");
			return ret;
		}
	}
	touch(r->addr, r->len);
	if (r->kind == CH_FOLIO_COMPOUND)
		return thp_check(r, err, len);
	return 0;
}

static int cmp_order_desc(const void *a, const void *b)
{
	const struct ch_kregion *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? 1 : -1;
	return y->kind - x->kind;	/* HugeTLB before THP */
}

static int fill_folios(struct ch_kmem *km, const struct ch_mix *mix,
		       uint64_t seed, char *err, size_t len)
{
	struct ch_folios *fs = &km->fs;
	uint64_t i, pages = 0, nr = 0;
	int r, c;

	for (r = 0; r < km->nr; r++) {
		pages += km->r[r].len / CH_PAGE_SIZE;
		nr += (km->r[r].len / CH_PAGE_SIZE) >> km->r[r].order;
	}
	memset(fs, 0, sizeof(*fs));
	fs->f = calloc(nr, sizeof(*fs->f));
	if (!fs->f) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	fs->mix = *mix;
	fs->seed = seed;
	fs->mem = pages * CH_PAGE_SIZE;
	fs->nr_pages = pages;
	for (r = 0; r < km->nr; r++) {
		const struct ch_kregion *kr = &km->r[r];
		uint64_t n = (kr->len / CH_PAGE_SIZE) >> kr->order;

		if (kr->order > fs->max_order)
			fs->max_order = kr->order;
		for (i = 0; i < n; i++) {
			struct ch_folio *f = &fs->f[fs->nr++];

			f->pfn = kr->first + (i << kr->order);
			f->order = kr->order;
			f->kind = kr->kind;
		}
		for (c = 0; c < mix->nr; c++)
			if (mix->cls[c].order == kr->order &&
			    mix->cls[c].hugetlb == (kr->kind == CH_FOLIO_HUGETLB))
				fs->class_pages[c] += kr->len / CH_PAGE_SIZE;
	}
	return 0;
}

int ch_kmem_alloc(struct ch_kmem *km, struct ch_kmod *k,
		  const struct ch_mix *mix, uint64_t mem, uint64_t seed,
		  char *err, size_t len)
{
	int i, ret;

	memset(km, 0, sizeof(*km));
	ret = ch_kmix_check(mix, err, len);
	if (ret)
		return ret;
	for (i = 0; i < mix->nr; i++) {
		const struct ch_mix_class *c = &mix->cls[i];
		struct ch_kregion *r = &km->r[km->nr];
		size_t folio = CH_PAGE_SIZE << c->order;
		uint64_t want = mem * c->percent / 100;

		if (!c->percent)
			continue;
		/* at least one folio of every class asked for */
		r->len = want < folio ? folio : want / folio * folio;
		r->order = c->order;
		r->kind = c->hugetlb ? CH_FOLIO_HUGETLB :
			  c->order ? CH_FOLIO_COMPOUND : CH_FOLIO_SMALL;
		km->nr++;
	}
	qsort(km->r, km->nr, sizeof(km->r[0]), cmp_order_desc);
	for (i = 0; i < km->nr; i++) {
		struct ch_kregion *r = &km->r[i];
		char sz[32];

		ret = region_map(r, err, len);
		if (!ret)
			ret = ch_kmod_pin(k, r->addr, r->len, &r->first, err,
					  len);
		if (ret) {
			size_t off = strlen(err);

			snprintf(err + off, len - off, " (%s, %s)",
				 class_name(&(struct ch_mix_class){
					.order = r->order,
					.hugetlb = r->kind == CH_FOLIO_HUGETLB }),
				 ch_fmt_size(r->len, sz, sizeof(sz)));
			ch_kmem_free(km, k);
			return ret;
		}
	}
	ret = fill_folios(km, mix, seed, err, len);
	if (ret)
		ch_kmem_free(km, k);
	return ret;
}

void ch_kmem_free(struct ch_kmem *km, struct ch_kmod *k)
{
	char err[256];
	int i;

	if (k && k->fd >= 0)
		ch_kmod_unpin(k, err, sizeof(err));
	for (i = 0; i < km->nr; i++)
		if (km->r[i].addr)
			munmap(km->r[i].addr, km->r[i].len);
	ch_folios_free(&km->fs);
	km->nr = 0;
}

uint64_t ch_kmem_head(const struct ch_kmem *km, uint64_t i)
{
	return ch_folio_of(&km->fs, (uint32_t)i)->pfn;
}

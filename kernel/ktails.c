// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/ktails.h"
#include "page/page.h"
#include "lib/scnprintf.h"

void ch_kzones_parse(struct ch_kzones *z, FILE *f)
{
	unsigned int nid, first = 0;
	char line[256], name[16];

	memset(z, 0, sizeof(*z));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %u, zone %15s", &nid, name) != 2)
			continue;
		if (!z->nr)
			first = nid;
		/* every node lists every zone, in page_zonenum() order */
		if (nid != first || z->nr == CH_KMAX_ZONES)
			break;
		snprintf(z->name[z->nr++], sizeof(z->name[0]), "%s", name);
	}
}

void ch_kzones_read(struct ch_kzones *z)
{
	FILE *f = fopen("/proc/zoneinfo", "r");

	memset(z, 0, sizeof(*z));
	if (f) {
		ch_kzones_parse(z, f);
		fclose(f);
	}
}

const char *ch_kzone_label(const struct ch_kzones *z, uint32_t nid,
			   uint32_t zone, char *buf, size_t len)
{
	size_t o;

	if (zone < z->nr)
		o = scnprintf(buf, len, "%s", z->name[zone]);
	else
		o = scnprintf(buf, len, "zone%u", zone);
	if (nid && o < len)
		snprintf(buf + o, len - o, "@node%u", nid);
	return buf;
}

/* "2 MiB", "1 GiB": a folio's size. */
static const char *order_label(unsigned int order, char *buf, size_t len)
{
	uint64_t kib = (CH_PAGE_SIZE << order) >> 10;

	if (kib >= (1 << 20))
		snprintf(buf, len, "%" PRIu64 " GiB", kib >> 20);
	else if (kib >= (1 << 10))
		snprintf(buf, len, "%" PRIu64 " MiB", kib >> 10);
	else
		snprintf(buf, len, "%" PRIu64 " KiB", kib);
	return buf;
}

/* "HugeTLB 2 MiB folio at pfn 0x40200 (Normal)", for every message. */
static const char *folio_label(const struct chb_page_rec *h,
			       unsigned int order, const struct ch_kzones *z,
			       char *buf, size_t len)
{
	char sz[16], zn[32];

	snprintf(buf, len, "HugeTLB %s folio at pfn %#" PRIx64 " (%s)",
		 order_label(order, sz, sizeof(sz)), (uint64_t)h->pfn,
		 ch_kzone_label(z, h->nid, h->zone, zn, sizeof(zn)));
	return buf;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The scratch of one folio: what backs each of its vmemmap pages. */
struct vm_pages {
	uint64_t cap;			/* room in the arrays */
	uint64_t nv;			/* its vmemmap pages */
	uint64_t *phys;			/* the physical page behind each */
	bool *writable;			/* any of its struct pages RW */
	uint64_t *sorted;		/* phys[1..nv) sorted */
	uint64_t tail;			/* the page most of 1..nv map */
	uint64_t most, distinct;	/* how many map it; pages among them */
};

/*
 * Fill @v for the 1 << @order struct pages from @h: each vmemmap page's
 * physical page and write bit, and the page most of pages 1..nv map.
 * 0, or -EIO with a message when a struct page's vmemmap is not mapped.
 */
static int read_vmemmap(const struct chb_page_rec *h, unsigned int order,
			struct vm_pages *v, char *err, size_t len)
{
	uint64_t base = h->page & ~(uint64_t)(CH_PAGE_SIZE - 1);
	uint64_t n = 1ULL << order, i, run = 0;

	v->nv = (h[n - 1].page - base) / CH_PAGE_SIZE + 1;
	if (h[n - 1].page < base || v->nv > v->cap) {
		snprintf(err, len, "the struct pages of pfn %#" PRIx64 "..+%" PRIu64 " are not one run in the vmemmap",
			 (uint64_t)h->pfn, n);
		return -EIO;
	}
	for (i = 0; i < v->nv; i++) {
		v->phys[i] = UINT64_MAX;
		v->writable[i] = false;
	}
	for (i = 0; i < n; i++) {
		const struct chb_page_rec *r = &h[i];
		uint64_t j = (r->page - base) / CH_PAGE_SIZE;

		if (!r->vmemmap_level || r->page < base || j >= v->nv) {
			snprintf(err, len, "the struct page of pfn %#" PRIx64 " has no vmemmap mapping to read",
				 (uint64_t)r->pfn);
			return -EIO;
		}
		v->phys[j] = r->vmemmap_phys & ~(uint64_t)(CH_PAGE_SIZE - 1);
		v->writable[j] |= !!r->vmemmap_writable;
	}
	memcpy(v->sorted, v->phys + 1, (v->nv - 1) * sizeof(*v->sorted));
	qsort(v->sorted, v->nv - 1, sizeof(*v->sorted), cmp_u64);
	v->most = v->distinct = 0;
	for (i = 0; i < v->nv - 1; i++) {
		run = i && v->sorted[i] == v->sorted[i - 1] ? run + 1 : 1;
		v->distinct += run == 1;
		if (run > v->most) {
			v->most = run;
			v->tail = v->sorted[i];
		}
	}
	return 0;
}

/* HVO left it alone: every vmemmap page its own, and writable. */
static bool plain(const struct vm_pages *v)
{
	uint64_t j;

	if (v->most > 1)
		return false;
	for (j = 1; j < v->nv; j++)
		if (!v->writable[j] || v->phys[j] == v->phys[0])
			return false;
	return true;
}

/*
 * An optimized folio's own rule: pages 1..nv-1 on one read-only page,
 * not its page 0. 0, or -EIO with the first breach in @err.
 */
static int check_folio(const struct vm_pages *v, const char *fl, char *err,
		       size_t len)
{
	uint64_t j;

	for (j = 1; j < v->nv; j++)
		if (v->phys[j] != v->tail) {
			snprintf(err, len, "%s: its vmemmap pages 1..%" PRIu64 " map %" PRIu64 " physical pages, not one: page %" PRIu64 " (phys %#" PRIx64 ") is private, not the tail page %#" PRIx64,
				 fl, v->nv - 1, v->distinct, j, v->phys[j],
				 v->tail);
			return -EIO;
		}
	for (j = 1; j < v->nv; j++)
		if (v->writable[j]) {
			snprintf(err, len, "%s: its vmemmap page %" PRIu64 " (phys %#" PRIx64 ") is writable; a shared tail page must be read-only",
				 fl, j, v->phys[j]);
			return -EIO;
		}
	if (v->tail == v->phys[0]) {
		snprintf(err, len, "%s: its vmemmap pages 1..%" PRIu64 " map its own page 0 (phys %#" PRIx64 "), as fake heads do, not a shared tail page",
			 fl, v->nv - 1, v->tail);
		return -EIO;
	}
	return 0;
}

/* One page per zone and order: @h's folio against the first one seen. */
static int check_zone(struct ch_ktails *t, const struct chb_page_rec *h,
		      unsigned int order, uint64_t tail,
		      const struct ch_kzones *z, char *err, size_t len)
{
	struct ch_ktail *e = NULL;
	char sz[16], zn[32];
	unsigned int i;

	for (i = 0; i < t->nr && !e; i++)
		if (t->t[i].nid == h->nid && t->t[i].zone == h->zone &&
		    t->t[i].order == order)
			e = &t->t[i];
	if (e && e->phys != tail) {
		snprintf(err, len, "two HugeTLB %s folios of zone %s map different tail pages: pfn %#" PRIx64 " maps %#" PRIx64 ", pfn %#" PRIx64 " maps %#" PRIx64 "; one zone and order must share one",
			 order_label(order, sz, sizeof(sz)),
			 ch_kzone_label(z, h->nid, h->zone, zn, sizeof(zn)),
			 e->first_pfn, e->phys, (uint64_t)h->pfn, tail);
		return -EIO;
	}
	if (!e) {
		if (t->nr == CH_KTAILS_MAX) {
			snprintf(err, len, "more than %d zone and order pairs hold HugeTLB folios",
				 CH_KTAILS_MAX);
			return -ENOSPC;
		}
		e = &t->t[t->nr++];
		e->nid = h->nid;
		e->zone = h->zone;
		e->order = order;
		e->phys = tail;
		e->first_pfn = h->pfn;
	}
	e->folios++;
	return 0;
}

static int cmp_tail(const void *a, const void *b)
{
	const struct ch_ktail *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if (x->nid != y->nid)
		return x->nid < y->nid ? -1 : 1;
	return x->zone < y->zone ? -1 : x->zone > y->zone;
}

/* Sorted by order, node and zone; the pages counted once each. */
static void finish(struct ch_ktails *t)
{
	uint64_t phys[CH_KTAILS_MAX];
	unsigned int i;

	qsort(t->t, t->nr, sizeof(t->t[0]), cmp_tail);
	for (i = 0; i < t->nr; i++)
		phys[i] = t->t[i].phys;
	qsort(phys, t->nr, sizeof(phys[0]), cmp_u64);
	t->pages = 0;
	for (i = 0; i < t->nr; i++)
		t->pages += !i || phys[i] != phys[i - 1];
}

int ch_ktails_check(const struct chb_page_rec *recs, const struct ch_folio *f,
		    uint32_t nr, const struct ch_kzones *z,
		    struct ch_ktails *t, char *err, size_t len)
{
	struct vm_pages v = { 0 };
	uint64_t most = 2;
	uint32_t i;
	int ret = 0;
	char fl[128];

	memset(t, 0, sizeof(*t));
	for (i = 0; i < nr; i++)
		if (f[i].kind == CH_FOLIO_HUGETLB &&
		    (1ULL << f[i].order) + 1 > most)
			most = (1ULL << f[i].order) + 1;
	/* at most one vmemmap page per struct page, and a partial one */
	v.cap = most;
	v.phys = malloc(most * sizeof(*v.phys));
	v.sorted = malloc(most * sizeof(*v.sorted));
	v.writable = malloc(most * sizeof(*v.writable));
	if (!v.phys || !v.sorted || !v.writable) {
		snprintf(err, len, "out of memory");
		ret = -ENOMEM;
	}
	for (i = 0; !ret && i < nr; i++) {
		const struct chb_page_rec *h = &recs[f[i].pfn];

		if (f[i].kind != CH_FOLIO_HUGETLB)
			continue;
		ret = read_vmemmap(h, f[i].order, &v, err, len);
		if (ret || v.nv < 2 || plain(&v)) {
			t->plain += !ret;
			continue;
		}
		t->optimized++;
		folio_label(h, f[i].order, z, fl, sizeof(fl));
		ret = check_folio(&v, fl, err, len) ?:
		      check_zone(t, h, f[i].order, v.tail, z, err, len);
	}
	free(v.phys);
	free(v.sorted);
	free(v.writable);
	if (!ret)
		finish(t);
	return ret;
}

void ch_ktails_summary(const struct ch_ktails *t, const struct ch_kzones *z,
		       char *buf, size_t len)
{
	char sz[16], zn[32];
	unsigned int i;
	size_t o;

	if (!t->nr) {
		snprintf(buf, len, "0 (no HugeTLB folio here is optimized)");
		return;
	}
	o = scnprintf(buf, len, "%u (", t->pages);
	for (i = 0; i < t->nr && o < len; i++) {
		const struct ch_ktail *e = &t->t[i];

		if (!i || e->order != t->t[i - 1].order)
			o += scnprintf(buf + o, len - o, "%s%s: ",
				       i ? "; " : "",
				       order_label(e->order, sz, sizeof(sz)));
		else
			o += scnprintf(buf + o, len - o, ", ");
		if (o < len)
			o += scnprintf(buf + o, len - o, "%s",
				       ch_kzone_label(z, e->nid, e->zone, zn,
						      sizeof(zn)));
	}
	if (o < len)
		snprintf(buf + o, len - o, ")");
}

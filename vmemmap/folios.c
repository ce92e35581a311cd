// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmemmap/folios.h"
#include "vmemmap/rng.h"
#include "lib/units.h"
#include "page/page.h"

/* Free blocks per order, as the buddy allocator keeps them. */
struct free_area {
	uint32_t *pfn[CH_MAX_ORDER + 1];
	uint32_t nr[CH_MAX_ORDER + 1];
	uint32_t cap[CH_MAX_ORDER + 1];
};

static int free_add(struct free_area *fa, unsigned int order, uint32_t pfn)
{
	if (fa->nr[order] == fa->cap[order]) {
		uint32_t cap = fa->cap[order] ? 2 * fa->cap[order] : 64;
		uint32_t *p = realloc(fa->pfn[order], cap * sizeof(*p));

		if (!p)
			return -1;
		fa->pfn[order] = p;
		fa->cap[order] = cap;
	}
	fa->pfn[order][fa->nr[order]++] = pfn;
	return 0;
}

static void free_area_release(struct free_area *fa)
{
	int o;

	for (o = 0; o <= CH_MAX_ORDER; o++)
		free(fa->pfn[o]);
}

/* Order-@order slots left in blocks of order >= @order. */
static uint64_t free_slots(const struct free_area *fa, unsigned int order)
{
	uint64_t n = 0;
	unsigned int k;

	for (k = order; k <= CH_MAX_ORDER; k++)
		n += (uint64_t)fa->nr[k] << (k - order);
	return n;
}

/*
 * Take a uniformly random free, naturally aligned order-@order slot and
 * return the rest of its block to the free area as buddies.
 */
static int free_take(struct free_area *fa, unsigned int order,
		     struct ch_rng *rng, uint32_t *out)
{
	uint64_t r = ch_rng_below(rng, free_slots(fa, order));
	unsigned int k;

	for (k = order; k <= CH_MAX_ORDER; k++) {
		uint64_t slots = (uint64_t)fa->nr[k] << (k - order);
		uint32_t block, pfn, i;

		if (r >= slots) {
			r -= slots;
			continue;
		}
		i = r >> (k - order);
		block = fa->pfn[k][i];
		fa->pfn[k][i] = fa->pfn[k][--fa->nr[k]];
		pfn = block + (uint32_t)((r & ((1ULL << (k - order)) - 1))
					 << order);
		/* split: the half without @pfn goes back at each level */
		while (k > order) {
			uint32_t half = 1U << --k;
			uint32_t lo = pfn & ~((half << 1) - 1);
			uint32_t buddy = (pfn & half) ? lo : lo + half;

			if (free_add(fa, k, buddy))
				return -1;
		}
		*out = pfn;
		return 0;
	}
	return -1;
}

static int by_order_desc(const void *a, const void *b, void *arg)
{
	const struct ch_mix_class *cls = arg;
	int x = *(const int *)a, y = *(const int *)b;

	return (int)cls[y].order - (int)cls[x].order;
}

static int oom(char *err, size_t len, uint64_t mem)
{
	char b[32];

	snprintf(err, len,
		 "--mem %s: out of memory for the folio table; try a smaller --mem",
		 ch_fmt_size(mem, b, sizeof(b)));
	return -ENOMEM;
}

int ch_folios_check(const struct ch_mix *mix, uint64_t mem, char *err,
		    size_t len)
{
	const struct ch_mix_class *big = NULL;
	char b[32], c[32];
	int i;

	if (mem < CH_PAGE_SIZE || mem % CH_PAGE_SIZE || mem > CH_MAX_MEM) {
		snprintf(err, len,
			 "--mem %s: must be a multiple of 4K, at least 4K and below 16T",
			 ch_fmt_size(mem, b, sizeof(b)));
		return -EINVAL;
	}
	/* the largest order binds: name it at once */
	for (i = 0; i < mix->nr; i++) {
		const struct ch_mix_class *cl = &mix->cls[i];

		if (cl->percent && (!big || cl->order > big->order))
			big = cl;
	}
	if (big && (1ULL << big->order) > mem >> CH_PAGE_SHIFT) {
		snprintf(err, len,
			 "--mix %s: an order-%u folio needs --mem of at least %s, got %s",
			 mix->name, big->order,
			 ch_fmt_size(CH_PAGE_SIZE << big->order, b, sizeof(b)),
			 ch_fmt_size(mem, c, sizeof(c)));
		return -EINVAL;
	}
	return 0;
}

/* The free memory at boot: maximal aligned blocks, as the buddy has. */
static int free_area_boot(struct free_area *fa, uint64_t nr_pages)
{
	uint64_t pfn;

	for (pfn = 0; pfn < nr_pages;) {
		unsigned int o = CH_MAX_ORDER;

		while ((pfn & ((1ULL << o) - 1)) ||
		       pfn + (1ULL << o) > nr_pages)
			o--;
		if (free_add(fa, o, pfn))
			return -1;
		pfn += 1ULL << o;
	}
	return 0;
}

/*
 * Place each class's folios of order > 0 at random free slots, marking
 * their heads in @head_order (order + 1) and @head_kind; order-0 classes
 * are left for folios_account(). -1: out of memory.
 *
 * Largest orders first: what is left free is then always made of blocks
 * no smaller than the next order to place, except for the odd tail of the
 * range, which free_slots() accounts for.
 */
static int place_folios(struct ch_folios *fs, const struct ch_mix *mix,
			struct free_area *fa, uint8_t *head_order,
			uint8_t *head_kind, uint64_t seed)
{
	int idx[CH_MIX_MAX_CLASSES];
	struct ch_rng rng;
	int i;

	for (i = 0; i < mix->nr; i++)
		idx[i] = i;
	qsort_r(idx, mix->nr, sizeof(idx[0]), by_order_desc,
		(void *)mix->cls);
	ch_rng_init(&rng, seed, 1);
	for (i = 0; i < mix->nr; i++) {
		const struct ch_mix_class *cl = &mix->cls[idx[i]];
		double want = (double)fs->nr_pages * cl->percent / 100.0 /
			      (double)(1ULL << cl->order);
		uint64_t n = (uint64_t)(want + 0.5), k;
		uint64_t avail = free_slots(fa, cl->order);
		uint8_t kind = !cl->order ? CH_FOLIO_SMALL :
			       cl->hugetlb ? CH_FOLIO_HUGETLB :
			       CH_FOLIO_COMPOUND;

		if (!cl->order)
			continue;	/* order-0 takes whatever is left */
		if (n > avail)
			n = avail;
		for (k = 0; k < n; k++) {
			uint32_t p;

			if (free_take(fa, cl->order, &rng, &p))
				return -1;
			head_order[p] = cl->order + 1;
			head_kind[p] = kind;
		}
		fs->class_pages[idx[i]] = n << cl->order;
	}
	return 0;
}

/*
 * The folio table from the marked heads, sorted by pfn in one pass; every
 * free pfn is an order-0 page. -1: out of memory.
 */
static int folios_from_heads(struct ch_folios *fs, const uint8_t *head_order,
			     const uint8_t *head_kind)
{
	uint64_t pfn;

	fs->f = calloc(fs->nr_pages, sizeof(*fs->f));
	if (!fs->f)
		return -1;
	for (pfn = 0; pfn < fs->nr_pages;) {
		struct ch_folio *f = &fs->f[fs->nr++];

		f->pfn = pfn;
		if (head_order[pfn]) {
			f->order = head_order[pfn] - 1;
			f->kind = head_kind[pfn];
		} else {
			f->order = 0;
			f->kind = CH_FOLIO_SMALL;
		}
		pfn += 1ULL << f->order;
	}
	fs->f = realloc(fs->f, (size_t)fs->nr * sizeof(*fs->f)) ?: fs->f;
	return 0;
}

/*
 * The pages left over go to the first order-0 class (any later one gets
 * none), or, with no order-0 class, to the filler.
 */
static void folios_account(struct ch_folios *fs, const struct ch_mix *mix)
{
	uint64_t used = 0;
	int i;

	for (i = 0; i < mix->nr; i++)
		if (!mix->cls[i].order)
			fs->class_pages[i] = 0;
	for (i = 0; i < mix->nr; i++)
		used += fs->class_pages[i];
	for (i = 0; i < mix->nr; i++) {
		if (!mix->cls[i].order) {
			fs->class_pages[i] = fs->nr_pages - used;
			used = fs->nr_pages;
		}
	}
	fs->filler_pages = fs->nr_pages - used;
}

int ch_folios_build(struct ch_folios *fs, const struct ch_mix *mix,
		    uint64_t mem, uint64_t seed, char *err, size_t len)
{
	struct free_area fa = { 0 };
	uint8_t *head_order = NULL;	/* order + 1 at each head pfn */
	uint8_t *head_kind = NULL;
	int ret;

	memset(fs, 0, sizeof(*fs));
	fs->mix = *mix;
	fs->seed = seed;
	fs->mem = mem;
	ret = ch_folios_check(mix, mem, err, len);
	if (ret)
		return ret;
	fs->nr_pages = mem >> CH_PAGE_SHIFT;
	fs->max_order = ch_mix_max_order(mix);

	if (free_area_boot(&fa, fs->nr_pages))
		goto nomem;
	head_order = calloc(fs->nr_pages, 1);
	head_kind = calloc(fs->nr_pages, 1);
	if (!head_order || !head_kind)
		goto nomem;
	if (place_folios(fs, mix, &fa, head_order, head_kind, seed) ||
	    folios_from_heads(fs, head_order, head_kind))
		goto nomem;
	folios_account(fs, mix);
	ret = 0;
	goto out;
nomem:
	ret = oom(err, len, mem);
	ch_folios_free(fs);
out:
	free(head_order);
	free(head_kind);
	free_area_release(&fa);
	return ret;
}

void ch_folios_free(struct ch_folios *fs)
{
	free(fs->f);
	fs->f = NULL;
	fs->nr = 0;
}

const struct ch_folio *ch_folio_of(const struct ch_folios *fs, uint32_t pfn)
{
	uint32_t lo = 0, hi = fs->nr;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (fs->f[mid].pfn <= pfn)
			lo = mid;
		else
			hi = mid;
	}
	return &fs->f[lo];
}

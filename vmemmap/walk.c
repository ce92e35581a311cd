// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmemmap/rng.h"
#include "vmemmap/walk.h"
#include "page/page.h"

const char *const ch_walk_names[CH_NR_WALKS] = {
	[CH_WALK_RANDOM] = "random",
	[CH_WALK_ZAP] = "zap",
	[CH_WALK_CHASE] = "chase",
};

const char *const ch_pick_names[CH_NR_PICKS] = {
	[CH_PICK_ANY] = "any",
	[CH_PICK_HEAD] = "head",
	[CH_PICK_TAIL] = "tail",
	[CH_PICK_SMALL] = "small",
	[CH_PICK_ALIGNED_HEAD] = "aligned-head",
};

static int find(const char *const *names, int nr, const char *name)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

int ch_walk_find(const char *name)
{
	return find(ch_walk_names, CH_NR_WALKS, name);
}

int ch_pick_find(const char *name)
{
	return find(ch_pick_names, CH_NR_PICKS, name);
}

const char *ch_walk_list(void)
{
	return "random, zap, chase";
}

const char *ch_pick_list(void)
{
	return "any, head, tail, small, aligned-head";
}

const char *ch_walk_label(const struct ch_walk_spec *ws, char *buf,
			  size_t len)
{
	if (ws->tail_fraction >= 0)
		snprintf(buf, len, "%s/tail:%.2f", ch_walk_names[ws->kind],
			 ws->tail_fraction);
	else if (ws->pick != CH_PICK_ANY)
		snprintf(buf, len, "%s/pick:%s", ch_walk_names[ws->kind],
			 ch_pick_names[ws->pick]);
	else
		snprintf(buf, len, "%s", ch_walk_names[ws->kind]);
	return buf;
}

/* The pages a walk may draw from, by kind. */
struct pool {
	const struct ch_folios *fs;
	uint32_t *heads, nr_heads;		/* folio indices */
	uint32_t *aligned, nr_aligned;
	uint32_t *small, nr_small;
	uint32_t *tail_folio;			/* compound folio indices */
	uint64_t *tail_cum, nr_tails;		/* cumulative tail counts */
	uint32_t nr_tail_folios;
};

static void pool_free(struct pool *p)
{
	free(p->heads);
	free(p->aligned);
	free(p->small);
	free(p->tail_folio);
	free(p->tail_cum);
}

static int pool_build(struct pool *p, const struct ch_folios *fs)
{
	uint32_t i;

	memset(p, 0, sizeof(*p));
	p->fs = fs;
	p->heads = malloc(fs->nr * sizeof(uint32_t));
	p->aligned = malloc(fs->nr * sizeof(uint32_t));
	p->small = malloc(fs->nr * sizeof(uint32_t));
	p->tail_folio = malloc(fs->nr * sizeof(uint32_t));
	p->tail_cum = malloc(fs->nr * sizeof(uint64_t));
	if (!p->heads || !p->aligned || !p->small || !p->tail_folio ||
	    !p->tail_cum)
		return -1;
	for (i = 0; i < fs->nr; i++) {
		const struct ch_folio *f = &fs->f[i];

		if (!f->order) {
			p->small[p->nr_small++] = i;
			continue;
		}
		p->heads[p->nr_heads++] = i;
		if (!(f->pfn % CH_PAGES_PER_VMEMMAP))
			p->aligned[p->nr_aligned++] = i;
		p->nr_tails += (1ULL << f->order) - 1;
		p->tail_folio[p->nr_tail_folios] = i;
		p->tail_cum[p->nr_tail_folios++] = p->nr_tails;
	}
	return 0;
}

static uint32_t draw_tail(const struct pool *p, struct ch_rng *r)
{
	uint64_t t = ch_rng_below(r, p->nr_tails);
	uint32_t lo = 0, hi = p->nr_tail_folios - 1;
	const struct ch_folio *f;
	uint64_t before;

	/* first folio whose cumulative count exceeds t */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (p->tail_cum[mid] > t)
			hi = mid;
		else
			lo = mid + 1;
	}
	f = &p->fs->f[p->tail_folio[lo]];
	before = lo ? p->tail_cum[lo - 1] : 0;
	return f->pfn + 1 + (uint32_t)(t - before);
}

static uint32_t draw_non_tail(const struct pool *p, struct ch_rng *r)
{
	return p->fs->f[ch_rng_below(r, p->fs->nr)].pfn;
}

static uint32_t draw(const struct pool *p, int pick, struct ch_rng *r)
{
	switch (pick) {
	case CH_PICK_HEAD:
		return p->fs->f[p->heads[ch_rng_below(r, p->nr_heads)]].pfn;
	case CH_PICK_ALIGNED_HEAD:
		return p->fs->f[p->aligned[ch_rng_below(r,
							p->nr_aligned)]].pfn;
	case CH_PICK_SMALL:
		return p->fs->f[p->small[ch_rng_below(r, p->nr_small)]].pfn;
	case CH_PICK_TAIL:
		return draw_tail(p, r);
	default:
		return (uint32_t)ch_rng_below(r, p->fs->nr_pages);
	}
}

static bool page_matches(const struct ch_folio *f, uint32_t pfn, int pick)
{
	switch (pick) {
	case CH_PICK_HEAD:
		return f->order && pfn == f->pfn;
	case CH_PICK_ALIGNED_HEAD:
		return f->order && pfn == f->pfn &&
		       !(pfn % CH_PAGES_PER_VMEMMAP);
	case CH_PICK_SMALL:
		return !f->order;
	case CH_PICK_TAIL:
		return pfn != f->pfn;
	default:
		return true;
	}
}

/* The mix has pages of each kind in these numbers (or 0/1 for "some"). */
static int check_kinds(const char *mix, const struct ch_walk_spec *ws,
		       uint64_t nr_tails, uint64_t nr_heads,
		       uint64_t nr_aligned, uint64_t nr_small, char *err,
		       size_t len)
{
	double tf = ws->tail_fraction;

	if (ws->kind == CH_WALK_ZAP && tf >= 0)
		snprintf(err, len,
			 "--tail-fraction applies to the random and chase walks; a zap walk's tail share is its folios' (use --pick with zap)");
	else if (tf > 0 && !nr_tails)
		snprintf(err, len,
			 "--tail-fraction %.2f: mix %s has no tail pages; use a mix with compound folios",
			 tf, mix);
	else if (ws->pick == CH_PICK_TAIL && !nr_tails)
		snprintf(err, len,
			 "--pick tail: mix %s has no tail pages; use a mix with compound folios",
			 mix);
	else if (ws->pick == CH_PICK_HEAD && !nr_heads)
		snprintf(err, len,
			 "--pick head: mix %s has no compound folios", mix);
	else if (ws->pick == CH_PICK_ALIGNED_HEAD && !nr_aligned)
		snprintf(err, len,
			 "--pick aligned-head: mix %s has no 4 KiB-aligned heads; use folios of order >= 6",
			 mix);
	else if (ws->pick == CH_PICK_SMALL && !nr_small)
		snprintf(err, len,
			 "--pick small: mix %s has no order-0 pages", mix);
	else
		return 0;
	return -EINVAL;
}

static int check_pool(const struct pool *p, const struct ch_walk_spec *ws,
		      char *err, size_t len)
{
	return check_kinds(p->fs->mix.name, ws, p->nr_tails, p->nr_heads,
			   p->nr_aligned, p->nr_small, err, len);
}

int ch_walk_check(const struct ch_walk_spec *ws, const struct ch_mix *mix,
		  char *err, size_t len)
{
	bool compound = false, aligned = false, small = false;
	int i;

	for (i = 0; i < mix->nr; i++) {
		if (!mix->cls[i].percent)
			continue;
		compound |= mix->cls[i].order > 0;
		aligned |= mix->cls[i].order >= 6;
		small |= !mix->cls[i].order;
	}
	return check_kinds(mix->name, ws, compound, compound, aligned, small,
			   err, len);
}

static void build_zap(const struct pool *p, const struct ch_walk_spec *ws,
		      struct ch_rng *r, uint32_t *idx)
{
	const struct ch_folios *fs = p->fs;
	uint64_t n = 0;

	/* A random page's folio: folios are met in proportion to size. */
	while (n < ws->ops) {
		uint32_t pfn = (uint32_t)ch_rng_below(r, fs->nr_pages);
		const struct ch_folio *f = ch_folio_of(fs, pfn);
		uint64_t i, nr = 1ULL << f->order;

		/* the head, or the first tail, tells if any page matches */
		if (!page_matches(f, f->pfn + (ws->pick == CH_PICK_TAIL &&
					       f->order), ws->pick))
			continue;
		for (i = 0; i < nr && n < ws->ops; i++)
			if (page_matches(f, f->pfn + i, ws->pick))
				idx[n++] = f->pfn + (uint32_t)i;
	}
}

int ch_walk_build(const struct ch_folios *fs, const struct ch_walk_spec *ws,
		  uint32_t **out, char *err, size_t len)
{
	struct ch_rng r;
	struct pool p;
	uint32_t *idx;
	uint64_t i;
	int ret;

	if (pool_build(&p, fs)) {
		pool_free(&p);
		snprintf(err, len, "out of memory building the walk");
		return -ENOMEM;
	}
	ret = check_pool(&p, ws, err, len);
	if (ret)
		goto out;
	idx = malloc(ws->ops * sizeof(*idx));
	if (!idx) {
		snprintf(err, len,
			 "--ops %llu: out of memory for the walk; use fewer --ops",
			 (unsigned long long)ws->ops);
		ret = -ENOMEM;
		goto out;
	}
	ch_rng_init(&r, ws->seed, 2 + ws->kind);
	if (ws->kind == CH_WALK_ZAP) {
		build_zap(&p, ws, &r, idx);
	} else if (ws->tail_fraction >= 0) {
		for (i = 0; i < ws->ops; i++)
			idx[i] = ch_rng_double(&r) < ws->tail_fraction ?
				 draw_tail(&p, &r) : draw_non_tail(&p, &r);
	} else {
		for (i = 0; i < ws->ops; i++)
			idx[i] = draw(&p, ws->pick, &r);
	}
	*out = idx;
out:
	pool_free(&p);
	return ret;
}

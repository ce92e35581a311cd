// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/compare.h"

/* A directory's scenarios: each case's, -1 for the A/A arms. */
struct scen {
	int nr;
	int *of;
};

static bool is_arm(const struct ch_res_case *c)
{
	json_t *arm = json_object_get(c->info, "arm");

	return arm && !json_is_null(arm);
}

static bool is_floor(const struct ch_res_case *c)
{
	return json_is_true(json_object_get(c->info, "pseudo"));
}

static bool same_scenario(const struct ch_res_case *a,
			  const struct ch_res_case *b)
{
	static const char *const f[] = { "mix", "walk_label", "mem", "shape" };
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!json_equal(json_object_get(a->info, f[i]),
				json_object_get(b->info, f[i])))
			return false;
	return true;
}

static int scen_build(struct scen *s, const struct ch_results *r)
{
	int i, j;

	s->nr = 0;
	s->of = calloc(r->nr + 1, sizeof(*s->of));
	if (!s->of)
		return -1;
	for (i = 0; i < r->nr; i++) {
		s->of[i] = -1;
		if (is_arm(&r->c[i]))
			continue;
		for (j = 0; j < i && s->of[i] < 0; j++)
			if (s->of[j] >= 0 && same_scenario(&r->c[j], &r->c[i]))
				s->of[i] = s->of[j];
		if (s->of[i] < 0)
			s->of[i] = s->nr++;
	}
	return 0;
}

/* Shown in a table: a case that is no floor and did not fail. */
static bool shown(const struct ch_res_case *c)
{
	return !is_floor(c) && !c->error;
}

/* The case --baseline VARIANT[@LAYOUT] names in scenario @k, or NULL. */
static const struct ch_res_case *pick(const struct ch_results *r,
				      const struct scen *s, int k,
				      const char *want, bool only_shown)
{
	const char *at = strchr(want, '@');
	size_t vlen = at ? (size_t)(at - want) : strlen(want);
	int i;

	for (i = 0; i < r->nr; i++) {
		const struct ch_res_case *c = &r->c[i];
		const char *v = ch_res_field(c, "variant");

		if (s->of[i] != k || is_floor(c) || (only_shown && c->error))
			continue;
		if (strlen(v) == vlen && !strncmp(v, want, vlen) &&
		    (!at || !at[1] || !strcmp(at + 1, ch_res_field(c, "layout"))))
			return c;
	}
	return NULL;
}

void ch_pair_test(const struct ch_res_case *a, const struct ch_res_case *b,
		  const char *metric, struct ch_cmp *c)
{
	const struct ch_res_metric *ma = ch_res_metric(a, metric);
	const struct ch_res_metric *mb = ch_res_metric(b, metric);

	ch_cmp(ma ? ma->v : NULL, ma ? ma->n : 0, mb ? mb->v : NULL,
	       mb ? mb->n : 0, CH_WELCH, c);
}

/* @b against @a on @metric (or every metric both have, for NULL). */
static int add(struct ch_family *f, int da, const struct ch_res_case *a,
	       int db, const struct ch_res_case *b, const char *metric,
	       bool within)
{
	int i;

	for (i = 0; i < a->nr_metrics; i++) {
		const char *m = a->m[i].name;
		struct ch_pair *p;

		if ((metric && strcmp(m, metric)) || !ch_res_metric(a, m) ||
		    !ch_res_metric(b, m))
			continue;
		if (f->nr == f->cap) {
			int cap = f->cap ? 2 * f->cap : 256;

			p = realloc(f->p, cap * sizeof(*p));
			if (!p)
				return -1;
			f->p = p;
			f->cap = cap;
		}
		p = &f->p[f->nr++];
		*p = (struct ch_pair){ .da = da, .db = db, .a = a, .b = b,
				       .metric = m, .within = within };
		ch_pair_test(a, b, m, &p->cmp);
	}
	return 0;
}

/*
 * One directory's own comparisons: in every scenario its baseline (or
 * its first case) against each other case on every metric; or, for a
 * @summary, against the first three on ns/op, where the baseline ran.
 */
static int within(struct ch_family *f, const struct ch_results *r, int d,
		  const struct scen *s, const char *want, bool summary)
{
	int k, i, n;

	if (summary && s->nr < 2)
		return 0;
	for (k = 0; k < s->nr; k++) {
		const struct ch_res_case *base = pick(r, s, k, want, true);

		for (i = 0; !base && !summary && i < r->nr; i++)
			if (s->of[i] == k && shown(&r->c[i]))
				base = &r->c[i];
		for (i = 0, n = 0; base && i < r->nr; i++) {
			const struct ch_res_case *c = &r->c[i];

			if (s->of[i] != k || !shown(c) || c == base ||
			    (summary && n++ >= 3))
				continue;
			if (add(f, d, base, d, c, summary ? "ns/op" : NULL,
				true))
				return -1;
		}
	}
	return 0;
}

/*
 * What a row of a table across directories is: its label, or for a
 * kernel against a kernel its variant and key.
 */
static const char *ident(const struct ch_res_case *c, bool by_variant,
			 char *buf, size_t len)
{
	const char *key = ch_res_field(c, "key");

	if (by_variant)
		snprintf(buf, len, "%s\001%s", ch_res_field(c, "variant"),
			 key);
	else
		snprintf(buf, len, "%s @ %s%s%s", ch_res_field(c, "variant"),
			 ch_res_field(c, "layout"), *key ? " key:" : "", key);
	return buf;
}

/* The first case of @r in @c0's scenario whose row is @id, or NULL. */
static const struct ch_res_case *row_in(const struct ch_results *r,
					const struct scen *s,
					const struct ch_res_case *c0,
					const char *id, bool by_variant)
{
	char buf[512];
	int i;

	for (i = 0; i < r->nr; i++)
		if (s->of[i] >= 0 && same_scenario(&r->c[i], c0) &&
		    !strcmp(ident(&r->c[i], by_variant, buf, sizeof(buf)),
			    id))
			return &r->c[i];
	return NULL;
}

/*
 * Kernel against kernel: each one's vmemmap is what it made of the mix,
 * so its rows are variants; anywhere else variants on layouts.
 */
static bool by_variant(const struct ch_results *r, int nr, int d)
{
	int i, nk = 0;

	for (i = 0; i < nr; i++)
		nk += !strcmp(r[i].kind, "kernel");
	return nk > 1 && !strcmp(r[d].kind, "kernel");
}

/* Every row of every directory against the same row of the first. */
static int across(struct ch_family *f, const struct ch_results *r, int nr,
		  const struct scen *s)
{
	bool bv0 = by_variant(r, nr, 0);
	char id[512];
	int d, i;

	for (i = 0; i < r[0].nr; i++) {
		const struct ch_res_case *c0 = &r[0].c[i];

		if (s[0].of[i] < 0)
			continue;
		ident(c0, bv0, id, sizeof(id));
		/* a row is its first case */
		if (row_in(&r[0], &s[0], c0, id, bv0) != c0)
			continue;
		for (d = 1; d < nr; d++) {
			const struct ch_res_case *c;

			c = row_in(&r[d], &s[d], c0, id,
				   by_variant(r, nr, d));
			if (c && add(f, 0, c0, d, c, NULL, false))
				return -1;
		}
	}
	return 0;
}

/* Benjamini-Hochberg over the whole family. */
static int control(struct ch_family *f)
{
	struct ch_cmp **all = calloc(f->nr + 1, sizeof(*all));
	int i;

	if (!all)
		return -1;
	for (i = 0; i < f->nr; i++)
		all[i] = &f->p[i].cmp;
	f->size = ch_bh(all, f->nr);
	free(all);
	for (i = 0; i < f->nr; i++)
		f->claimed += f->p[i].cmp.claimed;
	return f->size < 0 ? -1 : 0;
}

int ch_family_build(struct ch_family *f, const struct ch_results *r, int nr,
		    const char *baseline, char *err, size_t len)
{
	struct scen *s = calloc(nr, sizeof(*s));
	int d, ret = s ? 0 : -1;

	memset(f, 0, sizeof(*f));
	for (d = 0; !ret && d < nr; d++)
		ret = scen_build(&s[d], &r[d]);
	if (!ret && nr == 1)
		ret = within(f, &r[0], 0, &s[0], baseline, false);
	for (d = 0; !ret && nr > 1 && d < nr; d++)
		ret = within(f, &r[d], d, &s[d], baseline, true);
	if (!ret && nr > 1)
		ret = across(f, r, nr, s);
	if (!ret)
		ret = control(f);
	for (d = 0; s && d < nr; d++)
		free(s[d].of);
	free(s);
	if (ret) {
		snprintf(err, len, "out of memory");
		ch_family_free(f);
		return -ENOMEM;
	}
	return 0;
}

void ch_family_free(struct ch_family *f)
{
	free(f->p);
	memset(f, 0, sizeof(*f));
}

bool ch_control_arms(const struct ch_results *r,
		     const struct ch_res_case **a,
		     const struct ch_res_case **b)
{
	json_t *ctl = json_object_get(r->meta, "control");
	const char *na = json_string_value(json_object_get(ctl, "a"));
	const char *nb = json_string_value(json_object_get(ctl, "b"));
	int i;

	*a = *b = NULL;
	for (i = 0; na && nb && i < r->nr; i++) {
		if (!strcmp(r->c[i].name, na))
			*a = &r->c[i];
		if (!strcmp(r->c[i].name, nb))
			*b = &r->c[i];
	}
	return *a && *b && ch_res_metric(*a, "ns/op") &&
	       ch_res_metric(*b, "ns/op");
}

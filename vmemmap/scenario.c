// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kcase.h"
#include "kernel/kpaths.h"
#include "vmemmap/scenario.h"
#include "lib/units.h"

/*
 * Small LRU caches. A suite touches a few dozen memmaps per instance, and
 * Google Benchmark prepares every case several times (calibration, then
 * each repetition, interleaved), so everything built is kept until a
 * mapping or memory limit forces the least recently used out, or the
 * next instance of the same memmap or walk replaces it.  Room for two
 * instances of a suite's memmaps, and the A/A arms.
 */
#define CH_CACHE_SLOTS	80

struct folio_slot {
	bool used;
	uint64_t stamp;
	char spec[128];
	uint64_t mem, seed;
	struct ch_folios fs;
};

struct memmap_slot {
	bool used;
	uint64_t stamp;
	struct folio_slot *fs;
	int layout;
	enum ch_encoding enc;
	int instance, arm;
	struct ch_memmap mm;
};

struct walk_slot {
	bool used;
	uint64_t stamp;
	struct folio_slot *fs;
	struct ch_walk_spec ws;
	int arm;
	uint32_t *idx;
};

static struct folio_slot folio_cache[CH_CACHE_SLOTS];
static struct memmap_slot memmap_cache[CH_CACHE_SLOTS];
static struct walk_slot walk_cache[CH_CACHE_SLOTS];
static uint64_t clock_stamp;

/* The encoding a scenario's memmap holds (the floor takes the layout's). */
static enum ch_encoding ch_scenario_encoding(const struct ch_scenario *sc)
{
	if (!(sc->variant->flags & CH_VF_PSEUDO))
		return sc->variant->encoding;
	return sc->layout == CH_LAYOUT_HVO_SHARED_TAIL ? CH_ENC_MASK :
							 CH_ENC_POINTER;
}

/* Is the variant correct here? 0, or -EINVAL naming the valid layouts. */
static int ch_scenario_check(const struct ch_scenario *sc, char *err,
			     size_t len)
{
	const struct ch_variant *v = sc->variant;
	char lay[128];

	ch_variant_layouts(v, lay, sizeof(lay));
	if (!ch_variant_correct_on(v, sc->layout)) {
		snprintf(err, len,
			 "%s is not correct on %s (run 'chbench verify --variant %s --layout %s' to see why); valid layouts for %s: %s",
			 v->name, ch_layouts[sc->layout].name, v->name,
			 ch_layouts[sc->layout].name, v->name, lay);
		return -EINVAL;
	}
	if ((v->flags & CH_VF_KEY) && sc->layout == CH_LAYOUT_HVO_FAKE_HEAD &&
	    sc->key == 0) {
		snprintf(err, len,
			 "%s is correct on %s only with the static key on; drop --key off",
			 v->name, ch_layouts[sc->layout].name);
		return -EINVAL;
	}
	return 0;
}

int ch_scenario_validate(const struct ch_scenario *sc, char *err, size_t len)
{
	int ret;

	ret = ch_scenario_check(sc, err, len);
	if (!ret)
		ret = ch_folios_check(&sc->mix, sc->mem, err, len);
	if (!ret)
		ret = ch_walk_check(&sc->walk, &sc->mix, err, len);
	if (!ret)
		ret = ch_memmap_check(&sc->mix, sc->mem, sc->layout, err, len);
	return ret;
}

/* A kernel path's name: see struct ch_scenario. */
static const char *path_name(const struct ch_scenario *sc, char *buf,
			     size_t len)
{
	char m[32];

	snprintf(buf, len, "path/%s/%s/mem:%s%s", ch_kpath_names[sc->path],
		 ch_kfolio_names[sc->folio],
		 ch_fmt_size(sc->mem, m, sizeof(m)),
		 !ch_kfolio_hugetlb(sc->folio) ? "" :
		 sc->hvo ? "/hvo:on" : "/hvo:off");
	if (sc->arm)
		snprintf(buf + strlen(buf), len - strlen(buf), "/arm:%c",
			 'a' + sc->arm - 1);
	return buf;
}

const char *ch_scenario_name(const struct ch_scenario *sc, char *buf,
			     size_t len)
{
	char w[64], m[32];

	if (sc->path)
		return path_name(sc, buf, len);
	snprintf(buf, len, "walk/%s/%s/%s/%s/%s/mem:%s", sc->variant->name,
		 ch_shape_names[sc->shape], ch_layouts[sc->layout].name,
		 sc->mix.name, ch_walk_label(&sc->walk, w, sizeof(w)),
		 ch_fmt_size(sc->mem, m, sizeof(m)));
	if (sc->key != CH_KEY_AUTO && (sc->variant->flags & CH_VF_KEY))
		snprintf(buf + strlen(buf), len - strlen(buf), "/key:%s",
			 sc->key ? "on" : "off");
	if (sc->arm)
		snprintf(buf + strlen(buf), len - strlen(buf), "/arm:%c",
			 'a' + sc->arm - 1);
	return buf;
}

/* The parts of a case name after "walk/", split at '/' in @buf. */
#define CH_NAME_MAX_PARTS	12

static int split_name(char *buf, char **part)
{
	int n = 0;
	char *p = buf;

	for (;;) {
		if (n == CH_NAME_MAX_PARTS)
			return -1;
		part[n++] = p;
		p = strchr(p, '/');
		if (!p)
			return n;
		*p++ = '\0';
	}
}

static int name_shape(const char *s)
{
	int i;

	for (i = 0; i < CH_NR_SHAPES; i++)
		if (!strcmp(s, ch_shape_names[i]))
			return i;
	return -1;
}

static int parse_arm(const char *a, int *arm, char *e, size_t len)
{
	if ((a[0] != 'a' && a[0] != 'b') || a[1]) {
		snprintf(e, len, "arm:%.8s: an A/A arm is a or b", a);
		return -EINVAL;
	}
	*arm = a[0] - 'a' + 1;
	return 0;
}

/*
 * "path/..." into @sc, its variant the kernel's own (no walk runs):
 * 0, or -EINVAL with a message naming the part that is wrong.
 */
static int parse_path(const char *name, struct ch_scenario *sc, char *e,
		      size_t len)
{
	char buf[512], *part[CH_NAME_MAX_PARTS];
	int n, i = 3;

	if (strlen(name + 5) >= sizeof(buf))
		goto form;
	strcpy(buf, name + 5);
	n = split_name(buf, part);
	if (n < 3 || strncmp(part[2], "mem:", 4))
		goto form;
	sc->path = ch_kpath_find(part[0]);
	sc->folio = ch_kfolio_find(part[1]);
	if (sc->path < 0 || sc->folio < 0) {
		snprintf(e, len, "unknown %s '%.64s'; valid: %s",
			 sc->path < 0 ? "kernel path" : "folio kind",
			 sc->path < 0 ? part[0] : part[1],
			 sc->path < 0 ? ch_kpath_list() : ch_kfolio_list());
		return -EINVAL;
	}
	sc->variant = &ch_kvariant_kernel;
	sc->shape = CH_SHAPE_AS_COMPILED;
	if (ch_parse_size("mem", part[2] + 4, &sc->mem, e, len))
		return -EINVAL;
	if (i < n && !strncmp(part[i], "hvo:", 4))
		sc->hvo = !strcmp(part[i++] + 4, "on");
	if (i < n && !strncmp(part[i], "arm:", 4) &&
	    parse_arm(part[i++] + 4, &sc->arm, e, len))
		return -EINVAL;
	if (i != n)
		goto form;
	return 0;
form:
	snprintf(e, len, "not a case name: path/<path>/<folio>/mem:<size>[/hvo:on|off][/arm:a|b]");
	return -EINVAL;
}

int ch_scenario_parse(const char *name, struct ch_scenario *sc,
		      const struct ch_variant *(*find)(const char *name),
		      char *err, size_t len)
{
	char buf[512], e[512], *part[CH_NAME_MAX_PARTS];
	int n, i = 5;

	memset(sc, 0, sizeof(*sc));
	sc->key = CH_KEY_AUTO;
	sc->walk = ch_walk_spec_any(0, 0, 0);
	if (!strncmp(name, "path/", 5)) {
		if (parse_path(name, sc, e, sizeof(e)))
			goto bad;
		goto again;
	}
	if (strncmp(name, "walk/", 5) || strlen(name + 5) >= sizeof(buf))
		goto form;
	strcpy(buf, name + 5);
	n = split_name(buf, part);
	if (n < 6)
		goto form;
	sc->variant = find(part[0]);
	if (!sc->variant) {
		snprintf(e, sizeof(e), "unknown variant '%.64s'; valid: %s",
			 part[0], ch_variant_list());
		goto bad;
	}
	sc->shape = name_shape(part[1]);
	sc->layout = ch_layout_find(part[2]);
	sc->walk.kind = ch_walk_find(part[4]);
	if (sc->shape < 0 || sc->layout < 0 || sc->walk.kind < 0) {
		snprintf(e, sizeof(e), "unknown %s '%.64s'",
			 sc->shape < 0 ? "shape" : sc->layout < 0 ? "layout" :
			 "walk", sc->shape < 0 ? part[1] : sc->layout < 0 ?
			 part[2] : part[4]);
		goto bad;
	}
	if (ch_mix_parse(part[3], &sc->mix, e, sizeof(e)))
		goto bad;
	if (!strncmp(part[i], "tail:", 5)) {
		if (ch_parse_fraction("tail", part[i++] + 5,
				      &sc->walk.tail_fraction, e, sizeof(e)))
			goto bad;
	} else if (!strncmp(part[i], "pick:", 5)) {
		sc->walk.pick = ch_pick_find(part[i++] + 5);
		if (sc->walk.pick < 0) {
			snprintf(e, sizeof(e), "unknown pick '%.64s'; valid: %s",
				 part[i - 1] + 5, ch_pick_list());
			goto bad;
		}
	}
	if (i == n || strncmp(part[i], "mem:", 4))
		goto form;
	if (ch_parse_size("mem", part[i++] + 4, &sc->mem, e, sizeof(e)))
		goto bad;
	if (i < n && !strncmp(part[i], "key:", 4)) {
		const char *k = part[i++] + 4;

		/* the name has a key only where the variant tests one */
		if (!(sc->variant->flags & CH_VF_KEY) ||
		    (strcmp(k, "on") && strcmp(k, "off"))) {
			snprintf(e, sizeof(e), "key:%.8s: only a variant with a static key has one, on or off",
				 k);
			goto bad;
		}
		sc->key = !strcmp(k, "on");
	}
	if (i < n && !strncmp(part[i], "arm:", 4)) {
		const char *a = part[i++] + 4;

		if ((a[0] != 'a' && a[0] != 'b') || a[1]) {
			snprintf(e, sizeof(e), "arm:%.8s: an A/A arm is a or b",
				 a);
			goto bad;
		}
		sc->arm = a[0] - 'a' + 1;
	}
	if (i != n)
		goto form;
again:
	/* only what the builder writes: "tail: .5" or "mem:65536K" would
	 * name a case other names also name */
	ch_scenario_name(sc, buf, sizeof(buf));
	if (!strcmp(buf, name))
		return 0;
	snprintf(e, sizeof(e), "not as chbench writes it: '%.200s'", buf);
	goto bad;
form:
	snprintf(e, sizeof(e), "not walk/VARIANT/SHAPE/LAYOUT/MIX/WALK[/tail:F|/pick:P]/mem:SIZE[/key:on|off][/arm:a|b]");
bad:
	snprintf(err, len, "case '%.200s%s': %s", name,
		 strlen(name) > 200 ? "..." : "", e);
	return -EINVAL;
}

bool ch_scenario_nets_against(const struct ch_scenario *sc,
			      const struct ch_scenario *floor)
{
	char a[64], b[64];

	if (sc->path || floor->path)
		return false;	/* a kernel path has no floor */
	if (!(floor->variant->flags & CH_VF_PSEUDO) ||
	    floor->layout != sc->layout)
		return false;
	return !sc->arm == !floor->arm && sc->shape == floor->shape &&
	       sc->mem == floor->mem &&
	       !strcmp(sc->mix.name, floor->mix.name) &&
	       !strcmp(ch_walk_label(&sc->walk, a, sizeof(a)),
		       ch_walk_label(&floor->walk, b, sizeof(b)));
}

static void evict_memmap(struct memmap_slot *s)
{
	ch_memmap_destroy(&s->mm);
	s->used = false;
}

static void evict_walk(struct walk_slot *s)
{
	free(s->idx);
	s->used = false;
}

static void evict_folios(struct folio_slot *s)
{
	int i;

	for (i = 0; i < CH_CACHE_SLOTS; i++) {
		if (memmap_cache[i].used && memmap_cache[i].fs == s)
			evict_memmap(&memmap_cache[i]);
		if (walk_cache[i].used && walk_cache[i].fs == s)
			evict_walk(&walk_cache[i]);
	}
	ch_folios_free(&s->fs);
	s->used = false;
}

/* Free the least recently used memmap; false if there is none. */
static bool evict_lru_memmap(void)
{
	struct memmap_slot *lru = NULL;
	int i;

	for (i = 0; i < CH_CACHE_SLOTS; i++)
		if (memmap_cache[i].used &&
		    (!lru || memmap_cache[i].stamp < lru->stamp))
			lru = &memmap_cache[i];
	if (!lru)
		return false;
	evict_memmap(lru);
	return true;
}

#define CH_LRU_SLOT(cache, out)						\
do {									\
	int __i;							\
	(out) = NULL;							\
	for (__i = 0; __i < CH_CACHE_SLOTS; __i++) {			\
		if (!(cache)[__i].used) {				\
			(out) = &(cache)[__i];				\
			break;						\
		}							\
		if (!(out) || (cache)[__i].stamp < (out)->stamp)	\
			(out) = &(cache)[__i];				\
	}								\
} while (0)

static int get_folios(const struct ch_scenario *sc, struct folio_slot **out,
		      char *err, size_t len)
{
	struct folio_slot *s;
	int i, ret;

	for (i = 0; i < CH_CACHE_SLOTS; i++) {
		s = &folio_cache[i];
		if (s->used && !strcmp(s->spec, sc->mix.spec) &&
		    s->mem == sc->mem && s->seed == sc->seed) {
			s->stamp = ++clock_stamp;
			*out = s;
			return 0;
		}
	}
	CH_LRU_SLOT(folio_cache, s);
	if (s->used)
		evict_folios(s);
	ret = ch_folios_build(&s->fs, &sc->mix, sc->mem, sc->seed, err, len);
	if (ret)
		return ret;
	s->used = true;
	s->stamp = ++clock_stamp;
	snprintf(s->spec, sizeof(s->spec), "%s", sc->mix.spec);
	s->mem = sc->mem;
	s->seed = sc->seed;
	*out = s;
	return 0;
}

/* The same folio mix and size: another instance of the same memmap. */
static bool same_place(const struct folio_slot *a, const struct folio_slot *b)
{
	return a == b || (!strcmp(a->spec, b->spec) && a->mem == b->mem);
}

static int get_memmap(struct folio_slot *fs, const struct ch_scenario *sc,
		      enum ch_encoding enc, struct memmap_slot **out,
		      char *err, size_t len)
{
	struct memmap_slot *s, *o;
	int i, ret, layout = sc->layout;

	for (i = 0; i < CH_CACHE_SLOTS; i++) {
		s = &memmap_cache[i];
		if (s->used && s->fs == fs && s->layout == layout &&
		    s->enc == enc && s->instance == sc->instance &&
		    s->arm == sc->arm) {
			s->stamp = ++clock_stamp;
			*out = s;
			return 0;
		}
	}
	CH_LRU_SLOT(memmap_cache, s);
	if (s->used)
		evict_memmap(s);
	/* a limit hit may only mean the cache holds too much: shed, retry */
	while ((ret = ch_memmap_create(&s->mm, &fs->fs, layout, enc, err,
				       len)))
		if (!evict_lru_memmap())
			return ret;
	s->used = true;
	s->stamp = ++clock_stamp;
	s->fs = fs;
	s->layout = layout;
	s->enc = enc;
	s->instance = sc->instance;
	s->arm = sc->arm;
	/* only now, so the new instance could not be given the old's pages */
	for (i = 0; i < CH_CACHE_SLOTS; i++) {
		o = &memmap_cache[i];
		if (o != s && o->used && same_place(o->fs, fs) &&
		    o->layout == layout && o->enc == enc && o->arm == sc->arm &&
		    o->instance != sc->instance)
			evict_memmap(o);
	}
	*out = s;
	return 0;
}

static bool same_walk(const struct ch_walk_spec *a,
		      const struct ch_walk_spec *b)
{
	return a->kind == b->kind && a->pick == b->pick &&
	       a->tail_fraction == b->tail_fraction && a->ops == b->ops &&
	       a->seed == b->seed;
}

static int get_walk(struct folio_slot *fs, const struct ch_scenario *sc,
		    struct walk_slot **out, char *err, size_t len)
{
	const struct ch_walk_spec *ws = &sc->walk;
	struct walk_slot *s;
	int i, ret;

	/*
	 * The walk is the same list on every instance (it depends on the
	 * folios and the seed alone), so only an arm gets one of its own.
	 */
	for (i = 0; i < CH_CACHE_SLOTS; i++) {
		s = &walk_cache[i];
		if (s->used && s->fs == fs && same_walk(&s->ws, ws) &&
		    s->arm == sc->arm) {
			s->stamp = ++clock_stamp;
			*out = s;
			return 0;
		}
	}
	CH_LRU_SLOT(walk_cache, s);
	if (s->used)
		evict_walk(s);
	ret = ch_walk_build(&fs->fs, ws, &s->idx, err, len);
	if (ret)
		return ret;
	s->used = true;
	s->stamp = ++clock_stamp;
	s->fs = fs;
	s->ws = *ws;
	s->arm = sc->arm;
	*out = s;
	return 0;
}

int ch_scenario_prepare(const struct ch_scenario *sc, struct ch_prepared *p,
			char *err, size_t len)
{
	struct folio_slot *fs;
	struct memmap_slot *ms;
	struct walk_slot *ws;
	int ret;

	ret = ch_scenario_check(sc, err, len);
	if (ret)
		return ret;
	ret = get_folios(sc, &fs, err, len);
	if (ret)
		return ret;
	ret = get_walk(fs, sc, &ws, err, len);
	if (ret)
		return ret;
	ret = get_memmap(fs, sc, ch_scenario_encoding(sc), &ms, err, len);
	if (ret)
		return ret;
	p->mm = &ms->mm;
	p->idx = ws->idx;
	p->n = sc->walk.ops;
	p->wf = ch_walk_func_find(sc->variant - ch_variants, sc->shape,
				  ch_walk_loop(sc->walk.kind));
	p->key = ch_memmap_key(&ms->mm, sc->key);
	if (p->key != ch_hvo_key())
		ch_hvo_key_set(p->key);
	return 0;
}

void ch_scenario_cache_drop(void)
{
	int i;

	for (i = 0; i < CH_CACHE_SLOTS; i++)
		if (folio_cache[i].used)
			evict_folios(&folio_cache[i]);
}

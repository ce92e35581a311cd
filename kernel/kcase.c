// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kcase.h"
#include "vmemmap/scenario.h"
#include "vmemmap/walkfn.h"

const struct ch_variant ch_kvariant_kernel = {
	.name = "kernel",
	.desc = "the running kernel's own compound_head(), from its headers",
	.origin = "whichever era the running kernel is from",
	.layouts = CH_ALL_LAYOUTS,
};

const struct ch_variant ch_kvariant_page_ref = {
	.name = "page-ref",
	.desc = "the running kernel's page_ref_add_unless_zero(page, 1), or page_ref_add_unless(page, 1, 0) in older trees",
	.origin = "simplified by the 2026 series with compound_head()",
	.layouts = CH_ALL_LAYOUTS,
};

const struct ch_variant *ch_kvariant_find(const char *name)
{
	if (!strcmp(name, ch_kvariant_kernel.name))
		return &ch_kvariant_kernel;
	if (!strcmp(name, ch_kvariant_page_ref.name))
		return &ch_kvariant_page_ref;
	return ch_variant_find(name);
}

const char *ch_kvariant_list(void)
{
	static char buf[256];

	if (!buf[0])
		snprintf(buf, sizeof(buf), "%s, %s, %s",
			 ch_kvariant_kernel.name, ch_kvariant_page_ref.name,
			 ch_variant_list());
	return buf;
}

int ch_ksession_open(struct ch_ksession *ks, const struct ch_mix *mix,
		     uint64_t mem, uint64_t seed, char *err, size_t len)
{
	struct chb_page_rec *recs;
	int ret;

	memset(ks, 0, sizeof(*ks));
	ks->mix = *mix;
	ks->mem = mem;
	ks->seed = seed;
	ret = ch_kmod_open(&ks->k, err, len);
	if (ret)
		return ret;
	ret = ch_kmem_alloc(&ks->km, &ks->k, mix, mem, seed, err, len);
	if (ret) {
		ch_kmod_close(&ks->k);
		return ret;
	}
	recs = calloc(ks->km.fs.nr_pages, sizeof(*recs));
	ret = recs ? ch_kstate_read(&ks->k, &ks->km, recs, &ks->st, err, len) :
		     (snprintf(err, len, "out of memory"), -ENOMEM);
	free(recs);
	if (!ret && ks->st.encoding < 0) {
		snprintf(err, len, "tails hold neither head|1 nor the mask: run chbench kernel verify");
		ret = -EPROTO;
	}
	if (ret)
		ch_ksession_close(ks);
	return ret;
}

int ch_ksession_renew(struct ch_ksession *ks, char *err, size_t len)
{
	ch_kmem_free(&ks->km, &ks->k);
	ks->walk_set = NULL;
	return ch_kmem_alloc(&ks->km, &ks->k, &ks->mix, ks->mem, ks->seed,
			     err, len);
}

void ch_ksession_close(struct ch_ksession *ks)
{
	ch_kmem_free(&ks->km, &ks->k);
	ch_kmod_close(&ks->k);
}

int ch_kcase_init(struct ch_kcase *kc, struct ch_ksession *ks,
		  const struct ch_scenario *sc, uint32_t chunk, char *err,
		  size_t len)
{
	const struct ch_variant *v = sc->variant;
	int loop = ch_walk_loop(sc->walk.kind), ret;
	struct ch_walk_spec ws = sc->walk;

	memset(kc, 0, sizeof(*kc));
	kc->ks = ks;
	kc->chunk = chunk;
	kc->f = ch_kmod_func(&ks->k, v->name, sc->shape, loop);
	if (!kc->f) {
		snprintf(err, len, "chbench.ko has no %s loop for %s in shape %s; valid variants: %s",
			 ch_loop_names[loop], v->name,
			 ch_shape_names[sc->shape],
			 ch_kmod_func_names(&ks->k));
		return -ENOENT;
	}
	if (!kc->f->usable) {
		snprintf(err, len, "%s is not correct for this kernel's %s-encoded tails; valid: %s",
			 v->name, ch_encoding_name(ks->st.encoding),
			 ch_kmod_func_names(&ks->k));
		return -EOPNOTSUPP;
	}
	if (v != &ch_kvariant_kernel && v != &ch_kvariant_page_ref &&
	    !ch_variant_correct_on(v, ks->st.layout)) {
		char ok[128];

		ch_variant_layouts(v, ok, sizeof(ok));
		snprintf(err, len, "%s is not correct on this kernel's vmemmap, %s (correct on: %s); HVO off makes it 'none'",
			 v->name, ch_layouts[ks->st.layout].name, ok);
		return -EOPNOTSUPP;
	}
	ret = ch_walk_build(&ks->km.fs, &ws, &kc->idx, err, len);
	if (ret)
		return ret;
	kc->n = ws.ops;
	ret = ch_kcase_select(kc, err, len);
	if (ret) {
		ch_kcase_free(kc);
		return ret;
	}
	if (kc->f->ref && !kc->ref_safe) {
		snprintf(err, len, "page-ref: the walk reaches read-only struct pages with a nonzero refcount (HVO fake heads), where a reference add would write; use --pick tail, head or small, or HVO off");
		ch_kcase_free(kc);
		return -EROFS;
	}
	return 0;
}

int ch_kcase_select(struct ch_kcase *kc, char *err, size_t len)
{
	struct ch_ksession *ks = kc->ks;
	int ret;

	if (ks->walk_set == kc->idx)
		return 0;
	ret = ch_kmod_walk(&ks->k, kc->idx, kc->n, kc->f->loop, &kc->ref_safe,
			   err, len);
	ks->walk_set = ret ? NULL : kc->idx;
	return ret;
}

int ch_kcase_run(struct ch_kcase *kc, struct chb_run *r, char *err,
		 size_t len)
{
	int ret = ch_kcase_select(kc, err, len);

	return ret ? ret : ch_kmod_run(&kc->ks->k, kc->f, kc->chunk, r, err,
				       len);
}

int ch_kcase_key(const struct ch_ksession *ks, const struct ch_variant *v)
{
	return (v->flags & CH_VF_KEY) && ks->k.info.hvo_key > 0 ? 1 :
	       CH_KEY_AUTO;
}

void ch_kcase_free(struct ch_kcase *kc)
{
	if (kc->ks && kc->ks->walk_set == kc->idx)
		kc->ks->walk_set = NULL;
	free(kc->idx);
	kc->idx = NULL;
}

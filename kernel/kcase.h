/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One kernel-side measurement: a scenario (variant, shape, mix, mem,
 * walk) made real. Its folios are allocated and pinned in a session of
 * its own, shared by every case over the same mix and size; its walk is
 * drawn by the emulation's generator over those pages.
 */
#ifndef CH_KCASE_H
#define CH_KCASE_H

#include "kernel/kfolios.h"
#include "kernel/kmod.h"
#include "kernel/kverify.h"
#include "vmemmap/scenario.h"

/* A session with one mix pinned, and what the kernel showed of it. */
struct ch_ksession {
	struct ch_kmod k;
	struct ch_kmem km;
	struct ch_mix mix;		/* as asked: an instance asks again */
	uint64_t mem, seed;
	struct ch_kstate st;
	const uint32_t *walk_set;	/* the walk the module holds now */
};

struct ch_kcase {
	struct ch_ksession *ks;
	const struct chb_func *f;
	uint32_t *idx;
	uint64_t n;
	uint32_t chunk;
	bool ref_safe;
};

/* Names the module knows that the registry does not. */
extern const struct ch_variant ch_kvariant_kernel, ch_kvariant_page_ref;
/* The registry's, or "kernel" or "page-ref"; NULL if unknown. */
const struct ch_variant *ch_kvariant_find(const char *name);
/* "kernel, page-ref, pointer, ...": what ch_kvariant_find() knows */
const char *ch_kvariant_list(void);

/*
 * Open the module and pin @mem of @mix's folios in it. 0, or a negative
 * errno with a one-line message in @err, as every function below.
 */
int ch_ksession_open(struct ch_ksession *ks, const struct ch_mix *mix,
		     uint64_t mem, uint64_t seed, char *err, size_t len);
void ch_ksession_close(struct ch_ksession *ks);
/* Free the folios and ask for new ones, as at open; 0, or -errno. */
int ch_ksession_renew(struct ch_ksession *ks, char *err, size_t len);

/*
 * Build @kc for @sc in @ks: find the loop, check the variant is correct
 * on this kernel, draw the walk and hand it to the module. 0, or -ENOENT
 * (no such loop), -EOPNOTSUPP (not correct here), -EROFS (page-ref on
 * read-only struct pages), or another negative errno.
 */
int ch_kcase_init(struct ch_kcase *kc, struct ch_ksession *ks,
		  const struct ch_scenario *sc, uint32_t chunk, char *err,
		  size_t len);
/* Make the module hold this case's walk; 0, or -errno. */
int ch_kcase_select(struct ch_kcase *kc, char *err, size_t len);
/* One timed run over the whole walk; 0, or -errno. */
int ch_kcase_run(struct ch_kcase *kc, struct chb_run *r, char *err,
		 size_t len);
void ch_kcase_free(struct ch_kcase *kc);
/*
 * The key a variant runs with here: the kernel's own, which is global.
 * 1 when hugetlb_optimize_vmemmap_key is on, so a name says key:on as
 * the emulation's would; else CH_KEY_AUTO (off, or no key to test).
 */
int ch_kcase_key(const struct ch_ksession *ks, const struct ch_variant *v);

#endif /* CH_KCASE_H */

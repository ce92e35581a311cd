/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry of compound_head() variants. Adding a variant is its
 * header, holding its inline function, and its entry in
 * variants/variants-def.h: nothing else names it.
 */
#ifndef CH_VARIANTS_H
#define CH_VARIANTS_H

#ifndef __KERNEL__
#include <stdbool.h>
#endif

#include "page/layout.h"
#include "page/page.h"

/* Correct on hvo-fake-head only while hugetlb_optimize_vmemmap_key is on. */
#define CH_VF_KEY	(1U << 0)
/* Not a compound_head(): the floor; its truth is the page itself. */
#define CH_VF_PSEUDO	(1U << 1)

/* The fake-head variant's static key in a case: as the layout implies. */
enum ch_key {
	CH_KEY_AUTO = -1,
	CH_KEY_OFF,
	CH_KEY_ON,
};

struct ch_variant {
	const char *name;
	const char *ident;		/* variants/<ident>.h, CH_V_<ident> */
	const char *desc;
	/* out-of-line wrapper of the inline function, as-compiled shape */
	const struct page *(*compound_head)(const struct page *page);
	const char *origin;		/* the kernel change it mirrors */
	enum ch_encoding encoding;	/* what tails must store for it */
	unsigned int layouts;		/* CH_LAYOUT_BIT()s it is correct on */
	unsigned int flags;		/* CH_VF_* */
	enum ch_layout suite_layout;	/* where the kernel runs it */
	enum ch_key suite_key;		/* and with what key */
};

/* Each entry's header, at file scope, before any table expands them. */
#define CH_VARIANT(...)
#include "variants/variants-def.h"
#undef CH_VARIANT

enum ch_variant_id {
#define CH_VARIANT(id, ...)	CH_V_##id,
#include "variants/variants-def.h"
#undef CH_VARIANT
	CH_NR_VARIANTS,
};

extern const struct ch_variant ch_variants[CH_NR_VARIANTS];

/* NULL if unknown. */
const struct ch_variant *ch_variant_find(const char *name);
/* "pointer, fake-head, ..." for error messages */
const char *ch_variant_list(void);
bool ch_variant_correct_on(const struct ch_variant *v, enum ch_layout l);
/* "none, hvo-2page" */
void ch_variant_layouts(const struct ch_variant *v, char *buf, size_t len);

/* The fake-head variant's static key, hugetlb_optimize_vmemmap_key. */
void ch_hvo_key_set(bool on);
bool ch_hvo_key(void);

#endif /* CH_VARIANTS_H */

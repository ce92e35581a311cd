// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "variants/variants.h"

CH_DEFINE_STATIC_KEY_FALSE(hugetlb_optimize_vmemmap_key);

const char *const ch_shape_names[CH_NR_SHAPES] = {
	[CH_SHAPE_AS_COMPILED] = "as-compiled",
	[CH_SHAPE_BRANCH] = "branch",
};

#define CH_VARIANT(id, ...)						\
static const struct page *ch_##id##_wrapper(const struct page *page)	\
{									\
	return ch_##id##_compound_head(page, CH_SHAPE_AS_COMPILED);	\
}
#include "variants/variants-def.h"
#undef CH_VARIANT

const struct ch_variant ch_variants[CH_NR_VARIANTS] = {
#define CH_VARIANT(id, nm, enc, lay, fl, sl, sk, ds, org)		\
	[CH_V_##id] = {							\
		.name = nm,						\
		.ident = #id,						\
		.desc = ds,						\
		.compound_head = ch_##id##_wrapper,			\
		.origin = org,						\
		.encoding = enc,					\
		.layouts = lay,						\
		.flags = fl,						\
		.suite_layout = sl,					\
		.suite_key = sk,					\
	},
#include "variants/variants-def.h"
#undef CH_VARIANT
};

const struct ch_variant *ch_variant_find(const char *name)
{
	int i;

	for (i = 0; i < CH_NR_VARIANTS; i++)
		if (!strcmp(name, ch_variants[i].name))
			return &ch_variants[i];
	return NULL;
}

/*
 * The registry links on its own (cc variants/ and page/'s .c files), so
 * it has no lib/scnprintf(): each loop stops once snprintf() has cut a
 * name, before sizeof(buf) - off could wrap.
 */
const char *ch_variant_list(void)
{
	static char buf[256];
	size_t off = 0;
	int i;

	if (buf[0])
		return buf;
	for (i = 0; i < CH_NR_VARIANTS && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s",
				i ? ", " : "", ch_variants[i].name);
	return buf;
}

const char *ch_shape_list(void)
{
	static char buf[64];
	size_t off = 0;
	int i;

	if (buf[0])
		return buf;
	for (i = 0; i < CH_NR_SHAPES && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s",
				i ? ", " : "", ch_shape_names[i]);
	return buf;
}

bool ch_variant_correct_on(const struct ch_variant *v, enum ch_layout l)
{
	return v->layouts & CH_LAYOUT_BIT(l);
}

void ch_variant_layouts(const struct ch_variant *v, char *buf, size_t len)
{
	size_t off = 0;
	int l;

	buf[0] = '\0';
	for (l = 0; l < CH_NR_LAYOUTS && off < len; l++) {
		if (!ch_variant_correct_on(v, l))
			continue;
		off += snprintf(buf + off, len - off, "%s%s",
				off ? ", " : "", ch_layouts[l].name);
	}
}

void ch_hvo_key_set(bool on)
{
	int err = ch_static_key_set(&hugetlb_optimize_vmemmap_key, on);

	if (err) {
		fprintf(stderr,
			"chbench: cannot patch hugetlb_optimize_vmemmap_key: %s\n",
			strerror(-err));
		abort();
	}
}

bool ch_hvo_key(void)
{
	return ch_static_key_enabled(&hugetlb_optimize_vmemmap_key);
}

// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "vmemmap/suite.h"

const char *const ch_suite_mixes[CH_SUITE_NR_MIXES] = {
	"order0", "thp", "hugetlb-2m", "mixed",
};

const char *const ch_suite_kernel_mixes[CH_SUITE_NR_MIXES] = {
	"order0", "thp", "hugetlb-2m", "kmixed",
};

uint64_t ch_suite_ops(bool quick, bool large, uint64_t pages)
{
	if (!large)
		return quick ? 1U << 15 : 1U << 18;
	return pages < CH_SUITE_MAX_OPS ? pages : CH_SUITE_MAX_OPS;
}

static void add(struct ch_suite_pair *out, int *n, const struct ch_variant *v,
		enum ch_layout layout, enum ch_key key, bool natural)
{
	out[(*n)++] = (struct ch_suite_pair) {
		.variant = v, .layout = layout, .key = key, .natural = natural,
	};
}

int ch_suite_pairs(struct ch_suite_pair out[CH_MAX_SUITE_PAIRS])
{
	unsigned int used = CH_LAYOUT_BIT(CH_LAYOUT_NONE);
	int i, l, n = 0;

	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = &ch_variants[i];

		if (v->flags & CH_VF_PSEUDO)
			continue;
		add(out, &n, v, v->suite_layout, v->suite_key, true);
		used |= CH_LAYOUT_BIT(v->suite_layout);
	}
	for (i = 0; i < CH_NR_VARIANTS; i++) {
		const struct ch_variant *v = &ch_variants[i];

		if (!(v->flags & CH_VF_PSEUDO) &&
		    v->suite_layout != CH_LAYOUT_NONE)
			add(out, &n, v, CH_LAYOUT_NONE, CH_KEY_AUTO, false);
	}
	for (i = 0; i < CH_NR_VARIANTS; i++)
		for (l = 0; l < CH_NR_LAYOUTS; l++)
			if ((ch_variants[i].flags & CH_VF_PSEUDO) &&
			    (used & CH_LAYOUT_BIT(l)))
				add(out, &n, &ch_variants[i], l, CH_KEY_AUTO,
				    true);
	return n;
}

const struct ch_variant *ch_suite_control_variant(void)
{
	int i;

	for (i = 0; i < CH_NR_VARIANTS; i++)
		if (!(ch_variants[i].flags & CH_VF_PSEUDO) &&
		    ch_variants[i].suite_layout == CH_LAYOUT_NONE)
			return &ch_variants[i];
	return &ch_variants[0];
}

const char *ch_suite_baseline(void)
{
	static char buf[128];
	const struct ch_variant *v = &ch_variants[0];
	int i;

	for (i = CH_NR_VARIANTS - 1; i >= 0; i--)
		if (ch_variants[i].flags & CH_VF_KEY)
			v = &ch_variants[i];
	snprintf(buf, sizeof(buf), "%s@%s", v->name,
		 ch_layouts[v->suite_layout].name);
	return buf;
}

// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "lib/util.h"
#include "vmemmap/walk.h"
#include "vmemmap/walkfn.h"
#include "vmemmap/walkloop.h"
#include "variants/variants.h"
#include "lib/scnprintf.h"

const char *const ch_loop_names[CH_NR_LOOPS] = {
	[CH_LOOP_INDEX] = "index",
	[CH_LOOP_CHASE] = "chase",
};

const char *ch_loop_list(void)
{
	static char buf[64];
	size_t off = 0;
	int i;

	if (buf[0])
		return buf;
	for (i = 0; i < CH_NR_LOOPS; i++)
		off += scnprintf(buf + off, sizeof(buf) - off, "%s%s",
				 i ? ", " : "", ch_loop_names[i]);
	return buf;
}

#define CH_VARIANT(id, ...)	CH_WALKS(id)
#include "variants/variants-def.h"
#undef CH_VARIANT

#define CH_FN(loop, id, shape, SHAPE, LOOP)				\
	{ "ch_walk_" #loop "_" #id "_" #shape, CH_V_##id, SHAPE, LOOP,	\
	  ch_walk_##loop##_##id##_##shape },
#define CH_VARIANT(id, ...)						\
	CH_FN(index, id, as_compiled, CH_SHAPE_AS_COMPILED, CH_LOOP_INDEX) \
	CH_FN(index, id, branch, CH_SHAPE_BRANCH, CH_LOOP_INDEX)	\
	CH_FN(chase, id, as_compiled, CH_SHAPE_AS_COMPILED, CH_LOOP_CHASE) \
	CH_FN(chase, id, branch, CH_SHAPE_BRANCH, CH_LOOP_CHASE)

const struct ch_walk_func ch_walk_funcs[] = {
#include "variants/variants-def.h"
};
#undef CH_VARIANT
#undef CH_FN

const int ch_nr_walk_funcs = ARRAY_SIZE(ch_walk_funcs);

const struct ch_walk_func *ch_walk_func_find(int variant, int shape, int loop)
{
	int i;

	for (i = 0; i < ch_nr_walk_funcs; i++) {
		const struct ch_walk_func *f = &ch_walk_funcs[i];

		if (f->variant == variant && f->shape == shape &&
		    f->loop == loop)
			return f;
	}
	return NULL;
}

int ch_walk_loop(int walk_kind)
{
	return walk_kind == CH_WALK_CHASE ? CH_LOOP_CHASE : CH_LOOP_INDEX;
}

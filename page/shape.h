/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Code shapes. GCC 12 and clang 14 at -O2 turn the pointer and mask-branchy
 * tests into cmov inside a simple loop. At many kernel call sites the
 * conditional jump remains, and that jump is the risk the branchless patch
 * removes. So every variant is measured in two shapes:
 *
 *   as-compiled: whatever the compiler makes of the kernel's C;
 *   branch:      the data-dependent test is kept as a conditional jump.
 *
 * The branch shape puts an empty volatile asm in one arm of the test. A
 * volatile asm may not be executed speculatively, so neither compiler can
 * if-convert the test into cmov/csel; the asm emits no instruction, so
 * the code is otherwise the same.
 */
#ifndef CH_SHAPE_H
#define CH_SHAPE_H

#include "page/page.h"

enum ch_shape {
	CH_SHAPE_AS_COMPILED,
	CH_SHAPE_BRANCH,
	CH_NR_SHAPES,
};

extern const char *const ch_shape_names[CH_NR_SHAPES];
/* "as-compiled, branch" */
const char *ch_shape_list(void);

static __always_inline void ch_keep_branch(enum ch_shape shape)
{
	if (shape == CH_SHAPE_BRANCH)
		__asm__ __volatile__("");
}

#define ch_likely(x)	__builtin_expect(!!(x), 1)
#define ch_unlikely(x)	__builtin_expect(!!(x), 0)

#endif /* CH_SHAPE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The measured loops as templates, shared by the emulation
 * (vmemmap/walkfn.c) and the kernel module (kmod/walks.c), so both time
 * the very same loop around the very same inlined variant: no call, no
 * function pointer, no load but the index and what the variant loads,
 * every result consumed.
 *
 * CH_WALK_INDEX(id, shape) and CH_WALK_CHASE(id, shape) define
 * ch_walk_{index,chase}_<id>_<shape>(base, idx, n) around
 * ch_<id>_compound_head(), which must be in scope.
 */
#ifndef CH_WALKLOOP_H
#define CH_WALKLOOP_H

/*
 * The top bit of this address space's pointers: 0 in user space, 1 for
 * the kernel's direct map and vmemmap.
 */
#ifdef __KERNEL__
#define CH_CHASE_TOP	1UL
#else
#define CH_CHASE_TOP	0UL
#endif

/*
 * In the module the loops are local and never traced: no __fentry__ call
 * site (ftrace, kprobes) inside the clock.
 */
#ifdef __KERNEL__
#define CH_LOOP_ATTR	static notrace __used __attribute__((__noinline__))
#else
#define CH_LOOP_ATTR	__attribute__((__noinline__))
#endif

/* The shape names double as symbol parts: as_compiled, branch. */
#define CH_SHAPE_as_compiled	CH_SHAPE_AS_COMPILED
#define CH_SHAPE_branch		CH_SHAPE_BRANCH

/* What a chase walk stores for the page at index @pfn. */
#define ch_chase_index(pfn)	((pfn) ^ (uint32_t)CH_CHASE_TOP)

/*
 * Never unrolled: clang -O2 unrolls some of these loops and not others,
 * which would give the floor a different loop overhead from the variant
 * it is subtracted from. Kernel call sites (zap_pte_range() and friends)
 * are not unrolled around compound_head() either.
 */
#define CH_NO_UNROLL	_Pragma("GCC unroll 1")

#define CH_WALK_INDEX(id, shape)					\
CH_LOOP_ATTR uint64_t							\
ch_walk_index_##id##_##shape(const struct page *base,			\
			     const uint32_t *idx, size_t n)		\
{									\
	uint64_t sum = 0;						\
	size_t i;							\
									\
	CH_NO_UNROLL							\
	for (i = 0; i < n; i++)						\
		sum += (uintptr_t)ch_##id##_compound_head(		\
					base + idx[i], CH_SHAPE_##shape); \
	return sum;							\
}

/*
 * head >> 63 is the top bit of a pointer: CH_CHASE_TOP for every pointer
 * of this address space, but the compiler cannot know that, so the next
 * address truly waits for this head: a shift and an xor, the same in
 * every variant and in the floor. The walk's indices are stored xor
 * CH_CHASE_TOP (ch_chase_index()), so each lookup lands on its own page.
 */
#define CH_WALK_CHASE(id, shape)					\
CH_LOOP_ATTR uint64_t							\
ch_walk_chase_##id##_##shape(const struct page *base,			\
			     const uint32_t *idx, size_t n)		\
{									\
	uint64_t sum = 0;						\
	uintptr_t dep = CH_CHASE_TOP;					\
	size_t i;							\
									\
	CH_NO_UNROLL							\
	for (i = 0; i < n; i++) {					\
		const struct page *head =				\
			ch_##id##_compound_head(base + (idx[i] ^ dep),	\
						CH_SHAPE_##shape);	\
		dep = (uintptr_t)head >> 63;				\
		sum += (uintptr_t)head;					\
	}								\
	return sum;							\
}

/* Every loop of one variant: both loops, both shapes. */
#define CH_WALKS(id)							\
	CH_WALK_INDEX(id, as_compiled)					\
	CH_WALK_INDEX(id, branch)					\
	CH_WALK_CHASE(id, as_compiled)					\
	CH_WALK_CHASE(id, branch)

#endif /* CH_WALKLOOP_H */

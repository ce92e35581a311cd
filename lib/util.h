/* SPDX-License-Identifier: GPL-2.0 */
/* What the kernel's headers give and C's do not, for harness and tests. */
#ifndef CH_UTIL_H
#define CH_UTIL_H

/* Elements in an array (an array, not a pointer to one). */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* A macro's value as a string literal: CH_STRINGIFY(CH_AA_PAIRS) is "40". */
#define CH_STRINGIFY_(x)	#x
#define CH_STRINGIFY(x)		CH_STRINGIFY_(x)

#endif /* CH_UTIL_H */

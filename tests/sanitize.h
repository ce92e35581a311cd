/* SPDX-License-Identifier: GPL-2.0 */
/*
 * make test SANITIZE=1 builds with -DCH_SANITIZE. A test that cannot run
 * under ASan/UBSan says why and is skipped (TAP "# SKIP"), never passed.
 * Include after <cmocka.h>.
 */
#ifndef CH_TESTS_SANITIZE_H
#define CH_TESTS_SANITIZE_H

#ifdef CH_SANITIZE
#define CH_SKIP_UNDER_SANITIZER(why)					\
do {									\
	print_message("# skipped under sanitizers: %s\n", why);	\
	skip();								\
} while (0)
#else
#define CH_SKIP_UNDER_SANITIZER(why)	do { } while (0)
#endif

#endif /* CH_TESTS_SANITIZE_H */

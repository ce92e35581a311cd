/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Google Benchmark's --benchmark_* flags, checked before anything runs.
 *
 * libbenchmark 1.7.1 takes almost any value: a negative repetition count
 * throws from deep inside, a negative min_time is used as is, and a flag
 * it cannot parse is left in argv after a message that points at a --help
 * chbench does not have. chbench checks every flag here instead, names the
 * valid forms in one line, and only then hands them over.
 */
#ifndef CH_GBFLAGS_H
#define CH_GBFLAGS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the flags seen so far ask for (the last of each wins). */
struct ch_gb_flags {
	int repetitions;	/* 0: not given */
	bool list_tests;
	const char *filter;	/* NULL: not given */
	const char *out;	/* --benchmark_out, NULL: not given */
};

/*
 * Check one argument that starts with --benchmark_ and note what it asks
 * for in @f. Returns 0, or -EINVAL with one line in @err (no "chbench: ").
 */
int ch_gb_flag_check(const char *arg, struct ch_gb_flags *f, char *err,
		     size_t len);

/* "--benchmark_filter=REGEX, --benchmark_repetitions=N, ..." */
const char *ch_gb_flag_list(void);

#ifdef __cplusplus
}
#endif

#endif /* CH_GBFLAGS_H */

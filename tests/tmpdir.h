/* SPDX-License-Identifier: GPL-2.0 */
/* Removing a test's temporary directory tree, without a shell. */
#ifndef CH_TESTS_TMPDIR_H
#define CH_TESTS_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline int ch_rm_one(const char *path, const struct stat *st,
			    int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* rm -rf @path, symbolic links not followed; 0 or -1 */
static inline int ch_rm_tree(const char *path)
{
	return nftw(path, ch_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * mkdtemp() on @dir, a template ending in XXXXXX: the X's are put back
 * first, so that each call makes a new directory (as a setup run before
 * every test must). 0 or -1, as a cmocka setup returns.
 */
static inline int ch_tmpdir_make(char *dir)
{
	size_t n = strlen(dir);

	if (n < 6)
		return -1;
	memcpy(dir + n - 6, "XXXXXX", 6);
	return mkdtemp(dir) ? 0 : -1;
}

/*
 * Static cmocka fixtures @setup and @teardown, for a group or for each
 * test: the one makes the directory @dir with ch_tmpdir_make(), the
 * other removes it and all it holds.
 */
#define CH_TMPDIR_FIXTURES(dir, setup, teardown)			\
static int setup(void **state)						\
{									\
	(void)state;							\
	return ch_tmpdir_make(dir);					\
}									\
									\
static int teardown(void **state)					\
{									\
	(void)state;							\
	return ch_rm_tree(dir);						\
}

#endif /* CH_TESTS_TMPDIR_H */

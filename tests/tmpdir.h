/* SPDX-License-Identifier: GPL-2.0 */
/* Removing a test's temporary directory tree, without a shell. */
#ifndef CH_TESTS_TMPDIR_H
#define CH_TESTS_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
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

#endif /* CH_TESTS_TMPDIR_H */

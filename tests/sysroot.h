/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake root for CHBENCH_SYSROOT: a temporary directory holding the few
 * /proc files a test sets. Include after <cmocka.h>.
 */
#ifndef CH_TESTS_SYSROOT_H
#define CH_TESTS_SYSROOT_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/tmpdir.h"

/* A new, empty directory from the mkdtemp() template @tmpl. Free it. */
static inline char *ch_sysroot_new(const char *tmpl)
{
	char *root = strdup(tmpl);

	assert_non_null(root);
	assert_non_null(mkdtemp(root));
	return root;
}

/* Write @text to @root/@rel, making the directories on the way (0700). */
static inline void ch_sysroot_write(const char *root, const char *rel,
				    const char *text)
{
	char path[4200], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); *p++ = '/') {
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST)
			fail_msg("cannot make %s: %s", path, strerror(errno));
	}
	f = fopen(path, "w");
	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	fclose(f);
}

/* Remove @root and all it holds, and free it: 0 or -1 (as ch_rm_tree()). */
static inline int ch_sysroot_drop(char *root)
{
	int ret = ch_rm_tree(root);

	free(root);
	return ret;
}

#endif /* CH_TESTS_SYSROOT_H */

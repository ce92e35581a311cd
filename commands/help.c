// SPDX-License-Identifier: GPL-2.0
/*
 * chbench help CMD: CMD's manual page. The pages are asciidoc in
 * Documentation/; make doc renders them into $(O)/Documentation/, beside
 * the binary it built, so the binary finds its own pages (and not another
 * build's) through /proc/self/exe, installed or not.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands/help.h"
#include "commands/opts.h"
#include "lib/util.h"

/* pages of concepts rather than commands: section 7 */
static const char *const ch_concept_pages[] = {
	"design", "kmod", "noise", "reports",
};

static int ch_is_concept(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ch_concept_pages); i++)
		if (!strcmp(name, ch_concept_pages[i]))
			return 1;
	return 0;
}

/* @valid's comma list holds @name as a whole word */
static int ch_in_list(const char *name, const char *valid)
{
	size_t n = strlen(name);
	const char *p = valid;

	while ((p = strstr(p, name))) {
		if ((p == valid || (p - valid >= 2 && p[-2] == ',')) &&
		    (p[n] == ',' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

/* the directory of the running binary, with a trailing '/'; 0 or -1 */
static int ch_exe_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n < 0 || (size_t)n >= size - 1)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	slash[1] = '\0';
	return 0;
}

int ch_help_page(const char *name, const char *valid)
{
	int concept = ch_is_concept(name);
	char dir[PATH_MAX], page[PATH_MAX + 64];

	if (!concept && strcmp(name, "help") && !ch_in_list(name, valid))
		return ch_usage_error("help: unknown command '%s'; valid: %s, help, or a concept: design, kmod, noise, reports",
				      name, valid);
	if (ch_exe_dir(dir, sizeof(dir)))
		return ch_usage_error("help: cannot find the binary's directory (/proc/self/exe: %s), where make doc puts the pages",
				      strerror(errno));
	snprintf(page, sizeof(page), "%sDocumentation/chbench-%s.%d", dir,
		 name, concept ? 7 : 1);
	if (access(page, R_OK))
		return ch_usage_error("help: no manual page %s (%s); build the pages: make doc",
				      page, strerror(errno));
	fflush(stdout);
	execlp("man", "man", "-l", page, (char *)NULL);
	return ch_usage_error("help: cannot run man (%s) to show %s; install man-db, or read the page: Documentation/chbench-%s.txt",
			      strerror(errno), page, name);
}

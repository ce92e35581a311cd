// SPDX-License-Identifier: GPL-2.0
/* The --help page of a table of options: perf's one line each, wrapped. */
#include <stdio.h>
#include <string.h>

#include "commands/opts_table.h"
#include "lib/scnprintf.h"

#define CH_HELP_WIDTH	80
#define CH_HELP_COL_MAX	28	/* where the meanings start, at most */

/* A space help_wrap() prints but never breaks at */
#define CH_HELP_NBSP	'\x1f'

/*
 * @s from column @col on, the cursor there: words wrapped at
 * CH_HELP_WIDTH; a word longer than a line, such as a comma list, after
 * any comma.
 */
static void help_wrap(const char *s, int col)
{
	bool space = false;
	int pos = col;
	size_t n, i;

	while (*s) {
		if (*s == ' ') {
			space = true;
			s++;
			continue;
		}
		n = strcspn(s, " ");
		if (col + (int)n > CH_HELP_WIDTH) {
			n = strcspn(s, " ,");
			if (s[n] == ',')
				n++;
		}
		if (pos > col && pos + space + (int)n > CH_HELP_WIDTH) {
			printf("\n%*s", col, "");
			pos = col;
		} else if (space) {
			putchar(' ');
			pos++;
		}
		for (i = 0; i < n; i++)
			putchar(s[i] == CH_HELP_NBSP ? ' ' : s[i]);
		pos += n;
		s += n;
		space = false;
	}
	putchar('\n');
}

/* "  --name ARG" */
static int help_left(const struct ch_option *r, char *buf, size_t len)
{
	return snprintf(buf, len, "  --%s%s%s", r->name, r->arg ? " " : "",
			r->arg ? r->arg : "");
}

/* "(default: D)": the row's word, else its field's value as it starts */
static const char *help_default(const struct ch_option *r, char *buf,
				size_t len)
{
	if (r->def || !r->show)
		return r->def;
	return r->show(r, buf, len);
}

static void help_line(const struct ch_option *r, int col)
{
	char left[128], text[1024], dbuf[64];
	const char *def = help_default(r, dbuf, sizeof(dbuf));
	int n = help_left(r, left, sizeof(left));
	size_t off;

	off = scnprintf(text, sizeof(text), "%s", r->help);
	if (r->valid)
		off += scnprintf(text + off, sizeof(text) - off, ": %s",
				 r->valid());
	if (r->required)
		scnprintf(text + off, sizeof(text) - off, " (required)");
	else if (def)
		scnprintf(text + off, sizeof(text) - off, " (default:%c%s)",
			  CH_HELP_NBSP, def);
	if (n + 2 > col)
		printf("%s\n%*s", left, col, "");
	else
		printf("%-*s", col, left);
	help_wrap(text, col);
}

/* Where the meanings start: after the longest "  --name ARG" that fits. */
static int help_col(const struct ch_opt_table *rt)
{
	char left[128];
	int col = 0, w;
	size_t i;

	for (i = 0; i < rt->nr_apply; i++) {
		w = help_left(&rt->row[i], left, sizeof(left)) + 2;
		if (w > col)
			col = w;
	}
	return col < CH_HELP_COL_MAX ? col : CH_HELP_COL_MAX;
}

void ch_opt_table_usage(const char *cmd, const struct ch_opt_table *rt,
			const struct ch_cmd_help *help)
{
	const char *const *u;
	int col = help_col(rt);
	size_t i;

	if (help && help->usage)
		for (u = help->usage; *u; u++)
			printf("%s chbench %s\n",
			       u == help->usage ? "usage:" : "   or:", *u);
	else
		printf("usage: chbench %s [options]\n", cmd);
	if (help && help->summary)
		printf("%s\n", help->summary);
	if (!rt->nr_apply)
		printf("\noptions: none\n");
	else
		printf("\noptions:\n");
	for (i = 0; i < rt->nr_apply; i++)
		help_line(&rt->row[i], col);
}

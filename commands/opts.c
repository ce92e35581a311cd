// SPDX-License-Identifier: GPL-2.0
/*
 * The option parser: a command's table of rows, resolved against a
 * parent table, handed to getopt_long(). It knows no table of its own:
 * commands/shared_opts.c gives it the shared one. See commands/opts.h.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands/opts.h"
#include "commands/opts_table.h"
#include "lib/err.h"
#include "lib/scnprintf.h"

int ch_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ch_verr(-EINVAL, fmt, ap);
	va_end(ap);
	return 2;
}

static const struct ch_option *parent_find(const struct ch_option *parent,
					   const char *name)
{
	const struct ch_option *p;

	for (p = parent; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* @row as it parses: a parent row bound to @base, with @row's word */
static struct ch_option resolve(const struct ch_option *row,
				const struct ch_option *parent, void *base)
{
	const struct ch_option *p = parent_find(parent, row->name);
	struct ch_option r;

	if (!p || !base) {
		/* a table's mistake, not the user's */
		fprintf(stderr, "chbench: no shared option '--%s'\n",
			row->name);
		abort();
	}
	r = *p;
	r.value = (char *)base + p->off;
	r.help = row->help ? row->help : r.help;
	r.def = row->def ? row->def : r.def;
	r.valid = row->valid ? row->valid : r.valid;
	r.required = row->required;
	r.seen = row->seen;
	return r;
}

/* whether one of the first @n rows of @rt is --@name */
static bool named(const struct ch_opt_table *rt, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rt->row[i].name, name))
			return true;
	return false;
}

static void add(struct ch_opt_table *rt, struct ch_option r)
{
	if (rt->nr == CH_OPT_MAX) {
		fprintf(stderr, "chbench: more than %d options\n", CH_OPT_MAX);
		abort();
	}
	rt->row[rt->nr++] = r;
}

void ch_opt_table_resolve(struct ch_opt_table *rt, const struct ch_option *t,
			  const struct ch_option *parent, void *base)
{
	const struct ch_option *p;

	rt->nr = 0;
	for (; t->name; t++)
		add(rt, t->parent ? resolve(t, parent, base) : *t);
	rt->nr_apply = rt->nr;
	/* the parent's rows it does not take: known, but refused as such */
	for (p = parent; base && p && p->name; p++)
		if (!named(rt, rt->nr_apply, p->name))
			add(rt, *p);
}

/* "--a, --b": the options that apply, or "none" */
static const char *valid_names(const struct ch_opt_table *rt, char *buf,
			       size_t len)
{
	size_t off = 0, i;

	buf[0] = '\0';
	for (i = 0; i < rt->nr_apply; i++)
		if (!rt->row[i].prefix)
			off += scnprintf(buf + off, len - off, "%s--%s",
					 off ? ", " : "", rt->row[i].name);
	return off ? buf : "none";
}

/* Take the prefix rows' arguments out of argv: the new argc, or -1. */
static int take_prefixed(const struct ch_opt_table *rt, int argc, char **argv)
{
	const struct ch_option *r;
	int i, n = 1;
	size_t k;

	for (i = 1; i < argc; i++) {
		for (k = 0; k < rt->nr_apply; k++) {
			r = &rt->row[k];
			if (r->prefix && !strncmp(argv[i], "--", 2) &&
			    !strncmp(argv[i] + 2, r->name, strlen(r->name) - 1))
				break;
		}
		if (k == rt->nr_apply)
			argv[n++] = argv[i];
		else if (r->parse(r, argv[i]))
			return -1;
	}
	argv[n] = NULL;
	return n;
}

static void longopts(const struct ch_opt_table *rt, struct option *lo)
{
	size_t i, n = 0;

	for (i = 0; i < rt->nr; i++) {
		if (rt->row[i].prefix)
			continue;
		lo[n].name = rt->row[i].name;
		lo[n].has_arg = rt->row[i].arg ? required_argument :
						 no_argument;
		lo[n].flag = NULL;
		lo[n].val = CH_OPT_VAL0 + i;
		n++;
	}
	memset(&lo[n], 0, sizeof(lo[n]));
}

static int bad_option(const struct ch_opt_table *rt, int c, char **argv)
{
	const char *bad = argv[optind - 1];
	char buf[1024];

	if (c == ':')
		return ch_usage_error("%s: option '%s' needs a value", argv[0],
				      bad);
	if (c == '?')
		return ch_usage_error("%s: unknown option '%s'; valid: %s",
				      argv[0], bad,
				      valid_names(rt, buf, sizeof(buf)));
	return ch_usage_error("%s: option '--%s' does not apply; valid: %s",
			      argv[0], rt->row[c - CH_OPT_VAL0].name,
			      valid_names(rt, buf, sizeof(buf)));
}

static int parse_args(const struct ch_opt_table *rt, int argc, char **argv)
{
	struct option lo[CH_OPT_MAX + 1];
	const struct ch_option *r;
	int c;

	longopts(rt, lo);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:", lo, NULL)) != -1) {
		if (c < CH_OPT_VAL0 || c >= CH_OPT_VAL0 + (int)rt->nr_apply)
			return bad_option(rt, c, argv), -1;
		r = &rt->row[c - CH_OPT_VAL0];
		if (r->seen)
			*r->seen = true;
		if (r->parse(r, optarg))
			return -1;
	}
	return optind;
}

int ch_opt_table_parse(const struct ch_opt_table *rt, int *argc, char **argv)
{
	*argc = take_prefixed(rt, *argc, argv);
	return *argc < 0 ? -1 : parse_args(rt, *argc, argv);
}

bool ch_opts_want_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

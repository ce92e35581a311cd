// SPDX-License-Identifier: GPL-2.0
/*
 * The rows' parsers, one per kind of value: each checks what is a
 * property of its option alone (a range, a closed list) and says what is
 * valid when the value is not.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands/opts.h"
#include "lib/scnprintf.h"
#include "lib/units.h"

/* "--name", as the messages of lib/units.c name an option */
static const char *dashed(const struct ch_option *opt, char *buf, size_t len)
{
	snprintf(buf, len, "--%s", opt->name);
	return buf;
}

int ch_opt_flag(const struct ch_option *opt, const char *arg)
{
	(void)arg;
	*(bool *)opt->value = true;
	return 0;
}

int ch_opt_string(const struct ch_option *opt, const char *arg)
{
	*(const char **)opt->value = arg;
	return 0;
}

int ch_opt_size(const struct ch_option *opt, const char *arg)
{
	char err[512], name[64];

	if (ch_parse_size(dashed(opt, name, sizeof(name)), arg,
			  opt->value, err, sizeof(err)))
		return ch_usage_error("%s", err);
	return 0;
}

int ch_opt_fraction(const struct ch_option *opt, const char *arg)
{
	char err[512], name[64];

	if (ch_parse_fraction(dashed(opt, name, sizeof(name)), arg,
			      opt->value, err, sizeof(err)))
		return ch_usage_error("%s", err);
	return 0;
}

/* @arg in the row's range into *v: 0, or 2 after a message */
static int parse_range(const struct ch_option *opt, const char *arg,
		       uint64_t *v)
{
	const struct ch_opt_range *r = opt->data;
	char err[512], name[64];

	dashed(opt, name, sizeof(name));
	if (!r->min && !r->expect) {
		if (ch_parse_u64(name, arg, r->max, v, err, sizeof(err)))
			return ch_usage_error("%s", err);
		return 0;
	}
	if (!ch_parse_u64(name, arg, r->max, v, err, sizeof(err)) &&
	    *v >= r->min)
		return 0;
	if (r->expect)
		return ch_usage_error("%s '%s': expected %s", name, arg,
				      r->expect);
	return ch_usage_error("%s '%s': expected a whole number from %" PRIu64 " to %" PRIu64,
			      name, arg, r->min, r->max);
}

int ch_opt_u64(const struct ch_option *opt, const char *arg)
{
	return parse_range(opt, arg, opt->value);
}

int ch_opt_int(const struct ch_option *opt, const char *arg)
{
	uint64_t v;

	if (parse_range(opt, arg, &v))
		return 2;
	*(int *)opt->value = (int)v;
	return 0;
}

/* @name's value in @c's list into *out; false if not one of them */
static bool choice_find(const struct ch_opt_choice *c, const char *name,
			int *out)
{
	const struct ch_opt_value *v;
	int i;

	if (c->find) {
		*out = c->find(name);
		return *out >= 0;
	}
	for (i = 0; i < c->nr; i++)
		if (!strcmp(name, c->names[i])) {
			*out = i;
			return true;
		}
	for (v = c->values; v && v->name; v++)
		if (!strcmp(name, v->name)) {
			*out = v->value;
			return true;
		}
	return false;
}

int ch_opt_choice(const struct ch_option *opt, const char *arg)
{
	const struct ch_opt_choice *c = opt->data;
	int i;

	if (!choice_find(c, arg, &i))
		return ch_usage_error(c->err, arg, opt->valid());
	*(int *)opt->value = i;
	return 0;
}

int ch_opt_append(const struct ch_option *opt, const char *arg)
{
	struct ch_opt_args *a = opt->value;

	a->v[a->n++] = (char *)arg;
	return 0;
}

const char *ch_opt_show_size(const struct ch_option *opt, char *buf,
			     size_t len)
{
	return ch_fmt_size(*(uint64_t *)opt->value, buf, len);
}

const char *ch_opt_show_u64(const struct ch_option *opt, char *buf,
			    size_t len)
{
	snprintf(buf, len, "%" PRIu64, *(uint64_t *)opt->value);
	return buf;
}

const char *ch_opt_show_choice(const struct ch_option *opt, char *buf,
			       size_t len)
{
	const struct ch_opt_choice *c = opt->data;
	const struct ch_opt_value *v;
	int i = *(int *)opt->value;

	(void)buf;
	(void)len;
	if (c->names)
		return i >= 0 ? c->names[i] : NULL;
	for (v = c->values; v->name; v++)
		if (v->value == i)
			return v->name;
	return NULL;
}

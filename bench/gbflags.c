// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bench/gbflags.h"
#include "lib/scnprintf.h"
#include "lib/util.h"

enum gb_type {
	GB_BOOL,
	GB_REGEX,
	GB_PATH,
	GB_REPS,		/* a whole number >= 1 */
	GB_SECONDS,		/* > 0 */
	GB_SECONDS0,		/* >= 0 */
	GB_FORMAT,
	GB_UNIT,
	GB_COLOR,
	GB_KV,			/* key=value,... */
	GB_EVENTS,
};

static const struct {
	const char *name;
	enum gb_type type;
	const char *form;	/* what the message says is valid */
} gb_flags[] = {
	{ "filter", GB_REGEX, "REGEX" },
	{ "list_tests", GB_BOOL, "{true|false}" },
	{ "repetitions", GB_REPS, "N" },
	{ "min_time", GB_SECONDS, "SECONDS" },
	{ "min_warmup_time", GB_SECONDS0, "SECONDS" },
	{ "enable_random_interleaving", GB_BOOL, "{true|false}" },
	{ "report_aggregates_only", GB_BOOL, "{true|false}" },
	{ "display_aggregates_only", GB_BOOL, "{true|false}" },
	{ "format", GB_FORMAT, "{console|json|csv}" },
	{ "out", GB_PATH, "FILE" },
	{ "out_format", GB_FORMAT, "{console|json|csv}" },
	{ "color", GB_COLOR, "{auto|true|false}" },
	{ "counters_tabular", GB_BOOL, "{true|false}" },
	{ "perf_counters", GB_EVENTS, "EVENT,..." },
	{ "context", GB_KV, "KEY=VALUE,..." },
	{ "time_unit", GB_UNIT, "{ns|us|ms|s}" },
};

#define NR_GB_FLAGS	ARRAY_SIZE(gb_flags)
#define GB_PREFIX	"--benchmark_"
/* echo at most this much of an argument, so the reason is never cut */
#define GB_ECHO		64

const char *ch_gb_flag_list(void)
{
	static char buf[1024];
	size_t off = 0, i;

	if (buf[0])
		return buf;
	for (i = 0; i < NR_GB_FLAGS; i++)
		off += scnprintf(buf + off, sizeof(buf) - off, "%s%s%s%s%s",
				 i ? ", " : "", GB_PREFIX, gb_flags[i].name,
				 gb_flags[i].type == GB_BOOL ? "[=" : "=",
				 gb_flags[i].type == GB_BOOL ? "{true|false}]" :
				 gb_flags[i].form);
	return buf;
}

static bool one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (!strcasecmp(v, *set))
			return true;
	return false;
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "off", "0", NULL };

	if (!v || one_of(v, yes))
		*out = true;
	else if (one_of(v, no))
		*out = false;
	else
		return false;
	return true;
}

static bool parse_reps(const char *v, int *out)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)*v))
		return false;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n < 1 || n > 100000)
		return false;
	*out = (int)n;
	return true;
}

static bool parse_seconds(const char *v, bool zero_ok)
{
	char *end;
	double d;

	if (!*v || isspace((unsigned char)*v))
		return false;
	errno = 0;
	d = strtod(v, &end);
	return !errno && !*end && isfinite(d) && (d > 0 || (zero_ok && !d));
}

/* key=value,...: what Google Benchmark's --benchmark_context takes */
static bool parse_kv(const char *v)
{
	const char *p = v;

	while (*p) {
		size_t n = strcspn(p, ",");
		const char *eq = memchr(p, '=', n);

		if (!eq || eq == p)
			return false;
		p += n;
		if (*p == ',' && !*++p)
			return false;
	}
	return *v;
}

static bool check_value(enum gb_type t, const char *v, struct ch_gb_flags *f)
{
	static const char *const formats[] = { "console", "json", "csv", NULL };
	static const char *const units[] = { "ns", "us", "ms", "s", NULL };
	bool b;

	if (t == GB_BOOL) {
		if (!parse_bool(v, &b))
			return false;
		return true;
	}
	if (!v || (!*v && t != GB_REGEX))
		return false;
	switch (t) {
	case GB_REPS:
		return parse_reps(v, &f->repetitions);
	case GB_SECONDS:
	case GB_SECONDS0:
		return parse_seconds(v, t == GB_SECONDS0);
	case GB_FORMAT:
		return one_of(v, formats) && islower((unsigned char)*v);
	case GB_UNIT:
		return one_of(v, units) && islower((unsigned char)*v);
	case GB_COLOR:
		return !strcmp(v, "auto") || parse_bool(v, &b);
	case GB_KV:
		return parse_kv(v);
	case GB_EVENTS:
		return !strstr(v, ",,") && *v != ',' && v[strlen(v) - 1] != ',';
	default:
		return true;
	}
}

int ch_gb_flag_check(const char *arg, struct ch_gb_flags *f, char *err,
		     size_t len)
{
	const char *name = arg + strlen(GB_PREFIX), *eq, *v;
	size_t n, i;
	bool b;

	if (strncmp(arg, GB_PREFIX, strlen(GB_PREFIX)))
		goto unknown;
	eq = strchr(name, '=');
	n = eq ? (size_t)(eq - name) : strlen(name);
	v = eq ? eq + 1 : NULL;
	for (i = 0; i < NR_GB_FLAGS; i++)
		if (strlen(gb_flags[i].name) == n &&
		    !strncmp(gb_flags[i].name, name, n))
			break;
	if (i == NR_GB_FLAGS)
		goto unknown;
	if (!check_value(gb_flags[i].type, v, f)) {
		snprintf(err, len, "'%.*s%s': bad value; valid: %s%s=%s%s",
			 GB_ECHO, arg, strlen(arg) > GB_ECHO ? "..." : "",
			 GB_PREFIX, gb_flags[i].name, gb_flags[i].form,
			 gb_flags[i].type == GB_REPS ?
			 " (a whole number from 1 to 100000)" :
			 gb_flags[i].type == GB_SECONDS ? " (above 0)" : "");
		return -EINVAL;
	}
	switch (gb_flags[i].type) {
	case GB_BOOL:
		if (!strcmp(gb_flags[i].name, "list_tests")) {
			parse_bool(v, &b);
			f->list_tests = b;
		}
		break;
	case GB_REGEX:
		f->filter = v;
		break;
	case GB_PATH:
		f->out = v;
		break;
	default:
		break;
	}
	return 0;
unknown:
	snprintf(err, len,
		 "unknown Google Benchmark flag '%.*s%s'; valid: %s",
		 GB_ECHO, arg, strlen(arg) > GB_ECHO ? "..." : "",
		 ch_gb_flag_list());
	return -EINVAL;
}

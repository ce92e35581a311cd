// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands/opts.h"
#include "bench/pmu.h"
#include "lib/units.h"
#include "lib/util.h"
#include "vmemmap/walk.h"
#include "page/shape.h"

int ch_usage_error(const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* one line, even when it echoes a newline the user gave */
	for (p = buf; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = '?';
	fprintf(stderr, "chbench: %s\n", buf);
	return 2;
}

static const struct ch_opt_value {
	const char *name;
	int value;
} key_values[] = {
	{ "auto", CH_KEY_AUTO }, { "on", 1 }, { "off", 0 },
}, hvo_values[] = {
	{ "on", 1 }, { "off", 0 },
};

static const char *values_list(const struct ch_opt_value *v, size_t n,
			       char *buf, size_t len)
{
	size_t off = 0, i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				v[i].name);
	return buf;
}

/* the index in @v of @name, or -1 */
static int value_find(const struct ch_opt_value *v, size_t n,
		      const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, v[i].name))
			return i;
	return -1;
}

static const char *key_list(void)
{
	static char buf[64];

	return values_list(key_values, ARRAY_SIZE(key_values), buf,
			   sizeof(buf));
}

static const char *hvo_list(void)
{
	static char buf[64];

	return values_list(hvo_values, ARRAY_SIZE(hvo_values), buf,
			   sizeof(buf));
}

/*
 * Every option of the commands that parse through ch_opts_parse(). A
 * def of NULL is the value the parser starts from (see show_default());
 * a command can say more in its struct ch_cmd_help.
 */
static const struct ch_opt ch_options[] = {
	CH_OPT_ARG("variant", "NAME", 'v', CH_O_VARIANT | CH_O_KVARIANT,
		   "the compound_head() variant", ch_variant_list,
		   "every variant"),
	CH_OPT_ARG("layout", "NAME", 'l', CH_O_LAYOUT, "the vmemmap layout",
		   ch_layout_list, "each layout the variant is correct on"),
	CH_OPT_ARG("mix", "SPEC", 'm', CH_O_MIX,
		   "the folios: a preset of chbench list, or order:percent,...",
		   NULL, NULL),
	CH_OPT_ARG("mem", "SIZE", 'M', CH_O_MEM,
		   "the RAM the memmap describes (K, M, G, T)", NULL, NULL),
	CH_OPT_ARG("seed", "N", 's', CH_O_SEED,
		   "the seed of the folio placement and the walk", NULL, NULL),
	CH_OPT_ARG("key", "STATE", 'k', CH_O_KEY,
		   "fake-head's static key (auto: on if a folio is optimized)",
		   key_list, NULL),
	CH_OPT_ARG("walk", "NAME", 'w', CH_O_WALK, "the order of the lookups",
		   ch_walk_list, NULL),
	CH_OPT_ARG("shape", "NAME", 'S', CH_O_SHAPE, "the code shape",
		   ch_shape_list, NULL),
	CH_OPT_ARG("pick", "KIND", 'p', CH_O_PICK,
		   "look up only pages of this kind", ch_pick_list, NULL),
	CH_OPT_ARG("tail-fraction", "F", 't', CH_O_TAILFRAC,
		   "0 to 1: the share of tail pages looked up, at random",
		   NULL, "none"),
	CH_OPT_ARG("ops", "N", 'n', CH_O_OPS, "lookups in one timed pass",
		   NULL, NULL),
	CH_OPT_ARG("cpu", "C", 'c', CH_O_CPU, "pin to this CPU", NULL,
		   "not pinned"),
	CH_OPT_ARG("events", "LIST", 'e', CH_O_EVENTS,
		   "the counters: perf event names, a comma list", NULL,
		   CH_PMU_DEFAULT_EVENTS),
	CH_OPT_FLAG("json", 'j', CH_O_JSON, "print one JSON object"),
	CH_OPT_ARG("control", "SPEC", 'C', CH_O_CONTROL,
		   "perf stat's --control: fd:CTL,ACK or fifo:CTL,ACK", NULL,
		   "none"),
	CH_OPT_FLAG("quick", 'q', CH_O_QUICK,
		    "fewer instances, repetitions and ops"),
	CH_OPT_ARG("out", "DIR", 'o', CH_O_OUT,
		   "the parent of the results directory", NULL, "results"),
	CH_OPT_ARG("chunk", "N", 'K', CH_O_CHUNK,
		   "ops per interrupts-off chunk, 1 to 1048576", NULL,
		   "chbench.ko's"),
	CH_OPT_ARG("hvo", "STATE", 'H', CH_O_HVO,
		   "what the kernel's HugeTLB vmemmap optimization must be",
		   hvo_list, "either"),
	CH_OPT_ARG("instances", "K", 'I', CH_O_INSTANCES,
		   "memmap instances, built one after the other", NULL, NULL),
	CH_OPT_ARG("reps-per-instance", "R", 'R', CH_O_REPS,
		   "timed passes on each instance", NULL, NULL),
	CH_OPT_FLAG("reseed", 'r', CH_O_RESEED,
		    "instance k gets seed S+k, not S"),
	CH_OPT_FLAG("quiet", 'Q', CH_O_QUIET, "no progress line on stderr"),
	CH_OPT_ARG("pairs", "N", 'P', CH_O_PAIRS,
		   "A/A pairs, spread over the default suite", NULL, NULL),
	CH_OPT_FLAG("allow-concurrent", 'A', CH_O_ALLOW_CONCURRENT,
		    "time even while another timing run holds the machine"),
};

#define CH_NR_OPTIONS	ARRAY_SIZE(ch_options)

static const char *valid_options(unsigned int allowed)
{
	static char buf[1024];

	return ch_opts_names(ch_options, CH_NR_OPTIONS, allowed, buf,
			     sizeof(buf));
}

/* A name from a closed list: 0, 2 after a message, or -1 if not one. */
static int parse_name(struct ch_opts *o, int c, const char *arg)
{
	int i;

	switch (c) {
	case 'v':
		o->variant_name = arg;
		if (o->allowed & CH_O_KVARIANT)
			return 0;
		o->variant = ch_variant_find(arg);
		if (!o->variant)
			return ch_usage_error("unknown variant '%s'; valid: %s",
					      arg, ch_variant_list());
		return 0;
	case 'l':
		o->layout = ch_layout_find(arg);
		if (o->layout < 0)
			return ch_usage_error("unknown layout '%s'; valid: %s",
					      arg, ch_layout_list());
		return 0;
	case 'k':
		i = value_find(key_values, ARRAY_SIZE(key_values), arg);
		if (i < 0)
			return ch_usage_error("--key '%s': valid: %s", arg,
					      key_list());
		o->key = key_values[i].value;
		return 0;
	case 'w':
		o->walk = ch_walk_find(arg);
		if (o->walk < 0)
			return ch_usage_error("unknown walk '%s'; valid: %s",
					      arg, ch_walk_list());
		return 0;
	case 'S':
		for (i = 0; i < CH_NR_SHAPES; i++)
			if (!strcmp(arg, ch_shape_names[i]))
				break;
		if (i == CH_NR_SHAPES)
			return ch_usage_error("unknown shape '%s'; valid: %s",
					      arg, ch_shape_list());
		o->shape = i;
		return 0;
	case 'p':
		o->pick = ch_pick_find(arg);
		if (o->pick < 0)
			return ch_usage_error("unknown pick '%s'; valid: %s",
					      arg, ch_pick_list());
		return 0;
	case 'H':
		i = value_find(hvo_values, ARRAY_SIZE(hvo_values), arg);
		if (i < 0)
			return ch_usage_error("--hvo '%s': valid: %s (what this kernel's HugeTLB vmemmap must be)",
					      arg, hvo_list());
		o->hvo = hvo_values[i].value;
		return 0;
	}
	return -1;
}

/* A number, size or spec: 0, 2 after a message, or -1 if not one. */
static int parse_number(struct ch_opts *o, int c, const char *arg)
{
	char err[512];
	uint64_t v;

	switch (c) {
	case 'm':
		if (ch_mix_parse(arg, &o->mix, err, sizeof(err)))
			return ch_usage_error("%s", err);
		return 0;
	case 'M':
		if (ch_parse_size("--mem", arg, &o->mem, err, sizeof(err)))
			return ch_usage_error("%s", err);
		return 0;
	case 's':
		if (ch_parse_u64("--seed", arg, UINT64_MAX, &o->seed, err,
				 sizeof(err)))
			return ch_usage_error("%s", err);
		return 0;
	case 't':
		if (ch_parse_fraction("--tail-fraction", arg,
				      &o->tail_fraction, err, sizeof(err)))
			return ch_usage_error("%s", err);
		return 0;
	case 'n':
		if (ch_parse_u64("--ops", arg, CH_MAX_OPS, &v, err,
				 sizeof(err)) || !v)
			return ch_usage_error("--ops '%s': expected a whole number from 1 to %u",
					      arg, CH_MAX_OPS);
		o->ops = v;
		return 0;
	case 'c':
		if (ch_parse_u64("--cpu", arg, 4095, &v, err, sizeof(err)))
			return ch_usage_error("%s", err);
		o->cpu = (int)v;
		return 0;
	case 'K':
		if (ch_parse_u64("--chunk", arg, 1U << 20, &v, err,
				 sizeof(err)) || !v)
			return ch_usage_error("--chunk '%s': expected ops per interrupts-off chunk, from 1 to 1048576 (chbench.ko may allow fewer)",
					      arg);
		o->chunk = v;
		return 0;
	case 'I':
		if (ch_parse_u64("--instances", arg, CH_MAX_INSTANCES, &v, err,
				 sizeof(err)) || !v)
			return ch_usage_error("--instances '%s': expected a whole number from 1 to %d",
					      arg, CH_MAX_INSTANCES);
		o->instances = (int)v;
		return 0;
	case 'R':
		if (ch_parse_u64("--reps-per-instance", arg, 1000, &v, err,
				 sizeof(err)) || !v)
			return ch_usage_error("--reps-per-instance '%s': expected a whole number from 1 to 1000",
					      arg);
		o->reps = (int)v;
		return 0;
	case 'P':
		if (ch_parse_u64("--pairs", arg, 10000, &v, err,
				 sizeof(err)) || !v)
			return ch_usage_error("--pairs '%s': expected a whole number from 1 to 10000",
					      arg);
		o->pairs = (int)v;
		return 0;
	}
	return -1;
}

/* A flag, or a string taken as given (checked by its command). */
static int parse_plain(struct ch_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'e':
		o->events = arg;
		return 0;
	case 'j':
		o->json = true;
		return 0;
	case 'C':
		o->control = arg;
		return 0;
	case 'q':
		o->quick = true;
		return 0;
	case 'o':
		o->out = arg;
		return 0;
	case 'r':
		o->reseed = true;
		return 0;
	case 'Q':
		o->quiet = true;
		return 0;
	case 'A':
		o->allow_concurrent = true;
		return 0;
	}
	return -1;
}

static int parse_one(struct ch_opts *o, int c, const char *arg)
{
	int ret = parse_name(o, c, arg);

	if (ret < 0)
		ret = parse_number(o, c, arg);
	if (ret < 0)
		ret = parse_plain(o, c, arg);
	return ret < 0 ? 2 : ret;
}

/* What the parser starts from: the defaults --help shows. */
static int opts_init(struct ch_opts *o, unsigned int allowed,
		     const char *default_mix, uint64_t default_mem)
{
	char err[512];

	memset(o, 0, sizeof(*o));
	o->allowed = allowed;
	o->layout = -1;
	o->key = CH_KEY_AUTO;
	o->walk = CH_WALK_RANDOM;
	o->pick = CH_PICK_ANY;
	o->tail_fraction = -1.0;
	o->cpu = -1;
	o->hvo = -1;
	o->mem = default_mem;
	o->seed = CH_DEFAULT_SEED;
	o->ops = CH_DEFAULT_OPS;
	if (default_mix && ch_mix_parse(default_mix, &o->mix, err, sizeof(err)))
		return ch_usage_error("%s", err);
	return 0;
}

/* The default of an option that has a value from the start; or NULL. */
static const char *show_default(const struct ch_opts *o, unsigned int bit,
				char *buf, size_t len)
{
	size_t i;

	switch (bit) {
	case CH_O_MIX:
		return o->mix.name[0] ? o->mix.name : NULL;
	case CH_O_MEM:
		return ch_fmt_size(o->mem, buf, len);
	case CH_O_SEED:
		snprintf(buf, len, "%" PRIu64, o->seed);
		return buf;
	case CH_O_OPS:
		snprintf(buf, len, "%" PRIu64, o->ops);
		return buf;
	case CH_O_KEY:
		for (i = 0; i < ARRAY_SIZE(key_values); i++)
			if (key_values[i].value == o->key)
				return key_values[i].name;
		return NULL;
	case CH_O_WALK:
		return ch_walk_names[o->walk];
	case CH_O_SHAPE:
		return ch_shape_names[o->shape];
	case CH_O_PICK:
		return ch_pick_names[o->pick];
	}
	return NULL;
}

void ch_opts_help(const char *cmd, unsigned int allowed,
		  const char *default_mix, uint64_t default_mem,
		  const struct ch_cmd_help *help)
{
	struct ch_opt t[CH_NR_OPTIONS];
	char bufs[CH_NR_OPTIONS][32];
	struct ch_opts o;
	const char *def;
	size_t i;

	opts_init(&o, allowed, default_mix, default_mem);
	for (i = 0; i < CH_NR_OPTIONS; i++) {
		t[i] = ch_options[i];
		def = show_default(&o, ch_options[i].bit, bufs[i],
				   sizeof(bufs[i]));
		if (def)
			t[i].h.def = def;
	}
	ch_opts_table_help(cmd, t, CH_NR_OPTIONS, allowed, help);
}

int ch_opts_parse(struct ch_opts *o, int argc, char **argv,
		  unsigned int allowed, const char *default_mix,
		  uint64_t default_mem, const struct ch_cmd_help *help)
{
	struct option longopts[CH_NR_OPTIONS + 1];
	size_t i;
	int c, idx;

	if (opts_init(o, allowed, default_mix, default_mem))
		return 2;
	ch_opts_longopts(ch_options, CH_NR_OPTIONS, longopts);
	if (ch_opts_want_help(argc, argv)) {
		ch_opts_help(argv[0], allowed, default_mix, default_mem, help);
		exit(0);
	}
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:", longopts, &idx)) != -1) {
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];

			if (c == ':')
				return ch_usage_error("%s: option '%s' needs a value",
						      argv[0], bad);
			return ch_usage_error("%s: unknown option '%s'; valid: %s",
					      argv[0], bad,
					      valid_options(allowed));
		}
		for (i = 0; i < CH_NR_OPTIONS; i++)
			if (ch_options[i].val == c)
				break;
		if (!(allowed & ch_options[i].bit))
			return ch_usage_error("%s: option '--%s' does not apply; valid: %s",
					      argv[0], ch_options[i].h.name,
					      valid_options(allowed));
		o->given |= ch_options[i].bit & allowed;
		if (parse_one(o, c, optarg))
			return 2;
	}
	if ((o->given & CH_O_PICK) && (o->given & CH_O_TAILFRAC))
		return ch_usage_error("--pick and --tail-fraction exclude each other");
	o->argc = argc - optind;
	o->argv = argv + optind;
	return 0;
}

/* The helpers for any table of options, ch_options[] or a command's. */

bool ch_opts_want_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

void ch_opts_longopts(const struct ch_opt *t, size_t n, struct option *lo)
{
	size_t i;

	for (i = 0; i < n; i++) {
		lo[i].name = t[i].h.name;
		lo[i].has_arg = t[i].h.arg ? required_argument : no_argument;
		lo[i].flag = NULL;
		lo[i].val = t[i].val;
	}
	memset(&lo[n], 0, sizeof(lo[n]));
}

const char *ch_opts_names(const struct ch_opt *t, size_t n,
			  unsigned int allowed, char *buf, size_t len)
{
	size_t off = 0, i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		if (allowed & t[i].bit)
			off += snprintf(buf + off, len - off, "%s--%s",
					off ? ", " : "", t[i].h.name);
	return off ? buf : "none";
}

#define CH_HELP_WIDTH	80
#define CH_HELP_COL_MAX	28	/* where the meanings start, at most */

/* What @help, or the first of its bases to say, says of @bit; or NULL. */
static const struct ch_opt_default *find_default(const struct ch_cmd_help *help,
						 unsigned int bit)
{
	const struct ch_opt_default *d;

	for (; help; help = help->base)
		for (d = help->defaults; d && d->bit; d++)
			if (d->bit & bit)
				return d;
	return NULL;
}

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
static int help_left(const struct ch_opt_help *h, char *buf, size_t len)
{
	return snprintf(buf, len, "  --%s%s%s", h->name, h->arg ? " " : "",
			h->arg ? h->arg : "");
}

static void help_line(const struct ch_opt_help *h, int col)
{
	char left[128], text[1024];
	int n = help_left(h, left, sizeof(left));
	size_t off;

	off = snprintf(text, sizeof(text), "%s", h->help);
	if (h->valid)
		off += snprintf(text + off, sizeof(text) - off, ": %s",
				h->valid());
	if (h->required)
		snprintf(text + off, sizeof(text) - off, " (required)");
	else if (h->def)
		snprintf(text + off, sizeof(text) - off, " (default:%c%s)",
			 CH_HELP_NBSP, h->def);
	if (n + 2 > col)
		printf("%s\n%*s", left, col, "");
	else
		printf("%-*s", col, left);
	help_wrap(text, col);
}

/* Where the meanings start: after the longest "  --name ARG" that fits. */
static int help_col(const struct ch_opt *t, size_t n, unsigned int allowed,
		    const struct ch_cmd_help *help)
{
	const struct ch_cmd_help *b;
	const struct ch_opt_help *e;
	char left[128];
	int col = 0, w;
	size_t i;

	for (i = 0; i < n; i++) {
		w = help_left(&t[i].h, left, sizeof(left)) + 2;
		if ((allowed & t[i].bit) && w > col)
			col = w;
	}
	for (b = help; b; b = b->base)
		for (e = b->extra; e && e->name; e++) {
			w = help_left(e, left, sizeof(left)) + 2;
			if (w > col)
				col = w;
		}
	return col < CH_HELP_COL_MAX ? col : CH_HELP_COL_MAX;
}

void ch_opts_table_help(const char *cmd, const struct ch_opt *t, size_t n,
			unsigned int allowed, const struct ch_cmd_help *help)
{
	const struct ch_opt_default *d;
	const struct ch_cmd_help *b;
	const struct ch_opt_help *e;
	const char *const *u;
	struct ch_opt_help h;
	int col = help_col(t, n, allowed, help);
	bool any = false;
	size_t i;

	if (help && help->usage)
		for (u = help->usage; *u; u++)
			printf("%s chbench %s\n",
			       u == help->usage ? "usage:" : "   or:", *u);
	else
		printf("usage: chbench %s [options]\n", cmd);
	if (help && help->summary)
		printf("%s\n", help->summary);
	for (i = 0; i < n; i++) {
		if (!(allowed & t[i].bit))
			continue;
		if (!any)
			printf("\noptions:\n");
		any = true;
		h = t[i].h;
		d = find_default(help, t[i].bit);
		if (d && d->def)
			h.def = d->def;
		if (d && d->help)
			h.help = d->help;
		if (d && d->valid)
			h.valid = d->valid;
		if (d && d->required)
			h.required = true;
		help_line(&h, col);
	}
	for (b = help; b; b = b->base)
		for (e = b->extra; e && e->name; e++) {
			if (!any)
				printf("\noptions:\n");
			any = true;
			help_line(e, col);
		}
	if (!any)
		printf("\noptions: none\n");
}

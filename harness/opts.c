// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/opts.h"
#include "harness/units.h"
#include "harness/util.h"
#include "harness/walk.h"
#include "variants/shape.h"

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

static const struct {
	struct option opt;
	unsigned int bit;
} ch_options[] = {
	{ { "variant", required_argument, NULL, 'v' },
	  CH_O_VARIANT | CH_O_KVARIANT },
	{ { "layout", required_argument, NULL, 'l' }, CH_O_LAYOUT },
	{ { "mix", required_argument, NULL, 'm' }, CH_O_MIX },
	{ { "mem", required_argument, NULL, 'M' }, CH_O_MEM },
	{ { "seed", required_argument, NULL, 's' }, CH_O_SEED },
	{ { "key", required_argument, NULL, 'k' }, CH_O_KEY },
	{ { "walk", required_argument, NULL, 'w' }, CH_O_WALK },
	{ { "shape", required_argument, NULL, 'S' }, CH_O_SHAPE },
	{ { "pick", required_argument, NULL, 'p' }, CH_O_PICK },
	{ { "tail-fraction", required_argument, NULL, 't' }, CH_O_TAILFRAC },
	{ { "ops", required_argument, NULL, 'n' }, CH_O_OPS },
	{ { "cpu", required_argument, NULL, 'c' }, CH_O_CPU },
	{ { "events", required_argument, NULL, 'e' }, CH_O_EVENTS },
	{ { "json", no_argument, NULL, 'j' }, CH_O_JSON },
	{ { "control", required_argument, NULL, 'C' }, CH_O_CONTROL },
	{ { "quick", no_argument, NULL, 'q' }, CH_O_QUICK },
	{ { "out", required_argument, NULL, 'o' }, CH_O_OUT },
	{ { "chunk", required_argument, NULL, 'K' }, CH_O_CHUNK },
	{ { "hvo", required_argument, NULL, 'H' }, CH_O_HVO },
	{ { "instances", required_argument, NULL, 'I' }, CH_O_INSTANCES },
	{ { "reps-per-instance", required_argument, NULL, 'R' }, CH_O_REPS },
	{ { "reseed", no_argument, NULL, 'r' }, CH_O_RESEED },
	{ { "quiet", no_argument, NULL, 'Q' }, CH_O_QUIET },
	{ { "pairs", required_argument, NULL, 'P' }, CH_O_PAIRS },
};

#define CH_NR_OPTIONS	ARRAY_SIZE(ch_options)

static const char *valid_options(unsigned int allowed)
{
	static char buf[1024];
	size_t off = 0, i;

	buf[0] = '\0';
	for (i = 0; i < CH_NR_OPTIONS; i++)
		if (allowed & ch_options[i].bit)
			off += snprintf(buf + off, sizeof(buf) - off, "%s--%s",
					off ? ", " : "",
					ch_options[i].opt.name);
	return off ? buf : "none";
}

static int parse_one(struct ch_opts *o, int c, const char *arg)
{
	char err[512];
	uint64_t v;
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
	case 'k':
		if (!strcmp(arg, "on"))
			o->key = 1;
		else if (!strcmp(arg, "off"))
			o->key = 0;
		else if (!strcmp(arg, "auto"))
			o->key = CH_KEY_AUTO;
		else
			return ch_usage_error("--key '%s': valid: auto, on, off",
					      arg);
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
			return ch_usage_error("unknown shape '%s'; valid: as-compiled, branch",
					      arg);
		o->shape = i;
		return 0;
	case 'p':
		o->pick = ch_pick_find(arg);
		if (o->pick < 0)
			return ch_usage_error("unknown pick '%s'; valid: %s",
					      arg, ch_pick_list());
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
	case 'K':
		if (ch_parse_u64("--chunk", arg, 1U << 20, &v, err,
				 sizeof(err)) || !v)
			return ch_usage_error("--chunk '%s': expected ops per interrupts-off chunk, from 1 to 1048576 (chbench.ko may allow fewer)",
					      arg);
		o->chunk = v;
		return 0;
	case 'H':
		if (!strcmp(arg, "on") || !strcmp(arg, "off")) {
			o->hvo = !strcmp(arg, "on");
			return 0;
		}
		return ch_usage_error("--hvo '%s': valid: on, off (what this kernel's HugeTLB vmemmap must be)",
				      arg);
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
	case 'r':
		o->reseed = true;
		return 0;
	case 'Q':
		o->quiet = true;
		return 0;
	case 'P':
		if (ch_parse_u64("--pairs", arg, 10000, &v, err,
				 sizeof(err)) || !v)
			return ch_usage_error("--pairs '%s': expected a whole number from 1 to 10000",
					      arg);
		o->pairs = (int)v;
		return 0;
	}
	return 2;
}

int ch_opts_parse(struct ch_opts *o, int argc, char **argv,
		  unsigned int allowed, const char *default_mix,
		  uint64_t default_mem)
{
	struct option longopts[CH_NR_OPTIONS + 1];
	char err[512];
	size_t i;
	int c, idx;

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
	o->seed = 1;
	o->ops = CH_DEFAULT_OPS;
	if (default_mix && ch_mix_parse(default_mix, &o->mix, err, sizeof(err)))
		return ch_usage_error("%s", err);

	for (i = 0; i < CH_NR_OPTIONS; i++)
		longopts[i] = ch_options[i].opt;
	memset(&longopts[i], 0, sizeof(longopts[i]));

	for (i = 1; i < (size_t)argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: chbench %s [options]\noptions: %s\nSee README.md for what each one means.\n",
			       argv[0], valid_options(allowed));
			exit(0);
		}
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
			if (ch_options[i].opt.val == c)
				break;
		if (!(allowed & ch_options[i].bit))
			return ch_usage_error("%s: option '--%s' does not apply; valid: %s",
					      argv[0], ch_options[i].opt.name,
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

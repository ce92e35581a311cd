// SPDX-License-Identifier: GPL-2.0
/*
 * The options several commands take, each defined once: its row here,
 * its field in struct ch_opts. A command takes one by listing
 * OPT_PARENT("name") in its own table; ch_parse_options() binds those
 * rows to its struct ch_opts and hands the table to the parser, opts.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands/opts.h"
#include "vmemmap/scenario.h"
#include "commands/opts_table.h"
#include "bench/pmu.h"
#include "lib/scnprintf.h"
#include "lib/util.h"
#include "page/shape.h"
#include "vmemmap/walk.h"

static const struct ch_opt_value key_values[] = {
	{ "auto", CH_KEY_AUTO }, { "on", 1 }, { "off", 0 }, { .name = NULL },
}, hvo_values[] = {
	{ "on", 1 }, { "off", 0 }, { .name = NULL },
};

static const char *values_list(const struct ch_opt_value *v, char *buf,
			       size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (; v->name; v++)
		off += scnprintf(buf + off, len - off, "%s%s",
				 off ? ", " : "", v->name);
	return buf;
}

static const char *key_list(void)
{
	static char buf[64];

	return values_list(key_values, buf, sizeof(buf));
}

static const char *hvo_list(void)
{
	static char buf[64];

	return values_list(hvo_values, buf, sizeof(buf));
}

static int parse_variant(const struct ch_option *opt, const char *arg)
{
	const struct ch_variant *v = ch_variant_find(arg);

	if (!v)
		return ch_usage_error("unknown variant '%s'; valid: %s", arg,
				      ch_variant_list());
	*(const struct ch_variant **)opt->value = v;
	return 0;
}

static int parse_mix(const struct ch_option *opt, const char *arg)
{
	char err[512];

	if (ch_mix_parse(arg, opt->value, err, sizeof(err)))
		return ch_usage_error("%s", err);
	return 0;
}

static const char *show_mix(const struct ch_option *opt, char *buf,
			    size_t len)
{
	const struct ch_mix *m = opt->value;

	(void)buf;
	(void)len;
	return m->name[0] ? m->name : NULL;
}

/* --pick's field is -1 until given (see opts_check()): "any" */
static const char *show_pick(const struct ch_option *opt, char *buf,
			     size_t len)
{
	(void)opt;
	(void)buf;
	(void)len;
	return ch_pick_names[CH_PICK_ANY];
}

static const struct ch_opt_choice layout_choice = {
	.find = ch_layout_find, .err = "unknown layout '%s'; valid: %s",
}, key_choice = {
	.values = key_values, .err = "--key '%s': valid: %s",
}, walk_choice = {
	.names = ch_walk_names, .nr = CH_NR_WALKS,
	.err = "unknown walk '%s'; valid: %s",
}, shape_choice = {
	.names = ch_shape_names, .nr = CH_NR_SHAPES,
	.err = "unknown shape '%s'; valid: %s",
}, pick_choice = {
	.names = ch_pick_names, .nr = CH_NR_PICKS,
	.err = "unknown pick '%s'; valid: %s",
}, hvo_choice = {
	.values = hvo_values,
	.err = "--hvo '%s': valid: %s (what this kernel's HugeTLB vmemmap must be)",
};

static const struct ch_opt_range seed_range = { 0, UINT64_MAX, NULL },
	ops_range = { 1, CH_MAX_OPS, NULL },
	cpu_range = { 0, 4095, NULL },
	chunk_range = { 1, 1U << 20, "ops per interrupts-off chunk, from 1 to 1048576 (chbench.ko may allow fewer)" },
	instances_range = { 1, CH_MAX_INSTANCES, NULL },
	reps_range = { 1, 1000, NULL };

/* a row of the shared table: its field in struct ch_opts, by offset */
#define SHARED(n, a, field, h, ...)					\
	{ .name = (n), .arg = (a), .help = (h),				\
	  .off = offsetof(struct ch_opts, field), __VA_ARGS__ }
#define SHARED_CHOICE(n, a, field, h, c, l)				\
	SHARED(n, a, field, h, .parse = ch_opt_choice,			\
	       .show = ch_opt_show_choice, .data = &(c), .valid = (l))
#define SHARED_FLAG(n, field, h)					\
	SHARED(n, NULL, field, h, .parse = ch_opt_flag, .def = "off")

/* in the order --help lists them */
const struct ch_option ch_shared_options[] = {
	SHARED("variant", "NAME", variant, "the compound_head() variant",
	       .parse = parse_variant, .valid = ch_variant_list,
	       .def = "every variant"),
	SHARED("layout", "NAME", layout, "the vmemmap layout",
	       .parse = ch_opt_choice, .data = &layout_choice,
	       .valid = ch_layout_list,
	       .def = "each layout the variant is correct on"),
	SHARED("mix", "SPEC", mix,
	       "the folios: a preset of chbench list, or order:percent,...",
	       .parse = parse_mix, .show = show_mix),
	SHARED("mem", "SIZE", mem, "the RAM the memmap describes (K, M, G, T)",
	       .parse = ch_opt_size, .show = ch_opt_show_size),
	SHARED("seed", "N", seed,
	       "the seed of the folio placement and the walk",
	       .parse = ch_opt_u64, .show = ch_opt_show_u64,
	       .data = &seed_range),
	SHARED_CHOICE("key", "STATE", key,
		      "fake-head's static key (auto: on if a folio is optimized)",
		      key_choice, key_list),
	SHARED_CHOICE("walk", "NAME", walk, "the order of the lookups",
		      walk_choice, ch_walk_list),
	SHARED_CHOICE("shape", "NAME", shape, "the code shape", shape_choice,
		      ch_shape_list),
	SHARED("pick", "KIND", pick, "look up only pages of this kind",
	       .parse = ch_opt_choice, .show = show_pick,
	       .data = &pick_choice, .valid = ch_pick_list),
	SHARED("tail-fraction", "F", tail_fraction,
	       "0 to 1: the share of tail pages looked up, at random",
	       .parse = ch_opt_fraction, .def = "none"),
	SHARED("ops", "N", ops, "lookups in one timed pass",
	       .parse = ch_opt_u64, .show = ch_opt_show_u64,
	       .data = &ops_range),
	SHARED("cpu", "C", cpu, "pin to this CPU", .parse = ch_opt_int,
	       .data = &cpu_range, .def = "not pinned"),
	SHARED("events", "LIST", events,
	       "the counters: perf event names, a comma list",
	       .parse = ch_opt_string, .def = CH_PMU_DEFAULT_EVENTS),
	SHARED_FLAG("json", json, "print one JSON object"),
	SHARED("control", "SPEC", control,
	       "perf stat's --control: fd:CTL,ACK or fifo:CTL,ACK",
	       .parse = ch_opt_string, .def = "none"),
	SHARED_FLAG("quick", quick, "fewer instances, repetitions and ops"),
	SHARED("out", "DIR", out, "the parent of the results directory",
	       .parse = ch_opt_string, .def = "results"),
	SHARED("chunk", "N", chunk,
	       "ops per interrupts-off chunk, 1 to 1048576",
	       .parse = ch_opt_int, .data = &chunk_range,
	       .def = "chbench.ko's"),
	SHARED("hvo", "STATE", hvo,
	       "what the kernel's HugeTLB vmemmap optimization must be",
	       .parse = ch_opt_choice, .data = &hvo_choice, .valid = hvo_list,
	       .def = "either"),
	SHARED("instances", "K", instances,
	       "memmap instances, built one after the other",
	       .parse = ch_opt_int, .data = &instances_range),
	SHARED("reps-per-instance", "R", reps,
	       "timed passes on each instance", .parse = ch_opt_int,
	       .data = &reps_range),
	SHARED_FLAG("reseed", reseed, "instance k gets seed S+k, not S"),
	SHARED_FLAG("quiet", quiet, "no progress line on stderr"),
	SHARED_FLAG("allow-concurrent", allow_concurrent,
		    "time even while another timing run holds the machine"),
	OPT_END(),
};

int ch_opts_init(struct ch_opts *o, const char *default_mix,
		 uint64_t default_mem)
{
	char err[512];

	memset(o, 0, sizeof(*o));
	o->layout = -1;
	o->key = CH_KEY_AUTO;
	o->walk = CH_WALK_RANDOM;
	o->pick = -1;
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

/* what the shared options must be together: 0, or 2 after a message */
static int opts_check(struct ch_opts *o)
{
	if (o->pick >= 0 && o->tail_fraction >= 0)
		return ch_usage_error("--pick and --tail-fraction exclude each other");
	if (o->pick < 0)
		o->pick = CH_PICK_ANY;
	return 0;
}

int ch_parse_options(int argc, char **argv, const struct ch_option *t,
		     struct ch_opts *shared, const struct ch_cmd_help *help)
{
	struct ch_opt_table rt;
	int n;

	ch_opt_table_resolve(&rt, t, ch_shared_options, shared);
	if (ch_opts_want_help(argc, argv)) {
		ch_opt_table_usage(argv[0], &rt, help);
		exit(0);
	}
	n = ch_opt_table_parse(&rt, &argc, argv);
	if (n < 0 || (shared && opts_check(shared)))
		return -1;
	memmove(argv, argv + n, (argc - n) * sizeof(*argv));
	argv[argc - n] = NULL;
	return argc - n;
}

void ch_options_usage(const char *cmd, const struct ch_option *t,
		      struct ch_opts *shared, const struct ch_cmd_help *help)
{
	struct ch_opt_table rt;

	ch_opt_table_resolve(&rt, t, ch_shared_options, shared);
	ch_opt_table_usage(cmd, &rt, help);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * chbench: measure variants of the kernel's compound_head() against each
 * other, on an emulated vmemmap with real HVO aliasing.
 */
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"
#include "harness/footprint.h"
#include "harness/opts.h"
#include "harness/util.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *desc;
} ch_cmds[] = {
	{ "list", cmd_list, "variants, layouts, mixes, walks, and who is correct where" },
	{ "verify", cmd_verify, "check every struct page against the ground truth" },
#ifndef CH_VERIFY_ONLY	/* chbench-verify: no Google Benchmark, no libpfm4 */
	{ "bench", cmd_bench, "the default suite through Google Benchmark, into results/" },
	{ "run", cmd_run, "one fixed-work measurement (for scripts and perf stat)" },
	{ "sim", cmd_sim, "simulated counters per op, under valgrind (no PMU needed)" },
	{ "sweep", cmd_sweep, "mem | tail: ns/op against memmap size or tail fraction" },
	{ "kernel", cmd_kernel, "verify | run | bench on the running kernel, through chbench.ko" },
	{ "aa", cmd_aa, "A/A pairs of the default cases: the false-star rate here" },
	{ "cases", cmd_cases, "a results directory's cases as JSON, for the scripts" },
#endif
	{ "asm", cmd_asm, "each variant's code in its walk loop, and the static key's bytes" },
	{ "footprint", cmd_footprint, "vmemmap bytes per TiB for each layout: arithmetic and measured" },
};

#define CH_NR_CMDS	ARRAY_SIZE(ch_cmds)

#ifdef CH_VERIFY_ONLY
/*
 * chbench-verify links no jansson (a static arm64 one would need
 * libjansson-dev:arm64), so list and footprint have no --json here: the
 * JSON builders are the full chbench's alone. main() refuses --json
 * before any work; these stand in for the builders at link time.
 */
#define CH_NO_JSON	"--json is the full chbench's: chbench-verify links no JSON library"

int ch_list_print_json(void)
{
	return ch_usage_error("list: " CH_NO_JSON);
}

int ch_fp_print_json(const struct ch_fp_table *t, int nr, bool agree)
{
	(void)t, (void)nr, (void)agree;
	return ch_usage_error("footprint: " CH_NO_JSON);
}
#endif

static const char *cmd_list_str(void)
{
	static char buf[256];
	size_t off = 0, i;

	for (i = 0; i < CH_NR_CMDS; i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s",
				i ? ", " : "", ch_cmds[i].name);
	return buf;
}

static int usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: chbench <command> [options]\n\ncommands:\n");
	for (i = 0; i < CH_NR_CMDS; i++)
		fprintf(out, "  %-10s %s\n", ch_cmds[i].name, ch_cmds[i].desc);
	fprintf(out, "\nSee README.md for the options of each command.\n");
	return 0;
}

/* PATH_MAX: the longest --out a run can use; nothing else is as long */
#define CH_MAX_ARG	4096

int main(int argc, char **argv)
{
	size_t i;
	int a;

	/* refused whole, so no message echoes 100 KB or loses its reason */
	for (a = 1; a < argc; a++)
		if (strlen(argv[a]) >= CH_MAX_ARG)
			return ch_usage_error("argument %d is %zu bytes long ('%.32s...'); no chbench argument takes more than %d",
					      a, strlen(argv[a]), argv[a],
					      CH_MAX_ARG - 1);
	if (argc < 2)
		return usage(stderr), 2;
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h"))
		return usage(stdout);
#ifdef CH_VERIFY_ONLY
	for (a = 2; a < argc && strcmp(argv[a], "--"); a++)
		if (!strncmp(argv[a], "--json", strlen(argv[a])) &&
		    strlen(argv[a]) > 3)
			return ch_usage_error("%s: " CH_NO_JSON, argv[1]);
#endif
	for (i = 0; i < CH_NR_CMDS; i++)
		if (!strcmp(argv[1], ch_cmds[i].name))
			return ch_cmds[i].fn(argc - 1, argv + 1);
	return ch_usage_error("unknown command '%s'; valid: %s", argv[1],
			      cmd_list_str());
}

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
	const struct ch_cmd_help *help;
} ch_cmds[] = {
	{ "list", cmd_list, &ch_list_help },
	{ "verify", cmd_verify, &ch_verify_help },
#ifndef CH_VERIFY_ONLY	/* chbench-verify: no Google Benchmark, no libpfm4 */
	{ "bench", cmd_bench, &ch_bench_help },
	{ "run", cmd_run, &ch_run_help },
	{ "sim", cmd_sim, &ch_sim_help },
	{ "sweep", cmd_sweep, &ch_sweep_help },
	{ "kernel", cmd_kernel, &ch_kernel_help },
	{ "aa", cmd_aa, &ch_aa_help },
	{ "cases", cmd_cases, &ch_cases_help },
	{ "compare", cmd_compare, &ch_compare_help },
	{ "stats", cmd_stats, &ch_stats_help },
	{ "lock", cmd_lock, &ch_lock_help },
#endif
	{ "asm", cmd_asm, &ch_asm_help },
	{ "footprint", cmd_footprint, &ch_footprint_help },
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
		fprintf(out, "  %-10s %s\n", ch_cmds[i].name,
			ch_cmds[i].help->summary);
	fprintf(out, "\nchbench CMD --help: the options of CMD, what each means, its default.\n");
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

// SPDX-License-Identifier: GPL-2.0
/*
 * chbench: measure variants of the kernel's compound_head() against each
 * other, on an emulated vmemmap with real HVO aliasing.
 */
#include <stdio.h>
#include <string.h>

#include "commands/cmds.h"
#include "inspect/footprint.h"
#include "commands/opts.h"
#include "lib/util.h"
#include "lib/scnprintf.h"

/*
 * A command whose object is not linked in is left out: chbench-verify
 * (make arm64) links only list, verify, asm and footprint, which need
 * neither Google Benchmark nor libpfm4. Hence the weak references.
 */
#define CH_CMD(name)							\
	int cmd_##name(int argc, char **argv) __attribute__((weak));	\
	extern const struct ch_cmd_help ch_##name##_help __attribute__((weak))
CH_CMD(list); CH_CMD(verify); CH_CMD(bench); CH_CMD(run); CH_CMD(sim);
CH_CMD(sweep); CH_CMD(kernel); CH_CMD(aa); CH_CMD(cases); CH_CMD(compare);
CH_CMD(stats); CH_CMD(lock); CH_CMD(asm); CH_CMD(footprint);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const struct ch_cmd_help *help;
} ch_all_cmds[] = {
	{ "list", cmd_list, &ch_list_help },
	{ "verify", cmd_verify, &ch_verify_help },
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
	{ "asm", cmd_asm, &ch_asm_help },
	{ "footprint", cmd_footprint, &ch_footprint_help },
};

#define CH_NR_CMDS	ARRAY_SIZE(ch_all_cmds)
#define ch_cmd_built(i)	(ch_all_cmds[i].fn != NULL)

/*
 * The JSON builders (report/) link jansson, which chbench-verify does
 * not (a static arm64 one would need libjansson-dev:arm64), so there
 * list and footprint have no --json: main() refuses it before any work.
 */
#define CH_NO_JSON	"--json is the full chbench's: chbench-verify links no JSON library"

static const char *cmd_list_str(void)
{
	static char buf[256];
	size_t off = 0, i;

	for (i = 0; i < CH_NR_CMDS; i++)
		if (ch_cmd_built(i))
			off += scnprintf(buf + off, sizeof(buf) - off, "%s%s",
					 off ? ", " : "", ch_all_cmds[i].name);
	return buf;
}

static int usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: chbench <command> [options]\n\ncommands:\n");
	for (i = 0; i < CH_NR_CMDS; i++)
		if (ch_cmd_built(i))
			fprintf(out, "  %-10s %s\n", ch_all_cmds[i].name,
				ch_all_cmds[i].help->summary);
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
	for (a = 2; !ch_list_print_json && a < argc && strcmp(argv[a], "--");
	     a++)
		if (!strncmp(argv[a], "--json", strlen(argv[a])) &&
		    strlen(argv[a]) > 3)
			return ch_usage_error("%s: " CH_NO_JSON, argv[1]);
	for (i = 0; i < CH_NR_CMDS; i++)
		if (ch_cmd_built(i) && !strcmp(argv[1], ch_all_cmds[i].name))
			return ch_all_cmds[i].fn(argc - 1, argv + 1);
	return ch_usage_error("unknown command '%s'; valid: %s", argv[1],
			      cmd_list_str());
}

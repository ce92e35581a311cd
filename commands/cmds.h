/* SPDX-License-Identifier: GPL-2.0 */
/* The chbench commands; each takes argv with argv[0] = its name. */
#ifndef CH_CMDS_H
#define CH_CMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int cmd_list(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_asm(int argc, char **argv);
int cmd_footprint(int argc, char **argv);
int cmd_kernel(int argc, char **argv);
int cmd_kbench(int argc, char **argv);
int cmd_kpaths(int argc, char **argv);
int cmd_aa(int argc, char **argv);
int cmd_cases(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_lock(int argc, char **argv);

/*
 * list --json (commands/list_json.c): print the document; 0, or -EIO. Weak:
 * NULL in chbench-verify, which links no JSON library.
 */
int ch_list_print_json(void) __attribute__((weak));

/* A command at any level: chbench's, chbench kernel's, chbench sweep's. */
struct ch_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);	/* NULL: not linked in */
	const struct ch_cmd_help *help;		/* usage, summary */
};

/* The commands of one level, and what its messages call them. */
struct ch_cmd_set {
	const char *prefix;	/* "kernel: ", or "" at the top */
	const char *what;	/* "command", "subcommand", "sweep" */
	const struct ch_cmd *cmd;
	size_t nr;
};

/* "a, b, c" (@sep ", ") or "a|b|c": the commands of @s linked in */
const char *ch_cmd_names(const struct ch_cmd_set *s, const char *sep,
			 char *buf, size_t len);
/* The command of @s that argv[1] names, run with argv[1..]; or 2 after
 * "unknown command 'X'; valid: ..." */
int ch_cmd_dispatch(const struct ch_cmd_set *s, int argc, char **argv);

/* Each command's --help: its usage, its summary (chbench --help's too). */
struct ch_cmd_help;
extern const struct ch_cmd_help ch_list_help, ch_verify_help, ch_run_help,
	ch_bench_help, ch_sim_help, ch_sweep_help, ch_asm_help,
	ch_footprint_help, ch_kernel_help, ch_aa_help, ch_kbench_help,
	ch_kpaths_help,
	ch_cases_help, ch_compare_help, ch_stats_help, ch_lock_help;

/*
 * What the --help of bench, aa, the sweeps and kernel bench and paths
 * says of the options they share through ch_bench_opts_set().
 */
/* bench's and aa's --mem: the DRAM-sized memmap's */
#define CH_BENCH_OPT_MEM						\
	OPT_PARENT("mem",						\
		   .help = "the RAM of the DRAM-sized memmap (the other: 64M)")
#define CH_BENCH_OPT_CPU						\
	OPT_PARENT("cpu", .def = "the last CPU it may use")
#define CH_BENCH_OPT_INSTANCING						\
	OPT_PARENT("instances", .def = CH_STRINGIFY(CH_INSTANCES) "; "	\
		   CH_STRINGIFY(CH_INSTANCES_QUICK) " with --quick"),	\
	OPT_PARENT("reps-per-instance", .def = CH_STRINGIFY(CH_REPS)	\
		   "; " CH_STRINGIFY(CH_REPS_QUICK) " with --quick")
/* Google Benchmark's flags, checked by bench/gbench.cc before it runs */
#define CH_BENCH_OPT_GB(args)						\
	OPT_PASSTHROUGH("benchmark_*", args,				\
			"Google Benchmark's flags, passed on (--benchmark_repetitions=R is --reps-per-instance R)")

struct ch_opts;
struct ch_opt_args;
struct ch_option;
struct ch_scenario;
struct ch_bench_opts;
/* bench's default suite; *cases is allocated; how many, or -1 */
int ch_bench_suite(const struct ch_opts *o, struct ch_scenario **cases);
/*
 * bench's options, and aa's: argv (left as it is, for the record) by the
 * table @t, which binds @o, @gb and the command's own fields, into @o
 * and @bo; @copy holds argc + 1. 0, or 2 after a message.
 */
int ch_bench_parse(const char *cmd, int argc, char **argv,
		   const struct ch_option *t, const struct ch_cmd_help *help,
		   struct ch_opts *o, struct ch_bench_opts *bo,
		   struct ch_opt_args *gb, char **copy);

/*
 * kernel bench's HugeTLB check (commands/cmd_kbench.c): @need 2 MiB pages
 * against @nr_free (-1: unknown); 0, or 2 with one line in @err, whose
 * advice names no option already given (@quick).
 */
int ch_kbench_hugetlb_advice(uint64_t need, long nr_free, bool quick,
			     char *err, size_t len);

#endif /* CH_CMDS_H */

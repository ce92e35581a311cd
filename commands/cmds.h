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
 * list --json (report/list_json.c): print the document; 0, or -EIO. Weak:
 * NULL in chbench-verify, which links no JSON library.
 */
int ch_list_print_json(void) __attribute__((weak));

/* Each command's --help: its usage, its summary (chbench --help's too). */
struct ch_cmd_help;
extern const struct ch_cmd_help ch_list_help, ch_verify_help, ch_run_help,
	ch_bench_help, ch_sim_help, ch_sweep_help, ch_asm_help,
	ch_footprint_help, ch_kernel_help, ch_aa_help, ch_kbench_help,
	ch_kpaths_help,
	ch_cases_help, ch_compare_help, ch_stats_help, ch_lock_help;

/* move --benchmark_* flags from argv to gb_argv; returns the new argc */
int ch_split_gb_flags(int argc, char **argv, int *gb_argc, char **gb_argv);

struct ch_opts;
struct ch_scenario;
struct ch_bench_opts;
/* bench's default suite; *cases is allocated; how many, or -1 */
int ch_bench_suite(const struct ch_opts *o, struct ch_scenario **cases);
/* bench's options (and @extra) into o and bo; 0, or 2 after a message */
int ch_bench_parse(const char *cmd, int argc, char **argv,
		   unsigned int extra, const struct ch_cmd_help *help,
		   struct ch_opts *o, struct ch_bench_opts *bo, char **copy,
		   char **gb_argv);

/*
 * kernel bench's HugeTLB check (commands/cmd_kbench.c): @need 2 MiB pages
 * against @nr_free (-1: unknown); 0, or 2 with one line in @err, whose
 * advice names no option already given (@quick).
 */
int ch_kbench_hugetlb_advice(uint64_t need, long nr_free, bool quick,
			     char *err, size_t len);

#endif /* CH_CMDS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* The chbench commands; each takes argv with argv[0] = its name. */
#ifndef CH_CMDS_H
#define CH_CMDS_H

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

/* move --benchmark_* flags from argv to gb_argv; returns the new argc */
int ch_split_gb_flags(int argc, char **argv, int *gb_argc, char **gb_argv);

#endif /* CH_CMDS_H */

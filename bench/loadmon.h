/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine's state before and after each round of a timing run, to
 * flag the rounds that ran under foreign load. Read between rounds,
 * never inside one, from /proc (through lib/sysfs.c, so that
 * $CHBENCH_SYSROOT fakes it) and getrusage():
 *
 *   /proc/loadavg     the 1-minute load average (recorded)
 *   /proc/stat        procs_running (recorded); the pinned CPU's line,
 *                     or without a pin the "cpu" line of all of them:
 *                     busy ticks (user, nice, system, irq, softirq) and
 *                     steal ticks
 *   getrusage()       this process's own CPU time
 *
 * Over a round of wall time W on C CPUs (1 when pinned):
 *
 *   foreign = (busy - own - 2 ticks per CPU) / (C * W)
 *   steal   = steal / (C * W)
 *
 * busy less our own time is what other tasks and interrupts took of the
 * CPU; /proc/stat counts whole ticks, so two ticks are granted to its
 * rounding. A round is flagged when foreign exceeds CH_LOAD_FOREIGN_MAX
 * or steal exceeds CH_LOAD_STEAL_MAX: time the timed loops may have
 * waited through, of the order of the differences being measured.
 */
#ifndef CH_LOADMON_H
#define CH_LOADMON_H

#include <stdbool.h>
#include <stdio.h>

#include "report/json.h"
#include "vmemmap/scenario.h"

#define CH_LOAD_FOREIGN_MAX	0.10
#define CH_LOAD_STEAL_MAX	0.05
#define CH_LOAD_TICK_SLACK	2	/* ticks a CPU: /proc/stat rounds */

struct ch_load_sample {
	double wall;			/* CLOCK_MONOTONIC, s */
	double own;			/* this process's CPU time, s */
	double loadavg;			/* 1 minute; < 0: unknown */
	int running;			/* procs_running; < 0: unknown */
	long long busy, steal;		/* ticks; busy < 0: unknown */
	int ncpus;			/* the CPUs busy and steal cover */
};

struct ch_load_round {
	struct ch_load_sample before, after;
	double wall, own;		/* s */
	double foreign, steal;		/* of C * wall; < 0: unknown */
	bool flagged;
	char why[160];			/* what flagged it, or "" */
};

struct ch_loadmon {
	int cpu;			/* the pinned CPU, -1: all of them */
	long hz;			/* /proc/stat's ticks per second */
	int nr;				/* rounds sampled */
	struct ch_load_round round[CH_MAX_INSTANCES];
};

/* Before the first round: @cpu is the pinned CPU, or -1. */
void ch_loadmon_init(struct ch_loadmon *lm, int cpu);

/* The state now; @cpu as above. */
void ch_load_sample(struct ch_load_sample *s, int cpu);

/* Around round @k (0 to CH_MAX_INSTANCES - 1): right before, right after. */
void ch_loadmon_before(struct ch_loadmon *lm, int k);
void ch_loadmon_after(struct ch_loadmon *lm, int k);

/* A round's figures and verdict from its two samples. */
void ch_load_judge(struct ch_load_round *r, int cpu, long hz);

/*
 * One "chbench: warning: round K of N ran under foreign load: ..." line
 * per flagged round. Returns how many were flagged.
 */
int ch_loadmon_warn(const struct ch_loadmon *lm, FILE *out);

/* metadata.json's "load": the limits, the verdict, every round. */
json_t *ch_loadmon_json(const struct ch_loadmon *lm);

#endif /* CH_LOADMON_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a suite of scenarios through Google Benchmark, with perf
 * counters around each timed loop, into a fresh results directory:
 *
 *   results/<date>-<host>[-tag][-N]/
 *     bench.json     Google Benchmark's JSON, every repetition, each with
 *                    its "instance"; per instance, its aggregates
 *     metadata.json  machine, build, noise sources, PMU, walk code shape,
 *                    instances, and per case both levels of spread
 *     table.txt      the compact table printed at the end
 *
 * Every case runs on --instances memmap instances, --reps-per-instance
 * repetitions on each.  Instance k of every case runs in round k: a fresh
 * memmap for each (see struct ch_scenario), and within the round Google
 * Benchmark interleaves the repetitions of all cases at random.  Round 0
 * calibrates; the later ones run the iterations it found.
 */
#ifndef CH_BENCH_H
#define CH_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report/json.h"
#include "vmemmap/scenario.h"

/*
 * Where the cases run. NULL: the emulation (ch_scenario_prepare()). The
 * kernel side (chbench kernel bench) runs the same scenarios through
 * chbench.ko instead, and adds its own block to metadata.json.
 */
struct ch_bench_backend {
	const char *tag;	/* results/<date>-<host>-<tag> */
	/* metadata.json's command begins with it (NULL: the tag) */
	const char *command;
	int (*prepare)(const struct ch_scenario *sc, void **state,
		       char *err, size_t len);
	uint64_t (*batch)(void *state);
	/* adds its own keys to metadata.json's object */
	void (*metadata)(json_t *meta);
	/* printed above the table, e.g. that the timings come from a VM */
	const char *label;
	/* the state prepare() gets for cases[i] */
	void **states;
	/* the A/A control's two arms and their states, or NULL: none */
	const struct ch_scenario *control;
	void *control_states[2];
	/* before round k: make instance k (fresh memory); 0, or -errno */
	int (*instance)(int k, char *err, size_t len);
	/*
	 * Optional, untimed and uncounted, around each batch: fresh
	 * memory for it, and its release with the checks of what the
	 * batch did (0, or nonzero after a message: the case fails).
	 */
	int (*setup)(void *state, char *err, size_t len);
	int (*teardown)(void *state, char *err, size_t len);
	/* > 0: every case runs this many batches, none calibrated */
	int64_t iterations;
	/* ops_per_batch of cases[i] and of the control (0: the walk's) */
	uint64_t (*ops)(void *state);
};

/*
 * Instances and repetitions on each.  --quick: three instances, enough
 * for Welch's test, one repetition each (the within-instance spread is
 * then not measured) of at least 5 ms, to stay under a minute here with
 * three memmaps built for every one before; otherwise five of two, of at
 * least 50 ms.
 */
#define CH_INSTANCES		5
#define CH_REPS			2
#define CH_INSTANCES_QUICK	3
#define CH_REPS_QUICK		1

struct ch_bench_opts {
	const char *kind;	/* "bench", "sweep-mem", "sweep-tail" */
	const char *note;	/* printed as a note once the input is valid */
	bool quick;
	int cpu;		/* -1: pick the last CPU we may run on */
	const char *events;
	const char *out;	/* parent directory, default "results" */
	int instances;		/* memmap instances per case */
	int reps;		/* repetitions per instance */
	bool reseed;		/* instance k: seed + k (placement, walk) */
	bool quiet;		/* no progress on stderr */
	bool control;		/* add the A/A control's two arms */
	bool aa;		/* the cases are A/A pairs: arm a, arm b, ... */
	bool allow_concurrent;	/* time beside another run (runlock.h) */
	int argc;		/* the command line, for the record ... */
	char **argv;
	int gb_argc;		/* ... and the Google Benchmark flags */
	char **gb_argv;
	const struct ch_bench_backend *backend;	/* NULL: the emulation */
};

/*
 * 0 when every case ran and was saved; CH_BENCH_FAILED when the run went
 * but a case failed or nothing of it could be kept (the command exits 1);
 * a negative errno after a message on bad input, a limit, or results
 * that cannot be published (the command exits 2, as for bad input).
 */
#define CH_BENCH_FAILED	1
int ch_bench_run(struct ch_scenario *cases, int nr,
		 const struct ch_bench_opts *bo);

#endif /* CH_BENCH_H */

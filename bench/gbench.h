/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A C face for Google Benchmark (libbenchmark 1.7.1).
 *
 * Google Benchmark does the calibration, the repetitions and their
 * aggregates, random interleaving, filters and the JSON output; its
 * --benchmark_* flags are passed straight through.  This shim only turns a
 * C case (prepare, timed batch, counter hooks) into a benchmark, and hands
 * each result back to C.
 *
 * Every case reports, in the JSON:
 *   "ns/op"              wall-clock nanoseconds per op (one batch is
 *                        ops_per_batch ops; the time is real time)
 *   "items_per_second"   ops per second
 *   "<name>/op"          each counter counters_stop() returned, per op
 *   "instance"           the case's instance (see ch_gb_round())
 * and to the callback: ns_per_op and the counters (named "<name>").
 * Benchmark names in the JSON end in "/real_time" (Google Benchmark adds it
 * to every case timed in real time), before which a case given a fixed
 * iteration count has "/iterations:N"; the names given to the callback
 * have neither.
 */
#ifndef CH_GBENCH_H
#define CH_GBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Most counters one case may return from counters_stop(). */
#define CH_GB_MAX_COUNTERS	16

struct ch_gb_counter {
	const char *name;
	double value;	/* per op; a total when counters_stop() fills it */
};

struct ch_gb_case {
	/* readable: walk/mask-branchless/as-compiled/hvo-shared-tail/... */
	const char *name;
	void *arg;
	/* one benchmark iteration is one batch of this many ops (>= 1) */
	uint64_t ops_per_batch;
	/*
	 * Optional, untimed: called every time Google Benchmark runs the case,
	 * before the timed loop.  Return 0, or nonzero after writing a message
	 * to err (len bytes) to report the case as an error and skip it.
	 */
	int (*prepare)(void *arg, char *err, size_t len);
	/*
	 * Optional, untimed (the clock paused around them): before each
	 * iteration, e.g. fresh memory to operate on, and after it, its
	 * release. Nonzero, after a message in err: the case is an error.
	 */
	int (*setup)(void *arg, char *err, size_t len);
	int (*teardown)(void *arg, char *err, size_t len);
	/* timed: one iteration; the return value is consumed (DoNotOptimize) */
	uint64_t (*batch)(void *arg);
	/* optional, untimed: right before the timed loop (perf counters) */
	void (*counters_start)(void *arg);
	/*
	 * Optional, untimed: right after the timed loop.  Fill up to max
	 * counters with TOTALS over the whole loop and return how many; the
	 * shim divides them by iterations * ops_per_batch.  A counter that is
	 * not available is left out, never returned as 0.
	 */
	int (*counters_stop)(void *arg, struct ch_gb_counter *out, int max);
	/* which instance this run of the case measures; in the JSON as is */
	int instance;
	/* > 0: run this many iterations instead of calibrating */
	int64_t iterations;
};

/*
 * Parse Google Benchmark's own --benchmark_* flags and remove them from argv
 * (argc is updated); other arguments stay, in order, for the caller.
 * --help and -help are left for the caller too (Google Benchmark would print
 * its usage and exit).
 * Returns 0, or -EINVAL after printing one line to stderr for an unknown
 * --benchmark_ flag or a bad value.
 */
int ch_gb_init(int *argc, char **argv);

/* Register one case; *c must stay alive until the round that runs it ends. */
void ch_gb_register(const struct ch_gb_case *c);

/* Add key: value to the "context" block of the report (CPU, compiler...). */
void ch_gb_add_context(const char *key, const char *value);

struct ch_gb_result {
	/* case name, plus _mean, _median, _stddev or _cv for an aggregate */
	const char *name;
	/* "" for one repetition, else "mean", "median", "stddev" or "cv" */
	const char *aggregate;
	const struct ch_gb_case *c;	/* the registered case */
	bool error;
	const char *error_msg;		/* "" unless error */
	/* for "cv", ns_per_op and the counters are fractions (stddev/mean) */
	double ns_per_op;
	int nr_counters;
	const struct ch_gb_counter *counters; /* per op, names as given */
	int64_t iterations;		/* for aggregates: repetitions */
	int repetition_index;		/* -1 for aggregates */
	int instance;			/* the case's, when it ran */
};

/* Valid only during the call: copy what you keep. */
typedef void (*ch_gb_result_fn)(const struct ch_gb_result *r, void *arg);

/*
 * Before anything runs, and before the caller creates anything: is the
 * --benchmark_out file writable, and how many registered cases does the
 * filter select? Returns that count; 0 with a one-line message in err
 * (no "chbench: ") when the filter selects none or does not compile;
 * -1 with a message when the out file cannot be written. With
 * --benchmark_list_tests it prints the selected names on stdout.
 */
int ch_gb_preflight(char *err, size_t len);
/* Forget every registered case (after the preflight, before a round). */
void ch_gb_forget(void);
/* 0, or -errno with a message: can --benchmark_out (if given) be written? */
int ch_gb_check_out(char *err, size_t len);
/* --benchmark_list_tests was given: list, run nothing */
bool ch_gb_list_only(void);
/*
 * Several runs into one report, for cases measured on several instances:
 * ch_gb_begin() opens the reporters, each ch_gb_round() runs the cases
 * registered since the last round (Google Benchmark's repetitions and
 * random interleaving within it) and then forgets them, and ch_gb_end()
 * closes the JSON: one document, one context, every round's runs.
 *
 * display_fn, if not NULL, replaces Google Benchmark's console output; the
 * file named by --benchmark_out is written as usual, and Google
 * Benchmark's JSON for every run also goes to json_path (if not NULL),
 * whatever --benchmark_out says. If the user gave --benchmark_format,
 * Google Benchmark's reporter in that format prints, and display_fn still
 * gets every result.
 *
 * ch_gb_round() returns how many benchmarks ran (0 if the filter matched
 * none or did not compile; Google Benchmark says which on stderr), or -1
 * after printing why; ch_gb_end() 0, or -1 after printing why.
 */
int ch_gb_begin(ch_gb_result_fn display_fn, void *arg, const char *json_path);
int ch_gb_round(void);
int ch_gb_end(void);
/* Did the user pass --benchmark_format? */
bool ch_gb_user_format(void);
/* Call last: forgets the registered cases and the context. */
void ch_gb_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* CH_GBENCH_H */

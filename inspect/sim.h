/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Simulated counters, for machines without a PMU: run "chbench run" under
 * valgrind's callgrind with cache and branch simulation, count only the
 * measured walk function (--toggle-collect), and read the totals back.
 *
 * The cache geometry is fixed rather than read from CPUID, so the same
 * seed gives the same counts on every machine, and a VM that reports odd
 * caches (a 256 MiB direct-mapped LL is not rare) cannot skew them.
 */
#ifndef CH_SIM_H
#define CH_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* size,associativity,line size, as valgrind's --I1/--D1/--LL take them */
#define CH_SIM_I1	"32768,8,64"
#define CH_SIM_D1	"32768,8,64"
#define CH_SIM_LL	"33554432,16,64"

#define CH_SIM_MODEL							\
	"I1 and D1 32 KiB 8-way, LL 32 MiB 16-way, 64 B lines, LRU; "	\
	"conditional branches predicted by 16384 2-bit counters "	\
	"indexed by address and global history"
/* valgrind's caches are tagged by virtual address: aliases never share */
#define CH_SIM_LACKS							\
	"no TLB, no hardware prefetcher, no out-of-order or speculative " \
	"execution, a simple (2004-era) branch predictor, and caches "	\
	"tagged by virtual address, so an HVO alias counts as memory of " \
	"its own and the layouts' smaller footprint does not show"

/* sim's --ops when none is given: enough to average, quick under valgrind */
#define CH_SIM_DEFAULT_OPS	65536

/* callgrind's event names, in the order of enum ch_sim_event */
enum ch_sim_event {
	CH_SIM_IR,		/* instructions executed */
	CH_SIM_BC,		/* conditional branches */
	CH_SIM_BCM,		/* conditional branches mispredicted */
	CH_SIM_D1MR,		/* D1 read misses */
	CH_SIM_D1MW,		/* D1 write misses */
	CH_SIM_DLMR,		/* LL data read misses */
	CH_SIM_DLMW,		/* LL data write misses */
	CH_SIM_NR_EVENTS,
};

extern const char *const ch_sim_event_names[CH_SIM_NR_EVENTS];

struct ch_sim_result {
	uint64_t ev[CH_SIM_NR_EVENTS];	/* totals, walk function only */
	char tool[64];			/* "callgrind-3.19.0" */
	bool sym_seen;			/* the walk function was profiled */
	/* from the JSON of the "chbench run" that ran under valgrind */
	uint64_t ops;
	bool key;
	char walk_function[128];
};

/*
 * Find valgrind: $VALGRIND if set (a path, or a name looked up in PATH),
 * else "valgrind" in PATH. 0, or -ENOENT with a one-line message naming
 * the Debian package.
 */
int ch_sim_find_valgrind(char *path, size_t plen, char *err, size_t len);

/*
 * Read a callgrind output file: the event totals and whether @sym (or a
 * .cold/.part piece of it) appears as a function. 0, or -EBADMSG with a
 * message.
 */
int ch_sim_parse_callgrind(FILE *f, const char *sym, struct ch_sim_result *r,
			   char *err, size_t len);

/* Fill ops, key and walk_function from run's --json object. 0, -EBADMSG. */
int ch_sim_parse_run_json(const char *json, struct ch_sim_result *r,
			  char *err, size_t len);

/*
 * Run this binary's "run" command with @run_args (NULL-terminated, after
 * "run"; --json is added) under callgrind, counting only @sym, with
 * address-space randomisation off. 0, or a negative errno with a one-line
 * message (run's own error when it refused, valgrind's last words when it
 * failed: -EIO).
 * @prog, if not NULL, is updated while valgrind runs.
 */
struct ch_progress;
int ch_sim_run(const char *valgrind, const char *const *run_args,
	       const char *sym, struct ch_sim_result *r, char *err,
	       size_t len, struct ch_progress *prog);

#endif /* CH_SIM_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Performance counters around the measured loop, through perf_event_open(2)
 * with event names resolved by libpfm4.
 *
 * Every event is its own group leader, counts user mode only, and is scaled
 * for multiplexing on read. An event the kernel cannot give us (no PMU, as
 * in most VMs; not allowed by perf_event_paranoid; unsupported by this CPU)
 * is *absent*: it stays in the set so columns line up, but its value is NaN,
 * never 0, and pmu->why says once, in one line, why.
 */
#ifndef CH_HARNESS_PMU_H
#define CH_HARNESS_PMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CH_PMU_MAX_EVENTS	16

/* The set used when the list is NULL or "default" (perf-tool names). */
#define CH_PMU_DEFAULT_EVENTS \
	"cycles,instructions,branches,branch-misses," \
	"L1-dcache-load-misses,LLC-load-misses,dTLB-load-misses"

/*
 * The perf-style names chbench maps itself (any libpfm4 event is taken
 * too): how many, and the i-th (NULL out of range), in a fixed order.
 */
extern const int ch_pmu_nr_known;
const char *ch_pmu_known(int i);
/*
 * The short label the tables print for event @name ("insns" for
 * instructions); @name itself when it has none.
 */
const char *ch_pmu_label(const char *name);

struct ch_pmu_event {
	char name[64];		/* display name as given, e.g. "cycles" */
	char spec[128];		/* libpfm4 string that was encoded */
	uint32_t type;		/* perf_event_attr.type/config, for metadata */
	uint64_t config;
	int fd;			/* -1 when absent */
	bool absent;
	int err;		/* errno from perf_event_open, 0 if opened */
	uint64_t raw, enabled, running;
	double value;		/* scaled; NAN when absent or never ran */
	double running_frac;	/* running/enabled; NAN when absent */
};

struct ch_pmu {
	int nr;
	struct ch_pmu_event ev[CH_PMU_MAX_EVENTS];
	char why[256];		/* one line; "" if every event counted */
	char why_open[256];	/* the part of why known at open time */
};

/*
 * Parse the comma list @events (NULL or "default" for the default set; the
 * word "default" may also appear inside a list) and open one counter per
 * event. Returns 0, also when some or all events are absent (see pmu->why),
 * or -EINVAL with a one-line message in @err for bad input: an event libpfm4
 * cannot parse, an empty list or name, more than CH_PMU_MAX_EVENTS events.
 * On error nothing is left open and ch_pmu_close() is still safe.
 */
int ch_pmu_open(struct ch_pmu *pmu, const char *events, char *err,
		size_t errlen);

/* Reset and enable every present counter: two ioctls per event. */
void ch_pmu_start(struct ch_pmu *pmu);

/* Disable every present counter, then read and scale (value, running_frac). */
void ch_pmu_stop(struct ch_pmu *pmu);

/*
 * Between ch_pmu_start() and ch_pmu_stop(): stop counting, and go on,
 * around untimed work inside the timed loop (one ioctl per event).
 */
void ch_pmu_pause(struct ch_pmu *pmu);
void ch_pmu_resume(struct ch_pmu *pmu);

void ch_pmu_close(struct ch_pmu *pmu);

/*
 * Probe for a usable hardware PMU without keeping an fd: open
 * PERF_COUNT_HW_INSTRUCTIONS user-only and check it counts a few
 * instructions. On false, @why holds a one-line reason.
 */
bool ch_pmu_hw_available(char *why, size_t len);

/*
 * One-line reason for perf_event_open(@name) failing with errno @err.
 * @paranoid is kernel.perf_event_paranoid, or CH_PARANOID_UNKNOWN; it only
 * matters for EACCES/EPERM. Exposed so the wording can be tested.
 */
void ch_pmu_open_failure_reason(char *buf, size_t len, const char *name,
				int err, int paranoid);

/*
 * What the counters count: user mode (the emulation's loops), or kernel
 * mode (chbench kernel: the loop runs inside chbench.ko), which needs
 * root or kernel.perf_event_paranoid <= 1. Set before ch_pmu_open().
 */
extern bool ch_pmu_kernel_mode;

/*
 * The text report's counter lines, per op: "<event>/op  <value>
 * (<mode>running N%)", n/a for an absent one, then why counters are
 * missing. @totals[i] is event i's sum (NULL: its last value); @mode is
 * "" or e.g. "kernel mode, ".
 */
void ch_pmu_print_per_op(const struct ch_pmu *pmu, const double *totals,
			 double ops, const char *mode);

#endif /* CH_HARNESS_PMU_H */

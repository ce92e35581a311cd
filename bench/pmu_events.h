// SPDX-License-Identifier: GPL-2.0
/*
 * Internal to pmu.c and pmu_events.c: the requested events between the
 * comma list and perf_event_open(2), and the one-line message helper both
 * sides write their errors with.
 */
#ifndef CH_HARNESS_PMU_EVENTS_H
#define CH_HARNESS_PMU_EVENTS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct perf_event_attr;

/* A requested event before it is encoded: display name and libpfm4 string. */
struct ch_pmu_req {
	char name[64];
	char spec[128];
};

/*
 * Split the comma list @list into @req (up to CH_PMU_MAX_EVENTS), with
 * perf-style names mapped to libpfm4 strings and "default" expanded.
 * Returns 0, or -1 with a one-line message in @err.
 */
int ch_pmu_parse_events(const char *list, struct ch_pmu_req *req, int *nr,
			char *err, size_t errlen);

/* Start libpfm4: NULL, or its reason for not starting. */
const char *ch_pmu_pfm_init(void);

/*
 * Turn one libpfm4 string into a counting, user-only attr. Returns 0, or
 * -1 with the message in @err when the string is the user's mistake.
 */
int ch_pmu_encode(const struct ch_pmu_req *r, struct perf_event_attr *attr,
		  char *err, size_t errlen);

static inline void set_msg(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline void set_msg(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!buf || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

#endif /* CH_HARNESS_PMU_EVENTS_H */

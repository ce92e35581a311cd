// SPDX-License-Identifier: GPL-2.0
/*
 * Event names for the counters in pmu.c: the perf-style names mapped to
 * libpfm4 strings, the comma list parsed into requests, and each request
 * encoded by libpfm4 into a perf_event_attr, with one-line errors for names
 * it cannot use.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * The kernel's UAPI header first: libpfm4's own copy of perf_event.h steps
 * aside when it sees it, so both agree on one struct perf_event_attr.
 */
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>

#include "bench/pmu.h"
#include "bench/pmu_events.h"
#include "lib/util.h"

/*
 * perf-tool names mapped to libpfm4's generic "perf" PMU. libpfm4 happens
 * to accept some perf names as aliases too, but spelling out the perf::
 * event pins the encoding to the generic event even on machines where a
 * model-specific PMU is probed first and could claim a similar name.
 */
static const struct {
	const char *perf;
	const char *pfm;
} perf_aliases[] = {
	{ "cycles",		 "perf::PERF_COUNT_HW_CPU_CYCLES" },
	{ "cpu-cycles",		 "perf::PERF_COUNT_HW_CPU_CYCLES" },
	{ "instructions",	 "perf::PERF_COUNT_HW_INSTRUCTIONS" },
	{ "branches",		 "perf::PERF_COUNT_HW_BRANCH_INSTRUCTIONS" },
	{ "branch-instructions", "perf::PERF_COUNT_HW_BRANCH_INSTRUCTIONS" },
	{ "branch-misses",	 "perf::PERF_COUNT_HW_BRANCH_MISSES" },
	{ "cache-references",	 "perf::PERF_COUNT_HW_CACHE_REFERENCES" },
	{ "cache-misses",	 "perf::PERF_COUNT_HW_CACHE_MISSES" },
	{ "ref-cycles",		 "perf::PERF_COUNT_HW_REF_CPU_CYCLES" },
	{ "bus-cycles",		 "perf::PERF_COUNT_HW_BUS_CYCLES" },
	{ "stalled-cycles-frontend",
		"perf::PERF_COUNT_HW_STALLED_CYCLES_FRONTEND" },
	{ "stalled-cycles-backend",
		"perf::PERF_COUNT_HW_STALLED_CYCLES_BACKEND" },
	{ "L1-dcache-loads",	 "perf::PERF_COUNT_HW_CACHE_L1D:READ:ACCESS" },
	{ "L1-dcache-load-misses", "perf::PERF_COUNT_HW_CACHE_L1D:READ:MISS" },
	{ "L1-icache-load-misses", "perf::PERF_COUNT_HW_CACHE_L1I:READ:MISS" },
	{ "LLC-loads",		 "perf::PERF_COUNT_HW_CACHE_LL:READ:ACCESS" },
	{ "LLC-load-misses",	 "perf::PERF_COUNT_HW_CACHE_LL:READ:MISS" },
	{ "dTLB-loads",		 "perf::PERF_COUNT_HW_CACHE_DTLB:READ:ACCESS" },
	{ "dTLB-load-misses",	 "perf::PERF_COUNT_HW_CACHE_DTLB:READ:MISS" },
	{ "iTLB-load-misses",	 "perf::PERF_COUNT_HW_CACHE_ITLB:READ:MISS" },
	/* perf's own software accounting: works without any PMU */
	{ "task-clock",		 "perf::PERF_COUNT_SW_TASK_CLOCK" },
	{ "cpu-clock",		 "perf::PERF_COUNT_SW_CPU_CLOCK" },
	{ "page-faults",	 "perf::PERF_COUNT_SW_PAGE_FAULTS" },
	{ "minor-faults",	 "perf::PERF_COUNT_SW_PAGE_FAULTS_MIN" },
	{ "major-faults",	 "perf::PERF_COUNT_SW_PAGE_FAULTS_MAJ" },
	{ "context-switches",	 "perf::PERF_COUNT_SW_CONTEXT_SWITCHES" },
	{ "cpu-migrations",	 "perf::PERF_COUNT_SW_CPU_MIGRATIONS" },
};

/*
 * What the tables (chbench's and the report's) head an event's column or
 * row with, where the name is too long for it; any other: the name.
 */
static const struct {
	const char *perf;
	const char *label;
} short_labels[] = {
	{ "instructions",		"insns" },
	{ "branch-misses",		"br-miss" },
	{ "L1-dcache-load-misses",	"L1d-miss" },
	{ "LLC-load-misses",		"LLC-miss" },
	{ "dTLB-load-misses",		"dTLB-miss" },
};

const int ch_pmu_nr_known = ARRAY_SIZE(perf_aliases);

const char *ch_pmu_known(int i)
{
	return i >= 0 && i < ch_pmu_nr_known ? perf_aliases[i].perf : NULL;
}

const char *ch_pmu_label(const char *name)
{
	size_t i;

	/* as given: another spelling is its own label */
	for (i = 0; i < ARRAY_SIZE(short_labels); i++)
		if (!strcmp(short_labels[i].perf, name))
			return short_labels[i].label;
	return name;
}

#define HINT_VALID "use perf-style names (cycles, instructions, " \
	"branch-misses, ...) or any libpfm4 event (see showevtinfo)"

static const char *alias_of(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(perf_aliases); i++)
		if (!strcasecmp(perf_aliases[i].perf, name))
			return perf_aliases[i].pfm;
	return NULL;
}

/* Add one event; counts past the limit so the error can say how many. */
static int add_req(struct ch_pmu_req *req, int *nr, const char *tok,
		   size_t tlen, char *err, size_t errlen)
{
	char name[sizeof(req->spec)];
	const char *spec;

	if (tlen >= sizeof(name)) {
		set_msg(err, errlen,
			"event string too long (%zu chars, at most %zu): '%.40s...'",
			tlen, sizeof(name) - 1, tok);
		return -1;
	}
	memcpy(name, tok, tlen);
	name[tlen] = '\0';

	if (*nr < CH_PMU_MAX_EVENTS) {
		spec = alias_of(name);
		/* the name is shown as given; it may be cut at 63 chars */
		snprintf(req[*nr].name, sizeof(req[*nr].name), "%.*s",
			 (int)sizeof(req[*nr].name) - 1, name);
		snprintf(req[*nr].spec, sizeof(req[*nr].spec), "%s",
			 spec ? spec : name);
	}
	(*nr)++;
	return 0;
}

int ch_pmu_parse_events(const char *list, struct ch_pmu_req *req, int *nr,
			char *err, size_t errlen)
{
	static const char dfl[] = CH_PMU_DEFAULT_EVENTS;
	const char *p = list, *end, *s, *e;

	*nr = 0;
	for (s = list; *s == ' ' || *s == '\t'; s++)
		;
	if (!*s) {
		set_msg(err, errlen,
			"empty event list: give a comma list of events, or 'default'; "
			HINT_VALID);
		return -1;
	}

	for (;;) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		for (s = p; s < end && (*s == ' ' || *s == '\t'); s++)
			;
		for (e = end; e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		if (s == e) {
			set_msg(err, errlen,
				"empty event name in event list '%s'", list);
			return -1;
		}
		if ((size_t)(e - s) == 7 && !strncmp(s, "default", 7)) {
			const char *q = dfl, *qe;

			/* "default" may be combined with other events */
			for (;;) {
				qe = strchr(q, ',');
				if (!qe)
					qe = q + strlen(q);
				if (add_req(req, nr, q, qe - q, err, errlen))
					return -1;
				if (!*qe)
					break;
				q = qe + 1;
			}
		} else if (add_req(req, nr, s, e - s, err, errlen)) {
			return -1;
		}
		if (!*end)
			break;
		p = end + 1;
	}

	if (*nr > CH_PMU_MAX_EVENTS) {
		set_msg(err, errlen,
			"too many events: %d given, at most %d (each takes its own counter)",
			*nr, CH_PMU_MAX_EVENTS);
		return -1;
	}
	return 0;
}

const char *ch_pmu_pfm_init(void)
{
	int ret = pfm_initialize();

	return ret == PFM_SUCCESS ? NULL : pfm_strerror(ret);
}

/*
 * Turn one libpfm4 string into a counting, user-only attr. Returns 0, or
 * -1 with the message in @err when the string is the user's mistake.
 */
bool ch_pmu_kernel_mode;

int ch_pmu_encode(const struct ch_pmu_req *r, struct perf_event_attr *attr,
		  char *err, size_t errlen)
{
	pfm_perf_encode_arg_t arg;
	int ret;

	memset(attr, 0, sizeof(*attr));
	memset(&arg, 0, sizeof(arg));
	arg.attr = attr;
	arg.size = sizeof(arg);
	ret = pfm_get_os_event_encoding(r->spec,
					ch_pmu_kernel_mode ? PFM_PLM0 : PFM_PLM3,
					PFM_OS_PERF_EVENT_EXT, &arg);
	if (ret != PFM_SUCCESS) {
		set_msg(err, errlen, "%s event '%s': libpfm4 says '%s'; "
			HINT_VALID,
			ret == PFM_ERR_NOTFOUND ? "unknown" : "bad",
			r->name, pfm_strerror(ret));
		return -1;
	}
	/*
	 * An explicit ":k=1" or ":u=0" would leave nothing to count once
	 * the kernel is excluded below; better to say so than print zeros.
	 */
	if (ch_pmu_kernel_mode) {
		if (attr->exclude_kernel) {
			set_msg(err, errlen,
				"event '%s' excludes kernel mode, but chbench.ko's loop runs in kernel mode only; drop its :k/:u modifiers",
				r->name);
			return -1;
		}
	} else if (attr->exclude_user) {
		set_msg(err, errlen,
			"event '%s' excludes user mode, but the measured loop runs in user mode only; drop its :k/:u modifiers",
			r->name);
		return -1;
	}

	attr->size = sizeof(*attr);
	attr->exclude_kernel = !ch_pmu_kernel_mode;
	attr->exclude_user = ch_pmu_kernel_mode;
	attr->exclude_hv = 1;
	attr->disabled = 1;
	attr->inherit = 0;
	attr->read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			    PERF_FORMAT_TOTAL_TIME_RUNNING;
	/*
	 * We count, never sample: a period=/freq= modifier would arm
	 * overflow interrupts in the middle of the loop.
	 */
	attr->sample_period = 0;
	attr->freq = 0;
	attr->sample_type = 0;
	return 0;
}

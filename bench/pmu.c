// SPDX-License-Identifier: GPL-2.0
/*
 * Performance counters for the measured loop.
 *
 * Event strings are resolved by libpfm4 in pmu_events.c (so any event it
 * knows works, from perf's generic events to model-specific ones) and
 * opened here with perf_event_open(2), one group leader per event: the
 * default set has more hardware events than some PMUs have counters, and
 * separate leaders let the kernel multiplex them, which we undo by scaling
 * with enabled/running.
 *
 * Counting is user mode only: the loop under test runs in user space, and
 * leaving the kernel out keeps our own ioctl()s out of the figures.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "bench/pmu.h"
#include "lib/sysfs.h"
#include "bench/pmu_events.h"


struct read_buf {
	uint64_t value;
	uint64_t enabled;
	uint64_t running;
};

static int sys_perf_event_open(struct perf_event_attr *attr)
{
	/* this task, any CPU, own group, not inherited by children */
	return syscall(SYS_perf_event_open, attr, 0, -1, -1,
		       PERF_FLAG_FD_CLOEXEC);
}

static const char *errno_name(int err)
{
	switch (err) {
	case ENOENT:	 return "ENOENT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENODEV:	 return "ENODEV";
	case EINVAL:	 return "EINVAL";
	case EACCES:	 return "EACCES";
	case EPERM:	 return "EPERM";
	case EBUSY:	 return "EBUSY";
	case EMFILE:	 return "EMFILE";
	case ENFILE:	 return "ENFILE";
	case E2BIG:	 return "E2BIG";
	case ENOSPC:	 return "ENOSPC";
	case ENOSYS:	 return "ENOSYS";
	case EOVERFLOW:	 return "EOVERFLOW";
	default:	 return NULL;
	}
}

static const char *errno_meaning(int err, bool no_pmu)
{
	switch (err) {
	case ENOENT:
		return no_pmu ? "no PMU, as in most VMs" :
				"this CPU or kernel has no such event";
	case EOPNOTSUPP:
		return "the PMU cannot count this event user-only";
	case ENODEV:
		return "no such PMU on this CPU";
	case EINVAL:
		return "the kernel rejected this event encoding";
	case EBUSY:
		return "counter held exclusively by another perf user";
	case ENOSPC:
		/* not a disk: the PMU has no counter left for this event */
		return "no hardware counter left for this event";
	case EMFILE:
	case ENFILE:
		return "out of file descriptors";
	case ENOSYS:
		return "no perf events in this kernel, or seccomp blocks them";
	default:
		return strerror(err);
	}
}

/*
 * Why one perf_event_open() failed. @no_pmu says the caller knows no
 * hardware event opened at all, which is what ENOENT means in a VM;
 * otherwise ENOENT is about this one event.
 */
static void explain(char *buf, size_t len, const char *name, int err,
		    int paranoid, bool no_pmu)
{
	const char *ename = errno_name(err);
	char eb[16];

	if (err == EACCES || err == EPERM) {
		/*
		 * Levels up to 2 let anyone count their own task in user
		 * mode; Debian and Android add 3, which forbids everything
		 * to unprivileged users.
		 */
		if (ch_pmu_kernel_mode && paranoid > 1)
			set_msg(buf, len,
				"kernel.perf_event_paranoid=%d forbids counting kernel mode, where chbench.ko's loop runs; run as root, or: sudo sysctl kernel.perf_event_paranoid=1",
				paranoid);
		else if (paranoid > 2)
			set_msg(buf, len,
				"kernel.perf_event_paranoid=%d forbids perf events for this user; run: sudo sysctl kernel.perf_event_paranoid=2",
				paranoid);
		else if (paranoid != CH_PARANOID_UNKNOWN)
			set_msg(buf, len,
				"perf_event_open(%s) failed with %s although kernel.perf_event_paranoid=%d allows user-mode counting (seccomp, container or LSM policy?)",
				name, ename, paranoid);
		else
			set_msg(buf, len,
				"perf_event_open(%s) failed with %s and %s is unreadable; try: sudo sysctl kernel.perf_event_paranoid=2",
				name, ename, CH_PARANOID_FILE);
		return;
	}
	if (!ename) {
		snprintf(eb, sizeof(eb), "errno %d", err);
		ename = eb;
	}
	set_msg(buf, len, "perf_event_open(%s) failed with %s (%s)", name,
		ename, errno_meaning(err, no_pmu));
}

void ch_pmu_open_failure_reason(char *buf, size_t len, const char *name,
				int err, int paranoid)
{
	explain(buf, len, name, err, paranoid, true);
}

static bool is_hw_type(uint32_t type)
{
	/* dynamic PMUs (type >= PERF_TYPE_MAX) are hardware ones too */
	return type != PERF_TYPE_SOFTWARE && type != PERF_TYPE_TRACEPOINT;
}

/* The one-line reason for the whole set, known once the fds are open. */
static void build_open_why(struct ch_pmu *pmu, int paranoid)
{
	struct ch_pmu_event *first = NULL;
	int nr_absent = 0, nr_hw = 0, nr_hw_present = 0, i;
	char reason[200];
	bool no_pmu;

	pmu->why_open[0] = '\0';
	for (i = 0; i < pmu->nr; i++) {
		struct ch_pmu_event *ev = &pmu->ev[i];

		if (is_hw_type(ev->type)) {
			nr_hw++;
			nr_hw_present += !ev->absent;
		}
		if (ev->absent && nr_absent++ == 0)
			first = ev;
	}
	if (!first)
		return;

	/* ENOENT for every hardware event is the signature of a VM */
	no_pmu = nr_hw && !nr_hw_present && is_hw_type(first->type) &&
		 first->err != EACCES && first->err != EPERM;
	explain(reason, sizeof(reason), first->name, first->err, paranoid,
		no_pmu);
	if (nr_absent == pmu->nr)
		set_msg(pmu->why_open, sizeof(pmu->why_open),
			"%s%s; figures shown as n/a",
			no_pmu ? "hardware counters not available: " : "",
			reason);
	else
		set_msg(pmu->why_open, sizeof(pmu->why_open),
			"%s%s; %d of %d events shown as n/a",
			no_pmu ? "hardware counters not available: " : "",
			reason, nr_absent, pmu->nr);
}

int ch_pmu_open(struct ch_pmu *pmu, const char *events, char *err,
		size_t errlen)
{
	struct perf_event_attr attr[CH_PMU_MAX_EVENTS];
	struct ch_pmu_req req[CH_PMU_MAX_EVENTS];
	int nr, i, paranoid = CH_PARANOID_UNKNOWN;
	const char *pfm_err;
	bool pfm_ok;

	memset(pmu, 0, sizeof(*pmu));
	for (i = 0; i < CH_PMU_MAX_EVENTS; i++)
		pmu->ev[i].fd = -1;
	set_msg(err, errlen, "%s", "");

	if (!events)
		events = "default";
	if (ch_pmu_parse_events(events, req, &nr, err, errlen))
		return -EINVAL;

	/*
	 * libpfm4 only fails to start when it finds no PMU table at all,
	 * not even its generic "perf" one. Timing still works then, so the
	 * events become absent rather than stopping the run.
	 */
	pfm_err = ch_pmu_pfm_init();
	pfm_ok = !pfm_err;

	/* Encode everything before opening anything: errors leave no fds. */
	for (i = 0; pfm_ok && i < nr; i++)
		if (ch_pmu_encode(&req[i], &attr[i], err, errlen))
			return -EINVAL;

	pmu->nr = nr;
	for (i = 0; i < nr; i++) {
		struct ch_pmu_event *ev = &pmu->ev[i];

		memcpy(ev->name, req[i].name, sizeof(ev->name));
		memcpy(ev->spec, req[i].spec, sizeof(ev->spec));
		ev->value = NAN;
		ev->running_frac = NAN;
		if (!pfm_ok) {
			ev->absent = true;
			continue;
		}
		ev->type = attr[i].type;
		ev->config = attr[i].config;
		ev->fd = sys_perf_event_open(&attr[i]);
		if (ev->fd < 0) {
			ev->err = errno;
			ev->fd = -1;
			ev->absent = true;
			if ((ev->err == EACCES || ev->err == EPERM) &&
			    paranoid == CH_PARANOID_UNKNOWN)
				paranoid = ch_sys_paranoid();
		}
	}

	if (!pfm_ok)
		set_msg(pmu->why_open, sizeof(pmu->why_open),
			"libpfm4 failed to initialize (%s), event names cannot be resolved; figures shown as n/a",
			pfm_err);
	else
		build_open_why(pmu, paranoid);
	memcpy(pmu->why, pmu->why_open, sizeof(pmu->why));
	return 0;
}

void ch_pmu_start(struct ch_pmu *pmu)
{
	int i;

	/*
	 * Reset all first so no counter sees another's reset. Enable and
	 * disable then run in the same order, so every counter brackets
	 * the same number (nr - 1) of the others' ioctls.
	 */
	for (i = 0; i < pmu->nr; i++)
		if (pmu->ev[i].fd >= 0)
			ioctl(pmu->ev[i].fd, PERF_EVENT_IOC_RESET, 0);
	for (i = 0; i < pmu->nr; i++)
		if (pmu->ev[i].fd >= 0)
			ioctl(pmu->ev[i].fd, PERF_EVENT_IOC_ENABLE, 0);
}

void ch_pmu_pause(struct ch_pmu *pmu)
{
	int i;

	for (i = 0; i < pmu->nr; i++)
		if (pmu->ev[i].fd >= 0)
			ioctl(pmu->ev[i].fd, PERF_EVENT_IOC_DISABLE, 0);
}

void ch_pmu_resume(struct ch_pmu *pmu)
{
	int i;

	for (i = 0; i < pmu->nr; i++)
		if (pmu->ev[i].fd >= 0)
			ioctl(pmu->ev[i].fd, PERF_EVENT_IOC_ENABLE, 0);
}

void ch_pmu_stop(struct ch_pmu *pmu)
{
	struct ch_pmu_event *unread = NULL, *idle = NULL;
	struct read_buf rb;
	int i, read_err = 0;
	ssize_t n;

	for (i = 0; i < pmu->nr; i++)
		if (pmu->ev[i].fd >= 0)
			ioctl(pmu->ev[i].fd, PERF_EVENT_IOC_DISABLE, 0);

	/* Reading is outside the window: the counters are already off. */
	for (i = 0; i < pmu->nr; i++) {
		struct ch_pmu_event *ev = &pmu->ev[i];

		ev->value = NAN;
		ev->running_frac = NAN;
		if (ev->absent)
			continue;
		n = read(ev->fd, &rb, sizeof(rb));
		if (n != sizeof(rb)) {
			ev->raw = ev->enabled = ev->running = 0;
			if (!unread) {
				unread = ev;
				read_err = n < 0 ? errno : 0;
			}
			continue;
		}
		ev->raw = rb.value;
		ev->enabled = rb.enabled;
		ev->running = rb.running;
		if (rb.enabled)
			ev->running_frac = (double)rb.running / rb.enabled;
		if (!rb.running) {
			/*
			 * Never on a counter (or never started): 0 would be
			 * a lie, there is no estimate to scale.
			 */
			if (!idle)
				idle = ev;
			continue;
		}
		/* undo multiplexing: assume the unseen time looked the same */
		ev->value = (double)rb.value * rb.enabled / rb.running;
	}

	memcpy(pmu->why, pmu->why_open, sizeof(pmu->why));
	if (pmu->why[0])
		return;
	if (unread)
		set_msg(pmu->why, sizeof(pmu->why),
			"reading the %s counter failed: %s; shown as n/a",
			unread->name,
			read_err ? strerror(read_err) : "short read");
	else if (idle)
		set_msg(pmu->why, sizeof(pmu->why),
			"%s was never scheduled on a counter (running time 0: PMU busy, e.g. NMI watchdog or another perf user); shown as n/a",
			idle->name);
}

void ch_pmu_close(struct ch_pmu *pmu)
{
	int i;

	for (i = 0; i < pmu->nr; i++) {
		if (pmu->ev[i].fd >= 0)
			close(pmu->ev[i].fd);
		pmu->ev[i].fd = -1;
	}
}

bool ch_pmu_hw_available(char *why, size_t len)
{
	struct perf_event_attr attr;
	struct read_buf rb;
	char reason[200];
	volatile unsigned int spin;
	ssize_t n;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_INSTRUCTIONS;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			   PERF_FORMAT_TOTAL_TIME_RUNNING;

	fd = sys_perf_event_open(&attr);
	if (fd < 0) {
		err = errno;
		explain(reason, sizeof(reason), "instructions", err,
			err == EACCES || err == EPERM ?
			ch_sys_paranoid() : CH_PARANOID_UNKNOWN, true);
		set_msg(why, len, "%s%s",
			err == EACCES || err == EPERM ? "" :
			"hardware counters not available: ", reason);
		return false;
	}

	/*
	 * Some hypervisors hand out a PMU that opens but never counts;
	 * a thousand loop iterations must show up as instructions.
	 */
	ioctl(fd, PERF_EVENT_IOC_RESET, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	for (spin = 0; spin < 1000; spin++)
		;
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	n = read(fd, &rb, sizeof(rb));
	err = errno;
	close(fd);

	if (n != sizeof(rb)) {
		set_msg(why, len,
			"hardware counters not usable: reading the instructions counter failed: %s",
			n < 0 ? strerror(err) : "short read");
		return false;
	}
	if (!rb.running) {
		set_msg(why, len,
			"hardware counters not usable: the instructions counter was never scheduled (PMU busy, e.g. NMI watchdog or another perf user)");
		return false;
	}
	if (!rb.value) {
		set_msg(why, len,
			"hardware counters not usable: the instructions counter opened but counted nothing (stub PMU in a VM?)");
		return false;
	}
	set_msg(why, len, "%s", "");
	return true;
}

void ch_pmu_print_per_op(const struct ch_pmu *pmu, const double *totals,
			 double ops, const char *mode)
{
	int i;

	for (i = 0; i < pmu->nr; i++) {
		char label[80];

		snprintf(label, sizeof(label), "%s/op", pmu->ev[i].name);
		if (isnan(pmu->ev[i].value))
			printf("  %-24s n/a\n", label);
		else
			printf("  %-24s %.4f (%srunning %.0f%%)\n", label,
			       (totals ? totals[i] : pmu->ev[i].value) / ops,
			       mode, 100.0 * pmu->ev[i].running_frac);
	}
	if (pmu->why[0])
		printf("  counters: %s\n", pmu->why);
}

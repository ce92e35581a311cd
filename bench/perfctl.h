/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perf stat's control channel (perf stat --control fd:CTL,ACK -D -1, or
 * --control fifo:CTL,ACK): chbench enables counting right before the
 * measured loop and disables it right after, so memmap set-up and walk
 * generation are never counted.
 */
#ifndef CH_PERFCTL_H
#define CH_PERFCTL_H

#include <stdbool.h>
#include <stddef.h>

struct ch_perfctl {
	int ctl;		/* -1: no channel */
	int ack;		/* -1: no acks */
	bool opened;		/* we opened fifos ourselves */
};

/* spec NULL: no channel. 0, or -EINVAL with a one-line message. */
int ch_perfctl_open(struct ch_perfctl *pc, const char *spec, char *err,
		    size_t len);
/* "enable" / "disable", then wait for perf's ack if there is an ack fd */
int ch_perfctl_enable(struct ch_perfctl *pc);
int ch_perfctl_disable(struct ch_perfctl *pc);
void ch_perfctl_close(struct ch_perfctl *pc);

#endif /* CH_PERFCTL_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* What kmod_abuse.c lends its concurrent part, kmod_race.c. */
#ifndef KMOD_ABUSE_H
#define KMOD_ABUSE_H

#include <stdint.h>

#include "kmod/chbench_ioctl.h"

/* One TAP line; @detail may be NULL. Main thread only. */
void check(int ok, const char *what, const char *detail);
/* The call fails with @want, or succeeds if @want is 0. */
void expect(int ret, int want, const char *what);
/* A new session; bails out if /dev/chbench cannot be opened. */
int dev(void);
/* INFO's pinned: pages pinned by every session together. */
uint64_t pinned(void);
/* nr_foll_pin_acquired - nr_foll_pin_released, from /proc/vmstat */
long long vm_pins(void);
int pin(int fd, void *addr, uint64_t len, uint64_t *first);
int walk(int fd, const uint32_t *idx, uint64_t n, uint32_t loop,
	 uint64_t *bad);

/* The concurrent part: races, fork, SIGKILL, rmmod. */
void kmod_race(const struct chb_info *info);

#endif /* KMOD_ABUSE_H */

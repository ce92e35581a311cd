/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc and /sys as chbench reads them: every path below
 * $CHBENCH_SYSROOT when it is set, so tests can fake the machine.
 */
#ifndef CH_SYSFS_H
#define CH_SYSFS_H

#include <stdio.h>

/* kernel.perf_event_paranoid when it cannot be read */
#define CH_PARANOID_FILE	"/proc/sys/kernel/perf_event_paranoid"
#define CH_PARANOID_UNKNOWN	(-99)

/* fopen() of the printf-formatted path; NULL if missing or too long */
FILE *ch_sys_open(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* The first line, trailing blanks cut; -1 if there is none. */
int ch_sys_read(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The first line as a whole int; -1 if it is not one. */
int ch_sys_read_int(int *val, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The number after @key at the start of a line ("MemAvailable:"), or
 * on the first line when @key is NULL; -1 if none. */
long ch_sys_read_long(const char *path, const char *key);

/* kernel.perf_event_paranoid, or CH_PARANOID_UNKNOWN */
int ch_sys_paranoid(void);

#endif /* CH_SYSFS_H */

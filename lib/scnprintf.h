/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bounded string building, as the kernel's lib/vsprintf.c has it: the
 * return value is what was written, never what would have been, so
 *
 *	off += scnprintf(buf + off, len - off, ...);
 *
 * can run any number of times and off never passes len - 1.
 */
#ifndef CH_SCNPRINTF_H
#define CH_SCNPRINTF_H

#include <stdarg.h>
#include <stddef.h>

/* The characters written to @buf, without the NUL; 0 when @size is 0. */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int scnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* CH_SCNPRINTF_H */

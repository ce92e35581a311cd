/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Errors out of library code: 0 or a negative errno, as the kernel's
 * functions return them. The library says what went wrong (into the
 * caller's err buffer, or on stderr through ch_err()); the command that
 * called it picks the exit status (commands/exit.h).
 */
#ifndef CH_ERR_H
#define CH_ERR_H

#include <stdarg.h>

/*
 * "chbench: " + the message + newline on stderr, one line even when it
 * echoes a newline the user gave (commands/opts.c's ch_usage_error() too);
 * returns @err, a negative errno.
 */
int ch_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ch_verr(int err, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif /* CH_ERR_H */

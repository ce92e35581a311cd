// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "lib/err.h"

int ch_verr(int err, const char *fmt, va_list ap)
{
	char buf[8192];
	char *p;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* one line, even when it echoes a newline the user gave */
	for (p = buf; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = '?';
	fprintf(stderr, "chbench: %s\n", buf);
	return err;
}

int ch_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ch_verr(err, fmt, ap);
	va_end(ap);
	return err;
}

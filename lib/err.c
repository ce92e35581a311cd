// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "lib/err.h"

int ch_err(int err, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = '?';
	fprintf(stderr, "chbench: %s\n", buf);
	return err;
}

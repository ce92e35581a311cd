// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sysfs.h"

__attribute__((format(printf, 1, 0)))
static FILE *vopen_sys(const char *fmt, va_list ap)
{
	const char *root = getenv("CHBENCH_SYSROOT");
	char path[PATH_MAX], full[PATH_MAX];
	int n;

	n = vsnprintf(path, sizeof(path), fmt, ap);
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	n = snprintf(full, sizeof(full), "%s%s", root ? root : "", path);
	if (n < 0 || (size_t)n >= sizeof(full))
		return NULL;
	return fopen(full, "re");
}

FILE *ch_sys_open(const char *fmt, ...)
{
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	f = vopen_sys(fmt, ap);
	va_end(ap);
	return f;
}

__attribute__((format(printf, 3, 0)))
static int vread_sys(char *buf, size_t len, const char *fmt, va_list ap)
{
	FILE *f = vopen_sys(fmt, ap);
	char *ok;
	size_t n;

	if (!f)
		return -1;
	ok = fgets(buf, (int)len, f);
	fclose(f);
	if (!ok)
		return -1;
	n = strlen(buf);
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	return 0;
}

int ch_sys_read(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vread_sys(buf, len, fmt, ap);
	va_end(ap);
	return ret;
}

int ch_sys_read_int(int *val, const char *fmt, ...)
{
	char buf[64], *end;
	va_list ap;
	long v;
	int ret;

	va_start(ap, fmt);
	ret = vread_sys(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (ret)
		return -1;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf || *end || v < INT_MIN || v > INT_MAX)
		return -1;
	*val = (int)v;
	return 0;
}

long ch_sys_read_long(const char *path, const char *key)
{
	FILE *f = ch_sys_open("%s", path);
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!key) {
			v = strtol(line, NULL, 10);
			break;
		}
		if (!strncmp(line, key, strlen(key))) {
			v = strtol(line + strlen(key), NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

int ch_sys_paranoid(void)
{
	int v;

	if (ch_sys_read_int(&v, CH_PARANOID_FILE))
		return CH_PARANOID_UNKNOWN;
	return v;
}

// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/units.h"

int ch_parse_u64(const char *opt, const char *s, uint64_t max, uint64_t *out,
		 char *err, size_t len)
{
	unsigned long long v;
	char *end;

	if (!*s || !isdigit((unsigned char)*s))
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	snprintf(err, len, "%s '%.*s%s': expected a whole number from 0 to %" PRIu64,
		 opt, CH_ECHO_MAX, s, ch_echo_more(s), max);
	return -EINVAL;
}

int ch_parse_size(const char *opt, const char *s, uint64_t *out,
		  char *err, size_t len)
{
	static const char units[] = "KMGTP";
	unsigned long long v;
	unsigned int shift = 0;
	const char *u;
	char *end;

	if (!*s || !isdigit((unsigned char)*s))
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		goto bad;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u || !*u)
			goto bad;
		shift = 10 * (unsigned int)(u - units + 1);
		end++;
		if (*end && strcasecmp(end, "B") && strcasecmp(end, "iB"))
			goto bad;
	}
	if (v > (UINT64_MAX >> shift))
		goto bad;
	*out = (uint64_t)v << shift;
	return 0;
bad:
	snprintf(err, len,
		 "%s '%.*s%s': expected a size such as 64M, 16G or 1T (units K, M, G, T, P; powers of 1024)",
		 opt, CH_ECHO_MAX, s, ch_echo_more(s));
	return -EINVAL;
}

int ch_parse_fraction(const char *opt, const char *s, double *out,
		      char *err, size_t len)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !(v >= 0.0 && v <= 1.0)) {
		snprintf(err, len, "%s '%.*s%s': expected a fraction from 0 to 1",
			 opt, CH_ECHO_MAX, s, ch_echo_more(s));
		return -EINVAL;
	}
	*out = v;
	return 0;
}

const char *ch_echo_more(const char *s)
{
	return strnlen(s, CH_ECHO_MAX + 1) > CH_ECHO_MAX ? "..." : "";
}

const char *ch_fmt_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTP";
	int i;

	for (i = 4; i >= 0; i--) {
		uint64_t unit = 1ULL << (10 * (i + 1));

		if (bytes && !(bytes % unit)) {
			snprintf(buf, len, "%" PRIu64 "%c", bytes / unit,
				 units[i]);
			return buf;
		}
	}
	snprintf(buf, len, "%" PRIu64, bytes);
	return buf;
}

const char *ch_fmt_bytes(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	int i = 0;

	while (v >= 1024.0 && i < 4) {
		v /= 1024.0;
		i++;
	}
	if (!i)
		snprintf(buf, len, "%" PRIu64 " B", bytes);
	else
		snprintf(buf, len, "%.1f %s", v, units[i]);
	return buf;
}

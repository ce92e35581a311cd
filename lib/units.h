/* SPDX-License-Identifier: GPL-2.0 */
/* Sizes with units, as perf bench takes them: 16G, 512M, 4KiB, 1TB. */
#ifndef CH_UNITS_H
#define CH_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* 0, or -EINVAL with a one-line message in err. */
int ch_parse_size(const char *opt, const char *s, uint64_t *out,
		  char *err, size_t len);
/* 0, or -EINVAL (message in err): a whole number <= max, no sign */
int ch_parse_u64(const char *opt, const char *s, uint64_t max, uint64_t *out,
		 char *err, size_t len);
/* 0, or -EINVAL (message in err): a fraction in [0, 1] */
int ch_parse_fraction(const char *opt, const char *s, double *out,
		      char *err, size_t len);
/*
 * A message echoes at most CH_ECHO_MAX bytes of what the user gave, then
 * "..." (ch_echo_more()), so a long argument never pushes the reason out:
 * "'%.*s%s'", CH_ECHO_MAX, s, ch_echo_more(s).
 */
#define CH_ECHO_MAX	64
const char *ch_echo_more(const char *s);
/* "16G", "512M", "4K", or bytes; exact when it divides */
const char *ch_fmt_size(uint64_t bytes, char *buf, size_t len);
/* "256.0 MiB": for footprints */
const char *ch_fmt_bytes(uint64_t bytes, char *buf, size_t len);

#endif /* CH_UNITS_H */

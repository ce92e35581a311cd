/* SPDX-License-Identifier: GPL-2.0 */
/* Sizes with units, as perf bench takes them: 16G, 512M, 4KiB, 1TB. */
#ifndef CH_UNITS_H
#define CH_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* 0, or 2 with a one-line message in err. */
int ch_parse_size(const char *opt, const char *s, uint64_t *out,
		  char *err, size_t len);
/* 0, or 2: a whole number, no sign, no junk, <= max */
int ch_parse_u64(const char *opt, const char *s, uint64_t max, uint64_t *out,
		 char *err, size_t len);
/* 0, or 2: a fraction in [0, 1] */
int ch_parse_fraction(const char *opt, const char *s, double *out,
		      char *err, size_t len);
/* "16G", "512M", "4K", or bytes; exact when it divides */
const char *ch_fmt_size(uint64_t bytes, char *buf, size_t len);
/* "256.0 MiB": for footprints */
const char *ch_fmt_bytes(uint64_t bytes, char *buf, size_t len);

#endif /* CH_UNITS_H */

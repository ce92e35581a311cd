/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON through jansson: chbench's numbers in the formats they have always
 * had, and one way to print a document.
 */
#ifndef CH_JSON_H
#define CH_JSON_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

/*
 * v as printf's fmt (e.g. "%.4f") prints it, as a JSON real; null for
 * NAN. Dumped with 15 significant digits, the digits are fmt's (less
 * trailing zeros) rather than binary noise such as 0.12340000000000001.
 */
json_t *ch_json_real(double v, const char *fmt);

/*
 * s as a JSON string; bytes that are not UTF-8 (a path or argument can
 * hold any) become '?', as JSON text must be UTF-8.
 */
json_t *ch_json_string(const char *s);

/* s, or null for NULL */
json_t *ch_json_str_or_null(const char *s);

/*
 * v as a JSON integer. jansson's integers are int64_t, so a value above
 * INT64_MAX (a checksum of kernel pointers, a --seed near 2^64) becomes
 * the string of its decimal digits: exact, never a negative number.
 */
json_t *ch_json_u64(uint64_t v);

/* Print j on one line, then a newline; drops the reference. */
int ch_json_print(json_t *j, FILE *out);

#define CH_JSON_FLAGS	(JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

#endif /* CH_JSON_H */

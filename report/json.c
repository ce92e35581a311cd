// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/json.h"

json_t *ch_json_real(double v, const char *fmt)
{
	char buf[64];

	if (isnan(v) || isinf(v))
		return json_null();
	snprintf(buf, sizeof(buf), fmt, v);
	return json_real(strtod(buf, NULL));
}

json_t *ch_json_string(const char *s)
{
	json_t *j;
	char *t;
	size_t i;

	if (!s)
		return NULL;
	j = json_string(s);
	if (j)
		return j;
	t = strdup(s);
	if (!t)
		return NULL;
	for (i = 0; t[i]; i++)
		if ((unsigned char)t[i] >= 0x80)
			t[i] = '?';
	j = json_string(t);
	free(t);
	return j;
}

json_t *ch_json_str_or_null(const char *s)
{
	return s ? ch_json_string(s) : json_null();
}

json_t *ch_json_u64(uint64_t v)
{
	char buf[24];

	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return json_string(buf);
}

int ch_json_print(json_t *j, FILE *out)
{
	int ret = j ? json_dumpf(j, out, CH_JSON_FLAGS) : -1;

	json_decref(j);
	if (ret) {
		/* only out of memory, or a key that is not UTF-8 */
		fprintf(stderr, "chbench: could not %s the JSON output\n",
			j ? "write" : "build");
		return ret;
	}
	fputc('\n', out);
	return 0;
}

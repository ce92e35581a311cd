// SPDX-License-Identifier: GPL-2.0
/* --mem sizes, whole numbers (--seed, --ops, --cpu), fractions */
#include "lib/units.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), err[512], buf[32];
	uint64_t v;
	double f;

	if (!ch_parse_size("--mem", s, &v, err, sizeof(err))) {
		uint64_t back;

		/* what is printed parses back to the same size */
		if (ch_parse_size("--mem", ch_fmt_size(v, buf, sizeof(buf)),
				  &back, err, sizeof(err)) || back != v)
			abort();
	}
	if (!ch_parse_u64("--cpu", s, 4095, &v, err, sizeof(err)) && v > 4095)
		abort();
	ch_parse_u64("--seed", s, UINT64_MAX, &v, err, sizeof(err));
	if (!ch_parse_fraction("--tail-fraction", s, &f, err, sizeof(err)) &&
	    !(f >= 0 && f <= 1))
		abort();
	ch_fmt_bytes(v, buf, sizeof(buf));
	free(s);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* --mix: presets and [h]ORDER:PERCENT,... specs */
#include "vmemmap/mix.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), err[512];
	struct ch_mix mix;

	if (!ch_mix_parse(s, &mix, err, sizeof(err))) {
		/* a parsed mix must read back as itself */
		struct ch_mix again;

		if (ch_mix_parse(mix.spec, &again, err, sizeof(err)) ||
		    strcmp(again.spec, mix.spec))
			abort();
		ch_mix_max_order(&mix);
	} else if (!memchr(err, '\0', sizeof(err)) ||
		   strncmp(err, "--mix '", 7)) {
		abort();	/* says what was wrong, in bounds */
	}
	free(s);
	return 0;
}

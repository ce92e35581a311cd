// SPDX-License-Identifier: GPL-2.0
/*
 * sweep's --mem LO..HI and lists, and --tail-fraction LO..HI and lists.
 * They are static in cmd_sweep.c, so it is included whole; nothing here
 * calls cmd_sweep() itself (that would run the sweep).
 */
#include "commands/cmd_sweep.c"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), err[256];
	struct ch_mix mix;
	struct sweep sw;
	int q, i;

	if (ch_mix_parse("mixed", &mix, err, sizeof(err)))
		abort();
	for (q = 0; q < 2; q++) {
		memset(&sw, 0, sizeof(sw));
		if (!parse_mems(&sw, s, q, &mix)) {
			if (sw.nr < 1 || sw.nr > CH_SWEEP_MAX_STEPS)
				abort();
			for (i = 0; i < sw.nr; i++)
				if (sw.mem[i] % CH_PAGE_SIZE)
					abort();
		}
		memset(&sw, 0, sizeof(sw));
		if (!parse_tails(&sw, s, q)) {
			if (sw.nr < 1 || sw.nr > CH_SWEEP_MAX_STEPS)
				abort();
			for (i = 0; i < sw.nr; i++)
				if (!(sw.tail[i] >= 0 && sw.tail[i] <= 1))
					abort();
		}
	}
	free(s);
	return 0;
}

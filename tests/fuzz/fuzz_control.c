// SPDX-License-Identifier: GPL-2.0
/* --control fd:CTL[,ACK] | fifo:CTL[,ACK] */
#include "bench/perfctl.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), err[768];
	struct ch_perfctl pc;

	/*
	 * A fifo would be opened for real, and one with no reader blocks:
	 * every fifo path goes below a directory that does not exist, so
	 * the parse runs to the open() and the open() fails.
	 */
	if (!strncmp(s, "fifo:", 5)) {
		char *t = malloc(size + 32);

		if (!t)
			abort();
		sprintf(t, "fifo:/nonexistent-chbench-fuzz/%s", s + 5);
		free(s);
		s = t;
	}
	if (!ch_perfctl_open(&pc, s, err, sizeof(err))) {
		if (pc.opened)
			abort();
	}
	free(s);
	return 0;
}

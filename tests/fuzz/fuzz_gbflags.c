// SPDX-License-Identifier: GPL-2.0
/* --benchmark_* splitting and checking, before Google Benchmark sees them */
#include "commands/cmds.h"
#include "commands/gbflags.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ch_gb_flags f = { 0 };
	char **argv, **gb, err[1536], *buf;
	int argc, nargc, gbc, i;

	argc = fuzz_argv(data, size, "bench", &argv, 24);
	buf = argv[1];		/* the one buffer every argument is in */
	gb = calloc(argc + 1, sizeof(*gb));
	if (!gb)
		abort();
	nargc = ch_split_gb_flags(argc, argv, &gbc, gb);
	if (nargc + gbc != argc || argv[nargc])
		abort();
	for (i = 0; i < gbc; i++) {
		if (strncmp(gb[i], "--benchmark_", 12))
			abort();
		if (ch_gb_flag_check(gb[i], &f, err, sizeof(err)) &&
		    strchr(err, '\n'))
			abort();
	}
	if (f.repetitions < 0 || f.repetitions > 100000)
		abort();
	free(buf);
	free(gb);
	free(argv);
	return 0;
}

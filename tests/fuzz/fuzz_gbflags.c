// SPDX-License-Identifier: GPL-2.0
/* --benchmark_* taken out by the option parser, and checked after */
#include "bench/gbflags.h"
#include "commands/opts.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ch_gb_flags f = { 0 };
	struct ch_opt_args gb = { 0 };
	const struct ch_option t[] = {
		OPT_PASSTHROUGH("benchmark_*", &gb, "Google Benchmark's"),
		OPT_END(),
	};
	char **argv, err[1536], *buf;
	int argc, i;

	argc = fuzz_argv(data, size, "bench", &argv, 24);
	buf = argv[1];		/* the one buffer every argument is in */
	gb.v = calloc(argc + 1, sizeof(*gb.v));
	if (!gb.v)
		abort();
	/* --help prints and exits, as it should: not a finding */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			goto out;
	/* what is left: refused or not, the flags were all taken first */
	ch_parse_options(argc, argv, t, NULL, NULL);
	if (gb.n > argc - 1)
		abort();
	for (i = 0; i < gb.n; i++) {
		if (strncmp(gb.v[i], "--benchmark_", 12))
			abort();
		if (ch_gb_flag_check(gb.v[i], &f, err, sizeof(err)) &&
		    strchr(err, '\n'))
			abort();
	}
	if (f.repetitions < 0 || f.repetitions > 100000)
		abort();
out:
	free(buf);
	free(gb.v);
	free(argv);
	return 0;
}

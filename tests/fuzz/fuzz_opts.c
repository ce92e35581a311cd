// SPDX-License-Identifier: GPL-2.0
/* the option parser as a whole: run's and bench's option sets, any argv */
#include "commands/opts.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int sets[] = {
		~0u,
		CH_O_QUICK | CH_O_CPU | CH_O_EVENTS | CH_O_OUT | CH_O_SEED |
		CH_O_MEM,
	};
	struct ch_opts o;
	char **argv;
	int argc, i, s;

	argc = fuzz_argv(data, size, "run", &argv, 24);
	/* --help prints and exits, as it should: not a finding */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strncmp(argv[i], "--h", 3))
			goto out;
	for (s = 0; s < 2; s++)
		ch_opts_parse(&o, argc, argv, sets[s], s ? NULL : "mixed",
			      4ULL << 30, NULL);
out:
	if (argc > 1)
		free(argv[1]);
	free(argv);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * the option parser as a whole: every shared option, and bench's set
 * with a command's own row and Google Benchmark's pass-through, any argv
 */
#include "commands/opts.h"
#include "tests/fuzz/fuzz.h"

static const struct ch_opt_range pairs_range = { 1, 10000, NULL };

/* argv[0..argc] into @copy (argc + 1), which the parser rearranges */
static char **copy_argv(int argc, char **argv, char **copy)
{
	memcpy(copy, argv, (argc + 1) * sizeof(*argv));
	return copy;
}

/* a table of every row of ch_shared_options[], as a command picks them */
static void every_shared(struct ch_option *t)
{
	const struct ch_option *p;

	for (p = ch_shared_options; p->name; p++)
		*t++ = (struct ch_option)OPT_PARENT(p->name);
	*t = (struct ch_option)OPT_END();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ch_option every[64];
	struct ch_opt_args gb = { 0 };
	int argc, i, pairs = 0;
	char **argv, **copy;
	struct ch_opts o;
	const struct ch_option bench[] = {
		OPT_PARENT("mem"), OPT_PARENT("seed"), OPT_PARENT("cpu"),
		OPT_PARENT("events"), OPT_PARENT("quick"), OPT_PARENT("out"),
		OPT_INT("pairs", "N", &pairs, "pairs", &pairs_range, NULL),
		OPT_PASSTHROUGH("benchmark_*", &gb, "Google Benchmark's"),
		OPT_END(),
	};

	argc = fuzz_argv(data, size, "run", &argv, 24);
	copy = calloc(argc + 1, sizeof(*copy));
	gb.v = calloc(argc + 1, sizeof(*gb.v));
	if (!copy || !gb.v)
		abort();
	/* --help prints and exits, as it should: not a finding */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strncmp(argv[i], "--h", 3))
			goto out;
	every_shared(every);
	if (!ch_opts_init(&o, "mixed", 4ULL << 30))
		ch_parse_options(argc, copy_argv(argc, argv, copy), every, &o,
				 NULL);
	ch_opts_init(&o, NULL, 4ULL << 30);
	if (ch_parse_options(argc, copy_argv(argc, argv, copy), bench, &o,
			     NULL) > argc - 1 - gb.n)
		abort();
out:
	if (argc > 1)
		free(argv[1]);
	free(argv);
	free(copy);
	free(gb.v);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * chbench cases DIR: the cases of a results directory as one JSON object,
 * so that the scripts parse no case name (report/resread.h says what it
 * holds).
 */
#include <stdio.h>

#include "commands/cmds.h"
#include "report/json.h"
#include "commands/opts.h"
#include "report/resread.h"

static int cases(const char *dir)
{
	char err[5000];
	json_t *doc = ch_results_cases(dir, NULL, NULL, err, sizeof(err));

	if (!doc)
		return ch_usage_error("cases: %s", err);
	return ch_json_print(doc, stdout) ? 2 : 0;
}

const struct ch_cmd_help ch_cases_help = {
	.usage = (const char *const []){ "cases DIR", NULL },
	.summary = "a results directory's cases as JSON, for the scripts",
};

int cmd_cases(int argc, char **argv)
{
	static const struct ch_option options[] = { OPT_END() };
	struct ch_opts o;

	/* no options, but the shared ones are refused as not applying */
	ch_opts_init(&o, NULL, 0);
	argc = ch_parse_options(argc, argv, options, &o, &ch_cases_help);
	if (argc < 0)
		return 2;
	if (argc != 1 || !argv[0][0])
		return ch_usage_error("cases: give one results directory (a directory with a bench.json), e.g. chbench cases results/2026-02-03-box");
	return cases(argv[0]);
}

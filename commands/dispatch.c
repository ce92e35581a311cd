// SPDX-License-Identifier: GPL-2.0
/* One way to pick a command, at every level: chbench, kernel, sweep. */
#include <string.h>

#include "commands/cmds.h"
#include "commands/opts.h"
#include "lib/scnprintf.h"

const char *ch_cmd_names(const struct ch_cmd_set *s, const char *sep,
			 char *buf, size_t len)
{
	size_t off = 0, i;

	buf[0] = '\0';
	for (i = 0; i < s->nr; i++)
		if (s->cmd[i].fn)
			off += scnprintf(buf + off, len - off, "%s%s",
					 off ? sep : "", s->cmd[i].name);
	return buf;
}

int ch_cmd_dispatch(const struct ch_cmd_set *s, int argc, char **argv)
{
	char names[256];
	size_t i;

	for (i = 0; i < s->nr; i++)
		if (s->cmd[i].fn && !strcmp(argv[1], s->cmd[i].name))
			return s->cmd[i].fn(argc - 1, argv + 1);
	return ch_usage_error("%sunknown %s '%s'; valid: %s", s->prefix,
			      s->what, argv[1],
			      ch_cmd_names(s, ", ", names, sizeof(names)));
}

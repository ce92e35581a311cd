// SPDX-License-Identifier: GPL-2.0
/*
 * chbench lock -- CMD: run CMD holding the machine's timing lock (see
 * bench/runlock.h), as scripts/perf-compare does; the lock is CMD's
 * for as long as CMD or a child of it keeps the descriptor open. Without
 * CMD: the lock file, and who holds it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands/cmds.h"
#include "commands/opts.h"
#include "bench/runlock.h"
#include "lib/scnprintf.h"
#include "commands/exit.h"

#define CH_LOCK_CMD_LEN	4096

const struct ch_cmd_help ch_lock_help = {
	.usage = (const char *const []){
		"lock [--allow-concurrent] -- CMD [ARG ...]",
		"lock", NULL,
	},
	.summary = "run CMD holding the timing lock; alone: who holds it",
};

/* Without CMD: "PATH: free", or "PATH: held by pid N (command)". */
static int lock_status(void)
{
	char path[PATH_MAX], who[1024];
	int ret = ch_runlock_holder(who, sizeof(who));

	ch_runlock_path(path, sizeof(path));
	if (ret < 0)
		return ch_usage_error("lock: cannot read %s: %s", path,
				      strerror(errno));
	printf("%s: %s%s\n", path, ret ? "held by " : "free", who);
	return 0;
}

/* The words of @argv joined by spaces, for the lock file. */
static void join_words(int argc, char **argv, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < argc && off < len; i++)
		off += scnprintf(buf + off, len - off, "%s%s", i ? " " : "",
				 argv[i]);
}

/* What CMD finds: its pid as the lock's, or leave to run beside it. */
static void hand_down(void)
{
	char num[32];

	snprintf(num, sizeof(num), "%d", (int)getpid());
	setenv(CH_LOCK_PID_ENV, num, 1);
	if (ch_runlock_beside())
		setenv(CH_LOCK_ALLOW_ENV, "1", 1);
}

int cmd_lock(int argc, char **argv)
{
	char cmd[CH_LOCK_CMD_LEN];
	static const struct ch_option options[] = {
		OPT_PARENT("allow-concurrent"),
		OPT_END(),
	};
	struct ch_opts o;
	int ret;

	ch_opts_init(&o, NULL, 0);
	argc = ch_parse_options(argc, argv, options, &o, &ch_lock_help);
	if (argc < 0)
		return 2;
	if (!argc)
		return lock_status();
	join_words(argc, argv, cmd, sizeof(cmd));
	ret = ch_runlock_take(cmd, o.allow_concurrent, true);
	if (ret)
		return ch_exit_status(ret);
	hand_down();
	execvp(argv[0], argv);
	return ch_usage_error("lock: cannot run '%s': %s", argv[0],
			      strerror(errno));
}

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
	struct ch_opts o;
	int ret;

	if (ch_opts_parse(&o, argc, argv, CH_O_ALLOW_CONCURRENT, NULL, 0,
			  &ch_lock_help))
		return 2;
	if (!o.argc)
		return lock_status();
	join_words(o.argc, o.argv, cmd, sizeof(cmd));
	ret = ch_runlock_take(cmd, o.allow_concurrent, true);
	if (ret)
		return ch_exit_status(ret);
	hand_down();
	execvp(o.argv[0], o.argv);
	return ch_usage_error("lock: cannot run '%s': %s", o.argv[0],
			      strerror(errno));
}

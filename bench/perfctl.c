// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench/perfctl.h"

static int bad(char *err, size_t len, const char *spec, const char *why)
{
	snprintf(err, len,
		 "--control '%s': %s; valid: fd:CTL[,ACK] or fifo:CTL[,ACK], as given to perf stat --control",
		 spec, why);
	return -EINVAL;
}

static int parse_fd(const char *s, int *fd)
{
	char *end;
	long v = strtol(s, &end, 10);
	struct stat st;

	if (!*s || *end || v < 0 || v > 1 << 20)
		return -1;
	*fd = (int)v;
	return fstat(*fd, &st) ? -2 : 0;
}

int ch_perfctl_open(struct ch_perfctl *pc, const char *spec, char *err,
		    size_t len)
{
	char buf[512], *comma;

	pc->ctl = pc->ack = -1;
	pc->opened = false;
	if (!spec)
		return 0;
	if (strlen(spec) >= sizeof(buf))
		return bad(err, len, spec, "too long");
	if (!strncmp(spec, "fd:", 3)) {
		strcpy(buf, spec + 3);
		comma = strchr(buf, ',');
		if (comma)
			*comma++ = '\0';
		switch (parse_fd(buf, &pc->ctl)) {
		case -1:
			return bad(err, len, spec, "not a file descriptor");
		case -2:
			return bad(err, len, spec,
				   "descriptor not open (run it under perf stat --control)");
		}
		if (comma) {
			switch (parse_fd(comma, &pc->ack)) {
			case -1:
				return bad(err, len, spec,
					   "not a file descriptor");
			case -2:
				return bad(err, len, spec,
					   "ack descriptor not open");
			}
		}
		return 0;
	}
	if (!strncmp(spec, "fifo:", 5)) {
		strcpy(buf, spec + 5);
		comma = strchr(buf, ',');
		if (comma)
			*comma++ = '\0';
		pc->ctl = open(buf, O_WRONLY | O_CLOEXEC);
		if (pc->ctl < 0)
			return bad(err, len, spec, strerror(errno));
		if (comma) {
			pc->ack = open(comma, O_RDONLY | O_CLOEXEC);
			if (pc->ack < 0) {
				close(pc->ctl);
				pc->ctl = -1;
				return bad(err, len, spec, strerror(errno));
			}
		}
		pc->opened = true;
		return 0;
	}
	return bad(err, len, spec, "unknown form");
}

static int command(struct ch_perfctl *pc, const char *cmd)
{
	char ack[16];
	size_t got = 0;

	if (pc->ctl < 0)
		return 0;
	if (write(pc->ctl, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		return -errno;
	if (pc->ack < 0)
		return 0;
	/* perf answers "ack\n" once the command took effect */
	while (got < sizeof(ack) - 1) {
		ssize_t n = read(pc->ack, ack + got, sizeof(ack) - 1 - got);

		if (n <= 0)
			return n ? -errno : -EPIPE;
		got += n;
		if (memchr(ack, '\n', got))
			break;
	}
	return 0;
}

int ch_perfctl_enable(struct ch_perfctl *pc)
{
	return command(pc, "enable\n");
}

int ch_perfctl_disable(struct ch_perfctl *pc)
{
	return command(pc, "disable\n");
}

void ch_perfctl_close(struct ch_perfctl *pc)
{
	if (pc->opened) {
		close(pc->ctl);
		if (pc->ack >= 0)
			close(pc->ack);
	}
	pc->ctl = pc->ack = -1;
}

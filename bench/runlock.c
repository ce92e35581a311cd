// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench/runlock.h"
#include "lib/err.h"

#define CH_LOCK_RUN_DIR		"/run/lock"
#define CH_LOCK_NAME		"chbench.lock"
#define CH_LOCK_CMD_MAX		400	/* the command, in the file */
/* a holder between its flock() and its line, or one that just died */
#define CH_LOCK_TRIES		50
#define CH_LOCK_TRY_NS		2000000L

enum lock_state { LOCK_NONE, LOCK_HELD, LOCK_INHERITED, LOCK_BESIDE,
		  LOCK_UNLOCKED };

static const char *const state_names[] = {
	[LOCK_NONE] = "none", [LOCK_HELD] = "held",
	[LOCK_INHERITED] = "inherited", [LOCK_BESIDE] = "beside",
	[LOCK_UNLOCKED] = "unlocked",
};

static struct {
	int fd;
	enum lock_state state;
	char path[PATH_MAX];
	char beside[CH_LOCK_CMD_MAX + 64];	/* the holder we ran beside */
} lk = { .fd = -1 };

/*
 * /run/lock where every user may write there (Debian's is 1777), so that
 * every user of the machine finds the same file; else /tmp.
 */
const char *ch_runlock_path(char *buf, size_t len)
{
	const char *env = getenv(CH_LOCK_ENV);
	struct stat st;

	if (env && *env)
		snprintf(buf, len, "%s", env);
	else if (!stat(CH_LOCK_RUN_DIR, &st) && S_ISDIR(st.st_mode) &&
		 (st.st_mode & (S_IWOTH | S_ISVTX)) == (S_IWOTH | S_ISVTX))
		snprintf(buf, len, "%s/%s", CH_LOCK_RUN_DIR, CH_LOCK_NAME);
	else
		snprintf(buf, len, "/tmp/%s", CH_LOCK_NAME);
	return buf;
}

/*
 * The lock file, made writable by every user when we create it; never
 * through a symbolic link (it may be in /tmp). Read-only where another
 * user's file cannot be written: flock() needs no more.
 */
static int open_lock(const char *path)
{
	int i, fd = -1;

	for (i = 0; i < 3; i++) {
		fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (fd >= 0 || errno != ENOENT)
			break;
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC |
			  O_NOFOLLOW, 0666);
		if (fd >= 0) {
			fchmod(fd, 0666);
			break;
		}
		if (errno != EEXIST)
			break;
	}
	if (fd < 0 && errno == EACCES)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	return fd;
}

/* This process's command line, its words joined by spaces. */
static void self_cmdline(char *buf, size_t len)
{
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);
	ssize_t i;

	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		snprintf(buf, len, "chbench");
		return;
	}
	buf[n] = '\0';
	while (n > 0 && !buf[n - 1])
		n--;
	for (i = 0; i < n; i++)
		if (!buf[i] || buf[i] == '\n')
			buf[i] = ' ';
}

/* "pid command" as the holder's line, replacing whatever was there. */
static void write_holder(int fd, const char *cmd)
{
	char line[CH_LOCK_CMD_MAX + 32], self[CH_LOCK_CMD_MAX + 1];
	char *p;
	int n;

	if (cmd)
		snprintf(self, sizeof(self), "%s", cmd);
	else
		self_cmdline(self, sizeof(self));
	/* one line, whatever the command holds */
	for (p = self; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = ' ';
	n = snprintf(line, sizeof(line), "%d %s\n", (int)getpid(), self);
	if (ftruncate(fd, 0) || pwrite(fd, line, n, 0) != n)
		return;	/* read-only: the message will lack its name */
}

/*
 * The holder's line as "pid N (command)", its pid in *pid; false when it
 * has none, or names a process that is gone.
 */
static bool read_holder(int fd, char *buf, size_t len, pid_t *pid)
{
	char line[CH_LOCK_CMD_MAX + 32], *end;
	ssize_t n = pread(fd, line, sizeof(line) - 1, 0);
	long v;

	if (n <= 0)
		return false;
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	v = strtol(line, &end, 10);
	if (end == line || v <= 0 || v > INT_MAX || *end != ' ')
		return false;
	if (kill((pid_t)v, 0) && errno == ESRCH)
		return false;
	snprintf(buf, len, "pid %ld (%s)", v, end + 1);
	*pid = (pid_t)v;
	return true;
}

/*
 * flock() without waiting, retried for a moment while the holder has no
 * line of its own: it is writing it, or it died and the kernel is letting
 * its lock go. 0 locked; -1 with errno (EWOULDBLOCK: held by *pid, named
 * in @who; *pid 0 when unknown).
 */
static int try_lock(int fd, char *who, size_t len, pid_t *pid)
{
	struct timespec ts = { 0, CH_LOCK_TRY_NS };
	int i;

	*pid = 0;
	for (i = 0; i < CH_LOCK_TRIES; i++) {
		if (!flock(fd, LOCK_EX | LOCK_NB))
			return 0;
		if (errno != EWOULDBLOCK)
			return -1;
		if (read_holder(fd, who, len, pid))
			break;
		nanosleep(&ts, NULL);
	}
	if (i == CH_LOCK_TRIES)
		snprintf(who, len, "a process that left no name");
	errno = EWOULDBLOCK;
	return -1;
}

/* The parent of @pid, from /proc/PID/stat (ours, never a fake); 0: none */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[1024], *s;
	int ppid;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold anything but the last ) */
	s = strrchr(buf, ')');
	if (!s || sscanf(s + 1, " %*c %d", &ppid) != 1)
		return 0;
	return ppid;
}

/*
 * Whether the holder @pid is this process (a 'chbench lock -- chbench
 * ...') or one of its ancestors: a run inside the one that holds the
 * lock, such as perf-compare's.
 */
static bool inside(pid_t pid)
{
	pid_t p = getpid();
	int hops;

	for (hops = 0; pid > 0 && p > 0 && hops < 1024; hops++) {
		if (p == pid)
			return true;
		p = parent_of(p);
	}
	return false;
}

/* Run beside @who, or refuse: 0, or -EBUSY after a message. */
static int beside(int fd, const char *who, bool allow)
{
	close(fd);
	if (!allow)
		return ch_err(-EBUSY, "another timing run holds this machine: %s; wait for it to end, or give --allow-concurrent to time beside it (lock: %s)",
			      who, lk.path);
	fprintf(stderr, "chbench: warning: timing beside another run, %s, as --allow-concurrent asks: both runs' timings share this machine\n",
		who);
	snprintf(lk.beside, sizeof(lk.beside), "%s", who);
	lk.state = LOCK_BESIDE;
	return 0;
}

/*
 * No lock file to take: -errno after a message, or with @allow a run
 * without it.
 */
static int unlockable(int fd, bool allow)
{
	int e = errno;

	if (fd >= 0)
		close(fd);
	if (!allow)
		return ch_err(-e, "cannot lock %s: %s; set CHBENCH_LOCK to a file every timing run here can lock, or give --allow-concurrent",
			      lk.path, strerror(e));
	fprintf(stderr, "chbench: warning: cannot lock %s: %s; timing without the lock, as --allow-concurrent asks\n",
		lk.path, strerror(e));
	lk.state = LOCK_UNLOCKED;
	return 0;
}

int ch_runlock_take(const char *cmd, bool allow, bool keep)
{
	char who[CH_LOCK_CMD_MAX + 64];
	pid_t pid;
	int fd, ret;

	if (lk.state != LOCK_NONE)
		return 0;
	allow |= getenv(CH_LOCK_ALLOW_ENV) != NULL;
	ch_runlock_path(lk.path, sizeof(lk.path));
	fd = open_lock(lk.path);
	ret = fd < 0 ? -1 : try_lock(fd, who, sizeof(who), &pid);
	if (ret && fd >= 0 && errno == EWOULDBLOCK && inside(pid)) {
		close(fd);
		lk.state = LOCK_INHERITED;
		return 0;
	}
	if (ret && fd >= 0 && errno == EWOULDBLOCK)
		return beside(fd, who, allow);
	if (ret)
		return unlockable(fd, allow);
	if (keep)
		fcntl(fd, F_SETFD, 0);
	write_holder(fd, cmd);
	lk.fd = fd;
	lk.state = LOCK_HELD;
	return 0;
}

int ch_runlock_fd(void)
{
	return lk.fd;
}

bool ch_runlock_beside(void)
{
	return lk.state == LOCK_BESIDE || lk.state == LOCK_UNLOCKED;
}

void ch_runlock_release(void)
{
	if (lk.fd >= 0) {
		flock(lk.fd, LOCK_UN);
		close(lk.fd);
	}
	lk.fd = -1;
	lk.state = LOCK_NONE;
}

int ch_runlock_holder(char *buf, size_t len)
{
	char path[PATH_MAX];
	pid_t pid;
	int fd, ret;

	buf[0] = '\0';
	fd = open(ch_runlock_path(path, sizeof(path)),
		  O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	ret = try_lock(fd, buf, len, &pid) ?
	      (errno == EWOULDBLOCK ? 1 : -1) : 0;
	if (!ret) {
		flock(fd, LOCK_UN);
		buf[0] = '\0';
	}
	close(fd);
	return ret;
}

json_t *ch_runlock_json(void)
{
	return json_pack("{s:o, s:s, s:o}",
		"path", lk.state == LOCK_NONE ? json_null() :
			ch_json_string(lk.path),
		"state", state_names[lk.state],
		"beside", lk.state == LOCK_BESIDE ?
			ch_json_string(lk.beside) : json_null());
}

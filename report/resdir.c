// SPDX-License-Identifier: GPL-2.0
/*
 * Results directories: write in private, publish with one rename that
 * cannot replace an earlier result, not even an empty directory.
 */
#ifndef _GNU_SOURCE		/* the Makefile defines it too */
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "report/resdir.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)
#endif

/* The most -N suffixes tried before giving up on a name */
#define CH_RESDIR_MAX_SUFFIX	9999
/* Over the longest name added to the parent: "/.partial-<date>-<host>-..." */
#define CH_RESDIR_NAME_ROOM	256

/* the partial directory a signal removes (see ch_resdir_guard()) */
static char guard_dir[sizeof(((struct ch_resdir *)0)->tmp)];
static void guard_block(sigset_t *old);

/* Keep a name component to [A-Za-z0-9._+-], never hidden, never empty */
static void name_part(char *buf, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '+' || c == '-'))
			c = '_';
		buf[i] = c;
	}
	buf[i] = '\0';
	if (buf[0] == '.')
		buf[0] = '_';
	if (!buf[0])
		snprintf(buf, len, "unknown");
}

static void run_date(char *buf, size_t len)
{
	const char *env = getenv("CHBENCH_DATE");
	char date[32] = "";
	time_t now;
	struct tm tm;

	if (env) {
		name_part(buf, len, env);
		return;
	}
	now = time(NULL);
	if (localtime_r(&now, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	name_part(buf, len, date);
}

static void run_host(char *buf, size_t len)
{
	const char *env = getenv("CHBENCH_HOST");
	char host[256] = "";

	if (env) {
		name_part(buf, len, env);
		return;
	}
	if (gethostname(host, sizeof(host) - 1) == 0)
		host[strcspn(host, ".")] = '\0';
	name_part(buf, len, host);
}

static int mkdir_p(const char *path)
{
	char buf[4096], *p;
	struct stat st;

	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	if (strlen(path) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	for (p = buf + 1; ; p++) {
		char c = *p;

		if (c && c != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) && errno != EEXIST)
			return -1;
		*p = c;
		if (!c)
			break;
	}
	if (stat(path, &st))
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int ch_resdir_begin(struct ch_resdir *rd, const char *parent, const char *tag,
		    char *err, size_t len)
{
	char date[32], host[64], suffix[64] = "";
	size_t plen = strlen(parent);
	int i;

	rd->final[0] = rd->tmp[0] = '\0';
	while (plen > 1 && parent[plen - 1] == '/')
		plen--;
	/* Leave room for every name built below, so none is cut short */
	if (plen > sizeof(rd->final) - CH_RESDIR_NAME_ROOM) {
		snprintf(err, len, "results directory path too long: '%s'",
			 parent);
		return -ENAMETOOLONG;
	}
	if (mkdir_p(parent)) {
		snprintf(err, len, "cannot create results directory '%s': %s",
			 parent, strerror(errno));
		return -errno;
	}

	run_date(date, sizeof(date));
	run_host(host, sizeof(host));
	if (tag && *tag) {
		suffix[0] = '-';
		name_part(suffix + 1, sizeof(suffix) - 1, tag);
	}
	snprintf(rd->final, sizeof(rd->final), "%.*s/%s-%s%s",
		 (int)plen, parent, date, host, suffix);

	/* One process may hold several partial directories at once */
	for (i = 1; ; i++) {
		char seq[16] = "";

		if (i > 1)
			snprintf(seq, sizeof(seq), "-%d", i);
		snprintf(rd->tmp, sizeof(rd->tmp), "%.*s/.partial-%s-%s-%ld%s",
			 (int)plen, parent, date, host, (long)getpid(), seq);
		if (!mkdir(rd->tmp, 0777))
			return 0;
		if (errno != EEXIST || i >= CH_RESDIR_MAX_SUFFIX)
			break;
	}
	snprintf(err, len, "cannot create results directory '%s': %s",
		 parent, strerror(errno));
	rd->tmp[0] = '\0';
	return -errno;
}

void ch_resdir_path(const struct ch_resdir *rd, const char *file, char *out,
		    size_t len)
{
	snprintf(out, len, "%s/%s", rd->tmp, file);
}

/* rename() that fails with EEXIST rather than replace anything at @to */
static int rename_noreplace(const char *from, const char *to)
{
	int saved;

#ifdef SYS_renameat2
	if (!syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to,
		     RENAME_NOREPLACE))
		return 0;
	/* ENOSYS: kernel before 3.15; EINVAL: filesystem without the flag */
	if (errno != ENOSYS && errno != EINVAL)
		return -1;
#endif
	/*
	 * rename() would replace an empty directory, so first claim the name
	 * with mkdir(), which is exclusive, and then replace only our own.
	 */
	if (mkdir(to, 0700))
		return -1;
	if (!rename(from, to))
		return 0;
	saved = errno;
	rmdir(to);
	errno = saved;
	return -1;
}

int ch_resdir_commit(struct ch_resdir *rd, char *err, size_t len)
{
	char want[sizeof(rd->final)], name[sizeof(rd->final)];
	sigset_t mask;
	int fd, i, saved;

	if (!rd->tmp[0] || !rd->final[0]) {
		snprintf(err, len, "no results directory to publish");
		return -ENOENT;
	}
	/* A published directory must hold whole files, even after a crash */
	fd = open(rd->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		syncfs(fd);
		close(fd);
	}

	strcpy(want, rd->final);
	/* a signal now would find the directory published, or not yet */
	guard_block(&mask);
	for (i = 1; i <= CH_RESDIR_MAX_SUFFIX; i++) {
		if (i == 1)
			strcpy(name, want);
		else
			snprintf(name, sizeof(name), "%s-%d", want, i);
		if (!rename_noreplace(rd->tmp, name)) {
			if (!strcmp(guard_dir, rd->tmp))
				guard_dir[0] = '\0';
			strcpy(rd->final, name);
			rd->tmp[0] = '\0';
			sigprocmask(SIG_SETMASK, &mask, NULL);
			return 0;
		}
		if (errno != EEXIST && errno != ENOTEMPTY)
			break;
	}
	saved = errno;
	sigprocmask(SIG_SETMASK, &mask, NULL);
	errno = saved;
	snprintf(err, len, "cannot publish results directory '%s': %s (results left in '%s')",
		 name, i > CH_RESDIR_MAX_SUFFIX ? "too many with that name" :
		 strerror(errno), rd->tmp);
	return i > CH_RESDIR_MAX_SUFFIX ? -EEXIST : -saved;
}

static int remove_one(const char *path, const struct stat *st, int type,
		      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void ch_resdir_abort(struct ch_resdir *rd)
{
	if (!rd->tmp[0])
		return;
	nftw(rd->tmp, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	rd->tmp[0] = '\0';
}

/* The number that ends s[0..*end), or 0; *end moves to its '-'. */
static long last_number(const char *s, size_t *end)
{
	size_t e = *end, b = e;
	long v = 0;

	while (b > 0 && s[b - 1] >= '0' && s[b - 1] <= '9')
		b--;
	if (b == e || b == 0 || s[b - 1] != '-' || e - b > 9)
		return 0;
	v = strtol(s + b, NULL, 10);
	*end = b - 1;
	return v;
}

static bool alive(long pid)
{
	return !kill((pid_t)pid, 0) || errno != ESRCH;
}

/*
 * .partial-<date>-<host>-<pid>[-<seq>]: stale when no process has the
 * pid (either of the last two numbers, as a seq may follow the pid).
 */
static bool stale_partial(const char *name, long *pid)
{
	size_t end = strlen(name);
	long last = last_number(name, &end), prev;

	if (last <= 0 || alive(last))
		return false;
	prev = last_number(name, &end);
	if (prev > 0 && alive(prev))
		return false;
	*pid = prev > 0 ? prev : last;
	return true;
}

int ch_resdir_stale(const char *parent, FILE *out)
{
	struct dirent *de;
	int n = 0;
	long pid;
	DIR *d;

	d = opendir(parent);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, ".partial-", 9) ||
		    !stale_partial(de->d_name, &pid))
			continue;
		fprintf(out,
			"chbench: note: %s/%s is left from a run that was killed (pid %ld is gone); remove it with: rm -r '%s/%s'\n",
			parent, de->d_name, pid, parent, de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

/*
 * SIGINT, SIGTERM, SIGHUP, SIGPIPE while a run writes: the partial
 * directory goes, one line on stderr says so, then the process dies of
 * the signal as it would have (a shell sees 128 + the signal: 130 for
 * SIGINT). Only system calls here (async-signal-safe): the files are
 * unlinked by name from a getdents64() of the directory, then it is
 * removed. A signal ignored on entry (nohup, a script's background job)
 * stays ignored; SIGPIPE ignored makes a write fail with EPIPE instead,
 * which the caller handles.
 */
static char guard_what[64];
static bool guard_tty;
static const int guard_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
#define CH_GUARD_NR	(sizeof(guard_sigs) / sizeof(guard_sigs[0]))
static struct sigaction guard_old[CH_GUARD_NR];
static bool guard_set[CH_GUARD_NR];

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Remove guard_dir and the files in it; whether it is gone. */
static bool guard_remove(void)
{
	char buf[4096];
	long n;
	int fd;

	fd = open(guard_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		long off;

		for (off = 0; off < n;) {
			struct linux_dirent64 *de = (void *)(buf + off);

			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(fd, de->d_name, 0);
			off += de->d_reclen;
		}
	}
	close(fd);
	return !rmdir(guard_dir) || errno == ENOENT;
}

/* strcat within @len, async-signal-safe */
static void guard_cat(char *buf, size_t len, size_t *n, const char *s)
{
	while (*s && *n + 1 < len)
		buf[(*n)++] = *s++;
	buf[*n] = '\0';
}

/* The one line: what stopped, why, and what became of the directory. */
static void guard_say(int sig, bool removed)
{
	char msg[sizeof(guard_dir) + 256];
	size_t n = 0;

	/* on a terminal, past the progress line (or the ^C) */
	guard_cat(msg, sizeof(msg), &n, guard_tty ? "\nchbench " : "chbench ");
	guard_cat(msg, sizeof(msg), &n, guard_what);
	guard_cat(msg, sizeof(msg), &n,
		  sig == SIGINT ? ": interrupted (SIGINT)" :
		  sig == SIGTERM ? ": terminated (SIGTERM)" :
		  sig == SIGHUP ? ": the terminal hung up (SIGHUP)" :
		  ": its output was closed (SIGPIPE)");
	guard_cat(msg, sizeof(msg), &n, "; nothing was published: ");
	guard_cat(msg, sizeof(msg), &n, removed ?
		  "the partial results directory " :
		  "remove the partial results directory with: rm -r '");
	guard_cat(msg, sizeof(msg), &n, guard_dir);
	guard_cat(msg, sizeof(msg), &n, removed ? " was removed\n" : "'\n");
	if (write(STDERR_FILENO, msg, n) < 0)
		return;		/* stderr closed too: nothing more to do */
}

static void guard_handler(int sig)
{
	int saved = errno;

	/* published already (see ch_resdir_commit()): nothing to undo */
	if (guard_dir[0])
		guard_say(sig, guard_remove());
	signal(sig, SIG_DFL);
	errno = saved;
	raise(sig);
}

void ch_resdir_guard(const struct ch_resdir *rd, const char *what)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = guard_handler;
	sigfillset(&sa.sa_mask);
	snprintf(guard_dir, sizeof(guard_dir), "%s", rd->tmp);
	snprintf(guard_what, sizeof(guard_what), "%s", what);
	guard_tty = isatty(STDERR_FILENO);
	for (i = 0; i < CH_GUARD_NR; i++) {
		guard_set[i] = !sigaction(guard_sigs[i], NULL, &guard_old[i]) &&
			       guard_old[i].sa_handler != SIG_IGN &&
			       !sigaction(guard_sigs[i], &sa, NULL);
	}
}

void ch_resdir_unguard(void)
{
	size_t i;

	for (i = 0; i < CH_GUARD_NR; i++)
		if (guard_set[i])
			sigaction(guard_sigs[i], &guard_old[i], NULL);
	memset(guard_set, 0, sizeof(guard_set));
	guard_dir[0] = '\0';
}

/* Hold the guarded signals (in *old, the mask to put back). */
static void guard_block(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < CH_GUARD_NR; i++)
		sigaddset(&set, guard_sigs[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

int ch_resdir_check_space(const char *parent, uint64_t need, char *err,
			  size_t len)
{
	struct statvfs sv;
	uint64_t avail;

	if (statvfs(parent, &sv))
		return 0;	/* unknown: writing will say */
	avail = (uint64_t)sv.f_bavail * sv.f_frsize;
	if (avail >= need)
		return 0;
	snprintf(err, len,
		 "'%s' has %llu KiB free but this run writes about %llu KiB (ENOSPC ahead); free some space or give --out another directory",
		 parent, (unsigned long long)(avail >> 10),
		 (unsigned long long)((need + 1023) >> 10));
	return -ENOSPC;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A PMU for machines without one, for tests only: LD_PRELOAD it and
 * perf_event_open(2) (through syscall()), read(), ioctl() and close() on
 * its counters behave as FAKE_PMU says, with counts the test knows.
 *
 * FAKE_PMU is a comma list, one word per perf_event_open() in call order
 * (the last word repeats):
 *
 *   ok          opens; a read gives value B, enabled E, running E
 *   mux         multiplexed: value B, enabled E, running E/4 (scaled: 4B)
 *   idle        never on a counter: value 0, enabled E, running 0
 *   readfail    opens; reads fail with EIO from the FAKE_PMU_READS+1'th
 *               read of this counter on (default 0: every read fails)
 *   enospc, eopnotsupp, eacces, enoent
 *               perf_event_open() fails with that errno
 *
 * B is 1,000,000 times the counter's place in the open order (1, 2, ...),
 * E is 2,000,000 ns. FAKE_PMU_PARANOID=N makes
 * /proc/sys/kernel/perf_event_paranoid read N. Every other call goes to
 * the C library.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#define FAKE_MAX_FDS	1024
#define FAKE_BASE	1000000ULL
#define FAKE_ENABLED	2000000ULL

enum kind { K_OK, K_MUX, K_IDLE, K_READFAIL };

struct counter {
	int used;
	enum kind kind;
	uint64_t base;
	unsigned int reads;
};

static struct counter fds[FAKE_MAX_FDS];
static unsigned int nr_opened;

static long (*real_syscall)(long, ...);
static ssize_t (*real_read)(int, void *, size_t);
static int (*real_ioctl)(int, unsigned long, ...);
static int (*real_close)(int);
static FILE *(*real_fopen)(const char *, const char *);

static void init(void)
{
	if (real_syscall)
		return;
	real_syscall = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
	real_read = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT,
							     "ioctl");
	real_close = (int (*)(int))dlsym(RTLD_NEXT, "close");
	real_fopen = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT,
								  "fopen");
}

/* The word for the n'th open (0-based); the last one repeats. */
static void word_for(unsigned int n, char *buf, size_t len)
{
	const char *s = getenv("FAKE_PMU"), *p;
	unsigned int i = 0;
	size_t l;

	if (!s || !*s)
		s = "ok";
	for (p = s;; i++) {
		l = strcspn(p, ",");
		if (i == n || !p[l])
			break;
		p += l + 1;
	}
	snprintf(buf, len, "%.*s", (int)l, p);
}

static long fake_open(void)
{
	unsigned int n = nr_opened++;
	char w[32];
	int fd;

	word_for(n, w, sizeof(w));
	errno = !strcmp(w, "enospc") ? ENOSPC :
		!strcmp(w, "eopnotsupp") ? EOPNOTSUPP :
		!strcmp(w, "eacces") ? EACCES :
		!strcmp(w, "enoent") ? ENOENT : 0;
	if (errno)
		return -1;
	/* a real fd, so the number is unique and close() has work to do */
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fd >= FAKE_MAX_FDS)
		return -1;
	fds[fd].used = 1;
	fds[fd].base = FAKE_BASE * (n + 1);
	fds[fd].reads = 0;
	fds[fd].kind = !strcmp(w, "mux") ? K_MUX :
		       !strcmp(w, "idle") ? K_IDLE :
		       !strcmp(w, "readfail") ? K_READFAIL : K_OK;
	return fd;
}

long syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	init();
	if (nr == SYS_perf_event_open)
		return fake_open();
	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return real_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static int is_fake(int fd)
{
	return fd >= 0 && fd < FAKE_MAX_FDS && fds[fd].used;
}

ssize_t read(int fd, void *buf, size_t len)
{
	struct counter *c;
	uint64_t v[3];
	const char *after;

	init();
	if (!is_fake(fd))
		return real_read(fd, buf, len);
	c = &fds[fd];
	after = getenv("FAKE_PMU_READS");
	if (c->kind == K_READFAIL &&
	    c->reads >= (unsigned int)(after ? atoi(after) : 0)) {
		errno = EIO;
		return -1;
	}
	c->reads++;
	v[0] = c->kind == K_IDLE ? 0 : c->base;
	v[1] = FAKE_ENABLED;
	v[2] = c->kind == K_MUX ? FAKE_ENABLED / 4 :
	       c->kind == K_IDLE ? 0 : FAKE_ENABLED;
	if (len < sizeof(v)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(buf, v, sizeof(v));
	return sizeof(v);
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	init();
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (is_fake(fd))
		return 0;	/* reset, enable, disable: counts are fixed */
	return real_ioctl(fd, req, arg);
}

int close(int fd)
{
	init();
	if (is_fake(fd))
		fds[fd].used = 0;
	return real_close(fd);
}

FILE *fopen(const char *path, const char *mode)
{
	const char *p = getenv("FAKE_PMU_PARANOID");

	init();
	if (p && !strcmp(path, "/proc/sys/kernel/perf_event_paranoid"))
		return fmemopen((void *)p, strlen(p), "r");
	return real_fopen(path, mode);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The concurrent part of kmod_abuse: threads racing every ioctl on one
 * session, many sessions at once, a session shared across fork(), the
 * caller's memory unmapped and the session closed under a RUN, SIGKILL
 * in the middle of a RUN or a WALK, and rmmod while runs go on.
 *
 * Racing calls have no one right answer, so each kind of call is
 * tallied: every answer must be in the set of errnos this interface
 * gives for the case (and success must be seen), and the TAP line names
 * each answer and its count. After each part no page may stay pinned,
 * by the module's count and by /proc/vmstat's; run-guest judges dmesg.
 * Every loop has a fixed count: the guest is qemu TCG.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/userfaultfd.h>

#include "tests/kernel/kmod_abuse.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define NR_RACERS	4	/* threads on one session */
#define RACE_ITERS	400	/* calls per thread */
#define RACE_PAGES	64
#define RACE_WALK	16
#define RACE_SIGNALS	60	/* SIGUSR1s into the waits on the lock */
#define NR_FILES	64	/* sessions open at once */
#define FLICKERS	40	/* munmap, mmap of the upper half */
#define FLICKER_US	1000	/* how long each state lasts */
#define FLICKER_MAX_CALLS 20000
#define CAL_OPS		4096
#define RUN_MS		20	/* one long RUN, for kills and closes */
#define LONG_MAX_OPS	(1U << 20)
#define NR_CLOSES	4
#define NR_KILLS	3
#define KILL_RUNS	200	/* a victim's RUNs if no kill comes */
#define RMMOD_TRIES	40

static long page;
static uint32_t fn_index, fn_chase, fn_ref;	/* CHB_IOC_FUNC indices */
static uint32_t *long_idx;	/* i % RACE_PAGES: one RUN is ~RUN_MS */
static uint64_t long_nr, long_us;

static const int errs[] = {
	0, EINVAL, EFAULT, E2BIG, ENODATA, EINTR, EWOULDBLOCK, EBUSY, EBADF,
	EROFS, ENOMEM, EPERM, ENOTTY, EIO, EOPNOTSUPP, ENOENT,
};
static const char *const err_names[] = {
	"0", "EINVAL", "EFAULT", "E2BIG", "ENODATA", "EINTR", "EWOULDBLOCK",
	"EBUSY", "EBADF", "EROFS", "ENOMEM", "EPERM", "ENOTTY", "EIO",
	"EOPNOTSUPP", "ENOENT",
};
#define NR_ERRS		ARRAY_SIZE(errs)

static unsigned int err_slot(int err)
{
	unsigned int i;

	for (i = 0; i < NR_ERRS; i++)
		if (errs[i] == err)
			return i;
	return NR_ERRS;
}

static const char *err_name(int err)
{
	static char other[32];
	unsigned int i = err_slot(err);

	if (i < NR_ERRS)
		return err_names[i];
	snprintf(other, sizeof(other), "errno %d", err);
	return other;
}

/* A syscall's answer as an errno, 0 for success. */
static int call(long ret)
{
	return ret < 0 ? errno : 0;
}

static void appendf(char *d, size_t size, const char *fmt, ...)
{
	size_t len = strlen(d);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(d + len, size - len, fmt, ap);
	va_end(ap);
}

/* An answer @err captured earlier (in a child, a thread): @want it. */
static void expect_err(int err, int want, const char *what)
{
	char d[64];

	snprintf(d, sizeof(d), "want %s, ", err_name(want));
	appendf(d, sizeof(d), "got %s", err_name(err));
	check(err == want, what, d);
}

/* What one kind of call answered, over many racing calls. */
struct tally {
	const char *op;
	unsigned int allowed;		/* bit i: errs[i] is a right answer */
	unsigned int must;		/* bit i: errs[i] must be seen */
	unsigned long hits[NR_ERRS + 1];	/* the last: any other */
	int other;
};

#define ERRS(...)	err_mask((const int[]){ __VA_ARGS__, -1 })

static unsigned int err_mask(const int *e)
{
	unsigned int m = 0;

	for (; *e >= 0; e++)
		m |= 1U << err_slot(*e);
	return m;
}

static void tally_init(struct tally *t, const char *op, unsigned int allowed,
		       unsigned int must)
{
	memset(t, 0, sizeof(*t));
	t->op = op;
	t->allowed = allowed;
	t->must = must;
}

/* Count one answer, an errno or 0; from any thread. Returns it. */
static int tally_err(struct tally *t, int err)
{
	unsigned int i = err_slot(err);

	if (i == NR_ERRS)
		__atomic_store_n(&t->other, err, __ATOMIC_RELAXED);
	__atomic_add_fetch(&t->hits[i], 1, __ATOMIC_RELAXED);
	return err;
}

/* Count a syscall's answer: @ret, and errno if it failed. */
static int tally(struct tally *t, long ret)
{
	return tally_err(t, call(ret));
}

/* One TAP line: "RUN x120: 0 x80, ENODATA x40", every answer allowed. */
static void tally_check(const struct tally *t, const char *what)
{
	unsigned long total = 0;
	char d[320] = "";
	unsigned int i;
	int ok = 1;

	for (i = 0; i <= NR_ERRS; i++)
		total += t->hits[i];
	appendf(d, sizeof(d), "%s x%lu:", t->op, total);
	for (i = 0; i <= NR_ERRS; i++) {
		int in = i < NR_ERRS && (t->allowed & (1U << i));

		if (!t->hits[i])
			continue;
		ok &= in;
		appendf(d, sizeof(d), " %s%s x%lu", in ? "" : "UNEXPECTED ",
			i < NR_ERRS ? err_names[i] : err_name(t->other),
			t->hits[i]);
	}
	for (i = 0; i < NR_ERRS; i++)
		if ((t->must & (1U << i)) && !t->hits[i]) {
			ok = 0;
			appendf(d, sizeof(d), " (never %s)", err_names[i]);
		}
	if (!ok) {
		appendf(d, sizeof(d), "; allowed");
		for (i = 0; i < NR_ERRS; i++)
			if (t->allowed & (1U << i))
				appendf(d, sizeof(d), " %s", err_names[i]);
	}
	check(ok && total, what, d);
}

/*
 * @n order-0 pages of the caller's memory, each written. Never a THP,
 * even where the mapping merges with its neighbours into a 2 MiB
 * range: a page-ref RUN adds once for every page, a THP's tails (at 0)
 * take none.
 */
static char *buffer(long n)
{
	char *b = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (b == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		exit(1);
	}
	madvise(b, n * page, MADV_NOHUGEPAGE);
	memset(b, 1, n * page);
	return b;
}

/* Memory a child writes its answers into, for the parent to check. */
static void *shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		exit(1);
	}
	memset(p, 0, size);
	return p;
}

static pid_t fork_flushed(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("Bail out! fork: %s\n", strerror(errno));
		exit(1);
	}
	return pid;
}

/* One RUN of @func over the walk set; its errno, or 0. */
static int run_once(int fd, uint32_t func)
{
	struct chb_run run = { .func = func };

	return call(ioctl(fd, CHB_IOC_RUN, &run));
}

/*
 * A RUN of the long walk: one op a chunk, so the clock reads, the
 * interrupts toggled and the signal check between chunks make it slow,
 * and a short walk (quick to set) lasts.
 */
static int run_long(int fd)
{
	struct chb_run run = { .func = fn_index, .chunk = 1 };

	return call(ioctl(fd, CHB_IOC_RUN, &run));
}

/* No page pinned by any session, and vmstat's pin count back at @vm0. */
static void settled(const char *what, long long vm0)
{
	uint64_t mod = pinned();
	long long vm = vm_pins() - vm0;
	char d[64];

	snprintf(d, sizeof(d), "module %llu, vmstat %+lld",
		 (unsigned long long)mod, vm);
	check(mod == 0 && vm == 0, what, d);
}

/* The kernel's own loop of this kind (variant 0): its FUNC index. */
static uint32_t find_func(int fd, const struct chb_info *info, uint32_t loop,
			  uint32_t ref)
{
	struct chb_func f;
	uint32_t i;

	for (i = 0; i < info->nr_funcs; i++) {
		f.index = i;
		if (!ioctl(fd, CHB_IOC_FUNC, &f) &&
		    !f.variant && f.loop == loop && f.ref == ref)
			return i;
	}
	return 0;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

static void fill_long_idx(uint64_t nr)
{
	uint64_t i;

	free(long_idx);
	long_idx = malloc(nr * sizeof(*long_idx));
	if (!long_idx) {
		printf("Bail out! malloc: %s\n", strerror(errno));
		exit(1);
	}
	for (i = 0; i < nr; i++)
		long_idx[i] = i % RACE_PAGES;
	long_nr = nr;
}

/*
 * The walk over RACE_PAGES pages that keeps run_long() busy for about
 * RUN_MS on this CPU (qemu TCG is far slower than the host): the RUN
 * that kills, closes, munmaps and signals land in.
 */
static void calibrate(const struct chb_info *info, char *buf)
{
	uint64_t t, nr;
	char d[96];
	int fd = dev(), ok;

	fill_long_idx(CAL_OPS);
	ok = !pin(fd, buf, RACE_PAGES * page, NULL) &&
	     !walk(fd, long_idx, long_nr, CHB_LOOP_INDEX, NULL);
	t = now_us();
	ok = ok && !run_long(fd);
	t = now_us() - t + 1;
	close(fd);
	nr = CAL_OPS * RUN_MS * 1000ULL / t;
	if (nr > info->max_ops)
		nr = info->max_ops;
	nr = nr > LONG_MAX_OPS ? LONG_MAX_OPS : nr < CAL_OPS ? CAL_OPS : nr;
	fill_long_idx(nr);
	long_us = t * nr / CAL_OPS;
	snprintf(d, sizeof(d), "%d ops in %llu us; the long RUN: %llu ops",
		 CAL_OPS, (unsigned long long)t, (unsigned long long)nr);
	check(ok, "race: a RUN to time the long walk by", d);
}

/* ---- threads racing every ioctl on one session ---- */

enum { T_PIN, T_UNPIN, T_WALK, T_RUN, T_INSPECT, T_INFO, NR_T };

struct race {
	int fd;
	char *buf;			/* RACE_PAGES pages */
	struct tally t[NR_T];
	/* answers the session contradicts: a RUN's ops, its page-ref
	 * adds (one a page: order-0 pages), INFO's pin counts */
	unsigned long bad_ops, bad_adds, bad_info;
};

struct racer {
	pthread_t tid;
	void *sect;			/* the part's shared state */
	unsigned int id;
};

static void race_walk(struct race *r, unsigned int x)
{
	uint32_t idx[RACE_WALK];
	unsigned int i;

	for (i = 0; i < RACE_WALK; i++)
		idx[i] = (x / 16 + i) % 8;
	tally(&r->t[T_WALK], walk(r->fd, idx, RACE_WALK,
				  x & 1 ? CHB_LOOP_CHASE : CHB_LOOP_INDEX,
				  NULL));
}

static void race_run(struct race *r, unsigned int x)
{
	struct chb_run run = { .func = x % 3 == 0 ? fn_ref :
				       x % 3 == 1 ? fn_chase : fn_index,
			       .chunk = x & 4 ? 4 : 0 };

	if (tally(&r->t[T_RUN], ioctl(r->fd, CHB_IOC_RUN, &run)))
		return;
	if (run.ops != RACE_WALK)
		__atomic_add_fetch(&r->bad_ops, 1, __ATOMIC_RELAXED);
	if (run.func == fn_ref && run.checksum != RACE_WALK)
		__atomic_add_fetch(&r->bad_adds, 1, __ATOMIC_RELAXED);
}

static void race_op(struct race *r, unsigned int x)
{
	struct chb_page_rec rec;
	struct chb_inspect in = { .first = x % 8, .nr = 1,
				  .recs = (uintptr_t)&rec,
				  .rec_size = sizeof(rec) };
	struct chb_info info;

	switch (x % 12) {
	case 0: case 1: case 2:
		tally(&r->t[T_PIN], pin(r->fd,
			r->buf + x / 12 % (RACE_PAGES - 4) * page,
			(1 + x / 7 % 4) * page, NULL));
		break;
	case 3:
		tally(&r->t[T_UNPIN], ioctl(r->fd, CHB_IOC_UNPIN));
		break;
	case 4: case 5:
		race_walk(r, x / 12);
		break;
	case 6: case 7: case 8:
		race_run(r, x / 12);
		break;
	case 9: case 10:
		tally(&r->t[T_INSPECT], ioctl(r->fd, CHB_IOC_INSPECT, &in));
		break;
	default:
		/* only this session pins: its own count is everybody's */
		if (!tally(&r->t[T_INFO], ioctl(r->fd, CHB_IOC_INFO, &info)) &&
		    info.session_pages != info.pinned)
			__atomic_add_fetch(&r->bad_info, 1, __ATOMIC_RELAXED);
	}
}

static void *racer(void *arg)
{
	struct racer *w = arg;
	unsigned int seed = 0x5eed + w->id, i;

	for (i = 0; i < RACE_ITERS; i++)
		race_op(w->sect, rand_r(&seed));
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void race_tallies(struct race *r)
{
	tally_init(&r->t[T_PIN], "PIN", ERRS(0, E2BIG, EINTR), ERRS(0));
	tally_init(&r->t[T_UNPIN], "UNPIN", ERRS(0, EINTR), ERRS(0));
	/* EINVAL: an index past the pages pinned now */
	tally_init(&r->t[T_WALK], "WALK", ERRS(0, EINVAL, EINTR), ERRS(0));
	/* EINVAL: the loop is not the walk's */
	tally_init(&r->t[T_RUN], "RUN", ERRS(0, EINVAL, ENODATA, EINTR),
		   ERRS(0));
	tally_init(&r->t[T_INSPECT], "INSPECT", ERRS(0, EINVAL, EINTR),
		   ERRS(0));
	tally_init(&r->t[T_INFO], "INFO", ERRS(0, EINTR), ERRS(0));
}

/*
 * NR_RACERS threads, RACE_ITERS random calls each, on one open file,
 * while SIGUSR1 (no SA_RESTART) breaks into the waits on its lock.
 */
static void race_ioctls(void)
{
	static const char *const what[NR_T] = {
		"race: PINs", "race: UNPINs", "race: WALKs", "race: RUNs",
		"race: INSPECTs", "race: INFOs",
	};
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct racer w[NR_RACERS];
	long long vm0 = vm_pins();
	struct race r = { .fd = dev(), .buf = buffer(RACE_PAGES) };
	char d[64];
	int i;

	race_tallies(&r);
	sigaction(SIGUSR1, &sa, NULL);
	for (i = 0; i < NR_RACERS; i++) {
		w[i].sect = &r;
		w[i].id = i;
		pthread_create(&w[i].tid, NULL, racer, &w[i]);
	}
	for (i = 0; i < RACE_SIGNALS; i++) {
		pthread_kill(w[i % NR_RACERS].tid, SIGUSR1);
		usleep(500);
	}
	for (i = 0; i < NR_RACERS; i++)
		pthread_join(w[i].tid, NULL);
	signal(SIGUSR1, SIG_DFL);
	for (i = 0; i < NR_T; i++)
		tally_check(&r.t[i], what[i]);
	snprintf(d, sizeof(d), "wrong: ops %lu, adds %lu, pins %lu",
		 r.bad_ops, r.bad_adds, r.bad_info);
	check(!r.bad_ops && !r.bad_adds && !r.bad_info,
	      "race: RUNs' ops and adds, INFOs' pins, all as the session's",
	      d);
	expect(ioctl(r.fd, CHB_IOC_UNPIN), 0, "race: UNPIN after the race");
	close(r.fd);
	munmap(r.buf, RACE_PAGES * page);
	settled("race: every pin of the race released", vm0);
}

/*
 * A WALK whose indices lie in a userfaultfd page sleeps in the fault of
 * its copy_from_user(), the session's lock held, until this thread
 * fills the page: a lock held for as long as the test wants.
 */
struct waiter {
	int fd, uffd;
	char *hole;			/* registered, never touched */
	pid_t tid;			/* the waiter's */
	int err[2];			/* the holder's WALK, the INFO */
	int done;			/* the INFO returned */
};

static void *uffd_holder(void *arg)
{
	struct waiter *w = arg;

	w->err[0] = call(walk(w->fd, (uint32_t *)w->hole, 4, CHB_LOOP_INDEX,
			      NULL));
	return NULL;
}

static void *lock_waiter(void *arg)
{
	struct waiter *w = arg;
	struct chb_info info;

	__atomic_store_n(&w->tid, syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	w->err[1] = call(ioctl(w->fd, CHB_IOC_INFO, &info));
	__atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Is thread @tid asleep ('S' in its stat)? */
static int asleep(pid_t tid)
{
	char path[64], st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%*d (%*[^)]) %c", &st) != 1)
		st = 0;
	fclose(f);
	return st == 'S';
}

/* A userfaultfd over one untouched page; 0, or the errno. */
static int uffd_open(struct waiter *w)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };

	w->uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (w->uffd < 0)
		return errno;
	w->hole = mmap(NULL, page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (uintptr_t)w->hole;
	reg.range.len = page;
	if (w->hole == MAP_FAILED || ioctl(w->uffd, UFFDIO_API, &api) ||
	    ioctl(w->uffd, UFFDIO_REGISTER, &reg))
		return errno;
	return 0;
}

/* True once the holder's fault has arrived (5 s at most). */
static int uffd_wait(struct waiter *w)
{
	struct pollfd pfd = { .fd = w->uffd, .events = POLLIN };
	struct uffd_msg msg;

	return poll(&pfd, 1, 5000) == 1 &&
	       read(w->uffd, &msg, sizeof(msg)) == sizeof(msg) &&
	       msg.event == UFFD_EVENT_PAGEFAULT;
}

/* Map a page of @src at the hole: the holder's fault is over. */
static int uffd_fill(struct waiter *w, char *src)
{
	struct uffdio_copy copy = { .dst = (uintptr_t)w->hole,
				    .src = (uintptr_t)src, .len = page };

	return call(ioctl(w->uffd, UFFDIO_COPY, &copy));
}

/*
 * SIGUSR1 (a handler, no SA_RESTART) into an INFO asleep on the lock
 * that a WALK holds while it sleeps in a userfaultfd fault: EINTR, as
 * mutex_lock_interruptible() gives; then the WALK finishes.
 */
static void race_eintr(char *buf)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct waiter w = { .fd = dev() };
	int i, err = uffd_open(&w);
	pthread_t a, b;

	if (err) {
		check(1, "race: a call asleep on the lock # SKIP no userfaultfd",
		      err_name(err));
		close(w.fd);
		return;
	}
	sigaction(SIGUSR1, &sa, NULL);
	expect(pin(w.fd, buf, page, NULL), 0, "race: a session of 1 pin");
	pthread_create(&a, NULL, uffd_holder, &w);
	check(uffd_wait(&w), "race: a WALK sleeps in a fault, the lock held",
	      NULL);
	pthread_create(&b, NULL, lock_waiter, &w);
	for (i = 0; i < 5000 && !(__atomic_load_n(&w.tid, __ATOMIC_SEQ_CST)
				  && asleep(w.tid)); i++)
		usleep(1000);
	pthread_kill(b, SIGUSR1);
	/* 2 s for it to return; then, EINTR or not, let the WALK go */
	for (i = 0; i < 2000 && !__atomic_load_n(&w.done, __ATOMIC_SEQ_CST);
	     i++)
		usleep(1000);
	/* buf's second page is all ones: index 0x01010101, past the end */
	expect_err(uffd_fill(&w, buf + page), 0, "race: the fault filled");
	pthread_join(b, NULL);
	pthread_join(a, NULL);
	signal(SIGUSR1, SIG_DFL);
	expect_err(w.err[1], EINTR,
		   "race: an INFO asleep on that lock, signalled, is EINTR");
	expect_err(w.err[0], EINVAL,
		   "race: ... and the WALK reads the indices that came");
	expect(ioctl(w.fd, CHB_IOC_INFO, &(struct chb_info){ 0 }), 0,
	       "race: the lock is free again");
	close(w.uffd);
	munmap(w.hole, page);
	close(w.fd);
}

/* ---- many sessions at once ---- */

#define FILES_PER	(NR_FILES / NR_RACERS)

struct files {
	int fd[NR_FILES];
	char *buf;			/* 8 pages: each session pins 2 */
	int closing;			/* the odd sessions are closing */
	struct tally open, pin, walk, run, close;
	unsigned long bad;		/* page-ref did not add once a page */
};

static void files_run(struct files *f, int fd, uint32_t func)
{
	struct chb_run run = { .func = func };

	if (!tally(&f->run, ioctl(fd, CHB_IOC_RUN, &run)) &&
	    func == fn_ref && run.checksum != 8)
		__atomic_add_fetch(&f->bad, 1, __ATOMIC_RELAXED);
}

static void files_open(struct files *f, int k)
{
	static const uint32_t idx[8] = { 0, 1, 1, 0, 0, 1, 0, 1 };
	int fd = open(CHB_DEVICE, O_RDWR);

	f->fd[k] = fd;
	if (tally(&f->open, fd))
		return;
	tally(&f->pin, pin(fd, f->buf + k % 4 * 2 * page, 2 * page, NULL));
	tally(&f->walk, walk(fd, idx, 8, CHB_LOOP_INDEX, NULL));
	files_run(f, fd, fn_index);
	files_run(f, fd, fn_ref);
}

/*
 * Each thread opens its share of the sessions, then runs page-ref on
 * them: on the same 8 pages as every other thread's sessions.
 */
static void *files_worker(void *arg)
{
	struct racer *w = arg;
	struct files *f = w->sect;
	int k, n, first = w->id * FILES_PER;

	if (!f->closing)
		for (k = first; k < first + FILES_PER; k++)
			files_open(f, k);
	for (n = 0; n < 2; n++)
		for (k = first; k < first + FILES_PER; k++)
			if (f->fd[k] >= 0 && (!f->closing || !(k & 1)))
				files_run(f, f->fd[k], fn_ref);
	return NULL;
}

static void files_round(struct files *f, int closing)
{
	struct racer w[NR_RACERS];
	int i;

	f->closing = closing;
	for (i = 0; i < NR_RACERS; i++) {
		w[i].sect = f;
		w[i].id = i;
		pthread_create(&w[i].tid, NULL, files_worker, &w[i]);
	}
	/* the odd sessions close while the even ones run */
	for (i = 1; closing && i < NR_FILES; i += 2)
		if (f->fd[i] >= 0)
			tally(&f->close, close(f->fd[i]));
	for (i = 0; i < NR_RACERS; i++)
		pthread_join(w[i].tid, NULL);
}

/*
 * NR_FILES sessions, each pinning 2 of the same 8 pages, opened and run
 * by NR_RACERS threads at once; then half of them closed while the
 * other half run.
 */
static void race_files(void)
{
	struct files f = { .buf = buffer(8) };
	long long vm0 = vm_pins(), vm;
	uint64_t mod;
	char d[64];
	int i;

	tally_init(&f.open, "open", ERRS(0), ERRS(0));
	tally_init(&f.pin, "PIN", ERRS(0), ERRS(0));
	tally_init(&f.walk, "WALK", ERRS(0), ERRS(0));
	tally_init(&f.run, "RUN", ERRS(0), ERRS(0));
	tally_init(&f.close, "close", ERRS(0), ERRS(0));
	files_round(&f, 0);
	mod = pinned();
	vm = vm_pins() - vm0;
	snprintf(d, sizeof(d), "module %llu, vmstat %+lld",
		 (unsigned long long)mod, vm);
	check(mod == 2 * NR_FILES && vm == 2 * NR_FILES,
	      "files: 64 sessions hold 2 pins each", d);
	files_round(&f, 1);
	check(pinned() == NR_FILES, "files: the 32 left hold theirs", NULL);
	for (i = 0; i < NR_FILES; i += 2)
		if (f.fd[i] >= 0)
			tally(&f.close, close(f.fd[i]));
	tally_check(&f.open, "files: 64 opens from 4 threads");
	tally_check(&f.pin, "files: a PIN in each");
	tally_check(&f.walk, "files: a WALK in each");
	tally_check(&f.run, "files: RUNs of kernel and page-ref, pages shared");
	check(!f.bad, "files: page-ref added once to each walked page, always",
	      NULL);
	tally_check(&f.close, "files: closes, half of them under RUNs");
	munmap(f.buf, 8 * page);
	settled("files: every session's pins released", vm0);
}

/* ---- a session shared with a child ---- */

/* What a child saw, for its parent to check. */
struct forked {
	int err[6];
	uint64_t pages;
};

static const uint32_t idx4[4] = { 0, 1, 2, 3 };

/* A session with the first 4 pages of @buf pinned and walked. */
static int session4(char *buf)
{
	int fd = dev();

	if (pin(fd, buf, 4 * page, NULL) ||
	    walk(fd, idx4, 4, CHB_LOOP_INDEX, NULL)) {
		printf("Bail out! a session of 4 pages: %s\n", strerror(errno));
		exit(1);
	}
	return fd;
}

/* The child's side: use the inherited session, then close it. */
static void fork_child(struct forked *c, int fd, char *buf)
{
	struct chb_page_rec rec;
	struct chb_inspect in = { .nr = 1, .recs = (uintptr_t)&rec,
				  .rec_size = sizeof(rec) };
	struct chb_info info;
	int i;

	c->err[0] = call(ioctl(fd, CHB_IOC_INFO, &info));
	c->pages = info.session_pages;
	for (i = 0; i < 20 && !c->err[1]; i++)
		c->err[1] = run_once(fd, i & 1 ? fn_ref : fn_index);
	c->err[2] = call(pin(fd, buf + 4 * page, page, NULL));
	c->err[3] = call(ioctl(fd, CHB_IOC_INSPECT, &in));
	c->err[4] = call(close(fd));
	_exit(0);
}

/* The child uses the parent's session and closes it; the parent goes on. */
static void fork_shared(char *buf)
{
	struct forked *c = shared(sizeof(*c));
	long long vm0 = vm_pins();
	int fd = session4(buf), i, st;
	struct chb_info info;
	struct tally prun;
	pid_t pid;

	tally_init(&prun, "RUN", ERRS(0), ERRS(0));
	pid = fork_flushed();
	if (!pid)
		fork_child(c, fd, buf);
	for (i = 0; i < 20; i++)
		tally_err(&prun, run_once(fd, fn_index));
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && !WEXITSTATUS(st),
	      "fork: a child using the inherited session exits 0", NULL);
	expect_err(c->err[0], 0, "fork: the child's INFO");
	check(c->pages == 4, "fork: ... counts the parent's 4 pins", NULL);
	expect_err(c->err[1], 0, "fork: the child's 20 RUNs");
	tally_check(&prun, "fork: the parent's 20 RUNs, racing the child's");
	expect_err(c->err[2], EINVAL,
		   "fork: the child's PIN is EINVAL (the parent's mm's)");
	expect_err(c->err[3], 0, "fork: the child's INSPECT");
	expect_err(c->err[4], 0, "fork: the child's close()");
	expect(ioctl(fd, CHB_IOC_INFO, &info), 0,
	       "fork: the parent's session answers after the child's close");
	check(info.session_pages == 4 && pinned() == 4,
	      "fork: ... with its 4 pins", NULL);
	expect(ioctl(fd, CHB_IOC_RUN, &(struct chb_run){ .func = fn_index }),
	       0, "fork: ... and runs");
	close(fd);
	munmap(c, sizeof(*c));
	settled("fork: the parent's close() released the pins", vm0);
}

/* A child pins into a session no one pinned in yet, and exits. */
static void fork_child_pins(char *buf)
{
	struct forked *c = shared(sizeof(*c));
	struct chb_page_rec rec[4];
	struct chb_inspect in = { .nr = 4, .recs = (uintptr_t)rec,
				  .rec_size = sizeof(rec[0]) };
	long long vm0 = vm_pins();
	int fd = dev(), st, i, held = 1;
	struct chb_info info;
	pid_t pid;

	pid = fork_flushed();
	if (!pid) {
		char *own = buffer(4);

		c->err[0] = call(pin(fd, own, 4 * page, NULL));
		c->err[1] = call(walk(fd, idx4, 4, CHB_LOOP_INDEX, NULL));
		c->err[2] = run_once(fd, fn_index);
		_exit(0);	/* its pages and its mm go; the pins stay */
	}
	waitpid(pid, &st, 0);
	expect_err(c->err[0], 0, "fork: a child PINs into a fresh session");
	expect_err(c->err[1] ? c->err[1] : c->err[2], 0,
		   "fork: ... WALKs and RUNs, and exits");
	expect(ioctl(fd, CHB_IOC_INFO, &info), 0, "fork: the parent's INFO");
	check(info.session_pages == 4, "fork: ... the dead child's 4 pins stay",
	      NULL);
	expect(pin(fd, buf, page, NULL), EINVAL,
	       "fork: the parent's PIN is EINVAL (the child's mm's)");
	expect(ioctl(fd, CHB_IOC_RUN, &(struct chb_run){ .func = fn_ref }), 0,
	       "fork: page-ref over the dead child's pages");
	expect(ioctl(fd, CHB_IOC_INSPECT, &in), 0,
	       "fork: INSPECT of the dead child's pages");
	for (i = 0; i < 4; i++)
		held &= rec[i].refcount > 0;
	check(held, "fork: ... each page still held", NULL);
	expect(ioctl(fd, CHB_IOC_UNPIN), 0, "fork: the parent UNPINs them");
	check(pinned() == 0, "fork: ... and none is left", NULL);
	close(fd);
	munmap(c, sizeof(*c));
	settled("fork: the dead child's pages unpinned", vm0);
}

/* The parent closes first: the child's copy keeps the session. */
static void fork_parent_closes(char *buf)
{
	struct forked *c = shared(sizeof(*c));
	long long vm0 = vm_pins();
	int fd = session4(buf), p[2], st, i;
	char go = 0;
	pid_t pid;

	if (pipe(p))
		return;
	pid = fork_flushed();
	if (!pid) {
		close(p[1]);
		if (read(p[0], &go, 1) != 1)
			_exit(1);
		for (i = 0; i < 20 && !c->err[0]; i++)
			c->err[0] = run_once(fd, fn_index);
		/* every call checks CAP_SYS_ADMIN, not only open() */
		if (setgid(65534) || setuid(65534))
			_exit(2);
		c->err[1] = run_once(fd, fn_index);
		_exit(0);	/* the last close(), as nobody */
	}
	close(p[0]);
	close(fd);
	check(pinned() == 4, "fork: the parent closed; the child keeps 4 pins",
	      NULL);
	if (write(p[1], &go, 1) != 1)
		kill(pid, SIGKILL);
	close(p[1]);
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && !WEXITSTATUS(st),
	      "fork: the child ran on after the parent's close", NULL);
	expect_err(c->err[0], 0, "fork: ... its 20 RUNs");
	expect_err(c->err[1], EPERM,
		   "fork: ... and, once it dropped root, a RUN is EPERM");
	munmap(c, sizeof(*c));
	settled("fork: its exit as nobody released the pins", vm0);
}

/* ---- the caller's memory and the session going away under a RUN ---- */

struct unmap {
	int fd, memfd;
	char *anon, *shm;		/* RACE_PAGES / 2 pages each */
	int in_run, done, landed;	/* landed: the munmaps, in a RUN */
	pthread_barrier_t go;
	struct tally run, gone;
};

/* RUNs until the memory is gone (50 at most), and one more after. */
static void *unmap_runner(void *arg)
{
	struct unmap *u = arg;
	int i, done = 0;

	pthread_barrier_wait(&u->go);
	for (i = 0; i < 50 && !done; i++) {
		done = __atomic_load_n(&u->done, __ATOMIC_SEQ_CST);
		__atomic_store_n(&u->in_run, 1, __ATOMIC_SEQ_CST);
		tally_err(&u->run, run_long(u->fd));
		__atomic_store_n(&u->in_run, 0, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void *unmapper(void *arg)
{
	struct unmap *u = arg;
	size_t half = RACE_PAGES / 2 * page;

	pthread_barrier_wait(&u->go);
	usleep(long_us / 2);
	tally(&u->gone, munmap(u->anon, half));
	tally(&u->gone, munmap(u->shm, half));
	tally(&u->gone, close(u->memfd));
	u->landed = __atomic_load_n(&u->in_run, __ATOMIC_SEQ_CST);
	__atomic_store_n(&u->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Pin half of anonymous memory, half of a memfd's, walk them all. */
static void unmap_setup(struct unmap *u)
{
	size_t half = RACE_PAGES / 2 * page;

	u->memfd = memfd_create("chbench-race", 0);
	if (u->memfd < 0 || ftruncate(u->memfd, half)) {
		printf("Bail out! memfd: %s\n", strerror(errno));
		exit(1);
	}
	u->shm = mmap(NULL, half, PROT_READ | PROT_WRITE, MAP_SHARED,
		      u->memfd, 0);
	if (u->shm == MAP_FAILED) {
		printf("Bail out! mmap of a memfd: %s\n", strerror(errno));
		exit(1);
	}
	memset(u->shm, 2, half);
	u->anon = buffer(RACE_PAGES / 2);
	u->fd = dev();
	expect(pin(u->fd, u->anon, half, NULL) | pin(u->fd, u->shm, half, NULL),
	       0, "unmap: PIN of anonymous and memfd pages");
	expect(walk(u->fd, long_idx, long_nr, CHB_LOOP_INDEX, NULL), 0,
	       "unmap: a long WALK over them");
}

/*
 * munmap() of every pinned page and close() of the memfd behind half of
 * them, from another thread in the middle of a RUN: the pins hold the
 * pages, the RUN goes on, and close() of the session frees them.
 */
static void race_unmap(void)
{
	struct chb_page_rec rec[RACE_PAGES];
	struct chb_inspect in = { .nr = RACE_PAGES, .recs = (uintptr_t)rec,
				  .rec_size = sizeof(rec[0]) };
	long long vm0 = vm_pins();
	pthread_t a, b;
	struct unmap u = { 0 };
	int i, held = 1;

	tally_init(&u.run, "RUN", ERRS(0), ERRS(0));
	tally_init(&u.gone, "munmap, close", ERRS(0), ERRS(0));
	unmap_setup(&u);
	pthread_barrier_init(&u.go, NULL, 2);
	pthread_create(&a, NULL, unmap_runner, &u);
	pthread_create(&b, NULL, unmapper, &u);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_barrier_destroy(&u.go);
	tally_check(&u.run, "unmap: RUNs while the pinned memory goes");
	tally_check(&u.gone, u.landed ?
		    "unmap: munmap()s, close() of the memfd, in a RUN" :
		    "unmap: munmap()s, close() of the memfd, between RUNs");
	expect(ioctl(u.fd, CHB_IOC_INSPECT, &in), 0,
	       "unmap: INSPECT of the unmapped pages");
	for (i = 0; i < RACE_PAGES; i++)
		held &= rec[i].refcount > 0;
	check(held, "unmap: ... every page still held by its pin", NULL);
	expect(walk(u.fd, idx4, 4, CHB_LOOP_INDEX, NULL), 0,
	       "unmap: a short WALK over them");
	expect(ioctl(u.fd, CHB_IOC_RUN, &(struct chb_run){ .func = fn_ref }), 0,
	       "unmap: page-ref over them");
	check(pinned() == RACE_PAGES, "unmap: the module still counts 64",
	      NULL);
	close(u.fd);
	settled("unmap: close() freed the unmapped pages", vm0);
}

/*
 * Pages 4..7 of an 8-page range come and go (munmap, mmap) while the
 * other thread PINs all 8 and hands the kernel its WALK's indices, its
 * RUN's argument and INSPECT's records there: each call either works or
 * is EFAULT, and a PIN cut short unpins what it had pinned.
 */
struct flicker {
	int fd;
	char *r;			/* 8 pages */
	int done;
	struct tally t[NR_T], remap;
};

static void flicker_op(struct flicker *f)
{
	char *top = f->r + 4 * page;	/* never touched from here */
	struct chb_walk w = { .idx = (uintptr_t)(top + page), .nr = 16 };
	struct chb_inspect in = { .nr = 1, .recs = (uintptr_t)(top + 2 * page),
				  .rec_size = sizeof(struct chb_page_rec) };

	tally(&f->t[T_PIN], pin(f->fd, f->r, 8 * page, NULL));
	tally(&f->t[T_WALK], ioctl(f->fd, CHB_IOC_WALK, &w));
	/* all zeros when fresh: func 0 (kernel, index), default chunk */
	tally(&f->t[T_RUN], ioctl(f->fd, CHB_IOC_RUN, top));
	tally(&f->t[T_INSPECT], ioctl(f->fd, CHB_IOC_INSPECT, &in));
	tally(&f->t[T_UNPIN], ioctl(f->fd, CHB_IOC_UNPIN));
}

/* Calls until the flicker ends: many in each state, however fast. */
static void *flicker_caller(void *arg)
{
	struct flicker *f = arg;
	int i;

	for (i = 0; i < FLICKER_MAX_CALLS &&
		    !__atomic_load_n(&f->done, __ATOMIC_ACQUIRE); i++)
		flicker_op(f);
	return NULL;
}

static void *flickerer(void *arg)
{
	struct flicker *f = arg;
	char *top = f->r + 4 * page;
	void *p;
	int i;

	for (i = 0; i < FLICKERS; i++) {
		tally(&f->remap, munmap(top, 4 * page));
		usleep(FLICKER_US);
		/* NOREPLACE: never over a mapping another thread made */
		p = mmap(top, 4 * page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			 -1, 0);
		if (tally(&f->remap, p == top ? 0 : -1))
			break;
		usleep(FLICKER_US);
	}
	__atomic_store_n(&f->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void race_flicker(void)
{
	struct flicker f = { .fd = dev(), .r = buffer(8) };
	long long vm0 = vm_pins();
	pthread_t a, b;

	/* zeros, as after each mmap: RUN's func 0, WALK's index 0 */
	memset(f.r + 4 * page, 0, 4 * page);

	tally_init(&f.t[T_PIN], "PIN", ERRS(0, EFAULT), ERRS(0));
	/* EINVAL, ENODATA: the PIN before was cut short */
	tally_init(&f.t[T_WALK], "WALK", ERRS(0, EFAULT, EINVAL), ERRS(0));
	tally_init(&f.t[T_RUN], "RUN", ERRS(0, EFAULT, ENODATA), ERRS(0));
	tally_init(&f.t[T_INSPECT], "INSPECT", ERRS(0, EFAULT, EINVAL),
		   ERRS(0));
	tally_init(&f.t[T_UNPIN], "UNPIN", ERRS(0), ERRS(0));
	tally_init(&f.remap, "munmap, mmap", ERRS(0), ERRS(0));
	pthread_create(&a, NULL, flicker_caller, &f);
	pthread_create(&b, NULL, flickerer, &f);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	tally_check(&f.t[T_PIN], "flicker: PINs of 8 pages, 4 flickering");
	tally_check(&f.t[T_WALK], "flicker: WALKs reading indices there");
	tally_check(&f.t[T_RUN], "flicker: RUNs with their argument there");
	tally_check(&f.t[T_INSPECT], "flicker: INSPECTs writing there");
	tally_check(&f.t[T_UNPIN], "flicker: UNPINs");
	tally_check(&f.remap, "flicker: the other thread's munmap()s, mmap()s");
	close(f.fd);
	munmap(f.r, 8 * page);
	settled("flicker: no pin left, cut-short PINs included", vm0);
}

struct closer {
	int fd;
	int in_run;			/* the runner is in its RUN */
	int landed;			/* closes made inside a RUN */
	pthread_barrier_t go, closed;
	struct tally run, close, after;
};

static void *close_runner(void *arg)
{
	struct closer *c = arg;
	struct chb_info info;

	pthread_barrier_wait(&c->go);
	__atomic_store_n(&c->in_run, 1, __ATOMIC_SEQ_CST);
	tally_err(&c->run, run_long(c->fd));
	__atomic_store_n(&c->in_run, 0, __ATOMIC_SEQ_CST);
	pthread_barrier_wait(&c->closed);
	tally(&c->after, ioctl(c->fd, CHB_IOC_INFO, &info));
	return NULL;
}

static void *close_closer(void *arg)
{
	struct closer *c = arg;
	int i;

	pthread_barrier_wait(&c->go);
	for (i = 0; i < 100000 && !__atomic_load_n(&c->in_run,
						   __ATOMIC_SEQ_CST); i++)
		sched_yield();
	sched_yield();
	tally(&c->close, close(c->fd));
	/* still in it after close() returned: the file outlives the fd */
	c->landed += __atomic_load_n(&c->in_run, __ATOMIC_SEQ_CST);
	pthread_barrier_wait(&c->closed);
	return NULL;
}

/* One session of 64 pins and the long walk, closed under its RUN. */
static int close_once(struct closer *c, char *buf)
{
	pthread_t a, b;
	int held;

	c->fd = dev();
	held = !pin(c->fd, buf, RACE_PAGES * page, NULL) &&
	       !walk(c->fd, long_idx, long_nr, CHB_LOOP_INDEX, NULL) &&
	       pinned() == RACE_PAGES;
	pthread_barrier_init(&c->go, NULL, 2);
	pthread_barrier_init(&c->closed, NULL, 2);
	pthread_create(&a, NULL, close_runner, c);
	pthread_create(&b, NULL, close_closer, c);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	pthread_barrier_destroy(&c->go);
	pthread_barrier_destroy(&c->closed);
	return held;
}

/*
 * close() of the session from another thread during its RUN: the RUN
 * ends as if nothing happened, the next call is EBADF, and the pins go
 * when the RUN lets go of the file.
 */
static void race_close(char *buf)
{
	struct closer c = { 0 };
	long long vm0 = vm_pins();
	int i, held = 1, gone = 1;
	char d[64];

	tally_init(&c.run, "RUN", ERRS(0, EBADF), ERRS(0));
	tally_init(&c.close, "close", ERRS(0), ERRS(0));
	tally_init(&c.after, "INFO", ERRS(EBADF), ERRS(EBADF));
	for (i = 0; i < NR_CLOSES; i++) {
		held &= close_once(&c, buf);
		gone &= pinned() == 0;
	}
	check(held, "close: 4 sessions of 64 pins and a long walk", NULL);
	tally_check(&c.run, "close: RUNs with their session closed under them");
	snprintf(d, sizeof(d), "%d of %d inside a RUN", c.landed, NR_CLOSES);
	check(c.landed > 0, "close: the other thread's close()s", d);
	tally_check(&c.close, "close: ... each one 0");
	tally_check(&c.after, "close: the call after is EBADF");
	check(gone, "close: each session's pins gone once its RUN returned",
	      NULL);
	settled("close: no pin left", vm0);
}

/* ---- SIGKILL in the middle of a call ---- */

/* A child's long calls, for its parent to kill one in flight. */
struct victim {
	int in_call;			/* set around each call's ioctl */
	unsigned long calls;
	int err;			/* the first call's error, errno */
	int no_uffd;			/* userfaultfd() refused: errno */
};

/* Long RUNs (or WALKs) on @fd until the SIGKILL comes. */
static void victim(struct victim *v, int fd, int walks)
{
	int i, err;

	for (i = 0; i < KILL_RUNS; i++) {
		__atomic_store_n(&v->in_call, 1, __ATOMIC_SEQ_CST);
		err = walks ? call(walk(fd, long_idx, long_nr, CHB_LOOP_INDEX,
					NULL)) : run_long(fd);
		__atomic_store_n(&v->in_call, 0, __ATOMIC_SEQ_CST);
		if (err && !v->err)
			v->err = err;
		__atomic_add_fetch(&v->calls, 1, __ATOMIC_SEQ_CST);
	}
	_exit(0);
}

/* A victim in its own session over @buf; returns its pid. */
static pid_t victim_own(struct victim *v, char *buf, int walks)
{
	pid_t pid = fork_flushed();
	int fd;

	if (pid)
		return pid;
	fd = open(CHB_DEVICE, O_RDWR);
	if (fd < 0 || pin(fd, buf, RACE_PAGES * page, NULL) ||
	    walk(fd, long_idx, long_nr, CHB_LOOP_INDEX, NULL)) {
		v->err = errno;
		_exit(1);
	}
	victim(v, fd, walks);
	return 0;
}

/* Until one call is done and the next is in flight (5 s at most). */
static void wait_in_call(struct victim *v)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (__atomic_load_n(&v->calls, __ATOMIC_SEQ_CST) &&
		    __atomic_load_n(&v->in_call, __ATOMIC_SEQ_CST))
			return;
		usleep(1000);
	}
}

/*
 * Once one call is done and the next is in flight, SIGKILL halfway into
 * it. True if the victim died of it inside the call, with no error.
 */
static int kill_in_call(pid_t pid, struct victim *v)
{
	int st;

	wait_in_call(v);
	usleep(long_us / 2);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && v->in_call &&
	       !v->err;
}

/* Children killed in the middle of a RUN (and one of a WALK). */
static void kill_own(char *buf)
{
	struct victim *v = shared(sizeof(*v));
	long long vm0 = vm_pins();
	int i, in = 0, clean = 1;
	char d[64];

	for (i = 0; i < NR_KILLS; i++) {
		memset(v, 0, sizeof(*v));
		in += kill_in_call(victim_own(v, buf, 0), v);
		clean &= pinned() == 0;
	}
	snprintf(d, sizeof(d), "%d of %d killed inside a RUN", in, NR_KILLS);
	check(in == NR_KILLS, "kill: SIGKILL in the middle of RUN", d);
	check(clean, "kill: ... each one's pins released by its exit", NULL);
	memset(v, 0, sizeof(*v));
	check(kill_in_call(victim_own(v, buf, 1), v),
	      "kill: SIGKILL in the middle of a WALK", NULL);
	munmap(v, sizeof(*v));
	settled("kill: no pin left by the killed", vm0);
}

/* A child killed in a RUN of its parent's session: the session lives. */
static void kill_shared(char *buf)
{
	struct victim *v = shared(sizeof(*v));
	long long vm0 = vm_pins();
	struct chb_info info;
	int fd = dev();
	pid_t pid;

	expect(pin(fd, buf, RACE_PAGES * page, NULL) |
	       walk(fd, long_idx, long_nr, CHB_LOOP_INDEX, NULL), 0,
	       "kill: a session of 64 pins and a long walk");
	pid = fork_flushed();
	if (!pid)
		victim(v, fd, 0);
	check(kill_in_call(pid, v),
	      "kill: SIGKILL of a child in a RUN of its parent's session",
	      NULL);
	expect(ioctl(fd, CHB_IOC_INFO, &info), 0,
	       "kill: the parent's session answers");
	check(info.session_pages == RACE_PAGES && pinned() == RACE_PAGES,
	      "kill: ... with its 64 pins", NULL);
	expect_err(run_long(fd), 0, "kill: ... and RUNs");
	close(fd);
	munmap(v, sizeof(*v));
	settled("kill: the parent's close() released them", vm0);
}

/*
 * A child whose WALK sleeps in a userfaultfd fault, the session's lock
 * held, and a second thread asleep on that lock: SIGKILL ends both
 * calls and the process, and its exit releases the session.
 */
static void kill_in_fault(char *buf)
{
	struct victim *v = shared(sizeof(*v));
	struct waiter w = { 0 };
	long long vm0 = vm_pins();
	pthread_t a, b;
	int st, i;
	pid_t pid;

	pid = fork_flushed();
	if (!pid) {
		w.fd = dev();
		v->no_uffd = uffd_open(&w);
		if (!v->no_uffd)
			v->err = call(pin(w.fd, buf, RACE_PAGES * page, NULL));
		if (v->no_uffd || v->err) {
			__atomic_store_n(&v->in_call, 1, __ATOMIC_SEQ_CST);
			_exit(1);
		}
		pthread_create(&a, NULL, uffd_holder, &w);
		if (uffd_wait(&w))
			pthread_create(&b, NULL, lock_waiter, &w);
		for (i = 0; i < 5000 && !(__atomic_load_n(&w.tid,
			__ATOMIC_SEQ_CST) && asleep(w.tid)); i++)
			usleep(1000);
		/* both calls asleep: the WALK in its fault, INFO on the lock */
		v->calls = w.tid && asleep(w.tid);
		__atomic_store_n(&v->in_call, 1, __ATOMIC_SEQ_CST);
		pause();
		_exit(2);
	}
	for (i = 0; i < 5000 && !__atomic_load_n(&v->in_call,
						 __ATOMIC_SEQ_CST); i++)
		usleep(1000);
	if (v->no_uffd) {
		waitpid(pid, &st, 0);
		check(1, "kill: SIGKILL in a fault # SKIP no userfaultfd",
		      err_name(v->no_uffd));
		munmap(v, sizeof(*v));
		return;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL && v->calls,
	      "kill: SIGKILL of a WALK asleep in a fault, an INFO on its lock",
	      v->err ? err_name(v->err) : NULL);
	munmap(v, sizeof(*v));
	settled("kill: ... its exit released the session", vm0);
}

/* ---- rmmod while sessions come, run and go ---- */

struct busy {
	char *buf;
	struct tally open, pin, walk, run, close;
};

static void *busy_worker(void *arg)
{
	struct busy *b = arg;
	int i, fd;

	for (i = 0; i < 3; i++) {
		fd = open(CHB_DEVICE, O_RDWR);
		if (tally(&b->open, fd))
			continue;
		tally(&b->pin, pin(fd, b->buf, RACE_PAGES * page, NULL));
		tally(&b->walk, walk(fd, long_idx, long_nr, CHB_LOOP_INDEX,
				     NULL));
		tally_err(&b->run, run_long(fd));
		tally_err(&b->run, run_long(fd));
		tally(&b->close, close(fd));
	}
	return NULL;
}

/* delete_module(2) as rmmod does, but never waiting */
static long rmmod(void)
{
	return syscall(SYS_delete_module, "chbench", O_NONBLOCK);
}

/*
 * rmmod over and over while two threads open, pin, run and close
 * sessions and a child is killed in its RUN: always refused, since this
 * file (and every other) holds the module; afterwards the module is
 * still there and answers.
 */
static void race_rmmod(char *buf)
{
	struct victim *v = shared(sizeof(*v));
	struct busy b = { .buf = buf };
	long long vm0 = vm_pins();
	int guard = dev(), i, st;
	struct tally rm;
	pthread_t t[2];
	pid_t pid;

	tally_init(&b.open, "open", ERRS(0), ERRS(0));
	tally_init(&b.pin, "PIN", ERRS(0), ERRS(0));
	tally_init(&b.walk, "WALK", ERRS(0), ERRS(0));
	tally_init(&b.run, "RUN", ERRS(0), ERRS(0));
	tally_init(&b.close, "close", ERRS(0), ERRS(0));
	tally_init(&rm, "delete_module", ERRS(EWOULDBLOCK, EBUSY), 0);
	pid = victim_own(v, buf, 0);
	wait_in_call(v);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, busy_worker, &b);
	for (i = 0; i < RMMOD_TRIES; i++) {
		/* halfway, the victim dies: its release races the rest */
		if (i == RMMOD_TRIES / 2)
			kill(pid, SIGKILL);
		tally(&rm, rmmod());
		usleep(long_us / 8);
	}
	waitpid(pid, &st, 0);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	tally_check(&rm, "rmmod: refused while sessions run and a child dies");
	check(WIFSIGNALED(st) && v->calls && !v->err,
	      "rmmod: ... the child had RUNs done when killed", NULL);
	tally_check(&b.open, "rmmod: opens racing it");
	tally_check(&b.pin, "rmmod: PINs racing it");
	tally_check(&b.walk, "rmmod: WALKs racing it");
	tally_check(&b.run, "rmmod: RUNs racing it");
	tally_check(&b.close, "rmmod: closes racing it");
	expect(ioctl(guard, CHB_IOC_INFO, &(struct chb_info){ 0 }), 0,
	       "rmmod: the module is still there and answers");
	close(guard);
	munmap(v, sizeof(*v));
	settled("rmmod: no pin left", vm0);
}

void kmod_race(const struct chb_info *info)
{
	uint64_t t0 = now_us();
	int fd = dev();
	char *buf;

	page = sysconf(_SC_PAGESIZE);
	buf = buffer(RACE_PAGES);
	fn_index = find_func(fd, info, CHB_LOOP_INDEX, 0);
	fn_chase = find_func(fd, info, CHB_LOOP_CHASE, 0);
	fn_ref = find_func(fd, info, CHB_LOOP_INDEX, 1);
	close(fd);
	check(fn_chase && fn_ref, "race: the kernel's chase and page-ref loops",
	      NULL);
	calibrate(info, buf);
	race_ioctls();
	race_eintr(buf);
	race_files();
	fork_shared(buf);
	fork_child_pins(buf);
	fork_parent_closes(buf);
	race_unmap();
	race_flicker();
	race_close(buf);
	kill_own(buf);
	kill_shared(buf);
	kill_in_fault(buf);
	race_rmmod(buf);
	munmap(buf, RACE_PAGES * page);
	free(long_idx);
	printf("# the concurrent part took %.1f s\n", (now_us() - t0) / 1e6);
}

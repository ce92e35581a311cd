// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input through /dev/chbench, run inside the guest as root with
 * chbench.ko loaded: every call must fail with the errno named here and
 * leave no page pinned. Then the concurrent part, kmod_race.c. TAP on
 * stdout; exit 0 only if all pass.
 */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/kernel/kmod_abuse.h"

static int nr, failed;

void check(int ok, const char *what, const char *detail)
{
	nr++;
	printf("%sok %d - %s%s%s\n", ok ? "" : "not ", nr, what,
	       detail ? ": " : "", detail ? detail : "");
	failed += !ok;
}

/* The call fails with @want, or succeeds if @want is 0. */
void expect(int ret, int want, const char *what)
{
	char d[96];

	snprintf(d, sizeof(d), "want %s, got %s", want ? strerror(want) : "0",
		 ret ? strerror(errno) : "0");
	check(want ? ret == -1 && errno == want : ret == 0, what, d);
}

int dev(void)
{
	int fd = open(CHB_DEVICE, O_RDWR);

	if (fd < 0) {
		printf("Bail out! %s: %s\n", CHB_DEVICE, strerror(errno));
		exit(1);
	}
	return fd;
}

uint64_t pinned(void)
{
	struct chb_info info;
	int fd = dev();

	if (ioctl(fd, CHB_IOC_INFO, &info))
		info.pinned = UINT64_MAX;
	close(fd);
	return info.pinned;
}

/* nr_foll_pin_acquired - nr_foll_pin_released, from /proc/vmstat */
long long vm_pins(void)
{
	FILE *r = fopen("/proc/sys/vm/stat_refresh", "w");
	long long acq = 0, rel = 0, v;
	char key[64];
	FILE *f;

	/* fold the per-CPU vmstat deltas in first */
	if (r) {
		fputs("1\n", r);
		fclose(r);
	}
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2) {
		if (!strcmp(key, "nr_foll_pin_acquired"))
			acq = v;
		else if (!strcmp(key, "nr_foll_pin_released"))
			rel = v;
	}
	fclose(f);
	return acq - rel;
}

int pin(int fd, void *addr, uint64_t len, uint64_t *first)
{
	struct chb_pin p = { .addr = (uintptr_t)addr, .len = len };
	int ret = ioctl(fd, CHB_IOC_PIN, &p);

	if (first)
		*first = p.first;
	return ret;
}

int walk(int fd, const uint32_t *idx, uint64_t n, uint32_t loop,
	 uint64_t *bad)
{
	struct chb_walk w = { .idx = (uintptr_t)idx, .nr = n, .loop = loop };
	int ret = ioctl(fd, CHB_IOC_WALK, &w);

	if (bad)
		*bad = w.bad;
	return ret;
}

/*
 * page_ref_add_unless() over 4 pinned order-0 pages: 4 adds, all taken
 * back, every refcount as it was.
 */
static void page_ref_leaves_refcounts(int fd, const struct chb_info *info)
{
	struct chb_page_rec before[4], after[4];
	struct chb_inspect in = { .first = 0, .nr = 4,
				  .rec_size = sizeof(before[0]) };
	struct chb_run run = { 0 };
	struct chb_func f;
	uint32_t i, same = 1;

	for (i = 0; i < info->nr_funcs; i++) {
		f.index = i;
		if (!ioctl(fd, CHB_IOC_FUNC, &f) && f.ref)
			break;
	}
	check(i < info->nr_funcs, "the module has a page-ref loop", NULL);
	in.recs = (uintptr_t)before;
	expect(ioctl(fd, CHB_IOC_INSPECT, &in), 0, "INSPECT before page-ref");
	run.func = i;
	expect(ioctl(fd, CHB_IOC_RUN, &run), 0, "RUN of page-ref works");
	check(run.checksum == 4, "page-ref made 4 adds on 4 order-0 pages",
	      NULL);
	in.recs = (uintptr_t)after;
	expect(ioctl(fd, CHB_IOC_INSPECT, &in), 0, "INSPECT after page-ref");
	for (i = 0; i < 4; i++)
		same &= before[i].refcount == after[i].refcount &&
			before[i].refcount > 0;
	check(same, "... and every refcount is as it was", NULL);
}

/* chbench kernel verify as an unprivileged user: one line, exit 2. */
static void chbench_as_nobody(const char *chbench)
{
	char out[512] = "";
	size_t off;
	int p[2], st;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return;
	pid = fork();
	if (!pid) {
		dup2(p[1], 2);
		close(p[0]);
		if (setgid(65534) || setuid(65534))
			_exit(3);
		execl(chbench, "chbench", "kernel", "verify", (char *)NULL);
		_exit(4);
	}
	close(p[1]);
	for (off = 0; off < sizeof(out) - 1; off += n) {
		n = read(p[0], out + off, sizeof(out) - 1 - off);
		if (n <= 0)
			break;
	}
	out[off] = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 2 &&
	      strstr(out, "chbench kernel needs root (CAP_SYS_ADMIN)") &&
	      strchr(out, '\n') == out + strlen(out) - 1,
	      "chbench kernel verify as nobody: one line naming root, exit 2",
	      out);
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	long long pins0 = vm_pins();
	struct chb_info info;
	struct chb_run run = { 0 };
	struct chb_inspect in = { 0 };
	struct chb_page_rec rec;
	uint32_t idx[4] = { 0, 1, 2, 3 };
	uint64_t first, bad;
	char *buf, *hole;
	int fd, st;
	pid_t pid;

	fd = dev();
	expect(ioctl(fd, CHB_IOC_INFO, &info), 0, "INFO answers");
	check(info.abi == CHB_ABI, "the module speaks this ABI", NULL);

	buf = mmap(NULL, 16 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(buf, 1, 16 * page);
	/* pages 12..15 become a hole right after the mapped ones */
	munmap(buf + 12 * page, 4 * page);
	hole = mmap(NULL, 4 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	munmap(hole, 4 * page);

	/* PIN */
	expect(pin(fd, buf, 0, NULL), EINVAL, "PIN of length 0 is EINVAL");
	expect(pin(fd, buf + 1, page, NULL), EINVAL,
	       "PIN of an unaligned address is EINVAL");
	expect(pin(fd, buf, page + 1, NULL), EINVAL,
	       "PIN of an unaligned length is EINVAL");
	expect(pin(fd, buf, 1ULL << 63, NULL), EFAULT,
	       "PIN of 2^63 bytes is EFAULT (beyond the address space)");
	expect(pin(fd, (void *)(uintptr_t)-page, 2 * page, NULL), EFAULT,
	       "PIN wrapping past the end is EFAULT");
	expect(pin(fd, (void *)0xffff888000000000ULL, page, NULL), EFAULT,
	       "PIN of a kernel address is EFAULT");
	expect(pin(fd, hole, 4 * page, NULL), EFAULT,
	       "PIN of an unmapped range is EFAULT");
	expect(pin(fd, buf + 8 * page, 8 * page, NULL), EFAULT,
	       "PIN running into an unmapped page is EFAULT");
	check(pinned() == 0, "no page pinned after the failed PINs", NULL);

	/* RUN and INSPECT with nothing set */
	run.func = 0;
	expect(ioctl(fd, CHB_IOC_RUN, &run), ENODATA,
	       "RUN without a walk is ENODATA");
	in.nr = 1;
	in.recs = (uintptr_t)&rec;
	in.rec_size = sizeof(rec);
	expect(ioctl(fd, CHB_IOC_INSPECT, &in), EINVAL,
	       "INSPECT with nothing pinned is EINVAL");

	expect(pin(fd, buf, 4 * page, &first), 0, "PIN of 4 pages works");
	check(pinned() == 4, "the module counts 4 pinned pages", NULL);

	/* WALK */
	expect(walk(fd, idx, 0, CHB_LOOP_INDEX, NULL), EINVAL,
	       "WALK of 0 ops is EINVAL");
	expect(walk(fd, idx, 1ULL << 63, CHB_LOOP_INDEX, NULL), EINVAL,
	       "WALK of 2^63 ops is EINVAL");
	expect(walk(fd, idx, 4, 7, &bad), EINVAL,
	       "WALK with an unknown loop is EINVAL");
	check(bad == CHB_BAD_NONE, "... and names no position", NULL);
	expect(walk(fd, (uint32_t *)8, 4, CHB_LOOP_INDEX, NULL), EFAULT,
	       "WALK from a bad user pointer is EFAULT");
	idx[2] = 4;
	expect(walk(fd, idx, 4, CHB_LOOP_INDEX, &bad), EINVAL,
	       "WALK with an index past the end is EINVAL");
	check(bad == 2, "... and names position 2", NULL);
	idx[2] = 2;
	expect(walk(fd, idx, 4, CHB_LOOP_INDEX, NULL), 0, "a good WALK works");

	/* RUN */
	run.func = info.nr_funcs;
	expect(ioctl(fd, CHB_IOC_RUN, &run), EINVAL,
	       "RUN of a function past the table is EINVAL");
	run.func = 0;
	run.chunk = info.max_chunk + 1;
	expect(ioctl(fd, CHB_IOC_RUN, &run), EINVAL,
	       "RUN with a chunk over the limit is EINVAL");
	run.chunk = 0;
	expect(ioctl(fd, CHB_IOC_RUN, &run), 0, "RUN of 'kernel' works");
	check(run.ops == 4 && run.chunks == 1, "it ran 4 ops in 1 chunk",
	      NULL);
	run.func = 1;	/* kernel, chase: the walk is an index walk */
	expect(ioctl(fd, CHB_IOC_RUN, &run), EINVAL,
	       "RUN of a chase loop on an index walk is EINVAL");
	page_ref_leaves_refcounts(fd, &info);

	/* INSPECT */
	in.first = 3;
	in.nr = 2;
	expect(ioctl(fd, CHB_IOC_INSPECT, &in), EINVAL,
	       "INSPECT past the pinned pages is EINVAL");
	in.first = 0;
	in.nr = 1;
	in.rec_size = 8;
	expect(ioctl(fd, CHB_IOC_INSPECT, &in), EINVAL,
	       "INSPECT with a wrong record size is EINVAL");
	in.rec_size = sizeof(rec);
	in.recs = 8;
	expect(ioctl(fd, CHB_IOC_INSPECT, &in), EFAULT,
	       "INSPECT into a bad user pointer is EFAULT");
	expect(ioctl(fd, _IO(CHB_IOC_MAGIC, 99)), ENOTTY,
	       "an unknown ioctl is ENOTTY");
	expect(ioctl(fd, CHB_IOC_PIN, (void *)8), EFAULT,
	       "PIN with a bad argument pointer is EFAULT");
	expect(ioctl(fd, CHB_IOC_WALK, (void *)8), EFAULT,
	       "WALK with a bad argument pointer is EFAULT");
	expect(ioctl(fd, CHB_IOC_INFO, (void *)8), EFAULT,
	       "INFO into a bad pointer is EFAULT");
	/* the session's lock was dropped on every error above */
	expect(ioctl(fd, CHB_IOC_INFO, &info), 0,
	       "the session still answers after the EFAULTs");

	/* the range limit: E2BIG, and the pins before it stay */
	{
		int pfd = dev(), i, ok = 1;

		for (i = 0; i < (int)info.max_ranges; i++)
			ok &= !pin(pfd, buf, page, NULL);
		check(ok, "max_ranges PINs of one page work", NULL);
		expect(pin(pfd, buf, page, NULL), E2BIG,
		       "one PIN more is E2BIG");
		check(pinned() == 4 + info.max_ranges,
		      "... and every earlier pin is still counted", NULL);
		close(pfd);
	}

	/* unloading while a session holds pins: refused, pins intact */
	errno = 0;
	st = syscall(SYS_delete_module, "chbench", O_NONBLOCK);
	check(st == -1 && (errno == EWOULDBLOCK || errno == EBUSY),
	      "rmmod with a session open is refused", strerror(errno));
	check(pinned() == 4, "... and the 4 pins are intact", NULL);

	/* closing while a run is set up releases everything */
	close(fd);
	check(pinned() == 0, "close() with a walk set unpins all", NULL);

	/* a process that dies holding pins leaves none behind */
	pid = fork();
	if (!pid) {
		int cfd = dev();

		pin(cfd, buf, 12 * page, NULL);
		walk(cfd, idx, 4, CHB_LOOP_INDEX, NULL);
		kill(getpid(), SIGKILL);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	check(WIFSIGNALED(st), "a child killed with its pins held", NULL);
	check(pinned() == 0, "... left no page pinned", NULL);

	/* not root */
	pid = fork();
	if (!pid) {
		if (setuid(65534))
			_exit(3);
		_exit(open(CHB_DEVICE, O_RDWR) < 0 &&
		      (errno == EACCES || errno == EPERM) ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && !WEXITSTATUS(st),
	      "an unprivileged open is refused", NULL);

	if (argc > 1)
		chbench_as_nobody(argv[1]);
	kmod_race(&info);
	check(vm_pins() == pins0, "nr_foll_pin_acquired - released unchanged",
	      NULL);
	printf("1..%d\n# %d passed, %d failed\n", nr, nr - failed, failed);
	return failed ? 1 : 0;
}

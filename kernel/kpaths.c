// SPDX-License-Identifier: GPL-2.0
/*
 * The operations of chbench kernel paths, and the checks that each ran
 * on what it claims. See kernel/kpaths.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/kfolios.h"
#include "kernel/kpaths.h"
#include "vmemmap/pagemap.h"
#include "lib/util.h"
#include "page/page.h"
#include "lib/scnprintf.h"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED	2
#endif
#define CH_MPOL_MF_MOVE	(1 << 1)
#define CH_VMREADV_BUF	(2UL << 20)

long ch_kpath_rss_kb(bool hugetlb)
{
	const char *key = hugetlb ? "HugetlbPages:" : "RssAnon:";
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key))) {
			v = strtol(line + strlen(key), NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

const char *const ch_kpath_names[CH_NR_KPATHS] = {
	[CH_KPATH_ZAP_DONTNEED] = "zap-dontneed",
	[CH_KPATH_ZAP_MUNMAP] = "zap-munmap",
	[CH_KPATH_FORK] = "fork",
	[CH_KPATH_GUP_VMREADV] = "gup-vmreadv",
	[CH_KPATH_PIN] = "pin-longterm",
	[CH_KPATH_KPAGEFLAGS] = "kpageflags",
	[CH_KPATH_MLOCK] = "mlock",
	[CH_KPATH_MREMAP] = "mremap",
	[CH_KPATH_MOVE_PAGES] = "move-pages",
};

const char *const ch_kfolio_names[CH_NR_KFOLIOS] = {
	"order0", "thp-pmd", "thp-pte", "hugetlb-2m", "hugetlb-1g",
};

int ch_kpath_find(const char *name)
{
	int i;

	for (i = 1; i < CH_NR_KPATHS; i++)
		if (!strcmp(name, ch_kpath_names[i]))
			return i;
	return -1;
}

int ch_kfolio_find(const char *name)
{
	int i;

	for (i = 0; i < CH_NR_KFOLIOS; i++)
		if (!strcmp(name, ch_kfolio_names[i]))
			return i;
	return -1;
}

static const char *join(const char *const *names, int from, int to,
			char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = from; i < to && off < len; i++)
		off += scnprintf(buf + off, len - off, "%s%s",
				 i > from ? ", " : "", names[i]);
	return buf;
}

const char *ch_kpath_list(void)
{
	static char buf[256];

	return join(ch_kpath_names, 1, CH_NR_KPATHS, buf, sizeof(buf));
}

const char *ch_kfolio_list(void)
{
	static char buf[128];

	return join(ch_kfolio_names, 0, CH_NR_KFOLIOS, buf, sizeof(buf));
}

size_t ch_kfolio_size(int f)
{
	switch (f) {
	case CH_KFOLIO_ORDER0:
		return CH_PAGE_SIZE;
	case CH_KFOLIO_HUGETLB_1G:
		return 1UL << 30;
	default:
		return 2UL << 20;
	}
}

bool ch_kpath_on(int path, int f)
{
	/* mlock skips HugeTLB VMAs; mremap of one is not the same path */
	if (path == CH_KPATH_MLOCK || path == CH_KPATH_MREMAP)
		return !ch_kfolio_hugetlb(f);
	return path > CH_KPATH_NONE && path < CH_NR_KPATHS;
}


static int map_region(struct ch_kregion_op *r, char *err, size_t len)
{
	size_t fsz = ch_kfolio_size(r->folio);

	if (ch_kfolio_hugetlb(r->folio)) {
		int shift = r->folio == CH_KFOLIO_HUGETLB_1G ? 30 : 21;

		r->addr = mmap(NULL, r->len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
			       (shift << MAP_HUGE_SHIFT), -1, 0);
		if (r->addr == MAP_FAILED) {
			r->addr = NULL;
			snprintf(err, len, "mmap(MAP_HUGETLB) of %zu bytes: %s; reserve more HugeTLB pages (sysctl vm.nr_hugepages)",
				 r->len, strerror(errno));
			return -errno;
		}
		return 0;
	}
	r->addr = ch_map_aligned(r->len, fsz > CH_PAGE_SIZE ? fsz : CH_PAGE_SIZE,
			      0, PROT_READ | PROT_WRITE);
	if (!r->addr) {
		snprintf(err, len, "mmap of %zu bytes: %s", r->len,
			 strerror(errno));
		return -errno;
	}
	if (madvise(r->addr, r->len, r->folio == CH_KFOLIO_ORDER0 ?
		    MADV_NOHUGEPAGE : MADV_HUGEPAGE)) {
		snprintf(err, len, "madvise: %s; this kernel has no THP",
			 strerror(errno));
		return -errno;
	}
	return 0;
}

/* Every 4 KiB page written: no zero page, every folio faulted in. */
static void populate(char *addr, size_t len)
{
	volatile char *p = addr;
	size_t off;

	for (off = 0; off < len; off += CH_PAGE_SIZE)
		p[off] = 1;
}

/*
 * PMD mappings to PTEs, the folios kept whole: a page of each THP made
 * read-only and writable again splits its PMD (__split_huge_pmd()), and
 * the VMA merges back. Then MADV_NOHUGEPAGE, which leaves the folios as
 * they are but keeps khugepaged from collapsing the range back into PMD
 * mappings before the check reads smaps (seen on a loaded machine).
 */
static int split_to_ptes(struct ch_kregion_op *r, char *err, size_t len)
{
	size_t off;

	for (off = 0; off < r->len; off += 2UL << 20)
		if (mprotect(r->addr + off, CH_PAGE_SIZE, PROT_READ) ||
		    mprotect(r->addr + off, CH_PAGE_SIZE,
			     PROT_READ | PROT_WRITE)) {
			snprintf(err, len, "mprotect: %s", strerror(errno));
			return -errno;
		}
	if (madvise(r->addr, r->len, MADV_NOHUGEPAGE)) {
		snprintf(err, len, "madvise(MADV_NOHUGEPAGE): %s",
			 strerror(errno));
		return -errno;
	}
	return 0;
}

static int alloc_arrays(struct ch_kregion_op *r, char *err, size_t len)
{
	size_t nr = r->len / CH_PAGE_SIZE, i;

	if (r->path == CH_KPATH_GUP_VMREADV)
		r->buf = ch_map_aligned(CH_VMREADV_BUF, CH_PAGE_SIZE, 0,
				     PROT_READ | PROT_WRITE);
	if (r->path == CH_KPATH_GUP_VMREADV && !r->buf)
		goto oom;
	if (r->buf)
		populate(r->buf, CH_VMREADV_BUF);
	if (r->path == CH_KPATH_KPAGEFLAGS) {
		r->pfn = malloc(nr * sizeof(*r->pfn));
		r->flags = malloc(nr * sizeof(*r->flags));
		if (!r->pfn || !r->flags)
			goto oom;
	}
	if (r->path == CH_KPATH_MOVE_PAGES) {
		r->pages = malloc(nr * sizeof(*r->pages));
		r->nodes = malloc(nr * sizeof(*r->nodes));
		r->status = malloc(nr * sizeof(*r->status));
		if (!r->pages || !r->nodes || !r->status)
			goto oom;
		for (i = 0; i < nr; i++)
			r->pages[i] = r->addr + i * CH_PAGE_SIZE;
	}
	return 0;
oom:
	snprintf(err, len, "out of memory");
	return -ENOMEM;
}

/* What the path needs beyond the populated region, untimed. */
static int path_setup(struct ch_kregion_op *r, char *err, size_t len)
{
	size_t nr = r->len / CH_PAGE_SIZE, i;
	int ret;

	ret = alloc_arrays(r, err, len);
	if (ret)
		return ret;
	if (r->path == CH_KPATH_KPAGEFLAGS)
		return ch_pagemap_pfns(r->addr, nr, r->pfn, err, len);
	if (r->path == CH_KPATH_MREMAP) {
		r->dst = ch_map_aligned(r->len, 2UL << 20, MAP_NORESERVE,
				     PROT_NONE);
		if (!r->dst) {
			snprintf(err, len, "mmap: %s", strerror(errno));
			return -errno;
		}
	}
	if (r->path == CH_KPATH_MOVE_PAGES) {
		/* the node each page is on: moved to the same node */
		if (syscall(SYS_move_pages, 0, nr, r->pages, NULL, r->status,
			    0)) {
			snprintf(err, len, "move_pages: %s", strerror(errno));
			return -errno;
		}
		for (i = 0; i < nr; i++)
			r->nodes[i] = r->status[i] < 0 ? 0 : r->status[i];
	}
	return 0;
}

int ch_kregion_setup(struct ch_kregion_op *r, char *err, size_t len)
{
	int ret;

	r->addr = r->dst = r->buf = NULL;
	r->pfn = r->flags = NULL;
	r->pages = NULL;
	r->nodes = r->status = NULL;
	r->child = 0;
	r->done = 0;
	r->op_errno = 0;
	ret = map_region(r, err, len);
	if (ret)
		return ret;
	populate(r->addr, r->len);
	if (r->folio == CH_KFOLIO_THP_PTE && !r->fake_nosplit) {
		ret = split_to_ptes(r, err, len);
		if (ret)
			return ret;
	}
	ret = path_setup(r, err, len);
	if (ret)
		return ret;
	r->rss_before = ch_kpath_rss_kb(ch_kfolio_hugetlb(r->folio));
	return 0;
}

/* /proc/kpageflags over the region's pfns: one pread per run of pfns. */
static int op_kpageflags(struct ch_kregion_op *r, int fd)
{
	size_t nr = r->len / CH_PAGE_SIZE, i = 0, j;
	long long got = 0;

	while (i < nr) {
		ssize_t n;

		for (j = i + 1; j < nr && r->pfn[j] == r->pfn[j - 1] + 1; j++)
			;
		n = pread(fd, r->flags + i, (j - i) * sizeof(uint64_t),
			  r->pfn[i] * sizeof(uint64_t));
		if (n < 0)
			return -1;
		got += n / sizeof(uint64_t);
		i = j;
	}
	r->done = got;
	return 0;
}

/* process_vm_readv() of our own pages: each is pinned, copied, unpinned */
static int op_vmreadv(struct ch_kregion_op *r)
{
	struct iovec local[1024], remote = { r->addr, r->len };
	size_t nl = r->len / CH_VMREADV_BUF, i;
	ssize_t n;

	if (!nl)
		nl = 1;
	for (i = 0; i < nl && i < ARRAY_SIZE(local); i++) {
		local[i].iov_base = r->buf;
		local[i].iov_len = r->len < CH_VMREADV_BUF ? r->len :
				   CH_VMREADV_BUF;
	}
	n = process_vm_readv(getpid(), local, i, &remote, 1, 0);
	r->done = n;
	return n < 0 ? -1 : 0;
}

static int op_pin(struct ch_kregion_op *r)
{
	struct chb_pin p = { .addr = (uintptr_t)r->addr, .len = r->len };

	if (ioctl(r->k->fd, CHB_IOC_PIN, &p))
		return -1;
	r->done = p.first;	/* 0: the session held nothing before */
	return ioctl(r->k->fd, CHB_IOC_UNPIN);
}

static int op_fork(struct ch_kregion_op *r)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	r->child = pid;
	return pid < 0 ? -1 : 0;
}

int ch_kregion_op(struct ch_kregion_op *r)
{
	size_t nr = r->len / CH_PAGE_SIZE;
	static int kpf = -1;

	switch (r->path) {
	case CH_KPATH_ZAP_DONTNEED:
		return r->fake_nozap ? 0 :
		       madvise(r->addr, r->len, MADV_DONTNEED);
	case CH_KPATH_ZAP_MUNMAP:
		if (r->fake_nozap)
			return 0;
		if (munmap(r->addr, r->len))
			return -1;
		r->addr = NULL;
		return 0;
	case CH_KPATH_FORK:
		return op_fork(r);
	case CH_KPATH_GUP_VMREADV:
		return op_vmreadv(r);
	case CH_KPATH_PIN:
		return op_pin(r);
	case CH_KPATH_KPAGEFLAGS:
		if (kpf < 0)
			kpf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
		return kpf < 0 ? -1 : op_kpageflags(r, kpf);
	case CH_KPATH_MLOCK:
		return mlock(r->addr, r->len) || munlock(r->addr, r->len) ?
		       -1 : 0;
	case CH_KPATH_MREMAP:
		if (mremap(r->addr, r->len, r->len,
			   MREMAP_MAYMOVE | MREMAP_FIXED, r->dst) == MAP_FAILED)
			return -1;
		r->addr = NULL;
		return 0;
	case CH_KPATH_MOVE_PAGES:
		return syscall(SYS_move_pages, 0, nr, r->pages, r->nodes,
			       r->status, CH_MPOL_MF_MOVE) ? -1 : 0;
	}
	errno = EINVAL;
	return -1;
}

void ch_kregion_release(struct ch_kregion_op *r)
{
	if (r->child > 0)
		waitpid(r->child, NULL, 0);
	r->child = 0;
	if (r->addr)
		munmap(r->addr, r->len);
	if (r->dst)
		munmap(r->dst, r->len);
	if (r->buf)
		munmap(r->buf, CH_VMREADV_BUF);
	free(r->pfn);
	free(r->flags);
	free(r->pages);
	free(r->nodes);
	free(r->status);
	r->addr = r->dst = r->buf = NULL;
	r->pfn = r->flags = NULL;
	r->pages = NULL;
	r->nodes = r->status = NULL;
}

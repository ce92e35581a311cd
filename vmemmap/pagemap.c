// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmemmap/pagemap.h"
#include "page/page.h"

#define CH_PM_PRESENT	(1ULL << 63)
#define CH_PM_PFN	((1ULL << 55) - 1)

int ch_pagemap_pfns(const void *addr, size_t nr, uint64_t *pfn, char *err,
		    size_t len)
{
	off_t off = (uintptr_t)addr / CH_PAGE_SIZE * sizeof(uint64_t);
	size_t i, want = nr * sizeof(uint64_t);
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ssize_t got;
	int e;

	if (fd < 0) {
		e = errno;
		snprintf(err, len, "/proc/self/pagemap: %s", strerror(e));
		return -e;
	}
	got = pread(fd, pfn, want, off);
	e = got < 0 ? errno : EIO;
	close(fd);
	if (got != (ssize_t)want) {
		snprintf(err, len, "/proc/self/pagemap: short read (%s)",
			 got < 0 ? strerror(e) : "end of file");
		return -e;
	}
	for (i = 0; i < nr; i++)
		pfn[i] = (pfn[i] & CH_PM_PRESENT) ? pfn[i] & CH_PM_PFN : 0;
	return 0;
}

int ch_kpageflags(uint64_t pfn, uint64_t *flags, char *err, size_t len)
{
	int fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	ssize_t got;
	int e;

	if (fd < 0) {
		e = errno;
		snprintf(err, len, "/proc/kpageflags: %s (needs root and CONFIG_PROC_PAGE_MONITOR)",
			 strerror(e));
		return -e;
	}
	got = pread(fd, flags, sizeof(*flags), pfn * sizeof(*flags));
	close(fd);
	if (got != sizeof(*flags)) {
		snprintf(err, len, "/proc/kpageflags: no entry for pfn %#llx",
			 (unsigned long long)pfn);
		return -ENOENT;
	}
	return 0;
}

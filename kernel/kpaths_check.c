// SPDX-License-Identifier: GPL-2.0
/*
 * chbench kernel paths: did each path run on what it claims? Before the
 * operation, what the kernel made of the region (kpageflags, smaps);
 * after it, what the operation did (RSS, present pages, bytes read,
 * pages pinned, pages moved).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kpaths.h"
#include "vmemmap/pagemap.h"
#include "page/page.h"

#define KPF(b)		(1ULL << CH_KPF_##b)
#define KPF_SEEN	(KPF(COMPOUND_HEAD) | KPF(COMPOUND_TAIL) | KPF(THP) | \
			 KPF(HUGE))

long ch_kpath_anon_huge_kb(const void *addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool in = false;
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
			continue;
		}
		if (in && !strncmp(line, "AnonHugePages:", 14)) {
			v = strtol(line + 14, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

/* The flags (of KPF_SEEN) page @i of a folio of kind @f must show. */
static uint64_t want_flags(int f, size_t i)
{
	size_t per = ch_kfolio_size(f) / CH_PAGE_SIZE;
	uint64_t pos = i % per ? KPF(COMPOUND_TAIL) : KPF(COMPOUND_HEAD);

	if (f == CH_KFOLIO_ORDER0)
		return 0;
	return pos | (ch_kfolio_hugetlb(f) ? KPF(HUGE) : KPF(THP));
}

static const char *flag_text(uint64_t fl, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s",
		 fl & KPF(COMPOUND_HEAD) ? " COMPOUND_HEAD" : "",
		 fl & KPF(COMPOUND_TAIL) ? " COMPOUND_TAIL" : "",
		 fl & KPF(THP) ? " THP" : "", fl & KPF(HUGE) ? " HUGE" : "");
	if (!buf[0])
		snprintf(buf, len, " none");
	return buf;
}

/* kpageflags of every page, against the folio kind. */
static int check_flags(const struct ch_kregion_op *r, char *err, size_t len)
{
	size_t nr = r->len / CH_PAGE_SIZE, i, bad = 0, first = 0;
	uint64_t *pfn = malloc(nr * sizeof(*pfn)), fl = 0, got = 0;
	int fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC), ret = 0;
	char a[96], b[96];

	if (fd < 0 || !pfn) {
		snprintf(err, len, "/proc/kpageflags: %s; kernel paths reads it as root (CAP_SYS_ADMIN) to check every page",
			 fd < 0 ? strerror(errno) : "out of memory");
		ret = fd < 0 ? -errno : -ENOMEM;
		goto out;
	}
	ret = ch_pagemap_pfns(r->addr, nr, pfn, err, len);
	for (i = 0; !ret && i < nr; i++) {
		if (!pfn[i] || pread(fd, &fl, sizeof(fl), pfn[i] * 8) != 8)
			fl = ~0ULL;
		if ((fl & KPF_SEEN) != want_flags(r->folio, i) && !bad++) {
			first = i;
			got = fl;
		}
	}
	if (!ret && bad) {
		snprintf(err, len, "%s: %zu of %zu pages are not what the kernel shows (kpageflags); page %zu:%s, wanted%s",
			 ch_kfolio_names[r->folio], bad, nr, first,
			 got == ~0ULL ? " not present" :
			 flag_text(got & KPF_SEEN, a, sizeof(a)),
			 flag_text(want_flags(r->folio, first), b, sizeof(b)));
		ret = -EIO;
	}
out:
	if (fd >= 0)
		close(fd);
	free(pfn);
	return ret;
}

int ch_kregion_check(const struct ch_kregion_op *r, char *err, size_t len)
{
	long huge;
	int ret;

	ret = check_flags(r, err, len);
	if (ret)
		return ret;
	if (r->folio != CH_KFOLIO_THP_PMD && r->folio != CH_KFOLIO_THP_PTE)
		return 0;
	huge = ch_kpath_anon_huge_kb(r->addr);
	if (r->folio == CH_KFOLIO_THP_PMD && huge != (long)(r->len >> 10)) {
		snprintf(err, len, "thp-pmd: smaps counts %ld of %zu kB PMD-mapped (AnonHugePages)",
			 huge, r->len >> 10);
		return -EIO;
	}
	if (r->folio == CH_KFOLIO_THP_PTE && huge != 0) {
		snprintf(err, len, "thp-pte: smaps counts %ld of %zu kB still PMD-mapped (AnonHugePages); the split to PTEs did not happen",
			 huge, r->len >> 10);
		return -EIO;
	}
	return 0;
}

/* Pages of the @nr from @addr that pagemap shows present. */
static long present(const void *addr, size_t nr, char *err, size_t len)
{
	uint64_t *pfn = malloc(nr * sizeof(*pfn));
	long n = 0;
	size_t i;

	if (!pfn || ch_pagemap_pfns(addr, nr, pfn, err, len)) {
		free(pfn);
		return -1;
	}
	for (i = 0; i < nr; i++)
		n += !!pfn[i];
	free(pfn);
	return n;
}

/* The zap: the RSS fell by the region (half at least: per-CPU counts). */
static int check_zap(struct ch_kregion_op *r, char *err, size_t len)
{
	long after = ch_kpath_rss_kb(ch_kfolio_hugetlb(r->folio));
	long want = r->len >> 10, left = 0;

	if (r->path == CH_KPATH_ZAP_DONTNEED)
		left = present(r->addr, r->len / CH_PAGE_SIZE, err, len);
	if (left < 0)
		return -EIO;
	if (left || r->rss_before < 0 || after < 0 ||
	    r->rss_before - after < want / 2) {
		snprintf(err, len, "%s on %s: %ld of %zu pages still present, RSS fell by %ld of %ld kB (%s)",
			 ch_kpath_names[r->path], ch_kfolio_names[r->folio],
			 left, r->len / CH_PAGE_SIZE, r->rss_before - after,
			 want, ch_kfolio_hugetlb(r->folio) ? "HugetlbPages" :
			 "RssAnon");
		return -EIO;
	}
	return 0;
}

static int check_moved(struct ch_kregion_op *r, char *err, size_t len)
{
	size_t nr = r->len / CH_PAGE_SIZE, i, bad = 0;

	for (i = 0; i < nr; i++)
		bad += r->status[i] != r->nodes[i];
	if (!bad)
		return 0;
	snprintf(err, len, "move-pages on %s: %zu of %zu pages not on their node after the call",
		 ch_kfolio_names[r->folio], bad, nr);
	return -EIO;
}

static int check_done(struct ch_kregion_op *r, char *err, size_t len)
{
	long long want = 0;
	long n;

	switch (r->path) {
	case CH_KPATH_GUP_VMREADV:
		want = r->len;
		break;
	case CH_KPATH_KPAGEFLAGS:
		want = r->len / CH_PAGE_SIZE;
		break;
	case CH_KPATH_PIN:
		want = 0;	/* the first index: nothing pinned before */
		break;
	case CH_KPATH_MREMAP:
		n = present(r->dst, r->len / CH_PAGE_SIZE, err, len);
		if (n < 0)
			return -EIO;
		r->done = n;
		want = r->len / CH_PAGE_SIZE;
		break;
	default:
		return 0;
	}
	if (r->done == want)
		return 0;
	snprintf(err, len, "%s on %s: %lld %s of %lld asked for",
		 ch_kpath_names[r->path], ch_kfolio_names[r->folio], r->done,
		 r->path == CH_KPATH_GUP_VMREADV ? "bytes read" :
		 r->path == CH_KPATH_PIN ? "pages pinned before" : "pages",
		 want);
	return -EIO;
}

int ch_kregion_after(struct ch_kregion_op *r, char *err, size_t len)
{
	int ret = 0;

	if (r->op_errno) {
		snprintf(err, len, "%s on %s failed: %s",
			 ch_kpath_names[r->path], ch_kfolio_names[r->folio],
			 strerror(r->op_errno));
		ret = -r->op_errno;
	} else if (r->path == CH_KPATH_ZAP_DONTNEED ||
		   r->path == CH_KPATH_ZAP_MUNMAP)
		ret = check_zap(r, err, len);
	else if (r->path == CH_KPATH_MOVE_PAGES)
		ret = check_moved(r, err, len);
	else
		ret = check_done(r, err, len);
	ch_kregion_release(r);
	return ret;
}

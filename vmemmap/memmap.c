// SPDX-License-Identifier: GPL-2.0

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmemmap/memmap.h"
#include "lib/sysfs.h"
#include "lib/units.h"

/* Mappings left for the C library, Google Benchmark and friends. */
#define CH_MAPS_SLACK	512

static uint64_t vmemmap_pages(const struct ch_folio *f)
{
	return ((uint64_t)1 << f->order) * sizeof(struct page) / CH_PAGE_SIZE;
}

/* Would @layout optimize this folio's vmemmap? */
static bool ch_layout_optimizes(enum ch_layout layout,
				const struct ch_folio *f)
{
	if (layout == CH_LAYOUT_NONE || f->kind != CH_FOLIO_HUGETLB)
		return false;
	/* like hugetlb_vmemmap_optimizable(): something must be freed */
	return vmemmap_pages(f) > ch_layouts[layout].private_pages;
}

/* Memory mappings the layout needs for these folios. */
static uint64_t ch_memmap_maps_needed(const struct ch_folios *fs,
				      enum ch_layout layout)
{
	uint64_t n = 1;
	uint32_t i;

	for (i = 0; i < fs->nr; i++) {
		const struct ch_folio *f = &fs->f[i];

		/* every alias, plus the real mapping split after it */
		if (ch_layout_optimizes(layout, f))
			n += vmemmap_pages(f) -
			     ch_layouts[layout].private_pages + 1;
	}
	return n;
}

size_t ch_memmap_align(unsigned int max_order)
{
	size_t a = ((size_t)1 << max_order) * sizeof(struct page);

	return a < CH_PAGE_SIZE ? CH_PAGE_SIZE : a;
}

/* In blocks: with many aliases mapped, a character at a time was slow. */
static long maps_in_use(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char buf[1 << 16];
	long n = 0;
	size_t got, i;

	if (!f)
		return 0;
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		for (i = 0; i < got; i++)
			n += buf[i] == '\n';
	fclose(f);
	return n;
}

/*
 * The largest --mem that fits, as a power of two (which every command,
 * footprint included, takes) no smaller than the largest folio; NULL when
 * not even one folio fits, or less than the caller's command takes.
 */
uint64_t ch_memmap_advice_min;

static const char *fit_mem(const struct ch_folios *fs, double frac,
			   char *buf, size_t len)
{
	uint64_t unit = CH_PAGE_SIZE << fs->max_order;
	uint64_t m = (uint64_t)((double)fs->mem * frac), p = unit;

	if (m < unit || m < ch_memmap_advice_min)
		return NULL;
	while (p <= m / 2)
		p <<= 1;
	return ch_fmt_size(p, buf, len);
}

int ch_memmap_check_orders(const struct ch_mix *mix, enum ch_layout layout,
			   char *err, size_t len)
{
	unsigned int keep = ch_layouts[layout].private_pages, min_order = 0;
	char a[32];
	int i;

	/* like hugetlb_vmemmap_optimizable(): more than it keeps to free */
	while (((uint64_t)sizeof(struct page) << min_order) / CH_PAGE_SIZE <=
	       keep)
		min_order++;

	for (i = 0; layout != CH_LAYOUT_NONE && i < mix->nr; i++) {
		const struct ch_mix_class *cl = &mix->cls[i];
		uint64_t sp = ((uint64_t)sizeof(struct page) << cl->order);

		if (!cl->hugetlb || !cl->percent || cl->order >= min_order)
			continue;
		snprintf(err, len,
			 "--mix %s: %s never optimizes an order-%u HugeTLB folio (its %s of struct pages fit in the %u vmemmap page%s it keeps); use order %u or more (h9: 2 MiB) or --layout none",
			 mix->name, ch_layouts[layout].name, cl->order,
			 ch_fmt_bytes(sp, a, sizeof(a)), keep,
			 keep > 1 ? "s" : "", min_order);
		return -EINVAL;
	}
	return 0;
}

int ch_memmap_check(const struct ch_mix *mix, uint64_t mem,
		    enum ch_layout layout, char *err, size_t len)
{
	long avail_kb = ch_sys_read_long("/proc/meminfo", "MemAvailable:");
	uint64_t bytes = mem / CH_PAGE_SIZE * sizeof(struct page);
	char a[32], b[32], c[32], d[32];
	int ret;

	ret = ch_memmap_check_orders(mix, layout, err, len);
	if (ret)
		return ret;
	/* the plain layout's memmap, the largest: all of it resident */
	if (avail_kb > 0 && bytes > (uint64_t)avail_kb * 1024 * 9 / 10) {
		uint64_t fit = (uint64_t)avail_kb * 1024 * 9 / 10 /
			       sizeof(struct page) * CH_PAGE_SIZE;
		uint64_t unit = fit >= (1ULL << 30) ? 1ULL << 30 : 1ULL << 20;

		snprintf(err, len,
			 "--mem %s needs %s of memmap but MemAvailable is %s; use --mem %s or less",
			 ch_fmt_size(mem, a, sizeof(a)),
			 ch_fmt_bytes(bytes, b, sizeof(b)),
			 ch_fmt_bytes((uint64_t)avail_kb * 1024, c, sizeof(c)),
			 ch_fmt_size(fit / unit * unit, d, sizeof(d)));
		return -ENOMEM;
	}
	return 0;
}

static int check_limits(const struct ch_folios *fs, enum ch_layout layout,
			uint64_t resident, char *err, size_t len)
{
	uint64_t need = ch_memmap_maps_needed(fs, layout);
	long max = ch_sys_read_long("/proc/sys/vm/max_map_count", NULL);
	long used = maps_in_use();
	long avail_kb = ch_sys_read_long("/proc/meminfo", "MemAvailable:");
	char a[32], b[32], c[32], d[32];

	if (max > 0 && need + used + CH_MAPS_SLACK > (uint64_t)max) {
		double room = (double)(max - used - CH_MAPS_SLACK);
		const char *fit = fit_mem(fs, room > 0 ? room / need : 0, b,
					  sizeof(b));

		snprintf(err, len,
			 "%s with --mix %s --mem %s needs %" PRIu64 " mappings (one per aliased vmemmap page) but vm.max_map_count is %ld with %ld in use and %d kept spare; raise it (sysctl -w vm.max_map_count=%" PRIu64 ")%s%s%s",
			 ch_layouts[layout].name, fs->mix.name,
			 ch_fmt_size(fs->mem, a, sizeof(a)), need, max, used,
			 CH_MAPS_SLACK,
			 (need + used + CH_MAPS_SLACK + 65535) / 65536 * 65536,
			 fit ? " or use --mem " : "", fit ? fit : "",
			 fit ? " or less" : "");
		return -ENOMEM;
	}
	if (avail_kb > 0 && resident > (uint64_t)avail_kb * 1024 * 9 / 10) {
		const char *fit = fit_mem(fs, (double)avail_kb * 1024 * 0.9 /
					  resident, d, sizeof(d));

		snprintf(err, len,
			 "--mem %s needs %s of memmap but MemAvailable is %s%s%s%s",
			 ch_fmt_size(fs->mem, a, sizeof(a)),
			 ch_fmt_bytes(resident, b, sizeof(b)),
			 ch_fmt_bytes((uint64_t)avail_kb * 1024, c, sizeof(c)),
			 fit ? "; use --mem " : "", fit ? fit : "",
			 fit ? " or less" : "");
		return -ENOMEM;
	}
	return 0;
}

static int sys_err(char *err, size_t len, const struct ch_memmap *mm,
		   const char *what, int e)
{
	char a[32];

	if (e == ENOMEM && !strcmp(what, "mmap"))
		snprintf(err, len,
			 "mapping the %s vmemmap for --mem %s failed (ENOMEM): vm.max_map_count or address space exhausted; raise vm.max_map_count or use a smaller --mem",
			 ch_layouts[mm->layout].name,
			 ch_fmt_size(mm->fs->mem, a, sizeof(a)));
	else if (e == ENOMEM || e == ENOSPC)
		snprintf(err, len,
			 "allocating the %s vmemmap for --mem %s failed (%s): not enough memory or tmpfs space; use a smaller --mem",
			 ch_layouts[mm->layout].name,
			 ch_fmt_size(mm->fs->mem, a, sizeof(a)), strerror(e));
	else
		snprintf(err, len, "%s for the emulated vmemmap failed: %s",
			 what, strerror(e));
	return -e;
}

static int alloc_range(struct ch_memmap *mm, uint64_t from, uint64_t to,
		       char *err, size_t len)
{
	if (to <= from)
		return 0;
	if (fallocate(mm->fd, 0, from, to - from))
		return sys_err(err, len, mm, "fallocate", errno);
	return 0;
}

/* Write the struct pages that are real memory: all but the aliased ones. */
static void write_folio(struct ch_memmap *mm, const struct ch_folio *f,
			bool optimized)
{
	struct page *head = mm->base + f->pfn;
	unsigned long info = ch_compound_info(head, f->order, mm->enc);
	uint64_t i, nr = (uint64_t)1 << f->order;

	if (optimized)
		nr = ch_layouts[mm->layout].private_pages * CH_PAGES_PER_VMEMMAP;
	ch_prep_page(head, f->order > 0);
	for (i = 1; i < nr; i++)
		ch_prep_tail(head + i, info);
}

/*
 * One shared page of tails per order. With the mask encoding every tail
 * of an order stores the same word, so one page serves every folio. The
 * kernel keeps one per zone and order (zone->vmemmap_tails[]); the
 * emulation has no zones, so it is the kernel with one zone. With
 * the pointer encoding no such page can exist; the one made here points at
 * the first folio that needed it, which is what sharing would do.
 */
static int make_shared_page(struct ch_memmap *mm, const struct ch_folio *f,
			    uint64_t off, char *err, size_t len)
{
	struct page tails[CH_PAGES_PER_VMEMMAP];
	unsigned long info = ch_compound_info(mm->base + f->pfn, f->order,
					      mm->enc);
	ssize_t n;
	size_t i;

	for (i = 0; i < CH_PAGES_PER_VMEMMAP; i++)
		ch_prep_tail(&tails[i], info);
	n = pwrite(mm->fd, tails, sizeof(tails), off);
	if (n != sizeof(tails))
		return sys_err(err, len, mm, "pwrite", n < 0 ? errno : ENOSPC);
	return 0;
}

static uint64_t alias_target(struct ch_memmap *mm, const struct ch_folio *f,
			     uint64_t *shared_off)
{
	uint64_t start = (uint64_t)f->pfn * sizeof(struct page);

	switch (mm->layout) {
	case CH_LAYOUT_HVO_2PAGE:
		return start + CH_PAGE_SIZE;
	case CH_LAYOUT_HVO_SHARED_TAIL:
		return shared_off[f->order];
	default:
		return start;
	}
}

static int map_aliases(struct ch_memmap *mm, uint64_t *shared_off,
		       char *err, size_t len)
{
	unsigned int priv = ch_layouts[mm->layout].private_pages;
	uint32_t i;

	for (i = 0; i < mm->fs->nr; i++) {
		const struct ch_folio *f = &mm->fs->f[i];
		char *start = (char *)(mm->base + f->pfn);
		uint64_t j, target;

		if (!ch_layout_optimizes(mm->layout, f))
			continue;
		target = alias_target(mm, f, shared_off);
		for (j = priv; j < vmemmap_pages(f); j++) {
			void *want = start + j * CH_PAGE_SIZE;
			void *p = mmap(want, CH_PAGE_SIZE, PROT_READ,
				       MAP_SHARED | MAP_FIXED | MAP_POPULATE,
				       mm->fd, target);

			if (p == MAP_FAILED)
				return sys_err(err, len, mm, "mmap", errno);
			mm->nr_alias++;
		}
	}
	return 0;
}

/* Each vmemmap page is mapped on its own: they must be kernel pages. */
static int check_page_size(char *err, size_t len)
{
	if ((unsigned long)sysconf(_SC_PAGESIZE) != CH_PAGE_SIZE) {
		snprintf(err, len,
			 "the emulated vmemmap maps 4 KiB pages one by one, but this kernel's pages are %ld KiB; run on a 4 KiB-page kernel (x86-64, or arm64 with 4K pages; qemu-user on such a host)",
			 sysconf(_SC_PAGESIZE) / 1024);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * Where the memfd's pages go: the memmap itself, then one shared page of
 * tails per order that needs one (its offset in @shared_off, UINT64_MAX
 * for the others). Returns the file's length; *aliased is how much of the
 * memmap is aliased, never allocated.
 */
static uint64_t plan_file(struct ch_memmap *mm, uint64_t *shared_off,
			  uint64_t *aliased)
{
	const struct ch_folios *fs = mm->fs;
	unsigned int priv = ch_layouts[mm->layout].private_pages;
	uint64_t file_len = mm->map_len;
	uint32_t i;

	*aliased = 0;
	for (i = 0; i <= CH_MAX_ORDER; i++)
		shared_off[i] = UINT64_MAX;
	for (i = 0; i < fs->nr; i++) {
		const struct ch_folio *f = &fs->f[i];

		if (!ch_layout_optimizes(mm->layout, f))
			continue;
		mm->nr_hvo++;
		*aliased += (vmemmap_pages(f) - priv) * CH_PAGE_SIZE;
		if (ch_layouts[mm->layout].shared &&
		    shared_off[f->order] == UINT64_MAX) {
			shared_off[f->order] = file_len;
			file_len += CH_PAGE_SIZE;
			mm->nr_shared++;
		}
	}
	return file_len;
}

/* The address range, PROT_NONE, with mm->base aligned to mm->va_align. */
static int reserve_va(struct ch_memmap *mm, char *err, size_t len)
{
	uintptr_t a;

	mm->resv_len = mm->map_len + mm->va_align;
	mm->resv = mmap(NULL, mm->resv_len, PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mm->resv == MAP_FAILED) {
		mm->resv = NULL;
		return sys_err(err, len, mm, "mmap", errno);
	}
	a = ((uintptr_t)mm->resv + mm->va_align - 1) &
	    ~(uintptr_t)(mm->va_align - 1);
	mm->base = (struct page *)a;
	return 0;
}

/* Reserve the real pages up front: a clean ENOMEM, never SIGBUS. */
static int alloc_real_pages(struct ch_memmap *mm, char *err, size_t len)
{
	unsigned int priv = ch_layouts[mm->layout].private_pages;
	uint64_t cursor = 0;
	uint32_t i;
	int ret;

	for (i = 0; i < mm->fs->nr; i++) {
		const struct ch_folio *f = &mm->fs->f[i];
		uint64_t start = (uint64_t)f->pfn * sizeof(struct page);

		if (!ch_layout_optimizes(mm->layout, f))
			continue;
		ret = alloc_range(mm, cursor, start + priv * CH_PAGE_SIZE,
				  err, len);
		if (ret)
			return ret;
		cursor = start + vmemmap_pages(f) * CH_PAGE_SIZE;
	}
	return alloc_range(mm, cursor, mm->map_len, err, len);
}

/* Each order's shared page of tails, from the first folio that needs it. */
static int make_shared_pages(struct ch_memmap *mm, const uint64_t *shared_off,
			     char *err, size_t len)
{
	bool shared_made[CH_MAX_ORDER + 1] = { false };
	uint32_t i;
	int ret;

	for (i = 0; i < mm->fs->nr; i++) {
		const struct ch_folio *f = &mm->fs->f[i];

		if (!ch_layout_optimizes(mm->layout, f) ||
		    !ch_layouts[mm->layout].shared)
			continue;
		if (shared_made[f->order])
			continue;
		ret = make_shared_page(mm, f, shared_off[f->order], err, len);
		if (ret)
			return ret;
		shared_made[f->order] = true;
	}
	return 0;
}

/* What the memmap costs: virtual, resident in the memfd, and saved. */
static int measure_footprint(struct ch_memmap *mm, char *err, size_t len)
{
	struct stat st;

	if (fstat(mm->fd, &st))
		return sys_err(err, len, mm, "fstat", errno);
	mm->fp.virt = mm->bytes;
	mm->fp.resident = (uint64_t)st.st_blocks * 512;
	mm->fp.saved = mm->map_len > mm->fp.resident ?
		       mm->map_len - mm->fp.resident : 0;
	return 0;
}

int ch_memmap_create(struct ch_memmap *mm, const struct ch_folios *fs,
		     enum ch_layout layout, enum ch_encoding enc,
		     char *err, size_t len)
{
	uint64_t shared_off[CH_MAX_ORDER + 1];
	uint64_t aliased, file_len;
	uint32_t i;
	int ret;

	memset(mm, 0, sizeof(*mm));
	mm->fs = fs;
	mm->layout = layout;
	mm->enc = enc;
	mm->fd = -1;
	ret = check_page_size(err, len);
	if (ret)
		return ret;
	mm->bytes = (size_t)fs->nr_pages * sizeof(struct page);
	mm->map_len = (mm->bytes + CH_PAGE_SIZE - 1) & ~(CH_PAGE_SIZE - 1);
	mm->align = ch_memmap_align(fs->max_order);
	/*
	 * The kernel's vmemmap starts at a PUD-aligned address. Placing every
	 * emulated memmap the same way gives them all the same page-table
	 * and TLB geometry, so two memmaps differ only in their contents.
	 */
	mm->va_align = mm->align > CH_VMEMMAP_VA_ALIGN ? mm->align :
			CH_VMEMMAP_VA_ALIGN;
	file_len = plan_file(mm, shared_off, &aliased);
	ret = check_limits(fs, layout, file_len - aliased, err, len);
	if (ret)
		return ret;
	ret = reserve_va(mm, err, len);
	if (ret)
		return ret;

	mm->fd = memfd_create("chbench-vmemmap", MFD_CLOEXEC);
	if (mm->fd < 0 || ftruncate(mm->fd, file_len)) {
		ret = sys_err(err, len, mm, "memfd", errno);
		goto fail;
	}
	ret = alloc_real_pages(mm, err, len);
	if (ret)
		goto fail;
	if (mmap(mm->base, mm->map_len, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, mm->fd, 0) == MAP_FAILED) {
		ret = sys_err(err, len, mm, "mmap", errno);
		goto fail;
	}
	for (i = 0; i < fs->nr; i++)
		write_folio(mm, &fs->f[i],
			    ch_layout_optimizes(layout, &fs->f[i]));
	ret = make_shared_pages(mm, shared_off, err, len);
	if (ret)
		goto fail;
	ret = map_aliases(mm, shared_off, err, len);
	if (ret)
		goto fail;
	ret = measure_footprint(mm, err, len);
	if (ret)
		goto fail;
	return 0;
fail:
	ch_memmap_destroy(mm);
	return ret;
}

void ch_memmap_destroy(struct ch_memmap *mm)
{
	if (mm->resv)
		munmap(mm->resv, mm->resv_len);
	if (mm->fd >= 0)
		close(mm->fd);
	mm->resv = NULL;
	mm->base = NULL;
	mm->fd = -1;
}

bool ch_memmap_key(const struct ch_memmap *mm, enum ch_key key)
{
	if (key != CH_KEY_AUTO)
		return key == CH_KEY_ON;
	return mm->nr_hvo > 0;
}

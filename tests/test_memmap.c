// SPDX-License-Identifier: GPL-2.0
/*
 * Tests for vmemmap/memmap.c and vmemmap/verify.c: the emulated vmemmap.
 *
 * The aliasing tests go around the code under test: they write the memfd
 * with pwrite() and read /proc/self/maps, and check what the mappings
 * show, so a layout that only imitated aliasing (copies) would fail them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmemmap/folios.h"
#include "vmemmap/memmap.h"
#include "vmemmap/mix.h"
#include "lib/util.h"
#include "vmemmap/verify.h"
#include "variants/variants.h"

#define KiB	(1ULL << 10)
#define MiB	(1ULL << 20)
#define GiB	(1ULL << 30)

/*
 * What a test has built, so that the teardown can free it when the test
 * failed half way: leaked mappings would count against the map limits of
 * the tests after it.
 */
#define MAX_LIVE	8
static struct ch_folios *live_fs[MAX_LIVE];
static struct ch_memmap *live_mm[MAX_LIVE];

static void track(void **live, void *p, void *old)
{
	int i;

	for (i = 0; i < MAX_LIVE; i++) {
		if (live[i] == old) {
			live[i] = p;
			return;
		}
	}
	fail_msg("more than %d objects live", MAX_LIVE);
}

static struct ch_folios *folios(const char *mix, uint64_t mem)
{
	struct ch_folios *fs = calloc(1, sizeof(*fs));
	struct ch_mix m;
	char err[512] = "";

	assert_non_null(fs);
	track((void **)live_fs, fs, NULL);
	if (ch_mix_parse(mix, &m, err, sizeof(err)))
		fail_msg("--mix %s: %s", mix, err);
	if (ch_folios_build(fs, &m, mem, 1, err, sizeof(err)))
		fail_msg("--mix %s: %s", mix, err);
	return fs;
}

static void folios_free(struct ch_folios *fs)
{
	track((void **)live_fs, NULL, fs);
	ch_folios_free(fs);
	free(fs);
}

static struct ch_memmap *memmap(const struct ch_folios *fs, enum ch_layout l,
				enum ch_encoding e)
{
	struct ch_memmap *mm = calloc(1, sizeof(*mm));
	char err[1024] = "";
	int ret;

	assert_non_null(mm);
	ret = ch_memmap_create(mm, fs, l, e, err, sizeof(err));
	if (ret) {
		free(mm);
		fail_msg("%s/%s on --mix %s: %d (%s)", ch_layouts[l].name,
			 ch_encoding_name(e), fs->mix.name, ret, err);
	}
	track((void **)live_mm, mm, NULL);
	return mm;
}

static void unmap(struct ch_memmap *mm)
{
	track((void **)live_mm, NULL, mm);
	ch_memmap_destroy(mm);
	free(mm);
}

/* The first HugeTLB folio of order @order after folio index @from. */
static const struct ch_folio *hugetlb_folio(const struct ch_folios *fs,
					    unsigned int order, uint32_t from)
{
	uint32_t i;

	for (i = from; i < fs->nr; i++)
		if (fs->f[i].kind == CH_FOLIO_HUGETLB &&
		    fs->f[i].order == order)
			return &fs->f[i];
	fail_msg("no order-%u HugeTLB folio after index %u in %s", order,
		 from, fs->mix.name);
	return NULL;
}

static int key_off(void **state)
{
	(void)state;
	ch_hvo_key_set(false);
	return 0;
}

static int cleanup(void **state)
{
	int i;

	key_off(state);
	for (i = 0; i < MAX_LIVE; i++) {
		if (live_mm[i])
			unmap(live_mm[i]);
		if (live_fs[i])
			folios_free(live_fs[i]);
	}
	return 0;
}

/* --- alignment -------------------------------------------------------- */

static void align_is_16m_for_1g_folios_and_32k_for_2m(void **state)
{
	(void)state;
	assert_int_equal(ch_memmap_align(18), 16 * MiB);
	assert_int_equal(ch_memmap_align(9), 32 * KiB);
	assert_int_equal(ch_memmap_align(0), 4 * KiB);
}

static void check_base_aligned(const char *mix, uint64_t mem, size_t want)
{
	struct ch_folios *fs = folios(mix, mem);
	int l;

	for (l = 0; l < CH_NR_LAYOUTS; l++) {
		struct ch_memmap *mm;

		mm = memmap(fs, l, CH_ENC_MASK);
		assert_int_equal(mm->align, want);
		if ((uintptr_t)mm->base % want)
			fail_msg("--mix %s on %s: base %p is not aligned to %zu",
				 mix, ch_layouts[l].name, (void *)mm->base,
				 want);
		unmap(mm);
	}
	folios_free(fs);
}

static void base_is_16m_aligned_for_a_mix_with_h18(void **state)
{
	(void)state;
	check_base_aligned("0:50,h18:50", 2 * GiB, 16 * MiB);
}

static void base_is_32k_aligned_for_mixed(void **state)
{
	(void)state;
	check_base_aligned("mixed", 256 * MiB, 32 * KiB);
}

/* --- every variant, every layout it is correct on --------------------- */

/*
 * The pairs the registry declares, from the layouts bits alone (not
 * through ch_variant_correct_on(), which verify_all() filters with):
 * each real variant on at least one layout.
 */
static int declared_pairs(void)
{
	int i, l, n = 0;

	for (i = 0; i < CH_NR_VARIANTS; i++) {
		int mine = 0;

		if (ch_variants[i].flags & CH_VF_PSEUDO)
			continue;
		for (l = 0; l < CH_NR_LAYOUTS; l++)
			if (ch_variants[i].layouts & CH_LAYOUT_BIT(l))
				mine++;
		if (!mine)
			fail_msg("%s declares no layout", ch_variants[i].name);
		n += mine;
	}
	return n;
}

static void verify_all(const char *mix, uint64_t mem, bool want_hvo)
{
	struct ch_folios *fs = folios(mix, mem);
	int l, e, i, pairs = 0;

	for (l = 0; l < CH_NR_LAYOUTS; l++) {
		for (e = 0; e < CH_NR_ENCODINGS; e++) {
			struct ch_memmap *mm;
			bool key;

			mm = memmap(fs, l, e);
			key = mm->nr_hvo > 0;
			if (want_hvo && l != CH_LAYOUT_NONE && !key)
				fail_msg("--mix %s on %s: no folio optimized",
					 mix, ch_layouts[l].name);
			ch_hvo_key_set(key);
			for (i = 0; i < CH_NR_VARIANTS; i++) {
				const struct ch_variant *v = &ch_variants[i];
				struct ch_verify_result r;
				char d[160];

				if (v->encoding != (enum ch_encoding)e ||
				    v->flags & CH_VF_PSEUDO ||
				    !ch_variant_correct_on(v, l))
					continue;
				ch_verify(mm, v, &r);
				pairs++;
				assert_int_equal(r.checked, fs->nr_pages);
				if (!r.mismatches)
					continue;
				ch_mismatch_describe(mm, &r.ex[0], d,
						     sizeof(d));
				fail_msg("%s on %s (--mix %s, key %s): %llu mismatches, e.g. %s",
					 v->name, ch_layouts[l].name, mix,
					 key ? "on" : "off",
					 (unsigned long long)r.mismatches, d);
			}
			ch_hvo_key_set(false);
			unmap(mm);
		}
	}
	/* every layout each real variant declares, none skipped */
	assert_int_equal(pairs, declared_pairs());
	folios_free(fs);
}

static void every_correct_pair_verifies_on_mixed(void **state)
{
	(void)state;
	verify_all("mixed", 256 * MiB, true);
}

static void every_correct_pair_verifies_on_thp(void **state)
{
	(void)state;
	verify_all("thp", 256 * MiB, false);
}

static void every_correct_pair_verifies_on_hugetlb_2m(void **state)
{
	(void)state;
	verify_all("hugetlb-2m", 256 * MiB, true);
}

static void every_correct_pair_verifies_on_hugetlb_1g(void **state)
{
	(void)state;
	verify_all("hugetlb-1g", 2 * GiB, true);
}

/* --- what goes wrong on hvo-fake-head ---------------------------------- */

static void pointer_on_fake_head_layout_mismatches_only_on_fake_heads(void **state)
{
	const char *mixes[] = { "hugetlb-2m", "mixed" };
	const struct ch_variant *ptr = ch_variant_find("pointer");
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		struct ch_folios *fs = folios(mixes[k], 256 * MiB);
		struct ch_verify_result r;
		struct ch_memmap *mm;
		uint64_t want = 0;
		uint32_t i;

		/* pages 1..7 of each 2 MiB folio start with a fake head */
		for (i = 0; i < fs->nr; i++)
			if (fs->f[i].kind == CH_FOLIO_HUGETLB)
				want += 7;
		mm = memmap(fs, CH_LAYOUT_HVO_FAKE_HEAD, CH_ENC_POINTER);
		ch_verify(mm, ptr, &r);
		assert_true(want > 0);
		assert_int_equal(r.mismatches, want);
		assert_int_equal(r.fake_heads, r.mismatches);
		unmap(mm);
		folios_free(fs);
	}
}

static void fake_head_with_the_key_off_mismatches_like_pointer(void **state)
{
	const struct ch_variant *ptr = ch_variant_find("pointer");
	const struct ch_variant *fh = ch_variant_find("fake-head");
	struct ch_folios *fs = folios("mixed", 256 * MiB);
	struct ch_verify_result a, b;
	struct ch_memmap *mm;
	uint32_t pfn;

	(void)state;
	mm = memmap(fs, CH_LAYOUT_HVO_FAKE_HEAD, CH_ENC_POINTER);
	ch_hvo_key_set(false);
	for (pfn = 0; pfn < fs->nr_pages; pfn++) {
		const struct page *p = ch_memmap_page(mm, pfn);

		if (ptr->compound_head(p) != fh->compound_head(p))
			fail_msg("pfn %#x: fake-head (key off) %p, pointer %p",
				 pfn, (void *)fh->compound_head(p),
				 (void *)ptr->compound_head(p));
	}
	ch_verify(mm, ptr, &a);
	ch_verify(mm, fh, &b);
	assert_true(a.mismatches > 0);
	assert_int_equal(b.mismatches, a.mismatches);
	assert_int_equal(b.fake_heads, a.fake_heads);
	assert_int_equal(b.nr_examples, a.nr_examples);
	assert_int_equal(b.ex[0].pfn, a.ex[0].pfn);
	assert_ptr_equal(b.ex[0].got, a.ex[0].got);

	/* and the key on puts it right */
	ch_hvo_key_set(true);
	ch_verify(mm, fh, &b);
	ch_hvo_key_set(false);
	assert_int_equal(b.mismatches, 0);
	unmap(mm);
	folios_free(fs);
}

/* Pointers cannot be shared: the tails lead to the first folio's head. */
static void pointer_on_shared_tail_layout_finds_real_heads_of_others(void **state)
{
	const struct ch_variant *ptr = ch_variant_find("pointer");
	struct ch_folios *fs = folios("hugetlb-2m", 256 * MiB);
	struct ch_verify_result r;
	struct ch_memmap *mm;
	char d[160];

	(void)state;
	mm = memmap(fs, CH_LAYOUT_HVO_SHARED_TAIL, CH_ENC_POINTER);
	ch_verify(mm, ptr, &r);
	/* every aliased tail but those of the first folio */
	assert_int_equal(r.mismatches, (fs->nr - 1) * 7 * 64);
	assert_int_equal(r.fake_heads, 0);
	ch_mismatch_describe(mm, &r.ex[0], d, sizeof(d));
	if (!strstr(d, "another folio's head"))
		fail_msg("want \"another folio's head\" in: %s", d);
	unmap(mm);
	folios_free(fs);
}

/* --- aliasing is real --------------------------------------------------- */

static void put_page(const struct ch_memmap *mm, const struct page *p,
		     uint64_t off)
{
	assert_int_equal(pwrite(mm->fd, p, sizeof(*p), off), sizeof(*p));
}

static void fake_head_layout_shows_page_0_at_every_alias(void **state)
{
	struct ch_folios *fs = folios("hugetlb-2m", 256 * MiB);
	const struct ch_folio *f, *g;
	struct ch_memmap *mm;
	struct page p;
	int j, k;

	(void)state;
	mm = memmap(fs, CH_LAYOUT_HVO_FAKE_HEAD, CH_ENC_POINTER);
	f = hugetlb_folio(fs, 9, 3);
	g = hugetlb_folio(fs, 9, 4);
	for (k = 0; k < 64; k += 21) {
		uint64_t tag = 0xc0ffee0000000000ULL | (f->pfn + k);

		p = mm->base[f->pfn + k];
		p.memcg_data = tag;
		put_page(mm, &p, (uint64_t)(f->pfn + k) * sizeof(p));
		for (j = 0; j < 8; j++) {
			const struct page *seen = &mm->base[f->pfn + 64 * j + k];

			if (seen->memcg_data != tag)
				fail_msg("folio %#x, vmemmap page %d, struct page %d: memcg_data %#lx, want %#llx",
					 f->pfn, j, k, seen->memcg_data,
					 (unsigned long long)tag);
		}
		/* not another folio's */
		assert_int_not_equal(mm->base[g->pfn + 64 + k].memcg_data, tag);
	}
	unmap(mm);
	folios_free(fs);
}

/*
 * The file offset mapped at @addr, from /proc/self/maps, which must be a
 * read-only shared mapping of the memfd.
 */
static uint64_t alias_offset(const void *addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, off;
	char line[512], perms[8];

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s %lx", &lo, &hi, perms,
			   &off) != 4)
			continue;
		if ((uintptr_t)addr < lo || (uintptr_t)addr >= hi)
			continue;
		fclose(f);
		if (strcmp(perms, "r--s") || !strstr(line, "chbench-vmemmap"))
			fail_msg("%p: want a r--s mapping of the memfd, got %s",
				 addr, line);
		return off + ((uintptr_t)addr - lo);
	}
	fclose(f);
	fail_msg("%p is not mapped", addr);
	return 0;
}

static void shared_tail_page_is_one_page_seen_by_every_folio(void **state)
{
	struct ch_folios *fs = folios("hugetlb-2m", 256 * MiB);
	const struct ch_folio *a, *b;
	struct ch_memmap *mm;
	uint64_t off, tag = 0x5a5a000000000017ULL;
	struct page p;
	struct stat st;
	int k = 23;

	(void)state;
	mm = memmap(fs, CH_LAYOUT_HVO_SHARED_TAIL, CH_ENC_MASK);
	assert_int_equal(mm->nr_shared, 1);
	a = hugetlb_folio(fs, 9, 0);
	b = hugetlb_folio(fs, 9, fs->nr / 2);
	assert_ptr_not_equal(a, b);

	/* the alias of folio a's page 1 is one page after the memmap */
	off = alias_offset(&mm->base[a->pfn + 64]);
	assert_int_equal(off, mm->map_len);
	assert_int_equal(alias_offset(&mm->base[b->pfn + 7 * 64]), off);
	assert_int_equal(fstat(mm->fd, &st), 0);
	assert_int_equal(st.st_size, mm->map_len + CH_PAGE_SIZE);

	p = mm->base[a->pfn + 64 + k];
	p.memcg_data = tag;
	put_page(mm, &p, off + k * sizeof(p));
	assert_int_equal(mm->base[a->pfn + 64 + k].memcg_data, tag);
	assert_int_equal(mm->base[a->pfn + 5 * 64 + k].memcg_data, tag);
	assert_int_equal(mm->base[b->pfn + 64 + k].memcg_data, tag);
	assert_int_equal(mm->base[b->pfn + 7 * 64 + k].memcg_data, tag);
	/* vmemmap page 0 of each folio is its own */
	assert_int_not_equal(mm->base[a->pfn + k].memcg_data, tag);
	assert_int_not_equal(mm->base[b->pfn + k].memcg_data, tag);
	unmap(mm);
	folios_free(fs);
}

/* --- aliases are read-only ------------------------------------------- */

static sigjmp_buf fault_jmp;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(fault_jmp, 1);
}

/* Does writing *@p fault? The value is put back when it does not. */
static bool write_faults(unsigned long *p)
{
	volatile unsigned long *vp = p;
	struct sigaction sa = { .sa_handler = on_segv }, old;
	volatile bool faulted = false;
	unsigned long v;

	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGSEGV, &sa, &old), 0);
	if (!sigsetjmp(fault_jmp, 1)) {
		v = *vp;
		*vp = v ^ 0x8000;
		*vp = v;
	} else {
		faulted = true;
	}
	sigaction(SIGSEGV, &old, NULL);
	return faulted;
}

static void check_read_only(enum ch_layout l, enum ch_encoding e,
			    unsigned int first_alias)
{
	struct ch_folios *fs = folios("hugetlb-2m", 64 * MiB);
	const struct ch_folio *f;
	struct ch_memmap *mm;
	unsigned int j;

	mm = memmap(fs, l, e);
	f = hugetlb_folio(fs, 9, 1);
	for (j = 0; j < 8; j++) {
		struct page *p = &mm->base[f->pfn + 64 * j + 3];
		bool alias = j >= first_alias;

		if (write_faults(&p->memcg_data) != alias)
			fail_msg("%s: a write to vmemmap page %u (%s) %s",
				 ch_layouts[l].name, j,
				 alias ? "an alias" : "real",
				 alias ? "did not fault" : "faulted");
	}
	unmap(mm);
	folios_free(fs);
}

static void writes_to_fake_head_aliases_fault(void **state)
{
	(void)state;
	check_read_only(CH_LAYOUT_HVO_FAKE_HEAD, CH_ENC_POINTER, 1);
}

static void writes_to_2page_aliases_fault(void **state)
{
	(void)state;
	check_read_only(CH_LAYOUT_HVO_2PAGE, CH_ENC_POINTER, 2);
}

static void writes_to_shared_tail_aliases_fault(void **state)
{
	(void)state;
	check_read_only(CH_LAYOUT_HVO_SHARED_TAIL, CH_ENC_MASK, 1);
}

static void writes_to_the_none_layout_do_not_fault(void **state)
{
	(void)state;
	check_read_only(CH_LAYOUT_NONE, CH_ENC_POINTER, 8);
}

/* --- footprint ------------------------------------------------------ */

static void check_footprint(enum ch_layout l, enum ch_encoding e,
			    uint64_t want)
{
	struct ch_folios *fs = folios("hugetlb-2m", 256 * MiB);
	struct ch_memmap *mm;

	mm = memmap(fs, l, e);
	assert_int_equal(mm->bytes, 4 * MiB);
	assert_int_equal(mm->fp.virt, mm->bytes);
	if (mm->fp.resident != want)
		fail_msg("%s: resident %llu, want %llu",
			 ch_layouts[l].name,
			 (unsigned long long)mm->fp.resident,
			 (unsigned long long)want);
	assert_int_equal(mm->fp.saved, mm->map_len - mm->fp.resident);
	unmap(mm);
	folios_free(fs);
}

static void fake_head_layout_keeps_one_eighth(void **state)
{
	(void)state;
	check_footprint(CH_LAYOUT_HVO_FAKE_HEAD, CH_ENC_POINTER, 4 * MiB / 8);
}

static void two_page_layout_keeps_one_quarter(void **state)
{
	(void)state;
	check_footprint(CH_LAYOUT_HVO_2PAGE, CH_ENC_POINTER, 4 * MiB / 4);
}

static void shared_tail_layout_keeps_one_eighth_and_one_page(void **state)
{
	(void)state;
	check_footprint(CH_LAYOUT_HVO_SHARED_TAIL, CH_ENC_MASK,
			4 * MiB / 8 + 4096);
}

static void none_layout_keeps_it_all(void **state)
{
	(void)state;
	check_footprint(CH_LAYOUT_NONE, CH_ENC_POINTER, 4 * MiB);
}

/* --- limits, read through CHBENCH_SYSROOT ------------------------------ */

static char sysroot[64];

static void put_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sysroot, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void copy_meminfo(void)
{
	char buf[8192];
	FILE *f = fopen("/proc/meminfo", "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	put_file("proc/meminfo", buf);
}

static int sysroot_setup(void **state)
{
	char path[256];

	(void)state;
	strcpy(sysroot, "/tmp/chbench-sysroot-XXXXXX");
	if (!mkdtemp(sysroot))
		return -1;
	snprintf(path, sizeof(path), "%s/proc", sysroot);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/sys", sysroot);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/sys/vm", sysroot);
	mkdir(path, 0755);
	return setenv("CHBENCH_SYSROOT", sysroot, 1);
}

static int sysroot_teardown(void **state)
{
	static const char *const files[] = {
		"proc/sys/vm/max_map_count", "proc/meminfo", "proc/sys/vm",
		"proc/sys", "proc", "",
	};
	char path[256];
	size_t i;

	(void)state;
	unsetenv("CHBENCH_SYSROOT");
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", sysroot, files[i]);
		remove(path);
	}
	return 0;
}

static int try_create(const char *mix, uint64_t mem, enum ch_layout l,
		      char *err, size_t len)
{
	struct ch_folios *fs = folios(mix, mem);
	struct ch_memmap mm;
	int ret;

	err[0] = '\0';
	ret = ch_memmap_create(&mm, fs, l, CH_ENC_POINTER, err, len);
	if (!ret)
		ch_memmap_destroy(&mm);
	folios_free(fs);
	return ret;
}

static void max_map_count_1000_refuses_1g_of_fake_head(void **state)
{
	char err[1024];
	int ret;

	(void)state;
	put_file("proc/sys/vm/max_map_count", "1000\n");
	copy_meminfo();
	ret = try_create("hugetlb-2m", 1 * GiB, CH_LAYOUT_HVO_FAKE_HEAD, err,
			 sizeof(err));
	if (ret != -ENOMEM || !strstr(err, "vm.max_map_count") ||
	    !strstr(err, "sysctl -w vm.max_map_count=") ||
	    strchr(err, '\n'))
		fail_msg("want -ENOMEM and one line with the sysctl, got %d: %s",
			 ret, err);
	/* the none layout needs one mapping: still fine */
	ret = try_create("hugetlb-2m", 1 * GiB, CH_LAYOUT_NONE, err,
			 sizeof(err));
	if (ret)
		fail_msg("none layout: %d (%s)", ret, err);
}

static void max_map_count_65530_allows_1g_of_fake_head(void **state)
{
	char err[1024];
	int ret;

	(void)state;
	put_file("proc/sys/vm/max_map_count", "65530\n");
	copy_meminfo();
	ret = try_create("hugetlb-2m", 1 * GiB, CH_LAYOUT_HVO_FAKE_HEAD, err,
			 sizeof(err));
	if (ret)
		fail_msg("%d (%s)", ret, err);
}

static void mem_available_1000_kb_refuses_1g_of_memmap(void **state)
{
	char err[1024];
	int ret;

	(void)state;
	put_file("proc/sys/vm/max_map_count", "65530\n");
	put_file("proc/meminfo",
		 "MemTotal:        2000 kB\n"
		 "MemFree:         1000 kB\n"
		 "MemAvailable:    1000 kB\n");
	ret = try_create("thp", 1 * GiB, CH_LAYOUT_NONE, err, sizeof(err));
	if (ret != -ENOMEM || !strstr(err, "MemAvailable") ||
	    strchr(err, '\n'))
		fail_msg("want -ENOMEM and one line naming MemAvailable, got %d: %s",
			 ret, err);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, key_off, cleanup)
#define S(fn)	cmocka_unit_test_setup_teardown(fn, sysroot_setup, \
						sysroot_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(align_is_16m_for_1g_folios_and_32k_for_2m),
		T(base_is_16m_aligned_for_a_mix_with_h18),
		T(base_is_32k_aligned_for_mixed),
		T(every_correct_pair_verifies_on_mixed),
		T(every_correct_pair_verifies_on_thp),
		T(every_correct_pair_verifies_on_hugetlb_2m),
		T(every_correct_pair_verifies_on_hugetlb_1g),
		T(pointer_on_fake_head_layout_mismatches_only_on_fake_heads),
		T(fake_head_with_the_key_off_mismatches_like_pointer),
		T(pointer_on_shared_tail_layout_finds_real_heads_of_others),
		T(fake_head_layout_shows_page_0_at_every_alias),
		T(shared_tail_page_is_one_page_seen_by_every_folio),
		T(writes_to_fake_head_aliases_fault),
		T(writes_to_2page_aliases_fault),
		T(writes_to_shared_tail_aliases_fault),
		T(writes_to_the_none_layout_do_not_fault),
		T(fake_head_layout_keeps_one_eighth),
		T(two_page_layout_keeps_one_quarter),
		T(shared_tail_layout_keeps_one_eighth_and_one_page),
		T(none_layout_keeps_it_all),
		S(max_map_count_1000_refuses_1g_of_fake_head),
		S(max_map_count_65530_allows_1g_of_fake_head),
		S(mem_available_1000_kb_refuses_1g_of_memmap),
	};

	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}

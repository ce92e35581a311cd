// SPDX-License-Identifier: GPL-2.0
/*
 * The timed loops: vmemmap/walkloop.h's templates, instantiated here for
 * the kernel's own compound_head() ("kernel"), for every chbench variant
 * in variants/variants-def.h, and for the add-unless-zero of a reference. The loop
 * body is the emulation's, byte for byte in C: base + idx[i], the variant
 * inlined, the result summed. Here base is the kernel's vmemmap and the
 * indices are pfns, so base + idx[i] is pfn_to_page().
 *
 * A run is cut into chunks. Around each chunk preemption and interrupts
 * are off and ktime_get_ns() is read; nothing else is inside. Between
 * chunks: page-ref's adds are undone, cond_resched(), and a
 * fatal signal ends the run. The per-chunk cost (two clock reads, one
 * direct call) is the same for the floor, which nets it out.
 */
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/page_ref.h>
#include <linux/preempt.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "kmod/chbench.h"
#include "kmod/kernel_variant.h"
#include "vmemmap/walkloop.h"
#include "variants/variants.h"

#if !defined(CH_KERNEL_HVO_KEY) || !defined(CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP)
/*
 * This kernel has no hugetlb_optimize_vmemmap_key (the series removed
 * it, or HVO is not configured): fake-head gets a key of its own that
 * stays off, and is refused anyway unless tails hold pointers.
 */
#define CHB_OWN_HVO_KEY
DEFINE_STATIC_KEY_FALSE(hugetlb_optimize_vmemmap_key);
#endif

static_assert((int)CH_ENC_POINTER == (int)CHB_ENC_POINTER &&
	      (int)CH_ENC_MASK == (int)CHB_ENC_MASK,
	      "the registry's encodings are the interface's");

u32 chb_encoding(void)
{
#ifdef CH_KERNEL_HAS_MASK
	return compound_info_has_mask() ? CHB_ENC_MASK : CHB_ENC_POINTER;
#else
	return CHB_ENC_POINTER;
#endif
}

int chb_hvo_key(void)
{
#ifdef CHB_OWN_HVO_KEY
	return -1;
#else
	return static_key_count(&hugetlb_optimize_vmemmap_key.key);
#endif
}

CH_WALK_INDEX(kernel, as_compiled)
CH_WALK_CHASE(kernel, as_compiled)

#define CH_VARIANT(id, ...)	CH_WALKS(id)
#include "variants/variants-def.h"
#undef CH_VARIANT

/*
 * Take one reference unless the refcount is 0, as speculative lookups
 * do: page_ref_add_unless_zero(page, 1) in newer trees, which replaced
 * page_ref_add_unless(page, 1, 0). kmod/Kbuild probes page_ref.h.
 */
#ifdef CH_KERNEL_REF_ADD_UNLESS_ZERO
#define chb_ref_add_unless_zero(page)	page_ref_add_unless_zero(page, 1)
#else
#define chb_ref_add_unless_zero(page)	page_ref_add_unless(page, 1, 0)
#endif

/*
 * The kernel's add-unless-zero of one reference, in the index loop's
 * shape. A tail's refcount is 0, so there it
 * fails and writes nothing; chb_set_walk() refuses walks where it could
 * write to a read-only (HVO-aliased) struct page.
 */
CH_LOOP_ATTR uint64_t
ch_walk_index_page_ref(const struct page *base, const uint32_t *idx,
		       size_t n)
{
	uint64_t sum = 0;
	size_t i;

	CH_NO_UNROLL
	for (i = 0; i < n; i++)
		sum += chb_ref_add_unless_zero((struct page *)(base + idx[i]));
	return sum;
}

/*
 * Outside the clock, before and after a chunk. An add succeeds where the
 * refcount is not 0, and pins keep every walked page on its side of 0
 * (pinned non-tails above, tails at 0): so the adds a chunk will make
 * are counted before it, and checked against its sum before any is
 * taken back. The undo is then exact.
 */
static u64 chb_count_refs(const u32 *idx, size_t n)
{
	u64 nr = 0;
	size_t i;

	for (i = 0; i < n; i++)
		nr += page_ref_count(pfn_to_page(idx[i])) != 0;
	return nr;
}

static void chb_undo_refs(const u32 *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct page *page = pfn_to_page(idx[i]);

		if (page_ref_count(page) > 1)
			page_ref_sub(page, 1);
	}
}

typedef uint64_t (*chb_loop_fn)(const struct page *base, const uint32_t *idx,
				size_t n);

/*
 * Always inlined into one wrapper per loop, where @fn is a constant: the
 * chunk calls its loop directly, never through a pointer.
 */
static __always_inline int chb_time(chb_loop_fn fn, bool ref,
				    struct chb_session *s, u32 chunk,
				    struct chb_run *r)
{
	const struct page *base = vmemmap;
	unsigned long off, flags;
	u64 t0, t1, sum, ns, adds = 0;
	size_t n;

	r->min_chunk_ns = U64_MAX;
	for (off = 0; off < s->walk_nr; off += n) {
		n = min_t(unsigned long, chunk, s->walk_nr - off);
		if (ref)
			adds = chb_count_refs(s->walk + off, n);

		/* irqs off implies no preemption; said twice, for the reader */
		preempt_disable();
		local_irq_save(flags);
		t0 = ktime_get_ns();
		sum = fn(base, s->walk + off, n);
		t1 = ktime_get_ns();
		local_irq_restore(flags);
		preempt_enable();

		if (ref && sum != adds) {
			/* a refcount crossed 0 under a pin: touch nothing */
			WARN_ONCE(1, "chbench: page-ref made %llu adds, %llu expected; not undone\n",
				  sum, adds);
			s->ref_safe = false;
			return -EIO;
		}
		if (ref)
			chb_undo_refs(s->walk + off, n);
		ns = t1 - t0;
		r->ns += ns;
		r->checksum += sum;
		r->chunks++;
		r->min_chunk_ns = min(r->min_chunk_ns, ns);
		r->max_chunk_ns = max(r->max_chunk_ns, ns);
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	r->ops = s->walk_nr;
	return 0;
}

struct chb_fn {
	const char *name;
	const char *sym;
	int (*run)(struct chb_session *s, u32 chunk, struct chb_run *r);
	u32 variant;		/* index in chb_variants[] */
	u32 loop;
	u32 shape;
	bool ref;
	u32 enc;
	bool any_enc;		/* the kernel's own code, the floor */
};

#define CHB_RUNNER(sym, ref)						\
static int chb_run_##sym(struct chb_session *s, u32 chunk,		\
			 struct chb_run *r)				\
{									\
	return chb_time(sym, ref, s, chunk, r);				\
}

CHB_RUNNER(ch_walk_index_kernel_as_compiled, false)
CHB_RUNNER(ch_walk_chase_kernel_as_compiled, false)
CHB_RUNNER(ch_walk_index_page_ref, true)
#define CH_VARIANT(id, ...)						\
	CHB_RUNNER(ch_walk_index_##id##_as_compiled, false)		\
	CHB_RUNNER(ch_walk_index_##id##_branch, false)			\
	CHB_RUNNER(ch_walk_chase_##id##_as_compiled, false)		\
	CHB_RUNNER(ch_walk_chase_##id##_branch, false)
#include "variants/variants-def.h"
#undef CH_VARIANT

/* Index 0 is the kernel's own; then the registry, in its order. */
static const char *const chb_variants[] = {
	"kernel",
#define CH_VARIANT(id, name, ...)	name,
#include "variants/variants-def.h"
#undef CH_VARIANT
};
static_assert(ARRAY_SIZE(chb_variants) <= CHB_MAX_VARIANTS,
	      "CHB_MAX_VARIANTS in kmod/chbench_ioctl.h is too small for the kernel's own plus every variant of variants/variants-def.h: raise it, bump CHB_ABI and the struct sizes asserted in kmod/ and kernel/kmod.c");

#define CHB_FN(nm, v, l, loop, id, sh, SH, rf, en, any)			\
	{ nm, "ch_walk_" #l "_" #id "_" #sh,				\
	  chb_run_ch_walk_##l##_##id##_##sh, v, loop, SH, rf, en, any },
#define CHB_FN_SHAPES(nm, v, l, loop, id, en, any)			\
	CHB_FN(nm, v, l, loop, id, as_compiled, CH_SHAPE_AS_COMPILED,	\
	       false, en, any)						\
	CHB_FN(nm, v, l, loop, id, branch, CH_SHAPE_BRANCH, false, en, any)

static const struct chb_fn chb_fns[] = {
	CHB_FN("kernel", 0, index, CHB_LOOP_INDEX, kernel, as_compiled,
	       CH_SHAPE_AS_COMPILED, false, 0, true)
	CHB_FN("kernel", 0, chase, CHB_LOOP_CHASE, kernel, as_compiled,
	       CH_SHAPE_AS_COMPILED, false, 0, true)
	{ "page-ref", "ch_walk_index_page_ref",
	  chb_run_ch_walk_index_page_ref, 0, CHB_LOOP_INDEX,
	  CH_SHAPE_AS_COMPILED, true, 0, true },
#define CH_VARIANT(id, name, enc, layouts, vflags, ...)		\
	CHB_FN_SHAPES(name, 1 + CH_V_##id, index, CHB_LOOP_INDEX, id,	\
		      enc, (vflags) & CH_VF_PSEUDO)			\
	CHB_FN_SHAPES(name, 1 + CH_V_##id, chase, CHB_LOOP_CHASE, id,	\
		      enc, (vflags) & CH_VF_PSEUDO)
#include "variants/variants-def.h"
#undef CH_VARIANT
};

static bool chb_fn_usable(const struct chb_fn *f)
{
	return f->any_enc || f->enc == chb_encoding();
}

u32 chb_nr_funcs(void)
{
	return ARRAY_SIZE(chb_fns);
}

int chb_func(struct chb_func *out)
{
	const struct chb_fn *f;

	if (out->index >= ARRAY_SIZE(chb_fns))
		return -EINVAL;
	f = &chb_fns[out->index];
	out->variant = f->variant;
	out->loop = f->loop;
	out->shape = f->shape;
	out->ref = f->ref;
	out->usable = chb_fn_usable(f);
	strscpy(out->name, f->name, sizeof(out->name));
	strscpy(out->symbol, f->sym, sizeof(out->symbol));
	return 0;
}

void chb_variant_names(struct chb_info *info)
{
	unsigned int i;

	info->nr_variants = ARRAY_SIZE(chb_variants);
	for (i = 0; i < ARRAY_SIZE(chb_variants); i++)
		strscpy(info->variants[i], chb_variants[i],
			sizeof(info->variants[i]));
}

void chb_heads(const struct page *page, u64 *head_pfn)
{
	head_pfn[0] = page_to_pfn(ch_kernel_compound_head(page, 0));
#define CH_VARIANT(id, ...)						\
	head_pfn[1 + CH_V_##id] =					\
		page_to_pfn(ch_##id##_compound_head(page,		\
						    CH_SHAPE_AS_COMPILED));
#include "variants/variants-def.h"
#undef CH_VARIANT
}

int chb_set_walk(struct chb_session *s, struct chb_walk *w)
{
	unsigned long i, pfn;
	bool ref_safe = true;
	u32 *walk;

	w->bad = CHB_BAD_NONE;
	if (w->loop >= CHB_NR_LOOPS || !w->nr || w->nr > CHB_MAX_OPS)
		return -EINVAL;
	/* a size user space chose: fail quietly, ENOMEM says it */
	walk = kvmalloc_array(w->nr, sizeof(*walk),
			      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!walk)
		return -ENOMEM;
	if (copy_from_user(walk, u64_to_user_ptr(w->idx),
			   w->nr * sizeof(*walk))) {
		kvfree(walk);
		return -EFAULT;
	}
	for (i = 0; i < w->nr; i++) {
		struct page *page;

		if (walk[i] >= s->nr_pages) {
			w->bad = i;
			kvfree(walk);
			return -EINVAL;
		}
		page = s->pages[walk[i]];
		pfn = page_to_pfn(page);
		if (pfn > U32_MAX) {
			w->bad = i;
			kvfree(walk);
			return -EOVERFLOW;
		}
		/* a write could hit a read-only alias: a fake head */
		if (ref_safe && page_ref_count(page) &&
		    !chb_vmemmap_writable(page))
			ref_safe = false;
		walk[i] = w->loop == CHB_LOOP_CHASE ? ch_chase_index(pfn) : pfn;
		if (!(i & 65535)) {
			if (fatal_signal_pending(current)) {
				kvfree(walk);
				return -EINTR;
			}
			cond_resched();
		}
	}
	kvfree(s->walk);
	s->walk = walk;
	s->walk_nr = w->nr;
	s->walk_loop = w->loop;
	s->ref_safe = ref_safe;
	w->ref_safe = ref_safe;
	return 0;
}

int chb_run(struct chb_session *s, struct chb_run *r)
{
	const struct chb_fn *f;
	u32 func = r->func, chunk = r->chunk ? r->chunk : CHB_DEFAULT_CHUNK;

	if (func >= ARRAY_SIZE(chb_fns) || chunk > CHB_MAX_CHUNK)
		return -EINVAL;
	f = &chb_fns[func];
	if (!chb_fn_usable(f))
		return -EOPNOTSUPP;
	if (!s->walk_nr)
		return -ENODATA;
	if (f->loop != s->walk_loop)
		return -EINVAL;
	if (f->ref && !s->ref_safe)
		return -EROFS;
	memset(r, 0, sizeof(*r));
	r->func = func;
	r->chunk = chunk;
	return f->run(s, chunk, r);
}

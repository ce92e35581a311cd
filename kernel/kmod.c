// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kernel/kmod.h"
#include "lib/scnprintf.h"
#include "variants/variants.h"
#include "vmemmap/walkfn.h"

#define CH_KMOD_LOAD	"make kmod && insmod kmod/chbench.ko"

/* the module asserts the same sizes: one layout on both sides */
_Static_assert(sizeof(struct chb_info) == 400, "struct chb_info");
_Static_assert(sizeof(struct chb_page_rec) == 120, "struct chb_page_rec");

/* the module names the kernel's own and every variant of the registry */
_Static_assert(1 + CH_NR_VARIANTS <= CHB_MAX_VARIANTS,
	       "CHB_MAX_VARIANTS in kmod/chbench_ioctl.h is too small for the kernel's own plus every variant of variants/variants-def.h: raise it, bump CHB_ABI and the struct sizes asserted here and in kmod/");

/* ch_kmod_func() and ch_kmod_walk() pass one as the other, by value */
_Static_assert((int)CH_LOOP_INDEX == (int)CHB_LOOP_INDEX &&
	       (int)CH_LOOP_CHASE == (int)CHB_LOOP_CHASE &&
	       (int)CH_NR_LOOPS == (int)CHB_NR_LOOPS,
	       "enum ch_loop (vmemmap/walkfn.h) is the interface's enum chb_loop");

/* re-read info (the pin counts, the static key) */
static int ch_kmod_info(struct ch_kmod *k, char *err, size_t len)
{
	if (ioctl(k->fd, CHB_IOC_INFO, &k->info)) {
		int e = errno;

		snprintf(err, len, "%s: CHB_IOC_INFO failed: %s", CHB_DEVICE,
			 strerror(e));
		return -e;
	}
	return 0;
}

int ch_kmod_open(struct ch_kmod *k, char *err, size_t len)
{
	int i, ret;

	memset(k, 0, sizeof(*k));
	k->fd = open(CHB_DEVICE, O_RDWR | O_CLOEXEC);
	if (k->fd < 0) {
		int e = errno;

		if (e == ENOENT || e == ENXIO || e == ENODEV)
			snprintf(err, len, "%s: no such device: the chbench module is not loaded; run (as root): " CH_KMOD_LOAD,
				 CHB_DEVICE);
		else if (e == EACCES || e == EPERM)
			snprintf(err, len, "%s: %s: chbench kernel needs root (CAP_SYS_ADMIN); run it with sudo",
				 CHB_DEVICE, strerror(e));
		else
			snprintf(err, len, "%s: %s", CHB_DEVICE, strerror(e));
		return -e;
	}
	ret = ch_kmod_info(k, err, len);
	if (ret)
		goto fail;
	ret = -EPROTO;
	if (k->info.abi != CHB_ABI) {
		snprintf(err, len, "chbench.ko speaks ABI %u, this chbench ABI %u: rebuild and reload the module (rmmod chbench; " CH_KMOD_LOAD ")",
			 k->info.abi, CHB_ABI);
		goto fail;
	}
	k->nr_funcs = k->info.nr_funcs;
	k->funcs = calloc(k->nr_funcs ? k->nr_funcs : 1, sizeof(*k->funcs));
	if (!k->funcs) {
		snprintf(err, len, "out of memory");
		ret = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < k->nr_funcs; i++) {
		k->funcs[i].index = i;
		if (ioctl(k->fd, CHB_IOC_FUNC, &k->funcs[i])) {
			ret = -errno;
			snprintf(err, len, "%s: CHB_IOC_FUNC %d failed: %s",
				 CHB_DEVICE, i, strerror(-ret));
			goto fail;
		}
		k->funcs[i].name[CHB_NAME_LEN - 1] = 0;
		k->funcs[i].symbol[CHB_SYM_LEN - 1] = 0;
	}
	return 0;
fail:
	ch_kmod_close(k);
	return ret;
}

void ch_kmod_close(struct ch_kmod *k)
{
	if (k->fd >= 0)
		close(k->fd);
	free(k->funcs);
	k->funcs = NULL;
	k->fd = -1;
}

const struct chb_func *ch_kmod_func(const struct ch_kmod *k, const char *name,
				    int shape, int loop)
{
	int i;

	for (i = 0; i < k->nr_funcs; i++) {
		const struct chb_func *f = &k->funcs[i];

		if (!strcmp(f->name, name) && (int)f->loop == loop &&
		    ((int)f->shape == shape || f->ref ||
		     !strcmp(name, "kernel")))
			return f;
	}
	return NULL;
}

const char *ch_kmod_func_names(const struct ch_kmod *k)
{
	static char buf[512];
	size_t off = 0;
	int i, j;

	buf[0] = 0;
	for (i = 0; i < k->nr_funcs; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(k->funcs[j].name, k->funcs[i].name))
				break;
		if (j < i || !k->funcs[i].usable)
			continue;
		off += scnprintf(buf + off, sizeof(buf) - off, "%s%s",
				 off ? ", " : "", k->funcs[i].name);
	}
	return buf;
}

int ch_kmod_pin(struct ch_kmod *k, void *addr, size_t len, uint64_t *first,
		char *err, size_t elen)
{
	struct chb_pin p = { .addr = (uintptr_t)addr, .len = len };

	if (ioctl(k->fd, CHB_IOC_PIN, &p)) {
		int e = errno;

		if (e == E2BIG)
			snprintf(err, elen, "chbench.ko pins at most %llu pages in %u ranges per session, and half of RAM in all; use a smaller --mem",
				 (unsigned long long)k->info.max_pages,
				 k->info.max_ranges);
		else if (e == ENOMEM)
			snprintf(err, elen, "pinning %zu bytes: ENOMEM: over RLIMIT_MEMLOCK (ulimit -l) or out of memory; run as root or raise ulimit -l",
				 len);
		else
			snprintf(err, elen, "pinning %zu bytes at %p failed: %s",
				 len, addr, strerror(e));
		return -e;
	}
	*first = p.first;
	return 0;
}

int ch_kmod_unpin(struct ch_kmod *k, char *err, size_t len)
{
	if (ioctl(k->fd, CHB_IOC_UNPIN)) {
		int e = errno;

		snprintf(err, len, "CHB_IOC_UNPIN failed: %s", strerror(e));
		return -e;
	}
	return 0;
}

int ch_kmod_inspect(struct ch_kmod *k, uint64_t first, uint64_t nr,
		    struct chb_page_rec *recs, char *err, size_t len)
{
	struct chb_inspect in = {
		.first = first, .nr = nr, .recs = (uintptr_t)recs,
		.rec_size = sizeof(*recs),
	};

	if (ioctl(k->fd, CHB_IOC_INSPECT, &in)) {
		int e = errno;

		snprintf(err, len, "CHB_IOC_INSPECT of pages %llu..+%llu failed: %s",
			 (unsigned long long)first, (unsigned long long)nr,
			 strerror(e));
		return -e;
	}
	return 0;
}

int ch_kmod_walk(struct ch_kmod *k, const uint32_t *idx, uint64_t nr,
		 int loop, bool *ref_safe, char *err, size_t len)
{
	struct chb_walk w = { .idx = (uintptr_t)idx, .nr = nr, .loop = loop };

	if (ioctl(k->fd, CHB_IOC_WALK, &w)) {
		int e = errno;

		ch_kmod_info(k, err, len);	/* session_pages, as of now */
		if (e == EINVAL && w.bad < nr)
			snprintf(err, len, "walk position %llu: page index %u is not one of the %llu pinned pages",
				 (unsigned long long)w.bad, idx[w.bad],
				 (unsigned long long)k->info.session_pages);
		else if (e == EINVAL)
			snprintf(err, len, "a walk of %llu ops: chbench.ko takes 1 to %llu",
				 (unsigned long long)nr,
				 (unsigned long long)k->info.max_ops);
		else
			snprintf(err, len, "setting the walk failed: %s",
				 strerror(e));
		return -e;
	}
	*ref_safe = w.ref_safe;
	return 0;
}

int ch_kmod_run(struct ch_kmod *k, const struct chb_func *f, uint32_t chunk,
		struct chb_run *out, char *err, size_t len)
{
	memset(out, 0, sizeof(*out));
	out->func = f->index;
	out->chunk = chunk;
	if (ioctl(k->fd, CHB_IOC_RUN, out)) {
		int e = errno;

		if (e == EROFS)
			snprintf(err, len, "%s: the walk reaches read-only struct pages with a nonzero refcount (HVO fake heads), where a reference add would write; use --pick tail, head or small, or HVO off",
				 f->name);
		else if (e == EOPNOTSUPP)
			snprintf(err, len, "%s is not correct for this kernel's %s-encoded tails; valid: %s",
				 f->name,
				 k->info.encoding == CHB_ENC_MASK ? "mask" :
				 "pointer", ch_kmod_func_names(k));
		else if (e == EINVAL && chunk > k->info.max_chunk)
			snprintf(err, len, "--chunk %u: chbench.ko takes 1 to %u ops with interrupts off",
				 chunk, k->info.max_chunk);
		else
			snprintf(err, len, "%s: CHB_IOC_RUN failed: %s",
				 f->symbol, strerror(e));
		return -e;
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User space's side of /dev/chbench (kmod/): open a session, learn what
 * the module and the running kernel are, pin memory, set a walk, run and
 * inspect. Every failure becomes one line that names the fix.
 */
#ifndef CH_KMOD_H
#define CH_KMOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmod/chbench_ioctl.h"

struct ch_kmod {
	int fd;
	struct chb_info info;
	struct chb_func *funcs;
	int nr_funcs;
};

/*
 * 0, or a negative errno with a one-line message (-ENOENT: the module is
 * not loaded, -EACCES: not root, -EPROTO: another ABI, ...).
 */
int ch_kmod_open(struct ch_kmod *k, char *err, size_t len);
void ch_kmod_close(struct ch_kmod *k);

/* The loop for variant @name ("kernel", "page-ref", "pointer", ...). */
const struct chb_func *ch_kmod_func(const struct ch_kmod *k, const char *name,
				    int shape, int loop);
/* "kernel, page-ref, pointer, ..." */
const char *ch_kmod_func_names(const struct ch_kmod *k);

/* Each ioctl: 0, or its negative errno with a one-line message in @err. */
int ch_kmod_pin(struct ch_kmod *k, void *addr, size_t len, uint64_t *first,
		char *err, size_t elen);
int ch_kmod_unpin(struct ch_kmod *k, char *err, size_t len);
int ch_kmod_inspect(struct ch_kmod *k, uint64_t first, uint64_t nr,
		    struct chb_page_rec *recs, char *err, size_t len);
int ch_kmod_walk(struct ch_kmod *k, const uint32_t *idx, uint64_t nr,
		 int loop, bool *ref_safe, char *err, size_t len);
int ch_kmod_run(struct ch_kmod *k, const struct chb_func *f, uint32_t chunk,
		struct chb_run *out, char *err, size_t len);

#endif /* CH_KMOD_H */

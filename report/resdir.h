// SPDX-License-Identifier: GPL-2.0
/*
 * Results directories that never overwrite: a run writes into a hidden
 * partial directory and publishes it with one rename as
 * <parent>/<date>-<host>[-tag], or -2, -3, ... when that name is taken.
 *
 * CHBENCH_DATE and CHBENCH_HOST override the date and host in the name.
 */
#ifndef CH_RESDIR_H
#define CH_RESDIR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * final: after begin, the name wanted; after commit, the name published.
 * tmp: <parent>/.partial-<date>-<host>-<pid>, or "" once it is gone.
 */
struct ch_resdir {
	char final[4096];
	char tmp[4096];
};

/* mkdir -p parent, then the partial directory; 0, or -errno + message */
int ch_resdir_begin(struct ch_resdir *rd, const char *parent, const char *tag,
		    char *err, size_t len);

/* out = the path of file inside the partial directory */
void ch_resdir_path(const struct ch_resdir *rd, const char *file, char *out,
		    size_t len);

/* Publish without replacing anything, fill rd->final; 0, or -errno + message */
int ch_resdir_commit(struct ch_resdir *rd, char *err, size_t len);

/*
 * Remove the partial directory and everything in it. Not async-signal-safe:
 * a signal handler should set a flag and let the main flow call this.
 */
void ch_resdir_abort(struct ch_resdir *rd);

/* Has @parent's filesystem @need bytes free? 0, or -ENOSPC + a message */
int ch_resdir_check_space(const char *parent, uint64_t need, char *err,
			  size_t len);

/*
 * One "note" line on @out per .partial-* under @parent whose process is
 * gone (killed by SIGKILL, or a crash), saying how to remove it.
 * Returns how many.
 */
int ch_resdir_stale(const char *parent, FILE *out);

/*
 * Until ch_resdir_unguard() or the commit: on SIGINT, SIGTERM, SIGHUP or
 * SIGPIPE remove the partial directory (its files, then itself), say so
 * in one line on stderr naming @what ("bench"), then die of the signal.
 * A signal ignored on entry (nohup) stays ignored.
 */
void ch_resdir_guard(const struct ch_resdir *rd, const char *what);
void ch_resdir_unguard(void);

#endif /* CH_RESDIR_H */

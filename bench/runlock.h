/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One timing run per machine. bench, the sweeps, aa, run --instances,
 * kernel bench and scripts/perf-compare (through 'chbench lock --') hold
 * an flock(2) on one file for as long as they time; a second refuses
 * with one line that names the first, unless --allow-concurrent. The
 * kernel drops an flock with the last descriptor of its holder, so a
 * killed run leaves nothing that blocks: the file stays, holding the
 * last holder's "pid command" line, for the message only.
 *
 * The file: $CHBENCH_LOCK when set (tests), else /run/lock/chbench.lock
 * where /run/lock is a directory, else /tmp/chbench.lock. One per
 * machine, not per CPU: runs pinned to different CPUs still share the
 * LLC, the memory bandwidth and, in a VM, the host.
 *
 * 'chbench lock -- CMD' runs CMD holding the lock: the descriptor stays
 * open across exec, so the lock is CMD's, its pid in the file. A chbench
 * whose ancestor (or itself) holds the lock runs inside it: perf-compare
 * locks once for all its runs. $CHBENCH_LOCK_PID is CMD's pid, so that a
 * script can tell that it runs under the lock already.
 */
#ifndef CH_RUNLOCK_H
#define CH_RUNLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "report/json.h"

#define CH_LOCK_ENV		"CHBENCH_LOCK"
#define CH_LOCK_PID_ENV		"CHBENCH_LOCK_PID"
/*
 * Set by 'chbench lock --allow-concurrent' beside a holder: CMD's own
 * chbench runs then time beside it too, as with --allow-concurrent.
 */
#define CH_LOCK_ALLOW_ENV	"CHBENCH_ALLOW_CONCURRENT"

/* The lock file's path, in @buf. */
const char *ch_runlock_path(char *buf, size_t len);

/*
 * Take the machine's lock for this process, recording @cmd (NULL: this
 * process's command line) as the holder. Held already by this process
 * or an ancestor: 0. Held by another run: -EBUSY after one line that
 * names it, or with @allow a warning and 0 (the run goes on beside it).
 * A lock file that cannot be opened is an error too (its errno), unless
 * @allow.
 * The descriptor is close-on-exec unless @keep.
 */
int ch_runlock_take(const char *cmd, bool allow, bool keep);

/* The descriptor ch_runlock_take() holds, or -1. */
int ch_runlock_fd(void);

/* Whether this process runs without the lock, as --allow-concurrent let it */
bool ch_runlock_beside(void);

/* Let the lock go (the process's exit does it too). */
void ch_runlock_release(void);

/*
 * Who holds the lock, in @buf ("pid 1234: chbench bench --quick"), or
 * "" when nobody does: 1 held, 0 free, -1 when the file cannot be read.
 */
int ch_runlock_holder(char *buf, size_t len);

/* metadata.json's "lock": the path, and whether the run held it. */
json_t *ch_runlock_json(void);

#endif /* CH_RUNLOCK_H */

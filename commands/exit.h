/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exit status for a library function's 0 or negative errno. Every
 * error the library reports is about what chbench was given: an option,
 * a file, the machine it runs on (no module, no perf access, a full
 * disk); each exits 2, as bad input does. 1 (a run that went wrong, as
 * a failed check) is the command's own decision, never the library's.
 */
#ifndef CH_EXIT_H
#define CH_EXIT_H

static inline int ch_exit_status(int err)
{
	return err < 0 ? 2 : err;
}

#endif /* CH_EXIT_H */

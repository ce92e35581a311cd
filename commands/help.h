/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chbench help CMD: CMD's manual page, built by make doc, shown by man.
 */
#ifndef CH_HELP_H
#define CH_HELP_H

/*
 * Show the page of @name (a command, or one of the concept pages: design,
 * kmod, noise, reports) from the Documentation/ folder next to the
 * binary, through man -l. Does not return when man runs; otherwise one
 * line and 2. @valid lists the commands this binary has, for the error.
 */
int ch_help_page(const char *name, const char *valid);

#endif

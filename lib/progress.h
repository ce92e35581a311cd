/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Progress of a long command on stderr, so that stdout (the results)
 * stays as it was.  On a terminal one line, rewritten in place: what is
 * being done, i of N, the time elapsed and (once it can be told) an
 * estimate of the time left.
 * Elsewhere (a pipe, a log file) the same as a plain line every few
 * seconds, and one at the end.  --quiet turns it off.
 */
#ifndef CH_PROGRESS_H
#define CH_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

/* seconds between lines when stderr is not a terminal */
#define CH_PROGRESS_INTERVAL	5.0

struct ch_progress {
	FILE *out;
	bool on;
	bool tty;
	char what[32];		/* "bench", "sweep mem", "sim" */
	long total;		/* 0: unknown, no estimate */
	long done;
	double t0, last;	/* seconds, from clock() */
	int shown;		/* columns of the line on the terminal */
	double (*clock)(void);	/* monotonic; tests set their own */
	/* work in rounds of the same items (ch_progress_rounds()) */
	int nr_rounds;
	long per_round;		/* 0: not in rounds */
	double round_t0;	/* when the round under way began */
	double *cur, *prev;	/* each item's time into its round: this */
				/* round's, the last whole one's (or NULL) */
};

/* Start: on unless quiet; tty from isatty(stderr). */
void ch_progress_begin(struct ch_progress *p, const char *what, long total,
		       bool quiet);
/* As ch_progress_begin, onto @out, as a terminal or not (for tests). */
void ch_progress_begin_on(struct ch_progress *p, FILE *out, bool tty,
			  const char *what, long total);
/*
 * The work is @nr_rounds rounds of the same @per_round items (bench's
 * instances), total their product. The first round is slower than the
 * rest (Google Benchmark calibrates in it) and every round front-loaded
 * (memmaps built), so the time left is told from the last whole round's
 * pace, scaled to this one's: none in the first round, unless it is the
 * only one.
 */
void ch_progress_rounds(struct ch_progress *p, int nr_rounds, long per_round);
/*
 * @done of total are finished; @fmt says where the work is, e.g.
 * "instance 2 of 3, case 17 of 480".  Prints if due: on a terminal at
 * most ten times a second, else every CH_PROGRESS_INTERVAL seconds.
 */
void ch_progress_update(struct ch_progress *p, long done, const char *fmt,
			...) __attribute__((format(printf, 3, 4)));
/* The last line: how many, and how long it took. */
void ch_progress_end(struct ch_progress *p);
/* Stop without a last line (an error follows): the terminal's is erased. */
void ch_progress_abort(struct ch_progress *p);

#endif /* CH_PROGRESS_H */

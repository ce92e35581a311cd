// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/progress.h"
#include "lib/scnprintf.h"

/* no estimate of the time left before this many seconds */
#define CH_PROGRESS_SETTLE	3.0
/* ... nor, outside rounds, before this share of the work is done */
#define CH_PROGRESS_SETTLE_SHARE	0.1
/* a round's pace against the last starts at 1, worth this share of it */
#define CH_PROGRESS_PACE_PRIOR	0.05
/* what fits a terminal of 80 columns without wrapping */
#define CH_PROGRESS_COLS	79

static double monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const char *fmt_time(double s, char *buf, size_t len)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60,
			 t % 60);
	else
		snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
	return buf;
}

void ch_progress_begin_on(struct ch_progress *p, FILE *out, bool tty,
			  const char *what, long total)
{
	double (*clock)(void) = p->clock ? p->clock : monotonic;

	memset(p, 0, sizeof(*p));
	p->out = out;
	p->on = true;
	p->tty = tty;
	p->clock = clock;
	snprintf(p->what, sizeof(p->what), "%s", what);
	p->total = total;
	p->t0 = p->last = clock();
}

void ch_progress_begin(struct ch_progress *p, const char *what, long total,
		       bool quiet)
{
	ch_progress_begin_on(p, stderr, isatty(fileno(stderr)), what, total);
	p->on = !quiet;
}

static void rounds_free(struct ch_progress *p)
{
	free(p->cur);
	free(p->prev);
	p->cur = p->prev = NULL;
	p->per_round = 0;
}

void ch_progress_rounds(struct ch_progress *p, int nr_rounds, long per_round)
{
	rounds_free(p);
	p->nr_rounds = nr_rounds;
	p->total = nr_rounds > 0 && per_round > 0 ?
		   (long)nr_rounds * per_round : 0;
	/* one round is told as plain work; without memory, so is this */
	if (!p->on || nr_rounds < 2 || per_round < 1)
		return;
	p->cur = calloc(per_round, sizeof(*p->cur));
	p->prev = calloc(per_round, sizeof(*p->prev));
	if (!p->cur || !p->prev) {
		rounds_free(p);
		return;
	}
	p->per_round = per_round;
	p->round_t0 = p->t0;
	p->prev[per_round - 1] = -1;	/* no whole round yet */
}

/* Items p->done to @done - 1 ended at @now: each one's time in its round. */
static void rounds_record(struct ch_progress *p, long done, double now)
{
	long k, n = p->per_round;

	for (k = p->done; n && k < done; k++) {
		double *t;

		p->cur[k % n] = now - p->round_t0;
		if (k % n < n - 1)
			continue;
		/* a whole round: the one the next is told by */
		t = p->prev;
		p->prev = p->cur;
		p->cur = t;
		p->round_t0 = now;
	}
}

/*
 * The rest of this round at its pace against the last whole one at the
 * same item (drawn to 1 while little of it is done), and the rounds after
 * it as long as that one, at that pace. -1: no whole round yet.
 */
static double rounds_left(const struct ch_progress *p, double now)
{
	long n = p->per_round, i = p->done % n;
	long after = p->nr_rounds - p->done / n - 1;
	double whole = p->prev[n - 1], prior, pace, here;

	if (whole <= 0)
		return whole < 0 ? -1 : 0;
	prior = whole * CH_PROGRESS_PACE_PRIOR;
	pace = i ? (p->cur[i - 1] + prior) / (p->prev[i - 1] + prior) : 1;
	here = pace * whole - (now - p->round_t0);
	return (here > 0 ? here : 0) + after * pace * whole;
}

/* Seconds left, or -1 where they cannot be told yet. */
static double time_left(const struct ch_progress *p, double now)
{
	double el = now - p->t0;

	/* a few seconds in, the rate means something */
	if (el < CH_PROGRESS_SETTLE || p->total <= 0 || p->done <= 0 ||
	    p->done >= p->total)
		return -1;
	if (p->per_round)
		return rounds_left(p, now);
	if (p->done < p->total * CH_PROGRESS_SETTLE_SHARE)
		return -1;
	return el * (p->total - p->done) / p->done;
}

static void show(struct ch_progress *p, const char *where, double now,
		 bool estimate)
{
	char line[256], a[32], b[32];
	double el = now - p->t0, left = estimate ? time_left(p, now) : -1;
	int n;

	n = scnprintf(line, sizeof(line), "chbench %s: %s, %s elapsed", p->what,
		      where, fmt_time(el, a, sizeof(a)));
	if (left >= 0)
		snprintf(line + n, sizeof(line) - n, ", about %s left",
			 fmt_time(left, b, sizeof(b)));
	if (!p->tty) {
		fprintf(p->out, "%s\n", line);
		fflush(p->out);
		return;
	}
	line[CH_PROGRESS_COLS] = '\0';
	n = (int)strlen(line);
	/* rewrite in place; blank what a longer line left */
	fprintf(p->out, "\r%s%*s", line, p->shown > n ? p->shown - n : 0, "");
	fflush(p->out);
	p->shown = n;
}

void ch_progress_update(struct ch_progress *p, long done, const char *fmt,
			...)
{
	double now, every = CH_PROGRESS_INTERVAL;
	char where[160];
	va_list ap;

	if (!p->on)
		return;
	now = p->clock();
	rounds_record(p, done, now);
	p->done = done;
	if (p->tty)
		every = 0.1;
	if (now - p->last < every)
		return;
	p->last = now;
	va_start(ap, fmt);
	vsnprintf(where, sizeof(where), fmt, ap);
	va_end(ap);
	show(p, where, now, true);
}

void ch_progress_end(struct ch_progress *p)
{
	char where[64];

	rounds_free(p);
	if (!p->on)
		return;
	if (p->total > 0)
		snprintf(where, sizeof(where), "%ld of %ld done", p->done,
			 p->total);
	else
		snprintf(where, sizeof(where), "done");
	show(p, where, p->clock(), false);
	if (p->tty)
		fputc('\n', p->out);
	fflush(p->out);
	p->on = false;
}

void ch_progress_abort(struct ch_progress *p)
{
	rounds_free(p);
	if (p->on && p->tty && p->shown)
		fprintf(p->out, "\r%*s\r", p->shown, "");
	fflush(p->out);
	p->on = false;
}

// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/progress.h"

/* no estimate of the time left before this many seconds */
#define CH_PROGRESS_SETTLE	3.0
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

static void show(struct ch_progress *p, const char *where, double now,
		 bool estimate)
{
	char line[256], a[32], b[32];
	double el = now - p->t0;
	int n;

	n = snprintf(line, sizeof(line), "chbench %s: %s, %s elapsed", p->what,
		     where, fmt_time(el, a, sizeof(a)));
	/* a few seconds in, the rate means something */
	if (estimate && el >= CH_PROGRESS_SETTLE && p->total > 0 &&
	    p->done > 0 && p->done < p->total)
		snprintf(line + n, sizeof(line) - n, ", about %s left",
			 fmt_time(el * (p->total - p->done) / p->done, b,
				  sizeof(b)));
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
	p->done = done;
	now = p->clock();
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
	if (p->on && p->tty && p->shown)
		fprintf(p->out, "\r%*s\r", p->shown, "");
	fflush(p->out);
	p->on = false;
}

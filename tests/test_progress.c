// SPDX-License-Identifier: GPL-2.0
/*
 * The progress line: rewritten in place on a terminal, a plain line every
 * few seconds elsewhere, with i of N, the time elapsed and the time left.
 * The clock is the test's, so the timing is exact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/progress.h"

static double fake_now;

static double fake_clock(void)
{
	return fake_now;
}

static char *text(FILE *f)
{
	long n;
	char *s;

	fflush(f);
	n = ftell(f);
	s = calloc(1, n + 1);
	assert_non_null(s);
	rewind(f);
	assert_int_equal(fread(s, 1, n, f), n);
	fseek(f, 0, SEEK_END);
	return s;
}

static int count(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)); s += strlen(what))
		n++;
	return n;
}

static void begin(struct ch_progress *p, FILE *f, bool tty, long total)
{
	fake_now = 100;
	memset(p, 0, sizeof(*p));
	p->clock = fake_clock;
	ch_progress_begin_on(p, f, tty, "bench", total);
}

static void a_pipe_gets_a_plain_line_every_five_seconds(void **state)
{
	struct ch_progress p;
	FILE *f = tmpfile();
	char *s;
	int i;

	(void)state;
	begin(&p, f, false, 100);
	/* 40 cases, one every half second: lines at 5, 10, 15 s */
	for (i = 1; i <= 40; i++) {
		fake_now = 100 + i * 0.5;
		ch_progress_update(&p, i, "case %d of 100", i);
	}
	s = text(f);
	assert_int_equal(count(s, "\n"), 4);
	assert_int_equal(count(s, "\r"), 0);
	ch_progress_end(&p);
	free(s);
	s = text(f);
	/* at 10 s, 20 of 100 done: 40 s left */
	if (!strstr(s, "chbench bench: case 20 of 100, 0:10 elapsed, about 0:40 left\n"))
		fail_msg("no line at 10 s in:\n%s", s);
	if (!strstr(s, "chbench bench: 40 of 100 done, 0:20 elapsed\n"))
		fail_msg("no last line in:\n%s", s);
	free(s);
	fclose(f);
}

static void a_terminal_gets_one_line_rewritten_in_place(void **state)
{
	struct ch_progress p;
	FILE *f = tmpfile();
	char *s;
	int i;

	(void)state;
	begin(&p, f, true, 10);
	for (i = 1; i <= 10; i++) {
		fake_now = 100 + i;
		ch_progress_update(&p, i, "case %d of 10", i);
	}
	ch_progress_end(&p);
	s = text(f);
	/* every update redrawn, then the last line, and one newline */
	assert_int_equal(count(s, "\r"), 11);
	assert_int_equal(count(s, "\n"), 1);
	if (!strstr(s, "\rchbench bench: case 4 of 10, 0:04 elapsed, about 0:06 left"))
		fail_msg("no line at 4 s in:\n%s", s);
	/* too early to tell: no estimate in the first seconds */
	if (!strstr(s, "\rchbench bench: case 2 of 10, 0:02 elapsed\r"))
		fail_msg("an estimate at 2 s in:\n%s", s);
	if (!strstr(s, "\rchbench bench: 10 of 10 done, 0:10 elapsed\n"))
		fail_msg("no last line in:\n%s", s);
	free(s);
	fclose(f);
}

static void a_shorter_line_blanks_what_the_longer_left(void **state)
{
	struct ch_progress p;
	FILE *f = tmpfile();
	char *s, *last;

	(void)state;
	begin(&p, f, true, 0);
	fake_now = 101;
	ch_progress_update(&p, 0, "a long description of the work");
	fake_now = 102;
	ch_progress_update(&p, 0, "short");
	s = text(f);
	last = strrchr(s, '\r');
	if (strncmp(last, "\rchbench bench: short, 0:02 elapsed  ", 37))
		fail_msg("not the short line, padded: '%s'", last);
	/* the second line is as long as the first: padded with blanks */
	assert_int_equal(strlen(last), last - s);
	/* no total: no estimate */
	assert_null(strstr(s, "left"));
	free(s);
	fclose(f);
}

static void an_abort_erases_the_line_and_prints_no_last_one(void **state)
{
	struct ch_progress p;
	FILE *f = tmpfile();
	char *s;

	(void)state;
	begin(&p, f, true, 10);
	fake_now = 101;
	ch_progress_update(&p, 1, "case 1 of 10");
	ch_progress_abort(&p);
	fake_now = 102;
	ch_progress_update(&p, 2, "case 2 of 10");
	ch_progress_end(&p);
	s = text(f);
	/* the line, then blanks over it, back at column 0: no newline */
	assert_null(strchr(s, '\n'));
	assert_null(strstr(s, "done"));
	assert_int_equal(s[strlen(s) - 1], '\r');
	free(s);
	fclose(f);
}

static void quiet_prints_nothing(void **state)
{
	struct ch_progress p = { .clock = fake_clock };
	FILE *f = tmpfile();
	char *s;

	(void)state;
	ch_progress_begin(&p, "bench", 10, true);
	p.out = f;
	fake_now += 60;
	ch_progress_update(&p, 5, "case 5 of 10");
	ch_progress_end(&p);
	s = text(f);
	assert_string_equal(s, "");
	free(s);
	fclose(f);
}

/*
 * The seconds the line of @where (", " after it) said were left; -1 when
 * it said none. The line must be there.
 */
static double left_at(const char *s, const char *where)
{
	char key[64];
	const char *p, *end;
	int m, sec;

	snprintf(key, sizeof(key), "\rchbench bench: %s, ", where);
	p = strstr(s, key);
	if (!p)
		fail_msg("no line for %s in:\n%s", where, s);
	end = strchr(p + 1, '\r');
	p = strstr(p, "about ");
	if (!p || (end && p > end))
		return -1;
	assert_int_equal(sscanf(p, "about %d:%d left", &m, &sec), 2);
	return m * 60 + sec;
}

/*
 * As a bench: 5 rounds of 100 cases, each round front-loaded (its first
 * 10 cases build memmaps), the first twice as slow (Google Benchmark
 * calibrates in it). Item k of round r ends at the returned second.
 */
static double bench_like_time(int r, int k)
{
	double slow = r ? 1.0 : 2.0, fast = r ? 0.2 : 0.4;
	double start = r ? 56 + (r - 1) * 28 : 0;

	return start + (k < 10 ? k * slow : 10 * slow + (k - 10) * fast);
}

static void rounds_are_told_by_the_last_whole_round(void **state)
{
	const double total = bench_like_time(4, 100);	/* 168 s */
	struct ch_progress p;
	FILE *f = tmpfile();
	char *s;
	int r, k;

	(void)state;
	begin(&p, f, true, 0);
	ch_progress_rounds(&p, 5, 100);
	assert_int_equal(p.total, 500);
	for (r = 0; r < 5; r++)
		for (k = 1; k <= 100; k++) {
			fake_now = 100 + bench_like_time(r, k);
			ch_progress_update(&p, r * 100 + k, "item %d",
					   r * 100 + k);
		}
	ch_progress_end(&p);
	s = text(f);
	/*
	 * In the first round nothing can be told: 0:14 in, the rate over
	 * all the work would say 986 s left for 154.
	 */
	assert_true(left_at(s, "item 7") < 0);
	assert_true(left_at(s, "item 60") < 0);
	/*
	 * From the second round on: under twice the truth at its start
	 * (where one case tells little), within 15% a tenth into it, and
	 * after.
	 */
	for (k = 101; k < 500; k += 3) {
		double truth = total - bench_like_time(k / 100, k % 100);
		double off = k < 110 ? 0.75 : 0.15, said;
		char where[32];

		snprintf(where, sizeof(where), "item %d", k);
		said = left_at(s, where);
		if (said < 0 || fabs(said - truth) > off * truth + 1)
			fail_msg("%s: %.0f s left said, %.0f s true", where,
				 said, truth);
	}
	free(s);
	fclose(f);
}

/* One round, or work not in rounds: told once a tenth of it is done. */
static void plain_work_is_told_after_a_tenth_of_it(void **state)
{
	struct ch_progress p;
	FILE *f = tmpfile();
	char *s;
	int i;

	(void)state;
	begin(&p, f, true, 0);
	ch_progress_rounds(&p, 1, 100);
	for (i = 1; i <= 20; i++) {
		fake_now = 100 + i;
		ch_progress_update(&p, i, "item %d", i);
	}
	s = text(f);
	assert_true(left_at(s, "item 9") < 0);
	/* 10 of 100 in 10 s: 90 s left */
	assert_true(left_at(s, "item 10") == 90);
	free(s);
	ch_progress_end(&p);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_pipe_gets_a_plain_line_every_five_seconds),
		cmocka_unit_test(a_terminal_gets_one_line_rewritten_in_place),
		cmocka_unit_test(a_shorter_line_blanks_what_the_longer_left),
		cmocka_unit_test(an_abort_erases_the_line_and_prints_no_last_one),
		cmocka_unit_test(quiet_prints_nothing),
		cmocka_unit_test(rounds_are_told_by_the_last_whole_round),
		cmocka_unit_test(plain_work_is_told_after_a_tenth_of_it),
	};

	return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}

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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/progress.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_pipe_gets_a_plain_line_every_five_seconds),
		cmocka_unit_test(a_terminal_gets_one_line_rewritten_in_place),
		cmocka_unit_test(a_shorter_line_blanks_what_the_longer_left),
		cmocka_unit_test(an_abort_erases_the_line_and_prints_no_last_one),
		cmocka_unit_test(quiet_prints_nothing),
	};

	return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Errors across the library/command line: lib/err.c's ch_err() prints one
 * "chbench: " line and hands back the errno it was given; commands/exit.h
 * turns any negative errno into exit status 2 and passes 0 and 1 through.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands/exit.h"
#include "lib/err.h"

/* What ch_err() wrote on stderr, and what it returned in *ret. */
static void err_output(char *out, size_t len, int *ret, int err,
		       const char *what)
{
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;

	assert_non_null(f);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
	*ret = ch_err(err, "cannot lock %s: %s", what, strerror(-err));
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(f);
	n = fread(out, 1, len - 1, f);
	out[n] = '\0';
	fclose(f);
}

static void ch_err_prints_one_line_and_returns_its_errno(void **state)
{
	char out[256];
	int ret;

	(void)state;
	err_output(out, sizeof(out), &ret, -EBUSY, "/run/lock");
	assert_int_equal(ret, -EBUSY);
	assert_string_equal(out,
		"chbench: cannot lock /run/lock: Device or resource busy\n");
}

static void ch_err_keeps_an_echoed_newline_off_the_line(void **state)
{
	char out[256];
	int ret;

	(void)state;
	err_output(out, sizeof(out), &ret, -ENOENT, "a\nb\tc");
	assert_int_equal(ret, -ENOENT);
	assert_string_equal(out,
		"chbench: cannot lock a?b?c: No such file or directory\n");
}

static void exit_status_is_2_for_an_errno_and_keeps_0_and_1(void **state)
{
	(void)state;
	assert_int_equal(ch_exit_status(0), 0);
	assert_int_equal(ch_exit_status(1), 1);
	assert_int_equal(ch_exit_status(-EINVAL), 2);
	assert_int_equal(ch_exit_status(-ENOMEM), 2);
	assert_int_equal(ch_exit_status(-EIO), 2);
	assert_int_equal(ch_exit_status(-EPERM), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ch_err_prints_one_line_and_returns_its_errno),
		cmocka_unit_test(ch_err_keeps_an_echoed_newline_off_the_line),
		cmocka_unit_test(exit_status_is_2_for_an_errno_and_keeps_0_and_1),
	};

	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * lib/scnprintf.c: what was written, never what would have been, so a
 * buffer filled piecewise stops at its end, however long the list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "lib/scnprintf.h"

static void fits_returns_what_snprintf_does(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(scnprintf(buf, sizeof(buf), "%s-%d", "ab", 12), 5);
	assert_string_equal(buf, "ab-12");
}

static void truncated_returns_what_was_written(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(scnprintf(buf, sizeof(buf), "%s", "0123456789"), 7);
	assert_string_equal(buf, "0123456");
}

static void size_zero_writes_nothing(void **state)
{
	char buf[4] = "xyz";

	(void)state;
	assert_int_equal(scnprintf(buf, 0, "%s", "abc"), 0);
	assert_string_equal(buf, "xyz");
}

/* the loop every list builder runs: off never passes the end */
static void piecewise_loop_stops_at_the_end(void **state)
{
	char buf[32];
	size_t off = 0;
	int i;

	(void)state;
	memset(buf, 'z', sizeof(buf));
	for (i = 0; i < 100; i++)
		off += scnprintf(buf + off, sizeof(buf) - off, "%s%d",
				 i ? ", " : "", i);
	assert_int_equal(off, sizeof(buf) - 1);
	assert_int_equal(buf[sizeof(buf) - 1], '\0');
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_memory_equal(buf, "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1", 31);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fits_returns_what_snprintf_does),
		cmocka_unit_test(truncated_returns_what_was_written),
		cmocka_unit_test(size_zero_writes_nothing),
		cmocka_unit_test(piecewise_loop_stops_at_the_end),
	};

	return cmocka_run_group_tests_name("scnprintf", tests, NULL, NULL);
}

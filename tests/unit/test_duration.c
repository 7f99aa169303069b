/* SPDX-License-Identifier: ISC */
/*
 * test_duration.c: durations as a seller writes them in delistd.conf.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"

static int64_t
ok(const char *s)
{
	int64_t v = -1;
	char *cause = NULL;

	if (duration_parse(s, &v, &cause) != 0)
		fail_msg("\"%s\" refused: %s", s, cause);
	return (v);
}

static char *
refused(const char *s)
{
	int64_t v = 12345;
	char *cause = NULL;

	assert_int_equal(duration_parse(s, &v, &cause), -1);
	assert_int_equal(v, 12345);
	assert_non_null(cause);
	return (cause);
}

static void
test_each_unit(void **state)
{
	(void)state;
	assert_int_equal(ok("90s"), 90);
	assert_int_equal(ok("30m"), 1800);
	assert_int_equal(ok("72h"), 259200);
	assert_int_equal(ok("5d"), 432000);
	assert_int_equal(ok("2w"), 1209600);
	assert_int_equal(ok("0s"), 0);
}

static void
test_sums(void **state)
{
	(void)state;
	assert_int_equal(ok("1h30m"), 5400);
	assert_int_equal(ok("1d12h"), 129600);
	assert_int_equal(ok("1m1s"), 61);
}

static void
test_bad_unit_named(void **state)
{
	char *cause;

	(void)state;
	cause = refused("5x");
	assert_non_null(strstr(cause, "unknown unit 'x'"));
	free(cause);
}

static void
test_negative_refused(void **state)
{
	char *cause;

	(void)state;
	cause = refused("-1h");
	assert_non_null(strstr(cause, "-1h"));
	free(cause);
}

static void
test_missing_unit_refused(void **state)
{
	char *cause;

	(void)state;
	cause = refused("90");
	assert_non_null(strstr(cause, "no unit"));
	free(cause);
	free(refused("1h30"));
}

static void
test_garbage_refused(void **state)
{
	(void)state;
	free(refused(""));
	free(refused("h"));
	free(refused(" 5m"));
	free(refused("5m "));
	free(refused("5 m"));
	free(refused("5M"));
	free(refused("1.5h"));
}

static void
test_overflow_refused(void **state)
{
	char *cause;

	(void)state;
	cause = refused("99999999999999999999999s");
	assert_non_null(strstr(cause, "longer than ten years"));
	free(cause);
	free(refused("9223372036854775807d"));
	free(refused("3651d"));
	assert_int_equal(ok("3650d"), DURATION_MAX);
}

static void
test_format_round_trip(void **state)
{
	char buf[64];
	int64_t v;

	(void)state;
	assert_string_equal(duration_format(5400, buf, sizeof buf), "1h30m");
	assert_string_equal(duration_format(259200, buf, sizeof buf), "3d");
	assert_string_equal(duration_format(0, buf, sizeof buf), "0s");
	assert_string_equal(
	    duration_format(90061, buf, sizeof buf), "1d1h1m1s");
	for (v = 1; v < 10 * 86400; v = v * 3 + 7)
		assert_int_equal(ok(duration_format(v, buf, sizeof buf)), v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_unit),
		cmocka_unit_test(test_sums),
		cmocka_unit_test(test_bad_unit_named),
		cmocka_unit_test(test_negative_refused),
		cmocka_unit_test(test_missing_unit_refused),
		cmocka_unit_test(test_garbage_refused),
		cmocka_unit_test(test_overflow_refused),
		cmocka_unit_test(test_format_round_trip),
	};

	return (cmocka_run_group_tests_name("duration", tests, NULL, NULL));
}

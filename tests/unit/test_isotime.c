/* SPDX-License-Identifier: ISC */
/*
 * test_isotime.c: the times a seller types after --at.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "core.h"

static time_t
ok(const char *s)
{
	time_t t = 0;

	if (isotime_parse(s, &t) != 0)
		fail_msg("\"%s\" refused", s);
	return (t);
}

static void
test_offsets_and_utc_agree(void **state)
{
	(void)state;
	/* 2026-10-08T02:00:00Z */
	assert_int_equal(ok("2026-10-08T02:00:00Z"), 1791424800);
	assert_int_equal(ok("2026-10-08T10:00:00+08:00"), 1791424800);
	assert_int_equal(ok("2026-10-07T22:00:00-04:00"), 1791424800);
	assert_int_equal(ok("2026-10-08T10:00+08:00"), 1791424800);
	assert_int_equal(ok("2026-10-08 10:00:00+0800"), 1791424800);
	assert_int_equal(ok("2026-10-08T02:00:00.250Z"), 1791424800);
	assert_int_equal(ok("2026-10-08t02:00:00z"), 1791424800);
}

static void
test_leap_day(void **state)
{
	(void)state;
	assert_int_equal(ok("2028-02-29T00:00:00Z"), 1835395200);
	assert_int_equal(ok("2000-02-29T00:00:00Z"), 951782400);
}

static void
test_refused(void **state)
{
	static const char *const bad[] = { "", "2026-10-08", "2026-10-08T10:00",
		"2026-10-08T10:00:00", "yesterday", "2026-13-01T00:00:00Z",
		"2026-02-30T00:00:00Z", "2027-02-29T00:00:00Z",
		"2100-02-29T00:00:00Z", "2026-10-08T24:00:00Z",
		"2026-10-08T10:60:00Z", "2026-10-08T10:00:00+25:00",
		"2026-10-08T10:00:00+08:00 ", "2026-10-08T10:00:00Zjunk",
		"26-10-08T10:00:00Z", "1969-12-31T23:59:59Z",
		"2026-10-08T10:00:00.Z" };
	size_t i;
	time_t t;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (isotime_parse(bad[i], &t) != -1)
			fail_msg("\"%s\" accepted", bad[i]);
	}
}

static void
test_format_round_trip(void **state)
{
	char buf[ISOTIME_LEN];
	time_t t;

	(void)state;
	assert_string_equal(isotime_format(1791424800, buf, sizeof buf),
	    "2026-10-08T02:00:00Z");
	for (t = 0; t < 4000000000LL; t += 86399 * 97)
		assert_int_equal(ok(isotime_format(t, buf, sizeof buf)), t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offsets_and_utc_agree),
		cmocka_unit_test(test_leap_day),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_format_round_trip),
	};

	return (cmocka_run_group_tests_name("isotime", tests, NULL, NULL));
}

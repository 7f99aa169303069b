/* SPDX-License-Identifier: ISC */
/*
 * test_stats.c: the Statistics' numbers (stats.c) and the ISO weeks they
 * are cut into (calendar_week): delistings per week by reason, days to
 * reinstatement (median, p90, histogram), open cases at each week's end.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calendar.h"
#include "core.h"
#include "stats.h"

#define DAY 86400

static void
test_quantile(void **state)
{
	static const double one[] = { 4 };
	static const double four[] = { 1, 2, 3, 10 };
	static const double ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	(void)state;
	assert_true(stats_quantile(NULL, 0, 0.5) == 0);
	assert_true(stats_quantile(one, 1, 0.5) == 4);
	assert_true(stats_quantile(one, 1, 0.9) == 4);
	/* even n: the mean of the middle two */
	assert_true(stats_quantile(four, 4, 0.5) == 2.5);
	/* (n - 1) * 0.9 = 8.1: 9 + 0.1 * (10 - 9) */
	assert_true(stats_quantile(ten, 10, 0.9) > 9.099 &&
	    stats_quantile(ten, 10, 0.9) < 9.101);
}

static void
test_buckets(void **state)
{
	(void)state;
	assert_int_equal(stats_bucket(0), 0);
	assert_int_equal(stats_bucket(2.99), 0);
	assert_int_equal(stats_bucket(3), 1);
	assert_int_equal(stats_bucket(13.5), 2);
	assert_int_equal(stats_bucket(29), 3);
	assert_int_equal(stats_bucket(59.9), 4);
	assert_int_equal(stats_bucket(400), 5);
	assert_string_equal(stats_bucket_name(0), "0-3");
	assert_string_equal(stats_bucket_name(STATS_BUCKETS - 1), "60+");
	assert_null(stats_bucket_name(STATS_BUCKETS));
}

/* Weeks start on Monday 00:00 in the zone; ISO week numbers. */
static void
test_weeks(void **state)
{
	struct calendar *sh = calendar_new("Asia/Shanghai", NULL);
	struct calendar *be = calendar_new("Europe/Berlin", NULL);
	char label[CALENDAR_WEEK_LEN], date[CALENDAR_DATE_LEN];
	time_t start;

	(void)state;
	assert_non_null(sh);
	assert_non_null(be);
	/* 2026-10-05 (Monday) 00:30 in Shanghai is 2026-10-04 16:30 UTC,
	 * 18:30 in Berlin */
	assert_int_equal(
	    calendar_week(sh, 1791129600 + 1800, 0, &start, label, date), 0);
	assert_string_equal(label, "2026-W41");
	assert_string_equal(date, "2026-10-05");
	assert_int_equal(start, 1791129600);
	/* the same instant is still Sunday in Berlin: week 40 */
	assert_int_equal(
	    calendar_week(be, 1791129600 + 1800, 0, &start, label, date), 0);
	assert_string_equal(label, "2026-W40");
	assert_string_equal(date, "2026-09-28");
	/* moved: two weeks earlier */
	assert_int_equal(
	    calendar_week(sh, 1791129600 + 1800, -2, &start, label, NULL), 0);
	assert_string_equal(label, "2026-W39");
	/* 2027-01-01 is a Friday: it belongs to 2026-W53 */
	assert_int_equal(
	    calendar_week(sh, 1798732800 + 12 * 3600, 0, &start, label, date),
	    0);
	assert_string_equal(label, "2026-W53");
	assert_string_equal(date, "2026-12-28");
	calendar_free(sh);
	calendar_free(be);
}

static void
test_compute(void **state)
{
	/* three weeks from t0 */
	const time_t t0 = 1790000000;
	const time_t b[] = { t0, t0 + 7 * DAY, t0 + 14 * DAY, t0 + 21 * DAY };
	const struct stats_case c[] = {
		/* week 0, reinstated after 2 days (week 0) */
		{ CASE_REASON_IP_INFRINGEMENT, t0 + DAY, t0 + DAY, t0 + 3 * DAY,
		    t0 + 3 * DAY },
		/* week 0, reinstated after 10 days (week 1) */
		{ CASE_REASON_IP_INFRINGEMENT, t0 + 2 * DAY, t0 + 2 * DAY,
		    t0 + 12 * DAY, t0 + 13 * DAY },
		/* week 1, still open */
		{ CASE_REASON_FALSE_INFO, t0 + 8 * DAY, t0 + 8 * DAY, 0, 0 },
		/* taken down before the range, opened in week 0,
		 * reinstated in week 2 after 40 days, closed then */
		{ CASE_REASON_FALSE_INFO, t0 + DAY, t0 - 25 * DAY,
		    t0 + 15 * DAY, t0 + 15 * DAY },
		/* abandoned in week 1 */
		{ CASE_REASON_TRO, t0 + 3 * DAY, t0 + 3 * DAY, 0,
		    t0 + 9 * DAY },
		/* bad reason: left out */
		{ -1, t0, t0, 0, 0 },
	};
	struct stats s;
	char *cause = NULL;

	(void)state;
	assert_int_equal(
	    stats_compute(b, 3, t0 + 16 * DAY, c, 6, &s, &cause), 0);
	assert_int_equal(s.nweeks, 3);
	assert_int_equal(s.delisted[0][CASE_REASON_IP_INFRINGEMENT], 2);
	assert_int_equal(s.delisted[0][CASE_REASON_TRO], 1);
	assert_int_equal(s.delisted[0][CASE_REASON_FALSE_INFO], 0);
	assert_int_equal(s.delisted[1][CASE_REASON_FALSE_INFO], 1);
	assert_int_equal(s.delisted[2][CASE_REASON_FALSE_INFO], 0);
	/* open at the end of week 0: 2 ip cases? the first closed on day 3 */
	assert_int_equal(s.open[0], 3);
	/* end of week 1: ip #2 (closes day 13: closed), false_info x2 */
	assert_int_equal(s.open[1], 2);
	/* week 2 ends after now (day 16): counted at now */
	assert_int_equal(s.open[2], 1);
	assert_int_equal(s.days[CASE_REASON_IP_INFRINGEMENT].n, 2);
	assert_true(s.days[CASE_REASON_IP_INFRINGEMENT].median == 6);
	assert_int_equal(s.days[CASE_REASON_IP_INFRINGEMENT].hist[0], 1);
	assert_int_equal(s.days[CASE_REASON_IP_INFRINGEMENT].hist[2], 1);
	assert_int_equal(s.days[CASE_REASON_FALSE_INFO].n, 1);
	assert_true(s.days[CASE_REASON_FALSE_INFO].median == 40);
	assert_int_equal(s.days[CASE_REASON_FALSE_INFO].hist[4], 1);
	assert_int_equal(s.days[CASE_REASON_TRO].n, 0);
	assert_true(s.days[CASE_REASON_TRO].median == 0);
	assert_int_equal(s.days[CASE_REASON_COUNT].n, 3);
	assert_true(s.days[CASE_REASON_COUNT].median == 10);
	stats_clear(&s);

	/* weeks out of order, or none */
	assert_int_equal(stats_compute(b + 1, 0, t0, c, 1, &s, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	{
		const time_t bad[] = { t0, t0 };

		assert_int_equal(
		    stats_compute(bad, 1, t0, c, 1, &s, &cause), -1);
		assert_non_null(cause);
		free(cause);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantile),
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_weeks),
		cmocka_unit_test(test_compute),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

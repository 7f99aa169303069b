/* SPDX-License-Identifier: ISC */
/*
 * test_calendar.c: unit tests of calendar.c, the business-day calendar.
 *
 * Scenarios around a China-style 2026 calendar (Spring Festival, Golden
 * Week), clock changes in Europe/Berlin, America/New_York and
 * America/Sao_Paulo, bad configuration, and property loops checking that
 * add and between agree and are monotone. Expected instants are computed
 * here with timegm only, never with the code under test; weekdays of the
 * dates used are checked, not trusted. Needs tzdata; must not depend on the
 * host's TZ.
 */

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "calendar.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))
#define HOUR 3600
#define DAY 86400

static time_t at(const char *);
static const char *weekday_of(const char *);
static struct calendar *make(const char *);
static void holidays(struct calendar *, const char *const *, size_t);
static void workdays(struct calendar *, const char *const *, size_t);
static void weekend(struct calendar *, const char *const *, size_t);
static struct calendar *china_2026(void);
static struct calendar *berlin_sunday_open(void);
static struct calendar *sao_paulo_2018(void);
static const char *local(const struct calendar *, time_t);
static time_t add(const struct calendar *, time_t, int);
static int between(const struct calendar *, time_t, time_t);
static int is_business(const struct calendar *, time_t);
static void expect_refused_zone(const char *);
static void expect_refused_date(const char *, const char *);
static void check_agree(const struct calendar *, time_t, time_t, time_t);
static void expect_uncovered(
    const struct calendar *, const char *, int, int, int, const char *);
static char *tz_enter(const struct calendar *);
static void tz_leave(char *);
static uint32_t lcg(uint32_t *);
static int ref_business_day(const struct calendar *, int64_t);
static time_t ref_add(const struct calendar *, time_t, int);

/*
 * Test data shaped like China's 2026 schedule (holidays plus make-up
 * weekend workdays); not a copy of the official notice.
 */
static const char *const golden_week[] = { "2026-10-01", "2026-10-02",
	"2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07" };
static const char *const golden_week_workdays[] = { "2026-09-27",
	"2026-10-10" };
static const char *const spring_festival[] = { "2026-02-15", "2026-02-16",
	"2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21",
	"2026-02-22", "2026-02-23" };
static const char *const spring_festival_workdays[] = { "2026-02-14",
	"2026-02-28" };
static const char *const fri_sat[] = { "fri", "sat" };

/* "2026-09-29T10:00:00+08:00" as epoch seconds, by timegm alone. */
static time_t
at(const char *iso)
{
	int y, mo, d, h, mi, s, oh, om;
	char sign;
	struct tm tm;
	time_t t;

	if (sscanf(iso, "%d-%d-%dT%d:%d:%d%c%d:%d", &y, &mo, &d, &h, &mi, &s,
		&sign, &oh, &om) != 9 ||
	    (sign != '+' && sign != '-'))
		fail_msg("bad test time %s", iso);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	t = timegm(&tm);
	return t - (sign == '-' ? -1 : 1) * (oh * HOUR + om * 60);
}

/* The weekday of a YYYY-MM-DD date, by timegm/gmtime_r alone. */
static const char *
weekday_of(const char *date)
{
	static const char *const names[] = { "sun", "mon", "tue", "wed", "thu",
		"fri", "sat" };
	struct tm tm;
	time_t t;
	int y, m, d;

	if (sscanf(date, "%d-%d-%d", &y, &m, &d) != 3)
		fail_msg("bad test date %s", date);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	return names[tm.tm_wday];
}

static struct calendar *
make(const char *tz)
{
	struct calendar *cal;
	char *cause = NULL;

	if ((cal = calendar_new(tz, &cause)) == NULL)
		fail_msg("calendar_new(%s): %s", tz ? tz : "NULL", cause);
	return cal;
}

static void
holidays(struct calendar *cal, const char *const *dates, size_t n)
{
	char *cause = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (calendar_add_holiday(cal, dates[i], &cause) != 0)
			fail_msg("holiday %s: %s", dates[i], cause);
	}
}

static void
workdays(struct calendar *cal, const char *const *dates, size_t n)
{
	char *cause = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (calendar_add_workday(cal, dates[i], &cause) != 0)
			fail_msg("workday %s: %s", dates[i], cause);
	}
}

static void
weekend(struct calendar *cal, const char *const *days, size_t n)
{
	char *cause = NULL;

	if (calendar_set_weekend(cal, days, n, &cause) != 0)
		fail_msg("weekend: %s", cause);
}

/* Asia/Shanghai, sat+sun, Spring Festival and Golden Week 2026. */
static struct calendar *
china_2026(void)
{
	struct calendar *cal = make("Asia/Shanghai");

	holidays(cal, spring_festival, nitems(spring_festival));
	workdays(
	    cal, spring_festival_workdays, nitems(spring_festival_workdays));
	holidays(cal, golden_week, nitems(golden_week));
	workdays(cal, golden_week_workdays, nitems(golden_week_workdays));
	return cal;
}

/* Europe/Berlin with a fri+sat weekend, so the DST Sundays are workdays. */
static struct calendar *
berlin_sunday_open(void)
{
	struct calendar *cal = make("Europe/Berlin");

	weekend(cal, fri_sat, nitems(fri_sat));
	return cal;
}

/*
 * America/Sao_Paulo, whose clocks changed at midnight until 2019, with the
 * 2018 change Sundays made workdays: 2018-02-18 (00:00 went back to 23:00
 * the day before) and 2018-11-04 (00:00 did not exist).
 */
static struct calendar *
sao_paulo_2018(void)
{
	static const char *const sundays[] = { "2018-02-18", "2018-11-04" };
	struct calendar *cal = make("America/Sao_Paulo");

	workdays(cal, sundays, nitems(sundays));
	return cal;
}

static const char *
local(const struct calendar *cal, time_t t)
{
	static char bufs[8][CALENDAR_FORMAT_LEN];
	static int next;
	char *buf = bufs[next++ % 8];

	if (calendar_format_local(cal, t, buf, CALENDAR_FORMAT_LEN) != 0)
		fail_msg("calendar_format_local(%lld) failed", (long long)t);
	return buf;
}

static time_t
add(const struct calendar *cal, time_t t, int n)
{
	time_t r = calendar_add_business_days(cal, t, n);

	if (r == (time_t)-1)
		fail_msg("add(%s, %d) failed", local(cal, t), n);
	return r;
}

static int
between(const struct calendar *cal, time_t a, time_t b)
{
	int n = calendar_business_days_between(cal, a, b);

	if (n == INT_MIN)
		fail_msg(
		    "between(%s, %s) failed", local(cal, a), local(cal, b));
	return n;
}

static int
is_business(const struct calendar *cal, time_t t)
{
	int r = calendar_is_business_day(cal, t);

	if (r == -1)
		fail_msg("is_business_day(%s) failed", local(cal, t));
	return r;
}

static void
expect_refused_zone(const char *tz)
{
	char *cause = NULL, want[512];

	assert_null(calendar_new(tz, &cause));
	assert_non_null(cause);
	snprintf(want, sizeof want, "unknown time zone \"%s\"", tz);
	assert_string_equal(cause, want);
	free(cause);
}

static void
expect_refused_date(const char *date, const char *want)
{
	struct calendar *cal = make("Asia/Shanghai");
	char *cause = NULL;

	assert_int_equal(calendar_add_holiday(cal, date, &cause), -1);
	assert_non_null(cause);
	assert_string_equal(cause, want);
	free(cause);
	cause = NULL;
	assert_int_equal(calendar_add_workday(cal, date, &cause), -1);
	assert_string_equal(cause, want);
	free(cause);
	calendar_free(cal);
}

/*
 * For every t from start to end by step and n in 0..12: between undoes add,
 * add grows with n and never decreases with t, and add(t, 0) == t exactly
 * when t is on a business day.
 */
static void
check_agree(const struct calendar *cal, time_t start, time_t end, time_t step)
{
	time_t t, prev[13], r, last;
	int n, first = 1;
	char *saved;

	/*
	 * Hundreds of thousands of calls: run them with TZ already set to the
	 * calendar's zone, so that glibc does not reload two zone files per
	 * call. The switching itself is tested elsewhere.
	 */
	saved = tz_enter(cal);
	memset(prev, 0, sizeof prev);
	for (t = start; t <= end; t += step) {
		last = 0;
		for (n = 0; n <= 12; n++) {
			r = add(cal, t, n);
			if (between(cal, t, r) != n)
				fail_msg("between(%s, add(.., %d) = %s) = %d",
				    local(cal, t), n, local(cal, r),
				    between(cal, t, r));
			if (n > 0 && between(cal, t, r - 1) != n - 1)
				fail_msg("between(%s, %s - 1s) = %d, want %d",
				    local(cal, t), local(cal, r),
				    between(cal, t, r - 1), n - 1);
			if (between(cal, r, t) != -n)
				fail_msg("between(%s, %s) != -%d",
				    local(cal, r), local(cal, t), n);
			if (n == 0 && (r == t) != is_business(cal, t))
				fail_msg("add(%s, 0) = %s but business %d",
				    local(cal, t), local(cal, r),
				    is_business(cal, t));
			if (n > 0 && r <= last)
				fail_msg("add(%s, %d) = %s not after n - 1",
				    local(cal, t), n, local(cal, r));
			if (!first && r < prev[n])
				fail_msg("add(%s, %d) = %s before %s",
				    local(cal, t), n, local(cal, r),
				    local(cal, prev[n]));
			prev[n] = last = r;
		}
		first = 0;
	}
	tz_leave(saved);
}

/* Sets TZ to cal's zone; returns the old value for tz_leave. */
static char *
tz_enter(const struct calendar *cal)
{
	const char *old = getenv("TZ");
	char *saved, zone[300];

	saved = strdup(old != NULL ? old : "");
	assert_non_null(saved);
	snprintf(zone, sizeof zone, ":%s", calendar_tz(cal));
	setenv("TZ", zone, 1);
	tzset();
	return saved;
}

static void
tz_leave(char *saved)
{
	if (*saved != '\0')
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

static uint32_t
lcg(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

/* Reference model for a zone fixed at +08:00: business day by day number. */
static int
ref_business_day(const struct calendar *cal, int64_t day)
{
	return is_business(cal, (time_t)(day * DAY - 8 * HOUR + 12 * HOUR));
}

/* calendar_add_business_days walked one day at a time, +08:00 only. */
static time_t
ref_add(const struct calendar *cal, time_t t, int n)
{
	int64_t wall = (int64_t)t + 8 * HOUR, day, sec;

	day = wall / DAY;
	sec = wall % DAY;
	if (!ref_business_day(cal, day)) {
		do
			day++;
		while (!ref_business_day(cal, day));
		sec = 0;
	} else if (n == 0)
		return t;
	while (n > 0) {
		day++;
		if (ref_business_day(cal, day))
			n--;
	}
	return (time_t)(day * DAY + sec - 8 * HOUR);
}

static void
test_golden_week_dates_fall_on_the_expected_weekdays(void **state)
{
	(void)state;
	assert_string_equal(weekday_of("2026-09-27"), "sun");
	assert_string_equal(weekday_of("2026-09-29"), "tue");
	assert_string_equal(weekday_of("2026-10-01"), "thu");
	assert_string_equal(weekday_of("2026-10-07"), "wed");
	assert_string_equal(weekday_of("2026-10-10"), "sat");
	assert_string_equal(weekday_of("2026-10-12"), "mon");
	assert_string_equal(weekday_of("2026-02-14"), "sat");
	assert_string_equal(weekday_of("2026-02-15"), "sun");
	assert_string_equal(weekday_of("2026-02-23"), "mon");
	assert_string_equal(weekday_of("2026-02-28"), "sat");
	assert_string_equal(weekday_of("2026-03-07"), "sat");
	assert_string_equal(weekday_of("2026-03-29"), "sun");
	assert_string_equal(weekday_of("2026-10-25"), "sun");
	assert_string_equal(weekday_of("2026-11-01"), "sun");
	assert_string_equal(weekday_of("2026-03-08"), "sun");
	assert_string_equal(weekday_of("2025-12-31"), "wed");
	assert_string_equal(weekday_of("2018-11-04"), "sun");
	assert_string_equal(weekday_of("2018-02-18"), "sun");
}

static void
test_ordinary_weekday_is_a_business_day(void **state)
{
	struct calendar *cal = china_2026();

	(void)state;
	assert_int_equal(is_business(cal, at("2026-09-29T10:00:00+08:00")), 1);
	assert_int_equal(is_business(cal, at("2026-10-08T00:00:00+08:00")), 1);
	assert_int_equal(is_business(cal, at("2026-10-09T23:59:59+08:00")), 1);
	calendar_free(cal);
}

static void
test_weekend_day_is_not_a_business_day(void **state)
{
	struct calendar *cal = china_2026();

	(void)state;
	assert_int_equal(is_business(cal, at("2026-09-26T10:00:00+08:00")), 0);
	assert_int_equal(is_business(cal, at("2026-10-11T00:00:00+08:00")), 0);
	assert_int_equal(is_business(cal, at("2026-10-11T23:59:59+08:00")), 0);
	calendar_free(cal);
}

static void
test_holiday_on_a_weekday_is_not_a_business_day(void **state)
{
	struct calendar *cal = china_2026();

	(void)state;
	assert_int_equal(is_business(cal, at("2026-10-01T00:00:00+08:00")), 0);
	assert_int_equal(is_business(cal, at("2026-10-07T23:59:59+08:00")), 0);
	assert_int_equal(is_business(cal, at("2026-02-16T09:00:00+08:00")), 0);
	/* A holiday on a weekend is simply not a business day either. */
	assert_int_equal(is_business(cal, at("2026-10-03T12:00:00+08:00")), 0);
	calendar_free(cal);
}

static void
test_makeup_weekend_workday_is_a_business_day(void **state)
{
	struct calendar *cal = china_2026();

	(void)state;
	assert_int_equal(is_business(cal, at("2026-09-27T00:00:00+08:00")), 1);
	assert_int_equal(is_business(cal, at("2026-10-10T23:59:59+08:00")), 1);
	assert_int_equal(is_business(cal, at("2026-02-14T12:00:00+08:00")), 1);
	assert_int_equal(is_business(cal, at("2026-02-28T12:00:00+08:00")), 1);
	/* The weekend days next to them stay off. */
	assert_int_equal(is_business(cal, at("2026-09-26T12:00:00+08:00")), 0);
	assert_int_equal(is_business(cal, at("2026-10-11T12:00:00+08:00")), 0);
	calendar_free(cal);
}

static void
test_business_day_follows_the_local_date_not_utc(void **state)
{
	struct calendar *cal = china_2026();

	(void)state;
	/* Monday 07:00 in Shanghai is still Sunday in UTC. */
	assert_int_equal(is_business(cal, at("2026-09-20T23:00:00+00:00")), 1);
	/* Saturday 16:30 UTC is Sunday 00:30 in Shanghai. */
	assert_int_equal(is_business(cal, at("2026-09-19T16:30:00+00:00")), 0);
	/* Friday 16:30 UTC is the make-up Saturday in Shanghai. */
	assert_int_equal(is_business(cal, at("2026-10-09T16:30:00+00:00")), 1);
	calendar_free(cal);
}

static void
test_appeal_two_days_before_golden_week_escalates_on_12_october(void **state)
{
	struct calendar *cal = china_2026();
	time_t t = at("2026-09-29T10:00:00+08:00"), r;

	(void)state;
	/* Wed 30 (1), Oct 1-7 off, Thu 8 (2), Fri 9 (3), Sat 10 (4), Mon 12. */
	r = add(cal, t, 5);
	assert_int_equal(r, at("2026-10-12T02:00:00+00:00"));
	assert_string_equal(local(cal, r), "2026-10-12T10:00:00+08:00");
	assert_int_equal(between(cal, t, r), 5);
	assert_int_equal(between(cal, t, r - 1), 4);
	assert_int_equal(between(cal, t, at("2026-10-11T23:00:00+08:00")), 4);
	assert_int_equal(between(cal, t, at("2026-10-07T23:00:00+08:00")), 1);
	assert_string_equal(
	    local(cal, add(cal, t, 1)), "2026-09-30T10:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 2)), "2026-10-08T10:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 4)), "2026-10-10T10:00:00+08:00");
	calendar_free(cal);
}

static void
test_makeup_sunday_before_golden_week_counts(void **state)
{
	struct calendar *cal = china_2026();
	time_t t = at("2026-09-25T10:00:00+08:00");

	(void)state;
	assert_string_equal(weekday_of("2026-09-25"), "fri");
	assert_string_equal(
	    local(cal, add(cal, t, 1)), "2026-09-27T10:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 2)), "2026-09-28T10:00:00+08:00");
	/* Submitted on the ordinary Saturday before: opens on the Sunday. */
	t = at("2026-09-26T15:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 0)), "2026-09-27T00:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 1)), "2026-09-28T00:00:00+08:00");
	calendar_free(cal);
}

static void
test_appeal_during_golden_week_opens_on_first_working_day(void **state)
{
	struct calendar *cal = china_2026();
	time_t t = at("2026-10-03T15:00:00+08:00");

	(void)state;
	assert_string_equal(
	    local(cal, add(cal, t, 0)), "2026-10-08T00:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 1)), "2026-10-09T00:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 2)), "2026-10-10T00:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 3)), "2026-10-12T00:00:00+08:00");
	assert_int_equal(between(cal, t, at("2026-10-08T12:00:00+08:00")), 0);
	assert_int_equal(between(cal, t, at("2026-10-09T00:00:00+08:00")), 1);
	calendar_free(cal);
}

static void
test_appeal_on_saturday_opens_monday_and_ends_monday_after_next(void **state)
{
	struct calendar *cal = make(NULL);
	time_t t = at("2026-03-07T10:00:00+08:00"), r;

	(void)state;
	r = add(cal, t, 5);
	assert_string_equal(local(cal, r), "2026-03-16T00:00:00+08:00");
	assert_int_equal(between(cal, t, at("2026-03-07T12:00:00+08:00")), 0);
	assert_int_equal(between(cal, t, at("2026-03-09T23:59:59+08:00")), 0);
	assert_int_equal(between(cal, t, at("2026-03-10T00:00:00+08:00")), 1);
	assert_int_equal(between(cal, t, at("2026-03-14T12:00:00+08:00")), 4);
	assert_int_equal(between(cal, t, r), 5);
	calendar_free(cal);
}

static void
test_spring_festival_makeup_saturdays_count(void **state)
{
	struct calendar *cal = china_2026();
	time_t t = at("2026-02-13T10:00:00+08:00");

	(void)state;
	assert_string_equal(weekday_of("2026-02-13"), "fri");
	assert_string_equal(
	    local(cal, add(cal, t, 1)), "2026-02-14T10:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 2)), "2026-02-24T10:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 5)), "2026-02-27T10:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 6)), "2026-02-28T10:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 7)), "2026-03-02T10:00:00+08:00");
	assert_int_equal(between(cal, t, at("2026-02-23T23:59:59+08:00")), 1);
	assert_int_equal(between(cal, t, at("2026-03-01T12:00:00+08:00")), 6);
	calendar_free(cal);
}

static void
test_zero_business_days_on_a_business_day_is_the_same_instant(void **state)
{
	struct calendar *cal = china_2026();
	time_t t = at("2026-09-29T10:11:12+08:00");

	(void)state;
	assert_int_equal(add(cal, t, 0), t);
	assert_int_equal(between(cal, t, t), 0);
	calendar_free(cal);
}

static void
test_year_end_holiday_is_skipped(void **state)
{
	static const char *const newyear[] = { "2026-01-01" };
	struct calendar *cal = make("Asia/Shanghai");
	time_t t = at("2025-12-31T10:00:00+08:00");

	(void)state;
	holidays(cal, newyear, 1);
	assert_string_equal(weekday_of("2026-01-01"), "thu");
	assert_string_equal(
	    local(cal, add(cal, t, 1)), "2026-01-02T10:00:00+08:00");
	assert_string_equal(
	    local(cal, add(cal, t, 2)), "2026-01-05T10:00:00+08:00");
	assert_int_equal(between(cal, t, at("2026-01-02T10:00:00+08:00")), 1);
	assert_int_equal(between(cal, t, at("2026-01-02T09:59:59+08:00")), 0);
	assert_int_equal(between(cal, t, at("2026-01-05T10:00:00+08:00")), 2);
	calendar_free(cal);
}

static void
test_berlin_spring_forward_keeps_local_time(void **state)
{
	struct calendar *cal = make("Europe/Berlin");
	time_t t = at("2026-03-27T10:00:00+01:00"), r;

	(void)state;
	r = add(cal, t, 1);
	assert_string_equal(local(cal, r), "2026-03-30T10:00:00+02:00");
	assert_int_equal(r - t, 3 * DAY - HOUR);
	assert_int_equal(between(cal, t, r), 1);
	assert_int_equal(between(cal, t, r - 1), 0);
	calendar_free(cal);
}

static void
test_berlin_fall_back_keeps_local_time(void **state)
{
	struct calendar *cal = make("Europe/Berlin");
	time_t t = at("2026-10-23T10:00:00+02:00"), r;

	(void)state;
	r = add(cal, t, 1);
	assert_string_equal(local(cal, r), "2026-10-26T10:00:00+01:00");
	assert_int_equal(r - t, 3 * DAY + HOUR);
	assert_int_equal(between(cal, t, r), 1);
	assert_int_equal(between(cal, t, r - 1), 0);
	calendar_free(cal);
}

static void
test_new_york_clock_changes_keep_local_time(void **state)
{
	struct calendar *cal = make("America/New_York");
	time_t t;

	(void)state;
	t = at("2026-03-06T09:00:00-05:00");
	assert_string_equal(
	    local(cal, add(cal, t, 1)), "2026-03-09T09:00:00-04:00");
	t = at("2026-03-04T09:00:00-05:00");
	assert_string_equal(
	    local(cal, add(cal, t, 5)), "2026-03-11T09:00:00-04:00");
	assert_int_equal(between(cal, t, add(cal, t, 5)), 5);
	t = at("2026-10-30T17:30:00-04:00");
	assert_string_equal(
	    local(cal, add(cal, t, 1)), "2026-11-02T17:30:00-05:00");
	assert_int_equal(between(cal, t, at("2026-11-02T17:29:59-05:00")), 0);
	assert_int_equal(between(cal, t, at("2026-11-02T17:30:00-05:00")), 1);
	calendar_free(cal);
}

static void
test_deadline_in_spring_forward_gap_moves_to_next_valid_instant(void **state)
{
	struct calendar *cal = berlin_sunday_open();
	time_t t = at("2026-03-26T02:30:00+01:00"), r;

	(void)state;
	r = add(cal, t, 1);
	assert_string_equal(local(cal, r), "2026-03-29T03:00:00+02:00");
	assert_int_equal(r, at("2026-03-29T01:00:00+00:00"));
	assert_int_equal(between(cal, t, r), 1);
	assert_int_equal(between(cal, t, r - 1), 0);
	assert_string_equal(
	    local(cal, add(cal, t, 2)), "2026-03-30T02:30:00+02:00");
	calendar_free(cal);
}

static void
test_deadline_at_ambiguous_time_is_first_occurrence(void **state)
{
	struct calendar *cal = berlin_sunday_open();
	time_t t = at("2026-10-22T02:30:00+02:00"), r;

	(void)state;
	r = add(cal, t, 1);
	assert_string_equal(local(cal, r), "2026-10-25T02:30:00+02:00");
	assert_int_equal(r, at("2026-10-25T00:30:00+00:00"));
	assert_int_equal(between(cal, t, r), 1);
	assert_int_equal(between(cal, t, r - 1), 0);
	calendar_free(cal);
}

static void
test_instant_in_repeated_hour_counts_as_end_of_repeat(void **state)
{
	struct calendar *cal = berlin_sunday_open();
	time_t first = at("2026-10-25T02:30:00+02:00");
	time_t second = at("2026-10-25T02:30:00+01:00");

	(void)state;
	assert_int_equal(second - first, HOUR);
	assert_int_equal(is_business(cal, second), 1);
	assert_int_equal(add(cal, second, 0), second);
	assert_string_equal(
	    local(cal, add(cal, first, 1)), "2026-10-26T02:30:00+01:00");
	assert_string_equal(
	    local(cal, add(cal, second, 1)), "2026-10-26T03:00:00+01:00");
	assert_string_equal(
	    local(cal, add(cal, at("2026-10-25T03:00:00+01:00"), 1)),
	    "2026-10-26T03:00:00+01:00");
	calendar_free(cal);
}

static void
test_window_opening_at_missing_midnight_is_first_instant_of_day(void **state)
{
	struct calendar *cal = sao_paulo_2018();
	time_t t = at("2018-11-03T12:00:00-03:00");

	(void)state;
	assert_string_equal(
	    local(cal, add(cal, t, 0)), "2018-11-04T01:00:00-02:00");
	assert_string_equal(
	    local(cal, add(cal, t, 1)), "2018-11-05T00:00:00-02:00");
	assert_int_equal(between(cal, t, at("2018-11-04T23:59:59-02:00")), 0);
	assert_int_equal(between(cal, t, at("2018-11-05T00:00:00-02:00")), 1);
	calendar_free(cal);
}

static void
test_custom_friday_saturday_weekend(void **state)
{
	struct calendar *cal = make("Asia/Riyadh");
	time_t t = at("2026-10-01T10:00:00+03:00");

	(void)state;
	weekend(cal, fri_sat, nitems(fri_sat));
	assert_int_equal(is_business(cal, at("2026-10-01T10:00:00+03:00")), 1);
	assert_int_equal(is_business(cal, at("2026-10-02T10:00:00+03:00")), 0);
	assert_int_equal(is_business(cal, at("2026-10-03T10:00:00+03:00")), 0);
	assert_int_equal(is_business(cal, at("2026-10-04T10:00:00+03:00")), 1);
	assert_string_equal(
	    local(cal, add(cal, t, 1)), "2026-10-04T10:00:00+03:00");
	assert_string_equal(
	    local(cal, add(cal, t, 5)), "2026-10-08T10:00:00+03:00");
	calendar_free(cal);
}

static void
test_weekend_names_ignore_case(void **state)
{
	static const char *const days[] = { "Sat", "SUN" };
	struct calendar *cal = make("UTC");

	(void)state;
	weekend(cal, days, nitems(days));
	assert_int_equal(is_business(cal, at("2026-10-10T12:00:00+00:00")), 0);
	assert_int_equal(is_business(cal, at("2026-10-11T12:00:00+00:00")), 0);
	assert_int_equal(is_business(cal, at("2026-10-12T12:00:00+00:00")), 1);
	calendar_free(cal);
}

static void
test_empty_weekend_makes_every_day_a_business_day(void **state)
{
	struct calendar *cal = make("UTC");
	time_t t = at("2026-10-09T12:00:00+00:00");

	(void)state;
	weekend(cal, NULL, 0);
	assert_int_equal(is_business(cal, at("2026-10-10T12:00:00+00:00")), 1);
	assert_string_equal(
	    local(cal, add(cal, t, 7)), "2026-10-16T12:00:00+00:00");
	calendar_free(cal);
}

static void
test_unknown_time_zone_is_refused(void **state)
{
	(void)state;
	expect_refused_zone("Mars/Base");
	expect_refused_zone("");
	expect_refused_zone("/usr/share/zoneinfo/UTC");
	expect_refused_zone("../zoneinfo/UTC");
	expect_refused_zone("Europe/../Asia/Shanghai");
	expect_refused_zone("./UTC");
	expect_refused_zone("Asia");
	expect_refused_zone("Asia/");
	expect_refused_zone("Asia//Shanghai");
	expect_refused_zone("Asia/Shanghai ");
	expect_refused_zone("zone.tab");
	expect_refused_zone("asia/shanghai");
}

static void
test_known_time_zones_are_accepted(void **state)
{
	static const char *const zones[] = { "Asia/Shanghai", "Europe/Berlin",
		"America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+5",
		"America/Port-au-Prince" };
	struct calendar *cal;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(zones); i++) {
		cal = make(zones[i]);
		assert_string_equal(calendar_tz(cal), zones[i]);
		calendar_free(cal);
	}
}

static void
test_default_zone_is_shanghai(void **state)
{
	struct calendar *cal = make(NULL);

	(void)state;
	assert_string_equal(calendar_tz(cal), "Asia/Shanghai");
	assert_string_equal(calendar_tz(cal), CALENDAR_DEFAULT_TZ);
	assert_string_equal(local(cal, at("2026-10-08T02:00:00+00:00")),
	    "2026-10-08T10:00:00+08:00");
	calendar_free(cal);
	calendar_free(NULL);
}

static void
test_malformed_dates_are_refused(void **state)
{
	static const char *const bad[] = { "20261001", "", "2026-10-1",
		"2026-1-01", "26-10-01", "2026/10/01", "2026-10-01 ",
		" 2026-10-01", "2026-1o-01", "2026-10-01T00:00", "+026-10-01",
		"2026--10-01", "2026-10-0x" };
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		snprintf(want, sizeof want,
		    "invalid date \"%s\": expected YYYY-MM-DD", bad[i]);
		expect_refused_date(bad[i], want);
	}
	expect_refused_date(NULL, "missing date: expected YYYY-MM-DD");
}

static void
test_impossible_dates_are_refused(void **state)
{
	(void)state;
	expect_refused_date("2026-13-01",
	    "invalid date \"2026-13-01\": month must be 01 to 12");
	expect_refused_date("2026-00-10",
	    "invalid date \"2026-00-10\": month must be 01 to 12");
	expect_refused_date("2026-02-30",
	    "invalid date \"2026-02-30\": February 2026 has 28 days");
	expect_refused_date("2025-02-29",
	    "invalid date \"2025-02-29\": February 2025 has 28 days");
	expect_refused_date("1900-02-29",
	    "invalid date \"1900-02-29\": February 1900 has 28 days");
	expect_refused_date("2026-04-31",
	    "invalid date \"2026-04-31\": April 2026 has 30 days");
	expect_refused_date("2026-10-00",
	    "invalid date \"2026-10-00\": October 2026 has 31 days");
	expect_refused_date("2026-10-32",
	    "invalid date \"2026-10-32\": October 2026 has 31 days");
}

static void
test_leap_days_are_real_dates(void **state)
{
	static const char *const leap[] = { "2024-02-29", "2000-02-29" };
	struct calendar *cal = make("UTC");

	(void)state;
	holidays(cal, leap, nitems(leap));
	assert_string_equal(weekday_of("2024-02-29"), "thu");
	assert_int_equal(is_business(cal, at("2024-02-29T12:00:00+00:00")), 0);
	assert_int_equal(is_business(cal, at("2024-02-28T12:00:00+00:00")), 1);
	assert_int_equal(is_business(cal, at("2000-02-29T12:00:00+00:00")), 0);
	calendar_free(cal);
}

static void
test_refused_configuration_leaves_calendar_unchanged(void **state)
{
	static const char *const bad[] = { "sat", "funday" };
	struct calendar *cal = china_2026();
	time_t t = at("2026-09-29T10:00:00+08:00");
	char *cause = NULL;

	(void)state;
	assert_int_equal(calendar_add_holiday(cal, "2026-09-30x", &cause), -1);
	free(cause);
	assert_int_equal(calendar_add_holiday(cal, "2026-09-27", &cause), -1);
	free(cause);
	assert_int_equal(calendar_set_weekend(cal, bad, 2, &cause), -1);
	free(cause);
	assert_int_equal(calendar_add_holiday(cal, "2026-09-30", NULL), 0);
	assert_int_equal(calendar_add_holiday(cal, "2026-09-3", NULL), -1);
	assert_string_equal(
	    local(cal, add(cal, t, 5)), "2026-10-13T10:00:00+08:00");
	assert_int_equal(is_business(cal, at("2026-09-27T12:00:00+08:00")), 1);
	assert_int_equal(is_business(cal, at("2026-09-26T12:00:00+08:00")), 0);
	calendar_free(cal);
}

static void
test_unknown_weekday_is_refused(void **state)
{
	static const char *const days[] = { "sat", "funday" };
	static const char *const missing[] = { "sat", NULL };
	struct calendar *cal = make("UTC");
	char *cause = NULL;

	(void)state;
	assert_int_equal(calendar_set_weekend(cal, days, 2, &cause), -1);
	assert_string_equal(cause,
	    "unknown weekday \"funday\": expected mon, tue, wed, thu, fri, "
	    "sat or sun");
	free(cause);
	cause = NULL;
	assert_int_equal(calendar_set_weekend(cal, missing, 2, &cause), -1);
	assert_string_equal(cause, "weekend day 2 is missing");
	free(cause);
	cause = NULL;
	assert_int_equal(calendar_set_weekend(cal, NULL, 1, &cause), -1);
	free(cause);
	calendar_free(cal);
}

static void
test_duplicate_weekday_is_refused(void **state)
{
	static const char *const days[] = { "sat", "sun", "SAT" };
	struct calendar *cal = make("UTC");
	char *cause = NULL;

	(void)state;
	assert_int_equal(calendar_set_weekend(cal, days, 3, &cause), -1);
	assert_string_equal(cause, "weekday \"SAT\" is listed twice");
	free(cause);
	calendar_free(cal);
}

static void
test_seven_day_weekend_is_refused(void **state)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu", "fri",
		"sat", "sun" };
	struct calendar *cal = make("UTC");
	char *cause = NULL;

	(void)state;
	assert_int_equal(calendar_set_weekend(cal, days, 7, &cause), -1);
	assert_string_equal(cause,
	    "every day of the week is a weekend day; at least one must be a "
	    "working day");
	free(cause);
	assert_int_equal(calendar_set_weekend(cal, days, 6, NULL), 0);
	assert_int_equal(is_business(cal, at("2026-10-11T12:00:00+00:00")), 1);
	assert_int_equal(is_business(cal, at("2026-10-12T12:00:00+00:00")), 0);
	calendar_free(cal);
}

static void
test_date_both_holiday_and_workday_is_refused(void **state)
{
	struct calendar *cal = make("Asia/Shanghai");
	char *cause = NULL;

	(void)state;
	assert_int_equal(calendar_add_holiday(cal, "2026-10-01", &cause), 0);
	assert_int_equal(calendar_add_workday(cal, "2026-10-01", &cause), -1);
	assert_string_equal(cause,
	    "2026-10-01 is listed both as a holiday and as a make-up workday");
	free(cause);
	cause = NULL;
	assert_int_equal(calendar_add_workday(cal, "2026-10-10", &cause), 0);
	assert_int_equal(calendar_add_holiday(cal, "2026-10-10", &cause), -1);
	assert_string_equal(cause,
	    "2026-10-10 is listed both as a holiday and as a make-up workday");
	free(cause);
	assert_int_equal(is_business(cal, at("2026-10-01T12:00:00+08:00")), 0);
	assert_int_equal(is_business(cal, at("2026-10-10T12:00:00+08:00")), 1);
	calendar_free(cal);
}

static void
test_adding_the_same_date_twice_is_harmless(void **state)
{
	struct calendar *cal = make("Asia/Shanghai");
	time_t t = at("2026-09-30T10:00:00+08:00");

	(void)state;
	holidays(cal, golden_week, nitems(golden_week));
	holidays(cal, golden_week, nitems(golden_week));
	workdays(cal, golden_week_workdays, nitems(golden_week_workdays));
	workdays(cal, golden_week_workdays, nitems(golden_week_workdays));
	assert_string_equal(
	    local(cal, add(cal, t, 1)), "2026-10-08T10:00:00+08:00");
	assert_int_equal(between(cal, t, at("2026-10-12T10:00:00+08:00")), 4);
	calendar_free(cal);
}

static void
test_business_day_count_is_limited(void **state)
{
	struct calendar *cal = china_2026();
	time_t t = at("2026-09-29T10:00:00+08:00"), r;

	(void)state;
	assert_int_equal(calendar_add_business_days(cal, t, -1), (time_t)-1);
	assert_int_equal(
	    calendar_add_business_days(cal, t, CALENDAR_MAX_BUSINESS_DAYS + 1),
	    (time_t)-1);
	assert_int_equal(
	    calendar_add_business_days(cal, t, INT_MAX), (time_t)-1);
	r = add(cal, t, CALENDAR_MAX_BUSINESS_DAYS);
	assert_int_equal(between(cal, t, r), CALENDAR_MAX_BUSINESS_DAYS);
	assert_int_equal(
	    between(cal, t, r - 1), CALENDAR_MAX_BUSINESS_DAYS - 1);
	/* 3660 business days of a five-day week are about 14 years. */
	assert_true(r - t > (time_t)14 * 365 * DAY);
	assert_true(r - t < (time_t)15 * 365 * DAY);
	calendar_free(cal);
}

static void
test_between_is_negative_when_b_comes_first(void **state)
{
	struct calendar *cal = china_2026();
	time_t a = at("2026-09-29T10:00:00+08:00");
	time_t b = at("2026-10-12T10:00:00+08:00");

	(void)state;
	assert_int_equal(between(cal, a, a), 0);
	assert_int_equal(between(cal, a, b), 5);
	assert_int_equal(between(cal, b, a), -5);
	assert_int_equal(between(cal, a, a - 1), 0);
	assert_int_equal(between(cal, a, a - DAY), -1);
	assert_int_equal(between(cal, a, a - DAY + 1), 0);
	calendar_free(cal);
}

/* What a person reads: local time, the abbreviation and the zone named. */
static void
test_format_human_names_the_zone_across_dst(void **state)
{
	struct calendar *cal;
	char buf[CALENDAR_HUMAN_LEN];

	(void)state;
	cal = make("Asia/Shanghai");
	assert_int_equal(calendar_format_human(cal,
			     at("2026-10-09T06:00:00+00:00"), buf, sizeof buf),
	    0);
	assert_string_equal(buf, "2026-10-09 14:00 CST (Asia/Shanghai)");
	assert_int_equal(calendar_format_human(cal,
			     at("2026-10-09T06:00:30+00:00"), buf, sizeof buf),
	    0);
	assert_string_equal(buf, "2026-10-09 14:00:30 CST (Asia/Shanghai)");
	assert_int_equal(calendar_format_human(
			     cal, at("2026-10-09T06:00:00+00:00"), buf, 36),
	    -1);
	calendar_free(cal);

	/* Berlin goes back from CEST to CET on 2026-10-25 at 01:00 UTC. */
	cal = make("Europe/Berlin");
	assert_int_equal(calendar_format_human(cal,
			     at("2026-10-24T08:00:00+00:00"), buf, sizeof buf),
	    0);
	assert_string_equal(buf, "2026-10-24 10:00 CEST (Europe/Berlin)");
	assert_int_equal(calendar_format_human(cal,
			     at("2026-10-26T08:00:00+00:00"), buf, sizeof buf),
	    0);
	assert_string_equal(buf, "2026-10-26 09:00 CET (Europe/Berlin)");
	calendar_free(cal);
}

static void
test_format_local_writes_iso8601_with_offset(void **state)
{
	struct calendar *cal;
	time_t t = at("2026-07-01T12:00:00+00:00");
	char buf[CALENDAR_FORMAT_LEN];

	(void)state;
	cal = make("Asia/Shanghai");
	assert_string_equal(local(cal, at("2026-10-08T10:00:00+08:00")),
	    "2026-10-08T10:00:00+08:00");
	/* Before 1901 Shanghai kept local mean time, +08:05:43. */
	assert_string_equal(local(cal, at("1900-06-01T00:00:00+00:00")),
	    "1900-06-01T08:05:43+08:05:43");
	assert_int_equal(calendar_format_local(cal, t, buf, 26), 0);
	assert_string_equal(buf, "2026-07-01T20:00:00+08:00");
	assert_int_equal(calendar_format_local(cal, t, buf, 25), -1);
	assert_int_equal(calendar_format_local(cal, t, buf, 0), -1);
	calendar_free(cal);

	cal = make("Europe/Berlin");
	assert_string_equal(local(cal, t), "2026-07-01T14:00:00+02:00");
	assert_string_equal(local(cal, at("2026-01-01T00:00:00+00:00")),
	    "2026-01-01T01:00:00+01:00");
	calendar_free(cal);
	cal = make("America/New_York");
	assert_string_equal(local(cal, t), "2026-07-01T08:00:00-04:00");
	calendar_free(cal);
	cal = make("Asia/Kolkata");
	assert_string_equal(local(cal, t), "2026-07-01T17:30:00+05:30");
	calendar_free(cal);
	cal = make("America/St_Johns");
	assert_string_equal(local(cal, t), "2026-07-01T09:30:00-02:30");
	calendar_free(cal);
	cal = make("UTC");
	assert_string_equal(local(cal, t), "2026-07-01T12:00:00+00:00");
	assert_string_equal(local(cal, 0), "1970-01-01T00:00:00+00:00");
	assert_string_equal(local(cal, -1), "1969-12-31T23:59:59+00:00");
	calendar_free(cal);
}

static void
test_calendar_restores_the_tz_environment(void **state)
{
	struct calendar *cal = china_2026();
	time_t t = at("2026-07-01T12:00:00+00:00");
	const char *tz;
	struct tm tm;
	char *saved = NULL;

	(void)state;
	if ((tz = getenv("TZ")) != NULL)
		saved = strdup(tz);

	setenv("TZ", "America/New_York", 1);
	tzset();
	add(cal, t, 3);
	between(cal, t, t + 30 * DAY);
	is_business(cal, t);
	local(cal, t);
	assert_string_equal(getenv("TZ"), "America/New_York");
	localtime_r(&t, &tm);
	assert_int_equal(tm.tm_gmtoff, -4 * HOUR);

	unsetenv("TZ");
	tzset();
	add(cal, t, 3);
	assert_null(getenv("TZ"));

	/* Already in the calendar's zone: left exactly as it was. */
	setenv("TZ", ":Asia/Shanghai", 1);
	tzset();
	add(cal, t, 3);
	assert_string_equal(getenv("TZ"), ":Asia/Shanghai");
	localtime_r(&t, &tm);
	assert_int_equal(tm.tm_gmtoff, 8 * HOUR);

	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	calendar_free(cal);
}

static void
test_times_out_of_range_fail_cleanly(void **state)
{
	struct calendar *cal = china_2026();
	time_t far = (time_t)INT64_MAX, now = at("2026-07-01T12:00:00+00:00");
	char buf[CALENDAR_FORMAT_LEN];

	(void)state;
	assert_int_equal(calendar_is_business_day(cal, far), -1);
	assert_int_equal(calendar_is_business_day(cal, (time_t)INT64_MIN), -1);
	assert_int_equal(calendar_add_business_days(cal, far, 1), (time_t)-1);
	assert_int_equal(
	    calendar_business_days_between(cal, now, far), INT_MIN);
	assert_int_equal(
	    calendar_business_days_between(cal, far, now), INT_MIN);
	assert_int_equal(calendar_format_local(cal, far, buf, sizeof buf), -1);
	calendar_free(cal);
}

static void
test_between_undoes_add_over_two_years_in_shanghai(void **state)
{
	struct calendar *cal = china_2026();

	(void)state;
	check_agree(cal, at("2025-06-01T00:00:00+08:00"),
	    at("2027-06-01T00:00:00+08:00"), 7 * HOUR);
	calendar_free(cal);
}

static void
test_between_undoes_add_over_two_years_in_berlin(void **state)
{
	struct calendar *cal = berlin_sunday_open();

	(void)state;
	check_agree(cal, at("2025-06-01T00:00:00+02:00"),
	    at("2027-06-01T00:00:00+02:00"), 7 * HOUR + 1);
	calendar_free(cal);
}

static void
test_between_undoes_add_over_two_years_in_new_york(void **state)
{
	struct calendar *cal = make("America/New_York");

	(void)state;
	check_agree(cal, at("2025-06-01T00:00:00-04:00"),
	    at("2027-06-01T00:00:00-04:00"), 7 * HOUR);
	calendar_free(cal);
}

static void
test_between_undoes_add_over_two_years_in_sao_paulo(void **state)
{
	struct calendar *cal = sao_paulo_2018();

	(void)state;
	check_agree(cal, at("2017-06-01T00:00:00-03:00"),
	    at("2019-06-01T00:00:00-03:00"), 7 * HOUR);
	calendar_free(cal);
}

static void
test_between_undoes_add_minute_by_minute_around_clock_changes(void **state)
{
	static const char *const changes[] = { "2026-03-29T01:00:00+00:00",
		"2026-10-25T01:00:00+00:00" };
	static const char *const midnight_changes[] = {
		"2018-02-18T02:00:00+00:00", "2018-11-04T03:00:00+00:00"
	};
	struct calendar *cal;
	time_t t;
	size_t i;

	(void)state;
	cal = berlin_sunday_open();
	for (i = 0; i < nitems(changes); i++) {
		t = at(changes[i]);
		check_agree(cal, t - 2 * DAY, t + DAY, 5 * 60 + 1);
		check_agree(cal, t - 2, t + 2, 1);
	}
	calendar_free(cal);
	cal = sao_paulo_2018();
	for (i = 0; i < nitems(midnight_changes); i++) {
		t = at(midnight_changes[i]);
		check_agree(cal, t - 2 * DAY, t + DAY, 5 * 60 + 1);
		check_agree(cal, t - 2, t + 2, 1);
	}
	calendar_free(cal);
}

static void
test_matches_day_by_day_walk_with_thousands_of_dates(void **state)
{
	struct calendar *cal = make("Asia/Shanghai");
	time_t base = at("2020-01-01T00:00:00+08:00"), t, r, b, want;
	uint32_t seed = 2026;
	char date[16], *cause, *saved;
	struct tm tm;
	int i, n, refused = 0, got;

	(void)state;
	for (i = 0; i < 4000; i++) {
		t = base + (time_t)(lcg(&seed) % (20 * 365)) * DAY + 12 * HOUR;
		gmtime_r(&t, &tm);
		strftime(date, sizeof date, "%Y-%m-%d", &tm);
		cause = NULL;
		if (i % 8 == 0) {
			if (calendar_add_workday(cal, date, &cause) != 0)
				refused++;
		} else if (calendar_add_holiday(cal, date, &cause) != 0)
			refused++;
		free(cause);
	}
	assert_true(refused > 0);

	saved = tz_enter(cal);

	for (i = 0; i < 1500; i++) {
		t = base + (time_t)(lcg(&seed) % (18 * 365 * 24)) * HOUR +
		    (time_t)(lcg(&seed) % 3600);
		n = (int)(lcg(&seed) % 40);
		want = ref_add(cal, t, n);
		r = add(cal, t, n);
		if (r != want)
			fail_msg("add(%s, %d) = %s, walk says %s",
			    local(cal, t), n, local(cal, r), local(cal, want));
		/* Before the (n + 2)-th deadline, which is 2 days on. */
		b = r + (time_t)(lcg(&seed) % DAY);
		got = between(cal, t, b);
		if (got != n + (ref_add(cal, t, n + 1) <= b))
			fail_msg("between(%s, %s) = %d, n = %d", local(cal, t),
			    local(cal, b), got, n);
	}
	r = add(cal, base, CALENDAR_MAX_BUSINESS_DAYS);
	assert_int_equal(r, ref_add(cal, base, CALENDAR_MAX_BUSINESS_DAYS));
	assert_int_equal(between(cal, base, r), CALENDAR_MAX_BUSINESS_DAYS);
	tz_leave(saved);
	calendar_free(cal);
}

/* Reminders: 24 h of business time skip the weekend and holidays. */
static void
test_business_time_skips_days_off(void **state)
{
	struct calendar *cal = china_2026();

	(void)state;
	/* Friday 10:00 + 24 h = Monday 10:00. */
	assert_int_equal(calendar_add_business_time(
			     cal, at("2026-11-13T10:00:00+08:00"), 24 * 3600),
	    at("2026-11-16T10:00:00+08:00"));
	/* Thursday 10:00 + 24 h = Friday 10:00. */
	assert_int_equal(calendar_add_business_time(
			     cal, at("2026-11-12T10:00:00+08:00"), 24 * 3600),
	    at("2026-11-13T10:00:00+08:00"));
	/* Friday 20:00 + 6 h: 4 h on Friday, 2 h on Monday. */
	assert_int_equal(calendar_add_business_time(
			     cal, at("2026-11-13T20:00:00+08:00"), 6 * 3600),
	    at("2026-11-16T02:00:00+08:00"));
	/* Wednesday 30 Sep + 24 h: Golden Week, then Thursday 8 Oct. */
	assert_int_equal(calendar_add_business_time(
			     cal, at("2026-09-30T10:00:00+08:00"), 24 * 3600),
	    at("2026-10-08T10:00:00+08:00"));
	/* From a Saturday: counted from Monday's start. */
	assert_int_equal(calendar_add_business_time(
			     cal, at("2026-11-14T10:00:00+08:00"), 24 * 3600),
	    at("2026-11-17T00:00:00+08:00"));
	assert_int_equal(calendar_add_business_time(
			     cal, at("2026-11-13T10:00:00+08:00"), -1),
	    (time_t)-1);
	calendar_free(cal);
}

/* The digest: digest_at local time on the next business day. */
static void
test_next_business_at_skips_days_off(void **state)
{
	struct calendar *cal = china_2026();
	int nine = 9 * 3600;

	(void)state;
	/* Before 09:00 on a business day: that day. */
	assert_int_equal(calendar_next_business_at(
			     cal, at("2026-11-12T08:00:00+08:00"), nine),
	    at("2026-11-12T09:00:00+08:00"));
	/* At 09:00 exactly: now. */
	assert_int_equal(calendar_next_business_at(
			     cal, at("2026-11-12T09:00:00+08:00"), nine),
	    at("2026-11-12T09:00:00+08:00"));
	/* A second later: the next business day. */
	assert_int_equal(calendar_next_business_at(
			     cal, at("2026-11-12T09:00:01+08:00"), nine),
	    at("2026-11-13T09:00:00+08:00"));
	/* Friday after 09:00: Monday. */
	assert_int_equal(calendar_next_business_at(
			     cal, at("2026-11-13T12:00:00+08:00"), nine),
	    at("2026-11-16T09:00:00+08:00"));
	/* Saturday 10 Oct 2026 is a make-up workday. */
	assert_int_equal(calendar_next_business_at(
			     cal, at("2026-10-09T12:00:00+08:00"), nine),
	    at("2026-10-10T09:00:00+08:00"));
	/* Golden Week. */
	assert_int_equal(calendar_next_business_at(
			     cal, at("2026-09-30T12:00:00+08:00"), nine),
	    at("2026-10-08T09:00:00+08:00"));
	assert_int_equal(calendar_next_business_at(
			     cal, at("2026-11-12T08:00:00+08:00"), 86400),
	    (time_t)-1);
	calendar_free(cal);
}

/*
 * calendar_uncovered_years at a local time in Shanghai: n years, the first
 * y0 and the second y1 (0: unchecked), and the next change at next_iso
 * (NULL: unchecked).
 */
static void
expect_uncovered(const struct calendar *cal, const char *iso, int n, int y0,
    int y1, const char *next_iso)
{
	int years[2] = { 0, 0 };
	time_t next = 0;

	assert_int_equal(calendar_uncovered_years(
			     cal, at(iso), CALENDAR_COVER_DAYS, years, &next),
	    n);
	if (y0 != 0)
		assert_int_equal(years[0], y0);
	if (y1 != 0)
		assert_int_equal(years[1], y1);
	if (next_iso != NULL)
		assert_int_equal(next, at(next_iso));
}

/*
 * A calendar dated for 2026 only: 2027 is uncovered from 00:00 Beijing time
 * on 2 November 2026 (60 days before 1 January), and 2027 itself once it
 * runs; a weekend-only calendar is never uncovered.
 */
static void
test_uncovered_years_warn_sixty_days_ahead(void **state)
{
	struct calendar *cal = china_2026(), *bare = make("Asia/Shanghai");
	static const char *const new_year_2027[] = { "2027-01-01" };
	int years[2];

	(void)state;
	/* 61 days before 2027: covered; the answer changes on 2 November. */
	expect_uncovered(cal, "2026-11-01T23:59:59+08:00", 0, 0, 0,
	    "2026-11-02T00:00:00+08:00");
	/* Midnight in Shanghai is still 1 November in UTC. */
	expect_uncovered(cal, "2026-11-02T00:00:00+08:00", 1, 2027, 0,
	    "2027-01-01T00:00:00+08:00");
	/* In 2027 with no 2027 date: the running year; 2028 not yet. */
	expect_uncovered(cal, "2027-03-01T12:00:00+08:00", 1, 2027, 0,
	    "2027-11-02T00:00:00+08:00");
	/* On 31 December 2027: both 2027 and 2028. */
	expect_uncovered(cal, "2027-12-31T12:00:00+08:00", 2, 2027, 2028, NULL);
	/* One dated day in 2027 covers it. */
	holidays(cal, new_year_2027, nitems(new_year_2027));
	expect_uncovered(cal, "2026-12-01T12:00:00+08:00", 0, 0, 0, NULL);
	/* Weekends only: meant that way. */
	expect_uncovered(bare, "2026-12-01T12:00:00+08:00", 0, 0, 0, NULL);
	assert_int_equal(calendar_uncovered_years(bare,
			     at("2026-12-01T12:00:00+08:00"), -1, years, NULL),
	    -1);
	calendar_free(cal);
	calendar_free(bare);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_golden_week_dates_fall_on_the_expected_weekdays),
		cmocka_unit_test(test_ordinary_weekday_is_a_business_day),
		cmocka_unit_test(test_weekend_day_is_not_a_business_day),
		cmocka_unit_test(
		    test_holiday_on_a_weekday_is_not_a_business_day),
		cmocka_unit_test(test_makeup_weekend_workday_is_a_business_day),
		cmocka_unit_test(
		    test_business_day_follows_the_local_date_not_utc),
		cmocka_unit_test(
		    test_appeal_two_days_before_golden_week_escalates_on_12_october),
		cmocka_unit_test(test_makeup_sunday_before_golden_week_counts),
		cmocka_unit_test(
		    test_appeal_during_golden_week_opens_on_first_working_day),
		cmocka_unit_test(
		    test_appeal_on_saturday_opens_monday_and_ends_monday_after_next),
		cmocka_unit_test(test_spring_festival_makeup_saturdays_count),
		cmocka_unit_test(
		    test_zero_business_days_on_a_business_day_is_the_same_instant),
		cmocka_unit_test(test_year_end_holiday_is_skipped),
		cmocka_unit_test(test_berlin_spring_forward_keeps_local_time),
		cmocka_unit_test(test_berlin_fall_back_keeps_local_time),
		cmocka_unit_test(test_new_york_clock_changes_keep_local_time),
		cmocka_unit_test(
		    test_deadline_in_spring_forward_gap_moves_to_next_valid_instant),
		cmocka_unit_test(
		    test_deadline_at_ambiguous_time_is_first_occurrence),
		cmocka_unit_test(
		    test_instant_in_repeated_hour_counts_as_end_of_repeat),
		cmocka_unit_test(
		    test_window_opening_at_missing_midnight_is_first_instant_of_day),
		cmocka_unit_test(test_custom_friday_saturday_weekend),
		cmocka_unit_test(test_weekend_names_ignore_case),
		cmocka_unit_test(
		    test_empty_weekend_makes_every_day_a_business_day),
		cmocka_unit_test(test_unknown_time_zone_is_refused),
		cmocka_unit_test(test_known_time_zones_are_accepted),
		cmocka_unit_test(test_default_zone_is_shanghai),
		cmocka_unit_test(test_malformed_dates_are_refused),
		cmocka_unit_test(test_impossible_dates_are_refused),
		cmocka_unit_test(test_leap_days_are_real_dates),
		cmocka_unit_test(
		    test_refused_configuration_leaves_calendar_unchanged),
		cmocka_unit_test(test_unknown_weekday_is_refused),
		cmocka_unit_test(test_duplicate_weekday_is_refused),
		cmocka_unit_test(test_seven_day_weekend_is_refused),
		cmocka_unit_test(test_date_both_holiday_and_workday_is_refused),
		cmocka_unit_test(test_adding_the_same_date_twice_is_harmless),
		cmocka_unit_test(test_business_day_count_is_limited),
		cmocka_unit_test(test_between_is_negative_when_b_comes_first),
		cmocka_unit_test(test_format_local_writes_iso8601_with_offset),
		cmocka_unit_test(test_format_human_names_the_zone_across_dst),
		cmocka_unit_test(test_calendar_restores_the_tz_environment),
		cmocka_unit_test(test_times_out_of_range_fail_cleanly),
		cmocka_unit_test(
		    test_between_undoes_add_over_two_years_in_shanghai),
		cmocka_unit_test(
		    test_between_undoes_add_over_two_years_in_berlin),
		cmocka_unit_test(
		    test_between_undoes_add_over_two_years_in_new_york),
		cmocka_unit_test(
		    test_between_undoes_add_over_two_years_in_sao_paulo),
		cmocka_unit_test(
		    test_between_undoes_add_minute_by_minute_around_clock_changes),
		cmocka_unit_test(
		    test_matches_day_by_day_walk_with_thousands_of_dates),
		cmocka_unit_test(test_business_time_skips_days_off),
		cmocka_unit_test(test_next_business_at_skips_days_off),
		cmocka_unit_test(test_uncovered_years_warn_sixty_days_ahead),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

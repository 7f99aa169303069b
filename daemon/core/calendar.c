/* SPDX-License-Identifier: ISC */
/*
 * calendar.c: business-day arithmetic in a time zone: weekend days, holidays,
 * make-up workdays, and the deadlines built on them ("escalate 5 business
 * days after the appeal").
 *
 * Dates are day numbers (days since 1970-01-01, proleptic Gregorian) kept in
 * sorted arrays. Local time is reduced to one number, the wall-clock reading
 * in seconds (day * 86400 + seconds into the day), got from the zone's own
 * TZif file (tzfile.c), never from TZ and localtime_r: nothing here reads or
 * writes the environment after the zone is loaded. This file is pure: it
 * must not include libevent, SQLite, curl or socket headers, read the clock,
 * log, or abort on bad input.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, vasprintf, tm_gmtoff; needs no config.h */
#endif

#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "core.h"
#include "tzfile.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#define DAY 86400
/* Instants further from 1970 than this (about a billion years) are refused. */
#define TIME_LIMIT ((int64_t)1 << 55)
#define WEEK_ALL 0x7f

/* A sorted set of day numbers. */
struct dayset {
	int64_t *v;
	size_t n;
	size_t size;
};

struct calendar {
	char *tz; /* "Asia/Shanghai" */
	struct tzfile *zone; /* its TZif file, read once */
	unsigned weekend; /* bit 0 = Monday ... bit 6 = Sunday */
	struct dayset holidays;
	struct dayset workdays;
};

/* One call's conversions: the zone, and whether any failed. */
struct conv {
	const struct tzfile *zone;
	int failed;
};

static const char *const weekday_names[] = { "mon", "tue", "wed", "thu", "fri",
	"sat", "sun" };

static const char *const month_names[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

static unsigned days_in_month(int64_t, unsigned);
static int parse_date(const char *, int64_t *, char **);
static size_t dayset_lower(const struct dayset *, int64_t);
static int dayset_has(const struct dayset *, int64_t);
static int dayset_insert(struct dayset *, int64_t);
static int add_date(struct calendar *, const char *, int, char **);
static int is_weekend(const struct calendar *, int64_t);
static int is_business(const struct calendar *, int64_t);
static int64_t count_business(const struct calendar *, int64_t, int64_t);
static int64_t nth_business(const struct calendar *, int64_t, int64_t);
static void conv_enter(struct conv *, const struct calendar *);
static int64_t conv_offset(struct conv *, int64_t);
static int64_t conv_clock(struct conv *, int64_t);
static int64_t conv_instant(struct conv *, int64_t);
static void window_open(const struct calendar *, int64_t, int64_t *, int64_t *);
static int64_t
between_forward(const struct calendar *, struct conv *, int64_t, int64_t);
static int year_dated(const struct calendar *, int64_t);

static unsigned
days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

static int
parse_date(const char *s, int64_t *day, char **cause)
{
	unsigned y, m, d, dim;
	size_t i;

	if (s == NULL) {
		cause_set(cause, "missing date: expected YYYY-MM-DD");
		return -1;
	}
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				break;
		} else if (s[i] < '0' || s[i] > '9')
			break;
	}
	if (i != 10 || s[10] != '\0') {
		cause_set(cause, "invalid date \"%s\": expected YYYY-MM-DD", s);
		return -1;
	}
	y = (s[0] - '0') * 1000u + (s[1] - '0') * 100u + (s[2] - '0') * 10u +
	    (s[3] - '0');
	m = (s[5] - '0') * 10u + (s[6] - '0');
	d = (s[8] - '0') * 10u + (s[9] - '0');
	if (m < 1 || m > 12) {
		cause_set(
		    cause, "invalid date \"%s\": month must be 01 to 12", s);
		return -1;
	}
	dim = days_in_month(y, m);
	if (d < 1 || d > dim) {
		cause_set(cause, "invalid date \"%s\": %s %04u has %u days", s,
		    month_names[m - 1], y, dim);
		return -1;
	}
	*day = tz_days_from_civil(y, m, d);
	return 0;
}

/* Index of the first element >= day. */
static size_t
dayset_lower(const struct dayset *ds, int64_t day)
{
	size_t lo = 0, hi = ds->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ds->v[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
dayset_has(const struct dayset *ds, int64_t day)
{
	size_t i = dayset_lower(ds, day);

	return i < ds->n && ds->v[i] == day;
}

static int
dayset_insert(struct dayset *ds, int64_t day)
{
	size_t i = dayset_lower(ds, day), size;
	int64_t *v;

	if (i < ds->n && ds->v[i] == day)
		return 0;
	if (ds->n == ds->size) {
		size = ds->size == 0 ? 16 : ds->size * 2;
		if ((v = reallocarray(ds->v, size, sizeof *v)) == NULL)
			return -1;
		ds->v = v;
		ds->size = size;
	}
	memmove(ds->v + i + 1, ds->v + i, (ds->n - i) * sizeof *ds->v);
	ds->v[i] = day;
	ds->n++;
	return 0;
}

struct calendar *
calendar_new(const char *tz, char **cause)
{
	struct calendar *cal;

	if (tz == NULL)
		tz = CALENDAR_DEFAULT_TZ;
	if ((cal = calloc(1, sizeof *cal)) == NULL ||
	    (cal->tz = strdup(tz)) == NULL) {
		free(cal);
		cause_set(cause, "out of memory");
		return NULL;
	}
	if ((cal->zone = tzfile_load(tz, cause)) == NULL) {
		free(cal->tz);
		free(cal);
		return NULL;
	}
	cal->weekend = 1u << 5 | 1u << 6;
	return cal;
}

void
calendar_free(struct calendar *cal)
{
	if (cal == NULL)
		return;
	free(cal->tz);
	tzfile_free(cal->zone);
	free(cal->holidays.v);
	free(cal->workdays.v);
	free(cal);
}

const char *
calendar_tz(const struct calendar *cal)
{
	return cal->tz;
}

int
calendar_set_weekend(
    struct calendar *cal, const char *const *days, size_t n, char **cause)
{
	unsigned mask = 0, bit;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (days == NULL || days[i] == NULL) {
			cause_set(cause, "weekend day %zu is missing", i + 1);
			return -1;
		}
		for (j = 0; j < nitems(weekday_names); j++) {
			if (strcasecmp(days[i], weekday_names[j]) == 0)
				break;
		}
		if (j == nitems(weekday_names)) {
			cause_set(cause,
			    "unknown weekday \"%s\": expected mon, tue, wed, "
			    "thu, fri, sat or sun",
			    days[i]);
			return -1;
		}
		bit = 1u << j;
		if (mask & bit) {
			cause_set(
			    cause, "weekday \"%s\" is listed twice", days[i]);
			return -1;
		}
		mask |= bit;
	}
	if (mask == WEEK_ALL) {
		cause_set(cause,
		    "every day of the week is a weekend day; at "
		    "least one must be a working day");
		return -1;
	}
	cal->weekend = mask;
	return 0;
}

static int
add_date(struct calendar *cal, const char *date, int holiday, char **cause)
{
	struct dayset *to, *other;
	int64_t day;

	if (parse_date(date, &day, cause) != 0)
		return -1;
	to = holiday ? &cal->holidays : &cal->workdays;
	other = holiday ? &cal->workdays : &cal->holidays;
	if (dayset_has(other, day)) {
		cause_set(cause,
		    "%s is listed both as a holiday and as a make-up workday",
		    date);
		return -1;
	}
	if (dayset_insert(to, day) != 0) {
		cause_set(cause, "out of memory");
		return -1;
	}
	return 0;
}

int
calendar_add_holiday(struct calendar *cal, const char *date, char **cause)
{
	return add_date(cal, date, 1, cause);
}

int
calendar_add_workday(struct calendar *cal, const char *date, char **cause)
{
	return add_date(cal, date, 0, cause);
}

static int
is_weekend(const struct calendar *cal, int64_t day)
{
	return (cal->weekend >> tz_weekday(day)) & 1;
}

static int
is_business(const struct calendar *cal, int64_t day)
{
	if (dayset_has(&cal->workdays, day))
		return 1;
	return !is_weekend(cal, day) && !dayset_has(&cal->holidays, day);
}

/*
 * Business days in [lo, hi]: the days off the weekend, less the holidays off
 * the weekend, plus the make-up workdays on it (no date is in both lists).
 */
static int64_t
count_business(const struct calendar *cal, int64_t lo, int64_t hi)
{
	int64_t len, count;
	size_t i;
	int d;

	if (hi < lo)
		return 0;
	len = hi - lo + 1;
	count = len / 7 * (7 - __builtin_popcount(cal->weekend));
	for (d = 0; d < len % 7; d++)
		count += !is_weekend(cal, lo + d);
	for (i = dayset_lower(&cal->holidays, lo);
	     i < cal->holidays.n && cal->holidays.v[i] <= hi; i++)
		count -= !is_weekend(cal, cal->holidays.v[i]);
	for (i = dayset_lower(&cal->workdays, lo);
	     i < cal->workdays.n && cal->workdays.v[i] <= hi; i++)
		count += is_weekend(cal, cal->workdays.v[i]);
	return count;
}

/*
 * The n-th business day after day (n >= 1). Every week has a working day
 * off the weekend and each holiday takes away at most one, so the answer
 * lies within 7 * (n + holidays + 1) days; search that range.
 */
static int64_t
nth_business(const struct calendar *cal, int64_t day, int64_t n)
{
	int64_t lo = day, hi, mid;

	hi = day + 7 * (n + (int64_t)cal->holidays.n + 1);
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (count_business(cal, day + 1, mid) >= n)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

static void
conv_enter(struct conv *c, const struct calendar *cal)
{
	c->zone = cal->zone;
	c->failed = 0;
}

/* UTC offset at instant t, in seconds east. */
static int64_t
conv_offset(struct conv *c, int64_t t)
{
	int32_t off;

	if (c->failed)
		return 0;
	if (tzfile_lookup(c->zone, t, &off, NULL) != 0) {
		c->failed = 1;
		return 0;
	}
	return off;
}

/*
 * The wall-clock reading at t, never going backwards: if within the last day
 * the clock was turned back and t is in the repeated interval, the reading
 * the clock had reached before it was turned back. Assumes at most one clock
 * change a day.
 */
static int64_t
conv_clock(struct conv *c, int64_t t)
{
	int64_t off, before, lo, hi, mid, reached;

	if (c->failed || t < -TIME_LIMIT || t > TIME_LIMIT) {
		c->failed = 1;
		return 0;
	}
	off = conv_offset(c, t);
	before = conv_offset(c, t - DAY);
	if (before <= off)
		return t + off;
	lo = t - DAY;
	hi = t;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (conv_offset(c, mid) == off)
			hi = mid;
		else
			lo = mid;
	}
	reached = hi + conv_offset(c, lo);
	return t + off > reached ? t + off : reached;
}

/*
 * The first instant whose conv_clock reading is at least wall: the instant
 * of a normal local time, the first of an ambiguous one, the clock change
 * after one that does not exist. Offsets are within a day of UTC, so the
 * answer is within three days of wall read as UTC.
 */
static int64_t
conv_instant(struct conv *c, int64_t wall)
{
	int64_t t, lo, hi, mid;

	if (c->failed || wall < -TIME_LIMIT || wall > TIME_LIMIT) {
		c->failed = 1;
		return 0;
	}
	t = wall - conv_offset(c, wall);
	t = wall - conv_offset(c, t);
	if (conv_clock(c, t) == wall && conv_clock(c, t - 1) < wall)
		return t;
	lo = wall - 3 * DAY;
	hi = wall + 3 * DAY;
	if (conv_clock(c, lo) >= wall || conv_clock(c, hi) < wall)
		c->failed = 1;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (conv_clock(c, mid) >= wall)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* Where the window opened by wall-clock reading wall starts: day, seconds. */
static void
window_open(
    const struct calendar *cal, int64_t wall, int64_t *day, int64_t *sec)
{
	int64_t d = tz_floordiv(wall, DAY);

	if (is_business(cal, d)) {
		*day = d;
		*sec = wall - d * DAY;
	} else {
		*day = nth_business(cal, d, 1);
		*sec = 0;
	}
}

int
calendar_day_start(const struct calendar *cal, const char *date,
    int days_before, time_t *out, char **cause)
{
	struct conv c;
	int64_t day, r;

	if (parse_date(date, &day, cause) != 0)
		return -1;
	conv_enter(&c, cal);
	r = conv_instant(&c, (day - days_before) * DAY);
	if (c.failed) {
		cause_set(cause, "date \"%s\" is out of range", date);
		return -1;
	}
	*out = (time_t)r;
	return 0;
}

int
calendar_week(const struct calendar *cal, time_t t, int weeks, time_t *start,
    char *label, char *date)
{
	struct conv c;
	int64_t wall, monday, thursday, y, r;
	unsigned m, d;

	conv_enter(&c, cal);
	wall = conv_clock(&c, t);
	monday = tz_floordiv(wall, DAY);
	monday += (int64_t)weeks * 7 - tz_weekday(monday);
	r = conv_instant(&c, monday * DAY);
	if (c.failed)
		return -1;
	*start = (time_t)r;
	thursday = monday + 3;
	tz_civil_from_days(thursday, &y, &m, &d);
	if (label != NULL)
		snprintf(label, CALENDAR_WEEK_LEN, "%04lld-W%02d", (long long)y,
		    (int)((thursday - tz_days_from_civil(y, 1, 1)) / 7 + 1));
	if (date != NULL) {
		tz_civil_from_days(monday, &y, &m, &d);
		snprintf(date, CALENDAR_DATE_LEN, "%04lld-%02u-%02u",
		    (long long)y, m, d);
	}
	return 0;
}

int
calendar_is_business_day(const struct calendar *cal, time_t t)
{
	struct conv c;
	int64_t wall;

	conv_enter(&c, cal);
	wall = conv_clock(&c, t);
	if (c.failed)
		return -1;
	return is_business(cal, tz_floordiv(wall, DAY));
}

time_t
calendar_add_business_days(const struct calendar *cal, time_t t, int n)
{
	struct conv c;
	int64_t wall, day, sec, r;

	if (n < 0 || n > CALENDAR_MAX_BUSINESS_DAYS)
		return (time_t)-1;
	conv_enter(&c, cal);
	wall = conv_clock(&c, t);
	window_open(cal, wall, &day, &sec);
	if (n == 0 && day == tz_floordiv(wall, DAY))
		r = t;
	else {
		if (n > 0)
			day = nth_business(cal, day, n);
		r = conv_instant(&c, day * DAY + sec);
	}
	if (c.failed)
		return (time_t)-1;
	return (time_t)r;
}

/*
 * between(a, b) for a <= b. With the window opening on day d0 at second s0,
 * the n-th deadline is reached at wall-clock reading dn * DAY + s0 where dn
 * is the n-th business day after d0; count the business days in (d0, db]
 * and drop the last if b's reading has not reached s0 on it.
 */
static int64_t
between_forward(
    const struct calendar *cal, struct conv *c, int64_t a, int64_t b)
{
	int64_t open, sec, wall, day, n, last;

	window_open(cal, conv_clock(c, a), &open, &sec);
	wall = conv_clock(c, b);
	day = tz_floordiv(wall, DAY);
	if (c->failed || day <= open)
		return 0;
	if ((n = count_business(cal, open + 1, day)) == 0)
		return 0;
	for (last = day; !is_business(cal, last); last--)
		;
	if (last == day && wall - day * DAY < sec)
		n--;
	return n;
}

int
calendar_business_days_between(const struct calendar *cal, time_t a, time_t b)
{
	struct conv c;
	int64_t n;

	if (a == b)
		return 0;
	conv_enter(&c, cal);
	if (a < b)
		n = between_forward(cal, &c, a, b);
	else
		n = -between_forward(cal, &c, b, a);
	if (c.failed)
		return INT_MIN;
	if (n > INT_MAX)
		return INT_MAX;
	if (n < -INT_MAX)
		return -INT_MAX;
	return (int)n;
}

int
calendar_format_local(
    const struct calendar *cal, time_t t, char *buf, size_t len)
{
	struct conv c;
	int64_t off, wall, day, sec, year;
	unsigned month, mday, aoff;
	char sign, offsec[8] = "";
	int r;

	conv_enter(&c, cal);
	off = conv_offset(&c, t);
	if (c.failed)
		return -1;
	wall = t + off;
	day = tz_floordiv(wall, DAY);
	sec = wall - day * DAY;
	tz_civil_from_days(day, &year, &month, &mday);
	sign = off < 0 ? '-' : '+';
	aoff = (unsigned)(off < 0 ? -off : off);
	if (aoff % 60 != 0)
		snprintf(offsec, sizeof offsec, ":%02u", aoff % 60);
	r = snprintf(buf, len, "%04lld-%02u-%02uT%02d:%02d:%02d%c%02u:%02u%s",
	    (long long)year, month, mday, (int)(sec / 3600),
	    (int)(sec / 60 % 60), (int)(sec % 60), sign, aoff / 3600,
	    aoff / 60 % 60, offsec);
	if (r < 0 || (size_t)r >= len)
		return -1;
	return 0;
}

int
calendar_format_human(
    const struct calendar *cal, time_t t, char *buf, size_t len)
{
	return tzfile_format_human(cal->zone, t, NULL, buf, len);
}

const struct tzfile *
calendar_zone(const struct calendar *cal)
{
	return cal->zone;
}

time_t
calendar_add_business_time(const struct calendar *cal, time_t t, long long secs)
{
	struct conv c;
	time_t base;
	int64_t wall, day, sec, r;

	if (secs < 0 || secs / DAY > CALENDAR_MAX_BUSINESS_DAYS)
		return (time_t)-1;
	if ((base = calendar_add_business_days(cal, t, (int)(secs / DAY))) ==
	    (time_t)-1)
		return (time_t)-1;
	if (secs % DAY == 0)
		return base;
	conv_enter(&c, cal);
	wall = conv_clock(&c, base);
	day = tz_floordiv(wall, DAY);
	sec = wall - day * DAY + secs % DAY;
	if (sec >= DAY) {
		day = nth_business(cal, day, 1);
		sec -= DAY;
	}
	r = conv_instant(&c, day * DAY + sec);
	if (c.failed)
		return (time_t)-1;
	return (time_t)r;
}

time_t
calendar_next_business_at(const struct calendar *cal, time_t t, int sec)
{
	struct conv c;
	int64_t wall, day, r;

	if (sec < 0 || sec >= DAY)
		return (time_t)-1;
	conv_enter(&c, cal);
	wall = conv_clock(&c, t);
	day = tz_floordiv(wall, DAY);
	if (!is_business(cal, day) || wall - day * DAY > sec)
		day = nth_business(cal, day, 1);
	r = conv_instant(&c, day * DAY + sec);
	/* A skipped local time on that day moved the instant: still >= t. */
	if (!c.failed && r < t)
		r = conv_instant(&c, nth_business(cal, day, 1) * DAY + sec);
	if (c.failed)
		return (time_t)-1;
	return (time_t)r;
}

/* Whether a holiday or make-up workday falls in year y. */
static int
year_dated(const struct calendar *cal, int64_t y)
{
	int64_t from = tz_days_from_civil(y, 1, 1),
		to = tz_days_from_civil(y + 1, 1, 1);
	size_t i;

	i = dayset_lower(&cal->holidays, from);
	if (i < cal->holidays.n && cal->holidays.v[i] < to)
		return 1;
	i = dayset_lower(&cal->workdays, from);
	return i < cal->workdays.n && cal->workdays.v[i] < to;
}

int
calendar_uncovered_years(
    const struct calendar *cal, time_t t, int days, int years[2], time_t *next)
{
	struct conv c;
	int64_t wall, today, y, jan1, change, r;
	unsigned m, d;
	int n = 0;

	if (days < 0 || days > 366)
		return -1;
	conv_enter(&c, cal);
	wall = conv_clock(&c, t);
	today = tz_floordiv(wall, DAY);
	tz_civil_from_days(today, &y, &m, &d);
	jan1 = tz_days_from_civil(y + 1, 1, 1);
	change = today < jan1 - days ? jan1 - days : jan1;
	r = conv_instant(&c, change * DAY);
	if (c.failed || y < INT_MIN + 1 || y > INT_MAX - 1)
		return -1;
	if (next != NULL)
		*next = (time_t)r;
	/* No dated day at all: a weekend-only calendar, meant that way. */
	if (cal->holidays.n == 0 && cal->workdays.n == 0)
		return 0;
	if (!year_dated(cal, y))
		years[n++] = (int)y;
	if (jan1 - today <= days && !year_dated(cal, y + 1))
		years[n++] = (int)(y + 1);
	return n;
}

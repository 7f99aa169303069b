/* SPDX-License-Identifier: ISC */
/*
 * calendar.h: business days in a time zone (calendar.c).
 *
 * A calendar has an IANA time zone, a set of weekend days, holiday dates
 * (non-working) and make-up workdays (weekend dates that are working days).
 * A local date is a business day iff it is a make-up workday, or it is
 * neither a weekend day nor a holiday. A date cannot be both a holiday and a
 * make-up workday.
 *
 * Pure: no I/O beyond reading the zone's TZif file once (calendar_new), no
 * clock (times are UTC epoch seconds passed in), no logging, never aborts. Functions that
 * can fail return -1 or NULL; where a person needs the reason they take a
 * char **cause, which on failure is set to a malloc'd sentence the caller
 * frees (cause may be NULL; *cause may be left NULL if memory ran out).
 *
 * Conversions read the calendar's own zone (tzfile.h), never TZ: no call
 * reads or writes the environment, so libcurl's resolver threads cannot race
 * with them, and a calendar may be consulted from any thread.
 *
 * Local times that a clock change makes odd are handled as follows:
 *  - In a gap (a local time that does not exist, 02:30 on the day clocks go
 *    forward) the next valid instant is used: the instant of the change
 *    (03:00 after the jump).
 *  - An ambiguous local time (02:30 on the day clocks go back) means its
 *    first occurrence.
 *  - While the clock repeats an interval, the calendar treats it as stopped
 *    at the end of that interval: an instant in the second 02:00-03:00 counts
 *    as 03:00. This keeps every function below monotone in time.
 */

#ifndef CALENDAR_H
#define CALENDAR_H

#include <stddef.h>
#include <time.h>

/* The zone of a calendar made with a NULL zone name. */
#define CALENDAR_DEFAULT_TZ "Asia/Shanghai"

/* Largest n calendar_add_business_days accepts (about 14 years). */
#define CALENDAR_MAX_BUSINESS_DAYS 3660

/* A buffer this size always holds calendar_format_local's output. */
#define CALENDAR_FORMAT_LEN 48
/* A buffer this size always holds calendar_format_human's output. */
#define CALENDAR_HUMAN_LEN 112

struct calendar;

/*
 * A calendar in zone tz ("Europe/Berlin"; NULL means CALENDAR_DEFAULT_TZ),
 * with weekend sat+sun, no holidays and no make-up workdays. The zone must
 * name a zone file under $TZDIR or /usr/share/zoneinfo; a name that is
 * empty, starts with "/", or has an empty, "." or ".." component is refused
 * ("unknown time zone \"Mars/Base\""). Returns NULL and sets *cause on
 * failure. Free with calendar_free.
 */
struct calendar *calendar_new(const char *tz, char **cause);

/* Frees cal and everything it holds; NULL is allowed. */
void calendar_free(struct calendar *cal);

/* The zone name given to calendar_new (or the default). Owned by cal. */
const char *calendar_tz(const struct calendar *cal);

/*
 * Replaces the weekend with the n days named in days, each one of "mon",
 * "tue", "wed", "thu", "fri", "sat", "sun" in any case. n = 0 means no
 * weekend. An unknown or NULL name, a day named twice, or all seven days is
 * an error: returns -1, sets *cause and leaves the weekend unchanged.
 * Returns 0 on success.
 */
int calendar_set_weekend(
    struct calendar *cal, const char *const *days, size_t n, char **cause);

/*
 * Adds a holiday (a non-working date) or a make-up workday (a working date,
 * normally on a weekend). date is strictly "YYYY-MM-DD" and must exist
 * ("2026-02-30" does not). Adding a date already in the same list does
 * nothing; adding a date that is in the other list is an error. Returns 0,
 * or -1 with *cause set and the calendar unchanged.
 */
int calendar_add_holiday(struct calendar *cal, const char *date, char **cause);
int calendar_add_workday(struct calendar *cal, const char *date, char **cause);

/*
 * The instant 00:00 local time begins, in the calendar's zone, on the date
 * days_before days before date ("YYYY-MM-DD", strictly, as for holidays);
 * days_before may be negative (after) or 0. Where midnight does not exist
 * (a clock change at 00:00) the next valid instant is used. Returns 0 with
 * *out set, or -1 with *cause set ("invalid date ...").
 */
int calendar_day_start(const struct calendar *cal, const char *date,
    int days_before, time_t *out, char **cause);

/*
 * 1 if the local date of t in the calendar's zone is a business day, 0 if
 * not, -1 if t cannot be converted (it is beyond about a billion years from
 * 1970, or memory ran out).
 */
int calendar_is_business_day(const struct calendar *cal, time_t t);

/*
 * The deadline n business days after t (0 <= n <=
 * CALENDAR_MAX_BUSINESS_DAYS).
 *
 * The window opens at t if t is on a business day, otherwise at 00:00 local
 * time of the next business day. The deadline is the same local time of day
 * as the opening, on the n-th business day after the opening day; n = 0
 * returns the opening itself. If that local time does not exist on that day
 * the deadline is the next valid instant; if it occurs twice, the first.
 *
 * Examples (Asia/Shanghai, weekend sat+sun):
 *  - Tuesday 2026-09-29 10:00, n = 5, holidays 2026-10-01..07, make-up
 *    workday Saturday 2026-10-10: Wed 30 (1), Thu 8 Oct (2), Fri 9 (3),
 *    Sat 10 (4), Mon 12 (5), so the deadline is 2026-10-12T10:00+08:00.
 *  - Saturday 2026-03-07 10:00, n = 5: the window opens Monday 03-09 00:00,
 *    the deadline is Monday 2026-03-16 00:00, i.e. the end of the fifth
 *    business day (Friday 03-13) expressed as the start of the next one.
 *
 * Returns (time_t)-1 if n is out of range or t cannot be converted.
 */
time_t calendar_add_business_days(const struct calendar *cal, time_t t, int n);

/*
 * Whole business days elapsed from a to b: for b >= a, the largest n >= 0
 * with calendar_add_business_days(cal, a, n) <= b (0 if b comes before the
 * window opens); for b < a, minus calendar_business_days_between(cal, b, a).
 * So between(t, add(t, n)) == n, between(t, add(t, n) - 1) == n - 1 for
 * n > 0, and the result never decreases as b grows. Results beyond INT_MAX
 * are clamped. Returns INT_MIN if a time cannot be converted.
 */
int
calendar_business_days_between(const struct calendar *cal, time_t a, time_t b);

/*
 * Writes t as ISO 8601 local time with its UTC offset in the calendar's zone,
 * "2026-10-08T10:00:00+08:00" (the offset has seconds only if it is not a
 * whole minute, as in some zones before 1900). Returns 0, or -1 if t cannot
 * be converted or the result (with its NUL) does not fit in len bytes.
 */
int calendar_format_local(
    const struct calendar *cal, time_t t, char *buf, size_t len);

/*
 * Writes t for a person, in the calendar's zone with the zone named:
 * "2026-10-09 14:00 CST (Asia/Shanghai)", "2026-10-26 09:00 CET
 * (Europe/Berlin)" (seconds only when they are not zero; the abbreviation
 * is the zone database's, "+08" in zones that have none). Every time a
 * person reads (delistctl, mails) is written by this one function.
 * Returns 0, or -1 if t cannot be converted or the result (with its NUL)
 * does not fit in len bytes (tzfile_format_human, which also writes the
 * zone as a label: "2026-10-09 14:00 (北京时间)").
 */
int calendar_format_human(
    const struct calendar *cal, time_t t, char *buf, size_t len);
/* The calendar's zone, for tzfile_lookup and tzfile_format_human. */
struct tzfile;
const struct tzfile *calendar_zone(const struct calendar *cal);

/*
 * t plus secs of business-day time: the time of days off does not count.
 * Whole days are added as by calendar_add_business_days (a start on a day
 * off counts from the next business day's start); the remaining seconds
 * run on, and what would spill into a day off goes on on the next business
 * day. Used for reminders ("every 24 h, business days only": Friday 10:00
 * + 24 h is Monday 10:00). Returns (time_t)-1 if secs < 0 or t cannot be
 * converted.
 */
time_t calendar_add_business_time(
    const struct calendar *cal, time_t t, long long secs);

/*
 * The first instant at or after t whose local time is sec seconds after
 * midnight on a business day (sec in [0, 86400)); the daily digest's
 * timer. A local time that does not exist that day is the next valid
 * instant. Returns (time_t)-1 on a bad sec or an unconvertible t.
 */
time_t calendar_next_business_at(const struct calendar *cal, time_t t, int sec);

/*
 * The years the calendar's dated days leave uncovered around t: the year
 * of t's local date if no holiday and no make-up workday falls in it, and
 * the next year if it begins within days days of that date (0 <= days <=
 * 366; 1 January is within 60 days from 2 November on)
 * and none falls in it either. A calendar with no holiday and no make-up
 * workday at all (weekends only) is taken to be meant that way: it covers
 * every year. Writes the uncovered years, ascending, to years and returns
 * how many (0 to 2). If next is not NULL it gets the instant the answer may
 * next change: 00:00 local on the day the next year comes within days, or
 * on 1 January. Returns -1 on a bad days or an unconvertible t.
 */
#define CALENDAR_COVER_DAYS 60
int calendar_uncovered_years(
    const struct calendar *cal, time_t t, int days, int years[2], time_t *next);

/* Buffers these sizes hold calendar_week's label and date. */
#define CALENDAR_WEEK_LEN 16
#define CALENDAR_DATE_LEN 16

/*
 * The ISO 8601 week (Monday 00:00 local to the next Monday 00:00) that t
 * falls in, in the calendar's zone, moved by weeks weeks (negative:
 * earlier): *start gets its first instant. label (NULL, or
 * CALENDAR_WEEK_LEN bytes) gets its ISO week "2026-W41" (the year is that
 * of the week's Thursday), date (NULL, or CALENDAR_DATE_LEN bytes) its
 * Monday "2026-10-05". Returns 0, or -1 if a time cannot be converted.
 */
int calendar_week(const struct calendar *cal, time_t t, int weeks,
    time_t *start, char *label, char *date);

#endif /* CALENDAR_H */

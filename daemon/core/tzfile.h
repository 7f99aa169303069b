/* SPDX-License-Identifier: ISC */
/*
 * tzfile.h: a time zone of the IANA database, read from its TZif file
 * (RFC 8536) and consulted without the TZ environment variable.
 *
 * localtime_r(3) answers for the zone in TZ only; switching TZ with setenv
 * while other threads (libcurl's resolver) read the environment is a race.
 * A struct tzfile is the zone itself: its transitions, its local time types
 * and the POSIX TZ rule of its footer for the instants after the last
 * transition. It is immutable once loaded: any thread may consult it.
 *
 * Pure but for reading the one file (tzfile_load); tzfile_parse takes the
 * bytes. Also the civil-date arithmetic calendar.c builds on.
 */

#ifndef TZFILE_H
#define TZFILE_H

#include <stddef.h>
#include <stdint.h>

struct tzfile;

/*
 * The zone named name ("Europe/Berlin") from $TZDIR, else
 * /usr/share/zoneinfo. A name that is empty, absolute, has an empty, "."
 * or ".." component or characters outside [A-Za-z0-9/._+-] is refused, as
 * is a file that is not TZif. NULL and *cause on failure.
 */
struct tzfile *tzfile_load(const char *name, char **cause);
/* The zone in the TZif bytes buf (name: what tzfile_name answers). */
struct tzfile *
tzfile_parse(const char *name, const void *buf, size_t len, char **cause);
void tzfile_free(struct tzfile *);
const char *tzfile_name(const struct tzfile *);

/*
 * The zone at instant t (UTC seconds): its offset east of UTC in seconds
 * and its abbreviation ("CEST"; may be NULL: the caller's buffer of at
 * least TZFILE_ABBR_LEN bytes). -1 if t is out of the range handled.
 */
#define TZFILE_ABBR_LEN 16
int tzfile_lookup(const struct tzfile *, int64_t t, int32_t *off, char *abbr);

/*
 * "2026-10-09 14:00 CST (Asia/Shanghai)", seconds shown when not 0; with
 * a label, "2026-10-09 14:00 (LABEL)" instead ("北京时间"). -1 if t is out
 * of range or len too small (TZFILE_HUMAN_LEN is always enough).
 */
#define TZFILE_HUMAN_LEN 112
int tzfile_format_human(
    const struct tzfile *, int64_t t, const char *label, char *buf, size_t len);

/* Civil dates: day numbers since 1970-01-01, proleptic Gregorian. */
int64_t tz_floordiv(int64_t, int64_t);
int64_t tz_days_from_civil(int64_t y, unsigned m, unsigned d);
void tz_civil_from_days(int64_t, int64_t *y, unsigned *m, unsigned *d);
/* 0 = Monday ... 6 = Sunday. */
int tz_weekday(int64_t day);

#endif

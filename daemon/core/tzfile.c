/* SPDX-License-Identifier: ISC */
/*
 * tzfile.c: a zone of the IANA database from its TZif file (RFC 8536),
 * consulted without TZ, tzset(3) or localtime_r(3): no environment is
 * read or written after the file is found, so a thread of the daemon
 * (libcurl's resolver) can never see TZ change under it.
 *
 * The version 2+ data block (64-bit times) is used when the file has one,
 * else the version 1 block; after the last transition the footer's POSIX
 * TZ string ("CET-1CEST,M3.5.0,M10.5.0/3") gives the rule. Pure but for
 * tzfile_load, which reads the one file.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* needs no config.h */
#endif

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "tzfile.h"

#define DAY 86400
#define ZONEINFO_DIR "/usr/share/zoneinfo"
#define ZONE_NAME_MAX 255
#define TZIF_MAX (1024 * 1024)
/* Instants further from 1970 than this (about a billion years) are refused. */
#define TIME_LIMIT ((int64_t)1 << 55)

/* A local time type: offset east of UTC, DST flag, abbreviation. */
struct tztype {
	int32_t off;
	int isdst;
	char abbr[TZFILE_ABBR_LEN];
};

/* A POSIX TZ rule's date: Jn (no Feb 29), n (0-365) or Mm.w.d, at secs. */
struct tzdate {
	char kind; /* 'J', 'N', 'M' */
	int m, w, d, n;
	int32_t secs; /* local time of the change */
};

/* The footer's rule: std (and dst with its change dates) or none. */
struct tzrule {
	int set;
	struct tztype std, dst;
	int hasdst;
	struct tzdate start, end;
};

struct tzfile {
	char *name;
	size_t ntrans;
	int64_t *trans; /* sorted transition instants */
	unsigned char *idx; /* the type from each transition on */
	size_t ntypes;
	struct tztype *types;
	struct tzrule rule;
};

static int zone_name_ok(const char *);
static int64_t be(const unsigned char *, size_t);
static int parse_block(
    struct tzfile *, const unsigned char *, size_t, size_t *, int, char **);
static const char *rule_name(const char *, char *);
static const char *rule_offset(const char *, int32_t *);
static const char *rule_date(const char *, struct tzdate *);
static int rule_parse(struct tzrule *, const char *);
static int64_t rule_day(const struct tzdate *, int64_t);
static const struct tztype *rule_type(const struct tzrule *, int64_t);

int64_t
tz_floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Day number of y-m-d (H. Hinnant's days_from_civil). */
int64_t
tz_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
tz_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* 0 = Monday ... 6 = Sunday; day 0 (1970-01-01) was a Thursday. */
int
tz_weekday(int64_t day)
{
	return (int)(day + 3 - tz_floordiv(day + 3, 7) * 7);
}

/* A plain relative path into the zone database, nothing else. */
static int
zone_name_ok(const char *name)
{
	const char *p, *comp;
	size_t len;

	len = strlen(name);
	if (len == 0 || len > ZONE_NAME_MAX || name[0] == '/')
		return 0;
	if (strspn(name,
		"abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789/._+-") != len)
		return 0;
	for (comp = name;; comp = p + 1) {
		p = strchr(comp, '/');
		len = p != NULL ? (size_t)(p - comp) : strlen(comp);
		if (len == 0 || (len == 1 && comp[0] == '.') ||
		    (len == 2 && comp[0] == '.' && comp[1] == '.'))
			return 0;
		if (p == NULL)
			return 1;
	}
}

struct tzfile *
tzfile_load(const char *name, char **cause)
{
	const char *dir;
	char path[PATH_MAX];
	unsigned char *buf = NULL;
	struct tzfile *tz = NULL;
	struct stat st;
	ssize_t r;
	size_t len = 0;
	int fd = -1;

	if (!zone_name_ok(name)) {
		cause_set(cause, "unknown time zone \"%s\"", name);
		return NULL;
	}
	dir = getenv("TZDIR");
	if (dir == NULL || *dir == '\0')
		dir = ZONEINFO_DIR;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >=
		sizeof path ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > TZIF_MAX) {
		cause_set(cause, "unknown time zone \"%s\"", name);
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		cause_set(cause, "out of memory");
		goto out;
	}
	while (len < (size_t)st.st_size) {
		r = read(fd, buf + len, (size_t)st.st_size - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if ((tz = tzfile_parse(name, buf, len, NULL)) == NULL)
		cause_set(cause, "unknown time zone \"%s\"", name);
out:
	if (fd != -1)
		close(fd);
	free(buf);
	return tz;
}

/* A big-endian signed integer of n (4 or 8) bytes. */
static int64_t
be(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)v;
	return (int64_t)v;
}

/*
 * One data block after its header at *pos (time size tsz 4 or 8): keeps
 * it in tz when keep, and moves *pos past it.
 */
static int
parse_block(struct tzfile *tz, const unsigned char *b, size_t len, size_t *pos,
    int keep, char **cause)
{
	const unsigned char *h = b + *pos, *p;
	size_t isut, isstd, leap, timecnt, typecnt, charcnt, need, i;
	size_t tsz = keep == 2 ? 8 : 4;

	if (len - *pos < 44 || memcmp(h, "TZif", 4) != 0) {
		cause_set(cause, "not a TZif file");
		return -1;
	}
	isut = (size_t)be(h + 20, 4);
	isstd = (size_t)be(h + 24, 4);
	leap = (size_t)be(h + 28, 4);
	timecnt = (size_t)be(h + 32, 4);
	typecnt = (size_t)be(h + 36, 4);
	charcnt = (size_t)be(h + 40, 4);
	if (isut > 256 || isstd > 256 || leap > 65536 || timecnt > 65536 ||
	    typecnt == 0 || typecnt > 256 || charcnt > 65536) {
		cause_set(cause, "a TZif file out of bounds");
		return -1;
	}
	need = timecnt * tsz + timecnt + typecnt * 6 + charcnt +
	    leap * (tsz + 4) + isstd + isut;
	if (len - *pos - 44 < need) {
		cause_set(cause, "a TZif file cut short");
		return -1;
	}
	p = h + 44;
	*pos += 44 + need;
	if (!keep)
		return 0;
	tz->ntrans = timecnt;
	tz->ntypes = typecnt;
	tz->trans = calloc(timecnt + 1, sizeof *tz->trans);
	tz->idx = calloc(timecnt + 1, 1);
	tz->types = calloc(typecnt, sizeof *tz->types);
	if (tz->trans == NULL || tz->idx == NULL || tz->types == NULL) {
		cause_set(cause, "out of memory");
		return -1;
	}
	for (i = 0; i < timecnt; i++) {
		tz->trans[i] = be(p + i * tsz, tsz);
		if (i > 0 && tz->trans[i] <= tz->trans[i - 1]) {
			cause_set(cause, "TZif transitions out of order");
			return -1;
		}
	}
	p += timecnt * tsz;
	for (i = 0; i < timecnt; i++) {
		if ((tz->idx[i] = p[i]) >= typecnt) {
			cause_set(cause, "a TZif transition to no type");
			return -1;
		}
	}
	p += timecnt;
	for (i = 0; i < typecnt; i++) {
		const unsigned char *t = p + i * 6;
		size_t ai = t[5], n;

		tz->types[i].off = (int32_t)be(t, 4);
		tz->types[i].isdst = t[4] != 0;
		if (ai >= charcnt) {
			cause_set(cause, "a TZif abbreviation out of bounds");
			return -1;
		}
		n = strnlen((const char *)p + typecnt * 6 + ai, charcnt - ai);
		if (n >= TZFILE_ABBR_LEN)
			n = TZFILE_ABBR_LEN - 1;
		memcpy(tz->types[i].abbr, p + typecnt * 6 + ai, n);
		tz->types[i].abbr[n] = '\0';
	}
	return 0;
}

struct tzfile *
tzfile_parse(const char *name, const void *buf, size_t len, char **cause)
{
	const unsigned char *b = buf;
	struct tzfile *tz;
	size_t pos = 0, end;
	char footer[128];

	if ((tz = calloc(1, sizeof *tz)) == NULL ||
	    (tz->name = strdup(name)) == NULL) {
		free(tz);
		cause_set(cause, "out of memory");
		return NULL;
	}
	if (len < 5 || b[4] == '\0') {
		if (parse_block(tz, b, len, &pos, 1, cause) != 0)
			goto bad;
		return tz;
	}
	/* Version 2 and later: skip the 32-bit block, keep the 64-bit one. */
	if (parse_block(tz, b, len, &pos, 0, cause) != 0 ||
	    parse_block(tz, b, len, &pos, 2, cause) != 0)
		goto bad;
	if (pos < len && b[pos] == '\n') {
		for (end = pos + 1; end < len && b[end] != '\n'; end++)
			;
		if (end < len && end - pos - 1 < sizeof footer) {
			memcpy(footer, b + pos + 1, end - pos - 1);
			footer[end - pos - 1] = '\0';
			if (footer[0] != '\0' &&
			    rule_parse(&tz->rule, footer) != 0) {
				cause_set(
				    cause, "a TZif footer not understood");
				goto bad;
			}
		}
	}
	return tz;
bad:
	tzfile_free(tz);
	return NULL;
}

void
tzfile_free(struct tzfile *tz)
{
	if (tz == NULL)
		return;
	free(tz->name);
	free(tz->trans);
	free(tz->idx);
	free(tz->types);
	free(tz);
}

const char *
tzfile_name(const struct tzfile *tz)
{
	return tz->name;
}

/* A rule's zone name: letters, or <...> (out: TZFILE_ABBR_LEN). */
static const char *
rule_name(const char *s, char *out)
{
	const char *start = s, *e;
	size_t n;

	if (*s == '<') {
		if ((e = strchr(s, '>')) == NULL)
			return NULL;
		start = s + 1;
		n = (size_t)(e - start);
		s = e + 1;
	} else {
		while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
			s++;
		n = (size_t)(s - start);
	}
	if (n < 3 || n >= TZFILE_ABBR_LEN)
		return NULL;
	memcpy(out, start, n);
	out[n] = '\0';
	return s;
}

/* [+-]hh[:mm[:ss]] as seconds (hours up to 167). */
static const char *
rule_offset(const char *s, int32_t *secs)
{
	int sign = 1, part = 0, v;
	int32_t total = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (; part < 3; part++) {
		if (*s < '0' || *s > '9')
			return part == 0 ? NULL : s;
		for (v = 0; *s >= '0' && *s <= '9'; s++) {
			v = v * 10 + (*s - '0');
			if (v > 167)
				return NULL;
		}
		total += v * (part == 0 ? 3600 : part == 1 ? 60 : 1);
		if (*s != ':' || part == 2)
			break;
		s++;
	}
	*secs = sign * total;
	return s;
}

/* ,Jn | ,n | ,Mm.w.d, then [/time] (default 02:00). */
static const char *
rule_date(const char *s, struct tzdate *d)
{
	char *e;
	long v[3];
	int i;

	if (*s++ != ',')
		return NULL;
	memset(d, 0, sizeof *d);
	if (*s == 'M') {
		d->kind = 'M';
		s++;
		for (i = 0; i < 3; i++) {
			v[i] = strtol(s, &e, 10);
			if (e == s || (i < 2 && *e != '.'))
				return NULL;
			s = e + (i < 2);
		}
		if (v[0] < 1 || v[0] > 12 || v[1] < 1 || v[1] > 5 || v[2] < 0 ||
		    v[2] > 6)
			return NULL;
		d->m = (int)v[0];
		d->w = (int)v[1];
		d->d = (int)v[2];
	} else {
		d->kind = *s == 'J' ? 'J' : 'N';
		s += *s == 'J';
		v[0] = strtol(s, &e, 10);
		if (e == s || v[0] < (d->kind == 'J') || v[0] > 365)
			return NULL;
		d->n = (int)v[0];
		s = e;
	}
	d->secs = 2 * 3600;
	if (*s == '/' && (s = rule_offset(s + 1, &d->secs)) == NULL)
		return NULL;
	return s;
}

/* "STDoff[DST[off][,start[/time],end[/time]]]" of POSIX TZ. */
static int
rule_parse(struct tzrule *r, const char *s)
{
	int32_t off;

	memset(r, 0, sizeof *r);
	if ((s = rule_name(s, r->std.abbr)) == NULL ||
	    (s = rule_offset(s, &off)) == NULL)
		return -1;
	r->std.off = -off;
	r->set = 1;
	if (*s == '\0')
		return 0;
	if ((s = rule_name(s, r->dst.abbr)) == NULL)
		return -1;
	r->dst.isdst = 1;
	r->dst.off = r->std.off + 3600;
	if (*s != ',' && *s != '\0') {
		if ((s = rule_offset(s, &off)) == NULL)
			return -1;
		r->dst.off = -off;
	}
	/* No dates: the US rules of POSIX's default, M3.2.0,M11.1.0. */
	if (*s == '\0')
		s = ",M3.2.0,M11.1.0";
	if ((s = rule_date(s, &r->start)) == NULL ||
	    (s = rule_date(s, &r->end)) == NULL || *s != '\0')
		return -1;
	r->hasdst = 1;
	return 0;
}

/* The day number of a rule's date in year y. */
static int64_t
rule_day(const struct tzdate *d, int64_t y)
{
	int64_t jan1 = tz_days_from_civil(y, 1, 1), first, day;
	int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
	unsigned m2 = (unsigned)d->m % 12 + 1;

	if (d->kind == 'J')
		return jan1 + d->n - 1 + (leap && d->n >= 60);
	if (d->kind == 'N')
		return jan1 + d->n;
	/* The w-th weekday d (0 = Sunday) of month m; 5 is the last. */
	first = tz_days_from_civil(y, (unsigned)d->m, 1);
	day = first + ((d->d + 6 - tz_weekday(first)) % 7 + 7) % 7;
	day += 7 * (d->w - 1);
	while (day >= tz_days_from_civil(y + (d->m == 12), m2, 1))
		day -= 7;
	return day;
}

/* The footer rule's type at t. */
static const struct tztype *
rule_type(const struct tzrule *r, int64_t t)
{
	int64_t y, start, end;
	unsigned m, d;

	if (!r->hasdst)
		return &r->std;
	tz_civil_from_days(tz_floordiv(t + r->std.off, DAY), &y, &m, &d);
	start = rule_day(&r->start, y) * DAY + r->start.secs - r->std.off;
	end = rule_day(&r->end, y) * DAY + r->end.secs - r->dst.off;
	if (start < end)
		return t >= start && t < end ? &r->dst : &r->std;
	/* The southern hemisphere (or Dublin's negative DST). */
	return t >= end && t < start ? &r->std : &r->dst;
}

int
tzfile_lookup(const struct tzfile *tz, int64_t t, int32_t *off, char *abbr)
{
	const struct tztype *ty;
	size_t lo = 0, hi = tz->ntrans, mid;

	if (t < -TIME_LIMIT || t > TIME_LIMIT)
		return -1;
	if (tz->ntrans > 0 && t >= tz->trans[tz->ntrans - 1] && tz->rule.set)
		ty = rule_type(&tz->rule, t);
	else if (tz->ntrans == 0 && tz->rule.set)
		ty = rule_type(&tz->rule, t);
	else if (tz->ntrans == 0 || t < tz->trans[0])
		ty = &tz->types[0];
	else {
		/* The last transition at or before t. */
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (tz->trans[mid] <= t)
				lo = mid;
			else
				hi = mid;
		}
		ty = &tz->types[tz->idx[lo]];
	}
	if (off != NULL)
		*off = ty->off;
	if (abbr != NULL)
		memcpy(abbr, ty->abbr, TZFILE_ABBR_LEN);
	return 0;
}

int
tzfile_format_human(const struct tzfile *tz, int64_t t, const char *label,
    char *buf, size_t len)
{
	char abbr[TZFILE_ABBR_LEN], secs[8] = "";
	int64_t wall, day, sec, y;
	unsigned m, d;
	int32_t off;
	int r;

	if (tzfile_lookup(tz, t, &off, abbr) != 0)
		return -1;
	wall = t + off;
	day = tz_floordiv(wall, DAY);
	sec = wall - day * DAY;
	tz_civil_from_days(day, &y, &m, &d);
	if (sec % 60 != 0)
		snprintf(secs, sizeof secs, ":%02d", (int)(sec % 60));
	if (label != NULL)
		r = snprintf(buf, len, "%04lld-%02u-%02u %02d:%02d%s (%s)",
		    (long long)y, m, d, (int)(sec / 3600), (int)(sec / 60 % 60),
		    secs, label);
	else
		r = snprintf(buf, len, "%04lld-%02u-%02u %02d:%02d%s %s (%s)",
		    (long long)y, m, d, (int)(sec / 3600), (int)(sec / 60 % 60),
		    secs, abbr, tz->name);
	if (r < 0 || (size_t)r >= len)
		return -1;
	return 0;
}

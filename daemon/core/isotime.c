/* SPDX-License-Identifier: ISC */
/*
 * isotime.c: ISO 8601 times as people and scripts write them.
 *
 * Parses "2026-10-08T10:00:00+08:00", "2026-10-08T02:00:00Z",
 * "2026-10-08 10:00+0800" (seconds and a fraction optional, an offset or Z
 * required: a time without a zone is ambiguous for a seller in Shenzhen
 * running a server in Frankfurt). Formats UTC as "2026-10-08T02:00:00Z".
 * Pure: no I/O, no global state.
 */

#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core.h"

static int
digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return (-1);
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return (0);
}

int
isotime_parse(const char *s, time_t *out)
{
	const char *p = s;
	struct tm tm;
	int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 0;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	time_t t;

	if (digits(&p, 4, &y) == -1 || *p++ != '-' ||
	    digits(&p, 2, &mo) == -1 || *p++ != '-' ||
	    digits(&p, 2, &d) == -1 || (*p != 'T' && *p != 't' && *p != ' '))
		return (-1);
	p++;
	if (digits(&p, 2, &h) == -1 || *p++ != ':' || digits(&p, 2, &mi) == -1)
		return (-1);
	if (*p == ':') {
		p++;
		if (digits(&p, 2, &sec) == -1)
			return (-1);
		if (*p == '.' || *p == ',') {
			p++;
			if (!isdigit((unsigned char)*p))
				return (-1);
			while (isdigit((unsigned char)*p))
				p++;
		}
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh) == -1)
			return (-1);
		if (*p == ':')
			p++;
		if (digits(&p, 2, &om) == -1)
			return (-1);
		if (oh > 23 || om > 59)
			return (-1);
	} else
		return (-1);
	if (*p != '\0')
		return (-1);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h > 23 || mi > 59 || sec > 60)
		return (-1);
	if (mo == 2 && d == 29 &&
	    !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return (-1);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return (-1);
	t -= sign * (oh * 3600 + om * 60);
	*out = t;
	return (0);
}

char *
isotime_format(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "?");
	return (buf);
}

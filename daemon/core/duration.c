/* SPDX-License-Identifier: ISC */
/*
 * duration.c: durations as people write them in a configuration file.
 *
 * "90s", "30m", "72h", "5d", "1w" and sums of them ("1h30m"). Pure: no I/O.
 * Zero ("0s") is allowed; negative values, unknown units, missing numbers and
 * anything above DURATION_MAX are refused with a sentence in *cause.
 */

#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core.h"
#include "text.h"

static const struct {
	char unit;
	int64_t seconds;
} duration_units[] = {
	{ 's', 1 },
	{ 'm', 60 },
	{ 'h', 3600 },
	{ 'd', 86400 },
	{ 'w', 7 * 86400 },
};

int
duration_parse(const char *s, int64_t *out, char **cause)
{
	const char *p = s;
	int64_t total = 0, n, mult;
	size_t i;
	char cut[TEXT_CUT_SIZE], cut2[TEXT_CUT_SIZE];

	if (s == NULL || *s == '\0') {
		xasprintf(cause,
		    "empty duration (write it like \"30m\", "
		    "\"72h\" or \"5d\")");
		return (-1);
	}
	while (*p != '\0') {
		if (!isdigit((unsigned char)*p)) {
			xasprintf(cause,
			    "bad duration \"%s\": expected a "
			    "number at \"%s\" (write it like "
			    "\"30m\", \"72h\" or \"5d\")",
			    text_cut(s, cut), text_cut(p, cut2));
			return (-1);
		}
		n = 0;
		while (isdigit((unsigned char)*p)) {
			if (n > (DURATION_MAX - (*p - '0')) / 10)
				goto toolong;
			n = n * 10 + (*p - '0');
			p++;
		}
		mult = 0;
		for (i = 0;
		     i < sizeof duration_units / sizeof duration_units[0];
		     i++) {
			if (*p == duration_units[i].unit)
				mult = duration_units[i].seconds;
		}
		if (mult == 0) {
			if (*p == '\0')
				xasprintf(cause,
				    "bad duration \"%s\": the "
				    "number has no unit (s, m, "
				    "h, d or w)",
				    text_cut(s, cut));
			else
				xasprintf(cause,
				    "bad duration \"%s\": unknown "
				    "unit '%c' (use s, m, h, d "
				    "or w)",
				    text_cut(s, cut), *p);
			return (-1);
		}
		p++;
		if (n > (DURATION_MAX - total) / mult)
			goto toolong;
		total += n * mult;
	}
	*out = total;
	return (0);

toolong:
	xasprintf(cause, "bad duration \"%s\": longer than ten years",
	    text_cut(s, cut));
	return (-1);
}

/* Renders seconds as the largest exact units: 5400 -> "1h30m". */
char *
duration_format(int64_t secs, char *buf, size_t len)
{
	size_t i, off = 0;
	int64_t q;

	if (len == 0)
		return (buf);
	buf[0] = '\0';
	if (secs <= 0) {
		snprintf(buf, len, "0s");
		return (buf);
	}
	for (i = 3; i != (size_t)-1 && off < len; i--) {
		q = secs / duration_units[i].seconds;
		if (q == 0)
			continue;
		secs -= q * duration_units[i].seconds;
		off += snprintf(buf + off, len - off, "%lld%c", (long long)q,
		    duration_units[i].unit);
	}
	return (buf);
}

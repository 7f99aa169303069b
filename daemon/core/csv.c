/* SPDX-License-Identifier: ISC */
/*
 * csv.c: splitting a CSV line into its fields.
 *
 * The import of listings (api-source.c) reads "shop,product_id[,title]"
 * lines with it; quoting follows RFC 4180 within one line. It must not
 * allocate or know what the fields mean.
 */

#include <stddef.h>

#include "csv.h"

int
csv_split(const char *line, size_t len, char *buf, const char **fields, int max)
{
	const char *p = line, *end = line + len;
	char *o = buf;
	int n = 0;

	for (;;) {
		if (n >= max)
			return (-1);
		fields[n++] = o;
		if (p < end && *p == '"') {
			for (p++;; p++) {
				if (p >= end)
					return (-1); /* no closing quote */
				if (*p == '"' && p + 1 < end && p[1] == '"')
					*o++ = *p++;
				else if (*p == '"')
					break;
				else
					*o++ = *p;
			}
			p++;
			if (p < end && *p != ',')
				return (-1); /* text after the quote */
		} else {
			while (p < end && *p != ',') {
				if (*p == '"')
					return (-1); /* a quote inside */
				*o++ = *p++;
			}
		}
		*o++ = '\0';
		if (p >= end)
			return (n);
		p++; /* the comma: another field follows, maybe empty */
	}
}

size_t
csv_bom(const char *text, size_t len)
{
	return (len >= 3 && (unsigned char)text[0] == 0xef &&
		    (unsigned char)text[1] == 0xbb &&
		    (unsigned char)text[2] == 0xbf
		? 3
		: 0);
}

const char *
csv_control(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return (s);
	}
	return (NULL);
}

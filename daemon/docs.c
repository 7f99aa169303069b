/*
 * docs.c: the document vault's rules (docs.h), pure.
 *
 * Product-id lists, the expiry alert stages, the description a renamed
 * document keeps, byte sizes. It must not read files, the clock or the
 * database: vault.c does that and asks here.
 */

#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "delistd.h"
#include "docs.h"

const int docs_stage_days[DOCS_NSTAGES] = { 30, 7, 1, 0 };

void
docs_products_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
docs_products_parse(const char *s, char ***out, size_t *nout, char **cause)
{
	char **v = NULL;
	size_t n = 0, i, len;
	const char *p = s, *start;

	*out = NULL;
	*nout = 0;
	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ',' && *p != ' ')
			p++;
		len = (size_t)(p - start);
		for (i = 0; i < len; i++) {
			if (!isdigit((unsigned char)start[i]))
				break;
		}
		if (i != len || len > DOCS_PRODUCT_ID_MAX) {
			xasprintf(cause,
			    "\"%.*s\" is not a product ID: it is 1 to %d "
			    "digits, like 1005001234567890",
			    (int)(len > 40 ? 40 : len), start,
			    DOCS_PRODUCT_ID_MAX);
			docs_products_free(v, n);
			return (-1);
		}
		for (i = 0; i < n; i++) {
			if (strlen(v[i]) == len &&
			    memcmp(v[i], start, len) == 0)
				break;
		}
		if (i < n)
			continue;
		if (n == DOCS_MAX_PRODUCTS) {
			xasprintf(cause, "more than %d product IDs",
			    DOCS_MAX_PRODUCTS);
			docs_products_free(v, n);
			return (-1);
		}
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrndup(start, len);
	}
	if (n == 0) {
		xasprintf(cause,
		    "the product list is empty: name at least one product "
		    "ID, like 1005001234567890");
		return (-1);
	}
	*out = v;
	*nout = n;
	return (0);
}

int
docs_stage_due(const time_t marks[DOCS_NSTAGES], int stage, time_t now)
{
	int k, due = -1;

	for (k = stage < 0 ? 0 : stage; k < DOCS_NSTAGES; k++) {
		if (marks[k] <= now)
			due = k;
	}
	return (due);
}

time_t
docs_next_due(const time_t marks[DOCS_NSTAGES], int k)
{
	if (k < -1 || k + 1 >= DOCS_NSTAGES)
		return (0);
	return (marks[k + 1]);
}

int
docs_days_left(time_t expires_at, time_t now)
{
	int64_t d;

	if (expires_at <= now)
		return (0);
	d = ((int64_t)expires_at - (int64_t)now + 86400 - 3601) / 86400;
	if (d == 0)
		return (1); /* less than an hour to go: still "1 day" */
	return (d > INT32_MAX ? INT32_MAX : (int)d);
}

void
docs_description(const char *name, char *buf, size_t size)
{
	const char *base, *dot, *p;
	size_t len;
	int unders;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (name == NULL)
		return;
	base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
	dot = strrchr(base, '.');
	len = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
	/* AE<digits>_<TYPE>_rest: keep rest. */
	if (len > 2 && strncasecmp(base, "AE", 2) == 0 &&
	    isdigit((unsigned char)base[2])) {
		for (p = base + 2; p < base + len && isdigit((unsigned char)*p);
		     p++)
			;
		for (unders = 0; p < base + len && unders < 2; p++) {
			if (*p == '_')
				unders++;
		}
		if (unders == 2) {
			len -= (size_t)(p - base);
			base = p;
		}
	}
	snprintf(buf, size, "%.*s", (int)len, base);
}

int
docs_size_parse(const char *s, int64_t *out, char **cause)
{
	static const struct {
		char unit;
		int shift;
	} units[] = { { 'k', 10 }, { 'm', 20 }, { 'g', 30 } };
	const char *p = s;
	int64_t v = 0;
	size_t i;
	int shift = 0;

	if (s == NULL || !isdigit((unsigned char)*s)) {
		xasprintf(cause,
		    "\"%s\" is not a size (write it like \"32M\", \"512K\" or "
		    "a number of bytes)",
		    s != NULL ? s : "");
		return (-1);
	}
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > ((int64_t)1 << 40)) {
			xasprintf(cause, "\"%s\" is larger than 1T", s);
			return (-1);
		}
	}
	if (*p != '\0') {
		for (i = 0; i < sizeof units / sizeof units[0]; i++) {
			if (tolower((unsigned char)*p) == units[i].unit)
				shift = units[i].shift;
		}
		if (shift != 0)
			p++;
		if (strcasecmp(p, "ib") == 0 && shift != 0)
			p += 2;
		else if (strcasecmp(p, "b") == 0)
			p++;
	}
	if (*p != '\0') {
		xasprintf(cause,
		    "\"%s\" is not a size: unknown unit \"%s\" (use K, M or "
		    "G)",
		    s, p);
		return (-1);
	}
	if (v > (((int64_t)1 << 40) >> shift)) {
		xasprintf(cause, "\"%s\" is larger than 1T", s);
		return (-1);
	}
	*out = v << shift;
	return (0);
}

char *
docs_size_format(int64_t v, char *buf, size_t len)
{
	if (v >= ((int64_t)1 << 30) && v % ((int64_t)1 << 30) == 0)
		snprintf(buf, len, "%lldG", (long long)(v >> 30));
	else if (v >= ((int64_t)1 << 20) && v % ((int64_t)1 << 20) == 0)
		snprintf(buf, len, "%lldM", (long long)(v >> 20));
	else if (v >= ((int64_t)1 << 20))
		snprintf(buf, len, "%.1fM", (double)v / (1 << 20));
	else if (v >= 1024 && v % 1024 == 0)
		snprintf(buf, len, "%lldK", (long long)(v >> 10));
	else if (v >= 1024)
		snprintf(buf, len, "%.1fK", (double)v / 1024);
	else
		snprintf(buf, len, "%lldB", (long long)v);
	return (buf);
}

/* SPDX-License-Identifier: ISC */
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

#include "core.h"
#include "docs.h"
#include "sniff.h"
#include "text.h"

/*
 * The document types of the file-name convention, one row each: its name
 * (cases.c's), the description a renamed file gets when its own name has
 * none, and whether it takes a PNG. Both arrays below come from this list.
 */
#define DOCS_TYPES(X) \
	X("ce", "Certificate", 0) \
	X("fcc", "Certificate", 0) \
	X("ukca", "Certificate", 0) \
	X("saso", "Certificate", 0) \
	X("test_report", "Report", 0) \
	X("trademark", "Registration", 0) \
	X("brand_authorization", "Authorization", 0) \
	X("invoice", "Invoice", 0) \
	X("court_order", "Order", 0) \
	X("dismissal", "Letter", 0) \
	X("other", "Document", 1)
#define DOCS_ROW(t, w, png) { t, w, png },
#define DOCS_NAME(t, w, png) t,

static const struct docs_type docs_types[] = { DOCS_TYPES(DOCS_ROW) };
static const char *const docs_names[] = { DOCS_TYPES(DOCS_NAME) };
#define DOCS_NTYPES (sizeof docs_types / sizeof docs_types[0])

/* Image formats the platform does not take, to be converted first. */
static const struct {
	const char *ext;
	const char *format;
} docs_convert[] = {
	{ "png", "PNG" },
	{ "gif", "GIF" },
	{ "webp", "WebP" },
	{ "bmp", "BMP" },
	{ "tif", "TIFF" },
	{ "tiff", "TIFF" },
	{ "heic", "HEIC" },
};

static size_t docs_token_len(const char *, const char *);
static int docs_known_token(const char *, const char *);
static const char *docs_convert_format(const char *, const struct docs_type *);

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
		/* A known type written with "_" is one field. */
		if (p < base + len && *p == '_')
			unders = docs_known_token(p + 1, base + len);
		else
			unders = 0;
		if (unders > 0) {
			p += 1 + (size_t)unders;
			unders = 1;
		}
		for (; p < base + len && unders < 2; p++) {
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
	char cut[TEXT_CUT_SIZE], cut2[TEXT_CUT_SIZE];

	if (s == NULL || !isdigit((unsigned char)*s)) {
		xasprintf(cause,
		    "\"%s\" is not a size (write it like \"32M\", \"512K\" or "
		    "a number of bytes)",
		    s != NULL ? text_cut(s, cut) : "");
		return (-1);
	}
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > ((int64_t)1 << 40)) {
			xasprintf(cause, "\"%s\" is larger than 1T",
			    text_cut(s, cut));
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
		    text_cut(s, cut), text_cut(p, cut2));
		return (-1);
	}
	if (v > (((int64_t)1 << 40) >> shift)) {
		xasprintf(cause, "\"%s\" is larger than 1T", text_cut(s, cut));
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

const struct docs_type *
docs_type_find(const char *type)
{
	size_t i;

	for (i = 0; type != NULL && i < DOCS_NTYPES; i++) {
		if (strcmp(docs_types[i].type, type) == 0)
			return (&docs_types[i]);
	}
	return (NULL);
}

const char *const *
docs_type_names(size_t *n)
{
	*n = DOCS_NTYPES;
	return (docs_names);
}

/*
 * If s starts with the token of type (any case; "_", "-" and " " alike)
 * and no letter or digit follows it, its length; else 0.
 */
static size_t
docs_token_len(const char *s, const char *type)
{
	size_t i;
	int a, b;

	for (i = 0; type[i] != '\0'; i++) {
		a = tolower((unsigned char)s[i]);
		b = (unsigned char)type[i];
		if (a == '-' || a == ' ')
			a = '_';
		if (a != b || a == '\0')
			return (0);
	}
	return (isalnum((unsigned char)s[i]) ? 0 : i);
}

/*
 * The length of the longest known type token at p (before end) that is
 * followed by "_", or 0.
 */
static int
docs_known_token(const char *p, const char *end)
{
	size_t i, n, best = 0;

	for (i = 0; i < DOCS_NTYPES; i++) {
		n = strlen(docs_names[i]);
		if (p + n < end && p[n] == '_' &&
		    docs_token_len(p, docs_names[i]) == n && n > best)
			best = n;
	}
	return ((int)best);
}

/* The format a file named name must be converted from, for row; or NULL. */
static const char *
docs_convert_format(const char *name, const struct docs_type *row)
{
	const char *dot;
	size_t i;

	if (name == NULL || (dot = strrchr(name, '.')) == NULL)
		return (NULL);
	for (i = 0; i < sizeof docs_convert / sizeof docs_convert[0]; i++) {
		if (strcasecmp(dot + 1, docs_convert[i].ext) != 0)
			continue;
		if (row != NULL && row->png &&
		    strcmp(docs_convert[i].ext, "png") == 0)
			return (NULL);
		return (docs_convert[i].format);
	}
	return (NULL);
}

const char *
docs_name_convert(const char *name, const char *type)
{
	return (docs_convert_format(name, docs_type_find(type)));
}

enum docs_name_verdict
docs_name_check(
    const char *name, const char *pid, const char *type, const char **format)
{
	char copy[SNIFF_FILE_NAME_MAX + 1];
	struct sniff_name sn;
	const struct docs_type *row;
	const char *base, *dot, *conv = NULL;
	size_t i;
	int png = 0;

	if (format != NULL)
		*format = NULL;
	if (name == NULL)
		return (DOCS_NAME_BAD);
	base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
	if (strlen(base) >= sizeof copy)
		return (DOCS_NAME_BAD);
	memcpy(copy, base, strlen(base) + 1);
	/* An image extension to convert: judge the rest of the name. */
	if ((dot = strrchr(base, '.')) != NULL) {
		for (i = 0; i < sizeof docs_convert / sizeof docs_convert[0];
		     i++) {
			if (strcasecmp(dot + 1, docs_convert[i].ext) == 0)
				break;
		}
		if (i < sizeof docs_convert / sizeof docs_convert[0]) {
			conv = docs_convert[i].format;
			png = strcmp(docs_convert[i].ext, "png") == 0;
			if ((size_t)(dot - base) + 5 > sizeof copy)
				return (DOCS_NAME_BAD);
			memcpy(copy + (dot - base), ".pdf", 5);
		}
	}
	if (sniff_name_parse(copy, docs_names, DOCS_NTYPES, &sn, NULL, 0) == -1)
		return (DOCS_NAME_BAD);
	if (pid != NULL && *pid != '\0' && strcmp(sn.product_id, pid) != 0)
		return (DOCS_NAME_BAD);
	if (type != NULL && strcmp(sn.type, type) != 0)
		return (DOCS_NAME_BAD);
	row = docs_type_find(sn.type);
	if (conv != NULL && !(png && row != NULL && row->png)) {
		if (format != NULL)
			*format = conv;
		return (DOCS_NAME_CONVERT);
	}
	return (DOCS_NAME_OK);
}

int
docs_name_build(const char *pid, const char *type, const char *name,
    const char *ext, char *buf, size_t size, char *why, size_t whylen)
{
	const struct docs_type *row;
	char desc[SNIFF_FILE_NAME_MAX + 1];
	const char *d;
	size_t n;
	int png, len;

	if (size > 0)
		buf[0] = '\0';
	if ((row = docs_type_find(type)) == NULL) {
		snprintf(why, whylen, "unknown document type \"%.32s\"",
		    type != NULL ? type : "");
		return (-1);
	}
	png = ext != NULL && strcmp(ext, "png") == 0;
	if (ext == NULL ||
	    (strcmp(ext, "pdf") != 0 && strcmp(ext, "jpg") != 0 && !png)) {
		snprintf(why, whylen, "documents are PDF or JPG");
		return (-1);
	}
	if (png && !row->png) {
		snprintf(why, whylen,
		    "the platform takes %s documents as PDF or JPG, and this "
		    "is a PNG: convert it to PDF or JPG first",
		    type);
		return (-1);
	}
	docs_description(name, desc, sizeof desc);
	/* No type twice: "CE declaration" as ce is "declaration". */
	d = desc;
	if ((n = docs_token_len(d, type)) > 0) {
		d += n;
		while (*d == ' ' || *d == '_' || *d == '-' || *d == '.')
			d++;
	}
	if (*d == '\0')
		d = row->word;
	len = sniff_name_build(pid, type, d,
	    png ? SNIFF_PDF
		: (strcmp(ext, "jpg") == 0 ? SNIFF_JPEG : SNIFF_PDF),
	    buf, size, why, whylen);
	if (len == -1)
		return (-1);
	if (png)
		memcpy(buf + len - 3, "png", 3);
	return (0);
}

/* SPDX-License-Identifier: ISC */
/*
 * evtext.c: an event's sentence as its format and its arguments' strings
 * (see evtext.h). Pure.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* vasprintf; needs no config.h */
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core.h"
#include "evtext.h"

/* A conversion's length modifier: which type va_arg takes. */
enum evtext_len {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_J,
	LEN_Z,
	LEN_T,
	LEN_BIG_L
};

/* One conversion of a format, from its '%' to its conversion character. */
struct evtext_conv {
	const char *start, *end; /* the spec, '%' to conv inclusive */
	size_t pos; /* N of %N$, or 0 */
	int width_star, prec_star;
	enum evtext_len len;
	char conv;
};

static const char *evtext_parse(const char *, struct evtext_conv *);
static size_t evtext_digits(const char **);
static int evtext_field(const char **);
static int evtext_one(const struct evtext_conv *, va_list *, char **);
static int evtext_cat(char **, size_t *, size_t *, const char *, size_t);

static const struct {
	const char *text;
	enum evtext_len len;
} evtext_lens[] = {
	{ "hh", LEN_HH },
	{ "ll", LEN_LL },
	{ "h", LEN_H },
	{ "l", LEN_L },
	{ "q", LEN_LL },
	{ "j", LEN_J },
	{ "z", LEN_Z },
	{ "Z", LEN_Z },
	{ "t", LEN_T },
	{ "L", LEN_BIG_L },
};

static size_t
evtext_digits(const char **p)
{
	size_t v = 0;

	while (**p >= '0' && **p <= '9') {
		if (v < 1000000)
			v = v * 10 + (size_t)(**p - '0');
		(*p)++;
	}
	return (v);
}

/* A width or a precision at *p: digits, or '*' (1) with its N$ if any. */
static int
evtext_field(const char **p)
{
	const char *q;

	if (**p != '*') {
		evtext_digits(p);
		return (0);
	}
	q = ++*p;
	if (evtext_digits(&q) > 0 && *q == '$')
		*p = q + 1;
	return (1);
}

/*
 * The conversion at p (just after its '%') into *c; returns the character
 * after it, or NULL when it is not one printf knows.
 */
static const char *
evtext_parse(const char *p, struct evtext_conv *c)
{
	const char *q;
	size_t i, n;

	memset(c, 0, sizeof *c);
	c->start = p - 1;
	q = p;
	if ((n = evtext_digits(&q)) > 0 && *q == '$') {
		c->pos = n;
		p = q + 1;
	}
	p += strspn(p, "-+ #0'I");
	c->width_star = evtext_field(&p);
	if (*p == '.') {
		p++;
		c->prec_star = evtext_field(&p);
	}
	for (i = 0; i < sizeof evtext_lens / sizeof evtext_lens[0]; i++) {
		n = strlen(evtext_lens[i].text);
		if (strncmp(p, evtext_lens[i].text, n) == 0) {
			c->len = evtext_lens[i].len;
			p += n;
			break;
		}
	}
	if (*p == '\0' || strchr("diouxXeEfFgGaAcsp", *p) == NULL)
		return (NULL);
	c->conv = *p;
	c->end = p;
	return (p + 1);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/* The string conversion c prints for its argument(s) in *ap. */
static int
evtext_one(const struct evtext_conv *c, va_list *ap, char **out)
{
	char spec[64], *w;
	const char *p;
	int r, star;

	/* The spec with each '*' replaced by its int argument. */
	w = spec;
	*w++ = '%';
	for (p = c->start + 1; p <= c->end; p++) {
		if ((size_t)(w - spec) + 16 >= sizeof spec)
			return (-1);
		if (*p == '*') {
			star = va_arg(*ap, int);
			w += snprintf(w, 16, "%d", star);
		} else
			*w++ = *p;
	}
	*w = '\0';
	switch (c->conv) {
	case 'd':
	case 'i':
		if (c->len == LEN_L)
			r = asprintf(out, spec, va_arg(*ap, long));
		else if (c->len == LEN_LL)
			r = asprintf(out, spec, va_arg(*ap, long long));
		else if (c->len == LEN_J)
			r = asprintf(out, spec, va_arg(*ap, intmax_t));
		else if (c->len == LEN_Z)
			r = asprintf(out, spec, va_arg(*ap, ssize_t));
		else if (c->len == LEN_T)
			r = asprintf(out, spec, va_arg(*ap, ptrdiff_t));
		else
			r = asprintf(out, spec, va_arg(*ap, int));
		break;
	case 'o':
	case 'u':
	case 'x':
	case 'X':
		if (c->len == LEN_L)
			r = asprintf(out, spec, va_arg(*ap, unsigned long));
		else if (c->len == LEN_LL)
			r = asprintf(
			    out, spec, va_arg(*ap, unsigned long long));
		else if (c->len == LEN_J)
			r = asprintf(out, spec, va_arg(*ap, uintmax_t));
		else if (c->len == LEN_Z)
			r = asprintf(out, spec, va_arg(*ap, size_t));
		else if (c->len == LEN_T)
			r = asprintf(out, spec, va_arg(*ap, ptrdiff_t));
		else
			r = asprintf(out, spec, va_arg(*ap, unsigned int));
		break;
	case 'c':
		if (c->len != LEN_NONE)
			return (-1);
		r = asprintf(out, spec, va_arg(*ap, int));
		break;
	case 's':
		if (c->len != LEN_NONE)
			return (-1);
		r = asprintf(out, spec, va_arg(*ap, const char *));
		break;
	case 'p':
		r = asprintf(out, spec, va_arg(*ap, void *));
		break;
	default: /* floating point */
		if (c->len == LEN_BIG_L)
			r = asprintf(out, spec, va_arg(*ap, long double));
		else
			r = asprintf(out, spec, va_arg(*ap, double));
		break;
	}
	return (r < 0 ? -1 : 0);
}
#pragma GCC diagnostic pop

void
evtext_free(char **args, size_t n)
{
	size_t i;

	if (args == NULL)
		return;
	for (i = 0; i < n; i++)
		free(args[i]);
	free(args);
}

int
evtext_args(const char *fmt, va_list ap, char ***args, size_t *n, char **cause)
{
	struct evtext_conv c;
	const char *p;
	va_list aq;
	char **v;
	size_t k = 0;

	*args = NULL;
	*n = 0;
	if ((v = calloc(EVTEXT_MAX_ARGS, sizeof *v)) == NULL) {
		cause_set(cause, "out of memory");
		return (-1);
	}
	va_copy(aq, ap);
	for (p = fmt; (p = strchr(p, '%')) != NULL;) {
		if (p[1] == '%') {
			p += 2;
			continue;
		}
		if ((p = evtext_parse(p + 1, &c)) == NULL) {
			cause_set(cause, "a conversion printf does not know");
			goto fail;
		}
		if (c.pos != 0 || k == EVTEXT_MAX_ARGS) {
			cause_set(cause, "%s",
			    c.pos != 0 ? "a positional conversion"
				       : "too many conversions");
			goto fail;
		}
		if (evtext_one(&c, &aq, &v[k]) == -1) {
			cause_set(
			    cause, "conversion %zu cannot be kept", k + 1);
			goto fail;
		}
		k++;
	}
	va_end(aq);
	*args = v;
	*n = k;
	return (0);
fail:
	va_end(aq);
	evtext_free(v, k);
	return (-1);
}

/* Appends s[0..len) to the growing *buf (*used of *size bytes). */
static int
evtext_cat(char **buf, size_t *used, size_t *size, const char *s, size_t len)
{
	char *nb;
	size_t want;

	if (*used + len + 1 > *size) {
		want = (*used + len + 1) * 2;
		if ((nb = realloc(*buf, want)) == NULL)
			return (-1);
		*buf = nb;
		*size = want;
	}
	memcpy(*buf + *used, s, len);
	*used += len;
	(*buf)[*used] = '\0';
	return (0);
}

char *
evtext_render(const char *fmt, const char *const *args, size_t n, char **cause)
{
	struct evtext_conv c;
	const char *p, *q, *arg;
	char *buf = NULL;
	size_t used = 0, size = 0, next = 0, i;

	if (evtext_cat(&buf, &used, &size, "", 0) == -1)
		goto oom;
	for (p = fmt; (q = strchr(p, '%')) != NULL;) {
		if (evtext_cat(&buf, &used, &size, p, (size_t)(q - p)) == -1)
			goto oom;
		if (q[1] == '%') {
			if (evtext_cat(&buf, &used, &size, "%", 1) == -1)
				goto oom;
			p = q + 2;
			continue;
		}
		if ((p = evtext_parse(q + 1, &c)) == NULL) {
			cause_set(cause, "a conversion printf does not know");
			goto fail;
		}
		i = c.pos != 0 ? c.pos - 1 : next++;
		if (i >= n || (arg = args[i]) == NULL) {
			cause_set(
			    cause, "conversion %zu has no argument", i + 1);
			goto fail;
		}
		if (evtext_cat(&buf, &used, &size, arg, strlen(arg)) == -1)
			goto oom;
	}
	if (evtext_cat(&buf, &used, &size, p, strlen(p)) == -1)
		goto oom;
	return (buf);
oom:
	cause_set(cause, "out of memory");
fail:
	free(buf);
	return (NULL);
}

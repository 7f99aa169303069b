/* SPDX-License-Identifier: ISC */
/*
 * mo.c: a GNU gettext .mo catalogue, looked up without libintl (mo.h).
 *
 * The format (GNU gettext manual, "The Format of GNU MO Files"): a magic
 * number in the file's byte order, a revision, N, then two tables of N
 * (length, offset) pairs, the original strings and their translations,
 * each string NUL-terminated. A message with a context is "CTX\004MSGID";
 * with a plural, "MSGID\0PLURAL" (its singular translation is looked up by
 * MSGID). The originals are sorted here, whatever the file's order, and
 * found by binary search. Pure: no I/O.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* needs no config.h */
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "mo.h"

#define MO_MAGIC 0x950412deU
#define MO_MAX_MESSAGES 100000

struct mo_msg {
	const char *id; /* NUL-terminated within data */
	const char *str;
};

struct mo {
	char *data;
	size_t n;
	struct mo_msg *msgs; /* sorted by id */
};

static uint32_t word(const unsigned char *, int);
static int msg_cmp(const void *, const void *);
static const char *mo_find(const struct mo *, const char *);

static uint32_t
word(const unsigned char *p, int swap)
{
	if (swap)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static int
msg_cmp(const void *a, const void *b)
{
	return strcmp(
	    ((const struct mo_msg *)a)->id, ((const struct mo_msg *)b)->id);
}

struct mo *
mo_parse(const void *buf, size_t len, char **cause)
{
	const unsigned char *b = buf;
	struct mo *mo;
	uint32_t n, otab, ttab, l, off;
	size_t i, k;
	int swap;

	if (len < 28) {
		cause_set(cause, "not a .mo catalogue: too short");
		return NULL;
	}
	if (word(b, 0) == MO_MAGIC)
		swap = 0;
	else if (word(b, 1) == MO_MAGIC)
		swap = 1;
	else {
		cause_set(cause, "not a .mo catalogue: bad magic number");
		return NULL;
	}
	if (word(b + 4, swap) >> 16 != 0) {
		cause_set(cause, "a .mo catalogue of an unknown revision");
		return NULL;
	}
	n = word(b + 8, swap);
	otab = word(b + 12, swap);
	ttab = word(b + 16, swap);
	if (n > MO_MAX_MESSAGES || otab > len || ttab > len ||
	    (size_t)n * 8 > len - otab || (size_t)n * 8 > len - ttab) {
		cause_set(cause, "a .mo catalogue out of bounds");
		return NULL;
	}
	if ((mo = calloc(1, sizeof *mo)) == NULL ||
	    (mo->data = malloc(len + 1)) == NULL ||
	    (mo->msgs = calloc(n + 1, sizeof *mo->msgs)) == NULL) {
		mo_free(mo);
		cause_set(cause, "out of memory");
		return NULL;
	}
	memcpy(mo->data, buf, len);
	mo->data[len] = '\0';
	for (i = 0; i < n; i++) {
		for (k = 0; k < 2; k++) {
			l = word(b + (k ? ttab : otab) + i * 8, swap);
			off = word(b + (k ? ttab : otab) + i * 8 + 4, swap);
			/* The string and its NUL lie within the file. */
			if (off > len || l >= len - off || b[off + l] != '\0') {
				mo_free(mo);
				cause_set(cause,
				    "a .mo catalogue with a string out of "
				    "bounds");
				return NULL;
			}
			if (k)
				mo->msgs[i].str = mo->data + off;
			else
				mo->msgs[i].id = mo->data + off;
		}
	}
	mo->n = n;
	qsort(mo->msgs, mo->n, sizeof *mo->msgs, msg_cmp);
	return mo;
}

void
mo_free(struct mo *mo)
{
	if (mo == NULL)
		return;
	free(mo->data);
	free(mo->msgs);
	free(mo);
}

size_t
mo_count(const struct mo *mo)
{
	return mo != NULL ? mo->n : 0;
}

/* The translation of key, or NULL: none, or an empty one (untranslated). */
static const char *
mo_find(const struct mo *mo, const char *key)
{
	struct mo_msg k = { key, NULL }, *m;

	if (mo == NULL || *key == '\0')
		return NULL;
	m = bsearch(&k, mo->msgs, mo->n, sizeof *mo->msgs, msg_cmp);
	if (m == NULL || *m->str == '\0')
		return NULL;
	return m->str;
}

const char *
mo_gettext(const struct mo *mo, const char *msgid)
{
	const char *s = mo_find(mo, msgid);

	return s != NULL ? s : msgid;
}

const char *
mo_pgettext(const struct mo *mo, const char *ctx, const char *msgid)
{
	const char *s;
	char *key;

	if (mo == NULL || asprintf(&key, "%s\004%s", ctx, msgid) == -1)
		return msgid;
	s = mo_find(mo, key);
	free(key);
	return s != NULL ? s : msgid;
}

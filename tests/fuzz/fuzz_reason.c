/* SPDX-License-Identifier: ISC */
/*
 * fuzz_reason.c: libFuzzer target for reading a rejection reason and a
 * rectification note (reason.c).
 *
 * The input up to its first NUL is the reason; what follows, split at line
 * breaks, is a note's field, text, before and after. Aborts when an answer
 * breaks the contract of reason.h: every demand has 1 to REASON_MAX_ALTS
 * alternatives, each a kind in range or a fix in range, with a term and
 * its bytes inside the reason, no two demands with the same alternatives;
 * reason_note_removes_brand answers 0 or 1 with what NUL-terminated, empty
 * when 0. Built with -fsanitize=fuzzer when clang has libFuzzer, else
 * linked with replay.c.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "preflight.h"
#include "reason.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const kw_a[] = { "certificate", "证书" };
static const char *const kw_b[] = { "trademark", "trademark registration",
	"商标" };
static const char *const kw_c[] = { "ce" };
static const char *const types[] = { "other" };
static const struct preflight_kind kinds[] = {
	{ "a", kw_a, nitems(kw_a), types, 1, "a", 0 },
	{ "b", kw_b, nitems(kw_b), types, 1, "b", 2 },
	{ "c", kw_c, nitems(kw_c), types, 1, "c", 1 },
};
static const struct preflight_brand brands[] = { { "Nike", 0 },
	{ "Hello Kitty", 1 } };

/* A kind in range, or a fix in range. */
static int
alt_ok(const struct reason_alt *a)
{
	if (a->kind == -1)
		return ((unsigned)a->fix < REASON_FIX_COUNT &&
		    reason_fix_describe(a->fix) != NULL);
	return (a->kind >= 0 && (size_t)a->kind < nitems(kinds));
}

static int
same(const struct reason_demand *x, const struct reason_demand *y)
{
	size_t i, j;

	if (x->nalts != y->nalts || x->open != y->open)
		return (0);
	for (i = 0; i < x->nalts; i++) {
		for (j = 0; j < y->nalts; j++) {
			if (x->alts[i].kind == y->alts[j].kind &&
			    (x->alts[i].kind != -1 ||
				x->alts[i].fix == y->alts[j].fix))
				break;
		}
		if (j == y->nalts)
			return (0);
	}
	return (1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reason_demand *d = NULL;
	struct preflight_note note;
	const struct reason_alt *a;
	char *buf, *p, *part[4] = { NULL, NULL, NULL, NULL }, what[64];
	size_t n = 0, i, j, len, k;
	int r;

	if ((buf = malloc(size + 1)) == NULL)
		return (0);
	memcpy(buf, data, size);
	buf[size] = '\0';
	len = strlen(buf);
	if (reason_read(buf, kinds, nitems(kinds), &d, &n) == 0) {
		for (i = 0; i < n; i++) {
			if (d[i].nalts == 0 || d[i].nalts > REASON_MAX_ALTS)
				abort();
			for (j = 0; j < d[i].nalts; j++) {
				a = &d[i].alts[j];
				if (a->term == NULL || a->start >= a->end ||
				    a->end > len)
					abort();
				if (!alt_ok(a))
					abort();
			}
			for (j = 0; j < i; j++) {
				if (same(&d[i], &d[j]))
					abort();
			}
		}
	}
	free(d);
	/* The note: what follows the first NUL, one part a line. */
	if (len < size) {
		p = buf + len + 1;
		for (k = 0; k < nitems(part) && p <= buf + size; k++) {
			part[k] = p;
			p += strcspn(p, "\n");
			if (*p == '\0')
				break;
			*p++ = '\0';
		}
		memset(&note, 0, sizeof note);
		note.field = part[0];
		note.text = part[1];
		note.before = part[2];
		note.after = part[3];
		memset(what, 'x', sizeof what);
		r = reason_note_removes_brand(
		    &note, brands, nitems(brands), what, sizeof what);
		if (r == -1 || r > 1 ||
		    memchr(what, '\0', sizeof what) == NULL ||
		    (r == 0 && what[0] != '\0'))
			abort();
		for (k = 0; k < REASON_FIX_COUNT; k++) {
			r = reason_note_answers(
			    (enum reason_fix)k, &note, brands, nitems(brands));
			if (r != 0 && r != 1)
				abort();
		}
	}
	free(buf);
	return (0);
}

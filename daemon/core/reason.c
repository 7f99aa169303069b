/* SPDX-License-Identifier: ISC */
/*
 * reason.c: reading the platform's rejection reason (reason.h), pure.
 *
 * Text becomes tokens (words, CJK characters, the punctuation that joins or
 * ends phrases); every term of the tables below becomes tokens the same
 * way, and terms match token by token. The connectors, the phrases that
 * name nobody's document, and the rectifications a reason can ask for are
 * const tables here; the kinds of material come from the caller. This file
 * must not read files, the clock or the database, log, or keep state.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "preflight.h"
#include "reason.h"
#include "text.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))
#define RS_LIST(a) (a), nitems(a)

enum rs_class { RS_WORD, RS_CJK, RS_MARK };

/* A token: bytes of buf, and where it came from in the source. */
struct rs_tok {
	size_t off, len;
	size_t from, to;
	enum rs_class cls;
};

struct rs_text {
	char *buf;
	struct rs_tok *t;
	size_t n;
};

/* What a connector does. */
enum rs_join {
	RS_NONE, /* the first phrase of a sentence */
	RS_COMMA,
	RS_AND,
	RS_OR,
	RS_BREAK
};

struct rs_connector {
	const char *term;
	enum rs_join join;
};

/* A rectification: a verb and an object in one phrase ask for it. */
struct rs_fix_row {
	const char *describe;
	const char *field; /* for the suggested note */
	int removal; /* 1: removal verbs only */
	const char *const *objects;
	size_t nobjects;
	const char *const *fields; /* a note on one of these answers */
	size_t nfields;
};

/* A phrase of a sentence, tokens [a, b), and what it asks for. */
struct rs_phrase {
	size_t a, b;
	enum rs_join join; /* the connector before it */
	int explicit_or; /* that connector held "or" itself */
	int words; /* it has words */
	struct reason_alt alt;
	int has_alt;
};

static int rs_put(struct rs_text *, size_t *, size_t *, const void *, size_t);
static int rs_in(uint32_t, const uint32_t (*)[2], size_t);
static int rs_tokenize(const char *, struct rs_text *);
static void rs_text_free(struct rs_text *);
static int
rs_tok_eq(const struct rs_text *, size_t, const struct rs_text *, size_t, int);
static size_t
rs_match(const struct rs_text *, size_t, size_t, const struct rs_text *);
static int
rs_match_term(const struct rs_text *, size_t, size_t, const char *, size_t *);
static int
rs_find(const struct rs_text *, size_t, size_t, const char *, size_t *);
static int rs_find_any(const struct rs_text *, size_t, size_t,
    const char *const *, size_t, size_t *, size_t *);
static int rs_has_words(const struct rs_text *, size_t, size_t);
static int
rs_connector(const struct rs_text *, size_t, size_t *, enum rs_join *, int *);
static int rs_phrase_read(const struct rs_text *, struct rs_phrase *,
    const struct preflight_kind *, size_t);
static int rs_phrase_fix(const struct rs_text *, struct rs_phrase *);
static int rs_phrase_kind(const struct rs_text *, struct rs_phrase *,
    const struct preflight_kind *, size_t);
static int
rs_demand_add(struct reason_demand **, size_t *, const struct reason_demand *);
static int rs_sentence(
    const struct rs_phrase *, size_t, struct reason_demand **, size_t *);
static int rs_has_term(const char *, const char *const *, size_t, int *);
static int
rs_removed(const struct rs_text *, const struct rs_text *, char *, size_t);

/* Han, kana, bopomofo, hangul and their extensions: one word a character. */
static const uint32_t rs_cjk[][2] = {
	{ 0x2e80, 0x2fdf },
	{ 0x3005, 0x3007 },
	{ 0x3040, 0x312f },
	{ 0x3190, 0x31ff },
	{ 0x3400, 0x4dbf },
	{ 0x4e00, 0x9fff },
	{ 0xac00, 0xd7af },
	{ 0xf900, 0xfaff },
	{ 0x20000, 0x3ffff },
};

/* Punctuation and symbols beyond ASCII: they separate words. */
static const uint32_t rs_punct[][2] = {
	{ 0x80, 0xbf },
	{ 0xd7, 0xd7 },
	{ 0xf7, 0xf7 },
	{ 0x2000, 0x2bff },
	{ 0x3000, 0x3004 },
	{ 0x3008, 0x303f },
	{ 0x30fb, 0x30fb },
	{ 0xfe10, 0xfe6f },
	{ 0xff5f, 0xffef },
	{ 0x1f000, 0x1faff },
};

/* Marks that join or end phrases, as tokens; other punctuation separates. */
static const struct {
	uint32_t cp;
	const char *as;
} rs_marks[] = {
	{ '/', "/" },
	{ ',', "," },
	{ ';', ";" },
	{ ':', ":" },
	{ '!', "!" },
	{ '?', "?" },
	{ '&', "&" },
	{ '+', "+" },
	{ '\n', "." },
	{ 0x3001, "、" },
	{ 0x3002, "." },
};

static const struct rs_connector rs_connectors[] = {
	{ "or", RS_OR },
	{ "/", RS_OR },
	{ "或", RS_OR },
	{ "或者", RS_OR },
	{ "and", RS_AND },
	{ "&", RS_AND },
	{ "+", RS_AND },
	{ "as well as", RS_AND },
	{ "also", RS_AND },
	{ "和", RS_AND },
	{ "及", RS_AND },
	{ "以及", RS_AND },
	{ "与", RS_AND },
	{ "并", RS_AND },
	{ "并且", RS_AND },
	{ "同时", RS_AND },
	{ "、", RS_AND },
	{ ",", RS_COMMA },
	{ ".", RS_BREAK },
	{ ";", RS_BREAK },
	{ ":", RS_BREAK },
	{ "!", RS_BREAK },
	{ "?", RS_BREAK },
};

/* Terms that hold a kind's keyword but ask for no document. */
static const char *const rs_neutral[] = {
	"trademark owner",
	"trademark holder",
	"trademark right",
	"trademark rights holder",
	"trademark infringement",
	"infringe the trademark",
	"infringes the trademark",
	"infringing the trademark",
	"without authorization",
	"without authorisation",
	"without a license",
	"without license",
	"商标持有人",
	"商标所有人",
	"商标权利人",
	"商标权人",
	"商标权",
	"商标侵权",
	"侵犯商标",
	"未经授权",
	"未授权",
};

/* Verbs that ask for something to go, and those that ask for a change. */
static const char *const rs_removal_verbs[] = {
	"remove",
	"removed",
	"removing",
	"delete",
	"deleted",
	"deleting",
	"erase",
	"take off",
	"take down",
	"删除",
	"删掉",
	"去除",
	"去掉",
	"移除",
};
static const char *const rs_change_verbs[] = {
	"modify",
	"modified",
	"change",
	"changed",
	"edit",
	"edited",
	"correct",
	"corrected",
	"revise",
	"revised",
	"update",
	"updated",
	"rewrite",
	"replace",
	"replaced",
	"adjust",
	"修改",
	"更改",
	"更正",
	"调整",
	"替换",
	"更换",
	"优化",
};

static const char *const rs_obj_brand[] = { "brand", "brand name", "logo",
	"trademark", "品牌", "商标", "标志", "标识" };
static const char *const rs_obj_words[] = { "prohibited word", "banned word",
	"forbidden word", "sensitive word", "absolute term", "absolute word",
	"extreme word", "禁用词", "违禁词", "敏感词", "极限词", "绝对化用语" };
static const char *const rs_obj_title[] = { "title", "标题" };
static const char *const rs_obj_image[] = { "image", "picture", "photo",
	"watermark", "video", "图片", "主图", "照片", "水印", "视频" };
static const char *const rs_obj_description[] = { "description", "detail page",
	"details", "attribute", "详情", "描述", "属性" };
static const char *const rs_field_words[] = { "title", "description", "detail",
	"标题", "详情", "描述" };

/* Where a brand can be removed from. */
static const char *const rs_brand_fields[] = { "title", "image", "picture",
	"photo", "video", "description", "detail", "标题", "图片", "主图",
	"照片", "视频", "详情", "描述" };

/* In order: the first row whose verb and object a phrase holds. */
static const struct rs_fix_row rs_fixes[] = {
	[REASON_FIX_BRAND] = { "the brand removed", "title", 1,
	    RS_LIST(rs_obj_brand), NULL, 0 },
	[REASON_FIX_WORDS] = { "the banned words removed", "title", 0,
	    RS_LIST(rs_obj_words), RS_LIST(rs_field_words) },
	[REASON_FIX_TITLE] = { "a change to the title", "title", 0,
	    RS_LIST(rs_obj_title), RS_LIST(rs_obj_title) },
	[REASON_FIX_IMAGE] = { "a change to the images", "image", 0,
	    RS_LIST(rs_obj_image), RS_LIST(rs_obj_image) },
	[REASON_FIX_DESCRIPTION] = { "a change to the description",
	    "description", 0, RS_LIST(rs_obj_description),
	    RS_LIST(rs_obj_description) },
};
_Static_assert(nitems(rs_fixes) == REASON_FIX_COUNT, "one row per fix");

const char *
reason_fix_describe(enum reason_fix fix)
{
	if ((unsigned)fix >= REASON_FIX_COUNT)
		return (NULL);
	return (rs_fixes[fix].describe);
}

const char *
reason_fix_field(enum reason_fix fix)
{
	if ((unsigned)fix >= REASON_FIX_COUNT)
		return (NULL);
	return (rs_fixes[fix].field);
}

static int
rs_in(uint32_t c, const uint32_t (*r)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (c >= r[i][0] && c <= r[i][1])
			return (1);
	}
	return (0);
}

/* Appends n bytes to t->buf at *o, growing it (*cap); 0, or -1 (memory). */
static int
rs_put(struct rs_text *t, size_t *o, size_t *cap, const void *p, size_t n)
{
	char *nb;
	size_t want = *o + n + 1;

	if (want > *cap) {
		if (want < *cap * 2)
			want = *cap * 2;
		if ((nb = realloc(t->buf, want)) == NULL)
			return (-1);
		t->buf = nb;
		*cap = want;
	}
	memcpy(t->buf + *o, p, n);
	*o += n;
	return (0);
}

/*
 * Tokens of s, on folded text (text_fold: NFKC, case folding, marks
 * stripped, so "ＯＲ" and "Or" are "or" and "𝐋𝐨𝐠𝐨" is "logo"): runs of
 * letters and digits, single CJK characters, and the marks of rs_marks
 * ("." only before white space or the end, so that "No.1" stays one thing).
 * Returns 0, or -1 (memory).
 */
static int
rs_tokenize(const char *s, struct rs_text *t)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s), i, n, k, j, nf, o = 0, cap = len + 16;
	struct rs_tok *cur = NULL;
	const char *mark;
	uint32_t c, f[TEXT_FOLD_MAX];
	uint8_t enc[6];
	int el;

	memset(t, 0, sizeof *t);
	t->buf = malloc(cap);
	t->t = calloc(len + 1, sizeof *t->t);
	if (t->buf == NULL || t->t == NULL)
		goto fail;
	for (i = 0; i < len; i += n) {
		if ((n = text_decode(u + i, len - i, &c, NULL)) == 0)
			n = 1;
		if ((nf = text_fold(c, f)) == 0)
			continue; /* a mark stripped: the word goes on */
		c = f[0];
		mark = NULL;
		for (k = 0; nf == 1 && k < nitems(rs_marks); k++) {
			if (rs_marks[k].cp == c)
				mark = rs_marks[k].as;
		}
		if (c == '.' &&
		    (i + n == len || u[i + n] == ' ' || u[i + n] == '\t' ||
			u[i + n] == '\n'))
			mark = ".";
		if (mark != NULL || (nf == 1 && rs_in(c, RS_LIST(rs_cjk)))) {
			cur = &t->t[t->n++];
			cur->off = o;
			cur->from = i;
			cur->to = i + n;
			cur->cls = mark != NULL ? RS_MARK : RS_CJK;
			if (mark != NULL) {
				if (rs_put(t, &o, &cap, mark, strlen(mark)) ==
				    -1)
					goto fail;
			} else if ((el = u8_uctomb(enc, c, sizeof enc)) <= 0 ||
			    rs_put(t, &o, &cap, enc, (size_t)el) == -1)
				goto fail;
			cur->len = o - cur->off;
			cur = NULL;
			continue;
		}
		if (c < 0x80
			? !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
			: (c == 0xfffd || c <= 0xa0 ||
			      rs_in(c, RS_LIST(rs_punct)))) {
			cur = NULL;
			continue;
		}
		if (cur == NULL) {
			cur = &t->t[t->n++];
			cur->off = o;
			cur->len = 0;
			cur->from = i;
			cur->cls = RS_WORD;
		}
		for (j = 0; j < nf; j++) {
			if ((el = u8_uctomb(enc, f[j], sizeof enc)) <= 0 ||
			    rs_put(t, &o, &cap, enc, (size_t)el) == -1)
				goto fail;
		}
		cur->len = o - cur->off;
		cur->to = i + n;
	}
	t->buf[o] = '\0';
	return (0);
fail:
	rs_text_free(t);
	return (-1);
}

static void
rs_text_free(struct rs_text *t)
{
	free(t->buf);
	free(t->t);
	memset(t, 0, sizeof *t);
}

/* Token i of a equals token j of b; with plural, a may add "s" or "es". */
static int
rs_tok_eq(const struct rs_text *a, size_t i, const struct rs_text *b, size_t j,
    int plural)
{
	const struct rs_tok *x = &a->t[i], *y = &b->t[j];
	const char *p = a->buf + x->off, *q = b->buf + y->off;

	if (x->cls != y->cls || x->len < y->len || memcmp(p, q, y->len) != 0)
		return (0);
	if (x->len == y->len)
		return (1);
	if (!plural || x->cls != RS_WORD)
		return (0);
	return ((x->len == y->len + 1 && p[y->len] == 's') ||
	    (x->len == y->len + 2 && p[y->len] == 'e' && p[y->len + 1] == 's'));
}

/* Tokens of needle found at token at of hay, before end: how many, or 0. */
static size_t
rs_match(const struct rs_text *hay, size_t at, size_t end,
    const struct rs_text *needle)
{
	size_t j;

	if (needle->n == 0 || at + needle->n > end)
		return (0);
	for (j = 0; j < needle->n; j++) {
		if (!rs_tok_eq(hay, at + j, needle, j, j + 1 == needle->n))
			return (0);
	}
	return (needle->n);
}

/* rs_match of a term given as text: 0 with *m set, or -1 (memory). */
static int
rs_match_term(const struct rs_text *hay, size_t at, size_t end,
    const char *term, size_t *m)
{
	struct rs_text needle;

	if (rs_tokenize(term, &needle) == -1)
		return (-1);
	*m = rs_match(hay, at, end, &needle);
	rs_text_free(&needle);
	return (0);
}

/* term in hay's tokens [a, b): 1 with *at, 0, or -1 (memory). */
static int
rs_find(
    const struct rs_text *hay, size_t a, size_t b, const char *term, size_t *at)
{
	struct rs_text needle;
	size_t i;
	int found = 0;

	if (rs_tokenize(term, &needle) == -1)
		return (-1);
	for (i = a; i < b && !found; i++) {
		if (rs_match(hay, i, b, &needle) > 0) {
			*at = i;
			found = 1;
		}
	}
	rs_text_free(&needle);
	return (found);
}

/* The first of terms[0..n) found in [a, b): 1 with *which, *at; 0; -1. */
static int
rs_find_any(const struct rs_text *hay, size_t a, size_t b,
    const char *const *terms, size_t n, size_t *which, size_t *at)
{
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		if ((r = rs_find(hay, a, b, terms[i], at)) != 0) {
			*which = i;
			return (r);
		}
	}
	return (0);
}

static int
rs_has_words(const struct rs_text *t, size_t a, size_t b)
{
	for (; a < b; a++) {
		if (t->t[a].cls != RS_MARK)
			return (1);
	}
	return (0);
}

/*
 * The longest connector at token i: its length (0: none), what it does,
 * and whether it is "or" itself. -1 if memory ran out.
 */
static int
rs_connector(const struct rs_text *t, size_t i, size_t *len, enum rs_join *join,
    int *is_or)
{
	size_t k, m;

	*len = 0;
	for (k = 0; k < nitems(rs_connectors); k++) {
		if (rs_match_term(t, i, t->n, rs_connectors[k].term, &m) == -1)
			return (-1);
		if (m > *len) {
			*len = m;
			*join = rs_connectors[k].join;
			*is_or = rs_connectors[k].join == RS_OR;
		}
	}
	return (0);
}

/* A verb and an object of one fix row in the phrase: 1, 0 or -1. */
static int
rs_phrase_fix(const struct rs_text *t, struct rs_phrase *p)
{
	size_t f, w, at, obj;
	int r;

	for (f = 0; f < nitems(rs_fixes); f++) {
		r = rs_find_any(
		    t, p->a, p->b, RS_LIST(rs_removal_verbs), &w, &at);
		if (r == 0 && !rs_fixes[f].removal)
			r = rs_find_any(
			    t, p->a, p->b, RS_LIST(rs_change_verbs), &w, &at);
		if (r == -1)
			return (-1);
		if (r == 0)
			continue;
		r = rs_find_any(t, p->a, p->b, rs_fixes[f].objects,
		    rs_fixes[f].nobjects, &obj, &at);
		if (r == -1)
			return (-1);
		if (r == 0)
			continue;
		p->alt.kind = -1;
		p->alt.fix = (enum reason_fix)f;
		p->alt.term = rs_fixes[f].objects[obj];
		p->alt.start = t->t[at].from;
		p->alt.end = t->t[at].to;
		p->has_alt = 1;
		return (1);
	}
	return (0);
}

/*
 * The kind the phrase asks for: longest terms first, neutral ones asking
 * for nothing; of the kinds found the most specific, the last among equals.
 */
static int
rs_phrase_kind(const struct rs_text *t, struct rs_phrase *p,
    const struct preflight_kind *kinds, size_t nkinds)
{
	size_t i, k, j, m, best, bk = 0, bj = 0;
	int neutral, have = 0;

	for (i = p->a; i < p->b;) {
		best = 0;
		neutral = 0;
		for (k = 0; k < nitems(rs_neutral); k++) {
			if (rs_match_term(t, i, p->b, rs_neutral[k], &m) == -1)
				return (-1);
			if (m > best) {
				best = m;
				neutral = 1;
			}
		}
		for (k = 0; k < nkinds; k++) {
			for (j = 0; j < kinds[k].nkeywords; j++) {
				if (rs_match_term(t, i, p->b,
					kinds[k].keywords[j], &m) == -1)
					return (-1);
				if (m > best) {
					best = m;
					neutral = 0;
					bk = k;
					bj = j;
				}
			}
		}
		if (best == 0) {
			i++;
			continue;
		}
		/* The most specific; the last of equals, the first of one. */
		if (!neutral &&
		    (!have ||
			kinds[bk].specificity >
			    kinds[p->alt.kind].specificity ||
			(kinds[bk].specificity ==
				kinds[p->alt.kind].specificity &&
			    (int)bk != p->alt.kind))) {
			p->alt.kind = (int)bk;
			p->alt.term = kinds[bk].keywords[bj];
			p->alt.start = t->t[i].from;
			p->alt.end = t->t[i + best - 1].to;
			have = 1;
		}
		i += best;
	}
	p->has_alt = have;
	return (0);
}

static int
rs_phrase_read(const struct rs_text *t, struct rs_phrase *p,
    const struct preflight_kind *kinds, size_t nkinds)
{
	int r;

	p->words = rs_has_words(t, p->a, p->b);
	if (!p->words)
		return (0);
	if ((r = rs_phrase_fix(t, p)) != 0)
		return (r == -1 ? -1 : 0);
	return (rs_phrase_kind(t, p, kinds, nkinds));
}

static int
rs_alt_eq(const struct reason_alt *a, const struct reason_alt *b)
{
	return (a->kind == b->kind && (a->kind != -1 || a->fix == b->fix));
}

/* Adds d unless the same set of alternatives is there. 0, or -1. */
static int
rs_demand_add(
    struct reason_demand **v, size_t *n, const struct reason_demand *d)
{
	struct reason_demand *nv;
	size_t i, j, k;

	if (d->nalts == 0)
		return (0);
	for (i = 0; i < *n; i++) {
		if ((*v)[i].nalts != d->nalts || (*v)[i].open != d->open)
			continue;
		for (j = 0; j < d->nalts; j++) {
			for (k = 0; k < d->nalts; k++) {
				if (rs_alt_eq(&d->alts[j], &(*v)[i].alts[k]))
					break;
			}
			if (k == d->nalts)
				break;
		}
		if (j == d->nalts)
			return (0);
	}
	if ((nv = reallocarray(*v, *n + 1, sizeof **v)) == NULL)
		return (-1);
	*v = nv;
	nv[(*n)++] = *d;
	return (0);
}

/* One sentence's phrases into demands. 0, or -1 (memory). */
static int
rs_sentence(
    const struct rs_phrase *ph, size_t nph, struct reason_demand **v, size_t *n)
{
	struct reason_demand d;
	enum rs_join join;
	size_t i, k, j;
	int or_next, or_prev;

	memset(&d, 0, sizeof d);
	for (i = 0; i < nph; i++) {
		join = ph[i].join;
		/* A comma joins as the next connector does, else as "and". */
		for (k = i + 1; join == RS_COMMA && k < nph; k++) {
			if (ph[k].join != RS_COMMA)
				join = ph[k].join;
		}
		if (join != RS_OR) {
			if (rs_demand_add(v, n, &d) == -1)
				return (-1);
			memset(&d, 0, sizeof d);
		}
		if (!ph[i].has_alt) {
			/* Not understood: only an explicit alternative counts. */
			or_prev = ph[i].explicit_or;
			or_next = i + 1 < nph && ph[i + 1].explicit_or;
			if (ph[i].words && (or_prev || or_next))
				d.open = 1;
			continue;
		}
		for (j = 0; j < d.nalts; j++) {
			if (rs_alt_eq(&d.alts[j], &ph[i].alt))
				break;
		}
		if (j == d.nalts && d.nalts < REASON_MAX_ALTS)
			d.alts[d.nalts++] = ph[i].alt;
	}
	return (rs_demand_add(v, n, &d));
}

int
reason_read(const char *text, const struct preflight_kind *kinds, size_t nkinds,
    struct reason_demand **out, size_t *nout)
{
	struct rs_text t;
	struct rs_phrase *ph = NULL;
	enum rs_join join = RS_NONE, cj = RS_NONE;
	size_t i, len, nph = 0, start = 0;
	int is_or = 0, explicit_or = 0, rc = -1;

	*out = NULL;
	*nout = 0;
	if (text == NULL)
		return (0);
	if (rs_tokenize(text, &t) == -1)
		return (-1);
	if ((ph = calloc(t.n + 1, sizeof *ph)) == NULL)
		goto out;
	for (i = 0; i <= t.n;) {
		len = 0;
		if (i < t.n && rs_connector(&t, i, &len, &cj, &is_or) == -1)
			goto out;
		if (i < t.n && len == 0) {
			i++;
			continue;
		}
		/* The phrase before this connector (or the end). */
		if (i > start) {
			ph[nph].a = start;
			ph[nph].b = i;
			ph[nph].join = join;
			ph[nph].explicit_or = explicit_or;
			if (rs_phrase_read(&t, &ph[nph], kinds, nkinds) == -1)
				goto out;
			nph++;
			join = RS_NONE;
			explicit_or = 0;
		}
		if (i == t.n || cj == RS_BREAK) {
			if (rs_sentence(ph, nph, out, nout) == -1)
				goto out;
			nph = 0;
			join = RS_NONE;
			explicit_or = 0;
			if (i == t.n)
				break;
		} else if (nph > 0) {
			/* A run of connectors: "or" beats "and" beats ",". */
			if (cj == RS_OR || join == RS_NONE ||
			    (cj == RS_AND && join == RS_COMMA))
				join = cj;
			explicit_or |= is_or;
		}
		i += len;
		start = i;
	}
	rc = 0;
out:
	if (rc == -1) {
		free(*out);
		*out = NULL;
		*nout = 0;
	}
	free(ph);
	rs_text_free(&t);
	return (rc);
}

/* Whether text holds one of terms; -1 in *err if memory ran out. */
static int
rs_has_term(const char *text, const char *const *terms, size_t n, int *err)
{
	struct rs_text t;
	size_t w, at;
	int r;

	if (text == NULL)
		return (0);
	if (rs_tokenize(text, &t) == -1) {
		*err = 1;
		return (0);
	}
	r = rs_find_any(&t, 0, t.n, terms, n, &w, &at);
	rs_text_free(&t);
	if (r == -1)
		*err = 1;
	return (r == 1);
}

/* The words of before not in after, into what: 1 if any, else 0. */
static int
rs_removed(const struct rs_text *before, const struct rs_text *after,
    char *what, size_t size)
{
	const struct rs_tok *x;
	size_t i, j, o = 0, words = 0;

	if (what != NULL && size > 0)
		what[0] = '\0';
	for (i = 0; i < before->n; i++) {
		x = &before->t[i];
		if (x->cls == RS_MARK)
			continue;
		for (j = 0; j < after->n; j++) {
			if (after->t[j].len == x->len &&
			    memcmp(after->buf + after->t[j].off,
				before->buf + x->off, x->len) == 0)
				break;
		}
		if (j < after->n)
			continue;
		if (what != NULL && words < 4 && o + x->len + 2 < size) {
			if (o > 0 && x->cls == RS_WORD)
				what[o++] = ' ';
			memcpy(what + o, before->buf + x->off, x->len);
			o += x->len;
			what[o] = '\0';
		}
		words++;
	}
	return (words > 0);
}

int
reason_note_removes_brand(const struct preflight_note *note,
    const struct preflight_brand *brands, size_t nbrands, char *what,
    size_t size)
{
	struct rs_text before, after;
	size_t i, at;
	int err = 0, r, found = 0, speaks;

	if (what != NULL && size > 0)
		what[0] = '\0';
	if (note->field == NULL || note->before == NULL || note->after == NULL)
		return (0);
	if (!rs_has_term(note->field, RS_LIST(rs_brand_fields), &err))
		return (err ? -1 : 0);
	if (rs_tokenize(note->before, &before) == -1)
		return (-1);
	if (rs_tokenize(note->after, &after) == -1) {
		rs_text_free(&before);
		return (-1);
	}
	for (i = 0; i < nbrands && !found; i++) {
		r = rs_find(&before, 0, before.n, brands[i].name, &at);
		if (r == 1 &&
		    (r = rs_find(&after, 0, after.n, brands[i].name, &at)) !=
			-1)
			r = !r;
		if (r == -1) {
			err = 1;
			break;
		}
		if (r == 1) {
			found = 1;
			if (what != NULL)
				snprintf(what, size, "%s", brands[i].name);
		}
	}
	if (!found && !err) {
		speaks = rs_has_term(note->text, RS_LIST(rs_obj_brand), &err) ||
		    rs_has_term(note->field, RS_LIST(rs_obj_brand), &err) ||
		    rs_has_term(note->before, RS_LIST(rs_obj_brand), &err);
		if (speaks && !err)
			found = rs_removed(&before, &after, what, size);
	}
	rs_text_free(&before);
	rs_text_free(&after);
	return (err ? -1 : found);
}

int
reason_note_answers(enum reason_fix fix, const struct preflight_note *note,
    const struct preflight_brand *brands, size_t nbrands)
{
	int err = 0, r;

	if ((unsigned)fix >= REASON_FIX_COUNT)
		return (0);
	if (fix == REASON_FIX_BRAND)
		return (
		    reason_note_removes_brand(note, brands, nbrands, NULL, 0));
	r = rs_has_term(
	    note->field, rs_fixes[fix].fields, rs_fixes[fix].nfields, &err);
	return (err ? -1 : r);
}

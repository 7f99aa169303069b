/* SPDX-License-Identifier: ISC */
/*
 * text.c: UTF-8 text (text.h), the one copy of each rule: validation,
 * decoding, display width, scrubbing, folding for matching.
 *
 * Validation and widths lean on libunistring (u8_check, u8_strwidth,
 * uc_width); folding is libunistring's full case folding and compatibility
 * normalization, one character at a time, so that a caller mapping folded
 * text back to its source knows which source character each folded one
 * came from. The decoder is ours because people are told why a byte is bad.
 */

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>
#include <uniwidth.h>

#include "text.h"

size_t
text_decode(const unsigned char *s, size_t len, uint32_t *cp, const char **why)
{
	const char *bad = NULL;
	uint32_t v, min;
	size_t n, i;

	*cp = 0xfffd;
	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if (s[0] < 0xc0)
		bad = "unexpected continuation byte";
	else if (s[0] < 0xc2)
		bad = "overlong encoding";
	else if (s[0] >= 0xf8)
		bad = "invalid byte";
	else if (s[0] >= 0xf5)
		bad = "beyond U+10FFFF";
	if (bad != NULL) {
		if (why != NULL)
			*why = bad;
		return (0);
	}
	if (s[0] < 0xe0) {
		n = 2;
		v = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] < 0xf0) {
		n = 3;
		v = s[0] & 0x0f;
		min = 0x800;
	} else {
		n = 4;
		v = s[0] & 0x07;
		min = 0x10000;
	}
	for (i = 1; i < n; i++) {
		if (i >= len || (s[i] & 0xc0) != 0x80) {
			if (why != NULL)
				*why = "truncated sequence";
			return (0);
		}
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min)
		bad = "overlong encoding";
	else if (v >= 0xd800 && v <= 0xdfff)
		bad = "surrogate";
	else if (v > 0x10ffff)
		bad = "beyond U+10FFFF";
	if (bad != NULL) {
		if (why != NULL)
			*why = bad;
		*cp = 0xfffd;
		return (0);
	}
	*cp = v;
	return (n);
}

int
text_utf8_check(const char *s, size_t len, size_t *off, const char **why)
{
	const uint8_t *bad;
	const char *nul, *reason = "NUL byte";
	size_t at;
	uint32_t c;

	bad = u8_check((const uint8_t *)s, len);
	nul = memchr(s, '\0', len);
	if (bad == NULL && nul == NULL)
		return (0);
	at = bad != NULL ? (size_t)((const char *)bad - s) : len;
	if (nul != NULL && (size_t)(nul - s) < at)
		at = (size_t)(nul - s);
	else
		text_decode(
		    (const unsigned char *)s + at, len - at, &c, &reason);
	if (off != NULL)
		*off = at;
	if (why != NULL)
		*why = reason;
	return (-1);
}

const char *
text_cut(const char *s, char buf[TEXT_CUT_SIZE])
{
	size_t off = 0, n, i;
	uint32_t c;

	for (i = 0; i < TEXT_CUT_CHARS; i++) {
		if (s[off] == '\0')
			return (s);
		n = text_decode((const unsigned char *)s + off,
		    strnlen(s + off, 4), &c, NULL);
		off += n == 0 ? 1 : n;
	}
	if (s[off] == '\0')
		return (s);
	memcpy(buf, s, off);
	memcpy(buf + off, "\xe2\x80\xa6", 4);
	return (buf);
}

void
text_scrub(char *s)
{
	size_t len = strlen(s), off;

	while (text_utf8_check(s, len, &off, NULL) == -1) {
		s[off] = '?';
		s += off + 1;
		len -= off + 1;
	}
}

size_t
text_char(const char *p, size_t *w)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n;
	uint32_t c;
	int cw;

	*w = 0;
	if (*u == '\0')
		return (0);
	if ((n = text_decode(u, strnlen(p, 4), &c, NULL)) == 0) {
		*w = 1;
		return (1);
	}
	cw = uc_width(c, "UTF-8");
	*w = cw < 0 ? 1 : (size_t)cw;
	return (n);
}

size_t
text_width(const char *s)
{
	return (text_width_n(s, strlen(s)));
}

size_t
text_width_n(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t w = 0, i, n;
	uint32_t c;
	int cw;

	if (u8_check(u, len) == NULL && memchr(s, '\0', len) == NULL)
		return ((size_t)u8_width(u, len, "UTF-8"));
	for (i = 0; i < len; i += n) {
		if ((n = text_decode(u + i, len - i, &c, NULL)) == 0) {
			n = 1;
			w++;
			continue;
		}
		cw = uc_width(c, "UTF-8");
		w += cw < 0 ? 1 : (size_t)cw;
	}
	return (w);
}

size_t
text_fold(uint32_t c, uint32_t out[TEXT_FOLD_MAX])
{
	uint32_t buf1[TEXT_FOLD_MAX], buf2[TEXT_FOLD_MAX];
	uint32_t *kd, *cf;
	size_t nkd = TEXT_FOLD_MAX, ncf = TEXT_FOLD_MAX, i, n = 0;

	if (c < 0x80) {
		out[0] = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
		return (1);
	}
	/* NFKD first, so that "𝐁" is a "B" when it is case folded. */
	kd = u32_normalize(UNINORM_NFKD, &c, 1, buf1, &nkd);
	if (kd == NULL) {
		out[0] = c;
		return (1);
	}
	cf = u32_casefold(kd, nkd, NULL, UNINORM_NFKD, buf2, &ncf);
	if (kd != buf1)
		free(kd);
	if (cf == NULL) {
		out[0] = c;
		return (1);
	}
	for (i = 0; i < ncf && n < TEXT_FOLD_MAX; i++) {
		if (!uc_is_general_category(cf[i], UC_CATEGORY_M))
			out[n++] = cf[i];
	}
	if (cf != buf2)
		free(cf);
	/* Hangul syllables come back together (NFKD took them apart). */
	if (n > 1) {
		ncf = TEXT_FOLD_MAX;
		cf = u32_normalize(UNINORM_NFC, out, n, buf2, &ncf);
		if (cf != NULL && ncf <= TEXT_FOLD_MAX) {
			memcpy(out, cf, ncf * sizeof *out);
			n = ncf;
		}
		if (cf != NULL && cf != buf2)
			free(cf);
	}
	return (n);
}

void
text_hex(const void *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 0xf];
	}
	out[2 * n] = '\0';
}

char *
text_cut_width(const char *s, size_t cols)
{
	const char *p = s;
	size_t used = 0, n, w, keep = 0;
	char *out;

	if (text_width(s) <= cols)
		return (strdup(s));
	if (cols == 0)
		return (strdup(""));
	/* Room for "…" (one column) after what is kept. */
	while ((n = text_char(p, &w)) != 0) {
		if (used + w > cols - 1)
			break;
		used += w;
		p += n;
		keep = (size_t)(p - s);
	}
	if ((out = malloc(keep + sizeof "\u2026")) == NULL)
		return (NULL);
	memcpy(out, s, keep);
	memcpy(out + keep, "\u2026", sizeof "\u2026");
	return (out);
}

char *
text_from_gb18030(const char *s, size_t len, size_t *off)
{
	iconv_t cd;
	char *in = (char *)s, *out, *o;
	size_t inleft = len, outleft, cap;

	*off = 0;
	/* A GB18030 character (1, 2 or 4 bytes) is at most 4 UTF-8 bytes. */
	cap = len * 2 + 1;
	if ((cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		return (NULL);
	if ((out = malloc(cap)) == NULL) {
		iconv_close(cd);
		return (NULL);
	}
	o = out;
	outleft = cap - 1;
	if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
		*off = (size_t)(in - s);
		iconv_close(cd);
		free(out);
		return (NULL);
	}
	iconv_close(cd);
	*o = '\0';
	if (memchr(out, '\0', (size_t)(o - out)) != NULL) {
		*off = strlen(out);
		free(out);
		return (NULL);
	}
	return (out);
}

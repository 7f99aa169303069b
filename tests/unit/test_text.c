/* SPDX-License-Identifier: ISC */
/*
 * test_text.c: unit tests of text.c, the tree's one UTF-8 module:
 * validation with the reason, scrubbing, display widths, folding for
 * matching (NFKC, case folding, marks stripped).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* s folded character by character, as UTF-8 into buf. */
static const char *
fold(const char *s, char *buf, size_t size)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, out[TEXT_FOLD_MAX];
	size_t len = strlen(s), i, n, k, j, o = 0;

	for (i = 0; i < len; i += n) {
		n = text_decode(u + i, len - i, &c, NULL);
		assert_true(n > 0);
		k = text_fold(c, out);
		for (j = 0; j < k; j++) {
			assert_true(out[j] < 0x80 || out[j] >= 0x3000);
			if (out[j] < 0x80)
				buf[o++] = (char)out[j];
			else
				o += (size_t)snprintf(buf + o, size - o,
				    "<%04X>", (unsigned)out[j]);
		}
	}
	buf[o] = '\0';
	return (buf);
}

static void
test_fold(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "\xf0\x9d\x90\x81\xf0\x9d\x90\x84\xf0\x9d\x90\x92\xf0\x9d\x90"
		  "\x93",
		    "best" }, /* 𝐁𝐄𝐒𝐓 */
		{ "\xe2\x93\x91\xe2\x93\x94\xe2\x93\xa2\xe2\x93\xa3", "best" },
		{ "B\xc3\xa9st", "best" }, /* Bést */
		{ "Be\xcc\x81st", "best" }, /* B e U+0301 s t */
		{ "\xef\xbc\xa2\xef\xbc\xa5\xef\xbc\xb3\xef\xbc\xb4", "best" },
		{ "Stra\xc3\x9f"
		  "e",
		    "strasse" },
		{ "\xef\xac\x81ne", "fine" }, /* ﬁne */
		{ "No.1 100%", "no.1 100%" },
		{ "\xe6\x9c\x80\xe5\xa5\xbd", "<6700><597D>" }, /* 最好 */
		{ "\xed\x95\x9c", "<D55C>" }, /* 한 stays whole */
	};
	char buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(rows); i++)
		assert_string_equal(
		    fold(rows[i].in, buf, sizeof buf), rows[i].out);
}

static void
test_utf8_check(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		int ok;
		size_t off;
		const char *why;
	} rows[] = {
		{ "plain", 5, 1, 0, NULL },
		{ "\xe6\x9c\x80\xe5\xa5\xbd", 6, 1, 0, NULL },
		{ "ab\xc0\x80", 4, 0, 2, "overlong encoding" },
		{ "ab\0c", 4, 0, 2, "NUL byte" },
		{ "\xed\xa0\x80", 3, 0, 0, "surrogate" },
		{ "x\xf4\x90\x80\x80", 5, 0, 1, "beyond U+10FFFF" },
		{ "xy\xe6\x9c", 4, 0, 2, "truncated sequence" },
		{ "\x80", 1, 0, 0, "unexpected continuation byte" },
		{ "ab\xff", 3, 0, 2, "invalid byte" },
	};
	const char *why;
	size_t i, off;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		why = NULL;
		off = 99;
		assert_int_equal(
		    text_utf8_check(rows[i].s, rows[i].len, &off, &why),
		    rows[i].ok ? 0 : -1);
		if (rows[i].ok)
			continue;
		assert_int_equal(off, rows[i].off);
		assert_string_equal(why, rows[i].why);
	}
	assert_int_equal(text_utf8_check("", 0, NULL, NULL), 0);
}

/* A value quoted in a message: 64 characters at most, then "…". */
static void
test_cut(void **state)
{
	char buf[TEXT_CUT_SIZE], in[400];
	const char *out;

	(void)state;
	assert_string_equal(text_cut("short", buf), "short");
	memset(in, 'x', 64);
	in[64] = '\0';
	assert_ptr_equal(text_cut(in, buf), in);
	memset(in, 'x', 300);
	in[300] = '\0';
	out = text_cut(in, buf);
	assert_int_equal(strlen(out), 64 + 3);
	assert_string_equal(out + 64, "\xe2\x80\xa6");
	/* Never half a character: 65 "é" cut after the 64th whole one. */
	in[0] = '\0';
	for (int i = 0; i < 65; i++)
		strcat(in, "\xc3\xa9");
	out = text_cut(in, buf);
	assert_int_equal(strlen(out), 128 + 3);
	assert_int_equal(text_utf8_check(out, strlen(out), NULL, NULL), 0);
}

static void
test_scrub_and_width(void **state)
{
	char s[] = "a\xff"
		   "b\xe4\xb8";
	size_t w;

	(void)state;
	text_scrub(s);
	assert_string_equal(s, "a?b??");
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("\xe6\x9c\x80\xe5\xa5\xbd"), 4);
	assert_int_equal(text_width("Be\xcc\x81st"), 4); /* a mark: none */
	assert_int_equal(text_width("a\xff"), 2);
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width_n("\xe6\x9c\x80\xe5\xa5\xbdxyz", 6), 4);
	assert_int_equal(text_width_n("a\xff"
				      "b",
			     3),
	    3);
	assert_int_equal(text_width_n("abc", 0), 0);
	assert_int_equal(text_char("\xe6\x9c\x80x", &w), 3);
	assert_int_equal(w, 2);
	assert_int_equal(text_char("\xff", &w), 1);
	assert_int_equal(w, 1);
	assert_int_equal(text_char("", &w), 0);
}

/* Table columns: cut by display width, an ellipsis at the cut. */
static void
test_cut_width(void **state)
{
	char *s;

	(void)state;
	s = text_cut_width("short", 10);
	assert_string_equal(s, "short");
	free(s);
	s = text_cut_width("abcdefghij", 5);
	assert_string_equal(s, "abcd\u2026");
	assert_int_equal(text_width(s), 5);
	free(s);
	/* Each 中 is two columns: 3 of them and "…" fill 7 of 8. */
	s = text_cut_width("\u4e2d\u4e2d\u4e2d\u4e2d\u4e2d", 8);
	assert_string_equal(s, "\u4e2d\u4e2d\u4e2d\u2026");
	assert_int_equal(text_width(s), 7);
	free(s);
	s = text_cut_width("\u4e2d\u4e2d\u4e2d\u4e2d\u4e2d", 9);
	assert_string_equal(s, "\u4e2d\u4e2d\u4e2d\u4e2d\u2026");
	assert_int_equal(text_width(s), 9);
	free(s);
	s = text_cut_width("abc", 0);
	assert_string_equal(s, "");
	free(s);
}

/* What Chinese Excel saves: GB18030 in, UTF-8 out; the bad byte found. */
static void
test_from_gb18030(void **state)
{
	/* "a,中文" in GB18030: 中 D6 D0, 文 CE C4. */
	static const char gb[] = "a,\xd6\xd0\xce\xc4\n";
	static const char bad[] = "ok\nx\xff\xff";
	size_t off = 99;
	char *s;

	(void)state;
	s = text_from_gb18030(gb, sizeof gb - 1, &off);
	assert_non_null(s);
	assert_string_equal(s, "a,\u4e2d\u6587\n");
	free(s);
	assert_null(text_from_gb18030(bad, sizeof bad - 1, &off));
	assert_int_equal(off, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_utf8_check),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_scrub_and_width),
		cmocka_unit_test(test_cut_width),
		cmocka_unit_test(test_from_gb18030),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

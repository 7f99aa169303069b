/* SPDX-License-Identifier: ISC */
/*
 * test_mo.c: unit tests of mo.c, a .mo catalogue read without libintl.
 *
 * Catalogues are built here byte by byte in both byte orders, their
 * messages in no particular order: plain messages, one with a context
 * ("CTX\004ID"), an empty (untranslated) one. Damaged files are refused.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mo.h"

struct msg {
	const char *id;
	const char *str;
};

static const struct msg msgs[] = {
	{ "list the cases", "列出工单" },
	{ "", "Content-Type: text/plain; charset=UTF-8\n" },
	{ "mail label\004case", "工单" },
	{ "case", "工单（错）" },
	{ "untranslated", "" },
	{ "appeal rejected", "申诉被驳回" },
};
#define NMSGS (sizeof msgs / sizeof msgs[0])

static void
put(unsigned char *p, uint32_t v, int big)
{
	int i;

	for (i = 0; i < 4; i++)
		p[big ? i : 3 - i] = (unsigned char)(v >> (8 * (3 - i)));
}

/* A .mo of msgs, in their (unsorted) order; its length in *len. */
static unsigned char *
build(int big, size_t *len)
{
	size_t n = NMSGS, i, off;
	unsigned char *b;

	*len = 28 + n * 16;
	for (i = 0; i < n; i++)
		*len += strlen(msgs[i].id) + 1 + strlen(msgs[i].str) + 1;
	b = calloc(1, *len);
	assert_non_null(b);
	put(b, 0x950412de, big);
	put(b + 8, (uint32_t)n, big);
	put(b + 12, 28, big);
	put(b + 16, (uint32_t)(28 + n * 8), big);
	off = 28 + n * 16;
	for (i = 0; i < n; i++) {
		put(b + 28 + i * 8, (uint32_t)strlen(msgs[i].id), big);
		put(b + 28 + i * 8 + 4, (uint32_t)off, big);
		memcpy(b + off, msgs[i].id, strlen(msgs[i].id) + 1);
		off += strlen(msgs[i].id) + 1;
		put(b + 28 + n * 8 + i * 8, (uint32_t)strlen(msgs[i].str), big);
		put(b + 28 + n * 8 + i * 8 + 4, (uint32_t)off, big);
		memcpy(b + off, msgs[i].str, strlen(msgs[i].str) + 1);
		off += strlen(msgs[i].str) + 1;
	}
	return b;
}

static void
test_lookups_in_both_byte_orders(void **state)
{
	unsigned char *b;
	struct mo *mo;
	size_t len;
	int big;

	(void)state;
	for (big = 0; big < 2; big++) {
		b = build(big, &len);
		mo = mo_parse(b, len, NULL);
		/* The catalogue keeps its own copy. */
		memset(b, 0, len);
		free(b);
		assert_non_null(mo);
		assert_int_equal(mo_count(mo), NMSGS);
		assert_string_equal(
		    mo_gettext(mo, "list the cases"), "列出工单");
		assert_string_equal(
		    mo_gettext(mo, "appeal rejected"), "申诉被驳回");
		assert_string_equal(
		    mo_pgettext(mo, "mail label", "case"), "工单");
		assert_string_equal(mo_gettext(mo, "case"), "工单（错）");
		/* Untranslated, unknown, or no catalogue: the msgid itself. */
		assert_string_equal(
		    mo_gettext(mo, "untranslated"), "untranslated");
		assert_string_equal(mo_gettext(mo, "no such"), "no such");
		assert_string_equal(mo_pgettext(mo, "other", "case"), "case");
		assert_string_equal(
		    mo_gettext(NULL, "appeal rejected"), "appeal rejected");
		assert_string_equal(mo_gettext(mo, ""), "");
		mo_free(mo);
	}
}

static void
test_damaged_catalogues_are_refused(void **state)
{
	unsigned char *b;
	char *cause = NULL;
	size_t len;

	(void)state;
	b = build(0, &len);
	assert_null(mo_parse(b, 20, &cause));
	assert_non_null(strstr(cause, "too short"));
	free(cause);
	assert_null(mo_parse("hello, this is not a catalogue", 30, &cause));
	assert_non_null(strstr(cause, "bad magic number"));
	free(cause);
	/* Cut in the middle of the strings. */
	assert_null(mo_parse(b, len - 5, &cause));
	assert_non_null(strstr(cause, "out of bounds"));
	free(cause);
	/* A string's length running past the file. */
	put(b + 28, 100000, 0);
	assert_null(mo_parse(b, len, &cause));
	assert_non_null(strstr(cause, "out of bounds"));
	free(cause);
	/* More messages than the file has room for. */
	free(b);
	b = build(0, &len);
	put(b + 8, 1000, 0);
	assert_null(mo_parse(b, len, &cause));
	free(cause);
	free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookups_in_both_byte_orders),
		cmocka_unit_test(test_damaged_catalogues_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: ISC */
/*
 * test_evtext.c: unit tests of evtext.c, an event's sentence kept as its
 * format and its arguments' strings, and put back together in another
 * language's format.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evtext.h"

static int
capture(char ***args, size_t *n, char **cause, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = evtext_args(fmt, ap, args, n, cause);
	va_end(ap);
	return (r);
}

/* Every conversion becomes the string printf prints for it. */
static void
test_args_are_what_printf_prints(void **state)
{
	char **a, *cause = NULL;
	size_t n;
	(void)state;

	assert_int_equal(
	    capture(&a, &n, &cause,
		"appeal %d, Case ID %s: %lld of %zu (%.1f%%) %c %5u"
		" %-3s| %x %hhd %*d %.3s %p",
		1, "5012345678", 3LL, (size_t)5, 66.66, 'x', 7u, "ab", 255u, 12,
		4, 42, "abcdef", (void *)NULL),
	    0);
	assert_int_equal(n, 13);
	assert_string_equal(a[0], "1");
	assert_string_equal(a[1], "5012345678");
	assert_string_equal(a[2], "3");
	assert_string_equal(a[3], "5");
	assert_string_equal(a[4], "66.7");
	assert_string_equal(a[5], "x");
	assert_string_equal(a[6], "    7");
	assert_string_equal(a[7], "ab ");
	assert_string_equal(a[8], "ff");
	assert_string_equal(a[9], "12");
	assert_string_equal(a[10], "  42");
	assert_string_equal(a[11], "abc");
	evtext_free(a, n);
	assert_int_equal(capture(&a, &n, &cause, "no conversion, 100%%"), 0);
	assert_int_equal(n, 0);
	evtext_free(a, n);
}

/* What cannot be kept as strings is refused, with a cause. */
static void
test_args_refused(void **state)
{
	char **a, *cause = NULL;
	size_t n;
	int w;
	(void)state;

	assert_int_equal(capture(&a, &n, &cause, "%n", &w), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(capture(&a, &n, &cause, "%1$s", "x"), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(capture(&a, &n, &cause, "%ls", L"x"), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(capture(&a, &n, &cause, "trailing %"), -1);
	free(cause);
	assert_null(a);
	assert_int_equal(n, 0);
}

/* A translation gets the strings in order, or by position; %% is "%". */
static void
test_render(void **state)
{
	const char *args[] = { "1", "5012345678", "66.7" };
	char *s, *cause = NULL;
	static const struct {
		const char *fmt, *want;
		size_t n;
	} ok[] = {
		{ "申诉 %d 已提交，Case ID %s（%.1f%%）",
		    "申诉 1 已提交，Case ID 5012345678（66.7%）", 3 },
		/* width, precision and length were applied when captured */
		{ "%5lld|%-3zu|%.1f", "1|5012345678|66.7", 3 },
		{ "Case ID %2$s：申诉 %1$d", "Case ID 5012345678：申诉 1", 3 },
		{ "%*d", "1", 3 },
		{ "", "", 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		s = evtext_render(ok[i].fmt, args, ok[i].n, &cause);
		assert_non_null(s);
		assert_string_equal(s, ok[i].want);
		free(s);
	}
}

/* A conversion without its argument, or one printf does not know, is
 * refused: never a read past the arguments. */
static void
test_render_refused(void **state)
{
	const char *args[] = { "1", NULL };
	char *cause = NULL;
	static const struct {
		const char *fmt;
		size_t n;
	} bad[] = {
		{ "%d and %s", 1 }, /* conversion 2 has no argument */
		{ "%d and %s", 2 }, /* its argument is NULL */
		{ "%3$s", 2 }, /* a position past the arguments */
		{ "%y", 2 }, /* not printf's */
		{ "50%", 2 }, /* a lone % at the end */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		assert_null(evtext_render(bad[i].fmt, args, bad[i].n, &cause));
		assert_non_null(cause);
		free(cause);
	}
	assert_null(evtext_render("%d and %s", args, 1, &cause));
	assert_non_null(strstr(cause, "conversion 2"));
	free(cause);
	assert_null(evtext_render("%d and %s", args, 1, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args_are_what_printf_prints),
		cmocka_unit_test(test_args_refused),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_refused),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

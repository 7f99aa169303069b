/* SPDX-License-Identifier: ISC */
/*
 * test_csv.c: the lines of delistctl import, split as RFC 4180 says; a
 * leading byte order mark; control characters in a title.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

static char buf[256];
static const char *f[4];

static int
split(const char *line)
{
	return (csv_split(line, strlen(line), buf, f, 4));
}

static void
test_plain(void **state)
{
	(void)state;
	assert_int_equal(split("main,1005001234567890"), 2);
	assert_string_equal(f[0], "main");
	assert_string_equal(f[1], "1005001234567890");
	assert_int_equal(split("main,1005,LED strip 5m"), 3);
	assert_string_equal(f[2], "LED strip 5m");
	assert_int_equal(split(""), 1);
	assert_string_equal(f[0], "");
}

static void
test_empty_fields(void **state)
{
	(void)state;
	assert_int_equal(split("main,1005,"), 3);
	assert_string_equal(f[2], "");
	assert_int_equal(split(",,"), 3);
	assert_string_equal(f[0], "");
	assert_string_equal(f[1], "");
	assert_string_equal(f[2], "");
}

static void
test_quoted(void **state)
{
	(void)state;
	assert_int_equal(split("main,1005,\"Cotton socks, 3 pairs\""), 3);
	assert_string_equal(f[2], "Cotton socks, 3 pairs");
	assert_int_equal(split("\"main\",\"1005\",\"say \"\"hi\"\"\""), 3);
	assert_string_equal(f[0], "main");
	assert_string_equal(f[2], "say \"hi\"");
	assert_int_equal(split("main,\"\""), 2);
	assert_string_equal(f[1], "");
}

static void
test_refused(void **state)
{
	(void)state;
	assert_int_equal(split("main,\"open"), -1);
	assert_int_equal(split("main,\"x\"y"), -1);
	assert_int_equal(split("main,a\"b"), -1);
	assert_int_equal(split("a,b,c,d,e"), -1);
	assert_int_equal(split("a,b,c,d"), 4);
}

/* The buffer never needs more than the line and one byte. */
static void
test_buffer_bound(void **state)
{
	static const char *const lines[] = { ",,,", "\"\",\"\",\"\",\"\"", "a",
		"\"a\"", "\"\"\"\"" };
	char small[16];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		len = strlen(lines[i]);
		memset(small, 'X', sizeof small);
		assert_true(csv_split(lines[i], len, small, f, 4) > 0);
		assert_int_equal(small[len + 1], 'X');
	}
}

/* Excel's UTF-8 byte order mark is skipped, nothing else is. */
static void
test_bom(void **state)
{
	(void)state;
	assert_int_equal(csv_bom("\xef\xbb\xbfshop,product_id", 21), 3);
	assert_int_equal(csv_bom("shop,product_id", 15), 0);
	assert_int_equal(csv_bom("\xef\xbb", 2), 0);
	assert_int_equal(csv_bom("\xef\xbb\xbe", 3), 0);
	assert_int_equal(csv_bom("", 0), 0);
}

/* Titles are plain text: control characters are found, UTF-8 is not. */
static void
test_control(void **state)
{
	static const char esc[] = "Bad\x1b[31mRED";

	(void)state;
	assert_null(csv_control("Cotton socks, 3 pairs"));
	assert_null(csv_control("\xe4\xb8\x9d\xe5\xb7\xbe scarf"));
	assert_null(csv_control(""));
	assert_ptr_equal(csv_control(esc), esc + 3);
	assert_non_null(csv_control("tab\there"));
	assert_non_null(csv_control("del\x7f"));
	assert_non_null(csv_control("cr\rin"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_empty_fields),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_buffer_bound),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_control),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* SPDX-License-Identifier: ISC */
/*
 * test_webpath.c: the web console's pure parts: listen addresses and
 * loopback, static file names (no traversal, no hidden file), content
 * types, cookies, roles, user names and the login throttle.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "web.h"

static void
test_addr(void **state)
{
	char host[64], *cause = NULL;
	int port;

	(void)state;
	assert_int_equal(
	    web_addr_parse("127.0.0.1:8470", host, sizeof host, &port, &cause),
	    0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 8470);
	assert_int_equal(
	    web_addr_parse("[::1]:0", host, sizeof host, &port, &cause), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 0);
	assert_int_equal(
	    web_addr_parse("localhost", host, sizeof host, &port, &cause), -1);
	assert_non_null(strstr(cause, "is not an address"));
	free(cause);
	cause = NULL;
	assert_int_equal(
	    web_addr_parse("::1:80", host, sizeof host, &port, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    web_addr_parse("h:65536", host, sizeof host, &port, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    web_addr_parse("h:-1", host, sizeof host, &port, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(
	    web_addr_parse(":80", host, sizeof host, &port, &cause), -1);
	free(cause);
	assert_true(web_addr_loopback("127.0.0.1"));
	assert_true(web_addr_loopback("127.1.2.3"));
	assert_true(web_addr_loopback("::1"));
	assert_true(web_addr_loopback("localhost"));
	assert_false(web_addr_loopback("0.0.0.0"));
	assert_false(web_addr_loopback("::"));
	assert_false(web_addr_loopback("10.0.0.1"));
	assert_false(web_addr_loopback("1270.0.0.1"));
}

static void
test_path(void **state)
{
	static const char *const bad[] = { "", "x", "/..", "/../etc/passwd",
		"/a/../b", "/a/./b", "/./a", "//a", "/a//b", "/a/",
		"/.git/config", "/a/.hidden", "/a\\..\\b", "/..." };
	char *p;
	size_t i;

	(void)state;
	p = web_path_file("/");
	assert_string_equal(p, "index.html");
	free(p);
	p = web_path_file("/console.js");
	assert_string_equal(p, "console.js");
	free(p);
	p = web_path_file("/css/app.v2.css");
	assert_string_equal(p, "css/app.v2.css");
	free(p);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		p = web_path_file(bad[i]);
		if (p != NULL)
			fail_msg("%s was taken as %s", bad[i], p);
	}
}

static void
test_types(void **state)
{
	(void)state;
	assert_string_equal(
	    web_content_type("index.html"), "text/html; charset=utf-8");
	assert_string_equal(
	    web_content_type("a/b.JS"), "text/javascript; charset=utf-8");
	assert_string_equal(web_content_type("x.svg"), "image/svg+xml");
	assert_string_equal(
	    web_content_type("README"), "application/octet-stream");
	assert_string_equal(
	    web_content_type("x.html.exe"), "application/octet-stream");
}

static void
test_cookie(void **state)
{
	char *v;

	(void)state;
	v = web_cookie("a=1; delistd_session=abc; b=2", "delistd_session");
	assert_string_equal(v, "abc");
	free(v);
	v = web_cookie("delistd_session=xyz", "delistd_session");
	assert_string_equal(v, "xyz");
	free(v);
	assert_null(web_cookie("xdelistd_session=1", "delistd_session"));
	assert_null(web_cookie("delistd_sessionx=1", "delistd_session"));
	assert_null(web_cookie("", "delistd_session"));
}

static void
test_roles_names(void **state)
{
	(void)state;
	assert_int_equal(web_role_from_name("viewer"), WEB_ROLE_VIEWER);
	assert_int_equal(web_role_from_name("operator"), WEB_ROLE_OPERATOR);
	assert_int_equal(web_role_from_name("admin"), WEB_ROLE_ADMIN);
	assert_int_equal(web_role_from_name("root"), -1);
	assert_int_equal(web_role_from_name(NULL), -1);
	assert_true(WEB_ROLE_VIEWER < WEB_ROLE_OPERATOR &&
	    WEB_ROLE_OPERATOR < WEB_ROLE_ADMIN);
	assert_true(web_name_ok("alice"));
	assert_true(web_name_ok("a.b_c-9"));
	assert_true(web_name_ok("0day"));
	assert_false(web_name_ok(""));
	assert_false(web_name_ok("Alice"));
	assert_false(web_name_ok("-x"));
	assert_false(web_name_ok("a/b"));
	assert_false(web_name_ok("a b"));
	assert_false(web_name_ok("abcdefghijklmnopqrstuvwxyz0123456"));
	assert_true(web_name_ok("abcdefghijklmnopqrstuvwxyz012345"));
}

static void
test_throttle(void **state)
{
	struct web_throttle t;
	time_t now = 1000000;
	int i;

	(void)state;
	memset(&t, 0, sizeof t);
	for (i = 0; i < WEB_FAIL_MAX - 1; i++)
		assert_int_equal(
		    web_throttle_fail(&t, WEB_FAIL_MAX, now + i), 0);
	assert_int_equal(web_throttle_locked(&t, now + 10), 0);
	assert_int_equal(web_throttle_fail(&t, WEB_FAIL_MAX, now + 10), 1);
	assert_int_equal(web_throttle_locked(&t, now + 10), WEB_LOCK_SECS);
	assert_int_equal(web_throttle_locked(&t, now + 10 + WEB_LOCK_SECS), 0);

	/* Failures spread wider than the window never lock. */
	memset(&t, 0, sizeof t);
	for (i = 0; i < 3 * WEB_FAIL_MAX; i++)
		assert_int_equal(
		    web_throttle_fail(&t, WEB_FAIL_MAX,
			now + (time_t)i * (WEB_FAIL_WINDOW / 4 + 1)),
		    0);

	/* A reset forgets them. */
	memset(&t, 0, sizeof t);
	for (i = 0; i < WEB_FAIL_MAX - 1; i++)
		web_throttle_fail(&t, WEB_FAIL_MAX, now);
	web_throttle_reset(&t);
	assert_int_equal(web_throttle_fail(&t, WEB_FAIL_MAX, now), 0);

	/* An address takes more. */
	memset(&t, 0, sizeof t);
	for (i = 0; i < WEB_FAIL_MAX_ADDR - 1; i++)
		assert_int_equal(
		    web_throttle_fail(&t, WEB_FAIL_MAX_ADDR, now), 0);
	assert_int_equal(web_throttle_fail(&t, WEB_FAIL_MAX_ADDR, now), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_roles_names),
		cmocka_unit_test(test_throttle),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

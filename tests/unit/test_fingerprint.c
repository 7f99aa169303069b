/* SPDX-License-Identifier: ISC */
/*
 * test_fingerprint.c: image URLs reduced to the picture they show, and
 * titles reduced to the words people compare (linked-listing and evasion
 * risks).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core.h"
#include "fingerprint.h"

static void
same(const char *url, const char *want)
{
	char *fp = NULL, *cause = NULL;

	if (fingerprint_image_url(url, &fp, &cause) != 0)
		fail_msg("\"%s\" refused: %s", url, cause);
	assert_string_equal(fp, want);
	free(fp);
}

static void
refused(const char *url, const char *why)
{
	char *fp = (char *)"x", *cause = NULL;

	assert_int_equal(fingerprint_image_url(url, &fp, &cause), -1);
	assert_null(fp);
	assert_non_null(cause);
	assert_non_null(strstr(cause, why));
	free(cause);
}

static void
test_scheme_host_query_fragment_dropped(void **state)
{
	(void)state;
	same("https://ae01.alicdn.com/kf/Habc123.jpg", "/kf/habc123.jpg");
	same(
	    "http://ae04.alicdn.com/kf/Habc123.jpg?v=2#top", "/kf/habc123.jpg");
	same("//ae01.alicdn.com/kf/Habc123.jpg", "/kf/habc123.jpg");
	same("/kf/Habc123.jpg", "/kf/habc123.jpg");
	same("https://x.example/a/b/pic.png#f", "//x.example/a/b/pic.png");
	same("https://x.example//a///pic.png", "//x.example/a/pic.png");
	same("https:ttps://ho//a", "//ho/a");
}

static void
test_host_kept_aliexpress_cdn_folded(void **state)
{
	(void)state;
	/* Another host's picture is not the AliExpress CDN's. */
	same("https://cdn.example.com/kf/Habc.jpg",
	    "//cdn.example.com/kf/habc.jpg");
	same("https://User:pw@CDN.Example.com.:8443/kf/Habc.jpg",
	    "//cdn.example.com/kf/habc.jpg");
	same("//[::1]:8080/a.jpg", "//[::1]/a.jpg");
	same("//cdn.example.com/kf/habc.jpg", "//cdn.example.com/kf/habc.jpg");
	/* The CDN's hosts are one: its pictures are named by the path. */
	same("https://ae05.alicdn.com/kf/Habc.jpg", "/kf/habc.jpg");
	same("https://alicdn.com/kf/Habc.jpg", "/kf/habc.jpg");
	same("https://ae-pic-a1.aliexpress-media.com/kf/Habc.jpg",
	    "/kf/habc.jpg");
	same("https://img.ALIIMG.com:443/kf/Habc.jpg", "/kf/habc.jpg");
	/* Not the family: a look-alike host. */
	same("https://evilalicdn.com/kf/Habc.jpg",
	    "//evilalicdn.com/kf/habc.jpg");
	/* A "/" in the query is not the path. */
	same("https://h.example/a.jpg?x=/b.jpg", "//h.example/a.jpg");
}

static void
test_cdn_size_variants_are_the_original(void **state)
{
	(void)state;
	same("https://ae01.alicdn.com/kf/Habc.jpg_640x640.jpg", "/kf/habc.jpg");
	same("https://ae01.alicdn.com/kf/Habc.jpg_50x50.jpg", "/kf/habc.jpg");
	same("https://ae01.alicdn.com/kf/Habc.jpg_.webp", "/kf/habc.jpg");
	same("https://ae01.alicdn.com/kf/Habc.jpg_Q90.jpg_.webp",
	    "/kf/habc.jpg");
	same("https://ae01.alicdn.com/kf/Habc.png_220x220xz.png",
	    "/kf/habc.png");
	same("https://ae01.alicdn.com/kf/Habc_50x50.jpg", "/kf/habc.jpg");
	same("https://ae01.alicdn.com/kf/Habc_640x640q90.jpg", "/kf/habc.jpg");
	same("https://ae01.alicdn.com/kf/HABC.JPG", "/kf/habc.jpg");
}

static void
test_other_names_kept(void **state)
{
	(void)state;
	/* Not a size: kept, so different pictures stay different. */
	same("/kf/shoe_red.jpg", "/kf/shoe_red.jpg");
	same("/kf/shoe_2024.jpg", "/kf/shoe_2024.jpg");
	same("/kf/a.jpg_b", "/kf/a.jpg_b");
	same("/kf/a.jpgx_1.jpg", "/kf/a.jpgx_1.jpg");
	same("https://x/kf/Hdef.jpg", "//x/kf/hdef.jpg");
	same("/kf/doc_50x50.pdf", "/kf/doc_50x50.pdf");
	same("https://x/kf/Habc_50x50_640x640.jpg", "//x/kf/habc.jpg");
}

static void
test_bad_urls_refused(void **state)
{
	char big[FINGERPRINT_URL_MAX + 2];

	(void)state;
	refused("", "1 to");
	memset(big, 'a', sizeof big - 1);
	big[0] = '/';
	big[sizeof big - 1] = '\0';
	refused(big, "1 to");
	refused("https://x/a b.jpg", "spaces");
	refused("https://x/a\n.jpg", "control");
	refused("ae01.alicdn.com/kf/x.jpg", "not an image URL");
	refused("https://ae01.alicdn.com", "no path");
	refused("https://host?x=/a.jpg", "no path");
	refused("https://host#/a.jpg", "no path");
	refused("https:///a.jpg", "no host");
	refused("//u@:80/a.jpg", "no host");
	refused("https://ae01.alicdn.com/", "names no file");
	refused("https://ae01.alicdn.com/kf/", "names no file");
}

static void
test_title(void **state)
{
	char *t;

	(void)state;
	t = fingerprint_title("  Best-Quality LED STRIP   No.1 ");
	assert_string_equal(t, "best quality led strip no 1");
	free(t);
	t = fingerprint_title("LED灯带 5m");
	assert_string_equal(t, "led灯带 5m");
	free(t);
	t = fingerprint_title("!!!");
	assert_string_equal(t, "");
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scheme_host_query_fragment_dropped),
		cmocka_unit_test(test_host_kept_aliexpress_cdn_folded),
		cmocka_unit_test(test_cdn_size_variants_are_the_original),
		cmocka_unit_test(test_other_names_kept),
		cmocka_unit_test(test_bad_urls_refused),
		cmocka_unit_test(test_title),
	};

	return (cmocka_run_group_tests_name("fingerprint", tests, NULL, NULL));
}

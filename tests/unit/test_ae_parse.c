/* SPDX-License-Identifier: ISC */
/*
 * test_ae_parse.c: what the aliexpress source makes of the gateway's
 * answers (plugins/aliexpress/parse.c), on canned bodies of every kind:
 * each status, each offline code, not found, each error kind in each place
 * the platform puts errors, both response shapes, garbage, truncated and
 * non-object JSON, and numbers too big for 64 bits. Pure: no I/O; "now" is
 * fixed at 2026-11-28 11:00:00 UTC (19:00 in Beijing).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#define NOW 1795863600LL /* 2026-11-28T11:00:00Z */
#define WRAP_CHECK \
	"aliexpress_postproduct_redefining_findaeproductbyid_response"
#define WRAP_LIST "aliexpress_solution_product_list_get_response"

static const char *const codes[] = { "punish_offline", "violate_offline" };

/* Parses a product answer with HTTP 200 and the default codes. */
static int
product(const char *body, struct ae_product *p)
{
	return (ae_parse_product(
	    body, strlen(body), 200, codes, nitems(codes), NOW, p));
}

/* A product answer that must be an error of that kind. */
static void
product_error(long http, const char *body, enum delistd_source_error kind,
    int64_t retry_after)
{
	struct ae_product p;

	assert_int_equal(ae_parse_product(body, strlen(body), http, codes,
			     nitems(codes), NOW, &p),
	    -1);
	assert_int_equal(p.status, DELISTD_STATUS_ERROR);
	assert_int_equal(p.error.kind, kind);
	assert_int_equal(p.error.retry_after, retry_after);
	assert_true(p.error.text[0] != '\0');
	ae_product_free(&p);
}

static void
status_is(const char *body, enum delistd_status want, const char *code)
{
	struct ae_product p;

	assert_int_equal(product(body, &p), 0);
	assert_int_equal(p.status, want);
	if (code == NULL)
		assert_null(p.platform_code);
	else
		assert_string_equal(p.platform_code, code);
	ae_product_free(&p);
}

static void
test_on_sale_simplify(void **state)
{
	struct ae_product p;

	(void)state;
	assert_int_equal(product("{\"result\":{\"product_id\":1005001,"
				 "\"product_status_type\":\"onSelling\","
				 "\"subject\":\"Red dress\",\"image_u_r_ls\":"
				 "\"https://i.example/1.jpg;https://i.example/"
				 "2.jpg\"},\"request_id\":\"x1\"}",
			     &p),
	    0);
	assert_int_equal(p.status, DELISTD_STATUS_ON_SALE);
	assert_null(p.platform_code);
	assert_string_equal(p.title, "Red dress");
	assert_int_equal(p.image_count, 2);
	assert_string_equal(p.images[0], "https://i.example/1.jpg");
	assert_string_equal(p.images[1], "https://i.example/2.jpg");
	assert_int_equal(p.offline_at, 0);
	ae_product_free(&p);

	/* The bare DTO, without "result". */
	status_is("{\"product_status_type\":\"onSelling\"}",
	    DELISTD_STATUS_ON_SALE, NULL);
}

static void
test_on_sale_wrapped(void **state)
{
	struct ae_product p;

	(void)state;
	assert_int_equal(
	    product("{\"" WRAP_CHECK "\":{\"result\":{\"product_status_type\":"
		    "\"onSelling\",\"subject_list\":{\"subject\":[{\"locale\":"
		    "\"en_US\",\"value\":\"Blue hat\"}]},\"image_u_r_ls\":{"
		    "\"string\":[\"https://i.example/a.jpg\"]}},"
		    "\"request_id\":\"r\"}}",
		&p),
	    0);
	assert_int_equal(p.status, DELISTD_STATUS_ON_SALE);
	assert_string_equal(p.title, "Blue hat");
	assert_int_equal(p.image_count, 1);
	assert_string_equal(p.images[0], "https://i.example/a.jpg");
	ae_product_free(&p);
}

static void
test_delisted_codes(void **state)
{
	struct ae_product p;
	static const char *const mine[] = { "degrade_offline" };
	const char *body =
	    "{\"result\":{\"product_status_type\":\"offline\",\"ws_display\":"
	    "\"punish_offline\",\"ws_offline_date\":\"2026-11-20 10:00:00\"}}";

	(void)state;
	assert_int_equal(product(body, &p), 0);
	assert_int_equal(p.status, DELISTD_STATUS_DELISTED);
	assert_string_equal(p.platform_code, "punish_offline");
	/* Beijing time: 02:00 UTC. */
	assert_int_equal(p.offline_at, 1795140000LL);
	ae_product_free(&p);

	status_is("{\"" WRAP_CHECK "\":{\"result\":{\"product_status_type\":"
		  "\"offline\",\"ws_display\":\"violate_offline\"}}}",
	    DELISTD_STATUS_DELISTED, "violate_offline");

	/* Another set of codes: punish_offline is then only offline. */
	assert_int_equal(ae_parse_product(body, strlen(body), 200, mine,
			     nitems(mine), NOW, &p),
	    0);
	assert_int_equal(p.status, DELISTD_STATUS_OFFLINE);
	assert_string_equal(p.platform_code, "punish_offline");
	ae_product_free(&p);
}

static void
test_offline_other(void **state)
{
	static const char *const other[] = { "user_offline", "expire_offline",
		"degrade_offline", "industry_offline" };
	char body[256];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(other); i++) {
		snprintf(body, sizeof body,
		    "{\"result\":{\"product_status_type\":\"offline\","
		    "\"ws_display\":\"%s\"}}",
		    other[i]);
		status_is(body, DELISTD_STATUS_OFFLINE, other[i]);
	}
	status_is("{\"result\":{\"product_status_type\":\"offline\"}}",
	    DELISTD_STATUS_OFFLINE, NULL);
}

static void
test_review(void **state)
{
	(void)state;
	status_is("{\"result\":{\"product_status_type\":\"auditing\"}}",
	    DELISTD_STATUS_UNDER_REVIEW, NULL);
	status_is("{\"" WRAP_CHECK "\":{\"result\":{\"product_status_type\":"
		  "\"editingRequired\"}}}",
	    DELISTD_STATUS_FAILED_REVIEW, NULL);
}

static void
test_not_found(void **state)
{
	(void)state;
	status_is("{\"result\":{\"success\":false,\"error_code\":13004,"
		  "\"error_message\":\"The product does not exist\"}}",
	    DELISTD_STATUS_NOT_FOUND, NULL);
	status_is("{\"" WRAP_CHECK "\":{\"result\":{\"success\":false,"
		  "\"error_message\":\"product not found\"}}}",
	    DELISTD_STATUS_NOT_FOUND, NULL);
	status_is("{\"error_response\":{\"type\":\"ISP\",\"code\":\"15\","
		  "\"msg\":\"Remote service error\",\"sub_code\":"
		  "\"isv.product-not-exist\",\"sub_msg\":\"商品不存在\"}}",
	    DELISTD_STATUS_NOT_FOUND, NULL);
	status_is("{\"result\":{\"product_status_type\":\"deleted\"}}",
	    DELISTD_STATUS_NOT_FOUND, "deleted");
}

/* An envelope's own "not found" is about the request, not the product. */
static void
test_not_found_envelope(void **state)
{
	(void)state;
	product_error(
	    200, "{\"code\":\"ApiNotFound\"}", DELISTD_SOURCE_TRANSIENT, 0);
	product_error(200, "{\"code\":\"404\",\"message\":\"Not Found\"}",
	    DELISTD_SOURCE_TRANSIENT, 0);
	product_error(404, "{\"code\":\"404\",\"message\":\"Not Found\"}",
	    DELISTD_SOURCE_TRANSIENT, 0);
	product_error(200,
	    "{\"error_response\":{\"code\":\"ApiNotFound\","
	    "\"msg\":\"api not found\"}}",
	    DELISTD_SOURCE_TRANSIENT, 0);
	product_error(200,
	    "{\"error_response\":{\"code\":\"15\",\"msg\":\"Not Found\","
	    "\"sub_code\":\"isp.gateway-error\",\"sub_msg\":\"not found\"}}",
	    DELISTD_SOURCE_TRANSIENT, 0);
	product_error(200,
	    "{\"" WRAP_CHECK "\":{\"code\":\"InvalidApiPath\","
	    "\"msg\":\"api not exist\"}}",
	    DELISTD_SOURCE_PERMANENT, 0);
}

static void
test_throttled(void **state)
{
	(void)state;
	product_error(200,
	    "{\"error_response\":{\"type\":\"ISV\",\"code\":\"ApiCallLimit\","
	    "\"msg\":\"Api access frequency exceeds the limit. this ban will "
	    "last 1 seconds\",\"request_id\":\"r\"}}",
	    DELISTD_SOURCE_THROTTLED, 1);
	/* Unwrapped. */
	product_error(200,
	    "{\"type\":\"ISV\",\"code\":\"ApiCallLimit\",\"msg\":\"this ban "
	    "will last 3 seconds\"}",
	    DELISTD_SOURCE_THROTTLED, 3);
	product_error(200,
	    "{\"error_response\":{\"code\":7,\"msg\":\"App Call Limited\","
	    "\"sub_code\":\"accesscontrol.limited-by-api-access-count\","
	    "\"sub_msg\":\"This ban will last for 17 more seconds\"}}",
	    DELISTD_SOURCE_THROTTLED, 17);
	/* No number: a second. A silly one: capped. */
	product_error(200, "{\"error_response\":{\"code\":\"ApiCallLimit\"}}",
	    DELISTD_SOURCE_THROTTLED, 1);
	product_error(200,
	    "{\"error_response\":{\"code\":\"ApiCallLimit\",\"msg\":\"ban "
	    "will last 99999999999999999999 seconds\"}}",
	    DELISTD_SOURCE_THROTTLED, AE_BAN_MAX);
	product_error(429, "slow down", DELISTD_SOURCE_THROTTLED, 1);
}

static void
test_quota(void **state)
{
	(void)state;
	/* 19:00 in Beijing: five hours to midnight there. */
	product_error(200,
	    "{\"error_response\":{\"code\":7,\"msg\":\"App Call Limited\","
	    "\"sub_code\":\"accesscontrol.limited-by-app-access-count\","
	    "\"sub_msg\":\"This ban will last for 18000 more seconds\"}}",
	    DELISTD_SOURCE_QUOTA, 5 * 3600);
	product_error(200,
	    "{\"code\":\"7\",\"sub_code\":"
	    "\"accesscontrol.limited-by-app-access-count\"}",
	    DELISTD_SOURCE_QUOTA, 5 * 3600);
}

static void
test_auth(void **state)
{
	static const char *const bodies[] = {
		"{\"error_response\":{\"type\":\"ISV\",\"code\":"
		"\"IllegalAccessToken\",\"msg\":\"The specified access token "
		"is invalid or expired\"}}",
		"{\"error_response\":{\"code\":\"InvalidAccessToken\"}}",
		"{\"error_response\":{\"code\":27,\"msg\":\"Invalid "
		"session\"}}",
		"{\"code\":\"IllegalAccessToken\",\"message\":\"expired\"}",
		"{\"error_response\":{\"code\":\"15\",\"sub_code\":"
		"\"isv.session-expired\"}}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < nitems(bodies); i++)
		product_error(200, bodies[i], DELISTD_SOURCE_AUTH, 0);
}

static void
test_permanent(void **state)
{
	static const char *const permanent[] = { "IncompleteSignature",
		"MissingParameter", "InvalidApiPath",
		"InsufficientPermission" };
	char body[256];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(permanent); i++) {
		snprintf(body, sizeof body,
		    "{\"error_response\":{\"type\":\"ISV\",\"code\":\"%s\","
		    "\"msg\":\"no\"}}",
		    permanent[i]);
		product_error(200, body, DELISTD_SOURCE_PERMANENT, 0);
	}
	/* Inside the result, an error we do not know cannot be retried. */
	product_error(200,
	    "{\"result\":{\"success\":false,\"error_code\":\"E77\","
	    "\"error_message\":\"not yours\"}}",
	    DELISTD_SOURCE_PERMANENT, 0);
	product_error(200,
	    "{\"result\":{\"product_status_type\":\"frozenSolid\"}}",
	    DELISTD_SOURCE_PERMANENT, 0);
	product_error(404, "<html>nope</html>", DELISTD_SOURCE_PERMANENT, 0);
}

static void
test_transient(void **state)
{
	static const char *const bodies[] = {
		"<html><body>Bad gateway</body></html>",
		"{\"result\":{\"product_status_type\":\"onSel",
		"{\"result\":{\"product_status_type\":\"onSelling\"}",
		"[1,2,3]",
		"\"onSelling\"",
		"42",
		"null",
		"",
		"{}",
		"{\"result\":{\"subject\":\"no status\"}}",
		"{\"error_response\":{\"code\":\"SomethingNew\"}}",
		"{\"error_response\":{\"type\":\"ISP\",\"code\":\"15\","
		"\"msg\":\"Remote service error\"}}",
		"{\"error_response\":\"weird\"}",
		"{\"result\":{\"product_status_type\":\"onSelling\","
		"\"gmt_modified\":1e400}}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < nitems(bodies); i++)
		product_error(200, bodies[i], DELISTD_SOURCE_TRANSIENT, 0);
	/* 5xx: whatever the body says. */
	product_error(503, "{\"result\":{\"product_status_type\":\"offline\"}}",
	    DELISTD_SOURCE_TRANSIENT, 0);
	product_error(500, "", DELISTD_SOURCE_TRANSIENT, 0);
}

static void
test_error_text(void **state)
{
	struct ae_product p;
	const char *body =
	    "{\"error_response\":{\"code\":\"IncompleteSignature\",\"msg\":"
	    "\"The request signature does not conform\",\"sub_code\":\"x.y\","
	    "\"sub_msg\":\"line\\nbreak\"}}";

	(void)state;
	assert_int_equal(product(body, &p), -1);
	assert_string_equal(p.error.text,
	    "IncompleteSignature: The request signature does not conform "
	    "(x.y: line break)");
	ae_product_free(&p);
	/* Bytes of a malformed body quoted by the JSON parser: no controls. */
	assert_int_equal(product("{\"result\":\x01\x1b[2J}", &p), -1);
	assert_int_equal(p.error.kind, DELISTD_SOURCE_TRANSIENT);
	assert_null(strpbrk(p.error.text, "\x01\x1b\n"));
	ae_product_free(&p);
}

static void
test_huge_numbers(void **state)
{
	struct ae_page pg;
	const char *body =
	    "{\"result\":{\"total_page\":123456789012345678901234567890,"
	    "\"current_page\":1,\"aeop_a_e_product_display_d_t_o_list\":["
	    "{\"product_id\":99999999999999999999999,\"subject\":\"x\"},"
	    "{\"product_id\":1005000000000001,\"subject\":\"y\"}]}}";

	(void)state;
	status_is("{\"result\":{\"product_status_type\":\"onSelling\","
		  "\"gmt_modified\":123456789012345678901234567890}}",
	    DELISTD_STATUS_ON_SALE, NULL);
	assert_int_equal(ae_parse_page(body, strlen(body), 200, NOW, &pg), 0);
	/* The id that is not an int64 is dropped; the page count capped. */
	assert_int_equal(pg.count, 1);
	assert_string_equal(pg.ids[0], "1005000000000001");
	assert_int_equal(pg.total_page, AE_PAGES_MAX);
	ae_page_free(&pg);
}

static void
test_page_simplify(void **state)
{
	struct ae_page pg;
	const char *body =
	    "{\"result\":{\"success\":true,\"product_count\":3,\"total_page\":"
	    "2,"
	    "\"current_page\":1,\"aeop_a_e_product_display_d_t_o_list\":["
	    "{\"product_id\":1005001,\"subject\":\"A\",\"ws_display\":"
	    "\"punish_offline\"},{\"product_id\":\"1005002\"},"
	    "{\"subject\":\"no id\"},7,"
	    "{\"product_id\":1005003,\"ws_display\":\"violate_offline\"}]}}";

	(void)state;
	assert_int_equal(ae_parse_page(body, strlen(body), 200, NOW, &pg), 0);
	assert_int_equal(pg.error.kind, DELISTD_SOURCE_OK);
	assert_int_equal(pg.total_page, 2);
	assert_int_equal(pg.current_page, 1);
	assert_int_equal(pg.count, 3);
	assert_string_equal(pg.ids[0], "1005001");
	assert_string_equal(pg.titles[0], "A");
	assert_string_equal(pg.codes[0], "punish_offline");
	assert_string_equal(pg.ids[1], "1005002");
	assert_null(pg.titles[1]);
	assert_null(pg.codes[1]);
	assert_string_equal(pg.ids[2], "1005003");
	assert_string_equal(pg.codes[2], "violate_offline");
	ae_page_free(&pg);
}

static void
test_page_wrapped(void **state)
{
	struct ae_page pg;
	const char *body =
	    "{\"" WRAP_LIST "\":{\"result\":{\"product_count\":1,"
	    "\"total_page\":1,\"current_page\":1,"
	    "\"aeop_a_e_product_display_d_t_o_list\":{\"item_display_dto\":["
	    "{\"product_id\":42,\"subject\":\"Hat\"}]}},\"request_id\":\"r\"}}";
	const char *empty =
	    "{\"" WRAP_LIST "\":{\"result\":{\"product_count\":0,"
	    "\"total_page\":0,\"current_page\":1}}}";

	(void)state;
	assert_int_equal(ae_parse_page(body, strlen(body), 200, NOW, &pg), 0);
	assert_int_equal(pg.count, 1);
	assert_string_equal(pg.ids[0], "42");
	assert_string_equal(pg.titles[0], "Hat");
	ae_page_free(&pg);
	assert_int_equal(ae_parse_page(empty, strlen(empty), 200, NOW, &pg), 0);
	assert_int_equal(pg.count, 0);
	assert_int_equal(pg.total_page, 0);
	ae_page_free(&pg);
}

static void
test_page_errors(void **state)
{
	struct {
		long http;
		const char *body;
		enum delistd_source_error kind;
	} t[] = {
		{ 200, "{\"error_response\":{\"code\":\"ApiCallLimit\"}}",
		    DELISTD_SOURCE_THROTTLED },
		{ 200, "{\"error_response\":{\"code\":\"IllegalAccessToken\"}}",
		    DELISTD_SOURCE_AUTH },
		{ 200,
		    "{\"result\":{\"success\":false,\"error_code\":\"07001\","
		    "\"error_msg\":\"bad query\"}}",
		    DELISTD_SOURCE_PERMANENT },
		{ 200, "{\"result\":{\"success\":true}}",
		    DELISTD_SOURCE_TRANSIENT },
		{ 200, "{\"result\":{\"aeop_a_e_product_display_d_t_o_list\":[",
		    DELISTD_SOURCE_TRANSIENT },
		{ 502, "", DELISTD_SOURCE_TRANSIENT },
	};
	struct ae_page pg;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(t); i++) {
		assert_int_equal(ae_parse_page(t[i].body, strlen(t[i].body),
				     t[i].http, NOW, &pg),
		    -1);
		assert_int_equal(pg.error.kind, t[i].kind);
		assert_int_equal(pg.count, 0);
		ae_page_free(&pg);
	}
}

static void
test_token(void **state)
{
	struct ae_token t;
	const char *ok = "{\"access_token\":\"50000a\",\"refresh_token\":"
			 "\"50001b\",\"expires_in\":86400,\"expire_time\":"
			 "1795950000000,\"code\":\"0\",\"request_id\":\"r\"}";
	const char *abs = "{\"access_token\":\"50000c\",\"expire_time\":"
			  "1795950000000}";
	const char *bad = "{\"type\":\"ISV\",\"code\":\"IllegalRefreshToken\","
			  "\"message\":\"refresh token is invalid\"}";
	const char *none = "{\"code\":\"0\"}";

	(void)state;
	assert_int_equal(ae_parse_token(ok, strlen(ok), 200, NOW, &t), 0);
	assert_string_equal(t.access_token, "50000a");
	assert_string_equal(t.refresh_token, "50001b");
	assert_int_equal(t.expires_at, NOW + 86400);
	ae_token_free(&t);
	assert_int_equal(ae_parse_token(abs, strlen(abs), 200, NOW, &t), 0);
	assert_null(t.refresh_token);
	assert_int_equal(t.expires_at, 1795950000LL);
	ae_token_free(&t);
	assert_int_equal(ae_parse_token(bad, strlen(bad), 200, NOW, &t), -1);
	assert_int_equal(t.error.kind, DELISTD_SOURCE_AUTH);
	ae_token_free(&t);
	assert_int_equal(ae_parse_token(none, strlen(none), 200, NOW, &t), -1);
	assert_int_equal(t.error.kind, DELISTD_SOURCE_TRANSIENT);
	ae_token_free(&t);
}

static void
test_images(void **state)
{
	struct ae_product p;

	(void)state;
	assert_int_equal(product("{\"product_status_type\":\"onSelling\","
				 "\"image_u_r_ls\":\" https://a/1.jpg ;;"
				 "https://a/2.jpg;\"}",
			     &p),
	    0);
	assert_int_equal(p.image_count, 2);
	assert_string_equal(p.images[0], "https://a/1.jpg");
	assert_string_equal(p.images[1], "https://a/2.jpg");
	ae_product_free(&p);
	assert_int_equal(product("{\"product_status_type\":\"onSelling\","
				 "\"image_u_r_ls\":[\"https://a/3.jpg\",5,"
				 "\"\"]}",
			     &p),
	    0);
	assert_int_equal(p.image_count, 1);
	assert_string_equal(p.images[0], "https://a/3.jpg");
	ae_product_free(&p);
}

static void
test_dates(void **state)
{
	(void)state;
	assert_int_equal(ae_parse_date("2026-11-20 10:00:00"), 1795140000LL);
	assert_int_equal(ae_parse_date("2026-11-20T02:00:00Z"), 1795140000LL);
	assert_int_equal(
	    ae_parse_date("2026-11-20T10:00:00+08:00"), 1795140000LL);
	assert_int_equal(
	    ae_parse_date("2026-11-19T18:00:00.123-0800"), 1795140000LL);
	assert_int_equal(ae_parse_date("1795140000"), 1795140000LL);
	assert_int_equal(ae_parse_date("1795140000000"), 1795140000LL);
	assert_int_equal(ae_parse_date("yesterday"), 0);
	assert_int_equal(ae_parse_date("2026-13-01 00:00:00"), 0);
	assert_int_equal(ae_parse_date("2026-11-20 10:00"), 0);
	assert_int_equal(ae_parse_date(""), 0);
	assert_int_equal(ae_parse_date(NULL), 0);
}

static void
test_quota_reset(void **state)
{
	(void)state;
	/* 16:00 UTC is midnight in Beijing. */
	assert_int_equal(ae_quota_reset(1795881600LL - 1), 1);
	assert_int_equal(ae_quota_reset(1795881600LL), 86400);
	assert_int_equal(ae_quota_reset(NOW), 5 * 3600);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_on_sale_simplify),
		cmocka_unit_test(test_on_sale_wrapped),
		cmocka_unit_test(test_delisted_codes),
		cmocka_unit_test(test_offline_other),
		cmocka_unit_test(test_review),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_not_found_envelope),
		cmocka_unit_test(test_throttled),
		cmocka_unit_test(test_quota),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_permanent),
		cmocka_unit_test(test_transient),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_page_simplify),
		cmocka_unit_test(test_page_wrapped),
		cmocka_unit_test(test_page_errors),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_quota_reset),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

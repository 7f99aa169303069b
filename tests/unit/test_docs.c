/*
 * test_docs.c: unit tests of docs.c, the document vault's pure rules:
 * product lists, which expiry alert is due, the days left, the description
 * a --rename keeps, and byte sizes. Also calendar_day_start, which gives
 * the alerts their times. Pure: no files, no clock.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "delistd.h"
#include "calendar.h"
#include "docs.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))
#define DAY 86400

static void
test_products_parse(void **state)
{
	char **v, *cause = NULL;
	size_t n;

	(void)state;
	assert_int_equal(
	    docs_products_parse("1005001, 1005002,1005001 ,", &v, &n, &cause),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "1005001");
	assert_string_equal(v[1], "1005002");
	docs_products_free(v, n);

	assert_int_equal(docs_products_parse(" , ", &v, &n, &cause), -1);
	assert_non_null(strstr(cause, "empty"));
	assert_null(v);
	free(cause);
	assert_int_equal(docs_products_parse("", &v, &n, &cause), -1);
	free(cause);
	assert_int_equal(docs_products_parse("12,ab3", &v, &n, &cause), -1);
	assert_string_equal(cause,
	    "\"ab3\" is not a product ID: it is 1 to 20 digits, like "
	    "1005001234567890");
	free(cause);
	assert_int_equal(
	    docs_products_parse("123456789012345678901", &v, &n, &cause), -1);
	free(cause);
	assert_int_equal(
	    docs_products_parse("12345678901234567890", &v, &n, &cause), 0);
	docs_products_free(v, n);
}

static void
test_products_limit(void **state)
{
	char buf[4096], **v, *cause = NULL;
	size_t n, i, len = 0;

	(void)state;
	for (i = 0; i <= DOCS_MAX_PRODUCTS; i++)
		len += (size_t)snprintf(
		    buf + len, sizeof buf - len, "%zu,", 1000 + i);
	assert_int_equal(docs_products_parse(buf, &v, &n, &cause), -1);
	assert_string_equal(cause, "more than 100 product IDs");
	free(cause);
}

static void
test_stage_due(void **state)
{
	const time_t m[DOCS_NSTAGES] = { 1000, 2000, 3000, 4000 };

	(void)state;
	assert_int_equal(docs_stage_due(m, 0, 999), -1);
	assert_int_equal(docs_stage_due(m, 0, 1000), 0);
	assert_int_equal(docs_stage_due(m, 1, 1000), -1);
	assert_int_equal(docs_stage_due(m, 1, 1999), -1);
	assert_int_equal(docs_stage_due(m, 1, 2000), 1);
	/* Late: only the latest passed fires. */
	assert_int_equal(docs_stage_due(m, 0, 3500), 2);
	assert_int_equal(docs_stage_due(m, 0, 99999), 3);
	assert_int_equal(docs_stage_due(m, 3, 99999), 3);
	assert_int_equal(docs_stage_due(m, 4, 99999), -1);
	assert_int_equal(docs_next_due(m, 0), 2000);
	assert_int_equal(docs_next_due(m, 2), 4000);
	assert_int_equal(docs_next_due(m, 3), 0);
	assert_int_equal(docs_stage_days[0], 30);
	assert_int_equal(docs_stage_days[3], 0);
}

static void
test_days_left(void **state)
{
	time_t e = 1803859200; /* 2027-03-01T00:00:00Z */

	(void)state;
	assert_int_equal(docs_days_left(e, e - 7 * DAY), 7);
	assert_int_equal(docs_days_left(e, e - 7 * DAY - 3600), 7);
	assert_int_equal(docs_days_left(e, e - 7 * DAY + 3600), 7);
	assert_int_equal(docs_days_left(e, e - 3 * DAY - 16 * 3600), 4);
	assert_int_equal(docs_days_left(e, e - 1), 1);
	assert_int_equal(docs_days_left(e, e), 0);
	assert_int_equal(docs_days_left(e, e + DAY), 0);
}

static void
test_description(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "CE certificate.pdf", "CE certificate" },
		{ "/tmp/x/scan.final.jpg", "scan.final" },
		{ "AE1005001_CE_Declaration.pdf", "Declaration" },
		{ "ae12_test_report_SGS.pdf", "report_SGS" },
		{ "AE_notanid.pdf", "AE_notanid" },
		{ "noext", "noext" },
		{ ".hidden", ".hidden" },
		{ "", "" },
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		docs_description(rows[i].in, buf, sizeof buf);
		assert_string_equal(buf, rows[i].out);
	}
	docs_description(NULL, buf, sizeof buf);
	assert_string_equal(buf, "");
	docs_description("abcdef.pdf", buf, 4);
	assert_string_equal(buf, "abc");
}

static void
test_size(void **state)
{
	static const struct {
		const char *in;
		int64_t v;
	} good[] = {
		{ "32M", 32 << 20 },
		{ "512k", 512 << 10 },
		{ "1G", (int64_t)1 << 30 },
		{ "1GiB", (int64_t)1 << 30 },
		{ "4096", 4096 },
		{ "10MB", 10 << 20 },
		{ "100B", 100 },
	};
	static const char *const bad[] = { "", "M", "-1M", "32X", "1.5M", "2T",
		"99999999999999999999", "1 M" };
	char *cause = NULL, buf[32];
	int64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(good); i++) {
		assert_int_equal(docs_size_parse(good[i].in, &v, &cause), 0);
		assert_int_equal(v, good[i].v);
	}
	for (i = 0; i < nitems(bad); i++) {
		assert_int_equal(docs_size_parse(bad[i], &v, &cause), -1);
		assert_non_null(cause);
		free(cause);
		cause = NULL;
	}
	assert_string_equal(docs_size_format(32 << 20, buf, sizeof buf), "32M");
	assert_string_equal(
	    docs_size_format(1536 << 10, buf, sizeof buf), "1.5M");
	assert_string_equal(docs_size_format(512, buf, sizeof buf), "512B");
	assert_string_equal(
	    docs_size_format((int64_t)1 << 30, buf, sizeof buf), "1G");
}

static void
test_day_start(void **state)
{
	struct calendar *sh, *be;
	char *cause = NULL;
	time_t t;

	(void)state;
	sh = calendar_new("Asia/Shanghai", &cause);
	be = calendar_new("Europe/Berlin", &cause);
	assert_non_null(sh);
	assert_non_null(be);
	/* 2027-03-01 00:00 +08:00 is 2027-02-28T16:00Z. */
	assert_int_equal(
	    calendar_day_start(sh, "2027-03-01", 0, &t, &cause), 0);
	assert_int_equal(t, 1803859200 - 8 * 3600);
	assert_int_equal(
	    calendar_day_start(sh, "2027-03-01", 30, &t, &cause), 0);
	assert_int_equal(t, 1803859200 - 8 * 3600 - 30 * DAY);
	/* Berlin: winter +01:00; 2027-04-01 is summer +02:00. */
	assert_int_equal(
	    calendar_day_start(be, "2027-03-01", 1, &t, &cause), 0);
	assert_int_equal(t, 1803859200 - DAY - 3600);
	assert_int_equal(
	    calendar_day_start(be, "2027-04-01", 7, &t, &cause), 0);
	assert_int_equal(t, 1806537600 - 7 * DAY - 3600);
	assert_int_equal(
	    calendar_day_start(be, "2027-04-01", 0, &t, &cause), 0);
	assert_int_equal(t, 1806537600 - 2 * 3600);
	assert_int_equal(
	    calendar_day_start(sh, "2027-02-30", 0, &t, &cause), -1);
	assert_string_equal(
	    cause, "invalid date \"2027-02-30\": February 2027 has 28 days");
	free(cause);
	assert_int_equal(calendar_day_start(sh, "27-3-1", 0, &t, &cause), -1);
	free(cause);
	calendar_free(sh);
	calendar_free(be);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_products_parse),
		cmocka_unit_test(test_products_limit),
		cmocka_unit_test(test_stage_due),
		cmocka_unit_test(test_days_left),
		cmocka_unit_test(test_description),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_day_start),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

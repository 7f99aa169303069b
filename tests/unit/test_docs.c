/* SPDX-License-Identifier: ISC */
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

#include "core.h"
#include "calendar.h"
#include "cases.h"
#include "docs.h"
#include "sniff.h"

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
		{ "ae12_test_report_SGS.pdf", "SGS" },
		{ "AE12_TEST-REPORT_SGS.pdf", "SGS" },
		{ "AE12_TESTX_SGS.pdf", "SGS" },
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

/* What --rename writes, the preflight and the vault accept (issue 13). */
static void
test_name_build_then_check(void **state)
{
	static const struct {
		const char *type, *name, *ext, *want;
	} rows[] = {
		{ "test_report", "SGS report.pdf", "pdf",
		    "AE1005001234567890_TEST-REPORT_SGS_report.pdf" },
		{ "test_report", "Test report SGS.pdf", "pdf",
		    "AE1005001234567890_TEST-REPORT_SGS.pdf" },
		{ "ce", "CE declaration.pdf", "pdf",
		    "AE1005001234567890_CE_declaration.pdf" },
		{ "ce", "ce-certificate.jpg", "jpg",
		    "AE1005001234567890_CE_certificate.jpg" },
		{ "ce", "CE.pdf", "pdf",
		    "AE1005001234567890_CE_Certificate.pdf" },
		{ "ce", "AE1005001234567890_CE_Declaration.pdf", "pdf",
		    "AE1005001234567890_CE_Declaration.pdf" },
		{ "ce", "Certificate.pdf", "pdf",
		    "AE1005001234567890_CE_Certificate.pdf" },
		{ "brand_authorization", "brand authorization Nike.pdf", "pdf",
		    "AE1005001234567890_BRAND-AUTHORIZATION_Nike.pdf" },
		{ "other", "Screenshot 2026-11-28.png", "png",
		    "AE1005001234567890_OTHER_Screenshot_2026-11-28.png" },
		{ "dismissal", "1.jpg", "jpg",
		    "AE1005001234567890_DISMISSAL_1.jpg" },
	};
	char buf[SNIFF_NAME_MAX], why[SNIFF_WHY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		if (docs_name_build("1005001234567890", rows[i].type,
			rows[i].name, rows[i].ext, buf, sizeof buf, why,
			sizeof why) == -1)
			fail_msg("row %zu: %s", i, why);
		assert_string_equal(buf, rows[i].want);
		/* A name --rename wrote never draws a doc_name finding. */
		assert_int_equal(docs_name_check(buf, "1005001234567890",
				     rows[i].type, NULL),
		    DOCS_NAME_OK);
		assert_null(strstr(buf, "_CE_CE_"));
	}
	assert_int_equal(docs_name_build("1005001234567890", "ce", "scan.png",
			     "png", buf, sizeof buf, why, sizeof why),
	    -1);
	assert_non_null(strstr(why, "convert it to PDF or JPG"));
	assert_int_equal(docs_name_build("1", "nope", "x.pdf", "pdf", buf,
			     sizeof buf, why, sizeof why),
	    -1);
}

static void
test_name_check(void **state)
{
	const char *format;

	(void)state;
	assert_int_equal(docs_name_check("AE1_TEST_REPORT_SGS.pdf", "1",
			     "test_report", NULL),
	    DOCS_NAME_OK);
	assert_int_equal(docs_name_check("ae1_test-report_SGS.JPG", "1",
			     "test_report", NULL),
	    DOCS_NAME_OK);
	assert_int_equal(
	    docs_name_check("AE1_CE_SGS.pdf", "1", "test_report", NULL),
	    DOCS_NAME_BAD);
	assert_int_equal(
	    docs_name_check("AE1_CE_x.pdf", "2", "ce", NULL), DOCS_NAME_BAD);
	assert_int_equal(
	    docs_name_check("1.jpg", NULL, NULL, NULL), DOCS_NAME_BAD);
	/* A screenshot may be a PNG; a certificate may not. */
	assert_int_equal(
	    docs_name_check("AE1_OTHER_Screenshot.png", "1", "other", &format),
	    DOCS_NAME_OK);
	assert_null(format);
	assert_int_equal(
	    docs_name_check("AE1_CE_Certificate.png", "1", "ce", &format),
	    DOCS_NAME_CONVERT);
	assert_string_equal(format, "PNG");
	assert_string_equal(docs_name_convert("scan.png", "ce"), "PNG");
	assert_string_equal(docs_name_convert("scan.webp", "other"), "WebP");
	assert_null(docs_name_convert("scan.png", "other"));
	assert_null(docs_name_convert("scan.pdf", "ce"));
	assert_null(docs_name_convert(NULL, "ce"));
}

/* One table: every document type has its row, and no other. */
static void
test_type_table(void **state)
{
	const char *const *names;
	char list[512] = "";
	size_t n, i;

	(void)state;
	names = docs_type_names(&n);
	for (i = 0; i < n; i++) {
		assert_true(cases_doc_type_valid(names[i]));
		assert_non_null(docs_type_find(names[i]));
		snprintf(list + strlen(list), sizeof list - strlen(list),
		    "%s%s", i > 0 ? ", " : "", names[i]);
	}
	assert_string_equal(list, cases_doc_type_list());
	assert_null(docs_type_find("nope"));
	assert_null(docs_type_find(NULL));
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
		cmocka_unit_test(test_name_build_then_check),
		cmocka_unit_test(test_name_check),
		cmocka_unit_test(test_type_table),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_day_start),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/* SPDX-License-Identifier: ISC */
/*
 * test_tzfile.c: unit tests of tzfile.c, a zone read from its TZif file
 * without TZ.
 *
 * Berlin's clock changes of 2026 by hand (instants from timegm); then, for
 * zones of both hemispheres, with half-hour offsets and Dublin's negative
 * DST, every few hours from 1900 to 2100 compared with glibc's own
 * localtime_r (TZ set by the test, never by the code under test): after
 * 2037 the footer's POSIX rule answers. The environment is never read or
 * written by a lookup. Needs tzdata.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tzfile.h"

#define HOUR 3600

static time_t at(const char *);
static struct tzfile *zone(const char *);

static time_t
at(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
		fail_msg("bad time %s", s);
	return timegm(&tm);
}

static struct tzfile *
zone(const char *name)
{
	struct tzfile *tz;
	char *cause = NULL;

	if ((tz = tzfile_load(name, &cause)) == NULL)
		fail_msg("%s: %s", name, cause ? cause : "?");
	return tz;
}

static void
test_berlin_changes_to_summer_and_back_in_2026(void **state)
{
	struct tzfile *tz = zone("Europe/Berlin");
	char abbr[TZFILE_ABBR_LEN];
	int32_t off;

	(void)state;
	assert_int_equal(
	    tzfile_lookup(tz, at("2026-03-29T00:59:59Z"), &off, abbr), 0);
	assert_int_equal(off, HOUR);
	assert_string_equal(abbr, "CET");
	tzfile_lookup(tz, at("2026-03-29T01:00:00Z"), &off, abbr);
	assert_int_equal(off, 2 * HOUR);
	assert_string_equal(abbr, "CEST");
	tzfile_lookup(tz, at("2026-10-25T00:59:59Z"), &off, abbr);
	assert_int_equal(off, 2 * HOUR);
	assert_string_equal(abbr, "CEST");
	tzfile_lookup(tz, at("2026-10-25T01:00:00Z"), &off, abbr);
	assert_int_equal(off, HOUR);
	assert_string_equal(abbr, "CET");
	/* 2090, past the file's transitions: the footer's rule. */
	tzfile_lookup(tz, at("2090-03-26T00:59:59Z"), &off, abbr);
	assert_int_equal(off, HOUR);
	tzfile_lookup(tz, at("2090-03-26T01:00:00Z"), &off, abbr);
	assert_int_equal(off, 2 * HOUR);
	assert_string_equal(abbr, "CEST");
	tzfile_free(tz);
}

static void
test_same_case_reads_in_each_shops_zone(void **state)
{
	struct tzfile *sh = zone("Asia/Shanghai"), *be = zone("Europe/Berlin");
	char buf[TZFILE_HUMAN_LEN];
	time_t opened = at("2026-10-20T06:00:00Z"),
	       due = at("2026-10-27T06:00:00Z");

	(void)state;
	assert_int_equal(
	    tzfile_format_human(sh, opened, NULL, buf, sizeof buf), 0);
	assert_string_equal(buf, "2026-10-20 14:00 CST (Asia/Shanghai)");
	tzfile_format_human(be, opened, NULL, buf, sizeof buf);
	assert_string_equal(buf, "2026-10-20 08:00 CEST (Europe/Berlin)");
	/* A week later, after Berlin's change back to winter time. */
	tzfile_format_human(be, due, NULL, buf, sizeof buf);
	assert_string_equal(buf, "2026-10-27 07:00 CET (Europe/Berlin)");
	tzfile_format_human(sh, due, "北京时间", buf, sizeof buf);
	assert_string_equal(buf, "2026-10-27 14:00 (北京时间)");
	tzfile_format_human(sh, opened + 7, NULL, buf, sizeof buf);
	assert_string_equal(buf, "2026-10-20 14:00:07 CST (Asia/Shanghai)");
	assert_int_equal(tzfile_format_human(sh, opened, NULL, buf, 10), -1);
	tzfile_free(sh);
	tzfile_free(be);
}

static void
test_matches_glibc_from_1900_to_2100(void **state)
{
	static const char *const zones[] = { "Europe/Berlin", "Asia/Shanghai",
		"America/New_York", "America/Sao_Paulo", "Australia/Sydney",
		"Europe/Dublin", "Asia/Kathmandu", "Asia/Tehran",
		"Pacific/Auckland", "UTC" };
	char abbr[TZFILE_ABBR_LEN];
	struct tzfile *tz;
	struct tm tm;
	time_t t, from = at("1901-12-14T00:00:00Z"),
		  to = at("2100-01-01T00:00:00Z");
	int32_t off;
	size_t i;
	char env[64];

	(void)state;
	for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		tz = zone(zones[i]);
		snprintf(env, sizeof env, ":%s", zones[i]);
		setenv("TZ", env, 1);
		tzset();
		/* Every 7 h 13 min: every hour of the day, every weekday. */
		for (t = from; t < to; t += 7 * HOUR + 13 * 60) {
			assert_int_equal(tzfile_lookup(tz, t, &off, abbr), 0);
			localtime_r(&t, &tm);
			if (off != tm.tm_gmtoff ||
			    strcmp(abbr, tm.tm_zone) != 0)
				fail_msg("%s at %lld: %d %s, glibc %ld %s",
				    zones[i], (long long)t, off, abbr,
				    tm.tm_gmtoff, tm.tm_zone);
		}
		tzfile_free(tz);
	}
	unsetenv("TZ");
	tzset();
}

static void
test_lookup_never_touches_the_environment(void **state)
{
	struct tzfile *tz = zone("Europe/Berlin");
	int32_t off;

	(void)state;
	/* TZ says New York: the zone still answers for Berlin, TZ unchanged. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	tzfile_lookup(tz, at("2026-07-01T12:00:00Z"), &off, NULL);
	assert_int_equal(off, 2 * HOUR);
	assert_string_equal(getenv("TZ"), "America/New_York");
	unsetenv("TZ");
	tzfile_lookup(tz, at("2026-07-01T12:00:00Z"), &off, NULL);
	assert_null(getenv("TZ"));
	tzfile_free(tz);
}

/* A version 2 file with no transition, only the footer's rule. */
static void
test_footer_rule_alone(void **state)
{
	static const char footer[] = "\nCET-1CEST,M3.5.0,M10.5.0/3\n";
	unsigned char buf[256];
	struct tzfile *tz;
	size_t len = 0, block;
	int32_t off;
	char abbr[TZFILE_ABBR_LEN];

	(void)state;
	/* Two blocks, each: header (typecnt 1, charcnt 4), one type, "CET\0". */
	for (block = 0; block < 2; block++) {
		memset(buf + len, 0, 44);
		memcpy(buf + len, "TZif2", 5);
		buf[len + 39] = 1; /* typecnt */
		buf[len + 43] = 4; /* charcnt */
		len += 44;
		memcpy(buf + len, "\0\0\x0e\x10\0\0", 6); /* +3600, std, 0 */
		len += 6;
		memcpy(buf + len, "CET", 4);
		len += 4;
	}
	memcpy(buf + len, footer, sizeof footer - 1);
	len += sizeof footer - 1;
	tz = tzfile_parse("Test/Footer", buf, len, NULL);
	assert_non_null(tz);
	tzfile_lookup(tz, at("2026-10-25T00:59:59Z"), &off, abbr);
	assert_int_equal(off, 2 * HOUR);
	assert_string_equal(abbr, "CEST");
	tzfile_lookup(tz, at("2026-10-25T01:00:00Z"), &off, abbr);
	assert_int_equal(off, HOUR);
	assert_string_equal(abbr, "CET");
	tzfile_free(tz);
	/* Cut short, or not TZif: refused. */
	assert_null(tzfile_parse("Test/Cut", buf, 60, NULL));
	assert_null(tzfile_parse("Test/Not", "hello, world", 12, NULL));
}

static void
test_bad_names_are_refused(void **state)
{
	static const char *const bad[] = { "", "/etc/passwd", "../etc/passwd",
		"Europe//Berlin", "Europe/./Berlin", "Mars/Base", "Europe",
		"Europe/Berlin;rm" };
	char *cause = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_null(tzfile_load(bad[i], &cause));
		assert_non_null(cause);
		assert_non_null(strstr(cause, "unknown time zone"));
		free(cause);
		cause = NULL;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_berlin_changes_to_summer_and_back_in_2026),
		cmocka_unit_test(test_same_case_reads_in_each_shops_zone),
		cmocka_unit_test(test_matches_glibc_from_1900_to_2100),
		cmocka_unit_test(test_lookup_never_touches_the_environment),
		cmocka_unit_test(test_footer_rule_alone),
		cmocka_unit_test(test_bad_names_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

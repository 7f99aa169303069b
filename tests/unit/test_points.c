/* SPDX-License-Identifier: ISC */
/*
 * test_points.c: penalty points (core points.c): totals with 365-day
 * expiry and anchors, the general-IP daily cap, the strike merge, the
 * next threshold and its level, crossings, the configuration's checks.
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

#include "points.h"

#define DAY 86400
#define T0 ((time_t)1767225600) /* 2026-01-01T00:00:00Z */

static void
test_total_expiry(void **state)
{
	struct points_config cfg;
	struct points_entry e[] = { { 2, T0, "2026-01-01", 0 },
		{ 2, T0 + 100 * DAY, "2026-04-11", 0 } };
	time_t next;

	(void)state;
	points_config_init(&cfg);
	assert_int_equal(points_total(&cfg, e, 2, T0 + 200 * DAY, &next), 4);
	assert_int_equal(next, T0 + 365 * DAY);
	/* The first counts for 365 days, not one second more. */
	assert_int_equal(points_total(&cfg, e, 2, T0 + 365 * DAY - 1, NULL), 4);
	assert_int_equal(points_total(&cfg, e, 2, T0 + 365 * DAY, &next), 2);
	assert_int_equal(next, T0 + 465 * DAY);
	assert_int_equal(points_total(&cfg, e, 2, T0 + 465 * DAY, &next), 0);
	assert_int_equal(next, 0);
	/* Not yet dated: an entry of the future does not count. */
	assert_int_equal(points_total(&cfg, e, 2, T0 + 10 * DAY, NULL), 2);
}

static void
test_anchor(void **state)
{
	struct points_config cfg;
	struct points_entry e[] = { { 2, T0, NULL, 0 }, { 4, T0, NULL, 0 },
		{ 10, T0 + 10 * DAY, NULL, 1 }, { 2, T0 + 20 * DAY, NULL, 0 } };

	(void)state;
	points_config_init(&cfg);
	/* The seller's figure replaces what came before it. */
	assert_int_equal(points_total(&cfg, e, 4, T0 + 15 * DAY, NULL), 10);
	assert_int_equal(points_total(&cfg, e, 4, T0 + 30 * DAY, NULL), 12);
	/* ... and expires like an entry. */
	assert_int_equal(points_total(&cfg, e, 4, T0 + 376 * DAY, NULL), 2);
}

static void
test_cap_merge(void **state)
{
	struct points_config cfg;
	const struct points_ledger *ip, *serious, *lq;
	struct points_entry e[] = { { 2, T0, "2026-01-01", 0 },
		{ 2, T0 + 60, "2026-01-01", 0 } };
	struct points_entry s[] = { { 1, T0, NULL, 0 } };
	const char *why;

	(void)state;
	points_config_init(&cfg);
	ip = points_ledger(&cfg, "ip_general");
	serious = points_ledger(&cfg, "ip_serious");
	lq = points_ledger(&cfg, "listing_quality");
	assert_non_null(ip);
	assert_int_equal(
	    points_admit(&cfg, ip, e, 2, T0 + 120, "2026-01-01", 2, &why), 2);
	assert_null(why);
	assert_int_equal(
	    points_admit(&cfg, ip, e, 2, T0 + 120, "2026-01-01", 6, &why), 2);
	assert_string_equal(why, "capped");
	assert_int_equal(
	    points_admit(&cfg, ip, e, 2, T0 + DAY, "2026-01-02", 6, &why), 6);
	/* The listing-quality ledger has no cap. */
	assert_int_equal(
	    points_admit(&cfg, lq, e, 2, T0 + 120, "2026-01-01", 6, &why), 6);
	/* Strikes within 3 days are one. */
	assert_int_equal(
	    points_admit(&cfg, serious, s, 1, T0 + 2 * DAY, NULL, 1, &why), 0);
	assert_string_equal(why, "merged");
	assert_int_equal(
	    points_admit(&cfg, serious, s, 1, T0 + 3 * DAY, NULL, 1, &why), 1);
}

static void
test_next_crossed(void **state)
{
	struct points_config cfg;
	const struct points_ledger *lq, *ip;
	const char *what;
	int64_t at;
	int severe;

	(void)state;
	points_config_init(&cfg);
	lq = points_ledger(&cfg, "listing_quality");
	ip = points_ledger(&cfg, "ip_general");
	assert_int_equal(
	    points_next(&cfg, lq, 6, &at, &what, &severe), POINTS_CLEAR);
	assert_int_equal(at, 12);
	assert_string_equal(what, "account frozen 7 days");
	assert_int_equal(
	    points_next(&cfg, lq, 8, &at, &what, &severe), POINTS_NEAR);
	assert_int_equal(
	    points_next(&cfg, lq, 10, &at, &what, &severe), POINTS_CRITICAL);
	assert_int_equal(
	    points_next(&cfg, lq, 12, &at, &what, &severe), POINTS_CLEAR);
	assert_int_equal(at, 24);
	assert_int_equal(points_crossed(lq, 10, 12, &what), 12);
	assert_int_equal(points_crossed(lq, 22, 26, &what), 24);
	assert_int_equal(points_crossed(lq, 12, 14, &what), 0);
	/* An empty ledger warns of nothing, even one strike from a freeze. */
	assert_int_equal(points_next(&cfg, points_ledger(&cfg, "ip_serious"), 0,
			     &at, &what, &severe),
	    POINTS_CLEAR);
	assert_int_equal(at, 1);
	assert_int_equal(
	    points_next(&cfg, ip, 46, &at, &what, &severe), POINTS_CRITICAL);
	assert_string_equal(what, "account closed");
	assert_int_equal(
	    points_next(&cfg, ip, 48, &at, &what, &severe), POINTS_CLEAR);
	assert_int_equal(at, 0);
	assert_null(what);
}

static void
test_config_check(void **state)
{
	struct points_config cfg;
	struct points_rule bad[] = { { "nonsense", "trade", 2 } };
	struct points_rule badl[] = { { "tro", "nowhere", 2 } };
	char *cause = NULL;

	(void)state;
	points_config_init(&cfg);
	assert_int_equal(points_config_check(&cfg, &cause), 0);
	assert_null(points_rule(&cfg, "tro"));
	assert_string_equal(
	    points_rule(&cfg, "category_misplaced")->ledger, "listing_quality");
	cfg.rules = bad;
	cfg.nrules = 1;
	assert_int_equal(points_config_check(&cfg, &cause), -1);
	assert_string_equal(cause, "points: unknown reason \"nonsense\"");
	free(cause);
	cause = NULL;
	cfg.rules = badl;
	assert_int_equal(points_config_check(&cfg, &cause), -1);
	assert_non_null(strstr(cause, "unknown ledger \"nowhere\""));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_total_expiry),
		cmocka_unit_test(test_anchor),
		cmocka_unit_test(test_cap_merge),
		cmocka_unit_test(test_next_crossed),
		cmocka_unit_test(test_config_check),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

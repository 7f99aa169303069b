/* SPDX-License-Identifier: ISC */
/*
 * test_budget.c: a source's call budget: the token bucket, the Beijing
 * quota day and the plan that fits intervals into a daily quota.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "budget.h"

/* 2026-11-30T15:59:59Z is 23:59:59 in Beijing; a second later, a new day. */
#define LAST_SECOND 1796054399
#define MIDNIGHT 1796054400

static void
test_beijing_day(void **state)
{
	(void)state;
	assert_int_equal(budget_day(LAST_SECOND) + 1, budget_day(MIDNIGHT));
	assert_int_equal(budget_day(MIDNIGHT), budget_day(MIDNIGHT + 86399));
	assert_int_equal(budget_day_end(LAST_SECOND), MIDNIGHT);
	assert_int_equal(budget_day_end(MIDNIGHT), MIDNIGHT + 86400);
	/* 08:00 UTC is 16:00 in Beijing: the same day as 00:00 Beijing. */
	assert_int_equal(budget_day(MIDNIGHT + 8 * 3600), budget_day(MIDNIGHT));
	assert_int_equal(budget_day_end(0), 16 * 3600);
}

static void
test_bucket_rate(void **state)
{
	struct budget_bucket b;
	double t = 100.0, wait;
	int calls = 0, i;

	(void)state;
	budget_bucket_init(&b, 2.0, 1.0, t);
	assert_true(budget_bucket_take(&b, t) == 0);
	wait = budget_bucket_take(&b, t);
	assert_true(wait > 0.49 && wait < 0.51);
	/* Over ten seconds in small steps: never more than rate a second. */
	for (i = 0; i < 1000; i++) {
		t += 0.01;
		if (budget_bucket_take(&b, t) == 0)
			calls++;
	}
	assert_in_range(calls, 19, 20);
}

static void
test_bucket_burst(void **state)
{
	struct budget_bucket b;

	(void)state;
	budget_bucket_init(&b, 1.0, 5.0, 0.0);
	for (int i = 0; i < 5; i++)
		assert_true(budget_bucket_take(&b, 0.0) == 0);
	assert_true(budget_bucket_take(&b, 0.0) > 0);
	/* A long idle time fills it to burst, not beyond. */
	for (int i = 0; i < 5; i++)
		assert_true(budget_bucket_take(&b, 1000.0) == 0);
	assert_true(budget_bucket_take(&b, 1000.0) > 0);
	/* A clock that goes back takes nothing away. */
	assert_true(budget_bucket_take(&b, 999.0) > 0);
}

/*
 * A bucket with a burst and tokens saved up, taken through the window:
 * no span of a second holds more than the rate's calls, whatever the
 * bucket allows, and the window lets them go when a second has passed.
 */
static void
test_window_holds_rate(void **state)
{
	struct budget_bucket b;
	struct budget_window w;
	double t = 1000.0, times[4096], wait;
	int n = 0, i, j, rate;

	(void)state;
	for (rate = 5; rate <= 80; rate *= 4) {
		memset(&w, 0, sizeof w);
		budget_window_rate(&w, rate);
		budget_bucket_init(&b, rate, rate, t);
		n = 0;
		/* Ten seconds in 1 ms steps, always something to call. */
		for (i = 0; i < 10000; i++, t += 0.001) {
			if (budget_window_wait(&w, t) > 0 ||
			    budget_bucket_take(&b, t) > 0)
				continue;
			budget_window_count(&w, t);
			times[n++] = t;
		}
		/* Within any second: at most rate; the rate is kept up. */
		for (i = 0, j = 0; i < n; i++) {
			while (times[i] - times[j] >= 1.0)
				j++;
			assert_true(i - j + 1 <= rate);
		}
		assert_true(n >= rate * 9);
	}
	/* Full: the wait is until the oldest slice leaves, 1.05 s on. */
	memset(&w, 0, sizeof w);
	budget_window_rate(&w, 2);
	budget_window_count(&w, 10.0);
	budget_window_count(&w, 10.5);
	wait = budget_window_wait(&w, 10.6);
	assert_true(wait > 0.44 && wait < 0.46);
	assert_true(budget_window_wait(&w, 11.06) == 0);
	/* A rate below one: one call in any window. */
	memset(&w, 0, sizeof w);
	budget_window_rate(&w, 0.5);
	budget_window_count(&w, 10.0);
	assert_true(budget_window_wait(&w, 10.9) > 0);
}

static void
test_plan_fits(void **state)
{
	struct budget_need need[2] = {
		{ .sweeps = 96, .cases = 48, .healthy = 480 },
		{ .sweeps = 96, .catalog = 1, .healthy = 100 },
	};
	struct budget_plan p;

	(void)state;
	budget_plan(need, 2, 5000, &p);
	assert_true(p.fits);
	assert_true(p.stretch == 1);
	assert_true(p.needed == 821);
	assert_true(p.fixed == 241);
}

static void
test_plan_stretches_healthy_only(void **state)
{
	/* 10,000 listings checked every 30 minutes: 480,000 calls a day. */
	struct budget_need need = { .sweeps = 96,
		.catalog = 201,
		.cases = 5 * 48,
		.healthy = 10000 * 48 };
	struct budget_plan p;

	(void)state;
	budget_plan(&need, 1, 5000, &p);
	assert_false(p.fits);
	assert_true(p.fixed == 96 + 201 + 240);
	/* The healthy checks get what is left of 90% of the quota. */
	assert_true(p.stretch >= 480000.0 / (4500 - 537));
	assert_true(p.stretch < 480000.0 / (4500 - 537) + 0.01);
	/* Checked that much less often, they fit. */
	assert_true(p.fixed + 480000.0 / p.stretch <= 4500);
}

static void
test_plan_no_room(void **state)
{
	struct budget_need need = {
		.sweeps = 1440, .cases = 10000, .healthy = 100
	};
	struct budget_plan p;

	(void)state;
	budget_plan(&need, 1, 5000, &p);
	assert_false(p.fits);
	assert_true(p.stretch == 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_beijing_day),
		cmocka_unit_test(test_bucket_rate),
		cmocka_unit_test(test_bucket_burst),
		cmocka_unit_test(test_window_holds_rate),
		cmocka_unit_test(test_plan_fits),
		cmocka_unit_test(test_plan_stretches_healthy_only),
		cmocka_unit_test(test_plan_no_room),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

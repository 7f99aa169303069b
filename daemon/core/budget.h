/* SPDX-License-Identifier: ISC */
/*
 * budget.h: a source's call budget (budget.c): the token bucket, the
 * platform's quota day (Beijing time) and the plan that fits the configured
 * intervals into the daily quota.
 *
 * Pure: no clock, no I/O, no allocation; times come in as arguments.
 */

#ifndef BUDGET_H
#define BUDGET_H

#include <stdint.h>
#include <time.h>

/* The platform counts its quota per day in Beijing time (UTC+8). */
#define BUDGET_BEIJING_OFFSET (8 * 3600)
/* Share of the quota the plan leaves for confirmations and retries. */
#define BUDGET_HEADROOM 0.1

struct budget_bucket {
	double rate; /* tokens per second, > 0 */
	double burst; /* capacity, >= 1 */
	double tokens;
	double last; /* monotonic seconds of the last refill */
};

/* A full bucket at monotonic time now. */
void budget_bucket_init(
    struct budget_bucket *, double rate, double burst, double now);
/*
 * Takes a token at monotonic time now: returns 0, or the seconds to wait
 * until one is there (nothing taken).
 */
double budget_bucket_take(struct budget_bucket *, double now);

/*
 * The platform bans by the second: whatever the bucket allows, no second
 * may hold more than the rate's whole calls. A window counts the calls of
 * the last BUDGET_WINDOW seconds (a second and a margin for calls that
 * take longer on their way than others) in slices of BUDGET_SLICE.
 */
#define BUDGET_SLICE 0.01
#define BUDGET_WINDOW_SLICES 105 /* 1.05 s */
#define BUDGET_RING 128 /* > BUDGET_WINDOW_SLICES */

struct budget_window {
	int64_t limit; /* calls in any window: the rate's whole part, >= 1 */
	int64_t last; /* the newest slice counted */
	int64_t sum; /* the calls of the slices (last - WINDOW, last] */
	uint32_t n[BUDGET_RING]; /* calls per slice, a ring */
};

/*
 * Sets the rate of w (a zeroed window is empty); the calls it counted
 * still count.
 */
void budget_window_rate(struct budget_window *, double rate);
/*
 * Whether a call at monotonic time now keeps to the limit: 0, or the
 * seconds until one may (then nothing is counted).
 */
double budget_window_wait(struct budget_window *, double now);
/* Counts a call at monotonic time now. */
void budget_window_count(struct budget_window *, double now);

/* The Beijing day number of a UTC time, and when the next one starts. */
int64_t budget_day(time_t);
time_t budget_day_end(time_t);

/* One shop's demand on its source, in checks per day. */
struct budget_need {
	double sweeps; /* sweep calls (pages) */
	double catalog; /* catalog pages */
	double cases; /* re-checks of listings with an open case */
	double healthy; /* checks of tracked listings without a case */
};

struct budget_plan {
	double needed; /* calls/day the configured intervals need */
	double fixed; /* of which may not be stretched */
	double quota;
	double stretch; /* healthy listings' intervals times this (>= 1) */
	int fits;
};

/*
 * Adds up the needs against a daily quota. When they do not fit (with
 * BUDGET_HEADROOM kept free), only the healthy listings' checks are
 * stretched, never the re-checks of open cases; if even those do not fit,
 * the healthy listings share one call a day (and the plan says it does not
 * fit).
 */
void budget_plan(
    const struct budget_need *, int n, double quota, struct budget_plan *);

#endif

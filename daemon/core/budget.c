/* SPDX-License-Identifier: ISC */
/*
 * budget.c: what a source may spend, as arithmetic.
 *
 * The token bucket spreads calls so that the platform never sees more than
 * rate per second (with bursts up to burst); the quota day is Beijing's,
 * because that is when the platform's daily ban ends; the plan says whether
 * the configured intervals fit the daily quota and, if not, how much the
 * checks of healthy listings must be stretched. The scheduler owns the
 * clocks and the counters; this file must not read a clock or keep state.
 */

#include <math.h>
#include <stdint.h>
#include <time.h>

#include "budget.h"

void
budget_bucket_init(
    struct budget_bucket *b, double rate, double burst, double now)
{
	b->rate = rate > 0 ? rate : 1;
	b->burst = burst >= 1 ? burst : 1;
	b->tokens = b->burst;
	b->last = now;
}

double
budget_bucket_take(struct budget_bucket *b, double now)
{
	if (now > b->last) {
		b->tokens += (now - b->last) * b->rate;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
	}
	b->last = now;
	if (b->tokens >= 1) {
		b->tokens -= 1;
		return (0);
	}
	return ((1 - b->tokens) / b->rate);
}

void
budget_window_rate(struct budget_window *w, double rate)
{
	w->limit = rate >= 1 ? (int64_t)floor(rate) : 1;
}

/* The ring's slot of slice s. */
static size_t
budget_slot(int64_t s)
{
	return ((size_t)((s % BUDGET_RING + BUDGET_RING) % BUDGET_RING));
}

/*
 * Moves w to slice now: the slices that leave the window leave its sum,
 * the new ones are empty. Returns the sum.
 */
static int64_t
budget_window_at(struct budget_window *w, int64_t now)
{
	int64_t s;
	size_t i;

	if (now - w->last >= BUDGET_WINDOW_SLICES) {
		for (i = 0; i < BUDGET_RING; i++)
			w->n[i] = 0;
		w->sum = 0;
		w->last = now;
	}
	for (s = w->last + 1; s <= now; s++) {
		w->sum -= w->n[budget_slot(s - BUDGET_WINDOW_SLICES)];
		w->n[budget_slot(s)] = 0;
	}
	if (now > w->last)
		w->last = now;
	return (w->sum);
}

double
budget_window_wait(struct budget_window *w, double now)
{
	int64_t c = (int64_t)floor(now / BUDGET_SLICE), s, sum;

	if (c < w->last)
		c = w->last; /* monotonic time never goes back; be safe */
	sum = budget_window_at(w, c);
	if (sum < w->limit)
		return (0);
	/* The oldest slices leave the window until one call fits. */
	for (s = c - BUDGET_WINDOW_SLICES + 1; s <= c; s++) {
		sum -= w->n[budget_slot(s)];
		if (sum < w->limit)
			break;
	}
	return ((double)(s + BUDGET_WINDOW_SLICES) * BUDGET_SLICE - now);
}

void
budget_window_count(struct budget_window *w, double now)
{
	int64_t c = (int64_t)floor(now / BUDGET_SLICE);

	if (c < w->last)
		c = w->last;
	(void)budget_window_at(w, c);
	w->n[budget_slot(c)]++;
	w->sum++;
}

int64_t
budget_day(time_t t)
{
	int64_t s = (int64_t)t + BUDGET_BEIJING_OFFSET;

	return (s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
}

time_t
budget_day_end(time_t t)
{
	return ((time_t)((budget_day(t) + 1) * 86400 - BUDGET_BEIJING_OFFSET));
}

void
budget_plan(
    const struct budget_need *need, int n, double quota, struct budget_plan *p)
{
	double healthy = 0, room;
	int i;

	p->needed = p->fixed = 0;
	p->quota = quota;
	for (i = 0; i < n; i++) {
		p->fixed += need[i].sweeps + need[i].catalog + need[i].cases;
		healthy += need[i].healthy;
	}
	p->needed = p->fixed + healthy;
	p->stretch = 1;
	room = quota * (1 - BUDGET_HEADROOM) - p->fixed;
	p->fits = p->needed <= quota * (1 - BUDGET_HEADROOM);
	if (p->fits || healthy <= 0)
		return;
	/* With no room left, a healthy listing waits as long as it takes. */
	if (room < 1)
		room = 1;
	p->stretch = ceil(healthy / room * 100) / 100;
}

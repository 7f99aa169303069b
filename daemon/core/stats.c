/* SPDX-License-Identifier: ISC */
/*
 * stats.c: the Statistics' numbers (see stats.h).
 */

#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "stats.h"

static int stats_cmp(const void *, const void *);
static size_t stats_week(const time_t *, size_t, time_t);

/* The buckets' lower bounds in days, and their names. */
static const struct {
	double from;
	const char *name;
} stats_buckets[STATS_BUCKETS] = {
	{ 0, "0-3" },
	{ 3, "3-7" },
	{ 7, "7-14" },
	{ 14, "14-30" },
	{ 30, "30-60" },
	{ 60, "60+" },
};

static int
stats_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The week t falls in, or nweeks when none does. */
static size_t
stats_week(const time_t *bounds, size_t nweeks, time_t t)
{
	size_t lo = 0, hi = nweeks, mid;

	if (t < bounds[0] || t >= bounds[nweeks])
		return nweeks;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (t >= bounds[mid])
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

size_t
stats_bucket(double days)
{
	size_t i;

	for (i = STATS_BUCKETS - 1; i > 0; i--)
		if (days >= stats_buckets[i].from)
			return i;
	return 0;
}

const char *
stats_bucket_name(size_t i)
{
	return i < STATS_BUCKETS ? stats_buckets[i].name : NULL;
}

double
stats_quantile(const double *x, size_t n, double p)
{
	double h;
	size_t lo;

	if (n == 0)
		return 0;
	if (p <= 0)
		return x[0];
	if (p >= 1)
		return x[n - 1];
	h = (double)(n - 1) * p;
	lo = (size_t)h;
	if (lo + 1 >= n)
		return x[n - 1];
	return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

int
stats_compute(const time_t *bounds, size_t nweeks, time_t now,
    const struct stats_case *c, size_t n, struct stats *out, char **cause)
{
	double *days[CASE_REASON_COUNT + 1];
	size_t i, w, r, k;
	time_t end;

	memset(out, 0, sizeof *out);
	if (nweeks == 0 || nweeks > STATS_MAX_WEEKS) {
		cause_set(cause, "give 1 to %d weeks", STATS_MAX_WEEKS);
		return -1;
	}
	for (w = 0; w < nweeks; w++)
		if (bounds[w] >= bounds[w + 1]) {
			cause_set(cause, "weeks out of order");
			return -1;
		}
	out->nweeks = nweeks;
	out->delisted = xcalloc(nweeks, sizeof *out->delisted);
	out->open = xcalloc(nweeks, sizeof *out->open);
	for (r = 0; r <= CASE_REASON_COUNT; r++)
		days[r] = xcalloc(n ? n : 1, sizeof **days);
	for (i = 0; i < n; i++) {
		if (c[i].reason < 0 || c[i].reason >= CASE_REASON_COUNT)
			continue;
		r = (size_t)c[i].reason;
		if ((w = stats_week(bounds, nweeks, c[i].down)) < nweeks)
			out->delisted[w][r]++;
		if (c[i].back != 0 &&
		    stats_week(bounds, nweeks, c[i].back) < nweeks) {
			double d = (double)(c[i].back - c[i].down) / 86400;

			if (d < 0)
				d = 0;
			days[r][out->days[r].n++] = d;
			days[CASE_REASON_COUNT]
			    [out->days[CASE_REASON_COUNT].n++] = d;
		}
		for (w = 0; w < nweeks && bounds[w] <= now; w++) {
			end = bounds[w + 1] < now ? bounds[w + 1] : now;
			if (c[i].opened <= end &&
			    (c[i].closed == 0 || c[i].closed > end))
				out->open[w]++;
		}
	}
	for (r = 0; r <= CASE_REASON_COUNT; r++) {
		struct stats_days *sd = &out->days[r];

		qsort(days[r], sd->n, sizeof **days, stats_cmp);
		sd->median = stats_quantile(days[r], sd->n, 0.5);
		sd->p90 = stats_quantile(days[r], sd->n, 0.9);
		for (k = 0; k < sd->n; k++)
			sd->hist[stats_bucket(days[r][k])]++;
		free(days[r]);
	}
	return 0;
}

void
stats_clear(struct stats *s)
{
	free(s->delisted);
	free(s->open);
	memset(s, 0, sizeof *s);
}

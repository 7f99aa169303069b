/* SPDX-License-Identifier: ISC */
/*
 * stats.h: the Statistics' numbers (stats.c): delistings per week by
 * reason, days from takedown to reinstatement, open cases at each week's
 * end.
 *
 * Pure: the caller loads the cases (store.c) and cuts the weeks in the
 * shop's zone (calendar_week); this counts. Appeal outcomes are counted
 * by the store's SQL (GROUP BY), so they are not here.
 */

#ifndef STATS_H
#define STATS_H

#include <stddef.h>
#include <time.h>

#include "cases.h"

/* The histogram of days to reinstatement: [0,3) [3,7) [7,14) [14,30)
 * [30,60) [60,...) days. */
#define STATS_BUCKETS 6

/* Most weeks one answer covers (about five years). */
#define STATS_MAX_WEEKS 260

/* A case as the statistics see it. */
struct stats_case {
	int reason; /* enum case_reason; out of range: left out */
	time_t opened; /* the case was opened */
	time_t down; /* the listing was taken down (offline_at, else opened) */
	time_t back; /* first reinstated; 0: never */
	time_t closed; /* 0: still open */
};

/* Days from takedown to reinstatement of the cases reinstated in range. */
struct stats_days {
	unsigned n;
	double median; /* 0 when n is 0 */
	double p90;
	unsigned hist[STATS_BUCKETS];
};

struct stats {
	size_t nweeks;
	unsigned (*delisted)[CASE_REASON_COUNT]; /* [week][reason] */
	unsigned *open; /* open at each week's end (at now, if later) */
	struct stats_days days[CASE_REASON_COUNT + 1]; /* [COUNT]: all */
};

/*
 * Counts cases c[0..n) into the weeks bounds[0..nweeks] (nweeks + 1
 * ascending instants; week i is [bounds[i], bounds[i+1])): a case's
 * takedown counts in its week; a case reinstated within [bounds[0],
 * bounds[nweeks]) counts its days (back - down) by reason; a case is open
 * at an instant e if opened <= e and not closed by e. Returns 0, or -1
 * with *cause set (bad bounds). Free out with stats_clear.
 */
int stats_compute(const time_t *bounds, size_t nweeks, time_t now,
    const struct stats_case *c, size_t n, struct stats *out, char **cause);
void stats_clear(struct stats *);

/*
 * The p-quantile (0 <= p <= 1) of x[0..n) sorted ascending, linearly
 * interpolated between the closest ranks (a spreadsheet's PERCENTILE):
 * p = 0.5 is the median, the mean of the middle two when n is even.
 * 0 when n is 0.
 */
double stats_quantile(const double *x, size_t n, double p);

/* The bucket of a number of days (0 .. STATS_BUCKETS - 1). */
size_t stats_bucket(double days);
/* A bucket's name, "0-3" ... "60+" (JSON, CSV); NULL if out of range. */
const char *stats_bucket_name(size_t);

#endif /* STATS_H */

/* SPDX-License-Identifier: ISC */
/*
 * lifecycle-bulk.c: many cases or listings changed by one request (the
 * bulk routes of api-bulk.c). It selects them by a filter, and wraps the
 * lifecycle's own verbs, run one per item as usual (each appending its
 * event), in one transaction that is kept whole or rolled back whole: a
 * request with one refused item, or a dry run, changes nothing.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistd.h"
#include "calendar.h"
#include "event.h"
#include "lifecycle.h"
#include "lifecycle-private.h"

static int bulk_window(
    const char *, const char *, time_t *, time_t *, struct lifecycle_err *);
static int bulk_check(const struct lifecycle_filter *, struct lifecycle_err *);
static int bulk_listing_times(const struct lifecycle_filter *,
    const struct st_listing *, time_t, int *, struct lifecycle_err *);
static int bulk_listing_cmp(const void *, const void *);

/*
 * The times spec names, for the listings of shop: a date (YYYY-MM-DD, the
 * whole day in the shop's zone), an ISO 8601 time (that second) or two
 * joined by '/' (from the first to the second, both included).
 */
static int
bulk_window(const char *spec, const char *shop, time_t *from, time_t *to,
    struct lifecycle_err *err)
{
	const char *slash = strchr(spec, '/');
	char *cause = NULL, first[64];

	if (slash != NULL) {
		if ((size_t)(slash - spec) >= sizeof first)
			goto bad;
		snprintf(
		    first, sizeof first, "%.*s", (int)(slash - spec), spec);
		if (isotime_parse(first, from) == -1 ||
		    isotime_parse(slash + 1, to) == -1 || *to < *from)
			goto bad;
		return (0);
	}
	if (strlen(spec) == 10) {
		if (calendar_day_start(lifecycle_calendar(shop), spec, 0, from,
			&cause) == -1 ||
		    calendar_day_start(
			lifecycle_calendar(shop), spec, -1, to, &cause) == -1) {
			free(cause);
			goto bad;
		}
		(*to)--;
		return (0);
	}
	if (isotime_parse(spec, from) == 0) {
		*to = *from;
		return (0);
	}
bad:
	lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD,
	    "imported_at: cannot read \"%.64s\": give a date (2026-12-06), "
	    "an ISO 8601 time (2026-12-06T10:00:00+08:00) or FROM/TO",
	    spec);
	return (-1);
}

/* A filter's shop is configured, its imported_at readable (-1 if not). */
static int
bulk_check(const struct lifecycle_filter *f, struct lifecycle_err *err)
{
	time_t from, to;

	if (f->shop != NULL && lifecycle_shop_known(f->shop, err) == -1)
		return (-1);
	if (f->imported_at != NULL &&
	    bulk_window(f->imported_at, f->shop, &from, &to, err) == -1)
		return (-1);
	return (0);
}

/* Whether listing l passes f's time filters (imported_at, older_than). */
static int
bulk_listing_times(const struct lifecycle_filter *f, const struct st_listing *l,
    time_t now, int *pass, struct lifecycle_err *err)
{
	time_t from, to;

	*pass = 1;
	if (f->imported_at != NULL) {
		if (bulk_window(f->imported_at, l->shop, &from, &to, err) == -1)
			return (-1);
		if (l->created_at < from || l->created_at > to)
			*pass = 0;
	}
	if (f->older_than > 0 && l->created_at > now - f->older_than)
		*pass = 0;
	return (0);
}

/*
 * The tracked listings f selects (shop, state as a listing status, reason
 * of their open case, imported_at and older_than on when they were first
 * tracked), in *out (st_listing_clear each, free the array).
 */
int
lifecycle_filter_listings(const struct lifecycle_filter *f,
    struct st_listing **out, size_t *nout, struct lifecycle_err *err)
{
	struct st_listing *l;
	struct st_case c;
	time_t now = clock_now();
	size_t n, i, k = 0;
	int pass;

	*out = NULL;
	*nout = 0;
	if (bulk_check(f, err) == -1)
		return (-1);
	if (store_listings(lifecycle_store(), f->shop, f->state, &l, &n) == -1)
		return (lifecycle_store_fail(err));
	for (i = 0; i < n; i++) {
		if (bulk_listing_times(f, &l[i], now, &pass, err) == -1) {
			for (; i < n; i++)
				st_listing_clear(&l[i]);
			free(l);
			return (-1);
		}
		if (pass && f->reason != NULL) {
			pass = 0;
			if (l[i].open_case != 0 &&
			    store_case_get(
				lifecycle_store(), l[i].open_case, &c) == 0) {
				pass = strcmp(c.reason, f->reason) == 0;
				st_case_clear(&c);
			}
		}
		if (pass)
			l[k++] = l[i];
		else
			st_listing_clear(&l[i]);
	}
	*out = l;
	*nout = k;
	return (0);
}

static int
bulk_listing_cmp(const void *a, const void *b)
{
	const struct st_listing *x = a, *y = b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

/*
 * The IDs of the cases f selects (shop, state, reason, older_than on when
 * they were opened, imported_at on when their listing was first tracked),
 * oldest first, in *out (free it).
 */
int
lifecycle_filter_cases(const struct lifecycle_filter *f, int64_t **out,
    size_t *nout, struct lifecycle_err *err)
{
	struct st_listing *l = NULL, key, *hit;
	struct lifecycle_filter lf;
	struct st_case *c;
	time_t now = clock_now();
	size_t n, nl = 0, i, k = 0;
	int pass;

	*out = NULL;
	*nout = 0;
	if (bulk_check(f, err) == -1)
		return (-1);
	if (f->imported_at != NULL) {
		memset(&lf, 0, sizeof lf);
		lf.shop = f->shop;
		lf.imported_at = f->imported_at;
		if (lifecycle_filter_listings(&lf, &l, &nl, err) == -1)
			return (-1);
		qsort(l, nl, sizeof *l, bulk_listing_cmp);
	}
	if (store_cases(lifecycle_store(), f->shop, f->state, &c, &n) == -1) {
		for (i = 0; i < nl; i++)
			st_listing_clear(&l[i]);
		free(l);
		return (lifecycle_store_fail(err));
	}
	*out = xcalloc(n + 1, sizeof **out);
	for (i = 0; i < n; i++) {
		pass = f->reason == NULL || strcmp(c[i].reason, f->reason) == 0;
		if (f->older_than > 0 && c[i].opened_at > now - f->older_than)
			pass = 0;
		if (pass && f->imported_at != NULL) {
			key.id = c[i].listing_id;
			hit = bsearch(&key, l, nl, sizeof *l, bulk_listing_cmp);
			pass = hit != NULL;
		}
		if (pass)
			(*out)[k++] = c[i].id;
		st_case_clear(&c[i]);
	}
	free(c);
	for (i = 0; i < nl; i++)
		st_listing_clear(&l[i]);
	free(l);
	*nout = k;
	return (0);
}

/* Opens the transaction of a bulk request: every verb inside is a savepoint. */
int
lifecycle_bulk_begin(struct lifecycle_err *err)
{
	if (store_batch_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	return (0);
}

/*
 * Ends it: keep commits every item (and publishes their events), else none
 * of it is kept and nothing is published.
 */
int
lifecycle_bulk_end(int keep, struct lifecycle_err *err)
{
	if (!keep) {
		store_batch_rollback(lifecycle_store());
		/*
		 * The verbs told the timers of changes now undone: they read
		 * the store again, as it is.
		 */
		event_changed(EVENT_CHANGE_DUE);
		return (0);
	}
	if (store_batch_commit(lifecycle_store()) == -1) {
		lifecycle_err_set(err, LIFECYCLE_ERR_STORE,
		    "the state database failed; see the log");
		return (-1);
	}
	lifecycle_published();
	event_changed(EVENT_CHANGE_DUE);
	return (0);
}

/* SPDX-License-Identifier: ISC */
/*
 * api-stats.c: the Statistics, GET /v1/stats (shapes in api.h).
 *
 * The weeks are ISO weeks, Monday 00:00 to Monday 00:00 in the shop's
 * zone (the daemon's for every shop together), cut by calendar_week. The
 * store loads the cases and counts the appeals (SQL); core's stats.c
 * counts the rest. The answer is JSON, or one chart's numbers as CSV
 * (chart=NAME&format=csv), rendered from the same JSON.
 */

#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "calendar.h"
#include "cases.h"
#include "stats.h"

#define STATS_WEEKS_DEFAULT 26

/* The window asked for: its weeks' bounds and names. */
struct stats_window {
	const char *shop; /* NULL: every shop */
	const struct calendar *cal;
	size_t nweeks;
	time_t bounds[STATS_MAX_WEEKS + 1];
	char label[STATS_MAX_WEEKS][CALENDAR_WEEK_LEN];
	char date[STATS_MAX_WEEKS][CALENDAR_DATE_LEN];
};

static int stats_shop(struct api_req *, struct stats_window *);
static int stats_date(
    struct api_req *, const struct stats_window *, const char *, time_t *);
static int stats_window(struct api_req *, struct stats_window *, time_t);
static json_t *stats_days_json(const struct stats_days *);
static json_t *stats_appeal_json(const unsigned *);
static json_t *stats_json(
    const struct stats_window *, const struct stats *, unsigned (*)[3], time_t);
static void stats_csv_cell(struct evbuffer *, const json_t *);
static void stats_csv(struct api_req *, const json_t *, size_t);

/* The charts, for chart=NAME&format=csv: a key of the JSON answer. */
static const char *const stats_charts[] = { "delistings", "appeals",
	"reinstatement", "open" };

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static int
stats_shop(struct api_req *r, struct stats_window *w)
{
	const char *s = api_query(r, "shop"), *p;

	w->shop = NULL;
	if (s == NULL || *s == '\0') {
		w->cal = daemon_state->config->calendar;
		return (0);
	}
	for (p = s; isalnum((unsigned char)*p) || *p == '-' || *p == '_'; p++)
		;
	if (*p != '\0' || p - s > 64) {
		api_error(r, 400, "bad_query",
		    "shop: \"%.64s\" is not a shop name", s);
		return (-1);
	}
	if (config_shop(daemon_state->config, s) == NULL &&
	    store_shop_exists(daemon_state->store, s) != 1) {
		api_error(r, 404, "not_found", "no shop \"%s\"", s);
		return (-1);
	}
	w->shop = s;
	w->cal = config_shop_calendar(daemon_state->config, s);
	return (0);
}

/* A YYYY-MM-DD of the query: the start of its week, in the window's zone. */
static int
stats_date(struct api_req *r, const struct stats_window *w, const char *key,
    time_t *out)
{
	const char *s = api_query(r, key);
	char *cause = NULL;
	time_t t;

	if (calendar_day_start(w->cal, s, 0, &t, &cause) == -1 ||
	    calendar_week(w->cal, t, 0, out, NULL, NULL) == -1) {
		api_error(r, 400, "bad_query", "%s: %s", key,
		    cause ? cause : "out of range");
		free(cause);
		return (-1);
	}
	return (0);
}

/*
 * The weeks: weeks=N (1 to STATS_MAX_WEEKS) ending with this one, or
 * from=DATE to=DATE (either may go: from alone runs to this week, to
 * alone takes the default number of weeks), each date's whole week.
 */
static int
stats_window(struct api_req *r, struct stats_window *w, time_t now)
{
	const char *weeks = api_query(r, "weeks");
	time_t first, last;
	long n = STATS_WEEKS_DEFAULT;
	char *end;
	size_t i;

	if (weeks != NULL &&
	    (api_query(r, "from") != NULL || api_query(r, "to") != NULL)) {
		api_error(r, 400, "bad_query",
		    "give weeks=N or from=DATE and to=DATE, not both");
		return (-1);
	}
	if (weeks != NULL) {
		n = strtol(weeks, &end, 10);
		if (*weeks == '\0' || *end != '\0' || n < 1 ||
		    n > STATS_MAX_WEEKS) {
			api_error(r, 400, "bad_query",
			    "weeks: \"%.16s\" is not a number of weeks from 1 "
			    "to %d",
			    weeks, STATS_MAX_WEEKS);
			return (-1);
		}
	}
	if (api_query(r, "to") != NULL) {
		if (stats_date(r, w, "to", &last) == -1)
			return (-1);
	} else if (calendar_week(w->cal, now, 0, &last, NULL, NULL) == -1) {
		api_error(r, 500, "internal", "cannot cut weeks in %s",
		    calendar_tz(w->cal));
		return (-1);
	}
	if (api_query(r, "from") != NULL) {
		if (stats_date(r, w, "from", &first) == -1)
			return (-1);
	} else if (calendar_week(
		       w->cal, last, (int)(1 - n), &first, NULL, NULL) == -1) {
		api_error(r, 400, "bad_query", "weeks out of range");
		return (-1);
	}
	if (first > last) {
		api_error(r, 400, "bad_query", "from: comes after to");
		return (-1);
	}
	for (i = 0; i <= STATS_MAX_WEEKS; i++) {
		if (calendar_week(w->cal, first, (int)i, &w->bounds[i],
			i < STATS_MAX_WEEKS ? w->label[i] : NULL,
			i < STATS_MAX_WEEKS ? w->date[i] : NULL) == -1) {
			api_error(r, 400, "bad_query", "weeks out of range");
			return (-1);
		}
		if (i > 0 && w->bounds[i - 1] == last) {
			w->nweeks = i;
			return (0);
		}
	}
	api_error(
	    r, 400, "bad_query", "give at most %d weeks", STATS_MAX_WEEKS);
	return (-1);
}

/* Days rounded to a tenth. */
#define STATS_TENTHS(d) json_real((double)(long long)((d)*10 + 0.5) / 10)

static json_t *
stats_days_json(const struct stats_days *d)
{
	json_t *o, *hist = json_array();
	size_t k;

	for (k = 0; k < STATS_BUCKETS; k++)
		json_array_append_new(hist, json_integer(d->hist[k]));
	o = json_pack("{s:I,s:o,s:o,s:o}", "reinstated", (json_int_t)d->n,
	    "median_days", d->n ? STATS_TENTHS(d->median) : json_null(),
	    "p90_days", d->n ? STATS_TENTHS(d->p90) : json_null(), "histogram",
	    hist);
	return (o);
}

/* a[enum appeal_decision] */
static json_t *
stats_appeal_json(const unsigned *a)
{
	return (json_pack("{s:I,s:I,s:I,s:I}", "approved",
	    (json_int_t)a[APPEAL_APPROVED], "rejected",
	    (json_int_t)a[APPEAL_REJECTED], "pending",
	    (json_int_t)a[APPEAL_UNDECIDED], "total",
	    (json_int_t)(a[0] + a[1] + a[2])));
}

static json_t *
stats_json(const struct stats_window *w, const struct stats *s,
    unsigned (*appeals)[3], time_t now)
{
	char b1[ISOTIME_LEN];
	unsigned all[3] = { 0, 0, 0 }, tot;
	int used[CASE_REASON_COUNT] = { 0 };
	json_t *doc, *reasons, *buckets, *weeks, *ap, *re, *open, *o, *by;
	size_t i, r, k;

	for (r = 0; r < CASE_REASON_COUNT; r++) {
		for (i = 0; i < s->nweeks; i++)
			used[r] |= s->delisted[i][r] != 0;
		for (k = 0; k < 3; k++) {
			used[r] |= appeals[r][k] != 0;
			all[k] += appeals[r][k];
		}
		used[r] |= s->days[r].n != 0;
	}
	reasons = json_array();
	ap = json_array();
	re = json_array();
	for (r = 0; r < CASE_REASON_COUNT; r++) {
		const char *name = cases_reason_name((enum case_reason)r);

		if (!used[r])
			continue;
		json_array_append_new(reasons, json_string(name));
		o = stats_appeal_json(appeals[r]);
		json_object_set_new(o, "reason", json_string(name));
		json_array_append_new(ap, o);
		o = stats_days_json(&s->days[r]);
		json_object_set_new(o, "reason", json_string(name));
		json_array_append_new(re, o);
	}
	buckets = json_array();
	for (k = 0; k < STATS_BUCKETS; k++)
		json_array_append_new(
		    buckets, json_string(stats_bucket_name(k)));
	weeks = json_array();
	open = json_array();
	for (i = 0; i < s->nweeks; i++) {
		by = json_object();
		tot = 0;
		for (r = 0; r < CASE_REASON_COUNT; r++) {
			if (!used[r])
				continue;
			json_object_set_new(by,
			    cases_reason_name((enum case_reason)r),
			    json_integer(s->delisted[i][r]));
			tot += s->delisted[i][r];
		}
		json_array_append_new(weeks,
		    json_pack("{s:s,s:s,s:I,s:o}", "week", w->label[i], "start",
			w->date[i], "total", (json_int_t)tot, "by_reason", by));
		if (w->bounds[i] > now)
			continue;
		json_array_append_new(open,
		    json_pack("{s:s,s:s,s:o,s:I}", "week", w->label[i], "start",
			w->date[i], "at",
			json_time(
			    w->bounds[i + 1] < now ? w->bounds[i + 1] : now),
			"open", (json_int_t)s->open[i]));
	}
	doc = json_pack("{s:o,s:s,s:s,s:s,s:o,s:I,s:o,s:o,s:o,s:o}", "shop",
	    w->shop ? json_string(w->shop) : json_null(), "timezone",
	    calendar_tz(w->cal), "week_start", "monday", "from",
	    isotime_format(w->bounds[0], b1, sizeof b1), "to",
	    json_time(w->bounds[w->nweeks]), "weeks", (json_int_t)w->nweeks,
	    "generated_at", json_time(now), "reasons", reasons, "buckets",
	    buckets, "delistings", weeks);
	json_object_set_new(doc, "appeals",
	    json_pack(
		"{s:o,s:o}", "by_reason", ap, "all", stats_appeal_json(all)));
	json_object_set_new(doc, "reinstatement",
	    json_pack("{s:o,s:o}", "by_reason", re, "all",
		stats_days_json(&s->days[CASE_REASON_COUNT])));
	json_object_set_new(doc, "open", open);
	return (doc);
}

static void
stats_csv_cell(struct evbuffer *b, const json_t *v)
{
	if (json_is_string(v))
		evbuffer_add_printf(b, "%s", json_string_value(v));
	else if (json_is_integer(v))
		evbuffer_add_printf(
		    b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		evbuffer_add_printf(b, "%.1f", json_real_value(v));
}

/*
 * One chart's numbers, a header row first. Every cell is a number, an ISO
 * week or date, or a reason's name: nothing to quote.
 */
static void
stats_csv(struct api_req *r, const json_t *doc, size_t chart)
{
	static const char *const dec[] = { "approved", "rejected", "pending",
		"total" };
	const json_t *reasons = json_object_get(doc, "reasons"), *row, *v;
	const json_t *buckets = json_object_get(doc, "buckets");
	struct evbuffer *b = evbuffer_new();
	const json_t *rows, *all = NULL;
	char *disp;
	size_t i, k;

	switch (chart) {
	case 0: /* delistings */
		evbuffer_add_printf(b, "week,week_start");
		json_array_foreach (reasons, k, v)
			evbuffer_add_printf(b, ",%s", json_string_value(v));
		evbuffer_add_printf(b, ",total\r\n");
		json_array_foreach (
		    json_object_get(doc, "delistings"), i, row) {
			evbuffer_add_printf(b, "%s,%s",
			    json_string_value(json_object_get(row, "week")),
			    json_string_value(json_object_get(row, "start")));
			json_array_foreach (reasons, k, v) {
				evbuffer_add_printf(b, ",");
				stats_csv_cell(b,
				    json_object_get(
					json_object_get(row, "by_reason"),
					json_string_value(v)));
			}
			evbuffer_add_printf(b, ",");
			stats_csv_cell(b, json_object_get(row, "total"));
			evbuffer_add_printf(b, "\r\n");
		}
		break;
	case 1: /* appeals */
	case 2: /* reinstatement */
		rows = json_object_get(
		    json_object_get(doc, stats_charts[chart]), "by_reason");
		all = json_object_get(
		    json_object_get(doc, stats_charts[chart]), "all");
		if (chart == 1)
			evbuffer_add_printf(
			    b, "reason,approved,rejected,pending,total\r\n");
		else {
			evbuffer_add_printf(
			    b, "reason,reinstated,median_days,p90_days");
			json_array_foreach (buckets, k, v)
				evbuffer_add_printf(
				    b, ",days_%s", json_string_value(v));
			evbuffer_add_printf(b, "\r\n");
		}
		for (i = 0; i <= json_array_size(rows); i++) {
			row = i < json_array_size(rows)
			    ? json_array_get(rows, i)
			    : all;
			evbuffer_add_printf(b, "%s",
			    row == all ? "all"
				       : json_string_value(
					     json_object_get(row, "reason")));
			if (chart == 1) {
				for (k = 0; k < nitems(dec); k++) {
					evbuffer_add_printf(b, ",");
					stats_csv_cell(
					    b, json_object_get(row, dec[k]));
				}
			} else {
				evbuffer_add_printf(b, ",");
				stats_csv_cell(
				    b, json_object_get(row, "reinstated"));
				evbuffer_add_printf(b, ",");
				stats_csv_cell(
				    b, json_object_get(row, "median_days"));
				evbuffer_add_printf(b, ",");
				stats_csv_cell(
				    b, json_object_get(row, "p90_days"));
				json_array_foreach (
				    json_object_get(row, "histogram"), k, v) {
					evbuffer_add_printf(b, ",");
					stats_csv_cell(b, v);
				}
			}
			evbuffer_add_printf(b, "\r\n");
		}
		break;
	default: /* open */
		evbuffer_add_printf(b, "week,week_start,at,open\r\n");
		json_array_foreach (json_object_get(doc, "open"), i, row) {
			evbuffer_add_printf(b, "%s,%s,%s,",
			    json_string_value(json_object_get(row, "week")),
			    json_string_value(json_object_get(row, "start")),
			    json_string_value(json_object_get(row, "at")));
			stats_csv_cell(b, json_object_get(row, "open"));
			evbuffer_add_printf(b, "\r\n");
		}
		break;
	}
	xasprintf(&disp, "attachment; filename=\"delistd-%s-%s.csv\"",
	    stats_charts[chart],
	    json_is_string(json_object_get(doc, "shop"))
		? json_string_value(json_object_get(doc, "shop"))
		: "all");
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Content-Disposition", disp);
	free(disp);
	api_send_text(r, 200, "text/csv; charset=utf-8", b);
	evbuffer_free(b);
}

void
api_stats_get(struct api_req *r)
{
	static const char *const keys[] = { "shop", "weeks", "from", "to",
		"chart", "format" };
	static struct stats_window w;
	unsigned appeals[CASE_REASON_COUNT][3];
	const char *chart = api_query(r, "chart");
	const char *format = api_query(r, "format");
	struct stats_case *cases;
	struct stats s;
	size_t n, c = nitems(stats_charts);
	time_t now = clock_now();
	char *cause = NULL;
	json_t *doc;

	if (api_query_keys(r, keys, nitems(keys)) == -1)
		return;
	if (format != NULL && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0) {
		api_error(r, 400, "bad_query",
		    "format: \"%.16s\" is neither json nor csv", format);
		return;
	}
	for (c = 0; chart != NULL && c < nitems(stats_charts); c++)
		if (strcmp(chart, stats_charts[c]) == 0)
			break;
	if ((chart != NULL) != (format != NULL && strcmp(format, "csv") == 0) ||
	    c == nitems(stats_charts)) {
		api_error(r, 400, "bad_query",
		    "format=csv takes one chart: chart=delistings, appeals, "
		    "reinstatement or open");
		return;
	}
	memset(&w, 0, sizeof w);
	if (stats_shop(r, &w) == -1 || stats_window(r, &w, now) == -1)
		return;
	if (store_stats_cases(daemon_state->store, w.shop, w.bounds[0],
		w.bounds[w.nweeks], &cases, &n) == -1)
		goto fail;
	if (store_stats_appeals(daemon_state->store, w.shop, w.bounds[0],
		w.bounds[w.nweeks], appeals) == -1) {
		free(cases);
		goto fail;
	}
	if (stats_compute(w.bounds, w.nweeks, now, cases, n, &s, &cause) ==
	    -1) {
		api_error(r, 500, "internal", "%s", cause);
		free(cause);
		free(cases);
		return;
	}
	free(cases);
	doc = stats_json(&w, &s, appeals, now);
	stats_clear(&s);
	if (chart != NULL) {
		stats_csv(r, doc, c);
		json_decref(doc);
	} else
		api_reply(r, 200, doc);
	return;
fail:
	api_error(r, 500, "store", "cannot read the cases");
}

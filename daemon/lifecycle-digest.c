/* SPDX-License-Identifier: ISC */
/*
 * lifecycle-digest.c: a shop's daily digest (digest.daily) and the
 * warnings a person must see: the calendar's uncovered years, the
 * listings a source cannot find.
 *
 * It must not call anything above it by name (event.c fans out).
 */

#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "delistd.h"
#include "calendar.h"
#include "cases.h"
#include "event.h"
#include "lifecycle.h"
#include "lifecycle-private.h"
#include "preflight-run.h"
#include "fingerprint.h"
#include "i18n.h"

/* A year a calendar leaves uncovered (lifecycle_uncovered). */
struct lifecycle_uncovered {
	const char *shop; /* NULL: the daemon's calendar */
	const char *timezone;
	int year;
	char *text;
};

struct lifecycle_orphans {
	struct warning **v;
	size_t *n;
};

static size_t lifecycle_uncovered(
    const char *, time_t, time_t *, struct lifecycle_uncovered **);
static void lifecycle_uncovered_free(struct lifecycle_uncovered *, size_t);
static void lifecycle_orphan_warning(const char *, int64_t, void *);
static json_t *lifecycle_digest_at_risk(const char *);
static json_t *lifecycle_digest_points(const char *);

/*
 * When a shop's next daily digest is due: digest_at local time on the
 * first business day at or after the last one (or the time the daemon
 * first saw the shop) plus a second. 0 on failure.
 */
/*
 * The digest's "at_risk" (event data): the shop's tracked listings with
 * standing findings, [{"product_id","title","findings":[{"code","term",
 * "field","quote","fix","raised_at"}]}], by product id.
 */
static json_t *
lifecycle_digest_at_risk(const char *shop)
{
	struct st_finding *f;
	size_t n, i;
	json_t *arr = json_array(), *cur = NULL;
	int64_t last = 0;

	if (store_findings(lifecycle_store(), 0, shop, &f, &n) == -1)
		return (arr);
	for (i = 0; i < n; i++) {
		if (cur == NULL || f[i].listing_id != last) {
			cur = json_array();
			json_array_append_new(arr,
			    json_pack("{s:s,s:o,s:o}", "product_id",
				f[i].product_id, "title",
				f[i].title ? json_string(f[i].title)
					   : json_null(),
				"findings", cur));
			last = f[i].listing_id;
		}
		json_array_append_new(cur, json_finding(&f[i]));
	}
	st_findings_free(f, n);
	return (arr);
}

/*
 * The digest's "points" (event data): the shop's ledgers near a
 * threshold, [{"ledger","label","unit","total","next_threshold",
 * "consequence","severe","level","typical","next_expiry_at","expiring":
 * [{"at","points","case"}]}].
 */
static json_t *
lifecycle_digest_points(const char *shop)
{
	struct lifecycle_points p;
	const struct lifecycle_ledger *l;
	json_t *arr = json_array(), *exp;
	size_t i, k;

	if (lifecycle_points(shop, &p) == -1)
		return (arr);
	for (i = 0; i < p.n; i++) {
		l = &p.ledgers[i];
		if (l->level == POINTS_CLEAR)
			continue;
		exp = json_array();
		for (k = 0; k < l->n; k++) {
			if (!l->counting[k])
				continue;
			json_array_append_new(exp,
			    json_pack("{s:o,s:I,s:o}", "at",
				json_time(l->v[k].at + (time_t)p.expiry),
				"points", (json_int_t)l->v[k].points, "case",
				l->v[k].case_id ? json_integer(l->v[k].case_id)
						: json_null()));
		}
		json_array_append_new(arr,
		    json_pack("{s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:s,s:I,s:o,s:o}",
			"ledger", l->def->name, "label", l->def->label, "unit",
			l->unit, "total", (json_int_t)l->total,
			"next_threshold",
			l->next_threshold ? json_integer(l->next_threshold)
					  : json_null(),
			"consequence",
			l->consequence ? json_string(l->consequence)
				       : json_null(),
			"severe",
			l->next_threshold ? json_boolean(l->severe)
					  : json_null(),
			"level", points_level_name(l->level), "typical",
			(json_int_t)l->def->typical, "next_expiry_at",
			json_time(l->next_expiry), "expiring", exp));
	}
	lifecycle_points_free(&p);
	return (arr);
}

time_t
lifecycle_digest_due(const struct config_shop *shop)
{
	time_t last = store_digest_last(lifecycle_store(), shop->name), t;

	/* An error is not a first sight: that could skip today's digest. */
	if (last == -1)
		return (0);
	if (last == 0) {
		/* First sight: today's digest if it is still to come. */
		last = clock_now() - 1;
		if (store_digest_set(lifecycle_store(), shop->name, last) == -1)
			return (0);
	}
	t = calendar_next_business_at(
	    lifecycle_calendar(shop->name), last + 1, (int)shop->digest_at);
	return (t == (time_t)-1 ? 0 : t);
}

/* One open case as the digest lists it. */
static json_t *
lifecycle_digest_case(
    const struct st_case *c, const struct calendar *cal, time_t now)
{
	const struct config_rules *r = &lifecycle_config()->rules;
	struct st_appeal *ap;
	size_t nap, i, tier;
	json_t *esc = json_null(), *j;
	char buf[ISOTIME_LEN];
	int left, days;

	if (store_appeals(lifecycle_store(), c->id, &ap, &nap) == 0) {
		for (i = 0; i < nap; i++) {
			tier = lifecycle_next_tier(lifecycle_last_days(&ap[i]));
			if (ap[i].decision != NULL || ap[i].escalate_fired ||
			    strcmp(c->state, "appealed") != 0 ||
			    tier >= r->ntiers)
				continue;
			days = calendar_business_days_between(
			    cal, now, ap[i].escalate_due_at);
			json_decref(esc);
			esc = json_pack("{s:i,s:i,s:I,s:s,s:s,s:i}", "appeal",
			    ap[i].n, "tier", (int)tier + 1,
			    "after_business_days",
			    (json_int_t)r->tiers[tier].after_business_days,
			    "severity",
			    cases_severity_name(r->tiers[tier].severity),
			    "due_at",
			    isotime_format(
				ap[i].escalate_due_at, buf, sizeof buf),
			    "business_days_left", days < 0 ? 0 : days);
		}
		st_appeals_free(ap, nap);
	}
	left = (int)r->max_appeals - c->rejections;
	if (left < 0 || strcmp(c->state, "manual_review") == 0)
		left = 0;
	j = json_pack("{s:I,s:s,s:o,s:s,s:s,s:i,s:i,s:i,s:o,s:o}", "case",
	    (json_int_t)c->id, "product_id", c->product_id, "title",
	    c->title ? json_string(c->title) : json_null(), "reason", c->reason,
	    "opened_at", isotime_format(c->opened_at, buf, sizeof buf),
	    "appeals", c->appeals, "rejections", c->rejections, "appeals_left",
	    left, "escalation", esc, "ack",
	    json_ack(lifecycle_ack_holds(c) ? c->ack_by : NULL, c->ack_at,
		c->ack_until, c->ack_comment));
	return (j);
}

/*
 * The digest of a shop's open work, as digest.daily's data (documented in
 * delistd-events(7)): open cases by state, pending syncs, dead deliveries,
 * expiring documents.
 */
/* Whole days from now until t, counting a started day: 0 or less once past. */
static int64_t
lifecycle_days_left(time_t t, time_t now)
{
	if (t > now)
		return ((t - now + 86399) / 86400);
	return (-((now - t) / 86400));
}

/*
 * The vault documents of the shop (or of no shop) that expire within 30
 * days of now, the first to expire first, expired ones included:
 * {"document","type","name","expires","days_left","products"}.
 */
static json_t *
lifecycle_digest_documents(const char *shop, time_t now)
{
	struct st_doc_filter f;
	struct st_document *d = NULL;
	size_t n = 0, i, j;
	json_t *arr = json_array(), *products;

	memset(&f, 0, sizeof f);
	f.expires_by = now + 30 * 86400;
	if (store_documents(lifecycle_store(), &f, &d, &n) == -1)
		return (arr);
	for (i = 0; i < n; i++) {
		if (d[i].shop != NULL && strcmp(d[i].shop, shop) != 0)
			continue;
		products = json_array();
		for (j = 0; j < d[i].nproducts; j++)
			json_array_append_new(
			    products, json_string(d[i].products[j]));
		json_array_append_new(arr,
		    json_pack("{s:I,s:s,s:s,s:s,s:I,s:o}", "document",
			(json_int_t)d[i].id, "type", d[i].type, "name",
			d[i].name, "expires", d[i].expires, "days_left",
			(json_int_t)lifecycle_days_left(d[i].expires_at, now),
			"products", products));
	}
	st_documents_free(d, n);
	return (arr);
}

static json_t *
lifecycle_digest_data(const char *shop, time_t now, char *summary, size_t len)
{
	json_t *docs;
	static const enum case_state open_states[] = { CASE_STATE_OPEN,
		CASE_STATE_RECTIFYING, CASE_STATE_APPEALED, CASE_STATE_APPROVED,
		CASE_STATE_REINSTATED, CASE_STATE_MANUAL_REVIEW };
	const struct calendar *cal = lifecycle_calendar(shop);
	struct st_case *cs;
	struct st_delivery *d;
	size_t n, nd, i, j, nopen = 0;
	json_t *by, *counts, *syncs, *dead, *pending, *data, *warnings,
	    *at_risk;
	json_t *points;
	struct warning *w = NULL;
	size_t nw = 0;
	char date[CALENDAR_FORMAT_LEN], buf[ISOTIME_LEN];
	int64_t nstate[CASE_STATE_COUNT] = { 0 };

	by = json_object();
	counts = json_object();
	for (i = 0; i < sizeof open_states / sizeof open_states[0]; i++)
		json_object_set_new(
		    by, cases_state_name(open_states[i]), json_array());
	syncs = json_array();
	if (store_cases(lifecycle_store(), shop, NULL, &cs, &n) == 0) {
		for (i = 0; i < n; i++) {
			int st = cases_state_from_name(cs[i].state);

			if (st < 0 || !cases_state_is_open(st))
				continue;
			nopen++;
			nstate[st]++;
			json_array_append_new(json_object_get(by, cs[i].state),
			    lifecycle_digest_case(&cs[i], cal, now));
			if (st != CASE_STATE_REINSTATED ||
			    store_outbox_for_case(lifecycle_store(), cs[i].id,
				"case.reinstated", &d, &nd) == -1)
				continue;
			pending = json_array();
			for (j = 0; j < nd; j++) {
				if (strcmp(d[j].state, "done") != 0)
					json_array_append_new(
					    pending, json_string(d[j].sink));
			}
			json_array_append_new(syncs,
			    json_pack("{s:I,s:s,s:o,s:s,s:o}", "case",
				(json_int_t)cs[i].id, "product_id",
				cs[i].product_id, "title",
				cs[i].title ? json_string(cs[i].title)
					    : json_null(),
				"reinstated_at",
				isotime_format(
				    nd > 0 ? d[0].ev.at : cs[i].updated_at, buf,
				    sizeof buf),
				"pending", pending));
			st_deliveries_free(d, nd);
		}
		for (i = 0; i < n; i++)
			st_case_clear(&cs[i]);
		free(cs);
	}
	dead = json_array();
	if (store_outbox_list(lifecycle_store(), "dead", 1000, &d, &nd) == 0) {
		for (i = 0; i < nd; i++) {
			if (d[i].ev.shop != NULL &&
			    strcmp(d[i].ev.shop, shop) != 0)
				continue;
			json_array_append_new(dead,
			    json_pack("{s:I,s:s,s:I,s:s,s:o,s:o,s:i,s:o,s:s}",
				"id", (json_int_t)d[i].id, "sink", d[i].sink,
				"event_id", (json_int_t)d[i].event_id,
				"event_type", d[i].ev.type, "case",
				d[i].case_id ? json_integer(d[i].case_id)
					     : json_null(),
				"product_id",
				d[i].ev.product_id
				    ? json_string(d[i].ev.product_id)
				    : json_null(),
				"attempts", d[i].attempts, "last_error",
				d[i].last_error ? json_string(d[i].last_error)
						: json_null(),
				"dead_at",
				isotime_format(d[i].done_at, buf, sizeof buf)));
		}
		st_deliveries_free(d, nd);
	}
	json_object_set_new(
	    counts, "open_cases", json_integer((json_int_t)nopen));
	for (i = 0; i < sizeof open_states / sizeof open_states[0]; i++)
		json_object_set_new(counts, cases_state_name(open_states[i]),
		    json_integer(nstate[open_states[i]]));
	json_object_set_new(
	    counts, "pending_syncs", json_integer(json_array_size(syncs)));
	json_object_set_new(
	    counts, "dead_deliveries", json_integer(json_array_size(dead)));
	docs = lifecycle_digest_documents(shop, now);
	json_object_set_new(counts, "documents_expiring",
	    json_integer((json_int_t)json_array_size(docs)));
	lifecycle_warnings(shop, 0, &w, &nw);
	warnings = json_warnings(w, nw);
	at_risk = lifecycle_digest_at_risk(shop);
	points = lifecycle_digest_points(shop);
	json_object_set_new(counts, "ledgers_near_threshold",
	    json_integer((json_int_t)json_array_size(points)));
	json_object_set_new(counts, "listings_at_risk",
	    json_integer((json_int_t)json_array_size(at_risk)));
	if (calendar_format_local(cal, now, date, sizeof date) == -1)
		snprintf(date, sizeof date, "%s",
		    isotime_format(now, buf, sizeof buf));
	date[10] = '\0';
	snprintf(summary, len,
	    "%zu open case%s (%lld appealed, %lld in manual review), %zu "
	    "pending sync%s, %zu dead deliver%s",
	    nopen, nopen == 1 ? "" : "s",
	    (long long)nstate[CASE_STATE_APPEALED],
	    (long long)nstate[CASE_STATE_MANUAL_REVIEW], json_array_size(syncs),
	    json_array_size(syncs) == 1 ? "" : "s", json_array_size(dead),
	    json_array_size(dead) == 1 ? "y" : "ies");
	if (json_array_size(points) > 0)
		snprintf(summary + strlen(summary), len - strlen(summary),
		    _("; %zu penalty ledger(s) near a threshold"),
		    json_array_size(points));
	if (json_array_size(at_risk) > 0)
		snprintf(summary + strlen(summary), len - strlen(summary),
		    _("; %zu listing(s) at risk"), json_array_size(at_risk));
	/* The first warning, so that the line alone says there are some. */
	if (nw > 0)
		snprintf(summary + strlen(summary), len - strlen(summary),
		    "; %zu warning%s: %s", nw, nw == 1 ? "" : "s", w[0].text);
	warnings_free(w, nw);
	data = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "shop", shop,
	    "date", date, "timezone", calendar_tz(cal), "counts", counts,
	    "open_cases", by, "pending_syncs", syncs, "dead_deliveries", dead,
	    "documents_expiring", docs);
	json_object_set_new(data, "warnings", warnings);
	json_object_set_new(data, "at_risk", at_risk);
	json_object_set_new(data, "points", points);
	return (data);
}

/* A shop's digest.daily, with its "sent" mark, in one transaction. */
int
lifecycle_digest(const struct config_shop *shop)
{
	struct st_case c;
	time_t now = clock_now();
	char summary[256];
	json_t *data;

	if (store_begin(lifecycle_store()) == -1)
		return (-1);
	/* Entries expire by themselves: the warnings follow first. */
	if (lifecycle_points_recheck(shop->name, now) == -1) {
		store_rollback(lifecycle_store());
		return (-1);
	}
	data = lifecycle_digest_data(shop->name, now, summary, sizeof summary);
	memset(&c, 0, sizeof c);
	c.shop = shop->name;
	if (lifecycle_event(&c, now, "daemon", CASES_EV_DIGEST_DAILY,
		CASES_SEV_INFO, data, "daily digest for shop %s: %s",
		shop->name, summary) == -1 ||
	    store_digest_set(lifecycle_store(), shop->name, now) == -1 ||
	    store_commit(lifecycle_store()) == -1) {
		store_rollback(lifecycle_store());
		return (-1);
	}
	lifecycle_published();
	return (0);
}

/* --- the calendars' coverage (calendar.uncovered) ------------------------- */

/*
 * The years the calendars leave uncovered at now (calendar_uncovered_years,
 * 60 days ahead): of the shop (NULL: of every shop), or the daemon's when
 * no shop is configured, in *u (free with lifecycle_uncovered_free);
 * returns how many. *next (may be NULL) gets the earliest instant the
 * answer may change, 0 if none.
 */
static size_t
lifecycle_uncovered(
    const char *only, time_t now, time_t *next, struct lifecycle_uncovered **u)
{
	const struct config *conf = lifecycle_config();
	const struct calendar *cal;
	const char *shop;
	char who[128], local[CALENDAR_FORMAT_LEN];
	size_t i, n = conf->nshops > 0 ? conf->nshops : 1, nu = 0;
	time_t change;
	int years[2], k, nyears, current;

	*u = NULL;
	if (next != NULL)
		*next = 0;
	for (i = 0; i < n; i++) {
		shop = conf->nshops > 0 ? conf->shops[i].name : NULL;
		if (only != NULL && (shop == NULL || strcmp(shop, only) != 0))
			continue;
		cal = lifecycle_calendar(shop);
		nyears = calendar_uncovered_years(
		    cal, now, CALENDAR_COVER_DAYS, years, &change);
		if (nyears == -1 ||
		    calendar_format_local(cal, now, local, sizeof local) == -1)
			continue;
		if (next != NULL && change > now &&
		    (*next == 0 || change < *next))
			*next = change;
		current = atoi(local);
		if (shop != NULL)
			snprintf(who, sizeof who,
			    "the calendar of shop %s (%s)", shop,
			    calendar_tz(cal));
		else
			snprintf(who, sizeof who, "the daemon's calendar (%s)",
			    calendar_tz(cal));
		for (k = 0; k < nyears; k++) {
			*u = xreallocarray(*u, nu + 1, sizeof **u);
			(*u)[nu].shop = shop;
			(*u)[nu].timezone = calendar_tz(cal);
			(*u)[nu].year = years[k];
			if (years[k] == current)
				xasprintf(&(*u)[nu].text,
				    "%s has no holiday or make-up workday in "
				    "%d, the current year: every weekday "
				    "counts "
				    "as a business day; add %d's dates to the "
				    "calendar in delistd.conf",
				    who, years[k], years[k]);
			else
				xasprintf(&(*u)[nu].text,
				    "%s has no holiday or make-up workday in "
				    "%d, which begins on %d-01-01: every "
				    "weekday will count as a business day; add "
				    "%d's dates to the calendar in "
				    "delistd.conf",
				    who, years[k], years[k], years[k]);
			nu++;
		}
	}
	return (nu);
}

static void
lifecycle_uncovered_free(struct lifecycle_uncovered *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(u[i].text);
	free(u);
}

/*
 * The warnings a person must see, in *v (*n of them; free with
 * warnings_free): of the shop (NULL: every shop), as digest.daily (of one
 * shop) and, with status, GET /v1/status carry them: there the calendars'
 * name their shop, and deliveries for a sink gone are one more.
 */
void
lifecycle_warnings(const char *shop, int status, struct warning **v, size_t *n)
{
	struct lifecycle_uncovered *u;
	struct lifecycle_orphans o = { v, n };
	struct warning *w;
	size_t nu, i;

	*v = NULL;
	*n = 0;
	nu = lifecycle_uncovered(shop, clock_now(), NULL, &u);
	for (i = 0; i < nu; i++) {
		w = warning_add(v, n, "calendar.uncovered");
		w->has_shop = status;
		w->shop = u[i].shop ? xstrdup(u[i].shop) : NULL;
		w->text = xstrdup(u[i].text);
	}
	lifecycle_uncovered_free(u, nu);
	lifecycle_not_found_warnings(v, n, shop);
	if (status)
		store_outbox_by_sink(
		    lifecycle_store(), lifecycle_orphan_warning, &o);
}

/*
 * Deliveries pending for a sink no longer configured (a reload removed
 * it) wait for ever: "outbox.orphaned", naming the sink and the count.
 */
static void
lifecycle_orphan_warning(const char *sink, int64_t n, void *arg)
{
	const struct config *conf = lifecycle_config();
	struct lifecycle_orphans *o = arg;
	struct warning *w;
	size_t i;

	for (i = 0; i < conf->nplugins; i++) {
		if (strcmp(conf->plugins[i].name, sink) == 0)
			return;
	}
	w = warning_add(o->v, o->n, "outbox.orphaned");
	w->sink = xstrdup(sink);
	xasprintf(&w->text,
	    "%lld deliver%s pending for sink %s, which the configuration no "
	    "longer has: put it back, or they wait for ever",
	    (long long)n, n == 1 ? "y is" : "ies are", sink);
}

/*
 * Raises calendar.uncovered once per shop (or daemon) calendar and year:
 * the trail remembers, so a restart does not raise it again. With
 * announce (start, reload) every uncovered year is logged, raised or not.
 * Returns when to look again (0: never), or -1 after a store error.
 */
time_t
lifecycle_calendar_check(int announce)
{
	struct st_case c;
	struct lifecycle_uncovered *u;
	json_t *data;
	time_t now = clock_now(), next;
	size_t i, nu;
	int seen, failed = 0, raised = 0;

	nu = lifecycle_uncovered(NULL, now, &next, &u);
	for (i = 0; i < nu; i++) {
		if (announce)
			log_warnx("calendar: %s", u[i].text);
		seen = store_event_seen(lifecycle_store(), "calendar.uncovered",
		    u[i].shop, "$.year", u[i].year);
		if (seen != 0) {
			failed |= seen == -1;
			continue;
		}
		if (!announce)
			log_warnx("calendar: %s", u[i].text);
		memset(&c, 0, sizeof c);
		c.shop = (char *)u[i].shop;
		data = json_pack(
		    "{s:i,s:s}", "year", u[i].year, "timezone", u[i].timezone);
		if (store_begin(lifecycle_store()) == -1) {
			json_decref(data);
			failed = 1;
			continue;
		}
		if (lifecycle_append(&c, now, "daemon",
			CASES_EV_CALENDAR_UNCOVERED, CASES_SEV_WARNING, data,
			NULL, u[i].text) == -1 ||
		    store_commit(lifecycle_store()) == -1) {
			store_rollback(lifecycle_store());
			failed = 1;
			continue;
		}
		raised = 1;
	}
	lifecycle_uncovered_free(u, nu);
	if (raised)
		lifecycle_published();
	return (failed ? -1 : next);
}

/* SPDX-License-Identifier: ISC */
/*
 * outbox.c: durable delivery of events to sink plugins.
 *
 * When an event is recorded, one outbox row per subscribed sink (and per
 * sink an escalation tier names) is written in the same transaction
 * (outbox_enqueue). Rows are delivered as soon as possible, at most
 * OUTBOX_PER_SINK at a time per sink, oldest first; a row waits while an
 * earlier row of the same case to the same sink is pending, so a sink sees
 * a case's events in order. When the earlier row is in flight and the sink
 * holds it on purpose (the mail sink's digest window), the sink is asked
 * to flush (plugin.h), so that an urgent event is not late: what it held
 * goes at once, then the waiting event. A failure is retried
 * with exponential backoff and jitter (or after the delay the sink asked
 * for); after max_attempts, or at once for a permanent failure, the row is
 * dead and a critical delivery.dead event is raised, which goes to every
 * other subscribed sink, never back to the dead one. Only an
 * acknowledgement settles a row, so after kill -9 everything not
 * acknowledged is delivered again, with the same idempotency key.
 *
 * A snoozed shop's rows to sinks of module "mail" are held, not sent: they
 * stay in the outbox in state "held" until the snooze ends (delistctl
 * snooze SHOP --off, or it lapses). Then the shop's held events go out as
 * one shop.held_mail event (one summary mail per shop), each held row is
 * settled done saying so, and the shop's open critical conditions are
 * re-announced by their reminders at once.
 *
 * In-flight work lives in memory only. It must not block: plugins do the
 * talking, asynchronously.
 */

#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>

#include "delistd.h"
#include "cases.h"
#include "event.h"
#include "lifecycle.h"

#define OUTBOX_PER_SINK 32
/*
 * A deliver that never completes is taken back after this long: longer
 * than a sink may hold a delivery on purpose (the mail sink's digest
 * window, at most 30 minutes).
 */
#define OUTBOX_WATCHDOG (60 * 60)
/* Waiting events of one case a sink is told of per turn, at most. */
#define OUTBOX_URGE_MAX 16

struct inflight {
	int64_t row;
	char *sink;
	uint64_t generation;
	int attempts; /* before this one */
	int64_t event_id;
	char *event_type;
	int64_t case_id;
	int expired;
	int64_t urged; /* the last waiting row the sink was told of */
	int settled; /* done came: recorded at the next group commit */
	enum delistd_result result;
	int64_t retry_after;
	char *error;
	struct event *watchdog;
	struct inflight *next;
};

static struct event_base *outbox_base;
static struct event *outbox_ev;
static struct event *outbox_flush_ev;
static struct inflight *outbox_flights;
static int outbox_stopping;
static void (*outbox_idle_cb)(void);
static uint64_t outbox_delivered, outbox_failed;
/* Held rows: -1 unknown (look), 0 none, else the first snooze's end. */
static time_t outbox_release_at = -1;

static void outbox_run(evutil_socket_t, short, void *);
static void outbox_flush(evutil_socket_t, short, void *);
static void outbox_done(void *, enum delistd_result, int64_t, const char *);
static char *outbox_event(struct delistd_host *, const struct st_delivery *,
    struct delistd_event *, char *, size_t);
static void outbox_urge(struct delistd_host *, time_t);
static int outbox_sync_check(const char *, int64_t, int64_t, time_t);
static int outbox_hold_muted(struct delistd_host *, const struct st_delivery *);
static int
outbox_release_shop(const char *, const struct st_delivery *, size_t, time_t);
static void outbox_release(time_t);

int
outbox_init(struct event_base *base)
{
	outbox_base = base;
	if ((outbox_ev = evtimer_new(base, outbox_run, NULL)) == NULL ||
	    (outbox_flush_ev = evtimer_new(base, outbox_flush, NULL)) == NULL)
		fatalx("outbox: cannot create its timers");
	clock_on_change((clock_cb)outbox_kick, NULL);
	outbox_kick();
	return (0);
}

static int
outbox_matches(
    const struct config_plugin *pc, const char *type, const char *severity)
{
	size_t i;

	if (cases_severity_from_name(severity) < pc->min_severity)
		return (0);
	for (i = 0; i < pc->events.n; i++) {
		if (fnmatch(pc->events.v[i], type, 0) == 0)
			return (1);
	}
	return (0);
}

/* How many sinks take an event of this type and severity. */
int
outbox_subscribers(const char *type, const char *severity)
{
	struct delistd_host *h;
	size_t i;
	int n = 0;

	for (i = 0; (h = plugin_at(i)) != NULL; i++) {
		if (plugin_is_sink(h) &&
		    outbox_matches(plugin_config(h), type, severity))
			n++;
	}
	return (n);
}

int
outbox_sinks(void)
{
	struct delistd_host *h;
	size_t i;
	int n = 0;

	for (i = 0; (h = plugin_at(i)) != NULL; i++)
		n += plugin_is_sink(h);
	return (n);
}

/*
 * A snoozed shop's events are held for sinks of module "mail" (the trail,
 * syslog and every other sink get them at once).
 */
static int
outbox_muted(const struct delistd_host *h, const char *shop, int *snoozed)
{
	if (shop == NULL || strcmp(plugin_config(h)->module, "mail") != 0)
		return (0);
	if (*snoozed == -1)
		*snoozed = store_snooze_until(
			       daemon_state->store, shop, clock_now()) != 0;
	return (*snoozed);
}

static int
outbox_listed(const struct strlist *l, const char *name)
{
	size_t i;

	for (i = 0; l != NULL && i < l->n; i++) {
		if (strcmp(l->v[i], name) == 0)
			return (1);
	}
	return (0);
}

/*
 * Inside the event's transaction: a row for each subscribed sink, and for
 * each sink named in also (an escalation tier's notify) whatever its
 * subscription. exclude: one sink it must not go to, or "*" for all.
 */
int
outbox_enqueue(
    int64_t event_id, const struct st_event *e, const struct event_opts *opts)
{
	const char *exclude = opts->exclude, *type = e->type;
	const char *severity = e->severity;
	const struct strlist *also = opts->also;
	struct delistd_host *h;
	size_t i;

	for (i = 0; (h = plugin_at(i)) != NULL; i++) {
		if (!plugin_is_sink(h) ||
		    (exclude != NULL &&
			(strcmp(exclude, "*") == 0 ||
			    strcmp(exclude, plugin_name(h)) == 0)) ||
		    (!outbox_matches(plugin_config(h), type, severity) &&
			!outbox_listed(also, plugin_name(h))))
			continue;
		/* A snoozed shop's mail is held when due (outbox_run). */
		if (store_outbox_insert(daemon_state->store, event_id,
			plugin_name(h), e->case_id, clock_now()) == -1)
			return (-1);
	}
	return (0);
}

/* Runs the dispatcher soon (after the current callback). */
void
outbox_kick(void)
{
	struct timeval tv = { 0, 0 };

	if (outbox_ev != NULL && !outbox_stopping)
		evtimer_add(outbox_ev, &tv);
}

/* A snooze was ended or changed by hand: held mail is looked at again. */
void
outbox_snooze_changed(void)
{
	outbox_release_at = -1;
	outbox_kick();
}

size_t
outbox_in_flight(void)
{
	struct inflight *f;
	size_t n = 0;

	for (f = outbox_flights; f != NULL; f = f->next) {
		if (!f->expired)
			n++;
	}
	return (n);
}

uint64_t
outbox_delivered_total(void)
{
	return (outbox_delivered);
}

uint64_t
outbox_failed_total(void)
{
	return (outbox_failed);
}

static int
outbox_flying(int64_t row)
{
	struct inflight *f;

	for (f = outbox_flights; f != NULL; f = f->next) {
		if (f->row == row && !f->expired)
			return (1);
	}
	return (0);
}

static void
outbox_unlink(struct inflight *inf)
{
	struct inflight **pp;

	for (pp = &outbox_flights; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == inf) {
			*pp = inf->next;
			break;
		}
	}
}

static void
outbox_free_flight(struct inflight *inf)
{
	if (inf->watchdog != NULL)
		event_free(inf->watchdog);
	free(inf->sink);
	free(inf->event_type);
	free(inf->error);
	free(inf);
}

/* base * 2^(n-1), capped, with "equal jitter": half fixed, half random. */
static int64_t
outbox_backoff(const struct config_plugin *pc, int attempts)
{
	int64_t d = pc->retry_base;
	int i;

	for (i = 1; i < attempts && d < pc->retry_cap; i++)
		d *= 2;
	if (d > pc->retry_cap)
		d = pc->retry_cap;
	if (d < 2)
		return (d);
	return (d / 2 + (int64_t)(arc4random_uniform((uint32_t)(d / 2 + 1))));
}

/*
 * Records the outcome of an attempt, inside the caller's transaction, with
 * whatever follows from it (the case's sync, a delivery.dead event). pc
 * may be NULL for a delivered one (its instance is gone).
 */
static int
outbox_settle_tx(struct inflight *inf, const struct config_plugin *pc,
    enum delistd_result result, int64_t retry_after, const char *error)
{
	struct store *st = daemon_state->store;
	time_t now = clock_now();
	int attempts = inf->attempts + 1, dead = 0;
	struct event_opts opts;
	struct st_case c;
	json_t *data;
	char *msg;

	if (result == DELISTD_DELIVERED) {
		outbox_delivered++;
		if (store_outbox_settle(
			st, inf->row, "done", attempts, now, error, now) == -1)
			goto fail;
		if (outbox_sync_check(inf->event_type, inf->event_id,
			inf->case_id, now) == -1)
			goto fail;
		log_debug("outbox: event %lld delivered to %s",
		    (long long)inf->event_id, inf->sink);
	} else {
		outbox_failed++;
		if (result == DELISTD_FAILED || attempts >= pc->max_attempts)
			dead = 1;
		/* A plugin's delay is trusted only within sane bounds. */
		if (retry_after < 0)
			retry_after = 0;
		if (retry_after > DURATION_MAX)
			retry_after = DURATION_MAX;
		if (!dead) {
			if (store_outbox_settle(st, inf->row, "pending",
				attempts,
				now +
				    (retry_after > 0
					    ? retry_after
					    : outbox_backoff(pc, attempts)),
				error, now) == -1)
				goto fail;
			log_info("outbox: event %lld to %s failed (attempt "
				 "%d of %lld): %s; will retry",
			    (long long)inf->event_id, inf->sink, attempts,
			    (long long)pc->max_attempts, error ? error : "?");
		} else {
			if (store_outbox_settle(st, inf->row, "dead", attempts,
				now, error, now) == -1)
				goto fail;
			memset(&c, 0, sizeof c);
			if (inf->case_id != 0 &&
			    store_case_get(st, inf->case_id, &c) != 0)
				goto fail;
			data = json_pack("{s:s,s:I,s:s,s:I,s:i,s:s}", "sink",
			    inf->sink, "event_id", (json_int_t)inf->event_id,
			    "event_type", inf->event_type, "delivery",
			    (json_int_t)inf->row, "attempts", attempts, "error",
			    error ? error : "");
			xasprintf(&msg,
			    "%s gave up on event %lld (%s) after "
			    "%d attempt%s: %s; fix the receiver, then "
			    "delistctl outbox retry %lld",
			    inf->sink, (long long)inf->event_id,
			    inf->event_type, attempts, attempts == 1 ? "" : "s",
			    error ? error : "no reason given",
			    (long long)inf->row);
			/*
			 * A dead delivery.dead or delivery.dead.reminder is
			 * not announced to sinks again, and opens no
			 * condition (no reminders): failing sinks would feed
			 * each other without end.
			 */
			memset(&opts, 0, sizeof opts);
			opts.quiet = strncmp(inf->event_type, "delivery.dead",
					 strlen("delivery.dead")) == 0;
			opts.exclude = opts.quiet ? "*" : inf->sink;
			if (lifecycle_append(&c, now, "daemon",
				CASES_EV_DELIVERY_DEAD,
				cases_event_severity(CASES_EV_DELIVERY_DEAD),
				data, &opts, msg) == -1) {
				free(msg);
				st_case_clear(&c);
				goto fail;
			}
			free(msg);
			st_case_clear(&c);
		}
	}
	return (0);
fail:
	log_warnx("outbox: cannot record the outcome of delivery %lld; it "
		  "will be retried",
	    (long long)inf->row);
	return (-1);
}

/* One outcome in its own transaction (the watchdog's, a failed start). */
static void
outbox_settle(struct inflight *inf, const struct config_plugin *pc,
    enum delistd_result result, int64_t retry_after, const char *error)
{
	struct store *st = daemon_state->store;

	if (store_begin(st) == -1)
		return;
	if (outbox_settle_tx(inf, pc, result, retry_after, error) == -1 ||
	    store_commit(st) == -1) {
		store_rollback(st);
		return;
	}
	lifecycle_published();
}

/*
 * Group commit: the outcomes that came in during one turn of the loop are
 * recorded in one transaction (one fsync), then their rows are released.
 * Until then a row counts as in flight, so it is not dispatched again; if
 * the daemon dies before the commit, the row is delivered again with the
 * same idempotency key (at least once).
 */
static void
outbox_flush(evutil_socket_t fd, short events, void *arg)
{
	struct store *st = daemon_state->store;
	struct inflight **pp, *f;
	struct delistd_host *h;
	int ok, any = 0;

	(void)fd;
	(void)events;
	(void)arg;
	for (f = outbox_flights; f != NULL; f = f->next)
		any |= f->settled;
	if (!any)
		return;
	ok = store_begin(st) == 0;
	for (f = outbox_flights; f != NULL && ok; f = f->next) {
		if (!f->settled || f->expired)
			continue;
		/*
		 * An instance replaced or removed by a reload: what it
		 * delivered is still delivered (else the row would be sent
		 * again); its failures are left to the instance that
		 * replaces it, under its settings.
		 */
		h = plugin_find(f->sink);
		if ((h == NULL || plugin_generation_of(h) != f->generation) &&
		    f->result != DELISTD_DELIVERED)
			continue;
		if (outbox_settle_tx(f, h != NULL ? plugin_config(h) : NULL,
			f->result, f->retry_after, f->error) == -1)
			ok = 0;
	}
	if (ok && store_commit(st) == -1)
		ok = 0;
	if (!ok)
		store_rollback(st);
	pp = &outbox_flights;
	while ((f = *pp) != NULL) {
		if (f->settled) {
			*pp = f->next;
			outbox_free_flight(f);
		} else
			pp = &f->next;
	}
	if (ok)
		lifecycle_published();
	if (outbox_stopping && outbox_in_flight() == 0 &&
	    outbox_idle_cb != NULL)
		outbox_idle_cb();
	outbox_kick();
}

static void
outbox_done(void *token, enum delistd_result result, int64_t retry_after,
    const char *error)
{
	struct inflight *inf = token;
	struct timeval tv = { 0, 0 };

	if (inf->expired) {
		/* Its row was settled by the watchdog already. */
		outbox_unlink(inf);
		outbox_free_flight(inf);
		return;
	}
	inf->settled = 1;
	inf->result = result;
	inf->retry_after = retry_after;
	inf->error = error != NULL ? xstrdup(error) : NULL;
	if (inf->watchdog != NULL)
		evtimer_del(inf->watchdog);
	evtimer_add(outbox_flush_ev, &tv);
}

/* A deliver that never completes: the row is retried, the token kept. */
static void
outbox_watchdog(evutil_socket_t fd, short events, void *arg)
{
	struct inflight *inf = arg;
	struct delistd_host *h = plugin_find(inf->sink);

	(void)fd;
	(void)events;
	inf->expired = 1;
	if (h != NULL && plugin_generation_of(h) == inf->generation)
		outbox_settle(inf, plugin_config(h), DELISTD_RETRY, 0,
		    "the sink did not answer within an hour");
	outbox_kick();
}

/* The event of a row as a sink gets it; returns its JSON (free it). */
static char *
outbox_event(struct delistd_host *h, const struct st_delivery *d,
    struct delistd_event *ev, char *key, size_t keylen)
{
	json_t *doc;
	char *json, *who = NULL;

	doc = event_json(&d->ev);
	/* The case's assignee as it is now: a chat sink mentions them. */
	if (d->case_id != 0 &&
	    store_case_assignee(daemon_state->store, d->case_id, &who) == 0 &&
	    who != NULL)
		json_object_set_new(doc, "assignee", json_string(who));
	free(who);
	json = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	snprintf(
	    key, keylen, "%lld-%s", (long long)d->event_id, plugin_name(h));
	memset(ev, 0, sizeof *ev);
	ev->key = key;
	ev->id = d->event_id;
	ev->type = d->ev.type;
	ev->severity = d->ev.severity;
	ev->case_id = d->case_id;
	ev->shop = d->ev.shop;
	ev->product_id = d->ev.product_id;
	ev->json = json;
	ev->json_len = strlen(json);
	ev->attempt = d->attempts + 1;
	return (json);
}

static void
outbox_start(struct delistd_host *h, const struct st_delivery *d)
{
	struct inflight *inf;
	struct delistd_event ev;
	struct timeval tv = { OUTBOX_WATCHDOG, 0 };
	char *json, key[128];

	inf = xcalloc(1, sizeof *inf);
	inf->row = d->id;
	inf->sink = xstrdup(plugin_name(h));
	inf->generation = plugin_generation_of(h);
	inf->attempts = d->attempts;
	inf->event_id = d->event_id;
	inf->event_type = xstrdup(d->ev.type);
	inf->case_id = d->case_id;
	inf->watchdog = evtimer_new(outbox_base, outbox_watchdog, inf);
	evtimer_add(inf->watchdog, &tv);
	inf->next = outbox_flights;
	outbox_flights = inf;

	json = outbox_event(h, d, &ev, key, sizeof key);
	if (plugin_deliver(h, &ev, outbox_done, inf) == -1) {
		outbox_unlink(inf);
		outbox_settle(inf, plugin_config(h), DELISTD_RETRY, 0,
		    "the sink could not start the delivery");
		outbox_free_flight(inf);
	}
	free(json);
}

/*
 * A case's next event is due at a sink, behind an earlier one the sink
 * has not answered (it may hold it on purpose, in a digest window): the
 * sink is told of each waiting event, once, and may send what it holds
 * now, so that a waiting critical event is not held back with it.
 */
static void
outbox_urge(struct delistd_host *h, time_t now)
{
	struct inflight *f;
	struct st_delivery *d;
	struct delistd_event ev;
	char *json, key[128];
	size_t n, i;

	if (!plugin_has_flush(h))
		return;
	for (f = outbox_flights; f != NULL; f = f->next) {
		if (f->expired || f->settled || f->case_id == 0 ||
		    f->generation != plugin_generation_of(h) ||
		    strcmp(f->sink, plugin_name(h)) != 0)
			continue;
		if (store_outbox_case_next(daemon_state->store, plugin_name(h),
			f->case_id, f->urged > f->row ? f->urged : f->row, now,
			OUTBOX_URGE_MAX, &d, &n) == -1)
			continue;
		for (i = 0; i < n; i++) {
			f->urged = d[i].id;
			log_debug("outbox: event %lld waits at %s behind event "
				  "%lld: telling the sink",
			    (long long)d[i].event_id, plugin_name(h),
			    (long long)f->event_id);
			json = outbox_event(h, &d[i], &ev, key, sizeof key);
			plugin_flush(h, &ev);
			free(json);
		}
		st_deliveries_free(d, n);
	}
}

/*
 * A row of an event settled done: a case.reinstated's case is synced once
 * all its rows are.
 */
static int
outbox_sync_check(
    const char *type, int64_t event_id, int64_t case_id, time_t now)
{
	int total;

	if (strcmp(type, "case.reinstated") != 0 || case_id == 0 ||
	    store_outbox_open_for_event(
		daemon_state->store, event_id, &total) != 0)
		return (0);
	return (lifecycle_synced(case_id, now));
}

/*
 * A mail row of a snoozed shop, due: held until the snooze ends, in state
 * "held" with the snooze's end as its next attempt (delistctl outbox shows
 * it so), its last error kept.
 */
static int
outbox_hold_muted(struct delistd_host *h, const struct st_delivery *d)
{
	struct store *st = daemon_state->store;
	time_t now = clock_now(), until;
	char buf[ISOTIME_LEN];

	until = store_snooze_until(st, d->ev.shop, now);
	if (until == 0)
		return (0);
	if (store_outbox_settle(st, d->id, "held", d->attempts, until,
		d->last_error, now) == -1)
		return (-1);
	if (outbox_release_at == 0 || until < outbox_release_at)
		outbox_release_at = until;
	log_info("outbox: event %lld to %s held: shop %s is snoozed until %s",
	    (long long)d->event_id, plugin_name(h), d->ev.shop,
	    isotime_format(until, buf, sizeof buf));
	return (0);
}

/*
 * A shop's snooze is over: its held rows (d, n: every held row; those of
 * shop count) become one shop.held_mail event to the sinks that held them,
 * each row is settled done saying where it went, and the shop's open
 * critical conditions are re-announced. One transaction.
 */
static int
outbox_release_shop(
    const char *shop, const struct st_delivery *d, size_t n, time_t now)
{
	struct store *st = daemon_state->store;
	struct strlist also = { NULL, 0 };
	struct event_opts opts;
	struct st_case c;
	json_t *held, *p, *data;
	int64_t id, last = 0;
	size_t i, events = 0, critical = 0;
	char buf[ISOTIME_LEN], *msg, *why;
	const char *text;
	int rc = -1;

	held = json_array();
	for (i = 0; i < n; i++) {
		if (d[i].ev.shop == NULL || strcmp(d[i].ev.shop, shop) != 0)
			continue;
		if (!outbox_listed(&also, d[i].sink)) {
			also.v =
			    xreallocarray(also.v, also.n + 1, sizeof *also.v);
			also.v[also.n++] = d[i].sink;
		}
		/* The rows of one event to several sinks are adjacent. */
		if (d[i].event_id == last)
			continue;
		last = d[i].event_id;
		events++;
		critical += strcmp(d[i].ev.severity, "critical") == 0;
		p = json_loads(
		    d[i].ev.payload ? d[i].ev.payload : "{}", 0, NULL);
		text = json_string_value(json_object_get(p, "message"));
		json_array_append_new(held,
		    json_pack("{s:I,s:s,s:s,s:o,s:o,s:s,s:s}", "event_id",
			(json_int_t)d[i].event_id, "type", d[i].ev.type,
			"severity", d[i].ev.severity, "case",
			d[i].case_id ? json_integer(d[i].case_id) : json_null(),
			"product_id",
			d[i].ev.product_id ? json_string(d[i].ev.product_id)
					   : json_null(),
			"at", isotime_format(d[i].ev.at, buf, sizeof buf),
			"message", text != NULL ? text : d[i].ev.type));
		/* its format and arguments, for the reader's language */
		if (json_object_get(p, "text") != NULL)
			json_object_set(
			    json_array_get(held, json_array_size(held) - 1),
			    "text", json_object_get(p, "text"));
		json_decref(p);
	}
	data = json_pack("{s:s,s:I,s:I,s:o}", "shop", shop, "count",
	    (json_int_t)events, "critical", (json_int_t)critical, "held", held);
	xasprintf(&msg,
	    "shop %s: %zu event%s held while it was snoozed (%zu critical), "
	    "in one summary; open critical conditions are re-announced",
	    shop, events, events == 1 ? "" : "s", critical);
	memset(&c, 0, sizeof c);
	c.shop = (char *)shop;
	if (store_begin(st) == -1) {
		json_decref(data);
		goto out;
	}
	memset(&opts, 0, sizeof opts);
	opts.also = &also;
	opts.quiet = 1;
	if ((id = lifecycle_append(&c, now, "daemon", CASES_EV_SHOP_HELD_MAIL,
		 CASES_SEV_INFO, data, &opts, msg)) == -1)
		goto fail;
	xasprintf(&why,
	    "held while shop %s was snoozed; sent in its summary, event %lld",
	    shop, (long long)id);
	for (i = 0; i < n; i++) {
		if (d[i].ev.shop == NULL || strcmp(d[i].ev.shop, shop) != 0)
			continue;
		if (store_outbox_settle(st, d[i].id, "done", d[i].attempts, now,
			why, now) == -1 ||
		    outbox_sync_check(
			d[i].ev.type, d[i].event_id, d[i].case_id, now) == -1) {
			free(why);
			goto fail;
		}
	}
	free(why);
	if (lifecycle_reannounce(shop, now) == -1 || store_commit(st) == -1)
		goto fail;
	log_info("outbox: shop %s is no longer snoozed: %zu held event%s sent "
		 "in one summary (event %lld)",
	    shop, events, events == 1 ? "" : "s", (long long)id);
	lifecycle_published();
	event_changed(EVENT_CHANGE_DUE);
	rc = 0;
	goto out;
fail:
	store_rollback(st);
out:
	free(msg);
	free(also.v);
	return (rc);
}

/* Releases the held rows of every shop whose snooze is over. */
static void
outbox_release(time_t now)
{
	struct st_delivery *d;
	size_t n, i, j;
	time_t until, first = 0;
	int failed = 0;

	if (outbox_release_at == 0 ||
	    (outbox_release_at > 0 && outbox_release_at > now))
		return;
	if (store_outbox_list(daemon_state->store, "held", 0, &d, &n) == -1)
		return;
	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(d[j].ev.shop, d[i].ev.shop) == 0)
				break;
		}
		if (j < i)
			continue; /* that shop was seen */
		until =
		    store_snooze_until(daemon_state->store, d[i].ev.shop, now);
		if (until == 0 &&
		    outbox_release_shop(d[i].ev.shop, d, n, now) == -1) {
			failed = 1;
			until = now + 60;
		}
		if (until != 0 && (first == 0 || until < first))
			first = until;
	}
	st_deliveries_free(d, n);
	if (failed)
		log_warnx("outbox: cannot release held mail; trying again in a "
			  "minute");
	outbox_release_at = first;
}

static void
outbox_run(evutil_socket_t fd, short events, void *arg)
{
	struct delistd_host *h;
	struct st_delivery *d;
	struct timeval tv;
	size_t i, j, n, busy;
	struct inflight *f;
	time_t now = clock_now(), next = 0, t;
	int snoozed, dropped = 0, stuck = 0;

	(void)fd;
	(void)events;
	(void)arg;
	if (outbox_stopping)
		return;
	outbox_release(now);
	for (i = 0; (h = plugin_at(i)) != NULL; i++) {
		if (!plugin_is_sink(h))
			continue;
		busy = 0;
		for (f = outbox_flights; f != NULL; f = f->next) {
			if (!f->expired && strcmp(f->sink, plugin_name(h)) == 0)
				busy++;
		}
		if (busy < OUTBOX_PER_SINK &&
		    store_outbox_due(daemon_state->store, plugin_name(h), now,
			(int64_t)(OUTBOX_PER_SINK + busy), &d, &n) == 0) {
			for (j = 0; j < n && busy < OUTBOX_PER_SINK; j++) {
				if (outbox_flying(d[j].id))
					continue;
				snoozed = -1;
				if (outbox_muted(h, d[j].ev.shop, &snoozed)) {
					if (outbox_hold_muted(h, &d[j]) == 0)
						dropped = 1;
					else
						stuck = 1;
					continue;
				}
				busy++;
				outbox_start(h, &d[j]);
			}
			st_deliveries_free(d, n);
		}
		outbox_urge(h, now);
		t = store_outbox_next(daemon_state->store, plugin_name(h), now);
		if (t > now && (next == 0 || t < next))
			next = t;
	}
	/* Held mail goes out when the first snooze ends. */
	if (outbox_release_at > now && (next == 0 || outbox_release_at < next))
		next = outbox_release_at;
	/* A muted row the store could not hold: try again in a minute. */
	if (stuck && (next == 0 || next > now + 60))
		next = now + 60;
	/* Rows due now but waiting on an earlier one are kicked by its end. */
	if (dropped)
		outbox_kick();
	else if (next != 0) {
		tv.tv_sec = next - now;
		tv.tv_usec = 0;
		evtimer_add(outbox_ev, &tv);
	}
}

/*
 * An instance was finalised: its deliveries in flight will never be
 * completed (the host cancelled their callbacks). Their rows stay pending
 * and go to the instance that replaces it.
 */
void
outbox_instance_gone(const char *sink, uint64_t generation)
{
	struct inflight **pp = &outbox_flights, *f;

	/* delistd -t creates and closes instances without an outbox. */
	if (outbox_flush_ev == NULL)
		return;
	outbox_flush(-1, 0, NULL);
	while ((f = *pp) != NULL) {
		if (f->generation == generation && strcmp(f->sink, sink) == 0) {
			*pp = f->next;
			outbox_free_flight(f);
		} else
			pp = &f->next;
	}
	if (outbox_stopping && outbox_in_flight() == 0 &&
	    outbox_idle_cb != NULL)
		outbox_idle_cb();
	outbox_kick();
}

/*
 * Stops starting deliveries; cb runs once none is in flight (at once if
 * none is). Unfinished ones stay pending and are delivered after restart.
 */
void
outbox_stop(void (*cb)(void))
{
	outbox_stopping = 1;
	outbox_idle_cb = cb;
	if (outbox_ev != NULL)
		evtimer_del(outbox_ev);
	if (outbox_in_flight() == 0 && cb != NULL)
		cb();
}

void
outbox_shutdown(void)
{
	struct inflight *f;

	if (outbox_flush_ev != NULL) {
		outbox_flush(-1, 0, NULL);
		event_free(outbox_flush_ev);
		outbox_flush_ev = NULL;
	}
	while ((f = outbox_flights) != NULL) {
		outbox_flights = f->next;
		outbox_free_flight(f);
	}
	if (outbox_ev != NULL)
		event_free(outbox_ev);
	outbox_ev = NULL;
}

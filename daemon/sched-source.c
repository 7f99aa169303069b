/* SPDX-License-Identifier: ISC */
/*
 * sched-source.c: asking the source plugins about the listings, within
 * their call budget.
 *
 * Per shop with a source: a sweep every sweep_interval (the listings taken
 * down, a few paged calls), a catalog run once a day with catalog_sync (the
 * listings on sale, to learn ids and titles), and the checks of its watched
 * listings, each due at its next_check_at. One libevent timer is armed at
 * the earliest of: a shop's next due listing (read from the index on
 * listings (shop_id, next_check_at)), its next sweep, or the moment a
 * blocked source may call again. No tick scans the listings.
 *
 * Per source instance: a token bucket (rate, burst) on the real monotonic
 * clock, and a window that keeps any second (and a margin) to rate calls
 * whatever the bucket saved up, so the platform never sees more than rate
 * calls a second whatever the test clock does; a daily quota counted per Beijing day on the daemon
 * clock and kept in the store; and what the plugin's errors ask for
 * (plugin.h, enum delistd_source_error): THROTTLED pauses the source for
 * retry_after plus a second, QUOTA stops it until 00:00 Beijing time
 * (source.quota_exhausted, once), AUTH stops everything but the sweep, which
 * keeps probing at its interval (source.auth_failed once per outage,
 * source.recovered when answers come back), TRANSIENT retries the listing
 * with a backoff. No error ever opens or closes a case: only answers go to
 * lifecycle_observe, which confirms them.
 *
 * The plan: the calls a day the configured intervals need, against
 * daily_quota; when they do not fit, the checks of tracked listings without
 * a case are stretched, never the re-checks of open cases.
 *
 * The hot path (issue 5's benchmark: tens of checks a second, each to cost
 * a few tens of microseconds) keeps the store out of the per-check work:
 * the due listings are read a second's worth at a time (struct ss_due); a
 * check in flight or answered but not yet recorded is known from memory
 * (ss_calls, ss_answers), not leased in the store; answers and the budget
 * are recorded in batches, one transaction per second at most while a
 * source is busy (ss_flush); and a source held by its rate wakes for a few
 * calls at once (SS_TICK). An answer lost to a crash before its batch is a
 * listing still due: it is checked again, nothing is doubled.
 *
 * It keeps to the listings' schedule and the budget; what an answer means
 * is lifecycle-source.c's (through which the store is written), and how a
 * platform is spoken to is the plugin's.
 */

#include "config.h"

#include <sys/queue.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <jansson.h>

#include "delistd.h"
#include "budget.h"
#include "lifecycle.h"
#include "scheduler.h"

#define SS_FLUSH_AFTER 1.0 /* seconds an answer may wait for its commit */
#define SS_FLUSH_MAX 128 /* answers in one commit at most */
#define SS_FLUSH_SOON_US 5000 /* a commit after calls went out waits this */
#define SS_TICK 1.0 /* a source held by its rate waits for this many s */
#define SS_TICK_MARGIN 0.001
#define SS_DUE_READS 4 /* due queue reads per lane and turn, at most */
#define SS_RETRY_BASE 30 /* first retry after a failed check, seconds */
#define SS_RETRY_CAP 1800
#define SS_THROTTLE_MARGIN 1.0 /* seconds added to the platform's wait */
#define SS_MAX_PAGES 1000 /* pages per sweep, a guard against loops */
#define SS_CATALOG_EVERY 86400
#define SS_CATALOG_PAGE 50 /* the plan's guess of a catalog page */
#define SS_PLAN_EVERY 3600 /* the plan is recomputed this often */
#define SS_WAKE_MAX 3600.0
#define SS_PACE_AHEAD 3600 /* healthy checks may run this far ahead of pace */

/* What a call is for: how the budget treats it. */
enum ss_need {
	SS_URGENT, /* an open case or a confirmation: never paced */
	SS_PACED, /* a healthy listing: spread over the quota day */
	SS_PROBE, /* a sweep: goes on while the credentials are refused */
};

enum ss_kind {
	SS_CHECK,
	SS_SWEEP,
	SS_CATALOG,
};

static const char *const ss_kind_names[] = { "check", "sweep", "catalog" };

/* A source instance's budget and health; kept across reloads by name. */
struct ss_source {
	char *name;
	struct budget_bucket bucket;
	struct budget_window window; /* no second above the rate */
	double rate;
	int64_t burst;
	int64_t daily_quota;
	double paused_until; /* monotonic: THROTTLED */
	double held_until; /* monotonic: held by its rate, see SS_TICK */
	double store_until; /* monotonic: its answers were not recorded */
	time_t quota_until; /* daemon clock: the quota day's end */
	int auth_down;
	struct st_budget b; /* persisted: calls today, alerts raised */
	int in_flight;
	int max_in_flight;
	int dirty; /* b changed since the last commit */
	struct budget_plan plan;
	int plan_warned;
	int plan_told; /* the plan was logged once */
	uint64_t calls[3];
	uint64_t errors[DELISTD_SOURCE_PERMANENT + 1];
	LIST_ENTRY(ss_source) entry;
};

/*
 * A lane's due listings, read from the index a few at a time (the calls
 * the budget allows in about a second) and handed out from memory. Read
 * again once used up or when ss_due_gen moves: an answer recorded, a
 * listing tracked, a case opened, the clock moved.
 */
struct ss_due {
	struct st_watch *w;
	size_t n;
	size_t next;
	uint64_t gen;
	time_t idle_until; /* used up: nothing more is due before this */
};

/* A shop whose listings a source watches; rebuilt on reload. */
struct ss_shop {
	char *name;
	int64_t id;
	struct ss_source *src;
	const struct config_shop *conf;
	time_t next_sweep;
	time_t next_catalog;
	/*
	 * When the sweep (catalog) under way was due: the next one is due
	 * an interval after, not an interval after its last page, so that
	 * sweeps keep their cadence however long one takes.
	 */
	time_t sweep_began;
	time_t catalog_began;
	int sweeping; /* a sweep page is in flight */
	int cataloging;
	char *sweep_cursor; /* the next page of a sweep under way */
	char *catalog_cursor;
	int sweep_pages;
	int catalog_pages;
	int sweep_fails;
	int catalog_fails;
	struct ss_due due[2]; /* by lane */
};

/*
 * A call in flight, on ss_calls until its answer (or until its instance
 * goes away); a check's answer then waits on ss_answers for the batch that
 * records it (ss_flush). Until then its listing is busy: the index still
 * has it due, and it is not checked again. Nothing of an answer is lost to
 * a crash before its batch but the answer itself: the listing is due, so
 * it is checked again.
 */
struct ss_call {
	enum ss_kind kind;
	char *source;
	uint64_t generation;
	char *shop;
	char *product_id;
	int64_t listing_id;
	int answered; /* no longer in flight */
	int queued; /* on ss_answers */
	/* The answer of a check, as the batch needs it. */
	time_t at;
	enum delistd_status status;
	time_t retry_at; /* an error: when to try again (0: back off) */
	char *platform_code;
	time_t offline_at;
	char *raw;
	size_t raw_len;
	char *healthy_key; /* on_sale: what lasts of raw (evidence_key) */
	char *title;
	char **images;
	size_t nimages;
	char *snapshot_url;
	struct lifecycle_intervals iv;
	TAILQ_ENTRY(ss_call) entry;
};
TAILQ_HEAD(ss_call_list, ss_call);

static LIST_HEAD(, ss_source) ss_sources = LIST_HEAD_INITIALIZER(ss_sources);
static struct ss_call_list ss_calls = TAILQ_HEAD_INITIALIZER(ss_calls);
static struct ss_call_list ss_answers = TAILQ_HEAD_INITIALIZER(ss_answers);
static size_t ss_nanswers;
static double ss_answers_since; /* monotonic: the oldest answer waiting */
static uint64_t ss_started; /* calls started, ever */
static int ss_store_failing; /* the last batch was refused */
static struct event *ss_flush_ev;
static uint64_t ss_due_gen = 1;
static int ss_stopping;
static struct ss_shop *ss_shops;
static size_t ss_nshops;
static struct event *ss_timer;
static struct event *ss_kick_ev;
static int ss_pumping;
static double ss_plan_at; /* monotonic */

static void ss_pump(void);
static void ss_kick(void);
static void ss_flush(int);
static void ss_flush_arm(void);
static void ss_flush_arm_soon(void);
static void ss_fire(evutil_socket_t, short, void *);
static void ss_clock_changed(void *);
static void ss_check_done(void *, const struct delistd_check_result *);
static void ss_sweep_done(void *, const struct delistd_sweep_page *);
static void ss_plan(void);
static void sched_observed_meta(
    const char *, const char *, const char *, const char *const *, size_t);

static const char *const ss_status_names[] = {
	[DELISTD_STATUS_ON_SALE] = "on_sale",
	[DELISTD_STATUS_DELISTED] = "delisted",
	[DELISTD_STATUS_OFFLINE] = "offline",
	[DELISTD_STATUS_UNDER_REVIEW] = "under_review",
	[DELISTD_STATUS_FAILED_REVIEW] = "failed_review",
	[DELISTD_STATUS_NOT_FOUND] = "not_found",
	[DELISTD_STATUS_ERROR] = NULL,
};

static const char *const ss_error_names[] = {
	[DELISTD_SOURCE_OK] = "ok",
	[DELISTD_SOURCE_TRANSIENT] = "transient",
	[DELISTD_SOURCE_THROTTLED] = "throttled",
	[DELISTD_SOURCE_QUOTA] = "quota",
	[DELISTD_SOURCE_AUTH] = "auth",
	[DELISTD_SOURCE_PERMANENT] = "permanent",
};

static struct ss_source *
ss_source_find(const char *name)
{
	struct ss_source *s;

	LIST_FOREACH (s, &ss_sources, entry) {
		if (strcmp(s->name, name) == 0)
			return (s);
	}
	return (NULL);
}

static struct ss_shop *
ss_shop_find(const char *name)
{
	size_t i;

	for (i = 0; i < ss_nshops; i++) {
		if (strcmp(ss_shops[i].name, name) == 0)
			return (&ss_shops[i]);
	}
	return (NULL);
}

/* The live instance of a source, if it is one. */
static struct delistd_host *
ss_host(const struct ss_source *s)
{
	struct delistd_host *h = plugin_find(s->name);

	return (h != NULL && plugin_is_source(h) ? h : NULL);
}

/* Its budget changed: stored with the next batch (ss_flush). */
static void
ss_dirty(struct ss_source *s)
{
	s->dirty = 1;
	ss_flush_arm();
}

/* A new Beijing day: the counter starts again and a stopped source may go. */
static void
ss_day_roll(struct ss_source *s, time_t now)
{
	int64_t day = budget_day(now);
	json_t *data;

	if (s->b.day != day) {
		s->b.day = day;
		s->b.calls = 0;
		ss_dirty(s);
	}
	if (s->quota_until != 0 && now >= s->quota_until) {
		s->quota_until = 0;
		data = json_pack("{s:s}", "after", "quota");
		if (lifecycle_source_alert(s->name, &s->b,
			CASES_EV_SOURCE_RECOVERED, data,
			"a new quota day began (00:00 Beijing time): checks "
			"resume") == -1)
			log_warnx(
			    "source %s: cannot record its recovery", s->name);
	}
}

/*
 * The daily quota is used up: stop until the Beijing day ends. own: our
 * daily_quota counter stopped it (a raised daily_quota lifts that stop),
 * else the platform did (only the new day does).
 */
static void
ss_quota_stop(struct ss_source *s, time_t now, int own, const char *why)
{
	char buf[ISOTIME_LEN], msg[512];
	json_t *data;

	s->quota_until = budget_day_end(now);
	if (s->b.exhausted_day == s->b.day) {
		if (!own && s->b.own_stop) {
			s->b.own_stop = 0;
			if (store_budget_set(
				daemon_state->store, s->name, &s->b) == -1)
				log_warnx("source %s: cannot store its budget",
				    s->name);
		}
		return;
	}
	s->b.exhausted_day = s->b.day;
	s->b.own_stop = own;
	isotime_format(s->quota_until, buf, sizeof buf);
	snprintf(msg, sizeof msg,
	    "%s: no more calls until 00:00 Beijing time (%s); %lld calls made "
	    "today of daily_quota %lld. Cases are not opened or closed "
	    "meanwhile; if this happens every day, raise the quota in the "
	    "app console or lengthen the intervals",
	    why, buf, (long long)s->b.calls, (long long)s->daily_quota);
	data = json_pack("{s:I,s:I,s:s}", "calls", (json_int_t)s->b.calls,
	    "daily_quota", (json_int_t)s->daily_quota, "resume_at", buf);
	if (lifecycle_source_alert(s->name, &s->b,
		CASES_EV_SOURCE_QUOTA_EXHAUSTED, data, msg) == -1)
		log_warnx("source %s: cannot record the quota alert", s->name);
}

static void
ss_auth_down(struct ss_source *s, const char *error)
{
	char msg[768];
	json_t *data;

	if (s->auth_down)
		return;
	s->auth_down = 1;
	s->b.auth_down = 1;
	snprintf(msg, sizeof msg,
	    "the platform refused %s's credentials (%s): nothing is checked "
	    "and no case is opened or closed until they work again; renew "
	    "the token (its token file) or the app secret, then delistctl "
	    "reload. The sweep keeps probing at its interval",
	    s->name, error ? error : "no reason given");
	data = json_pack(
	    "{s:o}", "error", error ? json_string(error) : json_null());
	if (lifecycle_source_alert(
		s->name, &s->b, CASES_EV_SOURCE_AUTH_FAILED, data, msg) == -1)
		log_warnx("source %s: cannot record the auth alert", s->name);
}

/* An answer came (not an AUTH refusal): an outage is over. */
static void
ss_answered(struct ss_source *s)
{
	json_t *data;

	if (!s->auth_down)
		return;
	s->auth_down = 0;
	s->b.auth_down = 0;
	data = json_pack("{s:s}", "after", "auth");
	if (lifecycle_source_alert(s->name, &s->b, CASES_EV_SOURCE_RECOVERED,
		data,
		"the platform accepts the credentials again: checks "
		"resume") == -1)
		log_warnx("source %s: cannot record its recovery", s->name);
}

/*
 * Whether s may make one call now (probe: a sweep, which AUTH does not
 * stop); if so the call is counted. Else *wait is how long until it may
 * (seconds; 0 when only a completion can unblock it).
 */
static int
ss_may_call(struct ss_source *s, time_t now, double mono, enum ss_need need,
    double *wait)
{
	double t, k, elapsed, allowed;

	*wait = 0;
	ss_day_roll(s, now);
	if (s->in_flight >= s->max_in_flight)
		return (0);
	if (s->auth_down && need != SS_PROBE)
		return (0);
	if (s->quota_until != 0) {
		*wait = (double)(s->quota_until - now);
		return (0);
	}
	if (mono < s->paused_until) {
		*wait = s->paused_until - mono;
		return (0);
	}
	if (mono < s->store_until) {
		*wait = s->store_until - mono;
		return (0);
	}
	if (s->b.calls >= s->daily_quota) {
		ss_quota_stop(s, now, 1, "daily_quota reached");
		*wait = (double)(s->quota_until - now);
		return (0);
	}
	/*
	 * Healthy listings spend the quota evenly over the Beijing day (at
	 * most an hour ahead), and leave the headroom to the urgent checks.
	 */
	if (need == SS_PACED) {
		elapsed = (double)(now - (budget_day_end(now) - 86400));
		allowed = (double)s->daily_quota * (1 - BUDGET_HEADROOM) *
		    (elapsed + SS_PACE_AHEAD) / 86400.0;
		if ((double)s->b.calls + 1 > allowed) {
			*wait = ((double)s->b.calls + 1) * 86400.0 /
				((double)s->daily_quota *
				    (1 - BUDGET_HEADROOM)) -
			    SS_PACE_AHEAD - elapsed;
			if (*wait < 1)
				*wait = 1;
			return (0);
		}
	}
	/*
	 * Held by its rate, a source waits until a few calls may go (as
	 * many as SS_TICK of the rate, up to the burst), not for each one:
	 * they go out together, their answers come back together, and the
	 * daemon wakes a fraction as often at the same rate.
	 */
	if (mono < s->held_until) {
		*wait = s->held_until - mono;
		return (0);
	}
	/*
	 * Whatever the bucket holds (a burst, or tokens saved while idle),
	 * no second sees more than the rate: the calls of a second ago leave
	 * the window first.
	 */
	if ((t = budget_window_wait(&s->window, mono)) > 0) {
		*wait = t + SS_TICK_MARGIN;
		s->held_until = mono + *wait;
		return (0);
	}
	if ((t = budget_bucket_take(&s->bucket, mono)) > 0) {
		k = floor(s->bucket.rate * SS_TICK);
		if (k > s->bucket.burst)
			k = s->bucket.burst;
		/* A hair past the k-th token, so that rounding keeps none. */
		*wait =
		    k > 1 ? t + (k - 1) / s->bucket.rate + SS_TICK_MARGIN : t;
		s->held_until = mono + *wait;
		return (0);
	}
	budget_window_count(&s->window, mono);
	s->b.calls++;
	ss_dirty(s);
	return (1);
}

static struct ss_call *
ss_call_new(enum ss_kind kind, struct ss_source *s, struct delistd_host *h,
    const char *shop)
{
	struct ss_call *c = xcalloc(1, sizeof *c);

	c->kind = kind;
	c->source = xstrdup(s->name);
	c->generation = plugin_generation_of(h);
	c->shop = xstrdup(shop);
	TAILQ_INSERT_TAIL(&ss_calls, c, entry);
	ss_started++;
	s->in_flight++;
	s->calls[kind]++;
	return (c);
}

/* An answer came: the call no longer counts against max_in_flight. */
static void
ss_call_ended(struct ss_call *c)
{
	struct ss_source *s = ss_source_find(c->source);
	struct ss_shop *sh = ss_shop_find(c->shop);

	if (c->answered)
		return;
	c->answered = 1;
	if (s != NULL && s->in_flight > 0)
		s->in_flight--;
	if (sh != NULL && c->kind == SS_SWEEP)
		sh->sweeping = 0;
	if (sh != NULL && c->kind == SS_CATALOG)
		sh->cataloging = 0;
}

/* Forgets a call: recorded, refused, or its instance gone. */
static void
ss_call_free(struct ss_call *c)
{
	size_t i;

	if (c->queued) {
		TAILQ_REMOVE(&ss_answers, c, entry);
		ss_nanswers--;
	} else {
		TAILQ_REMOVE(&ss_calls, c, entry);
		ss_call_ended(c);
	}
	/* A listing it kept busy may be due. */
	if (c->kind == SS_CHECK)
		ss_due_gen++;
	free(c->source);
	free(c->shop);
	free(c->product_id);
	free(c->platform_code);
	free(c->raw);
	free(c->healthy_key);
	free(c->title);
	for (i = 0; i < c->nimages; i++)
		free(c->images[i]);
	free(c->images);
	free(c->snapshot_url);
	free(c);
}

/* A listing being checked, or whose answer is not recorded yet. */
static int
ss_listing_busy(int64_t id)
{
	struct ss_call *c;

	TAILQ_FOREACH (c, &ss_calls, entry) {
		if (c->kind == SS_CHECK && c->listing_id == id)
			return (1);
	}
	TAILQ_FOREACH (c, &ss_answers, entry) {
		if (c->listing_id == id)
			return (1);
	}
	return (0);
}

static void
ss_intervals(const struct ss_shop *sh, struct lifecycle_intervals *iv)
{
	iv->confirm_checks = sh->conf->confirm_checks;
	iv->confirm_spacing = sh->conf->confirm_spacing;
	iv->recheck = sh->conf->recheck_interval;
	iv->healthy = sh->conf->recheck_interval;
	iv->stretch = sh->src->plan.stretch >= 1 ? sh->src->plan.stretch : 1;
}

static void
ss_due_drop(struct ss_due *q)
{
	st_watches_free(q->w, q->n);
	q->w = NULL;
	q->n = q->next = 0;
	q->idle_until = 0;
	q->gen = ss_due_gen;
}

/*
 * Reads a lane's next due listings that are not busy: about the calls the
 * budget allows in a second (a healthy lane is paced far below that).
 * Returns how many; when none, q->idle_until says until when there is
 * nothing to read (INT64_MAX: until something changes).
 */
static size_t
ss_due_read(struct ss_shop *sh, int lane, time_t now)
{
	struct ss_due *q = &sh->due[lane];
	struct ss_source *s = sh->src;
	struct ss_call *c;
	int64_t want, busy = 0;
	size_t i, k;
	time_t next;

	ss_due_drop(q);
	want = (int64_t)ceil(s->rate) + 1;
	if (want > s->max_in_flight)
		want = s->max_in_flight;
	TAILQ_FOREACH (c, &ss_calls, entry)
		busy += c->kind == SS_CHECK && strcmp(c->shop, sh->name) == 0;
	TAILQ_FOREACH (c, &ss_answers, entry)
		busy += strcmp(c->shop, sh->name) == 0;
	if (store_watch_due(daemon_state->store, sh->id, lane, now, want + busy,
		&q->w, &q->n) == -1) {
		q->idle_until = now + SS_RETRY_BASE;
		return (0);
	}
	for (i = k = 0; i < q->n; i++) {
		if (ss_listing_busy(q->w[i].id))
			st_watch_clear(&q->w[i]);
		else
			q->w[k++] = q->w[i];
	}
	q->n = k;
	if (k > 0)
		return (k);
	/*
	 * Nothing due but what is busy (whose answers, once recorded, move
	 * gen): read again when the next one falls due.
	 */
	next = store_watch_next(daemon_state->store, sh->id, lane, now);
	q->idle_until = next > now ? next : INT64_MAX;
	return (0);
}

/*
 * Starts the checks of a shop's due listings, as the budget allows.
 * *waiting is set when some are left waiting for the budget. A queue used
 * up without the budget stopping it (listings nobody watches any more, a
 * plugin refusing to start a check) is read again at once, a few times a
 * turn, then on the next turn.
 */
static void
ss_shop_checks(struct ss_shop *sh, struct delistd_host *h, int lane, time_t now,
    double mono, double *wake, int *waiting)
{
	struct ss_due *q = &sh->due[lane];
	struct st_watch *w;
	struct ss_call *c;
	double wait;
	int reads = 0;

	if (q->gen != ss_due_gen)
		ss_due_drop(q);
again:
	if (q->next == q->n) {
		if (reads++ == SS_DUE_READS) {
			*wake = 0;
			return;
		}
		if (q->idle_until == 0 || now >= q->idle_until)
			ss_due_read(sh, lane, now);
		if (q->n == 0) {
			if (q->idle_until != INT64_MAX &&
			    (double)(q->idle_until - now) < *wake)
				*wake = (double)(q->idle_until - now);
			return;
		}
	}
	while (q->next < q->n) {
		w = &q->w[q->next];
		/* A listing nobody watches any more leaves the index. */
		if (!w->tracked && w->open_case == 0) {
			lifecycle_check_at(w->id, 0);
			q->next++;
			continue;
		}
		if (!ss_may_call(sh->src, now, mono,
			lane == 0 ? SS_URGENT : SS_PACED, &wait)) {
			if (wait > 0 && wait < *wake)
				*wake = wait;
			*waiting = 1;
			return;
		}
		q->next++;
		c = ss_call_new(SS_CHECK, sh->src, h, sh->name);
		c->listing_id = w->id;
		c->product_id = xstrdup(w->product_id);
		log_debug("source %s: checking %s/%s", sh->src->name, sh->name,
		    w->product_id);
		/* After this call c may be gone (an answer given at once). */
		if (plugin_check(
			h, sh->name, w->product_id, ss_check_done, c) == -1) {
			log_warnx("source %s: could not start a check of %s/%s",
			    sh->src->name, sh->name, w->product_id);
			lifecycle_check_at(w->id, now + SS_RETRY_BASE);
			ss_call_free(c);
		}
	}
	goto again;
}

/* Starts a shop's sweep (or catalog) page when it is due. */
static void
ss_shop_sweep(struct ss_shop *sh, struct delistd_host *h, enum ss_kind kind,
    time_t now, double mono, double *wake)
{
	time_t due = kind == SS_SWEEP ? sh->next_sweep : sh->next_catalog;
	int *busy = kind == SS_SWEEP ? &sh->sweeping : &sh->cataloging;
	const char *cursor =
	    kind == SS_SWEEP ? sh->sweep_cursor : sh->catalog_cursor;
	struct ss_call *c;
	double wait;

	if (*busy)
		return;
	if (now < due) {
		if ((double)(due - now) < *wake)
			*wake = (double)(due - now);
		return;
	}
	if (!ss_may_call(sh->src, now, mono, SS_PROBE, &wait)) {
		if (wait > 0 && wait < *wake)
			*wake = wait;
		return;
	}
	*busy = 1;
	/* Its first page: late by less than an interval, the cadence holds. */
	if (cursor == NULL)
		*(kind == SS_SWEEP ? &sh->sweep_began : &sh->catalog_began) =
		    now - due < (kind == SS_SWEEP ? sh->conf->sweep_interval
						  : SS_CATALOG_EVERY)
		    ? due
		    : now;
	c = ss_call_new(kind, sh->src, h, sh->name);
	log_debug("source %s: %s of %s%s%s", sh->src->name, ss_kind_names[kind],
	    sh->name, cursor ? ", page " : "", cursor ? cursor : "");
	if (plugin_sweep(h, sh->name,
		kind == SS_SWEEP ? DELISTD_STATUS_DELISTED
				 : DELISTD_STATUS_ON_SALE,
		cursor, ss_sweep_done, c) == -1) {
		log_warnx("source %s: could not start the %s of %s",
		    sh->src->name, ss_kind_names[kind], sh->name);
		if (kind == SS_SWEEP)
			sh->next_sweep = now + SS_RETRY_BASE;
		else
			sh->next_catalog = now + SS_RETRY_BASE;
		ss_call_free(c);
	}
}

static void
ss_arm(double wake)
{
	struct timeval tv;

	if (ss_timer == NULL)
		return;
	if (wake > SS_WAKE_MAX)
		wake = SS_WAKE_MAX;
	if (wake < 0.01)
		wake = 0.01;
	tv.tv_sec = (time_t)wake;
	tv.tv_usec = (suseconds_t)((wake - floor(wake)) * 1e6);
	evtimer_del(ss_timer);
	evtimer_add(ss_timer, &tv);
}

/*
 * Starts whatever is due and the budget allows, then re-arms the timer.
 * The answers waiting for their batch are recorded at once when nothing
 * else is under way (no call in flight, nothing due held back by the
 * budget); else within SS_FLUSH_AFTER, so that a busy source spends one
 * commit on many answers, and preferably just after calls went out (the
 * commit's fsync then overlaps their round trip instead of delaying the
 * next calls).
 */
static void
ss_pump(void)
{
	struct delistd_host *h;
	struct ss_shop *sh;
	time_t now = clock_now();
	double mono = clock_uptime(), wake = SS_WAKE_MAX;
	size_t i;
	int waiting = !TAILQ_EMPTY(&ss_calls), flush;
	uint64_t started = ss_started;

	if (ss_timer == NULL || ss_pumping || ss_stopping)
		return;
	ss_pumping = 1;
	if (mono >= ss_plan_at)
		ss_plan();
	for (i = 0; i < ss_nshops; i++) {
		sh = &ss_shops[i];
		if ((h = ss_host(sh->src)) == NULL)
			continue;
		ss_shop_sweep(sh, h, SS_SWEEP, now, mono, &wake);
		if (sh->conf->catalog_sync)
			ss_shop_sweep(sh, h, SS_CATALOG, now, mono, &wake);
		ss_shop_checks(sh, h, 0, now, mono, &wake, &waiting);
		ss_shop_checks(sh, h, 1, now, mono, &wake, &waiting);
	}
	ss_pumping = 0;
	/*
	 * The calls just started leave when the loop runs libcurl next: a
	 * commit now would hold them back by its fsync, after the window
	 * counted them, and bunch them with the next second's.
	 */
	flush = !waiting || ss_nanswers >= SS_FLUSH_MAX ||
	    (ss_started != started && ss_nanswers > 0 &&
		mono - ss_answers_since >= SS_FLUSH_AFTER / 2);
	if (flush && ss_started != started)
		ss_flush_arm_soon();
	else if (flush)
		ss_flush(1);
	else
		ss_flush_arm();
	ss_arm(wake);
}

static void
ss_fire(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	ss_pump();
}

/* The listings changed in number: the plan is made again (then kicks). */
void
sched_source_replan(void)
{
	ss_plan_at = 0;
	sched_source_kick();
}

/* Runs the pump from the loop, never from within a caller (or a plugin). */
static void
ss_kick(void)
{
	struct timeval tv = { 0, 0 };

	if (ss_kick_ev != NULL)
		evtimer_add(ss_kick_ev, &tv);
}

/* Something changed what is due (a listing, a case, the clock): read it. */
void
sched_source_kick(void)
{
	ss_due_gen++;
	ss_kick();
}

static void
ss_clock_changed(void *arg)
{
	(void)arg;
	sched_source_kick();
}

/*
 * What a check said besides the status: the title and the image URLs go
 * to the listing (lifecycle_listing_observed), whose image fingerprints
 * and title are what the linked-listing and evasion risks compare.
 */
static void
sched_observed_meta(const char *shop, const char *pid, const char *title,
    const char *const *images, size_t nimages)
{
	char *cause = NULL;

	if ((title == NULL || *title == '\0') && images == NULL)
		return;
	if (lifecycle_listing_observed(shop, pid,
		title != NULL && *title != '\0' ? title : NULL,
		nimages > 0 ? images : NULL, nimages, &cause) == -1) {
		log_warnx("%s/%s: cannot store what the source saw: %s", shop,
		    pid, cause ? cause : "unknown error");
		free(cause);
	}
}

/* Failed checks are retried sooner than the next regular check. */
static time_t
ss_backoff(time_t now, int fails)
{
	int64_t d = SS_RETRY_BASE;

	while (fails-- > 1 && d < SS_RETRY_CAP)
		d *= 2;
	return (now + (d < SS_RETRY_CAP ? d : SS_RETRY_CAP));
}

/*
 * An error answer (a check's or a sweep page's): what the source needs
 * (pause, stop, alert). Returns when the call should be tried again, or 0
 * when it should back off (ss_backoff: the answer was not one).
 */
static time_t
ss_source_error(struct ss_source *s, enum delistd_source_error kind,
    int64_t retry_after, const char *error, const char *what, int64_t regular)
{
	time_t now = clock_now();
	double wait;

	if ((int)kind < 0 || kind > DELISTD_SOURCE_PERMANENT ||
	    kind == DELISTD_SOURCE_OK)
		kind = DELISTD_SOURCE_TRANSIENT;
	s->errors[kind]++;
	switch (kind) {
	case DELISTD_SOURCE_THROTTLED:
		wait = (double)(retry_after > 0 ? retry_after : 1) +
		    SS_THROTTLE_MARGIN;
		s->paused_until = clock_uptime() + wait;
		s->bucket.tokens = 0;
		log_warnx("source %s: throttled by the platform (%s); pausing "
			  "%.0f s",
		    s->name, error ? error : "no reason given", wait);
		return (now);
	case DELISTD_SOURCE_QUOTA:
		ss_quota_stop(s, now, 0,
		    "the platform says the daily quota is "
		    "used up");
		return (now);
	case DELISTD_SOURCE_AUTH:
		ss_auth_down(s, error);
		return (now);
	case DELISTD_SOURCE_PERMANENT:
		/* A business error is an answer; a TRANSIENT one is not. */
		ss_answered(s);
		log_warnx("source %s: %s failed and retrying it cannot help: "
			  "%s",
		    s->name, what, error ? error : "no reason given");
		return (now + regular);
	default:
		log_warnx("source %s: %s failed (%s); retrying", s->name, what,
		    error ? error : "no reason given");
		return (0);
	}
}

/*
 * A check's answer: what it says of the source is acted on now (a pause,
 * a stop, an alert); what it says of the listing waits on ss_answers for
 * the next batch (ss_flush).
 */
static void
ss_check_done(void *token, const struct delistd_check_result *r)
{
	struct ss_call *c = token;
	struct ss_source *s = ss_source_find(c->source);
	struct ss_shop *sh = ss_shop_find(c->shop);
	const struct delistd_source_info *si;
	struct delistd_host *h;
	char what[128], key[65];
	size_t i;

	if (s == NULL || sh == NULL || sh->src != s) {
		ss_call_free(c);
		ss_kick();
		return;
	}
	/* A plugin's bug: not an answer, and not to be asked again at once. */
	if (r->status > DELISTD_STATUS_ERROR) {
		log_warnx("source %s: the check of %s/%s came back with no "
			  "status (%d); trying again in %d s",
		    s->name, sh->name, c->product_id, (int)r->status,
		    SS_RETRY_BASE);
		lifecycle_check_at(c->listing_id, clock_now() + SS_RETRY_BASE);
		ss_call_free(c);
		ss_kick();
		return;
	}
	ss_call_ended(c);
	TAILQ_REMOVE(&ss_calls, c, entry);
	TAILQ_INSERT_TAIL(&ss_answers, c, entry);
	c->queued = 1;
	if (ss_nanswers++ == 0)
		ss_answers_since = clock_uptime();
	ss_intervals(sh, &c->iv);
	c->at = clock_now();
	c->status = r->status;
	if (r->status == DELISTD_STATUS_ERROR) {
		snprintf(what, sizeof what, "the check of %s/%s", sh->name,
		    c->product_id);
		c->retry_at = ss_source_error(s, r->error_kind, r->retry_after,
		    r->error, what, c->iv.recheck);
	} else {
		ss_answered(s);
		c->platform_code =
		    r->platform_code ? xstrdup(r->platform_code) : NULL;
		c->offline_at = (time_t)r->offline_at;
		if (r->raw != NULL) {
			c->raw = xmalloc(r->raw_len + 1);
			memcpy(c->raw, r->raw, r->raw_len);
			c->raw[r->raw_len] = '\0';
			c->raw_len = r->raw_len;
		}
		/* A healthy answer: kept as the "before" of a later case. */
		si = (h = ss_host(s)) != NULL ? plugin_source_info(h) : NULL;
		if (r->status == DELISTD_STATUS_ON_SALE && c->raw != NULL &&
		    evidence_key(c->raw, c->raw_len,
			si != NULL ? si->volatile_keys : NULL, key) == 0)
			c->healthy_key = xstrdup(key);
		if (r->title != NULL && *r->title != '\0')
			c->title = xstrdup(r->title);
		if (r->images != NULL && r->image_count > 0) {
			c->images = xcalloc(r->image_count, sizeof *c->images);
			for (i = 0; i < r->image_count; i++)
				c->images[i] = xstrdup(r->images[i]);
			c->nimages = r->image_count;
		}
		if (sh->conf->snapshot_url != NULL)
			c->snapshot_url = xstrdup(sh->conf->snapshot_url);
	}
	if (ss_nanswers >= SS_FLUSH_MAX)
		ss_flush(1);
	ss_kick();
}

/* A failed check: tried again later, sooner than its next regular one. */
static int
ss_record_failure(const struct ss_call *c)
{
	struct store *st = daemon_state->store;
	struct st_watch w;
	int rc;

	if (store_begin(st) == -1)
		return (-1);
	if ((rc = store_watch_get(st, c->listing_id, &w)) == 0) {
		w.fails++;
		w.next_check_at =
		    c->retry_at != 0 ? c->retry_at : ss_backoff(c->at, w.fails);
		/* Only the retry and the count change: no status. */
		rc = store_watch_observe(st, &w, c->at);
	}
	st_watch_clear(&w);
	if (rc == -1 || store_commit(st) == -1) {
		store_rollback(st);
		return (-1);
	}
	return (0);
}

/* A check's answer: the listing's status and what the source saw. */
static int
ss_record_answer(const struct ss_call *c, int64_t *opened)
{
	struct lifecycle_observation o;

	*opened = 0;
	sched_observed_meta(c->shop, c->product_id, c->title,
	    (const char *const *)c->images, c->nimages);
	memset(&o, 0, sizeof o);
	o.listing_id = c->listing_id;
	o.source = c->source;
	o.status = ss_status_names[c->status];
	o.platform_code = c->platform_code;
	o.offline_at = c->offline_at;
	o.raw = c->raw;
	o.raw_len = c->raw_len;
	o.title = c->title;
	o.healthy_key = c->healthy_key;
	o.at = c->at;
	return (lifecycle_observe(&o, &c->iv, opened));
}

/*
 * Records the answers that wait, and the budgets counted since the last
 * time, in one transaction: one fsync for all. An answer that cannot be
 * recorded is undone alone and its listing tried again after
 * SS_RETRY_BASE; if the commit fails, none is kept and their sources
 * pause as long. The evidence snapshots of the cases opened are fetched
 * after the commit (snapshots: 0 while shutting down).
 */
static void
ss_flush(int snapshots)
{
	struct ss_source *s;
	struct ss_call *c;
	int64_t *opened;
	size_t n = ss_nanswers, i = 0;
	int dirty = 0, ok;

	if (ss_flush_ev != NULL)
		evtimer_del(ss_flush_ev);
	LIST_FOREACH (s, &ss_sources, entry)
		dirty |= s->dirty;
	if (n == 0 && !dirty)
		return;
	opened = xcalloc(n + 1, sizeof *opened);
	ok = lifecycle_batch_begin() == 0;
	TAILQ_FOREACH (c, &ss_answers, entry) {
		if (!ok || i == n)
			break;
		if ((c->status == DELISTD_STATUS_ERROR
			    ? ss_record_failure(c)
			    : ss_record_answer(c, &opened[i])) == -1) {
			log_warnx(
			    "source %s: cannot record the check of %s/%s; "
			    "it will be checked again",
			    c->source, c->shop, c->product_id);
			lifecycle_check_at(
			    c->listing_id, c->at + SS_RETRY_BASE);
		}
		i++;
	}
	LIST_FOREACH (s, &ss_sources, entry) {
		if (ok && s->dirty &&
		    store_budget_set(daemon_state->store, s->name, &s->b) == -1)
			log_warnx(
			    "source %s: cannot store its budget", s->name);
	}
	if (ok && lifecycle_batch_commit() == -1)
		ok = 0;
	if (!ok && n > 0)
		log_warnx("source: the state database did not take %zu "
			  "answers; their sources wait %d s, then check those "
			  "listings again",
		    n, SS_RETRY_BASE);
	else if (!ok && !ss_store_failing)
		log_warnx("source: the state database did not take the calls "
			  "counted today; trying again every second");
	ss_store_failing = !ok;
	for (i = 0; i < n && (c = TAILQ_FIRST(&ss_answers)) != NULL; i++) {
		if (ok && snapshots && opened[i] != 0)
			evidence_snapshot(opened[i], c->product_id,
			    c->snapshot_url, c->source, lifecycle_evidence);
		if (!ok && (s = ss_source_find(c->source)) != NULL)
			s->store_until = clock_uptime() + SS_RETRY_BASE;
		ss_call_free(c);
	}
	free(opened);
	LIST_FOREACH (s, &ss_sources, entry)
		s->dirty = s->dirty && !ok;
	ss_due_gen++;
	if (!ok)
		ss_flush_arm();
}

/* Records the answers waiting once the calls just started have left. */
static void
ss_flush_arm_soon(void)
{
	struct timeval tv = { 0, SS_FLUSH_SOON_US };

	if (ss_flush_ev == NULL)
		return;
	evtimer_del(ss_flush_ev);
	evtimer_add(ss_flush_ev, &tv);
}

/* The answers waiting (or a budget counted) are recorded within a second. */
static void
ss_flush_arm(void)
{
	struct timeval tv = { (time_t)SS_FLUSH_AFTER,
		(suseconds_t)((SS_FLUSH_AFTER - floor(SS_FLUSH_AFTER)) * 1e6) };

	if (ss_flush_ev != NULL && !evtimer_pending(ss_flush_ev, NULL))
		evtimer_add(ss_flush_ev, &tv);
}

static void
ss_flush_fire(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	ss_flush(1);
	ss_kick();
}

static void
ss_sweep_done(void *token, const struct delistd_sweep_page *pg)
{
	struct ss_call *c = token;
	struct ss_source *s = ss_source_find(c->source);
	struct ss_shop *sh = ss_shop_find(c->shop);
	int catalog = c->kind == SS_CATALOG;
	char **cursor, what[128];
	int *pages, *fails;
	time_t *next, now = clock_now();
	int64_t every, healthy;

	if (s == NULL || sh == NULL || sh->src != s) {
		ss_call_free(c);
		ss_kick();
		return;
	}
	/* What the page says is weighed against the answers recorded. */
	ss_flush(1);
	cursor = catalog ? &sh->catalog_cursor : &sh->sweep_cursor;
	pages = catalog ? &sh->catalog_pages : &sh->sweep_pages;
	fails = catalog ? &sh->catalog_fails : &sh->sweep_fails;
	next = catalog ? &sh->next_catalog : &sh->next_sweep;
	every = catalog ? SS_CATALOG_EVERY : sh->conf->sweep_interval;
	healthy = (int64_t)((double)sh->conf->recheck_interval *
	    (s->plan.stretch >= 1 ? s->plan.stretch : 1));
	if (pg->error) {
		snprintf(what, sizeof what, "the %s of %s",
		    ss_kind_names[c->kind], sh->name);
		(*fails)++;
		if ((*next = ss_source_error(s, pg->error_kind, pg->retry_after,
			 pg->error_text, what, every)) == 0)
			*next = ss_backoff(now, *fails);
		/* While the credentials are refused, probe at the interval. */
		if (pg->error_kind == DELISTD_SOURCE_AUTH)
			*next = now + sh->conf->sweep_interval;
		if (*next - now > every)
			*next = now + every;
	} else {
		ss_answered(s);
		*fails = 0;
		if (pg->count > 0 &&
		    lifecycle_sweep_seen(sh->name, pg->product_ids, pg->titles,
			pg->count, s->name, !catalog, healthy) == -1)
			log_warnx("source %s: cannot record a %s page of %s",
			    s->name, ss_kind_names[c->kind], sh->name);
		free(*cursor);
		*cursor = NULL;
		if (pg->next_cursor != NULL && ++*pages < SS_MAX_PAGES) {
			*cursor = xstrdup(pg->next_cursor);
			*next = now;
		} else {
			if (pg->next_cursor != NULL)
				log_warnx("source %s: the %s of %s stopped "
					  "after %d pages",
				    s->name, ss_kind_names[c->kind], sh->name,
				    SS_MAX_PAGES);
			*pages = 0;
			*next =
			    (catalog ? sh->catalog_began : sh->sweep_began) +
			    every;
			if (*next < now)
				*next = now;
			ss_plan_at = 0;
			log_info("source %s: %s of %s done", s->name,
			    ss_kind_names[c->kind], sh->name);
		}
	}
	if (store_shop_sched_set(daemon_state->store, sh->id, sh->next_sweep,
		sh->next_catalog) == -1)
		log_warnx("shop %s: cannot store its next sweep", sh->name);
	ss_call_free(c);
	sched_source_kick();
}

/* The calls a day a source's shops need, against its quota. */
static void
ss_plan_source(struct ss_source *s)
{
	struct budget_need need[64];
	struct st_shop_load ld;
	struct ss_shop *sh;
	size_t i;
	int n = 0;
	double recheck, approved;

	for (i = 0; i < ss_nshops && n < (int)(sizeof need / sizeof need[0]);
	     i++) {
		sh = &ss_shops[i];
		if (sh->src != s ||
		    store_shop_load(daemon_state->store, sh->id, &ld) == -1)
			continue;
		recheck = (double)sh->conf->recheck_interval;
		approved = recheck < LIFECYCLE_APPROVED_RECHECK
		    ? recheck
		    : LIFECYCLE_APPROVED_RECHECK;
		memset(&need[n], 0, sizeof need[n]);
		need[n].sweeps = 86400.0 / (double)sh->conf->sweep_interval;
		if (sh->conf->catalog_sync)
			need[n].catalog =
			    ceil((double)(ld.healthy_default + ld.open_cases +
				     ld.approved + 1) /
				SS_CATALOG_PAGE);
		need[n].cases = (double)ld.open_cases * 86400.0 / recheck +
		    (double)ld.approved * 86400.0 / approved;
		need[n].healthy =
		    (double)ld.healthy_default * 86400.0 / recheck +
		    ld.healthy_own_per_day;
		n++;
	}
	budget_plan(need, n, (double)s->daily_quota, &s->plan);
	if (!s->plan.fits && !s->plan_warned)
		log_warnx("source %s: the configured intervals need %.0f "
			  "calls a day (%.0f of them sweeps and re-checks of "
			  "open cases), but daily_quota is %lld: the checks of "
			  "tracked listings without a case are stretched "
			  "x%.2f; re-checks of open cases keep their interval",
		    s->name, s->plan.needed, s->plan.fixed,
		    (long long)s->daily_quota, s->plan.stretch);
	else if (s->plan.fits && (s->plan_warned || !s->plan_told))
		log_info("source %s: the configured intervals need %.0f "
			 "calls a day; daily_quota is %lld",
		    s->name, s->plan.needed, (long long)s->daily_quota);
	s->plan_told = 1;
	s->plan_warned = !s->plan.fits;
}

static void
ss_plan(void)
{
	struct ss_source *s;

	ss_plan_at = clock_uptime() + SS_PLAN_EVERY;
	LIST_FOREACH (s, &ss_sources, entry)
		ss_plan_source(s);
}

/*
 * At start and on reload: a stop of our own daily_quota counter ends when
 * the configured daily_quota now exceeds the calls made today (the
 * platform's own stop waits for 00:00 Beijing time).
 */
static void
ss_quota_raised(struct ss_source *s, time_t now)
{
	char msg[256];
	json_t *data;

	if (s->quota_until == 0 || !s->b.own_stop ||
	    s->b.day != budget_day(now) || s->b.calls >= s->daily_quota)
		return;
	s->quota_until = 0;
	s->b.own_stop = 0;
	s->b.exhausted_day = 0;
	snprintf(msg, sizeof msg,
	    "daily_quota is now %lld, above the %lld calls made today: "
	    "checks resume",
	    (long long)s->daily_quota, (long long)s->b.calls);
	data = json_pack("{s:s,s:I,s:I}", "after", "quota", "calls",
	    (json_int_t)s->b.calls, "daily_quota", (json_int_t)s->daily_quota);
	if (lifecycle_source_alert(
		s->name, &s->b, CASES_EV_SOURCE_RECOVERED, data, msg) == -1)
		log_warnx("source %s: cannot record its recovery", s->name);
}

static struct ss_source *
ss_source_get(const struct config_plugin *pc, time_t now)
{
	struct ss_source *s = ss_source_find(pc->name);

	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		s->name = xstrdup(pc->name);
		s->plan.stretch = 1;
		s->plan.fits = 1;
		if (store_budget_get(daemon_state->store, s->name, &s->b) == -1)
			log_warnx("source %s: cannot read its budget", s->name);
		s->auth_down = s->b.auth_down;
		if (s->b.day == budget_day(now) &&
		    s->b.exhausted_day == s->b.day)
			s->quota_until = budget_day_end(now);
		LIST_INSERT_HEAD(&ss_sources, s, entry);
	}
	if (s->rate != pc->rate || s->burst != pc->burst) {
		budget_bucket_init(
		    &s->bucket, pc->rate, (double)pc->burst, clock_uptime());
		budget_window_rate(&s->window, pc->rate);
		s->held_until = 0;
	}
	s->rate = pc->rate;
	s->burst = pc->burst;
	s->daily_quota = pc->daily_quota;
	s->max_in_flight = (int)pc->max_in_flight;
	ss_quota_raised(s, now);
	return (s);
}

static void
ss_shop_clear(struct ss_shop *sh)
{
	free(sh->name);
	free(sh->sweep_cursor);
	free(sh->catalog_cursor);
	ss_due_drop(&sh->due[0]);
	ss_due_drop(&sh->due[1]);
}

static void
ss_shops_free(void)
{
	size_t i;

	for (i = 0; i < ss_nshops; i++)
		ss_shop_clear(&ss_shops[i]);
	free(ss_shops);
	ss_shops = NULL;
	ss_nshops = 0;
}

/*
 * (Re)builds the shops to watch from the configuration. A shop keeps its
 * sweep state across a reload; a source whose credentials were refused
 * is probed again at once (the reload may carry new ones).
 */
void
sched_source_reload(void)
{
	const struct config *conf = daemon_state->config;
	const struct config_plugin *pc;
	struct ss_shop *old = ss_shops, *sh, *o;
	size_t nold = ss_nshops, i, j, k;
	time_t now = clock_now();

	ss_shops = xcalloc(conf->nshops + 1, sizeof *ss_shops);
	ss_nshops = 0;
	for (i = 0; i < conf->nshops; i++) {
		pc = NULL;
		if (conf->shops[i].source == NULL)
			continue;
		for (k = 0; k < conf->nplugins; k++) {
			if (strcmp(conf->plugins[k].name,
				conf->shops[i].source) == 0)
				pc = &conf->plugins[k];
		}
		if (pc == NULL)
			continue;
		sh = &ss_shops[ss_nshops++];
		sh->name = xstrdup(conf->shops[i].name);
		sh->conf = &conf->shops[i];
		sh->src = ss_source_get(pc, now);
		if ((sh->id = store_shop_id(
			 daemon_state->store, sh->name, now)) == -1 ||
		    store_shop_sched(daemon_state->store, sh->id,
			&sh->next_sweep, &sh->next_catalog) == -1 ||
		    store_watch_adopt(daemon_state->store, sh->id, now) == -1)
			log_warnx(
			    "shop %s: cannot read its schedule", sh->name);
		if (sh->next_sweep == 0 ||
		    sh->next_sweep > now + sh->conf->sweep_interval ||
		    sh->src->auth_down)
			sh->next_sweep = now;
		if (sh->next_catalog == 0 ||
		    sh->next_catalog > now + SS_CATALOG_EVERY)
			sh->next_catalog = now;
		for (j = 0; j < nold; j++) {
			o = &old[j];
			if (strcmp(o->name, sh->name) != 0 || o->src != sh->src)
				continue;
			sh->sweeping = o->sweeping;
			sh->cataloging = o->cataloging;
			sh->sweep_cursor = o->sweep_cursor;
			sh->catalog_cursor = o->catalog_cursor;
			sh->sweep_pages = o->sweep_pages;
			sh->catalog_pages = o->catalog_pages;
			sh->sweep_began = o->sweep_began;
			sh->catalog_began = o->catalog_began;
			o->sweep_cursor = o->catalog_cursor = NULL;
		}
		if (ss_host(sh->src) == NULL)
			log_warnx("shop %s: source %s is not a source plugin "
				  "instance; its listings are not checked",
			    sh->name, sh->src->name);
	}
	for (j = 0; j < nold; j++)
		ss_shop_clear(&old[j]);
	free(old);
	ss_plan_at = 0;
	sched_source_kick();
}

/* An instance went away (reload, shutdown): its calls will never end. */
void
sched_source_gone(const char *name, uint64_t generation)
{
	struct ss_call *c, *next;

	/* Answers already in are recorded as usual. */
	for (c = TAILQ_FIRST(&ss_calls); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (strcmp(c->source, name) == 0 && c->generation == generation)
			ss_call_free(c);
	}
	ss_kick();
}

void
sched_source_init(struct event_base *base)
{
	ss_timer = evtimer_new(base, ss_fire, NULL);
	ss_kick_ev = evtimer_new(base, ss_fire, NULL);
	ss_flush_ev = evtimer_new(base, ss_flush_fire, NULL);
	if (ss_timer == NULL || ss_kick_ev == NULL || ss_flush_ev == NULL)
		fatalx("sched: cannot create the source timers");
	clock_on_change(ss_clock_changed, NULL);
	sched_source_reload();
	ss_plan();
}

/*
 * The daemon stops: the answers in are recorded, no call is started; the
 * checks still in flight are recorded if they end before the loop does.
 */
void
sched_source_stop(void)
{
	ss_stopping = 1;
	ss_flush(1);
}

void
sched_source_shutdown(void)
{
	struct ss_source *s;

	ss_flush(0);
	while (!TAILQ_EMPTY(&ss_calls))
		ss_call_free(TAILQ_FIRST(&ss_calls));
	ss_shops_free();
	while ((s = LIST_FIRST(&ss_sources)) != NULL) {
		LIST_REMOVE(s, entry);
		free(s->name);
		free(s);
	}
	if (ss_timer != NULL)
		event_free(ss_timer);
	if (ss_kick_ev != NULL)
		event_free(ss_kick_ev);
	if (ss_flush_ev != NULL)
		event_free(ss_flush_ev);
	ss_timer = ss_kick_ev = ss_flush_ev = NULL;
	ss_stopping = 0;
}

static const char *
ss_state(const struct ss_source *s, time_t now, double mono)
{
	if (ss_host(s) == NULL)
		return ("not_a_source");
	if (s->auth_down)
		return ("auth_failed");
	if (s->quota_until != 0 && now < s->quota_until)
		return ("quota_exhausted");
	if (mono < s->paused_until)
		return ("throttled");
	if (mono < s->store_until)
		return ("store_failed");
	return ("ok");
}

/* For GET /v1/status: each source's budget, plan and state. */
json_t *
sched_source_status(void)
{
	struct ss_source *s;
	json_t *arr = json_array(), *shops;
	time_t now = clock_now();
	double mono = clock_uptime();
	size_t i;

	LIST_FOREACH (s, &ss_sources, entry) {
		shops = json_array();
		for (i = 0; i < ss_nshops; i++) {
			if (ss_shops[i].src == s)
				json_array_append_new(
				    shops, json_string(ss_shops[i].name));
		}
		if (shops == NULL || json_array_size(shops) == 0) {
			json_decref(shops);
			continue;
		}
		json_array_append_new(arr,
		    json_pack("{s:s,s:s,s:o,s:f,s:I,s:I,s:I,s:i,s:{s:I,s:I,s:b,"
			      "s:f},s:o}",
			"name", s->name, "state", ss_state(s, now, mono),
			"shops", shops, "rate", s->rate, "burst",
			(json_int_t)s->burst, "daily_quota",
			(json_int_t)s->daily_quota, "calls_today",
			(json_int_t)(s->b.day == budget_day(now) ? s->b.calls
								 : 0),
			"in_flight", s->in_flight, "plan", "needed_per_day",
			(json_int_t)ceil(s->plan.needed), "fixed_per_day",
			(json_int_t)ceil(s->plan.fixed), "fits", s->plan.fits,
			"stretch", s->plan.stretch, "resume_at",
			json_time(s->quota_until)));
	}
	return (arr);
}

/* For /metrics: calls, errors and the quota per source. */
void
sched_source_metrics(struct evbuffer *buf)
{
	struct ss_source *s;
	int k;

	evbuffer_add_printf(buf,
	    "# HELP delistd_source_calls_total Calls made to a source, by "
	    "kind.\n"
	    "# TYPE delistd_source_calls_total counter\n");
	LIST_FOREACH (s, &ss_sources, entry) {
		for (k = 0; k < 3; k++)
			evbuffer_add_printf(buf,
			    "delistd_source_calls_total{source=\"%s\","
			    "kind=\"%s\"} %llu\n",
			    s->name, ss_kind_names[k],
			    (unsigned long long)s->calls[k]);
	}
	evbuffer_add_printf(buf,
	    "# HELP delistd_source_errors_total Error answers of a source, "
	    "by kind.\n"
	    "# TYPE delistd_source_errors_total counter\n");
	LIST_FOREACH (s, &ss_sources, entry) {
		for (k = DELISTD_SOURCE_TRANSIENT;
		     k <= DELISTD_SOURCE_PERMANENT; k++)
			evbuffer_add_printf(buf,
			    "delistd_source_errors_total{source=\"%s\","
			    "kind=\"%s\"} %llu\n",
			    s->name, ss_error_names[k],
			    (unsigned long long)s->errors[k]);
	}
	evbuffer_add_printf(buf,
	    "# HELP delistd_source_quota_used Calls counted today (Beijing "
	    "day) against the daily quota.\n"
	    "# TYPE delistd_source_quota_used gauge\n");
	LIST_FOREACH (s, &ss_sources, entry)
		evbuffer_add_printf(buf,
		    "delistd_source_quota_used{source=\"%s\"} %lld\n", s->name,
		    (long long)s->b.calls);
	evbuffer_add_printf(buf,
	    "# HELP delistd_source_daily_quota The configured daily_quota.\n"
	    "# TYPE delistd_source_daily_quota gauge\n");
	LIST_FOREACH (s, &ss_sources, entry)
		evbuffer_add_printf(buf,
		    "delistd_source_daily_quota{source=\"%s\"} %lld\n", s->name,
		    (long long)s->daily_quota);
	evbuffer_add_printf(buf,
	    "# HELP delistd_source_calls_needed_per_day Calls a day the "
	    "configured intervals need.\n"
	    "# TYPE delistd_source_calls_needed_per_day gauge\n");
	LIST_FOREACH (s, &ss_sources, entry)
		evbuffer_add_printf(buf,
		    "delistd_source_calls_needed_per_day{source=\"%s\"} %.0f\n",
		    s->name, s->plan.needed);
}

/* SPDX-License-Identifier: ISC */
/*
 * sched.c: the time-driven alerts, each a libevent timer armed at its next
 * due time.
 *
 * One timer per kind (feedback overdue, escalation tiers, stall, a
 * document's next expiry alert: vault_fire, the reminders of critical
 * conditions), and one for the shops' daily digests (computed from each
 * configured shop's last digest), and one for the calendars' coverage
 * (calendar.uncovered, at the next local midnight that can change it).
 * Each kind reads the
 * earliest due time from its partial index, sleeps until then, fires every
 * row due by now (one transaction each, see lifecycle_fire) and re-arms. No
 * job scans every row on a tick. When the test clock moves, every kind is
 * re-evaluated at once. At start, anything that fell due while the daemon
 * was down fires immediately, exactly once.
 */

#include "config.h"

#include <stdlib.h>

#include <event2/event.h>

#include "delistd.h"
#include "lifecycle.h"
#include "scheduler.h"
#include "vault.h"

static struct event *sched_ev[STORE_DUE_COUNT];
static struct event *sched_digest_ev;
static struct event *sched_calendar_ev;
static const char *const sched_names[STORE_DUE_COUNT] = { "feedback",
	"escalation", "stall", "document expiry", "reminder", "tro deadline" };

static void sched_fire(evutil_socket_t, short, void *);
static void sched_run(enum store_due);
static void sched_clock_changed(void *);
static void sched_digest(evutil_socket_t, short, void *);
static void sched_calendar(evutil_socket_t, short, void *);

/*
 * Every shop whose digest is due gets it (once: the store remembers the
 * last), then the timer sleeps until the earliest next one. Shops are few
 * (the config's), so this walks them rather than an index.
 */
static void
sched_digest(evutil_socket_t fd, short events, void *arg)
{
	const struct config *conf = daemon_state->config;
	struct timeval tv;
	time_t now = clock_now(), due, next = 0;
	size_t i;
	int failed = 0;

	(void)fd;
	(void)events;
	(void)arg;
	for (i = 0; i < conf->nshops; i++) {
		if ((due = lifecycle_digest_due(&conf->shops[i])) == 0) {
			failed = 1;
			continue;
		}
		if (due <= now) {
			if (lifecycle_digest(&conf->shops[i]) == -1) {
				log_warnx("sched: the digest of shop %s "
					  "failed; will retry",
				    conf->shops[i].name);
				failed = 1;
				continue;
			}
			due = lifecycle_digest_due(&conf->shops[i]);
		}
		if (due > now && (next == 0 || due < next))
			next = due;
	}
	evtimer_del(sched_digest_ev);
	if (next == 0 && !failed)
		return;
	tv.tv_sec = failed && (next == 0 || next - now > 60) ? 60 : next - now;
	tv.tv_usec = 0;
	evtimer_add(sched_digest_ev, &tv);
	log_debug("sched: next digest check in %lld s", (long long)tv.tv_sec);
}

/*
 * A calendar without dates for the year running, or for the next one
 * within 60 days, raises calendar.uncovered (once); then the timer sleeps
 * until the next local midnight that can change that.
 */
static void
sched_calendar(evutil_socket_t fd, short events, void *arg)
{
	struct timeval tv;
	time_t now = clock_now(), next;

	(void)fd;
	(void)events;
	(void)arg;
	next = lifecycle_calendar_check(0);
	evtimer_del(sched_calendar_ev);
	if (next == 0)
		return;
	tv.tv_sec = next == -1 || next <= now ? 60 : next - now;
	tv.tv_usec = 0;
	evtimer_add(sched_calendar_ev, &tv);
	log_debug("sched: next calendar check in %lld s", (long long)tv.tv_sec);
}

static void
sched_run(enum store_due kind)
{
	struct timeval tv;
	int64_t *ids;
	size_t n, i;
	time_t now = clock_now(), next;

	if (store_due_list(daemon_state->store, kind, now, &ids, &n) == 0) {
		for (i = 0; i < n; i++) {
			if ((kind == STORE_DUE_DOC
				    ? vault_fire(ids[i])
				    : lifecycle_fire(kind, ids[i])) == -1)
				log_warnx("sched: %s alert %lld failed; will "
					  "retry",
				    sched_names[kind], (long long)ids[i]);
		}
		free(ids);
	}
	evtimer_del(sched_ev[kind]);
	if ((next = store_due_next(daemon_state->store, kind)) == 0)
		return;
	/* A failed row is retried in a minute rather than in a busy loop. */
	tv.tv_sec = next > now ? next - now : 60;
	tv.tv_usec = 0;
	evtimer_add(sched_ev[kind], &tv);
	log_debug("sched: next %s check in %lld s", sched_names[kind],
	    (long long)tv.tv_sec);
}

static void
sched_fire(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	sched_run((enum store_due)(intptr_t)arg);
}

/* Re-reads every kind's next due time (after a change or a clock move). */
void
sched_rearm(void)
{
	int kind;

	for (kind = 0; kind < STORE_DUE_COUNT; kind++)
		sched_run(kind);
	if (sched_digest_ev != NULL)
		sched_digest(-1, 0, NULL);
	if (sched_calendar_ev != NULL)
		sched_calendar(-1, 0, NULL);
	/* A case opened, approved or a listing tracked may be due sooner. */
	sched_source_kick();
}

static void
sched_clock_changed(void *arg)
{
	(void)arg;
	sched_rearm();
}

void
sched_init(struct event_base *base)
{
	int kind;

	for (kind = 0; kind < STORE_DUE_COUNT; kind++) {
		sched_ev[kind] =
		    evtimer_new(base, sched_fire, (void *)(intptr_t)kind);
		if (sched_ev[kind] == NULL)
			fatalx("sched: cannot create a timer");
	}
	if ((sched_digest_ev = evtimer_new(base, sched_digest, NULL)) == NULL ||
	    (sched_calendar_ev = evtimer_new(base, sched_calendar, NULL)) ==
		NULL)
		fatalx("sched: cannot create a timer");
	clock_on_change(sched_clock_changed, NULL);
	sched_rearm();
}

void
sched_shutdown(void)
{
	int kind;

	for (kind = 0; kind < STORE_DUE_COUNT; kind++) {
		if (sched_ev[kind] != NULL)
			event_free(sched_ev[kind]);
		sched_ev[kind] = NULL;
	}
	if (sched_digest_ev != NULL)
		event_free(sched_digest_ev);
	sched_digest_ev = NULL;
	if (sched_calendar_ev != NULL)
		event_free(sched_calendar_ev);
	sched_calendar_ev = NULL;
}

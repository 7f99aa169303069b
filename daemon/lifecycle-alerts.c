/* SPDX-License-Identifier: ISC */
/*
 * lifecycle-alerts.c: the alerts the timers raise and what holds them.
 * Critical conditions and their reminders until someone takes them on
 * (acknowledgements) or they are resolved, the escalation tiers of an
 * appeal without a decision, the timers' dispatch (lifecycle_fire), and
 * the snoozes that hold a shop's mail.
 *
 * It must not render answers for the API beyond the JSON values the API
 * embeds, nor call anything above it by name (event.c fans out).
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
#include "i18n.h"
#include "lifecycle.h"
#include "lifecycle-private.h"
#include "preflight-run.h"
#include "fingerprint.h"

/*
 * Critical conditions: an event of one of these types, raised as critical,
 * opens a condition that is re-announced as "<type>.reminder" every
 * rules.repeat_interval (business days only) until it is acknowledged or
 * resolved. subject names the member of the event's data that tells two
 * conditions of one case (or of none) apart.
 */
static const struct lifecycle_condition_row {
	enum cases_event_type type;
	const char *subject;
	int of_case; /* acknowledged and resolved with its case */
} lifecycle_conditions[] = {
	{ CASES_EV_CASE_ESCALATED, "appeal", 1 },
	{ CASES_EV_CASE_MANUAL_REVIEW, NULL, 1 },
	/* Its own: a case's note does not fix the receiver. */
	{ CASES_EV_DELIVERY_DEAD, "delivery", 0 },
	/* A source's: over when it recovers (lifecycle_source_alert). */
	{ CASES_EV_SOURCE_QUOTA_EXHAUSTED, "source", 0 },
	{ CASES_EV_SOURCE_AUTH_FAILED, "source", 0 },
	/* A TRO's court date: over with its case, or acknowledged. */
	{ CASES_EV_TRO_DEADLINE, "deadline", 1 },
};

/* When a reminder falls due repeat_interval of business time after t. */
static time_t
lifecycle_remind_at(const char *shop, time_t t)
{
	time_t r = calendar_add_business_time(lifecycle_calendar(shop), t,
	    lifecycle_config()->rules.repeat_interval);

	return (r == (time_t)-1 ? t + lifecycle_config()->rules.repeat_interval
				: r);
}

/* An acknowledgement that lapses at until: reminders resume then (or at
 * the start of the next business day if until is on a day off). */
static time_t
lifecycle_lapse_at(const char *shop, time_t until)
{
	time_t r =
	    calendar_add_business_days(lifecycle_calendar(shop), until, 0);

	return (r == (time_t)-1 || r < until ? until : r);
}

/* Opens a condition for a critical event of a type that is re-announced. */
int
lifecycle_condition_raise(const struct event_opts *opts,
    const struct st_case *c, int64_t event_id, time_t at,
    enum cases_event_type type, enum cases_severity sev, const json_t *data)
{
	struct st_condition cond;
	const json_t *j;
	char buf[32], *subject = NULL;
	size_t i;
	int rc;

	if ((opts != NULL && opts->quiet) || sev != CASES_SEV_CRITICAL ||
	    cases_event_reminder(type) == -1)
		return (0);
	for (i = 0;
	     i < sizeof lifecycle_conditions / sizeof lifecycle_conditions[0];
	     i++) {
		if (lifecycle_conditions[i].type == type)
			break;
	}
	if (i == sizeof lifecycle_conditions / sizeof lifecycle_conditions[0])
		return (0);
	if (lifecycle_conditions[i].subject != NULL &&
	    (j = json_object_get(data, lifecycle_conditions[i].subject)) !=
		NULL) {
		if (json_is_integer(j)) {
			snprintf(buf, sizeof buf, "%lld",
			    (long long)json_integer_value(j));
			subject = buf;
		} else if (json_is_string(j))
			subject = (char *)json_string_value(j);
	}
	if ((rc = store_condition_open(lifecycle_store(),
		 cases_event_name(type),
		 lifecycle_conditions[i].of_case ? c->id : 0, subject)) != 0)
		return (rc == -1 ? -1 : 0);
	memset(&cond, 0, sizeof cond);
	cond.type = (char *)cases_event_name(type);
	cond.severity = (char *)cases_severity_name(sev);
	cond.event_id = event_id;
	cond.case_id = lifecycle_conditions[i].of_case ? c->id : 0;
	cond.shop = c->shop;
	cond.product_id = c->product_id;
	cond.subject = subject;
	cond.raised_at = at;
	/* A case someone took on stays taken on for what follows. */
	if (cond.case_id != 0 && c->ack_by != NULL &&
	    (c->ack_until == 0 || c->ack_until > clock_now()))
		cond.next_at = c->ack_until
		    ? lifecycle_lapse_at(c->shop, c->ack_until)
		    : 0;
	else
		cond.next_at = lifecycle_remind_at(c->shop, at);
	return (
	    store_condition_insert(lifecycle_store(), &cond) == -1 ? -1 : 0);
}

/*
 * Inside the caller's transaction: a condition without a case is over
 * (a dead delivery requeued: type "delivery.dead", subject its id; NULL:
 * every one of the type). Returns how many were resolved, or -1.
 */
int
lifecycle_resolve(const char *type, const char *subject)
{
	return (store_conditions_resolve(
	    lifecycle_store(), 0, type, subject, clock_now()));
}

/*
 * A timer's alert for one due row, in its own transaction: the event and the
 * "fired" mark are committed together, so a restart neither loses nor
 * repeats it.
 */
/*
 * The after_business_days of the last tier that fired. A row from before
 * migration 8 knows only how many fired: mapped through the tiers
 * configured now (the daemon saves the value at startup, before a reload
 * can change them).
 */
int64_t
lifecycle_last_days(const struct st_appeal *a)
{
	const struct config_rules *r = &lifecycle_config()->rules;
	size_t n = (size_t)a->escalate_tier;

	if (a->escalate_last_days >= 0)
		return (a->escalate_last_days);
	if (n == 0 || r->ntiers == 0)
		return (0);
	return (
	    r->tiers[(n < r->ntiers ? n : r->ntiers) - 1].after_business_days);
}

/* The position of the first configured tier after last days (the next). */
size_t
lifecycle_next_tier(int64_t last)
{
	const struct config_rules *r = &lifecycle_config()->rules;
	size_t i;

	for (i = 0; i < r->ntiers && r->tiers[i].after_business_days <= last;
	     i++)
		;
	return (i);
}

/*
 * An appeal's escalation tiers that are due: each fires once, as
 * case.escalated with its own severity, to the subscribers and to the
 * sinks the tier names; the days of the last tier fired and the next
 * tier's due time are saved with the events. Several tiers due at once (the daemon
 * was down) fire in order.
 */
static int
lifecycle_escalate(struct st_case *c, const struct st_appeal *a)
{
	const struct config_rules *r = &lifecycle_config()->rules;
	const struct config_tier *t;
	const struct calendar *cal = lifecycle_calendar(c->shop);
	time_t now = clock_now(), due = a->escalate_due_at;
	int64_t last = lifecycle_last_days(a);
	size_t tier = lifecycle_next_tier(last);
	struct event_opts opts;
	json_t *data;
	int64_t rc = 0;

	memset(&opts, 0, sizeof opts);
	if (tier < r->ntiers &&
	    (due = calendar_add_business_days(cal, a->submitted_at,
		 (int)r->tiers[tier].after_business_days)) == (time_t)-1)
		tier = r->ntiers;
	while (tier < r->ntiers && due <= now && rc != -1) {
		t = &r->tiers[tier];
		data = json_pack("{s:i,s:s,s:i,s:I,s:s,s:i}", "appeal", a->n,
		    "platform_case_id", a->platform_case_id, "tier",
		    (int)tier + 1, "after_business_days",
		    (json_int_t)t->after_business_days, "severity",
		    cases_severity_name(t->severity), "tiers", (int)r->ntiers);
		opts.also = &t->notify;
		if (tier + 1 < r->ntiers)
			rc = lifecycle_event_with(&opts, c, due, "daemon",
			    CASES_EV_CASE_ESCALATED, t->severity, data,
			    "appeal %d (Case ID %s) has had no decision for "
			    "%lld business days (escalation %zu of %zu): "
			    "get ready to contact online customer service "
			    "with Case ID %s",
			    a->n, a->platform_case_id,
			    (long long)t->after_business_days, tier + 1,
			    r->ntiers, a->platform_case_id);
		else
			rc = lifecycle_event_with(&opts, c, due, "daemon",
			    CASES_EV_CASE_ESCALATED, t->severity, data,
			    "appeal %d (Case ID %s) has no decision after "
			    "%lld business days: contact online customer "
			    "service with Case ID %s and ask for the review "
			    "to be completed",
			    a->n, a->platform_case_id,
			    (long long)t->after_business_days,
			    a->platform_case_id);
		last = t->after_business_days;
		if (++tier < r->ntiers &&
		    (due = calendar_add_business_days(cal, a->submitted_at,
			 (int)r->tiers[tier].after_business_days)) ==
			(time_t)-1)
			tier = r->ntiers;
	}
	if (rc == -1 ||
	    store_appeal_escalated(lifecycle_store(), a->id, (int)tier, last,
		due, tier >= r->ntiers) == -1)
		return (-1);
	return (0);
}

/*
 * The sink a dead delivery's condition is about (its subject is the outbox
 * row's id): its reminder must not go there, or it dies too. NULL when the
 * condition is not a dead delivery's (or the row is gone); -1 on error.
 */
static int
lifecycle_dead_sink(const struct st_condition *cond, char **sink)
{
	struct st_delivery *d = NULL;
	size_t n = 0;
	char *end;
	long long row;

	*sink = NULL;
	if (strcmp(cond->type, cases_event_name(CASES_EV_DELIVERY_DEAD)) != 0 ||
	    cond->subject == NULL)
		return (0);
	row = strtoll(cond->subject, &end, 10);
	if (*end != '\0' || row <= 0)
		return (0);
	if (store_outbox_get(lifecycle_store(), row, &d, &n) == -1)
		return (-1);
	if (n > 0)
		*sink = xstrdup(d[0].sink);
	st_deliveries_free(d, n);
	return (0);
}

/*
 * What a reminder is about, in a few words for a mail's subject ("appeal
 * escalated, no decision after 5 business days"), and the platform's Case
 * ID of the appeal it is about (the escalated one, or the case's latest),
 * NULL when there is none. Inside the caller's transaction.
 */
static int
lifecycle_remind_about(const struct st_condition *cond, const char *sink,
    char **about, char **pcid)
{
	struct st_appeal *ap = NULL, *a = NULL;
	size_t n = 0, i;
	int want = cond->subject ? atoi(cond->subject) : 0;

	*about = *pcid = NULL;
	if (cond->case_id != 0 &&
	    store_appeals(lifecycle_store(), cond->case_id, &ap, &n) == -1)
		return (-1);
	for (i = 0; i < n; i++) {
		if (want == 0 || ap[i].n == want)
			a = &ap[i];
	}
	if (a != NULL && a->platform_case_id != NULL)
		*pcid = xstrdup(a->platform_case_id);
	switch (cases_event_from_name(cond->type)) {
	case CASES_EV_CASE_ESCALATED:
		if (a != NULL && lifecycle_last_days(a) > 0)
			xasprintf(about,
			    "appeal escalated, no decision after %lld "
			    "business days",
			    (long long)lifecycle_last_days(a));
		else
			*about = xstrdup("appeal escalated, no decision");
		break;
	case CASES_EV_CASE_MANUAL_REVIEW:
		*about = xstrdup("in manual review");
		break;
	case CASES_EV_DELIVERY_DEAD:
		xasprintf(
		    about, "a delivery to %s is dead", sink ? sink : "a sink");
		break;
	case CASES_EV_SOURCE_QUOTA_EXHAUSTED:
		*about = xstrdup("source quota used up");
		break;
	case CASES_EV_SOURCE_AUTH_FAILED:
		*about = xstrdup("source credentials refused");
		break;
	default:
		*about = xstrdup(cond->type);
		break;
	}
	st_appeals_free(ap, n);
	return (0);
}

/*
 * A condition's reminder, in its own transaction: unless it is
 * acknowledged (an acknowledgement that has lapsed is cleared), a
 * "<type>.reminder" event, and the next one repeat_interval of business
 * time later.
 */
static int
lifecycle_remind(int64_t id)
{
	struct st_condition *cond = NULL;
	struct st_case c;
	time_t now = clock_now(), until;
	const char *by;
	char *lapsed = NULL, *dead_sink = NULL, buf[ISOTIME_LEN];
	char *about = NULL, *pcid = NULL;
	struct event_opts opts;
	enum cases_event_type type;
	int rem, rc;
	json_t *data;

	if (store_begin(lifecycle_store()) == -1)
		return (-1);
	memset(&c, 0, sizeof c);
	if ((rc = store_condition_get(lifecycle_store(), id, &cond)) == -1)
		goto fail;
	if (rc == 1 || cond->resolved_at != 0 || cond->next_at == 0 ||
	    cond->next_at > now)
		goto done;
	if (cond->case_id != 0) {
		if (store_case_get(lifecycle_store(), cond->case_id, &c) != 0)
			goto fail;
		by = c.ack_by;
		until = c.ack_until;
	} else {
		c.shop = cond->shop ? xstrdup(cond->shop) : NULL;
		c.product_id =
		    cond->product_id ? xstrdup(cond->product_id) : NULL;
		by = cond->ack_by;
		until = cond->ack_until;
	}
	if (by != NULL && (until == 0 || until > now)) {
		cond->next_at =
		    until ? lifecycle_lapse_at(cond->shop, until) : 0;
		if (store_condition_update(lifecycle_store(), cond) == -1)
			goto fail;
		goto done;
	}
	if (by != NULL) {
		lapsed = xstrdup(by);
		if (cond->case_id != 0 &&
		    store_case_ack(lifecycle_store(), c.id, NULL, 0, 0, NULL) ==
			-1)
			goto fail;
		free(cond->ack_by);
		free(cond->ack_comment);
		cond->ack_by = cond->ack_comment = NULL;
		cond->ack_at = cond->ack_until = 0;
	}
	type = cases_event_from_name(cond->type);
	if ((rem = cases_event_reminder(type)) == -1)
		goto done;
	if (lifecycle_dead_sink(cond, &dead_sink) == -1 ||
	    lifecycle_remind_about(cond, dead_sink, &about, &pcid) == -1)
		goto fail;
	cond->reminders++;
	data = json_pack("{s:I,s:i,s:s,s:s,s:I,s:s,s:o,s:o,s:o}", "condition",
	    (json_int_t)cond->id, "reminder", cond->reminders, "raised_by",
	    cond->type, "about", about, "raised_event",
	    (json_int_t)cond->event_id, "raised_at",
	    isotime_format(cond->raised_at, buf, sizeof buf), "subject",
	    cond->subject ? json_string(cond->subject) : json_null(),
	    "ack_lapsed", lapsed ? json_string(lapsed) : json_null(), "sink",
	    dead_sink ? json_string(dead_sink) : json_null());
	if (pcid != NULL)
		json_object_set_new(
		    data, "platform_case_id", json_string(pcid));
	memset(&opts, 0, sizeof opts);
	opts.exclude = dead_sink;
	if (cond->case_id != 0)
		rc = lifecycle_event_with(&opts, &c, cond->next_at, "daemon",
			 rem, cases_severity_from_name(cond->severity), data,
			 "reminder %d: case %lld still needs someone (%s, "
			 "since %s)%s%s%s; once someone is on it: delistctl "
			 "case ack %lld",
			 cond->reminders, (long long)c.id,
			 cases_event_describe(type), buf,
			 lapsed ? "; the acknowledgement by " : "",
			 lapsed ? lapsed : "", lapsed ? " lapsed" : "",
			 (long long)c.id) == -1
		    ? -1
		    : 0;
	else
		rc = lifecycle_event_with(&opts, &c, cond->next_at, "daemon",
			 rem, cases_severity_from_name(cond->severity), data,
			 "reminder %d: %s (since %s)%s%s%s; fix it, or once "
			 "someone is on it: delistctl ack %lld",
			 cond->reminders, cases_event_describe(type), buf,
			 lapsed ? "; the acknowledgement by " : "",
			 lapsed ? lapsed : "", lapsed ? " lapsed" : "",
			 (long long)cond->id) == -1
		    ? -1
		    : 0;
	if (rc == -1)
		goto fail;
	cond->next_at = lifecycle_remind_at(
	    cond->shop, cond->next_at > now - 60 ? cond->next_at : now);
	if (store_condition_update(lifecycle_store(), cond) == -1)
		goto fail;
done:
	if (store_commit(lifecycle_store()) == -1)
		goto fail;
	st_conditions_free(cond, cond ? 1 : 0);
	st_case_clear(&c);
	free(lapsed);
	free(dead_sink);
	free(about);
	free(pcid);
	lifecycle_published();
	return (0);
fail:
	store_rollback(lifecycle_store());
	st_conditions_free(cond, cond ? 1 : 0);
	st_case_clear(&c);
	free(lapsed);
	free(dead_sink);
	free(about);
	free(pcid);
	return (-1);
}

int
lifecycle_fire(enum store_due kind, int64_t id)
{
	struct st_case c;
	struct st_appeal *ap = NULL, *a = NULL;
	size_t nap = 0, i;
	int64_t case_id = id, rc;
	char buf[64];
	json_t *data;
	int tiers_saved = 0;

	if (kind == STORE_DUE_REMIND)
		return (lifecycle_remind(id));
	if (kind == STORE_DUE_TRO)
		return (lifecycle_tro_fire(id));
	if (store_begin(lifecycle_store()) == -1)
		return (-1);
	if (kind != STORE_DUE_STALL) {
		/* id is an appeal's: find its case. */
		struct st_appeal *all;
		size_t nall;
		if (store_appeals_pending(lifecycle_store(), &all, &nall) == -1)
			goto fail;
		case_id = 0;
		for (i = 0; i < nall; i++) {
			if (all[i].id == id)
				case_id = all[i].case_id;
		}
		st_appeals_free(all, nall);
		if (case_id == 0)
			goto fired;
	}
	if (store_case_get(lifecycle_store(), case_id, &c) != 0)
		goto fail;
	if (store_appeals(lifecycle_store(), case_id, &ap, &nap) == -1) {
		st_case_clear(&c);
		goto fail;
	}
	for (i = 0; i < nap; i++) {
		if (ap[i].id == id)
			a = &ap[i];
	}
	if (a == NULL && kind != STORE_DUE_STALL) {
		st_case_clear(&c);
		st_appeals_free(ap, nap);
		goto fired;
	}
	switch (kind) {
	case STORE_DUE_FEEDBACK:
		data = json_pack("{s:i,s:s}", "appeal", a->n,
		    "platform_case_id", a->platform_case_id);
		rc = lifecycle_event(&c, a->feedback_due_at, "daemon",
		    CASES_EV_CASE_FEEDBACK_OVERDUE,
		    cases_event_severity(CASES_EV_CASE_FEEDBACK_OVERDUE), data,
		    "no feedback on appeal %d (Case ID %s) %lld hours after "
		    "submission: open a ticket with online customer service "
		    "(violation consultation) quoting Case ID %s and note the "
		    "progress number",
		    a->n, a->platform_case_id,
		    /* a number, not English words, for the reader's language */
		    (long long)((lifecycle_config()->rules.feedback_after +
				    3599) /
			3600),
		    a->platform_case_id);
		break;
	case STORE_DUE_ESCALATE:
		rc = lifecycle_escalate(&c, a);
		tiers_saved = rc == 0;
		break;
	default:
		rc = lifecycle_event(&c, c.stall_due_at, "daemon",
		    CASES_EV_CASE_STALLED,
		    cases_event_severity(CASES_EV_CASE_STALLED), NULL,
		    "case %lld has had no appeal for %s: rectify, record it "
		    "with delistctl case note, then appeal (or abandon the "
		    "case)",
		    (long long)c.id,
		    duration_format(lifecycle_config()->rules.stall_after, buf,
			sizeof buf));
		break;
	}
	st_case_clear(&c);
	st_appeals_free(ap, nap);
	if (rc == -1)
		goto fail;
fired:
	if ((!tiers_saved &&
		store_due_fired(lifecycle_store(), kind, id) == -1) ||
	    store_commit(lifecycle_store()) == -1)
		goto fail;
	lifecycle_published();
	return (0);
fail:
	store_rollback(lifecycle_store());
	return (-1);
}

/*
 * After a reload: the deadlines of undecided appeals follow the new rules
 * and calendar (a holiday added today moves an escalation).
 */
int
lifecycle_recompute(void)
{
	struct st_appeal *ap;
	struct st_case c;
	struct case_rules rules;
	size_t n, i, tier;
	int64_t last;
	time_t due;

	lifecycle_rules(&rules);
	if (store_begin(lifecycle_store()) == -1)
		return (-1);
	if (store_appeals_pending(lifecycle_store(), &ap, &n) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		if (store_case_get(lifecycle_store(), ap[i].case_id, &c) != 0) {
			st_appeals_free(ap, n);
			goto fail;
		}
		last = lifecycle_last_days(&ap[i]);
		tier = lifecycle_next_tier(last);
		due = tier < lifecycle_config()->rules.ntiers
		    ? calendar_add_business_days(lifecycle_calendar(c.shop),
			  ap[i].submitted_at,
			  (int)lifecycle_config()
			      ->rules.tiers[tier]
			      .after_business_days)
		    : ap[i].escalate_due_at;
		if (store_appeal_set_due(lifecycle_store(), ap[i].id,
			cases_feedback_due(ap[i].submitted_at, &rules),
			due) == -1 ||
		    (!ap[i].escalate_fired &&
			store_appeal_escalated(lifecycle_store(), ap[i].id,
			    (int)tier, last, due,
			    tier >= lifecycle_config()->rules.ntiers) == -1)) {
			st_case_clear(&c);
			st_appeals_free(ap, n);
			goto fail;
		}
		st_case_clear(&c);
	}
	st_appeals_free(ap, n);
	if (store_commit(lifecycle_store()) == -1)
		goto fail;
	event_changed(EVENT_CHANGE_DUE);
	return (0);
fail:
	store_rollback(lifecycle_store());
	return (-1);
}

/* Whether someone took case c on and it has not lapsed yet. */
int
lifecycle_ack_holds(const struct st_case *c)
{
	return (c->ack_by != NULL &&
	    (c->ack_until == 0 || c->ack_until > clock_now()));
}

/*
 * Someone took a case on: until lapses at until (0: until the case changes
 * state), its conditions are not re-announced. Recorded in the trail.
 */
int
lifecycle_ack(int64_t id, time_t until, const char *comment, const char *actor,
    struct lifecycle_err *err)
{
	struct st_case c;
	struct st_condition *cond;
	size_t n, i;
	time_t now = clock_now();
	char buf[ISOTIME_LEN];
	json_t *data;

	if (lifecycle_case_begin(id, &c, err) == -1)
		return (-1);
	if (!cases_state_is_open(cases_state_from_name(c.state))) {
		lifecycle_err_set(err, LIFECYCLE_ERR_CASE_CLOSED,
		    "case %lld is %s: there is nothing left to take on",
		    (long long)id, c.state);
		store_rollback(lifecycle_store());
		st_case_clear(&c);
		return (-1);
	}
	if (store_case_ack(lifecycle_store(), id, actor, now, until, comment) ==
		-1 ||
	    store_conditions(lifecycle_store(), 0, id, 0, &cond, &n) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		cond[i].next_at = until ? lifecycle_lapse_at(c.shop, until) : 0;
		if (store_condition_update(lifecycle_store(), &cond[i]) == -1) {
			st_conditions_free(cond, n);
			goto fail;
		}
	}
	st_conditions_free(cond, n);
	data = json_pack("{s:s,s:o,s:o,s:i}", "by", actor, "until",
	    json_time(until), "comment",
	    comment ? json_string(comment) : json_null(), "conditions", (int)n);
	if (lifecycle_event(&c, now, actor, CASES_EV_CASE_ACKNOWLEDGED,
		CASES_SEV_INFO, data,
		until ? EV_("case %lld taken on by %s%s%s%s: no reminders "
			    "until %s")
		      : EV_("case %lld taken on by %s%s%s%s: no reminders "
			    "until its state changes%s"),
		(long long)id, actor, comment ? " (" : "",
		comment ? comment : "", comment ? ")" : "",
		until ? isotime_format(until, buf, sizeof buf) : "") == -1)
		goto fail;
	st_case_clear(&c);
	return (lifecycle_commit(err));
fail:
	st_case_clear(&c);
	return (lifecycle_store_fail(err));
}

/*
 * Acknowledges a condition by its id: one of a case acknowledges the case;
 * one without (a dead delivery) carries its own acknowledgement.
 */
int
lifecycle_condition_ack(int64_t id, time_t until, const char *comment,
    const char *actor, struct lifecycle_err *err)
{
	struct st_condition *cond;
	struct st_case c;
	time_t now = clock_now();
	char buf[ISOTIME_LEN];
	json_t *data;
	int rc;

	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	if ((rc = store_condition_get(lifecycle_store(), id, &cond)) != 0) {
		if (rc == -1)
			return (lifecycle_store_fail(err));
		store_rollback(lifecycle_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_NOT_FOUND,
		    "condition %lld not found", (long long)id);
		return (-1);
	}
	if (cond->resolved_at != 0) {
		store_rollback(lifecycle_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_RESOLVED,
		    "condition %lld (%s) is resolved already", (long long)id,
		    cond->type);
		st_conditions_free(cond, 1);
		return (-1);
	}
	if (cond->case_id != 0) {
		int64_t case_id = cond->case_id;

		store_rollback(lifecycle_store());
		st_conditions_free(cond, 1);
		return (lifecycle_ack(case_id, until, comment, actor, err));
	}
	free(cond->ack_by);
	free(cond->ack_comment);
	cond->ack_by = xstrdup(actor);
	cond->ack_at = now;
	cond->ack_until = until;
	cond->ack_comment = comment ? xstrdup(comment) : NULL;
	cond->next_at = until ? lifecycle_lapse_at(cond->shop, until) : 0;
	memset(&c, 0, sizeof c);
	c.shop = cond->shop;
	c.product_id = cond->product_id;
	data = json_pack("{s:I,s:s,s:o,s:s,s:o,s:o}", "condition",
	    (json_int_t)id, "raised_by", cond->type, "subject",
	    cond->subject ? json_string(cond->subject) : json_null(), "by",
	    actor, "until", json_time(until), "comment",
	    comment ? json_string(comment) : json_null());
	if (store_condition_update(lifecycle_store(), cond) == -1 ||
	    lifecycle_event(&c, now, actor, CASES_EV_CONDITION_ACKNOWLEDGED,
		CASES_SEV_INFO, data, "condition %lld (%s) taken on by %s%s%s",
		(long long)id, cond->type, actor, until ? " until " : "",
		until ? isotime_format(until, buf, sizeof buf) : "") == -1) {
		st_conditions_free(cond, 1);
		return (lifecycle_store_fail(err));
	}
	st_conditions_free(cond, 1);
	return (lifecycle_commit(err));
}

/*
 * Holds mail about a shop until until (0: ends the snooze now). The trail
 * records it; the outbox holds the shop's rows to sinks of module "mail"
 * meanwhile, and sends them as one summary when it ends.
 */
int
lifecycle_snooze(const char *shop, time_t until, const char *comment,
    const char *actor, struct lifecycle_err *err)
{
	struct st_case c;
	time_t now = clock_now();
	char buf[ISOTIME_LEN];
	json_t *data;
	int rc;

	if (lifecycle_shop_begin(shop, err) == -1)
		return (-1);
	memset(&c, 0, sizeof c);
	c.shop = (char *)shop;
	if (until == 0) {
		if ((rc = store_snooze_clear(lifecycle_store(), shop, now)) ==
		    -1)
			return (lifecycle_store_fail(err));
		if (rc == 0) {
			store_rollback(lifecycle_store());
			lifecycle_err_set(err, LIFECYCLE_ERR_NOT_SNOOZED,
			    "shop %s is not snoozed", shop);
			return (-1);
		}
		if (lifecycle_event(&c, now, actor, CASES_EV_SHOP_UNSNOOZED,
			CASES_SEV_INFO, NULL,
			"shop %s: snooze ended, mail flows again; what it held "
			"follows in one summary",
			shop) == -1)
			return (lifecycle_store_fail(err));
		if (lifecycle_commit(err) == -1)
			return (-1);
		/* What the snooze held goes out now (outbox.c). */
		event_changed(EVENT_CHANGE_SNOOZE);
		return (0);
	}
	data = json_pack("{s:s,s:o}", "until",
	    isotime_format(until, buf, sizeof buf), "comment",
	    comment ? json_string(comment) : json_null());
	if (store_snooze_set(
		lifecycle_store(), shop, until, actor, now, comment) == -1 ||
	    lifecycle_event(&c, now, actor, CASES_EV_SHOP_SNOOZED,
		CASES_SEV_INFO, data,
		"shop %s snoozed until %s: its mail is held meanwhile and "
		"sent as one summary when the snooze ends (the trail, "
		"syslog and the other sinks still get every event)%s%s",
		shop, buf, comment ? ": " : "", comment ? comment : "") == -1)
		return (lifecycle_store_fail(err));
	if (lifecycle_commit(err) == -1)
		return (-1);
	/* A snooze made shorter releases what it holds sooner. */
	event_changed(EVENT_CHANGE_SNOOZE);
	return (0);
}

/*
 * Inside the caller's transaction, when a shop's snooze is over: each of
 * its open conditions falls due now, so that its reminder re-announces it
 * (unless someone acknowledged it: lifecycle_remind decides). Returns how many.
 */
int
lifecycle_reannounce(const char *shop, time_t now)
{
	struct st_condition *cond;
	size_t n, i;
	int k = 0;

	if (store_conditions(lifecycle_store(), 0, 0, 10000, &cond, &n) == -1)
		return (-1);
	for (i = 0; i < n; i++) {
		if (cond[i].shop == NULL || strcmp(cond[i].shop, shop) != 0 ||
		    cond[i].resolved_at != 0 ||
		    strcmp(cond[i].severity, "critical") != 0)
			continue;
		cond[i].next_at = now;
		if (store_condition_update(lifecycle_store(), &cond[i]) == -1) {
			st_conditions_free(cond, n);
			return (-1);
		}
		k++;
	}
	st_conditions_free(cond, n);
	return (k);
}

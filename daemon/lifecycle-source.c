/* SPDX-License-Identifier: ISC */
/*
 * lifecycle-source.c: what the source scheduler observes (sched-source.c):
 * a listing's status as a source saw it, confirmed over N observations
 * before a case opens or a reinstatement is recorded; the healthy answers
 * archived as a case's "before"; sweeps; a source's own alerts.
 *
 * It must not talk to plugins or decide when to look (sched-source.c),
 * nor call anything above it by name (event.c fans out).
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

/* The listings not found that status and a digest name, at most. */
#define LIFECYCLE_WARNINGS_MAX 50

/* Healthy answers replaced: removed after the commit if nothing names them. */
static char **lifecycle_orphans;
static size_t lifecycle_norphans;

static int lifecycle_off_sale(const char *);
static int lifecycle_on_sale_warn(const struct st_case *, int64_t,
    const struct case_refusal *, const char *, time_t);
static void lifecycle_healthy(
    struct st_watch *, const struct lifecycle_observation *, time_t);
static void
lifecycle_not_found_text(const char *, const char *, time_t, char *, size_t);
static int lifecycle_not_found(
    struct st_watch *, const struct lifecycle_observation *, time_t);

/* --- what the source scheduler observes --------------------------------- */

static int
lifecycle_same(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* When a watched listing is looked at next (0: not watched any more). */
static time_t
lifecycle_next_check(
    const struct st_watch *w, const struct lifecycle_intervals *iv, time_t now)
{
	int64_t every;

	if (w->obs_status != NULL)
		return (w->obs_at + iv->confirm_spacing > now
			? w->obs_at + iv->confirm_spacing
			: now + iv->confirm_spacing);
	if (w->open_case != 0) {
		every = iv->recheck;
		if (lifecycle_same(w->case_state, "approved") &&
		    every > LIFECYCLE_APPROVED_RECHECK)
			every = LIFECYCLE_APPROVED_RECHECK;
		return (now + every);
	}
	if (!w->tracked)
		return (0);
	every = w->check_interval ? w->check_interval : iv->healthy;
	return (now + (int64_t)((double)every * iv->stretch));
}

/* Archives the raw answer that confirmed a delisting, in the transaction. */
static int
lifecycle_archive_raw(
    const struct st_case *c, const struct lifecycle_observation *o, time_t now)
{
	struct st_evidence e;
	char sha[65], *cause = NULL;
	json_t *data;
	int rc;

	memset(&e, 0, sizeof e);
	e.case_id = c->id;
	e.kind = (char *)"api_response";
	e.at = now;
	if (evidence_put(o->raw ? o->raw : "", o->raw_len, sha, &cause) == 0) {
		e.sha256 = sha;
		e.size = (int64_t)o->raw_len;
	} else
		e.error = cause;
	data = json_pack("{s:s,s:o,s:I,s:o}", "kind", e.kind, "sha256",
	    e.sha256 ? json_string(e.sha256) : json_null(), "size",
	    (json_int_t)e.size, "error",
	    e.error ? json_string(e.error) : json_null());
	if (store_evidence_add(lifecycle_store(), &e) == -1) {
		json_decref(data);
		free(cause);
		return (-1);
	}
	if (e.sha256 != NULL)
		rc = lifecycle_event(c, now, o->source, CASES_EV_CASE_EVIDENCE,
			 CASES_SEV_INFO, data,
			 "archived the platform's answer (%lld bytes, sha256 "
			 "%.12s...): delistctl case evidence %lld",
			 (long long)e.size, sha, (long long)c->id) == -1
		    ? -1
		    : 0;
	else
		rc = lifecycle_event(c, now, o->source, CASES_EV_CASE_EVIDENCE,
			 CASES_SEV_WARNING, data,
			 "could not archive the platform's answer: %s",
			 cause) == -1
		    ? -1
		    : 0;
	free(cause);
	return (rc);
}

/*
 * Archives the listing's last healthy answer with a new case, as its
 * "before" record (kind "before", with the title it gave), in the
 * transaction; nothing when the source never saw it healthy.
 */
int
lifecycle_archive_before(const struct st_case *c, const struct st_watch *w,
    const char *actor, time_t now)
{
	struct st_evidence e;
	struct stat sb;
	char *path, buf[ISOTIME_LEN];
	json_t *data;
	int rc;

	if (w->healthy_sha256 == NULL)
		return (0);
	memset(&e, 0, sizeof e);
	e.case_id = c->id;
	e.kind = (char *)"before";
	e.at = (time_t)w->healthy_at;
	e.title = w->healthy_title;
	path = evidence_path(w->healthy_sha256);
	if (stat(path, &sb) == 0) {
		e.sha256 = w->healthy_sha256;
		e.size = (int64_t)sb.st_size;
	} else
		xasprintf(&e.error,
		    "the last healthy answer %.12s... is "
		    "missing from %s/evidence",
		    w->healthy_sha256, lifecycle_config()->state_dir);
	free(path);
	isotime_format(e.at, buf, sizeof buf);
	data = json_pack("{s:s,s:o,s:I,s:s,s:o,s:o}", "kind", e.kind, "sha256",
	    e.sha256 ? json_string(e.sha256) : json_null(), "size",
	    (json_int_t)e.size, "seen_at", buf, "title",
	    e.title ? json_string(e.title) : json_null(), "error",
	    e.error ? json_string(e.error) : json_null());
	if (store_evidence_add(lifecycle_store(), &e) == -1) {
		json_decref(data);
		free(e.error);
		return (-1);
	}
	if (e.sha256 != NULL)
		rc = lifecycle_event(c, now, actor, CASES_EV_CASE_EVIDENCE,
		    CASES_SEV_INFO, data,
		    "archived the listing as it was before the takedown: the "
		    "platform's last healthy answer (%s%s%s, %lld bytes, seen "
		    "%s, sha256 %.12s...): delistctl case evidence %lld",
		    e.title ? "\"" : "", e.title ? e.title : "no title",
		    e.title ? "\"" : "", (long long)e.size, buf, e.sha256,
		    (long long)c->id);
	else
		rc = lifecycle_event(c, now, actor, CASES_EV_CASE_EVIDENCE,
		    CASES_SEV_WARNING, data,
		    "could not archive the listing as it was before the "
		    "takedown: %s",
		    e.error);
	free(e.error);
	return (rc == -1 ? -1 : 0);
}

/*
 * A healthy (on sale) answer: the listing's "before" record. Its file is
 * written, and its row changed, only when what lasts in the answer
 * differs from the one kept (the source's volatile members aside); else
 * only when it was last seen moves on, with the row the check updates
 * anyway. A file that cannot be written keeps the older record.
 */
static void
lifecycle_healthy(
    struct st_watch *w, const struct lifecycle_observation *o, time_t now)
{
	char sha[65], *cause = NULL;

	if (lifecycle_same(w->healthy_key, o->healthy_key)) {
		w->healthy_at = now;
		return;
	}
	if (evidence_put(o->raw ? o->raw : "", o->raw_len, sha, &cause) == -1) {
		log_warnx("%s/%s: cannot keep the healthy answer as the "
			  "listing's before record: %s",
		    w->shop, w->product_id, cause);
		free(cause);
		return;
	}
	if (w->healthy_sha256 != NULL) {
		lifecycle_orphans = xreallocarray(lifecycle_orphans,
		    lifecycle_norphans + 1, sizeof *lifecycle_orphans);
		lifecycle_orphans[lifecycle_norphans++] = w->healthy_sha256;
	}
	free(w->healthy_key);
	free(w->healthy_title);
	w->healthy_sha256 = xstrdup(sha);
	w->healthy_key = xstrdup(o->healthy_key);
	w->healthy_title = o->title != NULL ? xstrdup(o->title) : NULL;
	w->healthy_at = now;
}

/*
 * Removes the healthy answers replaced since the last commit that nothing
 * names any more (not archived with a case, not another listing's): the
 * store keeps one answer per listing, not one per change. Checked against
 * what was committed, so an answer a rolled-back change replaced stays.
 */
void
lifecycle_orphans_sweep(void)
{
	char *path;
	size_t i;

	for (i = 0; i < lifecycle_norphans; i++) {
		if (store_evidence_used(
			lifecycle_store(), lifecycle_orphans[i]) == 0) {
			path = evidence_path(lifecycle_orphans[i]);
			if (unlink(path) == -1 && errno != ENOENT)
				log_warn("cannot remove %s", path);
			free(path);
		}
		free(lifecycle_orphans[i]);
	}
	free(lifecycle_orphans);
	lifecycle_orphans = NULL;
	lifecycle_norphans = 0;
}

/* The line a person reads of a listing the source does not find. */
static void
lifecycle_not_found_text(
    const char *shop, const char *pid, time_t since, char *buf, size_t len)
{
	char t[32];
	struct tm tm;

	gmtime_r(&since, &tm);
	strftime(t, sizeof t, "%Y-%m-%d %H:%M UTC", &tm);
	snprintf(buf, len,
	    "%s/%s: not found by the source since %s (deleted or wrong ID?)",
	    shop, pid, t);
}

/*
 * A listing confirmed not found (a change to not_found: once per
 * transition): listing.not_found, and a warning in status and the digest
 * until the source sees it again or it is untracked.
 */
static int
lifecycle_not_found(
    struct st_watch *w, const struct lifecycle_observation *o, time_t now)
{
	struct st_case c;
	char text[256], buf[ISOTIME_LEN];

	w->not_found_at = now;
	memset(&c, 0, sizeof c);
	c.id = w->open_case;
	c.shop = w->shop;
	c.product_id = w->product_id;
	lifecycle_not_found_text(
	    w->shop, w->product_id, now, text, sizeof text);
	return (lifecycle_append(&c, now, o->source, CASES_EV_LISTING_NOT_FOUND,
		    CASES_SEV_WARNING,
		    json_pack("{s:s,s:I}", "since",
			isotime_format(now, buf, sizeof buf), "confirmed_by",
			(json_int_t)w->obs_count),
		    NULL, text) == -1
		? -1
		: 0);
}

/*
 * Appends to *v (*n of them) the warnings of the tracked listings the
 * source does not find (listing.not_found: shop, product_id, since),
 * oldest first, at most LIFECYCLE_WARNINGS_MAX and then one that counts
 * the rest (shop NULL: every shop). -1: the store failed.
 */
int
lifecycle_not_found_warnings(struct warning **v, size_t *nv, const char *shop)
{
	struct st_not_found *f;
	struct warning *w;
	size_t n, i;
	char text[256];

	if (store_not_found(lifecycle_store(), shop, &f, &n) == -1)
		return (-1);
	for (i = 0; i < n && i < LIFECYCLE_WARNINGS_MAX; i++) {
		lifecycle_not_found_text(
		    f[i].shop, f[i].product_id, f[i].since, text, sizeof text);
		w = warning_add(v, nv, "listing.not_found");
		w->has_shop = 1;
		w->shop = xstrdup(f[i].shop);
		w->product_id = xstrdup(f[i].product_id);
		w->since = f[i].since;
		w->text = xstrdup(text);
	}
	if (n > LIFECYCLE_WARNINGS_MAX) {
		w = warning_add(v, nv, "listing.not_found");
		w->has_shop = 1;
		w->shop = shop ? xstrdup(shop) : NULL;
		xasprintf(&w->text,
		    "... and %zu more listings not found by the source",
		    n - LIFECYCLE_WARNINGS_MAX);
	}
	st_not_found_free(f, n);
	return (0);
}

/* A confirmed delisting of a listing without an open case: a new case. */
static int
lifecycle_open_auto(struct st_watch *w, const struct lifecycle_observation *o,
    const char *code, time_t offline_at, time_t now, int64_t *opened)
{
	struct st_case c;
	char buf[ISOTIME_LEN];
	json_t *data;

	memset(&c, 0, sizeof c);
	c.listing_id = w->id;
	c.state = (char *)cases_state_name(CASE_STATE_OPEN);
	c.reason = (char *)cases_reason_name(CASE_REASON_UNCLASSIFIED);
	c.opened_at = now;
	c.updated_at = now;
	c.stall_due_at = now + lifecycle_config()->rules.stall_after;
	if ((c.id = store_case_insert(lifecycle_store(), &c)) == -1 ||
	    store_case_set_platform(
		lifecycle_store(), c.id, code, offline_at) == -1)
		return (-1);
	c.shop = w->shop;
	c.product_id = w->product_id;
	if (offline_at != 0)
		isotime_format(offline_at, buf, sizeof buf);
	data = json_pack("{s:o,s:o}", "platform_code",
	    code ? json_string(code) : json_null(), "offline_at",
	    offline_at ? json_string(buf) : json_null());
	if (lifecycle_event(&c, now, o->source, CASES_EV_LISTING_DELISTED,
		CASES_SEV_WARNING, data,
		/* whole sentences, for the reader's language (EV_) */
		offline_at
		    ? (w->obs_count == 1
			      ? EV_("%s/%s was taken down by the platform (%s, "
				    "offline since %s), confirmed by %lld "
				    "check")
			      : EV_("%s/%s was taken down by the platform (%s, "
				    "offline since %s), confirmed by %lld "
				    "checks"))
		    : (w->obs_count == 1
			      ? EV_("%s/%s was taken down by the platform "
				    "(%s%s), confirmed by %lld check")
			      : EV_("%s/%s was taken down by the platform "
				    "(%s%s), confirmed by %lld checks")),
		w->shop, w->product_id, code ? code : "no code given",
		offline_at ? buf : "", (long long)w->obs_count) == -1)
		return (-1);
	data = json_pack("{s:s,s:n,s:o,s:o,s:b}", "reason", c.reason, "rule",
	    "platform_code", code ? json_string(code) : json_null(),
	    "offline_at", offline_at ? json_string(buf) : json_null(),
	    "needs_classification", 1);
	if (lifecycle_event(&c, now, o->source, CASES_EV_CASE_OPENED,
		CASES_SEV_INFO, data,
		"%s/%s delisted (%s): case %lld opened by %s; save what the "
		"platform cites, then classify it",
		w->shop, w->product_id, code ? code : "unclassified",
		(long long)c.id, o->source) == -1)
		return (-1);
	data = json_pack(
	    "{s:o}", "platform_code", code ? json_string(code) : json_null());
	if (lifecycle_event(&c, now, o->source,
		CASES_EV_CASE_NEEDS_CLASSIFICATION, CASES_SEV_WARNING, data,
		"case %lld was opened from the platform's status, which does "
		"not say why: read the violation record in the seller centre, "
		"then run delistctl case classify %lld REASON [--rule TEXT] "
		"(%s)",
		(long long)c.id, (long long)c.id, cases_reason_list()) == -1)
		return (-1);
	if (lifecycle_archive_before(&c, w, o->source, now) == -1 ||
	    lifecycle_archive_raw(&c, o, now) == -1)
		return (-1);
	w->open_case = c.id;
	free(w->case_state);
	w->case_state = xstrdup(c.state);
	*opened = c.id;
	return (0);
}

/*
 * A listing confirmed delisted again while its case is open: one case per
 * listing, so the case hears of it. A reinstated case (its sync pending)
 * goes back to open: the listing is off sale again, so the pending
 * case.reinstated can no longer make it synced.
 */
static int
lifecycle_delisted_again(struct st_watch *w,
    const struct lifecycle_observation *o, const char *code, time_t now)
{
	struct st_case c;
	int reopen = lifecycle_same(w->case_state, "reinstated");

	if (store_case_get(lifecycle_store(), w->open_case, &c) != 0)
		return (-1);
	if (reopen) {
		free(c.state);
		c.state = xstrdup(cases_state_name(CASE_STATE_OPEN));
		c.updated_at = now;
		c.stall_due_at = now + lifecycle_config()->rules.stall_after;
		if (lifecycle_case_save(&c) == -1) {
			st_case_clear(&c);
			return (-1);
		}
		free(w->case_state);
		w->case_state = xstrdup(c.state);
	}
	if (lifecycle_event(&c, now, o->source, CASES_EV_LISTING_DELISTED,
		CASES_SEV_WARNING,
		json_pack("{s:o,s:n,s:b}", "platform_code",
		    code ? json_string(code) : json_null(), "offline_at",
		    "reopened", reopen),
		"%s/%s was taken down again (%s) while case %lld is %s%s: "
		"the ERP and the ads must hold it again; record what the "
		"platform cites on this case",
		w->shop, w->product_id, code ? code : "no code given",
		(long long)w->open_case, reopen ? "reinstated" : c.state,
		reopen ? "; the case is open again, its pending sync will not "
			 "finish it"
		       : "") == -1) {
		st_case_clear(&c);
		return (-1);
	}
	st_case_clear(&c);
	return (0);
}

/* 1 if a listing in this confirmed status is off sale. */
static int
lifecycle_off_sale(const char *status)
{
	static const char *const off[] = { "delisted", "offline",
		"under_review", "failed_review" };
	size_t i;

	for (i = 0; i < sizeof off / sizeof off[0]; i++) {
		if (lifecycle_same(status, off[i]))
			return (1);
	}
	return (0);
}

/*
 * The listing of case c is on sale, but that does not end the case (ref
 * says why): listing.on_sale_during_case, once per case.
 */
static int
lifecycle_on_sale_warn(const struct st_case *c, int64_t listing_id,
    const struct case_refusal *ref, const char *actor, time_t now)
{
	int fresh;

	if ((fresh = store_risk_once(lifecycle_store(), listing_id, c->id,
		 "on_sale_during_case", now)) != 1)
		return (fresh);
	if (lifecycle_event(c, now, actor, CASES_EV_LISTING_ON_SALE_DURING_CASE,
		CASES_SEV_WARNING,
		json_pack("{s:s,s:s,s:s}", "why", ref->code, "reason",
		    c->reason, "state", c->state),
		"%s/%s is on sale while case %lld is %s (%s), and that changes "
		"nothing: %s",
		c->shop, c->product_id, (long long)c->id, c->state, c->reason,
		ref->why) == -1)
		return (-1);
	return (0);
}

/*
 * A confirmed on-sale listing with an open case: reinstate it if the
 * source saw it off sale during the case and it is not a TRO
 * (cases_seen_on_sale); else warn, once, and change nothing.
 */
static int
lifecycle_reinstate_seen(struct st_watch *w, const char *actor, time_t now)
{
	struct st_case c;
	struct st_appeal *ap;
	struct case_view cv;
	struct case_step step;
	struct case_refusal ref;
	size_t nap;
	struct lifecycle_err err = { 0 };
	int rc = 0, seen;

	if (store_case_get(lifecycle_store(), w->open_case, &c) != 0)
		return (-1);
	if (store_appeals(lifecycle_store(), c.id, &ap, &nap) == -1) {
		st_case_clear(&c);
		return (-1);
	}
	lifecycle_case_view(&c, &cv);
	/* Refused (already reinstated): the case waits for its sync. */
	if (cases_transition(cv.state, CASE_ACT_REINSTATE, NULL, 0, &step) ==
	    -1)
		goto out;
	/*
	 * A listing.delisted in the trail is a sighting too: the source
	 * confirmed a take-down during the case (a case from before the
	 * marks were kept).
	 */
	if ((seen = store_risk_raised(
		 lifecycle_store(), w->id, c.id, "off_sale")) == 0)
		seen = store_case_has_event(lifecycle_store(), c.id,
		    cases_event_name(CASES_EV_LISTING_DELISTED));
	if (seen == -1) {
		rc = -1;
		goto out;
	}
	if (cases_seen_on_sale(&cv, seen, &ref) == -1) {
		rc = lifecycle_on_sale_warn(&c, w->id, &ref, actor, now);
		goto out;
	}
	if (lifecycle_reinstate_in(&c, ap, nap, now, actor, NULL, NULL, &err) ==
	    -1)
		rc = err.error == LIFECYCLE_ERR_REFUSED ? 0 : -1;
	else if (!cases_state_is_open(cases_state_from_name(c.state))) {
		w->open_case = 0;
		free(w->case_state);
		w->case_state = NULL;
	} else {
		free(w->case_state);
		w->case_state = xstrdup(c.state);
	}
out:
	lifecycle_err_clear(&err);
	lifecycle_free(&c, ap, nap);
	return (rc);
}

/*
 * One answer of a source about one listing, in one transaction: the
 * observation counts towards confirming a new status (confirm_checks in a
 * row, confirm_spacing apart); a confirmed change is recorded
 * (listing.status_changed), a confirmed delisting opens a case, a listing
 * confirmed on sale with an open case is reinstated if the source saw it
 * off sale during the case and it is no TRO (else warned about, once);
 * then the next check is planned. *opened is the id of a case this opened (else 0).
 */
int
lifecycle_observe(const struct lifecycle_observation *o,
    const struct lifecycle_intervals *iv, int64_t *opened)
{
	struct st_confirm cf;
	struct st_watch w;
	struct st_case c;
	time_t now = o->at != 0 ? o->at : clock_now(), offline_at;
	int64_t need;
	char *code = NULL, *old = NULL;
	json_t *data;
	int rc;

	*opened = 0;
	/*
	 * Most answers only confirm what is stored (the same status, no
	 * observation being confirmed, the same healthy answer; no open case,
	 * or one whose listing stays off sale): they move the next check (and
	 * mark the case's listing seen off sale), in one guarded UPDATE
	 * instead of reading the listing back with its shop and case, and
	 * without a savepoint of their own (store_watch_confirm).
	 */
	cf.id = o->listing_id;
	cf.status = o->status;
	cf.key = o->healthy_key;
	cf.now = now;
	cf.healthy = iv->healthy;
	cf.stretch = iv->stretch;
	cf.recheck = iv->recheck;
	cf.approved = LIFECYCLE_APPROVED_RECHECK;
	cf.offsale = lifecycle_off_sale(o->status);
	if ((rc = store_watch_confirm(lifecycle_store(), &cf, &need)) == -1)
		return (-1);
	if (rc == 1) {
		lifecycle_published();
		return (0);
	}
	if (store_begin(lifecycle_store()) == -1)
		return (-1);
	if ((rc = store_watch_get(lifecycle_store(), o->listing_id, &w)) != 0) {
		store_rollback(lifecycle_store());
		return (rc == 1 ? 0 : -1);
	}
	w.fails = 0;
	if (o->healthy_key != NULL)
		lifecycle_healthy(&w, o, now);
	if (lifecycle_same(o->status, w.status)) {
		free(w.obs_status);
		w.obs_status = NULL;
		w.obs_count = 0;
	} else if (lifecycle_same(o->status, w.obs_status) && w.obs_at != 0 &&
	    now < w.obs_at + iv->confirm_spacing) {
		/* Too soon after the last counted one: it confirms nothing. */
	} else {
		if (lifecycle_same(o->status, w.obs_status))
			w.obs_count++;
		else {
			free(w.obs_status);
			free(w.obs_code);
			w.obs_status = xstrdup(o->status);
			w.obs_code =
			    o->platform_code ? xstrdup(o->platform_code) : NULL;
			w.obs_offline_at = o->offline_at;
			w.obs_count = 1;
		}
		w.obs_at = now;
		/* A first sighting needs no confirming, unless it opens a case. */
		need = iv->confirm_checks;
		if (lifecycle_same(w.status, "unknown") &&
		    !lifecycle_same(o->status, "delisted") &&
		    !lifecycle_same(o->status, "not_found"))
			need = 1;
		if (w.obs_count >= need) {
			old = w.status;
			w.status = w.obs_status;
			w.obs_status = NULL;
			if (o->platform_code != NULL || w.obs_code != NULL)
				code =
				    xstrdup(o->platform_code ? o->platform_code
							     : w.obs_code);
			free(w.obs_code);
			w.obs_code = NULL;
			offline_at =
			    o->offline_at ? o->offline_at : w.obs_offline_at;
			if (store_listing_set_code(
				lifecycle_store(), w.id, code) == -1)
				goto fail;
			memset(&c, 0, sizeof c);
			c.id = w.open_case;
			c.shop = w.shop;
			c.product_id = w.product_id;
			data = json_pack("{s:s,s:s,s:o}", "from", old, "to",
			    w.status, "platform_code",
			    code ? json_string(code) : json_null());
			if (!lifecycle_same(old, "unknown") &&
			    lifecycle_event(&c, now, o->source,
				CASES_EV_LISTING_STATUS_CHANGED,
				lifecycle_same(w.status, "failed_review")
				    ? CASES_SEV_WARNING
				    : CASES_SEV_INFO,
				data, "%s/%s: %s -> %s%s%s%s%s", w.shop,
				w.product_id, old, w.status, code ? " (" : "",
				code ? code : "", code ? ")" : "",
				lifecycle_same(w.status, "failed_review")
				    ? "; the platform wants the listing "
				      "edited before it can go on sale"
				    : "") == -1)
				goto fail;
			if (lifecycle_same(old, "unknown"))
				json_decref(data);
			if (lifecycle_same(w.status, "delisted") &&
			    w.open_case == 0 &&
			    lifecycle_open_auto(
				&w, o, code, offline_at, now, opened) == -1)
				goto fail;
			if (lifecycle_same(w.status, "delisted") &&
			    w.open_case != 0 && *opened == 0 &&
			    lifecycle_delisted_again(&w, o, code, now) == -1)
				goto fail;
			w.not_found_at = 0;
			if (lifecycle_same(w.status, "not_found") &&
			    lifecycle_not_found(&w, o, now) == -1)
				goto fail;
			w.obs_count = 0;
		}
	}
	/*
	 * The source sees the listing off sale as confirmed (a hand-opened
	 * case's "delisted" is the seller's word until then): from now on,
	 * on sale again is a reinstatement.
	 */
	if (w.open_case != 0 && lifecycle_same(o->status, w.status) &&
	    lifecycle_off_sale(w.status) &&
	    store_risk_once(
		lifecycle_store(), w.id, w.open_case, "off_sale", now) == -1)
		goto fail;
	if (w.open_case != 0 && lifecycle_same(w.status, "on_sale") &&
	    lifecycle_reinstate_seen(&w, o->source, now) == -1)
		goto fail;
	w.next_check_at = lifecycle_next_check(&w, iv, now);
	if (store_watch_observe(lifecycle_store(), &w, now) == -1)
		goto fail;
	free(old);
	free(code);
	st_watch_clear(&w);
	if (store_commit(lifecycle_store()) == -1)
		goto fail2;
	lifecycle_published();
	return (0);
fail:
	free(old);
	free(code);
	st_watch_clear(&w);
fail2:
	store_rollback(lifecycle_store());
	*opened = 0;
	return (-1);
}

/*
 * When a listing is checked next, and nothing else: a check that could not
 * be started or recorded, tried again later, or 0 for a listing nobody
 * watches any more.
 */
int
lifecycle_check_at(int64_t listing_id, time_t retry_at)
{
	return (store_watch_schedule(lifecycle_store(), listing_id, retry_at));
}

/*
 * Many changes in one transaction (one fsync): each change between them
 * is still all or nothing (a savepoint); the commit publishes their
 * events. -1 from the commit: none of them was kept.
 */
int
lifecycle_batch_begin(void)
{
	return (store_batch_begin(lifecycle_store()));
}

int
lifecycle_batch_commit(void)
{
	if (store_batch_commit(lifecycle_store()) == -1)
		return (-1);
	lifecycle_published();
	return (0);
}

/*
 * A listing a sweep found taken down is checked at once, unless a
 * confirming observation is pending: that one keeps confirm_spacing.
 */
static int
lifecycle_sweep_due(int64_t id, time_t now)
{
	struct st_watch w;
	int rc;

	if ((rc = store_watch_get(lifecycle_store(), id, &w)) != 0)
		return (rc == 1 ? 0 : -1);
	rc = w.obs_status != NULL
	    ? 0
	    : store_watch_due_by(lifecycle_store(), id, now);
	st_watch_clear(&w);
	return (rc);
}

/*
 * A page of a sweep: every listing it names that is not yet known becomes
 * watched (one the seller untracked stays untracked). delisted: a
 * page of listings taken down; those without an open case are checked at
 * once (the check confirms, the sweep never opens a case by itself).
 * Otherwise a catalog page: listings on sale, learnt with their titles and
 * checked at the healthy interval (spread over it).
 */
int
lifecycle_sweep_seen(const char *shop, const char *const *ids,
    const char *const *titles, size_t n, const char *actor, int delisted,
    int64_t healthy)
{
	struct st_listing l;
	struct st_case c;
	time_t now = clock_now();
	int64_t shop_id, id;
	size_t i;
	int rc;

	if (store_begin(lifecycle_store()) == -1)
		return (-1);
	if ((shop_id = store_shop_id(lifecycle_store(), shop, now)) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		const char *title = titles ? titles[i] : NULL;

		if ((rc = store_listing_get(
			 lifecycle_store(), shop, ids[i], &l)) == -1)
			goto fail;
		/* The seller untracked it: no sweep tracks it again. */
		if (rc == 0 && !l.tracked) {
			st_listing_clear(&l);
			continue;
		}
		if (rc == 0) {
			id = l.id;
			if (title != NULL &&
			    (store_listing_set_title(
				 lifecycle_store(), id, title) == -1 ||
				((l.title == NULL ||
				     strcmp(l.title, title) != 0) &&
				    lifecycle_scan_seen(id, shop, ids[i], title,
					actor, now) == -1)))
				goto fail_l;
		} else {
			if ((id = store_listing_track(lifecycle_store(),
				 shop_id, ids[i], title, 0, now)) == -1 ||
			    lifecycle_scan_seen(
				id, shop, ids[i], title, actor, now) == -1)
				goto fail_l;
			memset(&c, 0, sizeof c);
			c.shop = (char *)shop;
			c.product_id = (char *)ids[i];
			if (delisted &&
			    lifecycle_event(&c, now, actor,
				CASES_EV_LISTING_TRACKED, CASES_SEV_INFO, NULL,
				"%s/%s is tracked: the sweep of %s found it "
				"taken down",
				shop, ids[i], actor) == -1)
				goto fail_l;
			if (!delisted && rc == 1) {
				unsigned h = 5381;
				const char *p;

				for (p = ids[i]; *p != '\0'; p++)
					h = h * 33 + (unsigned char)*p;
				if (store_listing_set_status(lifecycle_store(),
					id, "on_sale", now) == -1 ||
				    store_watch_schedule(lifecycle_store(), id,
					now + 1 +
					    (time_t)(h % (unsigned)healthy)) ==
					-1)
					goto fail_l;
			}
		}
		/* What the source saw, for the preflight's page_unchanged. */
		if (title != NULL &&
		    store_listing_seen_title(
			lifecycle_store(), shop, ids[i], title, now) == -1)
			goto fail_l;
		if (delisted && l.open_case == 0 &&
		    !lifecycle_same(l.status, "delisted") &&
		    lifecycle_sweep_due(id, now) == -1)
			goto fail_l;
		st_listing_clear(&l);
	}
	if (store_commit(lifecycle_store()) == -1)
		goto fail;
	lifecycle_published();
	return (0);
fail_l:
	st_listing_clear(&l);
fail:
	store_rollback(lifecycle_store());
	return (-1);
}

/*
 * A source's alert (quota used up, credentials refused, recovered) and the
 * budget row that remembers it was raised, in one transaction: a restart
 * neither repeats nor loses it.
 */
int
lifecycle_source_alert(const char *source, const struct st_budget *b,
    enum cases_event_type type, json_t *data, const char *message)
{
	struct st_case c;
	time_t now = clock_now();
	const char *after;

	memset(&c, 0, sizeof c);
	if (data == NULL)
		data = json_object();
	json_object_set_new(data, "source", json_string(source));
	if (store_begin(lifecycle_store()) == -1) {
		json_decref(data);
		return (-1);
	}
	/* Recovered: the outage's condition is over, its reminders stop. */
	after = json_string_value(json_object_get(data, "after"));
	if (type == CASES_EV_SOURCE_RECOVERED && after != NULL &&
	    lifecycle_resolve(strcmp(after, "auth") == 0
		    ? "source.auth_failed"
		    : "source.quota_exhausted",
		source) == -1) {
		store_rollback(lifecycle_store());
		json_decref(data);
		return (-1);
	}
	if (store_budget_set(lifecycle_store(), source, b) == -1 ||
	    lifecycle_append(&c, now, source, type, cases_event_severity(type),
		data, NULL, message) == -1 ||
	    store_commit(lifecycle_store()) == -1) {
		store_rollback(lifecycle_store());
		return (-1);
	}
	lifecycle_published();
	return (0);
}

/* Evidence archived (or not) for a case after it was opened. */
int
lifecycle_evidence(
    int64_t case_id, const struct st_evidence *e, const char *actor)
{
	struct st_case c;
	json_t *data;
	int rc;

	if (store_begin(lifecycle_store()) == -1)
		return (-1);
	if (store_case_get(lifecycle_store(), case_id, &c) != 0) {
		store_rollback(lifecycle_store());
		return (-1);
	}
	data = json_pack("{s:s,s:o,s:I,s:o,s:o}", "kind", e->kind, "sha256",
	    e->sha256 ? json_string(e->sha256) : json_null(), "size",
	    (json_int_t)e->size, "url",
	    e->url ? json_string(e->url) : json_null(), "error",
	    e->error ? json_string(e->error) : json_null());
	if (e->sha256 != NULL)
		rc = lifecycle_event(&c, e->at, actor, CASES_EV_CASE_EVIDENCE,
			 CASES_SEV_INFO, data,
			 "archived the listing page %s (%lld bytes, sha256 "
			 "%.12s...)",
			 e->url, (long long)e->size, e->sha256) == -1;
	else
		rc = lifecycle_event(&c, e->at, actor, CASES_EV_CASE_EVIDENCE,
			 CASES_SEV_WARNING, data,
			 "could not fetch the listing page %s: %s; save it "
			 "by hand (a screenshot with the address bar) while "
			 "it still shows the delisted state",
			 e->url, e->error ? e->error : "unknown error") == -1;
	st_case_clear(&c);
	if (rc || store_evidence_add(lifecycle_store(), e) == -1 ||
	    store_commit(lifecycle_store()) == -1) {
		store_rollback(lifecycle_store());
		return (-1);
	}
	lifecycle_published();
	return (0);
}

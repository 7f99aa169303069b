/*
 * lifecycle.c: what happens to listings and cases, and the trail it leaves.
 *
 * Each function is one thing a seller (or, later, a source plugin) does:
 * track a listing, open a case, note a rectification, record an appeal or a
 * decision, a reinstatement, an abandonment; and the alerts the timers raise:
 * the escalation tiers, the reminders of critical conditions until someone
 * takes them on (lifecycle_ack) or they are resolved, the shops' daily
 * digests, and the snoozes that hold a shop's mail.
 * The rules come from the pure cases module; this file loads what they need
 * from the store, applies the answer and appends the event, all in one
 * transaction, then publishes the new events (syslog for warning and
 * critical, the API's followers) once they are committed.
 *
 * It must not parse requests or render answers: that is api-cases.c.
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
#include "preflight-run.h"
#include "fingerprint.h"

/* The listings not found that status and a digest name, at most. */
#define LIFECYCLE_WARNINGS_MAX 50

/* Healthy answers replaced: removed after the commit if nothing names them. */
static char **lifecycle_orphans;
static size_t lifecycle_norphans;

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
};

static int lifecycle_store_fail(struct lc_err *);
static void
lifecycle_preflight_forced(const struct preflight_findings *, char **);
static int lifecycle_list_has(const char *, const char *);
static int lifecycle_seen(const char *, const char *, const char *,
    const char *const *, size_t, int64_t, const char *, int *, char **);
struct lifecycle_evasion;
static char *lifecycle_title_fp(const char *);
static struct lifecycle_evasion *lifecycle_evasion_add(
    struct lifecycle_evasion **, size_t *, int64_t, const char *, const char *);
static int lifecycle_evasion_check(const struct st_case *, int64_t, time_t,
    const char *, const struct st_image_match *, size_t, time_t);
static int lifecycle_linked_reason(const char *);
static int lifecycle_linked_event(const struct st_case *, int64_t, int64_t,
    const char *, const char *, const char *, json_t *, time_t);
static int lifecycle_linked_risk(const struct st_case *, time_t);
static int lifecycle_fingerprints(
    const char *const *, size_t, char ***, const char ***, size_t *, char **);
static void lifecycle_fingerprints_free(char **, const char **, size_t);
static int lifecycle_seen_with(const struct st_case *, int64_t, time_t,
    const char *, const char *const *, size_t, int, time_t, char **);
static int64_t lifecycle_eventv(const struct st_case *, time_t, const char *,
    enum cases_event_type, enum cases_severity, json_t *,
    const struct event_opts *, const char *, va_list) printflike(8, 0);
static int64_t lifecycle_event_with(const struct event_opts *,
    const struct st_case *, time_t, const char *, enum cases_event_type,
    enum cases_severity, json_t *, const char *, ...) printflike(8, 9);
static int64_t lifecycle_event(const struct st_case *, time_t, const char *,
    enum cases_event_type, enum cases_severity, json_t *, const char *, ...)
    printflike(7, 8);
static int lifecycle_condition_raise(const struct event_opts *,
    const struct st_case *, int64_t, time_t, enum cases_event_type,
    enum cases_severity, const json_t *);
static int lifecycle_case_save(struct st_case *);
static int lifecycle_off_sale(const char *);
static void lifecycle_case_view(const struct st_case *, struct case_view *);
static void lifecycle_finish(struct st_case *, enum case_state, time_t);
static int lifecycle_on_sale_warn(const struct st_case *, int64_t,
    const struct case_refusal *, const char *, time_t);
static int lifecycle_archive_before(
    const struct st_case *, const struct st_watch *, const char *, time_t);
static void
lifecycle_healthy(struct st_watch *, const struct lc_observation *, time_t);
static void
lifecycle_not_found_text(const char *, const char *, time_t, char *, size_t);
static int
lifecycle_not_found(struct st_watch *, const struct lc_observation *, time_t);
static void lifecycle_orphans_sweep(void);

void
lifecycle_err_clear(struct lc_err *err)
{
	free(err->message);
	json_decref(err->findings);
	memset(err, 0, sizeof *err);
}

void
lifecycle_err_set(
    struct lc_err *err, enum lifecycle_error error, const char *fmt, ...)
{
	va_list ap;

	err->error = error;
	err->refusal = NULL;
	free(err->message);
	va_start(ap, fmt);
	xvasprintf(&err->message, fmt, ap);
	va_end(ap);
}

/* The state machine's refusal (cases.c), its code taken as it is. */
void
lifecycle_err_refused(
    struct lc_err *err, const char *code, const char *fmt, ...)
{
	va_list ap;

	err->error = LIFECYCLE_ERR_REFUSED;
	err->refusal = code;
	free(err->message);
	va_start(ap, fmt);
	xvasprintf(&err->message, fmt, ap);
	va_end(ap);
}

static int
lifecycle_store_fail(struct lc_err *err)
{
	store_rollback(daemon_state->store);
	lifecycle_err_set(
	    err, LIFECYCLE_ERR_STORE, "the state database failed; see the log");
	return (-1);
}

static struct store *
lifecycle_store(void)
{
	return (daemon_state->store);
}

static const struct config *
lifecycle_config(void)
{
	return (daemon_state->config);
}

/* "72 hours": how the domain speaks of the feedback window. */
static const char *
lifecycle_hours(int64_t secs, char *buf, size_t len)
{
	if (secs % 3600 == 0)
		snprintf(buf, len, "%lld hours", (long long)(secs / 3600));
	else
		duration_format(secs, buf, len);
	return (buf);
}

/* Lower-case hex SHA-256 of a string. */
static void
lifecycle_sha256(const char *text, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	if (EVP_Digest(text, strlen(text), md, &len, EVP_sha256(), NULL) != 1)
		fatalx("lifecycle: SHA-256 failed");
	for (i = 0; i < len && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
}

/*
 * Appends an event about a case (or a listing when c->id is 0), routed
 * with opts (NULL: to its subscribers). data (taken over, may be NULL)
 * gets the human sentence as "message".
 */
static int64_t
lifecycle_eventv(const struct st_case *c, time_t at, const char *actor,
    enum cases_event_type type, enum cases_severity sev, json_t *data,
    const struct event_opts *opts, const char *fmt, va_list ap)
{
	struct st_event e;
	char *msg;
	int64_t id;

	if (data == NULL)
		data = json_object();
	xvasprintf(&msg, fmt, ap);
	json_object_set_new(data, "message", json_string(msg));
	free(msg);
	memset(&e, 0, sizeof e);
	e.case_id = c->id;
	e.shop = c->shop;
	e.product_id = c->product_id;
	e.at = at;
	e.recorded_at = clock_now();
	e.actor = (char *)actor;
	e.type = (char *)cases_event_name(type);
	e.severity = (char *)cases_severity_name(sev);
	e.payload = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER);
	/* Its deliveries are written in the same transaction as the event. */
	id = event_append(&e, opts);
	free(e.payload);
	if (id != -1 &&
	    lifecycle_condition_raise(opts, c, id, at, type, sev, data) == -1)
		id = -1;
	json_decref(data);
	return (id);
}

static int64_t
lifecycle_event(const struct st_case *c, time_t at, const char *actor,
    enum cases_event_type type, enum cases_severity sev, json_t *data,
    const char *fmt, ...)
{
	va_list ap;
	int64_t id;

	va_start(ap, fmt);
	id = lifecycle_eventv(c, at, actor, type, sev, data, NULL, fmt, ap);
	va_end(ap);
	return (id);
}

static int64_t
lifecycle_event_with(const struct event_opts *opts, const struct st_case *c,
    time_t at, const char *actor, enum cases_event_type type,
    enum cases_severity sev, json_t *data, const char *fmt, ...)
{
	va_list ap;
	int64_t id;

	va_start(ap, fmt);
	id = lifecycle_eventv(c, at, actor, type, sev, data, opts, fmt, ap);
	va_end(ap);
	return (id);
}

static const struct calendar *
lifecycle_calendar(const char *shop)
{
	if (shop == NULL)
		return (lifecycle_config()->calendar);
	return (config_shop_calendar(lifecycle_config(), shop));
}

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
static int
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
 * Saves a case; when its state changed, its acknowledgement is cleared and
 * its conditions are over (the appeal was decided, the review ended).
 */
static int
lifecycle_case_save(struct st_case *c)
{
	struct st_case old;
	int changed;

	if (store_case_get(lifecycle_store(), c->id, &old) != 0)
		return (-1);
	changed = strcmp(old.state, c->state) != 0;
	st_case_clear(&old);
	if (store_case_update(lifecycle_store(), c) == -1)
		return (-1);
	if (!changed)
		return (0);
	free(c->ack_by);
	free(c->ack_comment);
	c->ack_by = c->ack_comment = NULL;
	c->ack_at = c->ack_until = 0;
	if (store_case_ack(lifecycle_store(), c->id, NULL, 0, 0, NULL) == -1 ||
	    store_conditions_resolve(
		lifecycle_store(), c->id, NULL, NULL, clock_now()) == -1)
		return (-1);
	return (0);
}

/*
 * Appends an event from outside this file (the outbox's delivery.dead and
 * summary of what a snooze held, the vault's doc.*), inside the caller's
 * transaction, with its deliveries routed by opts (NULL: to its
 * subscribers; see event.h).
 */
int64_t
lifecycle_append(const struct st_case *c, time_t at, const char *actor,
    enum cases_event_type type, enum cases_severity sev, json_t *data,
    const struct event_opts *opts, const char *message)
{
	return (lifecycle_event_with(
	    opts, c, at, actor, type, sev, data, "%s", message));
}

/*
 * After a commit: the healthy answers nothing names any more go, and the
 * events recorded since the last call are published (event.c).
 */
void
lifecycle_published(void)
{
	/* Inside a batch nothing is committed yet: its commit publishes. */
	if (store_in_batch(lifecycle_store()))
		return;
	lifecycle_orphans_sweep();
	event_published();
}

static int
lifecycle_shop_known(const char *shop, struct lc_err *err)
{
	char *list;

	if (config_shop(lifecycle_config(), shop) != NULL)
		return (0);
	list = config_shop_list(lifecycle_config());
	if (*list == '\0')
		lifecycle_err_set(err, LIFECYCLE_ERR_UNKNOWN_SHOP,
		    "unknown shop \"%s\": no shop "
		    "is configured (add one to shops in %s)",
		    shop, lifecycle_config()->path);
	else
		lifecycle_err_set(err, LIFECYCLE_ERR_UNKNOWN_SHOP,
		    "unknown shop \"%s\" "
		    "(configured: %s)",
		    shop, list);
	free(list);
	return (-1);
}

/* A title's fingerprint; fatal if memory ran out, like xmalloc. */
static char *
lifecycle_title_fp(const char *title)
{
	char *fp;

	if ((fp = fingerprint_title(title)) == NULL)
		fatalx("lifecycle: out of memory");
	return (fp);
}

/* An open case a new listing looks like the relisting of. */
struct lifecycle_evasion {
	int64_t case_id;
	char *shop;
	char *product_id;
	int by_title;
	json_t *images; /* shared fingerprints */
};

static struct lifecycle_evasion *
lifecycle_evasion_add(struct lifecycle_evasion **v, size_t *n, int64_t case_id,
    const char *shop, const char *pid)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if ((*v)[i].case_id == case_id)
			return (&(*v)[i]);
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	(*v)[*n].case_id = case_id;
	(*v)[*n].shop = xstrdup(shop);
	(*v)[*n].product_id = xstrdup(pid);
	(*v)[*n].images = json_array();
	return (&(*v)[(*n)++]);
}

/*
 * A listing created after a case was opened (the case opened before born)
 * that shows the title of that case's listing (same shop) or one of its
 * images (any shop), whether it was first seen so or its title or images
 * came later: listing the product again while its appeal runs counts as
 * evading the penalty. One warning per (listing, open case), naming what
 * matched. title is NULL when it is not to be compared (unchanged).
 */
static int
lifecycle_evasion_check(const struct st_case *c, int64_t listing_id,
    time_t born, const char *title, const struct st_image_match *m, size_t nm,
    time_t now)
{
	struct st_case oc;
	struct st_listing *open = NULL;
	struct lifecycle_evasion *ev = NULL, *e;
	size_t n = 0, nev = 0, i;
	char *mine = NULL, *theirs;
	json_t *matched;
	int rc = 0, fresh;

	if (title != NULL) {
		if (store_open_case_titles(
			lifecycle_store(), c->shop, &open, &n) == -1)
			return (-1);
		mine = lifecycle_title_fp(title);
	}
	for (i = 0; i < n && *mine != '\0'; i++) {
		if (strcmp(open[i].product_id, c->product_id) == 0)
			continue;
		theirs = lifecycle_title_fp(open[i].title);
		if (strcmp(mine, theirs) == 0)
			lifecycle_evasion_add(&ev, &nev, open[i].open_case,
			    open[i].shop, open[i].product_id)
			    ->by_title = 1;
		free(theirs);
	}
	for (i = 0; i < nm; i++) {
		if (m[i].open_case == 0 || m[i].opened_at >= born)
			continue;
		e = lifecycle_evasion_add(
		    &ev, &nev, m[i].open_case, m[i].shop, m[i].product_id);
		json_array_append_new(e->images, json_string(m[i].fingerprint));
	}
	for (i = 0; i < nev && rc == 0; i++) {
		e = &ev[i];
		/* A listing older than the case is not its relisting. */
		if ((fresh = store_case_get(
			 lifecycle_store(), e->case_id, &oc)) != 0) {
			rc = fresh == 1 ? 0 : -1;
			continue;
		}
		fresh = oc.opened_at >= born;
		st_case_clear(&oc);
		if (fresh)
			continue;
		if ((fresh = store_risk_once(lifecycle_store(), listing_id,
			 e->case_id, "evasion", now)) != 1) {
			rc = fresh;
			continue;
		}
		matched = json_array();
		if (e->by_title)
			json_array_append_new(matched, json_string("title"));
		if (json_array_size(e->images) > 0)
			json_array_append_new(matched, json_string("image"));
		if (lifecycle_event(c, now, "daemon",
			CASES_EV_LISTING_EVASION_RISK, CASES_SEV_WARNING,
			json_pack("{s:s,s:s,s:I,s:o,s:O}", "same_as",
			    e->product_id, "same_as_shop", e->shop, "open_case",
			    (json_int_t)e->case_id, "matched", matched,
			    "images", e->images),
			"%s/%s has the %s of %s/%s, whose case %lld is "
			"open: listing the product again while its appeal "
			"runs counts as evading the penalty (extra points, a "
			"longer freeze); if it is a relisting, say so with "
			"delistctl case abandon %lld --relisted-as %s",
			c->shop, c->product_id,
			e->by_title && json_array_size(e->images) > 0
			    ? "title and an image"
			    : e->by_title ? "title"
					  : "image",
			e->shop, e->product_id, (long long)e->case_id,
			(long long)e->case_id, c->product_id) == -1)
			rc = -1;
	}
	for (i = 0; i < nev; i++) {
		free(ev[i].shop);
		free(ev[i].product_id);
		json_decref(ev[i].images);
	}
	free(ev);
	free(mine);
	for (i = 0; i < n; i++)
		st_listing_clear(&open[i]);
	free(open);
	return (rc);
}

/* Reasons whose case puts the listings sharing its images at risk. */
static int
lifecycle_linked_reason(const char *reason)
{
	return (reason != NULL &&
	    (strcmp(reason, "ip_infringement") == 0 ||
		strcmp(reason, "unauthorized_media") == 0));
}

/*
 * Raises listing.linked_risk on the listing of view (lv) about the open
 * case cid of listing (shop, pid) opened for reason, sharing images
 * (fingerprints), once per (listing, case).
 */
static int
lifecycle_linked_event(const struct st_case *lv, int64_t listing_id,
    int64_t cid, const char *shop, const char *pid, const char *reason,
    json_t *images, time_t now)
{
	int fresh;

	if ((fresh = store_risk_once(
		 lifecycle_store(), listing_id, cid, "linked", now)) != 1) {
		json_decref(images);
		return (fresh);
	}
	if (lifecycle_event(lv, now, "daemon", CASES_EV_LISTING_LINKED_RISK,
		CASES_SEV_WARNING,
		json_pack("{s:I,s:s,s:s,s:s,s:o}", "case", (json_int_t)cid,
		    "case_shop", shop, "case_product_id", pid, "reason", reason,
		    "images", images),
		"%s/%s shares %s with %s/%s, whose case %lld is open for "
		"%s: the platform may delist it too; replace the shared "
		"images or attach your rights to them before it does",
		lv->shop, lv->product_id,
		json_array_size(images) == 1 ? "an image" : "images", shop, pid,
		(long long)cid, reason) == -1)
		return (-1);
	return (0);
}

/*
 * A case opened (or classified) for ip_infringement or unauthorized_media:
 * every other tracked listing sharing an image fingerprint with its
 * listing gets listing.linked_risk naming the case.
 */
static int
lifecycle_linked_risk(const struct st_case *c, time_t now)
{
	struct st_image_match *m;
	struct st_case lv;
	size_t n, i, j;
	json_t *images;
	int rc = 0;

	if (!lifecycle_linked_reason(c->reason))
		return (0);
	if (store_image_matches(lifecycle_store(), c->listing_id, &m, &n) == -1)
		return (-1);
	for (i = 0; i < n && rc == 0; i = j) {
		images = json_array();
		for (j = i; j < n && m[j].listing_id == m[i].listing_id; j++)
			json_array_append_new(
			    images, json_string(m[j].fingerprint));
		if (!m[i].tracked) {
			json_decref(images);
			continue;
		}
		memset(&lv, 0, sizeof lv);
		lv.shop = m[i].shop;
		lv.product_id = m[i].product_id;
		rc = lifecycle_linked_event(&lv, m[i].listing_id, c->id,
		    c->shop, c->product_id, c->reason, images, now);
	}
	st_image_matches_free(m, n);
	return (rc);
}

/*
 * Image URLs to fingerprints, each once: fps[i] seen at urls[i]. Returns
 * the count, or -1 with *cause set.
 */
static int
lifecycle_fingerprints(const char *const *images, size_t n, char ***fps,
    const char ***urls, size_t *nfp, char **cause)
{
	char *fp, *why = NULL;
	size_t i, j;

	*fps = xcalloc(n + 1, sizeof **fps);
	*urls = xcalloc(n + 1, sizeof **urls);
	*nfp = 0;
	for (i = 0; i < n; i++) {
		if (fingerprint_image_url(images[i], &fp, &why) == -1) {
			if (why == NULL)
				fatalx("lifecycle: out of memory");
			xasprintf(cause, "images[%zu]: %s", i, why);
			free(why);
			return (-1);
		}
		for (j = 0; j < *nfp && strcmp((*fps)[j], fp) != 0; j++)
			;
		if (j < *nfp) {
			free(fp);
			continue;
		}
		(*fps)[*nfp] = fp;
		(*urls)[(*nfp)++] = images[i];
	}
	return (0);
}

static void
lifecycle_fingerprints_free(char **fps, const char **urls, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(fps[i]);
	free(fps);
	free(urls);
}

/*
 * What a listing was seen with, inside the caller's transaction: its image
 * fingerprints replace the stored ones (images NULL: not reported, keep
 * them). A listing seen with images, or with a title it did not have
 * (title_new), may be an evasion of a case opened before born (when it
 * was created; a listing seen for the first time now comes after every
 * case there is); a listing older than an open ip_infringement or
 * unauthorized_media case that shares an image with it gets
 * listing.linked_risk.
 */
static int
lifecycle_seen_with(const struct st_case *lv, int64_t listing_id, time_t born,
    const char *title, const char *const *images, size_t nimages, int title_new,
    time_t now, char **cause)
{
	struct st_image_match *m = NULL;
	char **fps = NULL;
	const char **urls = NULL;
	size_t nfp = 0, nm = 0, i, j;
	json_t *shared;
	int rc = -1;

	if (images != NULL) {
		if (lifecycle_fingerprints(
			images, nimages, &fps, &urls, &nfp, cause) == -1) {
			lifecycle_fingerprints_free(fps, urls, nfp);
			return (-2);
		}
		if (store_listing_images_set(lifecycle_store(), listing_id,
			(const char *const *)fps, urls, nfp, now) == -1)
			goto out;
	}
	if (store_image_matches(lifecycle_store(), listing_id, &m, &nm) == -1)
		goto out;
	if ((images != NULL || title_new) &&
	    lifecycle_evasion_check(lv, listing_id, born,
		title_new ? title : NULL, m, nm, now) == -1)
		goto out;
	/* A listing newer than the case: the evasion warning names it. */
	for (i = 0; i < nm; i = j) {
		shared = json_array();
		for (j = i; j < nm && m[j].listing_id == m[i].listing_id; j++)
			json_array_append_new(
			    shared, json_string(m[j].fingerprint));
		if (m[i].open_case == 0 ||
		    !lifecycle_linked_reason(m[i].reason) ||
		    m[i].opened_at < born) {
			json_decref(shared);
			continue;
		}
		if (lifecycle_linked_event(lv, listing_id, m[i].open_case,
			m[i].shop, m[i].product_id, m[i].reason, shared,
			now) == -1)
			goto out;
	}
	rc = 0;
out:
	st_image_matches_free(m, nm);
	lifecycle_fingerprints_free(fps, urls, nfp);
	return (rc);
}

int
lifecycle_track(const char *shop, const char *pid, const char *title,
    const char *const *images, size_t nimages, int64_t interval,
    const char *actor, int *created, struct lc_err *err)
{
	char *cause = NULL;
	int rc;

	if (lifecycle_shop_known(shop, err) == -1)
		return (-1);
	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	rc = lifecycle_seen(shop, pid, title, images, nimages, interval, actor,
	    created, &cause);
	if (rc == -2) {
		store_rollback(lifecycle_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD, "%s", cause);
		free(cause);
		return (-1);
	}
	if (rc == -1)
		return (lifecycle_store_fail(err));
	if (store_commit(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	lifecycle_published();
	if (*created)
		event_changed(
		    EVENT_CHANGE_LISTINGS); /* due at once, and one more to plan */
	return (0);
}

/*
 * Inside a transaction: tracks (shop, pid), sets its title and interval,
 * records listing.tracked if it was not tracked, and what it was seen
 * with (lifecycle_seen_with). -2 with *cause set for a bad image URL, -1 on a
 * store error.
 */
static int
lifecycle_seen(const char *shop, const char *pid, const char *title,
    const char *const *images, size_t nimages, int64_t interval,
    const char *actor, int *created, char **cause)
{
	struct st_listing l;
	struct st_case c, open;
	time_t now = clock_now(), born;
	int64_t shop_id, listing_id, open_case;
	int rc, title_new;

	if ((rc = store_listing_get(lifecycle_store(), shop, pid, &l)) == -1)
		return (-1);
	*created = rc == 1 || !l.tracked;
	born = rc == 1 ? now + 1 : l.created_at;
	/* A title first seen, or changed, is compared for evasion. */
	title_new = title != NULL &&
	    (rc == 1 || l.title == NULL || strcmp(l.title, title) != 0);
	open_case = rc == 0 ? l.open_case : 0;
	st_listing_clear(&l);
	if ((shop_id = store_shop_id(lifecycle_store(), shop, now)) == -1 ||
	    (listing_id = store_listing_track(
		 lifecycle_store(), shop_id, pid, title, interval, now)) == -1)
		return (-1);
	memset(&c, 0, sizeof c);
	c.shop = (char *)shop;
	c.product_id = (char *)pid;
	if (*created &&
	    lifecycle_event(&c, now, actor, CASES_EV_LISTING_TRACKED,
		CASES_SEV_INFO, NULL, "%s/%s is tracked", shop, pid) == -1)
		return (-1);
	if ((rc = lifecycle_seen_with(&c, listing_id, born, title, images,
		 nimages, title_new, now, cause)) != 0)
		return (rc);
	/* Its own open case now reaches the listings of its new pictures. */
	if (open_case == 0 || images == NULL)
		return (0);
	if (store_case_get(lifecycle_store(), open_case, &open) != 0)
		return (-1);
	rc = lifecycle_linked_risk(&open, now);
	st_case_clear(&open);
	return (rc);
}

int
lifecycle_listing_observed(const char *shop, const char *pid, const char *title,
    const char *const *images, size_t nimages, char **cause)
{
	int created, rc;

	if (config_shop(lifecycle_config(), shop) == NULL) {
		xasprintf(cause, "unknown shop \"%s\"", shop);
		return (-1);
	}
	if (store_begin(lifecycle_store()) == -1) {
		*cause = xstrdup("the state database failed; see the log");
		return (-1);
	}
	rc = lifecycle_seen(
	    shop, pid, title, images, nimages, 0, "daemon", &created, cause);
	/* What the source saw, for the preflight's page_unchanged. */
	if (rc == 0 && title != NULL &&
	    store_listing_seen_title(
		lifecycle_store(), shop, pid, title, clock_now()) == -1)
		rc = -1;
	if (rc == -1)
		*cause = xstrdup("the state database failed; see the log");
	if (rc != 0 || store_commit(lifecycle_store()) == -1) {
		store_rollback(lifecycle_store());
		if (*cause == NULL)
			*cause =
			    xstrdup("the state database failed; see the log");
		return (-1);
	}
	lifecycle_published();
	return (0);
}

int
lifecycle_untrack(
    const char *shop, const char *pid, const char *actor, struct lc_err *err)
{
	struct st_listing l;
	struct st_case c;
	time_t now = clock_now();
	int rc;

	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	if ((rc = store_listing_get(lifecycle_store(), shop, pid, &l)) == -1)
		return (lifecycle_store_fail(err));
	if (rc == 1 || !l.tracked) {
		st_listing_clear(&l);
		store_rollback(lifecycle_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_NOT_FOUND,
		    "%s/%s is not tracked", shop, pid);
		return (-1);
	}
	memset(&c, 0, sizeof c);
	c.shop = (char *)shop;
	c.product_id = (char *)pid;
	if (store_listing_untrack(lifecycle_store(), l.id, now) == -1 ||
	    lifecycle_event(&c, now, actor, CASES_EV_LISTING_UNTRACKED,
		CASES_SEV_INFO, NULL, "%s/%s is no longer tracked%s", shop, pid,
		l.open_case ? " (its open case stays open)" : "") == -1) {
		st_listing_clear(&l);
		return (lifecycle_store_fail(err));
	}
	st_listing_clear(&l);
	if (store_commit(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	lifecycle_published();
	return (0);
}

int
lifecycle_open(const char *shop, const char *pid, const char *reason,
    const char *rule, time_t at, const char *actor, int64_t *id,
    struct lc_err *err)
{
	struct st_listing l;
	struct st_watch w;
	struct st_case c;
	time_t now = clock_now();
	int64_t shop_id, listing_id;
	json_t *data;
	int rc;

	if (lifecycle_shop_known(shop, err) == -1)
		return (-1);
	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	if ((rc = store_listing_get(lifecycle_store(), shop, pid, &l)) == -1)
		return (lifecycle_store_fail(err));
	if (rc == 0 && l.open_case != 0) {
		lifecycle_err_set(err, LIFECYCLE_ERR_CASE_OPEN,
		    "%s/%s already has open case "
		    "%lld; see delistctl case show %lld",
		    shop, pid, (long long)l.open_case, (long long)l.open_case);
		err->case_ref = l.open_case;
		st_listing_clear(&l);
		store_rollback(lifecycle_store());
		return (-1);
	}
	/* A listing with a case is watched, whether tracked before or not. */
	if (rc == 1 || !l.tracked) {
		st_listing_clear(&l);
		if ((shop_id = store_shop_id(lifecycle_store(), shop, now)) ==
			-1 ||
		    (listing_id = store_listing_track(
			 lifecycle_store(), shop_id, pid, NULL, 0, now)) == -1)
			return (lifecycle_store_fail(err));
	} else {
		listing_id = l.id;
		st_listing_clear(&l);
	}
	memset(&c, 0, sizeof c);
	c.listing_id = listing_id;
	c.state = (char *)cases_state_name(CASE_STATE_OPEN);
	c.reason = (char *)reason;
	c.rule = (char *)rule;
	c.opened_at = at;
	c.updated_at = now;
	c.stall_due_at = at + lifecycle_config()->rules.stall_after;
	if ((c.id = store_case_insert(lifecycle_store(), &c)) == -1 ||
	    store_listing_set_status(
		lifecycle_store(), listing_id, "delisted", now) == -1 ||
	    store_watch_due_by(lifecycle_store(), listing_id, now) == -1)
		return (lifecycle_store_fail(err));
	c.shop = (char *)shop;
	c.product_id = (char *)pid;
	data = json_pack("{s:s,s:o}", "reason", reason, "rule",
	    rule ? json_string(rule) : json_null());
	if (lifecycle_event(&c, at, actor, CASES_EV_CASE_OPENED, CASES_SEV_INFO,
		data,
		"%s/%s delisted (%s): case %lld opened; rectify every cited "
		"point and record each with delistctl case note",
		shop, pid, reason, (long long)c.id) == -1 ||
	    lifecycle_linked_risk(&c, now) == -1)
		return (lifecycle_store_fail(err));
	/* What the source last saw on sale, if it ever did: the "before". */
	rc = store_watch_get(lifecycle_store(), listing_id, &w);
	if (rc == -1 ||
	    (rc == 0 && lifecycle_archive_before(&c, &w, actor, now) == -1)) {
		st_watch_clear(&w);
		return (lifecycle_store_fail(err));
	}
	st_watch_clear(&w);
	if (store_commit(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	*id = c.id;
	lifecycle_published();
	event_changed(EVENT_CHANGE_DUE);
	return (0);
}

/*
 * Loads a case and its appeals for a change, inside a transaction that the
 * caller commits. On failure the transaction is rolled back.
 */
static int
lifecycle_load(int64_t id, time_t at, struct st_case *c, struct st_appeal **ap,
    size_t *nap, struct lc_err *err)
{
	int rc;

	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	if ((rc = store_case_get(lifecycle_store(), id, c)) == -1)
		return (lifecycle_store_fail(err));
	if (rc == 1) {
		store_rollback(lifecycle_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_NOT_FOUND,
		    "case %lld not found", (long long)id);
		return (-1);
	}
	if (at < c->opened_at) {
		char buf[ISOTIME_LEN];
		store_rollback(lifecycle_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_TIME,
		    "that time is before case %lld "
		    "was opened (%s)",
		    (long long)id,
		    isotime_format(c->opened_at, buf, sizeof buf));
		st_case_clear(c);
		return (-1);
	}
	if (store_appeals(lifecycle_store(), id, ap, nap) == -1) {
		st_case_clear(c);
		return (lifecycle_store_fail(err));
	}
	return (0);
}

/* The rules' views of a case and its appeals (pointing into them). */
static void
lifecycle_views(const struct st_case *c, const struct st_appeal *ap, size_t nap,
    struct case_view *cv, struct appeal_view **avp, struct appeal_doc **docsp)
{
	struct appeal_view *av;
	struct appeal_doc *docs;
	size_t i, j, ndocs = 0, k = 0;

	for (i = 0; i < nap; i++)
		ndocs += ap[i].nmaterials;
	av = xcalloc(nap + 1, sizeof *av);
	docs = xcalloc(ndocs + 1, sizeof *docs);
	for (i = 0; i < nap; i++) {
		av[i].n = ap[i].n;
		av[i].platform_case_id = ap[i].platform_case_id;
		av[i].decision = ap[i].decision == NULL	      ? APPEAL_UNDECIDED
		    : strcmp(ap[i].decision, "approved") == 0 ? APPEAL_APPROVED
							      : APPEAL_REJECTED;
		av[i].rejection_reason = ap[i].reject_reason;
		av[i].statement_sha256 = ap[i].statement_sha256;
		av[i].submitted = ap[i].submitted_at;
		av[i].docs = &docs[k];
		av[i].ndocs = ap[i].nmaterials;
		for (j = 0; j < ap[i].nmaterials; j++, k++) {
			docs[k].type = ap[i].materials[j].type;
			docs[k].sha256 = ap[i].materials[j].sha256;
		}
	}
	lifecycle_case_view(c, cv);
	*avp = av;
	*docsp = docs;
}

/* The rules' view of a case alone. */
static void
lifecycle_case_view(const struct st_case *c, struct case_view *cv)
{
	memset(cv, 0, sizeof *cv);
	cv->id = c->id;
	cv->state = cases_state_from_name(c->state);
	cv->reason = cases_reason_from_name(c->reason);
}

/* A case that ends at at in state next (abandoned, closed). */
static void
lifecycle_finish(struct st_case *c, enum case_state next, time_t at)
{
	free(c->state);
	c->state = xstrdup(cases_state_name(next));
	c->updated_at = clock_now();
	c->closed_at = at;
	c->stall_due_at = 0;
}

static void
lifecycle_rules(struct case_rules *rules)
{
	cases_rules_init(rules);
	rules->max_appeals = (int)lifecycle_config()->rules.max_appeals;
	rules->feedback_after = lifecycle_config()->rules.feedback_after;
}

/* Refuses an action the state machine does not allow. */
static int
lifecycle_step(const struct st_case *c, const struct st_appeal *ap, size_t nap,
    enum case_action act, int force, struct case_step *step, struct lc_err *err)
{
	struct case_view cv;
	struct appeal_view *av;
	struct appeal_doc *docs;
	struct case_ctx ctx;
	struct case_rules rules;

	lifecycle_rules(&rules);
	lifecycle_views(c, ap, nap, &cv, &av, &docs);
	cases_ctx_from_appeals(&ctx, &cv, av, nap, &rules);
	free(av);
	free(docs);
	if (cases_transition(cv.state, act, &ctx, force, step) == -1) {
		lifecycle_err_refused(
		    err, step->refusal.code, "%s", step->refusal.why);
		err->forceable = step->refusal.forceable;
		return (-1);
	}
	return (0);
}

static void
lifecycle_free(struct st_case *c, struct st_appeal *ap, size_t nap)
{
	st_case_clear(c);
	st_appeals_free(ap, nap);
}

/* Commits and publishes, or rolls back on failure. */
static int
lifecycle_commit(struct lc_err *err)
{
	if (store_commit(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	lifecycle_published();
	event_changed(EVENT_CHANGE_DUE);
	return (0);
}

int
lifecycle_note(int64_t id, const char *text, const char *field,
    const char *before, const char *after, time_t at, const char *actor,
    struct lc_err *err)
{
	struct st_case c;
	struct st_appeal *ap;
	struct case_step step;
	size_t nap;
	json_t *data;
	int rc = -1;

	if (lifecycle_load(id, at, &c, &ap, &nap, err) == -1)
		return (-1);
	if (lifecycle_step(&c, ap, nap, CASE_ACT_NOTE, 0, &step, err) == -1) {
		store_rollback(lifecycle_store());
		goto out;
	}
	data = json_pack("{s:s}", "text", text);
	if (field != NULL)
		json_object_set_new(data, "field", json_string(field));
	if (before != NULL)
		json_object_set_new(data, "before", json_string(before));
	if (after != NULL)
		json_object_set_new(data, "after", json_string(after));
	free(c.state);
	c.state = xstrdup(cases_state_name(step.next));
	c.updated_at = clock_now();
	if (lifecycle_case_save(&c) == -1 ||
	    lifecycle_event(&c, at, actor, step.event, step.severity, data,
		"rectified%s%s: %s", field ? " " : "", field ? field : "",
		text) == -1) {
		lifecycle_store_fail(err);
		goto out;
	}
	rc = lifecycle_commit(err);
out:
	lifecycle_free(&c, ap, nap);
	return (rc);
}

/*
 * Adds "preflight:CODE" to the comma-separated list of overridden refusals
 * for each error code the preflight found (each code once).
 */
static void
lifecycle_preflight_forced(
    const struct preflight_findings *found, char **forced)
{
	const char *code;
	char *old, tag[96];
	size_t i;

	for (i = 0; i < found->n; i++) {
		if (found->v[i].severity != PREFLIGHT_ERROR)
			continue;
		code = found->v[i].name;
		snprintf(tag, sizeof tag, "preflight:%s", code);
		if (*forced != NULL && lifecycle_list_has(*forced, tag))
			continue;
		old = *forced;
		xasprintf(
		    forced, "%s%s%s", old ? old : "", old ? "," : "", tag);
		free(old);
	}
}

/* Whether the comma-separated list holds item. */
static int
lifecycle_list_has(const char *list, const char *item)
{
	size_t len = strlen(item);
	const char *p = list;

	while ((p = strstr(p, item)) != NULL) {
		if ((p == list || p[-1] == ',') &&
		    (p[len] == '\0' || p[len] == ','))
			return (1);
		p += len;
	}
	return (0);
}

int
lifecycle_appeal(int64_t id, const char *platform_case_id,
    const char *statement, const struct st_material *mat, size_t nmat,
    time_t at, int force, const char *actor, json_t **found, struct lc_err *err)
{
	struct preflight_run pr;
	struct st_case c;
	struct st_appeal *ap, a;
	struct case_step step;
	struct case_view cv;
	struct appeal_view *av;
	struct appeal_doc *prevdocs, *docs;
	struct appeal_req req;
	struct case_refusal refusal;
	struct case_rules rules;
	const struct calendar *cal;
	char sha[65], buf[ISOTIME_LEN], buf2[ISOTIME_LEN], *forced = NULL;
	char *cause = NULL;
	size_t nap, i;
	json_t *data, *jm;
	int rc = -1;

	memset(&pr, 0, sizeof pr);
	if (lifecycle_load(id, at, &c, &ap, &nap, err) == -1)
		return (-1);
	for (i = 0; i < nap; i++) {
		if (at < ap[i].submitted_at) {
			lifecycle_err_set(err, LIFECYCLE_ERR_BAD_TIME,
			    "that time is before "
			    "appeal %d was submitted",
			    ap[i].n);
			store_rollback(lifecycle_store());
			goto out;
		}
	}
	lifecycle_sha256(statement, sha);
	docs = xcalloc(nmat + 1, sizeof *docs);
	for (i = 0; i < nmat; i++) {
		docs[i].type = mat[i].type;
		docs[i].sha256 = mat[i].sha256;
	}
	req.statement_sha256 = sha;
	req.docs = docs;
	req.ndocs = nmat;
	lifecycle_rules(&rules);
	lifecycle_views(&c, ap, nap, &cv, &av, &prevdocs);
	memset(&refusal, 0, sizeof refusal);
	rc = cases_appeal_check(&cv, av, nap, &req, &rules, force, &refusal);
	free(av);
	free(prevdocs);
	free(docs);
	if (rc == -1) {
		lifecycle_err_refused(err, refusal.code, "%s", refusal.why);
		err->forceable = refusal.forceable;
		store_rollback(lifecycle_store());
		goto out;
	}
	rc = -1;
	if (lifecycle_step(&c, ap, nap, CASE_ACT_APPEAL, force, &step, err) ==
	    -1) {
		store_rollback(lifecycle_store());
		goto out;
	}
	if (preflight_run(&pr, &c, ap, nap, statement, mat, nmat, NULL, at,
		&cause) == -1) {
		lifecycle_err_set(err, LIFECYCLE_ERR_PREFLIGHT, "%s", cause);
		free(cause);
		store_rollback(lifecycle_store());
		goto out;
	}
	if (pr.found->nerrors > 0 && !force) {
		lifecycle_err_set(err, LIFECYCLE_ERR_PREFLIGHT_FAILED,
		    "the preflight found %zu error%s that would get this "
		    "appeal rejected: fix %s first (delistctl case check "
		    "%lld lists them)",
		    pr.found->nerrors, pr.found->nerrors == 1 ? "" : "s",
		    pr.found->nerrors == 1 ? "it" : "them", (long long)id);
		err->forceable = 1;
		err->findings = preflight_run_json(pr.found, 0);
		store_rollback(lifecycle_store());
		goto out;
	}

	cal = config_shop_calendar(lifecycle_config(), c.shop);
	memset(&a, 0, sizeof a);
	a.case_id = c.id;
	a.n = (int)nap + 1;
	a.platform_case_id = (char *)platform_case_id;
	a.statement = (char *)statement;
	a.statement_sha256 = sha;
	a.submitted_at = at;
	if (refusal.forced && step.forced &&
	    strcmp(refusal.code, step.refusal.code) != 0)
		xasprintf(&forced, "%s,%s", refusal.code, step.refusal.code);
	else if (refusal.forced || step.forced)
		forced =
		    xstrdup(refusal.forced ? refusal.code : step.refusal.code);
	lifecycle_preflight_forced(pr.found, &forced);
	a.forced = forced;
	a.feedback_due_at = cases_feedback_due(at, &rules);
	a.escalate_due_at = calendar_add_business_days(cal, at,
	    (int)lifecycle_config()->rules.escalate_after_business_days);
	a.materials = (struct st_material *)mat;
	a.nmaterials = nmat;

	free(c.state);
	c.state = xstrdup(cases_state_name(step.next));
	c.updated_at = clock_now();
	c.stall_due_at = 0;
	c.stall_fired = 0;
	jm = json_array();
	for (i = 0; i < nmat; i++)
		json_array_append_new(jm,
		    json_pack("{s:s,s:s,s:s,s:I}", "name", mat[i].name, "type",
			mat[i].type, "sha256", mat[i].sha256, "size",
			(json_int_t)mat[i].size));
	data = json_pack("{s:i,s:s,s:s,s:o,s:s,s:s}", "appeal", a.n,
	    "platform_case_id", platform_case_id, "statement_sha256", sha,
	    "materials", jm, "feedback_due_at",
	    isotime_format(a.feedback_due_at, buf, sizeof buf),
	    "escalate_due_at",
	    isotime_format(a.escalate_due_at, buf2, sizeof buf2));
	if (a.forced != NULL)
		json_object_set_new(data, "forced", json_string(a.forced));
	json_object_set_new(data, "preflight",
	    json_pack("{s:I,s:I,s:o,s:b}", "errors",
		(json_int_t)pr.found->nerrors, "warnings",
		(json_int_t)pr.found->nwarnings, "findings",
		preflight_run_json(pr.found, 1), "overridden",
		pr.found->nerrors > 0));
	if (store_appeal_insert(lifecycle_store(), &a) == -1 ||
	    lifecycle_case_save(&c) == -1 ||
	    lifecycle_event(&c, at, actor, step.event, step.severity, data,
		"appeal %d submitted, platform Case ID %s%s%s; do not resubmit "
		"while it is under review",
		a.n, platform_case_id,
		a.forced ? "; overridden with --force: " : "",
		a.forced ? a.forced : "") == -1) {
		lifecycle_store_fail(err);
		goto out;
	}
	rc = lifecycle_commit(err);
	if (rc == 0 && found != NULL)
		*found = preflight_run_json(pr.found, 0);
out:
	preflight_run_clear(&pr);
	free(forced);
	lifecycle_free(&c, ap, nap);
	return (rc);
}

int
lifecycle_decide(int64_t id, int n, int approved, const char *reason, time_t at,
    const char *actor, struct lc_err *err)
{
	struct st_case c;
	struct st_appeal *ap, *a = NULL;
	struct case_step step;
	size_t nap, i;
	json_t *data;
	int rc = -1, review;

	if (lifecycle_load(id, at, &c, &ap, &nap, err) == -1)
		return (-1);
	for (i = 0; i < nap; i++) {
		if (ap[i].n == n)
			a = &ap[i];
	}
	if (a == NULL) {
		lifecycle_err_set(err, LIFECYCLE_ERR_NOT_FOUND,
		    "case %lld has no appeal %d", (long long)id, n);
		store_rollback(lifecycle_store());
		goto out;
	}
	/* In manual review, the last (rejected) appeal gets the re-review's. */
	review = strcmp(c.state, "manual_review") == 0 && n == (int)nap;
	if (a->decision != NULL && !review) {
		lifecycle_err_set(err, LIFECYCLE_ERR_ALREADY_DECIDED,
		    "appeal %d of case %lld "
		    "was already %s",
		    n, (long long)id, a->decision);
		store_rollback(lifecycle_store());
		goto out;
	}
	if (at < a->submitted_at) {
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_TIME,
		    "that time is before appeal %d "
		    "was submitted",
		    n);
		store_rollback(lifecycle_store());
		goto out;
	}
	if (lifecycle_step(&c, ap, nap,
		approved ? CASE_ACT_APPROVE : CASE_ACT_REJECT, 0, &step,
		err) == -1) {
		store_rollback(lifecycle_store());
		goto out;
	}
	free(c.state);
	c.state = xstrdup(cases_state_name(step.next));
	c.updated_at = clock_now();
	if (step.next == CASE_STATE_RECTIFYING) {
		c.stall_due_at = at + lifecycle_config()->rules.stall_after;
		c.stall_fired = 0;
	} else
		c.stall_due_at = 0;
	if (step.next == CASE_STATE_CLOSED)
		c.closed_at = at;
	data = json_pack("{s:i,s:s,s:s,s:o}", "appeal", n, "platform_case_id",
	    a->platform_case_id, "decision", approved ? "approved" : "rejected",
	    "reason", reason ? json_string(reason) : json_null());
	if ((!review &&
		store_appeal_decide(lifecycle_store(), a->id,
		    approved ? "approved" : "rejected", reason, at) == -1) ||
	    lifecycle_case_save(&c) == -1)
		goto fail;
	/* Approved: the source looks for the listing on sale sooner. */
	if (approved &&
	    store_watch_due_by(lifecycle_store(), c.listing_id,
		clock_now() + LIFECYCLE_APPROVED_RECHECK) == -1)
		goto fail;
	if (approved && review)
		rc = lifecycle_event(&c, at, actor, step.event, step.severity,
			 data,
			 "manual re-review of appeal %d (Case ID %s) approved; "
			 "the "
			 "listing should be back on sale soon: check it and "
			 "record "
			 "it with delistctl case reinstated",
			 n, a->platform_case_id) == -1
		    ? -1
		    : 0;
	else if (approved)
		rc = lifecycle_event(&c, at, actor, step.event, step.severity,
			 data,
			 "appeal %d (Case ID %s) approved; the listing should "
			 "be "
			 "back on sale soon: check it and record it with "
			 "delistctl "
			 "case reinstated",
			 n, a->platform_case_id) == -1
		    ? -1
		    : 0;
	else if (step.next == CASE_STATE_MANUAL_REVIEW)
		rc =
		    lifecycle_event(&c, at, actor, step.event, step.severity,
			data,
			"appeal %d (Case ID %s) rejected: \"%s\"; that is "
			"rejection %d of %lld, so the listing goes to the "
			"platform's manual re-review (a longer cycle): no more "
			"appeals, follow up with customer service",
			n, a->platform_case_id, reason, c.rejections + 1,
			(long long)lifecycle_config()->rules.max_appeals) == -1
		    ? -1
		    : 0;
	else if (step.next == CASE_STATE_CLOSED)
		rc = lifecycle_event(&c, at, actor, step.event, step.severity,
			 data,
			 "manual re-review of appeal %d (Case ID %s) rejected: "
			 "\"%s\"; the case is closed",
			 n, a->platform_case_id, reason) == -1
		    ? -1
		    : 0;
	else
		rc = lifecycle_event(&c, at, actor, step.event, step.severity,
			 data,
			 "appeal %d (Case ID %s) rejected: \"%s\"; read the "
			 "reason, "
			 "add what it asks for, change the statement and the "
			 "materials, then appeal again (%lld of %lld appeals "
			 "left)",
			 n, a->platform_case_id, reason,
			 (long long)(lifecycle_config()->rules.max_appeals -
			     c.rejections - 1),
			 (long long)lifecycle_config()->rules.max_appeals) == -1
		    ? -1
		    : 0;
	if (rc == -1)
		goto fail;
	rc = lifecycle_commit(err);
	goto out;
fail:
	rc = -1;
	lifecycle_store_fail(err);
out:
	lifecycle_free(&c, ap, nap);
	return (rc);
}

/*
 * Reinstates a loaded case inside the caller's transaction: the case, the
 * listing's status and the events (and, with no sink to wait for, the
 * sync). outcome (with its note) is the TRO's outcome that lets the
 * listing sell again (lifecycle_close), NULL for a listing back on sale.
 * On failure *err says why; the caller rolls back.
 */
static int
lifecycle_reinstate_in(struct st_case *c, const struct st_appeal *ap,
    size_t nap, time_t at, const char *actor, const char *outcome,
    const char *note, struct lc_err *err)
{
	struct case_step step, sync;
	time_t now = clock_now();
	int64_t ev;

	if (lifecycle_step(c, ap, nap, CASE_ACT_REINSTATE, 0, &step, err) == -1)
		return (-1);
	free(c->state);
	c->state = xstrdup(cases_state_name(step.next));
	c->updated_at = now;
	c->stall_due_at = 0;
	if (lifecycle_case_save(c) == -1 ||
	    store_listing_set_status(
		lifecycle_store(), c->listing_id, "on_sale", now) == -1)
		goto fail;
	if (outcome != NULL)
		ev = lifecycle_event(c, at, actor, step.event, step.severity,
		    json_pack("{s:s,s:s}", "outcome", outcome, "note", note),
		    "case %lld: the TRO ended, %s (%s): the funds are free "
		    "and %s/%s may sell again: resume the ads and the ERP "
		    "stock sync",
		    (long long)c->id, outcome, note, c->shop, c->product_id);
	else
		ev = lifecycle_event(c, at, actor, step.event, step.severity,
		    NULL,
		    "%s/%s is back on sale: resume the ads and the ERP stock "
		    "sync (rank and sales history do not come back by "
		    "themselves)",
		    c->shop, c->product_id);
	if (ev == -1)
		goto fail;
	/* With no sink subscribed to case.reinstated, nothing to wait for. */
	if (event_takers("case.reinstated", "info") == 0 &&
	    cases_transition(step.next, CASE_ACT_SYNC_DONE, NULL, 0, &sync) ==
		0) {
		free(c->state);
		c->state = xstrdup(cases_state_name(sync.next));
		c->closed_at = at;
		if (lifecycle_case_save(c) == -1 ||
		    lifecycle_event(c, at, "daemon", sync.event, sync.severity,
			NULL,
			"case %lld is done: no sink is subscribed to "
			"case.reinstated, so there is nothing to sync",
			(long long)c->id) == -1)
			goto fail;
	}
	return (0);
fail:
	lifecycle_err_set(
	    err, LIFECYCLE_ERR_STORE, "the state database failed; see the log");
	return (-1);
}

int
lifecycle_reinstate(
    int64_t id, time_t at, const char *actor, struct lc_err *err)
{
	struct st_case c;
	struct st_appeal *ap;
	size_t nap;
	int rc = -1;

	if (lifecycle_load(id, at, &c, &ap, &nap, err) == -1)
		return (-1);
	if (lifecycle_reinstate_in(&c, ap, nap, at, actor, NULL, NULL, err) ==
	    -1) {
		store_rollback(lifecycle_store());
		goto out;
	}
	rc = lifecycle_commit(err);
out:
	lifecycle_free(&c, ap, nap);
	return (rc);
}

/*
 * Ends a TRO case on the court's outcome (cases_outcome_step): dismissed
 * or settled reinstate it as lifecycle_reinstate does, judgment or lost
 * close it; either way the outcome and the note are in the event's data.
 */
int
lifecycle_close(int64_t id, const char *outcome, const char *note, time_t at,
    const char *actor, struct lc_err *err)
{
	struct st_case c;
	struct st_appeal *ap;
	struct case_view cv;
	struct case_step step;
	size_t nap;
	int o, rc = -1;

	if ((o = cases_outcome_from_name(outcome)) == -1) {
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_OUTCOME,
		    "unknown outcome \"%.32s\" (one of: %s)", outcome,
		    cases_outcome_list());
		return (-1);
	}
	if (lifecycle_load(id, at, &c, &ap, &nap, err) == -1)
		return (-1);
	lifecycle_case_view(&c, &cv);
	if (cases_outcome_step(&cv, o, &step) == -1) {
		lifecycle_err_refused(
		    err, step.refusal.code, "%s", step.refusal.why);
		store_rollback(lifecycle_store());
		goto out;
	}
	if (step.event == CASES_EV_CASE_REINSTATED)
		rc = lifecycle_reinstate_in(
		    &c, ap, nap, at, actor, outcome, note, err);
	else {
		lifecycle_finish(&c, step.next, at);
		if (lifecycle_case_save(&c) == -1 ||
		    lifecycle_event(&c, at, actor, step.event, step.severity,
			json_pack(
			    "{s:s,s:s}", "outcome", outcome, "note", note),
			"case %lld closed on the TRO's outcome, %s (%s): %s/%s "
			"is not resumed; keep the ads and the ERP stock "
			"stopped",
			(long long)c.id, outcome, note, c.shop,
			c.product_id) == -1)
			lifecycle_err_set(err, LIFECYCLE_ERR_STORE,
			    "the state database failed; see the log");
		else
			rc = 0;
	}
	if (rc == -1)
		store_rollback(lifecycle_store());
	else
		rc = lifecycle_commit(err);
out:
	lifecycle_free(&c, ap, nap);
	return (rc);
}

int
lifecycle_abandon(int64_t id, const char *relisted_as, time_t at,
    const char *actor, struct lc_err *err)
{
	struct st_case c;
	struct st_appeal *ap;
	struct case_step step;
	size_t nap;
	json_t *data;
	int rc = -1;

	if (lifecycle_load(id, at, &c, &ap, &nap, err) == -1)
		return (-1);
	if (relisted_as != NULL && strcmp(relisted_as, c.product_id) == 0) {
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD,
		    "%s is this case's own product "
		    "ID: --relisted-as names the new listing",
		    relisted_as);
		store_rollback(lifecycle_store());
		goto out;
	}
	if (lifecycle_step(&c, ap, nap, CASE_ACT_ABANDON, 0, &step, err) ==
	    -1) {
		store_rollback(lifecycle_store());
		goto out;
	}
	lifecycle_finish(&c, step.next, at);
	free(c.relisted_as);
	c.relisted_as = relisted_as ? xstrdup(relisted_as) : NULL;
	data = json_pack("{s:o}", "relisted_as",
	    relisted_as ? json_string(relisted_as) : json_null());
	if (lifecycle_case_save(&c) == -1 ||
	    lifecycle_event(&c, at, actor, step.event, step.severity, data,
		relisted_as ? "case %lld abandoned: relisted as %s (a new ID "
			      "starts without rank, reviews or sales)"
			    : "case %lld abandoned%s",
		(long long)c.id, relisted_as ? relisted_as : "") == -1) {
		lifecycle_store_fail(err);
		goto out;
	}
	rc = lifecycle_commit(err);
out:
	lifecycle_free(&c, ap, nap);
	return (rc);
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
static int64_t
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
static size_t
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
		    "no feedback on appeal %d (Case ID %s) %s after "
		    "submission: open a ticket with online customer service "
		    "(violation consultation) quoting Case ID %s and note the "
		    "progress number",
		    a->n, a->platform_case_id,
		    lifecycle_hours(lifecycle_config()->rules.feedback_after,
			buf, sizeof buf),
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
 * Inside the outbox's transaction: every sink subscribed to a case's
 * case.reinstated has acknowledged it, so the ERP and the ads are in sync.
 */
int
lifecycle_synced(int64_t case_id, time_t now)
{
	struct st_case c;
	struct case_step step;
	int rc = 0;

	if (store_case_get(lifecycle_store(), case_id, &c) != 0)
		return (-1);
	if (cases_state_from_name(c.state) != CASE_STATE_REINSTATED ||
	    cases_transition(CASE_STATE_REINSTATED, CASE_ACT_SYNC_DONE, NULL, 0,
		&step) == -1)
		goto out;
	free(c.state);
	c.state = xstrdup(cases_state_name(step.next));
	c.updated_at = now;
	c.closed_at = now;
	if (lifecycle_case_save(&c) == -1 ||
	    lifecycle_event(&c, now, "daemon", step.event, step.severity, NULL,
		"every sink subscribed to case.reinstated acknowledged it: "
		"the ERP and the ads know %s/%s is back on sale; case %lld is "
		"done",
		c.shop, c.product_id, (long long)c.id) == -1)
		rc = -1;
out:
	st_case_clear(&c);
	return (rc);
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

/* The acknowledgement as the API shows it; NULL when there is none. */
static json_t *
lifecycle_ack_value(
    const char *by, time_t at, time_t until, const char *comment)
{
	char buf[ISOTIME_LEN], buf2[ISOTIME_LEN];

	if (by == NULL)
		return (json_null());
	return (json_pack("{s:s,s:s,s:o,s:o}", "by", by, "at",
	    isotime_format(at, buf, sizeof buf), "until",
	    until ? json_string(isotime_format(until, buf2, sizeof buf2))
		  : json_null(),
	    "comment", comment ? json_string(comment) : json_null()));
}

json_t *
lifecycle_ack_json(const struct st_case *c)
{
	if (c->ack_by != NULL && c->ack_until != 0 &&
	    c->ack_until <= clock_now())
		return (json_null());
	return (lifecycle_ack_value(
	    c->ack_by, c->ack_at, c->ack_until, c->ack_comment));
}

/*
 * Someone took a case on: until lapses at until (0: until the case changes
 * state), its conditions are not re-announced. Recorded in the trail.
 */
int
lifecycle_ack(int64_t id, time_t until, const char *comment, const char *actor,
    struct lc_err *err)
{
	struct st_case c;
	struct st_condition *cond;
	size_t n, i;
	time_t now = clock_now();
	char buf[ISOTIME_LEN];
	json_t *data;
	int rc;

	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	if ((rc = store_case_get(lifecycle_store(), id, &c)) != 0) {
		if (rc == -1)
			return (lifecycle_store_fail(err));
		store_rollback(lifecycle_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_NOT_FOUND,
		    "case %lld not found", (long long)id);
		return (-1);
	}
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
	    until ? json_string(isotime_format(until, buf, sizeof buf))
		  : json_null(),
	    "comment", comment ? json_string(comment) : json_null(),
	    "conditions", (int)n);
	if (lifecycle_event(&c, now, actor, CASES_EV_CASE_ACKNOWLEDGED,
		CASES_SEV_INFO, data,
		"case %lld taken on by %s%s%s%s: no reminders %s%s",
		(long long)id, actor, comment ? " (" : "",
		comment ? comment : "", comment ? ")" : "",
		until ? "until " : "until its state changes",
		until ? buf : "") == -1)
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
    const char *actor, struct lc_err *err)
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
	    actor, "until",
	    until ? json_string(isotime_format(until, buf, sizeof buf))
		  : json_null(),
	    "comment", comment ? json_string(comment) : json_null());
	if (store_condition_update(lifecycle_store(), cond) == -1 ||
	    lifecycle_event(&c, now, actor, CASES_EV_CONDITION_ACKNOWLEDGED,
		CASES_SEV_INFO, data, "condition %lld (%s) taken on by %s%s%s",
		(long long)id, cond->type, actor, until ? " until " : "",
		until ? buf : "") == -1) {
		st_conditions_free(cond, 1);
		return (lifecycle_store_fail(err));
	}
	st_conditions_free(cond, 1);
	return (lifecycle_commit(err));
}

/* The open conditions as the API lists them. */
json_t *
lifecycle_conditions_json(int64_t case_id)
{
	struct st_condition *cond;
	struct st_case c;
	size_t n, i;
	char b1[ISOTIME_LEN], b2[ISOTIME_LEN];
	json_t *arr = json_array(), *ack;

	if (store_conditions(lifecycle_store(), 0, case_id, 1000, &cond, &n) ==
	    -1)
		return (arr);
	for (i = 0; i < n; i++) {
		if (cond[i].case_id != 0 &&
		    store_case_get(lifecycle_store(), cond[i].case_id, &c) ==
			0) {
			ack = lifecycle_ack_json(&c);
			st_case_clear(&c);
		} else
			ack =
			    lifecycle_ack_value(cond[i].ack_by, cond[i].ack_at,
				cond[i].ack_until, cond[i].ack_comment);
		json_array_append_new(arr,
		    json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:s,s:o,s:i,s:o}",
			"id", (json_int_t)cond[i].id, "type", cond[i].type,
			"severity", cond[i].severity, "case",
			cond[i].case_id ? json_integer(cond[i].case_id)
					: json_null(),
			"shop",
			cond[i].shop ? json_string(cond[i].shop) : json_null(),
			"product_id",
			cond[i].product_id ? json_string(cond[i].product_id)
					   : json_null(),
			"subject",
			cond[i].subject ? json_string(cond[i].subject)
					: json_null(),
			"raised_at",
			isotime_format(cond[i].raised_at, b1, sizeof b1),
			"next_reminder_at",
			cond[i].next_at ? json_string(isotime_format(
					      cond[i].next_at, b2, sizeof b2))
					: json_null(),
			"reminders", cond[i].reminders, "ack", ack));
	}
	st_conditions_free(cond, n);
	return (arr);
}

/*
 * Holds mail about a shop until until (0: ends the snooze now). The trail
 * records it; the outbox holds the shop's rows to sinks of module "mail"
 * meanwhile, and sends them as one summary when it ends.
 */
int
lifecycle_snooze(const char *shop, time_t until, const char *comment,
    const char *actor, struct lc_err *err)
{
	struct st_case c;
	time_t now = clock_now();
	char buf[ISOTIME_LEN];
	json_t *data;
	int rc;

	if (lifecycle_shop_known(shop, err) == -1)
		return (-1);
	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
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

json_t *
lifecycle_snoozes_json(void)
{
	struct st_snooze *sn;
	size_t n, i;
	char b1[ISOTIME_LEN], b2[ISOTIME_LEN];
	json_t *arr = json_array();

	if (store_snoozes(lifecycle_store(), clock_now(), &sn, &n) == -1)
		return (arr);
	for (i = 0; i < n; i++)
		json_array_append_new(arr,
		    json_pack("{s:s,s:s,s:s,s:s,s:o}", "shop", sn[i].shop,
			"until", isotime_format(sn[i].until, b1, sizeof b1),
			"by", sn[i].by, "at",
			isotime_format(sn[i].at, b2, sizeof b2), "comment",
			sn[i].comment ? json_string(sn[i].comment)
				      : json_null()));
	st_snoozes_free(sn, n);
	return (arr);
}

/*
 * When a shop's next daily digest is due: digest_at local time on the
 * first business day at or after the last one (or the time the daemon
 * first saw the shop) plus a second. 0 on failure.
 */
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
	    left, "escalation", esc, "ack", lifecycle_ack_json(c));
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
	json_t *by, *counts, *syncs, *dead, *pending, *data, *warnings;
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
	warnings = lifecycle_warnings(shop, 0);
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
	/* The first warning, so that the line alone says there are some. */
	if (json_array_size(warnings) > 0)
		snprintf(summary + strlen(summary), len - strlen(summary),
		    "; %zu warning%s: %s", json_array_size(warnings),
		    json_array_size(warnings) == 1 ? "" : "s",
		    json_string_value(
			json_object_get(json_array_get(warnings, 0), "text")));
	data = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "shop", shop,
	    "date", date, "timezone", calendar_tz(cal), "counts", counts,
	    "open_cases", by, "pending_syncs", syncs, "dead_deliveries", dead,
	    "documents_expiring", docs);
	json_object_set_new(data, "warnings", warnings);
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
 * no shop is configured. One {"shop","year","timezone","text"} each; *next
 * (may be NULL) gets the earliest instant the answer may change, 0 if none.
 */
static json_t *
lifecycle_uncovered(const char *only, time_t now, time_t *next)
{
	const struct config *conf = lifecycle_config();
	const struct calendar *cal;
	const char *shop;
	json_t *arr = json_array();
	char who[128], text[512], local[CALENDAR_FORMAT_LEN];
	size_t i, n = conf->nshops > 0 ? conf->nshops : 1;
	time_t change;
	int years[2], k, nyears, current;

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
			if (years[k] == current)
				snprintf(text, sizeof text,
				    "%s has no holiday or make-up workday in "
				    "%d, the current year: every weekday "
				    "counts "
				    "as a business day; add %d's dates to the "
				    "calendar in delistd.conf",
				    who, years[k], years[k]);
			else
				snprintf(text, sizeof text,
				    "%s has no holiday or make-up workday in "
				    "%d, which begins on %d-01-01: every "
				    "weekday will count as a business day; add "
				    "%d's dates to the calendar in "
				    "delistd.conf",
				    who, years[k], years[k], years[k]);
			json_array_append_new(arr,
			    json_pack("{s:o,s:i,s:s,s:s}", "shop",
				shop ? json_string(shop) : json_null(), "year",
				years[k], "timezone", calendar_tz(cal), "text",
				text));
		}
	}
	return (arr);
}

/*
 * The warnings a person must see, as GET /v1/status (with_shop) and
 * digest.daily (of one shop, without) carry them: {"code","shop","text"}.
 */
json_t *
lifecycle_warnings(const char *shop, int with_shop)
{
	json_t *u = lifecycle_uncovered(shop, clock_now(), NULL),
	       *arr = json_array();
	json_t *e, *w;
	size_t i;

	json_array_foreach (u, i, e) {
		w = json_pack("{s:s}", "code", "calendar.uncovered");
		if (with_shop)
			json_object_set(w, "shop", json_object_get(e, "shop"));
		json_object_set(w, "text", json_object_get(e, "text"));
		json_array_append_new(arr, w);
	}
	json_decref(u);
	lifecycle_not_found_warnings(arr, shop);
	return (arr);
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
	json_t *u, *e, *data;
	time_t now = clock_now(), next;
	const char *shop, *text;
	size_t i;
	int seen, failed = 0, raised = 0;

	u = lifecycle_uncovered(NULL, now, &next);
	json_array_foreach (u, i, e) {
		shop = json_string_value(json_object_get(e, "shop"));
		text = json_string_value(json_object_get(e, "text"));
		if (announce)
			log_warnx("calendar: %s", text);
		seen = store_event_seen(lifecycle_store(), "calendar.uncovered",
		    shop, "$.year",
		    json_integer_value(json_object_get(e, "year")));
		if (seen != 0) {
			failed |= seen == -1;
			continue;
		}
		if (!announce)
			log_warnx("calendar: %s", text);
		memset(&c, 0, sizeof c);
		c.shop = (char *)shop;
		data =
		    json_pack("{s:O,s:O}", "year", json_object_get(e, "year"),
			"timezone", json_object_get(e, "timezone"));
		if (store_begin(lifecycle_store()) == -1) {
			json_decref(data);
			failed = 1;
			continue;
		}
		if (lifecycle_event(&c, now, "daemon",
			CASES_EV_CALENDAR_UNCOVERED, CASES_SEV_WARNING, data,
			"%s", text) == -1 ||
		    store_commit(lifecycle_store()) == -1) {
			store_rollback(lifecycle_store());
			failed = 1;
			continue;
		}
		raised = 1;
	}
	json_decref(u);
	if (raised)
		lifecycle_published();
	return (failed ? -1 : next);
}

/* --- what the source scheduler observes --------------------------------- */

static int
lifecycle_same(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* When a watched listing is looked at next (0: not watched any more). */
static time_t
lifecycle_next_check(
    const struct st_watch *w, const struct lc_intervals *iv, time_t now)
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
    const struct st_case *c, const struct lc_observation *o, time_t now)
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
static int
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
    struct st_watch *w, const struct lc_observation *o, time_t now)
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
static void
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
    struct st_watch *w, const struct lc_observation *o, time_t now)
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
	return (lifecycle_event(&c, now, o->source, CASES_EV_LISTING_NOT_FOUND,
		    CASES_SEV_WARNING,
		    json_pack("{s:s,s:I}", "since",
			isotime_format(now, buf, sizeof buf), "confirmed_by",
			(json_int_t)w->obs_count),
		    "%s", text) == -1
		? -1
		: 0);
}

/*
 * Appends to arr the warnings of the tracked listings the source does not
 * find ({code, shop, product_id, since, text}), oldest first, at most
 * LIFECYCLE_WARNINGS_MAX and then one line that counts the rest (shop NULL:
 * every shop). -1: the store failed.
 */
int
lifecycle_not_found_warnings(json_t *arr, const char *shop)
{
	struct st_not_found *f;
	size_t n, i;
	char text[256], buf[ISOTIME_LEN];

	if (store_not_found(lifecycle_store(), shop, &f, &n) == -1)
		return (-1);
	for (i = 0; i < n && i < LIFECYCLE_WARNINGS_MAX; i++) {
		lifecycle_not_found_text(
		    f[i].shop, f[i].product_id, f[i].since, text, sizeof text);
		json_array_append_new(arr,
		    json_pack("{s:s,s:s,s:s,s:s,s:s}", "code",
			"listing.not_found", "shop", f[i].shop, "product_id",
			f[i].product_id, "since",
			isotime_format(f[i].since, buf, sizeof buf), "text",
			text));
	}
	if (n > LIFECYCLE_WARNINGS_MAX) {
		snprintf(text, sizeof text,
		    "... and %zu more listings not found by the source",
		    n - LIFECYCLE_WARNINGS_MAX);
		json_array_append_new(arr,
		    json_pack("{s:s,s:o,s:s}", "code", "listing.not_found",
			"shop", shop ? json_string(shop) : json_null(), "text",
			text));
	}
	st_not_found_free(f, n);
	return (0);
}

/* A confirmed delisting of a listing without an open case: a new case. */
static int
lifecycle_open_auto(struct st_watch *w, const struct lc_observation *o,
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
		"%s/%s was taken down by the platform (%s%s%s), confirmed by "
		"%lld check%s",
		w->shop, w->product_id, code ? code : "no code given",
		offline_at ? ", offline since " : "", offline_at ? buf : "",
		(long long)w->obs_count, w->obs_count == 1 ? "" : "s") == -1)
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
lifecycle_delisted_again(struct st_watch *w, const struct lc_observation *o,
    const char *code, time_t now)
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
	struct lc_err err = { 0 };
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
lifecycle_observe(const struct lc_observation *o, const struct lc_intervals *iv,
    int64_t *opened)
{
	struct st_watch w;
	struct st_case c;
	time_t now = o->at != 0 ? o->at : clock_now(), offline_at;
	int64_t need;
	char *code = NULL, *old = NULL;
	json_t *data;
	int rc;

	*opened = 0;
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
			    store_listing_set_title(
				lifecycle_store(), id, title) == -1)
				goto fail_l;
		} else {
			if ((id = store_listing_track(lifecycle_store(),
				 shop_id, ids[i], title, 0, now)) == -1)
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
	    lifecycle_event(&c, now, source, type, cases_event_severity(type),
		data, "%s", message) == -1 ||
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

/* The seller names the reason of a case (auto-opened ones have none). */
int
lifecycle_classify(int64_t id, const char *reason, const char *rule,
    const char *actor, struct lc_err *err)
{
	struct st_case c;
	struct st_appeal *ap;
	size_t nap;
	char *from;
	json_t *data;
	int rc = -1;

	if (lifecycle_load(id, clock_now(), &c, &ap, &nap, err) == -1)
		return (-1);
	if (!cases_state_is_open(cases_state_from_name(c.state))) {
		lifecycle_err_set(err, LIFECYCLE_ERR_CASE_CLOSED,
		    "case %lld is %s: a finished case keeps its reason",
		    (long long)id, c.state);
		store_rollback(lifecycle_store());
		goto out;
	}
	from = c.reason;
	c.reason = xstrdup(reason);
	if (rule != NULL) {
		free(c.rule);
		c.rule = xstrdup(rule);
	}
	c.updated_at = clock_now();
	data = json_pack("{s:s,s:s,s:o}", "from", from, "reason", reason,
	    "rule", c.rule ? json_string(c.rule) : json_null());
	if (lifecycle_case_save(&c) == -1 ||
	    lifecycle_event(&c, c.updated_at, actor, CASES_EV_CASE_CLASSIFIED,
		CASES_SEV_INFO, data, "case %lld classified: %s -> %s%s%s",
		(long long)id, from, reason, c.rule ? "; rule: " : "",
		c.rule ? c.rule : "") == -1 ||
	    lifecycle_linked_risk(&c, c.updated_at) == -1) {
		free(from);
		lifecycle_store_fail(err);
		goto out;
	}
	free(from);
	rc = lifecycle_commit(err);
out:
	lifecycle_free(&c, ap, nap);
	return (rc);
}

/*
 * Tracks many listings at once, all or nothing (delistctl import). Rows
 * were checked by the caller; an unknown shop still refuses the lot.
 */
int
lifecycle_import(const struct lc_import_row *rows, size_t n, const char *actor,
    size_t *created, struct lc_err *err)
{
	char *cause = NULL;
	size_t i;
	int one;

	*created = 0;
	for (i = 0; i < n; i++) {
		if (lifecycle_shop_known(rows[i].shop, err) == -1)
			return (-1);
	}
	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	/* As delistctl track: an imported title is compared for evasion. */
	for (i = 0; i < n; i++) {
		if (lifecycle_seen(rows[i].shop, rows[i].product_id,
			rows[i].title, NULL, 0, 0, actor, &one, &cause) != 0) {
			free(cause);
			return (lifecycle_store_fail(err));
		}
		if (one)
			(*created)++;
	}
	if (store_commit(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	lifecycle_published();
	event_changed(EVENT_CHANGE_DUE);
	event_changed(EVENT_CHANGE_LISTINGS);
	return (0);
}

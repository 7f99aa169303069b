/* SPDX-License-Identifier: ISC */
/*
 * lifecycle.c: what happens to cases, and the trail it leaves; the shared
 * core of the lifecycle's files.
 *
 * Each verb is one thing a seller (or a source plugin) does to a case:
 * open it, note a rectification, record an appeal or a decision, a
 * reinstatement, a close, an abandonment, a classification. The rules come
 * from the pure cases module; a verb loads what they need from the store,
 * applies the answer and appends the event (lifecycle_event, through the
 * event bus in event.c), all in one transaction, then publishes the new
 * events once they are committed. Refusals are domain errors (enum
 * lifecycle_error); the API maps them to HTTP.
 *
 * The other concerns have files of their own: listings and their risk
 * (lifecycle-listing.c), alerts, acknowledgements and snoozes
 * (lifecycle-alerts.c), digests (lifecycle-digest.c) and what sources
 * observe (lifecycle-source.c); lifecycle-private.h is what they share.
 *
 * It must not parse requests or render answers (api-cases.c), nor call
 * the outbox, the API or the schedulers by name: they subscribe to the
 * event bus at start-up.
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
#include "evtext.h"
#include "i18n.h"
#include "event.h"
#include "lifecycle.h"
#include "lifecycle-private.h"
#include "preflight-run.h"
#include "fingerprint.h"

static void
lifecycle_preflight_forced(const struct preflight_findings *, char **);
static int lifecycle_list_has(const char *, const char *);
static int64_t lifecycle_eventv(const struct st_case *, time_t, const char *,
    enum cases_event_type, enum cases_severity, json_t *,
    const struct event_opts *, const char *, va_list) printflike(8, 0);
static json_t *lifecycle_text(const char *, va_list);
static int64_t lifecycle_event_put(const struct st_case *, time_t, const char *,
    enum cases_event_type, enum cases_severity, json_t *,
    const struct event_opts *, const char *, json_t *);
static void lifecycle_finish(struct st_case *, enum case_state, time_t);

void
lifecycle_err_clear(struct lifecycle_err *err)
{
	free(err->message);
	preflight_findings_free(err->findings);
	memset(err, 0, sizeof *err);
}

void
lifecycle_err_set(
    struct lifecycle_err *err, enum lifecycle_error error, const char *fmt, ...)
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
    struct lifecycle_err *err, const char *code, const char *fmt, ...)
{
	va_list ap;

	err->error = LIFECYCLE_ERR_REFUSED;
	err->refusal = code;
	free(err->message);
	va_start(ap, fmt);
	xvasprintf(&err->message, fmt, ap);
	va_end(ap);
}

int
lifecycle_store_fail(struct lifecycle_err *err)
{
	store_rollback(daemon_state->store);
	lifecycle_err_set(
	    err, LIFECYCLE_ERR_STORE, "the state database failed; see the log");
	return (-1);
}

struct store *
lifecycle_store(void)
{
	return (daemon_state->store);
}

const struct config *
lifecycle_config(void)
{
	return (daemon_state->config);
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
 * The sentence's format (a msgid of the catalogue) and its arguments as
 * strings, {"format", "args"}, for a reader of another language; NULL for
 * a format evtext does not keep (a sentence composed elsewhere goes
 * through lifecycle_append, without one).
 */
static json_t *
lifecycle_text(const char *fmt, va_list ap)
{
	json_t *args;
	char **v;
	size_t n, i;

	if (evtext_args(fmt, ap, &v, &n, NULL) == -1)
		return (NULL);
	args = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(args, json_string(v[i]));
	evtext_free(v, n);
	return (json_pack("{s:s,s:o}", "format", fmt, "args", args));
}

/*
 * Appends an event about a case (or a listing when c->id is 0), routed
 * with opts (NULL: to its subscribers). data (taken over, may be NULL)
 * gets the human sentence as "message", in English, and as "text", its
 * format and arguments (lifecycle_text).
 */
static int64_t
lifecycle_eventv(const struct st_case *c, time_t at, const char *actor,
    enum cases_event_type type, enum cases_severity sev, json_t *data,
    const struct event_opts *opts, const char *fmt, va_list ap)
{
	json_t *text;
	va_list aq;
	char *msg;
	int64_t id;

	va_copy(aq, ap);
	text = lifecycle_text(fmt, aq);
	va_end(aq);
	xvasprintf(&msg, fmt, ap);
	id =
	    lifecycle_event_put(c, at, actor, type, sev, data, opts, msg, text);
	free(msg);
	return (id);
}

/* lifecycle_eventv's append: msg the English sentence, text (taken over,
 * may be NULL) its format and arguments. */
static int64_t
lifecycle_event_put(const struct st_case *c, time_t at, const char *actor,
    enum cases_event_type type, enum cases_severity sev, json_t *data,
    const struct event_opts *opts, const char *msg, json_t *text)
{
	struct st_event e;
	int64_t id;

	if (data == NULL)
		data = json_object();
	json_object_set_new(data, "message", json_string(msg));
	if (text != NULL)
		json_object_set_new(data, "text", text);
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

int64_t
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

int64_t
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

const struct calendar *
lifecycle_calendar(const char *shop)
{
	if (shop == NULL)
		return (lifecycle_config()->calendar);
	return (config_shop_calendar(lifecycle_config(), shop));
}

/*
 * Saves a case; when its state changed, its acknowledgement is cleared and
 * its conditions are over (the appeal was decided, the review ended).
 */
int
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
	return (lifecycle_event_put(
	    c, at, actor, type, sev, data, opts, message, NULL));
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

int
lifecycle_shop_known(const char *shop, struct lifecycle_err *err)
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

/*
 * Begins a transaction for a change to the configured shop; -1 with err
 * set if the shop is unknown or the store fails.
 */
int
lifecycle_shop_begin(const char *shop, struct lifecycle_err *err)
{
	if (lifecycle_shop_known(shop, err) == -1)
		return (-1);
	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	return (0);
}

int
lifecycle_open(const char *shop, const char *pid, const char *reason,
    const char *rule, time_t at, const char *actor, int64_t *id,
    struct lifecycle_err *err)
{
	struct st_listing l;
	struct st_watch w;
	struct st_case c;
	time_t now = clock_now();
	int64_t shop_id, listing_id;
	json_t *data;
	int rc;

	if (lifecycle_shop_begin(shop, err) == -1)
		return (-1);
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
	if (lifecycle_commit(err) == -1)
		return (-1);
	*id = c.id;
	return (0);
}

/*
 * Begins a transaction and loads case id into c for a change the caller
 * commits. On failure (no such case: LIFECYCLE_ERR_NOT_FOUND) the
 * transaction is rolled back and -1 returned.
 */
int
lifecycle_case_begin(int64_t id, struct st_case *c, struct lifecycle_err *err)
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
	return (0);
}

/*
 * Loads a case and its appeals for a change, inside a transaction that the
 * caller commits. On failure the transaction is rolled back.
 */
static int
lifecycle_load(int64_t id, time_t at, struct st_case *c, struct st_appeal **ap,
    size_t *nap, struct lifecycle_err *err)
{
	if (lifecycle_case_begin(id, c, err) == -1)
		return (-1);
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
void
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

void
lifecycle_rules(struct case_rules *rules)
{
	cases_rules_init(rules);
	rules->max_appeals = (int)lifecycle_config()->rules.max_appeals;
	rules->feedback_after = lifecycle_config()->rules.feedback_after;
}

/* Refuses an action the state machine does not allow. */
static int
lifecycle_step(const struct st_case *c, const struct st_appeal *ap, size_t nap,
    enum case_action act, int force, struct case_step *step,
    struct lifecycle_err *err)
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

void
lifecycle_free(struct st_case *c, struct st_appeal *ap, size_t nap)
{
	st_case_clear(c);
	st_appeals_free(ap, nap);
}

/* Commits and publishes, or rolls back on failure. */
int
lifecycle_commit(struct lifecycle_err *err)
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
    struct lifecycle_err *err)
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
    time_t at, int force, const char *actor, struct preflight_findings **found,
    struct lifecycle_err *err)
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
		err->findings = pr.found;
		pr.found = NULL;
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
		preflight_run_json(pr.found), "overridden",
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
	if (rc == 0 && found != NULL) {
		*found = pr.found;
		pr.found = NULL;
	}
out:
	preflight_run_clear(&pr);
	free(forced);
	lifecycle_free(&c, ap, nap);
	return (rc);
}

int
lifecycle_decide(int64_t id, int n, int approved, const char *reason, time_t at,
    const char *actor, struct lifecycle_err *err)
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
	/* Closed on a rejected re-review: the violation is confirmed. */
	if (rc == 0 && step.next == CASE_STATE_CLOSED &&
	    lifecycle_points_confirm(&c, actor) == -1)
		rc = -1;
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
int
lifecycle_reinstate_in(struct st_case *c, const struct st_appeal *ap,
    size_t nap, time_t at, const char *actor, const char *outcome,
    const char *note, struct lifecycle_err *err)
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
    int64_t id, time_t at, const char *actor, struct lifecycle_err *err)
{
	struct case_refusal ref;
	struct case_view cv;
	struct st_case c;
	struct st_appeal *ap;
	size_t nap;
	int rc = -1;

	if (lifecycle_load(id, at, &c, &ap, &nap, err) == -1)
		return (-1);
	/* A TRO ends only on the court's outcome (case close), on sale or not. */
	lifecycle_case_view(&c, &cv);
	if (cases_seen_on_sale(&cv, 1, &ref) == -1) {
		lifecycle_err_refused(err, ref.code, "%s", ref.why);
		store_rollback(lifecycle_store());
		goto out;
	}
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
    const char *actor, struct lifecycle_err *err)
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
	/* The matter keeps the outcome; no court date is left to remind. */
	if (lifecycle_matter_outcome(&c, outcome, note, at) == -1) {
		lifecycle_store_fail(err);
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
			c.product_id) == -1 ||
		    lifecycle_points_confirm(&c, actor) == -1)
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
lifecycle_abandon(int64_t id, const char *relisted_as, const char *why,
    time_t at, const char *actor, struct lifecycle_err *err)
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
	data = json_pack("{s:o,s:o}", "relisted_as",
	    relisted_as ? json_string(relisted_as) : json_null(), "reason",
	    why ? json_string(why) : json_null());
	if (lifecycle_case_save(&c) == -1 ||
	    lifecycle_event(&c, at, actor, step.event, step.severity, data,
		relisted_as ? EV_("case %lld abandoned: relisted as %s (a new "
				  "ID starts without rank, reviews or "
				  "sales)%s%s")
			    : EV_("case %lld abandoned%s%s%s"),
		(long long)c.id, relisted_as ? relisted_as : "",
		why ? ": " : "", why ? why : "") == -1 ||
	    lifecycle_points_confirm(&c, actor) == -1) {
		lifecycle_store_fail(err);
		goto out;
	}
	rc = lifecycle_commit(err);
out:
	lifecycle_free(&c, ap, nap);
	return (rc);
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

/* The seller names the reason of a case (auto-opened ones have none). */
int
lifecycle_classify(int64_t id, const char *reason, const char *rule,
    const char *actor, struct lifecycle_err *err)
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

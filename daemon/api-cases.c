/* SPDX-License-Identifier: ISC */
/*
 * api-cases.c: the control API's listings, cases and events routes.
 *
 * Each handler checks its request (every field, with a 400 that says which
 * and why), calls one lifecycle operation, and answers with the JSON shapes
 * documented in api.h. It also keeps the followers of GET /v1/events?follow=1
 * and writes each published event to them. No rule of the domain lives here.
 *
 * A follower's memory is bounded: while more than FOLLOW_HIGH bytes wait
 * for it, events are not queued but read again from the store once it has
 * taken what waits (its backlog comes the same way, a page at a time). A
 * follower that takes nothing for two heartbeats is dropped with a last
 * line that says why; the heartbeat (an empty line) lets a dead peer be
 * noticed. Followers have their own cap, daemon.max_followers.
 */

#include "config.h"

#include <sys/socket.h>

#include <ctype.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <event2/http.h>
#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "calendar.h"
#include "cases.h"
#include "event.h"
#include "lifecycle.h"
#include "preflight.h"
#include "text.h"
#include "vault.h"

#define STATEMENT_MAX (64 * 1024)
#define TEXT_MAX (16 * 1024)
#define SHORT_MAX 256
#define IMAGES_MAX 50 /* image URLs per listing */

/* Above this many bytes waiting, a follower is fed from the store. */
#define FOLLOW_HIGH (64 * 1024)
/* Events read from the store at a time for a follower catching up. */
#define FOLLOW_PAGE 8
/* Heartbeats a follower may leave data untaken before it is dropped. */
#define FOLLOW_STALLS 2

struct follower {
	struct evhttp_request *req;
	struct evhttp_connection *evcon;
	int64_t case_id;
	int64_t last_id; /* the last event written to it */
	int catching_up; /* fed from the store, not by api_events_publish */
	int stalls;
};

static void reply_err(struct api_req *, struct lifecycle_err *);
static void reply_case(struct api_req *, int, int64_t);
static size_t follower_waiting(const struct follower *);
static void follower_write(struct follower *, struct evbuffer *);
static void follower_send(struct follower *, const struct st_event *);
static void follower_fill(struct follower *);
static void follower_drained(struct evhttp_connection *, void *);
static void follower_drop(size_t, const char *);
static void follower_beat(evutil_socket_t, short, void *);
static void
case_board_fields(json_t *, const struct st_case *, const struct st_appeal *);
static json_t *case_summary_json(const struct st_case *);
static void cases_board(struct api_req *);
static int query_flag(struct api_req *, const char *, int *);
static int query_int(struct api_req *, const char *, int64_t *);

static struct follower *followers;
static size_t nfollowers;
static struct event follow_beat_ev;

static json_t *
jstr(const char *s)
{
	return (s != NULL ? json_string(s) : json_null());
}

/* The peer's user, from the socket's credentials: "cli:alice". */
static char *
actor(struct api_req *r)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(r->req);
	struct bufferevent *bev = evhttp_connection_get_bufferevent(evcon);
	struct ucred cred;
	socklen_t len = sizeof cred;
	struct passwd *pw;
	char *s;

	if (r->who != NULL)
		return (xstrdup(r->who));
	if (bev == NULL ||
	    getsockopt(bufferevent_getfd(bev), SOL_SOCKET, SO_PEERCRED, &cred,
		&len) == -1) {
		xasprintf(&s, "cli:unknown");
		return (s);
	}
	if ((pw = getpwuid(cred.uid)) != NULL)
		xasprintf(&s, "cli:%s", pw->pw_name);
	else
		xasprintf(&s, "cli:uid%u", (unsigned)cred.uid);
	return (s);
}

/* The actor of a request, for handlers in other files (vault routes). */
char *
api_actor(struct api_req *r)
{
	return (actor(r));
}

/* Answers a lifecycle refusal (for api-alerts.c). */
void
api_reply_err(struct api_req *r, struct lifecycle_err *err)
{
	reply_err(r, err);
}

/* Answers with a case's detail (for api-alerts.c). */
void
api_reply_case(struct api_req *r, int status, int64_t id)
{
	reply_case(r, status, id);
}

static json_t *
listing_json(const struct st_listing *l)
{
	json_t *risks = json_array();
	const char *p, *comma;

	/* "linked,evasion" from the store: its kinds in order, each once. */
	for (p = l->risks; p != NULL && *p != '\0';
	     p = *comma != '\0' ? comma + 1 : comma) {
		comma = p + strcspn(p, ",");
		json_array_append_new(
		    risks, json_stringn(p, (size_t)(comma - p)));
	}
	return (json_pack("{s:s,s:s,s:o,s:b,s:s,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "shop", l->shop, "product_id", l->product_id, "title",
	    jstr(l->title), "tracked", l->tracked, "status", l->status,
	    "check_interval",
	    l->check_interval ? json_integer(l->check_interval) : json_null(),
	    "open_case",
	    l->open_case ? json_integer(l->open_case) : json_null(),
	    "created_at", json_time(l->created_at), "updated_at",
	    json_time(l->updated_at), "risks", risks, "at_risk",
	    api_scan_findings_json(l->id)));
}

static json_t *
case_json(const struct st_case *c)
{
	return (json_pack("{s:I,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:i,"
			  "s:i}",
	    "id", (json_int_t)c->id, "shop", c->shop, "product_id",
	    c->product_id, "title", jstr(c->title), "state", c->state, "reason",
	    c->reason, "rule", jstr(c->rule), "opened_at",
	    json_time(c->opened_at), "updated_at", json_time(c->updated_at),
	    "closed_at", json_time(c->closed_at), "relisted_as",
	    jstr(c->relisted_as), "appeals", c->appeals, "rejections",
	    c->rejections));
}

static json_t *
events_json(const struct st_event *ev, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, event_json(&ev[i]));
	return (arr);
}

/* Which sinks have (not yet) acknowledged the case's reinstatement. */
static json_t *
sync_json(int64_t id)
{
	struct st_delivery *d;
	size_t n, i;
	json_t *arr = json_array();

	if (store_outbox_for_case(
		daemon_state->store, id, "case.reinstated", &d, &n) == -1)
		return (arr);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, api_delivery_json(&d[i]));
	st_deliveries_free(d, n);
	return (arr);
}

/*
 * What the summary and the detail share for the console's board: the
 * deadlines (of the pending appeal, and the stall), the shop's zone, the
 * acknowledgement, the assignee and the listing's first https picture.
 */
static void
case_board_fields(
    json_t *doc, const struct st_case *c, const struct st_appeal *pending)
{
	char *image = NULL;

	json_object_set_new(doc, "deadlines",
	    json_pack("{s:o,s:o,s:o}", "feedback_due_at",
		pending ? json_time(pending->feedback_due_at) : json_null(),
		"escalate_due_at",
		pending && !pending->escalate_fired
		    ? json_time(pending->escalate_due_at)
		    : json_null(),
		"stall_due_at",
		c->stall_fired ? json_null() : json_time(c->stall_due_at)));
	json_object_set_new(doc, "timezone",
	    json_string(calendar_tz(
		config_shop_calendar(daemon_state->config, c->shop))));
	json_object_set_new(doc, "ack", api_ack_json(c));
	json_object_set_new(doc, "assignee", api_case_assignee_json(c->id));
	store_case_image(daemon_state->store, c->id, &image);
	json_object_set_new(doc, "image", jstr(image));
	free(image);
}

/* A case of the list: the summary and the board's fields. */
static json_t *
case_summary_json(const struct st_case *c)
{
	struct st_appeal *ap;
	const struct st_appeal *pending = NULL;
	size_t nap = 0, i;
	json_t *doc = case_json(c);

	if (store_appeals(daemon_state->store, c->id, &ap, &nap) == -1) {
		ap = NULL;
		nap = 0;
	}
	for (i = 0; i < nap; i++)
		if (ap[i].decision == NULL)
			pending = &ap[i];
	case_board_fields(doc, c, pending);
	if (ap != NULL)
		st_appeals_free(ap, nap);
	return (doc);
}

/* The case with its appeals, deadlines and trail; NULL if not found. */
static json_t *
case_detail(int64_t id, int *status)
{
	struct st_case c;
	struct st_appeal *ap;
	struct st_event *ev;
	size_t nap, nev, i, j;
	json_t *doc, *appeals, *mats, *forced, *m;
	const struct st_appeal *pending = NULL;
	int rc;
	char *save, *tok, *copy;

	if ((rc = store_case_get(daemon_state->store, id, &c)) != 0) {
		*status = rc == 1 ? 404 : 500;
		return (NULL);
	}
	if (store_appeals(daemon_state->store, id, &ap, &nap) == -1 ||
	    store_events(daemon_state->store, id, 0, 0, &ev, &nev) == -1) {
		st_case_clear(&c);
		*status = 500;
		return (NULL);
	}
	doc = case_json(&c);
	appeals = json_array();
	for (i = 0; i < nap; i++) {
		mats = json_array();
		for (j = 0; j < ap[i].nmaterials; j++) {
			m = json_pack("{s:s,s:s,s:s,s:I}", "name",
			    ap[i].materials[j].name, "type",
			    ap[i].materials[j].type, "sha256",
			    ap[i].materials[j].sha256, "size",
			    (json_int_t)ap[i].materials[j].size);
			/* The vault document with the same content, if any. */
			json_object_set_new(m, "document",
			    api_material_document(ap[i].materials[j].sha256));
			json_array_append_new(mats, m);
		}
		forced = json_array();
		if (ap[i].forced != NULL) {
			copy = xstrdup(ap[i].forced);
			for (tok = strtok_r(copy, ",", &save); tok != NULL;
			     tok = strtok_r(NULL, ",", &save))
				json_array_append_new(forced, json_string(tok));
			free(copy);
		}
		json_array_append_new(appeals,
		    json_pack("{s:i,s:s,s:o,s:o,s:o,s:o,s:s,s:s,s:o,s:o,s:o,"
			      "s:o}",
			"n", ap[i].n, "platform_case_id",
			ap[i].platform_case_id, "submitted_at",
			json_time(ap[i].submitted_at), "decided_at",
			json_time(ap[i].decided_at), "decision",
			jstr(ap[i].decision), "reject_reason",
			jstr(ap[i].reject_reason), "statement_sha256",
			ap[i].statement_sha256, "statement", ap[i].statement,
			"materials", mats, "feedback_due_at",
			json_time(ap[i].feedback_due_at), "escalate_due_at",
			json_time(ap[i].escalate_due_at), "forced", forced));
		if (ap[i].decision == NULL)
			pending = &ap[i];
	}
	json_object_set_new(doc, "appeals", appeals);
	case_board_fields(doc, &c, pending);
	json_object_set_new(doc, "sync", sync_json(id));
	json_object_set_new(doc, "documents", api_case_documents_json(id));
	json_object_set_new(doc, "conditions", api_conditions_json(id));
	json_object_set_new(doc, "evidence", api_evidence_json(id));
	json_object_set_new(doc, "matter", api_matter_json(id));
	{
		char *code = NULL;
		time_t off = 0;

		store_case_platform(daemon_state->store, id, &code, &off);
		json_object_set_new(doc, "platform_code", jstr(code));
		json_object_set_new(doc, "offline_at", json_time(off));
		free(code);
	}
	json_object_set_new(doc, "trail", events_json(ev, nev));
	st_events_free(ev, nev);
	st_appeals_free(ap, nap);
	st_case_clear(&c);
	return (doc);
}

/*
 * What each of the domain's refusals is on the wire: its HTTP status and
 * its stable code (the state machine's refusals carry their own code).
 */
static const struct api_err_row {
	enum lifecycle_error error;
	int status;
	const char *code;
} api_err_rows[] = {
	{ LIFECYCLE_ERR_REFUSED, 409, NULL },
	{ LIFECYCLE_ERR_STORE, 500, "store" },
	{ LIFECYCLE_ERR_UNKNOWN_SHOP, 400, "unknown_shop" },
	{ LIFECYCLE_ERR_BAD_FIELD, 400, "bad_field" },
	{ LIFECYCLE_ERR_NOT_FOUND, 404, "not_found" },
	{ LIFECYCLE_ERR_CASE_OPEN, 409, "case_open" },
	{ LIFECYCLE_ERR_BAD_TIME, 400, "bad_time" },
	{ LIFECYCLE_ERR_PREFLIGHT, 500, "preflight" },
	{ LIFECYCLE_ERR_PREFLIGHT_FAILED, 422, "preflight_failed" },
	{ LIFECYCLE_ERR_ALREADY_DECIDED, 409, "already_decided" },
	{ LIFECYCLE_ERR_BAD_OUTCOME, 400, "bad_outcome" },
	{ LIFECYCLE_ERR_CASE_CLOSED, 409, "case_closed" },
	{ LIFECYCLE_ERR_RESOLVED, 409, "resolved" },
	{ LIFECYCLE_ERR_NOT_SNOOZED, 409, "not_snoozed" },
	{ LIFECYCLE_ERR_UNKNOWN_TYPE, 400, "unknown_type" },
	{ LIFECYCLE_ERR_BAD_NAME, 400, "bad_name" },
	{ LIFECYCLE_ERR_BAD_PRODUCTS, 400, "bad_products" },
	{ LIFECYCLE_ERR_BAD_ISSUER, 400, "bad_issuer" },
	{ LIFECYCLE_ERR_BAD_DATE, 400, "bad_date" },
	{ LIFECYCLE_ERR_BAD_CHAIN, 400, "bad_chain" },
	{ LIFECYCLE_ERR_CANNOT_RENAME, 400, "cannot_rename" },
	{ LIFECYCLE_ERR_BAD_DOCUMENT, 422, "bad_document" },
	{ LIFECYCLE_ERR_LOW_RESOLUTION, 422, "low_resolution" },
	{ LIFECYCLE_ERR_STORAGE, 500, "storage" },
	{ LIFECYCLE_ERR_DOCUMENT_IN_USE, 409, "document_in_use" },
	{ LIFECYCLE_ERR_DOC_NOT_COVERING, 409, "doc_not_covering" },
	{ LIFECYCLE_ERR_ALREADY_ATTACHED, 409, "already_attached" },
	{ LIFECYCLE_ERR_NOT_ATTACHED, 404, "not_attached" },
};

/* The one error shape of a refused verb; clears err. */
static void
reply_err(struct api_req *r, struct lifecycle_err *err)
{
	int status;
	json_t *doc;

	doc = api_err_json(err, &status);
	api_reply(r, status, doc);
}

/*
 * A lifecycle refusal as the API answers it, {"error": {"code",
 * "message", ...}}, with its HTTP status in *status; err is cleared.
 */
json_t *
api_err_json(struct lifecycle_err *err, int *status)
{
	const struct api_err_row *row = &api_err_rows[LIFECYCLE_ERR_STORE];
	json_t *doc;
	size_t i;

	for (i = 0; i < sizeof api_err_rows / sizeof api_err_rows[0]; i++) {
		if (api_err_rows[i].error == err->error) {
			row = &api_err_rows[i];
			break;
		}
	}
	/* Messages quote what clients sent: they must render as JSON. */
	text_scrub(err->message);
	doc = json_pack("{s:{s:s,s:s}}", "error", "code",
	    row->code != NULL ? row->code : err->refusal, "message",
	    err->message);
	if (row->status == 409 || err->forceable)
		json_object_set_new(json_object_get(doc, "error"), "forceable",
		    json_boolean(err->forceable));
	if (err->findings != NULL)
		json_object_set_new(json_object_get(doc, "error"), "findings",
		    api_findings_json(err->findings));
	if (err->case_ref != 0)
		json_object_set_new(json_object_get(doc, "error"), "case",
		    json_integer(err->case_ref));
	*status = row->status;
	lifecycle_err_clear(err);
	return (doc);
}

static void
reply_case(struct api_req *r, int status, int64_t id)
{
	json_t *doc;
	int st = 500;

	if ((doc = case_detail(id, &st)) == NULL) {
		api_error(r, st, st == 404 ? "not_found" : "store",
		    "case %lld %s", (long long)id,
		    st == 404 ? "not found" : "could not be read");
		return;
	}
	api_reply(r, status, doc);
}

/* Request checks: each answers 400 itself and returns -1. */
int
api_need_body(struct api_req *r)
{
	if (r->body == NULL) {
		api_error(r, 400, "missing_body",
		    "this request needs a JSON object body");
		return (-1);
	}
	return (0);
}

static int
unpack_fail(struct api_req *r, json_error_t *jerr)
{
	api_error(r, 400, "bad_request", "bad request body: %s", jerr->text);
	return (-1);
}

/*
 * Why pid cannot be a product ID of shop, as a sentence in buf (-1), or 0
 * when it can: the syntax the shop's source declares (delistd-plugin(3)),
 * else the generic one (digits, at most 20).
 */
int
api_product_id_bad(const char *shop, const char *pid, char *buf, size_t len)
{
	const struct delistd_source_info *si;
	const char *source = NULL;
	size_t i, n = strlen(pid);

	si = plugin_shop_source(daemon_state->config, shop, &source);
	if (si != NULL && si->id_chars != NULL) {
		if (plugin_id_ok(si, pid))
			return (0);
		snprintf(buf, len,
		    "product ID \"%.40s\" is not a product ID of shop %s "
		    "(source %s): %s%s%s",
		    pid, shop, source,
		    si->id_syntax ? si->id_syntax : "it has another syntax",
		    si->id_example ? ", like " : "",
		    si->id_example ? si->id_example : "");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)pid[i]))
			break;
	}
	if (n > 20 && i == n) {
		snprintf(buf, len,
		    "product ID \"%.40s\" has %zu digits; a product ID has "
		    "at most 20",
		    pid, n);
		return (-1);
	}
	if (n == 0 || i != n) {
		snprintf(buf, len,
		    "product ID \"%.40s\" is not a product ID: it is all "
		    "digits, like 1005001234567890",
		    pid);
		return (-1);
	}
	return (0);
}

/* The generic check, for IDs stored before a source declared its own. */
static int
check_product_id(struct api_req *r, const char *pid)
{
	char why[256];

	if (api_product_id_bad("", pid, why, sizeof why) == -1) {
		api_error(r, 400, "bad_product_id", "%s", why);
		return (-1);
	}
	return (0);
}

/* A product ID of shop that is to be stored: the shop's source's syntax. */
static int
check_shop_product_id(struct api_req *r, const char *shop, const char *pid)
{
	char why[256];

	if (api_product_id_bad(shop, pid, why, sizeof why) == -1) {
		api_error(
		    r, 400, "bad_product_id", "%s; nothing was stored", why);
		return (-1);
	}
	return (0);
}

static int
check_shop(struct api_req *r, const char *shop)
{
	const char *p;

	for (p = shop; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			break;
	}
	if (*shop == '\0' || *p != '\0' || p - shop > 64) {
		api_error(
		    r, 400, "bad_shop", "\"%.64s\" is not a shop name", shop);
		return (-1);
	}
	return (0);
}

static int
check_text(struct api_req *r, const char *what, const char *s, size_t max,
    int required)
{
	if (s == NULL) {
		if (!required)
			return (0);
		api_error(r, 400, "missing_field", "%s is required", what);
		return (-1);
	}
	if (*s == '\0' && required) {
		api_error(r, 400, "bad_field", "%s is empty", what);
		return (-1);
	}
	if (strlen(s) > max) {
		api_error(r, 400, "bad_field", "%s is longer than %zu bytes",
		    what, max);
		return (-1);
	}
	return (0);
}

/* "at" (default now): ISO 8601 with an offset, not in the future. */
static int
check_at(struct api_req *r, const char *s, time_t *at)
{
	time_t now = clock_now();
	char buf[ISOTIME_LEN];

	if (s == NULL) {
		*at = now;
		return (0);
	}
	if (isotime_parse(s, at) == -1) {
		api_error(r, 400, "bad_time",
		    "cannot read the time \"%.64s\": "
		    "write ISO 8601 with an offset, like "
		    "2026-10-08T10:00:00+08:00",
		    s);
		return (-1);
	}
	if (*at > now) {
		api_error(r, 400, "future_time",
		    "%s is in the future (now is "
		    "%s)",
		    s, isotime_format(now, buf, sizeof buf));
		return (-1);
	}
	/* A year typo would backdate a case and fire every alert at once. */
	if (*at < now - 366 * 86400) {
		api_error(r, 400, "bad_time",
		    "%s is more than a year ago: check the year (now is %s)", s,
		    isotime_format(now, buf, sizeof buf));
		return (-1);
	}
	return (0);
}

static int
path_id(struct api_req *r, size_t i, int64_t *id)
{
	const char *s = r->args[i];
	char *end;
	long long v;

	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v <= 0) {
		api_error(r, 404, "not_found", "no %s \"%.32s\"",
		    i == 0 ? "case" : "appeal", s);
		return (-1);
	}
	*id = v;
	return (0);
}

/* 1 (and the answer sent) if state is not NULL nor a listing's status. */
int
api_listing_state_bad(struct api_req *r, const char *state)
{
	static const char *const states[] = { "unknown", "on_sale", "delisted",
		"offline", "under_review", "failed_review", "not_found", NULL };
	size_t k;

	for (k = 0; state != NULL && states[k] != NULL; k++) {
		if (strcmp(state, states[k]) == 0)
			break;
	}
	if (state != NULL && states[k] == NULL) {
		api_error(r, 400, "bad_state",
		    "unknown listing state \"%.32s\" (one of: unknown, "
		    "on_sale, delisted, offline, under_review, "
		    "failed_review, not_found)",
		    state);
		return (1);
	}
	return (0);
}

void
api_listings_get(struct api_req *r)
{
	const char *state = api_query(r, "state"), *shop = api_query(r, "shop");
	struct st_listing *l;
	size_t n, i;
	json_t *arr;

	if (api_listing_state_bad(r, state))
		return;
	if (store_listings(daemon_state->store, shop, state, &l, &n) == -1) {
		api_error(r, 500, "store", "cannot read the listings");
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(arr, listing_json(&l[i]));
		st_listing_clear(&l[i]);
	}
	free(l);
	api_reply(r, 200, json_pack("{s:o}", "listings", arr));
}

static void
reply_listing(struct api_req *r, int status, const char *shop, const char *pid)
{
	struct st_listing l;

	if (store_listing_get(daemon_state->store, shop, pid, &l) != 0) {
		api_error(r, 500, "store", "cannot read the listing");
		return;
	}
	api_reply(r, status, listing_json(&l));
	st_listing_clear(&l);
}

void
api_listings_post(struct api_req *r)
{
	const char *shop, *pid, *title = NULL, *interval = NULL;
	const char **images = NULL;
	int64_t secs = 0;
	char *who, *cause = NULL;
	struct lifecycle_err err = { 0 };
	json_error_t jerr;
	json_t *jimg = NULL, *v;
	size_t i;
	int created;

	if (api_need_body(r) == -1)
		return;
	if (json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s:s,s:s,s?s,s?s,s?o}",
		"shop", &shop, "product_id", &pid, "title", &title, "interval",
		&interval, "images", &jimg) == -1) {
		unpack_fail(r, &jerr);
		return;
	}
	if (jimg != NULL &&
	    (!json_is_array(jimg) || json_array_size(jimg) > IMAGES_MAX)) {
		api_error(r, 400, "bad_field",
		    "images must be an array of at most %d image URLs",
		    IMAGES_MAX);
		return;
	}
	json_array_foreach (jimg, i, v) {
		if (!json_is_string(v)) {
			api_error(r, 400, "bad_field",
			    "images[%zu] must be a string (an image URL)", i);
			return;
		}
	}
	if (check_shop(r, shop) == -1 ||
	    check_shop_product_id(r, shop, pid) == -1 ||
	    check_text(r, "title", title, SHORT_MAX * 4, 0) == -1)
		return;
	if (interval != NULL) {
		if (duration_parse(interval, &secs, &cause) == -1) {
			api_error(
			    r, 400, "bad_interval", "interval: %s", cause);
			free(cause);
			return;
		}
		if (secs < 60) {
			api_error(r, 400, "bad_interval",
			    "interval \"%s\" is "
			    "shorter than a minute",
			    interval);
			return;
		}
	}
	if (jimg != NULL) {
		images = xcalloc(json_array_size(jimg) + 1, sizeof *images);
		json_array_foreach (jimg, i, v)
			images[i] = json_string_value(v);
	}
	who = actor(r);
	if (lifecycle_track(shop, pid, title, images, json_array_size(jimg),
		secs, who, &created, &err) == -1)
		reply_err(r, &err);
	else
		reply_listing(r, created ? 201 : 200, shop, pid);
	free(images);
	free(who);
}

void
api_listings_delete(struct api_req *r)
{
	struct lifecycle_err err = { 0 };
	char *who;

	if (check_shop(r, r->args[0]) == -1 ||
	    check_product_id(r, r->args[1]) == -1)
		return;
	who = actor(r);
	if (lifecycle_untrack(r->args[0], r->args[1], who, &err) == -1)
		reply_err(r, &err);
	else
		reply_listing(r, 200, r->args[0], r->args[1]);
	free(who);
}

void
api_cases_get(struct api_req *r)
{
	const char *state = api_query(r, "state"), *shop = api_query(r, "shop");
	const char *view;
	struct st_case *c;
	size_t n, i;
	json_t *arr;

	if (state != NULL && cases_state_from_name(state) == -1) {
		api_error(r, 400, "bad_state",
		    "unknown case state \"%.32s\" "
		    "(one of: open, rectifying, appealed, approved, "
		    "reinstated, synced, manual_review, abandoned, closed)",
		    state);
		return;
	}
	if ((view = api_query(r, "view")) != NULL) {
		if (strcmp(view, "board") != 0) {
			api_error(r, 400, "bad_view",
			    "unknown view \"%.32s\" (only: board)", view);
			return;
		}
		cases_board(r);
		return;
	}
	if (store_cases(daemon_state->store, shop, state, &c, &n) == -1) {
		api_error(r, 500, "store", "cannot read the cases");
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		json_array_append_new(arr, case_summary_json(&c[i]));
		st_case_clear(&c[i]);
	}
	free(c);
	api_reply(r, 200, json_pack("{s:o}", "cases", arr));
}

#define BOARD_PAGE 25
#define BOARD_PAGE_MAX 500

/* A query flag: absent or "0" is off, "1" on; else -1 (answered). */
static int
query_flag(struct api_req *r, const char *key, int *out)
{
	const char *s = api_query(r, key);

	*out = s != NULL && strcmp(s, "1") == 0;
	if (s == NULL || strcmp(s, "0") == 0 || *out)
		return (0);
	api_error(r, 400, "bad_query", "%s must be 0 or 1", key);
	return (-1);
}

/*
 * GET /v1/cases?view=board: the console's Board computed here, so that a
 * page costs the same with ten cases or ten thousand: the open cases
 * that match shop, state, reason, assignee ("-": nobody), mine=1 (the
 * session's user) and overdue=1, nearest deadline first, limit (25, at
 * most 500) from offset; how many match; the counts over every open case
 * (open, overdue, mine, not acknowledged) and the values each filter can
 * take.
 */
static void
cases_board(struct api_req *r)
{
	struct st_board_query q;
	struct st_board b;
	struct st_case c;
	json_t *arr, *facets, *list;
	size_t i;

	memset(&q, 0, sizeof q);
	q.now = clock_now();
	q.shop = api_query(r, "shop");
	q.state = api_query(r, "state");
	q.reason = api_query(r, "reason");
	q.assignee = api_query(r, "assignee");
	if (r->who != NULL && strncmp(r->who, "web:", 4) == 0)
		q.me = r->who + 4;
	if (query_int(r, "limit", &q.limit) == -1 ||
	    query_int(r, "offset", &q.offset) == -1 ||
	    query_flag(r, "mine", &q.mine) == -1 ||
	    query_flag(r, "overdue", &q.overdue) == -1)
		return;
	if (api_query(r, "limit") == NULL)
		q.limit = BOARD_PAGE;
	if (q.limit < 1 || q.limit > BOARD_PAGE_MAX) {
		api_error(r, 400, "bad_query", "limit must be 1 to %d",
		    BOARD_PAGE_MAX);
		return;
	}
	if (q.mine && q.me == NULL) {
		api_error(r, 400, "bad_query",
		    "mine=1 needs a console session (on the socket, name the "
		    "assignee)");
		return;
	}
	if (store_board(daemon_state->store, &q, &b) == -1) {
		api_error(r, 500, "store", "cannot read the cases");
		return;
	}
	arr = json_array();
	for (i = 0; i < b.nids; i++) {
		if (store_case_get(daemon_state->store, b.ids[i], &c) != 0)
			continue;
		json_array_append_new(arr, case_summary_json(&c));
		st_case_clear(&c);
	}
	facets = json_pack(
	    "{s:[],s:[],s:[],s:[]}", "shop", "state", "reason", "assignee");
	for (i = 0; i < b.nfacets; i++) {
		if ((list = json_object_get(facets, b.facets[i].kind)) !=
			NULL &&
		    b.facets[i].value != NULL)
			json_array_append_new(
			    list, json_string(b.facets[i].value));
	}
	api_reply(r, 200,
	    json_pack("{s:o,s:I,s:I,s:I,s:{s:I,s:I,s:I,s:I},s:o}", "cases", arr,
		"total", (json_int_t)b.total, "limit", (json_int_t)q.limit,
		"offset", (json_int_t)q.offset, "counts", "open",
		(json_int_t)b.open, "overdue", (json_int_t)b.overdue, "mine",
		(json_int_t)b.mine, "unacknowledged", (json_int_t)b.unack,
		"facets", facets));
	st_board_clear(&b);
}

void
api_cases_post(struct api_req *r)
{
	const char *shop, *pid, *reason, *rule = NULL, *ats = NULL;
	struct lifecycle_err err = { 0 };
	json_error_t jerr;
	int64_t id;
	time_t at;
	char *who;

	if (api_need_body(r) == -1)
		return;
	if (json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s:s,s:s,s:s,s?s,s?s}",
		"shop", &shop, "product_id", &pid, "reason", &reason, "rule",
		&rule, "at", &ats) == -1) {
		unpack_fail(r, &jerr);
		return;
	}
	if (check_shop(r, shop) == -1 ||
	    check_shop_product_id(r, shop, pid) == -1 ||
	    check_text(r, "rule", rule, TEXT_MAX, 0) == -1 ||
	    check_at(r, ats, &at) == -1)
		return;
	if (!cases_reason_valid(reason)) {
		api_error(r, 400, "unknown_reason",
		    "unknown reason \"%.64s\" "
		    "(one of: %s)",
		    reason, cases_reason_list());
		return;
	}
	who = actor(r);
	if (lifecycle_open(shop, pid, reason, rule, at, who, &id, &err) == -1)
		reply_err(r, &err);
	else
		reply_case(r, 201, id);
	free(who);
}

void
api_case_get(struct api_req *r)
{
	int64_t id;

	if (path_id(r, 0, &id) == 0)
		reply_case(r, 200, id);
}

void
api_case_note(struct api_req *r)
{
	const char *text, *field = NULL, *before = NULL, *after = NULL;
	const char *ats = NULL;
	struct lifecycle_err err = { 0 };
	json_error_t jerr;
	int64_t id;
	time_t at;
	char *who;

	if (path_id(r, 0, &id) == -1 || api_need_body(r) == -1)
		return;
	if (json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s:s,s?s,s?s,s?s,s?s}",
		"text", &text, "field", &field, "before", &before, "after",
		&after, "at", &ats) == -1) {
		unpack_fail(r, &jerr);
		return;
	}
	if (check_text(r, "text", text, TEXT_MAX, 1) == -1 ||
	    check_text(r, "field", field, SHORT_MAX, 0) == -1 ||
	    check_text(r, "before", before, TEXT_MAX, 0) == -1 ||
	    check_text(r, "after", after, TEXT_MAX, 0) == -1 ||
	    check_at(r, ats, &at) == -1)
		return;
	who = actor(r);
	if (lifecycle_note(id, text, field, before, after, at, who, &err) == -1)
		reply_err(r, &err);
	else
		reply_case(r, 201, id);
	free(who);
}

static int
is_sha256(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return (0);
	}
	return (s[64] == '\0');
}

void
api_case_appeal(struct api_req *r)
{
	const char *pcid, *statement, *ats = NULL;
	struct preflight_findings *found = NULL;
	json_t *jmat = NULL, *m, *doc;
	struct st_material *mat = NULL;
	struct lifecycle_err err = { 0 };
	json_error_t jerr;
	int force = 0, status = 500;
	size_t nmat = 0, i, k;
	char(*low)[65] = NULL;
	json_int_t size;
	int64_t id;
	time_t at;
	char *who;

	if (path_id(r, 0, &id) == -1 || api_need_body(r) == -1)
		return;
	if (json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s:s,s:s,s?o,s?s,s?b}",
		"platform_case_id", &pcid, "statement", &statement, "materials",
		&jmat, "at", &ats, "force", &force) == -1) {
		unpack_fail(r, &jerr);
		return;
	}
	if (check_text(r, "platform_case_id", pcid, 64, 1) == -1 ||
	    check_text(r, "statement", statement, STATEMENT_MAX, 1) == -1 ||
	    check_at(r, ats, &at) == -1)
		return;
	if (jmat != NULL && !json_is_array(jmat)) {
		api_error(r, 400, "bad_field", "materials must be an array");
		return;
	}
	nmat = jmat ? json_array_size(jmat) : 0;
	if (nmat > 100) {
		api_error(r, 400, "bad_field", "at most 100 materials");
		return;
	}
	mat = xcalloc(nmat + 1, sizeof *mat);
	low = xcalloc(nmat + 1, sizeof *low);
	json_array_foreach (jmat, i, m) {
		if (json_unpack_ex(m, &jerr, JSON_STRICT, "{s:s,s:s,s:s,s:I}",
			"name", &mat[i].name, "type", &mat[i].type, "sha256",
			&mat[i].sha256, "size", &size) == -1) {
			api_error(r, 400, "bad_field", "materials[%zu]: %s", i,
			    jerr.text);
			goto out;
		}
		mat[i].size = size;
		if (!cases_doc_type_valid(mat[i].type)) {
			api_error(r, 400, "bad_field",
			    "materials[%zu]: unknown "
			    "type \"%.32s\" (one of: %s)",
			    i, mat[i].type, cases_doc_type_list());
			goto out;
		}
		if (!is_sha256(mat[i].sha256) || size < 0 ||
		    check_text(
			r, "materials name", mat[i].name, SHORT_MAX, 1) == -1) {
			if (!r->replied)
				api_error(r, 400, "bad_field",
				    "materials[%zu]: "
				    "sha256 must be 64 hex digits and size "
				    "a count of bytes",
				    i);
			goto out;
		}
		/* Stored in lower case, as the vault keeps hashes. */
		for (k = 0; k < 64; k++)
			low[i][k] =
			    (char)tolower((unsigned char)mat[i].sha256[k]);
		mat[i].sha256 = low[i];
	}
	who = actor(r);
	if (lifecycle_appeal(id, pcid, statement, mat, nmat, at, force, who,
		&found, &err) == -1)
		reply_err(r, &err);
	else if ((doc = case_detail(id, &status)) == NULL)
		api_error(r, status, "store", "case %lld could not be read",
		    (long long)id);
	else {
		json_object_set_new(doc, "preflight", api_findings_json(found));
		api_reply(r, 201, doc);
	}
	preflight_findings_free(found);
	free(who);
out:
	free(low);
	free(mat);
}

void
api_case_decision(struct api_req *r)
{
	const char *decision, *reason = NULL, *ats = NULL;
	struct lifecycle_err err = { 0 };
	json_error_t jerr;
	int64_t id, n;
	time_t at;
	char *who;

	if (path_id(r, 0, &id) == -1 || path_id(r, 1, &n) == -1)
		return;
	if (n > INT_MAX) {
		api_error(r, 404, "not_found", "case %lld has no appeal %lld",
		    (long long)id, (long long)n);
		return;
	}
	if (api_need_body(r) == -1)
		return;
	if (json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s:s,s?s,s?s}",
		"decision", &decision, "reason", &reason, "at", &ats) == -1) {
		unpack_fail(r, &jerr);
		return;
	}
	if (strcmp(decision, "approved") != 0 &&
	    strcmp(decision, "rejected") != 0) {
		api_error(r, 400, "bad_field",
		    "decision must be \"approved\" "
		    "or \"rejected\"");
		return;
	}
	if (strcmp(decision, "rejected") == 0 &&
	    check_text(r, "reason (the platform's rejection reason)", reason,
		TEXT_MAX, 1) == -1)
		return;
	if (check_text(r, "reason", reason, TEXT_MAX, 0) == -1 ||
	    check_at(r, ats, &at) == -1)
		return;
	who = actor(r);
	if (lifecycle_decide(id, (int)n, strcmp(decision, "approved") == 0,
		reason, at, who, &err) == -1)
		reply_err(r, &err);
	else
		reply_case(r, 200, id);
	free(who);
}

void
api_case_reinstated(struct api_req *r)
{
	const char *ats = NULL;
	struct lifecycle_err err = { 0 };
	json_error_t jerr;
	int64_t id;
	time_t at;
	char *who;

	if (path_id(r, 0, &id) == -1)
		return;
	if (r->body != NULL &&
	    json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s?s}", "at", &ats) ==
		-1) {
		unpack_fail(r, &jerr);
		return;
	}
	if (check_at(r, ats, &at) == -1)
		return;
	who = actor(r);
	if (lifecycle_reinstate(id, at, who, &err) == -1)
		reply_err(r, &err);
	else
		reply_case(r, 200, id);
	free(who);
}

/* A TRO's outcome ends its case: {"outcome","note","at"?}. */
void
api_case_close(struct api_req *r)
{
	const char *outcome, *note, *ats = NULL;
	struct lifecycle_err err = { 0 };
	json_error_t jerr;
	int64_t id;
	time_t at;
	char *who;

	if (path_id(r, 0, &id) == -1 || api_need_body(r) == -1)
		return;
	if (json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s:s,s:s,s?s}",
		"outcome", &outcome, "note", &note, "at", &ats) == -1) {
		unpack_fail(r, &jerr);
		return;
	}
	if (cases_outcome_from_name(outcome) == -1) {
		api_error(r, 400, "bad_outcome",
		    "unknown outcome \"%.32s\" (one of: %s)", outcome,
		    cases_outcome_list());
		return;
	}
	if (check_text(r, "note", note, TEXT_MAX, 1) == -1 ||
	    check_at(r, ats, &at) == -1)
		return;
	who = actor(r);
	if (lifecycle_close(id, outcome, note, at, who, &err) == -1)
		reply_err(r, &err);
	else
		reply_case(r, 200, id);
	free(who);
}

/* case abandon's body, {"relisted_as"?, "at"?}, for one case or many. */
int
api_abandon_args(struct api_req *r, json_t *body, struct api_case_args *a)
{
	const char *ats = NULL;
	json_error_t jerr;

	a->relisted = NULL;
	a->reason = NULL;
	if (body != NULL &&
	    json_unpack_ex(body, &jerr, JSON_STRICT, "{s?s,s?s,s?s}",
		"relisted_as", &a->relisted, "reason", &a->reason, "at",
		&ats) == -1) {
		unpack_fail(r, &jerr);
		return (-1);
	}
	if ((a->relisted != NULL && check_product_id(r, a->relisted) == -1) ||
	    check_text(r, "reason", a->reason, TEXT_MAX, 0) == -1 ||
	    check_at(r, ats, &a->at) == -1)
		return (-1);
	if (a->reason != NULL && *a->reason == '\0')
		a->reason = NULL; /* an empty reason is none */
	return (0);
}

int
api_abandon_apply(int64_t id, const struct api_case_args *a, const char *who,
    struct lifecycle_err *err)
{
	return (lifecycle_abandon(id, a->relisted, a->reason, a->at, who, err));
}

void
api_case_abandon(struct api_req *r)
{
	struct api_case_args args = { 0 };
	struct lifecycle_err err = { 0 };
	int64_t id;
	char *who;

	if (path_id(r, 0, &id) == -1 ||
	    api_abandon_args(r, r->body, &args) == -1)
		return;
	who = actor(r);
	if (api_abandon_apply(id, &args, who, &err) == -1)
		reply_err(r, &err);
	else
		reply_case(r, 200, id);
	free(who);
}

static int
query_int(struct api_req *r, const char *key, int64_t *out)
{
	const char *s = api_query(r, key);
	char *end;
	long long v;

	*out = 0;
	if (s == NULL)
		return (0);
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 0) {
		api_error(
		    r, 400, "bad_query", "%s must be a whole number", key);
		return (-1);
	}
	*out = v;
	return (0);
}

void
api_case_events(struct api_req *r)
{
	struct st_case c;
	struct st_event *ev;
	size_t n;
	int64_t id;
	int rc;

	if (path_id(r, 0, &id) == -1)
		return;
	if ((rc = store_case_get(daemon_state->store, id, &c)) != 0) {
		api_error(r, rc == 1 ? 404 : 500,
		    rc == 1 ? "not_found" : "store", "case %lld %s",
		    (long long)id, rc == 1 ? "not found" : "could not be read");
		return;
	}
	st_case_clear(&c);
	if (store_events(daemon_state->store, id, 0, 0, &ev, &n) == -1) {
		api_error(r, 500, "store", "cannot read the events");
		return;
	}
	api_reply(r, 200, json_pack("{s:o}", "events", events_json(ev, n)));
	st_events_free(ev, n);
}

/* Bytes written to the follower that its peer has not taken yet. */
static size_t
follower_waiting(const struct follower *f)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(f->evcon);

	return (
	    bev != NULL ? evbuffer_get_length(bufferevent_get_output(bev)) : 0);
}

/* Writes buf (and empties it); follower_drained runs once it is taken. */
static void
follower_write(struct follower *f, struct evbuffer *buf)
{
	evhttp_send_reply_chunk_with_cb(f->req, buf, follower_drained, NULL);
}

static void
follower_send(struct follower *f, const struct st_event *e)
{
	struct evbuffer *buf;
	json_t *doc;
	char *text;

	doc = event_json(e);
	text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(doc);
	buf = evbuffer_new();
	evbuffer_add_printf(buf, "%s\n", text);
	free(text);
	follower_write(f, buf);
	evbuffer_free(buf);
	f->last_id = e->id;
}

/* Feeds a follower from the store until it has enough waiting, or is live. */
static void
follower_fill(struct follower *f)
{
	struct st_event *ev;
	size_t n, i;

	while (f->catching_up && follower_waiting(f) < FOLLOW_HIGH) {
		if (store_events(daemon_state->store, f->case_id, f->last_id,
			FOLLOW_PAGE, &ev, &n) == -1)
			return; /* tried again when what waits is taken */
		for (i = 0; i < n; i++)
			follower_send(f, &ev[i]);
		st_events_free(ev, n);
		if (n < FOLLOW_PAGE)
			f->catching_up = 0;
	}
}

static void
follower_drained(struct evhttp_connection *evcon, void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < nfollowers; i++) {
		if (followers[i].evcon == evcon) {
			followers[i].stalls = 0;
			follower_fill(&followers[i]);
			return;
		}
	}
}

/*
 * Ends follower i's stream with a line saying why; a peer that does not
 * read it is cut off after client_timeout (the connection's timeouts).
 */
static void
follower_drop(size_t i, const char *why)
{
	struct follower f = followers[i];
	struct evbuffer *buf;
	json_t *doc;
	char *text;

	log_info("api: dropping an event follower: %s", why);
	followers[i] = followers[--nfollowers];
	doc = json_pack("{s:{s:s,s:s}}", "error", "code", "follower_dropped",
	    "message", why);
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	buf = evbuffer_new();
	evbuffer_add_printf(buf, "%s\n", text);
	free(text);
	evhttp_send_reply_chunk(f.req, buf);
	evbuffer_free(buf);
	evhttp_connection_set_timeout(
	    f.evcon, (int)daemon_state->config->client_timeout);
	evhttp_send_reply_end(f.req);
}

/* Every follow_heartbeat: a keep-alive line, and the stalled dropped. */
static void
follower_beat(evutil_socket_t fd, short events, void *arg)
{
	struct timeval tv = { (time_t)daemon_state->config->follow_heartbeat,
		0 };
	struct evbuffer *buf;
	size_t i;

	(void)fd;
	(void)events;
	(void)arg;
	for (i = nfollowers; i-- > 0;) {
		if (follower_waiting(&followers[i]) == 0) {
			followers[i].stalls = 0;
			if (followers[i].catching_up)
				continue;
			buf = evbuffer_new();
			evbuffer_add(buf, "\n", 1);
			follower_write(&followers[i], buf);
			evbuffer_free(buf);
		} else if (++followers[i].stalls >= FOLLOW_STALLS)
			follower_drop(i,
			    "it took none of the events waiting for it "
			    "for two heartbeats (daemon.follow_heartbeat)");
	}
	if (nfollowers > 0)
		evtimer_add(&follow_beat_ev, &tv);
}

void
api_events_get(struct api_req *r)
{
	int64_t case_id, after, limit;
	const char *follow = api_query(r, "follow");
	const struct config *conf = daemon_state->config;
	struct timeval tv = { (time_t)conf->follow_heartbeat, 0 };
	struct st_event *ev;
	struct follower *f;
	size_t n;

	if (query_int(r, "case", &case_id) == -1 ||
	    query_int(r, "after", &after) == -1 ||
	    query_int(r, "limit", &limit) == -1)
		return;
	if (follow == NULL || strcmp(follow, "0") == 0) {
		if (store_events(daemon_state->store, case_id, after, limit,
			&ev, &n) == -1) {
			api_error(r, 500, "store", "cannot read the events");
			return;
		}
		api_reply(
		    r, 200, json_pack("{s:o}", "events", events_json(ev, n)));
		st_events_free(ev, n);
		return;
	}
	if (nfollowers >= (size_t)conf->max_followers) {
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Connection", "close");
		api_error(r, 503, "too_many_followers",
		    "%zu event followers are connected, the most "
		    "daemon.max_followers allows; try again later",
		    nfollowers);
		return;
	}
	/* The stream ends with the connection. */
	evhttp_add_header(
	    evhttp_request_get_output_headers(r->req), "Connection", "close");
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Content-Type", "application/x-ndjson");
	evhttp_send_reply_start(r->req, 200, "OK");
	r->deferred = 1;
	api_conn_stream(r);
	followers = xreallocarray(followers, nfollowers + 1, sizeof *followers);
	f = &followers[nfollowers++];
	memset(f, 0, sizeof *f);
	f->req = r->req;
	f->evcon = evhttp_request_get_connection(r->req);
	f->case_id = case_id;
	/* Its peer sends nothing more: the heartbeat notices a dead one. */
	evhttp_connection_set_timeout(f->evcon, 7 * 86400);
	if (!event_initialized(&follow_beat_ev))
		evtimer_assign(
		    &follow_beat_ev, daemon_state->base, follower_beat, NULL);
	if (!evtimer_pending(&follow_beat_ev, NULL))
		evtimer_add(&follow_beat_ev, &tv);
	if (api_query(r, "after") == NULL) {
		f->last_id = store_event_last(daemon_state->store);
		return;
	}
	f->last_id = after;
	f->catching_up = 1;
	follower_fill(f);
}

/*
 * A committed event goes to every follower whose filter it matches; one
 * with too much waiting reads it from the store later instead.
 */
void
api_events_publish(const struct st_event *e)
{
	struct follower *f;
	size_t i;

	for (i = 0; i < nfollowers; i++) {
		f = &followers[i];
		if (f->catching_up || e->id <= f->last_id ||
		    (f->case_id != 0 && f->case_id != e->case_id))
			continue;
		if (follower_waiting(f) >= FOLLOW_HIGH) {
			f->catching_up = 1;
			continue;
		}
		follower_send(f, e);
	}
}

/* At shutdown: each stream is ended properly, so its request is freed. */
void
api_events_stop(void)
{
	while (nfollowers > 0) {
		struct evhttp_request *req = followers[nfollowers - 1].req;

		nfollowers--;
		evhttp_send_reply_end(req);
	}
	free(followers);
	followers = NULL;
	if (event_initialized(&follow_beat_ev))
		evtimer_del(&follow_beat_ev);
}

void
api_events_conn_closed(void *evcon)
{
	size_t i;

	for (i = 0; i < nfollowers; i++) {
		if (followers[i].evcon == evcon) {
			/*
			 * A client that went away mid-stream leaves its
			 * request to us (libevent detached it): end it so
			 * that it is freed. One still attached is freed
			 * with its connection.
			 */
			if (evhttp_request_get_connection(followers[i].req) ==
			    NULL)
				evhttp_send_reply_end(followers[i].req);
			followers[i] = followers[--nfollowers];
			i--;
		}
	}
	if (nfollowers == 0) {
		free(followers);
		followers = NULL;
	}
}

/* Beside every time "x_at" (or "at"), "x_at_local": the shop's zone. */
static void
add_local_times(json_t *j, const struct calendar *cal)
{
	const char *key;
	json_t *v, *locals;
	size_t i;
	time_t t;
	char buf[CALENDAR_FORMAT_LEN], *name;
	size_t len;

	if (json_is_array(j)) {
		json_array_foreach (j, i, v)
			add_local_times(v, cal);
		return;
	}
	if (!json_is_object(j))
		return;
	locals = json_object();
	json_object_foreach (j, key, v) {
		len = strlen(key);
		if (json_is_string(v) &&
		    (strcmp(key, "at") == 0 ||
			(len > 3 && strcmp(key + len - 3, "_at") == 0)) &&
		    isotime_parse(json_string_value(v), &t) == 0 &&
		    calendar_format_local(cal, t, buf, sizeof buf) == 0) {
			xasprintf(&name, "%s_local", key);
			json_object_set_new(locals, name, json_string(buf));
			free(name);
		} else
			add_local_times(v, cal);
	}
	json_object_update(j, locals);
	json_decref(locals);
}

void
api_case_export(struct api_req *r)
{
	const char *format = api_query(r, "format");
	struct evbuffer *buf;
	json_t *doc;
	int64_t id;
	int status = 500;
	char *md, now[ISOTIME_LEN];
	const char *shop;

	if (path_id(r, 0, &id) == -1)
		return;
	if (format != NULL && strcmp(format, "md") != 0 &&
	    strcmp(format, "json") != 0) {
		api_error(r, 400, "bad_format", "format must be md or json");
		return;
	}
	if ((doc = case_detail(id, &status)) == NULL) {
		api_error(r, status, status == 404 ? "not_found" : "store",
		    "case %lld %s", (long long)id,
		    status == 404 ? "not found" : "could not be read");
		return;
	}
	shop = json_string_value(json_object_get(doc, "shop"));
	if (format != NULL && strcmp(format, "json") == 0) {
		add_local_times(
		    doc, config_shop_calendar(daemon_state->config, shop));
		api_reply(r, 200,
		    json_pack("{s:o,s:s,s:O}", "case", doc, "generated_at",
			isotime_format(clock_now(), now, sizeof now),
			"timezone", json_object_get(doc, "timezone")));
		return;
	}
	md = export_markdown(
	    doc, config_shop_calendar(daemon_state->config, shop));
	json_decref(doc);
	buf = evbuffer_new();
	evbuffer_add(buf, md, strlen(md));
	free(md);
	api_send_text(r, 200, "text/markdown; charset=utf-8", buf);
	evbuffer_free(buf);
}

/* The checks and answers above, for the other handler files. */
int
api_path_id(struct api_req *r, size_t i, int64_t *id)
{
	return (path_id(r, i, id));
}

int
api_check_listing(struct api_req *r, const char *shop, const char *pid)
{
	return (check_shop(r, shop) == -1 || check_product_id(r, pid) == -1
		? -1
		: 0);
}

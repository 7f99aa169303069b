/* SPDX-License-Identifier: ISC */
/*
 * api-bulk.c: the control API's bulk requests (shapes in api.h).
 *
 * POST /v1/cases/bulk runs one case verb (ack, assign, abandon, classify)
 * on many cases, named by "ids" or selected by a "filter"; POST
 * /v1/listings/untrack untracks many listings the same way. Each checks
 * the verb's body once (the single route's api_*_args), then runs the
 * lifecycle verb for every item inside one transaction
 * (lifecycle_bulk_begin): a refused item (an unknown ID, a closed case)
 * or "dry_run" rolls the whole of it back, so that a request changes all
 * or nothing, and every item that changed has its own event in the trail.
 * The answer lists the items, what each became or why it was refused.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "cases.h"
#include "lifecycle.h"

/* Items of one request, and how many refusals its error message names. */
#define BULK_MAX 100000
#define BULK_NAMED 5

typedef int (*bulk_args_fn)(struct api_req *, json_t *, struct api_case_args *);
typedef int (*bulk_apply_fn)(int64_t, const struct api_case_args *,
    const char *, struct lifecycle_err *);

/* The case verbs a bulk request may run, with their single route's parts. */
static const struct {
	const char *verb;
	bulk_args_fn args;
	bulk_apply_fn apply;
} bulk_verbs[] = {
	{ "ack", api_ack_args, api_ack_apply },
	{ "assign", api_assign_args, api_assign_apply },
	{ "abandon", api_abandon_args, api_abandon_apply },
	{ "classify", api_classify_args, api_classify_apply },
};

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static int
bulk_filter(struct api_req *, json_t *, int, struct lifecycle_filter *);
/* What a bulk request's items came to. */
struct bulk_run {
	json_t *items;
	json_t *code; /* the first refusal's */
	char *names; /* what the refusal's message names */
	size_t nbad;
	int status; /* the first refusal's */
};

static void bulk_fail(struct bulk_run *, struct lifecycle_err *, json_t *);
static void
bulk_finish(struct api_req *, const char *, int, size_t, struct bulk_run *);

/*
 * The "filter" object into f: shop, state, reason, imported_at and
 * older_than (a duration). A filter must select something: one that is
 * empty would be every case. listings: state is a listing's status.
 */
static int
bulk_filter(
    struct api_req *r, json_t *obj, int listings, struct lifecycle_filter *f)
{
	const char *older = NULL;
	char *cause = NULL;
	json_error_t jerr;

	memset(f, 0, sizeof *f);
	if (json_unpack_ex(obj, &jerr, JSON_STRICT, "{s?s,s?s,s?s,s?s,s?s}",
		"shop", &f->shop, "state", &f->state, "reason", &f->reason,
		"imported_at", &f->imported_at, "older_than", &older) == -1) {
		api_error(r, 400, "bad_request", "bad filter: %s", jerr.text);
		return (-1);
	}
	if (f->shop == NULL && f->state == NULL && f->reason == NULL &&
	    f->imported_at == NULL && older == NULL) {
		api_error(r, 400, "bad_filter",
		    "the filter is empty: give shop, state, reason, "
		    "imported_at or older_than");
		return (-1);
	}
	if (listings
		? api_listing_state_bad(r, f->state)
		: (f->state != NULL && cases_state_from_name(f->state) == -1)) {
		if (!listings)
			api_error(r, 400, "bad_state",
			    "unknown case state \"%.32s\"", f->state);
		return (-1);
	}
	if (f->reason != NULL && !cases_reason_valid(f->reason)) {
		api_error(r, 400, "unknown_reason",
		    "unknown reason \"%.64s\" (one of: %s)", f->reason,
		    cases_reason_list());
		return (-1);
	}
	if (older != NULL &&
	    (duration_parse(older, &f->older_than, &cause) == -1 ||
		f->older_than <= 0)) {
		api_error(r, 400, "bad_field", "older_than: %s",
		    cause != NULL ? cause : "no time at all");
		free(cause);
		return (-1);
	}
	return (0);
}

/*
 * A refused item: err's JSON with the members of ident (what it is). The
 * first refusal gives the answer's status and code; the error message
 * names the first BULK_NAMED.
 */
static void
bulk_fail(struct bulk_run *b, struct lifecycle_err *err, json_t *ident)
{
	json_t *item;
	const char *msg;
	char *s;
	int st;

	item = api_err_json(err, &st);
	json_object_update(item, ident);
	json_decref(ident);
	if (b->code == NULL) {
		b->status = st;
		b->code = json_incref(
		    json_object_get(json_object_get(item, "error"), "code"));
	}
	msg = json_string_value(
	    json_object_get(json_object_get(item, "error"), "message"));
	if (b->nbad < BULK_NAMED) {
		xasprintf(&s, "%s%s%s", b->names != NULL ? b->names : "",
		    b->names != NULL ? "; " : "",
		    msg != NULL ? msg : "refused");
		free(b->names);
		b->names = s;
	}
	b->nbad++;
	json_array_append_new(b->items, item);
}

/*
 * Ends the transaction (kept when it was no dry run and nothing was
 * refused) and answers: 200 with every item when it was kept or was a dry
 * run; else the first refusal's status, naming the refused.
 */
static void
bulk_finish(
    struct api_req *r, const char *verb, int dry, size_t n, struct bulk_run *b)
{
	struct lifecycle_err err = { 0 };
	json_t *doc;
	char *msg;

	if (lifecycle_bulk_end(!dry && b->nbad == 0, &err) == -1) {
		json_decref(b->items);
		json_decref(b->code);
		free(b->names);
		api_reply_err(r, &err);
		return;
	}
	if (b->nbad == 0 || dry) {
		doc = json_pack("{s:s,s:b,s:I,s:I,s:I,s:o}", "verb", verb,
		    "dry_run", dry, "matched", (json_int_t)n, "changed",
		    (json_int_t)(dry ? 0 : n), "refused", (json_int_t)b->nbad,
		    "items", b->items);
		api_reply(r, 200, doc);
		json_decref(b->code);
		free(b->names);
		return;
	}
	xasprintf(&msg, "nothing was changed: %zu of %zu refused: %s%s",
	    b->nbad, n, b->names, b->nbad > BULK_NAMED ? "; ..." : "");
	doc = json_pack("{s:{s:o,s:s,s:o}}", "error", "code", b->code,
	    "message", msg, "items", b->items);
	api_reply(r, b->status, doc);
	free(msg);
	free(b->names);
}

void
api_cases_bulk(struct api_req *r)
{
	struct lifecycle_filter f;
	struct lifecycle_err err = { 0 };
	struct api_case_args args;
	const char *verb;
	struct bulk_run b;
	json_t *ids = NULL, *filter = NULL, *body = NULL, *v;
	json_error_t jerr;
	int64_t *sel = NULL;
	struct st_case c;
	size_t n = 0, i, k;
	char *who, *was;
	int dry = 0;

	if (r->body == NULL ||
	    json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s:s,s?o,s?o,s?o,s?b}",
		"verb", &verb, "ids", &ids, "filter", &filter, "args", &body,
		"dry_run", &dry) == -1) {
		api_error(r, 400, "bad_request",
		    "the body is {\"verb\", \"ids\" | \"filter\", \"args\"?, "
		    "\"dry_run\"?}");
		return;
	}
	for (k = 0; k < nitems(bulk_verbs); k++) {
		if (strcmp(verb, bulk_verbs[k].verb) == 0)
			break;
	}
	if (k == nitems(bulk_verbs)) {
		api_error(r, 400, "bad_verb",
		    "\"%.32s\" is not a bulk verb (ack, assign, abandon, "
		    "classify)",
		    verb);
		return;
	}
	if ((ids == NULL) == (filter == NULL) ||
	    (ids != NULL &&
		(!json_is_array(ids) || json_array_size(ids) == 0 ||
		    json_array_size(ids) > BULK_MAX)) ||
	    (filter != NULL && !json_is_object(filter))) {
		api_error(r, 400, "bad_request",
		    "give either \"ids\" (1 to %d case IDs) or a \"filter\"",
		    BULK_MAX);
		return;
	}
	memset(&args, 0, sizeof args);
	if (bulk_verbs[k].args(r, body, &args) == -1)
		return;
	if (args.relisted != NULL) {
		api_error(r, 400, "bad_field",
		    "relisted_as names one new product: abandon one case "
		    "with it");
		return;
	}
	if (ids != NULL) {
		sel = xcalloc(json_array_size(ids), sizeof *sel);
		json_array_foreach (ids, i, v) {
			if (!json_is_integer(v) || json_integer_value(v) <= 0) {
				api_error(r, 400, "bad_request",
				    "ids: item %zu is not a case ID", i + 1);
				free(sel);
				return;
			}
			sel[n++] = json_integer_value(v);
		}
	} else if (bulk_filter(r, filter, 0, &f) == -1)
		return;
	else if (lifecycle_filter_cases(&f, &sel, &n, &err) == -1) {
		api_reply_err(r, &err);
		return;
	}
	if (lifecycle_bulk_begin(&err) == -1) {
		free(sel);
		api_reply_err(r, &err);
		return;
	}
	who = api_actor(r);
	memset(&b, 0, sizeof b);
	b.items = json_array();
	for (i = 0; i < n; i++) {
		was = NULL;
		if (store_case_get(daemon_state->store, sel[i], &c) == 0) {
			was = xstrdup(c.state);
			st_case_clear(&c);
		}
		if (bulk_verbs[k].apply(sel[i], &args, who, &err) == -1)
			bulk_fail(&b, &err,
			    json_pack("{s:I}", "id", (json_int_t)sel[i]));
		else if (store_case_get(daemon_state->store, sel[i], &c) == 0) {
			json_array_append_new(b.items,
			    json_pack("{s:I,s:s,s:s,s:o,s:s}", "id",
				(json_int_t)c.id, "shop", c.shop, "product_id",
				c.product_id, "was",
				was != NULL ? json_string(was) : json_null(),
				"state", c.state));
			st_case_clear(&c);
		}
		free(was);
	}
	free(who);
	free(sel);
	bulk_finish(r, verb, dry, n, &b);
}

void
api_listings_untrack(struct api_req *r)
{
	struct lifecycle_filter f;
	struct lifecycle_err err = { 0 };
	struct st_listing *sel = NULL;
	struct bulk_run b;
	json_t *list = NULL, *filter = NULL, *v;
	json_error_t jerr;
	const char *shop, *pid;
	size_t n = 0, i;
	char *who;
	int dry = 0;

	if (r->body == NULL ||
	    json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s?o,s?o,s?b}",
		"listings", &list, "filter", &filter, "dry_run", &dry) == -1 ||
	    (list == NULL) == (filter == NULL) ||
	    (list != NULL &&
		(!json_is_array(list) || json_array_size(list) == 0 ||
		    json_array_size(list) > BULK_MAX)) ||
	    (filter != NULL && !json_is_object(filter))) {
		api_error(r, 400, "bad_request",
		    "the body is {\"listings\": [{\"shop\", \"product_id\"}, "
		    "...] | \"filter\": {...}, \"dry_run\"?}");
		return;
	}
	if (list != NULL) {
		sel = xcalloc(json_array_size(list), sizeof *sel);
		json_array_foreach (list, i, v) {
			if (json_unpack(v, "{s:s,s:s}", "shop", &shop,
				"product_id", &pid) == -1) {
				api_error(r, 400, "bad_request",
				    "listings: item %zu is not {\"shop\", "
				    "\"product_id\"}",
				    i + 1);
				free(sel);
				return;
			}
			sel[n].shop = (char *)shop;
			sel[n++].product_id = (char *)pid;
		}
	} else if (bulk_filter(r, filter, 1, &f) == -1)
		return;
	else if (lifecycle_filter_listings(&f, &sel, &n, &err) == -1) {
		api_reply_err(r, &err);
		return;
	}
	if (lifecycle_bulk_begin(&err) == -1) {
		api_reply_err(r, &err);
		goto out;
	}
	who = api_actor(r);
	memset(&b, 0, sizeof b);
	b.items = json_array();
	for (i = 0; i < n; i++) {
		if (lifecycle_untrack(
			sel[i].shop, sel[i].product_id, who, &err) == -1)
			bulk_fail(&b, &err,
			    json_pack("{s:s,s:s}", "shop", sel[i].shop,
				"product_id", sel[i].product_id));
		else
			json_array_append_new(b.items,
			    json_pack("{s:s,s:s}", "shop", sel[i].shop,
				"product_id", sel[i].product_id));
	}
	free(who);
	bulk_finish(r, "untrack", dry, n, &b);
out:
	if (filter != NULL) {
		for (i = 0; i < n; i++)
			st_listing_clear(&sel[i]);
	}
	free(sel);
}

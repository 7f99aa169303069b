/* SPDX-License-Identifier: ISC */
/*
 * api-points.c: the control API's penalty points of a shop.
 *
 * GET  /v1/shops/{shop}/points  each ledger's total, what expires when,
 *      the next threshold and its consequence (lifecycle-points.c).
 * POST /v1/shops/{shop}/points  {"set": {"ledger","points"}, "reason"}
 *      sets a ledger to the seller's own figure; {"correct": {"case",
 *      "ledger","points"}, "reason"} corrects a case's entry. Either
 *      answers the shop's points as GET does.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "i18n.h"
#include "lifecycle.h"
#include "points.h"

#define POINTS_REASON_MAX 1024

static int points_shop(struct api_req *, const char *);
static json_t *points_ledger_json(const struct lifecycle_ledger *, int64_t);
static void points_reply(struct api_req *, const char *);

static int
points_shop(struct api_req *r, const char *shop)
{
	if (config_shop(daemon_state->config, shop) == NULL) {
		api_error(r, 404, "unknown_shop", "no shop \"%.64s\"", shop);
		return (-1);
	}
	return (0);
}

/* One ledger: its total, next threshold and consequence, its entries. */
static json_t *
points_ledger_json(const struct lifecycle_ledger *l, int64_t expiry)
{
	const struct st_points *v;
	json_t *entries = json_array(), *expiring = json_array(), *cs;
	size_t i;

	for (i = 0; i < l->n; i++) {
		v = &l->v[i];
		cs = v->case_id ? json_integer(v->case_id) : json_null();
		json_array_append_new(entries,
		    json_pack("{s:I,s:O,s:I,s:I,s:b,s:o,s:o,s:o,s:s,s:b}", "id",
			(json_int_t)v->id, "case", cs, "points",
			(json_int_t)v->points, "asked", (json_int_t)v->asked,
			"anchor", v->anchor, "at", json_time(v->at),
			"expires_at", json_time(v->at + (time_t)expiry), "note",
			v->note ? json_string(v->note) : json_null(), "actor",
			v->actor, "counting", l->counting[i]));
		if (l->counting[i])
			json_array_append_new(expiring,
			    json_pack("{s:o,s:I,s:O}", "at",
				json_time(v->at + (time_t)expiry), "points",
				(json_int_t)v->points, "case", cs));
		json_decref(cs);
	}
	return (json_pack("{s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:s,s:I,s:o,s:o,s:o}",
	    "ledger", l->def->name, "label", l->def->label, "unit", l->unit,
	    "total", (json_int_t)l->total, "next_threshold",
	    l->next_threshold ? json_integer(l->next_threshold) : json_null(),
	    "consequence",
	    l->consequence ? json_string(l->consequence) : json_null(),
	    "severe", l->next_threshold ? json_boolean(l->severe) : json_null(),
	    "level", points_level_name(l->level), "typical",
	    (json_int_t)l->def->typical, "next_expiry_at",
	    json_time(l->next_expiry), "expiring", expiring, "entries",
	    entries));
}

/* The shop's points as GET answers them. */
static void
points_reply(struct api_req *r, const char *shop)
{
	struct lifecycle_points p;
	json_t *arr;
	size_t i;

	if (lifecycle_points(shop, &p) == -1) {
		api_error(r, 500, "store", "cannot read the points");
		return;
	}
	arr = json_array();
	for (i = 0; i < p.n; i++)
		json_array_append_new(
		    arr, points_ledger_json(&p.ledgers[i], p.expiry));
	api_reply(r, 200,
	    json_pack("{s:s,s:s,s:I,s:s,s:o}", "shop", shop, "timezone",
		p.timezone, "expiry_days", (json_int_t)(p.expiry / 86400),
		"note",
		_("no platform API returns penalty points: these are the "
		  "confirmed cases' points as configured, and the figures "
		  "the seller set; compare them with the seller backend"),
		"ledgers", arr));
	lifecycle_points_free(&p);
}

void
api_points_get(struct api_req *r)
{
	const char *shop = r->args[0];

	if (points_shop(r, shop) == -1)
		return;
	points_reply(r, shop);
}

void
api_points_post(struct api_req *r)
{
	struct lifecycle_err err = { 0 };
	const char *shop = r->args[0], *reason = NULL, *ledger = NULL;
	json_t *set = NULL, *correct = NULL;
	json_int_t points = -1, id = 0;
	json_error_t jerr;
	char *who;
	int rc;

	if (points_shop(r, shop) == -1)
		return;
	if (r->body == NULL ||
	    json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s?o,s?o,s?s}", "set",
		&set, "correct", &correct, "reason", &reason) == -1) {
		api_error(r, 400, "bad_request",
		    "give {\"set\": {\"ledger\", \"points\"}, \"reason\"} or "
		    "{\"correct\": {\"case\", \"ledger\", \"points\"}, "
		    "\"reason\"}");
		return;
	}
	if ((set == NULL) == (correct == NULL)) {
		api_error(r, 400, "bad_request",
		    "give either \"set\" or \"correct\"");
		return;
	}
	if ((set != NULL &&
		json_unpack_ex(set, &jerr, JSON_STRICT, "{s:s,s:I}", "ledger",
		    &ledger, "points", &points) == -1) ||
	    (correct != NULL &&
		json_unpack_ex(correct, &jerr, JSON_STRICT, "{s:I,s:s,s:I}",
		    "case", &id, "ledger", &ledger, "points", &points) == -1)) {
		api_error(
		    r, 400, "bad_request", "bad request body: %s", jerr.text);
		return;
	}
	if (points < 0 || points > POINTS_MAX) {
		api_error(
		    r, 400, "bad_field", "points must be 0 to %d", POINTS_MAX);
		return;
	}
	if (correct != NULL && id <= 0) {
		api_error(r, 404, "not_found", "no case %lld", (long long)id);
		return;
	}
	if (reason == NULL || *reason == '\0' ||
	    strlen(reason) > POINTS_REASON_MAX ||
	    strpbrk(reason, "\r\n") != NULL) {
		api_error(r, 400, "bad_field",
		    "reason must say why, in one line of at most %d bytes",
		    POINTS_REASON_MAX);
		return;
	}
	who = api_actor(r);
	if (set != NULL)
		rc = lifecycle_points_set(
		    shop, ledger, points, reason, who, &err);
	else
		rc = lifecycle_points_correct(
		    shop, id, ledger, points, reason, who, &err);
	free(who);
	if (rc == -1) {
		api_reply_err(r, &err);
		return;
	}
	points_reply(r, shop);
}

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
#include "lifecycle.h"
#include "points.h"

#define POINTS_REASON_MAX 1024

static int points_shop(struct api_req *, const char *);

static int
points_shop(struct api_req *r, const char *shop)
{
	if (config_shop(daemon_state->config, shop) == NULL) {
		api_error(r, 404, "unknown_shop", "no shop \"%.64s\"", shop);
		return (-1);
	}
	return (0);
}

void
api_points_get(struct api_req *r)
{
	const char *shop = r->args[0];
	json_t *j;

	if (points_shop(r, shop) == -1)
		return;
	if ((j = lifecycle_points_json(shop, 0)) == NULL) {
		api_error(r, 500, "store", "cannot read the points");
		return;
	}
	api_reply(r, 200, j);
}

void
api_points_post(struct api_req *r)
{
	struct lifecycle_err err = { 0 };
	const char *shop = r->args[0], *reason = NULL, *ledger = NULL;
	json_t *set = NULL, *correct = NULL, *j;
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
	if ((j = lifecycle_points_json(shop, 0)) == NULL) {
		api_error(r, 500, "store", "cannot read the points");
		return;
	}
	api_reply(r, 200, j);
}

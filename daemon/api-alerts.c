/* SPDX-License-Identifier: ISC */
/*
 * api-alerts.c: the control API's acknowledgements and snoozes.
 *
 * POST /v1/cases/{id}/ack, GET /v1/conditions, POST /v1/conditions/{id}/ack
 * and POST /v1/shops/{shop}/snooze (shapes in api.h). Each handler checks
 * its body, then calls one lifecycle operation; the rules (what an
 * acknowledgement stops, what a snooze holds) live in lifecycle-alerts.c and
 * outbox.c, not here. It also renders the conditions and the snoozes
 * for GET /v1/conditions, a case's view and the status.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "lifecycle.h"

#define COMMENT_MAX 1024

static int alerts_id(struct api_req *, const char *, int64_t *);
static int
alerts_body(struct api_req *, json_t *, time_t *, const char **, int *);

static int
alerts_id(struct api_req *r, const char *what, int64_t *id)
{
	const char *s = r->args[0];
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v <= 0) {
		api_error(r, 404, "not_found", "no %s \"%.32s\"", what, s);
		return (-1);
	}
	*id = v;
	return (0);
}

/*
 * {"for"?: DURATION, "comment"?: TEXT, "off"?: true}: *until is now plus
 * the duration, or 0 without one. off is only for snoozes (off may be NULL).
 */
static int
alerts_body(struct api_req *r, json_t *body, time_t *until,
    const char **comment, int *off)
{
	const char *dur = NULL;
	json_error_t jerr;
	int64_t secs;
	char *cause = NULL;
	int o = 0;

	*until = 0;
	*comment = NULL;
	if (body != NULL &&
	    (off != NULL
		    ? json_unpack_ex(body, &jerr, JSON_STRICT, "{s?s,s?s,s?b}",
			  "for", &dur, "comment", comment, "off", &o)
		    : json_unpack_ex(body, &jerr, JSON_STRICT, "{s?s,s?s}",
			  "for", &dur, "comment", comment)) == -1) {
		api_error(
		    r, 400, "bad_request", "bad request body: %s", jerr.text);
		return (-1);
	}
	if (*comment != NULL &&
	    (**comment == '\0' || strlen(*comment) > COMMENT_MAX)) {
		api_error(r, 400, "bad_field",
		    "comment: give 1 to %d bytes of text", COMMENT_MAX);
		return (-1);
	}
	if (dur != NULL) {
		if (duration_parse(dur, &secs, &cause) == -1) {
			api_error(r, 400, "bad_field", "for: %s", cause);
			free(cause);
			return (-1);
		}
		if (secs <= 0) {
			api_error(r, 400, "bad_field",
			    "for: \"%.32s\" is no time at all", dur);
			return (-1);
		}
		*until = clock_now() + secs;
	}
	if (off != NULL)
		*off = o;
	return (0);
}

/* case ack's body, {"for"?, "comment"?}, for one case or many. */
int
api_ack_args(struct api_req *r, json_t *body, struct api_case_args *a)
{
	return (alerts_body(r, body, &a->until, &a->comment, NULL));
}

int
api_ack_apply(int64_t id, const struct api_case_args *a, const char *who,
    struct lifecycle_err *err)
{
	return (lifecycle_ack(id, a->until, a->comment, who, err));
}

void
api_case_ack(struct api_req *r)
{
	struct lifecycle_err err = { 0 };
	struct api_case_args args = { 0 };
	int64_t id;
	char *who;

	if (alerts_id(r, "case", &id) == -1 ||
	    api_ack_args(r, r->body, &args) == -1)
		return;
	who = api_actor(r);
	if (api_ack_apply(id, &args, who, &err) == -1)
		api_reply_err(r, &err);
	else
		api_reply_case(r, 200, id);
	free(who);
}

void
api_conditions_get(struct api_req *r)
{
	api_reply(
	    r, 200, json_pack("{s:o}", "conditions", api_conditions_json(0)));
}

void
api_condition_ack(struct api_req *r)
{
	struct lifecycle_err err = { 0 };
	const char *comment;
	int64_t id;
	time_t until;
	char *who;

	if (alerts_id(r, "condition", &id) == -1 ||
	    alerts_body(r, r->body, &until, &comment, NULL) == -1)
		return;
	who = api_actor(r);
	if (lifecycle_condition_ack(id, until, comment, who, &err) == -1)
		api_reply_err(r, &err);
	else
		api_reply(r, 200,
		    json_pack("{s:I,s:b}", "condition", (json_int_t)id,
			"acknowledged", 1));
	free(who);
}

void
api_shop_snooze(struct api_req *r)
{
	struct lifecycle_err err = { 0 };
	const char *comment, *shop = r->args[0];
	char buf[ISOTIME_LEN], *who;
	time_t until;
	int off;

	if (alerts_body(r, r->body, &until, &comment, &off) == -1)
		return;
	if (off == (until != 0)) {
		api_error(r, 400, "bad_request",
		    "give either \"for\" (how long to snooze) or \"off\": "
		    "true");
		return;
	}
	who = api_actor(r);
	if (lifecycle_snooze(shop, off ? 0 : until, comment, who, &err) == -1)
		api_reply_err(r, &err);
	else
		api_reply(r, 200,
		    json_pack("{s:s,s:b,s:o}", "shop", shop, "snoozed", !off,
			"until",
			off ? json_null()
			    : json_string(
				  isotime_format(until, buf, sizeof buf))));
	free(who);
}

/* The case's acknowledgement as the API shows it; null if none holds. */
json_t *
api_ack_json(const struct st_case *c)
{
	return (json_ack(lifecycle_ack_holds(c) ? c->ack_by : NULL, c->ack_at,
	    c->ack_until, c->ack_comment));
}

/*
 * The warnings a person must see, as GET /v1/status carries them:
 * {"code","shop","text"} each, and the members of their kind.
 */
json_t *
api_warnings_json(void)
{
	struct warning *w;
	json_t *arr;
	size_t n;

	lifecycle_warnings(NULL, 1, &w, &n);
	arr = json_warnings(w, n);
	warnings_free(w, n);
	return (arr);
}

/* The open conditions as the API lists them. */
json_t *
api_conditions_json(int64_t case_id)
{
	struct st_condition *cond;
	struct st_case c;
	size_t n, i;
	char b1[ISOTIME_LEN];
	json_t *arr = json_array(), *ack;

	if (store_conditions(
		daemon_state->store, 0, case_id, 1000, &cond, &n) == -1)
		return (arr);
	for (i = 0; i < n; i++) {
		if (cond[i].case_id != 0 &&
		    store_case_get(daemon_state->store, cond[i].case_id, &c) ==
			0) {
			ack = api_ack_json(&c);
			st_case_clear(&c);
		} else
			ack = json_ack(cond[i].ack_by, cond[i].ack_at,
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
			"next_reminder_at", json_time(cond[i].next_at),
			"reminders", cond[i].reminders, "ack", ack));
	}
	st_conditions_free(cond, n);
	return (arr);
}

json_t *
api_snoozes_json(void)
{
	struct st_snooze *sn;
	size_t n, i;
	char b1[ISOTIME_LEN], b2[ISOTIME_LEN];
	json_t *arr = json_array();

	if (store_snoozes(daemon_state->store, clock_now(), &sn, &n) == -1)
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

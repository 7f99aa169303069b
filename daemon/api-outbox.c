/* SPDX-License-Identifier: ISC */
/*
 * api-outbox.c: the control API's view of the outbox.
 *
 * GET /v1/outbox lists pending and dead deliveries (or those of one
 * state) with their attempts and last error; POST /v1/outbox/{id}/retry
 * and POST /v1/outbox/retry (every dead one) put dead deliveries back in
 * the queue. The JSON shapes are in api.h.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "lifecycle.h"
#include "scheduler.h"

json_t *
api_delivery_json(const struct st_delivery *d)
{
	json_t *j;
	time_t until;

	j = json_pack("{s:I,s:s,s:I,s:s,s:s,s:o,s:o,s:s,s:i,s:o,s:o,s:o,"
		      "s:o}",
	    "id", (json_int_t)d->id, "sink", d->sink, "event_id",
	    (json_int_t)d->event_id, "event_type", d->ev.type, "severity",
	    d->ev.severity, "case",
	    d->case_id ? json_integer(d->case_id) : json_null(), "shop",
	    d->ev.shop ? json_string(d->ev.shop) : json_null(), "state",
	    d->state, "attempts", d->attempts, "next_attempt_at",
	    strcmp(d->state, "pending") == 0 ? json_time(d->next_attempt_at)
					     : json_null(),
	    "last_error",
	    d->last_error ? json_string(d->last_error) : json_null(),
	    "created_at", json_time(d->created_at), "done_at",
	    json_time(d->done_at));
	/* Held for a snoozed shop: until the snooze ends (as it is now). */
	if (j != NULL && strcmp(d->state, "held") == 0) {
		until = store_snooze_until(
		    daemon_state->store, d->ev.shop, clock_now());
		json_object_set_new(j, "held_until",
		    json_time(until != 0 ? until : d->next_attempt_at));
	}
	return (j);
}

void
api_outbox_get(struct api_req *r)
{
	const char *state = api_query(r, "state");
	struct st_delivery *d;
	size_t n, i;
	json_t *arr;

	if (state != NULL && strcmp(state, "pending") != 0 &&
	    strcmp(state, "held") != 0 && strcmp(state, "dead") != 0 &&
	    strcmp(state, "done") != 0) {
		api_error(r, 400, "bad_state",
		    "unknown delivery state \"%.32s\" "
		    "(one of: pending, held, dead, done)",
		    state);
		return;
	}
	if (store_outbox_list(daemon_state->store, state, 1000, &d, &n) == -1) {
		api_error(r, 500, "store", "cannot read the outbox");
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, api_delivery_json(&d[i]));
	st_deliveries_free(d, n);
	api_reply(r, 200, json_pack("{s:o}", "deliveries", arr));
}

static void
outbox_requeue(struct api_req *r, int64_t id)
{
	int n, late;
	char subject[32];

	/* A requeued delivery's delivery.dead condition is over. */
	snprintf(subject, sizeof subject, "%lld", (long long)id);
	late = store_outbox_overtaken(daemon_state->store, id);
	if (store_begin(daemon_state->store) == -1 ||
	    (n = store_outbox_requeue(daemon_state->store, id, clock_now())) ==
		-1 ||
	    lifecycle_resolve("delivery.dead", id != 0 ? subject : NULL) ==
		-1 ||
	    store_commit(daemon_state->store) == -1) {
		store_rollback(daemon_state->store);
		api_error(r, 500, "store", "cannot update the outbox");
		return;
	}
	if (id != 0 && n == 0) {
		api_error(r, 404, "not_found", "no dead delivery %lld",
		    (long long)id);
		return;
	}
	log_info("outbox: %d dead deliver%s requeued", n, n == 1 ? "y" : "ies");
	sched_rearm();
	outbox_kick();
	api_reply(r, 200,
	    json_pack(
		"{s:i,s:i}", "requeued", n, "overtaken", late > 0 ? late : 0));
}

void
api_outbox_retry(struct api_req *r)
{
	char *end;
	long long id = strtoll(r->args[0], &end, 10);

	if (*r->args[0] == '\0' || *end != '\0' || id <= 0) {
		api_error(
		    r, 404, "not_found", "no delivery \"%.32s\"", r->args[0]);
		return;
	}
	outbox_requeue(r, id);
}

void
api_outbox_retry_dead(struct api_req *r)
{
	outbox_requeue(r, 0);
}

/* SPDX-License-Identifier: ISC */
/*
 * event.c: the trail and its routing.
 *
 * Appends an event to the store's trail and runs the routes (the outbox's
 * deliveries) in the caller's transaction; after the commit, hands every
 * event recorded since the last time to syslog and to the publish
 * subscribers, and calls the "changed" subscribers. The subscribers are
 * registered once at start-up (main.c); this file calls nobody by name
 * above it, and it must not decide anything about cases: that is
 * lifecycle.c, which calls it.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "delistd.h"
#include "event.h"

/* A handful of subscribers each, all known at build time. */
#define EVENT_SUBSCRIBERS_MAX 8
/* Events published per store read. */
#define EVENT_PAGE 1000

struct event_route {
	event_route_cb route;
	event_takers_cb takers;
};

static struct event_route event_routes[EVENT_SUBSCRIBERS_MAX];
static size_t event_nroutes;
static event_publish_cb event_publishers[EVENT_SUBSCRIBERS_MAX];
static size_t event_npublishers;
static event_change_cb event_changers[EVENT_CHANGE_COUNT]
				     [EVENT_SUBSCRIBERS_MAX];
static size_t event_nchangers[EVENT_CHANGE_COUNT];
static int64_t event_last_published;

static void event_log(const struct st_event *);
static json_t *event_str(const char *);
static int event_with_assignee(const struct st_event *, struct st_event *);

void
event_subscribe_route(event_route_cb route, event_takers_cb takers)
{
	if (event_nroutes == EVENT_SUBSCRIBERS_MAX)
		fatalx("event: too many routes");
	event_routes[event_nroutes].route = route;
	event_routes[event_nroutes].takers = takers;
	event_nroutes++;
}

void
event_subscribe_publish(event_publish_cb cb)
{
	if (event_npublishers == EVENT_SUBSCRIBERS_MAX)
		fatalx("event: too many publish subscribers");
	event_publishers[event_npublishers++] = cb;
}

void
event_subscribe_change(enum event_change what, event_change_cb cb)
{
	if (event_nchangers[what] == EVENT_SUBSCRIBERS_MAX)
		fatalx("event: too many change subscribers");
	event_changers[what][event_nchangers[what]++] = cb;
}

/* At start: events already in the trail are not published again. */
void
event_start(void)
{
	event_last_published = store_event_last(daemon_state->store);
}

/*
 * Inside the caller's transaction: appends e and runs the routes with
 * opts (NULL: none). Returns the event's id, or -1.
 */
/*
 * A case's event names its assignee of the moment in its data
 * ("assignee"), so that a mail says whose case it is: 1 and *copy (its
 * payload allocated) when the case has one, 0 when not (or the data names
 * one already, as case.assigned's does), -1 if the store failed.
 */
static int
event_with_assignee(const struct st_event *e, struct st_event *copy)
{
	json_t *data;
	char *who = NULL;
	int rc;

	if (e->case_id == 0 || e->payload == NULL)
		return (0);
	if ((rc = store_case_assignee(daemon_state->store, e->case_id, &who)) ==
	    -1)
		return (-1);
	if (rc != 0 || who == NULL)
		return (0);
	if ((data = json_loads(e->payload, 0, NULL)) == NULL ||
	    !json_is_object(data) ||
	    json_object_get(data, "assignee") != NULL) {
		json_decref(data);
		free(who);
		return (0);
	}
	json_object_set_new(data, "assignee", json_string(who));
	free(who);
	*copy = *e;
	copy->payload = json_dumps(data, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(data);
	return (copy->payload != NULL);
}

int64_t
event_append(const struct st_event *e, const struct event_opts *opts)
{
	static const struct event_opts none;
	struct st_event copy;
	int64_t id;
	size_t i;
	int named;

	if (opts == NULL)
		opts = &none;
	if ((named = event_with_assignee(e, &copy)) == -1)
		return (-1);
	if (named)
		e = &copy;
	if ((id = store_event_append(daemon_state->store, e)) != -1) {
		for (i = 0; i < event_nroutes; i++) {
			if (event_routes[i].route(id, e, opts) == -1) {
				id = -1;
				break;
			}
		}
	}
	if (named)
		free(copy.payload);
	return (id);
}

/* How many destinations the routes have for a type and severity. */
int
event_takers(const char *type, const char *severity)
{
	size_t i;
	int n = 0;

	for (i = 0; i < event_nroutes; i++) {
		if (event_routes[i].takers != NULL)
			n += event_routes[i].takers(type, severity);
	}
	return (n);
}

void
event_changed(enum event_change what)
{
	size_t i;

	for (i = 0; i < event_nchangers[what]; i++)
		event_changers[what][i]();
}

/* Warning and critical events to syslog at their level, the rest as info. */
static void
event_log(const struct st_event *e)
{
	json_t *p;
	const char *msg;
	static const struct {
		const char *severity;
		enum log_level level;
		int critical;
	} levels[] = {
		{ "info", LOG_LEVEL_INFO, 0 },
		{ "warning", LOG_LEVEL_WARNING, 0 },
		{ "critical", LOG_LEVEL_ERROR, 1 },
	}, *at = &levels[0];
	char what[32], id[24];
	struct log_fields f = { NULL, NULL, NULL, NULL };
	size_t i;

	p = json_loads(e->payload, 0, NULL);
	msg = p ? json_string_value(json_object_get(p, "message")) : NULL;
	if (e->case_id != 0) {
		snprintf(
		    what, sizeof what, " case %lld", (long long)e->case_id);
		snprintf(id, sizeof id, "%lld", (long long)e->case_id);
		f.case_id = id;
	} else
		what[0] = '\0';
	f.shop = e->shop;
	f.product_id = e->product_id;
	f.event = e->type;
	for (i = 0; i < sizeof levels / sizeof levels[0]; i++) {
		if (strcmp(e->severity, levels[i].severity) == 0)
			at = &levels[i];
	}
	log_event(at->level, at->critical, &f, "%s %s/%s%s: %s", e->type,
	    e->shop ? e->shop : "-", e->product_id ? e->product_id : "-", what,
	    msg ? msg : "");
	json_decref(p);
}

/*
 * After a commit: every event recorded since the last call goes to syslog
 * and to the publish subscribers, in order; then the PUBLISHED change.
 * Inside a batch nothing is committed yet: its commit publishes.
 */
void
event_published(void)
{
	struct st_event *ev;
	size_t n, i, j;

	if (store_in_batch(daemon_state->store))
		return;
	do {
		if (event_last_published == 0)
			event_last_published = -1;
		if (store_events(daemon_state->store, 0,
			event_last_published < 0 ? 0 : event_last_published,
			EVENT_PAGE, &ev, &n) == -1)
			return;
		for (i = 0; i < n; i++) {
			event_log(&ev[i]);
			for (j = 0; j < event_npublishers; j++)
				event_publishers[j](&ev[i]);
			event_last_published = ev[i].id;
		}
		st_events_free(ev, n);
	} while (n == EVENT_PAGE);
	event_changed(EVENT_CHANGE_PUBLISHED);
}

static json_t *
event_str(const char *s)
{
	return (s != NULL ? json_string(s) : json_null());
}

/*
 * An event as the API's followers and the sinks get it (delistd-events.7):
 * its data's "message" member lifted to the top, and its "text" (the
 * message's format and arguments, when the lifecycle kept them) after it.
 */
json_t *
event_json(const struct st_event *e)
{
	json_t *data, *msg, *text, *doc;

	data = json_loads(e->payload, 0, NULL);
	if (data == NULL)
		data = json_object();
	msg = json_object_get(data, "message");
	msg = msg ? json_incref(msg) : json_string("");
	json_object_del(data, "message");
	if ((text = json_object_get(data, "text")) != NULL)
		json_incref(text);
	json_object_del(data, "text");
	doc = json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:s,s:o}", "id",
	    (json_int_t)e->id, "case",
	    e->case_id ? json_integer(e->case_id) : json_null(), "shop",
	    event_str(e->shop), "product_id", event_str(e->product_id), "at",
	    json_time(e->at), "recorded_at", json_time(e->recorded_at), "actor",
	    e->actor, "type", e->type, "severity", e->severity, "message", msg);
	if (text != NULL)
		json_object_set_new(doc, "text", text);
	json_object_set_new(doc, "data", data);
	return (doc);
}

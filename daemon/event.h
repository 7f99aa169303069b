/* SPDX-License-Identifier: ISC */
/*
 * event.h: the trail and its routing (event.c), the daemon's one fan-out.
 *
 * A lifecycle verb appends events inside its transaction (event_append);
 * the routes subscribed at start-up write what each event needs written
 * in that same transaction (the outbox: a delivery row per sink). After
 * the commit, event_published hands every new event to syslog and to the
 * publish subscribers (the API's followers), then tells the "changed"
 * subscribers what may have moved (the outbox, the timers, the sources).
 * Nothing here knows who subscribed: main.c wires them.
 */

#ifndef EVENT_H
#define EVENT_H

#include <stdint.h>

struct st_event;
struct strlist;

/* How one event is routed; NULL options: to its subscribers only. */
struct event_opts {
	const char *exclude; /* a sink it must not go to; "*": to none */
	const struct strlist *also; /* sinks it goes to whatever they take */
	int quiet; /* it opens no condition (lifecycle-alerts.c) */
};

/* What a "changed" subscriber hears about, after a commit. */
enum event_change {
	EVENT_CHANGE_PUBLISHED, /* new events were handed out */
	EVENT_CHANGE_DUE, /* cases, appeals or conditions fall due anew */
	EVENT_CHANGE_LISTINGS, /* listings were tracked */
	EVENT_CHANGE_SNOOZE, /* a shop's snooze ended or changed by hand */
	EVENT_CHANGE_COUNT
};

/*
 * Inside the appending transaction, with the new event's id: -1 fails the
 * append (and so the caller's transaction).
 */
typedef int (*event_route_cb)(
    int64_t, const struct st_event *, const struct event_opts *);
/* How many destinations a route has for events of a type and severity. */
typedef int (*event_takers_cb)(const char *, const char *);
typedef void (*event_publish_cb)(const struct st_event *);
typedef void (*event_change_cb)(void);

void event_subscribe_route(event_route_cb, event_takers_cb);
void event_subscribe_publish(event_publish_cb);
void event_subscribe_change(enum event_change, event_change_cb);

void event_start(void);
int64_t event_append(const struct st_event *, const struct event_opts *);
int event_takers(const char *, const char *);
void event_published(void);
void event_changed(enum event_change);
struct json_t *event_json(const struct st_event *);

#endif

/*
 * lifecycle.h: the case lifecycle's operations (lifecycle.c) and the timers
 * that drive its alerts (sched.c).
 */

#ifndef LIFECYCLE_H
#define LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "delistd.h"
#include "cases.h"

/* Why an operation was refused: an HTTP status, a stable code, a sentence. */
struct lc_err {
	int status;
	const char *code;
	char *message;
	int forceable;
	int64_t case_ref; /* the open case a duplicate open names */
	struct json_t *findings; /* a refused appeal's preflight findings */
};

struct json_t;
void lc_err_clear(struct lc_err *);

void lifecycle_init(void);
void lifecycle_published(void);
int lifecycle_track(const char *, const char *, const char *,
    const char *const *, size_t, int64_t, const char *, int *, struct lc_err *);
/*
 * A listing as a source saw it: its title (NULL: not reported) and image
 * URLs (images NULL: not reported). Tracks it if new, stores its image
 * fingerprints and raises listing.evasion_risk / listing.linked_risk.
 * Returns 0, or -1 with *cause set (free it).
 */
int lifecycle_listing_observed(const char *, const char *, const char *,
    const char *const *, size_t, char **);
int
lifecycle_untrack(const char *, const char *, const char *, struct lc_err *);
int lifecycle_open(const char *, const char *, const char *, const char *,
    time_t, const char *, int64_t *, struct lc_err *);
int lifecycle_note(int64_t, const char *, const char *, const char *,
    const char *, time_t, const char *, struct lc_err *);
int lifecycle_appeal(int64_t, const char *, const char *,
    const struct st_material *, size_t, time_t, int, const char *,
    struct json_t **, struct lc_err *);
int lifecycle_decide(
    int64_t, int, int, const char *, time_t, const char *, struct lc_err *);
int lifecycle_reinstate(int64_t, time_t, const char *, struct lc_err *);
int
lifecycle_abandon(int64_t, const char *, time_t, const char *, struct lc_err *);
int lifecycle_fire(enum store_due, int64_t);
int lifecycle_synced(int64_t, time_t);
int64_t lifecycle_append(const struct st_case *, time_t, const char *,
    enum cases_event_type, struct json_t *, const char *, const char *);
int lifecycle_recompute(void);
int lifecycle_resolve(const char *, const char *);
int lifecycle_ack(int64_t, time_t, const char *, const char *, struct lc_err *);
int lifecycle_condition_ack(
    int64_t, time_t, const char *, const char *, struct lc_err *);
int lifecycle_snooze(
    const char *, time_t, const char *, const char *, struct lc_err *);
struct json_t *lifecycle_ack_json(const struct st_case *);
struct json_t *lifecycle_conditions_json(int64_t);
struct json_t *lifecycle_snoozes_json(void);
time_t lifecycle_digest_due(const struct config_shop *);
int lifecycle_digest(const struct config_shop *);

/* sched.c */
void sched_init(struct event_base *);
void sched_rearm(void);
void sched_shutdown(void);

/* api-cases.c: followers of the event stream. */
void api_events_publish(const struct st_event *);
void api_events_conn_closed(void *);
void api_events_stop(void);

/* export.c */
struct json_t;
struct calendar;
char *export_markdown(const struct json_t *, const struct calendar *);

#endif

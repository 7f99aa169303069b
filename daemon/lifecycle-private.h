/* SPDX-License-Identifier: ISC */
/*
 * lifecycle-private.h: what the lifecycle's files share among themselves
 * (lifecycle.c, lifecycle-listing.c, lifecycle-alerts.c, lifecycle-digest.c,
 * lifecycle-source.c). Nothing outside them includes it.
 */

#ifndef LIFECYCLE_PRIVATE_H
#define LIFECYCLE_PRIVATE_H

#include <stdarg.h>
#include <stdint.h>
#include <time.h>

struct calendar;
struct case_refusal;
struct case_rules;
struct case_view;
struct event_opts;
struct json_t;
struct st_appeal;
struct st_case;
struct st_watch;
struct store;
struct config;

/* lifecycle.c */
int lifecycle_store_fail(struct lifecycle_err *);
int lifecycle_case_begin(int64_t, struct st_case *, struct lifecycle_err *);
struct store *lifecycle_store(void);
const struct config *lifecycle_config(void);
int64_t lifecycle_event(const struct st_case *, time_t, const char *,
    enum cases_event_type, enum cases_severity, json_t *, const char *, ...)
    printflike(7, 8);
int64_t lifecycle_event_with(const struct event_opts *, const struct st_case *,
    time_t, const char *, enum cases_event_type, enum cases_severity, json_t *,
    const char *, ...) printflike(8, 9);
const struct calendar *lifecycle_calendar(const char *shop);
int lifecycle_case_save(struct st_case *);
int lifecycle_shop_known(const char *shop, struct lifecycle_err *err);
int lifecycle_shop_begin(const char *, struct lifecycle_err *);
void lifecycle_case_view(const struct st_case *, struct case_view *);
void lifecycle_rules(struct case_rules *rules);
void lifecycle_free(struct st_case *c, struct st_appeal *ap, size_t nap);
int lifecycle_commit(struct lifecycle_err *err);
int lifecycle_reinstate_in(struct st_case *c, const struct st_appeal *ap,
    size_t nap, time_t at, const char *actor, const char *outcome,
    const char *note, struct lifecycle_err *err);

/* lifecycle-listing.c */
int lifecycle_linked_risk(const struct st_case *, time_t);

/* lifecycle-scan.c */
int lifecycle_scan_seen(
    int64_t, const char *, const char *, const char *, const char *, time_t);

/* lifecycle-points.c */
int lifecycle_points_confirm(const struct st_case *, const char *);
int lifecycle_points_recheck(const char *, time_t);

/* lifecycle-tro.c */
int lifecycle_tro_fire(int64_t);
int lifecycle_matter_outcome(
    const struct st_case *, const char *, const char *, time_t);

/* lifecycle-alerts.c */
int lifecycle_condition_raise(const struct event_opts *, const struct st_case *,
    int64_t, time_t, enum cases_event_type, enum cases_severity,
    const json_t *);
int64_t lifecycle_last_days(const struct st_appeal *a);
size_t lifecycle_next_tier(int64_t last);

/* lifecycle-source.c */
int lifecycle_archive_before(
    const struct st_case *, const struct st_watch *, const char *, time_t);
void lifecycle_orphans_sweep(void);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * lifecycle.h: the case lifecycle's operations (lifecycle.c and, by
 * concern, lifecycle-listing.c, lifecycle-alerts.c, lifecycle-digest.c,
 * lifecycle-source.c) and the timers that drive its alerts (sched.c).
 */

#ifndef LIFECYCLE_H
#define LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "delistd.h"
#include "cases.h"
#include "points.h"

/*
 * Why an operation was refused (lifecycle.c, vault.c). Domain reasons only:
 * the API maps each to an HTTP status and a stable code (api-cases.c).
 * New ones go at the end.
 */
enum lifecycle_error {
	LIFECYCLE_ERR_REFUSED, /* the state machine's refusal: see refusal */
	LIFECYCLE_ERR_STORE, /* the state database failed */
	LIFECYCLE_ERR_UNKNOWN_SHOP, /* no such shop in the configuration */
	LIFECYCLE_ERR_BAD_FIELD, /* a field is not valid */
	LIFECYCLE_ERR_NOT_FOUND, /* no such case, listing, appeal, condition or document */
	LIFECYCLE_ERR_CASE_OPEN, /* the listing already has an open case */
	LIFECYCLE_ERR_BAD_TIME, /* a time before what it follows */
	LIFECYCLE_ERR_PREFLIGHT, /* the preflight could not run */
	LIFECYCLE_ERR_PREFLIGHT_FAILED, /* the preflight found errors */
	LIFECYCLE_ERR_ALREADY_DECIDED, /* the appeal has its decision */
	LIFECYCLE_ERR_BAD_OUTCOME, /* no such outcome */
	LIFECYCLE_ERR_CASE_CLOSED, /* the case is closed */
	LIFECYCLE_ERR_RESOLVED, /* the condition is over */
	LIFECYCLE_ERR_NOT_SNOOZED, /* the shop is not snoozed */
	LIFECYCLE_ERR_UNKNOWN_TYPE, /* no such document type */
	LIFECYCLE_ERR_BAD_NAME, /* a document name that will not do */
	LIFECYCLE_ERR_BAD_PRODUCTS, /* a bad product list */
	LIFECYCLE_ERR_BAD_ISSUER, /* a bad issuer */
	LIFECYCLE_ERR_BAD_DATE, /* a bad date */
	LIFECYCLE_ERR_BAD_CHAIN, /* a bad authorization chain */
	LIFECYCLE_ERR_CANNOT_RENAME, /* a document that cannot be renamed */
	LIFECYCLE_ERR_BAD_DOCUMENT, /* not a document the vault reads */
	LIFECYCLE_ERR_LOW_RESOLUTION, /* an image below the minimum */
	LIFECYCLE_ERR_STORAGE, /* the document could not be stored */
	LIFECYCLE_ERR_DOCUMENT_IN_USE, /* a document cases still name */
	LIFECYCLE_ERR_DOC_NOT_COVERING, /* a document that does not cover the case */
	LIFECYCLE_ERR_ALREADY_ATTACHED, /* already attached */
	LIFECYCLE_ERR_NOT_ATTACHED, /* not attached */
	LIFECYCLE_ERR_COUNT
};

/* A refusal: its reason and a sentence. */
struct lifecycle_err {
	enum lifecycle_error error;
	const char *refusal; /* LIFECYCLE_ERR_REFUSED: the rule's code */
	char *message;
	int forceable;
	int64_t case_ref; /* the open case a duplicate open names */
	struct preflight_findings *findings; /* a refused appeal's preflight */
};

struct json_t;
struct evbuffer;
void lifecycle_err_clear(struct lifecycle_err *);
void lifecycle_err_set(struct lifecycle_err *, enum lifecycle_error,
    const char *, ...) printflike(3, 4);
void lifecycle_err_refused(
    struct lifecycle_err *, const char *, const char *, ...) printflike(3, 4);

void lifecycle_published(void);
int
lifecycle_track(const char *, const char *, const char *, const char *const *,
    size_t, int64_t, const char *, int *, struct lifecycle_err *);
/*
 * A listing as a source saw it: its title (NULL: not reported) and image
 * URLs (images NULL: not reported). Tracks it if new, stores its image
 * fingerprints and raises listing.evasion_risk / listing.linked_risk.
 * Returns 0, or -1 with *cause set (free it).
 */
int lifecycle_listing_observed(const char *, const char *, const char *,
    const char *const *, size_t, char **);
int lifecycle_untrack(
    const char *, const char *, const char *, struct lifecycle_err *);
int lifecycle_open(const char *, const char *, const char *, const char *,
    time_t, const char *, int64_t *, struct lifecycle_err *);
int lifecycle_note(int64_t, const char *, const char *, const char *,
    const char *, time_t, const char *, struct lifecycle_err *);
int lifecycle_appeal(int64_t, const char *, const char *,
    const struct st_material *, size_t, time_t, int, const char *,
    struct preflight_findings **, struct lifecycle_err *);
int lifecycle_decide(int64_t, int, int, const char *, time_t, const char *,
    struct lifecycle_err *);
int lifecycle_reinstate(int64_t, time_t, const char *, struct lifecycle_err *);
int lifecycle_close(int64_t, const char *, const char *, time_t, const char *,
    struct lifecycle_err *);
int lifecycle_abandon(int64_t, const char *, const char *, time_t, const char *,
    struct lifecycle_err *);
int lifecycle_fire(enum store_due, int64_t);
int lifecycle_synced(int64_t, time_t);
struct event_opts;
int64_t lifecycle_append(const struct st_case *, time_t, const char *,
    enum cases_event_type, enum cases_severity, struct json_t *,
    const struct event_opts *, const char *);
int lifecycle_reannounce(const char *, time_t);
int lifecycle_recompute(void);
int lifecycle_resolve(const char *, const char *);
int lifecycle_ack(
    int64_t, time_t, const char *, const char *, struct lifecycle_err *);
int lifecycle_condition_ack(
    int64_t, time_t, const char *, const char *, struct lifecycle_err *);
int lifecycle_snooze(
    const char *, time_t, const char *, const char *, struct lifecycle_err *);
int lifecycle_ack_holds(const struct st_case *);
time_t lifecycle_digest_due(const struct config_shop *);
void lifecycle_warnings(const char *, int, struct warning **, size_t *);
time_t lifecycle_calendar_check(int);
int lifecycle_digest(const struct config_shop *);

/* lifecycle.c: what the source scheduler observes (sched-source.c). */
/* How soon a listing whose appeal was approved is looked at again. */
#define LIFECYCLE_APPROVED_RECHECK (5 * 60)

struct lifecycle_observation {
	int64_t listing_id;
	const char *source; /* the actor */
	const char *status; /* on_sale, delisted, offline, ... */
	const char *platform_code; /* may be NULL */
	time_t offline_at; /* 0: unknown */
	const char *raw; /* the platform's answer, archived on a case */
	size_t raw_len;
	const char *title; /* the title it gave; may be NULL */
	const char *healthy_key; /* on_sale: evidence_key of raw; else NULL */
	time_t at; /* when the answer came (0: now) */
};

struct lifecycle_intervals {
	int64_t confirm_checks;
	int64_t confirm_spacing;
	int64_t recheck; /* listings with an open case */
	int64_t healthy; /* the shop's for healthy listings (stretched) */
	double stretch; /* applied to a listing's own interval too */
};

struct lifecycle_import_row {
	const char *shop;
	const char *product_id;
	const char *title; /* may be NULL */
};

int lifecycle_observe(const struct lifecycle_observation *,
    const struct lifecycle_intervals *, int64_t *);
int lifecycle_check_at(int64_t, time_t);
int lifecycle_not_found_warnings(struct warning **, size_t *, const char *);
int lifecycle_batch_begin(void);
int lifecycle_batch_commit(void);
int lifecycle_sweep_seen(const char *, const char *const *, const char *const *,
    size_t, const char *, int, int64_t);
int lifecycle_source_alert(const char *, const struct st_budget *,
    enum cases_event_type, struct json_t *, const char *);
int lifecycle_evidence(int64_t, const struct st_evidence *, const char *);
int lifecycle_classify(
    int64_t, const char *, const char *, const char *, struct lifecycle_err *);
int lifecycle_import(const struct lifecycle_import_row *, size_t, const char *,
    size_t *, struct lifecycle_err *);

/* lifecycle-bulk.c: what a bulk request selects, and its transaction. */
struct lifecycle_filter {
	const char *shop;
	const char *state; /* a case's state; a listing's status */
	const char *reason; /* a case's reason; a listing's open case's */
	const char *imported_at; /* DATE, TIME or FROM/TO: first tracked */
	int64_t older_than; /* seconds; 0: any age */
};
int lifecycle_filter_listings(const struct lifecycle_filter *,
    struct st_listing **, size_t *, struct lifecycle_err *);
int lifecycle_filter_cases(const struct lifecycle_filter *, int64_t **,
    size_t *, struct lifecycle_err *);
int lifecycle_bulk_begin(struct lifecycle_err *);
int lifecycle_bulk_end(int, struct lifecycle_err *);

/* lifecycle-scan.c: the compliance scan (delistctl scan, POST /v1/scan). */
struct lifecycle_scan_counts {
	size_t scanned; /* listings with a title */
	size_t at_risk; /* of them, holding a finding now */
	size_t raised; /* listing.at_risk raised by this scan */
	size_t cleared; /* listing.at_risk_cleared raised by this scan */
};
int lifecycle_scan(const char *, const char *, struct lifecycle_scan_counts *,
    struct lifecycle_err *);

/* lifecycle-points.c: penalty points (delistctl points). */
int lifecycle_points_correct(const char *, int64_t, const char *, int64_t,
    const char *, const char *, struct lifecycle_err *);
int lifecycle_points_set(const char *, const char *, int64_t, const char *,
    const char *, struct lifecycle_err *);
/* A ledger of a shop at the time asked (lifecycle_points). */
struct lifecycle_ledger {
	const struct points_ledger *def; /* name, label, typical */
	const char *unit; /* "points" or "strikes" (an interface word) */
	int64_t total;
	int64_t next_threshold; /* 0: none above */
	const char *consequence; /* the next threshold's; NULL: none */
	int severe; /* the next threshold freezes or closes */
	enum points_level level;
	time_t next_expiry; /* 0: nothing to expire */
	struct st_points *v; /* the entries, oldest first */
	int *counting; /* per entry: the total drops without it */
	size_t n;
};
struct lifecycle_points {
	const char *timezone; /* the shop's */
	int64_t expiry; /* seconds an entry counts */
	struct lifecycle_ledger *ledgers;
	size_t n;
};
int lifecycle_points(const char *, struct lifecycle_points *);
void lifecycle_points_free(struct lifecycle_points *);

/* lifecycle-tro.c: a TRO case's court matter (delistctl case matter). */
struct lifecycle_matter_in {
	/* per enum store_matter_field: NULL unchanged, "" cleared */
	const char *f[STORE_MATTER_NFIELDS];
	/* funds frozen on an account (account NULL: none given) */
	const char *frozen_account;
	const char *frozen_currency;
	const char *frozen_amount;
	const char *frozen_as_of; /* NULL: today in the court's zone */
};
int lifecycle_matter(int64_t, const struct lifecycle_matter_in *, const char *,
    struct lifecycle_err *);
struct lifecycle_matter {
	struct st_matter m;
	struct st_frozen *frozen;
	size_t nfrozen;
	struct st_tro_reminder *reminders;
	size_t nreminders;
	const char *timezone; /* the court's */
};
int lifecycle_matter_get(int64_t, struct lifecycle_matter *);
void lifecycle_matter_free(struct lifecycle_matter *);
const char *lifecycle_matter_key(int);

/* evidence.c: content-addressed files under state_dir/evidence/. */
int evidence_put(const void *, size_t, char[65], char **);
int evidence_key(const char *, size_t, const char *const *, char[65]);
char *evidence_path(const char *);
int evidence_valid_hash(const char *);
/* Records a snapshot's outcome (lifecycle_evidence); -1 on failure. */
typedef int (*evidence_record_cb)(
    int64_t, const struct st_evidence *, const char *);
void evidence_snapshot(
    int64_t, const char *, const char *, const char *, evidence_record_cb);
void evidence_shutdown(void);

/* export.c */
struct json_t;
struct calendar;
char *export_markdown(const struct json_t *, const struct calendar *);

#endif

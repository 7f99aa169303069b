/* SPDX-License-Identifier: ISC */
/*
 * delistd.h: the daemon's internal interfaces, one banner per file.
 *
 * Plugins never include this header: include/delistd/plugin.h is their whole
 * contract. Pure domain modules (calendar.h, cases.h) have headers of their
 * own so that they can be tested without anything here.
 */

#ifndef DELISTD_H
#define DELISTD_H

#include <sys/types.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define DELISTD_NAME "delistd"

#include "core.h"
#include "delistd/plugin.h"

struct event_base;
struct calendar;

/* log.c: stderr in the foreground, syslog (LOG_DAEMON) otherwise. */
enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_NOTICE,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};
void log_init(int foreground, enum log_level);
void log_setlevel(enum log_level);
int log_level_from_name(const char *);
const char *log_level_name(enum log_level);
void log_warn(const char *, ...) printflike(1, 2);
void log_warnx(const char *, ...) printflike(1, 2);
void log_notice(const char *, ...) printflike(1, 2);
void log_info(const char *, ...) printflike(1, 2);
void log_debug(const char *, ...) printflike(1, 2);
void log_crit(const char *, ...) printflike(1, 2);
void log_cause(char **, const char *, ...) printflike(2, 3);
/*
 * An event's line with its structured fields (NULL ones left out): to the
 * journal when main set a sender (journal.c) and it takes it, else as any
 * line.
 */
struct log_fields {
	const char *case_id;
	const char *shop;
	const char *product_id;
	const char *event;
};
typedef int (*log_journal_fn)(int, const char *, const struct log_fields *);
void log_set_journal(log_journal_fn);
void log_event(enum log_level, int, const struct log_fields *, const char *,
    ...) printflike(4, 5);
/* journal.c: sd_journal_sendv with MESSAGE, PRIORITY and the fields. */
int journal_send(int, const char *, const struct log_fields *);
__dead void fatal(const char *, ...) printflike(1, 2);
__dead void fatalx(const char *, ...) printflike(1, 2);

/*
 * A warning a person must see: GET /v1/status and digest.daily carry them
 * (lifecycle_warnings finds them; json_warning writes one).
 */
struct warning {
	const char *code; /* "calendar.uncovered", "listing.not_found", ... */
	int has_shop; /* it has a "shop" member: shop, or null if NULL */
	char *shop;
	char *product_id; /* listing.not_found's; else NULL */
	time_t since; /* listing.not_found's; else 0 */
	char *sink; /* outbox.orphaned's; else NULL */
	char *text;
};

/*
 * json.c: the JSON shapes both the API and events' data write: a time as
 * ISO 8601 UTC (JSON null for 0), an acknowledgement, a warning.
 */
struct json_t *json_time(time_t);
/* json.c: a compliance-scan finding (the API's and the digest's). */
struct st_finding;
struct json_t *json_finding(const struct st_finding *);
struct json_t *json_ack(const char *, time_t, time_t, const char *);
struct json_t *json_warning(const struct warning *);
struct json_t *json_warnings(const struct warning *, size_t);
struct warning *warning_add(struct warning **, size_t *, const char *);
void warnings_free(struct warning *, size_t);

/* sha256.c: lower-case hex SHA-256 of a buffer; -1 if OpenSSL fails. */
#define SHA256_HEX_LEN 65
int sha256_hex(const void *, size_t, char[SHA256_HEX_LEN]);
int sha256_file(const char *, char[SHA256_HEX_LEN], int64_t *);

/*
 * tls.c: the web listener's TLS context from PEM files (the certificate
 * chain, the key); NULL and *cause if they cannot serve, the int set if
 * the key is at fault.
 */
struct ssl_ctx_st;
struct ssl_ctx_st *tls_ctx_new(const char *, const char *, int *, char **);
void tls_ctx_free(struct ssl_ctx_st *);
/*
 * How config.c builds and frees that context: set by main.c to tls.c's,
 * so that config.c links without OpenSSL (its unit tests and fuzz
 * targets leave it NULL: the TLS files are named, not read).
 */
struct config_tls_ops {
	struct ssl_ctx_st *(*ctx_new)(
	    const char *, const char *, int *, char **);
	void (*ctx_free)(struct ssl_ctx_st *);
};
extern const struct config_tls_ops *config_tls;

/* config.c: the configuration file, parsed, validated and immutable. */
struct strlist {
	char **v;
	size_t n;
};

struct config_shop {
	char *name;
	char *source;
	char *timezone;
	char *language; /* "zh-CN" or "en" of its mail; NULL: not set */
	int64_t sweep_interval;
	int64_t recheck_interval;
	int64_t confirm_checks;
	int64_t confirm_spacing; /* between confirming observations */
	int catalog_sync; /* page the on-sale catalog daily */
	char *snapshot_url; /* "{product_id}" template; "": none */
	struct calendar *calendar; /* NULL: the daemon's */
	int64_t digest_at; /* seconds after local midnight (09:00) */
	int line;
};

struct config_plugin {
	char *name;
	char *module;
	const void *setting; /* its own config_setting_t, owned by config */
	int line;
	struct strlist events; /* subscription: type patterns ("case.*") */
	int min_severity; /* enum cases_severity */
	int64_t retry_base;
	int64_t retry_cap;
	int64_t max_attempts;
	double rate; /* a source's calls per second (token bucket) */
	int64_t burst; /* the bucket's size */
	int64_t daily_quota; /* calls per Beijing day */
	int64_t max_in_flight; /* a source's calls waiting for answers */
	char *fingerprint; /* the block as text: changed means re-create */
};

/* One escalation tier: rules.escalation, or the shorthand's one tier. */
struct config_tier {
	int64_t after_business_days;
	int severity; /* enum cases_severity */
	struct strlist notify; /* sink instances it also goes to */
	int line;
};

struct config_rules {
	int64_t feedback_after;
	int64_t escalate_after_business_days; /* the first tier's */
	int64_t max_appeals;
	int64_t stall_after;
	int64_t repeat_interval; /* reminders, counted on business days */
	struct config_tier *tiers; /* ascending after_business_days */
	size_t ntiers; /* >= 1 */
};

struct config {
	int refs; /* config_ref/config_free */
	char *path; /* file it came from, or "(built-in)" */
	void *lc; /* the libconfig tree; plugin blocks point into it */

	char *state_dir;
	char *socket;
	char *socket_group;
	char *plugin_dir;
	char *timezone;
	enum log_level log_level;
	int64_t shutdown_timeout;
	int64_t max_clients;
	int64_t client_timeout;
	int64_t max_upload; /* bytes: the largest document upload */
	int64_t max_followers; /* event streams, apart from max_clients */
	int64_t follow_heartbeat; /* seconds between a stream's keep-alives */

	/* web: the console's TCP listener (delistd-web(7)); NULL: off. */
	char *web_listen; /* "HOST:PORT" */
	char *web_root; /* the static files */
	int web_insecure_bind; /* a non-loopback listen without TLS */
	char *web_metrics_token_file; /* /metrics's bearer token there */
	char *web_tls_cert_file; /* PEM chain; with the key: HTTPS */
	char *web_tls_key_file;
	struct ssl_ctx_st *web_tls; /* built from both when read */

	struct strlist weekend;
	struct strlist holidays;
	struct strlist workdays;
	struct calendar *calendar;

	struct config_rules rules;
	struct config_preflight *preflight; /* NULL: the defaults */
	struct config_points *points; /* NULL: the defaults */
	struct config_tro *tro; /* always set */

	struct config_shop *shops;
	size_t nshops;
	struct config_plugin *plugins;
	size_t nplugins;
};

/*
 * A source's calls in flight at most (max_in_flight). The daemon's HTTP
 * transfers are capped at four times that: two sources on a hung gateway
 * still leave half to the sinks, mail and snapshots.
 */
#define CONFIG_MAX_IN_FLIGHT 64
#define CONFIG_MAX_UPLOAD_DEFAULT ((int64_t)32 << 20)
#define CONFIG_SNAPSHOT_URL "https://www.aliexpress.com/item/{product_id}.html"
extern const char config_builtin[];
struct config *config_load(const char *, char **);
struct config *config_load_string(const char *, const char *, char **);
void config_free(struct config *);
struct config *config_ref(struct config *);
void config_set_base_dir(const char *);
const struct config_shop *config_shop(const struct config *, const char *);
const struct calendar *
config_shop_calendar(const struct config *, const char *);
char *config_shop_list(const struct config *);
int config_check_secret_file(const char *, char **);
char *config_secret_path(const char *, char **);
void config_dump(const struct config *, FILE *);
struct preflight_config;
/* The preflight settings (defaults where the file says nothing). */
void config_preflight(const struct config *, struct preflight_config *);
struct points_config;
/* The penalty-points settings (defaults where the file says nothing). */
void config_points(const struct config *, struct points_config *);
/* The TRO settings: returns the court's calendar (zone, weekend). */
const struct calendar *config_tro(
    const struct config *, int64_t *, int64_t *, const int64_t **, size_t *);

/* clock.c: the daemon's notion of now (DELISTD_TEST_CLOCK for tests). */
typedef void (*clock_cb)(void *);
int clock_init(struct event_base *, char **);
void clock_shutdown(void);
time_t clock_now(void);
int clock_is_test(void);
void clock_on_change(clock_cb, void *);
double clock_uptime(void);

/* notify.c: systemd readiness, status and watchdog (no-ops without it). */
void notify_init(struct event_base *);
void notify_ready(const char *);
void notify_status(const char *, ...) printflike(1, 2);
void notify_reloading(void);
void notify_stopping(void);
void notify_shutdown(void);
int notify_supervised(void);

/* store.c: SQLite state; the only file that includes sqlite3.h. */
struct store;
struct store_counts {
	int64_t shops;
	int64_t listings;
	int64_t cases_open;
	int64_t cases_total;
	int64_t events;
};
struct st_listing {
	int64_t id;
	char *shop;
	char *product_id;
	char *title;
	int tracked;
	int64_t check_interval; /* 0: the shop's */
	char *status;
	time_t created_at;
	time_t updated_at;
	int64_t open_case; /* 0: none */
	char *risks; /* "linked,evasion": raised about open cases */
};

struct st_case {
	int64_t id;
	int64_t listing_id;
	char *shop;
	char *product_id;
	char *title;
	char *state;
	char *reason;
	char *rule;
	char *relisted_as;
	time_t opened_at;
	time_t updated_at;
	time_t closed_at; /* 0: not closed */
	time_t stall_due_at; /* 0: no stall watch */
	int stall_fired;
	int appeals;
	int rejections;
	char *ack_by; /* NULL: not acknowledged */
	time_t ack_at;
	time_t ack_until; /* 0: until the case changes state */
	char *ack_comment;
};

/* The Board's query (store_board): NULL filters match anything. */
struct st_board_query {
	time_t now;
	const char *shop;
	const char *state;
	const char *reason;
	const char *assignee; /* "-": nobody */
	const char *me; /* the user asking (counts "mine"), or NULL */
	int mine; /* only me's cases */
	int overdue; /* only those whose next deadline has passed */
	int64_t limit;
	int64_t offset;
};

struct st_facet {
	char *kind; /* "shop", "state", "reason", "assignee" */
	char *value;
};

struct st_board {
	int64_t *ids; /* the page, in the Board's order */
	size_t nids;
	int64_t total; /* open cases matching the filters */
	int64_t open, overdue, mine, unack; /* over every open case */
	struct st_facet *facets;
	size_t nfacets;
};

struct st_material {
	char *name;
	char *type;
	char *sha256;
	int64_t size;
};

struct st_appeal {
	int64_t id;
	int64_t case_id;
	int n;
	char *platform_case_id;
	char *statement;
	char *statement_sha256;
	char *decision; /* NULL: undecided */
	char *reject_reason;
	char *forced; /* comma-separated refusal codes overridden */
	time_t submitted_at;
	time_t decided_at;
	time_t feedback_due_at;
	time_t escalate_due_at;
	int feedback_fired;
	int escalate_fired; /* every escalation tier fired */
	int escalate_tier; /* the next tier's position (informational) */
	/* The after_business_days of the last tier fired; -1: unknown. */
	int64_t escalate_last_days;
	struct st_material *materials;
	size_t nmaterials;
};

struct st_event {
	int64_t id;
	int64_t case_id; /* 0: not about a case */
	char *shop;
	char *product_id;
	time_t at;
	time_t recorded_at;
	char *actor;
	char *type;
	char *severity;
	char *payload; /* JSON text: {"message": ..., ...} */
};

/* A row of the outbox, with its event. */
struct st_delivery {
	int64_t id;
	int64_t event_id;
	char *sink;
	int64_t case_id;
	char *state; /* pending, held (a snooze), done, dead */
	int attempts;
	time_t next_attempt_at;
	char *last_error;
	time_t created_at;
	time_t done_at;
	struct st_event ev;
};

/* What the timers watch; each kind has its own due index. */
enum store_due {
	STORE_DUE_FEEDBACK,
	STORE_DUE_ESCALATE,
	STORE_DUE_STALL,
	STORE_DUE_DOC, /* a document's next expiry alert (vault.c) */
	STORE_DUE_REMIND, /* a critical condition's next reminder */
	STORE_DUE_TRO, /* a TRO matter's court-date reminder */
	STORE_DUE_COUNT,
};

/*
 * A document of the vault (vault.c). Strings are owned by the struct
 * (st_document_clear frees them). expires is "YYYY-MM-DD" or NULL (never
 * expires); expires_at the first instant it is no longer valid: 00:00 of
 * that date in the zone of its shop (the daemon's zone when it has none).
 */
struct st_document {
	int64_t id;
	char *sha256; /* lower-case hex: the file is documents/<sha256> */
	char *type; /* cases_doc_type_valid */
	char *name; /* the name it is known by (conventional after --rename) */
	char *original_name; /* the name it was uploaded with */
	char *format; /* "pdf", "jpeg", "png" (sniff_format_name) */
	int64_t size; /* bytes */
	int width, height; /* pixels for images; 0 for PDF */
	char *shop; /* NULL: not tied to a shop */
	char **products; /* product ids it covers */
	size_t nproducts;
	char *issuer; /* NULL: not given */
	char *expires; /* "YYYY-MM-DD"; NULL: does not expire */
	time_t expires_at; /* 0: does not expire */
	int64_t chain_of; /* brand_authorization: the link before; 0: none */
	time_t added_at;
	char *added_by; /* actor: "cli:alice" */
	time_t removed_at; /* 0: live */
	int alert_stage; /* expiry alerts fired: 0..4 (30d, 7d, 1d, expired) */
	time_t alert_due_at; /* the next one; 0: none */
};

/* store_documents: each field set narrows the list (live documents only). */
struct st_doc_filter {
	const char *shop; /* documents of this shop */
	const char *type;
	time_t expires_by; /* expires_at at or before this (expired too) */
	int64_t case_id; /* attached to this case (case doc) */
	const char *product_id; /* names this product id */
	/*
	 * Covering a listing: covers_product set means documents that name
	 * it (in covers_shop or no shop), plus covers_shop's documents that
	 * name no product (shop-wide ones).
	 */
	const char *covers_product;
	const char *covers_shop;
	int64_t chain_of; /* the next links of a brand_authorization chain */
	int with_removed; /* removed documents too (a case's list) */
};

/* A case that refers to a document: attached (appeal 0) or an appeal's. */
struct st_doc_ref {
	int64_t case_id;
	char *state; /* the case's state */
	int appeal; /* the appeal's n whose materials have it; 0: attached */
	time_t at; /* attached_at or the appeal's submitted_at */
};

/* A critical condition re-announced until acknowledged or resolved. */
struct st_condition {
	int64_t id;
	char *type; /* the event type that raised it: "case.escalated" */
	char *severity;
	int64_t event_id;
	int64_t case_id; /* 0: not about a case */
	char *shop;
	char *product_id;
	char *subject; /* what within it: an appeal, a delivery; may be NULL */
	time_t raised_at;
	time_t next_at; /* next reminder; 0: none planned */
	int reminders;
	char *ack_by; /* a case's condition uses the case's ack */
	time_t ack_at;
	time_t ack_until;
	char *ack_comment;
	time_t resolved_at; /* 0: open */
};

struct st_snooze {
	char *shop;
	time_t until;
	char *by;
	time_t at;
	char *comment;
};

int store_lock(const char *, int *, char **);
struct store *store_open(const char *, char **);
void store_close(struct store *);
int store_schema_version(struct store *);
int store_counts(struct store *, struct store_counts *);
int store_vacuum_into(struct store *, const char *, char **);
int store_begin(struct store *);
int store_commit(struct store *);
void store_rollback(struct store *);
int store_batch_begin(struct store *);
int store_batch_commit(struct store *);
void store_batch_rollback(struct store *);
int store_in_batch(const struct store *);

int64_t store_shop_id(struct store *, const char *, time_t);
int store_listing_get(
    struct store *, const char *, const char *, struct st_listing *);
int64_t store_listing_track(
    struct store *, int64_t, const char *, const char *, int64_t, time_t);
int store_listing_untrack(struct store *, int64_t, time_t);
int store_listing_set_status(struct store *, int64_t, const char *, time_t);
int store_listings(
    struct store *, const char *, const char *, struct st_listing **, size_t *);
void st_listing_clear(struct st_listing *);
int store_open_case_titles(
    struct store *, const char *, struct st_listing **, size_t *);
/* A listing sharing an image fingerprint with another (store_image_matches). */
struct st_image_match {
	int64_t listing_id;
	char *shop;
	char *product_id;
	int tracked;
	char *fingerprint;
	int64_t open_case; /* 0: none */
	char *reason; /* the open case's reason; NULL: none */
	time_t opened_at; /* when the open case was opened; 0: none */
};
int store_listing_images_set(struct store *, int64_t, const char *const *,
    const char *const *, size_t, time_t);
int store_image_matches(
    struct store *, int64_t, struct st_image_match **, size_t *);
void st_image_matches_free(struct st_image_match *, size_t);
int store_risk_once(struct store *, int64_t, int64_t, const char *, time_t);
int store_risk_raised(struct store *, int64_t, int64_t, const char *);
/* A standing finding of the compliance scan (listing.at_risk). */
struct st_finding {
	int64_t listing_id;
	char *shop;
	char *product_id;
	char *title; /* the listing's title now */
	char *code; /* title_banned_term, title_brand_unauthorized */
	char *term; /* the term as configured */
	char *field; /* where: "title" */
	char *quote; /* the listing's own words */
	char *fix; /* the rectification to make */
	time_t raised_at;
};
int store_findings(
    struct store *, int64_t, const char *, struct st_finding **, size_t *);
void st_findings_free(struct st_finding *, size_t);
int
store_finding_add(struct store *, int64_t, const struct st_finding *, time_t);
int store_finding_del(
    struct store *, int64_t, const char *, const char *, const char *);
/* A penalty-point entry of a shop's ledger (points). */
struct st_points {
	int64_t id;
	char *shop;
	int64_t case_id; /* 0: the seller's own figure (anchor) */
	char *ledger;
	int64_t points; /* what counts (after the cap or the merge) */
	int64_t asked; /* what the reason's rule gave */
	int anchor;
	time_t at; /* the penalty's date */
	char *day; /* its local date, YYYY-MM-DD */
	char *note;
	char *actor;
	time_t recorded_at;
};
int store_points(
    struct store *, const char *, const char *, struct st_points **, size_t *);
int store_points_case(struct store *, int64_t, struct st_points *);
int store_points_add(struct store *, const struct st_points *);
int store_points_correct(
    struct store *, int64_t, const char *, int64_t, const char *);
void st_point_clear(struct st_points *);
void st_points_free(struct st_points *, size_t);
int store_points_alert(
    struct store *, const char *, const char *, int64_t, int, time_t);
/*
 * A TRO case's matter (tro_matters): f[] in the order of enum
 * store_matter_field, each NULL when not recorded; dates "YYYY-MM-DD" in
 * the court's zone.
 */
enum store_matter_field {
	MATTER_COURT,
	MATTER_DOCKET,
	MATTER_PLAINTIFF,
	MATTER_COUNSEL,
	MATTER_FILED,
	MATTER_GRANTED,
	MATTER_SERVED,
	MATTER_TRO_EXPIRES,
	MATTER_PI_HEARING,
	MATTER_ANSWER_DUE,
	MATTER_SETTLED,
	MATTER_SETTLEMENT_AMOUNT,
	MATTER_SETTLEMENT_CURRENCY,
	MATTER_DISMISSED,
	MATTER_DISMISSAL_NOTE,
	STORE_MATTER_NFIELDS
};
struct st_matter {
	char *f[STORE_MATTER_NFIELDS];
	int tro_expires_given; /* 1: set by hand, else granted + tro_days */
	int answer_due_given; /* 1: set by hand, else served + answer_days */
	time_t updated_at;
};
int store_matter_get(struct store *, int64_t, struct st_matter *);
int store_matter_put(struct store *, int64_t, const struct st_matter *);
void st_matter_clear(struct st_matter *);
struct st_frozen {
	char *account;
	char *currency;
	char *amount; /* decimal text: "1234.50" */
	char *as_of; /* YYYY-MM-DD */
};
int store_frozen(struct store *, int64_t, struct st_frozen **, size_t *);
int store_frozen_put(struct store *, int64_t, const struct st_frozen *);
void st_frozen_free(struct st_frozen *, size_t);
struct st_tro_reminder {
	int64_t id; /* rowid: the STORE_DUE_TRO id */
	int64_t case_id;
	char *deadline; /* answer_due, tro_expires, pi_hearing */
	int64_t days; /* before the date */
	time_t due_at;
	int fired;
};
int store_tro_reminders_clear(struct store *, int64_t);
int
store_tro_reminder_add(struct store *, int64_t, const char *, int64_t, time_t);
int store_tro_reminders(
    struct store *, int64_t, int64_t, struct st_tro_reminder **, size_t *);
void st_tro_reminders_free(struct st_tro_reminder *, size_t);

int64_t store_case_insert(struct store *, const struct st_case *);
int store_case_get(struct store *, int64_t, struct st_case *);
int store_case_update(struct store *, const struct st_case *);
int store_cases(
    struct store *, const char *, const char *, struct st_case **, size_t *);
void st_case_clear(struct st_case *);

int64_t store_appeal_insert(struct store *, const struct st_appeal *);
int store_appeal_decide(
    struct store *, int64_t, const char *, const char *, time_t);
int store_appeals(struct store *, int64_t, struct st_appeal **, size_t *);
int store_appeal_set_due(struct store *, int64_t, time_t, time_t);
int store_appeals_pending(struct store *, struct st_appeal **, size_t *);
void st_appeals_free(struct st_appeal *, size_t);

int64_t store_event_append(struct store *, const struct st_event *);
int store_events(
    struct store *, int64_t, int64_t, int64_t, struct st_event **, size_t *);
int64_t store_event_last(struct store *);
int store_event_seen(
    struct store *, const char *, const char *, const char *, int64_t);
int store_case_has_event(struct store *, int64_t, const char *);
void st_events_free(struct st_event *, size_t);

int store_outbox_insert(struct store *, int64_t, const char *, int64_t, time_t);
int store_outbox_due(struct store *, const char *, time_t, int64_t,
    struct st_delivery **, size_t *);
time_t store_outbox_next(struct store *, const char *, time_t);
int store_outbox_case_next(struct store *, const char *, int64_t, int64_t,
    time_t, int64_t, struct st_delivery **, size_t *);
int store_outbox_get(struct store *, int64_t, struct st_delivery **, size_t *);
int store_outbox_list(
    struct store *, const char *, int64_t, struct st_delivery **, size_t *);
int store_outbox_for_case(
    struct store *, int64_t, const char *, struct st_delivery **, size_t *);
int store_outbox_settle(
    struct store *, int64_t, const char *, int, time_t, const char *, time_t);
int store_outbox_requeue(struct store *, int64_t, time_t);
int store_outbox_overtaken(struct store *, int64_t);
int store_outbox_open_for_event(struct store *, int64_t, int *);
int store_outbox_counts(struct store *, int64_t *, int64_t *);
int store_outbox_sinks(struct store *,
    void (*)(const char *, int64_t, int64_t, time_t, void *), void *);
int store_outbox_by_sink(
    struct store *, void (*)(const char *, int64_t, void *), void *);
/*
 * For /metrics, the gauges counted by label: fn(label, label2 (may be
 * NULL), count, arg) for each row, in label order.
 */
enum store_gauge {
	STORE_GAUGE_CASES_OPEN, /* by shop and reason */
	STORE_GAUGE_AT_RISK, /* tracked listings with findings, by shop */
	STORE_GAUGE_CONDITIONS, /* open conditions, by severity */
	STORE_GAUGE_COUNT
};
int store_gauge(struct store *, enum store_gauge,
    void (*)(const char *, const char *, int64_t, void *), void *);
void st_deliveries_free(struct st_delivery *, size_t);

time_t store_due_next(struct store *, enum store_due);
int
store_due_list(struct store *, enum store_due, time_t, int64_t **, size_t *);
int store_due_fired(struct store *, enum store_due, int64_t);

int store_document_get(struct store *, int64_t, struct st_document *);
int
store_document_by_sha256(struct store *, const char *, struct st_document *);
int store_documents(struct store *, const struct st_doc_filter *,
    struct st_document **, size_t *);
int64_t store_document_insert(struct store *, const struct st_document *);
int store_document_remove(struct store *, int64_t, time_t);
int store_document_set_alert(struct store *, int64_t, time_t, int, time_t);
int
store_document_attach(struct store *, int64_t, int64_t, time_t, const char *);
int store_document_detach(struct store *, int64_t, int64_t);
int store_document_refs(
    struct store *, int64_t, const char *, struct st_doc_ref **, size_t *);
int store_document_listings(struct store *, const struct st_document *, int64_t,
    struct st_listing **, size_t *);
void st_document_clear(struct st_document *);
void st_documents_free(struct st_document *, size_t);
void st_doc_refs_free(struct st_doc_ref *, size_t);
int store_appeal_escalated(struct store *, int64_t, int, int64_t, time_t, int);
int store_case_ack(
    struct store *, int64_t, const char *, time_t, time_t, const char *);
int64_t store_condition_insert(struct store *, const struct st_condition *);
int store_condition_get(struct store *, int64_t, struct st_condition **);
int store_conditions(
    struct store *, int, int64_t, int64_t, struct st_condition **, size_t *);
int store_condition_open(struct store *, const char *, int64_t, const char *);
int store_condition_update(struct store *, const struct st_condition *);
int store_conditions_resolve(
    struct store *, int64_t, const char *, const char *, time_t);
void st_conditions_free(struct st_condition *, size_t);
int store_snooze_set(
    struct store *, const char *, time_t, const char *, time_t, const char *);
int store_snooze_clear(struct store *, const char *, time_t);
time_t store_snooze_until(struct store *, const char *, time_t);
int store_snoozes(struct store *, time_t, struct st_snooze **, size_t *);
/* The Statistics (api-stats.c): NULL shop is every shop. */
struct stats_case;
int store_shop_exists(struct store *, const char *);
int store_stats_cases(struct store *, const char *, time_t, time_t,
    struct stats_case **, size_t *);
int store_stats_appeals(
    struct store *, const char *, time_t, time_t, unsigned (*)[3]);
void st_snoozes_free(struct st_snooze *, size_t);
time_t store_digest_last(struct store *, const char *); /* 0: none, -1: error */
int store_digest_set(struct store *, const char *, time_t);

/* The web console's users, sessions and case assignees (store.c). */
struct st_user {
	char *name;
	char *role;
	time_t created_at;
};
int store_user_get(struct store *, const char *, char **, char **);
int store_user_put(
    struct store *, const char *, const char *, const char *, time_t);
int store_user_delete(struct store *, const char *);
int store_users(struct store *, struct st_user **, size_t *);
void st_users_free(struct st_user *, size_t);
int store_sessions_drop(struct store *, const char *);
int store_session_put(struct store *, const char *, const char *, time_t);
int
store_session_get(struct store *, const char *, char **, time_t *, time_t *);
int store_session_touch(struct store *, const char *, time_t);
int store_session_delete(struct store *, const char *);
int store_sessions_expire(struct store *, time_t, time_t);
int store_case_assignee(struct store *, int64_t, char **);
int
store_board(struct store *, const struct st_board_query *, struct st_board *);
void st_board_clear(struct st_board *);
int store_case_image(struct store *, int64_t, char **);
int store_case_assign(struct store *, int64_t, const char *);
/* A watched listing as the source scheduler sees it. */
struct st_watch {
	int64_t id;
	char *shop;
	char *product_id;
	char *title;
	int tracked;
	int64_t check_interval; /* 0: the shop's */
	char *status; /* the confirmed status */
	char *obs_status; /* being confirmed; NULL: nothing pending */
	int obs_count; /* consecutive observations of obs_status */
	char *obs_code; /* the platform's code seen with it */
	int64_t obs_offline_at;
	int64_t obs_at; /* when obs_status was last counted */
	int fails; /* consecutive failed checks */
	int64_t next_check_at; /* 0: not scheduled */
	int64_t open_case; /* 0: none */
	char *case_state; /* NULL: no open case */
	int64_t not_found_at; /* since the source does not find it; 0 */
	char *healthy_sha256; /* the last healthy answer's file; NULL */
	char *healthy_key; /* its lasting part's digest (evidence_key) */
	char *healthy_title; /* the title it gave; NULL */
	int64_t healthy_at; /* when it was last seen healthy */
};

/* A tracked listing the source does not find (store_not_found). */
struct st_not_found {
	char *shop;
	char *product_id;
	time_t since;
};

struct st_shop_load {
	int64_t open_cases; /* not approved */
	int64_t approved; /* re-checked faster */
	int64_t healthy_default; /* tracked, no case, the shop's interval */
	double healthy_own_per_day; /* checks/day of those with their own */
};

struct st_budget {
	int64_t day; /* Beijing day number */
	int64_t calls;
	int64_t exhausted_day; /* the day source.quota_exhausted was raised */
	int auth_down; /* source.auth_failed raised, not yet recovered */
	int own_stop; /* exhausted_day came from our counter, not the platform */
};

struct st_evidence {
	int64_t case_id;
	char *kind; /* api_response, snapshot */
	char *sha256; /* NULL: the fetch failed */
	int64_t size;
	time_t at;
	char *url;
	char *error;
	char *title; /* before: the title the healthy answer gave */
};

int store_watch_get(struct store *, int64_t, struct st_watch *);
int store_watch_due(struct store *, int64_t, int, time_t, int64_t,
    struct st_watch **, size_t *);
time_t store_watch_next(struct store *, int64_t, int, time_t);
int store_watch_schedule(struct store *, int64_t, time_t);
int store_watch_due_by(struct store *, int64_t, time_t);
int store_watch_adopt(struct store *, int64_t, time_t);
int store_watch_observe(struct store *, const struct st_watch *, time_t);
/* An answer that only confirms what is stored (store_watch_confirm). */
struct st_confirm {
	int64_t id; /* the listing */
	const char *status; /* what the source said */
	const char *key; /* on_sale: the answer's evidence key; else NULL */
	time_t now;
	int64_t healthy; /* the interval of a listing without its own */
	double stretch;
	int64_t recheck; /* the interval of a listing with an open case */
	int64_t approved; /* ... at most, when its case is approved */
	int offsale; /* status is off sale: an open case may stay open */
};
int store_watch_confirm(struct store *, const struct st_confirm *, int64_t *);
void st_watch_clear(struct st_watch *);
void st_watches_free(struct st_watch *, size_t);
int store_listing_set_title(struct store *, int64_t, const char *);
int store_listing_seen_title(
    struct store *, const char *, const char *, const char *, time_t);
int store_listing_seen_title_get(
    struct store *, const char *, const char *, char **, time_t *);
int store_listing_set_code(struct store *, int64_t, const char *);
int store_case_set_platform(struct store *, int64_t, const char *, time_t);
int store_case_platform(struct store *, int64_t, char **, time_t *);
int store_shop_sched(struct store *, int64_t, time_t *, time_t *);
int store_shop_sched_set(struct store *, int64_t, time_t, time_t);
int store_shop_load(struct store *, int64_t, struct st_shop_load *);
int store_budget_get(struct store *, const char *, struct st_budget *);
int store_budget_set(struct store *, const char *, const struct st_budget *);
int store_evidence_add(struct store *, const struct st_evidence *);
int
store_evidence_list(struct store *, int64_t, struct st_evidence **, size_t *);
void st_evidence_free(struct st_evidence *, size_t);
int
store_not_found(struct store *, const char *, struct st_not_found **, size_t *);
void st_not_found_free(struct st_not_found *, size_t);
int store_evidence_used(struct store *, const char *);

/* api.c: the control API on a Unix socket (evhttp). */
struct api;
int api_socket_prepare(const char *, const char *, char **);
struct api *api_new(struct event_base *, int, const struct config *, char **);
void api_set_config(struct api *, const struct config *);
void api_stop_accepting(struct api *);
void api_free(struct api *);

/* plugin.c: modules, instances and the host services table. */
int plugin_init(struct event_base *);
typedef void (*plugin_gone_cb)(const char *, uint64_t);
void plugin_on_gone(plugin_gone_cb);
int plugin_apply(struct config *, char **);
void plugin_shutdown(void);
size_t plugin_count(void);
struct delistd_host *plugin_at(size_t);
struct delistd_host *plugin_find(const char *);
const char *plugin_name(const struct delistd_host *);
const struct config_plugin *plugin_config(const struct delistd_host *);
int plugin_is_sink(const struct delistd_host *);
int plugin_is_source(const struct delistd_host *);
uint64_t plugin_generation_of(const struct delistd_host *);
const struct delistd_source_info *
plugin_shop_source(const struct config *, const char *, const char **);
int plugin_id_ok(const struct delistd_source_info *, const char *);
const struct delistd_source_info *
plugin_source_info(const struct delistd_host *);
int plugin_has_flush(const struct delistd_host *);
int plugin_flush(struct delistd_host *, const struct delistd_event *);
int plugin_deliver(struct delistd_host *, const struct delistd_event *,
    delistd_deliver_done, void *);
int plugin_check(struct delistd_host *, const char *, const char *,
    delistd_check_done, void *);
int plugin_sweep(struct delistd_host *, const char *, enum delistd_status,
    const char *, delistd_sweep_done, void *);

/* outbox.c: durable delivery of events to sinks. */
int outbox_init(struct event_base *);
void outbox_shutdown(void);
struct event_opts;
int outbox_enqueue(int64_t, const struct st_event *, const struct event_opts *);
int outbox_subscribers(const char *, const char *);
int outbox_sinks(void);
void outbox_kick(void);
void outbox_snooze_changed(void);
size_t outbox_in_flight(void);
void outbox_stop(void (*)(void));
void outbox_instance_gone(const char *, uint64_t);
/* sched-source.c */
void sched_source_gone(const char *, uint64_t);
uint64_t outbox_delivered_total(void);
uint64_t outbox_failed_total(void);

/*
 * state.c: the daemon's running state, shared by the shell: main.c fills
 * it at start-up and on reload; the others read it.
 */
struct daemon_state {
	struct event_base *base;
	struct config *config;
	struct store *store;
	struct api *api;
	const char *config_path;
	int builtin_config;
	time_t started;
	uint64_t reloads_ok;
	uint64_t reloads_failed;
	time_t last_reload;
	char *last_reload_error;
	/* Builds a new configuration and swaps it in (main.c); -1, *cause. */
	int (*reload)(char **);
};
extern struct daemon_state *daemon_state;

#endif

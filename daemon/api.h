/* SPDX-License-Identifier: ISC */
/*
 * api.h: what a control API handler sees, and the API's JSON shapes: the
 * one place api.c, the handlers and delistctl.c agree on (delistd(8) says
 * the same for people).
 *
 * Times are strings: ISO 8601 in UTC ("2026-10-08T02:00:00Z") in answers;
 * requests take ISO 8601 with an offset ("2026-10-08T10:00:00+08:00" or
 * "...Z") in "at", which defaults to now and may not lie in the future.
 * Every error is {"error":{"code":C,"message":M}} (409 refusals add
 * "forceable": true|false and, for a duplicate case, "case": ID; an appeal
 * the preflight refuses is 422 "preflight_failed", "forceable": true, with
 * "findings": [finding...] as in the preflight's answer).
 *
 * listing: {"shop","product_id","title"|null,"tracked":bool,
 *   "status":"unknown"|"on_sale"|"delisted","check_interval":secs|null,
 *   "open_case":id|null,"created_at","updated_at","risks":["linked"|
 *   "evasion"...]} (risks raised about cases still open)
 * case (summary): {"id","shop","product_id","title"|null,"state","reason",
 *   "rule"|null,"opened_at","updated_at","closed_at"|null,
 *   "relisted_as"|null,"appeals":n,"rejections":n} and, as in the detail,
 *   "deadlines", "timezone", "ack", "assignee" and "image" (the listing's
 *   first https picture URL, or null): what the console's Board shows
 * case (detail): the summary plus
 *   "appeals": [{"n","platform_case_id","submitted_at","decided_at"|null,
 *     "decision":"approved"|"rejected"|null,"reject_reason"|null,
 *     "statement_sha256","statement","materials":[{"name","type","sha256",
 *     "size","document":id|null (the vault document with that content)}],"feedback_due_at","escalate_due_at","forced":[code...]}],
 *   "deadlines": {"feedback_due_at","escalate_due_at","stall_due_at"}
 *     (each an ISO time or null), "timezone": the shop's zone,
 *   "trail": [event...]
 * event: {"id","case":id|null,"shop","product_id","at","recorded_at",
 *   "actor","type","severity":"info"|"warning"|"critical","message",
 *   "data":{...}}
 *
 * GET    /v1/listings[?state=S&shop=S]         {"listings":[listing...]}
 * POST   /v1/listings {"shop","product_id","title"?,"interval"?,
 *          "images"?:[url...] (at most 50; given, they replace the stored
 *          image fingerprints; a bad URL is 400 and changes nothing)}
 *                                               201 (200 if tracked) listing
 * DELETE /v1/listings/{shop}/{product_id}       listing
 * GET    /v1/cases[?state=S&shop=S]            {"cases":[summary...]}
 * POST   /v1/cases {"shop","product_id","reason","rule"?,"at"?}
 *                                               201 detail
 * GET    /v1/cases/{id}                         detail
 * POST   /v1/cases/{id}/notes {"text","field"?,"before"?,"after"?,"at"?}
 * POST   /v1/cases/{id}/appeals {"platform_case_id","statement",
 *          "materials":[{"name","type","sha256","size"}]?,"at"?,"force"?}
 *          (sha256: 64 hex digits, either case, kept in lower case)
 *          runs the preflight first: errors refuse it (422) unless force;
 *          201 detail plus "preflight":[finding...] (what it found)
 * POST   /v1/cases/{id}/appeals/{n}/decision {"decision":"approved"|
 *          "rejected","reason" (required when rejected),"at"?}
 * POST   /v1/cases/{id}/reinstated {"at"?}
 * POST   /v1/cases/{id}/abandon {"relisted_as"?,"reason"?,"at"?}
 * POST   /v1/cases/{id}/close {"outcome":"dismissed"|"settled"|"judgment"|
 *          "lost","note","at"?}  a tro case's court outcome: dismissed
 *          and settled reinstate it (case.reinstated, then the sync),
 *          judgment and lost close it (case.closed); the data of either
 *          event has "outcome" and "note". 400 bad_outcome, 409 not_tro
 *          (any other reason) or the state rule's code
 *                                   each mutation answers 200/201 + detail
 * GET    /v1/cases/{id}/events                 {"events":[event...]}
 * GET    /v1/events[?case=ID&after=EVENT_ID&limit=N]
 *                                               {"events":[event...]}
 * (GET /v1/status also says "last_event_id", where a follower starts.)
 * GET    /v1/events?follow=1[&case=ID&after=EVENT_ID]
 *          a chunked stream of events, one JSON object per line: the
 *          backlog after EVENT_ID (none if absent), then each new one
 * delivery: {"id","sink","event_id","event_type","severity","case"|null,
 *   "shop"|null,"state":"pending"|"held"|"dead"|"done","attempts",
 *   "next_attempt_at"|null,"last_error"|null,"created_at","done_at"|null,
 *   and "held_until" when held (mail of a snoozed shop, until it ends)}
 * GET    /v1/outbox[?state=pending|held|dead|done] {"deliveries":[...]}
 *          (no state: pending, held and dead ones), at most 1000, oldest
 *          first
 * POST   /v1/outbox/{id}/retry                  {"requeued":1,"overtaken":
 *          0|1}; 404 if not a dead delivery
 * POST   /v1/outbox/retry                       {"requeued":n,"overtaken":m}:
 *          every dead one; "overtaken" counts those a later event of their
 *          case already reached at the same sink (they arrive out of order)
 * A case's detail has "sync": the deliveries of its latest case.reinstated
 * event (empty until it is reinstated), so people see which sinks are
 * still pending.
 * POST   /v1/cases/{id}/ack {"for"?: DURATION,"comment"?}
 *          someone took the case on: its reminders stop until the case
 *          changes state, or for DURATION ("4h", "2d"); answers the detail
 * A case's detail has "ack": null|{"by","at","until"|null,"comment"|null}
 *   and "conditions": its open critical conditions (below).
 * condition: {"id","type" (the event type that raised it),"severity",
 *   "case"|null,"shop"|null,"product_id"|null,"subject"|null,"raised_at",
 *   "next_reminder_at"|null,"reminders":n,"ack":null|{...as above}}
 * GET    /v1/conditions                        {"conditions":[condition...]}
 *          the open ones, oldest first
 * POST   /v1/conditions/{id}/ack {"for"?,"comment"?}  {"condition":id,
 *          "acknowledged":true}; a case's condition acknowledges the case
 * POST   /v1/shops/{shop}/snooze {"for": DURATION,"comment"?} or
 *          {"off": true}     {"shop","snoozed":bool,"until"|null}: no mail
 *          (sinks of module "mail") about the shop meanwhile
 * GET    /v1/status also has "snoozes": [{"shop","until","by","at",
 *          "comment"|null}], the snoozes in force
 * POST   /v1/cases/{id}/preflight {"statement"?,"materials"?,"title"?}
 *          {"case","ok":bool,"errors":n,"warnings":n,"findings":[{"code",
 *          "severity":"error"|"warning","group","message","score"?,
 *          "size"?}]}: what would get the appeal rejected; changes nothing
 *          (materials' sha256 compared in lower case); 500 "preflight"
 *          when the state database or the check itself fails
 * document: {"id","name" (as stored: the conventional name after rename),
 *   "original_name","type","format":"pdf"|"jpeg"|"png","sha256","size",
 *   "width"|null,"height"|null (pixels, images),"shop"|null,"products":[id..],
 *   "issuer"|null,"expires":"YYYY-MM-DD"|null,"expires_at"|null (00:00 of
 *   that date in the shop's zone, else the daemon's),"expired":bool,
 *   "next_alert_at"|null,"chain_of":id|null,"added_at","added_by",
 *   "removed_at"|null}
 * POST   /v1/documents?type=T&name=FILE[&shop=S&products=ID,ID&issuer=X
 *          &expires=YYYY-MM-DD&rename=0|1&chain_of=ID]
 *          the body is the file's raw bytes (Content-Type ignored; any
 *          up to daemon.max_upload, 32M by default; the JSON routes keep
 *          their 1 MiB); format by content. 201 document + "duplicate":
 *          false, "warnings":[sentence...] (file-name convention, expired);
 *          200 with "duplicate": true when the same content is already
 *          stored (nothing changes). 400 bad query, 413 too large, 422
 *          not a PDF/JPEG/PNG, corrupt/truncated, or an image below
 *          600x800 (the message says which and the measured size).
 * GET    /v1/documents[?shop=S&type=T&product=ID&case=ID&expiring=30d]
 *          {"documents":[document...]}: live ones; expiring=DUR keeps
 *          those whose expiry is within DUR from now (expired ones too)
 * GET    /v1/documents/{id}   document + "timezone", "cases":[{"case",
 *          "state","appeal":n|null (null: attached with case doc),"at"}],
 *          "covers":[{"shop","product_id","open_case"}] (tracked listings),
 *          and for brand_authorization "chain":[{"id","name","issuer"}]
 *          (brand owner first, this one last) and "chain_next":[id...]
 * GET    /v1/documents/{id}/content             the file (application/pdf,
 *          image/jpeg, image/png), Content-Disposition with its name
 * DELETE /v1/documents/{id}                     the document, removed; 409
 *          document_in_use while an open case has it attached or in an
 *          appeal's materials (matched by SHA-256)
 * GET    /v1/cases/{id}/documents               {"case","documents":[...]}
 *          each a document + "removed": bool (documents removed from the
 *          vault since stay listed, for closed cases and their exports)
 * POST   /v1/cases/{id}/documents {"document":ID,"at"?,"force"?}
 *          201 {"case","documents":[...]}; 409 already_attached,
 *          case_closed, or doc_not_covering with "forceable": true (the
 *          document names neither the case's product nor its shop;
 *          "force": true attaches it anyway). A case's detail has
 *          "documents" too.
 * DELETE /v1/cases/{id}/documents/{doc}         detaches it: 200
 *          {"case","documents":[...]}; 404 not_found or not_attached, 409
 *          case_closed. The trail gets case.document with "detached": true.
 * POST   /v1/cases/{id}/classify {"reason","rule"?}   200 detail: names
 *          the reason of a case (auto-opened ones are "unclassified")
 * evidence: {"kind":"api_response"|"snapshot","sha256"|null,"size","at",
 *   "url"|null,"error"|null} (sha256 null: the fetch failed, error says
 *   why); a case's detail has "evidence":[evidence...], "platform_code"
 *   and "offline_at" (null unless the source opened it)
 * GET    /v1/cases/{id}/evidence               {"case","evidence":[...]}
 * GET    /v1/cases/{id}/evidence/{sha256}       the archived bytes
 *          (application/octet-stream); 404 unless the case has that hash
 * POST   /v1/listings/import {"csv": text}     {"imported":n,"created":m}:
 *          lines "shop,product_id[,title]", a header line optional, a
 *          leading UTF-8 BOM skipped, no control character in a title; any bad
 *          line refuses the lot: 400 {"error":{"code":"bad_csv","message",
 *          "lines":[{"line":n,"message"}]}}
 * GET    /v1/status also has "sources":[{"name","state":"ok"|"throttled"|
 *          "quota_exhausted"|"auth_failed"|"not_a_source","shops":[...],
 *          "rate","burst","daily_quota","calls_today","in_flight",
 *          "plan":{"needed_per_day","fixed_per_day","fits","stretch"},
 *          "resume_at"|null}]
 * GET    /v1/cases/{id}/export[?format=md|json] the dossier: text/markdown
 *          or JSON {"case":detail,"generated_at","timezone"}, where every
 *          time "x_at" (and "at") of the detail has "x_at_local" beside it:
 *          the same instant in the shop's zone, "2026-10-08T10:00:00+08:00"
 * POST   /v1/cases/{id}/assign {"user": NAME|null}  detail; its "assignee"
 *          is the name or null; 400 bad_field for an unknown user
 * GET    /v1/status also has "web": {"listen": "HOST:PORT"|null}
 * GET    /v1/stats[?shop=S&weeks=N|from=DATE&to=DATE]  the Statistics
 *          (api-stats.c; the shape in delistd(8)): ISO weeks in the shop's
 *          zone, delistings per week by reason, appeal outcomes, days to
 *          reinstatement, open cases per week end; &chart=NAME&format=csv
 *          one chart as CSV
 * GET    /v1/status also has "timezone": the daemon's zone, and "shops":
 *          [{"name","timezone"}], each shop's zone (its own, else the
 *          daemon's), in which clients show times to people
 * GET    /v1/listings: each listing has "at_risk": [{"code","term","field",
 *          "quote","fix","raised_at"}], the compliance scan's findings
 *          that stand (empty when clean)
 * POST   /v1/scan {"shop"?}  {"shop","scanned","at_risk","raised",
 *          "cleared"}: the compliance scan of every tracked listing's title
 * GET    /v1/shops/{shop}/points  {"shop","timezone","expiry_days","note",
 *          "ledgers":[{"ledger","label","unit","total","next_threshold",
 *          "consequence","severe","level","typical","next_expiry_at",
 *          "expiring":[{"at","points","case"}],"entries":[...]}]}
 * POST   /v1/shops/{shop}/points  {"set":{"ledger","points"},"reason"} or
 *          {"correct":{"case","ledger","points"},"reason"}: as GET
 * GET    /v1/cases/{id}/matter  a tro case's court matter: the fields below,
 *          "answer_due_computed","tro_expires_computed","timezone",
 *          "updated_at","frozen":[{"account","currency","amount","as_of"}],
 *          "reminders":[{"deadline","days","at","fired"}],"note"; 404 if none.
 *          A case's detail (and the dossier) has it as "matter" (or null)
 * POST   /v1/cases/{id}/matter  {"court","docket","plaintiff","counsel",
 *          "filed","granted","served","tro_expires","pi_hearing",
 *          "answer_due","settled","settlement_amount","settlement_currency",
 *          "dismissed","dismissal_note": text|null,"frozen":{...}}
 * The web console's login, session and user routes: api-users.c. On its
 *   TCP listener (web.c) every request needs a session, a role and, to
 *   change something, the X-CSRF-Token header; its actor is "web:NAME".
 */

#ifndef API_H
#define API_H

#include <event2/keyvalq_struct.h>

struct evhttp_request;
struct evbuffer;
struct api;
struct json_t;

struct api_req {
	struct evhttp_request *req;
	struct api *api;
	const char *args[4]; /* the path segments matched by '*' */
	size_t nargs;
	struct json_t *body; /* the request's JSON object, or NULL */
	struct evkeyvalq query;
	int replied;
	int deferred; /* the handler answers later (streams) */
	int tcp; /* on the web console's listener (web.c), not the socket */
	char *who; /* there, the session's actor: "web:alice" */
	int role; /* and its role (enum web_role) */
	char *session; /* and its token's SHA-256 (hex) */
};

void api_reply(struct api_req *, int, struct json_t *);
void api_error(struct api_req *, int, const char *, const char *, ...)
    __attribute__((__format__(__printf__, 4, 5)));
void api_send_text(struct api_req *, int, const char *, struct evbuffer *);
int api_send_file(struct api_req *, const char *, const char *);
const char *api_query(struct api_req *, const char *);
int api_query_keys(struct api_req *, const char *const *, size_t);
size_t api_clients(const struct api *);
void api_conn_stream(struct api_req *);

/* api-cases.c */
void api_listings_get(struct api_req *);
void api_listings_post(struct api_req *);
void api_listings_delete(struct api_req *);
void api_cases_get(struct api_req *);
void api_cases_post(struct api_req *);
void api_case_get(struct api_req *);
void api_case_note(struct api_req *);
void api_case_appeal(struct api_req *);
void api_case_decision(struct api_req *);
void api_case_reinstated(struct api_req *);
void api_case_abandon(struct api_req *);
void api_case_close(struct api_req *);
void api_case_events(struct api_req *);
void api_case_export(struct api_req *);
void api_events_get(struct api_req *);
struct st_event;
struct lifecycle_err;
char *api_actor(struct api_req *);
/* 400 missing_body unless the request has a JSON object body. */
int api_need_body(struct api_req *);
int api_path_id(struct api_req *, size_t, int64_t *);
int api_check_listing(struct api_req *, const char *, const char *);
int api_product_id_bad(const char *, const char *, char *, size_t);
void api_reply_case(struct api_req *, int, int64_t);
void api_reply_err(struct api_req *, struct lifecycle_err *);
struct json_t *api_err_json(struct lifecycle_err *, int *);
int api_listing_state_bad(struct api_req *, const char *);

/*
 * What a case verb's body says, read once (its api_*_args, which answers
 * 400 itself and returns -1) and applied to each case of a bulk request
 * (its api_*_apply: a lifecycle verb, 0 or -1 with err set).
 */
struct api_case_args {
	time_t until; /* ack: its "for" from now; 0: until the state changes */
	const char *comment; /* ack */
	const char *user; /* assign: NULL unassigns */
	const char *relisted; /* abandon */
	time_t at; /* abandon */
	const char *reason; /* classify; abandon: why */
	const char *rule; /* classify */
};
int api_ack_args(struct api_req *, struct json_t *, struct api_case_args *);
int api_ack_apply(int64_t, const struct api_case_args *, const char *,
    struct lifecycle_err *);
int api_assign_args(struct api_req *, struct json_t *, struct api_case_args *);
int api_assign_apply(int64_t, const struct api_case_args *, const char *,
    struct lifecycle_err *);
int api_abandon_args(struct api_req *, struct json_t *, struct api_case_args *);
int api_abandon_apply(int64_t, const struct api_case_args *, const char *,
    struct lifecycle_err *);
int
api_classify_args(struct api_req *, struct json_t *, struct api_case_args *);
int api_classify_apply(int64_t, const struct api_case_args *, const char *,
    struct lifecycle_err *);

/* api-bulk.c */
void api_cases_bulk(struct api_req *);
void api_listings_untrack(struct api_req *);

/* api-source.c */
void api_case_classify(struct api_req *);
void api_case_evidence(struct api_req *);
void api_case_evidence_get(struct api_req *);
void api_listings_import(struct api_req *);
struct json_t *api_evidence_json(int64_t);

/* api-cases.c: followers of the event stream. */
void api_events_publish(const struct st_event *);
void api_events_conn_closed(void *);
void api_events_stop(void);

/* api-alerts.c */
struct st_case;
void api_case_ack(struct api_req *);
void api_conditions_get(struct api_req *);
void api_condition_ack(struct api_req *);
void api_shop_snooze(struct api_req *);

/* api-scan.c */
void api_scan_post(struct api_req *);
struct json_t *api_scan_findings_json(int64_t);

/* api-points.c */
void api_points_get(struct api_req *);
void api_points_post(struct api_req *);

/* api-tro.c */
void api_matter_get(struct api_req *);
void api_matter_post(struct api_req *);
struct json_t *api_matter_json(int64_t);
struct json_t *api_conditions_json(int64_t);
struct json_t *api_snoozes_json(void);
struct json_t *api_ack_json(const struct st_case *);
struct json_t *api_warnings_json(void);

/* api-preflight.c */
struct preflight_findings;
void api_case_preflight(struct api_req *);
struct json_t *api_findings_json(const struct preflight_findings *);

/* api-outbox.c */
struct st_delivery;
void api_outbox_get(struct api_req *);
void api_outbox_retry(struct api_req *);
void api_outbox_retry_dead(struct api_req *);
struct json_t *api_delivery_json(const struct st_delivery *);
uint64_t api_requests(const struct api *);

/* api-stats.c: the Statistics. */
void api_stats_get(struct api_req *);

/* api-users.c: the web console's login, session and users; assignees. */
void api_login(struct api_req *);
void api_logout(struct api_req *);
void api_session(struct api_req *);
void api_users_get(struct api_req *);
void api_users_post(struct api_req *);
void api_user_delete(struct api_req *);
void api_user_password(struct api_req *);
void api_case_assign(struct api_req *);
struct json_t *api_case_assignee_json(int64_t);

#endif

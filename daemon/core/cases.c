/* SPDX-License-Identifier: ISC */
/*
 * cases.c: the case state machine and the appeal rules.
 *
 * Every (state, action) pair is one row of cases_steps; every refusal is one
 * row of cases_codes; names of states, actions, reasons, document types and
 * event types are rows too. This file decides, the caller persists: it must
 * not include SQLite, libevent, curl or socket headers, read the clock, keep
 * global state, allocate, or hash anything (hashes come in as hex strings).
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cases.h"
#include "i18n.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* Refusal codes; C_NONE must stay 0 so that an allowed row needs no code. */
enum cases_code {
	C_NONE,
	C_NO_RECTIFICATION,
	C_UNDER_REVIEW,
	C_ALREADY_APPROVED,
	C_ALREADY_REINSTATED,
	C_MANUAL_REVIEW,
	C_CASE_CLOSED,
	C_NO_APPEAL_PENDING,
	C_NOT_REINSTATED,
	C_ALREADY_SYNCED,
	C_NOT_FINISHED,
	C_TRO_NEEDS_COURT_PAPERS,
	C_SAME_STATEMENT,
	C_SAME_MATERIALS,
	C_INVALID,
	C_NOT_TRO,
	C_NOT_SEEN_OFF_SALE,
	C_TRO_AWAITS_OUTCOME,
	C_COUNT
};

/* What a refusal message may mention. */
struct cases_why {
	enum case_state state;
	const struct case_ctx *ctx;
	int match; /* the earlier appeal that matches */
	const char *rejection; /* the latest rejection's reason, or NULL */
};

typedef void (*cases_why_fn)(char *, size_t, const struct cases_why *);

struct cases_code_row {
	const char *name;
	int forceable;
	const char *text; /* the message, when fmt is NULL */
	cases_why_fn fmt;
};

enum cases_row_kind {
	ROW_UNSET, /* a forgotten cell: refused as invalid */
	ROW_GO,
	ROW_REFUSE
};

/*
 * One (state, action) cell. For ROW_GO, next/event; for ROW_REFUSE, code,
 * plus next/event where the code is forceable (where force leads). With
 * counted set, the rejection that reaches max_appeals goes to limit_next
 * with limit_event instead. raise lifts the event's default severity.
 */
struct cases_step_row {
	enum cases_row_kind kind;
	enum case_state next;
	enum cases_event_type event;
	enum cases_code code;
	enum cases_severity raise;
	int counted;
	enum case_state limit_next;
	enum cases_event_type limit_event;
};

struct cases_event_row {
	const char *name;
	enum cases_severity severity;
	const char *describe;
	/*
	 * A critical condition: its reminder's type, re-announced until it is
	 * acknowledged or resolved. 0 (case.opened, never a reminder): none.
	 */
	enum cases_event_type reminder;
};

struct cases_reason_row {
	const char *name;
	int settable; /* a person may give it */
	/*
	 * A court case (TRO): appeals need a court_paper document, and it
	 * ends only on a recorded outcome, never reinstated from observation.
	 */
	int court;
	const char *describe;
};

struct cases_outcome_row {
	const char *name;
	enum case_action act; /* what the outcome does to the case */
	const char *describe;
};

struct cases_state_row {
	const char *name;
	int open;
	const char *next; /* what a person does next, for lists */
};

struct cases_doc_row {
	const char *name;
	int court_paper; /* answers a TRO */
	const char *describe;
};

static int cases_lookup(const char *, const char *const *, size_t, size_t);
static int cases_reason_court(enum case_reason);
static const struct cases_doc_row *cases_doc_find(const char *);
static int cases_hash_eq(const char *, const char *);
static int cases_hash_in(const char *, const struct appeal_doc *, size_t);
static int cases_docs_same(
    const struct appeal_doc *, size_t, const struct appeal_doc *, size_t);
static void
cases_refuse(struct case_refusal *, enum cases_code, const struct cases_why *);
static void
cases_why_no_rectification(char *, size_t, const struct cases_why *);
static void cases_why_under_review(char *, size_t, const struct cases_why *);
static void cases_why_manual_review(char *, size_t, const struct cases_why *);
static void cases_why_case_closed(char *, size_t, const struct cases_why *);
static void cases_why_same_statement(char *, size_t, const struct cases_why *);
static void cases_why_same_materials(char *, size_t, const struct cases_why *);
static const char *cases_quote(const char *);

static const char *const cases_severity_names[] = {
	[CASES_SEV_INFO] = "info",
	[CASES_SEV_WARNING] = "warning",
	[CASES_SEV_CRITICAL] = "critical",
};
_Static_assert(
    nitems(cases_severity_names) == CASES_SEV_COUNT, "one name per severity");

static const struct cases_event_row cases_events[] = {
	[CASES_EV_CASE_OPENED] = { "case.opened", CASES_SEV_INFO,
	    N_("a case was opened for a delisted listing") },
	[CASES_EV_CASE_NOTE] = { "case.note", CASES_SEV_INFO,
	    N_("a rectification was recorded") },
	[CASES_EV_CASE_APPEALED] = { "case.appealed", CASES_SEV_INFO,
	    N_("an appeal was submitted") },
	[CASES_EV_CASE_APPROVED] = { "case.approved", CASES_SEV_INFO,
	    N_("the platform approved the appeal") },
	[CASES_EV_CASE_REJECTED] = { "case.rejected", CASES_SEV_WARNING,
	    N_("the platform rejected the appeal") },
	[CASES_EV_CASE_MANUAL_REVIEW] = { "case.manual_review",
	    CASES_SEV_CRITICAL,
	    N_("the last allowed appeal was rejected; the platform re-reviews "
	       "by hand"),
	    CASES_EV_CASE_MANUAL_REVIEW_REMINDER },
	[CASES_EV_CASE_REINSTATED] = { "case.reinstated", CASES_SEV_INFO,
	    N_("the listing is on sale again, or may sell again (a TRO "
	       "dismissed or settled): resume the ads and the ERP") },
	[CASES_EV_CASE_SYNCED] = { "case.synced", CASES_SEV_INFO,
	    N_("every subscribed sink acknowledged the reinstatement") },
	[CASES_EV_CASE_ABANDONED] = { "case.abandoned", CASES_SEV_INFO,
	    N_("the case was given up (or relisted under a new ID)") },
	[CASES_EV_CASE_CLOSED] = { "case.closed", CASES_SEV_INFO,
	    N_("the case was closed (a TRO on a judgment or lost: the listing "
	       "is not resumed)") },
	[CASES_EV_CASE_CLASSIFIED] = { "case.classified", CASES_SEV_INFO,
	    N_("the case was given a delisting reason") },
	[CASES_EV_CASE_FEEDBACK_OVERDUE] = { "case.feedback_overdue",
	    CASES_SEV_WARNING,
	    N_("no feedback on the appeal yet; open a ticket with customer "
	       "service") },
	[CASES_EV_CASE_ESCALATED] = { "case.escalated", CASES_SEV_CRITICAL,
	    N_("an escalation tier: no decision on the appeal after its "
	       "business days; chase customer service with the Case ID"),
	    CASES_EV_CASE_ESCALATED_REMINDER },
	[CASES_EV_CASE_STALLED] = { "case.stalled", CASES_SEV_WARNING,
	    N_("the case has been open for a while without an appeal") },
	[CASES_EV_LISTING_TRACKED] = { "listing.tracked", CASES_SEV_INFO,
	    N_("a listing is now watched") },
	[CASES_EV_LISTING_UNTRACKED] = { "listing.untracked", CASES_SEV_INFO,
	    N_("a listing is no longer watched") },
	[CASES_EV_LISTING_DELISTED] = { "listing.delisted", CASES_SEV_WARNING,
	    N_("a listing was seen delisted") },
	[CASES_EV_LISTING_STATUS_CHANGED] = { "listing.status_changed",
	    CASES_SEV_INFO, N_("a listing's confirmed status changed") },
	[CASES_EV_DOC_EXPIRING] = { "doc.expiring", CASES_SEV_WARNING,
	    N_("a document expires in 30, 7 or 1 days (critical on its last "
	       "valid day)") },
	[CASES_EV_DOC_EXPIRED] = { "doc.expired", CASES_SEV_CRITICAL,
	    N_("a document's expiry date has ended") },
	[CASES_EV_DOC_ADDED] = { "doc.added", CASES_SEV_INFO,
	    N_("a document was stored in the vault") },
	[CASES_EV_DOC_REMOVED] = { "doc.removed", CASES_SEV_INFO,
	    N_("a document was removed from the vault") },
	[CASES_EV_CASE_DOCUMENT] = { "case.document", CASES_SEV_INFO,
	    N_("a vault document was attached to the case") },
	[CASES_EV_DELIVERY_DEAD] = { "delivery.dead", CASES_SEV_CRITICAL,
	    N_("a sink could not take an event after every retry"),
	    CASES_EV_DELIVERY_DEAD_REMINDER },
	[CASES_EV_LISTING_EVASION_RISK] = { "listing.evasion_risk",
	    CASES_SEV_WARNING,
	    N_("a new listing looks like a relisting of one with an open case") },
	[CASES_EV_LISTING_LINKED_RISK] = { "listing.linked_risk",
	    CASES_SEV_WARNING,
	    N_("a listing shares images with one whose case is open for "
	       "ip_infringement or unauthorized_media") },
	[CASES_EV_CASE_ESCALATED_REMINDER] = { "case.escalated.reminder",
	    CASES_SEV_CRITICAL,
	    N_("an escalated appeal is still undecided and nobody acknowledged "
	       "it") },
	[CASES_EV_CASE_MANUAL_REVIEW_REMINDER] = { "case.manual_review.reminder",
	    CASES_SEV_CRITICAL,
	    N_("a case is still in manual review and nobody acknowledged it") },
	[CASES_EV_DELIVERY_DEAD_REMINDER] = { "delivery.dead.reminder",
	    CASES_SEV_CRITICAL,
	    N_("a dead delivery was neither retried nor acknowledged") },
	[CASES_EV_CASE_ACKNOWLEDGED] = { "case.acknowledged", CASES_SEV_INFO,
	    N_("someone took the case on: its reminders stop") },
	[CASES_EV_CONDITION_ACKNOWLEDGED] = { "condition.acknowledged",
	    CASES_SEV_INFO,
	    N_("someone took a condition without a case on (a dead delivery)") },
	[CASES_EV_SHOP_SNOOZED] = { "shop.snoozed", CASES_SEV_INFO,
	    N_("mail about a shop is held for a while") },
	[CASES_EV_SHOP_UNSNOOZED] = { "shop.unsnoozed", CASES_SEV_INFO,
	    N_("a shop's snooze was ended by hand") },
	[CASES_EV_DIGEST_DAILY] = { "digest.daily", CASES_SEV_INFO,
	    N_("a shop's open work, every business day at digest_at") },
	[CASES_EV_CASE_NEEDS_CLASSIFICATION] = { "case.needs_classification",
	    CASES_SEV_WARNING,
	    N_("a case opened by the source waits for its reason: delistctl "
	       "case classify") },
	[CASES_EV_CASE_EVIDENCE] = { "case.evidence", CASES_SEV_INFO,
	    N_("evidence was archived for a case (or its fetch failed)") },
	[CASES_EV_SOURCE_QUOTA_EXHAUSTED] = { "source.quota_exhausted",
	    CASES_SEV_CRITICAL,
	    N_("a source used up its daily API quota; checks stop until "
	       "00:00 Beijing time"),
	    CASES_EV_SOURCE_QUOTA_EXHAUSTED_REMINDER },
	[CASES_EV_SOURCE_AUTH_FAILED] = { "source.auth_failed",
	    CASES_SEV_CRITICAL,
	    N_("the platform refused a source's credentials; nothing is "
	       "checked until they work again"),
	    CASES_EV_SOURCE_AUTH_FAILED_REMINDER },
	[CASES_EV_SOURCE_RECOVERED] = { "source.recovered", CASES_SEV_INFO,
	    N_("a source answers again after an outage") },
	[CASES_EV_SOURCE_QUOTA_EXHAUSTED_REMINDER] = { "source.quota_exhausted.reminder",
	    CASES_SEV_CRITICAL,
	    N_("a source's quota is still used up and nobody acknowledged it") },
	[CASES_EV_SOURCE_AUTH_FAILED_REMINDER] = { "source.auth_failed.reminder",
	    CASES_SEV_CRITICAL,
	    N_("a source's credentials are still refused and nobody "
	       "acknowledged it") },
	[CASES_EV_CALENDAR_UNCOVERED] = { "calendar.uncovered",
	    CASES_SEV_WARNING,
	    N_("a shop's calendar has no holiday or make-up workday in the "
	       "current year, or in the next one within 60 days") },
	[CASES_EV_LISTING_ON_SALE_DURING_CASE] = { "listing.on_sale_during_case",
	    CASES_SEV_WARNING,
	    N_("a listing with an open case is on sale, but that does not end "
	       "the case (a TRO, or never seen off sale): once per case") },
	[CASES_EV_LISTING_NOT_FOUND] = { "listing.not_found", CASES_SEV_WARNING,
	    N_("the source confirmed it has no such listing: deleted, or a "
	       "wrong ID") },
	[CASES_EV_SHOP_HELD_MAIL] = { "shop.held_mail", CASES_SEV_INFO,
	    N_("a shop's snooze ended: every event its mail sinks held "
	       "meanwhile, in one summary") },
	[CASES_EV_CASE_ASSIGNED] = { "case.assigned", CASES_SEV_INFO,
	    N_("a case was assigned to a console user, or unassigned") },
	[CASES_EV_LISTING_AT_RISK] = { "listing.at_risk", CASES_SEV_WARNING,
	    N_("the compliance scan found a banned term or an unauthorized brand in a listing: once per listing and finding") },
	[CASES_EV_LISTING_AT_RISK_CLEARED] = { "listing.at_risk_cleared",
	    CASES_SEV_INFO,
	    N_("a listing the scan warned about no longer holds the term") },
	[CASES_EV_SHOP_POINTS_RECORDED] = { "shop.points_recorded",
	    CASES_SEV_INFO,
	    N_("a case's violation was confirmed: its points go on the shop's ledger") },
	[CASES_EV_SHOP_POINTS_THRESHOLD] = { "shop.points_threshold",
	    CASES_SEV_CRITICAL,
	    N_("a shop's ledger reached a threshold: the platform's consequence applies") },
	[CASES_EV_SHOP_POINTS_WARNING] = { "shop.points_warning",
	    CASES_SEV_WARNING,
	    N_("a shop's ledger is near a threshold (critical: one more typical violation freezes or closes)") },
	[CASES_EV_SHOP_POINTS_CORRECTED] = { "shop.points_corrected",
	    CASES_SEV_INFO,
	    N_("the seller corrected a case's points or set a ledger to their own figure") },
	[CASES_EV_TRO_MATTER] = { "tro.matter", CASES_SEV_INFO,
	    N_("a TRO case's court matter was recorded or changed: court, docket, dates, frozen funds, settlement, dismissal") },
	[CASES_EV_TRO_DEADLINE] = { "tro.deadline", CASES_SEV_WARNING,
	    N_("a TRO matter's court date is near (answer due, TRO expiry, PI hearing); the last reminder is critical"),
	    CASES_EV_TRO_DEADLINE_REMINDER },
	[CASES_EV_TRO_DEADLINE_REMINDER] = { "tro.deadline.reminder",
	    CASES_SEV_CRITICAL,
	    N_("a TRO court date is still near and nobody acknowledged the case") },
};
_Static_assert(nitems(cases_events) == CASES_EV_COUNT, "one row per event");

static const struct cases_reason_row cases_reasons[] = {
	[CASE_REASON_IP_INFRINGEMENT] = { "ip_infringement", 1, 0,
	    N_("counterfeit or unauthorised brand, logo in images") },
	[CASE_REASON_CATEGORY_MISPLACED] = { "category_misplaced", 1, 0,
	    N_("listed in the wrong category") },
	[CASE_REASON_FALSE_INFO] = { "false_info", 1, 0,
	    N_("title or attributes do not match the product") },
	[CASE_REASON_PROHIBITED_WORDS] = { "prohibited_words", 1, 0,
	    N_("absolute terms such as \"best quality\", \"No.1\", \"100%\"") },
	[CASE_REASON_UNAUTHORIZED_MEDIA] = { "unauthorized_media", 1, 0,
	    N_("third-party watermarks, images or video without rights") },
	[CASE_REASON_MISSING_CERTIFICATION] = { "missing_certification", 1, 0,
	    N_("no CE / FCC / UKCA / SASO etc. for a regulated category") },
	[CASE_REASON_NOT_AS_DESCRIBED] = { "not_as_described", 1, 0,
	    N_("buyer complaints that the product is not as described") },
	[CASE_REASON_DUPLICATE_LISTING] = { "duplicate_listing", 1, 0,
	    N_("the same product listed several times") },
	[CASE_REASON_TRO] = { "tro", 1, 1,
	    N_("a US court Temporary Restraining Order from a rights holder") },
	[CASE_REASON_SPOT_CHECK] = { "spot_check", 1, 0,
	    N_("platform sampling") },
	[CASE_REASON_OTHER] = { "other", 1, 0, N_("any other violation") },
	[CASE_REASON_UNCLASSIFIED] = { "unclassified", 0, 0,
	    N_("opened by the daemon; the reason is not recorded yet") },
};
_Static_assert(
    nitems(cases_reasons) == CASE_REASON_COUNT, "one row per reason");

/* The settable rows of cases_reasons, in order (checked by the tests). */
static const char cases_reason_names[] =
    "ip_infringement, category_misplaced, false_info, prohibited_words, "
    "unauthorized_media, missing_certification, not_as_described, "
    "duplicate_listing, tro, spot_check, other";

static const struct cases_doc_row cases_docs[] = {
	{ "ce", 0, N_("CE declaration or certificate (EU)") },
	{ "fcc", 0, N_("FCC certificate (US)") },
	{ "ukca", 0, N_("UKCA certificate (UK)") },
	{ "saso", 0, N_("SASO certificate (Saudi Arabia)") },
	{ "test_report", 0, N_("laboratory test report") },
	{ "trademark", 0, N_("trademark registration") },
	{ "brand_authorization", 0, N_("the brand owner's authorisation") },
	{ "invoice", 0,
	    N_("purchase invoice from the brand or a distributor") },
	{ "court_order", 1, N_("court order (e.g. dissolving a TRO)") },
	{ "dismissal", 1,
	    N_("the rights holder's dismissal or withdrawal letter") },
	{ "other", 0, N_("any other document") },
};

/* The rows of cases_docs, in order (checked by the tests). */
static const char cases_doc_names[] =
    "ce, fcc, ukca, saso, test_report, trademark, brand_authorization, "
    "invoice, court_order, dismissal, other";

static const struct cases_state_row cases_states[] = {
	[CASE_STATE_OPEN] = { "open", 1, N_("rectify the listing") },
	[CASE_STATE_RECTIFYING] = { "rectifying", 1, N_("submit the appeal") },
	[CASE_STATE_APPEALED] = { "appealed", 1,
	    N_("wait for the decision, do not resubmit") },
	[CASE_STATE_APPROVED] = { "approved", 1,
	    N_("check the listing is shown again") },
	[CASE_STATE_REINSTATED] = { "reinstated", 1,
	    N_("wait for the sinks to sync") },
	[CASE_STATE_SYNCED] = { "synced", 0, N_("nothing") },
	[CASE_STATE_MANUAL_REVIEW] = { "manual_review", 1,
	    N_("decide by hand: no appeal left") },
	[CASE_STATE_ABANDONED] = { "abandoned", 0, N_("nothing") },
	[CASE_STATE_CLOSED] = { "closed", 0, N_("nothing") },
};
_Static_assert(nitems(cases_states) == CASE_STATE_COUNT, "one row per state");

static const char *const cases_actions[] = {
	[CASE_ACT_NOTE] = "note",
	[CASE_ACT_APPEAL] = "appeal",
	[CASE_ACT_APPROVE] = "approve",
	[CASE_ACT_REJECT] = "reject",
	[CASE_ACT_REINSTATE] = "reinstate",
	[CASE_ACT_SYNC_DONE] = "sync_done",
	[CASE_ACT_ABANDON] = "abandon",
	[CASE_ACT_CLOSE] = "close",
	[CASE_ACT_LOSE] = "lose",
};
_Static_assert(nitems(cases_actions) == CASE_ACT_COUNT, "one name per action");

static const struct cases_outcome_row cases_outcomes[] = {
	[CASE_OUTCOME_DISMISSED] = { "dismissed", CASE_ACT_REINSTATE,
	    "the rights holder dismissed the case: the funds are unfrozen "
	    "and the listing may sell again" },
	[CASE_OUTCOME_SETTLED] = { "settled", CASE_ACT_REINSTATE,
	    "settled with the rights holder: the funds are unfrozen and the "
	    "listing may sell again" },
	[CASE_OUTCOME_JUDGMENT] = { "judgment", CASE_ACT_LOSE,
	    "a (default) judgment for the rights holder: the frozen funds go "
	    "to them; the listing is not resumed" },
	[CASE_OUTCOME_LOST] = { "lost", CASE_ACT_LOSE,
	    "lost or given up in court: the listing is not resumed" },
};
_Static_assert(
    nitems(cases_outcomes) == CASE_OUTCOME_COUNT, "one row per outcome");

/* The rows of cases_outcomes, in order (checked by the tests). */
static const char cases_outcome_names[] = "dismissed, settled, judgment, lost";

static const struct cases_code_row cases_codes[] = {
	[C_NONE] = { NULL, 0, NULL, NULL },
	[C_NO_RECTIFICATION] = { "no_rectification", 1, NULL,
	    cases_why_no_rectification },
	[C_UNDER_REVIEW] = { "under_review", 0, NULL, cases_why_under_review },
	[C_ALREADY_APPROVED] = { "already_approved", 0,
	    "the appeal was already approved; wait for the listing to come "
	    "back on sale, or record it: delistctl case reinstated ID",
	    NULL },
	[C_ALREADY_REINSTATED] = { "already_reinstated", 0,
	    "the listing is already back on sale", NULL },
	[C_MANUAL_REVIEW] = { "manual_review", 0, NULL,
	    cases_why_manual_review },
	[C_CASE_CLOSED] = { "case_closed", 0, NULL, cases_why_case_closed },
	[C_NO_APPEAL_PENDING] = { "no_appeal_pending", 0,
	    "there is no appeal awaiting a decision", NULL },
	[C_NOT_REINSTATED] = { "not_reinstated", 0,
	    "the listing is not reinstated; sync completes only after "
	    "reinstatement",
	    NULL },
	[C_ALREADY_SYNCED] = { "already_synced", 0,
	    "every sink already acknowledged the reinstatement", NULL },
	[C_NOT_FINISHED] = { "not_finished", 0,
	    "close a case once it is synced or abandoned", NULL },
	[C_TRO_NEEDS_COURT_PAPERS] = { "tro_needs_court_papers", 0,
	    "a TRO is only lifted by court papers: attach the court order or "
	    "the rights holder's dismissal letter (type court_order or "
	    "dismissal); a bare \"no infringement\" statement is always "
	    "rejected",
	    NULL },
	[C_SAME_STATEMENT] = { "same_statement", 1, NULL,
	    cases_why_same_statement },
	[C_SAME_MATERIALS] = { "same_materials", 1, NULL,
	    cases_why_same_materials },
	[C_INVALID] = { "invalid", 0,
	    "unknown state or action (a bug in the caller)", NULL },
	[C_NOT_TRO] = { "not_tro", 0,
	    "only a tro case ends on a court outcome; record how this one "
	    "ended with delistctl case reinstated or case abandon (or "
	    "classify it tro first)",
	    NULL },
	[C_NOT_SEEN_OFF_SALE] = { "not_seen_off_sale", 0,
	    "the case was opened by hand and the source has not seen the "
	    "listing off sale since, so being on sale is no reinstatement: "
	    "check the listing in the seller centre; if it really came back, "
	    "record it with delistctl case reinstated",
	    NULL },
	[C_TRO_AWAITS_OUTCOME] = { "tro_awaits_outcome", 0,
	    "a TRO freezes the funds whatever the listing shows: the case "
	    "ends only on the court's outcome, recorded with delistctl case "
	    "close ID --outcome dismissed|settled|judgment|lost --note TEXT",
	    NULL },
};
_Static_assert(nitems(cases_codes) == C_COUNT, "one row per code");

/* clang-format off */
#define GO(s, e) { .kind = ROW_GO, .next = CASE_STATE_##s,		\
	.event = CASES_EV_##e }
#define NO(c) { .kind = ROW_REFUSE, .code = C_##c }
/* Refused unless forced (and the code is forceable); force leads to s, e. */
#define NO_UNLESS_FORCED(c, s, e) { .kind = ROW_REFUSE, .code = C_##c,	\
	.next = CASE_STATE_##s, .event = CASES_EV_##e }
/* clang-format on */

/* The whole machine: design.md "Case lifecycle". */
static const struct cases_step_row cases_steps[CASE_STATE_COUNT]
					      [CASE_ACT_COUNT] = {
	[CASE_STATE_OPEN] = {
		[CASE_ACT_NOTE] = GO(RECTIFYING, CASE_NOTE),
		[CASE_ACT_APPEAL] = NO_UNLESS_FORCED(NO_RECTIFICATION,
		    APPEALED, CASE_APPEALED),
		[CASE_ACT_APPROVE] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REJECT] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REINSTATE] = GO(REINSTATED, CASE_REINSTATED),
		[CASE_ACT_SYNC_DONE] = NO(NOT_REINSTATED),
		[CASE_ACT_ABANDON] = GO(ABANDONED, CASE_ABANDONED),
		[CASE_ACT_CLOSE] = NO(NOT_FINISHED),
		[CASE_ACT_LOSE] = GO(CLOSED, CASE_CLOSED),
	},
	[CASE_STATE_RECTIFYING] = {
		[CASE_ACT_NOTE] = GO(RECTIFYING, CASE_NOTE),
		[CASE_ACT_APPEAL] = GO(APPEALED, CASE_APPEALED),
		[CASE_ACT_APPROVE] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REJECT] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REINSTATE] = GO(REINSTATED, CASE_REINSTATED),
		[CASE_ACT_SYNC_DONE] = NO(NOT_REINSTATED),
		[CASE_ACT_ABANDON] = GO(ABANDONED, CASE_ABANDONED),
		[CASE_ACT_CLOSE] = NO(NOT_FINISHED),
		[CASE_ACT_LOSE] = GO(CLOSED, CASE_CLOSED),
	},
	[CASE_STATE_APPEALED] = {
		[CASE_ACT_NOTE] = GO(APPEALED, CASE_NOTE),
		[CASE_ACT_APPEAL] = NO(UNDER_REVIEW),
		[CASE_ACT_APPROVE] = GO(APPROVED, CASE_APPROVED),
		[CASE_ACT_REJECT] = {
			.kind = ROW_GO,
			.next = CASE_STATE_RECTIFYING,
			.event = CASES_EV_CASE_REJECTED,
			.counted = 1,
			.limit_next = CASE_STATE_MANUAL_REVIEW,
			.limit_event = CASES_EV_CASE_MANUAL_REVIEW,
		},
		[CASE_ACT_REINSTATE] = GO(REINSTATED, CASE_REINSTATED),
		[CASE_ACT_SYNC_DONE] = NO(NOT_REINSTATED),
		[CASE_ACT_ABANDON] = GO(ABANDONED, CASE_ABANDONED),
		[CASE_ACT_CLOSE] = NO(NOT_FINISHED),
		[CASE_ACT_LOSE] = GO(CLOSED, CASE_CLOSED),
	},
	[CASE_STATE_APPROVED] = {
		[CASE_ACT_NOTE] = GO(APPROVED, CASE_NOTE),
		[CASE_ACT_APPEAL] = NO(ALREADY_APPROVED),
		[CASE_ACT_APPROVE] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REJECT] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REINSTATE] = GO(REINSTATED, CASE_REINSTATED),
		[CASE_ACT_SYNC_DONE] = NO(NOT_REINSTATED),
		[CASE_ACT_ABANDON] = GO(ABANDONED, CASE_ABANDONED),
		[CASE_ACT_CLOSE] = NO(NOT_FINISHED),
		[CASE_ACT_LOSE] = GO(CLOSED, CASE_CLOSED),
	},
	[CASE_STATE_REINSTATED] = {
		[CASE_ACT_NOTE] = GO(REINSTATED, CASE_NOTE),
		[CASE_ACT_APPEAL] = NO(ALREADY_REINSTATED),
		[CASE_ACT_APPROVE] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REJECT] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REINSTATE] = NO(ALREADY_REINSTATED),
		[CASE_ACT_SYNC_DONE] = GO(SYNCED, CASE_SYNCED),
		[CASE_ACT_ABANDON] = GO(ABANDONED, CASE_ABANDONED),
		[CASE_ACT_CLOSE] = NO(NOT_FINISHED),
		[CASE_ACT_LOSE] = GO(CLOSED, CASE_CLOSED),
	},
	[CASE_STATE_SYNCED] = {
		[CASE_ACT_NOTE] = NO(CASE_CLOSED),
		[CASE_ACT_APPEAL] = NO(CASE_CLOSED),
		[CASE_ACT_APPROVE] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REJECT] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REINSTATE] = NO(ALREADY_REINSTATED),
		[CASE_ACT_SYNC_DONE] = NO(ALREADY_SYNCED),
		[CASE_ACT_ABANDON] = NO(CASE_CLOSED),
		[CASE_ACT_CLOSE] = GO(CLOSED, CASE_CLOSED),
		[CASE_ACT_LOSE] = NO(CASE_CLOSED),
	},
	[CASE_STATE_MANUAL_REVIEW] = {
		[CASE_ACT_NOTE] = GO(MANUAL_REVIEW, CASE_NOTE),
		[CASE_ACT_APPEAL] = NO(MANUAL_REVIEW),
		[CASE_ACT_APPROVE] = GO(APPROVED, CASE_APPROVED),
		[CASE_ACT_REJECT] = {
			.kind = ROW_GO,
			.next = CASE_STATE_CLOSED,
			.event = CASES_EV_CASE_REJECTED,
			.raise = CASES_SEV_CRITICAL,
		},
		[CASE_ACT_REINSTATE] = GO(REINSTATED, CASE_REINSTATED),
		[CASE_ACT_SYNC_DONE] = NO(NOT_REINSTATED),
		[CASE_ACT_ABANDON] = GO(ABANDONED, CASE_ABANDONED),
		[CASE_ACT_CLOSE] = NO(NOT_FINISHED),
		[CASE_ACT_LOSE] = GO(CLOSED, CASE_CLOSED),
	},
	[CASE_STATE_ABANDONED] = {
		[CASE_ACT_NOTE] = NO(CASE_CLOSED),
		[CASE_ACT_APPEAL] = NO(CASE_CLOSED),
		[CASE_ACT_APPROVE] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REJECT] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REINSTATE] = NO(CASE_CLOSED),
		[CASE_ACT_SYNC_DONE] = NO(CASE_CLOSED),
		[CASE_ACT_ABANDON] = NO(CASE_CLOSED),
		[CASE_ACT_CLOSE] = GO(CLOSED, CASE_CLOSED),
		[CASE_ACT_LOSE] = NO(CASE_CLOSED),
	},
	[CASE_STATE_CLOSED] = {
		[CASE_ACT_NOTE] = NO(CASE_CLOSED),
		[CASE_ACT_APPEAL] = NO(CASE_CLOSED),
		[CASE_ACT_APPROVE] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REJECT] = NO(NO_APPEAL_PENDING),
		[CASE_ACT_REINSTATE] = NO(CASE_CLOSED),
		[CASE_ACT_SYNC_DONE] = NO(CASE_CLOSED),
		[CASE_ACT_ABANDON] = NO(CASE_CLOSED),
		[CASE_ACT_CLOSE] = NO(CASE_CLOSED),
		[CASE_ACT_LOSE] = NO(CASE_CLOSED),
	},
};

static int
cases_lookup(
    const char *name, const char *const *names, size_t stride, size_t n)
{
	const char *const *p;
	size_t i;

	if (name == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		p = (const char *const *)((const char *)names + i * stride);
		if (*p != NULL && strcmp(*p, name) == 0)
			return ((int)i);
	}
	return (-1);
}

#define CASES_LOOKUP(name, table) \
	cases_lookup( \
	    (name), &(table)[0].name, sizeof((table)[0]), nitems(table))

const char *
cases_severity_name(enum cases_severity s)
{
	if ((unsigned)s >= CASES_SEV_COUNT)
		return (NULL);
	return (cases_severity_names[s]);
}

int
cases_severity_from_name(const char *name)
{
	return (cases_lookup(name, cases_severity_names,
	    sizeof(cases_severity_names[0]), nitems(cases_severity_names)));
}

const char *
cases_event_name(enum cases_event_type e)
{
	if ((unsigned)e >= CASES_EV_COUNT)
		return (NULL);
	return (cases_events[e].name);
}

int
cases_event_from_name(const char *name)
{
	return (CASES_LOOKUP(name, cases_events));
}

enum cases_severity
cases_event_severity(enum cases_event_type e)
{
	if ((unsigned)e >= CASES_EV_COUNT)
		return (CASES_SEV_INFO);
	return (cases_events[e].severity);
}

int
cases_event_reminder(enum cases_event_type e)
{
	if ((unsigned)e >= CASES_EV_COUNT ||
	    cases_events[e].reminder == CASES_EV_CASE_OPENED)
		return (-1);
	return ((int)cases_events[e].reminder);
}

const char *
cases_event_describe(enum cases_event_type e)
{
	if ((unsigned)e >= CASES_EV_COUNT)
		return (NULL);
	return (cases_events[e].describe);
}

const char *
cases_reason_name(enum case_reason r)
{
	if ((unsigned)r >= CASE_REASON_COUNT)
		return (NULL);
	return (cases_reasons[r].name);
}

int
cases_reason_from_name(const char *name)
{
	return (CASES_LOOKUP(name, cases_reasons));
}

int
cases_reason_valid(const char *name)
{
	int r;

	if ((r = cases_reason_from_name(name)) == -1)
		return (0);
	return (cases_reasons[r].settable);
}

const char *
cases_reason_list(void)
{
	return (cases_reason_names);
}

const char *
cases_reason_describe(enum case_reason r)
{
	if ((unsigned)r >= CASE_REASON_COUNT)
		return (NULL);
	return (cases_reasons[r].describe);
}

static const struct cases_doc_row *
cases_doc_find(const char *name)
{
	int i;

	if ((i = CASES_LOOKUP(name, cases_docs)) == -1)
		return (NULL);
	return (&cases_docs[i]);
}

int
cases_doc_type_valid(const char *name)
{
	return (cases_doc_find(name) != NULL);
}

const char *
cases_doc_type_list(void)
{
	return (cases_doc_names);
}

const char *
cases_doc_type_describe(const char *name)
{
	const struct cases_doc_row *d;

	if ((d = cases_doc_find(name)) == NULL)
		return (NULL);
	return (d->describe);
}

const char *
cases_state_name(enum case_state s)
{
	if ((unsigned)s >= CASE_STATE_COUNT)
		return (NULL);
	return (cases_states[s].name);
}

const char *
cases_state_next(enum case_state s)
{
	if ((unsigned)s >= CASE_STATE_COUNT)
		return (NULL);
	return (cases_states[s].next);
}

int
cases_state_from_name(const char *name)
{
	return (CASES_LOOKUP(name, cases_states));
}

int
cases_state_is_open(enum case_state s)
{
	if ((unsigned)s >= CASE_STATE_COUNT)
		return (0);
	return (cases_states[s].open);
}

const char *
cases_action_name(enum case_action a)
{
	if ((unsigned)a >= CASE_ACT_COUNT)
		return (NULL);
	return (cases_actions[a]);
}

int
cases_action_from_name(const char *name)
{
	return (cases_lookup(name, cases_actions, sizeof(cases_actions[0]),
	    nitems(cases_actions)));
}

void
cases_rules_init(struct case_rules *rules)
{
	rules->max_appeals = CASES_MAX_APPEALS_DEFAULT;
	rules->feedback_after = CASES_FEEDBACK_AFTER_DEFAULT;
}

static const char *
cases_quote(const char *s)
{
	return (s != NULL ? s : "");
}

static void
cases_why_no_rectification(char *buf, size_t len, const struct cases_why *w)
{
	if (w->ctx->case_id > 0)
		snprintf(buf, len,
		    "record what you changed first: delistctl "
		    "case note %lld \"what changed, and where\"",
		    (long long)w->ctx->case_id);
	else
		snprintf(buf, len,
		    "record what you changed first: delistctl "
		    "case note ID \"what changed, and where\"");
}

static void
cases_why_under_review(char *buf, size_t len, const struct cases_why *w)
{
	const struct case_ctx *ctx = w->ctx;

	if (ctx->review_n > 0 && ctx->review_case_id != NULL)
		snprintf(buf, len,
		    "appeal %d (platform Case ID %s) is under "
		    "review; do not resubmit while it is reviewed",
		    ctx->review_n, ctx->review_case_id);
	else if (ctx->review_n > 0)
		snprintf(buf, len,
		    "appeal %d is under review; do not "
		    "resubmit while it is reviewed",
		    ctx->review_n);
	else
		snprintf(buf, len,
		    "an appeal is under review; do not "
		    "resubmit while it is reviewed");
}

static void
cases_why_manual_review(char *buf, size_t len, const struct cases_why *w)
{
	(void)w;
	snprintf(buf, len,
	    "the platform re-reviews this case by hand after "
	    "the last allowed rejection; no more appeals: wait for its "
	    "decision and record it (delistctl case decision)");
}

static void
cases_why_case_closed(char *buf, size_t len, const struct cases_why *w)
{
	snprintf(buf, len,
	    "case is closed (%s, no longer open); if the listing is "
	    "delisted again, a new case opens",
	    cases_quote(cases_state_name(w->state)));
}

static void
cases_why_same_statement(char *buf, size_t len, const struct cases_why *w)
{
	if (w->rejection != NULL && *w->rejection != '\0')
		snprintf(buf, len,
		    "the statement is identical to appeal %d's; "
		    "say what changed since the rejection (\"%.200s\")",
		    w->match, w->rejection);
	else
		snprintf(buf, len,
		    "the statement is identical to appeal %d's; "
		    "say what changed since the rejection",
		    w->match);
}

static void
cases_why_same_materials(char *buf, size_t len, const struct cases_why *w)
{
	if (w->rejection != NULL && *w->rejection != '\0')
		snprintf(buf, len,
		    "the attachments are the same files as "
		    "appeal %d's; add or replace what the rejection asks for "
		    "(\"%.200s\")",
		    w->match, w->rejection);
	else
		snprintf(buf, len,
		    "the attachments are the same files as "
		    "appeal %d's; add or replace what the rejection asks for",
		    w->match);
}

static void
cases_refuse(
    struct case_refusal *out, enum cases_code code, const struct cases_why *w)
{
	const struct cases_code_row *row = &cases_codes[code];

	out->code = row->name;
	out->forceable = row->forceable;
	out->forced = 0;
	if (row->fmt != NULL)
		row->fmt(out->why, sizeof out->why, w);
	else
		snprintf(out->why, sizeof out->why, "%s", row->text);
}

int
cases_transition(enum case_state from, enum case_action act,
    const struct case_ctx *ctx, int force, struct case_step *out)
{
	static const struct case_ctx zero;
	const struct cases_step_row *row;
	struct cases_why w;
	enum cases_severity sev;
	int max;

	memset(out, 0, sizeof *out);
	if (ctx == NULL)
		ctx = &zero;
	memset(&w, 0, sizeof w);
	w.state = from;
	w.ctx = ctx;

	if ((unsigned)from >= CASE_STATE_COUNT ||
	    (unsigned)act >= CASE_ACT_COUNT) {
		cases_refuse(&out->refusal, C_INVALID, &w);
		return (-1);
	}
	row = &cases_steps[from][act];
	switch (row->kind) {
	case ROW_GO:
		break;
	case ROW_REFUSE:
		cases_refuse(&out->refusal, row->code, &w);
		if (!force || !out->refusal.forceable)
			return (-1);
		out->forced = out->refusal.forced = 1;
		break;
	default:
		cases_refuse(&out->refusal, C_INVALID, &w);
		return (-1);
	}

	out->next = row->next;
	out->event = row->event;
	if (row->counted) {
		max = ctx->max_appeals > 0 ? ctx->max_appeals
					   : CASES_MAX_APPEALS_DEFAULT;
		if (ctx->rejections + 1 >= max) {
			out->next = row->limit_next;
			out->event = row->limit_event;
		}
	}
	sev = cases_event_severity(out->event);
	out->severity = row->raise > sev ? row->raise : sev;
	return (0);
}

void
cases_ctx_from_appeals(struct case_ctx *ctx, const struct case_view *c,
    const struct appeal_view *prev, size_t nprev,
    const struct case_rules *rules)
{
	size_t i;

	memset(ctx, 0, sizeof *ctx);
	if (c != NULL)
		ctx->case_id = c->id;
	ctx->max_appeals = rules != NULL && rules->max_appeals > 0
	    ? rules->max_appeals
	    : CASES_MAX_APPEALS_DEFAULT;
	for (i = 0; i < nprev; i++) {
		switch (prev[i].decision) {
		case APPEAL_REJECTED:
			ctx->rejections++;
			break;
		case APPEAL_UNDECIDED:
			ctx->review_n = prev[i].n;
			ctx->review_case_id = prev[i].platform_case_id;
			break;
		default:
			break;
		}
	}
}

static int
cases_hash_eq(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcasecmp(a, b) == 0);
}

static int
cases_hash_in(const char *h, const struct appeal_doc *docs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (cases_hash_eq(h, docs[i].sha256))
			return (1);
	}
	return (0);
}

/* Equal as sets of hashes: every hash of each side is on the other. */
static int
cases_docs_same(const struct appeal_doc *a, size_t na,
    const struct appeal_doc *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na; i++) {
		if (!cases_hash_in(a[i].sha256, b, nb))
			return (0);
	}
	for (i = 0; i < nb; i++) {
		if (!cases_hash_in(b[i].sha256, a, na))
			return (0);
	}
	return (1);
}

int
cases_appeal_check(const struct case_view *c, const struct appeal_view *prev,
    size_t nprev, const struct appeal_req *req, const struct case_rules *rules,
    int force, struct case_refusal *out)
{
	struct case_ctx ctx;
	struct case_step step;
	struct case_refusal hard, soft, r;
	struct cases_why w;
	const struct cases_doc_row *d;
	size_t i, same_stmt = 0, same_docs = 0;
	int court;

	memset(out, 0, sizeof *out);
	memset(&hard, 0, sizeof hard);
	memset(&soft, 0, sizeof soft);
	cases_ctx_from_appeals(&ctx, c, prev, nprev, rules);
	memset(&w, 0, sizeof w);
	w.state = c->state;
	w.ctx = &ctx;

#define CASES_NOTE_REFUSAL(r) \
	do { \
		if (!(r).forceable && hard.code == NULL) \
			hard = (r); \
		else if ((r).forceable && soft.code == NULL) \
			soft = (r); \
	} while (0)

	if (cases_transition(c->state, CASE_ACT_APPEAL, &ctx, 0, &step) == -1)
		CASES_NOTE_REFUSAL(step.refusal);

	for (i = 0; i < nprev; i++) {
		if (prev[i].decision == APPEAL_UNDECIDED) {
			cases_refuse(&r, C_UNDER_REVIEW, &w);
			CASES_NOTE_REFUSAL(r);
			break;
		}
	}

	if ((unsigned)c->reason < CASE_REASON_COUNT &&
	    cases_reasons[c->reason].court) {
		court = 0;
		for (i = 0; i < req->ndocs; i++) {
			d = cases_doc_find(req->docs[i].type);
			if (d != NULL && d->court_paper)
				court = 1;
		}
		if (!court) {
			cases_refuse(&r, C_TRO_NEEDS_COURT_PAPERS, &w);
			CASES_NOTE_REFUSAL(r);
		}
	}

	/* The latest rejection is what the new appeal must answer. */
	for (i = nprev; i > 0; i--) {
		if (prev[i - 1].decision == APPEAL_REJECTED) {
			w.rejection = prev[i - 1].rejection_reason;
			break;
		}
	}
	/* Name the latest earlier appeal that matches (1-based, 0: none). */
	for (i = nprev; i > 0; i--) {
		if (same_stmt == 0 &&
		    cases_hash_eq(
			req->statement_sha256, prev[i - 1].statement_sha256))
			same_stmt = i;
		if (same_docs == 0 &&
		    cases_docs_same(req->docs, req->ndocs, prev[i - 1].docs,
			prev[i - 1].ndocs))
			same_docs = i;
	}
	if (same_stmt != 0) {
		w.match = prev[same_stmt - 1].n;
		cases_refuse(&r, C_SAME_STATEMENT, &w);
		CASES_NOTE_REFUSAL(r);
	}
	if (same_docs != 0) {
		w.match = prev[same_docs - 1].n;
		cases_refuse(&r, C_SAME_MATERIALS, &w);
		CASES_NOTE_REFUSAL(r);
	}
#undef CASES_NOTE_REFUSAL

	if (hard.code != NULL) {
		*out = hard;
		return (-1);
	}
	if (soft.code != NULL) {
		*out = soft;
		if (!force)
			return (-1);
		out->forced = 1;
	}
	return (0);
}

time_t
cases_feedback_due(time_t submitted, const struct case_rules *rules)
{
	int64_t after = CASES_FEEDBACK_AFTER_DEFAULT;
	time_t due;

	if (rules != NULL && rules->feedback_after > 0)
		after = rules->feedback_after;
	if (__builtin_add_overflow(submitted, after, &due))
		return ((time_t)INT64_MAX);
	return (due);
}

const char *
cases_outcome_name(enum case_outcome o)
{
	if ((unsigned)o >= CASE_OUTCOME_COUNT)
		return (NULL);
	return (cases_outcomes[o].name);
}

int
cases_outcome_from_name(const char *name)
{
	return (CASES_LOOKUP(name, cases_outcomes));
}

const char *
cases_outcome_list(void)
{
	return (cases_outcome_names);
}

const char *
cases_outcome_describe(enum case_outcome o)
{
	if ((unsigned)o >= CASE_OUTCOME_COUNT)
		return (NULL);
	return (cases_outcomes[o].describe);
}

/* 1 if a case of reason r is a court case (a TRO). */
static int
cases_reason_court(enum case_reason r)
{
	return ((unsigned)r < CASE_REASON_COUNT && cases_reasons[r].court);
}

int
cases_outcome_step(
    const struct case_view *c, enum case_outcome outcome, struct case_step *out)
{
	struct cases_why w;

	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	w.state = c->state;
	if ((unsigned)outcome >= CASE_OUTCOME_COUNT) {
		cases_refuse(&out->refusal, C_INVALID, &w);
		return (-1);
	}
	if (!cases_reason_court(c->reason)) {
		cases_refuse(&out->refusal, C_NOT_TRO, &w);
		return (-1);
	}
	return (cases_transition(
	    c->state, cases_outcomes[outcome].act, NULL, 0, out));
}

int
cases_seen_on_sale(
    const struct case_view *c, int seen_off_sale, struct case_refusal *out)
{
	struct cases_why w;

	memset(out, 0, sizeof *out);
	memset(&w, 0, sizeof w);
	w.state = c->state;
	if (cases_reason_court(c->reason)) {
		cases_refuse(out, C_TRO_AWAITS_OUTCOME, &w);
		return (-1);
	}
	if (!seen_off_sale) {
		cases_refuse(out, C_NOT_SEEN_OFF_SALE, &w);
		return (-1);
	}
	return (0);
}

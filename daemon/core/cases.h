/* SPDX-License-Identifier: ISC */
/*
 * cases.h: the case state machine and the appeal rules (cases.c).
 *
 * Pure: no I/O, no clock, no global state, no allocation. The store/API layer
 * loads a case and its appeals into the view structs below, asks whether an
 * action is allowed and what follows, then persists the answer. Names (states,
 * reasons, event types, refusal codes) are stable and are what gets stored and
 * sent; the enum values are not and must never be persisted.
 */

#ifndef CASES_H
#define CASES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Defaults for struct case_rules (domain.md "Rules with numbers"). */
#define CASES_MAX_APPEALS_DEFAULT 3
#define CASES_FEEDBACK_AFTER_DEFAULT ((int64_t)72 * 3600)

/* Size of the human reason buffer in struct case_refusal. */
#define CASES_WHY_MAX 512

/*
 * Event severities, ordered: a sink with min_severity "warning" takes
 * warning and critical. Compare them with < and >.
 */
enum cases_severity {
	CASES_SEV_INFO,
	CASES_SEV_WARNING,
	CASES_SEV_CRITICAL,
	CASES_SEV_COUNT
};

/* "info", "warning", "critical"; NULL if out of range. */
const char *cases_severity_name(enum cases_severity);
/* The severity called name, or -1. */
int cases_severity_from_name(const char *);

/*
 * Every event type the daemon appends to a trail or hands to the outbox, with
 * its default severity. The name ("case.appealed") is what is stored and what
 * sinks subscribe to.
 */
enum cases_event_type {
	CASES_EV_CASE_OPENED, /* info */
	CASES_EV_CASE_NOTE, /* info: a rectification note */
	CASES_EV_CASE_APPEALED, /* info */
	CASES_EV_CASE_APPROVED, /* info */
	CASES_EV_CASE_REJECTED, /* warning */
	CASES_EV_CASE_MANUAL_REVIEW, /* critical */
	CASES_EV_CASE_REINSTATED, /* info */
	CASES_EV_CASE_SYNCED, /* info */
	CASES_EV_CASE_ABANDONED, /* info */
	CASES_EV_CASE_CLOSED, /* info */
	CASES_EV_CASE_CLASSIFIED, /* info */
	CASES_EV_CASE_FEEDBACK_OVERDUE, /* warning */
	CASES_EV_CASE_ESCALATED, /* critical */
	CASES_EV_CASE_STALLED, /* warning */
	CASES_EV_LISTING_TRACKED, /* info */
	CASES_EV_LISTING_UNTRACKED, /* info */
	CASES_EV_LISTING_DELISTED, /* warning */
	CASES_EV_LISTING_STATUS_CHANGED, /* info */
	CASES_EV_DOC_EXPIRING, /* warning (critical on the last day) */
	CASES_EV_DOC_EXPIRED, /* critical */
	CASES_EV_DOC_ADDED, /* info: a document went into the vault */
	CASES_EV_DOC_REMOVED, /* info */
	CASES_EV_CASE_DOCUMENT, /* info: a vault document attached to a case */
	CASES_EV_DELIVERY_DEAD, /* critical: a sink gave up on an event */
	CASES_EV_LISTING_EVASION_RISK, /* warning: relisted during a case? */
	CASES_EV_LISTING_LINKED_RISK, /* warning: shares images with a case */
	CASES_EV_CASE_ESCALATED_REMINDER, /* critical */
	CASES_EV_CASE_MANUAL_REVIEW_REMINDER, /* critical */
	CASES_EV_DELIVERY_DEAD_REMINDER, /* critical */
	CASES_EV_CASE_ACKNOWLEDGED, /* info */
	CASES_EV_CONDITION_ACKNOWLEDGED, /* info */
	CASES_EV_SHOP_SNOOZED, /* info */
	CASES_EV_SHOP_UNSNOOZED, /* info */
	CASES_EV_DIGEST_DAILY, /* info */
	CASES_EV_CASE_NEEDS_CLASSIFICATION, /* warning: auto-opened */
	CASES_EV_CASE_EVIDENCE, /* info: evidence archived (or not) */
	CASES_EV_SOURCE_QUOTA_EXHAUSTED, /* critical */
	CASES_EV_SOURCE_AUTH_FAILED, /* critical */
	CASES_EV_SOURCE_RECOVERED, /* info */
	CASES_EV_SOURCE_QUOTA_EXHAUSTED_REMINDER, /* critical */
	CASES_EV_SOURCE_AUTH_FAILED_REMINDER, /* critical */
	CASES_EV_CALENDAR_UNCOVERED, /* warning: a year without dates */
	CASES_EV_LISTING_ON_SALE_DURING_CASE, /* warning: not a reinstatement */
	CASES_EV_LISTING_NOT_FOUND, /* warning: the source has no such listing */
	CASES_EV_SHOP_HELD_MAIL, /* info: what a snooze held, in one mail */
	CASES_EV_CASE_ASSIGNED, /* info: a case's assignee changed */
	CASES_EV_LISTING_AT_RISK, /* warning: the scan found a term */
	CASES_EV_LISTING_AT_RISK_CLEARED, /* info: the term is gone */
	CASES_EV_SHOP_POINTS_RECORDED, /* info: a confirmed violation's points */
	CASES_EV_SHOP_POINTS_THRESHOLD, /* critical: a ledger reached one */
	CASES_EV_SHOP_POINTS_WARNING, /* warning (critical): near a threshold */
	CASES_EV_SHOP_POINTS_CORRECTED, /* info: the seller's correction */
	CASES_EV_TRO_MATTER, /* info: a TRO case's matter was recorded */
	CASES_EV_TRO_DEADLINE, /* warning (critical the last): a court date */
	CASES_EV_TRO_DEADLINE_REMINDER, /* critical */
	CASES_EV_COUNT
};

/* "case.opened" etc.; NULL if out of range. */
const char *cases_event_name(enum cases_event_type);
/* The event type called name, or -1. */
int cases_event_from_name(const char *);
/* Default severity of an event type (CASES_SEV_INFO if out of range). */
enum cases_severity cases_event_severity(enum cases_event_type);
/*
 * A critical-condition type's reminder type ("<type>.reminder"), or -1 if
 * events of this type are not re-announced.
 */
int cases_event_reminder(enum cases_event_type);
/* One line saying when the event happens; NULL if out of range. */
const char *cases_event_describe(enum cases_event_type);

/* Why a listing was delisted (domain.md "the reason taxonomy"). */
enum case_reason {
	CASE_REASON_IP_INFRINGEMENT,
	CASE_REASON_CATEGORY_MISPLACED,
	CASE_REASON_FALSE_INFO,
	CASE_REASON_PROHIBITED_WORDS,
	CASE_REASON_UNAUTHORIZED_MEDIA,
	CASE_REASON_MISSING_CERTIFICATION,
	CASE_REASON_NOT_AS_DESCRIBED,
	CASE_REASON_DUPLICATE_LISTING,
	CASE_REASON_TRO,
	CASE_REASON_SPOT_CHECK,
	CASE_REASON_OTHER,
	CASE_REASON_UNCLASSIFIED, /* auto-opened, not yet classified */
	CASE_REASON_COUNT
};

/* "ip_infringement" etc.; NULL if out of range. */
const char *cases_reason_name(enum case_reason);
/* Any reason, unclassified included (for loading stored cases), or -1. */
int cases_reason_from_name(const char *);
/*
 * 1 if a person may give this reason (case open/classify): every reason but
 * "unclassified", which only the daemon assigns to auto-opened cases.
 */
int cases_reason_valid(const char *);
/* The reasons cases_reason_valid accepts, comma-separated, for messages. */
const char *cases_reason_list(void);
/* One line for people; NULL if out of range. */
const char *cases_reason_describe(enum case_reason);

/*
 * Types of documents attached to a case or an appeal. 1 if name is one of:
 * ce, fcc, ukca, saso, test_report, trademark, brand_authorization, invoice,
 * court_order, dismissal, other. court_order and dismissal answer a TRO.
 */
int cases_doc_type_valid(const char *);
/* The same list, comma-separated, for messages. */
const char *cases_doc_type_list(void);
/* One line for people about a valid type; NULL if unknown. */
const char *cases_doc_type_describe(const char *);

/* Case states (design.md "Case lifecycle"). */
enum case_state {
	CASE_STATE_OPEN,
	CASE_STATE_RECTIFYING,
	CASE_STATE_APPEALED,
	CASE_STATE_APPROVED,
	CASE_STATE_REINSTATED,
	CASE_STATE_SYNCED,
	CASE_STATE_MANUAL_REVIEW,
	CASE_STATE_ABANDONED,
	CASE_STATE_CLOSED,
	CASE_STATE_COUNT
};

/* "open", "manual_review" etc.; NULL if out of range. */
const char *cases_state_name(enum case_state);
/* The state called name, or -1. */
int cases_state_from_name(const char *);
/*
 * What a person does next with a case in state s ("submit the appeal"),
 * as delistctl cases shows it; NULL if out of range.
 */
const char *cases_state_next(enum case_state);
/*
 * 1 if a case in this state is open (a listing has at most one open case):
 * open, rectifying, appealed, approved, reinstated, manual_review. 0 for
 * synced, abandoned, closed and out-of-range values.
 */
int cases_state_is_open(enum case_state);

/* What a person, the daemon or a plugin asks of a case. */
enum case_action {
	CASE_ACT_NOTE, /* record a rectification note */
	CASE_ACT_APPEAL, /* an appeal was submitted */
	CASE_ACT_APPROVE, /* the platform approved the pending appeal */
	CASE_ACT_REJECT, /* the platform rejected the pending appeal */
	CASE_ACT_REINSTATE, /* listing on sale again (seen, or by hand) */
	CASE_ACT_SYNC_DONE, /* every subscribed sink acked the reinstatement */
	CASE_ACT_ABANDON, /* relisted under a new ID, or given up */
	CASE_ACT_CLOSE,
	CASE_ACT_LOSE, /* a court outcome against the seller ends it */
	CASE_ACT_COUNT
};

/* "note", "appeal", "approve", "reject", "reinstate", "sync_done",
 * "abandon", "close", "lose"; NULL if out of range. */
const char *cases_action_name(enum case_action);
/* The action called name, or -1. */
int cases_action_from_name(const char *);

/* Configurable rules; see cases_rules_init for the defaults. */
struct case_rules {
	int max_appeals; /* rejections before manual_review; <= 0: 3 */
	int64_t feedback_after; /* seconds; <= 0: 72h */
};

/* Fills rules with the defaults (3 appeals, 72 hours). */
void cases_rules_init(struct case_rules *);

/*
 * What the transition rules need to know beyond the state. A NULL ctx means
 * all zeros (no rejections, default max_appeals, nothing under review).
 */
struct case_ctx {
	int64_t case_id; /* for "delistctl case note ID"; 0: unknown */
	int rejections; /* rejected appeals BEFORE this action */
	int max_appeals; /* <= 0: CASES_MAX_APPEALS_DEFAULT */
	int review_n; /* number of the appeal under review; 0: none */
	const char *review_case_id; /* its platform Case ID; NULL: not known */
};

/*
 * Why something was refused. code is a stable snake_case name (for the JSON
 * error and for tests), why a sentence for people that says what to do.
 * forceable is 1 when --force would override this refusal (and every other
 * refusal that applied). forced is 1 when force did override it: the action
 * is allowed and code/why say what was overridden (for the event payload).
 *
 * Codes: no_rectification (forceable), under_review, already_approved,
 * already_reinstated, manual_review, case_closed, no_appeal_pending,
 * not_reinstated, already_synced, not_finished, tro_needs_court_papers,
 * same_statement (forceable), same_materials (forceable), invalid,
 * not_tro, not_seen_off_sale, tro_awaits_outcome.
 */
struct case_refusal {
	const char *code; /* NULL: nothing refused */
	int forceable;
	int forced;
	char why[CASES_WHY_MAX];
};

/* The answer of cases_transition. */
struct case_step {
	enum case_state next; /* state after the action */
	enum cases_event_type event; /* event to append to the trail */
	enum cases_severity severity; /* the event's severity */
	int forced; /* 1: force overrode refusal */
	struct case_refusal refusal; /* on -1, or the overridden one */
};

/*
 * Applies action act to a case in state from. Returns 0 and fills out->next,
 * out->event and out->severity, or -1 and fills out->refusal. With force, a
 * forceable refusal becomes 0 with out->forced (and out->refusal.forced) set;
 * a refusal that is not forceable stays -1. out must not be NULL; ctx may be.
 *
 * Notable rows: a reject of an appealed case goes back to rectifying, or, when
 * this rejection is number max_appeals (ctx->rejections + 1 >= max_appeals),
 * to manual_review with the single event case.manual_review (critical), whose
 * payload should carry the rejection. A reject in manual_review is final:
 * closed, event case.rejected raised to critical. Notes are accepted in every
 * open state without changing it, except open -> rectifying.
 */
int cases_transition(enum case_state from, enum case_action act,
    const struct case_ctx *ctx, int force, struct case_step *out);

/* A case as the appeal rules see it. */
struct case_view {
	int64_t id;
	enum case_state state;
	enum case_reason reason;
};

/* A document attached to an appeal. */
struct appeal_doc {
	const char *type; /* a cases_doc_type_valid name */
	const char *sha256; /* hex digest of the file; case is ignored */
};

enum appeal_decision {
	APPEAL_UNDECIDED, /* under review */
	APPEAL_APPROVED,
	APPEAL_REJECTED
};

/* An earlier appeal of the same case. */
struct appeal_view {
	int n; /* 1, 2, ... within the case */
	const char *platform_case_id; /* NULL: not recorded yet */
	enum appeal_decision decision;
	const char *rejection_reason; /* the platform's words; may be NULL */
	const char *statement_sha256; /* hex digest of the statement */
	const struct appeal_doc *docs;
	size_t ndocs;
	time_t submitted;
};

/* The appeal about to be recorded. */
struct appeal_req {
	const char *statement_sha256; /* NULL never matches an earlier one */
	const struct appeal_doc *docs;
	size_t ndocs;
};

/*
 * Fills ctx from a case and its earlier appeals: case_id, the number of
 * rejections, the appeal under review (the last undecided one) and
 * max_appeals from rules (NULL: defaults). For a decision, pass the appeals
 * as they were before the decision is recorded.
 */
void cases_ctx_from_appeals(struct case_ctx *ctx, const struct case_view *c,
    const struct appeal_view *prev, size_t nprev, const struct case_rules *);

/*
 * Whether appeal req may be recorded on case c, whose earlier appeals are
 * prev[0..nprev) in order. The rules, in this order:
 *   - the state rule of cases_transition for "appeal" (under_review,
 *     no_rectification (forceable), already_approved, already_reinstated,
 *     manual_review, case_closed);
 *   - under_review: an earlier appeal has no decision yet;
 *   - tro_needs_court_papers: a tro case needs an attachment of type
 *     court_order or dismissal;
 *   - same_statement (forceable): the statement hash equals an earlier
 *     appeal's;
 *   - same_materials (forceable): the set of attachment hashes (order and
 *     duplicates aside) equals an earlier appeal's, an empty set included.
 * The refusal reported is the first rule that is not forceable, else the
 * first forceable one; so out->forceable says whether --force would let the
 * appeal through. Returns 0 when allowed (with out->forced set if force
 * overrode something), -1 when refused. Then ask cases_transition for the
 * next state and event with the same force. rules may be NULL.
 */
int cases_appeal_check(const struct case_view *c,
    const struct appeal_view *prev, size_t nprev, const struct appeal_req *req,
    const struct case_rules *rules, int force, struct case_refusal *out);

/*
 * When an appeal submitted at submitted is overdue for feedback
 * (case.feedback_overdue): submitted + rules->feedback_after, saturating.
 * Escalation counts business days and is the caller's (calendar.c).
 */
time_t cases_feedback_due(time_t submitted, const struct case_rules *);

/*
 * How a TRO ends: the outcome of the court case, recorded by the seller
 * (delistctl case close ID --outcome NAME --note TEXT). dismissed and
 * settled unfreeze the funds and let the listing sell: the case is
 * reinstated (its sync events go out as for any reinstatement). judgment
 * and lost end it closed: the listing is not resumed.
 */
enum case_outcome {
	CASE_OUTCOME_DISMISSED,
	CASE_OUTCOME_SETTLED,
	CASE_OUTCOME_JUDGMENT,
	CASE_OUTCOME_LOST,
	CASE_OUTCOME_COUNT
};

/* "dismissed" etc.; NULL if out of range. */
const char *cases_outcome_name(enum case_outcome);
/* The outcome called name, or -1. */
int cases_outcome_from_name(const char *);
/* "dismissed, settled, judgment, lost", for messages. */
const char *cases_outcome_list(void);
/* One line for people; NULL if out of range. */
const char *cases_outcome_describe(enum case_outcome);

/*
 * Whether outcome may end case c, and how: only a case whose reason ends
 * in court (tro) takes one (else not_tro); then the state rule of the
 * outcome's action (reinstate for dismissed and settled, lose for judgment
 * and lost). Returns 0 and fills out like cases_transition, or -1 with
 * out->refusal (never forceable).
 */
int cases_outcome_step(const struct case_view *c, enum case_outcome outcome,
    struct case_step *out);

/*
 * Whether a listing the source confirmed on sale reinstates its open case
 * c. seen_off_sale: the source confirmed the listing off sale (delisted,
 * offline, under or failed review) while the case was open. Returns 0 to
 * reinstate (the state rule of cases_transition still applies), or -1
 * with out filled: tro_awaits_outcome (a TRO freezes funds whatever the
 * listing shows; it ends only on a recorded outcome) or
 * not_seen_off_sale (opened by hand on a listing never seen off sale:
 * being on sale is no reinstatement). The caller warns
 * (listing.on_sale_during_case) and changes nothing.
 */
int cases_seen_on_sale(
    const struct case_view *c, int seen_off_sale, struct case_refusal *out);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * test_cases.c: unit tests of the case state machine and appeal rules.
 *
 * The whole transition table is written out again here, cell by cell, so that
 * any change to the machine breaks a test and has to be made twice, on
 * purpose. Pure: no files, no clock, no network.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cases.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* One expected cell: allowed (ok) or refused with code. */
struct want {
	int ok;
	enum case_state next; /* ok, or where force leads */
	const char *event; /* ok, or with force */
	const char *code; /* refused */
	int forceable;
	enum cases_severity severity; /* of the event */
};

/* clang-format off */
#define OK(s, e, sev) { 1, CASE_STATE_##s, e, NULL, 0, CASES_SEV_##sev }
#define REFUSED(c) { 0, CASE_STATE_OPEN, NULL, c, 0, CASES_SEV_INFO }
#define FORCEABLE(c, s, e, sev) { 0, CASE_STATE_##s, e, c, 1, CASES_SEV_##sev }
/* clang-format on */

/* With ctx: 0 rejections so far, max_appeals 3. */
static const struct want want[CASE_STATE_COUNT][CASE_ACT_COUNT] = {
	[CASE_STATE_OPEN] = {
		[CASE_ACT_NOTE] = OK(RECTIFYING, "case.note", INFO),
		[CASE_ACT_APPEAL] = FORCEABLE("no_rectification", APPEALED,
		    "case.appealed", INFO),
		[CASE_ACT_APPROVE] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REJECT] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REINSTATE] = OK(REINSTATED, "case.reinstated", INFO),
		[CASE_ACT_SYNC_DONE] = REFUSED("not_reinstated"),
		[CASE_ACT_ABANDON] = OK(ABANDONED, "case.abandoned", INFO),
		[CASE_ACT_CLOSE] = REFUSED("not_finished"),
		[CASE_ACT_LOSE] = OK(CLOSED, "case.closed", INFO),
	},
	[CASE_STATE_RECTIFYING] = {
		[CASE_ACT_NOTE] = OK(RECTIFYING, "case.note", INFO),
		[CASE_ACT_APPEAL] = OK(APPEALED, "case.appealed", INFO),
		[CASE_ACT_APPROVE] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REJECT] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REINSTATE] = OK(REINSTATED, "case.reinstated", INFO),
		[CASE_ACT_SYNC_DONE] = REFUSED("not_reinstated"),
		[CASE_ACT_ABANDON] = OK(ABANDONED, "case.abandoned", INFO),
		[CASE_ACT_CLOSE] = REFUSED("not_finished"),
		[CASE_ACT_LOSE] = OK(CLOSED, "case.closed", INFO),
	},
	[CASE_STATE_APPEALED] = {
		[CASE_ACT_NOTE] = OK(APPEALED, "case.note", INFO),
		[CASE_ACT_APPEAL] = REFUSED("under_review"),
		[CASE_ACT_APPROVE] = OK(APPROVED, "case.approved", INFO),
		[CASE_ACT_REJECT] = OK(RECTIFYING, "case.rejected", WARNING),
		[CASE_ACT_REINSTATE] = OK(REINSTATED, "case.reinstated", INFO),
		[CASE_ACT_SYNC_DONE] = REFUSED("not_reinstated"),
		[CASE_ACT_ABANDON] = OK(ABANDONED, "case.abandoned", INFO),
		[CASE_ACT_CLOSE] = REFUSED("not_finished"),
		[CASE_ACT_LOSE] = OK(CLOSED, "case.closed", INFO),
	},
	[CASE_STATE_APPROVED] = {
		[CASE_ACT_NOTE] = OK(APPROVED, "case.note", INFO),
		[CASE_ACT_APPEAL] = REFUSED("already_approved"),
		[CASE_ACT_APPROVE] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REJECT] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REINSTATE] = OK(REINSTATED, "case.reinstated", INFO),
		[CASE_ACT_SYNC_DONE] = REFUSED("not_reinstated"),
		[CASE_ACT_ABANDON] = OK(ABANDONED, "case.abandoned", INFO),
		[CASE_ACT_CLOSE] = REFUSED("not_finished"),
		[CASE_ACT_LOSE] = OK(CLOSED, "case.closed", INFO),
	},
	[CASE_STATE_REINSTATED] = {
		[CASE_ACT_NOTE] = OK(REINSTATED, "case.note", INFO),
		[CASE_ACT_APPEAL] = REFUSED("already_reinstated"),
		[CASE_ACT_APPROVE] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REJECT] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REINSTATE] = REFUSED("already_reinstated"),
		[CASE_ACT_SYNC_DONE] = OK(SYNCED, "case.synced", INFO),
		[CASE_ACT_ABANDON] = OK(ABANDONED, "case.abandoned", INFO),
		[CASE_ACT_CLOSE] = REFUSED("not_finished"),
		[CASE_ACT_LOSE] = OK(CLOSED, "case.closed", INFO),
	},
	[CASE_STATE_SYNCED] = {
		[CASE_ACT_NOTE] = REFUSED("case_closed"),
		[CASE_ACT_APPEAL] = REFUSED("case_closed"),
		[CASE_ACT_APPROVE] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REJECT] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REINSTATE] = REFUSED("already_reinstated"),
		[CASE_ACT_SYNC_DONE] = REFUSED("already_synced"),
		[CASE_ACT_ABANDON] = REFUSED("case_closed"),
		[CASE_ACT_CLOSE] = OK(CLOSED, "case.closed", INFO),
		[CASE_ACT_LOSE] = REFUSED("case_closed"),
	},
	[CASE_STATE_MANUAL_REVIEW] = {
		[CASE_ACT_NOTE] = OK(MANUAL_REVIEW, "case.note", INFO),
		[CASE_ACT_APPEAL] = REFUSED("manual_review"),
		[CASE_ACT_APPROVE] = OK(APPROVED, "case.approved", INFO),
		[CASE_ACT_REJECT] = OK(CLOSED, "case.rejected", CRITICAL),
		[CASE_ACT_REINSTATE] = OK(REINSTATED, "case.reinstated", INFO),
		[CASE_ACT_SYNC_DONE] = REFUSED("not_reinstated"),
		[CASE_ACT_ABANDON] = OK(ABANDONED, "case.abandoned", INFO),
		[CASE_ACT_CLOSE] = REFUSED("not_finished"),
		[CASE_ACT_LOSE] = OK(CLOSED, "case.closed", INFO),
	},
	[CASE_STATE_ABANDONED] = {
		[CASE_ACT_NOTE] = REFUSED("case_closed"),
		[CASE_ACT_APPEAL] = REFUSED("case_closed"),
		[CASE_ACT_APPROVE] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REJECT] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REINSTATE] = REFUSED("case_closed"),
		[CASE_ACT_SYNC_DONE] = REFUSED("case_closed"),
		[CASE_ACT_ABANDON] = REFUSED("case_closed"),
		[CASE_ACT_CLOSE] = OK(CLOSED, "case.closed", INFO),
		[CASE_ACT_LOSE] = REFUSED("case_closed"),
	},
	[CASE_STATE_CLOSED] = {
		[CASE_ACT_NOTE] = REFUSED("case_closed"),
		[CASE_ACT_APPEAL] = REFUSED("case_closed"),
		[CASE_ACT_APPROVE] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REJECT] = REFUSED("no_appeal_pending"),
		[CASE_ACT_REINSTATE] = REFUSED("case_closed"),
		[CASE_ACT_SYNC_DONE] = REFUSED("case_closed"),
		[CASE_ACT_ABANDON] = REFUSED("case_closed"),
		[CASE_ACT_CLOSE] = REFUSED("case_closed"),
		[CASE_ACT_LOSE] = REFUSED("case_closed"),
	},
};

static void describe(char *, size_t, int, enum case_state, const char *,
    enum cases_severity, int, const char *, int);
static void check_cell(enum case_state, enum case_action, int);
static void
check_reject(int, int, enum case_state, const char *, enum cases_severity);
static void check_appeal_state(enum case_state, const char *, int);
static struct case_view tcase(enum case_state, enum case_reason);
static struct appeal_view tappeal(int, enum appeal_decision, const char *,
    const struct appeal_doc *, size_t, const char *);

static const struct appeal_doc docs_ab[] = {
	{ "ce", "aaaa" },
	{ "test_report", "bbbb" },
};
static const struct appeal_doc docs_ba_dup[] = {
	{ "test_report", "BBBB" },
	{ "ce", "aaaa" },
	{ "other", "bbbb" },
};
static const struct appeal_doc docs_a[] = {
	{ "ce", "aaaa" },
};
static const struct appeal_doc docs_abc[] = {
	{ "ce", "aaaa" },
	{ "test_report", "bbbb" },
	{ "invoice", "cccc" },
};
static const struct appeal_doc docs_court[] = {
	{ "invoice", "dddd" },
	{ "court_order", "eeee" },
};
static const struct appeal_doc docs_dismissal[] = {
	{ "dismissal", "ffff" },
};
static const struct appeal_doc docs_not_court[] = {
	{ "other", "9999" },
	{ "trademark", "8888" },
	{ "court-order", "7777" },
};

static struct case_view
tcase(enum case_state s, enum case_reason r)
{
	struct case_view c;

	memset(&c, 0, sizeof c);
	c.id = 42;
	c.state = s;
	c.reason = r;
	return (c);
}

static struct appeal_view
tappeal(int n, enum appeal_decision d, const char *stmt,
    const struct appeal_doc *docs, size_t ndocs, const char *why)
{
	struct appeal_view a;

	memset(&a, 0, sizeof a);
	a.n = n;
	a.decision = d;
	a.statement_sha256 = stmt;
	a.docs = docs;
	a.ndocs = ndocs;
	a.rejection_reason = why;
	a.submitted = 1700000000 + n * 86400;
	return (a);
}

/* Renders a result or an expectation in one line, to compare and to show. */
static void
describe(char *buf, size_t len, int rv, enum case_state next, const char *event,
    enum cases_severity sev, int forced, const char *code, int forceable)
{
	if (rv == 0)
		snprintf(buf, len,
		    "ok next=%s event=%s severity=%s forced=%d "
		    "code=%s",
		    cases_state_name(next), event, cases_severity_name(sev),
		    forced, code ? code : "-");
	else
		snprintf(buf, len, "refused code=%s forceable=%d",
		    code ? code : "-", forceable);
}

static void
check_cell(enum case_state s, enum case_action a, int force)
{
	const struct want *w = &want[s][a];
	struct case_ctx ctx;
	struct case_step st;
	char got[256], exp[256];
	int rv, allowed = w->ok || (force && w->forceable);

	memset(&ctx, 0, sizeof ctx);
	ctx.max_appeals = 3;
	memset(&st, 0xa5, sizeof st);
	rv = cases_transition(s, a, &ctx, force, &st);
	describe(got, sizeof got, rv, st.next,
	    rv == 0 ? cases_event_name(st.event) : NULL, st.severity, st.forced,
	    st.refusal.code, st.refusal.forceable);
	describe(exp, sizeof exp, allowed ? 0 : -1, w->next, w->event,
	    w->severity, !w->ok, w->code, w->forceable);
	if (strcmp(got, exp) != 0)
		fail_msg("%s --%s%s-->: got \"%s\", want \"%s\"",
		    cases_state_name(s), cases_action_name(a),
		    force ? " (forced)" : "", got, exp);

	/* A refusal, overridden or not, always says what to do. */
	if (!w->ok) {
		assert_int_equal(st.refusal.forced, allowed);
		assert_true(strlen(st.refusal.why) > 10);
	} else
		assert_null(st.refusal.code);
	if (allowed)
		assert_true(st.severity >= cases_event_severity(st.event));
}

static void
test_table_whole(void **state)
{
	int s, a;

	(void)state;
	for (s = 0; s < CASE_STATE_COUNT; s++) {
		for (a = 0; a < CASE_ACT_COUNT; a++)
			check_cell(s, a, 0);
	}
}

static void
test_table_forced(void **state)
{
	int s, a, nforceable = 0;

	(void)state;
	for (s = 0; s < CASE_STATE_COUNT; s++) {
		for (a = 0; a < CASE_ACT_COUNT; a++) {
			check_cell(s, a, 1);
			nforceable += want[s][a].forceable;
		}
	}
	/* Only appealing without a rectification note is forceable. */
	assert_int_equal(nforceable, 1);
}

/* Every open state accepts a note and an abandon; closed ones refuse. */
static void
test_table_open_states(void **state)
{
	struct case_step st;
	int s;

	(void)state;
	for (s = 0; s < CASE_STATE_COUNT; s++) {
		assert_int_equal(
		    cases_transition(s, CASE_ACT_NOTE, NULL, 0, &st) == 0,
		    cases_state_is_open(s));
		assert_int_equal(
		    cases_transition(s, CASE_ACT_ABANDON, NULL, 0, &st) == 0,
		    cases_state_is_open(s));
	}
}

/* Each state says what to do next (delistctl cases); finished: nothing. */
static void
test_table_next_step(void **state)
{
	int s;

	(void)state;
	for (s = 0; s < CASE_STATE_COUNT; s++) {
		assert_non_null(cases_state_next(s));
		assert_int_equal(strcmp(cases_state_next(s), "nothing") != 0,
		    cases_state_is_open(s));
	}
	assert_string_equal(
	    cases_state_next(CASE_STATE_RECTIFYING), "submit the appeal");
	assert_null(cases_state_next(CASE_STATE_COUNT));
}

static void
test_transition_invalid(void **state)
{
	struct case_step st;

	(void)state;
	assert_int_equal(
	    cases_transition(CASE_STATE_COUNT, CASE_ACT_NOTE, NULL, 1, &st),
	    -1);
	assert_string_equal(st.refusal.code, "invalid");
	assert_int_equal(cases_transition((enum case_state) - 1, CASE_ACT_NOTE,
			     NULL, 1, &st),
	    -1);
	assert_string_equal(st.refusal.code, "invalid");
	assert_int_equal(
	    cases_transition(CASE_STATE_OPEN, CASE_ACT_COUNT, NULL, 1, &st),
	    -1);
	assert_string_equal(st.refusal.code, "invalid");
	assert_int_equal(st.refusal.forceable, 0);
}

static void
check_reject(int max, int before, enum case_state next, const char *event,
    enum cases_severity sev)
{
	struct case_ctx ctx;
	struct case_step st;

	memset(&ctx, 0, sizeof ctx);
	ctx.max_appeals = max;
	ctx.rejections = before;
	assert_int_equal(cases_transition(CASE_STATE_APPEALED, CASE_ACT_REJECT,
			     &ctx, 0, &st),
	    0);
	assert_int_equal(st.next, next);
	assert_string_equal(cases_event_name(st.event), event);
	assert_int_equal(st.severity, sev);
	assert_int_equal(st.forced, 0);
}

static void
test_reject_edges(void **state)
{
	(void)state;
	/* max_appeals 1: the first rejection is the last. */
	check_reject(1, 0, CASE_STATE_MANUAL_REVIEW, "case.manual_review",
	    CASES_SEV_CRITICAL);
	/* max_appeals 3: n = 1, 2 go back; n = 3 goes to manual review. */
	check_reject(
	    3, 0, CASE_STATE_RECTIFYING, "case.rejected", CASES_SEV_WARNING);
	check_reject(
	    3, 1, CASE_STATE_RECTIFYING, "case.rejected", CASES_SEV_WARNING);
	check_reject(3, 2, CASE_STATE_MANUAL_REVIEW, "case.manual_review",
	    CASES_SEV_CRITICAL);
	/* Past the limit (forced appeals, lowered max): still manual. */
	check_reject(3, 5, CASE_STATE_MANUAL_REVIEW, "case.manual_review",
	    CASES_SEV_CRITICAL);
	/* max_appeals 0 or negative means the default, 3. */
	check_reject(
	    0, 1, CASE_STATE_RECTIFYING, "case.rejected", CASES_SEV_WARNING);
	check_reject(0, 2, CASE_STATE_MANUAL_REVIEW, "case.manual_review",
	    CASES_SEV_CRITICAL);
	check_reject(-4, 2, CASE_STATE_MANUAL_REVIEW, "case.manual_review",
	    CASES_SEV_CRITICAL);
	/* max_appeals 5. */
	check_reject(
	    5, 3, CASE_STATE_RECTIFYING, "case.rejected", CASES_SEV_WARNING);
	check_reject(5, 4, CASE_STATE_MANUAL_REVIEW, "case.manual_review",
	    CASES_SEV_CRITICAL);
}

static void
test_reject_null_ctx(void **state)
{
	struct case_step st;

	(void)state;
	assert_int_equal(cases_transition(CASE_STATE_APPEALED, CASE_ACT_REJECT,
			     NULL, 0, &st),
	    0);
	assert_int_equal(st.next, CASE_STATE_RECTIFYING);
	/* The final rejection in manual review does not count appeals. */
	assert_int_equal(cases_transition(CASE_STATE_MANUAL_REVIEW,
			     CASE_ACT_REJECT, NULL, 0, &st),
	    0);
	assert_int_equal(st.next, CASE_STATE_CLOSED);
	assert_string_equal(cases_event_name(st.event), "case.rejected");
	assert_int_equal(st.severity, CASES_SEV_CRITICAL);
}

/* A whole life: open, note, appeal, 3 rejections, manual, approve... */
static void
test_lifecycle(void **state)
{
	static const enum case_action acts[] = {
		CASE_ACT_NOTE,
		CASE_ACT_APPEAL,
		CASE_ACT_REJECT,
		CASE_ACT_NOTE,
		CASE_ACT_APPEAL,
		CASE_ACT_REJECT,
		CASE_ACT_NOTE,
		CASE_ACT_APPEAL,
		CASE_ACT_REJECT,
		CASE_ACT_NOTE,
		CASE_ACT_APPROVE,
		CASE_ACT_REINSTATE,
		CASE_ACT_SYNC_DONE,
		CASE_ACT_CLOSE,
	};
	static const enum case_state states[] = {
		CASE_STATE_RECTIFYING,
		CASE_STATE_APPEALED,
		CASE_STATE_RECTIFYING,
		CASE_STATE_RECTIFYING,
		CASE_STATE_APPEALED,
		CASE_STATE_RECTIFYING,
		CASE_STATE_RECTIFYING,
		CASE_STATE_APPEALED,
		CASE_STATE_MANUAL_REVIEW,
		CASE_STATE_MANUAL_REVIEW,
		CASE_STATE_APPROVED,
		CASE_STATE_REINSTATED,
		CASE_STATE_SYNCED,
		CASE_STATE_CLOSED,
	};
	struct case_ctx ctx;
	struct case_step st;
	enum case_state s = CASE_STATE_OPEN;
	size_t i;

	(void)state;
	memset(&ctx, 0, sizeof ctx);
	for (i = 0; i < nitems(acts); i++) {
		assert_int_equal(cases_transition(s, acts[i], &ctx, 0, &st), 0);
		assert_int_equal(st.next, states[i]);
		if (acts[i] == CASE_ACT_REJECT)
			ctx.rejections++;
		s = st.next;
	}
	assert_false(cases_state_is_open(s));
}

static void
test_transition_messages(void **state)
{
	struct case_ctx ctx;
	struct case_step st;

	(void)state;
	memset(&ctx, 0, sizeof ctx);
	ctx.case_id = 17;
	ctx.review_n = 2;
	ctx.review_case_id = "AE-CASE-998877";
	assert_int_equal(cases_transition(CASE_STATE_APPEALED, CASE_ACT_APPEAL,
			     &ctx, 1, &st),
	    -1);
	assert_string_equal(st.refusal.why,
	    "appeal 2 (platform Case ID AE-CASE-998877) is under review; do "
	    "not resubmit while it is reviewed");

	ctx.review_case_id = NULL;
	assert_int_equal(cases_transition(CASE_STATE_APPEALED, CASE_ACT_APPEAL,
			     &ctx, 0, &st),
	    -1);
	assert_non_null(strstr(st.refusal.why, "appeal 2 is under review"));

	assert_int_equal(cases_transition(CASE_STATE_APPEALED, CASE_ACT_APPEAL,
			     NULL, 0, &st),
	    -1);
	assert_non_null(strstr(st.refusal.why, "an appeal is under review"));

	assert_int_equal(
	    cases_transition(CASE_STATE_OPEN, CASE_ACT_APPEAL, &ctx, 0, &st),
	    -1);
	assert_non_null(strstr(st.refusal.why, "delistctl case note 17 "));
	assert_non_null(strstr(st.refusal.why, "record what you changed"));
	assert_int_equal(
	    cases_transition(CASE_STATE_OPEN, CASE_ACT_APPEAL, NULL, 0, &st),
	    -1);
	assert_non_null(strstr(st.refusal.why, "delistctl case note ID "));

	assert_int_equal(
	    cases_transition(CASE_STATE_ABANDONED, CASE_ACT_NOTE, NULL, 0, &st),
	    -1);
	assert_non_null(strstr(
	    st.refusal.why, "case is closed (abandoned, no longer open)"));
	assert_int_equal(
	    cases_transition(CASE_STATE_OPEN, CASE_ACT_CLOSE, NULL, 0, &st),
	    -1);
	assert_string_equal(
	    st.refusal.why, "close a case once it is synced or abandoned");
	assert_int_equal(
	    cases_transition(CASE_STATE_OPEN, CASE_ACT_APPROVE, NULL, 0, &st),
	    -1);
	assert_string_equal(
	    st.refusal.why, "there is no appeal awaiting a decision");
	assert_int_equal(cases_transition(CASE_STATE_MANUAL_REVIEW,
			     CASE_ACT_APPEAL, NULL, 0, &st),
	    -1);
	assert_non_null(strstr(st.refusal.why, "by hand"));
}

static void
test_ctx_from_appeals(void **state)
{
	struct case_view c = tcase(CASE_STATE_APPEALED, CASE_REASON_OTHER);
	struct appeal_view prev[3];
	struct case_rules rules;
	struct case_ctx ctx;

	(void)state;
	prev[0] = tappeal(1, APPEAL_REJECTED, "s1", NULL, 0, "r1");
	prev[1] = tappeal(2, APPEAL_REJECTED, "s2", NULL, 0, "r2");
	prev[2] = tappeal(3, APPEAL_UNDECIDED, "s3", NULL, 0, NULL);
	prev[2].platform_case_id = "X3";
	cases_ctx_from_appeals(&ctx, &c, prev, 3, NULL);
	assert_int_equal(ctx.case_id, 42);
	assert_int_equal(ctx.rejections, 2);
	assert_int_equal(ctx.max_appeals, 3);
	assert_int_equal(ctx.review_n, 3);
	assert_string_equal(ctx.review_case_id, "X3");

	rules.max_appeals = 5;
	rules.feedback_after = 0;
	cases_ctx_from_appeals(&ctx, &c, prev, 2, &rules);
	assert_int_equal(ctx.rejections, 2);
	assert_int_equal(ctx.max_appeals, 5);
	assert_int_equal(ctx.review_n, 0);
	assert_null(ctx.review_case_id);

	cases_ctx_from_appeals(&ctx, NULL, NULL, 0, NULL);
	assert_int_equal(ctx.case_id, 0);
	assert_int_equal(ctx.rejections, 0);
}

static void
check_appeal_state(enum case_state s, const char *code, int forceable)
{
	struct case_view c = tcase(s, CASE_REASON_PROHIBITED_WORDS);
	struct appeal_req req = { "new", docs_a, nitems(docs_a) };
	struct case_refusal r;
	int rv;

	rv = cases_appeal_check(&c, NULL, 0, &req, NULL, 0, &r);
	if (code == NULL) {
		assert_int_equal(rv, 0);
		assert_null(r.code);
		return;
	}
	assert_int_equal(rv, -1);
	assert_string_equal(r.code, code);
	assert_int_equal(r.forceable, forceable);
	assert_int_equal(r.forced, 0);
	rv = cases_appeal_check(&c, NULL, 0, &req, NULL, 1, &r);
	assert_int_equal(rv, forceable ? 0 : -1);
	assert_string_equal(r.code, code);
	assert_int_equal(r.forced, forceable);
}

static void
test_appeal_state_rule(void **state)
{
	(void)state;
	check_appeal_state(CASE_STATE_OPEN, "no_rectification", 1);
	check_appeal_state(CASE_STATE_RECTIFYING, NULL, 0);
	check_appeal_state(CASE_STATE_APPEALED, "under_review", 0);
	check_appeal_state(CASE_STATE_APPROVED, "already_approved", 0);
	check_appeal_state(CASE_STATE_REINSTATED, "already_reinstated", 0);
	check_appeal_state(CASE_STATE_SYNCED, "case_closed", 0);
	check_appeal_state(CASE_STATE_MANUAL_REVIEW, "manual_review", 0);
	check_appeal_state(CASE_STATE_ABANDONED, "case_closed", 0);
	check_appeal_state(CASE_STATE_CLOSED, "case_closed", 0);
}

static void
test_appeal_under_review(void **state)
{
	struct case_view c = tcase(CASE_STATE_APPEALED, CASE_REASON_OTHER);
	struct appeal_view prev[1];
	struct appeal_req req = { "s2", docs_abc, nitems(docs_abc) };
	struct case_refusal r;

	(void)state;
	prev[0] = tappeal(1, APPEAL_UNDECIDED, "s1", docs_a, 1, NULL);
	prev[0].platform_case_id = "5012345";
	assert_int_equal(
	    cases_appeal_check(&c, prev, 1, &req, NULL, 1, &r), -1);
	assert_string_equal(r.code, "under_review");
	assert_int_equal(r.forceable, 0);
	assert_string_equal(r.why,
	    "appeal 1 (platform Case ID 5012345) is "
	    "under review; do not resubmit while it is reviewed");

	/* The data says under review even if the state lags behind. */
	c.state = CASE_STATE_RECTIFYING;
	assert_int_equal(
	    cases_appeal_check(&c, prev, 1, &req, NULL, 1, &r), -1);
	assert_string_equal(r.code, "under_review");
	assert_non_null(strstr(r.why, "5012345"));

	/* Decided: not under review any more. */
	prev[0].decision = APPEAL_REJECTED;
	assert_int_equal(cases_appeal_check(&c, prev, 1, &req, NULL, 0, &r), 0);
	assert_null(r.code);
	assert_int_equal(r.forced, 0);
}

static void
test_appeal_tro(void **state)
{
	struct case_view c = tcase(CASE_STATE_RECTIFYING, CASE_REASON_TRO);
	struct appeal_req req = { "s1", NULL, 0 };
	struct case_refusal r;

	(void)state;
	/* No attachments at all. */
	assert_int_equal(
	    cases_appeal_check(&c, NULL, 0, &req, NULL, 0, &r), -1);
	assert_string_equal(r.code, "tro_needs_court_papers");
	assert_int_equal(r.forceable, 0);
	assert_non_null(strstr(r.why, "court_order"));
	assert_int_equal(
	    cases_appeal_check(&c, NULL, 0, &req, NULL, 1, &r), -1);
	assert_string_equal(r.code, "tro_needs_court_papers");

	/* Attachments, none of them court papers (near-misses included). */
	req.docs = docs_not_court;
	req.ndocs = nitems(docs_not_court);
	assert_int_equal(
	    cases_appeal_check(&c, NULL, 0, &req, NULL, 1, &r), -1);
	assert_string_equal(r.code, "tro_needs_court_papers");

	req.docs = docs_court;
	req.ndocs = nitems(docs_court);
	assert_int_equal(cases_appeal_check(&c, NULL, 0, &req, NULL, 0, &r), 0);
	assert_null(r.code);

	req.docs = docs_dismissal;
	req.ndocs = nitems(docs_dismissal);
	assert_int_equal(cases_appeal_check(&c, NULL, 0, &req, NULL, 0, &r), 0);

	/* Other reasons need no court papers. */
	c.reason = CASE_REASON_IP_INFRINGEMENT;
	req.docs = NULL;
	req.ndocs = 0;
	assert_int_equal(cases_appeal_check(&c, NULL, 0, &req, NULL, 0, &r), 0);
	c.reason = CASE_REASON_UNCLASSIFIED;
	assert_int_equal(cases_appeal_check(&c, NULL, 0, &req, NULL, 0, &r), 0);
}

static void
test_appeal_same_statement(void **state)
{
	struct case_view c = tcase(CASE_STATE_RECTIFYING, CASE_REASON_OTHER);
	struct appeal_view prev[3];
	struct appeal_req req = { "ABCDEF01", docs_abc, nitems(docs_abc) };
	struct case_refusal r;

	(void)state;
	prev[0] = tappeal(1, APPEAL_REJECTED, "abcdef01", docs_a, 1,
	    "title still says best quality");
	assert_int_equal(
	    cases_appeal_check(&c, prev, 1, &req, NULL, 0, &r), -1);
	assert_string_equal(r.code, "same_statement");
	assert_int_equal(r.forceable, 1);
	assert_string_equal(r.why,
	    "the statement is identical to appeal 1's; "
	    "say what changed since the rejection (\"title still says best "
	    "quality\")");
	assert_int_equal(cases_appeal_check(&c, prev, 1, &req, NULL, 1, &r), 0);
	assert_string_equal(r.code, "same_statement");
	assert_int_equal(r.forced, 1);

	/* Matches appeal 2 of 3; quotes the latest rejection (3's). */
	prev[0].statement_sha256 = "s1";
	prev[1] = tappeal(2, APPEAL_REJECTED, "abcdef01", docs_ab, 2, "r2");
	prev[2] = tappeal(3, APPEAL_REJECTED, "s3", docs_court, 2, "r3");
	assert_int_equal(
	    cases_appeal_check(&c, prev, 3, &req, NULL, 0, &r), -1);
	assert_string_equal(r.code, "same_statement");
	assert_non_null(strstr(r.why, "appeal 2's"));
	assert_non_null(strstr(r.why, "(\"r3\")"));

	/* No rejection reason recorded: no empty quotes. */
	prev[2].rejection_reason = NULL;
	prev[1].rejection_reason = NULL;
	assert_int_equal(
	    cases_appeal_check(&c, prev, 2, &req, NULL, 0, &r), -1);
	assert_string_equal(r.why,
	    "the statement is identical to appeal 2's; "
	    "say what changed since the rejection");

	/* Differs from every earlier one. */
	req.statement_sha256 = "abcdef02";
	assert_int_equal(cases_appeal_check(&c, prev, 3, &req, NULL, 0, &r), 0);
	assert_null(r.code);

	/* A missing hash never matches. */
	req.statement_sha256 = NULL;
	prev[0].statement_sha256 = NULL;
	assert_int_equal(cases_appeal_check(&c, prev, 3, &req, NULL, 0, &r), 0);
}

static void
test_appeal_same_materials(void **state)
{
	struct case_view c = tcase(CASE_STATE_RECTIFYING, CASE_REASON_OTHER);
	struct appeal_view prev[2];
	struct appeal_req req = { "new", docs_ba_dup, nitems(docs_ba_dup) };
	struct case_refusal r;

	(void)state;
	prev[0] = tappeal(1, APPEAL_REJECTED, "s1", docs_ab, nitems(docs_ab),
	    "blurry CE certificate");
	/* Same set: other order, a duplicate, upper-case hex. */
	assert_int_equal(
	    cases_appeal_check(&c, prev, 1, &req, NULL, 0, &r), -1);
	assert_string_equal(r.code, "same_materials");
	assert_int_equal(r.forceable, 1);
	assert_non_null(strstr(r.why, "appeal 1's"));
	assert_non_null(strstr(r.why, "blurry CE certificate"));
	assert_int_equal(cases_appeal_check(&c, prev, 1, &req, NULL, 1, &r), 0);
	assert_int_equal(r.forced, 1);
	assert_string_equal(r.code, "same_materials");

	/* And the other way round. */
	prev[0].docs = docs_ba_dup;
	prev[0].ndocs = nitems(docs_ba_dup);
	req.docs = docs_ab;
	req.ndocs = nitems(docs_ab);
	assert_int_equal(
	    cases_appeal_check(&c, prev, 1, &req, NULL, 0, &r), -1);
	assert_string_equal(r.code, "same_materials");

	/* A superset and a subset are changes. */
	req.docs = docs_abc;
	req.ndocs = nitems(docs_abc);
	assert_int_equal(cases_appeal_check(&c, prev, 1, &req, NULL, 0, &r), 0);
	req.docs = docs_a;
	req.ndocs = nitems(docs_a);
	assert_int_equal(cases_appeal_check(&c, prev, 1, &req, NULL, 0, &r), 0);

	/* Matches the earlier of two appeals. */
	prev[1] =
	    tappeal(2, APPEAL_REJECTED, "s2", docs_abc, nitems(docs_abc), "r2");
	req.docs = docs_ab;
	req.ndocs = nitems(docs_ab);
	assert_int_equal(
	    cases_appeal_check(&c, prev, 2, &req, NULL, 0, &r), -1);
	assert_string_equal(r.code, "same_materials");
	assert_non_null(strstr(r.why, "appeal 1's"));
	assert_non_null(strstr(r.why, "(\"r2\")"));

	/* No attachments now and none before: the same (empty) set. */
	prev[0].docs = NULL;
	prev[0].ndocs = 0;
	req.docs = NULL;
	req.ndocs = 0;
	assert_int_equal(
	    cases_appeal_check(&c, prev, 2, &req, NULL, 0, &r), -1);
	assert_string_equal(r.code, "same_materials");
	/* Empty now, not before: a change. */
	assert_int_equal(
	    cases_appeal_check(&c, &prev[1], 1, &req, NULL, 0, &r), 0);
}

/* The first appeal of a case has nothing to repeat. */
static void
test_appeal_first(void **state)
{
	struct case_view c = tcase(CASE_STATE_RECTIFYING, CASE_REASON_OTHER);
	struct appeal_req req = { NULL, NULL, 0 };
	struct case_refusal r;

	(void)state;
	memset(&r, 0x5a, sizeof r);
	assert_int_equal(cases_appeal_check(&c, NULL, 0, &req, NULL, 0, &r), 0);
	assert_null(r.code);
	assert_int_equal(r.forced, 0);
	assert_int_equal(r.forceable, 0);
}

static void
test_appeal_priority(void **state)
{
	struct case_view c = tcase(CASE_STATE_OPEN, CASE_REASON_TRO);
	struct appeal_view prev[1];
	struct appeal_req req = { "s1", docs_a, nitems(docs_a) };
	struct case_refusal r;

	(void)state;
	prev[0] = tappeal(1, APPEAL_REJECTED, "s1", docs_a, nitems(docs_a),
	    "no court papers");

	/* Forceable state rule, then a hard TRO rule: the hard one wins. */
	assert_int_equal(
	    cases_appeal_check(&c, prev, 1, &req, NULL, 1, &r), -1);
	assert_string_equal(r.code, "tro_needs_court_papers");
	assert_int_equal(r.forceable, 0);
	assert_int_equal(r.forced, 0);

	/* Court papers in: three forceable ones left; the first is named. */
	req.docs = docs_court;
	req.ndocs = nitems(docs_court);
	prev[0].docs = docs_court;
	prev[0].ndocs = nitems(docs_court);
	assert_int_equal(
	    cases_appeal_check(&c, prev, 1, &req, NULL, 0, &r), -1);
	assert_string_equal(r.code, "no_rectification");
	assert_int_equal(r.forceable, 1);
	/* Force overrides all of them at once. */
	assert_int_equal(cases_appeal_check(&c, prev, 1, &req, NULL, 1, &r), 0);
	assert_int_equal(r.forced, 1);
	assert_string_equal(r.code, "no_rectification");

	/* Rectified: statement before materials. */
	c.state = CASE_STATE_RECTIFYING;
	assert_int_equal(
	    cases_appeal_check(&c, prev, 1, &req, NULL, 0, &r), -1);
	assert_string_equal(r.code, "same_statement");
	req.statement_sha256 = "s2";
	assert_int_equal(
	    cases_appeal_check(&c, prev, 1, &req, NULL, 0, &r), -1);
	assert_string_equal(r.code, "same_materials");
	req.docs = docs_dismissal;
	req.ndocs = nitems(docs_dismissal);
	assert_int_equal(cases_appeal_check(&c, prev, 1, &req, NULL, 0, &r), 0);

	/* Under review beats a repeated statement, and force does not help. */
	c.state = CASE_STATE_APPEALED;
	prev[0].decision = APPEAL_UNDECIDED;
	req.statement_sha256 = "s1";
	assert_int_equal(
	    cases_appeal_check(&c, prev, 1, &req, NULL, 1, &r), -1);
	assert_string_equal(r.code, "under_review");

	/* Manual review beats everything forceable. */
	c.state = CASE_STATE_MANUAL_REVIEW;
	prev[0].decision = APPEAL_REJECTED;
	assert_int_equal(
	    cases_appeal_check(&c, prev, 1, &req, NULL, 1, &r), -1);
	assert_string_equal(r.code, "manual_review");
}

static void
test_states(void **state)
{
	static const struct {
		enum case_state s;
		const char *name;
		int open;
	} rows[] = {
		{ CASE_STATE_OPEN, "open", 1 },
		{ CASE_STATE_RECTIFYING, "rectifying", 1 },
		{ CASE_STATE_APPEALED, "appealed", 1 },
		{ CASE_STATE_APPROVED, "approved", 1 },
		{ CASE_STATE_REINSTATED, "reinstated", 1 },
		{ CASE_STATE_SYNCED, "synced", 0 },
		{ CASE_STATE_MANUAL_REVIEW, "manual_review", 1 },
		{ CASE_STATE_ABANDONED, "abandoned", 0 },
		{ CASE_STATE_CLOSED, "closed", 0 },
	};
	size_t i;

	(void)state;
	assert_int_equal(nitems(rows), CASE_STATE_COUNT);
	for (i = 0; i < nitems(rows); i++) {
		assert_string_equal(cases_state_name(rows[i].s), rows[i].name);
		assert_int_equal(
		    cases_state_from_name(rows[i].name), rows[i].s);
		assert_int_equal(cases_state_is_open(rows[i].s), rows[i].open);
	}
	assert_null(cases_state_name(CASE_STATE_COUNT));
	assert_null(cases_state_name((enum case_state) - 1));
	assert_int_equal(cases_state_is_open(CASE_STATE_COUNT), 0);
	assert_int_equal(cases_state_from_name(NULL), -1);
	assert_int_equal(cases_state_from_name(""), -1);
	assert_int_equal(cases_state_from_name("Open"), -1);
	assert_int_equal(cases_state_from_name("open "), -1);
	assert_int_equal(cases_state_from_name("manual-review"), -1);
}

static void
test_actions(void **state)
{
	static const char *const names[] = { "note", "appeal", "approve",
		"reject", "reinstate", "sync_done", "abandon", "close",
		"lose" };
	size_t i;

	(void)state;
	assert_int_equal(nitems(names), CASE_ACT_COUNT);
	for (i = 0; i < nitems(names); i++) {
		assert_string_equal(cases_action_name(i), names[i]);
		assert_int_equal(cases_action_from_name(names[i]), (int)i);
	}
	assert_null(cases_action_name(CASE_ACT_COUNT));
	assert_int_equal(cases_action_from_name(NULL), -1);
	assert_int_equal(cases_action_from_name("sync"), -1);
	assert_int_equal(cases_action_from_name("NOTE"), -1);
}

static void
test_reasons(void **state)
{
	static const char *const names[] = { "ip_infringement",
		"category_misplaced", "false_info", "prohibited_words",
		"unauthorized_media", "missing_certification",
		"not_as_described", "duplicate_listing", "tro", "spot_check",
		"other", "unclassified" };
	char list[512];
	size_t i;

	(void)state;
	assert_int_equal(nitems(names), CASE_REASON_COUNT);
	list[0] = '\0';
	for (i = 0; i < nitems(names); i++) {
		assert_string_equal(cases_reason_name(i), names[i]);
		assert_int_equal(cases_reason_from_name(names[i]), (int)i);
		assert_non_null(cases_reason_describe(i));
		assert_true(strlen(cases_reason_describe(i)) > 5);
		if (i != CASE_REASON_UNCLASSIFIED) {
			assert_true(cases_reason_valid(names[i]));
			if (list[0] != '\0')
				strcat(list, ", ");
			strcat(list, names[i]);
		}
	}
	/* Only the daemon assigns unclassified. */
	assert_false(cases_reason_valid("unclassified"));
	assert_int_equal(
	    cases_reason_from_name("unclassified"), CASE_REASON_UNCLASSIFIED);
	/* The list for messages is exactly the settable rows. */
	assert_string_equal(cases_reason_list(), list);
	assert_null(strstr(cases_reason_list(), "unclassified"));

	assert_null(cases_reason_name(CASE_REASON_COUNT));
	assert_null(cases_reason_describe(CASE_REASON_COUNT));
	assert_false(cases_reason_valid(NULL));
	assert_false(cases_reason_valid(""));
	assert_false(cases_reason_valid("TRO"));
	assert_false(cases_reason_valid("ip-infringement"));
	assert_false(cases_reason_valid("counterfeit"));
	assert_int_equal(cases_reason_from_name("bogus"), -1);
}

static void
test_doc_types(void **state)
{
	static const char *const names[] = { "ce", "fcc", "ukca", "saso",
		"test_report", "trademark", "brand_authorization", "invoice",
		"court_order", "dismissal", "other" };
	char list[512];
	size_t i;

	(void)state;
	list[0] = '\0';
	for (i = 0; i < nitems(names); i++) {
		assert_true(cases_doc_type_valid(names[i]));
		assert_non_null(cases_doc_type_describe(names[i]));
		if (i != 0)
			strcat(list, ", ");
		strcat(list, names[i]);
	}
	assert_string_equal(cases_doc_type_list(), list);
	assert_false(cases_doc_type_valid(NULL));
	assert_false(cases_doc_type_valid(""));
	assert_false(cases_doc_type_valid("CE"));
	assert_false(cases_doc_type_valid("court-order"));
	assert_false(cases_doc_type_valid("pdf"));
	assert_null(cases_doc_type_describe("pdf"));
}

static void
test_severities(void **state)
{
	static const char *const names[] = { "info", "warning", "critical" };
	size_t i;

	(void)state;
	assert_int_equal(nitems(names), CASES_SEV_COUNT);
	for (i = 0; i < nitems(names); i++) {
		assert_string_equal(cases_severity_name(i), names[i]);
		assert_int_equal(cases_severity_from_name(names[i]), (int)i);
	}
	assert_true(CASES_SEV_INFO < CASES_SEV_WARNING);
	assert_true(CASES_SEV_WARNING < CASES_SEV_CRITICAL);
	assert_null(cases_severity_name(CASES_SEV_COUNT));
	assert_int_equal(cases_severity_from_name(NULL), -1);
	assert_int_equal(cases_severity_from_name("crit"), -1);
	assert_int_equal(cases_severity_from_name("error"), -1);
	assert_int_equal(cases_severity_from_name("Warning"), -1);
}

static void
test_events(void **state)
{
	static const struct {
		enum cases_event_type e;
		const char *name;
		enum cases_severity sev;
	} rows[] = {
		{ CASES_EV_CASE_OPENED, "case.opened", CASES_SEV_INFO },
		{ CASES_EV_CASE_NOTE, "case.note", CASES_SEV_INFO },
		{ CASES_EV_CASE_APPEALED, "case.appealed", CASES_SEV_INFO },
		{ CASES_EV_CASE_APPROVED, "case.approved", CASES_SEV_INFO },
		{ CASES_EV_CASE_REJECTED, "case.rejected", CASES_SEV_WARNING },
		{ CASES_EV_CASE_MANUAL_REVIEW, "case.manual_review",
		    CASES_SEV_CRITICAL },
		{ CASES_EV_CASE_REINSTATED, "case.reinstated", CASES_SEV_INFO },
		{ CASES_EV_CASE_SYNCED, "case.synced", CASES_SEV_INFO },
		{ CASES_EV_CASE_ABANDONED, "case.abandoned", CASES_SEV_INFO },
		{ CASES_EV_CASE_CLOSED, "case.closed", CASES_SEV_INFO },
		{ CASES_EV_CASE_CLASSIFIED, "case.classified", CASES_SEV_INFO },
		{ CASES_EV_CASE_FEEDBACK_OVERDUE, "case.feedback_overdue",
		    CASES_SEV_WARNING },
		{ CASES_EV_CASE_ESCALATED, "case.escalated",
		    CASES_SEV_CRITICAL },
		{ CASES_EV_CASE_STALLED, "case.stalled", CASES_SEV_WARNING },
		{ CASES_EV_LISTING_TRACKED, "listing.tracked", CASES_SEV_INFO },
		{ CASES_EV_LISTING_UNTRACKED, "listing.untracked",
		    CASES_SEV_INFO },
		{ CASES_EV_LISTING_DELISTED, "listing.delisted",
		    CASES_SEV_WARNING },
		{ CASES_EV_LISTING_STATUS_CHANGED, "listing.status_changed",
		    CASES_SEV_INFO },
		{ CASES_EV_DOC_EXPIRING, "doc.expiring", CASES_SEV_WARNING },
		{ CASES_EV_DOC_EXPIRED, "doc.expired", CASES_SEV_CRITICAL },
		{ CASES_EV_DOC_ADDED, "doc.added", CASES_SEV_INFO },
		{ CASES_EV_DOC_REMOVED, "doc.removed", CASES_SEV_INFO },
		{ CASES_EV_CASE_DOCUMENT, "case.document", CASES_SEV_INFO },
		{ CASES_EV_DELIVERY_DEAD, "delivery.dead", CASES_SEV_CRITICAL },
		{ CASES_EV_LISTING_EVASION_RISK, "listing.evasion_risk",
		    CASES_SEV_WARNING },
		{ CASES_EV_LISTING_LINKED_RISK, "listing.linked_risk",
		    CASES_SEV_WARNING },
		{ CASES_EV_CASE_ESCALATED_REMINDER, "case.escalated.reminder",
		    CASES_SEV_CRITICAL },
		{ CASES_EV_CASE_MANUAL_REVIEW_REMINDER,
		    "case.manual_review.reminder", CASES_SEV_CRITICAL },
		{ CASES_EV_DELIVERY_DEAD_REMINDER, "delivery.dead.reminder",
		    CASES_SEV_CRITICAL },
		{ CASES_EV_CASE_ACKNOWLEDGED, "case.acknowledged",
		    CASES_SEV_INFO },
		{ CASES_EV_CONDITION_ACKNOWLEDGED, "condition.acknowledged",
		    CASES_SEV_INFO },
		{ CASES_EV_SHOP_SNOOZED, "shop.snoozed", CASES_SEV_INFO },
		{ CASES_EV_SHOP_UNSNOOZED, "shop.unsnoozed", CASES_SEV_INFO },
		{ CASES_EV_DIGEST_DAILY, "digest.daily", CASES_SEV_INFO },
		{ CASES_EV_CASE_NEEDS_CLASSIFICATION,
		    "case.needs_classification", CASES_SEV_WARNING },
		{ CASES_EV_CASE_EVIDENCE, "case.evidence", CASES_SEV_INFO },
		{ CASES_EV_SOURCE_QUOTA_EXHAUSTED, "source.quota_exhausted",
		    CASES_SEV_CRITICAL },
		{ CASES_EV_SOURCE_AUTH_FAILED, "source.auth_failed",
		    CASES_SEV_CRITICAL },
		{ CASES_EV_SOURCE_RECOVERED, "source.recovered",
		    CASES_SEV_INFO },
		{ CASES_EV_SOURCE_QUOTA_EXHAUSTED_REMINDER,
		    "source.quota_exhausted.reminder", CASES_SEV_CRITICAL },
		{ CASES_EV_SOURCE_AUTH_FAILED_REMINDER,
		    "source.auth_failed.reminder", CASES_SEV_CRITICAL },
		{ CASES_EV_CALENDAR_UNCOVERED, "calendar.uncovered",
		    CASES_SEV_WARNING },
		{ CASES_EV_LISTING_ON_SALE_DURING_CASE,
		    "listing.on_sale_during_case", CASES_SEV_WARNING },
		{ CASES_EV_LISTING_NOT_FOUND, "listing.not_found",
		    CASES_SEV_WARNING },
		{ CASES_EV_SHOP_HELD_MAIL, "shop.held_mail", CASES_SEV_INFO },
		{ CASES_EV_CASE_ASSIGNED, "case.assigned", CASES_SEV_INFO },
		{ CASES_EV_LISTING_AT_RISK, "listing.at_risk",
		    CASES_SEV_WARNING },
		{ CASES_EV_LISTING_AT_RISK_CLEARED, "listing.at_risk_cleared",
		    CASES_SEV_INFO },
		{ CASES_EV_SHOP_POINTS_RECORDED, "shop.points_recorded",
		    CASES_SEV_INFO },
		{ CASES_EV_SHOP_POINTS_THRESHOLD, "shop.points_threshold",
		    CASES_SEV_CRITICAL },
		{ CASES_EV_SHOP_POINTS_WARNING, "shop.points_warning",
		    CASES_SEV_WARNING },
		{ CASES_EV_SHOP_POINTS_CORRECTED, "shop.points_corrected",
		    CASES_SEV_INFO },
		{ CASES_EV_TRO_MATTER, "tro.matter", CASES_SEV_INFO },
		{ CASES_EV_TRO_DEADLINE, "tro.deadline", CASES_SEV_WARNING },
		{ CASES_EV_TRO_DEADLINE_REMINDER, "tro.deadline.reminder",
		    CASES_SEV_CRITICAL },
	};
	size_t i;

	(void)state;
	assert_int_equal(nitems(rows), CASES_EV_COUNT);
	for (i = 0; i < nitems(rows); i++) {
		assert_int_equal(rows[i].e, (int)i);
		assert_string_equal(cases_event_name(rows[i].e), rows[i].name);
		assert_int_equal(
		    cases_event_from_name(rows[i].name), rows[i].e);
		assert_int_equal(cases_event_severity(rows[i].e), rows[i].sev);
		assert_non_null(cases_event_describe(rows[i].e));
	}
	assert_int_equal(cases_event_reminder(CASES_EV_CASE_ESCALATED),
	    CASES_EV_CASE_ESCALATED_REMINDER);
	assert_int_equal(cases_event_reminder(CASES_EV_DELIVERY_DEAD),
	    CASES_EV_DELIVERY_DEAD_REMINDER);
	assert_int_equal(cases_event_reminder(CASES_EV_CASE_OPENED), -1);
	assert_int_equal(cases_event_reminder(CASES_EV_COUNT), -1);
	assert_null(cases_event_name(CASES_EV_COUNT));
	assert_null(cases_event_describe(CASES_EV_COUNT));
	assert_int_equal(cases_event_severity(CASES_EV_COUNT), CASES_SEV_INFO);
	assert_int_equal(cases_event_from_name(NULL), -1);
	assert_int_equal(cases_event_from_name("case"), -1);
	assert_int_equal(cases_event_from_name("case.*"), -1);
	assert_int_equal(cases_event_from_name("case.Opened"), -1);
	assert_int_equal(cases_event_from_name("case_opened"), -1);
	assert_int_equal(cases_event_from_name("listing.delisted.x"), -1);
}

/* The outcomes a TRO ends on, by name, in the order of the list. */
static void
test_outcomes(void **state)
{
	static const char *const names[] = { "dismissed", "settled", "judgment",
		"lost" };
	char list[128] = "";
	size_t i;

	(void)state;
	assert_int_equal(nitems(names), CASE_OUTCOME_COUNT);
	for (i = 0; i < nitems(names); i++) {
		assert_string_equal(cases_outcome_name(i), names[i]);
		assert_int_equal(cases_outcome_from_name(names[i]), (int)i);
		assert_non_null(cases_outcome_describe(i));
		if (i > 0)
			strcat(list, ", ");
		strcat(list, names[i]);
	}
	assert_string_equal(cases_outcome_list(), list);
	assert_null(cases_outcome_name(CASE_OUTCOME_COUNT));
	assert_null(cases_outcome_describe(CASE_OUTCOME_COUNT));
	assert_int_equal(cases_outcome_from_name(NULL), -1);
	assert_int_equal(cases_outcome_from_name("won"), -1);
	assert_int_equal(cases_outcome_from_name("Dismissed"), -1);
	assert_int_equal(cases_outcome_from_name(""), -1);
}

/*
 * dismissed and settled reinstate a TRO case (the funds are free, the
 * listing may sell); judgment and lost close it; the state rule still
 * applies; a case that is not a TRO takes no outcome, in any state.
 */
static void
test_outcome_step(void **state)
{
	struct case_view c;
	struct case_step st;
	int s, o, r;

	(void)state;
	for (s = 0; s < CASE_STATE_COUNT; s++) {
		for (o = 0; o < CASE_OUTCOME_COUNT; o++) {
			enum case_action act = o <= CASE_OUTCOME_SETTLED
			    ? CASE_ACT_REINSTATE
			    : CASE_ACT_LOSE;
			const struct want *w = &want[s][act];

			c = tcase(s, CASE_REASON_TRO);
			memset(&st, 0xa5, sizeof st);
			if (w->ok) {
				assert_int_equal(
				    cases_outcome_step(&c, o, &st), 0);
				assert_int_equal(st.next, w->next);
				assert_string_equal(
				    cases_event_name(st.event), w->event);
				assert_null(st.refusal.code);
			} else {
				assert_int_equal(
				    cases_outcome_step(&c, o, &st), -1);
				assert_string_equal(st.refusal.code, w->code);
				assert_int_equal(st.refusal.forceable, 0);
			}
			for (r = 0; r < CASE_REASON_COUNT; r++) {
				if (r == CASE_REASON_TRO)
					continue;
				c = tcase(s, r);
				assert_int_equal(
				    cases_outcome_step(&c, o, &st), -1);
				assert_string_equal(st.refusal.code, "not_tro");
				assert_int_equal(st.refusal.forceable, 0);
				assert_non_null(
				    strstr(st.refusal.why, "only a tro case"));
			}
		}
		c = tcase(s, CASE_REASON_TRO);
		assert_int_equal(
		    cases_outcome_step(&c, CASE_OUTCOME_COUNT, &st), -1);
		assert_string_equal(st.refusal.code, "invalid");
	}
	c = tcase(CASE_STATE_OPEN, CASE_REASON_TRO);
	assert_int_equal(
	    cases_outcome_step(&c, CASE_OUTCOME_DISMISSED, &st), 0);
	assert_int_equal(st.next, CASE_STATE_REINSTATED);
	assert_int_equal(st.event, CASES_EV_CASE_REINSTATED);
	assert_int_equal(cases_outcome_step(&c, CASE_OUTCOME_JUDGMENT, &st), 0);
	assert_int_equal(st.next, CASE_STATE_CLOSED);
	assert_int_equal(st.event, CASES_EV_CASE_CLOSED);
	assert_false(cases_state_is_open(st.next));
}

/*
 * Seen on sale: only a case whose listing the source saw off sale, and
 * that is not a TRO, is reinstated from observation.
 */
static void
test_seen_on_sale(void **state)
{
	struct case_view c;
	struct case_refusal ref;
	int r;

	(void)state;
	for (r = 0; r < CASE_REASON_COUNT; r++) {
		c = tcase(CASE_STATE_APPEALED, r);
		memset(&ref, 0xa5, sizeof ref);
		if (r == CASE_REASON_TRO) {
			assert_int_equal(cases_seen_on_sale(&c, 1, &ref), -1);
			assert_string_equal(ref.code, "tro_awaits_outcome");
			assert_non_null(strstr(ref.why, "--outcome"));
			assert_int_equal(cases_seen_on_sale(&c, 0, &ref), -1);
			assert_string_equal(ref.code, "tro_awaits_outcome");
		} else {
			assert_int_equal(cases_seen_on_sale(&c, 1, &ref), 0);
			assert_null(ref.code);
			assert_int_equal(cases_seen_on_sale(&c, 0, &ref), -1);
			assert_string_equal(ref.code, "not_seen_off_sale");
			assert_non_null(strstr(ref.why, "case reinstated"));
		}
		assert_int_equal(ref.forceable, 0);
	}
}

static void
test_feedback_due(void **state)
{
	struct case_rules rules;
	time_t t = 1767225600; /* 2026-01-01T00:00:00Z */

	(void)state;
	cases_rules_init(&rules);
	assert_int_equal(rules.max_appeals, 3);
	assert_int_equal(rules.feedback_after, 72 * 3600);
	assert_int_equal(cases_feedback_due(t, &rules), t + 72 * 3600);
	assert_int_equal(cases_feedback_due(t, NULL), t + 72 * 3600);
	rules.feedback_after = 3600;
	assert_int_equal(cases_feedback_due(t, &rules), t + 3600);
	rules.feedback_after = 0;
	assert_int_equal(cases_feedback_due(t, &rules), t + 72 * 3600);
	rules.feedback_after = INT64_MAX;
	assert_int_equal(cases_feedback_due(t, &rules), (time_t)INT64_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_whole),
		cmocka_unit_test(test_table_forced),
		cmocka_unit_test(test_table_open_states),
		cmocka_unit_test(test_table_next_step),
		cmocka_unit_test(test_transition_invalid),
		cmocka_unit_test(test_reject_edges),
		cmocka_unit_test(test_reject_null_ctx),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_transition_messages),
		cmocka_unit_test(test_ctx_from_appeals),
		cmocka_unit_test(test_appeal_state_rule),
		cmocka_unit_test(test_appeal_under_review),
		cmocka_unit_test(test_appeal_tro),
		cmocka_unit_test(test_appeal_same_statement),
		cmocka_unit_test(test_appeal_same_materials),
		cmocka_unit_test(test_appeal_first),
		cmocka_unit_test(test_appeal_priority),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_reasons),
		cmocka_unit_test(test_doc_types),
		cmocka_unit_test(test_severities),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_feedback_due),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_outcome_step),
		cmocka_unit_test(test_seen_on_sale),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

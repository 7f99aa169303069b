/* SPDX-License-Identifier: ISC */
/*
 * lifecycle-points.c: a shop's penalty points and health. A case's
 * violation is confirmed when the case ends without the listing coming
 * back: abandoned, closed after the manual re-review rejected it, or a TRO
 * closed on judgment or a loss. Its reason's points (core points.c, the
 * configured table) then go on the shop's ledger, dated when the case was
 * opened (the penalty's date), cut by the daily cap or merged as a strike;
 * shop.points_recorded says so, and shop.points_threshold when the ledger
 * reaches a threshold. Before one, shop.points_warning (critical when one
 * more typical violation would freeze or close) fires once per ledger,
 * threshold and level while it holds; the daily digest lists the ledgers
 * near one. The seller corrects a case's entry, or sets a ledger to the
 * figure the backend shows (no platform API returns points); both are in
 * the trail as shop.points_corrected. Entries stop counting after expiry
 * (365 days) by themselves: totals are computed at the time asked.
 *
 * It must not call anything above it by name (event.c fans out).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "delistd.h"
#include "calendar.h"
#include "cases.h"
#include "event.h"
#include "i18n.h"
#include "lifecycle.h"
#include "lifecycle-private.h"
#include "points.h"

/* A ledger's entries, loaded. */
struct lp_ledger {
	struct st_points *v;
	size_t n;
	struct points_entry *e;
};

static int lp_load(const char *, const char *, struct lp_ledger *);
static void lp_free(struct lp_ledger *);
static void lp_day(const char *, time_t, char *, size_t);
static int lp_check(const struct points_config *, const struct points_ledger *,
    const char *, time_t, const char *);
static int lp_after(const struct points_config *, const struct points_ledger *,
    const char *, int64_t, time_t, const char *);
static int64_t lp_total(
    const struct points_config *, const char *, const char *, time_t, time_t *);
static const char *lp_unit(const struct points_ledger *);
static const char *lp_words(const struct points_ledger *, int64_t);

static const char *
lp_unit(const struct points_ledger *l)
{
	return (l->strikes ? "strikes" : "points");
}

/* The unit after a count, for a person: "1 point", "3 strikes". */
static const char *
lp_words(const struct points_ledger *l, int64_t n)
{
	unsigned long k = n < 0 ? 0 : (unsigned long)n;

	/* TRANSLATORS: after a number of penalty points, "12 points". */
	return (l->strikes ? ngettext("strike", "strikes", k)
			   /* TRANSLATORS: serious IP violations counted. */
			   : ngettext("point", "points", k));
}

static int
lp_load(const char *shop, const char *ledger, struct lp_ledger *lg)
{
	size_t i;

	memset(lg, 0, sizeof *lg);
	if (store_points(lifecycle_store(), shop, ledger, &lg->v, &lg->n) == -1)
		return (-1);
	lg->e = xcalloc(lg->n + 1, sizeof *lg->e);
	for (i = 0; i < lg->n; i++) {
		lg->e[i].points = lg->v[i].points;
		lg->e[i].at = lg->v[i].at;
		lg->e[i].day = lg->v[i].day;
		lg->e[i].anchor = lg->v[i].anchor;
	}
	return (0);
}

static void
lp_free(struct lp_ledger *lg)
{
	st_points_free(lg->v, lg->n);
	free(lg->e);
	memset(lg, 0, sizeof *lg);
}

/* t's local date in the shop's zone, "YYYY-MM-DD". */
static void
lp_day(const char *shop, time_t t, char *buf, size_t len)
{
	char local[CALENDAR_FORMAT_LEN];

	if (calendar_format_local(
		lifecycle_calendar(shop), t, local, sizeof local) == -1)
		isotime_format(t, local, sizeof local);
	snprintf(buf, len, "%.10s", local);
}

/* The total of a shop's ledger at now; -1 on a store error. */
static int64_t
lp_total(const struct points_config *pc, const char *shop, const char *ledger,
    time_t now, time_t *next)
{
	struct lp_ledger lg;
	int64_t t;

	if (lp_load(shop, ledger, &lg) == -1)
		return (-1);
	t = points_total(pc, lg.e, lg.n, now, next);
	lp_free(&lg);
	return (t);
}

/*
 * Inside the caller's transaction: how close the ledger is to its next
 * threshold; shop.points_warning the first time it is near (or critical)
 * for that threshold, and the marks of warnings that no longer hold
 * forgotten.
 */
static int
lp_check(const struct points_config *pc, const struct points_ledger *l,
    const char *shop, time_t now, const char *actor)
{
	struct st_case c;
	const char *what;
	enum points_level level;
	int64_t total, at;
	int severe, r;

	if ((total = lp_total(pc, shop, l->name, now, NULL)) == -1)
		return (-1);
	level = points_next(pc, l, total, &at, &what, &severe);
	if ((r = store_points_alert(
		 lifecycle_store(), shop, l->name, at, (int)level, now)) == -1)
		return (-1);
	if (r == 0)
		return (0);
	memset(&c, 0, sizeof c);
	c.shop = (char *)shop;
	if (level == POINTS_CRITICAL)
		return (lifecycle_event(&c, now, actor,
			    CASES_EV_SHOP_POINTS_WARNING, CASES_SEV_CRITICAL,
			    json_pack("{s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:I}",
				"ledger", l->name, "label", l->label, "unit",
				lp_unit(l), "total", (json_int_t)total,
				"threshold", (json_int_t)at, "consequence",
				what, "level", points_level_name(level),
				"typical", (json_int_t)l->typical),
			    "shop %s: the %s ledger stands at %lld %s; one "
			    "more typical violation (%lld) reaches %lld: %s. "
			    "Fix the listings at risk now (delistctl scan "
			    "%s) and appeal what can be appealed",
			    shop, _(l->label), (long long)total,
			    lp_words(l, total), (long long)l->typical,
			    (long long)at, _(what), shop) == -1
			? -1
			: 0);
	return (lifecycle_event(&c, now, actor, CASES_EV_SHOP_POINTS_WARNING,
		    CASES_SEV_WARNING,
		    json_pack("{s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:I}", "ledger",
			l->name, "label", l->label, "unit", lp_unit(l), "total",
			(json_int_t)total, "threshold", (json_int_t)at,
			"consequence", what, "level", points_level_name(level),
			"typical", (json_int_t)l->typical),
		    "shop %s: the %s ledger stands at %lld %s, %lld from "
		    "%lld (%s); check the listings at risk (delistctl scan "
		    "%s)",
		    shop, _(l->label), (long long)total, lp_words(l, total),
		    (long long)(at - total), (long long)at, _(what), shop) == -1
		? -1
		: 0);
}

/*
 * After a change of ledger l whose total was before: the threshold it
 * crossed (shop.points_threshold), then the warning check.
 */
static int
lp_after(const struct points_config *pc, const struct points_ledger *l,
    const char *shop, int64_t before, time_t now, const char *actor)
{
	struct st_case c;
	const char *what;
	int64_t after, t;

	if ((after = lp_total(pc, shop, l->name, now, NULL)) == -1)
		return (-1);
	if ((t = points_crossed(l, before, after, &what)) > 0) {
		memset(&c, 0, sizeof c);
		c.shop = (char *)shop;
		if (lifecycle_event(&c, now, actor,
			CASES_EV_SHOP_POINTS_THRESHOLD, CASES_SEV_CRITICAL,
			json_pack("{s:s,s:s,s:s,s:I,s:I,s:s}", "ledger",
			    l->name, "label", l->label, "unit", lp_unit(l),
			    "total", (json_int_t)after, "threshold",
			    (json_int_t)t, "consequence", what),
			"shop %s: the %s ledger reached %lld %s (%lld): %s; "
			"check the seller backend and plan for it",
			shop, _(l->label), (long long)t, lp_words(l, t),
			(long long)after, _(what)) == -1)
			return (-1);
	}
	return (lp_check(pc, l, shop, now, actor));
}

/*
 * Inside the caller's transaction: case c's violation is confirmed (it
 * ends without the listing back): its reason's points go on the shop's
 * ledger once.
 */
int
lifecycle_points_confirm(const struct st_case *c, const char *actor)
{
	struct points_config pc;
	const struct points_rule *rule;
	const struct points_ledger *l;
	struct st_points e, old;
	struct lp_ledger lg;
	const char *why = NULL;
	char day[16], buf[ISOTIME_LEN], b2[ISOTIME_LEN];
	char until[CALENDAR_FORMAT_LEN];
	time_t now = clock_now();
	int64_t before, got;
	int rc;

	config_points(lifecycle_config(), &pc);
	if ((rule = points_rule(&pc, c->reason)) == NULL ||
	    (l = points_ledger(&pc, rule->ledger)) == NULL)
		return (0);
	if ((rc = store_points_case(lifecycle_store(), c->id, &old)) == -1)
		return (-1);
	if (rc == 0) {
		st_point_clear(&old);
		return (0);
	}
	if (lp_load(c->shop, l->name, &lg) == -1)
		return (-1);
	before = points_total(&pc, lg.e, lg.n, now, NULL);
	lp_day(c->shop, c->opened_at, day, sizeof day);
	got = points_admit(
	    &pc, l, lg.e, lg.n, c->opened_at, day, rule->points, &why);
	lp_free(&lg);
	memset(&e, 0, sizeof e);
	e.shop = c->shop;
	e.case_id = c->id;
	e.ledger = (char *)l->name;
	e.points = got;
	e.asked = rule->points;
	e.at = c->opened_at;
	e.day = day;
	e.note = (char *)why;
	e.actor = (char *)actor;
	e.recorded_at = now;
	if (store_points_add(lifecycle_store(), &e) == -1)
		return (-1);
	if (calendar_format_human(lifecycle_calendar(c->shop),
		e.at + (time_t)pc.expiry, until, sizeof until) == -1)
		isotime_format(e.at + (time_t)pc.expiry, until, sizeof until);
	if (lifecycle_event(c, now, actor, CASES_EV_SHOP_POINTS_RECORDED,
		CASES_SEV_INFO,
		json_pack("{s:s,s:s,s:I,s:I,s:o,s:s,s:s}", "ledger", l->name,
		    "unit", lp_unit(l), "points", (json_int_t)got, "asked",
		    (json_int_t)rule->points, "why",
		    why ? json_string(why) : json_null(), "at",
		    isotime_format(e.at, buf, sizeof buf), "expires_at",
		    isotime_format(e.at + (time_t)pc.expiry, b2, sizeof b2)),
		"case %lld confirmed: %lld %s on the %s ledger of shop %s%s "
		"(counting until %s); correct it with delistctl points %s "
		"--correct %lld if the backend says otherwise",
		(long long)c->id, (long long)got, lp_words(l, got), _(l->label),
		c->shop,
		why == NULL			 ? ""
		    : strcmp(why, "merged") == 0 ? _(", merged with a strike "
						     "of the last days")
						 : _(", cut by the daily cap"),
		until, c->shop, (long long)c->id) == -1)
		return (-1);
	return (lp_after(&pc, l, c->shop, before, now, actor));
}

/* Checks a ledger's name against the configuration. */
static const struct points_ledger *
lp_ledger_known(const struct points_config *pc, const char *ledger,
    struct lifecycle_err *err)
{
	const struct points_ledger *l;
	char known[512];
	size_t i, o = 0;

	if ((l = points_ledger(pc, ledger)) != NULL)
		return (l);
	known[0] = '\0';
	for (i = 0; i < pc->nledgers && o < sizeof known; i++)
		o += (size_t)snprintf(known + o, sizeof known - o, "%s%s",
		    i ? ", " : "", pc->ledgers[i].name);
	lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD,
	    _("unknown ledger \"%.32s\" (one of: %s)"), ledger, known);
	return (NULL);
}

/*
 * The seller corrects case case_id's entry: its ledger and points, with a
 * reason (kept in the trail). A case without an entry gets one.
 */
int
lifecycle_points_correct(const char *shop, int64_t case_id, const char *ledger,
    int64_t points, const char *reason, const char *actor,
    struct lifecycle_err *err)
{
	struct points_config pc;
	const struct points_ledger *l, *lold = NULL;
	struct st_points old, e;
	struct st_case c;
	char day[16];
	time_t now = clock_now();
	int64_t before, before_old = 0;
	int rc, had;

	config_points(lifecycle_config(), &pc);
	if ((l = lp_ledger_known(&pc, ledger, err)) == NULL)
		return (-1);
	if (lifecycle_case_begin(case_id, &c, err) == -1)
		return (-1);
	if (strcmp(c.shop, shop) != 0) {
		lifecycle_err_set(err, LIFECYCLE_ERR_NOT_FOUND,
		    _("case %lld is not a case of shop %s"), (long long)case_id,
		    shop);
		st_case_clear(&c);
		store_rollback(lifecycle_store());
		return (-1);
	}
	memset(&old, 0, sizeof old);
	if ((rc = store_points_case(lifecycle_store(), case_id, &old)) == -1)
		goto fail;
	had = rc == 0;
	if (had)
		lold = points_ledger(&pc, old.ledger);
	if ((before = lp_total(&pc, shop, l->name, now, NULL)) == -1 ||
	    (lold != NULL && lold != l &&
		(before_old = lp_total(&pc, shop, lold->name, now, NULL)) ==
		    -1))
		goto fail;
	if (had) {
		if (store_points_correct(lifecycle_store(), old.id, l->name,
			points, reason) == -1)
			goto fail;
	} else {
		lp_day(shop, c.opened_at, day, sizeof day);
		memset(&e, 0, sizeof e);
		e.shop = (char *)shop;
		e.case_id = case_id;
		e.ledger = (char *)l->name;
		e.points = e.asked = points;
		e.at = c.opened_at;
		e.day = day;
		e.note = (char *)reason;
		e.actor = (char *)actor;
		e.recorded_at = now;
		if (store_points_add(lifecycle_store(), &e) == -1)
			goto fail;
	}
	if (lifecycle_event(&c, now, actor, CASES_EV_SHOP_POINTS_CORRECTED,
		CASES_SEV_INFO,
		json_pack("{s:I,s:s,s:I,s:o,s:o,s:s}", "case",
		    (json_int_t)case_id, "ledger", l->name, "points",
		    (json_int_t)points, "from_ledger",
		    had ? json_string(old.ledger) : json_null(), "from_points",
		    had ? json_integer(old.points) : json_null(), "reason",
		    reason),
		"case %lld: %lld %s on the %s ledger of shop %s, corrected "
		"by %s: %s",
		(long long)case_id, (long long)points, lp_words(l, points),
		_(l->label), shop, actor, reason) == -1)
		goto fail;
	if (lp_after(&pc, l, shop, before, now, actor) == -1 ||
	    (lold != NULL && lold != l &&
		lp_after(&pc, lold, shop, before_old, now, actor) == -1))
		goto fail;
	st_point_clear(&old);
	st_case_clear(&c);
	return (lifecycle_commit(err));
fail:
	st_point_clear(&old);
	st_case_clear(&c);
	return (lifecycle_store_fail(err));
}

/*
 * The seller sets a ledger to the figure the backend shows: an anchor
 * entry of points now, before which nothing counts.
 */
int
lifecycle_points_set(const char *shop, const char *ledger, int64_t points,
    const char *reason, const char *actor, struct lifecycle_err *err)
{
	struct points_config pc;
	const struct points_ledger *l;
	struct st_points e;
	struct st_case c;
	char day[16];
	time_t now = clock_now();
	int64_t before;

	config_points(lifecycle_config(), &pc);
	if (lifecycle_shop_known(shop, err) == -1 ||
	    (l = lp_ledger_known(&pc, ledger, err)) == NULL)
		return (-1);
	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	if (store_shop_id(lifecycle_store(), shop, now) == -1 ||
	    (before = lp_total(&pc, shop, l->name, now, NULL)) == -1)
		return (lifecycle_store_fail(err));
	lp_day(shop, now, day, sizeof day);
	memset(&e, 0, sizeof e);
	e.shop = (char *)shop;
	e.ledger = (char *)l->name;
	e.points = e.asked = points;
	e.anchor = 1;
	e.at = now;
	e.day = day;
	e.note = (char *)reason;
	e.actor = (char *)actor;
	e.recorded_at = now;
	memset(&c, 0, sizeof c);
	c.shop = (char *)shop;
	if (store_points_add(lifecycle_store(), &e) == -1 ||
	    lifecycle_event(&c, now, actor, CASES_EV_SHOP_POINTS_CORRECTED,
		CASES_SEV_INFO,
		json_pack("{s:o,s:s,s:I,s:I,s:s,s:b}", "case", json_null(),
		    "ledger", l->name, "points", (json_int_t)points,
		    "from_points", (json_int_t)before, "reason", reason,
		    "anchor", 1),
		"shop %s: the %s ledger set to %lld %s (was %lld here) by "
		"%s: %s",
		shop, _(l->label), (long long)points, lp_words(l, points),
		(long long)before, actor, reason) == -1 ||
	    lp_after(&pc, l, shop, before, now, actor) == -1)
		return (lifecycle_store_fail(err));
	return (lifecycle_commit(err));
}

/*
 * Inside the caller's transaction (the digest's): every ledger of the
 * shop checked at now, so that warnings that no longer hold (entries
 * expired) are forgotten and new ones fire.
 */
int
lifecycle_points_recheck(const char *shop, time_t now)
{
	struct points_config pc;
	size_t i;

	config_points(lifecycle_config(), &pc);
	for (i = 0; i < pc.nledgers; i++) {
		if (lp_check(&pc, &pc.ledgers[i], shop, now, "daemon") == -1)
			return (-1);
	}
	return (0);
}

/* One ledger of a shop at now, with its entries; -1 on a store error. */
static int
lp_ledger_get(const struct points_config *pc, const struct points_ledger *l,
    const char *shop, time_t now, struct lifecycle_ledger *out)
{
	struct lp_ledger lg;
	int64_t keep;
	size_t i;

	memset(out, 0, sizeof *out);
	if (lp_load(shop, l->name, &lg) == -1)
		return (-1);
	out->def = l;
	out->unit = lp_unit(l);
	out->total = points_total(pc, lg.e, lg.n, now, &out->next_expiry);
	out->level = points_next(pc, l, out->total, &out->next_threshold,
	    &out->consequence, &out->severe);
	out->counting = xcalloc(lg.n + 1, sizeof *out->counting);
	for (i = 0; i < lg.n; i++) {
		/* It counts if the total drops without it. */
		if (lg.v[i].points <= 0 || lg.v[i].at > now ||
		    now >= lg.v[i].at + (time_t)pc->expiry)
			continue;
		keep = lg.e[i].points;
		lg.e[i].points = 0;
		out->counting[i] =
		    points_total(pc, lg.e, lg.n, now, NULL) < out->total;
		lg.e[i].points = keep;
	}
	out->v = lg.v;
	out->n = lg.n;
	free(lg.e);
	return (0);
}

/*
 * A shop's ledgers at now (GET /v1/shops/{shop}/points, the digest):
 * each one's total, next threshold and consequence, and its entries;
 * -1 on a store error. Free with lifecycle_points_free.
 */
int
lifecycle_points(const char *shop, struct lifecycle_points *out)
{
	struct points_config pc;
	time_t now = clock_now();

	config_points(lifecycle_config(), &pc);
	memset(out, 0, sizeof *out);
	out->timezone = calendar_tz(lifecycle_calendar(shop));
	out->expiry = pc.expiry;
	out->ledgers = xcalloc(pc.nledgers + 1, sizeof *out->ledgers);
	for (out->n = 0; out->n < pc.nledgers; out->n++) {
		if (lp_ledger_get(&pc, &pc.ledgers[out->n], shop, now,
			&out->ledgers[out->n]) == -1) {
			lifecycle_points_free(out);
			return (-1);
		}
	}
	return (0);
}

void
lifecycle_points_free(struct lifecycle_points *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		st_points_free(p->ledgers[i].v, p->ledgers[i].n);
		free(p->ledgers[i].counting);
	}
	free(p->ledgers);
	memset(p, 0, sizeof *p);
}

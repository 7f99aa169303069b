/* SPDX-License-Identifier: ISC */
/*
 * points.c: penalty points, their ledgers, thresholds, expiry, the daily
 * cap and the strike merge (points.h). Every default is a row of a const
 * table below, from penalties-tro.md; those marked [uncertain] there are
 * shipped as defaults and documented as unverified (delistd.conf(5)).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "i18n.h"
#include "points.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* The two 48-point ledgers' nodes [uncertain: from older rule tables]. */
static const struct points_node points_nodes_48[] = {
	{ 2, N_("serious warning"), 0 },
	{ 6, N_("product operations restricted 3 days"), 0 },
	{ 12, N_("account frozen 7 days"), 1 },
	{ 24, N_("account frozen 14 days"), 1 },
	{ 36, N_("account frozen 30 days"), 1 },
	{ 48, N_("account closed"), 1 },
};

/* Serious IP: 3 strikes close [DFRTW]; 1 and 2 [uncertain: CBJ-FAQ]. */
static const struct points_node points_nodes_strikes[] = {
	{ 1, N_("account frozen 1 day"), 1 },
	{ 2, N_("account frozen 7 days"), 1 },
	{ 3, N_("account closed"), 1 },
};

static const struct points_ledger points_default_ledgers[] = {
	{ "listing_quality", N_("listing-information quality"), 0, 0, NULL, 0,
	    12, N_("account frozen 7 days"), 2 },
	{ "ip_general", N_("IP (general) and prohibited goods"), 0, 1,
	    points_nodes_48, nitems(points_nodes_48), 0, NULL, 2 },
	{ "ip_serious", N_("serious IP (strikes)"), 1, 0, points_nodes_strikes,
	    nitems(points_nodes_strikes), 0, NULL, 1 },
	{ "trade", N_("trade violations and other"), 0, 0, points_nodes_48,
	    nitems(points_nodes_48), 0, NULL, 2 },
};

/*
 * Each reason's default ledger and points (AE-EPI: a non-compliant or
 * misplaced listing, 2 points; the per-complaint IP value, 2, is
 * [uncertain]). tro, spot_check, other and unclassified record nothing
 * unless configured.
 */
static const struct points_rule points_default_rules[] = {
	{ "ip_infringement", "ip_general", 2 },
	{ "category_misplaced", "listing_quality", 2 },
	{ "false_info", "listing_quality", 2 },
	{ "prohibited_words", "listing_quality", 2 },
	{ "unauthorized_media", "ip_general", 2 },
	{ "missing_certification", "ip_general", 2 },
	{ "not_as_described", "trade", 2 },
	{ "duplicate_listing", "listing_quality", 2 },
};

void
points_config_init(struct points_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->ledgers = points_default_ledgers;
	cfg->nledgers = nitems(points_default_ledgers);
	cfg->rules = points_default_rules;
	cfg->nrules = nitems(points_default_rules);
	cfg->expiry = POINTS_EXPIRY_DEFAULT;
	cfg->margin = POINTS_MARGIN_DEFAULT;
	cfg->cap = POINTS_IP_CAP_DEFAULT;
	cfg->merge = POINTS_MERGE_DEFAULT;
}

int
points_config_check(const struct points_config *cfg, char **cause)
{
	const struct points_ledger *l;
	size_t i, j;

	if (cfg->expiry < 86400 || cfg->margin < 0 ||
	    cfg->margin > POINTS_MAX || cfg->cap < 0 || cfg->cap > POINTS_MAX ||
	    cfg->merge < 0) {
		cause_set(cause,
		    "points: expiry must be a day or more, and margin, "
		    "daily_cap and strike_merge not negative");
		return (-1);
	}
	for (i = 0; i < cfg->nledgers; i++) {
		l = &cfg->ledgers[i];
		if (l->name == NULL || *l->name == '\0') {
			cause_set(cause, "points: ledger %zu has no name", i);
			return (-1);
		}
		if (l->every < 0 || l->typical < 0) {
			cause_set(cause,
			    "points: ledger %s: every and typical must not be "
			    "negative",
			    l->name);
			return (-1);
		}
		for (j = 0; j < l->nnodes; j++) {
			if (l->nodes[j].at <= (j ? l->nodes[j - 1].at : 0)) {
				cause_set(cause,
				    "points: ledger %s: thresholds must be "
				    "positive and ascending",
				    l->name);
				return (-1);
			}
		}
		for (j = 0; j < i; j++) {
			if (strcmp(cfg->ledgers[j].name, l->name) == 0) {
				cause_set(cause,
				    "points: ledger %s is given twice",
				    l->name);
				return (-1);
			}
		}
	}
	for (i = 0; i < cfg->nrules; i++) {
		if (cases_reason_from_name(cfg->rules[i].reason) == -1) {
			cause_set(cause, "points: unknown reason \"%s\"",
			    cfg->rules[i].reason);
			return (-1);
		}
		if (cfg->rules[i].ledger != NULL &&
		    points_ledger(cfg, cfg->rules[i].ledger) == NULL) {
			cause_set(cause,
			    "points: reason %s names an unknown ledger \"%s\"",
			    cfg->rules[i].reason, cfg->rules[i].ledger);
			return (-1);
		}
		if (cfg->rules[i].points < 0 ||
		    cfg->rules[i].points > POINTS_MAX) {
			cause_set(cause,
			    "points: reason %s: points must be 0 to %d",
			    cfg->rules[i].reason, POINTS_MAX);
			return (-1);
		}
	}
	return (0);
}

const struct points_ledger *
points_ledger(const struct points_config *cfg, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < cfg->nledgers; i++) {
		if (strcmp(cfg->ledgers[i].name, name) == 0)
			return (&cfg->ledgers[i]);
	}
	return (NULL);
}

const struct points_rule *
points_rule(const struct points_config *cfg, const char *reason)
{
	size_t i;

	for (i = 0; reason != NULL && i < cfg->nrules; i++) {
		if (strcmp(cfg->rules[i].reason, reason) == 0)
			return (cfg->rules[i].ledger != NULL ? &cfg->rules[i]
							     : NULL);
	}
	return (NULL);
}

/* The latest anchor still counting at now, or n if none. */
static size_t
points_anchor(const struct points_config *cfg, const struct points_entry *e,
    size_t n, time_t now)
{
	size_t i, best = n;

	for (i = 0; i < n; i++) {
		if (e[i].anchor && now < e[i].at + cfg->expiry &&
		    e[i].at <= now && (best == n || e[i].at >= e[best].at))
			best = i;
	}
	return (best);
}

int64_t
points_total(const struct points_config *cfg, const struct points_entry *e,
    size_t n, time_t now, time_t *next_expiry)
{
	size_t i, a = points_anchor(cfg, e, n, now);
	int64_t total = 0;
	time_t end, next = 0;

	for (i = 0; i < n; i++) {
		if (e[i].at > now || now >= e[i].at + cfg->expiry)
			continue;
		if (a < n && i != a && (e[i].anchor || e[i].at < e[a].at))
			continue;
		if (a == n && e[i].anchor)
			continue;
		total += e[i].points;
		end = e[i].at + (time_t)cfg->expiry;
		if (e[i].points > 0 && (next == 0 || end < next))
			next = end;
	}
	if (next_expiry != NULL)
		*next_expiry = next;
	return (total);
}

int64_t
points_admit(const struct points_config *cfg, const struct points_ledger *l,
    const struct points_entry *e, size_t n, time_t at, const char *day,
    int64_t points, const char **why)
{
	int64_t used = 0;
	size_t i;

	if (why != NULL)
		*why = NULL;
	if (l->strikes && cfg->merge > 0) {
		for (i = 0; i < n; i++) {
			if (!e[i].anchor && e[i].points > 0 && e[i].at <= at &&
			    at - e[i].at < cfg->merge) {
				if (why != NULL)
					*why = "merged";
				return (0);
			}
		}
	}
	if (l->capped && cfg->cap > 0 && day != NULL) {
		for (i = 0; i < n; i++) {
			if (!e[i].anchor && e[i].day != NULL &&
			    strcmp(e[i].day, day) == 0)
				used += e[i].points;
		}
		if (used + points > cfg->cap) {
			if (why != NULL)
				*why = "capped";
			return (used >= cfg->cap ? 0 : cfg->cap - used);
		}
	}
	return (points);
}

const char *
points_level_name(enum points_level v)
{
	static const char *const names[] = { "clear", "near", "critical" };

	return ((unsigned)v < nitems(names) ? names[v] : NULL);
}

enum points_level
points_next(const struct points_config *cfg, const struct points_ledger *l,
    int64_t total, int64_t *at, const char **consequence, int *severe)
{
	int64_t next = 0, rep;
	size_t i;

	*at = 0;
	*consequence = NULL;
	*severe = 0;
	for (i = 0; i < l->nnodes; i++) {
		if (l->nodes[i].at > total) {
			next = l->nodes[i].at;
			*consequence = l->nodes[i].consequence;
			*severe = l->nodes[i].severe;
			break;
		}
	}
	if (l->every > 0) {
		rep = (total / l->every + 1) * l->every;
		if (next == 0 || rep < next) {
			next = rep;
			*consequence = l->every_consequence;
			*severe = 1;
		}
	}
	if (next == 0)
		return (POINTS_CLEAR);
	*at = next;
	/* A ledger with nothing on it warns of nothing. */
	if (total <= 0)
		return (POINTS_CLEAR);
	if (*severe && total + l->typical >= next)
		return (POINTS_CRITICAL);
	if (total + cfg->margin >= next)
		return (POINTS_NEAR);
	return (POINTS_CLEAR);
}

int64_t
points_crossed(const struct points_ledger *l, int64_t before, int64_t after,
    const char **consequence)
{
	int64_t t = 0, rep;
	size_t i;

	*consequence = NULL;
	for (i = 0; i < l->nnodes; i++) {
		if (l->nodes[i].at > before && l->nodes[i].at <= after) {
			t = l->nodes[i].at;
			*consequence = l->nodes[i].consequence;
		}
	}
	if (l->every > 0 && after / l->every > before / l->every &&
	    after >= l->every) {
		rep = after / l->every * l->every;
		if (rep > t) {
			t = rep;
			*consequence = l->every_consequence;
		}
	}
	return (t);
}

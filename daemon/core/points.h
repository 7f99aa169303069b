/* SPDX-License-Identifier: ISC */
/*
 * points.h: a shop's penalty points (AliExpress 积分), pure (points.c).
 *
 * The platform keeps separate ledgers (penalties-tro.md 1.1): listing
 * quality, general IP and prohibited goods, serious IP (counted in
 * strikes), trade. Each case reason maps to a ledger and points; a
 * confirmed violation records an entry dated at the penalty, which counts
 * for expiry seconds (365 days) and then drops out by itself. A ledger's
 * thresholds say what happens at a total: a list of nodes, and for a
 * ledger like listing quality a repeating period ("every 12 points:
 * frozen 7 days"). General IP entries of one local day add up to at most
 * a cap (6); serious-IP strikes within a merge window (3 days) of an
 * earlier strike count as one. Every number is a configuration default:
 * no platform API returns points, and the sources disagree.
 *
 * No I/O, no clock ("now" is an argument), no global state. Functions
 * that can fail return -1 and set *cause when the caller passes one.
 */

#ifndef POINTS_H
#define POINTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cases.h"

#define POINTS_EXPIRY_DEFAULT (365 * 86400)
#define POINTS_MARGIN_DEFAULT 4
#define POINTS_IP_CAP_DEFAULT 6
#define POINTS_MERGE_DEFAULT (3 * 86400)
#define POINTS_MAX 100000

/* A threshold: at this total, this happens. */
struct points_node {
	int64_t at;
	const char *consequence; /* "account frozen 7 days" */
	int severe; /* 1: a freeze or a closure (a critical warning before) */
};

struct points_ledger {
	const char *name; /* "listing_quality" */
	const char *label; /* for people: "listing-information quality" */
	int strikes; /* 1: counted in strikes (merged within the window) */
	int capped; /* 1: the daily cap applies */
	const struct points_node *nodes; /* ascending */
	size_t nnodes;
	int64_t every; /* > 0: also a threshold at every multiple */
	const char *every_consequence;
	int64_t typical; /* what one more typical violation adds */
};

/* A reason's ledger and points (ledger NULL: no points). */
struct points_rule {
	const char *reason; /* a cases reason name */
	const char *ledger;
	int64_t points;
};

struct points_config {
	const struct points_ledger *ledgers;
	size_t nledgers;
	const struct points_rule *rules;
	size_t nrules;
	int64_t expiry; /* seconds an entry counts */
	int64_t margin; /* warn this many points before a threshold */
	int64_t cap; /* a capped ledger's most per local day; 0: none */
	int64_t merge; /* strikes within this many seconds are one */
};

/* Fills cfg with the defaults of penalties-tro.md (see points.c). */
void points_config_init(struct points_config *cfg);
/* Numbers in range, names known, nodes ascending. 0, or -1 with *cause. */
int points_config_check(const struct points_config *cfg, char **cause);
/* The ledger called name, or NULL. */
const struct points_ledger *
points_ledger(const struct points_config *cfg, const char *name);
/* The rule of a reason, or NULL (no points). */
const struct points_rule *
points_rule(const struct points_config *cfg, const char *reason);

/* An entry of a ledger, as the store keeps it. */
struct points_entry {
	int64_t points; /* 0 for a merged strike or a capped-out entry */
	time_t at; /* the penalty's date */
	const char *day; /* its local date "YYYY-MM-DD" (the cap's day) */
	int anchor; /* 1: the seller's own figure; earlier entries drop */
};

/*
 * The total of entries e[0..n) of one ledger at now: the latest anchor
 * still counting and every later entry still counting (an entry counts
 * while now < at + expiry). *next_expiry (may be NULL) gets the earliest
 * time a counting entry with points stops counting, 0 if none.
 */
int64_t points_total(const struct points_config *cfg,
    const struct points_entry *e, size_t n, time_t now, time_t *next_expiry);

/*
 * What a new entry of points on ledger l at (on local date day) records,
 * given the ledger's entries e[0..n): the points, cut to what the daily
 * cap leaves for a capped ledger, or 0 for a strike within the merge
 * window of an earlier counting strike. *why (may be NULL) gets "capped"
 * or "merged" when it changed anything, else NULL.
 */
int64_t points_admit(const struct points_config *cfg,
    const struct points_ledger *l, const struct points_entry *e, size_t n,
    time_t at, const char *day, int64_t points, const char **why);

/* How close a total is to the next threshold. Ordered. */
enum points_level {
	POINTS_CLEAR,
	POINTS_NEAR, /* within the margin: a warning */
	POINTS_CRITICAL /* one more typical violation freezes or closes */
};

/* "clear", "near", "critical". */
const char *points_level_name(enum points_level);

/*
 * The next threshold above total (*at, *consequence, *severe), and how
 * close it is (always clear at 0: an empty ledger warns of nothing). Returns the level; *at is 0 and *consequence NULL when the
 * ledger has no threshold above total.
 */
enum points_level
points_next(const struct points_config *cfg, const struct points_ledger *l,
    int64_t total, int64_t *at, const char **consequence, int *severe);

/*
 * The highest threshold t with before < t <= after (a total rising from
 * before to after crossed it): returns t and sets *consequence, or 0 if
 * none was crossed.
 */
int64_t points_crossed(const struct points_ledger *l, int64_t before,
    int64_t after, const char **consequence);

#endif /* POINTS_H */

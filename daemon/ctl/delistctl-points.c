/* SPDX-License-Identifier: ISC */
/*
 * delistctl-points.c: delistctl points, a shop's penalty points and health
 * (GET and POST /v1/shops/SHOP/points): each ledger's total, the next
 * threshold and its consequence, what expires when; --set re-anchors a
 * ledger to the seller backend's figure, --correct a case's entry.
 */

#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistctl.h"
#include "i18n.h"

#define POINTS_COLS 6

const struct option ctl_points_options[] = {
	{ "set", required_argument, NULL, 'S' },
	{ "correct", required_argument, NULL, 'C' },
	{ "ledger", required_argument, NULL, 'l' },
	{ "points", required_argument, NULL, 'p' },
	{ "reason", required_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

static long long points_number(const char *);
static const char *points_str(const json_t *, const char *);
static void points_print(const char *, json_t *);
static const char *points_words(const json_t *, const json_t *);

static const char *
points_str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return (s != NULL ? s : "-");
}

/*
 * The unit of ledger l after count n, for a person: "1 point", "3
 * strikes" (the JSON "unit" is an interface word).
 */
static const char *
points_words(const json_t *l, const json_t *count)
{
	json_int_t n = json_integer_value(count);
	unsigned long k = n < 0 ? 0 : (unsigned long)n;

	if (strcmp(points_str(l, "unit"), "strikes") == 0)
		return (ngettext("strike", "strikes", k));
	return (ngettext("point", "points", k));
}

/* A count of points: digits, 0 to 100000, or a one-line error. */
static long long
points_number(const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0 || v > 100000)
		ctl_fail(
		    _("bad number of points \"%s\": expected 0 to 100000"), s);
	return (v);
}

static void
points_print(const char *shop, json_t *doc)
{
	char ***rows, next[64], exp[CTL_TIME_LEN];
	json_t *l, *e;
	size_t i, j, n;

	ctl_zone(ctl_shop_zone(shop));
	n = json_array_size(json_object_get(doc, "ledgers"));
	rows = ctl_table_new(n + 1, POINTS_COLS);
	rows[0][0] = strdup(_("LEDGER"));
	rows[0][1] = strdup(_("TOTAL"));
	rows[0][2] = strdup(_("NEXT"));
	rows[0][3] = strdup(_("THEN"));
	rows[0][4] = strdup(_("LEVEL"));
	rows[0][5] = strdup(_("NEXT EXPIRY"));
	json_array_foreach (json_object_get(doc, "ledgers"), i, l) {
		rows[i + 1][0] = strdup(points_str(l, "ledger"));
		rows[i + 1][1] = ctl_fmt("%lld %s",
		    (long long)json_integer_value(json_object_get(l, "total")),
		    points_words(l, json_object_get(l, "total")));
		if (json_is_integer(json_object_get(l, "next_threshold")))
			snprintf(next, sizeof next, "%lld",
			    (long long)json_integer_value(
				json_object_get(l, "next_threshold")));
		else
			snprintf(next, sizeof next, "-");
		rows[i + 1][2] = strdup(next);
		rows[i + 1][3] =
		    strdup(json_is_string(json_object_get(l, "consequence"))
			    ? _(points_str(l, "consequence"))
			    : "-");
		rows[i + 1][4] =
		    strdup(ctl_word("points level", points_str(l, "level")));
		rows[i + 1][5] =
		    strdup(ctl_time(l, "next_expiry_at", exp, sizeof exp));
	}
	ctl_table(rows, n + 1, POINTS_COLS);
	ctl_table_free(rows, n + 1, POINTS_COLS);
	json_array_foreach (json_object_get(doc, "ledgers"), i, l) {
		json_array_foreach (json_object_get(l, "expiring"), j, e) {
			if (json_is_integer(json_object_get(e, "case")))
				printf(_("%s: %lld %s (case %lld) expire "
					 "%s\n"),
				    points_str(l, "ledger"),
				    (long long)json_integer_value(
					json_object_get(e, "points")),
				    points_words(
					l, json_object_get(e, "points")),
				    (long long)json_integer_value(
					json_object_get(e, "case")),
				    ctl_time(e, "at", exp, sizeof exp));
			else
				printf(_("%s: %lld %s (set by hand) expire "
					 "%s\n"),
				    points_str(l, "ledger"),
				    (long long)json_integer_value(
					json_object_get(e, "points")),
				    points_words(
					l, json_object_get(e, "points")),
				    ctl_time(e, "at", exp, sizeof exp));
		}
	}
	/* The daemon's English sentence, in the reader's language. */
	printf("%s\n", _(points_str(doc, "note")));
}

int
ctl_points(struct ctl_args *a)
{
	const char *shop = a->argv[0], *reason = ctl_args_get(a, 'r');
	int set = ctl_args_has(a, 'S'), correct = ctl_args_has(a, 'C');
	long long n = 0, id = 0;
	json_t *body = NULL, *doc;
	char *path;

	ctl_shop_check(shop);
	if (set && correct)
		ctl_usage_fail(a->usage);
	if (set &&
	    (a->argc != 2 || ctl_args_has(a, 'l') || ctl_args_has(a, 'p')))
		ctl_usage_fail(a->usage);
	if (correct &&
	    (a->argc != 1 || !ctl_args_has(a, 'l') || !ctl_args_has(a, 'p')))
		ctl_usage_fail(a->usage);
	if (!set && !correct &&
	    (a->argc != 1 || ctl_args_has(a, 'l') || ctl_args_has(a, 'p') ||
		reason != NULL))
		ctl_usage_fail(a->usage);
	if ((set || correct) && (reason == NULL || *reason == '\0'))
		ctl_fail(_("--reason must say why (it goes in the trail)"));
	if (set)
		n = points_number(a->argv[1]);
	if (correct) {
		id = ctl_id(ctl_args_get(a, 'C'), "case");
		n = points_number(ctl_args_get(a, 'p'));
	}
	path = ctl_fmt("/v1/shops/%s/points", shop);
	if (set)
		body = json_pack("{s:{s:s,s:I},s:s}", "set", "ledger",
		    ctl_args_get(a, 'S'), "points", (json_int_t)n, "reason",
		    reason);
	else if (correct)
		body = json_pack("{s:{s:I,s:s,s:I},s:s}", "correct", "case",
		    (json_int_t)id, "ledger", ctl_args_get(a, 'l'), "points",
		    (json_int_t)n, "reason", reason);
	doc = ctl_call(body != NULL ? "POST" : "GET", path, body);
	free(path);
	if (!ctl.json)
		points_print(shop, doc);
	json_decref(doc);
	return (0);
}

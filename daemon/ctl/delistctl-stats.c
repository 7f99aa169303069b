/* SPDX-License-Identifier: ISC */
/*
 * delistctl-stats.c: delistctl stats [SHOP] [--weeks N], the numbers of
 * GET /v1/stats (api.h) as four tables: delistings per week by reason,
 * appeal outcomes by reason, days from takedown to reinstatement, open
 * cases at each week's end. --json prints the daemon's answer; the daemon
 * judges the shop and the number of weeks.
 */

#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistctl.h"
#include "i18n.h"

/* A table of known size: rows x cols malloc'd cells, the heading first. */
struct stats_grid {
	char ***rows;
	size_t nrows, ncols;
};

static void stats_grid_init(struct stats_grid *, size_t, size_t);
static void stats_grid_print(struct stats_grid *, const char *);
static char *stats_num(const json_t *);
static void stats_delistings(const json_t *);
static void stats_by_reason(const json_t *, int);
static void stats_open(const json_t *);

const struct option ctl_stats_options[] = {
	{ "weeks", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 },
};

static void
stats_grid_init(struct stats_grid *g, size_t nrows, size_t ncols)
{
	size_t r;

	g->nrows = nrows;
	g->ncols = ncols;
	if ((g->rows = calloc(nrows, sizeof *g->rows)) == NULL)
		ctl_fail("%s", _("out of memory"));
	for (r = 0; r < nrows; r++)
		if ((g->rows[r] = calloc(ncols, sizeof **g->rows)) == NULL)
			ctl_fail("%s", _("out of memory"));
}

/* Prints the title and the table, then frees the table. */
static void
stats_grid_print(struct stats_grid *g, const char *title)
{
	size_t r, c;

	printf("\n%s\n", title);
	ctl_table(g->rows, g->nrows, g->ncols);
	for (r = 0; r < g->nrows; r++) {
		for (c = 0; c < g->ncols; c++)
			free(g->rows[r][c]);
		free(g->rows[r]);
	}
	free(g->rows);
}

/* A count, days to a tenth, or "-" (null). */
static char *
stats_num(const json_t *v)
{
	if (json_is_integer(v))
		return (ctl_fmt("%lld", (long long)json_integer_value(v)));
	if (json_is_real(v))
		return (ctl_fmt("%.1f", json_real_value(v)));
	return (ctl_fmt("-"));
}

static void
stats_delistings(const json_t *doc)
{
	const json_t *reasons = json_object_get(doc, "reasons");
	const json_t *weeks = json_object_get(doc, "delistings"), *w, *v;
	struct stats_grid g;
	size_t nr = json_array_size(reasons), i, k;

	stats_grid_init(&g, json_array_size(weeks) + 1, nr + 3);
	g.rows[0][0] = ctl_fmt("%s", _("WEEK"));
	g.rows[0][1] = ctl_fmt("%s", _("FROM"));
	json_array_foreach (reasons, k, v)
		g.rows[0][k + 2] = ctl_fmt("%s", json_string_value(v));
	g.rows[0][nr + 2] = ctl_fmt("%s", _("TOTAL"));
	json_array_foreach (weeks, i, w) {
		g.rows[i + 1][0] = ctl_fmt(
		    "%s", json_string_value(json_object_get(w, "week")));
		g.rows[i + 1][1] = ctl_fmt(
		    "%s", json_string_value(json_object_get(w, "start")));
		json_array_foreach (reasons, k, v)
			g.rows[i + 1][k + 2] = stats_num(
			    json_object_get(json_object_get(w, "by_reason"),
				json_string_value(v)));
		g.rows[i + 1][nr + 2] = stats_num(json_object_get(w, "total"));
	}
	stats_grid_print(&g, _("Delistings per week, by reason"));
}

/* The appeals' outcomes (days 0) or the days to reinstatement (days 1). */
static void
stats_by_reason(const json_t *doc, int days)
{
	static const char *const akeys[] = { "approved", "rejected", "pending",
		"total" };
	static const char *const dkeys[] = { "reinstated", "median_days",
		"p90_days" };
	const json_t *chart =
	    json_object_get(doc, days ? "reinstatement" : "appeals");
	const json_t *rows = json_object_get(chart, "by_reason");
	const json_t *buckets = json_object_get(doc, "buckets"), *row, *v;
	const char *const *keys = days ? dkeys : akeys;
	size_t nk = days ? 3 : 4, nb = days ? json_array_size(buckets) : 0;
	size_t n = json_array_size(rows), i, k;
	struct stats_grid g;

	stats_grid_init(&g, n + 2, 1 + nk + nb);
	g.rows[0][0] = ctl_fmt("%s", _("REASON"));
	if (days) {
		g.rows[0][1] = ctl_fmt("%s", _("REINSTATED"));
		g.rows[0][2] = ctl_fmt("%s", _("MEDIAN DAYS"));
		g.rows[0][3] = ctl_fmt("%s", _("P90 DAYS"));
		json_array_foreach (buckets, k, v)
			g.rows[0][4 + k] =
			    ctl_fmt(_("%s d"), json_string_value(v));
	} else {
		g.rows[0][1] = ctl_fmt("%s", _("APPROVED"));
		g.rows[0][2] = ctl_fmt("%s", _("REJECTED"));
		g.rows[0][3] = ctl_fmt("%s", _("PENDING"));
		g.rows[0][4] = ctl_fmt("%s", _("TOTAL"));
	}
	for (i = 0; i <= n; i++) {
		row = i < n ? json_array_get(rows, i)
			    : json_object_get(chart, "all");
		g.rows[i + 1][0] = i < n
		    ? ctl_fmt("%s",
			  json_string_value(json_object_get(row, "reason")))
		    : ctl_fmt("%s", _("all"));
		for (k = 0; k < nk; k++)
			g.rows[i + 1][1 + k] =
			    stats_num(json_object_get(row, keys[k]));
		json_array_foreach (json_object_get(row, "histogram"), k, v)
			if (k < nb)
				g.rows[i + 1][1 + nk + k] = stats_num(v);
	}
	stats_grid_print(&g,
	    days ? _("Days from takedown to reinstatement, by reason")
		 : _("Appeal outcomes, by reason"));
}

static void
stats_open(const json_t *doc)
{
	const json_t *weeks = json_object_get(doc, "open"), *w;
	struct stats_grid g;
	size_t i;

	stats_grid_init(&g, json_array_size(weeks) + 1, 3);
	g.rows[0][0] = ctl_fmt("%s", _("WEEK"));
	g.rows[0][1] = ctl_fmt("%s", _("COUNTED AT"));
	g.rows[0][2] = ctl_fmt("%s", _("OPEN"));
	json_array_foreach (weeks, i, w) {
		char tb[CTL_TIME_LEN];

		g.rows[i + 1][0] = ctl_fmt(
		    "%s", json_string_value(json_object_get(w, "week")));
		g.rows[i + 1][1] =
		    ctl_fmt("%s", ctl_time(w, "at", tb, sizeof tb));
		g.rows[i + 1][2] = stats_num(json_object_get(w, "open"));
	}
	stats_grid_print(&g, _("Open cases at the end of each week"));
}

int
ctl_stats(struct ctl_args *a)
{
	const json_t *weeks;
	const char *w;
	char path[512], *shop = NULL;
	json_t *doc;

	/* Judged here, before anything is allocated: ctl_fail exits. */
	w = ctl_args_get(a, 'w');
	if (w != NULL &&
	    (*w == '\0' || strlen(w) > 8 ||
		strspn(w, "0123456789") != strlen(w)))
		ctl_fail(_("--weeks: \"%s\" is not a number of weeks"), w);
	if (a->argc > 0 && strlen(a->argv[0]) > 64)
		ctl_fail(_("\"%.64s...\" is not a shop name"), a->argv[0]);
	if (a->argc > 0)
		shop = ctl_escape(a->argv[0]);
	snprintf(path, sizeof path, "/v1/stats?%s%s%s%s", shop ? "shop=" : "",
	    shop ? shop : "", w ? "&weeks=" : "", w ? w : "");
	free(shop);
	doc = ctl_call("GET", path, NULL);
	if (ctl.json) {
		json_decref(doc);
		return (0);
	}
	ctl_zone(json_string_value(json_object_get(doc, "timezone")));
	weeks = json_object_get(doc, "delistings");
	printf(_("Statistics of %s, weeks %s to %s (ISO weeks from Monday "
		 "00:00, %s)\n"),
	    json_is_string(json_object_get(doc, "shop"))
		? json_string_value(json_object_get(doc, "shop"))
		: _("all shops"),
	    json_string_value(
		json_object_get(json_array_get(weeks, 0), "week")),
	    json_string_value(json_object_get(
		json_array_get(weeks, json_array_size(weeks) - 1), "week")),
	    json_string_value(json_object_get(doc, "timezone")));
	stats_delistings(doc);
	stats_by_reason(doc, 0);
	stats_by_reason(doc, 1);
	stats_open(doc);
	json_decref(doc);
	return (0);
}

/* SPDX-License-Identifier: ISC */
/*
 * delistctl-outbox.c: `delistctl outbox`, the deliveries waiting for a
 * sink or given up on, and `delistctl outbox retry` to queue dead ones
 * again once the receiver is fixed.
 */

#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistctl.h"

static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "-");
}

/* outbox's options (its template's longopts). */
const struct option ctl_outbox_list_options[] = {
	{ "dead", no_argument, NULL, 'd' },
	{ NULL, 0, NULL, 0 },
};

/* outbox retry's options. */
const struct option ctl_outbox_retry_options[] = {
	{ "all-dead", no_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};

int
ctl_outbox_list(struct ctl_args *a)
{
	json_t *doc, *arr, *d;
	char ***rows, id[32], ev[32], cs[32], att[16];
	size_t i, n;
	int ch, dead = ctl_args_has(a, 'd');

	doc = ctl_call(
	    "GET", dead ? "/v1/outbox?state=dead" : "/v1/outbox", NULL);
	if (ctl.json) {
		json_decref(doc);
		return (0);
	}
	arr = json_object_get(doc, "deliveries");
	n = json_array_size(arr);
	if (n == 0) {
		printf(dead ? "no dead deliveries\n"
			    : "nothing pending, held or dead in the outbox\n");
		json_decref(doc);
		return (0);
	}
	rows = calloc(n + 1, sizeof *rows);
	if (rows == NULL)
		ctl_fail("out of memory");
	rows[0] = calloc(8, sizeof(char *));
	rows[0][0] = strdup(_("ID"));
	rows[0][1] = strdup(_("SINK"));
	rows[0][2] = strdup(_("EVENT"));
	rows[0][3] = strdup(_("TYPE"));
	rows[0][4] = strdup(_("CASE"));
	rows[0][5] = strdup(_("STATE"));
	rows[0][6] = strdup(_("TRIES"));
	rows[0][7] = strdup("NEXT / LAST ERROR");
	json_array_foreach (arr, i, d) {
		char **row = calloc(8, sizeof(char *)), *what,
		     tbuf[CTL_TIME_LEN];
		const char *next;

		snprintf(id, sizeof id, "%lld",
		    (long long)json_integer_value(json_object_get(d, "id")));
		snprintf(ev, sizeof ev, "%lld",
		    (long long)json_integer_value(
			json_object_get(d, "event_id")));
		if (json_is_integer(json_object_get(d, "case")))
			snprintf(cs, sizeof cs, "%lld",
			    (long long)json_integer_value(
				json_object_get(d, "case")));
		else
			snprintf(cs, sizeof cs, "-");
		snprintf(att, sizeof att, "%lld",
		    (long long)json_integer_value(
			json_object_get(d, "attempts")));
		ctl_zone(ctl_shop_zone(
		    json_string_value(json_object_get(d, "shop"))));
		next = ctl_time(d, "next_attempt_at", tbuf, sizeof tbuf);
		if (asprintf(&what, "%s%s%s",
			strcmp(str(d, "state"), "pending") == 0 ? next : "",
			json_is_string(json_object_get(d, "last_error"))
			    ? (strcmp(str(d, "state"), "pending") == 0 ? " / "
								       : "")
			    : "",
			json_is_string(json_object_get(d, "last_error"))
			    ? str(d, "last_error")
			    : "") == -1)
			ctl_fail("out of memory");
		row[0] = strdup(id);
		row[1] = strdup(str(d, "sink"));
		row[2] = strdup(ev);
		row[3] = strdup(str(d, "event_type"));
		row[4] = strdup(cs);
		if (json_is_string(json_object_get(d, "held_until"))) {
			/* Mail of a snoozed shop, sent when it ends. */
			row[5] = ctl_fmt(_("held (snoozed until %s)"),
			    ctl_time(d, "held_until", tbuf, sizeof tbuf));
		} else
			row[5] = strdup(str(d, "state"));
		row[6] = strdup(att);
		row[7] = what;
		rows[i + 1] = row;
	}
	ctl_table(rows, n + 1, 8);
	for (i = 0; i <= n; i++) {
		for (ch = 0; ch < 8; ch++)
			free(rows[i][ch]);
		free(rows[i]);
	}
	free(rows);
	json_decref(doc);
	return (0);
}

int
ctl_outbox_retry(struct ctl_args *a)
{
	json_t *doc;
	char path[64];
	long long id = 0;
	int all = ctl_args_has(a, 'a');

	if (all == (a->argc == 1))
		ctl_usage_fail(a->usage);
	if (!all) {
		if (id_parse(a->argv[0], &id) == -1)
			ctl_usage_fail(a->usage);
		snprintf(path, sizeof path, "/v1/outbox/%lld/retry", id);
	} else
		snprintf(path, sizeof path, "/v1/outbox/retry");
	doc = ctl_call("POST", path, NULL);
	if (!ctl.json) {
		long long n =
		    json_integer_value(json_object_get(doc, "requeued"));
		if (all)
			printf(_("%lld dead deliver%s queued again\n"), n,
			    n == 1 ? "y" : "ies");
		else
			printf(_("delivery %lld queued again\n"), id);
		n = json_integer_value(json_object_get(doc, "overtaken"));
		if (n > 0)
			fprintf(stderr,
			    _("delistctl: warning: %lld of them "
			      "will arrive after a later event of "
			      "their case that the sink already "
			      "has (e.g. a case.opened after its "
			      "case.reinstated): receivers should "
			      "compare the events' times\n"),
			    n);
	}
	json_decref(doc);
	return (0);
}

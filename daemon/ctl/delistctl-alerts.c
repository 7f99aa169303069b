/* SPDX-License-Identifier: ISC */
/*
 * delistctl-alerts.c: taking alerts on and muting them.
 *
 * case ack, ack, conditions and snooze: each builds one request for the
 * routes in api.h and prints the answer in a line or a table (--json: the
 * daemon's JSON). Durations and comments are checked by the daemon, which
 * answers with the reason when they are wrong.
 */

#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistctl.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static json_t *alerts_body(const struct ctl_args *);
static const char *alerts_str(json_t *, const char *);

static const char *
alerts_str(json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

/* The options of ack, case ack and snooze (their templates' longopts). */
const struct option ctl_alerts_options[] = {
	{ "for", required_argument, NULL, 'f' },
	{ "comment", required_argument, NULL, 'c' },
	{ "off", no_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

/* case ack's options: those of ack, and the bulk form's. */
const struct option ctl_alerts_case_ack_options[] = {
	{ "for", required_argument, NULL, 'f' },
	{ "comment", required_argument, NULL, 'c' },
	CTL_BULK_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

/* --for DURATION, --comment TEXT and --off, into a request body. */
static json_t *
alerts_body(const struct ctl_args *a)
{
	json_t *body = json_object();

	if (ctl_args_has(a, 'f'))
		json_object_set_new(
		    body, "for", json_string(ctl_args_get(a, 'f')));
	if (ctl_args_has(a, 'c') &&
	    json_object_set_new(
		body, "comment", json_string(ctl_args_get(a, 'c'))) == -1)
		ctl_fail("--comment: not valid UTF-8");
	if (ctl_args_has(a, 'o'))
		json_object_set_new(body, "off", json_true());
	return (body);
}

int
ctl_alerts_case_ack(struct ctl_args *a)
{
	json_t *body, *doc, *ack;
	long long id;
	char path[64];

	if (ctl_args_has(a, 'o'))
		ctl_usage_fail(a->usage);
	if (ctl_bulk_wanted(a, a->argc))
		return (
		    ctl_bulk_cases(a, a->argv, a->argc, "ack", alerts_body(a)));
	if (a->argc != 1)
		ctl_usage_fail(a->usage);
	body = alerts_body(a);
	id = ctl_id(a->argv[0], N_("case"));
	snprintf(path, sizeof path, "/v1/cases/%lld/ack", id);
	doc = ctl_call("POST", path, body);
	ack = json_object_get(doc, "ack");
	if (!ctl.json)
		printf(_("case %lld: taken on by %s, no reminders until %s\n"),
		    id, alerts_str(ack, "by") ? alerts_str(ack, "by") : "?",
		    alerts_str(ack, "until") ? alerts_str(ack, "until")
					     : "its state changes");
	json_decref(doc);
	return (0);
}

int
ctl_alerts_ack(struct ctl_args *a)
{
	json_t *body, *doc;
	long long id;
	char path[64];

	if (ctl_args_has(a, 'o'))
		ctl_usage_fail(a->usage);
	body = alerts_body(a);
	id = ctl_id(a->argv[0], N_("condition"));
	snprintf(path, sizeof path, "/v1/conditions/%lld/ack", id);
	doc = ctl_call("POST", path, body);
	if (!ctl.json)
		printf(_("condition %lld: taken on\n"), id);
	json_decref(doc);
	return (0);
}

int
ctl_alerts_conditions(__unused struct ctl_args *a)
{
	json_t *doc, *e, *ack;
	char ***rows, id[24], rem[16], tb[CTL_TIME_LEN];
	size_t i, k, n;

	doc = ctl_call("GET", "/v1/conditions", NULL);
	if (ctl.json) {
		json_decref(doc);
		return (0);
	}
	n = json_array_size(json_object_get(doc, "conditions"));
	if (n == 0) {
		printf(_("no open critical condition\n"));
		json_decref(doc);
		return (0);
	}
	if ((rows = calloc(n + 1, sizeof *rows)) == NULL)
		ctl_fail("out of memory");
	for (i = 0; i <= n; i++) {
		if ((rows[i] = calloc(7, sizeof **rows)) == NULL)
			ctl_fail("out of memory");
	}
	rows[0][0] = strdup(_("ID"));
	rows[0][1] = strdup(_("TYPE"));
	rows[0][2] = strdup(_("CASE"));
	rows[0][3] = strdup(_("SHOP"));
	rows[0][4] = strdup(_("REMINDERS"));
	rows[0][5] = strdup(_("NEXT REMINDER"));
	rows[0][6] = strdup(_("TAKEN ON BY"));
	json_array_foreach (json_object_get(doc, "conditions"), i, e) {
		ack = json_object_get(e, "ack");
		snprintf(id, sizeof id, "%lld",
		    (long long)json_integer_value(json_object_get(e, "id")));
		snprintf(rem, sizeof rem, "%lld",
		    (long long)json_integer_value(
			json_object_get(e, "reminders")));
		rows[i + 1][0] = strdup(id);
		rows[i + 1][1] = strdup(alerts_str(e, "type"));
		if (json_is_integer(json_object_get(e, "case"))) {
			snprintf(id, sizeof id, "%lld",
			    (long long)json_integer_value(
				json_object_get(e, "case")));
			rows[i + 1][2] = strdup(id);
		} else
			rows[i + 1][2] = strdup("-");
		rows[i + 1][3] =
		    strdup(alerts_str(e, "shop") ? alerts_str(e, "shop") : "-");
		rows[i + 1][4] = strdup(rem);
		ctl_zone(ctl_shop_zone(alerts_str(e, "shop")));
		rows[i + 1][5] =
		    strdup(ctl_time(e, "next_reminder_at", tb, sizeof tb));
		rows[i + 1][6] =
		    strdup(alerts_str(ack, "by") ? alerts_str(ack, "by") : "-");
	}
	ctl_table(rows, n + 1, 7);
	for (i = 0; i <= n; i++) {
		for (k = 0; k < 7; k++)
			free(rows[i][k]);
		free(rows[i]);
	}
	free(rows);
	json_decref(doc);
	return (0);
}

int
ctl_alerts_snooze(struct ctl_args *a)
{
	json_t *body, *doc;
	const char *p, *shop = a->argv[0];
	char path[256];
	int off = ctl_args_has(a, 'o');

	if (off ? ctl_args_has(a, 'f') || ctl_args_has(a, 'c')
		: !ctl_args_has(a, 'f'))
		ctl_usage_fail(a->usage);
	body = alerts_body(a);
	for (p = shop; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			break;
	}
	if (*shop == '\0' || *p != '\0' || strlen(shop) > 64)
		ctl_fail(
		    "bad shop name \"%s\": letters, digits, '-' and '_'", shop);
	snprintf(path, sizeof path, "/v1/shops/%s/snooze", shop);
	doc = ctl_call("POST", path, body);
	if (!ctl.json) {
		if (off)
			printf(_("shop %s: snooze ended, mail flows again; "
				 "what it held goes in one summary\n"),
			    shop);
		else
			printf(_("shop %s: mail held until %s, then sent in "
				 "one summary\n"),
			    shop, alerts_str(doc, "until"));
	}
	json_decref(doc);
	return (0);
}

/* The lines delistctl status adds: each snooze in force, each warning. */
void
ctl_alerts_status(json_t *status)
{
	json_t *e;
	size_t i;

	json_array_foreach (json_object_get(status, "snoozes"), i, e)
		printf(_("snoozed      %s until %s, by %s%s%s\n"),
		    alerts_str(e, "shop"), alerts_str(e, "until"),
		    alerts_str(e, "by"), alerts_str(e, "comment") ? ": " : "",
		    alerts_str(e, "comment") ? alerts_str(e, "comment") : "");
	json_array_foreach (json_object_get(status, "warnings"), i, e)
		printf(_("warning      %s\n"), alerts_str(e, "text"));
}

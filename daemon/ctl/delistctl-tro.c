/* SPDX-License-Identifier: ISC */
/*
 * delistctl-tro.c: delistctl case matter, a tro case's court matter
 * (GET and POST /v1/cases/ID/matter): court, docket, parties, dates,
 * funds frozen, settlement and dismissal, and the reminders before each
 * court date.
 */

#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistctl.h"
#include "i18n.h"

const struct option ctl_tro_matter_options[] = {
	{ "court", required_argument, NULL, 'c' },
	{ "docket", required_argument, NULL, 'd' },
	{ "plaintiff", required_argument, NULL, 'p' },
	{ "counsel", required_argument, NULL, 'C' },
	{ "filed", required_argument, NULL, 'f' },
	{ "granted", required_argument, NULL, 'g' },
	{ "served", required_argument, NULL, 's' },
	{ "tro-expires", required_argument, NULL, 'e' },
	{ "pi-hearing", required_argument, NULL, 'i' },
	{ "answer-due", required_argument, NULL, 'a' },
	{ "settled", required_argument, NULL, 'S' },
	{ "settlement", required_argument, NULL, 'M' },
	{ "dismissed", required_argument, NULL, 'D' },
	{ "dismissal-note", required_argument, NULL, 'N' },
	{ "frozen", required_argument, NULL, 'F' },
	{ "frozen-amount", required_argument, NULL, 'A' },
	{ "as-of", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

/* The options that are plain members of the body, and their keys. */
static const struct {
	int ch;
	const char *key;
	const char *label;
} tro_fields[] = {
	{ 'c', "court", N_("court") },
	{ 'd', "docket", N_("docket") },
	{ 'p', "plaintiff", N_("plaintiff") },
	{ 'C', "counsel", N_("our counsel") },
	{ 'f', "filed", N_("filed") },
	{ 'g', "granted", N_("TRO granted") },
	{ 's', "served", N_("served on us") },
	{ 'e', "tro_expires", N_("TRO expires") },
	{ 'i', "pi_hearing", N_("PI hearing") },
	{ 'a', "answer_due", N_("answer due") },
	{ 'S', "settled", N_("settled") },
	{ 'D', "dismissed", N_("dismissed") },
	{ 'N', "dismissal_note", N_("dismissal") },
};

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static void
tro_money(const char *, const char *, char *, size_t, char *, size_t);
static void
tro_row(const char *, const char *, ...) __attribute__((format(printf, 2, 3)));
static const char *tro_label(const char *);

/* "1500.00 USD" into its amount and currency, or a one-line error. */
static void
tro_money(const char *what, const char *s, char *amount, size_t alen, char *cur,
    size_t clen)
{
	const char *sp = strchr(s, ' ');

	if (sp == NULL || (size_t)(sp - s) >= alen || strlen(sp + 1) >= clen ||
	    sp == s || sp[1] == '\0')
		ctl_fail(_("bad %s \"%s\": expected AMOUNT CURRENCY, like "
			   "\"1500.00 USD\""),
		    what, s);
	snprintf(amount, alen, "%.*s", (int)(sp - s), s);
	snprintf(cur, clen, "%s", sp + 1);
}

/* "  LABEL" padded to 18 columns by display width, then the value. */
static void
tro_row(const char *label, const char *fmt, ...)
{
	va_list ap;

	ctl_label("  ", label, 16);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* The label of a deadline key ("answer_due"), or the key. */
static const char *
tro_label(const char *key)
{
	size_t i;

	for (i = 0; i < nitems(tro_fields); i++) {
		if (strcmp(tro_fields[i].key, key) == 0)
			return (_(tro_fields[i].label));
	}
	return (key);
}

/* A case's court matter (GET /v1/cases/ID/matter, or the case's "matter"). */
void
ctl_tro_print(long long id, const json_t *m)
{
	const char *v;
	json_t *e;
	size_t i;
	char at[CTL_TIME_LEN];

	printf(_("case %lld: court matter (dates in %s)\n"), id,
	    json_string_value(json_object_get(m, "timezone")));
	for (i = 0; i < nitems(tro_fields); i++) {
		if ((v = json_string_value(
			 json_object_get(m, tro_fields[i].key))) == NULL)
			continue;
		tro_row(_(tro_fields[i].label), "%s%s", v,
		    (strcmp(tro_fields[i].key, "answer_due") == 0 &&
			json_is_true(
			    json_object_get(m, "answer_due_computed"))) ||
			    (strcmp(tro_fields[i].key, "tro_expires") == 0 &&
				json_is_true(
				    json_object_get(m, "tro_expires_computed")))
			? _(" (computed)")
			: "");
	}
	if ((v = json_string_value(json_object_get(m, "settlement_amount"))) !=
	    NULL)
		tro_row(_("settlement"), "%s %s", v,
		    json_string_value(
			json_object_get(m, "settlement_currency")));
	json_array_foreach (json_object_get(m, "frozen"), i, e)
		tro_row(_("frozen"), _("%s %s on %s (as of %s)"),
		    json_string_value(json_object_get(e, "amount")),
		    json_string_value(json_object_get(e, "currency")),
		    json_string_value(json_object_get(e, "account")),
		    json_string_value(json_object_get(e, "as_of")));
	ctl_zone(json_string_value(json_object_get(m, "timezone")));
	json_array_foreach (json_object_get(m, "reminders"), i, e) {
		if (json_is_true(json_object_get(e, "fired")))
			continue;
		tro_row(_("reminder"), _("%s, %lld day(s) before %s"),
		    ctl_time(e, "at", at, sizeof at),
		    (long long)json_integer_value(json_object_get(e, "days")),
		    tro_label(
			json_string_value(json_object_get(e, "deadline"))));
	}
	/* The daemon's English sentence, in the reader's language. */
	if ((v = json_string_value(json_object_get(m, "note"))) != NULL)
		printf("  %s\n", _(v));
}

int
ctl_tro_matter(struct ctl_args *a)
{
	char amount[32], cur[8], famount[32], fcur[8], *path;
	const char *v;
	json_t *body = NULL, *doc;
	long long id;
	size_t i;

	id = ctl_id(a->argv[0], "case");
	if (ctl_args_has(a, 'M'))
		tro_money(_("settlement"), ctl_args_get(a, 'M'), amount,
		    sizeof amount, cur, sizeof cur);
	if (ctl_args_has(a, 'F') != ctl_args_has(a, 'A'))
		ctl_fail(_("--frozen ACCOUNT and --frozen-amount \"AMOUNT "
			   "CURRENCY\" go together"));
	if (ctl_args_has(a, 'o') && !ctl_args_has(a, 'F'))
		ctl_fail(_("--as-of is the date of a --frozen amount"));
	if (ctl_args_has(a, 'A'))
		tro_money(_("frozen amount"), ctl_args_get(a, 'A'), famount,
		    sizeof famount, fcur, sizeof fcur);
	for (i = 0; i < nitems(tro_fields); i++) {
		if ((v = ctl_args_get(a, tro_fields[i].ch)) == NULL)
			continue;
		if (body == NULL)
			body = json_object();
		json_object_set_new(body, tro_fields[i].key,
		    *v != '\0' ? json_string(v) : json_null());
	}
	if (ctl_args_has(a, 'M')) {
		if (body == NULL)
			body = json_object();
		json_object_set_new(
		    body, "settlement_amount", json_string(amount));
		json_object_set_new(
		    body, "settlement_currency", json_string(cur));
	}
	if (ctl_args_has(a, 'F')) {
		if (body == NULL)
			body = json_object();
		json_object_set_new(body, "frozen",
		    json_pack("{s:s,s:s,s:s}", "account", ctl_args_get(a, 'F'),
			"amount", famount, "currency", fcur));
		if (ctl_args_has(a, 'o'))
			json_object_set_new(json_object_get(body, "frozen"),
			    "as_of", json_string(ctl_args_get(a, 'o')));
	}
	path = ctl_fmt("/v1/cases/%lld/matter", id);
	doc = ctl_call(body != NULL ? "POST" : "GET", path, body);
	free(path);
	if (!ctl.json)
		ctl_tro_print(id, doc);
	json_decref(doc);
	return (0);
}

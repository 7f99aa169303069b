/* SPDX-License-Identifier: ISC */
/*
 * export.c: a case's dossier in Markdown, for a second appeal or a lawyer.
 *
 * Rendered from the case's JSON detail (the API's shape), so the dossier
 * and the trail can never disagree: the listing, the reason and rule, every
 * rectification with its before and after, every appeal with its
 * statement, its materials' SHA-256 and its decision, and the whole trail.
 * Every time is given in UTC and in the shop's zone. It reads nothing else.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistd.h"
#include "calendar.h"
#include "lifecycle.h"
#include "i18n.h"

struct md {
	char *text;
	size_t len;
	size_t cap;
};

static void md_add(struct md *, const char *, ...) printflike(2, 3);
static const char *str(const json_t *, const char *);
static void export_matter(struct md *, const json_t *);

static void
md_add(struct md *m, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = xvasprintf(&s, fmt, ap);
	va_end(ap);
	if (m->len + n + 1 > m->cap) {
		m->cap = (m->len + n + 1) * 2;
		m->text = xreallocarray(m->text, m->cap, 1);
	}
	memcpy(m->text + m->len, s, n + 1);
	m->len += n;
	free(s);
}

/* A tro case's court matter, when it has one. */
static void
export_matter(struct md *m, const json_t *mt)
{
	static const struct {
		const char *key;
		const char *label;
	} rows[] = {
		{ "court", N_("Court") },
		{ "docket", N_("Docket") },
		{ "plaintiff", N_("Plaintiff") },
		{ "counsel", N_("Our counsel") },
		{ "filed", N_("Filed") },
		{ "granted", N_("TRO granted") },
		{ "served", N_("Served on us") },
		{ "tro_expires", N_("TRO expires") },
		{ "pi_hearing", N_("Preliminary-injunction hearing") },
		{ "answer_due", N_("Answer due") },
		{ "settled", N_("Settled") },
		{ "dismissed", N_("Dismissed") },
		{ "dismissal_note", N_("Dismissal") },
	};
	const json_t *f;
	size_t i;

	if (!json_is_object(mt))
		return;
	md_add(m, "\n## %s\n\n", _("Court matter"));
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		if (json_is_string(json_object_get(mt, rows[i].key)))
			md_add(m, "- %s: %s\n", _(rows[i].label),
			    str(mt, rows[i].key));
	}
	if (json_is_string(json_object_get(mt, "settlement_amount")))
		md_add(m, "- %s: %s %s\n", _("Settlement"),
		    str(mt, "settlement_amount"),
		    str(mt, "settlement_currency"));
	json_array_foreach (json_object_get(mt, "frozen"), i, f)
		md_add(m, "- %s: %s %s on %s (as of %s)\n", _("Frozen"),
		    str(f, "amount"), str(f, "currency"), str(f, "account"),
		    str(f, "as_of"));
	md_add(m, "- %s: %s\n", _("Dates"), str(mt, "timezone"));
	md_add(m, "- %s\n", str(mt, "note"));
}

static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "");
}

/* "2026-10-08T02:00:00Z (2026-10-08T10:00:00+08:00)" */
static const char *
both(const struct calendar *cal, const char *utc, char *buf, size_t len)
{
	time_t t;
	char local[CALENDAR_FORMAT_LEN];

	if (utc == NULL || *utc == '\0' || isotime_parse(utc, &t) == -1 ||
	    calendar_format_local(cal, t, local, sizeof local) == -1) {
		snprintf(buf, len, "%s", utc && *utc ? utc : "-");
		return (buf);
	}
	snprintf(buf, len, "%s (%s)", utc, local);
	return (buf);
}

/* Keeps a table cell on one line. */
static char *
cell(const char *s)
{
	char *c = xstrdup(s != NULL ? s : ""), *p;

	for (p = c; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			*p = ' ';
		else if (*p == '|')
			*p = '/';
	}
	return (c);
}

char *
export_markdown(const json_t *doc, const struct calendar *cal)
{
	struct md m = { NULL, 0, 0 };
	const json_t *appeals, *trail, *a, *e, *data, *mats, *mt, *ev;
	size_t i, j, nnotes = 0;
	char b1[128], b2[128], *c1, *c2, *c3;
	const char *decision;

	md_add(&m, "# Case %lld: %s/%s\n\n",
	    (long long)json_integer_value(json_object_get(doc, "id")),
	    str(doc, "shop"), str(doc, "product_id"));
	md_add(&m, "- Listing: product ID %s in shop %s%s%s\n",
	    str(doc, "product_id"), str(doc, "shop"),
	    json_is_string(json_object_get(doc, "title")) ? ", title: " : "",
	    str(doc, "title"));
	md_add(&m, "- State: %s\n", str(doc, "state"));
	md_add(&m, "- Reason: %s\n", str(doc, "reason"));
	md_add(&m, "- Rule cited: %s\n",
	    json_is_string(json_object_get(doc, "rule")) ? str(doc, "rule")
							 : "(not recorded)");
	md_add(&m, "- Opened: %s\n",
	    both(cal, str(doc, "opened_at"), b1, sizeof b1));
	if (json_is_string(json_object_get(doc, "closed_at")))
		md_add(&m, "- Closed: %s\n",
		    both(cal, str(doc, "closed_at"), b1, sizeof b1));
	if (json_is_string(json_object_get(doc, "relisted_as")))
		md_add(&m, "- Relisted as: %s\n", str(doc, "relisted_as"));
	md_add(&m, "- Times: UTC, with the shop's zone (%s) in brackets\n",
	    calendar_tz(cal));

	export_matter(&m, json_object_get(doc, "matter"));

	md_add(&m, "\n## Evidence\n\n");
	ev = json_object_get(doc, "evidence");
	if (json_is_string(json_object_get(doc, "platform_code")))
		md_add(&m, "- Platform code: %s\n", str(doc, "platform_code"));
	if (json_is_string(json_object_get(doc, "offline_at")))
		md_add(&m, "- Offline since: %s\n",
		    both(cal, str(doc, "offline_at"), b1, sizeof b1));
	if (json_array_size(ev) == 0)
		md_add(&m, "(none archived)\n");
	else
		md_add(&m,
		    "\n| kind | time | bytes | SHA-256 | source |\n"
		    "|---|---|---|---|---|\n");
	json_array_foreach (ev, i, e) {
		if (strcmp(str(e, "kind"), "before") == 0) {
			xasprintf(&c2,
			    "the listing before the takedown: the platform's "
			    "last healthy answer%s%s%s",
			    json_is_string(json_object_get(e, "title"))
				? ", title \""
				: "",
			    str(e, "title"),
			    json_is_string(json_object_get(e, "title")) ? "\""
									: "");
			c1 = cell(c2);
			free(c2);
		} else
			c1 = cell(json_is_string(json_object_get(e, "url"))
				? str(e, "url")
				: "-");
		if (json_is_string(json_object_get(e, "sha256")))
			md_add(&m, "| %s | %s | %lld | %s | %s |\n",
			    str(e, "kind"),
			    both(cal, str(e, "at"), b1, sizeof b1),
			    (long long)json_integer_value(
				json_object_get(e, "size")),
			    str(e, "sha256"), c1);
		else {
			c2 = cell(str(e, "error"));
			md_add(&m, "| %s | %s | - | not archived: %s | %s |\n",
			    str(e, "kind"),
			    both(cal, str(e, "at"), b1, sizeof b1), c2, c1);
			free(c2);
		}
		free(c1);
	}

	md_add(&m, "\n## Rectifications\n\n");
	trail = json_object_get(doc, "trail");
	json_array_foreach (trail, i, e) {
		if (strcmp(str(e, "type"), "case.note") != 0)
			continue;
		data = json_object_get(e, "data");
		md_add(&m, "%zu. %s, by %s: %s\n", ++nnotes,
		    both(cal, str(e, "at"), b1, sizeof b1), str(e, "actor"),
		    str(data, "text"));
		if (json_object_get(data, "field") != NULL)
			md_add(&m, "   - field: %s\n", str(data, "field"));
		if (json_object_get(data, "before") != NULL)
			md_add(&m, "   - before: %s\n", str(data, "before"));
		if (json_object_get(data, "after") != NULL)
			md_add(&m, "   - after: %s\n", str(data, "after"));
	}
	if (nnotes == 0)
		md_add(&m, "(none recorded)\n");

	md_add(&m, "\n## Appeals\n");
	appeals = json_object_get(doc, "appeals");
	if (json_array_size(appeals) == 0)
		md_add(&m, "\n(none)\n");
	json_array_foreach (appeals, i, a) {
		decision = json_is_string(json_object_get(a, "decision"))
		    ? str(a, "decision")
		    : "awaiting a decision";
		md_add(&m, "\n### Appeal %lld, platform Case ID %s\n\n",
		    (long long)json_integer_value(json_object_get(a, "n")),
		    str(a, "platform_case_id"));
		md_add(&m, "- Submitted: %s\n",
		    both(cal, str(a, "submitted_at"), b1, sizeof b1));
		md_add(&m, "- Decision: %s", decision);
		if (json_is_string(json_object_get(a, "decided_at")))
			md_add(&m, ", %s",
			    both(cal, str(a, "decided_at"), b2, sizeof b2));
		md_add(&m, "\n");
		if (json_is_string(json_object_get(a, "reject_reason")))
			md_add(&m, "- Rejection reason: %s\n",
			    str(a, "reject_reason"));
		if (json_array_size(json_object_get(a, "forced")) > 0)
			md_add(&m, "- Submitted with --force over: %s\n",
			    json_string_value(json_array_get(
				json_object_get(a, "forced"), 0)));
		md_add(&m, "- Statement SHA-256: %s\n",
		    str(a, "statement_sha256"));
		md_add(&m, "\nStatement:\n\n");
		/* Quoted line by line; blank lines keep the paragraphs. */
		c1 = xstrdup(str(a, "statement"));
		for (c2 = c1; c2 != NULL; c2 = c3) {
			if ((c3 = strchr(c2, '\n')) != NULL)
				*c3++ = '\0';
			md_add(&m, *c2 != '\0' ? "> %s\n" : ">%s\n", c2);
		}
		free(c1);
		mats = json_object_get(a, "materials");
		md_add(&m, "\nMaterials:\n\n");
		if (json_array_size(mats) == 0)
			md_add(&m, "(none)\n");
		else
			md_add(&m,
			    "| file | type | bytes | SHA-256 |\n"
			    "|---|---|---|---|\n");
		json_array_foreach (mats, j, mt) {
			c1 = cell(str(mt, "name"));
			md_add(&m, "| %s | %s | %lld | %s |\n", c1,
			    str(mt, "type"),
			    (long long)json_integer_value(
				json_object_get(mt, "size")),
			    str(mt, "sha256"));
			free(c1);
		}
	}

	mats = json_object_get(doc, "documents");
	if (json_array_size(mats) > 0) {
		md_add(&m,
		    "\n## Documents\n\n| id | file | type | expires | SHA-256 "
		    "|\n|---|---|---|---|---|\n");
		json_array_foreach (mats, j, mt) {
			c1 = cell(str(mt, "name"));
			md_add(&m, "| %lld | %s%s | %s | %s | %s |\n",
			    (long long)json_integer_value(
				json_object_get(mt, "id")),
			    c1,
			    json_is_true(json_object_get(mt, "removed"))
				? " (removed from the vault)"
				: "",
			    str(mt, "type"),
			    json_is_string(json_object_get(mt, "expires"))
				? str(mt, "expires")
				: "-",
			    str(mt, "sha256"));
			free(c1);
		}
	}

	md_add(&m,
	    "\n## Trail\n\n| event | time (UTC) | time (%s) | actor | "
	    "event | what |\n|---|---|---|---|---|---|\n",
	    calendar_tz(cal));
	json_array_foreach (trail, i, e) {
		time_t t;
		char local[CALENDAR_FORMAT_LEN] = "-";

		if (isotime_parse(str(e, "at"), &t) == 0)
			calendar_format_local(cal, t, local, sizeof local);
		c1 = cell(str(e, "message"));
		c2 = cell(str(e, "actor"));
		md_add(&m, "| %lld | %s | %s | %s | %s | %s |\n",
		    (long long)json_integer_value(json_object_get(e, "id")),
		    str(e, "at"), local, c2, str(e, "type"), c1);
		free(c1);
		free(c2);
	}
	md_add(&m, "\nExported by delistd %s. The trail is append-only.\n",
	    PACKAGE_VERSION);
	return (m.text);
}

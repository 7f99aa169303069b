/* SPDX-License-Identifier: ISC */
/*
 * json.c: the shell's JSON pieces shared by the API and the events' data
 * (the lifecycle): a time as the API writes it, an acknowledgement, a
 * warning, a compliance-scan finding. The lifecycle finds what they say;
 * only these write it.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "delistd.h"

/* A time as ISO 8601 UTC, or JSON null for 0 (not set). */
json_t *
json_time(time_t t)
{
	char buf[ISOTIME_LEN];

	if (t == 0)
		return (json_null());
	return (json_string(isotime_format(t, buf, sizeof buf)));
}

/*
 * A standing compliance-scan finding, {"code","term","field","quote",
 * "fix","raised_at"}: GET /v1/listings "at_risk" and the digest's.
 */
json_t *
json_finding(const struct st_finding *f)
{
	return (json_pack("{s:s,s:s,s:s,s:s,s:s,s:o}", "code", f->code, "term",
	    f->term, "field", f->field, "quote", f->quote, "fix", f->fix,
	    "raised_at", json_time(f->raised_at)));
}

/*
 * An acknowledgement ({"by","at","until","comment"}), or JSON null when
 * there is none (by NULL).
 */
json_t *
json_ack(const char *by, time_t at, time_t until, const char *comment)
{
	char buf[ISOTIME_LEN];

	if (by == NULL)
		return (json_null());
	return (json_pack("{s:s,s:s,s:o,s:o}", "by", by, "at",
	    isotime_format(at, buf, sizeof buf), "until", json_time(until),
	    "comment", comment ? json_string(comment) : json_null()));
}

/* A warning: {"code","shop"?,"product_id"?,"since"?,"sink"?,"text"}. */
json_t *
json_warning(const struct warning *w)
{
	json_t *o = json_pack("{s:s}", "code", w->code);

	if (w->has_shop)
		json_object_set_new(
		    o, "shop", w->shop ? json_string(w->shop) : json_null());
	if (w->product_id != NULL)
		json_object_set_new(
		    o, "product_id", json_string(w->product_id));
	if (w->since != 0)
		json_object_set_new(o, "since", json_time(w->since));
	if (w->sink != NULL)
		json_object_set_new(o, "sink", json_string(w->sink));
	json_object_set_new(o, "text", json_string(w->text));
	return (o);
}

/* Warnings as a JSON array of json_warning. */
json_t *
json_warnings(const struct warning *v, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_warning(&v[i]));
	return (arr);
}

/* A new warning of code at the end of *v (*n of them), otherwise empty. */
struct warning *
warning_add(struct warning **v, size_t *n, const char *code)
{
	struct warning *w;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	w = &(*v)[(*n)++];
	memset(w, 0, sizeof *w);
	w->code = code;
	return (w);
}

void
warnings_free(struct warning *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].shop);
		free(v[i].product_id);
		free(v[i].sink);
		free(v[i].text);
	}
	free(v);
}

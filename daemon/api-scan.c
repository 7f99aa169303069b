/* SPDX-License-Identifier: ISC */
/*
 * api-scan.c: the control API's compliance scan.
 *
 * POST /v1/scan {"shop"?}: scans the titles of every tracked listing (of
 * the shop) against the preflight's term lists (lifecycle-scan.c) and
 * answers {"shop","scanned","at_risk","raised","cleared"}. The findings
 * themselves are in GET /v1/listings ("at_risk", api_scan_findings_json) and
 * the trail.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "lifecycle.h"

/*
 * The standing findings of a listing (GET /v1/listings "at_risk"):
 * [{"code","term","field","quote","fix","raised_at"}], empty when clean.
 */
json_t *
api_scan_findings_json(int64_t listing_id)
{
	struct st_finding *f;
	size_t n, i;
	json_t *arr = json_array();

	if (store_findings(daemon_state->store, listing_id, NULL, &f, &n) == -1)
		return (arr);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_finding(&f[i]));
	st_findings_free(f, n);
	return (arr);
}

void
api_scan_post(struct api_req *r)
{
	struct lifecycle_scan_counts n;
	struct lifecycle_err err = { 0 };
	const char *shop = NULL;
	json_error_t jerr;
	char *who;

	if (r->body != NULL &&
	    json_unpack_ex(
		r->body, &jerr, JSON_STRICT, "{s?s}", "shop", &shop) == -1) {
		api_error(
		    r, 400, "bad_request", "bad request body: %s", jerr.text);
		return;
	}
	who = api_actor(r);
	if (lifecycle_scan(shop, who, &n, &err) == -1)
		api_reply_err(r, &err);
	else
		api_reply(r, 200,
		    json_pack("{s:o,s:I,s:I,s:I,s:I}", "shop",
			shop ? json_string(shop) : json_null(), "scanned",
			(json_int_t)n.scanned, "at_risk", (json_int_t)n.at_risk,
			"raised", (json_int_t)n.raised, "cleared",
			(json_int_t)n.cleared));
	free(who);
}

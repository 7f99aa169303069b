/*
 * api-tro.c: the control API's court matter of a tro case.
 *
 * GET  /v1/cases/{id}/matter  the matter (lifecycle_matter_json), 404 when
 *      the case has none.
 * POST /v1/cases/{id}/matter  {"court","docket","plaintiff","counsel",
 *      "filed","granted","served","tro_expires","pi_hearing","answer_due",
 *      "settled","settlement_amount","settlement_currency","dismissed",
 *      "dismissal_note": text or null (clears), "frozen": {"account",
 *      "currency","amount","as_of"?}}, every member optional: records
 *      them and answers the matter.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "lifecycle.h"

void
api_matter_get(struct api_req *r)
{
	json_t *j;
	int64_t id;

	if (api_path_id(r, 0, &id) == -1)
		return;
	j = lifecycle_matter_json(id);
	if (json_is_null(j)) {
		json_decref(j);
		api_error(r, 404, "not_found",
		    "case %lld has no court matter (delistctl case matter)",
		    (long long)id);
		return;
	}
	api_reply(r, 200, j);
}

void
api_matter_post(struct api_req *r)
{
	struct lifecycle_matter_in in;
	struct lifecycle_err err = { 0 };
	const char *key;
	json_t *v, *fz = NULL;
	json_error_t jerr;
	char *who;
	int64_t id;
	int i, known;

	if (api_path_id(r, 0, &id) == -1)
		return;
	if (api_need_body(r) == -1)
		return;
	memset(&in, 0, sizeof in);
	json_object_foreach (r->body, key, v) {
		known = 0;
		for (i = 0; i < STORE_MATTER_NFIELDS; i++) {
			if (strcmp(key, lifecycle_matter_key(i)) != 0)
				continue;
			known = 1;
			if (json_is_null(v))
				in.f[i] = "";
			else if (json_is_string(v) &&
			    *json_string_value(v) != '\0')
				in.f[i] = json_string_value(v);
			else {
				api_error(r, 400, "bad_field",
				    "%s must be a non-empty string, or null "
				    "to clear it",
				    key);
				return;
			}
		}
		if (strcmp(key, "frozen") == 0) {
			known = 1;
			fz = v;
		}
		if (!known) {
			api_error(r, 400, "bad_request",
			    "unknown member \"%.32s\"", key);
			return;
		}
	}
	if (fz != NULL &&
	    json_unpack_ex(fz, &jerr, JSON_STRICT, "{s:s,s:s,s:s,s?s}",
		"account", &in.frozen_account, "currency", &in.frozen_currency,
		"amount", &in.frozen_amount, "as_of", &in.frozen_as_of) == -1) {
		api_error(r, 400, "bad_request", "frozen: %s", jerr.text);
		return;
	}
	who = api_actor(r);
	if (lifecycle_matter(id, &in, who, &err) == -1)
		api_reply_err(r, &err);
	else
		api_reply(r, 200, lifecycle_matter_json(id));
	free(who);
}

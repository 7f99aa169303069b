/* SPDX-License-Identifier: ISC */
/*
 * api-tro.c: the control API's court matter of a tro case.
 *
 * GET  /v1/cases/{id}/matter  the matter (api_matter_json), 404 when
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
#include "i18n.h"
#include "lifecycle.h"

/*
 * A case's matter for the API, the case's detail and the dossier, or
 * JSON null when it has none.
 */
json_t *
api_matter_json(int64_t case_id)
{
	struct lifecycle_matter mt;
	const struct st_matter *m = &mt.m;
	json_t *j, *arr;
	size_t i;
	int k;

	if (lifecycle_matter_get(case_id, &mt) != 0)
		return (json_null());
	j = json_object();
	for (k = 0; k < STORE_MATTER_NFIELDS; k++)
		json_object_set_new(j, lifecycle_matter_key(k),
		    m->f[k] ? json_string(m->f[k]) : json_null());
	json_object_set_new(j, "answer_due_computed",
	    json_boolean(m->f[MATTER_ANSWER_DUE] && !m->answer_due_given));
	json_object_set_new(j, "tro_expires_computed",
	    json_boolean(m->f[MATTER_TRO_EXPIRES] && !m->tro_expires_given));
	json_object_set_new(j, "timezone", json_string(mt.timezone));
	json_object_set_new(j, "updated_at", json_time(m->updated_at));
	arr = json_array();
	for (i = 0; i < mt.nfrozen; i++)
		json_array_append_new(arr,
		    json_pack("{s:s,s:s,s:s,s:s}", "account",
			mt.frozen[i].account, "currency", mt.frozen[i].currency,
			"amount", mt.frozen[i].amount, "as_of",
			mt.frozen[i].as_of));
	json_object_set_new(j, "frozen", arr);
	arr = json_array();
	for (i = 0; i < mt.nreminders; i++)
		json_array_append_new(arr,
		    json_pack("{s:s,s:I,s:o,s:b}", "deadline",
			mt.reminders[i].deadline, "days",
			(json_int_t)mt.reminders[i].days, "at",
			json_time(mt.reminders[i].due_at), "fired",
			mt.reminders[i].fired));
	json_object_set_new(j, "reminders", arr);
	json_object_set_new(j, "note",
	    json_string(_("answer due: served + 21 calendar days, a weekend "
			  "rolled to Monday (FRCP 6(a), 12(a)); federal "
			  "holidays are not counted and e-mail service adds "
			  "no days: confirm every date with counsel")));
	lifecycle_matter_free(&mt);
	return (j);
}

void
api_matter_get(struct api_req *r)
{
	json_t *j;
	int64_t id;

	if (api_path_id(r, 0, &id) == -1)
		return;
	j = api_matter_json(id);
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
		api_reply(r, 200, api_matter_json(id));
	free(who);
}

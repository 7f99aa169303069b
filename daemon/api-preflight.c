/* SPDX-License-Identifier: ISC */
/*
 * api-preflight.c: POST /v1/cases/{id}/preflight, what would get an appeal
 * rejected, before the seller clicks "submit".
 *
 * It gathers what the pure preflight module needs (the case, its
 * rectification notes from the trail, its earlier appeals with their
 * statements and materials, the listing's title, and the statement and
 * materials about to be submitted) and answers its findings. It changes
 * nothing. The gathering is preflight-run.c's, shared with case appeal.
 */

#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "cases.h"
#include "preflight.h"
#include "preflight-run.h"

/*
 * The findings as the API shows them: the trail's {"code","severity"}
 * (preflight_run_json) with "group", "message", "score"? and "size"?.
 */
json_t *
api_findings_json(const struct preflight_findings *found)
{
	const struct preflight_finding *f;
	json_t *arr = preflight_run_json(found), *o;
	size_t i;

	json_array_foreach (arr, i, o) {
		f = &found->v[i];
		json_object_set_new(
		    o, "group", json_string(preflight_code_group(f->code)));
		json_object_set_new(o, "message", json_string(f->message));
		if (f->score > 0)
			json_object_set_new(o, "score", json_real(f->score));
		if (f->width > 0)
			json_object_set_new(o, "size",
			    json_pack("{s:i,s:i}", "width", f->width, "height",
				f->height));
	}
	return (arr);
}

/* The materials, with their lower-cased hashes. */
static void
pf_mat_free(struct st_material *mat, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(mat[i].sha256);
	free(mat);
}

void
api_case_preflight(struct api_req *r)
{
	struct store *st = daemon_state->store;
	struct st_case c;
	struct st_appeal *ap = NULL;
	struct st_material *mat = NULL;
	struct preflight_run pr;
	size_t nap = 0, i, k, nmat;
	json_t *jmat = NULL, *m;
	json_error_t jerr;
	const char *statement = NULL, *title = NULL;
	char *cause = NULL, *end;
	long long id;
	int rc;

	id = strtoll(r->args[0], &end, 10);
	if (*r->args[0] == '\0' || *end != '\0' || id <= 0) {
		api_error(r, 404, "not_found", "no case \"%.32s\"", r->args[0]);
		return;
	}
	if (r->body != NULL &&
	    json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s?s,s?o,s?s}",
		"statement", &statement, "materials", &jmat, "title",
		&title) == -1) {
		api_error(
		    r, 400, "bad_request", "bad request body: %s", jerr.text);
		return;
	}
	if (jmat != NULL &&
	    (!json_is_array(jmat) || json_array_size(jmat) > 100)) {
		api_error(r, 400, "bad_field",
		    "materials must be an array of at most 100");
		return;
	}
	nmat = json_array_size(jmat);
	mat = xcalloc(nmat + 1, sizeof *mat);
	json_array_foreach (jmat, i, m) {
		const char *name = NULL, *type = NULL, *hash = NULL;
		json_int_t size = 0;

		if (json_unpack_ex(m, &jerr, JSON_STRICT, "{s:s,s:s,s:s,s?I}",
			"name", &name, "type", &type, "sha256", &hash, "size",
			&size) == -1 ||
		    !cases_doc_type_valid(type)) {
			api_error(r, 400, "bad_field",
			    "materials[%zu]: %s (types: %s)", i,
			    jerr.text[0] ? jerr.text : "unknown type",
			    cases_doc_type_list());
			pf_mat_free(mat, nmat);
			return;
		}
		mat[i].name = (char *)name;
		mat[i].type = (char *)type;
		/* In lower case, as the vault keeps hashes. */
		mat[i].sha256 = xstrdup(hash);
		for (k = 0; mat[i].sha256[k] != '\0'; k++)
			mat[i].sha256[k] =
			    (char)tolower((unsigned char)mat[i].sha256[k]);
		mat[i].size = size;
	}
	if ((rc = store_case_get(st, id, &c)) != 0) {
		api_error(r, rc == 1 ? 404 : 500,
		    rc == 1 ? "not_found" : "store", "case %lld %s", id,
		    rc == 1 ? "not found" : "could not be read");
		pf_mat_free(mat, nmat);
		return;
	}
	if (store_appeals(st, id, &ap, &nap) == -1) {
		api_error(r, 500, "store", "cannot read case %lld", id);
		goto out;
	}
	if (preflight_run(&pr, &c, ap, nap, statement, mat, nmat, title,
		clock_now(), &cause) == -1) {
		/* The body was checked: what fails now is ours. */
		api_error(r, 500, "preflight", "%s", cause);
		free(cause);
		preflight_run_clear(&pr);
		goto out;
	}
	api_reply(r, 200,
	    json_pack("{s:I,s:o,s:I,s:I,s:b}", "case", (json_int_t)id,
		"findings", api_findings_json(pr.found), "errors",
		(json_int_t)pr.found->nerrors, "warnings",
		(json_int_t)pr.found->nwarnings, "ok", pr.found->nerrors == 0));
	preflight_run_clear(&pr);
out:
	pf_mat_free(mat, nmat);
	st_appeals_free(ap, nap);
	st_case_clear(&c);
}

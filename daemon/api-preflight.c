/*
 * api-preflight.c: POST /v1/cases/{id}/preflight, what would get an appeal
 * rejected, before the seller clicks "submit".
 *
 * It gathers what the pure preflight module needs (the case, its
 * rectification notes from the trail, its earlier appeals with their
 * statements and materials, the listing's title, and the statement and
 * materials about to be submitted) and answers its findings. It changes
 * nothing. The document vault is not there yet: only the materials sent
 * with the request count as documents.
 */

#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "delistd.h"
#include "api.h"
#include "cases.h"
#include "preflight.h"

static void
sha256_hex(const char *text, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (EVP_Digest(text, len, md, &n, EVP_sha256(), NULL) != 1)
		fatalx("preflight: SHA-256 failed");
	for (i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
}

static json_t *
finding_json(const struct preflight_finding *f)
{
	json_t *o;

	o = json_pack("{s:s,s:s,s:s,s:s}", "code", f->name, "severity",
	    preflight_severity_name(f->severity), "group",
	    preflight_code_group(f->code), "message", f->message);
	if (f->score > 0)
		json_object_set_new(o, "score", json_real(f->score));
	if (f->width > 0)
		json_object_set_new(o, "size",
		    json_pack(
			"{s:i,s:i}", "width", f->width, "height", f->height));
	return (o);
}

void
api_case_preflight(struct api_req *r)
{
	struct store *st = daemon_state->store;
	struct st_case c;
	struct st_listing l;
	struct st_appeal *ap = NULL;
	struct st_event *ev = NULL;
	size_t nap = 0, nev = 0, i, j, k, nmat = 0, nnotes = 0;
	struct preflight_input in;
	struct preflight_config cfg;
	struct preflight_findings *found;
	struct preflight_appeal *pa = NULL;
	struct appeal_doc *adocs = NULL;
	struct preflight_note *notes = NULL;
	struct preflight_doc *docs = NULL;
	json_t *payloads = NULL, *jmat = NULL, *m, *arr, *p;
	json_error_t jerr;
	const char *statement = NULL, *title = NULL;
	char sha[65], *cause = NULL, *end;
	long long id;
	int rc, have_listing = 0;

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
	if ((rc = store_case_get(st, id, &c)) != 0) {
		api_error(r, rc == 1 ? 404 : 500,
		    rc == 1 ? "not_found" : "store", "case %lld %s", id,
		    rc == 1 ? "not found" : "could not be read");
		return;
	}
	if (store_appeals(st, id, &ap, &nap) == -1 ||
	    store_events(st, id, 0, 0, &ev, &nev) == -1) {
		api_error(r, 500, "store", "cannot read case %lld", id);
		goto out;
	}
	if (store_listing_get(st, c.shop, c.product_id, &l) == 0)
		have_listing = 1;

	memset(&in, 0, sizeof in);
	in.c.id = c.id;
	in.c.state = cases_state_from_name(c.state);
	in.c.reason = cases_reason_from_name(c.reason);
	in.shop = c.shop;
	in.product_id = c.product_id;
	in.title = title != NULL	      ? title
	    : have_listing && l.title != NULL ? l.title
					      : NULL;
	if (statement != NULL) {
		in.statement = statement;
		in.statement_len = strlen(statement);
		sha256_hex(statement, in.statement_len, sha);
		in.statement_sha256 = sha;
	}

	/* The rectification notes, from the trail. */
	payloads = json_array();
	notes = xcalloc(nev + 1, sizeof *notes);
	for (i = 0; i < nev; i++) {
		if (strcmp(ev[i].type, "case.note") != 0 ||
		    (p = json_loads(ev[i].payload, 0, NULL)) == NULL)
			continue;
		json_array_append_new(payloads, p);
		notes[nnotes].field =
		    json_string_value(json_object_get(p, "field"));
		notes[nnotes].text =
		    json_string_value(json_object_get(p, "text"));
		nnotes++;
	}
	in.notes = notes;
	in.nnotes = nnotes;

	/* The earlier appeals, with their materials. */
	for (i = 0; i < nap; i++)
		nmat += ap[i].nmaterials;
	pa = xcalloc(nap + 1, sizeof *pa);
	adocs = xcalloc(nmat + 1, sizeof *adocs);
	for (i = 0, k = 0; i < nap; i++) {
		pa[i].n = ap[i].n;
		pa[i].decision = ap[i].decision == NULL	      ? APPEAL_UNDECIDED
		    : strcmp(ap[i].decision, "approved") == 0 ? APPEAL_APPROVED
							      : APPEAL_REJECTED;
		pa[i].statement = ap[i].statement;
		pa[i].statement_sha256 = ap[i].statement_sha256;
		pa[i].rejection_reason = ap[i].reject_reason;
		pa[i].submitted = ap[i].submitted_at;
		pa[i].decided = ap[i].decided_at;
		pa[i].docs = &adocs[k];
		pa[i].ndocs = ap[i].nmaterials;
		for (j = 0; j < ap[i].nmaterials; j++, k++) {
			adocs[k].type = ap[i].materials[j].type;
			adocs[k].sha256 = ap[i].materials[j].sha256;
		}
	}
	in.appeals = pa;
	in.nappeals = nap;

	/* The materials about to be attached. */
	docs = xcalloc(json_array_size(jmat) + 1, sizeof *docs);
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
			goto out;
		}
		docs[i].name = name;
		docs[i].type = type;
		docs[i].sha256 = hash;
		docs[i].attached = 1;
	}
	in.docs = docs;
	in.ndocs = json_array_size(jmat);
	in.now = clock_now();
	in.cal = config_shop_calendar(daemon_state->config, c.shop);

	preflight_config_init(&cfg);
	cfg.review_days =
	    (int)daemon_state->config->rules.escalate_after_business_days;
	if ((found = preflight_check(&in, &cfg, &cause)) == NULL) {
		api_error(r, 400, "bad_request", "%s",
		    cause ? cause : "preflight failed");
		free(cause);
		goto out;
	}
	arr = json_array();
	for (i = 0; i < found->n; i++)
		json_array_append_new(arr, finding_json(&found->v[i]));
	api_reply(r, 200,
	    json_pack("{s:I,s:o,s:I,s:I,s:b}", "case", (json_int_t)id,
		"findings", arr, "errors", (json_int_t)found->nerrors,
		"warnings", (json_int_t)found->nwarnings, "ok",
		found->nerrors == 0));
	preflight_findings_free(found);
out:
	free(docs);
	free(pa);
	free(adocs);
	free(notes);
	json_decref(payloads);
	if (have_listing)
		st_listing_clear(&l);
	st_events_free(ev, nev);
	st_appeals_free(ap, nap);
	st_case_clear(&c);
}

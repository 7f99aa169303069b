/* SPDX-License-Identifier: ISC */
/*
 * api-docs.c: the control API's document vault routes.
 *
 * POST /v1/documents takes the file as the raw request body (api.c hands
 * this route the bytes, up to daemon.max_upload, instead of parsing JSON)
 * and what the seller says about it in the query string, so that curl
 * --unix-socket --data-binary @FILE is enough. Each handler checks its
 * request, calls one vault operation and answers with the shapes api.h
 * documents. No rule of the vault lives here.
 */

#include "config.h"

#include <sys/queue.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "calendar.h"
#include "cases.h"
#include "lifecycle.h"
#include "vault.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static json_t *
docs_str(const char *s)
{
	return (s != NULL ? json_string(s) : json_null());
}

/* A path segment that must be a document (or case) id. */
static int
docs_id(struct api_req *r, size_t i, const char *what, int64_t *id)
{
	const char *s = r->args[i];
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v <= 0 || errno != 0) {
		api_error(r, 404, "not_found", "no %s \"%.32s\"", what, s);
		return (-1);
	}
	*id = v;
	return (0);
}

json_t *
api_doc_json(const struct st_document *d)
{
	json_t *o, *p;
	size_t i;

	p = json_array();
	for (i = 0; i < d->nproducts; i++)
		json_array_append_new(p, json_string(d->products[i]));
	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o}", "id",
	    (json_int_t)d->id, "name", d->name, "original_name",
	    d->original_name, "type", d->type, "format", d->format, "sha256",
	    d->sha256, "size", (json_int_t)d->size, "width",
	    d->width ? json_integer(d->width) : json_null(), "height",
	    d->height ? json_integer(d->height) : json_null(), "shop",
	    docs_str(d->shop), "products", p, "issuer", docs_str(d->issuer));
	json_object_set_new(o, "expires", docs_str(d->expires));
	json_object_set_new(o, "expires_at", json_time(d->expires_at));
	json_object_set_new(o, "expired",
	    json_boolean(d->expires_at != 0 && d->expires_at <= clock_now()));
	json_object_set_new(o, "next_alert_at", json_time(d->alert_due_at));
	json_object_set_new(o, "chain_of",
	    d->chain_of ? json_integer(d->chain_of) : json_null());
	json_object_set_new(o, "added_at", json_time(d->added_at));
	json_object_set_new(o, "added_by", json_string(d->added_by));
	json_object_set_new(o, "removed_at", json_time(d->removed_at));
	return (o);
}

static int
docs_query_id(struct api_req *r, const char *key, int64_t *out)
{
	const char *s = api_query(r, key);
	char *end;
	long long v;

	*out = 0;
	if (s == NULL)
		return (0);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v <= 0 || errno != 0) {
		api_error(
		    r, 400, "bad_query", "%s must be an id (a number)", key);
		return (-1);
	}
	*out = v;
	return (0);
}

/* POST /v1/documents?type=&name=&shop=&products=&issuer=&expires=... */
void
api_docs_post(struct api_req *r)
{
	static const char *const keys[] = { "type", "name", "shop", "products",
		"issuer", "expires", "rename", "chain_of" };
	struct evbuffer *in = evhttp_request_get_input_buffer(r->req);
	struct vault_add_req req;
	struct vault_add_res res;
	struct st_document d;
	struct lifecycle_err err = { 0 };
	const char *rename;
	json_t *doc, *w;
	size_t len, i;
	char *who;

	if (api_query_keys(r, keys, nitems(keys)) == -1)
		return;
	memset(&req, 0, sizeof req);
	req.type = api_query(r, "type");
	req.name = api_query(r, "name");
	req.shop = api_query(r, "shop");
	req.products = api_query(r, "products");
	req.issuer = api_query(r, "issuer");
	req.expires = api_query(r, "expires");
	rename = api_query(r, "rename");
	if (req.type == NULL) {
		api_error(r, 400, "missing_field",
		    "type is required (one of: %s)", cases_doc_type_list());
		return;
	}
	if (rename != NULL && strcmp(rename, "0") != 0 &&
	    strcmp(rename, "1") != 0) {
		api_error(r, 400, "bad_query", "rename must be 0 or 1");
		return;
	}
	req.rename = rename != NULL && strcmp(rename, "1") == 0;
	if (docs_query_id(r, "chain_of", &req.chain_of) == -1)
		return;
	len = evbuffer_get_length(in);
	if (len == 0) {
		api_error(r, 400, "missing_body",
		    "the request body is the document's content, and it is "
		    "empty");
		return;
	}
	req.data = evbuffer_pullup(in, -1);
	req.len = len;
	who = api_actor(r);
	req.actor = who;
	if (vault_add(&req, &res, &err) == -1) {
		free(who);
		vault_add_res_clear(&res);
		api_reply_err(r, &err);
		return;
	}
	free(who);
	if (store_document_get(daemon_state->store, res.id, &d) != 0) {
		vault_add_res_clear(&res);
		api_error(r, 500, "store", "cannot read document %lld",
		    (long long)res.id);
		return;
	}
	doc = api_doc_json(&d);
	st_document_clear(&d);
	json_object_set_new(doc, "duplicate", json_boolean(res.duplicate));
	w = json_array();
	for (i = 0; i < res.nwarnings; i++)
		json_array_append_new(w, json_string(res.warnings[i]));
	json_object_set_new(doc, "warnings", w);
	api_reply(r, res.duplicate ? 200 : 201, doc);
	vault_add_res_clear(&res);
}

/* GET /v1/documents[?shop=&type=&product=&case=&expiring=30d] */
void
api_docs_get(struct api_req *r)
{
	static const char *const keys[] = { "shop", "type", "product", "case",
		"expiring" };
	struct st_doc_filter f;
	struct st_document *d;
	const char *exp = api_query(r, "expiring");
	int64_t secs;
	size_t n, i;
	char *cause = NULL;
	json_t *arr;

	if (api_query_keys(r, keys, nitems(keys)) == -1)
		return;
	memset(&f, 0, sizeof f);
	f.shop = api_query(r, "shop");
	f.type = api_query(r, "type");
	f.product_id = api_query(r, "product");
	if (f.type != NULL && !cases_doc_type_valid(f.type)) {
		api_error(r, 400, "unknown_type",
		    "unknown document type \"%.32s\" (one of: %s)", f.type,
		    cases_doc_type_list());
		return;
	}
	if (docs_query_id(r, "case", &f.case_id) == -1)
		return;
	if (exp != NULL) {
		if (duration_parse(exp, &secs, &cause) == -1) {
			api_error(r, 400, "bad_query", "expiring: %s", cause);
			free(cause);
			return;
		}
		f.expires_by = clock_now() + secs;
	}
	if (store_documents(daemon_state->store, &f, &d, &n) == -1) {
		api_error(r, 500, "store", "cannot read the documents");
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, api_doc_json(&d[i]));
	st_documents_free(d, n);
	api_reply(r, 200, json_pack("{s:o}", "documents", arr));
}

/* Loads a document by the path's id; answers 404 itself. */
static int
docs_load(struct api_req *r, struct st_document *d)
{
	int64_t id;
	int rc;

	if (docs_id(r, 0, "document", &id) == -1)
		return (-1);
	if ((rc = store_document_get(daemon_state->store, id, d)) != 0) {
		api_error(r, rc == 1 ? 404 : 500,
		    rc == 1 ? "not_found" : "store", "document %lld %s",
		    (long long)id, rc == 1 ? "not found" : "could not be read");
		return (-1);
	}
	return (0);
}

/* The brand authorization chain up to d: root first, d last. */
static json_t *
docs_chain(const struct st_document *d)
{
	struct st_document prev;
	json_t *arr = json_array();
	int64_t id = d->chain_of;
	int depth = 0;

	json_array_append_new(arr,
	    json_pack("{s:I,s:s,s:o}", "id", (json_int_t)d->id, "name", d->name,
		"issuer", docs_str(d->issuer)));
	while (id != 0 && depth++ < 16 &&
	    store_document_get(daemon_state->store, id, &prev) == 0) {
		json_array_insert_new(arr, 0,
		    json_pack("{s:I,s:s,s:o}", "id", (json_int_t)prev.id,
			"name", prev.name, "issuer", docs_str(prev.issuer)));
		id = prev.chain_of;
		st_document_clear(&prev);
	}
	return (arr);
}

/* GET /v1/documents/{id} */
void
api_doc_get(struct api_req *r)
{
	struct st_document d, *next;
	struct st_doc_ref *refs;
	struct st_listing *l;
	struct st_doc_filter f;
	size_t nrefs, nl, nnext, i;
	json_t *doc, *cases, *listings, *jn;

	if (docs_load(r, &d) == -1)
		return;
	if (store_document_refs(
		daemon_state->store, d.id, d.sha256, &refs, &nrefs) == -1 ||
	    store_document_listings(daemon_state->store, &d, 1000, &l, &nl) ==
		-1) {
		st_document_clear(&d);
		api_error(r, 500, "store", "cannot read the document's cases");
		return;
	}
	doc = api_doc_json(&d);
	json_object_set_new(
	    doc, "timezone", json_string(calendar_tz(vault_calendar(d.shop))));
	cases = json_array();
	for (i = 0; i < nrefs; i++)
		json_array_append_new(cases,
		    json_pack("{s:I,s:s,s:o,s:o}", "case",
			(json_int_t)refs[i].case_id, "state", refs[i].state,
			"appeal",
			refs[i].appeal ? json_integer(refs[i].appeal)
				       : json_null(),
			"at", json_time(refs[i].at)));
	json_object_set_new(doc, "cases", cases);
	listings = json_array();
	for (i = 0; i < nl; i++) {
		json_array_append_new(listings,
		    json_pack("{s:s,s:s,s:o}", "shop", l[i].shop, "product_id",
			l[i].product_id, "open_case",
			l[i].open_case ? json_integer(l[i].open_case)
				       : json_null()));
		st_listing_clear(&l[i]);
	}
	free(l);
	json_object_set_new(doc, "covers", listings);
	if (strcmp(d.type, "brand_authorization") == 0) {
		json_object_set_new(doc, "chain", docs_chain(&d));
		memset(&f, 0, sizeof f);
		f.chain_of = d.id;
		jn = json_array();
		if (store_documents(daemon_state->store, &f, &next, &nnext) ==
		    0) {
			for (i = 0; i < nnext; i++)
				json_array_append_new(
				    jn, json_integer(next[i].id));
			st_documents_free(next, nnext);
		}
		json_object_set_new(doc, "chain_next", jn);
	}
	st_doc_refs_free(refs, nrefs);
	st_document_clear(&d);
	api_reply(r, 200, doc);
}

/* GET /v1/documents/{id}/content: the file itself. */
void
api_doc_content(struct api_req *r)
{
	static const struct {
		const char *format;
		const char *ctype;
	} types[] = {
		{ "pdf", "application/pdf" },
		{ "jpeg", "image/jpeg" },
		{ "png", "image/png" },
	};
	struct st_document d;
	struct evkeyvalq *hdrs = evhttp_request_get_output_headers(r->req);
	const char *ctype = "application/octet-stream";
	char *path, *disp;
	size_t i;

	if (docs_load(r, &d) == -1)
		return;
	if (d.removed_at != 0) {
		api_error(r, 410, "removed", "document %lld was removed",
		    (long long)d.id);
		st_document_clear(&d);
		return;
	}
	for (i = 0; i < nitems(types); i++) {
		if (strcmp(types[i].format, d.format) == 0)
			ctype = types[i].ctype;
	}
	/* Names have no control byte (checked at upload); quotes go. */
	for (i = 0; d.name[i] != '\0'; i++) {
		if (d.name[i] == '"' || d.name[i] == '\\')
			d.name[i] = '_';
	}
	xasprintf(&disp, "attachment; filename=\"%s\"", d.name);
	evhttp_add_header(hdrs, "Content-Disposition", disp);
	free(disp);
	path = vault_path(d.sha256);
	if (api_send_file(r, path, ctype) == -1) {
		log_warn("vault: %s", path);
		evhttp_remove_header(hdrs, "Content-Disposition");
		api_error(r, 500, "storage",
		    "the content of document %lld is missing from the vault",
		    (long long)d.id);
	}
	free(path);
	st_document_clear(&d);
}

/* DELETE /v1/documents/{id} */
void
api_doc_delete(struct api_req *r)
{
	struct st_document d;
	struct lifecycle_err err = { 0 };
	int64_t id;
	char *who;

	if (docs_id(r, 0, "document", &id) == -1)
		return;
	who = api_actor(r);
	if (vault_remove(id, who, &err) == -1) {
		free(who);
		api_reply_err(r, &err);
		return;
	}
	free(who);
	if (store_document_get(daemon_state->store, id, &d) != 0) {
		api_error(r, 500, "store", "cannot read document %lld",
		    (long long)id);
		return;
	}
	api_reply(r, 200, api_doc_json(&d));
	st_document_clear(&d);
}

/* The id of the live vault document with this content, or null. */
json_t *
api_material_document(const char *sha256)
{
	struct st_document d;
	char low[65];
	size_t i;
	json_t *id;

	for (i = 0; i < 64 && sha256[i] != '\0'; i++)
		low[i] = (char)tolower((unsigned char)sha256[i]);
	low[i] = '\0';
	if (store_document_by_sha256(daemon_state->store, low, &d) != 0)
		return (json_null());
	id = json_integer(d.id);
	st_document_clear(&d);
	return (id);
}

/*
 * The documents attached to a case, for its detail and its export: those
 * removed from the vault since too (a closed case keeps its record),
 * marked "removed": true.
 */
json_t *
api_case_documents_json(int64_t case_id)
{
	struct st_doc_filter f;
	struct st_document *d;
	size_t n, i;
	json_t *arr = json_array(), *o;

	memset(&f, 0, sizeof f);
	f.case_id = case_id;
	f.with_removed = 1;
	if (store_documents(daemon_state->store, &f, &d, &n) == -1)
		return (arr);
	for (i = 0; i < n; i++) {
		o = api_doc_json(&d[i]);
		json_object_set_new(
		    o, "removed", json_boolean(d[i].removed_at != 0));
		json_array_append_new(arr, o);
	}
	st_documents_free(d, n);
	return (arr);
}

/* GET /v1/cases/{id}/documents */
void
api_case_documents_get(struct api_req *r)
{
	struct st_case c;
	int64_t id;
	int rc;

	if (docs_id(r, 0, "case", &id) == -1)
		return;
	if ((rc = store_case_get(daemon_state->store, id, &c)) != 0) {
		api_error(r, rc == 1 ? 404 : 500,
		    rc == 1 ? "not_found" : "store", "case %lld %s",
		    (long long)id, rc == 1 ? "not found" : "could not be read");
		return;
	}
	st_case_clear(&c);
	api_reply(r, 200,
	    json_pack("{s:I,s:o}", "case", (json_int_t)id, "documents",
		api_case_documents_json(id)));
}

/* POST /v1/cases/{id}/documents {"document": ID, "at"?, "force"?} */
void
api_case_documents_post(struct api_req *r)
{
	struct lifecycle_err err = { 0 };
	json_error_t jerr;
	json_int_t doc_id;
	const char *ats = NULL;
	int force = 0;
	int64_t id;
	time_t at = clock_now();
	char *who, buf[ISOTIME_LEN];

	if (docs_id(r, 0, "case", &id) == -1)
		return;
	if (r->body == NULL) {
		api_error(r, 400, "missing_body",
		    "this request needs a JSON object body: {\"document\": "
		    "ID}");
		return;
	}
	if (json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s:I,s?s,s?b}",
		"document", &doc_id, "at", &ats, "force", &force) == -1) {
		api_error(
		    r, 400, "bad_request", "bad request body: %s", jerr.text);
		return;
	}
	if (doc_id <= 0) {
		api_error(
		    r, 404, "not_found", "no document %lld", (long long)doc_id);
		return;
	}
	if (ats != NULL) {
		if (isotime_parse(ats, &at) == -1) {
			api_error(r, 400, "bad_time",
			    "cannot read the time \"%.64s\": write ISO 8601 "
			    "with an offset, like 2026-10-08T10:00:00+08:00",
			    ats);
			return;
		}
		if (at > clock_now()) {
			api_error(r, 400, "future_time",
			    "%s is in the future (now is %s)", ats,
			    isotime_format(clock_now(), buf, sizeof buf));
			return;
		}
	}
	who = api_actor(r);
	if (vault_attach(id, doc_id, at, force, who, &err) == -1) {
		free(who);
		api_reply_err(r, &err);
		return;
	}
	free(who);
	api_reply(r, 201,
	    json_pack("{s:I,s:o}", "case", (json_int_t)id, "documents",
		api_case_documents_json(id)));
}

/* DELETE /v1/cases/{id}/documents/{doc} */
void
api_case_document_delete(struct api_req *r)
{
	struct lifecycle_err err = { 0 };
	int64_t id, doc_id;
	char *who;

	if (docs_id(r, 0, "case", &id) == -1 ||
	    docs_id(r, 1, "document", &doc_id) == -1)
		return;
	who = api_actor(r);
	if (vault_detach(id, doc_id, who, &err) == -1) {
		free(who);
		api_reply_err(r, &err);
		return;
	}
	free(who);
	api_reply(r, 200,
	    json_pack("{s:I,s:o}", "case", (json_int_t)id, "documents",
		api_case_documents_json(id)));
}

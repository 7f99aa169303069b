/* SPDX-License-Identifier: ISC */
/*
 * vault.h: the document vault (vault.c) and its control API (api-docs.c).
 *
 * Documents (certificates, test reports, trademark papers, authorizations,
 * invoices, court papers) are stored once per content under
 * state_dir/documents/<sha256> (directory 0700, files 0600) and described
 * in the store (struct st_document in delistd.h). The expiry watch raises
 * doc.expiring 30, 7 and 1 days before a document's expiry date and
 * doc.expired on it, once each, from the STORE_DUE_DOC timer (sched.c).
 */

#ifndef VAULT_H
#define VAULT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct lifecycle_err;
struct json_t;
struct st_document;

/* What POST /v1/documents carries (api.h documents the query). */
struct vault_add_req {
	const void *data; /* the file's bytes */
	size_t len;
	const char *name; /* the file's name as uploaded (its base name) */
	const char *type; /* cases_doc_type_valid */
	const char *shop; /* NULL: none */
	const char *products; /* "ID,ID"; NULL: none */
	const char *issuer; /* NULL: none */
	const char *expires; /* "YYYY-MM-DD"; NULL: does not expire */
	int64_t chain_of; /* brand_authorization: the link before; 0: none */
	int rename; /* store under the conventional name */
	const char *actor;
};

/* The answer: the document's id, whether it was there already, warnings. */
struct vault_add_res {
	int64_t id;
	int duplicate;
	char **warnings;
	size_t nwarnings;
};

int vault_add(const struct vault_add_req *, struct vault_add_res *,
    struct lifecycle_err *);
void vault_add_res_clear(struct vault_add_res *);
int vault_remove(int64_t, const char *, struct lifecycle_err *);
int vault_attach(
    int64_t, int64_t, time_t, int, const char *, struct lifecycle_err *);
int vault_detach(int64_t, int64_t, const char *, struct lifecycle_err *);
int vault_fire(int64_t);
int vault_recompute(void);
char *vault_path(const char *);
const struct calendar *vault_calendar(const char *);

/* api-docs.c */
struct api_req;
void api_docs_post(struct api_req *);
void api_docs_get(struct api_req *);
void api_doc_get(struct api_req *);
void api_doc_content(struct api_req *);
void api_doc_delete(struct api_req *);
void api_case_documents_get(struct api_req *);
void api_case_documents_post(struct api_req *);
void api_case_document_delete(struct api_req *);
struct json_t *api_doc_json(const struct st_document *);
struct json_t *api_case_documents_json(int64_t);
struct json_t *api_material_document(const char *);

#endif /* VAULT_H */

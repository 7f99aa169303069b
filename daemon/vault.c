/* SPDX-License-Identifier: ISC */
/*
 * vault.c: the document vault and its expiry watch.
 *
 * A document comes in as bytes with what the seller says about it (type,
 * shop, products, issuer, expiry date). It is judged by its content (sniff.c:
 * PDF, JPEG or PNG; images at least 600x800), hashed, written once per
 * content under state_dir/documents/<sha256> (a temporary file, fsync,
 * rename, fsync of the directory: a crash leaves the old state or the new,
 * and at worst an orphan file that the next upload of the same content
 * reuses), then recorded with a doc.added event in one transaction.
 *
 * The expiry watch: each document with an expiry date has four alerts,
 * due at 00:00 (the zone of its shop, else the daemon's) 30, 7 and 1 days
 * before the date (doc.expiring) and on it (doc.expired). The next one's
 * time is the STORE_DUE_DOC index; vault_fire raises the latest alert due,
 * naming the listings and open cases the document covers, and moves the
 * index on in the same transaction, so an alert fires once, across
 * restarts too.
 *
 * It must not parse requests or render answers: that is api-docs.c.
 */

#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "delistd.h"
#include "calendar.h"
#include "cases.h"
#include "docs.h"
#include "event.h"
#include "lifecycle.h"
#include "sniff.h"
#include "vault.h"

/* A brand authorization chain has at most this many links. */
#define VAULT_CHAIN_MAX 8
/* Expiry alerts name at most this many listings (and say how many more). */
#define VAULT_NAMED_MAX 100
#define VAULT_NAME_MAX 255
#define VAULT_ISSUER_MAX 256

static int vault_store_fail(struct lifecycle_err *);
static int64_t vault_event(const char *, const char *, int64_t, time_t,
    const char *, enum cases_event_type, enum cases_severity, json_t *,
    const char *, ...) printflike(9, 10);
static void
vault_warn(struct vault_add_res *, const char *, ...) printflike(2, 3);

static struct store *
vault_store(void)
{
	return (daemon_state->store);
}

static int
vault_store_fail(struct lifecycle_err *err)
{
	store_rollback(vault_store());
	lifecycle_err_set(
	    err, LIFECYCLE_ERR_STORE, "the state database failed; see the log");
	return (-1);
}

static void
vault_warn(struct vault_add_res *res, const char *fmt, ...)
{
	va_list ap;

	res->warnings = xreallocarray(
	    res->warnings, res->nwarnings + 1, sizeof *res->warnings);
	va_start(ap, fmt);
	xvasprintf(&res->warnings[res->nwarnings++], fmt, ap);
	va_end(ap);
}

void
vault_add_res_clear(struct vault_add_res *res)
{
	size_t i;

	for (i = 0; i < res->nwarnings; i++)
		free(res->warnings[i]);
	free(res->warnings);
	memset(res, 0, sizeof *res);
}

/* The zone a document's dates are in: its shop's, else the daemon's. */
const struct calendar *
vault_calendar(const char *shop)
{
	if (shop == NULL)
		return (daemon_state->config->calendar);
	return (config_shop_calendar(daemon_state->config, shop));
}

/* state_dir/documents/<sha256> (or the directory itself for NULL). */
char *
vault_path(const char *sha256)
{
	char *path;

	if (sha256 == NULL)
		xasprintf(
		    &path, "%s/documents", daemon_state->config->state_dir);
	else
		xasprintf(&path, "%s/documents/%s",
		    daemon_state->config->state_dir, sha256);
	return (path);
}

/*
 * Appends an event (not about a case when case_id is 0) inside the
 * caller's transaction, with its deliveries (lifecycle_append).
 */
static int64_t
vault_event(const char *shop, const char *product_id, int64_t case_id,
    time_t at, const char *actor, enum cases_event_type type,
    enum cases_severity sev, json_t *data, const char *fmt, ...)
{
	struct st_case c;
	va_list ap;
	char *msg;
	int64_t id;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	memset(&c, 0, sizeof c);
	c.id = case_id;
	c.shop = (char *)shop;
	c.product_id = (char *)product_id;
	id = lifecycle_append(&c, at, actor, type, sev, data, NULL, msg);
	free(msg);
	return (id);
}

/* fsync(2) of a directory, so that a rename in it is durable. */
static int
vault_sync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return (-1);
	rc = fsync(fd);
	close(fd);
	return (rc);
}

/*
 * Removes what an upload interrupted by a crash left (.upload.*), once per
 * run, before the first write: nothing else writes there, one at a time.
 */
static void
vault_sweep_tmp(const char *dir)
{
	static int swept;
	struct dirent *de;
	DIR *d;
	char *path;

	if (swept || (d = opendir(dir)) == NULL)
		return;
	swept = 1;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, ".upload.", 8) != 0)
			continue;
		xasprintf(&path, "%s/%s", dir, de->d_name);
		if (unlink(path) == 0)
			log_info("vault: removed %s, left by an interrupted "
				 "upload",
			    path);
		free(path);
	}
	closedir(d);
}

/* Writes the content to documents/<sha256>, durably; 0 or -1 with *cause. */
static int
vault_write(const char *sha256, const void *data, size_t len, char **cause)
{
	char *dir = vault_path(NULL), *path = vault_path(sha256), *tmp;
	const char *p = data;
	size_t off = 0;
	ssize_t n;
	int fd = -1, rc = -1;

	xasprintf(&tmp, "%s/.upload.XXXXXX", dir);
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		xasprintf(cause, "cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	vault_sweep_tmp(dir);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		xasprintf(cause, "cannot create a file in %s: %s", dir,
		    strerror(errno));
		goto out;
	}
	while (off < len) {
		if ((n = write(fd, p + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			xasprintf(
			    cause, "cannot write %s: %s", tmp, strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	if (fchmod(fd, 0600) == -1 || fsync(fd) == -1) {
		xasprintf(cause, "cannot sync %s: %s", tmp, strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, path) == -1) {
		xasprintf(cause, "cannot rename %s to %s: %s", tmp, path,
		    strerror(errno));
		goto out;
	}
	if (vault_sync_dir(dir) == -1) {
		xasprintf(cause, "cannot sync %s: %s", dir, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (rc == -1)
		unlink(tmp);
	free(tmp);
	free(path);
	free(dir);
	return (rc);
}

/*
 * The four alert times of an expiry date in a zone; -1 with *cause. A
 * document is valid through the whole of its expiry date: it expires at
 * 00:00 of the next day in the zone, and the alerts count back from then
 * (the 1-day alert at the start of the last valid day).
 */
static int
vault_marks(const char *shop, const char *expires, time_t marks[DOCS_NSTAGES],
    char **cause)
{
	int k;

	for (k = 0; k < DOCS_NSTAGES; k++) {
		if (calendar_day_start(vault_calendar(shop), expires,
			docs_stage_days[k] - 1, &marks[k], cause) != 0)
			return (-1);
	}
	return (0);
}

/* The checks on what the seller says about a document (400s). */
static int
vault_check_meta(const struct vault_add_req *req, struct st_document *d,
    struct lifecycle_err *err)
{
	char *cause = NULL, *list;
	time_t marks[DOCS_NSTAGES];
	size_t i;

	if (req->type == NULL || !cases_doc_type_valid(req->type)) {
		lifecycle_err_set(err, LIFECYCLE_ERR_UNKNOWN_TYPE,
		    "unknown document type \"%.32s\" (one of: %s)",
		    req->type ? req->type : "", cases_doc_type_list());
		return (-1);
	}
	if (req->name == NULL || *req->name == '\0' ||
	    strlen(req->name) > VAULT_NAME_MAX) {
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_NAME,
		    "the document needs its file name (1 to %d bytes)",
		    VAULT_NAME_MAX);
		return (-1);
	}
	for (i = 0; req->name[i] != '\0'; i++) {
		if ((unsigned char)req->name[i] < 0x20 || req->name[i] == '/' ||
		    req->name[i] == 0x7f) {
			lifecycle_err_set(err, LIFECYCLE_ERR_BAD_NAME,
			    "the file name has a \"/\" or a control "
			    "character: send its base name");
			return (-1);
		}
	}
	if (req->shop != NULL &&
	    config_shop(daemon_state->config, req->shop) == NULL) {
		list = config_shop_list(daemon_state->config);
		lifecycle_err_set(err, LIFECYCLE_ERR_UNKNOWN_SHOP,
		    "unknown shop \"%.64s\" (configured: %s)", req->shop,
		    *list ? list : "none");
		free(list);
		return (-1);
	}
	if (req->products != NULL &&
	    docs_products_parse(
		req->products, &d->products, &d->nproducts, &cause) == -1) {
		lifecycle_err_set(
		    err, LIFECYCLE_ERR_BAD_PRODUCTS, "--products: %s", cause);
		free(cause);
		return (-1);
	}
	if (req->issuer != NULL &&
	    (*req->issuer == '\0' || strlen(req->issuer) > VAULT_ISSUER_MAX)) {
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_ISSUER,
		    "the issuer is empty or longer than %d bytes",
		    VAULT_ISSUER_MAX);
		return (-1);
	}
	if (req->expires != NULL) {
		if (vault_marks(req->shop, req->expires, marks, &cause) == -1) {
			lifecycle_err_set(err, LIFECYCLE_ERR_BAD_DATE,
			    "--expires: %s", cause ? cause : "bad date");
			free(cause);
			return (-1);
		}
		d->expires = xstrdup(req->expires);
		d->expires_at = marks[DOCS_NSTAGES - 1];
		d->alert_stage = 0;
		d->alert_due_at = marks[0];
	}
	return (0);
}

/* A brand authorization link must follow a live one of the same type. */
static int
vault_check_chain(const struct vault_add_req *req, struct lifecycle_err *err)
{
	struct st_document prev;
	int64_t id = req->chain_of;
	int depth = 0, rc;

	if (id == 0)
		return (0);
	if (strcmp(req->type, "brand_authorization") != 0) {
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_CHAIN,
		    "--chain-of links brand_authorization documents (brand "
		    "owner -> distributor -> seller), not %s",
		    req->type);
		return (-1);
	}
	while (id != 0) {
		if ((rc = store_document_get(vault_store(), id, &prev)) == -1)
			return (vault_store_fail(err));
		if (rc == 1 || prev.removed_at != 0 ||
		    strcmp(prev.type, "brand_authorization") != 0) {
			lifecycle_err_set(err, LIFECYCLE_ERR_BAD_CHAIN,
			    "--chain-of %lld: %s", (long long)id,
			    rc == 1		       ? "no such document"
				: prev.removed_at != 0 ? "it was removed"
						       : "it is not a "
							 "brand_authorization");
			st_document_clear(&prev);
			return (-1);
		}
		id = prev.chain_of;
		st_document_clear(&prev);
		if (++depth >= VAULT_CHAIN_MAX) {
			lifecycle_err_set(err, LIFECYCLE_ERR_BAD_CHAIN,
			    "a brand authorization chain has at most %d "
			    "links",
			    VAULT_CHAIN_MAX);
			return (-1);
		}
	}
	return (0);
}

/* The file-name convention: a warning, or the conventional name. */
static int
vault_name(const struct vault_add_req *req, struct st_document *d,
    enum sniff_format fmt, struct vault_add_res *res, struct lifecycle_err *err)
{
	struct sniff_name sn;
	char why[SNIFF_WHY_MAX];
	char built[SNIFF_NAME_MAX];
	const struct docs_type *row;
	const char *problem = NULL;
	const char *const *types;
	char *owned = NULL;
	size_t ntypes, k;

	if (req->rename) {
		if (d->nproducts == 0) {
			lifecycle_err_set(err, LIFECYCLE_ERR_CANNOT_RENAME,
			    "--rename needs --products: the conventional name "
			    "AE<product id>_<TYPE>_<description>.<pdf|jpg> "
			    "starts with the product ID");
			return (-1);
		}
		if (docs_name_build(d->products[0], req->type, req->name,
			sniff_format_extension(fmt), built, sizeof built, why,
			sizeof why) == -1) {
			lifecycle_err_set(err, LIFECYCLE_ERR_CANNOT_RENAME,
			    "--rename: %s", why);
			return (-1);
		}
		d->name = xstrdup(built);
		return (0);
	}
	d->name = xstrdup(req->name);
	types = docs_type_names(&ntypes);
	row = docs_type_find(req->type);
	if (fmt == SNIFF_PNG && (row == NULL || !row->png)) {
		xasprintf(&owned,
		    "the platform takes %s documents as PDF or JPG, and this "
		    "is a PNG: convert it to PDF or JPG",
		    req->type);
		problem = owned;
	} else if (fmt == SNIFF_PNG) {
		/* A screenshot (other) is taken as it is, a PNG. */
		if (docs_name_check(req->name, NULL, req->type, NULL) !=
		    DOCS_NAME_OK)
			problem = "a screenshot is named like "
				  "AE<product id>_OTHER_<description>.png";
		for (k = 0; problem == NULL && k < d->nproducts; k++) {
			if (docs_name_check(req->name, d->products[k],
				req->type, NULL) == DOCS_NAME_OK)
				break;
		}
		if (problem == NULL && d->nproducts > 0 && k == d->nproducts)
			problem = "its product ID is not among --products";
	} else if (sniff_name_parse(
		       req->name, types, ntypes, &sn, why, sizeof why) == -1)
		problem = why;
	else if (strcmp(sn.type, req->type) != 0) {
		xasprintf(&owned, "it says type %s, the document is %s",
		    sn.type, req->type);
		problem = owned;
	} else if (sn.format != fmt) {
		xasprintf(&owned, "it ends in .%s, the content is %s",
		    sn.extension, sniff_format_name(fmt));
		problem = owned;
	} else if (d->nproducts > 0) {
		size_t i;

		for (i = 0; i < d->nproducts; i++) {
			if (strcmp(d->products[i], sn.product_id) == 0)
				break;
		}
		if (i == d->nproducts) {
			xasprintf(&owned,
			    "its product ID %s is not among --products",
			    sn.product_id);
			problem = owned;
		}
	}
	if (problem != NULL)
		vault_warn(res,
		    "file name \"%s\" does not follow the convention "
		    "AE<product id>_<TYPE>_<description>.<pdf|jpg> (%s); the "
		    "platform may reject it: add it with --rename%s",
		    req->name, problem,
		    d->nproducts == 0 ? " --products ID" : "");
	free(owned);
	return (0);
}

int
vault_add(const struct vault_add_req *req, struct vault_add_res *res,
    struct lifecycle_err *err)
{
	struct st_document d, old;
	struct sniff_result sr;
	char sha[65], why[SNIFF_WHY_MAX], *cause = NULL;
	time_t now = clock_now();
	json_t *data, *jp;
	size_t i;
	int rc = -1, found;

	memset(res, 0, sizeof *res);
	memset(&d, 0, sizeof d);
	if (vault_check_meta(req, &d, err) == -1 ||
	    vault_check_chain(req, err) == -1)
		goto out;
	if (sniff_buffer(req->data, req->len, &sr) == -1) {
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_DOCUMENT, "%s: %s",
		    req->name, sr.why);
		goto out;
	}
	if (sr.width != 0 &&
	    sniff_resolution_check(sr.width, sr.height, SNIFF_MIN_SHORT_DEFAULT,
		SNIFF_MIN_LONG_DEFAULT, why, sizeof why) == -1) {
		lifecycle_err_set(err, LIFECYCLE_ERR_LOW_RESOLUTION,
		    "%s: %s (the platform refuses blurry documents)", req->name,
		    why);
		goto out;
	}
	if (vault_name(req, &d, sr.format, res, err) == -1)
		goto out;
	if (sha256_hex(req->data, req->len, sha) == -1)
		fatalx("vault: SHA-256 failed");

	if ((found = store_document_by_sha256(vault_store(), sha, &old)) ==
	    -1) {
		vault_store_fail(err);
		goto out;
	}
	if (found == 0) {
		/* The stored one's name counts, not this upload's. */
		vault_add_res_clear(res);
		res->id = old.id;
		res->duplicate = 1;
		st_document_clear(&old);
		rc = 0;
		goto out;
	}
	if (vault_write(sha, req->data, req->len, &cause) == -1) {
		log_warnx("vault: %s", cause);
		lifecycle_err_set(err, LIFECYCLE_ERR_STORAGE,
		    "cannot store the document: %s", cause);
		free(cause);
		goto out;
	}
	if (d.expires_at != 0 && d.expires_at <= now)
		vault_warn(res,
		    "it expired at the end of %s: the platform rejects "
		    "expired documents",
		    d.expires);

	d.sha256 = sha;
	d.type = (char *)req->type;
	d.original_name = (char *)req->name;
	d.format = (char *)sniff_format_name(sr.format);
	d.size = (int64_t)req->len;
	d.width = (int)sr.width;
	d.height = (int)sr.height;
	d.shop = (char *)req->shop;
	d.issuer = (char *)req->issuer;
	d.chain_of = req->chain_of;
	d.added_at = now;
	d.added_by = (char *)req->actor;
	if (store_begin(vault_store()) == -1 ||
	    (d.id = store_document_insert(vault_store(), &d)) == -1) {
		vault_store_fail(err);
		goto clear;
	}
	jp = json_array();
	for (i = 0; i < d.nproducts; i++)
		json_array_append_new(jp, json_string(d.products[i]));
	data =
	    json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}", "document", (json_int_t)d.id,
		"name", d.name, "type", d.type, "sha256", sha, "products", jp,
		"expires", d.expires ? json_string(d.expires) : json_null());
	if (vault_event(d.shop, d.nproducts == 1 ? d.products[0] : NULL, 0, now,
		req->actor, CASES_EV_DOC_ADDED, CASES_SEV_INFO, data,
		"document %lld stored: %s (%s, %s, %lld bytes)%s%s",
		(long long)d.id, d.name, d.type, sniff_format_name(sr.format),
		(long long)d.size, d.expires ? ", expires " : "",
		d.expires ? d.expires : "") == -1 ||
	    store_commit(vault_store()) == -1) {
		vault_store_fail(err);
		goto clear;
	}
	res->id = d.id;
	rc = 0;
	lifecycle_published();
	event_changed(EVENT_CHANGE_DUE);
clear:
	/* Borrowed fields back to NULL before the clear. */
	d.sha256 = d.type = d.original_name = d.format = d.shop = NULL;
	d.issuer = d.added_by = NULL;
out:
	st_document_clear(&d);
	return (rc);
}

/* Whether a case state counts as open (cases.h). */
static int
vault_open_state(const char *state)
{
	int s = cases_state_from_name(state);

	return (s != -1 && cases_state_is_open((enum case_state)s));
}

int
vault_remove(int64_t id, const char *actor, struct lifecycle_err *err)
{
	struct st_document d;
	struct st_doc_ref *refs;
	size_t nrefs, i;
	time_t now = clock_now();
	char *path;
	int rc;

	if (store_begin(vault_store()) == -1)
		return (vault_store_fail(err));
	if ((rc = store_document_get(vault_store(), id, &d)) == -1)
		return (vault_store_fail(err));
	if (rc == 1 || d.removed_at != 0) {
		store_rollback(vault_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_NOT_FOUND,
		    "no document %lld%s", (long long)id,
		    rc == 0 ? " (it was removed)" : "");
		st_document_clear(&d);
		return (-1);
	}
	if (store_document_refs(vault_store(), id, d.sha256, &refs, &nrefs) ==
	    -1) {
		st_document_clear(&d);
		return (vault_store_fail(err));
	}
	for (i = 0; i < nrefs; i++) {
		if (!vault_open_state(refs[i].state))
			continue;
		store_rollback(vault_store());
		if (refs[i].appeal != 0)
			lifecycle_err_set(err, LIFECYCLE_ERR_DOCUMENT_IN_USE,
			    "document %lld is in the materials of appeal %d "
			    "of case %lld, which is still open (state %s): "
			    "it stays until the case is closed",
			    (long long)id, refs[i].appeal,
			    (long long)refs[i].case_id, refs[i].state);
		else
			lifecycle_err_set(err, LIFECYCLE_ERR_DOCUMENT_IN_USE,
			    "document %lld is attached to case %lld, which "
			    "is still open (state %s): it stays until the "
			    "case is closed",
			    (long long)id, (long long)refs[i].case_id,
			    refs[i].state);
		st_doc_refs_free(refs, nrefs);
		st_document_clear(&d);
		return (-1);
	}
	st_doc_refs_free(refs, nrefs);
	if (store_document_remove(vault_store(), id, now) == -1 ||
	    vault_event(d.shop, d.nproducts == 1 ? d.products[0] : NULL, 0, now,
		actor, CASES_EV_DOC_REMOVED, CASES_SEV_INFO,
		json_pack("{s:I,s:s,s:s}", "document", (json_int_t)id, "name",
		    d.name, "sha256", d.sha256),
		"document %lld removed: %s", (long long)id, d.name) == -1 ||
	    store_commit(vault_store()) == -1) {
		st_document_clear(&d);
		return (vault_store_fail(err));
	}
	/* The row is gone from the live set; the content goes too. */
	path = vault_path(d.sha256);
	if (unlink(path) == -1 && errno != ENOENT)
		log_warn("vault: cannot remove %s", path);
	free(path);
	st_document_clear(&d);
	lifecycle_published();
	event_changed(EVENT_CHANGE_DUE);
	return (0);
}

/* Whether a document names a case's listing (or is its shop's, shop-wide). */
static int
vault_covers(const struct st_document *d, const char *shop, const char *pid)
{
	size_t i;

	if (d->shop != NULL && strcmp(d->shop, shop) != 0)
		return (0);
	if (d->nproducts == 0)
		return (d->shop != NULL);
	for (i = 0; i < d->nproducts; i++) {
		if (strcmp(d->products[i], pid) == 0)
			return (1);
	}
	return (0);
}

/* "product 1005..." or "shop main" or both, for the refusal's sentence. */
static char *
vault_cover_desc(const struct st_document *d)
{
	char *s;

	if (d->nproducts > 0)
		xasprintf(&s, "product%s %s%s%s%s", d->nproducts > 1 ? "s" : "",
		    d->products[0], d->nproducts > 1 ? ", ..." : "",
		    d->shop ? " of shop " : "", d->shop ? d->shop : "");
	else if (d->shop != NULL)
		xasprintf(&s, "shop %s", d->shop);
	else
		s = xstrdup("neither a product nor a shop");
	return (s);
}

/*
 * Opens the transaction of a change to a case's documents and reads the
 * case (404 when there is none) and the document: returns whether the
 * document was found (0) or not (1) with both read and the transaction
 * open, or -1 with err set and nothing open.
 */
static int
vault_case_doc(int64_t case_id, int64_t doc_id, struct st_case *c,
    struct st_document *d, struct lifecycle_err *err)
{
	int rc;

	if (store_begin(vault_store()) == -1)
		return (vault_store_fail(err));
	if ((rc = store_case_get(vault_store(), case_id, c)) == -1)
		return (vault_store_fail(err));
	if (rc == 1) {
		store_rollback(vault_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_NOT_FOUND,
		    "case %lld not found", (long long)case_id);
		return (-1);
	}
	if ((rc = store_document_get(vault_store(), doc_id, d)) == -1) {
		st_case_clear(c);
		return (vault_store_fail(err));
	}
	return (rc);
}

/*
 * Attaches a document to an open case. One that does not cover the case's
 * listing (another product's, another shop's, or naming neither) is
 * refused unless forced: attached, it would make every appeal of the case
 * fail its preflight (doc_other_product) until detached.
 */
int
vault_attach(int64_t case_id, int64_t doc_id, time_t at, int force,
    const char *actor, struct lifecycle_err *err)
{
	struct st_case c;
	struct st_document d;
	json_t *data;
	char *what;
	int rc, covers;

	if ((rc = vault_case_doc(case_id, doc_id, &c, &d, err)) == -1)
		return (-1);
	if (rc == 1 || d.removed_at != 0) {
		store_rollback(vault_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_NOT_FOUND,
		    "no document %lld%s", (long long)doc_id,
		    rc == 0 ? " (it was removed)" : "");
		goto fail;
	}
	if (!vault_open_state(c.state)) {
		store_rollback(vault_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_CASE_CLOSED,
		    "case %lld is %s: documents go to open cases",
		    (long long)case_id, c.state);
		goto fail;
	}
	if (at < c.opened_at) {
		store_rollback(vault_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_TIME,
		    "that time is before case %lld was opened",
		    (long long)case_id);
		goto fail;
	}
	covers = vault_covers(&d, c.shop, c.product_id);
	if (!covers && !force) {
		store_rollback(vault_store());
		what = vault_cover_desc(&d);
		lifecycle_err_set(err, LIFECYCLE_ERR_DOC_NOT_COVERING,
		    "document %lld (%s) is for %s, not %s/%s of case %lld: "
		    "attached, it would fail every appeal of the case "
		    "(doc_other_product); attach the document issued for "
		    "this listing, or use --force if it does belong",
		    (long long)doc_id, d.name, what, c.shop, c.product_id,
		    (long long)case_id);
		err->forceable = 1;
		free(what);
		goto fail;
	}
	if ((rc = store_document_attach(
		 vault_store(), case_id, doc_id, clock_now(), actor)) == -1) {
		st_case_clear(&c);
		st_document_clear(&d);
		return (vault_store_fail(err));
	}
	if (rc == 1) {
		store_rollback(vault_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_ALREADY_ATTACHED,
		    "document %lld is already attached to case %lld",
		    (long long)doc_id, (long long)case_id);
		goto fail;
	}
	data = json_pack("{s:I,s:s,s:s,s:s,s:o,s:b}", "document",
	    (json_int_t)doc_id, "name", d.name, "type", d.type, "sha256",
	    d.sha256, "expires",
	    d.expires ? json_string(d.expires) : json_null(), "covers", covers);
	if (vault_event(c.shop, c.product_id, c.id, at, actor,
		CASES_EV_CASE_DOCUMENT, CASES_SEV_INFO, data,
		"document %lld attached: %s (%s, sha256 %.12s...)%s",
		(long long)doc_id, d.name, d.type, d.sha256,
		covers ? ""
		       : "; forced: it names neither this product nor this "
			 "shop") == -1 ||
	    store_commit(vault_store()) == -1) {
		st_case_clear(&c);
		st_document_clear(&d);
		return (vault_store_fail(err));
	}
	st_case_clear(&c);
	st_document_clear(&d);
	lifecycle_published();
	return (0);
fail:
	st_case_clear(&c);
	st_document_clear(&d);
	return (-1);
}

/*
 * Takes a document off a case (a mistake, or one superseded): the trail
 * keeps a case.document with "detached": true. Closed cases keep theirs.
 */
int
vault_detach(int64_t case_id, int64_t doc_id, const char *actor,
    struct lifecycle_err *err)
{
	struct st_case c;
	struct st_document d;
	time_t now = clock_now();
	int rc;

	if ((rc = vault_case_doc(case_id, doc_id, &c, &d, err)) == -1)
		return (-1);
	if (!vault_open_state(c.state)) {
		store_rollback(vault_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_CASE_CLOSED,
		    "case %lld is %s: its documents stay as they were",
		    (long long)case_id, c.state);
		goto fail;
	}
	if (rc == 0 &&
	    (rc = store_document_detach(vault_store(), case_id, doc_id)) ==
		-1) {
		st_case_clear(&c);
		st_document_clear(&d);
		return (vault_store_fail(err));
	}
	if (rc == 1) {
		store_rollback(vault_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_NOT_ATTACHED,
		    "document %lld is not attached to case %lld (delistctl "
		    "case show %lld lists its documents)",
		    (long long)doc_id, (long long)case_id, (long long)case_id);
		goto fail;
	}
	if (vault_event(c.shop, c.product_id, c.id, now, actor,
		CASES_EV_CASE_DOCUMENT, CASES_SEV_INFO,
		json_pack("{s:I,s:s,s:s,s:s,s:b}", "document",
		    (json_int_t)doc_id, "name", d.name, "type", d.type,
		    "sha256", d.sha256, "detached", 1),
		"document %lld detached: %s (%s)", (long long)doc_id, d.name,
		d.type) == -1 ||
	    store_commit(vault_store()) == -1) {
		st_case_clear(&c);
		st_document_clear(&d);
		return (vault_store_fail(err));
	}
	st_case_clear(&c);
	st_document_clear(&d);
	lifecycle_published();
	return (0);
fail:
	st_case_clear(&c);
	st_document_clear(&d);
	return (-1);
}

/* "main/1005001, main/1005002 and 3 more" for the alert's sentence. */
static char *
vault_names(const struct st_listing *l, size_t n, size_t total)
{
	char *s = xstrdup(""), *old;
	size_t i;

	for (i = 0; i < n && i < 5; i++) {
		old = s;
		xasprintf(&s, "%s%s%s/%s", old, i ? ", " : "", l[i].shop,
		    l[i].product_id);
		free(old);
	}
	if (total > i) {
		old = s;
		xasprintf(&s, "%s and %zu more", old, total - i);
		free(old);
	}
	return (s);
}

/* Adds a case id to a JSON array unless it is there. */
static void
vault_add_case(json_t *cases, int64_t id)
{
	size_t i;
	json_t *v;

	json_array_foreach (cases, i, v) {
		if (json_integer_value(v) == id)
			return;
	}
	json_array_append_new(cases, json_integer(id));
}

/* The alert's event for stage k of document d. */
static int
vault_alert(const struct st_document *d, int k, const time_t *marks)
{
	struct st_listing *l;
	struct st_doc_ref *refs;
	size_t nl, nrefs, i;
	json_t *data, *jl, *jc, *jp;
	enum cases_event_type type;
	enum cases_severity sev;
	char *names, *when, buf[ISOTIME_LEN], cases_s[256];
	time_t at;
	int rc, left, late;

	if (store_document_listings(
		vault_store(), d, VAULT_NAMED_MAX + 1, &l, &nl) == -1)
		return (-1);
	if (store_document_refs(
		vault_store(), d->id, d->sha256, &refs, &nrefs) == -1) {
		for (i = 0; i < nl; i++)
			st_listing_clear(&l[i]);
		free(l);
		return (-1);
	}
	jl = json_array();
	jc = json_array();
	for (i = 0; i < nl; i++) {
		if (i < VAULT_NAMED_MAX)
			json_array_append_new(jl,
			    json_pack("{s:s,s:s,s:o}", "shop", l[i].shop,
				"product_id", l[i].product_id, "open_case",
				l[i].open_case ? json_integer(l[i].open_case)
					       : json_null()));
		if (l[i].open_case != 0)
			vault_add_case(jc, l[i].open_case);
	}
	for (i = 0; i < nrefs; i++) {
		if (vault_open_state(refs[i].state))
			vault_add_case(jc, refs[i].case_id);
	}
	jp = json_array();
	for (i = 0; i < d->nproducts; i++)
		json_array_append_new(jp, json_string(d->products[i]));
	cases_s[0] = '\0';
	for (i = 0; i < json_array_size(jc); i++) {
		size_t len = strlen(cases_s);

		snprintf(cases_s + len, sizeof cases_s - len, "%s%lld",
		    i ? ", " : "",
		    (long long)json_integer_value(json_array_get(jc, i)));
	}
	names = vault_names(l, nl > VAULT_NAMED_MAX ? VAULT_NAMED_MAX : nl, nl);
	/* Whole days to go (an alert raised late says the truth). */
	left = docs_days_left(marks[DOCS_NSTAGES - 1], clock_now());
	if (left > docs_stage_days[k])
		left = docs_stage_days[k];
	data = json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:s,s:i,s:s,s:o,s:o,s:o,"
			 "s:b}",
	    "document", (json_int_t)d->id, "name", d->name, "type", d->type,
	    "sha256", d->sha256, "shop",
	    d->shop ? json_string(d->shop) : json_null(), "expires", d->expires,
	    "expires_at",
	    isotime_format(marks[DOCS_NSTAGES - 1], buf, sizeof buf),
	    "days_left", left, "timezone", calendar_tz(vault_calendar(d->shop)),
	    "products", jp, "listings", jl, "cases", jc, "listings_truncated",
	    nl > VAULT_NAMED_MAX);
	json_object_set_new(data, "mark", json_integer(docs_stage_days[k]));
	/* When it was due, or when the document came if that was later. */
	at = marks[k] > d->added_at ? marks[k] : d->added_at;
	type = k == DOCS_NSTAGES - 1 ? CASES_EV_DOC_EXPIRED
				     : CASES_EV_DOC_EXPIRING;
	sev = k >= DOCS_NSTAGES - 2 ? CASES_SEV_CRITICAL : CASES_SEV_WARNING;
	late =
	    k == DOCS_NSTAGES - 1 ? (int)((clock_now() - marks[k]) / 86400) : 0;
	if (k == DOCS_NSTAGES - 1 && late > 0)
		xasprintf(&when,
		    "expired at the end of %s (%s), %d day%s ago: the "
		    "platform rejects expired documents; upload the renewed "
		    "one",
		    d->expires, calendar_tz(vault_calendar(d->shop)), late,
		    late == 1 ? "" : "s");
	else if (k == DOCS_NSTAGES - 1)
		xasprintf(&when,
		    "expired at the end of %s (%s): the platform rejects "
		    "expired documents; upload the renewed one",
		    d->expires, calendar_tz(vault_calendar(d->shop)));
	else
		xasprintf(&when,
		    "is valid through %s (%s), %d day%s left: renew it "
		    "before then",
		    d->expires, calendar_tz(vault_calendar(d->shop)), left,
		    left == 1 ? "" : "s");
	rc = vault_event(d->shop, d->nproducts == 1 ? d->products[0] : NULL, 0,
		 at, "daemon", type, sev, data,
		 "document %lld %s (%s) %s. It covers %s%s%s", (long long)d->id,
		 d->name, d->type, when, *names ? names : "no tracked listing",
		 *cases_s ? "; open cases: " : "", cases_s) == -1
	    ? -1
	    : 0;
	free(when);
	free(names);
	for (i = 0; i < nl; i++)
		st_listing_clear(&l[i]);
	free(l);
	st_doc_refs_free(refs, nrefs);
	return (rc);
}

/*
 * The expiry timer's work for one document, in its own transaction: the
 * latest alert due fires (earlier ones it overtook are skipped), and the
 * index moves to the next, together.
 */
int
vault_fire(int64_t id)
{
	struct st_document d;
	time_t marks[DOCS_NSTAGES], now = clock_now();
	char *cause = NULL;
	int k, rc;

	if (store_begin(vault_store()) == -1)
		return (-1);
	if ((rc = store_document_get(vault_store(), id, &d)) == -1)
		goto fail;
	if (rc == 1 || d.removed_at != 0 || d.expires == NULL) {
		st_document_clear(&d);
		if (store_due_fired(vault_store(), STORE_DUE_DOC, id) == -1)
			goto fail;
		goto commit;
	}
	if (vault_marks(d.shop, d.expires, marks, &cause) == -1) {
		log_warnx("vault: document %lld: %s", (long long)id, cause);
		free(cause);
		st_document_clear(&d);
		if (store_due_fired(vault_store(), STORE_DUE_DOC, id) == -1)
			goto fail;
		goto commit;
	}
	if ((k = docs_stage_due(marks, d.alert_stage, now)) == -1) {
		/* Not due after all (the zone moved the marks): re-arm. */
		rc = store_document_set_alert(vault_store(), id,
		    marks[DOCS_NSTAGES - 1], d.alert_stage,
		    d.alert_stage < DOCS_NSTAGES ? marks[d.alert_stage] : 0);
		st_document_clear(&d);
		if (rc == -1)
			goto fail;
		goto commit;
	}
	if (vault_alert(&d, k, marks) == -1 ||
	    store_document_set_alert(vault_store(), id, marks[DOCS_NSTAGES - 1],
		k + 1, docs_next_due(marks, k)) == -1) {
		st_document_clear(&d);
		goto fail;
	}
	st_document_clear(&d);
commit:
	if (store_commit(vault_store()) == -1)
		goto fail;
	lifecycle_published();
	return (0);
fail:
	store_rollback(vault_store());
	return (-1);
}

/*
 * After a reload: a shop's zone may have changed, so every pending alert
 * is due at 00:00 of the new zone. Alerts that fired stay fired.
 */
int
vault_recompute(void)
{
	struct st_doc_filter f;
	struct st_document *d;
	time_t marks[DOCS_NSTAGES];
	size_t n, i;
	char *cause = NULL;

	memset(&f, 0, sizeof f);
	f.expires_by = (time_t)INT64_MAX;
	if (store_begin(vault_store()) == -1)
		return (-1);
	if (store_documents(vault_store(), &f, &d, &n) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		if (vault_marks(d[i].shop, d[i].expires, marks, &cause) == -1) {
			free(cause);
			cause = NULL;
			continue;
		}
		if (store_document_set_alert(vault_store(), d[i].id,
			marks[DOCS_NSTAGES - 1], d[i].alert_stage,
			d[i].alert_stage < DOCS_NSTAGES
			    ? marks[d[i].alert_stage]
			    : 0) == -1) {
			st_documents_free(d, n);
			goto fail;
		}
	}
	st_documents_free(d, n);
	if (store_commit(vault_store()) == -1)
		goto fail;
	event_changed(EVENT_CHANGE_DUE);
	return (0);
fail:
	store_rollback(vault_store());
	return (-1);
}

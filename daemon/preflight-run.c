/* SPDX-License-Identifier: ISC */
/*
 * preflight-run.c: one preflight of a case, with its input loaded from the
 * store (the case, its rectification notes from the trail, its earlier
 * appeals with their statements and materials, the listing's title, the
 * documents of the vault) and its configuration from delistd.conf.
 *
 * The checks themselves are the pure preflight module's; this file only
 * gathers. It changes nothing and must not open a transaction: the caller
 * may run it inside its own (case appeal does).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "delistd.h"
#include "cases.h"
#include "preflight.h"
#include "preflight-run.h"

static void pr_notes(struct preflight_run *);
static void
pr_appeals(struct preflight_run *, const struct st_appeal *, size_t);
static void
pr_doc_from(struct preflight_doc *, const struct st_document *, int);
static int pr_docs(struct preflight_run *, const struct st_case *,
    const struct st_material *, size_t);
static int pr_ascii_alnum(int);
static int pr_has_word(const char *, const char *);
static int pr_brands(struct preflight_run *, const struct st_case *, time_t);

/* The rectification notes, from the trail's case.note events. */
static void
pr_notes(struct preflight_run *pr)
{
	size_t i, n = 0;
	json_t *p;

	pr->payloads = json_array();
	pr->notes = xcalloc(pr->nev + 1, sizeof *pr->notes);
	for (i = 0; i < pr->nev; i++) {
		if (strcmp(pr->ev[i].type, "case.note") != 0 ||
		    (p = json_loads(pr->ev[i].payload, 0, NULL)) == NULL)
			continue;
		json_array_append_new(pr->payloads, p);
		pr->notes[n].field =
		    json_string_value(json_object_get(p, "field"));
		pr->notes[n].text =
		    json_string_value(json_object_get(p, "text"));
		pr->notes[n].at = pr->ev[i].at;
		pr->notes[n].before =
		    json_string_value(json_object_get(p, "before"));
		pr->notes[n].after =
		    json_string_value(json_object_get(p, "after"));
		n++;
	}
	pr->in.notes = pr->notes;
	pr->in.nnotes = n;
}

/* The earlier appeals, with their materials. */
static void
pr_appeals(struct preflight_run *pr, const struct st_appeal *ap, size_t nap)
{
	size_t i, j, k, nmat = 0;

	for (i = 0; i < nap; i++)
		nmat += ap[i].nmaterials;
	pr->pa = xcalloc(nap + 1, sizeof *pr->pa);
	pr->adocs = xcalloc(nmat + 1, sizeof *pr->adocs);
	for (i = 0, k = 0; i < nap; i++) {
		pr->pa[i].n = ap[i].n;
		pr->pa[i].decision = ap[i].decision == NULL   ? APPEAL_UNDECIDED
		    : strcmp(ap[i].decision, "approved") == 0 ? APPEAL_APPROVED
							      : APPEAL_REJECTED;
		pr->pa[i].statement = ap[i].statement;
		pr->pa[i].statement_sha256 = ap[i].statement_sha256;
		pr->pa[i].rejection_reason = ap[i].reject_reason;
		pr->pa[i].submitted = ap[i].submitted_at;
		pr->pa[i].decided = ap[i].decided_at;
		pr->pa[i].docs = &pr->adocs[k];
		pr->pa[i].ndocs = ap[i].nmaterials;
		for (j = 0; j < ap[i].nmaterials; j++, k++) {
			pr->adocs[k].type = ap[i].materials[j].type;
			pr->adocs[k].sha256 = ap[i].materials[j].sha256;
		}
	}
	pr->in.appeals = pr->pa;
	pr->in.nappeals = nap;
}

/* A vault document as the preflight sees it. */
static void
pr_doc_from(struct preflight_doc *d, const struct st_document *v, int attached)
{
	d->id = v->id;
	d->name = v->name;
	d->type = v->type;
	d->sha256 = v->sha256;
	d->shop = v->shop;
	d->products = (const char *const *)v->products;
	d->nproducts = v->nproducts;
	d->expires = v->expires_at;
	d->width = v->width;
	d->height = v->height;
	d->attached = attached;
}

/*
 * The documents: the materials about to be attached (with the vault's
 * record when the vault has their content), the vault documents attached
 * to the case, and those covering the listing as hints.
 */
static int
pr_docs(struct preflight_run *pr, const struct st_case *c,
    const struct st_material *mat, size_t nmat)
{
	struct store *st = daemon_state->store;
	struct st_doc_filter f;
	struct st_document *cover = NULL, *all;
	size_t ncover = 0, nattached, i, j, n = 0;
	int rc;

	memset(&f, 0, sizeof f);
	f.case_id = c->id;
	if (store_documents(st, &f, &pr->vault, &pr->nvault) == -1)
		return (-1);
	memset(&f, 0, sizeof f);
	f.covers_product = c->product_id;
	f.covers_shop = c->shop;
	if (store_documents(st, &f, &cover, &ncover) == -1)
		return (-1);
	/* One array owns both: attached to the case first. */
	all = xreallocarray(pr->vault, pr->nvault + ncover + 1, sizeof *all);
	if (ncover > 0)
		memcpy(all + pr->nvault, cover, ncover * sizeof *all);
	free(cover);
	/* Owned by pr from here, so a failure below frees them too. */
	pr->vault = all;
	nattached = pr->nvault;
	pr->nvault += ncover;
	pr->nmat = nmat;
	pr->bymat = xcalloc(nmat + 1, sizeof *pr->bymat);
	pr->inmat = xcalloc(nmat + 1, sizeof *pr->inmat);
	pr->docs = xcalloc(nmat + pr->nvault + 1, sizeof *pr->docs);
	for (i = 0; i < nmat; i++) {
		rc = mat[i].sha256 != NULL
		    ? store_document_by_sha256(st, mat[i].sha256, &pr->bymat[i])
		    : 1;
		if (rc == -1)
			return (-1);
		if (rc == 0) {
			pr->inmat[i] = 1;
			pr_doc_from(&pr->docs[n], &pr->bymat[i], 1);
			/* the file as sent, under its own name */
			pr->docs[n].name = mat[i].name;
			pr->docs[n].type = mat[i].type;
		} else {
			pr->docs[n].name = mat[i].name;
			pr->docs[n].type = mat[i].type;
			pr->docs[n].sha256 = mat[i].sha256;
			pr->docs[n].attached = 1;
		}
		n++;
	}
	for (i = 0; i < pr->nvault; i++) {
		/* each document once: sent, attached to the case, covering */
		for (j = 0; j < n; j++) {
			if (pr->docs[j].sha256 != NULL &&
			    strcasecmp(
				pr->docs[j].sha256, pr->vault[i].sha256) == 0)
				break;
		}
		if (j < n)
			continue;
		pr_doc_from(&pr->docs[n], &pr->vault[i], i < nattached);
		pr->docs[n++].detachable = i < nattached;
	}
	pr->in.docs = pr->docs;
	pr->in.ndocs = n;
	return (0);
}

static int
pr_ascii_alnum(int ch)
{
	return ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9'));
}

/*
 * Whether hay holds needle as a whole word, ASCII letters compared without
 * case: no ASCII letter or digit right before or after it, so that "LG" is
 * in "LG Electronics" and "AE1_BRAND_AUTHORIZATION_LG.pdf" but not in
 * "Bulgaria".
 */
static int
pr_has_word(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	const char *p;

	if (hay == NULL || n == 0)
		return (0);
	for (p = hay; *p != '\0'; p++) {
		if (strncasecmp(p, needle, n) != 0)
			continue;
		if ((p == hay || !pr_ascii_alnum((unsigned char)p[-1])) &&
		    !pr_ascii_alnum((unsigned char)p[n]))
			return (1);
	}
	return (0);
}

/*
 * The configured brands, each authorized if the configuration says so or
 * the vault holds a live, unexpired brand_authorization of the shop (or of
 * no shop) that names the brand as a word: its issuer, or its file name
 * when it has no issuer (a distributor's paper named after the brand is
 * not the brand's).
 */
int
preflight_run_brands(const struct preflight_config *cfg, const char *shop,
    time_t now, struct preflight_brand **out)
{
	struct st_doc_filter f;
	struct st_document *auth = NULL;
	struct preflight_brand *b;
	size_t nauth = 0, i, j;

	*out = NULL;
	if (cfg->nbrands == 0)
		return (0);
	memset(&f, 0, sizeof f);
	f.type = "brand_authorization";
	if (store_documents(daemon_state->store, &f, &auth, &nauth) == -1)
		return (-1);
	b = xcalloc(cfg->nbrands, sizeof *b);
	for (i = 0; i < cfg->nbrands; i++) {
		b[i] = cfg->brands[i];
		for (j = 0; j < nauth && !b[i].authorized; j++) {
			if ((auth[j].shop != NULL &&
				strcmp(auth[j].shop, shop) != 0) ||
			    (auth[j].expires_at != 0 &&
				auth[j].expires_at <= now))
				continue;
			if (pr_has_word(auth[j].issuer != NULL ? auth[j].issuer
							       : auth[j].name,
				b[i].name))
				b[i].authorized = 1;
		}
	}
	st_documents_free(auth, nauth);
	*out = b;
	return (0);
}

static int
pr_brands(struct preflight_run *pr, const struct st_case *c, time_t now)
{
	if (preflight_run_brands(&pr->cfg, c->shop, now, &pr->brands) == -1)
		return (-1);
	if (pr->brands != NULL)
		pr->cfg.brands = pr->brands;
	return (0);
}

int
preflight_run(struct preflight_run *pr, const struct st_case *c,
    const struct st_appeal *ap, size_t nap, const char *statement,
    const struct st_material *mat, size_t nmat, const char *title, time_t now,
    char **cause)
{
	struct store *st = daemon_state->store;
	struct st_listing l;

	memset(pr, 0, sizeof *pr);
	if (store_events(st, c->id, 0, 0, &pr->ev, &pr->nev) == -1) {
		xasprintf(cause, "cannot read the trail of case %lld",
		    (long long)c->id);
		return (-1);
	}
	if (title != NULL)
		pr->title = xstrdup(title);
	else if (store_listing_get(st, c->shop, c->product_id, &l) == 0) {
		pr->title = l.title != NULL ? xstrdup(l.title) : NULL;
		st_listing_clear(&l);
	}
	if (store_listing_seen_title_get(st, c->shop, c->product_id,
		&pr->seen_title, &pr->in.seen_title_at) == -1) {
		xasprintf(cause, "cannot read the listing of case %lld",
		    (long long)c->id);
		return (-1);
	}
	pr->in.seen_title = pr->seen_title;
	pr->in.c.id = c->id;
	pr->in.c.state = cases_state_from_name(c->state);
	pr->in.c.reason = cases_reason_from_name(c->reason);
	pr->in.shop = c->shop;
	pr->in.product_id = c->product_id;
	pr->in.title = pr->title;
	if (statement != NULL) {
		pr->in.statement = statement;
		pr->in.statement_len = strlen(statement);
		if (sha256_hex(statement, pr->in.statement_len, pr->sha) == -1)
			fatalx("preflight: SHA-256 failed");
		pr->in.statement_sha256 = pr->sha;
	}
	pr_notes(pr);
	pr_appeals(pr, ap, nap);
	pr->in.now = now;
	pr->in.cal = config_shop_calendar(daemon_state->config, c->shop);
	config_preflight(daemon_state->config, &pr->cfg);
	if (pr_docs(pr, c, mat, nmat) == -1 || pr_brands(pr, c, now) == -1) {
		xasprintf(cause, "cannot read the document vault");
		return (-1);
	}
	if ((pr->found = preflight_check(&pr->in, &pr->cfg, cause)) == NULL) {
		if (*cause == NULL)
			*cause = xstrdup("the preflight failed");
		return (-1);
	}
	return (0);
}

void
preflight_run_clear(struct preflight_run *pr)
{
	size_t i;

	preflight_findings_free(pr->found);
	free(pr->docs);
	free(pr->pa);
	free(pr->adocs);
	free(pr->notes);
	free(pr->title);
	free(pr->seen_title);
	free(pr->brands);
	st_documents_free(pr->vault, pr->nvault);
	for (i = 0; pr->inmat != NULL && i < pr->nmat; i++) {
		if (pr->inmat[i])
			st_document_clear(&pr->bymat[i]);
	}
	free(pr->bymat);
	free(pr->inmat);
	json_decref(pr->payloads);
	st_events_free(pr->ev, pr->nev);
	memset(pr, 0, sizeof *pr);
}

json_t *
preflight_run_json(const struct preflight_findings *found)
{
	json_t *arr;
	size_t i;

	arr = json_array();
	for (i = 0; i < found->n; i++)
		json_array_append_new(arr,
		    json_pack("{s:s,s:s}", "code", found->v[i].name, "severity",
			preflight_severity_name(found->v[i].severity)));
	return (arr);
}

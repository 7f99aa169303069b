/* SPDX-License-Identifier: ISC */
/*
 * lifecycle-listing.c: listings and their risk. Tracking and untracking a
 * listing, importing many, and what a listing was seen with: its title and
 * image fingerprints, from which listing.evasion_risk (a delisted
 * listing's look-alike) and listing.linked_risk are raised.
 *
 * Like the rest of the lifecycle it must not parse requests or render
 * answers (api-cases.c, api-source.c), nor call anything above it by name:
 * what follows a commit goes through the event bus (event.c).
 */

#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "delistd.h"
#include "calendar.h"
#include "cases.h"
#include "event.h"
#include "lifecycle.h"
#include "lifecycle-private.h"
#include "preflight-run.h"
#include "fingerprint.h"

static int lifecycle_seen(const char *, const char *, const char *,
    const char *const *, size_t, int64_t, const char *, int *, char **);
struct lifecycle_evasion;
static char *lifecycle_title_fp(const char *);
static struct lifecycle_evasion *lifecycle_evasion_add(
    struct lifecycle_evasion **, size_t *, int64_t, const char *, const char *);
static int lifecycle_evasion_check(const struct st_case *, int64_t, time_t,
    const char *, const struct st_image_match *, size_t, time_t);
static int lifecycle_linked_reason(const char *);
static int lifecycle_linked_event(const struct st_case *, int64_t, int64_t,
    const char *, const char *, const char *, json_t *, time_t);
static int lifecycle_fingerprints(
    const char *const *, size_t, char ***, const char ***, size_t *, char **);
static void lifecycle_fingerprints_free(char **, const char **, size_t);
static int lifecycle_seen_with(const struct st_case *, int64_t, time_t,
    const char *, const char *const *, size_t, int, time_t, char **);

/* A title's fingerprint; fatal if memory ran out, like xmalloc. */
static char *
lifecycle_title_fp(const char *title)
{
	char *fp;

	if ((fp = fingerprint_title(title)) == NULL)
		fatalx("lifecycle: out of memory");
	return (fp);
}

/* An open case a new listing looks like the relisting of. */
struct lifecycle_evasion {
	int64_t case_id;
	char *shop;
	char *product_id;
	int by_title;
	json_t *images; /* shared fingerprints */
};

static struct lifecycle_evasion *
lifecycle_evasion_add(struct lifecycle_evasion **v, size_t *n, int64_t case_id,
    const char *shop, const char *pid)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if ((*v)[i].case_id == case_id)
			return (&(*v)[i]);
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	(*v)[*n].case_id = case_id;
	(*v)[*n].shop = xstrdup(shop);
	(*v)[*n].product_id = xstrdup(pid);
	(*v)[*n].images = json_array();
	return (&(*v)[(*n)++]);
}

/*
 * A listing created after a case was opened (the case opened before born)
 * that shows the title of that case's listing (same shop) or one of its
 * images (any shop), whether it was first seen so or its title or images
 * came later: listing the product again while its appeal runs counts as
 * evading the penalty. One warning per (listing, open case), naming what
 * matched. title is NULL when it is not to be compared (unchanged).
 */
static int
lifecycle_evasion_check(const struct st_case *c, int64_t listing_id,
    time_t born, const char *title, const struct st_image_match *m, size_t nm,
    time_t now)
{
	struct st_case oc;
	struct st_listing *open = NULL;
	struct lifecycle_evasion *ev = NULL, *e;
	size_t n = 0, nev = 0, i;
	char *mine = NULL, *theirs;
	json_t *matched;
	int rc = 0, fresh;

	if (title != NULL) {
		if (store_open_case_titles(
			lifecycle_store(), c->shop, &open, &n) == -1)
			return (-1);
		mine = lifecycle_title_fp(title);
	}
	for (i = 0; i < n && *mine != '\0'; i++) {
		if (strcmp(open[i].product_id, c->product_id) == 0)
			continue;
		theirs = lifecycle_title_fp(open[i].title);
		if (strcmp(mine, theirs) == 0)
			lifecycle_evasion_add(&ev, &nev, open[i].open_case,
			    open[i].shop, open[i].product_id)
			    ->by_title = 1;
		free(theirs);
	}
	for (i = 0; i < nm; i++) {
		if (m[i].open_case == 0 || m[i].opened_at >= born)
			continue;
		e = lifecycle_evasion_add(
		    &ev, &nev, m[i].open_case, m[i].shop, m[i].product_id);
		json_array_append_new(e->images, json_string(m[i].fingerprint));
	}
	for (i = 0; i < nev && rc == 0; i++) {
		e = &ev[i];
		/* A listing older than the case is not its relisting. */
		if ((fresh = store_case_get(
			 lifecycle_store(), e->case_id, &oc)) != 0) {
			rc = fresh == 1 ? 0 : -1;
			continue;
		}
		fresh = oc.opened_at >= born;
		st_case_clear(&oc);
		if (fresh)
			continue;
		if ((fresh = store_risk_once(lifecycle_store(), listing_id,
			 e->case_id, "evasion", now)) != 1) {
			rc = fresh;
			continue;
		}
		matched = json_array();
		if (e->by_title)
			json_array_append_new(matched, json_string("title"));
		if (json_array_size(e->images) > 0)
			json_array_append_new(matched, json_string("image"));
		if (lifecycle_event(c, now, "daemon",
			CASES_EV_LISTING_EVASION_RISK, CASES_SEV_WARNING,
			json_pack("{s:s,s:s,s:I,s:o,s:O}", "same_as",
			    e->product_id, "same_as_shop", e->shop, "open_case",
			    (json_int_t)e->case_id, "matched", matched,
			    "images", e->images),
			"%s/%s has the %s of %s/%s, whose case %lld is "
			"open: listing the product again while its appeal "
			"runs counts as evading the penalty (extra points, a "
			"longer freeze); if it is a relisting, say so with "
			"delistctl case abandon %lld --relisted-as %s",
			c->shop, c->product_id,
			e->by_title && json_array_size(e->images) > 0
			    ? "title and an image"
			    : e->by_title ? "title"
					  : "image",
			e->shop, e->product_id, (long long)e->case_id,
			(long long)e->case_id, c->product_id) == -1)
			rc = -1;
	}
	for (i = 0; i < nev; i++) {
		free(ev[i].shop);
		free(ev[i].product_id);
		json_decref(ev[i].images);
	}
	free(ev);
	free(mine);
	for (i = 0; i < n; i++)
		st_listing_clear(&open[i]);
	free(open);
	return (rc);
}

/* Reasons whose case puts the listings sharing its images at risk. */
static int
lifecycle_linked_reason(const char *reason)
{
	return (reason != NULL &&
	    (strcmp(reason, "ip_infringement") == 0 ||
		strcmp(reason, "unauthorized_media") == 0));
}

/*
 * Raises listing.linked_risk on the listing of view (lv) about the open
 * case cid of listing (shop, pid) opened for reason, sharing images
 * (fingerprints), once per (listing, case).
 */
static int
lifecycle_linked_event(const struct st_case *lv, int64_t listing_id,
    int64_t cid, const char *shop, const char *pid, const char *reason,
    json_t *images, time_t now)
{
	int fresh;

	if ((fresh = store_risk_once(
		 lifecycle_store(), listing_id, cid, "linked", now)) != 1) {
		json_decref(images);
		return (fresh);
	}
	if (lifecycle_event(lv, now, "daemon", CASES_EV_LISTING_LINKED_RISK,
		CASES_SEV_WARNING,
		json_pack("{s:I,s:s,s:s,s:s,s:o}", "case", (json_int_t)cid,
		    "case_shop", shop, "case_product_id", pid, "reason", reason,
		    "images", images),
		"%s/%s shares %s with %s/%s, whose case %lld is open for "
		"%s: the platform may delist it too; replace the shared "
		"images or attach your rights to them before it does",
		lv->shop, lv->product_id,
		json_array_size(images) == 1 ? "an image" : "images", shop, pid,
		(long long)cid, reason) == -1)
		return (-1);
	return (0);
}

/*
 * A case opened (or classified) for ip_infringement or unauthorized_media:
 * every other tracked listing sharing an image fingerprint with its
 * listing gets listing.linked_risk naming the case.
 */
int
lifecycle_linked_risk(const struct st_case *c, time_t now)
{
	struct st_image_match *m;
	struct st_case lv;
	size_t n, i, j;
	json_t *images;
	int rc = 0;

	if (!lifecycle_linked_reason(c->reason))
		return (0);
	if (store_image_matches(lifecycle_store(), c->listing_id, &m, &n) == -1)
		return (-1);
	for (i = 0; i < n && rc == 0; i = j) {
		images = json_array();
		for (j = i; j < n && m[j].listing_id == m[i].listing_id; j++)
			json_array_append_new(
			    images, json_string(m[j].fingerprint));
		if (!m[i].tracked) {
			json_decref(images);
			continue;
		}
		memset(&lv, 0, sizeof lv);
		lv.shop = m[i].shop;
		lv.product_id = m[i].product_id;
		rc = lifecycle_linked_event(&lv, m[i].listing_id, c->id,
		    c->shop, c->product_id, c->reason, images, now);
	}
	st_image_matches_free(m, n);
	return (rc);
}

/*
 * Image URLs to fingerprints, each once: fps[i] seen at urls[i]. Returns
 * the count, or -1 with *cause set.
 */
static int
lifecycle_fingerprints(const char *const *images, size_t n, char ***fps,
    const char ***urls, size_t *nfp, char **cause)
{
	char *fp, *why = NULL;
	size_t i, j;

	*fps = xcalloc(n + 1, sizeof **fps);
	*urls = xcalloc(n + 1, sizeof **urls);
	*nfp = 0;
	for (i = 0; i < n; i++) {
		if (fingerprint_image_url(images[i], &fp, &why) == -1) {
			if (why == NULL)
				fatalx("lifecycle: out of memory");
			xasprintf(cause, "images[%zu]: %s", i, why);
			free(why);
			return (-1);
		}
		for (j = 0; j < *nfp && strcmp((*fps)[j], fp) != 0; j++)
			;
		if (j < *nfp) {
			free(fp);
			continue;
		}
		(*fps)[*nfp] = fp;
		(*urls)[(*nfp)++] = images[i];
	}
	return (0);
}

static void
lifecycle_fingerprints_free(char **fps, const char **urls, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(fps[i]);
	free(fps);
	free(urls);
}

/*
 * What a listing was seen with, inside the caller's transaction: its image
 * fingerprints replace the stored ones (images NULL: not reported, keep
 * them). A listing seen with images, or with a title it did not have
 * (title_new), may be an evasion of a case opened before born (when it
 * was created; a listing seen for the first time now comes after every
 * case there is); a listing older than an open ip_infringement or
 * unauthorized_media case that shares an image with it gets
 * listing.linked_risk.
 */
static int
lifecycle_seen_with(const struct st_case *lv, int64_t listing_id, time_t born,
    const char *title, const char *const *images, size_t nimages, int title_new,
    time_t now, char **cause)
{
	struct st_image_match *m = NULL;
	char **fps = NULL;
	const char **urls = NULL;
	size_t nfp = 0, nm = 0, i, j;
	json_t *shared;
	int rc = -1;

	if (images != NULL) {
		if (lifecycle_fingerprints(
			images, nimages, &fps, &urls, &nfp, cause) == -1) {
			lifecycle_fingerprints_free(fps, urls, nfp);
			return (-2);
		}
		if (store_listing_images_set(lifecycle_store(), listing_id,
			(const char *const *)fps, urls, nfp, now) == -1)
			goto out;
	}
	if (store_image_matches(lifecycle_store(), listing_id, &m, &nm) == -1)
		goto out;
	if ((images != NULL || title_new) &&
	    lifecycle_evasion_check(lv, listing_id, born,
		title_new ? title : NULL, m, nm, now) == -1)
		goto out;
	/* A listing newer than the case: the evasion warning names it. */
	for (i = 0; i < nm; i = j) {
		shared = json_array();
		for (j = i; j < nm && m[j].listing_id == m[i].listing_id; j++)
			json_array_append_new(
			    shared, json_string(m[j].fingerprint));
		if (m[i].open_case == 0 ||
		    !lifecycle_linked_reason(m[i].reason) ||
		    m[i].opened_at < born) {
			json_decref(shared);
			continue;
		}
		if (lifecycle_linked_event(lv, listing_id, m[i].open_case,
			m[i].shop, m[i].product_id, m[i].reason, shared,
			now) == -1)
			goto out;
	}
	rc = 0;
out:
	st_image_matches_free(m, nm);
	lifecycle_fingerprints_free(fps, urls, nfp);
	return (rc);
}

int
lifecycle_track(const char *shop, const char *pid, const char *title,
    const char *const *images, size_t nimages, int64_t interval,
    const char *actor, int *created, struct lifecycle_err *err)
{
	char *cause = NULL;
	int rc;

	if (lifecycle_shop_begin(shop, err) == -1)
		return (-1);
	rc = lifecycle_seen(shop, pid, title, images, nimages, interval, actor,
	    created, &cause);
	if (rc == -2) {
		store_rollback(lifecycle_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_BAD_FIELD, "%s", cause);
		free(cause);
		return (-1);
	}
	if (rc == -1)
		return (lifecycle_store_fail(err));
	if (store_commit(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	lifecycle_published();
	if (*created)
		event_changed(
		    EVENT_CHANGE_LISTINGS); /* due at once, and one more to plan */
	return (0);
}

/*
 * Inside a transaction: tracks (shop, pid), sets its title and interval,
 * records listing.tracked if it was not tracked, and what it was seen
 * with (lifecycle_seen_with). -2 with *cause set for a bad image URL, -1 on a
 * store error.
 */
static int
lifecycle_seen(const char *shop, const char *pid, const char *title,
    const char *const *images, size_t nimages, int64_t interval,
    const char *actor, int *created, char **cause)
{
	struct st_listing l;
	struct st_case c, open;
	time_t now = clock_now(), born;
	int64_t shop_id, listing_id, open_case;
	int rc, title_new;

	if ((rc = store_listing_get(lifecycle_store(), shop, pid, &l)) == -1)
		return (-1);
	*created = rc == 1 || !l.tracked;
	born = rc == 1 ? now + 1 : l.created_at;
	/* A title first seen, or changed, is compared for evasion. */
	title_new = title != NULL &&
	    (rc == 1 || l.title == NULL || strcmp(l.title, title) != 0);
	open_case = rc == 0 ? l.open_case : 0;
	st_listing_clear(&l);
	if ((shop_id = store_shop_id(lifecycle_store(), shop, now)) == -1 ||
	    (listing_id = store_listing_track(
		 lifecycle_store(), shop_id, pid, title, interval, now)) == -1)
		return (-1);
	memset(&c, 0, sizeof c);
	c.shop = (char *)shop;
	c.product_id = (char *)pid;
	if (*created &&
	    lifecycle_event(&c, now, actor, CASES_EV_LISTING_TRACKED,
		CASES_SEV_INFO, NULL, "%s/%s is tracked", shop, pid) == -1)
		return (-1);
	if ((rc = lifecycle_seen_with(&c, listing_id, born, title, images,
		 nimages, title_new, now, cause)) != 0)
		return (rc);
	/* A new or changed title is scanned for what the platform forbids. */
	if (title_new &&
	    lifecycle_scan_seen(listing_id, shop, pid, title, actor, now) == -1)
		return (-1);
	/* Its own open case now reaches the listings of its new pictures. */
	if (open_case == 0 || images == NULL)
		return (0);
	if (store_case_get(lifecycle_store(), open_case, &open) != 0)
		return (-1);
	rc = lifecycle_linked_risk(&open, now);
	st_case_clear(&open);
	return (rc);
}

int
lifecycle_listing_observed(const char *shop, const char *pid, const char *title,
    const char *const *images, size_t nimages, char **cause)
{
	int created, rc;

	if (config_shop(lifecycle_config(), shop) == NULL) {
		xasprintf(cause, "unknown shop \"%s\"", shop);
		return (-1);
	}
	if (store_begin(lifecycle_store()) == -1) {
		*cause = xstrdup("the state database failed; see the log");
		return (-1);
	}
	rc = lifecycle_seen(
	    shop, pid, title, images, nimages, 0, "daemon", &created, cause);
	/* What the source saw, for the preflight's page_unchanged. */
	if (rc == 0 && title != NULL &&
	    store_listing_seen_title(
		lifecycle_store(), shop, pid, title, clock_now()) == -1)
		rc = -1;
	if (rc == -1)
		*cause = xstrdup("the state database failed; see the log");
	if (rc != 0 || store_commit(lifecycle_store()) == -1) {
		store_rollback(lifecycle_store());
		if (*cause == NULL)
			*cause =
			    xstrdup("the state database failed; see the log");
		return (-1);
	}
	lifecycle_published();
	return (0);
}

int
lifecycle_untrack(const char *shop, const char *pid, const char *actor,
    struct lifecycle_err *err)
{
	struct st_listing l;
	struct st_case c;
	time_t now = clock_now();
	int rc;

	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	if ((rc = store_listing_get(lifecycle_store(), shop, pid, &l)) == -1)
		return (lifecycle_store_fail(err));
	if (rc == 1 || !l.tracked) {
		st_listing_clear(&l);
		store_rollback(lifecycle_store());
		lifecycle_err_set(err, LIFECYCLE_ERR_NOT_FOUND,
		    "%s/%s is not tracked", shop, pid);
		return (-1);
	}
	memset(&c, 0, sizeof c);
	c.shop = (char *)shop;
	c.product_id = (char *)pid;
	if (store_listing_untrack(lifecycle_store(), l.id, now) == -1 ||
	    lifecycle_event(&c, now, actor, CASES_EV_LISTING_UNTRACKED,
		CASES_SEV_INFO, NULL, "%s/%s is no longer tracked%s", shop, pid,
		l.open_case ? " (its open case stays open)" : "") == -1) {
		st_listing_clear(&l);
		return (lifecycle_store_fail(err));
	}
	st_listing_clear(&l);
	if (store_commit(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	lifecycle_published();
	return (0);
}

/*
 * Tracks many listings at once, all or nothing (delistctl import). Rows
 * were checked by the caller; an unknown shop still refuses the lot.
 */
int
lifecycle_import(const struct lifecycle_import_row *rows, size_t n,
    const char *actor, size_t *created, struct lifecycle_err *err)
{
	char *cause = NULL;
	size_t i;
	int one;

	*created = 0;
	for (i = 0; i < n; i++) {
		if (lifecycle_shop_known(rows[i].shop, err) == -1)
			return (-1);
	}
	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	/* As delistctl track: an imported title is compared for evasion. */
	for (i = 0; i < n; i++) {
		if (lifecycle_seen(rows[i].shop, rows[i].product_id,
			rows[i].title, NULL, 0, 0, actor, &one, &cause) != 0) {
			free(cause);
			return (lifecycle_store_fail(err));
		}
		if (one)
			(*created)++;
	}
	if (lifecycle_commit(err) == -1)
		return (-1);
	event_changed(EVENT_CHANGE_LISTINGS);
	return (0);
}

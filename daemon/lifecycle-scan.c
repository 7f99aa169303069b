/* SPDX-License-Identifier: ISC */
/*
 * lifecycle-scan.c: the compliance scan of the catalogue. A listing's
 * title is checked against the preflight's term lists (banned terms, the
 * brands the shop holds no authorization for; core preflight.c matches)
 * whenever the seller or the source gives it a new or changed title, and
 * every tracked listing at once on request (delistctl scan, POST
 * /v1/scan). A finding raises listing.at_risk once per listing and finding
 * and is kept (listing_findings) until a later title no longer holds it,
 * which raises listing.at_risk_cleared. A scan reads the store only: it
 * never calls the platform.
 *
 * It must not call anything above it by name (event.c fans out).
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "delistd.h"
#include "cases.h"
#include "event.h"
#include "i18n.h"
#include "lifecycle.h"
#include "lifecycle-private.h"
#include "preflight.h"
#include "preflight-run.h"

/* The scan of one shop: the term lists with the shop's authorizations. */
struct lifecycle_scanner {
	struct preflight_config cfg;
	struct preflight_brand *brands;
	struct preflight_scan *scan;
};

static int
lifecycle_scanner_open(struct lifecycle_scanner *, const char *, time_t);
static void lifecycle_scanner_close(struct lifecycle_scanner *);
static int lifecycle_scan_one(const struct lifecycle_scanner *, int64_t,
    const char *, const char *, const char *, const char *, time_t,
    struct lifecycle_scan_counts *);
static int lifecycle_finding_in(
    const struct preflight_scan_hit *, int, const struct st_finding *);

/* The field a title's findings name. */
static const char lifecycle_field_title[] = "title";

static int
lifecycle_scanner_open(
    struct lifecycle_scanner *sc, const char *shop, time_t now)
{
	char *cause = NULL;

	memset(sc, 0, sizeof *sc);
	config_preflight(lifecycle_config(), &sc->cfg);
	if (preflight_run_brands(&sc->cfg, shop, now, &sc->brands) == -1)
		return (-1);
	if (sc->brands != NULL)
		sc->cfg.brands = sc->brands;
	if ((sc->scan = preflight_scan_new(&sc->cfg, &cause)) == NULL) {
		log_warnx("scan: %s", cause ? cause : "out of memory");
		free(cause);
		free(sc->brands);
		return (-1);
	}
	return (0);
}

static void
lifecycle_scanner_close(struct lifecycle_scanner *sc)
{
	preflight_scan_free(sc->scan);
	free(sc->brands);
	memset(sc, 0, sizeof *sc);
}

/* Whether the stored finding f is among hits h[0..n). */
static int
lifecycle_finding_in(
    const struct preflight_scan_hit *h, int n, const struct st_finding *f)
{
	int i;

	for (i = 0; i < n; i++) {
		if (strcmp(preflight_code_name(h[i].code), f->code) == 0 &&
		    strcmp(h[i].term, f->term) == 0 &&
		    strcmp(lifecycle_field_title, f->field) == 0)
			return (1);
	}
	return (0);
}

/*
 * Inside the caller's transaction: scans the title of a listing, raising
 * listing.at_risk for each finding it did not hold and
 * listing.at_risk_cleared for each it no longer holds. 0, or -1 on a
 * store error.
 */
static int
lifecycle_scan_one(const struct lifecycle_scanner *sc, int64_t listing_id,
    const char *shop, const char *pid, const char *title, const char *actor,
    time_t now, struct lifecycle_scan_counts *counts)
{
	struct preflight_scan_hit *h = NULL;
	struct st_finding *old = NULL, f;
	struct st_case c;
	size_t nold = 0, i;
	char *cause = NULL;
	json_t *data;
	int n, k, r, rc = -1;

	if ((n = preflight_scan_text(
		 sc->scan, title, lifecycle_field_title, &h, &cause)) == -1) {
		log_warnx("scan: %s", cause ? cause : "out of memory");
		free(cause);
		return (-1);
	}
	if (store_findings(lifecycle_store(), listing_id, NULL, &old, &nold) ==
	    -1)
		goto out;
	memset(&c, 0, sizeof c);
	c.shop = (char *)shop;
	c.product_id = (char *)pid;
	for (k = 0; k < n; k++) {
		memset(&f, 0, sizeof f);
		f.code = (char *)preflight_code_name(h[k].code);
		f.term = (char *)h[k].term;
		f.field = (char *)lifecycle_field_title;
		f.quote = h[k].quote;
		f.fix = h[k].fix;
		if ((r = store_finding_add(
			 lifecycle_store(), listing_id, &f, now)) == -1)
			goto out;
		if (r == 0)
			continue;
		data = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:s}", "code",
		    f.code, "term", f.term, "field", f.field, "quote", f.quote,
		    "offset", (json_int_t)h[k].offset, "fix", f.fix, "title",
		    title);
		if (lifecycle_event(&c, now, actor, CASES_EV_LISTING_AT_RISK,
			CASES_SEV_WARNING, data,
			"%s/%s is at risk: its %s holds \"%s\"; %s", shop, pid,
			f.field, f.quote, f.fix) == -1)
			goto out;
		if (counts != NULL)
			counts->raised++;
	}
	for (i = 0; i < nold; i++) {
		if (lifecycle_finding_in(h, n, &old[i]))
			continue;
		if (store_finding_del(lifecycle_store(), listing_id,
			old[i].code, old[i].term, old[i].field) == -1)
			goto out;
		data = json_pack("{s:s,s:s,s:s,s:s,s:o}", "code", old[i].code,
		    "term", old[i].term, "field", old[i].field, "quote",
		    old[i].quote, "title",
		    title != NULL ? json_string(title) : json_null());
		if (lifecycle_event(&c, now, actor,
			CASES_EV_LISTING_AT_RISK_CLEARED, CASES_SEV_INFO, data,
			"%s/%s is no longer at risk: its %s no longer "
			"holds \"%s\"",
			shop, pid, old[i].field, old[i].quote) == -1)
			goto out;
		if (counts != NULL)
			counts->cleared++;
	}
	if (counts != NULL) {
		counts->scanned++;
		if (n > 0)
			counts->at_risk++;
	}
	rc = 0;
out:
	st_findings_free(old, nold);
	free(h);
	return (rc);
}

/*
 * Inside the caller's transaction: a listing seen with a new or changed
 * title (tracked, imported, swept, checked) is scanned at once.
 */
int
lifecycle_scan_seen(int64_t listing_id, const char *shop, const char *pid,
    const char *title, const char *actor, time_t now)
{
	struct lifecycle_scanner sc;
	int rc;

	if (title == NULL)
		return (0);
	if (lifecycle_scanner_open(&sc, shop, now) == -1)
		return (-1);
	rc = lifecycle_scan_one(
	    &sc, listing_id, shop, pid, title, actor, now, NULL);
	lifecycle_scanner_close(&sc);
	return (rc);
}

/*
 * Scans every tracked listing of shop (NULL: of every configured shop) in
 * one transaction, counting what it did in *counts.
 */
int
lifecycle_scan(const char *shop, const char *actor,
    struct lifecycle_scan_counts *counts, struct lifecycle_err *err)
{
	const struct config *conf = lifecycle_config();
	struct lifecycle_scanner sc;
	struct st_listing *l = NULL;
	time_t now = clock_now();
	size_t i, j, n = 0;
	int rc = -1;

	memset(counts, 0, sizeof *counts);
	if (shop != NULL && lifecycle_shop_known(shop, err) == -1)
		return (-1);
	if (store_begin(lifecycle_store()) == -1)
		return (lifecycle_store_fail(err));
	for (j = 0; j < conf->nshops; j++) {
		const char *name = conf->shops[j].name;

		if (shop != NULL && strcmp(shop, name) != 0)
			continue;
		if (store_listings(lifecycle_store(), name, NULL, &l, &n) == -1)
			goto fail;
		if (lifecycle_scanner_open(&sc, name, now) == -1)
			goto fail;
		for (i = 0; i < n; i++) {
			if (l[i].title != NULL &&
			    lifecycle_scan_one(&sc, l[i].id, name,
				l[i].product_id, l[i].title, actor, now,
				counts) == -1)
				break;
		}
		lifecycle_scanner_close(&sc);
		if (i < n)
			goto fail;
		for (i = 0; i < n; i++)
			st_listing_clear(&l[i]);
		free(l);
		l = NULL;
		n = 0;
	}
	if (store_commit(lifecycle_store()) == -1)
		goto fail;
	lifecycle_published();
	return (0);
fail:
	for (i = 0; i < n; i++)
		st_listing_clear(&l[i]);
	free(l);
	rc = lifecycle_store_fail(err);
	return (rc);
}

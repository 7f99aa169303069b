/* SPDX-License-Identifier: ISC */
/*
 * preflight-run.h: one preflight of a case, its input loaded from the store
 * and its configuration from delistd.conf (preflight-run.c). Used by
 * POST /v1/cases/{id}/preflight (api-preflight.c) and by case appeal
 * (lifecycle.c), so that both judge the same things the same way.
 */

#ifndef PREFLIGHT_RUN_H
#define PREFLIGHT_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "preflight.h"

struct st_case;
struct st_appeal;
struct st_material;
struct json_t;

/* What a run owns; preflight_run_clear frees it all. */
struct preflight_run {
	struct preflight_input in;
	struct preflight_config cfg;
	struct preflight_findings *found;
	/* owned storage the input points into */
	struct st_event *ev;
	size_t nev;
	struct json_t *payloads;
	struct preflight_note *notes;
	struct preflight_appeal *pa;
	struct appeal_doc *adocs;
	struct preflight_doc *docs;
	char *title;
	char sha[65];
	struct st_document *vault; /* the case's and the listing's */
	size_t nvault;
	struct st_document *bymat; /* per material: its vault entry */
	int *inmat; /* per material: bymat[i] is set */
	size_t nmat;
	struct preflight_brand *brands; /* cfg's, with the vault's say */
	char *seen_title; /* the source's latest observation's title */
};

/*
 * Runs the preflight on case c (with its appeals ap[0..nap), as the store
 * has them) for an appeal with statement (NULL: skip the statement checks)
 * and materials mat[0..nmat), at now. title overrides the listing's stored
 * title (NULL: the stored one). Reads the case's notes from the trail and
 * the case's and shop's documents from the vault. Returns 0 with
 * pr->found set, or -1 with *cause set. Call preflight_run_clear after
 * either.
 */
int preflight_run(struct preflight_run *pr, const struct st_case *c,
    const struct st_appeal *ap, size_t nap, const char *statement,
    const struct st_material *mat, size_t nmat, const char *title, time_t now,
    char **cause);
void preflight_run_clear(struct preflight_run *);

/*
 * cfg's brands for shop at now, each authorized if cfg says so or the
 * vault holds a live brand_authorization naming it (*out malloc'd, NULL
 * when cfg has none). 0, or -1 if the vault could not be read.
 */
int preflight_run_brands(const struct preflight_config *cfg, const char *shop,
    time_t now, struct preflight_brand **out);

/*
 * The findings as the trail has them (appeal.submitted's data):
 * [{"code","severity"}]; api_findings_json adds what the API shows.
 */
struct json_t *preflight_run_json(const struct preflight_findings *);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * reason.h: reading the platform's rejection reason (reason.c): what the
 * next appeal must add, as demands each met by any one of its
 * alternatives, and whether a rectification note removed a brand.
 *
 * Pure: no I/O, no clock, no global state, no logging. The preflight
 * (preflight.c) asks here; the material kinds come from its configuration.
 *
 * How a reason is read:
 *   - it is cut into sentences (". ", "。", ";", "；", "!", "?", ":", a line
 *     break) and each sentence into phrases at the connectors: "or", "/",
 *     "或", "或者" join alternatives; "and", "&", "+", "as well as", "also",
 *     "和", "及", "以及", "与", "并", "同时", "、" join demands; a comma
 *     joins the way the next connector of its sentence does ("A, B or C" is
 *     one of three), else as "and";
 *   - in a phrase, the longest term wins and terms do not overlap
 *     ("trademark owner" is nobody's document, "trademark" is); of the
 *     kinds found, the most specific (struct preflight_kind specificity)
 *     and, among equals, the last (the head noun: "trademark authorization"
 *     asks for an authorization) is what the phrase asks for;
 *   - a phrase with a removal or change verb and an object of the fix
 *     table ("remove the logo", "删除品牌", "modify the title") asks for
 *     that rectification instead;
 *   - a phrase with words but no kind or fix is not understood: dropped,
 *     unless it is an explicit alternative ("A or something else"), which
 *     makes that demand open (anything might meet it).
 * Words match as in the rest of the preflight: ASCII letters without case,
 * full-width forms as ASCII, whole words (a plural "s"/"es" allowed on the
 * last word of a term), each CJK character a word.
 */

#ifndef REASON_H
#define REASON_H

#include <stddef.h>

#include "preflight.h"

/* Alternatives kept per demand; more are dropped. */
#define REASON_MAX_ALTS 8

/* A rectification a rejection can ask for, one row each in reason.c. */
enum reason_fix {
	REASON_FIX_BRAND, /* the brand or logo removed */
	REASON_FIX_WORDS, /* banned words removed */
	REASON_FIX_TITLE,
	REASON_FIX_IMAGE,
	REASON_FIX_DESCRIPTION,
	REASON_FIX_COUNT
};

/* One alternative: a kind of material, or a rectification. */
struct reason_alt {
	int kind; /* index in the kinds given; -1: a fix */
	enum reason_fix fix; /* when kind is -1 */
	const char *term; /* the keyword or fix object that matched */
	size_t start, end; /* its bytes in the reason */
};

/* One thing the next appeal must add: any one alternative meets it. */
struct reason_demand {
	struct reason_alt alts[REASON_MAX_ALTS];
	size_t nalts;
	int open; /* 1: an alternative was not understood */
};

/*
 * Reads text with the material kinds kinds[0..nkinds). Sets *out to a
 * malloc'd array of *n demands (NULL when none), in the order of the text,
 * each set of alternatives once. Returns 0, or -1 if memory ran out.
 */
int reason_read(const char *text, const struct preflight_kind *kinds,
    size_t nkinds, struct reason_demand **out, size_t *n);

/* "the brand removed", "a change to the title", ...; NULL if out of range. */
const char *reason_fix_describe(enum reason_fix);
/* The --field to suggest for a note: "title", "image", ... */
const char *reason_fix_field(enum reason_fix);

/*
 * Whether note removed a brand: it has a field naming the title, an image,
 * the video or the description, a before and an after, and either a brand
 * of brands[0..nbrands) is in before and not in after, or the note (its
 * text, field or before) speaks of a brand or logo and a word of before is
 * not in after. Returns 1 with what (size bytes) set to the brand or the
 * words removed, 0, or -1 if memory ran out. what may be NULL.
 */
int reason_note_removes_brand(const struct preflight_note *note,
    const struct preflight_brand *brands, size_t nbrands, char *what,
    size_t size);

/*
 * Whether note is the rectification fix asks for: the brand's removal
 * (reason_note_removes_brand), or a note whose field names the fix's part
 * of the listing. Returns 1, 0, or -1 if memory ran out.
 */
int reason_note_answers(enum reason_fix fix, const struct preflight_note *note,
    const struct preflight_brand *brands, size_t nbrands);

#endif /* REASON_H */

/* SPDX-License-Identifier: ISC */
/*
 * preflight.h: appeal preflight, what would get an appeal rejected, found
 * before the seller submits it (preflight.c).
 *
 * Pure: no I/O of its own (a calendar passed in reads the zone database),
 * no clock, no global state, no logging, never aborts. The caller loads the
 * case, its notes, earlier appeals, documents, the listing's title and the
 * statement under check into the input structs below, picks a configuration
 * (preflight_config_init for the defaults) and gets back a list of
 * findings. Hashes come in as hex strings: this module hashes nothing.
 * Times are UTC epoch seconds; "now" is an argument. Functions that can fail
 * return -1 or NULL and, where a person needs the reason, set *cause to a
 * malloc'd sentence the caller frees (cause may be NULL; *cause may be left
 * NULL if memory ran out).
 *
 * Text matching (template phrases, field words, rejection keywords, banned
 * terms, brand names) is done on normalized text: every character folded
 * (NFKC, case folding, marks stripped; full-width forms become ASCII), runs of
 * white space made one space, and no space kept next to a CJK character.
 * In statements, note fields and rejection reasons punctuation also becomes
 * a space ("I have rectified. Please unblock!" holds "I have rectified,
 * please unblock"), and field words and rejection keywords match their
 * plural too ("images", "certificates"). In titles punctuation is kept, so
 * "100%" and "No.1" mean what they say. A phrase that starts (ends) with an
 * ASCII letter or digit only matches where the text has no ASCII letter or
 * digit just before (after) it: "Apple" is not found in "Pineapple", "第一"
 * is found in "第一名". Every character is folded for matching (text.h
 * text_fold: NFKC, Unicode case folding, combining marks stripped), so
 * "𝐁𝐄𝐒𝐓", "ⓑⓔⓢⓣ", "Bést" and "ＢＥＳＴ" all hold "best".
 */

#ifndef PREFLIGHT_H
#define PREFLIGHT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cases.h"

struct calendar;

/* Size of the message and quote buffers of struct preflight_finding. */
#define PREFLIGHT_MESSAGE_MAX 512
#define PREFLIGHT_QUOTE_MAX 128

/* Defaults of struct preflight_config (domain.md "Rules with numbers"). */
#define PREFLIGHT_MIN_WORDS_DEFAULT 10
#define PREFLIGHT_SIMILARITY_DEFAULT 0.7
#define PREFLIGHT_SHINGLE_DEFAULT 2
#define PREFLIGHT_SHINGLE_MAX 8
#define PREFLIGHT_REVIEW_DAYS_DEFAULT 5
#define PREFLIGHT_MIN_SHORT_SIDE_DEFAULT 600
#define PREFLIGHT_MIN_LONG_SIDE_DEFAULT 800

/*
 * An error blocks "case appeal" unless --force; a warning does not. Ordered:
 * compare with < and >.
 */
enum preflight_severity {
	PREFLIGHT_WARNING,
	PREFLIGHT_ERROR,
	PREFLIGHT_SEV_COUNT
};

/* "warning", "error"; NULL if out of range. */
const char *preflight_severity_name(enum preflight_severity);

/*
 * Every finding, one row each in preflight.c. The name (the comment) is
 * stable and is what gets stored and sent; the enum values are not and must
 * never be persisted. Findings come out in this order, and within one code
 * in the order of the input they are about.
 */
enum preflight_code {
	/* statement (only when a statement is given) */
	PREFLIGHT_STATEMENT_NOT_UTF8, /* statement_not_utf8, error */
	PREFLIGHT_STATEMENT_TEMPLATE, /* statement_template, error */
	PREFLIGHT_STATEMENT_TOO_SHORT, /* statement_too_short, error */
	PREFLIGHT_STATEMENT_NO_FIELD, /* statement_no_field, error */
	PREFLIGHT_STATEMENT_SIMILAR, /* statement_similar, error */
	/* coverage */
	PREFLIGHT_CASE_UNCLASSIFIED, /* case_unclassified, error */
	PREFLIGHT_POINT_NOT_RECTIFIED, /* point_not_rectified, error */
	PREFLIGHT_DOCS_MISSING, /* docs_missing, error */
	/* documents (the attached ones) */
	PREFLIGHT_DOC_EXPIRED, /* doc_expired, error */
	PREFLIGHT_DOC_EXPIRES_IN_REVIEW, /* doc_expires_in_review, warning */
	PREFLIGHT_DOC_OTHER_PRODUCT, /* doc_other_product, error */
	PREFLIGHT_DOC_LOW_RESOLUTION, /* doc_low_resolution, error */
	PREFLIGHT_DOC_NAME, /* doc_name, warning */
	/* words (only when a title is given) */
	PREFLIGHT_TITLE_BANNED_TERM, /* title_banned_term, error */
	PREFLIGHT_TITLE_BRAND, /* title_brand_unauthorized, error */
	/* rejection follow-up */
	PREFLIGHT_REJECTION_UNANSWERED, /* rejection_unanswered, error */
	/* resubmission */
	PREFLIGHT_RESUBMISSION, /* resubmission, error */
	/* language (only when a statement is given) */
	PREFLIGHT_MACHINE_ENGLISH, /* machine_english, warning */
	/* page (only when the source reported a title) */
	PREFLIGHT_PAGE_UNCHANGED, /* page_unchanged, error or warning */
	/* path: the way an intellectual-property appeal goes */
	PREFLIGHT_IP_BRAND_REMOVED, /* ip_brand_removed, warning */
	PREFLIGHT_CODE_COUNT
};

/* "statement_template" etc.; NULL if out of range. */
const char *preflight_code_name(enum preflight_code);
/* The code called name, or -1. */
int preflight_code_from_name(const char *);
/*
 * The severity of a code (PREFLIGHT_ERROR if out of range): the most a
 * finding of it can have. page_unchanged is an error when the source saw
 * the page after the claim was written, a warning otherwise.
 */
enum preflight_severity preflight_code_severity(enum preflight_code);
/*
 * The group of a code: "statement", "coverage", "documents", "words",
 * "rejection", "resubmission", "language", "page" or "path"; NULL if out
 * of range.
 */
const char *preflight_code_group(enum preflight_code);
/* One line for people saying what the code means; NULL if out of range. */
const char *preflight_code_describe(enum preflight_code);

/* A brand name and whether the shop holds an authorization for it. */
struct preflight_brand {
	const char *name; /* as it would appear in a title: "Nike" */
	int authorized; /* 1: the shop has a brand_authorization document */
};

/*
 * A kind of material a rejection can ask for: when the platform's rejection
 * reason asks for it (reason.h says how a reason is read), the next appeal
 * must attach a document of one of the types that the rejected appeal did
 * not have.
 */
struct preflight_kind {
	const char *name; /* for messages: "certificate" */
	const char *const *keywords; /* "certificate", "证书", ... */
	size_t nkeywords;
	const char *const *types; /* cases_doc_type_valid names */
	size_t ntypes;
	const char *key; /* the configuration's name: "certificate"; NULL ok */
	/*
	 * Of the kinds one phrase of a reason names, only the most specific
	 * counts: "trademark registration certificate" is a trademark (2), not
	 * a certificate (0); "CE certificate" a CE one (1).
	 */
	int specificity;
};

/* Documents a case with this reason cannot be appealed without. */
struct preflight_need {
	enum case_reason reason;
	const char *const *types; /* any one of these, attached */
	size_t ntypes;
	const char *what; /* for messages: "a certificate for the market" */
	/*
	 * 1: a note recording the brand removed from the listing (see
	 * reason_note_removes_brand) takes the place of the documents, with
	 * the warning ip_brand_removed.
	 */
	int brand_removal;
};

/*
 * Every threshold and list, filled with the defaults by
 * preflight_config_init. The lists are borrowed, never freed: the defaults
 * point at static tables, a configuration loader points at its own. An
 * empty list (n = 0) turns its check off; so does min_words = 0.
 */
struct preflight_config {
	/* stock phrases of template statements, English and Chinese */
	const char *const *templates;
	size_t ntemplates;
	/* fewer words than this is too short; a CJK character counts one */
	size_t min_words;
	/* statement_similar at or above this Jaccard score: 0 < x <= 1 */
	double similarity;
	/* words per shingle, 1..PREFLIGHT_SHINGLE_MAX */
	int shingle;
	/* generic field words a statement may name: "title", "标题", ... */
	const char *const *field_words;
	size_t nfield_words;
	/* terms a title must not hold: "best quality", "No.1", "最好", ... */
	const char *const *banned;
	size_t nbanned;
	/* brand names, each with whether the shop is authorized (none) */
	const struct preflight_brand *brands;
	size_t nbrands;
	/* what a rejection reason can ask for */
	const struct preflight_kind *kinds;
	size_t nkinds;
	/* documents a reason needs */
	const struct preflight_need *needs;
	size_t nneeds;
	/* business days the review may take (0..CALENDAR_MAX_BUSINESS_DAYS) */
	int review_days;
	/*
	 * Smallest image, in pixels (domain.md: at least 600x800): an image
	 * passes when its shorter side is at least min_short_side and its
	 * longer side at least min_long_side, whichever way it is turned.
	 */
	int min_short_side;
	int min_long_side;
};

/*
 * Fills cfg with the defaults: the template phrases, field words, banned
 * terms, material kinds and needs below in preflight.c, no brands,
 * PREFLIGHT_*_DEFAULT for the numbers. The default needs are:
 * missing_certification: ce, fcc, ukca, saso or test_report;
 * ip_infringement: trademark or brand_authorization, or a note recording
 * the brand removed; tro: court_order or dismissal.
 */
void preflight_config_init(struct preflight_config *cfg);

/*
 * The default kinds of material (what preflight_config_init puts in
 * cfg->kinds), each with its key: certificate, test_report,
 * authorization, trademark, invoice, court_papers, ce, fcc, ukca, saso.
 * Sets *n.
 */
const struct preflight_kind *preflight_default_kinds(size_t *n);

/*
 * Checks cfg as preflight_check would: numbers in range, no NULL or empty
 * list entry, every document type valid, a need's reason in range. Returns
 * 0, or -1 with *cause set ("similarity must be more than 0 and at most 1,
 * not 1.5"). A configuration loader calls this before swapping.
 */
int preflight_config_check(const struct preflight_config *cfg, char **cause);

/* A violation point the platform cited (domain.md "Read the violation"). */
struct preflight_point {
	const char *id; /* the caller's label, e.g. "1"; may be NULL */
	const char *field; /* "title", "image 2"; may be NULL */
	const char *text; /* the platform's words, for messages; may be NULL */
};

/*
 * A rectification note. It answers a point when it names the point's id,
 * or when every word of the point's field is among its field's words
 * (field "main image" answers point field "image"; a plural counts). A
 * note on the title with a new value (after), or whose text quotes a new
 * title ("changed the title to 'LED strip'"), claims that title for
 * page_unchanged.
 */
struct preflight_note {
	const char *point; /* id of the point it answers; may be NULL */
	const char *field; /* what was changed; may be NULL */
	const char *text; /* may be NULL */
	time_t at; /* when it was written; 0: unknown */
	const char *before; /* the text before the change; may be NULL */
	const char *after; /* the text after it; may be NULL */
};

/* A document, attached to the appeal under check or only in the vault. */
struct preflight_doc {
	int64_t id; /* vault id, for messages; 0: unknown */
	const char *name; /* file name as uploaded; may be NULL */
	const char *type; /* a cases_doc_type_valid name */
	const char *sha256; /* hex; case ignored; NULL never matches */
	const char *shop; /* the shop it belongs to; NULL: any */
	const char *const *products; /* product ids it covers */
	size_t nproducts; /* 0: not product-specific */
	time_t expires; /* first instant it is no longer valid; 0: never */
	int width, height; /* measured pixels if an image; 0: not an image */
	int attached; /* 1: attached to the appeal under check */
	int detachable; /* 1: attached to the case from the vault (id set) */
};

/* An earlier appeal of the same case, in order. */
struct preflight_appeal {
	int n; /* 1, 2, ... within the case */
	enum appeal_decision decision;
	const char *statement; /* its text, for similarity; may be NULL */
	const char *statement_sha256; /* NULL never matches */
	const struct appeal_doc *docs; /* its materials (cases.h) */
	size_t ndocs;
	const char *rejection_reason; /* the platform's words; may be NULL */
	time_t submitted;
	time_t decided; /* 0: undecided */
};

/* Everything one check looks at. Arrays may be NULL when their n is 0. */
struct preflight_input {
	struct case_view c; /* id (for messages) and reason; state unused */
	const char *shop; /* the listing's shop; NULL: unknown */
	const char *product_id; /* the listing's product id; NULL: unknown */
	const char *title; /* the listing's current title; NULL: skip words */
	/* the statement under check (need not be NUL-terminated); NULL: skip */
	const char *statement;
	size_t statement_len; /* bytes */
	const char *statement_sha256; /* NULL: skip the resubmission check */
	const struct preflight_point *points;
	size_t npoints;
	const struct preflight_note *notes;
	size_t nnotes;
	const struct preflight_appeal *appeals;
	size_t nappeals;
	const struct preflight_doc *docs;
	size_t ndocs;
	time_t now; /* the submission time */
	/* business days for the review window; NULL: Monday to Friday, UTC */
	const struct calendar *cal;
	/*
	 * The title in the source's latest observation of the listing, and
	 * when it was made; NULL: the source reported none (page_unchanged
	 * is skipped).
	 */
	const char *seen_title;
	time_t seen_title_at;
};

/*
 * One finding. message says what is wrong and what to do. The data fields
 * are set where the code uses them, else left at item = -1, offset = -1,
 * quote "", and zeros:
 *   statement_not_utf8: offset (byte), quote (what is wrong: "overlong
 *     encoding", "surrogate", "truncated sequence", "unexpected
 *     continuation byte", "beyond U+10FFFF", "invalid byte", "NUL byte").
 *   statement_template: item (index in cfg->templates), offset (byte in the
 *     statement), quote (the phrase as configured).
 *   statement_too_short: value (words), limit (min_words).
 *   statement_no_field: nothing more.
 *   statement_similar: the most similar earlier statement (the latest of
 *     equals): item (index in appeals), value (that appeal's n), score
 *     (0..1; the message prints it as a whole percent, rounded down), limit
 *     (the threshold in whole percent).
 *   case_unclassified: nothing more.
 *   point_not_rectified: item (index in points), quote (its id or field).
 *   docs_missing: quote (the reason's name).
 *   doc_expired, doc_expires_in_review: item (index in docs), when (the
 *     expiry); doc_expires_in_review also limit (review_days).
 *   doc_other_product: item, quote (the product id or shop it lacks).
 *   doc_low_resolution: item, width, height (measured).
 *   doc_name: item, quote (the file name).
 *   title_banned_term, title_brand_unauthorized: item (index in
 *     cfg->banned / cfg->brands), offset (byte in the title), quote (the
 *     title's own words that matched).
 *   rejection_unanswered: one per demand of the reason (reason.h) that
 *     nothing since the rejected appeal meets: item (index in cfg->kinds
 *     of its first kind of material; -1 if it asks only for a
 *     rectification), value (the rejected appeal's n), quote (the first
 *     keyword or fix object found). A kind is met by an attached document
 *     of its types that the rejected appeal did not have; a rectification
 *     by a note that records it. Demands with an
 *     alternative the reader does not understand are not checked.
 *   resubmission: item (index in appeals), value (that appeal's n).
 *   machine_english: item (index in the pattern table), offset (byte in
 *     the statement), quote (the statement's own words).
 *   page_unchanged: item (index in notes, or -1 for the statement), quote
 *     (the title claimed), when (seen_title_at). An error when the source
 *     saw the page after the note was written (for the statement: after
 *     the latest note), a warning otherwise.
 *   ip_brand_removed: a reason's need with brand_removal is met by a note
 *     recording the brand removed, not by a document: item (index in
 *     notes), quote (the brand or the words removed).
 */
struct preflight_finding {
	enum preflight_code code;
	enum preflight_severity severity;
	const char *name; /* preflight_code_name(code) */
	char message[PREFLIGHT_MESSAGE_MAX];
	int item;
	long long offset;
	char quote[PREFLIGHT_QUOTE_MAX]; /* valid UTF-8, clipped with "..." */
	long long value;
	long long limit;
	double score;
	int width, height;
	time_t when;
};

/* The answer: findings v[0..n), and how many are errors and warnings. */
struct preflight_findings {
	struct preflight_finding *v;
	size_t n;
	size_t nerrors;
	size_t nwarnings;
	size_t size; /* allocated; private */
};

/*
 * Runs every check on in with cfg (NULL: the defaults). Returns the
 * findings (n may be 0), to be freed with preflight_findings_free, or NULL
 * with *cause set when cfg fails preflight_config_check, in->c.reason is
 * out of range, a time cannot be converted, or memory ran out. Calling it
 * twice with the same input gives the same findings in the same order.
 */
struct preflight_findings *preflight_check(const struct preflight_input *in,
    const struct preflight_config *cfg, char **cause);

/* Frees the list and every finding in it; NULL is allowed. */
void preflight_findings_free(struct preflight_findings *);

/*
 * Whether s[0..len) is valid UTF-8 text: no overlong encoding, surrogate
 * (U+D800..U+DFFF), code point beyond U+10FFFF, truncated sequence, stray
 * continuation byte, or NUL byte. Returns 0, or -1 with *off set to the
 * byte offset of the first bad sequence and *why to what is wrong (a static
 * string as listed under statement_not_utf8). off and why may be NULL.
 */
int
preflight_utf8_check(const char *s, size_t len, size_t *off, const char **why);

/*
 * Words in s[0..len) as statement_too_short counts them: runs of letters
 * and digits after normalization, plus one per CJK character. 0 if memory
 * ran out.
 */
size_t preflight_word_count(const char *s, size_t len);

/*
 * Jaccard similarity of the sets of shingle-word shingles of a and b
 * (1..PREFLIGHT_SHINGLE_MAX): |A and B| / |A or B|. Words are the
 * normalized words with punctuation stripped; inside a run of CJK
 * characters the words are the character bigrams ("删除了" gives "删除",
 * "除了"; a lone character is one word). A text with fewer words than
 * shingle is one shingle of all its words. Two texts without words score 0.
 * Returns 0 and sets *score, or -1 if shingle is out of range or memory ran
 * out.
 */
int
preflight_similarity(const char *a, const char *b, int shingle, double *score);

/*
 * The compliance scan of a catalogue (delistctl scan): the words checks
 * (banned terms, brands the shop is not authorized for) run on many texts
 * with the terms normalized once. A scan is built from a configuration
 * whose brands carry the shop's authorizations, and is read-only after:
 * preflight_scan_text may be called on it any number of times.
 */
struct preflight_scan;

/* One term found in a scanned text. */
struct preflight_scan_hit {
	enum preflight_code code; /* title_banned_term or _brand_unauthorized */
	int item; /* index in cfg->banned / cfg->brands */
	const char *term; /* the term as configured (borrowed from cfg) */
	long long offset; /* byte in the text */
	char quote[PREFLIGHT_QUOTE_MAX]; /* the text's own words that matched */
	char fix[PREFLIGHT_MESSAGE_MAX]; /* the rectification to make */
};

/*
 * A scan of cfg's banned terms and unauthorized brands (cfg must pass
 * preflight_config_check and outlive the scan). NULL with *cause set if
 * memory ran out.
 */
struct preflight_scan *
preflight_scan_new(const struct preflight_config *cfg, char **cause);
void preflight_scan_free(struct preflight_scan *);

/*
 * Scans text (a title, or an attribute's value), normalized as titles are
 * (see above: full-width forms and case do not hide a term), where naming
 * it in the rectification ("title", "attribute Brand"). Each term is found
 * at most once, and never where an earlier term of the list was found.
 * Returns the number of hits and sets *hits (malloc'd, NULL when there are
 * none), or -1 with *cause set if memory ran out.
 */
int preflight_scan_text(const struct preflight_scan *, const char *text,
    const char *where, struct preflight_scan_hit **hits, char **cause);

#endif /* PREFLIGHT_H */

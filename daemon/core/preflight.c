/* SPDX-License-Identifier: ISC */
/*
 * preflight.c: appeal preflight, the reasons appeals fail (domain.md "Why
 * appeals fail") checked before the seller submits.
 *
 * Every finding code is one row of pf_codes, with its name, group, severity
 * and description; every default list is a const table here. Each check is
 * one function, run in the order of the codes, so the findings come out in
 * code order and, within a code, in the order of the input. This file is
 * pure: it must not include SQLite, libevent, curl or socket headers, read
 * the clock or any file, log, keep global state, hash anything, or abort on
 * bad input. It allocates with plain malloc and returns errors; the one
 * object it hands out (struct preflight_findings) is freed with
 * preflight_findings_free.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, vasprintf, memmem; needs no config.h */
#endif

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <unistr.h>

#include "calendar.h"
#include "core.h"
#include "cases.h"
#include "docs.h"
#include "preflight.h"
#include "text.h"
#include "reason.h"
#include "i18n.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#define PF_DAY 86400
/* Bytes of user text quoted inside a message. */
#define PF_QUOTE 96
/* Product ids listed by name in doc_other_product. */
#define PF_LIST_PRODUCTS 3

struct pf_code_row {
	const char *name;
	const char *group;
	enum preflight_severity severity;
	const char *describe;
};

/* Normalized text, with where each of its bytes came from. */
struct pf_text {
	char *s; /* NUL-terminated */
	size_t len;
	size_t *from; /* per byte: offset of its source character */
	size_t *to; /* per byte: end of its source character */
};

/* A word of normalized text: a run of letters, or a CJK bigram. */
struct pf_word {
	const char *p;
	size_t len;
};

/* shingle consecutive words. */
struct pf_shingle {
	const struct pf_word *w;
	size_t n;
};

/* A byte range of normalized text already reported. */
struct pf_range {
	size_t start, end;
};

enum pf_class {
	PF_SEP, /* white space, controls, bad bytes */
	PF_PUNCT,
	PF_CJK,
	PF_LETTER /* everything else: letters, digits, other scripts */
};

/* Normalization modes of pf_norm. */
#define PF_STRIP 0 /* punctuation becomes a space */
#define PF_KEEP 1 /* punctuation stays */

/* One run of preflight_check. */
struct pf_ctx {
	const struct preflight_input *in;
	const struct preflight_config *cfg;
	struct preflight_findings *out;
	struct pf_text stmt; /* the statement, PF_STRIP */
	struct pf_text title; /* the title, PF_KEEP */
	char **cause;
};

static size_t
pf_decode(const unsigned char *, size_t, uint32_t *, const char **);
static size_t pf_encode(uint32_t, char *);
static enum pf_class pf_classify(uint32_t);
static int pf_is_cjk(uint32_t);
static int pf_isalnum(unsigned char);
static int pf_text_grow(struct pf_text *, size_t *, size_t);
static int pf_norm(const char *, size_t, int, struct pf_text *);
static void pf_text_free(struct pf_text *);
static int pf_find(const struct pf_text *, const struct pf_text *, size_t, int,
    size_t *, size_t *);
static int
pf_find_str(const struct pf_text *, const char *, int, int, size_t *, size_t *);
static int pf_find_fresh(const struct pf_text *, const char *, int,
    struct pf_range *, size_t *, size_t *, size_t *);
static int
pf_tokens(const char *, size_t, struct pf_word **, size_t *, size_t *);
static int pf_shingle_cmp(const void *, const void *);
static int pf_shingles(
    const struct pf_word *, size_t, int, struct pf_shingle **, size_t *);
static int
pf_similarity(const char *, size_t, const char *, size_t, int, double *);
static const char *pf_clip(char *, size_t, const char *, size_t);
static const char *pf_q(char *, size_t, const char *);
static void pf_trim_utf8(char *);
static struct preflight_finding *pf_add(struct pf_ctx *, enum preflight_code,
    const char *, ...) __attribute__((format(printf, 3, 4)));
static int pf_format_time(const struct pf_ctx *, time_t, char *, size_t);
static int pf_review_end(const struct pf_ctx *, time_t *);
static time_t pf_add_weekdays(time_t, int);
static int pf_hash_eq(const char *, const char *);
static int pf_type_in(const char *, const char *const *, size_t);
static void pf_join(char *, size_t, const char *const *, size_t, const char *);
static const char *
pf_doc_label(char *, size_t, const struct preflight_doc *, size_t);
static const char *pf_doc_lacks(
    const struct preflight_input *, const struct preflight_doc *, int *);
static void pf_vault_hint(
    const struct pf_ctx *, const char *const *, size_t, char *, size_t);
static int pf_name_ok(const char *, const char *, const char *);
static void pf_name_suggest(char *, size_t, const struct preflight_input *,
    const struct preflight_doc *);
static int pf_note_answers(
    const struct preflight_note *, const struct preflight_point *, int *);
static int pf_check_list(const char *const *, size_t, const char *, char **);
static int pf_check_types(const char *const *, size_t, const char *, char **);
static int pf_check_input(const struct preflight_input *, char **);
static int pf_statement_not_utf8(struct pf_ctx *);
static int pf_statement_template(struct pf_ctx *);
static int pf_statement_too_short(struct pf_ctx *);
static int pf_statement_no_field(struct pf_ctx *);
static int pf_statement_similar(struct pf_ctx *);
static int pf_case_unclassified(struct pf_ctx *);
static int pf_point_not_rectified(struct pf_ctx *);
static int pf_docs_missing(struct pf_ctx *);
static int pf_doc_expired(struct pf_ctx *);
static int pf_doc_expires_in_review(struct pf_ctx *);
static int pf_doc_other_product(struct pf_ctx *);
static int pf_doc_low_resolution(struct pf_ctx *);
static int pf_doc_name(struct pf_ctx *);
static int pf_title_words(struct pf_ctx *, enum preflight_code);
static int pf_title_banned_term(struct pf_ctx *);
static int pf_title_brand(struct pf_ctx *);
static int pf_rejection_unanswered(struct pf_ctx *);
static int pf_kind_added(const struct preflight_input *,
    const struct preflight_appeal *, const struct preflight_kind *);
static int pf_demand_met(struct pf_ctx *, const struct preflight_appeal *,
    const struct reason_demand *);
static int pf_demand_unmet(struct pf_ctx *, const struct preflight_appeal *,
    const struct reason_demand *);
static int
pf_attached_type(const struct preflight_input *, const char *const *, size_t);
static int pf_brand_removal_note(struct pf_ctx *, size_t *, char *, size_t);
static int pf_ip_brand_removed(struct pf_ctx *);
static int pf_resubmission(struct pf_ctx *);
static int pf_machine_english(struct pf_ctx *);
static size_t pf_claim(const char *, size_t, size_t, size_t *);
static int pf_claim_seen(
    struct pf_ctx *, const struct pf_text *, const char *, size_t, int, time_t);
static int pf_claims_check(
    struct pf_ctx *, const struct pf_text *, const char *, size_t, int, time_t);
static int pf_field_is_title(const char *);
static int pf_page_unchanged(struct pf_ctx *);

static const char *const pf_severity_names[] = {
	[PREFLIGHT_WARNING] = "warning",
	[PREFLIGHT_ERROR] = "error",
};
_Static_assert(
    nitems(pf_severity_names) == PREFLIGHT_SEV_COUNT, "one name per severity");

static const struct pf_code_row pf_codes[] = {
	[PREFLIGHT_STATEMENT_NOT_UTF8] = { "statement_not_utf8", "statement",
	    PREFLIGHT_ERROR, "the statement is not valid UTF-8 text" },
	[PREFLIGHT_STATEMENT_TEMPLATE] = { "statement_template", "statement",
	    PREFLIGHT_ERROR,
	    "the statement holds a stock phrase of template statements" },
	[PREFLIGHT_STATEMENT_TOO_SHORT] = { "statement_too_short", "statement",
	    PREFLIGHT_ERROR, "the statement is shorter than the minimum" },
	[PREFLIGHT_STATEMENT_NO_FIELD] = { "statement_no_field", "statement",
	    PREFLIGHT_ERROR,
	    "the statement names none of the fields that were changed" },
	[PREFLIGHT_STATEMENT_SIMILAR] = { "statement_similar", "statement",
	    PREFLIGHT_ERROR,
	    "the statement is a near-copy of an earlier appeal's" },
	[PREFLIGHT_CASE_UNCLASSIFIED] = { "case_unclassified", "coverage",
	    PREFLIGHT_ERROR, "the case has no delisting reason yet" },
	[PREFLIGHT_POINT_NOT_RECTIFIED] = { "point_not_rectified", "coverage",
	    PREFLIGHT_ERROR,
	    "a cited violation point has no rectification note" },
	[PREFLIGHT_DOCS_MISSING] = { "docs_missing", "coverage",
	    PREFLIGHT_ERROR,
	    "the case's reason needs a document that is not attached" },
	[PREFLIGHT_DOC_EXPIRED] = { "doc_expired", "documents", PREFLIGHT_ERROR,
	    "an attached document has expired" },
	[PREFLIGHT_DOC_EXPIRES_IN_REVIEW] = { "doc_expires_in_review",
	    "documents", PREFLIGHT_WARNING,
	    "an attached document expires before the review can end" },
	[PREFLIGHT_DOC_OTHER_PRODUCT] = { "doc_other_product", "documents",
	    PREFLIGHT_ERROR,
	    "an attached document is for another product or shop" },
	[PREFLIGHT_DOC_LOW_RESOLUTION] = { "doc_low_resolution", "documents",
	    PREFLIGHT_ERROR, "an attached image is below the resolution" },
	[PREFLIGHT_DOC_NAME] = { "doc_name", "documents", PREFLIGHT_WARNING,
	    "an attached file is not named "
	    "AE<product id>_<TYPE>_<description>.<pdf|jpg>" },
	[PREFLIGHT_TITLE_BANNED_TERM] = { "title_banned_term", "words",
	    PREFLIGHT_ERROR, "the listing's title still holds a banned term" },
	[PREFLIGHT_TITLE_BRAND] = { "title_brand_unauthorized", "words",
	    PREFLIGHT_ERROR,
	    "the title names a brand the shop is not authorized for" },
	[PREFLIGHT_REJECTION_UNANSWERED] = { "rejection_unanswered",
	    "rejection", PREFLIGHT_ERROR,
	    "the last rejection asked for a material that was not added" },
	[PREFLIGHT_RESUBMISSION] = { "resubmission", "resubmission",
	    PREFLIGHT_ERROR,
	    "the same statement and materials as an earlier appeal" },
	[PREFLIGHT_MACHINE_ENGLISH] = { "machine_english", "language",
	    PREFLIGHT_WARNING,
	    "the statement reads like machine-translated English" },
	[PREFLIGHT_PAGE_UNCHANGED] = { "page_unchanged", "page",
	    PREFLIGHT_ERROR,
	    "a claimed new title is not what the source saw on the page" },
	[PREFLIGHT_IP_BRAND_REMOVED] = { "ip_brand_removed", "path",
	    PREFLIGHT_WARNING,
	    "the appeal rests on the brand's removal, not on documents" },
};
_Static_assert(nitems(pf_codes) == PREFLIGHT_CODE_COUNT, "one row per code");

/* The checks, in code order. */
static int (*const pf_checks[])(struct pf_ctx *) = {
	pf_statement_not_utf8,
	pf_statement_template,
	pf_statement_too_short,
	pf_statement_no_field,
	pf_statement_similar,
	pf_case_unclassified,
	pf_point_not_rectified,
	pf_docs_missing,
	pf_doc_expired,
	pf_doc_expires_in_review,
	pf_doc_other_product,
	pf_doc_low_resolution,
	pf_doc_name,
	pf_title_banned_term,
	pf_title_brand,
	pf_rejection_unanswered,
	pf_resubmission,
	pf_machine_english,
	pf_page_unchanged,
	pf_ip_brand_removed,
};
_Static_assert(nitems(pf_checks) == PREFLIGHT_CODE_COUNT, "one check per code");

/*
 * Stock phrases of statements that get rejected automatically. Matched with
 * punctuation stripped; phrases that overlap in a statement count once.
 */
static const char *const pf_default_templates[] = {
	"I have rectified, please unblock",
	"please unblock my product",
	"please unblock my listing",
	"kindly unblock",
	"please reinstate my product",
	"please restore my product",
	"I am not copy",
	"no infringement",
	"all problems have been solved",
	"all problems have been fixed",
	"we have corrected everything",
	"please check again",
	"we have modified according to the rules",
	"已整改，请解封",
	"已修改，请解封",
	"请尽快解封",
	"请帮忙解封",
	"没有侵权",
	"不存在侵权",
	"已按要求整改",
	"所有问题已整改",
	"请重新审核",
};

/* Words that name a part of a listing; a plural counts. */
static const char *const pf_default_field_words[] = {
	"title",
	"image",
	"picture",
	"photo",
	"video",
	"description",
	"detail page",
	"attribute",
	"specification",
	"category",
	"brand",
	"logo",
	"watermark",
	"price",
	"sku",
	"certificate",
	"package",
	"label",
	"标题",
	"图片",
	"主图",
	"详情",
	"描述",
	"属性",
	"规格",
	"类目",
	"品牌",
	"商标",
	"水印",
	"视频",
	"价格",
	"证书",
	"资质",
	"包装",
	"标签",
};

/* Absolute claims (domain.md "prohibited_words"), matched in the title. */
static const char *const pf_default_banned[] = {
	"best quality",
	"best price",
	"the best",
	"top quality",
	"No.1",
	"number one",
	"#1",
	"100%",
	"cheapest",
	"world's best",
	"最好",
	"最佳",
	"最便宜",
	"最高级",
	"第一",
	"顶级",
	"国家级",
	"极品",
	"唯一",
	"首选",
	"绝对",
};

static const char *const pf_kw_certificate[] = { "certificate", "certification",
	"qualification", "证书", "认证", "资质" };
static const char *const pf_kw_test_report[] = { "test report",
	"testing report", "lab report", "检测报告", "测试报告", "检验报告",
	"inspection report", "质检报告" };
static const char *const pf_kw_authorization[] = { "authorization",
	"authorisation", "authorized", "license", "licence", "授权" };
static const char *const pf_kw_trademark[] = { "trademark", "商标" };
static const char *const pf_kw_invoice[] = { "invoice", "purchase proof",
	"receipt", "发票", "进货凭证", "proof of purchase", "采购凭证" };
static const char *const pf_kw_court[] = { "court order", "dismissal", "court",
	"法院", "撤诉", "撤案" };

static const char *const pf_types_cert[] = { "ce", "fcc", "ukca", "saso",
	"test_report" };
static const char *const pf_types_test_report[] = { "test_report" };
static const char *const pf_types_authorization[] = { "brand_authorization" };
static const char *const pf_types_trademark[] = { "trademark" };
static const char *const pf_types_ip[] = { "trademark", "brand_authorization" };
static const char *const pf_types_invoice[] = { "invoice" };
static const char *const pf_types_court[] = { "court_order", "dismissal" };
static const char *const pf_kw_ce[] = { "ce" };
static const char *const pf_kw_fcc[] = { "fcc" };
static const char *const pf_kw_ukca[] = { "ukca" };
static const char *const pf_kw_saso[] = { "saso", "saber" };
static const char *const pf_types_ce[] = { "ce" };
static const char *const pf_types_fcc[] = { "fcc" };
static const char *const pf_types_ukca[] = { "ukca" };
static const char *const pf_types_saso[] = { "saso" };

#define PF_LIST(a) (a), nitems(a)

static const struct preflight_kind pf_default_kinds[] = {
	{ "a certificate", PF_LIST(pf_kw_certificate), PF_LIST(pf_types_cert),
	    "certificate", 0 },
	{ "a test report", PF_LIST(pf_kw_test_report),
	    PF_LIST(pf_types_test_report), "test_report", 2 },
	{ "an authorization", PF_LIST(pf_kw_authorization),
	    PF_LIST(pf_types_authorization), "authorization", 2 },
	{ "a trademark registration", PF_LIST(pf_kw_trademark),
	    PF_LIST(pf_types_trademark), "trademark", 2 },
	{ "an invoice", PF_LIST(pf_kw_invoice), PF_LIST(pf_types_invoice),
	    "invoice", 2 },
	{ "court papers", PF_LIST(pf_kw_court), PF_LIST(pf_types_court),
	    "court_papers", 2 },
	{ "a CE certificate", PF_LIST(pf_kw_ce), PF_LIST(pf_types_ce), "ce",
	    1 },
	{ "an FCC certificate", PF_LIST(pf_kw_fcc), PF_LIST(pf_types_fcc),
	    "fcc", 1 },
	{ "a UKCA certificate", PF_LIST(pf_kw_ukca), PF_LIST(pf_types_ukca),
	    "ukca", 1 },
	{ "a SASO certificate", PF_LIST(pf_kw_saso), PF_LIST(pf_types_saso),
	    "saso", 1 },
};

static const struct preflight_need pf_default_needs[] = {
	{ CASE_REASON_MISSING_CERTIFICATION, PF_LIST(pf_types_cert),
	    "a certificate for the target market", 0 },
	{ CASE_REASON_IP_INFRINGEMENT, PF_LIST(pf_types_ip),
	    "a trademark registration or the brand owner's authorization "
	    "chain",
	    1 },
	{ CASE_REASON_TRO, PF_LIST(pf_types_court),
	    "court papers (a bare \"no infringement\" statement is always "
	    "rejected)",
	    0 },
};

/*
 * Machine-translated English (domain.md "Why appeals fail": "I am not
 * copy"), matched in the statement like the template phrases, each with
 * what to write instead. Add a row to catch another.
 */
static const struct {
	const char *pattern;
	const char *instead;
} pf_machine_english_patterns[] = {
	{ "i am not copy", "I confirm this product is not infringing" },
	{ "we are not copy", "we confirm this product is not a copy" },
	{ "we not copy", "we confirm this product is not a copy" },
	{ "is not copy", "is not a copy" },
	{ "not copy anything", "did not copy anything" },
	{ "we are not sell", "we do not sell" },
	{ "we not sell", "we do not sell" },
	{ "change title for you", "we changed the title" },
	{ "for you already", "we have already changed it" },
	{ "we already change", "we have already changed" },
	{ "we have change", "we have changed" },
	{ "we has", "we have" },
	{ "i has", "I have" },
	{ "we was", "we were" },
	{ "already delete", "already deleted" },
	{ "we have delete", "we have deleted" },
	{ "we have modify", "we have modified" },
	{ "please to check", "please check" },
	{ "is not fake product", "is a genuine product" },
};

/*
 * What introduces a claimed new title; the title itself follows in quotes
 * ("the new title is 'LED strip 5m'", "标题改为「LED灯带」"). Matched in
 * ASCII lower case.
 */
static const char *const pf_title_claims[] = {
	"new title",
	"title to",
	"title is now",
	"title now reads",
	"title now is",
	"title reads",
	"retitled",
	"renamed the listing to",
	"renamed it to",
	"新标题",
	"标题改为",
	"标题修改为",
	"标题更改为",
	"标题已改为",
	"标题现在是",
};

/* Quotes a claimed title may stand in: opening and closing, UTF-8. */
static const struct {
	const char *open, *close;
} pf_quotes[] = {
	{ "\"", "\"" }, { "'", "'" }, { "\u201c", "\u201d" }, /* “ ” */
	{ "\u2018", "\u2019" }, /* ‘ ’ */
	{ "\u300c", "\u300d" }, /* 「 」 */
	{ "\u300e", "\u300f" }, /* 『 』 */
	{ "\u300a", "\u300b" }, /* 《 》 */
	{ "\uff02", "\uff02" }, /* ＂ */
};

/* Words that may stand between a claim and its quote. */
static const char *const pf_claim_fillers[] = { "is", "now", "as", "to",
	"reads", "be", "：", ":", "-" };

const char *
preflight_severity_name(enum preflight_severity s)
{
	if ((unsigned)s >= PREFLIGHT_SEV_COUNT)
		return (NULL);
	return (pf_severity_names[s]);
}

const char *
preflight_code_name(enum preflight_code c)
{
	if ((unsigned)c >= PREFLIGHT_CODE_COUNT)
		return (NULL);
	return (pf_codes[c].name);
}

int
preflight_code_from_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return (-1);
	for (i = 0; i < nitems(pf_codes); i++) {
		if (strcmp(pf_codes[i].name, name) == 0)
			return ((int)i);
	}
	return (-1);
}

enum preflight_severity
preflight_code_severity(enum preflight_code c)
{
	if ((unsigned)c >= PREFLIGHT_CODE_COUNT)
		return (PREFLIGHT_ERROR);
	return (pf_codes[c].severity);
}

const char *
preflight_code_group(enum preflight_code c)
{
	if ((unsigned)c >= PREFLIGHT_CODE_COUNT)
		return (NULL);
	return (pf_codes[c].group);
}

const char *
preflight_code_describe(enum preflight_code c)
{
	if ((unsigned)c >= PREFLIGHT_CODE_COUNT)
		return (NULL);
	return (pf_codes[c].describe);
}

void
preflight_config_init(struct preflight_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->templates = pf_default_templates;
	cfg->ntemplates = nitems(pf_default_templates);
	cfg->min_words = PREFLIGHT_MIN_WORDS_DEFAULT;
	cfg->similarity = PREFLIGHT_SIMILARITY_DEFAULT;
	cfg->shingle = PREFLIGHT_SHINGLE_DEFAULT;
	cfg->field_words = pf_default_field_words;
	cfg->nfield_words = nitems(pf_default_field_words);
	cfg->banned = pf_default_banned;
	cfg->nbanned = nitems(pf_default_banned);
	cfg->brands = NULL;
	cfg->nbrands = 0;
	cfg->kinds = pf_default_kinds;
	cfg->nkinds = nitems(pf_default_kinds);
	cfg->needs = pf_default_needs;
	cfg->nneeds = nitems(pf_default_needs);
	cfg->review_days = PREFLIGHT_REVIEW_DAYS_DEFAULT;
	cfg->min_short_side = PREFLIGHT_MIN_SHORT_SIDE_DEFAULT;
	cfg->min_long_side = PREFLIGHT_MIN_LONG_SIDE_DEFAULT;
}

const struct preflight_kind *
preflight_default_kinds(size_t *n)
{
	*n = nitems(pf_default_kinds);
	return (pf_default_kinds);
}

static int
pf_check_list(const char *const *v, size_t n, const char *what, char **cause)
{
	size_t i;

	if (n > 0 && v == NULL) {
		cause_set(cause, "%s: %zu entries but no list", what, n);
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (v[i] == NULL || *v[i] == '\0') {
			cause_set(cause, "%s[%zu] is empty", what, i);
			return (-1);
		}
	}
	return (0);
}

static int
pf_check_types(const char *const *v, size_t n, const char *what, char **cause)
{
	size_t i;

	if (n == 0) {
		cause_set(cause, "%s: no document types", what);
		return (-1);
	}
	if (pf_check_list(v, n, what, cause) == -1)
		return (-1);
	for (i = 0; i < n; i++) {
		if (!cases_doc_type_valid(v[i])) {
			cause_set(cause,
			    "%s: unknown document type \"%s\" (one of %s)",
			    what, v[i], cases_doc_type_list());
			return (-1);
		}
	}
	return (0);
}

int
preflight_config_check(const struct preflight_config *cfg, char **cause)
{
	char what[64];
	size_t i;

	if (!(cfg->similarity > 0 && cfg->similarity <= 1)) {
		cause_set(cause,
		    "similarity must be more than 0 and at most 1, not %g",
		    cfg->similarity);
		return (-1);
	}
	if (cfg->shingle < 1 || cfg->shingle > PREFLIGHT_SHINGLE_MAX) {
		cause_set(cause, "shingle must be 1 to %d words, not %d",
		    PREFLIGHT_SHINGLE_MAX, cfg->shingle);
		return (-1);
	}
	if (cfg->review_days < 0 ||
	    cfg->review_days > CALENDAR_MAX_BUSINESS_DAYS) {
		cause_set(cause, "review_days must be 0 to %d, not %d",
		    CALENDAR_MAX_BUSINESS_DAYS, cfg->review_days);
		return (-1);
	}
	if (cfg->min_short_side < 0 || cfg->min_long_side < 0 ||
	    cfg->min_short_side > cfg->min_long_side) {
		cause_set(cause,
		    "the minimum image size must be short side <= long side, "
		    "both >= 0, not %dx%d",
		    cfg->min_short_side, cfg->min_long_side);
		return (-1);
	}
	if (pf_check_list(
		cfg->templates, cfg->ntemplates, "templates", cause) == -1 ||
	    pf_check_list(cfg->field_words, cfg->nfield_words, "field_words",
		cause) == -1 ||
	    pf_check_list(cfg->banned, cfg->nbanned, "banned", cause) == -1)
		return (-1);
	if (cfg->nbrands > 0 && cfg->brands == NULL) {
		cause_set(
		    cause, "brands: %zu entries but no list", cfg->nbrands);
		return (-1);
	}
	for (i = 0; i < cfg->nbrands; i++) {
		if (cfg->brands[i].name == NULL ||
		    *cfg->brands[i].name == '\0') {
			cause_set(cause, "brands[%zu] has no name", i);
			return (-1);
		}
	}
	if (cfg->nkinds > 0 && cfg->kinds == NULL) {
		cause_set(cause, "kinds: %zu entries but no list", cfg->nkinds);
		return (-1);
	}
	for (i = 0; i < cfg->nkinds; i++) {
		snprintf(what, sizeof what, "kinds[%zu]", i);
		if (cfg->kinds[i].name == NULL || *cfg->kinds[i].name == '\0') {
			cause_set(cause, "%s has no name", what);
			return (-1);
		}
		if (cfg->kinds[i].nkeywords == 0) {
			cause_set(cause, "%s (%s) has no keywords", what,
			    cfg->kinds[i].name);
			return (-1);
		}
		if (pf_check_list(cfg->kinds[i].keywords,
			cfg->kinds[i].nkeywords, what, cause) == -1 ||
		    pf_check_types(cfg->kinds[i].types, cfg->kinds[i].ntypes,
			what, cause) == -1)
			return (-1);
	}
	if (cfg->nneeds > 0 && cfg->needs == NULL) {
		cause_set(cause, "needs: %zu entries but no list", cfg->nneeds);
		return (-1);
	}
	for (i = 0; i < cfg->nneeds; i++) {
		snprintf(what, sizeof what, "needs[%zu]", i);
		if ((unsigned)cfg->needs[i].reason >= CASE_REASON_COUNT) {
			cause_set(cause, "%s: reason out of range", what);
			return (-1);
		}
		if (pf_check_types(cfg->needs[i].types, cfg->needs[i].ntypes,
			what, cause) == -1)
			return (-1);
	}
	return (0);
}

/* The one UTF-8 decoder (text.c). */
static size_t
pf_decode(const unsigned char *s, size_t len, uint32_t *cp, const char **why)
{
	return (text_decode(s, len, cp, why));
}

static size_t
pf_encode(uint32_t c, char *b)
{
	int n;

	/* c is a decoded or folded code point: always encodable. */
	if ((n = u8_uctomb((uint8_t *)b, c, 4)) <= 0) {
		b[0] = '?';
		return (1);
	}
	return ((size_t)n);
}

int
preflight_utf8_check(const char *s, size_t len, size_t *off, const char **why)
{
	return (text_utf8_check(s, len, off, why));
}

/* Han, kana, bopomofo, hangul and their extensions. */
static int
pf_is_cjk(uint32_t c)
{
	return ((c >= 0x2e80 && c <= 0x2fdf) || (c >= 0x3005 && c <= 0x3007) ||
	    (c >= 0x3040 && c <= 0x30fa) || (c >= 0x30fc && c <= 0x312f) ||
	    (c >= 0x3190 && c <= 0x31ff) || (c >= 0x3400 && c <= 0x4dbf) ||
	    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
	    (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3ffff));
}

static enum pf_class
pf_classify(uint32_t c)
{
	if (c < 0x80) {
		if (c <= 0x20 || c == 0x7f)
			return (PF_SEP);
		if (pf_isalnum((unsigned char)c))
			return (PF_LETTER);
		return (PF_PUNCT);
	}
	if (c <= 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200b) ||
	    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	    c == 0x3000 || c == 0xfeff || c == 0xfffd)
		return (PF_SEP);
	if (pf_is_cjk(c))
		return (PF_CJK);
	if ((c >= 0xa1 && c <= 0xbf) || c == 0xd7 || c == 0xf7 ||
	    (c >= 0x2010 && c <= 0x2bff) || (c >= 0x3001 && c <= 0x3004) ||
	    (c >= 0x3008 && c <= 0x303f) || c == 0x30fb ||
	    (c >= 0xfe10 && c <= 0xfe1f) || (c >= 0xfe30 && c <= 0xfe6f) ||
	    (c >= 0xff5f && c <= 0xff65) || (c >= 0xffe0 && c <= 0xffee) ||
	    (c >= 0x1f000 && c <= 0x1faff))
		return (PF_PUNCT);
	return (PF_LETTER);
}

static int
pf_isalnum(unsigned char c)
{
	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'));
}

/* Room for n more bytes in t->s, t->from and t->to. Returns 0 or -1. */
static int
pf_text_grow(struct pf_text *t, size_t *cap, size_t n)
{
	size_t want = t->len + n + 1, size;
	char *s;
	size_t *from, *to;

	if (want <= *cap)
		return (0);
	size = *cap * 2 > want ? *cap * 2 : want;
	if ((s = realloc(t->s, size)) == NULL)
		return (-1);
	t->s = s;
	if ((from = reallocarray(t->from, size, sizeof *from)) == NULL)
		return (-1);
	t->from = from;
	if ((to = reallocarray(t->to, size, sizeof *to)) == NULL)
		return (-1);
	t->to = to;
	*cap = size;
	return (0);
}

/*
 * Normalizes s[0..len) into t (see preflight.h): each character folded by
 * text_fold (NFKC, case folding, marks stripped), so that "𝐁𝐄𝐒𝐓", "ⓑⓔⓢⓣ",
 * "Bést" and "ＢＥＳＴ" all read "best". Bad bytes are separators. Every
 * byte of the result knows the source character it came from. Returns 0,
 * or -1 if memory ran out (t is then empty).
 */
static int
pf_norm(const char *s, size_t len, int mode, struct pf_text *t)
{
	const unsigned char *u = (const unsigned char *)s;
	enum pf_class cl;
	uint32_t c, fold[TEXT_FOLD_MAX];
	size_t i, j, n, k, f, nf, cap = len + 1, sep = 0;
	int pending = 0, cjk, last_cjk = 0;
	char b[4];

	memset(t, 0, sizeof *t);
	t->s = malloc(cap);
	t->from = calloc(cap, sizeof *t->from);
	t->to = calloc(cap, sizeof *t->to);
	if (t->s == NULL || t->from == NULL || t->to == NULL)
		goto nomem;
	for (i = 0; i < len; i += n) {
		if ((n = pf_decode(u + i, len - i, &c, NULL)) == 0) {
			n = 1;
			c = 0xfffd;
		}
		nf = text_fold(c, fold);
		for (f = 0; f < nf; f++) {
			c = fold[f];
			cl = pf_classify(c);
			if (cl == PF_SEP ||
			    (cl == PF_PUNCT && mode == PF_STRIP)) {
				if (!pending)
					sep = i;
				pending = 1;
				continue;
			}
			cjk = cl == PF_CJK;
			if (pf_text_grow(t, &cap, 5) == -1)
				goto nomem;
			if (pending && t->len > 0 && !cjk && !last_cjk) {
				t->s[t->len] = ' ';
				t->from[t->len] = t->to[t->len] = sep;
				t->len++;
			}
			pending = 0;
			k = pf_encode(c, b);
			for (j = 0; j < k; j++) {
				t->s[t->len] = b[j];
				t->from[t->len] = i;
				t->to[t->len] = i + n;
				t->len++;
			}
			last_cjk = cjk;
		}
	}
	t->s[t->len] = '\0';
	t->from[t->len] = t->to[t->len] = len;
	return (0);
nomem:
	pf_text_free(t);
	return (-1);
}

static void
pf_text_free(struct pf_text *t)
{
	free(t->s);
	free(t->from);
	free(t->to);
	memset(t, 0, sizeof *t);
}

/*
 * Finds needle in hay at or after byte from, on ASCII word boundaries (with
 * plural, an "s" or "es" may follow). Returns 1 and sets *start and *end
 * (end includes a plural ending), or 0.
 */
static int
pf_find(const struct pf_text *hay, const struct pf_text *needle, size_t from,
    int plural, size_t *start, size_t *end)
{
	const char *h = hay->s, *p;
	size_t n = needle->len, at, e;

	if (n == 0)
		return (0);
	while (from < hay->len &&
	    (p = memmem(h + from, hay->len - from, needle->s, n)) != NULL) {
		at = (size_t)(p - h);
		e = at + n;
		from = at + 1;
		if (pf_isalnum((unsigned char)needle->s[0]) && at > 0 &&
		    pf_isalnum((unsigned char)h[at - 1]))
			continue;
		if (pf_isalnum((unsigned char)needle->s[n - 1]) &&
		    e < hay->len && pf_isalnum((unsigned char)h[e])) {
			if (!plural)
				continue;
			if (h[e] == 's')
				e++;
			else if (h[e] == 'e' && h[e + 1] == 's')
				e += 2;
			else
				continue;
			if (e < hay->len && pf_isalnum((unsigned char)h[e]))
				continue;
		}
		*start = at;
		*end = e;
		return (1);
	}
	return (0);
}

/* pf_find with a needle given as text. Returns 1, 0, or -1 (memory). */
static int
pf_find_str(const struct pf_text *hay, const char *s, int mode, int plural,
    size_t *start, size_t *end)
{
	struct pf_text needle;
	int found;

	if (pf_norm(s, strlen(s), mode, &needle) == -1)
		return (-1);
	found = pf_find(hay, &needle, 0, plural, start, end);
	pf_text_free(&needle);
	return (found);
}

/*
 * The first match of s in hay that overlaps none of the ranges
 * used[0..*nused); it is added to them. Returns 1, 0, or -1 (memory).
 */
static int
pf_find_fresh(const struct pf_text *hay, const char *s, int mode,
    struct pf_range *used, size_t *nused, size_t *start, size_t *end)
{
	struct pf_text needle;
	size_t from = 0, i;
	int found;

	if (pf_norm(s, strlen(s), mode, &needle) == -1)
		return (-1);
	while ((found = pf_find(hay, &needle, from, 0, start, end)) == 1) {
		for (i = 0; i < *nused; i++) {
			if (*start < used[i].end && used[i].start < *end)
				break;
		}
		if (i == *nused)
			break;
		from = *start + 1;
	}
	pf_text_free(&needle);
	if (found) {
		used[*nused].start = *start;
		used[*nused].end = *end;
		(*nused)++;
	}
	return (found);
}

/*
 * Splits normalized text into words (runs of non-CJK characters, and the
 * bigrams of CJK runs, a lone CJK character being one word). With w, sets
 * *w (malloc'd) and *nw; with count, sets *count to the number of non-CJK
 * words plus CJK characters. Returns 0, or -1 if memory ran out.
 */
static int
pf_tokens(
    const char *s, size_t len, struct pf_word **w, size_t *nw, size_t *count)
{
	const unsigned char *u = (const unsigned char *)s;
	struct pf_word *v = NULL;
	size_t i, n, nv = 0, words = 0, latin = 0, prev = 0, prevlen = 0;
	size_t run = 0;
	int in_latin = 0, cjk;
	uint32_t c;

	if (w != NULL && (v = calloc(len + 1, sizeof *v)) == NULL)
		return (-1);
#define PF_WORD(start, l) \
	do { \
		if (v != NULL) { \
			v[nv].p = s + (start); \
			v[nv].len = (l); \
			nv++; \
		} \
	} while (0)
	for (i = 0; i <= len; i += n) {
		c = ' ';
		n = 1;
		if (i < len && (n = pf_decode(u + i, len - i, &c, NULL)) == 0)
			n = 1;
		cjk = i < len && pf_is_cjk(c);
		if (in_latin && (c == ' ' || cjk)) {
			PF_WORD(latin, i - latin);
			in_latin = 0;
			words++;
		}
		if (run > 0 && !cjk) {
			if (run == 1)
				PF_WORD(prev, prevlen);
			run = 0;
		}
		if (i == len)
			break;
		if (cjk) {
			if (run > 0)
				PF_WORD(prev, i + n - prev);
			prev = i;
			prevlen = n;
			run++;
			words++;
		} else if (c != ' ' && !in_latin) {
			in_latin = 1;
			latin = i;
		}
	}
#undef PF_WORD
	if (w != NULL) {
		*w = v;
		*nw = nv;
	}
	if (count != NULL)
		*count = words;
	return (0);
}

static int
pf_shingle_cmp(const void *a, const void *b)
{
	const struct pf_shingle *x = a, *y = b;
	size_t i, l;
	int d;

	for (i = 0; i < x->n && i < y->n; i++) {
		l = x->w[i].len < y->w[i].len ? x->w[i].len : y->w[i].len;
		if ((d = memcmp(x->w[i].p, y->w[i].p, l)) != 0)
			return (d);
		if (x->w[i].len != y->w[i].len)
			return (x->w[i].len < y->w[i].len ? -1 : 1);
	}
	if (x->n != y->n)
		return (x->n < y->n ? -1 : 1);
	return (0);
}

/* The sorted set of shingles of w[0..nw). Returns 0, or -1 (memory). */
static int
pf_shingles(const struct pf_word *w, size_t nw, int k, struct pf_shingle **out,
    size_t *nout)
{
	struct pf_shingle *v;
	size_t i, n, u;

	*out = NULL;
	*nout = 0;
	if (nw == 0)
		return (0);
	n = nw >= (size_t)k ? nw - (size_t)k + 1 : 1;
	if ((v = calloc(n, sizeof *v)) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		v[i].w = w + i;
		v[i].n = nw >= (size_t)k ? (size_t)k : nw;
	}
	qsort(v, n, sizeof *v, pf_shingle_cmp);
	for (i = 1, u = 1; i < n; i++) {
		if (pf_shingle_cmp(&v[i], &v[u - 1]) != 0)
			v[u++] = v[i];
	}
	*out = v;
	*nout = u;
	return (0);
}

static int
pf_similarity(const char *a, size_t alen, const char *b, size_t blen, int k,
    double *score)
{
	struct pf_text ta, tb;
	struct pf_word *wa = NULL, *wb = NULL;
	struct pf_shingle *sa = NULL, *sb = NULL;
	size_t nwa = 0, nwb = 0, na = 0, nb = 0, i = 0, j = 0, both = 0;
	int d, rc = -1;

	memset(&ta, 0, sizeof ta);
	memset(&tb, 0, sizeof tb);
	if (k < 1 || k > PREFLIGHT_SHINGLE_MAX)
		return (-1);
	if (pf_norm(a, alen, PF_STRIP, &ta) == -1 ||
	    pf_norm(b, blen, PF_STRIP, &tb) == -1 ||
	    pf_tokens(ta.s, ta.len, &wa, &nwa, NULL) == -1 ||
	    pf_tokens(tb.s, tb.len, &wb, &nwb, NULL) == -1 ||
	    pf_shingles(wa, nwa, k, &sa, &na) == -1 ||
	    pf_shingles(wb, nwb, k, &sb, &nb) == -1)
		goto out;
	while (i < na && j < nb) {
		d = pf_shingle_cmp(&sa[i], &sb[j]);
		if (d == 0) {
			both++;
			i++;
			j++;
		} else if (d < 0)
			i++;
		else
			j++;
	}
	*score = na + nb == 0 ? 0 : (double)both / (double)(na + nb - both);
	rc = 0;
out:
	free(sa);
	free(sb);
	free(wa);
	free(wb);
	pf_text_free(&ta);
	pf_text_free(&tb);
	return (rc);
}

int
preflight_similarity(const char *a, const char *b, int shingle, double *score)
{
	return (pf_similarity(a, strlen(a), b, strlen(b), shingle, score));
}

size_t
preflight_word_count(const char *s, size_t len)
{
	struct pf_text t;
	size_t n = 0;

	if (pf_norm(s, len, PF_STRIP, &t) == -1)
		return (0);
	if (pf_tokens(t.s, t.len, NULL, NULL, &n) == -1)
		n = 0;
	pf_text_free(&t);
	return (n);
}

/*
 * Copies s[0..len) into buf as printable UTF-8 (bad bytes become "?",
 * control characters a space), cut at a character boundary with "..." if
 * it does not fit. Returns buf.
 */
static const char *
pf_clip(char *buf, size_t size, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, n, o = 0, room;
	uint32_t c;

	if (size < 4) {
		if (size > 0)
			buf[0] = '\0';
		return (buf);
	}
	room = len < size ? size - 1 : size - 4;
	for (i = 0; i < len; i += n) {
		if ((n = pf_decode(u + i, len - i, &c, NULL)) == 0) {
			n = 1;
			c = '?';
		} else if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (o + (c < 0x80 ? 1 : n) > room)
			break;
		if (c < 0x80)
			buf[o++] = (char)c;
		else {
			memcpy(buf + o, s + i, n);
			o += n;
		}
	}
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return (buf);
}

/* pf_clip of a C string; NULL gives "". */
static const char *
pf_q(char *buf, size_t size, const char *s)
{
	if (s == NULL)
		s = "";
	return (pf_clip(buf, size, s, strlen(s)));
}

/* Cuts a string snprintf truncated back to a character boundary. */
static void
pf_trim_utf8(char *s)
{
	size_t off;

	if (preflight_utf8_check(s, strlen(s), &off, NULL) == -1)
		s[off] = '\0';
}

static struct preflight_finding *
pf_add(struct pf_ctx *ctx, enum preflight_code code, const char *fmt, ...)
{
	struct preflight_findings *out = ctx->out;
	struct preflight_finding *f, *v;
	size_t size;
	va_list ap;

	if (out->n == out->size) {
		size = out->size == 0 ? 8 : out->size * 2;
		if ((v = reallocarray(out->v, size, sizeof *v)) == NULL) {
			cause_set(ctx->cause, "out of memory");
			return (NULL);
		}
		out->v = v;
		out->size = size;
	}
	f = &out->v[out->n++];
	memset(f, 0, sizeof *f);
	f->code = code;
	f->severity = pf_codes[code].severity;
	f->name = pf_codes[code].name;
	f->item = -1;
	f->offset = -1;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof f->message, fmt, ap);
	va_end(ap);
	pf_trim_utf8(f->message);
	if (f->severity == PREFLIGHT_ERROR)
		out->nerrors++;
	else
		out->nwarnings++;
	return (f);
}

static int
pf_format_time(const struct pf_ctx *ctx, time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (ctx->in->cal != NULL)
		return (calendar_format_local(ctx->in->cal, t, buf, len));
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return (-1);
	return (0);
}

/*
 * n business days after t, Monday to Friday in UTC, with the window rules
 * of calendar_add_business_days.
 */
static time_t
pf_add_weekdays(time_t t, int n)
{
	long long day, sec;

	day = (long long)t / PF_DAY;
	sec = (long long)t % PF_DAY;
	if (sec < 0) {
		sec += PF_DAY;
		day--;
	}
	/* 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays. */
#define PF_WEEKEND(d) ((((d) + 3) % 7 + 7) % 7 >= 5)
	if (PF_WEEKEND(day)) {
		while (PF_WEEKEND(day))
			day++;
		sec = 0;
	}
	while (n > 0) {
		day++;
		if (!PF_WEEKEND(day))
			n--;
	}
#undef PF_WEEKEND
	return ((time_t)(day * PF_DAY + sec));
}

static int
pf_review_end(const struct pf_ctx *ctx, time_t *end)
{
	const struct preflight_input *in = ctx->in;

	if (in->cal == NULL) {
		if (in->now < -((time_t)1 << 40) || in->now > ((time_t)1 << 40))
			goto bad;
		*end = pf_add_weekdays(in->now, ctx->cfg->review_days);
		return (0);
	}
	*end =
	    calendar_add_business_days(in->cal, in->now, ctx->cfg->review_days);
	if (*end != (time_t)-1)
		return (0);
bad:
	cause_set(ctx->cause, "the submission time %lld cannot be converted",
	    (long long)in->now);
	return (-1);
}

static int
pf_hash_eq(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcasecmp(a, b) == 0);
}

static int
pf_type_in(const char *type, const char *const *types, size_t n)
{
	size_t i;

	if (type == NULL)
		return (0);
	for (i = 0; i < n; i++) {
		if (strcmp(type, types[i]) == 0)
			return (1);
	}
	return (0);
}

/* "a, b or c" into buf. */
static void
pf_join(char *buf, size_t len, const char *const *v, size_t n, const char *last)
{
	size_t i, o = 0;
	int r;

	buf[0] = '\0';
	for (i = 0; i < n && o < len; i++) {
		r = snprintf(buf + o, len - o, "%s%s",
		    i == 0 ? "" : (i + 1 == n ? last : ", "), v[i]);
		if (r < 0)
			break;
		o += (size_t)r;
	}
	pf_trim_utf8(buf);
}

/* "\"AE1_CE_x.pdf\" (ce)", or "document #12 (ce)", or "document 3 (ce)". */
static const char *
pf_doc_label(char *buf, size_t len, const struct preflight_doc *d, size_t i)
{
	char q[PF_QUOTE];

	if (d->name != NULL && *d->name != '\0')
		snprintf(buf, len, "\"%s\" (%s)", pf_q(q, sizeof q, d->name),
		    d->type != NULL ? d->type : "no type");
	else if (d->id > 0)
		snprintf(buf, len, "document #%lld (%s)", (long long)d->id,
		    d->type != NULL ? d->type : "no type");
	else
		snprintf(buf, len, "document %zu (%s)", i + 1,
		    d->type != NULL ? d->type : "no type");
	pf_trim_utf8(buf);
	return (buf);
}

/*
 * NULL if d covers the listing; else the shop (*shop = 1) or the product id
 * (*shop = 0) it lacks.
 */
static const char *
pf_doc_lacks(
    const struct preflight_input *in, const struct preflight_doc *d, int *shop)
{
	size_t i;

	*shop = 0;
	if (d->shop != NULL && in->shop != NULL &&
	    strcmp(d->shop, in->shop) != 0) {
		*shop = 1;
		return (in->shop);
	}
	if (d->nproducts == 0 || in->product_id == NULL)
		return (NULL);
	for (i = 0; i < d->nproducts; i++) {
		if (d->products[i] != NULL &&
		    strcmp(d->products[i], in->product_id) == 0)
			return (NULL);
	}
	return (in->product_id);
}

/* "; the vault has one: delistctl case doc 7 12" when it has. */
static void
pf_vault_hint(const struct pf_ctx *ctx, const char *const *types, size_t ntypes,
    char *buf, size_t len)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_doc *d;
	char label[PF_QUOTE + 32];
	size_t i;
	int shop;

	buf[0] = '\0';
	for (i = 0; i < in->ndocs; i++) {
		d = &in->docs[i];
		if (d->attached || !pf_type_in(d->type, types, ntypes) ||
		    (d->expires != 0 && d->expires <= in->now) ||
		    pf_doc_lacks(in, d, &shop) != NULL)
			continue;
		if (d->id > 0 && in->c.id > 0)
			snprintf(buf, len,
			    "; the vault has one: delistctl case doc %lld %lld",
			    (long long)in->c.id, (long long)d->id);
		else
			snprintf(buf, len, "; the vault has one: %s",
			    pf_doc_label(label, sizeof label, d, i));
		pf_trim_utf8(buf);
		return;
	}
}

/*
 * Whether a file name follows AE<product id>_<TYPE>_<description>.<pdf|jpg>
 * as docs.c's one table has it (what --rename writes passes). A NULL pid
 * or type accepts any.
 */
static int
pf_name_ok(const char *name, const char *pid, const char *type)
{
	return (docs_name_check(name, pid, type, NULL) == DOCS_NAME_OK);
}

/* A conventional name for d: AE1005001234567890_CE_Certificate.pdf. */
static void
pf_name_suggest(char *buf, size_t len, const struct preflight_input *in,
    const struct preflight_doc *d)
{
	const struct docs_type *row = docs_type_find(d->type);
	const char *word = row != NULL ? row->word : "Document", *ext;
	const char *dot = NULL;
	char type[32];
	size_t i;

	/* The TYPE as --rename writes it: upper case, "_" made "-". */
	if (d->type != NULL && *d->type != '\0' &&
	    strlen(d->type) < sizeof type) {
		for (i = 0; d->type[i] != '\0'; i++) {
			type[i] = d->type[i];
			if (type[i] >= 'a' && type[i] <= 'z')
				type[i] -= 'a' - 'A';
			else if (type[i] == '_')
				type[i] = '-';
		}
		type[i] = '\0';
	} else
		snprintf(type, sizeof type, "<TYPE>");
	if (d->name != NULL)
		dot = strrchr(d->name, '.');
	if (dot != NULL && strcasecmp(dot, ".pdf") == 0)
		ext = "pdf";
	else if (dot != NULL &&
	    (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0))
		ext = "jpg";
	else if (dot != NULL && strcasecmp(dot, ".png") == 0 && row != NULL &&
	    row->png)
		ext = "png";
	else
		ext = d->width > 0 || d->height > 0 ? "jpg" : "pdf";
	snprintf(buf, len, "AE%s_%s_%s.%s",
	    in->product_id != NULL ? in->product_id : "<product id>", type,
	    word, ext);
	pf_trim_utf8(buf);
}

/*
 * Whether note answers point: by id, or every word of the point's field is
 * a word of the note's field. Returns 1, 0, or -1 (memory).
 */
static int
pf_note_answers(const struct preflight_note *note,
    const struct preflight_point *pt, int *err)
{
	struct pf_text nf, pf;
	size_t i = 0, j, s, e;
	int ok = 1, r;

	*err = 0;
	if (pt->id != NULL && note->point != NULL &&
	    strcmp(pt->id, note->point) == 0)
		return (1);
	if (pt->field == NULL || note->field == NULL)
		return (0);
	if (pf_norm(note->field, strlen(note->field), PF_STRIP, &nf) == -1) {
		*err = 1;
		return (0);
	}
	if (pf_norm(pt->field, strlen(pt->field), PF_STRIP, &pf) == -1) {
		pf_text_free(&nf);
		*err = 1;
		return (0);
	}
	if (pf.len == 0)
		ok = 0;
	/* Each space-separated word of the point's field must be found. */
	while (ok && i < pf.len) {
		for (j = i; j < pf.len && pf.s[j] != ' '; j++)
			;
		pf.s[j] = '\0';
		r = pf_find_str(&nf, pf.s + i, PF_STRIP, 1, &s, &e);
		if (r == -1) {
			*err = 1;
			ok = 0;
		} else if (r == 0)
			ok = 0;
		i = j + 1;
	}
	pf_text_free(&nf);
	pf_text_free(&pf);
	return (ok);
}

static int
pf_statement_not_utf8(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	struct preflight_finding *f;
	const char *why = NULL;
	size_t off;

	if (in->statement == NULL ||
	    preflight_utf8_check(
		in->statement, in->statement_len, &off, &why) == 0)
		return (0);
	if ((f = pf_add(ctx, PREFLIGHT_STATEMENT_NOT_UTF8,
		 "the statement is not valid UTF-8 text (%s at byte offset "
		 "%zu); "
		 "save it as UTF-8 and check again",
		 why, off)) == NULL)
		return (-1);
	f->offset = (long long)off;
	snprintf(f->quote, sizeof f->quote, "%s", why);
	return (0);
}

static int
pf_statement_template(struct pf_ctx *ctx)
{
	const struct preflight_config *cfg = ctx->cfg;
	struct preflight_finding *f;
	struct pf_range *used;
	size_t i, nused = 0, s, e;
	char q[PF_QUOTE];
	int r, rc = -1;

	if (ctx->in->statement == NULL || cfg->ntemplates == 0)
		return (0);
	if ((used = calloc(cfg->ntemplates, sizeof *used)) == NULL) {
		cause_set(ctx->cause, "out of memory");
		return (-1);
	}
	for (i = 0; i < cfg->ntemplates; i++) {
		r = pf_find_fresh(&ctx->stmt, cfg->templates[i], PF_STRIP, used,
		    &nused, &s, &e);
		if (r == -1) {
			cause_set(ctx->cause, "out of memory");
			goto out;
		}
		if (r == 0)
			continue;
		if ((f = pf_add(ctx, PREFLIGHT_STATEMENT_TEMPLATE,
			 "the statement holds the stock phrase \"%s\", which "
			 "gets appeals rejected automatically; replace it "
			 "with what was changed and where",
			 pf_q(q, sizeof q, cfg->templates[i]))) == NULL)
			goto out;
		f->item = (int)i;
		f->offset = (long long)ctx->stmt.from[s];
		pf_q(f->quote, sizeof f->quote, cfg->templates[i]);
	}
	rc = 0;
out:
	free(used);
	return (rc);
}

static int
pf_statement_too_short(struct pf_ctx *ctx)
{
	struct preflight_finding *f;
	size_t words;

	if (ctx->in->statement == NULL || ctx->cfg->min_words == 0)
		return (0);
	if (pf_tokens(ctx->stmt.s, ctx->stmt.len, NULL, NULL, &words) == -1) {
		cause_set(ctx->cause, "out of memory");
		return (-1);
	}
	if (words >= ctx->cfg->min_words)
		return (0);
	if ((f = pf_add(ctx, PREFLIGHT_STATEMENT_TOO_SHORT,
		 "the statement has %zu words, fewer than %zu (a Chinese "
		 "character counts as one); say what was changed, where, "
		 "and what is attached",
		 words, ctx->cfg->min_words)) == NULL)
		return (-1);
	f->value = (long long)words;
	f->limit = (long long)ctx->cfg->min_words;
	return (0);
}

static int
pf_statement_no_field(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_config *cfg = ctx->cfg;
	struct preflight_finding *f;
	const char *fields[4];
	char list[256], q[4][48];
	size_t i, j, nfields = 0, tried = 0, s, e;
	int r;

	if (in->statement == NULL)
		return (0);
	for (i = 0; i < in->nnotes + cfg->nfield_words; i++) {
		if (i < in->nnotes) {
			if (in->notes[i].field == NULL ||
			    *in->notes[i].field == '\0')
				continue;
			tried++;
			r = pf_find_str(&ctx->stmt, in->notes[i].field,
			    PF_STRIP, 1, &s, &e);
		} else {
			tried++;
			r = pf_find_str(&ctx->stmt,
			    cfg->field_words[i - in->nnotes], PF_STRIP, 1, &s,
			    &e);
		}
		if (r == -1) {
			cause_set(ctx->cause, "out of memory");
			return (-1);
		}
		if (r == 1)
			return (0);
	}
	if (tried == 0)
		return (0);
	/* Name up to four fields of the notes, each once. */
	for (i = 0; i < in->nnotes && nfields < nitems(fields); i++) {
		if (in->notes[i].field == NULL || *in->notes[i].field == '\0')
			continue;
		for (j = 0; j < nfields; j++) {
			if (strcmp(fields[j], in->notes[i].field) == 0)
				break;
		}
		if (j == nfields) {
			fields[nfields] = pf_q(
			    q[nfields], sizeof q[nfields], in->notes[i].field);
			nfields++;
		}
	}
	if (nfields > 0) {
		pf_join(list, sizeof list, fields, nfields, " and ");
		f = pf_add(ctx, PREFLIGHT_STATEMENT_NO_FIELD,
		    "the statement does not name what was changed (the notes "
		    "say: %s); say what was changed and where, e.g. \"removed "
		    "'best quality' from the title\"",
		    list);
	} else
		f = pf_add(ctx, PREFLIGHT_STATEMENT_NO_FIELD,
		    "the statement names no field of the listing (title, "
		    "image, description, ...); say what was changed and where, "
		    "e.g. \"removed 'best quality' from the title\"");
	return (f == NULL ? -1 : 0);
}

static int
pf_statement_similar(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	struct preflight_finding *f;
	const struct preflight_appeal *a;
	double score, best = -1;
	size_t i, at = 0;
	int pct, lim;

	if (in->statement == NULL)
		return (0);
	for (i = 0; i < in->nappeals; i++) {
		a = &in->appeals[i];
		if (a->statement == NULL)
			continue;
		if (pf_similarity(in->statement, in->statement_len,
			a->statement, strlen(a->statement), ctx->cfg->shingle,
			&score) == -1) {
			cause_set(ctx->cause, "out of memory");
			return (-1);
		}
		if (score >= best) {
			best = score;
			at = i;
		}
	}
	if (best < ctx->cfg->similarity)
		return (0);
	pct = (int)(best * 100 + 1e-9);
	lim = (int)(ctx->cfg->similarity * 100 + 0.5);
	a = &in->appeals[at];
	if ((f = pf_add(ctx, PREFLIGHT_STATEMENT_SIMILAR,
		 "the statement is %d%% similar to appeal %d's (limit %d%%); "
		 "a near-copy is rejected like a resubmission: write anew "
		 "what was changed since that appeal",
		 pct, a->n, lim)) == NULL)
		return (-1);
	f->item = (int)at;
	f->value = a->n;
	f->score = best;
	f->limit = lim;
	return (0);
}

static int
pf_case_unclassified(struct pf_ctx *ctx)
{
	if (ctx->in->c.reason != CASE_REASON_UNCLASSIFIED)
		return (0);
	if (pf_add(ctx, PREFLIGHT_CASE_UNCLASSIFIED,
		"the case has no delisting reason yet; read the violation "
		"record and classify the case (%s) so that the right checks "
		"apply",
		cases_reason_list()) == NULL)
		return (-1);
	return (0);
}

static int
pf_point_not_rectified(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_point *pt;
	struct preflight_finding *f;
	char label[3 * PF_QUOTE], qf[PF_QUOTE], qt[PF_QUOTE], cid[24];
	char hint[PF_QUOTE + 16];
	size_t i, j, o;
	int err;

	for (i = 0; i < in->npoints; i++) {
		pt = &in->points[i];
		for (j = 0; j < in->nnotes; j++) {
			if (pf_note_answers(&in->notes[j], pt, &err))
				break;
			if (err) {
				cause_set(ctx->cause, "out of memory");
				return (-1);
			}
		}
		if (j < in->nnotes)
			continue;
		/* violation point 2 (image 3), "third-party watermark" */
		if (pt->id != NULL && *pt->id != '\0')
			pf_q(qf, sizeof qf, pt->id);
		else
			snprintf(qf, sizeof qf, "%zu", i + 1);
		o = snprintf(label, sizeof label, "violation point %s", qf);
		pf_q(qf, sizeof qf, pt->field);
		if (*qf != '\0' && o < sizeof label)
			o += snprintf(label + o, sizeof label - o, " (%s)", qf);
		if (pt->text != NULL && *pt->text != '\0' && o < sizeof label)
			snprintf(label + o, sizeof label - o, ", \"%s\"",
			    pf_q(qt, sizeof qt, pt->text));
		pf_trim_utf8(label);
		hint[0] = '\0';
		if (*qf != '\0')
			snprintf(hint, sizeof hint, " --field \"%s\"", qf);
		if (in->c.id > 0)
			snprintf(cid, sizeof cid, "%lld", (long long)in->c.id);
		else
			snprintf(cid, sizeof cid, "ID");
		f = pf_add(ctx, PREFLIGHT_POINT_NOT_RECTIFIED,
		    "%s has no rectification note; fix it on the listing, then "
		    "record what changed: delistctl case note %s \"what "
		    "changed, and where\"%s",
		    label, cid, hint);
		if (f == NULL)
			return (-1);
		f->item = (int)i;
		pf_q(f->quote, sizeof f->quote,
		    pt->id != NULL && *pt->id != '\0' ? pt->id : pt->field);
	}
	return (0);
}

static int
pf_docs_missing(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_need *need;
	struct preflight_finding *f;
	const char *reason;
	char types[256], hint[128], alt[192];
	size_t i, j, k;
	int r;

	reason = cases_reason_name(in->c.reason);
	for (i = 0; i < ctx->cfg->nneeds; i++) {
		need = &ctx->cfg->needs[i];
		if (need->reason != in->c.reason)
			continue;
		for (j = 0; j < in->ndocs; j++) {
			if (in->docs[j].attached &&
			    pf_type_in(
				in->docs[j].type, need->types, need->ntypes))
				break;
		}
		if (j < in->ndocs)
			continue;
		alt[0] = '\0';
		if (need->brand_removal) {
			if ((r = pf_brand_removal_note(ctx, &k, NULL, 0)) == -1)
				return (-1);
			if (r == 1)
				continue;
			snprintf(alt, sizeof alt,
			    "; or, once the brand is gone from the listing, "
			    "record that: delistctl case note %lld \"removed "
			    "the brand\" --field title --before \"old\" "
			    "--after \"new\"",
			    (long long)in->c.id);
		}
		pf_join(types, sizeof types, need->types, need->ntypes, " or ");
		pf_vault_hint(
		    ctx, need->types, need->ntypes, hint, sizeof hint);
		if ((f = pf_add(ctx, PREFLIGHT_DOCS_MISSING,
			 "a case for %s needs %s: attach a %s document%s%s",
			 reason, need->what != NULL ? need->what : "documents",
			 types, hint, alt)) == NULL)
			return (-1);
		pf_q(f->quote, sizeof f->quote, reason);
	}
	return (0);
}

/*
 * Whether a document attached to the case from the vault is superseded: an
 * attached document of its type that is still valid (its renewal).
 */
static int
pf_doc_superseded(const struct preflight_input *in, size_t k)
{
	const struct preflight_doc *d = &in->docs[k], *e;
	size_t i;

	if (!d->detachable || d->type == NULL)
		return (0);
	for (i = 0; i < in->ndocs; i++) {
		e = &in->docs[i];
		if (i != k && e->attached && e->type != NULL &&
		    strcmp(e->type, d->type) == 0 &&
		    (e->expires == 0 || e->expires > in->now))
			return (1);
	}
	return (0);
}

/* How to take a document off the case, for a sentence; "" if it is not. */
static const char *
pf_detach_hint(const struct preflight_input *in, const struct preflight_doc *d,
    char *buf, size_t len)
{
	if (!d->detachable || d->id == 0)
		return ("");
	snprintf(buf, len,
	    ", and detach this one with delistctl case doc %lld %lld "
	    "--detach",
	    (long long)in->c.id, (long long)d->id);
	return (buf);
}

static int
pf_doc_expired(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_doc *d;
	struct preflight_finding *f;
	char label[PF_QUOTE + 64], when[CALENDAR_FORMAT_LEN], hint[160];
	size_t i;

	for (i = 0; i < in->ndocs; i++) {
		d = &in->docs[i];
		if (!d->attached || d->expires == 0 || d->expires > in->now ||
		    pf_doc_superseded(in, i))
			continue;
		if (pf_format_time(ctx, d->expires, when, sizeof when) == -1)
			snprintf(
			    when, sizeof when, "%lld", (long long)d->expires);
		if (d->detachable && d->id != 0)
			snprintf(hint, sizeof hint,
			    "; attach the renewed one, or detach it with "
			    "delistctl case doc %lld %lld --detach",
			    (long long)in->c.id, (long long)d->id);
		else
			snprintf(hint, sizeof hint,
			    "; renew it, or attach one that is valid");
		if ((f = pf_add(ctx, PREFLIGHT_DOC_EXPIRED,
			 "%s expired at %s%s",
			 pf_doc_label(label, sizeof label, d, i), when,
			 hint)) == NULL)
			return (-1);
		f->item = (int)i;
		f->when = d->expires;
	}
	return (0);
}

static int
pf_doc_expires_in_review(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_doc *d;
	struct preflight_finding *f;
	char label[PF_QUOTE + 64], when[CALENDAR_FORMAT_LEN];
	char until[CALENDAR_FORMAT_LEN];
	time_t end = 0;
	size_t i;
	int have_end = 0;

	for (i = 0; i < in->ndocs; i++) {
		d = &in->docs[i];
		if (!d->attached || d->expires == 0 || d->expires <= in->now)
			continue;
		if (!have_end) {
			if (pf_review_end(ctx, &end) == -1)
				return (-1);
			have_end = 1;
		}
		if (d->expires >= end)
			continue;
		if (pf_format_time(ctx, d->expires, when, sizeof when) == -1)
			snprintf(
			    when, sizeof when, "%lld", (long long)d->expires);
		if (pf_format_time(ctx, end, until, sizeof until) == -1)
			snprintf(until, sizeof until, "%lld", (long long)end);
		if ((f = pf_add(ctx, PREFLIGHT_DOC_EXPIRES_IN_REVIEW,
			 "%s expires at %s, before the review can end (%d "
			 "business days, until %s); renew it before "
			 "submitting",
			 pf_doc_label(label, sizeof label, d, i), when,
			 ctx->cfg->review_days, until)) == NULL)
			return (-1);
		f->item = (int)i;
		f->when = d->expires;
		f->limit = ctx->cfg->review_days;
	}
	return (0);
}

static int
pf_doc_other_product(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_doc *d;
	struct preflight_finding *f;
	const char *lacks, *ids[PF_LIST_PRODUCTS];
	char label[PF_QUOTE + 64], list[256], more[32], q[PF_QUOTE];
	char qs[PF_QUOTE], hint[160];
	size_t i, j, n;
	int shop;

	for (i = 0; i < in->ndocs; i++) {
		d = &in->docs[i];
		if (!d->attached ||
		    (lacks = pf_doc_lacks(in, d, &shop)) == NULL)
			continue;
		pf_doc_label(label, sizeof label, d, i);
		if (shop) {
			f = pf_add(ctx, PREFLIGHT_DOC_OTHER_PRODUCT,
			    "%s belongs to shop \"%s\", not \"%s\"; attach "
			    "this shop's own document%s",
			    label, pf_q(qs, sizeof qs, d->shop),
			    pf_q(q, sizeof q, lacks),
			    pf_detach_hint(in, d, hint, sizeof hint));
		} else {
			n = d->nproducts < PF_LIST_PRODUCTS ? d->nproducts
							    : PF_LIST_PRODUCTS;
			for (j = 0; j < n; j++)
				ids[j] = d->products[j] != NULL ? d->products[j]
								: "?";
			pf_join(list, sizeof list, ids, n, ", ");
			more[0] = '\0';
			if (d->nproducts > n)
				snprintf(more, sizeof more, " and %zu more",
				    d->nproducts - n);
			f = pf_add(ctx, PREFLIGHT_DOC_OTHER_PRODUCT,
			    "%s covers %s%s, not this listing's %s; attach "
			    "the document issued for this product%s",
			    label, list, more, pf_q(q, sizeof q, lacks),
			    pf_detach_hint(in, d, hint, sizeof hint));
		}
		if (f == NULL)
			return (-1);
		f->item = (int)i;
		pf_q(f->quote, sizeof f->quote, lacks);
	}
	return (0);
}

static int
pf_doc_low_resolution(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_config *cfg = ctx->cfg;
	const struct preflight_doc *d;
	struct preflight_finding *f;
	char label[PF_QUOTE + 64];
	size_t i;
	int lo, hi;

	for (i = 0; i < in->ndocs; i++) {
		d = &in->docs[i];
		if (!d->attached || (d->width <= 0 && d->height <= 0))
			continue;
		lo = d->width < d->height ? d->width : d->height;
		hi = d->width < d->height ? d->height : d->width;
		if (lo >= cfg->min_short_side && hi >= cfg->min_long_side)
			continue;
		if ((f = pf_add(ctx, PREFLIGHT_DOC_LOW_RESOLUTION,
			 "image %s is %dx%d pixels, below %dx%d (short side "
			 "%d, long side %d in either orientation); scan or "
			 "photograph it again, sharper and larger",
			 pf_doc_label(label, sizeof label, d, i), d->width,
			 d->height, cfg->min_short_side, cfg->min_long_side,
			 cfg->min_short_side, cfg->min_long_side)) == NULL)
			return (-1);
		f->item = (int)i;
		f->width = d->width;
		f->height = d->height;
	}
	return (0);
}

static int
pf_doc_name(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_doc *d;
	struct preflight_finding *f;
	char q[PF_QUOTE], name[PF_QUOTE + 64];
	const char *conv;
	size_t i;

	for (i = 0; i < in->ndocs; i++) {
		d = &in->docs[i];
		if (!d->attached)
			continue;
		if (d->name != NULL &&
		    pf_name_ok(d->name, in->product_id,
			cases_doc_type_valid(d->type) ? d->type : NULL))
			continue;
		pf_name_suggest(name, sizeof name, in, d);
		if ((conv = docs_name_convert(d->name, d->type)) != NULL)
			f = pf_add(ctx, PREFLIGHT_DOC_NAME,
			    "file \"%s\" is a %s image, and the platform takes "
			    "%s documents as PDF or JPG: convert it to PDF or "
			    "JPG and upload it as %s",
			    pf_q(q, sizeof q, d->name), conv,
			    d->type != NULL ? d->type : "these", name);
		else if (d->name == NULL || *d->name == '\0')
			f = pf_add(ctx, PREFLIGHT_DOC_NAME,
			    "document %zu (%s) has no file name; upload it "
			    "as %s (PDF or JPG)",
			    i + 1, d->type != NULL ? d->type : "no type", name);
		else
			f = pf_add(ctx, PREFLIGHT_DOC_NAME,
			    "file name \"%s\" is not "
			    "AE<product id>_<TYPE>_<description>.<pdf|jpg>; "
			    "rename it like %s (PDF or JPG) so the reviewer "
			    "sees what it is for",
			    pf_q(q, sizeof q, d->name), name);
		if (f == NULL)
			return (-1);
		f->item = (int)i;
		pf_q(f->quote, sizeof f->quote, d->name);
	}
	return (0);
}

/* Banned terms or unauthorized brands in the title. */
static int
pf_title_words(struct pf_ctx *ctx, enum preflight_code code)
{
	const struct preflight_config *cfg = ctx->cfg;
	const struct pf_text *t = &ctx->title;
	struct preflight_finding *f;
	struct pf_range *used = NULL;
	const char *term;
	size_t i, n, nused = 0, s, e, from, to;
	char q[PF_QUOTE], qs[PF_QUOTE];
	int r, rc = -1;

	if (ctx->in->title == NULL)
		return (0);
	n = code == PREFLIGHT_TITLE_BANNED_TERM ? cfg->nbanned : cfg->nbrands;
	if (n == 0)
		return (0);
	if ((used = calloc(n, sizeof *used)) == NULL) {
		cause_set(ctx->cause, "out of memory");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (code == PREFLIGHT_TITLE_BANNED_TERM)
			term = cfg->banned[i];
		else if (cfg->brands[i].authorized)
			continue;
		else
			term = cfg->brands[i].name;
		r = pf_find_fresh(t, term, PF_KEEP, used, &nused, &s, &e);
		if (r == -1) {
			cause_set(ctx->cause, "out of memory");
			goto out;
		}
		if (r == 0)
			continue;
		from = t->from[s];
		to = t->to[e - 1];
		pf_clip(q, sizeof q, ctx->in->title + from, to - from);
		if (code == PREFLIGHT_TITLE_BANNED_TERM)
			f = pf_add(ctx, code,
			    "the title still holds \"%s\" (banned term "
			    "\"%s\"); "
			    "remove it from the listing, then check again",
			    q, pf_q(qs, sizeof qs, term));
		else
			f = pf_add(ctx, code,
			    "the title names the brand \"%s\" and the shop has "
			    "no authorization document for it; remove the "
			    "brand from the listing, or add the brand owner's "
			    "authorization (type brand_authorization)",
			    q);
		if (f == NULL)
			goto out;
		f->item = (int)i;
		f->offset = (long long)from;
		pf_clip(f->quote, sizeof f->quote, ctx->in->title + from,
		    to - from);
	}
	rc = 0;
out:
	free(used);
	return (rc);
}

static int
pf_title_banned_term(struct pf_ctx *ctx)
{
	return (pf_title_words(ctx, PREFLIGHT_TITLE_BANNED_TERM));
}

static int
pf_title_brand(struct pf_ctx *ctx)
{
	return (pf_title_words(ctx, PREFLIGHT_TITLE_BRAND));
}

/*
 * The last rejection's reason, read into demands (reason.c); one finding
 * per demand nothing since meets.
 */
static int
pf_rejection_unanswered(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_appeal *a = NULL;
	struct reason_demand *dv = NULL;
	size_t nd = 0, i;
	int r, rc = -1;

	for (i = in->nappeals; i > 0; i--) {
		if (in->appeals[i - 1].decision == APPEAL_REJECTED) {
			a = &in->appeals[i - 1];
			break;
		}
	}
	if (a == NULL || a->rejection_reason == NULL)
		return (0);
	if (reason_read(a->rejection_reason, ctx->cfg->kinds, ctx->cfg->nkinds,
		&dv, &nd) == -1) {
		cause_set(ctx->cause, "out of memory");
		return (-1);
	}
	for (i = 0; i < nd; i++) {
		if (dv[i].open)
			continue;
		if ((r = pf_demand_met(ctx, a, &dv[i])) == -1) {
			cause_set(ctx->cause, "out of memory");
			goto out;
		}
		if (r == 0 && pf_demand_unmet(ctx, a, &dv[i]) == -1)
			goto out;
	}
	rc = 0;
out:
	free(dv);
	return (rc);
}

/* An attached document of kind k that the rejected appeal a did not have. */
static int
pf_kind_added(const struct preflight_input *in,
    const struct preflight_appeal *a, const struct preflight_kind *k)
{
	const struct preflight_doc *d;
	size_t m, x;

	for (m = 0; m < in->ndocs; m++) {
		d = &in->docs[m];
		if (!d->attached || !pf_type_in(d->type, k->types, k->ntypes))
			continue;
		if (d->sha256 == NULL)
			return (1);
		for (x = 0; x < a->ndocs; x++) {
			if (pf_hash_eq(d->sha256, a->docs[x].sha256))
				break;
		}
		if (x == a->ndocs)
			return (1);
	}
	return (0);
}

/*
 * Whether one alternative of d is met: a new document of its kind, or a
 * note that records its rectification (whenever it was recorded: a reason
 * that only describes a change already made must not block). 1, 0, or -1.
 */
static int
pf_demand_met(struct pf_ctx *ctx, const struct preflight_appeal *a,
    const struct reason_demand *d)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_note *n;
	size_t i, j;
	int r;

	for (i = 0; i < d->nalts; i++) {
		if (d->alts[i].kind >= 0) {
			if (pf_kind_added(
				in, a, &ctx->cfg->kinds[d->alts[i].kind]))
				return (1);
			continue;
		}
		for (j = 0; j < in->nnotes; j++) {
			n = &in->notes[j];
			r = reason_note_answers(d->alts[i].fix, n,
			    ctx->cfg->brands, ctx->cfg->nbrands);
			if (r != 0)
				return (r);
		}
	}
	return (0);
}

/* The rejection_unanswered finding for demand d of appeal a's reason. */
static int
pf_demand_unmet(struct pf_ctx *ctx, const struct preflight_appeal *a,
    const struct reason_demand *d)
{
	const struct preflight_kind *k;
	struct preflight_finding *f;
	const char *what[REASON_MAX_ALTS], *types[32], *field = NULL;
	char q[160], list[PREFLIGHT_MESSAGE_MAX], tl[256], hint[128];
	char note[256], cid[24];
	size_t i, j, t, nw = 0, nt = 0;
	int item = -1;

	for (i = 0; i < d->nalts; i++) {
		if (d->alts[i].kind < 0) {
			what[nw++] = reason_fix_describe(d->alts[i].fix);
			if (field == NULL)
				field = reason_fix_field(d->alts[i].fix);
			continue;
		}
		k = &ctx->cfg->kinds[d->alts[i].kind];
		what[nw++] = k->name;
		if (item == -1)
			item = d->alts[i].kind;
		for (t = 0; t < k->ntypes && nt < nitems(types); t++) {
			for (j = 0; j < nt; j++) {
				if (strcmp(types[j], k->types[t]) == 0)
					break;
			}
			if (j == nt)
				types[nt++] = k->types[t];
		}
	}
	pf_join(list, sizeof list, what, nw, " or ");
	if (ctx->in->c.id > 0)
		snprintf(cid, sizeof cid, "%lld", (long long)ctx->in->c.id);
	else
		snprintf(cid, sizeof cid, "ID");
	note[0] = '\0';
	if (field != NULL)
		snprintf(note, sizeof note,
		    "%s change the listing, then record it: delistctl case "
		    "note %s \"what changed, and where\" --field %s --before "
		    "\"old\" --after \"new\"",
		    nt > 0 ? ", or" : "", cid, field);
	if (nt > 0) {
		pf_join(tl, sizeof tl, types, nt, " or ");
		pf_vault_hint(ctx, types, nt, hint, sizeof hint);
		f = pf_add(ctx, PREFLIGHT_REJECTION_UNANSWERED,
		    "appeal %d was rejected with \"%s\", which asks for %s, "
		    "and none was added since: attach a new %s document%s%s",
		    a->n, pf_q(q, sizeof q, a->rejection_reason), list, tl,
		    hint, note);
	} else
		f = pf_add(ctx, PREFLIGHT_REJECTION_UNANSWERED,
		    "appeal %d was rejected with \"%s\", which asks for %s, "
		    "and no note since records it:%s",
		    a->n, pf_q(q, sizeof q, a->rejection_reason), list, note);
	if (f == NULL)
		return (-1);
	f->item = item;
	f->value = a->n;
	pf_q(f->quote, sizeof f->quote, d->alts[0].term);
	return (0);
}

/* Whether a document of one of types[0..n) is attached. */
static int
pf_attached_type(
    const struct preflight_input *in, const char *const *types, size_t n)
{
	size_t i;

	for (i = 0; i < in->ndocs; i++) {
		if (in->docs[i].attached &&
		    pf_type_in(in->docs[i].type, types, n))
			return (1);
	}
	return (0);
}

/*
 * The first note recording a brand removed (reason_note_removes_brand):
 * 1 with *idx and what set, 0, or -1 (memory, *cause set).
 */
static int
pf_brand_removal_note(struct pf_ctx *ctx, size_t *idx, char *what, size_t size)
{
	const struct preflight_input *in = ctx->in;
	size_t i;
	int r;

	for (i = 0; i < in->nnotes; i++) {
		r = reason_note_removes_brand(&in->notes[i], ctx->cfg->brands,
		    ctx->cfg->nbrands, what, size);
		if (r == -1)
			cause_set(ctx->cause, "out of memory");
		if (r != 0) {
			*idx = i;
			return (r);
		}
	}
	return (0);
}

/*
 * A need a brand's removal can take the place of, met that way: say so,
 * so that the seller sees which path the appeal takes.
 */
static int
pf_ip_brand_removed(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_need *need;
	const struct preflight_note *n;
	struct preflight_finding *f;
	char what[PF_QUOTE], qf[PF_QUOTE], qb[PF_QUOTE], qa[PF_QUOTE];
	char types[256];
	size_t i, k;
	int r;

	for (i = 0; i < ctx->cfg->nneeds; i++) {
		need = &ctx->cfg->needs[i];
		if (need->reason != in->c.reason || !need->brand_removal ||
		    pf_attached_type(in, need->types, need->ntypes))
			continue;
		if ((r = pf_brand_removal_note(ctx, &k, what, sizeof what)) ==
		    -1)
			return (-1);
		if (r == 0)
			continue;
		n = &in->notes[k];
		pf_join(types, sizeof types, need->types, need->ntypes, " or ");
		if ((f = pf_add(ctx, PREFLIGHT_IP_BRAND_REMOVED,
			 "the appeal takes the brand-removed path, not the "
			 "documents path: the note on the %s removed \"%s\" "
			 "(before \"%s\", after \"%s\"), so %s is not "
			 "needed; say in the statement that the brand was "
			 "removed and where (for the documents path, attach a "
			 "%s document)",
			 pf_q(qf, sizeof qf, n->field), what,
			 pf_q(qb, sizeof qb, n->before),
			 pf_q(qa, sizeof qa, n->after),
			 need->what != NULL ? need->what : "a document",
			 types)) == NULL)
			return (-1);
		f->item = (int)k;
		pf_q(f->quote, sizeof f->quote, what);
	}
	return (0);
}

static int
pf_resubmission(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	const struct preflight_appeal *a;
	struct preflight_finding *f;
	size_t i, j, k;
	int same;

	if (in->statement_sha256 == NULL)
		return (0);
	for (i = in->nappeals; i > 0; i--) {
		a = &in->appeals[i - 1];
		if (!pf_hash_eq(in->statement_sha256, a->statement_sha256))
			continue;
		/* The same set of hashes, order and duplicates aside. */
		same = 1;
		for (j = 0; same && j < in->ndocs; j++) {
			if (!in->docs[j].attached)
				continue;
			for (k = 0; k < a->ndocs; k++) {
				if (pf_hash_eq(
					in->docs[j].sha256, a->docs[k].sha256))
					break;
			}
			same = k < a->ndocs;
		}
		for (k = 0; same && k < a->ndocs; k++) {
			for (j = 0; j < in->ndocs; j++) {
				if (in->docs[j].attached &&
				    pf_hash_eq(
					in->docs[j].sha256, a->docs[k].sha256))
					break;
			}
			same = j < in->ndocs;
		}
		if (!same)
			continue;
		if ((f = pf_add(ctx, PREFLIGHT_RESUBMISSION,
			 "the statement and the attachments are the same as "
			 "appeal %d's; the same materials are rejected again: "
			 "change what the rejection asks for and say so",
			 a->n)) == NULL)
			return (-1);
		f->item = (int)(i - 1);
		f->value = a->n;
		return (0);
	}
	return (0);
}

static int
pf_machine_english(struct pf_ctx *ctx)
{
	struct pf_range used[nitems(pf_machine_english_patterns)];
	struct preflight_finding *f;
	char q[PF_QUOTE];
	size_t i, nused = 0, s, e, from, to;
	int r;

	if (ctx->in->statement == NULL)
		return (0);
	for (i = 0; i < nitems(pf_machine_english_patterns); i++) {
		r = pf_find_fresh(&ctx->stmt,
		    pf_machine_english_patterns[i].pattern, PF_STRIP, used,
		    &nused, &s, &e);
		if (r == -1) {
			cause_set(ctx->cause, "out of memory");
			return (-1);
		}
		if (r == 0)
			continue;
		from = ctx->stmt.from[s];
		to = ctx->stmt.to[e - 1];
		pf_clip(q, sizeof q, ctx->in->statement + from, to - from);
		if ((f = pf_add(ctx, PREFLIGHT_MACHINE_ENGLISH,
			 "the statement says \"%s\", which reads like machine "
			 "translation and weakens the appeal; write it in "
			 "plain English (\"%s\")",
			 q, pf_machine_english_patterns[i].instead)) == NULL)
			return (-1);
		f->item = (int)i;
		f->offset = (long long)from;
		pf_clip(f->quote, sizeof f->quote, ctx->in->statement + from,
		    to - from);
	}
	return (0);
}

/*
 * The quoted title a claim at s[at..) introduces, after fillers and white
 * space: its byte offset (*start) and length, or 0 if no quote follows.
 */
static size_t
pf_claim(const char *s, size_t len, size_t at, size_t *start)
{
	size_t i, k, n, o, c;

	for (k = 0; k < 4 && at < len; k++) {
		while (at < len && (s[at] == ' ' || s[at] == '\t'))
			at++;
		for (i = 0; i < nitems(pf_claim_fillers); i++) {
			n = strlen(pf_claim_fillers[i]);
			if (at + n <= len &&
			    strncasecmp(s + at, pf_claim_fillers[i], n) == 0 &&
			    (at + n == len ||
				!pf_isalnum((unsigned char)s[at + n])))
				break;
		}
		if (i == nitems(pf_claim_fillers))
			break;
		at += strlen(pf_claim_fillers[i]);
	}
	for (i = 0; i < nitems(pf_quotes); i++) {
		o = strlen(pf_quotes[i].open);
		if (at + o > len || memcmp(s + at, pf_quotes[i].open, o) != 0)
			continue;
		c = strlen(pf_quotes[i].close);
		for (n = at + o; n + c <= len; n++) {
			if (memcmp(s + n, pf_quotes[i].close, c) == 0)
				break;
		}
		if (n + c > len || n == at + o)
			return (0);
		*start = at + o;
		return (n - (at + o));
	}
	return (0);
}

/*
 * Each title text claims (quoted after a pf_title_claims phrase) that the
 * page's seen title lacks: a page_unchanged finding, an error when the
 * source saw the page after since (the claim's time), a warning otherwise.
 * note is the note's index, or -1 for the statement.
 */
/*
 * A claimed title claim[0..clen): a page_unchanged finding when the seen
 * title lacks it, an error when the source saw the page after since (the
 * claim's time), a warning otherwise. note is the note's index, or -1 for
 * the statement. Returns 0, or -1 (memory).
 */
static int
pf_claim_seen(struct pf_ctx *ctx, const struct pf_text *seen, const char *claim,
    size_t clen, int note, time_t since)
{
	const struct preflight_input *in = ctx->in;
	struct preflight_finding *f;
	struct pf_text t;
	char q[PF_QUOTE], qs[PF_QUOTE], when[CALENDAR_FORMAT_LEN], who[32];
	size_t a, b;
	int found, after;

	if (pf_norm(claim, clen, PF_STRIP, &t) == -1) {
		cause_set(ctx->cause, "out of memory");
		return (-1);
	}
	found = t.len == 0 || pf_find(seen, &t, 0, 0, &a, &b);
	pf_text_free(&t);
	if (found)
		return (0);
	after = since != 0 && in->seen_title_at > since;
	if (pf_format_time(ctx, in->seen_title_at, when, sizeof when) == -1)
		snprintf(
		    when, sizeof when, "%lld", (long long)in->seen_title_at);
	if (note < 0)
		snprintf(who, sizeof who, "the statement");
	else
		snprintf(who, sizeof who, "note %d", note + 1);
	pf_clip(q, sizeof q, claim, clen);
	if ((f = pf_add(ctx, PREFLIGHT_PAGE_UNCHANGED,
		 "%s says the title is now \"%s\", but the source saw the "
		 "title \"%s\" at %s%s: change the page (and look at it in a "
		 "private window, not from the cache), then check again",
		 who, q, pf_q(qs, sizeof qs, in->seen_title), when,
		 after ? ", after that was written" : "")) == NULL)
		return (-1);
	if (!after) {
		f->severity = PREFLIGHT_WARNING;
		ctx->out->nerrors--;
		ctx->out->nwarnings++;
	}
	f->item = note;
	f->when = in->seen_title_at;
	pf_clip(f->quote, sizeof f->quote, claim, clen);
	return (0);
}

/* Each title text[0..tlen) claims in quotes after a pf_title_claims phrase. */
static int
pf_claims_check(struct pf_ctx *ctx, const struct pf_text *seen,
    const char *text, size_t tlen, int note, time_t since)
{
	char *low;
	const char *p;
	size_t i, j, n, at, start, clen;
	int rc = 0;

	if ((low = strndup(text, tlen)) == NULL) {
		cause_set(ctx->cause, "out of memory");
		return (-1);
	}
	tlen = strlen(low);
	for (j = 0; j < tlen; j++) {
		if (low[j] >= 'A' && low[j] <= 'Z')
			low[j] += 'a' - 'A';
	}
	for (i = 0; rc == 0 && i < nitems(pf_title_claims); i++) {
		n = strlen(pf_title_claims[i]);
		for (p = low;
		     rc == 0 && (p = strstr(p, pf_title_claims[i])) != NULL;
		     p += n) {
			at = (size_t)(p - low);
			if (at > 0 && pf_isalnum((unsigned char)low[at - 1]))
				continue;
			if ((clen = pf_claim(text, tlen, at + n, &start)) > 0)
				rc = pf_claim_seen(
				    ctx, seen, text + start, clen, note, since);
		}
	}
	free(low);
	return (rc);
}

/* Whether a note's field is the title ("title", "new title", "标题"). */
static int
pf_field_is_title(const char *field)
{
	struct pf_text t;
	size_t a, b;
	int r;

	if (field == NULL || pf_norm(field, strlen(field), PF_STRIP, &t) == -1)
		return (0);
	r = pf_find_str(&t, "title", PF_STRIP, 1, &a, &b) == 1 ||
	    pf_find_str(&t, "标题", PF_STRIP, 0, &a, &b) == 1;
	pf_text_free(&t);
	return (r);
}

static int
pf_page_unchanged(struct pf_ctx *ctx)
{
	const struct preflight_input *in = ctx->in;
	struct pf_text seen;
	time_t latest = 0;
	size_t i;
	int rc = 0;

	if (in->seen_title == NULL)
		return (0);
	if (pf_norm(in->seen_title, strlen(in->seen_title), PF_STRIP, &seen) ==
	    -1) {
		cause_set(ctx->cause, "out of memory");
		return (-1);
	}
	for (i = 0; i < in->nnotes; i++) {
		if (in->notes[i].at > latest)
			latest = in->notes[i].at;
	}
	/* The statement is written after the notes it sums up. */
	if (in->statement != NULL &&
	    text_utf8_check(in->statement, in->statement_len, NULL, NULL) == 0)
		rc = pf_claims_check(
		    ctx, &seen, in->statement, in->statement_len, -1, latest);
	for (i = 0; rc == 0 && i < in->nnotes; i++) {
		/* A title note's new value is a claim, quoted or not. */
		if (in->notes[i].after != NULL &&
		    pf_field_is_title(in->notes[i].field))
			rc = pf_claim_seen(ctx, &seen, in->notes[i].after,
			    strlen(in->notes[i].after), (int)i,
			    in->notes[i].at);
		else if (in->notes[i].text != NULL)
			rc = pf_claims_check(ctx, &seen, in->notes[i].text,
			    strlen(in->notes[i].text), (int)i, in->notes[i].at);
	}
	pf_text_free(&seen);
	return (rc);
}

/* Arrays given with a count must be there. */
static int
pf_check_input(const struct preflight_input *in, char **cause)
{
	size_t i;

	if ((unsigned)in->c.reason >= CASE_REASON_COUNT) {
		cause_set(
		    cause, "case reason %d is out of range", (int)in->c.reason);
		return (-1);
	}
	if ((in->npoints > 0 && in->points == NULL) ||
	    (in->nnotes > 0 && in->notes == NULL) ||
	    (in->nappeals > 0 && in->appeals == NULL) ||
	    (in->ndocs > 0 && in->docs == NULL)) {
		cause_set(cause, "an input array is missing");
		return (-1);
	}
	for (i = 0; i < in->nappeals; i++) {
		if (in->appeals[i].ndocs > 0 && in->appeals[i].docs == NULL) {
			cause_set(cause, "appeal %d: its materials are missing",
			    in->appeals[i].n);
			return (-1);
		}
	}
	for (i = 0; i < in->ndocs; i++) {
		if (in->docs[i].nproducts > 0 && in->docs[i].products == NULL) {
			cause_set(cause,
			    "document %zu: its products are missing", i + 1);
			return (-1);
		}
	}
	return (0);
}

struct preflight_findings *
preflight_check(const struct preflight_input *in,
    const struct preflight_config *cfg, char **cause)
{
	struct preflight_config defaults;
	struct pf_ctx ctx;
	size_t i;

	if (cause != NULL)
		*cause = NULL;
	if (cfg == NULL) {
		preflight_config_init(&defaults);
		cfg = &defaults;
	}
	if (preflight_config_check(cfg, cause) == -1 ||
	    pf_check_input(in, cause) == -1)
		return (NULL);
	memset(&ctx, 0, sizeof ctx);
	ctx.in = in;
	ctx.cfg = cfg;
	ctx.cause = cause;
	if ((ctx.out = calloc(1, sizeof *ctx.out)) == NULL)
		goto nomem;
	if (in->statement != NULL &&
	    pf_norm(in->statement, in->statement_len, PF_STRIP, &ctx.stmt) ==
		-1)
		goto nomem;
	if (in->title != NULL &&
	    pf_norm(in->title, strlen(in->title), PF_KEEP, &ctx.title) == -1)
		goto nomem;
	for (i = 0; i < nitems(pf_checks); i++) {
		if (pf_checks[i](&ctx) == -1)
			goto fail;
	}
	pf_text_free(&ctx.stmt);
	pf_text_free(&ctx.title);
	return (ctx.out);
nomem:
	cause_set(cause, "out of memory");
fail:
	pf_text_free(&ctx.stmt);
	pf_text_free(&ctx.title);
	preflight_findings_free(ctx.out);
	return (NULL);
}

void
preflight_findings_free(struct preflight_findings *list)
{
	if (list == NULL)
		return;
	free(list->v);
	free(list);
}

/* --- the compliance scan ------------------------------------------------- */

/* A term of a scan, normalized once. */
struct pf_scan_term {
	enum preflight_code code;
	int item;
	const char *term;
	struct pf_text norm;
};

struct preflight_scan {
	struct pf_scan_term *v;
	size_t n;
};

struct preflight_scan *
preflight_scan_new(const struct preflight_config *cfg, char **cause)
{
	struct preflight_scan *sc;
	struct pf_scan_term *t;
	size_t i;

	if ((sc = calloc(1, sizeof *sc)) == NULL ||
	    (sc->v = calloc(cfg->nbanned + cfg->nbrands + 1, sizeof *sc->v)) ==
		NULL)
		goto nomem;
	for (i = 0; i < cfg->nbanned + cfg->nbrands; i++) {
		t = &sc->v[sc->n];
		if (i < cfg->nbanned) {
			t->code = PREFLIGHT_TITLE_BANNED_TERM;
			t->item = (int)i;
			t->term = cfg->banned[i];
		} else if (cfg->brands[i - cfg->nbanned].authorized)
			continue;
		else {
			t->code = PREFLIGHT_TITLE_BRAND;
			t->item = (int)(i - cfg->nbanned);
			t->term = cfg->brands[t->item].name;
		}
		if (pf_norm(t->term, strlen(t->term), PF_KEEP, &t->norm) == -1)
			goto nomem;
		sc->n++;
	}
	return (sc);
nomem:
	cause_set(cause, "out of memory");
	preflight_scan_free(sc);
	return (NULL);
}

void
preflight_scan_free(struct preflight_scan *sc)
{
	size_t i;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->n; i++)
		pf_text_free(&sc->v[i].norm);
	free(sc->v);
	free(sc);
}

int
preflight_scan_text(const struct preflight_scan *sc, const char *text,
    const char *where, struct preflight_scan_hit **hits, char **cause)
{
	struct pf_text t;
	struct pf_range *used;
	struct preflight_scan_hit *h, *v = NULL;
	const struct pf_scan_term *term;
	size_t i, k, n = 0, s, e, from, to;
	char q[PF_QUOTE];
	int found;

	*hits = NULL;
	if (text == NULL || *text == '\0' || sc->n == 0)
		return (0);
	if (pf_norm(text, strlen(text), PF_KEEP, &t) == -1)
		goto nomem;
	if ((used = calloc(sc->n, sizeof *used)) == NULL) {
		pf_text_free(&t);
		goto nomem;
	}
	for (i = 0; i < sc->n; i++) {
		term = &sc->v[i];
		from = 0;
		while (
		    (found = pf_find(&t, &term->norm, from, 0, &s, &e)) == 1) {
			for (k = 0; k < n; k++) {
				if (s < used[k].end && used[k].start < e)
					break;
			}
			if (k == n)
				break;
			from = s + 1;
		}
		if (!found)
			continue;
		if ((h = reallocarray(v, n + 1, sizeof *v)) == NULL) {
			free(used);
			pf_text_free(&t);
			free(v);
			goto nomem;
		}
		v = h;
		h = &v[n];
		used[n].start = s;
		used[n].end = e;
		n++;
		memset(h, 0, sizeof *h);
		h->code = term->code;
		h->item = term->item;
		h->term = term->term;
		from = t.from[s];
		to = t.to[e - 1];
		h->offset = (long long)from;
		pf_clip(h->quote, sizeof h->quote, text + from, to - from);
		pf_clip(q, sizeof q, text + from, to - from);
		if (term->code == PREFLIGHT_TITLE_BANNED_TERM)
			snprintf(h->fix, sizeof h->fix,
			    _("remove \"%s\" from the %s: \"%s\" is a banned "
			      "term"),
			    q, where, term->term);
		else
			snprintf(h->fix, sizeof h->fix,
			    _("remove the brand \"%s\" from the %s, or add the "
			      "brand owner's authorization (document type "
			      "brand_authorization)"),
			    q, where);
		pf_trim_utf8(h->fix);
	}
	free(used);
	pf_text_free(&t);
	*hits = v;
	return ((int)n);
nomem:
	cause_set(cause, "out of memory");
	return (-1);
}

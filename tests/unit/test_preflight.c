/* SPDX-License-Identifier: ISC */
/*
 * test_preflight.c: unit tests of the appeal preflight.
 *
 * Every test starts from one clean appeal (fx_init: no findings at all) and
 * changes one thing, so that each finding code has a case that raises it and
 * one that does not. Pure: no files, no clock, no network; the only outside
 * thing read is the zone database, through calendar.c.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "calendar.h"
#include "cases.h"
#include "preflight.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#define HOUR 3600
#define DAY 86400
#define PID "1005001234567890"
#define OTHER_PID "1005009999999999"
#define GOOD_NAME "AE1005001234567890_TEST_REPORT_Battery.pdf"
#define GOOD_STATEMENT \
	"We removed the words 'best quality' from the title (word 3 of the " \
	"old title) and rewrote the description to list only the measured " \
	"battery life; the attached screenshots show the live page with " \
	"its address bar."
#define GOOD_TITLE \
	"Wireless Earbuds Bluetooth 5.3 Headphones with Charging Case"

/* One clean appeal; tests change what they look at. */
struct fx {
	struct preflight_input in;
	struct preflight_config cfg;
	struct preflight_point points[4];
	struct preflight_note notes[4];
	struct preflight_doc docs[6];
	struct preflight_appeal appeals[3];
	struct appeal_doc adocs[3][4];
	struct calendar *cal;
};

static const char *const this_product[] = { PID };
static const char *const other_products[] = { OTHER_PID, "1005008888888888",
	"1005007777777777", "1005006666666666", "1005005555555555" };
static const char *const golden_week[] = { "2026-10-01", "2026-10-02",
	"2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07" };
static const char *const golden_week_workdays[] = { "2026-09-27",
	"2026-10-10" };

/* "2026-09-29T10:00:00+08:00" as epoch seconds, by timegm alone. */
static time_t
at(const char *iso)
{
	int y, mo, d, h, mi, s, oh, om;
	char sign;
	struct tm tm;
	time_t t;

	if (sscanf(iso, "%d-%d-%dT%d:%d:%d%c%d:%d", &y, &mo, &d, &h, &mi, &s,
		&sign, &oh, &om) != 9 ||
	    (sign != '+' && sign != '-'))
		fail_msg("bad test time %s", iso);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	t = timegm(&tm);
	return t - (sign == '-' ? -1 : 1) * (oh * HOUR + om * 60);
}

static void
set_statement(struct fx *f, const char *s)
{
	f->in.statement = s;
	f->in.statement_len = s != NULL ? strlen(s) : 0;
}

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof *f);
	preflight_config_init(&f->cfg);
	f->in.c.id = 7;
	f->in.c.state = CASE_STATE_RECTIFYING;
	f->in.c.reason = CASE_REASON_PROHIBITED_WORDS;
	f->in.shop = "acme";
	f->in.product_id = PID;
	f->in.title = GOOD_TITLE;
	set_statement(f, GOOD_STATEMENT);
	f->in.statement_sha256 = "5e11";
	f->points[0] = (struct preflight_point){ "1", "title",
		"absolute term \"best quality\" in the title" };
	f->in.points = f->points;
	f->in.npoints = 1;
	f->notes[0] = (struct preflight_note){ "1", "title",
		"removed \"best quality\"", 0, NULL, NULL };
	f->in.notes = f->notes;
	f->in.nnotes = 1;
	f->docs[0] = (struct preflight_doc){
		.id = 12,
		.name = GOOD_NAME,
		.type = "test_report",
		.sha256 = "AA01",
		.shop = "acme",
		.products = this_product,
		.nproducts = 1,
		.expires = at("2027-06-30T00:00:00+08:00"),
		.attached = 1,
	};
	f->in.docs = f->docs;
	f->in.ndocs = 1;
	f->in.appeals = f->appeals;
	f->in.nappeals = 0;
	f->in.now = at("2026-09-29T10:00:00+08:00");
}

/* A Shanghai calendar with Golden Week 2026 (and its make-up workdays). */
static struct calendar *
shanghai(int with_workdays)
{
	struct calendar *cal;
	char *cause = NULL;
	size_t i;

	if ((cal = calendar_new("Asia/Shanghai", &cause)) == NULL)
		fail_msg("calendar_new: %s", cause);
	for (i = 0; i < nitems(golden_week); i++) {
		if (calendar_add_holiday(cal, golden_week[i], &cause) != 0)
			fail_msg("holiday: %s", cause);
	}
	for (i = 0; with_workdays && i < nitems(golden_week_workdays); i++) {
		if (calendar_add_workday(
			cal, golden_week_workdays[i], &cause) != 0)
			fail_msg("workday: %s", cause);
	}
	return cal;
}

static struct preflight_findings *
run(struct fx *f)
{
	struct preflight_findings *list;
	char *cause = NULL;

	f->in.cal = f->cal;
	if ((list = preflight_check(&f->in, &f->cfg, &cause)) == NULL)
		fail_msg("preflight_check: %s", cause ? cause : "(no cause)");
	return list;
}

static size_t
count(const struct preflight_findings *list, enum preflight_code code)
{
	size_t i, n = 0;

	for (i = 0; i < list->n; i++) {
		if (list->v[i].code == code)
			n++;
	}
	return n;
}

/* The nth (0-based) finding with code; fails the test if there is none. */
static const struct preflight_finding *
nth(const struct preflight_findings *list, enum preflight_code code, size_t n)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		if (list->v[i].code == code && n-- == 0)
			return &list->v[i];
	}
	fail_msg("no finding %s", preflight_code_name(code));
	return NULL;
}

static void
dump(const struct preflight_findings *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		print_message("  %s %s: %s\n",
		    preflight_severity_name(list->v[i].severity),
		    list->v[i].name, list->v[i].message);
}

/* Runs f and checks it raises code exactly n times. */
static struct preflight_findings *
expect(struct fx *f, enum preflight_code code, size_t n)
{
	struct preflight_findings *list = run(f);

	if (count(list, code) != n) {
		dump(list);
		fail_msg("%s: %zu findings, want %zu",
		    preflight_code_name(code), count(list, code), n);
	}
	return list;
}

static void
expect_free(struct fx *f, enum preflight_code code, size_t n)
{
	preflight_findings_free(expect(f, code, n));
}

static void
assert_contains(const char *s, const char *sub)
{
	if (strstr(s, sub) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", s, sub);
}

static void
assert_utf8(const char *s)
{
	assert_int_equal(preflight_utf8_check(s, strlen(s), NULL, NULL), 0);
}

/* The clean fixture raises nothing; every message is valid UTF-8. */
static void
test_clean_appeal(void **state)
{
	struct preflight_findings *list;
	struct fx f;

	(void)state;
	fx_init(&f);
	list = run(&f);
	if (list->n != 0)
		dump(list);
	assert_int_equal(list->n, 0);
	assert_int_equal(list->nerrors, 0);
	assert_int_equal(list->nwarnings, 0);
	preflight_findings_free(list);
	preflight_findings_free(NULL);
}

static void
test_code_table(void **state)
{
	static const char *const groups[] = { "statement", "coverage",
		"documents", "words", "rejection", "resubmission", "language",
		"page", "path" };
	const char *name, *p;
	size_t g = 0, i, j;

	(void)state;
	for (i = 0; i < PREFLIGHT_CODE_COUNT; i++) {
		name = preflight_code_name((enum preflight_code)i);
		assert_non_null(name);
		for (p = name; *p != '\0'; p++)
			assert_true((*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '_');
		assert_int_equal(preflight_code_from_name(name), (int)i);
		for (j = 0; j < i; j++)
			assert_string_not_equal(
			    name, preflight_code_name((enum preflight_code)j));
		assert_non_null(
		    preflight_code_describe((enum preflight_code)i));
		/* Groups come in order, each one run of codes. */
		while (g < nitems(groups) &&
		    strcmp(groups[g],
			preflight_code_group((enum preflight_code)i)) != 0)
			g++;
		assert_true(g < nitems(groups));
	}
	assert_null(preflight_code_name(PREFLIGHT_CODE_COUNT));
	assert_null(preflight_code_group(PREFLIGHT_CODE_COUNT));
	assert_null(preflight_code_describe(PREFLIGHT_CODE_COUNT));
	assert_int_equal(preflight_code_from_name("nope"), -1);
	assert_int_equal(preflight_code_from_name(NULL), -1);
	assert_string_equal(preflight_severity_name(PREFLIGHT_ERROR), "error");
	assert_string_equal(
	    preflight_severity_name(PREFLIGHT_WARNING), "warning");
	assert_null(preflight_severity_name(PREFLIGHT_SEV_COUNT));
	/* The three warnings; everything else blocks. */
	for (i = 0; i < PREFLIGHT_CODE_COUNT; i++)
		assert_int_equal(
		    preflight_code_severity((enum preflight_code)i),
		    i == PREFLIGHT_DOC_EXPIRES_IN_REVIEW ||
			    i == PREFLIGHT_DOC_NAME ||
			    i == PREFLIGHT_MACHINE_ENGLISH ||
			    i == PREFLIGHT_IP_BRAND_REMOVED
			? PREFLIGHT_WARNING
			: PREFLIGHT_ERROR);
	/* The names are stable: they are stored and sent. */
	assert_string_equal(preflight_code_name(PREFLIGHT_STATEMENT_NOT_UTF8),
	    "statement_not_utf8");
	assert_string_equal(preflight_code_name(PREFLIGHT_TITLE_BRAND),
	    "title_brand_unauthorized");
	assert_string_equal(
	    preflight_code_name(PREFLIGHT_RESUBMISSION), "resubmission");
}

static void
test_config_defaults(void **state)
{
	struct preflight_config cfg;
	char *cause = NULL;
	size_t i, j;

	(void)state;
	preflight_config_init(&cfg);
	assert_int_equal(preflight_config_check(&cfg, &cause), 0);
	assert_int_equal(cfg.min_words, 10);
	assert_true(cfg.similarity == 0.7);
	assert_int_equal(cfg.shingle, 2);
	assert_int_equal(cfg.review_days, 5);
	assert_int_equal(cfg.min_short_side, 600);
	assert_int_equal(cfg.min_long_side, 800);
	assert_int_equal(cfg.nbrands, 0);
	assert_true(cfg.ntemplates > 0 && cfg.nbanned > 0 &&
	    cfg.nfield_words > 0 && cfg.nkinds > 0 && cfg.nneeds == 3);
	/* Every default document type is one cases.c knows. */
	for (i = 0; i < cfg.nkinds; i++)
		for (j = 0; j < cfg.kinds[i].ntypes; j++)
			assert_true(
			    cases_doc_type_valid(cfg.kinds[i].types[j]));
	for (i = 0; i < cfg.nneeds; i++)
		for (j = 0; j < cfg.needs[i].ntypes; j++)
			assert_true(
			    cases_doc_type_valid(cfg.needs[i].types[j]));
}

static void
test_config_check(void **state)
{
	static const char *const empty_entry[] = { "fine", "" };
	static const char *const bad_types[] = { "ce", "passport" };
	static const char *const kw[] = { "x" };
	const struct preflight_kind bad_kind[] = { { "x", kw, 1, bad_types, 2,
	    NULL, 0 } };
	const struct preflight_need bad_need[] = { { CASE_REASON_COUNT,
	    bad_types, 1, NULL, 0 } };
	const struct preflight_brand no_name[] = { { "", 0 } };
	static const struct {
		const char *want;
	} want[] = {
		{ "similarity must be more than 0 and at most 1, not 0" },
		{ "similarity must be more than 0 and at most 1, not 1.5" },
		{ "shingle must be 1 to 8 words, not 0" },
		{ "shingle must be 1 to 8 words, not 9" },
		{ "review_days must be 0 to 3660, not -1" },
		{ "the minimum image size must be short side <= long side, "
		  "both >= 0, not 800x600" },
		{ "templates[1] is empty" },
		{ "kinds[0]: unknown document type \"passport\" (one of ce, "
		  "fcc, ukca, saso, test_report, trademark, "
		  "brand_authorization, "
		  "invoice, court_order, dismissal, other)" },
		{ "needs[0]: reason out of range" },
		{ "brands[0] has no name" },
	};
	struct preflight_config cfg;
	struct fx f;
	char *cause;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(want); i++) {
		preflight_config_init(&cfg);
		switch (i) {
		case 0:
			cfg.similarity = 0;
			break;
		case 1:
			cfg.similarity = 1.5;
			break;
		case 2:
			cfg.shingle = 0;
			break;
		case 3:
			cfg.shingle = 9;
			break;
		case 4:
			cfg.review_days = -1;
			break;
		case 5:
			cfg.min_short_side = 800;
			cfg.min_long_side = 600;
			break;
		case 6:
			cfg.templates = empty_entry;
			cfg.ntemplates = 2;
			break;
		case 7:
			cfg.kinds = bad_kind;
			cfg.nkinds = 1;
			break;
		case 8:
			cfg.needs = bad_need;
			cfg.nneeds = 1;
			break;
		case 9:
			cfg.brands = no_name;
			cfg.nbrands = 1;
			break;
		}
		cause = NULL;
		assert_int_equal(preflight_config_check(&cfg, &cause), -1);
		assert_string_equal(cause, want[i].want);
		free(cause);
		/* preflight_check refuses the same configuration. */
		fx_init(&f);
		f.cfg = cfg;
		cause = NULL;
		assert_null(preflight_check(&f.in, &f.cfg, &cause));
		assert_string_equal(cause, want[i].want);
		free(cause);
		assert_null(preflight_check(&f.in, &f.cfg, NULL));
	}
}

static void
test_bad_input(void **state)
{
	struct fx f;
	char *cause = NULL;

	(void)state;
	fx_init(&f);
	f.in.c.reason = CASE_REASON_COUNT;
	assert_null(preflight_check(&f.in, NULL, &cause));
	assert_string_equal(cause, "case reason 12 is out of range");
	free(cause);
	fx_init(&f);
	f.in.docs = NULL;
	assert_null(preflight_check(&f.in, NULL, &cause));
	assert_string_equal(cause, "an input array is missing");
	free(cause);
	fx_init(&f);
	f.docs[0].products = NULL;
	assert_null(preflight_check(&f.in, NULL, &cause));
	assert_string_equal(cause, "document 1: its products are missing");
	free(cause);
	/* A NULL configuration means the defaults. */
	fx_init(&f);
	preflight_findings_free(preflight_check(&f.in, NULL, NULL));
}

/* preflight_utf8_check, byte by byte. */
static void
test_utf8_edges(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		int ok;
		size_t off;
		const char *why;
	} cases[] = {
#define OK(s) { s, sizeof(s) - 1, 1, 0, NULL }
#define BAD(s, off, why) \
	{ \
		s, sizeof(s) - 1, 0, off, why \
	}
		OK(""),
		OK("plain ASCII"),
		OK("caf\xc3\xa9"), /* U+00E9 */
		OK("\xc2\x80"), /* U+0080, smallest 2-byte */
		OK("\xdf\xbf"), /* U+07FF */
		OK("\xe0\xa0\x80"), /* U+0800, smallest 3-byte */
		OK("\xe6\xa0\x87\xe9\xa2\x98"), /* 标题 */
		OK("\xed\x9f\xbf"), /* U+D7FF, just below the surrogates */
		OK("\xee\x80\x80"), /* U+E000, just above */
		OK("\xef\xbf\xbf"), /* U+FFFF */
		OK("\xf0\x90\x80\x80"), /* U+10000, smallest 4-byte */
		OK("\xf0\x9f\x98\x80"), /* U+1F600 */
		OK("\xf4\x8f\xbf\xbf"), /* U+10FFFF, the last */
		BAD("\xc0\x80", 0, "overlong encoding"), /* NUL, overlong */
		BAD("ab\xc1\xbf", 2, "overlong encoding"),
		BAD("\xe0\x80\x80", 0, "overlong encoding"),
		BAD("x\xe0\x9f\xbf", 1, "overlong encoding"), /* U+07FF in 3 */
		BAD("\xf0\x80\x80\x80", 0, "overlong encoding"),
		BAD("\xf0\x8f\xbf\xbf", 0, "overlong encoding"), /* U+FFFF */
		BAD("\xed\xa0\x80", 0, "surrogate"), /* U+D800 */
		BAD("ok \xed\xbf\xbf", 3, "surrogate"), /* U+DFFF */
		BAD("\xed\xa0\xbd\xed\xb8\x80", 0, "surrogate"), /* CESU pair */
		BAD("\xf4\x90\x80\x80", 0, "beyond U+10FFFF"),
		BAD("\xf5\x80\x80\x80", 0, "beyond U+10FFFF"),
		BAD("\xf8\x88\x80\x80\x80", 0, "invalid byte"),
		BAD("\xff", 0, "invalid byte"),
		BAD("\xfe\xff", 0, "invalid byte"),
		BAD("\x80", 0, "unexpected continuation byte"),
		BAD("\xe6\xa0\x87\xbf", 3, "unexpected continuation byte"),
		BAD("end\xc3", 3, "truncated sequence"),
		BAD("\xe6\xa0", 0, "truncated sequence"),
		BAD("\xf0\x9f\x98", 0, "truncated sequence"),
		BAD("\xe6\x41\x42", 0, "truncated sequence"), /* not a cont. */
		BAD("\xc3 x", 0, "truncated sequence"),
		BAD("nul\0here", 3, "NUL byte"),
#undef OK
#undef BAD
	};
	const char *why;
	size_t i, off;
	int rc;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		off = 999;
		why = NULL;
		rc = preflight_utf8_check(cases[i].s, cases[i].len, &off, &why);
		if (rc != (cases[i].ok ? 0 : -1) ||
		    (!cases[i].ok &&
			(off != cases[i].off ||
			    strcmp(why, cases[i].why) != 0)))
			fail_msg("case %zu: rc %d off %zu why %s", i, rc, off,
			    why != NULL ? why : "-");
	}
	/* Offsets and reasons may be left out. */
	assert_int_equal(preflight_utf8_check("\xff", 1, NULL, NULL), -1);
}

static void
test_statement_not_utf8(void **state)
{
	static const char bad[] = "We removed \xc0\xaf from the title and "
				  "rewrote the description so that every "
				  "claim is one we can show.";
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;

	(void)state;
	fx_init(&f);
	set_statement(&f, bad);
	list = expect(&f, PREFLIGHT_STATEMENT_NOT_UTF8, 1);
	x = nth(list, PREFLIGHT_STATEMENT_NOT_UTF8, 0);
	assert_int_equal(x->offset, 11);
	assert_string_equal(x->quote, "overlong encoding");
	assert_int_equal(x->severity, PREFLIGHT_ERROR);
	assert_string_equal(x->message,
	    "the statement is not valid UTF-8 text (overlong encoding at byte "
	    "offset 11); save it as UTF-8 and check again");
	/* The rest of the statement is still checked, and passes. */
	assert_int_equal(list->n, 1);
	preflight_findings_free(list);

	/* Valid, in Chinese: nothing. */
	fx_init(&f);
	set_statement(&f,
	    "已删除标题中的“最好”一词（原标题第3个词），并把第二张主图换成了"
	    "我们自己拍摄的产品图片，附件是带地址栏的截图。");
	expect_free(&f, PREFLIGHT_STATEMENT_NOT_UTF8, 0);

	/* A NUL inside a statement given with its length. */
	fx_init(&f);
	f.in.statement = "removed the title term\0 and more";
	f.in.statement_len = 32;
	list = expect(&f, PREFLIGHT_STATEMENT_NOT_UTF8, 1);
	assert_string_equal(
	    nth(list, PREFLIGHT_STATEMENT_NOT_UTF8, 0)->quote, "NUL byte");
	assert_int_equal(
	    nth(list, PREFLIGHT_STATEMENT_NOT_UTF8, 0)->offset, 22);
	preflight_findings_free(list);
}

static void
test_statement_template(void **state)
{
	static const struct {
		const char *statement;
		int n;
		const char *quote; /* the first one */
	} cases[] = {
		{ GOOD_STATEMENT, 0, NULL },
		{ "I have rectified, please unblock.", 1,
		    "I have rectified, please unblock" },
		{ "I HAVE RECTIFIED!!! Please   unblock", 1,
		    "I have rectified, please unblock" },
		/* Overlapping phrases count once. */
		{ "I have rectified, please unblock my product", 1,
		    "I have rectified, please unblock" },
		{ "Title fixed. I am not copy. Please check again.", 2,
		    "I am not copy" },
		/* Full-width letters fold to ASCII. */
		{ "ＩＡＭ ＮＯＴ ＣＯＰＹ", 0, NULL },
		{ "Ｉ ａｍ ｎｏｔ ｃｏｐｙ", 1, "I am not copy" },
		{ "已整改，请解封", 1, "已整改，请解封" },
		{ "已整改请解封！", 1, "已整改，请解封" },
		{ "标题已修改。我们没有侵权。", 1, "没有侵权" },
		/* Word boundaries: "unblocked" is not "unblock". */
		{ "kindly unblocked", 0, NULL },
		{ "nono infringement", 0, NULL },
		{ "no infringements", 0, NULL },
	};
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		fx_init(&f);
		set_statement(&f, cases[i].statement);
		list = run(&f);
		if ((int)count(list, PREFLIGHT_STATEMENT_TEMPLATE) !=
		    cases[i].n) {
			dump(list);
			fail_msg("case %zu: %zu template findings", i,
			    count(list, PREFLIGHT_STATEMENT_TEMPLATE));
		}
		if (cases[i].n > 0) {
			x = nth(list, PREFLIGHT_STATEMENT_TEMPLATE, 0);
			assert_string_equal(x->quote, cases[i].quote);
			assert_string_equal(f.cfg.templates[x->item], x->quote);
			assert_contains(x->message, "stock phrase");
		}
		preflight_findings_free(list);
	}

	/* Offsets point into the statement as given. */
	fx_init(&f);
	set_statement(&f, "Title fixed. I am not copy.");
	list = expect(&f, PREFLIGHT_STATEMENT_TEMPLATE, 1);
	x = nth(list, PREFLIGHT_STATEMENT_TEMPLATE, 0);
	assert_int_equal(x->offset, 13);
	assert_string_equal(x->message,
	    "the statement holds the stock phrase \"I am not copy\", which "
	    "gets appeals rejected automatically; replace it with what was "
	    "changed and where");
	preflight_findings_free(list);

	/* An empty list turns the check off. */
	fx_init(&f);
	set_statement(&f, "I am not copy");
	f.cfg.ntemplates = 0;
	expect_free(&f, PREFLIGHT_STATEMENT_TEMPLATE, 0);
}

static void
test_statement_too_short(void **state)
{
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;

	(void)state;
	fx_init(&f);
	set_statement(&f, "Removed the banned word from the title.");
	list = expect(&f, PREFLIGHT_STATEMENT_TOO_SHORT, 1);
	x = nth(list, PREFLIGHT_STATEMENT_TOO_SHORT, 0);
	assert_int_equal(x->value, 7);
	assert_int_equal(x->limit, 10);
	assert_string_equal(x->message,
	    "the statement has 7 words, fewer than 10 (a Chinese character "
	    "counts as one); say what was changed, where, and what is "
	    "attached");
	preflight_findings_free(list);

	/* Exactly the minimum passes; one less does not. */
	fx_init(&f);
	set_statement(&f, "one two three four five six seven eight nine title");
	expect_free(&f, PREFLIGHT_STATEMENT_TOO_SHORT, 0);
	set_statement(&f, "one two three four five six seven eight title");
	expect_free(&f, PREFLIGHT_STATEMENT_TOO_SHORT, 1);

	/* The guide's own good statement, in English and in Chinese. */
	set_statement(&f,
	    "Removed 'best quality' from the title, see word 3 "
	    "of the new title.");
	expect_free(&f, PREFLIGHT_STATEMENT_TOO_SHORT, 0);
	set_statement(&f, "已删除标题中‘best quality’表述，见新标题第3词");
	expect_free(&f, PREFLIGHT_STATEMENT_TOO_SHORT, 0);

	/* Chinese: 9 characters are 9 words; 10 pass. */
	fx_init(&f);
	set_statement(&f, "已删除标题中的最好");
	list = expect(&f, PREFLIGHT_STATEMENT_TOO_SHORT, 1);
	assert_int_equal(nth(list, PREFLIGHT_STATEMENT_TOO_SHORT, 0)->value, 9);
	preflight_findings_free(list);
	set_statement(&f, "已删除标题中的最好一词");
	expect_free(&f, PREFLIGHT_STATEMENT_TOO_SHORT, 0);

	/* Empty, and min_words 0 turning it off. */
	set_statement(&f, "");
	expect_free(&f, PREFLIGHT_STATEMENT_TOO_SHORT, 1);
	f.cfg.min_words = 0;
	expect_free(&f, PREFLIGHT_STATEMENT_TOO_SHORT, 0);

	/* No statement, no statement checks at all. */
	fx_init(&f);
	set_statement(&f, NULL);
	list = run(&f);
	assert_int_equal(list->n, 0);
	preflight_findings_free(list);
}

static void
test_word_count(void **state)
{
	static const struct {
		const char *s;
		size_t n;
	} cases[] = {
		{ "", 0 },
		{ "   ,,, !!", 0 },
		{ "hello", 1 },
		{ "Hello, world!", 2 },
		{ "don't", 2 },
		{ "删除了标题", 5 },
		{ "remove 标题 now", 4 },
		{ "title标题", 3 },
		{ "ｆｕｌｌ ｗｉｄｔｈ", 2 },
		{ "bad\xffword", 2 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++)
		if (preflight_word_count(cases[i].s, strlen(cases[i].s)) !=
		    cases[i].n)
			fail_msg("\"%s\": %zu words, want %zu", cases[i].s,
			    preflight_word_count(
				cases[i].s, strlen(cases[i].s)),
			    cases[i].n);
}

static void
test_statement_no_field(void **state)
{
	static const char vague[] =
	    "We have made all the necessary corrections "
	    "to comply with the platform rules and ask "
	    "for a new review of the case, thank you.";
	static const struct {
		const char *statement;
		const char *note_field;
		int n;
	} cases[] = {
		{ GOOD_STATEMENT, "title", 0 },
		{ vague, "title", 1 },
		{ vague, NULL, 1 },
		/* A note's own field counts, a plural too. */
		{ "We rewrote both bullet points to match the product exactly "
		  "and the screenshots show the live page and its address",
		    "bullet point", 0 },
		/* Generic field words, plurals and Chinese. */
		{ "We replaced the watermarked images with our own and the "
		  "screenshots show the live page and its address bar",
		    NULL, 0 },
		{ "已删除标题中的最好一词并附上带地址栏的截图", NULL, 0 },
		{ "已按平台规则全部修改完毕并附上带地址栏的截图请审核", NULL,
		    1 },
		/* Word boundaries: "entitled" does not name a title. */
		{ "We are entitled to sell this product and have made all the "
		  "corrections the platform asked for, thank you",
		    NULL, 1 },
	};
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		fx_init(&f);
		set_statement(&f, cases[i].statement);
		f.notes[0].field = cases[i].note_field;
		f.points[0].field = cases[i].note_field;
		list = run(&f);
		if ((int)count(list, PREFLIGHT_STATEMENT_NO_FIELD) !=
		    cases[i].n) {
			dump(list);
			fail_msg("case %zu", i);
		}
		preflight_findings_free(list);
	}

	/* The message names the notes' fields, each once. */
	fx_init(&f);
	set_statement(&f, vague);
	f.notes[1] = (struct preflight_note){ NULL, "main image", "new photo",
		0, NULL, NULL };
	f.notes[2] =
	    (struct preflight_note){ NULL, "title", "again", 0, NULL, NULL };
	f.in.nnotes = 3;
	list = expect(&f, PREFLIGHT_STATEMENT_NO_FIELD, 1);
	assert_string_equal(nth(list, PREFLIGHT_STATEMENT_NO_FIELD, 0)->message,
	    "the statement does not name what was changed (the notes say: "
	    "title and main image); say what was changed and where, e.g. "
	    "\"removed 'best quality' from the title\"");
	preflight_findings_free(list);

	/* Nothing to compare with: no note field, no field words. */
	fx_init(&f);
	set_statement(&f, vague);
	f.notes[0].field = NULL;
	f.cfg.nfield_words = 0;
	expect_free(&f, PREFLIGHT_STATEMENT_NO_FIELD, 0);
}

static void
test_similarity_scores(void **state)
{
	static const struct {
		const char *a, *b;
		int k;
		double score;
	} cases[] = {
		{ "", "", 2, 0 },
		{ "same words here", "", 2, 0 },
		{ "a b c", "a b c", 1, 1 },
		{ "a b c", "a b d", 1, 2.0 / 4 },
		{ "a b c", "a b d", 2, 1.0 / 3 },
		{ "a b c", "a b d", 3, 0 },
		/* Order matters for shingles, not for single words. */
		{ "a b c d", "d c b a", 1, 1 },
		{ "a b c d", "d c b a", 2, 0 },
		/* Repeats are one element of the set. */
		{ "a a a b", "a b", 1, 1 },
		/* Fewer words than the shingle: one shingle of all. */
		{ "hello", "hello", 3, 1 },
		{ "hello there", "hello", 3, 0 },
		/* Case, punctuation and full-width forms do not count. */
		{ "Hello, World!", "hello world", 2, 1 },
		{ "ＨＥＬＬＯ world", "hello WORLD", 2, 1 },
		{ "We removed 'best quality' from the title",
		    "We removed best-quality from the title", 1, 1 },
		/* CJK: character bigrams are the words. 6 and 6, 3 shared. */
		{ "我们删除了标题", "我们修改了标题", 1, 3.0 / 9 },
		{ "我们删除了标题", "我们删除了标题。", 2, 1 },
		{ "好", "好", 1, 1 },
		{ "好", "好的", 1, 0 },
		/* Mixed: a Latin word, then a bigram. */
		{ "title标题", "title 标题", 1, 1 },
		{ "title标题", "标题title", 1, 1 },
		{ "title标题", "标题title", 2, 0 },
	};
	double s;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		assert_int_equal(preflight_similarity(
				     cases[i].a, cases[i].b, cases[i].k, &s),
		    0);
		if (s < cases[i].score - 1e-9 || s > cases[i].score + 1e-9)
			fail_msg("case %zu (\"%s\" ~ \"%s\", %d): %f, want %f",
			    i, cases[i].a, cases[i].b, cases[i].k, s,
			    cases[i].score);
		/* Symmetric. */
		assert_int_equal(preflight_similarity(
				     cases[i].b, cases[i].a, cases[i].k, &s),
		    0);
		assert_true(
		    s > cases[i].score - 1e-9 && s < cases[i].score + 1e-9);
	}
	assert_int_equal(preflight_similarity("a", "a", 0, &s), -1);
	assert_int_equal(preflight_similarity("a", "a", 9, &s), -1);
}

static void
test_statement_similar(void **state)
{
	/* 27 words; the copy changes one: 24 bigrams shared, 28 in all. */
	static const char first[] =
	    "We removed the words best quality from the title and rewrote the "
	    "description to list only the measured battery life and the "
	    "screenshots show the live page";
	static const char copy[] =
	    "We removed the words best quality from the title and rewrote the "
	    "description to list only the tested battery life and the "
	    "screenshots show the live page";
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	double s;

	(void)state;
	assert_int_equal(preflight_similarity(first, copy, 2, &s), 0);
	assert_true(s > 24.0 / 28 - 1e-9 && s < 24.0 / 28 + 1e-9);

	fx_init(&f);
	set_statement(&f, copy);
	f.appeals[0] = (struct preflight_appeal){ .n = 1,
		.decision = APPEAL_REJECTED,
		.statement = "Something else entirely about the images",
		.statement_sha256 = "0001" };
	f.appeals[1] = (struct preflight_appeal){ .n = 2,
		.decision = APPEAL_REJECTED,
		.statement = first,
		.statement_sha256 = "0002" };
	f.in.nappeals = 2;
	list = expect(&f, PREFLIGHT_STATEMENT_SIMILAR, 1);
	x = nth(list, PREFLIGHT_STATEMENT_SIMILAR, 0);
	assert_int_equal(x->item, 1);
	assert_int_equal(x->value, 2);
	assert_int_equal(x->limit, 70);
	assert_true(x->score > 0.85 && x->score < 0.86);
	assert_string_equal(x->message,
	    "the statement is 85% similar to appeal 2's (limit 70%); a "
	    "near-copy is rejected like a resubmission: write anew what was "
	    "changed since that appeal");
	preflight_findings_free(list);

	/* A higher threshold lets it through; an identical text does not. */
	f.cfg.similarity = 0.9;
	expect_free(&f, PREFLIGHT_STATEMENT_SIMILAR, 0);
	set_statement(&f, first);
	list = expect(&f, PREFLIGHT_STATEMENT_SIMILAR, 1);
	assert_contains(nth(list, PREFLIGHT_STATEMENT_SIMILAR, 0)->message,
	    "100% similar to appeal 2's (limit 90%)");
	preflight_findings_free(list);

	/* Of equally similar statements, the latest appeal is named. */
	f.appeals[0].statement = first;
	list = expect(&f, PREFLIGHT_STATEMENT_SIMILAR, 1);
	assert_int_equal(nth(list, PREFLIGHT_STATEMENT_SIMILAR, 0)->item, 1);
	assert_int_equal(nth(list, PREFLIGHT_STATEMENT_SIMILAR, 0)->value, 2);
	preflight_findings_free(list);

	/* A fresh statement, and earlier appeals without text, pass. */
	fx_init(&f);
	f.appeals[0] = (struct preflight_appeal){
		.n = 1, .decision = APPEAL_REJECTED, .statement = first
	};
	f.appeals[1] =
	    (struct preflight_appeal){ .n = 2, .decision = APPEAL_REJECTED };
	f.in.nappeals = 2;
	expect_free(&f, PREFLIGHT_STATEMENT_SIMILAR, 0);

	/* Chinese near-copies are caught through bigrams. */
	fx_init(&f);
	set_statement(
	    &f, "已删除标题中的最好一词并把第二张主图换成了自己拍摄的产品图片");
	f.appeals[0] = (struct preflight_appeal){ .n = 1,
		.decision = APPEAL_REJECTED,
		.statement = "已删除标题中的最好一词并把第二张主图换成了自己拍"
			     "摄的产品照片" };
	f.in.nappeals = 1;
	expect_free(&f, PREFLIGHT_STATEMENT_SIMILAR, 1);
	f.appeals[0].statement =
	    "我们重新拍摄了全部图片并在详情页补充了检测报告编号和有效期";
	expect_free(&f, PREFLIGHT_STATEMENT_SIMILAR, 0);
}

static void
test_case_unclassified(void **state)
{
	struct preflight_findings *list;
	struct fx f;
	int r;

	(void)state;
	for (r = 0; r < CASE_REASON_COUNT; r++) {
		fx_init(&f);
		f.in.c.reason = (enum case_reason)r;
		/* Give every reason the documents it could need. */
		f.docs[1] = (struct preflight_doc){
			.name = "AE1005001234567890_TRADEMARK_Registration.pdf",
			.type = "trademark",
			.sha256 = "bb",
			.attached = 1
		};
		f.docs[2] = (struct preflight_doc){
			.name = "AE1005001234567890_COURT_ORDER_Order.pdf",
			.type = "court_order",
			.sha256 = "cc",
			.attached = 1
		};
		f.in.ndocs = 3;
		list = run(&f);
		assert_int_equal(count(list, PREFLIGHT_CASE_UNCLASSIFIED),
		    r == CASE_REASON_UNCLASSIFIED);
		assert_int_equal(list->n, r == CASE_REASON_UNCLASSIFIED);
		if (r == CASE_REASON_UNCLASSIFIED)
			assert_contains(list->v[0].message,
			    "classify the case (ip_infringement, "
			    "category_misplaced,");
		preflight_findings_free(list);
	}
}

static void
test_point_not_rectified(void **state)
{
	static const struct {
		const char *point_id, *point_field;
		const char *note_point, *note_field;
		int n;
	} cases[] = {
		{ "1", "title", "1", NULL, 0 }, /* by id */
		{ "1", "title", NULL, "title", 0 }, /* by field */
		{ "1", "title", NULL, "Title", 0 },
		{ "1", "image", NULL, "main image", 0 },
		{ "1", "image", NULL, "images 2 and 3", 0 },
		{ "1", "main image", NULL, "image", 1 },
		{ "1", "main image", NULL, "main image 2", 0 },
		{ "1", "title", "2", "description", 1 },
		{ "1", "title", NULL, NULL, 1 },
		{ NULL, "title", NULL, "title", 0 },
		{ NULL, NULL, NULL, "title", 1 },
		{ "1", "标题", NULL, "标题", 0 },
		{ "1", "主图", NULL, "标题", 1 },
	};
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		fx_init(&f);
		f.points[0].id = cases[i].point_id;
		f.points[0].field = cases[i].point_field;
		f.notes[0].point = cases[i].note_point;
		f.notes[0].field = cases[i].note_field;
		list = run(&f);
		if ((int)count(list, PREFLIGHT_POINT_NOT_RECTIFIED) !=
		    cases[i].n) {
			dump(list);
			fail_msg("case %zu", i);
		}
		preflight_findings_free(list);
	}

	/* Two points, one note: the message and the data. */
	fx_init(&f);
	f.points[1] =
	    (struct preflight_point){ "2", "image 3", "third-party watermark" };
	f.in.npoints = 2;
	list = expect(&f, PREFLIGHT_POINT_NOT_RECTIFIED, 1);
	x = nth(list, PREFLIGHT_POINT_NOT_RECTIFIED, 0);
	assert_int_equal(x->item, 1);
	assert_string_equal(x->quote, "2");
	assert_string_equal(x->message,
	    "violation point 2 (image 3), \"third-party watermark\" has no "
	    "rectification note; fix it on the listing, then record what "
	    "changed: delistctl case note 7 \"what changed, and where\" "
	    "--field \"image 3\"");
	preflight_findings_free(list);

	/* No notes at all: every point, in order. */
	f.in.nnotes = 0;
	list = expect(&f, PREFLIGHT_POINT_NOT_RECTIFIED, 2);
	assert_int_equal(nth(list, PREFLIGHT_POINT_NOT_RECTIFIED, 0)->item, 0);
	assert_int_equal(nth(list, PREFLIGHT_POINT_NOT_RECTIFIED, 1)->item, 1);
	preflight_findings_free(list);
}

static void
test_docs_missing(void **state)
{
	static const struct {
		enum case_reason reason;
		const char *type; /* attached; NULL: none */
		int n;
	} cases[] = {
		{ CASE_REASON_MISSING_CERTIFICATION, "ce", 0 },
		{ CASE_REASON_MISSING_CERTIFICATION, "fcc", 0 },
		{ CASE_REASON_MISSING_CERTIFICATION, "ukca", 0 },
		{ CASE_REASON_MISSING_CERTIFICATION, "saso", 0 },
		{ CASE_REASON_MISSING_CERTIFICATION, "test_report", 0 },
		{ CASE_REASON_MISSING_CERTIFICATION, "invoice", 1 },
		{ CASE_REASON_MISSING_CERTIFICATION, NULL, 1 },
		{ CASE_REASON_IP_INFRINGEMENT, "trademark", 0 },
		{ CASE_REASON_IP_INFRINGEMENT, "brand_authorization", 0 },
		{ CASE_REASON_IP_INFRINGEMENT, "invoice", 1 },
		{ CASE_REASON_IP_INFRINGEMENT, NULL, 1 },
		{ CASE_REASON_TRO, "court_order", 0 },
		{ CASE_REASON_TRO, "dismissal", 0 },
		{ CASE_REASON_TRO, "trademark", 1 },
		{ CASE_REASON_TRO, NULL, 1 },
		{ CASE_REASON_FALSE_INFO, NULL, 0 },
		{ CASE_REASON_PROHIBITED_WORDS, NULL, 0 },
		{ CASE_REASON_UNAUTHORIZED_MEDIA, NULL, 0 },
	};
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		fx_init(&f);
		f.in.c.reason = cases[i].reason;
		f.docs[0].type = cases[i].type;
		f.docs[0].name = NULL;
		f.in.ndocs = cases[i].type != NULL;
		list = run(&f);
		if ((int)count(list, PREFLIGHT_DOCS_MISSING) != cases[i].n) {
			dump(list);
			fail_msg("case %zu", i);
		}
		preflight_findings_free(list);
	}

	/* The message; a document only in the vault does not count. */
	fx_init(&f);
	f.in.c.reason = CASE_REASON_TRO;
	f.docs[0].attached = 0;
	f.docs[0].type = "court_order";
	f.docs[0].id = 41;
	list = expect(&f, PREFLIGHT_DOCS_MISSING, 1);
	x = nth(list, PREFLIGHT_DOCS_MISSING, 0);
	assert_string_equal(x->quote, "tro");
	assert_string_equal(x->message,
	    "a case for tro needs court papers (a bare \"no infringement\" "
	    "statement is always rejected): attach a court_order or dismissal "
	    "document; the vault has one: delistctl case doc 7 41");
	preflight_findings_free(list);
	/* An expired vault document is not offered. */
	f.docs[0].expires = f.in.now - 1;
	list = expect(&f, PREFLIGHT_DOCS_MISSING, 1);
	assert_string_equal(nth(list, PREFLIGHT_DOCS_MISSING, 0)->message,
	    "a case for tro needs court papers (a bare \"no infringement\" "
	    "statement is always rejected): attach a court_order or dismissal "
	    "document");
	preflight_findings_free(list);

	/* The table is configurable: a reason can need nothing. */
	fx_init(&f);
	f.in.c.reason = CASE_REASON_TRO;
	f.cfg.nneeds = 0;
	expect_free(&f, PREFLIGHT_DOCS_MISSING, 0);
}

static void
test_doc_expired(void **state)
{
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;

	(void)state;
	fx_init(&f);
	f.docs[0].expires = at("2026-09-01T00:00:00+08:00");
	list = expect(&f, PREFLIGHT_DOC_EXPIRED, 1);
	x = nth(list, PREFLIGHT_DOC_EXPIRED, 0);
	assert_int_equal(x->item, 0);
	assert_int_equal(x->when, at("2026-09-01T00:00:00+08:00"));
	/* Without a calendar times are written in UTC. */
	assert_string_equal(x->message,
	    "\"" GOOD_NAME "\" (test_report) expired at 2026-08-31T16:00:00Z; "
	    "renew it, or attach one that is valid");
	assert_int_equal(count(list, PREFLIGHT_DOC_EXPIRES_IN_REVIEW), 0);
	preflight_findings_free(list);

	/* expires is the first instant it is no longer valid. */
	f.docs[0].expires = f.in.now;
	list = expect(&f, PREFLIGHT_DOC_EXPIRED, 1);
	/* Expired is not also expiring. */
	assert_int_equal(count(list, PREFLIGHT_DOC_EXPIRES_IN_REVIEW), 0);
	preflight_findings_free(list);
	f.docs[0].expires = f.in.now + 1;
	expect_free(&f, PREFLIGHT_DOC_EXPIRED, 0);
	f.docs[0].expires = 0; /* never */
	expect_free(&f, PREFLIGHT_DOC_EXPIRED, 0);
	/* Only attached documents are checked. */
	f.docs[0].expires = f.in.now - DAY;
	f.docs[0].attached = 0;
	expect_free(&f, PREFLIGHT_DOC_EXPIRED, 0);

	/* Attached to the case from the vault: the sentence says how to fix. */
	fx_init(&f);
	f.docs[0].expires = at("2026-09-01T00:00:00+08:00");
	f.docs[0].detachable = 1;
	list = expect(&f, PREFLIGHT_DOC_EXPIRED, 1);
	assert_string_equal(nth(list, PREFLIGHT_DOC_EXPIRED, 0)->message,
	    "\"" GOOD_NAME "\" (test_report) expired at 2026-08-31T16:00:00Z; "
	    "attach the renewed one, or detach it with delistctl case doc 7 12 "
	    "--detach");
	preflight_findings_free(list);
	/* A valid one of its type attached too: the renewal supersedes it. */
	f.docs[1] = f.docs[0];
	f.docs[1].id = 13;
	f.docs[1].expires = at("2027-09-01T00:00:00+08:00");
	f.in.ndocs = 2;
	expect_free(&f, PREFLIGHT_DOC_EXPIRED, 0);
	/* ... not one of another type, */
	f.docs[1].type = "ce";
	expect_free(&f, PREFLIGHT_DOC_EXPIRED, 1);
	/* ... nor an expired one, */
	f.docs[1].type = "test_report";
	f.docs[1].expires = at("2026-09-02T00:00:00+08:00");
	expect_free(&f, PREFLIGHT_DOC_EXPIRED, 2);
	/* ... and a material being sent stays an error (it would be sent). */
	f.docs[1].expires = 0;
	f.docs[0].detachable = 0;
	expect_free(&f, PREFLIGHT_DOC_EXPIRED, 1);

	/* With a calendar, in its zone. */
	fx_init(&f);
	f.cal = shanghai(1);
	f.docs[0].expires = at("2026-09-01T00:00:00+08:00");
	list = expect(&f, PREFLIGHT_DOC_EXPIRED, 1);
	assert_contains(nth(list, PREFLIGHT_DOC_EXPIRED, 0)->message,
	    "expired at 2026-09-01T00:00:00+08:00;");
	preflight_findings_free(list);
	calendar_free(f.cal);
}

/*
 * Submitted Tuesday 2026-09-29 10:00 in Shanghai, Golden Week 10-01..07
 * off, Saturday 10-10 a make-up workday: the five business days are 30 Sep,
 * 8, 9, 10 and 12 Oct, so the review can run until 2026-10-12 10:00.
 */
static void
test_doc_expires_in_review_golden_week(void **state)
{
	static const struct {
		const char *expires;
		int workdays; /* the make-up workdays count */
		int n;
	} cases[] = {
		{ "2026-09-30T09:00:00+08:00", 1, 1 },
		{ "2026-10-09T00:00:00+08:00", 1, 1 },
		{ "2026-10-12T09:59:59+08:00", 1, 1 },
		{ "2026-10-12T10:00:00+08:00", 1, 0 },
		{ "2026-10-20T00:00:00+08:00", 1, 0 },
		/* Without the make-up Saturday the window runs a day more. */
		{ "2026-10-12T10:00:00+08:00", 0, 1 },
		{ "2026-10-13T09:59:59+08:00", 0, 1 },
		{ "2026-10-13T10:00:00+08:00", 0, 0 },
	};
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		fx_init(&f);
		f.cal = shanghai(cases[i].workdays);
		f.docs[0].expires = at(cases[i].expires);
		list = run(&f);
		if ((int)count(list, PREFLIGHT_DOC_EXPIRES_IN_REVIEW) !=
		    cases[i].n) {
			dump(list);
			fail_msg("case %zu (%s)", i, cases[i].expires);
		}
		assert_int_equal(count(list, PREFLIGHT_DOC_EXPIRED), 0);
		assert_int_equal(list->nerrors, 0);
		preflight_findings_free(list);
		calendar_free(f.cal);
	}

	fx_init(&f);
	f.cal = shanghai(1);
	f.docs[0].expires = at("2026-10-09T00:00:00+08:00");
	list = expect(&f, PREFLIGHT_DOC_EXPIRES_IN_REVIEW, 1);
	x = nth(list, PREFLIGHT_DOC_EXPIRES_IN_REVIEW, 0);
	assert_int_equal(x->severity, PREFLIGHT_WARNING);
	assert_int_equal(x->limit, 5);
	assert_int_equal(x->when, at("2026-10-09T00:00:00+08:00"));
	assert_string_equal(x->message,
	    "\"" GOOD_NAME "\" (test_report) expires at "
	    "2026-10-09T00:00:00+08:00, before the review can end (5 business "
	    "days, until 2026-10-12T10:00:00+08:00); renew it before "
	    "submitting");
	preflight_findings_free(list);

	/* The window is configurable. */
	f.cfg.review_days = 1; /* until Wednesday 09-30 10:00 */
	expect_free(&f, PREFLIGHT_DOC_EXPIRES_IN_REVIEW, 0);
	f.cfg.review_days = 0;
	f.docs[0].expires = f.in.now + 1;
	expect_free(&f, PREFLIGHT_DOC_EXPIRES_IN_REVIEW, 0);
	calendar_free(f.cal);
}

/* Without a calendar: Monday to Friday in UTC, holidays unknown. */
static void
test_doc_expires_in_review_no_calendar(void **state)
{
	static const struct {
		const char *now;
		const char *expires;
		int n;
	} cases[] = {
		/* Tuesday 09-29 02:00Z + 5 weekdays = Tuesday 10-06 02:00Z. */
		{ "2026-09-29T02:00:00+00:00", "2026-10-06T01:59:59+00:00", 1 },
		{ "2026-09-29T02:00:00+00:00", "2026-10-06T02:00:00+00:00", 0 },
		/* Golden Week is not known: 10-09 is after the window. */
		{ "2026-09-29T02:00:00+00:00", "2026-10-09T00:00:00+00:00", 0 },
		/* Saturday: the window opens Monday 00:00, ends Monday. */
		{ "2026-10-03T15:00:00+00:00", "2026-10-11T23:59:59+00:00", 1 },
		{ "2026-10-03T15:00:00+00:00", "2026-10-12T00:00:00+00:00", 0 },
	};
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		fx_init(&f);
		f.in.now = at(cases[i].now);
		f.docs[0].expires = at(cases[i].expires);
		list = run(&f);
		if ((int)count(list, PREFLIGHT_DOC_EXPIRES_IN_REVIEW) !=
		    cases[i].n) {
			dump(list);
			fail_msg("case %zu", i);
		}
		preflight_findings_free(list);
	}
}

static void
test_doc_other_product(void **state)
{
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;

	(void)state;
	fx_init(&f);
	f.docs[0].products = other_products;
	f.docs[0].nproducts = 1;
	list = expect(&f, PREFLIGHT_DOC_OTHER_PRODUCT, 1);
	x = nth(list, PREFLIGHT_DOC_OTHER_PRODUCT, 0);
	assert_int_equal(x->item, 0);
	assert_string_equal(x->quote, PID);
	assert_string_equal(x->message,
	    "\"" GOOD_NAME "\" (test_report) covers " OTHER_PID ", not this "
	    "listing's " PID "; attach the document issued for this product");
	preflight_findings_free(list);
	/* Attached to the case from the vault: how to take it off. */
	f.docs[0].detachable = 1;
	list = expect(&f, PREFLIGHT_DOC_OTHER_PRODUCT, 1);
	assert_string_equal(nth(list, PREFLIGHT_DOC_OTHER_PRODUCT, 0)->message,
	    "\"" GOOD_NAME "\" (test_report) covers " OTHER_PID ", not this "
	    "listing's " PID "; attach the document issued for this product, "
	    "and detach this one with delistctl case doc 7 12 --detach");
	preflight_findings_free(list);
	f.docs[0].detachable = 0;

	f.docs[0].nproducts = 5;
	list = expect(&f, PREFLIGHT_DOC_OTHER_PRODUCT, 1);
	assert_contains(nth(list, PREFLIGHT_DOC_OTHER_PRODUCT, 0)->message,
	    "covers " OTHER_PID ", 1005008888888888, 1005007777777777 and 2 "
	    "more, not");
	preflight_findings_free(list);

	/* Not product-specific, or the listing's product unknown: fine. */
	f.docs[0].nproducts = 0;
	expect_free(&f, PREFLIGHT_DOC_OTHER_PRODUCT, 0);
	f.docs[0].nproducts = 1;
	f.in.product_id = NULL;
	expect_free(&f, PREFLIGHT_DOC_OTHER_PRODUCT, 0);

	/* Another shop's document. */
	fx_init(&f);
	f.docs[0].shop = "rival";
	list = expect(&f, PREFLIGHT_DOC_OTHER_PRODUCT, 1);
	x = nth(list, PREFLIGHT_DOC_OTHER_PRODUCT, 0);
	assert_string_equal(x->quote, "acme");
	assert_string_equal(x->message,
	    "\"" GOOD_NAME "\" (test_report) belongs to shop \"rival\", not "
	    "\"acme\"; attach this shop's own document");
	preflight_findings_free(list);
	f.docs[0].shop = NULL;
	expect_free(&f, PREFLIGHT_DOC_OTHER_PRODUCT, 0);
	f.docs[0].shop = "acme";
	f.docs[0].attached = 0;
	f.docs[0].products = other_products;
	expect_free(&f, PREFLIGHT_DOC_OTHER_PRODUCT, 0);
}

/*
 * At least 600x800 in either orientation: the short side at least 600 and
 * the long side at least 800, so a landscape scan of a portrait page is
 * judged like the page.
 */
static void
test_doc_low_resolution(void **state)
{
	static const struct {
		int w, h;
		int n;
	} cases[] = {
		{ 600, 800, 0 }, { 800, 600, 0 },
		{ 2480, 3508, 0 }, /* A4 at 300 dpi */
		{ 1200, 700, 0 }, { 599, 800, 1 }, { 600, 799, 1 },
		{ 800, 599, 1 }, { 799, 600, 1 }, { 700, 700, 1 },
		{ 500, 2000, 1 }, { 0, 0, 0 }, /* not an image */
		{ 640, 0, 1 }, /* a height that could not be measured */
	};
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		fx_init(&f);
		f.docs[0].name = "AE1005001234567890_TEST_REPORT_Page1.jpg";
		f.docs[0].width = cases[i].w;
		f.docs[0].height = cases[i].h;
		list = run(&f);
		if ((int)count(list, PREFLIGHT_DOC_LOW_RESOLUTION) !=
		    cases[i].n) {
			dump(list);
			fail_msg("case %zu (%dx%d)", i, cases[i].w, cases[i].h);
		}
		preflight_findings_free(list);
	}

	fx_init(&f);
	f.docs[0].name = "AE1005001234567890_TEST_REPORT_Page1.jpg";
	f.docs[0].width = 480;
	f.docs[0].height = 640;
	list = expect(&f, PREFLIGHT_DOC_LOW_RESOLUTION, 1);
	x = nth(list, PREFLIGHT_DOC_LOW_RESOLUTION, 0);
	assert_int_equal(x->width, 480);
	assert_int_equal(x->height, 640);
	assert_string_equal(x->message,
	    "image \"AE1005001234567890_TEST_REPORT_Page1.jpg\" (test_report) "
	    "is 480x640 pixels, below 600x800 (short side 600, long side 800 "
	    "in either orientation); scan or photograph it again, sharper and "
	    "larger");
	preflight_findings_free(list);

	/* Configurable. */
	f.cfg.min_short_side = 400;
	f.cfg.min_long_side = 600;
	expect_free(&f, PREFLIGHT_DOC_LOW_RESOLUTION, 0);
}

static void
test_doc_name(void **state)
{
	static const struct {
		const char *name;
		const char *type;
		int ok;
		const char *suggest;
	} cases[] = {
		{ GOOD_NAME, "test_report", 1, NULL },
		{ "ae1005001234567890_test_report_battery.PDF", "test_report",
		    1, NULL },
		{ "AE1005001234567890_CE_Certificate.pdf", "ce", 1, NULL },
		{ "AE1005001234567890_CE_EU_declaration_2026.jpg", "ce", 1,
		    NULL },
		{ "uploads/AE1005001234567890_CE_Certificate.pdf", "ce", 1,
		    NULL },
		{ "1.jpg", "ce", 0, "AE1005001234567890_CE_Certificate.jpg" },
		{ "scan.png", "ce", 0,
		    "AE1005001234567890_CE_Certificate.pdf" },
		{ "AE1005001234567890_CE_Certificate.png", "ce", 0, NULL },
		{ "AE1005001234567890_CE_Certificate.jpeg", "ce", 0,
		    "AE1005001234567890_CE_Certificate.jpg" },
		{ "AE1005001234567891_CE_Certificate.pdf", "ce", 0, NULL },
		{ "AE100500123456789_CE_Certificate.pdf", "ce", 0, NULL },
		{ "AE1005001234567890_FCC_Certificate.pdf", "ce", 0, NULL },
		{ "AE1005001234567890_CE_.pdf", "ce", 0, NULL },
		{ "AE1005001234567890_CE.pdf", "ce", 0, NULL },
		{ "AE1005001234567890_CECertificate.pdf", "ce", 0, NULL },
		{ "AE1005001234567890_CE_Certificate", "ce", 0, NULL },
		{ "1005001234567890_CE_Certificate.pdf", "ce", 0, NULL },
		{ "AE1005001234567890_BRAND_AUTHORIZATION_Nike.pdf",
		    "brand_authorization", 1, NULL },
		{ "invoice.pdf", "invoice", 0,
		    "AE1005001234567890_INVOICE_Invoice.pdf" },
		{ NULL, "dismissal", 0,
		    "AE1005001234567890_DISMISSAL_Letter.pdf" },
	};
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		fx_init(&f);
		f.docs[0].name = cases[i].name;
		f.docs[0].type = cases[i].type;
		list = run(&f);
		if ((int)count(list, PREFLIGHT_DOC_NAME) != !cases[i].ok) {
			dump(list);
			fail_msg("case %zu (%s)", i, cases[i].name);
		}
		if (!cases[i].ok) {
			x = nth(list, PREFLIGHT_DOC_NAME, 0);
			assert_int_equal(x->severity, PREFLIGHT_WARNING);
			assert_int_equal(list->nerrors, 0);
			if (cases[i].suggest != NULL)
				assert_contains(x->message, cases[i].suggest);
		}
		preflight_findings_free(list);
	}

	fx_init(&f);
	f.docs[0].name = "1.jpg";
	f.docs[0].type = "ce";
	list = expect(&f, PREFLIGHT_DOC_NAME, 1);
	x = nth(list, PREFLIGHT_DOC_NAME, 0);
	assert_string_equal(x->quote, "1.jpg");
	assert_string_equal(x->message,
	    "file name \"1.jpg\" is not "
	    "AE<product id>_<TYPE>_<description>.<pdf|jpg>; rename it like "
	    "AE1005001234567890_CE_Certificate.jpg (PDF or JPG) so the "
	    "reviewer sees what it is for");
	preflight_findings_free(list);

	/* The listing's product id unknown: any digits do. */
	fx_init(&f);
	f.in.product_id = NULL;
	f.docs[0].name = "AE42_TEST_REPORT_Battery.pdf";
	expect_free(&f, PREFLIGHT_DOC_NAME, 0);
	f.docs[0].name = "AE_TEST_REPORT_Battery.pdf";
	expect_free(&f, PREFLIGHT_DOC_NAME, 1);
	/* Documents only in the vault are not checked. */
	f.docs[0].attached = 0;
	expect_free(&f, PREFLIGHT_DOC_NAME, 0);
}

/*
 * Issue 13: what --rename writes draws no doc_name; a PNG screenshot
 * (other) is taken; a PNG certificate is told to convert.
 */
static void
test_doc_name_convention_table(void **state)
{
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;

	(void)state;
	fx_init(&f);
	f.docs[0].name = "AE1005001234567890_TEST-REPORT_SGS.pdf";
	expect_free(&f, PREFLIGHT_DOC_NAME, 0);
	fx_init(&f);
	f.docs[0].name = "AE1005001234567890_CE_declaration.pdf";
	f.docs[0].type = "ce";
	expect_free(&f, PREFLIGHT_DOC_NAME, 0);
	fx_init(&f);
	f.docs[0].name = "AE1005001234567890_OTHER_Screenshot.png";
	f.docs[0].type = "other";
	f.docs[0].width = 1280;
	f.docs[0].height = 800;
	expect_free(&f, PREFLIGHT_DOC_NAME, 0);
	fx_init(&f);
	f.docs[0].name = "AE1005001234567890_CE_Certificate.png";
	f.docs[0].type = "ce";
	f.docs[0].width = 1280;
	f.docs[0].height = 1600;
	list = expect(&f, PREFLIGHT_DOC_NAME, 1);
	x = nth(list, PREFLIGHT_DOC_NAME, 0);
	assert_contains(x->message, "is a PNG image");
	assert_contains(x->message, "convert it to PDF or JPG");
	assert_contains(x->message, "AE1005001234567890_CE_Certificate.jpg");
	preflight_findings_free(list);
	fx_init(&f);
	f.docs[0].name = "AE1005001234567890_TEST_REPORT_SGS.pdf";
	f.docs[0].type = "ce";
	list = expect(&f, PREFLIGHT_DOC_NAME, 1);
	assert_contains(nth(list, PREFLIGHT_DOC_NAME, 0)->message,
	    "AE1005001234567890_CE_Certificate.pdf");
	preflight_findings_free(list);
	fx_init(&f);
	f.docs[0].name = "report.pdf";
	list = expect(&f, PREFLIGHT_DOC_NAME, 1);
	assert_contains(nth(list, PREFLIGHT_DOC_NAME, 0)->message,
	    "AE1005001234567890_TEST-REPORT_Report.pdf");
	preflight_findings_free(list);
}

/* Issue 13: look-alike letters match a banned term. */
static void
test_title_unicode_terms(void **state)
{
	static const char *const titles[] = {
		"\xf0\x9d\x90\x81\xf0\x9d\x90\x84\xf0\x9d\x90\x92"
		"\xf0\x9d\x90\x93 Quality Earbuds", /* 𝐁𝐄𝐒𝐓 */
		"\xe2\x93\x91\xe2\x93\x94\xe2\x93\xa2\xe2\x93\xa3 "
		"quality earbuds", /* ⓑⓔⓢⓣ */
		"B\xc3\xa9st Quality Earbuds", /* Bést */
		"Be\xcc\x81st Quality Earbuds", /* B, e, U+0301 */
		"\xef\xbc\xa2\xef\xbc\xa5\xef\xbc\xb3\xef\xbc\xb4 "
		"QUALITY Earbuds", /* ＢＥＳＴ */
		"STRASSE BEST QUALITY",
	};
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(titles); i++) {
		fx_init(&f);
		f.in.title = titles[i];
		list = run(&f);
		if (count(list, PREFLIGHT_TITLE_BANNED_TERM) != 1) {
			dump(list);
			fail_msg("title %zu (%s)", i, titles[i]);
		}
		x = nth(list, PREFLIGHT_TITLE_BANNED_TERM, 0);
		/* The quote is the title's own text. */
		assert_non_null(strstr(titles[i], x->quote));
		preflight_findings_free(list);
	}
	/* "ß" folds to "ss": "Straße" is "strasse"; no term, no finding. */
	fx_init(&f);
	f.in.title = "Stra\xc3\x9f"
		     "e Earbuds";
	expect_free(&f, PREFLIGHT_TITLE_BANNED_TERM, 0);
	/* Template phrases too: "ＰＬＥＡＳＥ ＵＮＢＬＯＣＫ my product". */
	fx_init(&f);
	set_statement(&f,
	    "\xef\xbc\xb0\xef\xbc\xac\xef\xbc\xa5\xef\xbc\xa1\xef"
	    "\xbc\xb3\xef\xbc\xa5 unblock my product, we removed the words "
	    "best quality from the title and replaced all images today.");
	expect_free(&f, PREFLIGHT_STATEMENT_TEMPLATE, 1);
}

/* Issue 13: "I am not copy" English is a warning quoting the phrase. */
static void
test_machine_english(void **state)
{
	static const struct {
		const char *statement;
		const char *quote;
	} rows[] = {
		{ "We are not copy anything, the title was changed.",
		    "We are not copy" },
		{ "Dear team, we change title for you already, please check.",
		    "change title for you" },
		{ "I AM NOT COPY, this is my own design.", "I AM NOT COPY" },
		{ "We has removed the logo from image 2.", "We has" },
	};
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(rows); i++) {
		fx_init(&f);
		set_statement(&f, rows[i].statement);
		list = run(&f);
		if (count(list, PREFLIGHT_MACHINE_ENGLISH) < 1) {
			dump(list);
			fail_msg("row %zu: %s", i, rows[i].statement);
		}
		x = nth(list, PREFLIGHT_MACHINE_ENGLISH, 0);
		assert_int_equal(x->severity, PREFLIGHT_WARNING);
		assert_string_equal(x->quote, rows[i].quote);
		assert_contains(x->message, rows[i].quote);
		preflight_findings_free(list);
	}
	/* Plain English raises nothing. */
	fx_init(&f);
	set_statement(&f,
	    "We confirm this product is not a copy; we have changed the title "
	    "and we have removed the logo from image 2.");
	expect_free(&f, PREFLIGHT_MACHINE_ENGLISH, 0);
	fx_init(&f);
	expect_free(&f, PREFLIGHT_MACHINE_ENGLISH, 0);
}

/* Issue 13: a claimed new title that the source did not see. */
static void
test_page_unchanged(void **state)
{
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;

	(void)state;
	/* The source saw the old title after the note: an error. */
	fx_init(&f);
	f.notes[0].text = "changed the title to \"Wireless Earbuds 5.3\"";
	f.notes[0].at = f.in.now - 2 * DAY;
	f.in.seen_title = "Best Quality Wireless Earbuds";
	f.in.seen_title_at = f.in.now - DAY;
	list = expect(&f, PREFLIGHT_PAGE_UNCHANGED, 1);
	x = nth(list, PREFLIGHT_PAGE_UNCHANGED, 0);
	assert_int_equal(x->severity, PREFLIGHT_ERROR);
	assert_int_equal(x->item, 0);
	assert_string_equal(x->quote, "Wireless Earbuds 5.3");
	assert_contains(x->message, "Best Quality Wireless Earbuds");
	preflight_findings_free(list);
	/* ... before the note: a warning (the source may not have looked). */
	f.in.seen_title_at = f.in.now - 3 * DAY;
	list = expect(&f, PREFLIGHT_PAGE_UNCHANGED, 1);
	assert_int_equal(nth(list, PREFLIGHT_PAGE_UNCHANGED, 0)->severity,
	    PREFLIGHT_WARNING);
	assert_int_equal(list->nerrors, 0);
	preflight_findings_free(list);
	/* The page shows it (whatever the case and spacing): nothing. */
	f.in.seen_title = "WIRELESS earbuds  5.3 Bluetooth";
	f.in.seen_title_at = f.in.now - DAY;
	expect_free(&f, PREFLIGHT_PAGE_UNCHANGED, 0);
	/* The statement's claim, curly and Chinese quotes. */
	fx_init(&f);
	f.in.seen_title = "Best Quality Wireless Earbuds";
	f.in.seen_title_at = f.in.now - DAY;
	set_statement(&f,
	    "We removed best quality; the new title is \u201cWireless "
	    "Earbuds\u201d and the description lists the battery life.");
	expect_free(&f, PREFLIGHT_PAGE_UNCHANGED, 0);
	set_statement(&f,
	    "We removed the absolute words; the new title is \u201cLED "
	    "Earbuds 5.3\u201d, see the screenshot with the address bar.");
	list = expect(&f, PREFLIGHT_PAGE_UNCHANGED, 1);
	assert_string_equal(
	    nth(list, PREFLIGHT_PAGE_UNCHANGED, 0)->quote, "LED Earbuds 5.3");
	assert_int_equal(nth(list, PREFLIGHT_PAGE_UNCHANGED, 0)->item, -1);
	preflight_findings_free(list);
	set_statement(&f, "已删除绝对化用语，标题改为「无线耳机」，请审核。");
	expect_free(&f, PREFLIGHT_PAGE_UNCHANGED, 1);
	/* A quoted removed term is no title claim (the seed's example). */
	set_statement(&f,
	    "removed 'best quality' from the title, see word 3 of the new "
	    "title");
	expect_free(&f, PREFLIGHT_PAGE_UNCHANGED, 0);
	/* A title note's new value is a claim without quotes. */
	fx_init(&f);
	f.in.seen_title = "Best Quality Wireless Earbuds";
	f.in.seen_title_at = f.in.now - DAY;
	f.notes[0].after = "Wireless Earbuds";
	expect_free(&f, PREFLIGHT_PAGE_UNCHANGED, 0);
	f.notes[0].after = "Wireless Earbuds 5.3 Bluetooth";
	f.notes[0].at = f.in.now - 2 * DAY;
	list = expect(&f, PREFLIGHT_PAGE_UNCHANGED, 1);
	assert_int_equal(
	    nth(list, PREFLIGHT_PAGE_UNCHANGED, 0)->severity, PREFLIGHT_ERROR);
	preflight_findings_free(list);
	f.notes[0].field = "main image";
	expect_free(&f, PREFLIGHT_PAGE_UNCHANGED, 0);
	/* No title seen: skipped. */
	f.in.seen_title = NULL;
	set_statement(&f, "the new title is \"Anything\" now, we changed it.");
	expect_free(&f, PREFLIGHT_PAGE_UNCHANGED, 0);
}

static void
test_title_banned_term(void **state)
{
	static const struct {
		const char *title;
		int n;
		const char *quote; /* the first */
		long long offset;
	} cases[] = {
		{ GOOD_TITLE, 0, NULL, 0 },
		{ "Best Quality Wireless Earbuds", 1, "Best Quality", 0 },
		{ "Earbuds BEST   QUALITY 2026", 1, "BEST   QUALITY", 8 },
		/* Overlapping terms count once. */
		{ "The Best Quality Earbuds", 1, "Best Quality", 4 },
		{ "No.1 Seller Earbuds", 1, "No.1", 0 },
		{ "Earbuds Model No.12", 0, NULL, 0 },
		{ "Earbuds #1 in Sales", 1, "#1", 8 },
		{ "Earbuds #10", 0, NULL, 0 },
		{ "100% Original Earbuds", 1, "100%", 0 },
		{ "1100% Loud", 0, NULL, 0 },
		{ "100 Pieces", 0, NULL, 0 },
		{ "Bestseller Earbuds", 0, NULL, 0 },
		{ "World's Best Earbuds", 1, "World's Best", 0 },
		{ "最好的无线耳机", 1, "最好", 0 },
		{ "无线耳机 销量第一", 1, "第一", 19 },
		{ "ＮＯ．１ Earbuds", 1, "ＮＯ．１", 0 },
		{ "１００％ Cotton", 1, "１００％", 0 },
		{ "Best Quality Earbuds, the cheapest", 2, "Best Quality", 0 },
	};
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		fx_init(&f);
		f.in.title = cases[i].title;
		list = run(&f);
		if ((int)count(list, PREFLIGHT_TITLE_BANNED_TERM) !=
		    cases[i].n) {
			dump(list);
			fail_msg("case %zu (%s)", i, cases[i].title);
		}
		if (cases[i].n > 0) {
			x = nth(list, PREFLIGHT_TITLE_BANNED_TERM, 0);
			assert_string_equal(x->quote, cases[i].quote);
			assert_int_equal(x->offset, cases[i].offset);
		}
		preflight_findings_free(list);
	}

	fx_init(&f);
	f.in.title = "Earbuds, the cheapest; Best Quality";
	list = expect(&f, PREFLIGHT_TITLE_BANNED_TERM, 2);
	/* In the order of the term list, not of the title. */
	x = nth(list, PREFLIGHT_TITLE_BANNED_TERM, 0);
	assert_int_equal(x->item, 0);
	assert_string_equal(x->message,
	    "the title still holds \"Best Quality\" (banned term \"best "
	    "quality\"); remove it from the listing, then check again");
	assert_string_equal(
	    nth(list, PREFLIGHT_TITLE_BANNED_TERM, 1)->quote, "cheapest");
	preflight_findings_free(list);

	/* No title, no word checks; an empty list turns it off. */
	f.in.title = NULL;
	expect_free(&f, PREFLIGHT_TITLE_BANNED_TERM, 0);
	f.in.title = "Best Quality";
	f.cfg.nbanned = 0;
	expect_free(&f, PREFLIGHT_TITLE_BANNED_TERM, 0);
}

static void
test_title_brand(void **state)
{
	static const struct preflight_brand brands[] = {
		{ "Nike", 0 },
		{ "Apple", 1 },
		{ "Apple Watch", 0 },
		{ "小米", 0 },
	};
	static const struct {
		const char *title;
		int n;
		const char *quote;
	} cases[] = {
		{ GOOD_TITLE, 0, NULL },
		{ "Running Shoes for NIKE fans", 1, "NIKE" },
		{ "Lightning Cable for Apple iPhone", 0,
		    NULL }, /* authorized */
		{ "Strap for Apple Watch 9", 1, "Apple Watch" },
		{ "Pineapple Slicer", 0, NULL },
		{ "Nikel plated hook", 0, NULL },
		{ "小米手环腕带", 1, "小米" },
	};
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		fx_init(&f);
		f.cfg.brands = brands;
		f.cfg.nbrands = nitems(brands);
		f.in.title = cases[i].title;
		list = run(&f);
		if ((int)count(list, PREFLIGHT_TITLE_BRAND) != cases[i].n) {
			dump(list);
			fail_msg("case %zu (%s)", i, cases[i].title);
		}
		if (cases[i].n > 0)
			assert_string_equal(
			    nth(list, PREFLIGHT_TITLE_BRAND, 0)->quote,
			    cases[i].quote);
		preflight_findings_free(list);
	}

	fx_init(&f);
	f.cfg.brands = brands;
	f.cfg.nbrands = nitems(brands);
	f.in.title = "Running Shoes for NIKE fans";
	list = expect(&f, PREFLIGHT_TITLE_BRAND, 1);
	x = nth(list, PREFLIGHT_TITLE_BRAND, 0);
	assert_int_equal(x->item, 0);
	assert_int_equal(x->offset, 18);
	assert_string_equal(x->message,
	    "the title names the brand \"NIKE\" and the shop has no "
	    "authorization document for it; remove the brand from the "
	    "listing, or add the brand owner's authorization (type "
	    "brand_authorization)");
	preflight_findings_free(list);
}

static void
test_rejection_unanswered(void **state)
{
	static const struct {
		const char *reason;
		const char *type; /* of a NEW attached document; NULL: none */
		int n;
		const char *quote;
	} cases[] = {
		/* The test report (AA01) was already in appeal 1. */
		{ "Please provide a valid certificate for this product", NULL,
		    1, "certificate" },
		{ "Please provide valid certificates", NULL, 1, "certificate" },
		{ "Please provide a valid certificate", "ce", 0, NULL },
		{ "Please provide a valid certificate", "invoice", 1,
		    "certificate" },
		{ "请提供有效的证书", NULL, 1, "证书" },
		{ "请提供品牌授权书", NULL, 1, "授权" },
		{ "请提供品牌授权书", "brand_authorization", 0, NULL },
		{ "Brand authorization and invoice required", NULL, 2,
		    "authorization" },
		{ "Brand authorization and invoice required", "invoice", 1,
		    "authorization" },
		{ "The product is unauthorized", NULL, 0, NULL },
		{ "Images do not match the product", NULL, 0, NULL },
		{ "请提供法院撤诉文件", NULL, 1, "法院" },
		{ "请提供法院撤诉文件", "dismissal", 0, NULL },
	};
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		fx_init(&f);
		f.adocs[0][0] = (struct appeal_doc){ "test_report", "aa01" };
		f.appeals[0] = (struct preflight_appeal){ .n = 1,
			.decision = APPEAL_REJECTED,
			.statement_sha256 = "0001",
			.docs = f.adocs[0],
			.ndocs = 1,
			.rejection_reason = cases[i].reason };
		f.in.nappeals = 1;
		if (cases[i].type != NULL) {
			f.docs[1] = (struct preflight_doc){ .name = NULL,
				.type = cases[i].type,
				.sha256 = "new",
				.attached = 1 };
			f.in.ndocs = 2;
		}
		list = run(&f);
		if ((int)count(list, PREFLIGHT_REJECTION_UNANSWERED) !=
		    cases[i].n) {
			dump(list);
			fail_msg("case %zu (%s)", i, cases[i].reason);
		}
		if (cases[i].n > 0)
			assert_string_equal(
			    nth(list, PREFLIGHT_REJECTION_UNANSWERED, 0)->quote,
			    cases[i].quote);
		preflight_findings_free(list);
	}

	/* The message, and a vault hint. */
	fx_init(&f);
	f.appeals[0] = (struct preflight_appeal){ .n = 1,
		.decision = APPEAL_REJECTED,
		.statement_sha256 = "0001",
		.rejection_reason = "Please provide the invoice" };
	f.docs[1] = (struct preflight_doc){ .id = 55,
		.name = "AE1005001234567890_INVOICE_Invoice.pdf",
		.type = "invoice",
		.sha256 = "ff",
		.attached = 0 };
	f.in.ndocs = 2;
	f.in.nappeals = 1;
	list = expect(&f, PREFLIGHT_REJECTION_UNANSWERED, 1);
	x = nth(list, PREFLIGHT_REJECTION_UNANSWERED, 0);
	assert_int_equal(x->value, 1);
	assert_string_equal(x->message,
	    "appeal 1 was rejected with \"Please provide the invoice\", which "
	    "asks for an invoice, and none was added since: attach a new "
	    "invoice document; the vault has one: delistctl case doc 7 55");
	preflight_findings_free(list);
	/* Attaching it answers the rejection. */
	f.docs[1].attached = 1;
	expect_free(&f, PREFLIGHT_REJECTION_UNANSWERED, 0);

	/* Only the latest rejection counts; approved or pending: none. */
	fx_init(&f);
	f.appeals[0] = (struct preflight_appeal){ .n = 1,
		.decision = APPEAL_REJECTED,
		.rejection_reason = "invoice required" };
	f.appeals[1] = (struct preflight_appeal){ .n = 2,
		.decision = APPEAL_REJECTED,
		.rejection_reason = "the title still has banned words" };
	f.in.nappeals = 2;
	expect_free(&f, PREFLIGHT_REJECTION_UNANSWERED, 0);
	f.appeals[1].rejection_reason = NULL;
	expect_free(&f, PREFLIGHT_REJECTION_UNANSWERED, 0);
	f.in.nappeals = 1;
	expect_free(&f, PREFLIGHT_REJECTION_UNANSWERED, 1);
	f.appeals[0].decision = APPEAL_UNDECIDED;
	expect_free(&f, PREFLIGHT_REJECTION_UNANSWERED, 0);
	f.appeals[0].decision = APPEAL_APPROVED;
	expect_free(&f, PREFLIGHT_REJECTION_UNANSWERED, 0);
	/* No kinds configured: off. */
	f.appeals[0].decision = APPEAL_REJECTED;
	f.cfg.nkinds = 0;
	expect_free(&f, PREFLIGHT_REJECTION_UNANSWERED, 0);
}

static void
test_resubmission(void **state)
{
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;

	(void)state;
	fx_init(&f);
	f.adocs[0][0] = (struct appeal_doc){ "test_report", "aa01" };
	f.adocs[1][0] = (struct appeal_doc){ "test_report", "AA01" };
	f.adocs[1][1] = (struct appeal_doc){ "test_report", "aa01" };
	f.appeals[0] = (struct preflight_appeal){ .n = 1,
		.decision = APPEAL_REJECTED,
		.statement_sha256 = "5E11",
		.docs = f.adocs[0],
		.ndocs = 1 };
	f.appeals[1] = (struct preflight_appeal){ .n = 2,
		.decision = APPEAL_REJECTED,
		.statement_sha256 = "5e11",
		.docs = f.adocs[1],
		.ndocs = 2 };
	f.in.nappeals = 2;
	/* The same set (case, order and duplicates aside): the latest. */
	list = expect(&f, PREFLIGHT_RESUBMISSION, 1);
	x = nth(list, PREFLIGHT_RESUBMISSION, 0);
	assert_int_equal(x->item, 1);
	assert_int_equal(x->value, 2);
	assert_string_equal(x->message,
	    "the statement and the attachments are the same as appeal 2's; "
	    "the same materials are rejected again: change what the rejection "
	    "asks for and say so");
	preflight_findings_free(list);

	/* A vault document that is not attached changes nothing. */
	f.docs[1] = (struct preflight_doc){
		.type = "invoice", .sha256 = "ee", .attached = 0
	};
	f.in.ndocs = 2;
	expect_free(&f, PREFLIGHT_RESUBMISSION, 1);
	/* One more attachment, one fewer, or a new statement: fine. */
	f.docs[1].attached = 1;
	expect_free(&f, PREFLIGHT_RESUBMISSION, 0);
	f.in.ndocs = 0;
	expect_free(&f, PREFLIGHT_RESUBMISSION, 0);
	f.in.ndocs = 1;
	f.in.statement_sha256 = "5e12";
	expect_free(&f, PREFLIGHT_RESUBMISSION, 0);
	f.in.statement_sha256 = NULL;
	expect_free(&f, PREFLIGHT_RESUBMISSION, 0);

	/* No attachments then and now: the empty sets are the same. */
	fx_init(&f);
	f.in.ndocs = 0;
	f.appeals[0] = (struct preflight_appeal){
		.n = 1, .decision = APPEAL_REJECTED, .statement_sha256 = "5e11"
	};
	f.in.nappeals = 1;
	expect_free(&f, PREFLIGHT_RESUBMISSION, 1);
}

/* One input that raises every code, for order and stability. */
static void
kitchen_sink(struct fx *f)
{
	static const struct preflight_brand brands[] = { { "Nike", 0 } };
	static const char *const court[] = { "court_order", "dismissal" };
	static const struct appeal_doc materials[] = { { "x", "AA01" },
		{ "x", "b1" }, { "x", "b2" }, { "x", "b3" }, { "x", "b4" },
		{ "x", "b5" } };
	static const char *const tm[] = { "trademark" };
	static struct preflight_need needs[2];

	fx_init(f);
	needs[0] = (struct preflight_need){ CASE_REASON_UNCLASSIFIED, court, 2,
		"court papers", 0 };
	needs[1] = (struct preflight_need){ CASE_REASON_UNCLASSIFIED, tm, 1,
		"a trademark", 1 };
	f->cfg.needs = needs;
	f->cfg.nneeds = 2;
	f->notes[1] = (struct preflight_note){ .field = "title",
		.text = "took the brand out",
		.before = "Best Quality Nike Shoes",
		.after = "Best Quality Shoes" };
	f->in.nnotes = 2;
	f->cfg.brands = brands;
	f->cfg.nbrands = 1;
	f->in.c.reason = CASE_REASON_UNCLASSIFIED;
	f->in.title = "Best Quality Nike Shoes";
	f->in.statement = "I am not copy \xff";
	f->in.statement_len = strlen(f->in.statement);
	f->in.statement_sha256 = "5e11";
	f->points[1] = (struct preflight_point){ "2", "image", NULL };
	f->in.npoints = 2;
	/* 0: expired, 1: in review, 2: other product, 3: small, 4: name. */
	f->docs[0].expires = f->in.now - DAY;
	f->docs[1] = f->docs[0];
	f->docs[1].sha256 = "b1";
	f->docs[1].expires = f->in.now + DAY;
	f->docs[2] = f->docs[0];
	f->docs[2].sha256 = "b2";
	f->docs[2].expires = 0;
	f->docs[2].products = other_products;
	f->docs[3] = f->docs[2];
	f->docs[3].sha256 = "b3";
	f->docs[3].products = this_product;
	f->docs[3].name = "AE1005001234567890_TEST_REPORT_Page.jpg";
	f->docs[3].width = f->docs[3].height = 500;
	f->docs[4] = f->docs[3];
	f->docs[4].sha256 = "b4";
	f->docs[4].width = f->docs[4].height = 0;
	f->docs[4].name = "1.jpg";
	/* An earlier expired one too: findings of a code in input order. */
	f->docs[5] = f->docs[0];
	f->docs[5].sha256 = "b5";
	f->in.ndocs = 6;
	f->appeals[0] = (struct preflight_appeal){ .n = 1,
		.decision = APPEAL_REJECTED,
		.statement = "I am not copy",
		.statement_sha256 = "5E11",
		.docs = materials,
		.ndocs = nitems(materials),
		.rejection_reason = "invoice required" };
	f->in.nappeals = 1;
	/* A note claims a title the source saw was not there, after it. */
	f->notes[0].text = "the new title is \"Running Shoes\"";
	f->notes[0].at = f->in.now - 2 * DAY;
	f->in.seen_title = "Best Quality Nike Shoes";
	f->in.seen_title_at = f->in.now - DAY;
}

static void
test_every_code_in_order(void **state)
{
	struct preflight_findings *a, *b;
	struct fx f;
	size_t i, c;

	(void)state;
	kitchen_sink(&f);
	a = run(&f);
	for (c = 0; c < PREFLIGHT_CODE_COUNT; c++) {
		if (count(a, (enum preflight_code)c) == 0) {
			dump(a);
			fail_msg("no %s", preflight_code_name(c));
		}
	}
	/* In code order, and within a code in input order. */
	for (i = 1; i < a->n; i++) {
		assert_true(a->v[i - 1].code <= a->v[i].code);
		if (a->v[i - 1].code == a->v[i].code)
			assert_true(a->v[i - 1].item < a->v[i].item);
	}
	assert_int_equal(count(a, PREFLIGHT_DOC_EXPIRED), 2);
	assert_int_equal(nth(a, PREFLIGHT_DOC_EXPIRED, 0)->item, 0);
	assert_int_equal(nth(a, PREFLIGHT_DOC_EXPIRED, 1)->item, 5);
	/*
	 * doc_expires_in_review, doc_name, machine_english, ip_brand_removed,
	 * and page_unchanged for the brand note (its time unknown).
	 */
	assert_int_equal(a->nwarnings, 5);
	assert_int_equal(a->nerrors, a->n - 5);
	for (i = 0; i < a->n; i++) {
		assert_utf8(a->v[i].message);
		assert_utf8(a->v[i].quote);
		assert_string_equal(
		    a->v[i].name, preflight_code_name(a->v[i].code));
		/* page_unchanged is a warning while the look predates the note. */
		if (a->v[i].code != PREFLIGHT_PAGE_UNCHANGED)
			assert_int_equal(a->v[i].severity,
			    preflight_code_severity(a->v[i].code));
	}
	/* Stable: the same input gives the same findings. */
	b = run(&f);
	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		assert_int_equal(a->v[i].code, b->v[i].code);
		assert_int_equal(a->v[i].item, b->v[i].item);
		assert_string_equal(a->v[i].message, b->v[i].message);
		assert_string_equal(a->v[i].quote, b->v[i].quote);
	}
	preflight_findings_free(a);
	preflight_findings_free(b);
}

/* Long and broken user text is clipped on character boundaries. */
static void
test_quotes_clipped(void **state)
{
	static const char *const kw[] = { "invoice" };
	static const char *const types[] = { "invoice" };
	char title[1024], name[1024], kind_name[1024];
	struct preflight_kind kind = { kind_name, kw, 1, types, 1, NULL, 0 };
	const struct preflight_finding *x;
	struct preflight_findings *list;
	struct fx f;
	size_t i, cut;

	(void)state;
	/* 300 bytes of Chinese, with the banned term at the end. */
	title[0] = '\0';
	for (i = 0; i < 100; i++)
		strcat(title, "耳");
	strcat(title, "最好");
	name[0] = '\0';
	for (i = 0; i < 200; i++)
		strcat(name, "证");
	strcat(name, "\xff.pdf");

	fx_init(&f);
	f.in.title = title;
	f.docs[0].name = name;
	list = run(&f);
	x = nth(list, PREFLIGHT_TITLE_BANNED_TERM, 0);
	assert_string_equal(x->quote, "最好");
	assert_int_equal(x->offset, 300);
	x = nth(list, PREFLIGHT_DOC_NAME, 0);
	assert_utf8(x->message);
	assert_utf8(x->quote);
	assert_true(strlen(x->quote) < PREFLIGHT_QUOTE_MAX);
	assert_int_equal(strcmp(x->quote + strlen(x->quote) - 3, "..."), 0);
	assert_contains(x->message, "证...\"");
	preflight_findings_free(list);

	/* A message cut at its buffer's end is cut between characters. */
	for (cut = 0; cut < 3; cut++) {
		/* Each shift moves the cut to another byte of a character. */
		memset(kind_name, 'x', cut);
		kind_name[cut] = '\0';
		for (i = 0; i < 300; i++)
			strcat(kind_name, "证");
		fx_init(&f);
		f.cfg.kinds = &kind;
		f.cfg.nkinds = 1;
		f.appeals[0] = (struct preflight_appeal){ .n = 1,
			.decision = APPEAL_REJECTED,
			.rejection_reason = "invoice required" };
		f.in.nappeals = 1;
		list = run(&f);
		x = nth(list, PREFLIGHT_REJECTION_UNANSWERED, 0);
		assert_utf8(x->message);
		assert_true(strlen(x->message) >= PREFLIGHT_MESSAGE_MAX - 3);
		preflight_findings_free(list);
	}

	/* A bad byte in a short quote becomes "?". */
	fx_init(&f);
	f.docs[0].name = "bad\xff.pdf";
	list = run(&f);
	assert_string_equal(
	    nth(list, PREFLIGHT_DOC_NAME, 0)->quote, "bad?.pdf");
	preflight_findings_free(list);
}

/*
 * The compliance scan: the default banned terms found through full-width
 * forms and case, each term once, an unauthorized brand named with its
 * rectification, an authorized one not, and a clean title gives nothing.
 */
static void
test_scan(void **state)
{
	struct preflight_config cfg;
	struct preflight_brand brands[] = { { "Nike", 0 }, { "Acme", 1 } };
	struct preflight_scan *sc;
	struct preflight_scan_hit *h;
	char *cause = NULL;
	int n;

	(void)state;
	preflight_config_init(&cfg);
	cfg.brands = brands;
	cfg.nbrands = 2;
	sc = preflight_scan_new(&cfg, &cause);
	assert_non_null(sc);
	n = preflight_scan_text(sc, "LED strip, ＢＥＳＴ Quality, best quality",
	    "title", &h, &cause);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].code, PREFLIGHT_TITLE_BANNED_TERM);
	assert_string_equal(h[0].term, "best quality");
	assert_string_equal(h[0].quote, "ＢＥＳＴ Quality");
	assert_int_equal(h[0].offset, 11);
	assert_non_null(
	    strstr(h[0].fix, "remove \"ＢＥＳＴ Quality\" from the title"));
	free(h);
	n = preflight_scan_text(
	    sc, "NIKE shoes by Acme, No.1", "title", &h, &cause);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].code, PREFLIGHT_TITLE_BANNED_TERM);
	assert_string_equal(h[0].quote, "No.1");
	assert_int_equal(h[1].code, PREFLIGHT_TITLE_BRAND);
	assert_string_equal(h[1].term, "Nike");
	assert_non_null(strstr(h[1].fix, "brand_authorization"));
	free(h);
	n = preflight_scan_text(sc, "LED strip 5 m", "title", &h, &cause);
	assert_int_equal(n, 0);
	assert_null(h);
	assert_null(cause);
	preflight_scan_free(sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_appeal),
		cmocka_unit_test(test_code_table),
		cmocka_unit_test(test_config_defaults),
		cmocka_unit_test(test_config_check),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_utf8_edges),
		cmocka_unit_test(test_statement_not_utf8),
		cmocka_unit_test(test_statement_template),
		cmocka_unit_test(test_statement_too_short),
		cmocka_unit_test(test_word_count),
		cmocka_unit_test(test_statement_no_field),
		cmocka_unit_test(test_similarity_scores),
		cmocka_unit_test(test_statement_similar),
		cmocka_unit_test(test_case_unclassified),
		cmocka_unit_test(test_point_not_rectified),
		cmocka_unit_test(test_docs_missing),
		cmocka_unit_test(test_doc_expired),
		cmocka_unit_test(test_doc_expires_in_review_golden_week),
		cmocka_unit_test(test_doc_expires_in_review_no_calendar),
		cmocka_unit_test(test_doc_other_product),
		cmocka_unit_test(test_doc_low_resolution),
		cmocka_unit_test(test_doc_name),
		cmocka_unit_test(test_doc_name_convention_table),
		cmocka_unit_test(test_title_unicode_terms),
		cmocka_unit_test(test_machine_english),
		cmocka_unit_test(test_page_unchanged),
		cmocka_unit_test(test_title_banned_term),
		cmocka_unit_test(test_title_brand),
		cmocka_unit_test(test_rejection_unanswered),
		cmocka_unit_test(test_resubmission),
		cmocka_unit_test(test_every_code_in_order),
		cmocka_unit_test(test_quotes_clipped),
		cmocka_unit_test(test_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

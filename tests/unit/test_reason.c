/* SPDX-License-Identifier: ISC */
/*
 * test_reason.c: unit tests of reading a rejection reason (reason.c) and
 * of what answers it in the preflight (rejection_unanswered,
 * docs_missing, ip_brand_removed).
 *
 * The table holds rejection sentences as the platform writes them, in
 * English and Chinese, each with what it asks for (demands joined by " & ",
 * alternatives by "|", a fix as "fix:brand", an open demand with "?"),
 * what answers it and what does not. Pure: no files, no clock.
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

#include "cases.h"
#include "preflight.h"
#include "reason.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#define T_APPEAL 1790000000

static const char *const fix_names[] = {
	[REASON_FIX_BRAND] = "brand",
	[REASON_FIX_WORDS] = "words",
	[REASON_FIX_TITLE] = "title",
	[REASON_FIX_IMAGE] = "image",
	[REASON_FIX_DESCRIPTION] = "description",
};

/*
 * A reason, what it asks for, and sets of materials separated by ";"
 * (each: words separated by spaces, "-" for nothing; a document type, or
 * note:brand, note:title, note:image) that answer it (yes) or not (no).
 */
static const struct {
	const char *reason;
	const char *asks;
	const char *yes;
	const char *no;
} rows[] = {
	/* 1-4: the trademark-or-authorization rejection */
	{ "Please provide the trademark registration certificate or brand "
	  "authorization",
	    "trademark|authorization", "trademark;brand_authorization",
	    "-;ce;fcc;test_report" },
	{ "请提供商标注册证书或品牌授权书", "trademark|authorization",
	    "trademark;brand_authorization", "-;ce" },
	{ "Please provide the trademark registration certificate or brand "
	  "authorization, or remove the logo",
	    "trademark|authorization|fix:brand", "trademark;note:brand",
	    "-;note:title;invoice" },
	{ "请提供商标注册证或授权书，或删除品牌",
	    "trademark|authorization|fix:brand",
	    "brand_authorization;note:brand", "-;note:image" },
	/* Folded text: full-width, mathematical and accented letters read
	 * like plain ones ("ＯＲ" is "or", "𝐓𝐫𝐚𝐝𝐞𝐦𝐚𝐫𝐤" is "trademark"). */
	{ "Please provide the ＴＲＡＤＥＭＡＲＫ registration certificate ＯＲ "
	  "brand authorizatión",
	    "trademark|authorization", "trademark;brand_authorization",
	    "-;ce;fcc" },
	{ "Please provide the 𝐓𝐫𝐚𝐝𝐞𝐦𝐚𝐫𝐤 registration certificate", "trademark",
	    "trademark", "-;ce" },
	/* 5-12: certificates, the market's own and generic */
	{ "Please provide a valid CE certificate", "ce", "ce",
	    "-;fcc;test_report" },
	{ "请提供有效的CE认证证书", "ce", "ce", "fcc;ukca" },
	{ "Please provide the CE or FCC certificate", "ce|fcc", "ce;fcc",
	    "ukca;-" },
	{ "CE/FCC certificate required", "ce|fcc", "fcc", "saso" },
	{ "Please provide the FCC certificate and the test report",
	    "fcc & test_report", "fcc test_report", "fcc;test_report" },
	{ "请提供CE证书和检测报告", "ce & test_report", "ce test_report",
	    "ce;test_report" },
	{ "请提供UKCA或SASO认证", "ukca|saso", "ukca;saso", "ce" },
	{ "The certificate does not match the product, please provide a "
	  "valid certificate",
	    "certificate", "ukca;test_report", "invoice;-" },
	/* 13-15: test reports */
	{ "Please provide a test report from an accredited laboratory",
	    "test_report", "test_report", "ce;-" },
	{ "Please provide the CE test report", "test_report", "test_report",
	    "ce" },
	{ "请提供第三方质检报告", "test_report", "test_report", "invoice" },
	/* 16-19: invoices */
	{ "Please provide the purchase invoice/receipt", "invoice", "invoice",
	    "-;trademark" },
	{ "请提供进货发票", "invoice", "invoice", "trademark" },
	{ "The uploaded invoice is blurry, please upload a clear one",
	    "invoice", "invoice", "-" },
	{ "Please provide the invoice or other proof", "?invoice", "-", "" },
	/* 20-27: authorization, its chain, and who issues it */
	{ "Brand authorization and invoice required", "authorization & invoice",
	    "brand_authorization invoice", "invoice;brand_authorization" },
	{ "请提供品牌授权书及发票", "authorization & invoice",
	    "brand_authorization invoice", "invoice" },
	{ "Please provide the authorization chain from the brand owner to "
	  "your shop",
	    "authorization", "brand_authorization", "trademark" },
	{ "Please provide the authorization letter issued by the trademark "
	  "owner",
	    "authorization", "brand_authorization", "trademark" },
	{ "请提供商标持有人出具的授权书", "authorization",
	    "brand_authorization", "trademark" },
	{ "Please provide the trademark authorization", "authorization",
	    "brand_authorization", "trademark" },
	{ "Trademark infringement. Please provide the brand authorization",
	    "authorization", "brand_authorization", "trademark" },
	{ "Please provide the trademark registration certificate and/or "
	  "brand authorization",
	    "trademark|authorization", "trademark;brand_authorization", "-" },
	/* 28-29: court papers */
	{ "Please provide the court order or the dismissal letter",
	    "court_papers", "court_order;dismissal", "trademark;-" },
	{ "TRO: 请提供法院文书或权利人撤诉函", "court_papers",
	    "dismissal;court_order", "brand_authorization" },
	/* 30: a list of alternatives */
	{ "Please provide the invoice, the trademark registration or the "
	  "authorization",
	    "invoice|trademark|authorization",
	    "invoice;trademark;brand_authorization", "-;ce" },
	/* 31-35: images and the brand in them */
	{ "Please remove the brand logo from the main image", "fix:brand",
	    "note:brand", "-;note:image;brand_authorization" },
	{ "请删除商品图片中的品牌标志", "fix:brand", "note:brand",
	    "note:image" },
	{ "Please replace the images with watermarks", "fix:image",
	    "note:image", "-;note:title" },
	{ "请更换主图", "fix:image", "note:image", "note:title" },
	{ "Please provide the brand authorization and remove the logo from "
	  "the title",
	    "authorization & fix:brand", "brand_authorization note:brand",
	    "brand_authorization;note:brand" },
	/* 36-39: title words */
	{ "Please modify the title", "fix:title", "note:title",
	    "-;note:image" },
	{ "请修改标题", "fix:title", "note:title", "note:image" },
	{ "Please remove the prohibited words from the title", "fix:words",
	    "note:title", "note:image;-" },
	{ "请删除标题中的违禁词", "fix:words", "note:title", "note:image" },
	/* 40-43: sentences that ask for nothing, or for two things */
	{ "Images do not match the product", "", "-", "" },
	{ "The product is unauthorized", "", "-", "" },
	{ "Please provide the CE certificate. The invoice is also required.",
	    "ce & invoice", "ce invoice", "ce;invoice" },
	{ "Ｐｌｅａｓｅ provide the ＣＥ certificate；请提供发票",
	    "ce & invoice", "ce invoice", "ce" },
};

/* What reason_read made of a reason, written as the table writes it. */
static void
asks(const char *reason, char *buf, size_t size)
{
	const struct preflight_kind *kinds;
	struct reason_demand *d = NULL;
	size_t nkinds, n = 0, i, j, o = 0;

	kinds = preflight_default_kinds(&nkinds);
	if (reason_read(reason, kinds, nkinds, &d, &n) == -1)
		fail_msg("reason_read failed");
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		o += (size_t)snprintf(buf + o, size - o, "%s%s",
		    i > 0 ? " & " : "", d[i].open ? "?" : "");
		for (j = 0; j < d[i].nalts; j++) {
			if (d[i].alts[j].kind >= 0)
				o += (size_t)snprintf(buf + o, size - o, "%s%s",
				    j > 0 ? "|" : "",
				    kinds[d[i].alts[j].kind].key);
			else
				o += (size_t)snprintf(buf + o, size - o,
				    "%sfix:%s", j > 0 ? "|" : "",
				    fix_names[d[i].alts[j].fix]);
		}
	}
	free(d);
}

/* One appeal, rejected with reason; materials attached after it. */
struct fx {
	struct preflight_input in;
	struct preflight_config cfg;
	struct preflight_appeal appeal;
	struct appeal_doc adoc;
	struct preflight_doc docs[8];
	struct preflight_note notes[8];
	char hash[8][16];
	char type[8][32];
	struct preflight_brand brand;
};

static void
fx_init(struct fx *f, const char *reason)
{
	memset(f, 0, sizeof *f);
	preflight_config_init(&f->cfg);
	f->brand.name = "Nike";
	f->cfg.brands = &f->brand;
	f->cfg.nbrands = 1;
	f->in.c.id = 7;
	f->in.c.reason = CASE_REASON_OTHER;
	f->in.product_id = "1005001234567890";
	f->in.now = T_APPEAL + 86400;
	f->adoc = (struct appeal_doc){ "other", "00" };
	f->appeal = (struct preflight_appeal){ .n = 1,
		.decision = APPEAL_REJECTED,
		.docs = &f->adoc,
		.ndocs = 1,
		.rejection_reason = reason,
		.submitted = T_APPEAL,
		.decided = T_APPEAL + 3600 };
	f->in.appeals = &f->appeal;
	f->in.nappeals = 1;
	f->in.docs = f->docs;
	f->in.notes = f->notes;
}

static void
fx_note(struct fx *f, const char *what)
{
	struct preflight_note *n = &f->notes[f->in.nnotes++];

	if (strcmp(what, "brand") == 0)
		*n = (struct preflight_note){ .field = "title",
			.text = "removed the brand Nike from the title",
			.before = "Nike Air running shoes",
			.after = "Air running shoes" };
	else if (strcmp(what, "title") == 0)
		*n = (struct preflight_note){ .field = "title",
			.text =
			    "rewrote the title without the absolute terms" };
	else if (strcmp(what, "image") == 0)
		*n = (struct preflight_note){ .field = "main image",
			.text = "replaced the main image with our own photo" };
	else
		fail_msg("unknown note %s", what);
}

/* Attaches the materials of set (words separated by spaces, "-": none). */
static void
fx_materials(struct fx *f, const char *set, size_t len)
{
	char word[32];
	const char *p = set, *e;
	size_t n;

	while (p < set + len) {
		while (p < set + len && *p == ' ')
			p++;
		for (e = p; e < set + len && *e != ' '; e++)
			;
		n = (size_t)(e - p);
		if (n == 0)
			break;
		if (n >= sizeof word)
			fail_msg("material too long");
		memcpy(word, p, n);
		word[n] = '\0';
		p = e;
		if (strcmp(word, "-") == 0)
			continue;
		if (strncmp(word, "note:", 5) == 0) {
			fx_note(f, word + 5);
			continue;
		}
		if (!cases_doc_type_valid(word))
			fail_msg("unknown type %s", word);
		n = f->in.ndocs++;
		snprintf(f->hash[n], sizeof f->hash[n], "a%zu", n);
		snprintf(f->type[n], sizeof f->type[n], "%s", word);
		f->docs[n] = (struct preflight_doc){
			.type = f->type[n], .sha256 = f->hash[n], .attached = 1
		};
	}
}

static size_t
unanswered(const char *reason, const char *set, size_t len, int dump)
{
	struct preflight_findings *list;
	struct fx f;
	char *cause = NULL;
	size_t i, n;

	fx_init(&f, reason);
	fx_materials(&f, set, len);
	if ((list = preflight_check(&f.in, &f.cfg, &cause)) == NULL)
		fail_msg("preflight_check: %s", cause ? cause : "?");
	n = 0;
	for (i = 0; i < list->n; i++) {
		if (list->v[i].code != PREFLIGHT_REJECTION_UNANSWERED)
			continue;
		n++;
		if (dump)
			print_message("    %s\n", list->v[i].message);
	}
	preflight_findings_free(list);
	return n;
}

/* Runs f and checks it finds exactly one thing, with code. */
static struct preflight_findings *
only(struct fx *f, enum preflight_code code)
{
	struct preflight_findings *list;

	list = preflight_check(&f->in, &f->cfg, NULL);
	assert_non_null(list);
	if (list->n != 1 || list->v[0].code != code)
		fail_msg("%zu findings, want one %s", list->n,
		    preflight_code_name(code));
	return list;
}

/* Each set of sets (separated by ";") answers (want 1) or not (want 0). */
static void
check_sets(size_t row, const char *sets, int want)
{
	const char *p = sets, *e;

	if (*sets == '\0')
		return;
	for (;;) {
		e = strchr(p, ';');
		if (e == NULL)
			e = p + strlen(p);
		if ((unanswered(rows[row].reason, p, (size_t)(e - p), 0) ==
			0) != want) {
			unanswered(rows[row].reason, p, (size_t)(e - p), 1);
			fail_msg("row %zu (%s): \"%.*s\" should %sanswer it",
			    row + 1, rows[row].reason, (int)(e - p), p,
			    want ? "" : "not ");
		}
		if (*e == '\0')
			break;
		p = e + 1;
	}
}

static void
test_rejection_table(void **state)
{
	char got[512];
	size_t i;

	(void)state;
	assert_true(nitems(rows) >= 30);
	for (i = 0; i < nitems(rows); i++) {
		asks(rows[i].reason, got, sizeof got);
		if (strcmp(got, rows[i].asks) != 0)
			fail_msg("row %zu (%s): read \"%s\", want \"%s\"",
			    i + 1, rows[i].reason, got, rows[i].asks);
		check_sets(i, rows[i].yes, 1);
		check_sets(i, rows[i].no, 0);
	}
}

/* The message names every alternative and how to meet each. */
static void
test_rejection_message(void **state)
{
	struct preflight_findings *list;
	struct fx f;

	(void)state;
	fx_init(&f,
	    "Please provide the trademark registration certificate or brand "
	    "authorization, or remove the logo");
	list = only(&f, PREFLIGHT_REJECTION_UNANSWERED);
	assert_int_equal(list->v[0].item, 3); /* trademark */
	assert_int_equal(list->v[0].value, 1);
	assert_string_equal(list->v[0].quote, "trademark");
	assert_string_equal(list->v[0].message,
	    "appeal 1 was rejected with \"Please provide the trademark "
	    "registration certificate or brand authorization, or remove the "
	    "logo\", which asks for a trademark registration, an "
	    "authorization or the brand removed, and none was added since: "
	    "attach a new trademark or brand_authorization document, or "
	    "change the listing, then record it: delistctl case note 7 "
	    "\"what changed, and where\" --field title --before \"old\" "
	    "--after \"new\"");
	preflight_findings_free(list);

	fx_init(&f, "请修改标题");
	list = only(&f, PREFLIGHT_REJECTION_UNANSWERED);
	assert_int_equal(list->v[0].item, -1);
	assert_string_equal(list->v[0].quote, "标题");
	assert_string_equal(list->v[0].message,
	    "appeal 1 was rejected with \"请修改标题\", which asks for a "
	    "change to the title, and no note since records it: change the "
	    "listing, then record it: delistctl case note 7 \"what changed, "
	    "and where\" --field title --before \"old\" --after \"new\"");
	preflight_findings_free(list);

	/*
	 * A note on the title answers it, whenever recorded: a reason that
	 * only describes the change must not block.
	 */
	fx_note(&f, "title");
	list = preflight_check(&f.in, &f.cfg, NULL);
	assert_non_null(list);
	assert_int_equal(list->n, 0);
	preflight_findings_free(list);
}

static void
test_removes_brand(void **state)
{
	static const struct preflight_brand nike = { "Nike", 0 };
	static const struct {
		const char *field, *text, *before, *after;
		int brands; /* 1: Nike configured */
		int want;
		const char *what;
	} cases[] = {
		{ "title", "shortened the title", "Nike Air runner",
		    "Air runner", 1, 1, "Nike" },
		{ "title", "shortened the title", "NIKE Air runner",
		    "Air runner", 1, 1, "Nike" },
		{ "title", "shortened the title", "Nike Air runner",
		    "Air runner by Nike", 1, 0, "" },
		/* no configured brand: the note must speak of one */
		{ "title", "removed the brand", "Nike Air runner", "Air runner",
		    0, 1, "nike" },
		{ "title", "shortened the title", "Nike Air runner",
		    "Air runner", 0, 0, "" },
		{ "main image", "removed the logo from the main image",
		    "main image with the swoosh logo", "plain main image", 0, 1,
		    "with the swoosh logo" },
		{ "标题", "删除品牌", "耐克跑步鞋", "跑步鞋", 0, 1, "耐克" },
		/* adding words removes nothing */
		{ "title", "removed the brand", "Air runner",
		    "Air runner shoes", 0, 0, "" },
		/* a field that holds no brand, or none at all */
		{ "price", "removed the brand", "Nike 10", "10", 1, 0, "" },
		{ NULL, "removed the brand", "Nike runner", "runner", 1, 0,
		    "" },
		/* before and after are both needed */
		{ "title", "removed the brand", NULL, "runner", 1, 0, "" },
		{ "title", "removed the brand", "Nike runner", NULL, 1, 0, "" },
	};
	struct preflight_note n;
	char what[64];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		n = (struct preflight_note){ .field = cases[i].field,
			.text = cases[i].text,
			.before = cases[i].before,
			.after = cases[i].after };
		if (reason_note_removes_brand(&n, &nike, cases[i].brands, what,
			sizeof what) != cases[i].want)
			fail_msg("case %zu", i);
		assert_string_equal(what, cases[i].what);
	}
}

/* ip_infringement: the brand removed or the documents, and a warning. */
static void
test_ip_path(void **state)
{
	struct preflight_findings *list;
	struct fx f;

	(void)state;
	fx_init(&f, NULL);
	f.in.nappeals = 0;
	f.in.c.reason = CASE_REASON_IP_INFRINGEMENT;
	list = only(&f, PREFLIGHT_DOCS_MISSING);
	assert_string_equal(list->v[0].message,
	    "a case for ip_infringement needs a trademark registration or the "
	    "brand owner's authorization chain: attach a trademark or "
	    "brand_authorization document; or, once the brand is gone from "
	    "the listing, record that: delistctl case note 7 \"removed the "
	    "brand\" --field title --before \"old\" --after \"new\"");
	preflight_findings_free(list);

	/* A title note without before and after proves nothing. */
	fx_note(&f, "title");
	preflight_findings_free(only(&f, PREFLIGHT_DOCS_MISSING));

	/* The brand removed: no error, a warning naming the path. */
	fx_note(&f, "brand");
	list = only(&f, PREFLIGHT_IP_BRAND_REMOVED);
	assert_int_equal(list->nerrors, 0);
	assert_int_equal(list->v[0].severity, PREFLIGHT_WARNING);
	assert_int_equal(list->v[0].item, 1);
	assert_string_equal(list->v[0].quote, "Nike");
	assert_string_equal(list->v[0].message,
	    "the appeal takes the brand-removed path, not the documents path: "
	    "the note on the title removed \"Nike\" (before \"Nike Air "
	    "running shoes\", after \"Air running shoes\"), so a trademark "
	    "registration or the brand owner's authorization chain is not "
	    "needed; say in the statement that the brand was removed and "
	    "where (for the documents path, attach a trademark or "
	    "brand_authorization document)");
	preflight_findings_free(list);

	/* With a trademark attached it takes the documents path: silent. */
	f.docs[0] = (struct preflight_doc){ .type = "trademark",
		.name = "AE1005001234567890_TRADEMARK_Registration.pdf",
		.sha256 = "77",
		.attached = 1 };
	f.in.ndocs = 1;
	list = preflight_check(&f.in, &f.cfg, NULL);
	assert_non_null(list);
	assert_int_equal(list->n, 0);
	preflight_findings_free(list);

	/* Other reasons have no such path. */
	f.in.ndocs = 0;
	f.in.c.reason = CASE_REASON_TRO;
	preflight_findings_free(only(&f, PREFLIGHT_DOCS_MISSING));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejection_table),
		cmocka_unit_test(test_rejection_message),
		cmocka_unit_test(test_removes_brand),
		cmocka_unit_test(test_ip_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

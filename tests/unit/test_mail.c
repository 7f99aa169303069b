/* SPDX-License-Identifier: ISC */
/*
 * test_mail.c: the mail plugin's message building (plugins/mail/message.c):
 * RFC 2047 encoded words (Chinese subjects split between characters, each
 * word at most 75 octets, lines at most 76), folding, quoted-printable and
 * base64 bodies, CRLF lines under 998 octets, dates, Message-IDs stable
 * for one delivery, and what each event says.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "message.h"
#include "text.h"
#include "tzfile.h"

#define ZH_SUBJECT \
	"[delistd] main 1005001234567890: 标题含有绝对化用语“最好”、“第一”，" \
	"请删除后重新提交申诉，并上传修改前后的截图 (case 7, Case ID " \
	"5012345678)"

/* --- helpers: decoders written independently of message.c ---------------- */

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return (c - 'A');
	if (c >= 'a' && c <= 'z')
		return (c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (c - '0' + 52);
	if (c == '+')
		return (62);
	if (c == '/')
		return (63);
	return (-1);
}

/* Decodes base64 (n chars, a multiple of 4) into out; returns its length. */
static size_t
unb64(const char *in, size_t n, unsigned char *out)
{
	size_t i, o = 0;
	int v[4], k;

	assert_int_equal(n % 4, 0);
	for (i = 0; i < n; i += 4) {
		for (k = 0; k < 4; k++)
			v[k] = in[i + k] == '=' ? 0 : b64val(in[i + k]);
		for (k = 0; k < 4; k++)
			assert_true(v[k] >= 0);
		out[o++] = (unsigned char)((v[0] << 2) | (v[1] >> 4));
		if (in[i + 2] != '=')
			out[o++] = (unsigned char)((v[1] << 4) | (v[2] >> 2));
		if (in[i + 3] != '=')
			out[o++] = (unsigned char)((v[2] << 6) | v[3]);
	}
	return (o);
}

/* Whether p[0..n) is whole UTF-8 characters. */
static int
whole_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0, k, len;

	while (i < n) {
		len = p[i] < 0x80 ? 1 : p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : 2;
		if (i + len > n)
			return (0);
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return (0);
		}
		i += len;
	}
	return (1);
}

/* Every line ends in CRLF, none longer than max; no bare CR or LF. */
static void
check_lines(const char *s, size_t len, size_t max)
{
	size_t i, col = 0;

	assert_true(len >= 2);
	assert_memory_equal(s + len - 2, "\r\n", 2);
	for (i = 0; i < len; i++) {
		if (s[i] == '\r') {
			assert_true(i + 1 < len && s[i + 1] == '\n');
			assert_true(col <= max);
			col = 0;
			i++;
		} else {
			assert_true(s[i] != '\n');
			col++;
		}
	}
}

/* The value of a header built by mail_header, unfolded and decoded. */
static char *
decode_header(const char *h)
{
	unsigned char *out = calloc(1, strlen(h) + 1);
	const char *p = strchr(h, ':') + 1, *q, *e;
	size_t o = 0, n;
	int prev_word = 0;

	assert_non_null(out);
	while (*p != '\0') {
		if (*p == '\r' && p[1] == '\n' &&
		    (p[2] == ' ' || p[2] == '\t')) {
			p += 2; /* unfold */
			continue;
		}
		if (*p == '\r')
			break;
		if (strncmp(p, " =?UTF-8?B?", 11) == 0 ||
		    strncmp(p, "=?UTF-8?B?", 10) == 0) {
			q = p + (*p == ' ' ? 11 : 10);
			e = strstr(q, "?=");
			assert_non_null(e);
			assert_true(e - (q - 10) + 2 <= 75); /* one word */
			n = unb64(q, (size_t)(e - q), out + o);
			assert_true(whole_utf8(out + o, n));
			o += n;
			p = e + 2;
			prev_word = 1;
			continue;
		}
		if (prev_word == 0 && o == 0 && *p == ' ') {
			p++;
			continue;
		}
		out[o++] = (unsigned char)*p++;
		prev_word = 0;
	}
	out[o] = '\0';
	return ((char *)out);
}

/* Decodes quoted-printable (CRLF lines, soft breaks) into LF lines. */
static char *
unqp(const char *s)
{
	char *out = calloc(1, strlen(s) + 1), hex[3] = { 0, 0, 0 };
	size_t o = 0;

	assert_non_null(out);
	while (*s != '\0') {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n')
			s += 3;
		else if (s[0] == '=') {
			hex[0] = s[1];
			hex[1] = s[2];
			out[o++] = (char)strtol(hex, NULL, 16);
			s += 3;
		} else if (s[0] == '\r' && s[1] == '\n') {
			out[o++] = '\n';
			s += 2;
		} else
			out[o++] = *s++;
	}
	return (out);
}

static char *
header(const char *name, const char *value)
{
	struct mbuf b = { 0 };
	char *s;

	mail_header(&b, name, value);
	s = mbuf_take(&b, NULL);
	assert_non_null(s);
	return (s);
}

/* --- tests ----------------------------------------------------------------- */

static void
test_ascii_subject_folds(void **state)
{
	char long_subject[600], *h, *v;
	size_t i;

	(void)state;
	h = header(
	    "Subject", "[delistd] main 1005001234567890: appeal rejected");
	assert_string_equal(
	    h, "Subject: [delistd] main 1005001234567890: appeal rejected\r\n");
	free(h);

	long_subject[0] = '\0';
	for (i = 0; i < 40; i++)
		strcat(long_subject, "word12345 ");
	strcat(long_subject, "end");
	h = header("Subject", long_subject);
	check_lines(h, strlen(h), 78);
	assert_null(strstr(h, "=?"));
	v = decode_header(h);
	assert_string_equal(v, long_subject);
	free(v);
	free(h);
}

static void
test_chinese_subject_encoded_words(void **state)
{
	char *h, *v;

	(void)state;
	h = header("Subject", ZH_SUBJECT);
	check_lines(h, strlen(h), 76);
	assert_non_null(strstr(h, "=?UTF-8?B?"));
	/* Only ASCII on the wire. */
	for (v = h; *v != '\0'; v++)
		assert_true((unsigned char)*v < 0x80);
	v = decode_header(h); /* checks each word <= 75, whole characters */
	assert_string_equal(v, ZH_SUBJECT);
	free(v);
	free(h);
}

static void
test_header_oddities(void **state)
{
	char *h, *v;
	char atom[1200];

	(void)state;
	/* "=?" in plain ASCII would be misread: it is encoded. */
	h = header("Subject", "a =?x?= b");
	assert_non_null(strstr(h, "=?UTF-8?B?"));
	v = decode_header(h);
	assert_string_equal(v, "a =?x?= b");
	free(v);
	free(h);

	/* Line breaks cannot inject a header. */
	h = header("Subject", "one\r\nBcc: evil@example.com");
	assert_string_equal(h, "Subject: one Bcc: evil@example.com\r\n");
	free(h);

	/* Invalid UTF-8 becomes U+FFFD, then is encoded. */
	h = header("Subject", "bad \xff byte");
	v = decode_header(h);
	assert_string_equal(v, "bad \xef\xbf\xbd byte");
	free(v);
	free(h);

	/* An unbreakable run longer than a line may be is encoded. */
	memset(atom, 'x', sizeof atom - 1);
	atom[sizeof atom - 1] = '\0';
	h = header("Subject", atom);
	check_lines(h, strlen(h), 76);
	v = decode_header(h);
	assert_string_equal(v, atom);
	free(v);
	free(h);
}

static void
test_quoted_printable(void **state)
{
	struct mbuf b = { 0 };
	char text[2000], *s, *d;
	size_t len, i;

	(void)state;
	mail_qp(&b, "a=b tail \r\nline2\t\r\n", 19);
	s = mbuf_take(&b, &len);
	assert_string_equal(s, "a=3Db tail=20\r\nline2=09\r\n");
	free(s);

	/* A long line, Chinese and ASCII: soft breaks, never mid-escape. */
	text[0] = '\0';
	for (i = 0; i < 40; i++)
		strcat(text, "理由 reason=");
	strcat(text, "\r\n.dot line\r\n");
	mail_qp(&b, text, strlen(text));
	s = mbuf_take(&b, &len);
	check_lines(s, len, 76);
	d = unqp(s);
	/* The text with LF for CRLF. */
	{
		char *want = strdup(text), *w, *r;

		for (w = r = want; *r != '\0'; r++) {
			if (*r != '\r')
				*w++ = *r;
		}
		*w = '\0';
		assert_string_equal(d, want);
		free(want);
	}
	free(d);
	free(s);
}

static void
test_base64_body(void **state)
{
	struct mbuf b = { 0 };
	const char *zh = "已驳回：截图未显示地址栏。请补充修改前后的截图。";
	unsigned char out[4096];
	char *s, *p, *line;
	size_t len, o = 0, n;

	(void)state;
	assert_string_equal(mail_body_encoding(zh, strlen(zh)), "base64");
	assert_string_equal(
	    mail_body_encoding("plain text, mostly", 18), "quoted-printable");
	for (n = 0; n < 8; n++)
		mbuf_adds(&b, zh);
	p = mbuf_take(&b, &len);
	mail_base64(&b, p, len);
	s = mbuf_take(&b, &n);
	check_lines(s, n, 76);
	for (line = s; *line != '\0'; line = strstr(line, "\r\n") + 2)
		o +=
		    unb64(line, (size_t)(strstr(line, "\r\n") - line), out + o);
	assert_int_equal(o, len);
	assert_memory_equal(out, p, len);
	free(p);
	free(s);
}

static void
test_date(void **state)
{
	char buf[64];

	(void)state;
	mail_date(1790557200, buf, sizeof buf); /* 2026-09-28T01:00:00Z */
	assert_string_equal(buf, "Mon, 28 Sep 2026 01:00:00 +0000");
	mail_date(0, buf, sizeof buf);
	assert_string_equal(buf, "Thu, 01 Jan 1970 00:00:00 +0000");
}

static void
test_message_ids(void **state)
{
	char *a, *b, *c;

	(void)state;
	a = mail_message_id("41-mail", "shop.example");
	b = mail_message_id("41-mail", "shop.example");
	c = mail_message_id("42-mail", "shop.example");
	assert_string_equal(a, "<delistd.41-mail@shop.example>");
	assert_string_equal(a, b); /* a resend is the same mail */
	assert_string_not_equal(a, c);
	free(a);
	free(b);
	free(c);
	a = mail_message_id("41-we ird<>", "sh op.example");
	assert_string_equal(a, "<delistd.41-we_ird__@sh_op.example>");
	free(a);
	a = mail_thread_id(7, "mail", "shop.example");
	assert_string_equal(a, "<delistd.case-7.mail@shop.example>");
	free(a);
	a = mail_digest_id(3, 9, 4, "mail", NULL);
	assert_string_equal(a, "<delistd.digest.3-9.4.mail@localhost>");
	free(a);
	assert_string_equal(mail_domain("a@b.example"), "b.example");
	assert_null(mail_domain("nodomain"));
}

static void
test_addresses(void **state)
{
	(void)state;
	assert_true(mail_address_ok("ops@shop.example"));
	assert_true(mail_address_ok("first.last+tag@mail.shop-1.example"));
	assert_false(mail_address_ok("ops"));
	assert_false(mail_address_ok("@shop.example"));
	assert_false(mail_address_ok("ops@"));
	assert_false(mail_address_ok("a b@shop.example"));
	assert_false(mail_address_ok("<ops@shop.example>"));
	assert_false(mail_address_ok("ops@shop.example\r\nRCPT TO:<x@y>"));
	assert_false(mail_address_ok("a@b@c"));
	assert_false(mail_address_ok("ops@.example"));
}

static void
test_build(void **state)
{
	const char *to[] = { "ops@shop.example", "boss@shop.example", NULL };
	struct mail_msg m;
	char *s, *body;
	size_t len;

	(void)state;
	memset(&m, 0, sizeof m);
	m.from = "delistd@shop.example";
	m.from_name = "delistd";
	m.to = to;
	m.subject = ZH_SUBJECT;
	m.body = "line one\nsecond line\n";
	m.date = 1790557200;
	m.message_id = "<delistd.41-mail@shop.example>";
	m.in_reply_to = "<delistd.case-7.mail@shop.example>";
	s = mail_build(&m, &len);
	assert_non_null(s);
	assert_int_equal(strlen(s), len);
	check_lines(s, len, 78);
	assert_memory_equal(s, "Date: Mon, 28 Sep 2026 01:00:00 +0000\r\n", 39);
	assert_non_null(
	    strstr(s, "\r\nFrom: delistd <delistd@shop.example>\r\n"));
	assert_non_null(
	    strstr(s, "\r\nTo: ops@shop.example, boss@shop.example\r\n"));
	assert_non_null(
	    strstr(s, "\r\nMessage-ID: <delistd.41-mail@shop.example>\r\n"));
	assert_non_null(strstr(
	    s, "\r\nIn-Reply-To: <delistd.case-7.mail@shop.example>\r\n"));
	assert_non_null(strstr(
	    s, "\r\nReferences: <delistd.case-7.mail@shop.example>\r\n"));
	assert_non_null(strstr(s, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(
	    strstr(s, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(
	    strstr(s, "\r\nContent-Transfer-Encoding: quoted-printable\r\n"));
	body = strstr(s, "\r\n\r\n");
	assert_non_null(body);
	assert_string_equal(body + 4, "line one\r\nsecond line\r\n");
	free(s);

	/* No thread: no In-Reply-To. */
	m.in_reply_to = NULL;
	s = mail_build(&m, &len);
	assert_null(strstr(s, "In-Reply-To"));
	assert_null(strstr(s, "References"));
	free(s);
}

/* The zone of the test's shops: Berlin for "eu", Shanghai for the rest. */
static const struct tzfile *
zone_of(void *arg, const char *shop)
{
	struct tzfile **z = arg;

	return (shop != NULL && strcmp(shop, "eu") == 0 ? z[1] : z[0]);
}

static void
test_render_times_in_the_shops_zone(void **state)
{
	const char *json =
	    "{\"id\":41,\"case\":7,\"shop\":\"eu\",\"product_id\":"
	    "\"1005001234567890\",\"at\":\"2026-10-27T07:00:00Z\","
	    "\"actor\":\"daemon\",\"type\":\"case.escalated\","
	    "\"severity\":\"critical\",\"message\":\"超过五个工作日仍然没有审核"
	    "结果，请联系在线客服并提供平台Case ID，要求尽快完成审核，同时准备好整改"
	    "前后的截图、品牌授权书和检测报告，以便客服核实。\",\"data\":"
	    "{\"appeal\":1,\"escalate_due_at\":\"2026-10-27T07:00:00Z\"}}";
	struct tzfile *z[2];
	struct mail_locale loc = { NULL, zone_of, z };
	struct mail_text t;
	const char *p, *e;

	(void)state;
	z[0] = tzfile_load("Asia/Shanghai", NULL);
	z[1] = tzfile_load("Europe/Berlin", NULL);
	assert_non_null(z[0]);
	assert_non_null(z[1]);
	assert_int_equal(mail_render_counted(json, "mail", NULL, &loc, &t), 0);
	/* Berlin's time after its change to winter time, zone named. */
	assert_non_null(strstr(
	    t.body, "At:          2026-10-27 08:00 CET (Europe/Berlin)\n"));
	assert_non_null(strstr(t.body,
	    "\nDeadlines:\n  escalate due: 2026-10-27 08:00 CET "
	    "(Europe/Berlin)\n"));
	assert_null(strstr(t.body, "UTC"));
	/* Chinese has no spaces: wrapped between characters, to 72 columns,
	 * a comma never starting a line. */
	for (p = t.body; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		char line[512];

		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		assert_true((size_t)(e - p) < sizeof line);
		memcpy(line, p, (size_t)(e - p));
		line[e - p] = '\0';
		assert_true(text_width(line) <= 72);
		assert_true(strncmp(line, "，", strlen("，")) != 0);
	}
	assert_non_null(strstr(t.body, "超过五个工作日"));
	mail_text_free(&t);
	/* Without a locale: UTC, as the document has it. */
	assert_int_equal(mail_render(json, "mail", &t), 0);
	assert_non_null(strstr(t.body, "At:          2026-10-27T07:00:00Z\n"));
	assert_non_null(strstr(t.body, "\nDeadlines (UTC):\n"));
	mail_text_free(&t);
	tzfile_free(z[0]);
	tzfile_free(z[1]);
}

static void
test_render_feedback_overdue(void **state)
{
	const char *json =
	    "{\"id\":41,\"case\":7,\"shop\":\"main\",\"product_id\":"
	    "\"1005001234567890\",\"at\":\"2026-10-02T02:00:00Z\","
	    "\"recorded_at\":\"2026-10-02T02:00:00Z\",\"actor\":\"daemon\","
	    "\"type\":\"case.feedback_overdue\",\"severity\":\"warning\","
	    "\"message\":\"no decision 72 hours after appeal 1\",\"data\":"
	    "{\"appeal\":1,\"platform_case_id\":\"5012345678\"}}";
	struct mail_text t;

	(void)state;
	assert_int_equal(mail_render(json, "mail", &t), 0);
	assert_int_equal(t.case_id, 7);
	assert_string_equal(t.subject,
	    "[delistd] main 1005001234567890: no feedback after 72 hours "
	    "(case 7, Case ID 5012345678)");
	assert_non_null(strstr(t.body, "online customer service"));
	assert_non_null(strstr(t.body, "Case ID:     5012345678"));
	assert_non_null(strstr(t.body, "passed: 2026-10-02T02:00:00Z"));
	assert_non_null(strstr(t.body, "delistctl case show 7"));
	assert_non_null(strstr(t.body, "appeal: 1"));
	assert_non_null(
	    strstr(t.body, "\n-- \ndelistd, sink mail, event 41\n"));
	mail_text_free(&t);
}

static void
test_render_rejected_and_appealed(void **state)
{
	const char *rejected =
	    "{\"id\":50,\"case\":7,\"shop\":\"main\",\"product_id\":"
	    "\"1005001234567890\",\"at\":null,\"recorded_at\":"
	    "\"2026-10-03T02:00:00Z\",\"actor\":\"cli:ops\",\"type\":"
	    "\"case.rejected\",\"severity\":\"warning\",\"message\":\"m\","
	    "\"data\":{\"appeal\":1,\"platform_case_id\":\"5012345678\","
	    "\"decision\":\"rejected\",\"reason\":\"截图未显示地址栏\"}}";
	const char *appealed =
	    "{\"id\":45,\"case\":7,\"shop\":\"main\",\"product_id\":"
	    "\"1005001234567890\",\"at\":null,\"recorded_at\":"
	    "\"2026-09-29T02:00:00Z\",\"actor\":\"cli:ops\",\"type\":"
	    "\"case.appealed\",\"severity\":\"info\",\"message\":\"m\","
	    "\"data\":{\"appeal\":1,\"platform_case_id\":\"5012345678\","
	    "\"feedback_due_at\":\"2026-10-02T02:00:00Z\","
	    "\"escalate_due_at\":\"2026-10-12T02:00:00Z\"}}";
	struct mail_text t;

	(void)state;
	assert_int_equal(mail_render(rejected, "mail", &t), 0);
	assert_string_equal(t.subject,
	    "[delistd] main 1005001234567890: appeal rejected: "
	    "截图未显示地址栏 (case 7, Case ID 5012345678)");
	assert_non_null(strstr(t.body, "add exactly what it asks"));
	assert_non_null(strstr(t.body, "reason: 截图未显示地址栏"));
	mail_text_free(&t);

	assert_int_equal(mail_render(appealed, "mail", &t), 0);
	assert_non_null(strstr(t.body,
	    "Deadlines (UTC):\n"
	    "  feedback due: 2026-10-02T02:00:00Z\n"
	    "  escalate due: 2026-10-12T02:00:00Z\n"));
	mail_text_free(&t);

	assert_int_equal(mail_render("[1,2]", "mail", &t), -1);
	assert_int_equal(mail_render("{\"id\":1}", "mail", &t), -1);
	assert_int_equal(mail_render("not json", "mail", &t), -1);
}

static void
test_render_unknown_and_reminder(void **state)
{
	const char *odd =
	    "{\"id\":3,\"case\":null,\"shop\":null,\"product_id\":"
	    "null,\"type\":\"x.new_kind\",\"severity\":\"info\","
	    "\"message\":\"something new\",\"data\":{}}";
	const char *rem =
	    "{\"id\":4,\"case\":2,\"shop\":\"main\",\"product_id\":"
	    "\"1\",\"type\":\"case.reminder\",\"severity\":"
	    "\"warning\",\"message\":\"m\",\"data\":{}}";
	struct mail_text t;

	(void)state;
	assert_int_equal(mail_render(odd, "mail", &t), 0);
	assert_string_equal(t.subject, "[delistd] x.new_kind");
	assert_non_null(strstr(t.body, "something new"));
	assert_null(strstr(t.body, "delistctl case show"));
	mail_text_free(&t);
	assert_int_equal(mail_render(rem, "mail", &t), 0);
	assert_non_null(strstr(t.subject, "reminder"));
	assert_non_null(strstr(t.body, "acknowledge"));
	mail_text_free(&t);
}

/* Lines joined: wrap() may break a command between its words. */
static char *
unwrapped(const char *body)
{
	char *out = strdup(body), *p, *q;

	assert_non_null(out);
	for (p = q = out; *p != '\0'; p++) {
		if (*p == '\n') {
			*q++ = ' ';
			while (p[1] == ' ')
				p++;
		} else
			*q++ = *p;
	}
	*q = '\0';
	return (out);
}

/* A reminder says what is still wrong, and the real command to take it on. */
static void
test_render_reminders_say_what(void **state)
{
	const char *esc =
	    "{\"id\":90,\"case\":12,\"shop\":\"main\",\"product_id\":"
	    "\"1005001234567890\",\"at\":\"2026-11-10T02:00:00Z\","
	    "\"actor\":\"daemon\",\"type\":\"case.escalated.reminder\","
	    "\"severity\":\"critical\",\"message\":\"m\",\"data\":"
	    "{\"condition\":3,\"reminder\":1,\"raised_by\":"
	    "\"case.escalated\",\"about\":\"appeal escalated, no decision "
	    "after 5 business days\",\"platform_case_id\":\"5099000011\"}}";
	const char *review =
	    "{\"id\":91,\"case\":12,\"shop\":\"main\",\"product_id\":"
	    "\"1005001234567890\",\"actor\":\"daemon\",\"type\":"
	    "\"case.manual_review.reminder\",\"severity\":\"critical\","
	    "\"message\":\"m\",\"data\":{\"condition\":4,\"raised_by\":"
	    "\"case.manual_review\",\"about\":\"in manual review\"}}";
	const char *dead =
	    "{\"id\":92,\"case\":null,\"shop\":null,\"product_id\":null,"
	    "\"actor\":\"daemon\",\"type\":\"delivery.dead.reminder\","
	    "\"severity\":\"critical\",\"message\":\"m\",\"data\":"
	    "{\"condition\":7,\"raised_by\":\"delivery.dead\",\"about\":"
	    "\"a delivery to erp is dead\",\"sink\":\"erp\"}}";
	const char *quota =
	    "{\"id\":93,\"case\":null,\"shop\":null,\"product_id\":null,"
	    "\"actor\":\"daemon\",\"type\":"
	    "\"source.quota_exhausted.reminder\",\"severity\":\"critical\","
	    "\"message\":\"m\",\"data\":{\"condition\":8,\"raised_by\":"
	    "\"source.quota_exhausted\",\"about\":\"source quota used "
	    "up\"}}";
	struct mail_text t;
	char *b;

	(void)state;
	assert_int_equal(mail_render(esc, "mail", &t), 0);
	assert_string_equal(t.subject,
	    "[delistd] URGENT: main 1005001234567890: reminder: appeal "
	    "escalated, no decision after 5 business days (case 12, Case ID "
	    "5099000011)");
	b = unwrapped(t.body);
	assert_non_null(strstr(b, "delistctl case ack 12"));
	assert_null(strstr(b, " ID "));
	assert_non_null(strstr(b, "delistctl snooze main"));
	free(b);
	mail_text_free(&t);

	assert_int_equal(mail_render(review, "mail", &t), 0);
	assert_string_equal(t.subject,
	    "[delistd] URGENT: main 1005001234567890: reminder: in manual "
	    "review (case 12)");
	mail_text_free(&t);

	assert_int_equal(mail_render(dead, "mail", &t), 0);
	assert_string_equal(
	    t.subject, "[delistd] URGENT: reminder: a delivery to erp is dead");
	b = unwrapped(t.body);
	assert_non_null(strstr(b, "delistctl ack 7"));
	assert_null(strstr(b, "case ack"));
	assert_null(strstr(b, "snooze"));
	free(b);
	mail_text_free(&t);

	assert_int_equal(mail_render(quota, "mail", &t), 0);
	assert_string_equal(
	    t.subject, "[delistd] URGENT: reminder: source quota used up");
	b = unwrapped(t.body);
	assert_non_null(strstr(b, "delistctl ack 8"));
	assert_null(strstr(b, "snooze"));
	free(b);
	mail_text_free(&t);
}

/* The digest's warnings: a line each. */
static void
test_render_digest_warnings(void **state)
{
	const char *daily =
	    "{\"id\":11,\"case\":null,\"shop\":\"main\",\"product_id\":null,"
	    "\"type\":\"digest.daily\",\"severity\":\"info\",\"message\":"
	    "\"m\",\"data\":{\"shop\":\"main\",\"date\":\"2026-12-06\","
	    "\"timezone\":\"Asia/Shanghai\",\"counts\":{\"open_cases\":0},"
	    "\"open_cases\":{},\"pending_syncs\":[],\"dead_deliveries\":[],"
	    "\"documents_expiring\":[],\"warnings\":[{\"code\":"
	    "\"listing.not_found\",\"shop\":\"main\",\"text\":"
	    "\"main/1005001234567890: not found by the source since 2026-12-06 "
	    "10:00 UTC (deleted or wrong ID?)\"}]}}";
	struct mail_text t;

	(void)state;
	assert_int_equal(mail_render(daily, "mail", &t), 0);
	assert_non_null(strstr(t.body,
	    "\nWarnings (1):\n"
	    "  - main/1005001234567890: not found by the source since "
	    "2026-12-06"));
	assert_non_null(strstr(t.body, "(deleted or wrong ID?)\n"));
	mail_text_free(&t);
}

static void
test_render_digest_daily(void **state)
{
	/* A shape the module does not know: rendered generically. */
	const char *odd =
	    "{\"id\":9,\"case\":null,\"shop\":\"main\",\"product_id\":null,"
	    "\"type\":\"digest.daily\",\"severity\":\"info\",\"message\":"
	    "\"2 open cases\",\"data\":{\"open_cases\":[{\"case\":7,\"state\":"
	    "\"appealed\",\"product_id\":\"1005001234567890\","
	    "\"business_days_left\":3},{\"case\":8,\"state\":\"open\","
	    "\"product_id\":\"1005009876543210\",\"business_days_left\":null}],"
	    "\"dead_deliveries\":0,\"pending_syncs\":[]}}";
	/* As delistd-events(7) documents it. */
	const char *daily =
	    "{\"id\":10,\"case\":null,\"shop\":\"main\",\"product_id\":null,"
	    "\"type\":\"digest.daily\",\"severity\":\"info\",\"message\":"
	    "\"m\",\"data\":{\"shop\":\"main\",\"date\":\"2026-10-09\","
	    "\"timezone\":\"Asia/Shanghai\",\"counts\":{\"open_cases\":2,"
	    "\"open\":1,\"appealed\":1,\"manual_review\":0,"
	    "\"pending_syncs\":1,\"dead_deliveries\":1},\"open_cases\":{"
	    "\"open\":[{\"case\":8,\"product_id\":\"1005009876543210\","
	    "\"title\":\"儿童滑板车 三轮 闪光轮 可折叠 适合3-8岁\",\"reason\":"
	    "\"other\",\"appeals_left\":3,\"escalation\":null,\"ack\":null}],"
	    "\"appealed\":[{\"case\":7,\"product_id\":\"1005001234567890\","
	    "\"title\":\"LED strip\",\"appeals_left\":2,\"escalation\":{"
	    "\"appeal\":1,\"tier\":1,\"due_at\":\"2026-10-12T02:00:00Z\","
	    "\"business_days_left\":1},\"ack\":{\"by\":\"alice\",\"until\":"
	    "\"2026-10-14T00:00:00Z\"}}],\"manual_review\":[]},"
	    "\"pending_syncs\":[{\"case\":5,\"product_id\":\"1\",\"pending\":"
	    "[\"erp\",\"ads\"]}],\"dead_deliveries\":[{\"id\":31,\"sink\":"
	    "\"erp\",\"event_type\":\"case.opened\",\"case\":5,"
	    "\"last_error\":\"HTTP 400\"}],\"documents_expiring\":[],"
	    "\"at_risk\":[{\"product_id\":\"1005001234567890\",\"title\":"
	    "\"LED strip No.1\",\"findings\":[{\"code\":\"title_banned_term\","
	    "\"term\":\"No.1\",\"field\":\"title\",\"quote\":\"No.1\","
	    "\"fix\":\"remove \\\"No.1\\\" from the title\"}]}],"
	    "\"points\":[{\"ledger\":\"listing_quality\",\"total\":10,"
	    "\"next_threshold\":12,\"consequence\":\"account frozen 7 days\","
	    "\"level\":\"critical\"}],"
	    "\"warnings\":[{\"code\":\"calendar.uncovered\",\"text\":"
	    "\"the calendar of shop main (Asia/Shanghai) has no holiday or "
	    "make-up workday in 2027, which begins on 2027-01-01\"}]}}";
	struct mail_text t;

	(void)state;
	assert_int_equal(mail_render(odd, "mail", &t), 0);
	assert_non_null(strstr(t.subject, "daily digest"));
	assert_non_null(strstr(t.body,
	    "open cases (2):\n"
	    "  case  state     product id        business days left\n"));
	assert_non_null(
	    strstr(t.body, "  7     appealed  1005001234567890  3\n"));
	assert_non_null(strstr(t.body, "dead deliveries: 0\n"));
	assert_non_null(strstr(t.body, "pending syncs: none\n"));
	mail_text_free(&t);

	assert_int_equal(mail_render(daily, "mail", &t), 0);
	assert_string_equal(t.subject, "[delistd] main: daily digest");
	assert_non_null(strstr(t.body,
	    "Open work of shop main on 2026-10-09 (Asia/Shanghai):\n"
	    "  2 open cases, 1 open, 1 appealed, 0 manual review, 1 pending "
	    "syncs, 1\n"
	    "  dead deliveries\n"));
	/* The warnings come first, wrapped. */
	assert_non_null(strstr(t.body,
	    "  dead deliveries\n"
	    "\nWarnings (1):\n"
	    "  - the calendar of shop main (Asia/Shanghai) has no holiday or "
	    "make-up\n"
	    "  workday in 2027, which begins on 2027-01-01\n"));
	/* The listings at risk and the ledgers near a threshold. */
	assert_non_null(
	    strstr(t.body, "\nListings at risk (1; delistctl scan main):\n"));
	assert_non_null(strstr(t.body, "remove \"No.1\" from the title"));
	assert_non_null(strstr(t.body,
	    "\nPenalty ledgers near a threshold (1; delistctl points "
	    "main):\n"));
	assert_non_null(strstr(t.body, "account frozen 7 days"));
	assert_non_null(strstr(t.body,
	    "appealed (1):\n"
	    "  case  product id        title      appeals left  escalation"));
	assert_non_null(strstr(t.body,
	    "  7     1005001234567890  LED strip  2             tier 1, due "
	    "2026-10-12 (1 business day)  alice until 2026-10-14\n"));
	/* A long Chinese title is clipped by columns, not bytes. */
	assert_non_null(strstr(
	    t.body, "  8     1005009876543210  儿童滑板车 三轮 闪光...  3 "));
	assert_null(strstr(t.body, "manual review (0)"));
	assert_non_null(strstr(t.body,
	    "Reinstated, waiting for a sync (1):\n"
	    "  case  product id  waiting for\n"
	    "  ----  ----------  -----------\n"
	    "  5     1           erp, ads\n"));
	assert_non_null(strstr(t.body,
	    "Dead deliveries (1; delistctl outbox "
	    "retry ID):\n"));
	assert_non_null(
	    strstr(t.body, "  31  erp   case.opened  5     HTTP 400\n"));
	mail_text_free(&t);
}

static void
test_render_digest(void **state)
{
	const char *ev[] = {
		"{\"id\":11,\"case\":1,\"shop\":\"main\",\"product_id\":\"1\","
		"\"type\":\"case.opened\",\"severity\":\"info\",\"message\":"
		"\"m\",\"data\":{}}",
		"{\"id\":12,\"case\":2,\"shop\":\"main\",\"product_id\":\"2\","
		"\"type\":\"case.stalled\",\"severity\":\"warning\","
		"\"message\":\"m\",\"data\":{}}",
		"garbage",
	};
	struct mail_text t;

	(void)state;
	assert_int_equal(
	    mail_render_digest(ev, 3, "mail", "15m", NULL, NULL, &t), 0);
	assert_string_equal(
	    t.subject, "[delistd] digest: 3 alerts, 1 warning, 1 info");
	assert_non_null(strstr(t.body, "3 alerts from the last 15m"));
	assert_non_null(strstr(t.body,
	    "1. main 1: listing delisted, case opened (case 1)\n"
	    "2. main 2: no appeal yet (case 2)\n"
	    "3. (an event delistd could not read)\n"));
	assert_non_null(strstr(t.body, "delistctl case show 2"));
	/* One signature, at the end: clients fold what follows "-- ". */
	assert_non_null(
	    strstr(t.body, "\n-- \ndelistd, sink mail, events 11, 12\n"));
	assert_ptr_equal(strstr(t.body, "\n-- \n"), strrchr(t.body, '-') - 2);
	mail_text_free(&t);
}

/* Events that ask nothing of a person: counted, one line per type. */
static void
test_counted(void **state)
{
	uint64_t counts[MAIL_QUIET_MAX] = { 0 };
	char *text;

	(void)state;
	assert_int_equal(mail_quiet("case.opened"), -1);
	assert_int_equal(mail_quiet("case.escalated"), -1);
	assert_int_equal(mail_quiet(NULL), -1);
	assert_true(mail_quiet("listing.tracked") >= 0);
	assert_true(mail_quiet("doc.added") >= 0);
	assert_null(mail_counted(counts, NULL));
	counts[mail_quiet("listing.tracked")] = 3000;
	counts[mail_quiet("doc.added")] = 1;
	counts[mail_quiet("listing.untracked")] = 1234567;
	text = mail_counted(counts, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "3,000 listings tracked\n"));
	assert_non_null(strstr(text, "1 document added to the vault\n"));
	assert_non_null(strstr(text, "1,234,567 listings no longer tracked\n"));
	free(text);
}

/* A digest of counts alone: no "Nothing to do", the count in the subject. */
static void
test_render_digest_counts(void **state)
{
	const char *ev[] = {
		"{\"id\":11,\"case\":1,\"shop\":\"main\",\"product_id\":\"1\","
		"\"type\":\"case.opened\",\"severity\":\"info\",\"message\":"
		"\"m\",\"data\":{}}",
	};
	struct mail_text t;

	(void)state;
	assert_int_equal(mail_render_digest(NULL, 0, "mail", "15m",
			     "3,000 listings tracked\n2 documents added to the "
			     "vault\n",
			     NULL, &t),
	    0);
	assert_string_equal(
	    t.subject, "[delistd] digest: 3,000 listings tracked, ...");
	assert_non_null(strstr(t.body, "No alert in the last 15m.\n"));
	assert_non_null(strstr(t.body,
	    "Counted, not mailed one by one (they ask nothing of you):\n"
	    "  3,000 listings tracked\n"
	    "  2 documents added to the vault\n"));
	assert_null(strstr(t.body, "Nothing to do"));
	mail_text_free(&t);
	assert_int_equal(mail_render_digest(NULL, 0, "mail", "15m",
			     "1 listing tracked\n", NULL, &t),
	    0);
	assert_string_equal(t.subject, "[delistd] digest: 1 listing tracked");
	mail_text_free(&t);
	/* With alerts: the usual subject, the counts after the list. */
	assert_int_equal(mail_render_digest(ev, 1, "mail", "15m",
			     "5 listings tracked\n", NULL, &t),
	    0);
	assert_string_equal(t.subject, "[delistd] digest: 1 alert, 1 info");
	assert_non_null(strstr(t.body,
	    "1 alert from the last 15m, oldest first. Each is described in "
	    "full below.\n\nCounted, not mailed one by one (they ask nothing "
	    "of you):\n  5 listings tracked\n\n1. main 1: listing delisted"));
	mail_text_free(&t);
}

/* The daily digest: its warnings, and the counts it carries. */
static void
test_render_daily_warnings(void **state)
{
	const char *ev =
	    "{\"id\":40,\"shop\":\"main\",\"type\":\"digest.daily\","
	    "\"severity\":\"info\",\"message\":\"m\",\"data\":{\"shop\":"
	    "\"main\",\"date\":\"2026-10-12\",\"timezone\":\"Asia/Shanghai\","
	    "\"counts\":{\"open_cases\":0},\"open_cases\":{},"
	    "\"pending_syncs\":[],\"dead_deliveries\":[],"
	    "\"documents_expiring\":[],\"warnings\":[{\"code\":"
	    "\"listing.not_found\",\"text\":\"listing 1005 of shop main is "
	    "not found on AliExpress\"},{\"code\":\"x.y\",\"text\":\"second "
	    "warning\"}]}}";
	const char *none =
	    "{\"id\":41,\"shop\":\"main\",\"type\":\"digest.daily\","
	    "\"severity\":\"info\",\"message\":\"m\",\"data\":{\"shop\":"
	    "\"main\",\"date\":\"2026-10-12\",\"timezone\":\"Asia/Shanghai\","
	    "\"counts\":{\"open_cases\":0},\"open_cases\":{},"
	    "\"warnings\":[]}}";
	struct mail_text t;

	(void)state;
	assert_int_equal(mail_render_counted(
			     ev, "mail", "3,000 listings tracked\n", NULL, &t),
	    0);
	assert_non_null(strstr(t.body,
	    "Warnings (2):\n"
	    "  - listing 1005 of shop main is not found on AliExpress\n"
	    "  - second warning\n"));
	assert_non_null(strstr(t.body,
	    "Counted, not mailed one by one (they ask nothing of you):\n"
	    "  3,000 listings tracked\n"));
	mail_text_free(&t);
	assert_int_equal(mail_render(none, "mail", &t), 0);
	assert_null(strstr(t.body, "Warnings"));
	assert_null(strstr(t.body, "Counted"));
	mail_text_free(&t);
}

/* What a snooze held, one line each, critical ones flagged. */
static void
test_render_held_mail(void **state)
{
	const char *ev =
	    "{\"id\":90,\"case\":null,\"shop\":\"main\",\"type\":"
	    "\"shop.held_mail\",\"severity\":\"info\",\"message\":\"m\","
	    "\"data\":{\"shop\":\"main\",\"count\":2,\"critical\":1,\"held\":"
	    "[{\"event_id\":7,\"type\":\"case.opened\",\"severity\":\"info\","
	    "\"case\":3,\"product_id\":\"1005\",\"at\":"
	    "\"2026-10-01T02:00:00Z\",\"message\":\"case 3 opened\"},"
	    "{\"event_id\":8,\"type\":\"delivery.dead\",\"severity\":"
	    "\"critical\",\"case\":3,\"product_id\":\"1005\",\"at\":"
	    "\"2026-10-01T02:00:01Z\",\"message\":\"erp gave up\"},"
	    "{\"event_id\":9,\"type\":\"listing.tracked\",\"severity\":"
	    "\"info\",\"case\":null,\"product_id\":\"7\",\"at\":"
	    "\"2026-10-01T02:00:02Z\",\"message\":\"tracked\"},"
	    "{\"event_id\":10,\"type\":\"listing.tracked\",\"severity\":"
	    "\"info\",\"case\":null,\"product_id\":\"8\",\"at\":"
	    "\"2026-10-01T02:00:03Z\",\"message\":\"tracked\"}]}}";
	struct mail_text t;

	(void)state;
	assert_int_equal(mail_render(ev, "mail", &t), 0);
	assert_string_equal(
	    t.subject, "[delistd] main: mail held during the snooze");
	assert_non_null(strstr(t.body,
	    "Held while shop main was snoozed (4):\n"
	    "1. 2026-10-01T02:00:00Z case.opened (case 3)\n"
	    "   case 3 opened\n"
	    "2. URGENT 2026-10-01T02:00:01Z delivery.dead (case 3)\n"
	    "   erp gave up\n"
	    "\nCounted, not mailed one by one (they ask nothing of you):\n"
	    "  2 listings tracked\n"));
	assert_non_null(strstr(t.body, "announced again"));
	mail_text_free(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii_subject_folds),
		cmocka_unit_test(test_chinese_subject_encoded_words),
		cmocka_unit_test(test_header_oddities),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_base64_body),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_message_ids),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_render_feedback_overdue),
		cmocka_unit_test(test_render_rejected_and_appealed),
		cmocka_unit_test(test_render_times_in_the_shops_zone),
		cmocka_unit_test(test_render_unknown_and_reminder),
		cmocka_unit_test(test_render_reminders_say_what),
		cmocka_unit_test(test_render_digest_daily),
		cmocka_unit_test(test_render_digest_warnings),
		cmocka_unit_test(test_render_digest),
		cmocka_unit_test(test_counted),
		cmocka_unit_test(test_render_digest_counts),
		cmocka_unit_test(test_render_daily_warnings),
		cmocka_unit_test(test_render_held_mail),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

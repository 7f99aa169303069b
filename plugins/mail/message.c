/* SPDX-License-Identifier: ISC */
/*
 * message.c: RFC 5322 messages and the text of each event, as pure
 * functions (no host, no I/O), so that tests/unit/test_mail.c can check
 * them byte by byte. Every line built here ends in CRLF and is at most 78
 * octets (76 for encoded words and bodies), far under RFC 5322's 998.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "core.h"
#include "evsentence.h"
#include "message.h"
#include "mo.h"
#include "sinklang.h"
#include "text.h"
#include "tzfile.h"

/*
 * The reader of the render in progress: mail_render_counted and
 * mail_render_digest set it for the length of their call (the plugin
 * renders on the event loop, one mail at a time). _() is in the reader's
 * language, from their catalogue (mo.h), not the process's locale; N_()
 * marks a table's text, NC_() one with a context (xgettext: po/Makevars).
 */
static const struct mail_locale *reader;
#undef _
#undef N_
#define _(s) mo_gettext(reader != NULL ? reader->mo : NULL, (s))
#define N_(s) (s)
#define NC_(c, s) (s)
#define C_(c, s) mo_pgettext(reader != NULL ? reader->mo : NULL, (c), (s))

#define HEADER_FOLD 78 /* a header line, CRLF excluded */
#define WORD_LINE 76 /* a line with an encoded word (RFC 2047 2) */
#define WORD_MAX 75 /* one encoded word */
#define WORD_OVERHEAD 12 /* =?UTF-8?B? and ?= */
#define ATOM_MAX 900 /* an unbroken ASCII run beyond this is encoded */
#define WRAP 72 /* body paragraphs */
#define VALUE_MAX 300 /* a data member shown in a body */
#define SUBJECT_BRIEF 60 /* characters of a reason in a subject */

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* --- buffers --------------------------------------------------------- */

void
mbuf_add(struct mbuf *b, const void *p, size_t n)
{
	size_t want;
	char *d;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->size) {
		want = b->size != 0 ? b->size : 256;
		while (want < b->len + n + 1)
			want *= 2;
		if ((d = realloc(b->data, want)) == NULL) {
			b->failed = 1;
			return;
		}
		b->data = d;
		b->size = want;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
mbuf_adds(struct mbuf *b, const char *s)
{
	mbuf_add(b, s, strlen(s));
}

void
mbuf_addf(struct mbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	mbuf_add(b, s, (size_t)n);
	free(s);
}

char *
mbuf_take(struct mbuf *b, size_t *len)
{
	char *d;

	if (b->failed) {
		mbuf_free(b);
		return (NULL);
	}
	if (b->data == NULL)
		mbuf_add(b, "", 0);
	if (b->failed)
		return (NULL);
	d = b->data;
	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = b->size = 0;
	return (d);
}

void
mbuf_free(struct mbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

/* --- UTF-8 ------------------------------------------------------------- */

/* The length of the valid UTF-8 sequence at p (at most left), or 0. */
static size_t
utf8_len(const unsigned char *p, size_t left)
{
	uint32_t c;

	return (text_decode(p, left, &c, NULL));
}

/* Columns a character takes in a fixed-width font: 2 for CJK. */
static int
utf8_width(const unsigned char *p, size_t n)
{
	return ((int)text_width_n((const char *)p, n));
}

static size_t
display_width(const char *s)
{
	return (text_width(s));
}

char *
mail_clean_text(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct mbuf b = { 0 };
	size_t i = 0, n;

	while (i < len) {
		if (p[i] == '\r') {
			mbuf_adds(&b, "\r\n");
			i += (i + 1 < len && p[i + 1] == '\n') ? 2 : 1;
		} else if (p[i] == '\n') {
			mbuf_adds(&b, "\r\n");
			i++;
		} else if (p[i] == '\0' ||
		    (p[i] < ' ' && p[i] != '\t' && p[i] != '\f') ||
		    p[i] == 0x7f) {
			mbuf_adds(&b, " ");
			i++;
		} else if ((n = utf8_len(p + i, len - i)) == 0) {
			mbuf_adds(&b, "\xef\xbf\xbd");
			i++;
		} else {
			mbuf_add(&b, p + i, n);
			i += n;
		}
	}
	return (mbuf_take(&b, NULL));
}

int
mail_is_ascii(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p < ' ' && *p != '\t') || *p >= 0x7f)
			return (0);
	}
	return (1);
}

/* --- headers ----------------------------------------------------------- */

static void
b64_encode(struct mbuf *b, const unsigned char *p, size_t n)
{
	char q[4];
	unsigned int v;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
		q[0] = b64chars[(v >> 18) & 63];
		q[1] = b64chars[(v >> 12) & 63];
		q[2] = b64chars[(v >> 6) & 63];
		q[3] = b64chars[v & 63];
		mbuf_add(b, q, 4);
	}
	if (n - i == 1) {
		v = p[i] << 16;
		q[0] = b64chars[(v >> 18) & 63];
		q[1] = b64chars[(v >> 12) & 63];
		q[2] = q[3] = '=';
		mbuf_add(b, q, 4);
	} else if (n - i == 2) {
		v = (p[i] << 16) | (p[i + 1] << 8);
		q[0] = b64chars[(v >> 18) & 63];
		q[1] = b64chars[(v >> 12) & 63];
		q[2] = b64chars[(v >> 6) & 63];
		q[3] = '=';
		mbuf_add(b, q, 4);
	}
}

/* A header value on one line: controls and line breaks become spaces. */
static char *
header_value(const char *value)
{
	char *v, *p;

	if ((v = mail_clean_text(value, strlen(value))) == NULL)
		return (NULL);
	for (p = v; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n' || *p == '\t' || *p == '\f')
			*p = ' ';
	}
	return (v);
}

/* Printable ASCII folded at spaces; 0 if a word is too long for that. */
static int
header_plain(struct mbuf *b, const char *name, const char *v)
{
	size_t line, w;
	const char *p = v, *e;
	int first = 1;

	for (e = v; *e != '\0'; e += w) {
		e += strspn(e, " ");
		if ((w = strcspn(e, " ")) > ATOM_MAX)
			return (0);
	}
	mbuf_addf(b, "%s:", name);
	line = strlen(name) + 1;
	while (*p != '\0') {
		/* A run of spaces and the word after it go together. */
		e = p + strspn(p, " ");
		w = strcspn(e, " ");
		if (w == 0) /* trailing spaces: dropped */
			break;
		if (first || line + 1 + w <= HEADER_FOLD) {
			mbuf_adds(b, " ");
			line++;
		} else {
			mbuf_adds(b, "\r\n ");
			line = 1;
		}
		mbuf_add(b, e, w);
		line += w;
		p = e + w;
		first = 0;
	}
	mbuf_adds(b, "\r\n");
	return (1);
}

/* RFC 2047 B encoded words, split between UTF-8 characters. */
static void
header_encoded(struct mbuf *b, const char *name, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t left = strlen(v), line, room, take, n;

	mbuf_addf(b, "%s:", name);
	line = strlen(name) + 1;
	while (left > 0) {
		/* The word starts after one space, here or on a new line. */
		room = WORD_LINE - line - 1;
		if (room > WORD_MAX)
			room = WORD_MAX;
		take = 0;
		if (room > WORD_OVERHEAD) {
			room = (room - WORD_OVERHEAD) / 4 * 3;
			while (take < left) {
				if ((n = utf8_len(p + take, left - take)) == 0)
					n = 1;
				if (take + n > room)
					break;
				take += n;
			}
		}
		if (take == 0) {
			mbuf_adds(b, "\r\n");
			line = 0;
			continue;
		}
		mbuf_adds(b, " =?UTF-8?B?");
		b64_encode(b, p, take);
		mbuf_adds(b, "?=");
		line += 1 + WORD_OVERHEAD + (take + 2) / 3 * 4;
		p += take;
		left -= take;
		if (left > 0) {
			mbuf_adds(b, "\r\n");
			line = 0;
		}
	}
	mbuf_adds(b, "\r\n");
}

void
mail_header(struct mbuf *b, const char *name, const char *value)
{
	char *v;

	if ((v = header_value(value)) == NULL) {
		b->failed = 1;
		return;
	}
	/* "=?" in plain text would be read as an encoded word. */
	if (!mail_is_ascii(v) || strstr(v, "=?") != NULL ||
	    !header_plain(b, name, v))
		header_encoded(b, name, v);
	free(v);
}

/* --- bodies ------------------------------------------------------------ */

void
mail_qp(struct mbuf *b, const char *text, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, eol, col, tl;
	char tok[3];
	int last;

	while (i < len) {
		for (eol = i; eol < len && p[eol] != '\r' && p[eol] != '\n';
		     eol++)
			;
		col = 0;
		for (; i < eol; i++) {
			last = i + 1 == eol;
			if ((p[i] >= 33 && p[i] <= 126 && p[i] != '=') ||
			    ((p[i] == ' ' || p[i] == '\t') && !last)) {
				tok[0] = (char)p[i];
				tl = 1;
			} else {
				tok[0] = '=';
				tok[1] = hex[p[i] >> 4];
				tok[2] = hex[p[i] & 15];
				tl = 3;
			}
			/* Room for a soft break's "=" unless this ends it. */
			if (col + tl > MAIL_LINE_MAX - (last ? 0 : 1)) {
				mbuf_adds(b, "=\r\n");
				col = 0;
			}
			mbuf_add(b, tok, tl);
			col += tl;
		}
		mbuf_adds(b, "\r\n");
		if (i < len && p[i] == '\r')
			i++;
		if (i < len && p[i] == '\n')
			i++;
	}
}

void
mail_base64(struct mbuf *b, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i, n;

	for (i = 0; i < len; i += n) {
		n = len - i < MAIL_LINE_MAX / 4 * 3 ? len - i
						    : MAIL_LINE_MAX / 4 * 3;
		b64_encode(b, p + i, n);
		mbuf_adds(b, "\r\n");
	}
}

const char *
mail_body_encoding(const char *text, size_t len)
{
	size_t i, high = 0;

	for (i = 0; i < len; i++)
		high += (unsigned char)text[i] >= 0x80;
	return (high * 3 > len ? "base64" : "quoted-printable");
}

void
mail_date(int64_t t, char *buf, size_t len)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		"Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	snprintf(buf, len, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* --- addresses and ids ------------------------------------------------- */

static void
add_atext(struct mbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (isalnum((unsigned char)*s) ||
		    strchr("!#$%&'*+-/=?^_`{|}~", *s) != NULL)
			mbuf_add(b, s, 1);
		else
			mbuf_adds(b, "_");
	}
}

static void
add_domain(struct mbuf *b, const char *d)
{
	const char *s;

	if (d == NULL || *d == '\0') {
		mbuf_adds(b, "localhost");
		return;
	}
	for (s = d; *s != '\0'; s++) {
		if (isalnum((unsigned char)*s) || *s == '-' || *s == '.')
			mbuf_add(b, s, 1);
		else
			mbuf_adds(b, "_");
	}
}

char *
mail_message_id(const char *key, const char *domain)
{
	struct mbuf b = { 0 };

	mbuf_adds(&b, "<delistd.");
	add_atext(&b, key);
	mbuf_adds(&b, "@");
	add_domain(&b, domain);
	mbuf_adds(&b, ">");
	return (mbuf_take(&b, NULL));
}

char *
mail_thread_id(int64_t case_id, const char *instance, const char *domain)
{
	struct mbuf b = { 0 };

	mbuf_addf(&b, "<delistd.case-%" PRId64 ".", case_id);
	add_atext(&b, instance);
	mbuf_adds(&b, "@");
	add_domain(&b, domain);
	mbuf_adds(&b, ">");
	return (mbuf_take(&b, NULL));
}

char *
mail_digest_id(int64_t first, int64_t last, size_t n, const char *instance,
    const char *domain)
{
	struct mbuf b = { 0 };

	mbuf_addf(
	    &b, "<delistd.digest.%" PRId64 "-%" PRId64 ".%zu.", first, last, n);
	add_atext(&b, instance);
	mbuf_adds(&b, "@");
	add_domain(&b, domain);
	mbuf_adds(&b, ">");
	return (mbuf_take(&b, NULL));
}

const char *
mail_domain(const char *address)
{
	const char *at;

	if (address == NULL || (at = strrchr(address, '@')) == NULL ||
	    at[1] == '\0')
		return (NULL);
	return (at + 1);
}

int
mail_address_ok(const char *a)
{
	const char *at, *p;

	if (a == NULL || strlen(a) > 254 || (at = strrchr(a, '@')) == NULL ||
	    at == a || at[1] == '\0' || strchr(a, '@') != at)
		return (0);
	for (p = a; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("<>()[],;:\"\\", *p) != NULL)
			return (0);
	}
	for (p = at + 1; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			return (0);
	}
	return (at[1] != '.' && p[-1] != '.');
}

/* --- messages ---------------------------------------------------------- */

char *
mail_build(const struct mail_msg *m, size_t *len)
{
	struct mbuf b = { 0 }, to = { 0 };
	const char *const *r;
	const char *enc;
	char date[64], *body, *from;
	size_t blen;

	if ((body = mail_clean_text(m->body, strlen(m->body))) == NULL)
		return (NULL);
	blen = strlen(body);
	enc = mail_body_encoding(body, blen);

	mail_date(m->date, date, sizeof date);
	mail_header(&b, "Date", date);
	if (m->from_name != NULL &&
	    asprintf(&from, "%s <%s>", m->from_name, m->from) != -1) {
		mail_header(&b, "From", from);
		free(from);
	} else
		mail_header(&b, "From", m->from);
	for (r = m->to; *r != NULL; r++)
		mbuf_addf(&to, "%s%s", r == m->to ? "" : ", ", *r);
	if (to.failed || to.data == NULL)
		b.failed = 1;
	else
		mail_header(&b, "To", to.data);
	mbuf_free(&to);
	mail_header(&b, "Subject", m->subject);
	mail_header(&b, "Message-ID", m->message_id);
	if (m->in_reply_to != NULL) {
		mail_header(&b, "In-Reply-To", m->in_reply_to);
		mail_header(&b, "References", m->in_reply_to);
	}
	mail_header(&b, "MIME-Version", "1.0");
	mail_header(&b, "Content-Type", "text/plain; charset=UTF-8");
	mail_header(&b, "Content-Transfer-Encoding", enc);
	mail_header(&b, "Auto-Submitted", "auto-generated");
	if (m->mailer != NULL)
		mail_header(&b, "X-Mailer", m->mailer);
	mbuf_adds(&b, "\r\n");
	if (strcmp(enc, "base64") == 0)
		mail_base64(&b, body, blen);
	else
		mail_qp(&b, body, blen);
	free(body);
	return (mbuf_take(&b, len));
}

/* --- what each event says ---------------------------------------------- */

/*
 * What happened, in a few words for the subject, and what to do next, from
 * the domain's rules. "*" matches a type's end (".reminder").
 */
static const struct mail_kind {
	const char *type;
	const char *what;
	const char *todo;
} mail_kinds[] = {
	{ "case.opened", N_("listing delisted, case opened"),
	    N_("Read the violation record (the rule clause, the evidence, the "
	       "time) and fix every cited point, against the snapshot taken at "
	       "the takedown, not against memory. Then write a specific appeal "
	       "statement naming what was changed and where, with before/after "
	       "screenshots and any documents. Do not list the product again "
	       "under a new ID while the case is open: that counts as evading "
	       "the penalty.") },
	{ "case.note", N_("rectification recorded"),
	    N_("When every cited point is fixed, submit the appeal in the seller "
	       "centre (My AliExpress > violation records > apply for appeal) "
	       "and record it with delistctl case appeal.") },
	{ "case.appealed", N_("appeal submitted"),
	    N_("Wait for the decision: review normally takes 1 to 5 business "
	       "days. Do not resubmit while the appeal is under review.") },
	{ "case.approved", N_("appeal approved"),
	    N_("The listing should be on sale again soon. When it is, record it "
	       "with delistctl case reinstated so that the ERP and the ad "
	       "systems resume it. Rank and sales history do not come back by "
	       "themselves: watch them.") },
	{ "case.rejected", N_("appeal rejected"),
	    N_("Read the rejection reason (below) and add exactly what it asks "
	       "for: fix every cited point, replace blurry, expired or wrong "
	       "documents, and write a new, specific statement. Do not resubmit "
	       "the same materials unchanged.") },
	{ "case.manual_review", N_("last appeal rejected, manual re-review"),
	    N_("No more appeals are taken: the platform re-reviews the listing "
	       "by hand, which takes longer. Make sure every cited point is "
	       "fixed and every document is clear and valid, and follow up "
	       "with customer service quoting the Case ID.") },
	{ "case.reinstated", N_("listing reinstated"),
	    N_("The listing is on sale again; delistd tells the ERP and the ad "
	       "systems to resume it. Watch its rank and conversion: they do "
	       "not come back by themselves.") },
	{ "case.synced", N_("reinstatement synced"),
	    N_("Nothing to do: every system has resumed the listing and the "
	       "case is finished.") },
	{ "case.abandoned", N_("case abandoned"),
	    N_("Nothing more to do on this case.") },
	{ "case.closed", N_("case closed"),
	    N_("Nothing more to do on this case.") },
	{ "case.classified", N_("delisting reason classified"),
	    N_("Fix every point the reason names, then appeal.") },
	{ "case.feedback_overdue", N_("no feedback after 72 hours"),
	    N_("Open a ticket with AliExpress online customer service (violation "
	       "consultation), quote the platform Case ID, and keep the progress "
	       "number they give you (record it with delistctl case note).") },
	{ "case.escalated", N_("no decision after 5 business days"),
	    N_("Chase AliExpress customer service now, quoting the platform Case "
	       "ID: the review has taken longer than it normally does.") },
	{ "case.stalled", N_("no appeal yet"),
	    N_("The case has waited for an appeal. Fix the cited points and "
	       "submit the appeal, or give the case up with delistctl case "
	       "abandon.") },
	{ "listing.tracked", N_("listing tracked"), N_("Nothing to do.") },
	{ "listing.untracked", N_("listing no longer tracked"),
	    N_("Nothing to do.") },
	{ "listing.delisted", N_("listing delisted"),
	    N_("Open a case for it (delistctl case open) and read the violation "
	       "record.") },
	{ "listing.status_changed", N_("listing status changed"),
	    N_("Nothing to do.") },
	{ "listing.evasion_risk", N_("possible penalty evasion"),
	    N_("This listing has the title of a listing whose case is open. "
	       "Listing the same product again while its appeal runs counts as "
	       "evading the penalty: check it is really another product, or take "
	       "it down.") },
	{ "delivery.dead", N_("a delivery was given up"),
	    N_("A sink gave up delivering an event (see sink and error below). "
	       "Fix the receiver, then queue the delivery again with delistctl "
	       "outbox retry ID (delistctl outbox --dead lists them).") },
	{ "source.quota_exhausted", N_("platform API quota used up"),
	    N_("The platform's daily API quota is used up: listings are not "
	       "checked until it resets. Nothing is lost; consider checking "
	       "less often.") },
	{ "source.auth_failed", N_("platform credentials refused"),
	    N_("The platform refused the source's credentials: renew the app's "
	       "access token, update the token file, then reload delistd "
	       "(systemctl reload delistd).") },
	{ "doc.expiring", N_("document expiring"),
	    N_("Renew the document before it expires and upload the new one.") },
	{ "doc.expired", N_("document expired"),
	    N_("Renew the document and upload the new one: appeals that rely on "
	       "it will fail.") },
	{ "calendar.uncovered", N_("no holidays configured for a year"),
	    N_("Add the year's public holidays and make-up workdays to the "
	       "calendar in delistd.conf (for mainland China, from the State "
	       "Council's notice, usually out in November), check it with "
	       "delistd -t, then reload delistd (delistctl reload).") },
	{ "digest.daily", N_("daily digest"),
	    N_("Work through the open cases listed above, the ones closest to "
	       "their deadlines first.") },
	{ "shop.held_mail", N_("mail held during the snooze"),
	    N_("Read the events listed above. Each critical condition that is "
	       "still open is announced again in a mail of its own.") },
	/* Its "what to do next" is reminder_todo's. */
	{ "*.reminder", N_("reminder"), NULL },
};

static const struct mail_kind *
mail_kind(const char *type)
{
	size_t i, tl = strlen(type), sl;
	const char *t;

	for (i = 0; i < nitems(mail_kinds); i++) {
		t = mail_kinds[i].type;
		if (t[0] == '*') {
			sl = strlen(t + 1);
			if (tl > sl && strcmp(type + tl - sl, t + 1) == 0)
				return (&mail_kinds[i]);
		} else if (strcmp(t, type) == 0)
			return (&mail_kinds[i]);
	}
	return (NULL);
}

/*
 * Events that ask nothing of a person: a sink counts them and says how
 * many in its next digest, instead of a mail each. The phrases are the
 * count lines' ("3,000 listings tracked").
 */
static const struct mail_quiet {
	const char *type;
	const char *one;
	const char *many;
} mail_quiets[] = {
	{ "listing.tracked", NC_("mail count", "listing tracked"),
	    NC_("mail count", "listings tracked") },
	{ "listing.untracked", NC_("mail count", "listing no longer tracked"),
	    NC_("mail count", "listings no longer tracked") },
	{ "listing.status_changed", NC_("mail count", "listing status change"),
	    NC_("mail count", "listing status changes") },
	{ "doc.added", NC_("mail count", "document added to the vault"),
	    NC_("mail count", "documents added to the vault") },
	{ "doc.removed", NC_("mail count", "document removed from the vault"),
	    NC_("mail count", "documents removed from the vault") },
	{ "case.document",
	    NC_("mail count", "vault document attached to a case"),
	    NC_("mail count", "vault documents attached to cases") },
};
_Static_assert(nitems(mail_quiets) <= MAIL_QUIET_MAX, "MAIL_QUIET_MAX");

int
mail_quiet(const char *type)
{
	size_t i;

	for (i = 0; type != NULL && i < nitems(mail_quiets); i++) {
		if (strcmp(mail_quiets[i].type, type) == 0)
			return ((int)i);
	}
	return (-1);
}

/* 3000 -> "3,000" */
static void
add_count(struct mbuf *b, uint64_t n)
{
	char digits[32];
	size_t len, i;

	len = (size_t)snprintf(digits, sizeof digits, "%" PRIu64, n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			mbuf_adds(b, ",");
		mbuf_add(b, &digits[i], 1);
	}
}

char *
mail_counted(
    const uint64_t counts[MAIL_QUIET_MAX], const struct mail_locale *loc)
{
	const struct mail_locale *outer = reader;
	struct mbuf b = { 0 };
	size_t i;

	reader = loc;

	for (i = 0; i < nitems(mail_quiets); i++) {
		if (counts[i] == 0)
			continue;
		add_count(&b, counts[i]);
		mbuf_addf(&b, " %s\n",
		    counts[i] == 1 ? C_("mail count", mail_quiets[i].one)
				   : C_("mail count", mail_quiets[i].many));
	}
	reader = outer;
	return (b.len > 0 ? mbuf_take(&b, NULL) : NULL);
}

/* The counted events' section of a digest (counted: mail_counted's). */
static void
render_counted(struct mbuf *b, const char *counted)
{
	const char *p;
	size_t len;

	if (counted == NULL || *counted == '\0')
		return;
	mbuf_adds(b,
	    _("\nCounted, not mailed one by one (they ask nothing of "
	      "you):\n"));
	for (p = counted; *p != '\0'; p += len + (p[len] == '\n')) {
		len = strcspn(p, "\n");
		mbuf_addf(b, "  %.*s\n", (int)len, p);
	}
}

static const char *
jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return (json_is_string(v) ? json_string_value(v) : NULL);
}

/* An event's sentence in the reader's language (evsentence.c), or NULL. */
static char *
event_sentence(json_t *ev)
{
	return (ev_sentence(reader != NULL ? reader->mo : NULL, ev));
}

/* A member's value as text (malloc'd): strings as they are, else JSON. */
static char *
jtext(json_t *v)
{
	char *s;

	if (json_is_string(v))
		s = strdup(json_string_value(v));
	else if (json_is_null(v))
		s = strdup("-");
	else
		s = json_dumps(
		    v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
	if (s != NULL && strlen(s) > VALUE_MAX)
		strcpy(s + VALUE_MAX - 3, "...");
	return (s);
}

/* Punctuation that never starts a line: it stays with what it closes. */
static const char closers[] = "，。、；：！？）》」』】,.;:!?)";

/*
 * The next token of a paragraph at p: a wide (CJK) character with the
 * closing punctuation after it, or a run of narrow characters up to a
 * space or a wide one. Its length; its width in *w.
 */
static size_t
wrap_token(const char *p, size_t *w)
{
	size_t n, len = 0, cw;

	*w = 0;
	n = text_char(p, &cw);
	if (cw >= 2) {
		len = n;
		*w = cw;
		while (p[len] != '\0' && (n = text_char(p + len, &cw)) > 0 &&
		    memmem(closers, sizeof closers - 1, p + len, n) != NULL) {
			len += n;
			*w += cw;
		}
		return (len);
	}
	while (p[len] != '\0' && p[len] != ' ' &&
	    (n = text_char(p + len, &cw)) > 0 && cw < 2) {
		len += n;
		*w += cw;
	}
	return (len);
}

/*
 * A paragraph, wrapped to WRAP columns, indented: at spaces, and between
 * wide characters (Chinese has no spaces), never before a closer.
 */
static void
wrap(struct mbuf *b, const char *text, const char *indent)
{
	const char *p = text;
	size_t col = 0, n, w;
	int space;

	while (*p != '\0') {
		for (space = 0; *p == ' '; p++)
			space = 1;
		if (*p == '\0')
			break;
		if ((n = wrap_token(p, &w)) == 0)
			n = 1;
		if (col > 0 && col + (size_t)space + w > WRAP) {
			mbuf_adds(b, "\n");
			col = 0;
		}
		if (col == 0) {
			mbuf_adds(b, indent);
			col = strlen(indent);
		} else if (space) {
			mbuf_adds(b, " ");
			col++;
		}
		mbuf_add(b, p, n);
		col += w;
		p += n;
	}
	if (col > 0)
		mbuf_adds(b, "\n");
}

/*
 * The words for a data member's key ("feedback_due_at": "feedback due"),
 * in the reader's language; a key not listed reads as itself, "_" as a
 * space and without its "_at".
 */
static const struct mail_label {
	const char *key;
	const char *text;
} mail_labels[] = {
	{ "open_cases", NC_("mail label", "open cases") },
	{ "open", NC_("mail label", "open") },
	{ "rectifying", NC_("mail label", "rectifying") },
	{ "appealed", NC_("mail label", "appealed") },
	{ "approved", NC_("mail label", "approved") },
	{ "reinstated", NC_("mail label", "reinstated") },
	{ "manual_review", NC_("mail label", "manual review") },
	{ "pending_syncs", NC_("mail label", "pending syncs") },
	{ "dead_deliveries", NC_("mail label", "dead deliveries") },
	{ "documents_expiring", NC_("mail label", "documents expiring") },
	{ "case", NC_("mail label", "case") },
	{ "product_id", NC_("mail label", "product id") },
	{ "title", NC_("mail label", "title") },
	{ "appeals_left", NC_("mail label", "appeals left") },
	{ "escalation", NC_("mail label", "escalation") },
	{ "taken_on_by", NC_("mail label", "taken on by") },
	{ "waiting_for", NC_("mail label", "waiting for") },
	{ "id", NC_("mail label", "id") },
	{ "sink", NC_("mail label", "sink") },
	{ "event", NC_("mail label", "event") },
	{ "last_error", NC_("mail label", "last error") },
	{ "document", NC_("mail label", "document") },
	{ "type", NC_("mail label", "type") },
	{ "name", NC_("mail label", "name") },
	{ "expires", NC_("mail label", "expires") },
	{ "days_left", NC_("mail label", "days left") },
	{ "products", NC_("mail label", "products") },
	{ "feedback_due_at", NC_("mail label", "feedback due") },
	{ "escalate_due_at", NC_("mail label", "escalate due") },
	{ "stall_due_at", NC_("mail label", "act by") },
	{ "expires_at", NC_("mail label", "expires") },
	{ "until", NC_("mail label", "until") },
	{ "snoozed_until", NC_("mail label", "snoozed until") },
	{ "reason", NC_("mail label", "reason") },
	{ "rule", NC_("mail label", "rule") },
	{ "appeal", NC_("mail label", "appeal") },
	{ "state", NC_("mail label", "state") },
	{ "from", NC_("mail label", "from") },
	{ "to", NC_("mail label", "to") },
	{ "tier", NC_("mail label", "tier") },
	{ "about", NC_("mail label", "about") },
	{ "condition", NC_("mail label", "condition") },
	{ "reminders", NC_("mail label", "reminders") },
	{ "after_business_days", NC_("mail label", "after business days") },
	{ "severity", NC_("mail label", "severity") },
	{ "tiers", NC_("mail label", "tiers") },
};

/* Adds the label of key to b. */
static void
label(struct mbuf *b, const char *key)
{
	size_t n = strlen(key), i;

	for (i = 0; i < nitems(mail_labels); i++) {
		if (strcmp(mail_labels[i].key, key) == 0) {
			mbuf_adds(b, C_("mail label", mail_labels[i].text));
			return;
		}
	}
	if (n > 3 && strcmp(key + n - 3, "_at") == 0)
		n -= 3;
	for (i = 0; i < n; i++)
		mbuf_add(b, key[i] == '_' ? " " : &key[i], 1);
}

/* The label of key as a string (malloc'd), or NULL. */
static char *
label_text(const char *key)
{
	struct mbuf b = { 0 };

	label(&b, key);
	return (mbuf_take(&b, NULL));
}

/*
 * An ISO 8601 time of the document ("2026-10-09T06:00:00Z") for a person:
 * in the shop's zone with the zone named, "2026-10-09 14:00 CST
 * (Asia/Shanghai)", or "2026-10-09 14:00 (北京时间)" where the reader's
 * language has a name for Beijing time. As it is when there is no zone.
 */
static const char *
when(const char *iso, const char *shop, char *buf, size_t len)
{
	if (reader == NULL || reader->zone == NULL)
		return (iso);
	return (sink_lang_when(
	    reader->zone(reader->arg, shop), reader->mo, iso, buf, len));
}

static int
is_deadline(const char *key)
{
	size_t n = strlen(key);

	return ((n > 7 && strcmp(key + n - 7, "_due_at") == 0) ||
	    strcmp(key, "expires_at") == 0 || strcmp(key, "until") == 0 ||
	    strcmp(key, "snoozed_until") == 0);
}

static void
pad(struct mbuf *b, size_t n)
{
	while (n-- > 0)
		mbuf_adds(b, " ");
}

/* An array of objects as a table: a column per member of the first row. */
static void
render_table(struct mbuf *b, json_t *arr, const char *indent)
{
	json_t *first = json_array_get(arr, 0), *row, *v;
	const char *key;
	size_t ncol = json_object_size(first), i, c, *width;
	char **cells, **heads, *s;

	if (ncol == 0 || (width = calloc(ncol, sizeof *width)) == NULL)
		return;
	cells = calloc(json_array_size(arr) * ncol + 1, sizeof *cells);
	heads = calloc(ncol, sizeof *heads);
	if (cells == NULL || heads == NULL) {
		free(cells);
		free(heads);
		free(width);
		return;
	}
	/* The headings in the reader's language; widths in columns. */
	c = 0;
	json_object_foreach (first, key, v) {
		heads[c] = label_text(key);
		width[c] = display_width(heads[c] != NULL ? heads[c] : "-");
		c++;
	}
	json_array_foreach (arr, i, row) {
		c = 0;
		json_object_foreach (first, key, v) {
			s = jtext(json_object_get(row, key));
			if (s != NULL && display_width(s) > width[c])
				width[c] = display_width(s);
			cells[i * ncol + c++] = s;
		}
	}
	mbuf_adds(b, indent);
	for (c = 0; c < ncol; c++) {
		mbuf_adds(b, heads[c] != NULL ? heads[c] : "-");
		if (c + 1 < ncol)
			pad(b,
			    width[c] -
				display_width(
				    heads[c] != NULL ? heads[c] : "-") +
				2);
		free(heads[c]);
	}
	free(heads);
	mbuf_adds(b, "\n");
	mbuf_adds(b, indent);
	for (c = 0; c < ncol; c++) {
		for (i = 0; i < width[c]; i++)
			mbuf_adds(b, "-");
		if (c + 1 < ncol)
			mbuf_adds(b, "  ");
	}
	mbuf_adds(b, "\n");
	for (i = 0; i < json_array_size(arr); i++) {
		mbuf_adds(b, indent);
		for (c = 0; c < ncol; c++) {
			s = cells[i * ncol + c];
			mbuf_adds(b, s != NULL ? s : "-");
			if (c + 1 < ncol)
				pad(b,
				    width[c] - display_width(s ? s : "-") + 2);
			free(s);
		}
		mbuf_adds(b, "\n");
	}
	free(cells);
	free(width);
}

/* Any JSON object as readable text: scalars, tables, nested blocks. */
static void
render_object(struct mbuf *b, json_t *o, const char *indent, int depth)
{
	const char *key;
	json_t *v;
	char *s, ind[32];

	snprintf(ind, sizeof ind, "%s  ", indent);
	json_object_foreach (o, key, v) {
		mbuf_adds(b, indent);
		label(b, key);
		if (json_is_array(v) && json_array_size(v) > 0 &&
		    json_is_object(json_array_get(v, 0)) && depth < 3) {
			mbuf_addf(b, " (%zu):\n", json_array_size(v));
			render_table(b, v, ind);
		} else if (json_is_array(v) && json_array_size(v) == 0)
			mbuf_addf(b, ": %s\n", _("none"));
		else if (json_is_object(v) && depth < 3) {
			mbuf_adds(b, ":\n");
			render_object(b, v, ind, depth + 1);
		} else {
			s = jtext(v);
			mbuf_addf(b, ": %s\n", s != NULL ? s : "?");
			free(s);
		}
	}
}

/* At most max display columns of s, "..." marking a cut (malloc'd). */
static char *
clip(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	struct mbuf b = { 0 };
	size_t left = strlen(s), n, w = 0, cw;

	if (display_width(s) <= max)
		return (strdup(s));
	while (left > 0) {
		if ((n = utf8_len(p, left)) == 0)
			n = 1;
		cw = (size_t)utf8_width(p, n);
		if (w + cw + 3 > max)
			break;
		mbuf_add(&b, p, n);
		w += cw;
		p += n;
		left -= n;
	}
	mbuf_adds(&b, "...");
	return (mbuf_take(&b, NULL));
}

/* A cell: a string (clipped), a number, or "-" for null and the rest. */
static json_t *
cell(json_t *v, size_t max)
{
	char *s, buf[32];
	json_t *r;

	if (json_is_string(v)) {
		if ((s = clip(json_string_value(v), max)) == NULL)
			return (json_string("?"));
		r = json_string(s);
		free(s);
		return (r);
	}
	if (json_is_integer(v)) {
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return (json_string(buf));
	}
	return (json_string("-"));
}

/*
 * "tier 1, due 2026-10-12 (3 business days)", or "-": the date in the
 * shop's zone.
 */
static json_t *
escalation_cell(json_t *e, const char *shop)
{
	const char *due = jstr(e, "due_at");
	json_t *tier = json_object_get(e, "tier");
	json_t *left = json_object_get(e, "business_days_left");
	char buf[256], tb[TZFILE_HUMAN_LEN];

	if (!json_is_object(e) || due == NULL)
		return (json_string("-"));
	snprintf(buf, sizeof buf,
	    _("tier %lld, due %.10s (%lld business day%s)"),
	    (long long)json_integer_value(tier), when(due, shop, tb, sizeof tb),
	    (long long)json_integer_value(left),
	    json_integer_value(left) == 1 ? "" : "s");
	return (json_string(buf));
}

/* "alice until 2026-10-14", "alice", or "-": the date in the shop's zone. */
static json_t *
ack_cell(json_t *a, const char *shop)
{
	const char *by = jstr(a, "by"), *until = jstr(a, "until");
	char buf[256], tb[TZFILE_HUMAN_LEN];

	if (by == NULL)
		return (json_string("-"));
	if (until != NULL)
		snprintf(buf, sizeof buf, _("%.40s until %.10s"), by,
		    when(until, shop, tb, sizeof tb));
	else
		snprintf(buf, sizeof buf, "%.40s", by);
	return (json_string(buf));
}

static void render_table(struct mbuf *, json_t *, const char *);
static void digest_prevent(struct mbuf *, json_t *);

/* The daily digest's warnings: what a person must see, one each. */
static void
render_warnings(struct mbuf *b, json_t *arr)
{
	struct mbuf w = { 0 };
	json_t *v;
	const char *text;
	size_t i;

	if (json_array_size(arr) == 0)
		return;
	mbuf_addf(b, _("\nWarnings (%zu):\n"), json_array_size(arr));
	json_array_foreach (arr, i, v) {
		if ((text = jstr(v, "text")) == NULL &&
		    (text = jstr(v, "code")) == NULL)
			continue;
		mbuf_addf(&w, "- %s", text);
		if (w.data != NULL)
			wrap(b, w.data, "  ");
		mbuf_free(&w);
	}
}

/*
 * shop.held_mail (delistd-events(7)): what a snooze held, one line each,
 * oldest first; events that ask nothing of a person only counted. 0 if
 * the data is not shaped as documented.
 */
static int
render_held(struct mbuf *b, json_t *data)
{
	json_t *held = json_object_get(data, "held"), *v, *c;
	uint64_t counts[MAIL_QUIET_MAX] = { 0 };
	const char *sev, *msg, *type, *shop = jstr(data, "shop");
	size_t i, n = 0;
	char *counted, *local, tb[TZFILE_HUMAN_LEN];
	int kind;

	if (!json_is_array(held))
		return (0);
	mbuf_addf(b, _("Held while shop %s was snoozed (%zu):\n"),
	    shop ? shop : "?", json_array_size(held));
	json_array_foreach (held, i, v) {
		type = jstr(v, "type");
		if ((kind = mail_quiet(type)) != -1) {
			counts[kind]++;
			continue;
		}
		sev = jstr(v, "severity");
		local = event_sentence(v);
		msg = local != NULL ? local : jstr(v, "message");
		c = json_object_get(v, "case");
		mbuf_addf(b, "%zu. %s%s %s", ++n,
		    sev != NULL && strcmp(sev, "critical") == 0 ? _("URGENT ")
								: "",
		    jstr(v, "at") ? when(jstr(v, "at"), shop, tb, sizeof tb)
				  : "?",
		    type ? type : "?");
		if (json_is_integer(c))
			mbuf_addf(b, _(" (case %lld)"),
			    (long long)json_integer_value(c));
		mbuf_adds(b, "\n");
		if (msg != NULL)
			wrap(b, msg, "   ");
		free(local);
	}
	counted = mail_counted(counts, reader);
	render_counted(b, counted);
	free(counted);
	return (1);
}

/*
 * digest.daily (delistd-events(7)): counts, the warnings, then a table per
 * state of the open cases, the pending syncs, the dead deliveries and the
 * documents expiring. 0 if the data is
 * not shaped as documented (then it is rendered generically).
 */
static int
render_daily(struct mbuf *b, json_t *data)
{
	json_t *counts = json_object_get(data, "counts");
	json_t *open = json_object_get(data, "open_cases"), *arr, *v, *rows,
	       *row, *pend, *name;
	const char *key, *s, *d, *tz;
	struct mbuf w = { 0 };
	size_t i, j;

	if (!json_is_object(counts) || !json_is_object(open))
		return (0);
	s = jstr(data, "shop");
	d = jstr(data, "date");
	tz = jstr(data, "timezone");
	mbuf_addf(b, _("Open work of shop %s on %s (%s):\n"), s ? s : "?",
	    d ? d : "?", tz ? tz : "?");
	json_object_foreach (counts, key, v) {
		if (!json_is_integer(v))
			continue;
		mbuf_addf(&w, "%s%" JSON_INTEGER_FORMAT " ", w.len ? ", " : "",
		    json_integer_value(v));
		label(&w, key);
	}
	if (w.data != NULL)
		wrap(b, w.data, "  ");
	mbuf_free(&w);
	render_warnings(b, json_object_get(data, "warnings"));
	json_object_foreach (open, key, arr) {
		if (!json_is_array(arr) || json_array_size(arr) == 0)
			continue;
		rows = json_array();
		json_array_foreach (arr, i, v) {
			row = json_object();
			json_object_set_new(
			    row, "case", cell(json_object_get(v, "case"), 10));
			json_object_set_new(row, "product_id",
			    cell(json_object_get(v, "product_id"), 20));
			json_object_set_new(row, "title",
			    cell(json_object_get(v, "title"), 24));
			json_object_set_new(row, "appeals_left",
			    cell(json_object_get(v, "appeals_left"), 4));
			json_object_set_new(row, "escalation",
			    escalation_cell(
				json_object_get(v, "escalation"), s));
			json_object_set_new(row, "taken_on_by",
			    ack_cell(json_object_get(v, "ack"), s));
			json_array_append_new(rows, row);
		}
		mbuf_adds(b, "\n");
		label(b, key);
		mbuf_addf(b, " (%zu):\n", json_array_size(arr));
		render_table(b, rows, "  ");
		json_decref(rows);
	}
	if (json_array_size(arr = json_object_get(data, "pending_syncs")) > 0) {
		rows = json_array();
		json_array_foreach (arr, i, v) {
			row = json_object();
			json_object_set_new(
			    row, "case", cell(json_object_get(v, "case"), 10));
			json_object_set_new(row, "product_id",
			    cell(json_object_get(v, "product_id"), 20));
			pend = json_object_get(v, "pending");
			json_array_foreach (pend, j, name) {
				if (json_is_string(name))
					mbuf_addf(&w, "%s%s", j ? ", " : "",
					    json_string_value(name));
			}
			json_object_set_new(row, "waiting_for",
			    json_string(w.data != NULL ? w.data : "-"));
			mbuf_free(&w);
			json_array_append_new(rows, row);
		}
		mbuf_addf(b, _("\nReinstated, waiting for a sync (%zu):\n"),
		    json_array_size(arr));
		render_table(b, rows, "  ");
		json_decref(rows);
	}
	if (json_array_size(arr = json_object_get(data, "dead_deliveries")) >
	    0) {
		rows = json_array();
		json_array_foreach (arr, i, v) {
			row = json_object();
			json_object_set_new(
			    row, "id", cell(json_object_get(v, "id"), 10));
			json_object_set_new(
			    row, "sink", cell(json_object_get(v, "sink"), 16));
			json_object_set_new(row, "event",
			    cell(json_object_get(v, "event_type"), 24));
			json_object_set_new(
			    row, "case", cell(json_object_get(v, "case"), 10));
			json_object_set_new(row, "last_error",
			    cell(json_object_get(v, "last_error"), 30));
			json_array_append_new(rows, row);
		}
		mbuf_addf(b,
		    _("\nDead deliveries (%zu; delistctl outbox retry ID):\n"),
		    json_array_size(arr));
		render_table(b, rows, "  ");
		json_decref(rows);
	}
	if (json_array_size(arr = json_object_get(data, "documents_expiring")) >
	    0) {
		mbuf_addf(b, _("\nDocuments expiring within 30 days (%zu):\n"),
		    json_array_size(arr));
		render_table(b, arr, "  ");
	}
	digest_prevent(b, data);
	return (1);
}

/*
 * The digest's listings at risk (the compliance scan's findings) and the
 * penalty ledgers near a threshold, each a table with the verb to run.
 */
static void
digest_prevent(struct mbuf *b, json_t *data)
{
	json_t *arr, *v, *f, *rows, *row;
	const char *shop = jstr(data, "shop");
	size_t i, j;

	if (json_array_size(arr = json_object_get(data, "at_risk")) > 0) {
		rows = json_array();
		json_array_foreach (arr, i, v) {
			json_array_foreach (
			    json_object_get(v, "findings"), j, f) {
				row = json_object();
				json_object_set_new(row, "product_id",
				    cell(json_object_get(v, "product_id"), 20));
				json_object_set_new(row, "found",
				    cell(json_object_get(f, "quote"), 24));
				json_object_set_new(row, "what_to_do",
				    cell(json_object_get(f, "fix"), 60));
				json_array_append_new(rows, row);
			}
		}
		mbuf_addf(b,
		    _("\nListings at risk (%zu; delistctl scan %s):\n"),
		    json_array_size(arr), shop != NULL ? shop : "");
		render_table(b, rows, "  ");
		json_decref(rows);
	}
	if (json_array_size(arr = json_object_get(data, "points")) > 0) {
		rows = json_array();
		json_array_foreach (arr, i, v) {
			row = json_object();
			json_object_set_new(row, "ledger",
			    cell(json_object_get(v, "ledger"), 16));
			json_object_set_new(
			    row, "total", cell(json_object_get(v, "total"), 6));
			json_object_set_new(row, "next",
			    cell(json_object_get(v, "next_threshold"), 6));
			json_object_set_new(row, "then",
			    cell(json_object_get(v, "consequence"), 30));
			json_object_set_new(
			    row, "level", cell(json_object_get(v, "level"), 8));
			json_array_append_new(rows, row);
		}
		mbuf_addf(b,
		    _("\nPenalty ledgers near a threshold (%zu; delistctl "
		      "points %s):\n"),
		    json_array_size(arr), shop != NULL ? shop : "");
		render_table(b, rows, "  ");
		json_decref(rows);
	}
}

/* ": TEXT" with at most SUBJECT_BRIEF characters of TEXT, on one line. */
static void
add_brief(struct mbuf *b, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t left = strlen(text), n, chars = 0;

	mbuf_adds(b, ": ");
	while (left > 0 && chars < SUBJECT_BRIEF) {
		if ((n = utf8_len(p, left)) == 0)
			n = 1;
		if (*p == '\r' || *p == '\n' || *p == '\t')
			mbuf_adds(b, " ");
		else
			mbuf_add(b, p, n);
		p += n;
		left -= n;
		chars++;
	}
	if (left > 0)
		mbuf_adds(b, "...");
}

static int
is_reminder(const char *type)
{
	size_t n = strlen(type);

	return (n > 9 && strcmp(type + n - 9, ".reminder") == 0);
}

/*
 * A reminder's "what to do next", with the real command: "delistctl case
 * ack N" for a case's condition, "delistctl ack N" for one without a case;
 * a snooze only when there is a shop to snooze.
 */
static void
reminder_todo(struct mbuf *b, json_t *doc)
{
	json_t *data = json_object_get(doc, "data");
	json_t *c = json_object_get(doc, "case");
	json_t *cond = json_object_get(data, "condition");
	const char *shop = jstr(doc, "shop");
	struct mbuf t = { 0 };
	char *text;

	mbuf_adds(&t,
	    _("This alert has not been taken on yet. Act on it, then "
	      "acknowledge it to stop the reminders: "));
	if (json_is_integer(c))
		mbuf_addf(&t, "delistctl case ack %" JSON_INTEGER_FORMAT,
		    json_integer_value(c));
	else if (json_is_integer(cond))
		mbuf_addf(&t, "delistctl ack %" JSON_INTEGER_FORMAT,
		    json_integer_value(cond));
	else
		mbuf_adds(&t, _("delistctl conditions lists them"));
	mbuf_adds(&t, _("."));
	if (shop != NULL)
		mbuf_addf(&t,
		    _(" To hold the mail about shop %s for a while (one "
		      "summary when it ends): delistctl snooze %s --for 1d."),
		    shop, shop);
	text = mbuf_take(&t, NULL);
	wrap(b, text != NULL ? text : _("See the message above."), "  ");
	free(text);
}

/*
 * What a subject says: "[delistd] SHOP PRODUCT: WHAT: BRIEF (case N, Case
 * ID X)", BRIEF being the rule cited or the reason given, when there is one.
 */
static void
render_subject(
    struct mbuf *b, json_t *doc, const struct mail_kind *k, const char *type)
{
	json_t *data = json_object_get(doc, "data");
	const char *shop = jstr(doc, "shop"), *pid = jstr(doc, "product_id");
	const char *sev = jstr(doc, "severity"), *pcid, *detail;
	json_t *c = json_object_get(doc, "case");

	pcid = jstr(data, "platform_case_id");
	mbuf_adds(b, "[delistd]");
	if (sev != NULL && strcmp(sev, "critical") == 0)
		mbuf_addf(b, " %s", _("URGENT:"));
	if (shop != NULL)
		mbuf_addf(b, " %s", shop);
	if (pid != NULL)
		mbuf_addf(b, " %s", pid);
	mbuf_addf(b, "%s %s", shop != NULL || pid != NULL ? ":" : "",
	    k != NULL ? _(k->what) : type);
	/* A reminder says what is still wrong. */
	if (is_reminder(type) && (detail = jstr(data, "about")) != NULL &&
	    *detail != '\0')
		add_brief(b, detail);
	/* What the platform said, briefly: a rule cited, a reason given. */
	if ((detail = jstr(data, "reason")) == NULL ||
	    strcmp(type, "case.opened") == 0) {
		if (strcmp(type, "case.opened") != 0 ||
		    (detail = jstr(data, "rule")) == NULL)
			detail = jstr(data, "reason");
	}
	if (detail != NULL && *detail != '\0' &&
	    (strcmp(type, "case.opened") == 0 ||
		strcmp(type, "case.rejected") == 0 ||
		strcmp(type, "case.manual_review") == 0 ||
		strcmp(type, "case.classified") == 0))
		add_brief(b, detail);
	if (json_is_integer(c) && pcid != NULL)
		mbuf_addf(b, _(" (case %lld, Case ID %s)"),
		    (long long)json_integer_value(c), pcid);
	else if (json_is_integer(c))
		mbuf_addf(
		    b, _(" (case %lld)"), (long long)json_integer_value(c));
	else if (pcid != NULL)
		mbuf_addf(b, _(" (Case ID %s)"), pcid);
}

/* Where times are in each shop's zone, they name it: no "(UTC)". */
static const char *
deadlines_heading(void)
{
	if (reader != NULL && reader->zone != NULL)
		return (_("\nDeadlines:\n"));
	return (_("\nDeadlines (UTC):\n"));
}

static void
render_body(struct mbuf *b, json_t *doc, const struct mail_kind *k,
    const char *type, const char *instance, const char *counted)
{
	json_t *data = json_object_get(doc, "data"), *c, *v;
	const char *s, *key, *actor, *sev, *shop = jstr(doc, "shop");
	int any = 0;
	char *t, *local, tb[TZFILE_HUMAN_LEN];

	c = json_object_get(doc, "case");
	sev = jstr(doc, "severity");
	actor = jstr(doc, "actor");
	mbuf_addf(b, "%s\n\n", k != NULL ? _(k->what) : type);
	if (shop != NULL)
		mbuf_addf(b, _("Shop:        %s\n"), shop);
	if ((s = jstr(doc, "product_id")) != NULL)
		mbuf_addf(b, _("Product ID:  %s\n"), s);
	if (json_is_integer(c))
		mbuf_addf(b, _("Case:        %lld\n"),
		    (long long)json_integer_value(c));
	if ((s = jstr(data, "platform_case_id")) != NULL)
		mbuf_addf(b, _("Case ID:     %s (the platform's)\n"), s);
	if ((s = jstr(data, "assignee")) != NULL)
		mbuf_addf(b, _("Assigned to: %s\n"), s);
	mbuf_addf(b, _("Event:       %s, %s\n"), type, sev != NULL ? sev : "?");
	if ((s = jstr(doc, "at")) != NULL)
		mbuf_addf(
		    b, _("At:          %s\n"), when(s, shop, tb, sizeof tb));
	if ((local = event_sentence(doc)) != NULL) {
		mbuf_adds(b, "\n");
		wrap(b, local, "");
		free(local);
	} else if ((s = jstr(doc, "message")) != NULL) {
		mbuf_adds(b, "\n");
		/* A sentence without its format (an older event's, one
		 * composed elsewhere) is the daemon's English: say so to a
		 * reader of another language. */
		if (reader != NULL && reader->mo != NULL)
			mbuf_adds(b, _("The daemon's note, in English:\n"));
		wrap(b, s, "");
	}
	if (strcmp(type, "digest.daily") == 0 && json_is_object(data)) {
		mbuf_adds(b, "\n");
		if (!render_daily(b, data))
			render_object(b, data, "", 0);
		render_counted(b, counted);
		data = NULL;
	} else if (strcmp(type, "shop.held_mail") == 0 &&
	    json_is_object(data)) {
		mbuf_adds(b, "\n");
		if (!render_held(b, data))
			render_object(b, data, "", 0);
		data = NULL;
	}
	mbuf_adds(b, _("\nWhat to do next:\n"));
	if (is_reminder(type))
		reminder_todo(b, doc);
	else
		wrap(b, k != NULL ? _(k->todo) : _("See the message above."),
		    "  ");

	/* Deadlines: the data's *_due_at, and an alert's own "at". */
	json_object_foreach (data, key, v) {
		if (!is_deadline(key) || !json_is_string(v))
			continue;
		if (!any++)
			mbuf_adds(b, deadlines_heading());
		mbuf_adds(b, "  ");
		label(b, key);
		mbuf_addf(b, ": %s\n",
		    when(json_string_value(v), shop, tb, sizeof tb));
	}
	if (actor != NULL && strcmp(actor, "daemon") == 0 && sev != NULL &&
	    strcmp(sev, "info") != 0 && (s = jstr(doc, "at")) != NULL &&
	    strcmp(type, "delivery.dead") != 0) {
		if (!any++)
			mbuf_adds(b, deadlines_heading());
		mbuf_addf(b, _("  passed: %s\n"), when(s, shop, tb, sizeof tb));
	}
	any = 0;
	json_object_foreach (data, key, v) {
		if (is_deadline(key) || strcmp(key, "platform_case_id") == 0 ||
		    strcmp(key, "assignee") == 0)
			continue;
		if (!any++)
			mbuf_adds(b, _("\nDetails:\n"));
		mbuf_adds(b, "  ");
		label(b, key);
		t = jtext(v);
		mbuf_addf(b, ": %s\n", t != NULL ? t : "?");
		free(t);
	}
	if (json_is_integer(c))
		mbuf_addf(b,
		    _("\nTo see the case:\n  delistctl case show %lld\n"),
		    (long long)json_integer_value(c));
	(void)instance;
}

/* The signature: one "-- " line per mail (mail clients fold what follows). */
static void
render_footer(struct mbuf *b, const char *instance, const char *ids)
{
	mbuf_addf(b, _("\n-- \ndelistd, sink %s, event%s %s\n"), instance,
	    strchr(ids, ',') != NULL ? "s" : "", ids);
}

static json_t *
parse_event(const char *json)
{
	json_t *doc;

	if ((doc = json_loads(json, JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return (NULL);
	if (!json_is_object(doc) || jstr(doc, "type") == NULL) {
		json_decref(doc);
		return (NULL);
	}
	return (doc);
}

int
mail_render(const char *json, const char *instance, struct mail_text *out)
{
	return (mail_render_counted(json, instance, NULL, NULL, out));
}

int
mail_render_counted(const char *json, const char *instance, const char *counted,
    const struct mail_locale *loc, struct mail_text *out)
{
	struct mbuf s = { 0 }, b = { 0 };
	const char *type;
	json_t *doc, *c;
	char idbuf[32];

	memset(out, 0, sizeof *out);
	if ((doc = parse_event(json)) == NULL)
		return (-1);
	reader = loc;
	type = jstr(doc, "type");
	c = json_object_get(doc, "case");
	out->case_id = json_is_integer(c) ? json_integer_value(c) : 0;
	render_subject(&s, doc, mail_kind(type), type);
	render_body(&b, doc, mail_kind(type), type, instance, counted);
	if (json_is_integer(json_object_get(doc, "id"))) {
		snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(doc, "id")));
		render_footer(&b, instance, idbuf);
	}
	json_decref(doc);
	reader = NULL;
	out->subject = mbuf_take(&s, NULL);
	out->body = mbuf_take(&b, NULL);
	if (out->subject == NULL || out->body == NULL) {
		mail_text_free(out);
		return (-1);
	}
	return (0);
}

int
mail_render_digest(const char *const *json, size_t n, const char *instance,
    const char *window, const char *counted, const struct mail_locale *loc,
    struct mail_text *out)
{
	struct mbuf s = { 0 }, b = { 0 }, line = { 0 }, ids = { 0 };
	size_t i, nsev[3] = { 0, 0, 0 };
	json_t *doc;
	const char *type, *sev;
	char *subj;

	memset(out, 0, sizeof *out);
	reader = loc;
	if (n > 0)
		mbuf_addf(&b,
		    _("%zu alert%s from the last %s, oldest first. Each is "
		      "described in full below.\n"),
		    n, n == 1 ? "" : "s", window);
	else
		mbuf_addf(&b, _("No alert in the last %s.\n"), window);
	render_counted(&b, counted);
	mbuf_adds(&b, "\n");
	for (i = 0; i < n; i++) {
		if ((doc = parse_event(json[i])) == NULL) {
			mbuf_addf(&b,
			    _("%zu. (an event delistd could not read)\n"),
			    i + 1);
			continue;
		}
		type = jstr(doc, "type");
		sev = jstr(doc, "severity");
		if (sev != NULL)
			nsev[strcmp(sev, "critical") == 0     ? 2
				: strcmp(sev, "warning") == 0 ? 1
							      : 0]++;
		render_subject(&line, doc, mail_kind(type), type);
		if ((subj = mbuf_take(&line, NULL)) != NULL) {
			/* Without the "[delistd] " every subject starts with. */
			mbuf_addf(&b, "%zu. %s\n", i + 1,
			    strncmp(subj, "[delistd] ", 10) == 0 ? subj + 10
								 : subj);
			free(subj);
		}
		json_decref(doc);
	}
	for (i = 0; i < n; i++) {
		if ((doc = parse_event(json[i])) == NULL)
			continue;
		type = jstr(doc, "type");
		mbuf_addf(&b, "\n\n======== %zu. ", i + 1);
		render_body(&b, doc, mail_kind(type), type, instance, NULL);
		if (json_is_integer(json_object_get(doc, "id")))
			mbuf_addf(&ids, "%s%" JSON_INTEGER_FORMAT,
			    ids.len ? ", " : "",
			    json_integer_value(json_object_get(doc, "id")));
		json_decref(doc);
	}
	render_footer(&b, instance, ids.data != NULL ? ids.data : "-");
	mbuf_free(&ids);
	if (n == 0 && counted != NULL && *counted != '\0')
		/* Only counts: the subject says the first ("3,000 ..."). */
		mbuf_addf(&s, _("[delistd] digest: %.*s%s"),
		    (int)strcspn(counted, "\n"), counted,
		    strchr(counted, '\n') != NULL &&
			    strchr(counted, '\n')[1] != '\0'
			? ", ..."
			: "");
	else
		mbuf_addf(&s, _("[delistd] digest: %zu alert%s"), n,
		    n == 1 ? "" : "s");
	if (nsev[1] > 0)
		mbuf_addf(
		    &s, _(", %zu warning%s"), nsev[1], nsev[1] == 1 ? "" : "s");
	if (nsev[0] > 0)
		mbuf_addf(&s, _(", %zu info"), nsev[0]);
	reader = NULL;
	out->subject = mbuf_take(&s, NULL);
	out->body = mbuf_take(&b, NULL);
	if (out->subject == NULL || out->body == NULL) {
		mail_text_free(out);
		return (-1);
	}
	return (0);
}

void
mail_text_free(struct mail_text *t)
{
	free(t->subject);
	free(t->body);
	t->subject = t->body = NULL;
}

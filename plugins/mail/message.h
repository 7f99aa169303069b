/* SPDX-License-Identifier: ISC */
/*
 * message.h: the mail plugin's pure parts, with no host and no I/O: RFC
 * 5322 messages (headers, RFC 2047 encoded words, folding, quoted-printable
 * and base64 bodies, CRLF lines under 998 octets), their Message-IDs, and
 * the text of each event type. tests/unit/test_mail.c tests them.
 */

#ifndef MAIL_MESSAGE_H
#define MAIL_MESSAGE_H

#include <stddef.h>
#include <stdint.h>

/* A growable byte buffer; data is NUL-terminated while len < size. */
struct mbuf {
	char *data;
	size_t len;
	size_t size;
	int failed; /* an allocation failed: the content is incomplete */
};

void mbuf_add(struct mbuf *, const void *, size_t);
void mbuf_adds(struct mbuf *, const char *);
void mbuf_addf(struct mbuf *, const char *, ...)
    __attribute__((__format__(__printf__, 2, 3)));
/* Hands the data over (NUL-terminated), or NULL if an allocation failed. */
char *mbuf_take(struct mbuf *, size_t *len);
void mbuf_free(struct mbuf *);

/* The longest line, CRLF excluded, that a message built here may have. */
#define MAIL_LINE_MAX 76

/*
 * One header field, "Name: value" CRLF, folded at spaces to lines of at
 * most 78 octets. A value that is not printable ASCII is sent as RFC 2047
 * encoded words (=?UTF-8?B?...?=), each at most 75 octets, on lines of at
 * most 76, never splitting a UTF-8 character; invalid UTF-8 is replaced
 * with U+FFFD first. Line breaks in the value become spaces.
 */
void mail_header(struct mbuf *, const char *name, const char *value);

/* Whether the text is printable ASCII (tabs allowed) throughout. */
int mail_is_ascii(const char *);

/* Valid UTF-8 with CR LF line ends: every other line end made CRLF,
 * invalid sequences replaced with U+FFFD. */
char *mail_clean_text(const char *, size_t);

/* The body, CRLF lines, quoted-printable (RFC 2045 6.7, soft breaks). */
void mail_qp(struct mbuf *, const char *text, size_t len);
/* base64 in lines of 76. */
void mail_base64(struct mbuf *, const void *, size_t);
/* Which one a body gets: "quoted-printable", or "base64" when over a
 * third of it is not ASCII (Chinese text: base64 is the shorter). */
const char *mail_body_encoding(const char *text, size_t len);

/* Fri, 02 Oct 2026 01:45:00 +0000 */
void mail_date(int64_t t, char *buf, size_t len);

/*
 * Message-IDs. A delivery's mail: <delistd.KEY@DOMAIN>, with KEY the
 * delivery's idempotency key ("41-mail"), so a resend is the same mail. A
 * case's thread root: <delistd.case-ID.INSTANCE@DOMAIN>, the Message-ID of
 * the mail about case.opened and the In-Reply-To and References of every
 * other mail about the case. A digest: <delistd.digest.FIRST-LAST.N.
 * INSTANCE@DOMAIN> from the ids of the events it lists. Characters outside
 * RFC 5322's atext become "_". Each returns a malloc'd string, or NULL.
 */
char *mail_message_id(const char *key, const char *domain);
char *mail_thread_id(int64_t case_id, const char *instance, const char *domain);
char *mail_digest_id(int64_t first, int64_t last, size_t n,
    const char *instance, const char *domain);
/* The domain of an address: after its last '@' (NULL: none). */
const char *mail_domain(const char *address);
/* An addr-spec we send to: local@domain, no spaces, quotes or controls. */
int mail_address_ok(const char *);

/* A whole message. */
struct mail_msg {
	const char *from; /* addr-spec */
	const char *from_name; /* display name, may be NULL */
	const char *const *to; /* addr-specs, NULL-ended */
	const char *subject; /* UTF-8 */
	const char *body; /* UTF-8, LF or CRLF lines */
	int64_t date;
	const char *message_id; /* <...> */
	const char *in_reply_to; /* <...> or NULL; References too */
	const char *mailer; /* X-Mailer, may be NULL */
};

/* The message as sent, CRLF throughout; malloc'd, or NULL. */
char *mail_build(const struct mail_msg *, size_t *len);

/* What one event says. */
struct mail_text {
	char *subject;
	char *body;
	int64_t case_id; /* 0: none (from the document's "case") */
};

/*
 * Whom a mail is for: the catalogue of their language (mo.h; NULL:
 * English, the source language) and the zone of each shop, so that every
 * time reads in the shop's zone with the zone named (zone NULL, or NULL
 * from it: times stay as the document has them, UTC).
 */
struct mo;
struct tzfile;
struct mail_locale {
	const struct mo *mo;
	const struct tzfile *(*zone)(void *arg, const char *shop);
	void *arg;
};

/*
 * Renders one event document (delistd-events(7)) as a subject and a body:
 * what happened, the shop, product ID, case and platform Case ID, what to
 * do next (a table per type, generic for other types), the deadlines, the
 * other data, and the delistctl command to see the case. A digest.daily
 * event is rendered as a table of its members. instance names the sink.
 * Returns 0, or -1 if the document is not an event object.
 */
int mail_render(const char *json, const char *instance, struct mail_text *);
/*
 * The same for the reader loc (NULL: English, UTC); a digest.daily also
 * lists counted (mail_counted's, or NULL).
 */
int mail_render_counted(const char *json, const char *instance,
    const char *counted, const struct mail_locale *loc, struct mail_text *);
/*
 * A digest: several event documents in one mail, a summary line for each,
 * then each event's body; counted (mail_counted's, or NULL) as a section
 * of count lines. n may be 0 when there are counts.
 */
int mail_render_digest(const char *const *json, size_t n, const char *instance,
    const char *window, const char *counted, const struct mail_locale *loc,
    struct mail_text *);

/*
 * Events that ask nothing of a person (listing.tracked and the like) are
 * counted, not mailed one by one: mail_quiet gives a type's slot in a
 * counts array (or -1: not such a type), mail_counted the count lines of
 * the array ("3,000 listings tracked\n", one per type counted; malloc'd,
 * or NULL when every count is 0).
 */
#define MAIL_QUIET_MAX 16
int mail_quiet(const char *type);
char *mail_counted(
    const uint64_t counts[MAIL_QUIET_MAX], const struct mail_locale *loc);
void mail_text_free(struct mail_text *);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * mail.c: the mail sink. Each event becomes a plain-text mail to the
 * configured recipients, sent through the host's SMTP service (libcurl on
 * the daemon's one multi handle: smtp://, smtp:// with STARTTLS required,
 * or smtps://, TLS verified, AUTH when a username is set). message.c
 * builds the mails; this file decides when they go and what the answer
 * means: accepted is delivered; a 4xx, a timeout or a transport error is
 * retried; a 5xx is a permanent failure (the host dead-letters it).
 *
 * Threads: the mail about case.opened has the Message-ID
 * <delistd.case-ID.INSTANCE@DOMAIN> (the thread root); every other mail
 * about the case has its own Message-ID <delistd.KEY@DOMAIN> (KEY: the
 * delivery's idempotency key, the same on every attempt, so a mail resent
 * after a dropped connection is the same mail) and In-Reply-To and
 * References naming the root, so a mail client shows one thread per case
 * even when the root itself never arrived (it went in a digest, or the
 * case was opened before this sink existed).
 *
 * Digest: with digest set, events below immediate_severity are held, their
 * done not called, until the window ends on the daemon's clock (the test
 * clock in tests: the host's timer_at), then go out as one mail; done
 * then comes for each (delivered, or retried if the mail failed). Events
 * at or above immediate_severity, and digest.daily and shop.held_mail
 * (digests already), go at once. The host lets 32 deliveries per sink be
 * in flight, and holds back a case's next event until its previous one is
 * done: the window therefore closes early once MAIL_DIGEST_HOLD events are
 * held, leaving room for critical ones; and when a case's next event
 * would go at once but waits behind one of the case held in the window,
 * the host asks us to flush (mail_flush_for): the digest goes at once,
 * then the critical one, in the case's order and without delay. Held
 * events are in flight for the host, not settled: if the daemon stops
 * within the window they are delivered again after the restart.
 *
 * Counted: events that ask nothing of a person (listing.tracked and the
 * like: message.c's mail_quiet) are not mailed one by one. They are
 * answered delivered at once and counted, and the counts ("3,000 listings
 * tracked") go in the next digest mail: the window's digest, or the daily
 * digest if it comes first. Counts alone open a window too (digest, or
 * MAIL_COUNT_WINDOW without one), so they always go out; they are kept in
 * memory, so a restart forgets them (the trail has the events).
 *
 * Language: a mail is in the language of its reader: the sink's language
 * when it sets one, else the shop's (the host's shop_setting), else
 * English. Chinese comes from delistd's own catalogue, zh_CN's delistd.mo
 * under LOCALEDIR (or $DELISTD_LOCALEDIR), read here at init and looked
 * up with core's mo.c: no locale needs to be installed, no environment is
 * touched. Times read in the shop's zone (core's tzfile.c), zone named.
 *
 * Never in a log line, an error or a mail: the password, the URL's
 * credentials (refused in url: use username and password_file).
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/queue.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <delistd/plugin.h>

#include "message.h"
#include "mo.h"
#include "tzfile.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/share/locale"
#endif
#define MAIL_MO_MAX (4 * 1024 * 1024)

#define MAIL_VERSION "0.1.0"
#define MAIL_TIMEOUT 30 /* seconds, when timeout is not set */
#define MAIL_TIMEOUT_MAX 300
#define MAIL_CONNECT_TIMEOUT 10 /* seconds, at most the timeout */
#define MAIL_TO_MAX 50
#define MAIL_DIGEST_MAX 1800 /* 30 minutes: the host's watchdog is 1 hour */
/* Under the host's 32 deliveries in flight per sink, with room to spare. */
#define MAIL_DIGEST_HOLD 24
/* How long counts wait for a digest when no digest window is set. */
#define MAIL_COUNT_WINDOW 900

struct mail;

/* One event the instance has been handed and not yet answered. */
struct mail_item {
	delistd_deliver_done done;
	void *token;
	int64_t id;
	int64_t case_id;
	char *shop; /* NULL: not about a shop */
	char *json;
	TAILQ_ENTRY(mail_item) entry;
};
TAILQ_HEAD(mail_items, mail_item);

/* One message on its way: one event, or a digest of several. */
struct mail_send {
	struct mail *m;
	struct mail_items items;
	size_t n;
	uint64_t quiet[MAIL_QUIET_MAX]; /* the counts it carries */
	char *message;
	size_t message_len;
	TAILQ_ENTRY(mail_send) entry;
};
TAILQ_HEAD(mail_sends, mail_send);

/* A zone read once, by name: the shops' zones. */
struct mail_zone {
	char *name;
	struct tzfile *tz;
	struct mail_zone *next;
};

struct mail {
	struct delistd_host *host;
	const struct delistd_host_api *api;
	char *url;
	char *where; /* scheme://host[:port], for the log */
	int starttls;
	char *username;
	char *password; /* from password_file; may be NULL */
	char *from;
	const char *domain; /* in from */
	char **to; /* NULL-ended */
	int nto;
	int64_t timeout;
	char *ca_file;
	int64_t digest; /* seconds; 0: none */
	char *digest_text; /* as configured: "15m" */
	int immediate; /* severity rank at or above which mail goes at once */
	struct mail_items held;
	size_t nheld;
	struct delistd_timer *timer;
	struct mail_sends sends;
	int failing;
	uint64_t quiet[MAIL_QUIET_MAX]; /* counted, not yet in a digest */
	struct mail_items acks; /* counted, to answer delivered */
	struct delistd_timer *ack_timer;
	char *language; /* "zh-CN" or "en"; NULL: each shop's */
	struct mo *zh; /* the zh_CN catalogue, NULL if none was found */
	char *zh_path;
	int zh_warned;
	struct mail_zone *zones;
};

static int mail_init(
    struct delistd_host *, const struct delistd_host_api *, void **, char **);
static void mail_fini(void *);
static int mail_deliver(
    void *, const struct delistd_event *, delistd_deliver_done, void *);
static void mail_flush_for(void *, const struct delistd_event *);
static void mail_flush(void *);
static int mail_conf_language(struct mail *, char **);
static int mail_has_shops(const struct mail *);
static const struct tzfile *mail_zone(void *, const char *);
static void mail_locale(struct mail *, const char *, struct mail_locale *);

const struct delistd_plugin delistd_plugin = {
	.abi = DELISTD_PLUGIN_ABI,
	.name = "mail",
	.version = MAIL_VERSION,
	.roles = DELISTD_ROLE_SINK,
	.init = mail_init,
	.fini = mail_fini,
	.deliver = mail_deliver,
	.flush = mail_flush_for,
};

static const char *const mail_keys[] = { "url", "starttls", "username",
	"password_file", "from", "to", "timeout", "ca_file", "digest",
	"immediate_severity", "language", NULL };

static const char *const mail_severities[] = { "info", "warning", "critical" };

/* Event types that are digests already: mailed at once, never held. */
static const char *const mail_digests[] = { "digest.daily", "shop.held_mail",
	NULL };

static int mail_cause(char **cause, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static int
mail_cause(char **cause, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) == -1)
		*cause = NULL;
	va_end(ap);
	return (-1);
}

static int
mail_severity(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof mail_severities / sizeof mail_severities[0];
	     i++) {
		if (s != NULL && strcmp(s, mail_severities[i]) == 0)
			return ((int)i);
	}
	return (-1);
}

static int
mail_present(struct mail *m, const char *key)
{
	const char *s;
	int64_t i;
	int b;

	return (m->api->conf_string(m->host, key, &s) == 0 ||
	    m->api->conf_int(m->host, key, &i) == 0 ||
	    m->api->conf_bool(m->host, key, &b) == 0 ||
	    m->api->conf_list_len(m->host, key) != -1);
}

/* url: smtp:// or smtps://, a host, no credentials, no spaces. */
static int
mail_conf_url(struct mail *m, char **cause)
{
	const char *url, *rest;
	const unsigned char *p;
	size_t schemelen, len;

	if (m->api->conf_string(m->host, "url", &url) == -1)
		return (mail_cause(cause,
		    "url is required: a string like "
		    "\"smtp://mail.example:587\""));
	if (strncasecmp(url, "smtp://", 7) == 0)
		schemelen = 7;
	else if (strncasecmp(url, "smtps://", 8) == 0)
		schemelen = 8;
	else
		return (mail_cause(cause, "url: expected smtp:// or smtps://"));
	for (p = (const unsigned char *)url; *p != '\0'; p++) {
		if (*p <= ' ' || *p >= 0x7f)
			return (mail_cause(cause,
			    "url: spaces and control characters are not "
			    "allowed"));
	}
	rest = url + schemelen;
	len = strcspn(rest, "/?#");
	if (memchr(rest, '@', len) != NULL)
		return (mail_cause(cause,
		    "url: no credentials in the URL: use username and "
		    "password_file"));
	if (len == 0 || *rest == ':')
		return (mail_cause(cause, "url: no host"));
	if (asprintf(&m->where, "%.*s%.*s", (int)schemelen, url, (int)len,
		rest) == -1) {
		m->where = NULL;
		return (mail_cause(cause, "out of memory"));
	}
	if ((m->url = strdup(url)) == NULL)
		return (mail_cause(cause, "out of memory"));
	if (m->api->conf_bool(m->host, "starttls", &m->starttls) == -1) {
		m->starttls = 0;
		if (mail_present(m, "starttls"))
			return (mail_cause(
			    cause, "starttls: expected true or false"));
	}
	if (m->starttls && schemelen == 8)
		return (mail_cause(cause,
		    "starttls: smtps:// is TLS from the start; use "
		    "smtp://host:587 with starttls = true"));
	return (0);
}

static int
mail_conf_addresses(struct mail *m, char **cause)
{
	const char *s;
	int n, i;

	if (m->api->conf_string(m->host, "from", &s) == -1)
		return (mail_cause(cause,
		    "from is required: the sender's address, like "
		    "\"delistd@shop.example\""));
	if (!mail_address_ok(s))
		return (mail_cause(cause,
		    "from: \"%.64s\" is not an address like "
		    "\"delistd@shop.example\"",
		    s));
	if ((m->from = strdup(s)) == NULL)
		return (mail_cause(cause, "out of memory"));
	m->domain = mail_domain(m->from);

	n = m->api->conf_list_len(m->host, "to");
	if (n == -1 && m->api->conf_string(m->host, "to", &s) == 0)
		return (mail_cause(
		    cause, "to: expected a list: to = [ \"%.64s\" ]", s));
	if (n <= 0)
		return (mail_cause(cause,
		    "to is required: a list of addresses, like to = [ "
		    "\"ops@shop.example\" ]"));
	if (n > MAIL_TO_MAX)
		return (
		    mail_cause(cause, "to: at most %d addresses", MAIL_TO_MAX));
	if ((m->to = calloc((size_t)n + 1, sizeof *m->to)) == NULL)
		return (mail_cause(cause, "out of memory"));
	for (i = 0; i < n; i++) {
		s = m->api->conf_list_string(m->host, "to", i);
		if (s == NULL || !mail_address_ok(s))
			return (mail_cause(cause,
			    "to[%d]: \"%.64s\" is not an address like "
			    "\"ops@shop.example\"",
			    i, s != NULL ? s : "(not a string)"));
		if ((m->to[i] = strdup(s)) == NULL)
			return (mail_cause(cause, "out of memory"));
		m->nto++;
	}
	return (0);
}

static int
mail_conf_auth(struct mail *m, char **cause)
{
	const char *s;

	if (m->api->conf_string(m->host, "username", &s) == 0) {
		if (*s == '\0' || strpbrk(s, "\r\n") != NULL)
			return (mail_cause(cause,
			    "username: expected a non-empty name on one line"));
		if ((m->username = strdup(s)) == NULL)
			return (mail_cause(cause, "out of memory"));
	} else if (mail_present(m, "username"))
		return (mail_cause(cause, "username: expected a string"));
	if (m->username != NULL && !m->starttls &&
	    strncmp(m->url, "smtp://", 7) == 0)
		return (mail_cause(cause,
		    "username on smtp:// without starttls: the password "
		    "would cross the network in clear; set starttls = true "
		    "or use smtps://"));
	if (m->api->conf_string(m->host, "password_file", &s) == -1) {
		if (mail_present(m, "password_file"))
			return (mail_cause(
			    cause, "password_file: expected a path"));
		return (0);
	}
	if (m->username == NULL)
		return (mail_cause(cause,
		    "password_file needs username: the name to log in as"));
	if ((m->password = m->api->secret(m->host, "password_file", cause)) ==
	    NULL)
		return (-1);
	if (*m->password == '\0')
		return (mail_cause(cause, "password_file %s is empty", s));
	if (strpbrk(m->password, "\r\n") != NULL)
		return (mail_cause(
		    cause, "password_file %s has more than one line", s));
	return (0);
}

static int
mail_conf_timing(struct mail *m, char **cause)
{
	const char *s;

	m->timeout = MAIL_TIMEOUT;
	if (m->api->conf_duration(m->host, "timeout", &m->timeout) == -1) {
		m->timeout = MAIL_TIMEOUT;
		if (mail_present(m, "timeout"))
			return (mail_cause(cause,
			    "timeout: expected a duration like \"30s\""));
	} else if (m->timeout < 1 || m->timeout > MAIL_TIMEOUT_MAX)
		return (mail_cause(cause,
		    "timeout: %" PRId64 "s is out of range (1s to %ds)",
		    m->timeout, MAIL_TIMEOUT_MAX));

	m->digest = 0;
	if (m->api->conf_string(m->host, "digest", &s) == 0 && *s == '\0')
		;
	else if (m->api->conf_duration(m->host, "digest", &m->digest) == 0) {
		if (m->digest < 1 || m->digest > MAIL_DIGEST_MAX)
			return (mail_cause(cause,
			    "digest: %" PRId64 "s is out of range (1s to 30m, "
			    "or \"\" for none)",
			    m->digest));
		if (m->api->conf_string(m->host, "digest", &s) == -1 ||
		    (m->digest_text = strdup(s)) == NULL)
			return (mail_cause(cause, "out of memory"));
	} else if (mail_present(m, "digest"))
		return (mail_cause(cause,
		    "digest: expected a duration like \"15m\", or \"\" for "
		    "none"));

	m->immediate = 2;
	if (m->api->conf_string(m->host, "immediate_severity", &s) == 0) {
		if ((m->immediate = mail_severity(s)) == -1)
			return (mail_cause(cause,
			    "immediate_severity: expected \"info\", "
			    "\"warning\" or \"critical\", not \"%.32s\"",
			    s));
	} else if (mail_present(m, "immediate_severity"))
		return (
		    mail_cause(cause, "immediate_severity: expected a string"));
	if (m->api->conf_string(m->host, "ca_file", &s) == 0) {
		if (s[0] != '/')
			return (mail_cause(
			    cause, "ca_file: give an absolute path"));
		if ((m->ca_file = strdup(s)) == NULL)
			return (mail_cause(cause, "out of memory"));
	}
	return (0);
}

/* language: "zh-CN" or "en"; the zh_CN catalogue, read once. */
static int
mail_conf_language(struct mail *m, char **cause)
{
	const char *s, *dir;
	char *buf = NULL;
	size_t len;
	FILE *f;

	if (m->api->conf_string(m->host, "language", &s) == 0) {
		if (strcmp(s, "zh-CN") != 0 && strcmp(s, "en") != 0)
			return (mail_cause(cause,
			    "language: expected \"zh-CN\" or \"en\", not "
			    "\"%.32s\"",
			    s));
		if ((m->language = strdup(s)) == NULL)
			return (mail_cause(cause, "out of memory"));
	} else if (mail_present(m, "language"))
		return (mail_cause(cause, "language: expected a string"));
	if ((dir = getenv("DELISTD_LOCALEDIR")) == NULL || *dir == '\0')
		dir = LOCALEDIR;
	if (asprintf(&m->zh_path, "%s/zh_CN/LC_MESSAGES/delistd.mo", dir) ==
	    -1) {
		m->zh_path = NULL;
		return (mail_cause(cause, "out of memory"));
	}
	/* A missing catalogue is said when a Chinese mail needs it. */
	if ((f = fopen(m->zh_path, "re")) == NULL)
		return (0);
	if ((buf = malloc(MAIL_MO_MAX)) != NULL) {
		len = fread(buf, 1, MAIL_MO_MAX, f);
		if (!ferror(f) && len < MAIL_MO_MAX)
			m->zh = mo_parse(buf, len, NULL);
	}
	fclose(f);
	free(buf);
	return (0);
}

/* Whether the host has shop_setting (version 4). */
static int
mail_has_shops(const struct mail *m)
{
	return (m->api->version >= 4 &&
	    m->api->size >= offsetof(struct delistd_host_api, shop_setting) +
		    sizeof m->api->shop_setting &&
	    m->api->shop_setting != NULL);
}

/* The zone of shop (NULL: the daemon's), read once; NULL if unknown. */
static const struct tzfile *
mail_zone(void *arg, const char *shop)
{
	struct mail *m = arg;
	struct mail_zone *z;
	const char *name;

	if (!mail_has_shops(m) ||
	    (name = m->api->shop_setting(m->host, shop, "timezone")) == NULL)
		return (NULL);
	for (z = m->zones; z != NULL; z = z->next) {
		if (strcmp(z->name, name) == 0)
			return (z->tz);
	}
	if ((z = calloc(1, sizeof *z)) == NULL ||
	    (z->name = strdup(name)) == NULL ||
	    (z->tz = tzfile_load(name, NULL)) == NULL) {
		if (z != NULL)
			free(z->name);
		free(z);
		return (NULL);
	}
	z->next = m->zones;
	m->zones = z;
	return (z->tz);
}

/*
 * The reader of a mail about shop (NULL: several shops, or none): the
 * sink's language, else the shop's, else English; times in shop's zone.
 */
static void
mail_locale(struct mail *m, const char *shop, struct mail_locale *loc)
{
	const char *lang = m->language;

	memset(loc, 0, sizeof *loc);
	loc->zone = mail_zone;
	loc->arg = m;
	if (lang == NULL && shop != NULL && mail_has_shops(m))
		lang = m->api->shop_setting(m->host, shop, "language");
	if (lang == NULL || strcmp(lang, "zh-CN") != 0)
		return;
	if (m->zh == NULL && !m->zh_warned) {
		m->api->log(m->host, DELISTD_LOG_WARNING,
		    "no Chinese catalogue at %s: mail in English",
		    m->zh_path != NULL ? m->zh_path : "?");
		m->zh_warned = 1;
	}
	loc->mo = m->zh;
}

static void
mail_item_free(struct mail_item *it)
{
	free(it->shop);
	free(it->json);
	free(it);
}

static void
mail_send_free(struct mail_send *s)
{
	struct mail_item *it;

	while ((it = TAILQ_FIRST(&s->items)) != NULL) {
		TAILQ_REMOVE(&s->items, it, entry);
		mail_item_free(it);
	}
	free(s->message);
	free(s);
}

static void
mail_free(struct mail *m)
{
	struct mail_item *it;
	struct mail_send *s;
	struct mail_zone *z;
	int i;

	while ((it = TAILQ_FIRST(&m->held)) != NULL) {
		TAILQ_REMOVE(&m->held, it, entry);
		mail_item_free(it);
	}
	while ((it = TAILQ_FIRST(&m->acks)) != NULL) {
		TAILQ_REMOVE(&m->acks, it, entry);
		mail_item_free(it);
	}
	while ((s = TAILQ_FIRST(&m->sends)) != NULL) {
		TAILQ_REMOVE(&m->sends, s, entry);
		mail_send_free(s);
	}
	if (m->password != NULL)
		m->api->secret_free(m->password);
	for (i = 0; m->to != NULL && m->to[i] != NULL; i++)
		free(m->to[i]);
	free(m->to);
	free(m->url);
	free(m->where);
	free(m->username);
	free(m->from);
	free(m->ca_file);
	free(m->digest_text);
	free(m->language);
	free(m->zh_path);
	mo_free(m->zh);
	while ((z = m->zones) != NULL) {
		m->zones = z->next;
		tzfile_free(z->tz);
		free(z->name);
		free(z);
	}
	free(m);
}

static int
mail_init(struct delistd_host *host, const struct delistd_host_api *api,
    void **instance, char **cause)
{
	struct mail *m;

	*instance = NULL;
	if (api->version < 2 ||
	    api->size <
		offsetof(struct delistd_host_api, smtp) + sizeof api->smtp ||
	    api->smtp == NULL)
		return (mail_cause(cause,
		    "the daemon's host services (version %u) lack SMTP, "
		    "which the mail module needs (version 2)",
		    api->version));
	if (api->conf_keys(host, mail_keys, cause) == -1)
		return (-1);
	if ((m = calloc(1, sizeof *m)) == NULL)
		return (mail_cause(cause, "out of memory"));
	m->host = host;
	m->api = api;
	TAILQ_INIT(&m->held);
	TAILQ_INIT(&m->acks);
	TAILQ_INIT(&m->sends);
	if (mail_conf_url(m, cause) == -1 ||
	    mail_conf_addresses(m, cause) == -1 ||
	    mail_conf_auth(m, cause) == -1 ||
	    mail_conf_timing(m, cause) == -1 ||
	    mail_conf_language(m, cause) == -1) {
		mail_free(m);
		return (-1);
	}
	api->log(host, DELISTD_LOG_DEBUG,
	    "mail to %d recipient%s through %s%s%s, timeout %" PRId64
	    "s, digest %s",
	    m->nto, m->nto == 1 ? "" : "s", m->where,
	    m->starttls ? " (STARTTLS)" : "",
	    m->username != NULL ? " with AUTH" : "", m->timeout,
	    m->digest_text != NULL ? m->digest_text : "off");
	*instance = m;
	return (0);
}

/*
 * The host has cancelled the timer and the transfers; what is held or in
 * flight has no done, and the host delivers it again later.
 */
static void
mail_fini(void *instance)
{
	if (instance != NULL)
		mail_free(instance);
}

static struct mail_item *
mail_item_new(
    const struct delistd_event *ev, delistd_deliver_done done, void *token)
{
	struct mail_item *it;

	if ((it = calloc(1, sizeof *it)) == NULL)
		return (NULL);
	it->done = done;
	it->token = token;
	it->id = ev->id;
	it->case_id = ev->case_id;
	if ((it->json = strndup(ev->json, ev->json_len)) == NULL ||
	    (ev->shop != NULL && (it->shop = strdup(ev->shop)) == NULL)) {
		free(it->json);
		free(it);
		return (NULL);
	}
	return (it);
}

static void mail_answer(const struct delistd_smtp_response *, void *);

/* Builds the message of s (one event, or a digest) and starts it. */
static int
mail_start(struct mail *m, struct mail_send *s, const struct delistd_event *ev)
{
	struct delistd_smtp_request req;
	struct mail_text t;
	struct mail_msg msg;
	struct mail_locale loc;
	struct mail_item *it;
	const char **json = NULL, *shop = NULL;
	char *mid = NULL, *root = NULL, *counted, mailer[64], key[96];
	int64_t first = 0, last = 0;
	size_t i = 0;
	int rc = -1;

	memset(&t, 0, sizeof t);
	/* One shop's mail is in its language; several shops', the sink's. */
	TAILQ_FOREACH (it, &s->items, entry) {
		if (it == TAILQ_FIRST(&s->items))
			shop = it->shop;
		else if (shop != NULL &&
		    (it->shop == NULL || strcmp(it->shop, shop) != 0))
			shop = NULL;
	}
	mail_locale(m, shop, &loc);
	counted = mail_counted(s->quiet, &loc);
	if (s->n == 1 && ev != NULL) {
		it = TAILQ_FIRST(&s->items);
		if (mail_render_counted(it->json, m->api->name(m->host),
			counted, &loc, &t) == -1) {
			free(counted);
			m->api->log(m->host, DELISTD_LOG_ERROR,
			    "event %" PRId64 ": not an event document", it->id);
			return (-1);
		}
		if (t.case_id != 0)
			root = mail_thread_id(
			    t.case_id, m->api->name(m->host), m->domain);
		if (root != NULL && strcmp(ev->type, "case.opened") == 0) {
			mid = root;
			root = NULL;
		} else
			mid = mail_message_id(ev->key, m->domain);
	} else {
		if ((json = calloc(s->n + 1, sizeof *json)) == NULL) {
			free(counted);
			return (-1);
		}
		TAILQ_FOREACH (it, &s->items, entry) {
			json[i++] = it->json;
			if (first == 0 || it->id < first)
				first = it->id;
			if (it->id > last)
				last = it->id;
		}
		if (mail_render_digest(json, s->n, m->api->name(m->host),
			m->digest_text != NULL ? m->digest_text : "window",
			counted, &loc, &t) == -1) {
			free(json);
			free(counted);
			return (-1);
		}
		free(json);
		if (s->n > 0)
			mid = mail_digest_id(first, last, s->n,
			    m->api->name(m->host), m->domain);
		else {
			/* Counts only: unique by the time it goes. */
			snprintf(key, sizeof key, "counts.%" PRId64 ".%s",
			    m->api->now(m->host), m->api->name(m->host));
			mid = mail_message_id(key, m->domain);
		}
	}
	free(counted);
	if (mid == NULL)
		goto out;

	snprintf(mailer, sizeof mailer, "delistd/%s mail/%s",
	    m->api->daemon_version, MAIL_VERSION);
	memset(&msg, 0, sizeof msg);
	msg.from = m->from;
	msg.from_name = "delistd";
	msg.to = (const char *const *)m->to;
	msg.subject = t.subject;
	msg.body = t.body;
	msg.date = m->api->now(m->host);
	msg.message_id = mid;
	msg.in_reply_to = root;
	msg.mailer = mailer;
	if ((s->message = mail_build(&msg, &s->message_len)) == NULL)
		goto out;

	memset(&req, 0, sizeof req);
	req.url = m->url;
	req.starttls = m->starttls;
	req.username = m->username;
	req.password = m->password;
	req.mail_from = m->from;
	req.rcpt = (const char *const *)m->to;
	req.message = s->message;
	req.message_len = s->message_len;
	req.timeout_ms = m->timeout * 1000;
	req.connect_timeout_ms =
	    (m->timeout < MAIL_CONNECT_TIMEOUT ? m->timeout
					       : MAIL_CONNECT_TIMEOUT) *
	    1000;
	req.ca_file = m->ca_file;
	if (m->api->smtp(m->host, &req, mail_answer, s) == -1)
		goto out;
	rc = 0;
out:
	free(mid);
	free(root);
	mail_text_free(&t);
	return (rc);
}

/* What an SMTP answer means for the deliveries it carried. */
static enum delistd_result
mail_result(struct mail *m, const struct delistd_smtp_response *resp,
    char *error, size_t len)
{
	const char *text;

	error[0] = '\0';
	if (resp->error == 0)
		return (DELISTD_DELIVERED);
	text = resp->error_text != NULL && *resp->error_text != '\0'
	    ? resp->error_text
	    : "transport error";
	if (resp->code >= 500 && resp->code <= 599) {
		snprintf(error, len, "SMTP %ld: %s", resp->code, text);
		return (DELISTD_FAILED);
	}
	if (resp->code >= 400 && resp->code <= 499)
		snprintf(error, len, "SMTP %ld: %s", resp->code, text);
	else if (resp->timed_out)
		snprintf(error, len, "timeout after %" PRId64 "s", m->timeout);
	else
		snprintf(error, len, "%s", text);
	return (DELISTD_RETRY);
}

/* A timer in seconds of the daemon's clock (0: soon, from the loop). */
static struct delistd_timer *
mail_timer(struct mail *m, int64_t seconds, delistd_timer_cb cb)
{
	if (seconds > 0 && m->api->version >= 3 &&
	    m->api->size >= offsetof(struct delistd_host_api, timer_at) +
		    sizeof m->api->timer_at &&
	    m->api->timer_at != NULL)
		return (m->api->timer_at(
		    m->host, m->api->now(m->host) + seconds, cb, m));
	return (m->api->timer_add(m->host, seconds * 1000, cb, m));
}

/* Counts that could not be mailed wait for the next digest again. */
static void
mail_recount(struct mail *m, const uint64_t quiet[MAIL_QUIET_MAX])
{
	size_t i;
	int any = 0;

	for (i = 0; i < MAIL_QUIET_MAX; i++) {
		m->quiet[i] += quiet[i];
		any |= quiet[i] != 0;
	}
	if (any && m->timer == NULL)
		m->timer = mail_timer(m,
		    m->digest > 0 ? m->digest : MAIL_COUNT_WINDOW, mail_flush);
}

/*
 * The answer to one mail. The dones are collected and the mail freed
 * first: nothing here touches m after the first done.
 */
static void
mail_answer(const struct delistd_smtp_response *resp, void *arg)
{
	struct mail_send *s = arg;
	struct mail *m = s->m;
	struct mail_item *it;
	enum delistd_result result;
	char error[512];
	struct {
		delistd_deliver_done done;
		void *token;
	} * calls;
	size_t n = 0, i;

	result = mail_result(m, resp, error, sizeof error);
	if (result == DELISTD_DELIVERED) {
		m->api->log(m->host, DELISTD_LOG_DEBUG,
		    "mail with %zu event%s accepted (%ld)", s->n,
		    s->n == 1 ? "" : "s", resp->code);
		if (m->failing)
			m->api->log(m->host, DELISTD_LOG_NOTICE,
			    "%s accepts mail again", m->where);
		m->failing = 0;
	} else {
		m->api->log(m->host, DELISTD_LOG_DEBUG,
		    "mail with %zu event%s: %s", s->n, s->n == 1 ? "" : "s",
		    error);
		if (!m->failing)
			m->api->log(m->host, DELISTD_LOG_WARNING,
			    "%s is failing: %s", m->where, error);
		m->failing = 1;
		mail_recount(m, s->quiet);
	}
	TAILQ_REMOVE(&m->sends, s, entry);
	if ((calls = calloc(s->n + 1, sizeof *calls)) == NULL) {
		/* The host's watchdog takes them back. */
		mail_send_free(s);
		return;
	}
	TAILQ_FOREACH (it, &s->items, entry) {
		calls[n].done = it->done;
		calls[n++].token = it->token;
	}
	mail_send_free(s);
	for (i = 0; i < n; i++)
		calls[i].done(
		    calls[i].token, result, 0, error[0] != '\0' ? error : NULL);
	free(calls);
}

static struct mail_send *
mail_send_new(struct mail *m)
{
	struct mail_send *s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return (NULL);
	s->m = m;
	TAILQ_INIT(&s->items);
	TAILQ_INSERT_TAIL(&m->sends, s, entry);
	return (s);
}

/* A digest mail takes the counts along (mail_answer gives them back). */
static void
mail_take_counts(struct mail *m, struct mail_send *s)
{
	memcpy(s->quiet, m->quiet, sizeof s->quiet);
	memset(m->quiet, 0, sizeof m->quiet);
}

/*
 * The window closes: everything held, and the counts, go as one mail. If
 * it cannot even start, each held event is retried (done is called from
 * this timer, never from deliver).
 */
static void
mail_flush(void *arg)
{
	struct mail *m = arg;
	struct mail_send *s;
	struct mail_item *it;
	size_t i;
	int counts = 0;

	m->timer = NULL;
	for (i = 0; i < MAIL_QUIET_MAX; i++)
		counts |= m->quiet[i] != 0;
	if (m->nheld == 0 && !counts)
		return;
	if ((s = mail_send_new(m)) == NULL)
		return; /* the host's watchdog takes them back */
	TAILQ_CONCAT(&s->items, &m->held, entry);
	s->n = m->nheld;
	m->nheld = 0;
	mail_take_counts(m, s);
	m->api->log(m->host, DELISTD_LOG_DEBUG, "digest of %zu event%s", s->n,
	    s->n == 1 ? "" : "s");
	if (mail_start(m, s, NULL) == 0)
		return;
	m->api->log(m->host, DELISTD_LOG_WARNING,
	    "a digest of %zu events could not be sent; they will be retried",
	    s->n);
	TAILQ_REMOVE(&m->sends, s, entry);
	mail_recount(m, s->quiet);
	while ((it = TAILQ_FIRST(&s->items)) != NULL) {
		TAILQ_REMOVE(&s->items, it, entry);
		it->done(it->token, DELISTD_RETRY, 0,
		    "the digest could not be sent");
		mail_item_free(it);
	}
	mail_send_free(s);
}

/* Counted events are answered delivered, from this timer. */
static void
mail_ack(void *arg)
{
	struct mail *m = arg;
	struct mail_items acks;
	struct mail_item *it;

	m->ack_timer = NULL;
	TAILQ_INIT(&acks);
	TAILQ_CONCAT(&acks, &m->acks, entry);
	/* done does not call back into the plugin: m stays valid. */
	while ((it = TAILQ_FIRST(&acks)) != NULL) {
		TAILQ_REMOVE(&acks, it, entry);
		it->done(it->token, DELISTD_DELIVERED, 0,
		    "counted for the next digest, not mailed on its own");
		mail_item_free(it);
	}
}

/* Whether an event goes at once rather than in the window's digest. */
static int
mail_at_once(struct mail *m, const char *type, const char *severity)
{
	size_t i;

	if (m->digest == 0 || mail_severity(severity) >= m->immediate)
		return (1);
	for (i = 0; mail_digests[i] != NULL; i++) {
		if (type != NULL && strcmp(type, mail_digests[i]) == 0)
			return (1);
	}
	return (0);
}

/*
 * An event that asks nothing of a person: counted for the next digest,
 * answered delivered from a timer. A window opens if none is, so that
 * the counts go out even when nothing else comes.
 */
static int
mail_count(struct mail *m, struct mail_item *it, int kind)
{
	if (m->ack_timer == NULL &&
	    (m->ack_timer = mail_timer(m, 0, mail_ack)) == NULL)
		return (-1);
	if (m->timer == NULL &&
	    (m->timer = mail_timer(m,
		 m->digest > 0 ? m->digest : MAIL_COUNT_WINDOW, mail_flush)) ==
		NULL)
		return (-1);
	TAILQ_INSERT_TAIL(&m->acks, it, entry);
	m->quiet[kind]++;
	m->api->log(m->host, DELISTD_LOG_DEBUG,
	    "event %" PRId64 " counted for the next digest", it->id);
	return (0);
}

static int
mail_deliver(void *instance, const struct delistd_event *ev,
    delistd_deliver_done done, void *token)
{
	struct mail *m = instance;
	struct mail_item *it;
	struct mail_send *s;
	int kind;

	if ((it = mail_item_new(ev, done, token)) == NULL)
		return (-1);
	if ((kind = mail_quiet(ev->type)) != -1) {
		if (mail_count(m, it, kind) == -1) {
			mail_item_free(it);
			return (-1);
		}
		return (0);
	}
	if (!mail_at_once(m, ev->type, ev->severity)) {
		TAILQ_INSERT_TAIL(&m->held, it, entry);
		m->nheld++;
		if (m->nheld >= MAIL_DIGEST_HOLD) {
			if (m->timer != NULL)
				m->api->timer_cancel(m->timer);
			m->timer = mail_timer(m, 0, mail_flush);
		} else if (m->timer == NULL)
			m->timer = mail_timer(m, m->digest, mail_flush);
		if (m->timer == NULL) {
			TAILQ_REMOVE(&m->held, it, entry);
			m->nheld--;
			mail_item_free(it);
			return (-1);
		}
		m->api->log(m->host, DELISTD_LOG_DEBUG,
		    "event %" PRId64 " held for the digest (%zu held)", ev->id,
		    m->nheld);
		return (0);
	}
	if ((s = mail_send_new(m)) == NULL) {
		mail_item_free(it);
		return (-1);
	}
	TAILQ_INSERT_TAIL(&s->items, it, entry);
	s->n = 1;
	/* The daily digest carries the counts too. */
	if (strcmp(ev->type, "digest.daily") == 0)
		mail_take_counts(m, s);
	if (mail_start(m, s, ev) == -1) {
		m->api->log(m->host, DELISTD_LOG_WARNING,
		    "event %" PRId64 ": the mail could not be started", ev->id);
		TAILQ_REMOVE(&m->sends, s, entry);
		mail_recount(m, s->quiet);
		mail_send_free(s);
		return (-1);
	}
	return (0);
}

/*
 * The host has next, which waits behind an event of its case held in the
 * window. If next would go at once (a critical one), the window closes
 * now: the digest first, then next, in the case's order and not late.
 */
static void
mail_flush_for(void *instance, const struct delistd_event *next)
{
	struct mail *m = instance;
	struct mail_item *it;

	if (m->nheld == 0 || next->case_id == 0 ||
	    !mail_at_once(m, next->type, next->severity))
		return;
	TAILQ_FOREACH (it, &m->held, entry) {
		if (it->case_id == next->case_id)
			break;
	}
	if (it == NULL)
		return;
	m->api->log(m->host, DELISTD_LOG_DEBUG,
	    "event %" PRId64 " (%s) waits behind event %" PRId64
	    " of case %" PRId64 " in the window: the digest goes now",
	    next->id, next->severity, it->id, next->case_id);
	if (m->timer != NULL)
		m->api->timer_cancel(m->timer);
	m->timer = mail_timer(m, 0, mail_flush);
}

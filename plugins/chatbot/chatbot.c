/* SPDX-License-Identifier: ISC */
/*
 * chatbot.c: the group-chat sink. Events become markdown messages in a
 * WeCom (企业微信) group robot, a DingTalk (钉钉) custom robot or a Feishu
 * (飞书) custom bot, chosen by the service key: one module, because the
 * three differ only in a row of chat_services (the URL, the request's
 * shape, the signature, the robot's rate limit, the markdown dialect and
 * the error codes), not in what a sink does. delistd-chatbot(7) says how
 * each service is called, with its references.
 *
 * When: an event at or above immediate_severity (critical) is one message
 * at once; the others are held and folded into one digest message per
 * window (digest, 5 minutes), on the daemon's clock (timer_at). A case's
 * event that goes at once while an earlier one of the case is held
 * flushes the window (the flush hook), so the case's order is kept.
 *
 * Pace: a robot takes so many messages a minute (WeCom and DingTalk 20,
 * Feishu 100) and refuses the rest. Messages go one at a time, and never
 * more than rate_per_minute (at most the service's) within any 60 seconds
 * of the daemon's clock: the next waits for a timer when the window is
 * full. What waits is in flight for the host, which caps a sink at 32.
 *
 * Answers: each service answers HTTP 200 with a JSON code. 0 is
 * delivered; its rate-limit codes, 429, 5xx and transport errors are
 * retried (after a minute for a rate limit); any other code (a wrong
 * key, token or signature, a keyword the robot wants) is a permanent
 * failure, with the service's own message: the host dead-letters it.
 *
 * Mentions: mentions maps a console user name to the ID the service
 * knows ("alice=13800000000": DingTalk takes a mobile number or a user
 * ID, WeCom a user ID, Feishu an open_id); a message about a case whose
 * assignee is mapped mentions that person.
 *
 * Language: a message is in its reader's language: the sink's language
 * when it sets one, else the shop's (a digest of several shops': the
 * sink's), else English, from delistd's own catalogue read at init
 * (plugins/common/sinklang.c, as the mail module). Times read in the
 * shop's zone with the zone named. The markdown is each service's.
 *
 * Never in a log line or an error: the key or token (they are the
 * robot's credentials: a URL with them is never logged), the secret, a
 * signature.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/queue.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <delistd/plugin.h>

#include "i18n.h"
#include "mo.h"
#include "evsentence.h"
#include "sinklang.h"
#include "tzfile.h"

/*
 * _() is in the reader's language: mo, the catalogue of the message being
 * rendered (sink_lang_mo), in scope where it is used; not the daemon's
 * locale, which is C.
 */
#undef _
#define _(s) mo_gettext(mo, (s))

#define CHAT_VERSION "0.1.0"
#define CHAT_TIMEOUT 10 /* seconds */
#define CHAT_DIGEST 300 /* seconds: the default window */
#define CHAT_DIGEST_MAX 1800 /* the host's watchdog is an hour */
#define CHAT_HOLD 24 /* under the host's 32 in flight per sink */
#define CHAT_RATE_MAX 100 /* messages a minute, whatever the service */
#define CHAT_MENTIONS_MAX 200
#define CHAT_DIGEST_LINES 20 /* events shown in a digest, then a count */
#define CHAT_TEXT_MAX 3500 /* bytes of a message's text (WeCom: 4096) */

struct chatbot;

/* How a service is called and answers: a row of chat_services. */
struct chat_service {
	const char *name;
	const char *url; /* the default endpoint */
	int per_minute; /* the robot's limit */
	int signs; /* takes secret_file */
	const char *code_key; /* the answer's code member */
	const char *msg_key; /* and its message */
	const int *retry_codes; /* 0-ended: rate limits, busy */
	char *(*target)(struct chatbot *, int64_t); /* the URL to POST */
	json_t *(*body)(struct chatbot *, const char *, const char *,
	    const char *, int64_t); /* title, markdown, mention */
};

/* One event handed to us, not yet answered. */
struct chat_item {
	delistd_deliver_done done;
	void *token;
	int64_t id;
	int64_t case_id;
	json_t *doc;
	TAILQ_ENTRY(chat_item) entry;
};
TAILQ_HEAD(chat_items, chat_item);

/* One message: an event at once, or a digest of several. */
struct chat_msg {
	struct chatbot *cb;
	struct chat_items items;
	size_t n;
	int digest; /* a window's digest, not one event at once */
	char *body;
	TAILQ_ENTRY(chat_msg) entry;
};
TAILQ_HEAD(chat_msgs, chat_msg);

struct chatbot {
	struct delistd_host *host;
	const struct delistd_host_api *api;
	const struct chat_service *svc;
	char *url; /* without the credentials */
	char *token; /* key, access token or hook ID: a secret */
	char *secret; /* the signing secret; may be NULL */
	char *ca_file;
	int64_t digest;
	int immediate;
	int per_minute;
	char **m_user, **m_id; /* mentions */
	int nmentions;
	int64_t sent[CHAT_RATE_MAX]; /* the last sends, a ring */
	int nsent, next;
	struct chat_items held;
	size_t nheld;
	struct chat_msgs queue; /* waiting for their turn */
	struct chat_msg *busy; /* the one in flight */
	struct delistd_timer *digest_timer, *pace_timer;
	int failing;
	struct sink_lang lang; /* the reader's language and zones */
};

static int chat_init(
    struct delistd_host *, const struct delistd_host_api *, void **, char **);
static void chat_fini(void *);
static int chat_deliver(
    void *, const struct delistd_event *, delistd_deliver_done, void *);
static void chat_flush_for(void *, const struct delistd_event *);
static void chat_flush(void *);
static void chat_pump(void *);
static char *chat_target_wecom(struct chatbot *, int64_t);
static char *chat_target_dingtalk(struct chatbot *, int64_t);
static char *chat_target_feishu(struct chatbot *, int64_t);
static json_t *chat_body_wecom(
    struct chatbot *, const char *, const char *, const char *, int64_t);
static json_t *chat_body_dingtalk(
    struct chatbot *, const char *, const char *, const char *, int64_t);
static json_t *chat_body_feishu(
    struct chatbot *, const char *, const char *, const char *, int64_t);

const struct delistd_plugin delistd_plugin = {
	.abi = DELISTD_PLUGIN_ABI,
	.name = "chatbot",
	.version = CHAT_VERSION,
	.roles = DELISTD_ROLE_SINK,
	.init = chat_init,
	.fini = chat_fini,
	.deliver = chat_deliver,
	.flush = chat_flush_for,
};

/* WeCom 45009: api freq out of limit. */
static const int chat_retry_wecom[] = { 45009, -1, 0 };
/* DingTalk 130101: send too fast; 410100: rate limited. */
static const int chat_retry_dingtalk[] = { 130101, 410100, -1, 0 };
/* Feishu 11232: frequency limited; 9499 is a bad request, permanent. */
static const int chat_retry_feishu[] = { 11232, -1, 0 };

static const struct chat_service chat_services[] = {
	{ "wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send", 20, 0,
	    "errcode", "errmsg", chat_retry_wecom, chat_target_wecom,
	    chat_body_wecom },
	{ "dingtalk", "https://oapi.dingtalk.com/robot/send", 20, 1, "errcode",
	    "errmsg", chat_retry_dingtalk, chat_target_dingtalk,
	    chat_body_dingtalk },
	{ "feishu", "https://open.feishu.cn/open-apis/bot/v2/hook", 100, 1,
	    "code", "msg", chat_retry_feishu, chat_target_feishu,
	    chat_body_feishu },
};

static const char *const chat_keys[] = { "service", "url", "token_file",
	"secret_file", "digest", "immediate_severity", "rate_per_minute",
	"mentions", "ca_file", "language", NULL };
static const char *const chat_severities[] = { "info", "warning", "critical" };

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static int chat_cause(char **, const char *, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static int
chat_cause(char **cause, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) == -1)
		*cause = NULL;
	va_end(ap);
	return (-1);
}

static int
chat_severity(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < nitems(chat_severities); i++) {
		if (strcmp(s, chat_severities[i]) == 0)
			return ((int)i);
	}
	return (-1);
}

/* s percent-encoded for a query value (RFC 3986 unreserved kept). */
static char *
chat_urlencode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char *out, *o;

	if ((out = malloc(strlen(s) * 3 + 1)) == NULL)
		return (NULL);
	for (o = out, p = (const unsigned char *)s; *p != '\0'; p++) {
		if (isalnum(*p) || strchr("-._~", *p) != NULL)
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 0xf];
		}
	}
	*o = '\0';
	return (out);
}

/*
 * base64(HMAC-SHA256(key, msg)) into out (at least 45 bytes): DingTalk's
 * 加签 (key: the secret; msg: "timestamp\nsecret") and Feishu's signature
 * (key: "timestamp\nsecret"; msg: empty).
 */
static int
chat_hmac64(const char *key, const char *msg, char *out)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (HMAC(EVP_sha256(), key, (int)strlen(key),
		(const unsigned char *)msg, strlen(msg), mac, &len) == NULL ||
	    len != 32)
		return (-1);
	EVP_EncodeBlock((unsigned char *)out, mac, (int)len);
	OPENSSL_cleanse(mac, sizeof mac);
	return (0);
}

/* The endpoint, sep and the credential (WeCom "?key=", Feishu "/"). */
static char *
chat_target_join(struct chatbot *cb, const char *sep)
{
	char *t, *url = NULL;

	if ((t = chat_urlencode(cb->token)) == NULL ||
	    asprintf(&url, "%s%s%s", cb->url, sep, t) == -1)
		url = NULL;
	free(t);
	return (url);
}

static char *
chat_target_wecom(struct chatbot *cb, int64_t now)
{
	(void)now;
	return (chat_target_join(cb, "?key="));
}

/* DingTalk: access_token, and with a secret timestamp (ms) and sign. */
static char *
chat_target_dingtalk(struct chatbot *cb, int64_t now)
{
	char *t, *sig = NULL, *url = NULL, *tosign = NULL, b64[64];

	if (cb->secret == NULL)
		return (chat_target_join(cb, "?access_token="));
	if ((t = chat_urlencode(cb->token)) == NULL)
		return (NULL);
	if (asprintf(&tosign, "%" PRId64 "000\n%s", now, cb->secret) != -1 &&
	    chat_hmac64(cb->secret, tosign, b64) == 0 &&
	    (sig = chat_urlencode(b64)) != NULL &&
	    asprintf(&url,
		"%s?access_token=%s&timestamp=%" PRId64 "000&sign=%s", cb->url,
		t, now, sig) == -1)
		url = NULL;
	if (tosign != NULL) {
		OPENSSL_cleanse(tosign, strlen(tosign));
		free(tosign);
	}
	free(sig);
	free(t);
	return (url);
}

static char *
chat_target_feishu(struct chatbot *cb, int64_t now)
{
	(void)now;
	return (chat_target_join(cb, "/"));
}

/* WeCom markdown: the title bold, then the text; <@userid> mentions. */
static json_t *
chat_body_wecom(struct chatbot *cb, const char *title, const char *md,
    const char *mention, int64_t now)
{
	json_t *body;
	char *text;

	(void)cb;
	(void)now;
	if (asprintf(&text, "**%s**\n%s%s%s%s", title, md,
		mention != NULL ? "\n<@" : "", mention != NULL ? mention : "",
		mention != NULL ? ">" : "") == -1)
		return (NULL);
	body = json_pack("{s:s,s:{s:s}}", "msgtype", "markdown", "markdown",
	    "content", text);
	free(text);
	return (body);
}

/*
 * DingTalk markdown: title and text, and "at" naming whom to mention; the
 * text must hold "@" and the mobile (or user ID) for it to show.
 */
static json_t *
chat_body_dingtalk(struct chatbot *cb, const char *title, const char *md,
    const char *mention, int64_t now)
{
	json_t *body, *at;
	char *text;
	int mobile = mention != NULL &&
	    strspn(mention, "0123456789+") == strlen(mention);

	(void)cb;
	(void)now;
	if (asprintf(&text, "### %s\n\n%s%s%s", title, md,
		mention != NULL ? "\n\n@" : "",
		mention != NULL ? mention : "") == -1)
		return (NULL);
	at = json_pack(
	    "{s:[],s:[],s:b}", "atMobiles", "atUserIds", "isAtAll", 0);
	if (mention != NULL)
		json_array_append_new(
		    json_object_get(at, mobile ? "atMobiles" : "atUserIds"),
		    json_string(mention));
	body = json_pack("{s:s,s:{s:s,s:s},s:o}", "msgtype", "markdown",
	    "markdown", "title", title, "text", text, "at", at);
	free(text);
	return (body);
}

/*
 * Feishu: a card with a markdown element; with a secret, timestamp (s)
 * and sign in the body. <at id=open_id></at> mentions.
 */
static json_t *
chat_body_feishu(struct chatbot *cb, const char *title, const char *md,
    const char *mention, int64_t now)
{
	json_t *body;
	char *text, *key = NULL, ts[32], b64[64];

	if (asprintf(&text, "%s%s%s%s", md, mention != NULL ? "\n<at id=" : "",
		mention != NULL ? mention : "",
		mention != NULL ? "></at>" : "") == -1)
		return (NULL);
	body = json_pack("{s:s,s:{s:{s:{s:s,s:s}},s:[{s:s,s:s}]}}", "msg_type",
	    "interactive", "card", "header", "title", "tag", "plain_text",
	    "content", title, "elements", "tag", "markdown", "content", text);
	free(text);
	if (body == NULL || cb->secret == NULL)
		return (body);
	snprintf(ts, sizeof ts, "%" PRId64, now);
	if (asprintf(&key, "%s\n%s", ts, cb->secret) == -1 ||
	    chat_hmac64(key, "", b64) == -1) {
		free(key);
		json_decref(body);
		return (NULL);
	}
	OPENSSL_cleanse(key, strlen(key));
	free(key);
	json_object_set_new(body, "timestamp", json_string(ts));
	json_object_set_new(body, "sign", json_string(b64));
	return (body);
}

static const char *
chat_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "");
}

/* The ID the service knows for user (mentions), or NULL. */
static const char *
chat_mention(struct chatbot *cb, const char *user)
{
	int i;

	for (i = 0; user != NULL && i < cb->nmentions; i++) {
		if (strcmp(cb->m_user[i], user) == 0)
			return (cb->m_id[i]);
	}
	return (NULL);
}

/*
 * The time of the event doc for a reader of mo, in its shop's zone with
 * the zone named: "2026-12-06 10:00 CST (Asia/Shanghai)", "2026-12-06
 * 10:00 (北京时间)"; "2026-12-06 02:00 UTC" without a zone.
 */
static const char *
chat_time(struct chatbot *cb, const json_t *doc, const struct mo *mo, char *buf,
    size_t len)
{
	const char *t = chat_str(doc, "at"), *s;

	s = sink_lang_when(sink_lang_zone(&cb->lang,
			       json_string_value(json_object_get(doc, "shop"))),
	    mo, t, buf, len);
	if (s != t)
		return (s);
	if (strlen(t) >= 16 && t[10] == 'T')
		snprintf(buf, len, "%.10s %.5s UTC", t, t + 11);
	else
		snprintf(buf, len, "%s", t);
	return (buf);
}

/* Markdown text is cut (at a UTF-8 boundary) to what a robot takes. */
static void
chat_cut(char *s)
{
	size_t n = strlen(s);

	if (n <= CHAT_TEXT_MAX)
		return;
	n = CHAT_TEXT_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(s + n, "...", 4);
}

/* The message of one event: title, markdown text, whom to mention. */
static int
chat_render_one(struct chatbot *cb, const json_t *doc, char **title, char **md,
    const char **mention)
{
	json_int_t c = json_integer_value(json_object_get(doc, "case"));
	const char *sev = chat_str(doc, "severity");
	const struct mo *mo = sink_lang_mo(
	    &cb->lang, json_string_value(json_object_get(doc, "shop")));
	char when[TZFILE_HUMAN_LEN], *buf = NULL, *sentence;
	size_t len = 0;
	FILE *f;

	*mention = chat_mention(
	    cb, json_string_value(json_object_get(doc, "assignee")));
	if (asprintf(title, "%s[delistd] %s/%s: %s",
		strcmp(sev, "critical") == 0 ? _("URGENT: ") : "",
		chat_str(doc, "shop"), chat_str(doc, "product_id"),
		chat_str(doc, "type")) == -1)
		return (-1);
	if ((f = open_memstream(&buf, &len)) == NULL) {
		free(*title);
		return (-1);
	}
	sentence = ev_sentence(mo, doc);
	fprintf(f, "> %s\n\n",
	    sentence != NULL ? sentence : chat_str(doc, "message"));
	free(sentence);
	fprintf(f, _("- Event: %s (%s)\n"), chat_str(doc, "type"), sev);
	fprintf(f, _("- Listing: %s/%s\n"), chat_str(doc, "shop"),
	    chat_str(doc, "product_id"));
	if (c != 0)
		fprintf(f, _("- Case: %lld\n"), (long long)c);
	fprintf(
	    f, _("- Time: %s\n"), chat_time(cb, doc, mo, when, sizeof when));
	fclose(f);
	chat_cut(buf);
	*md = buf;
	return (0);
}

/* A digest of the events of m: one line each (the first ones). */
static int
chat_render_digest(
    struct chatbot *cb, struct chat_msg *m, char **title, char **md)
{
	struct chat_item *it;
	const struct mo *mo;
	const char *shop = NULL, *s;
	char when[TZFILE_HUMAN_LEN], *buf = NULL, *sentence;
	size_t len = 0, i = 0;
	FILE *f;

	/* One shop's digest is in its language; several shops', the sink's. */
	TAILQ_FOREACH (it, &m->items, entry) {
		s = json_string_value(json_object_get(it->doc, "shop"));
		if (it == TAILQ_FIRST(&m->items))
			shop = s;
		else if (shop != NULL && (s == NULL || strcmp(s, shop) != 0))
			shop = NULL;
	}
	mo = sink_lang_mo(&cb->lang, shop);
	if (asprintf(title, _("[delistd] digest: %zu event(s)"), m->n) == -1)
		return (-1);
	if ((f = open_memstream(&buf, &len)) == NULL) {
		free(*title);
		return (-1);
	}
	TAILQ_FOREACH (it, &m->items, entry) {
		if (i++ == CHAT_DIGEST_LINES) {
			fprintf(f, _("- ... and %zu more\n"),
			    m->n - CHAT_DIGEST_LINES);
			break;
		}
		sentence = ev_sentence(mo, it->doc);
		fprintf(f, "- %s **%s** %s/%s: %s\n",
		    chat_time(cb, it->doc, mo, when, sizeof when),
		    chat_str(it->doc, "type"), chat_str(it->doc, "shop"),
		    chat_str(it->doc, "product_id"),
		    sentence != NULL ? sentence : chat_str(it->doc, "message"));
		free(sentence);
	}
	fclose(f);
	chat_cut(buf);
	*md = buf;
	return (0);
}

static void
chat_item_free(struct chat_item *it)
{
	json_decref(it->doc);
	free(it);
}

static void
chat_msg_free(struct chat_msg *m)
{
	struct chat_item *it;

	while ((it = TAILQ_FIRST(&m->items)) != NULL) {
		TAILQ_REMOVE(&m->items, it, entry);
		chat_item_free(it);
	}
	free(m->body);
	free(m);
}

/* Whether the robot may take one more message now (rate_per_minute). */
static int64_t
chat_wait(struct chatbot *cb, int64_t now)
{
	int64_t oldest;

	if (cb->nsent < cb->per_minute)
		return (0);
	oldest = cb->sent[cb->next];
	return (oldest + 60 > now ? oldest + 60 - now : 0);
}

static void
chat_sent(struct chatbot *cb, int64_t now)
{
	cb->sent[cb->next] = now;
	cb->next = (cb->next + 1) % cb->per_minute;
	if (cb->nsent < cb->per_minute)
		cb->nsent++;
}

/* A timer on the daemon's clock (timer_at), seconds from now. */
static struct delistd_timer *
chat_timer(struct chatbot *cb, int64_t secs, delistd_timer_cb fn)
{
	if (secs > 0 && cb->api->timer_at != NULL)
		return (cb->api->timer_at(
		    cb->host, cb->api->now(cb->host) + secs, fn, cb));
	return (cb->api->timer_add(cb->host, secs * 1000, fn, cb));
}

/* Answers every event of m with result (m is freed first). */
static void
chat_done(struct chat_msg *m, enum delistd_result result, int64_t after,
    const char *error)
{
	struct chat_items items;
	struct chat_item *it;

	TAILQ_INIT(&items);
	TAILQ_CONCAT(&items, &m->items, entry);
	chat_msg_free(m);
	while ((it = TAILQ_FIRST(&items)) != NULL) {
		TAILQ_REMOVE(&items, it, entry);
		it->done(it->token, result, after, error);
		chat_item_free(it);
	}
}

/*
 * What an answer means: HTTP 200 with the service's code 0 is delivered;
 * its rate-limit codes, 429, 5xx and transport errors are retried; any
 * other code or status is permanent, with the service's message.
 */
static enum delistd_result
chat_result(struct chatbot *cb, const struct delistd_http_response *resp,
    int64_t *after, char *error, size_t len)
{
	json_error_t jerr;
	json_t *doc;
	json_int_t code;
	const char *msg;
	size_t i;

	*after = 0;
	if (resp->error != 0) {
		snprintf(error, len, "%s",
		    resp->timed_out		   ? "timeout"
			: resp->error_text != NULL ? resp->error_text
						   : "transport error");
		return (DELISTD_RETRY);
	}
	if (resp->status == 429 || resp->status >= 500) {
		snprintf(error, len, "HTTP %ld", resp->status);
		*after = resp->status == 429 ? 60 : 0;
		return (DELISTD_RETRY);
	}
	doc = json_loadb(resp->body, resp->body_len, 0, &jerr);
	if (resp->status != 200 || doc == NULL ||
	    !json_is_integer(json_object_get(doc, cb->svc->code_key))) {
		snprintf(error, len, "%s: HTTP %ld, %s", cb->svc->name,
		    resp->status,
		    doc == NULL ? "not a JSON answer"
				: "no code in the answer");
		json_decref(doc);
		return (DELISTD_FAILED);
	}
	code = json_integer_value(json_object_get(doc, cb->svc->code_key));
	msg = json_string_value(json_object_get(doc, cb->svc->msg_key));
	snprintf(error, len, "%s %s %lld: %.200s", cb->svc->name,
	    cb->svc->code_key, (long long)code, msg != NULL ? msg : "-");
	json_decref(doc);
	if (code == 0)
		return (DELISTD_DELIVERED);
	for (i = 0; cb->svc->retry_codes[i] != -1; i++) {
		if (cb->svc->retry_codes[i] == code) {
			*after = 60;
			return (DELISTD_RETRY);
		}
	}
	return (DELISTD_FAILED);
}

static void
chat_answer(const struct delistd_http_response *resp, void *arg)
{
	struct chat_msg *m = arg;
	struct chatbot *cb = m->cb;
	enum delistd_result r;
	char error[320];
	int64_t after;

	cb->busy = NULL;
	r = chat_result(cb, resp, &after, error, sizeof error);
	if (r == DELISTD_DELIVERED) {
		if (cb->failing)
			cb->api->log(cb->host, DELISTD_LOG_NOTICE,
			    "the %s robot answers again", cb->svc->name);
		cb->failing = 0;
	} else {
		if (!cb->failing)
			cb->api->log(cb->host, DELISTD_LOG_WARNING,
			    "the %s robot is failing: %s", cb->svc->name,
			    error);
		cb->failing = 1;
	}
	if (cb->pace_timer == NULL)
		cb->pace_timer = chat_timer(cb, 0, chat_pump);
	chat_done(m, r, after, r == DELISTD_DELIVERED ? NULL : error);
}

/* Builds the request body of m, a message of one event or a digest. */
static int
chat_build(struct chatbot *cb, struct chat_msg *m, int64_t now)
{
	const char *mention = NULL;
	char *title = NULL, *md = NULL;
	json_t *body;
	int rc;

	rc = m->digest ? chat_render_digest(cb, m, &title, &md)
		       : chat_render_one(cb, TAILQ_FIRST(&m->items)->doc,
			     &title, &md, &mention);
	if (rc == -1)
		return (-1);
	body = cb->svc->body(cb, title, md, mention, now);
	free(title);
	free(md);
	if (body == NULL)
		return (-1);
	free(m->body);
	m->body = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	return (m->body != NULL ? 0 : -1);
}

/* Sends the next message if the robot's pace allows, else waits. */
static void
chat_pump(void *arg)
{
	struct chatbot *cb = arg;
	struct delistd_http_request req;
	static const char *const headers[] = {
		"Content-Type: application/json; charset=utf-8", NULL
	};
	struct chat_msg *m;
	int64_t now, wait;
	char *url;

	cb->pace_timer = NULL;
	if (cb->busy != NULL || (m = TAILQ_FIRST(&cb->queue)) == NULL)
		return;
	now = cb->api->now(cb->host);
	if ((wait = chat_wait(cb, now)) > 0) {
		cb->pace_timer = chat_timer(cb, wait, chat_pump);
		return;
	}
	TAILQ_REMOVE(&cb->queue, m, entry);
	/* Signed now: DingTalk and Feishu refuse a signature an hour old. */
	if (chat_build(cb, m, now) == -1 ||
	    (url = cb->svc->target(cb, now)) == NULL) {
		cb->api->log(cb->host, DELISTD_LOG_ERROR,
		    "a message could not be built; it will be retried");
		cb->pace_timer = chat_timer(cb, 0, chat_pump);
		chat_done(
		    m, DELISTD_RETRY, 0, "the message could not be built");
		return;
	}
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.headers = headers;
	req.body = m->body;
	req.body_len = strlen(m->body);
	req.timeout_ms = CHAT_TIMEOUT * 1000;
	req.ca_file = cb->ca_file;
	chat_sent(cb, now);
	cb->busy = m;
	if (cb->api->http(cb->host, &req, chat_answer, m) == -1) {
		cb->busy = NULL;
		cb->pace_timer = chat_timer(cb, 0, chat_pump);
		chat_done(m, DELISTD_RETRY, 0,
		    "the HTTP request could not be started");
	}
	OPENSSL_cleanse(url, strlen(url));
	free(url);
}

static struct chat_msg *
chat_msg_new(struct chatbot *cb)
{
	struct chat_msg *m;

	if ((m = calloc(1, sizeof *m)) == NULL)
		return (NULL);
	m->cb = cb;
	TAILQ_INIT(&m->items);
	return (m);
}

/* The window ends: what is held goes as one digest message. */
static void
chat_flush(void *arg)
{
	struct chatbot *cb = arg;
	struct chat_msg *m;

	cb->digest_timer = NULL;
	if (cb->nheld == 0 || (m = chat_msg_new(cb)) == NULL)
		return;
	TAILQ_CONCAT(&m->items, &cb->held, entry);
	m->n = cb->nheld;
	m->digest = 1;
	cb->nheld = 0;
	TAILQ_INSERT_TAIL(&cb->queue, m, entry);
	chat_pump(cb);
}

static int
chat_deliver(void *instance, const struct delistd_event *ev,
    delistd_deliver_done done, void *token)
{
	struct chatbot *cb = instance;
	struct chat_item *it;
	struct chat_msg *m;
	json_error_t jerr;

	if ((it = calloc(1, sizeof *it)) == NULL)
		return (-1);
	it->done = done;
	it->token = token;
	it->id = ev->id;
	it->case_id = ev->case_id;
	if ((it->doc = json_loadb(ev->json, ev->json_len, 0, &jerr)) == NULL) {
		free(it);
		return (-1);
	}
	if (chat_severity(ev->severity) < cb->immediate) {
		TAILQ_INSERT_TAIL(&cb->held, it, entry);
		cb->nheld++;
		if (cb->nheld >= CHAT_HOLD) {
			if (cb->digest_timer != NULL)
				cb->api->timer_cancel(cb->digest_timer);
			cb->digest_timer = NULL;
		}
		if (cb->digest_timer == NULL &&
		    (cb->digest_timer = chat_timer(cb,
			 cb->nheld >= CHAT_HOLD ? 0 : cb->digest,
			 chat_flush)) == NULL) {
			/* Not held after all: the host tries it again. */
			TAILQ_REMOVE(&cb->held, it, entry);
			cb->nheld--;
			chat_item_free(it);
			return (-1);
		}
		return (0);
	}
	if ((m = chat_msg_new(cb)) == NULL) {
		chat_item_free(it);
		return (-1);
	}
	TAILQ_INSERT_TAIL(&m->items, it, entry);
	m->n = 1;
	TAILQ_INSERT_TAIL(&cb->queue, m, entry);
	/* From a timer: done is never called from within deliver. */
	if (cb->pace_timer == NULL && cb->busy == NULL)
		cb->pace_timer = chat_timer(cb, 0, chat_pump);
	return (0);
}

/*
 * next waits behind an event of its case held in the window: if next goes
 * at once, the window closes now, so that the case's order is kept.
 */
static void
chat_flush_for(void *instance, const struct delistd_event *next)
{
	struct chatbot *cb = instance;
	struct chat_item *it;

	if (cb->nheld == 0 || chat_severity(next->severity) < cb->immediate)
		return;
	TAILQ_FOREACH (it, &cb->held, entry) {
		if (it->case_id == next->case_id)
			break;
	}
	if (it == NULL)
		return;
	if (cb->digest_timer != NULL)
		cb->api->timer_cancel(cb->digest_timer);
	cb->digest_timer = chat_timer(cb, 0, chat_flush);
}

static void
chat_free(struct chatbot *cb)
{
	struct chat_item *it;
	struct chat_msg *m;
	int i;

	while ((it = TAILQ_FIRST(&cb->held)) != NULL) {
		TAILQ_REMOVE(&cb->held, it, entry);
		chat_item_free(it);
	}
	while ((m = TAILQ_FIRST(&cb->queue)) != NULL) {
		TAILQ_REMOVE(&cb->queue, m, entry);
		chat_msg_free(m);
	}
	if (cb->busy != NULL)
		chat_msg_free(cb->busy);
	if (cb->token != NULL)
		cb->api->secret_free(cb->token);
	if (cb->secret != NULL)
		cb->api->secret_free(cb->secret);
	for (i = 0; i < cb->nmentions; i++) {
		free(cb->m_user[i]);
		free(cb->m_id[i]);
	}
	free(cb->m_user);
	free(cb->m_id);
	free(cb->url);
	free(cb->ca_file);
	sink_lang_fini(&cb->lang);
	free(cb);
}

/* What is held or queued has no done: the host delivers it again. */
static void
chat_fini(void *instance)
{
	if (instance != NULL)
		chat_free(instance);
}

/* mentions = [ "user=id", ... ] */
static int
chat_conf_mentions(struct chatbot *cb, char **cause)
{
	const char *s, *eq;
	int n, i;

	if ((n = cb->api->conf_list_len(cb->host, "mentions")) <= 0)
		return (0);
	if (n > CHAT_MENTIONS_MAX)
		return (chat_cause(
		    cause, "mentions: at most %d", CHAT_MENTIONS_MAX));
	cb->m_user = calloc((size_t)n, sizeof *cb->m_user);
	cb->m_id = calloc((size_t)n, sizeof *cb->m_id);
	if (cb->m_user == NULL || cb->m_id == NULL)
		return (chat_cause(cause, "out of memory"));
	for (i = 0; i < n; i++) {
		s = cb->api->conf_list_string(cb->host, "mentions", i);
		if (s == NULL || (eq = strchr(s, '=')) == NULL || eq == s ||
		    eq[1] == '\0' || strpbrk(eq + 1, "<>\"\\ \n") != NULL)
			return (chat_cause(cause,
			    "mentions[%d]: expected \"USER=ID\" (a console "
			    "user, and the mobile number or user ID the "
			    "service knows)",
			    i));
		if ((cb->m_user[i] = strndup(s, (size_t)(eq - s))) == NULL ||
		    (cb->m_id[i] = strdup(eq + 1)) == NULL)
			return (chat_cause(cause, "out of memory"));
		cb->nmentions++;
	}
	return (0);
}

static int
chat_conf(struct chatbot *cb, char **cause)
{
	const char *s;
	int64_t v;
	size_t i;

	if (cb->api->conf_string(cb->host, "service", &s) == -1)
		return (chat_cause(cause,
		    "service is required: \"wecom\", \"dingtalk\" or "
		    "\"feishu\""));
	for (i = 0; i < nitems(chat_services); i++) {
		if (strcmp(s, chat_services[i].name) == 0)
			cb->svc = &chat_services[i];
	}
	if (cb->svc == NULL)
		return (chat_cause(cause,
		    "service: \"%.32s\" is not \"wecom\", \"dingtalk\" or "
		    "\"feishu\"",
		    s));
	s = cb->svc->url;
	if (cb->api->conf_string(cb->host, "url", &s) == 0 &&
	    strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return (chat_cause(cause, "url: expected http:// or https://"));
	if (strpbrk(s, "?# \t\r\n") != NULL)
		return (chat_cause(cause,
		    "url: the endpoint alone, without a query: the key or "
		    "token goes in token_file"));
	if ((cb->url = strdup(s)) == NULL)
		return (chat_cause(cause, "out of memory"));
	if ((cb->token = cb->api->secret(cb->host, "token_file", cause)) ==
	    NULL)
		return (-1);
	if (*cb->token == '\0' || strpbrk(cb->token, " \r\n") != NULL)
		return (chat_cause(cause,
		    "token_file: expected the robot's key, access token or "
		    "hook ID on one line"));
	if (cb->api->conf_string(cb->host, "secret_file", &s) == 0) {
		if (!cb->svc->signs)
			return (chat_cause(cause,
			    "secret_file: a %s robot signs nothing "
			    "(its key is its credential)",
			    cb->svc->name));
		if ((cb->secret = cb->api->secret(
			 cb->host, "secret_file", cause)) == NULL)
			return (-1);
		if (*cb->secret == '\0')
			return (chat_cause(cause, "secret_file is empty"));
	}
	cb->digest = CHAT_DIGEST;
	if (cb->api->conf_duration(cb->host, "digest", &cb->digest) == 0 &&
	    (cb->digest < 1 || cb->digest > CHAT_DIGEST_MAX))
		return (chat_cause(cause,
		    "digest: %" PRId64 "s is out of range (1s to 30m)",
		    cb->digest));
	cb->immediate = 2;
	if (cb->api->conf_string(cb->host, "immediate_severity", &s) == 0 &&
	    (cb->immediate = chat_severity(s)) == -1)
		return (chat_cause(cause,
		    "immediate_severity: expected \"info\", \"warning\" or "
		    "\"critical\""));
	cb->per_minute = cb->svc->per_minute;
	if (cb->api->conf_int(cb->host, "rate_per_minute", &v) == 0) {
		if (v < 1 || v > cb->svc->per_minute)
			return (chat_cause(cause,
			    "rate_per_minute: %" PRId64 " is out of range (1 "
			    "to %d, the %s robot's limit)",
			    v, cb->svc->per_minute, cb->svc->name));
		cb->per_minute = (int)v;
	}
	if (cb->api->conf_string(cb->host, "ca_file", &s) == 0 &&
	    (cb->ca_file = strdup(s)) == NULL)
		return (chat_cause(cause, "out of memory"));
	if (sink_lang_init(
		&cb->lang, cb->host, cb->api, "chat messages", cause) == -1)
		return (-1);
	return (chat_conf_mentions(cb, cause));
}

static int
chat_init(struct delistd_host *host, const struct delistd_host_api *api,
    void **instance, char **cause)
{
	struct chatbot *cb;

	*instance = NULL;
	if (api->version < 3 || api->http == NULL)
		return (chat_cause(cause,
		    "the daemon's host services (version %u) lack what the "
		    "chatbot module needs (version 3)",
		    api->version));
	if (api->conf_keys(host, chat_keys, cause) == -1)
		return (-1);
	if ((cb = calloc(1, sizeof *cb)) == NULL)
		return (chat_cause(cause, "out of memory"));
	cb->host = host;
	cb->api = api;
	TAILQ_INIT(&cb->held);
	TAILQ_INIT(&cb->queue);
	if (chat_conf(cb, cause) == -1) {
		chat_free(cb);
		return (-1);
	}
	api->log(host, DELISTD_LOG_DEBUG,
	    "%s robot%s, %d messages a minute, digest %" PRId64 "s, %d "
	    "mention%s",
	    cb->svc->name, cb->secret != NULL ? " (signed)" : "",
	    cb->per_minute, cb->digest, cb->nmentions,
	    cb->nmentions == 1 ? "" : "s");
	*instance = cb;
	return (0);
}

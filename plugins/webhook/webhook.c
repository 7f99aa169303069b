/* SPDX-License-Identifier: ISC */
/*
 * webhook.c: the webhook sink. Each event is POSTed as its JSON document to
 * a configured URL, for an ERP or an ad system, with the delivery's
 * idempotency key, the event type, an HMAC-SHA256 signature of the exact
 * body when a secret is configured, and any extra headers the receiver
 * needs (a token header, say). The answer decides the result: 2xx is
 * delivered; 408, 429, 5xx, timeouts and transport errors are retried
 * (honouring Retry-After); any other status is a permanent failure.
 *
 * It talks to the daemon only through include/delistd/plugin.h: HTTP goes
 * through the host's asynchronous client, so nothing here blocks. It must
 * never put the secret, a signature or an extra header's value into a log
 * line or an error string, and never call done from within deliver.
 *
 * Retry-After is read in both of its forms: delay-seconds, and an HTTP-date
 * (IMF-fixdate, or the obsolete RFC 850 and asctime forms) taken relative
 * to the host's clock.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strptime, timegm, vasprintf out of tree too */
#endif

#include <sys/queue.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <delistd/plugin.h>

#include "core.h"

#define WEBHOOK_VERSION "0.1.0"
#define WEBHOOK_TIMEOUT 10 /* seconds, when timeout is not set */
#define WEBHOOK_TIMEOUT_MAX 300 /* seconds */
#define WEBHOOK_CONNECT_TIMEOUT 10 /* seconds, at most the timeout */
#define WEBHOOK_HEADERS_MAX 32 /* extra headers */
#define WEBHOOK_RETRY_AFTER_MAX 604800 /* a week */
#define WEBHOOK_OWN_HEADERS 5 /* the ones deliver always sets */

struct webhook;

/* One POST in flight; owned by the instance's list until its answer. */
struct webhook_delivery {
	struct webhook *wh;
	delistd_deliver_done done;
	void *token;
	int64_t event_id;
	char *body;
	size_t body_len;
	char *own[WEBHOOK_OWN_HEADERS];
	const char **headers;
	TAILQ_ENTRY(webhook_delivery) entry;
};
TAILQ_HEAD(webhook_deliveries, webhook_delivery);

struct webhook {
	struct delistd_host *host;
	const struct delistd_host_api *api;
	/* Copies: the host's strings need not outlive a reload. */
	char *url;
	char *ca_file; /* may be NULL */
	char *where; /* scheme://host[:port] of url, for the log */
	char *secret; /* from secret_file; may be NULL */
	size_t secret_len;
	char **extra; /* "Name: value" */
	int nextra;
	int64_t timeout; /* seconds */
	int failing; /* the last answer was not a success */
	struct webhook_deliveries deliveries;
};

static int webhook_init(
    struct delistd_host *, const struct delistd_host_api *, void **, char **);
static void webhook_fini(void *);
static int webhook_deliver(
    void *, const struct delistd_event *, delistd_deliver_done, void *);

static void webhook_free(struct webhook *);
static int webhook_conf_present(struct webhook *, const char *);
static int webhook_conf_url(struct webhook *, char **);
static int webhook_conf_headers(struct webhook *, char **);
static int webhook_conf_timeout(struct webhook *, char **);
static int webhook_conf_secret(struct webhook *, char **);
static int webhook_header_name_ok(const char *, size_t);
static int webhook_header_value_ok(const char *);
static int webhook_sign(struct webhook *, const void *, size_t, char *, size_t);
static void webhook_answer(const struct delistd_http_response *, void *);
static int64_t
webhook_retry_after(struct webhook *, const struct delistd_http_response *);
static void webhook_delivery_free(struct webhook_delivery *);

const struct delistd_plugin delistd_plugin = {
	.abi = DELISTD_PLUGIN_ABI,
	.name = "webhook",
	.version = WEBHOOK_VERSION,
	.roles = DELISTD_ROLE_SINK,
	.init = webhook_init,
	.fini = webhook_fini,
	.deliver = webhook_deliver,
};

static const char *const webhook_keys[] = { "url", "secret_file", "headers",
	"timeout", "ca_file", NULL };

/* Headers deliver sets itself, or that belong to the transfer. */
static const char *const webhook_reserved[] = { "Content-Type",
	"Content-Length", "Transfer-Encoding", "Host", "Connection",
	"Idempotency-Key", "X-Delistd-Event", "X-Delistd-Signature",
	"User-Agent", "Expect" };

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static int
webhook_init(struct delistd_host *host, const struct delistd_host_api *api,
    void **instance, char **cause)
{
	struct webhook *wh;
	const char *s;

	*instance = NULL;
	if (api->version < DELISTD_HOST_API_VERSION ||
	    api->size < offsetof(struct delistd_host_api, reserved) ||
	    api->http == NULL || api->http_header == NULL)
		return (cause_fail(cause,
		    "the daemon's host services (version %u) lack what the "
		    "webhook module needs (version %d)",
		    api->version, DELISTD_HOST_API_VERSION));
	if (api->conf_keys(host, webhook_keys, cause) == -1)
		return (-1);

	if ((wh = calloc(1, sizeof *wh)) == NULL)
		return (cause_fail(cause, "out of memory"));
	wh->host = host;
	wh->api = api;
	TAILQ_INIT(&wh->deliveries);

	if (webhook_conf_url(wh, cause) == -1 ||
	    webhook_conf_headers(wh, cause) == -1 ||
	    webhook_conf_timeout(wh, cause) == -1 ||
	    webhook_conf_secret(wh, cause) == -1) {
		webhook_free(wh);
		return (-1);
	}
	if (api->conf_string(host, "ca_file", &s) == 0) {
		if (s[0] != '/') {
			webhook_free(wh);
			return (cause_fail(
			    cause, "ca_file: give an absolute path"));
		}
		if ((wh->ca_file = strdup(s)) == NULL) {
			webhook_free(wh);
			return (cause_fail(cause, "out of memory"));
		}
	}

	api->log(host, DELISTD_LOG_DEBUG,
	    "webhook to %s, timeout %" PRId64 "s, %s, %d extra header%s",
	    wh->where, wh->timeout, wh->secret != NULL ? "signed" : "unsigned",
	    wh->nextra, wh->nextra == 1 ? "" : "s");
	*instance = wh;
	return (0);
}

/* Whether a key is in the block at all, whatever its type. */
static int
webhook_conf_present(struct webhook *wh, const char *key)
{
	const char *s;
	int64_t i;
	int b;

	return (wh->api->conf_string(wh->host, key, &s) == 0 ||
	    wh->api->conf_int(wh->host, key, &i) == 0 ||
	    wh->api->conf_bool(wh->host, key, &b) == 0 ||
	    wh->api->conf_list_len(wh->host, key) != -1);
}

/*
 * url: required, http:// or https://, a host, no spaces or controls. It may
 * carry credentials or a token, so causes and the log show only
 * scheme://host[:port].
 */
static int
webhook_conf_url(struct webhook *wh, char **cause)
{
	const char *url, *rest, *at;
	const unsigned char *p;
	size_t schemelen, len;

	if (wh->api->conf_string(wh->host, "url", &url) == -1) {
		if (webhook_conf_present(wh, "url"))
			return (cause_fail(cause,
			    "url: expected a string like "
			    "\"https://erp.example/hook\""));
		return (cause_fail(cause,
		    "url is required: a string like "
		    "\"https://erp.example/hook\""));
	}
	if (strncasecmp(url, "http://", 7) == 0)
		schemelen = 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		schemelen = 8;
	else
		return (cause_fail(cause, "url: expected http:// or https://"));
	for (p = (const unsigned char *)url; *p != '\0'; p++) {
		if (*p <= ' ' || *p == 0x7f)
			return (cause_fail(cause,
			    "url: spaces and control characters are not "
			    "allowed (percent-encode them)"));
	}
	rest = url + schemelen;
	len = strcspn(rest, "/?#");
	if ((at = memrchr(rest, '@', len)) != NULL) {
		len -= at + 1 - rest;
		rest = at + 1;
	}
	if (len == 0 || *rest == ':')
		return (cause_fail(cause, "url: no host"));
	if (asprintf(&wh->where, "%.*s%.*s", (int)schemelen, url, (int)len,
		rest) == -1) {
		wh->where = NULL;
		return (cause_fail(cause, "out of memory"));
	}
	if ((wh->url = strdup(url)) == NULL)
		return (cause_fail(cause, "out of memory"));
	return (0);
}

/*
 * headers: a list of "Name: value" strings. A value is never repeated in a
 * cause: it may well be a token.
 */
static int
webhook_conf_headers(struct webhook *wh, char **cause)
{
	const char *h, *colon;
	size_t len, i;
	int n, j, k;

	n = wh->api->conf_list_len(wh->host, "headers");
	if (n == -1) {
		if (webhook_conf_present(wh, "headers"))
			return (cause_fail(cause,
			    "headers: expected a list of strings: headers = "
			    "[ \"X-Token: ...\" ]"));
		return (0);
	}
	if (n > WEBHOOK_HEADERS_MAX)
		return (cause_fail(
		    cause, "headers: at most %d", WEBHOOK_HEADERS_MAX));
	if (n == 0)
		return (0);
	if ((wh->extra = calloc(n, sizeof *wh->extra)) == NULL)
		return (cause_fail(cause, "out of memory"));
	for (j = 0; j < n; j++) {
		h = wh->api->conf_list_string(wh->host, "headers", j);
		if (h == NULL)
			return (cause_fail(cause,
			    "headers[%d]: expected a string \"Name: value\"",
			    j));
		if ((colon = strchr(h, ':')) == NULL)
			return (cause_fail(
			    cause, "headers[%d]: expected \"Name: value\"", j));
		len = colon - h;
		if (!webhook_header_name_ok(h, len))
			return (cause_fail(cause,
			    "headers[%d]: \"%.*s\" is not a header name", j,
			    (int)(len > 64 ? 64 : len), h));
		if (colon[strspn(colon + 1, " \t") + 1] == '\0')
			return (cause_fail(cause,
			    "headers[%d]: the value of %.*s is empty", j,
			    (int)len, h));
		if (!webhook_header_value_ok(colon + 1))
			return (cause_fail(cause,
			    "headers[%d]: the value of %.*s contains a line "
			    "break or another control character",
			    j, (int)len, h));
		for (i = 0; i < nitems(webhook_reserved); i++) {
			if (strlen(webhook_reserved[i]) == len &&
			    strncasecmp(webhook_reserved[i], h, len) == 0)
				return (cause_fail(cause,
				    "headers[%d]: %.*s is set by the webhook "
				    "itself",
				    j, (int)len, h));
		}
		for (k = 0; k < j; k++) {
			if (strncasecmp(wh->extra[k], h, len + 1) == 0)
				return (cause_fail(cause,
				    "headers[%d]: %.*s is given twice", j,
				    (int)len, h));
		}
		if ((wh->extra[wh->nextra] = strdup(h)) == NULL)
			return (cause_fail(cause, "out of memory"));
		wh->nextra++;
	}
	return (0);
}

/* An RFC 9110 token. */
static int
webhook_header_name_ok(const char *name, size_t len)
{
	size_t i;

	if (len == 0)
		return (0);
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)name[i]) &&
		    strchr("!#$%&'*+-.^_`|~", name[i]) == NULL)
			return (0);
	}
	return (1);
}

/* No CR, LF or other control character (tab is allowed). */
static int
webhook_header_value_ok(const char *value)
{
	const unsigned char *p;

	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if ((*p < ' ' && *p != '\t') || *p == 0x7f)
			return (0);
	}
	return (1);
}

static int
webhook_conf_timeout(struct webhook *wh, char **cause)
{
	wh->timeout = WEBHOOK_TIMEOUT;
	if (wh->api->conf_duration(wh->host, "timeout", &wh->timeout) == -1) {
		wh->timeout = WEBHOOK_TIMEOUT;
		/* Present but not a duration: conf_duration says only -1. */
		if (webhook_conf_present(wh, "timeout"))
			return (cause_fail(cause,
			    "timeout: expected a duration like \"10s\""));
		return (0);
	}
	if (wh->timeout < 1 || wh->timeout > WEBHOOK_TIMEOUT_MAX)
		return (cause_fail(cause,
		    "timeout: %" PRId64 "s is out of range (1s to %ds)",
		    wh->timeout, WEBHOOK_TIMEOUT_MAX));
	return (0);
}

static int
webhook_conf_secret(struct webhook *wh, char **cause)
{
	const char *path;

	if (wh->api->conf_string(wh->host, "secret_file", &path) == -1)
		return (0);
	if ((wh->secret = wh->api->secret(wh->host, "secret_file", cause)) ==
	    NULL)
		return (-1);
	wh->secret_len = strlen(wh->secret);
	if (wh->secret_len == 0)
		return (cause_fail(cause, "secret_file %s is empty", path));
	return (0);
}

static void
webhook_free(struct webhook *wh)
{
	struct webhook_delivery *d;
	int i;

	while ((d = TAILQ_FIRST(&wh->deliveries)) != NULL)
		webhook_delivery_free(d);
	if (wh->secret != NULL)
		wh->api->secret_free(wh->secret);
	/* An extra header may well carry a token. */
	for (i = 0; i < wh->nextra; i++) {
		OPENSSL_cleanse(wh->extra[i], strlen(wh->extra[i]));
		free(wh->extra[i]);
	}
	free(wh->extra);
	free(wh->url);
	free(wh->ca_file);
	free(wh->where);
	free(wh);
}

/*
 * The host has cancelled the instance's requests, so no answer comes for
 * the deliveries still listed: the host retries them later.
 */
static void
webhook_fini(void *instance)
{
	struct webhook *wh = instance;

	if (wh != NULL)
		webhook_free(wh);
}

static void
webhook_delivery_free(struct webhook_delivery *d)
{
	size_t i;

	TAILQ_REMOVE(&d->wh->deliveries, d, entry);
	for (i = 0; i < nitems(d->own); i++)
		free(d->own[i]);
	free(d->headers);
	free(d->body);
	free(d);
}

/* Lower-case hex HMAC-SHA256 of the body into out (65 bytes at least). */
static int
webhook_sign(
    struct webhook *wh, const void *body, size_t len, char *out, size_t outlen)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0, i;

	if (outlen < 65 ||
	    HMAC(EVP_sha256(), wh->secret, (int)wh->secret_len, body, len, mac,
		&maclen) == NULL ||
	    maclen != 32)
		return (-1);
	for (i = 0; i < maclen; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
	OPENSSL_cleanse(mac, sizeof mac);
	return (0);
}

static int
webhook_deliver(void *instance, const struct delistd_event *ev,
    delistd_deliver_done done, void *token)
{
	struct webhook *wh = instance;
	struct webhook_delivery *d;
	struct delistd_http_request req;
	char sig[65];
	int i, n = 0;

	if (!webhook_header_value_ok(ev->key) ||
	    !webhook_header_value_ok(ev->type)) {
		wh->api->log(wh->host, DELISTD_LOG_ERROR,
		    "event %" PRId64 ": key or type unfit for a header",
		    ev->id);
		return (-1);
	}
	if ((d = calloc(1, sizeof *d)) == NULL)
		return (-1);
	d->wh = wh;
	d->done = done;
	d->token = token;
	d->event_id = ev->id;
	TAILQ_INSERT_TAIL(&wh->deliveries, d, entry);

	/* The event's strings die with this call: keep copies until cb. */
	d->body_len = ev->json_len;
	if ((d->body = malloc(ev->json_len + 1)) == NULL)
		goto fail;
	memcpy(d->body, ev->json, ev->json_len);
	d->body[ev->json_len] = '\0';

	if (asprintf(&d->own[n++], "Content-Type: application/json") == -1 ||
	    asprintf(&d->own[n++], "Idempotency-Key: %s", ev->key) == -1 ||
	    asprintf(&d->own[n++], "X-Delistd-Event: %s", ev->type) == -1 ||
	    asprintf(&d->own[n++], "User-Agent: delistd/%s",
		wh->api->daemon_version) == -1) {
		d->own[n - 1] = NULL;
		goto fail;
	}
	if (wh->secret != NULL) {
		if (webhook_sign(wh, d->body, d->body_len, sig, sizeof sig) ==
		    -1) {
			wh->api->log(wh->host, DELISTD_LOG_ERROR,
			    "event %" PRId64 ": cannot sign the body", ev->id);
			goto fail;
		}
		if (asprintf(&d->own[n++], "X-Delistd-Signature: sha256=%s",
			sig) == -1) {
			d->own[n - 1] = NULL;
			goto fail;
		}
	}

	if ((d->headers = calloc(n + wh->nextra + 1, sizeof *d->headers)) ==
	    NULL)
		goto fail;
	for (i = 0; i < n; i++)
		d->headers[i] = d->own[i];
	for (i = 0; i < wh->nextra; i++)
		d->headers[n + i] = wh->extra[i];

	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = wh->url;
	req.headers = d->headers;
	req.body = d->body;
	req.body_len = d->body_len;
	req.timeout_ms = wh->timeout * 1000;
	req.connect_timeout_ms =
	    (wh->timeout < WEBHOOK_CONNECT_TIMEOUT ? wh->timeout
						   : WEBHOOK_CONNECT_TIMEOUT) *
	    1000;
	req.ca_file = wh->ca_file;
	if (wh->api->http(wh->host, &req, webhook_answer, d) == -1) {
		wh->api->log(wh->host, DELISTD_LOG_WARNING,
		    "event %" PRId64 ": the HTTP request could not be started",
		    ev->id);
		goto fail;
	}
	OPENSSL_cleanse(sig, sizeof sig);
	return (0);

fail:
	OPENSSL_cleanse(sig, sizeof sig);
	webhook_delivery_free(d);
	return (-1);
}

/*
 * Retry-After in seconds: delay-seconds, or an HTTP-date against the host's
 * clock. 0 (the host's own backoff) when absent, unreadable or past.
 */
static int64_t
webhook_retry_after(
    struct webhook *wh, const struct delistd_http_response *resp)
{
	static const char *const formats[] = { "%a, %d %b %Y %H:%M:%S GMT",
		"%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y" };
	const char *v, *end;
	char *ep;
	struct tm tm;
	unsigned long long secs;
	int64_t delay = 0;
	time_t t;
	size_t i;

	if ((v = wh->api->http_header(resp, "Retry-After")) == NULL)
		return (0);
	while (*v == ' ' || *v == '\t')
		v++;
	if (isdigit((unsigned char)*v)) {
		errno = 0;
		secs = strtoull(v, &ep, 10);
		while (*ep == ' ' || *ep == '\t')
			ep++;
		if (*ep != '\0')
			return (0);
		if (errno == ERANGE || secs > WEBHOOK_RETRY_AFTER_MAX)
			return (WEBHOOK_RETRY_AFTER_MAX);
		return ((int64_t)secs);
	}
	for (i = 0; i < nitems(formats); i++) {
		memset(&tm, 0, sizeof tm);
		end = strptime(v, formats[i], &tm);
		if (end == NULL)
			continue;
		while (*end == ' ' || *end == '\t')
			end++;
		if (*end != '\0')
			continue;
		if ((t = timegm(&tm)) == (time_t)-1)
			return (0);
		delay = (int64_t)t - wh->api->now(wh->host);
		break;
	}
	if (delay <= 0)
		return (0);
	return (
	    delay > WEBHOOK_RETRY_AFTER_MAX ? WEBHOOK_RETRY_AFTER_MAX : delay);
}

/*
 * The answer to one POST. The delivery is freed before done is called:
 * done may finalise the instance (a reload), so nothing here touches wh
 * afterwards.
 */
static void
webhook_answer(const struct delistd_http_response *resp, void *arg)
{
	struct webhook_delivery *d = arg;
	struct webhook *wh = d->wh;
	delistd_deliver_done done = d->done;
	void *token = d->token;
	enum delistd_result result;
	int64_t retry_after = 0, id = d->event_id;
	char error[256];
	const char *text;
	long st;

	webhook_delivery_free(d);
	error[0] = '\0';
	if (resp->error != 0) {
		result = DELISTD_RETRY;
		if (resp->timed_out)
			snprintf(error, sizeof error,
			    "timeout after %" PRId64 "s", wh->timeout);
		else {
			text = resp->error_text;
			if (text == NULL || *text == '\0')
				text = "transport error";
			snprintf(error, sizeof error, "%s", text);
		}
	} else {
		st = resp->status;
		if (st >= 200 && st <= 299)
			result = DELISTD_DELIVERED;
		else if (st == 408 || st == 429 || (st >= 500 && st <= 599)) {
			result = DELISTD_RETRY;
			retry_after = webhook_retry_after(wh, resp);
		} else
			result = DELISTD_FAILED;
		if (result != DELISTD_DELIVERED && retry_after > 0)
			snprintf(error, sizeof error,
			    "HTTP %ld (Retry-After %" PRId64 "s)", st,
			    retry_after);
		else if (result != DELISTD_DELIVERED)
			snprintf(error, sizeof error, "HTTP %ld%s", st,
			    st >= 300 && st <= 399
				? " (redirects are not followed)"
				: "");
	}

	if (result == DELISTD_DELIVERED) {
		wh->api->log(wh->host, DELISTD_LOG_DEBUG,
		    "event %" PRId64 ": HTTP %ld", id, resp->status);
		if (wh->failing)
			wh->api->log(wh->host, DELISTD_LOG_NOTICE,
			    "%s answers again", wh->where);
		wh->failing = 0;
	} else {
		wh->api->log(wh->host, DELISTD_LOG_DEBUG,
		    "event %" PRId64 ": %s", id, error);
		if (!wh->failing)
			wh->api->log(wh->host, DELISTD_LOG_WARNING,
			    "%s is failing: %s", wh->where, error);
		wh->failing = 1;
	}
	done(token, result, retry_after, error[0] != '\0' ? error : NULL);
}

/* SPDX-License-Identifier: ISC */
/*
 * http.c: the asynchronous HTTP(S) client the host offers plugins.
 *
 * One libcurl multi handle driven by the daemon's libevent loop through
 * CURLMOPT_SOCKETFUNCTION and CURLMOPT_TIMERFUNCTION (the pattern of curl's
 * hiperfifo example), so connections are reused and nothing waits. Every
 * transfer gets a connect timeout and an overall timeout, TLS verification,
 * http and https only, no redirects, and caps on the size of the response.
 * SMTP(S) requests (http_start_smtp) share the handle, the cap and the
 * queue: they allow smtp and smtps only and upload one message.
 * At most max_in_flight transfers run at once; the others wait in a FIFO
 * queue. A request's callback runs exactly once and always from the loop,
 * never from within http_start, unless its owner is cancelled first (then
 * never). This file must not block (no curl_easy_perform), must not call
 * libcurl from libcurl's own callbacks, and must not log URLs or bodies,
 * which may carry secrets.
 */

#include "config.h"

#include <sys/queue.h>
#include <sys/time.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "delistd.h"
#include "host.h"

#define HTTP_CONNECT_TIMEOUT_MS 10000L
#define HTTP_TIMEOUT_MS 30000L
#define HTTP_MAX_IN_FLIGHT 32L
#define HTTP_MAX_HOST_CONNECTIONS 64L
#define HTTP_BODY_MAX ((size_t)8 * 1024 * 1024)
#define HTTP_HEADERS_MAX ((size_t)64 * 1024)
#define HTTP_METHOD_MAX 32
/*
 * Finished easy handles kept for the next transfers: as many as a source
 * may have in flight, so that a second's checks at a high rate do not
 * each build a handle anew (about 4,000 instructions a check at rate 80
 * with 16 kept); about 6 KiB each.
 */
#define HTTP_SPARE CONFIG_MAX_IN_FLIGHT
#define HTTP_USER_AGENT DELISTD_NAME "/" PACKAGE_VERSION

enum http_state {
	HTTP_QUEUED, /* waiting for a slot under the cap */
	HTTP_RUNNING, /* in the multi handle */
	HTTP_DONE, /* finished; its callback is still to be called */
};

struct http_req {
	void *owner;
	delistd_http_cb cb;
	delistd_smtp_cb smtp_cb; /* set for an SMTP request instead of cb */
	void *arg;
	enum http_state state;

	CURL *easy;
	struct curl_slist *slist;
	CURLcode result;
	const char *fail; /* our own reason, preferred to curl's */
	char errbuf[CURL_ERROR_SIZE];

	char *body;
	size_t body_len;
	size_t body_size;
	int body_too_big;

	/* The headers as "name\0value\0" pairs in one buffer. */
	char *hbuf;
	size_t hlen;
	size_t hsize;
	size_t nheaders;
	size_t headers_bytes;
	int headers_too_big;

	/* SMTP: the message to upload, and the envelope recipients. */
	char *upload;
	size_t upload_len;
	size_t upload_off;
	struct curl_slist *rcpt;

	TAILQ_ENTRY(http_req) entry;
};
TAILQ_HEAD(http_reqs, http_req);

/* One socket libcurl asked us to watch. */
struct http_sock {
	curl_socket_t fd;
	struct event *ev;
	TAILQ_ENTRY(http_sock) entry;
};
TAILQ_HEAD(http_socks, http_sock);

static struct event_base *http_base;
static CURLM *http_multi;
static struct event *http_timer_ev; /* libcurl's timeout */
static struct event *http_deliver_ev; /* calls back what failed early */
static long http_cap;
static struct http_reqs http_queue = TAILQ_HEAD_INITIALIZER(http_queue);
static struct http_reqs http_running = TAILQ_HEAD_INITIALIZER(http_running);
static struct http_reqs http_done = TAILQ_HEAD_INITIALIZER(http_done);
static struct http_socks http_socks = TAILQ_HEAD_INITIALIZER(http_socks);
static size_t http_nqueued;
static size_t http_nrunning;
static size_t http_ndone;
static struct http_stats http_stats;
static CURL *http_spare[HTTP_SPARE];
static char *http_url_ok[2]; /* the last URL found good, http and smtp */
static size_t http_nspare;

static void http_cancel(void *, int);
static int http_check(const struct delistd_http_request *, char **);
static int http_check_method(const char *);
static int http_check_url(const char *, int, char **);
static int http_check_smtp(const struct delistd_smtp_request *, char **);
static int http_setup_smtp(
    struct http_req *, const struct delistd_smtp_request *, char **);
static void http_enqueue(struct http_req *);
static void http_deliver_smtp(struct http_req *);
static size_t http_read_cb(char *, size_t, size_t, void *);
static int
http_setup(struct http_req *, const struct delistd_http_request *, char **);
static void http_launch(struct http_req *);
static void http_promote(void);
static void http_unlink(struct http_req *);
static void http_finish(struct http_req *, CURLcode, const char *);
static void http_check_done(void);
static void http_deliver(void);
static const char *http_error_text(struct http_req *);
static void http_free(struct http_req *);
static void http_clear_headers(struct http_req *);
static void http_kick(void);
static void http_deliver_cb(evutil_socket_t, short, void *);
static void http_event_cb(evutil_socket_t, short, void *);
static void http_timeout_cb(evutil_socket_t, short, void *);
static void http_sock_free(struct http_sock *);
static int http_socket_cb(CURL *, curl_socket_t, int, void *, void *);
static int http_timer_cb(CURLM *, long, void *);
static size_t http_write_cb(char *, size_t, size_t, void *);
static size_t http_header_cb(char *, size_t, size_t, void *);

int
http_init(struct event_base *base, long max_in_flight, char **cause)
{
	curl_version_info_data *info;
	CURLcode rc;

	if (http_multi != NULL) {
		log_cause(cause, "http: already initialised");
		return (-1);
	}
	if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		log_cause(cause, "http: curl_global_init: %s",
		    curl_easy_strerror(rc));
		return (-1);
	}
	if ((http_multi = curl_multi_init()) == NULL) {
		curl_global_cleanup();
		log_cause(cause, "http: curl_multi_init failed");
		return (-1);
	}
	http_base = base;
	http_cap = max_in_flight > 0 ? max_in_flight : HTTP_MAX_IN_FLIGHT;

	curl_multi_setopt(http_multi, CURLMOPT_SOCKETFUNCTION, http_socket_cb);
	curl_multi_setopt(http_multi, CURLMOPT_SOCKETDATA, NULL);
	curl_multi_setopt(http_multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
	curl_multi_setopt(http_multi, CURLMOPT_TIMERDATA, NULL);
	/* Beyond this, libcurl holds a transfer back (its timeout runs). */
	/* Keep idle connections for reuse beyond libcurl's 4 x running. */
	curl_multi_setopt(http_multi, CURLMOPT_MAXCONNECTS, http_cap);
	curl_multi_setopt(http_multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    http_cap < HTTP_MAX_HOST_CONNECTIONS ? http_cap
						 : HTTP_MAX_HOST_CONNECTIONS);

	http_timer_ev = evtimer_new(base, http_timeout_cb, NULL);
	http_deliver_ev = evtimer_new(base, http_deliver_cb, NULL);
	if (http_timer_ev == NULL || http_deliver_ev == NULL)
		fatalx("http: evtimer_new failed");

	TAILQ_INIT(&http_queue);
	TAILQ_INIT(&http_running);
	TAILQ_INIT(&http_done);
	TAILQ_INIT(&http_socks);
	http_nqueued = http_nrunning = http_ndone = 0;
	memset(&http_stats, 0, sizeof http_stats);
	info = curl_version_info(CURLVERSION_NOW);
	if (!(info->features & CURL_VERSION_ASYNCHDNS))
		log_warnx("http: libcurl %s resolves names synchronously: "
			  "a slow DNS server will stall the daemon",
		    info->version);
	log_debug(
	    "http: libcurl %s, at most %ld in flight", info->version, http_cap);
	return (0);
}

/* Cancels everything (no callback is called) and frees the multi handle. */
void
http_shutdown(void)
{
	struct http_sock *s;

	if (http_multi == NULL)
		return;
	http_cancel(NULL, 1);
	while (http_nspare > 0)
		curl_easy_cleanup(http_spare[--http_nspare]);
	curl_multi_cleanup(http_multi);
	while ((s = TAILQ_FIRST(&http_socks)) != NULL)
		http_sock_free(s);
	event_free(http_timer_ev);
	event_free(http_deliver_ev);
	http_timer_ev = http_deliver_ev = NULL;
	free(http_url_ok[0]);
	free(http_url_ok[1]);
	http_url_ok[0] = http_url_ok[1] = NULL;
	http_multi = NULL;
	http_base = NULL;
	curl_global_cleanup();
}

/*
 * An easy handle for a transfer: a finished one reset (curl_easy_reset
 * forgets every option, keeps its buffers), which costs far less than a
 * new one on the source scheduler's path.
 */
static CURL *
http_easy_get(void)
{
	if (http_nspare > 0)
		return (http_spare[--http_nspare]);
	return (curl_easy_init());
}

/* A finished transfer's handle, already out of the multi handle. */
static void
http_easy_put(CURL *e)
{
	if (e == NULL)
		return;
	if (http_nspare < HTTP_SPARE) {
		curl_easy_reset(e);
		http_spare[http_nspare++] = e;
	} else
		curl_easy_cleanup(e);
}

int
http_start(void *owner, const struct delistd_http_request *hr,
    delistd_http_cb cb, void *arg, char **cause)
{
	struct http_req *req;

	if (http_multi == NULL) {
		log_cause(cause, "http: not initialised");
		return (-1);
	}
	if (hr == NULL || cb == NULL) {
		log_cause(cause, "http: no request or no callback");
		return (-1);
	}
	if (http_check(hr, cause) != 0)
		return (-1);

	req = xcalloc(1, sizeof *req);
	req->owner = owner;
	req->cb = cb;
	req->arg = arg;
	if (http_setup(req, hr, cause) != 0) {
		http_free(req);
		return (-1);
	}
	http_enqueue(req);
	return (0);
}

/* An SMTP transfer: the same handle, cap and queue as HTTP. */
int
http_start_smtp(void *owner, const struct delistd_smtp_request *sr,
    delistd_smtp_cb cb, void *arg, char **cause)
{
	struct http_req *req;

	if (http_multi == NULL) {
		log_cause(cause, "smtp: not initialised");
		return (-1);
	}
	if (sr == NULL || cb == NULL) {
		log_cause(cause, "smtp: no request or no callback");
		return (-1);
	}
	if (http_check_smtp(sr, cause) != 0)
		return (-1);

	req = xcalloc(1, sizeof *req);
	req->owner = owner;
	req->smtp_cb = cb;
	req->arg = arg;
	if (http_setup_smtp(req, sr, cause) != 0) {
		http_free(req);
		return (-1);
	}
	http_enqueue(req);
	return (0);
}

/* Starts req now if there is a free slot, else queues it. */
static void
http_enqueue(struct http_req *req)
{
	http_stats.started++;
	if (TAILQ_EMPTY(&http_queue) && http_nrunning < (size_t)http_cap)
		http_launch(req);
	else {
		req->state = HTTP_QUEUED;
		TAILQ_INSERT_TAIL(&http_queue, req, entry);
		http_nqueued++;
	}
}

/* Drops every request of owner; their callbacks are never called. */
void
http_cancel_owner(void *owner)
{
	if (http_multi == NULL)
		return;
	http_cancel(owner, 0);
	http_promote();
}

const char *
http_response_header(const struct delistd_http_response *resp, const char *name)
{
	const struct http_req *req;
	const char *h, *v;
	size_t i;

	if (resp == NULL || name == NULL || resp->host_private == NULL)
		return (NULL);
	req = resp->host_private;
	for (i = 0, h = req->hbuf; i < req->nheaders; i++) {
		v = h + strlen(h) + 1;
		if (strcasecmp(h, name) == 0)
			return (v);
		h = v + strlen(v) + 1;
	}
	return (NULL);
}

void
http_get_stats(struct http_stats *st)
{
	*st = http_stats;
	st->in_flight = http_nrunning;
	st->queued = http_nqueued;
}

/* Frees owner's requests, or everyone's; no callback is called. */
static void
http_cancel(void *owner, int all)
{
	struct http_reqs *lists[] = { &http_queue, &http_running, &http_done };
	struct http_req *req, *next;
	size_t i;

	for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		for (req = TAILQ_FIRST(lists[i]); req != NULL; req = next) {
			next = TAILQ_NEXT(req, entry);
			if (!all && req->owner != owner)
				continue;
			http_unlink(req);
			http_free(req);
		}
	}
}

/* Refuses what libcurl would misread: a bad method, URL or header. */
static int
http_check(const struct delistd_http_request *hr, char **cause)
{
	const char *const *h;

	if (hr->method == NULL || !http_check_method(hr->method)) {
		log_cause(cause, "http: bad method");
		return (-1);
	}
	if (http_check_url(hr->url, 0, cause) != 0)
		return (-1);
	for (h = hr->headers; h != NULL && *h != NULL; h++) {
		if (**h == '\0' || strpbrk(*h, "\r\n") != NULL ||
		    strpbrk(*h, ":;") == NULL) {
			/* Only the name: the value may be a token. */
			log_cause(cause, "http: bad header \"%.*s\"",
			    (int)strcspn(*h, ":"), *h);
			return (-1);
		}
	}
	if (hr->body == NULL && hr->body_len != 0) {
		log_cause(cause, "http: body_len without a body");
		return (-1);
	}
	if (hr->body != NULL && strcasecmp(hr->method, "HEAD") == 0) {
		log_cause(cause, "http: HEAD with a body");
		return (-1);
	}
	if (hr->connect_timeout_ms < 0 || hr->timeout_ms < 0) {
		log_cause(cause, "http: negative timeout");
		return (-1);
	}
	return (0);
}

/* A method is an RFC 9110 token: no spaces, no CR or LF. */
static int
http_check_method(const char *m)
{
	size_t len;

	len = strlen(m);
	if (len == 0 || len > HTTP_METHOD_MAX)
		return (0);
	return (strspn(m,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789!#$%&'*+-.^_`|~") == len);
}

/* An address for MAIL FROM or RCPT TO: no controls, no angle brackets. */
static int
http_check_address(const char *a)
{
	const unsigned char *p;

	if (a == NULL || *a == '\0' || strlen(a) > 320)
		return (0);
	for (p = (const unsigned char *)a; *p != '\0'; p++) {
		if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>')
			return (0);
	}
	return (1);
}

static int
http_check_smtp(const struct delistd_smtp_request *sr, char **cause)
{
	const char *const *r;

	if (http_check_url(sr->url, 1, cause) != 0)
		return (-1);
	if (!http_check_address(sr->mail_from)) {
		log_cause(cause, "smtp: bad or missing sender address");
		return (-1);
	}
	if (sr->rcpt == NULL || sr->rcpt[0] == NULL) {
		log_cause(cause, "smtp: no recipient");
		return (-1);
	}
	for (r = sr->rcpt; *r != NULL; r++) {
		if (!http_check_address(*r)) {
			log_cause(cause, "smtp: bad recipient address");
			return (-1);
		}
	}
	if (sr->message == NULL || sr->message_len == 0) {
		log_cause(cause, "smtp: no message");
		return (-1);
	}
	if ((sr->username != NULL && strpbrk(sr->username, "\r\n") != NULL) ||
	    (sr->password != NULL && strpbrk(sr->password, "\r\n") != NULL)) {
		/* Never the values themselves. */
		log_cause(cause, "smtp: a line break in the credentials");
		return (-1);
	}
	if (sr->connect_timeout_ms < 0 || sr->timeout_ms < 0) {
		log_cause(cause, "smtp: negative timeout");
		return (-1);
	}
	return (0);
}

/* smtp: 0 allows http and https, 1 smtp and smtps. */
static int
http_check_url(const char *url, int smtp, char **cause)
{
	CURLU *u;
	CURLUcode uc;
	char *scheme = NULL;
	int ok;

	if (url == NULL || *url == '\0') {
		log_cause(cause, "http: no URL");
		return (-1);
	}
	/* A source calls one URL again and again: it is parsed once. */
	if (http_url_ok[smtp] != NULL && strcmp(url, http_url_ok[smtp]) == 0)
		return (0);
	if ((u = curl_url()) == NULL)
		fatalx("http: curl_url: out of memory");
	uc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	curl_url_cleanup(u);
	if (uc != CURLUE_OK) {
		log_cause(cause, "http: bad URL: %s", curl_url_strerror(uc));
		return (-1);
	}
	if (smtp)
		ok = strcasecmp(scheme, "smtp") == 0 ||
		    strcasecmp(scheme, "smtps") == 0;
	else
		ok = strcasecmp(scheme, "http") == 0 ||
		    strcasecmp(scheme, "https") == 0;
	if (!ok)
		log_cause(cause, "%s: unsupported scheme \"%.16s\" (only %s)",
		    smtp ? "smtp" : "http", scheme,
		    smtp ? "smtp and smtps" : "http and https");
	curl_free(scheme);
	if (ok) {
		free(http_url_ok[smtp]);
		http_url_ok[smtp] = xstrdup(url);
	}
	return (ok ? 0 : -1);
}

#define HTTP_SETOPT(easy, opt, value) \
	do { \
		if ((rc = curl_easy_setopt(easy, opt, value)) != CURLE_OK) \
			goto fail; \
	} while (0)

/* Builds the easy handle; nothing runs until http_launch. */
static int
http_setup(
    struct http_req *req, const struct delistd_http_request *hr, char **cause)
{
	const char *const *h;
	struct curl_slist *l;
	CURLcode rc = CURLE_OK;
	CURL *e;
	long connect_ms, total_ms;

	if ((e = req->easy = http_easy_get()) == NULL) {
		log_cause(cause, "http: curl_easy_init failed");
		return (-1);
	}
	for (h = hr->headers; h != NULL && *h != NULL; h++) {
		if ((l = curl_slist_append(req->slist, *h)) == NULL)
			fatalx("http: curl_slist_append: out of memory");
		req->slist = l;
	}
	connect_ms = hr->connect_timeout_ms > 0 ? hr->connect_timeout_ms
						: HTTP_CONNECT_TIMEOUT_MS;
	total_ms = hr->timeout_ms > 0 ? hr->timeout_ms : HTTP_TIMEOUT_MS;

	HTTP_SETOPT(e, CURLOPT_PRIVATE, req);
	HTTP_SETOPT(e, CURLOPT_ERRORBUFFER, req->errbuf);
	HTTP_SETOPT(e, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	HTTP_SETOPT(e, CURLOPT_PROTOCOLS_STR, "http,https");
	HTTP_SETOPT(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	HTTP_SETOPT(e, CURLOPT_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
	HTTP_SETOPT(
	    e, CURLOPT_REDIR_PROTOCOLS, CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
	HTTP_SETOPT(e, CURLOPT_URL, hr->url);
	HTTP_SETOPT(e, CURLOPT_FOLLOWLOCATION, 0L);
	HTTP_SETOPT(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	HTTP_SETOPT(e, CURLOPT_TIMEOUT_MS, total_ms);
	HTTP_SETOPT(e, CURLOPT_SSL_VERIFYPEER, 1L);
	HTTP_SETOPT(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (hr->ca_file != NULL)
		HTTP_SETOPT(e, CURLOPT_CAINFO, hr->ca_file);
	HTTP_SETOPT(e, CURLOPT_TCP_KEEPALIVE, 1L);
	HTTP_SETOPT(e, CURLOPT_USERAGENT, HTTP_USER_AGENT);
	HTTP_SETOPT(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)HTTP_BODY_MAX);
	HTTP_SETOPT(e, CURLOPT_WRITEFUNCTION, http_write_cb);
	HTTP_SETOPT(e, CURLOPT_WRITEDATA, req);
	HTTP_SETOPT(e, CURLOPT_HEADERFUNCTION, http_header_cb);
	HTTP_SETOPT(e, CURLOPT_HEADERDATA, req);
	if (req->slist != NULL)
		HTTP_SETOPT(e, CURLOPT_HTTPHEADER, req->slist);

	if (strcmp(hr->method, "GET") == 0 && hr->body == NULL)
		HTTP_SETOPT(e, CURLOPT_HTTPGET, 1L);
	else if (strcmp(hr->method, "HEAD") == 0)
		HTTP_SETOPT(e, CURLOPT_NOBODY, 1L);
	else {
		if (hr->body != NULL || strcmp(hr->method, "POST") == 0) {
			/* The size first, so that a binary body is copied. */
			HTTP_SETOPT(e, CURLOPT_POSTFIELDSIZE_LARGE,
			    (curl_off_t)hr->body_len);
			HTTP_SETOPT(e, CURLOPT_COPYPOSTFIELDS,
			    hr->body != NULL ? (const char *)hr->body : "");
		}
		if (strcmp(hr->method, "POST") != 0)
			HTTP_SETOPT(e, CURLOPT_CUSTOMREQUEST, hr->method);
	}
	return (0);

fail:
	log_cause(cause, "http: %s", curl_easy_strerror(rc));
	return (-1);
}

/* The easy handle of an SMTP transfer: one message to its recipients. */
static int
http_setup_smtp(
    struct http_req *req, const struct delistd_smtp_request *sr, char **cause)
{
	const char *const *r;
	struct curl_slist *l;
	CURLcode rc = CURLE_OK;
	CURL *e;
	long connect_ms, total_ms;

	if ((e = req->easy = http_easy_get()) == NULL) {
		log_cause(cause, "smtp: curl_easy_init failed");
		return (-1);
	}
	for (r = sr->rcpt; *r != NULL; r++) {
		if ((l = curl_slist_append(req->rcpt, *r)) == NULL)
			fatalx("smtp: curl_slist_append: out of memory");
		req->rcpt = l;
	}
	req->upload = xmalloc(sr->message_len);
	memcpy(req->upload, sr->message, sr->message_len);
	req->upload_len = sr->message_len;
	connect_ms = sr->connect_timeout_ms > 0 ? sr->connect_timeout_ms
						: HTTP_CONNECT_TIMEOUT_MS;
	total_ms = sr->timeout_ms > 0 ? sr->timeout_ms : HTTP_TIMEOUT_MS;

	HTTP_SETOPT(e, CURLOPT_PRIVATE, req);
	HTTP_SETOPT(e, CURLOPT_ERRORBUFFER, req->errbuf);
	HTTP_SETOPT(e, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	HTTP_SETOPT(e, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	HTTP_SETOPT(e, CURLOPT_PROTOCOLS, CURLPROTO_SMTP | CURLPROTO_SMTPS);
#endif
	HTTP_SETOPT(e, CURLOPT_URL, sr->url);
	HTTP_SETOPT(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	HTTP_SETOPT(e, CURLOPT_TIMEOUT_MS, total_ms);
	HTTP_SETOPT(e, CURLOPT_SSL_VERIFYPEER, 1L);
	HTTP_SETOPT(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (sr->ca_file != NULL)
		HTTP_SETOPT(e, CURLOPT_CAINFO, sr->ca_file);
	if (sr->starttls)
		HTTP_SETOPT(e, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (sr->username != NULL) {
		HTTP_SETOPT(e, CURLOPT_USERNAME, sr->username);
		HTTP_SETOPT(e, CURLOPT_PASSWORD,
		    sr->password != NULL ? sr->password : "");
	}
	HTTP_SETOPT(e, CURLOPT_TCP_KEEPALIVE, 1L);
	HTTP_SETOPT(e, CURLOPT_MAIL_FROM, sr->mail_from);
	HTTP_SETOPT(e, CURLOPT_MAIL_RCPT, req->rcpt);
	HTTP_SETOPT(e, CURLOPT_UPLOAD, 1L);
	HTTP_SETOPT(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)req->upload_len);
	HTTP_SETOPT(e, CURLOPT_READFUNCTION, http_read_cb);
	HTTP_SETOPT(e, CURLOPT_READDATA, req);
	return (0);

fail:
	log_cause(cause, "smtp: %s", curl_easy_strerror(rc));
	return (-1);
}

#undef HTTP_SETOPT

/* Hands req to libcurl; if that fails, its error is called back later. */
static void
http_launch(struct http_req *req)
{
	CURLMcode mc;

	if ((mc = curl_multi_add_handle(http_multi, req->easy)) != CURLM_OK) {
		log_warnx(
		    "http: curl_multi_add_handle: %s", curl_multi_strerror(mc));
		req->state = HTTP_DONE;
		req->result = CURLE_FAILED_INIT;
		req->fail = curl_multi_strerror(mc);
		TAILQ_INSERT_TAIL(&http_done, req, entry);
		http_ndone++;
		http_kick();
		return;
	}
	req->state = HTTP_RUNNING;
	TAILQ_INSERT_TAIL(&http_running, req, entry);
	http_nrunning++;
}

/* Starts queued requests while there are free slots, oldest first. */
static void
http_promote(void)
{
	struct http_req *req;

	while (http_nrunning < (size_t)http_cap &&
	    (req = TAILQ_FIRST(&http_queue)) != NULL) {
		TAILQ_REMOVE(&http_queue, req, entry);
		http_nqueued--;
		http_launch(req);
	}
}

/* Takes req off its list (and out of the multi handle if it runs). */
static void
http_unlink(struct http_req *req)
{
	switch (req->state) {
	case HTTP_QUEUED:
		TAILQ_REMOVE(&http_queue, req, entry);
		http_nqueued--;
		break;
	case HTTP_RUNNING:
		curl_multi_remove_handle(http_multi, req->easy);
		TAILQ_REMOVE(&http_running, req, entry);
		http_nrunning--;
		break;
	case HTTP_DONE:
		TAILQ_REMOVE(&http_done, req, entry);
		http_ndone--;
		break;
	}
}

static void
http_finish(struct http_req *req, CURLcode result, const char *fail)
{
	http_unlink(req);
	req->state = HTTP_DONE;
	req->result = result;
	req->fail = fail;
	TAILQ_INSERT_TAIL(&http_done, req, entry);
	http_ndone++;
}

/* After libcurl ran: collect finished transfers, refill, call back. */
static void
http_check_done(void)
{
	CURLMsg *msg;
	CURLcode result;
	char *p;
	int left;

	while ((msg = curl_multi_info_read(http_multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		result = msg->data.result;
		p = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
		if (p == NULL)
			fatalx("http: finished transfer without its request");
		http_finish((struct http_req *)p, result, NULL);
	}
	http_promote();
	http_deliver();
}

/*
 * Calls back what is on the done list. Only as many as were there on
 * entry, so that a callback that starts requests failing at once cannot
 * keep this loop going; a callback may start or cancel requests, or even
 * shut the client down.
 */
static void
http_deliver(void)
{
	struct delistd_http_response resp;
	struct http_req *req;
	size_t n;

	for (n = http_ndone; n > 0; n--) {
		if ((req = TAILQ_FIRST(&http_done)) == NULL)
			break;
		TAILQ_REMOVE(&http_done, req, entry);
		http_ndone--;

		if (req->smtp_cb != NULL) {
			http_deliver_smtp(req);
			continue;
		}
		memset(&resp, 0, sizeof resp);
		resp.host_private = req;
		resp.body = "";
		if (req->result == CURLE_OK && req->fail == NULL) {
			curl_easy_getinfo(
			    req->easy, CURLINFO_RESPONSE_CODE, &resp.status);
			if (req->body != NULL) {
				resp.body = req->body;
				resp.body_len = req->body_len;
			}
			http_stats.completed++;
		} else {
			resp.error =
			    req->result != CURLE_OK ? (int)req->result : -1;
			resp.error_text = http_error_text(req);
			resp.timed_out =
			    req->result == CURLE_OPERATION_TIMEDOUT;
			http_stats.failed++;
		}
		/* Nothing of libcurl's is needed any more. */
		http_easy_put(req->easy);
		req->easy = NULL;

		req->cb(&resp, req->arg);
		http_free(req);
	}
}

/* Calls back one finished SMTP transfer, then frees it. */
static void
http_deliver_smtp(struct http_req *req)
{
	struct delistd_smtp_response resp;
	long code = 0;

	memset(&resp, 0, sizeof resp);
	if (req->easy != NULL)
		curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &code);
	resp.code = code;
	if (req->result == CURLE_OK && req->fail == NULL)
		http_stats.completed++;
	else {
		resp.error = req->result != CURLE_OK ? (int)req->result : -1;
		resp.error_text = http_error_text(req);
		resp.timed_out = req->result == CURLE_OPERATION_TIMEDOUT;
		http_stats.failed++;
	}
	http_easy_put(req->easy);
	req->easy = NULL;
	req->smtp_cb(&resp, req->arg);
	http_free(req);
}

/* The message, as libcurl asks for it. */
static size_t
http_read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct http_req *req = arg;
	size_t n = size * nmemb, left = req->upload_len - req->upload_off;

	if (n > left)
		n = left;
	memcpy(buf, req->upload + req->upload_off, n);
	req->upload_off += n;
	return (n);
}

static const char *
http_error_text(struct http_req *req)
{
	if (req->body_too_big || req->result == CURLE_FILESIZE_EXCEEDED)
		return ("response body larger than 8 MiB");
	if (req->headers_too_big)
		return ("response headers larger than 64 KiB");
	if (req->fail != NULL)
		return (req->fail);
	if (req->errbuf[0] != '\0')
		return (req->errbuf);
	return (curl_easy_strerror(req->result));
}

static void
http_free(struct http_req *req)
{
	if (req->easy != NULL)
		curl_easy_cleanup(req->easy);
	curl_slist_free_all(req->slist);
	curl_slist_free_all(req->rcpt);
	free(req->upload);
	free(req->body);
	free(req->hbuf);
	free(req);
}

/* Forgets the headers kept (a new status line starts a new set). */
static void
http_clear_headers(struct http_req *req)
{
	req->hlen = 0;
	req->nheaders = 0;
}

/* Arms the zero-delay timer that calls back requests that failed early. */
static void
http_kick(void)
{
	struct timeval tv = { 0, 0 };

	evtimer_add(http_deliver_ev, &tv);
}

static void
http_deliver_cb(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	http_deliver();
	if (http_multi != NULL && http_ndone != 0)
		http_kick();
}

static void
http_event_cb(evutil_socket_t fd, short events, void *arg)
{
	CURLMcode mc;
	int action = 0, running;

	(void)arg;
	if (events & EV_READ)
		action |= CURL_CSELECT_IN;
	if (events & EV_WRITE)
		action |= CURL_CSELECT_OUT;
	mc = curl_multi_socket_action(http_multi, fd, action, &running);
	if (mc != CURLM_OK)
		log_warnx("http: curl_multi_socket_action: %s",
		    curl_multi_strerror(mc));
	http_check_done();
}

static void
http_timeout_cb(evutil_socket_t fd, short events, void *arg)
{
	CURLMcode mc;
	int running;

	(void)fd;
	(void)events;
	(void)arg;
	mc = curl_multi_socket_action(
	    http_multi, CURL_SOCKET_TIMEOUT, 0, &running);
	if (mc != CURLM_OK)
		log_warnx("http: curl_multi_socket_action: %s",
		    curl_multi_strerror(mc));
	http_check_done();
}

static void
http_sock_free(struct http_sock *s)
{
	event_free(s->ev);
	TAILQ_REMOVE(&http_socks, s, entry);
	free(s);
}

/* libcurl says which sockets to watch, and for what. */
static int
http_socket_cb(
    CURL *easy, curl_socket_t fd, int what, void *clientp, void *socketp)
{
	struct http_sock *s = socketp;
	short events = 0;

	(void)easy;
	(void)clientp;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL)
			http_sock_free(s);
		return (0);
	}
	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		s->fd = fd;
		if ((s->ev = event_new(
			 http_base, fd, 0, http_event_cb, NULL)) == NULL)
			fatalx("http: event_new failed");
		TAILQ_INSERT_TAIL(&http_socks, s, entry);
		curl_multi_assign(http_multi, fd, s);
	} else
		event_del(s->ev);

	if (what & CURL_POLL_IN)
		events |= EV_READ;
	if (what & CURL_POLL_OUT)
		events |= EV_WRITE;
	if (events != 0) {
		event_assign(s->ev, http_base, fd, events | EV_PERSIST,
		    http_event_cb, NULL);
		event_add(s->ev, NULL);
	}
	return (0);
}

/* libcurl's one timeout: -1 cancels it; 0 runs it from the next loop. */
static int
http_timer_cb(CURLM *multi, long timeout_ms, void *clientp)
{
	struct timeval tv;

	(void)multi;
	(void)clientp;
	if (timeout_ms < 0) {
		evtimer_del(http_timer_ev);
		return (0);
	}
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(http_timer_ev, &tv);
	return (0);
}

/* The body, NUL-terminated, up to HTTP_BODY_MAX: beyond, the transfer fails. */
static size_t
http_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_req *req = arg;
	size_t n = size * nmemb, want;

	if (n > HTTP_BODY_MAX - req->body_len) {
		req->body_too_big = 1;
		return (0);
	}
	if (req->body_len + n + 1 > req->body_size) {
		/*
		 * A first piece's own size (most answers come in one piece, and
		 * a small block is cheap to get), then doubling.
		 */
		want = req->body_size != 0 ? req->body_size * 2 : n + 1;
		if (want < req->body_len + n + 1)
			want = req->body_len + n + 1;
		if (want > HTTP_BODY_MAX + 1)
			want = HTTP_BODY_MAX + 1;
		req->body = xreallocarray(req->body, 1, want);
		req->body_size = want;
	}
	memcpy(req->body + req->body_len, data, n);
	req->body_len += n;
	req->body[req->body_len] = '\0';
	return (n);
}

/*
 * One header line. A status line starts a new set: only the last
 * response's headers (not a 100 Continue's) are kept.
 */
static size_t
http_header_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_req *req = arg;
	size_t n = size * nmemb, len = n, need;
	const char *colon, *name_end, *value, *end;

	if (n > HTTP_HEADERS_MAX - req->headers_bytes) {
		req->headers_too_big = 1;
		return (0);
	}
	req->headers_bytes += n;
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		http_clear_headers(req);
		return (n);
	}
	while (len > 0 && strchr("\r\n \t", data[len - 1]) != NULL)
		len--;
	if (len == 0 || data[0] == ' ' || data[0] == '\t')
		return (n); /* the end, or an obsolete folded line */
	end = data + len;
	if ((colon = memchr(data, ':', len)) == NULL || colon == data)
		return (n);
	name_end = colon;
	while (name_end > data && (name_end[-1] == ' ' || name_end[-1] == '\t'))
		name_end--;
	value = colon + 1;
	while (value < end && (*value == ' ' || *value == '\t'))
		value++;

	/* Both, each NUL-terminated, at the end of the one buffer. */
	need =
	    req->hlen + (size_t)(name_end - data) + (size_t)(end - value) + 2;
	if (need > req->hsize) {
		req->hsize = req->hsize != 0 ? req->hsize : 512;
		while (req->hsize < need)
			req->hsize *= 2;
		req->hbuf = xreallocarray(req->hbuf, 1, req->hsize);
	}
	memcpy(req->hbuf + req->hlen, data, name_end - data);
	req->hlen += name_end - data;
	req->hbuf[req->hlen++] = '\0';
	memcpy(req->hbuf + req->hlen, value, end - value);
	req->hlen += end - value;
	req->hbuf[req->hlen++] = '\0';
	req->nheaders++;
	return (n);
}

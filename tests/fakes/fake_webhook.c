/* SPDX-License-Identifier: ISC */
/*
 * fake_webhook.c: a webhook receiver for the integration tests.
 *
 * usage: fake_webhook --port-file FILE --log FILE [--secret-file FILE]
 *            [--mode MODE] [--timeout SECONDS]
 *
 * Listens on 127.0.0.1 on a port the kernel picks and writes that port to
 * the port file (renamed into place, so a test may poll for it). Each
 * request is logged as one line:
 *
 *   n=3 ms=1234 method=POST path=/hook key=12-erp event=case.opened
 *   sig=ok|bad|none id=12 case=4 status=200|500|...|hang|drop
 *   ua=delistd/0.1.0 ct=application/json hdr=<X-Test-Header or ->
 *   body_sha=<SHA-256 of the body>
 *
 * (on one line) where ms is a monotonic clock in milliseconds, sig says
 * whether X-Delistd-Signature is the HMAC-SHA256 of the body with the
 * secret, and id and case come from the JSON body. A value is logged with
 * spaces and controls as %XX; an absent one as "-".
 *
 * How it answers is its mode, set with --mode and changed while running by
 * POST /_mode with the mode as the body (answered 200, or 400 for an unknown
 * mode; not logged):
 *   ok            200 at once
 *   fail500       500
 *   retry429:N    429 with Retry-After: N
 *   retry503:N    503 with Retry-After: N
 *   bad400        400
 *   hang          never answers
 *   drop          closes the connection without answering
 *   fail-first:K  500 for the next K requests, then 200
 *   fail-key:S    500 when the Idempotency-Key contains S, else 200
 *
 * It exits on SIGTERM or SIGINT, or after --timeout seconds (600).
 */

#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "fake.h"

#define MODE_MAX 256
#define BODY_MAX (4 * 1024 * 1024)

enum fake_kind {
	FAKE_OK,
	FAKE_FAIL500,
	FAKE_RETRY429,
	FAKE_RETRY503,
	FAKE_BAD400,
	FAKE_HANG,
	FAKE_DROP,
	FAKE_FAIL_FIRST,
	FAKE_FAIL_KEY,
};

struct fake_mode {
	enum fake_kind kind;
	long n; /* Retry-After, or requests left to fail */
	char arg[MODE_MAX]; /* fail-key's substring */
};

/* A mode's name and whether it takes ":ARG" (0 no, 1 a number, 2 text). */
static const struct {
	const char *name;
	enum fake_kind kind;
	int arg;
} fake_modes[] = {
	{ "ok", FAKE_OK, 0 },
	{ "fail500", FAKE_FAIL500, 0 },
	{ "retry429", FAKE_RETRY429, 1 },
	{ "retry503", FAKE_RETRY503, 1 },
	{ "bad400", FAKE_BAD400, 0 },
	{ "hang", FAKE_HANG, 0 },
	{ "drop", FAKE_DROP, 0 },
	{ "fail-first", FAKE_FAIL_FIRST, 1 },
	{ "fail-key", FAKE_FAIL_KEY, 2 },
};

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static struct fake_mode mode;
static FILE *logfp;
static char *secret;
static size_t secret_len;
static const char *log_header = "X-Test-Header";
static unsigned long nrequests;

static int mode_parse(const char *, struct fake_mode *);
static void on_request(struct evhttp_request *, void *);
static void on_mode(struct evhttp_request *);
static void hex(const unsigned char *, size_t, char *);
static void log_value(const char *, const char *);
static void json_number(const char *, size_t, const char *, char *, size_t);
static char *read_secret(const char *);
static void usage(void) __attribute__((__noreturn__));

static void
usage(void)
{
	fprintf(stderr,
	    "usage: fake_webhook --port-file file --log file "
	    "[--secret-file file] [--mode mode] [--timeout seconds]\n");
	exit(2);
}

static int
mode_parse(const char *s, struct fake_mode *m)
{
	const char *colon;
	char *ep;
	size_t i, len;

	colon = strchr(s, ':');
	len = colon != NULL ? (size_t)(colon - s) : strlen(s);
	for (i = 0; i < nitems(fake_modes); i++) {
		if (strlen(fake_modes[i].name) != len ||
		    strncmp(fake_modes[i].name, s, len) != 0)
			continue;
		memset(m, 0, sizeof *m);
		m->kind = fake_modes[i].kind;
		switch (fake_modes[i].arg) {
		case 0:
			return (colon == NULL ? 0 : -1);
		case 1:
			if (colon == NULL || colon[1] == '\0')
				return (-1);
			errno = 0;
			m->n = strtol(colon + 1, &ep, 10);
			if (*ep != '\0' || errno != 0 || m->n < 0)
				return (-1);
			return (0);
		default:
			if (colon == NULL || colon[1] == '\0' ||
			    strlen(colon + 1) >= sizeof m->arg)
				return (-1);
			strcpy(m->arg, colon + 1);
			return (0);
		}
	}
	return (-1);
}

static void
hex(const unsigned char *in, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", in[i]);
	out[2 * len] = '\0';
}

/* " name=value", spaces, '%' and controls as %XX; "-" when absent. */
static void
log_value(const char *name, const char *v)
{
	const unsigned char *p;

	fprintf(logfp, " %s=", name);
	if (v == NULL || *v == '\0') {
		fputc('-', logfp);
		return;
	}
	for (p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p <= ' ' || *p == '%' || *p >= 0x7f)
			fprintf(logfp, "%%%02X", *p);
		else
			fputc(*p, logfp);
	}
}

/*
 * The first "key": <integer> in a JSON text, as a string ("-" when absent
 * or not a number). Good enough for the event documents the tests send.
 */
static void
json_number(
    const char *body, size_t len, const char *key, char *out, size_t outlen)
{
	char pat[64];
	const char *p, *end = body + len;
	size_t n, plen;

	snprintf(out, outlen, "-");
	plen = (size_t)snprintf(pat, sizeof pat, "\"%s\"", key);
	for (p = body; p != NULL && (size_t)(end - p) >= plen; p++) {
		p = memmem(p, end - p, pat, plen);
		if (p == NULL)
			return;
		p += plen;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		if (p >= end || *p != ':')
			continue;
		p++;
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
			p++;
		for (n = 0; p + n < end && n + 1 < outlen &&
		     ((p[n] >= '0' && p[n] <= '9') || (n == 0 && p[n] == '-'));
		     n++)
			;
		if (n > 0) {
			memcpy(out, p, n);
			out[n] = '\0';
		}
		return;
	}
}

static void
on_mode(struct evhttp_request *req)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	struct evbuffer *out = evbuffer_new();
	struct fake_mode m;
	char buf[MODE_MAX];
	size_t len;

	len = evbuffer_get_length(in);
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	evbuffer_remove(in, buf, len);
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	if (mode_parse(buf, &m) == -1) {
		evbuffer_add_printf(out, "unknown mode %s\n", buf);
		evhttp_send_reply(req, 400, "Bad Request", out);
	} else {
		mode = m;
		fprintf(logfp, "# mode %s\n", buf);
		fflush(logfp);
		evbuffer_add_printf(out, "mode %s\n", buf);
		evhttp_send_reply(req, 200, "OK", out);
	}
	evbuffer_free(out);
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct evkeyvalq *h = evhttp_request_get_input_headers(req);
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	struct evbuffer *out;
	struct bufferevent *bev;
	struct timespec ts;
	const char *key, *sig, *path, *method;
	unsigned char mac[EVP_MAX_MD_SIZE], sha[32];
	unsigned int maclen = 0;
	char machex[2 * EVP_MAX_MD_SIZE + 8], shahex[65], id[32], kase[32];
	char *body;
	size_t len;
	int status;
	long retry_after = -1;

	(void)arg;
	path = evhttp_request_get_uri(req);
	if (strcmp(path, "/_mode") == 0 &&
	    evhttp_request_get_command(req) == EVHTTP_REQ_POST) {
		on_mode(req);
		return;
	}
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_POST:
		method = "POST";
		break;
	case EVHTTP_REQ_PUT:
		method = "PUT";
		break;
	case EVHTTP_REQ_GET:
		method = "GET";
		break;
	default:
		method = "OTHER";
		break;
	}

	len = evbuffer_get_length(in);
	body = (char *)evbuffer_pullup(in, -1);
	if (body == NULL)
		body = (char *)"";
	nrequests++;
	key = evhttp_find_header(h, "Idempotency-Key");

	switch (mode.kind) {
	case FAKE_OK:
		status = 200;
		break;
	case FAKE_FAIL500:
		status = 500;
		break;
	case FAKE_RETRY429:
		status = 429;
		retry_after = mode.n;
		break;
	case FAKE_RETRY503:
		status = 503;
		retry_after = mode.n;
		break;
	case FAKE_BAD400:
		status = 400;
		break;
	case FAKE_HANG:
		status = -1;
		break;
	case FAKE_DROP:
		status = -2;
		break;
	case FAKE_FAIL_FIRST:
		status = mode.n > 0 ? 500 : 200;
		if (mode.n > 0)
			mode.n--;
		break;
	case FAKE_FAIL_KEY:
	default:
		status =
		    key != NULL && strstr(key, mode.arg) != NULL ? 500 : 200;
		break;
	}

	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(logfp, "n=%lu ms=%lld", nrequests,
	    (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	log_value("method", method);
	log_value("path", path);
	log_value("key", key);
	log_value("event", evhttp_find_header(h, "X-Delistd-Event"));
	sig = evhttp_find_header(h, "X-Delistd-Signature");
	if (sig == NULL)
		fprintf(logfp, " sig=none");
	else if (secret == NULL)
		fprintf(logfp, " sig=unchecked");
	else {
		memcpy(machex, "sha256=", 7);
		if (HMAC(EVP_sha256(), secret, (int)secret_len,
			(const unsigned char *)body, len, mac, &maclen) == NULL)
			maclen = 0;
		hex(mac, maclen, machex + 7);
		fprintf(logfp, " sig=%s",
		    maclen > 0 && strcmp(sig, machex) == 0 ? "ok" : "bad");
	}
	json_number(body, len, "id", id, sizeof id);
	json_number(body, len, "case", kase, sizeof kase);
	if (strcmp(kase, "-") == 0)
		json_number(body, len, "case_id", kase, sizeof kase);
	fprintf(logfp, " id=%s case=%s", id, kase);
	if (status == -1)
		fprintf(logfp, " status=hang");
	else if (status == -2)
		fprintf(logfp, " status=drop");
	else
		fprintf(logfp, " status=%d", status);
	log_value("ua", evhttp_find_header(h, "User-Agent"));
	log_value("ct", evhttp_find_header(h, "Content-Type"));
	log_value("hdr", evhttp_find_header(h, log_header));
	SHA256((const unsigned char *)body, len, sha);
	hex(sha, sizeof sha, shahex);
	fprintf(logfp, " body_sha=%s\n", shahex);
	fflush(logfp);

	if (status == -1)
		return; /* evhttp frees it when the client gives up */
	if (status == -2) {
		/* No reply: end the connection; evhttp then frees it all. */
		bev = evhttp_connection_get_bufferevent(
		    evhttp_request_get_connection(req));
		if (bev != NULL)
			shutdown(bufferevent_getfd(bev), SHUT_RDWR);
		return;
	}
	out = evbuffer_new();
	if (retry_after >= 0) {
		snprintf(id, sizeof id, "%ld", retry_after);
		evhttp_add_header(
		    evhttp_request_get_output_headers(req), "Retry-After", id);
	}
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain");
	evbuffer_add_printf(out, "%d\n", status);
	evhttp_send_reply(req, status,
	    status == 200	? "OK"
		: status == 400 ? "Bad Request"
		: status == 429 ? "Too Many Requests"
		: status == 503 ? "Service Unavailable"
				: "Internal Server Error",
	    out);
	evbuffer_free(out);
}

static char *
read_secret(const char *path)
{
	FILE *f;
	char buf[4096];
	size_t n;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	secret_len = n;
	return (strdup(buf));
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port-file", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'l' },
		{ "secret-file", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "log-header", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	const char *port_file = NULL, *log_file = NULL;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct event *sigterm, *sigint, *timer;
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	struct timeval tv = { 600, 0 };
	int ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			port_file = optarg;
			break;
		case 'l':
			log_file = optarg;
			break;
		case 's':
			secret = read_secret(optarg);
			break;
		case 'm':
			if (mode_parse(optarg, &mode) == -1) {
				fprintf(stderr, "fake_webhook: bad mode %s\n",
				    optarg);
				return (2);
			}
			break;
		case 't':
			tv.tv_sec = atol(optarg);
			break;
		case 'H':
			log_header = optarg;
			break;
		default:
			usage();
		}
	}
	if (port_file == NULL || log_file == NULL || optind != argc)
		usage();
	if ((logfp = fopen(log_file, "a")) == NULL) {
		perror(log_file);
		return (1);
	}
	signal(SIGPIPE, SIG_IGN);

	if ((base = event_base_new()) == NULL ||
	    (http = evhttp_new(base)) == NULL) {
		fprintf(stderr, "fake_webhook: libevent setup failed\n");
		return (1);
	}
	evhttp_set_max_body_size(http, BODY_MAX);
	evhttp_set_allowed_methods(
	    http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT);
	evhttp_set_gencb(http, on_request, NULL);
	if ((bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ==
	    NULL) {
		fprintf(stderr, "fake_webhook: cannot bind 127.0.0.1\n");
		return (1);
	}
	if (getsockname(evhttp_bound_socket_get_fd(bound),
		(struct sockaddr *)&sin, &slen) == -1) {
		perror("getsockname");
		return (1);
	}
	if (fake_write_port(port_file, ntohs(sin.sin_port)) == -1) {
		perror(port_file);
		return (1);
	}

	sigterm = evsignal_new(base, SIGTERM, fake_on_signal, base);
	sigint = evsignal_new(base, SIGINT, fake_on_signal, base);
	timer = evtimer_new(base, fake_on_timeout, base);
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	evtimer_add(timer, &tv);

	event_base_dispatch(base);

	event_free(sigterm);
	event_free(sigint);
	event_free(timer);
	evhttp_free(http);
	event_base_free(base);
	if (secret != NULL) {
		OPENSSL_cleanse(secret, secret_len);
		free(secret);
	}
	fclose(logfp);
	return (0);
}

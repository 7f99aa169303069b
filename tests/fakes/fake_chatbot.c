/* SPDX-License-Identifier: ISC */
/*
 * fake_chatbot.c: a WeCom group robot, a DingTalk custom robot or a Feishu
 * custom bot, for the integration tests.
 *
 * usage: fake_chatbot --service wecom|dingtalk|feishu --port-file FILE
 *            --log FILE --token TOKEN [--secret-file FILE]
 *            [--clock-file FILE] [--limit N] [--timeout SECONDS]
 *
 * Listens on 127.0.0.1 (the port in the port file) and answers a POST as
 * the service does, always HTTP 200 with the service's JSON code:
 *   - the robot's credential: WeCom ?key=TOKEN, DingTalk
 *     ?access_token=TOKEN, Feishu .../hook/TOKEN;
 *   - with a secret, the signature: DingTalk ?timestamp=MS&sign=S with S
 *     base64(HMAC-SHA256(secret, "MS\nsecret")), Feishu "timestamp" and
 *     "sign" in the body with sign base64(HMAC-SHA256("TS\nsecret", "")),
 *     the timestamp within an hour of the clock;
 *   - a well-formed markdown message (WeCom markdown.content, DingTalk
 *     markdown.title and .text, Feishu an interactive card with elements);
 *   - the robot's rate limit: at most --limit (20) messages accepted in any
 *     60 seconds of the clock (the --clock-file's epoch seconds, else the
 *     system's); the next is refused with the service's rate-limit code.
 * Each accepted message is logged as one line, its JSON body. GET
 * /_fake/stats answers {"accepted", "bad_token", "bad_sign", "malformed",
 * "over_limit", "max_per_minute"} (the most accepted in one minute of the
 * clock, counted from :00).
 *
 * It exits on SIGTERM or SIGINT, or after --timeout seconds (600).
 */

#include <sys/queue.h>
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
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "fake.h"

#define BODY_MAX (1024 * 1024)
#define SENT_MAX 100000

enum verdict { V_OK, V_TOKEN, V_SIGN, V_MALFORMED, V_LIMIT, V_COUNT };

/* A service: its code member, and its answer to each verdict. */
static const struct {
	const char *name;
	const char *code_key;
	const char *msg_key;
	struct {
		int code;
		const char *msg;
	} answers[V_COUNT];
} services[] = {
	{ "wecom", "errcode", "errmsg",
	    { { 0, "ok" }, { 93000, "invalid webhook url, hint: [fake]" },
		{ 0, "ok" }, { 40008, "invalid message type, hint: [fake]" },
		{ 45009, "api freq out of limit, hint: [fake]" } } },
	{ "dingtalk", "errcode", "errmsg",
	    { { 0, "ok" }, { 300001, "token is not exist" },
		{ 310000, "sign not match, more: [fake]" },
		{ 40035, "缺少参数 json" },
		{ 130101, "send too fast, exceed 20 times per minute" } } },
	{ "feishu", "code", "msg",
	    { { 0, "success" },
		{ 19001,
		    "param invalid: incoming webhook access token "
		    "invalid" },
		{ 19021,
		    "sign match fail or timestamp is not within one hour "
		    "from current time" },
		{ 9499, "Bad Request" }, { 11232, "frequency limited" } } },
};

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static int svc = -1;
static const char *token, *clock_file;
static char *secret;
static long limit = 20;
static FILE *logfp;
static long counts[V_COUNT];
static int64_t sent[SENT_MAX];
static size_t nsent;
static long max_per_minute;

static int64_t
fake_now(void)
{
	char buf[64];
	FILE *f;

	if (clock_file != NULL && (f = fopen(clock_file, "r")) != NULL) {
		if (fgets(buf, sizeof buf, f) != NULL) {
			fclose(f);
			return (strtoll(buf, NULL, 10));
		}
		fclose(f);
	}
	return ((int64_t)time(NULL));
}

/* base64(HMAC-SHA256(key, msg)) into out (64 bytes). */
static void
sign64(const char *key, const char *msg, char *out)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)msg,
	    strlen(msg), mac, &len);
	EVP_EncodeBlock((unsigned char *)out, mac, (int)len);
}

/* Whether a timestamp ts (ms: divide by 1000) and sign s are right. */
static int
sign_ok(const char *ts, const char *s, int ms, int64_t now)
{
	char *tosign, out[64];
	int64_t t;
	int ok;

	if (secret == NULL)
		return (1);
	if (ts == NULL || s == NULL)
		return (0);
	t = strtoll(ts, NULL, 10) / (ms ? 1000 : 1);
	if (t < now - 3600 || t > now + 3600)
		return (0);
	if (asprintf(&tosign, "%s\n%s", ts, secret) == -1)
		return (0);
	if (ms)
		sign64(secret, tosign, out);
	else
		sign64(tosign, "", out);
	ok = strcmp(out, s) == 0;
	free(tosign);
	return (ok);
}

static const char *
str_at(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	if (b != NULL)
		v = json_object_get(v, b);
	return (json_string_value(v));
}

/* Whether the body is a well-formed markdown message of the service. */
static int
well_formed(json_t *doc)
{
	json_t *el;
	const char *s;

	switch (svc) {
	case 0:
		return ((s = str_at(doc, "msgtype", NULL)) != NULL &&
		    strcmp(s, "markdown") == 0 &&
		    (s = str_at(doc, "markdown", "content")) != NULL && *s &&
		    strlen(s) <= 4096);
	case 1:
		return ((s = str_at(doc, "msgtype", NULL)) != NULL &&
		    strcmp(s, "markdown") == 0 &&
		    (s = str_at(doc, "markdown", "title")) != NULL && *s &&
		    (s = str_at(doc, "markdown", "text")) != NULL && *s &&
		    json_is_object(json_object_get(doc, "at")));
	default:
		el = json_object_get(json_object_get(doc, "card"), "elements");
		return ((s = str_at(doc, "msg_type", NULL)) != NULL &&
		    strcmp(s, "interactive") == 0 && json_array_size(el) > 0 &&
		    (s = json_string_value(json_object_get(
			 json_array_get(el, 0), "content"))) != NULL &&
		    *s);
	}
}

/* The robot's window: accepted in the 60 seconds up to now. */
static long
in_window(int64_t now)
{
	long n = 0;
	size_t i;

	for (i = 0; i < nsent; i++)
		n += sent[i] > now - 60 && sent[i] <= now;
	return (n);
}

static void
count_minute(int64_t now)
{
	long n = 0;
	size_t i;

	for (i = 0; i < nsent; i++)
		n += sent[i] / 60 == now / 60;
	if (n > max_per_minute)
		max_per_minute = n;
}

static void
reply(struct evhttp_request *req, json_t *doc)
{
	struct evbuffer *b = evbuffer_new();
	char *s = json_dumps(doc, JSON_COMPACT);

	evbuffer_add(b, s, strlen(s));
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	free(s);
	json_decref(doc);
}

static enum verdict
judge(struct evhttp_request *req, json_t *doc, int64_t now)
{
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = evhttp_uri_get_path(uri),
		   *q = evhttp_uri_get_query(uri);
	struct evkeyvalq args;
	enum verdict v = V_OK;
	size_t plen = path != NULL ? strlen(path) : 0, tlen = strlen(token);

	TAILQ_INIT(&args);
	if (q != NULL)
		evhttp_parse_query_str(q, &args);
	switch (svc) {
	case 0:
		if (evhttp_find_header(&args, "key") == NULL ||
		    strcmp(evhttp_find_header(&args, "key"), token) != 0)
			v = V_TOKEN;
		break;
	case 1:
		if (evhttp_find_header(&args, "access_token") == NULL ||
		    strcmp(evhttp_find_header(&args, "access_token"), token) !=
			0)
			v = V_TOKEN;
		else if (!sign_ok(evhttp_find_header(&args, "timestamp"),
			     evhttp_find_header(&args, "sign"), 1, now))
			v = V_SIGN;
		break;
	default:
		if (plen <= tlen || path[plen - tlen - 1] != '/' ||
		    strcmp(path + plen - tlen, token) != 0)
			v = V_TOKEN;
		else if (!sign_ok(str_at(doc, "timestamp", NULL),
			     str_at(doc, "sign", NULL), 0, now))
			v = V_SIGN;
	}
	evhttp_clear_headers(&args);
	if (v == V_OK && (doc == NULL || !well_formed(doc)))
		v = V_MALFORMED;
	if (v == V_OK && in_window(now) >= limit)
		v = V_LIMIT;
	return (v);
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	char *body;
	json_error_t jerr;
	json_t *doc;
	int64_t now = fake_now();
	enum verdict v;

	(void)arg;
	if (evhttp_request_get_command(req) == EVHTTP_REQ_GET &&
	    strcmp(evhttp_request_get_uri(req), "/_fake/stats") == 0) {
		reply(req,
		    json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "accepted",
			(int)counts[V_OK], "bad_token", (int)counts[V_TOKEN],
			"bad_sign", (int)counts[V_SIGN], "malformed",
			(int)counts[V_MALFORMED], "over_limit",
			(int)counts[V_LIMIT], "max_per_minute",
			(int)max_per_minute));
		return;
	}
	body = malloc(len + 1);
	evbuffer_remove(in, body, len);
	body[len] = '\0';
	doc = json_loads(body, 0, &jerr);
	v = judge(req, doc, now);
	counts[v]++;
	if (v == V_OK && nsent < SENT_MAX) {
		sent[nsent++] = now;
		count_minute(now);
		fprintf(logfp, "%s\n", body);
		fflush(logfp);
	}
	free(body);
	json_decref(doc);
	reply(req,
	    json_pack("{s:i,s:s}", services[svc].code_key,
		services[svc].answers[v].code, services[svc].msg_key,
		services[svc].answers[v].msg));
}

static char *
read_secret(const char *path)
{
	char buf[1024];
	FILE *f;

	if ((f = fopen(path, "r")) == NULL ||
	    fgets(buf, sizeof buf, f) == NULL) {
		perror(path);
		exit(1);
	}
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	return (strdup(buf));
}

static void __attribute__((__noreturn__)) usage(void)
{
	fprintf(stderr,
	    "usage: fake_chatbot --service wecom|dingtalk|feishu --port-file "
	    "FILE --log FILE --token TOKEN [--secret-file FILE] "
	    "[--clock-file FILE] [--limit N] [--timeout S]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "service", required_argument, NULL, 'S' },
		{ "port-file", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'l' },
		{ "token", required_argument, NULL, 'T' },
		{ "secret-file", required_argument, NULL, 's' },
		{ "clock-file", required_argument, NULL, 'c' },
		{ "limit", required_argument, NULL, 'L' },
		{ "timeout", required_argument, NULL, 't' },
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
	size_t i;
	int ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'S':
			for (i = 0; i < nitems(services); i++) {
				if (strcmp(optarg, services[i].name) == 0)
					svc = (int)i;
			}
			break;
		case 'p':
			port_file = optarg;
			break;
		case 'l':
			log_file = optarg;
			break;
		case 'T':
			token = optarg;
			break;
		case 's':
			secret = read_secret(optarg);
			break;
		case 'c':
			clock_file = optarg;
			break;
		case 'L':
			limit = atol(optarg);
			break;
		case 't':
			tv.tv_sec = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (svc == -1 || port_file == NULL || log_file == NULL ||
	    token == NULL || optind != argc)
		usage();
	if ((logfp = fopen(log_file, "a")) == NULL) {
		perror(log_file);
		return (1);
	}
	signal(SIGPIPE, SIG_IGN);
	if ((base = event_base_new()) == NULL ||
	    (http = evhttp_new(base)) == NULL)
		return (1);
	evhttp_set_max_body_size(http, BODY_MAX);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
	evhttp_set_gencb(http, on_request, NULL);
	if ((bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ==
		NULL ||
	    getsockname(evhttp_bound_socket_get_fd(bound),
		(struct sockaddr *)&sin, &slen) == -1 ||
	    fake_write_port(port_file, ntohs(sin.sin_port)) == -1) {
		perror("fake_chatbot");
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
	free(secret);
	fclose(logfp);
	return (0);
}

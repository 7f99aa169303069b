/* SPDX-License-Identifier: ISC */
/*
 * test_http.c: the host's async HTTP client (http.c) against an evhttp
 * server in the same process and the same event loop, on 127.0.0.1 only.
 *
 * The loop runs until the expected callbacks have arrived (with a safety
 * timeout), or for a fixed time where a test checks that nothing arrives;
 * nothing sleeps.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "delistd.h"
#include "host.h"

#define SAFETY_MS 5000
#define SLOW_MS 100
#define BIG_LEN (8 * 1024 * 1024 + 1)

/* One request's outcome, as its callback saw it. */
struct result {
	int called;
	int error;
	int timed_out;
	long status;
	char *error_text;
	char *body;
	size_t body_len;
	char *header; /* X-Reply, looked up as "x-REPLY" */
	int missing; /* a header that is absent came back NULL */
	int chain; /* start another request from the callback */
	int shutdown; /* shut the client down from the callback */
};

/* What the server saw. */
static struct {
	int requests;
	char method[16];
	char body[256];
	char x_test[128];
	char content_type[128];
	int peer_port[8];
	int slow_now;
	int slow_max;
	int slow_done;
} seen;

static struct event_base *base;
static struct evhttp *server;
static int server_port;
static int hang_fd = -1; /* listens, never accepts */
static int hang_port;
static int callbacks;
static int callbacks_want;
static int in_start;
static int sync_calls;
static struct result chained;

static void server_echo(struct evhttp_request *);
static void server_500(struct evhttp_request *);
static void server_redirect(struct evhttp_request *);
static void server_slow(struct evhttp_request *);
static void server_big(struct evhttp_request *);
static void server_bigchunked(struct evhttp_request *);

static const struct {
	const char *path;
	void (*fn)(struct evhttp_request *);
} server_routes[] = {
	{ "/echo", server_echo },
	{ "/status/500", server_500 },
	{ "/redirect", server_redirect },
	{ "/slow", server_slow },
	{ "/big", server_big },
	{ "/bigchunked", server_bigchunked },
};

struct slow {
	struct evhttp_request *req;
	struct evhttp_connection *evcon;
	struct event *ev;
};

static void
copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

static const char *
method_name(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET:
		return ("GET");
	case EVHTTP_REQ_POST:
		return ("POST");
	case EVHTTP_REQ_PUT:
		return ("PUT");
	case EVHTTP_REQ_DELETE:
		return ("DELETE");
	case EVHTTP_REQ_HEAD:
		return ("HEAD");
	default:
		return ("?");
	}
}

static void
server_cb(struct evhttp_request *req, void *arg)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	struct evbuffer *body = evhttp_request_get_input_buffer(req);
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	const char *path;
	char *peer;
	ev_uint16_t port;
	size_t i, len;

	(void)arg;
	path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	evhttp_connection_get_peer(evcon, &peer, &port);
	if (seen.requests <
	    (int)(sizeof seen.peer_port / sizeof *seen.peer_port))
		seen.peer_port[seen.requests] = port;
	seen.requests++;
	copy_str(seen.method, sizeof seen.method,
	    method_name(evhttp_request_get_command(req)));
	copy_str(
	    seen.x_test, sizeof seen.x_test, evhttp_find_header(in, "X-Test"));
	copy_str(seen.content_type, sizeof seen.content_type,
	    evhttp_find_header(in, "Content-Type"));
	len = evbuffer_get_length(body);
	if (len > sizeof seen.body - 1)
		len = sizeof seen.body - 1;
	evbuffer_copyout(body, seen.body, len);
	seen.body[len] = '\0';

	for (i = 0; i < sizeof server_routes / sizeof server_routes[0]; i++) {
		if (path != NULL && strcmp(path, server_routes[i].path) == 0) {
			server_routes[i].fn(req);
			return;
		}
	}
	evhttp_send_error(req, 404, NULL);
}

/* 200 "echo:<request body>", with X-Reply: yes. */
static void
server_echo(struct evhttp_request *req)
{
	struct evbuffer *out = evbuffer_new();

	evbuffer_add_printf(out, "echo:%s", seen.body);
	evhttp_add_header(
	    evhttp_request_get_output_headers(req), "X-Reply", "yes");
	evhttp_send_reply(req, 200, "OK", out);
	evbuffer_free(out);
}

static void
server_500(struct evhttp_request *req)
{
	struct evbuffer *out = evbuffer_new();

	evbuffer_add_printf(out, "boom");
	evhttp_send_reply(req, 500, "Internal Server Error", out);
	evbuffer_free(out);
}

/* 302 to /echo, which must not be followed. */
static void
server_redirect(struct evhttp_request *req)
{
	evhttp_add_header(
	    evhttp_request_get_output_headers(req), "Location", "/echo");
	evhttp_send_reply(req, 302, "Found", NULL);
}

static void
slow_free(struct slow *s)
{
	event_free(s->ev);
	free(s);
	seen.slow_now--;
}

static void
slow_reply(evutil_socket_t fd, short events, void *arg)
{
	struct slow *s = arg;
	struct evbuffer *out = evbuffer_new();

	(void)fd;
	(void)events;
	evhttp_connection_set_closecb(s->evcon, NULL, NULL);
	evbuffer_add_printf(out, "slow");
	evhttp_send_reply(s->req, 200, "OK", out);
	evbuffer_free(out);
	seen.slow_done++;
	slow_free(s);
}

/* The client went away before the answer: forget the request. */
static void
slow_closed(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	slow_free(arg);
}

/* Answers after SLOW_MS, counting how many wait at once. */
static void
server_slow(struct evhttp_request *req)
{
	struct timeval tv = { 0, SLOW_MS * 1000 };
	struct slow *s;

	s = calloc(1, sizeof *s);
	assert_non_null(s);
	s->req = req;
	s->evcon = evhttp_request_get_connection(req);
	s->ev = evtimer_new(base, slow_reply, s);
	evhttp_connection_set_closecb(s->evcon, slow_closed, s);
	evtimer_add(s->ev, &tv);
	if (++seen.slow_now > seen.slow_max)
		seen.slow_max = seen.slow_now;
}

/* A body one byte over the cap, with a Content-Length. */
static void
server_big(struct evhttp_request *req)
{
	struct evbuffer *out = evbuffer_new();
	char *p;

	p = malloc(BIG_LEN);
	assert_non_null(p);
	memset(p, 'x', BIG_LEN);
	evbuffer_add(out, p, BIG_LEN);
	free(p);
	evhttp_send_reply(req, 200, "OK", out);
	evbuffer_free(out);
}

/* The same, chunked: no length known in advance. */
static void
server_bigchunked(struct evhttp_request *req)
{
	struct evbuffer *out = evbuffer_new();
	static char chunk[65536];
	size_t sent;

	memset(chunk, 'y', sizeof chunk);
	evhttp_send_reply_start(req, 200, "OK");
	for (sent = 0; sent < BIG_LEN; sent += sizeof chunk) {
		evbuffer_add(out, chunk, sizeof chunk);
		evhttp_send_reply_chunk(req, out);
	}
	evhttp_send_reply_end(req);
	evbuffer_free(out);
}

static int
local_socket(int *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd != -1);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return (fd);
}

static void
result_clear(struct result *r)
{
	free(r->error_text);
	free(r->body);
	free(r->header);
	memset(r, 0, sizeof *r);
}

static void
on_response(const struct delistd_http_response *resp, void *arg)
{
	struct result *r = arg;

	if (in_start)
		sync_calls++;
	r->called++;
	r->error = resp->error;
	r->timed_out = resp->timed_out;
	r->status = resp->status;
	if (resp->error_text != NULL)
		r->error_text = strdup(resp->error_text);
	if (resp->body != NULL) {
		r->body = malloc(resp->body_len + 1);
		memcpy(r->body, resp->body, resp->body_len + 1);
		r->body_len = resp->body_len;
	}
	if (http_response_header(resp, "x-REPLY") != NULL)
		r->header = strdup(http_response_header(resp, "x-REPLY"));
	r->missing = http_response_header(resp, "X-Missing") == NULL;
	if (r->chain) {
		struct delistd_http_request hr;
		char url[128];

		memset(&hr, 0, sizeof hr);
		snprintf(
		    url, sizeof url, "http://127.0.0.1:%d/echo", server_port);
		hr.method = "GET";
		hr.url = url;
		in_start = 1;
		if (http_start(NULL, &hr, on_response, &chained, NULL) != 0)
			sync_calls += 100;
		in_start = 0;
	}
	if (r->shutdown)
		http_shutdown();
	if (++callbacks >= callbacks_want)
		event_base_loopexit(base, NULL);
}

/* Starts a request; returns http_start's result. */
static int
start(void *owner, const char *method, const char *url,
    const char *const *headers, const char *body, long timeout_ms,
    struct result *r, char **cause)
{
	struct delistd_http_request hr;
	int rc;

	memset(&hr, 0, sizeof hr);
	hr.method = method;
	hr.url = url;
	hr.headers = headers;
	hr.body = body;
	hr.body_len = body != NULL ? strlen(body) : 0;
	hr.timeout_ms = timeout_ms;
	in_start = 1;
	rc = http_start(owner, &hr, on_response, r, cause);
	in_start = 0;
	return (rc);
}

static char *
url_for(const char *path)
{
	static char url[128];

	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", server_port, path);
	return (url);
}

static void
safety_cb(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	event_base_loopexit(base, NULL);
}

/* Runs the loop until the callback count reaches want, or SAFETY_MS. */
static void
run_until(int want)
{
	struct timeval tv = { SAFETY_MS / 1000, 0 };
	struct event *ev;

	callbacks_want = want;
	if (callbacks >= want)
		return;
	ev = evtimer_new(base, safety_cb, NULL);
	evtimer_add(ev, &tv);
	event_base_dispatch(base);
	event_free(ev);
	assert_int_equal(callbacks, want);
}

/* Runs the loop for ms milliseconds (to see that nothing arrives). */
static void
run_for(long ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	callbacks_want = INT32_MAX;
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1000L + ts.tv_nsec / 1000000L);
}

/* Runs the loop until n slow requests wait in the server at once. */
static void
run_until_slow(int n)
{
	long deadline = now_ms() + SAFETY_MS;

	while (seen.slow_now < n && now_ms() < deadline)
		run_for(1);
	assert_int_equal(seen.slow_now, n);
}

static int
setup_cap(long cap)
{
	char *cause = NULL;

	memset(&seen, 0, sizeof seen);
	callbacks = 0;
	sync_calls = 0;
	if (http_init(base, cap, &cause) != 0) {
		fprintf(stderr, "http_init: %s\n", cause);
		free(cause);
		return (-1);
	}
	return (0);
}

static int
setup(void **state)
{
	(void)state;
	return (setup_cap(8));
}

static int
setup_cap2(void **state)
{
	(void)state;
	return (setup_cap(2));
}

static int
teardown(void **state)
{
	(void)state;
	http_shutdown();
	result_clear(&chained);
	return (sync_calls == 0 ? 0 : -1);
}

static void
test_get(void **state)
{
	const char *const headers[] = { "X-Test: hello", NULL };
	struct result r = { 0 };

	(void)state;
	assert_int_equal(
	    start(NULL, "GET", url_for("/echo"), headers, NULL, 0, &r, NULL),
	    0);
	run_until(1);
	assert_string_equal(seen.method, "GET");
	assert_string_equal(seen.x_test, "hello");
	assert_int_equal(r.error, 0);
	assert_null(r.error_text);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "echo:");
	assert_int_equal(r.body_len, 5);
	assert_non_null(r.header);
	assert_string_equal(r.header, "yes");
	assert_true(r.missing);
	result_clear(&r);
}

static void
test_post(void **state)
{
	const char *const headers[] = { "Content-Type: application/json",
		"X-Test: posted", NULL };
	struct result r = { 0 };
	struct http_stats st;

	(void)state;
	assert_int_equal(start(NULL, "POST", url_for("/echo"), headers,
			     "{\"a\":1}", 0, &r, NULL),
	    0);
	run_until(1);
	assert_string_equal(seen.method, "POST");
	assert_string_equal(seen.body, "{\"a\":1}");
	assert_string_equal(seen.x_test, "posted");
	assert_string_equal(seen.content_type, "application/json");
	assert_int_equal(r.error, 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "echo:{\"a\":1}");
	assert_string_equal(r.header, "yes");
	http_get_stats(&st);
	assert_int_equal(st.started, 1);
	assert_int_equal(st.completed, 1);
	assert_int_equal(st.failed, 0);
	result_clear(&r);
}

static void
test_put_method(void **state)
{
	struct result r = { 0 };

	(void)state;
	assert_int_equal(
	    start(NULL, "PUT", url_for("/echo"), NULL, "put-body", 0, &r, NULL),
	    0);
	run_until(1);
	assert_string_equal(seen.method, "PUT");
	assert_string_equal(seen.body, "put-body");
	assert_int_equal(r.status, 200);
	result_clear(&r);
}

static void
test_status_500(void **state)
{
	struct result r = { 0 };

	(void)state;
	assert_int_equal(
	    start(NULL, "GET", url_for("/status/500"), NULL, NULL, 0, &r, NULL),
	    0);
	run_until(1);
	assert_int_equal(r.error, 0);
	assert_int_equal(r.timed_out, 0);
	assert_int_equal(r.status, 500);
	assert_string_equal(r.body, "boom");
	result_clear(&r);
}

static void
test_no_redirect(void **state)
{
	struct result r = { 0 };

	(void)state;
	assert_int_equal(
	    start(NULL, "GET", url_for("/redirect"), NULL, NULL, 0, &r, NULL),
	    0);
	run_until(1);
	run_for(50);
	assert_int_equal(r.error, 0);
	assert_int_equal(r.status, 302);
	assert_int_equal(seen.requests, 1);
	result_clear(&r);
}

/* https to a plain HTTP server: the TLS handshake fails, cleanly. */
static void
test_tls_error(void **state)
{
	struct result r = { 0 };
	char url[64];

	(void)state;
	snprintf(url, sizeof url, "https://127.0.0.1:%d/echo", server_port);
	assert_int_equal(start(NULL, "GET", url, NULL, NULL, 0, &r, NULL), 0);
	run_until(1);
	assert_int_not_equal(r.error, 0);
	assert_int_equal(r.timed_out, 0);
	assert_non_null(r.error_text);
	result_clear(&r);
}

static void
test_refused(void **state)
{
	struct result r = { 0 };
	struct http_stats st;
	char url[64];
	int fd, port;

	(void)state;
	fd = local_socket(&port);
	close(fd);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	assert_int_equal(start(NULL, "GET", url, NULL, NULL, 0, &r, NULL), 0);
	run_until(1);
	assert_int_not_equal(r.error, 0);
	assert_int_equal(r.timed_out, 0);
	assert_int_equal(r.status, 0);
	assert_non_null(r.error_text);
	assert_true(strlen(r.error_text) > 0);
	assert_string_equal(r.body, "");
	http_get_stats(&st);
	assert_int_equal(st.failed, 1);
	result_clear(&r);
}

static void
test_timeout(void **state)
{
	struct result r = { 0 };
	char url[64];
	long t0, elapsed;

	(void)state;
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", hang_port);
	t0 = now_ms();
	assert_int_equal(start(NULL, "GET", url, NULL, NULL, 300, &r, NULL), 0);
	run_until(1);
	elapsed = now_ms() - t0;
	assert_int_not_equal(r.error, 0);
	assert_int_equal(r.timed_out, 1);
	assert_non_null(r.error_text);
	assert_true(elapsed >= 250);
	assert_true(elapsed < 3000);
	result_clear(&r);
}

static void
test_cap(void **state)
{
	struct result r[6];
	struct http_stats st;
	size_t i;

	(void)state;
	memset(r, 0, sizeof r);
	for (i = 0; i < 6; i++)
		assert_int_equal(start(NULL, "GET", url_for("/slow"), NULL,
				     NULL, 0, &r[i], NULL),
		    0);
	http_get_stats(&st);
	assert_int_equal(st.in_flight, 2);
	assert_int_equal(st.queued, 4);
	assert_int_equal(callbacks, 0);
	run_until(6);
	assert_int_equal(seen.slow_max, 2);
	assert_int_equal(seen.slow_done, 6);
	for (i = 0; i < 6; i++) {
		assert_int_equal(r[i].called, 1);
		assert_int_equal(r[i].error, 0);
		assert_int_equal(r[i].status, 200);
		assert_string_equal(r[i].body, "slow");
		result_clear(&r[i]);
	}
	http_get_stats(&st);
	assert_int_equal(st.in_flight, 0);
	assert_int_equal(st.queued, 0);
	assert_int_equal(st.completed, 6);
}

/* Cap 2: a1, a2 run; b1 and a3 wait. Cancelling a leaves b1 to finish. */
static void
test_cancel_owner(void **state)
{
	struct result a[3], b;
	struct http_stats st;
	int owner_a, owner_b;

	(void)state;
	memset(a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	assert_int_equal(start(&owner_a, "GET", url_for("/slow"), NULL, NULL, 0,
			     &a[0], NULL),
	    0);
	assert_int_equal(start(&owner_a, "GET", url_for("/slow"), NULL, NULL, 0,
			     &a[1], NULL),
	    0);
	assert_int_equal(
	    start(&owner_b, "GET", url_for("/slow"), NULL, NULL, 0, &b, NULL),
	    0);
	assert_int_equal(start(&owner_a, "GET", url_for("/slow"), NULL, NULL, 0,
			     &a[2], NULL),
	    0);
	run_until_slow(2); /* a1 and a2 reach the server */
	http_cancel_owner(&owner_a);
	http_get_stats(&st);
	assert_int_equal(st.in_flight, 1);
	assert_int_equal(st.queued, 0);
	run_until(1);
	run_for(3 * SLOW_MS);
	assert_int_equal(b.called, 1);
	assert_int_equal(b.status, 200);
	assert_int_equal(a[0].called + a[1].called + a[2].called, 0);
	assert_int_equal(callbacks, 1);
	assert_int_equal(seen.slow_now, 0);
	http_get_stats(&st);
	assert_int_equal(st.in_flight, 0);
	result_clear(&b);
}

static void
test_never_synchronous(void **state)
{
	struct result r1 = { 0 }, r2 = { 0 };
	char url[64];
	int fd, port;

	(void)state;
	fd = local_socket(&port);
	close(fd);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	assert_int_equal(start(NULL, "GET", url, NULL, NULL, 0, &r1, NULL), 0);
	assert_int_equal(
	    start(NULL, "GET", url_for("/echo"), NULL, NULL, 0, &r2, NULL), 0);
	assert_int_equal(callbacks, 0);
	run_until(2);
	assert_int_equal(sync_calls, 0);
	assert_int_equal(r1.called, 1);
	assert_int_equal(r2.called, 1);
	result_clear(&r1);
	result_clear(&r2);
}

/* A callback may start the next request. */
static void
test_chain(void **state)
{
	struct result r = { 0 };

	(void)state;
	r.chain = 1;
	assert_int_equal(
	    start(NULL, "GET", url_for("/echo"), NULL, NULL, 0, &r, NULL), 0);
	run_until(2);
	assert_int_equal(r.status, 200);
	assert_int_equal(chained.called, 1);
	assert_int_equal(chained.status, 200);
	assert_int_equal(sync_calls, 0);
	result_clear(&r);
}

/* Two requests one after the other share one connection. */
static void
test_reuse(void **state)
{
	struct result r1 = { 0 }, r2 = { 0 };

	(void)state;
	assert_int_equal(
	    start(NULL, "GET", url_for("/echo"), NULL, NULL, 0, &r1, NULL), 0);
	run_until(1);
	assert_int_equal(
	    start(NULL, "GET", url_for("/echo"), NULL, NULL, 0, &r2, NULL), 0);
	run_until(2);
	assert_int_equal(seen.requests, 2);
	assert_int_not_equal(seen.peer_port[0], 0);
	assert_int_equal(seen.peer_port[0], seen.peer_port[1]);
	result_clear(&r1);
	result_clear(&r2);
}

static void
test_body_cap(void **state)
{
	struct result r1 = { 0 }, r2 = { 0 };

	(void)state;
	assert_int_equal(
	    start(NULL, "GET", url_for("/big"), NULL, NULL, 0, &r1, NULL), 0);
	assert_int_equal(start(NULL, "GET", url_for("/bigchunked"), NULL, NULL,
			     0, &r2, NULL),
	    0);
	run_until(2);
	assert_int_not_equal(r1.error, 0);
	assert_int_equal(r1.timed_out, 0);
	assert_string_equal(r1.error_text, "response body larger than 8 MiB");
	assert_int_equal(r1.body_len, 0);
	assert_int_not_equal(r2.error, 0);
	assert_string_equal(r2.error_text, "response body larger than 8 MiB");
	assert_int_equal(r2.body_len, 0);
	result_clear(&r1);
	result_clear(&r2);
}

static void
test_refused_at_start(void **state)
{
	const char *const bad_header[] = { "X-Test: a\r\nX-Evil: b", NULL };
	struct result r = { 0 };
	struct http_stats st;
	char *cause = NULL;
	char url[64];

	(void)state;
	snprintf(url, sizeof url, "ftp://127.0.0.1:%d/file", server_port);
	assert_int_equal(
	    start(NULL, "GET", url, NULL, NULL, 0, &r, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "ftp"));
	free(cause);
	cause = NULL;

	assert_int_equal(
	    start(NULL, "GET", "not a url", NULL, NULL, 0, &r, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;

	assert_int_equal(start(NULL, "GET", url_for("/echo"), bad_header, NULL,
			     0, &r, &cause),
	    -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;

	assert_int_equal(
	    start(NULL, "GET X", url_for("/echo"), NULL, NULL, 0, &r, &cause),
	    -1);
	assert_non_null(cause);
	free(cause);

	/* A NULL cause is allowed. */
	assert_int_equal(start(NULL, "GET", url, NULL, NULL, 0, &r, NULL), -1);

	run_for(50);
	assert_int_equal(r.called, 0);
	assert_int_equal(seen.requests, 0);
	http_get_stats(&st);
	assert_int_equal(st.started, 0);
}

/* http_shutdown drops what runs and what waits, without callbacks. */
static void
test_shutdown_pending(void **state)
{
	struct result r[3];
	char url[64];

	(void)state;
	memset(r, 0, sizeof r);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/", hang_port);
	assert_int_equal(
	    start(NULL, "GET", url_for("/slow"), NULL, NULL, 0, &r[0], NULL),
	    0);
	assert_int_equal(
	    start(NULL, "GET", url, NULL, NULL, 0, &r[1], NULL), 0);
	assert_int_equal(
	    start(NULL, "GET", url_for("/slow"), NULL, NULL, 0, &r[2], NULL),
	    0);
	run_for(30);
	http_shutdown();
	http_shutdown();
	run_for(3 * SLOW_MS);
	assert_int_equal(callbacks, 0);
	assert_int_equal(seen.slow_now, 0);
}

/* A callback may shut the client down: the others are dropped. */
static void
test_shutdown_from_callback(void **state)
{
	struct result r[3];
	size_t i;

	(void)state;
	memset(r, 0, sizeof r);
	r[0].shutdown = 1;
	for (i = 0; i < 3; i++)
		assert_int_equal(start(NULL, "GET", url_for("/echo"), NULL,
				     NULL, 0, &r[i], NULL),
		    0);
	run_until(1);
	run_for(3 * SLOW_MS);
	assert_int_equal(callbacks, 1);
	assert_int_equal(r[0].called + r[1].called + r[2].called, 1);
	for (i = 0; i < 3; i++)
		result_clear(&r[i]);
}

/* --- SMTP: the same handle; what is refused, and transport errors. --- */

struct sresult {
	int called;
	int error;
	int timed_out;
	long code;
	char text[256];
};

static void
on_smtp(const struct delistd_smtp_response *resp, void *arg)
{
	struct sresult *r = arg;

	if (in_start)
		sync_calls++;
	r->called++;
	r->error = resp->error;
	r->timed_out = resp->timed_out;
	r->code = resp->code;
	snprintf(r->text, sizeof r->text, "%s",
	    resp->error_text != NULL ? resp->error_text : "");
	if (++callbacks >= callbacks_want)
		event_base_loopexit(base, NULL);
}

static void
smtp_request(
    struct delistd_smtp_request *sr, const char *url, const char *const *rcpt)
{
	static const char msg[] = "Subject: t\r\n\r\nbody\r\n";

	memset(sr, 0, sizeof *sr);
	sr->url = url;
	sr->mail_from = "delistd@shop.example";
	sr->rcpt = rcpt;
	sr->message = msg;
	sr->message_len = sizeof msg - 1;
	sr->username = "alerts";
	sr->password = "Pa55-not-in-errors";
}

static void
test_smtp_refused_at_start(void **state)
{
	const char *const ok[] = { "ops@shop.example", NULL };
	const char *const none[] = { NULL };
	const char *const crlf[] = { "ops@shop.example\r\nRCPT TO:<x@y>",
		NULL };
	const char *const angle[] = { "<ops@shop.example>", NULL };
	struct delistd_smtp_request sr;
	struct sresult r = { 0 };
	struct result hr = { 0 };
	char *cause = NULL;

	(void)state;
	smtp_request(&sr, "http://127.0.0.1:25", ok);
	assert_int_equal(http_start_smtp(NULL, &sr, on_smtp, &r, &cause), -1);
	assert_non_null(strstr(cause, "only smtp and smtps"));
	free(cause);
	cause = NULL;
	/* ... and HTTP requests do not take smtp:// */
	assert_int_equal(start(NULL, "GET", "smtp://127.0.0.1:25", NULL, NULL,
			     0, &hr, &cause),
	    -1);
	assert_non_null(strstr(cause, "only http and https"));
	free(cause);
	cause = NULL;
	smtp_request(&sr, "smtp://127.0.0.1:25", none);
	assert_int_equal(http_start_smtp(NULL, &sr, on_smtp, &r, &cause), -1);
	assert_non_null(strstr(cause, "no recipient"));
	free(cause);
	cause = NULL;
	smtp_request(&sr, "smtp://127.0.0.1:25", crlf);
	assert_int_equal(http_start_smtp(NULL, &sr, on_smtp, &r, &cause), -1);
	free(cause);
	cause = NULL;
	smtp_request(&sr, "smtp://127.0.0.1:25", angle);
	assert_int_equal(http_start_smtp(NULL, &sr, on_smtp, &r, &cause), -1);
	free(cause);
	cause = NULL;
	smtp_request(&sr, "smtp://127.0.0.1:25", ok);
	sr.password = "a\r\nb";
	assert_int_equal(http_start_smtp(NULL, &sr, on_smtp, &r, &cause), -1);
	assert_null(strstr(cause, "a\r\nb"));
	free(cause);
	cause = NULL;
	smtp_request(&sr, "smtp://127.0.0.1:25", ok);
	sr.message_len = 0;
	assert_int_equal(http_start_smtp(NULL, &sr, on_smtp, &r, NULL), -1);
	run_for(50);
	assert_int_equal(r.called, 0);
}

/* A refused connection and a silent server: transport errors, code 0. */
static void
test_smtp_transport_errors(void **state)
{
	const char *const ok[] = { "ops@shop.example", NULL };
	struct delistd_smtp_request sr;
	struct sresult r[2];
	char url[2][64];
	int fd, port;

	(void)state;
	memset(r, 0, sizeof r);
	fd = local_socket(&port);
	close(fd);
	snprintf(url[0], sizeof url[0], "smtp://127.0.0.1:%d", port);
	snprintf(url[1], sizeof url[1], "smtp://127.0.0.1:%d", hang_port);
	smtp_request(&sr, url[0], ok);
	in_start = 1;
	assert_int_equal(http_start_smtp(NULL, &sr, on_smtp, &r[0], NULL), 0);
	smtp_request(&sr, url[1], ok);
	sr.timeout_ms = 200;
	assert_int_equal(http_start_smtp(NULL, &sr, on_smtp, &r[1], NULL), 0);
	in_start = 0;
	run_until(2);
	assert_int_equal(sync_calls, 0);
	assert_int_equal(r[0].called, 1);
	assert_int_not_equal(r[0].error, 0);
	assert_int_equal(r[0].timed_out, 0);
	assert_int_equal(r[0].code, 0);
	assert_int_equal(r[1].called, 1);
	assert_int_not_equal(r[1].error, 0);
	assert_int_equal(r[1].timed_out, 1);
	assert_int_equal(r[1].code, 0);
	assert_null(strstr(r[0].text, "Pa55"));
	assert_null(strstr(r[1].text, "Pa55"));
}

static int
group_setup(void **state)
{
	struct evhttp_bound_socket *bound;
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	/* Loopback only: no proxy from the environment. */
	setenv("no_proxy", "*", 1);
	setenv("NO_PROXY", "*", 1);
	log_init(1, LOG_LEVEL_WARNING);

	if ((base = event_base_new()) == NULL)
		return (-1);
	if ((server = evhttp_new(base)) == NULL)
		return (-1);
	evhttp_set_allowed_methods(server,
	    EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
		EVHTTP_REQ_HEAD | EVHTTP_REQ_DELETE);
	evhttp_set_gencb(server, server_cb, NULL);
	if ((bound = evhttp_bind_socket_with_handle(server, "127.0.0.1", 0)) ==
	    NULL)
		return (-1);
	if (getsockname(evhttp_bound_socket_get_fd(bound),
		(struct sockaddr *)&sin, &len) != 0)
		return (-1);
	server_port = ntohs(sin.sin_port);

	hang_fd = local_socket(&hang_port);
	if (listen(hang_fd, 16) != 0)
		return (-1);
	return (0);
}

static int
group_teardown(void **state)
{
	(void)state;
	evhttp_free(server);
	event_base_free(base);
	close(hang_fd);
	return (0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_post, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_put_method, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_status_500, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_no_redirect, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_tls_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap, setup_cap2, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cancel_owner, setup_cap2, teardown),
		cmocka_unit_test_setup_teardown(
		    test_never_synchronous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_body_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_refused_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_shutdown_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_shutdown_from_callback, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_smtp_refused_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_smtp_transport_errors, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, group_setup, group_teardown));
}

/* SPDX-License-Identifier: ISC */
/*
 * api.c: the control API, HTTP/1.1 + JSON over a Unix socket (evhttp).
 *
 * Routes are rows in one table (api-routes.h): a method, a path pattern
 * ('*' matches one segment and is handed to the handler) and a function;
 * api-route.c checks a request's method, path, query and JSON body and
 * finds its row, without a socket (the HTTP fuzz target runs it too),
 * and every refusal, an unknown method's too, is answered here in JSON.
 * This file owns the
 * socket, the limits libevent leaves off by default (header and body sizes,
 * a per-connection timeout, a cap on connections counted from accept, a
 * deadline for a whole request, a pause in accepting when out of file
 * descriptors) and the error shape
 * {"error":{"code":...,"message":...}} every failure is answered with.
 * Bodies are JSON objects of at most API_MAX_BODY, except on the routes of
 * api_raw_routes (a document upload: raw bytes up to daemon.max_upload).
 * Handlers of the domain live beside their subsystems; this file must not
 * grow domain logic.
 */

#include "config.h"

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/event_struct.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "api-route.h"
#include "backup.h"
#include "calendar.h"
#include "lifecycle.h"
#include "scheduler.h"
#include "text.h"
#include "vault.h"
#include "web.h"

#define API_MAX_HEADERS (8 * 1024)
#define API_MAX_BODY (1024 * 1024)
/* Beyond this libevent refuses the body itself, before reading it. */
#define API_HARD_BODY (4 * API_MAX_BODY)
/* How long accepting pauses when accept(2) fails (EMFILE, ENFILE...). */
#define API_ACCEPT_PAUSE_MSEC 500

/*
 * A connection, from accept to close. Counted against max_clients from
 * accept (unless refused: over the cap, its request is answered 503), it
 * must deliver a whole request within client_timeout of its accept or of
 * its previous answer; a stream (an event follower) leaves the count.
 */
enum api_conn_state {
	API_CONN_READING, /* waiting for a whole request: the deadline runs */
	API_CONN_BUSY, /* a request is being answered */
	API_CONN_STREAM, /* answering a stream: not a client any more */
};

struct api_conn {
	struct api *api;
	struct evhttp_connection *evcon;
	enum api_conn_state state;
	int refused;
	struct event deadline;
	TAILQ_ENTRY(api_conn) entry;
};

struct api {
	struct event_base *base;
	struct evhttp *http; /* the Unix socket's */
	struct evhttp *webhttp; /* the web listener's, or NULL */
	struct evhttp_bound_socket *bound;
	const struct config *config;
	char *path;
	TAILQ_HEAD(, api_conn) conns;
	size_t nconns; /* counted against max_clients */
	size_t nstreams;
	size_t maxconns;
	struct bufferevent **fresh; /* accepted, not yet seen by api_claim */
	size_t nfresh;
	struct event claim_ev;
	struct event resume_ev;
	int accept_failing; /* logged once until an accept works again */
	uint64_t requests;
	int accepting;
};

/* The listener's error callback has no argument of its own. */
static struct api *api_current;

static void api_dispatch(struct evhttp_request *, void *);
static struct bufferevent *api_conn_bev(struct event_base *, void *);
static struct bufferevent *api_web_bev(struct event_base *, void *);
static struct bufferevent *api_conn_fresh(struct api *, struct bufferevent *);
static void api_claim(evutil_socket_t, short, void *);
static struct api_conn *api_conn_find(struct api *, struct evhttp_connection *);
static void api_conn_closed(struct evhttp_connection *, void *);
static void api_conn_deadline(evutil_socket_t, short, void *);
static void api_conn_arm(struct api_conn *);
static void api_req_done(struct evhttp_request *, void *);
static void api_accept_error(struct evconnlistener *, void *);
static void api_accept_resume(evutil_socket_t, short, void *);
static void api_status(struct api_req *);
static void api_reload(struct api_req *);
static void api_metrics(struct api_req *);
static void api_metrics_sink(const char *, int64_t, int64_t, time_t, void *);
static void api_metrics_sinks(struct evbuffer *);

static const struct api_route api_routes[] = {
#define API_ROUTE(m, pattern, fn) { EVHTTP_REQ_##m, pattern, fn },
#include "api-routes.h"
#undef API_ROUTE
};

/* Handlers whose body is a document's bytes (up to max_upload), not JSON. */
static void (*const api_raw_routes[])(struct api_req *) = { api_docs_post };

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Makes the listening socket: a stale socket file (nobody answers) is
 * replaced; a live one means another daemon is there, and is refused.
 * The file is born with mode 0660 (umask around bind), and everything
 * after bind goes through the directory without following a symlink: a
 * swap of the name for a link cannot make us chmod or chown another file.
 */
int
api_socket_prepare(const char *path, const char *group, char **cause)
{
	struct sockaddr_un sun;
	struct stat sb;
	struct group *gr;
	char *copy, *base;
	int fd = -1, probe, dfd;
	mode_t mask;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if ((size_t)snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path) >=
	    sizeof sun.sun_path) {
		xasprintf(cause, "socket path %s is too long", path);
		return (-1);
	}
	/* Its directory (e.g. /run/delistd when started by hand). */
	copy = xstrdup(path);
	if (mkdir(dirname(copy), 0750) == 0)
		log_info("created %s for the socket", copy);
	dfd = open(copy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (dfd == -1) {
		xasprintf(
		    cause, "socket directory of %s: %s", path, strerror(errno));
		return (-1);
	}
	copy = xstrdup(path);
	base = basename(copy);
	if (fstatat(dfd, base, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			xasprintf(cause,
			    "%s exists and is not a socket; "
			    "remove it or choose another socket",
			    path);
			goto out;
		}
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe != -1 &&
		    connect(probe, (struct sockaddr *)&sun, sizeof sun) == 0) {
			close(probe);
			xasprintf(
			    cause, "another delistd is listening on %s", path);
			goto out;
		}
		if (probe != -1)
			close(probe);
		log_info("removing stale socket %s", path);
		if (unlinkat(dfd, base, 0) == -1) {
			xasprintf(cause, "cannot remove stale socket %s: %s",
			    path, strerror(errno));
			goto out;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		xasprintf(cause, "socket: %s", strerror(errno));
		goto out;
	}
	mask = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		umask(mask);
		xasprintf(cause, "cannot bind %s: %s", path, strerror(errno));
		close(fd);
		fd = -1;
		goto out;
	}
	umask(mask);
	if (fstatat(dfd, base, &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
	    !S_ISSOCK(sb.st_mode)) {
		xasprintf(cause,
		    "%s was replaced by something else than our socket "
		    "right after bind; refusing to touch it",
		    path);
		close(fd);
		fd = -1;
		goto out; /* not ours any more: not unlinked */
	}
	/* A default ACL on the directory may have overridden the umask. */
	if ((sb.st_mode & 07777) != 0660 &&
	    fchmodat(dfd, base, 0660, AT_SYMLINK_NOFOLLOW) == -1) {
		xasprintf(cause, "chmod %s: %s", path, strerror(errno));
		goto fail;
	}
	if (group != NULL) {
		if ((gr = getgrnam(group)) == NULL) {
			xasprintf(
			    cause, "socket_group %s does not exist", group);
			goto fail;
		}
		/* Under the unit the group is already ours: no chown. */
		if (sb.st_gid != gr->gr_gid &&
		    fchownat(dfd, base, (uid_t)-1, gr->gr_gid,
			AT_SYMLINK_NOFOLLOW) == -1) {
			xasprintf(cause, "chown %s to group %s: %s", path,
			    group, strerror(errno));
			goto fail;
		}
	}
	/* The kernel caps it (somaxconn); a burst of clients waits, not EAGAIN. */
	if (listen(fd, SOMAXCONN) == -1) {
		xasprintf(cause, "listen %s: %s", path, strerror(errno));
		goto fail;
	}
	goto out;
fail:
	close(fd);
	fd = -1;
	unlinkat(dfd, base, 0);
out:
	free(copy);
	close(dfd);
	return (fd);
}

/*
 * An evhttp with the API's settings: every method reaches api_dispatch,
 * one libevent does not know too (its own refusal is an HTML 501): all
 * are answered in JSON; a body over the limit is read (and dropped)
 * before the 413: closing at once made a client still sending see a
 * broken pipe, not why.
 */
static struct evhttp *
api_http_new(
    struct api *api, struct bufferevent *(*bevcb)(struct event_base *, void *))
{
	struct evhttp *http;

	if ((http = evhttp_new(api->base)) == NULL)
		return (NULL);
	evhttp_set_allowed_methods(http, 0xffff);
	evhttp_set_max_headers_size(http, API_MAX_HEADERS);
	evhttp_set_flags(http, EVHTTP_SERVER_LINGERING_CLOSE);
	evhttp_set_gencb(http, api_dispatch, api);
	evhttp_set_bevcb(http, bevcb, api);
	return (http);
}

static void
api_http_free(struct api *api)
{
	if (api->webhttp != NULL)
		evhttp_free(api->webhttp);
	evhttp_free(api->http);
	api->webhttp = NULL;
}

struct api *
api_new(
    struct event_base *base, int fd, const struct config *conf, char **cause)
{
	struct api *api;

	api = xcalloc(1, sizeof *api);
	api->base = base;
	api->path = xstrdup(conf->socket);
	TAILQ_INIT(&api->conns);
	event_assign(&api->claim_ev, base, -1, 0, api_claim, api);
	evtimer_assign(&api->resume_ev, base, api_accept_resume, api);
	/*
	 * The web console is its own evhttp (the same routes and limits):
	 * libevent 2.1 makes a connection's bufferevent per evhttp, not per
	 * listener, and the web's may be TLS.
	 */
	if ((api->http = api_http_new(api, api_conn_bev)) == NULL ||
	    (conf->web_listen != NULL &&
		(api->webhttp = api_http_new(api, api_web_bev)) == NULL)) {
		xasprintf(cause, "evhttp_new failed");
		if (api->http != NULL)
			evhttp_free(api->http);
		free(api->path);
		free(api);
		return (NULL);
	}
	api_set_config(api, conf);
	if ((api->bound = evhttp_accept_socket_with_handle(api->http, fd)) ==
	    NULL) {
		xasprintf(cause, "cannot listen on %s", conf->socket);
		api_http_free(api);
		free(api->path);
		free(api);
		return (NULL);
	}
	/* Out of descriptors, libevent would retry accept(2) in a loop. */
	api_current = api;
	evconnlistener_set_error_cb(
	    evhttp_bound_socket_get_listener(api->bound), api_accept_error);
	api->accepting = 1;
	/* The web console: the same routes on TCP, each request signed in. */
	if (api->webhttp != NULL &&
	    web_start(api->webhttp, conf, cause) == -1) {
		api_http_free(api);
		free(api->path);
		free(api);
		api_current = NULL;
		return (NULL);
	}
	return (api);
}

void
api_set_config(struct api *api, const struct config *conf)
{
	struct evhttp *https[2] = { api->http, api->webhttp };
	size_t i;

	api->config = conf;
	api->maxconns = conf->max_clients;
	/*
	 * Uploads may be larger than JSON bodies; JSON keeps its limit, but
	 * checked after the body is read: libevent 2.1 has one body limit
	 * per server and no hook on an incoming request's headers (no
	 * evhttp_set_newreqcb, and evhttp_request_set_header_cb only works
	 * for requests we make), so a JSON route can be sent up to
	 * max_upload before its 413. delistd.conf(5) says so.
	 */
	for (i = 0; i < nitems(https); i++) {
		if (https[i] == NULL)
			continue;
		evhttp_set_timeout(https[i], (int)conf->client_timeout);
		evhttp_set_max_body_size(https[i],
		    conf->max_upload > API_HARD_BODY
			? (ev_ssize_t)conf->max_upload
			: API_HARD_BODY);
	}
}

void
api_stop_accepting(struct api *api)
{
	struct evconnlistener *l;

	if (!api->accepting)
		return;
	l = evhttp_bound_socket_get_listener(api->bound);
	if (l != NULL)
		evconnlistener_disable(l);
	evtimer_del(&api->resume_ev);
	api->accepting = 0;
}

void
api_free(struct api *api)
{
	if (api == NULL)
		return;
	api_events_stop();
	web_stop();
	/* Frees the connections, which calls api_conn_closed for each. */
	api_http_free(api);
	event_del(&api->claim_ev);
	evtimer_del(&api->resume_ev);
	api_current = NULL;
	unlink(api->path);
	free(api->path);
	free(api->fresh);
	free(api);
}

/*
 * accept(2) failed for another reason than a retry (out of descriptors,
 * mostly): stop listening for a moment instead of failing in a loop, and
 * say so once until an accept works again.
 */
static void
api_accept_error(struct evconnlistener *l, void *arg)
{
	struct api *api = api_current;
	struct timeval tv = { 0, API_ACCEPT_PAUSE_MSEC * 1000 };
	int error = errno;

	(void)arg;
	evconnlistener_disable(l);
	if (api == NULL || !api->accepting)
		return;
	if (!api->accept_failing)
		log_warnx("api: cannot accept a connection: %s; pausing "
			  "accepts for %d ms at a time until it works",
		    strerror(error), API_ACCEPT_PAUSE_MSEC);
	api->accept_failing = 1;
	evtimer_add(&api->resume_ev, &tv);
}

static void
api_accept_resume(evutil_socket_t fd, short events, void *arg)
{
	struct api *api = arg;
	struct evconnlistener *l;

	(void)fd;
	(void)events;
	l = evhttp_bound_socket_get_listener(api->bound);
	if (api->accepting && l != NULL)
		evconnlistener_enable(l);
}

/*
 * Called by evhttp for each accepted connection, before it exists: the
 * connection is claimed (counted, its deadline armed) by api_claim, which
 * runs in this same pass of the loop, before anything is read from it.
 */
static struct bufferevent *
api_conn_bev(struct event_base *base, void *arg)
{
	return (api_conn_fresh(
	    arg, bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE)));
}

/* The same on the web listener, where the bufferevent may speak TLS. */
static struct bufferevent *
api_web_bev(struct event_base *base, void *arg)
{
	struct api *api = arg;

	return (api_conn_fresh(api, web_bev_new(base, api->config)));
}

static struct bufferevent *
api_conn_fresh(struct api *api, struct bufferevent *bev)
{
	if (bev == NULL)
		return (NULL);
	if (api->accept_failing)
		log_info("api: accepting connections again");
	api->accept_failing = 0;
	api->fresh =
	    xreallocarray(api->fresh, api->nfresh + 1, sizeof *api->fresh);
	api->fresh[api->nfresh++] = bev;
	event_active(&api->claim_ev, 0, 1);
	return (bev);
}

static void
api_claim(evutil_socket_t fd, short events, void *arg)
{
	struct api *api = arg;
	struct api_conn *conn;
	void *evcon;
	size_t i;

	(void)fd;
	(void)events;
	for (i = 0; i < api->nfresh; i++) {
		/* evhttp's callbacks on the bufferevent carry its connection. */
		bufferevent_getcb(api->fresh[i], NULL, NULL, NULL, &evcon);
		if (evcon == NULL || api_conn_find(api, evcon) != NULL)
			continue;
		conn = xcalloc(1, sizeof *conn);
		conn->api = api;
		conn->evcon = evcon;
		conn->state = API_CONN_READING;
		conn->refused = api->nconns >= api->maxconns;
		if (!conn->refused)
			api->nconns++;
		evtimer_assign(
		    &conn->deadline, api->base, api_conn_deadline, conn);
		TAILQ_INSERT_TAIL(&api->conns, conn, entry);
		evhttp_connection_set_closecb(
		    conn->evcon, api_conn_closed, conn);
		api_conn_arm(conn);
	}
	api->nfresh = 0;
}

static struct api_conn *
api_conn_find(struct api *api, struct evhttp_connection *evcon)
{
	struct api_conn *conn;

	TAILQ_FOREACH (conn, &api->conns, entry) {
		if (conn->evcon == evcon)
			return (conn);
	}
	return (NULL);
}

static void
api_conn_arm(struct api_conn *conn)
{
	struct timeval tv = { (time_t)conn->api->config->client_timeout, 0 };

	conn->state = API_CONN_READING;
	evtimer_add(&conn->deadline, &tv);
}

/*
 * No whole request within client_timeout: libevent's own timeout only
 * sees silence, so a client sending a byte now and then would stay.
 */
static void
api_conn_deadline(evutil_socket_t fd, short events, void *arg)
{
	struct api_conn *conn = arg;

	(void)fd;
	(void)events;
	if (conn->state != API_CONN_READING)
		return;
	log_debug("api: closing a connection that sent no whole request "
		  "in %llds (client_timeout)",
	    (long long)conn->api->config->client_timeout);
	/* Calls api_conn_closed, which frees conn. */
	evhttp_connection_free(conn->evcon);
}

static void
api_conn_closed(struct evhttp_connection *evcon, void *arg)
{
	struct api_conn *conn = arg;
	struct api *api = conn->api;

	TAILQ_REMOVE(&api->conns, conn, entry);
	if (conn->state == API_CONN_STREAM)
		api->nstreams--;
	else if (!conn->refused)
		api->nconns--;
	evtimer_del(&conn->deadline);
	free(conn);
	api_events_conn_closed(evcon);
}

/* A request is answered (all of it written): the deadline runs again. */
static void
api_req_done(struct evhttp_request *req, void *arg)
{
	struct api_conn *conn;

	conn = api_conn_find(arg, evhttp_request_get_connection(req));
	if (conn != NULL && conn->state == API_CONN_BUSY)
		api_conn_arm(conn);
}

/* The request's connection now carries a stream: not a client any more. */
void
api_conn_stream(struct api_req *r)
{
	struct api_conn *conn;

	conn = api_conn_find(r->api, evhttp_request_get_connection(r->req));
	if (conn == NULL || conn->state == API_CONN_STREAM)
		return;
	if (!conn->refused)
		r->api->nconns--;
	conn->refused = 0;
	conn->state = API_CONN_STREAM;
	r->api->nstreams++;
	evtimer_del(&conn->deadline);
}

/* Connections being served: clients and streams (not those refused). */
size_t
api_clients(const struct api *api)
{
	return (api->nconns + api->nstreams);
}

uint64_t
api_requests(const struct api *api)
{
	return (api->requests);
}

/*
 * Error messages quote what clients sent (cut to a length, maybe inside a
 * character): bytes that are not UTF-8 become '?', so the JSON renders.
 */
static void
utf8_scrub(char *s)
{
	text_scrub(s);
}

/* Sends a JSON document (taking it over) with a status code. */
void
api_reply(struct api_req *r, int status, json_t *doc)
{
	struct evbuffer *buf;
	char *text;

	text = doc != NULL
	    ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)
	    : NULL;
	json_decref(doc);
	/* A client must never be able to stop the daemon: answer 500. */
	if (text == NULL) {
		log_warnx("api: an answer could not be rendered as JSON");
		status = 500;
		text = xstrdup("{\"error\": {\"code\": \"internal\", "
			       "\"message\": \"the answer could not be "
			       "rendered\"}}");
	}
	buf = evbuffer_new();
	evbuffer_add_printf(buf, "%s\n", text);
	free(text);
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Content-Type", "application/json; charset=utf-8");
	evhttp_send_reply(r->req, status, NULL, buf);
	evbuffer_free(buf);
	r->replied = 1;
}

void
api_error(struct api_req *r, int status, const char *code, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	utf8_scrub(msg);
	api_reply(r, status,
	    json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg));
	free(msg);
}

/*
 * The requests libevent refuses by itself, before api_dispatch sees them:
 * not HTTP or headers over API_MAX_HEADERS (400: libevent 2.1 does not
 * tell them apart), a body over the hard limit (413), an Expect it does
 * not know (417), a method an evhttp does not allow (501: none, all are
 * allowed).
 */
static const struct {
	int status;
	const char *code;
	const char *message;
} api_own_refusals[] = {
	{ 400, "bad_request",
	    "the request is not valid HTTP/1.x, or its headers are over "
	    "8 KiB" },
	{ 413, "request_too_large",
	    "the request's headers or body are over the limits" },
	{ 417, "expectation_failed",
	    "only Expect: 100-continue is understood" },
	{ 501, "not_implemented", "this method is not served" },
};

/*
 * libevent 2.1 answers those with this public function, which its own
 * code calls through the dynamic linker (its PLT), so this definition
 * replaces it for the whole process: the same status, in JSON like every
 * other refusal, with the web listener's security headers (libevent's
 * own page cleared every header and had none). tests/integration/
 * web.sh sends such requests to check that this is still the one called.
 */
void
evhttp_send_error(struct evhttp_request *req, int error, const char *reason)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	struct api_req r;
	size_t i;

	(void)reason;
	memset(&r, 0, sizeof r);
	r.req = req;
	if (!req->major || !req->minor) {
		req->major = 1;
		req->minor = 1;
	}
	evhttp_clear_headers(out);
	if (web_is_tcp(req))
		web_headers(req);
	evhttp_add_header(out, "Connection", "close");
	for (i = 0; i < nitems(api_own_refusals); i++) {
		if (api_own_refusals[i].status == error)
			break;
	}
	if (i == nitems(api_own_refusals))
		api_error(&r, error, "refused", "the request was refused");
	else
		api_error(&r, error, api_own_refusals[i].code, "%s",
		    api_own_refusals[i].message);
}

/*
 * Sends the file at path as ctype (200), from the kernel's page cache; -1
 * with errno, and nothing sent, when it cannot be opened.
 */
int
api_send_file(struct api_req *r, const char *path, const char *ctype)
{
	struct evbuffer *buf;
	struct stat sb;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	if (fstat(fd, &sb) == -1) {
		close(fd);
		return (-1);
	}
	buf = evbuffer_new();
	/* evbuffer_add_file takes the fd over. */
	evbuffer_add_file(buf, fd, 0, sb.st_size);
	api_send_text(r, 200, ctype, buf);
	evbuffer_free(buf);
	return (0);
}

const char *
api_query(struct api_req *r, const char *key)
{
	return (evhttp_find_header(&r->query, key));
}

/* Which query keys a route takes: any other is refused by name. */
int
api_query_keys(struct api_req *r, const char *const *keys, size_t nkeys)
{
	struct evkeyval *kv;
	size_t i;

	TAILQ_FOREACH (kv, &r->query, next) {
		for (i = 0; i < nkeys; i++) {
			if (strcmp(kv->key, keys[i]) == 0)
				break;
		}
		if (i == nkeys) {
			api_error(r, 400, "bad_query",
			    "unknown query parameter \"%.32s\"", kv->key);
			return (-1);
		}
	}
	return (0);
}

void
api_send_text(
    struct api_req *r, int status, const char *ctype, struct evbuffer *buf)
{
	evhttp_add_header(
	    evhttp_request_get_output_headers(r->req), "Content-Type", ctype);
	evhttp_send_reply(r->req, status, NULL, buf);
	r->replied = 1;
}

static void
api_dispatch(struct evhttp_request *req, void *arg)
{
	struct api *api = arg;
	struct api_req r;
	struct api_verdict v;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *query = uri ? evhttp_uri_get_query(uri) : NULL;
	const struct api_route *route;
	struct api_conn *conn;
	size_t len, i;

	memset(&r, 0, sizeof r);
	memset(&v, 0, sizeof v);
	r.req = req;
	r.api = api;
	TAILQ_INIT(&r.query);
	api->requests++;

	/* Accepted in this pass of the loop: not claimed yet. */
	if (api->nfresh > 0)
		api_claim(-1, 0, api);
	conn = api_conn_find(api, evhttp_request_get_connection(req));
	if (conn != NULL && conn->state == API_CONN_READING) {
		evtimer_del(&conn->deadline);
		conn->state = API_CONN_BUSY;
		evhttp_request_set_on_complete_cb(req, api_req_done, api);
	}
	if ((r.tcp = web_is_tcp(req)))
		web_headers(req);
	if (conn != NULL && conn->refused) {
		evhttp_add_header(out, "Connection", "close");
		api_error(&r, 503, "too_many_clients",
		    "more than %zu clients are connected; try again",
		    api->maxconns);
		return;
	}
	if (path == NULL || *path == '\0')
		path = "/";
	/* The setup link and the static files, on the web listener. */
	if (r.tcp && web_serve(&r, path))
		goto done;
	if (api_route_request(api_routes, nitems(api_routes),
		evhttp_request_get_command(req), path, query, &r, &v) == -1) {
		if (v.allow != NULL)
			evhttp_add_header(out, "Allow", v.allow);
		goto refuse;
	}
	route = v.route;
	len = evbuffer_get_length(in);
	for (i = 0; i < nitems(api_raw_routes); i++) {
		if (api_raw_routes[i] == route->fn)
			break;
	}
	if (i < nitems(api_raw_routes)) {
		if ((int64_t)len > api->config->max_upload) {
			evhttp_add_header(out, "Connection", "close");
			api_error(&r, 413, "body_too_large",
			    "the upload is %zu bytes; at most %lld are "
			    "accepted (daemon.max_upload)",
			    len, (long long)api->config->max_upload);
			goto done;
		}
	} else if (api_route_body(&r,
		       len > 0 ? (const char *)evbuffer_pullup(in, -1) : NULL,
		       len, API_MAX_BODY, &v) == -1) {
		if (v.status == 413)
			evhttp_add_header(out, "Connection", "close");
		goto refuse;
	}
	/* On the web listener: a session, its role, its CSRF token. */
	if (r.tcp && web_authorize(&r, route) == -1)
		goto done;
	route->fn(&r);
	if (!r.replied && !r.deferred)
		api_error(&r, 500, "internal", "the handler gave no answer");
	goto done;
refuse:
	api_error(&r, v.status, v.code, "%s", v.message);
done:
	json_decref(r.body);
	evhttp_clear_headers(&r.query);
	api_verdict_clear(&v);
	free(r.who);
	free(r.session);
}

static void
api_status(struct api_req *r)
{
	struct daemon_state *ds = daemon_state;
	struct store_counts c;
	json_t *doc;
	char started[32];
	struct tm tm;

	if (store_counts(ds->store, &c) == -1) {
		api_error(r, 500, "store", "cannot read the store");
		return;
	}
	gmtime_r(&ds->started, &tm);
	strftime(started, sizeof started, "%Y-%m-%dT%H:%M:%SZ", &tm);
	doc = json_pack("{s:s,s:I,s:s,s:I,s:s,s:s,s:s,s:b,s:I,s:I,s:i}",
	    "version", PACKAGE_VERSION, "pid", (json_int_t)getpid(),
	    "started_at", started, "uptime_seconds", (json_int_t)clock_uptime(),
	    "config_file", ds->config->path, "state_dir", ds->config->state_dir,
	    "socket", ds->config->socket, "test_clock", clock_is_test(), "now",
	    (json_int_t)clock_now(), "schema_version",
	    (json_int_t)store_schema_version(ds->store), "clients",
	    (int)api_clients(r->api));
	json_object_set_new(
	    doc, "last_event_id", json_integer(store_event_last(ds->store)));
	json_object_set_new(doc, "counts",
	    json_pack("{s:I,s:I,s:I,s:I,s:I}", "shops",
		(json_int_t)ds->config->nshops, "listings",
		(json_int_t)c.listings, "cases_open", (json_int_t)c.cases_open,
		"cases_total", (json_int_t)c.cases_total, "events",
		(json_int_t)c.events));
	{
		int64_t pending = 0, dead = 0;

		store_outbox_counts(ds->store, &pending, &dead);
		json_object_set_new(doc, "outbox",
		    json_pack("{s:I,s:I,s:I,s:i}", "pending",
			(json_int_t)pending, "dead", (json_int_t)dead,
			"in_flight", (json_int_t)outbox_in_flight(), "sinks",
			outbox_sinks()));
	}
	/*
	 * The zones times are read in: the daemon's, and each shop's (its
	 * own, else the daemon's), for clients that show local times.
	 */
	json_object_set_new(
	    doc, "timezone", json_string(calendar_tz(ds->config->calendar)));
	{
		json_t *shops = json_array();
		size_t i;

		for (i = 0; i < ds->config->nshops; i++)
			json_array_append_new(shops,
			    json_pack("{s:s,s:s}", "name",
				ds->config->shops[i].name, "timezone",
				calendar_tz(config_shop_calendar(
				    ds->config, ds->config->shops[i].name))));
		json_object_set_new(doc, "shops", shops);
	}
	json_object_set_new(doc, "snoozes", api_snoozes_json());
	/* What a person must see: {"code","shop","text"} each. */
	json_object_set_new(doc, "warnings", api_warnings_json());
	json_object_set_new(doc, "sources", sched_source_status());
	json_object_set_new(doc, "web",
	    json_pack("{s:o,s:b}", "listen",
		web_listen_addr() ? json_string(web_listen_addr())
				  : json_null(),
		"tls", ds->config->web_tls != NULL));
	json_object_set_new(doc, "reloads",
	    json_pack("{s:I,s:I,s:o}", "ok", (json_int_t)ds->reloads_ok,
		"failed", (json_int_t)ds->reloads_failed, "last_error",
		ds->last_reload_error ? json_string(ds->last_reload_error)
				      : json_null()));
	api_reply(r, 200, doc);
}

static void
api_reload(struct api_req *r)
{
	char *cause = NULL;

	if (daemon_state->reload(&cause) == -1) {
		api_error(r, 422, "config_invalid", "%s", cause);
		free(cause);
		return;
	}
	api_reply(r, 200,
	    json_pack("{s:b,s:s}", "reloaded", 1, "config_file",
		daemon_state->config->path));
}

/* The outbox by sink, and the age of its oldest pending delivery. */
struct api_sink_metrics {
	struct evbuffer *pending, *dead, *age;
	time_t now, oldest;
};

static void
api_metrics_sink(
    const char *sink, int64_t pending, int64_t dead, time_t oldest, void *arg)
{
	struct api_sink_metrics *m = arg;

	evbuffer_add_printf(m->pending,
	    "delistd_sink_pending{sink=\"%s\"} %lld\n", sink,
	    (long long)pending);
	evbuffer_add_printf(m->dead, "delistd_sink_dead{sink=\"%s\"} %lld\n",
	    sink, (long long)dead);
	evbuffer_add_printf(m->age,
	    "delistd_sink_oldest_pending_seconds{sink=\"%s\"} %lld\n", sink,
	    oldest != 0 && oldest < m->now ? (long long)(m->now - oldest)
					   : 0LL);
	if (oldest != 0 && (m->oldest == 0 || oldest < m->oldest))
		m->oldest = oldest;
}

static void
api_metrics_sinks(struct evbuffer *buf)
{
	struct api_sink_metrics m = { evbuffer_new(), evbuffer_new(),
		evbuffer_new(), clock_now(), 0 };

	store_outbox_sinks(daemon_state->store, api_metrics_sink, &m);
	evbuffer_add_printf(buf,
	    "# HELP delistd_outbox_oldest_pending_seconds Age of the oldest "
	    "delivery waiting for any sink (0: none).\n"
	    "# TYPE delistd_outbox_oldest_pending_seconds gauge\n"
	    "delistd_outbox_oldest_pending_seconds %lld\n"
	    "# HELP delistd_sink_pending Deliveries waiting, by sink.\n"
	    "# TYPE delistd_sink_pending gauge\n",
	    m.oldest != 0 && m.oldest < m.now ? (long long)(m.now - m.oldest)
					      : 0LL);
	evbuffer_add_buffer(buf, m.pending);
	evbuffer_add_printf(buf,
	    "# HELP delistd_sink_dead Deliveries given up on, by sink.\n"
	    "# TYPE delistd_sink_dead gauge\n");
	evbuffer_add_buffer(buf, m.dead);
	evbuffer_add_printf(buf,
	    "# HELP delistd_sink_oldest_pending_seconds Age of the oldest "
	    "delivery waiting for the sink (0: none).\n"
	    "# TYPE delistd_sink_oldest_pending_seconds gauge\n");
	evbuffer_add_buffer(buf, m.age);
	evbuffer_free(m.pending);
	evbuffer_free(m.dead);
	evbuffer_free(m.age);
}

/*
 * The gauges counted by label (store_gauge): each metric's name, help,
 * and the names of its labels (label2 NULL: one label).
 */
static const struct {
	enum store_gauge gauge;
	const char *name;
	const char *help;
	const char *label, *label2;
} api_gauges[] = {
	{ STORE_GAUGE_CASES_OPEN, "delistd_shop_cases_open",
	    "Open cases, by shop and reason.", "shop", "reason" },
	{ STORE_GAUGE_AT_RISK, "delistd_shop_listings_at_risk",
	    "Tracked listings with a compliance finding, by shop.", "shop",
	    NULL },
	{ STORE_GAUGE_CONDITIONS, "delistd_conditions_open",
	    "Conditions not yet resolved (delistctl conditions), by "
	    "severity.",
	    "severity", NULL },
};

struct api_gauge_rows {
	struct evbuffer *buf;
	size_t i;
};

static void
api_metrics_gauge_row(const char *l1, const char *l2, int64_t n, void *arg)
{
	struct api_gauge_rows *g = arg;

	evbuffer_add_printf(g->buf, "%s{%s=\"%s\"", api_gauges[g->i].name,
	    api_gauges[g->i].label, l1 != NULL ? l1 : "");
	if (api_gauges[g->i].label2 != NULL)
		evbuffer_add_printf(g->buf, ",%s=\"%s\"",
		    api_gauges[g->i].label2, l2 != NULL ? l2 : "");
	evbuffer_add_printf(g->buf, "} %lld\n", (long long)n);
}

static void
api_metrics_gauges(struct evbuffer *buf)
{
	struct api_gauge_rows g = { buf, 0 };

	for (g.i = 0; g.i < nitems(api_gauges); g.i++) {
		evbuffer_add_printf(buf, "# HELP %s %s\n# TYPE %s gauge\n",
		    api_gauges[g.i].name, api_gauges[g.i].help,
		    api_gauges[g.i].name);
		store_gauge(daemon_state->store, api_gauges[g.i].gauge,
		    api_metrics_gauge_row, &g);
	}
}

/* The Prometheus text exposition format, version 0.0.4. */
static void
api_metrics(struct api_req *r)
{
	struct daemon_state *ds = daemon_state;
	struct evbuffer *buf = evbuffer_new();
	struct store_counts c;
	int64_t pending = 0, dead = 0;

	if (store_counts(ds->store, &c) == -1)
		memset(&c, 0, sizeof c);
	store_outbox_counts(ds->store, &pending, &dead);
	evbuffer_add_printf(buf,
	    "# HELP delistd_outbox_pending Deliveries waiting for a sink.\n"
	    "# TYPE delistd_outbox_pending gauge\n"
	    "delistd_outbox_pending %lld\n"
	    "# HELP delistd_outbox_dead Deliveries a sink gave up on.\n"
	    "# TYPE delistd_outbox_dead gauge\n"
	    "delistd_outbox_dead %lld\n"
	    "# HELP delistd_deliveries_total Delivery attempts by result.\n"
	    "# TYPE delistd_deliveries_total counter\n"
	    "delistd_deliveries_total{result=\"delivered\"} %llu\n"
	    "delistd_deliveries_total{result=\"failed\"} %llu\n",
	    (long long)pending, (long long)dead,
	    (unsigned long long)outbox_delivered_total(),
	    (unsigned long long)outbox_failed_total());
	evbuffer_add_printf(buf,
	    "# HELP delistd_build_info The running delistd's version.\n"
	    "# TYPE delistd_build_info gauge\n"
	    "delistd_build_info{version=\"%s\"} 1\n"
	    "# HELP delistd_uptime_seconds Seconds since the daemon started.\n"
	    "# TYPE delistd_uptime_seconds gauge\n"
	    "delistd_uptime_seconds %.3f\n"
	    "# HELP delistd_reloads_total Configuration reloads by result.\n"
	    "# TYPE delistd_reloads_total counter\n"
	    "delistd_reloads_total{result=\"ok\"} %llu\n"
	    "delistd_reloads_total{result=\"failed\"} %llu\n"
	    "# HELP delistd_api_requests_total Control API requests served.\n"
	    "# TYPE delistd_api_requests_total counter\n"
	    "delistd_api_requests_total %llu\n"
	    "# HELP delistd_listings_tracked Listings being tracked.\n"
	    "# TYPE delistd_listings_tracked gauge\n"
	    "delistd_listings_tracked %lld\n"
	    "# HELP delistd_cases_open Cases not yet synced, abandoned or "
	    "closed.\n"
	    "# TYPE delistd_cases_open gauge\n"
	    "delistd_cases_open %lld\n"
	    "# HELP delistd_events_total Events recorded in the trail.\n"
	    "# TYPE delistd_events_total counter\n"
	    "delistd_events_total %lld\n",
	    PACKAGE_VERSION, clock_uptime(), (unsigned long long)ds->reloads_ok,
	    (unsigned long long)ds->reloads_failed,
	    (unsigned long long)api_requests(r->api), (long long)c.listings,
	    (long long)c.cases_open, (long long)c.events);
	api_metrics_sinks(buf);
	api_metrics_gauges(buf);
	sched_source_metrics(buf);
	api_send_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", buf);
	evbuffer_free(buf);
}

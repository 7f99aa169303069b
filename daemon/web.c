/* SPDX-License-Identifier: ISC */
/*
 * web.c: the web console on the control API's evhttp (delistd-web(7)).
 *
 * A TCP listener is bound on the same evhttp as the Unix socket, so both
 * share the route table, the limits and the connection accounting of
 * api.c. The socket keeps its file-permission trust; on TCP every answer
 * carries the security headers, and every request but a login needs a
 * session (cookie), the CSRF token on anything that changes something,
 * and the role its route asks for. Sessions are rows of the store keyed
 * by the SHA-256 of their token. With no user yet, a one-time setup link
 * (a random token, valid for an hour on the daemon's clock) creates the
 * first admin. Everything else on TCP is a static file under web.root.
 */

#include "config.h"

#include <sys/queue.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "delistd.h"
#include "api.h"
#include "api-route.h"
#include "web.h"

#define WEB_COOKIE "delistd_session"
#define WEB_MAX_FILE (8 * 1024 * 1024)

static struct evhttp_bound_socket *web_bound;
static char *web_addr;
static const char *web_scheme = "http";
static char web_setup_token[65]; /* "": no setup link open */
static time_t web_setup_expires;

static void web_setup(struct api_req *);
static void web_setup_form(struct api_req *);
static void web_static(struct api_req *, const char *);
static int web_route_role(const struct api_route *);
static int web_metrics_auth(struct api_req *);

/*
 * What each route needs beyond the default (GET: a viewer, anything else:
 * an operator); a login needs no session at all (-1).
 */
static const struct {
	void (*fn)(struct api_req *);
	int role;
} web_route_roles[] = {
	{ api_login, -1 },
	{ api_logout, WEB_ROLE_VIEWER },
	{ api_users_get, WEB_ROLE_ADMIN },
	{ api_users_post, WEB_ROLE_ADMIN },
	{ api_user_delete, WEB_ROLE_ADMIN },
	{ api_user_password, WEB_ROLE_ADMIN },
};

/* Names the reload handler without exporting it: by its route. */
static const char *const web_admin_paths[] = { "/v1/reload" };

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* 32 random bytes in hex (65 bytes with the NUL). */
void
web_random_hex(char *out)
{
	unsigned char b[32];
	size_t i;

	if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b)
		fatal("getrandom");
	for (i = 0; i < sizeof b; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	explicit_bzero(b, sizeof b);
}

/* The SHA-256 of prefix and s in hex (65 bytes with the NUL). */
void
web_sha256_hex(const char *prefix, const char *s, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;
	EVP_MD_CTX *ctx;

	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, prefix, strlen(prefix)) != 1 ||
	    EVP_DigestUpdate(ctx, s, strlen(s)) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &n) != 1)
		fatal("sha256");
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

int
web_start(struct evhttp *http, const struct config *conf, char **cause)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char host[256], buf[INET6_ADDRSTRLEN];
	int port, fd, n;

	if (web_addr_parse(conf->web_listen, host, sizeof host, &port, cause) ==
	    -1)
		return (-1);
	if ((web_bound = evhttp_bind_socket_with_handle(
		 http, host, (ev_uint16_t)port)) == NULL) {
		xasprintf(cause, "web: cannot listen on %s: %s",
		    conf->web_listen, strerror(errno));
		return (-1);
	}
	/* Port 0 takes a free one: say which. */
	fd = evhttp_bound_socket_get_fd(web_bound);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
	    ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    buf, sizeof buf);
		xasprintf(&web_addr, "[%s]:%d", buf,
		    ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
	} else if (ss.ss_family == AF_INET) {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, buf,
		    sizeof buf);
		xasprintf(&web_addr, "%s:%d", buf,
		    ntohs(((struct sockaddr_in *)&ss)->sin_port));
	} else
		web_addr = xstrdup(conf->web_listen);
	web_scheme = conf->web_tls != NULL ? "https" : "http";
	log_notice("web console on %s://%s/", web_scheme, web_addr);
	if ((n = users_count()) == 0) {
		web_random_hex(web_setup_token);
		web_setup_expires = clock_now() + WEB_SETUP_TTL;
		log_notice("web: no user yet; create the first admin within "
			   "1 h at %s://%s/setup?token=%s",
		    web_scheme, web_addr, web_setup_token);
	}
	return (0);
}

void
web_stop(void)
{
	web_bound = NULL;
	free(web_addr);
	web_addr = NULL;
	web_setup_forget();
}

const char *
web_listen_addr(void)
{
	return (web_addr);
}

/* A user exists now: the setup link is no more. */
void
web_setup_forget(void)
{
	explicit_bzero(web_setup_token, sizeof web_setup_token);
}

/*
 * A connection's bufferevent on the web listener: TLS with the running
 * configuration's context (a reload's renewed certificate serves the
 * connections accepted after it), else plain.
 */
struct bufferevent *
web_bev_new(struct event_base *base, const struct config *conf)
{
	struct bufferevent *bev;
	SSL *ssl;

	if (conf->web_tls == NULL)
		return (
		    bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE));
	if ((ssl = SSL_new(conf->web_tls)) == NULL)
		return (NULL);
	/* Frees the SSL with it. */
	if ((bev = bufferevent_openssl_socket_new(base, -1, ssl,
		 BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		SSL_free(ssl);
		return (NULL);
	}
	/* Browsers often close without a TLS close_notify: not an error. */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return (bev);
}

/* Whether the request came over TLS (the web listener's). */
int
web_is_tls(struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev;

	return (evcon != NULL &&
	    (bev = evhttp_connection_get_bufferevent(evcon)) != NULL &&
	    bufferevent_openssl_get_ssl(bev) != NULL);
}

int
web_is_tcp(struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (web_bound == NULL || evcon == NULL ||
	    (bev = evhttp_connection_get_bufferevent(evcon)) == NULL ||
	    getsockname(bufferevent_getfd(bev), (struct sockaddr *)&ss, &len) ==
		-1)
		return (0);
	return (ss.ss_family == AF_INET || ss.ss_family == AF_INET6);
}

void
web_headers(struct evhttp_request *req)
{
	struct evkeyvalq *out = evhttp_request_get_output_headers(req);

	evhttp_add_header(out, "Content-Security-Policy",
	    "default-src 'self'; frame-ancestors 'none'; "
	    "img-src 'self' https:");
	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "Referrer-Policy", "same-origin");
	evhttp_add_header(out, "Cache-Control", "no-store");
	if (web_is_tls(req))
		evhttp_add_header(
		    out, "Strict-Transport-Security", "max-age=31536000");
}

/*
 * Answers what is not an API route on the web listener: the setup link
 * and the static files. Returns 1 if it answered.
 */
int
web_serve(struct api_req *r, const char *path)
{
	if (strcmp(path, "/setup") == 0) {
		web_setup(r);
		return (1);
	}
	if (strncmp(path, "/v1/", 4) == 0 || strcmp(path, "/v1") == 0 ||
	    strcmp(path, "/metrics") == 0)
		return (0);
	web_static(r, path);
	return (1);
}

static int
web_route_role(const struct api_route *route)
{
	size_t i;

	for (i = 0; i < nitems(web_route_roles); i++) {
		if (web_route_roles[i].fn == route->fn)
			return (web_route_roles[i].role);
	}
	for (i = 0; i < nitems(web_admin_paths); i++) {
		if (strcmp(web_admin_paths[i], route->pattern) == 0)
			return (WEB_ROLE_ADMIN);
	}
	return (route->method == EVHTTP_REQ_GET ? WEB_ROLE_VIEWER
						: WEB_ROLE_OPERATOR);
}

/*
 * The session of a request on the web listener: r->who, r->role and
 * r->session set, or an answer (401, 403) and -1.
 */
int
web_authorize(struct api_req *r, const struct api_route *route)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(r->req);
	const char *cookie = evhttp_find_header(in, "Cookie");
	const char *csrf_in = evhttp_find_header(in, "X-CSRF-Token");
	char *token, *user = NULL, *role = NULL, sha[65], csrf[65];
	time_t created, seen, now = clock_now();
	int need = web_route_role(route), rc, have;

	if (need == -1)
		return (0);
	if (strcmp(route->pattern, "/metrics") == 0)
		return (web_metrics_auth(r));
	token = cookie ? web_cookie(cookie, WEB_COOKIE) : NULL;
	if (token == NULL || strlen(token) != 64) {
		free(token);
		api_error(
		    r, 401, "unauthenticated", "log in first (POST /v1/login)");
		return (-1);
	}
	web_sha256_hex("", token, sha);
	web_sha256_hex("csrf:", token, csrf);
	freezero_str(token);
	rc =
	    store_session_get(daemon_state->store, sha, &user, &created, &seen);
	if (rc == 0 &&
	    (now - seen >= WEB_SESSION_IDLE ||
		now - created >= WEB_SESSION_MAX)) {
		store_session_delete(daemon_state->store, sha);
		rc = 1;
	}
	if (rc == 0 &&
	    (rc = store_user_get(daemon_state->store, user, &role, NULL)) == 1)
		store_session_delete(daemon_state->store, sha);
	if (rc != 0) {
		free(user);
		if (rc == -1)
			api_error(r, 500, "store", "cannot read the sessions");
		else
			api_error(r, 401, "unauthenticated",
			    "the session has ended; log in again");
		return (-1);
	}
	store_session_touch(daemon_state->store, sha, now);
	have = web_role_from_name(role);
	r->session = xstrdup(sha);
	xasprintf(&r->who, "web:%s", user);
	r->role = have;
	if (route->method != EVHTTP_REQ_GET &&
	    route->method != EVHTTP_REQ_HEAD &&
	    (csrf_in == NULL || strlen(csrf_in) != 64 ||
		CRYPTO_memcmp(csrf_in, csrf, 64) != 0)) {
		api_error(r, 403, "csrf",
		    "a request that changes something needs the session's "
		    "X-CSRF-Token header");
		goto refused;
	}
	if (have < need) {
		api_error(r, 403, "forbidden",
		    "%s is %s %s: this needs the %s role", user,
		    have == WEB_ROLE_ADMIN ? "an" : "a",
		    web_role_name((enum web_role)have),
		    web_role_name((enum web_role)need));
		goto refused;
	}
	free(user);
	free(role);
	return (0);
refused:
	free(user);
	free(role);
	return (-1);
}

/*
 * /metrics on the web listener: for Prometheus, with the bearer token of
 * web.metrics_token_file (read at each scrape: a new one works at once),
 * not a session.
 */
static int
web_metrics_auth(struct api_req *r)
{
	const char *value = daemon_state->config->web_metrics_token_file;
	const char *auth = evhttp_find_header(
	    evhttp_request_get_input_headers(r->req), "Authorization");
	char buf[1024], *file = NULL, *cause = NULL;
	size_t n;
	FILE *f = NULL;
	int ok = 0;

	if (value == NULL) {
		api_error(r, 404, "not_found",
		    "/metrics on the web listener needs "
		    "web.metrics_token_file");
		return (-1);
	}
	if ((file = config_secret_path(value, &cause)) == NULL ||
	    (f = fopen(file, "re")) == NULL ||
	    fgets(buf, sizeof buf, f) == NULL) {
		if (f != NULL)
			fclose(f);
		log_warnx("web: cannot read metrics_token_file %s",
		    file != NULL ? file : cause);
		free(file);
		free(cause);
		api_error(r, 500, "internal", "cannot read the metrics token");
		return (-1);
	}
	free(file);
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	n = strlen(buf);
	if (n > 0 && auth != NULL && strncmp(auth, "Bearer ", 7) == 0 &&
	    strlen(auth + 7) == n && CRYPTO_memcmp(auth + 7, buf, n) == 0)
		ok = 1;
	explicit_bzero(buf, sizeof buf);
	if (!ok) {
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "WWW-Authenticate", "Bearer realm=\"delistd\"");
		api_error(r, 401, "unauthenticated",
		    "/metrics needs the bearer token of "
		    "web.metrics_token_file");
		return (-1);
	}
	r->who = xstrdup("metrics");
	return (0);
}

/* A session for user: its token in *token, its CSRF token in csrf. */
int
web_session_new(const char *user, char *token, char *csrf)
{
	char sha[65];

	time_t now = clock_now();

	/* Those over their lifetime go, whoever they were. */
	store_sessions_expire(
	    daemon_state->store, now - WEB_SESSION_IDLE, now - WEB_SESSION_MAX);
	web_random_hex(token);
	web_sha256_hex("", token, sha);
	web_sha256_hex("csrf:", token, csrf);
	return (store_session_put(daemon_state->store, sha, user, now));
}

/* The session's CSRF token, from its cookie (GET /v1/session). */
int
web_session_csrf(struct api_req *r, char *csrf)
{
	const char *cookie = evhttp_find_header(
	    evhttp_request_get_input_headers(r->req), "Cookie");
	char *token = cookie ? web_cookie(cookie, WEB_COOKIE) : NULL;

	if (token == NULL)
		return (-1);
	web_sha256_hex("csrf:", token, csrf);
	freezero_str(token);
	return (0);
}

/* The setup form's fields: a JSON object or an urlencoded form. */
static int
web_setup_fields(struct api_req *r, char **token, char **name, char **pass)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->req);
	size_t len = evbuffer_get_length(in);
	struct evkeyvalq q;
	char *text;
	json_t *doc;
	const char *t, *n, *p;

	if (len == 0 || len > 8192)
		return (-1);
	text = xstrndup((const char *)evbuffer_pullup(in, -1), len);
	*token = *name = *pass = NULL;
	if (text[0] == '{') {
		doc = json_loads(text, 0, NULL);
		t = json_string_value(json_object_get(doc, "token"));
		n = json_string_value(json_object_get(doc, "name"));
		p = json_string_value(json_object_get(doc, "password"));
		if (t && n && p) {
			*token = xstrdup(t);
			*name = xstrdup(n);
			*pass = xstrdup(p);
		}
		json_decref(doc);
	} else {
		TAILQ_INIT(&q);
		if (evhttp_parse_query_str(text, &q) == 0 &&
		    (t = evhttp_find_header(&q, "token")) != NULL &&
		    (n = evhttp_find_header(&q, "name")) != NULL &&
		    (p = evhttp_find_header(&q, "password")) != NULL) {
			*token = xstrdup(t);
			*name = xstrdup(n);
			*pass = xstrdup(p);
		}
		evhttp_clear_headers(&q);
	}
	freezero_str(text);
	return (*token != NULL ? 0 : -1);
}

/*
 * GET /setup?token=T: a form; POST /setup {token,name,password}: the
 * first admin, once, within an hour of the daemon's start.
 */
static void
web_setup(struct api_req *r)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(r->req);
	char *token = NULL, *name = NULL, *pass = NULL, *cause = NULL;

	if (m == EVHTTP_REQ_GET) {
		web_setup_form(r);
		return;
	}
	if (m != EVHTTP_REQ_POST) {
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Allow", "GET, POST");
		api_error(
		    r, 405, "method_not_allowed", "/setup takes GET and POST");
		return;
	}
	if (web_setup_fields(r, &token, &name, &pass) == -1) {
		api_error(r, 400, "bad_setup",
		    "the setup needs token, name and password");
		return;
	}
	if (web_setup_token[0] == '\0' || users_count() != 0)
		api_error(r, 410, "setup_done",
		    "the setup link was used: log in, or ask an admin "
		    "(delistctl user add)");
	else if (strlen(token) != 64 ||
	    CRYPTO_memcmp(token, web_setup_token, 64) != 0)
		api_error(r, 403, "bad_token", "this is not the setup link");
	else if (clock_now() >= web_setup_expires)
		api_error(r, 410, "setup_expired",
		    "the setup link expired an hour after delistd started; "
		    "restart delistd for a new one, or use delistctl user add");
	else if (users_add(name, WEB_ROLE_ADMIN, pass, &cause) == -1) {
		api_error(r, 400, "bad_user", "%s", cause);
		free(cause);
	} else {
		web_setup_forget();
		log_notice("web: %s created as the first admin by the setup "
			   "link",
		    name);
		api_reply(r, 201,
		    json_pack("{s:s,s:s}", "name", name, "role", "admin"));
	}
	free(token);
	free(name);
	freezero_str(pass);
}

static void
web_setup_form(struct api_req *r)
{
	struct evbuffer *buf = evbuffer_new();
	const char *token = api_query(r, "token");
	char *esc;

	/* r->query is filled by the router, which did not run: parse. */
	if (token == NULL) {
		const struct evhttp_uri *u =
		    evhttp_request_get_evhttp_uri(r->req);
		const char *q = u ? evhttp_uri_get_query(u) : NULL;

		if (q != NULL)
			evhttp_parse_query_str(q, &r->query);
		token = api_query(r, "token");
	}
	esc = evhttp_htmlescape(token ? token : "");
	evbuffer_add_printf(buf,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>delistd: first admin</title></head><body>\n"
	    "<h1>delistd: create the first admin</h1>\n"
	    "<form method=\"post\" action=\"/setup\">\n"
	    "<input type=\"hidden\" name=\"token\" value=\"%s\">\n"
	    "<label>Name <input name=\"name\" required></label>\n"
	    "<label>Password <input name=\"password\" type=\"password\" "
	    "minlength=\"8\" required></label>\n"
	    "<button>Create</button>\n</form>\n</body></html>\n",
	    esc);
	free(esc);
	api_send_text(r, 200, "text/html; charset=utf-8", buf);
	evbuffer_free(buf);
}

/*
 * A file under web.root: no "..", no hidden file, nothing a symlink leads
 * out of the root to, no directory listing.
 */
static void
web_static(struct api_req *r, const char *raw)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(r->req);
	const char *root = daemon_state->config->web_root;
	char *path, *rel = NULL, *full = NULL, *real = NULL, *realroot = NULL;
	size_t len, rlen;
	struct stat sb;
	struct evbuffer *buf;
	int fd = -1;

	if (m != EVHTTP_REQ_GET && m != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "Allow", "GET, HEAD");
		api_error(r, 405, "method_not_allowed",
		    "the console's files are read with GET");
		return;
	}
	path = evhttp_uridecode(raw, 0, &len);
	if (path == NULL || strlen(path) != len ||
	    (rel = web_path_file(path)) == NULL) {
		api_error(r, 404, "not_found", "no such file");
		goto out;
	}
	xasprintf(&full, "%s/%s", root, rel);
	if ((realroot = realpath(root, NULL)) == NULL ||
	    (real = realpath(full, NULL)) == NULL ||
	    strncmp(real, realroot, (rlen = strlen(realroot))) != 0 ||
	    real[rlen] != '/' ||
	    (fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1 ||
	    fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > WEB_MAX_FILE) {
		api_error(r, 404, "not_found", "no such file");
		goto out;
	}
	buf = evbuffer_new();
	if (evbuffer_add_file(buf, fd, 0, sb.st_size) == -1) {
		evbuffer_free(buf);
		api_error(r, 500, "internal", "cannot read the file");
		goto out;
	}
	fd = -1; /* the buffer owns it */
	api_send_text(r, 200, web_content_type(rel), buf);
	evbuffer_free(buf);
out:
	if (fd != -1)
		close(fd);
	free(path);
	free(rel);
	free(full);
	free(real);
	free(realroot);
}

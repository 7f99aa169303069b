/* SPDX-License-Identifier: ISC */
/*
 * web.h: the web console's server side (delistd-web(7)).
 *
 * webpath.c is pure (no libevent, no store): listen addresses, the static
 * files' paths and content types, cookies, roles, login throttling.
 * web.c puts the console on the API's evhttp: a TCP listener beside the
 * Unix socket, sessions, the setup link, security headers and the static
 * files. users.c keeps the users and their password hashes; api-users.c
 * has the routes (login, session, users, case assign).
 */

#ifndef WEB_H
#define WEB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* webpath.c */

/* "HOST:PORT" or "[V6]:PORT" into host and port (0..65535). */
int web_addr_parse(const char *, char *, size_t, int *, char **);
/* 127.0.0.0/8, ::1 or "localhost". */
int web_addr_loopback(const char *);
/*
 * A request path (decoded) as a relative file name under the root:
 * "index.html" for "/", NULL if it is not one (a "..", a ".", an empty
 * segment inside, a NUL, a backslash or a leading dot: no hidden files).
 */
char *web_path_file(const char *);
/* The Content-Type of a file by its extension. */
const char *web_content_type(const char *);
/* The value of cookie NAME in a Cookie header (a copy), or NULL. */
char *web_cookie(const char *, const char *);

/* Roles, weakest first; a route needs one (api-users.c). */
enum web_role {
	WEB_ROLE_VIEWER,
	WEB_ROLE_OPERATOR,
	WEB_ROLE_ADMIN,
	WEB_ROLE_COUNT
};
int web_role_from_name(const char *); /* -1: none */
const char *web_role_name(enum web_role);
/* A user name: 1..32 of [a-z0-9._-], starting with a letter or digit. */
int web_name_ok(const char *);

/*
 * Login throttling: WEB_FAIL_MAX failures of a user (WEB_FAIL_MAX_ADDR of
 * an address, which people behind one NAT share) within WEB_FAIL_WINDOW
 * lock it for WEB_LOCK_SECS.
 */
#define WEB_FAIL_MAX 5
#define WEB_FAIL_MAX_ADDR 20
#define WEB_FAIL_WINDOW (15 * 60)
#define WEB_LOCK_SECS (15 * 60)
struct web_throttle {
	char *key;
	time_t fails[WEB_FAIL_MAX_ADDR];
	size_t nfails;
	time_t locked_until;
};
/* Seconds the key stays locked at now (0: not locked). */
time_t web_throttle_locked(const struct web_throttle *, time_t);
/* Counts a failure at now, of at most max; 1 if it locks the key now. */
int web_throttle_fail(struct web_throttle *, size_t, time_t);
void web_throttle_reset(struct web_throttle *);

/* Sessions: idle and absolute lifetimes. */
#define WEB_SESSION_IDLE (8 * 3600)
#define WEB_SESSION_MAX (7 * 86400)
#define WEB_SETUP_TTL 3600

/* web.c */
struct api;
struct api_req;
struct api_route;
struct config;
struct evhttp;
struct evhttp_request;
int web_start(struct evhttp *, const struct config *, char **);
void web_stop(void);
struct bufferevent;
struct event_base;
struct bufferevent *web_bev_new(struct event_base *, const struct config *);
int web_is_tcp(struct evhttp_request *);
int web_is_tls(struct evhttp_request *);
void web_headers(struct evhttp_request *);
int web_serve(struct api_req *, const char *);
int web_authorize(struct api_req *, const struct api_route *);
void web_setup_forget(void);
const char *web_listen_addr(void);
void web_random_hex(char *);
void web_sha256_hex(const char *, const char *, char *);
int web_session_new(const char *, char *, char *);
int web_session_csrf(struct api_req *, char *);

/* users.c */
struct lifecycle_err;
int users_count(void); /* -1: the store failed */
int users_add(const char *, enum web_role, const char *, char **);
int users_passwd(const char *, const char *, char **);
int users_check(const char *, const char *, int *);
int
lifecycle_assign(int64_t, const char *, const char *, struct lifecycle_err *);

#endif /* WEB_H */

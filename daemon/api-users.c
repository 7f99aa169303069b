/* SPDX-License-Identifier: ISC */
/*
 * api-users.c: the web console's routes (delistd-web(7)): login, logout
 * and the session on the web listener; users (over the Unix socket, or
 * by an admin on the web listener); a case's assignee.
 *
 * POST   /v1/login {"name","password"}   200 {"user","role","csrf_token"}
 *          and the session cookie (HttpOnly, SameSite=Strict); 401
 *          bad_login; 429 locked (Retry-After) after 5 failures of the
 *          name (20 of the address) within 15 minutes, for 15 minutes
 * POST   /v1/logout                       {"logged_out":true}
 * GET    /v1/session                      {"user","role","csrf_token"}
 * GET    /v1/users                        {"users":[{"name","role",
 *          "created_at"}]}
 * POST   /v1/users {"name","role","password"}   201 {"name","role"}
 * POST   /v1/users/{name}/password {"password"} {"name","sessions_ended":
 *          true}
 * DELETE /v1/users/{name}                 {"name","removed":true}
 * POST   /v1/cases/{id}/assign {"user": NAME|null}   detail (with
 *          "assignee")
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "lifecycle.h"
#include "web.h"

/* Keys throttled (a user name, an address); stale ones are dropped. */
#define API_THROTTLE_KEEP 4096

static struct web_throttle *api_throttles;
static size_t api_nthrottles;

static size_t api_throttle(const char *);
static void api_throttle_prune(time_t);
static const char *api_str(struct api_req *, const char *);
static int api_web_only(struct api_req *);

static const char *
api_str(struct api_req *r, const char *key)
{
	return (json_string_value(json_object_get(r->body, key)));
}

static int
api_web_only(struct api_req *r)
{
	if (r->tcp)
		return (0);
	api_error(r, 404, "not_found",
	    "sessions are for the web console's listener (web.listen)");
	return (-1);
}

/* Forgets the keys neither locked nor failed within the window. */
static void
api_throttle_prune(time_t now)
{
	size_t i, j;
	struct web_throttle *t;

	if (api_nthrottles < API_THROTTLE_KEEP)
		return;
	for (i = j = 0; i < api_nthrottles; i++) {
		t = &api_throttles[i];
		if (t->locked_until > now ||
		    (t->nfails > 0 &&
			now - t->fails[t->nfails - 1] < WEB_FAIL_WINDOW))
			api_throttles[j++] = *t;
		else
			free(t->key);
	}
	api_nthrottles = j;
}

/* The index of a key's throttle (added if new). */
static size_t
api_throttle(const char *key)
{
	size_t i;

	for (i = 0; i < api_nthrottles; i++) {
		if (strcmp(api_throttles[i].key, key) == 0)
			return (i);
	}
	api_throttles = xreallocarray(
	    api_throttles, api_nthrottles + 1, sizeof *api_throttles);
	memset(&api_throttles[api_nthrottles], 0, sizeof *api_throttles);
	api_throttles[api_nthrottles].key = xstrdup(key);
	return (api_nthrottles++);
}

void
api_login(struct api_req *r)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(r->req);
	struct evkeyvalq *out = evhttp_request_get_output_headers(r->req);
	const char *name = api_str(r, "name"), *pass = api_str(r, "password");
	char *addr = NULL, *ukey, *akey, token[65], csrf[65], *cookie, ra[32];
	struct web_throttle *tu, *ta;
	time_t now = clock_now(), wait;
	ev_uint16_t port;
	int role = -1, ok;
	size_t iu, ia;

	if (api_web_only(r) == -1)
		return;
	if (name == NULL || pass == NULL) {
		api_error(r, 400, "bad_login", "give name and password");
		return;
	}
	evhttp_connection_get_peer(evcon, &addr, &port);
	xasprintf(&ukey, "user:%s", name);
	xasprintf(&akey, "addr:%s", addr ? addr : "?");
	api_throttle_prune(now);
	iu = api_throttle(ukey);
	ia = api_throttle(akey);
	tu = &api_throttles[iu];
	ta = &api_throttles[ia];
	free(ukey);
	free(akey);
	wait = web_throttle_locked(tu, now);
	if (web_throttle_locked(ta, now) > wait)
		wait = web_throttle_locked(ta, now);
	if (wait > 0) {
		snprintf(ra, sizeof ra, "%lld", (long long)wait);
		evhttp_add_header(out, "Retry-After", ra);
		api_error(r, 429, "locked",
		    "too many failed logins: try again in %lld minutes",
		    (long long)(wait + 59) / 60);
		return;
	}
	if ((ok = users_check(name, pass, &role)) == -1) {
		api_error(r, 500, "store", "cannot read the users");
		return;
	}
	if (!ok || role < 0) {
		if (web_throttle_fail(tu, WEB_FAIL_MAX, now))
			log_warnx("web: logins as %.40s locked for %d minutes "
				  "after %d failures",
			    name, WEB_LOCK_SECS / 60, WEB_FAIL_MAX);
		if (web_throttle_fail(ta, WEB_FAIL_MAX_ADDR, now))
			log_warnx("web: logins from %s locked for %d minutes "
				  "after %d failures",
			    addr ? addr : "?", WEB_LOCK_SECS / 60,
			    WEB_FAIL_MAX_ADDR);
		api_error(r, 401, "bad_login", "wrong name or password");
		return;
	}
	web_throttle_reset(tu);
	web_throttle_reset(ta);
	if (web_session_new(name, token, csrf) == -1) {
		api_error(r, 500, "store", "cannot store the session");
		return;
	}
	xasprintf(&cookie,
	    "delistd_session=%s; Path=/; HttpOnly; SameSite=Strict; "
	    "Max-Age=%d%s",
	    token, WEB_SESSION_MAX, web_is_tls(r->req) ? "; Secure" : "");
	explicit_bzero(token, sizeof token);
	evhttp_add_header(out, "Set-Cookie", cookie);
	freezero_str(cookie);
	log_info("web: %s logged in from %s", name, addr ? addr : "?");
	api_reply(r, 200,
	    json_pack("{s:s,s:s,s:s}", "user", name, "role",
		web_role_name((enum web_role)role), "csrf_token", csrf));
}

void
api_logout(struct api_req *r)
{
	if (api_web_only(r) == -1)
		return;
	if (r->session != NULL)
		store_session_delete(daemon_state->store, r->session);
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Set-Cookie",
	    web_is_tls(r->req) ? "delistd_session=; Path=/; HttpOnly; "
				 "SameSite=Strict; Max-Age=0; Secure"
			       : "delistd_session=; Path=/; HttpOnly; "
				 "SameSite=Strict; Max-Age=0");
	api_reply(r, 200, json_pack("{s:b}", "logged_out", 1));
}

void
api_session(struct api_req *r)
{
	char csrf[65];

	if (api_web_only(r) == -1)
		return;
	if (web_session_csrf(r, csrf) == -1) {
		api_error(r, 401, "unauthenticated", "log in first");
		return;
	}
	api_reply(r, 200,
	    json_pack("{s:s,s:s,s:s}", "user", r->who + 4, "role",
		web_role_name((enum web_role)r->role), "csrf_token", csrf));
}

void
api_users_get(struct api_req *r)
{
	struct st_user *u;
	size_t n, i;
	json_t *arr;
	char buf[32];
	struct tm tm;

	if (store_users(daemon_state->store, &u, &n) == -1) {
		api_error(r, 500, "store", "cannot read the users");
		return;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		gmtime_r(&u[i].created_at, &tm);
		strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_array_append_new(arr,
		    json_pack("{s:s,s:s,s:s}", "name", u[i].name, "role",
			u[i].role, "created_at", buf));
	}
	st_users_free(u, n);
	api_reply(r, 200, json_pack("{s:o}", "users", arr));
}

void
api_users_post(struct api_req *r)
{
	const char *name = api_str(r, "name"), *pass = api_str(r, "password");
	int role = web_role_from_name(api_str(r, "role"));
	char *cause = NULL;

	if (name == NULL || pass == NULL) {
		api_error(r, 400, "bad_user", "give name, role and password");
		return;
	}
	if (role == -1) {
		api_error(r, 400, "bad_role",
		    "role is one of viewer, operator, admin");
		return;
	}
	if (users_add(name, (enum web_role)role, pass, &cause) == -1) {
		api_error(r,
		    strstr(cause, "already exists") != NULL ? 409 : 400,
		    strstr(cause, "already exists") != NULL ? "user_exists"
							    : "bad_user",
		    "%s", cause);
		free(cause);
		return;
	}
	api_reply(r, 201,
	    json_pack("{s:s,s:s}", "name", name, "role",
		web_role_name((enum web_role)role)));
}

void
api_user_password(struct api_req *r)
{
	const char *pass = api_str(r, "password");
	char *cause = NULL;
	int rc;

	if (pass == NULL) {
		api_error(r, 400, "bad_user", "give the new password");
		return;
	}
	if ((rc = users_passwd(r->args[0], pass, &cause)) != 0) {
		if (rc == 1)
			api_error(
			    r, 404, "not_found", "no user %.40s", r->args[0]);
		else
			api_error(r, 400, "bad_user", "%s", cause);
		free(cause);
		return;
	}
	api_reply(r, 200,
	    json_pack("{s:s,s:b}", "name", r->args[0], "sessions_ended", 1));
}

void
api_user_delete(struct api_req *r)
{
	int rc = store_user_delete(daemon_state->store, r->args[0]);

	if (rc == -1)
		api_error(r, 500, "store", "cannot remove the user");
	else if (rc == 1)
		api_error(r, 404, "not_found", "no user %.40s", r->args[0]);
	else {
		log_info("web: user %s removed", r->args[0]);
		api_reply(r, 200,
		    json_pack("{s:s,s:b}", "name", r->args[0], "removed", 1));
	}
}

/* case assign's body, {"user": NAME|null}, for one case or many. */
int
api_assign_args(struct api_req *r, json_t *body, struct api_case_args *a)
{
	json_t *u = json_object_get(body, "user");

	if (u == NULL || (!json_is_null(u) && !json_is_string(u))) {
		api_error(r, 400, "bad_user",
		    "give \"user\": a user's name, or null to unassign");
		return (-1);
	}
	a->user = json_string_value(u);
	return (0);
}

int
api_assign_apply(int64_t id, const struct api_case_args *a, const char *who,
    struct lifecycle_err *err)
{
	return (lifecycle_assign(id, a->user, who, err));
}

void
api_case_assign(struct api_req *r)
{
	struct api_case_args args = { 0 };
	struct lifecycle_err err;
	int64_t id;
	char *who;

	if (api_path_id(r, 0, &id) == -1 ||
	    api_assign_args(r, r->body, &args) == -1)
		return;
	memset(&err, 0, sizeof err);
	who = api_actor(r);
	if (api_assign_apply(id, &args, who, &err) == -1)
		api_reply_err(r, &err);
	else
		api_reply_case(r, 200, id);
	free(who);
}

json_t *
api_case_assignee_json(int64_t id)
{
	char *name = NULL;
	json_t *v;

	store_case_assignee(daemon_state->store, id, &name);
	v = name != NULL ? json_string(name) : json_null();
	free(name);
	return (v);
}

/* SPDX-License-Identifier: ISC */
/*
 * api-route.c: a control API request up to its handler (api-route.h).
 *
 * Everything a request says outside its body is text: its path and its
 * query's keys and values, once decoded, must be UTF-8 (text_utf8_check:
 * no overlong form, surrogate or code point beyond U+10FFFF) without a
 * NUL (a "%00" would cut a name short without a word). A method libevent
 * does not know arrives as none of the table's and is refused here, in
 * JSON like every refusal.
 */

#include "config.h"

#include <sys/queue.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "delistd.h"
#include "api-route.h"
#include "text.h"

#define API_MAX_SEGMENTS 8
#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static int api_refuse(struct api_verdict *, int, const char *, const char *,
    ...) __attribute__((__format__(__printf__, 4, 5)));
static int api_route_text(
    struct api_req *, const char *, const char *, struct api_verdict *);
static int api_match(const char *, char **, size_t, struct api_req *);

static const struct {
	enum evhttp_cmd_type method;
	const char *name;
} api_methods[] = {
	{ EVHTTP_REQ_GET, "GET" },
	{ EVHTTP_REQ_POST, "POST" },
	{ EVHTTP_REQ_PUT, "PUT" },
	{ EVHTTP_REQ_DELETE, "DELETE" },
	{ EVHTTP_REQ_HEAD, "HEAD" },
	{ EVHTTP_REQ_OPTIONS, "OPTIONS" },
	{ EVHTTP_REQ_TRACE, "TRACE" },
	{ EVHTTP_REQ_CONNECT, "CONNECT" },
	{ EVHTTP_REQ_PATCH, "PATCH" },
};

const char *
api_method_name(enum evhttp_cmd_type m)
{
	size_t i;

	for (i = 0; i < nitems(api_methods); i++) {
		if (api_methods[i].method == m)
			return (api_methods[i].name);
	}
	return (NULL);
}

static int
api_refuse(
    struct api_verdict *v, int status, const char *code, const char *fmt, ...)
{
	va_list ap;

	v->status = status;
	v->code = code;
	free(v->message);
	va_start(ap, fmt);
	xvasprintf(&v->message, fmt, ap);
	va_end(ap);
	return (-1);
}

void
api_verdict_clear(struct api_verdict *v)
{
	free(v->message);
	free(v->allow);
	free(v->path);
	memset(v, 0, sizeof *v);
}

/* The path and the query as text: decoded into v->path and r->query. */
static int
api_route_text(struct api_req *r, const char *path, const char *query,
    struct api_verdict *v)
{
	struct evkeyval *kv;
	const char *why = NULL;
	char cut[TEXT_CUT_SIZE];
	size_t len;

	if ((v->path = evhttp_uridecode(path, 0, &len)) == NULL)
		return (
		    api_refuse(v, 400, "bad_path", "cannot decode the path"));
	if (text_utf8_check(v->path, len, NULL, &why) == -1)
		return (api_refuse(
		    v, 400, "bad_path", "the path is not UTF-8 text: %s", why));
	if (query == NULL)
		return (0);
	if (strstr(query, "%00") != NULL)
		return (api_refuse(v, 400, "bad_query",
		    "the query is not UTF-8 text: NUL byte"));
	if (evhttp_parse_query_str(query, &r->query) == -1)
		return (api_refuse(
		    v, 400, "bad_query", "cannot parse the query string"));
	TAILQ_FOREACH (kv, &r->query, next) {
		if (text_utf8_check(kv->key, strlen(kv->key), NULL, &why) == -1)
			return (api_refuse(v, 400, "bad_query",
			    "the query is not UTF-8 text: %s", why));
		if (text_utf8_check(kv->value, strlen(kv->value), NULL, &why) ==
		    -1)
			return (api_refuse(v, 400, "bad_query",
			    "the query's %s is not UTF-8 text: %s",
			    text_cut(kv->key, cut), why));
	}
	return (0);
}

static int
api_match(const char *pattern, char **segs, size_t nsegs, struct api_req *r)
{
	char *copy, *p, *tok, *save = NULL;
	size_t i = 0;
	int ok = 1;

	copy = xstrdup(pattern);
	r->nargs = 0;
	for (p = copy; (tok = strtok_r(p, "/", &save)) != NULL; p = NULL) {
		if (i >= nsegs) {
			ok = 0;
			break;
		}
		if (strcmp(tok, "*") == 0) {
			if (r->nargs < nitems(r->args))
				r->args[r->nargs++] = segs[i];
		} else if (strcmp(tok, segs[i]) != 0) {
			ok = 0;
			break;
		}
		i++;
	}
	free(copy);
	return (ok && i == nsegs);
}

int
api_route_request(const struct api_route *table, size_t n,
    enum evhttp_cmd_type method, const char *path, const char *query,
    struct api_req *r, struct api_verdict *v)
{
	char *segs[API_MAX_SEGMENTS], *tok, *save = NULL, *p, *old;
	char cut[TEXT_CUT_SIZE];
	size_t nsegs = 0, i;
	int pathmatch = 0;

	memset(v, 0, sizeof *v);
	if (api_method_name(method) == NULL)
		return (api_refuse(v, 405, "unknown_method",
		    "the request's method is not one of GET, POST, PUT, "
		    "DELETE, HEAD, OPTIONS, TRACE, CONNECT, PATCH"));
	if (api_route_text(r, path, query, v) == -1)
		return (-1);
	for (p = v->path; (tok = strtok_r(p, "/", &save)) != NULL; p = NULL) {
		if (nsegs == API_MAX_SEGMENTS)
			return (api_refuse(v, 404, "not_found",
			    "no such resource: %s", text_cut(path, cut)));
		segs[nsegs++] = tok;
	}
	for (i = 0; i < n; i++) {
		if (!api_match(table[i].pattern, segs, nsegs, r))
			continue;
		pathmatch = 1;
		if (table[i].method == method ||
		    (method == EVHTTP_REQ_HEAD &&
			table[i].method == EVHTTP_REQ_GET)) {
			v->route = &table[i];
			/* Other rows may have pointed args elsewhere. */
			api_match(table[i].pattern, segs, nsegs, r);
			return (0);
		}
		old = v->allow;
		xasprintf(&v->allow, "%s%s%s", old ? old : "", old ? ", " : "",
		    api_method_name(table[i].method));
		free(old);
	}
	r->nargs = 0;
	if (pathmatch)
		return (api_refuse(v, 405, "method_not_allowed",
		    "%s is not allowed on %s (allowed: %s)",
		    api_method_name(method), text_cut(path, cut), v->allow));
	return (api_refuse(
	    v, 404, "not_found", "no such resource: %s", text_cut(path, cut)));
}

int
api_route_body(struct api_req *r, const char *body, size_t len, size_t max,
    struct api_verdict *v)
{
	json_error_t jerr;

	if (len > max)
		return (api_refuse(v, 413, "body_too_large",
		    "the request body is %zu bytes; at most %zu are accepted",
		    len, max));
	if (len == 0)
		return (0);
	r->body = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (r->body == NULL)
		return (api_refuse(v, 400, "bad_json",
		    "the request body is not valid JSON: %s (line %d, "
		    "column %d)",
		    jerr.text, jerr.line, jerr.column));
	if (!json_is_object(r->body)) {
		json_decref(r->body);
		r->body = NULL;
		return (api_refuse(v, 400, "bad_json",
		    "the request body must be a JSON object"));
	}
	return (0);
}

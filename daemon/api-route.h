/* SPDX-License-Identifier: ISC */
/*
 * api-route.h: what a control API request comes to before a handler runs
 * (api-route.c): its method, its path and query, decoded and checked as
 * text, matched against the route table (api-routes.h), and its JSON
 * body. No socket: api.c runs it for each request, and the HTTP fuzz
 * target (tests/fuzz/fuzz_http.c) runs it on any bytes.
 */

#ifndef API_ROUTE_H
#define API_ROUTE_H

#include <stddef.h>

#include <event2/http.h>

#include "api.h"

struct api_route {
	enum evhttp_cmd_type method;
	const char *pattern;
	void (*fn)(struct api_req *);
};

/* A refusal (status, code, message), or the route to run. */
struct api_verdict {
	int status; /* 0: run route->fn */
	const char *code;
	char *message;
	char *allow; /* a 405's Allow header */
	const struct api_route *route;
	char *path; /* the decoded path, which r->args point into */
};

const char *api_method_name(enum evhttp_cmd_type);

/*
 * Checks the method, decodes the path and the query (into r->query, which
 * the caller clears) as UTF-8 text without a NUL, and finds the route of
 * the table (r->args set from its '*'). Returns 0, or -1 with the refusal
 * in *v: 400 bad_path or bad_query, 404 not_found, 405 method_not_allowed
 * (with allow) or unknown_method.
 */
int api_route_request(const struct api_route *, size_t, enum evhttp_cmd_type,
    const char *, const char *, struct api_req *, struct api_verdict *);

/*
 * A JSON route's body (len bytes, none if 0): a JSON object of at most max
 * bytes, in r->body. Returns 0, or -1 with 413 body_too_large or 400
 * bad_json in *v.
 */
int api_route_body(
    struct api_req *, const char *, size_t, size_t, struct api_verdict *);

void api_verdict_clear(struct api_verdict *);

#endif /* API_ROUTE_H */

/* SPDX-License-Identifier: ISC */
/*
 * fuzz_http.c: libFuzzer target for a control API request up to its
 * handler: the method, the path and query (decoded, checked as text), the
 * route table (daemon/api-routes.h, the daemon's own) and the JSON body,
 * through api-route.c as api.c runs it for each request.
 *
 * The input is a request as a client writes it: "METHOD URI" on the first
 * line, header lines, an empty line, the body. The URI is parsed as
 * libevent parses it (a URI it refuses never reaches delistd); headers go
 * through evhttp_add_header (libevent's checks: delistd reads none). The
 * handlers are stand-ins, made from the same table, that check what a
 * handler is promised: as many arguments as the pattern has '*', each
 * UTF-8 text without a NUL, query keys and values the same, a body that
 * is NULL or a JSON object. A refusal must be a 4xx with a code and a
 * message. Built with -fsanitize=fuzzer when clang has libFuzzer, else
 * linked with replay.c.
 */

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "api-route.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct api_route *fuzz_route;

static void fuzz_handler(struct api_req *);

/* The daemon's handlers, each a stand-in. */
#define API_ROUTE(m, pattern, fn) \
	void fn(struct api_req *); \
	void fn(struct api_req *r) \
	{ \
		fuzz_handler(r); \
	}
#include "api-routes.h"
#undef API_ROUTE

static const struct api_route fuzz_routes[] = {
#define API_ROUTE(m, pattern, fn) { EVHTTP_REQ_##m, pattern, fn },
#include "api-routes.h"
#undef API_ROUTE
};

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static int
fuzz_text(const char *s)
{
	return (text_utf8_check(s, strlen(s), NULL, NULL) == 0);
}

static void
fuzz_handler(struct api_req *r)
{
	struct evkeyval *kv;
	const char *p;
	size_t stars = 0, i;

	for (p = fuzz_route->pattern; (p = strchr(p, '*')) != NULL; p++)
		stars++;
	if (r->nargs != stars)
		abort();
	for (i = 0; i < r->nargs; i++) {
		if (r->args[i] == NULL || *r->args[i] == '\0' ||
		    !fuzz_text(r->args[i]))
			abort();
	}
	TAILQ_FOREACH (kv, &r->query, next) {
		if (!fuzz_text(kv->key) || !fuzz_text(kv->value))
			abort();
	}
	if (r->body != NULL && !json_is_object(r->body))
		abort();
	r->replied = 1;
}

/* The method's token as libevent reads it: one it does not know is none. */
static enum evhttp_cmd_type
fuzz_method(const char *s, size_t len)
{
	const char *name;
	int bit;

	for (bit = 0; bit < 16; bit++) {
		name = api_method_name((enum evhttp_cmd_type)(1 << bit));
		if (name != NULL && strlen(name) == len &&
		    memcmp(name, s, len) == 0)
			return ((enum evhttp_cmd_type)(1 << bit));
	}
	return ((enum evhttp_cmd_type)(1 << 15));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_req r;
	struct api_verdict v;
	struct evhttp_uri *uri = NULL;
	struct evkeyvalq headers;
	const char *end = (const char *)data + size, *line, *eol, *sp, *colon;
	const char *path;
	char *uristr = NULL, *name, *value;

	TAILQ_INIT(&headers);
	memset(&r, 0, sizeof r);
	TAILQ_INIT(&r.query);
	line = (const char *)data;
	if ((eol = memchr(line, '\n', size)) == NULL ||
	    (sp = memchr(line, ' ', (size_t)(eol - line))) == NULL)
		return (0);
	uristr = strndup(sp + 1, (size_t)(eol - sp - 1));
	if (uristr == NULL || strlen(uristr) != (size_t)(eol - sp - 1) ||
	    (uri = evhttp_uri_parse_with_flags(
		 uristr, EVHTTP_URI_NONCONFORMANT)) == NULL)
		goto out;
	/* Headers up to an empty line. */
	for (line = eol + 1; line < end; line = eol + 1) {
		if ((eol = memchr(line, '\n', (size_t)(end - line))) == NULL)
			eol = end;
		if (eol == line)
			break;
		if ((colon = memchr(line, ':', (size_t)(eol - line))) == NULL)
			continue;
		name = strndup(line, (size_t)(colon - line));
		value = strndup(colon + 1, (size_t)(eol - colon - 1));
		if (name != NULL && value != NULL)
			evhttp_add_header(&headers, name, value);
		free(name);
		free(value);
	}
	line = eol < end ? eol + 1 : end;
	path = evhttp_uri_get_path(uri);
	if (path == NULL || *path == '\0')
		path = "/";
	if (api_route_request(fuzz_routes, nitems(fuzz_routes),
		fuzz_method(
		    (const char *)data, (size_t)(sp - (const char *)data)),
		path, evhttp_uri_get_query(uri), &r, &v) == 0) {
		fuzz_route = v.route;
		if (v.status != 0 || v.route == NULL)
			abort();
		/* The upload route takes the bytes as they are. */
		if (strcmp(v.route->pattern, "/v1/documents") == 0 &&
		    v.route->method == EVHTTP_REQ_POST)
			v.route->fn(&r);
		else if (api_route_body(&r, line, (size_t)(end - line),
			     1024 * 1024, &v) == 0)
			v.route->fn(&r);
	}
	if (v.status != 0 &&
	    (v.status < 400 || v.status > 499 || v.code == NULL ||
		v.message == NULL || *v.message == '\0'))
		abort();
	json_decref(r.body);
	evhttp_clear_headers(&r.query);
	api_verdict_clear(&v);
out:
	evhttp_clear_headers(&headers);
	if (uri != NULL)
		evhttp_uri_free(uri);
	free(uristr);
	return (0);
}

/*
 * api.h: what a control API handler sees.
 *
 * The JSON shapes of every route are documented in delistd(8), API section,
 * and shared by api.c and delistctl.c through these names.
 */

#ifndef API_H
#define API_H

#include <event2/keyvalq_struct.h>

struct evhttp_request;
struct evbuffer;
struct api;
struct json_t;

struct api_req {
	struct evhttp_request *req;
	struct api *api;
	const char *args[4];	/* the path segments matched by '*' */
	size_t nargs;
	struct json_t *body;	/* the request's JSON object, or NULL */
	struct evkeyvalq query;
	int replied;
	int deferred;		/* the handler answers later (streams) */
};

void api_reply(struct api_req *, int, struct json_t *);
void api_error(struct api_req *, int, const char *, const char *, ...)
    __attribute__((__format__(__printf__, 4, 5)));
void api_send_text(struct api_req *, int, const char *, struct evbuffer *);
const char *api_query(struct api_req *, const char *);
size_t api_clients(const struct api *);
uint64_t api_requests(const struct api *);

#endif

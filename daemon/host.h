/* SPDX-License-Identifier: ISC */
/*
 * host.h: the services behind the plugin host table (plugin.c), each in
 * its own file: the async HTTP client (http.c) and child processes
 * (proc.c). Work is owned by an opaque "owner" (the plugin instance's host
 * handle) so that everything an instance started can be cancelled when it
 * is finalised; a cancelled callback is never called.
 */

#ifndef HOST_H
#define HOST_H

#include <stddef.h>
#include <stdint.h>

#include "delistd/plugin.h"

struct event_base;

/* http.c: libcurl multi driven by libevent (curl's hiperfifo pattern). */
struct http_stats {
	uint64_t started;
	uint64_t completed; /* a response came (any status) */
	uint64_t failed; /* transport errors, timeouts included */
	uint64_t in_flight;
	uint64_t queued; /* waiting for a slot under the cap */
};

int http_init(struct event_base *, long max_in_flight, char **);
void http_shutdown(void);
int http_start(void *owner, const struct delistd_http_request *,
    delistd_http_cb, void *, char **);
int http_start_smtp(void *owner, const struct delistd_smtp_request *,
    delistd_smtp_cb, void *, char **);
void http_cancel_owner(void *owner);
const char *
http_response_header(const struct delistd_http_response *, const char *);
void http_get_stats(struct http_stats *);

/* proc.c: spawn, watch, time out and reap child processes. */
int proc_init(struct event_base *, char **);
void proc_shutdown(void);
int proc_spawn(void *owner, const struct delistd_spawn_request *,
    delistd_spawn_cb, void *, char **);
void proc_cancel_owner(void *owner);
size_t proc_running(void);

#endif

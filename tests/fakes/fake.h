/* SPDX-License-Identifier: ISC */
/*
 * fake.h: what the fake peers in tests/fakes share (fake.c): the port
 * file the tests wait for, and the ways a fake ends.
 */

#ifndef FAKE_H
#define FAKE_H

#include <event2/event.h>

/*
 * Writes port to path through a temporary file and a rename, so that a
 * test polling for the file never reads half of it. -1 with errno set.
 */
int fake_write_port(const char *path, int port);

/* SIGTERM, SIGINT: the loop (arg, the event_base) ends. */
void fake_on_signal(evutil_socket_t, short, void *);

/* The safety timeout: says so on stderr, and the loop (arg) ends. */
void fake_on_timeout(evutil_socket_t, short, void *);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * fake.c: what the fake peers in tests/fakes share (see fake.h).
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "fake.h"

int
fake_write_port(const char *path, int port)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if ((f = fopen(tmp, "w")) == NULL)
		return (-1);
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0 || rename(tmp, path) == -1)
		return (-1);
	return (0);
}

void
fake_on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(arg);
}

void
fake_on_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	fprintf(stderr, "%s: safety timeout, exiting\n",
	    program_invocation_short_name);
	event_base_loopbreak(arg);
}

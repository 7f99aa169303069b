/* SPDX-License-Identifier: ISC */
/*
 * bindswap.c: an LD_PRELOAD shim that plays the attacker of a socket race.
 *
 * With BINDSWAP_TARGET set, each successful bind(2) of a Unix socket is
 * followed at once by moving the new socket file aside (to PATH.moved)
 * and putting a symbolic link to BINDSWAP_TARGET at PATH: what someone
 * with write access to the socket's directory could do between the
 * daemon's bind and its chmod. Tests check that no file but the socket
 * changes mode or group.
 */

#include <sys/socket.h>
#include <sys/un.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int bind(int, const struct sockaddr *, socklen_t);

int
bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	static int (*real)(int, const struct sockaddr *, socklen_t);
	const struct sockaddr_un *sun = (const struct sockaddr_un *)sa;
	const char *target = getenv("BINDSWAP_TARGET");
	char moved[sizeof sun->sun_path + 8];
	int rc;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "bind");
	if (real == NULL)
		return (-1);
	rc = real(fd, sa, len);
	if (rc == 0 && target != NULL && sa->sa_family == AF_UNIX &&
	    sun->sun_path[0] != '\0') {
		snprintf(moved, sizeof moved, "%s.moved", sun->sun_path);
		if (rename(sun->sun_path, moved) == 0)
			(void)!symlink(target, sun->sun_path);
	}
	return (rc);
}

/* SPDX-License-Identifier: ISC */
/*
 * fake_notify.c: a stand-in for systemd's notification socket.
 *
 * usage: fake_notify SOCKET-PATH OUTPUT-FILE
 * Binds a Unix datagram socket and appends every message it receives to
 * OUTPUT-FILE, one assignment per line, each message followed by "--".
 * Tests point NOTIFY_SOCKET at it and read what the daemon told "systemd".
 * It exits on SIGTERM or after 10 minutes, whichever comes first.
 */

#include <sys/socket.h>
#include <sys/un.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_un sun;
	char buf[4096];
	ssize_t n;
	FILE *out;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: fake_notify socket output\n");
		return (2);
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(argv[1]) >= sizeof sun.sun_path) {
		fprintf(stderr, "fake_notify: socket path too long\n");
		return (2);
	}
	strcpy(sun.sun_path, argv[1]);
	unlink(argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof sun) == -1) {
		perror("fake_notify");
		return (1);
	}
	if ((out = fopen(argv[2], "a")) == NULL) {
		perror(argv[2]);
		return (1);
	}
	alarm(600);
	for (;;) {
		n = recv(fd, buf, sizeof buf - 1, 0);
		if (n < 0)
			continue;
		buf[n] = '\0';
		fprintf(out, "%s%s--\n", buf,
		    n > 0 && buf[n - 1] == '\n' ? "" : "\n");
		fflush(out);
	}
}

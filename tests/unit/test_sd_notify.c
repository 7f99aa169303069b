/* SPDX-License-Identifier: ISC */
/*
 * test_sd_notify.c: sd-notify.c's own NOTIFY_SOCKET sender, the one a build
 * without libsystemd uses (compiled here with DELISTD_NOTIFY_BUILTIN, so
 * it is tested in every build). A datagram socket stands in for systemd:
 * a path one and an abstract one; the watchdog timer on a private loop.
 */

#include <sys/socket.h>
#include <sys/un.h>

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "delistd.h"

static char tmpdir[] = "/tmp/test_sd_notify.XXXXXX";

/* A datagram socket bound at path ('@': abstract), set as NOTIFY_SOCKET. */
static int
listener(const char *path)
{
	struct sockaddr_un sun;
	socklen_t len;
	int fd;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd != -1);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	len = offsetof(struct sockaddr_un, sun_path) + strlen(path);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	else
		len++;
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, len), 0);
	assert_int_equal(setenv("NOTIFY_SOCKET", path, 1), 0);
	return (fd);
}

/* The next datagram, waiting at most ms; "" when none came. */
static void
receive_within(int fd, char *buf, size_t size, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n = 0;

	buf[0] = '\0';
	if (poll(&pfd, 1, ms) == 1 && (n = recv(fd, buf, size - 1, 0)) > 0)
		buf[n] = '\0';
}

static void
receive(int fd, char *buf, size_t size)
{
	receive_within(fd, buf, size, 5000);
}

static void
test_ready_to_a_path(void **state)
{
	char path[128], buf[512];
	int fd;

	(void)state;
	snprintf(path, sizeof path, "%s/notify.sock", tmpdir);
	fd = listener(path);
	assert_true(notify_supervised());
	notify_ready("3 cases open");
	receive(fd, buf, sizeof buf);
	assert_string_equal(buf, "READY=1\nSTATUS=3 cases open");
	notify_status("reloading %s", "now");
	receive(fd, buf, sizeof buf);
	assert_string_equal(buf, "STATUS=reloading now");
	notify_reloading();
	receive(fd, buf, sizeof buf);
	assert_memory_equal(buf, "RELOADING=1\nMONOTONIC_USEC=", 27);
	notify_stopping();
	receive(fd, buf, sizeof buf);
	assert_string_equal(buf, "STOPPING=1");
	close(fd);
	unlink(path);
}

static void
test_ready_to_an_abstract_socket(void **state)
{
	char path[128], buf[512];
	int fd;

	(void)state;
	snprintf(path, sizeof path, "@delistd-test-%ld", (long)getpid());
	fd = listener(path);
	notify_ready("up");
	receive(fd, buf, sizeof buf);
	assert_string_equal(buf, "READY=1\nSTATUS=up");
	close(fd);
}

static void
on_timeout(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	event_base_loopbreak(arg);
}

static void
test_watchdog(void **state)
{
	char path[128], buf[512], pid[32];
	struct event_base *base;
	struct event *stop;
	struct timeval tv = { 0, 300000 };
	int fd;

	(void)state;
	snprintf(path, sizeof path, "%s/watchdog.sock", tmpdir);
	fd = listener(path);
	base = event_base_new();
	assert_non_null(base);
	/* Another process's watchdog: none armed here. */
	setenv("WATCHDOG_USEC", "100000", 1);
	setenv("WATCHDOG_PID", "1", 1);
	notify_init(base);
	stop = evtimer_new(base, on_timeout, base);
	evtimer_add(stop, &tv);
	event_base_dispatch(base);
	receive_within(fd, buf, sizeof buf, 0);
	assert_string_equal(buf, "");
	/* This one's: a WATCHDOG=1 every 50 ms. */
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	notify_init(base);
	evtimer_add(stop, &tv);
	event_base_dispatch(base);
	receive(fd, buf, sizeof buf);
	assert_string_equal(buf, "WATCHDOG=1");
	notify_shutdown();
	event_free(stop);
	event_base_free(base);
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	close(fd);
	unlink(path);
}

static void
test_unsupervised(void **state)
{
	(void)state;
	unsetenv("NOTIFY_SOCKET");
	assert_false(notify_supervised());
	notify_ready("nobody listens"); /* a no-op, no crash */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready_to_a_path),
		cmocka_unit_test(test_ready_to_an_abstract_socket),
		cmocka_unit_test(test_watchdog),
		cmocka_unit_test(test_unsupervised),
	};
	int rc;

	if (mkdtemp(tmpdir) == NULL)
		return (1);
	log_init(1, LOG_LEVEL_WARNING);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(tmpdir);
	return (rc);
}

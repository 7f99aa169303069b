/* SPDX-License-Identifier: ISC */
/*
 * sd-notify.c: telling systemd how the daemon is doing.
 *
 * READY=1 once the store, configuration and socket are up; STATUS= one-line
 * summaries; RELOADING=1 with MONOTONIC_USEC= around a reload; STOPPING=1;
 * WATCHDOG=1 at half of WATCHDOG_USEC. Through libsystemd when the build
 * has it; otherwise (or built with DELISTD_NOTIFY_BUILTIN, as the unit
 * test is) the same datagrams are sent to $NOTIFY_SOCKET directly, as
 * sd_notify(3) allows, so the shipped Type=notify unit never hangs. When
 * not started by systemd (no NOTIFY_SOCKET), every function is a no-op.
 */

#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#if defined(HAVE_SYSTEMD) && !defined(DELISTD_NOTIFY_BUILTIN)
#define NOTIFY_LIBSYSTEMD 1
#include <systemd/sd-daemon.h>
#endif

#include "delistd.h"

static struct event *notify_watchdog_ev;

static int notify_send(const char *, ...) printflike(1, 2);
static int notify_watchdog_usec(uint64_t *);
static void notify_watchdog(evutil_socket_t, short, void *);

#ifndef NOTIFY_LIBSYSTEMD
/*
 * sd_notify(3)'s protocol: one datagram on the AF_UNIX socket named by
 * $NOTIFY_SOCKET, a path or, with a leading '@', an abstract name.
 */
static int
notify_datagram(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun;
	socklen_t len;
	size_t plen;
	int fd, rc;

	if (path == NULL || (path[0] != '/' && path[0] != '@'))
		return (0);
	plen = strlen(path);
	if (plen >= sizeof sun.sun_path)
		return (-1);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, plen);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	len = offsetof(struct sockaddr_un, sun_path) + plen + (path[0] == '/');
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return (-1);
	rc = sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sun,
		 len) == -1
	    ? -1
	    : 1;
	close(fd);
	return (rc);
}
#endif

static int
notify_send(const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int rc;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
#ifdef NOTIFY_LIBSYSTEMD
	rc = sd_notify(0, msg);
#else
	rc = notify_datagram(msg);
#endif
	free(msg);
	return (rc);
}

/* WATCHDOG_USEC, when meant for this process (WATCHDOG_PID): 1, else 0. */
static int
notify_watchdog_usec(uint64_t *usec)
{
#ifdef NOTIFY_LIBSYSTEMD
	return (sd_watchdog_enabled(0, usec) > 0);
#else
	const char *s, *pid;
	char *end;
	unsigned long long v;

	if ((s = getenv("WATCHDOG_USEC")) == NULL || *s == '\0')
		return (0);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v == 0)
		return (0);
	if ((pid = getenv("WATCHDOG_PID")) != NULL && *pid != '\0' &&
	    strtoll(pid, NULL, 10) != (long long)getpid())
		return (0);
	*usec = v;
	return (1);
#endif
}

static void
notify_watchdog(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	notify_send("WATCHDOG=1");
}

/* Started by systemd as Type=notify: stay in the foreground. */
int
notify_supervised(void)
{
	const char *s = getenv("NOTIFY_SOCKET");

	return (s != NULL && *s != '\0');
}

void
notify_init(struct event_base *base)
{
	uint64_t usec;
	struct timeval tv;

	if (!notify_watchdog_usec(&usec) || usec == 0)
		return;
	usec /= 2;
	tv.tv_sec = usec / 1000000;
	tv.tv_usec = usec % 1000000;
	notify_watchdog_ev =
	    event_new(base, -1, EV_PERSIST, notify_watchdog, NULL);
	if (notify_watchdog_ev == NULL ||
	    event_add(notify_watchdog_ev, &tv) == -1)
		fatalx("notify: cannot arm the watchdog timer");
	log_info("systemd watchdog: pinging every %llu ms",
	    (unsigned long long)usec / 1000);
}

void
notify_ready(const char *status)
{
	notify_send("READY=1\nSTATUS=%s", status);
}

void
notify_status(const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	notify_send("STATUS=%s", msg);
	free(msg);
}

void
notify_reloading(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	notify_send("RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
		(unsigned long long)ts.tv_nsec / 1000ULL);
}

void
notify_stopping(void)
{
	notify_send("STOPPING=1");
}

void
notify_shutdown(void)
{
	if (notify_watchdog_ev != NULL)
		event_free(notify_watchdog_ev);
	notify_watchdog_ev = NULL;
}

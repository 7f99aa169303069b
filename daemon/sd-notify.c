/* SPDX-License-Identifier: ISC */
/*
 * notify.c: telling systemd how the daemon is doing.
 *
 * READY=1 once the store, configuration and socket are up; STATUS= one-line
 * summaries; RELOADING=1 with MONOTONIC_USEC= around a reload; STOPPING=1;
 * WATCHDOG=1 at half of WATCHDOG_USEC. Without libsystemd, or when not
 * started by systemd, every function is a no-op.
 */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#ifdef HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "delistd.h"

#ifdef HAVE_SYSTEMD
static struct event *notify_watchdog_ev;

static void
notify_watchdog(evutil_socket_t fd, short events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	sd_notify(0, "WATCHDOG=1");
}
#endif

/*
 * Started by systemd as Type=notify: stay in the foreground. A build
 * without libsystemd cannot say READY=1, so it forks as usual.
 */
int
notify_supervised(void)
{
#ifdef HAVE_SYSTEMD
	const char *s = getenv("NOTIFY_SOCKET");

	return (s != NULL && *s != '\0');
#else
	return (0);
#endif
}

void
notify_init(struct event_base *base)
{
#ifdef HAVE_SYSTEMD
	uint64_t usec;
	struct timeval tv;

	if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
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
#else
	(void)base;
#endif
}

void
notify_ready(const char *status)
{
#ifdef HAVE_SYSTEMD
	sd_notifyf(0, "READY=1\nSTATUS=%s", status);
#else
	(void)status;
#endif
}

void
notify_status(const char *fmt, ...)
{
#ifdef HAVE_SYSTEMD
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	sd_notifyf(0, "STATUS=%s", msg);
	free(msg);
#else
	(void)fmt;
#endif
}

void
notify_reloading(void)
{
#ifdef HAVE_SYSTEMD
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
		(unsigned long long)ts.tv_nsec / 1000ULL);
#endif
}

void
notify_stopping(void)
{
#ifdef HAVE_SYSTEMD
	sd_notify(0, "STOPPING=1");
#endif
}

void
notify_shutdown(void)
{
#ifdef HAVE_SYSTEMD
	if (notify_watchdog_ev != NULL)
		event_free(notify_watchdog_ev);
	notify_watchdog_ev = NULL;
#endif
}

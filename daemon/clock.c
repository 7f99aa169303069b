/* SPDX-License-Identifier: ISC */
/*
 * clock.c: the daemon's notion of "now".
 *
 * Normally the system clock. When DELISTD_TEST_CLOCK names a file, now is the
 * UTC epoch seconds written in that file, re-read every 50 ms; when the value
 * changes every registered callback runs, so that timers are re-evaluated
 * against the new time. This is how tests run a 5-business-day story in
 * seconds. Uptime always uses the real monotonic clock.
 *
 * The value must be plain decimal digits within the years the calendar and
 * the API's ISO 8601 times handle (1970 to 9999): at start anything else
 * is refused; later the last good value is kept and the fault logged once.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "delistd.h"

#define CLOCK_POLL_USEC 50000
/* 9999-12-31T23:59:59Z: the last second a four-digit year can name. */
#define CLOCK_MAX 253402300799LL

struct clock_watcher {
	clock_cb cb;
	void *arg;
};

static char *clock_file;
static time_t clock_value;
static struct event *clock_ev;
static struct clock_watcher *clock_watchers;
static size_t clock_nwatchers;
static struct timespec clock_start;
static int clock_faulty; /* a bad read was logged; cleared by a good one */

static int clock_read(time_t *, char **);
static void clock_poll(evutil_socket_t, short, void *);

static int
clock_read(time_t *out, char **cause)
{
	char buf[64], *end;
	ssize_t n;
	size_t ndigits;
	int fd;
	long long v;

	if ((fd = open(clock_file, O_RDONLY | O_CLOEXEC)) == -1) {
		xasprintf(cause, "DELISTD_TEST_CLOCK %s: %s", clock_file,
		    strerror(errno));
		return (-1);
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) {
		xasprintf(cause, "DELISTD_TEST_CLOCK %s: %s", clock_file,
		    n == 0 ? "the file is empty" : strerror(errno));
		return (-1);
	}
	buf[n] = '\0';
	/* Digits only: strtoll would take a sign or leading blanks. */
	ndigits = strspn(buf, "0123456789");
	end = buf + ndigits;
	while (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r')
		end++;
	if (ndigits == 0 || *end != '\0') {
		xasprintf(cause,
		    "DELISTD_TEST_CLOCK %s: not epoch seconds (a decimal "
		    "number is wanted)",
		    clock_file);
		return (-1);
	}
	errno = 0;
	v = strtoll(buf, NULL, 10);
	if (errno == ERANGE || v > CLOCK_MAX) {
		xasprintf(cause,
		    "DELISTD_TEST_CLOCK %s: %.*s%s is past the year 9999 "
		    "(at most %lld)",
		    clock_file, ndigits > 20 ? 20 : (int)ndigits, buf,
		    ndigits > 20 ? "..." : "", CLOCK_MAX);
		return (-1);
	}
	*out = (time_t)v;
	return (0);
}

static void
clock_poll(evutil_socket_t fd, short events, void *arg)
{
	time_t v;
	char *cause = NULL;
	size_t i;

	(void)fd;
	(void)events;
	(void)arg;
	if (clock_read(&v, &cause) == -1) {
		/* Once per bad spell: a test may leave it so for a while. */
		if (!clock_faulty)
			log_warnx("%s; keeping the test clock at %lld", cause,
			    (long long)clock_value);
		clock_faulty = 1;
		free(cause);
		return;
	}
	if (clock_faulty)
		log_info("test clock readable again");
	clock_faulty = 0;
	if (v == clock_value)
		return;
	log_debug(
	    "test clock: %lld -> %lld", (long long)clock_value, (long long)v);
	clock_value = v;
	for (i = 0; i < clock_nwatchers; i++)
		clock_watchers[i].cb(clock_watchers[i].arg);
}

int
clock_init(struct event_base *base, char **cause)
{
	const char *env = getenv("DELISTD_TEST_CLOCK");
	struct timeval tv = { 0, CLOCK_POLL_USEC };

	clock_gettime(CLOCK_MONOTONIC, &clock_start);
	if (env == NULL || *env == '\0')
		return (0);
	clock_file = xstrdup(env);
	if (clock_read(&clock_value, cause) == -1) {
		free(clock_file);
		clock_file = NULL;
		return (-1);
	}
	if (base != NULL) {
		clock_ev = event_new(base, -1, EV_PERSIST, clock_poll, NULL);
		if (clock_ev == NULL || event_add(clock_ev, &tv) == -1)
			fatalx("clock: cannot arm the test clock poll");
	}
	log_notice("using the test clock in %s (now %lld)", clock_file,
	    (long long)clock_value);
	return (0);
}

void
clock_shutdown(void)
{
	if (clock_ev != NULL)
		event_free(clock_ev);
	clock_ev = NULL;
	free(clock_file);
	clock_file = NULL;
	clock_faulty = 0;
	free(clock_watchers);
	clock_watchers = NULL;
	clock_nwatchers = 0;
}

time_t
clock_now(void)
{
	if (clock_file != NULL)
		return (clock_value);
	return (time(NULL));
}

int
clock_is_test(void)
{
	return (clock_file != NULL);
}

void
clock_on_change(clock_cb cb, void *arg)
{
	clock_watchers = xreallocarray(
	    clock_watchers, clock_nwatchers + 1, sizeof *clock_watchers);
	clock_watchers[clock_nwatchers].cb = cb;
	clock_watchers[clock_nwatchers].arg = arg;
	clock_nwatchers++;
}

double
clock_uptime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)(ts.tv_sec - clock_start.tv_sec) +
	    (double)(ts.tv_nsec - clock_start.tv_nsec) / 1e9);
}

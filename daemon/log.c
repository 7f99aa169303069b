/* SPDX-License-Identifier: ISC */
/*
 * log.c: the one log module (OpenSMTPD's shape).
 *
 * In the foreground messages go to stderr, otherwise to syslog with facility
 * LOG_DAEMON and ident "delistd". log_warn appends strerror(errno) and keeps
 * errno. fatal/fatalx are for start-up and broken invariants only.
 */

#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#include "delistd.h"

static int log_foreground = 1;
static enum log_level log_max = LOG_LEVEL_INFO;
static log_journal_fn log_journal;

static void log_vwrite(int, enum log_level, const struct log_fields *,
    const char *, va_list) printflike(4, 0);
static void log_oom(const char *);

static const struct {
	const char *name;
	int priority;
} log_levels[] = {
	[LOG_LEVEL_ERROR] = { "error", LOG_ERR },
	[LOG_LEVEL_WARNING] = { "warning", LOG_WARNING },
	[LOG_LEVEL_NOTICE] = { "notice", LOG_NOTICE },
	[LOG_LEVEL_INFO] = { "info", LOG_INFO },
	[LOG_LEVEL_DEBUG] = { "debug", LOG_DEBUG },
};

void
log_init(int foreground, enum log_level level)
{
	log_foreground = foreground;
	log_max = level;
	xmalloc_set_fatal(log_oom);
	tzset();
	if (!foreground)
		openlog(DELISTD_NAME, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/* core's allocator runs out of memory: the daemon's fatalx. */
static void
log_oom(const char *msg)
{
	fatalx("%s", msg);
}

void
log_setlevel(enum log_level level)
{
	log_max = level;
}

int
log_level_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof log_levels / sizeof log_levels[0]; i++) {
		if (strcasecmp(name, log_levels[i].name) == 0)
			return ((int)i);
	}
	return (-1);
}

const char *
log_level_name(enum log_level level)
{
	return (log_levels[level].name);
}

void
log_set_journal(log_journal_fn fn)
{
	log_journal = fn;
}

static void
log_vwrite(int priority, enum log_level level, const struct log_fields *f,
    const char *fmt, va_list ap)
{
	int saved_errno = errno;
	char *msg;
	static const char *prefix[] = { "error", "warning", "notice", "info",
		"debug" };

	if (level > log_max && priority != LOG_CRIT) {
		errno = saved_errno;
		return;
	}
	if (log_foreground) {
		fprintf(stderr, "delistd: %s: ",
		    priority == LOG_CRIT ? "critical" : prefix[level]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
	} else if (f != NULL && log_journal != NULL) {
		if (vasprintf(&msg, fmt, ap) == -1)
			msg = NULL;
		/* No journal (not under systemd): syslog, as any line. */
		if (msg != NULL && log_journal(priority, msg, f) < 0)
			syslog(priority, "%s", msg);
		free(msg);
	} else
		vsyslog(priority, fmt, ap);
	errno = saved_errno;
}

void
log_event(enum log_level level, int critical, const struct log_fields *f,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(critical ? LOG_CRIT : log_levels[level].priority, level, f,
	    fmt, ap);
	va_end(ap);
}

#define LOG_FN(fn, level) \
	void fn(const char *fmt, ...) \
	{ \
		va_list ap; \
		va_start(ap, fmt); \
		log_vwrite(log_levels[level].priority, level, NULL, fmt, ap); \
		va_end(ap); \
	}
LOG_FN(log_warnx, LOG_LEVEL_WARNING)
LOG_FN(log_notice, LOG_LEVEL_NOTICE)
LOG_FN(log_info, LOG_LEVEL_INFO)
LOG_FN(log_debug, LOG_LEVEL_DEBUG)

void
log_crit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_CRIT, LOG_LEVEL_ERROR, NULL, fmt, ap);
	va_end(ap);
}

/*
 * The shell's one cause formatter: fills *cause with a sentence for a
 * person (the caller frees it); nothing when cause is NULL (the caller
 * does not want to know). It does not log.
 */
void
log_cause(char **cause, const char *fmt, ...)
{
	va_list ap;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(cause, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	char *nfmt;
	int saved_errno = errno;

	if (asprintf(&nfmt, "%s: %s", fmt, strerror(saved_errno)) == -1)
		nfmt = NULL;
	va_start(ap, fmt);
	log_vwrite(LOG_WARNING, LOG_LEVEL_WARNING, NULL, nfmt ? nfmt : fmt, ap);
	va_end(ap);
	free(nfmt);
	errno = saved_errno;
}

__dead void
fatal(const char *fmt, ...)
{
	va_list ap;
	char *nfmt;
	int saved_errno = errno;

	if (asprintf(&nfmt, "%s: %s", fmt, strerror(saved_errno)) == -1)
		nfmt = NULL;
	va_start(ap, fmt);
	log_vwrite(LOG_ERR, LOG_LEVEL_ERROR, NULL, nfmt ? nfmt : fmt, ap);
	va_end(ap);
	exit(1);
}

__dead void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_ERR, LOG_LEVEL_ERROR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}

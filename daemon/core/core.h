/* SPDX-License-Identifier: ISC */
/*
 * core.h: what the pure modules of daemon/core/ share with every program
 * that links them (delistd, delistctl, the unit tests and fuzz targets).
 *
 * Core is libc and libunistring only: no I/O, no globals of the daemon.
 * daemon/LAYERS says who may use what.
 */

#ifndef CORE_H
#define CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif
#define printflike(a, b) __attribute__((__format__(__printf__, a, b)))

/*
 * xmalloc.c: allocation that never returns NULL. On exhaustion it calls the
 * hook (the daemon's is fatalx, set by log_init); by default it writes the
 * message to stderr and exits 1.
 */
void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
int xasprintf(char **, const char *, ...) printflike(2, 3);
int xvasprintf(char **, const char *, va_list) printflike(2, 0);
void freezero_str(char *);
void xmalloc_set_fatal(void (*)(const char *));

/*
 * cause.c: sets *cause (if cause is not NULL) to a malloc'd sentence;
 * cause_fail returns -1 too. A plugin may compile cause.c in.
 */
void cause_set(char **, const char *, ...) printflike(2, 3);
int cause_fail(char **, const char *, ...) printflike(2, 3);

/* id.c: a positive decimal ID, digits only: 0 and *out, or -1. */
#define ID_DIGITS_MAX 18
int id_parse(const char *, long long *);

/* duration.c: "90s", "30m", "72h", "5d", and sums like "1h30m". */
#define DURATION_MAX ((int64_t)10 * 365 * 86400)
int duration_parse(const char *, int64_t *, char **);
char *duration_format(int64_t, char *, size_t);

/* isotime.c: ISO 8601 times with an offset; UTC out. */
#define ISOTIME_LEN 32
int isotime_parse(const char *, time_t *);
char *isotime_format(time_t, char *, size_t);

#endif

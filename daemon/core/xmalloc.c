/* SPDX-License-Identifier: ISC */
/*
 * xmalloc.c: allocation wrappers that never return NULL.
 *
 * Running out of memory is a broken invariant for a small daemon: the
 * wrappers call oom() rather than make every caller test for NULL.
 */

#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static __dead void oom(const char *, ...) printflike(1, 2);
static void oom_stderr(const char *);

static void (*oom_hook)(const char *) = oom_stderr;

/* The default: no log of the daemon in core, so stderr. */
static void
oom_stderr(const char *msg)
{
	fprintf(stderr, "%s\n", msg);
}

void
xmalloc_set_fatal(void (*hook)(const char *))
{
	oom_hook = hook != NULL ? hook : oom_stderr;
}

/* Says why (through the hook) and ends the program. */
static __dead void
oom(const char *fmt, ...)
{
	va_list ap;
	char msg[128];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	oom_hook(msg);
	exit(1);
}

void *
xmalloc(size_t size)
{
	void *ptr;

	if (size == 0)
		size = 1;
	if ((ptr = malloc(size)) == NULL)
		oom("xmalloc: out of memory allocating %zu bytes", size);
	return (ptr);
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *ptr;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((ptr = calloc(nmemb, size)) == NULL)
		oom("xcalloc: out of memory allocating %zu x %zu bytes", nmemb,
		    size);
	return (ptr);
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *new;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (size != 0 && nmemb > SIZE_MAX / size)
		oom("xreallocarray: %zu x %zu overflows", nmemb, size);
	if ((new = realloc(ptr, nmemb * size)) == NULL)
		oom("xreallocarray: out of memory allocating %zu x %zu bytes",
		    nmemb, size);
	return (new);
}

char *
xstrdup(const char *s)
{
	char *cp;

	if ((cp = strdup(s)) == NULL)
		oom("xstrdup: out of memory");
	return (cp);
}

char *
xstrndup(const char *s, size_t n)
{
	char *cp;

	if ((cp = strndup(s, n)) == NULL)
		oom("xstrndup: out of memory");
	return (cp);
}

int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list ap;
	int i;

	va_start(ap, fmt);
	i = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return (i);
}

int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int i;

	i = vasprintf(ret, fmt, ap);
	if (i == -1)
		oom("xvasprintf: out of memory");
	return (i);
}

/* Wipes a secret before giving its memory back. */
void
freezero_str(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

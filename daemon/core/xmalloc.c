/*
 * xmalloc.c: allocation wrappers that never return NULL.
 *
 * Running out of memory is a broken invariant for a small daemon: the
 * wrappers call fatalx() rather than make every caller test for NULL.
 */

#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delistd.h"

void *
xmalloc(size_t size)
{
	void *ptr;

	if (size == 0)
		size = 1;
	if ((ptr = malloc(size)) == NULL)
		fatalx("xmalloc: out of memory allocating %zu bytes", size);
	return (ptr);
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *ptr;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((ptr = calloc(nmemb, size)) == NULL)
		fatalx("xcalloc: out of memory allocating %zu x %zu bytes",
		    nmemb, size);
	return (ptr);
}

void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	void *new;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (size != 0 && nmemb > SIZE_MAX / size)
		fatalx("xreallocarray: %zu x %zu overflows", nmemb, size);
	if ((new = realloc(ptr, nmemb * size)) == NULL)
		fatalx(
		    "xreallocarray: out of memory allocating %zu x %zu bytes",
		    nmemb, size);
	return (new);
}

char *
xstrdup(const char *s)
{
	char *cp;

	if ((cp = strdup(s)) == NULL)
		fatalx("xstrdup: out of memory");
	return (cp);
}

char *
xstrndup(const char *s, size_t n)
{
	char *cp;

	if ((cp = strndup(s, n)) == NULL)
		fatalx("xstrndup: out of memory");
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
		fatalx("xvasprintf: out of memory");
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

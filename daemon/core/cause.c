/* SPDX-License-Identifier: ISC */
/*
 * cause.c: how core says why something failed.
 *
 * A core function that can fail takes a char **cause (which may be NULL)
 * and, on failure, sets it to a malloc'd sentence through cause_set. Pure:
 * no I/O; out of memory leaves *cause NULL rather than ending the program.
 * A plugin may compile this file in: cause_fail is its "set, return -1".
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* vasprintf; needs no config.h */
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core.h"

static void cause_vset(char **, const char *, va_list) printflike(2, 0);

static void
cause_vset(char **cause, const char *fmt, va_list ap)
{
	if (cause != NULL && vasprintf(cause, fmt, ap) == -1)
		*cause = NULL;
}

void
cause_set(char **cause, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cause_vset(cause, fmt, ap);
	va_end(ap);
}

/* cause_set, returning -1: "return (cause_fail(cause, ...));". */
int
cause_fail(char **cause, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cause_vset(cause, fmt, ap);
	va_end(ap);
	return (-1);
}

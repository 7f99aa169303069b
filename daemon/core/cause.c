/* SPDX-License-Identifier: ISC */
/*
 * cause.c: how core says why something failed.
 *
 * A core function that can fail takes a char **cause (which may be NULL)
 * and, on failure, sets it to a malloc'd sentence through cause_set. Pure:
 * no I/O; out of memory leaves *cause NULL rather than ending the program.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* vasprintf; needs no config.h */
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core.h"

void
cause_set(char **cause, const char *fmt, ...)
{
	va_list ap;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(cause, fmt, ap) == -1)
		*cause = NULL;
	va_end(ap);
}

/* SPDX-License-Identifier: ISC */
/*
 * evtext.h: an event's sentence kept as its printf format and its
 * arguments, so that a reader in another language gets it in theirs.
 *
 * The daemon composes every event's message from an English format (a
 * msgid of the catalogue, see daemon/README on languages) and its
 * arguments. evtext_args turns each argument into the string its
 * conversion prints, in order; the event keeps the format and these
 * strings ("text": {"format", "args"}) beside the English "message". A
 * reader looks the format up in the catalogue (gettext, or mo.c) and
 * evtext_render puts the strings back in place of the translation's
 * conversions: in order, or by position (%2$s) when the translation
 * reorders them. msgfmt's c-format check makes a translation carry the
 * same conversions; width, precision and flags were applied when the
 * argument was captured, so render substitutes each string as it is.
 *
 * Pure: no I/O, no global state; out of memory is a failure, not an abort
 * (the mail module compiles this file in without core's xmalloc).
 */

#ifndef EVTEXT_H
#define EVTEXT_H

#include <stdarg.h>
#include <stddef.h>

/* At most this many conversions in one format. */
#define EVTEXT_MAX_ARGS 32

/*
 * The string each conversion of fmt prints for the arguments in ap, in
 * order, into a malloc'd array of *n malloc'd strings (free with
 * evtext_free). Returns 0, or -1 and *cause for a format it does not take
 * (%n, positional or wide conversions, more than EVTEXT_MAX_ARGS). ap is
 * consumed: pass a va_copy when it is used again.
 */
int
evtext_args(const char *fmt, va_list ap, char ***args, size_t *n, char **cause);
void evtext_free(char **args, size_t n);

/*
 * fmt with every conversion replaced by its string of args (%% is "%"),
 * malloc'd; or NULL and *cause when a conversion has no argument or is not
 * one printf knows.
 */
char *
evtext_render(const char *fmt, const char *const *args, size_t n, char **cause);

#endif

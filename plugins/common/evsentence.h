/* SPDX-License-Identifier: ISC */
/*
 * evsentence.h: an event's sentence in a sink reader's language, for the
 * modules that write for people (mail; the chatbot's messages too).
 * Compiled into each module with core's mo.c and evtext.c.
 */

#ifndef EVSENTENCE_H
#define EVSENTENCE_H

#include <jansson.h>

struct mo;

/*
 * The sentence of the event ev (delistd-events(7)) in mo's language,
 * malloc'd: its "text" (the daemon's English format, a msgid, and its
 * arguments as strings) through mo and evtext_render; NULL when it has
 * none, when mo is NULL (English) or does not translate the format, or
 * when the translation does not take the arguments: then the English
 * "message" is what there is.
 */
char *ev_sentence(const struct mo *mo, const json_t *ev);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * lang.h: a plugin's readers' language, shared by the modules that write
 * for people (mail, chatbot): the zh_CN catalogue read from disk once,
 * and an event's sentence in a catalogue's language. Compiled into each
 * module with core's mo.c and evtext.c (no daemon symbol).
 */

#ifndef PLUGIN_LANG_H
#define PLUGIN_LANG_H

#include <jansson.h>

struct mo;

/* Whether s is a language a reader may choose: "zh-CN" or "en". */
int lang_known(const char *s);

/*
 * delistd's zh_CN catalogue, under $DELISTD_LOCALEDIR, else localedir
 * (zh_CN/LC_MESSAGES/delistd.mo); NULL when it is missing or damaged
 * (said by the caller when a Chinese reader needs it). *path is the file
 * looked for (malloc'd, NULL if out of memory).
 */
struct mo *lang_catalogue(const char *localedir, char **path);

/*
 * An event's sentence (delistd-events(7)) in mo's language, malloc'd:
 * its "text" (the daemon's format, a msgid, and its arguments as strings)
 * through mo; NULL when it has none, when mo is NULL or does not translate
 * it, or when the translation does not take the arguments: then the
 * English "message" is what there is.
 */
char *lang_event_sentence(const struct mo *mo, const json_t *ev);

#endif

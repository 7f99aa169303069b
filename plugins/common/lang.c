/* SPDX-License-Identifier: ISC */
/*
 * lang.c: a plugin's readers' language (see lang.h).
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "evtext.h"
#include "lang.h"
#include "mo.h"

#define LANG_MO_MAX (4 * 1024 * 1024)

int
lang_known(const char *s)
{
	return (strcmp(s, "zh-CN") == 0 || strcmp(s, "en") == 0);
}

struct mo *
lang_catalogue(const char *localedir, char **path)
{
	const char *dir;
	struct mo *mo = NULL;
	char *buf;
	size_t len;
	FILE *f;

	if ((dir = getenv("DELISTD_LOCALEDIR")) == NULL || *dir == '\0')
		dir = localedir;
	if (asprintf(path, "%s/zh_CN/LC_MESSAGES/delistd.mo", dir) == -1) {
		*path = NULL;
		return (NULL);
	}
	if ((f = fopen(*path, "re")) == NULL)
		return (NULL);
	if ((buf = malloc(LANG_MO_MAX)) != NULL) {
		len = fread(buf, 1, LANG_MO_MAX, f);
		if (!ferror(f) && len < LANG_MO_MAX)
			mo = mo_parse(buf, len, NULL);
	}
	fclose(f);
	free(buf);
	return (mo);
}

char *
lang_event_sentence(const struct mo *mo, const json_t *ev)
{
	const char *av[EVTEXT_MAX_ARGS], *fmt, *tr;
	json_t *text, *args, *v;
	size_t i;

	text = json_object_get(ev, "text");
	args = json_object_get(text, "args");
	fmt = json_string_value(json_object_get(text, "format"));
	if (mo == NULL || fmt == NULL || *fmt == '\0' ||
	    !json_is_array(args) || json_array_size(args) > EVTEXT_MAX_ARGS ||
	    (tr = mo_gettext(mo, fmt)) == fmt)
		return (NULL);
	json_array_foreach (args, i, v)
		av[i] = json_string_value(v);
	return (evtext_render(tr, av, json_array_size(args), NULL));
}

/* SPDX-License-Identifier: ISC */
/*
 * evsentence.c: an event's sentence in a sink reader's language (see
 * evsentence.h).
 */

#include <stddef.h>

#include <jansson.h>

#include "evsentence.h"
#include "evtext.h"
#include "mo.h"

char *
ev_sentence(const struct mo *mo, const json_t *ev)
{
	const char *av[EVTEXT_MAX_ARGS], *fmt, *tr;
	json_t *text, *args, *v;
	size_t i;

	text = json_object_get(ev, "text");
	args = json_object_get(text, "args");
	fmt = json_string_value(json_object_get(text, "format"));
	if (mo == NULL || fmt == NULL || *fmt == '\0' || !json_is_array(args) ||
	    json_array_size(args) > EVTEXT_MAX_ARGS ||
	    (tr = mo_gettext(mo, fmt)) == fmt)
		return (NULL);
	json_array_foreach (args, i, v)
		av[i] = json_string_value(v);
	return (evtext_render(tr, av, json_array_size(args), NULL));
}

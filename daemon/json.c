/* SPDX-License-Identifier: ISC */
/*
 * json.c: the shell's JSON pieces shared by the API, the lifecycle and
 * the event bus: a time as the API writes it.
 */

#include "config.h"

#include <time.h>

#include <jansson.h>

#include "delistd.h"

/* A time as ISO 8601 UTC, or JSON null for 0 (not set). */
json_t *
json_time(time_t t)
{
	char buf[ISOTIME_LEN];

	if (t == 0)
		return (json_null());
	return (json_string(isotime_format(t, buf, sizeof buf)));
}

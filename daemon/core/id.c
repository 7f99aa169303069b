/* SPDX-License-Identifier: ISC */
/*
 * id.c: the IDs of cases, documents, conditions and deliveries as people
 * type them: a positive decimal number, digits only, at most 18 of them
 * (so that it always fits a long long). Pure.
 */

#include <stdlib.h>

#include "core.h"

int
id_parse(const char *s, long long *out)
{
	const char *p;
	long long id;

	for (p = s; *p >= '0' && *p <= '9'; p++)
		;
	if (*s == '\0' || *p != '\0' || p - s > ID_DIGITS_MAX ||
	    (id = strtoll(s, NULL, 10)) <= 0)
		return (-1);
	*out = id;
	return (0);
}

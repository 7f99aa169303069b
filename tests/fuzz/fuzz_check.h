/* SPDX-License-Identifier: ISC */
/*
 * fuzz_check.h: the invariants every sniffer's result must satisfy, shared
 * by the fuzz targets (each includes it once).
 */

#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sniff.h"

static void check(int, const struct sniff_result *);
static void
check_resolution(const struct sniff_result *) __attribute__((__unused__));

/* What every result must look like, accepted or refused. */
static void
check(int rc, const struct sniff_result *r)
{
	if (memchr(r->why, '\0', sizeof r->why) == NULL)
		abort();
	if (rc == 0) {
		if (r->why[0] != '\0' || r->format == SNIFF_UNKNOWN)
			abort();
		if (r->format == SNIFF_PDF &&
		    (r->width != 0 || r->height != 0 || r->pdf_major < 1 ||
			r->pdf_major > 2 || r->pdf_minor < 0 ||
			r->pdf_minor > 9))
			abort();
		if (r->format != SNIFF_PDF &&
		    (r->width == 0 || r->height == 0 || r->width > INT32_MAX ||
			r->height > INT32_MAX || r->pdf_major != 0 ||
			r->pdf_minor != 0))
			abort();
	} else if (rc == -1) {
		if (r->why[0] == '\0' || r->width != 0 || r->height != 0 ||
		    r->pdf_major != 0 || r->pdf_minor != 0)
			abort();
	} else
		abort();
}

/* The rule at its defaults: 600 on the short side, 800 on the long. */
static void
check_resolution(const struct sniff_result *r)
{
	char why[SNIFF_WHY_MAX];
	uint32_t s, l;
	int rc;

	s = r->width < r->height ? r->width : r->height;
	l = r->width < r->height ? r->height : r->width;
	why[0] = '\0';
	rc = sniff_resolution_check(r->width, r->height,
	    SNIFF_MIN_SHORT_DEFAULT, SNIFF_MIN_LONG_DEFAULT, why, sizeof why);
	if ((rc == 0) != (s >= 600 && l >= 800))
		abort();
	if (rc != 0 &&
	    (why[0] == '\0' || memchr(why, '\0', sizeof why) == NULL))
		abort();
}

#endif

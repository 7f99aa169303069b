/*
 * fuzz_jpeg.c: libFuzzer target for the JPEG sniffer (sniff.c).
 *
 * Feeds the input to sniff_jpeg and to sniff_buffer and aborts when a
 * result breaks the contract of sniff.h: a size only when accepted, a
 * reason only when refused, always NUL-terminated, sniff_buffer giving the
 * same answer whenever it takes the input for a JPEG, and the resolution
 * rule agreeing with a direct comparison of the size found. Built with
 * -fsanitize=fuzzer when clang has libFuzzer, else linked with replay.c.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void check(int, const struct sniff_result *);
static void check_resolution(const struct sniff_result *);

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sniff_result r, b;
	int rc, rcb;

	rc = sniff_jpeg(data, size, &r);
	check(rc, &r);
	if (r.format != SNIFF_JPEG && r.format != SNIFF_UNKNOWN)
		abort();
	if (rc == 0)
		check_resolution(&r);
	rcb = sniff_buffer(data, size, &b);
	check(rcb, &b);
	if (b.format == SNIFF_JPEG &&
	    (rcb != rc || memcmp(&b, &r, sizeof b) != 0))
		abort();
	return (0);
}

/*
 * fuzz_pdf.c: libFuzzer target for the PDF sniffer (sniff.c).
 *
 * Feeds the input to sniff_pdf and to sniff_buffer and aborts when a
 * result breaks the contract of sniff.h: a version only when accepted, a
 * reason only when refused, always NUL-terminated, and sniff_buffer giving
 * the same answer whenever it takes the input for a PDF. Built with
 * -fsanitize=fuzzer when clang has libFuzzer, else linked with replay.c.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void check(int, const struct sniff_result *);

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sniff_result r, b;
	int rc, rcb;

	rc = sniff_pdf(data, size, &r);
	check(rc, &r);
	if (r.format != SNIFF_PDF && r.format != SNIFF_UNKNOWN)
		abort();
	rcb = sniff_buffer(data, size, &b);
	check(rcb, &b);
	if (b.format == SNIFF_PDF &&
	    (rcb != rc || memcmp(&b, &r, sizeof b) != 0))
		abort();
	return (0);
}

/* SPDX-License-Identifier: ISC */
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

#include "fuzz_check.h"
#include "sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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

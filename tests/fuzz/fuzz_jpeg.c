/* SPDX-License-Identifier: ISC */
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

#include "fuzz_check.h"
#include "sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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

/* SPDX-License-Identifier: ISC */
/*
 * fuzz_png.c: libFuzzer target for the PNG sniffer (sniff.c).
 *
 * Feeds the input to sniff_png and to sniff_buffer and aborts when a
 * result breaks the contract of sniff.h: a size only when accepted, a
 * reason only when refused, always NUL-terminated, sniff_buffer giving the
 * same answer whenever it takes the input for a PNG, and the resolution
 * rule agreeing with a direct comparison of the size found.
 *
 * Random bytes rarely carry a right CRC, so the input is then sniffed a
 * second time with every chunk's CRC recomputed: that reaches the checks
 * behind the CRC (sizes, bit depths, IEND) and must not turn an accepted
 * file into a refused one. Built with -fsanitize=fuzzer when clang has
 * libFuzzer, else linked with replay.c.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int sniff_twice(const uint8_t *, size_t, struct sniff_result *);
static uint32_t crc32_bitwise(const uint8_t *, size_t);
static void fix_crcs(uint8_t *, size_t);

/* sniff_png and sniff_buffer on the same bytes, checked. */
static int
sniff_twice(const uint8_t *data, size_t size, struct sniff_result *r)
{
	struct sniff_result b;
	int rc, rcb;

	rc = sniff_png(data, size, r);
	check(rc, r);
	if (r->format != SNIFF_PNG && r->format != SNIFF_UNKNOWN)
		abort();
	if (rc == 0)
		check_resolution(r);
	rcb = sniff_buffer(data, size, &b);
	check(rcb, &b);
	if (b.format == SNIFF_PNG &&
	    (rcb != rc || memcmp(&b, r, sizeof b) != 0))
		abort();
	return (rc);
}

static uint32_t
crc32_bitwise(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffff;
	int k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320 ^ (c >> 1) : c >> 1;
	}
	return (c ^ 0xffffffff);
}

/* Rewrites the CRC of every whole chunk after the signature. */
static void
fix_crcs(uint8_t *d, size_t size)
{
	size_t off, len;
	uint32_t crc;

	for (off = 8; size - off >= 12; off += 12 + len) {
		len = (size_t)d[off] << 24 | (size_t)d[off + 1] << 16 |
		    (size_t)d[off + 2] << 8 | d[off + 3];
		if (len > size - off - 12)
			break;
		crc = crc32_bitwise(d + off + 4, 4 + len);
		d[off + 8 + len] = crc >> 24;
		d[off + 9 + len] = crc >> 16;
		d[off + 10 + len] = crc >> 8;
		d[off + 11 + len] = crc;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sniff_result r, f;
	uint8_t *copy;
	int rc;

	rc = sniff_twice(data, size, &r);
	if (size < 8 || (copy = malloc(size)) == NULL)
		return (0);
	memcpy(copy, data, size);
	fix_crcs(copy, size);
	if (sniff_twice(copy, size, &f) != 0 && rc == 0)
		abort();
	if (rc == 0 && (f.width != r.width || f.height != r.height))
		abort();
	free(copy);
	return (0);
}

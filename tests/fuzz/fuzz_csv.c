/* SPDX-License-Identifier: ISC */
/*
 * fuzz_csv.c: libFuzzer target for the CSV line splitter (csv.c), which
 * reads the lines of delistctl import.
 *
 * Splits the input (as one line) into a buffer of exactly len + 1 bytes,
 * so that ASan catches a write past it, and aborts when the result breaks
 * the contract of csv.h: -1 or 1 to max fields, each NUL-terminated inside
 * the buffer, in order, never longer together than the line. Built with
 * -fsanitize=fuzzer when clang has libFuzzer, else linked with replay.c.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *fields[4];
	char *buf = malloc(size + 1);
	size_t total = 0;
	int n, i;

	if (buf == NULL)
		return (0);
	n = csv_split((const char *)data, size, buf, fields, 4);
	if (n == 0 || n < -1 || n > 4)
		abort();
	for (i = 0; i < n; i++) {
		if (fields[i] < buf || fields[i] > buf + size)
			abort();
		if (i > 0 && fields[i] <= fields[i - 1])
			abort();
		if (memchr(fields[i], '\0',
			(size_t)(buf + size + 1 - fields[i])) == NULL)
			abort();
		total += strlen(fields[i]) + 1;
	}
	if (total > size + 1)
		abort();
	free(buf);
	return (0);
}

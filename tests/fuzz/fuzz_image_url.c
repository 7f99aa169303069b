/* SPDX-License-Identifier: ISC */
/*
 * fuzz_image_url.c: libFuzzer target for the image URL fingerprint
 * (fingerprint.c).
 *
 * Feeds the input, cut at its first NUL, to fingerprint_image_url and
 * aborts when the answer breaks the contract of fingerprint.h: either a
 * fingerprint or a cause, never both; a fingerprint that starts with "/",
 * holds no "?", "#", upper-case letter or white space (a host is kept as
 * "//host/path"), is not longer than
 * the URL, and is its own fingerprint. Built with -fsanitize=fuzzer when
 * clang has libFuzzer, else linked with replay.c.
 */

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprint.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url, *fp = NULL, *again = NULL, *cause = NULL;
	const char *p;
	int rc;

	if ((url = malloc(size + 1)) == NULL)
		return (0);
	memcpy(url, data, size);
	url[size] = '\0';
	rc = fingerprint_image_url(url, &fp, &cause);
	if (rc == 0) {
		if (fp == NULL || cause != NULL || fp[0] != '/' ||
		    strlen(fp) > strlen(url))
			abort();
		for (p = fp; *p != '\0'; p++) {
			if (*p == '?' || *p == '#' ||
			    isupper((unsigned char)*p) ||
			    (unsigned char)*p <= ' ')
				abort();
		}
		if (fingerprint_image_url(fp, &again, &cause) != 0 ||
		    strcmp(fp, again) != 0)
			abort();
	} else if (rc != -1 || fp != NULL || cause == NULL)
		abort();
	free(again);
	free(fp);
	free(cause);
	free(url);
	return (0);
}

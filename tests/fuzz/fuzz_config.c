/* SPDX-License-Identifier: ISC */
/*
 * fuzz_config.c: libFuzzer target for the configuration parser (config.c
 * through libconfig), as delistd -t, the start and a reload run it.
 *
 * The input is the text of a delistd.conf. It must come back as a
 * configuration or as a cause (never both, never neither), and a cause
 * quotes no value whole: no line of it is longer than what the longest
 * message with values cut to 64 characters needs. An @include is kept out (libconfig would read whatever file it
 * names). Built with -fsanitize=fuzzer when clang has libFuzzer, else
 * linked with replay.c.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "delistd.h"

/* A message line: a file, a line, a key's path and a cut value. */
#define FUZZ_LINE_MAX 2048

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *conf;
	char *text, *cause = NULL, *line, *save = NULL;

	if (size > 64 * 1024 || memmem(data, size, "@include", 8) != NULL)
		return (0);
	if ((text = malloc(size + 1)) == NULL)
		return (0);
	memcpy(text, data, size);
	text[size] = '\0';
	conf = config_load_string("fuzz.conf", text, &cause);
	if ((conf == NULL) == (cause == NULL))
		abort();
	if (conf != NULL)
		config_free(conf);
	else {
		for (line = strtok_r(cause, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save)) {
			if (strlen(line) > FUZZ_LINE_MAX)
				abort();
		}
		free(cause);
	}
	free(text);
	return (0);
}

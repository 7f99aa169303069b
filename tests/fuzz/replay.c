/* SPDX-License-Identifier: ISC */
/*
 * replay.c: runs a fuzz target without libFuzzer, for compilers that lack
 * it and for make check.
 *
 *	replay [-m] FILE|DIR ...
 *
 * Each FILE, and each regular file in each DIR (in name order, not
 * descending), is given to LLVMFuzzerTestOneInput in a buffer of exactly
 * its size, so that AddressSanitizer sees any read past the end. With -m,
 * each input of at most REPLAY_MUTATE_MAX bytes is also given cut at every
 * length and with every byte changed in turn (each bit flipped, and set to
 * 00, 7F, 80 and FF): a deterministic smoke pass that reaches the
 * truncated and damaged cases without a fuzzing engine. A crash or abort
 * in the target ends the run like it would under libFuzzer. Prints a
 * summary line to stderr; exits 0, or 1 if an input cannot be read or
 * there was none, 2 on bad usage. This is a test tool: it must not need anything but libc.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Inputs larger than this are only replayed as they are under -m. */
#define REPLAY_MUTATE_MAX 65536

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void replay_run(const uint8_t *, size_t);
static void replay_mutate(const uint8_t *, size_t);
static int replay_file(const char *);
static int replay_dir(const char *);
static int replay_path(const char *);
static void usage(void) __attribute__((noreturn));

static int mutate;
static unsigned long long runs;
static unsigned long inputs;

/* One execution, on a copy of exactly len bytes. */
static void
replay_run(const uint8_t *data, size_t len)
{
	uint8_t *copy;

	if ((copy = malloc(len == 0 ? 1 : len)) == NULL) {
		perror("replay: malloc");
		exit(1);
	}
	if (len > 0)
		memcpy(copy, data, len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	runs++;
}

static void
replay_mutate(const uint8_t *data, size_t len)
{
	static const uint8_t values[] = { 0x00, 0x7f, 0x80, 0xff };
	uint8_t *m, old;
	size_t i, k;

	for (i = 0; i < len; i++)
		replay_run(data, i);
	if ((m = malloc(len == 0 ? 1 : len)) == NULL) {
		perror("replay: malloc");
		exit(1);
	}
	if (len > 0)
		memcpy(m, data, len);
	for (i = 0; i < len; i++) {
		old = m[i];
		for (k = 0; k < 8; k++) {
			m[i] = old ^ (uint8_t)(1u << k);
			replay_run(m, len);
		}
		for (k = 0; k < sizeof values; k++) {
			if (values[k] == old)
				continue;
			m[i] = values[k];
			replay_run(m, len);
		}
		m[i] = old;
	}
	free(m);
}

static int
replay_file(const char *path)
{
	FILE *f;
	uint8_t *data = NULL, *p;
	size_t len = 0, size = 0, n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	for (;;) {
		if (len == size) {
			size = size == 0 ? 4096 : size * 2;
			if ((p = realloc(data, size)) == NULL) {
				perror("replay: realloc");
				exit(1);
			}
			data = p;
		}
		n = fread(data + len, 1, size - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		fclose(f);
		free(data);
		return (-1);
	}
	fclose(f);

	inputs++;
	replay_run(data, len);
	if (mutate && len <= REPLAY_MUTATE_MAX)
		replay_mutate(data, len);
	free(data);
	return (0);
}

static int
replay_dir(const char *dir)
{
	struct dirent **names;
	struct stat st;
	char *path;
	int i, n, rc = 0;

	if ((n = scandir(dir, &names, NULL, alphasort)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return (-1);
	}
	for (i = 0; i < n; i++) {
		if (asprintf(&path, "%s/%s", dir, names[i]->d_name) == -1) {
			perror("replay: asprintf");
			exit(1);
		}
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    replay_file(path) != 0)
			rc = -1;
		free(path);
		free(names[i]);
	}
	free(names);
	return (rc);
}

static int
replay_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (S_ISDIR(st.st_mode))
		return (replay_dir(path));
	return (replay_file(path));
}

static void
usage(void)
{
	fprintf(stderr, "usage: replay [-m] file|dir ...\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	int ch, i, rc = 0;

	while ((ch = getopt(argc, argv, "m")) != -1) {
		switch (ch) {
		case 'm':
			mutate = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();

	for (i = 0; i < argc; i++) {
		if (replay_path(argv[i]) != 0)
			rc = 1;
	}
	fprintf(stderr, "replay: %lu inputs, %llu runs%s\n", inputs, runs,
	    mutate ? " (with cuts and byte changes)" : "");
	if (inputs == 0) {
		fprintf(stderr, "replay: no inputs\n");
		rc = 1;
	}
	return (rc);
}

/* SPDX-License-Identifier: ISC */
/*
 * ae_sign_cli.c: signs AliExpress request parameters for the shell tests
 * (plugins/aliexpress/sign.c), so that curl can play a client.
 *
 * usage: ae_sign_cli [-p api_path] [-s] secret_file key=value ...
 *
 * Prints the form body: each key=value percent-encoded (RFC 3986
 * unreserved characters kept) joined by '&', then &sign=<signature>. With
 * -s it prints the signature only. -p gives the API path prefix for /rest
 * calls ("/auth/token/refresh"). Exits 2 on bad usage, 1 on other errors.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sign.h"

#define PARAMS_MAX 64

static void
usage(void)
{
	fprintf(stderr,
	    "usage: ae_sign_cli [-p api_path] [-s] secret_file key=value "
	    "...\n");
	exit(2);
}

static void
encode(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			putchar(*p);
		else
			printf("%%%02X", *p);
	}
}

int
main(int argc, char **argv)
{
	struct ae_param p[PARAMS_MAX];
	char sig[AE_SIGN_LEN + 1], secret[4096], *eq;
	const char *path = NULL;
	size_t n = 0, i, len;
	FILE *f;
	int ch, only_sign = 0;

	while ((ch = getopt(argc, argv, "p:s")) != -1) {
		switch (ch) {
		case 'p':
			path = optarg;
			break;
		case 's':
			only_sign = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc - 1 > PARAMS_MAX)
		usage();
	if ((f = fopen(argv[0], "r")) == NULL) {
		perror(argv[0]);
		return (1);
	}
	len = fread(secret, 1, sizeof secret - 1, f);
	fclose(f);
	secret[len] = '\0';
	secret[strcspn(secret, "\r\n")] = '\0';
	for (i = 1; i < (size_t)argc; i++) {
		if ((eq = strchr(argv[i], '=')) == NULL)
			usage();
		*eq = '\0';
		p[n].key = argv[i];
		p[n].value = eq + 1;
		n++;
	}
	if (ae_sign(secret, path, p, n, sig) == -1) {
		fprintf(stderr, "ae_sign_cli: cannot sign\n");
		return (1);
	}
	if (only_sign) {
		printf("%s\n", sig);
		return (0);
	}
	for (i = 0; i < n; i++) {
		encode(p[i].key);
		putchar('=');
		encode(p[i].value);
		putchar('&');
	}
	printf("sign=%s\n", sig);
	return (0);
}

/*
 * sign.c: the AliExpress request signature, HMAC-SHA256 over the sorted raw
 * key/value string (aliexpress-api.md 2.3). Pure: no I/O, no state. It is
 * recomputed on every attempt, since the timestamp is signed.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sign.h"

static int
ae_param_cmp(const void *a, const void *b)
{
	const struct ae_param *const *x = a, *const *y = b;

	/* Byte order: '_' (0x5f) sorts before the lower-case letters. */
	return (strcmp((*x)->key, (*y)->key));
}

int
ae_sign(const char *secret, const char *api_path, const struct ae_param *params,
    size_t n, char out[AE_SIGN_LEN + 1])
{
	const struct ae_param **sorted;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	size_t len = 0, k, m = 0;
	char *text, *p;
	static const char hex[] = "0123456789ABCDEF";

	if ((sorted = calloc(n + 1, sizeof *sorted)) == NULL)
		return (-1);
	for (k = 0; k < n; k++) {
		if (params[k].key == NULL || params[k].value == NULL ||
		    *params[k].key == '\0' || *params[k].value == '\0' ||
		    strcmp(params[k].key, "sign") == 0)
			continue;
		sorted[m++] = &params[k];
		len += strlen(params[k].key) + strlen(params[k].value);
	}
	qsort(sorted, m, sizeof *sorted, ae_param_cmp);
	if (api_path != NULL)
		len += strlen(api_path);
	if ((text = malloc(len + 1)) == NULL) {
		free(sorted);
		return (-1);
	}
	p = text;
	if (api_path != NULL)
		p = stpcpy(p, api_path);
	for (k = 0; k < m; k++) {
		p = stpcpy(p, sorted[k]->key);
		p = stpcpy(p, sorted[k]->value);
	}
	free(sorted);
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret),
		(const unsigned char *)text, len, md, &mdlen) == NULL ||
	    mdlen != 32) {
		free(text);
		return (-1);
	}
	free(text);
	for (i = 0; i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0x0f];
	}
	out[AE_SIGN_LEN] = '\0';
	return (0);
}

/* SPDX-License-Identifier: ISC */
/*
 * sign.c: the AliExpress request signature, HMAC-SHA256 over the sorted raw
 * key/value string (aliexpress-api.md 2.3). No I/O. It is recomputed on
 * every attempt, since the timestamp is signed.
 *
 * The only state is a cache: OpenSSL 3's one-shot HMAC() looks the
 * algorithm up in its providers on every call, which costs more than the
 * signature itself on the scheduler's hot path; the HMAC implementation is
 * fetched once and a context keyed with each of the last few secrets (one
 * per instance) is copied for each signature. A destructor frees them (and
 * wipes the copies of the secrets) when the plugin is unloaded.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "sign.h"

#define AE_SIGN_KEYS 4 /* secrets kept keyed: one per instance, a few */

static EVP_MAC *ae_mac;
static struct {
	char *secret;
	EVP_MAC_CTX *ctx;
} ae_keyed[AE_SIGN_KEYS];
static size_t ae_next; /* the slot a new secret takes */

static void ae_sign_forget(void) __attribute__((__destructor__));

static void
ae_sign_drop(size_t i)
{
	EVP_MAC_CTX_free(ae_keyed[i].ctx);
	ae_keyed[i].ctx = NULL;
	if (ae_keyed[i].secret != NULL)
		OPENSSL_clear_free(
		    ae_keyed[i].secret, strlen(ae_keyed[i].secret));
	ae_keyed[i].secret = NULL;
}

static void
ae_sign_forget(void)
{
	size_t i;

	for (i = 0; i < AE_SIGN_KEYS; i++)
		ae_sign_drop(i);
	EVP_MAC_free(ae_mac);
	ae_mac = NULL;
}

/* A fresh HMAC-SHA256 context keyed with secret; NULL on failure. */
static EVP_MAC_CTX *
ae_sign_ctx(const char *secret)
{
	OSSL_PARAM params[2];
	size_t i;

	for (i = 0; i < AE_SIGN_KEYS; i++) {
		if (ae_keyed[i].secret != NULL &&
		    strcmp(ae_keyed[i].secret, secret) == 0)
			return (EVP_MAC_CTX_dup(ae_keyed[i].ctx));
	}
	if (ae_mac == NULL &&
	    (ae_mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return (NULL);
	i = ae_next;
	ae_next = (ae_next + 1) % AE_SIGN_KEYS;
	ae_sign_drop(i);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if ((ae_keyed[i].ctx = EVP_MAC_CTX_new(ae_mac)) == NULL ||
	    EVP_MAC_init(ae_keyed[i].ctx, (const unsigned char *)secret,
		strlen(secret), params) != 1 ||
	    (ae_keyed[i].secret = strdup(secret)) == NULL) {
		ae_sign_drop(i);
		return (NULL);
	}
	return (EVP_MAC_CTX_dup(ae_keyed[i].ctx));
}

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
	EVP_MAC_CTX *ctx;
	size_t len = 0, k, m = 0, mdlen = 0, i;
	char *text, *p;
	int ok;
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
	ok = (ctx = ae_sign_ctx(secret)) != NULL &&
	    EVP_MAC_update(ctx, (const unsigned char *)text, len) == 1 &&
	    EVP_MAC_final(ctx, md, &mdlen, sizeof md) == 1 && mdlen == 32;
	EVP_MAC_CTX_free(ctx);
	free(text);
	if (!ok)
		return (-1);
	for (i = 0; i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0x0f];
	}
	out[AE_SIGN_LEN] = '\0';
	return (0);
}

/* SPDX-License-Identifier: ISC */
/*
 * tls.c: the web listener's TLS context (OpenSSL), from a PEM certificate
 * chain and its private key. It is built where the configuration is read,
 * so delistd -t and a reload judge the files, and the configuration owns
 * it: after a reload, new connections get the new context (a renewed
 * certificate) while open ones keep theirs (each SSL holds a reference).
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "delistd.h"

static const char *tls_err(void);

/* OpenSSL's first queued reason, or "" (the queue is emptied). */
static const char *
tls_err(void)
{
	unsigned long e = ERR_get_error();
	const char *s = e != 0 ? ERR_reason_error_string(e) : NULL;

	ERR_clear_error();
	return (s != NULL ? s : "not PEM");
}

/* *keyfault says whether the key (1) or the certificate (0) failed. */
struct ssl_ctx_st *
tls_ctx_new(const char *cert, const char *key, int *keyfault, char **cause)
{
	SSL_CTX *ctx;

	*keyfault = 0;
	if (access(cert, R_OK) == -1) {
		xasprintf(cause, "cannot read %s: %s", cert, strerror(errno));
		return (NULL);
	}
	*keyfault = 1;
	if (access(key, R_OK) == -1) {
		xasprintf(cause, "cannot read %s: %s", key, strerror(errno));
		return (NULL);
	}
	*keyfault = 0;
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		xasprintf(cause, "cannot make a TLS context: %s", tls_err());
		return (NULL);
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		xasprintf(
		    cause, "%s is not a PEM certificate: %s", cert, tls_err());
		goto fail;
	}
	*keyfault = 1;
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 &&
	    ERR_GET_REASON(ERR_peek_last_error()) !=
		X509_R_KEY_VALUES_MISMATCH) {
		xasprintf(cause,
		    "%s is not a PEM private key (unencrypted): %s", key,
		    tls_err());
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		xasprintf(cause, "%s is not the key of the certificate %s", key,
		    cert);
		ERR_clear_error();
		goto fail;
	}
	*keyfault = 0;
	return (ctx);
fail:
	SSL_CTX_free(ctx);
	return (NULL);
}

void
tls_ctx_free(struct ssl_ctx_st *ctx)
{
	SSL_CTX_free(ctx);
}

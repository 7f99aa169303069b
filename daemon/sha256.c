/* SPDX-License-Identifier: ISC */
/*
 * sha256.c: the SHA-256 of a buffer, as lower-case hex: how the daemon
 * names evidence, documents and appeal statements (OpenSSL's EVP).
 */

#include "config.h"

#include <openssl/evp.h>

#include "delistd.h"
#include "text.h"

int
sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return (-1);
	text_hex(md, n, out);
	return (0);
}

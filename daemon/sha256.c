/* SPDX-License-Identifier: ISC */
/*
 * sha256.c: the SHA-256 of a buffer, as lower-case hex: how the daemon
 * names evidence, documents and appeal statements (OpenSSL's EVP).
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

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

/* The SHA-256 of a file's content, read in pieces; -1 with errno set. */
int
sha256_file(const char *path, char out[SHA256_HEX_LEN], int64_t *size)
{
	unsigned char md[EVP_MAX_MD_SIZE], buf[65536];
	unsigned int n = 0;
	EVP_MD_CTX *ctx;
	ssize_t got;
	int fd, rc = -1, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (-1);
	*size = 0;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto out;
	while ((got = read(fd, buf, sizeof buf)) > 0) {
		if (EVP_DigestUpdate(ctx, buf, got) != 1)
			goto out;
		*size += got;
	}
	if (got == 0 && EVP_DigestFinal_ex(ctx, md, &n) == 1 && n == 32) {
		text_hex(md, n, out);
		rc = 0;
	}
out:
	saved = errno;
	EVP_MD_CTX_free(ctx);
	close(fd);
	errno = rc == -1 && saved == 0 ? EIO : saved;
	return (rc);
}

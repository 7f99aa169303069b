/* SPDX-License-Identifier: ISC */
/*
 * sign.h: the AliExpress Open Platform's request signature (groundwork for
 * the aliexpress source plugin; see ../shared/docs/aliexpress-api.md 2.3).
 */

#ifndef AE_SIGN_H
#define AE_SIGN_H

#include <stddef.h>

struct ae_param {
	const char *key;
	const char *value;
};

#define AE_SIGN_LEN 64

/*
 * Signs the parameters that will be sent (the sign parameter itself is
 * skipped, and so is any with an empty key or value): sorted by key in byte
 * order, concatenated key1value1key2value2... with raw (not URL-encoded)
 * values, prefixed by api_path for REST/system APIs ("/auth/token/create")
 * or by nothing (NULL) for /sync business APIs, then HMAC-SHA256 with the
 * app secret, as upper-case hex into out[AE_SIGN_LEN + 1]. Returns 0, or -1
 * if the digest failed. params is not modified.
 */
int ae_sign(const char *secret, const char *api_path,
    const struct ae_param *params, size_t n, char out[AE_SIGN_LEN + 1]);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * fuzz_ae.c: libFuzzer target for the aliexpress source's answer parsers
 * (plugins/aliexpress/parse.c).
 *
 * Feeds the input, as the body of an HTTP 200 and of a 429, to
 * ae_parse_product, ae_parse_page and ae_parse_token, and aborts when a
 * result breaks the contract of parse.h: 0 with no error kind and a status
 * that is not an error, -1 with an error kind (and, for a product, the
 * error status); error texts NUL-terminated and free of control
 * characters; product ids made of digits; retry delays within bounds; the
 * frees leave nothing behind (ASan's leak check). The input, cut at its
 * first NUL, is also read as a date. Built with -fsanitize=fuzzer when clang
 * has libFuzzer, else linked with replay.c.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define NOW 1795863600LL

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const codes[] = { "punish_offline", "violate_offline" };

static void
check_error(int rc, const struct ae_error *e)
{
	const unsigned char *p;

	if (memchr(e->text, '\0', sizeof e->text) == NULL)
		abort();
	for (p = (const unsigned char *)e->text; *p != '\0'; p++)
		if (*p < ' ' || *p == 0x7f)
			abort();
	if ((rc == 0) != (e->kind == DELISTD_SOURCE_OK))
		abort();
	if (e->retry_after < 0 || e->retry_after > AE_BAN_MAX)
		abort();
}

static void
check_id(const char *id)
{
	size_t n = strspn(id, "0123456789");

	if (n == 0 || n > 20 || id[n] != '\0')
		abort();
}

static void
one(const char *body, size_t len, long http)
{
	struct ae_product p;
	struct ae_page pg;
	struct ae_token t;
	size_t i;
	int rc;

	rc = ae_parse_product(body, len, http, codes, 2, NOW, &p);
	check_error(rc, &p.error);
	if ((rc == 0) == (p.status == DELISTD_STATUS_ERROR))
		abort();
	if (p.status == DELISTD_STATUS_DELISTED && p.platform_code == NULL)
		abort();
	for (i = 0; i < p.image_count; i++)
		if (p.images[i] == NULL || p.images[i][0] == '\0')
			abort();
	ae_product_free(&p);

	rc = ae_parse_page(body, len, http, NOW, &pg);
	check_error(rc, &pg.error);
	if (rc == -1 && pg.count != 0)
		abort();
	if (pg.total_page < 0 || pg.total_page > AE_PAGES_MAX)
		abort();
	for (i = 0; i < pg.count; i++)
		check_id(pg.ids[i]);
	ae_page_free(&pg);

	rc = ae_parse_token(body, len, http, NOW, &t);
	check_error(rc, &t.error);
	if ((rc == 0) != (t.access_token != NULL))
		abort();
	ae_token_free(&t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	one((const char *)data, size, 200);
	one((const char *)data, size, 429);
	if ((s = malloc(size + 1)) != NULL) {
		memcpy(s, data, size);
		s[size] = '\0';
		if (ae_parse_date(s) < 0)
			abort();
		free(s);
	}
	return (0);
}

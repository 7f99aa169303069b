/* SPDX-License-Identifier: ISC */
/*
 * parse.h: the AliExpress gateway's answers, body in, result out (pure: no
 * I/O, no clock but the "now" handed in). Used by the aliexpress source
 * plugin and unit-tested on canned bodies by tests/unit/test_ae_parse.c.
 */

#ifndef AE_PARSE_H
#define AE_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include <delistd/plugin.h>

/* The largest page a sweep asks for (the platform wants page_size < 100). */
#define AE_PAGE_SIZE 99
/* A sweep follows at most this many pages per status code. */
#define AE_PAGES_MAX 100000
/* The longest throttling wait taken from a message, in seconds. */
#define AE_BAN_MAX 86400

/* What failed, when something did (kind DELISTD_SOURCE_OK: nothing). */
struct ae_error {
	enum delistd_source_error kind;
	int64_t retry_after; /* seconds; THROTTLED and QUOTA */
	char text[256]; /* for logs; from the platform's code and message */
};

/* One findaeproductbyid answer. Strings are malloc'd (ae_product_free). */
struct ae_product {
	enum delistd_status status;
	char *platform_code; /* ws_display, or the odd status; may be NULL */
	int64_t offline_at; /* ws_offline_date, UTC seconds; 0: unknown */
	char *title; /* subject; may be NULL */
	char **images; /* image_u_r_ls split at ';' */
	size_t image_count;
	struct ae_error error; /* with DELISTD_STATUS_ERROR */
};

/* One product.list.get page. */
struct ae_page {
	char **ids;
	char **titles; /* parallel to ids; items may be NULL */
	char **codes; /* ws_display of each; items may be NULL */
	size_t count;
	int64_t current_page;
	int64_t total_page; /* 0 when the answer did not say */
	struct ae_error error;
};

/* A /rest/auth/token/refresh answer. */
struct ae_token {
	char *access_token;
	char *refresh_token; /* may be NULL: keep the old one */
	int64_t expires_at; /* UTC seconds; 0: unknown */
	struct ae_error error;
};

/*
 * Each parser reads an HTTP answer (status and body; the body need not be
 * NUL-terminated), at now (UTC seconds, for the quota's end and relative
 * expiries). They return 0 when the answer is usable, else -1 with the
 * error filled (and, for a product, status DELISTD_STATUS_ERROR). Both
 * response shapes are read: simplify (the bare result) and wrapped
 * ({"<method>_response":{"result":{...}}} with wrapped lists).
 */
int ae_parse_product(const char *body, size_t len, long http_status,
    const char *const *delisted_codes, size_t ncodes, int64_t now,
    struct ae_product *);
int ae_parse_page(const char *body, size_t len, long http_status, int64_t now,
    struct ae_page *);
int ae_parse_token(const char *body, size_t len, long http_status, int64_t now,
    struct ae_token *);

void ae_product_free(struct ae_product *);
void ae_page_free(struct ae_page *);
void ae_token_free(struct ae_token *);

/* Seconds from now until the next 00:00 Beijing time (UTC+8): 1..86400. */
int64_t ae_quota_reset(int64_t now);
/* A date as the platform writes it, as UTC seconds; 0 if unreadable. */
int64_t ae_parse_date(const char *);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * docs.h: the document vault's rules, as pure functions (docs.c).
 *
 * What the vault (vault.c) decides without touching a file, a socket or
 * the database: the product-id list a document covers, the expiry alerts
 * and which of them is due, the description a --rename keeps from the
 * original name, and byte sizes as people write them ("32M").
 *
 * Pure: no I/O, no clock (times come in), no global state, no logging.
 * Functions that can fail return -1 and, where a person needs the reason,
 * set *cause to a malloc'd sentence the caller frees.
 */

#ifndef DOCS_H
#define DOCS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* At most this many product ids per document. */
#define DOCS_MAX_PRODUCTS 100
/* Longest product id (digits), as everywhere else. */
#define DOCS_PRODUCT_ID_MAX 20

/*
 * The expiry alerts, in the order they fire. A document is valid through
 * the whole of its expiry date and expires at 00:00 of the next day
 * (doc.expired, critical); the doc.expiring alerts are 30, 7 and 1 days
 * before that (warning, the 1-day one critical: at 00:00 of the last valid
 * day). Each is due at 00:00 local time in the document's zone.
 */
#define DOCS_NSTAGES 4
extern const int docs_stage_days[DOCS_NSTAGES]; /* 30, 7, 1, 0 */

/*
 * Parses "1005001,1005002" (commas, spaces allowed around them) into a
 * malloc'd array of malloc'd product ids, duplicates dropped, in order.
 * An id is 1 to DOCS_PRODUCT_ID_MAX digits. An empty list ("", ",") is an
 * error: "--products is empty". Returns 0, or -1 with *cause set and
 * nothing allocated.
 */
int docs_products_parse(const char *, char ***, size_t *, char **);
/* Frees what docs_products_parse gave. */
void docs_products_free(char **, size_t);

/*
 * Which alert fires now: marks[k] is when alert k is due (the 00:00 of
 * the day after the expiry date, minus docs_stage_days[k] days); stage how many have fired. The
 * latest alert due by now at or after stage is returned (earlier ones it
 * overtook are skipped: a document added 5 days before it expires gets the
 * 7-day alert, not the 30-day one too), or -1 when none is due.
 */
int docs_stage_due(const time_t marks[DOCS_NSTAGES], int stage, time_t now);

/*
 * When the alert after stage k is due: marks[k + 1], or 0 when k was the
 * last (expired).
 */
time_t docs_next_due(const time_t marks[DOCS_NSTAGES], int k);

/*
 * Whole days from now to expires_at as people count them on a calendar,
 * tolerant of an hour of daylight saving: 7 at the 7-day mark whichever
 * way the clock changed in between, 4 from the morning of the 1st to an
 * expiry at 00:00 on the 5th. 0 when expires_at has passed.
 */
int docs_days_left(time_t expires_at, time_t now);

/*
 * The description --rename keeps from an original file name: the base name
 * without its directory and its last extension; when the name already
 * follows the AE<id>_<TYPE>_ pattern, only what follows it (a known type
 * written with "_" counts whole: "AE1_TEST_REPORT_SGS.pdf" keeps "SGS"). Written into
 * buf (size bytes, cut if longer); may be "" (sniff_name_build then says
 * "Document").
 */
void docs_description(const char *name, char *buf, size_t size);

/*
 * Byte sizes: "32M", "512K", "1G", "4096" (bytes), units K, M, G (powers
 * of 1024, either case, an optional "B" or "iB" after them). Returns 0 with
 * *out set, or -1 with *cause set. At most 1 TiB.
 */
int docs_size_parse(const char *, int64_t *, char **);
/* "32M", "1.5M", "512K", "100B": for messages (buf of 32 is enough). */
char *docs_size_format(int64_t, char *, size_t);

/*
 * The file-name convention AE<product id>_<TYPE>_<description>.<ext>, one
 * table for the whole tree: what delistctl doc add --rename writes
 * (docs_name_build), what the vault and the preflight accept
 * (docs_name_check). TYPE is the document type upper case with "_" made
 * "-" (test_report: "TEST-REPORT"); either "-" or "_" is accepted, in any
 * case. ext is pdf or jpg (domain.md); a type for screenshots (other) also
 * takes png, which the platform shows as it is.
 */
struct docs_type {
	const char *type; /* a cases_doc_type_valid name: "test_report" */
	const char *word; /* the description when none is left: "Report" */
	int png; /* 1: a PNG is taken (screenshots); 0: PDF or JPG only */
};

/* The row of a document type, or NULL. */
const struct docs_type *docs_type_find(const char *type);
/* The type names, in the table's order (for sniff_name_parse); sets *n. */
const char *const *docs_type_names(size_t *n);

/* What docs_name_check says of a file name. */
enum docs_name_verdict {
	DOCS_NAME_OK,
	DOCS_NAME_BAD, /* not AE<product id>_<TYPE>_<description>.<pdf|jpg> */
	DOCS_NAME_CONVERT /* an image format the type does not take (PNG) */
};

/*
 * Whether name (anything up to its last "/" ignored) follows the
 * convention for a document of type (NULL: any type) of product pid (NULL:
 * any). DOCS_NAME_CONVERT when the only fault is a format to convert: a
 * .png (or .gif, .webp, .bmp, .tif, .tiff, .heic) of a type that takes
 * PDF or JPG only; *format is then set to its name ("PNG"). format may be
 * NULL.
 */
enum docs_name_verdict docs_name_check(
    const char *name, const char *pid, const char *type, const char **format);

/*
 * The image format a file name says that a document of type must be
 * converted from ("PNG" for "scan.png" of type ce), or NULL when its
 * extension is fine or unknown.
 */
const char *docs_name_convert(const char *name, const char *type);

/*
 * The conventional name --rename gives: AE<pid>_<TYPE>_<description>.<ext>
 * where the description is docs_description of name, without a leading
 * type token of its own ("CE declaration.pdf" as ce gives
 * AE<pid>_CE_declaration.pdf, never _CE_CE_), or the type's word when
 * nothing is left; ext is "pdf", "jpg" or "png" (png only for a type that
 * takes it). Writes into buf (SNIFF_NAME_MAX bytes are enough); returns 0,
 * or -1 with why (whylen bytes) set.
 */
int docs_name_build(const char *pid, const char *type, const char *name,
    const char *ext, char *buf, size_t size, char *why, size_t whylen);

#endif /* DOCS_H */

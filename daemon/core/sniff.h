/* SPDX-License-Identifier: ISC */
/*
 * sniff.h: what a document file really is, judged by its bytes (sniff.c).
 *
 * The document vault accepts PDF and images. The format is taken from the
 * content (magic bytes and structure), never from the file name: PDF needs
 * its "%PDF-M.m" header in the first 1024 bytes and an "%%EOF" marker in the
 * last 1024; JPEG needs SOI, a frame header (SOF) giving the size, and an
 * end-of-image marker, every segment within the data; PNG needs its
 * signature, a well-formed IHDR first (CRC checked), and IEND. A refusal
 * comes with one sentence saying what is wrong, for a person to read.
 *
 * Also here: the resolution rule for document images (domain.md: at least
 * 600×800, either orientation) and the file-name convention
 * AE<product id>_<TYPE>_<description>.<pdf|jpg>.
 *
 * Pure: works on byte buffers and strings the caller owns; no I/O, no
 * allocation, no global state, no logging, never aborts. Every function
 * accepts any input, however hostile, and reads only within the length it
 * is given. Messages contain "×" (U+00D7, UTF-8).
 */

#ifndef SNIFF_H
#define SNIFF_H

#include <stddef.h>
#include <stdint.h>

/* Room for any sentence the functions below write (NUL included). */
#define SNIFF_WHY_MAX 160

/* domain.md "document image resolution": 600×800 in either orientation. */
#define SNIFF_MIN_SHORT_DEFAULT 600
#define SNIFF_MIN_LONG_DEFAULT 800

/* How far into the data the PDF header and the %%EOF marker may be. */
#define SNIFF_PDF_WINDOW 1024

/* Longest product id accepted in a file name (digits). */
#define SNIFF_PRODUCT_ID_MAX 20
/* Longest document type accepted in a file name. */
#define SNIFF_TYPE_MAX 32
/* Longest file name sniff_name_parse takes (NAME_MAX on Linux). */
#define SNIFF_FILE_NAME_MAX 255
/* Descriptions longer than this are cut by sniff_name_build. */
#define SNIFF_DESCRIPTION_MAX 100
/* A buffer this size always holds sniff_name_build's output. */
#define SNIFF_NAME_MAX \
	(2 + SNIFF_PRODUCT_ID_MAX + 1 + SNIFF_TYPE_MAX + 1 + \
	    SNIFF_DESCRIPTION_MAX + 5)

enum sniff_format { SNIFF_UNKNOWN, SNIFF_PDF, SNIFF_JPEG, SNIFF_PNG };

/*
 * What a sniffer found. format is what the magic bytes say, set even when
 * the file is refused ("PNG truncated: ..." has SNIFF_PNG). The other
 * fields are set only when the file is accepted and are zero otherwise:
 * width and height (pixels, both non-zero) for JPEG and PNG, pdf_major and
 * pdf_minor ("%PDF-1.7" is 1 and 7) for PDF. why is "" when accepted, else
 * the reason ("JPEG truncated: no end-of-image marker").
 */
struct sniff_result {
	enum sniff_format format;
	uint32_t width;
	uint32_t height;
	int pdf_major;
	int pdf_minor;
	char why[SNIFF_WHY_MAX];
};

/* "pdf", "jpeg", "png", "unknown" (also for out-of-range values). */
const char *sniff_format_name(enum sniff_format);

/*
 * The extension a file of this format gets: "pdf", "jpg", "png"; NULL for
 * SNIFF_UNKNOWN and out-of-range values.
 */
const char *sniff_format_extension(enum sniff_format);

/*
 * Identifies buf[0..len) by content and checks it with the sniffer of its
 * format. Returns 0 if it is a well-formed PDF, JPEG or PNG, -1 otherwise
 * with r->why set: "empty file"; "not a PDF, JPEG or PNG (starts with 50 4B
 * 03 04: a ZIP file?)"; or the refusal of the format's sniffer. buf may be
 * NULL when len is 0. r is always filled in.
 */
int sniff_buffer(const void *buf, size_t len, struct sniff_result *r);

/*
 * The sniffers of each format, for callers (and fuzzers) that expect one.
 * Each returns 0 and fills r as above, or -1 with r->why set. Data of
 * another format is refused with "not a PDF (...)" and the like, and
 * r->format is then SNIFF_UNKNOWN.
 */
int sniff_pdf(const void *buf, size_t len, struct sniff_result *r);
int sniff_jpeg(const void *buf, size_t len, struct sniff_result *r);
int sniff_png(const void *buf, size_t len, struct sniff_result *r);

/*
 * The resolution rule: the shorter side of a width×height image must be at
 * least min_short and the longer side at least min_long (if min_short is
 * the larger of the two they are swapped). Returns 0 if the image passes;
 * otherwise -1 and, if why is not NULL, writes at most whylen bytes of
 * "image is 480×640; at least 600×800 is needed". The minimum is written in
 * the image's orientation: a landscape 640×480 is told "at least 800×600".
 */
int sniff_resolution_check(uint32_t width, uint32_t height, uint32_t min_short,
    uint32_t min_long, char *why, size_t whylen);

/*
 * A file name following AE<product id>_<TYPE>_<description>.<pdf|jpg>, as
 * sniff_name_parse reads it. type is lower case with "-" made "_" (the file
 * TEST-REPORT gives "test_report"), ready to compare with the vault's type
 * names. extension is "pdf" or "jpg" (lower case whatever the file says)
 * and format the format it promises (SNIFF_PDF or SNIFF_JPEG), to compare
 * with what sniffing the content found.
 */
struct sniff_name {
	char product_id[SNIFF_PRODUCT_ID_MAX + 1];
	char type[SNIFF_TYPE_MAX + 1];
	char description[SNIFF_FILE_NAME_MAX + 1];
	char extension[4];
	enum sniff_format format;
};

/*
 * Parses name, a file name of at most SNIFF_FILE_NAME_MAX bytes (anything up
 * to its last "/" is ignored): "AE" (either case), 1 to SNIFF_PRODUCT_ID_MAX digits, "_", the type
 * ([A-Za-z0-9-], up to SNIFF_TYPE_MAX), "_", a non-empty description, "."
 * and pdf or jpg in any case. Types contain "_" ("test_report"); when
 * types (ntypes names, lower case) is given, a known type written with
 * "_" or "-" in any case is recognised ("AE1_TEST_REPORT_SGS.pdf"), the
 * longest match first; without it, the type ends at the first "_" after the
 * product id. Returns 0 and fills out (which may be NULL to only check), or
 * -1 and writes at most whylen bytes of the reason to why (if not NULL):
 * "file name does not start with AE and the product id", ... The product id
 * is not checked against anything: the caller compares it.
 */
int sniff_name_parse(const char *name, const char *const *types, size_t ntypes,
    struct sniff_name *out, char *why, size_t whylen);

/*
 * Writes the conventional name for a document into buf (size bytes;
 * SNIFF_NAME_MAX is always enough): "AE" product_id "_" TYPE "_"
 * description "." extension. product_id must be 1 to SNIFF_PRODUCT_ID_MAX
 * digits; type a vault type name ([A-Za-z0-9_], 1 to SNIFF_TYPE_MAX), written
 * upper case with "_" made "-" so that the name parses without a type list
 * ("test_report" gives "TEST-REPORT"). description is sanitised to
 * [A-Za-z0-9_-]: every run of other bytes (spaces, dots, UTF-8) becomes one
 * "_", "_" and "-" are trimmed from both ends, and it is cut to
 * SNIFF_DESCRIPTION_MAX; if nothing is left (NULL, "", "证书") it is
 * "Document". format must be SNIFF_PDF or SNIFF_JPEG (documents are PDF or
 * JPG), giving ".pdf" or ".jpg". Returns the length written, or -1 with why
 * set as above (buf then holds "" if size > 0).
 */
int sniff_name_build(const char *product_id, const char *type,
    const char *description, enum sniff_format format, char *buf, size_t size,
    char *why, size_t whylen);

#endif /* SNIFF_H */

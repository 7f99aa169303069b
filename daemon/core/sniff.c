/* SPDX-License-Identifier: ISC */
/*
 * sniff.c: document sniffers (PDF, JPEG, PNG by content), the resolution
 * rule for document images, and the AE<id>_<TYPE>_<description> file-name
 * convention.
 *
 * Each sniffer checks only what tells a whole, readable file from a wrong,
 * truncated or damaged one: PDF its header and %%EOF marker; JPEG its marker
 * structure (segment lengths, the frame header's size, the end-of-image
 * marker after the entropy-coded data); PNG its signature, IHDR, every
 * chunk's bounds, the CRC of IHDR and of every critical chunk, and IEND. It
 * does not decode images. Every read is bounds-checked against the length
 * given, every loop moves forward, so hostile input costs one linear pass.
 * This file is pure: it must not do I/O, allocate, log, keep state or abort;
 * it is fuzzed by tests/fuzz/fuzz_{pdf,jpeg,png}.c.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem; needs no config.h */
#endif

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sniff.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* A guess at what a refused file is, from its magic bytes. */
struct sniff_guess {
	size_t offset;
	const char *magic;
	size_t len;
	const char *what;
};

/* PNG bit depths allowed for a colour type, as a mask of 1 << depth. */
struct sniff_png_depths {
	uint8_t colour;
	uint32_t depths;
};

static int sniff_fail(struct sniff_result *, enum sniff_format, const char *,
    ...) __attribute__((format(printf, 3, 4)));
static void sniff_say(char *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static void sniff_reset(struct sniff_result *, enum sniff_format);
static uint32_t sniff_be16(const uint8_t *);
static uint32_t sniff_be32(const uint8_t *);
static uint32_t sniff_crc32(const uint8_t *, size_t);
static const char *sniff_guess(const uint8_t *, size_t);
static int sniff_is_pdf(const uint8_t *, size_t);
static int sniff_is_jpeg(const uint8_t *, size_t);
static int sniff_is_png(const uint8_t *, size_t);
static int sniff_jpeg_is_sof(uint8_t);
static int sniff_png_is_type(const uint8_t *);
static int sniff_type_char(int);
static size_t sniff_type_match(const char *, const char *);

#define M(s) s, sizeof(s) - 1

/* First match wins: longer magic before shorter at the same offset. */
static const struct sniff_guess sniff_guesses[] = {
	{ 0, M("PK\003\004"), "a ZIP file" },
	{ 0, M("PK\005\006"), "an empty ZIP file" },
	{ 0, M("GIF8"), "a GIF image" },
	{ 0, M("II*\0"), "a TIFF image" },
	{ 0, M("MM\0*"), "a TIFF image" },
	{ 0, M("BM"), "a BMP image" },
	{ 8, M("WEBP"), "a WebP image" },
	{ 4, M("ftyphei"), "a HEIC image" },
	{ 4, M("ftypmif1"), "a HEIF image" },
	{ 4, M("ftypavif"), "an AVIF image" },
	{ 4, M("ftyp"), "an MP4 or HEIF file" },
	{ 0, M("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), "an old Office document" },
	{ 0, M("Rar!"), "a RAR archive" },
	{ 0, M("7z\xbc\xaf\x27\x1c"), "a 7-Zip archive" },
	{ 0, M("\x1f\x8b"), "a gzip file" },
	{ 0, M("{\\rtf"), "an RTF document" },
	{ 0, M("<!DOCTYPE html"), "an HTML page" },
	{ 0, M("<!doctype html"), "an HTML page" },
	{ 0, M("<html"), "an HTML page" },
	{ 0, M("<HTML"), "an HTML page" },
	{ 0, M("<?xml"), "an XML file" },
	{ 0, M("<svg"), "an SVG image" },
	{ 0, M("\xef\xbb\xbf"), "a text file" },
	{ 0, M("\0\0\1\0"), "a Windows icon" },
};

#undef M

static const struct sniff_png_depths sniff_png_depths[] = {
	{ 0, 1 << 1 | 1 << 2 | 1 << 4 | 1 << 8 | 1 << 16 }, /* grey */
	{ 2, 1 << 8 | 1 << 16 }, /* RGB */
	{ 3, 1 << 1 | 1 << 2 | 1 << 4 | 1 << 8 }, /* palette */
	{ 4, 1 << 8 | 1 << 16 }, /* grey + alpha */
	{ 6, 1 << 8 | 1 << 16 }, /* RGBA */
};

static const uint8_t sniff_png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	0x1a, '\n' };

/* CRC-32 (ISO 3309, as PNG and zlib use it), four bits at a time. */
static const uint32_t sniff_crc_table[16] = { 0x00000000, 0x1db71064,
	0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
	0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c, 0x9b64c2b0, 0x86d3d2d4,
	0xa00ae278, 0xbdbdf21c };

static const char *const sniff_format_names[] = {
	[SNIFF_UNKNOWN] = "unknown",
	[SNIFF_PDF] = "pdf",
	[SNIFF_JPEG] = "jpeg",
	[SNIFF_PNG] = "png",
};

static const char *const sniff_format_extensions[] = {
	[SNIFF_UNKNOWN] = NULL,
	[SNIFF_PDF] = "pdf",
	[SNIFF_JPEG] = "jpg",
	[SNIFF_PNG] = "png",
};

static void
sniff_reset(struct sniff_result *r, enum sniff_format format)
{
	memset(r, 0, sizeof *r);
	r->format = format;
}

static int
sniff_fail(
    struct sniff_result *r, enum sniff_format format, const char *fmt, ...)
{
	va_list ap;

	sniff_reset(r, format);
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	return (-1);
}

static void
sniff_say(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || whylen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

static uint32_t
sniff_be16(const uint8_t *p)
{
	return ((uint32_t)p[0] << 8 | p[1]);
}

static uint32_t
sniff_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

static uint32_t
sniff_crc32(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffff;

	while (len-- > 0) {
		crc ^= *p++;
		crc = (crc >> 4) ^ sniff_crc_table[crc & 0xf];
		crc = (crc >> 4) ^ sniff_crc_table[crc & 0xf];
	}
	return (crc ^ 0xffffffff);
}

const char *
sniff_format_name(enum sniff_format f)
{
	if ((unsigned)f >= nitems(sniff_format_names))
		return ("unknown");
	return (sniff_format_names[f]);
}

const char *
sniff_format_extension(enum sniff_format f)
{
	if ((unsigned)f >= nitems(sniff_format_extensions))
		return (NULL);
	return (sniff_format_extensions[f]);
}

static const char *
sniff_guess(const uint8_t *d, size_t len)
{
	const struct sniff_guess *g;
	size_t i;

	for (i = 0; i < nitems(sniff_guesses); i++) {
		g = &sniff_guesses[i];
		if (len >= g->offset + g->len &&
		    memcmp(d + g->offset, g->magic, g->len) == 0)
			return (g->what);
	}
	return (NULL);
}

/* The PDF header must start within the first SNIFF_PDF_WINDOW bytes. */
static int
sniff_is_pdf(const uint8_t *d, size_t len)
{
	size_t n;

	n = len < SNIFF_PDF_WINDOW + 4 ? len : SNIFF_PDF_WINDOW + 4;
	return (n >= 5 && memmem(d, n, "%PDF-", 5) != NULL);
}

static int
sniff_is_jpeg(const uint8_t *d, size_t len)
{
	return (len >= 2 && d[0] == 0xff && d[1] == 0xd8);
}

/* "\x89PNG": the rest of the signature is checked by sniff_png. */
static int
sniff_is_png(const uint8_t *d, size_t len)
{
	return (len >= 4 && memcmp(d, sniff_png_signature, 4) == 0);
}

int
sniff_buffer(const void *buf, size_t len, struct sniff_result *r)
{
	const uint8_t *d = buf;
	const char *what;
	char hex[16];
	size_t i, n;

	if (len == 0 || d == NULL)
		return (sniff_fail(r, SNIFF_UNKNOWN, "empty file"));
	if (sniff_is_png(d, len))
		return (sniff_png(d, len, r));
	if (sniff_is_jpeg(d, len))
		return (sniff_jpeg(d, len, r));
	if (sniff_is_pdf(d, len))
		return (sniff_pdf(d, len, r));

	n = len < 4 ? len : 4;
	for (i = 0; i < n; i++)
		snprintf(hex + 3 * i, sizeof hex - 3 * i, "%02X ", d[i]);
	hex[3 * n - 1] = '\0';
	what = sniff_guess(d, len);
	if (what != NULL)
		return (sniff_fail(r, SNIFF_UNKNOWN,
		    "not a PDF, JPEG or PNG (starts with %s: %s?)", hex, what));
	return (sniff_fail(
	    r, SNIFF_UNKNOWN, "not a PDF, JPEG or PNG (starts with %s)", hex));
}

int
sniff_pdf(const void *buf, size_t len, struct sniff_result *r)
{
	const uint8_t *d = buf, *hdr;
	size_t n, v, from;

	if (d == NULL || !sniff_is_pdf(d, len))
		return (sniff_fail(r, SNIFF_UNKNOWN,
		    "not a PDF (no %%PDF- header in the first %d bytes)",
		    SNIFF_PDF_WINDOW));
	n = len < SNIFF_PDF_WINDOW + 4 ? len : SNIFF_PDF_WINDOW + 4;
	hdr = memmem(d, n, "%PDF-", 5);
	v = (size_t)(hdr - d) + 5;
	if (len - v < 3)
		return (sniff_fail(
		    r, SNIFF_PDF, "PDF truncated: incomplete header"));
	if (d[v] < '0' || d[v] > '9' || d[v + 1] != '.' || d[v + 2] < '0' ||
	    d[v + 2] > '9')
		return (sniff_fail(r, SNIFF_PDF,
		    "PDF corrupt: no version number after %%PDF-"));
	if (d[v] != '1' && d[v] != '2')
		return (sniff_fail(r, SNIFF_PDF,
		    "PDF corrupt: unknown version %c.%c", d[v], d[v + 2]));

	/* The marker must lie in the last window, after the header. */
	from = len > SNIFF_PDF_WINDOW ? len - SNIFF_PDF_WINDOW : 0;
	if (from < v + 3)
		from = v + 3;
	if (memmem(d + from, len - from, "%%EOF", 5) == NULL)
		return (sniff_fail(r, SNIFF_PDF,
		    "PDF truncated: no %%%%EOF marker in the last %d bytes",
		    SNIFF_PDF_WINDOW));

	sniff_reset(r, SNIFF_PDF);
	r->pdf_major = d[v] - '0';
	r->pdf_minor = d[v + 2] - '0';
	return (0);
}

/* SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC). */
static int
sniff_jpeg_is_sof(uint8_t m)
{
	return (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc);
}

int
sniff_jpeg(const void *buf, size_t len, struct sniff_result *r)
{
	const uint8_t *d = buf, *ff;
	size_t pos, at, seglen, nf;
	uint32_t width = 0, height = 0;
	uint8_t m, next;
	int have_sof = 0;

	if (d == NULL || !sniff_is_jpeg(d, len))
		return (sniff_fail(r, SNIFF_UNKNOWN,
		    "not a JPEG (no start-of-image marker FF D8)"));

	/* Each turn consumes a marker, so pos grows by 2 at least. */
	pos = 2;
	for (;;) {
		if (pos >= len)
			break;
		if (d[pos] != 0xff)
			return (sniff_fail(r, SNIFF_JPEG,
			    "JPEG corrupt: expected a marker at offset %zu, "
			    "found %02X",
			    pos, d[pos]));
		while (pos < len && d[pos] == 0xff) /* fill bytes */
			pos++;
		if (pos >= len)
			break;
		at = pos - 1;
		m = d[pos++];

		if (m == 0x00)
			return (sniff_fail(r, SNIFF_JPEG,
			    "JPEG corrupt: invalid marker FF 00 at offset %zu",
			    at));
		if (m == 0xd8)
			return (sniff_fail(r, SNIFF_JPEG,
			    "JPEG corrupt: second start-of-image marker at "
			    "offset %zu",
			    at));
		if (m == 0xd9) {
			if (!have_sof)
				return (sniff_fail(r, SNIFF_JPEG,
				    "JPEG corrupt: no frame header (SOF) "
				    "before the end-of-image marker"));
			sniff_reset(r, SNIFF_JPEG);
			r->width = width;
			r->height = height;
			return (0);
		}
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue; /* TEM, RSTn: no length */

		if (len - pos < 2 || (seglen = sniff_be16(d + pos)) > len - pos)
			return (sniff_fail(r, SNIFF_JPEG,
			    "JPEG truncated: segment FF %02X at offset %zu "
			    "runs past the end of the data",
			    m, at));
		if (seglen < 2)
			return (sniff_fail(r, SNIFF_JPEG,
			    "JPEG corrupt: segment FF %02X at offset %zu has "
			    "length %zu",
			    m, at, seglen));

		if (sniff_jpeg_is_sof(m) && !have_sof) {
			/* Lq, P, Y, X, Nf, then Nf components of 3 bytes. */
			nf = seglen >= 8 ? d[pos + 7] : 0;
			if (nf == 0 || 8 + 3 * nf > seglen)
				return (sniff_fail(r, SNIFF_JPEG,
				    "JPEG corrupt: frame header (SOF) at "
				    "offset %zu is too short",
				    at));
			height = sniff_be16(d + pos + 3);
			width = sniff_be16(d + pos + 5);
			if (width == 0 || height == 0)
				return (sniff_fail(r, SNIFF_JPEG,
				    "JPEG corrupt: frame header gives a zero "
				    "size (%" PRIu32 "×%" PRIu32 ")",
				    width, height));
			have_sof = 1;
		}
		pos += seglen;
		if (m != 0xda)
			continue;

		if (!have_sof)
			return (sniff_fail(r, SNIFF_JPEG,
			    "JPEG corrupt: scan (SOS) at offset %zu before the "
			    "frame header (SOF)",
			    at));
		/*
		 * Entropy-coded data up to the next marker: FF 00 is a
		 * stuffed FF, FF D0..D7 a restart marker, FF FF fill.
		 */
		while ((ff = memchr(d + pos, 0xff, len - pos)) != NULL) {
			pos = (size_t)(ff - d);
			if (len - pos < 2) {
				pos = len;
				break;
			}
			next = d[pos + 1];
			if (next == 0x00 || (next >= 0xd0 && next <= 0xd7))
				pos += 2;
			else if (next == 0xff)
				pos++;
			else
				break;
		}
		if (ff == NULL)
			pos = len;
	}

	if (!have_sof)
		return (sniff_fail(r, SNIFF_JPEG,
		    "JPEG truncated: the data ends before the frame header "
		    "(SOF)"));
	return (sniff_fail(
	    r, SNIFF_JPEG, "JPEG truncated: no end-of-image marker"));
}

/* Chunk types are four ASCII letters. */
static int
sniff_png_is_type(const uint8_t *t)
{
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!((t[i] >= 'A' && t[i] <= 'Z') ||
			(t[i] >= 'a' && t[i] <= 'z')))
			return (0);
	}
	return (1);
}

int
sniff_png(const void *buf, size_t len, struct sniff_result *r)
{
	const uint8_t *d = buf, *t;
	const struct sniff_png_depths *pd = NULL;
	uint32_t width, height, clen = 0;
	size_t off, i;
	uint8_t depth, colour;

	if (d == NULL || !sniff_is_png(d, len))
		return (sniff_fail(
		    r, SNIFF_UNKNOWN, "not a PNG (no PNG signature)"));
	if (len < 8)
		return (sniff_fail(
		    r, SNIFF_PNG, "PNG truncated: incomplete signature"));
	if (memcmp(d, sniff_png_signature, 8) != 0)
		return (sniff_fail(r, SNIFF_PNG,
		    "PNG corrupt: damaged signature (was the file transferred "
		    "as text?)"));

	/* IHDR: length 13, type, width, height, 5 bytes, CRC: offsets 8..33. */
	if (len < 16)
		return (
		    sniff_fail(r, SNIFF_PNG, "PNG truncated: no IHDR chunk"));
	if (memcmp(d + 12, "IHDR", 4) != 0) {
		if (sniff_png_is_type(d + 12))
			return (sniff_fail(r, SNIFF_PNG,
			    "PNG corrupt: the first chunk is %.4s, not IHDR",
			    (const char *)(d + 12)));
		return (sniff_fail(
		    r, SNIFF_PNG, "PNG corrupt: the first chunk is not IHDR"));
	}
	if (sniff_be32(d + 8) != 13)
		return (sniff_fail(r, SNIFF_PNG,
		    "PNG corrupt: IHDR length is %" PRIu32 ", not 13",
		    sniff_be32(d + 8)));
	if (len < 33)
		return (sniff_fail(
		    r, SNIFF_PNG, "PNG truncated: incomplete IHDR chunk"));
	if (sniff_crc32(d + 12, 17) != sniff_be32(d + 29))
		return (
		    sniff_fail(r, SNIFF_PNG, "PNG corrupt: IHDR CRC mismatch"));

	width = sniff_be32(d + 16);
	height = sniff_be32(d + 20);
	if (width == 0 || height == 0)
		return (sniff_fail(r, SNIFF_PNG,
		    "PNG corrupt: IHDR gives a zero size (%" PRIu32 "×%" PRIu32
		    ")",
		    width, height));
	if (width > INT32_MAX || height > INT32_MAX)
		return (sniff_fail(r, SNIFF_PNG,
		    "PNG corrupt: IHDR size %" PRIu32 "×%" PRIu32
		    " is out of range",
		    width, height));
	depth = d[24];
	colour = d[25];
	for (i = 0; i < nitems(sniff_png_depths); i++) {
		if (sniff_png_depths[i].colour == colour)
			pd = &sniff_png_depths[i];
	}
	if (pd == NULL)
		return (sniff_fail(r, SNIFF_PNG,
		    "PNG corrupt: IHDR colour type %u is unknown", colour));
	if (depth > 16 || (pd->depths & (UINT32_C(1) << depth)) == 0)
		return (sniff_fail(r, SNIFF_PNG,
		    "PNG corrupt: IHDR bit depth %u is invalid for colour type "
		    "%u",
		    depth, colour));
	if (d[26] != 0 || d[27] != 0 || d[28] > 1)
		return (sniff_fail(r, SNIFF_PNG,
		    "PNG corrupt: IHDR compression, filter or interlace method "
		    "is unknown"));

	/* The other chunks, up to IEND: each turn moves 12 bytes at least. */
	for (off = 33;; off += 12 + (size_t)clen) {
		if (len - off < 12)
			return (sniff_fail(
			    r, SNIFF_PNG, "PNG truncated: no IEND chunk"));
		clen = sniff_be32(d + off);
		t = d + off + 4;
		if (!sniff_png_is_type(t))
			return (sniff_fail(r, SNIFF_PNG,
			    "PNG corrupt: invalid chunk type at offset %zu",
			    off));
		if (clen > INT32_MAX)
			return (sniff_fail(r, SNIFF_PNG,
			    "PNG corrupt: chunk %.4s at offset %zu has length "
			    "%" PRIu32,
			    (const char *)t, off, clen));
		if (clen > len - off - 12)
			return (sniff_fail(r, SNIFF_PNG,
			    "PNG truncated: chunk %.4s at offset %zu runs past "
			    "the end of the data",
			    (const char *)t, off));
		/* Critical chunks (upper-case first letter) must be intact. */
		if ((t[0] & 0x20) == 0 &&
		    sniff_crc32(t, 4 + (size_t)clen) !=
			sniff_be32(t + 4 + clen))
			return (sniff_fail(r, SNIFF_PNG,
			    "PNG corrupt: CRC mismatch in chunk %.4s at offset "
			    "%zu",
			    (const char *)t, off));
		if (memcmp(t, "IHDR", 4) == 0)
			return (sniff_fail(r, SNIFF_PNG,
			    "PNG corrupt: second IHDR chunk at offset %zu",
			    off));
		if (memcmp(t, "IEND", 4) == 0)
			break;
	}
	if (clen != 0)
		return (sniff_fail(
		    r, SNIFF_PNG, "PNG corrupt: IEND chunk is not empty"));

	sniff_reset(r, SNIFF_PNG);
	r->width = width;
	r->height = height;
	return (0);
}

int
sniff_resolution_check(uint32_t width, uint32_t height, uint32_t min_short,
    uint32_t min_long, char *why, size_t whylen)
{
	uint32_t s, l, tmp;

	if (min_short > min_long) {
		tmp = min_short;
		min_short = min_long;
		min_long = tmp;
	}
	s = width < height ? width : height;
	l = width < height ? height : width;
	if (s >= min_short && l >= min_long)
		return (0);
	if (width > height) {
		tmp = min_short;
		min_short = min_long;
		min_long = tmp;
	}
	sniff_say(why, whylen,
	    "image is %" PRIu32 "×%" PRIu32 "; at least %" PRIu32 "×%" PRIu32
	    " is needed",
	    width, height, min_short, min_long);
	return (-1);
}

/* Bytes a type may have in a file name. */
static int
sniff_type_char(int c)
{
	return ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-');
}

/*
 * If p starts with the type name (any case, "_" and "-" alike) followed by
 * "_", the length of the name; else 0.
 */
static size_t
sniff_type_match(const char *p, const char *name)
{
	size_t i;
	int a, b;

	for (i = 0; name[i] != '\0'; i++) {
		a = (unsigned char)p[i];
		b = (unsigned char)name[i];
		if (a == '-')
			a = '_';
		if (b == '-')
			b = '_';
		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		if (a != b || a == '\0')
			return (0);
	}
	return (p[i] == '_' ? i : 0);
}

int
sniff_name_parse(const char *name, const char *const *types, size_t ntypes,
    struct sniff_name *out, char *why, size_t whylen)
{
	const char *p, *slash, *dot, *ext;
	size_t n, tlen, best, i;
	struct sniff_name tmp;
	enum sniff_format format;

	if (out == NULL)
		out = &tmp;
	memset(out, 0, sizeof *out);
	if (name == NULL)
		name = "";
	if ((slash = strrchr(name, '/')) != NULL)
		name = slash + 1;
	if (strlen(name) > SNIFF_FILE_NAME_MAX) {
		sniff_say(why, whylen, "file name is longer than %d bytes",
		    SNIFF_FILE_NAME_MAX);
		return (-1);
	}

	p = name;
	if (strncasecmp(p, "AE", 2) != 0 || p[2] < '0' || p[2] > '9') {
		sniff_say(why, whylen,
		    "file name does not start with AE and the product id");
		return (-1);
	}
	p += 2;
	n = strspn(p, "0123456789");
	if (n > SNIFF_PRODUCT_ID_MAX) {
		sniff_say(why, whylen,
		    "product id in the file name is longer than %d digits",
		    SNIFF_PRODUCT_ID_MAX);
		return (-1);
	}
	memcpy(out->product_id, p, n);
	p += n;
	if (*p != '_') {
		sniff_say(
		    why, whylen, "file name has no _ after the product id");
		return (-1);
	}
	p++;

	best = 0;
	for (i = 0; types != NULL && i < ntypes; i++) {
		if (types[i] == NULL || strlen(types[i]) > SNIFF_TYPE_MAX)
			continue;
		tlen = sniff_type_match(p, types[i]);
		if (tlen > best)
			best = tlen;
	}
	if (best == 0) {
		while (sniff_type_char((unsigned char)p[best]))
			best++;
	}
	if (best == 0) {
		sniff_say(why, whylen,
		    "file name has no document type after the product id");
		return (-1);
	}
	if (best > SNIFF_TYPE_MAX) {
		sniff_say(why, whylen,
		    "document type in the file name is longer than %d "
		    "characters",
		    SNIFF_TYPE_MAX);
		return (-1);
	}
	if (p[best] != '_' && p[best] != '.' && p[best] != '\0') {
		sniff_say(why, whylen,
		    "document type in the file name has a character other than "
		    "A-Z, 0-9 and -");
		return (-1);
	}
	for (i = 0; i < best; i++) {
		if (p[i] == '-')
			out->type[i] = '_';
		else if (p[i] >= 'A' && p[i] <= 'Z')
			out->type[i] = p[i] + ('a' - 'A');
		else
			out->type[i] = p[i];
	}
	p += best;

	dot = strrchr(p, '.');
	if (dot == NULL) {
		sniff_say(
		    why, whylen, "file name has no extension (.pdf or .jpg)");
		return (-1);
	}
	ext = dot + 1;
	if (strcasecmp(ext, "pdf") == 0)
		format = SNIFF_PDF;
	else if (strcasecmp(ext, "jpg") == 0)
		format = SNIFF_JPEG;
	else {
		sniff_say(
		    why, whylen, "file name does not end in .pdf or .jpg");
		return (-1);
	}
	if (*p != '_' || dot == p + 1) {
		sniff_say(why, whylen,
		    "file name has no description after the document type");
		return (-1);
	}
	p++;
	memcpy(out->description, p, (size_t)(dot - p));
	memcpy(out->extension, format == SNIFF_PDF ? "pdf" : "jpg", 4);
	out->format = format;
	return (0);
}

int
sniff_name_build(const char *product_id, const char *type,
    const char *description, enum sniff_format format, char *buf, size_t size,
    char *why, size_t whylen)
{
	char t[SNIFF_TYPE_MAX + 1], desc[SNIFF_DESCRIPTION_MAX + 1];
	const unsigned char *s;
	size_t n, i;
	int len;

	if (buf != NULL && size > 0)
		buf[0] = '\0';
	n = product_id == NULL ? 0 : strlen(product_id);
	if (n == 0 || n > SNIFF_PRODUCT_ID_MAX ||
	    strspn(product_id, "0123456789") != n) {
		sniff_say(why, whylen, "product id must be 1 to %d digits",
		    SNIFF_PRODUCT_ID_MAX);
		return (-1);
	}
	n = type == NULL ? 0 : strlen(type);
	if (n == 0 || n > SNIFF_TYPE_MAX ||
	    strspn(type,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		"_") != n) {
		sniff_say(why, whylen,
		    "document type must be 1 to %d letters, digits or _",
		    SNIFF_TYPE_MAX);
		return (-1);
	}
	for (i = 0; i <= n; i++) {
		if (type[i] == '_')
			t[i] = '-';
		else if (type[i] >= 'a' && type[i] <= 'z')
			t[i] = type[i] - ('a' - 'A');
		else
			t[i] = type[i];
	}
	if (format != SNIFF_PDF && format != SNIFF_JPEG) {
		sniff_say(why, whylen, "documents must be PDF or JPG, not %s",
		    format == SNIFF_PNG ? "PNG" : "an unknown format");
		return (-1);
	}

	/* Runs of other bytes and of "_" become one "_"; no "_-" at ends. */
	s = (const unsigned char *)(description != NULL ? description : "");
	for (n = 0; *s != '\0' && n < SNIFF_DESCRIPTION_MAX; s++) {
		if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '-')
			desc[n++] = (char)*s;
		else if (n > 0 && desc[n - 1] != '_')
			desc[n++] = '_';
	}
	while (n > 0 && (desc[n - 1] == '_' || desc[n - 1] == '-'))
		n--;
	for (i = 0; i < n && (desc[i] == '-' || desc[i] == '_'); i++)
		;
	memmove(desc, desc + i, n - i);
	n -= i;
	desc[n] = '\0';
	if (n == 0)
		memcpy(desc, "Document", sizeof "Document");

	if (buf == NULL || size == 0) {
		sniff_say(why, whylen, "no room for the file name");
		return (-1);
	}
	len = snprintf(buf, size, "AE%s_%s_%s.%s", product_id, t, desc,
	    format == SNIFF_PDF ? "pdf" : "jpg");
	if (len < 0 || (size_t)len >= size) {
		buf[0] = '\0';
		sniff_say(why, whylen, "no room for the file name");
		return (-1);
	}
	return (len);
}

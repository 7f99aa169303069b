/* SPDX-License-Identifier: ISC */
/*
 * test_sniff.c: unit tests of sniff.c, the document sniffers, the
 * resolution rule and the file-name convention.
 *
 * Every file is built here in memory, byte by byte: a minimal PDF, JPEGs
 * made of markers (they need not decode, the sniffer only walks segments),
 * PNGs with their CRCs computed by a bitwise CRC-32 written again here (and
 * IEND's CRC taken from the PNG specification, AE 42 60 82). Then each is
 * truncated, corrupted or replaced by another format, and the exact
 * sentence is checked. Pure: no files, no clock.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sniff.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* A file being built. */
struct bytes {
	uint8_t d[8192];
	size_t n;
};

static void put(struct bytes *, const void *, size_t);
static void put8(struct bytes *, unsigned);
static void put16(struct bytes *, unsigned);
static void put32(struct bytes *, uint32_t);
static uint32_t crc32_bitwise(const uint8_t *, size_t);
static void jpeg_segment(struct bytes *, uint8_t, const void *, size_t);
static void jpeg_sof(struct bytes *, uint8_t, unsigned, unsigned);
static void jpeg_sos(struct bytes *);
static void jpeg_start(struct bytes *, unsigned, unsigned);
static void jpeg_make(struct bytes *, unsigned, unsigned);
static void png_chunk(struct bytes *, const char *, const void *, size_t);
static void
png_ihdr(struct bytes *, uint32_t, uint32_t, uint8_t, uint8_t, uint8_t);
static void png_iend(struct bytes *);
static void png_make(struct bytes *, uint32_t, uint32_t);
static void pdf_make(struct bytes *, const char *);
static void refused(const void *, size_t, enum sniff_format, const char *);
static void refused_by(int (*)(const void *, size_t, struct sniff_result *),
    const void *, size_t, enum sniff_format, const char *);
static void
accepted_image(const void *, size_t, enum sniff_format, uint32_t, uint32_t);
static void too_small(uint32_t, uint32_t, const char *);
static void
name_ok(const char *, const char *, const char *, const char *, const char *);
static void name_bad(const char *, const char *);
static void build_ok(
    const char *, const char *, const char *, enum sniff_format, const char *);
static void build_bad(
    const char *, const char *, const char *, enum sniff_format, const char *);

static const char *const vault_types[] = { "ce", "fcc", "ukca", "saso",
	"test_report", "trademark", "brand_authorization", "brand", "invoice",
	"court_order", "dismissal", "other" };

static void
put(struct bytes *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof b->d);
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static void
put8(struct bytes *b, unsigned v)
{
	uint8_t c = (uint8_t)v;

	put(b, &c, 1);
}

static void
put16(struct bytes *b, unsigned v)
{
	put8(b, v >> 8);
	put8(b, v & 0xff);
}

static void
put32(struct bytes *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v & 0xffff);
}

/* The CRC of the PNG specification, one bit at a time. */
static uint32_t
crc32_bitwise(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffff;
	int k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320 ^ (c >> 1) : c >> 1;
	}
	return (c ^ 0xffffffff);
}

/* FF m, the length (payload + 2), the payload. */
static void
jpeg_segment(struct bytes *b, uint8_t m, const void *payload, size_t n)
{
	put8(b, 0xff);
	put8(b, m);
	put16(b, (unsigned)n + 2);
	put(b, payload, n);
}

/* A baseline-like frame header with three components. */
static void
jpeg_sof(struct bytes *b, uint8_t m, unsigned width, unsigned height)
{
	uint8_t p[15] = { 8, height >> 8, height & 0xff, width >> 8,
		width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1 };

	jpeg_segment(b, m, p, sizeof p);
}

/* A scan header, then entropy-coded data with a stuffed FF and RST0. */
static void
jpeg_sos(struct bytes *b)
{
	static const uint8_t sos[] = { 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0 };
	static const uint8_t data[] = { 0x12, 0x34, 0xff, 0x00, 0x56, 0xff,
		0xd0, 0x78, 0xff, 0xff, 0x00, 0x9a };

	jpeg_segment(b, 0xda, sos, sizeof sos);
	put(b, data, sizeof data);
}

/* SOI, APP0 JFIF, DQT, SOF0: everything before the scan. */
static void
jpeg_start(struct bytes *b, unsigned width, unsigned height)
{
	static const uint8_t jfif[] = { 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0,
		1, 0, 0 };
	uint8_t dqt[65];

	memset(dqt, 1, sizeof dqt);
	dqt[0] = 0;
	b->n = 0;
	put16(b, 0xffd8);
	jpeg_segment(b, 0xe0, jfif, sizeof jfif);
	jpeg_segment(b, 0xdb, dqt, sizeof dqt);
	jpeg_sof(b, 0xc0, width, height);
}

static void
jpeg_make(struct bytes *b, unsigned width, unsigned height)
{
	jpeg_start(b, width, height);
	jpeg_sos(b);
	put16(b, 0xffd9);
}

static void
png_chunk(struct bytes *b, const char *type, const void *data, size_t n)
{
	size_t at;

	put32(b, (uint32_t)n);
	at = b->n;
	put(b, type, 4);
	put(b, data, n);
	put32(b, crc32_bitwise(b->d + at, 4 + n));
}

static void
png_ihdr(struct bytes *b, uint32_t width, uint32_t height, uint8_t depth,
    uint8_t colour, uint8_t interlace)
{
	uint8_t p[13];

	p[0] = width >> 24;
	p[1] = width >> 16;
	p[2] = width >> 8;
	p[3] = width;
	p[4] = height >> 24;
	p[5] = height >> 16;
	p[6] = height >> 8;
	p[7] = height;
	p[8] = depth;
	p[9] = colour;
	p[10] = 0;
	p[11] = 0;
	p[12] = interlace;
	b->n = 0;
	put(b, "\x89PNG\r\n\x1a\n", 8);
	png_chunk(b, "IHDR", p, sizeof p);
}

/* IEND with the CRC printed in the PNG specification. */
static void
png_iend(struct bytes *b)
{
	put(b, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
}

/* IHDR (8-bit RGB), tEXt, IDAT, IEND. */
static void
png_make(struct bytes *b, uint32_t width, uint32_t height)
{
	static const uint8_t idat[] = { 0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 2, 0,
		1 };

	png_ihdr(b, width, height, 8, 2, 0);
	png_chunk(b, "tEXt", "Title\0CE", 8);
	png_chunk(b, "IDAT", idat, sizeof idat);
	png_iend(b);
}

/* A one-page PDF of the given version ("1.4"), xref offsets left alone. */
static void
pdf_make(struct bytes *b, const char *version)
{
	static const char body[] =
	    "%\xe2\xe3\xcf\xd3\n"
	    "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
	    "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
	    "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
	    ">>\nendobj\n"
	    "xref\n0 4\n0000000000 65535 f \n0000000015 00000 n \n"
	    "0000000064 00000 n \n0000000121 00000 n \n"
	    "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n199\n%%EOF\n";

	b->n = 0;
	put(b, "%PDF-", 5);
	put(b, version, strlen(version));
	put8(b, '\n');
	put(b, body, sizeof body - 1);
}

/* sniff_buffer refuses buf with exactly why, seeing it as format. */
static void
refused(const void *buf, size_t len, enum sniff_format format, const char *why)
{
	refused_by(sniff_buffer, buf, len, format, why);
}

static void
refused_by(int (*fn)(const void *, size_t, struct sniff_result *),
    const void *buf, size_t len, enum sniff_format format, const char *why)
{
	struct sniff_result r;

	memset(&r, 0xa5, sizeof r);
	assert_int_equal(fn(buf, len, &r), -1);
	assert_string_equal(r.why, why);
	assert_int_equal(r.format, format);
	assert_int_equal(r.width, 0);
	assert_int_equal(r.height, 0);
	assert_int_equal(r.pdf_major, 0);
	assert_int_equal(r.pdf_minor, 0);
}

static void
accepted_image(const void *buf, size_t len, enum sniff_format format,
    uint32_t width, uint32_t height)
{
	struct sniff_result r;

	memset(&r, 0xa5, sizeof r);
	assert_int_equal(sniff_buffer(buf, len, &r), 0);
	assert_string_equal(r.why, "");
	assert_int_equal(r.format, format);
	assert_int_equal(r.width, width);
	assert_int_equal(r.height, height);
	assert_int_equal(r.pdf_major, 0);
	assert_int_equal(r.pdf_minor, 0);
}

/* --- PDF --- */

static void
test_pdf_minimal_is_accepted_with_its_version(void **state)
{
	struct sniff_result r;
	struct bytes b;

	(void)state;
	pdf_make(&b, "1.4");
	assert_int_equal(sniff_buffer(b.d, b.n, &r), 0);
	assert_int_equal(r.format, SNIFF_PDF);
	assert_int_equal(r.pdf_major, 1);
	assert_int_equal(r.pdf_minor, 4);
	assert_int_equal(r.width, 0);
	assert_int_equal(r.height, 0);
	assert_string_equal(r.why, "");
	assert_int_equal(sniff_pdf(b.d, b.n, &r), 0);

	pdf_make(&b, "2.0");
	assert_int_equal(sniff_buffer(b.d, b.n, &r), 0);
	assert_int_equal(r.pdf_major, 2);
	assert_int_equal(r.pdf_minor, 0);
}

static void
test_pdf_header_may_follow_junk_within_1024_bytes(void **state)
{
	struct sniff_result r;
	struct bytes b, p;

	(void)state;
	pdf_make(&p, "1.7");
	b.n = 0;
	memset(b.d, ' ', 1023);
	b.n = 1023;
	put(&b, p.d, p.n);
	assert_int_equal(sniff_buffer(b.d, b.n, &r), 0);
	assert_int_equal(r.pdf_minor, 7);

	/* One byte more and it is not a PDF any more. */
	b.n = 0;
	memset(b.d, ' ', 1024);
	b.n = 1024;
	put(&b, p.d, p.n);
	refused(b.d, b.n, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with 20 20 20 20)");
	refused_by(sniff_pdf, b.d, b.n, SNIFF_UNKNOWN,
	    "not a PDF (no %PDF- header in the first 1024 bytes)");
}

static void
test_pdf_without_eof_marker_is_truncated(void **state)
{
	struct bytes b;

	(void)state;
	pdf_make(&b, "1.4");
	b.n -= 6; /* "%%EOF\n" */
	refused(b.d, b.n, SNIFF_PDF,
	    "PDF truncated: no %%EOF marker in the last 1024 bytes");
	b.n = 9; /* the header line only */
	refused(b.d, b.n, SNIFF_PDF,
	    "PDF truncated: no %%EOF marker in the last 1024 bytes");
}

static void
test_pdf_eof_marker_must_be_in_the_last_1024_bytes(void **state)
{
	struct sniff_result r;
	struct bytes b;
	size_t n;

	(void)state;
	pdf_make(&b, "1.5");
	n = b.n;
	memset(b.d + n, '\n', 1018);
	b.n = n + 1018; /* "%%EOF" starts 1024 bytes before the end */
	assert_int_equal(sniff_buffer(b.d, b.n, &r), 0);
	put8(&b, '\n');
	refused(b.d, b.n, SNIFF_PDF,
	    "PDF truncated: no %%EOF marker in the last 1024 bytes");
}

static void
test_pdf_header_without_version_is_corrupt(void **state)
{
	(void)state;
	refused("%PDF-", 5, SNIFF_PDF, "PDF truncated: incomplete header");
	refused("%PDF-1.", 7, SNIFF_PDF, "PDF truncated: incomplete header");
	refused("%PDF-x.y\n%%EOF\n", 15, SNIFF_PDF,
	    "PDF corrupt: no version number after %PDF-");
	refused("%PDF-14\n%%EOF\n", 14, SNIFF_PDF,
	    "PDF corrupt: no version number after %PDF-");
	refused("%PDF-3.0\n%%EOF\n", 15, SNIFF_PDF,
	    "PDF corrupt: unknown version 3.0");
}

static void
test_pdf_eof_inside_the_header_does_not_count(void **state)
{
	struct sniff_result r;

	(void)state;
	/* The "%%EOF" search starts after the version. */
	refused("%PDF-1.4", 8, SNIFF_PDF,
	    "PDF truncated: no %%EOF marker in the last 1024 bytes");
	refused("%PDF-1.4%%EO", 12, SNIFF_PDF,
	    "PDF truncated: no %%EOF marker in the last 1024 bytes");
	/* Header and marker are all that is checked. */
	assert_int_equal(sniff_buffer("%PDF-1.4%%EOF", 13, &r), 0);
	assert_int_equal(r.pdf_minor, 4);
}

/* --- JPEG --- */

static void
test_jpeg_gives_the_frame_size(void **state)
{
	struct bytes b;

	(void)state;
	jpeg_make(&b, 600, 800);
	accepted_image(b.d, b.n, SNIFF_JPEG, 600, 800);
	jpeg_make(&b, 4032, 3024);
	accepted_image(b.d, b.n, SNIFF_JPEG, 4032, 3024);
	jpeg_make(&b, 65535, 1);
	accepted_image(b.d, b.n, SNIFF_JPEG, 65535, 1);
}

static void
test_jpeg_minimal_soi_sof_eoi_is_accepted(void **state)
{
	struct sniff_result r;
	struct bytes b;

	(void)state;
	b.n = 0;
	put16(&b, 0xffd8);
	jpeg_sof(&b, 0xc0, 640, 480);
	put16(&b, 0xffd9);
	accepted_image(b.d, b.n, SNIFF_JPEG, 640, 480);
	assert_int_equal(sniff_jpeg(b.d, b.n, &r), 0);
	assert_int_equal(r.width, 640);
}

static void
test_jpeg_every_sof_but_dht_jpg_dac_gives_the_size(void **state)
{
	struct sniff_result r;
	struct bytes b;
	unsigned m;

	(void)state;
	for (m = 0xc0; m <= 0xcf; m++) {
		b.n = 0;
		put16(&b, 0xffd8);
		jpeg_sof(&b, (uint8_t)m, 1200, 1600);
		put16(&b, 0xffd9);
		if (m == 0xc4 || m == 0xc8 || m == 0xcc) {
			refused(b.d, b.n, SNIFF_JPEG,
			    "JPEG corrupt: no frame header (SOF) before the "
			    "end-of-image marker");
			continue;
		}
		assert_int_equal(sniff_buffer(b.d, b.n, &r), 0);
		assert_int_equal(r.width, 1200);
		assert_int_equal(r.height, 1600);
	}
}

static void
test_jpeg_dht_before_sof_is_not_mistaken_for_it(void **state)
{
	struct bytes b;

	(void)state;
	b.n = 0;
	put16(&b, 0xffd8);
	jpeg_sof(&b, 0xc4, 7, 9); /* a DHT that looks like a frame header */
	jpeg_sof(&b, 0xcc, 7, 9); /* DAC */
	jpeg_sof(&b, 0xc2, 1000, 1500); /* progressive */
	jpeg_sos(&b);
	jpeg_sof(&b, 0xc4, 7, 9); /* DHT between scans */
	jpeg_sos(&b);
	jpeg_sof(&b, 0xc1, 5, 5); /* a later frame does not count */
	put16(&b, 0xffd9);
	accepted_image(b.d, b.n, SNIFF_JPEG, 1000, 1500);
}

static void
test_jpeg_exif_thumbnail_does_not_count(void **state)
{
	struct bytes b, thumb, app1;

	(void)state;
	jpeg_make(&thumb, 160, 120);
	app1.n = 0;
	put(&app1, "Exif\0\0", 6);
	put(&app1, thumb.d, thumb.n);
	b.n = 0;
	put16(&b, 0xffd8);
	jpeg_segment(&b, 0xe1, app1.d, app1.n);
	jpeg_sof(&b, 0xc0, 3000, 4000);
	jpeg_sos(&b);
	put16(&b, 0xffd9);
	accepted_image(b.d, b.n, SNIFF_JPEG, 3000, 4000);
	/* The thumbnail's end-of-image marker does not save a cut file. */
	refused(
	    b.d, b.n - 2, SNIFF_JPEG, "JPEG truncated: no end-of-image marker");
}

static void
test_jpeg_fill_bytes_and_trailing_data_are_allowed(void **state)
{
	struct bytes b;

	(void)state;
	b.n = 0;
	put16(&b, 0xffd8);
	put8(&b, 0xff); /* fill before the marker */
	put8(&b, 0xff);
	jpeg_sof(&b, 0xc0, 800, 600);
	put8(&b, 0xff);
	put16(&b, 0xffd0); /* a stray RST0 */
	put16(&b, 0xff01); /* TEM */
	jpeg_sos(&b);
	put16(&b, 0xffd9);
	put(&b, "trailing garbage", 16);
	accepted_image(b.d, b.n, SNIFF_JPEG, 800, 600);
}

static void
test_jpeg_without_eoi_is_truncated(void **state)
{
	char want[SNIFF_WHY_MAX];
	struct bytes b;
	size_t full, cut, start;

	(void)state;
	jpeg_make(&b, 600, 800);
	full = b.n;
	refused(b.d, full - 2, SNIFF_JPEG,
	    "JPEG truncated: no end-of-image marker");
	refused(b.d, full - 1, SNIFF_JPEG,
	    "JPEG truncated: no end-of-image marker");
	/* Cut in the scan header, or anywhere in the entropy-coded data. */
	jpeg_start(&b, 600, 800);
	start = b.n; /* the scan header: 14 bytes, then 12 of data */
	jpeg_make(&b, 600, 800);
	refused(
	    b.d, start, SNIFF_JPEG, "JPEG truncated: no end-of-image marker");
	refused(b.d, start + 1, SNIFF_JPEG,
	    "JPEG truncated: no end-of-image marker");
	snprintf(want, sizeof want,
	    "JPEG truncated: segment FF DA at offset %zu runs past the end of "
	    "the data",
	    start);
	for (cut = start + 2; cut < start + 14; cut++)
		refused(b.d, cut, SNIFF_JPEG, want);
	for (cut = start + 14; cut < full; cut++)
		refused(b.d, cut, SNIFF_JPEG,
		    "JPEG truncated: no end-of-image marker");
	/* Everything before the frame header. */
	refused(b.d, 2, SNIFF_JPEG,
	    "JPEG truncated: the data ends before the frame header (SOF)");
	refused(b.d, 3, SNIFF_JPEG,
	    "JPEG truncated: the data ends before the frame header (SOF)");
	refused(b.d, 4, SNIFF_JPEG,
	    "JPEG truncated: segment FF E0 at offset 2 runs past the end of "
	    "the data");
	refused(b.d, 10, SNIFF_JPEG,
	    "JPEG truncated: segment FF E0 at offset 2 runs past the end of "
	    "the data");
}

static void
test_jpeg_cut_at_every_byte_is_refused(void **state)
{
	struct sniff_result r;
	struct bytes b;
	size_t cut;

	(void)state;
	jpeg_make(&b, 600, 800);
	for (cut = 0; cut < b.n; cut++) {
		assert_int_equal(sniff_buffer(b.d, cut, &r), -1);
		assert_int_equal(r.width, 0);
		assert_true(r.why[0] != '\0');
	}
}

static void
test_jpeg_segment_length_past_the_end_is_truncated(void **state)
{
	struct bytes b;

	(void)state;
	jpeg_make(&b, 600, 800);
	b.d[4] = 0xff; /* APP0 length 0xffff */
	b.d[5] = 0xff;
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG truncated: segment FF E0 at offset 2 runs past the end of "
	    "the data");
	jpeg_make(&b, 600, 800);
	b.d[4] = 0;
	b.d[5] = 1;
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: segment FF E0 at offset 2 has length 1");
	b.d[5] = 0;
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: segment FF E0 at offset 2 has length 0");
}

static void
test_jpeg_zero_or_short_frame_header_is_corrupt(void **state)
{
	struct bytes b;
	size_t sof;

	(void)state;
	jpeg_make(&b, 600, 0);
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: frame header gives a zero size (600×0)");
	jpeg_make(&b, 0, 800);
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: frame header gives a zero size (0×800)");

	jpeg_make(&b, 600, 800);
	sof = 2 + 18 + 69;
	assert_int_equal(b.d[sof + 1], 0xc0);
	b.d[sof + 9] = 0; /* Nf = 0 */
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: frame header (SOF) at offset 89 is too short");
	b.d[sof + 9] = 5; /* 5 components do not fit in 15 bytes */
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: frame header (SOF) at offset 89 is too short");

	b.n = 0;
	put16(&b, 0xffd8);
	jpeg_segment(&b, 0xc0, "\x08\x03\x20\x02", 4);
	put16(&b, 0xffd9);
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: frame header (SOF) at offset 2 is too short");
}

static void
test_jpeg_bad_structure_is_corrupt(void **state)
{
	struct bytes b;

	(void)state;
	/* A byte that is not a marker where one must be. */
	jpeg_make(&b, 600, 800);
	b.d[20] = 0x12;
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: expected a marker at offset 20, found 12");
	b.d[2] = 0x00;
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: expected a marker at offset 2, found 00");

	jpeg_make(&b, 600, 800);
	b.d[21] = 0x00;
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: invalid marker FF 00 at offset 20");
	b.d[21] = 0xd8;
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: second start-of-image marker at offset 20");

	/* A scan or an end before any frame header. */
	b.n = 0;
	put16(&b, 0xffd8);
	jpeg_sos(&b);
	jpeg_sof(&b, 0xc0, 600, 800);
	put16(&b, 0xffd9);
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: scan (SOS) at offset 2 before the frame header "
	    "(SOF)");
	b.n = 0;
	put16(&b, 0xffd8);
	put16(&b, 0xffd9);
	refused(b.d, b.n, SNIFF_JPEG,
	    "JPEG corrupt: no frame header (SOF) before the end-of-image "
	    "marker");
}

static void
test_jpeg_garbage_after_soi_ends_cleanly(void **state)
{
	struct sniff_result r;
	uint8_t buf[4096];
	size_t i;

	(void)state;
	/* All FF: fill bytes up to the end. */
	memset(buf, 0xff, sizeof buf);
	buf[1] = 0xd8;
	refused(buf, sizeof buf, SNIFF_JPEG,
	    "JPEG truncated: the data ends before the frame header (SOF)");
	/* Segments of length 2 one after the other. */
	for (i = 2; i + 4 <= sizeof buf; i += 4)
		memcpy(buf + i, "\xff\xe1\x00\x02", 4);
	refused(buf, sizeof buf, SNIFF_JPEG,
	    "JPEG truncated: the data ends before the frame header (SOF)");
	/* A pseudo-random walk never loops and never reads out of bounds. */
	srandom(7);
	for (i = 2; i < sizeof buf; i++)
		buf[i] = (uint8_t)random();
	assert_int_equal(sniff_buffer(buf, sizeof buf, &r), -1);
}

/* --- PNG --- */

static void
test_png_gives_the_ihdr_size(void **state)
{
	struct sniff_result r;
	struct bytes b;

	(void)state;
	png_make(&b, 600, 800);
	accepted_image(b.d, b.n, SNIFF_PNG, 600, 800);
	assert_int_equal(sniff_png(b.d, b.n, &r), 0);
	png_make(&b, 1, 1);
	accepted_image(b.d, b.n, SNIFF_PNG, 1, 1);
	png_make(&b, INT32_MAX, INT32_MAX);
	accepted_image(b.d, b.n, SNIFF_PNG, INT32_MAX, INT32_MAX);
	/* Data after IEND is ignored. */
	png_make(&b, 800, 600);
	put(&b, "PK\3\4", 4);
	accepted_image(b.d, b.n, SNIFF_PNG, 800, 600);
}

static void
test_png_every_valid_depth_and_colour_type(void **state)
{
	static const struct {
		uint8_t colour;
		uint8_t depth;
		int ok;
	} cases[] = {
		{ 0, 1, 1 },
		{ 0, 2, 1 },
		{ 0, 4, 1 },
		{ 0, 8, 1 },
		{ 0, 16, 1 },
		{ 0, 3, 0 },
		{ 0, 0, 0 },
		{ 0, 32, 0 },
		{ 2, 8, 1 },
		{ 2, 16, 1 },
		{ 2, 4, 0 },
		{ 3, 1, 1 },
		{ 3, 8, 1 },
		{ 3, 16, 0 },
		{ 4, 8, 1 },
		{ 4, 16, 1 },
		{ 4, 1, 0 },
		{ 6, 8, 1 },
		{ 6, 16, 1 },
		{ 6, 2, 0 },
	};
	struct sniff_result r;
	struct bytes b;
	char want[SNIFF_WHY_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		png_ihdr(&b, 700, 900, cases[i].depth, cases[i].colour, 1);
		png_iend(&b);
		if (cases[i].ok) {
			assert_int_equal(sniff_buffer(b.d, b.n, &r), 0);
			assert_int_equal(r.height, 900);
			continue;
		}
		snprintf(want, sizeof want,
		    "PNG corrupt: IHDR bit depth %u is invalid for colour "
		    "type %u",
		    cases[i].depth, cases[i].colour);
		refused(b.d, b.n, SNIFF_PNG, want);
	}
	png_ihdr(&b, 700, 900, 8, 5, 0);
	png_iend(&b);
	refused(
	    b.d, b.n, SNIFF_PNG, "PNG corrupt: IHDR colour type 5 is unknown");
	png_ihdr(&b, 700, 900, 8, 2, 2);
	png_iend(&b);
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG corrupt: IHDR compression, filter or interlace method is "
	    "unknown");
}

static void
test_png_ihdr_crc_mismatch_is_corrupt(void **state)
{
	struct bytes b;

	(void)state;
	png_make(&b, 600, 800);
	b.d[32] ^= 1; /* the CRC itself */
	refused(b.d, b.n, SNIFF_PNG, "PNG corrupt: IHDR CRC mismatch");
	png_make(&b, 600, 800);
	b.d[19] ^= 0x40; /* the width, CRC left as it was */
	refused(b.d, b.n, SNIFF_PNG, "PNG corrupt: IHDR CRC mismatch");
}

static void
test_png_zero_or_huge_size_is_corrupt(void **state)
{
	struct bytes b;

	(void)state;
	png_make(&b, 0, 800);
	refused(
	    b.d, b.n, SNIFF_PNG, "PNG corrupt: IHDR gives a zero size (0×800)");
	png_make(&b, 600, 0);
	refused(
	    b.d, b.n, SNIFF_PNG, "PNG corrupt: IHDR gives a zero size (600×0)");
	png_make(&b, UINT32_C(2147483648), 800);
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG corrupt: IHDR size 2147483648×800 is out of range");
	png_make(&b, 600, UINT32_MAX);
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG corrupt: IHDR size 600×4294967295 is out of range");
}

static void
test_png_ihdr_must_come_first_with_length_13(void **state)
{
	struct bytes b;

	(void)state;
	b.n = 0;
	put(&b, "\x89PNG\r\n\x1a\n", 8);
	png_chunk(&b, "IDAT", "xx", 2);
	png_iend(&b);
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG corrupt: the first chunk is IDAT, not IHDR");
	b.d[12] = 0;
	refused(
	    b.d, b.n, SNIFF_PNG, "PNG corrupt: the first chunk is not IHDR");

	png_make(&b, 600, 800);
	b.d[11] = 14;
	refused(b.d, b.n, SNIFF_PNG, "PNG corrupt: IHDR length is 14, not 13");
	b.d[8] = 0xff;
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG corrupt: IHDR length is 4278190094, not 13");

	/* A second IHDR later. */
	png_make(&b, 600, 800);
	b.n -= 12;
	png_chunk(&b, "IHDR", b.d + 16, 13);
	png_iend(&b);
	refused(
	    b.d, b.n, SNIFF_PNG, "PNG corrupt: second IHDR chunk at offset 75");
}

static void
test_png_truncated_anywhere_is_refused(void **state)
{
	struct sniff_result r;
	struct bytes b;
	size_t cut;

	(void)state;
	png_make(&b, 600, 800);
	refused(b.d, 4, SNIFF_PNG, "PNG truncated: incomplete signature");
	refused(b.d, 7, SNIFF_PNG, "PNG truncated: incomplete signature");
	refused(b.d, 8, SNIFF_PNG, "PNG truncated: no IHDR chunk");
	refused(b.d, 15, SNIFF_PNG, "PNG truncated: no IHDR chunk");
	refused(b.d, 16, SNIFF_PNG, "PNG truncated: incomplete IHDR chunk");
	refused(b.d, 32, SNIFF_PNG, "PNG truncated: incomplete IHDR chunk");
	refused(b.d, 33, SNIFF_PNG, "PNG truncated: no IEND chunk");
	refused(b.d, 44, SNIFF_PNG, "PNG truncated: no IEND chunk");
	refused(b.d, 45, SNIFF_PNG,
	    "PNG truncated: chunk tEXt at offset 33 runs past the end of the "
	    "data");
	refused(b.d, b.n - 12, SNIFF_PNG, "PNG truncated: no IEND chunk");
	refused(b.d, b.n - 1, SNIFF_PNG, "PNG truncated: no IEND chunk");
	for (cut = 0; cut < b.n; cut++) {
		assert_int_equal(sniff_buffer(b.d, cut, &r), -1);
		assert_int_equal(r.width, 0);
		assert_int_equal(r.height, 0);
	}
}

static void
test_png_chunk_lengths_are_bounded(void **state)
{
	struct bytes b;

	(void)state;
	png_make(&b, 600, 800);
	b.d[33] = 0x7f; /* tEXt length 0x7f000008 */
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG truncated: chunk tEXt at offset 33 runs past the end of the "
	    "data");
	b.d[33] = 0x80;
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG corrupt: chunk tEXt at offset 33 has length 2147483656");
	b.d[33] = 0xff;
	b.d[34] = 0xff;
	b.d[35] = 0xff;
	b.d[36] = 0xff;
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG corrupt: chunk tEXt at offset 33 has length 4294967295");
	png_make(&b, 600, 800);
	b.d[37] = '?';
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG corrupt: invalid chunk type at offset 33");
}

static void
test_png_critical_chunk_crc_is_checked_ancillary_is_not(void **state)
{
	struct bytes b;

	(void)state;
	png_make(&b, 600, 800);
	b.d[33 + 8] ^= 1; /* tEXt data: ancillary, ignored */
	accepted_image(b.d, b.n, SNIFF_PNG, 600, 800);
	png_make(&b, 600, 800);
	b.d[53 + 8] ^= 1; /* IDAT data */
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG corrupt: CRC mismatch in chunk IDAT at offset 53");
	png_make(&b, 600, 800);
	b.d[b.n - 1] ^= 1; /* IEND's CRC */
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG corrupt: CRC mismatch in chunk IEND at offset 75");
}

static void
test_png_without_iend_or_with_data_in_it_is_refused(void **state)
{
	struct bytes b;

	(void)state;
	png_ihdr(&b, 600, 800, 8, 6, 0);
	refused(b.d, b.n, SNIFF_PNG, "PNG truncated: no IEND chunk");
	png_chunk(&b, "IDAT", "x", 1);
	refused(b.d, b.n, SNIFF_PNG, "PNG truncated: no IEND chunk");
	png_chunk(&b, "IEND", "x", 1);
	refused(b.d, b.n, SNIFF_PNG, "PNG corrupt: IEND chunk is not empty");
}

static void
test_png_signature_damaged_by_text_transfer(void **state)
{
	struct bytes b;

	(void)state;
	png_make(&b, 600, 800);
	/* CR LF made LF: the signature loses a byte. */
	memmove(b.d + 4, b.d + 5, b.n - 5);
	b.n--;
	refused(b.d, b.n, SNIFF_PNG,
	    "PNG corrupt: damaged signature (was the file transferred as "
	    "text?)");
}

/* --- other formats and nothing at all --- */

static void
test_other_formats_are_named(void **state)
{
	static const uint8_t zip[] = { 'P', 'K', 3, 4, 20, 0, 0, 0 };
	static const uint8_t heic[] = { 0, 0, 0, 24, 'f', 't', 'y', 'p', 'h',
		'e', 'i', 'c', 0, 0 };
	static const uint8_t ole[] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a,
		0xe1 };

	(void)state;
	refused(zip, sizeof zip, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with 50 4B 03 04: a ZIP file?)");
	refused("GIF89a\1\0\1\0", 10, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with 47 49 46 38: a GIF image?)");
	refused(heic, sizeof heic, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with 00 00 00 18: a HEIC "
	    "image?)");
	refused("RIFF\0\0\0\0WEBPVP8 ", 16, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with 52 49 46 46: a WebP "
	    "image?)");
	refused(ole, sizeof ole, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with D0 CF 11 E0: an old Office "
	    "document?)");
	refused("<!DOCTYPE html><html>", 21, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with 3C 21 44 4F: an HTML "
	    "page?)");
	refused("\0\0\1\0\1\0", 6, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with 00 00 01 00: a Windows "
	    "icon?)");
	refused("\0\1\2\3\4", 5, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with 00 01 02 03)");
}

static void
test_empty_and_tiny_inputs_are_refused(void **state)
{
	(void)state;
	refused("", 0, SNIFF_UNKNOWN, "empty file");
	refused(NULL, 0, SNIFF_UNKNOWN, "empty file");
	refused("\xff", 1, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with FF)");
	refused(
	    "A", 1, SNIFF_UNKNOWN, "not a PDF, JPEG or PNG (starts with 41)");
	refused("\x89PN", 3, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with 89 50 4E)");
	refused("\xff\xd8", 2, SNIFF_JPEG,
	    "JPEG truncated: the data ends before the frame header (SOF)");
	refused("%PDF", 4, SNIFF_UNKNOWN,
	    "not a PDF, JPEG or PNG (starts with 25 50 44 46)");
}

static void
test_each_sniffer_refuses_the_other_formats(void **state)
{
	struct bytes pdf, jpeg, png;

	(void)state;
	pdf_make(&pdf, "1.4");
	jpeg_make(&jpeg, 600, 800);
	png_make(&png, 600, 800);
	refused_by(sniff_pdf, jpeg.d, jpeg.n, SNIFF_UNKNOWN,
	    "not a PDF (no %PDF- header in the first 1024 bytes)");
	refused_by(sniff_pdf, NULL, 0, SNIFF_UNKNOWN,
	    "not a PDF (no %PDF- header in the first 1024 bytes)");
	refused_by(sniff_jpeg, png.d, png.n, SNIFF_UNKNOWN,
	    "not a JPEG (no start-of-image marker FF D8)");
	refused_by(sniff_jpeg, "\xff", 1, SNIFF_UNKNOWN,
	    "not a JPEG (no start-of-image marker FF D8)");
	refused_by(sniff_png, pdf.d, pdf.n, SNIFF_UNKNOWN,
	    "not a PNG (no PNG signature)");
	refused_by(
	    sniff_png, NULL, 0, SNIFF_UNKNOWN, "not a PNG (no PNG signature)");
}

static void
test_format_names_and_extensions(void **state)
{
	(void)state;
	assert_string_equal(sniff_format_name(SNIFF_PDF), "pdf");
	assert_string_equal(sniff_format_name(SNIFF_JPEG), "jpeg");
	assert_string_equal(sniff_format_name(SNIFF_PNG), "png");
	assert_string_equal(sniff_format_name(SNIFF_UNKNOWN), "unknown");
	assert_string_equal(
	    sniff_format_name((enum sniff_format)42), "unknown");
	assert_string_equal(sniff_format_extension(SNIFF_PDF), "pdf");
	assert_string_equal(sniff_format_extension(SNIFF_JPEG), "jpg");
	assert_string_equal(sniff_format_extension(SNIFF_PNG), "png");
	assert_null(sniff_format_extension(SNIFF_UNKNOWN));
	assert_null(sniff_format_extension((enum sniff_format) - 1));
}

/* --- resolution --- */

static void
too_small(uint32_t width, uint32_t height, const char *why)
{
	char buf[SNIFF_WHY_MAX];

	memset(buf, 'x', sizeof buf);
	assert_int_equal(
	    sniff_resolution_check(width, height, SNIFF_MIN_SHORT_DEFAULT,
		SNIFF_MIN_LONG_DEFAULT, buf, sizeof buf),
	    -1);
	assert_string_equal(buf, why);
}

static void
test_resolution_boundaries_in_both_orientations(void **state)
{
	(void)state;
	assert_int_equal(
	    sniff_resolution_check(600, 800, 600, 800, NULL, 0), 0);
	assert_int_equal(
	    sniff_resolution_check(800, 600, 600, 800, NULL, 0), 0);
	assert_int_equal(
	    sniff_resolution_check(601, 801, 600, 800, NULL, 0), 0);
	assert_int_equal(
	    sniff_resolution_check(800, 800, 600, 800, NULL, 0), 0);
	assert_int_equal(
	    sniff_resolution_check(65535, 600, 600, 800, NULL, 0), 0);
	too_small(599, 800, "image is 599×800; at least 600×800 is needed");
	too_small(600, 799, "image is 600×799; at least 600×800 is needed");
	too_small(800, 599, "image is 800×599; at least 800×600 is needed");
	too_small(799, 600, "image is 799×600; at least 800×600 is needed");
	too_small(480, 640, "image is 480×640; at least 600×800 is needed");
	too_small(640, 480, "image is 640×480; at least 800×600 is needed");
	too_small(700, 700, "image is 700×700; at least 600×800 is needed");
	too_small(
	    100000, 599, "image is 100000×599; at least 800×600 is needed");
	too_small(0, 0, "image is 0×0; at least 600×800 is needed");
}

static void
test_resolution_minimums_are_configurable(void **state)
{
	char buf[SNIFF_WHY_MAX];

	(void)state;
	assert_int_equal(
	    sniff_resolution_check(1000, 1000, 1000, 1000, NULL, 0), 0);
	assert_int_equal(
	    sniff_resolution_check(999, 1000, 1000, 1000, buf, sizeof buf), -1);
	assert_string_equal(
	    buf, "image is 999×1000; at least 1000×1000 is needed");
	/* Given the wrong way round, the minimums are swapped. */
	assert_int_equal(
	    sniff_resolution_check(600, 800, 800, 600, NULL, 0), 0);
	assert_int_equal(
	    sniff_resolution_check(500, 800, 800, 600, buf, sizeof buf), -1);
	assert_string_equal(
	    buf, "image is 500×800; at least 600×800 is needed");
	/* A short buffer is cut, not overrun. */
	memset(buf, 'x', sizeof buf);
	assert_int_equal(sniff_resolution_check(1, 1, 600, 800, buf, 9), -1);
	assert_string_equal(buf, "image is");
	assert_int_equal(buf[9], 'x');
	assert_int_equal(sniff_resolution_check(0, 0, 0, 0, NULL, 0), 0);
}

/* --- file names --- */

static void
name_ok(const char *name, const char *id, const char *type,
    const char *description, const char *ext)
{
	struct sniff_name n;
	char why[SNIFF_WHY_MAX] = "untouched";

	memset(&n, 0xa5, sizeof n);
	assert_int_equal(sniff_name_parse(name, vault_types,
			     nitems(vault_types), &n, why, sizeof why),
	    0);
	assert_string_equal(why, "untouched");
	assert_string_equal(n.product_id, id);
	assert_string_equal(n.type, type);
	assert_string_equal(n.description, description);
	assert_string_equal(n.extension, ext);
	assert_int_equal(
	    n.format, strcmp(ext, "pdf") == 0 ? SNIFF_PDF : SNIFF_JPEG);
}

static void
name_bad(const char *name, const char *why)
{
	struct sniff_name n;
	char buf[SNIFF_WHY_MAX];

	memset(buf, 'x', sizeof buf);
	assert_int_equal(sniff_name_parse(name, vault_types,
			     nitems(vault_types), &n, buf, sizeof buf),
	    -1);
	assert_string_equal(buf, why);
	assert_int_equal(sniff_name_parse(name, NULL, 0, NULL, NULL, 0), -1);
}

static void
test_name_convention_is_parsed(void **state)
{
	(void)state;
	name_ok("AE1005001234567890_CE_Certificate.pdf", "1005001234567890",
	    "ce", "Certificate", "pdf");
	name_ok("/srv/docs/AE1005001234567890_CE_Certificate.pdf",
	    "1005001234567890", "ce", "Certificate", "pdf");
	name_ok("ae32812345678_fcc_Grant 2024.JPG", "32812345678", "fcc",
	    "Grant 2024", "jpg");
	name_ok("AE1_TEST-REPORT_SGS_EN71.jpg", "1", "test_report", "SGS_EN71",
	    "jpg");
	name_ok("AE1_Test_Report_SGS.Pdf", "1", "test_report", "SGS", "pdf");
	name_ok("AE1_BRAND_AUTHORIZATION_Owner_to_us.pdf", "1",
	    "brand_authorization", "Owner_to_us", "pdf");
	name_ok("AE1_BRAND_Logo.pdf", "1", "brand", "Logo", "pdf");
	name_ok("AE1_CE_a.b.c.pdf", "1", "ce", "a.b.c", "pdf");
	name_ok("AE1_X9_x.pdf", "1", "x9", "x", "pdf");
	name_ok("AE12345678901234567890_CE_x.pdf", "12345678901234567890", "ce",
	    "x", "pdf");
}

static void
test_name_types_without_a_list_end_at_underscore(void **state)
{
	struct sniff_name n;

	(void)state;
	assert_int_equal(
	    sniff_name_parse("AE1_TEST_REPORT_SGS.pdf", NULL, 0, &n, NULL, 0),
	    0);
	assert_string_equal(n.type, "test");
	assert_string_equal(n.description, "REPORT_SGS");
	assert_int_equal(
	    sniff_name_parse("AE1_TEST-REPORT_SGS.pdf", NULL, 0, &n, NULL, 0),
	    0);
	assert_string_equal(n.type, "test_report");
	assert_string_equal(n.description, "SGS");
	/* An unknown type is not refused: the caller checks it. */
	assert_int_equal(sniff_name_parse("AE1_WARRANTY_x.pdf", vault_types,
			     nitems(vault_types), &n, NULL, 0),
	    0);
	assert_string_equal(n.type, "warranty");
}

static void
test_name_type_list_entries_are_compared_loosely(void **state)
{
	static const char *const types[] = { NULL,
		"a_type_name_far_longer_than_thirty_two", "Test-Report" };
	struct sniff_name n;

	(void)state;
	assert_int_equal(sniff_name_parse("AE1_test_REPORT_x.jpg", types,
			     nitems(types), &n, NULL, 0),
	    0);
	assert_string_equal(n.type, "test_report");
	assert_string_equal(n.description, "x");
	assert_int_equal(
	    sniff_name_parse("AE1_a_type_name_far_longer_than_thirty_two_x.jpg",
		types, nitems(types), &n, NULL, 0),
	    0);
	assert_string_equal(n.type, "a");
}

static void
test_name_off_convention_is_refused(void **state)
{
	char longname[400];
	char longid[40];
	char longtype[60];

	(void)state;
	name_bad(
	    "1.jpg", "file name does not start with AE and the product id");
	name_bad("", "file name does not start with AE and the product id");
	name_bad("AE_CE_x.pdf",
	    "file name does not start with AE and the product id");
	name_bad("XE1_CE_x.pdf",
	    "file name does not start with AE and the product id");
	name_bad("AE123CE_x.pdf", "file name has no _ after the product id");
	name_bad("AE123", "file name has no _ after the product id");
	name_bad("AE123__x.pdf",
	    "file name has no document type after the product id");
	name_bad("AE123_CE.pdf",
	    "file name has no description after the document type");
	name_bad("AE123_CE_.pdf",
	    "file name has no description after the document type");
	name_bad("AE123_CE_x.png", "file name does not end in .pdf or .jpg");
	name_bad("AE123_CE_x.jpeg", "file name does not end in .pdf or .jpg");
	name_bad(
	    "AE123_CE_x.pdf.exe", "file name does not end in .pdf or .jpg");
	name_bad("AE123_CE_x", "file name has no extension (.pdf or .jpg)");
	name_bad("AE123_CE", "file name has no extension (.pdf or .jpg)");
	name_bad("AE123_C E_x.pdf",
	    "document type in the file name has a character other than A-Z, "
	    "0-9 and -");
	name_bad("AE123_CE/x.pdf",
	    "file name does not start with AE and the product id");

	snprintf(
	    longid, sizeof longid, "AE%s_CE_x.pdf", "123456789012345678901");
	name_bad(
	    longid, "product id in the file name is longer than 20 digits");
	memset(longtype, 'T', sizeof longtype);
	memcpy(longtype, "AE1_", 4);
	memcpy(longtype + 4 + 33, "_x.pdf", 7);
	name_bad(longtype,
	    "document type in the file name is longer than 32 characters");
	memset(longname, 'x', sizeof longname);
	memcpy(longname, "AE1_CE_", 7);
	memcpy(longname + 252, ".pdf", 5); /* 256 bytes */
	name_bad(longname, "file name is longer than 255 bytes");
	memcpy(longname + 251, ".pdf", 5); /* 255 bytes */
	assert_int_equal(sniff_name_parse(longname, NULL, 0, NULL, NULL, 0), 0);
	assert_int_equal(sniff_name_parse(NULL, NULL, 0, NULL, NULL, 0), -1);
}

static void
build_ok(const char *id, const char *type, const char *description,
    enum sniff_format format, const char *want)
{
	char buf[SNIFF_NAME_MAX], why[SNIFF_WHY_MAX] = "untouched";
	struct sniff_name n;

	assert_int_equal(sniff_name_build(id, type, description, format, buf,
			     sizeof buf, why, sizeof why),
	    (int)strlen(want));
	assert_string_equal(buf, want);
	assert_string_equal(why, "untouched");
	/* What is built parses back, even without a type list. */
	assert_int_equal(sniff_name_parse(buf, NULL, 0, &n, NULL, 0), 0);
	assert_string_equal(n.product_id, id);
	assert_int_equal(n.format, format);
}

static void
build_bad(const char *id, const char *type, const char *description,
    enum sniff_format format, const char *why)
{
	char buf[SNIFF_NAME_MAX], got[SNIFF_WHY_MAX];

	memset(buf, 'x', sizeof buf);
	assert_int_equal(sniff_name_build(id, type, description, format, buf,
			     sizeof buf, got, sizeof got),
	    -1);
	assert_string_equal(got, why);
	assert_string_equal(buf, "");
}

static void
test_name_is_built_and_sanitised(void **state)
{
	char longdesc[300];
	char want[SNIFF_NAME_MAX];
	struct sniff_name n;
	char buf[SNIFF_NAME_MAX];

	(void)state;
	build_ok("1005001234567890", "ce", "Certificate", SNIFF_PDF,
	    "AE1005001234567890_CE_Certificate.pdf");
	build_ok("1005001234567890", "test_report", "SGS EN71", SNIFF_JPEG,
	    "AE1005001234567890_TEST-REPORT_SGS_EN71.jpg");
	build_ok("1", "CE", "CE 证书 (2024).pdf", SNIFF_PDF,
	    "AE1_CE_CE_2024_pdf.pdf");
	build_ok("1", "ce", "--a__b  c--", SNIFF_PDF, "AE1_CE_a_b_c.pdf");
	build_ok("1", "ce", "_-x-_", SNIFF_PDF, "AE1_CE_x.pdf");
	build_ok("1", "ce", "", SNIFF_PDF, "AE1_CE_Document.pdf");
	build_ok("1", "ce", NULL, SNIFF_PDF, "AE1_CE_Document.pdf");
	build_ok("1", "ce", "证书", SNIFF_PDF, "AE1_CE_Document.pdf");
	build_ok(
	    "1", "ce", "../../etc/passwd", SNIFF_PDF, "AE1_CE_etc_passwd.pdf");

	/* The type comes back as it was given. */
	assert_true(sniff_name_build("7", "brand_authorization", "chain",
			SNIFF_PDF, buf, sizeof buf, NULL, 0) > 0);
	assert_string_equal(buf, "AE7_BRAND-AUTHORIZATION_chain.pdf");
	assert_int_equal(sniff_name_parse(buf, NULL, 0, &n, NULL, 0), 0);
	assert_string_equal(n.type, "brand_authorization");
	assert_string_equal(n.description, "chain");

	/* Long descriptions are cut. */
	memset(longdesc, 'd', sizeof longdesc - 1);
	longdesc[sizeof longdesc - 1] = '\0';
	snprintf(want, sizeof want, "AE1_CE_%.*s.pdf", SNIFF_DESCRIPTION_MAX,
	    longdesc);
	build_ok("1", "ce", longdesc, SNIFF_PDF, want);
	longdesc[SNIFF_DESCRIPTION_MAX - 1] = ' ';
	snprintf(want, sizeof want, "AE1_CE_%.*s.pdf",
	    SNIFF_DESCRIPTION_MAX - 1, longdesc);
	build_ok("1", "ce", longdesc, SNIFF_PDF, want);
}

static void
test_name_build_refuses_bad_parts(void **state)
{
	char buf[8];

	(void)state;
	build_bad(
	    "", "ce", "x", SNIFF_PDF, "product id must be 1 to 20 digits");
	build_bad(
	    NULL, "ce", "x", SNIFF_PDF, "product id must be 1 to 20 digits");
	build_bad(
	    "12a", "ce", "x", SNIFF_PDF, "product id must be 1 to 20 digits");
	build_bad("123456789012345678901", "ce", "x", SNIFF_PDF,
	    "product id must be 1 to 20 digits");
	build_bad("1", "", "x", SNIFF_PDF,
	    "document type must be 1 to 32 letters, digits or _");
	build_bad("1", "c-e", "x", SNIFF_PDF,
	    "document type must be 1 to 32 letters, digits or _");
	build_bad(
	    "1", "ce", "x", SNIFF_PNG, "documents must be PDF or JPG, not PNG");
	build_bad("1", "ce", "x", SNIFF_UNKNOWN,
	    "documents must be PDF or JPG, not an unknown format");
	assert_int_equal(sniff_name_build("1", "ce", "xxxxxx", SNIFF_PDF, buf,
			     sizeof buf, NULL, 0),
	    -1);
	assert_string_equal(buf, "");
	assert_int_equal(
	    sniff_name_build("1", "ce", "x", SNIFF_PDF, NULL, 0, NULL, 0), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_minimal_is_accepted_with_its_version),
		cmocka_unit_test(
		    test_pdf_header_may_follow_junk_within_1024_bytes),
		cmocka_unit_test(test_pdf_without_eof_marker_is_truncated),
		cmocka_unit_test(
		    test_pdf_eof_marker_must_be_in_the_last_1024_bytes),
		cmocka_unit_test(test_pdf_header_without_version_is_corrupt),
		cmocka_unit_test(test_pdf_eof_inside_the_header_does_not_count),
		cmocka_unit_test(test_jpeg_gives_the_frame_size),
		cmocka_unit_test(test_jpeg_minimal_soi_sof_eoi_is_accepted),
		cmocka_unit_test(
		    test_jpeg_every_sof_but_dht_jpg_dac_gives_the_size),
		cmocka_unit_test(
		    test_jpeg_dht_before_sof_is_not_mistaken_for_it),
		cmocka_unit_test(test_jpeg_exif_thumbnail_does_not_count),
		cmocka_unit_test(
		    test_jpeg_fill_bytes_and_trailing_data_are_allowed),
		cmocka_unit_test(test_jpeg_without_eoi_is_truncated),
		cmocka_unit_test(test_jpeg_cut_at_every_byte_is_refused),
		cmocka_unit_test(
		    test_jpeg_segment_length_past_the_end_is_truncated),
		cmocka_unit_test(
		    test_jpeg_zero_or_short_frame_header_is_corrupt),
		cmocka_unit_test(test_jpeg_bad_structure_is_corrupt),
		cmocka_unit_test(test_jpeg_garbage_after_soi_ends_cleanly),
		cmocka_unit_test(test_png_gives_the_ihdr_size),
		cmocka_unit_test(test_png_every_valid_depth_and_colour_type),
		cmocka_unit_test(test_png_ihdr_crc_mismatch_is_corrupt),
		cmocka_unit_test(test_png_zero_or_huge_size_is_corrupt),
		cmocka_unit_test(test_png_ihdr_must_come_first_with_length_13),
		cmocka_unit_test(test_png_truncated_anywhere_is_refused),
		cmocka_unit_test(test_png_chunk_lengths_are_bounded),
		cmocka_unit_test(
		    test_png_critical_chunk_crc_is_checked_ancillary_is_not),
		cmocka_unit_test(
		    test_png_without_iend_or_with_data_in_it_is_refused),
		cmocka_unit_test(test_png_signature_damaged_by_text_transfer),
		cmocka_unit_test(test_other_formats_are_named),
		cmocka_unit_test(test_empty_and_tiny_inputs_are_refused),
		cmocka_unit_test(test_each_sniffer_refuses_the_other_formats),
		cmocka_unit_test(test_format_names_and_extensions),
		cmocka_unit_test(
		    test_resolution_boundaries_in_both_orientations),
		cmocka_unit_test(test_resolution_minimums_are_configurable),
		cmocka_unit_test(test_name_convention_is_parsed),
		cmocka_unit_test(
		    test_name_types_without_a_list_end_at_underscore),
		cmocka_unit_test(
		    test_name_type_list_entries_are_compared_loosely),
		cmocka_unit_test(test_name_off_convention_is_refused),
		cmocka_unit_test(test_name_is_built_and_sanitised),
		cmocka_unit_test(test_name_build_refuses_bad_parts),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

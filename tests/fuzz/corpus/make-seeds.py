#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# make-seeds.py: writes the seed corpus of the sniffer fuzzers (pdf/, jpeg/,
# png/ beside this file). Run it from anywhere; it rewrites the same bytes.
#
# Every seed is a small well-formed file built byte by byte: PDFs with a
# correct xref; JPEGs with one-symbol Huffman tables (baseline grey and
# colour, restart markers, progressive, an Exif segment holding a thumbnail,
# data after EOI) that libjpeg decodes; PNGs compressed with zlib (RGB,
# 1-bit palette, 16-bit grey Adam7, RGBA split over two IDATs with tEXt).
# Kept tiny so that fuzzers start from structure, not bulk. Not run by the
# build: the files are in the tree.

import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def write(sub, name, data):
    os.makedirs(os.path.join(HERE, sub), exist_ok=True)
    with open(os.path.join(HERE, sub, name), "wb") as f:
        f.write(data)


# --- PDF ---

def pdf(version, objects, prefix=b""):
    out = bytearray(prefix + b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out) - len(prefix))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out) - len(prefix)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


PAGES = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]

write("pdf", "minimal-1.4.pdf", pdf(b"1.4", PAGES))
write("pdf", "version-2.0.pdf", pdf(b"2.0", PAGES))
write("pdf", "preamble.pdf", pdf(b"1.7", PAGES, prefix=b"MIME preamble\r\n"))
# An incremental update: a second body, xref and %%EOF after the first.
base = pdf(b"1.5", PAGES)
update = (b"4 0 obj\n<< /Producer (delistd) >>\nendobj\n"
          b"xref\n4 1\n%010d 00000 n \ntrailer\n<< /Size 5 /Root 1 0 R "
          b"/Info 4 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n")
off4 = len(base)
xref2 = off4 + len(b"4 0 obj\n<< /Producer (delistd) >>\nendobj\n")
prev = int(base.split(b"startxref\n")[1].split(b"\n")[0])
write("pdf", "incremental.pdf", base + update % (off4, prev, xref2))


# --- JPEG ---

def seg(marker, payload):
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


SOI = b"\xff\xd8"
EOI = b"\xff\xd9"
APP0 = seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
COM = seg(0xFE, b"delistd seed")
DQT = seg(0xDB, b"\x00" + b"\x01" * 64)
# One symbol each, code "0": DC difference category 0, AC end-of-block.
DHT_DC = seg(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00")
DHT_AC = seg(0xC4, b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00")


def sof(marker, width, height, ncomp):
    comps = b"".join(struct.pack(">BBB", i + 1, 0x11, 0) for i in range(ncomp))
    return seg(marker, struct.pack(">BHHB", 8, height, width, ncomp) + comps)


def sos(ncomp, ss, se):
    comps = b"".join(struct.pack(">BB", i + 1, 0x00) for i in range(ncomp))
    return seg(0xDA, bytes([ncomp]) + comps + bytes([ss, se, 0]))


def bits(n):
    """n zero bits (DC 0 then EOB per block), padded with ones."""
    nbytes = (n + 7) // 8
    value = (1 << (nbytes * 8 - n)) - 1
    return value.to_bytes(nbytes, "big") if nbytes else b""


grey = (SOI + APP0 + COM + DQT + sof(0xC0, 8, 8, 1) + DHT_DC + DHT_AC +
        sos(1, 0, 63) + bits(2) + EOI)
write("jpeg", "baseline-grey.jpg", grey)

# 16x8, three components at 1x1: two MCUs of three blocks each.
colour_head = SOI + APP0 + DQT + sof(0xC0, 16, 8, 3) + DHT_DC + DHT_AC
write("jpeg", "baseline-colour.jpg",
      colour_head + sos(3, 0, 63) + bits(12) + EOI)
write("jpeg", "restart.jpg",
      colour_head + seg(0xDD, b"\x00\x01") + sos(3, 0, 63) + bits(6) +
      b"\xff\xd0" + bits(6) + EOI)

# Progressive: a DC scan, then an AC scan.
write("jpeg", "progressive.jpg",
      SOI + APP0 + DQT + sof(0xC2, 8, 8, 1) + DHT_DC + sos(1, 0, 0) +
      bits(1) + DHT_AC + sos(1, 1, 63) + bits(1) + EOI)

# An Exif segment holding a whole thumbnail JPEG (with its own EOI).
exif = seg(0xE1, b"Exif\x00\x00II*\x00\x08\x00\x00\x00" + grey)
write("jpeg", "exif-thumbnail.jpg",
      SOI + exif + DQT + sof(0xC0, 16, 8, 1) + DHT_DC + DHT_AC +
      sos(1, 0, 63) + bits(4) + EOI)

# Fill bytes before a marker and data after EOI.
write("jpeg", "trailing.jpg",
      SOI + b"\xff\xff" + DQT + sof(0xC1, 8, 8, 1) + DHT_DC + DHT_AC +
      sos(1, 0, 63) + bits(2) + EOI + b"\x00" * 8)


# --- PNG ---

def chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png(width, height, depth, colour, interlace, rows, extra=b"", split=False):
    head = b"\x89PNG\r\n\x1a\n" + chunk(
        b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0,
                             interlace))
    z = zlib.compress(rows, 9)
    if split:
        idat = chunk(b"IDAT", z[:len(z) // 2]) + chunk(b"IDAT", z[len(z) // 2:])
    else:
        idat = chunk(b"IDAT", z)
    return head + extra + idat + chunk(b"IEND", b"")


# 8x8 RGB, red: each row a filter byte and 8 pixels.
write("png", "rgb.png",
      png(8, 8, 8, 2, 0, (b"\x00" + b"\xff\x00\x00" * 8) * 8))
# 8x8 1-bit palette, stripes.
write("png", "palette.png",
      png(8, 8, 1, 3, 0, b"".join(b"\x00" + bytes([0xAA if y % 2 else 0x55])
                                  for y in range(8)),
          extra=chunk(b"PLTE", b"\x00\x00\x00\xff\xff\xff") +
          chunk(b"tRNS", b"\x00")))


def adam7_grey16(width, height):
    """Raw Adam7 passes of a 16-bit grey ramp, filter 0 on each row."""
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
              (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    out = bytearray()
    for x0, y0, dx, dy in passes:
        xs = range(x0, width, dx)
        if not xs:
            continue
        for y in range(y0, height, dy):
            out += b"\x00" + b"".join(struct.pack(">H", (x + y) * 1000)
                                      for x in xs)
    return bytes(out)


write("png", "grey16-adam7.png", png(9, 7, 16, 0, 1, adam7_grey16(9, 7)))
write("png", "rgba-text.png",
      png(4, 4, 8, 6, 0, (b"\x00" + b"\x00\x00\xff\x80" * 4) * 4,
          extra=chunk(b"tEXt", b"Comment\x00delistd seed") +
          chunk(b"pHYs", struct.pack(">IIB", 2835, 2835, 1)),
          split=True))

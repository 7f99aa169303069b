/* SPDX-License-Identifier: ISC */
/*
 * csv.h: one line of a CSV file (csv.c), as delistctl import sends it.
 *
 * Pure: no allocation, no I/O. Fields are separated by commas; a field may
 * be quoted ("a, ""b""") as in RFC 4180, but a line never spans lines here.
 */

#ifndef CSV_H
#define CSV_H

#include <stddef.h>

/*
 * Splits line[0..len) (no newline) into at most max fields, unquoted and
 * NUL-terminated in buf (at least len + 1 bytes), pointed to by fields.
 * Returns the number of fields (an empty line is one empty field), or -1
 * for a broken quote or more than max fields.
 */
int csv_split(
    const char *line, size_t len, char *buf, const char **fields, int max);

/* Bytes of a leading UTF-8 byte order mark (Excel writes one): 3 or 0. */
size_t csv_bom(const char *text, size_t len);

/* The first control character (< 0x20, 0x7f) of s, or NULL. */
const char *csv_control(const char *s);

#endif

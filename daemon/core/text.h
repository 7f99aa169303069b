/* SPDX-License-Identifier: ISC */
/*
 * text.h: UTF-8 text, the one place for it (text.c): validation, decoding,
 * display width, scrubbing, and folding for matching words.
 *
 * Every part of the tree that checks, measures or compares UTF-8 text asks
 * here: the preflight (statements, titles, notes), delistctl (statements it
 * sends, table columns), the API (error messages that quote clients), the
 * mail plugin (header encoding, wrapping, table columns).
 * Folding and widths come from libunistring (u8_check, u8_strwidth,
 * u32_casefold, u32_normalize).
 *
 * Pure: no I/O, no clock, no global state, no logging, never aborts.
 */

#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>
#include <stdint.h>

/* At most this many code points come out of text_fold for one. */
#define TEXT_FOLD_MAX 18

/*
 * Decodes the UTF-8 sequence at s[0..len) (len > 0): returns its length
 * and sets *cp, or returns 0, sets *cp to U+FFFD and, if why is not NULL,
 * *why to what is wrong: "overlong encoding", "surrogate", "truncated
 * sequence", "unexpected continuation byte", "beyond U+10FFFF", "invalid
 * byte". NUL decodes as U+0000.
 */
size_t
text_decode(const unsigned char *s, size_t len, uint32_t *cp, const char **why);

/*
 * Whether s[0..len) is valid UTF-8 text without a NUL byte. Returns 0, or
 * -1 with *off set to the byte offset of the first bad sequence and *why to
 * what is wrong (as text_decode says, or "NUL byte"). off and why may be
 * NULL.
 */
int text_utf8_check(const char *s, size_t len, size_t *off, const char **why);

/* How many characters of a quoted value messages keep (text_cut). */
#define TEXT_CUT_CHARS 64
/* Room for text_cut's result: the characters, "…" and the NUL. */
#define TEXT_CUT_SIZE (TEXT_CUT_CHARS * 4 + 4)

/*
 * A value to quote in a message: s itself when it has at most
 * TEXT_CUT_CHARS characters, else its first TEXT_CUT_CHARS (never half a
 * character) followed by "…", written to buf (TEXT_CUT_SIZE bytes).
 */
const char *text_cut(const char *s, char buf[TEXT_CUT_SIZE]);

/* Replaces every byte of s that is not part of valid UTF-8 with '?'. */
void text_scrub(char *s);

/*
 * Display width of s in terminal columns: wide (CJK) characters count two,
 * combining marks none, a byte that is not UTF-8 one.
 */
size_t text_width(const char *s);
/* text_width of s[0..len), which need not be NUL-terminated. */
size_t text_width_n(const char *s, size_t len);

/*
 * The length in bytes of the character at p (1 for a byte that is not
 * UTF-8, 0 at the NUL) and its display width in *w.
 */
size_t text_char(const char *p, size_t *w);

/*
 * Folds the code point c for matching: compatibility forms made plain
 * (NFKC: "𝐁" U+1D401 and "ⓑ" U+24D1 give "b" after case folding, "Ｂ"
 * gives "b", "ﬁ" gives "fi"), case folded (Unicode full case folding: "ß"
 * gives "ss"), combining marks stripped ("é" gives "e", a lone U+0301
 * gives nothing). Writes at most TEXT_FOLD_MAX code points to out and
 * returns how many (0: the character folds away). A character that cannot
 * be folded (memory) comes out as itself.
 */
size_t text_fold(uint32_t c, uint32_t out[TEXT_FOLD_MAX]);

/*
 * Writes the n bytes of p as lower-case hex into out (2n + 1 bytes, NUL
 * terminated): how every SHA-256 digest of the tree is written.
 */
void text_hex(const void *p, size_t n, char *out);

/*
 * s cut to at most cols display columns (text_width) for a table: s
 * itself when it fits, else its first characters (never half of one, a
 * wide character that would straddle the edge left out) followed by "…",
 * the whole at most cols columns. Malloc'd; NULL if memory ran out.
 */
char *text_cut_width(const char *s, size_t cols);

/*
 * s[0..len) converted from GB18030 (what Chinese Excel and WPS save, GBK
 * included) to UTF-8 with glibc's iconv: malloc'd and NUL-terminated. NULL
 * if a byte sequence is not GB18030 (or converts to a NUL), with *off the
 * offset of the first bad byte, or if memory ran out (*off 0).
 */
char *text_from_gb18030(const char *s, size_t len, size_t *off);

#endif /* TEXT_H */

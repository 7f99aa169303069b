/* SPDX-License-Identifier: ISC */
/*
 * fingerprint.h: listing fingerprints for the linked-listing and evasion
 * risks (fingerprint.c). Pure.
 */

#ifndef FINGERPRINT_H
#define FINGERPRINT_H

/* Longest image URL taken. */
#define FINGERPRINT_URL_MAX 2048

/*
 * The picture an image URL shows: its host and path, the scheme, user,
 * port, query and fragment dropped (the host ends at the first "/", "?"
 * or "#"), letters lower-cased, runs of "/" in the path made one, and the
 * size variants of the AliExpress CDN reduced to the original. The hosts
 * of the AliExpress image CDN (*.alicdn.com, *.aliexpress-media.com,
 * *.aliimg.com) are one, and a path without a host is theirs: their
 * pictures are named by the path alone, so that all of
 *   https://ae01.alicdn.com/kf/Habc.jpg
 *   https://ae04.alicdn.com/kf/Habc.jpg_640x640.jpg?v=2
 *   //ae-pic-a1.aliexpress-media.com/kf/Habc.jpg_.webp
 *   https://ae01.alicdn.com/kf/Habc_50x50.jpg
 * give "/kf/habc.jpg"; any other host's keep it, as a network-path
 * reference: https://cdn.example.com/kf/Habc.jpg gives
 * "//cdn.example.com/kf/habc.jpg" (a fingerprint is its own fingerprint).
 * A URL is "scheme://host/path", "//host/path" or "/path", at most
 * FINGERPRINT_URL_MAX bytes, with no white space or control character.
 * Returns 0 with *out set (free it), or -1 with *out NULL and *cause set
 * (free it; NULL if memory ran out).
 */
int fingerprint_image_url(const char *url, char **out, char **cause);

/*
 * A title as people compare it: ASCII letters and digits lower-cased,
 * every run of anything else one space (bytes beyond ASCII kept). Free it;
 * NULL if memory ran out.
 */
char *fingerprint_title(const char *);

#endif

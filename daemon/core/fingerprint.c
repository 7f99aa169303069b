/* SPDX-License-Identifier: ISC */
/*
 * fingerprint.c: what makes two listings "the same" for the linked-listing
 * and evasion risks: their image URLs reduced to the picture they show, and
 * their titles reduced to the words people compare.
 *
 * Pure: no I/O, no clock, no global state, never aborts, and it needs
 * nothing but libc (the fuzz target links it alone). It allocates with
 * plain malloc, hands back strings the caller frees, and says when memory
 * ran out instead of dying.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf */
#endif

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core.h"
#include "fingerprint.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static const char *const fp_exts[] = { ".jpg", ".jpeg", ".png", ".webp", ".gif",
	".avif", ".bmp" };

static size_t fp_ext_at(const char *);
static void fp_drop_size(char *);

/* Length of the image extension s starts with, or 0. */
static size_t
fp_ext_at(const char *s)
{
	size_t i, len;

	for (i = 0; i < nitems(fp_exts); i++) {
		len = strlen(fp_exts[i]);
		if (strncasecmp(s, fp_exts[i], len) == 0 &&
		    !isalnum((unsigned char)s[len]))
			return (len);
	}
	return (0);
}

/*
 * "abc_50x50.jpg" -> "abc.jpg", "abc_640x640q90.jpg" -> "abc.jpg": a size
 * suffix just before the last segment's image extension (each of several).
 */
static void
fp_drop_size(char *seg)
{
	char *dot, *us, *p;

	for (;;) {
		dot = strrchr(seg, '.');
		if (dot == NULL || fp_ext_at(dot) == 0 ||
		    (us = strrchr(seg, '_')) == NULL || us > dot)
			return;
		p = us + 1;
		if (!isdigit((unsigned char)*p))
			return;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p != 'x' && *p != 'X')
			return;
		p++;
		if (!isdigit((unsigned char)*p))
			return;
		while (p < dot && isalnum((unsigned char)*p))
			p++;
		if (p != dot)
			return;
		memmove(us, dot, strlen(dot) + 1);
	}
}

/*
 * Whether a host is one of the AliExpress image CDN's (ae01.alicdn.com,
 * ae-pic-a1.aliexpress-media.com, ...): all serve the same pictures, so
 * they are one host for the fingerprint.
 */
static int
fp_ae_host(const char *h, size_t len)
{
	static const char *const family[] = { "alicdn.com",
		"aliexpress-media.com", "aliimg.com" };
	size_t i, n;

	for (i = 0; i < nitems(family); i++) {
		n = strlen(family[i]);
		if (len == n && strncmp(h, family[i], n) == 0)
			return (1);
		if (len > n && h[len - n - 1] == '.' &&
		    strncmp(h + len - n, family[i], n) == 0)
			return (1);
	}
	return (0);
}

/*
 * The host of "//[user@]host[:port]/..." as the fingerprint keeps it, lower
 * case, without user, port or final dots, into *host (*hlen bytes; 0 for the AliExpress CDN,
 * whose pictures are named by their path alone). -1: no host.
 */
static int
fp_host(const char *start, const char *end, char *host, size_t *hlen)
{
	const char *p, *at = NULL, *colon = NULL;
	size_t n, i;

	for (p = start; p < end; p++) {
		if (*p == '@')
			at = p;
	}
	if (at != NULL)
		start = at + 1;
	/* The port: after the first ":", or after "]" of "[v6]". */
	p = start;
	if (*p == '[') {
		while (p < end && *p != ']')
			p++;
	}
	for (; p < end && colon == NULL; p++) {
		if (*p == ':')
			colon = p;
	}
	if (colon != NULL)
		end = colon;
	while (end > start && end[-1] == '.')
		end--;
	if ((n = (size_t)(end - start)) == 0)
		return (-1);
	for (i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)start[i]);
	*hlen = fp_ae_host(host, n) ? 0 : n;
	return (0);
}

int
fingerprint_image_url(const char *url, char **out, char **cause)
{
	const char *p, *end, *q, *h = NULL, *hend = NULL;
	char *fp, *seg, *s, *o, *last;
	size_t len, ext, hlen = 0, pre;

	*out = NULL;
	len = strlen(url);
	if (len == 0 || len > FINGERPRINT_URL_MAX) {
		cause_set(cause, "an image URL must be 1 to %d bytes",
		    FINGERPRINT_URL_MAX);
		return (-1);
	}
	for (p = url; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			cause_set(cause,
			    "an image URL must not hold spaces or "
			    "control characters");
			return (-1);
		}
	}
	/* Scheme and host: "https://host/path", "//host/path", "/path". */
	if ((q = strstr(url, "://")) != NULL && q > url &&
	    strcspn(url, "/?#") > (size_t)(q - url))
		h = q + 3;
	else if (strncmp(url, "//", 2) == 0)
		h = url + 2;
	else if (url[0] != '/') {
		cause_set(cause,
		    "\"%.64s\" is not an image URL (use "
		    "https://host/path, //host/path or /path)",
		    url);
		return (-1);
	}
	/* The host ends at the path, the query or the fragment. */
	if (h != NULL) {
		hend = h + strcspn(h, "/?#");
		p = *hend == '/' ? hend : NULL;
	} else
		p = url;
	if (p == NULL) {
		cause_set(cause, "\"%.64s\" has no path", url);
		return (-1);
	}
	end = p + strcspn(p, "?#");
	/* "//host" before the path, unless it is the AliExpress CDN. */
	if ((fp = malloc((size_t)(end - p) + (size_t)(p - url) + 3)) == NULL) {
		*cause = NULL;
		return (-1);
	}
	if (h != NULL && fp_host(h, hend, fp + 2, &hlen) == -1) {
		cause_set(cause, "\"%.64s\" has no host", url);
		free(fp);
		return (-1);
	}
	pre = hlen > 0 ? hlen + 2 : 0;
	if (pre > 0)
		fp[0] = fp[1] = '/';
	memcpy(fp + pre, p, (size_t)(end - p));
	fp[pre + (size_t)(end - p)] = '\0';
	/* Lower case, and "//" one slash: "/kf//x.jpg" is "/kf/x.jpg". */
	for (s = fp + pre, o = fp + pre; *s != '\0'; s++) {
		if (*s == '/' && o > fp + pre && o[-1] == '/')
			continue;
		*o++ = (char)tolower((unsigned char)*s);
	}
	*o = '\0';
	seg = strrchr(fp + pre, '/') + 1;
	/*
	 * "x.jpg_640x640.jpg", "x.jpg_.webp": the CDN's resized variants,
	 * an image name with more after "_" that ends in an image extension.
	 */
	last = strrchr(seg, '.');
	for (s = seg; last != NULL && fp_ext_at(last) > 0 && s < last; s++) {
		if (*s == '.' && (ext = fp_ext_at(s)) > 0 && s[ext] == '_') {
			s[ext] = '\0';
			break;
		}
	}
	fp_drop_size(seg);
	if (*seg == '\0' || strcmp(fp + pre, "/") == 0) {
		cause_set(cause, "\"%.64s\" names no file", url);
		free(fp);
		return (-1);
	}
	*out = fp;
	return (0);
}

char *
fingerprint_title(const char *t)
{
	char *out, *o;
	const unsigned char *p;
	int gap = 0;

	if ((out = malloc(strlen(t) + 1)) == NULL)
		return (NULL);
	o = out;
	for (p = (const unsigned char *)t; *p != '\0'; p++) {
		if (*p >= 0x80 || isalnum(*p)) {
			if (gap && o != out)
				*o++ = ' ';
			gap = 0;
			*o++ = *p >= 0x80 ? (char)*p : (char)tolower(*p);
		} else
			gap = 1;
	}
	*o = '\0';
	return (out);
}

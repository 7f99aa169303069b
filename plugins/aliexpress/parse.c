/* SPDX-License-Identifier: ISC */
/*
 * parse.c: what the AliExpress gateway's answers mean (aliexpress-api.md
 * 1.1, 1.3, 2.2, 2.4, 3). Pure: a body and an HTTP status in, a result or
 * a classified error out; no I/O, and the only time is the "now" handed in.
 * It must never put a token or a secret into an error text: it only ever
 * quotes the platform's code and message fields, which carry neither.
 *
 * Both shapes are read. With simplify=true the body is the bare result
 * ({"result":{...}} or the DTO itself) and lists are plain arrays; without
 * it the body is {"<method>_response":{"result":{...},"request_id":..}}
 * and each list is an object holding the array ({"item_display_dto":[..]}).
 * Errors come in error_response {type,code,msg,sub_code,sub_msg}, at the
 * top level ({code,message}, /rest and unwrapped), or inside the result
 * (success=false, error_code, error_message / error_msg); all are read.
 *
 * Classification of an error, first match wins:
 *   sub_code accesscontrol.limited-by-app-access-count  QUOTA (until 00:00
 *                                                 Beijing time)
 *   code ApiCallLimit or 7, sub_code accesscontrol.*     THROTTLED ("ban will
 *                                                 last [for] N": N s, else 1)
 *   IllegalAccessToken, InvalidAccessToken, codes 26/27, anything naming a
 *   token or a session                                 AUTH
 *   IncompleteSignature, MissingParameter, InvalidApiPath,
 *   InsufficientPermission, ... (ae_permanent below)   PERMANENT
 *   "not exist", "not found", "不存在" (a check), in a  NOT_FOUND
 *   result's error, or in the sub_code/sub_msg of an
 *   envelope error whose sub_code is isv.* (never in an
 *   envelope's own code or message: ApiNotFound, a
 *   proxy's 404 are about the request)
 *   anything else: in error_response or at the top level TRANSIENT,
 *   inside the result                                  PERMANENT
 * HTTP 5xx, transport errors, bodies that are not a JSON object or are
 * cut short are TRANSIENT; 429 without a readable error is THROTTLED (1 s).
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strcasestr, timegm, asprintf */
#endif

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "parse.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

#define AE_BEIJING_OFFSET (8 * 3600)
#define AE_TEXT_MAX 4096 /* a token, a title, an image URL */
#define AE_NOT_FOUND 100 /* internal: the listing does not exist */

/* An error as the platform wrote it, fields copied as text. */
struct ae_fault {
	char code[64];
	char sub_code[128];
	char msg[160];
	char sub_msg[160];
	int in_result; /* inside the result, not the envelope */
};

static json_t *ae_load(const char *, size_t, long, struct ae_error *);
static json_t *ae_payload(json_t *, long, int64_t, struct ae_error *);
static json_t *
ae_payload_kind(json_t *, long, int64_t, struct ae_error *, int *);
static int ae_code_set(const char *);
static int ae_digits(const char **, int, int *);
static char *ae_title(json_t *);
static int ae_envelope_fault(json_t *, struct ae_fault *);
static int ae_result_fault(json_t *, struct ae_fault *);
static int ae_classify(const struct ae_fault *, int64_t, struct ae_error *);
static int64_t ae_ban_seconds(const char *);
static int ae_in(const char *, const char *const *, size_t);
static void ae_field(json_t *, const char *, char *, size_t);
static void ae_set(struct ae_error *, enum delistd_source_error, int64_t,
    const char *, ...) __attribute__((__format__(__printf__, 4, 5)));
static char *ae_string(json_t *);
static char *ae_id(json_t *);
static int ae_int(json_t *, int64_t *);
static json_t *ae_list(json_t *, const char *);
static int ae_text_ok(const char *);
static int ae_split_images(json_t *, struct ae_product *);
static int64_t ae_date_value(json_t *);

static const char *const ae_auth_codes[] = { "IllegalAccessToken",
	"InvalidAccessToken", "AccessTokenExpired", "IllegalRefreshToken",
	"InvalidRefreshToken", "RefreshTokenExpired", "InvalidSession",
	"SessionExpired", "MissingAccessToken", "26", "27", "53" };

static const char *const ae_permanent_codes[] = { "IncompleteSignature",
	"MissingParameter", "InvalidApiPath", "InsufficientPermission",
	"InvalidParameter", "IllegalParameter", "InvalidAppKey",
	"AppKeyNotExist", "InvalidSignature", "InvalidTimestamp",
	"InvalidSignMethod", "InvalidMethod", "InvalidFormat", "21", "22", "25",
	"28", "29", "30", "31", "40", "41" };

static const char *const ae_not_found_words[] = { "not exist", "not-exist",
	"not_exist", "not found", "notfound", "no such", "不存在" };

static void
ae_set(struct ae_error *err, enum delistd_source_error kind,
    int64_t retry_after, const char *fmt, ...)
{
	unsigned char *p;
	va_list ap;

	err->kind = kind;
	err->retry_after = retry_after;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof err->text, fmt, ap);
	va_end(ap);
	/* Bytes of the body (jansson quotes them) must not break a log line. */
	for (p = (unsigned char *)err->text; *p != '\0'; p++)
		if (*p < ' ' || *p == 0x7f)
			*p = '?';
}

int64_t
ae_quota_reset(int64_t now)
{
	int64_t t = (now + AE_BEIJING_OFFSET) % 86400;

	if (t < 0)
		t += 86400;
	return (86400 - t);
}

static int
ae_in(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return (1);
	return (0);
}

/* "... ban will last 1 seconds", "This ban will last for 30 more seconds". */
static int64_t
ae_ban_seconds(const char *msg)
{
	const char *p;
	long long n;

	if ((p = strcasestr(msg, "last")) == NULL)
		return (0);
	p += 4;
	while (*p == ' ')
		p++;
	if (strncasecmp(p, "for", 3) == 0)
		p += 3;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return (0);
	for (n = 0; isdigit((unsigned char)*p) && n <= AE_BAN_MAX; p++)
		n = n * 10 + (*p - '0');
	return (n > AE_BAN_MAX ? AE_BAN_MAX : n);
}

/* A string or a number as text (truncated to fit); "" when neither. */
static void
ae_field(json_t *o, const char *key, char *out, size_t outlen)
{
	json_t *v = json_object_get(o, key);
	const unsigned char *p;
	size_t i;

	out[0] = '\0';
	if (json_is_string(v))
		snprintf(out, outlen, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, outlen, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, outlen, "%.0f", json_real_value(v));
	/* Controls would break a log line. */
	for (i = 0, p = (const unsigned char *)out; p[i] != '\0'; i++)
		if (p[i] < ' ' || p[i] == 0x7f)
			out[i] = ' ';
}

static int
ae_classify(const struct ae_fault *f, int64_t now, struct ae_error *err)
{
	char text[640];
	const char *words[] = { f->sub_msg, f->sub_code, f->msg, f->code };
	int64_t n;
	size_t i, j, nwords;

	/* "code: msg (sub_code: sub_msg)", leaving out what is empty. */
	snprintf(text, sizeof text, "%s%s%s%s%s%s%s%s",
	    f->code[0] != '\0' ? f->code : "error",
	    f->msg[0] != '\0' ? ": " : "", f->msg,
	    f->sub_code[0] != '\0' || f->sub_msg[0] != '\0' ? " (" : "",
	    f->sub_code,
	    f->sub_code[0] != '\0' && f->sub_msg[0] != '\0' ? ": " : "",
	    f->sub_msg,
	    f->sub_code[0] != '\0' || f->sub_msg[0] != '\0' ? ")" : "");

	if (strcmp(f->sub_code, "accesscontrol.limited-by-app-access-count") ==
	    0) {
		ae_set(
		    err, DELISTD_SOURCE_QUOTA, ae_quota_reset(now), "%s", text);
		return (DELISTD_SOURCE_QUOTA);
	}
	if (strcmp(f->code, "ApiCallLimit") == 0 || strcmp(f->code, "7") == 0 ||
	    strncmp(f->sub_code, "accesscontrol.", 14) == 0) {
		if ((n = ae_ban_seconds(f->msg)) == 0 &&
		    (n = ae_ban_seconds(f->sub_msg)) == 0)
			n = 1;
		ae_set(err, DELISTD_SOURCE_THROTTLED, n, "%s", text);
		return (DELISTD_SOURCE_THROTTLED);
	}
	if (ae_in(f->code, ae_auth_codes, nitems(ae_auth_codes)) ||
	    ae_in(f->sub_code, ae_auth_codes, nitems(ae_auth_codes)) ||
	    strcasestr(f->code, "token") != NULL ||
	    strcasestr(f->code, "session") != NULL ||
	    strcasestr(f->sub_code, "token") != NULL ||
	    strcasestr(f->sub_code, "session") != NULL) {
		ae_set(err, DELISTD_SOURCE_AUTH, 0, "%s", text);
		return (DELISTD_SOURCE_AUTH);
	}
	if (ae_in(f->code, ae_permanent_codes, nitems(ae_permanent_codes)) ||
	    ae_in(
		f->sub_code, ae_permanent_codes, nitems(ae_permanent_codes))) {
		ae_set(err, DELISTD_SOURCE_PERMANENT, 0, "%s", text);
		return (DELISTD_SOURCE_PERMANENT);
	}
	/*
	 * Not found is the platform's business answer about the product:
	 * inside the result, or an isv.* sub_code of the envelope (its sub
	 * fields only). An envelope's own code or message saying "not found"
	 * ({"code":"ApiNotFound"}, a proxy's {"code":"404"}) is about the
	 * request, not the product, and never makes a listing NOT_FOUND.
	 */
	nwords = f->in_result ? nitems(words) : 2;
	if (!f->in_result && strncmp(f->sub_code, "isv.", 4) != 0)
		nwords = 0;
	for (i = 0; i < nwords; i++)
		for (j = 0; j < nitems(ae_not_found_words); j++)
			if (strcasestr(words[i], ae_not_found_words[j]) !=
			    NULL) {
				ae_set(err, DELISTD_SOURCE_PERMANENT, 0, "%s",
				    text);
				return (AE_NOT_FOUND);
			}
	if (f->in_result) {
		ae_set(err, DELISTD_SOURCE_PERMANENT, 0, "%s", text);
		return (DELISTD_SOURCE_PERMANENT);
	}
	ae_set(err, DELISTD_SOURCE_TRANSIENT, 0, "%s", text);
	return (DELISTD_SOURCE_TRANSIENT);
}

/* A code that is present and means something: not "", "0" or 0. */
static int
ae_code_set(const char *code)
{
	return (code[0] != '\0' && strcmp(code, "0") != 0);
}

/* error_response, or a top-level code (unwrapped, or /rest). */
static int
ae_envelope_fault(json_t *o, struct ae_fault *f)
{
	json_t *er;

	memset(f, 0, sizeof *f);
	if ((er = json_object_get(o, "error_response")) != NULL) {
		if (!json_is_object(er)) {
			snprintf(f->code, sizeof f->code, "error_response");
			return (1);
		}
		o = er;
	} else {
		ae_field(o, "code", f->code, sizeof f->code);
		if (!ae_code_set(f->code))
			return (0);
	}
	ae_field(o, "code", f->code, sizeof f->code);
	ae_field(o, "sub_code", f->sub_code, sizeof f->sub_code);
	ae_field(o, "msg", f->msg, sizeof f->msg);
	if (f->msg[0] == '\0')
		ae_field(o, "message", f->msg, sizeof f->msg);
	ae_field(o, "sub_msg", f->sub_msg, sizeof f->sub_msg);
	if (f->code[0] == '\0' && f->sub_code[0] == '\0')
		snprintf(f->code, sizeof f->code, "error_response");
	return (1);
}

/* success=false or an error_code inside the result. */
static int
ae_result_fault(json_t *r, struct ae_fault *f)
{
	json_t *ok = json_object_get(r, "success");

	memset(f, 0, sizeof *f);
	f->in_result = 1;
	ae_field(r, "error_code", f->code, sizeof f->code);
	ae_field(r, "error_message", f->msg, sizeof f->msg);
	if (f->msg[0] == '\0')
		ae_field(r, "error_msg", f->msg, sizeof f->msg);
	if (ae_code_set(f->code))
		return (1);
	if (json_is_false(ok) ||
	    (json_is_string(ok) &&
		strcmp(json_string_value(ok), "false") == 0)) {
		if (f->code[0] == '\0')
			snprintf(f->code, sizeof f->code, "success=false");
		return (1);
	}
	return (0);
}

static json_t *
ae_load(const char *body, size_t len, long http_status, struct ae_error *err)
{
	json_error_t je;
	json_t *root;

	if (http_status >= 500) {
		ae_set(
		    err, DELISTD_SOURCE_TRANSIENT, 0, "HTTP %ld", http_status);
		return (NULL);
	}
	root = json_loadb(body, len, 0, &je);
	/* A number too big for int64 somewhere: read numbers as doubles. */
	if (root == NULL && json_error_code(&je) == json_error_numeric_overflow)
		root = json_loadb(body, len, JSON_DECODE_INT_AS_REAL, &je);
	if (root != NULL && !json_is_object(root)) {
		json_decref(root);
		root = NULL;
		snprintf(je.text, sizeof je.text, "not a JSON object");
		je.position = 0;
	}
	if (root != NULL)
		return (root);
	if (http_status == 429)
		ae_set(err, DELISTD_SOURCE_THROTTLED, 1, "HTTP 429");
	else if (http_status < 200 || http_status > 299)
		ae_set(
		    err, DELISTD_SOURCE_PERMANENT, 0, "HTTP %ld", http_status);
	else if (len == 0)
		ae_set(err, DELISTD_SOURCE_TRANSIENT, 0, "empty answer");
	else
		ae_set(err, DELISTD_SOURCE_TRANSIENT, 0,
		    "malformed answer (%zu bytes): %s at byte %zu", len,
		    je.text, (size_t)je.position);
	return (NULL);
}

/*
 * The result object of an answer, after the envelope's errors: the
 * "<method>_response" wrapper is stepped into, then "result" when there
 * is one. NULL with err set (and *kind the classification) on an error.
 */
static json_t *
ae_payload_kind(json_t *root, long http_status, int64_t now,
    struct ae_error *err, int *kind)
{
	struct ae_fault f;
	json_t *inner = root, *v, *r;
	const char *key;
	size_t klen;

	*kind = DELISTD_SOURCE_OK;
	if (ae_envelope_fault(root, &f)) {
		*kind = ae_classify(&f, now, err);
		return (NULL);
	}
	json_object_foreach (root, key, v) {
		klen = strlen(key);
		if (klen > 9 && strcmp(key + klen - 9, "_response") == 0 &&
		    json_is_object(v)) {
			inner = v;
			break;
		}
	}
	if (inner != root && ae_envelope_fault(inner, &f)) {
		*kind = ae_classify(&f, now, err);
		return (NULL);
	}
	r = json_object_get(inner, "result");
	if (!json_is_object(r))
		r = inner;
	if (ae_result_fault(r, &f)) {
		*kind = ae_classify(&f, now, err);
		return (NULL);
	}
	if (http_status == 429) {
		ae_set(err, DELISTD_SOURCE_THROTTLED, 1, "HTTP 429");
		*kind = DELISTD_SOURCE_THROTTLED;
		return (NULL);
	}
	if (http_status < 200 || http_status > 299) {
		ae_set(
		    err, DELISTD_SOURCE_PERMANENT, 0, "HTTP %ld", http_status);
		*kind = DELISTD_SOURCE_PERMANENT;
		return (NULL);
	}
	return (r);
}

static json_t *
ae_payload(json_t *root, long http_status, int64_t now, struct ae_error *err)
{
	int kind;

	return (ae_payload_kind(root, http_status, now, err, &kind));
}

static int
ae_text_ok(const char *s)
{
	const unsigned char *p;

	if (*s == '\0' || strlen(s) > AE_TEXT_MAX)
		return (0);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < ' ' || *p == 0x7f)
			return (0);
	return (1);
}

/* A copy of a string value fit for a log line; NULL otherwise. */
static char *
ae_string(json_t *v)
{
	if (!json_is_string(v) || !ae_text_ok(json_string_value(v)))
		return (NULL);
	return (strdup(json_string_value(v)));
}

/* A product id: a positive integer, as a number or digits. */
static char *
ae_id(json_t *v)
{
	char buf[32];
	const char *s;
	size_t n;

	if (json_is_integer(v) && json_integer_value(v) > 0) {
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return (strdup(buf));
	}
	if (json_is_string(v)) {
		s = json_string_value(v);
		n = strspn(s, "0123456789");
		if (n > 0 && n <= 20 && s[n] == '\0')
			return (strdup(s));
	}
	/*
	 * A real: the body had a number too big for int64 somewhere, so all
	 * its numbers were read as doubles. Exact below 2^53 only.
	 */
	if (json_is_real(v) && json_real_value(v) >= 1 &&
	    json_real_value(v) < 9007199254740992.0 &&
	    json_real_value(v) == (double)(int64_t)json_real_value(v)) {
		snprintf(
		    buf, sizeof buf, "%" PRId64, (int64_t)json_real_value(v));
		return (strdup(buf));
	}
	return (NULL);
}

static int
ae_int(json_t *v, int64_t *out)
{
	const char *s;
	char *ep;
	long long n;

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return (0);
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);

		*out = d > 9e18 ? INT64_MAX
		    : d < -9e18 ? INT64_MIN
				: (int64_t)d;
		return (0);
	}
	if (json_is_string(v)) {
		s = json_string_value(v);
		if (!isdigit((unsigned char)*s))
			return (-1);
		n = strtoll(s, &ep, 10);
		if (*ep != '\0')
			return (-1);
		*out = n;
		return (0);
	}
	return (-1);
}

/* A list field: a plain array, or an object wrapping one. */
static json_t *
ae_list(json_t *r, const char *key)
{
	json_t *v = json_object_get(r, key), *w;
	const char *k;

	if (json_is_array(v))
		return (v);
	if (json_is_object(v))
		json_object_foreach (v, k, w) {
			if (json_is_array(w))
				return (w);
		}
	return (NULL);
}

static int
ae_digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return (-1);
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return (0);
}

/*
 * Dates as the platform may write them: epoch seconds or milliseconds
 * (digits), "YYYY-MM-DD HH:MM:SS" (Beijing time, as the platform's Java
 * side writes dates), "YYYY-MM-DDTHH:MM:SS" with "Z" or a "+08:00"/"+0800"
 * offset (without one: Beijing time), optional ".fff" fractions ignored.
 */
int64_t
ae_parse_date(const char *s)
{
	struct tm tm;
	const char *p = s;
	int y, mo, d, h, mi, sec, oh, om, sign;
	int64_t off = AE_BEIJING_OFFSET, t;
	char *ep;
	long long n;

	if (s == NULL)
		return (0);
	if (isdigit((unsigned char)*s) && s[strspn(s, "0123456789")] == '\0') {
		n = strtoll(s, &ep, 10);
		if (n <= 0 || n > 99999999999999LL)
			return (0);
		return (n >= 100000000000LL ? n / 1000 : n);
	}
	if (ae_digits(&p, 4, &y) == -1 || *p++ != '-' ||
	    ae_digits(&p, 2, &mo) == -1 || *p++ != '-' ||
	    ae_digits(&p, 2, &d) == -1 || (*p != ' ' && *p != 'T'))
		return (0);
	p++;
	if (ae_digits(&p, 2, &h) == -1 || *p++ != ':' ||
	    ae_digits(&p, 2, &mi) == -1 || *p++ != ':' ||
	    ae_digits(&p, 2, &sec) == -1)
		return (0);
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p == 'Z') {
		off = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (ae_digits(&p, 2, &oh) == -1)
			return (0);
		if (*p == ':')
			p++;
		if (ae_digits(&p, 2, &om) == -1 || oh > 14 || om > 59)
			return (0);
		off = sign * (oh * 3600 + om * 60);
	}
	if (*p != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || sec > 60)
		return (0);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = (int64_t)timegm(&tm) - off;
	return (t > 0 ? t : 0);
}

static int64_t
ae_date_value(json_t *v)
{
	char buf[32];

	if (json_is_string(v))
		return (ae_parse_date(json_string_value(v)));
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return (ae_parse_date(buf));
	}
	return (0);
}

/*
 * image_u_r_ls: one string with the URLs separated by ';' (the platform's
 * DTOs), or a list of strings (plain, or wrapped in simplify=false).
 */
static int
ae_split_images(json_t *r, struct ae_product *p)
{
	json_t *v = json_object_get(r, "image_u_r_ls"), *list, *it;
	const char *s, *e;
	size_t n, i, cap = 0;
	char *u;

	if ((list = ae_list(r, "image_u_r_ls")) != NULL)
		cap = json_array_size(list);
	else if (json_is_string(v)) {
		for (s = json_string_value(v), cap = 1; *s != '\0'; s++)
			cap += *s == ';';
	}
	if (cap == 0)
		return (0);
	if ((p->images = calloc(cap, sizeof *p->images)) == NULL)
		return (-1);
	for (i = 0; i < cap; i++) {
		u = NULL;
		if (list != NULL) {
			it = json_array_get(list, i);
			if ((u = ae_string(it)) == NULL)
				continue;
		} else {
			s = json_string_value(v);
			for (n = 0; n < i; n++)
				s = strchr(s, ';') + 1;
			e = strchr(s, ';');
			n = e != NULL ? (size_t)(e - s) : strlen(s);
			while (n > 0 && *s == ' ') {
				s++;
				n--;
			}
			while (n > 0 && s[n - 1] == ' ')
				n--;
			if (n == 0 || n > AE_TEXT_MAX ||
			    (u = strndup(s, n)) == NULL)
				continue;
			if (!ae_text_ok(u)) {
				free(u);
				continue;
			}
		}
		p->images[p->image_count++] = u;
	}
	return (0);
}

/* The title: subject, else the first of subject_list's values. */
static char *
ae_title(json_t *r)
{
	json_t *list, *it;
	char *t;
	size_t i;

	if ((t = ae_string(json_object_get(r, "subject"))) != NULL)
		return (t);
	if ((list = ae_list(r, "subject_list")) == NULL)
		return (NULL);
	json_array_foreach (list, i, it) {
		if ((t = ae_string(json_object_get(it, "value"))) != NULL)
			return (t);
	}
	return (NULL);
}

int
ae_parse_product(const char *body, size_t len, long http_status,
    const char *const *delisted_codes, size_t ncodes, int64_t now,
    struct ae_product *p)
{
	json_t *root, *r;
	const char *st, *code;
	int kind;

	memset(p, 0, sizeof *p);
	p->status = DELISTD_STATUS_ERROR;
	if ((root = ae_load(body, len, http_status, &p->error)) == NULL)
		return (-1);
	if ((r = ae_payload_kind(root, http_status, now, &p->error, &kind)) ==
	    NULL) {
		json_decref(root);
		if (kind == AE_NOT_FOUND) {
			p->status = DELISTD_STATUS_NOT_FOUND;
			p->error.kind = DELISTD_SOURCE_OK;
			return (0);
		}
		return (-1);
	}
	if (!json_is_string(json_object_get(r, "product_status_type"))) {
		ae_set(&p->error, DELISTD_SOURCE_TRANSIENT, 0,
		    "malformed answer: no product_status_type");
		json_decref(root);
		return (-1);
	}
	st = json_string_value(json_object_get(r, "product_status_type"));
	code = json_string_value(json_object_get(r, "ws_display"));
	if (strcmp(st, "onSelling") == 0)
		p->status = DELISTD_STATUS_ON_SALE;
	else if (strcmp(st, "offline") == 0) {
		p->status = code != NULL && ae_in(code, delisted_codes, ncodes)
		    ? DELISTD_STATUS_DELISTED
		    : DELISTD_STATUS_OFFLINE;
		p->platform_code = ae_string(json_object_get(r, "ws_display"));
		p->offline_at =
		    ae_date_value(json_object_get(r, "ws_offline_date"));
	} else if (strcmp(st, "auditing") == 0)
		p->status = DELISTD_STATUS_UNDER_REVIEW;
	else if (strcmp(st, "editingRequired") == 0)
		p->status = DELISTD_STATUS_FAILED_REVIEW;
	else if (strcmp(st, "deleted") == 0 ||
	    strcmp(st, "service_delete") == 0) {
		p->status = DELISTD_STATUS_NOT_FOUND;
		p->platform_code = strdup(st);
	} else {
		ae_set(&p->error, DELISTD_SOURCE_PERMANENT, 0,
		    "unknown product_status_type \"%.64s\"", st);
		json_decref(root);
		return (-1);
	}
	p->title = ae_title(r);
	if (ae_split_images(r, p) == -1) {
		json_decref(root);
		ae_product_free(p);
		ae_set(&p->error, DELISTD_SOURCE_TRANSIENT, 0, "out of memory");
		return (-1);
	}
	json_decref(root);
	return (0);
}

int
ae_parse_page(const char *body, size_t len, long http_status, int64_t now,
    struct ae_page *pg)
{
	json_t *root, *r, *list, *it;
	size_t i, n;
	int64_t v;

	memset(pg, 0, sizeof *pg);
	if ((root = ae_load(body, len, http_status, &pg->error)) == NULL)
		return (-1);
	if ((r = ae_payload(root, http_status, now, &pg->error)) == NULL) {
		json_decref(root);
		return (-1);
	}
	if (ae_int(json_object_get(r, "total_page"), &v) == 0)
		pg->total_page = v < 0 ? 0
		    : v > AE_PAGES_MAX ? AE_PAGES_MAX
				       : v;
	if (ae_int(json_object_get(r, "current_page"), &v) == 0)
		pg->current_page = v < 0 ? 0
		    : v > AE_PAGES_MAX	 ? AE_PAGES_MAX
					 : v;
	list = ae_list(r, "aeop_a_e_product_display_d_t_o_list");
	if (list == NULL &&
	    json_object_get(r, "aeop_a_e_product_display_d_t_o_list") == NULL &&
	    json_object_get(r, "total_page") == NULL &&
	    json_object_get(r, "product_count") == NULL) {
		ae_set(&pg->error, DELISTD_SOURCE_TRANSIENT, 0,
		    "malformed answer: no product list");
		json_decref(root);
		return (-1);
	}
	n = list != NULL ? json_array_size(list) : 0;
	if (n > 0 &&
	    ((pg->ids = calloc(n, sizeof *pg->ids)) == NULL ||
		(pg->titles = calloc(n, sizeof *pg->titles)) == NULL ||
		(pg->codes = calloc(n, sizeof *pg->codes)) == NULL)) {
		json_decref(root);
		ae_page_free(pg);
		ae_set(
		    &pg->error, DELISTD_SOURCE_TRANSIENT, 0, "out of memory");
		return (-1);
	}
	for (i = 0; i < n; i++) {
		it = json_array_get(list, i);
		if (!json_is_object(it) ||
		    (pg->ids[pg->count] =
			    ae_id(json_object_get(it, "product_id"))) == NULL)
			continue;
		pg->titles[pg->count] = ae_title(it);
		pg->codes[pg->count] =
		    ae_string(json_object_get(it, "ws_display"));
		pg->count++;
	}
	json_decref(root);
	return (0);
}

int
ae_parse_token(const char *body, size_t len, long http_status, int64_t now,
    struct ae_token *t)
{
	json_t *root, *r;
	int64_t v;

	memset(t, 0, sizeof *t);
	if ((root = ae_load(body, len, http_status, &t->error)) == NULL)
		return (-1);
	if ((r = ae_payload(root, http_status, now, &t->error)) == NULL) {
		json_decref(root);
		return (-1);
	}
	if ((t->access_token = ae_string(json_object_get(r, "access_token"))) ==
	    NULL) {
		ae_set(&t->error, DELISTD_SOURCE_TRANSIENT, 0,
		    "malformed answer: no access_token");
		json_decref(root);
		return (-1);
	}
	t->refresh_token = ae_string(json_object_get(r, "refresh_token"));
	/* expires_in is relative seconds; expire_time absolute (ms or s). */
	if (ae_int(json_object_get(r, "expires_in"), &v) == 0 && v > 0 &&
	    v < 100LL * 365 * 86400)
		t->expires_at = now + v;
	else
		t->expires_at =
		    ae_date_value(json_object_get(r, "expire_time"));
	json_decref(root);
	return (0);
}

void
ae_product_free(struct ae_product *p)
{
	size_t i;

	free(p->platform_code);
	free(p->title);
	for (i = 0; i < p->image_count; i++)
		free(p->images[i]);
	free(p->images);
	p->platform_code = p->title = NULL;
	p->images = NULL;
	p->image_count = 0;
}

void
ae_page_free(struct ae_page *pg)
{
	size_t i;

	for (i = 0; i < pg->count; i++) {
		free(pg->ids[i]);
		free(pg->titles[i]);
		free(pg->codes[i]);
	}
	free(pg->ids);
	free(pg->titles);
	free(pg->codes);
	pg->ids = pg->titles = pg->codes = NULL;
	pg->count = 0;
}

void
ae_token_free(struct ae_token *t)
{
	if (t->access_token != NULL) {
		explicit_bzero(t->access_token, strlen(t->access_token));
		free(t->access_token);
	}
	if (t->refresh_token != NULL) {
		explicit_bzero(t->refresh_token, strlen(t->refresh_token));
		free(t->refresh_token);
	}
	t->access_token = t->refresh_token = NULL;
}

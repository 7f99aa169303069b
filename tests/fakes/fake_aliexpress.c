/* SPDX-License-Identifier: ISC */
/*
 * fake_aliexpress.c: a fake AliExpress Open Platform gateway for the tests.
 *
 * usage: fake_aliexpress --port-file F --app-key K --secret-file S --token T
 *            [--refresh-token R] [--qps N] [--daily-quota N]
 *            [--clock-file F] [--log F] [--timeout SECONDS]
 *
 * Listens on 127.0.0.1 on a port the kernel picks and writes the port to
 * the port file (renamed into place: poll for it). "Now" is the epoch
 * seconds in --clock-file, re-read on every request (the format of the
 * daemon's DELISTD_TEST_CLOCK file), else the real clock. It exits on
 * SIGTERM or SIGINT, or after --timeout seconds (default 600).
 *
 * POST /sync (aliexpress-api.md 2): the form body (and the query) is
 * checked as the platform does: app_key, sign_method sha256, the sign
 * (HMAC-SHA256 with the secret over the sorted raw key/value string, no
 * prefix, upper-case hex: plugins/aliexpress/sign.c), a timestamp (epoch ms,
 * or "YYYY-MM-DDTHH:MM:SSZ") within 7200 s of now, the token under
 * access_token or session. Failures answer with the platform's codes:
 * MissingParameter, InvalidAppKey, IncompleteSignature, InvalidTimestamp,
 * IllegalAccessToken, InvalidApiPath (an unknown method). Then the
 * throttle (at most --qps served calls per real wall-clock second, else
 * ApiCallLimit "this ban will last 1 seconds") and the daily quota (at
 * most --daily-quota served calls per Beijing day by "now", else code 7
 * sub_code accesscontrol.limited-by-app-access-count, "This ban will last
 * for N more seconds"; the count resets at 00:00 Beijing time). Methods:
 *   aliexpress.postproduct.redefining.findaeproductbyid (product_id):
 *     the product's DTO: product_id, product_status_type, ws_display and
 *     ws_offline_date (when offline), subject, image_u_r_ls ("a;b"); an
 *     absent or unknown product answers a result with success=false,
 *     error_code 13004, error_message "The product does not exist".
 *   aliexpress.solution.product.list.get (aeop_a_e_product_list_query, a
 *     JSON string: product_status_type required, ws_display optional,
 *     current_page (1), page_size (20; 100 or more is refused in the
 *     result)): the products whose current state matches, by product id,
 *     with product_count, total_page, current_page.
 * simplify=true answers the bare result (the DTO itself) and plain
 * arrays, errors as a top-level {type,code,msg,sub_code,sub_msg,
 * request_id}; otherwise {"<method with _>_response":{"result":{..},
 * "request_id":..}}, lists wrapped ({"item_display_dto":[..]}), errors in
 * {"error_response":{..}}.
 *
 * POST /rest/auth/token/refresh: signed with the prefix
 * "/auth/token/refresh"; refresh_token must be the current one. Answers
 * (top level, as /rest does) access_token, refresh_token (both new),
 * expires_in (86400 unless set with /_fake/token), refresh_expires_in,
 * expire_time and refresh_token_valid_time (epoch ms), code "0"; from then
 * on only the new tokens are accepted. Errors: {type,code,message}
 * (IllegalRefreshToken, IncompleteSignature, ...).
 *
 * Control, not signed, not counted (answers {"ok":true} or 400 with
 * {"error":"..."}):
 *   POST /_fake/product {"product_id":"1005","status":"onSelling"|
 *     "offline"|"auditing"|"editingRequired"|"absent","ws_display":
 *     "punish_offline","subject":"...","images":["https://..."],
 *     "offline_date":"2026-11-20 10:00:00","script":[{state},...]}
 *     sets the product's current state (fields not given keep their value;
 *     status defaults to onSelling for a new product). Each script item is
 *     a state (merged over the current one) consumed by one
 *     findaeproductbyid call, in order, before falling back to the
 *     current state. {"products":[{...},...]} sets several at once.
 *   POST /_fake/mode {"mode":"normal"|"latency"|"5xx"|"malformed"|
 *     "truncated"|"hang"|"throttle"|"quota"|"badtoken","latency_ms":N,
 *     "count":N}: how the next /sync and refresh calls are answered
 *     (latency: the normal answer after latency_ms; 5xx: 502 with an HTML
 *     body; malformed: 200 with a body that is not JSON; truncated: 200
 *     with the first half of the normal body; hang: no answer ever;
 *     throttle, quota, badtoken: that platform error). count: how many
 *     calls it applies to, then back to normal; absent: until changed.
 *   POST /_fake/token {"token":"...","refresh_token":"...",
 *     "expires_in":N}: changes the accepted token (and the refresh token,
 *     and the lifetime a refresh hands out).
 *   GET /_fake/stats: {"calls":N,"calls_by_method":{"<method>":N,
 *     "/auth/token/refresh":N},"max_calls_per_second":N,
 *     "calls_this_second":N,"max_calls_in_1s":N,"per_second":[N,...],
 *     "bad_signatures":N,"throttled":N,
 *     "quota_refused":N,"refreshes":N,"served":N,"day_calls":N,
 *     "held":N,"max_held":N}
 *     where calls counts every /sync and refresh request received,
 *     max_calls_per_second the most received within one wall-clock second,
 *     per_second the count of each wall-clock second (the last PER_SECONDS
 *     that had calls, oldest first), max_calls_in_1s the most received
 *     within any 1-second span (a sliding window on the monotonic clock),
 *     held the answers latency mode holds back now and max_held the most
 *     it held at once (the calls the daemon had in flight together).
 *   POST /_fake/reset-stats: zeroes the counters (not the quota's).
 *
 * --log F: one line per call: "n=3 ms=<monotonic> path=/sync
 * method=<method> product_id=<id or -> sign=ok|bad token=ok|bad|-
 * answer=<what>", never a token or the secret.
 */

#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "fake.h"
#include "sign.h"

#define BODY_MAX (1024 * 1024)
#define PARAMS_MAX 64
#define WINDOW 7200 /* seconds a timestamp may be off */
#define BEIJING (8 * 3600)
#define M_CHECK "aliexpress.postproduct.redefining.findaeproductbyid"
#define M_LIST "aliexpress.solution.product.list.get"
#define REFRESH_PATH "/auth/token/refresh"

enum mode {
	MODE_NORMAL,
	MODE_LATENCY,
	MODE_5XX,
	MODE_MALFORMED,
	MODE_TRUNCATED,
	MODE_HANG,
	MODE_THROTTLE,
	MODE_QUOTA,
	MODE_BADTOKEN,
};

static const struct {
	const char *name;
	enum mode mode;
} modes[] = {
	{ "normal", MODE_NORMAL },
	{ "latency", MODE_LATENCY },
	{ "5xx", MODE_5XX },
	{ "malformed", MODE_MALFORMED },
	{ "truncated", MODE_TRUNCATED },
	{ "hang", MODE_HANG },
	{ "throttle", MODE_THROTTLE },
	{ "quota", MODE_QUOTA },
	{ "badtoken", MODE_BADTOKEN },
};

static const char *const statuses[] = { "onSelling", "offline", "auditing",
	"editingRequired", "absent" };

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* One answer being sent late (latency mode). */
struct late {
	struct evhttp_request *req;
	struct evhttp_connection *conn;
	int status;
	char *body;
	struct event *ev;
	struct late *next;
};
static struct late *lates;

static struct event_base *base;
static const char *app_key, *clock_file;
static char *secret, *token, *refresh_token;
static long qps, daily_quota, token_ttl = 86400;
static FILE *logfp;
static json_t *products; /* id -> {"state":{..},"script":[..]} */

static enum mode mode;
static long mode_latency, mode_count = -1; /* -1: until changed */

static struct {
	long calls, bad_signatures, throttled, quota_refused, refreshes;
	long served, max_per_second, this_second;
	long held, max_held;
	json_t *by_method;
} stats;
static time_t second; /* the wall-clock second being counted */
/* The counts of the last seconds that had calls, a ring. */
#define PER_SECONDS 600
static long per_second[PER_SECONDS];
static size_t per_second_n, per_second_at;
/* When the last calls came (monotonic microseconds), a ring. */
#define WINDOW_CALLS 8192
static int64_t window[WINDOW_CALLS];
static size_t window_head, window_n;
static long max_in_1s;
static long served_this_second;
static int64_t quota_day = -1;
static long day_calls;
static unsigned long serial;

static void usage(void) __attribute__((__noreturn__));
static char *read_file_line(const char *);
static int64_t fake_now(void);
static void reply(struct evhttp_request *, int, const char *);
static void reply_json(struct evhttp_request *, int, json_t *);
static void control(struct evhttp_request *, const char *);
static void gateway(struct evhttp_request *, const char *);
static json_t *platform_error(
    int, const char *, const char *, const char *, const char *, const char *);
static char *newtoken(const char *);

static void
usage(void)
{
	fprintf(stderr,
	    "usage: fake_aliexpress --port-file file --app-key key "
	    "--secret-file file --token token [--refresh-token token] "
	    "[--qps n] [--daily-quota n] [--clock-file file] [--log file] "
	    "[--timeout seconds]\n");
	exit(2);
}

static char *
read_file_line(const char *path)
{
	FILE *f;
	char buf[4096];
	size_t n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return (strdup(buf));
}

static int64_t
fake_now(void)
{
	char *s, *ep;
	long long v;

	if (clock_file == NULL || (s = read_file_line(clock_file)) == NULL)
		return ((int64_t)time(NULL));
	v = strtoll(s, &ep, 10);
	if (ep == s || *ep != '\0')
		v = (long long)time(NULL);
	free(s);
	return ((int64_t)v);
}

static void
log_field(const char *name, const char *v)
{
	const unsigned char *p;

	if (logfp == NULL)
		return;
	fprintf(logfp, " %s=", name);
	if (v == NULL || *v == '\0') {
		fputc('-', logfp);
		return;
	}
	for (p = (const unsigned char *)v;
	     *p != '\0' && p - (const unsigned char *)v < 128; p++) {
		if (*p <= ' ' || *p == '%' || *p >= 0x7f)
			fprintf(logfp, "%%%02X", *p);
		else
			fputc(*p, logfp);
	}
}

static void
reply(struct evhttp_request *req, int status, const char *body)
{
	struct evbuffer *out = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "application/json;charset=UTF-8");
	evbuffer_add(out, body, strlen(body));
	evhttp_send_reply(req, status,
	    status == 200	? "OK"
		: status == 400 ? "Bad Request"
		: status == 404 ? "Not Found"
		: status == 502 ? "Bad Gateway"
				: "Error",
	    out);
	evbuffer_free(out);
}

/* Sends and releases j. */
static void
reply_json(struct evhttp_request *req, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);

	reply(req, status, s != NULL ? s : "{}");
	free(s);
	json_decref(j);
}

/* Answers 400 with {"error": what + arg}. */
static void
control_error(struct evhttp_request *req, const char *what, const char *arg)
{
	char buf[512];

	snprintf(buf, sizeof buf, "%s%s", what, arg);
	reply_json(req, 400, json_pack("{s:s}", "error", buf));
}

/* --- control ------------------------------------------------------------ */

static int
status_ok(const char *s)
{
	size_t i;

	for (i = 0; i < nitems(statuses); i++)
		if (strcmp(s, statuses[i]) == 0)
			return (1);
	return (0);
}

/* A state object's fields, checked; NULL when fine, else what is wrong. */
static const char *
state_check(json_t *st)
{
	json_t *v, *it;
	const char *k;
	size_t i;

	if (!json_is_object(st))
		return ("a state is a JSON object");
	json_object_foreach (st, k, v) {
		if (strcmp(k, "status") == 0) {
			if (!json_is_string(v) ||
			    !status_ok(json_string_value(v)))
				return ("status: onSelling, offline, auditing, "
					"editingRequired or absent");
		} else if (strcmp(k, "ws_display") == 0 ||
		    strcmp(k, "subject") == 0 ||
		    strcmp(k, "offline_date") == 0) {
			if (!json_is_string(v) && !json_is_null(v))
				return ("ws_display, subject, offline_date: "
					"strings");
		} else if (strcmp(k, "images") == 0) {
			if (!json_is_array(v))
				return ("images: a list of strings");
			json_array_foreach (v, i, it) {
				if (!json_is_string(it))
					return ("images: a list of strings");
			}
		} else if (strcmp(k, "product_id") != 0 &&
		    strcmp(k, "script") != 0)
			return ("unknown field in a product state");
	}
	return (NULL);
}

static const char *
product_set(json_t *p)
{
	json_t *idv = json_object_get(p, "product_id"), *script, *entry, *st;
	json_t *it;
	const char *why;
	char id[32];
	size_t i;

	if (json_is_integer(idv))
		snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(idv));
	else if (json_is_string(idv) && strlen(json_string_value(idv)) > 0 &&
	    strlen(json_string_value(idv)) < sizeof id &&
	    json_string_value(
		idv)[strspn(json_string_value(idv), "0123456789")] == '\0')
		snprintf(id, sizeof id, "%s", json_string_value(idv));
	else
		return ("product_id: digits");
	if ((why = state_check(p)) != NULL)
		return (why);
	script = json_object_get(p, "script");
	if (script != NULL) {
		if (!json_is_array(script))
			return ("script: a list of states");
		json_array_foreach (script, i, it) {
			if ((why = state_check(it)) != NULL)
				return (why);
		}
	}
	if ((entry = json_object_get(products, id)) == NULL) {
		entry = json_pack("{s:{s:s}, s:[]}", "state", "status",
		    "onSelling", "script");
		json_object_set_new(products, id, entry);
	}
	st = json_object_get(entry, "state");
	json_object_update(st, p);
	json_object_del(st, "product_id");
	json_object_del(st, "script");
	if (script != NULL)
		json_object_set(entry, "script", script);
	return (NULL);
}

static void
control_product(struct evhttp_request *req, json_t *j)
{
	json_t *list = json_object_get(j, "products"), *it;
	const char *why = NULL;
	size_t i;

	if (json_is_array(list)) {
		json_array_foreach (list, i, it) {
			if ((why = product_set(it)) != NULL)
				break;
		}
	} else
		why = product_set(j);
	if (why != NULL)
		control_error(req, why, "");
	else
		reply(req, 200, "{\"ok\":true}");
}

static void
control_mode(struct evhttp_request *req, json_t *j)
{
	const char *m = json_string_value(json_object_get(j, "mode"));
	json_t *lat = json_object_get(j, "latency_ms"),
	       *cnt = json_object_get(j, "count");
	size_t i;

	if (m == NULL) {
		control_error(req, "mode: a string", "");
		return;
	}
	for (i = 0; i < nitems(modes); i++)
		if (strcmp(modes[i].name, m) == 0)
			break;
	if (i == nitems(modes)) {
		control_error(req, "unknown mode ", m);
		return;
	}
	if ((lat != NULL &&
		(!json_is_integer(lat) || json_integer_value(lat) < 0)) ||
	    (cnt != NULL &&
		(!json_is_integer(cnt) || json_integer_value(cnt) < 0))) {
		control_error(
		    req, "latency_ms and count: non-negative integers", "");
		return;
	}
	mode = modes[i].mode;
	mode_latency = lat != NULL ? (long)json_integer_value(lat) : 0;
	mode_count = cnt != NULL ? (long)json_integer_value(cnt) : -1;
	if (mode_count == 0)
		mode = MODE_NORMAL; /* applies to no call at all */
	if (logfp != NULL) {
		fprintf(logfp, "# mode %s count %ld latency_ms %ld\n", m,
		    mode_count, mode_latency);
		fflush(logfp);
	}
	reply(req, 200, "{\"ok\":true}");
}

static void
control_token(struct evhttp_request *req, json_t *j)
{
	json_t *t = json_object_get(j, "token"),
	       *r = json_object_get(j, "refresh_token"),
	       *e = json_object_get(j, "expires_in");

	if ((t != NULL &&
		(!json_is_string(t) || *json_string_value(t) == '\0')) ||
	    (r != NULL &&
		(!json_is_string(r) || *json_string_value(r) == '\0')) ||
	    (e != NULL && (!json_is_integer(e) || json_integer_value(e) < 1))) {
		control_error(req,
		    "token, refresh_token: non-empty strings; expires_in: "
		    "seconds",
		    "");
		return;
	}
	if (t != NULL) {
		free(token);
		token = strdup(json_string_value(t));
	}
	if (r != NULL) {
		free(refresh_token);
		refresh_token = strdup(json_string_value(r));
	}
	if (e != NULL)
		token_ttl = (long)json_integer_value(e);
	reply(req, 200, "{\"ok\":true}");
}

static void
control_stats(struct evhttp_request *req)
{
	json_t *ps = json_array();
	size_t i;

	for (i = 0; i < per_second_n; i++)
		json_array_append_new(ps,
		    json_integer(per_second[(per_second_at + PER_SECONDS -
						per_second_n + 1 + i) %
			PER_SECONDS]));
	reply_json(req, 200,
	    json_pack("{s:i, s:O, s:i, s:i, s:i, s:o, s:i, s:i, s:i, s:i, s:i, "
		      "s:i, s:i, s:i}",
		"calls", (int)stats.calls, "calls_by_method", stats.by_method,
		"max_calls_per_second", (int)stats.max_per_second,
		"calls_this_second", (int)stats.this_second, "max_calls_in_1s",
		(int)max_in_1s, "per_second", ps, "bad_signatures",
		(int)stats.bad_signatures, "throttled", (int)stats.throttled,
		"quota_refused", (int)stats.quota_refused, "refreshes",
		(int)stats.refreshes, "served", (int)stats.served, "day_calls",
		(int)day_calls, "held", (int)stats.held, "max_held",
		(int)stats.max_held));
}

static void
control(struct evhttp_request *req, const char *path)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	json_error_t je;
	json_t *j = NULL;
	size_t len = evbuffer_get_length(in);
	const char *body = (const char *)evbuffer_pullup(in, -1);
	long held;

	if (strcmp(path, "/_fake/stats") == 0 && cmd == EVHTTP_REQ_GET) {
		control_stats(req);
		return;
	}
	if (strcmp(path, "/_fake/reset-stats") == 0 && cmd == EVHTTP_REQ_POST) {
		json_decref(stats.by_method);
		held = stats.held;
		memset(&stats, 0, sizeof stats);
		stats.held = stats.max_held = held;
		per_second_n = window_n = 0;
		max_in_1s = 0;
		stats.by_method = json_object();
		reply(req, 200, "{\"ok\":true}");
		return;
	}
	if (cmd != EVHTTP_REQ_POST) {
		control_error(req, "POST here", "");
		return;
	}
	if (body == NULL || (j = json_loadb(body, len, 0, &je)) == NULL ||
	    !json_is_object(j)) {
		json_decref(j);
		control_error(req, "the body is not a JSON object", "");
		return;
	}
	if (strcmp(path, "/_fake/product") == 0)
		control_product(req, j);
	else if (strcmp(path, "/_fake/mode") == 0)
		control_mode(req, j);
	else if (strcmp(path, "/_fake/token") == 0)
		control_token(req, j);
	else
		control_error(req, "no control ", path);
	json_decref(j);
}

/* --- the gateway -------------------------------------------------------- */

struct params {
	struct evkeyvalq q; /* from the query and the body */
	struct ae_param p[PARAMS_MAX];
	size_t n;
	int simplify;
};

static const char *
param(struct params *ps, const char *key)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (strcmp(ps->p[i].key, key) == 0)
			return (ps->p[i].value);
	return (NULL);
}

static int
params_read(struct evhttp_request *req, struct params *ps)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	struct evkeyval *kv;
	const char *query = evhttp_uri_get_query(uri);
	char *body;
	size_t len = evbuffer_get_length(in);
	struct evkeyvalq bq;
	int rc = 0;

	TAILQ_INIT(&ps->q);
	TAILQ_INIT(&bq);
	ps->n = 0;
	if (query != NULL && evhttp_parse_query_str(query, &ps->q) == -1)
		rc = -1;
	if ((body = malloc(len + 1)) == NULL)
		return (-1);
	evbuffer_copyout(in, body, len);
	body[len] = '\0';
	if (len > 0 && evhttp_parse_query_str(body, &bq) == -1)
		rc = -1;
	free(body);
	while ((kv = TAILQ_FIRST(&bq)) != NULL) {
		TAILQ_REMOVE(&bq, kv, next);
		TAILQ_INSERT_TAIL(&ps->q, kv, next);
	}
	TAILQ_FOREACH (kv, &ps->q, next) {
		if (ps->n == PARAMS_MAX)
			return (-1);
		ps->p[ps->n].key = kv->key;
		ps->p[ps->n].value = kv->value;
		ps->n++;
	}
	ps->simplify = param(ps, "simplify") != NULL &&
	    strcmp(param(ps, "simplify"), "true") == 0;
	return (rc);
}

/*
 * shape 0: {"error_response":{..,"msg"}} (/sync, wrapped); 1: the same
 * fields at the top level (/sync, simplify); 2: top level with "message"
 * (/rest).
 */
static json_t *
platform_error(int shape, const char *type, const char *code, const char *msg,
    const char *sub_code, const char *sub_msg)
{
	json_t *e;
	char rid[32];

	snprintf(rid, sizeof rid, "fake-%lu", serial);
	e = json_pack("{s:s, s:s, s:s, s:s}", "type", type, "code", code,
	    shape == 2 ? "message" : "msg", msg, "request_id", rid);
	if (sub_code != NULL)
		json_object_set_new(e, "sub_code", json_string(sub_code));
	if (sub_msg != NULL)
		json_object_set_new(e, "sub_msg", json_string(sub_msg));
	if (shape == 0)
		return (json_pack("{s:o}", "error_response", e));
	return (e);
}

/* The error shape for this call (see platform_error). */
static int
error_shape(struct params *ps, int rest)
{
	if (rest)
		return (2);
	return (ps->simplify ? 1 : 0);
}

static int64_t
quota_reset(int64_t now)
{
	int64_t t = (now + BEIJING) % 86400;

	if (t < 0)
		t += 86400;
	return (86400 - t);
}

static json_t *
err_throttle(int shape)
{
	return (platform_error(shape, "ISV", "ApiCallLimit",
	    "Api access frequency exceeds the limit. this ban will last 1 "
	    "seconds",
	    NULL, NULL));
}

static json_t *
err_quota(int shape, int64_t now)
{
	char sub[96];

	snprintf(sub, sizeof sub,
	    "This ban will last for %" PRId64 " more seconds",
	    quota_reset(now));
	return (platform_error(shape, "ISP", "7", "App Call Limited",
	    "accesscontrol.limited-by-app-access-count", sub));
}

static json_t *
err_badtoken(int shape)
{
	return (platform_error(shape, "ISV", "IllegalAccessToken",
	    "The specified access token is invalid or expired", NULL, NULL));
}

static int
timestamp_ok(const char *ts, int64_t now)
{
	struct tm tm;
	const char *end;
	long long v;
	char *ep;
	int64_t t;

	if (ts == NULL || *ts == '\0')
		return (0);
	if (isdigit((unsigned char)*ts)) {
		v = strtoll(ts, &ep, 10);
		if (*ep != '\0')
			return (0);
		t = (int64_t)(v / 1000);
	} else {
		memset(&tm, 0, sizeof tm);
		if ((end = strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm)) == NULL ||
		    *end != '\0')
			return (0);
		t = (int64_t)timegm(&tm);
	}
	return (t >= now - WINDOW && t <= now + WINDOW);
}

/* The checks every signed call passes; NULL when it passes. */
static json_t *
verify(struct params *ps, const char *prefix, int shape, int64_t now,
    const char **sign_result)
{
	char want[AE_SIGN_LEN + 1];
	const char *sign = param(ps, "sign"), *k = param(ps, "app_key");

	*sign_result = "-";
	if (k == NULL || sign == NULL || param(ps, "timestamp") == NULL ||
	    param(ps, "sign_method") == NULL)
		return (platform_error(shape, "ISV", "MissingParameter",
		    "The input parameter app_key, sign, sign_method or "
		    "timestamp that is mandatory for processing this request "
		    "is not supplied",
		    NULL, NULL));
	if (strcmp(k, app_key) != 0)
		return (platform_error(shape, "ISV", "InvalidAppKey",
		    "The specified app key is invalid", NULL, NULL));
	if (strcmp(param(ps, "sign_method"), "sha256") != 0 ||
	    ae_sign(secret, prefix, ps->p, ps->n, want) == -1 ||
	    strcmp(want, sign) != 0) {
		*sign_result = "bad";
		stats.bad_signatures++;
		return (platform_error(shape, "ISV", "IncompleteSignature",
		    "The request signature does not conform to platform "
		    "standards",
		    NULL, NULL));
	}
	*sign_result = "ok";
	if (!timestamp_ok(param(ps, "timestamp"), now))
		return (platform_error(shape, "ISV", "InvalidTimestamp",
		    "The timestamp is out of the allowed range", NULL, NULL));
	return (NULL);
}

/* Throttle, then quota: NULL when the call may be served. */
static json_t *
flow_control(int shape, int64_t now)
{
	int64_t day = (now + BEIJING) / 86400;

	if (qps > 0 && served_this_second >= qps) {
		stats.throttled++;
		return (err_throttle(shape));
	}
	if (day != quota_day) {
		quota_day = day;
		day_calls = 0;
	}
	if (daily_quota > 0 && day_calls >= daily_quota) {
		stats.quota_refused++;
		return (err_quota(shape, now));
	}
	served_this_second++;
	day_calls++;
	stats.served++;
	return (NULL);
}

/* The state a findaeproductbyid sees now: the script's next, or current. */
static json_t *
product_state(const char *id, int consume)
{
	json_t *entry = json_object_get(products, id), *st, *script, *next;

	if (entry == NULL)
		return (NULL);
	st = json_deep_copy(json_object_get(entry, "state"));
	script = json_object_get(entry, "script");
	if (consume && json_array_size(script) > 0) {
		next = json_array_get(script, 0);
		json_object_update(st, next);
		json_array_remove(script, 0);
	}
	return (st);
}

static json_t *
product_dto(const char *id, json_t *st, int simplify)
{
	const char *status = json_string_value(json_object_get(st, "status"));
	json_t *dto, *imgs = json_object_get(st, "images"), *it, *v;
	char *joined = NULL, *tmp;
	size_t i;

	dto = json_pack("{s:I, s:s}", "product_id",
	    (json_int_t)strtoll(id, NULL, 10), "product_status_type", status);
	if (strcmp(status, "offline") == 0) {
		if (json_is_string(v = json_object_get(st, "ws_display")))
			json_object_set(dto, "ws_display", v);
		if (json_is_string(v = json_object_get(st, "offline_date")))
			json_object_set(dto, "ws_offline_date", v);
	}
	if (json_is_string(v = json_object_get(st, "subject")))
		json_object_set(dto, "subject", v);
	json_array_foreach (imgs, i, it) {
		if (asprintf(&tmp, "%s%s%s", joined != NULL ? joined : "",
			joined != NULL ? ";" : "", json_string_value(it)) == -1)
			break;
		free(joined);
		joined = tmp;
	}
	if (joined != NULL) {
		json_object_set_new(dto, "image_u_r_ls", json_string(joined));
		free(joined);
	}
	json_object_set_new(
	    dto, "gmt_modified", json_string("2026-01-01 00:00:00"));
	(void)simplify;
	return (dto);
}

static json_t *
result_error(int code, const char *message)
{
	return (json_pack("{s:b, s:i, s:s}", "success", 0, "error_code", code,
	    "error_message", message));
}

static json_t *
do_check(struct params *ps, int shape, const char **pid)
{
	const char *id = param(ps, "product_id");
	json_t *st, *dto;

	*pid = id;
	if (id == NULL || *id == '\0')
		return (platform_error(shape, "ISV", "MissingParameter",
		    "The input parameter product_id that is mandatory for "
		    "processing this request is not supplied",
		    NULL, NULL));
	if ((st = product_state(id, 1)) == NULL ||
	    strcmp(json_string_value(json_object_get(st, "status")),
		"absent") == 0) {
		json_decref(st);
		return (result_error(13004, "The product does not exist"));
	}
	dto = product_dto(id, st, ps->simplify);
	json_decref(st);
	return (dto);
}

static int
id_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);

	return (lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y));
}

static json_t *
do_list(struct params *ps, int shape)
{
	const char *qs = param(ps, "aeop_a_e_product_list_query"), *want, *wsd,
		   *id, **ids;
	json_t *q, *list, *res, *st, *v;
	json_error_t je;
	json_int_t page = 1, size = 20, total, count = 0, i, first;
	size_t n = 0;

	if (qs == NULL)
		return (platform_error(shape, "ISV", "MissingParameter",
		    "The input parameter aeop_a_e_product_list_query that is "
		    "mandatory for processing this request is not supplied",
		    NULL, NULL));
	if ((q = json_loads(qs, 0, &je)) == NULL || !json_is_object(q)) {
		json_decref(q);
		return (platform_error(shape, "ISV", "InvalidParameter",
		    "aeop_a_e_product_list_query is not a JSON object", NULL,
		    NULL));
	}
	want = json_string_value(json_object_get(q, "product_status_type"));
	wsd = json_string_value(json_object_get(q, "ws_display"));
	if (json_is_integer(v = json_object_get(q, "current_page")))
		page = json_integer_value(v);
	if (json_is_integer(v = json_object_get(q, "page_size")))
		size = json_integer_value(v);
	if (want == NULL) {
		json_decref(q);
		return (result_error(7001, "product_status_type is required"));
	}
	if (size < 1 || size >= 100 || page < 1) {
		json_decref(q);
		return (result_error(
		    7002, "page_size must be 1 to 99, current_page from 1"));
	}
	ids = calloc(json_object_size(products) + 1, sizeof *ids);
	json_object_foreach (products, id, v) {
		st = json_object_get(v, "state");
		if (strcmp(json_string_value(json_object_get(st, "status")),
			want) != 0)
			continue;
		if (wsd != NULL &&
		    (!json_is_string(json_object_get(st, "ws_display")) ||
			strcmp(json_string_value(
				   json_object_get(st, "ws_display")),
			    wsd) != 0))
			continue;
		ids[n++] = id;
	}
	qsort(ids, n, sizeof *ids, id_cmp);
	total = ((json_int_t)n + size - 1) / size;
	list = json_array();
	first = (page - 1) * size;
	for (i = first; i < (json_int_t)n && i < first + size; i++) {
		st =
		    json_object_get(json_object_get(products, ids[i]), "state");
		v = json_pack("{s:I}", "product_id",
		    (json_int_t)strtoll(ids[i], NULL, 10));
		if (json_is_string(json_object_get(st, "subject")))
			json_object_set(
			    v, "subject", json_object_get(st, "subject"));
		if (strcmp(want, "offline") == 0 &&
		    json_is_string(json_object_get(st, "ws_display")))
			json_object_set(
			    v, "ws_display", json_object_get(st, "ws_display"));
		json_array_append_new(list, v);
		count++;
	}
	free(ids);
	json_decref(q);
	res = json_pack("{s:b, s:I, s:I, s:I}", "success", 1, "product_count",
	    (json_int_t)n, "total_page", total, "current_page", page);
	if (ps->simplify)
		json_object_set_new(
		    res, "aeop_a_e_product_display_d_t_o_list", list);
	else
		json_object_set_new(res, "aeop_a_e_product_display_d_t_o_list",
		    json_pack("{s:o}", "item_display_dto", list));
	(void)count;
	return (res);
}

/* Wraps a result as the shape asks: bare, or <method>_response. */
static json_t *
shaped(struct params *ps, const char *method, json_t *result)
{
	char key[256], *p, rid[32];

	if (ps->simplify)
		return (result);
	snprintf(key, sizeof key, "%s_response", method);
	for (p = key; *p != '\0'; p++)
		if (*p == '.')
			*p = '_';
	snprintf(rid, sizeof rid, "fake-%lu", serial);
	return (json_pack(
	    "{s:{s:o, s:s}}", key, "result", result, "request_id", rid));
}

static void
late_free(struct late *l)
{
	struct late **pp;

	for (pp = &lates; *pp != NULL; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	if (stats.held > 0)
		stats.held--;
	evhttp_connection_set_closecb(l->conn, NULL, NULL);
	event_free(l->ev);
	free(l->body);
	free(l);
}

static void
late_send(evutil_socket_t fd, short what, void *arg)
{
	struct late *l = arg;
	struct evhttp_request *req = l->req;
	int status = l->status;
	char *body = l->body;

	(void)fd;
	(void)what;
	l->body = NULL;
	late_free(l);
	reply(req, status, body);
	free(body);
}

/* The client went away before the late answer: evhttp frees the request. */
static void
late_closed(struct evhttp_connection *conn, void *arg)
{
	(void)conn;
	late_free(arg);
}

/* Sends the answer as the mode says; releases j. */
static void
answer(struct evhttp_request *req, int status, json_t *j, enum mode m)
{
	char *s = json_dumps(j, JSON_COMPACT);
	struct timeval tv;
	struct late *l;

	json_decref(j);
	if (s == NULL)
		s = strdup("{}");
	if (m == MODE_TRUNCATED)
		s[strlen(s) / 2] = '\0';
	if (m == MODE_LATENCY && mode_latency > 0 &&
	    (l = calloc(1, sizeof *l)) != NULL) {
		l->req = req;
		l->conn = evhttp_request_get_connection(req);
		l->status = status;
		l->body = s;
		l->ev = evtimer_new(base, late_send, l);
		l->next = lates;
		lates = l;
		if (++stats.held > stats.max_held)
			stats.max_held = stats.held;
		evhttp_connection_set_closecb(l->conn, late_closed, l);
		tv.tv_sec = mode_latency / 1000;
		tv.tv_usec = (mode_latency % 1000) * 1000;
		evtimer_add(l->ev, &tv);
		return;
	}
	reply(req, status, s);
	free(s);
}

/*
 * Counts a received call: per method, per wall-clock second, and within
 * the 1-second span that ends with it.
 */
static void
count_call(const char *method)
{
	time_t t = time(NULL);
	struct timespec ts;
	int64_t us;
	json_t *v;

	stats.calls++;
	if (t != second || per_second_n == 0) {
		second = t;
		stats.this_second = 0;
		served_this_second = 0;
		per_second_at = (per_second_at + 1) % PER_SECONDS;
		per_second[per_second_at] = 0;
		if (per_second_n < PER_SECONDS)
			per_second_n++;
	}
	stats.this_second++;
	per_second[per_second_at]++;
	if (stats.this_second > stats.max_per_second)
		stats.max_per_second = stats.this_second;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	while (window_n > 0 && window[window_head] <= us - 1000000) {
		window_head = (window_head + 1) % WINDOW_CALLS;
		window_n--;
	}
	if (window_n == WINDOW_CALLS) {
		window_head = (window_head + 1) % WINDOW_CALLS;
		window_n--;
	}
	window[(window_head + window_n++) % WINDOW_CALLS] = us;
	if ((long)window_n > max_in_1s)
		max_in_1s = (long)window_n;
	v = json_object_get(stats.by_method, method);
	json_object_set_new(
	    stats.by_method, method, json_integer(json_integer_value(v) + 1));
}

/* The mode that applies to this call (its count used up by one). */
static enum mode
mode_take(void)
{
	enum mode m = mode;

	if (mode != MODE_NORMAL && mode_count > 0 && --mode_count == 0)
		mode = MODE_NORMAL;
	return (m);
}

static char *
newtoken(const char *prefix)
{
	unsigned char r[12];
	char *s;
	FILE *f;
	size_t i;

	memset(r, 0, sizeof r);
	if ((f = fopen("/dev/urandom", "r")) != NULL) {
		if (fread(r, 1, sizeof r, f) != sizeof r)
			r[0] = (unsigned char)serial;
		fclose(f);
	}
	if ((s = malloc(strlen(prefix) + 2 * sizeof r + 1)) == NULL)
		return (NULL);
	strcpy(s, prefix);
	for (i = 0; i < sizeof r; i++)
		snprintf(s + strlen(prefix) + 2 * i, 3, "%02x", r[i]);
	return (s);
}

static json_t *
do_refresh(struct params *ps, int64_t now)
{
	const char *rt = param(ps, "refresh_token");
	char *a, *r;
	json_t *res;

	if (rt == NULL || *rt == '\0')
		return (platform_error(2, "ISV", "MissingParameter",
		    "refresh_token is mandatory", NULL, NULL));
	if (refresh_token == NULL || strcmp(rt, refresh_token) != 0)
		return (platform_error(2, "ISV", "IllegalRefreshToken",
		    "The specified refresh token is invalid or expired", NULL,
		    NULL));
	a = newtoken("fake-at-");
	r = newtoken("fake-rt-");
	if (a == NULL || r == NULL) {
		free(a);
		free(r);
		return (platform_error(
		    2, "ISP", "15", "out of memory", NULL, NULL));
	}
	free(token);
	free(refresh_token);
	token = a;
	refresh_token = r;
	stats.refreshes++;
	res = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:s}",
	    "access_token", token, "refresh_token", refresh_token, "expires_in",
	    (json_int_t)token_ttl, "refresh_expires_in", (json_int_t)2592000,
	    "expire_time", (json_int_t)((now + token_ttl) * 1000),
	    "refresh_token_valid_time", (json_int_t)((now + 2592000) * 1000),
	    "code", "0", "seller_id", "200042", "request_id", "fake-refresh");
	return (res);
}

static void
gateway(struct evhttp_request *req, const char *path)
{
	struct params ps;
	struct evkeyval *kv;
	struct timespec mono;
	const char *method = NULL, *sign_result = "-", *token_result = "-";
	const char *pid = NULL, *what = "ok", *tok;
	int rest = strcmp(path, "/rest" REFRESH_PATH) == 0, shape;
	int64_t now = fake_now();
	json_t *j = NULL;
	enum mode m;
	int status = 200;

	serial++;
	if (params_read(req, &ps) == -1) {
		j = platform_error(0, "ISV", "InvalidParameter",
		    "the form body cannot be read", NULL, NULL);
		what = "bad-form";
		m = MODE_NORMAL;
		goto send;
	}
	shape = error_shape(&ps, rest);
	method = rest ? REFRESH_PATH : param(&ps, "method");
	count_call(method != NULL ? method : "-");
	m = mode_take();

	switch (m) {
	case MODE_HANG:
		what = "hang";
		goto done; /* evhttp frees it when the client gives up */
	case MODE_5XX:
		what = "5xx";
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Content-Type", "text/html");
		{
			struct evbuffer *out = evbuffer_new();

			evbuffer_add_printf(out,
			    "<html><body><h1>502 Bad Gateway</h1></body>"
			    "</html>\n");
			evhttp_send_reply(req, 502, "Bad Gateway", out);
			evbuffer_free(out);
		}
		goto done;
	case MODE_MALFORMED:
		what = "malformed";
		reply(req, 200, "<html>{\"result\": oops</html>");
		goto done;
	case MODE_THROTTLE:
		what = "throttle";
		stats.throttled++;
		j = err_throttle(shape);
		goto send;
	case MODE_QUOTA:
		what = "quota";
		stats.quota_refused++;
		j = err_quota(shape, now);
		goto send;
	case MODE_BADTOKEN:
		what = "badtoken";
		j = err_badtoken(shape);
		goto send;
	default:
		break;
	}

	if ((j = verify(&ps, rest ? REFRESH_PATH : NULL, shape, now,
		 &sign_result)) != NULL) {
		what = sign_result[0] == 'b' ? "bad-sign" : "refused";
		goto send;
	}
	if (rest) {
		j = do_refresh(&ps, now);
		what = json_object_get(j, "access_token") != NULL
		    ? "refreshed"
		    : "refresh-refused";
		goto send;
	}
	if (method == NULL) {
		j = platform_error(shape, "ISV", "MissingParameter",
		    "method is mandatory", NULL, NULL);
		what = "refused";
		goto send;
	}
	tok = param(&ps, "access_token");
	if (tok == NULL)
		tok = param(&ps, "session");
	token_result = tok != NULL && token != NULL && strcmp(tok, token) == 0
	    ? "ok"
	    : "bad";
	if (*token_result == 'b') {
		j = err_badtoken(shape);
		what = "bad-token";
		goto send;
	}
	if ((j = flow_control(shape, now)) != NULL) {
		what = json_object_get(j, "sub_code") != NULL ||
			json_object_get(json_object_get(j, "error_response"),
			    "sub_code") != NULL
		    ? "quota"
		    : "throttled";
		goto send;
	}
	if (strcmp(method, M_CHECK) == 0)
		j = shaped(&ps, method, do_check(&ps, shape, &pid));
	else if (strcmp(method, M_LIST) == 0)
		j = shaped(&ps, method, do_list(&ps, shape));
	else {
		j = platform_error(shape, "ISV", "InvalidApiPath",
		    "The specified API path is invalid", NULL, NULL);
		what = "unknown-method";
	}

send:
	answer(req, status, j, m);
done:
	if (logfp != NULL) {
		clock_gettime(CLOCK_MONOTONIC, &mono);
		fprintf(logfp, "n=%lu ms=%lld", serial,
		    (long long)mono.tv_sec * 1000 + mono.tv_nsec / 1000000);
		log_field("path", path);
		log_field("method", method);
		log_field(
		    "product_id", pid != NULL ? pid : param(&ps, "product_id"));
		fprintf(logfp, " sign=%s token=%s", sign_result, token_result);
		log_field("answer", what);
		fputc('\n', logfp);
		fflush(logfp);
	}
	while ((kv = TAILQ_FIRST(&ps.q)) != NULL) {
		TAILQ_REMOVE(&ps.q, kv, next);
		free(kv->key);
		free(kv->value);
		free(kv);
	}
}

static void
on_request(struct evhttp_request *req, void *arg)
{
	const char *path =
	    evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));

	(void)arg;
	if (path == NULL)
		path = "/";
	if (strncmp(path, "/_fake/", 7) == 0)
		control(req, path);
	else if ((strcmp(path, "/sync") == 0 ||
		     strcmp(path, "/rest" REFRESH_PATH) == 0) &&
	    evhttp_request_get_command(req) == EVHTTP_REQ_POST)
		gateway(req, path);
	else
		reply_json(req, 404,
		    platform_error(0, "ISV", "InvalidApiPath",
			"The specified API path is invalid", NULL, NULL));
}

static long
number(const char *s, const char *what)
{
	char *ep;
	long v;

	errno = 0;
	v = strtol(s, &ep, 10);
	if (*s == '\0' || *ep != '\0' || errno != 0 || v < 0) {
		fprintf(
		    stderr, "fake_aliexpress: %s: not a number: %s\n", what, s);
		exit(2);
	}
	return (v);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port-file", required_argument, NULL, 'p' },
		{ "app-key", required_argument, NULL, 'k' },
		{ "secret-file", required_argument, NULL, 's' },
		{ "token", required_argument, NULL, 't' },
		{ "refresh-token", required_argument, NULL, 'r' },
		{ "qps", required_argument, NULL, 'q' },
		{ "daily-quota", required_argument, NULL, 'd' },
		{ "clock-file", required_argument, NULL, 'c' },
		{ "log", required_argument, NULL, 'l' },
		{ "timeout", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 },
	};
	const char *port_file = NULL, *log_file = NULL, *secret_file = NULL;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct event *sigterm, *sigint, *timer;
	struct sockaddr_in sin;
	socklen_t slen = sizeof sin;
	struct timeval tv = { 600, 0 };
	int ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			port_file = optarg;
			break;
		case 'k':
			app_key = optarg;
			break;
		case 's':
			secret_file = optarg;
			break;
		case 't':
			token = strdup(optarg);
			break;
		case 'r':
			refresh_token = strdup(optarg);
			break;
		case 'q':
			qps = number(optarg, "--qps");
			break;
		case 'd':
			daily_quota = number(optarg, "--daily-quota");
			break;
		case 'c':
			clock_file = optarg;
			break;
		case 'l':
			log_file = optarg;
			break;
		case 'T':
			tv.tv_sec = number(optarg, "--timeout");
			break;
		default:
			usage();
		}
	}
	if (port_file == NULL || app_key == NULL || secret_file == NULL ||
	    token == NULL || optind != argc)
		usage();
	if ((secret = read_file_line(secret_file)) == NULL || *secret == '\0') {
		fprintf(
		    stderr, "fake_aliexpress: %s: no secret\n", secret_file);
		return (1);
	}
	if (log_file != NULL && (logfp = fopen(log_file, "a")) == NULL) {
		perror(log_file);
		return (1);
	}
	signal(SIGPIPE, SIG_IGN);
	products = json_object();
	stats.by_method = json_object();

	if ((base = event_base_new()) == NULL ||
	    (http = evhttp_new(base)) == NULL) {
		fprintf(stderr, "fake_aliexpress: libevent setup failed\n");
		return (1);
	}
	evhttp_set_max_body_size(http, BODY_MAX);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
	evhttp_set_gencb(http, on_request, NULL);
	if ((bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0)) ==
	    NULL) {
		fprintf(stderr, "fake_aliexpress: cannot bind 127.0.0.1\n");
		return (1);
	}
	if (getsockname(evhttp_bound_socket_get_fd(bound),
		(struct sockaddr *)&sin, &slen) == -1) {
		perror("getsockname");
		return (1);
	}
	if (fake_write_port(port_file, ntohs(sin.sin_port)) == -1) {
		perror(port_file);
		return (1);
	}

	sigterm = evsignal_new(base, SIGTERM, fake_on_signal, base);
	sigint = evsignal_new(base, SIGINT, fake_on_signal, base);
	timer = evtimer_new(base, fake_on_timeout, base);
	evsignal_add(sigterm, NULL);
	evsignal_add(sigint, NULL);
	evtimer_add(timer, &tv);

	event_base_dispatch(base);

	while (lates != NULL)
		late_free(lates);
	event_free(sigterm);
	event_free(sigint);
	event_free(timer);
	evhttp_free(http);
	event_base_free(base);
	OPENSSL_cleanse(secret, strlen(secret));
	free(secret);
	free(token);
	free(refresh_token);
	json_decref(products);
	json_decref(stats.by_method);
	if (logfp != NULL)
		fclose(logfp);
	return (0);
}

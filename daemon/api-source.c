/* SPDX-License-Identifier: ISC */
/*
 * api-source.c: the control API's handlers for what the source scheduler
 * adds: classifying an auto-opened case, a case's archived evidence, and
 * importing listings from CSV. The JSON shapes are in api.h.
 *
 * It must not change state itself: lifecycle.c does.
 */

#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <jansson.h>

#include "delistd.h"
#include "api.h"
#include "cases.h"
#include "csv.h"
#include "lifecycle.h"

#define IMPORT_MAX_ERRORS 20
#define IMPORT_TITLE_MAX 1024

static json_t *
as_jstr(const char *s)
{
	return (s != NULL ? json_string(s) : json_null());
}

json_t *
api_evidence_json(int64_t case_id)
{
	struct st_evidence *e;
	size_t n, i;
	json_t *arr = json_array();

	if (store_evidence_list(daemon_state->store, case_id, &e, &n) == -1)
		return (arr);
	for (i = 0; i < n; i++)
		json_array_append_new(arr,
		    json_pack("{s:s,s:o,s:I,s:o,s:o,s:o,s:o}", "kind",
			e[i].kind, "sha256", as_jstr(e[i].sha256), "size",
			(json_int_t)e[i].size, "at", json_time(e[i].at), "url",
			as_jstr(e[i].url), "error", as_jstr(e[i].error),
			"title", as_jstr(e[i].title)));
	st_evidence_free(e, n);
	return (arr);
}

/* case classify's body, {"reason", "rule"?}, for one case or many. */
int
api_classify_args(struct api_req *r, json_t *body, struct api_case_args *a)
{
	json_error_t jerr;

	a->rule = NULL;
	if (body == NULL) {
		api_error(r, 400, "missing_body",
		    "this request needs a JSON object body");
		return (-1);
	}
	if (json_unpack_ex(body, &jerr, JSON_STRICT, "{s:s,s?s}", "reason",
		&a->reason, "rule", &a->rule) == -1) {
		api_error(
		    r, 400, "bad_request", "bad request body: %s", jerr.text);
		return (-1);
	}
	if (!cases_reason_valid(a->reason)) {
		api_error(r, 400, "unknown_reason",
		    "unknown reason \"%.64s\" (one of: %s)", a->reason,
		    cases_reason_list());
		return (-1);
	}
	if (a->rule != NULL && (*a->rule == '\0' || strlen(a->rule) > 4096)) {
		api_error(r, 400, "bad_field",
		    "rule is empty or longer than 4096 bytes");
		return (-1);
	}
	return (0);
}

int
api_classify_apply(int64_t id, const struct api_case_args *a, const char *who,
    struct lifecycle_err *err)
{
	return (lifecycle_classify(id, a->reason, a->rule, who, err));
}

void
api_case_classify(struct api_req *r)
{
	struct api_case_args args = { 0 };
	struct lifecycle_err err = { 0 };
	int64_t id;
	char *who;

	if (api_path_id(r, 0, &id) == -1 ||
	    api_classify_args(r, r->body, &args) == -1)
		return;
	who = api_actor(r);
	if (api_classify_apply(id, &args, who, &err) == -1)
		api_reply_err(r, &err);
	else
		api_reply_case(r, 200, id);
	free(who);
}

/* 0 if the case exists, else the answer is sent. */
static int
case_exists(struct api_req *r, int64_t id)
{
	struct st_case c;
	int rc = store_case_get(daemon_state->store, id, &c);

	if (rc == 0) {
		st_case_clear(&c);
		return (0);
	}
	if (rc == 1)
		api_error(
		    r, 404, "not_found", "case %lld not found", (long long)id);
	else
		api_error(r, 500, "store", "cannot read the case");
	return (-1);
}

void
api_case_evidence(struct api_req *r)
{
	int64_t id;

	if (api_path_id(r, 0, &id) == -1 || case_exists(r, id) == -1)
		return;
	api_reply(r, 200,
	    json_pack("{s:I,s:o}", "case", (json_int_t)id, "evidence",
		api_evidence_json(id)));
}

void
api_case_evidence_get(struct api_req *r)
{
	struct st_evidence *e;
	struct evbuffer *buf;
	struct stat sb;
	const char *sha = r->args[1];
	char *path;
	size_t n, i;
	int64_t id;
	int found = 0, fd;

	if (api_path_id(r, 0, &id) == -1 || case_exists(r, id) == -1)
		return;
	if (!evidence_valid_hash(sha)) {
		api_error(r, 404, "not_found",
		    "\"%.80s\" is not a SHA-256 (64 lower-case hex digits)",
		    sha);
		return;
	}
	if (store_evidence_list(daemon_state->store, id, &e, &n) == -1) {
		api_error(r, 500, "store", "cannot read the evidence");
		return;
	}
	for (i = 0; i < n; i++)
		found |= e[i].sha256 != NULL && strcmp(e[i].sha256, sha) == 0;
	st_evidence_free(e, n);
	if (!found) {
		api_error(r, 404, "not_found",
		    "case %lld has no evidence %.16s...; see delistctl case "
		    "evidence %lld",
		    (long long)id, sha, (long long)id);
		return;
	}
	path = evidence_path(sha);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1 ||
	    fstat(fd, &sb) == -1) {
		api_error(r, 500, "evidence_missing",
		    "the evidence file %s cannot be read: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		free(path);
		return;
	}
	free(path);
	buf = evbuffer_new();
	if (sb.st_size > 0 &&
	    evbuffer_add_file(buf, fd, 0, (ev_off_t)sb.st_size) == -1) {
		close(fd);
		evbuffer_free(buf);
		api_error(r, 500, "evidence_missing",
		    "the evidence file cannot be read");
		return;
	}
	if (sb.st_size == 0)
		close(fd);
	api_send_text(r, 200, "application/octet-stream", buf);
	evbuffer_free(buf);
}

static int
csv_shop_ok(const char *shop)
{
	size_t i;

	for (i = 0; shop[i] != '\0'; i++) {
		if (!isalnum((unsigned char)shop[i]) && shop[i] != '-' &&
		    shop[i] != '_')
			return (0);
	}
	return (i > 0 && i <= 64);
}

static void import_bad(json_t *errs, size_t line, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

static void
import_bad(json_t *errs, size_t line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (json_array_size(errs) >= IMPORT_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	json_array_append_new(errs,
	    json_pack("{s:I,s:s}", "line", (json_int_t)line, "message", msg));
	free(msg);
}

void
api_listings_import(struct api_req *r)
{
	const char *csv, *p, *eol, *end, *cols[4], *bad;
	struct lifecycle_import_row *rows = NULL;
	char **bufs = NULL, *buf, *who, *first = NULL, why[256];
	size_t nrows = 0, nbufs = 0, line = 0, nbad = 0, created, i, len;
	struct lifecycle_err err = { 0 };
	json_error_t jerr;
	json_t *errs, *doc;
	int ncols, dry = 0;

	if (r->body == NULL ||
	    json_unpack_ex(r->body, &jerr, JSON_STRICT, "{s:s,s?b}", "csv",
		&csv, "dry_run", &dry) == -1) {
		api_error(r, 400, "bad_request",
		    "the body is {\"csv\": \"shop,product_id[,title]\\n...\", "
		    "\"dry_run\"?}");
		return;
	}
	errs = json_array();
	end = csv + strlen(csv);
	csv += csv_bom(csv, (size_t)(end - csv));
	for (p = csv; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		line++;
		/* Blank lines (and a CR before the LF) are nothing. */
		len = (size_t)(eol - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0)
			continue;
		buf = xmalloc(len + 1);
		ncols = csv_split(p, len, buf, cols, 4);
		if (line == 1 && ncols >= 2 &&
		    strcasecmp(cols[0], "shop") == 0 &&
		    strcasecmp(cols[1], "product_id") == 0) {
			free(buf);
			continue;
		}
		if (ncols < 2 || ncols > 3) {
			import_bad(errs, line,
			    "expected shop,product_id[,title]%s",
			    ncols == -1 ? " (a broken quote, or more fields)"
					: "");
			nbad++;
		} else if (!csv_shop_ok(cols[0])) {
			import_bad(errs, line, "\"%.64s\" is not a shop name",
			    cols[0]);
			nbad++;
		} else if (config_shop(daemon_state->config, cols[0]) == NULL) {
			first = config_shop_list(daemon_state->config);
			import_bad(errs, line,
			    "unknown shop \"%.64s\" (configured: %s)", cols[0],
			    *first ? first : "none");
			free(first);
			nbad++;
		} else if (api_product_id_bad(
			       cols[0], cols[1], why, sizeof why) == -1) {
			import_bad(errs, line, "%s", why);
			nbad++;
		} else if (ncols == 3 && strlen(cols[2]) > IMPORT_TITLE_MAX) {
			import_bad(errs, line,
			    "the title is longer than %d bytes",
			    IMPORT_TITLE_MAX);
			nbad++;
		} else if (ncols == 3 && (bad = csv_control(cols[2])) != NULL) {
			import_bad(errs, line,
			    "the title has a control character (byte 0x%02x "
			    "at offset %zu); titles are plain text",
			    (unsigned)(unsigned char)*bad,
			    (size_t)(bad - cols[2]));
			nbad++;
		} else {
			rows = xreallocarray(rows, nrows + 1, sizeof *rows);
			bufs = xreallocarray(bufs, nbufs + 1, sizeof *bufs);
			bufs[nbufs++] = buf;
			rows[nrows].shop = cols[0];
			rows[nrows].product_id = cols[1];
			rows[nrows].title =
			    ncols == 3 && *cols[2] != '\0' ? cols[2] : NULL;
			nrows++;
			continue;
		}
		free(buf);
	}
	if (nbad > 0) {
		doc = json_pack("{s:{s:s,s:s,s:o}}", "error", "code", "bad_csv",
		    "message", "the CSV has bad lines; nothing was imported",
		    "lines", errs);
		json_object_set_new(json_object_get(doc, "error"), "bad_lines",
		    json_integer((json_int_t)nbad));
		api_reply(r, 400, doc);
		goto out;
	}
	json_decref(errs);
	if (nrows == 0) {
		api_error(r, 400, "bad_csv",
		    "the CSV has no listing (lines shop,product_id[,title])");
		goto out;
	}
	/* A dry run (delistctl's first pass over a large file) stores none. */
	if (dry) {
		api_reply(r, 200,
		    json_pack("{s:I,s:I,s:b}", "imported", (json_int_t)nrows,
			"created", (json_int_t)0, "dry_run", 1));
		goto out;
	}
	who = api_actor(r);
	if (lifecycle_import(rows, nrows, who, &created, &err) == -1)
		api_reply_err(r, &err);
	else
		api_reply(r, 200,
		    json_pack("{s:I,s:I}", "imported", (json_int_t)nrows,
			"created", (json_int_t)created));
	free(who);
out:
	for (i = 0; i < nbufs; i++)
		free(bufs[i]);
	free(bufs);
	free(rows);
}

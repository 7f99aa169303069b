/* SPDX-License-Identifier: ISC */
/*
 * delistctl-source.c: the verbs for what the source scheduler adds:
 * import (listings from CSV), case classify and case evidence.
 */

#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistctl.h"
#include "text.h"

#define IMPORT_FILE_MAX (900 * 1024) /* under the API's 1 MiB body */

static char *src_utf8(const char *, char *, size_t);

static const char *
src_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "-");
}

/*
 * text (n bytes, from file name) as UTF-8: itself if it is UTF-8 (a BOM
 * is the daemon's to skip), converted if it is GB18030, as Chinese Excel
 * and WPS save a CSV (said on stderr). Bytes valid in neither are refused
 * with the line of the first bad byte in the encoding that got further.
 */
static char *
src_utf8(const char *name, char *text, size_t n)
{
	size_t uoff, goff, off, line, i;
	char *conv;

	if (text_utf8_check(text, n, &uoff, NULL) == 0)
		return (text);
	if ((conv = text_from_gb18030(text, n, &goff)) != NULL) {
		fprintf(stderr,
		    "delistctl: %s is GB18030 (Chinese Excel/WPS), converted "
		    "to UTF-8\n",
		    name);
		free(text);
		return (conv);
	}
	off = goff > uoff ? goff : uoff;
	for (line = 1, i = 0; i < off; i++)
		line += text[i] == '\n';
	ctl_fail("%s:%zu: neither UTF-8 nor GB18030 (byte 0x%02x); nothing "
		 "imported",
	    name, line, (unsigned char)text[off]);
}

int
ctl_source_import(struct ctl_args *a)
{
	json_t *doc, *body, *err, *lines, *l;
	char *text, *raw = NULL;
	const char *msg, *name;
	size_t n, i;
	long status;

	name = ctl_file_name(a->argv[0]);
	text = ctl_read_file(a->argv[0], "CSV file", IMPORT_FILE_MAX, &n);
	if (memchr(text, '\0', n) != NULL)
		ctl_fail("%s is not a text file", name);
	text = src_utf8(name, text, n);
	body = json_object();
	if (json_object_set_new(body, "csv", json_string(text)) == -1)
		ctl_fail("%s is not UTF-8", name);
	free(text);
	status = ctl_request("POST", "/v1/listings/import", body, &doc, &raw);
	json_decref(body);
	if (status < 200 || status > 299) {
		err = doc ? json_object_get(doc, "error") : NULL;
		msg = err ? json_string_value(json_object_get(err, "message"))
			  : NULL;
		if (ctl.json && raw != NULL)
			fputs(raw, stderr);
		lines = err ? json_object_get(err, "lines") : NULL;
		json_array_foreach (lines, i, l)
			fprintf(stderr, "%s:%lld: %s\n", name,
			    (long long)json_integer_value(
				json_object_get(l, "line")),
			    src_str(l, "message"));
		fprintf(stderr, "delistctl: %s\n",
		    msg ? msg : "delistd refused the import");
		exit(status >= 500 ? 3 : 1);
	}
	if (ctl.json)
		fputs(raw, stdout);
	else
		printf("imported %lld listings (%lld newly tracked)\n",
		    (long long)json_integer_value(
			json_object_get(doc, "imported")),
		    (long long)json_integer_value(
			json_object_get(doc, "created")));
	free(raw);
	json_decref(doc);
	return (0);
}

int
ctl_source_classify(struct ctl_args *a)
{
	const char *rule = ctl_args_get(a, 'r');
	json_t *body, *doc, *s;
	long long id;
	char *path;

	id = ctl_id(a->argv[0], "case");
	body = json_pack("{s:s}", "reason", a->argv[1]);
	if (body == NULL)
		ctl_fail("the reason is not UTF-8");
	if (rule != NULL) {
		if ((s = json_string(rule)) == NULL)
			ctl_fail("the rule is not UTF-8");
		json_object_set_new(body, "rule", s);
	}
	path = ctl_fmt("/v1/cases/%lld/classify", id);
	doc = ctl_call("POST", path, body);
	free(path);
	if (!ctl.json)
		printf("case %lld: classified %s, state %s\n", id,
		    src_str(doc, "reason"), src_str(doc, "state"));
	json_decref(doc);
	return (0);
}

/* Writes an archived file to stdout, as it was stored. */
static int
src_evidence_get(long long id, const char *sha)
{
	json_t *doc = NULL;
	const char *msg;
	char *path, *raw = NULL;
	long status;

	path = ctl_fmt("/v1/cases/%lld/evidence/%s", id, sha);
	status = ctl_request("GET", path, NULL, &doc, &raw);
	free(path);
	if (status < 200 || status > 299) {
		msg = json_string_value(
		    json_object_get(json_object_get(doc, "error"), "message"));
		fprintf(stderr, "delistctl: %s\n",
		    msg ? msg : "delistd refused the request");
		exit(status >= 500 ? 3 : 1);
	}
	fputs(raw, stdout);
	free(raw);
	json_decref(doc);
	return (0);
}

int
ctl_source_evidence(struct ctl_args *a)
{
	const char *get = ctl_args_get(a, 'g');
	json_t *doc, *ev, *e;
	char ***rows, *path;
	long long id;
	size_t n, i;
	int ch;

	id = ctl_id(a->argv[0], "case");
	if (get != NULL)
		return (src_evidence_get(id, get));
	path = ctl_fmt("/v1/cases/%lld/evidence", id);
	doc = ctl_call("GET", path, NULL);
	free(path);
	if (ctl.json) {
		json_decref(doc);
		return (0);
	}
	ev = json_object_get(doc, "evidence");
	if ((n = json_array_size(ev)) == 0) {
		printf("case %lld: no evidence archived\n", id);
		json_decref(doc);
		return (0);
	}
	if ((rows = calloc(n + 1, sizeof *rows)) == NULL)
		ctl_fail("out of memory");
	for (i = 0; i <= n; i++) {
		if ((rows[i] = calloc(5, sizeof *rows[i])) == NULL)
			ctl_fail("out of memory");
	}
	rows[0][0] = strdup("KIND");
	rows[0][1] = strdup("TIME");
	rows[0][2] = strdup("BYTES");
	rows[0][3] = strdup("SHA256");
	rows[0][4] = strdup("URL/ERROR");
	json_array_foreach (ev, i, e) {
		rows[i + 1][0] = strdup(src_str(e, "kind"));
		rows[i + 1][1] = strdup(src_str(e, "at"));
		rows[i + 1][2] = ctl_fmt("%lld",
		    (long long)json_integer_value(json_object_get(e, "size")));
		rows[i + 1][3] =
		    strdup(json_is_string(json_object_get(e, "sha256"))
			    ? src_str(e, "sha256")
			    : "-");
		if (json_is_string(json_object_get(e, "error")))
			rows[i + 1][4] =
			    ctl_fmt("failed: %s", src_str(e, "error"));
		else if (strcmp(src_str(e, "kind"), "before") == 0)
			rows[i + 1][4] = ctl_fmt("last healthy answer%s%s%s",
			    json_is_string(json_object_get(e, "title")) ? ": \""
									: "",
			    src_str(e, "title"),
			    json_is_string(json_object_get(e, "title")) ? "\""
									: "");
		else
			rows[i + 1][4] = strdup(src_str(e, "url"));
	}
	ctl_table(rows, n + 1, 5);
	for (i = 0; i <= n; i++) {
		for (ch = 0; ch < 5; ch++)
			free(rows[i][ch]);
		free(rows[i]);
	}
	free(rows);
	json_decref(doc);
	return (0);
}

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
#include <unistd.h>

#include <jansson.h>

#include "delistctl.h"
#include "i18n.h"
#include "text.h"

/* An import's batches: so many lines, under the API's 1 MiB body. */
#define IMPORT_BATCH_LINES 1000
#define IMPORT_BATCH_MAX (512 * 1024)

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
		    _("delistctl: %s is GB18030 (Chinese Excel/WPS), converted "
		      "to UTF-8\n"),
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

/*
 * One batch of an import: lines [first, first + n) of the file (text from
 * off, len bytes). Returns the daemon's answer; bad lines are printed as
 * name:line (line numbers of the whole file) and counted in *nbad, the
 * answer then NULL; any other refusal exits.
 */
static json_t *
src_batch(const char *name, const char *text, size_t len, size_t first, int dry,
    size_t *nbad)
{
	json_t *doc = NULL, *body, *err, *l;
	char *raw = NULL;
	const char *msg;
	size_t i;
	long status;

	body = json_pack("{s:s%,s:b}", "csv", text, len, "dry_run", dry);
	if (body == NULL)
		ctl_fail(_("%s is not UTF-8"), name);
	status = ctl_request("POST", "/v1/listings/import", body, &doc, &raw);
	json_decref(body);
	err = doc ? json_object_get(doc, "error") : NULL;
	if (status == 400 && json_object_get(err, "lines") != NULL) {
		json_array_foreach (json_object_get(err, "lines"), i, l)
			fprintf(stderr, "%s:%lld: %s\n", name,
			    (long long)(first - 1 +
				json_integer_value(json_object_get(l, "line"))),
			    src_str(l, "message"));
		*nbad += json_integer_value(json_object_get(err, "bad_lines"));
		free(raw);
		json_decref(doc);
		return (NULL);
	}
	if (status < 200 || status > 299) {
		msg = err ? json_string_value(json_object_get(err, "message"))
			  : NULL;
		if (ctl.json && raw != NULL)
			fputs(raw, stderr);
		fprintf(stderr, "delistctl: %s\n",
		    msg ? msg : _("delistd refused the import"));
		exit(status >= 500 ? 3 : 1);
	}
	free(raw);
	return (doc);
}

/*
 * import FILE: any size. The file is cut into batches of whole lines
 * (IMPORT_BATCH_LINES, under IMPORT_BATCH_MAX bytes), first all checked
 * (a dry run: a bad line anywhere imports nothing, and every one is named
 * as file:line), then tracked one batch a request, with a progress line
 * on a terminal.
 */
int
ctl_source_import(struct ctl_args *a)
{
	json_t *doc;
	char *text;
	const char *name, *p, *end, *eol, *start;
	size_t n, nbad = 0, line, first, lines, total = 0, done = 0,
		  created = 0;
	int pass, tty = isatty(STDERR_FILENO);

	name = ctl_file_name(a->argv[0]);
	text = ctl_read_file(a->argv[0], "CSV file", 0, &n);
	if (memchr(text, '\0', n) != NULL)
		ctl_fail("%s is not a text file", name);
	text = src_utf8(name, text, n);
	n = strlen(text);
	end = text + n;
	for (pass = 0; pass < 2; pass++) {
		line = 1;
		for (start = text; start < end;) {
			first = line;
			for (p = start, lines = 0;
			     p < end && lines < IMPORT_BATCH_LINES; p = eol) {
				eol = memchr(p, '\n', (size_t)(end - p));
				eol = eol != NULL ? eol + 1 : end;
				if (eol - start > IMPORT_BATCH_MAX && lines > 0)
					break;
				lines++;
			}
			line += lines;
			/* Blank lines at the end are no batch of their own. */
			for (eol = start; eol < p && strchr(" \t\r\n", *eol);)
				eol++;
			doc = eol == p
			    ? NULL
			    : src_batch(name, start, (size_t)(p - start), first,
				  pass == 0, &nbad);
			start = p;
			if (doc == NULL)
				continue;
			if (pass == 0)
				total += json_integer_value(
				    json_object_get(doc, "imported"));
			else {
				done += json_integer_value(
				    json_object_get(doc, "imported"));
				created += json_integer_value(
				    json_object_get(doc, "created"));
				if (tty && !ctl.json) {
					/* \r first: not in the catalogue */
					fputc('\r', stderr);
					fprintf(stderr,
					    _("importing: %zu of %zu "
					      "listings"),
					    done, total);
				}
			}
			json_decref(doc);
		}
		if (pass == 0 && nbad > 0) {
			free(text);
			ctl_fail(_("%s: %zu line(s) refused; nothing imported"),
			    name, nbad);
		}
		if (pass == 0 && total == 0) {
			free(text);
			ctl_fail(_("%s has no listing (lines "
				   "shop,product_id[,title])"),
			    name);
		}
	}
	free(text);
	if (tty && !ctl.json)
		fputc('\n', stderr);
	if (ctl.json)
		printf("{\"imported\": %zu, \"created\": %zu, "
		       "\"already_tracked\": %zu, \"refused\": 0}\n",
		    done, created, done - created);
	else
		printf(_("imported %zu listings (%zu newly tracked); %zu "
			 "already tracked, 0 refused\n"),
		    done, created, done - created);
	return (0);
}

/* case classify's options: --rule, and the bulk form's. */
const struct option ctl_source_classify_options[] = {
	{ "rule", required_argument, NULL, 'r' },
	CTL_BULK_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

int
ctl_source_classify(struct ctl_args *a)
{
	const char *rule = ctl_args_get(a, 'r');
	json_t *body, *doc, *s;
	long long id;
	char *path;

	/* The last operand is the reason; the cases come before it. */
	body = json_pack("{s:s}", "reason", a->argv[a->argc - 1]);
	if (body == NULL)
		ctl_fail("the reason is not UTF-8");
	if (ctl_bulk_wanted(a, a->argc - 1)) {
		if (rule != NULL)
			json_object_set_new(body, "rule", json_string(rule));
		return (
		    ctl_bulk_cases(a, a->argv, a->argc - 1, "classify", body));
	}
	if (a->argc != 2)
		ctl_usage_fail(a->usage);
	id = ctl_id(a->argv[0], "case");
	if (rule != NULL) {
		if ((s = json_string(rule)) == NULL)
			ctl_fail("the rule is not UTF-8");
		json_object_set_new(body, "rule", s);
	}
	path = ctl_fmt("/v1/cases/%lld/classify", id);
	doc = ctl_call("POST", path, body);
	free(path);
	if (!ctl.json)
		printf(_("case %lld: classified %s, state %s\n"), id,
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

	id = ctl_id(a->argv[0], N_("case"));
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
		printf(_("case %lld: no evidence archived\n"), id);
		json_decref(doc);
		return (0);
	}
	if ((rows = calloc(n + 1, sizeof *rows)) == NULL)
		ctl_fail("out of memory");
	for (i = 0; i <= n; i++) {
		if ((rows[i] = calloc(5, sizeof *rows[i])) == NULL)
			ctl_fail("out of memory");
	}
	rows[0][0] = strdup(_("KIND"));
	rows[0][1] = strdup(_("TIME"));
	rows[0][2] = strdup(_("BYTES"));
	rows[0][3] = strdup(_("SHA256"));
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
			    ctl_fmt(_("failed: %s"), src_str(e, "error"));
		else if (strcmp(src_str(e, "kind"), "before") == 0)
			rows[i + 1][4] = ctl_fmt(_("last healthy answer%s%s%s"),
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

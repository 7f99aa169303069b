/*
 * delistctl-docs.c: delistctl's verbs for the document vault.
 *
 * doc add|list|show|get|rm, and case doc (attach a vault document to a
 * case): one function per verb, one row per verb. doc add reads the file
 * and sends its bytes as they are (POST /v1/documents, api.h); everything
 * about it (format, size, type, dates, shop, products) is judged by the
 * daemon, whose one-line refusal is what the user reads. Only the ids
 * that go into a path are checked here.
 */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "delistctl.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* The largest file doc add reads (the daemon has its own, lower limit). */
#define DOCS_READ_MAX ((off_t)1 << 30)

static int doc_add(struct ctl_args *);
static int doc_list(struct ctl_args *);
static int doc_show(struct ctl_args *);
static int doc_get(struct ctl_args *);
static int doc_rm(struct ctl_args *);
static int doc_help(struct ctl_args *);

/* doc add's options. */
static const struct option doc_add_options[] = {
	{ "type", required_argument, NULL, 't' },
	{ "shop", required_argument, NULL, 's' },
	{ "products", required_argument, NULL, 'p' },
	{ "issuer", required_argument, NULL, 'i' },
	{ "expires", required_argument, NULL, 'e' },
	{ "chain-of", required_argument, NULL, 'c' },
	{ "rename", no_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

/* doc list's options: the filters. */
static const struct option doc_list_options[] = {
	{ "expiring", required_argument, NULL, 'e' },
	{ "shop", required_argument, NULL, 's' },
	{ "type", required_argument, NULL, 't' },
	{ "product", required_argument, NULL, 'p' },
	{ "case", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 },
};

/* doc get's options (its template's longopts). */
static const struct option doc_get_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ NULL, 0, NULL, 0 },
};

static const struct ctl_cmd docs_cmds[] = {
	{ "add",
	    "doc add FILE --type TYPE [--shop SHOP] [--products ID,...] "
	    "[--issuer TEXT] [--expires YYYY-MM-DD] [--chain-of DOC] "
	    "[--rename]",
	    "store a PDF, JPEG or PNG in the vault; prints its id", NULL,
	    doc_add, { "", doc_add_options, 1, 1 } },
	{ "list",
	    "doc list [--expiring DUR] [--shop SHOP] [--type TYPE] "
	    "[--product ID] [--case ID]",
	    "the documents (--expiring 30d: those expiring within 30 days, "
	    "and expired ones)",
	    NULL, doc_list, { "", doc_list_options, 0, 0 } },
	{ "show", "doc show ID",
	    "a document, the cases that refer to it and the listings it "
	    "covers",
	    NULL, doc_show, { "", NULL, 1, 1 } },
	{ "get", "doc get ID [-o FILE]",
	    "the document's file, to FILE or standard output", NULL, doc_get,
	    { "o:", doc_get_options, 1, 1 } },
	{ "rm", "doc rm ID",
	    "remove a document (refused while an open case refers to it)", NULL,
	    doc_rm, { "", NULL, 1, 1 } },
	{ "help", "doc help", "show the doc verbs", NULL, doc_help,
	    { "", NULL, 0, 0 } },
};

const struct ctl_group ctl_docs_group = { "doc", docs_cmds, nitems(docs_cmds) };

static int
doc_help(__unused struct ctl_args *a)
{
	printf("usage: delistctl [-s socket] [--json] doc VERB ...; the "
	       "verbs:\n");
	ctl_rows(stdout, docs_cmds, nitems(docs_cmds), NULL);
	return (0);
}

static void
docs_append(char **path, const char *key, const char *value)
{
	char *esc = ctl_escape(value), *old = *path;

	if (asprintf(path, "%s%c%s=%s", old, strchr(old, '?') ? '&' : '?', key,
		esc) == -1)
		ctl_fail("out of memory");
	free(old);
	free(esc);
}

static const char *
docs_str(const json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

/* Reads a whole file; exits with a one-line reason if it cannot. */
static char *
docs_read(const char *path, size_t *lenp)
{
	struct stat sb;
	char *buf;
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		ctl_fail("cannot read %s: %s", path, strerror(errno));
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode))
		ctl_fail("%s is not a file", path);
	if (sb.st_size > DOCS_READ_MAX)
		ctl_fail("%s is larger than 1G", path);
	if ((buf = malloc((size_t)sb.st_size + 1)) == NULL)
		ctl_fail("out of memory");
	while (off < (size_t)sb.st_size) {
		n = read(fd, buf + off, (size_t)sb.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			ctl_fail("cannot read %s: %s", path, strerror(errno));
		if (n == 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	*lenp = off;
	return (buf);
}

static int
doc_add(struct ctl_args *a)
{
	static const int letters[5] = { 's', 'p', 'i', 'e', 'c' };
	const char *type = ctl_args_get(a, 't'), *file = a->argv[0], *base;
	const char *opts[5][2] = { { "shop", NULL }, { "products", NULL },
		{ "issuer", NULL }, { "expires", NULL }, { "chain_of", NULL } };
	char *path, *data, *raw = NULL;
	json_t *doc = NULL, *w;
	size_t len, i;
	long status;
	int rename = ctl_args_has(a, 'r');

	for (i = 0; i < nitems(letters); i++)
		opts[i][1] = ctl_args_get(a, letters[i]);
	if (opts[4][1] != NULL)
		ctl_id(opts[4][1], "document");
	if (type == NULL)
		ctl_usage_fail(a->usage);
	base = strrchr(file, '/') != NULL ? strrchr(file, '/') + 1 : file;
	if (*base == '\0')
		ctl_fail("%s names a directory, not a file", file);
	data = docs_read(file, &len);
	if ((path = strdup("/v1/documents")) == NULL)
		ctl_fail("out of memory");
	docs_append(&path, "type", type);
	docs_append(&path, "name", base);
	for (i = 0; i < nitems(opts); i++) {
		if (opts[i][1] != NULL)
			docs_append(&path, opts[i][0], opts[i][1]);
	}
	if (rename)
		docs_append(&path, "rename", "1");
	status = ctl_request_bytes("POST", path, "application/octet-stream",
	    data, len, &doc, &raw, NULL);
	free(path);
	free(data);
	/* Beyond its body limit the daemon's HTTP layer answers by itself. */
	if (status == 413 && doc == NULL)
		ctl_fail("%s is %zu bytes, more than delistd takes (max_upload "
			 "in delistd.conf)",
		    file, len);
	doc = ctl_answer(status, doc, raw);
	json_array_foreach (json_object_get(doc, "warnings"), i, w)
		fprintf(
		    stderr, "delistctl: warning: %s\n", json_string_value(w));
	if (!ctl.json) {
		printf("%lld\n",
		    (long long)json_integer_value(json_object_get(doc, "id")));
		if (json_is_true(json_object_get(doc, "duplicate")))
			fprintf(stderr,
			    "delistctl: the same content is already in the "
			    "vault as document %lld (%s, added %s); nothing "
			    "changed\n",
			    (long long)json_integer_value(
				json_object_get(doc, "id")),
			    docs_str(doc, "name"), docs_str(doc, "added_at"));
		else if (strcmp(docs_str(doc, "name"), base) != 0)
			fprintf(stderr, "delistctl: stored as %s\n",
			    docs_str(doc, "name"));
	}
	json_decref(doc);
	return (0);
}

/* "800x1000 jpeg" or "pdf". */
static void
docs_format(const json_t *d, char *buf, size_t len)
{
	if (json_is_integer(json_object_get(d, "width")))
		snprintf(buf, len, "%s %lldx%lld", docs_str(d, "format"),
		    (long long)json_integer_value(json_object_get(d, "width")),
		    (long long)json_integer_value(
			json_object_get(d, "height")));
	else
		snprintf(buf, len, "%s", docs_str(d, "format"));
}

static char *
docs_products(const json_t *d)
{
	json_t *v;
	size_t i;
	char *s = strdup(""), *old;

	json_array_foreach (json_object_get(d, "products"), i, v) {
		old = s;
		if (asprintf(&s, "%s%s%s", old, i ? "," : "",
			json_string_value(v)) == -1)
			ctl_fail("out of memory");
		free(old);
	}
	return (s);
}

static char *
docs_expiry(const json_t *d)
{
	char *s;
	const char *e = docs_str(d, "expires");

	if (e == NULL)
		return (strdup("-"));
	if (asprintf(&s, "%s%s", e,
		json_is_true(json_object_get(d, "expired")) ? " (expired)"
							    : "") == -1)
		ctl_fail("out of memory");
	return (s);
}

static int
doc_list(struct ctl_args *a)
{
	static const char *const keys[] = { "expiring", "shop", "type",
		"product", "case" };
	static const int opts[] = { 'e', 's', 't', 'p', 'c' };
	const char *vals[5];
	char *path, ***rows, fmt[64], id[32];
	json_t *doc, *arr, *d;
	size_t i, j, n;

	for (i = 0; i < nitems(opts); i++)
		vals[i] = ctl_args_get(a, opts[i]);
	if (vals[4] != NULL)
		ctl_id(vals[4], "case");
	if ((path = strdup("/v1/documents")) == NULL)
		ctl_fail("out of memory");
	for (i = 0; i < nitems(keys); i++) {
		if (vals[i] != NULL)
			docs_append(&path, keys[i], vals[i]);
	}
	doc = ctl_call("GET", path, NULL);
	free(path);
	if (ctl.json) {
		json_decref(doc);
		return (0);
	}
	arr = json_object_get(doc, "documents");
	n = json_array_size(arr);
	if (n == 0) {
		printf("no documents\n");
		json_decref(doc);
		return (0);
	}
	if ((rows = calloc(n + 1, sizeof *rows)) == NULL)
		ctl_fail("out of memory");
	for (i = 0; i <= n; i++) {
		if ((rows[i] = calloc(7, sizeof **rows)) == NULL)
			ctl_fail("out of memory");
	}
	rows[0][0] = strdup("ID");
	rows[0][1] = strdup("TYPE");
	rows[0][2] = strdup("NAME");
	rows[0][3] = strdup("SHOP");
	rows[0][4] = strdup("PRODUCTS");
	rows[0][5] = strdup("EXPIRES");
	rows[0][6] = strdup("FORMAT");
	json_array_foreach (arr, i, d) {
		snprintf(id, sizeof id, "%lld",
		    (long long)json_integer_value(json_object_get(d, "id")));
		docs_format(d, fmt, sizeof fmt);
		rows[i + 1][0] = strdup(id);
		rows[i + 1][1] = strdup(docs_str(d, "type"));
		rows[i + 1][2] = strdup(docs_str(d, "name"));
		rows[i + 1][3] =
		    strdup(docs_str(d, "shop") ? docs_str(d, "shop") : "-");
		rows[i + 1][4] = docs_products(d);
		if (*rows[i + 1][4] == '\0') {
			free(rows[i + 1][4]);
			rows[i + 1][4] = strdup("-");
		}
		rows[i + 1][5] = docs_expiry(d);
		rows[i + 1][6] = strdup(fmt);
	}
	ctl_table(rows, n + 1, 7);
	for (i = 0; i <= n; i++) {
		for (j = 0; j < 7; j++)
			free(rows[i][j]);
		free(rows[i]);
	}
	free(rows);
	json_decref(doc);
	return (0);
}

static json_t *
docs_get_doc(const char *arg, const char *suffix)
{
	char *path;
	json_t *doc;

	if (asprintf(&path, "/v1/documents/%lld%s", ctl_id(arg, "document"),
		suffix) == -1)
		ctl_fail("out of memory");
	doc = ctl_call("GET", path, NULL);
	free(path);
	return (doc);
}

static int
doc_show(struct ctl_args *a)
{
	json_t *doc, *v, *chain;
	char fmt[64], tb[CTL_TIME_LEN], *s;
	size_t i;

	doc = docs_get_doc(a->argv[0], "");
	if (ctl.json) {
		json_decref(doc);
		return (0);
	}
	docs_format(doc, fmt, sizeof fmt);
	printf("document %lld: %s\n",
	    (long long)json_integer_value(json_object_get(doc, "id")),
	    docs_str(doc, "name"));
	printf("type      %s\n", docs_str(doc, "type"));
	printf("format    %s, %lld bytes\n", fmt,
	    (long long)json_integer_value(json_object_get(doc, "size")));
	printf("sha256    %s\n", docs_str(doc, "sha256"));
	if (strcmp(docs_str(doc, "name"), docs_str(doc, "original_name")) != 0)
		printf("uploaded  as %s\n", docs_str(doc, "original_name"));
	printf("shop      %s\n",
	    docs_str(doc, "shop") ? docs_str(doc, "shop") : "-");
	s = docs_products(doc);
	printf("products  %s\n", *s ? s : "-");
	free(s);
	if (docs_str(doc, "issuer") != NULL)
		printf("issuer    %s\n", docs_str(doc, "issuer"));
	s = docs_expiry(doc);
	printf("expires   %s%s%s\n", s,
	    docs_str(doc, "expires") ? ", zone " : "",
	    docs_str(doc, "expires") ? docs_str(doc, "timezone") : "");
	free(s);
	ctl_zone(docs_str(doc, "timezone"));
	if (docs_str(doc, "next_alert_at") != NULL)
		printf("alert     next at %s\n",
		    ctl_time(doc, "next_alert_at", tb, sizeof tb));
	printf("added     %s by %s\n", ctl_time(doc, "added_at", tb, sizeof tb),
	    docs_str(doc, "added_by"));
	if (docs_str(doc, "removed_at") != NULL)
		printf("removed   %s\n",
		    ctl_time(doc, "removed_at", tb, sizeof tb));
	if ((chain = json_object_get(doc, "chain")) != NULL &&
	    json_array_size(chain) > 1) {
		printf("chain    ");
		json_array_foreach (chain, i, v)
			printf("%s %lld %s%s%s%s", i ? " ->" : "",
			    (long long)json_integer_value(
				json_object_get(v, "id")),
			    docs_str(v, "name"),
			    docs_str(v, "issuer") ? " (" : "",
			    docs_str(v, "issuer") ? docs_str(v, "issuer") : "",
			    docs_str(v, "issuer") ? ")" : "");
		printf("\n");
	}
	printf("\ncases\n");
	if (json_array_size(json_object_get(doc, "cases")) == 0)
		printf("  none\n");
	json_array_foreach (json_object_get(doc, "cases"), i, v) {
		if (json_is_integer(json_object_get(v, "appeal")))
			printf("  case %lld (%s): in the materials of appeal "
			       "%lld\n",
			    (long long)json_integer_value(
				json_object_get(v, "case")),
			    docs_str(v, "state"),
			    (long long)json_integer_value(
				json_object_get(v, "appeal")));
		else
			printf("  case %lld (%s): attached\n",
			    (long long)json_integer_value(
				json_object_get(v, "case")),
			    docs_str(v, "state"));
	}
	printf("\ncovers\n");
	if (json_array_size(json_object_get(doc, "covers")) == 0)
		printf("  no tracked listing\n");
	json_array_foreach (json_object_get(doc, "covers"), i, v) {
		if (json_is_integer(json_object_get(v, "open_case")))
			printf("  %s/%s (open case %lld)\n",
			    docs_str(v, "shop"), docs_str(v, "product_id"),
			    (long long)json_integer_value(
				json_object_get(v, "open_case")));
		else
			printf("  %s/%s\n", docs_str(v, "shop"),
			    docs_str(v, "product_id"));
	}
	json_decref(doc);
	return (0);
}

static int
doc_get(struct ctl_args *a)
{
	const char *out = ctl_args_get(a, 'o');
	char *path, *raw = NULL;
	json_t *doc = NULL;
	size_t len = 0, off = 0;
	ssize_t n;
	long status;
	int fd = STDOUT_FILENO;

	if (asprintf(&path, "/v1/documents/%lld/content",
		ctl_id(a->argv[0], "document")) == -1)
		ctl_fail("out of memory");
	status =
	    ctl_request_bytes("GET", path, NULL, NULL, 0, &doc, &raw, &len);
	free(path);
	if (status < 200 || status > 299) {
		ctl.json = 0;
		ctl_answer(status, doc, raw);
	}
	json_decref(doc);
	if (out == NULL && isatty(STDOUT_FILENO))
		ctl_fail("the document is binary: redirect it to a file or "
			 "use -o FILE");
	if (out != NULL &&
	    (fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) ==
		-1)
		ctl_fail("cannot create %s: %s", out, strerror(errno));
	while (off < len) {
		if ((n = write(fd, raw + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			ctl_fail("cannot write %s: %s",
			    out ? out : "standard output", strerror(errno));
		}
		off += (size_t)n;
	}
	if (out != NULL && close(fd) == -1)
		ctl_fail("cannot write %s: %s", out, strerror(errno));
	free(raw);
	return (0);
}

static int
doc_rm(struct ctl_args *a)
{
	char *path;
	json_t *doc;

	if (asprintf(&path, "/v1/documents/%lld",
		ctl_id(a->argv[0], "document")) == -1)
		ctl_fail("out of memory");
	doc = ctl_call("DELETE", path, NULL);
	free(path);
	if (!ctl.json)
		printf("document %lld removed: %s\n",
		    (long long)json_integer_value(json_object_get(doc, "id")),
		    docs_str(doc, "name"));
	json_decref(doc);
	return (0);
}

/*
 * case doc ID DOC [--at TIME] [--force] | case doc ID DOC --detach: attach
 * a vault document to a case, or take it off.
 */
/* case doc's options (its template's longopts). */
const struct option ctl_docs_case_doc_options[] = {
	{ "at", required_argument, NULL, 'a' },
	{ "force", no_argument, NULL, 'f' },
	{ "detach", no_argument, NULL, 'd' },
	{ NULL, 0, NULL, 0 },
};

int
ctl_docs_case_doc(struct ctl_args *a)
{
	const char *at = ctl_args_get(a, 'a');
	long long id, doc_id;
	char *path;
	json_t *body, *doc;
	int force = ctl_args_has(a, 'f'), detach = ctl_args_has(a, 'd');

	if (detach && (at != NULL || force))
		ctl_usage_fail(a->usage);
	id = ctl_id(a->argv[0], "case");
	doc_id = ctl_id(a->argv[1], "document");
	if (detach) {
		if (asprintf(&path, "/v1/cases/%lld/documents/%lld", id,
			doc_id) == -1)
			ctl_fail("out of memory");
		doc = ctl_call("DELETE", path, NULL);
		free(path);
		if (!ctl.json)
			printf("document %lld detached from case %lld\n",
			    doc_id, id);
		json_decref(doc);
		return (0);
	}
	body = json_pack("{s:I}", "document", (json_int_t)doc_id);
	if (at != NULL)
		json_object_set_new(body, "at", json_string(at));
	if (force)
		json_object_set_new(body, "force", json_true());
	if (asprintf(&path, "/v1/cases/%lld/documents", id) == -1)
		ctl_fail("out of memory");
	doc = ctl_call("POST", path, body);
	free(path);
	if (!ctl.json)
		printf("document %lld attached to case %lld\n", doc_id, id);
	json_decref(doc);
	return (0);
}

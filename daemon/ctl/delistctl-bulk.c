/* SPDX-License-Identifier: ISC */
/*
 * delistctl-bulk.c: the bulk forms of untrack and case ack, assign,
 * abandon and classify.
 *
 * A verb given several IDs, --file FILE (one a line, - for standard
 * input) or a filter (--shop, --state, --reason, --imported-at,
 * --older-than) sends one request (POST /v1/cases/bulk, POST
 * /v1/listings/untrack) that the daemon runs in one transaction, all or
 * nothing; --dry-run shows what would change and changes nothing. The
 * verbs' own files build the body of the verb (the same as for one case)
 * and call ctl_bulk_cases; this file builds the selection and prints the
 * answer.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "delistctl.h"
#include "i18n.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* The bulk forms' help rows in the verb tables (CTL_BULK_HELP). */
const char ctl_bulk_help[] =
    N_("the same for many at once, in one transaction (all or nothing); "
       "FILTER: [--shop S] [--state S] [--reason R] [--imported-at "
       "DATE|TIME|FROM/TO] [--older-than DUR]; --dry-run shows what would "
       "change");
const char ctl_bulk_help_untrack[] =
    N_("the same for many at once, in one transaction (all or nothing); "
       "FILTER: [--shop S] [--state S] [--reason R] [--imported-at "
       "DATE|TIME|FROM/TO] [--older-than DUR]; --dry-run shows what would "
       "change (--file: SHOP,PRODUCT_ID lines, or PRODUCT_ID after SHOP)");

/* The filter options, and the key of the request's "filter" each sets. */
static const struct {
	int opt;
	const char *key;
} bulk_filters[] = {
	{ 's', "shop" },
	{ 'S', "state" },
	{ 'R', "reason" },
	{ 'I', "imported_at" },
	{ 'O', "older_than" },
};

/* What each bulk verb did, for the line above its table. */
static const struct {
	const char *verb;
	const char *done; /* after the count: "3 case(s) assigned" */
	const char *would; /* a dry run's */
} bulk_said[] = {
	{ "ack", N_("case(s) taken on (acknowledged)"),
	    N_("case(s) would be taken on") },
	{ "assign", N_("case(s) assigned"), N_("case(s) would be assigned") },
	{ "abandon", N_("case(s) abandoned"),
	    N_("case(s) would be abandoned") },
	{ "classify", N_("case(s) classified"),
	    N_("case(s) would be classified") },
	{ "untrack", N_("listing(s) no longer tracked"),
	    N_("listing(s) would no longer be tracked") },
};

static int bulk_filtered(const struct ctl_args *);
static json_t *bulk_filter(const struct ctl_args *);
static char **bulk_lines(const char *, size_t *, size_t **);
static json_t *bulk_post(const char *, json_t *);
static void bulk_print(const char *, json_t *);
static const char *bulk_str(const json_t *, const char *);
typedef json_t *(*bulk_item_fn)(
    const char *, const char *, const char *, size_t);
static json_t *bulk_listing(const char *, const char *, const char *, size_t);
static json_t *bulk_case_id(const char *, const char *, const char *, size_t);
static void
bulk_file(const struct ctl_args *, const char *, json_t *, bulk_item_fn);
static int bulk_send(const struct ctl_args *, const char *, const char *,
    json_t *, const char *, json_t *, json_t *);

/* Whether a asks for the bulk form: more than one ID, --file, a filter. */
int
ctl_bulk_wanted(const struct ctl_args *a, int nids)
{
	return (nids > 1 || ctl_args_has(a, 'F') || ctl_args_has(a, 'D') ||
	    bulk_filtered(a));
}

/* Whether a gives a filter option. */
static int
bulk_filtered(const struct ctl_args *a)
{
	size_t i;

	for (i = 0; i < nitems(bulk_filters); i++) {
		if (ctl_args_has(a, bulk_filters[i].opt))
			return (1);
	}
	return (0);
}

static const char *
bulk_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return (s != NULL ? s : "-");
}

/* The filter options as the request's "filter", or NULL if none. */
static json_t *
bulk_filter(const struct ctl_args *a)
{
	json_t *f = NULL, *s;
	size_t i;

	for (i = 0; i < nitems(bulk_filters); i++) {
		if (!ctl_args_has(a, bulk_filters[i].opt))
			continue;
		if ((s = json_string(ctl_args_get(a, bulk_filters[i].opt))) ==
		    NULL)
			ctl_fail(
			    _("--%s: not valid UTF-8"), bulk_filters[i].key);
		if (f == NULL)
			f = json_object();
		json_object_set_new(f, bulk_filters[i].key, s);
	}
	return (f);
}

/*
 * The lines of the file path ("-": standard input), without blank lines
 * and '#' comments, each trimmed, with their line numbers in *linenos.
 */
static char **
bulk_lines(const char *path, size_t *n, size_t **linenos)
{
	char *text, *p, *eol, *e, **lines = NULL;
	size_t len, line = 0;

	text = ctl_read_file(path, _("ID file"), 0, &len);
	*n = 0;
	*linenos = NULL;
	for (p = text; p < text + len; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(text + len - p))) == NULL)
			eol = text + len;
		*eol = '\0';
		line++;
		while (*p == ' ' || *p == '\t')
			p++;
		for (e = eol;
		     e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t');)
			*--e = '\0';
		if (*p == '\0' || *p == '#')
			continue;
		lines = xreallocarray(lines, *n + 1, sizeof *lines);
		*linenos = xreallocarray(*linenos, *n + 1, sizeof **linenos);
		lines[*n] = xstrdup(p);
		(*linenos)[(*n)++] = line;
	}
	free(text);
	return (lines);
}

/* Sends a bulk request: the answer (2xx), or its refusal and exit. */
static json_t *
bulk_post(const char *path, json_t *body)
{
	json_t *doc = NULL;
	char *raw = NULL;
	long status;

	status = ctl_request("POST", path, body, &doc, &raw);
	json_decref(body);
	return (ctl_answer(status, doc, raw));
}

/*
 * The answer for people: what changed (or would), a table of the items,
 * and on a dry run what would be refused, on stderr.
 */
static void
bulk_print(const char *verb, json_t *doc)
{
	json_t *items = json_object_get(doc, "items"), *it;
	char ***rows, id[32], *state;
	size_t i, k, n = 0, nrows = 0;
	int dry = json_is_true(json_object_get(doc, "dry_run"));
	int cases = strcmp(verb, "untrack") != 0;

	json_array_foreach (items, i, it) {
		if (json_object_get(it, "error") != NULL)
			fprintf(stderr, "delistctl: %s\n",
			    bulk_str(json_object_get(it, "error"), "message"));
		else
			n++;
	}
	for (k = 0; k < nitems(bulk_said); k++) {
		if (strcmp(bulk_said[k].verb, verb) == 0)
			break;
	}
	if (json_integer_value(json_object_get(doc, "matched")) == 0) {
		printf("%s\n",
		    cases ? _("no case matches; nothing changed")
			  : _("no listing matches; nothing changed"));
		return;
	}
	if (k < nitems(bulk_said) && dry)
		printf(_("dry run: %zu %s; nothing changed\n"), n,
		    _(bulk_said[k].would));
	else if (k < nitems(bulk_said))
		printf("%zu %s\n", n, _(bulk_said[k].done));
	if (n == 0)
		return;
	rows = xcalloc(n + 1, sizeof *rows);
	rows[nrows] = xcalloc(4, sizeof **rows);
	rows[nrows][0] = xstrdup(cases ? _("ID") : _("SHOP"));
	rows[nrows][1] = xstrdup(cases ? _("SHOP") : _("PRODUCT ID"));
	rows[nrows][2] = xstrdup(cases ? _("PRODUCT ID") : "");
	rows[nrows++][3] = xstrdup(cases ? _("STATE") : "");
	json_array_foreach (items, i, it) {
		if (json_object_get(it, "error") != NULL)
			continue;
		rows[nrows] = xcalloc(4, sizeof **rows);
		if (cases) {
			snprintf(id, sizeof id, "%lld",
			    (long long)json_integer_value(
				json_object_get(it, "id")));
			state = strcmp(bulk_str(it, "was"),
				    bulk_str(it, "state")) == 0
			    ? xstrdup(bulk_str(it, "state"))
			    : ctl_fmt("%s -> %s", bulk_str(it, "was"),
				  bulk_str(it, "state"));
			rows[nrows][0] = xstrdup(id);
			rows[nrows][1] = xstrdup(bulk_str(it, "shop"));
			rows[nrows][2] = xstrdup(bulk_str(it, "product_id"));
			rows[nrows][3] = state;
		} else {
			rows[nrows][0] = xstrdup(bulk_str(it, "shop"));
			rows[nrows][1] = xstrdup(bulk_str(it, "product_id"));
			rows[nrows][2] = xstrdup("");
			rows[nrows][3] = xstrdup("");
		}
		nrows++;
	}
	ctl_table(rows, nrows, cases ? 4 : 2);
	for (i = 0; i < nrows; i++) {
		for (k = 0; k < 4; k++)
			free(rows[i][k]);
		free(rows[i]);
	}
	free(rows);
}

/*
 * Runs verb (ack, assign, abandon, classify) with its body args on the
 * cases ids[0..nids-1] and those of --file, or on those of the filter.
 */
int
ctl_bulk_cases(const struct ctl_args *a, char **ids, int nids, const char *verb,
    json_t *args)
{
	json_t *body, *arr = NULL, *filter;
	int k;

	/* Judged before anything is built: a refusal leaks nothing. */
	if (bulk_filtered(a) && (nids > 0 || ctl_args_has(a, 'F')))
		ctl_fail(_("give case IDs (or --file) or a filter, not both"));
	for (k = 0; k < nids; k++)
		(void)ctl_id(ids[k], "case");
	if ((filter = bulk_filter(a)) == NULL) {
		arr = json_array();
		for (k = 0; k < nids; k++)
			json_array_append_new(
			    arr, json_integer(ctl_id(ids[k], "case")));
		bulk_file(a, NULL, arr, bulk_case_id);
		if (json_array_size(arr) == 0)
			ctl_fail(_("no case IDs: give them, --file FILE or a "
				   "filter (--shop, --state, --reason, "
				   "--imported-at, --older-than)"));
	}
	body = json_pack("{s:s,s:o}", "verb", verb, "args", args);
	return (bulk_send(a, "/v1/cases/bulk", verb, body, "ids", arr, filter));
}

/* The listing of a line of an untrack --file: SHOP,PRODUCT_ID or ID. */
static json_t *
bulk_listing(
    const char *shop, const char *line, const char *file, size_t lineno)
{
	const char *comma = strchr(line, ',');
	json_t *l;
	char *s;

	if (comma == NULL && shop == NULL)
		ctl_fail(_("%s:%zu: expected SHOP,PRODUCT_ID (or give SHOP "
			   "before --file)"),
		    file, lineno);
	if (comma == NULL)
		l = json_pack("{s:s,s:s}", "shop", shop, "product_id", line);
	else {
		s = xstrndup(line, (size_t)(comma - line));
		l = json_pack("{s:s,s:s}", "shop", s, "product_id", comma + 1);
		free(s);
	}
	if (l == NULL)
		ctl_fail(_("%s:%zu: not UTF-8"), file, lineno);
	return (l);
}

/* The case ID of a line of a --file. */
static json_t *
bulk_case_id(
    const char *shop, const char *line, const char *file, size_t lineno)
{
	long long id;

	(void)shop;
	if (id_parse(line, &id) == -1)
		ctl_fail(_("%s:%zu: bad case ID \"%s\": expected a number such "
			   "as 12"),
		    file, lineno, line);
	return (json_integer(id));
}

/* Appends to arr the items of the lines of --file, if given, by fn. */
static void
bulk_file(
    const struct ctl_args *a, const char *shop, json_t *arr, bulk_item_fn fn)
{
	const char *file = ctl_args_get(a, 'F');
	char **lines;
	size_t n, *linenos, i;

	if (file == NULL)
		return;
	lines = bulk_lines(file, &n, &linenos);
	for (i = 0; i < n; i++) {
		json_array_append_new(
		    arr, fn(shop, lines[i], ctl_file_name(file), linenos[i]));
		free(lines[i]);
	}
	free(lines);
	free(linenos);
}

/*
 * Sends a bulk request body to path, its items in arr (under key) or its
 * filter, with --dry-run; prints the answer. Exits 1 when a dry run finds
 * a refusal (a real run that does is refused by the daemon, which changes
 * nothing and names them).
 */
static int
bulk_send(const struct ctl_args *a, const char *path, const char *verb,
    json_t *body, const char *key, json_t *arr, json_t *filter)
{
	json_t *doc;
	int refused;

	json_object_set_new(
	    body, "dry_run", json_boolean(ctl_args_has(a, 'D')));
	if (arr != NULL)
		json_object_set_new(body, key, arr);
	else
		json_object_set_new(body, "filter", filter);
	doc = bulk_post(path, body);
	refused = json_integer_value(json_object_get(doc, "refused")) > 0;
	if (!ctl.json)
		bulk_print(verb, doc);
	json_decref(doc);
	return (refused ? CTL_EXIT_ERROR : CTL_EXIT_OK);
}

/*
 * untrack SHOP PRODUCT_ID...; untrack [SHOP] --file FILE; untrack with a
 * filter: one request, all or nothing.
 */
int
ctl_bulk_untrack(const struct ctl_args *a)
{
	json_t *arr = NULL, *filter, *l;
	const char *shop = a->argc > 0 ? a->argv[0] : NULL;
	int k;

	if (bulk_filtered(a) && (a->argc > 0 || ctl_args_has(a, 'F')))
		ctl_fail(_("give listings (or --file) or a filter, not both"));
	if ((filter = bulk_filter(a)) == NULL) {
		arr = json_array();
		for (k = 1; k < a->argc; k++) {
			if ((l = json_pack("{s:s,s:s}", "shop", shop,
				 "product_id", a->argv[k])) == NULL)
				ctl_fail(
				    _("%s/%s is not UTF-8"), shop, a->argv[k]);
			json_array_append_new(arr, l);
		}
		bulk_file(a, shop, arr, bulk_listing);
		if (json_array_size(arr) == 0)
			ctl_fail(_("no listings: give SHOP PRODUCT_ID..., "
				   "--file FILE or a filter (--shop, --state, "
				   "--reason, --imported-at, --older-than)"));
	}
	return (bulk_send(a, "/v1/listings/untrack", "untrack", json_object(),
	    "listings", arr, filter));
}

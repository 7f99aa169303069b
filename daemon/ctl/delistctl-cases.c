/* SPDX-License-Identifier: ISC */
/*
 * delistctl-cases.c: delistctl's verbs for listings, cases and events.
 *
 * track, untrack, listings, cases, case VERB and events: one function per
 * verb, one row per verb (the case verbs in a table of their own). Each
 * builds the request api.h documents, and renders the answer as aligned
 * tables for people (with --json ctl_call prints the daemon's JSON as it
 * came). The only things checked here are those the daemon cannot see:
 * the statement and attachment files of an appeal, which are read, checked
 * for UTF-8 and hashed on this side, and case IDs, which must be numbers
 * before they go into a path (other user input in a path is escaped).
 * Everything the daemon judges (shops, product IDs, reasons, states, times)
 * is left to it, so that its one-line refusal is what the user reads.
 */

#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "cases.h"
#include "delistctl.h"
#include "text.h"

/* Tables are wrapped to fit this many columns. */
#define CASES_WIDTH 100

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* Rows of strings for ctl_table, owned by the table. */
struct cases_table {
	char ***rows;
	size_t nrows;
	size_t cap;
	size_t ncols;
	int nowrap; /* the last column is cut before, never wrapped */
};

static char *cases_strdup(const char *);
static void cases_query(char **, const char *, const char *);
static char *cases_case_path(long long, const char *);
static void cases_set_str(json_t *, const char *, const char *, const char *);
static const char *cases_str(const json_t *, const char *);
static const char *cases_word(const char *, const char *);
static void cases_table_init(struct cases_table *, size_t);
static void cases_table_row(struct cases_table *, char **);
static void cases_table_add(struct cases_table *, ...);
static void cases_table_free(struct cases_table *);
static void cases_table_print(struct cases_table *);
static size_t cases_char(const unsigned char *, size_t *);
static json_t *cases_call(const char *, const char *, json_t *, int);
static void cases_findings(FILE *, const json_t *);
static long cases_utf8_bad(const unsigned char *, size_t);
static json_t *cases_material(const char *);
static json_t *cases_materials(const struct ctl_args *);
static void cases_event_line(const char *, size_t, void *);
static __dead void cases_follow(long long);

static int case_open(struct ctl_args *);
static int case_note(struct ctl_args *);
static int case_appeal(struct ctl_args *);
static int case_check(struct ctl_args *);
static int case_decision(struct ctl_args *);
static int case_reinstated(struct ctl_args *);
static int case_abandon(struct ctl_args *);
static int case_close(struct ctl_args *);
static int case_show(struct ctl_args *);
static void cases_evidence_what(json_t *, char *, size_t);
static int case_export(struct ctl_args *);
static int case_help(struct ctl_args *);

/* cases_call flags. */
#define CASES_QUIET 0x1 /* a look-up: never print the answer */
#define CASES_FORCE_HINT 0x2 /* a forceable refusal says --force */

/* Options of the case verbs with a template (their longopts). */
static const struct option case_at_options[] = {
	{ "at", required_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};
static const struct option case_close_options[] = {
	{ "outcome", required_argument, NULL, 'o' },
	{ "note", required_argument, NULL, 'n' },
	{ "at", required_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};
static const struct option case_abandon_options[] = {
	{ "relisted-as", required_argument, NULL, 'r' },
	{ "why", required_argument, NULL, 'w' },
	{ "at", required_argument, NULL, 'a' },
	CTL_BULK_OPTIONS,
	{ NULL, 0, NULL, 0 },
};
static const struct option case_decision_options[] = {
	{ "approved", no_argument, NULL, 'y' },
	{ "rejected", required_argument, NULL, 'n' },
	{ "at", required_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};
static const struct option case_open_options[] = {
	{ "reason", required_argument, NULL, 'r' },
	{ "rule", required_argument, NULL, 'R' },
	{ "at", required_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};
static const struct option case_evidence_options[] = {
	{ "get", required_argument, NULL, 'g' },
	{ NULL, 0, NULL, 0 },
};
static const struct option case_export_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "all", no_argument, NULL, 'A' },
	{ "shop", required_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 },
};

/* case appeal's options; --attach may be given again for each file. */
static const struct option case_appeal_options[] = {
	{ "platform-case", required_argument, NULL, 'p' },
	{ "statement", required_argument, NULL, 's' },
	{ "attach", required_argument, NULL, 'A' },
	{ "at", required_argument, NULL, 'a' },
	{ "force", no_argument, NULL, 'F' },
	{ NULL, 0, NULL, 0 },
};

/* case check's options. */
static const struct option case_check_options[] = {
	{ "statement", required_argument, NULL, 's' },
	{ "attach", required_argument, NULL, 'A' },
	{ "title", required_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 },
};

/* case note's options. */
static const struct option case_note_options[] = {
	{ "field", required_argument, NULL, 'f' },
	{ "before", required_argument, NULL, 'b' },
	{ "after", required_argument, NULL, 'A' },
	{ "at", required_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};

static const struct ctl_cmd cases_case_cmds[] = {
	{ "show", "case show ID",
	    N_("the case, its appeals, deadlines and trail"), NULL, case_show,
	    { "", NULL, 1, 1 } },
	{ "open",
	    "case open SHOP PRODUCT_ID --reason REASON [--rule TEXT] "
	    "[--at TIME]",
	    N_("record a delisting; prints the new case's id"), NULL, case_open,
	    { "", case_open_options, 2, 2 } },
	{ "note",
	    "case note ID TEXT [--field F --before B --after A] [--at TIME]",
	    N_("record a rectification"), NULL, case_note,
	    { "", case_note_options, 2, 2 } },
	{ "appeal",
	    "case appeal ID --platform-case CASEID --statement FILE|- "
	    "[--attach [TYPE:]FILE ...] [--at TIME] [--force]",
	    N_("record a submitted appeal with its statement and materials"),
	    NULL, case_appeal, { "", case_appeal_options, 1, 1 } },
	{ "check",
	    "case check ID [--statement FILE|-] [--attach [TYPE:]FILE ...] "
	    "[--title T]",
	    N_("what would get the appeal rejected, before you submit it "
	       "(exit 4 when something blocks)"),
	    NULL, case_check, { "", case_check_options, 1, 1 } },
	{ "decision",
	    "case decision ID (--approved | --rejected REASON) [--at TIME]",
	    N_("record the platform's decision on the pending appeal"), NULL,
	    case_decision, { "", case_decision_options, 1, 1 } },
	{ "reinstated", "case reinstated ID [--at TIME]",
	    N_("record that the listing is on sale again"), NULL,
	    case_reinstated, { "", case_at_options, 1, 1 } },
	{ "abandon",
	    "case abandon ID [--relisted-as NEWID] [--why TEXT] [--at TIME]",
	    N_("give the case up, or record the product relisted as NEWID"),
	    NULL, case_abandon, { "", case_abandon_options, 0, -1 } },
	{ "abandon",
	    "case abandon ID...|" CTL_BULK_USAGE
	    " [--why TEXT] [--at TIME] [--dry-run]",
	    CTL_BULK_HELP, NULL, case_abandon,
	    { "", case_abandon_options, 0, -1 } },
	{ "close",
	    "case close ID --outcome dismissed|settled|judgment|lost "
	    "--note TEXT [--at TIME]",
	    N_("end a tro case on the court's outcome: dismissed or settled "
	       "resume the listing, judgment or lost close the case"),
	    NULL, case_close, { "", case_close_options, 1, 1 } },
	{ "matter",
	    "case matter ID [--court C] [--docket D] [--plaintiff P] "
	    "[--counsel C] [--filed DATE] [--granted DATE] [--served DATE] "
	    "[--tro-expires DATE] [--pi-hearing DATE] [--answer-due DATE] "
	    "[--settled DATE] [--settlement \"AMOUNT CUR\"] "
	    "[--dismissed DATE] [--dismissal-note TEXT] [--frozen ACCOUNT "
	    "--frozen-amount \"AMOUNT CUR\" [--as-of DATE]]",
	    N_("show or record a tro case's court matter: the answer is due "
	       "21 days after service, with reminders before each court date"),
	    NULL, ctl_tro_matter, { "", ctl_tro_matter_options, 1, 1 } },
	{ "classify", "case classify ID REASON [--rule TEXT]",
	    N_("name the reason of a case (the source opens them unclassified)"),
	    NULL, ctl_source_classify,
	    { "", ctl_source_classify_options, 1, -1 } },
	{ "classify",
	    "case classify ID...|" CTL_BULK_USAGE
	    " REASON [--rule TEXT] [--dry-run]",
	    CTL_BULK_HELP, NULL, ctl_source_classify,
	    { "", ctl_source_classify_options, 1, -1 } },
	{ "evidence", "case evidence ID [--get SHA256]",
	    N_("what was archived when the case was opened; --get writes one "
	       "file to stdout"),
	    NULL, ctl_source_evidence, { "", case_evidence_options, 1, 1 } },
	{ "export", "case export ID [--format md|json]",
	    N_("the dossier for the next appeal"), NULL, case_export,
	    { "", case_export_options, 0, 1 } },
	{ "export", "case export --all --shop SHOP [--format md|json|csv|xlsx]",
	    N_("every case of the shop: the dossiers (md, json), or a row each "
	       "(csv, xlsx: redirect it to a file)"),
	    NULL, case_export, { "", case_export_options, 0, 1 } },
	{ "doc",
	    "case doc ID DOC [--at TIME] [--force] | case doc ID DOC --detach",
	    N_("attach a vault document (delistctl doc add) to the case, or "
	       "take it off"),
	    NULL, ctl_docs_case_doc, { "", ctl_docs_case_doc_options, 2, 2 } },
	{ "ack", "case ack ID [--for DURATION] [--comment TEXT]",
	    N_("take the case on: its reminders stop until it changes state "
	       "(or for DURATION)"),
	    NULL, ctl_alerts_case_ack,
	    { "", ctl_alerts_case_ack_options, 0, -1 } },
	{ "ack",
	    "case ack ID...|" CTL_BULK_USAGE
	    " [--for DURATION] [--comment TEXT] [--dry-run]",
	    CTL_BULK_HELP, NULL, ctl_alerts_case_ack,
	    { "", ctl_alerts_case_ack_options, 0, -1 } },
	{ "assign", "case assign ID USER|--none",
	    N_("assign the case to a web console user, or to nobody"), NULL,
	    ctl_users_case_assign, { "", ctl_users_assign_options, 0, -1 } },
	{ "assign",
	    "case assign ID...|" CTL_BULK_USAGE " USER|--none [--dry-run]",
	    CTL_BULK_HELP, NULL, ctl_users_case_assign,
	    { "", ctl_users_assign_options, 0, -1 } },
	{ "help", "case help", N_("show the case verbs"), NULL, case_help,
	    { "", NULL, 0, 0 } },
};

/* Document types an --attach argument may start with (api.h, cases.h). */
static const char *const cases_doc_types[] = { "ce", "fcc", "ukca", "saso",
	"test_report", "trademark", "brand_authorization", "invoice",
	"court_order", "dismissal", "other" };

/*
 * The states and reasons the daemon sends, as the reader says them
 * ("appealed": "申诉中" in Chinese). The names stay the interface: --state
 * and -j take and give them; English shows them as they are.
 */
static const struct {
	const char *ctx;
	const char *name;
} cases_words[] = {
	{ "state", NC_("state", "open") },
	{ "state", NC_("state", "rectifying") },
	{ "state", NC_("state", "appealed") },
	{ "state", NC_("state", "approved") },
	{ "state", NC_("state", "reinstated") },
	{ "state", NC_("state", "synced") },
	{ "state", NC_("state", "manual_review") },
	{ "state", NC_("state", "abandoned") },
	{ "state", NC_("state", "closed") },
	{ "reason", NC_("reason", "ip_infringement") },
	{ "reason", NC_("reason", "category_misplaced") },
	{ "reason", NC_("reason", "false_info") },
	{ "reason", NC_("reason", "prohibited_words") },
	{ "reason", NC_("reason", "unauthorized_media") },
	{ "reason", NC_("reason", "missing_certification") },
	{ "reason", NC_("reason", "not_as_described") },
	{ "reason", NC_("reason", "duplicate_listing") },
	{ "reason", NC_("reason", "tro") },
	{ "reason", NC_("reason", "spot_check") },
	{ "reason", NC_("reason", "other") },
	{ "reason", NC_("reason", "unclassified") },
	{ "points level", NC_("points level", "clear") },
	{ "points level", NC_("points level", "near") },
	{ "points level", NC_("points level", "critical") },
	{ "finding field", NC_("finding field", "title") },
};

/* The word for name in context ctx ("state"), or name as it is. */
static const char *
cases_word(const char *ctx, const char *name)
{
	char key[96];
	const char *t;
	size_t i;

	if (name == NULL)
		return (NULL);
	for (i = 0; i < nitems(cases_words); i++) {
		if (strcmp(cases_words[i].ctx, ctx) != 0 ||
		    strcmp(cases_words[i].name, name) != 0)
			continue;
		/* pgettext: the context, EOT, the msgid. */
		snprintf(key, sizeof key, "%s\004%s", ctx, name);
		t = gettext(key);
		return (t != key ? t : name);
	}
	return (name);
}

/* cases_word for the other verbs ("points level": delistctl points). */
const char *
ctl_word(const char *ctx, const char *name)
{
	return (cases_word(ctx, name));
}

static char *
cases_strdup(const char *s)
{
	char *d;

	if ((d = strdup(s != NULL ? s : "")) == NULL)
		ctl_fail("out of memory");
	return (d);
}

/* Appends "?key=value" or "&key=value" to *path, the value escaped. */
static void
cases_query(char **path, const char *key, const char *value)
{
	char *v, *p;

	if (value == NULL)
		return;
	v = ctl_escape(value);
	p = ctl_fmt("%s%c%s=%s", *path, strchr(*path, '?') ? '&' : '?', key, v);
	free(v);
	free(*path);
	*path = p;
}

/* "/v1/cases/ID" followed by suffix ("" or "/notes" ...). */
static char *
cases_case_path(long long id, const char *suffix)
{
	return (ctl_fmt("/v1/cases/%lld%s", id, suffix));
}

/* Sets key to a string from the command line, which must be UTF-8. */
static void
cases_set_str(json_t *obj, const char *key, const char *value, const char *what)
{
	json_t *s;

	if (value == NULL)
		return;
	if ((s = json_string(value)) == NULL)
		ctl_fail("%s is not UTF-8", what);
	json_object_set_new(obj, key, s);
}

/* The string member key of obj, or NULL. */
static const char *
cases_str(const json_t *obj, const char *key)
{
	return (json_string_value(json_object_get(obj, key)));
}

static void
cases_table_init(struct cases_table *t, size_t ncols)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
}

/* Appends a row of t->ncols malloc'd strings, which t then owns. */
static void
cases_table_row(struct cases_table *t, char **row)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->rows = reallocarray(t->rows, t->cap, sizeof *t->rows);
		if (t->rows == NULL)
			ctl_fail("out of memory");
	}
	t->rows[t->nrows++] = row;
}

/* Adds a row of t->ncols strings, copied (NULL is printed as ""). */
static void
cases_table_add(struct cases_table *t, ...)
{
	va_list ap;
	char **row;
	size_t c;

	if ((row = calloc(t->ncols, sizeof *row)) == NULL)
		ctl_fail("out of memory");
	va_start(ap, t);
	for (c = 0; c < t->ncols; c++)
		row[c] = cases_strdup(va_arg(ap, const char *));
	va_end(ap);
	cases_table_row(t, row);
}

/* Bytes of the UTF-8 character at p, its display width in *w (text.c). */
static size_t
cases_char(const unsigned char *p, size_t *w)
{
	size_t n;

	if ((n = text_char((const char *)p, w)) == 0)
		n = 1;
	return (n);
}

/* Frees the rows of t. */
static void
cases_table_free(struct cases_table *t)
{
	size_t r, c;

	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
	}
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->cap = 0;
}

/*
 * Prints t with ctl_table and frees it. The last column is wrapped at
 * spaces onto rows of its own, so that the table fits CASES_WIDTH columns.
 */
static void
cases_table_print(struct cases_table *t)
{
	struct cases_table out;
	const unsigned char *p, *start, *brk;
	size_t r, c, used = 0, avail, w, cw, len, last = t->ncols - 1;
	char *orig, **row;

	for (c = 0; c < last; c++) {
		for (w = 0, r = 0; r < t->nrows; r++) {
			if (ctl_width(t->rows[r][c]) > w)
				w = ctl_width(t->rows[r][c]);
		}
		used += w + 2;
	}
	avail = used + 20 < CASES_WIDTH ? CASES_WIDTH - used : 20;
	if (t->nowrap)
		avail = SIZE_MAX;
	cases_table_init(&out, t->ncols);
	for (r = 0; r < t->nrows; r++) {
		orig = t->rows[r][last];
		if (ctl_width(orig) <= avail) {
			cases_table_row(&out, t->rows[r]);
			continue;
		}
		/* The first piece keeps the row; the others get empty cells. */
		for (start = (unsigned char *)orig; *start != '\0';) {
			brk = NULL;
			for (w = 0, p = start; *p != '\0'; p += len) {
				len = cases_char(p, &cw);
				if (w + cw > avail)
					break;
				if (*p == ' ')
					brk = p;
				w += cw;
			}
			if (*p != '\0' && brk != NULL && brk > start)
				p = brk;
			if (p == start)
				p += cases_char(p, &cw);
			if (start == (unsigned char *)orig)
				row = t->rows[r];
			else {
				if ((row = calloc(out.ncols, sizeof *row)) ==
				    NULL)
					ctl_fail("out of memory");
				for (c = 0; c < last; c++)
					row[c] = cases_strdup("");
			}
			row[last] = strndup((const char *)start, p - start);
			if (row[last] == NULL)
				ctl_fail("out of memory");
			cases_table_row(&out, row);
			while (*p == ' ')
				p++;
			start = p;
		}
		free(orig);
	}
	ctl_table(out.rows, out.nrows, out.ncols);
	cases_table_free(&out);
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->cap = 0;
}

/* Preflight findings, one a line: severity, code, what to do. */
static void
cases_findings(FILE *f, const json_t *findings)
{
	const json_t *v;
	size_t i;

	json_array_foreach (findings, i, v) {
		fprintf(f, "%-7s %-26s %s\n", cases_str(v, "severity"),
		    cases_str(v, "code"), cases_str(v, "message"));
	}
}

/*
 * Like ctl_call, with flags: CASES_QUIET never prints the answer (a look-up
 * before the real request), CASES_FORCE_HINT tells how to override a
 * refusal the daemon calls forceable.
 */
static json_t *
cases_call(const char *method, const char *path, json_t *body, int flags)
{
	json_t *doc = NULL, *err;
	const char *msg;
	char *raw = NULL;
	long status;

	status = ctl_request(method, path, body, &doc, &raw);
	json_decref(body);
	if (status < 200 || status > 299) {
		err = doc != NULL ? json_object_get(doc, "error") : NULL;
		msg = cases_str(err, "message");
		if (ctl.json && raw != NULL)
			fputs(raw, stderr);
		else
			cases_findings(
			    stderr, json_object_get(err, "findings"));
		if (msg == NULL)
			fprintf(stderr,
			    _("delistctl: delistd answered HTTP %ld\n"),
			    status);
		else if ((flags & CASES_FORCE_HINT) &&
		    json_is_true(json_object_get(err, "forceable")))
			fprintf(stderr,
			    _("delistctl: %s (use --force to override)\n"),
			    msg);
		else
			fprintf(stderr, "delistctl: %s\n", _(msg));
		if (status >= 500)
			exit(CTL_EXIT_DAEMON);
		/* An appeal the preflight's errors refused. */
		if (json_array_size(json_object_get(err, "findings")) > 0)
			exit(CTL_EXIT_BLOCKED);
		exit(CTL_EXIT_ERROR);
	}
	if (doc == NULL)
		ctl_fail("delistd answered with something that is not JSON");
	if (ctl.json && !(flags & CASES_QUIET))
		fputs(raw, stdout);
	free(raw);
	return (doc);
}

/*
 * The offset of the first byte that breaks UTF-8 (overlong forms,
 * surrogates, code points above U+10FFFF and NUL included), or -1.
 */
static long
cases_utf8_bad(const unsigned char *s, size_t len)
{
	size_t off;

	if (text_utf8_check((const char *)s, len, &off, NULL) == 0)
		return (-1);
	return ((long)off);
}

/*
 * One --attach [TYPE:]FILE: {"name","type","sha256","size"} with the
 * file's basename, type ("other" unless the prefix is a document type),
 * SHA-256 in lower-case hex and size. A file that cannot be read is fatal.
 */
static json_t *
cases_material(const char *arg)
{
	const char *path = arg, *type = "other", *colon, *name;
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	char digest[2 * EVP_MAX_MD_SIZE + 1], tbuf[32];
	unsigned int mdlen;
	EVP_MD_CTX *ctx;
	json_t *m;
	FILE *f;
	size_t n, size = 0, k;

	if ((colon = strchr(arg, ':')) != NULL &&
	    (size_t)(colon - arg) < sizeof tbuf) {
		snprintf(tbuf, sizeof tbuf, "%.*s", (int)(colon - arg), arg);
		for (k = 0; k < nitems(cases_doc_types); k++) {
			if (strcmp(tbuf, cases_doc_types[k]) == 0) {
				type = cases_doc_types[k];
				path = colon + 1;
				break;
			}
		}
	}
	if ((f = fopen(path, "rb")) == NULL)
		ctl_fail(
		    "cannot read attachment %s: %s", path, strerror(errno));
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		ctl_fail("cannot compute SHA-256 (libcrypto)");
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (EVP_DigestUpdate(ctx, buf, n) != 1)
			ctl_fail("cannot compute SHA-256 (libcrypto)");
		size += n;
	}
	if (ferror(f))
		ctl_fail(
		    "cannot read attachment %s: %s", path, strerror(errno));
	fclose(f);
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
		ctl_fail("cannot compute SHA-256 (libcrypto)");
	EVP_MD_CTX_free(ctx);
	text_hex(md, mdlen, digest);
	name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	if (*name == '\0')
		ctl_fail("attachment %s is not a file", path);
	m = json_pack("{s:s,s:s,s:s,s:I}", "name", name, "type", type, "sha256",
	    digest, "size", (json_int_t)size);
	if (m == NULL)
		ctl_fail("attachment name %s is not UTF-8", name);
	return (m);
}

/* The materials of --attach, each given in its own option, in order. */
static json_t *
cases_materials(const struct ctl_args *a)
{
	json_t *materials = json_array();
	const char *arg;
	int i;

	for (i = 0; (arg = ctl_args_nth(a, 'A', i)) != NULL; i++)
		json_array_append_new(materials, cases_material(arg));
	return (materials);
}

int
ctl_cases_track(struct ctl_args *a)
{
	const char *title = ctl_args_get(a, 't');
	const char *interval = ctl_args_get(a, 'i');
	const char *url;
	char every[32];
	json_t *body, *doc, *images = NULL;
	int i;

	for (i = 0; (url = ctl_args_nth(a, 'I', i)) != NULL; i++) {
		if (images == NULL)
			images = json_array();
		if (json_array_append_new(images, json_string(url)) == -1)
			ctl_fail("image URL %s is not UTF-8", url);
	}
	body = json_object();
	cases_set_str(body, "shop", a->argv[0], "the shop name");
	cases_set_str(body, "product_id", a->argv[1], "the product ID");
	cases_set_str(body, "title", title, "the title");
	cases_set_str(body, "interval", interval, "the interval");
	if (images != NULL)
		json_object_set_new(body, "images", images);
	doc = ctl_call("POST", "/v1/listings", body);
	if (!ctl.json) {
		ctl_duration(doc, "check_interval", every, sizeof every);
		printf(_("tracking %s/%s, status %s, checked every %s\n"),
		    cases_str(doc, "shop"), cases_str(doc, "product_id"),
		    cases_str(doc, "status"),
		    strcmp(every, "-") == 0 ? "default interval" : every);
	}
	json_decref(doc);
	return (0);
}

int
ctl_cases_untrack(struct ctl_args *a)
{
	char *shop, *product, *path;
	json_t *doc;

	if (ctl_bulk_wanted(a, a->argc - 1) || a->argc != 2) {
		if (a->argc == 1 && !ctl_bulk_wanted(a, 0))
			ctl_usage_fail(a->usage);
		return (ctl_bulk_untrack(a));
	}
	shop = ctl_escape(a->argv[0]);
	product = ctl_escape(a->argv[1]);
	path = ctl_fmt("/v1/listings/%s/%s", shop, product);
	doc = ctl_call("DELETE", path, NULL);
	if (!ctl.json)
		printf(_("no longer tracking %s/%s\n"), cases_str(doc, "shop"),
		    cases_str(doc, "product_id"));
	json_decref(doc);
	free(path);
	free(product);
	free(shop);
	return (0);
}

/* untrack's options: the bulk form's. */
const struct option ctl_cases_untrack_options[] = {
	CTL_BULK_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

/* The options of events (its template's longopts). */
const struct option ctl_cases_events_options[] = {
	{ "case", required_argument, NULL, 'c' },
	{ "follow", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

/* track's options; --image may be given again for each picture. */
const struct option ctl_cases_track_options[] = {
	{ "title", required_argument, NULL, 't' },
	{ "interval", required_argument, NULL, 'i' },
	{ "image", required_argument, NULL, 'I' },
	{ NULL, 0, NULL, 0 },
};

/* The options of listings and cases (their templates' longopts). */
const struct option ctl_cases_filter_options[] = {
	{ "state", required_argument, NULL, 'S' },
	{ "shop", required_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 },
};

/* The options of cases: the filter's, and --format csv|xlsx. */
const struct option ctl_cases_cases_options[] = {
	{ "state", required_argument, NULL, 'S' },
	{ "shop", required_argument, NULL, 's' },
	{ "format", required_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

int
ctl_cases_listings(struct ctl_args *a)
{
	const char *state = ctl_args_get(a, 'S'), *shop = ctl_args_get(a, 's');
	struct cases_table t;
	char *path, every[32], caseid[32];
	json_t *doc, *l;
	size_t i;

	path = cases_strdup("/v1/listings");
	cases_query(&path, "state", state);
	cases_query(&path, "shop", shop);
	doc = ctl_call("GET", path, NULL);
	free(path);
	if (!ctl.json) {
		cases_table_init(&t, 7);
		cases_table_add(&t, _("SHOP"), _("PRODUCT ID"), _("STATUS"),
		    _("TRACKED"), _("EVERY"), _("CASE"), _("TITLE"));
		json_array_foreach (json_object_get(doc, "listings"), i, l) {
			ctl_duration(l, "check_interval", every, sizeof every);
			if (json_is_integer(json_object_get(l, "open_case")))
				snprintf(caseid, sizeof caseid, "%lld",
				    (long long)json_integer_value(
					json_object_get(l, "open_case")));
			else
				snprintf(caseid, sizeof caseid, "-");
			cases_table_add(&t, cases_str(l, "shop"),
			    cases_str(l, "product_id"), cases_str(l, "status"),
			    json_is_true(json_object_get(l, "tracked")) ? "yes"
									: "no",
			    every, caseid,
			    cases_str(l, "title") ? cases_str(l, "title")
						  : "-");
		}
		if (t.nrows == 1) {
			printf(_("no listings\n"));
			cases_table_free(&t);
		} else
			cases_table_print(&t);
	}
	json_decref(doc);
	return (0);
}

/* How wide the TITLE column of cases may be, in display columns. */
#define CASES_TITLE_COLS 30

/*
 * The row of case c in the cases table: its details (GET /v1/cases/ID)
 * give the next deadline, the assignee and the shop's zone; now is the
 * daemon's clock, for the age.
 */
static void
cases_row(struct cases_table *t, const json_t *c, time_t now)
{
	static const char *const deadlines[] = { "feedback_due_at",
		"escalate_due_at", "stall_due_at" };
	char id[32], appeals[96], age[32], due[CTL_TIME_LEN], *path, *title;
	const char *next = NULL, *s;
	json_t *doc, *dl;
	time_t opened, at, best = 0;
	int64_t d;
	size_t i;
	int st;

	snprintf(id, sizeof id, "%lld",
	    (long long)json_integer_value(json_object_get(c, "id")));
	snprintf(appeals, sizeof appeals, _("%lld (%lld rej.)"),
	    (long long)json_integer_value(json_object_get(c, "appeals")),
	    (long long)json_integer_value(json_object_get(c, "rejections")));
	/* The list carries the deadlines; an older daemon's only the detail. */
	if (json_object_get(c, "deadlines") != NULL)
		doc = json_incref((json_t *)c);
	else {
		path = cases_case_path(
		    json_integer_value(json_object_get(c, "id")), "");
		doc = ctl_call("GET", path, NULL);
		free(path);
	}
	ctl_zone(cases_str(doc, "timezone") != NULL
		? cases_str(doc, "timezone")
		: ctl_shop_zone(cases_str(c, "shop")));
	dl = json_object_get(doc, "deadlines");
	for (i = 0; i < nitems(deadlines); i++) {
		if ((s = cases_str(dl, deadlines[i])) != NULL &&
		    isotime_parse(s, &at) == 0 && (next == NULL || at < best)) {
			next = deadlines[i];
			best = at;
		}
	}
	snprintf(due, sizeof due, "-");
	if (next != NULL)
		ctl_time(dl, next, due, sizeof due);
	snprintf(age, sizeof age, "-");
	if ((s = cases_str(c, "opened_at")) != NULL &&
	    isotime_parse(s, &opened) == 0 && now >= opened) {
		/* Whole hours, or whole minutes in the first hour. */
		d = (int64_t)(now - opened);
		d -= d >= 3600 ? d % 3600 : d % 60;
		duration_format(d, age, sizeof age);
	}
	if (strcmp(age, "0s") == 0)
		snprintf(age, sizeof age, "0m");
	st = cases_state_from_name(
	    cases_str(c, "state") ? cases_str(c, "state") : "");
	title =
	    text_cut_width(cases_str(c, "title") ? cases_str(c, "title") : "-",
		CASES_TITLE_COLS);
	if (title == NULL)
		ctl_fail("out of memory");
	cases_table_add(t, id, cases_str(c, "shop"), cases_str(c, "product_id"),
	    cases_word("state", cases_str(c, "state")),
	    cases_word("reason", cases_str(c, "reason")), appeals, age, due,
	    st >= 0 ? _(cases_state_next((enum case_state)st)) : "-",
	    cases_str(doc, "assignee") ? cases_str(doc, "assignee") : "-",
	    title);
	free(title);
	json_decref(doc);
}

int
ctl_cases_cases(struct ctl_args *a)
{
	const char *state = ctl_args_get(a, 'S'), *shop = ctl_args_get(a, 's');
	const char *format = ctl_args_get(a, 'f');
	struct cases_table t;
	char *path;
	json_t *doc, *c;
	time_t now;
	size_t i;
	int sheet = ctl_export_sheet_format(format);

	path = cases_strdup("/v1/cases");
	cases_query(&path, "state", state);
	cases_query(&path, "shop", shop);
	if (sheet)
		ctl.json = 0; /* the sheet, not the daemon's JSON */
	doc = ctl_call("GET", path, NULL);
	free(path);
	if (sheet)
		ctl_export_cases(doc, format);
	else if (!ctl.json) {
		now = ctl_daemon_now();
		cases_table_init(&t, 11);
		t.nowrap = 1;
		cases_table_add(&t, _("ID"), _("SHOP"), _("PRODUCT ID"),
		    _("STATE"), _("REASON"), _("APPEALS"), _("AGE"),
		    _("NEXT DEADLINE"), _("NEXT STEP"), _("ASSIGNEE"),
		    _("TITLE"));
		json_array_foreach (json_object_get(doc, "cases"), i, c)
			cases_row(&t, c, now);
		if (t.nrows == 1) {
			printf(_("no cases\n"));
			cases_table_free(&t);
		} else
			cases_table_print(&t);
	}
	json_decref(doc);
	return (0);
}

void
cases_case_help(FILE *f)
{
	ctl_rows(f, cases_case_cmds, nitems(cases_case_cmds), NULL);
}

int
ctl_cases_case(int argc, char **argv)
{
	return (ctl_dispatch("case", cases_case_cmds, nitems(cases_case_cmds),
	    argc - 1, argv + 1));
}

static int
case_help(__unused struct ctl_args *a)
{
	printf(_("usage: delistctl [-s socket] [--json] case VERB ...; the "
		 "verbs:\n"));
	cases_case_help(stdout);
	return (0);
}

static int
case_open(struct ctl_args *a)
{
	const char *reason = ctl_args_get(a, 'r'), *rule = ctl_args_get(a, 'R');
	const char *at = ctl_args_get(a, 'a');
	json_t *body, *doc;

	if (reason == NULL)
		ctl_usage_fail(a->usage);
	body = json_object();
	cases_set_str(body, "shop", a->argv[0], "the shop name");
	cases_set_str(body, "product_id", a->argv[1], "the product ID");
	cases_set_str(body, "reason", reason, "the reason");
	cases_set_str(body, "rule", rule, "the rule");
	cases_set_str(body, "at", at, "the time");
	doc = ctl_call("POST", "/v1/cases", body);
	if (!ctl.json)
		printf("%lld\n",
		    (long long)json_integer_value(json_object_get(doc, "id")));
	json_decref(doc);
	return (0);
}

static int
case_note(struct ctl_args *a)
{
	const char *field = ctl_args_get(a, 'f');
	const char *before = ctl_args_get(a, 'b');
	const char *after = ctl_args_get(a, 'A');
	const char *at = ctl_args_get(a, 'a');
	json_t *body, *doc;
	long long id;
	char *path;

	if ((before != NULL || after != NULL) && field == NULL)
		ctl_usage_fail(a->usage);
	id = ctl_id(a->argv[0], N_("case"));
	body = json_object();
	cases_set_str(body, "text", a->argv[1], "the note");
	cases_set_str(body, "field", field, "the field");
	cases_set_str(body, "before", before, "the text before");
	cases_set_str(body, "after", after, "the text after");
	cases_set_str(body, "at", at, "the time");
	path = cases_case_path(id, "/notes");
	doc = ctl_call("POST", path, body);
	free(path);
	if (!ctl.json)
		printf(_("case %lld: note recorded, state %s\n"), id,
		    cases_word("state", cases_str(doc, "state")));
	json_decref(doc);
	return (0);
}

/*
 * The appeal preflight: the daemon's findings on the statement and the
 * materials about to be submitted, errors first. Changes nothing.
 */
static int
case_check(struct ctl_args *a)
{
	const char *statement = ctl_args_get(a, 's');
	const char *title = ctl_args_get(a, 't');
	json_t *body, *doc, *materials;
	char *text = NULL, *path;
	size_t len;
	long long id, nerr;
	long bad;

	id = ctl_id(a->argv[0], N_("case"));
	/* Read and judged before anything is built: a refusal leaks nothing. */
	if (statement != NULL) {
		text = ctl_read_file(statement, "statement", 0, &len);
		if ((bad = cases_utf8_bad((unsigned char *)text, len)) != -1)
			ctl_fail("statement %s is not UTF-8 (first bad byte "
				 "at offset %ld)",
			    ctl_file_name(statement), bad);
	}
	materials = cases_materials(a);
	body = json_object();
	if (statement != NULL) {
		json_object_set_new(body, "statement", json_stringn(text, len));
		free(text);
	}
	json_object_set_new(body, "materials", materials);
	cases_set_str(body, "title", title, "the title");
	path = cases_case_path(id, "/preflight");
	doc = cases_call("POST", path, body, 0);
	free(path);
	nerr = json_integer_value(json_object_get(doc, "errors"));
	if (!ctl.json) {
		if (json_array_size(json_object_get(doc, "findings")) == 0)
			printf(_("case %lld: nothing found that would get the "
				 "appeal rejected\n"),
			    id);
		cases_findings(stdout, json_object_get(doc, "findings"));
		if (nerr > 0)
			printf(_("%lld error%s: fix %s before you appeal\n"),
			    nerr, nerr == 1 ? "" : "s",
			    nerr == 1 ? "it" : "them");
	}
	json_decref(doc);
	return (nerr > 0 ? CTL_EXIT_BLOCKED : CTL_EXIT_OK);
}

static int
case_appeal(struct ctl_args *a)
{
	const char *platform = ctl_args_get(a, 'p');
	const char *statement = ctl_args_get(a, 's');
	const char *at = ctl_args_get(a, 'a');
	json_t *body, *doc, *materials, *appeals, *last, *forced, *v;
	char *text, *path;
	size_t len, i;
	long long id;
	long bad;
	int force = ctl_args_has(a, 'F');

	if (platform == NULL || statement == NULL)
		ctl_usage_fail(a->usage);
	id = ctl_id(a->argv[0], N_("case"));
	/* Read and judged before anything is built: a refusal leaks nothing. */
	text = ctl_read_file(statement, "statement", 0, &len);
	if ((bad = cases_utf8_bad((unsigned char *)text, len)) != -1)
		ctl_fail("statement %s is not UTF-8 (first bad byte at offset "
			 "%ld)",
		    ctl_file_name(statement), bad);
	materials = cases_materials(a);
	body = json_object();
	cases_set_str(
	    body, "platform_case_id", platform, "the platform Case ID");
	json_object_set_new(body, "statement", json_stringn(text, len));
	json_object_set_new(body, "materials", materials);
	cases_set_str(body, "at", at, "the time");
	if (force)
		json_object_set_new(body, "force", json_true());
	free(text);
	path = cases_case_path(id, "/appeals");
	doc = cases_call("POST", path, body, CASES_FORCE_HINT);
	free(path);
	if (!ctl.json) {
		appeals = json_object_get(doc, "appeals");
		last = json_array_get(appeals, json_array_size(appeals) - 1);
		printf(_("case %lld: appeal %lld recorded (platform case %s), "
			 "state %s\n"),
		    id,
		    (long long)json_integer_value(json_object_get(last, "n")),
		    cases_str(last, "platform_case_id"),
		    cases_word("state", cases_str(doc, "state")));
		cases_findings(stdout, json_object_get(doc, "preflight"));
		forced = json_object_get(last, "forced");
		json_array_foreach (forced, i, v) {
			printf(_("overridden with --force: %s\n"),
			    json_string_value(v));
		}
	}
	json_decref(doc);
	return (0);
}

static int
case_decision(struct ctl_args *c)
{
	const char *rejected = ctl_args_get(c, 'n'), *at = ctl_args_get(c, 'a');
	json_t *body, *doc, *a, *pending = NULL;
	long long id, n;
	char *path, sub[64];
	size_t i;
	int approved = ctl_args_has(c, 'y');

	if (approved == (rejected != NULL))
		ctl_usage_fail(c->usage);
	id = ctl_id(c->argv[0], N_("case"));
	path = cases_case_path(id, "");
	doc = cases_call("GET", path, NULL, CASES_QUIET);
	free(path);
	json_array_foreach (json_object_get(doc, "appeals"), i, a) {
		if (json_is_null(json_object_get(a, "decision")))
			pending = a;
	}
	/* The platform's manual re-review decides on the last appeal. */
	if (pending == NULL &&
	    strcmp(cases_str(doc, "state"), "manual_review") == 0)
		pending = json_array_get(json_object_get(doc, "appeals"),
		    json_array_size(json_object_get(doc, "appeals")) - 1);
	if (pending == NULL)
		ctl_fail("case %lld has no appeal awaiting a decision", id);
	n = json_integer_value(json_object_get(pending, "n"));
	json_decref(doc);

	body = json_object();
	json_object_set_new(
	    body, "decision", json_string(approved ? "approved" : "rejected"));
	cases_set_str(body, "reason", rejected, "the rejection reason");
	cases_set_str(body, "at", at, "the time");
	snprintf(sub, sizeof sub, "/appeals/%lld/decision", n);
	path = cases_case_path(id, sub);
	doc = ctl_call("POST", path, body);
	free(path);
	if (!ctl.json)
		printf(_("case %lld: appeal %lld %s, state %s\n"), id, n,
		    approved ? "approved" : "rejected",
		    cases_word("state", cases_str(doc, "state")));
	json_decref(doc);
	return (0);
}

static int
case_reinstated(struct ctl_args *a)
{
	const char *at = ctl_args_get(a, 'a');
	json_t *body, *doc;
	long long id;
	char *path;

	id = ctl_id(a->argv[0], N_("case"));
	body = json_object();
	cases_set_str(body, "at", at, "the time");
	path = cases_case_path(id, "/reinstated");
	doc = ctl_call("POST", path, body);
	free(path);
	if (!ctl.json)
		printf(_("case %lld: reinstatement recorded, state %s\n"), id,
		    cases_word("state", cases_str(doc, "state")));
	json_decref(doc);
	return (0);
}

static int
case_abandon(struct ctl_args *a)
{
	const char *relisted = ctl_args_get(a, 'r'), *at = ctl_args_get(a, 'a');
	const char *why = ctl_args_get(a, 'w');
	json_t *body, *doc;
	long long id;
	char *path;

	if (ctl_bulk_wanted(a, a->argc)) {
		if (relisted != NULL)
			ctl_fail(
			    _("--relisted-as names one new product: abandon "
			      "one case with it"));
		body = json_object();
		cases_set_str(body, "reason", why, "the reason");
		cases_set_str(body, "at", at, "the time");
		return (ctl_bulk_cases(a, a->argv, a->argc, "abandon", body));
	}
	if (a->argc != 1)
		ctl_usage_fail(a->usage);
	id = ctl_id(a->argv[0], N_("case"));
	body = json_object();
	cases_set_str(body, "relisted_as", relisted, "the new product ID");
	cases_set_str(body, "reason", why, "the reason");
	cases_set_str(body, "at", at, "the time");
	path = cases_case_path(id, "/abandon");
	doc = ctl_call("POST", path, body);
	free(path);
	if (!ctl.json) {
		if (relisted != NULL)
			printf(_("case %lld: abandoned, relisted as %s, state "
				 "%s\n"),
			    id, relisted,
			    cases_word("state", cases_str(doc, "state")));
		else
			printf(_("case %lld: abandoned, state %s\n"), id,
			    cases_word("state", cases_str(doc, "state")));
	}
	json_decref(doc);
	return (0);
}

/* What a piece of evidence is, for a person. */
static void
cases_evidence_what(json_t *e, char *buf, size_t len)
{
	const char *kind = cases_str(e, "kind");

	if (cases_str(e, "error") != NULL)
		snprintf(buf, len, "not archived: %s", cases_str(e, "error"));
	else if (strcmp(kind, "before") == 0)
		snprintf(buf, len,
		    "the listing before the takedown (its last healthy "
		    "answer)%s%s%s",
		    cases_str(e, "title") ? ": \"" : "",
		    cases_str(e, "title") ? cases_str(e, "title") : "",
		    cases_str(e, "title") ? "\"" : "");
	else if (strcmp(kind, "api_response") == 0)
		snprintf(buf, len, "the answer that showed it delisted");
	else
		snprintf(buf, len, "%s",
		    cases_str(e, "url") ? cases_str(e, "url") : "-");
}

static int
case_close(struct ctl_args *a)
{
	const char *outcome = ctl_args_get(a, 'o');
	const char *note = ctl_args_get(a, 'n'), *at = ctl_args_get(a, 'a');
	json_t *body, *doc;
	long long id;
	char *path;

	id = ctl_id(a->argv[0], N_("case"));
	if (outcome == NULL)
		ctl_fail("case close needs --outcome: dismissed, settled, "
			 "judgment or lost");
	if (note == NULL || *note == '\0')
		ctl_fail("case close needs --note TEXT: what the court or the "
			 "rights holder decided, for the trail");
	body = json_object();
	cases_set_str(body, "outcome", outcome, "the outcome");
	cases_set_str(body, "note", note, "the note");
	cases_set_str(body, "at", at, "the time");
	path = cases_case_path(id, "/close");
	doc = ctl_call("POST", path, body);
	free(path);
	if (!ctl.json)
		printf(_("case %lld: outcome %s recorded, state %s\n"), id,
		    outcome, cases_word("state", cases_str(doc, "state")));
	json_decref(doc);
	return (0);
}

static int
case_show(struct ctl_args *c)
{
	static const struct {
		const char *key;
		const char *label;
	} deadlines[] = {
		{ "feedback_due_at", N_("feedback due") },
		{ "escalate_due_at", N_("escalation due") },
		{ "stall_due_at", N_("stall due") },
	};
	struct cases_table t;
	json_t *doc, *a, *e, *dl;
	char *path, b1[CTL_TIME_LEN], b2[CTL_TIME_LEN], n[32], name[320],
	    *title;
	long long id;
	size_t i;

	id = ctl_id(c->argv[0], N_("case"));
	path = cases_case_path(id, "");
	doc = ctl_call("GET", path, NULL);
	free(path);
	if (ctl.json) {
		json_decref(doc);
		return (0);
	}

	title = cases_str(doc, "title") != NULL
	    ? ctl_fmt(" \"%s\"", cases_str(doc, "title"))
	    : cases_strdup("");
	printf(_("case %lld: %s/%s%s\n"), id, cases_str(doc, "shop"),
	    cases_str(doc, "product_id"), title);
	free(title);
	printf(
	    _("state     %s\n"), cases_word("state", cases_str(doc, "state")));
	printf(_("reason    %s\n"),
	    cases_word("reason", cases_str(doc, "reason")));
	if (cases_str(doc, "rule") != NULL)
		printf(_("rule      %s\n"), cases_str(doc, "rule"));
	if (cases_str(doc, "assignee") != NULL)
		printf(_("assignee  %s\n"), cases_str(doc, "assignee"));
	ctl_zone(cases_str(doc, "timezone") != NULL
		? cases_str(doc, "timezone")
		: ctl_shop_zone(cases_str(doc, "shop")));
	printf(_("opened    %s\n"), ctl_time(doc, "opened_at", b1, sizeof b1));
	printf(_("updated   %s\n"), ctl_time(doc, "updated_at", b1, sizeof b1));
	if (cases_str(doc, "closed_at") != NULL)
		printf(_("closed    %s\n"),
		    ctl_time(doc, "closed_at", b1, sizeof b1));
	if (cases_str(doc, "relisted_as") != NULL)
		printf(_("relisted  as %s\n"), cases_str(doc, "relisted_as"));

	printf(_("\nappeals\n"));
	if (json_array_size(json_object_get(doc, "appeals")) == 0)
		printf(_("  none\n"));
	else {
		cases_table_init(&t, 6);
		cases_table_add(&t, _("N"), _("PLATFORM CASE"), _("SUBMITTED"),
		    _("DECIDED"), _("DECISION"), _("REASON"));
		json_array_foreach (json_object_get(doc, "appeals"), i, a) {
			snprintf(n, sizeof n, "%lld",
			    (long long)json_integer_value(
				json_object_get(a, "n")));
			cases_table_add(&t, n, cases_str(a, "platform_case_id"),
			    ctl_time(a, "submitted_at", b1, sizeof b1),
			    ctl_time(a, "decided_at", b2, sizeof b2),
			    cases_str(a, "decision") ? cases_str(a, "decision")
						     : _("pending"),
			    cases_str(a, "reject_reason")
				? cases_str(a, "reject_reason")
				: "-");
		}
		cases_table_print(&t);
	}

	dl = json_object_get(doc, "deadlines");
	for (i = 0; i < nitems(deadlines); i++) {
		if (cases_str(dl, deadlines[i].key) != NULL)
			break;
	}
	if (i < nitems(deadlines)) {
		printf(_("\ndeadlines\n"));
		for (i = 0; i < nitems(deadlines); i++) {
			if (cases_str(dl, deadlines[i].key) == NULL)
				continue;
			/* Padded to 16 columns, by display width. */
			ctl_label("", _(deadlines[i].label), 15);
			printf("%s\n",
			    ctl_time(dl, deadlines[i].key, b1, sizeof b1));
		}
	}
	if (json_is_object(json_object_get(doc, "matter"))) {
		putchar('\n');
		ctl_tro_print(id, json_object_get(doc, "matter"));
	}

	/* Who took it on; the critical conditions still open. */
	{
		json_t *ack = json_object_get(doc, "ack");

		if (json_is_object(ack))
			printf(_("\nacknowledged by %s at %s%s%s%s%s\n"),
			    cases_str(ack, "by"),
			    ctl_time(ack, "at", b1, sizeof b1),
			    cases_str(ack, "until") ? _(", until ") : "",
			    cases_str(ack, "until")
				? ctl_time(ack, "until", b2, sizeof b2)
				: "",
			    cases_str(ack, "comment") ? ": " : "",
			    cases_str(ack, "comment")
				? cases_str(ack, "comment")
				: "");
		json_array_foreach (json_object_get(doc, "conditions"), i, e)
			printf(
			    _("%scondition %lld: %s, %lld reminder%s, next %s\n"),
			    i == 0 ? "\n" : "",
			    (long long)json_integer_value(
				json_object_get(e, "id")),
			    cases_str(e, "type"),
			    (long long)json_integer_value(
				json_object_get(e, "reminders")),
			    json_integer_value(
				json_object_get(e, "reminders")) == 1
				? ""
				: "s",
			    cases_str(e, "next_reminder_at")
				? ctl_time(e, "next_reminder_at", b2, sizeof b2)
				: "none (acknowledged)");
	}

	/* Who still has to acknowledge the reinstatement (ERP, ads). */
	if (json_array_size(json_object_get(doc, "sync")) > 0) {
		printf(_("\nsync of the reinstatement\n"));
		cases_table_init(&t, 4);
		cases_table_add(
		    &t, _("SINK"), _("STATE"), _("TRIES"), _("LAST ERROR"));
		json_array_foreach (json_object_get(doc, "sync"), i, e) {
			char tries[16];

			snprintf(tries, sizeof tries, "%lld",
			    (long long)json_integer_value(
				json_object_get(e, "attempts")));
			cases_table_add(&t, cases_str(e, "sink"),
			    cases_str(e, "state"), tries,
			    cases_str(e, "last_error")
				? cases_str(e, "last_error")
				: "-");
		}
		cases_table_print(&t);
	}

	if (json_array_size(json_object_get(doc, "documents")) > 0) {
		printf(_("\ndocuments\n"));
		cases_table_init(&t, 4);
		cases_table_add(
		    &t, _("ID"), _("TYPE"), _("NAME"), _("EXPIRES"));
		json_array_foreach (json_object_get(doc, "documents"), i, e) {
			snprintf(n, sizeof n, "%lld",
			    (long long)json_integer_value(
				json_object_get(e, "id")));
			snprintf(name, sizeof name, "%s%s",
			    cases_str(e, "name") ? cases_str(e, "name") : "-",
			    json_is_true(json_object_get(e, "removed"))
				? " (removed from the vault)"
				: "");
			cases_table_add(&t, n, cases_str(e, "type"), name,
			    cases_str(e, "expires") ? cases_str(e, "expires")
						    : "-");
		}
		cases_table_print(&t);
	}

	if (json_array_size(json_object_get(doc, "evidence")) > 0) {
		printf(_("\nevidence (whole hashes: delistctl case evidence "
			 "%lld)\n"),
		    id);
		cases_table_init(&t, 4);
		cases_table_add(
		    &t, _("KIND"), _("TIME"), _("SHA256"), _("WHAT"));
		json_array_foreach (json_object_get(doc, "evidence"), i, e) {
			char what[512], sha[16];

			cases_evidence_what(e, what, sizeof what);
			snprintf(sha, sizeof sha, "%.12s...",
			    cases_str(e, "sha256") ? cases_str(e, "sha256")
						   : "-");
			cases_table_add(&t, cases_str(e, "kind"),
			    ctl_time(e, "at", b1, sizeof b1),
			    cases_str(e, "sha256") ? sha : "-", what);
		}
		cases_table_print(&t);
	}

	printf(_("\ntrail\n"));
	cases_table_init(&t, 4);
	cases_table_add(&t, _("TIME"), _("ACTOR"), _("TYPE"), _("MESSAGE"));
	json_array_foreach (json_object_get(doc, "trail"), i, e) {
		cases_table_add(&t, ctl_time(e, "at", b1, sizeof b1),
		    cases_str(e, "actor"), cases_str(e, "type"),
		    ctl_message(e));
	}
	cases_table_print(&t);
	json_decref(doc);
	return (0);
}

static int
case_export(struct ctl_args *a)
{
	const char *format = ctl_args_get(a, 'f'), *msg;
	json_t *doc = NULL;
	char *path, *raw = NULL;
	long long id;
	long status;
	size_t len;

	if (ctl_args_has(a, 'A') != (a->argc == 0))
		ctl_usage_fail(a->usage);
	if (format == NULL)
		format = ctl.json ? "json" : "md";
	if (ctl_args_has(a, 'A'))
		return (ctl_export_all(ctl_args_get(a, 's'), format));
	id = ctl_id(a->argv[0], "case");
	path = cases_case_path(id, "/export");
	cases_query(&path, "format", format);
	status = ctl_request("GET", path, NULL, &doc, &raw);
	free(path);
	if (status < 200 || status > 299) {
		msg = cases_str(json_object_get(doc, "error"), "message");
		if (ctl.json && raw != NULL)
			fputs(raw, stderr);
		if (msg != NULL)
			fprintf(stderr, "delistctl: %s\n", _(msg));
		else
			fprintf(stderr,
			    _("delistctl: delistd answered HTTP %ld\n"),
			    status);
		exit(status >= 500 ? 3 : 1);
	}
	len = strlen(raw);
	fputs(raw, stdout);
	if (len > 0 && raw[len - 1] != '\n')
		fputc('\n', stdout);
	free(raw);
	json_decref(doc);
	return (0);
}

/*
 * One line of the event stream: printed as it came (--json) or as a line
 * for people. *arg keeps the last event id, to resume after it.
 */
static void
cases_event_line(const char *line, size_t len, void *arg)
{
	long long *last = arg;
	json_error_t jerr;
	json_t *e;
	char t[CTL_TIME_LEN], c[32];

	if (len == 0)
		return;
	if ((e = json_loadb(line, len, 0, &jerr)) == NULL) {
		printf("%.*s\n", (int)len, line);
		fflush(stdout);
		return;
	}
	if (json_is_integer(json_object_get(e, "id")))
		*last = json_integer_value(json_object_get(e, "id"));
	if (ctl.json) {
		printf("%.*s\n", (int)len, line);
		fflush(stdout);
		json_decref(e);
		return;
	}
	if (json_is_integer(json_object_get(e, "case")))
		snprintf(c, sizeof c, "case %lld",
		    (long long)json_integer_value(json_object_get(e, "case")));
	else
		snprintf(c, sizeof c, "-");
	ctl_zone(ctl_shop_zone(cases_str(e, "shop")));
	printf("%s  %-8s  %-8s  %-22s  %s\n", ctl_time(e, "at", t, sizeof t),
	    cases_str(e, "severity"), c, cases_str(e, "type"), ctl_message(e));
	fflush(stdout);
	json_decref(e);
}

/*
 * events --follow: without "after" the daemon sends only what happens
 * next. When the stream ends (the daemon's idle timeout, a restart) it is
 * opened again after the last event seen, so none is lost; when the daemon
 * cannot be reached any more, ctl_stream exits.
 */
static __dead void
cases_follow(long long id)
{
	long long last = 0;
	char *path, buf[32];
	json_t *st;

	/*
	 * Start after the newest event, so that a reconnection (after a
	 * restart of the daemon) misses nothing that happened meanwhile.
	 */
	st = cases_call("GET", "/v1/status", NULL, CASES_QUIET);
	last = json_integer_value(json_object_get(st, "last_event_id"));
	json_decref(st);
	for (;;) {
		path = cases_strdup("/v1/events?follow=1");
		if (id != 0) {
			snprintf(buf, sizeof buf, "%lld", id);
			cases_query(&path, "case", buf);
		}
		if (last != 0) {
			snprintf(buf, sizeof buf, "%lld", last);
			cases_query(&path, "after", buf);
		}
		ctl_stream(path, cases_event_line, &last);
		free(path);
		sleep(1);
	}
}

int
ctl_cases_events(struct ctl_args *a)
{
	struct cases_table t;
	long long id = 0;
	char *path, ids[32], cs[32], at[CTL_TIME_LEN], *head;
	const char *zone, *z;
	json_t *doc, *e;
	size_t i;
	int follow = ctl_args_has(a, 'f');

	if (ctl_args_has(a, 'c'))
		id = ctl_id(ctl_args_get(a, 'c'), N_("case"));
	if (follow)
		cases_follow(id);
	path = cases_strdup("/v1/events");
	if (id != 0) {
		snprintf(ids, sizeof ids, "%lld", id);
		cases_query(&path, "case", ids);
	}
	doc = ctl_call("GET", path, NULL);
	free(path);
	if (!ctl.json) {
		/*
		 * One zone for every event (the usual case): named once, in
		 * the header, so that the table keeps to 100 columns.
		 */
		zone = NULL;
		json_array_foreach (json_object_get(doc, "events"), i, e) {
			z = ctl_shop_zone(cases_str(e, "shop"));
			if (i == 0)
				zone = z;
			else if (zone == NULL || z == NULL ||
			    strcmp(zone, z) != 0) {
				zone = NULL;
				break;
			}
		}
		head = zone != NULL ? ctl_fmt(_("TIME (%s)"), zone)
				    : cases_strdup(_("TIME"));
		cases_table_init(&t, 6);
		cases_table_add(&t, _("ID"), head, _("SEVERITY"), _("CASE"),
		    _("TYPE"), _("MESSAGE"));
		free(head);
		json_array_foreach (json_object_get(doc, "events"), i, e) {
			snprintf(ids, sizeof ids, "%lld",
			    (long long)json_integer_value(
				json_object_get(e, "id")));
			if (json_is_integer(json_object_get(e, "case")))
				snprintf(cs, sizeof cs, "%lld",
				    (long long)json_integer_value(
					json_object_get(e, "case")));
			else
				snprintf(cs, sizeof cs, "-");
			ctl_zone(ctl_shop_zone(cases_str(e, "shop")));
			cases_table_add(&t, ids,
			    zone != NULL
				? ctl_time_short(e, "at", at, sizeof at)
				: ctl_time(e, "at", at, sizeof at),
			    cases_str(e, "severity"), cs, cases_str(e, "type"),
			    ctl_message(e));
		}
		if (t.nrows == 1) {
			printf(_("no events\n"));
			cases_table_free(&t);
		} else
			cases_table_print(&t);
	}
	json_decref(doc);
	return (0);
}

/* SPDX-License-Identifier: ISC */
/*
 * delistctl-export.c: cases as a spreadsheet, for the people who work in
 * Excel or WPS: cases --format csv|xlsx and case export --all --shop SHOP
 * --format md|json|csv|xlsx.
 *
 * One row a case, its columns those of exp_cols; times are local to the
 * case's shop (its zone in a column of its own), written as dates in XLSX
 * (libxlsxwriter) and "2026-12-01 10:00" in CSV (UTF-8 with a byte order
 * mark, so that Chinese Excel reads it as UTF-8). The headers are marked
 * strings: Chinese under a Chinese locale with the zh_CN catalogue.
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <xlsxwriter.h>

#include "calendar.h"
#include "delistctl.h"
#include "i18n.h"

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

enum exp_kind { EXP_INT, EXP_STR, EXP_TIME };

/* The columns of a case row: header, member of the case, kind, width. */
static const struct {
	const char *head;
	const char *key;
	enum exp_kind kind;
	double width;
} exp_cols[] = {
	{ N_("Case ID"), "id", EXP_INT, 9 },
	{ N_("Shop"), "shop", EXP_STR, 12 },
	{ N_("Product ID"), "product_id", EXP_STR, 20 },
	{ N_("Title"), "title", EXP_STR, 36 },
	{ N_("State"), "state", EXP_STR, 16 },
	{ N_("Reason"), "reason", EXP_STR, 22 },
	{ N_("Appeals"), "appeals", EXP_INT, 9 },
	{ N_("Rejections"), "rejections", EXP_INT, 11 },
	{ N_("Opened"), "opened_at", EXP_TIME, 17 },
	{ N_("Updated"), "updated_at", EXP_TIME, 17 },
	{ N_("Next deadline"), "next_deadline", EXP_TIME, 17 },
	{ N_("Assignee"), "assignee", EXP_STR, 12 },
	{ N_("Time zone"), "zone", EXP_STR, 16 },
};

/* The formats case export --all takes, and whether they are sheets. */
static const char *const exp_formats[] = { "md", "json", "csv", "xlsx" };

static const char *
exp_str(const json_t *o, const char *key)
{
	return (json_string_value(json_object_get(o, key)));
}

/*
 * Adds to case c what a row shows but the list does not carry: its next
 * deadline and its shop's zone.
 */
static void
exp_prepare(json_t *c)
{
	static const char *const keys[] = { "feedback_due_at",
		"escalate_due_at", "stall_due_at" };
	json_t *dl = json_object_get(c, "deadlines");
	const char *s, *best = NULL, *zone;
	time_t t, bt = 0;
	size_t i;

	for (i = 0; i < nitems(keys); i++) {
		if ((s = exp_str(dl, keys[i])) != NULL &&
		    isotime_parse(s, &t) == 0 && (best == NULL || t < bt)) {
			best = s;
			bt = t;
		}
	}
	if (best != NULL)
		json_object_set_new(c, "next_deadline", json_string(best));
	zone = exp_str(c, "timezone") != NULL
	    ? exp_str(c, "timezone")
	    : ctl_shop_zone(exp_str(c, "shop"));
	json_object_set_new(
	    c, "zone", json_string(zone != NULL ? zone : "UTC"));
}

/*
 * The time of member key of c in the zone of c's shop, as
 * "2026-12-01 10:00:00" into buf (CALENDAR_FORMAT_LEN); NULL without one.
 */
static const char *
exp_local(const json_t *c, const char *key, char *buf, size_t len)
{
	struct calendar *cal;
	const char *s = exp_str(c, key);
	char *cause = NULL;
	time_t t;
	int rc;

	if (s == NULL || isotime_parse(s, &t) == -1)
		return (NULL);
	if ((cal = calendar_new(exp_str(c, "zone"), &cause)) == NULL) {
		free(cause);
		return (NULL);
	}
	rc = calendar_format_local(cal, t, buf, len);
	calendar_free(cal);
	if (rc == -1 || strlen(buf) < 19)
		return (NULL);
	buf[10] = ' ';
	buf[19] = '\0';
	return (buf);
}

/* A CSV field, quoted when it must be (RFC 4180). */
static void
exp_csv_field(FILE *f, const char *s, int last)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL)
		fputs(s, f);
	else {
		fputc('"', f);
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	}
	fputs(last ? "\r\n" : ",", f);
}

/* The cases as CSV on f: UTF-8 with a byte order mark, CRLF lines. */
static void
exp_csv(FILE *f, json_t *cases)
{
	char buf[CALENDAR_FORMAT_LEN], num[32];
	const char *s;
	json_t *c;
	size_t i, k, last = nitems(exp_cols) - 1;

	fputs("\xef\xbb\xbf", f);
	for (k = 0; k < nitems(exp_cols); k++)
		exp_csv_field(f, _(exp_cols[k].head), k == last);
	json_array_foreach (cases, i, c) {
		for (k = 0; k < nitems(exp_cols); k++) {
			switch (exp_cols[k].kind) {
			case EXP_INT:
				snprintf(num, sizeof num, "%lld",
				    (long long)json_integer_value(
					json_object_get(c, exp_cols[k].key)));
				s = num;
				break;
			case EXP_TIME:
				s = exp_local(
				    c, exp_cols[k].key, buf, sizeof buf);
				if (s != NULL)
					buf[16] = '\0'; /* to the minute */
				break;
			default:
				s = exp_str(c, exp_cols[k].key);
			}
			exp_csv_field(f, s != NULL ? s : "", k == last);
		}
	}
}

/* "2026-12-01 10:00:00" into an Excel date. */
static void
exp_datetime(const char *s, lxw_datetime *dt)
{
	memset(dt, 0, sizeof *dt);
	sscanf(s, "%d-%d-%d %d:%d:%lf", &dt->year, &dt->month, &dt->day,
	    &dt->hour, &dt->min, &dt->sec);
}

/* The cases as a workbook in the file path; exits on failure. */
static void
exp_xlsx_file(const char *path, json_t *cases)
{
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *date;
	lxw_datetime dt;
	lxw_error err;
	char buf[CALENDAR_FORMAT_LEN];
	const char *s;
	json_t *c;
	size_t i, k;

	if ((wb = workbook_new(path)) == NULL)
		ctl_fail(_("cannot write the workbook %s"), path);
	ws = workbook_add_worksheet(wb, NULL);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy-mm-dd hh:mm");
	for (k = 0; k < nitems(exp_cols); k++) {
		worksheet_set_column(
		    ws, (lxw_col_t)k, (lxw_col_t)k, exp_cols[k].width, NULL);
		worksheet_write_string(
		    ws, 0, (lxw_col_t)k, _(exp_cols[k].head), bold);
	}
	worksheet_freeze_panes(ws, 1, 0);
	json_array_foreach (cases, i, c) {
		for (k = 0; k < nitems(exp_cols); k++) {
			lxw_row_t r = (lxw_row_t)(i + 1);
			lxw_col_t col = (lxw_col_t)k;

			switch (exp_cols[k].kind) {
			case EXP_INT:
				worksheet_write_number(ws, r, col,
				    (double)json_integer_value(
					json_object_get(c, exp_cols[k].key)),
				    NULL);
				break;
			case EXP_TIME:
				if ((s = exp_local(c, exp_cols[k].key, buf,
					 sizeof buf)) == NULL)
					break;
				exp_datetime(s, &dt);
				worksheet_write_datetime(ws, r, col, &dt, date);
				break;
			default:
				if ((s = exp_str(c, exp_cols[k].key)) != NULL)
					worksheet_write_string(
					    ws, r, col, s, NULL);
			}
		}
	}
	if ((err = workbook_close(wb)) != LXW_NO_ERROR)
		ctl_fail(_("cannot write the workbook %s: %s"), path,
		    lxw_strerror(err));
}

/*
 * The cases as XLSX on standard output (through a temporary file: a zip
 * is written with seeks), which must not be a terminal.
 */
static void
exp_xlsx(json_t *cases)
{
	char path[] = "/tmp/delistctl.XXXXXX", buf[65536];
	const char *tmpdir = getenv("TMPDIR");
	char *tpath;
	size_t n;
	FILE *f;
	int fd;

	if (isatty(STDOUT_FILENO))
		ctl_fail(_("an XLSX workbook is not for a terminal: redirect "
			   "it to a file (> cases.xlsx)"));
	tpath = tmpdir != NULL && *tmpdir != '\0'
	    ? ctl_fmt("%s/delistctl.XXXXXX", tmpdir)
	    : xstrdup(path);
	if ((fd = mkstemp(tpath)) == -1)
		ctl_fail(
		    _("cannot make a temporary file: %s"), strerror(errno));
	close(fd);
	exp_xlsx_file(tpath, cases);
	if ((f = fopen(tpath, "rb")) == NULL)
		ctl_fail(_("cannot read %s: %s"), tpath, strerror(errno));
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	unlink(tpath);
	free(tpath);
	if (fflush(stdout) == EOF)
		ctl_fail(_("cannot write the workbook: %s"), strerror(errno));
}

/* Whether format is csv or xlsx (a sheet); fails on another. */
int
ctl_export_sheet_format(const char *format)
{
	if (format == NULL)
		return (0);
	if (strcmp(format, "csv") == 0 || strcmp(format, "xlsx") == 0)
		return (1);
	ctl_fail(_("--format %s: expected csv or xlsx"), format);
}

/* Writes the list of cases doc (GET /v1/cases) as format csv or xlsx. */
void
ctl_export_cases(json_t *doc, const char *format)
{
	json_t *cases = json_object_get(doc, "cases"), *c;
	size_t i;

	json_array_foreach (cases, i, c)
		exp_prepare(c);
	if (strcmp(format, "csv") == 0)
		exp_csv(stdout, cases);
	else
		exp_xlsx(cases);
}

/*
 * case export --all --shop SHOP --format md|json|csv|xlsx: every case of
 * the shop, their dossiers one after the other (md), as one JSON array
 * (json), or a row each (csv, xlsx).
 */
int
ctl_export_all(const char *shop, const char *format)
{
	json_t *doc, *c, *arr, *d;
	char *q, *path, *raw;
	size_t i, k;
	long st;

	for (k = 0; k < nitems(exp_formats); k++) {
		if (strcmp(format, exp_formats[k]) == 0)
			break;
	}
	if (k == nitems(exp_formats))
		ctl_fail(
		    _("--format %s: expected md, json, csv or xlsx"), format);
	if (shop == NULL)
		ctl_fail(_("case export --all needs --shop SHOP"));
	if (!ctl_shop_known(shop))
		ctl_fail(_("unknown shop \"%s\" (delistctl status lists them)"),
		    shop);
	q = ctl_escape(shop);
	path = ctl_fmt("/v1/cases?shop=%s", q);
	free(q);
	st = ctl_request("GET", path, NULL, &doc, &raw);
	free(path);
	if (st < 200 || st > 299 || doc == NULL)
		(void)ctl_answer(st, doc, raw);
	free(raw);
	if (k >= 2) {
		ctl_export_cases(doc, format);
		json_decref(doc);
		return (0);
	}
	arr = json_array();
	json_array_foreach (json_object_get(doc, "cases"), i, c) {
		path = ctl_fmt("/v1/cases/%lld/export?format=%s",
		    (long long)json_integer_value(json_object_get(c, "id")),
		    format);
		st = ctl_request("GET", path, NULL, &d, &raw);
		free(path);
		if (st < 200 || st > 299 || (k == 1 && d == NULL))
			(void)ctl_answer(st, d, raw);
		if (k == 1)
			json_array_append_new(arr, d);
		else {
			printf("%s%s", i > 0 ? "\n---\n\n" : "", raw);
			json_decref(d);
		}
		free(raw);
	}
	if (k == 1) {
		q = json_dumps(arr, JSON_INDENT(2));
		printf("%s\n", q);
		free(q);
	}
	json_decref(arr);
	json_decref(doc);
	return (0);
}

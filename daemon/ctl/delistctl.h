/* SPDX-License-Identifier: ISC */
/*
 * delistctl.h: what delistctl's verbs share.
 */

#ifndef DELISTCTL_H
#define DELISTCTL_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "core.h"
#include "i18n.h"

#ifndef __dead
#define __dead __attribute__((__noreturn__))
#endif
#ifndef __unused
#define __unused __attribute__((__unused__))
#endif

/* delistctl's exit statuses: the EXIT STATUS of delistctl.1. */
enum ctl_exit {
	CTL_EXIT_OK = 0,
	CTL_EXIT_ERROR = 1, /* an error, or the daemon refused */
	CTL_EXIT_USAGE = 2, /* a usage error */
	CTL_EXIT_DAEMON = 3, /* the daemon is not reachable, or failed */
	CTL_EXIT_BLOCKED = 4, /* the appeal preflight found errors */
};

struct ctl_cmd;

struct ctl {
	const char *socket;
	int socket_given; /* by -s or DELISTD_SOCKET, not the default */
	int json;
	long timeout;
	/* The verb running, and the table of its rows, for its --help. */
	const char *verb;
	const struct ctl_cmd *verbs;
	size_t nverbs;
	/* --complete: ctl_rows prints the completion table, not the help. */
	int complete;
};

/*
 * A verb's argument template, parsed once by the dispatcher (as tmux's
 * cmd-*.c .args): its short options (getopt's string), its long options
 * (NULL: none; each one's val is the letter ctl_args_has asks for) and
 * how many operands it takes, lower to upper (-1: no limit). -j, --json
 * and -h, --help are every verb's.
 */
struct ctl_template {
	const char *shortopts;
	const struct option *longopts;
	int lower;
	int upper;
};

/* What the dispatcher parsed for a verb with a template. */
#define CTL_OPT_MAX 128
struct ctl_args {
	int argc; /* the operands */
	char **argv;
	const char *usage; /* the verb's rows, for ctl_usage_fail */
	int count[CTL_OPT_MAX]; /* times each option was given */
	const char *value[CTL_OPT_MAX]; /* its last argument */
	const char **values[CTL_OPT_MAX]; /* all of them, count[ch] */
};

/*
 * A verb: its name, usage and help (a row of 'delistctl help'), and either
 * exec with its template (the dispatcher parses) or fn (a verb that still
 * parses its own argv with ctl_getopt).
 */
/* The end of a row whose verb parses its own argv (fn). */
#define CTL_OWN_ARGS \
	NULL, \
	{ \
		NULL, NULL, 0, 0 \
	}

struct ctl_cmd {
	const char *name;
	const char *usage;
	const char *help;
	int (*fn)(int, char **);
	int (*exec)(struct ctl_args *);
	struct ctl_template args;
};

struct ctl_buf {
	char *data;
	size_t len;
	size_t cap;
};

extern struct ctl ctl;

__dead void
ctl_fail(const char *, ...) __attribute__((__format__(__printf__, 1, 2)));
__dead void ctl_fail_status(int, const char *, ...)
    __attribute__((__format__(__printf__, 2, 3)));
__dead void ctl_usage_fail(const char *);
long long ctl_id(const char *, const char *);
char *ctl_fmt(const char *, ...) __attribute__((__format__(__printf__, 1, 2)));
/* Room for ctl_time's result. */
#define CTL_TIME_LEN 112
void ctl_zone(const char *);
const char *ctl_shop_zone(const char *);
time_t ctl_daemon_now(void);
int ctl_shop_known(const char *);
const char *ctl_time(const json_t *, const char *, char *, size_t);
const char *ctl_message(json_t *);
const char *ctl_time_short(const json_t *, const char *, char *, size_t);
const char *ctl_duration(const json_t *, const char *, char *, size_t);
int ctl_getopt(int, char **, const char *, const struct option *);
int ctl_args_has(const struct ctl_args *, int);
const char *ctl_args_get(const struct ctl_args *, int);
const char *ctl_args_nth(const struct ctl_args *, int, int);
void ctl_rows(FILE *, const struct ctl_cmd *, size_t, const char *);
int ctl_dispatch(const char *, const struct ctl_cmd *, size_t, int, char **);
char *ctl_read_file(const char *, const char *, size_t, size_t *);
const char *ctl_file_name(const char *);
long ctl_request(const char *, const char *, json_t *, json_t **, char **);
long ctl_request_bytes(const char *, const char *, const char *, const void *,
    size_t, json_t **, char **, size_t *);
json_t *ctl_call(const char *, const char *, json_t *);
json_t *ctl_answer(long, json_t *, char *);
void ctl_table(char ***, size_t, size_t);
char ***ctl_table_new(size_t, size_t);
void ctl_shop_check(const char *);
void ctl_table_free(char ***, size_t, size_t);
size_t ctl_width(const char *);
void ctl_label(const char *, const char *, size_t);
char *ctl_escape(const char *);
void ctl_stream(const char *, void (*)(const char *, size_t, void *), void *);

/*
 * delistctl-bulk.c: the bulk forms. CTL_BULK_OPTIONS are the options of
 * every bulk verb's template: --file, the filter, --dry-run.
 */
#define CTL_BULK_OPTIONS \
	{ "file", required_argument, NULL, 'F' }, \
	    { "shop", required_argument, NULL, 's' }, \
	    { "state", required_argument, NULL, 'S' }, \
	    { "reason", required_argument, NULL, 'R' }, \
	    { "imported-at", required_argument, NULL, 'I' }, \
	    { "older-than", required_argument, NULL, 'O' }, \
	{ \
		"dry-run", no_argument, NULL, 'D' \
	}
/*
 * The bulk form's selection in a verb's usage, and its help rows: marked
 * strings of delistctl-bulk.c, printed with _() as every help row.
 */
#define CTL_BULK_USAGE "--file FILE|- | FILTER"
extern const char ctl_bulk_help[], ctl_bulk_help_untrack[];
#define CTL_BULK_HELP ctl_bulk_help
#define CTL_BULK_HELP_UNTRACK ctl_bulk_help_untrack
int ctl_bulk_wanted(const struct ctl_args *, int);
int
ctl_bulk_cases(const struct ctl_args *, char **, int, const char *, json_t *);
int ctl_bulk_untrack(const struct ctl_args *);

/* delistctl-export.c: cases as CSV or XLSX, case export --all. */
int ctl_export_sheet_format(const char *);
void ctl_export_cases(json_t *, const char *);
int ctl_export_all(const char *, const char *);

/* delistctl-cases.c: listings, cases, events. */
int ctl_cases_track(struct ctl_args *);
extern const struct option ctl_cases_track_options[];
extern const struct option ctl_cases_filter_options[];
extern const struct option ctl_cases_cases_options[];
extern const struct option ctl_cases_untrack_options[];
int ctl_cases_untrack(struct ctl_args *);
int ctl_cases_listings(struct ctl_args *);
int ctl_cases_cases(struct ctl_args *);
int ctl_cases_case(int, char **);
extern const struct option ctl_cases_events_options[];
int ctl_cases_events(struct ctl_args *);

void cases_case_help(FILE *);
int ctl_outbox_list(struct ctl_args *);
extern const struct option ctl_outbox_list_options[];
int ctl_outbox_retry(struct ctl_args *);
extern const struct option ctl_outbox_retry_options[];

/* delistctl-backup.c: delistctl backup DIR. */
int ctl_backup(struct ctl_args *);

/* delistctl-docs.c: the document vault. */
int ctl_docs(int, char **);
/* delistctl-scan.c */
int ctl_scan(struct ctl_args *);
/* delistctl-tro.c */
extern const struct option ctl_tro_matter_options[];
int ctl_tro_matter(struct ctl_args *);
void ctl_tro_print(long long, const json_t *);
const char *ctl_word(const char *, const char *);
/* delistctl-points.c */
extern const struct option ctl_points_options[];
int ctl_points(struct ctl_args *);
int ctl_docs_case_doc(struct ctl_args *);
extern const struct option ctl_docs_case_doc_options[];
void docs_help(FILE *);

/* delistctl-alerts.c: acknowledgements, conditions, snoozes. */
extern const struct option ctl_alerts_options[];
extern const struct option ctl_alerts_case_ack_options[];
int ctl_alerts_case_ack(struct ctl_args *);
int ctl_alerts_ack(struct ctl_args *);
int ctl_alerts_conditions(struct ctl_args *);
int ctl_alerts_snooze(struct ctl_args *);
void ctl_alerts_status(json_t *);
/* delistctl-source.c: import, case classify, case evidence. */
int ctl_source_import(struct ctl_args *);
int ctl_source_classify(struct ctl_args *);
extern const struct option ctl_source_classify_options[];
int ctl_source_evidence(struct ctl_args *);
/* delistctl-users.c: web console users, case assign. */
int ctl_users(int, char **);
int ctl_users_case_assign(struct ctl_args *);
/* delistctl-stats.c */
int ctl_stats(struct ctl_args *);
extern const struct option ctl_stats_options[];
extern const struct option ctl_users_assign_options[];
void ctl_users_help(FILE *);

#endif

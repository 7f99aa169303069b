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
 * A group of verbs ("case", "doc", "user"): its name and its own table,
 * dispatched on the word after the group's name.
 */
struct ctl_group {
	const char *name;
	const struct ctl_cmd *cmds;
	size_t ncmds;
};

/*
 * A verb: its name, usage and help (a row of 'delistctl help'), and either
 * exec with its template (the dispatcher parses) or the group whose table
 * takes the next word. A name of two words ("outbox retry") is a verb
 * whose second word is taken before its template's operands.
 */
struct ctl_cmd {
	const char *name;
	const char *usage;
	const char *help;
	const struct ctl_group *group;
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
const char *ctl_time(const json_t *, const char *, char *, size_t);
const char *ctl_time_short(const json_t *, const char *, char *, size_t);
const char *ctl_duration(const json_t *, const char *, char *, size_t);
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
void ctl_answer_ok(long, const json_t *, const char *);
void ctl_table(char ***, size_t, size_t);
size_t ctl_width(const char *);
char *ctl_escape(const char *);
void ctl_stream(const char *, void (*)(const char *, size_t, void *), void *);

/* delistctl-cases.c: listings, cases, events. */
int ctl_cases_track(struct ctl_args *);
extern const struct option ctl_cases_track_options[];
extern const struct option ctl_cases_filter_options[];
int ctl_cases_untrack(struct ctl_args *);
int ctl_cases_listings(struct ctl_args *);
int ctl_cases_cases(struct ctl_args *);
extern const struct ctl_group ctl_cases_group;
extern const struct option ctl_cases_events_options[];
int ctl_cases_events(struct ctl_args *);

/* delistctl-outbox.c: the deliveries. */
int ctl_outbox_list(struct ctl_args *);
extern const struct option ctl_outbox_list_options[];
int ctl_outbox_retry(struct ctl_args *);
extern const struct option ctl_outbox_retry_options[];

/* delistctl-docs.c: the document vault. */
extern const struct ctl_group ctl_docs_group;
int ctl_docs_case_doc(struct ctl_args *);
extern const struct option ctl_docs_case_doc_options[];

/* delistctl-alerts.c: acknowledgements, conditions, snoozes. */
extern const struct option ctl_alerts_options[];
int ctl_alerts_case_ack(struct ctl_args *);
int ctl_alerts_ack(struct ctl_args *);
int ctl_alerts_conditions(struct ctl_args *);
int ctl_alerts_snooze(struct ctl_args *);
void ctl_alerts_status(json_t *);
/* delistctl-source.c: import, case classify, case evidence. */
int ctl_source_import(struct ctl_args *);
int ctl_source_classify(struct ctl_args *);
int ctl_source_evidence(struct ctl_args *);
/* delistctl-users.c: web console users, case assign. */
extern const struct ctl_group ctl_users_group;
int ctl_users_case_assign(struct ctl_args *);
extern const struct option ctl_users_assign_options[];

#endif

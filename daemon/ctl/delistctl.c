/* SPDX-License-Identifier: ISC */
/*
 * delistctl.c: the command-line client of delistd's control API.
 *
 * Each verb is a row in one table and one function. It speaks HTTP/1.1 +
 * JSON over the daemon's Unix socket through libcurl, prints aligned tables
 * for people and the daemon's JSON with --json, and on any failure prints
 * one line on stderr and exits non-zero. It holds no state of its own.
 */

#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "calendar.h"
#include "delistctl.h"
#include "evtext.h"
#include "i18n.h"
#include "text.h"
#include "tzfile.h"

#ifndef DELISTD_RUN_SOCKET
#define DELISTD_RUN_SOCKET "/run/delistd/delistd.sock"
#endif
#ifndef DELISTD_STATE_SOCKET
#define DELISTD_STATE_SOCKET "/var/lib/delistd/delistd.sock"
#endif

struct ctl ctl;

static __dead void ctl_vfail(int, const char *, va_list)
    __attribute__((__format__(__printf__, 2, 0)));
static __dead void ctl_unreachable(const char *, long, CURLcode, const char *);
static void ctl_verb_help(void);
static void ctl_complete_row(FILE *, const struct ctl_cmd *);
static int ctl_complete(int, char **);
static void
ctl_complete_add(char ***, size_t *, const char *, size_t, const char *);
static void usage(FILE *);
static int ctl_verb_words(const char *, const char *, const char *);
static void ctl_parse(const struct ctl_cmd *, size_t, const struct ctl_cmd *,
    int, char **, struct ctl_args *);
static void ctl_args_free(struct ctl_args *);
static int cmd_status(struct ctl_args *);
static int cmd_reload(struct ctl_args *);
static int cmd_help(struct ctl_args *);
static void ctl_locale(void);
static const char *ctl_zone_label(void);

static const struct ctl_cmd ctl_cmds[] = {
	{ "status", "status", N_("show the daemon's state"), NULL, cmd_status,
	    { "", NULL, 0, 0 } },
	{ "reload", "reload",
	    N_("reload the configuration, wait for the answer"), NULL,
	    cmd_reload, { "", NULL, 0, 0 } },
	{ "track",
	    "track SHOP PRODUCT_ID [--title T] [--interval DUR] "
	    "[--image URL ...]",
	    N_("watch a listing"), NULL, ctl_cases_track,
	    { "", ctl_cases_track_options, 2, 2 } },
	{ "untrack", "untrack SHOP PRODUCT_ID", N_("stop watching a listing"),
	    NULL, ctl_cases_untrack, { "", ctl_cases_untrack_options, 0, -1 } },
	{ "untrack",
	    "untrack SHOP PRODUCT_ID...|[SHOP] " CTL_BULK_USAGE " [--dry-run]",
	    CTL_BULK_HELP_UNTRACK, NULL, ctl_cases_untrack,
	    { "", ctl_cases_untrack_options, 0, -1 } },
	{ "import", "import FILE.csv|-",
	    N_("track the listings of a CSV file (shop,product_id[,title]); - "
	       "reads it from standard input"),
	    NULL, ctl_source_import, { "", NULL, 1, 1 } },
	{ "listings", "listings [--state S] [--shop SHOP]",
	    N_("list the listings"), NULL, ctl_cases_listings,
	    { "", ctl_cases_filter_options, 0, 0 } },
	{ "cases", "cases [--state S] [--shop SHOP] [--format csv|xlsx]",
	    N_("list the cases; as a spreadsheet with --format (xlsx: redirect "
	       "it to a file)"),
	    NULL, ctl_cases_cases, { "", ctl_cases_cases_options, 0, 0 } },
	{ "case", "case VERB ...",
	    N_("show|open|note|classify|appeal|decision|reinstated|abandon|"
	       "close|matter|evidence|export|doc|ack|assign one case "
	       "('delistctl case help')"),
	    ctl_cases_case, CTL_OWN_ARGS },
	{ "events", "events [--case ID] [--follow]",
	    N_("the trail, or new events as they happen"), NULL,
	    ctl_cases_events, { "", ctl_cases_events_options, 0, 0 } },
	{ "outbox", "outbox [--dead]",
	    N_("deliveries waiting for a sink, or given up on"), NULL,
	    ctl_outbox_list, { "", ctl_outbox_list_options, 0, 0 } },
	{ "outbox retry", "outbox retry ID|--all-dead",
	    N_("queue dead deliveries again"), NULL, ctl_outbox_retry,
	    { "", ctl_outbox_retry_options, 0, 1 } },
	{ "doc", "doc VERB ...",
	    N_("add|list|show|get|rm documents in the vault ('delistctl doc "
	       "help')"),
	    ctl_docs, CTL_OWN_ARGS },
	{ "conditions", "conditions",
	    N_("critical conditions still open, and who took them on"), NULL,
	    ctl_alerts_conditions, { "", NULL, 0, 0 } },
	{ "ack", "ack CONDITION_ID [--for DURATION] [--comment TEXT]",
	    N_("take a condition on (a dead delivery): its reminders stop"),
	    NULL, ctl_alerts_ack, { "", ctl_alerts_options, 1, 1 } },
	{ "snooze", "snooze SHOP --for DURATION [--comment TEXT]",
	    N_("no mail about the shop for a while"), NULL, ctl_alerts_snooze,
	    { "", ctl_alerts_options, 1, 1 } },
	{ "snooze", "snooze SHOP --off", N_("end a shop's snooze"), NULL,
	    ctl_alerts_snooze, { "", ctl_alerts_options, 1, 1 } },
	{ "scan", "scan [SHOP]",
	    N_("check every tracked listing's title for banned terms and "
	       "unauthorized brands (no platform call)"),
	    NULL, ctl_scan, { "", NULL, 0, 1 } },
	{ "points", "points SHOP",
	    N_("the shop's penalty points: each ledger's total, the next "
	       "threshold and its consequence, what expires when"),
	    NULL, ctl_points, { "", ctl_points_options, 1, 2 } },
	{ "points", "points SHOP --set LEDGER N --reason TEXT",
	    N_("set a ledger to the figure the seller backend shows"), NULL,
	    ctl_points, { "", ctl_points_options, 1, 2 } },
	{ "points",
	    "points SHOP --correct CASE --ledger L --points N --reason TEXT",
	    N_("correct the ledger and points a case recorded"), NULL,
	    ctl_points, { "", ctl_points_options, 1, 2 } },
	{ "user", "user VERB ...",
	    N_("add|passwd|rm|list the web console's users ('delistctl user "
	       "help')"),
	    ctl_users, CTL_OWN_ARGS },
	{ "stats", "stats [SHOP] [--weeks N]",
	    N_("delistings per week, appeal outcomes, days to reinstatement "
	       "and open cases, by reason (ISO weeks in the shop's zone)"),
	    NULL, ctl_stats, { "", ctl_stats_options, 0, 1 } },
	{ "backup", "backup DIR",
	    N_("copy the daemon's data (database, documents, evidence) into "
	       "the new directory DIR, with a MANIFEST of SHA-256 sums"),
	    NULL, ctl_backup, { "", NULL, 1, 1 } },
	{ "help", "help", N_("show this help"), NULL, cmd_help,
	    { "", NULL, 0, 0 } },
};

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* How to get a daemon to talk to, ending each "no daemon" message. */
#define CTL_START_HINT \
	N_("start it ('systemctl start delistd', or 'delistd -f' by hand) " \
	   "or give its socket with -s PATH")

/*
 * Why connect(2) to the socket failed, by its errno; permission and a
 * file that is not a socket have messages of their own (ctl_unreachable).
 */
static const struct {
	int error;
	const char *why;
} ctl_connect_errors[] = {
	{ ENOENT, N_("no such socket") },
	{ ENOTDIR, N_("no such socket") },
	{ ECONNREFUSED,
	    N_("connection refused: the socket is stale, left by a daemon "
	       "that is no longer running") },
	{ EAGAIN, N_("its queue of connections is full") },
};

static __dead void
ctl_vfail(int status, const char *fmt, va_list ap)
{
	fprintf(stderr, "delistctl: ");
	/* fmt is a msgid: xgettext --keyword=ctl_fail (po/Makevars). */
	vfprintf(stderr, _(fmt), ap);
	fputc('\n', stderr);
	exit(status);
}

__dead void
ctl_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_vfail(CTL_EXIT_ERROR, fmt, ap);
}

/* ctl_fail with an exit status of enum ctl_exit. */
__dead void
ctl_fail_status(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctl_vfail(status, fmt, ap);
}

__dead void
ctl_usage_fail(const char *usage)
{
	fprintf(stderr, _("usage: delistctl %s\n"), usage);
	exit(CTL_EXIT_USAGE);
}

/* A string made with printf, or fail: out of memory. */
char *
ctl_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1)
		ctl_fail("out of memory");
	return (s);
}

/*
 * The zone the times being printed are read in (ctl_zone), its calendar,
 * and the shops' zones as GET /v1/status gives them (ctl_shop_zone).
 */
static char *ctl_zone_name;
static struct calendar *ctl_zone_cal;
static json_t *ctl_shop_zones;

/*
 * From now on ctl_time writes times in zone tz ("Asia/Shanghai"); NULL (or
 * a zone this machine does not know) means UTC, as the daemon sends them.
 */
void
ctl_zone(const char *tz)
{
	char *cause = NULL;

	if (tz != NULL && ctl_zone_name != NULL &&
	    strcmp(tz, ctl_zone_name) == 0)
		return;
	calendar_free(ctl_zone_cal);
	free(ctl_zone_name);
	ctl_zone_cal = NULL;
	ctl_zone_name = NULL;
	if (tz == NULL)
		return;
	ctl_zone_name = xstrdup(tz);
	if ((ctl_zone_cal = calendar_new(tz, &cause)) == NULL)
		free(cause);
}

/*
 * The zone of shop: its own, else the daemon's (GET /v1/status "shops" and
 * "timezone", asked once); NULL if the daemon does not say.
 */
const char *
ctl_shop_zone(const char *shop)
{
	const char *tz;
	json_t *s;
	size_t i;

	if (ctl_shop_zones == NULL)
		ctl_shop_zones = ctl_call("GET", "/v1/status", NULL);
	json_array_foreach (json_object_get(ctl_shop_zones, "shops"), i, s) {
		if (shop != NULL &&
		    (tz = json_string_value(json_object_get(s, "name"))) !=
			NULL &&
		    strcmp(tz, shop) == 0)
			return (
			    json_string_value(json_object_get(s, "timezone")));
	}
	return (json_string_value(json_object_get(ctl_shop_zones, "timezone")));
}

/* Whether the daemon has a shop of that name (GET /v1/status "shops"). */
int
ctl_shop_known(const char *shop)
{
	const char *name;
	json_t *s;
	size_t i;

	(void)ctl_shop_zone(NULL);
	json_array_foreach (json_object_get(ctl_shop_zones, "shops"), i, s) {
		if ((name = json_string_value(json_object_get(s, "name"))) !=
			NULL &&
		    strcmp(name, shop) == 0)
			return (1);
	}
	return (0);
}

/* The daemon's clock (the test clock under tests), from GET /v1/status. */
time_t
ctl_daemon_now(void)
{
	(void)ctl_shop_zone(NULL);
	return (
	    (time_t)json_integer_value(json_object_get(ctl_shop_zones, "now")));
}

/*
 * How a Chinese reader names Beijing's zone: "2026-10-08 10:00 (北京时间)"
 * when the catalogue translates "Beijing time"; NULL (the zone's
 * abbreviation and name) otherwise.
 */
static const char *
ctl_zone_label(void)
{
	static const char beijing[] = N_("Beijing time");

	if (ctl_zone_name != NULL &&
	    strcmp(ctl_zone_name, "Asia/Shanghai") == 0 &&
	    _(beijing) != beijing)
		return (_(beijing));
	return (NULL);
}

/*
 * An event's sentence in the reader's language: its "text" (the format the
 * daemon wrote it with, a msgid, and its arguments as strings) through the
 * catalogue and evtext_render; else, or when the format is not translated
 * or does not take the arguments, its English "message". The result
 * replaces the event's "message", so it lives as long as the event.
 */
const char *
ctl_message(json_t *e)
{
	json_t *text, *args, *v;
	const char *fmt, *tr, **av;
	char *s;
	size_t n, i;

	text = json_object_get(e, "text");
	args = json_object_get(text, "args");
	fmt = json_string_value(json_object_get(text, "format"));
	if (fmt == NULL || *fmt == '\0' || !json_is_array(args) ||
	    (n = json_array_size(args)) > EVTEXT_MAX_ARGS ||
	    (tr = gettext(fmt)) == fmt)
		return (json_string_value(json_object_get(e, "message")));
	av = xcalloc(n + 1, sizeof *av);
	json_array_foreach (args, i, v)
		av[i] = json_string_value(v);
	if ((s = evtext_render(tr, av, n, NULL)) != NULL) {
		json_object_set_new(e, "message", json_string(s));
		free(s);
	}
	free(av);
	return (json_string_value(json_object_get(e, "message")));
}

/*
 * The time of obj's member key ("2026-10-08T02:00:00Z") for people, in the
 * zone of ctl_zone with the zone named: "2026-10-08 10:00 CST
 * (Asia/Shanghai)" (calendar_format_human), with seconds only when they are
 * not zero; without a zone "2026-10-08 02:00Z"; "-" when absent or null.
 * len should be CTL_TIME_LEN.
 */
const char *
ctl_time(const json_t *obj, const char *key, char *buf, size_t len)
{
	const char *t = json_string_value(json_object_get(obj, key));
	time_t tt;

	if (t == NULL)
		return ("-");
	if (ctl_zone_cal != NULL && isotime_parse(t, &tt) == 0 &&
	    tzfile_format_human(calendar_zone(ctl_zone_cal), tt,
		ctl_zone_label(), buf, len) == 0)
		return (buf);
	if (strlen(t) == 20 && t[10] == 'T' && t[19] == 'Z') {
		if (strncmp(t + 16, ":00", 3) == 0)
			snprintf(buf, len, "%.10s %.5sZ", t, t + 11);
		else
			snprintf(buf, len, "%.10s %.8sZ", t, t + 11);
	} else
		snprintf(buf, len, "%s", t);
	return (buf);
}

/*
 * ctl_time without the zone's name, for a table that names the zone once
 * in its header (ctl_zone_header): "2026-10-08 10:00 CST".
 */
const char *
ctl_time_short(const json_t *obj, const char *key, char *buf, size_t len)
{
	const char *t = ctl_time(obj, key, buf, len);
	size_t n, z;

	if (t != buf || ctl_zone_cal == NULL)
		return (t);
	n = strlen(buf);
	z = strlen(ctl_zone_name);
	if (n > z + 3 && buf[n - 1] == ')' &&
	    strncmp(buf + n - z - 3, " (", 2) == 0 &&
	    strncmp(buf + n - z - 1, ctl_zone_name, z) == 0)
		buf[n - z - 3] = '\0';
	return (buf);
}

/*
 * The duration in seconds of obj's member key for people, as the daemon
 * writes durations (duration.c): "30m", "1h30m", "2d"; "-" when null.
 */
const char *
ctl_duration(const json_t *obj, const char *key, char *buf, size_t len)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v)) {
		snprintf(buf, len, "-");
		return (buf);
	}
	return (duration_format(json_integer_value(v), buf, len));
}

/* The ID of a what ("case", "document") from the command line, or fail. */
long long
ctl_id(const char *s, const char *what)
{
	long long id;

	if (id_parse(s, &id) == -1)
		ctl_fail("bad %s ID \"%s\": expected a number such as 12",
		    _(what), s);
	return (id);
}

/*
 * Prints the rows of table named name (all of them when name is NULL),
 * each as its usage and, below it, what it does.
 */
void
ctl_rows(FILE *f, const struct ctl_cmd *table, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (name != NULL && strcmp(table[i].name, name) != 0)
			continue;
		if (ctl.complete)
			ctl_complete_row(f, &table[i]);
		else
			fprintf(f, "  %s\n      %s\n", table[i].usage,
			    _(table[i].help));
	}
}

/*
 * delistctl --complete (for the shell completions in etc/completion/): a
 * row's words, a tab, and its long options, from the same usage the help
 * prints and the template the dispatcher parses by, so neither can drift.
 * The words are the usage's leading literals ("case open"); the options
 * every --name in the usage and in the template's longopts.
 */
static void
ctl_complete_row(FILE *f, const struct ctl_cmd *c)
{
	static const char word[] = "abcdefghijklmnopqrstuvwxyz-";
	const char *p, *q;
	const struct option *o;
	size_t len;

	for (p = c->usage; *p != '\0'; p = q + (*q == ' ')) {
		q = p + strcspn(p, " ");
		len = q - p;
		if (len == 0 || strspn(p, word) != len)
			break;
		fprintf(f, "%s%.*s", p == c->usage ? "" : " ", (int)len, p);
	}
	fputc('\t', f);
	for (p = c->usage; (p = strstr(p, "--")) != NULL; p += 2 + len) {
		if ((len = strspn(p + 2, word)) > 0)
			fprintf(f, " --%.*s", (int)len, p + 2);
	}
	for (o = c->args.longopts; o != NULL && o->name != NULL; o++) {
		/* Once: not again when the usage names it. */
		for (p = c->usage; (p = strstr(p, "--")) != NULL; p += 2) {
			len = strspn(p + 2, word);
			if (len == strlen(o->name) &&
			    strncmp(p + 2, o->name, len) == 0)
				break;
		}
		if (p == NULL)
			fprintf(f, " --%s", o->name);
	}
	fputc('\n', f);
}

/* VERB --help: the usage of the verb running, from its table; exits 0. */
static void
ctl_verb_help(void)
{
	size_t i;
	int first = 1;

	if (ctl.verbs == NULL) {
		usage(stdout);
		exit(CTL_EXIT_OK);
	}
	/* Every row of the verb: "outbox" and "outbox retry" are one. */
	for (i = 0; i < ctl.nverbs; i++) {
		if (strcspn(ctl.verbs[i].name, " ") != strcspn(ctl.verb, " ") ||
		    strncmp(ctl.verbs[i].name, ctl.verb,
			strcspn(ctl.verb, " ")) != 0)
			continue;
		printf("%s delistctl %s\n      %s\n",
		    first ? _("usage:") : "      ", ctl.verbs[i].usage,
		    _(ctl.verbs[i].help));
		first = 0;
	}
	exit(CTL_EXIT_OK);
}

/*
 * getopt_long for a verb's own options that also takes the global -j,
 * --json (sets ctl.json) and -h, --help (prints the verb's usage and
 * exits 0) wherever they come. Returns what getopt_long returns for the
 * verb's options, '?' for an unknown one, -1 at the end.
 */
int
ctl_getopt(
    int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	static const struct option common[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
	};
	static const struct option *merged_of;
	static struct option *merged;
	static char shorts[64];
	size_t n = 0;
	int ch, plus = shortopts[0] == '+';

	if (merged == NULL || merged_of != longopts) {
		while (longopts != NULL && longopts[n].name != NULL)
			n++;
		free(merged);
		merged = calloc(n + nitems(common) + 1, sizeof *merged);
		if (merged == NULL)
			ctl_fail("out of memory");
		if (n > 0)
			memcpy(merged, longopts, n * sizeof *merged);
		memcpy(merged + n, common, sizeof common);
		merged_of = longopts;
	}
	if ((size_t)snprintf(shorts, sizeof shorts, "%sjh%s", plus ? "+" : "",
		shortopts + plus) >= sizeof shorts)
		ctl_fail("too many options");
	while ((ch = getopt_long(argc, argv, shorts, merged, NULL)) == 'j')
		ctl.json = 1;
	if (ch == 'h')
		ctl_verb_help();
	return (ch);
}

/*
 * Parses argv (argv[0] is the verb) by cmd's template into a; a usage error
 * prints every row of table named as cmd, joined by " | ".
 */
static void
ctl_parse(const struct ctl_cmd *table, size_t n, const struct ctl_cmd *cmd,
    int argc, char **argv, struct ctl_args *a)
{
	const struct ctl_template *t = &cmd->args;
	static char usage[512];
	size_t i, off = 0;
	int ch;

	memset(a, 0, sizeof *a);
	for (i = 0; i < n; i++) {
		if (strcmp(table[i].name, cmd->name) == 0 && off < sizeof usage)
			off += snprintf(usage + off, sizeof usage - off, "%s%s",
			    off > 0 ? " | " : "", table[i].usage);
	}
	a->usage = usage;
	optind = 0;
	while ((ch = ctl_getopt(argc, argv, t->shortopts, t->longopts)) != -1) {
		if (ch <= 0 || ch >= CTL_OPT_MAX || ch == '?' || ch == ':')
			ctl_usage_fail(a->usage);
		a->values[ch] = xreallocarray(
		    a->values[ch], a->count[ch] + 1, sizeof *a->values[ch]);
		a->values[ch][a->count[ch]++] = optarg;
		a->value[ch] = optarg;
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	if (a->argc < t->lower || (t->upper != -1 && a->argc > t->upper))
		ctl_usage_fail(a->usage);
}

/* Frees what ctl_parse allocated in a. */
static void
ctl_args_free(struct ctl_args *a)
{
	size_t i;

	for (i = 0; i < CTL_OPT_MAX; i++)
		free(a->values[i]);
}

/* Whether the option ch was given. */
int
ctl_args_has(const struct ctl_args *a, int ch)
{
	return (ch > 0 && ch < CTL_OPT_MAX && a->count[ch] > 0);
}

/* The argument of the option ch (its last one), or NULL. */
const char *
ctl_args_get(const struct ctl_args *a, int ch)
{
	return (ctl_args_has(a, ch) ? a->value[ch] : NULL);
}

/* The n-th argument (from 0) of a repeatable option ch, or NULL. */
const char *
ctl_args_nth(const struct ctl_args *a, int ch, int n)
{
	if (!ctl_args_has(a, ch) || n < 0 || n >= a->count[ch])
		return (NULL);
	return (a->values[ch][n]);
}

/*
 * Whether row name is the verb of the words first and second (NULL:
 * none): a row of one word is its first word; a row of two ("outbox
 * retry") is both (ctl_dispatch
 * tries the rows of two words first). Returns how many words it takes, 0
 * if none.
 */
static int
ctl_verb_words(const char *name, const char *first, const char *second)
{
	const char *sp = strchr(name, ' ');

	if (sp == NULL)
		return (strcmp(name, first) == 0);
	if (second == NULL || strncmp(name, first, sp - name) != 0 ||
	    first[sp - name] != '\0' || strcmp(sp + 1, second) != 0)
		return (0);
	return (2);
}

/*
 * Runs the row of table named argv[0]: a command, or the verb of the
 * group (NULL for the commands, "case", "doc"), as the verb whose --help
 * ctl_getopt prints. "-h" or "--help" in its place runs the row "help".
 */
int
ctl_dispatch(const char *group, const struct ctl_cmd *table, size_t n, int argc,
    char **argv)
{
	struct ctl_args args;
	const char *name;
	size_t i;
	int rc, skip;

	if (argc == 0) {
		fprintf(stderr, _("usage: delistctl %s VERB ...; the verbs:\n"),
		    group);
		ctl_rows(stderr, table, n, NULL);
		exit(CTL_EXIT_USAGE);
	}
	name = argv[0];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
		name = "help";
	/* A row of two words ("outbox retry") before one of its first. */
	for (i = 0; i < 2 * n; i++) {
		skip = ctl_verb_words(
		    table[i % n].name, name, argc > 1 ? argv[1] : NULL);
		if (skip == (i < n ? 2 : 1)) {
			i %= n;
			ctl.verb = table[i].name;
			ctl.verbs = table;
			ctl.nverbs = n;
			if (table[i].exec == NULL)
				return (table[i].fn(argc, argv));
			ctl_parse(table, n, &table[i], argc - (skip - 1),
			    argv + (skip - 1), &args);
			rc = table[i].exec(&args);
			ctl_args_free(&args);
			return (rc);
		}
	}
	if (group == NULL)
		fprintf(stderr,
		    _("delistctl: unknown command \"%s\"; try 'delistctl "
		      "help'\n"),
		    argv[0]);
	else
		fprintf(stderr,
		    _("delistctl: unknown %s verb \"%s\"; try 'delistctl %s "
		      "help'\n"),
		    group, argv[0], group);
	exit(CTL_EXIT_USAGE);
}

/* A FILE argument for messages: "-" is standard input. */
const char *
ctl_file_name(const char *path)
{
	return (strcmp(path, "-") == 0 ? "<stdin>" : path);
}

/*
 * The whole of the file path, or of standard input when path is "-",
 * NUL-terminated, with its length in *lenp; what ("statement") names it
 * in errors. One of more than max bytes (0: no limit) is refused.
 */
char *
ctl_read_file(const char *path, const char *what, size_t max, size_t *lenp)
{
	const char *name = ctl_file_name(path);
	FILE *f = stdin;
	char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (strcmp(path, "-") != 0 && (f = fopen(path, "rb")) == NULL)
		ctl_fail("cannot read %s %s: %s", what, name, strerror(errno));
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = (len + 4096 + 1) * 2;
			if ((data = realloc(data, cap)) == NULL)
				ctl_fail("out of memory");
		}
		n = fread(data + len, 1, cap - len - 1, f);
		len += n;
		if (max > 0 && len > max)
			ctl_fail("%s %s is larger than %zu bytes: split it",
			    what, name, max);
		if (n == 0)
			break;
	}
	if (ferror(f))
		ctl_fail("cannot read %s %s: %s", what, name, strerror(errno));
	if (f != stdin)
		fclose(f);
	data[len] = '\0';
	*lenp = len;
	return (data);
}

static size_t
ctl_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct ctl_buf *b = arg;
	size_t n = size * nmemb;

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if ((b->data = realloc(b->data, b->cap)) == NULL)
			ctl_fail("out of memory");
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return (n);
}

static const char *
ctl_socket(void)
{
	static const char *const candidates[] = { DELISTD_RUN_SOCKET,
		DELISTD_STATE_SOCKET };
	struct stat sb;
	size_t i;

	if (ctl.socket != NULL)
		return (ctl.socket);
	for (i = 0; i < nitems(candidates); i++) {
		if (stat(candidates[i], &sb) == 0 && S_ISSOCK(sb.st_mode))
			return (candidates[i]);
	}
	return (candidates[0]);
}

/*
 * A request to the daemon at sock failed with rc (oserr: connect(2)'s
 * errno): says why in one line, and how to get a daemon to talk to.
 */
static __dead void
ctl_unreachable(const char *sock, long oserr, CURLcode rc, const char *errbuf)
{
	const char *detail =
	    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
	struct group *gr;
	struct stat sb;
	size_t i;

	if (rc == CURLE_OPERATION_TIMEDOUT && oserr == 0)
		ctl_fail_status(CTL_EXIT_DAEMON,
		    "delistd at %s did not answer within %ld seconds", sock,
		    ctl.timeout);
	if (rc != CURLE_COULDNT_CONNECT)
		ctl_fail_status(CTL_EXIT_DAEMON, "talking to delistd at %s: %s",
		    sock, detail);
	if (oserr == EACCES || oserr == EPERM) {
		gr = stat(sock, &sb) == 0 ? getgrgid(sb.st_gid) : NULL;
		ctl_fail_status(CTL_EXIT_DAEMON,
		    "permission denied on %s: only members of the group %s "
		    "may use it (usermod -aG %s USER, then log in again), or "
		    "give another socket with -s PATH",
		    sock, gr != NULL ? gr->gr_name : "delistd",
		    gr != NULL ? gr->gr_name : "delistd");
	}
	if (oserr == ECONNREFUSED && stat(sock, &sb) == 0 &&
	    !S_ISSOCK(sb.st_mode))
		ctl_fail_status(CTL_EXIT_DAEMON,
		    "%s is not a socket: give delistd's socket with -s PATH",
		    sock);
	if ((oserr == ENOENT || oserr == ENOTDIR) && !ctl.socket_given)
		ctl_fail_status(CTL_EXIT_DAEMON,
		    "no delistd answers at %s nor at %s: no such "
		    "socket; %s",
		    DELISTD_RUN_SOCKET, DELISTD_STATE_SOCKET,
		    _(CTL_START_HINT));
	for (i = 0; i < nitems(ctl_connect_errors); i++) {
		if (ctl_connect_errors[i].error == oserr)
			ctl_fail_status(CTL_EXIT_DAEMON,
			    "no delistd answers at %s: %s; %s", sock,
			    _(ctl_connect_errors[i].why), _(CTL_START_HINT));
	}
	ctl_fail_status(CTL_EXIT_DAEMON, "cannot reach delistd at %s: %s; %s",
	    sock, oserr != 0 ? strerror((int)oserr) : detail,
	    _(CTL_START_HINT));
}

/*
 * One request. Returns the HTTP status, with the body in *out (parsed JSON
 * when it is JSON, else NULL) and raw text in *raw if asked for. Fails (and
 * exits) only when the daemon cannot be reached.
 */
long
ctl_request(const char *method, const char *path, json_t *body, json_t **out,
    char **raw)
{
	char *text = NULL;
	long status;

	if (body != NULL)
		text = json_dumps(body, JSON_COMPACT);
	status = ctl_request_bytes(method, path,
	    body != NULL ? "application/json" : NULL, text,
	    text != NULL ? strlen(text) : 0, out, raw, NULL);
	free(text);
	return (status);
}

/*
 * The same with a body of any bytes (ctype NULL: no body), and the length
 * of the raw answer in *rawlen (it may hold NUL bytes: a document).
 */
long
ctl_request_bytes(const char *method, const char *path, const char *ctype,
    const void *data, size_t len, json_t **out, char **raw, size_t *rawlen)
{
	CURL *curl;
	CURLcode rc;
	struct curl_slist *hdrs = NULL;
	struct ctl_buf b = { NULL, 0, 0 };
	char url[2048], errbuf[CURL_ERROR_SIZE] = "", *ct = NULL;
	const char *sock = ctl_socket();
	long status = 0, oserr = 0;
	json_error_t jerr;

	if ((curl = curl_easy_init()) == NULL)
		ctl_fail("cannot initialise libcurl");
	snprintf(url, sizeof url, "http://localhost%s", path);
	curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, sock);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, ctl_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
	if (ctl.timeout > 0)
		curl_easy_setopt(curl, CURLOPT_TIMEOUT, ctl.timeout);
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	if (ctype != NULL) {
		if (asprintf(&ct, "Content-Type: %s", ctype) == -1)
			ctl_fail("out of memory");
		hdrs = curl_slist_append(hdrs, ct);
		/* No "Expect: 100-continue" wait before a large body. */
		hdrs = curl_slist_append(hdrs, "Expect:");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, data);
		curl_easy_setopt(
		    curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	}
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	rc = curl_easy_perform(curl);
	free(ct);
	curl_slist_free_all(hdrs);
	if (rc != CURLE_OK) {
		curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &oserr);
		curl_easy_cleanup(curl);
		free(b.data);
		ctl_unreachable(sock, oserr, rc, errbuf);
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(curl);
	if (out != NULL)
		*out = b.len ? json_loadb(b.data, b.len, 0, &jerr) : NULL;
	if (rawlen != NULL)
		*rawlen = b.len;
	if (raw != NULL)
		*raw = b.data ? b.data : strdup("");
	else
		free(b.data);
	return (status);
}

/*
 * The common case: a JSON request that must succeed (2xx). With --json the
 * answer is printed as it came; otherwise it is returned for the caller to
 * render. Errors become one line on stderr and exit 1.
 */
json_t *
ctl_call(const char *method, const char *path, json_t *body)
{
	json_t *doc = NULL;
	char *raw = NULL;
	long status;

	status = ctl_request(method, path, body, &doc, &raw);
	json_decref(body);
	return (ctl_answer(status, doc, raw));
}

/* ctl_call's handling of an answer: exits on an error, else the JSON. */
json_t *
ctl_answer(long status, json_t *doc, char *raw)
{
	json_t *err;
	const char *msg;

	if (status < 200 || status > 299) {
		err = doc ? json_object_get(doc, "error") : NULL;
		msg = err ? json_string_value(json_object_get(err, "message"))
			  : NULL;
		if (ctl.json && raw != NULL)
			fputs(raw, stderr);
		if (msg != NULL)
			fprintf(stderr, "delistctl: %s\n", _(msg));
		else
			fprintf(stderr,
			    _("delistctl: delistd answered HTTP %ld\n"),
			    status);
		exit(status >= 500 ? CTL_EXIT_DAEMON : CTL_EXIT_ERROR);
	}
	if (doc == NULL)
		ctl_fail("delistd answered with something that is not JSON");
	if (ctl.json)
		fputs(raw, stdout);
	free(raw);
	return (doc);
}

/* A shop name as the configuration allows it, or a one-line error. */
void
ctl_shop_check(const char *shop)
{
	const char *p;

	for (p = shop; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			break;
	}
	if (*shop == '\0' || *p != '\0' || strlen(shop) > 64)
		ctl_fail(
		    _("bad shop name \"%s\": letters, digits, '-' and '_'"),
		    shop);
}

/* A table of nrows rows of ncols cells, all NULL, for ctl_table. */
char ***
ctl_table_new(size_t nrows, size_t ncols)
{
	char ***rows;
	size_t i;

	if ((rows = calloc(nrows + 1, sizeof *rows)) == NULL)
		ctl_fail("out of memory");
	for (i = 0; i < nrows; i++) {
		if ((rows[i] = calloc(ncols, sizeof **rows)) == NULL)
			ctl_fail("out of memory");
	}
	return (rows);
}

/* Frees a table of ctl_table_new and its cells. */
void
ctl_table_free(char ***rows, size_t nrows, size_t ncols)
{
	size_t i, j;

	for (i = 0; i < nrows; i++) {
		for (j = 0; j < ncols; j++)
			free(rows[i][j]);
		free(rows[i]);
	}
	free(rows);
}

/* Prints rows aligned in columns; the first row is the heading. */
void
ctl_table(char ***rows, size_t nrows, size_t ncols)
{
	size_t *w, r, c, len;

	w = calloc(ncols, sizeof *w);
	if (w == NULL)
		ctl_fail("out of memory");
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++) {
			len = ctl_width(rows[r][c] ? rows[r][c] : "");
			if (len > w[c])
				w[c] = len;
		}
	}
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++) {
			const char *s = rows[r][c] ? rows[r][c] : "";
			if (c + 1 == ncols)
				printf("%s\n", s);
			else
				printf("%s%*s  ", s, (int)(w[c] - ctl_width(s)),
				    "");
		}
	}
	free(w);
}

/*
 * indent and label, padded with spaces to cols display columns (at least
 * one space after it), so that Chinese labels line up as English ones.
 */
void
ctl_label(const char *indent, const char *label, size_t cols)
{
	size_t w = ctl_width(label);

	printf(
	    "%s%s%*s", indent, label, w < cols ? (int)(cols - w) + 1 : 1, "");
}

/* Display width in terminal columns (text.c). */
size_t
ctl_width(const char *s)
{
	return (text_width(s));
}

/*
 * s percent-encoded for a path segment or a query value: every byte but
 * [A-Za-z0-9_-] becomes %XX, so that no user input can change the path.
 * The caller frees the result.
 */
char *
ctl_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char *out, *o;

	if ((out = malloc(strlen(s) * 3 + 1)) == NULL)
		ctl_fail("out of memory");
	for (o = out, p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')
			*o++ = *p;
		else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 0xf];
		}
	}
	*o = '\0';
	return (out);
}

/* A follower that lost the daemon, and whether it had a stream before. */
static int ctl_stream_waiting, ctl_stream_ever;

struct ctl_stream {
	CURL *curl;
	long status;
	struct ctl_buf b;
	void (*fn)(const char *, size_t, void *);
	void *arg;
};

/* The status line has come: a 2xx means the stream is established. */
static void
ctl_stream_status(struct ctl_stream *st)
{
	if (st->status != 0)
		return;
	curl_easy_getinfo(st->curl, CURLINFO_RESPONSE_CODE, &st->status);
	if (st->status >= 200 && st->status <= 299) {
		if (ctl_stream_waiting)
			fprintf(stderr, _("delistctl: delistd is back\n"));
		ctl_stream_waiting = 0;
		ctl_stream_ever = 1;
	}
}

static size_t
ctl_stream_header(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct ctl_stream *st = arg;

	(void)ptr;
	/* The blank line that ends the headers. */
	if (size * nmemb <= 2)
		ctl_stream_status(st);
	return (size * nmemb);
}

static size_t
ctl_stream_write(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct ctl_stream *st = arg;
	size_t n = size * nmemb, start = 0, i;

	ctl_stream_status(st);
	ctl_write(ptr, size, nmemb, &st->b);
	if (st->status < 200 || st->status > 299)
		return (n); /* an error: kept whole for the message */
	for (i = 0; i < st->b.len; i++) {
		if (st->b.data[i] != '\n')
			continue;
		st->fn(st->b.data + start, i - start, st->arg);
		start = i + 1;
	}
	memmove(st->b.data, st->b.data + start, st->b.len - start + 1);
	st->b.len -= start;
	return (n);
}

/*
 * A GET whose answer is a stream of lines (GET /v1/events?follow=1): fn is
 * called with each line, without its newline, as it arrives. There is no
 * overall timeout; it returns when the stream ends, whether the daemon
 * closed it or it broke. A daemon that cannot be reached, or an answer
 * other than 2xx, is reported like ctl_call's, and exits.
 */
void
ctl_stream(
    const char *path, void (*fn)(const char *, size_t, void *), void *arg)
{
	struct ctl_stream st;
	struct curl_slist *hdrs = NULL;
	char url[2048], errbuf[CURL_ERROR_SIZE] = "";
	const char *sock = ctl_socket(), *msg;
	json_error_t jerr;
	json_t *doc;
	CURLcode rc;
	long oserr = 0;

	memset(&st, 0, sizeof st);
	st.fn = fn;
	st.arg = arg;
	if ((st.curl = curl_easy_init()) == NULL)
		ctl_fail("cannot initialise libcurl");
	snprintf(url, sizeof url, "http://localhost%s", path);
	curl_easy_setopt(st.curl, CURLOPT_UNIX_SOCKET_PATH, sock);
	curl_easy_setopt(st.curl, CURLOPT_URL, url);
	curl_easy_setopt(st.curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(st.curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(st.curl, CURLOPT_WRITEFUNCTION, ctl_stream_write);
	curl_easy_setopt(st.curl, CURLOPT_WRITEDATA, &st);
	curl_easy_setopt(st.curl, CURLOPT_HEADERFUNCTION, ctl_stream_header);
	curl_easy_setopt(st.curl, CURLOPT_HEADERDATA, &st);
	curl_easy_setopt(st.curl, CURLOPT_CONNECTTIMEOUT, 5L);
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	curl_easy_setopt(st.curl, CURLOPT_HTTPHEADER, hdrs);
	rc = curl_easy_perform(st.curl);
	curl_easy_getinfo(st.curl, CURLINFO_OS_ERRNO, &oserr);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(st.curl);
	/*
	 * A stream that worked before and cannot reconnect: the daemon is
	 * restarting. Wait for it rather than stop following.
	 */
	if (rc != CURLE_OK && st.status == 0 && ctl_stream_ever) {
		if (!ctl_stream_waiting)
			fprintf(stderr,
			    _("delistctl: delistd at %s is not "
			      "answering; waiting for it\n"),
			    sock);
		ctl_stream_waiting = 1;
		free(st.b.data);
		sleep(1);
		return;
	}
	if (rc != CURLE_OK && st.status == 0)
		ctl_unreachable(sock, oserr, rc, errbuf);

	if (st.status < 200 || st.status > 299) {
		doc =
		    st.b.len ? json_loadb(st.b.data, st.b.len, 0, &jerr) : NULL;
		msg = json_string_value(
		    json_object_get(json_object_get(doc, "error"), "message"));
		if (msg != NULL)
			fprintf(stderr, "delistctl: %s\n", _(msg));
		else
			fprintf(stderr,
			    _("delistctl: delistd answered HTTP "
			      "%ld\n"),
			    st.status);
		exit(st.status >= 500 ? CTL_EXIT_DAEMON : CTL_EXIT_ERROR);
	}
	if (st.b.len > 0 && rc == CURLE_OK)
		fn(st.b.data, st.b.len, arg);
	free(st.b.data);
}

static void
ctl_print_duration(long long secs, char *buf, size_t len)
{
	if (secs >= 86400)
		snprintf(buf, len, "%lldd%lldh", secs / 86400,
		    (secs % 86400) / 3600);
	else if (secs >= 3600)
		snprintf(
		    buf, len, "%lldh%lldm", secs / 3600, (secs % 3600) / 60);
	else if (secs >= 60)
		snprintf(buf, len, "%lldm%llds", secs / 60, secs % 60);
	else
		snprintf(buf, len, "%llds", secs);
}

/* One line per source: its state, today's calls and the plan. */
static void
ctl_status_sources(json_t *sources)
{
	json_t *s, *plan;
	size_t i;
	long long needed, quota;

	json_array_foreach (sources, i, s) {
		plan = json_object_get(s, "plan");
		needed = (long long)json_integer_value(
		    json_object_get(plan, "needed_per_day"));
		quota = (long long)json_integer_value(
		    json_object_get(s, "daily_quota"));
		printf(_("source %-6s %s, %lld calls today of %lld"),
		    json_string_value(json_object_get(s, "name")),
		    json_string_value(json_object_get(s, "state")),
		    (long long)json_integer_value(
			json_object_get(s, "calls_today")),
		    quota);
		if (json_is_string(json_object_get(s, "resume_at")))
			printf(_(", resumes %s"),
			    json_string_value(json_object_get(s, "resume_at")));
		if (json_is_true(json_object_get(plan, "fits")))
			printf(_("; the intervals need %lld a day\n"), needed);
		else
			printf(_("; the intervals need %lld a day, more than "
				 "the quota: healthy listings are checked "
				 "%.2fx less often\n"),
			    needed,
			    json_real_value(json_object_get(plan, "stretch")));
	}
}

static int
cmd_status(__unused struct ctl_args *a)
{
	json_t *doc, *counts, *reloads;
	char up[64];

	doc = ctl_call("GET", "/v1/status", NULL);
	if (!ctl.json) {
		counts = json_object_get(doc, "counts");
		reloads = json_object_get(doc, "reloads");
		ctl_print_duration(
		    json_integer_value(json_object_get(doc, "uptime_seconds")),
		    up, sizeof up);
		printf(_("delistd %s, up %s (pid %lld)\n"),
		    json_string_value(json_object_get(doc, "version")), up,
		    (long long)json_integer_value(json_object_get(doc, "pid")));
		printf(_("config       %s\n"),
		    json_string_value(json_object_get(doc, "config_file")));
		printf(_("state dir    %s\n"),
		    json_string_value(json_object_get(doc, "state_dir")));
		printf(_("socket       %s\n"),
		    json_string_value(json_object_get(doc, "socket")));
		if (json_is_string(
			json_object_get(json_object_get(doc, "web"), "listen")))
			printf(_("web console  %s://%s/\n"),
			    json_is_true(json_object_get(
				json_object_get(doc, "web"), "tls"))
				? "https"
				: "http",
			    json_string_value(json_object_get(
				json_object_get(doc, "web"), "listen")));
		printf(_("shops        %lld\n"),
		    (long long)json_integer_value(
			json_object_get(counts, "shops")));
		printf(_("listings     %lld tracked\n"),
		    (long long)json_integer_value(
			json_object_get(counts, "listings")));
		printf(_("cases        %lld open, %lld in all\n"),
		    (long long)json_integer_value(
			json_object_get(counts, "cases_open")),
		    (long long)json_integer_value(
			json_object_get(counts, "cases_total")));
		{
			json_t *ob = json_object_get(doc, "outbox");

			if (ob != NULL)
				printf(
				    _("outbox       %lld pending, %lld dead, "
				      "%lld in flight (%lld sinks)%s\n"),
				    (long long)json_integer_value(
					json_object_get(ob, "pending")),
				    (long long)json_integer_value(
					json_object_get(ob, "dead")),
				    (long long)json_integer_value(
					json_object_get(ob, "in_flight")),
				    (long long)json_integer_value(
					json_object_get(ob, "sinks")),
				    json_integer_value(
					json_object_get(ob, "dead")) > 0
					? _(": see delistctl outbox --dead")
					: "");
		}
		ctl_status_sources(json_object_get(doc, "sources"));
		printf(_("reloads      %lld ok, %lld failed\n"),
		    (long long)json_integer_value(
			json_object_get(reloads, "ok")),
		    (long long)json_integer_value(
			json_object_get(reloads, "failed")));
		if (json_is_string(json_object_get(reloads, "last_error")))
			printf(_("last reload  failed: %s\n"),
			    json_string_value(
				json_object_get(reloads, "last_error")));
		ctl_alerts_status(doc);
		if (json_is_true(json_object_get(doc, "test_clock")))
			printf(_("test clock   %lld\n"),
			    (long long)json_integer_value(
				json_object_get(doc, "now")));
	}
	json_decref(doc);
	return (0);
}

static int
cmd_reload(__unused struct ctl_args *a)
{
	json_t *doc;

	doc = ctl_call("POST", "/v1/reload", NULL);
	if (!ctl.json)
		printf(_("reloaded %s\n"),
		    json_string_value(json_object_get(doc, "config_file")));
	json_decref(doc);
	return (0);
}

static void
usage(FILE *f)
{
	size_t i;

	if (ctl.complete)
		goto rows;
	fprintf(f,
	    _("usage: delistctl [-jVh] [-s socket] command [args]\n"
	      "       delistctl command -h|--help\n"
	      "  -s, --socket PATH  the daemon's socket (or "
	      "DELISTD_SOCKET; default %s,\n"
	      "                     else %s)\n"
	      "  -j, --json         print the daemon's JSON (also after the "
	      "command)\n"
	      "  -V, --version      print the version\n"
	      "  -h, --help         print this help, or after a command its "
	      "usage\n"
	      "commands:\n"),
	    DELISTD_RUN_SOCKET, DELISTD_STATE_SOCKET);
rows:
	for (i = 0; i < nitems(ctl_cmds); i++) {
		/* The second row of a verb is printed with the first. */
		if (i > 0 &&
		    strcmp(ctl_cmds[i].name, ctl_cmds[i - 1].name) == 0)
			continue;
		if (strcmp(ctl_cmds[i].name, "case") == 0)
			cases_case_help(f);
		else if (strcmp(ctl_cmds[i].name, "doc") == 0)
			docs_help(f);
		else if (strcmp(ctl_cmds[i].name, "user") == 0)
			ctl_users_help(f);
		else
			ctl_rows(
			    f, ctl_cmds, nitems(ctl_cmds), ctl_cmds[i].name);
	}
}

static int
cmd_help(__unused struct ctl_args *a)
{
	usage(stdout);
	return (0);
}

/*
 * The reader's language: the locale's (LANG, LC_ALL, LC_MESSAGES), the
 * catalogue of textdomain "delistd" under LOCALEDIR, or under
 * $DELISTD_LOCALEDIR (an uninstalled build, the tests). Times and numbers
 * keep the C locale's format: only the messages follow the locale.
 */
static void
ctl_locale(void)
{
	const char *dir;

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	if ((dir = getenv("DELISTD_LOCALEDIR")) == NULL || *dir == '\0')
		dir = LOCALEDIR;
	bindtextdomain(PACKAGE, dir);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
}

/* A candidate of len bytes at s, once, if it starts with cur. */
static void
ctl_complete_add(
    char ***v, size_t *n, const char *s, size_t len, const char *cur)
{
	size_t i;

	if (len < strlen(cur) || strncmp(s, cur, strlen(cur)) != 0)
		return;
	for (i = 0; i < *n; i++) {
		if (strlen((*v)[i]) == len && strncmp((*v)[i], s, len) == 0)
			return;
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrndup(s, len);
}

/*
 * delistctl --complete: with no operand the table (ctl_complete_row);
 * with the words of a command line after the program's name, the last one
 * being completed (maybe ""), the candidates for it, one a line: the next
 * verb, or after a '-' the options of the verb typed.
 */
static int
ctl_complete(int argc, char **argv)
{
	static const char globals[] = "-s --socket -j --json -V --version "
				      "-h --help";
	char *table = NULL, *line, *next, *tab, **v = NULL, path[1024];
	const char *cur, *p, *w;
	size_t tlen = 0, n = 0, i, plen = 0, wlen, best = 0, depth;
	FILE *f;
	int k;

	if (argc == 0) {
		usage(stdout);
		return (0);
	}
	cur = argv[argc - 1];
	path[0] = '\0';
	for (k = 0; k < argc - 1; k++) {
		if (strcmp(argv[k], "-s") == 0 ||
		    strcmp(argv[k], "--socket") == 0)
			k++;
		else if (argv[k][0] != '-' &&
		    plen + strlen(argv[k]) + 2 < sizeof path)
			plen += snprintf(
			    path + plen, sizeof path - plen, "%s ", argv[k]);
	}
	if ((f = open_memstream(&table, &tlen)) == NULL)
		ctl_fail("cannot complete: %s", strerror(errno));
	usage(f);
	fclose(f);
	/* The deepest row whose words are all typed names the verb. */
	for (line = table; *line != '\0'; line = next) {
		next = line + strcspn(line, "\n");
		*next++ = '\0';
		tab = strchr(line, '\t');
		*tab = '\0';
		depth = strlen(line) + 1;
		if (depth <= plen && strncmp(path, line, depth - 1) == 0 &&
		    path[depth - 1] == ' ' && depth > best)
			best = depth;
		*tab = '\t';
	}
	if (cur[0] == '-' && plen == 0) {
		for (p = globals; *p != '\0'; p += wlen + (p[wlen] == ' ')) {
			wlen = strcspn(p, " ");
			ctl_complete_add(&v, &n, p, wlen, cur);
		}
	}
	for (line = table; line < table + tlen; line += strlen(line) + 1) {
		tab = strchr(line, '\t');
		depth = tab - line + 1;
		if (cur[0] == '-' && best > 0 && depth == best &&
		    strncmp(path, line, depth - 1) == 0) {
			for (p = tab + 1; *p != '\0'; p += wlen) {
				p += strspn(p, " ");
				wlen = strcspn(p, " ");
				if (wlen > 0)
					ctl_complete_add(&v, &n, p, wlen, cur);
			}
			ctl_complete_add(&v, &n, "--json", 6, cur);
			ctl_complete_add(&v, &n, "--help", 6, cur);
		} else if (cur[0] != '-' && depth > plen + 1 &&
		    strncmp(path, line, plen) == 0) {
			w = line + plen;
			ctl_complete_add(&v, &n, w, strcspn(w, " \t"), cur);
		}
	}
	for (i = 0; i < n; i++) {
		printf("%s\n", v[i]);
		free(v[i]);
	}
	free(v);
	free(table);
	return (0);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		/* Not for people: the shell completions' table. */
		{ "complete", no_argument, NULL, 'K' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env;
	int ch, rc;

	ctl_locale();
	if ((env = getenv("DELISTD_SOCKET")) != NULL && *env != '\0') {
		ctl.socket = env;
		ctl.socket_given = 1;
	}
	/* A daemon that accepts but never answers must not hang a script. */
	ctl.timeout = 120;
	while ((ch = getopt_long(argc, argv, "+s:jVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			ctl.socket = optarg;
			ctl.socket_given = 1;
			break;
		case 'j':
			ctl.json = 1;
			break;
		case 'V':
			printf("delistctl %s\n", PACKAGE_VERSION);
			return (0);
		case 'h':
			usage(stdout);
			return (0);
		case 'K':
			ctl.complete = 1;
			break;
		default:
			usage(stderr);
			return (2);
		}
	}
	argc -= optind;
	argv += optind;
	if (ctl.complete)
		return (ctl_complete(argc, argv));
	if (argc == 0) {
		usage(stderr);
		return (2);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = ctl_dispatch(NULL, ctl_cmds, nitems(ctl_cmds), argc, argv);
	curl_global_cleanup();
	return (rc);
}

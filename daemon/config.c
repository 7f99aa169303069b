/* SPDX-License-Identifier: ISC */
/*
 * config.c: the configuration file, parsed, validated, then handed out whole.
 *
 * A load builds a fresh struct config from a libconfig file; nothing applies
 * until all of it is valid, so a reload either swaps in a complete new
 * configuration or leaves the running one alone. Every key a group accepts
 * is a row in a table below: an unknown key, a wrong type or a bad value is
 * an error that names file:line and the key. All errors of a file are
 * reported at once. Integers are read as int64 and range-checked (libconfig
 * 1.5's int lookup silently yields 0 out of range).
 *
 * It must not touch the running daemon: no sockets, no store, no logging.
 */

#include "config.h"

#include <sys/stat.h>
#include <sys/un.h>

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <libconfig.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "delistd.h"
#include "calendar.h"
#include "cases.h"
#include "docs.h"
#include "i18n.h"
#include "preflight.h"
#include "points.h"
#include "text.h"
#include "web.h"

#ifndef DELISTD_STATE_DIR
#define DELISTD_STATE_DIR "/var/lib/delistd"
#endif
#ifndef DELISTD_WEB_ROOT
#define DELISTD_WEB_ROOT "/usr/share/delistd/web"
#endif
#ifndef DELISTD_PLUGIN_DIR
#define DELISTD_PLUGIN_DIR "/usr/lib/delistd/plugins"
#endif

/* The embedded default: everything under ./state, one hand-run shop. */
const char config_builtin[] =
    "# delistd's built-in configuration (delistd -C): state under ./state\n"
    "daemon: { state_dir = \"state\"; log_level = \"info\"; };\n"
    "web: { listen = \"127.0.0.1:8470\"; };\n"
    "shops = ( { name = \"main\"; } );\n";

enum ckind {
	CK_STRING,
	CK_PATH,
	CK_NAME,
	CK_DURATION,
	CK_INT,
	CK_LOGLEVEL,
	CK_STRLIST,
	CK_SEVERITY,
	CK_SIZE,
	CK_FLOAT, /* a number; min/max are in thousandths */
	CK_BOOL,
	CK_URL, /* "" or an http(s) URL template */
};

struct ckey {
	const char *name;
	enum ckind kind;
	size_t off;
	int64_t min;
	int64_t max;
};

struct cctx {
	const char *file;
	const char *include_dir;
	char *errors;
	size_t nerrors;
};

#define MAX_ERRORS 20

static void cerr(struct cctx *, const config_setting_t *, const char *, ...)
    printflike(3, 4);
static char *setting_path(const config_setting_t *);
static int cgroup(struct cctx *, const config_setting_t *, const struct ckey *,
    size_t, void *, const char *const *, size_t);
static int
cvalue(struct cctx *, const config_setting_t *, const struct ckey *, void *);
static char *path_absolute(const char *);
static int64_t
source_int(struct cctx *, const config_setting_t *, int64_t, char *, size_t);
static void strlist_free(struct strlist *);
static void
check_state_dir(struct cctx *, struct config *, const config_setting_t *);
static void check_web(struct cctx *, struct config *, const config_setting_t *);
static void
check_web_tls(struct cctx *, struct config *, const config_setting_t *);
static void check_socket(struct cctx *, struct config *,
    const config_setting_t *, const config_setting_t *);
static void
build_calendar(struct cctx *, struct config *, const config_setting_t *);
static void
parse_calendar(struct cctx *, struct config *, const config_setting_t *);
static void calendar_add_list(
    struct cctx *, struct calendar *, const config_setting_t *, int);
static void
parse_shops(struct cctx *, struct config *, const config_setting_t *);
static void
parse_plugins(struct cctx *, struct config *, const config_setting_t *);
static void
parse_preflight(struct cctx *, struct config *, const config_setting_t *);
static void preflight_brands(
    struct cctx *, struct config_preflight *, const config_setting_t *);
static void preflight_keywords(
    struct cctx *, struct config_preflight *, const config_setting_t *);
static void preflight_free(struct config_preflight *);
static void preflight_nonempty(struct cctx *, const config_setting_t *);
static void
parse_points(struct cctx *, struct config *, const config_setting_t *);
static void points_free(struct config_points *);
static void parse_tro(struct cctx *, struct config *, const config_setting_t *);
static void tro_free(struct config_tro *);
static struct config *config_parse(config_t *, const char *, char **);
static void
parse_digest_at(struct cctx *, struct config_shop *, const config_setting_t *);
static void parse_escalation(struct cctx *, struct config *,
    const config_setting_t *, const config_setting_t *);
static char *setting_render(const config_setting_t *);

#define D(f) offsetof(struct config, f)
/* How the configuration builds the web's TLS context (main.c sets it). */
const struct config_tls_ops *config_tls;

static const struct ckey daemon_keys[] = {
	{ "state_dir", CK_PATH, D(state_dir), 0, 0 },
	{ "socket", CK_PATH, D(socket), 0, 0 },
	{ "socket_group", CK_STRING, D(socket_group), 0, 0 },
	{ "plugin_dir", CK_PATH, D(plugin_dir), 0, 0 },
	{ "timezone", CK_STRING, D(timezone), 0, 0 },
	{ "log_level", CK_LOGLEVEL, D(log_level), 0, 0 },
	{ "shutdown_timeout", CK_DURATION, D(shutdown_timeout), 1, 3600 },
	{ "max_clients", CK_INT, D(max_clients), 1, 4096 },
	{ "client_timeout", CK_DURATION, D(client_timeout), 1, 3600 },
	{ "max_upload", CK_SIZE, D(max_upload), (int64_t)1 << 20,
	    (int64_t)1 << 30 },
	{ "max_followers", CK_INT, D(max_followers), 1, 4096 },
	{ "follow_heartbeat", CK_DURATION, D(follow_heartbeat), 1, 3600 },
};

static const struct ckey web_keys[] = {
	{ "listen", CK_STRING, D(web_listen), 0, 0 },
	{ "root", CK_PATH, D(web_root), 0, 0 },
	{ "insecure_bind", CK_BOOL, D(web_insecure_bind), 0, 0 },
	/* A secret: an absolute path or a credential's name. */
	{ "metrics_token_file", CK_STRING, D(web_metrics_token_file), 0, 0 },
	{ "tls_cert_file", CK_PATH, D(web_tls_cert_file), 0, 0 },
	{ "tls_key_file", CK_PATH, D(web_tls_key_file), 0, 0 },
};

static const struct ckey calendar_keys[] = {
	{ "weekend", CK_STRLIST, D(weekend), 0, 7 },
	{ "holidays", CK_STRLIST, D(holidays), 0, 100000 },
	{ "workdays", CK_STRLIST, D(workdays), 0, 100000 },
};

/*
 * A named group of dates inside calendar (a year's official schedule, as
 * etc/calendar-cn-2026.conf gives it for @include): its lists add to the
 * calendar's own.
 */
struct cal_dates {
	struct strlist holidays;
	struct strlist workdays;
};
static const struct ckey cal_dates_keys[] = {
	{ "holidays", CK_STRLIST, offsetof(struct cal_dates, holidays), 0,
	    100000 },
	{ "workdays", CK_STRLIST, offsetof(struct cal_dates, workdays), 0,
	    100000 },
};

static const struct ckey rules_keys[] = {
	{ "feedback_after", CK_DURATION, D(rules.feedback_after), 3600,
	    DURATION_MAX },
	{ "escalate_after_business_days", CK_INT,
	    D(rules.escalate_after_business_days), 1, 60 },
	{ "max_appeals", CK_INT, D(rules.max_appeals), 1, 20 },
	{ "stall_after", CK_DURATION, D(rules.stall_after), 3600,
	    DURATION_MAX },
	{ "repeat_interval", CK_DURATION, D(rules.repeat_interval), 3600,
	    DURATION_MAX },
};
/* Read by parse_escalation, after the plugins (notify names them). */
static const char *const rules_extra[] = { "escalation" };

#define T(f) offsetof(struct config_tier, f)
static const struct ckey tier_keys[] = {
	{ "after_business_days", CK_INT, T(after_business_days), 1, 60 },
	{ "severity", CK_SEVERITY, T(severity), 0, 0 },
	{ "notify", CK_STRLIST, T(notify), 0, 64 },
};
#undef T
#undef D

/*
 * The preflight group, read into a stage over the module's defaults:
 * a list given replaces the built-in one ([] turns its check off).
 */
struct config_preflight {
	struct preflight_config pf; /* points into the fields below */
	struct strlist templates;
	struct strlist field_words;
	struct strlist banned;
	int64_t min_words;
	int64_t shingle;
	int64_t min_short_side;
	int64_t min_long_side;
	struct preflight_brand *brands;
	size_t nbrands;
	struct preflight_kind *kinds;
	struct strlist *keywords; /* per kind; v NULL: the default */
	size_t nkinds;
};

#define F(f) offsetof(struct config_preflight, f)
static const struct ckey preflight_keys[] = {
	{ "template_phrases", CK_STRLIST, F(templates), 0, 1000 },
	{ "field_words", CK_STRLIST, F(field_words), 0, 1000 },
	{ "banned_terms", CK_STRLIST, F(banned), 0, 1000 },
	{ "min_words", CK_INT, F(min_words), 0, 1000 },
	{ "shingle_words", CK_INT, F(shingle), 1, PREFLIGHT_SHINGLE_MAX },
	{ "min_image_short_side", CK_INT, F(min_short_side), 0, 100000 },
	{ "min_image_long_side", CK_INT, F(min_long_side), 0, 100000 },
};
static const char *const preflight_extra[] = { "similarity_threshold", "brands",
	"material_keywords" };
#undef F

/*
 * The points group, over the module's defaults (points.c): a reason given
 * replaces its default row (ledger "" records nothing); a ledger given
 * replaces the default of its name, or adds one.
 */
struct config_points {
	struct points_config pc; /* points into the fields below */
	int64_t expiry, margin, cap, merge;
	struct points_rule *rules;
	size_t nrules;
	struct points_ledger *ledgers;
	size_t nledgers;
	struct points_node **nodes; /* per ledger, owned; NULL: borrowed */
	char **strings; /* every string the rows point at */
	size_t nstrings;
};

#define F(f) offsetof(struct config_points, f)
static const struct ckey points_keys[] = {
	{ "expiry", CK_DURATION, F(expiry), 86400, DURATION_MAX },
	{ "warn_margin", CK_INT, F(margin), 0, POINTS_MAX },
	{ "daily_cap", CK_INT, F(cap), 0, POINTS_MAX },
	{ "strike_merge", CK_DURATION, F(merge), 0, DURATION_MAX },
};
static const char *const points_extra[] = { "reasons", "ledgers" };
#undef F

/* The tro group: a TRO matter's deadlines (FRCP; penalties-tro.md 2.2). */
#define TRO_MAX_REMINDERS 8
struct config_tro {
	char *timezone; /* the court's */
	int64_t answer_days;
	int64_t tro_days;
	int64_t reminder_days[TRO_MAX_REMINDERS]; /* descending */
	size_t nreminders;
	struct calendar *cal; /* the court's zone, Saturday and Sunday off */
};

#define F(f) offsetof(struct config_tro, f)
static const struct ckey tro_keys[] = {
	{ "timezone", CK_STRING, F(timezone), 0, 0 },
	{ "answer_days", CK_INT, F(answer_days), 1, 365 },
	{ "tro_days", CK_INT, F(tro_days), 1, 365 },
};
static const char *const tro_extra[] = { "reminder_days" };
#undef F

/* One row of points.reasons. */
struct cp_reason {
	char *reason;
	char *ledger;
	int64_t points;
};
static const struct ckey cp_reason_keys[] = {
	{ "reason", CK_STRING, offsetof(struct cp_reason, reason), 0, 0 },
	{ "ledger", CK_STRING, offsetof(struct cp_reason, ledger), 0, 0 },
	{ "points", CK_INT, offsetof(struct cp_reason, points), 0, POINTS_MAX },
};

/* One row of points.ledgers, and of its thresholds. */
struct cp_ledger {
	char *name;
	char *label;
	int strikes, capped;
	int64_t every, typical;
	char *every_consequence;
};
static const struct ckey cp_ledger_keys[] = {
	{ "name", CK_NAME, offsetof(struct cp_ledger, name), 0, 0 },
	{ "label", CK_STRING, offsetof(struct cp_ledger, label), 0, 0 },
	{ "strikes", CK_BOOL, offsetof(struct cp_ledger, strikes), 0, 0 },
	{ "daily_cap", CK_BOOL, offsetof(struct cp_ledger, capped), 0, 0 },
	{ "every", CK_INT, offsetof(struct cp_ledger, every), 0, POINTS_MAX },
	{ "every_consequence", CK_STRING,
	    offsetof(struct cp_ledger, every_consequence), 0, 0 },
	{ "typical", CK_INT, offsetof(struct cp_ledger, typical), 0,
	    POINTS_MAX },
};
static const char *const cp_ledger_extra[] = { "thresholds" };
struct cp_node {
	int64_t at;
	char *consequence;
	int severe;
};
static const struct ckey cp_node_keys[] = {
	{ "at", CK_INT, offsetof(struct cp_node, at), 1, POINTS_MAX },
	{ "consequence", CK_STRING, offsetof(struct cp_node, consequence), 0,
	    0 },
	{ "severe", CK_BOOL, offsetof(struct cp_node, severe), 0, 0 },
};

#define S(f) offsetof(struct config_shop, f)
static const struct ckey shop_keys[] = {
	{ "name", CK_NAME, S(name), 0, 0 },
	{ "source", CK_NAME, S(source), 0, 0 },
	{ "timezone", CK_STRING, S(timezone), 0, 0 },
	{ "sweep_interval", CK_DURATION, S(sweep_interval), 60, DURATION_MAX },
	{ "recheck_interval", CK_DURATION, S(recheck_interval), 60,
	    DURATION_MAX },
	{ "confirm_checks", CK_INT, S(confirm_checks), 1, 10 },
	{ "confirm_spacing", CK_DURATION, S(confirm_spacing), 10, 86400 },
	{ "catalog_sync", CK_BOOL, S(catalog_sync), 0, 0 },
	{ "snapshot_url", CK_URL, S(snapshot_url), 0, 0 },
	{ "language", CK_STRING, S(language), 0, 0 },
};
/* "HH:MM", checked by parse_shops. */
static const char *const shop_extra[] = { "digest_at" };
#undef S

#define P(f) offsetof(struct config_plugin, f)
static const struct ckey plugin_keys[] = {
	{ "name", CK_NAME, P(name), 0, 0 },
	{ "module", CK_NAME, P(module), 0, 0 },
	{ "events", CK_STRLIST, P(events), 0, 256 },
	{ "min_severity", CK_SEVERITY, P(min_severity), 0, 0 },
	{ "retry_base", CK_DURATION, P(retry_base), 1, 86400 },
	{ "retry_cap", CK_DURATION, P(retry_cap), 1, 7 * 86400 },
	{ "max_attempts", CK_INT, P(max_attempts), 1, 1000 },
	{ "rate", CK_FLOAT, P(rate), 1, 1000000 },
	{ "burst", CK_INT, P(burst), 1, 1000 },
	{ "daily_quota", CK_INT, P(daily_quota), 1, 100000000 },
	{ "max_in_flight", CK_INT, P(max_in_flight), 1, CONFIG_MAX_IN_FLIGHT },
};
#undef P

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static void
cerr(struct cctx *cc, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;
	char *msg, *path, *line, *old = cc->errors, *inc = NULL;
	const char *file = cc->file;
	int lineno = 0;

	if (cc->nerrors++ >= MAX_ERRORS)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	path = s != NULL ? setting_path(s) : xstrdup("");
	if (s != NULL) {
		if (config_setting_source_file(s) != NULL)
			file = config_setting_source_file(s);
		lineno = config_setting_source_line(s);
	}
	/* An @include names its file relative to the include dir. */
	if (file[0] != '/' && strcmp(file, cc->file) != 0 &&
	    cc->include_dir != NULL) {
		xasprintf(&inc, "%s/%s", cc->include_dir, file);
		file = inc;
	}
	if (lineno > 0)
		xasprintf(&line, "%s:%d: %s%s%s", file, lineno, path,
		    *path ? ": " : "", msg);
	else
		xasprintf(
		    &line, "%s: %s%s%s", file, path, *path ? ": " : "", msg);
	if (old == NULL)
		cc->errors = line;
	else {
		xasprintf(&cc->errors, "%s\n%s", old, line);
		free(old);
		free(line);
	}
	free(msg);
	free(path);
	free(inc);
}

/* "shops[1].sweep_interval": how a person finds the key again. */
static char *
setting_path(const config_setting_t *s)
{
	const config_setting_t *parent = config_setting_parent(s);
	char *up, *p;
	const char *name = config_setting_name(s);

	if (parent == NULL || config_setting_is_root(parent))
		return (xstrdup(name != NULL ? name : ""));
	up = setting_path(parent);
	if (name != NULL)
		xasprintf(&p, "%s%s%s", up, *up ? "." : "", name);
	else
		xasprintf(&p, "%s[%d]", up, config_setting_index(s));
	free(up);
	return (p);
}

static char config_base[PATH_MAX];

/* Relative paths resolve against this (the daemon's start directory). */
void
config_set_base_dir(const char *dir)
{
	snprintf(config_base, sizeof config_base, "%s", dir);
}

static char *
path_absolute(const char *p)
{
	char cwd[PATH_MAX], *abs;

	if (config_base[0] != '\0')
		snprintf(cwd, sizeof cwd, "%s", config_base);
	else if (getcwd(cwd, sizeof cwd) == NULL)
		return (xstrdup(p));
	if (p[0] == '/')
		return (xstrdup(p));
	if (strcmp(p, ".") == 0)
		return (xstrdup(cwd));
	xasprintf(&abs, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, p);
	return (abs);
}

/*
 * How many settings named like s, from the same file and line, come before
 * s in the document (walked from root): which occurrence on the line is s.
 * -1 once s is found (the count is in *n).
 */
static int
source_rank(const config_setting_t *at, const config_setting_t *s, int *n)
{
	const char *file = config_setting_source_file(s), *f;
	const config_setting_t *e;
	int i;

	if (at == s)
		return (-1);
	f = config_setting_source_file(at);
	if (config_setting_name(at) != NULL &&
	    strcmp(config_setting_name(at), config_setting_name(s)) == 0 &&
	    config_setting_source_line(at) == config_setting_source_line(s) &&
	    (f == file || (f != NULL && file != NULL && strcmp(f, file) == 0)))
		(*n)++;
	if (!config_setting_is_aggregate(at))
		return (0);
	for (i = 0; (e = config_setting_get_elem(at, i)) != NULL; i++) {
		if (source_rank(e, s, n) == -1)
			return (-1);
	}
	return (0);
}

/*
 * libconfig 1.5's parser silently wraps an integer literal that does not fit
 * in 32 bits (4294967299 reads as 3). Read the literal again from the source
 * line so that the range check sees what the admin wrote: the occurrence of
 * the name that is s (several tiers may share a line), and only if it wraps
 * to what was parsed.
 */
static int64_t
source_int(struct cctx *cc, const config_setting_t *s, int64_t parsed,
    char *lit, size_t litsize)
{
	const char *file = config_setting_source_file(s), *name, *p;
	int line = config_setting_source_line(s), n = 0;
	char *path = NULL, buf[4096], *end;
	FILE *f;
	long long v;
	size_t len;
	int rank = 0;

	name = config_setting_name(s);
	if (s->config == NULL ||
	    source_rank(config_root_setting(s->config), s, &rank) != -1)
		return (parsed);
	if (file == NULL)
		file = cc->file;
	if (line <= 0 || name == NULL)
		return (parsed);
	if (file[0] != '/' && cc->include_dir != NULL &&
	    access(file, R_OK) == -1)
		xasprintf(&path, "%s/%s", cc->include_dir, file);
	if ((f = fopen(path ? path : file, "r")) == NULL) {
		free(path);
		return (parsed);
	}
	free(path);
	while (fgets(buf, sizeof buf, f) != NULL && ++n < line)
		;
	fclose(f);
	if (n != line)
		return (parsed);
	len = strlen(name);
	for (p = buf; (p = strstr(p, name)) != NULL; p += len) {
		if (p != buf && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		end = (char *)p + len;
		while (*end == ' ' || *end == '\t')
			end++;
		if (*end != '=' && *end != ':')
			continue;
		end++;
		while (*end == ' ' || *end == '\t')
			end++;
		if (rank-- > 0)
			continue;
		/* The literal as written, for a message about it. */
		len = strspn(end, "+-0123456789abcdefABCDEFxXL");
		errno = 0;
		v = strtoll(end, NULL, 0);
		if (errno == ERANGE) {
			snprintf(lit, litsize, "%.*s%s",
			    len > 64 ? 64 : (int)len, end, len > 64 ? "…" : "");
			return (v < 0 ? INT64_MIN : INT64_MAX);
		}
		/* Not the literal parsed (a comment, a string): trust it. */
		if (v != parsed &&
		    (config_setting_type(s) != CONFIG_TYPE_INT ||
			(int32_t)(uint32_t)(unsigned long long)v != parsed))
			return (parsed);
		snprintf(lit, litsize, "%.*s", len > 64 ? 64 : (int)len, end);
		return (v);
	}
	return (parsed);
}

static int
name_valid(const char *s)
{
	size_t n = 0;

	if (!isalnum((unsigned char)*s))
		return (0);
	for (; *s != '\0'; s++, n++) {
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return (0);
	}
	return (n <= 64);
}

static const char *
ckind_name(enum ckind kind)
{
	switch (kind) {
	case CK_STRING:
	case CK_NAME:
		return ("a string");
	case CK_PATH:
		return ("a path string");
	case CK_DURATION:
		return ("a duration string like \"30m\", \"72h\" or \"5d\"");
	case CK_INT:
		return ("an integer");
	case CK_LOGLEVEL:
		return ("one of \"error\", \"warning\", \"notice\", \"info\", "
			"\"debug\"");
	case CK_SEVERITY:
		return ("one of \"info\", \"warning\", \"critical\"");
	case CK_SIZE:
		return ("a size string like \"32M\" or \"512K\"");
	case CK_STRLIST:
		return ("a list of strings like [\"a\", \"b\"]");
	case CK_FLOAT:
		return ("a number like 2.5");
	case CK_BOOL:
		return ("true or false");
	case CK_URL:
		return ("\"\" or an http:// or https:// URL");
	}
	return ("?");
}

static int
cvalue(struct cctx *cc, const config_setting_t *s, const struct ckey *k,
    void *base)
{
	char *dst = (char *)base + k->off, *cause = NULL, buf[32], buf2[32];
	char lit[72], cut[TEXT_CUT_SIZE];
	const char *str = NULL;
	int64_t v;
	int type = config_setting_type(s), level, i, n;
	char **list;
	struct strlist *sl;

	if (k->kind == CK_INT) {
		if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
			goto wrongtype;
		v = config_setting_get_int64(s);
		lit[0] = '\0';
		v = source_int(cc, s, v, lit, sizeof lit);
		if (v < k->min || v > k->max) {
			/* As written: a huge one is not clamped in the text. */
			if (lit[0] == '\0')
				snprintf(lit, sizeof lit, "%lld", (long long)v);
			cerr(cc, s, "%s is out of range (%lld to %lld)", lit,
			    (long long)k->min, (long long)k->max);
			return (-1);
		}
		*(int64_t *)dst = v;
		return (0);
	}
	if (k->kind == CK_FLOAT) {
		double d;

		if (type == CONFIG_TYPE_FLOAT)
			d = config_setting_get_float(s);
		else if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64)
			d = (double)config_setting_get_int64(s);
		else
			goto wrongtype;
		if (!(d * 1000 >= (double)k->min &&
			d * 1000 <= (double)k->max)) {
			cerr(cc, s, "%g is out of range (%g to %g)", d,
			    (double)k->min / 1000, (double)k->max / 1000);
			return (-1);
		}
		*(double *)dst = d;
		return (0);
	}
	if (k->kind == CK_BOOL) {
		if (type != CONFIG_TYPE_BOOL)
			goto wrongtype;
		*(int *)dst = config_setting_get_bool(s);
		return (0);
	}
	if (k->kind == CK_STRLIST) {
		if (type != CONFIG_TYPE_ARRAY && type != CONFIG_TYPE_LIST)
			goto wrongtype;
		n = config_setting_length(s);
		if (n > k->max) {
			cerr(cc, s, "has %d entries, at most %lld allowed", n,
			    (long long)k->max);
			return (-1);
		}
		sl = (struct strlist *)dst;
		list = xcalloc(n + 1, sizeof *list);
		for (i = 0; i < n; i++) {
			const config_setting_t *e =
			    config_setting_get_elem(s, i);
			if (config_setting_type(e) != CONFIG_TYPE_STRING) {
				cerr(cc, e, "expected a string");
				while (i-- > 0)
					free(list[i]);
				free(list);
				return (-1);
			}
			list[i] = xstrdup(config_setting_get_string(e));
		}
		strlist_free(sl);
		sl->v = list;
		sl->n = n;
		return (0);
	}

	if (type != CONFIG_TYPE_STRING)
		goto wrongtype;
	str = config_setting_get_string(s);
	switch (k->kind) {
	case CK_URL:
		if (*str != '\0' && strncmp(str, "http://", 7) != 0 &&
		    strncmp(str, "https://", 8) != 0) {
			cerr(cc, s, "\"%s\" is not an http:// or https:// URL",
			    text_cut(str, cut));
			return (-1);
		}
		if (*str != '\0' && strstr(str, "{product_id}") == NULL) {
			cerr(cc, s,
			    "\"%s\" does not say where the product ID goes "
			    "(write {product_id} in it)",
			    text_cut(str, cut));
			return (-1);
		}
		free(*(char **)dst);
		*(char **)dst = xstrdup(str);
		return (0);
	case CK_NAME:
		if (!name_valid(str)) {
			cerr(cc, s,
			    "\"%s\" is not a valid name (letters, "
			    "digits, '-' and '_', starting with a "
			    "letter or digit, at most 64)",
			    text_cut(str, cut));
			return (-1);
		}
		/* FALLTHROUGH */
	case CK_STRING:
		if (*str == '\0') {
			cerr(cc, s, "must not be empty");
			return (-1);
		}
		free(*(char **)dst);
		*(char **)dst = xstrdup(str);
		return (0);
	case CK_PATH:
		if (*str == '\0') {
			cerr(cc, s, "must not be empty");
			return (-1);
		}
		free(*(char **)dst);
		*(char **)dst = path_absolute(str);
		return (0);
	case CK_DURATION:
		if (duration_parse(str, &v, &cause) == -1) {
			cerr(cc, s, "%s", cause);
			free(cause);
			return (-1);
		}
		if (v < k->min || v > k->max) {
			cerr(cc, s, "\"%s\" is out of range (%s to %s)",
			    text_cut(str, cut),
			    duration_format(k->min, buf, sizeof buf),
			    duration_format(k->max, buf2, sizeof buf2));
			return (-1);
		}
		*(int64_t *)dst = v;
		return (0);
	case CK_SIZE:
		if (docs_size_parse(str, &v, &cause) == -1) {
			cerr(cc, s, "%s", cause);
			free(cause);
			return (-1);
		}
		if (v < k->min || v > k->max) {
			cerr(cc, s, "\"%s\" is out of range (%s to %s)",
			    text_cut(str, cut),
			    docs_size_format(k->min, buf, sizeof buf),
			    docs_size_format(k->max, buf2, sizeof buf2));
			return (-1);
		}
		*(int64_t *)dst = v;
		return (0);
	case CK_SEVERITY:
		if ((level = cases_severity_from_name(str)) == -1) {
			cerr(cc, s, "unknown severity \"%s\" (use %s)",
			    text_cut(str, cut), ckind_name(CK_SEVERITY));
			return (-1);
		}
		*(int *)dst = level;
		return (0);
	case CK_LOGLEVEL:
		if ((level = log_level_from_name(str)) == -1) {
			cerr(cc, s, "unknown log level \"%s\" (use %s)",
			    text_cut(str, cut), ckind_name(CK_LOGLEVEL));
			return (-1);
		}
		*(enum log_level *)dst = level;
		return (0);
	default:
		break;
	}
wrongtype:
	cerr(cc, s, "expected %s", ckind_name(k->kind));
	return (-1);
}

/*
 * Reads a group's keys by the table. Keys in "extra" are accepted and left
 * to the caller; any other key not in the table is an error.
 */
static int
cgroup(struct cctx *cc, const config_setting_t *g, const struct ckey *keys,
    size_t nkeys, void *base, const char *const *extra, size_t nextra)
{
	const config_setting_t *s;
	const char *name;
	size_t j;
	int i, found, rc = 0;
	char *known = NULL, *old;

	if (!config_setting_is_group(g)) {
		cerr(cc, g, "expected a group like { key = value; }");
		return (-1);
	}
	for (i = 0; i < config_setting_length(g); i++) {
		s = config_setting_get_elem(g, i);
		name = config_setting_name(s);
		found = 0;
		for (j = 0; j < nkeys && !found; j++) {
			if (strcmp(name, keys[j].name) == 0) {
				found = 1;
				if (cvalue(cc, s, &keys[j], base) == -1)
					rc = -1;
			}
		}
		for (j = 0; j < nextra && !found; j++)
			found = strcmp(name, extra[j]) == 0;
		if (found)
			continue;
		for (j = 0; j < nkeys + nextra; j++) {
			old = known;
			xasprintf(&known, "%s%s%s", old ? old : "",
			    old ? ", " : "",
			    j < nkeys ? keys[j].name : extra[j - nkeys]);
			free(old);
		}
		cerr(cc, s, "unknown key (known keys here: %s)",
		    known ? known : "none");
		free(known);
		known = NULL;
		rc = -1;
	}
	return (rc);
}

/* The state dir is created at start if missing, so its parent must exist. */
static void
check_state_dir(struct cctx *cc, struct config *conf, const config_setting_t *s)
{
	struct stat sb;
	char *copy, *parent;

	if (stat(conf->state_dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			cerr(cc, s, "%s is not a directory", conf->state_dir);
		else if (access(conf->state_dir, W_OK | X_OK) == -1)
			cerr(cc, s, "%s is not writable: %s", conf->state_dir,
			    strerror(errno));
		return;
	}
	if (errno != ENOENT) {
		cerr(cc, s, "%s: %s", conf->state_dir, strerror(errno));
		return;
	}
	copy = xstrdup(conf->state_dir);
	parent = dirname(copy);
	if (stat(parent, &sb) == -1 || !S_ISDIR(sb.st_mode))
		cerr(cc, s,
		    "%s cannot be created: its parent %s does not "
		    "exist (create it, or point state_dir elsewhere)",
		    conf->state_dir, parent);
	else if (access(parent, W_OK | X_OK) == -1)
		cerr(cc, s,
		    "%s cannot be created: its parent %s is not "
		    "writable",
		    conf->state_dir, parent);
	free(copy);
}

/*
 * The web group: its listen address must parse, and one a remote peer can
 * reach is refused without TLS unless insecure_bind says a person meant
 * it. The root defaults to the
 * installed pages; the built-in configuration falls back to the source
 * tree's when they are not installed.
 */
static void
check_web(struct cctx *cc, struct config *conf, const config_setting_t *web)
{
	const config_setting_t *s;
	char host[256], *cause = NULL;
	int port;

	if (conf->web_root == NULL) {
		conf->web_root = xstrdup(DELISTD_WEB_ROOT);
#ifdef DELISTD_SRC_WEB_ROOT
		if (strcmp(conf->path, "(built-in)") == 0 &&
		    access(conf->web_root, R_OK | X_OK) == -1) {
			free(conf->web_root);
			conf->web_root = xstrdup(DELISTD_SRC_WEB_ROOT);
		}
#endif
	}
	if (web != NULL && conf->web_metrics_token_file != NULL &&
	    config_check_secret_file(conf->web_metrics_token_file, &cause) ==
		-1) {
		cerr(cc, config_setting_get_member(web, "metrics_token_file"),
		    "%s", cause);
		free(cause);
		cause = NULL;
	}
	if (web == NULL || conf->web_listen == NULL)
		return;
	check_web_tls(cc, conf, web);
	s = config_setting_get_member(web, "listen");
	if (web_addr_parse(
		conf->web_listen, host, sizeof host, &port, &cause) == -1) {
		cerr(cc, s, "%s", cause);
		free(cause);
		return;
	}
	if (!web_addr_loopback(host) && !conf->web_insecure_bind &&
	    conf->web_tls_cert_file == NULL)
		cerr(cc, s,
		    "%s is not a loopback address and has no TLS: set "
		    "tls_cert_file and tls_key_file, or listen on 127.0.0.1 "
		    "behind a TLS reverse proxy, or set insecure_bind = true "
		    "if the network is trusted",
		    conf->web_listen);
}

/*
 * TLS on the web listener: both files or neither, and the context built
 * from them now, so that -t and a reload refuse a certificate that cannot
 * serve (unreadable, not PEM, a key of another certificate).
 */
static void
check_web_tls(struct cctx *cc, struct config *conf, const config_setting_t *web)
{
	const config_setting_t *c =
	    config_setting_get_member(web, "tls_cert_file");
	const config_setting_t *k =
	    config_setting_get_member(web, "tls_key_file");
	char *cause = NULL;
	int keyfault = 0;

	if (c == NULL && k == NULL)
		return;
	if (conf->web_tls_cert_file == NULL || conf->web_tls_key_file == NULL) {
		cerr(cc, c != NULL ? c : k,
		    "tls_cert_file and tls_key_file go together");
		return;
	}
	if (config_tls != NULL &&
	    (conf->web_tls = config_tls->ctx_new(conf->web_tls_cert_file,
		 conf->web_tls_key_file, &keyfault, &cause)) == NULL) {
		cerr(cc, keyfault ? k : c, "%s", cause);
		free(cause);
	}
}

static void
check_socket(struct cctx *cc, struct config *conf, const config_setting_t *s,
    const config_setting_t *gs)
{
	struct sockaddr_un sun;

	char *copy = xstrdup(conf->socket), *dir = dirname(copy);
	char *copy2 = xstrdup(dir), *parent = dirname(copy2);
	struct stat sb;

	/* The daemon creates the socket's directory, not its parent. */
	if (strcmp(dir, conf->state_dir) != 0 &&
	    (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) &&
	    (stat(parent, &sb) == -1 || !S_ISDIR(sb.st_mode)))
		cerr(cc, s,
		    "the socket's directory %s cannot be created: %s "
		    "does not exist",
		    dir, parent);
	free(copy);
	free(copy2);
	if (strlen(conf->socket) >= sizeof sun.sun_path)
		cerr(cc, s,
		    "socket path %s is %zu bytes long; a Unix socket "
		    "path must be shorter than %zu",
		    conf->socket, strlen(conf->socket), sizeof sun.sun_path);
	if (conf->socket_group != NULL && getgrnam(conf->socket_group) == NULL)
		cerr(cc, gs, "socket_group \"%s\" does not exist",
		    conf->socket_group);
}

/*
 * A calendar in a zone with the configured weekend, holidays and make-up
 * workdays. With a cctx, each bad entry is reported at its line; without,
 * the entries are known good (the main calendar was built first).
 */
static struct calendar *
calendar_build(struct cctx *cc, struct config *conf,
    const config_setting_t *cal, const char *tz)
{
	const config_setting_t *s;
	struct calendar *c;
	char *cause = NULL;
	size_t i;

	if ((c = calendar_new(tz, &cause)) == NULL) {
		free(cause);
		return (NULL);
	}
	s = cal ? config_setting_get_member(cal, "weekend") : NULL;
	if (calendar_set_weekend(c, (const char *const *)conf->weekend.v,
		conf->weekend.n, &cause) == -1) {
		if (cc != NULL)
			cerr(cc, s, "%s", cause);
		free(cause);
		cause = NULL;
	}
	if (cal == NULL)
		return (c);
	/* The calendar's own lists, then each named group's. */
	calendar_add_list(cc, c, config_setting_get_member(cal, "holidays"), 1);
	calendar_add_list(cc, c, config_setting_get_member(cal, "workdays"), 0);
	for (i = 0; i < (size_t)config_setting_length(cal); i++) {
		s = config_setting_get_elem(cal, (unsigned)i);
		if (!config_setting_is_group(s))
			continue;
		calendar_add_list(
		    cc, c, config_setting_get_member(s, "holidays"), 1);
		calendar_add_list(
		    cc, c, config_setting_get_member(s, "workdays"), 0);
	}
	return (c);
}

/* The dates of one list (NULL: none); each bad one reported at its line. */
static void
calendar_add_list(struct cctx *cc, struct calendar *c,
    const config_setting_t *list, int holiday)
{
	const config_setting_t *e;
	const char *date;
	char *cause = NULL;
	int i, rc;

	if (list == NULL || !config_setting_is_aggregate(list))
		return;
	for (i = 0; i < config_setting_length(list); i++) {
		e = config_setting_get_elem(list, (unsigned)i);
		if ((date = config_setting_get_string(e)) == NULL)
			continue; /* the type error is reported already */
		rc = holiday ? calendar_add_holiday(c, date, &cause)
			     : calendar_add_workday(c, date, &cause);
		if (rc == -1) {
			if (cc != NULL)
				cerr(cc, e, "%s", cause);
			free(cause);
			cause = NULL;
		}
	}
}

/*
 * The calendar section: its keys, and named groups of dates (an included
 * year's schedule) with only holidays and workdays.
 */
static void
parse_calendar(
    struct cctx *cc, struct config *conf, const config_setting_t *cal)
{
	const config_setting_t *s;
	const char **groups = NULL;
	struct cal_dates tmp;
	size_t n = 0;
	int i;

	if (!config_setting_is_group(cal)) {
		/* Says what a calendar section should look like. */
		cgroup(cc, cal, calendar_keys, nitems(calendar_keys), conf,
		    NULL, 0);
		return;
	}
	for (i = 0; i < config_setting_length(cal); i++) {
		s = config_setting_get_elem(cal, (unsigned)i);
		if (!config_setting_is_group(s))
			continue;
		groups = xreallocarray(groups, n + 1, sizeof *groups);
		groups[n++] = config_setting_name(s);
	}
	cgroup(cc, cal, calendar_keys, nitems(calendar_keys), conf,
	    (const char *const *)groups, n);
	free(groups);
	for (i = 0; i < config_setting_length(cal); i++) {
		s = config_setting_get_elem(cal, (unsigned)i);
		if (!config_setting_is_group(s))
			continue;
		memset(&tmp, 0, sizeof tmp);
		cgroup(cc, s, cal_dates_keys, nitems(cal_dates_keys), &tmp,
		    NULL, 0);
		strlist_free(&tmp.holidays);
		strlist_free(&tmp.workdays);
	}
}

static void
build_calendar(
    struct cctx *cc, struct config *conf, const config_setting_t *cal)
{
	const config_setting_t *tz;
	struct calendar *probe;
	char *cause = NULL;
	size_t i;

	tz = config_setting_lookup(
	    config_root_setting((config_t *)conf->lc), "daemon");
	if (tz != NULL)
		tz = config_setting_get_member(tz, "timezone");
	if ((probe = calendar_new(conf->timezone, &cause)) == NULL) {
		cerr(cc, tz, "%s", cause);
		free(cause);
		/* Still check the dates, in the default zone. */
		calendar_free(calendar_build(cc, conf, cal, NULL));
		return;
	}
	calendar_free(probe);
	conf->calendar = calendar_build(cc, conf, cal, conf->timezone);
	for (i = 0; i < conf->nshops; i++) {
		if (conf->shops[i].timezone != NULL)
			conf->shops[i].calendar = calendar_build(
			    NULL, conf, cal, conf->shops[i].timezone);
	}
}

/* The shop of that name, or NULL. */
const struct config_shop *
config_shop(const struct config *conf, const char *name)
{
	size_t i;

	for (i = 0; i < conf->nshops; i++) {
		if (strcmp(conf->shops[i].name, name) == 0)
			return (&conf->shops[i]);
	}
	return (NULL);
}

/* The business-day calendar of a shop (its own zone, or the daemon's). */
const struct calendar *
config_shop_calendar(const struct config *conf, const char *name)
{
	const struct config_shop *shop = config_shop(conf, name);

	if (shop != NULL && shop->calendar != NULL)
		return (shop->calendar);
	return (conf->calendar);
}

/* "main, outlet": the configured shops, for error messages. */
char *
config_shop_list(const struct config *conf)
{
	char *list = xstrdup(""), *old;
	size_t i;

	for (i = 0; i < conf->nshops; i++) {
		old = list;
		xasprintf(
		    &list, "%s%s%s", old, i ? ", " : "", conf->shops[i].name);
		free(old);
	}
	return (list);
}

static void
parse_shops(struct cctx *cc, struct config *conf, const config_setting_t *l)
{
	const config_setting_t *g;
	struct config_shop *shop;
	struct calendar *cal;
	char *cause;
	int i, n;
	size_t j;

	if (!config_setting_is_list(l)) {
		cerr(cc, l,
		    "expected a list of groups: shops = ( { name = "
		    "\"main\"; ... } );");
		return;
	}
	n = config_setting_length(l);
	conf->shops = xcalloc(n, sizeof *conf->shops);
	for (i = 0; i < n; i++) {
		g = config_setting_get_elem(l, i);
		shop = &conf->shops[conf->nshops++];
		shop->sweep_interval = 15 * 60;
		shop->recheck_interval = 30 * 60;
		shop->confirm_checks = 2;
		shop->confirm_spacing = 2 * 60;
		shop->snapshot_url = xstrdup(CONFIG_SNAPSHOT_URL);
		shop->line = config_setting_source_line(g);
		shop->digest_at = 9 * 3600;
		if (cgroup(cc, g, shop_keys, nitems(shop_keys), shop,
			shop_extra, nitems(shop_extra)) == -1)
			continue;
		parse_digest_at(
		    cc, shop, config_setting_get_member(g, "digest_at"));
		if (shop->name == NULL) {
			cerr(cc, g, "a shop needs a name");
			continue;
		}
		for (j = 0; j + 1 < conf->nshops; j++) {
			if (conf->shops[j].name != NULL &&
			    strcmp(conf->shops[j].name, shop->name) == 0)
				cerr(cc, g,
				    "shop \"%s\" is defined twice "
				    "(first on line %d)",
				    shop->name, conf->shops[j].line);
		}
		if (shop->language != NULL &&
		    strcmp(shop->language, "zh-CN") != 0 &&
		    strcmp(shop->language, "en") != 0)
			cerr(cc, config_setting_get_member(g, "language"),
			    "unknown language \"%s\": expected \"zh-CN\" or "
			    "\"en\"",
			    shop->language);
		if (shop->timezone != NULL) {
			cause = NULL;
			if ((cal = calendar_new(shop->timezone, &cause)) ==
			    NULL) {
				cerr(cc,
				    config_setting_get_member(g, "timezone"),
				    "%s", cause);
				free(cause);
			}
			calendar_free(cal);
		}
	}
}

static void
parse_plugins(struct cctx *cc, struct config *conf, const config_setting_t *l)
{
	const config_setting_t *g, *s;
	struct config_plugin *pl;
	const char *name, *secret;
	char *cause;
	int i, j, n;
	size_t k, len;

	if (!config_setting_is_list(l)) {
		cerr(cc, l,
		    "expected a list of groups: plugins = ( { name = "
		    "\"erp\"; module = \"webhook\"; ... } );");
		return;
	}
	n = config_setting_length(l);
	conf->plugins = xcalloc(n, sizeof *conf->plugins);
	for (i = 0; i < n; i++) {
		g = config_setting_get_elem(l, i);
		pl = &conf->plugins[conf->nplugins++];
		pl->setting = g;
		pl->line = config_setting_source_line(g);
		pl->retry_base = 30;
		pl->retry_cap = 3600;
		pl->max_attempts = 10;
		pl->rate = 1.0;
		pl->burst = 5;
		pl->daily_quota = 5000;
		pl->max_in_flight = CONFIG_MAX_IN_FLIGHT;
		if (!config_setting_is_group(g)) {
			cerr(cc, g,
			    "expected a group like { name = \"erp\"; "
			    "module = \"webhook\"; }");
			continue;
		}
		/* The module validates its own keys; the core reads two. */
		for (j = 0; j < config_setting_length(g); j++) {
			s = config_setting_get_elem(g, j);
			name = config_setting_name(s);
			for (k = 0; k < nitems(plugin_keys); k++) {
				if (strcmp(name, plugin_keys[k].name) == 0)
					cvalue(cc, s, &plugin_keys[k], pl);
			}
			len = strlen(name);
			/* Every *_file is a secret, but a CA bundle is public. */
			if (len > 5 && strcmp(name + len - 5, "_file") == 0 &&
			    strcmp(name, "ca_file") != 0) {
				if (config_setting_type(s) !=
				    CONFIG_TYPE_STRING) {
					cerr(cc, s, "expected a path string");
					continue;
				}
				cause = NULL;
				secret = config_setting_get_string(s);
				if (config_check_secret_file(secret, &cause) ==
				    -1) {
					cerr(cc, s, "%s", cause);
					free(cause);
				}
			}
		}
		if (pl->name == NULL || pl->module == NULL) {
			if ((pl->name == NULL &&
				config_setting_get_member(g, "name") == NULL) ||
			    (pl->module == NULL &&
				config_setting_get_member(g, "module") == NULL))
				cerr(cc, g,
				    "a plugin needs a name and a module");
			continue;
		}
		for (k = 0; k < pl->events.n; k++) {
			if (pl->events.v[k][0] == '\0')
				cerr(cc, config_setting_get_member(g, "events"),
				    "an empty event pattern");
		}
		if (pl->events.v == NULL) {
			pl->events.v = xcalloc(2, sizeof *pl->events.v);
			pl->events.v[0] = xstrdup("*");
			pl->events.n = 1;
		}
		if (pl->retry_cap < pl->retry_base)
			cerr(cc, g, "retry_cap is shorter than retry_base");
		pl->fingerprint = setting_render(g);
		for (k = 0; k + 1 < conf->nplugins; k++) {
			if (conf->plugins[k].name != NULL &&
			    strcmp(conf->plugins[k].name, pl->name) == 0)
				cerr(cc, g,
				    "plugin instance \"%s\" is defined "
				    "twice (first on line %d)",
				    pl->name, conf->plugins[k].line);
		}
	}
}

/* shops[].digest_at = "09:00": the local time of the daily digest. */
static void
parse_digest_at(
    struct cctx *cc, struct config_shop *shop, const config_setting_t *s)
{
	const char *v;
	unsigned h, m;
	char end;

	if (s == NULL)
		return;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		cerr(cc, s, "expected a local time string like \"09:00\"");
		return;
	}
	v = config_setting_get_string(s);
	if (strlen(v) != 5 || sscanf(v, "%2u:%2u%c", &h, &m, &end) != 2 ||
	    v[2] != ':' || h > 23 || m > 59) {
		cerr(cc, s,
		    "\"%s\" is not a local time: use HH:MM, 00:00 to 23:59", v);
		return;
	}
	shop->digest_at = (int64_t)h * 3600 + (int64_t)m * 60;
}

static int
tier_cmp(const void *a, const void *b)
{
	const struct config_tier *x = a, *y = b;

	return (x->after_business_days > y->after_business_days) -
	    (x->after_business_days < y->after_business_days);
}

/*
 * rules.escalation: a list of tiers, each firing once per appeal; without
 * it, escalate_after_business_days is the one critical tier (both set is
 * an error). notify names configured plugin instances.
 */
static void
parse_escalation(struct cctx *cc, struct config *conf,
    const config_setting_t *rules, const config_setting_t *l)
{
	const config_setting_t *g, *ns;
	struct config_tier *t;
	size_t i, j, k;
	int n, found;

	if (l == NULL) {
		conf->rules.tiers = xcalloc(1, sizeof *conf->rules.tiers);
		conf->rules.ntiers = 1;
		conf->rules.tiers[0].after_business_days =
		    conf->rules.escalate_after_business_days;
		conf->rules.tiers[0].severity = CASES_SEV_CRITICAL;
		return;
	}
	if (config_setting_get_member(rules, "escalate_after_business_days") !=
	    NULL) {
		cerr(cc, l,
		    "set either escalation or escalate_after_business_days "
		    "(its shorthand for one critical tier), not both");
		return;
	}
	if (!config_setting_is_list(l) || (n = config_setting_length(l)) == 0) {
		cerr(cc, l,
		    "expected a list of tiers: escalation = ( { "
		    "after_business_days = 5; severity = \"critical\"; } );");
		return;
	}
	conf->rules.tiers = xcalloc(n, sizeof *conf->rules.tiers);
	for (i = 0; i < (size_t)n; i++) {
		g = config_setting_get_elem(l, i);
		t = &conf->rules.tiers[conf->rules.ntiers++];
		t->severity = CASES_SEV_CRITICAL;
		t->line = config_setting_source_line(g);
		if (cgroup(cc, g, tier_keys, nitems(tier_keys), t, NULL, 0) ==
		    -1)
			continue;
		if (config_setting_get_member(g, "after_business_days") ==
		    NULL) {
			cerr(cc, g, "a tier needs after_business_days");
			continue;
		}
		for (j = 0; j < i; j++) {
			if (conf->rules.tiers[j].after_business_days ==
			    t->after_business_days)
				cerr(cc, g,
				    "two tiers after %lld business days "
				    "(the first on line %d)",
				    (long long)t->after_business_days,
				    conf->rules.tiers[j].line);
		}
		ns = config_setting_get_member(g, "notify");
		for (j = 0; j < t->notify.n; j++) {
			found = 0;
			for (k = 0; k < conf->nplugins; k++)
				found |= conf->plugins[k].name != NULL &&
				    strcmp(conf->plugins[k].name,
					t->notify.v[j]) == 0;
			if (!found)
				cerr(cc, config_setting_get_elem(ns, j),
				    "\"%s\" is not a configured sink "
				    "instance (add it to plugins)",
				    t->notify.v[j]);
		}
	}
	qsort(conf->rules.tiers, conf->rules.ntiers, sizeof *conf->rules.tiers,
	    tier_cmp);
	conf->rules.escalate_after_business_days =
	    conf->rules.tiers[0].after_business_days;
}

/*
 * A block as text, to tell on reload whether an instance's configuration
 * changed (and so whether it must be re-created).
 */
static char *
setting_render(const config_setting_t *s)
{
	char *out = NULL, *old, *sub;
	const char *name;
	int i;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP:
	case CONFIG_TYPE_LIST:
	case CONFIG_TYPE_ARRAY:
		out = xstrdup("{");
		for (i = 0; i < config_setting_length(s); i++) {
			sub = setting_render(config_setting_get_elem(s, i));
			name =
			    config_setting_name(config_setting_get_elem(s, i));
			old = out;
			xasprintf(&out, "%s%s=%s;", old, name ? name : "", sub);
			free(old);
			free(sub);
		}
		old = out;
		xasprintf(&out, "%s}", old);
		free(old);
		return (out);
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		xasprintf(&out, "%lld", (long long)config_setting_get_int64(s));
		return (out);
	case CONFIG_TYPE_FLOAT:
		xasprintf(&out, "%.17g", config_setting_get_float(s));
		return (out);
	case CONFIG_TYPE_BOOL:
		return (xstrdup(config_setting_get_bool(s) ? "true" : "false"));
	case CONFIG_TYPE_STRING:
		xasprintf(&out, "\"%s\"", config_setting_get_string(s));
		return (out);
	}
	return (xstrdup("?"));
}

/*
 * The file a *_file value names: an absolute path as written, or a bare
 * name (no '/'), a systemd credential (LoadCredential=), under
 * $CREDENTIALS_DIRECTORY. NULL with *cause otherwise.
 */
char *
config_secret_path(const char *value, char **cause)
{
	const char *dir = getenv("CREDENTIALS_DIRECTORY");
	char *path;

	if (value[0] == '/')
		return (xstrdup(value));
	if (value[0] == '\0' || strchr(value, '/') != NULL ||
	    strcmp(value, ".") == 0 || strcmp(value, "..") == 0) {
		xasprintf(cause,
		    _("secret file %s: give an absolute path, or the bare name "
		      "of a systemd credential"),
		    value);
		return (NULL);
	}
	if (dir == NULL || dir[0] != '/') {
		xasprintf(cause,
		    _("secret file %s: a bare name is a systemd credential, but "
		      "$CREDENTIALS_DIRECTORY is not set (LoadCredential=%s:PATH "
		      "in the unit)"),
		    value, value);
		return (NULL);
	}
	xasprintf(&path, "%s/%s", dir, value);
	return (path);
}

/*
 * A secret file must exist, be a regular file, and be readable by its owner
 * only: a secret others can read is no secret.
 */
int
config_check_secret_file(const char *value, char **cause)
{
	struct stat sb;
	char *path;
	int rc = -1;

	if ((path = config_secret_path(value, cause)) == NULL)
		return (-1);
	if (stat(path, &sb) == -1)
		xasprintf(cause, "secret file %s: %s", path, strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		xasprintf(cause, "secret file %s is not a regular file", path);
	else if (sb.st_mode & (S_IRWXG | S_IRWXO))
		xasprintf(cause,
		    "secret file %s is accessible by group or "
		    "others (mode %04o); chmod 600 it",
		    path, (unsigned)(sb.st_mode & 07777));
	else
		rc = 0;
	free(path);
	return (rc);
}

static struct config *
config_parse(config_t *lc, const char *file, char **cause)
{
	struct cctx cc = { .file = file,
		.include_dir = config_get_include_dir(lc) };
	struct config *conf;
	const config_setting_t *root, *s, *daemon = NULL, *cal = NULL;
	const config_setting_t *rules = NULL, *web = NULL;
	const char *name;
	int i;
	static const char *const topkeys[] = { "daemon", "calendar", "rules",
		"shops", "plugins", "preflight", "web", "points", "tro" };
	const config_setting_t *pf = NULL, *pts = NULL, *tro = NULL;
	size_t j;
	int found;

	conf = xcalloc(1, sizeof *conf);
	conf->refs = 1;
	conf->lc = lc;
	conf->path = xstrdup(file);
	conf->log_level = LOG_LEVEL_INFO;
	conf->shutdown_timeout = 10;
	conf->max_clients = 64;
	conf->client_timeout = 30;
	conf->max_upload = CONFIG_MAX_UPLOAD_DEFAULT;
	conf->max_followers = 64;
	conf->follow_heartbeat = 30;
	conf->rules.feedback_after = 72 * 3600;
	conf->rules.escalate_after_business_days = 5;
	conf->rules.max_appeals = 3;
	conf->rules.stall_after = 3 * 86400;
	conf->rules.repeat_interval = 24 * 3600;

	root = config_root_setting(lc);
	for (i = 0; i < config_setting_length(root); i++) {
		s = config_setting_get_elem(root, i);
		name = config_setting_name(s);
		found = 0;
		for (j = 0; j < nitems(topkeys); j++)
			found |= strcmp(name, topkeys[j]) == 0;
		if (!found)
			cerr(&cc, s,
			    "unknown section (known: daemon, "
			    "calendar, rules, shops, plugins, preflight, web, "
			    "points, tro)");
		else if (strcmp(name, "daemon") == 0) {
			daemon = s;
			cgroup(&cc, s, daemon_keys, nitems(daemon_keys), conf,
			    NULL, 0);
		} else if (strcmp(name, "calendar") == 0) {
			cal = s;
			parse_calendar(&cc, conf, s);
		} else if (strcmp(name, "rules") == 0) {
			rules = s;
			cgroup(&cc, s, rules_keys, nitems(rules_keys), conf,
			    rules_extra, nitems(rules_extra));
		} else if (strcmp(name, "shops") == 0)
			parse_shops(&cc, conf, s);
		else if (strcmp(name, "plugins") == 0)
			parse_plugins(&cc, conf, s);
		else if (strcmp(name, "preflight") == 0)
			pf = s;
		else if (strcmp(name, "points") == 0)
			pts = s;
		else if (strcmp(name, "tro") == 0)
			tro = s;
		else if (strcmp(name, "web") == 0) {
			web = s;
			cgroup(
			    &cc, s, web_keys, nitems(web_keys), conf, NULL, 0);
		}
	}
	if (pf != NULL)
		parse_preflight(&cc, conf, pf);
	if (pts != NULL)
		parse_points(&cc, conf, pts);
	parse_tro(&cc, conf, tro);

	if (conf->state_dir == NULL)
		conf->state_dir = xstrdup(DELISTD_STATE_DIR);
	if (conf->socket == NULL)
		xasprintf(&conf->socket, "%s/delistd.sock", conf->state_dir);
	if (conf->plugin_dir == NULL)
		conf->plugin_dir = xstrdup(DELISTD_PLUGIN_DIR);
	if (conf->timezone == NULL)
		conf->timezone = xstrdup("Asia/Shanghai");
	if (conf->weekend.v == NULL) {
		conf->weekend.v = xcalloc(3, sizeof *conf->weekend.v);
		conf->weekend.v[0] = xstrdup("sat");
		conf->weekend.v[1] = xstrdup("sun");
		conf->weekend.n = 2;
	}

	s = daemon ? config_setting_get_member(daemon, "state_dir") : NULL;
	check_state_dir(&cc, conf, s ? s : daemon);
	s = daemon ? config_setting_get_member(daemon, "socket") : NULL;
	check_socket(&cc, conf, s ? s : daemon,
	    daemon ? config_setting_get_member(daemon, "socket_group") : NULL);
	check_web(&cc, conf, web);
	build_calendar(&cc, conf, cal);
	parse_escalation(&cc, conf, rules,
	    rules ? config_setting_get_member(rules, "escalation") : NULL);
	for (j = 0; j < conf->nshops; j++) {
		struct config_shop *shop = &conf->shops[j];
		if (shop->source == NULL)
			continue;
		found = 0;
		for (i = 0; i < (int)conf->nplugins; i++)
			found |= conf->plugins[i].name != NULL &&
			    strcmp(conf->plugins[i].name, shop->source) == 0;
		if (!found)
			cerr(&cc,
			    config_setting_get_elem(
				config_setting_get_member(root, "shops"), j),
			    "shop \"%s\": source \"%s\" is not a configured "
			    "plugin instance",
			    shop->name ? shop->name : "?", shop->source);
	}
	if (cc.nerrors > 0) {
		if (cc.nerrors > MAX_ERRORS) {
			char *old = cc.errors;
			xasprintf(&cc.errors, "%s\n%s: ... and %zu more errors",
			    old, file, cc.nerrors - MAX_ERRORS);
			free(old);
		}
		*cause = cc.errors;
		config_free(conf);
		return (NULL);
	}
	return (conf);
}

static config_t *
config_new_lc(void)
{
	config_t *lc;

	lc = xcalloc(1, sizeof *lc);
	config_init(lc);
	config_set_options(lc, 0);
	return (lc);
}

static char *
config_read_error(config_t *lc, const char *file)
{
	char *cause;

	if (config_error_type(lc) == CONFIG_ERR_FILE_IO &&
	    config_error_line(lc) == 0)
		xasprintf(&cause, "%s: cannot read: %s", file,
		    errno ? strerror(errno) : "I/O error");
	else
		xasprintf(&cause, "%s:%d: %s",
		    config_error_file(lc) ? config_error_file(lc) : file,
		    config_error_line(lc), config_error_text(lc));
	return (cause);
}

/* Loads a file. NULL and *cause (one error per line) if anything is wrong. */
struct config *
config_load(const char *file, char **cause)
{
	config_t *lc;
	char *copy;
	FILE *f;
	struct stat sb;
	struct config *conf;

	/* Tell a missing file apart from a syntax error, with errno. */
	if ((f = fopen(file, "r")) == NULL) {
		xasprintf(cause, "%s: cannot read: %s", file, strerror(errno));
		return (NULL);
	}
	/* libconfig's scanner exits the process on a read error. */
	if (fstat(fileno(f), &sb) == -1 || !S_ISREG(sb.st_mode)) {
		xasprintf(cause, "%s: cannot read: not a regular file", file);
		fclose(f);
		return (NULL);
	}
	lc = config_new_lc();
	copy = xstrdup(file);
	/* libconfig 1.5 has one include dir: that of the main file. */
	config_set_include_dir(lc, dirname(copy));
	errno = 0;
	if (config_read(lc, f) != CONFIG_TRUE) {
		*cause = config_read_error(lc, file);
		fclose(f);
		config_destroy(lc);
		free(lc);
		free(copy);
		return (NULL);
	}
	fclose(f);
	free(copy);
	if ((conf = config_parse(lc, file, cause)) == NULL)
		return (NULL);
	return (conf);
}

/* Loads configuration text (the built-in default; tests). */
struct config *
config_load_string(const char *name, const char *text, char **cause)
{
	config_t *lc;

	lc = config_new_lc();
	if (config_read_string(lc, text) != CONFIG_TRUE) {
		*cause = config_read_error(lc, name);
		config_destroy(lc);
		free(lc);
		return (NULL);
	}
	return (config_parse(lc, name, cause));
}

static void
strlist_free(struct strlist *sl)
{
	size_t i;

	for (i = 0; i < sl->n; i++)
		free(sl->v[i]);
	free(sl->v);
	sl->v = NULL;
	sl->n = 0;
}

/*
 * The preflight settings: the file's preflight group over the module's
 * defaults; the review window is rules.escalate_after_business_days.
 */
void
config_preflight(const struct config *conf, struct preflight_config *out)
{
	if (conf->preflight != NULL)
		*out = conf->preflight->pf;
	else
		preflight_config_init(out);
	out->review_days = (int)conf->rules.escalate_after_business_days;
}

/* brands = ( { name = "Nike"; authorized = true; }, "Adidas" ); */
static void
preflight_brands(
    struct cctx *cc, struct config_preflight *cp, const config_setting_t *l)
{
	const config_setting_t *e, *m;
	const char *name;
	int i, n, auth, j;

	if (!config_setting_is_list(l) && !config_setting_is_array(l)) {
		cerr(cc, l,
		    "expected a list like ( { name = \"Nike\"; "
		    "authorized = false; } )");
		return;
	}
	n = config_setting_length(l);
	if (n > 1000) {
		cerr(cc, l, "has %d entries, at most 1000 allowed", n);
		return;
	}
	cp->brands = xcalloc((size_t)n + 1, sizeof *cp->brands);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(l, i);
		auth = 0;
		name = NULL;
		if (config_setting_type(e) == CONFIG_TYPE_STRING)
			name = config_setting_get_string(e);
		else if (config_setting_is_group(e)) {
			for (j = 0; j < config_setting_length(e); j++) {
				m = config_setting_get_elem(e, j);
				if (strcmp(config_setting_name(m), "name") ==
					0 &&
				    config_setting_type(m) ==
					CONFIG_TYPE_STRING)
					name = config_setting_get_string(m);
				else if (strcmp(config_setting_name(m),
					     "authorized") == 0 &&
				    config_setting_type(m) == CONFIG_TYPE_BOOL)
					auth = config_setting_get_bool(m);
				else
					cerr(cc, m,
					    "unknown key or wrong type (a "
					    "brand has name = \"...\" and "
					    "authorized = true or false)");
			}
		}
		if (name == NULL || *name == '\0') {
			cerr(cc, e, "a brand needs a name");
			continue;
		}
		cp->brands[cp->nbrands].name = xstrdup(name);
		cp->brands[cp->nbrands++].authorized = auth;
	}
}

/* material_keywords = { certificate = [ "certificate", "证书" ]; ... }; */
static void
preflight_keywords(
    struct cctx *cc, struct config_preflight *cp, const config_setting_t *g)
{
	const struct preflight_kind *def;
	const config_setting_t *m;
	struct ckey k = { NULL, CK_STRLIST, 0, 0, 1000 };
	char *known = NULL, *old;
	size_t ndef, j;
	int i;

	def = preflight_default_kinds(&ndef);
	if (!config_setting_is_group(g)) {
		cerr(cc, g,
		    "expected a group like { certificate = "
		    "[\"certificate\", \"证书\"]; }");
		return;
	}
	for (i = 0; i < config_setting_length(g); i++) {
		m = config_setting_get_elem(g, i);
		for (j = 0; j < ndef; j++) {
			if (strcmp(config_setting_name(m), def[j].key) == 0)
				break;
		}
		if (j == ndef) {
			for (j = 0; j < ndef; j++) {
				old = known;
				xasprintf(&known, "%s%s%s", old ? old : "",
				    old ? ", " : "", def[j].key);
				free(old);
			}
			cerr(cc, m, "unknown kind of material (known: %s)",
			    known);
			free(known);
			known = NULL;
			continue;
		}
		if (cvalue(cc, m, &k, &cp->keywords[j]) == 0)
			preflight_nonempty(cc, m);
	}
}

/* Every entry of a list of words must hold something. */
static void
preflight_nonempty(struct cctx *cc, const config_setting_t *l)
{
	const config_setting_t *e;
	int i;

	if (l == NULL ||
	    (!config_setting_is_list(l) && !config_setting_is_array(l)))
		return;
	for (i = 0; i < config_setting_length(l); i++) {
		e = config_setting_get_elem(l, i);
		if (config_setting_type(e) == CONFIG_TYPE_STRING &&
		    *config_setting_get_string(e) == '\0')
			cerr(cc, e, "must not be empty");
	}
}

static void
parse_preflight(struct cctx *cc, struct config *conf, const config_setting_t *g)
{
	struct config_preflight *cp;
	const struct preflight_kind *def;
	const config_setting_t *s;
	size_t ndef, j, errors = cc->nerrors;
	char *cause = NULL;

	cp = xcalloc(1, sizeof *cp);
	conf->preflight = cp;
	cp->min_words = cp->shingle = cp->min_short_side = cp->min_long_side =
	    -1;
	def = preflight_default_kinds(&ndef);
	cp->keywords = xcalloc(ndef + 1, sizeof *cp->keywords);
	cp->kinds = xcalloc(ndef + 1, sizeof *cp->kinds);
	preflight_config_init(&cp->pf);
	if (cgroup(cc, g, preflight_keys, nitems(preflight_keys), cp,
		preflight_extra, nitems(preflight_extra)) == -1 &&
	    !config_setting_is_group(g))
		return;
	if ((s = config_setting_get_member(g, "similarity_threshold")) !=
	    NULL) {
		if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
			cp->pf.similarity = config_setting_get_float(s);
		else if (config_setting_type(s) == CONFIG_TYPE_INT)
			cp->pf.similarity = config_setting_get_int(s);
		else
			cerr(cc, s, "expected a number like 0.7");
		if (!(cp->pf.similarity > 0 && cp->pf.similarity <= 1))
			cerr(cc, s, "must be more than 0 and at most 1");
	}
	for (j = 0; j < nitems(preflight_keys); j++) {
		if (preflight_keys[j].kind == CK_STRLIST)
			preflight_nonempty(cc,
			    config_setting_get_member(
				g, preflight_keys[j].name));
	}
	if ((s = config_setting_get_member(g, "brands")) != NULL)
		preflight_brands(cc, cp, s);
	if ((s = config_setting_get_member(g, "material_keywords")) != NULL)
		preflight_keywords(cc, cp, s);
	if (cc->nerrors > errors)
		return;

	if (cp->templates.v != NULL) {
		cp->pf.templates = (const char *const *)cp->templates.v;
		cp->pf.ntemplates = cp->templates.n;
	}
	if (cp->field_words.v != NULL) {
		cp->pf.field_words = (const char *const *)cp->field_words.v;
		cp->pf.nfield_words = cp->field_words.n;
	}
	if (cp->banned.v != NULL) {
		cp->pf.banned = (const char *const *)cp->banned.v;
		cp->pf.nbanned = cp->banned.n;
	}
	if (cp->min_words >= 0)
		cp->pf.min_words = (size_t)cp->min_words;
	if (cp->shingle >= 0)
		cp->pf.shingle = (int)cp->shingle;
	if (cp->min_short_side >= 0)
		cp->pf.min_short_side = (int)cp->min_short_side;
	if (cp->min_long_side >= 0)
		cp->pf.min_long_side = (int)cp->min_long_side;
	cp->pf.brands = cp->brands;
	cp->pf.nbrands = cp->nbrands;
	/* A kind given [] is dropped: that rejection keyword check is off. */
	for (j = 0; j < ndef; j++) {
		cp->kinds[cp->nkinds] = def[j];
		if (cp->keywords[j].v != NULL) {
			if (cp->keywords[j].n == 0)
				continue;
			cp->kinds[cp->nkinds].keywords =
			    (const char *const *)cp->keywords[j].v;
			cp->kinds[cp->nkinds].nkeywords = cp->keywords[j].n;
		}
		cp->nkinds++;
	}
	cp->pf.kinds = cp->kinds;
	cp->pf.nkinds = cp->nkinds;
	if (preflight_config_check(&cp->pf, &cause) == -1) {
		cerr(cc, g, "%s", cause ? cause : "invalid");
		free(cause);
	}
}

static void
preflight_free(struct config_preflight *cp)
{
	size_t i, ndef;

	if (cp == NULL)
		return;
	strlist_free(&cp->templates);
	strlist_free(&cp->field_words);
	strlist_free(&cp->banned);
	for (i = 0; i < cp->nbrands; i++)
		free((char *)cp->brands[i].name);
	free(cp->brands);
	preflight_default_kinds(&ndef);
	for (i = 0; i < ndef; i++)
		strlist_free(&cp->keywords[i]);
	free(cp->keywords);
	free(cp->kinds);
	free(cp);
}

/* Plugin instances keep the configuration they read strings from. */
struct config *
config_ref(struct config *conf)
{
	conf->refs++;
	return (conf);
}

void
config_free(struct config *conf)
{
	size_t i;

	if (conf == NULL || --conf->refs > 0)
		return;
	free(conf->path);
	free(conf->state_dir);
	free(conf->socket);
	free(conf->socket_group);
	free(conf->web_listen);
	free(conf->web_root);
	free(conf->web_metrics_token_file);
	free(conf->web_tls_cert_file);
	free(conf->web_tls_key_file);
	if (conf->web_tls != NULL)
		config_tls->ctx_free(conf->web_tls);
	free(conf->plugin_dir);
	free(conf->timezone);
	for (i = 0; i < conf->rules.ntiers; i++)
		strlist_free(&conf->rules.tiers[i].notify);
	free(conf->rules.tiers);
	strlist_free(&conf->weekend);
	strlist_free(&conf->holidays);
	strlist_free(&conf->workdays);
	if (conf->calendar != NULL)
		calendar_free(conf->calendar);
	for (i = 0; i < conf->nshops; i++) {
		free(conf->shops[i].name);
		free(conf->shops[i].source);
		free(conf->shops[i].timezone);
		free(conf->shops[i].language);
		free(conf->shops[i].snapshot_url);
		if (conf->shops[i].calendar != NULL)
			calendar_free(conf->shops[i].calendar);
	}
	free(conf->shops);
	for (i = 0; i < conf->nplugins; i++) {
		free(conf->plugins[i].name);
		free(conf->plugins[i].module);
		strlist_free(&conf->plugins[i].events);
		/* The block as text may hold header tokens: wipe it. */
		freezero_str(conf->plugins[i].fingerprint);
	}
	free(conf->plugins);
	preflight_free(conf->preflight);
	points_free(conf->points);
	tro_free(conf->tro);
	if (conf->lc != NULL) {
		config_destroy(conf->lc);
		free(conf->lc);
	}
	free(conf);
}

/* --- points ---------------------------------------------------------------- */

/* The penalty-points settings: the file's points group over the defaults. */
void
config_points(const struct config *conf, struct points_config *out)
{
	if (conf->points != NULL)
		*out = conf->points->pc;
	else
		points_config_init(out);
}

/* s, kept until the configuration is freed. */
static const char *
points_keep(struct config_points *cp, char *s)
{
	cp->strings =
	    xreallocarray(cp->strings, cp->nstrings + 1, sizeof *cp->strings);
	cp->strings[cp->nstrings++] = s;
	return (s);
}

/* reasons = ( { reason = "ip_infringement"; ledger = "ip_serious"; points = 1; } ); */
static void
points_reasons(
    struct cctx *cc, struct config_points *cp, const config_setting_t *l)
{
	const config_setting_t *e;
	struct cp_reason r;
	size_t j;
	int i;

	if (!config_setting_is_list(l)) {
		cerr(cc, l,
		    "expected a list like ( { reason = \"ip_infringement\"; "
		    "ledger = \"ip_general\"; points = 2; } )");
		return;
	}
	for (i = 0; i < config_setting_length(l); i++) {
		e = config_setting_get_elem(l, i);
		memset(&r, 0, sizeof r);
		r.points = -1;
		if (cgroup(cc, e, cp_reason_keys, nitems(cp_reason_keys), &r,
			NULL, 0) == 0 &&
		    (r.reason == NULL || r.ledger == NULL || r.points < 0))
			cerr(cc, e, "a reason needs reason, ledger and points");
		if (r.reason == NULL || r.ledger == NULL || r.points < 0) {
			free(r.reason);
			free(r.ledger);
			continue;
		}
		for (j = 0; j < cp->nrules; j++) {
			if (strcmp(cp->rules[j].reason, r.reason) == 0)
				break;
		}
		if (j == cp->nrules) {
			cp->rules = xreallocarray(
			    cp->rules, cp->nrules + 1, sizeof *cp->rules);
			cp->nrules++;
		}
		cp->rules[j].reason = points_keep(cp, r.reason);
		cp->rules[j].ledger = strcmp(r.ledger, "none") == 0
		    ? NULL
		    : points_keep(cp, r.ledger);
		if (cp->rules[j].ledger == NULL)
			free(r.ledger);
		cp->rules[j].points = r.points;
	}
}

/* ledgers = ( { name = "trade"; thresholds = ( { at = 48; ... } ); } ); */
static void
points_ledgers(
    struct cctx *cc, struct config_points *cp, const config_setting_t *l)
{
	const config_setting_t *e, *t, *te;
	struct cp_ledger g;
	struct cp_node nd;
	struct points_ledger *pl;
	struct points_node *nodes;
	size_t j;
	int i, k;

	if (!config_setting_is_list(l)) {
		cerr(cc, l,
		    "expected a list like ( { name = \"listing_quality\"; "
		    "every = 12; } )");
		return;
	}
	for (i = 0; i < config_setting_length(l); i++) {
		e = config_setting_get_elem(l, i);
		memset(&g, 0, sizeof g);
		g.strikes = g.capped = -1;
		g.every = g.typical = -1;
		if (cgroup(cc, e, cp_ledger_keys, nitems(cp_ledger_keys), &g,
			cp_ledger_extra, nitems(cp_ledger_extra)) == -1 ||
		    g.name == NULL) {
			if (g.name == NULL && config_setting_is_group(e))
				cerr(cc, e, "a ledger needs a name");
			free(g.name);
			free(g.label);
			free(g.every_consequence);
			continue;
		}
		for (j = 0; j < cp->nledgers; j++) {
			if (strcmp(cp->ledgers[j].name, g.name) == 0)
				break;
		}
		if (j == cp->nledgers) {
			cp->ledgers = xreallocarray(
			    cp->ledgers, cp->nledgers + 1, sizeof *cp->ledgers);
			cp->nodes = xreallocarray(
			    cp->nodes, cp->nledgers + 1, sizeof *cp->nodes);
			memset(&cp->ledgers[j], 0, sizeof cp->ledgers[j]);
			cp->nodes[j] = NULL;
			cp->nledgers++;
			cp->ledgers[j].label = g.name;
			cp->ledgers[j].typical = 2;
		}
		pl = &cp->ledgers[j];
		pl->name = points_keep(cp, g.name);
		if (g.label != NULL)
			pl->label = points_keep(cp, g.label);
		if (g.strikes != -1)
			pl->strikes = g.strikes;
		if (g.capped != -1)
			pl->capped = g.capped;
		if (g.every != -1)
			pl->every = g.every;
		if (g.typical != -1)
			pl->typical = g.typical;
		if (g.every_consequence != NULL)
			pl->every_consequence =
			    points_keep(cp, g.every_consequence);
		if (pl->every > 0 && pl->every_consequence == NULL)
			pl->every_consequence = "account frozen";
		if ((t = config_setting_get_member(e, "thresholds")) == NULL)
			continue;
		if (!config_setting_is_list(t)) {
			cerr(cc, t,
			    "expected a list like ( { at = 48; consequence = "
			    "\"account closed\"; severe = true; } )");
			continue;
		}
		nodes = xcalloc(
		    (size_t)config_setting_length(t) + 1, sizeof *nodes);
		free(cp->nodes[j]);
		cp->nodes[j] = nodes;
		pl->nodes = nodes;
		pl->nnodes = 0;
		for (k = 0; k < config_setting_length(t); k++) {
			te = config_setting_get_elem(t, k);
			memset(&nd, 0, sizeof nd);
			if (cgroup(cc, te, cp_node_keys, nitems(cp_node_keys),
				&nd, NULL, 0) == -1 ||
			    nd.at == 0 || nd.consequence == NULL) {
				if (config_setting_is_group(te) &&
				    (nd.at == 0 || nd.consequence == NULL))
					cerr(cc, te,
					    "a threshold needs at and "
					    "consequence");
				free(nd.consequence);
				continue;
			}
			nodes[pl->nnodes].at = nd.at;
			nodes[pl->nnodes].consequence =
			    points_keep(cp, nd.consequence);
			nodes[pl->nnodes++].severe = nd.severe;
		}
	}
}

static void
parse_points(struct cctx *cc, struct config *conf, const config_setting_t *g)
{
	struct config_points *cp;
	const config_setting_t *s;
	size_t errors = cc->nerrors;
	char *cause = NULL;

	cp = xcalloc(1, sizeof *cp);
	conf->points = cp;
	points_config_init(&cp->pc);
	cp->expiry = cp->pc.expiry;
	cp->margin = cp->pc.margin;
	cp->cap = cp->pc.cap;
	cp->merge = cp->pc.merge;
	/* Copies of the defaults, so that a row given replaces its own. */
	cp->rules = xcalloc(cp->pc.nrules + 1, sizeof *cp->rules);
	memcpy(cp->rules, cp->pc.rules, cp->pc.nrules * sizeof *cp->rules);
	cp->nrules = cp->pc.nrules;
	cp->ledgers = xcalloc(cp->pc.nledgers + 1, sizeof *cp->ledgers);
	memcpy(
	    cp->ledgers, cp->pc.ledgers, cp->pc.nledgers * sizeof *cp->ledgers);
	cp->nledgers = cp->pc.nledgers;
	cp->nodes = xcalloc(cp->nledgers + 1, sizeof *cp->nodes);
	if (cgroup(cc, g, points_keys, nitems(points_keys), cp, points_extra,
		nitems(points_extra)) == -1 &&
	    !config_setting_is_group(g))
		return;
	if ((s = config_setting_get_member(g, "reasons")) != NULL)
		points_reasons(cc, cp, s);
	if ((s = config_setting_get_member(g, "ledgers")) != NULL)
		points_ledgers(cc, cp, s);
	if (cc->nerrors > errors)
		return;
	cp->pc.expiry = cp->expiry;
	cp->pc.margin = cp->margin;
	cp->pc.cap = cp->cap;
	cp->pc.merge = cp->merge;
	cp->pc.rules = cp->rules;
	cp->pc.nrules = cp->nrules;
	cp->pc.ledgers = cp->ledgers;
	cp->pc.nledgers = cp->nledgers;
	if (points_config_check(&cp->pc, &cause) == -1) {
		cerr(cc, g, "%s", cause ? cause : "invalid");
		free(cause);
	}
}

static void
points_free(struct config_points *cp)
{
	size_t i;

	if (cp == NULL)
		return;
	for (i = 0; i < cp->nstrings; i++)
		free(cp->strings[i]);
	free(cp->strings);
	for (i = 0; i < cp->nledgers; i++)
		free(cp->nodes[i]);
	free(cp->nodes);
	free(cp->rules);
	free(cp->ledgers);
	free(cp);
}

/* --- tro --------------------------------------------------------------------- */

/* The tro group, or the defaults when g is NULL (always set). */
static void
parse_tro(struct cctx *cc, struct config *conf, const config_setting_t *g)
{
	static const int64_t def[] = { 7, 3, 1 };
	static const char *const weekend[] = { "sat", "sun" };
	struct config_tro *t;
	const config_setting_t *l, *e;
	char *cause = NULL;
	int64_t v;
	int i;

	t = xcalloc(1, sizeof *t);
	conf->tro = t;
	t->answer_days = 21;
	t->tro_days = 14;
	memcpy(t->reminder_days, def, sizeof def);
	t->nreminders = nitems(def);
	if (g != NULL) {
		cgroup(cc, g, tro_keys, nitems(tro_keys), t, tro_extra,
		    nitems(tro_extra));
		if (config_setting_is_group(g) &&
		    (l = config_setting_get_member(g, "reminder_days")) !=
			NULL) {
			if (!config_setting_is_array(l) &&
			    !config_setting_is_list(l))
				cerr(cc, l, "expected a list like [ 7, 3, 1 ]");
			else if (config_setting_length(l) > TRO_MAX_REMINDERS)
				cerr(cc, l,
				    "has %d entries, at most %d allowed",
				    config_setting_length(l),
				    TRO_MAX_REMINDERS);
			else {
				t->nreminders = 0;
				for (i = 0; i < config_setting_length(l); i++) {
					e = config_setting_get_elem(l, i);
					if (config_setting_type(e) !=
					    CONFIG_TYPE_INT) {
						cerr(cc, e,
						    "expected a number of days "
						    "like 7");
						continue;
					}
					v = config_setting_get_int(e);
					if (v < 1 || v > 365 ||
					    (t->nreminders > 0 &&
						v >= t->reminder_days
							 [t->nreminders - 1])) {
						cerr(cc, e,
						    "must be 1 to 365 days, "
						    "each fewer than the one "
						    "before");
						continue;
					}
					t->reminder_days[t->nreminders++] = v;
				}
			}
		}
	}
	if (t->timezone == NULL)
		t->timezone = xstrdup("America/Chicago");
	if ((t->cal = calendar_new(t->timezone, &cause)) == NULL) {
		cerr(cc,
		    g != NULL ? g : config_root_setting((config_t *)conf->lc),
		    "tro timezone: %s", cause ? cause : "unknown zone");
		free(cause);
		return;
	}
	if (calendar_set_weekend(t->cal, weekend, nitems(weekend), &cause) ==
	    -1) {
		free(cause);
		cause = NULL;
	}
}

static void
tro_free(struct config_tro *t)
{
	if (t == NULL)
		return;
	free(t->timezone);
	if (t->cal != NULL)
		calendar_free(t->cal);
	free(t);
}

/* The TRO settings: the court's calendar, the FRCP days, the reminders. */
const struct calendar *
config_tro(const struct config *conf, int64_t *answer_days, int64_t *tro_days,
    const int64_t **reminders, size_t *nreminders)
{
	const struct config_tro *t = conf->tro;

	*answer_days = t->answer_days;
	*tro_days = t->tro_days;
	*reminders = t->reminder_days;
	*nreminders = t->nreminders;
	return (t->cal);
}

/*
 * delistd -T: the effective configuration as a file delistd -t accepts,
 * every default filled in. Secrets are never printed: a *_file key shows
 * its path (the file is never read) marked "<file PATH>", a header's value
 * shows as <secret>.
 */
static void dump_string(FILE *, const char *);
static void dump_key(FILE *, int, const struct ckey *, const void *);
static void dump_keys(FILE *, int, const struct ckey *, size_t, const void *);
static void dump_setting(FILE *, int, const config_setting_t *, int);
static void dump_rest(FILE *, int, const config_setting_t *,
    const struct ckey *, size_t, const char *const *, size_t);
static int dump_is_secret_file(const char *);
static void dump_indent(FILE *, int);
static int dump_budget_key(
    const struct config *, const struct config_plugin *, const struct ckey *);
static void dump_points(FILE *, const struct config *);
static void dump_tro(FILE *, const struct config *);
static void dump_list_end(FILE *, int, size_t, size_t);

/*
 * A source's call budget (rate, burst, daily_quota, max_in_flight) only for
 * an instance a shop reads from, or where written: a sink has none.
 */
static int
dump_budget_key(const struct config *conf, const struct config_plugin *pl,
    const struct ckey *k)
{
	static const char *const budget[] = { "rate", "burst", "daily_quota",
		"max_in_flight" };
	size_t i;
	int is_budget = 0;

	for (i = 0; i < nitems(budget); i++)
		is_budget |= strcmp(k->name, budget[i]) == 0;
	if (!is_budget ||
	    config_setting_get_member(pl->setting, k->name) != NULL)
		return (1);
	for (i = 0; i < conf->nshops; i++) {
		if (conf->shops[i].source != NULL &&
		    strcmp(conf->shops[i].source, pl->name) == 0)
			return (1);
	}
	return (0);
}

/* The end of item i of n in a list at depth ind: "}," or "}". */
static void
dump_list_end(FILE *fp, int ind, size_t i, size_t n)
{
	dump_indent(fp, ind);
	fprintf(fp, "}%s\n", i + 1 < n ? "," : "");
}

/*
 * The penalty points in effect (the defaults of points.c when the file has
 * no points group): every reason's row and every ledger with its
 * thresholds, as parse_points reads them back.
 */
static void
dump_points(FILE *fp, const struct config *conf)
{
	struct points_config pc;
	struct config_points cp;
	struct cp_reason r;
	struct cp_ledger g;
	struct cp_node nd;
	const struct points_ledger *l;
	size_t i, k;

	config_points(conf, &pc);
	memset(&cp, 0, sizeof cp);
	cp.expiry = pc.expiry;
	cp.margin = pc.margin;
	cp.cap = pc.cap;
	cp.merge = pc.merge;
	fputs("points = {\n", fp);
	dump_keys(fp, 1, points_keys, nitems(points_keys), &cp);
	fputs("\treasons = (\n", fp);
	for (i = 0; i < pc.nrules; i++) {
		/* A reason that records nothing: ledger "none". */
		r.reason = (char *)pc.rules[i].reason;
		r.ledger =
		    (char *)(pc.rules[i].ledger != NULL ? pc.rules[i].ledger
							: "none");
		r.points = pc.rules[i].points;
		fputs("\t\t{\n", fp);
		dump_keys(fp, 3, cp_reason_keys, nitems(cp_reason_keys), &r);
		dump_list_end(fp, 2, i, pc.nrules);
	}
	fputs("\t);\n\tledgers = (\n", fp);
	for (i = 0; i < pc.nledgers; i++) {
		l = &pc.ledgers[i];
		g.name = (char *)l->name;
		g.label = (char *)l->label;
		g.strikes = l->strikes;
		g.capped = l->capped;
		g.every = l->every;
		g.typical = l->typical;
		g.every_consequence = (char *)l->every_consequence;
		fputs("\t\t{\n", fp);
		dump_keys(fp, 3, cp_ledger_keys, nitems(cp_ledger_keys), &g);
		fputs(l->nnodes > 0 ? "\t\t\tthresholds = (\n"
				    : "\t\t\tthresholds = ( );\n",
		    fp);
		for (k = 0; k < l->nnodes; k++) {
			nd.at = l->nodes[k].at;
			nd.consequence = (char *)l->nodes[k].consequence;
			nd.severe = l->nodes[k].severe;
			fputs("\t\t\t\t{\n", fp);
			dump_keys(
			    fp, 5, cp_node_keys, nitems(cp_node_keys), &nd);
			dump_list_end(fp, 4, k, l->nnodes);
		}
		if (l->nnodes > 0)
			fputs("\t\t\t);\n", fp);
		dump_list_end(fp, 2, i, pc.nledgers);
	}
	fputs("\t);\n};\n", fp);
}

/* The TRO settings in effect: the court's zone, the days, the reminders. */
static void
dump_tro(FILE *fp, const struct config *conf)
{
	const struct config_tro *t = conf->tro;
	size_t i;

	if (t == NULL)
		return;
	fputs("tro = {\n", fp);
	dump_keys(fp, 1, tro_keys, nitems(tro_keys), t);
	fputs("\treminder_days = [", fp);
	for (i = 0; i < t->nreminders; i++)
		fprintf(fp, "%s%lld", i ? ", " : " ",
		    (long long)t->reminder_days[i]);
	fputs(t->nreminders ? " ];\n};\n" : "];\n};\n", fp);
}

static void
dump_indent(FILE *fp, int depth)
{
	while (depth-- > 0)
		fputc('\t', fp);
}

static void
dump_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(fp, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(fp, "\\x%02x", (unsigned char)*s);
		else
			fputc(*s, fp);
	}
	fputc('"', fp);
}

static int
dump_is_secret_file(const char *name)
{
	size_t len = strlen(name);

	/* As parse_plugins: every *_file is a secret, a CA bundle is not. */
	return (len > 5 && strcmp(name + len - 5, "_file") == 0 &&
	    strcmp(name, "ca_file") != 0);
}

static void
dump_key(FILE *fp, int ind, const struct ckey *k, const void *base)
{
	const char *p = (const char *)base + k->off;
	const struct strlist *sl;
	char buf[32];
	int64_t v;
	size_t i;

	switch (k->kind) {
	case CK_STRING:
	case CK_NAME:
	case CK_PATH:
	case CK_URL:
		if (*(char *const *)p == NULL)
			return;
		dump_indent(fp, ind);
		fprintf(fp, "%s = ", k->name);
		dump_string(fp, *(char *const *)p);
		if (dump_is_secret_file(k->name))
			fprintf(fp, "; # <file %s>\n", *(char *const *)p);
		else
			fputs(";\n", fp);
		return;
	default:
		break;
	}
	dump_indent(fp, ind);
	fprintf(fp, "%s = ", k->name);
	switch (k->kind) {
	case CK_DURATION:
		fprintf(fp, "\"%s\"",
		    duration_format(*(const int64_t *)p, buf, sizeof buf));
		break;
	case CK_SIZE:
		v = *(const int64_t *)p;
		if (v % ((int64_t)1 << 20) == 0)
			fprintf(fp, "\"%lldM\"", (long long)(v >> 20));
		else if (v % 1024 == 0)
			fprintf(fp, "\"%lldK\"", (long long)(v >> 10));
		else
			fprintf(fp, "\"%lld\"", (long long)v);
		break;
	case CK_INT:
		fprintf(fp, "%lld", (long long)*(const int64_t *)p);
		break;
	case CK_FLOAT:
		fprintf(fp, "%.6f", *(const double *)p);
		break;
	case CK_BOOL:
		fputs(*(const int *)p ? "true" : "false", fp);
		break;
	case CK_LOGLEVEL:
		fprintf(
		    fp, "\"%s\"", log_level_name(*(const enum log_level *)p));
		break;
	case CK_SEVERITY:
		fprintf(fp, "\"%s\"", cases_severity_name(*(const int *)p));
		break;
	case CK_STRLIST:
		sl = (const struct strlist *)p;
		fputc('[', fp);
		for (i = 0; i < sl->n; i++) {
			fputs(i ? ", " : " ", fp);
			dump_string(fp, sl->v[i]);
		}
		fputs(sl->n ? " ]" : "]", fp);
		break;
	default:
		break;
	}
	fputs(";\n", fp);
}

static void
dump_keys(
    FILE *fp, int ind, const struct ckey *keys, size_t nkeys, const void *base)
{
	size_t i;

	for (i = 0; i < nkeys; i++)
		dump_key(fp, ind, &keys[i], base);
}

/* A setting as written (not in a key table), secrets masked. */
static void
dump_setting(FILE *fp, int ind, const config_setting_t *s, int headers)
{
	const char *name = config_setting_name(s), *v, *colon;
	int i, n, type = config_setting_type(s);

	dump_indent(fp, ind);
	if (name != NULL)
		fprintf(fp, "%s = ", name);
	switch (type) {
	case CONFIG_TYPE_GROUP:
	case CONFIG_TYPE_LIST:
	case CONFIG_TYPE_ARRAY:
		fputs(type == CONFIG_TYPE_GROUP	   ? "{\n"
			: type == CONFIG_TYPE_LIST ? "(\n"
						   : "[\n",
		    fp);
		n = config_setting_length(s);
		for (i = 0; i < n; i++) {
			dump_setting(fp, ind + 1, config_setting_get_elem(s, i),
			    name != NULL && strcmp(name, "headers") == 0);
			if (type != CONFIG_TYPE_GROUP && i + 1 < n)
				fputs(",", fp);
			fputs("\n", fp);
		}
		dump_indent(fp, ind);
		fprintf(fp, "%s",
		    type == CONFIG_TYPE_GROUP	   ? "}"
			: type == CONFIG_TYPE_LIST ? ")"
						   : "]");
		break;
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		fprintf(fp, "%lld", (long long)config_setting_get_int64(s));
		break;
	case CONFIG_TYPE_FLOAT:
		fprintf(fp, "%.6f", config_setting_get_float(s));
		break;
	case CONFIG_TYPE_BOOL:
		fputs(config_setting_get_bool(s) ? "true" : "false", fp);
		break;
	case CONFIG_TYPE_STRING:
		v = config_setting_get_string(s);
		if (headers && (colon = strchr(v, ':')) != NULL) {
			/* "Name: value": the value may be a token. */
			fprintf(fp, "\"%.*s: <secret>\"", (int)(colon - v), v);
			break;
		}
		dump_string(fp, v);
		if (name != NULL && dump_is_secret_file(name)) {
			fprintf(fp, "; # <file %s>", v);
			return;
		}
		break;
	}
	if (name != NULL)
		fputs(";", fp);
}

/* The members of group g that no key table (nor skip list) covers. */
static void
dump_rest(FILE *fp, int ind, const config_setting_t *g, const struct ckey *keys,
    size_t nkeys, const char *const *skip, size_t nskip)
{
	const config_setting_t *s;
	const char *name;
	size_t j;
	int i, known;

	if (g == NULL)
		return;
	for (i = 0; i < config_setting_length(g); i++) {
		s = config_setting_get_elem(g, i);
		name = config_setting_name(s);
		known = 0;
		for (j = 0; j < nkeys; j++)
			known |= strcmp(name, keys[j].name) == 0;
		for (j = 0; j < nskip; j++)
			known |= strcmp(name, skip[j]) == 0;
		if (known)
			continue;
		dump_setting(fp, ind, s, 0);
		fputs("\n", fp);
	}
}

void
config_dump(const struct config *conf, FILE *fp)
{
	const config_setting_t *root, *g;
	const struct config_shop *shop;
	const struct config_plugin *pl;
	struct config_shop eff;
	size_t i, k;

	root = config_root_setting((config_t *)conf->lc);
	fprintf(fp,
	    "# delistd -T: the effective configuration of %s, defaults\n"
	    "# filled in; secrets never printed (<file PATH>, <secret>).\n",
	    conf->path);
	fputs("daemon = {\n", fp);
	dump_keys(fp, 1, daemon_keys, nitems(daemon_keys), conf);
	fputs("};\n", fp);
	if (conf->web_listen != NULL) {
		fputs("web = {\n", fp);
		dump_keys(fp, 1, web_keys, nitems(web_keys), conf);
		fputs("};\n", fp);
	}
	fputs("calendar = {\n", fp);
	dump_keys(fp, 1, calendar_keys, nitems(calendar_keys), conf);
	dump_rest(fp, 1, config_setting_get_member(root, "calendar"),
	    calendar_keys, nitems(calendar_keys), NULL, 0);
	fputs("};\nrules = {\n", fp);
	g = config_setting_get_member(root, "rules");
	for (i = 0; i < nitems(rules_keys); i++) {
		/* Tiers or their shorthand, not both. */
		if (g != NULL &&
		    config_setting_get_member(g, "escalation") != NULL &&
		    strcmp(rules_keys[i].name,
			"escalate_after_business_days") == 0)
			continue;
		dump_key(fp, 1, &rules_keys[i], conf);
	}
	dump_rest(fp, 1, g, rules_keys, nitems(rules_keys), NULL, 0);
	fputs("};\n", fp);
	if (conf->nshops > 0) {
		fputs("shops = (\n", fp);
		for (i = 0; i < conf->nshops; i++) {
			shop = &conf->shops[i];
			/* No zone of its own: the daemon's, in effect. */
			eff = *shop;
			if (eff.timezone == NULL)
				eff.timezone = conf->timezone;
			fputs("\t{\n", fp);
			dump_keys(fp, 2, shop_keys, nitems(shop_keys), &eff);
			fprintf(fp, "\t\tdigest_at = \"%02d:%02d\";\n",
			    (int)(shop->digest_at / 3600),
			    (int)(shop->digest_at % 3600 / 60));
			fprintf(fp, "\t}%s\n", i + 1 < conf->nshops ? "," : "");
		}
		fputs(");\n", fp);
	}
	if (conf->nplugins > 0) {
		fputs("plugins = (\n", fp);
		for (i = 0; i < conf->nplugins; i++) {
			pl = &conf->plugins[i];
			fputs("\t{\n", fp);
			for (k = 0; k < nitems(plugin_keys); k++) {
				if (dump_budget_key(conf, pl, &plugin_keys[k]))
					dump_key(fp, 2, &plugin_keys[k], pl);
			}
			dump_rest(fp, 2, pl->setting, plugin_keys,
			    nitems(plugin_keys), NULL, 0);
			fprintf(
			    fp, "\t}%s\n", i + 1 < conf->nplugins ? "," : "");
		}
		fputs(");\n", fp);
	}
	if ((g = config_setting_get_member(root, "preflight")) != NULL) {
		dump_setting(fp, 0, g, 0);
		fputs("\n", fp);
	}
	dump_points(fp, conf);
	dump_tro(fp, conf);
}

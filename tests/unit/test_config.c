/* SPDX-License-Identifier: ISC */
/*
 * test_config.c: delistd.conf as an admin writes it, and every way it can
 * be wrong. Each error must name file:line and the key.
 */

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "delistd.h"
#include "preflight.h"
#include "cases.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/dlcfg.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return (-1);
	return (0);
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return (system(cmd) == 0 ? 0 : -1);
}

static char *
write_file(const char *name, const char *text, mode_t mode)
{
	char *path;
	FILE *f;

	xasprintf(&path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return (path);
}

/* Writes conf text (with @STATE@ replaced by a state dir) and loads it. */
static struct config *
load(const char *text, char **cause)
{
	char *path, *body, *state, *p;
	const char *at;
	size_t n;
	struct config *conf;

	xasprintf(&state, "%s/state", dir);
	body = xcalloc(1, strlen(text) * 2 + 256);
	for (p = body, at = text; *at != '\0';) {
		if (strncmp(at, "@STATE@", 7) == 0) {
			n = strlen(state);
			memcpy(p, state, n);
			p += n;
			at += 7;
		} else
			*p++ = *at++;
	}
	path = write_file("delistd.conf", body, 0644);
	*cause = NULL;
	conf = config_load(path, cause);
	free(path);
	free(body);
	free(state);
	return (conf);
}

/* Loading must fail, and the error must contain every one of the needles. */
static void
refused(const char *text, ...)
{
	struct config *conf;
	char *cause;
	const char *needle;
	va_list ap;

	conf = load(text, &cause);
	if (conf != NULL) {
		config_free(conf);
		fail_msg("accepted:\n%s", text);
	}
	assert_non_null(cause);
	va_start(ap, text);
	while ((needle = va_arg(ap, const char *)) != NULL) {
		if (strstr(cause, needle) == NULL)
			fail_msg("error lacks \"%s\":\n%s", needle, cause);
	}
	va_end(ap);
	free(cause);
}

static void
test_minimal_config_gets_defaults(void **state)
{
	struct config *conf;
	char *cause, *sock;

	(void)state;
	conf = load("daemon: { state_dir = \"@STATE@\"; };\n", &cause);
	assert_non_null(conf);
	xasprintf(&sock, "%s/state/delistd.sock", dir);
	assert_string_equal(conf->socket, sock);
	assert_string_equal(conf->timezone, "Asia/Shanghai");
	assert_int_equal(conf->rules.feedback_after, 72 * 3600);
	assert_int_equal(conf->rules.escalate_after_business_days, 5);
	assert_int_equal(conf->rules.max_appeals, 3);
	assert_int_equal(conf->rules.stall_after, 3 * 86400);
	assert_int_equal(conf->rules.repeat_interval, 86400);
	/* The shorthand's single critical tier. */
	assert_int_equal(conf->rules.ntiers, 1);
	assert_int_equal(conf->rules.tiers[0].after_business_days, 5);
	assert_int_equal(conf->rules.tiers[0].severity, CASES_SEV_CRITICAL);
	assert_int_equal(conf->rules.tiers[0].notify.n, 0);
	assert_int_equal(conf->log_level, LOG_LEVEL_INFO);
	assert_int_equal(conf->weekend.n, 2);
	assert_non_null(conf->calendar);
	free(sock);
	config_free(conf);
}

static void
test_full_config_is_read(void **state)
{
	struct config *conf;
	char *cause, *secret, *text;

	(void)state;
	secret = write_file("erp.secret", "s3cret\n", 0600);
	xasprintf(&text,
	    "daemon: { state_dir = \"@STATE@\"; log_level = \"debug\";\n"
	    "  timezone = \"Europe/Berlin\"; shutdown_timeout = \"30s\";\n"
	    "  max_clients = 8; client_timeout = \"1m\"; };\n"
	    "calendar: { weekend = [\"fri\", \"sat\"];\n"
	    "  holidays = [\"2026-10-01\", \"2026-10-02\"];\n"
	    "  workdays = [\"2026-10-10\"]; };\n"
	    "rules: { feedback_after = \"48h\"; "
	    "escalate_after_business_days = 7;\n"
	    "  max_appeals = 2; stall_after = \"5d\"; };\n"
	    "shops = ( { name = \"main\"; source = \"ae\"; "
	    "sweep_interval = \"10m\";\n"
	    "  confirm_checks = 3; timezone = \"America/New_York\"; } );\n"
	    "plugins = ( { name = \"ae\"; module = \"aliexpress\"; "
	    "app_key = \"k\"; },\n"
	    "  { name = \"erp\"; module = \"webhook\"; secret_file = \"%s\"; "
	    "} );\n",
	    secret);
	conf = load(text, &cause);
	if (conf == NULL)
		fail_msg("%s", cause);
	assert_int_equal(conf->log_level, LOG_LEVEL_DEBUG);
	assert_string_equal(conf->timezone, "Europe/Berlin");
	assert_int_equal(conf->shutdown_timeout, 30);
	assert_int_equal(conf->max_clients, 8);
	assert_int_equal(conf->client_timeout, 60);
	assert_int_equal(conf->holidays.n, 2);
	assert_int_equal(conf->workdays.n, 1);
	assert_int_equal(conf->rules.feedback_after, 48 * 3600);
	assert_int_equal(conf->rules.escalate_after_business_days, 7);
	assert_int_equal(conf->rules.max_appeals, 2);
	assert_int_equal(conf->nshops, 1);
	assert_string_equal(conf->shops[0].name, "main");
	assert_int_equal(conf->shops[0].sweep_interval, 600);
	assert_int_equal(conf->shops[0].recheck_interval, 1800);
	assert_int_equal(conf->shops[0].confirm_checks, 3);
	assert_int_equal(conf->nplugins, 2);
	assert_string_equal(conf->plugins[1].module, "webhook");
	config_free(conf);
	free(text);
	free(secret);
}

static void
test_missing_file(void **state)
{
	char *cause = NULL, *path;

	(void)state;
	xasprintf(&path, "%s/nope.conf", dir);
	assert_null(config_load(path, &cause));
	assert_non_null(strstr(cause, "nope.conf: cannot read: No such file"));
	free(cause);
	free(path);
}

static void
test_syntax_error_names_line(void **state)
{
	(void)state;
	refused("daemon: {\n  state_dir = \"@STATE@\"\n  log_level = 1;\n};\n",
	    "delistd.conf:3: ", NULL);
}

static void
test_unknown_key_names_line_and_key(void **state)
{
	(void)state;
	refused(
	    "daemon: {\n  state_dir = \"@STATE@\";\n  stat_dir = \"x\";\n};\n",
	    "delistd.conf:3: daemon.stat_dir: unknown key", "state_dir", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\nrule: { };\n",
	    "delistd.conf:2: rule: unknown section", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"shops = ( { name = \"a\";\n  sweep = \"1m\"; } );\n",
	    "delistd.conf:3: shops[0].sweep: unknown key", NULL);
}

static void
test_wrong_types(void **state)
{
	(void)state;
	refused("daemon: { state_dir = 5; };\n",
	    "delistd.conf:1: daemon.state_dir: expected a path string", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"rules: { max_appeals = \"3\"; };\n",
	    "delistd.conf:2: rules.max_appeals: expected an integer", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"rules: { feedback_after = 72; };\n",
	    "delistd.conf:2: rules.feedback_after: expected a duration", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"calendar: { holidays = \"2026-10-01\"; };\n",
	    "delistd.conf:2: calendar.holidays: expected a list", NULL);
	refused(
	    "daemon = 1;\n", "delistd.conf:1: daemon: expected a group", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\nshops = { };\n",
	    "delistd.conf:2: shops: expected a list", NULL);
}

static void
test_bad_durations(void **state)
{
	(void)state;
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"rules: { stall_after = \"5x\"; };\n",
	    "delistd.conf:2: rules.stall_after: bad duration \"5x\"", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"rules: { stall_after = \"-1h\"; };\n",
	    "delistd.conf:2: rules.stall_after: bad duration \"-1h\"", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"rules: { stall_after = \"99999999999999999999d\"; };\n",
	    "delistd.conf:2: rules.stall_after:", "longer than ten years",
	    NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"rules: { feedback_after = \"10m\"; };\n",
	    "delistd.conf:2: rules.feedback_after: \"10m\" is out of range",
	    NULL);
}

static void
test_integers_are_range_checked_not_truncated(void **state)
{
	(void)state;
	/* Out of int32 range: libconfig's int lookup would say 0. */
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"rules: { max_appeals = 4294967299; };\n",
	    "delistd.conf:2: rules.max_appeals: 4294967299 is out of range",
	    NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"rules: { max_appeals = 0; };\n",
	    "rules.max_appeals: 0 is out of range (1 to 20)", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"shops = ( { name = \"m\"; confirm_checks = 11; } );\n",
	    "delistd.conf:2: shops[0].confirm_checks: 11 is out of range",
	    NULL);
}

static void
test_bad_values(void **state)
{
	(void)state;
	refused("daemon: { state_dir = \"@STATE@\"; log_level = \"loud\"; };\n",
	    "daemon.log_level: unknown log level \"loud\"", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; timezone = \"Mars/Base\"; "
		"};\n",
	    "delistd.conf:1: daemon.timezone:", "Mars/Base", NULL);
	refused(
	    "daemon: { state_dir = \"@STATE@\"; };\n"
	    "calendar: {\n  holidays = [\"2026-10-01\",\n  \"2026-02-30\"]; "
	    "};\n",
	    "delistd.conf:4: calendar.holidays[1]:", "2026-02-30", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"calendar: { weekend = [\"sat\", \"sunday\"]; };\n",
	    "delistd.conf:2: calendar.weekend", "sunday", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; socket_group = "
		"\"no-such-group-x\"; };\n",
	    "socket_group \"no-such-group-x\" does not exist", NULL);
}

static void
test_state_dir_problems(void **state)
{
	char *file;

	(void)state;
	refused("daemon: { state_dir = \"/nonexistent-dl/sub/state\"; };\n",
	    "delistd.conf:1: daemon.state_dir:",
	    "parent /nonexistent-dl/sub "
	    "does not exist",
	    NULL);
	char text[256];

	file = write_file("plainfile", "x", 0600);
	snprintf(text, sizeof text, "daemon: { state_dir = \"%s\"; };\n", file);
	refused(text, "daemon.state_dir:", "is not a directory", NULL);
	free(file);
}

static void
test_socket_path_too_long(void **state)
{
	char text[512], longp[200];

	(void)state;
	memset(longp, 'a', 150);
	longp[150] = '\0';
	snprintf(text, sizeof text,
	    "daemon: { state_dir = \"@STATE@\";\n  socket = \"/tmp/%s.sock\"; "
	    "};\n",
	    longp);
	refused(text,
	    "delistd.conf:2: daemon.socket:", "must be shorter than 108", NULL);
}

static void
test_secret_files(void **state)
{
	char text[512], *p;

	(void)state;
	snprintf(text, sizeof text,
	    "daemon: { state_dir = \"@STATE@\"; };\n"
	    "plugins = ( { name = \"erp\"; module = \"webhook\";\n"
	    "  secret_file = \"%s/missing.secret\"; } );\n",
	    dir);
	refused(text, "delistd.conf:3: plugins[0].secret_file:",
	    "missing.secret: No such file", NULL);

	p = write_file("open.secret", "s3cret", 0644);
	snprintf(text, sizeof text,
	    "daemon: { state_dir = \"@STATE@\"; };\n"
	    "plugins = ( { name = \"erp\"; module = \"webhook\";\n"
	    "  secret_file = \"%s\"; } );\n",
	    p);
	refused(text, "delistd.conf:3: plugins[0].secret_file:",
	    "accessible by group or others (mode 0644)", NULL);
	free(p);
	p = write_file("group.secret", "s3cret", 0640);
	snprintf(text, sizeof text,
	    "daemon: { state_dir = \"@STATE@\"; };\n"
	    "plugins = ( { name = \"erp\"; module = \"webhook\";\n"
	    "  secret_file = \"%s\"; } );\n",
	    p);
	refused(text, "mode 0640", NULL);
	free(p);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"plugins = ( { name = \"erp\"; module = \"webhook\";\n"
		"  secret_file = \"sub/relative.secret\"; } );\n",
	    "give an absolute path", NULL);
	/* A bare name is a systemd credential: none without LoadCredential=. */
	unsetenv("CREDENTIALS_DIRECTORY");
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"plugins = ( { name = \"erp\"; module = \"webhook\";\n"
		"  secret_file = \"erp.secret\"; } );\n",
	    "$CREDENTIALS_DIRECTORY is not set", NULL);
}

static void
test_names_and_duplicates(void **state)
{
	(void)state;
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"shops = ( { name = \"main\"; },\n  { name = \"main\"; } );\n",
	    "delistd.conf:3: shops[1]: shop \"main\" is defined twice "
	    "(first on line 2)",
	    NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"plugins = ( { name = \"x\"; module = \"../evil\"; } );\n",
	    "plugins[0].module: \"../evil\" is not a valid name", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"plugins = ( { name = \"x\"; } );\n",
	    "delistd.conf:2: plugins[0]: a plugin needs a name and a module",
	    NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"shops = ( { name = \"main\"; source = \"ae\"; } );\n",
	    "source \"ae\" is not a configured plugin instance", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"shops = ( { source = \"x\"; } );\n",
	    "a shop needs a name", NULL);
}

static void
test_all_errors_reported_at_once(void **state)
{
	(void)state;
	refused(
	    "daemon: {\n  state_dir = \"@STATE@\";\n  bogus = 1;\n};\n"
	    "rules: {\n  max_appeals = 99;\n  stall_after = \"soon\";\n};\n",
	    "delistd.conf:3: daemon.bogus", "delistd.conf:6: rules.max_appeals",
	    "delistd.conf:7: rules.stall_after", NULL);
}

static void
test_include_relative_to_main_file(void **state)
{
	struct config *conf;
	char *cause, *inc;

	(void)state;
	inc = write_file("rules.inc", "rules: { max_appeals = 2; };\n", 0644);
	conf = load("daemon: { state_dir = \"@STATE@\"; };\n"
		    "@include \"rules.inc\"\n",
	    &cause);
	if (conf == NULL)
		fail_msg("%s", cause);
	assert_int_equal(conf->rules.max_appeals, 2);
	config_free(conf);
	free(inc);
	/* An error inside the included file names that file. */
	inc = write_file("bad.inc", "\nrules: { max_appeals = 0; };\n", 0644);
	refused("daemon: { state_dir = \"@STATE@\"; };\n@include \"bad.inc\"\n",
	    "bad.inc:2: rules.max_appeals", NULL);
	free(inc);
	refused(
	    "daemon: { state_dir = \"@STATE@\"; };\n@include \"none.inc\"\n",
	    "delistd.conf:2:", NULL);
}

static void
test_builtin_config_is_valid(void **state)
{
	struct config *conf;
	char *cause = NULL, cwd[512], *want;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(dir), 0);
	conf = config_load_string("(built-in)", config_builtin, &cause);
	if (conf == NULL)
		fail_msg("%s", cause);
	xasprintf(&want, "%s/state", dir);
	assert_string_equal(conf->state_dir, want);
	free(want);
	config_free(conf);
	assert_int_equal(chdir(cwd), 0);
}

static void
test_preflight_defaults(void **state)
{
	struct preflight_config got, want;
	struct config *conf;
	char *cause;

	(void)state;
	conf = load("daemon: { state_dir = \"@STATE@\"; };\n"
		    "rules: { escalate_after_business_days = 7; };\n",
	    &cause);
	if (conf == NULL)
		fail_msg("%s", cause);
	config_preflight(conf, &got);
	preflight_config_init(&want);
	assert_int_equal(got.ntemplates, want.ntemplates);
	assert_int_equal(got.nbanned, want.nbanned);
	assert_int_equal(got.nkinds, want.nkinds);
	assert_int_equal(got.min_words, PREFLIGHT_MIN_WORDS_DEFAULT);
	assert_true(got.similarity == PREFLIGHT_SIMILARITY_DEFAULT);
	assert_int_equal(got.nbrands, 0);
	/* the review window is the escalation's */
	assert_int_equal(got.review_days, 7);
	config_free(conf);
}

static void
test_preflight_settings_are_read(void **state)
{
	struct preflight_config got;
	struct config *conf;
	char *cause;
	size_t i;
	int found_invoice = 0, found_court = 0;

	(void)state;
	conf = load("daemon: { state_dir = \"@STATE@\"; };\n"
		    "preflight: {\n"
		    "  template_phrases = [ \"we beg you\" ];\n"
		    "  min_words = 0;\n"
		    "  similarity_threshold = 1;\n"
		    "  shingle_words = 3;\n"
		    "  field_words = [];\n"
		    "  banned_terms = [ \"forbidden\", \"禁止\" ];\n"
		    "  brands = ( { name = \"Nike\"; authorized = true; },"
		    " \"Acme\" );\n"
		    "  material_keywords = { invoice = [ \"proof\" ];"
		    " court_papers = []; };\n"
		    "  min_image_short_side = 100;\n"
		    "  min_image_long_side = 200;\n"
		    "};\n",
	    &cause);
	if (conf == NULL)
		fail_msg("%s", cause);
	config_preflight(conf, &got);
	assert_int_equal(got.ntemplates, 1);
	assert_string_equal(got.templates[0], "we beg you");
	assert_int_equal(got.min_words, 0);
	assert_true(got.similarity == 1.0);
	assert_int_equal(got.shingle, 3);
	assert_int_equal(got.nfield_words, 0);
	assert_int_equal(got.nbanned, 2);
	assert_string_equal(got.banned[1], "禁止");
	assert_int_equal(got.nbrands, 2);
	assert_string_equal(got.brands[0].name, "Nike");
	assert_int_equal(got.brands[0].authorized, 1);
	assert_string_equal(got.brands[1].name, "Acme");
	assert_int_equal(got.brands[1].authorized, 0);
	for (i = 0; i < got.nkinds; i++) {
		if (strcmp(got.kinds[i].key, "invoice") == 0) {
			found_invoice = 1;
			assert_int_equal(got.kinds[i].nkeywords, 1);
			assert_string_equal(got.kinds[i].keywords[0], "proof");
		}
		found_court |= strcmp(got.kinds[i].key, "court_papers") == 0;
	}
	assert_true(found_invoice);
	assert_false(found_court);
	assert_int_equal(got.min_short_side, 100);
	assert_int_equal(got.min_long_side, 200);
	assert_int_equal(preflight_config_check(&got, &cause), 0);
	config_free(conf);
}

static void
test_preflight_bad_settings(void **state)
{
	(void)state;
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"preflight: {\n"
		"  banned_terms = [ \"a\", \"\" ];\n"
		"  similarity_threshold = 0;\n"
		"  min_words = 1001;\n"
		"  brands = ( { authorized = true; } );\n"
		"  material_keywords = { receipts = [ \"r\" ]; };\n"
		"  min_image_short_side = 900;\n"
		"  bogus = 1;\n"
		"};\n",
	    ":3: preflight.banned_terms[1]: must not be empty",
	    ":4: preflight.similarity_threshold: must be more than 0",
	    ":5: preflight.min_words: 1001 is out of range (0 to 1000)",
	    ":6: preflight.brands[0]: a brand needs a name",
	    ":7: preflight.material_keywords.receipts: unknown kind",
	    ":9: preflight.bogus: unknown key", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"preflight: { min_image_short_side = 900; };\n",
	    ":2: preflight: the minimum image size must be short side <= "
	    "long side",
	    NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"preflight: { similarity_threshold = \"high\"; };\n",
	    ":2: preflight.similarity_threshold: expected a number", NULL);
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"preflight = 3;\n",
	    ":2: preflight: expected a group", NULL);
}

/* rules.escalation: tiers sorted by their days; digest_at read. */
static void
test_escalation_tiers_are_read(void **state)
{
	struct config *conf;
	char *cause;

	(void)state;
	conf =
	    load("daemon: { state_dir = \"@STATE@\"; };\n"
		 "rules: { repeat_interval = \"12h\"; escalation = (\n"
		 "  { after_business_days = 5; notify = [\"boss\"]; },\n"
		 "  { after_business_days = 3; severity = \"warning\"; } );"
		 " };\n"
		 "shops = ( { name = \"main\"; digest_at = \"08:30\"; } );\n"
		 "plugins = ( { name = \"boss\"; module = \"webhook\"; } );\n",
		&cause);
	if (conf == NULL)
		fail_msg("%s", cause);
	assert_int_equal(conf->rules.repeat_interval, 12 * 3600);
	assert_int_equal(conf->rules.ntiers, 2);
	assert_int_equal(conf->rules.tiers[0].after_business_days, 3);
	assert_int_equal(conf->rules.tiers[0].severity, CASES_SEV_WARNING);
	assert_int_equal(conf->rules.tiers[1].after_business_days, 5);
	assert_int_equal(conf->rules.tiers[1].severity, CASES_SEV_CRITICAL);
	assert_int_equal(conf->rules.tiers[1].notify.n, 1);
	assert_string_equal(conf->rules.tiers[1].notify.v[0], "boss");
	assert_int_equal(conf->rules.escalate_after_business_days, 3);
	assert_int_equal(conf->shops[0].digest_at, 8 * 3600 + 30 * 60);
	config_free(conf);
}

/* Several settings of one name on one line: each reads its own value. */
static void
test_one_line_tiers(void **state)
{
	struct config *conf;
	char *cause;

	(void)state;
	conf = load("daemon: { state_dir = \"@STATE@\"; };\n"
		    "rules: { escalation = ( { after_business_days = 3; }, "
		    "{ after_business_days = 5; } ); };\n",
	    &cause);
	if (conf == NULL)
		fail_msg("%s", cause);
	assert_int_equal(conf->rules.ntiers, 2);
	assert_int_equal(conf->rules.tiers[0].after_business_days, 3);
	assert_int_equal(conf->rules.tiers[1].after_business_days, 5);
	config_free(conf);
	/* The one that wraps is still seen for what it is, second or not. */
	refused("daemon: { state_dir = \"@STATE@\"; };\n"
		"rules: { escalation = ( { after_business_days = 3; }, "
		"{ after_business_days = 4294967301; } ); };\n",
	    "delistd.conf:2: rules.escalation[1].after_business_days: "
	    "4294967301 is out of range",
	    NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_config_gets_defaults),
		cmocka_unit_test(test_full_config_is_read),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_syntax_error_names_line),
		cmocka_unit_test(test_unknown_key_names_line_and_key),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_bad_durations),
		cmocka_unit_test(test_integers_are_range_checked_not_truncated),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_state_dir_problems),
		cmocka_unit_test(test_socket_path_too_long),
		cmocka_unit_test(test_secret_files),
		cmocka_unit_test(test_names_and_duplicates),
		cmocka_unit_test(test_all_errors_reported_at_once),
		cmocka_unit_test(test_include_relative_to_main_file),
		cmocka_unit_test(test_builtin_config_is_valid),
		cmocka_unit_test(test_preflight_defaults),
		cmocka_unit_test(test_preflight_settings_are_read),
		cmocka_unit_test(test_preflight_bad_settings),
		cmocka_unit_test(test_escalation_tiers_are_read),
		cmocka_unit_test(test_one_line_tiers),
	};

	return (cmocka_run_group_tests_name("config", tests, setup, teardown));
}

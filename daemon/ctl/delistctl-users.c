/*
 * delistctl-users.c: the web console's users (user add|passwd|rm|list)
 * and a case's assignee (case assign), over the Unix socket.
 *
 * A password is read from --password-file F (its first line), from the
 * terminal without echo (twice, to catch a typo), or from standard input
 * when it is not a terminal; it goes to the daemon in the request's body
 * only, and is never printed.
 */

#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>

#include "delistctl.h"

#define USERS_PASSWORD_MAX 1024

static char *users_password(const char *);
static char *users_prompt(const char *);
static const char *users_name(const char *);
static int user_add(struct ctl_args *);
static int user_passwd(struct ctl_args *);
static int user_rm(struct ctl_args *);
static int user_list(struct ctl_args *);
static int user_help(struct ctl_args *);
static void users_only(const struct ctl_args *, const char *);

/* The user verbs' options (each verb's template). */
static const struct option users_options[] = {
	{ "role", required_argument, NULL, 'r' },
	{ "password-file", required_argument, NULL, 'p' },
	{ NULL, 0, NULL, 0 },
};

static const struct ctl_cmd user_cmds[] = {
	{ "add",
	    "user add NAME --role viewer|operator|admin "
	    "[--password-file F]",
	    "add a web console user (the password from the terminal, stdin "
	    "or F)",
	    NULL, user_add, { "", users_options, 1, 1 } },
	{ "passwd", "user passwd NAME [--password-file F]",
	    "set a user's password; its sessions end", NULL, user_passwd,
	    { "", users_options, 1, 1 } },
	{ "rm", "user rm NAME", "remove a user and end its sessions", NULL,
	    user_rm, { "", users_options, 1, 1 } },
	{ "list", "user list", "the users and their roles", NULL, user_list,
	    { "", users_options, 0, 0 } },
	{ "help", "user help", "show the user verbs", NULL, user_help,
	    { "", users_options, 0, 0 } },
};

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* A name that can go into a path as is (the daemon checks the rest). */
static const char *
users_name(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' &&
		    *p != '-')
			break;
	}
	if (*s == '\0' || *p != '\0' || p - s > 32)
		ctl_fail("bad user name \"%.40s\": 1 to 32 of a-z, 0-9, '.', "
			 "'_', '-'",
		    s);
	return (s);
}

/* One line from the terminal, without echo. */
static char *
users_prompt(const char *prompt)
{
	struct termios old, quiet;
	char buf[USERS_PASSWORD_MAX + 2];
	FILE *tty;
	int ok;

	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		ctl_fail("cannot open the terminal for the password");
	/* Echo goes off before the prompt: nothing typed after it shows. */
	tcgetattr(fileno(tty), &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	fputs(prompt, tty);
	fflush(tty);
	ok = fgets(buf, sizeof buf, tty) != NULL;
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	if (!ok)
		ctl_fail("no password given");
	buf[strcspn(buf, "\r\n")] = '\0';
	return (strdup(buf));
}

/* The password: from file (its first line), the terminal or stdin. */
static char *
users_password(const char *file)
{
	char buf[USERS_PASSWORD_MAX + 2], *a, *b;
	FILE *f;

	if (file == NULL && isatty(STDIN_FILENO)) {
		a = users_prompt("Password: ");
		b = users_prompt("Again: ");
		if (a == NULL || b == NULL || strcmp(a, b) != 0)
			ctl_fail("the passwords differ; nothing changed");
		explicit_bzero(b, strlen(b));
		free(b);
		return (a);
	}
	if (file == NULL)
		f = stdin;
	else if ((f = fopen(file, "r")) == NULL)
		ctl_fail("cannot read --password-file %s", file);
	if (fgets(buf, sizeof buf, f) == NULL)
		ctl_fail("no password in %s", file ? file : "standard input");
	if (f != stdin)
		fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	a = strdup(buf);
	explicit_bzero(buf, sizeof buf);
	if (a == NULL)
		ctl_fail("out of memory");
	return (a);
}

/*
 * Every user verb takes --role and --password-file in its template (as
 * before, one it does not use is a usage error, not an unknown option):
 * refuses the ones not in allowed.
 */
static void
users_only(const struct ctl_args *a, const char *allowed)
{
	static const char letters[] = "rp";
	const char *l;

	for (l = letters; *l != '\0'; l++) {
		if (ctl_args_has(a, *l) && strchr(allowed, *l) == NULL)
			ctl_usage_fail(a->usage);
	}
}

static int
user_add(struct ctl_args *a)
{
	const char *role = ctl_args_get(a, 'r');
	const char *file = ctl_args_get(a, 'p');
	char **argv = a->argv, *pass;
	json_t *doc;

	if (role == NULL)
		ctl_usage_fail(a->usage);
	users_name(argv[0]);
	pass = users_password(file);
	doc = ctl_call("POST", "/v1/users",
	    json_pack("{s:s,s:s,s:s}", "name", argv[0], "role", role,
		"password", pass));
	explicit_bzero(pass, strlen(pass));
	free(pass);
	if (!ctl.json)
		printf("user %s added as %s\n", argv[0],
		    json_string_value(json_object_get(doc, "role")));
	json_decref(doc);
	return (0);
}

static int
user_passwd(struct ctl_args *a)
{
	const char *file = ctl_args_get(a, 'p');
	char **argv = a->argv, *pass, path[96];
	json_t *doc;

	users_only(a, "p");
	snprintf(
	    path, sizeof path, "/v1/users/%s/password", users_name(argv[0]));
	pass = users_password(file);
	doc = ctl_call("POST", path, json_pack("{s:s}", "password", pass));
	explicit_bzero(pass, strlen(pass));
	free(pass);
	if (!ctl.json)
		printf("password of %s changed; its sessions ended\n", argv[0]);
	json_decref(doc);
	return (0);
}

static int
user_rm(struct ctl_args *a)
{
	char **argv = a->argv, path[96];
	json_t *doc;

	users_only(a, "");
	snprintf(path, sizeof path, "/v1/users/%s", users_name(argv[0]));
	doc = ctl_call("DELETE", path, NULL);
	if (!ctl.json)
		printf("user %s removed\n", argv[0]);
	json_decref(doc);
	return (0);
}

static int
user_list(struct ctl_args *a)
{
	json_t *doc, *u;
	size_t i;

	users_only(a, "");
	doc = ctl_call("GET", "/v1/users", NULL);
	if (!ctl.json) {
		json_array_foreach (json_object_get(doc, "users"), i, u)
			printf("%-32s %-9s %s\n",
			    json_string_value(json_object_get(u, "name")),
			    json_string_value(json_object_get(u, "role")),
			    json_string_value(
				json_object_get(u, "created_at")));
	}
	json_decref(doc);
	return (0);
}

static int
user_help(struct ctl_args *a)
{
	users_only(a, "");
	printf("usage: delistctl [-s socket] [--json] user VERB ...; the "
	       "verbs:\n");
	ctl_rows(stdout, user_cmds, nitems(user_cmds), NULL);
	return (0);
}

const struct ctl_group ctl_users_group = { "user", user_cmds,
	nitems(user_cmds) };

/* case assign's options (its template's longopts). */
const struct option ctl_users_assign_options[] = {
	{ "none", no_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

int
ctl_users_case_assign(struct ctl_args *a)
{
	const char *p;
	char **argv = a->argv, path[64];
	json_t *doc, *who;
	int none = ctl_args_has(a, 'n');

	if (a->argc != (none ? 1 : 2))
		ctl_usage_fail(a->usage);
	for (p = argv[0]; *p >= '0' && *p <= '9'; p++)
		;
	if (argv[0][0] == '\0' || *p != '\0' || p - argv[0] > 18)
		ctl_fail("bad case ID \"%s\": expected a number such as 12",
		    argv[0]);
	snprintf(path, sizeof path, "/v1/cases/%s/assign", argv[0]);
	who = none ? json_null() : json_string(users_name(argv[1]));
	doc = ctl_call("POST", path, json_pack("{s:o}", "user", who));
	if (!ctl.json) {
		who = json_object_get(doc, "assignee");
		if (json_is_string(who))
			printf("case %s: assigned to %s\n", argv[0],
			    json_string_value(who));
		else
			printf("case %s: assigned to nobody\n", argv[0]);
	}
	json_decref(doc);
	return (0);
}

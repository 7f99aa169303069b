/* SPDX-License-Identifier: ISC */
/*
 * exec.c: the "exec" sink: runs a configured program for each event.
 *
 *	plugins = ( { name = "ops"; module = "exec";
 *	    command = [ "/usr/local/bin/on-event", "--quiet" ];
 *	    timeout = "30s"; environment = [ "ERP_URL=https://erp.example" ];
 *	    events = [ "case.*" ]; } );
 *
 * The program runs through the host's spawn service: without a shell, in a
 * process group of its own, with the event document on stdin and an
 * environment of PATH, LANG, the configured extras and the DELISTD_*
 * variables that describe the event (DELISTD_EVENT_ID is the delivery's
 * idempotency key). Exit 0 means delivered; 75 (EX_TEMPFAIL), a timeout or
 * death by a signal mean try again later; any other exit is a permanent
 * failure. What it writes is logged, a bounded number of lines.
 *
 * Like every plugin it includes <delistd/plugin.h> and libc only (and
 * core's pure cause.c, compiled in), never blocks, and never calls done
 * from within deliver.
 */

/* strsignal(3) and access(2) even under a strict -std=c11. */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <delistd/plugin.h>

#include "core.h"

#define EXEC_VERSION "0.1.0"
#define EXEC_TIMEOUT_DEFAULT 30 /* seconds */
#define EXEC_TIMEOUT_MAX (24 * 3600) /* seconds */
#define EXEC_OUTPUT_MAX (64 * 1024) /* bytes kept by the host */
#define EXEC_LOG_LINES 20 /* output lines logged */
#define EXEC_LOG_WIDTH 240 /* bytes of one logged line */
#define EXEC_ERROR_WIDTH 200 /* bytes of output in an error */
#define EXEC_ENV_BASE 2 /* PATH, LANG */
#define EXEC_ENV_EVENT 6 /* the DELISTD_* variables */

struct exec;

/* One deliver in flight; owned by its instance until the child is done. */
struct exec_delivery {
	struct exec *exec;
	delistd_deliver_done done;
	void *token;
	char *key;
	struct exec_delivery *prev;
	struct exec_delivery *next;
};

struct exec {
	struct delistd_host *host;
	const struct delistd_host_api *api;
	const char **argv; /* NULL-ended; the strings are the host's */
	const char **extra; /* "NAME=value", the host's strings */
	size_t nextra;
	int64_t timeout; /* seconds */
	struct exec_delivery *pending;
};

static const char *const exec_keys[] = { "command", "timeout", "environment",
	NULL };

static const char *const exec_base_env[EXEC_ENV_BASE] = {
	"PATH=/usr/bin:/bin",
	"LANG=C.UTF-8",
};

static char *
exec_vstrf(const char *, va_list) __attribute__((__format__(__printf__, 1, 0)));
static char *
exec_strf(const char *, ...) __attribute__((__format__(__printf__, 1, 2)));
static size_t exec_name_len(const char *);
static int exec_conf_command(struct exec *, char **);
static int exec_conf_timeout(struct exec *, char **);
static int exec_conf_environment(struct exec *, char **);
static const char *exec_override(const struct exec *, const char *);
static char **exec_env(const struct exec *, const struct delistd_event *);
static void exec_env_free(char **);
static size_t exec_clean(char *, size_t, const char *, size_t);
static void exec_log_output(struct exec *, const char *,
    const struct delistd_spawn_result *, enum delistd_log_level);
static void exec_unlink(struct exec_delivery *);
static void exec_spawned(const struct delistd_spawn_result *, void *);
static int exec_init(
    struct delistd_host *, const struct delistd_host_api *, void **, char **);
static void exec_fini(void *);
static int exec_deliver(
    void *, const struct delistd_event *, delistd_deliver_done, void *);

const struct delistd_plugin delistd_plugin = {
	.abi = DELISTD_PLUGIN_ABI,
	.name = "exec",
	.version = EXEC_VERSION,
	.roles = DELISTD_ROLE_SINK,
	.init = exec_init,
	.fini = exec_fini,
	.deliver = exec_deliver,
};

/* A malloc'd string, or NULL when out of memory. */
static char *
exec_vstrf(const char *fmt, va_list ap)
{
	va_list ap2;
	char *s;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return (NULL);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return (s);
}

static char *
exec_strf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = exec_vstrf(fmt, ap);
	va_end(ap);
	return (s);
}

/* The length of the NAME in "NAME=value", or 0 if it is not one. */
static size_t
exec_name_len(const char *s)
{
	size_t i;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return (0);
	for (i = 1; s[i] != '\0' && s[i] != '='; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return (0);
	}
	return (s[i] == '=' ? i : 0);
}

static int
exec_conf_command(struct exec *x, char **cause)
{
	struct delistd_host *h = x->host;
	const char *s;
	int n, i;

	if ((n = x->api->conf_list_len(h, "command")) == -1) {
		if (x->api->conf_string(h, "command", &s) == 0)
			return (cause_fail(
			    cause, "command must be a list: [ \"%s\" ]", s));
		return (cause_fail(cause,
		    "command is required: the program to run and its "
		    "arguments, e.g. [ \"/usr/local/bin/on-event\" ]"));
	}
	if (n == 0)
		return (cause_fail(cause, "command is empty"));
	if ((x->argv = calloc((size_t)n + 1, sizeof *x->argv)) == NULL)
		return (cause_fail(cause, "out of memory"));
	for (i = 0; i < n; i++) {
		s = x->api->conf_list_string(h, "command", i);
		if (s == NULL)
			return (cause_fail(
			    cause, "command[%d] is not a string", i));
		x->argv[i] = s;
	}
	if (x->argv[0][0] != '/')
		return (cause_fail(cause,
		    "command[0] \"%s\" is not an absolute path (no shell "
		    "or PATH search is used)",
		    x->argv[0]));
	if (access(x->argv[0], X_OK) == -1)
		return (cause_fail(
		    cause, "command[0] %s: %s", x->argv[0], strerror(errno)));
	return (0);
}

static int
exec_conf_timeout(struct exec *x, char **cause)
{
	const char *s;
	int64_t v;

	x->timeout = EXEC_TIMEOUT_DEFAULT;
	if (x->api->conf_string(x->host, "timeout", &s) == -1) {
		if (x->api->conf_int(x->host, "timeout", &v) == 0)
			return (cause_fail(cause,
			    "timeout must be a duration string, e.g. "
			    "\"%llds\"",
			    (long long)v));
		return (0);
	}
	if (x->api->conf_duration(x->host, "timeout", &v) == -1)
		return (cause_fail(cause,
		    "timeout: expected a duration (\"30s\", \"2m\"), not "
		    "\"%s\"",
		    s));
	if (v <= 0 || v > EXEC_TIMEOUT_MAX)
		return (cause_fail(
		    cause, "timeout \"%s\" must be between 1s and 24h", s));
	x->timeout = v;
	return (0);
}

static int
exec_conf_environment(struct exec *x, char **cause)
{
	struct delistd_host *h = x->host;
	const char *s;
	size_t len, j;
	int n, i;

	if ((n = x->api->conf_list_len(h, "environment")) == -1) {
		if (x->api->conf_string(h, "environment", &s) == 0)
			return (cause_fail(cause,
			    "environment must be a list: [ \"%s\" ]", s));
		return (0);
	}
	if ((x->extra = calloc((size_t)n + 1, sizeof *x->extra)) == NULL)
		return (cause_fail(cause, "out of memory"));
	for (i = 0; i < n; i++) {
		s = x->api->conf_list_string(h, "environment", i);
		if (s == NULL)
			return (cause_fail(
			    cause, "environment[%d] is not a string", i));
		if ((len = exec_name_len(s)) == 0)
			return (cause_fail(cause,
			    "environment[%d] is not NAME=value (its value is "
			    "not shown: it may be a secret)",
			    i));
		if (strncmp(s, "DELISTD_", 8) == 0)
			return (cause_fail(cause,
			    "environment[%d]: %.*s is set by delistd", i,
			    (int)len, s));
		for (j = 0; j < x->nextra; j++) {
			if (strncmp(x->extra[j], s, len + 1) == 0)
				return (cause_fail(cause,
				    "environment[%d]: %.*s is set twice", i,
				    (int)len, s));
		}
		x->extra[x->nextra++] = s;
	}
	return (0);
}

static int
exec_init(struct delistd_host *host, const struct delistd_host_api *api,
    void **instance, char **cause)
{
	struct exec *x;

	if (api->version < 1 ||
	    api->size <
		offsetof(struct delistd_host_api, spawn) + sizeof api->spawn ||
	    api->spawn == NULL)
		return (cause_fail(cause, "this delistd cannot run programs"));
	if (api->conf_keys(host, exec_keys, cause) == -1)
		return (-1);
	if ((x = calloc(1, sizeof *x)) == NULL)
		return (cause_fail(cause, "out of memory"));
	x->host = host;
	x->api = api;
	if (exec_conf_command(x, cause) == -1 ||
	    exec_conf_timeout(x, cause) == -1 ||
	    exec_conf_environment(x, cause) == -1) {
		exec_fini(x);
		return (-1);
	}
	*instance = x;
	return (0);
}

static void
exec_fini(void *instance)
{
	struct exec *x = instance;
	struct exec_delivery *d;

	/* The host has cancelled the children: no callback will come. */
	while ((d = x->pending) != NULL) {
		exec_unlink(d);
		free(d->key);
		free(d);
	}
	free(x->argv);
	free(x->extra);
	free(x);
}

/* A configured extra that replaces the base variable "NAME=...", or NULL. */
static const char *
exec_override(const struct exec *x, const char *base)
{
	size_t len = exec_name_len(base), i;

	for (i = 0; i < x->nextra; i++) {
		if (strncmp(x->extra[i], base, len + 1) == 0)
			return (x->extra[i]);
	}
	return (NULL);
}

/* The child's whole environment, malloc'd; NULL when out of memory. */
static char **
exec_env(const struct exec *x, const struct delistd_event *ev)
{
	char **env, caseid[32] = "";
	size_t n = 0, i, size;

	size = EXEC_ENV_BASE + x->nextra + EXEC_ENV_EVENT + 1;
	if ((env = calloc(size, sizeof *env)) == NULL)
		return (NULL);
	for (i = 0; i < EXEC_ENV_BASE; i++) {
		if (exec_override(x, exec_base_env[i]) == NULL)
			env[n++] = exec_strf("%s", exec_base_env[i]);
	}
	for (i = 0; i < x->nextra; i++)
		env[n++] = exec_strf("%s", x->extra[i]);
	if (ev->case_id > 0)
		snprintf(caseid, sizeof caseid, "%lld", (long long)ev->case_id);
	env[n++] = exec_strf("DELISTD_EVENT_ID=%s", ev->key);
	env[n++] = exec_strf("DELISTD_EVENT_TYPE=%s", ev->type);
	env[n++] = exec_strf("DELISTD_CASE_ID=%s", caseid);
	env[n++] = exec_strf("DELISTD_SHOP=%s", ev->shop ? ev->shop : "");
	env[n++] = exec_strf(
	    "DELISTD_PRODUCT_ID=%s", ev->product_id ? ev->product_id : "");
	env[n++] =
	    exec_strf("DELISTD_SEVERITY=%s", ev->severity ? ev->severity : "");
	for (i = 0; i < n; i++) {
		if (env[i] == NULL) {
			/* Out of memory somewhere: free what was made. */
			for (i = 0; i < n; i++)
				free(env[i]);
			free(env);
			return (NULL);
		}
	}
	return (env);
}

static void
exec_env_free(char **env)
{
	size_t i;

	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/*
 * Copies one line of output (len bytes, no newline) into out (size > 4) for
 * the log: control bytes become '?', and a line too long ends in "...".
 */
static size_t
exec_clean(char *out, size_t size, const char *in, size_t len)
{
	size_t i, n = 0;
	unsigned char c;

	for (i = 0; i < len && n < size - 1; i++) {
		c = (unsigned char)in[i];
		out[n++] = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c;
	}
	if (i < len && n >= 3) {
		n -= 3;
		memcpy(out + n, "...", 3);
		n += 3;
	}
	while (n > 0 && (out[n - 1] == '\r' || out[n - 1] == ' '))
		n--;
	out[n] = '\0';
	return (n);
}

static void
exec_log_output(struct exec *x, const char *key,
    const struct delistd_spawn_result *res, enum delistd_log_level level)
{
	const char *p = res->output, *end = res->output + res->output_len, *nl;
	char line[EXEC_LOG_WIDTH + 1];
	size_t lines = 0, skipped = 0;

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (lines < EXEC_LOG_LINES) {
			exec_clean(line, sizeof line, p, (size_t)(nl - p));
			x->api->log(x->host, level, "%s: | %s", key, line);
			lines++;
		} else
			skipped++;
		p = nl + 1;
	}
	if (skipped != 0)
		x->api->log(x->host, level, "%s: | (%zu more lines not logged)",
		    key, skipped);
}

static void
exec_unlink(struct exec_delivery *d)
{
	if (d->prev != NULL)
		d->prev->next = d->next;
	else
		d->exec->pending = d->next;
	if (d->next != NULL)
		d->next->prev = d->prev;
	d->prev = d->next = NULL;
}

static void
exec_spawned(const struct delistd_spawn_result *res, void *arg)
{
	struct exec_delivery *d = arg;
	struct exec *x = d->exec;
	enum delistd_result result;
	enum delistd_log_level level;
	delistd_deliver_done done = d->done;
	void *token = d->token;
	char first[EXEC_ERROR_WIDTH + 1] = "", *error = NULL;
	const char *nl;
	size_t len;

	exec_unlink(d);
	if (res->output_len != 0) {
		nl = memchr(res->output, '\n', res->output_len);
		len = nl != NULL ? (size_t)(nl - res->output) : res->output_len;
		exec_clean(first, sizeof first, res->output, len);
	}

	if (res->error) {
		result = DELISTD_RETRY;
		error = exec_strf("cannot run %s: %s", x->argv[0],
		    res->error_text ? res->error_text : "unknown error");
	} else if (res->timed_out) {
		result = DELISTD_RETRY;
		error = exec_strf("timed out after %llds, process group killed",
		    (long long)x->timeout);
	} else if (res->signal != 0) {
		result = DELISTD_RETRY;
		error = exec_strf("killed by signal %d (%s)", res->signal,
		    strsignal(res->signal));
	} else if (res->exit_status < 0) {
		result = DELISTD_RETRY;
		error = exec_strf("%s ended, its status unknown", x->argv[0]);
	} else if (res->exit_status == 0)
		result = DELISTD_DELIVERED;
	else {
		result = res->exit_status == EX_TEMPFAIL ? DELISTD_RETRY
							 : DELISTD_FAILED;
		if (first[0] != '\0')
			error =
			    exec_strf("exit %d: %s", res->exit_status, first);
		else
			error = exec_strf("exit %d", res->exit_status);
	}

	/* The outbox logs the outcome; this is what the program said. */
	level = result == DELISTD_DELIVERED ? DELISTD_LOG_INFO
					    : DELISTD_LOG_WARNING;
	exec_log_output(x, d->key, res, level);

	free(d->key);
	free(d);
	done(token, result, 0, error);
	free(error);
}

static int
exec_deliver(void *instance, const struct delistd_event *ev,
    delistd_deliver_done done, void *token)
{
	struct exec *x = instance;
	struct exec_delivery *d;
	struct delistd_spawn_request req;
	char **env;

	if ((env = exec_env(x, ev)) == NULL)
		return (-1);
	if ((d = calloc(1, sizeof *d)) == NULL ||
	    (d->key = exec_strf("%s", ev->key)) == NULL) {
		free(d);
		exec_env_free(env);
		return (-1);
	}
	d->exec = x;
	d->done = done;
	d->token = token;
	d->next = x->pending;
	if (x->pending != NULL)
		x->pending->prev = d;
	x->pending = d;

	memset(&req, 0, sizeof req);
	req.argv = x->argv;
	req.envp = (const char *const *)env;
	req.input = ev->json;
	req.input_len = ev->json_len;
	req.timeout_ms = (long)(x->timeout * 1000);
	req.output_max = EXEC_OUTPUT_MAX;
	if (x->api->spawn(x->host, &req, exec_spawned, d) == -1) {
		x->api->log(x->host, DELISTD_LOG_WARNING, "%s: cannot run %s",
		    ev->key, x->argv[0]);
		exec_unlink(d);
		free(d->key);
		free(d);
		exec_env_free(env);
		return (-1);
	}
	exec_env_free(env);
	return (0);
}

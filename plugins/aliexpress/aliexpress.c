/* SPDX-License-Identifier: ISC */
/*
 * aliexpress.c: the AliExpress source. check asks the Open Platform for
 * one listing's status (aliexpress.postproduct.redefining.findaeproductbyid),
 * sweep pages through a shop's listings in a status
 * (aliexpress.solution.product.list.get): the offline ones with each
 * violation ws_display (the delisted), or the ones on sale (the catalog).
 * Every request is a signed form POST to gateway + "/sync", signed anew with
 * the host's clock each time (sign.c); answers are read by parse.c.
 *
 * Tokens: the access token is read from token_file. With refresh_token_file
 * it is refreshed through gateway + "/rest/auth/token/refresh" before it
 * expires (when a refresh told us when that is), or once when the platform
 * refuses it, and both files are then rewritten atomically (a temp file in
 * the same directory, fsync, rename) with mode 0600. Once the platform has
 * refused the credentials, every call answers AUTH at once, without a
 * network call, until token_file changes (inode, size or mtime): then it is
 * read again and calls go out again. A changed token_file is also picked up
 * at any other time (another tool refreshed it).
 *
 * Rate, burst and the daily quota are the host's: this module never waits,
 * it classifies each failure precisely (delistd_source_error) and the host
 * waits, stops or alerts. It talks to the daemon only through plugin.h,
 * never blocks but for the short local writes of a refresh, and never puts
 * the app secret or a token into a log line, an error text or a file other
 * than the token files.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, strndup out of tree too */
#endif

#include <sys/queue.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <delistd/plugin.h>

#include "core.h"

#include "parse.h"
#include "sign.h"

#define AE_VERSION "0.1.0"
#define AE_GATEWAY "https://api-sg.aliexpress.com"
#define AE_TIMEOUT 30 /* seconds, when timeout is not set */
#define AE_TIMEOUT_MAX 300
#define AE_CONNECT_TIMEOUT 10
#define AE_REFRESH_AHEAD 3600 /* refresh this long before expiry at most */
#define AE_REFRESH_PAUSE 60 /* after a failed refresh, before another */
#define AE_PARAMS_MAX 12
#define AE_CODES_MAX 16
#define AE_METHOD_CHECK "aliexpress.postproduct.redefining.findaeproductbyid"
#define AE_METHOD_LIST "aliexpress.solution.product.list.get"
#define AE_REFRESH_PATH "/auth/token/refresh"

struct aliexpress;

enum ae_call_kind {
	AE_CALL_CHECK,
	AE_CALL_SWEEP,
};

/* One check or sweep page, owned by the instance's list until it is done. */
struct ae_call {
	struct aliexpress *ae;
	enum ae_call_kind kind;
	delistd_check_done check_done;
	delistd_sweep_done sweep_done;
	void *token;
	char *product_id; /* check */
	enum delistd_status status; /* sweep: DELISTED or ON_SALE */
	size_t code; /* sweep: index in the codes (DELISTED) */
	int64_t page; /* sweep: current_page, from 1 */
	int retried_auth; /* refreshed or re-sent once after AUTH already */
	uint64_t sent_gen; /* the token generation it was sent with */
	int waiting; /* for a token refresh */
	int in_flight; /* an HTTP request is out */
	struct delistd_timer *timer; /* a deferred failure */
	struct ae_error error; /* what the deferred failure says */
	TAILQ_ENTRY(ae_call) entry;
};
TAILQ_HEAD(ae_calls, ae_call);

/* What a file was when last read: a change means read it again. */
struct ae_file_id {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	int known;
};

struct aliexpress {
	struct delistd_host *host;
	const struct delistd_host_api *api;
	char *gateway; /* without a trailing '/' */
	char *sync_url; /* gateway + "/sync", built once */
	char *app_key;
	char *secret;
	char *token_path;
	char *refresh_path; /* NULL: no refresh */
	char *token;
	char *refresh_token;
	const char *token_param; /* "access_token" or "session" */
	int simplify;
	int64_t timeout;
	char *codes[AE_CODES_MAX];
	size_t ncodes;
	struct ae_file_id token_id;
	struct timespec token_statted; /* its stat(), monotonic; 0: now */
	int64_t expires_at; /* 0: unknown */
	int64_t refreshed_at;
	int64_t refresh_after; /* no refresh before (after a failure) */
	uint64_t token_gen; /* bumped whenever the token changes */
	int refreshing;
	int auth_failed; /* answer AUTH until token_file changes */
	struct ae_calls calls;
};

static int ae_init(
    struct delistd_host *, const struct delistd_host_api *, void **, char **);
static void ae_fini(void *);
static int
ae_check(void *, const char *, const char *, delistd_check_done, void *);
static int ae_sweep(void *, const char *, enum delistd_status, const char *,
    delistd_sweep_done, void *);

static int ae_conf_present(struct aliexpress *, const char *);
static int ae_conf_gateway(struct aliexpress *, char **);
static int ae_conf_strings(struct aliexpress *, char **);
static int ae_conf_codes(struct aliexpress *, char **);
static int ae_conf_misc(struct aliexpress *, char **);
static int ae_conf_secrets(struct aliexpress *, char **);
static void ae_free(struct aliexpress *);
static int ae_file_id(const char *, struct ae_file_id *);
static int ae_file_same(const struct ae_file_id *, const struct ae_file_id *);
static void ae_token_watch(struct aliexpress *);
static int ae_write_file(const char *, const char *, char **);
static struct ae_call *
ae_call_new(struct aliexpress *, enum ae_call_kind, void *);
static void ae_call_free(struct ae_call *);
static void ae_call_start(struct ae_call *);
static void ae_call_fail(struct ae_call *, enum delistd_source_error, int64_t,
    const char *, ...) __attribute__((__format__(__printf__, 4, 5)));
static void ae_call_deferred(void *);
static int ae_call_send(struct ae_call *);
static void ae_call_answer(const struct delistd_http_response *, void *);
static void
ae_check_answer(struct ae_call *, const struct delistd_http_response *);
static void
ae_sweep_answer(struct ae_call *, const struct delistd_http_response *);
static int ae_call_auth(struct ae_call *, const struct ae_error *);
static void ae_auth_refused(struct aliexpress *, const char *);
static int ae_refresh_due(struct aliexpress *);
static void ae_refresh_start(struct aliexpress *);
static void ae_refresh_answer(const struct delistd_http_response *, void *);
static void ae_refresh_done(struct aliexpress *, const struct ae_error *);
static char *
ae_form(struct aliexpress *, const char *, const struct ae_param *, size_t);
static void ae_transport_error(struct aliexpress *,
    const struct delistd_http_response *, struct ae_error *);
static void ae_redact(struct aliexpress *, char *);
static int
ae_http(struct aliexpress *, const char *, char *, delistd_http_cb, void *);
static int ae_retryable(enum delistd_source_error);

/* What a gateway's answer carries that changes on every call. */
static const char *const ae_volatile_keys[] = { "request_id", "_trace_id_",
	NULL };

/* AliExpress product IDs: digits only, 10 to 20 of them. */
static const struct delistd_source_info ae_source_info = {
	.size = sizeof(struct delistd_source_info),
	.id_chars = "0123456789",
	.id_min = 10,
	.id_max = 20,
	.id_syntax =
	    "an AliExpress product ID is digits only, 10 to 20 of them",
	.id_example = "1005001234567890",
	.volatile_keys = ae_volatile_keys,
};

const struct delistd_plugin delistd_plugin = {
	.abi = DELISTD_PLUGIN_ABI,
	.name = "aliexpress",
	.version = AE_VERSION,
	.roles = DELISTD_ROLE_SOURCE,
	.init = ae_init,
	.fini = ae_fini,
	.check = ae_check,
	.sweep = ae_sweep,
	.source_info = &ae_source_info,
};

/* rate, burst and daily_quota are the host's keys, read by the host. */
static const char *const ae_keys[] = { "gateway", "app_key", "app_secret_file",
	"token_file", "refresh_token_file", "token_param", "timeout",
	"delisted_codes", "simplify", NULL };

static const char *const ae_default_codes[] = { "punish_offline",
	"violate_offline" };

#define nitems(a) (sizeof(a) / sizeof((a)[0]))

static int
ae_retryable(enum delistd_source_error kind)
{
	return (kind == DELISTD_SOURCE_TRANSIENT ||
	    kind == DELISTD_SOURCE_THROTTLED || kind == DELISTD_SOURCE_QUOTA);
}

/* --- configuration ------------------------------------------------------ */

static int
ae_init(struct delistd_host *host, const struct delistd_host_api *api,
    void **instance, char **cause)
{
	struct aliexpress *ae;

	*instance = NULL;
	if (api->version < DELISTD_HOST_API_VERSION ||
	    api->size < offsetof(struct delistd_host_api, reserved) ||
	    api->http == NULL || api->timer_add == NULL)
		return (cause_fail(cause,
		    "the daemon's host services (version %u) lack what the "
		    "aliexpress module needs (version %d)",
		    api->version, DELISTD_HOST_API_VERSION));
	if (api->conf_keys(host, ae_keys, cause) == -1)
		return (-1);
	if ((ae = calloc(1, sizeof *ae)) == NULL)
		return (cause_fail(cause, "out of memory"));
	ae->host = host;
	ae->api = api;
	TAILQ_INIT(&ae->calls);
	if (ae_conf_gateway(ae, cause) == -1 ||
	    ae_conf_strings(ae, cause) == -1 ||
	    ae_conf_codes(ae, cause) == -1 || ae_conf_misc(ae, cause) == -1 ||
	    ae_conf_secrets(ae, cause) == -1) {
		ae_free(ae);
		return (-1);
	}
	api->log(host, DELISTD_LOG_DEBUG,
	    "AliExpress gateway %s, app %s, token as %s, %s answers, token "
	    "refresh %s",
	    ae->gateway, ae->app_key, ae->token_param,
	    ae->simplify ? "simplified" : "wrapped",
	    ae->refresh_path != NULL ? "on" : "off");
	*instance = ae;
	return (0);
}

/* Whether a key is in the block at all, whatever its type. */
static int
ae_conf_present(struct aliexpress *ae, const char *key)
{
	const char *s;
	int64_t i;
	int b;

	return (ae->api->conf_string(ae->host, key, &s) == 0 ||
	    ae->api->conf_int(ae->host, key, &i) == 0 ||
	    ae->api->conf_bool(ae->host, key, &b) == 0 ||
	    ae->api->conf_list_len(ae->host, key) != -1);
}

static int
ae_conf_gateway(struct aliexpress *ae, char **cause)
{
	const char *g = AE_GATEWAY, *p;
	size_t len;

	if (ae->api->conf_string(ae->host, "gateway", &g) == -1 &&
	    ae_conf_present(ae, "gateway"))
		return (cause_fail(cause,
		    "gateway: expected a string like \"%s\"", AE_GATEWAY));
	if (strncasecmp(g, "https://", 8) != 0 &&
	    strncasecmp(g, "http://", 7) != 0)
		return (
		    cause_fail(cause, "gateway: expected http:// or https://"));
	for (p = g; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '?' ||
		    *p == '#' || *p == '@')
			return (cause_fail(cause,
			    "gateway: expected scheme://host[:port][/path] "
			    "without spaces, query, fragment or credentials"));
	len = strlen(g);
	while (len > 0 && g[len - 1] == '/')
		len--;
	if (len <= strcspn(g, ":") + 3 || g[strcspn(g, ":") + 3] == ':' ||
	    g[strcspn(g, ":") + 3] == '/')
		return (cause_fail(cause, "gateway: no host"));
	if ((ae->gateway = strndup(g, len)) == NULL ||
	    asprintf(&ae->sync_url, "%s/sync", ae->gateway) == -1) {
		ae->sync_url = NULL;
		return (cause_fail(cause, "out of memory"));
	}
	return (0);
}

/* app_key and the file keys. */
static int
ae_conf_strings(struct aliexpress *ae, char **cause)
{
	static const char *const required[] = { "app_key", "app_secret_file",
		"token_file" };
	const char *s, *p;
	size_t i;

	for (i = 0; i < nitems(required); i++) {
		if (ae->api->conf_string(ae->host, required[i], &s) == -1)
			return (cause_fail(cause, "%s is required: a string%s",
			    required[i],
			    strstr(required[i], "_file") != NULL
				? " naming a file only the daemon can read"
				: ""));
	}
	ae->api->conf_string(ae->host, "app_key", &s);
	for (p = s; *p != '\0'; p++)
		if (!isgraph((unsigned char)*p))
			break;
	if (*s == '\0' || *p != '\0' || strlen(s) > 64)
		return (cause_fail(cause,
		    "app_key: expected the app's key, printable and without "
		    "spaces"));
	if ((ae->app_key = strdup(s)) == NULL)
		return (cause_fail(cause, "out of memory"));
	ae->api->conf_string(ae->host, "token_file", &s);
	if ((ae->token_path = strdup(s)) == NULL)
		return (cause_fail(cause, "out of memory"));
	if (ae->api->conf_string(ae->host, "refresh_token_file", &s) == 0) {
		if (strcmp(s, ae->token_path) == 0)
			return (cause_fail(cause,
			    "refresh_token_file: must not be token_file"));
		if ((ae->refresh_path = strdup(s)) == NULL)
			return (cause_fail(cause, "out of memory"));
	} else if (ae_conf_present(ae, "refresh_token_file"))
		return (cause_fail(cause,
		    "refresh_token_file: expected a string naming a file"));
	return (0);
}

static int
ae_conf_codes(struct aliexpress *ae, char **cause)
{
	const char *c;
	size_t j;
	int n, i;

	n = ae->api->conf_list_len(ae->host, "delisted_codes");
	if (n == -1) {
		if (ae_conf_present(ae, "delisted_codes"))
			return (cause_fail(cause,
			    "delisted_codes: expected a list of strings like "
			    "[\"punish_offline\", \"violate_offline\"]"));
		for (j = 0; j < nitems(ae_default_codes); j++)
			if ((ae->codes[ae->ncodes++] =
				    strdup(ae_default_codes[j])) == NULL)
				return (cause_fail(cause, "out of memory"));
		return (0);
	}
	if (n == 0 || n > AE_CODES_MAX)
		return (cause_fail(cause,
		    "delisted_codes: give 1 to %d ws_display values",
		    AE_CODES_MAX));
	for (i = 0; i < n; i++) {
		c = ae->api->conf_list_string(ae->host, "delisted_codes", i);
		if (c == NULL || *c == '\0' || strlen(c) > 64 ||
		    c[strspn(c,
			"abcdefghijklmnopqrstuvwxyz"
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] != '\0')
			return (cause_fail(cause,
			    "delisted_codes[%d]: expected a ws_display value "
			    "like \"punish_offline\"",
			    i));
		for (j = 0; j < ae->ncodes; j++)
			if (strcmp(ae->codes[j], c) == 0)
				return (cause_fail(cause,
				    "delisted_codes[%d]: %s is given twice", i,
				    c));
		if ((ae->codes[ae->ncodes++] = strdup(c)) == NULL)
			return (cause_fail(cause, "out of memory"));
	}
	return (0);
}

static int
ae_conf_misc(struct aliexpress *ae, char **cause)
{
	const char *s;

	ae->token_param = "access_token";
	if (ae->api->conf_string(ae->host, "token_param", &s) == 0) {
		if (strcmp(s, "access_token") == 0)
			ae->token_param = "access_token";
		else if (strcmp(s, "session") == 0)
			ae->token_param = "session";
		else
			return (cause_fail(cause,
			    "token_param: expected \"access_token\" or "
			    "\"session\""));
	} else if (ae_conf_present(ae, "token_param"))
		return (cause_fail(cause,
		    "token_param: expected \"access_token\" or \"session\""));

	ae->simplify = 1;
	if (ae->api->conf_bool(ae->host, "simplify", &ae->simplify) == -1) {
		ae->simplify = 1;
		if (ae_conf_present(ae, "simplify"))
			return (cause_fail(
			    cause, "simplify: expected true or false"));
	}

	ae->timeout = AE_TIMEOUT;
	if (ae->api->conf_duration(ae->host, "timeout", &ae->timeout) == -1) {
		ae->timeout = AE_TIMEOUT;
		if (ae_conf_present(ae, "timeout"))
			return (cause_fail(cause,
			    "timeout: expected a duration like \"30s\""));
	}
	if (ae->timeout < 1 || ae->timeout > AE_TIMEOUT_MAX)
		return (cause_fail(cause,
		    "timeout: %" PRId64 "s is out of range (1s to %ds)",
		    ae->timeout, AE_TIMEOUT_MAX));
	return (0);
}

static int
ae_conf_secrets(struct aliexpress *ae, char **cause)
{
	if ((ae->secret = ae->api->secret(
		 ae->host, "app_secret_file", cause)) == NULL)
		return (-1);
	if ((ae->token = ae->api->secret(ae->host, "token_file", cause)) ==
	    NULL)
		return (-1);
	ae_file_id(ae->token_path, &ae->token_id);
	if (ae->refresh_path != NULL &&
	    (ae->refresh_token = ae->api->secret(
		 ae->host, "refresh_token_file", cause)) == NULL)
		return (-1);
	return (0);
}

static void
ae_free(struct aliexpress *ae)
{
	struct ae_call *c;
	size_t i;

	while ((c = TAILQ_FIRST(&ae->calls)) != NULL)
		ae_call_free(c);
	if (ae->secret != NULL)
		ae->api->secret_free(ae->secret);
	if (ae->token != NULL)
		ae->api->secret_free(ae->token);
	if (ae->refresh_token != NULL)
		ae->api->secret_free(ae->refresh_token);
	for (i = 0; i < ae->ncodes; i++)
		free(ae->codes[i]);
	free(ae->gateway);
	free(ae->sync_url);
	free(ae->app_key);
	free(ae->token_path);
	free(ae->refresh_path);
	free(ae);
}

/* The host cancels the requests and timers: no callback comes. */
static void
ae_fini(void *instance)
{
	if (instance != NULL)
		ae_free(instance);
}

/* --- the token files ---------------------------------------------------- */

static int
ae_file_id(const char *path, struct ae_file_id *id)
{
	struct stat sb;

	memset(id, 0, sizeof *id);
	if (stat(path, &sb) == -1)
		return (-1);
	id->dev = sb.st_dev;
	id->ino = sb.st_ino;
	id->size = sb.st_size;
	id->mtime = sb.st_mtim;
	id->known = 1;
	return (0);
}

static int
ae_file_same(const struct ae_file_id *a, const struct ae_file_id *b)
{
	return (a->known == b->known && a->dev == b->dev && a->ino == b->ino &&
	    a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec);
}

/*
 * token_file changed since it was read (a person put a new token there, or
 * another tool refreshed it): read it, and the refresh token, again.
 */
static void
ae_token_watch(struct aliexpress *ae)
{
	struct ae_file_id now;
	struct timespec mono;
	char *t, *r = NULL, *cause = NULL;

	/*
	 * At most one stat() a second while the calls are taken: a new
	 * token is seen within a second; a refused one (auth_failed, or an
	 * AUTH answer, which forgets the time) stats at every call.
	 */
	if (clock_gettime(CLOCK_MONOTONIC, &mono) == -1)
		mono.tv_sec = mono.tv_nsec = 0;
	if (!ae->auth_failed && ae->token_statted.tv_sec != 0 &&
	    (mono.tv_sec - ae->token_statted.tv_sec) * 1000000000L +
		    (mono.tv_nsec - ae->token_statted.tv_nsec) <
		1000000000L)
		return;
	ae->token_statted = mono;
	ae_file_id(ae->token_path, &now);
	if (ae_file_same(&now, &ae->token_id))
		return;
	if ((t = ae->api->secret(ae->host, "token_file", &cause)) == NULL) {
		ae->api->log(ae->host, DELISTD_LOG_WARNING, "%s",
		    cause != NULL ? cause : "token_file: cannot read it");
		free(cause);
		ae->token_id = now; /* complain once per change */
		return;
	}
	if (ae->refresh_path != NULL &&
	    (r = ae->api->secret(ae->host, "refresh_token_file", &cause)) ==
		NULL) {
		ae->api->log(ae->host, DELISTD_LOG_WARNING, "%s",
		    cause != NULL ? cause
				  : "refresh_token_file: cannot read it");
		free(cause);
	}
	ae->api->secret_free(ae->token);
	ae->token = t;
	ae->token_gen++;
	if (r != NULL) {
		ae->api->secret_free(ae->refresh_token);
		ae->refresh_token = r;
	}
	ae->token_id = now;
	ae->expires_at = 0;
	ae->refresh_after = 0;
	if (ae->auth_failed)
		ae->api->log(ae->host, DELISTD_LOG_NOTICE,
		    "%s changed: calling AliExpress again", ae->token_path);
	else
		ae->api->log(ae->host, DELISTD_LOG_INFO, "%s changed: re-read",
		    ae->token_path);
	ae->auth_failed = 0;
}

/*
 * Replaces path's content with one line, atomically: a temp file beside it
 * (mode 0600), written, fsync'd, renamed over it, then the directory
 * fsync'd. The cause names the file, never the content.
 */
static int
ae_write_file(const char *path, const char *line, char **cause)
{
	char *tmp = NULL, *dir = NULL;
	size_t len = strlen(line), off = 0;
	ssize_t n;
	int fd = -1, dfd, saved;

	if (asprintf(&tmp, "%s.XXXXXX", path) == -1)
		return (cause_fail(cause, "out of memory"));
	if ((fd = mkstemp(tmp)) == -1) {
		saved = errno;
		cause_fail(
		    cause, "cannot write beside %s: %s", path, strerror(saved));
		free(tmp);
		return (-1);
	}
	if (fchmod(fd, 0600) == -1)
		goto fail;
	while (off < len) {
		if ((n = write(fd, line + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)n;
	}
	if (write(fd, "\n", 1) != 1 || fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	free(tmp);
	if ((dir = strdup(path)) != NULL &&
	    (dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) !=
		-1) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
	return (0);

fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(tmp);
	return (
	    cause_fail(cause, "cannot write %s: %s", path, strerror(saved)));
}

/* --- calls -------------------------------------------------------------- */

static struct ae_call *
ae_call_new(struct aliexpress *ae, enum ae_call_kind kind, void *token)
{
	struct ae_call *c;

	if ((c = calloc(1, sizeof *c)) == NULL)
		return (NULL);
	c->ae = ae;
	c->kind = kind;
	c->token = token;
	TAILQ_INSERT_TAIL(&ae->calls, c, entry);
	return (c);
}

static void
ae_call_free(struct ae_call *c)
{
	TAILQ_REMOVE(&c->ae->calls, c, entry);
	free(c->product_id);
	free(c);
}

static int
ae_check(void *instance, const char *shop, const char *product_id,
    delistd_check_done done, void *token)
{
	struct aliexpress *ae = instance;
	struct ae_call *c;
	size_t n = strspn(product_id, "0123456789");

	(void)shop;
	if ((c = ae_call_new(ae, AE_CALL_CHECK, token)) == NULL)
		return (-1);
	c->check_done = done;
	if ((c->product_id = strdup(product_id)) == NULL) {
		ae_call_free(c);
		return (-1);
	}
	if (n == 0 || n > 20 || product_id[n] != '\0')
		ae_call_fail(c, DELISTD_SOURCE_PERMANENT, 0,
		    "product id \"%.32s\" is not an AliExpress product id "
		    "(digits)",
		    product_id);
	else
		ae_call_start(c);
	return (0);
}

/*
 * cursor: "<ws_display>:<page>" for DELISTED (the code being paged, so a
 * reload that reorders delisted_codes cannot skip one), "onSelling:<page>"
 * for ON_SALE. A cursor this configuration would not give starts over.
 */
static int
ae_sweep(void *instance, const char *shop, enum delistd_status status,
    const char *cursor, delistd_sweep_done done, void *token)
{
	struct aliexpress *ae = instance;
	struct ae_call *c;
	const char *colon;
	char *ep;
	long long page = 1;
	size_t i, len;

	(void)shop;
	if (status != DELISTD_STATUS_DELISTED &&
	    status != DELISTD_STATUS_ON_SALE)
		return (-1);
	if ((c = ae_call_new(ae, AE_CALL_SWEEP, token)) == NULL)
		return (-1);
	c->sweep_done = done;
	c->status = status;
	c->code = 0;
	if (cursor != NULL) {
		if ((colon = strchr(cursor, ':')) == NULL)
			goto bad;
		len = colon - cursor;
		errno = 0;
		page = strtoll(colon + 1, &ep, 10);
		if (*ep != '\0' || errno != 0 || page < 1 ||
		    page > AE_PAGES_MAX)
			goto bad;
		if (status == DELISTD_STATUS_ON_SALE) {
			if (len != 9 || strncmp(cursor, "onSelling", 9) != 0)
				goto bad;
		} else {
			for (i = 0; i < ae->ncodes; i++)
				if (strlen(ae->codes[i]) == len &&
				    strncmp(ae->codes[i], cursor, len) == 0)
					break;
			if (i == ae->ncodes)
				goto bad;
			c->code = i;
		}
	}
	c->page = page;
	ae_call_start(c);
	return (0);

bad:
	/* From before a reload that changed delisted_codes, say. */
	ae->api->log(ae->host, DELISTD_LOG_INFO,
	    "sweep cursor \"%.64s\" is not one of this configuration's: the "
	    "sweep starts over",
	    cursor);
	c->code = 0;
	c->page = 1;
	ae_call_start(c);
	return (0);
}

/* Answers the call later, from a timer: never from within check/sweep. */
static void
ae_call_fail(struct ae_call *c, enum delistd_source_error kind,
    int64_t retry_after, const char *fmt, ...)
{
	va_list ap;

	c->error.kind = kind;
	c->error.retry_after = retry_after;
	va_start(ap, fmt);
	vsnprintf(c->error.text, sizeof c->error.text, fmt, ap);
	va_end(ap);
	ae_redact(c->ae, c->error.text);
	c->waiting = 0;
	c->timer = c->ae->api->timer_add(c->ae->host, 0, ae_call_deferred, c);
	if (c->timer == NULL)
		c->ae->api->log(c->ae->host, DELISTD_LOG_ERROR,
		    "cannot arm a timer: a call is lost");
}

/* The call's deferred failure. Nothing touches the instance after done. */
static void
ae_call_deferred(void *arg)
{
	struct ae_call *c = arg;
	struct delistd_check_result r;
	struct delistd_sweep_page pg;
	delistd_check_done cdone = c->check_done;
	delistd_sweep_done sdone = c->sweep_done;
	enum ae_call_kind kind = c->kind;
	struct ae_error err = c->error;
	void *token = c->token;

	ae_call_free(c);
	if (kind == AE_CALL_CHECK) {
		memset(&r, 0, sizeof r);
		r.status = DELISTD_STATUS_ERROR;
		r.raw = "";
		r.error = err.text;
		r.error_kind = err.kind;
		r.retry_after = err.retry_after;
		r.retryable = ae_retryable(err.kind);
		cdone(token, &r);
	} else {
		memset(&pg, 0, sizeof pg);
		pg.error = 1;
		pg.error_text = err.text;
		pg.error_kind = err.kind;
		pg.retry_after = err.retry_after;
		pg.retryable = ae_retryable(err.kind);
		sdone(token, &pg);
	}
}

static void
ae_call_start(struct ae_call *c)
{
	struct aliexpress *ae = c->ae;

	ae_token_watch(ae);
	if (ae->auth_failed) {
		ae_call_fail(c, DELISTD_SOURCE_AUTH, 0,
		    "AliExpress refused the credentials; waiting for a new "
		    "token in %s",
		    ae->token_path);
		return;
	}
	if (ae->refreshing || ae_refresh_due(ae)) {
		c->waiting = 1;
		ae_refresh_start(ae);
		return;
	}
	if (ae_call_send(c) == -1)
		ae_call_fail(c, DELISTD_SOURCE_TRANSIENT, 0,
		    "the HTTP request could not be started");
}

/* Whether to refresh before the next call: near a known expiry. */
static int
ae_refresh_due(struct aliexpress *ae)
{
	int64_t now = ae->api->now(ae->host), ahead;

	if (ae->refresh_path == NULL || ae->refresh_token == NULL ||
	    ae->expires_at == 0 || now < ae->refresh_after)
		return (0);
	ahead = (ae->expires_at - ae->refreshed_at) / 2;
	if (ahead > AE_REFRESH_AHEAD || ahead < 0)
		ahead = AE_REFRESH_AHEAD;
	return (now >= ae->expires_at - ahead);
}

/*
 * key=value&... with values percent-encoded (RFC 3986 unreserved kept, by
 * a table: the same in every locale, and no call per character).
 */
static char *
ae_form(
    struct aliexpress *ae, const char *sign, const struct ae_param *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	static const unsigned char unreserved[256] = {
		['0' ... '9'] = 1,
		['A' ... 'Z'] = 1,
		['a' ... 'z'] = 1,
		['-'] = 1,
		['.'] = 1,
		['_'] = 1,
		['~'] = 1,
	};
	const unsigned char *v;
	size_t i, len = 0, k;
	char *out, *o;

	(void)ae;
	for (i = 0; i < n; i++)
		len += strlen(p[i].key) + 3 * strlen(p[i].value) + 2;
	len += 6 + strlen(sign) + 1;
	if ((out = malloc(len)) == NULL)
		return (NULL);
	o = out;
	for (i = 0; i < n + 1; i++) {
		const char *key = i < n ? p[i].key : "sign";
		const char *val = i < n ? p[i].value : sign;

		if (i > 0)
			*o++ = '&';
		for (k = 0; key[k] != '\0'; k++)
			*o++ = key[k];
		*o++ = '=';
		for (v = (const unsigned char *)val; *v != '\0'; v++) {
			if (unreserved[*v])
				*o++ = (char)*v;
			else {
				*o++ = '%';
				*o++ = hex[*v >> 4];
				*o++ = hex[*v & 15];
			}
		}
	}
	*o = '\0';
	return (out);
}

static int
ae_http(struct aliexpress *ae, const char *url, char *body, delistd_http_cb cb,
    void *arg)
{
	/*
	 * No headers of our own: libcurl's say what a form POST is
	 * (Content-Type: application/x-www-form-urlencoded), the body is
	 * ASCII (percent-encoded), and the gateway answers JSON because the
	 * signed parameters ask for it (format=json). A header given here
	 * would be formatted again, a character at a time, on every call.
	 */
	struct delistd_http_request req;
	int rc;

	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.url = url;
	req.body = body;
	req.body_len = strlen(body);
	req.timeout_ms = ae->timeout * 1000;
	req.connect_timeout_ms =
	    (ae->timeout < AE_CONNECT_TIMEOUT ? ae->timeout
					      : AE_CONNECT_TIMEOUT) *
	    1000;
	rc = ae->api->http(ae->host, &req, cb, arg);
	/* The body carries the token: wipe the copy we made. */
	explicit_bzero(body, req.body_len);
	free(body);
	return (rc);
}

/* Builds, signs and sends one /sync request for the call. */
static int
ae_call_send(struct ae_call *c)
{
	struct aliexpress *ae = c->ae;
	struct ae_param p[AE_PARAMS_MAX];
	char ts[32], sig[AE_SIGN_LEN + 1], *query = NULL, *body;
	const char *method;
	json_t *q;
	size_t n = 0;
	int rc;

	snprintf(ts, sizeof ts, "%" PRId64, ae->api->now(ae->host) * 1000);
	if (c->kind == AE_CALL_CHECK) {
		method = AE_METHOD_CHECK;
		p[n++] = (struct ae_param){ "product_id", c->product_id };
	} else {
		method = AE_METHOD_LIST;
		if (c->status == DELISTD_STATUS_DELISTED)
			q = json_pack("{s:s, s:s, s:I, s:i}",
			    "product_status_type", "offline", "ws_display",
			    ae->codes[c->code], "current_page",
			    (json_int_t)c->page, "page_size", AE_PAGE_SIZE);
		else
			q = json_pack("{s:s, s:I, s:i}", "product_status_type",
			    "onSelling", "current_page", (json_int_t)c->page,
			    "page_size", AE_PAGE_SIZE);
		if (q == NULL ||
		    (query = json_dumps(q, JSON_COMPACT | JSON_SORT_KEYS)) ==
			NULL) {
			json_decref(q);
			return (-1);
		}
		json_decref(q);
		p[n++] =
		    (struct ae_param){ "aeop_a_e_product_list_query", query };
	}
	p[n++] = (struct ae_param){ "app_key", ae->app_key };
	p[n++] = (struct ae_param){ "method", method };
	p[n++] = (struct ae_param){ "timestamp", ts };
	p[n++] = (struct ae_param){ "sign_method", "sha256" };
	p[n++] = (struct ae_param){ "format", "json" };
	p[n++] = (struct ae_param){ "v", "2.0" };
	p[n++] =
	    (struct ae_param){ "simplify", ae->simplify ? "true" : "false" };
	p[n++] = (struct ae_param){ ae->token_param, ae->token };
	if (ae_sign(ae->secret, NULL, p, n, sig) == -1 ||
	    (body = ae_form(ae, sig, p, n)) == NULL) {
		free(query);
		return (-1);
	}
	free(query);
	rc = ae_http(ae, ae->sync_url, body, ae_call_answer, c);
	if (rc == 0) {
		c->in_flight = 1;
		c->sent_gen = ae->token_gen;
	}
	return (rc);
}

/* A transport failure as an error: TRANSIENT, naming what failed. */
static void
ae_transport_error(struct aliexpress *ae,
    const struct delistd_http_response *resp, struct ae_error *err)
{
	memset(err, 0, sizeof *err);
	err->kind = DELISTD_SOURCE_TRANSIENT;
	if (resp->timed_out)
		snprintf(err->text, sizeof err->text,
		    "no answer from %s within %" PRId64 "s", ae->gateway,
		    ae->timeout);
	else
		snprintf(err->text, sizeof err->text, "%s: %s", ae->gateway,
		    resp->error_text != NULL && *resp->error_text != '\0'
			? resp->error_text
			: "transport error");
}

/* Replaces any occurrence of a secret in a text (the platform's own). */
static void
ae_redact(struct aliexpress *ae, char *text)
{
	const char *secrets[] = { ae->secret, ae->token, ae->refresh_token };
	char *p;
	size_t i, len;

	for (i = 0; i < nitems(secrets); i++) {
		if (secrets[i] == NULL || (len = strlen(secrets[i])) < 4)
			continue;
		while ((p = strstr(text, secrets[i])) != NULL) {
			memset(p, '*', len);
		}
	}
}

static void
ae_call_answer(const struct delistd_http_response *resp, void *arg)
{
	struct ae_call *c = arg;

	c->in_flight = 0;
	if (c->kind == AE_CALL_CHECK)
		ae_check_answer(c, resp);
	else
		ae_sweep_answer(c, resp);
}

/*
 * AUTH from the platform: once, call again with the token that replaced
 * the refused one meanwhile, or refresh and call again (when a refresh
 * token is configured); else stop until token_file changes. Returns 1 when
 * the call was taken over.
 */
static int
ae_call_auth(struct ae_call *c, const struct ae_error *err)
{
	struct aliexpress *ae = c->ae;

	/* Already refused, refresh token and all: no more tries. */
	if (ae->auth_failed)
		return (0);
	/* A token put in token_file since the last stat() is tried first. */
	ae->token_statted.tv_sec = 0;
	ae_token_watch(ae);
	if (!c->retried_auth && c->sent_gen != ae->token_gen) {
		c->retried_auth = 1;
		ae_call_start(c);
		return (1);
	}
	if (ae->refresh_path != NULL && ae->refresh_token != NULL &&
	    !c->retried_auth) {
		c->retried_auth = 1;
		c->waiting = 1;
		ae->refresh_after = 0;
		ae_refresh_start(ae);
		return (1);
	}
	ae_auth_refused(ae, err->text);
	return (0);
}

static void
ae_auth_refused(struct aliexpress *ae, const char *why)
{
	if (!ae->auth_failed)
		ae->api->log(ae->host, DELISTD_LOG_WARNING,
		    "AliExpress refuses the credentials (%s): no calls until "
		    "%s changes",
		    why, ae->token_path);
	ae->auth_failed = 1;
	ae_file_id(ae->token_path, &ae->token_id);
}

static void
ae_check_answer(struct ae_call *c, const struct delistd_http_response *resp)
{
	struct aliexpress *ae = c->ae;
	struct delistd_check_result r;
	struct ae_product p;
	delistd_check_done done = c->check_done;
	void *token = c->token;
	char id[32];

	memset(&p, 0, sizeof p);
	if (resp->error != 0) {
		ae_transport_error(ae, resp, &p.error);
		p.status = DELISTD_STATUS_ERROR;
	} else
		ae_parse_product(resp->body, resp->body_len, resp->status,
		    (const char *const *)ae->codes, ae->ncodes,
		    ae->api->now(ae->host), &p);
	ae_redact(ae, p.error.text);
	if (p.status == DELISTD_STATUS_ERROR &&
	    p.error.kind == DELISTD_SOURCE_AUTH && ae_call_auth(c, &p.error)) {
		ae_product_free(&p);
		return;
	}
	snprintf(id, sizeof id, "%s", c->product_id);
	ae_call_free(c);

	memset(&r, 0, sizeof r);
	r.status = p.status;
	r.platform_code = p.platform_code;
	r.offline_at = p.offline_at;
	r.title = p.title;
	r.raw = resp->body != NULL ? resp->body : "";
	r.raw_len = resp->body != NULL ? resp->body_len : 0;
	r.images = (const char *const *)p.images;
	r.image_count = p.image_count;
	if (p.status == DELISTD_STATUS_ERROR) {
		r.error = p.error.text;
		r.error_kind = p.error.kind;
		r.retry_after = p.error.retry_after;
		r.retryable = ae_retryable(p.error.kind);
		ae->api->log(ae->host, DELISTD_LOG_DEBUG, "check %s: %s", id,
		    p.error.text);
	}
	done(token, &r);
	ae_product_free(&p);
}

static void
ae_sweep_answer(struct ae_call *c, const struct delistd_http_response *resp)
{
	struct aliexpress *ae = c->ae;
	struct delistd_sweep_page out;
	struct ae_page pg;
	delistd_sweep_done done = c->sweep_done;
	void *token = c->token;
	char next[96], *nextp = NULL;
	const char *code;
	size_t i;
	int more;

	memset(&pg, 0, sizeof pg);
	if (resp->error != 0)
		ae_transport_error(ae, resp, &pg.error);
	else
		ae_parse_page(resp->body, resp->body_len, resp->status,
		    ae->api->now(ae->host), &pg);
	ae_redact(ae, pg.error.text);
	if (pg.error.kind == DELISTD_SOURCE_AUTH &&
	    ae_call_auth(c, &pg.error)) {
		ae_page_free(&pg);
		return;
	}

	memset(&out, 0, sizeof out);
	if (pg.error.kind != DELISTD_SOURCE_OK) {
		out.error = 1;
		out.error_text = pg.error.text;
		out.error_kind = pg.error.kind;
		out.retry_after = pg.error.retry_after;
		out.retryable = ae_retryable(pg.error.kind);
	} else {
		/* Without total_page, a full page means there may be more. */
		more = pg.total_page > 0 ? c->page < pg.total_page
					 : pg.count >= AE_PAGE_SIZE;
		if (c->page >= AE_PAGES_MAX)
			more = 0;
		code = c->status == DELISTD_STATUS_ON_SALE ? "onSelling"
							   : ae->codes[c->code];
		if (more) {
			snprintf(next, sizeof next, "%s:%" PRId64, code,
			    c->page + 1);
			nextp = next;
		} else if (c->status == DELISTD_STATUS_DELISTED &&
		    c->code + 1 < ae->ncodes) {
			snprintf(
			    next, sizeof next, "%s:1", ae->codes[c->code + 1]);
			nextp = next;
		}
		/* An item without its own ws_display has the asked one. */
		if (c->status == DELISTD_STATUS_DELISTED)
			for (i = 0; i < pg.count; i++)
				if (pg.codes[i] == NULL)
					pg.codes[i] = strdup(code);
		out.product_ids = (const char *const *)pg.ids;
		out.count = pg.count;
		out.titles = (const char *const *)pg.titles;
		out.platform_codes = (const char *const *)pg.codes;
		out.next_cursor = nextp;
	}
	ae_call_free(c);
	done(token, &out);
	ae_page_free(&pg);
}

/* --- token refresh ------------------------------------------------------ */

static void
ae_refresh_start(struct aliexpress *ae)
{
	struct ae_param p[5];
	char ts[32], sig[AE_SIGN_LEN + 1], *body, *url;
	struct ae_error err;
	size_t n = 0;

	if (ae->refreshing)
		return;
	snprintf(ts, sizeof ts, "%" PRId64, ae->api->now(ae->host) * 1000);
	p[n++] = (struct ae_param){ "app_key", ae->app_key };
	p[n++] = (struct ae_param){ "timestamp", ts };
	p[n++] = (struct ae_param){ "sign_method", "sha256" };
	p[n++] = (struct ae_param){ "refresh_token", ae->refresh_token };
	memset(&err, 0, sizeof err);
	err.kind = DELISTD_SOURCE_TRANSIENT;
	snprintf(err.text, sizeof err.text,
	    "the token refresh could not be started");
	if (ae_sign(ae->secret, AE_REFRESH_PATH, p, n, sig) == -1 ||
	    (body = ae_form(ae, sig, p, n)) == NULL) {
		ae_refresh_done(ae, &err);
		return;
	}
	if (asprintf(&url, "%s/rest%s", ae->gateway, AE_REFRESH_PATH) == -1) {
		explicit_bzero(body, strlen(body));
		free(body);
		ae_refresh_done(ae, &err);
		return;
	}
	ae->refreshing = 1;
	if (ae_http(ae, url, body, ae_refresh_answer, ae) == -1) {
		ae->refreshing = 0;
		free(url);
		ae_refresh_done(ae, &err);
		return;
	}
	free(url);
	ae->api->log(ae->host, DELISTD_LOG_DEBUG, "refreshing the token");
}

static void
ae_refresh_answer(const struct delistd_http_response *resp, void *arg)
{
	struct aliexpress *ae = arg;
	struct ae_token t;
	char *cause = NULL;
	int64_t now = ae->api->now(ae->host);

	ae->refreshing = 0;
	memset(&t, 0, sizeof t);
	if (resp->error != 0)
		ae_transport_error(ae, resp, &t.error);
	else if (ae_parse_token(
		     resp->body, resp->body_len, resp->status, now, &t) == 0) {
		if ((t.refresh_token != NULL &&
			ae_write_file(
			    ae->refresh_path, t.refresh_token, &cause) == -1) ||
		    ae_write_file(ae->token_path, t.access_token, &cause) ==
			-1) {
			/* Use the new token anyway; say why it is not kept. */
			ae->api->log(ae->host, DELISTD_LOG_ERROR,
			    "the refreshed token is not saved: %s",
			    cause != NULL ? cause : "out of memory");
			free(cause);
		}
		ae->api->secret_free(ae->token);
		ae->token = t.access_token;
		t.access_token = NULL;
		ae->token_gen++;
		if (t.refresh_token != NULL) {
			ae->api->secret_free(ae->refresh_token);
			ae->refresh_token = t.refresh_token;
			t.refresh_token = NULL;
		}
		ae_file_id(ae->token_path, &ae->token_id);
		ae->expires_at = t.expires_at;
		ae->refreshed_at = now;
		ae->refresh_after = 0;
		ae->auth_failed = 0;
		if (t.expires_at != 0)
			ae->api->log(ae->host, DELISTD_LOG_NOTICE,
			    "token refreshed, valid for %" PRId64 "s",
			    t.expires_at - now);
		else
			ae->api->log(
			    ae->host, DELISTD_LOG_NOTICE, "token refreshed");
	}
	ae_redact(ae, t.error.text);
	ae_refresh_done(ae, &t.error);
	ae_token_free(&t);
}

/*
 * A refresh ended (err->kind OK: it worked). The waiting calls go out with
 * the new token; on failure, those that had met AUTH fail (AUTH when the
 * refresh token was refused too), the others go out with the old token.
 */
static void
ae_refresh_done(struct aliexpress *ae, const struct ae_error *err)
{
	struct ae_call *c, *next;

	if (err->kind == DELISTD_SOURCE_AUTH)
		ae_auth_refused(ae, err->text);
	else if (err->kind != DELISTD_SOURCE_OK) {
		ae->refresh_after = ae->api->now(ae->host) + AE_REFRESH_PAUSE;
		ae->api->log(ae->host, DELISTD_LOG_WARNING,
		    "token refresh failed: %s", err->text);
	}
	for (c = TAILQ_FIRST(&ae->calls); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (!c->waiting)
			continue;
		c->waiting = 0;
		if (err->kind == DELISTD_SOURCE_AUTH)
			ae_call_fail(c, DELISTD_SOURCE_AUTH, 0,
			    "token refresh refused: %s", err->text);
		else if (err->kind != DELISTD_SOURCE_OK && c->retried_auth)
			ae_call_fail(c, err->kind, err->retry_after,
			    "token refused, and its refresh failed: %s",
			    err->text);
		else if (ae_call_send(c) == -1)
			ae_call_fail(c, DELISTD_SOURCE_TRANSIENT, 0,
			    "the HTTP request could not be started");
	}
}

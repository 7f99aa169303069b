/* SPDX-License-Identifier: ISC */
/*
 * delistd/plugin.h: the whole contract between delistd and a plugin.
 *
 * A plugin is a shared object in delistd's plugin_dir that exports one
 * symbol, DELISTD_PLUGIN_SYMBOL ("delistd_plugin"): a const struct
 * delistd_plugin. delistd loads it with dlopen(RTLD_NOW | RTLD_LOCAL),
 * refuses it unless its abi field equals the DELISTD_PLUGIN_ABI delistd was
 * built with, then calls init once per configured instance (the same module
 * may be configured several times, e.g. two webhooks).
 *
 * Everything a plugin needs from delistd comes through the host services
 * table handed to init (struct delistd_host_api): logging, the clock, its
 * own configuration block, secrets from *_file keys, asynchronous HTTP(S),
 * timers and child processes. A plugin never blocks: delistd runs one event
 * loop in one thread, and every hook is called on it. A plugin gets no
 * database handle and no other access to delistd's internals; it must not
 * create threads that call the host, install signal handlers, or call
 * exit().
 *
 * Memory: strings and structures passed to a plugin are valid only during
 * the call (or callback) that passes them, unless said otherwise; copy what
 * you keep. Strings a plugin hands back (causes, results) are copied by the
 * host before the call returns. Where a plugin must allocate something the
 * host frees (init's *cause), it uses malloc(3).
 *
 * Build a plugin out of tree with: cc -shared -fPIC -Wl,-z,noexecstack
 * $(pkg-config --cflags delistd-plugin) -o myplugin.so myplugin.c
 * The man page delistd-plugin(3) says the same at length, with an example.
 */

#ifndef DELISTD_PLUGIN_H
#define DELISTD_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any incompatible change to this file. */
#define DELISTD_PLUGIN_ABI 1
/*
 * The services table's version: grows by appending members only.
 * 2: smtp.
 * 3: timer_at (a timer on the daemon's clock).
 * 4: shop_setting (a shop's zone and language).
 */
#define DELISTD_HOST_API_VERSION 4
#define DELISTD_PLUGIN_SYMBOL "delistd_plugin"

/* The roles a module may play (the roles field is a bit set). */
#define DELISTD_ROLE_SOURCE 0x1 /* reports listings' status: check, sweep */
#define DELISTD_ROLE_SINK 0x2 /* takes events: deliver */

/* One configured instance as the host knows it; opaque to the plugin. */
struct delistd_host;

enum delistd_log_level {
	DELISTD_LOG_ERROR,
	DELISTD_LOG_WARNING,
	DELISTD_LOG_NOTICE,
	DELISTD_LOG_INFO,
	DELISTD_LOG_DEBUG,
};

/*
 * HTTP(S). The host runs the transfer on its libcurl multi handle with a
 * connect timeout and an overall timeout (the request's, or the host's
 * defaults of 10 s and 30 s), connection reuse, a cap on transfers in
 * flight, and TLS verification on unless ca_file names another CA bundle.
 */
struct delistd_http_request {
	const char *method; /* "GET", "POST", ... */
	const char *url; /* http://, https:// */
	const char *const *headers; /* "Name: value" strings, NULL-ended */
	const void *body; /* may be NULL */
	size_t body_len;
	long connect_timeout_ms; /* 0: the host's default */
	long timeout_ms; /* 0: the host's default */
	const char *ca_file; /* NULL: the system's CA bundle */
};

struct delistd_http_response {
	int error; /* 0: a response came; non-zero: transport error */
	const char *error_text; /* what failed (connect, timeout, TLS, ...) */
	int timed_out; /* 1 when the error was a timeout */
	long status; /* the HTTP status when error is 0 */
	const char *body; /* NUL-terminated ("" on error); len sans NUL */
	size_t body_len;
	/* Internal to the host: use http_header(), during the callback only. */
	const void *host_private;
};

/* Called once per request, never from within http() itself. */
typedef void (*delistd_http_cb)(
    const struct delistd_http_response *, void *arg);

/*
 * SMTP (version 2 of the table). The host sends one message on the same
 * libcurl multi handle as HTTP, under the same cap on transfers in flight
 * and the same default timeouts: it connects (smtps:// starts with TLS;
 * smtp:// with starttls set requires STARTTLS and fails without it),
 * authenticates when username is set (the best mechanism the server offers,
 * PLAIN and LOGIN included), then MAIL FROM, one RCPT TO per recipient,
 * DATA. TLS is verified unless ca_file names another CA bundle. The URL is
 * smtp://host[:port] or smtps://host[:port], without credentials; a path
 * ("/name") gives the name the host says in EHLO.
 */
struct delistd_smtp_request {
	const char *url; /* smtp://, smtps:// */
	int starttls; /* 1: STARTTLS is required (smtp:// only) */
	const char *username; /* NULL: no AUTH */
	const char *password; /* NULL: none; never logged */
	const char *mail_from; /* the envelope sender: "alerts@example.com" */
	const char *const *rcpt; /* envelope recipients, NULL-ended, >= 1 */
	const char *message; /* the whole RFC 5322 message, CRLF lines */
	size_t message_len;
	long connect_timeout_ms; /* 0: the host's default */
	long timeout_ms; /* 0: the host's default */
	const char *ca_file; /* NULL: the system's CA bundle */
};

/*
 * error 0: the server accepted the message for every recipient (code is
 * then its 250). Otherwise the transfer failed, and code tells how: the
 * server's last reply code (CURLINFO_RESPONSE_CODE) when it refused with a
 * 4xx (try again later) or a 5xx (permanent), or 0 or a 2xx/3xx when the
 * failure was the transport's (connect, TLS, timeout, a dropped link).
 * error_text never holds the password.
 */
struct delistd_smtp_response {
	int error; /* 0: accepted; non-zero: failed, see code */
	const char *error_text; /* what failed; NULL when error is 0 */
	int timed_out; /* 1 when the error was a timeout */
	long code; /* the server's last reply code; 0: none */
};

typedef void (*delistd_smtp_cb)(
    const struct delistd_smtp_response *, void *arg);

/* Child processes: the host spawns, watches, times out and reaps them. */
struct delistd_spawn_request {
	const char *const *argv; /* argv[0] is an absolute path; NULL-ended */
	const char *const *envp; /* the whole environment; NULL-ended */
	const void *input; /* written to the child's stdin, then EOF */
	size_t input_len;
	long timeout_ms; /* then the process group is killed */
	size_t output_max; /* stdout+stderr kept, at most (0: 64 KiB) */
};

struct delistd_spawn_result {
	int error; /* 0: it ran; else it could not be started */
	const char *error_text;
	int timed_out; /* killed after timeout_ms */
	int exit_status; /* when it exited: its status, else -1 */
	int signal; /* when a signal ended it: the signal, else 0 */
	const char *output; /* what it wrote (truncated), NUL-terminated */
	size_t output_len;
};

typedef void (*delistd_spawn_cb)(
    const struct delistd_spawn_result *, void *arg);

typedef void (*delistd_timer_cb)(void *arg);
struct delistd_timer;

/*
 * The host services table, handed to init and valid until fini returns.
 * Every function takes the instance's host handle first. A newer host may
 * hand a larger table: check version (or size) before using a member that a
 * later version added.
 */
struct delistd_host_api {
	uint32_t version; /* DELISTD_HOST_API_VERSION of the host */
	uint32_t size; /* sizeof(struct delistd_host_api) of the host */
	const char *daemon_version;

	/* Logs a line prefixed with the instance's name. */
	void (*log)(struct delistd_host *, enum delistd_log_level,
	    const char *fmt, ...) __attribute__((__format__(__printf__, 3, 4)));
	/* The daemon's clock: UTC seconds (a test clock in tests). */
	int64_t (*now)(struct delistd_host *);
	/* The instance's name ("erp") as configured. */
	const char *(*name)(struct delistd_host *);

	/*
	 * The instance's own configuration block. Each lookup returns -1
	 * when the key is absent or has another type, leaving *out alone.
	 * Strings stay valid until fini. Durations are strings like "30s".
	 */
	int (*conf_string)(
	    struct delistd_host *, const char *key, const char **out);
	int (*conf_int)(struct delistd_host *, const char *key, int64_t *out);
	int (*conf_bool)(struct delistd_host *, const char *key, int *out);
	int (*conf_duration)(
	    struct delistd_host *, const char *key, int64_t *seconds);
	/* A list of strings: its length (-1 if absent) and its items. */
	int (*conf_list_len)(struct delistd_host *, const char *key);
	const char *(*conf_list_string)(
	    struct delistd_host *, const char *key, int index);
	/*
	 * Keys the plugin understands: it calls this once from init with a
	 * NULL-ended list; any other key in its block (besides the host's own:
	 * name, module, events, min_severity, retry_base, retry_cap,
	 * max_attempts) makes init fail with "unknown key", file and line.
	 */
	int (*conf_keys)(
	    struct delistd_host *, const char *const *keys, char **cause);
	/*
	 * Reads the secret named by a key ending in _file (every such key
	 * but ca_file is a secret: the host has checked that it is not
	 * readable by group or others). Returns a
	 * malloc'd string without its trailing newline, or NULL with *cause.
	 * Free it with secret_free, which wipes it first. Never log it.
	 */
	char *(*secret)(struct delistd_host *, const char *key, char **cause);
	void (*secret_free)(char *);

	/*
	 * Starts an HTTP request; the request (URL, headers, body) is copied
	 * and need not outlive the call. cb is called exactly once, later,
	 * unless the instance is finalised first (then never). Returns 0, or
	 * -1 if the request could not even be started (bad URL, bad header).
	 */
	int (*http)(struct delistd_host *, const struct delistd_http_request *,
	    delistd_http_cb cb, void *arg);
	/* A response header's value (first match, case-insensitive), or NULL. */
	const char *(*http_header)(
	    const struct delistd_http_response *, const char *name);

	/*
	 * A one-shot timer; cancelled automatically when fini runs. Cancel
	 * only a timer that has not fired: its handle is gone once its
	 * callback runs.
	 */
	struct delistd_timer *(*timer_add)(struct delistd_host *,
	    int64_t milliseconds, delistd_timer_cb cb, void *arg);
	void (*timer_cancel)(struct delistd_timer *);

	/*
	 * Runs a program without a shell, in its own process group, with
	 * exactly envp (NULL: empty), default signal dispositions, an empty
	 * signal mask and only fds 0-2 open; timeout_ms 0 means 30 s. cb is
	 * called exactly once when it has exited or been killed (up to 2 s
	 * after the timeout, while the group is killed), unless the instance
	 * is finalised first: then the child is killed and cb is not called.
	 * Returns 0, or -1 if the program could not be started (then cb is
	 * not called). Children never outlive the daemon.
	 */
	int (*spawn)(struct delistd_host *,
	    const struct delistd_spawn_request *, delistd_spawn_cb cb,
	    void *arg);

	/*
	 * Version 2. Sends one mail; the request (strings, recipients,
	 * message, credentials) is copied and need not outlive the call. cb
	 * is called exactly once, later, unless the instance is finalised
	 * first (then never). Returns 0, or -1 if the transfer could not
	 * even be started (bad URL, no recipient, a CR or LF in an address).
	 */
	int (*smtp)(struct delistd_host *, const struct delistd_smtp_request *,
	    delistd_smtp_cb cb, void *arg);

	/*
	 * Version 3. A one-shot timer that fires once the daemon's clock
	 * (now) reads at least when, UTC seconds: with the system clock that
	 * is when real time gets there; with a test clock, when the test
	 * moves the clock there, however long that takes. A when in the
	 * past fires soon, from the event loop. Cancel it with timer_cancel,
	 * as a timer of timer_add; fini cancels it too.
	 */
	struct delistd_timer *(*timer_at)(struct delistd_host *, int64_t when,
	    delistd_timer_cb cb, void *arg);

	/*
	 * Version 4. What the configuration says of a shop, for the text a
	 * person reads: key "timezone" (the shop's zone, else the daemon's:
	 * never NULL for a configured shop) or "language" ("zh-CN" or "en";
	 * NULL when the shop sets none). NULL for an unknown shop or key;
	 * shop NULL asks for the daemon's own "timezone".
	 * Valid until the callback returns: copy what is kept.
	 */
	const char *(*shop_setting)(
	    struct delistd_host *, const char *shop, const char *key);

	void *reserved[5];
};

/*
 * An event to deliver. The JSON document is the event as delistd-events(7)
 * describes it (stable: fields are only ever added). key is the delivery's
 * idempotency key, the same on every attempt and after a restart: receivers
 * use it to drop duplicates (deliveries are at least once).
 */
struct delistd_event {
	const char *key; /* "<event id>-<instance name>" */
	int64_t id; /* the event's id in the trail */
	const char *type; /* "case.reinstated", ... */
	const char *severity; /* "info", "warning", "critical" */
	int64_t case_id; /* 0: not about a case */
	const char *shop; /* may be NULL */
	const char *product_id; /* may be NULL */
	const char *json; /* the event document, NUL-terminated */
	size_t json_len;
	int attempt; /* 1 on the first try */
};

enum delistd_result {
	DELISTD_DELIVERED, /* done: the receiver has it */
	DELISTD_RETRY, /* try again later (timeouts, 5xx, 429, ...) */
	DELISTD_FAILED, /* permanent: retrying cannot help (4xx, ...) */
};

/*
 * Completion of a deliver: result, a retry delay the receiver asked for
 * (seconds; 0: the host's backoff), and an error for the log and
 * `delistctl outbox` (may be NULL; with DELIVERED, a note kept with the
 * delivery, such as "counted for the next digest"). Call it exactly once
 * per deliver, from a callback (never from within deliver itself).
 */
typedef void (*delistd_deliver_done)(
    void *token, enum delistd_result, int64_t retry_after, const char *error);

/* A listing's status as a source sees it. */
enum delistd_status {
	DELISTD_STATUS_ON_SALE, /* shown and sold */
	DELISTD_STATUS_DELISTED, /* taken down for a violation */
	DELISTD_STATUS_OFFLINE, /* offline for another reason */
	DELISTD_STATUS_UNDER_REVIEW, /* the platform is reviewing it */
	DELISTD_STATUS_FAILED_REVIEW, /* review failed: editing required */
	DELISTD_STATUS_NOT_FOUND, /* no such listing */
	DELISTD_STATUS_ERROR, /* no answer to trust: see error */
};

/*
 * What kind of failure a source met (with STATUS_ERROR, or a failed sweep
 * page). The host acts on the kind: it never opens or closes a case from an
 * error, waits out THROTTLED for retry_after seconds (plus a margin) before
 * it calls the source again, stops calling a QUOTA source until retry_after
 * (the platform's quota day ends) and raises source.quota_exhausted, and
 * stops calling an AUTH source (raising source.auth_failed) until a reload
 * or until the source answers again: while its token is unchanged an AUTH
 * source should answer AUTH at once, without a network call.
 */
enum delistd_source_error {
	DELISTD_SOURCE_OK, /* not an error */
	DELISTD_SOURCE_TRANSIENT, /* network, 5xx, malformed answer: retry */
	DELISTD_SOURCE_THROTTLED, /* the platform asked to wait retry_after s */
	DELISTD_SOURCE_QUOTA, /* daily quota used up; retry_after: until reset */
	DELISTD_SOURCE_AUTH, /* credentials refused */
	DELISTD_SOURCE_PERMANENT, /* retrying the same call cannot help */
};

struct delistd_check_result {
	enum delistd_status status;
	const char *platform_code; /* e.g. "punish_offline"; may be NULL */
	int64_t offline_at; /* when delisted, UTC seconds; 0: unknown */
	const char *title; /* may be NULL */
	const char *raw; /* the platform's answer, for the evidence */
	size_t raw_len;
	int retryable; /* with STATUS_ERROR */
	int64_t retry_after; /* seconds the platform asked to wait */
	const char *error; /* with STATUS_ERROR: for logs; never a secret */
	enum delistd_source_error error_kind; /* with STATUS_ERROR */
	/* The listing's image URLs when the platform returned them. */
	const char *const *images;
	size_t image_count;
};

typedef void (*delistd_check_done)(
    void *token, const struct delistd_check_result *);

/*
 * One page of a sweep: the listings in the asked status. titles and
 * platform_codes run parallel to product_ids; either may be NULL, and so
 * may any of their items.
 */
struct delistd_sweep_page {
	const char *const *product_ids;
	size_t count;
	const char *next_cursor; /* NULL: this was the last page */
	int error; /* with error_text: the page failed */
	const char *error_text;
	int retryable;
	int64_t retry_after;
	enum delistd_source_error error_kind; /* with error */
	const char *const *titles;
	const char *const *platform_codes;
};

typedef void (*delistd_sweep_done)(
    void *token, const struct delistd_sweep_page *);

/*
 * What a source declares about its platform (the plugin's source_info;
 * static, read by the host at any time). size is sizeof(struct
 * delistd_source_info) as the module was built: the table grows by
 * appending members only, and the host reads none beyond size.
 *
 * Product IDs: the host refuses a product ID of a shop that uses this
 * source (delistctl track, import, case open) unless it is id_min to
 * id_max bytes, each one of id_chars; id_syntax says so to a person in the
 * error ("digits only, 10 to 20 of them") and id_example shows one. NULL
 * id_chars: no check of the IDs.
 *
 * volatile_keys: names of JSON members of a check's raw answer that change
 * on every call without the listing changing (a request ID, a trace ID,
 * a timestamp), NULL-ended, may be NULL. The host keeps each listing's
 * last healthy (on sale) answer as the "before" evidence of a case it
 * opens later, and stores it again only when it changed: it compares the
 * answers without these members, at any depth.
 */
struct delistd_source_info {
	uint32_t size; /* sizeof(struct delistd_source_info) */
	const char *id_chars; /* the bytes an ID is made of; NULL: any ID */
	uint32_t id_min; /* the fewest bytes */
	uint32_t id_max; /* the most bytes */
	const char *id_syntax; /* "digits only, 10 to 20 of them" */
	const char *id_example; /* "1005001234567890" */
	const char *const *volatile_keys; /* { "request_id", NULL } */
};

struct delistd_plugin {
	uint32_t abi; /* DELISTD_PLUGIN_ABI */
	const char *name; /* the module's name, e.g. "webhook" */
	const char *version; /* the module's own version string */
	uint32_t roles; /* DELISTD_ROLE_* bits */

	/*
	 * Creates an instance for one configuration block: check the block
	 * (conf_keys, then each value), read secrets, keep what is needed in
	 * *instance. On failure return -1 with *cause a malloc'd sentence for
	 * the admin (the host frees it); nothing else is called then.
	 */
	int (*init)(struct delistd_host *, const struct delistd_host_api *,
	    void **instance, char **cause);
	/*
	 * Frees the instance. Pending HTTP requests, timers and children of
	 * the instance are cancelled by the host; their callbacks are not
	 * called. Deliveries without a done are retried by the host later;
	 * fini must not call done.
	 */
	void (*fini)(void *instance);

	/* Source role: one listing's status. Return 0, or -1 if not started. */
	int (*check)(void *instance, const char *shop, const char *product_id,
	    delistd_check_done done, void *token);
	/*
	 * Source role: a page of a shop's listings in a status (DELISTED: every
	 * listing taken down for a violation; ON_SALE: the shop's catalog).
	 * cursor is NULL for the first page, then the page's next_cursor.
	 */
	int (*sweep)(void *instance, const char *shop,
	    enum delistd_status status, const char *cursor,
	    delistd_sweep_done done, void *token);

	/*
	 * Sink role: deliver one event. Return 0, or -1 if not started (that
	 * counts as a failed attempt, retried with the host's backoff).
	 */
	int (*deliver)(void *instance, const struct delistd_event *,
	    delistd_deliver_done done, void *token);

	/*
	 * Source role, optional (NULL: the host assumes nothing): what the
	 * platform's answers and IDs look like; see struct
	 * delistd_source_info. Was reserved[0]: a module built before it
	 * has NULL here.
	 */
	const struct delistd_source_info *source_info;

	/*
	 * Sink role, optional (NULL: not offered). The host has event next
	 * for this instance, and next waits behind an earlier event of the
	 * same case that this instance has not answered yet (the host keeps a
	 * case's events in order per sink). A sink that holds deliveries on
	 * purpose (a digest window) may send what it holds now, so that next
	 * does not wait for the hold to end; it still calls done for each
	 * held delivery, from a callback, and gets next only after. It may
	 * also do nothing (next then waits). Called at most once per held
	 * delivery and waiting event; never from within deliver. Was
	 * reserved[1]: a module built before it has NULL here.
	 */
	void (*flush)(void *instance, const struct delistd_event *next);

	void *reserved[6];
};

/* What a module defines (and nothing else needs to be exported). */
extern const struct delistd_plugin delistd_plugin;

#ifdef __cplusplus
}
#endif

#endif

/* SPDX-License-Identifier: ISC */
/*
 * floor.c: what the fixed libraries alone cost per status check, for
 * comparison with the daemon's figure (tests/bench/floor.sh runs it).
 *
 * The same exchange as a check of the aliexpress source, in the same
 * pattern as the scheduler (a second's worth of calls per wake-up), with
 * none of the daemon around it: every tick (1 s) PER_TICK requests to
 * URL/sync, each signed as the plugin signs one (sign.c), sent through one
 * libcurl multi handle on libevent with reused easy handles and
 * keep-alive; each answer parsed with jansson; once all are in, one SQLite
 * transaction (WAL, synchronous=FULL, as the daemon's store) updating one
 * row each of a 100,000-row table through a prepared statement: when it was
 * checked and when it is due next, in the index that finds what is due. No
 * scheduling, no state machine, no events, no logging. Prints the process's
 * CPU time (getrusage) per check over SECONDS ticks after a first one,
 * which opens the connections.
 *
 * usage: floor URL APP_KEY SECRET TOKEN CLOCK_FILE DB SECONDS PER_TICK
 * CLOCK_FILE holds the epoch seconds the fake's signature window uses.
 */

#include <sys/resource.h>
#include <sys/time.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <jansson.h>
#include <sqlite3.h>

#include "sign.h"

#define FLOOR_ROWS 100000
#define FLOOR_MAX 1000

struct sock {
	curl_socket_t fd;
	struct event *ev;
};

struct call {
	CURL *easy;
	char body[1024];
	char *answer;
	size_t len;
	int64_t row;
};

static struct event_base *base;
static CURLM *multi;
static struct event *timer_ev, *tick_ev;
static const char *url, *app_key, *secret, *token;
static long clock_at;
static sqlite3 *db;
static sqlite3_stmt *update;
static struct call calls[FLOOR_MAX];
static int per_tick, pending, ticks_left, ticks;
static long done, failed, done0;
static struct rusage ru0;
static int64_t next_row = 1;

static void
die(const char *what)
{
	fprintf(stderr, "floor: %s\n", what);
	exit(1);
}

static size_t
on_write(char *p, size_t size, size_t n, void *arg)
{
	struct call *c = arg;
	char *a;

	if ((a = realloc(c->answer, c->len + size * n + 1)) == NULL)
		return (0);
	c->answer = a;
	memcpy(a + c->len, p, size * n);
	c->len += size * n;
	a[c->len] = '\0';
	return (size * n);
}

static void
sql(const char *s)
{
	if (sqlite3_exec(db, s, NULL, NULL, NULL) != SQLITE_OK)
		die(sqlite3_errmsg(db));
}

/* All answers of a tick are in: one transaction for them. */
static void
commit(void)
{
	int i;

	sql("BEGIN IMMEDIATE");
	for (i = 0; i < per_tick; i++) {
		sqlite3_bind_int64(update, 1, (int64_t)clock_at);
		sqlite3_bind_int64(update, 2, calls[i].row);
		if (sqlite3_step(update) != SQLITE_DONE)
			die(sqlite3_errmsg(db));
		sqlite3_reset(update);
	}
	sql("COMMIT");
}

static void
collect(void)
{
	CURLMsg *m;
	struct call *c;
	json_t *j;
	long code = 0;
	int left;

	while ((m = curl_multi_info_read(multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(
		    m->easy_handle, CURLINFO_PRIVATE, (char **)&c);
		curl_easy_getinfo(
		    m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
		curl_multi_remove_handle(multi, m->easy_handle);
		j = c->answer != NULL ? json_loadb(c->answer, c->len, 0, NULL)
				      : NULL;
		if (m->data.result != CURLE_OK || code != 200 || j == NULL ||
		    json_object_get(j, "error_response") != NULL)
			failed++;
		else
			done++;
		json_decref(j);
		free(c->answer);
		c->answer = NULL;
		c->len = 0;
		if (--pending == 0)
			commit();
	}
}

static void
on_event(evutil_socket_t fd, short what, void *arg)
{
	int running, flags = 0;

	(void)arg;
	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(multi, fd, flags, &running);
	collect();
}

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
	int running;

	(void)fd;
	(void)what;
	(void)arg;
	curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
	collect();
}

static int
socket_cb(CURL *e, curl_socket_t fd, int what, void *arg, void *sockp)
{
	struct sock *s = sockp;
	short kind;

	(void)e;
	(void)arg;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			event_free(s->ev);
			free(s);
		}
		curl_multi_assign(multi, fd, NULL);
		return (0);
	}
	kind = (short)(EV_PERSIST | ((what & CURL_POLL_IN) ? EV_READ : 0) |
	    ((what & CURL_POLL_OUT) ? EV_WRITE : 0));
	/* As the daemon's http.c: one event per socket, re-assigned. */
	if (s == NULL) {
		if ((s = calloc(1, sizeof *s)) == NULL ||
		    (s->ev = event_new(base, fd, 0, on_event, NULL)) == NULL)
			die("out of memory");
		s->fd = fd;
		curl_multi_assign(multi, fd, s);
	} else
		event_del(s->ev);
	event_assign(s->ev, base, fd, kind, on_event, NULL);
	event_add(s->ev, NULL);
	return (0);
}

static int
timer_cb(CURLM *m, long ms, void *arg)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	(void)m;
	(void)arg;
	if (ms < 0)
		evtimer_del(timer_ev);
	else
		evtimer_add(timer_ev, &tv);
	return (0);
}

/* Starts a tick's checks: each signed as the plugin signs one. */
static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	char ts[32], pid[32], sig[AE_SIGN_LEN + 1];
	struct ae_param p[9];
	struct call *c;
	int i;

	(void)fd;
	(void)what;
	(void)arg;
	if (ticks_left-- == 0) {
		event_base_loopexit(base, NULL);
		return;
	}
	if (pending != 0)
		die("the gateway is slower than a tick");
	/* The first tick opens the connections: measured from the second. */
	if (++ticks == 2) {
		getrusage(RUSAGE_SELF, &ru0);
		done0 = done;
	}
	for (i = 0; i < per_tick; i++) {
		c = &calls[i];
		c->row = next_row;
		next_row = next_row % FLOOR_ROWS + 1;
		snprintf(ts, sizeof ts, "%ld000", clock_at);
		snprintf(
		    pid, sizeof pid, "%" PRId64, 1005001000000000 + c->row);
		p[0] = (struct ae_param){ "product_id", pid };
		p[1] = (struct ae_param){ "app_key", app_key };
		p[2] = (struct ae_param){ "method",
			"aliexpress.postproduct.redefining.findaeproductbyid" };
		p[3] = (struct ae_param){ "timestamp", ts };
		p[4] = (struct ae_param){ "sign_method", "sha256" };
		p[5] = (struct ae_param){ "format", "json" };
		p[6] = (struct ae_param){ "v", "2.0" };
		p[7] = (struct ae_param){ "simplify", "true" };
		p[8] = (struct ae_param){ "access_token", token };
		if (ae_sign(secret, NULL, p, 9, sig) == -1)
			die("cannot sign");
		snprintf(c->body, sizeof c->body,
		    "product_id=%s&app_key=%s&method=%s&timestamp=%s&"
		    "sign_method=sha256&format=json&v=2.0&simplify=true&"
		    "access_token=%s&sign=%s",
		    pid, app_key, p[2].value, ts, token, sig);
		curl_easy_reset(c->easy);
		curl_easy_setopt(c->easy, CURLOPT_URL, url);
		curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, c->body);
		curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, on_write);
		curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, c);
		curl_easy_setopt(c->easy, CURLOPT_PRIVATE, (char *)c);
		curl_easy_setopt(c->easy, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c->easy, CURLOPT_TIMEOUT_MS, 30000L);
		if (curl_multi_add_handle(multi, c->easy) != CURLM_OK)
			die("curl_multi_add_handle");
		pending++;
	}
}

int
main(int argc, char **argv)
{
	struct timeval one = { 1, 0 };
	struct rusage ru;
	FILE *f;
	char stmt[256];
	double user, sys;
	int i, seconds;

	if (argc != 9) {
		fprintf(stderr,
		    "usage: floor URL APP_KEY SECRET TOKEN "
		    "CLOCK_FILE DB SECONDS PER_TICK\n");
		return (2);
	}
	url = argv[1];
	app_key = argv[2];
	secret = argv[3];
	token = argv[4];
	if ((f = fopen(argv[5], "r")) == NULL ||
	    fscanf(f, "%ld", &clock_at) != 1)
		die("cannot read the clock file");
	fclose(f);
	seconds = atoi(argv[7]);
	per_tick = atoi(argv[8]);
	if (seconds < 1 || per_tick < 1 || per_tick > FLOOR_MAX)
		die("SECONDS >= 1, 1 <= PER_TICK <= 1000");

	if (sqlite3_open(argv[6], &db) != SQLITE_OK)
		die("cannot open the database");
	sql("PRAGMA journal_mode = WAL");
	sql("PRAGMA synchronous = FULL");
	/*
	 * A due time stored is a due time to be found: the index the
	 * daemon's due list reads (listings_due), without which the next
	 * checks could only be found by reading every row. All are due at
	 * the start, as the re-checks of source-scale.sh's rate scenario.
	 */
	sql("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY,"
	    " shop_id INTEGER, lane INTEGER, status TEXT, checked_at INTEGER,"
	    " next_check_at INTEGER)");
	sql("CREATE INDEX IF NOT EXISTS t_due ON t (shop_id, lane,"
	    " next_check_at) WHERE next_check_at IS NOT NULL");
	snprintf(stmt, sizeof stmt,
	    "INSERT OR IGNORE INTO t (id, shop_id, lane, status,"
	    " next_check_at) WITH RECURSIVE c(i) AS"
	    " (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d)"
	    " SELECT i, 1, 0, 'on_sale', %ld FROM c",
	    FLOOR_ROWS, clock_at);
	sql(stmt);
	if (sqlite3_prepare_v2(db,
		"UPDATE t SET checked_at = ?1, next_check_at = ?1 + 1800"
		" WHERE id = ?2",
		-1, &update, NULL) != SQLITE_OK)
		die(sqlite3_errmsg(db));

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (base = event_base_new()) == NULL ||
	    (multi = curl_multi_init()) == NULL)
		die("cannot start libevent or libcurl");
	curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)per_tick);
	for (i = 0; i < per_tick; i++)
		if ((calls[i].easy = curl_easy_init()) == NULL)
			die("curl_easy_init");
	timer_ev = evtimer_new(base, on_timeout, NULL);
	tick_ev = event_new(base, -1, EV_PERSIST, on_tick, NULL);
	event_add(tick_ev, &one);
	ticks_left = seconds + 1;

	event_base_dispatch(base);

	getrusage(RUSAGE_SELF, &ru);
	user = (double)(ru.ru_utime.tv_sec - ru0.ru_utime.tv_sec) * 1e6 +
	    (double)(ru.ru_utime.tv_usec - ru0.ru_utime.tv_usec);
	sys = (double)(ru.ru_stime.tv_sec - ru0.ru_stime.tv_sec) * 1e6 +
	    (double)(ru.ru_stime.tv_usec - ru0.ru_stime.tv_usec);
	done -= done0;
	printf("floor_checks %ld\nfloor_failed %ld\n", done, failed);
	if (done > 0)
		printf("floor_cpu_us %.1f\nfloor_user_us %.1f\n"
		       "floor_sys_us %.1f\n",
		    (user + sys) / (double)done, user / (double)done,
		    sys / (double)done);

	for (i = 0; i < per_tick; i++)
		curl_easy_cleanup(calls[i].easy);
	curl_multi_cleanup(multi);
	event_free(timer_ev);
	event_free(tick_ev);
	event_base_free(base);
	curl_global_cleanup();
	sqlite3_finalize(update);
	sqlite3_close(db);
	return (done > 0 && failed == 0 ? 0 : 1);
}

/*
 * store.c: the daemon's state in SQLite, behind verbs (no SQL leaves here).
 *
 * What is persisted, and why:
 *   schema_version  which migrations have run (forward-only, in order)
 *   shops           the shops cases belong to (names from the config)
 *   listings        tracked product pages, their last known status
 *   cases           one delisting episode of one listing, and its state
 *   appeals         each submission with its platform Case ID, the statement,
 *                   its deadlines and whether their alerts have fired
 *   materials       the SHA-256 of every file attached to an appeal
 *   events          the trail: append-only (triggers refuse UPDATE/DELETE)
 * Times are UTC epoch seconds. The database lives in state_dir/delistd.db in
 * WAL mode with synchronous=FULL: an acknowledged change survives kill -9
 * and power loss. Every state change and its event are one transaction
 * (BEGIN IMMEDIATE, so that writers queue instead of failing).
 *
 * Only this file includes sqlite3.h.
 */

#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "delistd.h"

#define STORE_BUSY_MS 5000

struct store {
	sqlite3 *db;
	char *path;
};

/* Each migration runs once, in order, inside one transaction. */
static const char *const store_migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE shops ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE listings ("
	"  id INTEGER PRIMARY KEY,"
	"  shop_id INTEGER NOT NULL REFERENCES shops(id),"
	"  product_id TEXT NOT NULL,"
	"  title TEXT,"
	"  tracked INTEGER NOT NULL DEFAULT 1,"
	"  check_interval INTEGER,"
	"  status TEXT NOT NULL DEFAULT 'unknown',"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  UNIQUE (shop_id, product_id));"
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  listing_id INTEGER NOT NULL REFERENCES listings(id),"
	"  state TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  rule TEXT,"
	"  opened_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  closed_at INTEGER,"
	"  relisted_as TEXT,"
	"  stall_due_at INTEGER,"
	"  stall_fired INTEGER NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX cases_one_open ON cases (listing_id)"
	"  WHERE state IN ('open', 'rectifying', 'appealed', 'approved',"
	"    'reinstated', 'manual_review');"
	"CREATE INDEX cases_stall_due ON cases (stall_due_at)"
	"  WHERE stall_fired = 0 AND stall_due_at IS NOT NULL;"
	"CREATE TABLE appeals ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  n INTEGER NOT NULL,"
	"  platform_case_id TEXT NOT NULL,"
	"  statement TEXT NOT NULL,"
	"  statement_sha256 TEXT NOT NULL,"
	"  submitted_at INTEGER NOT NULL,"
	"  decided_at INTEGER,"
	"  decision TEXT,"
	"  reject_reason TEXT,"
	"  forced TEXT,"
	"  feedback_due_at INTEGER NOT NULL,"
	"  feedback_fired INTEGER NOT NULL DEFAULT 0,"
	"  escalate_due_at INTEGER NOT NULL,"
	"  escalate_fired INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (case_id, n));"
	"CREATE INDEX appeals_feedback_due ON appeals (feedback_due_at)"
	"  WHERE feedback_fired = 0 AND decided_at IS NULL;"
	"CREATE INDEX appeals_escalate_due ON appeals (escalate_due_at)"
	"  WHERE escalate_fired = 0 AND decided_at IS NULL;"
	"CREATE TABLE materials ("
	"  appeal_id INTEGER NOT NULL REFERENCES appeals(id),"
	"  sha256 TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  size INTEGER NOT NULL);"
	"CREATE INDEX materials_appeal ON materials (appeal_id);"
	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER REFERENCES cases(id),"
	"  shop TEXT,"
	"  product_id TEXT,"
	"  at INTEGER NOT NULL,"
	"  recorded_at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  payload TEXT NOT NULL);"
	"CREATE INDEX events_case ON events (case_id, id);"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'the trail is append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'the trail is append-only'); END;",
};

#define STORE_NMIGRATIONS \
	((int)(sizeof store_migrations / sizeof store_migrations[0]))

static int store_exec(struct store *, const char *, char **);
static int store_migrate(struct store *, char **);

/*
 * Creates the state dir if needed and takes the daemon's lock in it, so a
 * second daemon on the same state dir is refused. Returns the lock's fd
 * (kept open for the daemon's life) or -1 with *cause.
 */
int
store_lock(const char *state_dir, int *fdp, char **cause)
{
	struct stat sb;
	char *path, buf[32];
	ssize_t n;
	int fd;

	if (mkdir(state_dir, 0700) == -1 && errno != EEXIST) {
		xasprintf(cause, "cannot create state dir %s: %s", state_dir,
		    strerror(errno));
		return (-1);
	}
	if (stat(state_dir, &sb) == -1 || !S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "state dir %s is not a directory", state_dir);
		return (-1);
	}
	if (sb.st_mode & S_IRWXO)
		log_warnx("state dir %s is accessible by others (mode %04o); "
			  "chmod 700 it", state_dir,
		    (unsigned)(sb.st_mode & 07777));
	xasprintf(&path, "%s/delistd.lock", state_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(cause, "cannot open %s: %s", path, strerror(errno));
		free(path);
		return (-1);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		n = pread(fd, buf, sizeof buf - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (errno == EWOULDBLOCK || errno == EAGAIN || n >= 0)
			xasprintf(cause, "another delistd%s%s%s is already "
					 "running on state dir %s",
			    *buf ? " (pid " : "", buf, *buf ? ")" : "",
			    state_dir);
		else
			xasprintf(cause, "cannot lock %s: %s", path,
			    strerror(errno));
		close(fd);
		free(path);
		return (-1);
	}
	free(path);
	*fdp = fd;
	return (0);
}

static int
store_exec(struct store *st, const char *sql, char **cause)
{
	char *err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", st->path,
		    err ? err : sqlite3_errmsg(st->db));
		sqlite3_free(err);
		return (-1);
	}
	return (0);
}

static int
store_migrate(struct store *st, char **cause)
{
	int version, i;
	char *sql;

	if (store_exec(st,
		"CREATE TABLE IF NOT EXISTS schema_version ("
		"  version INTEGER NOT NULL, applied_at INTEGER NOT NULL)",
		cause) == -1)
		return (-1);
	version = store_schema_version(st);
	if (version > STORE_NMIGRATIONS) {
		xasprintf(cause, "%s has schema version %d, newer than this "
				 "delistd knows (%d): run a newer delistd",
		    st->path, version, STORE_NMIGRATIONS);
		return (-1);
	}
	for (i = version; i < STORE_NMIGRATIONS; i++) {
		if (store_exec(st, "BEGIN IMMEDIATE", cause) == -1)
			return (-1);
		xasprintf(&sql, "%s; INSERT INTO schema_version VALUES (%d, %lld)",
		    store_migrations[i], i + 1, (long long)clock_now());
		if (store_exec(st, sql, cause) == -1) {
			free(sql);
			store_exec(st, "ROLLBACK", NULL);
			return (-1);
		}
		free(sql);
		if (store_exec(st, "COMMIT", cause) == -1)
			return (-1);
		log_info("store: migrated %s to schema version %d", st->path,
		    i + 1);
	}
	return (0);
}

struct store *
store_open(const char *state_dir, char **cause)
{
	struct store *st;

	st = xcalloc(1, sizeof *st);
	if (strcmp(state_dir, ":memory:") == 0)
		st->path = xstrdup(state_dir);
	else
		xasprintf(&st->path, "%s/delistd.db", state_dir);
	if (sqlite3_open_v2(st->path, &st->db,
		SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
		    SQLITE_OPEN_NOMUTEX,
		NULL) != SQLITE_OK) {
		xasprintf(cause, "cannot open %s: %s", st->path,
		    st->db ? sqlite3_errmsg(st->db) : "out of memory");
		store_close(st);
		return (NULL);
	}
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (store_exec(st, "PRAGMA journal_mode = WAL", cause) == -1 ||
	    store_exec(st, "PRAGMA synchronous = FULL", cause) == -1 ||
	    store_exec(st, "PRAGMA foreign_keys = ON", cause) == -1 ||
	    store_migrate(st, cause) == -1) {
		store_close(st);
		return (NULL);
	}
	return (st);
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->db != NULL)
		sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

int
store_schema_version(struct store *st)
{
	sqlite3_stmt *stmt;
	int version = 0;

	if (sqlite3_prepare_v2(st->db,
		"SELECT COALESCE(MAX(version), 0) FROM schema_version", -1,
		&stmt, NULL) != SQLITE_OK)
		return (0);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return (version);
}

int
store_counts(struct store *st, struct store_counts *c)
{
	sqlite3_stmt *stmt;
	int rc = -1;

	memset(c, 0, sizeof *c);
	if (sqlite3_prepare_v2(st->db,
		"SELECT (SELECT COUNT(*) FROM shops),"
		" (SELECT COUNT(*) FROM listings WHERE tracked),"
		" (SELECT COUNT(*) FROM cases WHERE state IN ('open',"
		"   'rectifying', 'appealed', 'approved', 'reinstated',"
		"   'manual_review')),"
		" (SELECT COUNT(*) FROM cases),"
		" (SELECT COUNT(*) FROM events)",
		-1, &stmt, NULL) != SQLITE_OK) {
		log_warnx("store: %s", sqlite3_errmsg(st->db));
		return (-1);
	}
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		c->shops = sqlite3_column_int64(stmt, 0);
		c->listings = sqlite3_column_int64(stmt, 1);
		c->cases_open = sqlite3_column_int64(stmt, 2);
		c->cases_total = sqlite3_column_int64(stmt, 3);
		c->events = sqlite3_column_int64(stmt, 4);
		rc = 0;
	}
	sqlite3_finalize(stmt);
	return (rc);
}

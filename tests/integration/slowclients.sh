#!/bin/sh
# SPDX-License-Identifier: ISC
# slowclients.sh: 500 clients that send a byte a second (for
# SLOW_SECONDS, 20 by default) neither stop the daemon answering others
# nor keep it busy: delistctl status answers within a second every time it
# is asked meanwhile, and the daemon's CPU time over the window (utime +
# stime from /proc/PID/stat) stays under a small bound. Issue 15.
. "$(dirname "$0")/lib.sh"
HOLD=$top_srcdir/tests/integration/hold.py
N=500
SECONDS_=${SLOW_SECONDS:-20}

[ -r /proc/self/stat ] || { echo "1..0 # SKIP no /proc"; exit 0; }
# 500 connections and the daemon's own: raise the soft limit if needed.
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 1100 ] ||
    ulimit -n 1100 2>/dev/null ||
    { echo "1..0 # SKIP cannot raise ulimit -n to 1100"; exit 0; }

conf=$T/delistd.conf
write_config "$conf"
# Room for all of them, and a deadline beyond the window.
sed -i "s|log_level = \"debug\";|log_level = \"info\"; max_clients = 600; client_timeout = \"$((SECONDS_ + 30))s\";|" "$conf"
check "delistd starts" start_daemon "$conf"

python3 "$HOLD" "$SOCK" "$N" drip "$T/drip.ready" > "$T/drip.out" &
holder=$!
check "$N clients connect" wait_for 20 test -s "$T/drip.ready"
check "... all of them" equals "$(cat "$T/drip.ready")" "$N"
counted() { ctl --json status | grep -Eq "\"clients\": ($N|50[0-9])[,}]"; }
check "... and the daemon counts them" wait_for 20 counted

ticks() { awk '{ print $14 + $15 }' "/proc/$DAEMON_PID/stat"; }
ms() { date +%s%3N; }
t0=$(ticks)
start=$(ms)
polls=0 slowest=0 failed=0
while [ $(($(ms) - start)) -lt $((SECONDS_ * 1000)) ]; do
	a=$(ms)
	timeout 5 "$DELISTCTL" -s "$SOCK" status >/dev/null 2>&1 || failed=$((failed + 1))
	took=$(($(ms) - a))
	[ "$took" -gt "$slowest" ] && slowest=$took
	polls=$((polls + 1))
	sleep 0.5
done
t1=$(ticks)
diag "$polls status polls, slowest ${slowest} ms; daemon CPU $((t1 - t0)) ticks in ${SECONDS_} s"
check "status answered every time ($polls polls)" equals "$failed" 0
check "... within a second (slowest: $slowest ms)" test "$slowest" -lt 1000
# 500 bytes a second: a few ms of work; 1 s of CPU (100 ticks) is ample.
check "the daemon stays idle (CPU ticks: $((t1 - t0)))" test $((t1 - t0)) -lt 100
check "... and closed none of the slow clients" sh -c 'tail -n 1 "$1" | grep -qx "closed 0"' _ "$T/drip.out"
kill "$holder"; wait "$holder" 2>/dev/null
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish

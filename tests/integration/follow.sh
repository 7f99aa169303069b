#!/bin/sh
# SPDX-License-Identifier: ISC
# follow.sh: `delistctl events --follow` keeps following across a restart
# of the daemon, and misses nothing recorded meanwhile.
. "$(dirname "$0")/lib.sh"

conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; } );'
check "delistd starts" start_daemon "$conf"
ctl track main 1005001 >/dev/null
"$DELISTCTL" -s "$SOCK" events --follow > "$T/follow.out" 2> "$T/follow.err" &
follower=$!
# Connected: the daemon counts it (and this status request) as clients.
following() { ctl --json status | grep -q '"clients": 2'; }
check "the follower connects" wait_for 10 following
ctl track main 1005002 >/dev/null
check "a new event reaches the follower" wait_for 10 grep -q "1005002" "$T/follow.out"
check "... but not the ones from before it started" sh -c '! grep -q "1005001 is tracked" "$1"' _ "$T/follow.out"
stop_daemon TERM
check "the follower waits while delistd is down" wait_for 10 grep -q "not answering; waiting" "$T/follow.err"
check "... and does not exit" kill -0 "$follower"
start_daemon "$conf" >/dev/null
ctl track main 1005003 >/dev/null
check "after the restart it follows again" wait_for 15 grep -q "1005003" "$T/follow.out"
check "... and says delistd is back" grep -q "delistd is back" "$T/follow.err"
kill "$follower"
wait "$follower" 2>/dev/null
stop_daemon
check "delistd stops cleanly" equals "$DAEMON_RC" 0
finish

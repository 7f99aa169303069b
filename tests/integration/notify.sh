#!/bin/sh
# SPDX-License-Identifier: ISC
# notify.sh: what delistd tells systemd (through a fake notification socket).
. "$(dirname "$0")/lib.sh"

FAKE=$top_builddir/tests/fakes/fake_notify
# With libsystemd or without it (sd-notify.c's own sender), the same.
"$FAKE" "$T/notify.sock" "$T/notify.out" &
fake=$!
wait_for 5 test -S "$T/notify.sock" || { fail "the fake notify socket came up"; finish; }

conf=$T/delistd.conf
write_config "$conf" 'shops = ( { name = "main"; } );'
NOTIFY_SOCKET=$T/notify.sock WATCHDOG_USEC=200000 "$DELISTD" -c "$conf" >> "$T/daemon.log" 2>&1 &
ctlpid=$!
check "under NOTIFY_SOCKET delistd stays in the foreground and comes up" wait_for 20 sock_up
DAEMON_PID=$(cat "$STATE/delistd.lock")
check "... as the process systemd started (no fork)" equals "$DAEMON_PID" "$ctlpid"
check "READY=1 is sent" wait_for 5 grep -q '^READY=1$' "$T/notify.out"
check "... with a one-line STATUS=" grep -q '^STATUS=ready: 0 listings tracked, 0 open cases$' "$T/notify.out"
check "WATCHDOG=1 pings come at half of WATCHDOG_USEC" wait_for 5 sh -c '[ "$(grep -c "^WATCHDOG=1$" "$1")" -ge 3 ]' _ "$T/notify.out"

: > "$T/notify.out"
run ctl reload
check "a reload sends RELOADING=1 with MONOTONIC_USEC=" wait_for 5 sh -c 'grep -q "^RELOADING=1$" "$1" && grep -q "^MONOTONIC_USEC=[0-9][0-9]*$" "$1"' _ "$T/notify.out"
check "... then READY=1 again" wait_for 5 sh -c 'sed -n "/^RELOADING=1$/,\$p" "$1" | grep -q "^READY=1$"' _ "$T/notify.out"

: > "$T/notify.out"
printf 'rules: { max_appeals = 0; };\n' >> "$conf"
run ctl reload
check "a failed reload still ends with READY=1 (systemd must not wait)" wait_for 5 grep -q '^READY=1$' "$T/notify.out"
check "... and says in STATUS= that it failed" grep -q '^STATUS=reload failed' "$T/notify.out"

kill -TERM "$DAEMON_PID"
check "SIGTERM sends STOPPING=1" wait_for 5 grep -q '^STOPPING=1$' "$T/notify.out"
wait "$ctlpid"
DAEMON_PID=
kill "$fake" 2>/dev/null
finish

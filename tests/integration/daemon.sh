#!/bin/sh
# SPDX-License-Identifier: ISC
# daemon.sh: the real delistd started, asked, reloaded, refused, stopped.
. "$(dirname "$0")/lib.sh"

conf=$T/delistd.conf
write_config "$conf"

check "delistd starts in the foreground and answers delistctl status" start_daemon "$conf"
check "the state dir is created 0700" sh -c '[ "$(stat -c %a "$1")" = 700 ]' _ "$STATE"
check "the socket is mode 0660" sh -c '[ "$(stat -c %a "$1")" = 660 ]' _ "$SOCK"
check "the database is not world-readable" sh -c '[ "$(stat -c %a "$1")" = 600 ]' _ "$STATE/delistd.db"

run ctl status
check "status tells the version, config and state dir" sh -c 'case "$1" in "delistd "*"config       $2"*"state dir    $3"*) ;; *) exit 1;; esac' _ "$OUT" "$conf" "$STATE"
run ctl --json status
check "status --json is JSON with the counts" sh -c 'printf "%s" "$1" | grep -q "\"cases_open\": 0" && printf "%s" "$1" | grep -q "\"schema_version\": [1-9]"' _ "$OUT"

# A second daemon on the same state dir is refused, on the terminal.
run "$DELISTD" -f -c "$conf"
check "a second daemon on the same state dir is refused (exit 1)" expect_rc 1
check "... saying another delistd runs there, with its pid" contains "$ERR" "another delistd (pid $DAEMON_PID) is already running on state dir $STATE"
check "... and the first one still answers" sock_up

# Another state dir but the same socket: refused too, the live socket kept.
printf 'daemon: { state_dir = "%s"; socket = "%s"; };\n' "$T/state2" "$SOCK" > "$T/other.conf"
run "$DELISTD" -f -c "$T/other.conf"
check "a daemon on a live socket of another daemon is refused" contains "$ERR" "another delistd is listening on $SOCK"
check "... and the first one still answers" sock_up

# Reload: a good change is applied, a bad one refused with file:line.
printf 'daemon: { state_dir = "%s"; log_level = "info"; };\nrules: { max_appeals = 2; };\n' "$STATE" > "$conf"
run ctl reload
check "delistctl reload of a good file succeeds" expect_rc 0
check "... and says so" contains "$OUT" "reloaded $conf"
printf 'daemon: { state_dir = "%s"; };\nrules: {\n  max_appeals = 0;\n};\n' "$STATE" > "$conf"
run ctl reload
check "delistctl reload of a bad file fails (exit 1)" expect_rc 1
check "... with the reason, file:line and key" contains "$ERR" "$conf:3: rules.max_appeals: 0 is out of range"
check "... and the daemon keeps running" sock_up
run ctl status
check "status counts one good and one failed reload, with the error" sh -c 'case "$1" in *"reloads      1 ok, 1 failed"*"last reload  failed: "*"max_appeals"*) ;; *) exit 1;; esac' _ "$OUT"
printf 'daemon: { state_dir = "%s/moved"; };\n' "$T" > "$conf"
run ctl reload
check "a reload that moves the state dir is refused: it needs a restart" contains "$ERR" "state_dir changed"

# SIGHUP with a broken file: logged with file:line, old config kept.
printf 'daemon: { state_dir = "%s"; };\nrules: { stall_after = "soon"; };\n' "$STATE" > "$conf"
kill -HUP "$DAEMON_PID"
check "SIGHUP with a broken file logs the error with file:line" wait_for 10 grep -q "$conf:2: rules.stall_after: bad duration \"soon\"" "$T/daemon.log"
check "... and the daemon keeps running on the old configuration" sock_up
write_config "$conf"
kill -HUP "$DAEMON_PID"
check "SIGHUP with a good file reloads it" wait_for 10 grep -q "reloaded $conf" "$T/daemon.log"

# TERM: exit 0, socket removed.
stop_daemon TERM
check "SIGTERM stops delistd with exit 0" equals "$DAEMON_RC" 0
check "... and removes its socket" test ! -e "$SOCK"
check "... logging that it stopped" grep -q "stopped" "$T/daemon.log"

# kill -9 leaves a stale socket: the next start replaces it.
start_daemon "$conf" >/dev/null
stop_daemon KILL
check "after kill -9 the socket file is left behind" test -S "$SOCK"
check "a new daemon replaces the stale socket and starts" start_daemon "$conf"
check "... and logs that it did" grep -q "removing stale socket $SOCK" "$T/daemon.log"
stop_daemon INT
check "SIGINT stops delistd with exit 0" equals "$DAEMON_RC" 0

# Without -f: the parent returns once the child is ready.
run "$DELISTD" -c "$conf"
check "delistd without -f returns 0 once the daemon is ready" expect_rc 0
check "... and the daemon answers at once" sock_up
bgpid=$(cat "$STATE/delistd.lock")
run "$DELISTD" -c "$conf"
check "a second background start is refused on the terminal (exit 1)" sh -c '[ "$1" = 1 ] && case "$2" in *"already running"*) ;; *) exit 1;; esac' _ "$RC" "$ERR"
kill -TERM "$bgpid"
check "the background daemon stops on SIGTERM" wait_for 10 sh -c '! kill -0 "$1" 2>/dev/null' _ "$bgpid"

# Unwritable state: refused with the reason.
if [ "$(id -u)" != 0 ]; then
	mkdir -p "$T/ro"; chmod 500 "$T/ro"
	printf 'daemon: { state_dir = "%s/ro/state"; };\n' "$T" > "$T/ro.conf"
	run "$DELISTD" -f -c "$T/ro.conf"
	check "a state dir that cannot be created is refused" contains "$ERR" "is not writable"
else
	pass "# SKIP unwritable state dir: root can write anywhere"
fi

# The test clock: now comes from the file, changes noticed within 100 ms.
echo 1790000000 > "$T/clock"
DELISTD_TEST_CLOCK=$T/clock start_daemon "$conf" >/dev/null
run ctl --json status
check "with DELISTD_TEST_CLOCK the daemon's now is the file's" contains "$OUT" '"now": 1790000000'
echo 1790086400 > "$T/clock"
clock_moved() { ctl --json status | grep -q '"now": 1790086400'; }
check "a change of the clock file is seen" wait_for 2 clock_moved
stop_daemon TERM
echo "not-a-number" > "$T/clock"
DELISTD_TEST_CLOCK=$T/clock run "$DELISTD" -f -c "$conf"
check "a test clock file without epoch seconds is refused at start" contains "$ERR" "not epoch seconds"

# A configuration "file" that is a directory: refused, the daemon stays.
mkdir -p "$T/sockdir-parent"
printf 'daemon: { state_dir = "%s"; socket = "%s/sockdir-parent/run/d.sock"; };\n' "$STATE" "$T" > "$T/dir.conf"
"$DELISTD" -f -c "$T/dir.conf" >> "$T/daemon.log" 2>&1 &
DAEMON_PID=$!
SOCK=$T/sockdir-parent/run/d.sock
check "the socket's missing directory is created at start" wait_for 20 sock_up
mv "$T/dir.conf" "$T/dir.conf.real"
mkdir "$T/dir.conf"
run ctl reload
check "a reload of a path that is a directory fails with a reason" contains "$ERR" "not a regular file"
check "... and the daemon keeps running" sock_up
rmdir "$T/dir.conf"
mv "$T/dir.conf.real" "$T/dir.conf"
stop_daemon TERM
check "... and stops cleanly" equals "$DAEMON_RC" 0
run "$DELISTD" -t -c "$T"
check "delistd -t on a directory: exit 1" expect_rc 1
check "... with a reason" contains "$ERR" "not a regular file"

finish

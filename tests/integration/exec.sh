#!/bin/sh
# SPDX-License-Identifier: ISC
# exec.sh: the exec sink, through the real delistd and delistctl.
#
# Cases opened with delistctl produce case.* events; the "ops" instance
# runs $T/hook.sh for each (through /bin/sh, as command = [ "/bin/sh",
# hook ] without any shell in delistd itself). The hook records every run
# (its environment, its stdin, a run count per delivery key) and behaves as
# the event's product id says: succeed with some output, fail with
# EX_TEMPFAIL once, hang past the timeout once (with a grandchild in its
# process group), exit 3, or kill itself once. A second instance, "slow",
# hangs on case.abandoned so that the daemon is stopped with a hook
# running. Covered: environment and stdin reach the program; the output is
# logged; exit 75 is retried; a timeout kills the process group and is
# retried; death by a signal is retried; another exit status is dead at
# once (delistctl outbox --dead); no child outlives the daemon; and the
# exec module's own configuration errors. Retries run on the real clock
# with retry_base = "1s".
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }

PLUGIN_DIR=$top_builddir/plugins/.libs
[ -e "$PLUGIN_DIR/exec.so" ] || { echo "Bail out! $PLUGIN_DIR/exec.so is not built"; exit 1; }

# Something in delistd's own environment the hook must not see.
EXEC_TEST_LEAK=leaked
export EXEC_TEST_LEAK

H=$T/hook
mkdir "$H"
cat > "$T/hook.sh" <<'HOOK'
#!/bin/sh
# Records this run under the delivery key, then acts as the product says.
h=$(dirname "$0")/hook
k=$DELISTD_EVENT_ID
n=$(($(cat "$h/runs.$k" 2>/dev/null || echo 0) + 1))
echo "$n" > "$h/runs.$k"
env > "$h/env.$k.$n"
cat > "$h/stdin.$k.$n"
# pidfile NAME PID: written whole, so a reader never sees half of it;
# *.hook goes last, so once it is there both are.
pidfile() { echo "$2" > "$h/$1.tmp" && mv "$h/$1.tmp" "$h/$1"; }
case $k in
*-slow)
	sleep 60 &
	pidfile slow.sleep $!
	pidfile slow.hook $$
	wait
	exit 0 ;;
esac
case $DELISTD_PRODUCT_ID in
*01)
	echo "hook says hello"
	echo "and a second line" >&2
	exit 0 ;;
*02)
	[ "$n" -gt 1 ] && exit 0
	echo "receiver busy, try later"
	exit 75 ;;
*03)
	[ "$n" -gt 1 ] && exit 0
	sleep 30 &
	pidfile hang.sleep $!
	pidfile hang.hook $$
	wait
	exit 0 ;;
*04)
	echo "no such customer"
	echo "second line, not in the error"
	exit 3 ;;
*05)
	[ "$n" -gt 1 ] && exit 0
	kill -KILL $$ ;;
esac
exit 0
HOOK

conf=$T/delistd.conf
cat > "$conf" <<CONF
daemon: {
	state_dir = "$STATE";
	log_level = "debug";
	plugin_dir = "$PLUGIN_DIR";
};
shops = ( { name = "main"; } );
plugins = (
	{ name = "ops"; module = "exec"; command = [ "/bin/sh", "$T/hook.sh" ];
	  timeout = "2s"; environment = [ "HOOK_TOKEN=tok en=1", "LANG=C" ];
	  events = [ "case.*" ]; min_severity = "info";
	  retry_base = "1s"; retry_cap = "2s"; max_attempts = 5; },
	{ name = "slow"; module = "exec"; command = [ "/bin/sh", "$T/hook.sh" ];
	  timeout = "1m"; events = [ "case.abandoned" ]; retry_base = "1s"; }
);
CONF

# JSON lists from the daemon, one object per line.
flat() { awk '{ s = s $0 } END { gsub(/\}, *\{/, "}\n{", s); print s }'; }
events_of() { ctl --json events --case "$1" | flat; }
event_id() {
	events_of "$1" | grep "\"type\": \"$2\"" | head -n 1 |
	    sed -n 's/^[^0-9]*"id": \([0-9]*\).*/\1/p'
}
deliveries() {
	curl -sS --unix-socket "$SOCK" "http://localhost/v1/outbox${1:+?state=$1}" |
	    flat
}
# delivery_of EVENT [STATE]. Under set -u an unset $2 would kill the
# pipeline's subshell (vacuously "no delivery"; under bash it even runs the
# EXIT trap, removing $T); and never "function | grep -q", whose SIGPIPE
# does the same through lib.sh's PIPE trap.
delivery_of() { deliveries "${2:-}" | grep "\"event_id\": *$1[,}]"; }
has_delivery() { delivery_of "$1" "${2:-}" | grep . >/dev/null; }
no_delivery() { ! delivery_of "$1" "${2:-}" | grep . >/dev/null; }
idle() { ! deliveries pending | grep '"id"' >/dev/null; }

# open_case PRODUCT: opens a case; its id in C, its case.opened event's
# delivery key to ops in K.
open_case() {
	run ctl case open main "$1" --reason other
	C=$OUT
	[ "$RC" = 0 ] || fail "case open main $1: $ERR"
	K=$(event_id "$C" case.opened)-ops
}
runs() { cat "$H/runs.$1" 2>/dev/null || echo 0; }
runs_are() { [ "$(runs "$1")" = "$2" ]; }
# alive PID: a live process (a zombie left to an init that does not reap
# is dead for this purpose).
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	[ -r "/proc/$1/status" ] || return 0
	! grep -q '^State:[[:space:]]*[ZX]' "/proc/$1/status"
}
gone() { ! alive "$1"; }
logged() { grep -F -- "$1" "$T/daemon.log" >/dev/null; }

run "$DELISTD" -t -c "$conf"
check "the exec configuration passes delistd -t" expect_rc 0
check "delistd starts with two exec instances" start_daemon "$conf"

# --- environment, stdin, output ------------------------------------------
open_case 1005001000000001
C1=$C
K1=$K
E1=${K1%-ops}
check "case.opened runs the hook once" wait_for 10 runs_are "$K1" 1
check "... and the delivery is settled" wait_for 10 no_delivery "$E1"
envf=$H/env.$K1.1
ENV=$(cat "$envf" 2>/dev/null)
check "DELISTD_EVENT_ID is the delivery key <event id>-<instance>" grep -qx "DELISTD_EVENT_ID=$K1" "$envf"
check "DELISTD_EVENT_TYPE is the event's type" grep -qx "DELISTD_EVENT_TYPE=case.opened" "$envf"
check "DELISTD_CASE_ID is the case" grep -qx "DELISTD_CASE_ID=$C1" "$envf"
check "DELISTD_SHOP is the shop" grep -qx "DELISTD_SHOP=main" "$envf"
check "DELISTD_PRODUCT_ID is the product" grep -qx "DELISTD_PRODUCT_ID=1005001000000001" "$envf"
check "DELISTD_SEVERITY is the event's severity" grep -qx "DELISTD_SEVERITY=info" "$envf"
check "PATH is /usr/bin:/bin" grep -qx "PATH=/usr/bin:/bin" "$envf"
check "a configured variable is added, spaces and = kept" grep -qx "HOOK_TOKEN=tok en=1" "$envf"
check "a configured LANG replaces the default C.UTF-8" sh -c '[ "$(grep -c "^LANG=" "$1")" = 1 ] && grep -qx LANG=C "$1"' _ "$envf"
check "nothing else of delistd's environment leaks in" lacks "$ENV" "EXEC_TEST_LEAK"
check "... not even HOME" lacks "$ENV" "HOME="
STDIN=$(cat "$H/stdin.$K1.1" 2>/dev/null)
check "stdin is the event document" sh -c 'printf "%s" "$1" | grep -Eq "\"type\": *\"case.opened\""' _ "$STDIN"
check "... of this event" sh -c 'printf "%s" "$1" | grep -Eq "\"id\": *$2[,} ]"' _ "$STDIN" "$E1"
check "... of this case" sh -c 'printf "%s" "$1" | grep -Eq "\"case\": *$2[,} ]|\"case_id\": *$2[,} ]"' _ "$STDIN" "$C1"
check "the hook's stdout is logged" wait_for 5 logged "| hook says hello"
check "... and its stderr" logged "| and a second line"

# --- exit 75: retried ----------------------------------------------------
open_case 1005001000000002
K2=$K
check "EX_TEMPFAIL (75) is retried: the hook runs a second time" wait_for 15 runs_are "$K2" 2
check "... which succeeds and settles the delivery" wait_for 10 no_delivery "${K2%-ops}"
check "... the first failure is logged with the hook's first line" logged "exit 75: receiver busy, try later"
check "... with the same key both times" sh -c 'grep -qx "DELISTD_EVENT_ID=$1" "$2" && grep -qx "DELISTD_EVENT_ID=$1" "$3"' _ \
    "$K2" "$H/env.$K2.1" "$H/env.$K2.2"
check "... and the same stdin" cmp -s "$H/stdin.$K2.1" "$H/stdin.$K2.2"
check "... not run a third time" runs_are "$K2" 2

# --- a timeout: the process group is killed, then retried -----------------
open_case 1005001000000003
K3=$K
check "a hanging hook has started its grandchild" wait_for 10 test -s "$H/hang.hook"
HANG_HOOK=$(cat "$H/hang.hook")
HANG_SLEEP=$(cat "$H/hang.sleep")
check "... both are running" sh -c 'kill -0 "$1" && kill -0 "$2"' _ "$HANG_HOOK" "$HANG_SLEEP"
check "after the timeout the hook is retried" wait_for 20 runs_are "$K3" 2
check "... the timed-out hook is gone" gone "$HANG_HOOK"
check "... and so is its grandchild (the whole group was killed)" gone "$HANG_SLEEP"
check "... the timeout is logged" logged "timed out after 2s"
check "... and the retry settles the delivery" wait_for 10 no_delivery "${K3%-ops}"

# --- another exit status: dead at once -------------------------------------
open_case 1005001000000004
K4=$K
E4=${K4%-ops}
check "exit 3 makes the delivery dead at once" wait_for 10 has_delivery "$E4" dead
check "... after one run" runs_are "$K4" 1
run ctl outbox --dead
check "delistctl outbox --dead succeeds" expect_rc 0
check "... and lists it" contains "$OUT" "case.opened"
check "... with the exit status and the first line of output" contains "$OUT" "exit 3: no such customer"
check "... and only the first line" lacks "$OUT" "second line, not in the error"
check "... the failure is logged" logged "| no such customer"

# --- killed by a signal: retried ---------------------------------------------
open_case 1005001000000005
K5=$K
check "a hook killed by a signal is retried" wait_for 15 runs_are "$K5" 2
check "... and the retry settles the delivery" wait_for 10 no_delivery "${K5%-ops}"
check "... the signal is logged" logged "killed by signal 9"

check "the outbox is idle" wait_for 10 idle

# --- no child outlives the daemon --------------------------------------------
open_case 1005001000000006
C6=$C
run ctl case abandon "$C6"
check "case abandon succeeds" expect_rc 0
check "the slow instance's hook is running" wait_for 10 test -s "$H/slow.hook"
SLOW_HOOK=$(cat "$H/slow.hook")
SLOW_SLEEP=$(cat "$H/slow.sleep")
check "... with its grandchild" sh -c 'kill -0 "$1" && kill -0 "$2"' _ "$SLOW_HOOK" "$SLOW_SLEEP"
check "delistd stops with a hook running" stop_daemon TERM
check "... exit 0" equals "$DAEMON_RC" 0
check "... and the hook did not outlive it" gone "$SLOW_HOOK"
check "... nor did its grandchild" gone "$SLOW_SLEEP"

check "after a restart the interrupted delivery is run again" start_daemon "$conf"
KS=$(event_id "$C6" case.abandoned)-slow
check "... with the same key" wait_for 10 runs_are "$KS" 2
check "delistd stops again" stop_daemon TERM

# --- the exec module's configuration errors ----------------------------------
# refused DESC BLOCK-KEYS NEEDLE: delistd -t refuses the instance.
refused() {
	cat > "$T/bad.conf" <<CONF
daemon: { state_dir = "$T/state2"; plugin_dir = "$PLUGIN_DIR"; };
shops = ( { name = "main"; } );
plugins = ( { name = "ops"; module = "exec"; events = [ "case.*" ];
	$2 } );
CONF
	run "$DELISTD" -t -c "$T/bad.conf"
	if [ "$RC" != 0 ] && contains "$ERR" "$3" >/dev/null; then
		pass "$1"
	else
		fail "$1"; diag "exit $RC" "stderr: $ERR" "want: $3"
	fi
}
refused "a missing command is refused" 'timeout = "5s";' "command is required"
check "... naming the file, the line and the instance" contains "$ERR" "$T/bad.conf:3: plugin ops (module exec)"
refused "a command that is a string is refused" 'command = "/bin/true";' "command must be a list"
refused "an empty command is refused" 'command = [ ];' "command is empty"
refused "a relative command[0] is refused" 'command = [ "sh", "-c", "true" ];' \
    "command[0] \"sh\" is not an absolute path"
refused "a command[0] that does not exist is refused" 'command = [ "/nonexistent/hook" ];' \
    "command[0] /nonexistent/hook: No such file or directory"
refused "a bad timeout is refused" 'command = [ "/bin/true" ]; timeout = "soon";' \
    "timeout: expected a duration"
refused "a zero timeout is refused" 'command = [ "/bin/true" ]; timeout = "0s";' \
    "between 1s and 24h"
refused "an environment entry that is not NAME=value is refused, without echoing it" \
    'command = [ "/bin/true" ]; environment = [ "novalue" ];' "environment[0] is not NAME=value (its value is not shown"
refused "a mistyped secret entry is refused" \
    'command = [ "/bin/true" ]; environment = [ "ERP-TOKEN:s3cr3t-value" ];' "environment[0] is not NAME=value"
check "... without the value in the error" lacks "$ERR" "s3cr3t-value"
refused "an environment entry that sets DELISTD_* is refused" \
    'command = [ "/bin/true" ]; environment = [ "DELISTD_SHOP=x" ];' "DELISTD_SHOP is set by delistd"
refused "an environment variable set twice is refused" \
    'command = [ "/bin/true" ]; environment = [ "A=1", "A=2" ];' "environment[1]: A is set twice"
refused "an unknown key is refused" 'command = [ "/bin/true" ]; comand = [ "/bin/true" ];' "comand"

finish

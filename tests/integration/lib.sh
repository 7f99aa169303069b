# SPDX-License-Identifier: ISC
# shellcheck shell=sh disable=SC2034 # its variables are the sourcing test's
# tests/integration/lib.sh: what every integration test shares.
#
# Sourced by the tests. Gives TAP output (plan, ok/not ok, diagnostics), a
# private temp dir removed at exit, and helpers that start the real delistd
# on a config in that dir, drive it with the real delistctl, and wait for
# conditions by polling with a deadline (never by sleeping a fixed time).

set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "${top_srcdir:-$here/../..}" && pwd) || exit 99
top_builddir=$(cd "${top_builddir:-.}" && pwd) || exit 99
DELISTD=$top_builddir/daemon/delistd
DELISTCTL=$top_builddir/daemon/delistctl

# Every peer in the tests is on loopback: never through a proxy.
no_proxy='*' NO_PROXY='*'
export no_proxy NO_PROXY
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

# A short path: Unix socket paths must fit in 108 bytes.
T=$(mktemp -d /tmp/dlt.XXXXXX) || exit 99
chmod 700 "$T"
DAEMON_PID=
FAKE_PID=
# stop_fake: stops the fake peer in FAKE_PID (see start_fake_webhook), if any.
stop_fake() {
	if [ -n "$FAKE_PID" ]; then
		kill "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
		FAKE_PID=
	fi
}
# Some shells (bash) may run the EXIT trap in a subshell that dies (a
# pipeline, $(...)): only the test's own shell may clean up.
main_shell() { [ "$(exec sh -c 'echo $PPID')" = "$$" ]; }
# cleanup: stops a started fake peer, kills the daemon, removes $T.
cleanup() {
	main_shell || return 0
	stop_fake
	if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
		kill -KILL "$DAEMON_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

tap_n=0
tap_failed=0
pass() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
fail() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
}
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# check DESC CMD...: CMD's exit status decides; its output is shown on failure.
check() {
	_check_desc=$1; shift
	if "$@" > "$T/check.out" 2>&1; then
		pass "$_check_desc"
	else
		fail "$_check_desc"
		diag "$(cat "$T/check.out")"
	fi
}

# Runs a command, keeping its stdout, stderr and exit status for the checks.
run() {
	"$@" > "$T/out" 2> "$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
	return 0
}
contains() { case $1 in *"$2"*) return 0 ;; esac; echo "'$1' lacks '$2'"; return 1; }
lacks() { case $1 in *"$2"*) echo "'$1' has '$2'"; return 1 ;; esac; return 0; }
equals() { [ "$1" = "$2" ] || { echo "got '$1', want '$2'"; return 1; }; }
# expect_rc WANT: the last run's exit status, with its output on mismatch.
expect_rc() {
	[ "$RC" = "$1" ] || { echo "exit $RC, want $1"; echo "stdout: $OUT"; echo "stderr: $ERR"; return 1; }
}

# wait_for SECONDS CMD...: polls CMD every 20 ms until it succeeds.
# (Its variables are prefixed: sh has no locals, and callers loop too.)
wait_for() {
	_wf_limit=$(($1 * 50)); shift
	_wf_n=0
	while ! "$@" >/dev/null 2>&1; do
		_wf_n=$((_wf_n + 1))
		[ "$_wf_n" -ge "$_wf_limit" ] && return 1
		sleep 0.02
	done
	return 0
}

# write_config FILE [extra text]: a config whose state lives under $T.
STATE=$T/state
SOCK=$T/state/delistd.sock
write_config() {
	cat > "$1" <<CONF
daemon: {
	state_dir = "$STATE";
	log_level = "debug";
};
${2:-}
CONF
}

ctl() { "$DELISTCTL" -s "$SOCK" "$@"; }
# zh_ready: po/zh_CN.gmo laid out as an installed tree for ctl_zh; false
# (with a reason on stdout) when the catalogue or the zh_CN.UTF-8 locale
# is missing. ctl_zh CMD...: delistctl under LC_ALL=zh_CN.UTF-8.
zh_ready() {
	[ -e "$top_srcdir/po/zh_CN.gmo" ] || { echo "po/zh_CN.gmo is not built"; return 1; }
	locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8' ||
	    { echo "the zh_CN.UTF-8 locale is missing (sh tests/bootstrap.sh deps)"; return 1; }
	mkdir -p "$T/locale/zh_CN/LC_MESSAGES" &&
	    cp "$top_srcdir/po/zh_CN.gmo" "$T/locale/zh_CN/LC_MESSAGES/delistd.mo"
}
ctl_zh() { DELISTD_LOCALEDIR=$T/locale LC_ALL=zh_CN.UTF-8 LANGUAGE= LC_MESSAGES= "$DELISTCTL" -s "$SOCK" "$@"; }
sock_up() { [ -S "$SOCK" ] && "$DELISTCTL" -s "$SOCK" status >/dev/null 2>&1; }

# start_daemon CONF: delistd -f in the background, waits until it answers.
start_daemon() {
	"$DELISTD" -f -c "$1" >> "$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	if ! wait_for 20 sock_up; then
		echo "delistd did not come up; its log:"
		cat "$T/daemon.log"
		return 1
	fi
}

# stop_daemon [SIGNAL]: signals it and waits; its exit status in DAEMON_RC.
stop_daemon() {
	kill "-${1:-TERM}" "$DAEMON_PID" 2>/dev/null
	wait "$DAEMON_PID"
	DAEMON_RC=$?
	DAEMON_PID=
	# A sanitizer's report or a crash: show it with the failing check.
	if [ "$DAEMON_RC" != 0 ] && [ "${1:-TERM}" != KILL ]; then
		diag "delistd exited $DAEMON_RC; the end of its log:"
		diag "$(tail -n 40 "$T/daemon.log")"
	fi
	return 0
}

# The test clock: a test that exports DELISTD_TEST_CLOCK=$T/clock runs
# the daemon on the time written in that file.
# clock_is EPOCH: the daemon's status says its clock reads EPOCH.
clock_is() { ctl --json status | grep -Eq "\"now\": $1([^0-9]|\$)"; }
# setclock EPOCH: moves the daemon's clock, waits until it has seen it.
setclock() {
	echo "$1" > "$T/clock.new" && mv "$T/clock.new" "$T/clock"
	[ -z "$DAEMON_PID" ] || wait_for 5 clock_is "$1"
}

# need_aliexpress: skips the test without curl or jq; bails out unless
# fake_aliexpress and the aliexpress module are built (PLUGIN_DIR). Then
# the app's key, secret and token (APPKEY, SECRET, TOKEN) in $T/ae.secret
# and $T/ae.token.
need_aliexpress() {
	command -v curl >/dev/null 2>&1 || { echo "1..0 # SKIP curl is missing"; exit 0; }
	command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq is missing"; exit 0; }
	PLUGIN_DIR=$top_builddir/plugins/.libs
	for _na in "$top_builddir/tests/fakes/fake_aliexpress" "$PLUGIN_DIR/aliexpress.so"; do
		[ -e "$_na" ] || { echo "Bail out! $_na is not built"; exit 1; }
	done
	APPKEY=34567891 SECRET=ae-Secret-b07d11 TOKEN=ae-Token-e2c940
	printf '%s\n' "$SECRET" > "$T/ae.secret"
	printf '%s\n' "$TOKEN" > "$T/ae.token"
	chmod 600 "$T/ae.secret" "$T/ae.token"
}

# start_fake_aliexpress SECRET_FILE [ARGS...]: tests/fakes/fake_aliexpress
# on a random port for the app APPKEY and the token TOKEN, on the test
# clock $T/clock, with ARGS, its calls logged to $T/ae.log; waits for its
# port, its base address in AE. stop_fake (or cleanup, at exit) stops it.
start_fake_aliexpress() {
	_sfa_secret=$1; shift
	"$top_builddir/tests/fakes/fake_aliexpress" --port-file "$T/ae.port" \
	    --app-key "$APPKEY" --secret-file "$_sfa_secret" --token "$TOKEN" \
	    --clock-file "$T/clock" --log "$T/ae.log" "$@" 2>>"$T/fake.err" &
	FAKE_PID=$!
	wait_for 10 test -s "$T/ae.port" || return 1
	AE=http://127.0.0.1:$(cat "$T/ae.port")
}
# fake_mode JSON: how fake_aliexpress answers the next calls.
fake_mode() {
	[ "$(curl -sS -o /dev/null -w '%{http_code}' -X POST -d "$1" \
	    "$AE/_fake/mode")" = 200 ] || fail "the fake takes mode $1"
}
# fake_product JSON: sets one product's state in fake_aliexpress (or
# several: {"products": [...]}).
fake_product() {
	[ "$(curl -sS -o /dev/null -w '%{http_code}' -X POST -d "$1" \
	    "$AE/_fake/product")" = 200 ] || fail "the fake takes product $1"
}
# stat_of JQ: a figure of fake_aliexpress's /_fake/stats.
stat_of() { curl -sS "$AE/_fake/stats" | jq -r "$1"; }

# start_fake_webhook [ARGS...]: tests/fakes/fake_webhook on a random port
# with ARGS, its requests logged to HOOKLOG, its stderr to $T/fake.err;
# waits for its port, its base address in URL. stop_fake (or cleanup, at
# exit) stops it.
start_fake_webhook() {
	HOOKLOG=$T/hook.log
	"$top_builddir/tests/fakes/fake_webhook" --port-file "$T/port" \
	    --log "$HOOKLOG" "$@" 2>>"$T/fake.err" &
	FAKE_PID=$!
	wait_for 10 test -s "$T/port"
	_sfw_rc=$?
	URL=http://127.0.0.1:$(cat "$T/port" 2>/dev/null)
	return $_sfw_rc
}

# curl on the socket: status code in HTTP, body in BODY.
api() {
	_api_method=$1; _api_path=$2; shift 2
	HTTP=$(curl -sS --unix-socket "$SOCK" -o "$T/body" -w '%{http_code}' \
	    -X "$_api_method" "$@" "http://localhost$_api_path" 2>"$T/curl.err")
	BODY=$(cat "$T/body" 2>/dev/null)
}

# finish: the plan goes last, so a test that dies midway is seen to fail.
finish() {
	echo "1..$tap_n"
	exit 0
}

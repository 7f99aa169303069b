#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bench/source-scale.sh: the source scheduler at scale (issue 5).
# Prints figures; never passes or fails on time.
#
# usage: top_builddir=BUILD_DIR sh tests/bench/source-scale.sh [rate|burst|idle]...
#
# Needs a built delistd, delistctl, plugins/.libs/aliexpress.so and
# tests/fakes/fake_aliexpress (make && make tests/fakes/fake_aliexpress), the
# sqlite3 CLI, curl, Linux /proc and GNU date (%N). Use a build without
# sanitizers. Every run is on a fresh state dir under TMPDIR, on the test
# clock (DELISTD_TEST_CLOCK), with one shop "main" on the source "ae"
# (tests/fakes/fake_aliexpress on loopback, its own throttle far above the
# daemon's rate). The database is filled with the sqlite3 CLI between a
# first start of delistd (which creates the schema, and sweeps once) and
# the measured one; the next sweep is put 10 min and the catalog run a day
# ahead of the standing test clock, so that only checks run.
#
# rate   BENCH_N (100,000) tracked healthy listings, due 10 to 40 min on,
#        and BENCH_CASES (1,000) listings with an open case whose
#        re-checks are all due (their products offline at the fake, as
#        stored: a case's re-check in the steady state, confirming what
#        is stored; the cases stay open). The fake answers after BENCH_LATENCY_MS (50).
#        The source has rate BENCH_RATE (20), burst BENCH_RATE,
#        max_in_flight BENCH_IN_FLIGHT (64, the default), daily_quota
#        100,000,000 (it does not bind). delistd runs on the real clock
#        (NOW is the real time): the test clock's poll of its file, 20
#        times a second, is no part of what a seller runs, and would add
#        its own cost per check; BENCH_RATE_CLOCK=test runs it on the test
#        clock instead. After
#        BENCH_WARMUP s (2; the full bucket is spent there) the fake's stats
#        are reset and BENCH_SECONDS (45) of real time are measured:
#          calls  calls the fake received / window, against the rate, and
#                 the most it saw in one wall-clock second. The daemon sends
#                 a second's worth of calls at a time (up to burst), so a
#                 window is exact to one such batch: 1/45 = 2.2% here;
#          cpu    delistd's utime+stime delta (/proc/PID/stat, clock ticks)
#                 over the window / the calls in it: CPU per status check,
#                 including its durable writes (the observations and the
#                 budget row, in batches, synchronous=FULL); "sched" is the same from
#                 the scheduler's ns counters (/proc/PID/task/*/schedstat),
#                 finer than the 10 ms ticks;
#          rss    peak RSS (VmHWM).
#        BENCH_CASES must outlast the window (every case is re-checked
#        once, then due again only after recheck_interval): its default
#        is 1,000 or, at a higher rate, 1.25 x the calls the rate allows
#        over the longer window with its warm-up (4,900 at rate 80), so
#        that every second measured has its checks to make.
# burst  BENCH_BURST_N (200) listings with an open case, due together at
#        the test clock's next step (NOW + 60, written to the clock file
#        once delistd is up; it polls that file every 50 ms), the fake
#        answering after BENCH_BURST_LATENCY_MS (20), the rate limit
#        effectively off (rate 1000, burst 1000, the most the config
#        allows; max_in_flight BENCH_BURST_IN_FLIGHT, 64, its default and
#        most). Prints the wall time from the clock step until the fake
#        has received all of them (its stats polled every 10 ms) and until
#        all their observations are committed (the sqlite3 CLI polling
#        listings.checked_at every 10 ms). Includes up to 50 ms of the
#        daemon's clock-file poll.
# idle   BENCH_IDLE_N (1,000,000) tracked healthy listings (no cases), their
#        checks due 10 to 40 min ahead of the standing test clock, the next
#        sweep 10 min ahead:
#          start  wall time from exec to `delistctl status` answering
#                 (polled every 10 ms; includes one delistctl run);
#          rss    VmRSS once up, and VmHWM;
#          idle   CPU over BENCH_IDLE_SECONDS (60) of real time with the
#                 clock standing, in ticks and from schedstat, and
#                 extrapolated to CPU seconds per hour. On the test
#                 clock this includes its poll (the clock file is re-read
#                 every 50 ms); BENCH_IDLE_CLOCK=real runs delistd on the
#                 real clock instead (NOW is then the real time);
#          calls  what the fake received while idle (should be 0).
#
# The state dir is under TMPDIR (/tmp): the figures depend on its disk
# (an fdatasync per durable write). Scenarios are named on the command
# line (default: all three, in that order).
#
# Each scenario runs BENCH_RUNS times (1) and, with more than one run, the
# median of each figure is printed too.
#
# Exit status: 0, 1 if a scenario could not be measured (daemon died, fake
# not reached, nothing called), 2 when something needed is missing.

set -u
top_builddir=$(cd "${top_builddir:-.}" && pwd)
N=${BENCH_N:-100000}
RATE=${BENCH_RATE:-20}
LAT=${BENCH_LATENCY_MS:-50}
WARM=${BENCH_WARMUP:-2}
SECS=${BENCH_SECONDS:-45}
BN=${BENCH_BURST_N:-200}
BLAT=${BENCH_BURST_LATENCY_MS:-20}
IN=${BENCH_IDLE_N:-1000000}
ISECS=${BENCH_IDLE_SECONDS:-60}
ICLOCK=${BENCH_IDLE_CLOCK:-test}
RCLOCK=${BENCH_RATE_CLOCK:-real}
INFL=${BENCH_IN_FLIGHT:-64}
BINFL=${BENCH_BURST_IN_FLIGHT:-64}
RUNS=${BENCH_RUNS:-1}
CWARM=${BENCH_COST_WARMUP:-5}
CSECS=${BENCH_COST_SECONDS:-20}
CASES=${BENCH_CASES:-$(awk -v r="$RATE" -v a=$((WARM + SECS)) \
    -v b=$((CWARM + CSECS)) 'BEGIN { w = (a > b ? a : b) + 2
	n = int(1.25 * r * w + 0.999); print (n > 1000 ? n : 1000) }')}
DELISTD=$top_builddir/daemon/delistd
DELISTCTL=$top_builddir/daemon/delistctl
FAKE=$top_builddir/tests/fakes/fake_aliexpress
NOW=1796004000
umask 077

die() { echo "source-scale.sh: $*" >&2; exit 2; }
for f in "$DELISTD" "$DELISTCTL" "$FAKE"; do
	[ -x "$f" ] || die "$f is not built (make && make tests/fakes/fake_aliexpress)"
done
[ -f "$top_builddir/plugins/.libs/aliexpress.so" ] || die "plugins/.libs/aliexpress.so is not built"
for c in sqlite3 curl awk sed sort; do
	command -v "$c" >/dev/null 2>&1 || die "$c is missing"
done
[ -r /proc/self/stat ] || die "needs Linux /proc"
case $(date +%N) in *[!0-9]* | '') die "needs date +%N (GNU date)" ;; esac
TCK=$(getconf CLK_TCK 2>/dev/null) || TCK=100

T=$(mktemp -d "${TMPDIR:-/tmp}/dlss.XXXXXX") || exit 2
FAKE_PID= DAEMON_PID=
stop_daemon() {
	if [ -n "$DAEMON_PID" ]; then
		kill "$DAEMON_PID" 2>/dev/null
		wait "$DAEMON_PID" 2>/dev/null
		DAEMON_PID=
	fi
}
stop_fake() {
	if [ -n "$FAKE_PID" ]; then
		kill "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
		FAKE_PID=
	fi
}
trap 'stop_daemon; stop_fake; rm -rf "$T"' EXIT
export no_proxy='*' NO_PROXY='*'

now_ns() { date +%s%N; }
# ticks PID: utime + stime in clock ticks (after the command name).
ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'; }
# sched_ns PID: the CPU time of its live threads, in ns (schedstat).
sched_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null |
	    awk '{ s += $1 } END { printf "%.0f\n", s }'
}
vm() { sed -n "s/^$2:[^0-9]*\([0-9]*\).*/\1/p" "/proc/$1/status" 2>/dev/null; }
# jnum NAME: the first "NAME": number in the JSON on stdin.
jnum() { sed -n "s/.*\"$1\": *\([0-9][0-9]*\).*/\1/p" | head -n 1; }
fake_calls() { curl -sS "$AE/_fake/stats" | jnum calls; }
ctl() { "$DELISTCTL" -s "$R/state/delistd.sock" "$@"; }
# wait_up DEADLINE_S: polls delistctl status every 10 ms.
wait_up() {
	i=0
	while ! ctl status >/dev/null 2>&1; do
		kill -0 "$DAEMON_PID" 2>/dev/null || return 1
		[ $i -lt $(($1 * 100)) ] || return 1
		sleep 0.01
		i=$((i + 1))
	done
}
median() {
	sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit }
	    print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# setup RUN RATE BURST MAX_IN_FLIGHT: a fresh dir R, the fake, the config,
# the schema.
setup() {
	R=$T/$1
	mkdir -p "$R/state" || exit 2
	echo "$NOW" > "$R/clock"
	DELISTD_TEST_CLOCK=$R/clock
	export DELISTD_TEST_CLOCK
	printf 'bench-secret\n' > "$R/secret"
	printf 'bench-token\n' > "$R/token"
	"$FAKE" --port-file "$R/port" --app-key 1 --secret-file "$R/secret" \
	    --token bench-token --qps 10000000 --daily-quota 100000000 \
	    --clock-file "$R/clock" --timeout 7200 2>"$R/fake.err" &
	FAKE_PID=$!
	i=0
	while [ ! -s "$R/port" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
	[ -s "$R/port" ] || die "fake_aliexpress did not start"
	AE=http://127.0.0.1:$(cat "$R/port")
	cat > "$R/delistd.conf" <<CONF
daemon: { state_dir = "$R/state"; log_level = "notice";
	  plugin_dir = "$top_builddir/plugins/.libs"; };
shops = ( { name = "main"; source = "ae"; sweep_interval = "15m";
	    recheck_interval = "30m"; snapshot_url = ""; } );
plugins = ( { name = "ae"; module = "aliexpress"; gateway = "$AE";
	      app_key = "1"; app_secret_file = "$R/secret";
	      token_file = "$R/token"; rate = $2; burst = $3;
	      daily_quota = 100000000; max_in_flight = $4; } );
CONF
	"$DELISTD" -f -c "$R/delistd.conf" 2>>"$R/daemon.log" &
	DAEMON_PID=$!
	wait_up 20 || { tail -n 20 "$R/daemon.log" >&2; die "delistd did not come up"; }
	stop_daemon
}

# fill HEALTHY CASES CASE_DUE: listings straight into the store.
# Healthy ones due 10 to 40 min ahead; the cases' listings due at
# CASE_DUE; the sweep 10 min ahead, the catalog a day ahead.
fill() {
	sqlite3 "$R/state/delistd.db" > "$R/sqlite.out" 2>&1 <<SQL || { cat "$R/sqlite.out" >&2; die "sqlite3 failed"; }
PRAGMA busy_timeout = 5000;
BEGIN;
UPDATE shops SET next_sweep_at = $NOW + 600, next_catalog_at = $NOW + 86400
    WHERE name = 'main';
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < $1 - 1)
INSERT INTO listings (shop_id, product_id, tracked, status, created_at,
    updated_at, checked_at, next_check_at, lane)
SELECT (SELECT id FROM shops WHERE name = 'main'),
    CAST(1005001000000000 + i AS TEXT), 1, 'on_sale', $NOW - 86400,
    $NOW - 3600, $NOW - 3600, $NOW + 600 + i % 1800, 1
FROM c WHERE $1 > 0;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < $2 - 1)
INSERT INTO listings (shop_id, product_id, tracked, status, created_at,
    updated_at, checked_at, next_check_at, lane)
SELECT (SELECT id FROM shops WHERE name = 'main'),
    CAST(1005009000000000 + i AS TEXT), 1, 'offline', $NOW - 86400,
    $NOW - 3600, $NOW - 1800, $3, 0
FROM c WHERE $2 > 0;
INSERT INTO cases (listing_id, state, reason, opened_at, updated_at)
SELECT id, 'open', 'unclassified', $NOW - 3600, $NOW - 3600
FROM listings WHERE lane = 0;
-- As the source leaves a case it opened: its listing seen off sale
-- (marked once, when the delisting is confirmed; every re-check after
-- that only confirms it).
INSERT INTO listing_risks (listing_id, case_id, kind, raised_at)
SELECT listing_id, id, 'off_sale', $NOW - 3600 FROM cases;
COMMIT;
SQL
	# The cases' products are offline at the fake.
	if [ "$2" -gt 0 ]; then
		awk -v n="$2" 'BEGIN { printf "{\"products\":["
		    for (i = 0; i < n; i++) printf "%s{\"product_id\":\"%.0f\",\"status\":\"offline\"}", i ? "," : "", 1005009000000000 + i
		    print "]}" }' > "$R/products.json"
		curl -sS -o /dev/null -X POST --data-binary @"$R/products.json" "$AE/_fake/product"
	fi
}

start() {
	"$DELISTD" -f -c "$R/delistd.conf" 2>>"$R/daemon.log" &
	DAEMON_PID=$!
}

latency() {
	curl -sS -o /dev/null -X POST --data "{\"mode\":\"latency\",\"latency_ms\":$1}" "$AE/_fake/mode"
}

FIG=$T/figures
: > "$FIG"
bad=0

scenario_rate() {
	[ "$RCLOCK" = real ] && NOW=$(date +%s)
	setup "rate$1" "$RATE" "$(printf '%.0f' "$RATE")" "$INFL"
	fill "$N" "$CASES" "$NOW"
	latency "$LAT"
	[ "$RCLOCK" = real ] && unset DELISTD_TEST_CLOCK
	start
	wait_up 60 || { echo "rate run $1: delistd did not come up" >&2; bad=1; return; }
	sleep "$WARM"
	curl -sS -o /dev/null -X POST "$AE/_fake/reset-stats"
	k0=$(ticks "$DAEMON_PID") s0=$(sched_ns "$DAEMON_PID") t0=$(now_ns)
	sleep "$SECS"
	k1=$(ticks "$DAEMON_PID") s1=$(sched_ns "$DAEMON_PID") t1=$(now_ns)
	curl -sS "$AE/_fake/stats" > "$R/stats.json"
	hwm=$(vm "$DAEMON_PID" VmHWM)
	open=$(sqlite3 "$R/state/delistd.db" "SELECT COUNT(*) FROM cases WHERE state = 'open'")
	stop_daemon
	stop_fake
	calls=$(jnum calls < "$R/stats.json")
	maxps=$(jnum max_calls_per_second < "$R/stats.json")
	if [ "${calls:-0}" -eq 0 ]; then
		echo "rate run $1: the fake saw no calls" >&2
		tail -n 20 "$R/daemon.log" >&2
		bad=1
		return
	fi
	awk -v c="$calls" -v m="$maxps" -v r="$RATE" -v t0="$t0" -v t1="$t1" \
	    -v k="$((k1 - k0))" -v s="$((s1 - s0))" -v hz="$TCK" -v hwm="$hwm" \
	    -v open="$open" -v run="$1" '
	    BEGIN { w = (t1 - t0) / 1e9
		printf "rate_cps %.2f\nrate_pct %.1f\nrate_max1s %d\n", c / w, 100 * c / w / r, m
		printf "rate_cpu_us %.1f\nrate_sched_us %.1f\nrate_rss_kb %d\n", k * 1e6 / hz / c, s / 1e3 / c, hwm
		printf "rate run %d: %d calls in %.2f s = %.2f/s against rate %s (%.1f%%), at most %d in one second\n", run, c, w, c / w, r, 100 * c / w / r, m > "/dev/stderr"
		printf "  cpu %.1f us/check (%d ticks), %.1f us/check from schedstat; peak RSS %d kB; %d cases still open\n", k * 1e6 / hz / c, k, s / 1e3 / c, hwm, open > "/dev/stderr"
	    }' >> "$FIG" 2>"$R/line"
	cat "$R/line"
}

# The rate scenario's daemon under callgrind: instructions (Ir) per check
# over BENCH_COST_SECONDS (20) after BENCH_COST_WARMUP (5), the counters
# zeroed and dumped with callgrind_control and the calls counted at the
# fake over the same span (BENCH_COST_KEEP=FILE keeps the dump). Stable on
# a shared machine where CPU time is not.
scenario_cost() {
	command -v valgrind >/dev/null 2>&1 && command -v callgrind_control >/dev/null 2>&1 ||
	    { echo "cost: valgrind is missing" >&2; bad=1; return; }
	NOW=$(date +%s)
	setup "cost$1" "$RATE" "$(printf '%.0f' "$RATE")" "$INFL"
	fill "$N" "$CASES" "$NOW"
	latency "$LAT"
	unset DELISTD_TEST_CLOCK
	valgrind --tool=callgrind --callgrind-out-file="$R/callgrind.out" \
	    "$DELISTD" -f -c "$R/delistd.conf" 2>>"$R/daemon.log" &
	DAEMON_PID=$!
	wait_up 120 || { echo "cost run $1: delistd did not come up" >&2; bad=1; return; }
	sleep "$CWARM"
	curl -sS -o /dev/null -X POST "$AE/_fake/reset-stats"
	callgrind_control -z "$DAEMON_PID" >/dev/null
	sleep "$CSECS"
	callgrind_control -d "$DAEMON_PID" >/dev/null
	curl -sS "$AE/_fake/stats" > "$R/stats.json"
	stop_daemon
	stop_fake
	calls=$(jnum calls < "$R/stats.json")
	# The dump of the span (callgrind.out.1), not the rest at exit.
	ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$R/callgrind.out.1" 2>/dev/null | head -n 1)
	if [ "${calls:-0}" -eq 0 ] || [ -z "$ir" ]; then
		echo "cost run $1: no calls or no callgrind totals" >&2
		bad=1
		return
	fi
	[ -z "${BENCH_COST_KEEP:-}" ] || cp "$R/callgrind.out.1" "$BENCH_COST_KEEP"
	awk -v c="$calls" -v ir="$ir" -v run="$1" 'BEGIN {
		printf "cost_ir_per_check %.0f\n", ir / c
		printf "cost run %d: %d checks, %.0f instructions per check (callgrind Ir)\n", run, c, ir / c > "/dev/stderr" }' >> "$FIG" 2>"$R/line"
	cat "$R/line"
}

scenario_burst() {
	setup "burst$1" 1000 1000 "$BINFL"
	fill 0 "$BN" $((NOW + 60))
	latency "$BLAT"
	start
	wait_up 60 || { echo "burst run $1: delistd did not come up" >&2; bad=1; return; }
	curl -sS -o /dev/null -X POST "$AE/_fake/reset-stats"
	sleep 0.2
	t0=$(now_ns)
	echo $((NOW + 60)) > "$R/clock.new" && mv "$R/clock.new" "$R/clock"
	tf= c=0 i=0
	while [ $i -lt 3000 ]; do
		c=$(fake_calls)
		if [ "${c:-0}" -ge "$BN" ]; then tf=$(now_ns); break; fi
		sleep 0.01
		i=$((i + 1))
	done
	# Answers recorded: no listing of the cases left at the old due time.
	i=0
	while [ $i -lt 1000 ]; do
		left=$(sqlite3 "$R/state/delistd.db" "PRAGMA busy_timeout = 5000; SELECT COUNT(*) FROM listings WHERE lane = 0 AND checked_at < $NOW + 60" 2>/dev/null | tail -n 1)
		[ "${left:-1}" != 0 ] || { ta=$(now_ns); break; }
		sleep 0.01
		i=$((i + 1))
	done
	ta=${ta:-}
	stop_daemon
	stop_fake
	if [ -z "$tf" ]; then
		echo "burst run $1: the fake saw only $c of $BN calls in 30 s" >&2
		bad=1
		return
	fi
	awk -v n="$BN" -v t0="$t0" -v tf="$tf" -v ta="${ta:-0}" -v run="$1" -v lat="$BLAT" '
	    BEGIN { f = (tf - t0) / 1e9; a = ta ? (ta - t0) / 1e9 : -1
		printf "burst_calls_s %.3f\n", f
		if (a >= 0) printf "burst_done_s %.3f\n", a
		printf "burst run %d: %d checks due at once, gateway %d ms: all %d received %.3f s after the clock step (%.0f calls/s), all recorded after %s s\n", run, n, lat, n, f, n / f, (a >= 0 ? sprintf("%.3f", a) : "?") > "/dev/stderr"
	    }' >> "$FIG" 2>"$R/line"
	cat "$R/line"
}

scenario_idle() {
	[ "$ICLOCK" = real ] && NOW=$(date +%s)
	setup "idle$1" 20 20 64
	fill "$IN" 0 0
	[ "$ICLOCK" = real ] && unset DELISTD_TEST_CLOCK
	t0=$(now_ns)
	start
	wait_up 120 || { echo "idle run $1: delistd did not come up" >&2; bad=1; return; }
	t1=$(now_ns)
	rss=$(vm "$DAEMON_PID" VmRSS)
	curl -sS -o /dev/null -X POST "$AE/_fake/reset-stats"
	k0=$(ticks "$DAEMON_PID") s0=$(sched_ns "$DAEMON_PID") w0=$(now_ns)
	sleep "$ISECS"
	k1=$(ticks "$DAEMON_PID") s1=$(sched_ns "$DAEMON_PID") w1=$(now_ns)
	hwm=$(vm "$DAEMON_PID" VmHWM)
	ctl status > "$R/status.txt" 2>&1
	curl -sS "$AE/_fake/stats" > "$R/stats.json"
	calls=$(jnum calls < "$R/stats.json")
	stop_daemon
	stop_fake
	awk -v n="$IN" -v t0="$t0" -v t1="$t1" -v rss="$rss" -v hwm="$hwm" \
	    -v k="$((k1 - k0))" -v s="$((s1 - s0))" -v hz="$TCK" -v w0="$w0" \
	    -v w1="$w1" -v calls="${calls:-?}" -v run="$1" '
	    BEGIN { st = (t1 - t0) / 1e9; w = (w1 - w0) / 1e9
		printf "idle_start_s %.3f\nidle_rss_kb %d\nidle_hwm_kb %d\n", st, rss, hwm
		printf "idle_cpu_s_per_h %.3f\nidle_sched_s_per_h %.3f\n", k / hz * 3600 / w, s / 1e9 * 3600 / w
		printf "idle run %d: %d listings: up in %.3f s, RSS %d kB (peak %d kB); idle %.1f s: %d ticks = %.3f CPU s/h, schedstat %.3f CPU s/h; %s calls while idle\n", run, n, st, rss, hwm, w, k, k / hz * 3600 / w, s / 1e9 * 3600 / w, calls > "/dev/stderr"
	    }' >> "$FIG" 2>"$R/line"
	cat "$R/line"
}

echo "# source at scale: $(nproc 2>/dev/null || echo ?) CPUs; $("$DELISTD" -V 2>/dev/null);" \
    "state on $(df -PT "$T" 2>/dev/null | awk 'NR == 2 { print $2 }'); runs $RUNS"
[ $# -gt 0 ] || set -- rate burst idle
for s in "$@"; do
	case $s in
	rate | burst | idle | cost) ;;
	*) die "unknown scenario $s (rate, burst, idle, cost)" ;;
	esac
	run=1
	while [ "$run" -le "$RUNS" ]; do
		"scenario_$s" "$run"
		run=$((run + 1))
	done
done
if [ "$RUNS" -gt 1 ]; then
	echo "# medians of $RUNS runs"
	for k in $(awk '{ print $1 }' "$FIG" | sort -u); do
		echo "$k $(awk -v k="$k" '$1 == k { print $2 }' "$FIG" | median)"
	done
fi
exit "$bad"

#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bench/outbox.sh: outbox throughput. Prints figures; never passes or
# fails on time.
#
# usage: top_builddir=BUILD_DIR sh tests/bench/outbox.sh
#
# Needs a built delistd, delistctl, plugins/.libs/webhook.so and
# tests/fakes/fake_webhook (make && make tests/fakes/fake_webhook), the
# sqlite3 CLI, curl, Linux /proc and GNU date (%N). Use a build without
# --enable-sanitizers: the figures are meant for the real thing.
#
# Each run, on a fresh state dir under /tmp:
#   1. starts tests/fakes/fake_webhook --mode ok on loopback;
#   2. starts delistd once so that it creates its schema (one shop "main",
#      one webhook sink "erp" subscribed to listing.tracked), and stops it;
#   3. inserts BENCH_N events and as many pending outbox rows (due now)
#      with the sqlite3 CLI, in one transaction;
#   4. starts delistd again and polls `delistctl --json status` every
#      50 ms until the outbox has nothing pending.
# synchronous=FULL is kept: the daemon always sets it.
#
# Per run it prints:
#   drain     wall time from starting delistd to the first status that
#             shows pending 0 (so it includes startup, ~ms, and up to one
#             50 ms poll), and deliveries/s from it;
#   recv      the receiver's span, its first to its last delivery (its own
#             monotonic ms stamps), and deliveries/s from that; the more
#             precise rate;
#   cpu       delistd's user+system CPU from /proc/PID/stat (taken at fork,
#             so startup is included, and so are the status polls), per
#             delivery, in microseconds;
#   rss       delistd's peak RSS (VmHWM) once drained;
#   gap       inter-arrival time at the receiver between consecutive
#             deliveries under the backlog, median and p99 (1 ms
#             resolution: the receiver stamps in ms);
#   ack       mean time a delivery is in flight (dispatch to
#             acknowledgement) under the backlog, from Little's law: the
#             mean "in_flight" seen by the polls / deliveries per second;
#   e2e       on the idle daemon afterwards, BENCH_PROBES times one at a
#             time: from the receiver stamping a marker request to it
#             stamping the delivery of the listing.tracked event that the
#             same curl process then records through the API (POST
#             /v1/listings), median and p99: event creation, its commit,
#             dispatch and the POST, in ms at 1 ms resolution.
# and then the median of each figure over the runs.
#
# Exit status: 0 when every run delivered each event exactly once, 1 if not
# (or on a timeout), 2 when something needed is missing.
#
# Environment: top_builddir (default: the current directory), BENCH_N
# (10000), BENCH_RUNS (3), BENCH_PROBES (50), BENCH_TIMEOUT (seconds a
# drain may take, 1800).

. "$(dirname "$0")/../integration/lib.sh"

N=${BENCH_N:-10000}
RUNS=${BENCH_RUNS:-3}
PROBES=${BENCH_PROBES:-50}
LIMIT=${BENCH_TIMEOUT:-1800}
FAKE=$top_builddir/tests/fakes/fake_webhook
PLUGIN_DIR=$top_builddir/plugins/.libs
umask 077

die() { echo "outbox.sh: $*" >&2; exit 2; }
for f in "$DELISTD" "$DELISTCTL" "$FAKE" "$PLUGIN_DIR/webhook.so"; do
	[ -x "$f" ] || [ -f "$f" ] || die "$f is not built (make && make tests/fakes/fake_webhook)"
done
for c in sqlite3 curl awk sed sort; do
	command -v "$c" >/dev/null 2>&1 || die "$c is missing"
done
[ -r /proc/self/stat ] || die "needs Linux /proc"
case $(date +%N) in *[!0-9]* | '') die "needs date +%N (GNU date)" ;; esac
TCK=$(getconf CLK_TCK 2>/dev/null) || TCK=100

FAKE_PID=
stop_fake() {
	if [ -n "$FAKE_PID" ]; then
		kill "$FAKE_PID" 2>/dev/null
		wait "$FAKE_PID" 2>/dev/null
		FAKE_PID=
	fi
}
trap 'stop_fake; cleanup' EXIT

now_ns() { date +%s%N; }
# cpu_ticks PID: utime + stime, in clock ticks (fields 14 and 15; the
# command name in parentheses is skipped first).
cpu_ticks() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null |
	    awk '{ print $12 + $13, $12, $13 }'
}
# json_num NAME: the first "NAME": number in the status on stdin.
json_num() { sed -n "s/.*\"$1\": *\([0-9][0-9]*\).*/\1/p" | head -n 1; }
# The receiver's deliveries (path /hook).
hooks() { grep -c ' path=/hook ' "$HOOKLOG" 2>/dev/null || :; }
hooks_at_least() { [ "$(hooks)" -ge "$1" ]; }
# median and p99 (nearest rank) of the numbers on stdin, "- -" if none.
stats() {
	sort -n | awk '{ a[NR] = $1 }
	    END { if (NR == 0) { print "- -"; exit }
		m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		r = int(0.99 * NR); if (r < 0.99 * NR) r++
		print m, a[r] }'
}
median() { stats | awk '{ print $1 }'; }

# Figures of each run, one "name value" a line, for the medians.
FIG=$T/figures
: > "$FIG"

bad=0
run_once() {
	R=$T/r$1
	mkdir "$R" || exit 2
	STATE=$R/state
	SOCK=$STATE/delistd.sock
	HOOKLOG=$R/hook.log
	mkdir "$STATE" || exit 2

	"$FAKE" --port-file "$R/port" --log "$HOOKLOG" --mode ok \
	    --timeout $((LIMIT + 600)) 2>>"$R/fake.err" &
	FAKE_PID=$!
	wait_for 10 test -s "$R/port" || die "fake_webhook did not start"
	URL=http://127.0.0.1:$(cat "$R/port")

	conf=$R/delistd.conf
	cat > "$conf" <<CONF
daemon: {
	state_dir = "$STATE";
	log_level = "info";
	plugin_dir = "$PLUGIN_DIR";
};
shops = ( { name = "main"; } );
plugins = (
	{ name = "erp"; module = "webhook"; url = "$URL/hook";
	  events = [ "listing.tracked" ]; }
);
CONF
	: > "$T/daemon.log"
	start_daemon "$conf" >&2 || exit 2
	stop_daemon
	[ "$DAEMON_RC" = 0 ] || die "delistd exited $DAEMON_RC creating its schema"

	# N events and their pending deliveries, due now, in one transaction.
	now=$(date +%s)
	sqlite3 "$STATE/delistd.db" > "$R/sqlite.out" 2>&1 <<SQL || { cat "$R/sqlite.out" >&2; die "sqlite3 failed"; }
PRAGMA busy_timeout = 5000;
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < $N)
INSERT INTO events (case_id, shop, product_id, at, recorded_at, actor, type,
    severity, payload)
SELECT NULL, 'main', CAST(1005006000000000 + i AS TEXT), $now, $now,
    'bench', 'listing.tracked', 'info',
    '{"message":"main/' || (1005006000000000 + i) || ' is tracked"}'
FROM c;
INSERT INTO outbox (event_id, sink, case_id, state, attempts,
    next_attempt_at, created_at)
SELECT id, 'erp', NULL, 'pending', 0, $now, $now FROM events
WHERE actor = 'bench' ORDER BY id;
COMMIT;
SQL
	pend=$(sqlite3 "$STATE/delistd.db" \
	    "SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
	[ "$pend" = "$N" ] || die "$pend rows pending after the insert, want $N"

	# The drain.
	t0=$(now_ns)
	"$DELISTD" -f -c "$conf" >> "$T/daemon.log" 2>&1 &
	DAEMON_PID=$!
	c0=$(cpu_ticks "$DAEMON_PID" | awk '{ print $1 }')
	deadline=$((t0 + LIMIT * 1000000000))
	polls=0 sum_flight=0 t1=
	while :; do
		st=$("$DELISTCTL" -s "$SOCK" --json status 2>/dev/null)
		if [ -n "$st" ]; then
			pending=$(printf '%s\n' "$st" | json_num pending)
			if [ "$pending" = 0 ]; then
				t1=$(now_ns)
				break
			fi
			flight=$(printf '%s\n' "$st" | json_num in_flight)
			polls=$((polls + 1))
			sum_flight=$((sum_flight + ${flight:-0}))
		fi
		kill -0 "$DAEMON_PID" 2>/dev/null || break
		[ "$(now_ns)" -lt "$deadline" ] || break
		sleep 0.05
	done
	cpu=$(cpu_ticks "$DAEMON_PID")
	hwm=$(sed -n 's/^VmHWM:[^0-9]*\([0-9]*\).*/\1/p' \
	    "/proc/$DAEMON_PID/status" 2>/dev/null)
	if [ -z "$t1" ]; then
		echo "run $1: the outbox did not drain within ${LIMIT}s" \
		    "(pending ${pending:-?}); the end of the daemon's log:" >&2
		tail -n 20 "$T/daemon.log" >&2
		bad=1
		stop_daemon KILL
		stop_fake
		return
	fi

	# Every event delivered once, each with its own key.
	wait_for 10 hooks_at_least "$N"
	got=$(hooks)
	keys=$(sed -n 's/.* path=\/hook key=\([^ ]*\) .*/\1/p' "$HOOKLOG" |
	    sort -u | wc -l | tr -d ' ')
	not200=$(grep ' path=/hook ' "$HOOKLOG" | grep -vc ' status=200 ')
	if [ "$got" != "$N" ] || [ "$keys" != "$N" ] || [ "$not200" != 0 ]; then
		echo "run $1: the receiver logged $got deliveries with $keys" \
		    "distinct keys ($not200 not 200), want $N" >&2
		bad=1
	fi

	# Idle end-to-end probes: marker, then an event through the API, in
	# the same curl process.
	p=1
	while [ "$p" -le "$PROBES" ]; do
		want=$(($(hooks) + 1))
		curl -sS -o /dev/null "$URL/mark" --next -sS -o /dev/null \
		    --unix-socket "$SOCK" -X POST \
		    -H 'Content-Type: application/json' \
		    --data "{\"shop\":\"main\",\"product_id\":\"100500700000$p\"}" \
		    http://localhost/v1/listings 2>>"$R/curl.err"
		if ! wait_for 10 hooks_at_least "$want"; then
			echo "run $1: probe $p was not delivered" >&2
			break
		fi
		p=$((p + 1))
	done
	stop_daemon
	stop_fake

	wall_us=$(((t1 - t0) / 1000))
	awk -v n="$N" -v w="$wall_us" -v cpu="$cpu" -v hz="$TCK" \
	    -v tck0="${c0:-0}" -v polls="$polls" -v fl="$sum_flight" \
	    -v hwm="${hwm:-0}" '
	    BEGIN {
		split(cpu, c, " "); t = c[1]; u = c[2]; s = c[3]
		cpu = (t - tck0) * 1e6 / hz / n
		printf "drain_s %.3f\nrate %.1f\n", w / 1e6, n / (w / 1e6)
		printf "cpu_us %.1f\nuser_us %.1f\nsys_us %.1f\n", cpu,
		    u * 1e6 / hz / n, s * 1e6 / hz / n
		printf "rss_kb %d\n", hwm
		printf "flight %.1f\n", polls ? fl / polls : 0
	    }' > "$R/fig"
	# The receiver: span, rate, inter-arrival; and the probes.
	grep ' path=/hook ' "$HOOKLOG" | head -n "$N" |
	    awk '{ sub(/.* ms=/, ""); sub(/ .*/, "")
		if (n++ == 0) first = $0; last = $0 }
	    END { s = (last - first) / 1000
		printf "recv_s %.3f\nrecv_rate %.1f\n", s, (s > 0 ? (n - 1) / s : 0) }' >> "$R/fig"
	rate=$(awk '$1 == "recv_rate" { print $2 }' "$R/fig")
	ack=$(awk -v r="$rate" '$1 == "flight" && r > 0 {
		printf "ack_ms %.1f\n", $2 / r * 1000 }' "$R/fig")
	[ -z "$ack" ] || echo "$ack" >> "$R/fig"
	grep ' path=/hook ' "$HOOKLOG" | head -n "$N" |
	    sed 's/.* ms=\([0-9]*\) .*/\1/' |
	    awk 'NR > 1 { print $1 - prev } { prev = $1 }' | stats |
	    awk '{ print "gap_med_ms", $1; print "gap_p99_ms", $2 }' >> "$R/fig"
	awk '/ path=\/mark / { sub(/.* ms=/, ""); sub(/ .*/, ""); m = $0; next }
	    / path=\/hook / && m != "" { sub(/.* ms=/, ""); sub(/ .*/, "")
		print $0 - m; m = "" }' "$HOOKLOG" | stats |
	    awk '{ print "e2e_med_ms", $1; print "e2e_p99_ms", $2 }' >> "$R/fig"
	cat "$R/fig" >> "$FIG"
	show "run $1" "$R/fig"
}

# show LABEL FILE: one line of figures.
show() {
	awk -v label="$1" -v n="$N" -v probes="$PROBES" '{ v[$1] = $2 }
	    END {
		printf "%s: %d deliveries\n", label, n
		printf "  drain  %s s wall, %s deliveries/s (start to pending 0, 50 ms polls)\n", v["drain_s"], v["rate"]
		printf "  recv   %s s first to last delivery, %s deliveries/s\n", v["recv_s"], v["recv_rate"]
		printf "  cpu    %s us/delivery (user %s, system %s)\n", v["cpu_us"], v["user_us"], v["sys_us"]
		printf "  rss    %s kB peak (VmHWM)\n", v["rss_kb"]
		printf "  gap    median %s ms, p99 %s ms between deliveries at the receiver\n", v["gap_med_ms"], v["gap_p99_ms"]
		printf "  ack    %s in flight on average -> %s ms mean dispatch to ack (Little)\n", v["flight"], v["ack_ms"]
		printf "  e2e    median %s ms, p99 %s ms event creation to receipt, idle (%d probes)\n", v["e2e_med_ms"], v["e2e_p99_ms"], probes
	    }' "$2"
}

fs=$(df -PT "$T" 2>/dev/null | awk 'NR == 2 { print $2 }')
echo "# outbox throughput: $N events to a loopback webhook (fake_webhook --mode ok)"
echo "# runs: $RUNS; state on ${fs:-?} ($T), synchronous=FULL; $(nproc 2>/dev/null || echo ?) CPUs;" \
    "$("$DELISTD" -V 2>/dev/null); sqlite3 CLI $(sqlite3 --version | awk '{ print $1 }')"
i=1
while [ "$i" -le "$RUNS" ]; do
	run_once "$i"
	i=$((i + 1))
done

for k in drain_s rate recv_s recv_rate cpu_us user_us sys_us rss_kb \
    gap_med_ms gap_p99_ms flight ack_ms e2e_med_ms e2e_p99_ms; do
	v=$(awk -v k="$k" '$1 == k && $2 != "-" { print $2 }' "$FIG" | median)
	echo "$k ${v:--}"
done > "$T/medians"
show "median of $RUNS runs" "$T/medians"
exit "$bad"

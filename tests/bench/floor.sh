#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bench/floor.sh: what the fixed libraries alone (libcurl on
# libevent, OpenSSL's HMAC, jansson, SQLite with synchronous=FULL) cost per
# AliExpress status check, the floor under source-scale.sh's "cpu" figure.
# Prints figures; never passes or fails on time.
#
# usage: top_builddir=BUILD_DIR sh tests/bench/floor.sh
#
# tests/bench/floor (make tests/bench/floor tests/fakes/fake_aliexpress;
# a build without sanitizers) sends BENCH_PER_TICK (20) signed
# findaeproductbyid calls a second, the way the scheduler does at rate 20,
# to tests/fakes/fake_aliexpress answering after BENCH_LATENCY_MS (50),
# parses each answer and records each in one SQLite transaction per
# second, for BENCH_SECONDS (30) seconds after a first one. It prints its
# CPU time per check (getrusage: user + system, and each). Each run is on a
# fresh database under TMPDIR; with BENCH_RUNS (1) above 1 the medians are
# printed too.
#
# Exit status: 0, 1 if a run failed, 2 when something needed is missing.

set -u
top_builddir=$(cd "${top_builddir:-.}" && pwd)
PER=${BENCH_PER_TICK:-20}
LAT=${BENCH_LATENCY_MS:-50}
SECS=${BENCH_SECONDS:-30}
RUNS=${BENCH_RUNS:-1}
FLOOR=$top_builddir/tests/bench/floor
FAKE=$top_builddir/tests/fakes/fake_aliexpress
umask 077

die() { echo "floor.sh: $*" >&2; exit 2; }
for f in "$FLOOR" "$FAKE"; do
	[ -x "$f" ] || die "$f is not built (make tests/bench/floor tests/fakes/fake_aliexpress)"
done
command -v curl >/dev/null 2>&1 || die "curl is missing"

T=$(mktemp -d "${TMPDIR:-/tmp}/dlfl.XXXXXX") || exit 2
FAKE_PID=
trap '[ -z "$FAKE_PID" ] || { kill "$FAKE_PID"; wait "$FAKE_PID"; } 2>/dev/null; rm -rf "$T"' EXIT
export no_proxy='*' NO_PROXY='*'

date +%s > "$T/clock"
printf 'bench-secret\n' > "$T/secret"
"$FAKE" --port-file "$T/port" --app-key 1 --secret-file "$T/secret" \
    --token bench-token --qps 10000000 --daily-quota 100000000 \
    --clock-file "$T/clock" --timeout 7200 2>"$T/fake.err" &
FAKE_PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
[ -s "$T/port" ] || die "fake_aliexpress did not start"
AE=http://127.0.0.1:$(cat "$T/port")
curl -sS -o /dev/null -X POST --data "{\"mode\":\"latency\",\"latency_ms\":$LAT}" "$AE/_fake/mode"

echo "# floor: $(nproc 2>/dev/null || echo ?) CPUs; $PER checks a second," \
    "gateway $LAT ms, state on $(df -PT "$T" 2>/dev/null | awk 'NR == 2 { print $2 }'); runs $RUNS"
bad=0
run=1
: > "$T/figures"
while [ "$run" -le "$RUNS" ]; do
	rm -f "$T/floor.db" "$T/floor.db-wal" "$T/floor.db-shm"
	if "$FLOOR" "$AE/sync" 1 bench-secret bench-token "$T/clock" \
	    "$T/floor.db" "$SECS" "$PER" > "$T/out" 2>"$T/err"; then
		awk -v run="$run" '{ v[$1] = $2 } END {
		    printf "floor run %d: %d checks; cpu %.1f us/check (user %.1f, system %.1f)\n", run, v["floor_checks"], v["floor_cpu_us"], v["floor_user_us"], v["floor_sys_us"] }' "$T/out" >&2
		cat "$T/out" >> "$T/figures"
	else
		echo "floor run $run failed:" >&2
		cat "$T/out" "$T/err" >&2
		bad=1
	fi
	run=$((run + 1))
done
# BENCH_CALLGRIND=1: the same run under valgrind's callgrind, its
# instructions per check (Ir) over the ticks from 2 s after its first checks to
# 2 s before the end, the checks counted at the fake (compare with
# source-scale.sh cost).
if [ "${BENCH_CALLGRIND:-0}" = 1 ]; then
	rm -f "$T/floor.db" "$T/floor.db-wal" "$T/floor.db-shm" "$T"/cg.out*
	valgrind --tool=callgrind --callgrind-out-file="$T/cg.out" "$FLOOR" \
	    "$AE/sync" 1 bench-secret bench-token "$T/clock" "$T/floor.db" \
	    "$SECS" "$PER" > "$T/out" 2>"$T/err" &
	cg=$!
	# Its set-up (the table's rows) is not a check's: counting starts
	# once its first checks have reached the fake, however slowly a
	# loaded machine ran the set-up under valgrind.
	i=0
	until [ "$(curl -sS "$AE/_fake/stats" | sed -n 's/.*"calls": *\([0-9]*\).*/\1/p')" -ge "$PER" ] 2>/dev/null; do
		[ $i -lt 600 ] || die "the floor under callgrind made no checks"
		sleep 0.1
		i=$((i + 1))
	done
	sleep 2
	curl -sS -o /dev/null -X POST "$AE/_fake/reset-stats"
	callgrind_control -z "$cg" >/dev/null
	sleep $((SECS - 5))
	callgrind_control -d "$cg" >/dev/null
	calls=$(curl -sS "$AE/_fake/stats" | sed -n 's/.*"calls": *\([0-9]*\).*/\1/p')
	wait "$cg"
	ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$T/cg.out.1" 2>/dev/null | head -n 1)
	if [ -n "$ir" ] && [ "${calls:-0}" -gt 0 ]; then
		[ -z "${BENCH_CALLGRIND_KEEP:-}" ] || cp "$T/cg.out.1" "$BENCH_CALLGRIND_KEEP"
		awk -v ir="$ir" -v c="$calls" 'BEGIN {
		    printf "floor_ir_per_check %.0f\n", ir / c
		    printf "floor under callgrind: %d checks, %.0f instructions per check (Ir)\n", c, ir / c > "/dev/stderr" }' >> "$T/figures"
	else
		echo "floor under callgrind failed" >&2
		bad=1
	fi
fi
if [ "$RUNS" -gt 1 ]; then
	echo "# medians of $RUNS runs"
	for k in floor_cpu_us floor_user_us floor_sys_us; do
		printf '%s ' "$k"
		awk -v k="$k" '$1 == k { print $2 }' "$T/figures" | sort -n |
		    awk '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit }
			print NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
	done
fi
exit "$bad"

#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bench/source.sh: a 10,000-listing shop planned within the quota.
# Prints figures; never passes or fails on time.
#
# usage: top_builddir=BUILD_DIR sh tests/bench/source.sh
#
# Needs a built delistd, delistctl, plugins/.libs/aliexpress.so and
# tests/fakes/fake_aliexpress (make && make tests/fakes/fake_aliexpress),
# curl, jq, Linux /proc. Use a build without sanitizers.
#
# On a fresh state dir, on the test clock (so that the day does not move):
#   1. starts tests/fakes/fake_aliexpress with BENCH_N products on sale,
#      counting calls per wall-clock second itself (--qps far above rate);
#   2. starts delistd with one shop on that source (recheck_interval 30m,
#      sweep 15m, rate BENCH_RATE, burst 5, daily_quota 5000) and imports
#      BENCH_N listings with delistctl import (one transaction);
#   3. reads the plan from delistctl --json status: the calls a day the
#      intervals need, how much of it is fixed, and the stretch applied to
#      the healthy listings' checks;
#   4. lets the first checks run for BENCH_SECONDS of real time and reads
#      the fake's figures.
# It prints:
#   import    wall time of delistctl import, and listings/s;
#   plan      needed calls/day, fixed calls/day, fits, stretch, and the
#             resulting interval of a healthy listing (30m x stretch);
#   calls     calls the fake received in BENCH_SECONDS, calls/s, and the
#             most it saw in one wall-clock second (never above rate +
#             burst: a full bucket, then its refill);
#   cpu       delistd's user+system CPU per call, in microseconds;
#   rss       delistd's peak RSS (VmHWM).
# Exit status: 0, or 1 if the plan was missing or a second saw more calls
# than rate + burst, 2 when something needed is missing.
#
# Environment: top_builddir (default: .), BENCH_N (10000), BENCH_RATE (5),
# BENCH_SECONDS (10).

set -u
top_builddir=$(cd "${top_builddir:-.}" && pwd)
N=${BENCH_N:-10000}
RATE=${BENCH_RATE:-5}
SECS=${BENCH_SECONDS:-10}
DELISTD=$top_builddir/daemon/delistd
DELISTCTL=$top_builddir/daemon/delistctl
FAKE=$top_builddir/tests/fakes/fake_aliexpress
for f in "$DELISTD" "$DELISTCTL" "$FAKE" "$top_builddir/plugins/.libs/aliexpress.so"; do
	[ -x "$f" ] || [ -e "$f" ] || { echo "missing $f" >&2; exit 2; }
done
for c in curl jq; do
	command -v $c >/dev/null 2>&1 || { echo "missing $c" >&2; exit 2; }
done

T=$(mktemp -d /tmp/dlb.XXXXXX) || exit 2
FAKE_PID= DAEMON_PID=
trap 'kill $FAKE_PID $DAEMON_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
export no_proxy='*' NO_PROXY='*'
echo 1796004000 > "$T/clock"
DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
printf 'bench-secret\n' > "$T/secret"
printf 'bench-token\n' > "$T/token"
chmod 600 "$T/secret" "$T/token"

"$FAKE" --port-file "$T/port" --app-key 1 --secret-file "$T/secret" \
    --token bench-token --qps 100000 --daily-quota 100000000 \
    --clock-file "$T/clock" 2>/dev/null &
FAKE_PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i + 1)); done
AE=http://127.0.0.1:$(cat "$T/port")

# The products, in the fake and in a CSV.
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) printf "main,100500900%07d\n", i }' > "$T/list.csv"
awk -v n="$N" 'BEGIN { printf "{\"products\":["
	for (i = 0; i < n; i++) printf "%s{\"product_id\":\"100500900%07d\",\"status\":\"onSelling\"}", i ? "," : "", i
	print "]}" }' > "$T/products.json"
curl -sS -o /dev/null -X POST --data-binary @"$T/products.json" "$AE/_fake/product"

cat > "$T/delistd.conf" <<CONF
daemon: { state_dir = "$T/state"; log_level = "notice";
	  plugin_dir = "$top_builddir/plugins/.libs"; };
shops = ( { name = "main"; source = "ae"; sweep_interval = "15m";
	    recheck_interval = "30m"; snapshot_url = ""; } );
plugins = ( { name = "ae"; module = "aliexpress"; gateway = "$AE";
	      app_key = "1"; app_secret_file = "$T/secret";
	      token_file = "$T/token"; rate = $RATE; burst = 5;
	      daily_quota = 5000; } );
CONF
"$DELISTD" -f -c "$T/delistd.conf" 2>"$T/daemon.log" &
DAEMON_PID=$!
ctl() { "$DELISTCTL" -s "$T/state/delistd.sock" "$@"; }
i=0
while ! ctl status >/dev/null 2>&1 && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done

t0=$(date +%s.%N)
ctl import "$T/list.csv" >/dev/null || { echo "import failed" >&2; exit 1; }
t1=$(date +%s.%N)
curl -sS -o /dev/null -X POST "$AE/_fake/reset-stats"
t2=$(date +%s.%N)
sleep "$SECS"
t3=$(date +%s.%N)
ctl --json status > "$T/status.json"
curl -sS "$AE/_fake/stats" > "$T/stats.json"
cpu=$(awk '{ print $14 + $15 }' "/proc/$DAEMON_PID/stat")
hz=$(getconf CLK_TCK)
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$DAEMON_PID/status")

jq -e '.sources[0].plan' "$T/status.json" >/dev/null || { echo "no plan in status" >&2; exit 1; }
calls=$(jq .calls "$T/stats.json")
maxps=$(jq .max_calls_per_second "$T/stats.json")
awk -v n="$N" -v a="$t0" -v b="$t1" 'BEGIN { printf "import    %d listings in %.2f s (%.0f/s)\n", n, b - a, n / (b - a) }'
jq -r '.sources[0].plan | "plan      needs \(.needed_per_day) calls/day (\(.fixed_per_day) fixed), fits \(.fits), stretch x\(.stretch): a healthy listing every \(30 * .stretch | floor) min"' "$T/status.json"
awk -v c="$calls" -v a="$t2" -v b="$t3" -v m="$maxps" -v r="$RATE" 'BEGIN {
	printf "calls     %d in %.1f s (%.2f/s), at most %d in one second (rate %s)\n", c, b - a, c / (b - a), m, r }'
awk -v cpu="$cpu" -v hz="$hz" -v c="$calls" 'BEGIN { if (c > 0) printf "cpu       %.0f us per call (including startup and import)\n", cpu / hz * 1e6 / c }'
echo "rss       ${rss} kB peak"
[ "$maxps" -le $(($(printf '%.0f' "$RATE") + 5)) ] || { echo "more than rate + burst in one second" >&2; exit 1; }
exit 0

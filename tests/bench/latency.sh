#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bench/latency.sh: detection latency (issue 21): the time from the
# platform marking a listing delisted to its case.opened, and to the first
# webhook delivery of it. Prints figures; never passes or fails on time.
#
# usage: top_builddir=BUILD_DIR sh tests/bench/latency.sh
#
# BENCH_N (10,000) listings on sale at tests/fakes/fake_aliexpress, tracked
# with delistctl import in a shop with the default intervals (sweep 15
# min, confirm_checks 2, confirm_spacing 2 min, recheck 30 min), its
# source at rate 1000 (the rate does not bind here), a webhook sink
# (tests/fakes/fake_webhook) taking case.opened. On the test clock: once
# every listing has had its first check, the clock moves BENCH_STEP (5) s
# at a time, each step waited for (delistctl status: the daemon's clock
# there, and no call in flight, so that the stepped clock never outruns
# the source's real-time rate); BENCH_K (50)
# listings are marked delisted at the fake (offline, punish_offline), one
# every BENCH_GAP (60) s of the daemon's clock plus a spread within it,
# until each has its case.opened and its delivery. Latencies are in the
# daemon's clock: case.opened's "at" minus the step at which the fake
# flipped; the delivery's, the first step at whose end fake_webhook had
# it (so at most BENCH_STEP late). Prints the median and p99 of each
# against the bound sweep_interval + confirm_spacing + 10 s, which is what
# sets it: a delisting waits for the next sweep (at most sweep_interval),
# then confirm_checks - 1 re-checks confirm_spacing apart.
#
# BENCH_EACH=1 prints each delisting: product, when it was flipped, and
# its latency to case.opened.
#
# Needs a built delistd, delistctl, plugins/.libs/{aliexpress,webhook}.so,
# tests/fakes/fake_aliexpress and fake_webhook, the sqlite3 CLI and curl.

set -u
top_builddir=$(cd "${top_builddir:-.}" && pwd)
N=${BENCH_N:-10000}
K=${BENCH_K:-50}
STEP=${BENCH_STEP:-5}
GAP=${BENCH_GAP:-60}
SWEEP=900 SPACING=120
DELISTD=$top_builddir/daemon/delistd
DELISTCTL=$top_builddir/daemon/delistctl
AEF=$top_builddir/tests/fakes/fake_aliexpress
WHF=$top_builddir/tests/fakes/fake_webhook
umask 077

die() { echo "latency.sh: $*" >&2; exit 2; }
for f in "$DELISTD" "$DELISTCTL" "$AEF" "$WHF"; do
	[ -x "$f" ] || die "$f is not built"
done
for c in sqlite3 curl awk sort; do
	command -v "$c" >/dev/null 2>&1 || die "$c is missing"
done

T=$(mktemp -d "${TMPDIR:-/tmp}/dllt.XXXXXX") || exit 2
PIDS=
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
export no_proxy='*' NO_PROXY='*'
NOW=1796004000
echo "$NOW" > "$T/clock"
DELISTD_TEST_CLOCK=$T/clock
export DELISTD_TEST_CLOCK
printf 'bench-secret\n' > "$T/secret"
printf 'bench-token\n' > "$T/token"
ctl() { "$DELISTCTL" -s "$T/state/delistd.sock" "$@"; }
waitfile() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
	[ -s "$1" ]
}

"$AEF" --port-file "$T/ae.port" --app-key 1 --secret-file "$T/secret" \
    --token bench-token --qps 10000000 --daily-quota 100000000 \
    --clock-file "$T/clock" --timeout 7200 2>"$T/ae.err" &
PIDS="$PIDS $!"
"$WHF" --port-file "$T/wh.port" --log "$T/hook.log" --timeout 7200 2>"$T/wh.err" &
PIDS="$PIDS $!"
waitfile "$T/ae.port" && waitfile "$T/wh.port" || die "the fakes did not start"
AE=http://127.0.0.1:$(cat "$T/ae.port")
WH=http://127.0.0.1:$(cat "$T/wh.port")

awk -v n="$N" 'BEGIN { printf "{\"products\":["
    for (i = 0; i < n; i++) printf "%s{\"product_id\":\"%.0f\",\"status\":\"onSelling\"}", i ? "," : "", 1005001000000000 + i
    print "]}" }' > "$T/products.json"
curl -sS -o /dev/null -X POST --data-binary @"$T/products.json" "$AE/_fake/product"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) printf "main,%.0f\n", 1005001000000000 + i }' > "$T/list.csv"

mkdir -p "$T/state"
cat > "$T/delistd.conf" <<CONF
daemon: { state_dir = "$T/state"; log_level = "notice";
	  plugin_dir = "$top_builddir/plugins/.libs"; };
shops = ( { name = "main"; source = "ae"; snapshot_url = ""; } );
plugins = ( { name = "ae"; module = "aliexpress"; gateway = "$AE";
	      app_key = "1"; app_secret_file = "$T/secret";
	      token_file = "$T/token"; rate = 1000; burst = 1000;
	      daily_quota = 100000000; },
	    { name = "hook"; module = "webhook"; url = "$WH/hook";
	      events = [ "case.opened" ]; } );
CONF
"$DELISTD" -f -c "$T/delistd.conf" 2>>"$T/daemon.log" &
DPID=$!
PIDS="$DPID $PIDS"
i=0
while ! ctl status >/dev/null 2>&1; do
	[ $i -lt 2000 ] || die "delistd did not come up"
	sleep 0.01
	i=$((i + 1))
done
ctl import "$T/list.csv" >/dev/null || die "the import failed"
calls() { curl -sS "$AE/_fake/stats" | sed -n 's/.*"calls": *\([0-9]*\).*/\1/p'; }
i=0
while [ "$(calls)" -lt "$N" ]; do
	[ $i -lt 1200 ] || die "the first checks did not all come"
	sleep 0.1
	i=$((i + 1))
done

# step: the clock moves STEP seconds, the daemon has seen it, has no call
# in flight and no listing due left unchecked: the test clock must not
# outrun the source's real-time rate. Every healthy listing falls due
# again a recheck_interval after its check, 10,000 at once; at rate 1000
# they take 10 s of real time, in which a step of the daemon's clock
# takes some 50 ms: waiting only for no call in flight, a confirming check
# held by the emptied bucket waited a real second, some 85 s of the
# daemon's clock (p99 1050 to 1095 s).
step() {
	NOW=$((NOW + STEP))
	echo "$NOW" > "$T/clock.new" && mv "$T/clock.new" "$T/clock"
	i=0
	until ctl --json status 2>/dev/null > "$T/status" &&
	    grep -q "\"now\": $NOW" "$T/status" &&
	    grep -q '"in_flight": 0' "$T/status" &&
	    [ "$(sqlite3 "$T/state/delistd.db" "SELECT count(*) FROM listings
		WHERE next_check_at <= $NOW" 2>/dev/null)" = 0 ]; do
		[ $i -lt 6000 ] || die "delistd did not see the clock at $NOW, or left checks due"
		sleep 0.01
		i=$((i + 1))
	done
}

START=$NOW
: > "$T/marks"
: > "$T/seen"
k=1
end=$((START + K * GAP + SWEEP + SPACING + 600))
while [ "$NOW" -lt "$end" ]; do
	step
	# The k-th delisting falls due at START + k * GAP + a spread.
	while [ "$k" -le "$K" ] &&
	    [ "$NOW" -ge $((START + k * GAP + (k * 37) % GAP)) ]; do
		p=$(awk -v k="$k" -v n="$N" 'BEGIN { printf "%.0f", 1005001000000000 + (k * 197) % n }')
		curl -sS -o /dev/null -X POST --data "{\"product_id\":\"$p\",\"status\":\"offline\",\"ws_display\":\"punish_offline\"}" "$AE/_fake/product"
		echo "$p $NOW" >> "$T/marks"
		k=$((k + 1))
	done
	# Deliveries that came during this step.
	grep -o 'event=case.opened .* case=[0-9]*' "$T/hook.log" 2>/dev/null |
	    sed 's/.* case=//' | sort -u > "$T/cases.now"
	sort -u "$T/seen" | awk '{ print $1 }' > "$T/cases.seen"
	comm -13 "$T/cases.seen" "$T/cases.now" | while read -r c; do
		echo "$c $NOW" >> "$T/seen"
	done
	[ "$k" -le "$K" ] || [ "$(wc -l < "$T/seen")" -lt "$K" ] || break
done

sqlite3 "$T/state/delistd.db" "SELECT c.id, l.product_id, e.at FROM events e
    JOIN cases c ON c.id = e.case_id JOIN listings l ON l.id = c.listing_id
    WHERE e.type = 'case.opened'" | tr '|' ' ' > "$T/opened"
awk -v bound=$((SWEEP + SPACING + 10)) -v k="$K" -v n="$N" -v each="${BENCH_EACH:-}" '
    FILENAME == ARGV[1] { mark[$1] = $2; next }
    FILENAME == ARGV[2] { deliv[$1] = $2; next }
    { if (!($2 in mark)) next; o[no++] = $3 - mark[$2]
      if (each != "") print "each", $2, mark[$2], $3 - mark[$2]
      if ($1 in deliv) d[nd++] = deliv[$1] - mark[$2] }
    function sort(a, m,   i, j, t) { for (i = 1; i < m; i++) for (j = i; j > 0 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t } }
    function q(a, m, p,   i) { i = int(p * (m - 1) + 0.5); return a[i] }
    END {
	sort(o, no); sort(d, nd)
	printf "# detection latency: %d listings, %d delistings, in s of the daemon clock\n", n, k
	printf "case_opened_n %d\ncase_opened_median_s %d\ncase_opened_p99_s %d\n", no, q(o, no, 0.5), q(o, no, 0.99)
	printf "delivered_n %d\ndelivered_median_s %d\ndelivered_p99_s %d\n", nd, q(d, nd, 0.5), q(d, nd, 0.99)
	printf "bound_s %d (sweep_interval 900 + confirm_spacing 120 + 10)\n", bound
    }' "$T/marks" "$T/seen" "$T/opened"

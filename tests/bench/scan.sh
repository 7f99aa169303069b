#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bench/scan.sh: the compliance scan, 100,000 titles.
#
# 1. The matching alone (core preflight_scan_text, tests/bench/scan) over
#    BENCH_N (100,000) generated titles, a tenth of them holding a banned
#    term or an unauthorized brand, some full-width: wall time and titles
#    per second.
# 2. Through the daemon (needs sqlite3): BENCH_N tracked listings put
#    straight into a fresh database, then delistctl --json scan main timed
#    twice: the first raises listing.at_risk for each planted term (one
#    transaction), the second finds nothing new.
# The goal is under 2 s for 100,000 titles. Never passes or fails on time:
# exit 1 only if the titles found at risk are not those planted, 2 if
# something needed is missing.
#
# usage: top_builddir=BUILD_DIR sh tests/bench/scan.sh
set -u
top_builddir=$(cd "${top_builddir:-.}" && pwd)
N=${BENCH_N:-100000}
SCAN=$top_builddir/tests/bench/scan
DELISTD=$top_builddir/daemon/delistd
DELISTCTL=$top_builddir/daemon/delistctl
[ -x "$SCAN" ] || { echo "scan.sh: $SCAN is not built (make tests/bench/scan)" >&2; exit 2; }
"$SCAN" "$N" || exit 1

command -v sqlite3 >/dev/null 2>&1 || { echo "scan.sh: no sqlite3: skipping the daemon's figure"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/dlsc.XXXXXX") || exit 2
PID=
trap '[ -z "$PID" ] || { kill "$PID"; wait "$PID"; } 2>/dev/null; rm -rf "$T"' EXIT
mkdir "$T/state"
printf 'daemon: { state_dir = "%s/state"; log_level = "warning"; };\nshops = ( { name = "main"; } );\n' "$T" > "$T/d.conf"
SOCK=$T/state/delistd.sock
start() {
	"$DELISTD" -f -c "$T/d.conf" >> "$T/log" 2>&1 &
	PID=$!
	i=0
	while ! "$DELISTCTL" -s "$SOCK" status >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 500 ] || { echo "scan.sh: delistd did not start" >&2; exit 2; }
		sleep 0.02
	done
}
stop() { kill "$PID"; wait "$PID"; PID=; }
start
"$DELISTCTL" -s "$SOCK" track main 1005000000000000 >/dev/null
stop
sqlite3 "$T/state/delistd.db" "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO listings (shop_id, product_id, title, created_at, updated_at)
SELECT (SELECT id FROM shops WHERE name = 'main'), 1005001000000000 + i,
  'LED strip lights 5m RGB waterproof kitchen storage box USB cable ' || i ||
  CASE i % 10 WHEN 0 THEN ' ＢＥＳＴ Quality' ELSE '' END, 0, 0 FROM n;"
start
for run in first again; do
	t0=$(date +%s.%N)
	out=$("$DELISTCTL" -s "$SOCK" --json scan main | tr -d ' \n')
	t1=$(date +%s.%N)
	echo "scan through delistd ($run): $(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }") s: $out"
done
stop
